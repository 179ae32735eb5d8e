"""Parse a newspaper issue (text extracted from the PDF, or the PDF itself) into Issue → Page → Article."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rag.errors import IssueParseError
from rag.models import Article, Issue, Page

from .ocr import OcrOptions, is_image, parse_images
from .textlayout import ArticleDraft, Para, balanced_split, paragraphs_from_lines, segment_articles

_MASTHEAD = re.compile(r"第\s*(\d{1,3})\s*期\s*总\s*第\s*(\d{1,5})\s*期(?:\s*责\s*编\s*(\S+))?")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?$")
_DAY = re.compile(r"^(\d{1,2})(?:\s*日)?$")
_WEEKDAY = re.compile(r"^(?:星期|周)([一二三四五六日天])$")
_LUNAR = re.compile(r"^农历\S*$")
_EDITOR_LINE = re.compile(r"^(主\s*编|副\s*主\s*编|责\s*编|编\s*辑|校\s*对|美\s*编)\s+(.+)$")
_PAGE_MARK = re.compile(r"^第\s*([一二三四五六七八九十\d]{1,3})\s*版(?:\s|$|[·:：])")
_WEEKDAYS = "一二三四五六日"
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}

SPREAD_ORDER_PAGES = 4  # a 4-page paper extracted from spreads reads p4, p1, p2, p3


@dataclass(frozen=True)
class IssueMeta:
    """Issue metadata given by hand, for a file whose masthead is missing or unreadable."""

    issue_no: int | None = None
    total_no: int | None = None
    date: str | None = None
    publication: str = ""


def read_text_file(path: Path) -> str:
    """Read a text file as UTF-8 or GB18030 (a superset of GBK); refuse empty and binary files."""
    data = path.read_bytes()
    if not data.strip():
        raise IssueParseError(f"{path}: the file is empty", f"文件为空：{path}")
    if b"\x00" in data[:4096] or data[:5] == b"%PDF-" and path.suffix.lower() != ".pdf":
        raise IssueParseError(f"{path}: this is a binary file, not text", f"不是文本文件：{path}")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise IssueParseError(
            f"{path}: the text is neither UTF-8 nor GBK; save it as UTF-8", f"无法识别文件编码（应为 UTF-8 或 GBK）：{path}"
        )
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 20:
        raise IssueParseError(f"{path}: this is a binary file, not text", f"不是文本文件：{path}")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_file(path: Path) -> str:
    """The file's SHA-256, recorded as its source fingerprint."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cn_number(text: str) -> int:
    """'3' or '三' or '十二' as an int."""
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


@dataclass
class Masthead:
    """What the masthead prints: publication, 第N期, 总第M期, date, weekday, lunar date, 责编."""

    publication: str
    issue_no: int
    total_no: int
    year: int
    date: str
    weekday: str
    lunar: str
    duty_editor: str
    start: int  # paragraph index range the masthead occupies
    end: int


def find_masthead(paras: list[Para], path: Path) -> Masthead | None:
    """Locate and read the masthead among the paragraphs, checking the date against the weekday."""
    for i, p in enumerate(paras):
        m = _MASTHEAD.search(p.text)
        if not m or len(p.text) > 60:
            continue
        start = i
        publication = ""
        if i > 0 and len(paras[i - 1].text) <= 12 and not re.search(r"[。，,]", paras[i - 1].text):
            publication = paras[i - 1].text
            start = i - 1
        year = month = day = None
        weekday = lunar = ""
        j = i + 1
        while j < len(paras) and j <= i + 5:
            t = paras[j].text.replace(" ", "")
            if (ym := _YEAR_MONTH.match(t)) and year is None:
                year, month = int(ym.group(1)), int(ym.group(2))
                day = int(ym.group(3)) if ym.group(3) else None
            elif (d := _DAY.match(t)) and year is not None and day is None:
                day = int(d.group(1))
            elif (w := _WEEKDAY.match(t)) and not weekday:
                weekday = "星期" + w.group(1)
            elif _LUNAR.match(t) and not lunar:
                lunar = t
            else:
                break
            j += 1
        if year is None or month is None or day is None:
            raise IssueParseError(
                f"{path}: masthead found but its date is unreadable; give --date YYYY-MM-DD",
                f"报头日期无法识别，请用 --date 指定日期：{path}",
            )
        try:
            date = dt.date(year, month, day)
        except ValueError:
            raise IssueParseError(
                f"{path}: masthead date {year}-{month}-{day} does not exist", f"报头日期不存在：{path}"
            ) from None
        if weekday:
            printed = _WEEKDAYS.index(weekday[-1].replace("天", "日"))
            if printed != date.weekday():
                raise IssueParseError(
                    f"{path}: masthead date {date.isoformat()} is a {_WEEKDAYS[date.weekday()]} but the paper prints "
                    f"{weekday}; give --date YYYY-MM-DD",
                    f"报头日期 {date.isoformat()} 与所印{weekday}不符，请用 --date 指定正确日期：{path}",
                )
        return Masthead(
            publication=publication, issue_no=int(m.group(1)), total_no=int(m.group(2)), year=year,
            date=date.isoformat(), weekday=weekday, lunar=lunar, duty_editor=(m.group(3) or "").strip(),
            start=start, end=j,
        )
    return None


