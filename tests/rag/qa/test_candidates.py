"""rag.qa.candidates: candidate answers in a sentence (departments, people, quantities, names, phrases) and the
choice of the one nearest the question's words."""

from __future__ import annotations

import re

import pytest

from rag.qa.candidates import (
    clause_weight,
    closest,
    counts_for,
    dates,
    departments,
    enumerations,
    named_spans,
    number_spans_in_original,
    numbers,
    other_counts,
    persons,
    persons_in_role,
    phrases_ending_with,
)
from rag.qa.places import organisations, place_names, places
from rag.qa.relations import changed_to, count_label, counted_next, labelled, respectively, run_of
from rag.text import Tokenizer
from rag.vocab import Span

PUB = frozenset({"青禾市人民医院"})


def test_known_departments_come_first_longest_first() -> None:
    s = "运动医学科与疼痛科联合开展义诊"
    # the archive knows 运动医学科 (and the shorter 医学科 inside it, which must not be a second span)
    assert departments(s, {"运动医学科", "医学科"}) == [Span("运动医学科", 0)]


def test_unknown_departments_are_found_by_suffix_and_trimmed() -> None:
    assert departments("运动医学科与疼痛科联合开展义诊", set()) == [Span("运动医学科", 0), Span("疼痛科", 6)]
    assert departments("来到疼痛科就诊", set()) == [Span("疼痛科", 2)]


def test_a_publication_name_is_trimmed_from_a_department() -> None:
    s = "青禾市人民医院疼痛科开展义诊"
    assert departments(s, set(), PUB) == [Span("疼痛科", 7)]
    assert departments(s, set()) == [Span("青禾市人民医院疼痛科", 0)]  # unknown publication: nothing to trim


def test_generic_units_are_not_departments() -> None:
    assert departments("我院各科室积极参与，本科室也参加", set()) == []
    assert departments("口腔科和该中心", set()) == [Span("口腔科", 0)]  # 该中心 points back, names nothing


def test_a_unit_found_by_its_suffix_ends_where_a_word_ends() -> None:
    # 纳入科室: 科 begins the word 科室, so nothing before it is a unit's name
    assert departments("将新技术开展情况纳入科室综合考核", set()) == []
    assert departments("医院召开年度科技创新大会", set()) == []
    assert departments("运动医学科继续治疗患者", set()) == [Span("运动医学科", 0)]


def test_units_joined_by_a_slash_are_one_unit() -> None:
    s = "血液内科/疼痛科/老年科护士长沈若溪主讲"
    # the archive knows 老年科 (a role phrase gave it); the units before it, joined by "/", belong to it
    assert departments(s, {"老年科"}) == [Span("血液内科/疼痛科/老年科", 0)]


def test_units_joined_by_a_slash_are_one_unit_when_several_are_known() -> None:
    assert departments("血液内科/疼痛科/老年科护士长沈若溪主讲", {"血液内科", "老年科"}) == [
        Span("血液内科/疼痛科/老年科", 0)]


def test_persons_known_by_role_and_tagged() -> None:
    s = "院长顾明川主持会议，主任钟予安介绍经验，沈若溪记录"
    assert persons(s, set()) == [Span("顾明川", 2), Span("钟予安", 12)]
    assert persons(s, {"沈若溪"}) == [Span("顾明川", 2), Span("钟予安", 12), Span("沈若溪", 20)]
    assert persons("沈若溪记录", set(), [("沈若溪", 0)]) == [Span("沈若溪", 0)]


def test_persons_drop_tagged_words_that_are_no_names() -> None:
    tagged = [("团队", 0), ("若溪", 2), ("欧阳若溪", 4)]  # a word, no surname, not 2–3 characters with a surname
    assert persons("团队若溪欧阳若溪", set(), tagged) == []


def test_persons_in_role_after_and_before_the_role() -> None:
    assert persons_in_role("院长顾明川出席会议", "院长", set()) == [Span("顾明川", 2)]
    assert persons_in_role("钟予安主任介绍", "主任", {"钟予安"}) == [Span("钟予安", 0)]


def test_persons_in_role_skip_a_deputy_unless_a_deputy_is_asked_for() -> None:
    s = "副院长林知远和院长顾明川出席"
    assert persons_in_role(s, "院长", set()) == [Span("顾明川", 9)]
    assert persons_in_role(s, "副院长", set()) == [Span("林知远", 3)]
    assert persons_in_role("副院长林知远主持", "院长", set()) == []


