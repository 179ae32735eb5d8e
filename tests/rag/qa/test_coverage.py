"""rag.qa.coverage: a near miss (an answer of the right type beside another attribute) abstains; an answer whose
neighbourhood holds the question's words stands. On the small hand-written issue."""

from __future__ import annotations

from pathlib import Path

import pytest
from handmade import DENTAL, KNEE, NURSING, NUTRITION, tiny_archive, tiny_issue

from rag import Archive, answer_question
from rag.models import Article
from rag.qa.coverage import (
    Cover,
    _parallel,
    answer_clause,
    answer_cover,
    constraint_terms,
    found,
    other_event,
    other_item,
    other_rank,
    quoted_elsewhere,
    sibling_of,
)
from rag.qa.periods import (
    month_points,
    names_a_session,
    other_day,
    other_month,
    other_session,
    other_year,
    other_year_said,
)
from rag.text import normalize


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return tiny_archive(tmp_path_factory.mktemp("coverage") / "var")


@pytest.mark.parametrize("term,text,expected", [
    ("膝关节", "完成首例膝关节置换", True),
    ("腰穿", "主讲腰椎穿刺术", True),  # an abbreviation: its characters in order
    ("亚军", "获得女子单打冠军", False),
    ("直径", "手术用时90分钟", False),
])
def test_found_as_printed_or_abbreviated(term: str, text: str, expected: bool) -> None:
    assert found(term, text) is expected


def test_constraint_terms_drop_question_and_frame_words_and_mark_the_attribute(archive: Archive) -> None:
    terms = constraint_terms(archive, "青禾市人民医院运动医学科的手术花了多少钱？")
    assert "多少" not in terms.weights and "青禾市人民医院" not in terms.weights
    assert "钱" in terms.attribute and "运动医学科" in terms.weights and "运动医学科" not in terms.attribute


def test_cover_abstains_beyond_either_threshold() -> None:
    assert Cover(0.6, 0.0, ("钱",)).abstains(0.5, 0.5)
    assert Cover(0.0, 0.7, ("膝关节",)).abstains(0.5, 0.5)
    assert not Cover(0.4, 0.4, ()).abstains(0.5, 0.5)


def test_an_answer_whose_evidence_holds_the_attribute_stands(archive: Archive) -> None:
    ans = answer_question(archive, "运动医学科的机器人辅助膝关节置换手术用时多少分钟？")
    assert (ans.answer, ans.abstained) == ("90分钟", False)


def test_a_near_miss_abstains_and_names_what_is_missing(archive: Archive) -> None:
    # the mechanism, with an attribute threshold set (the fitted one may turn that half of the check off)
    strict = Archive(archive.settings.with_(coverage_attribute_max=0.5, coverage_topic_max=0.7), archive.embeddings)
    ans = answer_question(strict, "运动医学科的机器人辅助膝关节置换手术麻醉用了多少分钟？")
    assert ans.abstained and "麻醉" in ans.note
    off = Archive(archive.settings.with_(coverage_attribute_max=1.0, coverage_topic_max=1.0), archive.embeddings)
    assert not answer_question(off, "运动医学科的机器人辅助膝关节置换手术麻醉用了多少分钟？").abstained
    # what kind a generic noun asks for (什么麻醉方式) must be printed beside the answer, whatever the thresholds
    kind = answer_question(off, "运动医学科的机器人辅助膝关节置换手术用的是什么麻醉方式？")
    assert kind.abstained and "麻醉" in kind.note


SPORTS = Article(
    page=1, page_inferred=False, title="职工羽毛球比赛落幕", department="工会", author="韩素问",
    paragraphs=("单项比赛中，骨科沈若溪获得男子单打冠军，护理部陆清和获得女子单打冠军；口腔科许闻笛获得男子单打亚军。",),
)


@pytest.fixture(scope="module")
def sports(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    # the other articles' bylines make the players known people
    return tiny_archive(tmp_path_factory.mktemp("siblings") / "var",
                        tiny_issue(articles=(KNEE, NURSING, DENTAL, NUTRITION, SPORTS)))


def test_another_place_printed_in_the_answer_sentence_but_not_its_clause_is_a_near_miss(tmp_path: Path) -> None:
    walk = Article(page=2, page_inferred=False, title="职工健步走举行", department="工会", author="唐亦舟",
                   paragraphs=("健步走当天，骨科沈若溪用时48分钟，第一个走到终点；口腔科许闻笛年纪最大。",))
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, walk)))
    on = Archive(archive.settings.with_(coverage_attribute_max=1.0, coverage_topic_max=1.0, coverage_siblings="on"),
                 archive.embeddings)
    off = Archive(on.settings.with_(coverage_siblings="off"), archive.embeddings)
    asked = "健步走第二个走到终点的是谁？"
    neighbour = answer_question(off, asked)
    assert neighbour.answer == "沈若溪"  # 沈若溪用时48分钟 is its clause; 第一个 stands in the next one
    assert answer_cover(on, asked, neighbour).sibling == ("第二个", "第一个")
    assert answer_question(on, asked).abstained


