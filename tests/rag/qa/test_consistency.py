"""rag.qa.consistency: a claim's numbers read with what they measure, and who did what."""

from __future__ import annotations

from rag.qa.consistency import (
    agent_check,
    quantities,
    quantity_check,
    respectively_check,
    role_check,
    weekday_check,
)
from rag.text import Tokenizer

PRIZES = "共评出一等奖3项、二等奖6项、三等奖10项。"


def test_quantities_carry_the_words_before_them() -> None:
    assert [(q.value, q.unit, q.label) for q in quantities("二等奖10项，用时90分钟")] == [
        ("10", "项", "2等奖"), ("90", "分钟", "用时")]


def test_a_number_is_checked_against_the_one_printed_after_its_label() -> None:
    assert quantity_check("二等奖10项", [PRIZES] * 3) == (["档案记载为6项，而非10项"], "")
    assert quantity_check("三等奖10项", [PRIZES] * 3) == ([], "")



def test_a_bound_said_of_a_number_holds_for_any_value_within_it() -> None:
    visits = "开诊首月共接诊248人次。"
    assert quantity_check("首月接诊超过了200人次", [visits] * 3) == ([], "")
    assert quantity_check("首月接诊200人次以上", [visits] * 3) == ([], "")
    assert quantity_check("首月接诊不到200人次", [visits] * 3) == (["档案记载为248人次，而非不到200人次"], "")
    assert quantity_check("首月接诊不超过248人次", [visits] * 3) == ([], "")  # inclusive
    assert quantity_check("首月接诊200人次", [visits] * 3) == (["档案记载为248人次，而非200人次"], "")
    window = "溶栓的时间窗为发病后4.5小时内。"  # 以内 names a window: 6小时以内 is another window, not a bound
    assert quantity_check("溶栓的时间窗为发病后6小时以内", [window] * 3) == (["档案记载为4.5小时，而非6小时"], "")


def test_a_number_describing_the_subject_may_stand_elsewhere_in_the_article() -> None:
    sentence = "手术用时90分钟。"
    article = "为86岁老人实施手术。" + sentence
    assert quantity_check("为86岁老人手术用时90分钟", [sentence, sentence, article]) == ([], "")
    problems, _ = quantity_check("为86岁老人手术用时60分钟", [sentence, sentence, article])
    assert problems == ["档案记载为90分钟，而非60分钟"]


def test_a_number_the_evidence_never_gives_is_missing() -> None:
    assert quantity_check("奖金500元", ["获得冠军。"] * 3) == ([], "档案中找到相关记载，但未提到500元这一数字")


def test_another_doer_contradicts() -> None:
    tok = Tokenizer(["林知远", "顾明川"])
    people = {"林知远", "顾明川"}
    sentences = ["会议由副院长林知远主持。", "院长顾明川出席会议并讲话。"]
    assert agent_check("推进会是顾明川主持的", sentences, people, set(), tok) == "档案记载主持者为林知远，而非顾明川"
    assert agent_check("推进会由林知远主持", sentences, people, set(), tok) == ""


def test_every_measure_word_of_the_archive_is_read_with_its_number() -> None:
    assert [(q.value, q.unit) for q in quantities("出生时体重1200克，身长33厘米，测量血糖218人次")] == [
        ("1200", "克"), ("33", "厘米"), ("218", "人次")]
    problems, _ = quantity_check("出生时体重是1200克", ["出生时,她体重仅900克。"] * 3)
    assert problems == ["档案记载为900克，而非1200克"]


def test_a_doer_focused_with_shi_de_or_you_is_checked_whatever_the_verb() -> None:
    tok = Tokenizer(["林知远", "顾明川"])
    people = {"林知远", "顾明川"}
    sentences = ["在林知远的领誓下，全体新任干部庄严宣誓。", "院长顾明川作讲话。"]
    assert agent_check("宣誓是院长顾明川领誓的", sentences, people, set(), tok) == "档案记载领誓者为林知远，而非顾明川"
    assert agent_check("宣誓由林知远领誓", sentences, people, set(), tok) == ""
    assert agent_check("顾明川是院长", sentences, people, set(), tok) == ""  # no verb focused: nothing to compare


def test_a_role_inside_a_longer_word_is_no_role() -> None:
    tok = Tokenizer(["林知远"])
    window = "检验科代表队获得团体赛一等奖，院长林知远颁奖。"
    assert role_check("一等奖是被检验科代表队拿走的", window, {"林知远"}, tok) == ""
    assert role_check("院长是顾明川", window, {"林知远"}, tok) == "档案记载的院长为林知远，而非顾明川"


def test_a_role_of_another_unit_contradicts_the_unit_claimed() -> None:
    tok = Tokenizer(["林知远", "顾明川"])
    window = "外科主任林知远组织会诊，联系眼科准备手术，眼科主任顾明川随后赶到。"
    depts = frozenset({"外科", "眼科"})
    assert role_check("林知远是眼科主任", window, {"林知远", "顾明川"}, tok, depts) == "档案中林知远并非眼科主任"
    assert role_check("顾明川是眼科主任", window, {"林知远", "顾明川"}, tok, depts) == ""
    assert role_check("林知远是外科主任", window, {"林知远", "顾明川"}, tok, depts) == ""


def test_respectively_gives_each_value_to_its_own_subject() -> None:
    text = "父亲共治疗15次，母亲和儿子分别接受了9次和6次。"
    assert respectively_check("父亲一共治疗了9次", text) == "档案记载9次为母亲的，而非所述对象的"
    assert respectively_check("母亲接受了9次治疗", text) == ""
    assert respectively_check("父亲一共治疗了15次", text) == ""


def test_a_value_the_evidence_gives_in_that_unit_outweighs_the_same_number_elsewhere_in_the_article() -> None:
    sentence = "3月9日，口腔科为一名52岁的患者实施了首例手术。"
    article = "3月2日，骨科为一名68岁的患者实施了首例手术。" + sentence
    problems, _ = quantity_check("口腔科首例手术的患者是68岁", [sentence, sentence, article])
    assert problems == ["档案记载为52岁，而非68岁"]  # 68岁 is the other unit's patient


def test_ge_before_hours_is_the_classifier_and_a_lone_yi_ge_is_the_article() -> None:
    assert [(q.value, q.unit) for q in quantities("义诊持续了5个小时，手术历时3个半小时")] == [("5", "小时"), ("3.5", "小时")]
    assert quantity_check("义诊持续了5个小时", ["活动持续3小时", "活动持续3小时。"]) == (["档案记载为3小时，而非5小时"], "")
    # 一个约2厘米的切口: only 2厘米 is a number the evidence must print
    assert quantity_check("只开了一个约2厘米的切口", ["仅需约2厘米的切口", "仅需约2厘米的切口。"]) == ([], "")


def test_a_day_of_the_week_the_evidence_does_not_print_contradicts() -> None:
    sentence = "夜间门诊每周一、三、五晚上开放。"
    assert weekday_check("夜间门诊每周二、四、六开放", sentence) == "档案记载为每周一、三、五晚上，而非每周二、四、六"
    assert weekday_check("夜间门诊每周三开放", sentence) == ""  # one of the days printed
    assert weekday_check("夜间门诊晚上开放", sentence) == ""  # no day claimed
