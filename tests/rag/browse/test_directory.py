"""科室与人物: bylines and names given with a role, never words picked out of body text."""

from __future__ import annotations

from pathlib import Path

from conftest import ARCHIVE, FIXTURES, fake_archive, hostile_issue

from ingest import ingest_paths
from rag import directory
from rag.store import catalog


def test_the_directory_is_bylines_and_role_names_only(tmp_path: Path) -> None:
    arch = fake_archive(tmp_path / "var")
    ingest_paths(arch, [ARCHIVE, FIXTURES / "issue_220.txt", hostile_issue(tmp_path)])
    entries = {e.name: e for e in directory(arch)}
    lexicon = dict(catalog.lexicon(arch.conn))
    # what the archive's dictionary caught from body text, and must not be listed: a verb, a cut phrase, another
    # hospital's unit (山西省肿瘤医院临床营养科 → 西省肿瘤医院临床营养科)
    junk = [w for w in ("踊跃", "队获得", "西省肿瘤医院临床营养科") if w in lexicon]
    assert junk == ["踊跃", "队获得", "西省肿瘤医院临床营养科"]
    assert [w for w in junk if w in entries] == []
    # every byline is there, with what it signed
    bylines = {(n, k) for a in arch.articles() for n, k in ((a.department, "department"), (a.author, "person"))}
    assert {(n, k) for n, k in bylines if n} <= {(e.name, e.kind) for e in entries.values()}
    assert [(a.total_no, a.title) for a in entries["王芳"].bylines] == [
        (220, "眼科完成首例飞秒激光白内障手术"), (231, "眼科完成首例 角膜移植 手术<img src=x onerror=alert(1)>")]
    # names given with a role in the text are people too, with where they appear
    assert entries["王慧云"].kind == "person" and entries["王慧云"].bylines == ()
    assert [(a.total_no, a.title) for a in entries["刘建华"].mentions] == [(231, "医院召开第三季度医疗质量分析会")]
    assert all(e.kind in ("department", "person") and (e.bylines or e.mentions) for e in entries.values())
