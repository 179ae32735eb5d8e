"""大事记: the hospital's firsts and milestones found in the archive, one row per event, each dated as
precisely as the paper dates it and cited. The rows are found at ingest (rag.store.milestones); this module
merges an event reprinted in several issues into one row, sorts, filters by year and department, and pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Citation
from ..store import Archive
from ..store import milestones as stored_milestones
from ..store.milestones import MILESTONE, NOT_MILESTONE, event_date

__all__ = ["MILESTONE", "NOT_MILESTONE", "Milestone", "TimelinePage", "event_date", "milestones", "timeline_page"]

_BIGRAMS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
SAME_EVENT = 0.5  # share of shared character pairs above which two rows of one date tell the same event


@dataclass(frozen=True)
class Milestone:
    """One first or milestone: its date (2026-06-11, 2024年5月 or 2026年), a key to sort by, the words."""

    date: str
    sort_key: str  # YYYY-MM-DD with 00 for an unknown month or day, so 2026年 sorts before 2026年1月
    text: str
    citation: Citation


@dataclass(frozen=True)
class TimelinePage:
    """One page of the timeline, with what the filters can choose from."""

    rows: tuple[Milestone, ...]
    page: int  # 1-based, within 1..pages
    pages: int
    total: int  # rows matching the filters
    years: tuple[str, ...]  # every year with a row, newest first
    departments: tuple[str, ...]  # every byline department with a row


def milestones(archive: Archive, newest_first: bool = True) -> list[Milestone]:
    """One row per first or milestone the archive records, newest first (or oldest first)."""
    rows: list[Milestone] = []
    by_date: dict[str, list[Milestone]] = {}
    for label, key, text, art in stored_milestones.stored(archive.conn):
        if any(_same_event(text, r.text) for r in by_date.get(label, ())):
            continue  # another issue retelling the same event
        row = Milestone(label, key, text, Citation(art.source, text))
        rows.append(row)
        by_date.setdefault(label, []).append(row)
    order = sorted(rows, key=lambda r: (r.sort_key, r.citation.source.date, r.citation.source.total_no))
    return order[::-1] if newest_first else order


def timeline_page(rows: list[Milestone], page: int = 1, size: int = 50, year: str = "",
                  department: str = "") -> TimelinePage:
    """One page of size rows of the timeline (rows as milestones() gives them), of one year and byline department
    when given; a page number past the end shows the last page."""
    if size < 1:
        raise ValueError(f"page size ({size}) must be at least 1")
    chosen = [r for r in rows if (not year or r.sort_key[:4] == year)
              and (not department or r.citation.source.department == department)]
    pages = max(1, -(-len(chosen) // size))
    page = min(max(1, page), pages)
    years = tuple(sorted({r.sort_key[:4] for r in rows}, reverse=True))
    depts = tuple(sorted({r.citation.source.department for r in rows if r.citation.source.department}))
    return TimelinePage(tuple(chosen[(page - 1) * size: page * size]), page, pages, len(chosen), years, depts)


def _same_event(text: str, other: str) -> bool:
    a, b = _pairs(text), _pairs(other)
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= SAME_EVENT


def _pairs(text: str) -> set[str]:
    chars = "".join(_BIGRAMS.findall(text))
    return {chars[i: i + 2] for i in range(len(chars) - 1)}
