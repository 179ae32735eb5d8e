"""大事记: one row per milestone, one date format, sorted either way, and nothing that merely uses the words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ARCHIVE, FIXTURES, fake_archive

from ingest import ingest_paths, remove_issue
from rag import Archive, milestones, timeline_page
from rag.browse.timeline import event_date


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    arch = fake_archive(tmp_path_factory.mktemp("timeline") / "var")
    ingest_paths(arch, [ARCHIVE, FIXTURES / "issue_220.txt"])
    return arch


def test_dates_are_iso_when_the_day_is_known_else_year_and_month_with_the_issue_year_filled_in() -> None:
    assert event_date("6月11日", "2026-07-01") == ("2026-06-11", "2026-06-11")
    assert event_date("2024年5月", "2026-07-01") == ("2024年5月", "2024-05-00")
    assert event_date("2005年起", "2026-07-01") == ("2005年", "2005-00-00")
    assert event_date("7月初", "2026-07-01") == ("2026年7月", "2026-07-00")
    assert event_date("12月28日", "2027-01-01") == ("2026-12-28", "2026-12-28")  # last year's December
    assert event_date("8月1日", "2026-07-01") == ("2026-08-01", "2026-08-01")  # announced ahead, same year
    assert event_date("2月30日", "2026-03-01") == ("2026年2月", "2026-02-00")  # no such day
    assert event_date("2026年", "2026-07-01") == ("2026年", "2026-00-00")


def test_the_timeline_is_the_milestones_one_row_each_newest_first(archive: Archive) -> None:
    rows = [(m.date, m.citation.source.total_no, m.text) for m in milestones(archive)]
    assert rows == [
        ("2026-06-11", 218, "规范化外科营养诊疗共建病房启动会顺利召开"),
        ("2026-03-13", 215, "晋城大医院与晋城市城区东吕匠百合养老服务中心举行了签约仪式。"),
        ("2026年", 220, "眼科完成首例飞秒激光白内障手术"),
        ("2026年", 218, "康复科在国家级、省级赛事中斩获多项荣誉"),
        ("2026年", 218, "成为晋城地区首家国家级规范化诊疗达标单位。"),
        ("2026年", 215, "晋城大医院妇科主任霍洁，从医二十余年，她率先在晋城市开展早期宫颈癌微创根治术、腹腔镜下低位腹主动脉淋巴结切除术，"
                        "填补了区域技术空白。"),
        ("2026年", 215, "近日,晋城大医院脊柱微创骨科成功完成首例脊柱内镜下腰椎间盘切除椎管减压椎间植骨融合内固定术(Endo-plif)。"),
        ("2024年5月", 218, "2024年5月正式通过国家ILD专病门诊规范化建设评审"),
        ("2023年9月", 215, "2023年9月，由工会女工部牵头组织的“紫薇花”女性成长沙龙正式启动。"),
        ("2019年", 218, "2019年成立ILD博士工作站"),
        ("2005年", 218, "晋城大医院从2005年起率先开展尘肺大容量肺灌洗"),
    ]


def test_one_date_format_and_both_orders_sorted(archive: Archive) -> None:
    newest, oldest = milestones(archive), milestones(archive, newest_first=False)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{4}年(?:\d{1,2}月)?", m.date) for m in newest)
    assert [m.sort_key for m in newest] == sorted((m.sort_key for m in newest), reverse=True)
    assert oldest == newest[::-1]


def test_speech_back_references_and_everyday_uses_of_the_words_are_not_milestones(archive: Archive) -> None:
    texts = "\n".join(m.text for m in milestones(archive))
    for not_a_milestone in ("表示", "以来", "为契机", "成立105周年", "代表队获得", "启动应急", "获得团体"):
        assert not_a_milestone not in texts
    # the launch of 6月11日 is told three times in its article (headline, lead, body): one row
    assert sum("共建病房" in t for t in texts.splitlines()) == 1


def test_an_event_reprinted_in_another_issue_is_one_row(tmp_path: Path) -> None:
    arch = fake_archive(tmp_path / "var")
    again = tmp_path / "issue_230.txt"
    again.write_text((FIXTURES / "issue_220.txt").read_text(encoding="utf-8").replace(
        "第9期总第220期", "第10期总第230期").replace("2026年9月\n1\n星期二", "2026年10月\n1\n星期四"), encoding="utf-8")
    ingest_paths(arch, [FIXTURES / "issue_220.txt", again])
    assert [(m.date, m.citation.source.total_no, m.text) for m in milestones(arch)] == [
        ("2026年", 220, "眼科完成首例飞秒激光白内障手术")]


def test_the_timeline_is_kept_at_ingest_and_read_in_pages_with_year_and_department_filters(archive: Archive) -> None:
    rows = milestones(archive)
    stored = archive.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    assert stored >= len(rows) >= 5  # found at ingest; a reprint is merged when read
    first, second = timeline_page(rows, 1, 3), timeline_page(rows, 2, 3)
    assert first.rows == tuple(rows[:3]) and second.rows == tuple(rows[3:6])
    assert first.pages == -(-len(rows) // 3) and first.total == len(rows)
    assert timeline_page(rows, 99, 3).page == first.pages and timeline_page(rows, 0, 3).page == 1
    year = rows[-1].sort_key[:4]
    of_year = timeline_page(rows, 1, 50, year=year)
    assert of_year.rows and all(r.sort_key.startswith(year) for r in of_year.rows) and of_year.total < len(rows)
    assert year in first.years and list(first.years) == sorted(first.years, reverse=True)
    dept = next(r.citation.source.department for r in rows if r.citation.source.department)
    of_dept = timeline_page(rows, 1, 50, department=dept)
    assert of_dept.rows and all(r.citation.source.department == dept for r in of_dept.rows) and dept in first.departments
    assert timeline_page(rows, 1, 50, year="1900").rows == ()
    with pytest.raises(ValueError, match="page size"):
        timeline_page(rows, 1, 0)


def test_removing_an_issue_removes_its_milestones(tmp_path: Path) -> None:
    arch = fake_archive(tmp_path / "var")
    ingest_paths(arch, [ARCHIVE, FIXTURES / "issue_220.txt"])
    assert any("飞秒激光" in m.text for m in milestones(arch))
    remove_issue(arch, 220)
    assert not any("飞秒激光" in m.text for m in milestones(arch))
    assert arch.conn.execute("SELECT count(*) FROM events e JOIN articles a ON a.id=e.article_id "
                             "WHERE a.total_no=220").fetchone()[0] == 0
