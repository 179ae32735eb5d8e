"""大事记: the hospital's firsts and milestones found in the archive, one row per event, each dated as
precisely as the paper dates it and cited.

A row is a sentence (or, when one sentence dates several events, a clause) that records a first, a founding,
an award, an accreditation, a launch or a plaque; what people said (X表示…), references back to an earlier
event (…启动以来) and everyday uses of the same words (启动应急预案, 成立105周年, 首次通过率) are not rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..models import Citation
from ..store import Archive, ArticleRow, catalog
from ..vocab import find_dates

MILESTONE = re.compile(
    r"首例|首次|首家|首台|首批|首个|率先|填补[^，。；]{0,12}空白|成立|获评|荣获|斩获|获批|落户|授牌|挂牌|揭牌|签约|正式启用|"
    r"通过[^，。；]{0,16}(?:评审|认证|验收|评估|复审)|"
    r"(?:正式|项目|工程|行动|计划|活动)启动|启动(?:会|仪式)|启动[^，。；]{0,20}(?:项目|工程|行动|计划)"
)
NOT_MILESTONE = re.compile(
    r"(?:表示|认为|指出|强调|介绍|谈到|说|希望|要求)[，,:：“]|^“|以来|为契机|成立\d+周年|首次通过率|首次就诊|首次发病"
)
_CLAUSES = re.compile(r"[^，,；;。！？!?]+[，,；;。！？!?]?")
_YEAR, _MONTH, _DAY = re.compile(r"(\d{4})年"), re.compile(r"(\d{1,2})月"), re.compile(r"(\d{1,2})日")
_BIGRAMS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
LATE_REPORT = timedelta(days=45)  # a month-day later than this after the issue date is from the year before
SAME_EVENT = 0.5  # share of shared character pairs above which two rows of one date tell the same event


@dataclass(frozen=True)
class Milestone:
    """One first or milestone: its date (2026-06-11, 2024年5月 or 2026年), a key to sort by, the words."""

    date: str
    sort_key: str  # YYYY-MM-DD with 00 for an unknown month or day, so 2026年 sorts before 2026年1月
    text: str
    citation: Citation


def event_date(printed: str, issue_date: str) -> tuple[str, str]:
    """(label, sort key) of a printed date; the year comes from the issue when the article omits it."""
    issued = date.fromisoformat(issue_date)
    y, m, d = (int(x.group(1)) if (x := p.search(printed)) else 0 for p in (_YEAR, _MONTH, _DAY))
    m = m if 1 <= m <= 12 else 0
    d = d if m and 1 <= d <= 31 else 0
    if not y:
        y = issued.year
        if m and date(y, m, 1) - LATE_REPORT > issued:
            y -= 1  # 12月 in a January issue
    if d:
        try:
            return date(y, m, d).isoformat(), f"{y:04d}-{m:02d}-{d:02d}"
        except ValueError:
            d = 0
    return (f"{y}年{m}月" if m else f"{y}年"), f"{y:04d}-{m:02d}-00"


def milestones(archive: Archive, newest_first: bool = True) -> list[Milestone]:
    """One row per first or milestone the archive records, newest first (or oldest first)."""
    rows: list[Milestone] = []
    by_date: dict[str, list[Milestone]] = {}
    for art in catalog.list_articles(archive.conn):
        if art.issue_kind != "newspaper":
            continue
        seen_dates: set[str] = set()
        lead = _lead_date(art)
        for text, printed in _events(art):
            label, key = event_date(printed or lead or art.date[:4] + "年", art.date)
            if label in seen_dates or any(_same_event(text, r.text) for r in by_date.get(label, ())):
                continue  # one row per event: an article retelling its own news, or another issue retelling it
            seen_dates.add(label)
            row = Milestone(label, key, text, Citation(art.source, text))
            rows.append(row)
            by_date.setdefault(label, []).append(row)
    order = sorted(rows, key=lambda r: (r.sort_key, r.citation.source.date, r.citation.source.total_no))
    return order[::-1] if newest_first else order


def _events(art: ArticleRow) -> list[tuple[str, str]]:
    """(words, printed date or '') of each milestone an article records, in reading order; a headline that
    announces one (眼科完成首例飞秒激光白内障手术) tells it best."""
    out = [(art.title, "")] if MILESTONE.search(art.title) and not NOT_MILESTONE.search(art.title) else []
    for sentence in art.sentences():
        if len(sentence) < 8 or not MILESTONE.search(sentence) or NOT_MILESTONE.search(sentence):
            continue
        # one sentence may date several milestones (2001年起开展…，2015年成立…): each is its own row
        clauses = [c.strip("，,；; ") for c in _CLAUSES.findall(sentence) if MILESTONE.search(c)]
        dated = [(c, find_dates(c)) for c in clauses]
        if sum(1 for _, d in dated if d) >= 2:
            out += [(c, d[0].text if d else "") for c, d in dated]
        else:
            found = find_dates(sentence)
            out.append((sentence.strip(), found[0].text if found else ""))
    return out


def _lead_date(art: ArticleRow) -> str:
    """The month and day a news story opens with (6月11日，…), which its undated sentences share."""
    sentences = art.sentences()
    found = [d.text for d in find_dates(sentences[0]) if "月" in d.text] if sentences else []
    return found[0] if found else ""


def _same_event(text: str, other: str) -> bool:
    a, b = _pairs(text), _pairs(other)
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= SAME_EVENT


def _pairs(text: str) -> set[str]:
    chars = "".join(_BIGRAMS.findall(text))
    return {chars[i: i + 2] for i in range(len(chars) - 1)}