def test_persons_in_role_read_through_a_chain_of_roles() -> None:
    assert persons_in_role("疼痛科主任、护理部负责人钟予安介绍", "主任", set()) == [Span("钟予安", 12)]
    # a professional title in the chain (学员代表、某科住院医师某某): the name after it holds the role asked
    assert persons_in_role("学员代表、疼痛科住院医师钟予安表示", "代表", set()) == [Span("钟予安", 12)]


def test_persons_in_role_find_no_name_in_a_common_word() -> None:
    assert persons_in_role("主任医生说", "主任", set()) == []
    assert persons_in_role("会议由院长主持", "院长", set()) == []


@pytest.mark.parametrize("unit,expected", [
    ("", ["90分钟", "2天"]),  # a year is a date, not a quantity
    ("time", ["90分钟", "2天"]),  # 2025年 is a year, no length of time
    ("分钟", ["90分钟"]),
    ("天", ["2天"]),
    ("根", []),
])
def test_numbers_are_filtered_by_the_unit_asked_for(unit: str, expected: list[str]) -> None:
    assert [s.text for s in numbers("手术用时90分钟，患者2天后出院，2025年完成", unit)] == expected


def test_numbers_keep_an_approximation_and_an_ordinal() -> None:
    assert numbers("为120余名居民检查，第3届比赛", "名") == [Span("120余名", 1)]
    assert numbers("为120余名居民检查，第3届比赛", "届") == [Span("第3届", 11)]
    assert numbers("切口仅5毫米，长达3米", "length") == [Span("5毫米", 3), Span("3米", 9)]
    assert numbers("治愈率达95%，共12例", "%") == [Span("95%", 4)]


def test_a_number_with_thousands_separators_is_one_number() -> None:
    assert numbers("全年接诊13,580人次，住院2,046人", "人次") == [Span("13,580人次", 4)]
    assert [s.text for s in numbers("全年接诊13,580人次，住院2,046人")] == ["13,580人次", "2,046人"]
    assert [s.text for s in numbers("编号1,2,3个")] == ["3个"]  # a list of digits is not a thousands group


def test_number_spans_in_original_map_chinese_numerals_back() -> None:
    s = "手术仅用了二十分钟，患者两天后出院"
    assert number_spans_in_original(s, "分钟") == [Span("二十分钟", 5)]
    assert number_spans_in_original(s, "time") == [Span("二十分钟", 5), Span("两天", 12)]
    assert number_spans_in_original("植入3根支架", "根") == [Span("3根", 2)]  # digits: as printed
    assert number_spans_in_original(s, "根") == []
    # 一 before a classifier and its noun is "a": 一名患者 is no count of patients, 三名患者 is
    assert [sp.text for sp in number_spans_in_original("为一名患者切除了一处病变，另有三名患者", "")] == ["三名"]


def test_a_size_printed_as_length_times_length_is_one_quantity() -> None:
    s = "切除了大小约4.5厘米×3.8厘米的病变，切口长 2 厘米，另一处约3×2毫米"
    assert [sp.text for sp in numbers(s, "size")] == ["4.5厘米×3.8厘米", "2厘米", "3×2毫米"]
    assert [sp.text for sp in numbers(s, "")] == ["4.5厘米", "3.8厘米", "2厘米", "2毫米"]  # a size is not asked


def test_dates_of_a_grain() -> None:
    assert dates("2019年成立，3月20日举办", "day") == [Span("3月20日", 8)]


def test_named_spans_are_titles_and_quotes() -> None:
    assert named_spans("获得《青禾杯》和“最美护士”称号，“好”") == [Span("青禾杯", 2), Span("最美护士", 8)]
    assert named_spans("没有引号的句子") == []


def test_phrases_ending_with_the_head() -> None:
    assert phrases_ending_with("团队荣获年度创新奖，并获得优秀奖", "奖") == [Span("年度创新奖", 4), Span("优秀奖", 13)]
    assert phrases_ending_with("成功实施了机器人辅助膝关节置换手术", "手术") == [Span("机器人辅助膝关节置换手术", 5)]
    # 手术 not printed after the name: the name formed with its last character (置换术), not 手术 itself
    s = "为患者实施了单侧人工髋关节置换术，手术顺利"
    assert phrases_ending_with(s, "手术") == [Span("单侧人工髋关节置换术", 6)]
    assert phrases_ending_with("团队完成了护理工作", "工作") == [Span("护理工作", 5)]
    assert phrases_ending_with("团队完成了护理任务", "工作") == []  # 作 forms no names


