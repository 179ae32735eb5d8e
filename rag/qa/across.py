"""Person-centric questions across all issues: 李某主持过哪些会议, 张某出席过哪些活动, 王某在哪些会议上讲过话.
Every article in which a sentence names the person together with the act asked about is found, once each,
and cited by that sentence; the answer lists the articles' titles."""

from __future__ import annotations

import re
from dataclasses import replace

from ..models import Answer, Citation, Filters
from ..store import Archive, catalog
from ..text import Tokenizer, table_rows
from ..vocab import GENERIC_INSTITUTIONS, TITLE_KINDS
from .candidates import persons
from .coverage import quoted_names
from .retrieve import passes

# An act asked about and the ways the paper words it (general Chinese, not any one paper's phrasing).
ACTS: dict[str, tuple[str, ...]] = {
    "主持": ("主持",),
    "指挥": ("指挥", "总指挥"),
    "讲话": ("讲话", "致辞", "指出", "强调", "要求", "表示", "发言"),
    "发言": ("发言", "讲话", "致辞"),
    "致辞": ("致辞", "讲话"),
    "出席": ("出席", "参加", "参与", "到场", "主持", "讲话", "致辞"),
    "参加": ("参加", "参与", "出席"),
    "参与": ("参与", "参加", "出席"),
    "主讲": ("主讲", "授课", "讲授"),
    "出现": ("",),
}
_ASKS_ALL = re.compile(r"哪些|哪几|几次|多少次|哪[两三四五]")
_FRONT_PAGE = re.compile(r"头版|第\s*[1一]\s*版")


def _person_named(archive: Archive, q: str) -> str:
    """The longest name the archive knows that the question prints, '' when none."""
    return max((p for p in archive.known("person") if len(p) >= 2 and p in q), key=len, default="")


def involvements(archive: Archive, q: str, filters: Filters) -> Answer | None:
    """Every article in which the person the question names did what it asks (主持/出席/讲话…), or None
    when the question is not of that kind or nothing is found."""
    acts = [a for a in ACTS if re.search(f"{a[0]}过?{a[1:]}", q)]
    # asked about all of them: 主持过什么会 / 在哪些会议上讲过话, not 讲话时要求了什么
    if not acts or not (_ASKS_ALL.search(q) or any(re.search(f"{a[0]}过{a[1:]}|{a}过", q) for a in acts)):
        return None
    who = _person_named(archive, q)
    if not who:
        return None
    if _FRONT_PAGE.search(q) and not filters.pages:
        filters = replace(filters, pages=(1,))
    words = tuple(w for a in acts for w in ACTS[a])
    cites: list[Citation] = []
    titles: list[str] = []
    for art in catalog.list_articles(archive.conn):
        if not passes(art, filters):
            continue
        sentences = art.sentences()
        hit = next((s for s in sentences if who in s and any(w in s for w in words)), None)
        if hit is None and "出现" in acts and who in art.author.split("、"):
            hit = art.first_sentence()  # the byline names the person
        if hit is None or art.title in titles:
            continue
        titles.append(art.title)
        cites.append(Citation(art.source, hit))
    if not cites:
        return None
    return Answer(question=q, answer="、".join(f"《{t}》" for t in titles), abstained=False, citations=tuple(cites),
                  evidence=tuple(c.quote for c in cites), qtype="list", confidence=1.0)


# What a person won or was chosen for, as the paper words it (general Chinese), and questions asking for all of it.
_WON = re.compile(r"(?:获得|荣获|获评|斩获|夺得|摘得|取得|入选|评为|当选)了?([^，,；;。！？、（(]{2,16})")
_ASKS_WON = re.compile(r"(?:获得|荣获|获评|斩获|夺得|拿|取得|入选|得)(?:过|了)?.{0,4}(?:什么|哪些|哪几)")
_ASKS_EVERY = re.compile(r"过|分别|各|哪些|哪几|都")