def test_the_title_a_follow_up_names_is_the_article_not_a_fact_of_the_answers_clause(tmp_path: Path) -> None:
    """《…2025年…会议》中… asked: the title's year names the article; the clause's 2024年度 is no other year."""
    meeting = Article(page=2, page_inferred=False, title="我院召开2025年康复工作会议", department="康复科",
                      author="唐亦舟", paragraphs=("1月8日，我院召开2025年康复工作会议。",
                                                  "会议表彰了2024年度优秀治疗师长4名、优秀治疗师21名。"))
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, meeting)))
    ans = answer_question(archive, "《我院召开2025年康复工作会议》中的会上表彰了多少名优秀治疗师？")
    assert (ans.answer, ans.abstained) == ("21名", False)
    assert answer_cover(archive, "会上表彰了多少名优秀治疗师？", ans).sibling is None


def test_the_answer_clause_is_where_the_short_answer_stands() -> None:
    s = "单项比赛中，骨科沈若溪获得男子单打冠军，口腔科许闻笛获得男子单打亚军。"
    assert answer_clause(s, "许闻笛") == "口腔科许闻笛获得男子单打亚军"
    assert answer_clause(s, "未见") == s


def test_a_sibling_beside_the_answer_abstains_when_siblings_count(sports: Archive) -> None:
    on = Archive(sports.settings.with_(coverage_attribute_max=1.0, coverage_topic_max=1.0, coverage_siblings="on"),
                 sports.embeddings)
    off = Archive(on.settings.with_(coverage_siblings="off"), sports.embeddings)
    asked = "羽毛球比赛女子单打亚军是谁？"  # only the men's runner-up is printed
    neighbour = answer_question(off, asked)  # without the check, a neighbouring fact is given
    assert not neighbour.abstained and neighbour.answer in ("陆清和", "许闻笛")
    cover = answer_cover(on, asked, neighbour)  # the women's champion, or the men's runner-up
    assert cover.sibling in (("亚军", "冠军"), ("女子单打", "男子单打"))
    assert cover.abstains(1.0, 1.0, True) and not cover.abstains(1.0, 1.0, False)
    missed = answer_question(on, asked)
    assert missed.abstained and all(f"「{w}」" in missed.note for w in cover.sibling)
    right = answer_question(on, "羽毛球比赛女子单打冠军是谁？")
    assert (right.answer, right.abstained) == ("陆清和", False)


def test_a_sibling_differing_in_one_contrasting_character_is_another_attribute(sports: Archive) -> None:
    on = Archive(sports.settings.with_(coverage_attribute_max=1.0, coverage_topic_max=1.0, coverage_siblings="on"),
                 sports.embeddings)
    off = Archive(on.settings.with_(coverage_siblings="off"), sports.embeddings)
    asked = "羽毛球比赛女子双打冠军是谁？"  # only singles are printed: 双打 / 单打 differ in 双 / 单
    neighbour = answer_question(off, asked)
    assert not neighbour.abstained
    assert answer_cover(on, asked, neighbour).sibling == ("女子双打", "女子单打")
    assert answer_question(on, asked).abstained


def test_a_session_the_article_does_not_print_is_another_event() -> None:
    assert other_session("第二期护理沙龙什么时候举办？", "首期护理沙龙昨日举办，第一期共30人参加。") == ("第二期", "首期")
    assert other_session("第二届比赛在哪里举行？", "首届比赛和第二届比赛都在体育馆举行。") is None  # printed too
    assert other_session("第二期沙龙有多少人？", "沙龙举办，30人参加。") is None  # no session printed: cannot tell
    assert other_session("第二次手术用时多久？", "首次开展该手术。") is None  # 首次 is "for the first time"
    assert other_session("头一期沙龙来了多少人？", "第十期沙龙举办") == ("头一期", "第十期")  # 头一期 is 首期
    assert names_a_session("四届三次职代会收到多少件提案？") and not names_a_session("沙龙有多少人参加？")
    # a sitting of a term: 四届二次 asked, the fourth term's third sitting printed
    assert other_session("四届二次职代会收到多少件提案？", "第四届职工代表大会第三次会议召开") == ("四届二次", "第四届职工代表大会第三次")
    assert other_session("四届三次职代会收到多少件提案？", "四届三次职代会召开") is None


