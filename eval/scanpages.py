"""Render the sample issues as scanned pages: one image-only, two-column PDF page per printed page.

Used by the OCR benchmark (python -m eval.ocr_bench) and the OCR integration test, so that no page image is
ever committed. The layout is a plain newspaper page: a 第N版 header, the masthead on page 1, the page's
first headline across both columns, then running text flowed into two balanced columns with indented
paragraphs, larger titles, right-aligned bylines and a blank band where the source marks a picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest import (
    EDITOR_LINE,
    Para,
    editors_box,
    find_masthead,
    is_title_like,
    paragraphs_from_lines,
    parse_leading_byline,
    parse_text,
    parse_trailing_byline,
    read_text_file,
)
from rag import ConfigError

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DPI = 200  # pixels per inch of the page images: 26 px body text is then 9.4 pt, a newspaper's body size
WIDTH = 2100
MIN_HEIGHT = 2970  # A4's proportions at this width; a page with more text grows longer
MARGIN = 100
GUTTER = 60
COLUMN = (WIDTH - 2 * MARGIN - GUTTER) // 2
# font size and line pitch (px) of each kind of line
STYLE = {
    "body": (26, 40), "title": (36, 54), "headline": (44, 66), "masthead": (72, 96), "small": (26, 44),
}


@dataclass(frozen=True)
class Line:
    """One printed line: its kind, text, and x offset inside its column (or page, for spanning lines)."""

    kind: str
    text: str
    x: int = 0
    space_before: int = 0  # extra pixels above the line
    centered: bool = False


@dataclass(frozen=True)
class PrintedPage:
    """A printed page of a sample issue: its number, the paragraphs printed on it, and its source text."""

    number: int
    top: tuple[Para, ...]  # header, masthead and headline lines: across the page
    flow: tuple[Para, ...]  # everything else, flowed into two columns
    kinds: tuple[str, ...]  # the style of each flow paragraph
    masthead_lines: int = 0  # how many of the top lines (after the header) are the masthead

    @property
    def text(self) -> str:
        """The page's printed characters without whitespace, to measure OCR accuracy against."""
        return "".join("".join(p.text.split()) for p in (*self.top, *self.flow))


def printed_pages(path: Path) -> list[PrintedPage]:
    """Split a sample text file into its printed pages (page numbers as the text parser assigns them)."""
    text = read_text_file(path)
    issue = parse_text(text, path)
    paras = paragraphs_from_lines(text.split("\n"))
    mast = find_masthead(paras, path)
    assert mast is not None, f"{path}: no masthead"
    after = paras[mast.end:]
    box = editors_box(after)
    assert box is not None, f"{path}: no editors' box"
    rest = after[box[1]:]
    first_p3 = next(a for a in issue.articles if a.page == 3)
    cut = next(i for i, p in enumerate(rest) if p.text.startswith(first_p3.paragraphs[0][:20]))
    while cut > 0 and (rest[cut - 1].text in first_p3.full_title or parse_leading_byline(rest[cut - 1].text)):
        cut -= 1
    titles = {t for a in issue.articles for t in (*a.title.split(" "), a.title, a.subtitle) if t}
    chunks = {
        4: ([], paras[: mast.start]),
        1: (paras[mast.start: mast.end], after[: box[1]]),
        2: ([], rest[:cut]),
        3: ([], rest[cut:]),
    }
    pages = []
    for number in (1, 2, 3, 4):
        top, flow = chunks[number]
        top = [Para(f"第{number}版"), *top]
        while flow and _kind(flow[0].text, titles) == "title":  # the page's first headline spans the columns
            top.append(flow[0])
            flow = flow[1:]
        kinds = tuple(_kind(p.text, titles) for p in flow)
        pages.append(PrintedPage(number, tuple(top), tuple(flow), kinds, len(chunks[number][0])))
    return pages


def _kind(text: str, titles: set[str]) -> str:
    if parse_trailing_byline(text):
        return "byline"
    in_titles = text in titles or (len(text) >= 6 and any(text in t for t in titles))
    if is_title_like(text) and (text.startswith("——") or in_titles):
        return "title"
    if parse_leading_byline(text) or EDITOR_LINE.match(text):
        return "short"
    return "body"


def _top_kinds(page: PrintedPage) -> list[str]:
    """Header small; on page 1 the paper's name large and the issue and date lines small, the day larger."""
    kinds = ["small"]
    for i, p in enumerate(page.top[1:]):
        if i == 0 and page.number == 1:
            kinds.append("masthead")
        elif p.text.isdigit():
            kinds.append("headline")
        elif i < page.masthead_lines:
            kinds.append("small")
        else:
            kinds.append("headline")
    return kinds


