"""院报问答: ask the hospital newspaper archive. The small public API the CLIs, eval/ and app.py use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import (
    ConfigError,
    IndexNotBuiltError,
    IssueConflictError,
    IssueParseError,
    LLMError,
    ModelMismatchError,
    ModelUnavailableError,
    PromptError,
    QuestionError,
    RagError,
)
from .models import ABSTAIN_TEXT, Answer, Citation, Filters, Hit
from .settings import Settings, load_settings

if TYPE_CHECKING:
    from .archive import Archive
    from .check import Verdict

__all__ = [
    "ABSTAIN_TEXT", "Answer", "Citation", "ConfigError", "Filters", "Hit", "IndexNotBuiltError", "IssueConflictError",
    "IssueParseError", "LLMError", "ModelMismatchError", "ModelUnavailableError", "PromptError", "QuestionError",
    "RagError", "Settings", "answer_question", "check", "load_settings", "open_archive",
]


def open_archive(settings: Settings | None = None) -> Archive:
    """A handle on the data directory (nothing loads until it is used)."""
    from .archive import Archive

    return Archive(settings or load_settings())


def answer_question(archive: Archive, question: str, filters: Filters = Filters(), mode: str | None = None) -> Answer:
    """Answer a question: extractive by default, or with the configured LLM (mode='llm')."""
    if (mode or archive.settings.answer_mode) == "llm":
        from .llm import ask_llm

        return ask_llm(archive, question, filters)
    from .answer import ask

    return ask(archive, question, filters)


def check(archive: Archive, claim: str, filters: Filters = Filters()) -> Verdict:
    """Check a claim against the archive: supported / contradicted / not_found, with quotes."""
    from .check import check_claim

    return check_claim(archive, claim, filters)
