"""Conflicting evidence is shown, not hidden: when articles about the same thing give different values for the
slot asked (a headcount, a date, a name), the answer is the value most articles give, the other value is
cited beside it, and the note says they differ."""

from __future__ import annotations

from dataclasses import replace

from ..models import Answer
from ..settings import AnswerSettings
from ..text import normalize
from .evidence import Scored
from .extractive import HARD_TYPES, Extractor, rank


def values_by_article(scored: list[Scored], extract: Extractor, conf: AnswerSettings, best: float
                      ) -> dict[str, list[Scored]]:
    """The typed values of the best sentences, one per article, among those nearly as good as the best
    (confidence and coverage as for an extra citation)."""
    out: dict[str, list[Scored]] = {}
    seen: set[str] = set()
    ranked = rank(scored, extract, conf)[: conf.typed_candidates]
    top_cov = max((s.coverage for s in ranked), default=0.0)
    for s in ranked:
        if s.hit.article_id in seen or s.confidence < conf.extra_citation_ratio * best:
            continue
        if s.coverage < conf.extra_citation_coverage * top_cov:
            continue
        value = extract(s)
        if value:
            seen.add(s.hit.article_id)
            out.setdefault(normalize(value), []).append(s)
    return out


def shown(ans: Answer, scored: list[Scored], extract: Extractor, conf: AnswerSettings) -> Answer:
    """The answer with a differing value from another article cited and noted; the value more articles give
    wins (of equals, the answer's own)."""
    if ans.abstained or extract.qtype not in HARD_TYPES:
        return ans
    values = values_by_article(scored, extract, conf, ans.confidence)
    mine = normalize(ans.answer)
    if mine not in values:
        return ans
    if extract.qtype == "date" and (finer := _refined(values).get(mine)):  # 11月 and 11月17日 agree
        fine = values[finer][0]
        cite = fine.hit.citation(fine.sentence)
        ans = replace(ans, answer=extract(fine), citations=(cite, *(c for c in ans.citations if c != cite)),
                      evidence=(cite.quote, *(e for e in ans.evidence if e != cite.quote)))
        mine = finer
    if len(values) < 2:
        return ans
    winner = max(values, key=lambda v: (len(values[v]), v == mine))
    other = next(v for v in sorted(values, key=lambda v: -len(values[v])) if v != winner)
    win, alt = values[winner][0], values[other][0]
    answer = ans.answer if winner == mine else extract(win)
    cites = (win.hit.citation(win.sentence), alt.hit.citation(alt.sentence))
    note = (f"档案记载不一：{len(values[winner])}篇文章记为{extract(win)}，另有{alt.hit.source.line()}记为{extract(alt)}"
            " / the archive gives different values")
    return replace(ans, answer=answer, citations=cites, evidence=tuple(c.quote for c in cites),
                   note="；".join(x for x in (ans.note, note) if x))


def _refined(values: dict[str, list[Scored]]) -> dict[str, str]:
    """Dates one article gives coarser than another (11月, 2026年) merged into the finest value that begins
    with them (11月17日): they agree. Returns coarse → fine; values keeps the fine ones, with both's articles."""
    out: dict[str, str] = {}
    for v in sorted(values, key=len):
        finer = [w for w in values if w != v and w.startswith(v)]
        if finer:
            fine = max(finer, key=len)
            values[fine] = values[fine] + values.pop(v)
            out[v] = fine
    return out
