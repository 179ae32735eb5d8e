"""rag.qa.respective: a question asking one thing of several items (甲和乙分别…) is asked item by item."""

from __future__ import annotations

import pytest

from rag.models import Answer, Citation, Source
from rag.qa.respective import answer, split
from rag.text import Tokenizer


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return Tokenizer()


def test_a_head_word_the_last_item_prints_belongs_to_every_item(tok: Tokenizer) -> None:
    parts = split("第三届和第四届职工运动会分别是哪天开幕的？", tok)
    assert parts is not None
    assert parts.questions == ("第三届职工运动会是哪天开幕的？", "第四届职工运动会是哪天开幕的？")


def test_words_before_a_preposition_belong_to_every_item(tok: Tokenizer) -> None:
    parts = split("药剂科周明远在篮球比赛、网球比赛和排球比赛中各拿了什么奖？", tok)
    assert parts is not None
    assert parts.questions == ("药剂科周明远在篮球比赛中拿了什么奖？", "药剂科周明远在网球比赛中拿了什么奖？",
                               "药剂科周明远在排球比赛中拿了什么奖？")


def test_the_enumeration_may_stand_in_the_clause_before_the_marker(tok: Tokenizer) -> None:
    parts = split("截至5月底和8月底，医院累计完成的介入手术分别是多少台？", tok)
    assert parts is not None
    assert parts.questions == ("截至5月底，医院累计完成的介入手术是多少台？", "截至8月底，医院累计完成的介入手术是多少台？")


def test_words_before_what_parallels_a_later_item_belong_to_every_item(tok: Tokenizer) -> None:
    parts = split("骨科首例甲手术、首例乙手术分别是哪天做的？", tok)
    assert parts is not None and parts.items == ("首例甲手术", "首例乙手术")
    assert parts.questions[1] == "骨科首例乙手术是哪天做的？"


@pytest.mark.parametrize("question", [
    "运动会的三个项目分别是什么？",  # no enumeration: one question
    "牵头的哪两个课题，分别获得了立项和奖励？",  # the enumeration comes after the marker
    "各科室在哪天之前上报计划？",  # 各 of 各科室 is not 分别
    "甲和乙是什么关系？",  # no 分别/各
])
def test_one_item_is_not_split(tok: Tokenizer, question: str) -> None:
    assert split(question, tok) is None


def _cited(q: str, short: str, quote: str, abstained: bool = False) -> Answer:
    src = Source(total_no=301, issue_no=3, year=2025, date="2025-03-15", page=2, page_inferred=False, title="某文")
    return Answer(question=q, answer=short, abstained=abstained, citations=(Citation(src, quote),),
                  evidence=(quote,), confidence=0.8)


def test_the_answers_are_joined_in_order_each_cited(tok: Tokenizer) -> None:
    parts = split("第三届和第四届职工运动会分别是哪天开幕的？", tok)
    assert parts is not None
    got = answer("q", parts, lambda q: _cited(q, "5月6日" if "第三届" in q else "5月9日", q))
    assert got is not None and got.answer == "5月6日、5月9日"
    assert [c.quote for c in got.citations] == list(parts.questions)


def test_an_item_without_an_answer_or_items_not_told_apart_fall_back(tok: Tokenizer) -> None:
    parts = split("第三届和第四届职工运动会分别是哪天开幕的？", tok)
    assert parts is not None
    assert answer("q", parts, lambda q: _cited(q, "5月6日", q, abstained="第四届" in q)) is None
    assert answer("q", parts, lambda q: _cited(q, "5月6日", "同一句")) is None
