"""A handle on one data directory: the catalog, the vector store, the embedding model and the archive's
tokenizer, each opened on first use."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable
from typing import TypeVar, cast

from langchain_core.embeddings import Embeddings

from ..errors import IndexNotBuiltError
from ..settings import Settings, prepare_offline_environment
from ..text import Tokenizer, normalize
from . import catalog
from .embeddings import get_embeddings, model_id
from .vectors import VectorStore, collection_name


def lexicon_hash(words: dict[str, str] | list[tuple[str, str]]) -> str:
    """Fingerprint of a dictionary: when it changes, the keyword index is tokenized again."""
    items = sorted(words.items()) if isinstance(words, dict) else sorted(words)
    return hashlib.sha256(repr(items).encode()).hexdigest()[:16]

T = TypeVar("T")


class Archive:
    """Everything under one data directory."""

    def __init__(self, settings: Settings, embeddings: Embeddings | None = None) -> None:
        prepare_offline_environment(settings)
        self.settings = settings
        self._embeddings = embeddings
        self._local = threading.local()  # one catalog connection per thread: several users at once
        self._store: VectorStore | None = None
        self._tokenizer: tuple[str, Tokenizer, dict[str, set[str]], frozenset[str]] | None = None
        self._lock = threading.RLock()
        self._by_generation: dict[str, tuple[int, object]] = {}  # what one question would otherwise read whole

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's catalog connection."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = catalog.connect(self.settings.catalog_path)
            self._local.conn = conn
        return conn

    @property
    def embeddings(self) -> Embeddings:
        """The configured embedding model (loaded on first embed)."""
        if self._embeddings is None:
            self._embeddings = get_embeddings(self.settings)
        return self._embeddings

    def store(self, create: bool = False) -> VectorStore:
        """The vector collection, checked against the configured model."""
        with self._lock:
            if self._store is None or (create and not self._store.ready):
                self._store = VectorStore(self.settings, model_id(self.embeddings), create=create,
                                          name=self.collection)
            return self._store

    @property
    def collection(self) -> str:
        """The name of this archive's vector collection (see rag.store.vectors.collection_name)."""
        return collection_name(self.settings, catalog.archive_id(self.conn))

    def forget_store(self) -> None:
        """Drop the handle on the collection (after it was deleted for a rebuild)."""
        with self._lock:
            self._store = None

    def publications(self) -> frozenset[str]:
        """The newspaper's own name(s), as its mastheads print them (read from the catalog)."""
        return self._dictionary()[3]

    def _dictionary(self) -> tuple[str, Tokenizer, dict[str, set[str]], frozenset[str]]:
        """The archive's dictionary (read again only when an ingest changed it) and jieba built on it."""
        with self._lock:
            current = catalog.get_meta(self.conn, "lexicon_hash") or ""
            if self._tokenizer is None or self._tokenizer[0] != current:
                lexicon = catalog.lexicon(self.conn)
                by_kind: dict[str, set[str]] = {}
                for word, kind in lexicon:
                    by_kind.setdefault(kind, set()).add(word)
                self._tokenizer = (current, Tokenizer([w for w, _ in lexicon], self.settings.cache_dir), by_kind,
                                   catalog.publications(self.conn))
            return self._tokenizer

    def tokenizer(self) -> Tokenizer:
        """jieba with the archive's current dictionary."""
        return self._dictionary()[1]

    def known(self, kind: str) -> set[str]:
        """The departments ('department') or people ('person') the archive's dictionary holds."""
        return self._dictionary()[2].get(kind, set())

    def issues(self) -> list[catalog.IssueRow]:
        """All issues, oldest first."""
        return catalog.list_issues(self.conn)

    def search_issues(self, query: str = "", limit: int = 30) -> list[catalog.IssueRow]:
        """The newest issues whose label, date or file name contain every word of the query, at most limit."""
        return catalog.search_issues(self.conn, query, limit)

    def generation(self) -> int:
        """A number that changes whenever an issue is added, replaced or removed (by any process)."""
        return catalog.generation(self.conn)

    def _cached(self, key: str, build: Callable[[], T]) -> T:
        """build(), kept until an issue is added, replaced or removed (by any process)."""
        gen = self.generation()
        with self._lock:
            held = self._by_generation.get(key)
            if held is None or held[0] != gen:
                held = (gen, build())
                self._by_generation[key] = held
            return cast(T, held[1])

    def titles(self) -> list[tuple[str, str]]:
        """(article id, normalised title) of every article: a question naming a title is matched against these
        without reading every article."""
        return self._cached("titles", lambda: [
            (str(i), normalize(str(t))) for i, t in self.conn.execute("SELECT id, title FROM articles")])

    def bylines(self) -> list[tuple[str, tuple[str, ...], str]]:
        """(article id, authors, department) of every signed article, in reading order."""
        sql = ("SELECT a.id, a.author, a.department FROM articles a JOIN issues i ON i.total_no=a.total_no "
               "WHERE a.author != '' ORDER BY i.date, a.total_no, a.page, a.seq")
        return self._cached("bylines", lambda: [
            (str(i), tuple(n for n in str(au).split("、") if n), str(d)) for i, au, d in self.conn.execute(sql)])

    def departments(self) -> list[str]:
        """Every byline department, in order."""
        rows = self.conn.execute("SELECT DISTINCT department FROM articles WHERE department != '' ORDER BY department")
        return [r[0] for r in rows]

    def issue(self, total_no: int) -> catalog.IssueRow | None:
        """The issue with this 总第M期, if any."""
        return catalog.issue_row(self.conn, total_no)

    def articles(self, total_no: int | None = None) -> list[catalog.ArticleRow]:
        """Articles in reading order, of one issue or of all."""
        return catalog.list_articles(self.conn, total_no)

    def article(self, article_id: str) -> catalog.ArticleRow | None:
        """One article by id."""
        return catalog.get_article(self.conn, article_id)

    def counts(self) -> dict[str, int]:
        """How many issues, articles and chunks the archive holds."""
        return catalog.counts(self.conn)

    def require_index(self) -> None:
        """Raise IndexNotBuiltError when no issue has been ingested."""
        if self.conn.execute("SELECT 1 FROM chunks LIMIT 1").fetchone() is None:
            raise IndexNotBuiltError("the archive is empty: run `python -m ingest archive/` first")

    def close(self) -> None:
        """Close this thread's catalog connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
