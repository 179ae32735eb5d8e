"""The storage floor: the SQLite catalog (the truth), the keyword index, the Chroma vectors and the
embedding models, opened together through one `Archive` handle. This is what `ingest` writes and `qa` reads."""

from __future__ import annotations

from . import catalog, keyword, listings, milestones
from .archive import Archive, lexicon_hash
from .catalog import ArticleRow, IssueRow
from .embeddings import get_embeddings, model_id
from .vectors import VectorStore, drop_collection

__all__ = [
    "Archive", "ArticleRow", "IssueRow", "VectorStore", "catalog", "drop_collection", "get_embeddings", "keyword",
    "lexicon_hash", "listings", "milestones", "model_id",
]
