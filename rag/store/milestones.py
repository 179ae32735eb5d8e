"""The 大事记's raw rows kept in the catalog: the firsts and milestones each article records, found once when its
issue is ingested (the timeline reads them; it does not read every article each time it is shown).

A row is a sentence (or, when one sentence dates several events, a clause) that records a first, a founding,
an award, an accreditation, a launch or a plaque; what people said (X表示…), references back to an earlier
event (…启动以来) and everyday uses of the same words (启动应急预案, 成立105周年, 首次通过率) are not rows."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable
from datetime import date, timedelta

from ..vocab import find_dates
from . import catalog
from .catalog import ArticleRow

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
LATE_REPORT = timedelta(days=45)  # a month-day later than this after the issue date is from the year before


RULES = hashlib.sha256(f"{MILESTONE.pattern}|{NOT_MILESTONE.pattern}|v1".encode()).hexdigest()[:12]


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


def article_events(art: ArticleRow) -> list[tuple[str, str, str]]:
    """(date label, sort key, words) of each milestone one article records, one per date (an article retelling
    its own news is one row)."""
    seen: set[str] = set()
    out = []
    lead = _lead_date(art)
    for text, printed in _events(art):
        label, key = event_date(printed or lead or art.date[:4] + "年", art.date)
        if label not in seen:
            seen.add(label)
            out.append((label, key, text))
    return out


def index(conn: sqlite3.Connection, article_ids: Iterable[str] | None = None) -> int:
    """Find and store the milestones of these articles (all, when None) inside the caller's transaction."""
    wanted = set(article_ids) if article_ids is not None else None
    if wanted is None:
        conn.execute("DELETE FROM events")
    if wanted is None:
        arts = [a for a in catalog.list_articles(conn) if a.issue_kind == "newspaper"]
    else:
        arts = [a for n in _issues_of(conn, wanted) for a in catalog.list_articles(conn, n) if a.id in wanted]
    rows = [(a.id, seq, *event) for a in arts if a.issue_kind == "newspaper" for seq, event in enumerate(article_events(a))]
    conn.executemany("INSERT OR REPLACE INTO events(article_id, seq, label, sort_key, text) VALUES (?,?,?,?,?)", rows)
    if wanted is None:
        catalog.set_meta(conn, "timeline_rules", RULES)
    return len(rows)


def _issues_of(conn: sqlite3.Connection, article_ids: set[str]) -> list[int]:
    ids = sorted(article_ids)
    out: set[int] = set()
    for start in range(0, len(ids), 500):
        part = ids[start: start + 500]
        out |= {r[0] for r in conn.execute(f"SELECT DISTINCT total_no FROM articles WHERE id IN ({','.join('?' * len(part))})", part)}
    return sorted(out)


def is_current(conn: sqlite3.Connection) -> bool:
    """Whether the stored rows were found with the present rules."""
    return catalog.get_meta(conn, "timeline_rules") == RULES


def stored(conn: sqlite3.Connection) -> list[tuple[str, str, str, ArticleRow]]:
    """(date label, sort key, words, article without its body) of every stored row, in reading order."""
    cols = catalog.ARTICLE_COLS.replace("a.body", "''")
    sql = (f"SELECT e.label, e.sort_key, e.text, {cols} FROM events e JOIN articles a ON a.id=e.article_id "
           "JOIN issues i ON i.total_no=a.total_no ORDER BY i.date, a.total_no, a.page, a.seq, e.seq")
    return [(r[0], r[1], r[2], catalog.article_from_row(r[3:])) for r in conn.execute(sql)]


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


