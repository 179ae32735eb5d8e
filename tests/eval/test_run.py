"""Scoring of the evaluation: lists need every item, yes/no is judged by 是/否, conciseness, splits load tagged."""

from __future__ import annotations

from eval.run import judge
from eval.splits import SPLITS
from rag import Answer


def _ans(text: str, abstained: bool = False) -> Answer:
    return Answer(question="q", answer=text, abstained=abstained)


def test_a_list_answer_counts_only_when_it_names_every_item() -> None:
    item = {"answers": ["甲科、乙科、丙科"], "items": ["甲科", "乙科", "丙科"]}
    assert judge(item, _ans("甲科、乙科和丙科"))[0] is True
    assert judge(item, _ans("甲科、乙科"))[0] is False


def test_yes_no_is_judged_by_the_first_word_not_by_containment() -> None:
    assert judge({"answers": ["否"]}, _ans("否（档案记载为28根，而非30根）"))[:2] == (True, True)
    assert judge({"answers": ["是"]}, _ans("否（档案记载的人物为是某）"))[0] is False
    assert judge({"answers": ["是"]}, _ans("档案中未找到相关记载", abstained=True))[0] is False


def test_a_right_answer_is_concise_within_twice_the_gold_plus_eight() -> None:
    assert judge({"answers": ["28根"]}, _ans("28根"))[3] is True
    long = "取出了28根木刺，手术历时两个小时，孩子恢复良好"
    correct, exact, f1, concise = judge({"answers": ["28根"]}, _ans(long))
    assert (correct, exact, concise) == (True, False, False) and 0 < f1 < 0.5


def test_unanswerable_questions_score_nothing_and_splits_tag_their_lines() -> None:
    assert judge({"answers": []}, _ans("档案中未找到相关记载", abstained=True)) == (False, False, 0.0, False)
    test = SPLITS["test"].load(SPLITS["test"].questions)
    dev = SPLITS["dev"].load(SPLITS["dev"].questions)
    assert len(test) >= 120 and {q["split"] for q in test} == {"test"} and {q["split"] for q in dev} == {"dev"}
    assert not {q["id"] for q in test} & {q["id"] for q in dev}
