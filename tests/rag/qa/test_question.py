"""rag.qa.question: the typed question: its type, unit, date grain, role and qualifier, the noun asked for, the
issues it names, and the questions that cannot be asked."""

from __future__ import annotations

import pytest
from handmade import PUBLICATION, tiny_issue

from rag import Archive, QuestionError, load_settings
from rag.qa.question import (
    QTYPES,
    asks_for_name,
    counted_inside,
    counted_noun,
    date_grain,
    issues_named,
    number_attribute,
    organisation_asked,
    question_role,
    question_type,
    question_unit,
    role_qualifier,
    strip_issue_reference,
    validate_question,
    what_head,
)
from rag.store import catalog

PUB = frozenset({PUBLICATION})


@pytest.mark.parametrize("question,expected", [
    ("院报的主编是谁？", "editor"), ("谁是本期责编？", "editor"),
    ("沈若溪写了哪些稿件？", "authored"),
    ("这篇文章刊登在第几版？", "where"), ("义诊的报道在哪一期？", "where"),
    ("首例手术登在第几期院报？", "where"), ("报道义诊的是第几期？", "where"),
    # 第几期 of what runs in sessions is a count, not the paper's issue
    ("科普栏目更新到第几期了？", "number"), ("这是第几期读书会？", "number"),
    ("第3期是哪天出版的？", "published"),
    ("哪个科室开展了机器人手术？", "department"), ("哪个团队获奖了？", "department"),
    ("运动医学科主任是谁？", "person"), ("哪位专家做了讲座？", "person"),
    ("义诊在哪天举行？", "date"), ("比赛在哪几天举行？", "date"), ("儿童口腔门诊是哪一年成立的？", "date"),
    ("共有多少名护士长参加？", "number"), ("手术用了多长时间？", "number"), ("这是第几届比赛？", "number"),
    # 几 before any classifier of the unit table or of 词林 is a count; 哪几 is a list, 几乎 no question word
    ("术中取出了几枚结石？", "number"), ("他送来几幅画？", "number"), ("一共拔了几颗牙？", "number"),
    ("哪几位专家出席了义诊？", "list"), ("几乎所有科室都参加了吗？", "yesno"),
    ("义诊在哪里开展？", "place"), ("培训会在哪个会议室举行？", "place"), ("他是哪里人？", "place"),
    ("义诊包括哪些项目？", "list"),
    ("口腔科是否开展了义诊？", "yesno"), ("口腔科开展了义诊吗？", "yesno"),
    ("义诊由副院长林知远主持，对吗？", "yesno"), ("口腔科检查了120名居民，对不对？", "yesno"),
    ("谈谈医院文化", "open"), ("护士节活动怎么样", "open"), ("介绍一下营养科。", "open"),
])
def test_question_type(question: str, expected: str) -> None:
    assert question_type(question) == expected
    assert expected in QTYPES


def test_the_first_matching_type_wins() -> None:
    # 谁 (person) and 是否 (yesno) both match: person comes first in the table
    assert question_type("是否是沈若溪写的？谁写的？") == "person"
    assert question_type("") == "open"


@pytest.mark.parametrize("question,unit", [
    ("手术用了多长时间？", "time"), ("手术用时多久？", "time"),
    ("切口多长？", "length"), ("误差有多深？", "length"),
    ("患者多大？", "岁"), ("患儿几岁？", "岁"),
    ("治愈率是多少？", "%"), ("占比是多少", "%"),
    ("植入了几根支架？", "根"), ("共有多少名护士长？", "名"), ("有多少人？", "人"), ("开展了几个月？", "个月"),
    ("走了多少公里？", "公里"), ("手术一共花了多少钱？", "元"), ("项目经费是多少？", "元"),
    ("有几个科室？", "个"), ("专家组有几个人？", "人"), ("有几位专家？", "位"), ("培训分了几大模块？", "大模块"),
    ("门诊量是多少？", ""), ("谁主持了会议？", ""),
    ("买了几斤药材？", "斤"), ("术中出了多少血？", ""), ("喝了几杯水？", ""),  # 血 and 杯 are things, not units
    # 多大 / 多高 by what they are said of: a thing's size, a measured attribute's value, a person's age or height
    ("伤口大概多大？", "size"), ("新病房面积有多大？", "size"), ("那位老人多大？", "岁"), ("老李多大了？", "岁"),
    ("她多大年纪？", "岁"), ("张某今年多大？", "岁"), ("入院时血糖浓度有多高？", ""), ("血压多高？", ""),
    ("孩子多高？", "length"), ("楼有多高？", "length"),
    ("一共接生了多少个新生儿？", "人"), ("有几个科室？", "个"),  # 个 with a person: a count of people
    ("手术一共用了几个夹子？", "个"), ("手术用了几个小时？", "time"),  # 用了几 asks for time only with a unit of time
    ("患者的年龄是多少？", "岁"), ("老人享年多少？", "岁"),  # an age asked without 多大/几岁
    ("有多少职工参加？", "人"), ("治疗了多少天才出院？", "天"),  # people without 个; 天才 after 多少 is 多少天
    ("新生儿有多重？", "weight"), ("出院时体重是多少？", "weight"),  # a weight: 克, 千克, 公斤
    ("会上表彰了多少名优秀护士？", "名"),  # 名 is a classifier though 词林 files it only as a name
    ("切下的肝血管瘤有多大？", "size"), ("培训安排了多少门课程？", "门"), ("新楼有几间病房？", "间"),  # a lesion 词林 holds only by its last character (瘤) is a thing: its size
])
def test_question_unit(question: str, unit: str) -> None:
    assert question_unit(question) == unit


