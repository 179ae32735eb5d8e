"""rag.qa.evidence: how much of a question's weighted words a text covers, and how the words are weighed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import fake_archive
from handmade import tiny_archive, tiny_issue

from rag import Archive
from rag.models import Article
from rag.qa.evidence import coverage, publication_frame, question_weights, score_sentences, sentence_years
from rag.qa.retrieve import retrieve
from rag.store import keyword
from rag.store.catalog import ArticleRow
from rag.text import normalize

# what a tokenizer would make of three texts: 收 stands alone in one, inside 收集 in another
WORDS = {"收集了锦旗": {"收集", "了", "锦旗"}, "收了锦旗": {"收", "了", "锦旗"}, "锦旗": {"锦旗"}}.__getitem__


def test_coverage_is_the_share_of_weight_present() -> None:
    weights = {"义诊": 3.0, "口腔": 1.0}
    assert coverage(weights, "口腔科开展义诊") == 1.0
    assert coverage(weights, "口腔科开展讲座") == 0.25
    assert coverage(weights, "营养科开展讲座") == 0.0


def test_a_one_character_word_counts_only_as_a_word_of_its_own() -> None:
    weights = {"收": 1.0, "锦旗": 3.0}
    assert coverage(weights, "收了锦旗", WORDS) == 1.0
    assert coverage(weights, "收集了锦旗", WORDS) == 0.75  # 收 inside 收集 is another word
    assert coverage(weights, "收集了锦旗") == 1.0  # without a tokenizer: by characters


def test_coverage_accepts_synonyms_from_the_thesaurus() -> None:
    """同义词词林 '=' groups: 头一回 = 首次, 病人 = 患者; a word of another group does not count."""
    assert coverage({"头一回": 2.0, "患者": 2.0}, "首次为病人完成手术") == 1.0
    assert coverage({"举办": 1.0}, "医院开办讲座") == 1.0
    assert coverage({"举办": 1.0}, "医院召集大会") == 0.0


def test_coverage_of_no_weight_is_zero() -> None:
    assert coverage({}, "任何文字") == 0.0
    assert coverage({"口腔": 0.0}, "口腔") == 0.0


@pytest.fixture(scope="module")
def samples(fake_sample_dir: Path) -> Archive:
    return fake_archive(fake_sample_dir)


def test_the_publication_frame_is_read_from_the_catalog(samples: Archive) -> None:
    assert samples.publications() == frozenset({"晋城大医院"})
    assert publication_frame(samples) == frozenset({"晋城大医院", "晋城", "大", "大医院", "医院"})


def test_weights_are_idf_of_the_content_words(samples: Archive) -> None:
    weights = question_weights(samples, "医疗安全警示教育大会的主持")
    df, n = keyword.document_frequencies(samples.conn, list(weights))
    assert set(weights) == {"医疗", "安全", "警示", "教育", "大会", "主持"}
    for word, weight in weights.items():
        assert weight == pytest.approx(keyword.idf(df[word], n)), word
    assert weights["警示"] > weights["医疗"]  # the rarer word weighs more


def test_a_word_the_archive_never_prints_is_weighed_by_its_printed_pieces(samples: Archive) -> None:
    # jieba keeps 主持人 whole; the archive prints 主持 but never 主持人 (nor 持人) as an indexed word
    df, n = keyword.document_frequencies(samples.conn, ["主持人", "主持", "持人"])
    assert (df["主持人"], df["持人"]) == (0, 0) and df["主持"] > 0
    weights = question_weights(samples, "医疗安全警示教育大会的主持人")
    assert "主持人" not in weights
    assert weights["主持"] == pytest.approx(keyword.idf(0, n) / 2)  # its share of the whole word's weight


def test_question_words_and_frame_words_carry_no_weight(samples: Archive) -> None:
    weights = question_weights(samples, "哪个科室在什么时候举办了多少场义诊？")
    assert not {"哪个", "科室", "什么", "什么时候", "时候", "多少", "了", "在"} & set(weights)
    assert "义诊" in weights


def test_the_publication_name_carries_no_weight(samples: Archive) -> None:
    weights = question_weights(samples, "晋城大医院的医疗安全警示教育大会由谁主持？")
    assert not {"晋城大医院", "晋城", "大医院", "医院"} & set(weights)
    assert "警示" in weights


def test_no_piece_of_the_publication_name_carries_weight(samples: Archive) -> None:
    weights = question_weights(samples, "晋城大医院的医疗安全警示教育大会由谁主持？")
    assert not [w for w in weights if w in "晋城大医院"]


def test_the_word_beside_the_question_word_is_boosted(samples: Archive) -> None:
    boost = samples.settings.answer.wh_boost
    plain = question_weights(samples, "医疗安全警示教育大会主持")
    beside = question_weights(samples, "医疗安全警示教育大会由谁主持？")
    assert boost == 2.0
    assert beside["主持"] == pytest.approx(boost * plain["主持"])  # right after 由谁
    assert beside["大会"] == pytest.approx(boost * plain["大会"])  # right before it
    assert beside["警示"] == pytest.approx(plain["警示"])  # further away: not boosted
    far = question_weights(samples, "谁主持了医疗安全警示教育大会？")
    assert far["大会"] == pytest.approx(plain["大会"])


def test_a_word_for_a_person_beside_the_question_word_is_the_kind_asked_not_boosted(samples: Archive) -> None:
    plain = question_weights(samples, "大会主持医生")
    asked = question_weights(samples, "大会主持的医生是谁？")  # any doctor: the answer's kind, not a fact asked
    assert asked["医生"] == pytest.approx(plain["医生"])
    assert asked["主持"] == pytest.approx(plain["主持"])
    assert question_weights(samples, "大会由谁主持？")["主持"] == pytest.approx(2.0 * plain["主持"])


def test_score_sentences_reads_whole_articles_and_anchors_the_words(samples: Archive) -> None:
    question = "医疗安全警示教育大会由谁主持？"
    weights = question_weights(samples, question)
    scored = score_sentences(samples, retrieve(samples, question), weights)
    articles = {s.hit.article_id for s in scored}
    assert 1 < len(articles) <= samples.settings.answer.evidence_articles
    best = max(scored, key=lambda s: s.coverage)
    assert best.rank == 0 and best.hit.source.title.startswith("晋城大医院召开")
    assert best.coverage == pytest.approx(coverage(weights, normalize(best.sentence)))
    assert best.context >= best.coverage
    assert best.anchors and all(
        any(v == weight and best.sentence.lower()[pos:].startswith(w) for w, v in weights.items())
        for pos, weight in best.anchors)


def test_a_question_number_anchors_where_the_sentence_prints_it_in_chinese() -> None:
    from rag.qa.evidence import _anchors

    s = "甲队获得一等奖，乙队获得三等奖。"
    assert (s.index("三"), 2.0) in _anchors(s, {"3": 2.0, "奖": 1.0})
    assert (s.index("一"), 2.0) not in _anchors(s, {"3": 2.0})


def test_a_word_written_out_or_said_by_a_synonym_anchors_where_coverage_finds_it() -> None:
    """男单 asked: the anchor is 男子单打's clause, not only the clauses printing 冠军 (coverage already counts it)."""
    from rag.qa.evidence import _anchors

    s = "甲获得女子单打冠军，乙获得男子单打冠军。"
    anchors = _anchors(s, {"男单": 3.0, "冠军": 1.0})
    assert (s.index("男子"), 3.0) in anchors and not any(w == 3.0 and a < s.index("，") for a, w in anchors)


