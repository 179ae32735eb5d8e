"""rag.qa.twohop: a question naming its subject by a description is asked in two hops."""

from __future__ import annotations

from rag.models import Answer
from rag.qa.twohop import Hops, answer, split


def test_a_person_described_is_asked_for_first() -> None:
    hops = split("主持护理质量推进会的那位副院长，在第4期里主持了什么会？")
    assert hops == Hops("主持护理质量推进会的副院长是谁？", "在第4期里主持了什么会？", False)
    assert hops.second("林知远") == "林知远在第4期里主持了什么会？"


def test_a_unit_described_and_its_pronoun() -> None:
    hops = split("完成首例机器人手术的那个科室，其主任是谁？")
    assert hops is not None and hops.first == "完成首例机器人手术的科室是哪个科室？"
    assert hops.second("运动医学科") == "运动医学科主任是谁？"


def test_a_thing_described_is_found_by_its_name_in_a_long_answer() -> None:
    hops = split("与医院签约的那家养老服务中心，有多少名老人接受了服务？")
    assert hops is not None and hops.first == "与医院签约的是哪家养老服务中心？"
    assert hops.bridge("医院与青禾百合养老服务中心举行了签约仪式。" * 2) == "青禾百合养老服务中心"


def test_no_description_no_hops() -> None:
    assert split("运动医学科主任是谁？") is None


def test_both_hops_are_cited_and_the_route_is_noted() -> None:
    asked: list[str] = []
    about: list[str] = []

    def ask(q: str, subject: str) -> Answer:
        asked.append(q)
        about.append(subject)
        return Answer(question=q, answer="林知远" if len(asked) == 1 else "院感防控培训会", abstained=False,
                      evidence=(f"证据{len(asked)}",))

    hops = split("主持护理质量推进会的那位副院长，还主持过什么会？")
    assert hops is not None
    ans = answer("原问题", hops, ask)
    assert ans is not None and asked == ["主持护理质量推进会的副院长是谁？", "林知远还主持过什么会？"]
    assert about == ["", "林知远"]  # the second hop is about the bridge
    assert (ans.answer, ans.question, ans.evidence) == ("院感防控培训会", "原问题", ("证据1", "证据2"))
    assert "林知远" in ans.note


def test_a_description_without_na_is_two_hops_when_the_rest_refers_back() -> None:
    hops = split("为九旬老人置换膝关节的运动医学科主任，他今年牵头了什么课题？")
    assert hops is not None and hops.first == "为九旬老人置换膝关节的运动医学科主任是谁？"
    assert hops.second("钟予安") == "钟予安今年牵头了什么课题？"
    unit = split("象棋比赛男子组冠军所在的科室，在拔河比赛中排第几？")
    assert unit is not None and unit.dept and unit.first == "象棋比赛男子组冠军所在的科室是哪个科室？"
    assert unit.second("口腔科") == "口腔科在拔河比赛中排第几？"
    assert split("运动医学科的主任，是哪年上任的？") is None  # the rest does not refer back: one question


def test_the_rest_may_ask_about_the_persons_unit() -> None:
    hops = split("带队义诊的那位主任，她们科血液透析室有多大？")
    assert hops is not None and hops.unit_of() and hops.first == "带队义诊的主任是谁？"
    assert hops.second("肾内科") == "肾内科血液透析室有多大？"
    assert hops.second("林知远", as_unit=False) == "林知远的科血液透析室有多大？"  # asked of the person instead
    branch = split("作为代表发言的那位党支部书记，她所在的党支部获评什么？")
    assert branch is not None and branch.unit_of()
    assert branch.second("某分院党支部") == "某分院党支部获评什么？"  # the unit's own 党支部 is said once
    team = split("混合双打冠军中的男选手，他所在科室的代表队获得几等奖？")
    assert team is not None and team.first == "混合双打冠军中的男选手是谁？"
    assert team.second("眼科") == "眼科代表队获得几等奖？"
    assert not split("为老人置换膝关节的骨科主任，他今年牵头了什么课题？").unit_of()  # type: ignore[union-attr]


def test_the_unit_is_asked_for_between_the_hops_and_every_hop_is_cited() -> None:
    asked: list[str] = []
    replies = iter(["林知远", "眼科", "二等奖"])

    def ask(q: str, subject: str) -> Answer:
        asked.append(q)
        return Answer(question=q, answer=next(replies), abstained=False, evidence=(f"证据{len(asked)}",))

    hops = split("主持推进会的那位副院长，他所在科室的代表队获得几等奖？")
    assert hops is not None
    ans = answer("原问题", hops, ask)
    assert asked == ["主持推进会的副院长是谁？", "林知远是哪个科室的？", "眼科代表队获得几等奖？"]
    assert ans is not None and ans.evidence == ("证据1", "证据2", "证据3") and "answered in three hops" in ans.note


def test_a_role_noun_or_a_time_word_after_the_comma_also_marks_the_rest() -> None:
    hops = split("开营时发言的学员代表，在演讲比赛里拿了几等奖？")
    assert hops is not None and hops.first == "开营时发言的学员代表是谁？"
    later = split("完成首例机器人手术的心胸外科主任，之前给一位老人做的是什么手术？")
    assert later is not None and later.first == "完成首例机器人手术的心胸外科主任是谁？"


def test_when_the_unit_has_no_answer_the_rest_is_asked_about_the_person() -> None:
    asked: list[str] = []

    def ask(q: str, subject: str) -> Answer:
        asked.append(q)
        if q.startswith("眼科"):
            return Answer(question=q, answer="档案中未找到相关记载", abstained=True)
        return Answer(question=q, answer={1: "林知远", 2: "眼科"}.get(len(asked), "46例"), abstained=False)

    hops = split("主持推进会的那位副院长，他的科室全年治了多少例？")
    assert hops is not None and hops.unit_of()
    ans = answer("原问题", hops, ask)
    assert asked[2:] == ["眼科全年治了多少例？", "林知远的科室全年治了多少例？"]
    assert ans is not None and ans.answer == "46例" and "answered in two hops" in ans.note


def test_a_person_named_by_a_common_noun_is_asked_for_by_who() -> None:
    hops = split("写作业本感谢信的那个女孩，她爸爸入院时多大？")
    assert hops is not None and hops.first == "写作业本感谢信的女孩是谁？"  # not 是哪个女孩: a name answers
