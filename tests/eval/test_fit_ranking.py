"""eval.fit_ranking.choose: of the ranking weights that answer no set worse than those in use, the ones that
answer the most; of equals, the nearest to the weights in use."""

from __future__ import annotations

from eval.fit_ranking import choose

NOW = {"typed_coverage": 0.3, "typed_bonus": 0.25}
SIZES = {"dev": 100, "cmrc": 200}


def _row(cov: float, bonus: float, dev: int, cmrc: int, exact: int = 0) -> tuple[dict[str, float], dict[str, tuple[int, int]]]:
    return {"typed_coverage": cov, "typed_bonus": bonus}, {"dev": (dev, exact), "cmrc": (cmrc, 0)}


def test_a_point_that_answers_one_set_worse_is_never_kept() -> None:
    # 0.6 gains 30 cmrc answers but loses one dev answer; 0.15 gains less, losing nothing
    rows = [_row(0.3, 0.25, 80, 100), _row(0.6, 0.25, 79, 130), _row(0.15, 0.1, 80, 104)]
    assert choose(rows, SIZES, NOW)["values"] == {"typed_coverage": 0.15, "typed_bonus": 0.1}
    # right answers decide what counts as worse: a point losing exact matches only is kept when it answers more
    rows = [_row(0.3, 0.25, 80, 100, exact=5), _row(0.15, 0.1, 80, 104, exact=4)]
    assert choose(rows, SIZES, NOW)["values"]["typed_coverage"] == 0.15


def test_of_the_points_no_worse_the_largest_sum_of_shares_then_exact_matches_wins() -> None:
    rows = [_row(0.3, 0.25, 80, 100), _row(0.45, 0.25, 82, 100), _row(0.6, 0.25, 80, 103)]
    # +2 of 100 dev (2 points) beats +3 of 200 cmrc (1.5 points)
    assert choose(rows, SIZES, NOW)["values"]["typed_coverage"] == 0.45
    rows = [_row(0.3, 0.25, 80, 100), _row(0.45, 0.25, 80, 100, exact=3)]
    assert choose(rows, SIZES, NOW)["values"]["typed_coverage"] == 0.45


def test_of_equal_points_the_nearest_to_the_weights_in_use_stays() -> None:
    rows = [_row(0.6, 0.4, 80, 100), _row(0.3, 0.25, 80, 100), _row(0.15, 0.25, 80, 100)]
    picked = choose(rows, SIZES, NOW)
    assert picked["values"] == NOW and picked["current"] == {"dev": (80, 0), "cmrc": (100, 0)}
    assert len(picked["grid"]) == 3