def _editors_box(paras: list[Para]) -> tuple[int, int, list[tuple[str, tuple[str, ...]]]] | None:
    """The editors' box (主 编 … 副主编 … 责 编 …): its paragraph range and its names."""
    idx = [i for i, p in enumerate(paras) if _EDITOR_LINE.match(p.text)]
    if not idx:
        return None
    # the box is the first run of consecutive editor lines
    start = idx[0]
    end = start
    while end < len(paras) and _EDITOR_LINE.match(paras[end].text):
        end += 1
    roles: list[tuple[str, tuple[str, ...]]] = []
    for p in paras[start:end]:
        m = _EDITOR_LINE.match(p.text)
        assert m
        roles.append((m.group(1).replace(" ", ""), tuple(m.group(2).split())))
    return start, end, roles


def _explicit_pages(lines: list[str]) -> list[tuple[int, list[str]]] | None:
    """Pages marked in the file itself: form feeds, or lines such as 第2版."""
    if any("\f" in ln for ln in lines):
        chunks: list[list[str]] = [[]]
        for ln in lines:
            parts = ln.split("\f")
            chunks[-1].append(parts[0])
            for rest in parts[1:]:
                chunks.append([rest])
        out = [(n, c) for n, c in enumerate(chunks, start=1) if any(x.strip() for x in c)]
        return [(_page_mark_in(c) or n, c) for n, c in out] if len(out) > 1 else None
    marks = [(i, m) for i, ln in enumerate(lines) if (m := _PAGE_MARK.match(ln.strip()))]
    if not marks:
        return None
    pages: list[tuple[int, list[str]]] = []
    if any(x.strip() for x in lines[: marks[0][0]]):
        pages.append((1, lines[: marks[0][0]]))
    for k, (i, m) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(lines)
        pages.append((cn_number(m.group(1)), lines[i + 1: end]))
    return pages


def _page_mark_in(lines: list[str]) -> int | None:
    for ln in lines[:3]:
        if m := _PAGE_MARK.match(ln.strip()):
            return cn_number(m.group(1))
    return None


def _to_article(d: ArticleDraft, page: int, inferred: bool) -> Article:
    return Article(
        page=page, page_inferred=inferred, title=d.title, subtitle=d.subtitle, department=d.department,
        author=d.author, editor_note=d.editor_note, kind=d.kind, paragraphs=tuple(d.paragraphs),
    )


def parse_pages(
    page_paras: list[tuple[int, bool, list[Para]]], path: Path, meta: IssueMeta, file_sha: str,
    masthead: Masthead | None, editors: list[tuple[str, tuple[str, ...]]],
) -> Issue:
    """Build the Issue from pages whose numbers are known."""
    pages = []
    for number, inferred, paras in page_paras:
        drafts = segment_articles(paras)
        pages.append(Page(number, inferred, tuple(_to_article(d, number, inferred) for d in drafts)))
    return _issue(pages, path, meta, file_sha, masthead, editors)


def _issue(
    pages: list[Page], path: Path, meta: IssueMeta, file_sha: str, masthead: Masthead | None,
    editors: list[tuple[str, tuple[str, ...]]],
) -> Issue:
    issue_no = meta.issue_no or (masthead.issue_no if masthead else None)
    total_no = meta.total_no or (masthead.total_no if masthead else None)
    date = meta.date or (masthead.date if masthead else None)
    if issue_no is None or total_no is None or date is None:
        raise IssueParseError(
            f"{path}: no masthead (第N期总第M期 and the date) found; give --issue-no, --total-no and --date",
            f"未找到报头（第N期总第M期及日期），请用 --issue-no --total-no --date 指定：{path}",
        )
    try:
        year = dt.date.fromisoformat(date).year
    except ValueError:
        raise IssueParseError(f"{path}: date {date!r} is not YYYY-MM-DD", f"日期格式应为 YYYY-MM-DD：{date}") from None
    eds = list(editors)
    if masthead and masthead.duty_editor:
        eds.append(("本期责编", (masthead.duty_editor,)))
    pages = sorted((p for p in pages if p.articles), key=lambda p: p.number)
    if not pages:
        raise IssueParseError(f"{path}: no article found in the file", f"文件中未找到任何文章：{path}")
    return Issue(
        publication=meta.publication or (masthead.publication if masthead else "") or "晋城大医院",
        year=year, issue_no=issue_no, total_no=total_no, date=date, pages=tuple(pages), source=path.name,
        source_sha256=file_sha, editors=tuple(eds), weekday=masthead.weekday if masthead else "",
        lunar=masthead.lunar if masthead else "",
    )


