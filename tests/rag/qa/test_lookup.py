"""rag.qa.lookup over an archive that changes: the titles and bylines a question is matched against are read
once per archive generation, and an added or removed issue is seen by the next question."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from conftest import fake_archive

from ingest import document_issue, ingest_documents, remove_issue
from rag.qa import lookup
from rag.store import catalog

FIRST = "山地救援队完成冬季拉练"
SECOND = "社区图书馆延长开放时间"


def test_a_title_question_sees_issues_added_and_removed_after_its_first_question(tmp_path: Path) -> None:
    archive = fake_archive(tmp_path / "var")
    ingest_documents(archive, [document_issue(1, "d1", FIRST, "队员们在雪地里练习了绳索救援。", "2025-01-05")])
    assert [a.title for a in lookup.titled(archive, f"《{FIRST}》讲了什么？")] == [FIRST]
    assert lookup.titled(archive, f"《{SECOND}》讲了什么？") == []  # read once: the titles are now held

    ingest_documents(archive, [document_issue(2, "d2", SECOND, "开放时间延长到晚上九点。", "2025-01-06")])
    assert [a.title for a in lookup.titled(archive, f"《{SECOND}》讲了什么？")] == [SECOND]
    assert [a.title for a in lookup.titled(archive, "《冬季拉练》在哪一版？")] == []  # too short a part to match

    assert remove_issue(archive, 1)
    assert lookup.titled(archive, f"《{FIRST}》讲了什么？") == []
    assert [a.title for a in lookup.titled(archive, f"《{SECOND}》讲了什么？")] == [SECOND]
    archive.close()


def test_a_part_of_a_title_long_enough_finds_every_article_in_reading_order(tmp_path: Path) -> None:
    archive = fake_archive(tmp_path / "var")
    ingest_documents(archive, [document_issue(n, f"d{n}", f"{FIRST}（第{n}篇）", "正文。", f"2025-0{n}-01")
                               for n in (3, 1, 2)])
    found = lookup.titled(archive, f"《{FIRST}》一共登了几篇？")
    assert [a.title for a in found] == [f"{FIRST}（第{n}篇）" for n in (1, 2, 3)]
    archive.close()


def test_a_page_listing_gives_each_title_with_its_subtitle(tmp_path: Path) -> None:
    archive = fake_archive(tmp_path / "var")
    issue = document_issue(120, "d1", FIRST, "队员们在雪地里练习了绳索救援。", "2025-01-05")
    page = issue.pages[0]
    titled = replace(page.articles[0], subtitle="——记救援队队长")
    ingest_documents(archive, [replace(issue, pages=(replace(page, articles=(titled,)),))])
    ans = lookup.page_listing(archive, "第1版有哪些文章？", [catalog.issue_row(archive.conn, 120)], 1)
    assert ans is not None and ans.answer == f"《{FIRST}——记救援队队长》"  # the dash is printed once
    archive.close()
