"""One rooted exception tree. Library code raises these with context; only the CLIs and app.py word
them for people (one line, Chinese first, then English)."""

from __future__ import annotations


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


class QuestionError(RagError):
    """The question itself cannot be asked (empty, too long)."""

    zh = "问题无效"


class PromptError(RagError):
    """A prompt file is missing or lacks a placeholder."""

    zh = "提示词模板有误"
