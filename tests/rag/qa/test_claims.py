"""rag.qa.claims: a claim checked against a small hand-written issue: supported, contradicted by a number or by
who holds a role, or not found; and the verdict's JSON."""

from __future__ import annotations

import pytest
from handmade import DENTAL, KNEE, NURSING, NUTRITION, TOTAL_NO, tiny_archive, tiny_issue

from rag import Archive, Filters, QuestionError
from rag.models import Article
from rag.qa.claims import VERDICT_ZH, Verdict, check_claim, verdict_for
from rag.qa.retrieve import retrieve


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return tiny_archive(tmp_path_factory.mktemp("claims") / "var")


def _titles(v: Verdict) -> list[str]:
    return [c.source.title for c in v.citations]


@pytest.mark.parametrize("claim,article", [
    ("运动医学科完成首例机器人辅助膝关节置换手术，手术用时90分钟", KNEE),
    ("护理质量推进会由副院长林知远主持", NURSING),
    ("口腔科为120余名居民检查口腔健康", DENTAL),
    ("口腔科在2019年成立儿童口腔门诊", DENTAL),
])
def test_a_printed_claim_is_supported_and_quoted(archive: Archive, claim: str, article) -> None:  # type: ignore[no-untyped-def]
    v = check_claim(archive, claim)
    assert (v.verdict, v.explanation) == ("supported", "档案中有相同记载")
    assert _titles(v) == [article.title]
    assert v.citations[0].quote in "".join(article.paragraphs)
    assert v.confidence >= archive.settings.answer.claim_support


@pytest.mark.parametrize("claim,explanation", [
    ("运动医学科完成首例机器人辅助膝关节置换手术，手术用时60分钟", "档案记载为90分钟，而非60分钟"),
    ("口腔科为200余名居民检查口腔健康", "档案记载为120名，而非200名"),
    ("口腔科在2018年成立儿童口腔门诊", "档案记载为2019年，而非2018年"),
])
def test_a_different_number_contradicts(archive: Archive, claim: str, explanation: str) -> None:
    v = check_claim(archive, claim)
    assert (v.verdict, v.explanation) == ("contradicted", explanation)
    assert len(v.citations) == 1


def test_another_holder_of_the_role_contradicts(archive: Archive) -> None:
    v = check_claim(archive, "护理质量推进会由副院长周慕白主持")
    assert v.verdict == "contradicted"
    assert v.explanation.split("；")[0] == "档案记载的副院长为林知远，而非周慕白"
    assert _titles(v) == [NURSING.title] and "林知远" in v.citations[0].quote


def test_a_role_holder_beside_the_role_contradicts(archive: Archive) -> None:
    v = check_claim(archive, "运动医学科主任周慕白介绍了机器人辅助手术")
    assert v.verdict == "contradicted"
    assert v.explanation.split("；")[0] == "档案记载的主任为钟予安，而非周慕白"


@pytest.mark.parametrize("claim", ["运动医学科主任是周慕白", "周慕白是运动医学科主任"])
def test_a_wrong_holder_stated_with_shi_contradicts(archive: Archive, claim: str) -> None:
    v = check_claim(archive, claim)
    assert v.verdict == "contradicted" and "钟予安" in v.explanation


def test_a_specific_noun_never_printed_is_not_found(archive: Archive) -> None:
    v = check_claim(archive, "口腔科开展了质子治疗")
    assert (v.verdict, v.explanation, v.citations, v.confidence) == ("not_found", "档案中从未出现「质子」", (), 0.0)


def test_a_claim_the_evidence_does_not_cover_is_not_found(archive: Archive) -> None:
    v = check_claim(archive, "营养科开设了睡眠门诊")  # the 营养科 article speaks of another 门诊
    assert (v.verdict, v.explanation) == ("not_found", "档案中找到相关记载，但未提到「睡眠」")
    weak = check_claim(archive, "营养科为超重患者制定了睡眠方案")
    assert weak.verdict == "not_found"


