"""rag.store.catalog: the SQLite catalog in tmp_path: an issue written and removed whole, the lookups by key,
and an article row as citations and evidence read it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from handmade import DENTAL, KNEE, NURSING, NUTRITION, PUBLICATION, TOTAL_NO, tiny_issue

from rag.models import Chunk, Issue, Source
from rag.store import ArticleRow, catalog, keyword


def _rows(issue: Issue) -> list[tuple[str, object, list[Chunk]]]:
    """One chunk per paragraph, with a readable id."""
    out = []
    for seq, art in enumerate(issue.articles):
        aid = catalog.article_id(issue.total_no, seq, art)
        src = Source(issue.total_no, issue.issue_no, issue.year, issue.date, art.page, art.page_inferred, art.title,
                     art.department, art.author, aid)
        chunks = [Chunk(f"{aid}-c{i}", i, p, f"{art.title}\n{p}", src) for i, p in enumerate(art.paragraphs)]
        out.append((aid, art, chunks))
    return out


def _insert(conn: sqlite3.Connection, issue: Issue) -> None:
    with catalog.transaction(conn):
        catalog.insert_issue(conn, issue, _rows(issue), issue.content_key())  # type: ignore[arg-type]


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    return catalog.connect(tmp_path / "var" / "catalog.sqlite3")


def test_a_new_catalog_is_empty_and_versioned(conn: sqlite3.Connection) -> None:
    assert catalog.counts(conn) == {"issues": 0, "articles": 0, "chunks": 0}
    assert catalog.get_meta(conn, "schema_version") == str(catalog.SCHEMA_VERSION)
    assert catalog.list_issues(conn) == [] and catalog.publications(conn) == frozenset()


def test_meta_values_are_set_and_replaced(conn: sqlite3.Connection) -> None:
    assert catalog.get_meta(conn, "lexicon_hash") is None
    catalog.set_meta(conn, "lexicon_hash", "a")
    catalog.set_meta(conn, "lexicon_hash", "b")
    assert catalog.get_meta(conn, "lexicon_hash") == "b"


def test_an_issue_is_written_with_its_pages_articles_and_chunks(conn: sqlite3.Connection) -> None:
    issue = tiny_issue()
    _insert(conn, issue)
    assert catalog.counts(conn) == {"issues": 1, "articles": 4, "chunks": 7}
    row = catalog.issue_row(conn, TOTAL_NO)
    assert row is not None
    assert (row.total_no, row.issue_no, row.year, row.date, row.publication, row.page_count, row.kind) == (
        TOTAL_NO, 3, 2025, "2025-03-15", PUBLICATION, 2, "newspaper")
    assert row.editors == (("主编", ("韩素问",)), ("责编", ("唐亦舟",)))
    assert row.label == "2025年第3期（总第301期）" and row.content_key == issue.content_key()
    assert catalog.issue_row(conn, 999) is None


def test_articles_come_in_reading_order_with_stable_ids(conn: sqlite3.Connection) -> None:
    _insert(conn, tiny_issue())
    arts = catalog.list_articles(conn)
    assert [a.title for a in arts] == [KNEE.title, NURSING.title, DENTAL.title, NUTRITION.title]
    assert [a.id for a in arts] == [catalog.article_id(TOTAL_NO, i, a) for i, a in
                                    enumerate((KNEE, NURSING, DENTAL, NUTRITION))]
    assert arts[0].id.startswith("301-00-") and len(arts[0].id) == len("301-00-") + 10
    assert catalog.list_articles(conn, 999) == []
    assert catalog.get_article(conn, arts[2].id) == arts[2] and catalog.get_article(conn, "nope") is None


def test_article_id_depends_on_place_and_title_only() -> None:
    same = catalog.article_id(TOTAL_NO, 0, KNEE)
    assert same == catalog.article_id(TOTAL_NO, 0, KNEE)
    assert same != catalog.article_id(TOTAL_NO, 1, KNEE) and same != catalog.article_id(302, 0, KNEE)
    assert same != catalog.article_id(TOTAL_NO, 0, DENTAL)


def test_chunk_rows_join_each_chunk_to_its_article(conn: sqlite3.Connection) -> None:
    _insert(conn, tiny_issue())
    ids = sorted(catalog.all_chunk_ids(conn))
    assert len(ids) == 7
    rows = catalog.chunk_rows(conn, [ids[0], "missing"])
    assert list(rows) == [ids[0]]
    text, art = rows[ids[0]]
    assert ids[0].startswith(art.id) and text in art.paragraphs
    assert catalog.chunk_rows(conn, []) == {}


def test_embedding_rows_carry_the_filter_metadata(conn: sqlite3.Connection) -> None:
    _insert(conn, tiny_issue())
    cid, embed_text, meta = catalog.all_chunks_for_embedding(conn)[0]
    assert embed_text == f"{KNEE.title}\n{KNEE.paragraphs[0]}"
    assert meta == {"total_no": TOTAL_NO, "page": 1, "department": "运动医学科", "date_int": 20250315,
                    "article_id": cid.rsplit("-c", 1)[0]}


def test_deleting_an_issue_removes_everything_under_it(conn: sqlite3.Connection) -> None:
    _insert(conn, tiny_issue())
    _insert(conn, tiny_issue(total_no=302, issue_no=4, date="2025-04-15", articles=(KNEE,)))
    keyword.index_tokens(conn, [(cid, ["口腔"]) for cid in catalog.all_chunk_ids(conn)])
    with catalog.transaction(conn):
        gone = catalog.delete_issue(conn, TOTAL_NO)
    assert len(gone) == 7
    assert catalog.counts(conn) == {"issues": 1, "articles": 1, "chunks": 2}
    assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 1
    assert {r[0] for r in conn.execute("SELECT chunk_id FROM chunk_fts")} == catalog.all_chunk_ids(conn)
    assert catalog.delete_issue(conn, TOTAL_NO) == []  # nothing left to delete


def test_a_failed_transaction_leaves_the_catalog_as_it_was(conn: sqlite3.Connection) -> None:
    _insert(conn, tiny_issue())
    with pytest.raises(RuntimeError), catalog.transaction(conn):
        catalog.delete_issue(conn, TOTAL_NO)
        raise RuntimeError("killed mid-way")
    assert catalog.counts(conn) == {"issues": 1, "articles": 4, "chunks": 7}


def test_the_same_issue_cannot_be_inserted_twice(conn: sqlite3.Connection) -> None:
    _insert(conn, tiny_issue())
    with pytest.raises(sqlite3.IntegrityError):
        _insert(conn, tiny_issue())
    assert catalog.counts(conn)["issues"] == 1


def test_issues_numbered_looks_up_by_number_and_year(conn: sqlite3.Connection) -> None:
    _insert(conn, tiny_issue(total_no=313, issue_no=3, date="2026-03-15"))
    _insert(conn, tiny_issue())
    _insert(conn, tiny_issue(total_no=302, issue_no=4, date="2025-04-15"))
    assert [i.total_no for i in catalog.issues_numbered(conn, 3)] == [301, 313]  # by date
    assert [i.total_no for i in catalog.issues_numbered(conn, 3, 2026)] == [313]
    assert catalog.issues_numbered(conn, 3, 2024) == [] and catalog.issues_numbered(conn, 9) == []
    assert [i.total_no for i in catalog.list_issues(conn)] == [301, 302, 313]


def test_publications_are_the_names_the_issues_print(conn: sqlite3.Connection) -> None:
    _insert(conn, tiny_issue())
    doc = Issue(publication="", year=1, issue_no=9, total_no=9, date="0001-01-01", pages=tiny_issue().pages[:1],
                source="doc-0009", source_sha256="", kind="document")
    _insert(conn, doc)
    assert catalog.publications(conn) == frozenset({PUBLICATION})  # a document prints none
    assert catalog.issue_row(conn, 9).label == "doc-0009"  # type: ignore[union-attr]


def test_the_lexicon_is_replaced_whole(conn: sqlite3.Connection) -> None:
    catalog.replace_lexicon(conn, {"口腔科": "department", "许闻笛": "person"})
    catalog.replace_lexicon(conn, {"营养科": "department"})
    assert catalog.lexicon(conn) == [("营养科", "department")]


ROW = ArticleRow(id="301-02-x", total_no=301, issue_no=3, year=2025, date="2025-03-15", seq=2, page=2,
                 page_inferred=True, title="口腔科走进社区开展爱牙义诊", subtitle="", kind="news", department="口腔科",
                 author="许闻笛", editor_note="编者按：基层需要口腔医生。", body="3月20日开展义诊。为居民检查口腔！\n义诊持续一天。",
                 chars=24, issue_kind="newspaper", source_file="handmade_301.txt")


def test_article_row_source_carries_every_citation_field() -> None:
    assert ROW.source == Source(total_no=301, issue_no=3, year=2025, date="2025-03-15", page=2, page_inferred=True,
                                title="口腔科走进社区开展爱牙义诊", department="口腔科", author="许闻笛", article_id="301-02-x",
                                kind="newspaper", origin="handmade_301.txt")


def test_article_row_sentences_put_the_editors_note_first() -> None:
    assert ROW.paragraphs == ["3月20日开展义诊。为居民检查口腔！", "义诊持续一天。"]
    assert ROW.sentences() == ["编者按：基层需要口腔医生。", "3月20日开展义诊。", "为居民检查口腔！", "义诊持续一天。"]


def test_article_row_first_sentence_is_of_the_body_or_the_title() -> None:
    assert ROW.first_sentence() == "3月20日开展义诊。"
    empty = ArticleRow(**{**ROW.__dict__, "body": "", "editor_note": ""})
    assert empty.paragraphs == [] and empty.sentences() == []
    assert empty.first_sentence() == "口腔科走进社区开展爱牙义诊"
