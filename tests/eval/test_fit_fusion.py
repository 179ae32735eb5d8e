"""eval.fit_fusion: the gold rank under a fusion, and a grid search that follows the retriever that is right."""

from __future__ import annotations

import pytest

from eval.fit_fusion import grid_search, ranks, relative_score
from rag import ArticleRow, Fusion


def _row(total_no: int, page: int) -> ArticleRow:
    return ArticleRow(id=f"{total_no}-{page}", total_no=total_no, issue_no=1, year=2025, date="2025-01-01", seq=0,
                      page=page, page_inferred=False, title="标题", subtitle="", kind="news", department="",
                      author="", editor_note="", body="正文。", chars=3)


def _question(keyword_right: bool) -> tuple[list[tuple[str, float]], list[tuple[str, float]], dict, set]:
    rows = {"g": ("", _row(1, 1)), "x": ("", _row(1, 2)), "y": ("", _row(1, 3))}
    gold = {(1, 1)}
    strong, weak = ("g", "x") if keyword_right else ("x", "g")
    found = [(strong, 9.0), (weak, 3.0), ("y", 2.0)]
    dense = [(weak, 0.95), (strong, 0.84), ("y", 0.80)]  # dense always prefers the other one
    return found, dense, rows, gold


def test_ranks_follow_the_share() -> None:
    cached = [_question(True), _question(False)]
    assert ranks(cached, Fusion(1.0, 0.2, 0.02), 8, 2) == [1, 2]  # keyword alone
    assert ranks(cached, Fusion(0.0, 0.2, 0.02), 8, 2) == [2, 1]  # dense alone


def test_the_grid_search_follows_the_retriever_that_is_right() -> None:
    sets = {"a": [_question(True)] * 5, "b": [_question(True)] * 3}
    chosen, worst_gain, mean = grid_search(sets, 8, 2, "cosine")
    assert (worst_gain, mean) == (0.0, 1.0)  # by share or by temperatures, the keyword side decides
    assert ranks(sets["a"], chosen, 8, 2) == [1] * 5
    assert ranks(sets["a"], Fusion(0.5, 0.2, 0.02), 8, 2) == [2] * 5  # an unfitted mix would follow dense


def _margins(keyword_clear: bool) -> tuple[list[tuple[str, float]], list[tuple[str, float]], dict, set]:
    """The retriever with the clear lead is right; the other leads by a hair and is wrong."""
    rows = {"g": ("", _row(1, 1)), "x": ("", _row(1, 2)), "y": ("", _row(1, 3))}
    if keyword_clear:
        return [("g", 9.0), ("x", 6.0), ("y", 2.0)], [("x", 0.85), ("g", 0.84), ("y", 0.80)], rows, {(1, 1)}
    return [("x", 9.0), ("g", 8.5), ("y", 2.0)], [("g", 0.95), ("x", 0.80), ("y", 0.79)], rows, {(1, 1)}


def test_the_fit_does_not_lose_to_a_single_retriever_on_any_set() -> None:
    # on "dense" following the dense top-1 wins three of four; on "keyword" it loses every question
    sets = {"dense": [_margins(False)] * 3 + [_margins(True)], "keyword": [_margins(True)] * 4}
    sharp = Fusion(0.5, 0.2, 0.002)
    assert ranks(sets["keyword"], sharp, 8, 2) == [2] * 4
    chosen, worst_gain, _ = grid_search(sets, 8, 2, "cosine")
    assert worst_gain >= 0.0
    assert ranks(sets["keyword"], chosen, 8, 2) == [1] * 4
    assert ranks(sets["dense"], chosen, 8, 2) == [1] * 4  # and it still takes the dense side's clear leads


def test_relative_score_is_the_old_fusion() -> None:
    fused = relative_score([("a", 4.0), ("b", 2.0)], [("b", 0.9), ("c", 0.7), ("a", 0.8)])
    assert fused == pytest.approx({"a": 0.5 + 0.25, "b": 0.25 + 0.5, "c": 0.0})


def test_a_saved_benchmark_is_reported_with_its_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from eval.cli import _saved_benchmarks
    f = tmp_path / "crud.json"
    f.write_text(json.dumps({"generated": "2026-11-23T16:00:00", "benchmarks": [{"name": "crud_rag_qa", "hit@1": 0.8}]}))
    assert _saved_benchmarks(f) == [{"name": "crud_rag_qa (run 2026-11-23, crud.json)", "hit@1": 0.8}]
