"""PDF issues: real page numbers, and spread pages split into their halves in the right order."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfmaker import make_pdf

from ingest import parse_file
from rag import IssueParseError

MASTHEAD = ["晋城大医院", "全国优秀医院报刊 第9期总第220期 责编王雅楠", "2026年9月", "1", "星期二"]


def _article(title: str, dept: str, author: str, topic: str) -> list[str]:
    return [
        title,
        f"近日，晋城大医院{dept}{topic}，为患者提供了更加优质、便捷、安全的医疗服务，受到群众的一致好评和广泛认可。",
        f"{dept}负责人表示，将继续以患者为中心，不断提升{topic}的服务水平，推动医院高质量发展。",
        f"({dept} {author})",
    ]


PAGE1 = MASTHEAD + _article("医院召开年度安全工作会议", "医务部", "张明", "召开年度安全工作会议")
PAGE2 = _article("心血管内科开展义诊活动", "心血管内科", "李华", "在社区开展义诊活动")
PAGE3 = _article("眼科完成首例飞秒激光手术", "眼科", "王芳", "完成首例飞秒激光手术")
PAGE4 = _article("工会举办职工羽毛球比赛", "工会", "赵强", "举办职工羽毛球比赛")


def _pages(path: Path) -> list[tuple[int, bool, str, str, str]]:
    return [(a.page, a.page_inferred, a.title, a.department, a.author) for a in parse_file(path).articles]


def test_spread_pdf_is_split_into_halves_and_numbered_as_the_folded_paper(tmp_path: Path) -> None:
    # sheet 1 shows p4 | p1 (outer side), sheet 2 shows p2 | p3 (inner side)
    pdf = make_pdf(tmp_path / "spread.pdf", [PAGE4, PAGE1, PAGE2, PAGE3], spread=True)
    issue = parse_file(pdf)
    assert (issue.issue_no, issue.total_no, issue.date, issue.weekday) == (9, 220, "2026-09-01", "星期二")
    assert _pages(pdf) == [
        (1, False, "医院召开年度安全工作会议", "医务部", "张明"),
        (2, False, "心血管内科开展义诊活动", "心血管内科", "李华"),
        (3, False, "眼科完成首例飞秒激光手术", "眼科", "王芳"),
        (4, False, "工会举办职工羽毛球比赛", "工会", "赵强"),
    ]
    first = issue.articles[0]
    assert first.paragraphs[0].startswith("近日，晋城大医院医务部召开年度安全工作会议")
    assert len(first.paragraphs) == 2  # wrapped lines joined into their paragraph


def test_portrait_pdf_uses_the_real_page_order(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "portrait.pdf", [PAGE1, PAGE2, PAGE3])
    assert [p[:3] for p in _pages(pdf)] == [
        (1, False, "医院召开年度安全工作会议"), (2, False, "心血管内科开展义诊活动"), (3, False, "眼科完成首例飞秒激光手术"),
    ]


def test_printed_page_marks_number_the_pages(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "marked.pdf", [["第3版", *PAGE3], ["第1版", *PAGE1]])
    assert [p[:3] for p in _pages(pdf)] == [
        (1, False, "医院召开年度安全工作会议"), (3, False, "眼科完成首例飞秒激光手术"),
    ]


def test_a_file_named_pdf_that_is_not_one_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_text("这不是 PDF 文件", encoding="utf-8")
    with pytest.raises(IssueParseError, match="broken.pdf"):
        parse_file(bad)


def test_a_truncated_pdf_is_refused_with_its_name(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "whole.pdf", [PAGE1])
    bad = tmp_path / "truncated.pdf"
    bad.write_bytes(good.read_bytes()[:400])
    with pytest.raises(IssueParseError, match="truncated.pdf"):
        parse_file(bad)
