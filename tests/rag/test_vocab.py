"""rag.vocab: trimming a unit's name, telling a name from a word, dates as printed, suffix alternations."""

from __future__ import annotations

import re

import pytest

from rag.vocab import (
    INSTITUTION_SUFFIXES,
    ROLE_TITLES,
    Span,
    abbreviated,
    contrasting,
    find_dates,
    is_place_word,
    is_plausible_name,
    is_tagged_name,
    standard_question,
    suffix_pattern,
    synonyms,
    trim_department,
)

PUB = frozenset({"青禾市人民医院"})


@pytest.mark.parametrize("text,expected", [
    ("来到口腔科", "口腔科"),  # a verb a greedy match took
    ("和与的营养科", "营养科"),  # several leads, stripped one after another
    ("我院运动医学科", "运动医学科"),
    ("医院护理部", "护理部"),
    ("营养科", "营养科"),  # nothing to trim
    ("的科", "的科"),  # a lead is never trimmed down to a single character
    ("我院", ""), ("医院", ""), ("本院", ""),  # the hospital itself is not a department
    ("义诊活动由口腔科", "口腔科"), ("走上营养科", "营养科"),  # 由 marks who does it; a verb of motion
    ("名口腔科", "口腔科"), ("名科", ""),  # 5名口腔科医生: a classifier; 3名科主任: a kind, not a unit
])
def test_trim_department_without_a_publication(text: str, expected: str) -> None:
    assert trim_department(text) == expected


def test_trim_department_strips_the_publication_only_when_it_is_named() -> None:
    assert trim_department("青禾市人民医院口腔科") == "青禾市人民医院口腔科"
    assert trim_department("青禾市人民医院口腔科", PUB) == "口腔科"
    assert trim_department("青禾市人民医院", PUB) == ""  # the paper's own name is no department
    assert trim_department("青禾市人民医院", frozenset()) == "青禾市人民医院"


@pytest.mark.parametrize("word,plausible,tagged", [
    ("沈若溪", True, True),
    ("林知远", True, True),
    ("欧阳若溪", True, False),  # a compound surname: plausible, but the tagger's guess needs a common surname
    ("若溪", True, False),  # no surname first
    ("团队", False, False), ("一起", False, False), ("医务人员", False, False),  # common words
    ("口腔科", False, False), ("护理部", False, False),  # a unit, by its last character
    ("沈主任", False, False), ("林医师", False, False),  # a name with a title is not a name
    ("由沈若溪", False, False), ("在提升", False, False),  # a preposition first
    ("沈", False, False), ("沈若溪林知", False, False),  # too short, too long
])
def test_is_plausible_name_and_is_tagged_name(word: str, plausible: bool, tagged: bool) -> None:
    assert (is_plausible_name(word), is_tagged_name(word)) == (plausible, tagged)


def test_a_four_character_name_is_plausible_but_not_a_tagged_name() -> None:
    assert is_plausible_name("沈若溪明") and not is_tagged_name("沈若溪明")


SENTENCE = "2019年5月成立门诊，2025年3月10日完成手术，3月20日举办义诊，2005年起开展，6月底完工"


def test_find_dates_finds_every_printed_date_in_order() -> None:
    assert find_dates(SENTENCE) == [
        Span("2019年5月", 0), Span("2025年3月10日", 12), Span("3月20日", 27), Span("2005年起", 37), Span("6月底", 46),
    ]


@pytest.mark.parametrize("grain,expected", [
    ("day", ["2025年3月10日", "3月20日"]),
    ("year", ["2019年5月", "2025年3月10日", "2005年起"]),
    ("month", ["2019年5月", "2025年3月10日", "3月20日", "6月底"]),
    ("", ["2019年5月", "2025年3月10日", "3月20日", "2005年起", "6月底"]),
    ("week", ["2019年5月", "2025年3月10日", "3月20日", "2005年起", "6月底"]),  # an unknown grain keeps all
])
def test_find_dates_by_grain(grain: str, expected: list[str]) -> None:
    assert [s.text for s in find_dates(SENTENCE, grain)] == expected


def test_times_of_day_are_found_as_printed_and_counts_of_points_are_not() -> None:
    text = "3月2日凌晨0时18分出生，药房开到夜间22时30分，义诊下午三点半开始、8:30报到，专家提了3点建议，24小时值守"
    assert [s.text for s in find_dates(text, "clock")] == ["凌晨0时18分", "夜间22时30分", "下午三点半", "8:30"]


