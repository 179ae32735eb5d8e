"""eval.fit_fusion: the gold rank under a fusion, and a grid search that follows the retriever that is right."""

from __future__ import annotations

from eval.fit_fusion import grid_search, ranks
from rag import ArticleRow, Fusion


def _row(total_no: int, page: int) -> ArticleRow:
    return ArticleRow(id=f"{total_no}-{page}", total_no=total_no, issue_no=1, year=2025, date="2025-01-01", seq=0,
                      page=page, page_inferred=False, title="标题", subtitle="", kind="news", department="",
                      author="", editor_note="", body="正文。", chars=3)


def _question(keyword_right: bool) -> tuple[list[tuple[str, float]], list[tuple[str, float]], dict, set, bool]:
    rows = {"g": ("", _row(1, 1)), "x": ("", _row(1, 2)), "y": ("", _row(1, 3))}
    gold = {(1, 1)}
    strong, weak = ("g", "x") if keyword_right else ("x", "g")
    found = [(strong, 9.0), (weak, 3.0), ("y", 2.0)]
    dense = [(weak, 0.95), (strong, 0.84), ("y", 0.80)]  # dense always prefers the other one
    return found, dense, rows, gold, False


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


def _margins(keyword_clear: bool) -> tuple[list[tuple[str, float]], list[tuple[str, float]], dict, set, bool]:
    """The retriever with the clear lead is right; the other leads by a hair and is wrong."""
    rows = {"g": ("", _row(1, 1)), "x": ("", _row(1, 2)), "y": ("", _row(1, 3))}
    if keyword_clear:
        return [("g", 9.0), ("x", 6.0), ("y", 2.0)], [("x", 0.85), ("g", 0.84), ("y", 0.80)], rows, {(1, 1)}, False
    return [("x", 9.0), ("g", 8.5), ("y", 2.0)], [("g", 0.95), ("x", 0.80), ("y", 0.79)], rows, {(1, 1)}, False


def test_the_fit_does_not_lose_to_a_single_retriever_on_any_set() -> None:
    # on "dense" following the dense top-1 wins three of four; on "keyword" it loses every question
    sets = {"dense": [_margins(False)] * 3 + [_margins(True)], "keyword": [_margins(True)] * 4}
    sharp = Fusion(0.5, 0.2, 0.002)
    assert ranks(sets["keyword"], sharp, 8, 2) == [2] * 4
    chosen, worst_gain, _ = grid_search(sets, 8, 2, "cosine")
    assert worst_gain >= 0.0
    assert ranks(sets["keyword"], chosen, 8, 2) == [1] * 4
    assert ranks(sets["dense"], chosen, 8, 2) == [1] * 4  # and it still takes the dense side's clear leads


def test_a_chunk_level_set_counts_the_chunk_not_its_page() -> None:
    # two chunks of the same page: only the one that prints the answer is gold
    rows = {"a": ("", _row(1, 1)), "b": ("", _row(1, 1)), "y": ("", _row(1, 3))}
    found, dense = [("a", 9.0), ("b", 8.0), ("y", 2.0)], [("a", 0.9), ("b", 0.8), ("y", 0.7)]
    by_page = (found, dense, rows, {(1, 1)}, False)
    by_chunk = (found, dense, rows, {"b"}, True)
    assert ranks([by_page, by_chunk], Fusion(0.5, 0.2, 0.02), 8, 2) == [1, 2]


def _unrelated_dense(n: int) -> tuple[list[tuple[str, float]], list[tuple[str, float]], dict, set, bool]:
    """A keyword ranking that is right, and a dense one that ranks other chunks first with a clear lead."""
    rows = {f"k{i}": ("", _row(2, i + 1)) for i in range(n)} | {f"d{i}": ("", _row(3, i + 1)) for i in range(n)}
    found = [(f"k{i}", 9.0 - 0.1 * i) for i in range(n)]
    dense = [("d0", 0.95)] + [(f"d{i}", 0.80 - 0.001 * i) for i in range(1, n)] + [("k0", 0.79)]
    return found, dense, rows, {(2, 1)}, False


def test_with_a_dense_side_that_agrees_with_nothing_the_fit_gates_it() -> None:
    # "weak": the dense side ranks unrelated chunks first (a model that does not read the language);
    # "strong": the dense side's clear lead is right and the two agree on the rest
    sets = {"weak": [_unrelated_dense(6)] * 4, "strong": [_margins(False)] * 4}
    chosen, worst_gain, _ = grid_search(sets, 8, 2, "cosine")
    assert worst_gain >= 0.0 and chosen.agreement_depth > 0
    assert ranks(sets["weak"], chosen, 8, 2) == [1] * 4
    assert ranks(sets["strong"], chosen, 8, 2) == [1] * 4


def test_a_saved_benchmark_is_reported_with_its_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from eval.cli import _saved_benchmarks
    f = tmp_path / "crud.json"
    f.write_text(json.dumps({"generated": "2026-11-23T16:00:00", "benchmarks": [{"name": "crud_rag_qa", "hit@1": 0.8}]}))
    assert _saved_benchmarks(f) == [{"name": "crud_rag_qa (run 2026-11-23, crud.json)", "hit@1": 0.8}]
