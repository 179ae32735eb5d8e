"""Read a newspaper PDF: real page numbers, and spread pages (two newspaper pages side by side) split
into their halves in the right order."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rag.errors import IssueParseError
from rag.models import Issue

from .assemble import IssueMeta
from .ocr import OcrOptions, OcrScan
from .pages import issue_from_halves
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
