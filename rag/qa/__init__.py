"""The answering floor: the typed question, retrieval, evidence, candidate spans, the extractive and
generative answerers, claim checks, and the router that chooses between them. It reads the store; it
never writes it, and nothing below it imports it."""

from __future__ import annotations

from .answerable import MODEL_FILE as ANSWERABLE_FILE
from .claims import VERDICT_ZH, Verdict, check_claim
from .coverage import Cover
from .extractive import HARD_TYPES
from .followup import bind as bind_followup
from .followup import resolve as resolve_followup
from .generative import ask_llm_stream
from .question import QTYPES, question_type, validate_question
from .retrieve import Fusion, candidates, dense_only, diversify, fuse, keyword_only, retrieve
from .router import Checked, Evidence, answer_evidence, answer_question, ask, ask_with_evidence, cover_of, yesno_claim
from .spangen import generate as span_candidates
from .spans import POOL_SENTENCES as SPAN_POOL
from .spans import WEIGHTS_FILE as SPAN_WEIGHTS_FILE
from .spans import QuestionFrame, read_question, sentence_coverage
from .spans import features as span_features
from .spans import score as span_score

__all__ = [
    "ANSWERABLE_FILE", "VERDICT_ZH", "Checked", "Cover", "Evidence", "Verdict", "answer_evidence", "answer_question", "ask_with_evidence", "cover_of", "yesno_claim", "ask", "ask_llm_stream",
    "check_claim", "dense_only", "keyword_only", "Fusion", "candidates", "diversify", "fuse", "question_type",
    "bind_followup", "resolve_followup", "retrieve", "validate_question",
    "HARD_TYPES", "QTYPES", "QuestionFrame", "SPAN_POOL", "SPAN_WEIGHTS_FILE", "read_question", "sentence_coverage",
    "span_candidates", "span_features", "span_score",
]
