"""Turn a newspaper page's extracted text into articles, the way a person reading the paper would.

The input is a list of paragraphs (with the number of blank lines before each, since runs of blank lines
mark where a picture or a column broke the text). The output is article drafts: title (two-line titles
joined, a title printed after its byline put back), byline department and author (both the trailing
`(科室 作者)` and the leading `科室 作者` forms), editor's note, and paragraphs with subheads kept inside
and picture-broken paragraphs joined again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Characters that close a sentence or a clause that may stand at a paragraph's end.
_SENTENCE_END = set("。！？!?…；;”」』）)】:：")
_INNER_FULL_STOP = re.compile(r"[。；;]")
_INNER_EXCLAIM = re.compile(r"[！？!?]")
_COMMA = re.compile(r"[，,、]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_EDITOR_NOTE = re.compile(r"^编者按\s*[:：]\s*")

# Units a byline names: 工会, 医务部, 心血管内科, 日间手术中心, 肿瘤医院, 党委宣传部 ...
DEPARTMENT_SUFFIXES = (
    "科", "部", "室", "中心", "会", "院", "处", "办", "病区", "站", "所", "组", "队", "委", "局", "馆", "团", "社", "报",
    "者", "通讯员",
)
_NAME = r"[\u4e00-\u9fff·]{1,4}"
_TRAILING_BYLINE = re.compile(
    r"^[（(]\s*([\u4e00-\u9fffA-Za-z0-9/、·]{2,20}?)\s+((?:[\u4e00-\u9fff·]{1,4})(?:\s+[\u4e00-\u9fff·]{1,4}){0,5})\s*[)）]$"
)
_LEADING_BYLINE = re.compile(
    r"^([\u4e00-\u9fffA-Za-z0-9/、·]{2,20}?)\s+((?:[\u4e00-\u9fff·]{1,4})(?:\s+[\u4e00-\u9fff·]{1,4}){0,3})$"
)
# A closing signature of office holders: (某某医院党委书记、院长 张三 工会主席 李四)
_SIGNATURE = re.compile(r"^[（(]\s*((?:[\u4e00-\u9fffA-Za-z0-9、·]{2,24}\s+[\u4e00-\u9fff·]{2,4}\s*){1,3})[)）]$")
_SIGNED = re.compile(r"([\u4e00-\u9fffA-Za-z0-9、·]{2,24})\s+([\u4e00-\u9fff·]{2,4})")
_OFFICE_ENDS = ("长", "书记", "主席", "主任", "经理", "委员")
_BOLD = re.compile(r"\*\*([^*]{1,40})\*\*")

# Furniture of the page, not articles: QR-code captions, follow-us lines.
BOILERPLATE = re.compile(r"(扫码关注|扫描二维码|官方微信平台|官方视频号|订阅号|公众号|视频号|抖音号)\s*$")


@dataclass
class Para:
    """A paragraph of extracted text and the blank lines printed before it."""

    text: str
    gap: int = 0
    conf: float = 1.0  # mean OCR confidence of its characters; 1.0 for a text layer or a text file


@dataclass
class ArticleDraft:
    """An article as segmentation finds it, before it is given its page."""

    title: str = ""
    subtitle: str = ""
    department: str = ""
    author: str = ""
    editor_note: str = ""
    kind: str = "news"
    paragraphs: list[str] = field(default_factory=list)
    has_byline: bool = False

    @property
    def chars(self) -> int:
        """Characters of body text."""
        return sum(len(p) for p in self.paragraphs)


def paragraphs_from_lines(lines: list[str]) -> list[Para]:
    """Group lines into paragraphs: each non-blank line is a paragraph, blank lines are counted as gaps."""
    out: list[Para] = []
    gap = 0
    for raw in lines:
        line = raw.replace("\u3000", " ").replace("\xa0", " ").strip()
        if not line:
            gap += 1
            continue
        # An inline bold subhead (**精准施治 守护健康**) is its own paragraph.
        pieces = [p.strip() for p in _BOLD.split(line)]
        for piece in pieces:
            if piece:
                out.append(Para(piece, gap))
                gap = 0
    return out


def _strip_quotes(text: str) -> str:
    return text.rstrip("”’\"'」』 ")


def is_body_like(text: str) -> bool:
    """A paragraph of running text rather than a heading."""
    core = text[:-1]
    if _INNER_FULL_STOP.search(core) or (len(text) >= 30 and _INNER_EXCLAIM.search(core)):
        return True  # headings carry no full stop; a short "惊险!…" line is still a heading
    if len(text) >= 30 and _COMMA.search(text):
        return True
    return len(text) >= 60


def ends_sentence(text: str) -> bool:
    """True when the paragraph's last character closes a sentence or clause."""
    return bool(text) and text[-1] in _SENTENCE_END


