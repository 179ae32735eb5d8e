"""rag.text: the compared form of text, Chinese numerals, sentences, Latin terms and jieba's search tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.text import (
    STOPWORDS,
    Tokenizer,
    chinese_int,
    cn_numerals_to_digits,
    indefinite_one,
    latin_terms,
    normalize,
    split_sentences,
    table_rows,
    to_simplified,
)


@pytest.mark.parametrize("text,expected", [
    ("ＡＢＣ １２３", "abc123"),  # full width → half width, lower case, no spaces
    ("醫院 護理部", "医院护理部"),  # traditional → simplified
    ("手术用时二十分钟", "手术用时20分钟"),
    ("Endo-PLIF 手術", "endo-plif手术"),
    ("大家一起 走", "大家一起走"),  # 一起 is a word, not a number
    ("", ""),
])
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_normalize_can_keep_numerals_as_printed() -> None:
    assert normalize("手术用时 二十分钟", numerals=False) == "手术用时二十分钟"


def test_to_simplified() -> None:
    assert to_simplified("運動醫學科") == "运动医学科"
    assert to_simplified("运动医学科") == "运动医学科"


@pytest.mark.parametrize("text,expected", [
    ("3", 3), ("12", 12), ("三", 3), ("两", 2), ("〇", 0), ("十", 10), ("十二", 12), ("二十", 20), ("二十一", 21),
    ("九十九", 99),
])
def test_chinese_int(text: str, expected: int) -> None:
    assert chinese_int(text) == expected


@pytest.mark.parametrize("text", ["", "一百", "百", "三十四五", "二十三十", "十十", "abc", "三五", "第三"])
def test_chinese_int_is_none_for_what_is_not_a_number_below_100(text: str) -> None:
    assert chinese_int(text) is None


@pytest.mark.parametrize("text,expected", [
    ("手术用时二十分钟", "手术用时20分钟"),
    ("共完成两例", "共完成2例"),
    ("一名护士", "1名护士"),  # one before a unit is a number
    ("第三届比赛", "第3届比赛"),
    ("落实十八项制度", "落实18项制度"),
    ("一百二十人参加", "120人参加"),
    ("大家一起出发", "大家一起出发"),  # 一 before 起 is not a number
    ("一起", "一起"),
    ("统一规划，两手抓", "统一规划，两手抓"),  # nor are 一 and 两 before a non-unit
    ("已有3000余人", "已有3000余人"),
    ("送来两幅字画", "送来2幅字画"),  # any one-character classifier of the unit table
    ("取出一枚结石", "取出1枚结石"),
])
def test_cn_numerals_to_digits(text: str, expected: str) -> None:
    assert cn_numerals_to_digits(text) == expected


def test_split_sentences_keeps_closing_punctuation_and_quotes() -> None:
    text = "他说：“好。”然后走了！真的吗？是的；结束……后面\n下一行"
    assert split_sentences(text) == ["他说：“好。”", "然后走了！", "真的吗？", "是的；", "结束……", "后面", "下一行"]


def test_split_sentences_of_blank_text_is_empty() -> None:
    assert split_sentences("") == [] and split_sentences("  \n ") == []


def test_latin_terms_are_two_characters_or_more_with_their_joins() -> None:
    assert latin_terms("开展Endo-PLIF和ILD、HPV/TCT检测，X光，a1，C++") == ["Endo-PLIF", "ILD", "HPV/TCT", "a1"]
    assert latin_terms("全是中文，没有字母") == []


@pytest.fixture(scope="module")
def jieba_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One dictionary cache for the module: jieba builds it once, then loads it."""
    return tmp_path_factory.mktemp("jieba")


@pytest.fixture(scope="module")
def tokenizer(jieba_cache: Path) -> Tokenizer:
    return Tokenizer(["运动医学科", "钟予安", "x"], jieba_cache)


def test_the_tokenizer_keeps_its_own_words_of_two_characters_or_more(tmp_path: Path) -> None:
    tok = Tokenizer(["运动医学科", "钟予安", "X", "", "Endo-PLIF"], tmp_path)
    assert tok._words == ["endo-plif", "运动医学科", "钟予安"]  # lower case: matched against normalized text


