"""Metrics that are hard to fool: normalised containment, character F1, retrieval hit@k and MRR,
abstention precision/recall, latency percentiles."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from rag import cn_numerals_to_digits, to_simplified

_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


def normalize_answer(text: str) -> str:
    """Width, case, script and numerals folded; punctuation and spaces dropped (二十分钟 == 20分钟)."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = cn_numerals_to_digits(to_simplified(t))
    return _DROP.sub("", t)


def contains_answer(golds: Sequence[str], answer: str) -> bool:
    """Any gold answer contained in the short answer, after normalisation."""
    a = normalize_answer(answer)
    return any(normalize_answer(g) and normalize_answer(g) in a for g in golds)


def exact_match(golds: Sequence[str], answer: str) -> bool:
    """The short answer equals a gold answer, after normalisation."""
    a = normalize_answer(answer)
    return any(normalize_answer(g) == a for g in golds)


def char_f1(golds: Sequence[str], answer: str) -> float:
    """Best character-level F1 against the gold answers."""
    a = Counter(normalize_answer(answer))
    best = 0.0
    for g in golds:
        gc = Counter(normalize_answer(g))
        common = sum((a & gc).values())
        if common == 0:
            continue
        p, r = common / sum(a.values()), common / sum(gc.values())
        best = max(best, 2 * p * r / (p + r))
    return best


def first_hit_rank(ranked: Sequence[object], gold: set[object]) -> int | None:
    """1-based rank of the first retrieved item that is gold, or None."""
    for i, item in enumerate(ranked, start=1):
        if item in gold:
            return i
    return None


def retrieval_summary(ranks: Iterable[int | None]) -> dict[str, float]:
    """hit@1, hit@5 and MRR over the first-hit ranks."""
    ranks = list(ranks)
    n = len(ranks) or 1
    return {
        "hit@1": sum(1 for r in ranks if r == 1) / n,
        "hit@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
        "mrr": sum(1 / r for r in ranks if r is not None) / n,
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    if not values:
        return 0.0
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]