@pytest.mark.parametrize("question,grain", [
    ("义诊在哪天举行？", "day"), ("几月几号成立的？", "day"), ("活动日期是？", "day"),
    ("哪个月成立的？", "month"), ("几月份开展的？", "month"),
    ("哪年成立？", "year"), ("是哪一年开设的？", "year"),
    ("比赛是几号到几号打的？", "range"), ("培训班哪几天举办？", "range"),
    ("什么时候举行？", ""), ("谁主持？", ""),
    ("专家门诊周几出诊？", "weekday"), ("专病门诊每周哪几天开？", "weekday"), ("星期几开放？", "weekday"),
    ("夜间门诊开到几点？", "clock"), ("宝宝是几点几分出生的？", "clock"), ("是在什么时刻发生的？", "clock"),
])
def test_date_grain(question: str, grain: str) -> None:
    assert date_grain(question) == grain


@pytest.mark.parametrize("question,role", [
    ("院长是谁？", "院长"), ("谁是院长", "院长"),
    ("哪位副院长主持了会议？", "副院长"),  # the longer title wins over the 院长 inside it
    ("科室的主任叫什么", "主任"), ("运动医学科主任是谁？", "主任"),
    ("副主任医师是谁", "副主任医师"), ("护士长是谁", "护士长"), ("院长助理是谁", "院长助理"),
    ("主管护士是谁？", "护士"),  # of equal length the last: a 主管护士 is a 护士
    ("护士节活动由谁组织？", ""),  # 护士 inside 护士节 is no role
    ("主任医师团队有哪些成员", ""), ("谁主持了会议？", ""),
])
def test_question_role(question: str, role: str) -> None:
    assert question_role(question) == role


def test_role_qualifier_prefers_a_known_unit() -> None:
    assert role_qualifier("运动医学科主任是谁？", "主任", {"运动医学科", "医学科"}, PUB) == "运动医学科"
    assert role_qualifier("运动医学科的主任是谁？", "主任", {"运动医学科"}, PUB) == "运动医学科"


def test_role_qualifier_finds_an_unknown_unit_by_its_suffix() -> None:
    assert role_qualifier("疼痛科主任是谁？", "主任", set(), PUB) == "疼痛科"
    assert role_qualifier("青禾医院疼痛科主任是谁？", "主任", set(), frozenset({"青禾医院"})) == "疼痛科"


def test_role_qualifier_is_empty_without_a_unit_or_a_role() -> None:
    assert role_qualifier("主任是谁？", "主任", {"运动医学科"}, PUB) == ""
    assert role_qualifier("谁是运动医学科主任", "", {"运动医学科"}, PUB) == ""
    assert role_qualifier("运动医学科主任是谁？", "院长", {"运动医学科"}, PUB) == ""


def test_role_qualifier_strips_a_long_publication_name() -> None:
    assert role_qualifier(f"{PUBLICATION}口腔科主任是谁？", "主任", set(), PUB) == "口腔科"


@pytest.mark.parametrize("question,head", [
    ("获得了什么奖？", "奖"), ("采用哪种手术？", "手术"), ("开展了什么新技术？", "新技术"),
    ("是哪家医院的专家？", "医院"),
    ("活动的主要内容是什么内容？", ""), ("这是什么事？", ""),  # generic heads ask for nothing in particular
    ("谁主持了会议？", ""),
])
def test_what_head(question: str, head: str) -> None:
    assert what_head(question) == head


@pytest.mark.parametrize("question,expected", [
    ("活动叫什么？", True), ("门诊的名称是什么", True), ("口号是什么", True), ("主题是什么", True),
    ("谁主持了会议", False), ("什么时候举行", False),
])
def test_asks_for_name(question: str, expected: bool) -> None:
    assert asks_for_name(question) is expected


def test_validate_question_strips_it() -> None:
    assert validate_question("  谁主持了会议？ \n", 10) == "谁主持了会议？"
    assert validate_question("一" * 10, 10) == "一" * 10  # exactly at the limit


