"""Ingest: newspaper files (extracted text, text PDFs) → Issue → Page → Article → Chunk → the archive's
catalog, keyword index and vectors. It writes the store (rag.store) on the floor (rag's errors, models,
settings, text, vocab) and never imports the answering floor (rag.qa)."""

from __future__ import annotations

from .assemble import IssueMeta
from .dispatch import parse_file
from .listing import catalog_json
from .pipeline import (
    IngestResult,
    Progress,
    document_issue,
    ingest_documents,
    ingest_file,
    ingest_issue,
    ingest_paths,
    rebuild_vectors,
    remove_issue,
    remove_orphans,
)

__all__ = [
    "IngestResult", "IssueMeta", "Progress", "catalog_json", "document_issue", "ingest_documents", "ingest_file",
    "ingest_issue", "ingest_paths", "parse_file", "rebuild_vectors", "remove_issue", "remove_orphans",
]
