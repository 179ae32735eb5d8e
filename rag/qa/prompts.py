"""Prompts live in prompts/ as files with named placeholders; the loader names a missing one."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import PromptError

PROMPT_DIR = Path(__file__).resolve().parents[2] / "prompts"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def render(name: str, directory: Path | None = None, **values: str) -> str:
    """Fill the named placeholders of prompts/NAME.md; every placeholder must be given, and no other."""
    path = (directory or PROMPT_DIR) / f"{name}.md"
    if not path.exists():
        raise PromptError(f"prompt file {path} is missing", f"缺少提示词文件 {path}")
    template = path.read_text(encoding="utf-8")
    wanted = set(_PLACEHOLDER.findall(template))
    missing = sorted(wanted - values.keys())
    if missing:
        raise PromptError(f"prompt {name} needs a value for {{{missing[0]}}}", f"提示词 {name} 缺少占位符 {{{missing[0]}}} 的值")
    extra = sorted(values.keys() - wanted)
    if extra:
        raise PromptError(f"prompt {name} has no placeholder {{{extra[0]}}}", f"提示词 {name} 中没有占位符 {{{extra[0]}}}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