def test_a_day_the_answer_paragraph_does_not_print_is_another_event() -> None:
    brief = "11月9日,营养科举办膳食讲座。"
    assert other_day("11月3日的讲座在哪里举办？", brief) == ("11月3日", "11月9日")
    assert other_day("11月9日的讲座在哪里举办？", brief) is None
    assert other_day("10月15日的会议有多少人？", "会议于10月15日至16日召开。") is None
    assert other_day("10月16日的会议有多少人？", "会议于10月15日至16日召开。") is None  # 16日 printed alone
    assert other_day("3月2日的义诊有多少人？", "义诊共服务80人。") is None  # no day printed: cannot tell
    # a paragraph without a day is judged by its article
    assert other_day("3月2日的义诊有多少人？", "义诊共服务80人。", "3月8日,义诊举行。义诊共服务80人。") == ("3月2日", "3月8日")


def test_an_answer_beside_a_parallel_item_is_another_item(sports: Archive) -> None:
    para, clause = SPORTS.paragraphs[0], "口腔科许闻笛获得男子单打亚军"
    # 女子单打 is printed beside another player; the answer's clause prints 男子单打 in its place
    assert _parallel("羽毛球比赛女子单打亚军是谁？", para, clause, sports) == ("女子单打", "男子单打")
    assert _parallel("羽毛球比赛男子单打亚军是谁？", para, clause, sports) is None  # the asked item
    assert _parallel("羽毛球比赛混合双打亚军是谁？", para, clause, sports) is None  # not printed at all: no parallel


def test_a_running_total_at_another_months_end_is_another_figure() -> None:
    asked = month_points(normalize("截至五月底，累计完成多少例？"))
    assert asked == frozenset({5})
    assert other_month(asked, normalize("截至8月底，已累计完成75例。"))
    assert not other_month(asked, normalize("截至5月底，已累计完成36例。"))
    assert not other_month(asked, normalize("5月，累计完成36例，较8月底的计划提前。"))  # prints the month asked
    assert not other_month(asked, normalize("已累计完成75例。"))  # prints no month
    assert not other_month(frozenset(), normalize("截至8月底，已累计完成75例。"))  # none asked


def test_months_of_another_year_are_another_figure() -> None:
    para = "今年1—10月，医院完成手术2000台，同比增长5%。"
    assert other_year("2025年1—10月医院完成多少台手术？", para, "2026-11-01") == ("2025年1—10月", "今年1—10月")
    assert other_year("2026年1—10月医院完成多少台手术？", para, "2026-11-01") is None
    assert other_year("2025年1—10月医院完成多少台手术？", "2025年1—10月完成手术1800台。", "2026-11-01") is None
    assert other_year("2025年3月医院完成多少台手术？", "医院完成手术2000台。", "2026-11-01") is None  # no year printed


def test_a_number_of_another_item_of_a_tally_is_a_near_miss() -> None:
    para = normalize("全年共接诊门诊患者48.2万人次，同比增长5.3%；收治住院患者2.1万人次；完成手术9600台次；体检3.4万人。")
    quote = normalize("全年共接诊门诊患者48.2万人次，同比增长5.3%；")
    topic = {"住院": 2.0, "人次": 1.0}
    assert other_item(topic, frozenset(), para, quote, "5.3%") == ("住院", "收治住院患者2.1万人次")
    assert other_item({"门诊": 2.0}, frozenset(), para, quote, "5.3%") is None  # the answer's own item
    two = normalize("全年共接诊门诊患者48.2万人次，同比增长5.3%；收治住院患者2.1万人次。")
    assert other_item(topic, frozenset(), two, quote, "5.3%") is None  # two clauses are no tally


def test_the_day_of_another_event_is_a_near_miss() -> None:
    quote = "患者术后第3天拔除引流管，第6天顺利出院。"
    assert other_event("患者术后第几天下床活动？", quote, "第3天") is not None  # 拔除引流管 that day, not 下床
    assert other_event("患者术后第几天拔除引流管？", quote, "第3天") is None
    assert other_event("患者术后第几天就能下床活动了？", "术后第2天，患者即可下床活动。", "第2天") is None
    # the answer ends its sentence: the event is told in the next one
    assert other_event("老人第几天站起来？", "转机出现在第9天。", "第9天", "那天，他扶着栏杆站了起来。") is None
    assert other_event("老人第几天站起来？", "转机出现在第9天。", "第9天", "那天，他第一次吃下半碗粥。") is not None
    assert other_event("老人站起来是在第几天？", "转机出现在第9天。", "第9天") is None  # nothing follows 第几天


