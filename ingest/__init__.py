"""Ingest: newspaper files (extracted text, text PDFs) → Issue → Page → Article → Chunk → the archive's
catalog, keyword index and vectors. It writes the store (rag.store) on the floor (rag's errors, models,
settings, text, vocab) and never imports the answering floor (rag.qa)."""

from __future__ import annotations

from .assemble import EDITOR_LINE, IssueMeta, editors_box, find_masthead
from .dispatch import parse_file
from .lexicon import build_lexicon
from .listing import catalog_json
from .ocr import IMAGE_SUFFIXES, OcrLog, OcrOptions, OcrPage, default_engine
from .ocr_layout import TextBox
from .pipeline import (
    IngestResult,
    Progress,
    document_issue,
    ingest_documents,
    ingest_file,
    ingest_issue,
    ingest_paths,
    rebuild_vectors,
    refresh_listings,
    refresh_rules,
    remove_issue,
    remove_orphans,
)
from .textfile import parse_text, read_text_file
from .textlayout import Para, is_title_like, paragraphs_from_lines, parse_leading_byline, parse_trailing_byline

__all__ = [
    "EDITOR_LINE", "IMAGE_SUFFIXES", "IngestResult", "IssueMeta", "OcrLog", "OcrOptions", "OcrPage", "Para", "Progress",
    "TextBox", "build_lexicon", "catalog_json", "default_engine", "document_issue", "editors_box", "find_masthead",
    "ingest_documents", "ingest_file", "ingest_issue", "ingest_paths", "is_title_like", "paragraphs_from_lines",
    "parse_file", "parse_leading_byline", "parse_text", "parse_trailing_byline", "read_text_file", "rebuild_vectors",
    "refresh_listings", "refresh_rules", "remove_issue", "remove_orphans",
]
