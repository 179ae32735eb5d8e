"""How candidates of one sentence relate: a run of one kind joined by list marks (骨科、营养科获评…: every unit
a plural question asks for), and a value with the value it changed to (从1100克增长到2400克)."""

from __future__ import annotations

import re

from ..vocab import ROLE_TITLES, Span

_RUN_JOIN = re.compile(r"^(?:、|和|与|及|以及)(?:副?(?:" + "|".join(ROLE_TITLES) + "))?$")  # 、主任 between two names


def run_of(spans: list[Span], sentence: str, span: Span) -> Span:
    """The span with the spans of its kind printed beside it joined only by 、/和/与/及 (骨科、营养科获评…),
    as one span whose items are joined by 、: every unit or person a plural question asks for."""
    ordered = sorted(spans, key=lambda s: s.start)
    at = next((i for i, s in enumerate(ordered) if s.start == span.start and s.text == span.text), None)
    if at is None:
        return span
    lo = hi = at
    while lo > 0 and _RUN_JOIN.match(sentence[ordered[lo - 1].start + len(ordered[lo - 1].text): ordered[lo].start]):
        lo -= 1
    while hi + 1 < len(ordered) and _RUN_JOIN.match(sentence[ordered[hi].start + len(ordered[hi].text): ordered[hi + 1].start]):
        hi += 1
    if lo == hi:
        return span
    return Span("、".join(s.text for s in ordered[lo: hi + 1]), ordered[lo].start)


_CHANGE = re.compile(r"(?:增长|增加|提高|提升|上升|升|下降|降低|降|减少|减|缩短|缩小|延长|扩大)(?:到|至|为)")
_CHANGE_FROM = re.compile(r"(?:从|由)([^，,。；;：:]{0,10}?)的?$")


def changed_to(sentence: str, span: Span, spans: list[Span], question: str) -> Span:
    """In 从入院时1100克增长到2400克, the value before the change is the earlier state: it answers only a
    question that names that state (入院时); else the value it changed to does."""
    end = span.start + len(span.text)
    change = _CHANGE.match(sentence, end)
    before = _CHANGE_FROM.search(sentence, max(0, span.start - 12), span.start)
    if change is None or before is None:
        return span
    label = before.group(1)
    if label and label in question:
        return span
    after = [s for s in spans if s.start >= change.end()]
    return min(after, key=lambda s: s.start) if after and after[0].start - change.end() <= 2 else span