def test_phrases_ending_with_an_apposition_give_the_thing_itself() -> None:
    assert phrases_ending_with("采用新术式——双侧皮瓣移植术，效果良好", "术式") == [Span("双侧皮瓣移植术", 7)]
    assert [s.text for s in phrases_ending_with("推出新举措：预约诊疗，效果良好", "举措")] == ["预约诊疗"]


def test_an_apposition_after_a_colon_starts_where_it_is_printed() -> None:
    assert phrases_ending_with("推出新举措：预约诊疗，效果良好", "举措") == [Span("预约诊疗", 6)]


def test_phrases_ending_with_part_of_the_head() -> None:
    assert phrases_ending_with("开展了射频消融技术", "激光技术") == [Span("射频消融技术", 3)]  # the head's last two


def test_phrases_ending_with_nothing_more_than_the_head_or_a_pointer() -> None:
    assert phrases_ending_with("该奖项已颁发", "奖项") == []  # 该奖项 points back
    assert phrases_ending_with("手术顺利", "手术") == []  # no words before the head
    assert phrases_ending_with("没有相关内容", "奖") == []


SENTENCE = "院长顾明川出席会议，副院长林知远主持会议。"
PEOPLE = [Span("顾明川", 2), Span("林知远", 13)]


def test_closest_picks_the_candidate_in_the_clause_holding_the_most_weight() -> None:
    at_chair, at_attend = SENTENCE.index("主持"), SENTENCE.index("出席")
    assert closest(PEOPLE, [(at_chair, 2.0), (at_attend, 1.0)], SENTENCE) == Span("林知远", 13)
    assert closest(PEOPLE, [(at_chair, 1.0), (at_attend, 2.0)], SENTENCE) == Span("顾明川", 2)


def test_closest_within_a_clause_is_the_nearest() -> None:
    s = "钟予安与沈若溪和陆清和参加培训"
    people = [Span("钟予安", 0), Span("沈若溪", 4), Span("陆清和", 8)]
    assert closest(people, [(s.index("培训"), 1.0)], s) == Span("陆清和", 8)
    assert closest(people, [(0, 1.0)], s) == Span("钟予安", 0)


def test_closest_never_picks_a_candidate_the_question_names() -> None:
    at_chair = SENTENCE.index("主持")
    assert closest(PEOPLE, [(at_chair, 2.0)], SENTENCE, exclude="林知远主持了什么会议？") == Span("顾明川", 2)
    assert closest(PEOPLE, [(at_chair, 2.0)], SENTENCE, exclude="顾明川和林知远") is None


def test_closest_without_anchors_or_candidates() -> None:
    assert closest(PEOPLE, [], SENTENCE) == Span("顾明川", 2)
    assert closest([], [(1, 1.0)], SENTENCE) is None


def test_a_count_with_another_classifier_stands_in_its_own_clause() -> None:
    s = "共为263名群众提供健康咨询,发现血糖异常者37人,均已建议复查。"
    assert [x.text for x in other_counts(s, "名")] == ["37人"]
    anchors = [(s.index("发现"), 1.0), (s.index("血糖"), 2.0)]
    asked, other = Span("263名", s.index("263名")), Span("37人", s.index("37人"))
    assert clause_weight(other, anchors, s) == 3.0 > clause_weight(asked, anchors, s) == 0.0


@pytest.mark.parametrize(("question", "label"), [("新项目二等奖几项？", "2等奖"), ("手术用时多少分钟？", "术用时"),
                                                 ("住院日缩短到了多少天？", "缩短到"), ("共有多少人？", "")])
def test_the_count_label_is_what_stands_before_the_question_word(question: str, label: str) -> None:
    assert count_label(question) == label


def test_the_number_right_after_the_label_answers() -> None:
    s = "共评出一等奖3项、二等奖6项、三等奖10项。"
    spans = number_spans_in_original(s)
    assert labelled(spans, s, count_label("二等奖几项？")).text == "6项"  # type: ignore[union-attr]
    t = "平均住院日由8.1天缩短至7.6天。"
    assert labelled(number_spans_in_original(t), t, count_label("缩短到了多少天？")).text == "7.6天"  # type: ignore[union-attr]
    assert labelled(spans, s, "用时") is None
    u = "会议表彰了年度优秀护士长6名、优秀护士25名。"  # 优秀护士 inside 优秀护士长 labels nothing
    assert labelled(number_spans_in_original(u), u, "优秀护士").text == "25名"  # type: ignore[union-attr]


