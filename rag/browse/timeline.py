"""大事记: the hospital's firsts and milestones found in the archive, each with its date and citation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Citation
from ..store import Archive, catalog
from ..vocab import find_dates

MILESTONE = re.compile(r"首例|首次|首家|率先|成立|通过.{0,16}(评审|认证|验收)|获评|荣获|斩获|获得.{0,10}(奖|荣誉)|填补|启动|签约")


_CLAUSES = re.compile(r"[^，,；;。！？!?]+[，,；;。！？!?]?")


@dataclass(frozen=True)
class Milestone:
    """One first or milestone, dated as precisely as the paper dates it."""

    date: str  # as printed (2024年5月) or, failing that, the issue's date
    sort_key: str  # YYYY-MM-DD for ordering
    text: str
    citation: Citation


def _sort_key(printed: str, issue_date: str) -> str:
    y = re.search(r"(\d{4})年", printed)
    m = re.search(r"(\d{1,2})月", printed)
    d = re.search(r"(\d{1,2})日", printed)
    year = int(y.group(1)) if y else int(issue_date[:4])
    month = int(m.group(1)) if m else (1 if y else int(issue_date[5:7]))
    day = int(d.group(1)) if d else 1
    return f"{year:04d}-{month:02d}-{day:02d}"


def milestones(archive: Archive) -> list[Milestone]:
    """Every sentence that records a first or a milestone, newest first."""
    out = []
    seen = set()
    for art in catalog.list_articles(archive.conn):
        for sentence in art.sentences():
            if not MILESTONE.search(sentence) or len(sentence) < 8:
                continue
            cite = Citation(art.source, sentence)
            # one sentence may record several milestones, each with its own date (2005年起…,2019年成立…)
            clauses = [c for c in _CLAUSES.findall(sentence) if MILESTONE.search(c)]
            dated = [(c, find_dates(c)) for c in clauses]
            if sum(1 for _, d in dated if d) < 2:
                printed = find_dates(sentence)
                dated = [(sentence, printed)]
            for text, printed in dated:
                key = re.sub(r"\W", "", text)
                if key in seen:
                    continue
                seen.add(key)
                when = printed[0].text if printed else art.date
                out.append(Milestone(when, _sort_key(when, art.date), text.strip("，,；;"), cite))
    return sorted(out, key=lambda m: m.sort_key, reverse=True)
