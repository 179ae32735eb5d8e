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