def test_each_sentence_speaks_of_the_year_its_words_or_its_paragraph_name() -> None:
    body = ("去年，是奋进的一年。这一年，全院完成手术3万台次。\n"
            "今年，医院将力争完成手术3.5万台次。明年将建成新院区。\n"
            "护理部开展培训。")
    row = ArticleRow(id="a1", total_no=1, issue_no=1, year=2031, date="2031-01-05", seq=1, page=1,
                     page_inferred=False, title="新年献辞", subtitle="", kind="news", department="", author="",
                     editor_note="", body=body, chars=len(body))
    assert len(sentence_years(row)) == len(row.sentences())
    assert sentence_years(row) == [2030, 2030, 2031, 2032, None]


def test_coverage_finds_an_abbreviation_and_a_place_in_a_ranking() -> None:
    weights = {"女单": 1.0, "第一": 1.0}
    assert coverage(weights, "护理部某某获得女子单打冠军") == 1.0
    assert coverage(weights, "某某获得男子单打亚军") == 0.0


def test_the_kind_of_answer_asked_for_is_no_content_word(samples: Archive) -> None:
    weights = question_weights(samples, "院长在大会上讲的题目是什么？他的职务是什么？")
    assert "题目" not in weights and "职务" not in weights and "大会" in weights


def test_a_sentence_not_printing_what_the_question_is_about_keeps_half_its_score(tmp_path: Path) -> None:
    match = Article(page=4, page_inferred=False, title="职工象棋比赛落幕", department="工会", author="韩素问",
                    paragraphs=("3月2日，“青松杯”职工象棋比赛在职工活动中心举行。",
                                "单项比赛中，眼科苏望舒获得亚军。", "比赛在欢笑中结束。"))
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(match,)))
    question = "苏望舒在“青松杯”象棋比赛中拿了什么名次？"
    weights = question_weights(archive, question)
    hits = retrieve(archive, question)

    def best(about: str) -> str:
        return max(score_sentences(archive, hits, weights, question, about), key=lambda s: s.coverage).sentence

    assert best("") == match.paragraphs[0]  # the event's words outweigh the name
    assert best("苏望舒") == match.paragraphs[1]  # a two-hop's bridge: the lead is about no one in particular