def is_title_like(text: str, strict: bool = False) -> bool:
    """A short line with no sentence in it: a title, subtitle or subhead."""
    if not text or len(text) > 60 or is_body_like(text) or parse_trailing_byline(text):
        return False
    if not _CJK.search(text) and not text.startswith("——"):
        return False
    last = _strip_quotes(text)[-1:] if _strip_quotes(text) else ""
    if last in "。；;，,、:：":
        return False
    if strict and last in "!?！？":
        return False
    return True


def _clean_name(name: str) -> str:
    tokens = name.split()
    if all(len(t) == 1 for t in tokens):
        return "".join(tokens)  # 魏 星 is 魏星 spaced out for the column
    return "、".join(tokens)


def _is_department(name: str) -> bool:
    return name.endswith(DEPARTMENT_SUFFIXES)


def parse_trailing_byline(text: str) -> tuple[str, str] | None:
    """(department, author) from a closing byline such as (心血管内科 张明) or (医务部 魏 星), or from a signature
    of office holders (某医院院长 张三 工会主席 李四: the first office's unit, and the names)."""
    m = _TRAILING_BYLINE.match(text.strip())
    if not m:
        return _signature(text.strip())
    dept, name = m.group(1), _clean_name(m.group(2))
    if not _is_department(dept) or not 2 <= len(name.replace("、", "")) <= 12:
        return _signature(text.strip())
    return dept, name


def _signature(text: str) -> tuple[str, str] | None:
    m = _SIGNATURE.match(text)
    if not m:
        return None
    signed = _SIGNED.findall(m.group(1))
    if not signed or not all(office.endswith(_OFFICE_ENDS) for office, _ in signed):
        return None
    first = signed[0][0]
    unit = next((first[:i] for i in range(2, len(first)) if _is_department(first[:i])), "")
    return (unit, "、".join(name for _, name in signed)) if unit else None


def parse_leading_byline(text: str) -> tuple[str, str] | None:
    """(department, author) from a byline printed under the title, such as 工会 徐继来."""
    m = _LEADING_BYLINE.match(text.strip())
    if not m:
        return None
    dept, name = m.group(1), _clean_name(m.group(2))
    if not _is_department(dept) or not 2 <= len(name.replace("、", "")) <= 12:
        return None
    return dept, name


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


def join_broken_paragraphs(paras: list[Para]) -> list[Para]:
    """Join paragraphs that a picture or column break cut mid-sentence (…病房管理存 / 在的问题…).

    A short heading-like fragment caught between the two halves (a caption or pull quote) is kept, as its
    own paragraph after the joined one, so that no printed text is lost.
    """
    out: list[Para] = []
    i = 0
    while i < len(paras):
        cur = Para(paras[i].text, paras[i].gap)
        i += 1
        strays: list[Para] = []
        while i < len(paras) and _is_cut(cur.text):
            nxt = paras[i]
            if _continues(nxt.text):
                cur.text = _join(cur.text, nxt.text)
                i += 1
                continue
            after = paras[i + 1] if i + 1 < len(paras) else None
            if is_title_like(nxt.text) and after is not None and _continues(after.text):
                strays.append(Para(nxt.text, 1))
                cur.text = _join(cur.text, after.text)
                i += 2
                continue
            break
        out.append(cur)
        out.extend(strays)
    return out


def _is_cut(text: str) -> bool:
    """Running text that stops mid-sentence (a trailing comma, or a long paragraph with no closing mark)."""
    if text[-1:] in "，,、":
        return True
    return is_body_like(text) and not ends_sentence(text)


def _continues(text: str) -> bool:
    """Could this paragraph be the second half of a broken sentence?"""
    if parse_trailing_byline(text) or _EDITOR_NOTE.match(text) or BOILERPLATE.search(text):
        return False
    return not is_title_like(text)


def segment_articles(paras: list[Para]) -> list[ArticleDraft]:
    """Split one region of a page (paragraphs in reading order) into articles."""
    paras = join_broken_paragraphs([p for p in paras if not BOILERPLATE.search(p.text)])
    # 1. Segments end at closing bylines.
    segments: list[list[Para]] = [[]]
    for p in paras:
        segments[-1].append(p)
        if parse_trailing_byline(p.text):
            segments.append([])
    # 2. A segment may still hold the tail of an article whose byline was printed mid-text, followed by a
    # new titled article: split where a title follows a finished paragraph after a wide gap.
    pieces: list[list[Para]] = []
    for seg in segments:
        start = 0
        for j in range(1, len(seg)):
            p, prev = seg[j], seg[j - 1]
            if (
                p.gap >= 2 and is_title_like(p.text, strict=True) and ends_sentence(prev.text)
                and j > start and _has_body_after(seg, j)
            ):
                pieces.append(seg[start:j])
                start = j
        pieces.append(seg[start:])
    pieces = [s for s in pieces if s]

    drafts: list[ArticleDraft] = []
    for seg in pieces:
        _absorb(seg, drafts)
    for d in drafts:
        if not d.title:
            d.title = _fallback_title(d)
    return [d for d in drafts if d.paragraphs]


