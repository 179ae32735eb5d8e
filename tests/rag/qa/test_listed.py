"""rag.qa.listed: a list printed one item to a sentence after its lead-in."""

from __future__ import annotations

from rag.qa.listed import is_lead_in, items_after

SENTENCES = ["冬季最常见的疾病主要有三类:", "一是流感。", "多因受凉引起。", "二是肺炎。", "常见于老人。", "三是冻伤。",
             "注意保暖。", "专家给出4条建议:", "1. 勤洗手。", "饭前便后都要洗。", "2. 多通风。", "3. 早就医。",
             "4. 打疫苗。"]


def test_a_colon_or_a_following_ordinal_leads_in_a_list() -> None:
    assert is_lead_in(SENTENCES[0]) and is_lead_in("请注意以下几点。")
    assert is_lead_in("抓好两方面工作：一是提质，增效；")
    assert not is_lead_in("一是流感。") and not is_lead_in("患者术后第3天出院。")


def test_the_items_are_the_heads_of_the_numbered_sentences_after_the_lead_in() -> None:
    assert items_after(SENTENCES, 0, 3) == ["流感", "肺炎", "冻伤"]
    assert items_after(SENTENCES, 0) == ["流感", "肺炎", "冻伤"]  # ends where the next list is led in
    assert items_after(SENTENCES, 7) == ["勤洗手", "多通风", "早就医", "打疫苗"]
    assert items_after(["抓好两方面工作：一是提质，增效；", "二是减负。"], 0) == ["提质", "减负"]


def test_no_list_when_the_count_asked_differs_or_no_ordinal_follows() -> None:
    assert items_after(SENTENCES, 0, 2) == []  # 哪两类 of a list of three
    assert items_after(SENTENCES, 1) == []  # not a lead-in: no first item follows
    assert items_after(["主要有三类:", "流感较多。", "一是流感。", "二是肺炎。"], 0) == []  # the first item must follow
