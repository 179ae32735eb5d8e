"""Read a newspaper PDF: real page numbers, and spread pages (two newspaper pages side by side) split
into their halves in the right order."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rag.errors import IssueParseError
from rag.models import Issue

from .ocr import OcrOptions, OcrScan
from .parse import _PAGE_MARK, IssueMeta, _remove_furniture, cn_number, find_masthead, parse_pages
from .textlayout import Para

SPREAD_ASPECT = 1.2  # wider than tall by this much: two newspaper pages side by side
_PAGE_FOOTER = re.compile(r"^[-—\s]*\d{1,2}[-—\s]*$")


def _lines(page: Any) -> list[tuple[float, float, str]]:
    """(top, height, text) for each text line of a (cropped) pdfplumber page, top to bottom."""
    out = []
    for ln in page.extract_text_lines(strip=True, return_chars=False):
        text = ln["text"].strip()
        if text:
            out.append((float(ln["top"]), float(ln["bottom"] - ln["top"]), text))
    return out


def _paras(lines: list[tuple[float, float, str]]) -> list[Para]:
    """Lines → paragraphs: a wider vertical gap than line spacing starts a new paragraph."""
    if not lines:
        return []
    heights = sorted(h for _, h, _ in lines)
    lh = heights[len(heights) // 2] or 10.0
    paras: list[Para] = []
    prev_bottom: float | None = None
    for top, h, text in lines:
        gap = 0.0 if prev_bottom is None else top - prev_bottom
        if prev_bottom is None or gap > 0.9 * lh:
            blank = 0 if prev_bottom is None else max(1, min(3, round(gap / (lh * 1.2))))
            paras.append(Para(text, blank))
        else:
            last = paras[-1].text
            sep = " " if last[-1:].isascii() and last[-1:].isalnum() and text[:1].isascii() else ""
            paras[-1].text = last + sep + text
        prev_bottom = top + h
    # a lone number at the very top or bottom is a printed folio, not text (the masthead's day is mid-page)
    while paras and _PAGE_FOOTER.match(paras[-1].text):
        paras.pop()
    while paras and _PAGE_FOOTER.match(paras[0].text):
        paras.pop(0)
    return paras


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


def parse_pdf(path: Path, meta: IssueMeta, sha: str, ocr: OcrOptions | None = None) -> Issue:
    """Parse a PDF issue; each half of a spread page becomes its own newspaper page."""
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - pdfplumber is a dependency
        raise IssueParseError(f"{path}: pdfplumber is not installed", "缺少 PDF 解析组件 pdfplumber") from exc
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:
        raise IssueParseError(f"{path}: not a readable PDF ({exc.__class__.__name__})", f"PDF 文件无法读取：{path}") from exc
    halves: list[list[Para]] = []
    spread_flags: list[bool] = []
    with pdf:
        scan = OcrScan.of_pdf(ocr, pdf.pages, path.name)
        for page in pdf.pages:
            if scan.needs(page):  # no text layer (a scan): render the page and read it by OCR
                parts = scan.read_pdf_page(page)
                halves += parts
                spread_flags += [len(parts) == 2] * len(parts)
                continue
            w, h = float(page.width), float(page.height)
            if w > h * SPREAD_ASPECT:
                for box in ((0, 0, w / 2, h), (w / 2, 0, w, h)):
                    halves.append(_paras(_lines(page.crop(box))))
                    spread_flags.append(True)
            else:
                halves.append(_paras(_lines(page)))
                spread_flags.append(False)
    return issue_from_halves(halves, spread_flags, path, meta, sha)


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
        paras, eds = _remove_furniture(paras, path)
        paras = [p for p in paras if not _PAGE_MARK.match(p.text)]
        editors.extend(eds)
        page_paras.append((number, False, paras))
    return parse_pages(page_paras, path, meta, sha, masthead, editors)


def _page_numbers(halves: list[list[Para]], spreads: list[bool], path: Path) -> list[int]:
    """Printed 第N版 marks win; else spreads follow the folded-paper order; else PDF order."""
    marks: list[int | None] = []
    for paras in halves:
        found = None
        for p in paras[:3] + paras[-3:]:
            if m := _PAGE_MARK.match(p.text):
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