def test_a_quoted_name_the_archive_prints_elsewhere_but_not_in_the_answers_article(sports: Archive) -> None:
    knee = normalize(" ".join(KNEE.paragraphs) + KNEE.title)
    assert quoted_elsewhere(sports, "“职工羽毛球比赛”男子单打冠军是谁？", knee) == ("职工羽毛球比赛",)
    assert quoted_elsewhere(sports, "“职工羽毛球比赛”男子单打冠军是谁？", normalize(SPORTS.paragraphs[0] + SPORTS.title)) == ()
    assert quoted_elsewhere(sports, "“金杯银杯”男子单打冠军是谁？", knee) == ()  # printed nowhere: says nothing
    # quoted in a clause that only describes someone, not in the clause that asks
    assert quoted_elsewhere(sports, "在“职工羽毛球比赛”中夺冠的那个人，是哪个科室的？", knee) == ()


def test_a_years_report_of_another_year_is_a_near_miss() -> None:
    assert other_year("2025年度被评为先进的有哪些？", "2026年度考核结果：甲、乙被评为先进", "2027-02-01") == (
        "2025年度", "2026年度")
    assert other_year("2026年度被评为先进的有哪些？", "2026年度考核结果：甲、乙被评为先进", "2027-02-01") is None


def test_a_fact_the_sentence_dates_by_another_year_is_another_years() -> None:
    asked = "医院2025年开展了多少例ECMO？"
    assert other_year_said(asked, "2026年开展ecmo治疗11例。", "2027-02-01") == ("2025年", "2026年")
    assert other_year_said(asked, "今年开展ecmo治疗11例。", "2026-12-01") == ("2025年", "今年")
    assert other_year_said(asked, "去年开展ecmo治疗11例。", "2026-12-01") is None  # 去年 in a 2026 issue is 2025
    assert other_year_said(asked, "开展ecmo治疗11例，为2020年以来最多。", "2026-12-01") is None  # compared, not dated
    assert other_year_said("医院开展了多少例ECMO？", "2026年开展ecmo治疗11例。", "2027-02-01") is None  # no year asked



def test_another_place_in_a_ranking_is_a_near_miss() -> None:
    assert other_rank("象棋赛男子组第五名是哪个队？", "男子组 第一名 口腔科代表队") == ("第五名", "第一名")
    assert other_rank("象棋赛男子组亚军是谁？", "钟予安获得男子组冠军") == ("亚军", "冠军")
    assert other_rank("象棋赛男子组冠军是哪个队？", "男子组 第一名 口腔科代表队") is None  # the same place
    assert other_rank("长跑第二个到终点的是谁？", "沈若溪第一个跑到终点") == ("第二个", "第一个")  # the order of arriving
    assert other_rank("长跑谁第一个到终点？", "沈若溪第一个跑到终点") is None
    assert other_rank("象棋赛男子组冠军是哪个队？", "口腔科代表队获得团体一等奖") is None  # no place printed


@pytest.mark.parametrize(("question", "kind"), [
    ("首例支气管镜活检用的是什么麻醉方式？", "麻醉"), ("那位患者的术后病理结果是什么？", "病理"),
    ("这个活动有什么意义？", ""), ("比赛采用什么方式进行？", ""),  # no word before the generic noun says which kind
])
def test_the_word_naming_the_kind_of_a_generic_noun_asked(question: str, kind: str) -> None:
    from rag.qa.coverage import kind_qualifier
    from rag.text import Tokenizer
    assert kind_qualifier(Tokenizer([]).tagged(question, hmm=False)) == kind


def test_a_sibling_differing_in_two_contrasting_characters_is_another_attribute(sports: Archive) -> None:
    """男子双打 asked where only 男子单打 and 女子单打 are printed: the answer beside 女子单打 differs in 男/女 and
    双/单, each pair of one kind in 词林."""
    clause = "护理部陆清和获得女子单打冠军"
    assert sibling_of("男子双打", clause, "陆清和", sports) == ("男子双打", "女子单打")
    assert sibling_of("男子双打", "骨科沈若溪获得男子体操冠军", "沈若溪", sports) is None  # 双打 / 体操: not of a kind


def test_a_one_character_verb_counts_when_found_but_is_never_missing() -> None:
    """谁拿了一等奖: 拿 is said as 获得, 摘得, 夺得…; a question whose only topic word is 拿 is no near miss."""
    from rag.qa.coverage import missing_share

    assert missing_share({"拿": 0.3}, "口腔科某某获得一等奖", frozenset({"拿"})) == (0.0, ())
    assert missing_share({"拿": 0.3}, "口腔科某某获得一等奖") == (1.0, ("拿",))
    assert missing_share({"夺": 0.3, "冠军": 1.0}, "甲夺得冠军", frozenset({"夺"}))[0] == 0.0  # found: it counts
