"""eval.fit_answerable: the logistic model learns which signals mean a right answer, and the threshold keeps the
most right outcomes (right answers kept, unanswerables abstained on)."""

from __future__ import annotations

import random

from eval.fit_answerable import Point, choose_threshold, fit
from rag.qa.answerable import Model


def _p(i: int, coverage: float, answerable: bool, correct: bool, group: str = "dev") -> Point:
    return Point(f"{group}{i}", {"bias": 1.0, "coverage": coverage, "noise": (i * 7919 % 100) / 100}, answerable,
                 correct, group)


def test_the_fitted_weights_follow_the_signal_that_tells_right_from_wrong() -> None:
    rng = random.Random(0)
    points = [_p(i, c, True, rng.random() < c) for i, c in enumerate(rng.random() for _ in range(400))]
    names, weights, c, oof, grid = fit(points)
    assert names == ["coverage", "noise"] and len(oof) == len(points) and len(grid) >= 2
    assert weights["coverage"] > 2.0 > abs(weights["noise"])  # on the raw signals' scale
    model = Model(weights, 0.5)
    assert model.probability({"bias": 1.0, "coverage": 0.9, "noise": 0.5}) > 0.7
    assert model.probability({"bias": 1.0, "coverage": 0.1, "noise": 0.5}) < 0.3


def test_the_threshold_keeps_the_most_right_outcomes() -> None:
    points = [_p(0, 0.1, False, False), _p(1, 0.2, False, False),  # unanswerables
              _p(2, 0.15, True, False),  # a wrong answer: abstaining on it costs nothing
              _p(3, 0.3, True, True), _p(4, 0.35, False, False),  # a right answer below an unanswerable
              _p(5, 0.9, True, True)]
    probs = [pt.signals["coverage"] for pt in points]
    t, stats = choose_threshold(points, probs, {"dev": 4})
    # below 0.3 both unanswerables go (and the wrong answer); going past 0.35 would lose a right answer for one more
    assert t == 0.3
    assert stats["unanswerable_abstained"] == 2 and stats["of_them_right"] == {"dev": 0}
    t0, _ = choose_threshold(points[3:4] + points[5:], probs[3:4] + probs[5:], {"dev": 2})
    assert t0 == 0.0  # nothing to catch: abstain on nothing
