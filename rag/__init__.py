"""院报问答: ask the hospital newspaper archive. The small public API that app.py, eval/ and the CLIs use.

Layers, each importing only those below it: the floor (errors, settings, models, text, vocab) → the store
(catalog, keyword index, vectors, embeddings, the Archive handle) → the answering floor (rag.qa) and browsing
(rag.browse) → this package's face → the page and the CLIs.
"""

from __future__ import annotations

from collections.abc import Iterator

from .browse import (
    Entry,
    Listed,
    Milestone,
    TimelinePage,
    check_filters,
    directory,
    directory_entry,
    directory_search,
    example_questions,
    export_eval_lines,
    make_filters,
    milestones,
    record,
    timeline_page,
)
from .errors import (
    ConfigError,
    IndexNotBuiltError,
    IssueConflictError,
    IssueParseError,
    LLMError,
    LLMTimeoutError,
    ModelMismatchError,
    ModelUnavailableError,
    PromptError,
    QuestionError,
    RagError,
    UsageError,
)
from .models import ABSTAIN_TEXT, Answer, Citation, Filters, Hit, Issue, QType, Source
from .qa import (
    ANSWERABLE_FILE,
    HARD_TYPES,
    QTYPES,
    SPAN_POOL,
    SPAN_WEIGHTS_FILE,
    VERDICT_ZH,
    Checked,
    Cover,
    Evidence,
    Fusion,
    QuestionFrame,
    Verdict,
    answer_evidence,
    answer_question,
    ask_llm_stream,
    ask_with_evidence,
    bind_followup,
    candidates,
    check_claim,
    cover_of,
    dense_only,
    diversify,
    fuse,
    keyword_only,
    question_type,
    read_question,
    resolve_followup,
    retrieve,
    sentence_coverage,
    span_candidates,
    span_features,
    span_score,
    yesno_claim,
)
from .qa import ask as ask_extractive
from .settings import FITTED, Settings, load_settings
from .store import Archive, ArticleRow, IssueRow
from .text import Tokenizer, cn_numerals_to_digits, normalize, split_sentences, to_simplified
from .vocab import standard_question

__all__ = [
    "ABSTAIN_TEXT", "VERDICT_ZH", "Answer", "Cover", "cover_of", "yesno_claim", "Archive", "ArticleRow", "Citation", "ConfigError", "Entry", "Filters",
    "Hit", "IndexNotBuiltError", "Issue", "IssueConflictError", "IssueParseError", "IssueRow", "LLMError",
    "LLMTimeoutError", "Listed", "Milestone", "ModelMismatchError", "ModelUnavailableError", "PromptError", "QType",
    "QuestionError", "RagError", "Settings", "TimelinePage", "UsageError", "check_filters", "make_filters",
    "Source", "Verdict", "answer_question", "cn_numerals_to_digits", "normalize", "to_simplified", "ask_extractive", "ask_llm_stream", "check", "dense_only", "directory", "directory_entry",
    "directory_search",
    "example_questions", "export_eval_lines", "keyword_only", "load_settings", "milestones", "open_archive",
    "question_type", "record", "bind_followup", "resolve_followup", "retrieve", "stream_answer", "timeline_page",
    "ANSWERABLE_FILE", "FITTED", "Checked", "Evidence", "Fusion", "answer_evidence", "ask_with_evidence", "candidates", "diversify", "fuse",
    "HARD_TYPES", "QTYPES", "QuestionFrame", "SPAN_POOL", "SPAN_WEIGHTS_FILE", "Tokenizer", "read_question", "sentence_coverage",
    "span_candidates", "span_features", "span_score", "split_sentences", "standard_question",
]


def open_archive(settings: Settings | None = None) -> Archive:
    """A handle on the data directory (nothing loads until it is used)."""
    return Archive(settings or load_settings())


def check(archive: Archive, claim: str, filters: Filters = Filters()) -> Verdict:
    """Check a claim against the archive: supported / contradicted / not_found, with quotes."""
    return check_claim(archive, claim, filters)


def stream_answer(archive: Archive, question: str, filters: Filters = Filters()) -> Iterator[str | Answer]:
    """The LLM's words as they arrive, then the checked Answer (extractive when the LLM cites nothing)."""
    return ask_llm_stream(archive, question, filters, ask_extractive)