def test_tokens_use_the_dictionary_and_drop_stopwords_and_punctuation(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokens("运动医学科的钟予安主任是谁？") == ["运动", "医学", "学科", "医学科", "运动医学科", "钟予安", "主任"]


def test_tokens_without_the_dictionary_split_an_unknown_name(jieba_cache: Path) -> None:
    assert Tokenizer([], jieba_cache).tokens("钟予安主任") == ["钟予", "安", "主任"]


def test_tokens_are_lower_case_and_normalized(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokens("ILD患者，做了HPV检测！") == ["ild", "患者", "做", "hpv", "检测"]
    assert tokenizer.tokens("什么？是谁！") == []  # only question words and punctuation
    assert not {"什么", "是谁", "的"} - STOPWORDS


def test_words_is_plain_segmentation(tokenizer: Tokenizer) -> None:
    assert tokenizer.words("运动医学科的钟予安主任") == ["运动医学科", "的", "钟予安", "主任"]


def test_a_name_no_dictionary_holds_is_read_after_a_unit() -> None:
    tok = Tokenizer([])
    names = [n for n, _ in tok.person_names("单项比赛中，影像科王浩宇获得男子单打冠军，检验科代表队获得团体赛一等奖。")]
    assert "王浩宇" in names  # jieba alone cuts 科王 / 浩 / 宇
    assert "代表队" not in names  # a dictionary word is no name



def test_an_everyday_word_the_tagger_calls_a_name_is_no_name() -> None:
    tok = Tokenizer([])
    s = "养成绿色低碳、文明健康的生活习惯，沈若溪带头参与。"
    assert ("文明", "nr") in tok.pos_tags(s)  # jieba's tagger reads 文明 as a name …
    names = [n for n, _ in tok.person_names(s)]
    assert "文明" not in names and "沈若溪" in names  # … but it is far too common a word to be one


def test_a_name_the_tagger_marks_nrfg_is_a_name() -> None:
    tok = Tokenizer([])
    s = "最佳二传 宋淼(药学部)"
    assert ("宋淼", "nrfg") in tok.pos_tags(s)
    assert [n for n, _ in tok.person_names(s)] == ["宋淼"]


def test_a_surname_and_a_given_name_tagged_apart_are_one_name() -> None:
    tok = Tokenizer([])
    s = "伤口门诊由造口治疗师柯瑞芳牵头。"
    assert [w for w, f in tok.pos_tags(s) if f == "nr"] == ["柯", "瑞芳"]  # jieba's tagger cuts the name in two
    assert tok.person_names(s) == [("柯瑞芳", s.index("柯"))]


def test_rows_of_a_printed_results_table_are_read_under_their_heading() -> None:
    paras = ["比赛成绩如下：", "甲组", "第一名 眼科代表队", "第二名 药学部代表队", "乙组", "第一名 骨科代表队",
             "最佳团队", "门诊护理团队", "比赛在欢笑中结束，大家约定明年再战。"]
    assert table_rows(paras) == ["比赛成绩如下：", "甲组", "甲组 第一名 眼科代表队", "甲组 第二名 药学部代表队", "乙组",
                                 "乙组 第一名 骨科代表队", "最佳团队", "最佳团队 门诊护理团队",
                                 "比赛在欢笑中结束，大家约定明年再战。"]
    prose = ["医院召开大会。", "会上，院长作报告，部署全年工作。", "高难度手术 成熟应对", "手术历时3小时，患者恢复良好。"]
    assert table_rows(prose) == prose  # a subhead over running text is no table


@pytest.mark.parametrize("sentence,printed,indefinite", [
    ("为一名67岁男性患者实施手术", "一名", True),  # a patient
    ("切除了一处大小约4厘米的病变", "一处", True),
    ("这次比赛既是一场体育竞技", "一场", True),
    ("这一天，她退休了", "一天", True),  # that day
    ("有一天，他来到门诊", "一天", True),
    ("他在监护室住了一天就转回病房", "一天", False),  # a length of time
    ("参赛的外院选手共有一名。", "一名", False),
    ("全年仅完成一例。", "一例", False),
    ("每窝只生一个蛋", "一个", False),  # 只: how many
    ("用了一年时间", "一年", False),
    ("共完成12例", "12例", False),
])
def test_one_and_a_classifier_before_its_noun_is_the_indefinite_article(sentence: str, printed: str,
                                                                        indefinite: bool) -> None:
    assert indefinite_one(sentence, printed, sentence.index(printed)) is indefinite



def test_a_lone_surname_and_a_word_before_a_title_are_one_name() -> None:
    tok = Tokenizer([])
    s = "市中心医院骨科韦建平主任作专题报告。"
    assert [w for w, f in tok.pos_tags(s) if f == "nr"] == ["韦"]  # 建平 is tagged a word, not a name
    assert tok.person_names(s) == [("韦建平", s.index("韦"))]
    assert tok.person_names("韦建平作专题报告。") == []  # no title after it: nothing tells it is a name