def test_an_enumeration_is_one_clause_and_a_word_counts_once_per_clause() -> None:
    s = "甲队获得一等奖，乙队、丙队获得二等奖，丁队、戊队、己队获得三等奖。"
    spans = [Span("乙队、丙队", s.index("乙队")), Span("丁队、戊队、己队", s.index("丁队"))]
    # 二等奖 asked: the anchors of 2 (二), 等, 奖, and 队 at every team
    anchors = [(s.index("二"), 1.0)] + [(m.start(), 3.0) for m in re.finditer("等奖", s)] + [
        (m.start(), 2.0) for m in re.finditer("队", s)]
    assert closest(spans, anchors, s, enumerations=True).text == "乙队、丙队"  # type: ignore[union-attr]


def test_a_tally_of_counts_is_no_enumeration_of_things() -> None:
    assert enumerations("共评出一等奖3项、二等奖6项、三等奖十项。") == []
    assert [x.text for x in enumerations("甲队、乙队获得二等奖。")] == ["甲队、乙队"]


def test_a_classifier_outside_the_unit_table_is_still_counted() -> None:
    # 朝 is a classifier in 词林, not in the unit table: 几朝 asks it, 三朝 answers
    assert [x.text for x in counts_for("他历仕甲、乙、丙三朝。", "朝")] == ["三朝"]
    assert [x.text for x in counts_for("手术切口约1.5厘米。", "length")] == ["1.5厘米"]


def test_a_known_name_wins_over_a_shorter_tagged_one_at_its_place() -> None:
    s = "单项比赛中，护理部陆清和获得女子组冠军；口腔科许闻笛获得男子组亚军。"
    tok = Tokenizer([])
    found = [p.text for p in persons(s, {"陆清和"}, tok.person_names(s))]
    assert "陆清和" in found and "陆清" not in found and "许闻笛" in found


def test_an_age_answers_only_a_question_that_asks_an_age() -> None:
    s = "为一名58岁患者实施手术，术中出血约30毫升。"
    assert [x.text for x in counts_for(s, "")] == ["30毫升"]  # 出了多少血: no unit asked, and 58岁 is an age
    assert [x.text for x in counts_for(s, "岁")] == ["58岁"]


def test_a_count_of_people_never_stands_for_a_count_of_things() -> None:
    s = "会议梳理出十八项隐患，共评出2台设备。"
    assert counts_for(s, "人") == []  # asked 多少人: 十八项 and 2台 count things
    assert [x.text for x in counts_for("共完成两例手术", "台")] == ["两例"]  # things for things still stand
    t = "参训医师共48名，演示了六个项目。"
    assert [x.text for x in counts_for(t, "人")] == ["48名"]
    assert [x.text for x in other_counts(t, "项")] == ["六个"]  # not 48名
    assert counts_for("科室现有多人舱1座、单人舱2座。", "次") == []  # asked 几次: things are no count of times


def test_one_of_each_is_not_a_count() -> None:
    s = "团队为患者提供“一人一策”治疗，共有12名专家。"
    assert [x.text for x in counts_for(s, "名")] == ["12名"]
    assert [x.text for x in counts_for("义诊共服务一人。", "人")] == ["一人"]


def test_a_magnitude_stands_between_the_number_and_its_unit() -> None:
    s = "全年完成门诊诊疗36.5万人次，投入资金1.2亿元，服务1万余名群众。"
    assert [x.text for x in counts_for(s, "人次")] == ["36.5万人次"]
    assert [x.text for x in counts_for(s, "元")] == ["1.2亿元"]
    assert [x.text for x in counts_for(s, "名")] == ["1万余名"]


def test_a_count_of_times_takes_only_a_count_of_times() -> None:
    s = "共为40名老人体检，完成心电图检查52人次。"
    assert [x.text for x in counts_for(s, "人次")] == ["52人次"]
    t = "共为40名老人上门测量心率。"
    assert counts_for(t, "人次") == [] and other_counts(t, "人次") == []  # 40名 people are not 人次 visits
    assert [x.text for x in counts_for(t, "人")] == ["40名"]


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return Tokenizer([])