@pytest.mark.parametrize("question", ["", "   \n", None])
def test_an_empty_question_is_refused(question: str | None) -> None:
    with pytest.raises(QuestionError) as err:
        validate_question(question, 10)  # type: ignore[arg-type]
    assert err.value.user_message() == "问题为空，请输入一个问题 / the question is empty"


def test_an_oversized_question_is_refused_with_its_length() -> None:
    with pytest.raises(QuestionError) as err:
        validate_question("一" * 11, 10)
    assert str(err.value) == "the question has 11 characters; keep it under 10"
    assert err.value.zh == "问题过长（11 字），请控制在 10 字以内"


@pytest.mark.parametrize("question,stripped", [
    ("2025年第3期院报中，谁主持了会议？", "谁主持了会议？"),
    ("总第301期里谁主持会议", "谁主持会议"),
    ("第三期的主编是谁", "主编是谁"),
    ("谁主持了会议？", "谁主持了会议？"),
    ("总第301期", "总第301期"),  # nothing would be left: the question is kept
    ("301期院报第2版有哪些文章？", "第2版有哪些文章？"), ("总301期的主编是谁", "主编是谁"),
])
def test_strip_issue_reference(question: str, stripped: str) -> None:
    assert strip_issue_reference(question) == stripped


@pytest.fixture(scope="module")
def two_threes(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """Two issues printed as 第3期, in 2025 and 2026 (catalog rows only: no text is needed)."""
    archive = Archive(load_settings(env={}, data_dir=tmp_path_factory.mktemp("named") / "var"))
    for issue in (tiny_issue(), tiny_issue(total_no=313, issue_no=3, date="2026-03-15")):
        catalog.insert_issue(archive.conn, issue, [], issue.content_key())
    return archive


@pytest.mark.parametrize("question,total_nos", [
    ("总第313期的主编是谁？", [313]),
    ("2025年第3期有哪些文章？", [301]),
    ("第三期有哪些文章？", [301, 313]),
    ("第3期有哪些文章？", [301, 313]),
    ("总第999期的主编是谁？", []), ("第9期有哪些文章？", []), ("谁主持了会议？", []),
    ("313期院报第2版有哪些文章？", [313]), ("总313期的主编是谁？", [313]),
    ("沙龙已经举办了313期，主讲人是谁？", []),  # a count of sessions, not the paper's running number
])
def test_issues_named(two_threes: Archive, question: str, total_nos: list[int]) -> None:
    assert [i.total_no for i in issues_named(two_threes, question)] == total_nos


@pytest.mark.parametrize(("question", "unit", "noun"), [
    ("义诊测量了多少人次心率？", "人次", "心率"), ("科室有几台呼吸机？", "台", "呼吸机"),
    ("共有多少名职工参加？", "名", "职工"), ("一共来了多少人？", "人", ""), ("用了几天？", "天", ""),
    ("完成了多少台次四级手术？", "台次", "四级手术"), ("测了多少人次肺功能？", "人次", "肺功能"),
])
def test_the_counted_noun_stands_right_after_the_unit(question: str, unit: str, noun: str) -> None:
    from rag.text import Tokenizer
    assert counted_noun(question, unit, Tokenizer([]).pos_tags(question)) == noun


@pytest.mark.parametrize(("question", "noun"), [
    ("术中出了多少血？", "出血"), ("他住了几天院？", "住院"),  # a separable verb's object: the whole word
    ("门诊量是多少？", "门诊量"),
    ("窗口排队的人少了多少？", "排队"),  # the thing that changed stands before the verb of change (not 人少)
    ("CT上看出血量大概有多少？", "出血量"),  # a hedge before 有多少 is not the thing asked
])
def test_a_unitless_count_asks_for_the_noun_after_or_before_the_question_word(question: str, noun: str) -> None:
    from rag.text import Tokenizer
    assert number_attribute(question, Tokenizer([]).words(question)) == noun


def test_a_separable_verb_is_whole_again_only_around_a_noun_it_takes() -> None:
    assert [counted_inside(q) for q in ("他献过多少血？", "一共住了几天院？")] == ["献血", "住院"]
    # a copula (有名), a noun before (奖项) or a classifier after is no separable verb
    assert [counted_inside(q) for q in ("护士有多少名？", "二等奖几项？", "开了几次会？")] == ["", "", ""]


@pytest.mark.parametrize("question,noun", [
    ("医院与哪家单位签订了协议？", "单位"), ("他毕业于哪所高校？", "高校"), ("医院跟哪家养老机构签约？", "机构"),
    ("哪个科室开展了手术？", ""), ("作品获得了什么级别？", ""),
])
def test_the_organisation_a_question_asks_for(question: str, noun: str) -> None:
    assert organisation_asked(question) == noun