def parse_text(text: str, path: Path, meta: IssueMeta = IssueMeta(), file_sha: str = "") -> Issue:
    """Parse the text of one issue. Explicit page breaks are used where the file has them; otherwise the
    spread order p4, p1, p2, p3 is assumed and the p2/p3 boundary is inferred at an article boundary."""
    lines = text.split("\n")
    explicit = _explicit_pages(lines)
    all_paras = paragraphs_from_lines(lines)
    masthead = find_masthead(all_paras, path)
    if explicit:
        page_paras = []
        editors: list[tuple[str, tuple[str, ...]]] = []
        for number, plines in explicit:
            paras = paragraphs_from_lines(plines)
            paras, eds = _remove_furniture(paras, path)
            editors.extend(eds)
            page_paras.append((number, False, paras))
        return parse_pages(page_paras, path, meta, file_sha, masthead, editors)

    if masthead is None:
        if meta.total_no is None:
            _issue([], path, meta, file_sha, None, [])  # raises the missing-masthead error
        paras, editors = _remove_furniture(all_paras, path)
        return parse_pages([(1, True, paras)], path, meta, file_sha, None, editors)

    before = all_paras[: masthead.start]
    after = all_paras[masthead.end:]
    box = _editors_box(after)
    editors = box[2] if box else []
    pages: list[Page] = []
    back = segment_articles(before)
    if back:
        pages.append(Page(SPREAD_ORDER_PAGES, False, tuple(_to_article(d, SPREAD_ORDER_PAGES, False) for d in back)))
    if box:
        front = segment_articles(after[: box[0]])
        rest = segment_articles(after[box[1]:])
        pages.append(Page(1, False, tuple(_to_article(d, 1, False) for d in front)))
        inner_pages = list(range(2, SPREAD_ORDER_PAGES))
        groups = _split_groups(rest, len(inner_pages))
    else:
        inner_pages = list(range(1, SPREAD_ORDER_PAGES))
        groups = _split_groups(segment_articles(after), len(inner_pages))
    for number, group in zip(inner_pages, groups, strict=False):
        pages.append(Page(number, True, tuple(_to_article(d, number, True) for d in group)))
    return _issue(pages, path, meta, file_sha, masthead, editors)


def _split_groups(drafts: list[ArticleDraft], parts: int) -> list[list[ArticleDraft]]:
    cuts = balanced_split([d.chars for d in drafts], parts)
    bounds = list(zip([0, *cuts], [*cuts, len(drafts)], strict=False))
    return [drafts[a:b] for a, b in bounds]


def _remove_furniture(paras: list[Para], path: Path) -> tuple[list[Para], list[tuple[str, tuple[str, ...]]]]:
    """Drop the masthead and the editors' box from a page, keeping the editors' names."""
    m = find_masthead(paras, path)
    if m:
        paras = paras[: m.start] + paras[m.end:]
    box = _editors_box(paras)
    if not box:
        return paras, []
    return paras[: box[0]] + paras[box[1]:], box[2]


def parse_file(path: Path, meta: IssueMeta = IssueMeta(), ocr: OcrOptions | None = None) -> Issue:
    """Parse a .txt or .pdf file (or page images, read by OCR) into an Issue, or raise IssueParseError."""
    if not path.exists():
        raise IssueParseError(f"{path}: no such file", f"文件不存在：{path}")
    if path.stat().st_size == 0:
        raise IssueParseError(f"{path}: the file is empty", f"文件为空：{path}")
    sha = sha256_file(path)
    head = path.open("rb").read(5)
    if head == b"%PDF-":
        from .pdf import parse_pdf

        return parse_pdf(path, meta, sha, ocr)
    if is_image(head):
        return parse_images(path, meta, sha, ocr)
    if path.suffix.lower() == ".pdf":
        raise IssueParseError(f"{path}: not a valid PDF file", f"不是有效的 PDF 文件：{path}")
    return parse_text(read_text_file(path), path, meta, sha)