def _has_body_after(seg: list[Para], j: int) -> bool:
    """A title is followed, within a few lines, by running text."""
    for p in seg[j + 1: j + 4]:
        if not is_title_like(p.text) and not parse_leading_byline(p.text):
            return True
    return False


def _absorb(seg: list[Para], drafts: list[ArticleDraft]) -> None:
    """Read one segment: it is a new article, the tail of the previous one, or the previous one's title."""
    texts = [p.text for p in seg]
    prev = drafts[-1] if drafts else None
    # A title printed after its article's byline goes back to that untitled article.
    if prev is not None and not prev.title and prev.has_byline and texts and is_title_like(texts[0]):
        lead = _leading_titles(texts)
        if lead >= 2 or lead == len(texts):
            prev.title = texts[0]
            texts = texts[1:]
            if not texts:
                return
    d = ArticleDraft()
    k = 0
    while k < len(texts) and _EDITOR_NOTE.match(texts[k]):
        d.editor_note = (d.editor_note + "\n" if d.editor_note else "") + _EDITOR_NOTE.sub("", texts[k])
        k += 1
    titles: list[str] = []
    while (
        k < len(texts) and len(titles) < 3 and is_title_like(texts[k], strict=bool(titles))
        and _has_more_text(texts, k) and not _is_speech(texts[k])
        and not (titles and parse_leading_byline(texts[k]))
    ):
        titles.append(texts[k])
        k += 1
    if k < len(texts) and titles and parse_leading_byline(texts[k]):
        d.department, d.author = parse_leading_byline(texts[k])  # type: ignore[misc]
        d.has_byline = True
        d.kind = "essay"
        k += 1
    while k < len(texts) and _EDITOR_NOTE.match(texts[k]):
        d.editor_note = (d.editor_note + "\n" if d.editor_note else "") + _EDITOR_NOTE.sub("", texts[k])
        k += 1
    body = texts[k:]
    if body and (byline := parse_trailing_byline(body[-1])):
        if not d.has_byline:
            d.department, d.author = byline
        d.has_byline = True
        body = body[:-1]
    d.title, d.subtitle = _split_title(titles)
    d.paragraphs = body
    if not titles and not d.editor_note and prev is not None and not d.has_byline:
        # A byline printed mid-article: the untitled, unsigned text after it continues the same article.
        prev.paragraphs.extend(body)
        return
    drafts.append(d)


def _is_speech(text: str) -> bool:
    """A quoted utterance (“我的膝盖!…”) opens a story; it is not a title."""
    return text[:1] in "“「\"" and text.rstrip()[-1:] in "”」\""


def _leading_titles(texts: list[str]) -> int:
    n = 0
    while n < len(texts) and is_title_like(texts[n]):
        n += 1
    return n


def _has_more_text(texts: list[str], k: int) -> bool:
    return k + 1 < len(texts)


def _split_title(lines: list[str]) -> tuple[str, str]:
    if not lines:
        return "", ""
    main = [ln for ln in lines if not ln.startswith("——")]
    subs = [ln.lstrip("—").strip() for ln in lines if ln.startswith("——")]
    return " ".join(main), " ".join(subs)


def _fallback_title(d: ArticleDraft) -> str:
    first = d.paragraphs[0] if d.paragraphs else ""
    sentence = re.split(r"[。！？!?]", first)[0]
    return sentence[:30] + ("…" if len(sentence) > 30 else "")


def balanced_split(sizes: list[int], parts: int) -> list[int]:
    """Cut points (indices) splitting a run of article sizes into contiguous parts of similar size."""
    n = len(sizes)
    if parts <= 1 or n <= 1:
        return []
    parts = min(parts, n)
    best: tuple[float, list[int]] | None = None

    def rec(start: int, left: int, cuts: list[int]) -> None:
        nonlocal best
        if left == 1:
            groups = [sum(sizes[a:b]) for a, b in zip([0, *cuts], [*cuts, n], strict=False)]
            cost = max(groups) - min(groups)
            if best is None or cost < best[0]:
                best = (cost, list(cuts))
            return
        for c in range(start + 1, n - left + 2):
            rec(c, left - 1, [*cuts, c])

    rec(0, parts, [])
    assert best is not None
    return best[1]