def test_a_filter_that_excludes_the_issue_leaves_nothing_to_check(archive: Archive) -> None:
    v = check_claim(archive, "口腔科为120余名居民检查口腔健康", Filters(total_nos=(TOTAL_NO + 1,)))
    assert (v.verdict, v.citations) == ("not_found", ())


def test_an_empty_claim_is_refused(archive: Archive) -> None:
    with pytest.raises(QuestionError):
        check_claim(archive, "  ")


def test_verdict_json(archive: Archive) -> None:
    v = check_claim(archive, "口腔科为200余名居民检查口腔健康")
    assert v.to_json() == {
        "claim": "口腔科为200余名居民检查口腔健康", "verdict": "contradicted", "verdict_zh": "与档案不符",
        "explanation": "档案记载为120名，而非200名", "confidence": round(v.confidence, 4),
        "citations": [{
            "total_no": TOTAL_NO, "issue_no": 3, "date": "2025-03-15", "page": 2, "page_inferred": False,
            "title": DENTAL.title, "department": "口腔科", "author": "许闻笛", "quote": DENTAL.paragraphs[0],
        }],
    }
    assert VERDICT_ZH == {"supported": "属实", "contradicted": "与档案不符", "not_found": "档案中未找到"}


def test_verdict_for_words_a_yes_no_answer(archive: Archive) -> None:
    claim, question = "口腔科为200余名居民检查口腔健康", "口腔科是否为200余名居民检查口腔健康？"
    no = verdict_for(archive, claim, question, retrieve(archive, claim))
    assert (no.answer, no.abstained, no.qtype) == ("否（档案记载为120名，而非200名）", False, "yesno")
    assert no.evidence == (DENTAL.paragraphs[0],)
    yes = verdict_for(archive, "口腔科为120余名居民检查口腔健康", question, retrieve(archive, claim))
    assert (yes.answer, yes.abstained) == ("是", False)
    unknown = verdict_for(archive, "口腔科开展了质子治疗", "口腔科开展了质子治疗吗？", retrieve(archive, "质子治疗"))
    assert (unknown.answer, unknown.abstained, unknown.citations) == ("档案中未找到相关记载", True, ())


def test_the_archive_under_test_is_the_hand_written_one(archive: Archive) -> None:
    assert [i.total_no for i in archive.issues()] == [TOTAL_NO]
    assert archive.publications() == frozenset({"青禾市人民医院"})


def test_a_name_bound_to_a_sibling_attribute_contradicts(tmp_path_factory: pytest.TempPathFactory) -> None:
    sports = Article(page=1, page_inferred=False, title="职工羽毛球比赛落幕", department="工会", author="韩素问",
                     paragraphs=("单项比赛中，骨科沈若溪获得男子单打冠军；口腔科许闻笛获得男子单打亚军。",))
    a = tiny_archive(tmp_path_factory.mktemp("bound") / "var", tiny_issue(articles=(KNEE, NURSING, DENTAL, NUTRITION, sports)))
    v = check_claim(a, "羽毛球比赛男子单打冠军是许闻笛获得的")
    assert v.verdict == "contradicted" and "亚军" in v.explanation
    assert check_claim(a, "羽毛球比赛男子单打冠军是沈若溪获得的").verdict == "supported"


def test_an_abbreviation_the_archive_prints_in_full_is_no_unknown_word(tmp_path_factory: pytest.TempPathFactory) -> None:
    congress = Article(page=1, page_inferred=False, title="医院召开职工代表大会", department="工会", author="韩素问",
                       paragraphs=("3月5日，医院召开第二届职工代表大会第一次会议，大会共收到提案36件。",))
    a = tiny_archive(tmp_path_factory.mktemp("abbr") / "var", tiny_issue(articles=(KNEE, NURSING, congress)))
    assert check_claim(a, "职代会共收到提案36件").verdict == "supported"  # 职代会 is 职工代表大会
    assert check_claim(a, "职代会共收到提案40件").verdict == "contradicted"


