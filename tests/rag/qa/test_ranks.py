"""rag.qa.ranks: a place in a ranking asked for, and the one the question's subject won."""

from __future__ import annotations

from rag.qa.ranks import asks_rank, held_by, rank_spans

_RESULTS = "经过角逐，眼科代表队获得团体赛一等奖，口腔科代表队、药学部代表队获得二等奖。单项比赛中，眼科甲乙丙获得男子单打冠军，口腔科丁戊己获得男子单打亚军。"


def test_a_place_is_asked_by_its_grade_or_its_order() -> None:
    assert all(asks_rank(q) for q in ("获得几等奖？", "拿了第几？", "排第几名？", "取得了什么名次？"))
    assert not any(asks_rank(q) for q in ("术后第几天出院？", "第几次获奖？", "获得多少奖金？"))


def test_the_place_comes_with_its_event_unless_the_question_names_it() -> None:
    texts = [s.text for s in rank_spans(_RESULTS, "在比赛中拿了什么名次？")]
    assert texts == ["团体赛一等奖", "二等奖", "男子单打冠军", "男子单打亚军"]  # 获得二等奖: no event between
    assert [s.text for s in rank_spans(_RESULTS, "在男子单打里拿了第几？")][-1] == "亚军"


def test_the_place_is_the_one_printed_after_the_subject_in_its_clause() -> None:
    places = rank_spans(_RESULTS, "团体赛获得几等奖？")
    assert held_by(places, _RESULTS, ["药学部"]).text == "二等奖"  # type: ignore[union-attr]  # 甲、乙获得二等奖
    assert held_by(places, _RESULTS, ["丁戊己"]).text == "男子单打亚军"  # type: ignore[union-attr]
    assert held_by(places, _RESULTS, ["检验科"]) is None
