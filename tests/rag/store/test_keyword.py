"""rag.store.keyword: the BM25 index (SQLite FTS5) in tmp_path: indexing, search, document frequencies, idf."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import pytest

from rag.store import catalog, keyword

CHUNKS = [
    ("knee", ["膝关节", "置换", "手术"]),
    ("dental", ["口腔", "义诊", "手术"]),
    ("spine", ["endo", "plif", "手术"]),
    ("clinic", ["口腔", "口腔", "门诊"]),
]


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    c = catalog.connect(tmp_path / "catalog.sqlite3")
    keyword.index_tokens(c, CHUNKS)
    return c


def test_search_ranks_by_bm25(conn: sqlite3.Connection) -> None:
    assert [i for i, _ in keyword.search(conn, ["口腔"], 10)] == ["clinic", "dental"]  # twice beats once
    assert [i for i, _ in keyword.search(conn, ["膝关节", "手术"], 10)][0] == "knee"  # the rare word leads
    assert {i for i, _ in keyword.search(conn, ["手术"], 10)} == {"knee", "dental", "spine"}


def test_search_scores_are_higher_for_better_matches(conn: sqlite3.Connection) -> None:
    found = keyword.search(conn, ["膝关节", "手术"], 10)
    scores = [s for _, s in found]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1] > 0


def test_search_honours_the_limit(conn: sqlite3.Connection) -> None:
    assert len(keyword.search(conn, ["手术"], 2)) == 2


@pytest.mark.parametrize("tokens", [[], [""], ["不存在"], ['a"b'], ["AND"], ["*"]])
def test_search_for_nothing_or_for_syntax_finds_nothing(conn: sqlite3.Connection, tokens: list[str]) -> None:
    assert keyword.search(conn, tokens, 10) == []


def test_indexing_a_chunk_again_replaces_its_tokens(conn: sqlite3.Connection) -> None:
    keyword.index_tokens(conn, [("clinic", ["门诊"])])
    assert [i for i, _ in keyword.search(conn, ["口腔"], 10)] == ["dental"]
    assert conn.execute("SELECT count(*) FROM chunk_fts").fetchone()[0] == 4


def test_document_frequencies_count_chunks_not_occurrences(conn: sqlite3.Connection) -> None:
    df, n = keyword.document_frequencies(conn, ["口腔", "手术", "不存在", "口腔"])
    assert (df, n) == ({"口腔": 2, "手术": 3, "不存在": 0}, 4)


def test_a_hyphenated_term_counts_by_its_rarest_part(conn: sqlite3.Connection) -> None:
    df, _ = keyword.document_frequencies(conn, ["endo-plif", "endo-xyz", "endo"])
    assert df == {"endo-plif": 1, "endo-xyz": 0, "endo": 1}


def test_idf_is_bm25s() -> None:
    assert keyword.idf(0, 4) == pytest.approx(math.log(1 + 4.5 / 0.5))
    assert keyword.idf(1, 4) == pytest.approx(math.log(1 + 3.5 / 1.5))
    assert keyword.idf(4, 4) == pytest.approx(math.log(1 + 0.5 / 4.5))
    assert keyword.idf(0, 4) > keyword.idf(1, 4) > keyword.idf(4, 4) > 0  # never used weighs the most


def test_clear_empties_the_index(conn: sqlite3.Connection) -> None:
    keyword.clear(conn)
    assert keyword.search(conn, ["口腔"], 10) == []
    assert keyword.document_frequencies(conn, ["口腔"]) == ({"口腔": 0}, 0)