def test_places_are_what_stands_between_a_place_lead_and_its_verb(tok: Tokenizer) -> None:
    def found(s: str) -> list[str]:
        return [x.text for x in places(tok.pos_tags(s))]

    assert found("培训班在门诊楼三楼学术报告厅举办。") == ["门诊楼三楼学术报告厅"]
    # a verb inside the place's name (健身) does not end it: the longest run ending with a place word does
    assert found("比赛在青禾市全民健身中心羽毛球馆举行。") == ["青禾市全民健身中心羽毛球馆"]
    assert found("医疗队走进青禾市城东养老服务中心，开展义诊。") == ["青禾市城东养老服务中心"]
    assert found("活动地点为院区东侧广场。") == ["院区东侧广场"]
    # 在…支持下 / 在工作中 name no place, and a date after 于 is no place
    assert found("在医院的大力支持下，各科室在工作中取得成绩，于3月12日结束。") == []


def test_place_names_join_the_tagged_names_of_a_place(tok: Tokenizer) -> None:
    texts = [x.text for x in place_names(tok.pos_tags("他出生于湖南省长沙市，后来到北京工作。"))]
    assert "湖南省长沙市" in texts and "北京" in texts


def test_a_tagged_name_that_is_an_everyday_word_is_no_person() -> None:
    tagged = [("金秋", 0), ("沈若溪", 6)]  # 金秋杯: the tagger may read 金秋 as a name
    assert persons("金秋杯比赛由沈若溪主持", set(), tagged) == [Span("沈若溪", 6)]
    assert persons("金秋杯比赛由沈若溪主持", {"金秋"}, tagged)[0] == Span("金秋", 0)  # known to the archive: a name


def test_the_value_before_a_change_answers_only_a_question_naming_that_state() -> None:
    s = "出院时,患儿体重已从出生时的1100克增长到2400克,各项指标达标。"
    spans = number_spans_in_original(s)
    assert changed_to(s, spans[0], spans, "出院时体重是多少？") == Span("2400克", s.index("2400克"))
    assert changed_to(s, spans[0], spans, "出生时体重是多少？") == spans[0]
    t = "平均住院日由8.3天缩短至6.9天。"
    assert changed_to(t, number_spans_in_original(t)[0], number_spans_in_original(t), "平均住院日是多少天？").text == "6.9天"
    u = "共完成手术900台，增长到历史最高。"  # no value after the change: the span stands
    assert changed_to(u, number_spans_in_original(u)[0], number_spans_in_original(u), "完成多少台手术？").text == "900台"


def test_what_was_due_answers_only_a_question_that_asks_for_it() -> None:
    s = "大会应到职工代表86名,实到79名,符合法定人数。"
    spans = number_spans_in_original(s)
    assert changed_to(s, spans[0], spans, "大会实际到会多少名代表？").text == "79名"
    assert changed_to(s, spans[0], spans, "大会应到多少名代表？").text == "86名"


def test_a_run_of_units_joined_by_list_marks_is_one_answer() -> None:
    s = "运动医学科、口腔科获评先进科室，营养科和护理部获评进步奖。"
    units = departments(s, {"运动医学科", "口腔科", "营养科", "护理部"})
    assert run_of(units, s, units[3]).text == "营养科、护理部"  # not 口腔科, a clause apart
    assert run_of(units, s, units[0]).text == "运动医学科、口腔科"
    lone = Span("口腔科", 0)
    assert run_of([lone], "口腔科获评", lone) == lone


def test_a_count_of_kinds_keeps_its_noun() -> None:
    s = "培训涵盖七大核心模块，共有三大环节。"
    assert [x.text for x in counts_for(s, "大模块")] == ["七大核心模块"]
    assert [x.text for x in counts_for(s, "大环节")] == ["三大环节"]
    assert [x.text for x in counts_for("分为六大方面", "大环节")] == ["六大"]  # another noun: the count alone


def test_organisations_are_runs_of_nouns_ending_in_an_organisation(tok: Tokenizer) -> None:
    def found(s: str) -> list[str]:
        return [x.text for x in organisations(tok.pos_tags(s))]

    assert found("医院与青禾理工大学生物医学工程学院签订合作协议。") == ["青禾理工大学生物医学工程学院"]
    assert found("医疗队与城东百合养老服务中心举行签约仪式。") == ["城东百合养老服务中心"]
    assert found("项目由中国抗癌协会肿瘤营养专业委员会发起。") == ["中国抗癌协会肿瘤营养专业委员会"]
    assert found("科室组建了多学科团队。") == []


