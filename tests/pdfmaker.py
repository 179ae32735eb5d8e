"""Make newspaper PDFs with Chinese text for the tests (reportlab's CID font STSong-Light needs no file)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
SIZE = 10
LEADING = 14


def _register() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _wrap(text: str, width_chars: int) -> list[str]:
    return [text[i: i + width_chars] for i in range(0, len(text), width_chars)] or [""]


def draw_column(c: canvas.Canvas, x: float, top: float, width: float, paragraphs: list[str]) -> None:
    """Draw paragraphs in a column: wrapped lines, a blank line between paragraphs."""
    per_line = max(8, int(width // SIZE) - 1)
    y = top
    for para in paragraphs:
        for line in _wrap(para, per_line):
            c.drawString(x, y, line)
            y -= LEADING
        y -= LEADING  # paragraph gap


def make_pdf(path: Path, pages: list[list[str]], spread: bool = False) -> Path:
    """Write a PDF. Portrait: one list of paragraphs a page. Spread: two lists (left, right) a sheet."""
    _register()
    size = landscape(A4) if spread else A4
    c = canvas.Canvas(str(path), pagesize=size)
    w, h = size
    step = 2 if spread else 1
    for i in range(0, len(pages), step):
        c.setFont(FONT, SIZE)
        if spread:
            draw_column(c, 30, h - 40, w / 2 - 60, pages[i])
            draw_column(c, w / 2 + 30, h - 40, w / 2 - 60, pages[i + 1])
        else:
            draw_column(c, 40, h - 50, w - 80, pages[i])
        c.showPage()
    c.save()
    return path
