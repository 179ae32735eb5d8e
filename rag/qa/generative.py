"""The optional generative answerer: a LangChain chat model on any OpenAI-compatible endpoint (vLLM,
Ollama, DeepSeek, Qwen). Sources are numbered; every citation the model gives is checked against them;
an answer with no valid citation falls back to the extractive answer. LangChain chain code lives here only."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from ..errors import LLMError, LLMTimeoutError
from ..models import ABSTAIN_TEXT, Answer, Filters, Hit
from ..store import Archive
from ..text import normalize
from .prompts import render
from .question import validate_question
from .retrieve import retrieve

Fallback = Callable[[Archive, str, Filters], Answer]

log = logging.getLogger("ybqa.llm")
UNSUPPORTED_NOTE = ("大模型回答没有有效引用，或所引原文并未说明该答案，已改用抽取式答案 / "
                    "the LLM answer cited nothing that says it: the extractive answer is shown")
_KEY = re.compile(r"[\W_]+")
_CITE = re.compile(r"\[(\d{1,2})\]")
_DELIMS = re.compile(r"【资料(?:结束)?】")


def format_sources(hits: list[Hit]) -> str:
    """Numbered sources; the article text cannot close the sources block (our delimiters are removed)."""
    blocks = []
    for n, h in enumerate(hits, start=1):
        head = f"[{n}] {h.citation().line()}"
        blocks.append(f"{head}\n{_DELIMS.sub('', h.text)}")
    return "\n\n".join(blocks)


def build_messages(question: str, hits: list[Hit], publication: str = "") -> list[tuple[str, str]]:
    """(role, content) messages: fixed rules as the system message (naming the archive's own paper, as its
    mastheads print it), sources and question as the user's."""
    return [
        ("system", render("answer_system", publication=publication or "院报")),
        ("user", render("answer_user", sources=format_sources(hits), question=_DELIMS.sub("", question))),
    ]


def chat_model(archive: Archive) -> Any:
    """LangChain's ChatOpenAI pointed at the configured endpoint (no retries: a dead endpoint fails fast)."""
    s = archive.settings.llm
    if not s.base_url or not s.model:
        raise LLMError("set YBQA_LLM_BASE_URL and YBQA_LLM_MODEL to use the LLM answerer",
                       "未配置大模型：请设置 YBQA_LLM_BASE_URL 和 YBQA_LLM_MODEL")
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(base_url=s.base_url, model=s.model, api_key=SecretStr(s.api_key or "not-needed"),
                      timeout=s.timeout, max_retries=0, streaming=True, temperature=0)


def _llm_error(exc: Exception, archive: Archive) -> LLMError:
    """The failure in one line a person can act on; the endpoint's address goes to the server log only."""
    name = type(exc).__name__
    timeout = archive.settings.llm.timeout
    log.info("LLM call to %s failed: %s: %s", archive.settings.llm.base_url, name, exc)  # the page's log, not the CLI's line
    if "Timeout" in name:
        return LLMTimeoutError(f"the LLM did not answer within {timeout:g} s", f"大模型服务在 {timeout:g} 秒内没有响应")
    if isinstance(exc, ValueError) and "No generation chunks" in str(exc):
        return LLMTimeoutError("the LLM endpoint ended its answer without any text", "大模型服务没有返回任何内容")
    if "Connection" in name:
        return LLMError("cannot reach the LLM endpoint set in YBQA_LLM_BASE_URL: is it running?",
                        "无法连接大模型服务，请确认 YBQA_LLM_BASE_URL 所指的服务已启动")
    status = getattr(exc, "status_code", None)
    if status is not None:
        return LLMError(f"the LLM endpoint answered HTTP {status}", f"大模型服务返回错误 HTTP {status}")
    return LLMError(f"the LLM call failed ({name})", f"大模型调用失败（{name}）")


def stream_tokens(archive: Archive, question: str, hits: list[Hit]) -> Iterator[str]:
    """The model's answer as it streams."""
    model = chat_model(archive)
    try:
        paper = "、".join(sorted(archive.publications()))
        for chunk in model.stream(build_messages(question, hits, paper)):
            text = chunk.content if isinstance(chunk.content, str) else ""
            if text:
                yield text
    except LLMError:
        raise
    except Exception as exc:  # the client's errors differ by version; word them once, here
        raise _llm_error(exc, archive) from exc


def parse_output(text: str, hits: list[Hit], question: str) -> Answer | None:
    """Turn the model's text into an Answer, keeping only citations that name a given source; None when
    no valid citation is left (the caller falls back to the extractive answer)."""
    text = text.strip()
    if not text:
        return None
    first = text.splitlines()[0].strip()
    if ABSTAIN_TEXT in first:
        return Answer(question=question, answer=ABSTAIN_TEXT, abstained=True, mode="llm")
    numbers = [int(n) for n in _CITE.findall(text)]
    valid = [n for n in dict.fromkeys(numbers) if 1 <= n <= len(hits)]
    if not valid:
        return None
    body = [ln.strip() for ln in text.splitlines()[1:] if ln.strip()]
    evidence = tuple(_CITE.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= len(hits) else "", ln) for ln in body)
    short = _CITE.sub("", first).strip().rstrip("。")
    if not supported_by(short, [hits[n - 1].text for n in valid]):
        return None  # a valid citation number on an answer its source does not say
    cites = tuple(hits[n - 1].citation() for n in valid)
    return Answer(question=question, answer=short, abstained=False, citations=cites, evidence=evidence, mode="llm",
                  confidence=1.0)


def supported_by(answer: str, sources: list[str], share: float = 0.6) -> bool:
    """Does the cited text say it? The answer printed there whole, or most of its character bigrams (a model
    may reword a little: 28根木刺 for 28根); digits must match exactly."""
    norm = _KEY.sub("", normalize(answer))
    text = _KEY.sub("", normalize("".join(sources)))
    if not norm or norm in text:
        return bool(norm)
    if any(d not in text for d in re.findall(r"\d+(?:\.\d+)?", norm)):
        return False
    grams = {norm[i: i + 2] for i in range(len(norm) - 1)} or {norm}
    return sum(g in text for g in grams) / len(grams) >= share


def ask_llm_stream(archive: Archive, question: str, filters: Filters, fallback: Fallback) -> Iterator[str | Answer]:
    """The model's text as it streams, then the checked Answer (the fallback's, extractive, when the model
    cites nothing we gave it)."""
    started = time.perf_counter()
    q = validate_question(question, archive.settings.answer.max_question_chars)
    hits = retrieve(archive, q, filters, k=archive.settings.llm.max_sources)
    pieces = []
    try:
        for piece in stream_tokens(archive, q, hits):
            pieces.append(piece)
            yield piece
    except LLMTimeoutError as exc:  # a hung endpoint: say so, and answer without it
        yield replace(fallback(archive, question, filters), note=f"{exc.zh}，以下为抽取式答案 / {exc}: extractive answer shown",
                      latency_ms=(time.perf_counter() - started) * 1000)
        return
    parsed = parse_output("".join(pieces), hits, question)
    if parsed is None:
        yield replace(fallback(archive, question, filters), note=UNSUPPORTED_NOTE,
                      latency_ms=(time.perf_counter() - started) * 1000)
        return
    yield replace(parsed, latency_ms=(time.perf_counter() - started) * 1000)


def ask_llm(archive: Archive, question: str, filters: Filters, fallback: Fallback) -> Answer:
    """Answer with the LLM over the retrieved sources (see ask_llm_stream)."""
    final = [x for x in ask_llm_stream(archive, question, filters, fallback) if isinstance(x, Answer)]
    return final[-1]