def test_find_dates_in_a_sentence_without_a_date() -> None:
    assert find_dates("口腔科开展爱牙义诊，为居民检查口腔健康") == []


def test_suffix_pattern_puts_the_longest_suffix_first() -> None:
    assert suffix_pattern(("科", "内科", "中心")) == "(?:内科|中心|科)"
    assert suffix_pattern(("室", "病区", "中心", "科")) == "(?:病区|中心|室|科)"  # equal lengths keep their order
    assert re.fullmatch(suffix_pattern(INSTITUTION_SUFFIXES), "分院") and not re.fullmatch(suffix_pattern(("科",)), "内科")


def test_role_titles_put_a_deputy_before_the_role_it_contains() -> None:
    assert ROLE_TITLES.index("副院长") < ROLE_TITLES.index("院长")
    assert ROLE_TITLES.index("副主任医师") < ROLE_TITLES.index("主任医师") < ROLE_TITLES.index("主任")


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("男子", "女子", True), ("冠军", "亚军", True),  # one kind, two things
    ("举行", "举办", False), ("住院", "入院", False),  # the same thing in other words
    ("男子", "冠军", False), ("男子", "无此词语", False),
])
def test_contrasting_words_share_a_kind_in_cilin_but_no_synonym_group(a: str, b: str, expected: bool) -> None:
    assert contrasting(a, b) is expected


@pytest.mark.parametrize(("word", "expected"), [
    ("广场", True), ("会议室", True), ("体育馆", True), ("公园", True),
    ("学术报告厅", True), ("养老服务中心", True),  # not in 词林: its longest ending that is (厅, 中心)
    ("支持", False), ("工作中", False), ("下", False), ("期间", False),  # 在…支持下 / 在工作中 name no place
])
def test_a_place_word_by_its_cilin_class(word: str, expected: bool) -> None:
    assert is_place_word(word) is expected


def test_a_span_of_days_is_one_date_where_it_is_printed_so() -> None:
    assert [d.text for d in find_dates("10月15日至16日，3月2日—3月5日", "range")] == ["10月15日至16日", "3月2日—3月5日"]
    assert [d.text for d in find_dates("2019年5月，3月20日举行", "range")] == ["3月20日"]  # no span: the days


@pytest.mark.parametrize("question,expected", [
    ("医院跟哪家机构签了约？", "医院跟哪家机构签约？"),  # 签约 is one word, split by 了
    ("他住过院吗？", "他住院吗？"),
    ("完成了手术吗？", "完成了手术吗？"),  # 成手 is no word: 了 stays
    ("啥时候开始？", "什么时候开始？"),
])
def test_standard_question_joins_a_separable_verb(question: str, expected: str) -> None:
    assert standard_question(question) == expected


def test_the_days_of_the_week_are_dates_when_a_weekday_is_asked() -> None:
    text = "专家每周二、周五上午坐诊，星期三和星期六下午开放，逢周四全天义诊，周末休息"
    assert [d.text for d in find_dates(text, "weekday")] == ["每周二、周五上午", "星期三和星期六下午", "逢周四全天"]
    assert find_dates(text) == []  # not for any other question


def test_places_in_a_ranking_are_synonyms_and_a_bare_ordinal_asked_means_the_place() -> None:
    assert "第一名" in synonyms("冠军") and "亚军" in synonyms("第二名")
    assert "冠军" in synonyms("第一") and "第一" not in synonyms("冠军")  # 第一时间 is no 冠军
    assert "季军" not in synonyms("冠军")


@pytest.mark.parametrize("term,text,expected", [
    ("女单", "获得女子单打冠军", True), ("腰穿", "讲解腰椎穿刺要点", True),
    ("女单", "获得男子单打冠军", False), ("女单", "女子组第一名，单位", False),  # too far apart
    ("女单双打", "女子单打", False), ("女", "女子单打", False),  # not a word of two to four characters
])
def test_a_word_is_found_abbreviated_with_at_most_two_characters_between_its_own(term: str, text: str,
                                                                                   expected: bool) -> None:
    assert abbreviated(term, text) is expected


def test_a_verb_with_a_directional_complement_means_the_verb_without_it() -> None:
    assert "送出" in synonyms("送出去") and "拿回" in synonyms("拿回来")
    assert "送" not in synonyms("送去") and "出" not in synonyms("出去")  # a direction only when a verb precedes it


def test_no_as_the_negation_of_a_past_act() -> None:
    assert {"未", "无"} <= synonyms("没有") and "没有" in synonyms("并未")
