"""The answering floor: the typed question, retrieval, evidence, candidate spans, the extractive and
generative answerers, claim checks, and the router that chooses between them. It reads the store; it
never writes it, and nothing below it imports it."""

from __future__ import annotations

from .claims import VERDICT_ZH, Verdict, check_claim
from .coverage import Cover
from .followup import resolve as resolve_followup
from .generative import ask_llm_stream
from .question import question_type, validate_question
from .retrieve import Fusion, candidates, dense_only, diversify, fuse, keyword_only, retrieve
from .router import answer_question, ask, cover_of, yesno_claim

__all__ = [
    "VERDICT_ZH", "Cover", "Verdict", "answer_question", "cover_of", "yesno_claim", "ask", "ask_llm_stream", "check_claim", "dense_only",
    "keyword_only", "Fusion", "candidates", "diversify", "fuse", "question_type", "resolve_followup", "retrieve", "validate_question",
]
