"""One rooted exception tree. Library code raises these with context; only the CLIs and app.py word
them for people (one line, Chinese first, then English). Also the checks at the edge that raise UsageError
(positive numbers, real dates, argparse's complaints), shared by both CLIs and the page."""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date
from typing import NoReturn


class RagError(Exception):
    """Base of every error this project raises on purpose."""

    zh: str = "出现错误"

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        if zh is not None:
            self.zh = zh

    def user_message(self) -> str:
        """The one-line message a person reads: Chinese first, then English."""
        return f"{self.zh} / {self}"


class ConfigError(RagError):
    """A setting has a value we cannot use."""

    zh = "配置有误"


class IssueParseError(RagError):
    """A newspaper file could not be read as an issue."""

    zh = "无法解析院报文件"


class IssueConflictError(RagError):
    """A different version of an issue already in the archive was offered without --replace."""

    zh = "该期院报已在档案中且内容不同"


class IndexNotBuiltError(RagError):
    """The archive has no issues yet."""

    zh = "索引尚未建立，请先运行 python -m ingest"


class ModelMismatchError(RagError):
    """The collection was embedded with another model than the one configured."""

    zh = "向量索引与当前嵌入模型不一致"


class ModelUnavailableError(RagError):
    """An embedding model could not be loaded."""

    zh = "嵌入模型无法加载"


class LLMError(RagError):
    """The optional language model endpoint failed or is unreachable."""

    zh = "大模型服务不可用"


class LLMTimeoutError(LLMError):
    """The endpoint hung: no answer within the timeout, or a stream that ended with nothing in it."""

    zh = "大模型服务没有及时响应"


class QuestionError(RagError):
    """The question itself cannot be asked (empty, too long)."""

    zh = "问题无效"


class PromptError(RagError):
    """A prompt file is missing or lacks a placeholder."""

    zh = "提示词模板有误"


class UsageError(RagError):
    """An argument or filter is malformed, or names what the archive does not hold (the CLIs exit with 2)."""

    zh = "参数有误"


# argparse's own messages, worded in Chinese too: (pattern, Chinese template over the pattern's groups).
_ARGPARSE_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"argument (\S+): invalid int value: '(.*)'"), "{0} 应为整数，而不是 '{1}'"),
    (re.compile(r"argument (\S+): invalid float value: '(.*)'"), "{0} 应为数字，而不是 '{1}'"),
    (re.compile(r"argument (\S+): invalid choice: '(.*)' \(choose from (.*)\)"), "{0} 只能是 {2} 之一，而不是 '{1}'"),
    (re.compile(r"argument (\S+): expected one argument"), "{0} 后面缺少取值"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "{0} 不能与 {1} 同时使用"),
    (re.compile(r"the following arguments are required: (.*)"), "缺少参数 {0}"),
    (re.compile(r"unrecognized arguments: (.*)"), "无法识别的参数 {0}"),
)


class ArgumentParser(argparse.ArgumentParser):
    """argparse whose complaints are a UsageError (one zh/en line, exit status 2), like every other refusal."""

    def error(self, message: str) -> NoReturn:
        raise usage_error(message)


def silence_stdout() -> None:
    """Point stdout at /dev/null after a reader closed the pipe (`… | head -1`), so that the interpreter's
    last flush into it says nothing."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is not a file (a test's capture): nothing will be flushed into a pipe


def usage_error(argparse_message: str) -> UsageError:
    """argparse's complaint as a one-line UsageError, Chinese first."""
    message = " ".join(argparse_message.split())
    for pattern, zh in _ARGPARSE_ZH:
        if m := pattern.fullmatch(message):
            return UsageError(f"{message} (see --help)", f"参数有误：{zh.format(*m.groups())}，详见 --help")
    return UsageError(f"{message} (see --help)", "参数有误，详见 --help")


def check_positive(value: int | None, option: str, label: str = "") -> int | None:
    """A number that must be ≥ 1 when given (an issue, page or total number); label names it in Chinese."""
    if value is not None and value < 1:
        raise UsageError(f"{option} ({value}) must be a positive number", f"{label or option} 必须是正整数，而不是 {value}")
    return value


def check_date(value: str | None, option: str, label: str = "") -> str:
    """A calendar date written YYYY-MM-DD, or '' when not given; label names it in Chinese."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        ok = re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None and bool(date.fromisoformat(text))
    except ValueError:
        ok = False
    if not ok:
        raise UsageError(f"{option} ({text!r}) is not a date written YYYY-MM-DD",
                         f"{label or option} “{text}” 不是有效日期，应写作 YYYY-MM-DD")
    return text
