"""Ingest: idempotent, all-or-nothing, replace only on request, nothing lost on bad input or a kill."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, SAMPLE_215, run_cli, subprocess_env

from ingest import build_lexicon, ingest_file, ingest_paths, parse_file, remove_issue
from ingest.chunk import chunk_article
from rag import Archive, ConfigError, IssueConflictError, load_settings
from rag.store import ArticleRow, catalog, keyword
from rag.text import split_sentences

FIXTURE = FIXTURES / "issue_220.txt"


def _archive(data: Path, **kw: object) -> Archive:
    return Archive(load_settings(env={}, data_dir=data, **kw))


def _changed_fixture(tmp_path: Path) -> Path:
    changed = tmp_path / "issue_220_v2.txt"
    text = FIXTURE.read_text(encoding="utf-8").replace("为200余名居民", "为300余名居民")
    changed.write_text(text, encoding="utf-8")
    return changed


def _state(archive: Archive) -> tuple[object, ...]:
    """Everything a user can see of the archive."""
    conn = archive.conn
    return (
        catalog.counts(conn),
        [(i.total_no, i.content_key) for i in catalog.list_issues(conn)],
        [(a.id, a.title, a.body) for a in catalog.list_articles(conn)],
        sorted(catalog.all_chunk_ids(conn)),
        sorted(r[0] for r in conn.execute("SELECT chunk_id FROM chunk_fts")),
    )


def test_cli_ingest_prints_a_summary_lists_the_contract_json_and_stays_offline(tmp_path: Path) -> None:
    data, netlog = tmp_path / "var", tmp_path / "net.log"
    env = subprocess_env(data, netlog)
    out = run_cli(["-m", "ingest", str(FIXTURE)], env)
    assert out.returncode == 0, out.stderr
    assert "新增 added" in out.stdout and "2026年第9期（总第220期）" in out.stdout
    listing = json.loads(run_cli(["-m", "ingest", "--list", "--json"], env).stdout)
    assert [(i["issue_no"], i["total_no"], i["date"], i["source"]) for i in listing] == [
        (9, 220, "2026-09-01", "issue_220.txt")
    ]
    assert [(a["page"], a["page_inferred"], a["title"], a["department"], a["author"]) for a in listing[0]["articles"]] == [
        (1, False, "医院召开第三季度医疗质量分析会", "医务部", "张明"),
        (2, True, "眼科完成首例飞秒激光白内障手术", "眼科", "王芳"),
        (3, True, "心血管内科开展高血压义诊", "心血管内科", "李华"),
        (4, False, "职工羽毛球比赛圆满落幕", "工会", "赵强"),
    ]
    fixture_lines = (FIXTURES / "issue_220.txt").read_text(encoding="utf-8").splitlines()
    eye = [ln for ln in fixture_lines if ln.startswith(("近日，晋城大医院眼科", "眼科主任王芳介绍"))]
    assert listing[0]["articles"][1]["chars"] == sum(len(ln) for ln in eye)  # body text only, no title or byline
    assert not netlog.exists() or netlog.read_text() == "", netlog.read_text()


def test_the_same_issue_twice_duplicates_nothing(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "var")
    first = ingest_file(archive, FIXTURE)
    before = _state(archive)
    again = ingest_paths(archive, [FIXTURE, FIXTURE])
    assert first.status == "added" and [r.status for r in again] == ["unchanged", "unchanged"]
    assert _state(archive) == before
    assert archive.store().count() == catalog.counts(archive.conn)["chunks"] == first.chunks


def test_a_changed_issue_is_refused_without_replace_and_replaced_whole_with_it(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "var")
    ingest_file(archive, FIXTURE)
    before = _state(archive)
    changed = _changed_fixture(tmp_path)
    with pytest.raises(IssueConflictError, match="--replace"):
        ingest_file(archive, changed)
    assert _state(archive) == before
    res = ingest_file(archive, changed, replace=True)
    assert res.status == "replaced" and res.embedded == 1  # only the changed chunk is embedded again
    bodies = "\n".join(a.body for a in catalog.list_articles(archive.conn))
    assert "300余名居民" in bodies and "200余名居民" not in bodies
    assert [i.source for i in catalog.list_issues(archive.conn)] == ["issue_220_v2.txt"]
    assert archive.store().all_ids() == catalog.all_chunk_ids(archive.conn)  # the old vector is gone


def test_cli_refuses_a_changed_issue_with_one_clear_line_and_exit_code(tmp_path: Path) -> None:
    data = tmp_path / "var"
    env = subprocess_env(data)
    assert run_cli(["-m", "ingest", "--quiet", str(FIXTURE)], env).returncode == 0
    out = run_cli(["-m", "ingest", "--quiet", str(_changed_fixture(tmp_path))], env)
    assert out.returncode == 1
    line = out.stderr.strip().splitlines()[-1]
    assert line.startswith("总第220期已在档案中") and "--replace" in line


def test_a_bad_file_among_good_ones_is_reported_and_the_rest_ingested(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    archive = _archive(tmp_path / "var")
    results = ingest_paths(archive, [empty, FIXTURE])
    assert [r.status for r in results] == ["error", "added"]
    assert results[0].error.startswith("文件为空") and "empty.txt" in results[0].error


def test_removing_an_issue_removes_its_articles_chunks_keywords_and_vectors(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "var")
    ingest_file(archive, FIXTURE)
    assert remove_issue(archive, 220) is True
    assert catalog.counts(archive.conn) == {"issues": 0, "articles": 0, "chunks": 0}
    assert archive.conn.execute("SELECT count(*) FROM chunk_fts").fetchone()[0] == 0
    assert archive.store().count() == 0
    assert remove_issue(archive, 220) is False


def test_killing_a_real_ingest_midway_leaves_the_archive_exactly_as_it_was(tmp_path: Path) -> None:
    data = tmp_path / "var"
    archive = _archive(data)
    ingest_file(archive, FIXTURE)
    before = _state(archive)
    listing_before = run_cli(["-m", "ingest", "--list", "--json"], subprocess_env(data)).stdout
    archive.close()

    # Replace the fixture issue with a big one (the 215 sample renumbered), one chunk per batch, and kill
    # the process once a few batches of vectors have been written.
    big = tmp_path / "issue_220_big.txt"
    big.write_text(SAMPLE_215.read_text(encoding="utf-8").replace("第4期总第215期", "第9期总第220期")
                   .replace("2026年4月", "2026年9月").replace("星期三", "星期二"), encoding="utf-8")
    env = subprocess_env(data, YBQA_EMBED_BATCH="1")
    proc = subprocess.Popen([sys.executable, "-m", "ingest", "--replace", str(big)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        seen += os.read(proc.stderr.fileno(), 256)
        if max((int(n) for n in re.findall(rb"\| (\d+)/\d+", seen)), default=0) >= 3:
            break
    assert proc.poll() is None, "ingest ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    archive = _archive(data)
    assert _state(archive) == before
    assert run_cli(["-m", "ingest", "--list", "--json"], subprocess_env(data)).stdout == listing_before
    assert archive.store().count() > before[0]["chunks"]  # type: ignore[index]  # vectors left behind…
    archive.close()
    rerun = run_cli(["-m", "ingest", "--quiet", str(FIXTURE)], subprocess_env(data))
    assert rerun.returncode == 0 and "未变 unchanged" in rerun.stdout
    archive = _archive(data)
    assert archive.store().all_ids() == catalog.all_chunk_ids(archive.conn)  # …are orphans, removed next run


def test_chunks_are_whole_sentences_with_every_citation_field_and_stable_ids() -> None:
    settings = load_settings(env={}, chunk_size=120, chunk_overlap=40)
    issue = parse_file(SAMPLE_215)
    art = next(a for a in issue.articles if a.title.startswith("骨科医院"))
    chunks = chunk_article(issue, art, "215-04-x", settings.chunking)
    sentences = [s for p in art.paragraphs for s in split_sentences(p)]
    assert len(chunks) >= 3
    covered = [s for c in chunks for s in split_sentences(c.text)]
    assert list(dict.fromkeys(covered)) == list(dict.fromkeys(sentences))  # every sentence, in order, none lost
    for c in chunks:
        assert c.embed_text == f"{art.title}\n{c.text}"
        parts = [s for s in sentences if s in c.text]
        assert "".join(parts) == c.text.replace("\n", "")  # whole sentences only; paragraph breaks kept
        assert len(c.text) <= 120 or len(parts) == 1
        s = c.source
        assert (s.total_no, s.issue_no, s.date, s.page, s.page_inferred, s.department, s.author, s.article_id) == (
            215, 4, "2026-04-01", 3, True, "脊柱微创骨科", "付宇捷", "215-04-x")
    assert chunks[1].text.startswith(split_sentences(chunks[0].text)[-1])  # overlap of whole sentences
    again = chunk_article(parse_file(SAMPLE_215), art, "215-04-x", settings.chunking)
    assert [c.id for c in again] == [c.id for c in chunks]
    assert len({c.id for c in chunks}) == len(chunks)


def test_settings_name_the_bad_value() -> None:
    with pytest.raises(ConfigError, match=r"chunk_overlap \(300\) must be >= 0 and < chunk_size \(200\)"):
        load_settings(env={}, chunk_size=200, chunk_overlap=300)
    with pytest.raises(ConfigError, match="YBQA_CHUNK_SIZE"):
        load_settings(env={"YBQA_CHUNK_SIZE": "big"})
    assert load_settings(env={"YBQA_DATA_DIR": "/tmp/elsewhere"}).catalog_path == Path("/tmp/elsewhere/catalog.sqlite3")


def test_archive_dictionary_keeps_departments_people_and_terms_whole(sample_data_dir: Path) -> None:
    archive = _archive(sample_data_dir)
    words = dict(catalog.lexicon(archive.conn))
    assert words["脊柱微创骨科"] == "department" and words["付宇捷"] == "person"
    assert words["神经内科"] == "department" and words["王慧云"] == "person"
    assert words["endo-plif"] == "term"
    tok = archive.tokenizer()
    assert "脊柱微创骨科" in tok.tokens("脊柱微创骨科开展了什么手术")
    assert tok.tokens("ENDO-plif") == tok.tokens("Endo-PLIF") == ["endo-plif"]


def test_keyword_index_finds_a_latin_term_in_any_case(sample_data_dir: Path) -> None:
    archive = _archive(sample_data_dir)
    hits = keyword.search(archive.conn, archive.tokenizer().tokens("endo-plif"), 5)
    rows = catalog.chunk_rows(archive.conn, [h[0] for h in hits])
    assert hits and all(rows[h[0]][1].title == "骨科医院脊柱微创治疗领域实现再突破" for h in hits)


def test_adding_an_issue_tokenizes_only_what_it_touches_and_the_index_equals_a_full_rebuild(tmp_path: Path) -> None:
    """Incremental: a new issue's chunks, plus the old chunks that contain a word its bylines added to the
    dictionary, are tokenized again — nothing else — and the index is the one a full rebuild gives."""
    from conftest import ARCHIVE, fake_archive

    from ingest.pipeline import rebuild_keyword_index, refresh_keyword_index

    archive = fake_archive(tmp_path / "var")
    ingest_paths(archive, [ARCHIVE])
    before = archive.counts()["chunks"]
    calls: list[int] = []
    original = refresh_keyword_index

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(original(*args, **kwargs))
        return calls[-1]

    import ingest.pipeline as pipeline

    pipeline.refresh_keyword_index = counting  # type: ignore[assignment]
    try:
        ingest_file(archive, FIXTURE)
    finally:
        pipeline.refresh_keyword_index = original  # type: ignore[assignment]
    new_chunks = archive.counts()["chunks"] - before
    assert new_chunks <= calls[0] < archive.counts()["chunks"]  # the new issue, and not the whole archive

    def index() -> list[tuple[str, str]]:
        return sorted(archive.conn.execute("SELECT chunk_id, tokens FROM chunk_fts").fetchall())

    incremental, lexicon = index(), catalog.lexicon(archive.conn)
    with catalog.transaction(archive.conn):
        assert rebuild_keyword_index(archive) == archive.counts()["chunks"]
    assert catalog.lexicon(archive.conn) == lexicon and index() == incremental


def test_a_name_read_after_a_role_needs_a_surname_a_byline_none() -> None:
    body = ("院长助理顾明川出席。骨科主治医师林知远主刀，团员踊跃参与。护士长沈若溪带队。"
            "各科主任踊跃发言，口腔科主任获奖感言真挚。")
    row = ArticleRow(id="a1", total_no=1, issue_no=1, year=2026, date="2026-01-01", seq=1, page=1,
                     page_inferred=False, title="题", subtitle="", kind="news", department="口腔科", author="若溪",
                     editor_note="", body=body, chars=len(body))
    words = build_lexicon([row])
    assert words["林知远"] == words["沈若溪"] == words["若溪"] == "person"  # the byline's name needs no surname
    assert "踊跃" not in words and "获奖" not in words  # a word after a role, not a name


def test_a_signature_naming_the_papers_own_institution_adds_no_department() -> None:
    body = "新的一年，我们向全体职工致以问候。"
    row = ArticleRow(id="a1", total_no=1, issue_no=1, year=2027, date="2027-01-01", seq=1, page=1,
                     page_inferred=False, title="新年献辞", subtitle="", kind="news", department="某某市人民医院",
                     author="甲乙丙、丁戊", editor_note="", body=body, chars=len(body))
    words = build_lexicon([row], frozenset({"某某市人民医院"}))
    assert "某某市人民医院" not in words  # the paper itself: never the answer to 哪个科室
    assert words["甲乙丙"] == words["丁戊"] == "person"
    assert build_lexicon([row])["某某市人民医院"] == "department"  # another unit's byline is one


def test_a_given_name_ending_in_a_character_that_begins_a_verb_is_read_whole() -> None:
    body = "会议由党委副书记、院长周建强主持。副院长林景深入病区。"
    row = ArticleRow(id="a1", total_no=1, issue_no=1, year=2026, date="2026-01-01", seq=1, page=1,
                     page_inferred=False, title="题", subtitle="", kind="news", department="办公室", author="某某",
                     editor_note="", body=body, chars=len(body))
    words = build_lexicon([row])
    assert words["周建强"] == "person" and "周建" not in words  # 强 ends the name only as 强调
    assert words["林景"] == "person"  # 深入 is the verb after the name


def test_a_profiles_subtitle_marker_is_not_read_as_the_start_of_a_unit() -> None:
    body = "他每天第一个到药房。"
    row = ArticleRow(id="a1", total_no=1, issue_no=1, year=2026, date="2026-01-01", seq=1, page=4,
                     page_inferred=False, title="三十年守着药房", subtitle="——记药学部党支部书记王若溪", kind="news",
                     department="", author="某某", editor_note="", body=body, chars=len(body))
    words = build_lexicon([row])
    assert words["药学部"] == "department" and "记药学部" not in words  # ——记 opens a profile
    assert words["王若溪"] == "person"  # a name that ends its line