def test_a_fact_of_another_unit_contradicts_a_claim_naming_this_one(archive: Archive) -> None:
    v = check_claim(archive, "口腔科完成首例机器人辅助膝关节置换手术，手术用时90分钟")
    assert v.verdict == "contradicted" and "运动医学科" in v.explanation


def test_a_claim_worded_otherwise_is_checked_where_its_own_distinctive_number_is_printed(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    report = Article(page=2, page_inferred=False, title="医院召开运营分析会", department="运营部", author="陆清和", paragraphs=(
        "3月5日，医院召开一季度运营分析会，与去年同期相比各项指标稳中有升。",
        "一季度门诊量12.6万人次，同比增长8.3%；手术量4120台次，同比增长6.7%。",
    ))
    archive = tiny_archive(tmp_path_factory.mktemp("anchored") / "var", tiny_issue(articles=(KNEE, NURSING, report)))
    v = check_claim(archive, "门诊比去年同期多了8.3%")  # 同比增长 in other words: little of it is printed
    assert v.confidence < archive.settings.answer.claim_support
    assert (v.verdict, v.citations[0].quote) == ("supported", "一季度门诊量12.6万人次，同比增长8.3%；")
    assert check_claim(archive, "门诊比去年同期多了9.3%").verdict == "not_found"  # no number of its own printed


def test_a_person_named_by_a_form_of_address_must_be_in_the_article_and_no_is_wei(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    valve = Article(page=2, page_inferred=False, title="心内科开展微创瓣膜手术", department="心内科", author="陆清和",
                    paragraphs=("患者周大爷(化名)因心衰多次住院。", "手术历时2小时，未开胸，术后第3天出院。"))
    archive = tiny_archive(tmp_path_factory.mktemp("addressed") / "var", tiny_issue(articles=(KNEE, NURSING, valve)))
    assert check_claim(archive, "周大爷的手术没有开胸").verdict == "supported"  # 没有开胸: 未开胸
    v = check_claim(archive, "吴大爷的手术没有开胸")  # no one of that name in the article: another patient's
    assert (v.verdict, v.explanation) == ("not_found", "档案中找到相关记载，但未提到「吴大爷」")



def test_a_person_named_in_the_claim_must_be_in_the_article(tmp_path_factory: pytest.TempPathFactory) -> None:
    family = Article(page=4, page_inferred=False, title="守护水电的老师傅", department="后勤保障部", author="许闻笛",
                     paragraphs=("鲁长河的女儿鲁晓燕2015年进入医院财务部工作。",))
    archive = tiny_archive(tmp_path_factory.mktemp("named") / "var", tiny_issue(articles=(KNEE, NURSING, family)))
    assert check_claim(archive, "鲁长河的女儿鲁晓燕在医院财务部工作").verdict == "supported"
    v = check_claim(archive, "鲁长河的女儿鲁小禾在医院财务部工作")  # the article never names her
    assert (v.verdict, v.explanation) == ("not_found", "档案中找到相关记载，但未提到「鲁小禾」")


def test_a_verb_said_otherwise_is_no_sibling_attribute(tmp_path_factory: pytest.TempPathFactory) -> None:
    moved = Article(page=3, page_inferred=False, title="日间病房搬入新址", department="日间病房", author="陆清和",
                    paragraphs=("日间病房搬迁至新址后，床位由原来的20张增加到32张。", "科室去年曾两次搬家。"))
    archive = tiny_archive(tmp_path_factory.mktemp("verbs") / "var", tiny_issue(articles=(KNEE, NURSING, moved)))
    assert check_claim(archive, "日间病房搬家后床位从20张增加到了32张").verdict == "supported"  # 搬家: 搬迁