def test_a_value_increased_to_is_the_value_it_became() -> None:
    s = "门诊诊室由3间增至8间。"
    spans = number_spans_in_original(s, "间")
    assert changed_to(s, spans[0], spans, "诊室增加到了几间？") == Span("8间", s.index("8间"))


def test_the_count_printed_before_the_noun_asked_is_that_nouns() -> None:
    s = "抽调12名医师、30名护士组成梯队"
    spans = number_spans_in_original(s)
    assert counted_next(spans, s, "护士") == Span("30名", s.index("30名"))
    assert counted_next(spans, s, "药师") is None


def test_respectively_pairs_each_thing_with_its_value() -> None:
    s = "此后，父亲共治疗15次，母亲和儿子分别接受了9次和6次。"
    spans = number_spans_in_original(s)
    assert respectively(spans, s, "儿子做了几次？") == Span("6次", s.index("6次"))
    assert respectively(spans, s, "母亲做了几次？") == Span("9次", s.index("9次"))
    assert respectively(spans, s, "父亲做了几次？") is None  # not one of the pair


def test_a_role_of_the_unit_asked_is_that_units_not_another_in_the_sentence() -> None:
    s = "外科主任顾明川组织会诊，联系眼科做好准备，眼科主任林知远随后赶到。"
    assert persons_in_role(s, "主任", {"顾明川", "林知远"}, unit="眼科") == [Span("林知远", s.index("林知远"))]
    assert persons_in_role("眼科林知远主任介绍", "主任", {"林知远"}, unit="眼科") == [Span("林知远", 2)]
    assert persons_in_role("外科主任顾明川联系眼科", "主任", {"顾明川"}, unit="眼科") == []


def test_a_pressure_is_no_length_and_a_share_in_tenths_is_a_quantity() -> None:
    sent = "压差由68毫米汞柱降至9毫米汞柱，植入1枚26毫米瓣膜，排队人数减少约四成，3成功"
    assert [s.text for s in counts_for(sent, "length")] == ["26毫米"]
    assert [s.text for s in counts_for(sent, "size")] == ["26毫米"]
    assert "四成" in [s.text for s in counts_for(sent, "")]
    assert not any(s.text.startswith("3") for s in counts_for(sent, ""))  # 3成功 is no share
    assert [s.text for s in counts_for("病房面积120平方米，走廊长30米", "size")] == ["120平方米", "30米"]


def test_a_year_or_a_month_of_the_year_is_no_length_of_time() -> None:
    sent = "2020年退休，已经整整41年，3月起历时3个月"
    assert [s.text for s in counts_for(sent, "time")] == ["41年", "3个月"]
    assert [s.text for s in counts_for(sent, "年")] == ["41年"]


def test_a_common_word_after_a_role_is_no_name() -> None:
    s = "开幕式由市医学会专业委员会主任委员、重症医学科主任白某东主持，她走上护士长岗位。"
    assert "委员" not in [p.text for p in persons(s, set())]
    assert [p.text for p in persons_in_role(s, "主任", set())] == ["白某东"]  # 主任委员 is a role, not 主任 + 委员
    assert persons_in_role("她走上护士长岗位，", "护士长", set()) == []


def test_a_classifier_of_cilin_takes_a_rounded_count() -> None:
    assert [x.text for x in counts_for("共送出饺子4200余份，汤圆300多份。", "份")] == ["4200余份", "300多份"]


def test_a_person_named_by_surname_and_address_or_by_a_marked_pseudonym() -> None:
    s = "写信的是退休教师钱老师(化名)，落款是“林小禾(化名)”，她和老师们一起感谢了王大爷。"
    assert [x.text for x in persons(s, set())] == ["钱老师", "林小禾", "王大爷"]  # not 和老师: with the teachers


def test_an_age_bracket_is_no_ones_age_unless_a_bracket_is_asked() -> None:
    s = "已为两例80岁以上高龄患者手术，其中一名为83岁老人。"
    assert [x.text for x in counts_for(s, "岁")] == ["83岁"]
    assert [x.text for x in counts_for(s, "岁", bound=True)] == ["80岁", "83岁"]
