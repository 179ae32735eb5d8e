"""rag.qa.answerable: the signals the abstention model reads, the model itself, and the answerer following it
(on the small hand-written issue)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from handmade import tiny_archive, tiny_issue

from rag import answer_question
from rag.models import Hit, Source
from rag.qa import answerable, extractive
from rag.qa.answerable import Gate, Model, load_model
from rag.qa.evidence import Scored

SOURCE = Source(article_id="a1", total_no=301, issue_no=3, year=2025, date="2025-03-15", page=1, page_inferred=False,
                title="题", department="", author="")


def _scored(coverage: float, context: float, dense: float, keyword_rank: int | None = 0, rank: int = 0) -> Scored:
    hit = Hit("c1", "文本", SOURCE, 0.5, dense_score=dense, keyword_rank=keyword_rank)
    return Scored("句子", hit, rank, 0, coverage, context, ())


def test_the_signals_count_the_known_words_apart_and_compare_the_cosine_with_the_best() -> None:
    gate = Gate(novel_share=0.5, qtype="number", top_dense=0.9, hard=True)
    s = gate.signals(_scored(0.3, 0.4, 0.85, keyword_rank=1, rank=2))
    # half the question's weight is in words no article prints: what the sentence holds is 0.6 of the rest
    assert s["known_coverage"] == pytest.approx(0.6) and s["known_context"] == pytest.approx(0.8)
    assert s["dense_gap"] == pytest.approx(0.05) and s["top_dense"] == 0.9
    assert (s["keyword_rank"], s["article_rank"], s["hard"], s["list"]) == (0.5, pytest.approx(1 / 3), 1.0, 0.0)
    # a chunk dense retrieval never returned is as far from the best as can be; one keyword search missed scores 0
    far = gate.signals(_scored(0.3, 0.4, 0.0, keyword_rank=None))
    assert (far["dense_gap"], far["keyword_rank"]) == (1.0, 0.0)


def test_the_model_is_a_logistic_over_the_signals() -> None:
    model = Model({"bias": -1.0, "coverage": 4.0}, threshold=0.5)
    low, high = model.probability({"bias": 1.0, "coverage": 0.1}), model.probability({"bias": 1.0, "coverage": 0.9})
    assert low < 0.5 < high
    assert model.probability({"bias": 1.0, "coverage": 0.25}) == pytest.approx(0.5)
    assert 0.0 < Model({"bias": -1e6}, 0.5).probability({"bias": 1.0}) < 1e-9  # no overflow


def test_no_model_file_means_no_model(tmp_path: Path) -> None:
    assert load_model(tmp_path / "absent.json") is None
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"weights": {"bias": 0.5}, "threshold": 0.3}), encoding="utf-8")
    assert load_model(path) == Model({"bias": 0.5}, 0.3)


def test_the_answerer_abstains_where_the_model_says_the_evidence_does_not_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tiny_archive(tmp_path / "var", tiny_issue())
    question = "运动医学科的机器人辅助膝关节置换手术用时多少分钟？"
    sure = Model({"bias": 10.0}, threshold=0.5)
    monkeypatch.setattr(extractive, "load_model", lambda path=answerable.MODEL_FILE: sure)
    ans = answer_question(archive, question)
    assert (ans.answer, ans.abstained) == ("90分钟", False)
    assert dict(ans.signals)["coverage"] > 0.5  # the signals the decision read come with the answer
    monkeypatch.setattr(extractive, "load_model", lambda path=answerable.MODEL_FILE: replace(sure, threshold=1.0))
    refused = answer_question(archive, question)
    assert refused.abstained and refused.note.startswith("weak evidence")
    # with the model off, the coverage threshold decides again
    off = type(archive)(archive.settings.with_(abstain_model="off"), archive.embeddings)
    assert not answer_question(off, question).abstained


def test_a_keyword_only_archive_keeps_the_coverage_threshold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tiny_archive(tmp_path / "var", tiny_issue())
    keyword_only = type(archive)(archive.settings.with_(dense_k=0), archive.embeddings)
    never = Model({"bias": -10.0}, threshold=0.5)  # would refuse everything: it is not asked without cosines
    monkeypatch.setattr(extractive, "load_model", lambda path=answerable.MODEL_FILE: never)
    ans = answer_question(keyword_only, "运动医学科的机器人辅助膝关节置换手术用时多少分钟？")
    assert (ans.answer, ans.abstained, ans.signals) == ("90分钟", False, ())
