"""rag.models: one Source from which citations are built, their lines and JSON, and an issue's content key."""

from __future__ import annotations

import dataclasses

import pytest

from rag.models import Answer, Article, Citation, Filters, Hit, Issue, Page, Source

PAPER = Source(total_no=301, issue_no=3, year=2025, date="2025-03-15", page=2, page_inferred=False,
               title="口腔科走进社区开展爱牙义诊", department="口腔科", author="许闻笛", article_id="301-02-abc",
               origin="handmade_301.txt")
DOC = Source(total_no=9, issue_no=9, year=1, date="0001-01-01", page=1, page_inferred=False, title="护理常规",
             article_id="9-00-def", kind="document", origin="doc-0009")


def test_a_newspaper_source_names_issue_page_date_title_and_byline() -> None:
    assert PAPER.issue_and_page() == "2025年第3期（总第301期） · 第2版"
    assert PAPER.line() == "2025年第3期（总第301期） · 2025-03-15 · 第2版 · 《口腔科走进社区开展爱牙义诊》（口腔科 许闻笛）"
    assert PAPER.key() == (301, 2)


def test_an_inferred_page_says_so() -> None:
    s = dataclasses.replace(PAPER, page_inferred=True)
    assert s.issue_and_page() == "2025年第3期（总第301期） · 第2版（推断）"
    assert s.line().split(" · ")[2] == "第2版（推断）"


def test_a_byline_is_left_out_when_empty_and_partial_when_half_known() -> None:
    assert dataclasses.replace(PAPER, department="", author="").line().endswith("《口腔科走进社区开展爱牙义诊》")
    assert dataclasses.replace(PAPER, department="").line().endswith("《口腔科走进社区开展爱牙义诊》（许闻笛）")


def test_a_document_is_cited_by_its_id() -> None:
    assert DOC.issue_and_page() == "doc-0009"
    assert DOC.line() == "《护理常规》（doc-0009）"
    assert DOC.key() == ("doc", "doc-0009")


def test_citation_json_has_the_contract_keys_and_values() -> None:
    c = Citation(PAPER, "为120余名居民检查口腔健康。")
    assert c.to_json() == {
        "total_no": 301, "issue_no": 3, "date": "2025-03-15", "page": 2, "page_inferred": False,
        "title": "口腔科走进社区开展爱牙义诊", "department": "口腔科", "author": "许闻笛", "quote": "为120余名居民检查口腔健康。",
    }
    assert c.line() == PAPER.line()


def test_a_hit_cites_its_chunk_unless_given_a_sentence() -> None:
    hit = Hit("c1", "第一句。第二句。", PAPER, 0.9)
    assert hit.article_id == "301-02-abc"
    assert hit.citation() == Citation(PAPER, "第一句。第二句。")
    assert hit.citation("第二句。") == Citation(PAPER, "第二句。")


def test_answer_json_rounds_and_names_its_type() -> None:
    ans = Answer(question="谁组织了义诊？", answer="许闻笛", abstained=False, citations=(Citation(PAPER, "q"),),
                 evidence=("q",), qtype="person", confidence=0.123456, latency_ms=12.345, mode="extractive")
    assert ans.to_json() == {
        "question": "谁组织了义诊？", "answer": "许闻笛", "abstained": False,
        "citations": [Citation(PAPER, "q").to_json()], "latency_ms": 12.3, "type": "person", "confidence": 0.1235,
        "mode": "extractive",
    }


def test_filters_are_empty_only_when_nothing_is_restricted() -> None:
    assert Filters().is_empty()
    for f in (Filters(total_nos=(301,)), Filters(date_from="2025-01-01"), Filters(date_to="2025-12-31"),
              Filters(pages=(1,)), Filters(departments=("口腔科",))):
        assert not f.is_empty(), f


def _article(paragraphs: tuple[str, ...], title: str = "营养科开设体重管理门诊", page: int = 1) -> Article:
    return Article(page=page, page_inferred=False, title=title, paragraphs=paragraphs, department="营养科",
                   author="沈若溪")


def _issue(*articles: Article, source: str = "a.txt", sha: str = "0" * 64) -> Issue:
    pages = tuple(Page(n, False, tuple(a for a in articles if a.page == n)) for n in sorted({a.page for a in articles}))
    return Issue(publication="青禾市人民医院", year=2025, issue_no=3, total_no=301, date="2025-03-15", pages=pages,
                 source=source, source_sha256=sha)


def test_article_body_chars_and_full_title() -> None:
    a = dataclasses.replace(_article(("第一段。", "第二段内容。")), subtitle="为超重患者量身定制")
    assert a.body == "第一段。\n第二段内容。" and a.chars == 10
    assert a.full_title == "营养科开设体重管理门诊——为超重患者量身定制"
    assert _article(("x",)).full_title == "营养科开设体重管理门诊"


def test_issue_lists_articles_in_page_order_and_labels_itself() -> None:
    late, early = _article(("二版。",), "二版文章", page=2), _article(("一版。",), "一版文章", page=1)
    issue = Issue(publication="青禾市人民医院", year=2025, issue_no=3, total_no=301, date="2025-03-15",
                  pages=(Page(2, False, (late,)), Page(1, False, (early,))), source="a.txt", source_sha256="")
    assert [a.title for a in issue.articles] == ["一版文章", "二版文章"]
    assert issue.label == "2025年第3期（总第301期）"
    assert dataclasses.replace(issue, kind="document", source="doc-1").label == "doc-1"


def test_content_key_changes_when_a_paragraph_changes() -> None:
    same = _issue(_article(("为超重患者制定膳食方案。",)))
    assert same.content_key() == _issue(_article(("为超重患者制定膳食方案。",))).content_key()
    changed = _issue(_article(("为超重患者制定运动方案。",)))
    assert changed.content_key() != same.content_key()
    assert len(same.content_key()) == 64


@pytest.mark.parametrize("change", [
    lambda a: dataclasses.replace(a, title="营养科开设减重门诊"),
    lambda a: dataclasses.replace(a, author="陆清和"),
    lambda a: dataclasses.replace(a, paragraphs=a.paragraphs + ("新增一段。",)),
    lambda a: dataclasses.replace(a, paragraphs=("为超重患者制定", "膳食方案。")),  # the same text, split in two
])
def test_content_key_changes_with_any_printed_field(change) -> None:  # type: ignore[no-untyped-def]
    base = _article(("为超重患者制定膳食方案。",))
    assert _issue(change(base)).content_key() != _issue(base).content_key()


def test_content_key_is_of_the_parsed_text_not_the_file() -> None:
    a = _article(("为超重患者制定膳食方案。",))
    assert _issue(a, source="a.txt", sha="0" * 64).content_key() == _issue(a, source="b.pdf", sha="f" * 64).content_key()
