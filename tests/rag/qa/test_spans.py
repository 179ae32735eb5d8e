"""rag.qa.spans: candidate spans generated generally, their features, and the fitted ranker's choice."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from rag.errors import ConfigError
from rag.qa.spangen import Candidate, generate
from rag.qa.spans import (
    WEIGHTS_FILE,
    SpanMode,
    best_span,
    features,
    load_weights,
    read_question,
    span_modes,
)
from rag.settings import AnswerSettings
from rag.text import Tokenizer

PRIZES = "大赛共评出一等奖2名、二等奖5名，其中一等奖由钟予安获得，二等奖由林知远获得。"


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return Tokenizer(["钟予安", "林知远"])


def _frame(tok: Tokenizer, question: str, qtype: str = "open"):  # type: ignore[no-untyped-def]
    return read_question(question, tok.words(question), qtype)


def _pool(tok: Tokenizer, q, sentence: str) -> list[tuple[str, list[Candidate]]]:  # type: ignore[no-untyped-def]
    return [(sentence, generate(sentence, tok.pos_tags(sentence), known_people={"钟予安", "林知远"},
                                qwords=q.words))]


def test_candidates_come_from_names_numbers_dates_titles_and_clauses(tok: Tokenizer) -> None:
    s = "3月20日，钟予安在《青禾医讯》发表文章，介绍2项新技术。"
    found = {c.text: c.kinds for c in generate(s, tok.pos_tags(s), known_people={"钟予安"})}
    assert "person" in found["钟予安"]
    assert "date" in found["3月20日"]
    assert "quoted" in found["青禾医讯"]
    assert "number" in found["2项"]
    assert "clause" in found["钟予安在《青禾医讯》发表文章"]
    assert "sentence" in found[s.rstrip("。")]


def test_a_name_joined_by_an_interpunct_is_one_candidate(tok: Tokenizer) -> None:
    s = "这一疗法由英国医生约翰·斯特林首先提出。"
    found = {c.text: c.kinds for c in generate(s, tok.pos_tags(s))}
    assert "dotted" in found["约翰·斯特林"]


def test_each_candidate_is_a_span_of_its_sentence(tok: Tokenizer) -> None:
    q = _frame(tok, "一等奖由谁获得？")
    for c in generate(PRIZES, tok.pos_tags(PRIZES), qwords=q.words):
        assert PRIZES[c.start: c.end] == c.text


def test_interrogatives_are_classed_by_a_general_table(tok: Tokenizer) -> None:
    assert _frame(tok, "一等奖由谁获得？").wh == "who"
    assert _frame(tok, "手术用时多少分钟？").wh == "howmany"
    assert _frame(tok, "为什么要开设门诊？").wh == "why"
    assert _frame(tok, "义诊在什么时候举行？").wh == "when"
    assert _frame(tok, "这是一句陈述。").wh == "none"
    q = _frame(tok, "一等奖由谁获得？")
    assert (q.before, q.after) == ("一等奖由", "获得")
    assert (q.word_before, q.word_after) == ("一等奖", "获得")
    assert "谁" not in q.words and "一等奖" in q.words


def test_frame_alignment_marks_the_candidate_beside_the_asked_attribute(tok: Tokenizer) -> None:
    q = _frame(tok, "一等奖由谁获得？", "person")
    first = Candidate("钟予安", PRIZES.index("钟予安"), frozenset({"person"}))
    second = Candidate("林知远", PRIZES.index("林知远"), frozenset({"person"}))
    f1, f2 = features(q, PRIZES, first, 1.0, 1.0), features(q, PRIZES, second, 1.0, 1.0)
    assert f1["left_align"] == 4 / 6 and f1["right_align"] == 2 / 6  # 一等奖由|钟予安|获得
    assert f2["left_align"] == 3 / 6  # 二等奖由|林知远: the characters tell them apart by one…
    assert (f1["word_before"], f1["word_after"]) == (1.0, 1.0)  # … the words by the asked attribute
    assert (f2["word_before"], f2["word_after"]) == (0.0, 1.0)
    q = _frame(tok, "一等奖有几名？", "number")
    two = Candidate("2名", PRIZES.index("2名"), frozenset({"number"}))
    five = Candidate("5名", PRIZES.index("5名"), frozenset({"number"}))
    assert features(q, PRIZES, two, 1.0, 1.0)["word_before"] == 1.0
    assert features(q, PRIZES, five, 1.0, 1.0)["word_before"] == 0.0
    assert f1["whole_in_question"] == 0.0 and f1["wh:who|k:person"] == 1.0


def test_the_ranker_picks_the_highest_scoring_candidate(tok: Tokenizer) -> None:
    q = _frame(tok, "一等奖由谁获得？", "person")
    weights = {"left_align": 3.0, "k:person": 1.0}
    best = best_span(q, _pool(tok, q, PRIZES), weights)
    assert best is not None and best.text == "钟予安"
    # its probability is its share of the softmax over every candidate of the pool
    scores = [sum(weights.get(k, 0.0) * v for k, v in features(q, PRIZES, c, 1.0, 1.0).items())
              for c in _pool(tok, q, PRIZES)[0][1] if c.text not in q.text]
    assert best.prob == pytest.approx(1.0 / sum(math.exp(s - best.score) for s in scores))
    assert 0.0 < best.prob < 1.0


@pytest.mark.parametrize(("question", "expected"), [("一等奖由谁获得？", "钟予安"), ("二等奖由谁获得？", "林知远"),
                                                    ("一等奖有几名？", "2名"), ("二等奖有几名？", "5名")])
def test_the_fitted_ranker_answers_the_asked_prize_not_its_neighbour(tok: Tokenizer, question: str,
                                                                       expected: str) -> None:
    q = _frame(tok, question, "person" if "谁" in question else "number")
    best = best_span(q, _pool(tok, q, PRIZES), load_weights())
    assert best is not None and best.text == expected


def test_the_shipped_weights_say_what_they_were_fitted_on() -> None:
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert "cmrc2018_fit" in data["data"] and "dev_sample" not in data["data"]
    assert 0.0 < data["holdout"]["exact_match"] <= data["holdout"]["char_f1"] <= 1.0
    assert {v.partition("@")[0] for v in data["ranked_types"].values()} <= {"off", "fallback", "replace", "trim"}


def test_span_modes_read_the_setting(tmp_path: Path) -> None:
    w = tmp_path / "w.json"
    w.write_text(json.dumps({"weights": {"bias": 1.0}, "ranked_types": {"open": "replace", "date": "off"}}))
    assert span_modes("fitted", w) == {"open": SpanMode("replace")}
    assert span_modes("none", w) == {}
    assert span_modes("list=fallback@0.5,open=off", w) == {"list": SpanMode("fallback", 0.5)}
    assert span_modes("date=trim@0.9", w) == {"date": SpanMode("trim", 0.9)}
    assert AnswerSettings(span_modes="date=trim@0.9").span_modes == "date=trim@0.9"
    assert span_modes("fitted", tmp_path / "absent.json") == {}


def test_a_malformed_span_mode_setting_is_refused() -> None:
    with pytest.raises(ConfigError, match="span_modes"):
        AnswerSettings(span_modes="open:replace")
    with pytest.raises(ConfigError, match="span_modes"):
        AnswerSettings(span_modes="open=fallback@high")
    for floor in ("-0.5", "1.5", "2"):  # a floor is a probability
        with pytest.raises(ConfigError, match="span_modes"):
            AnswerSettings(span_modes=f"open=fallback@{floor}")
    assert AnswerSettings(span_modes="open=fallback@0.5,list=replace@1").span_modes


@pytest.fixture(scope="module")
def handmade(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from handmade import tiny_archive

    return tiny_archive(tmp_path_factory.mktemp("spans") / "var")


def _ask(archive, question: str, modes: str):  # type: ignore[no-untyped-def]
    from rag import Archive, answer_question

    return answer_question(Archive(archive.settings.with_(span_modes=modes), archive.embeddings), question)


def test_where_the_rules_find_nothing_the_ranked_span_replaces_the_clause(handmade) -> None:  # type: ignore[no-untyped-def]
    q = "机器人辅助可将截骨误差控制在怎样的范围？"
    rules = _ask(handmade, q, "none")
    ranked = _ask(handmade, q, "open=fallback")
    sentence = "运动医学科主任钟予安介绍，机器人辅助可将截骨误差控制在1毫米以内。"
    assert rules.answer == sentence  # the rules have no answer of this shape: the whole (short) sentence
    assert ranked.answer in sentence and len(ranked.answer) < len(sentence) - 10  # a span of it…
    assert ranked.evidence[0] == sentence  # … and the sentence stays the evidence, cited
    assert ranked.citations == rules.citations


def test_replace_mode_answers_with_the_ranked_span_even_where_a_rule_answers(handmade) -> None:  # type: ignore[no-untyped-def]
    q = "运动医学科主任是谁？"
    rules, ranked = _ask(handmade, q, "none"), _ask(handmade, q, "person=replace")
    assert rules.answer == "钟予安"
    assert ranked.answer in ranked.evidence[0] and not ranked.abstained


def test_a_probability_floor_keeps_the_rules_answer_when_the_ranker_is_unsure(handmade) -> None:  # type: ignore[no-untyped-def]
    q = "机器人辅助可将截骨误差控制在怎样的范围？"
    rules = _ask(handmade, q, "none")
    assert _ask(handmade, q, "open=fallback@1").answer == rules.answer  # no span has all the probability
    assert _ask(handmade, q, "open=fallback@0").answer != rules.answer


def test_other_ranker_weights_can_be_set(handmade, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = tmp_path / "w.json"
    w.write_text(json.dumps({"weights": {"k:number": 10.0}}), encoding="utf-8")
    from rag import Archive, answer_question

    archive = Archive(handmade.settings.with_(span_modes="open=replace", span_weights=str(w)), handmade.embeddings)
    assert answer_question(archive, "机器人辅助可将截骨误差控制在怎样的范围？").answer == "1毫米"
    with pytest.raises(ConfigError, match="span_weights"):
        AnswerSettings(span_weights=str(tmp_path / "absent.json"))
