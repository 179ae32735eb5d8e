"""The text reader: a file of text extracted from the newspaper's PDF. Explicit page breaks (form feed,
第N版 lines) are used where the file has them; otherwise the spread order of a 4-page paper is assumed (the
text runs p4, p1, p2, p3) and the p2/p3 boundary is inferred at an article boundary."""

from __future__ import annotations

import codecs
from pathlib import Path

from rag.errors import IssueParseError
from rag.models import Issue, Page

from .assemble import (
    PAGE_MARK,
    IssueMeta,
    assemble_issue,
    cn_number,
    editors_box,
    find_masthead,
    parse_pages,
    remove_furniture,
    to_article,
)
from .textlayout import ArticleDraft, balanced_split, paragraphs_from_lines, segment_articles

SPREAD_ORDER_PAGES = 4  # a 4-page paper extracted from spreads reads p4, p1, p2, p3
# Byte-order marks of the wide encodings (UTF-32's first: its little-endian mark begins like UTF-16's).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def read_text_file(path: Path) -> str:
    """Read a text file as UTF-8, GB18030 (a superset of GBK) or, when it starts with a byte-order mark,
    UTF-16/UTF-32 (what Windows Notepad saves as "Unicode"); refuse empty and binary files."""
    data = path.read_bytes()
    if not data.strip():
        raise IssueParseError(f"{path}: the file is empty", f"文件为空：{path}")
    bom = next((enc for mark, enc in _BOMS if data.startswith(mark)), None)
    if bom is None and (b"\x00" in data[:4096] or data[:5] == b"%PDF-" and path.suffix.lower() != ".pdf"):
        raise IssueParseError(f"{path}: this is a binary file, not text", f"不是文本文件：{path}")
    for enc in (bom,) if bom else ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise IssueParseError(
            f"{path}: the text is neither UTF-8 nor GBK; save it as UTF-8", f"无法识别文件编码（应为 UTF-8 或 GBK）：{path}"
        )
    if not text.strip():
        raise IssueParseError(f"{path}: the file is empty", f"文件为空：{path}")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 20:
        raise IssueParseError(f"{path}: this is a binary file, not text", f"不是文本文件：{path}")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _explicit_pages(lines: list[str]) -> list[tuple[int, list[str]]] | None:
    """Pages marked in the file itself: form feeds, or lines such as 第2版."""
    if any("\f" in ln for ln in lines):
        chunks: list[list[str]] = [[]]
        for ln in lines:
            parts = ln.split("\f")
            chunks[-1].append(parts[0])
            for rest in parts[1:]:
                chunks.append([rest])
        out = [(n, c) for n, c in enumerate(chunks, start=1) if any(x.strip() for x in c)]
        return [(_page_mark_in(c) or n, c) for n, c in out] if len(out) > 1 else None
    marks = [(i, m) for i, ln in enumerate(lines) if (m := PAGE_MARK.match(ln.strip()))]
    if not marks:
        return None
    pages: list[tuple[int, list[str]]] = []
    if any(x.strip() for x in lines[: marks[0][0]]):
        pages.append((1, lines[: marks[0][0]]))
    for k, (i, m) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(lines)
        pages.append((cn_number(m.group(1)), lines[i + 1: end]))
    return pages


def _page_mark_in(lines: list[str]) -> int | None:
    for ln in lines[:3]:
        if m := PAGE_MARK.match(ln.strip()):
            return cn_number(m.group(1))
    return None


def parse_text(text: str, path: Path, meta: IssueMeta = IssueMeta(), file_sha: str = "") -> Issue:
    """Parse the text of one issue. Explicit page breaks are used where the file has them; otherwise the
    spread order p4, p1, p2, p3 is assumed and the p2/p3 boundary is inferred at an article boundary."""
    lines = text.split("\n")
    explicit = _explicit_pages(lines)
    all_paras = paragraphs_from_lines(lines)
    masthead = find_masthead(all_paras, path)
    if explicit:
        page_paras = []
        editors: list[tuple[str, tuple[str, ...]]] = []
        for number, plines in explicit:
            paras = paragraphs_from_lines(plines)
            paras, eds = remove_furniture(paras, path)
            editors.extend(eds)
            page_paras.append((number, False, paras))
        return parse_pages(page_paras, path, meta, file_sha, masthead, editors)

    if masthead is None:
        if meta.total_no is None:
            assemble_issue([], path, meta, file_sha, None, [])  # raises the missing-masthead error
        paras, editors = remove_furniture(all_paras, path)
        return parse_pages([(1, True, paras)], path, meta, file_sha, None, editors)

    before = all_paras[: masthead.start]
    after = all_paras[masthead.end:]
    box = editors_box(after)
    editors = box[2] if box else []
    pages: list[Page] = []
    back = segment_articles(before)
    if back:
        pages.append(Page(SPREAD_ORDER_PAGES, False, tuple(to_article(d, SPREAD_ORDER_PAGES, False) for d in back)))
    if box:
        front = segment_articles(after[: box[0]])
        rest = segment_articles(after[box[1]:])
        pages.append(Page(1, False, tuple(to_article(d, 1, False) for d in front)))
        inner_pages = list(range(2, SPREAD_ORDER_PAGES))
        groups = split_groups(rest, len(inner_pages))
    else:
        inner_pages = list(range(1, SPREAD_ORDER_PAGES))
        groups = split_groups(segment_articles(after), len(inner_pages))
    for number, group in zip(inner_pages, groups, strict=False):
        pages.append(Page(number, True, tuple(to_article(d, number, True) for d in group)))
    return assemble_issue(pages, path, meta, file_sha, masthead, editors)


def split_groups(drafts: list[ArticleDraft], parts: int) -> list[list[ArticleDraft]]:
    cuts = balanced_split([d.chars for d in drafts], parts)
    bounds = list(zip([0, *cuts], [*cuts, len(drafts)], strict=False))
    return [drafts[a:b] for a, b in bounds]
