"""Chroma, in one place: the collection of chunk embeddings, its model id, filtered similarity search.
The catalog is the truth; vectors whose chunk the catalog does not list are orphans and are removed.

Embedded (the default) the collection lives under the data directory; with YBQA_CHROMA_URL it lives on a
Chroma server (`chroma run`), in a collection named after the archive's id, so that several archives can share
one server and each one's orphan sweep touches only its own collection."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from ..errors import ModelMismatchError, ModelUnavailableError
from ..settings import Settings

COLLECTION = "chunks"  # the embedded store's collection (one archive per data directory)
_clients: dict[str, Any] = {}
_lock = threading.Lock()


def collection_name(settings: Settings, archive_id: str) -> str:
    """The collection of this archive: 'chunks' embedded, 'ybqa-<archive id>' on a shared server."""
    return f"ybqa-{archive_id}" if settings.store.chroma_url else COLLECTION


def _client(settings: Settings) -> Any:
    """One Chroma client per store: a PersistentClient under the data directory, or an HttpClient."""
    url = settings.store.chroma_url
    key = url or str(settings.chroma_dir)
    with _lock:
        if key not in _clients:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
            if url:
                parts = urlsplit(url)
                token = settings.store.chroma_token
                headers = {"Authorization": f"Bearer {token}"} if token else None
                try:
                    _clients[key] = chromadb.HttpClient(
                        host=parts.hostname or "127.0.0.1", port=parts.port or (443 if parts.scheme == "https" else 8000),
                        ssl=parts.scheme == "https", headers=headers, settings=chroma_settings)
                except Exception as exc:  # the client raises on a server that does not answer
                    raise ModelUnavailableError(
                        f"cannot reach the Chroma server at {url}: is `chroma run` started? ({type(exc).__name__})",
                        "无法连接向量数据库服务（YBQA_CHROMA_URL），请确认 chroma run 已启动") from exc
            else:
                settings.chroma_dir.mkdir(parents=True, exist_ok=True)
                _clients[key] = chromadb.PersistentClient(path=key, settings=chroma_settings)
        return _clients[key]


class VectorStore:
    """The chunk collection; created with the embedding model's id and refusing any other model."""

    def __init__(self, settings: Settings, model_id: str, create: bool = True, name: str = COLLECTION) -> None:
        self.model_id = model_id
        self.name = name
        client = _client(settings)
        names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
        if name not in names and not create:
            self._col = None
            return
        # embedding_function=None: we always pass vectors, and Chroma must never load its default model.
        self._col = client.get_or_create_collection(
            name, embedding_function=None, metadata={"hnsw:space": "cosine", "embed_model": model_id}
        )
        stored = (self._col.metadata or {}).get("embed_model")
        if stored != model_id:
            raise ModelMismatchError(
                f"the vector index was built with {stored!r} but the configured model is {model_id!r}; "
                "run `python -m ingest --rebuild` to re-embed the archive, or set YBQA_EMBED_MODEL back",
                f"向量索引由 {stored} 建立，当前模型为 {model_id}；请运行 python -m ingest --rebuild 重建，或改回原模型",
            )

    @property
    def ready(self) -> bool:
        """True when the collection exists."""
        return self._col is not None

    def count(self) -> int:
        """Number of vectors stored."""
        return self._col.count() if self._col is not None else 0

    def existing(self, ids: Sequence[str]) -> set[str]:
        """Which of these ids already have a vector (re-embedding unchanged text is skipped)."""
        if self._col is None or not ids:
            return set()
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            found.update(self._col.get(ids=list(ids[start: start + 500]), include=[])["ids"])
        return found

    def add(self, ids: Sequence[str], vectors: Sequence[Sequence[float]], metadatas: Sequence[dict[str, Any]]) -> None:
        """Store vectors (upsert: a retried batch is harmless)."""
        if self._col is None or not ids:
            return
        self._col.upsert(ids=list(ids), embeddings=[list(v) for v in vectors], metadatas=list(metadatas))

    def all_ids(self) -> set[str]:
        """Every id stored."""
        if self._col is None:
            return set()
        return set(self._col.get(include=[])["ids"])

    def delete(self, ids: Sequence[str]) -> None:
        """Remove vectors."""
        if self._col is None or not ids:
            return
        for start in range(0, len(ids), 500):
            self._col.delete(ids=list(ids[start: start + 500]))

    def query(self, vector: Sequence[float], k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the k nearest vectors passing the filter."""
        if self._col is None or self._col.count() == 0:
            return []
        res = self._col.query(query_embeddings=[list(vector)], n_results=k, where=where or None, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=False)]


def drop_collection(settings: Settings, name: str = COLLECTION) -> None:
    """Delete this archive's whole collection (before a rebuild with another model)."""
    client = _client(settings)
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    if name in names:
        client.delete_collection(name)
