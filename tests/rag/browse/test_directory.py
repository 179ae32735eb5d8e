"""科室与人物: bylines and names given with a role, never words picked out of body text."""

from __future__ import annotations

from pathlib import Path

from conftest import ARCHIVE, FIXTURES, fake_archive, hostile_issue

from ingest import ingest_paths, refresh_listings, remove_issue
from rag import Archive, directory, directory_entry, directory_search
from rag.store import catalog, listings
from rag.text import Tokenizer


def test_the_directory_is_bylines_and_role_names_only(tmp_path: Path) -> None:
    arch = fake_archive(tmp_path / "var")
    ingest_paths(arch, [ARCHIVE, FIXTURES / "issue_220.txt", hostile_issue(tmp_path)])
    entries = {e.name: e for e in directory(arch)}
    lexicon = dict(catalog.lexicon(arch.conn))
    # a word after a role needs a surname to be read as a name (not 踊跃, not 队获得) …
    assert [w for w in ("踊跃", "队获得") if w in lexicon] == []
    # … and what the dictionary still catches from body text is not listed: another hospital's unit
    # (山西省肿瘤医院临床营养科 → 西省肿瘤医院临床营养科)
    assert "西省肿瘤医院临床营养科" in lexicon and "西省肿瘤医院临床营养科" not in entries
    # every byline is there, with what it signed
    bylines = {(n, k) for a in arch.articles() for n, k in ((a.department, "department"), (a.author, "person"))}
    assert {(n, k) for n, k in bylines if n} <= {(e.name, e.kind) for e in entries.values()}
    assert [(a.total_no, a.title) for a in entries["王芳"].bylines] == [
        (220, "眼科完成首例飞秒激光白内障手术"), (231, "眼科完成首例 角膜移植 手术<img src=x onerror=alert(1)>")]
    # names given with a role in the text are people too, with where they appear
    assert entries["王慧云"].kind == "person" and entries["王慧云"].bylines == ()
    assert [(a.total_no, a.title) for a in entries["刘建华"].mentions] == [(231, "医院召开第三季度医疗质量分析会")]
    assert all(e.kind in ("department", "person") and (e.bylines or e.mentions) for e in entries.values())


def _rows(arch: Archive) -> set[tuple[str, str, str, int]]:
    return set(arch.conn.execute("SELECT name, kind, article_id, signed FROM directory").fetchall())


def test_the_directory_is_kept_at_ingest_and_follows_each_issue_added_and_removed(tmp_path: Path) -> None:
    arch = fake_archive(tmp_path / "var")
    ingest_paths(arch, [ARCHIVE])
    before = _rows(arch)
    # written by the ingest itself: the page reads rows, it never scans the articles
    assert before and not any(signed for name, _, _, signed in before if name == "王芳")
    ingest_paths(arch, [FIXTURES / "issue_220.txt"])
    signed = next(a for a in arch.articles() if a.author == "王芳")
    named = next(a for a in arch.articles(215) if "王芳" in a.body)  # an older issue naming her
    assert {("王芳", "person", signed.id, 1), ("王芳", "person", named.id, 0)} <= _rows(arch)
    assert [(x.name, x.signed, x.named) for x in directory_search(arch, "王芳")[0]] == [("王芳", 1, 1)]
    # the incremental rows are exactly what building the directory from scratch gives
    with catalog.transaction(arch.conn):
        incremental = _rows(arch)
        listings.rebuild(arch.conn, lambda: Tokenizer())
        assert _rows(arch) == incremental
    # removing the issue takes its rows with it: 王芳 signs only in 220, and is named with a role in 215
    assert remove_issue(arch, 220)
    assert [(x.name, x.signed, x.named) for x in directory_search(arch, "王芳")[0]] == [("王芳", 0, 1)]
    assert _rows(arch) == before


def test_the_directory_is_searchable_with_counts_most_articles_first(tmp_path: Path) -> None:
    arch = fake_archive(tmp_path / "var")
    ingest_paths(arch, [ARCHIVE, FIXTURES / "issue_220.txt"])
    found, total = directory_search(arch, "科", "department")
    assert found and all("科" in x.name and x.kind == "department" for x in found) and total == len(found)
    counts = [x.signed + x.named for x in found]
    assert counts == sorted(counts, reverse=True)
    assert directory_search(arch, "", "", limit=2)[0] == directory_search(arch)[0][:2]
    assert directory_search(arch, "", "")[1] == len(directory(arch))
    entry = directory_entry(arch, "王芳")
    assert entry is not None and entry.kind == "person" and len(entry.bylines) == 1 and len(entry.mentions) == 1


def test_generic_words_beside_a_role_are_not_people_names_are() -> None:
    tok = Tokenizer()
    # words the role patterns catch on news text (院长工作…, 主任高级…): a verb, a noun, an adjective, an organ of
    # state, a common word that can be a name (陆军), a word and a half (关于加)
    for word in ("工作", "进行", "高级", "党中央", "查验", "陆军", "关于加", "原副"):
        assert not listings.accepted(word, "person", tok), word
    for word in ("王慧云", "周殿友", "李国英"):
        assert listings.accepted(word, "person", tok), word
    assert not listings.accepted("各职能部", "department", tok) and listings.accepted("心血管内科", "department", tok)


def test_a_catalog_from_before_the_lists_gets_them_built_once(tmp_path: Path) -> None:
    arch = fake_archive(tmp_path / "var")
    ingest_paths(arch, [ARCHIVE, FIXTURES / "issue_220.txt"])
    rows, events = _rows(arch), arch.conn.execute("SELECT * FROM events ORDER BY article_id, seq").fetchall()
    arch.conn.execute("DELETE FROM directory")
    arch.conn.execute("DELETE FROM events")
    arch.conn.execute("DELETE FROM meta WHERE key IN ('directory_rules', 'timeline_rules')")
    assert refresh_listings(arch) and not refresh_listings(arch)  # built once, then left alone
    assert _rows(arch) == rows and arch.conn.execute("SELECT * FROM events ORDER BY article_id, seq").fetchall() == events