def achievements(archive: Archive, q: str, filters: Filters) -> Answer | None:
    """Everything the person the question names won or was chosen for, across all issues (王某获得过哪些荣誉,
    分别获得了什么): what follows 获得/荣获/入选… after the name and before the next person named, and a results
    table's row label (最佳新人 王某), each with its article; None when the question is not of that kind."""
    if not (_ASKS_WON.search(q) and _ASKS_EVERY.search(q)):
        return None
    known = archive.known("person")
    tok = archive.tokenizer()
    people = sorted({s.text for s in persons(q, known, tok.person_names(q)) if len(s.text) >= 2}, key=len, reverse=True)
    if not people:
        return None
    who = people[0]
    events = quoted_names(q)  # “某某杯”比赛中拿过什么: that event's articles only
    items: dict[str, Citation] = {}
    for art in catalog.list_articles(archive.conn):
        if not passes(art, filters) or any(e not in art.title + art.body for e in events):
            continue
        rows = set(table_rows(art.paragraphs)) - set(art.paragraphs)
        for sentence in art.sentences():
            at = sentence.find(who)
            if at < 0:
                continue
            if sentence in rows:  # 个人奖 最佳新人 王某(药学部): the label before the name
                label = sentence[:at].split()
                if label:
                    items.setdefault(f"{label[-1]}（《{art.title}》）", Citation(art.source, sentence))
                continue
            rest = sentence[at + len(who):]
            named = persons(rest, known, tok.person_names(rest))
            joined = re.match(r"(?:[、和与及][\u4e00-\u9fff·]{2,4})*", rest)  # 王某、李某获得…: co-winners
            stop = min((p.start for p in named if p.start >= (joined.end() if joined else 0)), default=len(rest))
            for m in _WON.finditer(rest[:stop]):
                items.setdefault(f"{m.group(1)}（《{art.title}》）", Citation(art.source, sentence))
    if not items:
        return None
    cites = tuple(dict.fromkeys(items.values()))
    return Answer(question=q, answer="、".join(items), abstained=False, citations=cites,
                  evidence=tuple(c.quote for c in cites), qtype="list", confidence=1.0)


# Questions asking every office or role a person held (某某先后以哪些职务出现, 担任过哪些职务, 有哪些身份).
_ASKS_OFFICES = re.compile(r"(?:哪些|哪几个?|什么|几个)(?:职务|职位|身份|头衔)|(?:职务|职位|身份|头衔)(?:有|是)?(?:哪些|哪几)")
_ASKS_SEVERAL = re.compile(r"哪些|哪几|先后|分别|都|过")
_TITLE_BREAK = re.compile(r"——记|[，,。；;：:（()“”\"《》！？!?\s—]")  # ——记某某: a profile's subtitle
OFFICE_END = re.compile(rf"(?:{TITLE_KINDS['职务'].pattern})$")
_NOT_TITLE_WORD = ("p", "c", "v", "r", "d", "u", "y", "uj", "ul", "f")


def offices_held(archive: Archive, q: str, filters: Filters) -> Answer | None:
    """Every office printed right before the name of the person the question names, across all issues
    (某科主任、某委员会主席某某; 某支部书记某某), each once and cited by its sentence; None when the question is not
    of that kind or no office is printed before the name."""
    if not (_ASKS_OFFICES.search(q) and _ASKS_SEVERAL.search(q)):
        return None
    who = _person_named(archive, q)
    if not who:
        return None
    tok, units = archive.tokenizer(), archive.known("department")
    found: dict[str, Citation] = {}
    for art in catalog.list_articles(archive.conn):
        if not passes(art, filters):
            continue
        for sentence in [art.subtitle, *art.sentences()] if art.subtitle else art.sentences():
            for m in re.finditer(re.escape(who), sentence):
                for office in _titles_before(sentence[: m.start()], tok, units):
                    found.setdefault(office, Citation(art.source, sentence))
    # 分院院长 beside 某某分院院长: the fuller one says it
    kept = [o for o in found if not any(len(p) > len(o) and p.endswith(o) for p in found)]
    if not kept:
        return None
    cites = tuple(dict.fromkeys(found[o] for o in kept))
    return Answer(question=q, answer="、".join(kept), abstained=False, citations=cites,
                  evidence=tuple(c.quote for c in cites), qtype="list", confidence=1.0)


def _titles_before(before: str, tok: Tokenizer, units: set[str]) -> list[str]:
    """The offices printed right before a name, one or several joined by 、, nearest last: each part of the text
    since the clause began must end in an office; the first part loses what leads into it (由, 我和, 我院)."""
    parts = _TITLE_BREAK.split(before)[-1].split("、")
    out: list[str] = []
    for n, part in enumerate(reversed(parts)):
        if not OFFICE_END.search(part):
            break
        if n == len(parts) - 1:  # the clause's first part: the title starts after its last function word
            words = tok.tagged(part)
            keep = len(words)
            while keep > 0 and words[keep - 1][1] not in _NOT_TITLE_WORD:
                keep -= 1
            while len(words) - keep > 1 and len(words[keep][0]) == 1 and words[keep][1] != "b":
                keep += 1  # ——记某某: a lone character that opens the clause (not 副)
            cut = sum(len(w) for w, _ in words[:keep])
            # a unit the archive knows is never cut (护理|部 where the tagger reads a verb)
            cut = min([cut, *(m.start() for u in units for m in re.finditer(re.escape(u), part)
                              if m.start() < cut < m.end())])
            part = part[cut:]
        for lead in GENERIC_INSTITUTIONS:
            part = part.removeprefix(lead)
        if part:
            out.insert(0, part)
    return out
