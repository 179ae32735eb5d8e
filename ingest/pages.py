"""Number a paper's pages, whichever reader found them (a text PDF, or OCR of scans), and assemble the issue:
printed 第N版 marks win; else the halves of spreads follow a folded paper's order; else the file's order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rag.errors import IssueParseError
from rag.models import Issue

from .assemble import PAGE_MARK, IssueMeta, cn_number, find_masthead, parse_pages, remove_furniture
from .textlayout import Para


def _spread_numbers(n_spreads: int) -> list[tuple[int, int]]:
    """Page numbers of printer's spreads of a folded paper: (4,1),(2,3) for four pages."""
    total = 2 * n_spreads
    out = []
    for i in range(n_spreads):
        sheet, inner = divmod(i, 2)
        if not inner:
            out.append((total - 2 * sheet, 1 + 2 * sheet))
        else:
            out.append((2 + 2 * sheet, total - 1 - 2 * sheet))
    return out


def issue_from_halves(halves: list[list[Para]], spread_flags: list[bool], path: Path, meta: IssueMeta, sha: str) -> Issue:
    """Number the newspaper pages (halves of spreads, or whole pages) and parse them into the issue."""
    if not any(halves):
        raise IssueParseError(
            f"{path}: the PDF has no text layer (a scan?); extract its text first", f"PDF 中没有可提取的文字（可能是扫描件）：{path}"
        )
    numbers = _page_numbers(halves, spread_flags, path)
    masthead = None
    editors: list[tuple[str, tuple[str, ...]]] = []
    page_paras = []
    for number, paras in zip(numbers, halves, strict=False):
        masthead = masthead or find_masthead(paras, path)
        paras, eds = remove_furniture(paras, path)
        paras = [p for p in paras if not PAGE_MARK.match(p.text)]
        editors.extend(eds)
        page_paras.append((number, False, paras))
    issue = parse_pages(page_paras, path, meta, sha, masthead, editors)
    return with_ocr_confidence(issue, halves, numbers)


def with_ocr_confidence(issue: Issue, halves: list[list[Para]], numbers: list[int]) -> Issue:
    """Each article's mean OCR confidence, from the paragraphs of its page (unchanged when nothing was OCR'd)."""
    if all(p.conf >= 1.0 for paras in halves for p in paras):
        return issue
    by_page: dict[int, list[Para]] = {}
    for number, paras in zip(numbers, halves, strict=False):
        by_page.setdefault(number, []).extend(paras)
    pages = tuple(replace(page, articles=tuple(
        replace(a, ocr_conf=article_conf(a.paragraphs, by_page.get(page.number, []))) for a in page.articles))
        for page in issue.pages)
    return replace(issue, pages=pages)


def article_conf(paragraphs: Sequence[str], paras: Sequence[Para]) -> float:
    """An article's mean OCR confidence: of the page paragraphs whose text is part of its paragraphs."""
    body = "\n".join(paragraphs)
    hits = [(p.conf, len(p.text)) for p in paras if len(p.text) >= 4 and p.text in body]
    total = sum(n for _, n in hits)
    return round(sum(c * n for c, n in hits) / total, 4) if total else 1.0


def _page_numbers(halves: list[list[Para]], spreads: list[bool], path: Path) -> list[int]:
    """Printed 第N版 marks win; else spreads follow the folded-paper order; else PDF order."""
    marks: list[int | None] = []
    for paras in halves:
        found = None
        for p in paras[:3] + paras[-3:]:
            if m := PAGE_MARK.match(p.text):
                found = cn_number(m.group(1))
                break
        marks.append(found)
    if all(m is not None for m in marks):
        return [m for m in marks if m is not None]
    if all(spreads) and len(halves) % 2 == 0:
        masthead_at = [i for i, paras in enumerate(halves) if find_masthead(paras, path)]
        if masthead_at == [1]:
            return [n for pair in _spread_numbers(len(halves) // 2) for n in pair]
    return list(range(1, len(halves) + 1))