def require_font() -> None:
    """Refuse, with what to do, when the font the scans are set in is not installed."""
    if not FONT_PATH.exists():
        raise ConfigError("rendering scanned pages needs the font fonts-wqy-microhei: run `make browser-deps` "
                          "(or apt-get install fonts-wqy-microhei)",
                          "渲染扫描版面需要文泉驿微米黑字体：请先运行 make browser-deps（或 apt-get install fonts-wqy-microhei）")


@lru_cache(maxsize=16)
def _font(size: int) -> Any:
    """The font at this size, loaded once (every printed line asks for it)."""
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT_PATH), size)


def _typeset(text: str) -> str:
    """Bylines, the editors' box and the masthead are set with em spaces, as a compositor would."""
    return "\u3000".join(text.split())


def _wrap(text: str, kind: str, first_indent: int) -> list[Line]:
    """Break a paragraph into column lines by measured width; the first body line is indented two ems."""
    size, _ = STYLE["title" if kind == "title" else "body"]
    font = _font(size)
    lines: list[Line] = []
    cur, x0 = "", first_indent
    for ch in text:
        if cur and x0 + font.getlength(cur + ch) > COLUMN:
            lines.append(Line(kind, cur, x0))
            cur, x0 = "", 0
        cur += ch
    if cur:
        lines.append(Line(kind, cur, x0))
    return lines


def _flow_lines(page: PrintedPage) -> list[Line]:
    """The page's flowing text as column lines, with extra space where the source has a picture break."""
    out: list[Line] = []
    body_size, pitch = STYLE["body"]
    for p, kind in zip(page.flow, page.kinds, strict=True):
        space = pitch * 2 if p.gap >= 2 and out else 0
        if kind == "body":
            lines = _wrap(p.text, "body", 2 * body_size)
        elif kind == "title":
            lines = _wrap(_typeset(p.text), "title", 0)
        else:
            text = _typeset(p.text)
            width = int(_font(body_size).getlength(text))
            lines = [Line(kind, text, max(0, COLUMN - width) if kind == "byline" else 0)]
        lines[0] = Line(lines[0].kind, lines[0].text, lines[0].x, space)
        out.extend(lines)
    return out


def _height(line: Line) -> int:
    return STYLE["title" if line.kind == "title" else "body"][1] + line.space_before


def _split_columns(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Balance the lines over two columns; a title is not left alone at the foot of the first column."""
    total = sum(_height(ln) for ln in lines)
    target = total // 2
    used, k = 0, 0
    while k < len(lines) and used + _height(lines[k]) <= target:
        used += _height(lines[k])
        k += 1
    while 0 < k < len(lines) and lines[k - 1].kind == "title":
        k -= 1
    right = lines[k:]
    if right:
        right[0] = Line(right[0].kind, right[0].text, right[0].x, 0)
    return lines[:k], right


def render_page(page: PrintedPage) -> Any:
    """Draw one printed page as a grayscale PIL image, WIDTH pixels wide."""
    from PIL import Image, ImageDraw

    top = [Line("small", page.top[0].text)]
    kinds = _top_kinds(page)
    top += [Line(k, _typeset(p.text), centered=True) for p, k in zip(page.top[1:], kinds[1:], strict=True)]
    left, right = _split_columns(_flow_lines(page))
    top_h = sum(STYLE[ln.kind][1] for ln in top) + 40
    col_h = max(sum(_height(ln) for ln in left), sum(_height(ln) for ln in right))
    height = max(MIN_HEIGHT, MARGIN * 2 + top_h + col_h)
    img = Image.new("L", (WIDTH, height), 255)
    draw = ImageDraw.Draw(img)
    y = MARGIN
    for ln in top:
        size, pitch = STYLE[ln.kind]
        font = _font(size)
        x = (WIDTH - int(font.getlength(ln.text))) // 2 if ln.centered else MARGIN
        draw.text((x, y), ln.text, font=font, fill=0)
        y += pitch
    y += 40
    for col, lines in enumerate((left, right)):
        cy = y
        for ln in lines:
            cy += ln.space_before
            size, pitch = STYLE["title" if ln.kind == "title" else "body"]
            draw.text((MARGIN + col * (COLUMN + GUTTER) + ln.x, cy), ln.text, font=_font(size), fill=0)
            cy += pitch
    return img


def write_image_pdf(images: list[Any], path: Path) -> Path:
    """Save page images as an image-only PDF (no text layer) at DPI."""
    first, *rest = [im.convert("RGB") for im in images]
    first.save(str(path), "PDF", save_all=True, append_images=rest, resolution=float(DPI))
    return path


def render_issue(path: Path, out: Path, pages: tuple[int, ...] = (1, 2, 3, 4)) -> tuple[Path, list[PrintedPage]]:
    """Render the chosen printed pages of a sample issue, in page order, as one image-only PDF."""
    require_font()
    chosen = [p for p in printed_pages(path) if p.number in pages]
    return write_image_pdf([render_page(p) for p in chosen], out), chosen
