"""Reading order for a newspaper page read by OCR: text boxes → columns and blocks → paragraphs.

A page is cut the way a person reads it. Column gutters are the vertical strips that no run of text
crosses; a box that does cross one (a headline, the masthead) spans the columns and cuts the page into
bands. Each band is read column by column, left to right, each column top to bottom, and the same cut is
tried again inside every band and column, so a two-column story under a full-width headline, or a
three-column band under a two-column one, reads right. Lines are then joined into paragraphs: a line that
runs to its column's right edge goes on in the next one, unless that one is indented; a short line, a
change of type size or a vertical gap ends the paragraph, and a wide gap (a picture, a box) is recorded
as Para.gap ≥ 2 so the article segmentation sees the same signal as in extracted text.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from .textlayout import Para, ends_sentence

LONG_LINE = 4.0  # a box this many line heights wide is running text: it decides where the gutters are
MIN_GUTTER = 0.8  # narrowest gutter, in line heights
GUTTER_NOISE = 0.3  # a gutter may be crossed by this share of the boxes beside it (headlines, masthead)
TITLE_HEIGHT = 1.25  # type this much larger than the body text is a title
MAX_DEPTH = 8


@dataclass(frozen=True)
class TextBox:
    """One line of text as OCR found it: axis-aligned box (pixels), text, and confidence in [0, 1]."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    conf: float = 1.0
    char_conf: tuple[float, ...] = ()  # per character of text, when the engine reports it
    char_x: tuple[float, ...] = ()  # x centre of each character of text, when the engine reports it

    @property
    def height(self) -> float:
        """Box height in pixels."""
        return self.y1 - self.y0

    @property
    def width(self) -> float:
        """Box width in pixels."""
        return self.x1 - self.x0

    @property
    def size(self) -> float:
        """Type size: the spacing of its Chinese characters when known (a box's height varies with the
        marks on the line), else its height."""
        if len(self.char_x) == len(self.text):
            steps = [self.char_x[i + 1] - self.char_x[i] for i in range(len(self.text) - 1)
                     if _is_cjk(self.text[i]) and _is_cjk(self.text[i + 1])]
            if len(steps) >= 2:
                return statistics.median(steps)
        return self.height

    @property
    def cy(self) -> float:
        """Vertical centre."""
        return (self.y0 + self.y1) / 2


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@dataclass(frozen=True)
class Column:
    """A run of lines read top to bottom, with the box edges its lines are measured against."""

    lines: tuple[TextBox, ...]
    left: float
    right: float


def body_height(boxes: Sequence[TextBox]) -> float:
    """The body type size, which the layout measures in: the median box size (at least 1 px)."""
    return max(1.0, statistics.median(b.size for b in boxes)) if boxes else 1.0


def read_columns(boxes: Sequence[TextBox]) -> list[Column]:
    """Order a page's boxes into columns in reading order (bands top to bottom, columns left to right)."""
    boxes = [b for b in boxes if b.text.strip()]
    return _layout(boxes, body_height(boxes), 0)


def _layout(boxes: list[TextBox], lh: float, depth: int) -> list[Column]:
    if not boxes:
        return []
    gutters = _gutters(boxes, lh)
    if not gutters or depth >= MAX_DEPTH:
        return [_column(boxes, lh)]
    boxes = [piece for b in boxes for piece in split_at_gutters(b, gutters, lh)]
    spanning = [b for b in boxes if any(_crosses(b, g) for g in gutters)]
    if spanning:
        return _bands(boxes, spanning, lh, depth)
    out: list[Column] = []
    edges = [float("-inf"), *((a + b) / 2 for a, b in gutters), float("inf")]
    for lo, hi in zip(edges, edges[1:], strict=False):
        part = [b for b in boxes if lo <= (b.x0 + b.x1) / 2 < hi]
        out.extend(_layout(part, lh, depth + 1))
    return out


def _bands(boxes: list[TextBox], spanning: list[TextBox], lh: float, depth: int) -> list[Column]:
    """Cut at the boxes that span the columns; each run of spanning boxes is read as one band of its own."""
    span_ids = {id(b) for b in spanning}
    ordered = sorted(boxes, key=lambda b: b.cy)
    out: list[Column] = []
    run: list[TextBox] = []
    run_spans = False
    for b in ordered:
        spans = id(b) in span_ids
        if run and spans != run_spans:
            # a spanning run has only full-width boxes: read it as one column; a band may have columns again
            out.extend([_column(run, lh)] if run_spans else _layout(run, lh, depth + 1))
            run = []
        run.append(b)
        run_spans = spans
    out.extend([_column(run, lh)] if run_spans else _layout(run, lh, depth + 1))
    return out


def _gutters(boxes: list[TextBox], lh: float) -> list[tuple[float, float]]:
    """Vertical strips that running text does not cross, with running text on both sides.

    How many boxes cover each x is a profile with a high plateau over each column; a gutter is a valley in
    it, crossed by at most GUTTER_NOISE of the boxes of the lower of the plateaus either side (the headlines
    and masthead lines that span the columns), and at least MIN_GUTTER line heights wide.
    """
    long = [b for b in boxes if b.width >= LONG_LINE * lh]
    if len(long) < 4:
        return []
    steps = sorted([(b.x0, 1) for b in long] + [(b.x1, -1) for b in long])
    segments: list[tuple[float, float, int]] = []  # (x from, x to, boxes covering)
    depth = 0
    for (x, step), (nx, _) in zip(steps, steps[1:], strict=False):
        depth += step
        if nx > x:
            segments.append((x, nx, depth))
    out: list[tuple[float, float]] = []
    for i, (x0, x1, c) in enumerate(segments):
        left = max((s[2] for s in segments[:i]), default=0)
        right = max((s[2] for s in segments[i + 1:]), default=0)
        if min(left, right) >= 2 and c <= GUTTER_NOISE * min(left, right):
            if out and out[-1][1] == x0:
                out[-1] = (out[-1][0], x1)
            else:
                out.append((x0, x1))
    return [g for g in out if g[1] - g[0] >= MIN_GUTTER * lh and _sides(long, g) >= 2]


def _sides(long: list[TextBox], gutter: tuple[float, float]) -> int:
    """How many running-text boxes lie wholly on the thinner side of a gutter."""
    left = sum(1 for b in long if b.x1 <= gutter[0])
    right = sum(1 for b in long if b.x0 >= gutter[1])
    return min(left, right)


def split_at_gutters(b: TextBox, gutters: Sequence[tuple[float, float]], lh: float) -> list[TextBox]:
    """Cut a body-size box that OCR ran across a gutter (two columns' lines on one baseline) in two, where
    its characters jump the gutter; a headline, or a line really set across, has no such jump."""
    if not b.char_x or len(b.char_x) != len(b.text) or b.size >= TITLE_HEIGHT * lh:
        return [b]
    marks = [i for i, ch in enumerate(b.text) if ch != " "]
    for a, z in gutters:
        for i, k in zip(marks, marks[1:], strict=False):
            left, right = b.char_x[i], b.char_x[k]
            if left < (a + z) / 2 < right and right - left - b.height >= max(0.5 * (z - a), 1.2 * lh):
                return [*_piece(b, 0, i + 1, b.x0, left + b.height / 2),
                        *split_at_gutters(_piece(b, k, len(b.text), right - b.height / 2, b.x1)[0], gutters, lh)]
    return [b]


def _piece(b: TextBox, i: int, j: int, x0: float, x1: float) -> list[TextBox]:
    """Characters i..j of a box as a box of their own (spaces at the cut dropped)."""
    while i < j and b.text[i] == " ":
        i += 1
    while j > i and b.text[j - 1] == " ":
        j -= 1
    chars = b.char_conf[i:j] if len(b.char_conf) == len(b.text) else ()
    conf = sum(chars) / len(chars) if chars else b.conf
    return [TextBox(x0, b.y0, x1, b.y1, b.text[i:j], conf, chars, b.char_x[i:j])] if j > i else []


def _crosses(b: TextBox, gutter: tuple[float, float]) -> bool:
    """A box crosses a gutter when it covers half of it, or half of the box lies in it."""
    overlap = min(b.x1, gutter[1]) - max(b.x0, gutter[0])
    return overlap > 0 and overlap >= 0.5 * min(b.width, gutter[1] - gutter[0])


def _column(boxes: list[TextBox], lh: float) -> Column:
    """One column: boxes on the same line merged, lines top to bottom, titles first in their block."""
    lines = _merge_lines(sorted(boxes, key=lambda b: (b.cy, b.x0)), lh)
    lines = _titles_first(lines, lh)
    rights = sorted(b.x1 for b in lines)
    right = rights[int(0.8 * (len(rights) - 1))]
    return Column(tuple(lines), min(b.x0 for b in lines), right)


def _merge_lines(boxes: list[TextBox], lh: float) -> list[TextBox]:
    """Join boxes that sit side by side on one line (OCR splits a line at a wide space)."""
    out: list[TextBox] = []
    for b in boxes:
        prev = out[-1] if out else None
        overlap = 0.0 if prev is None else min(prev.y1, b.y1) - max(prev.y0, b.y0)
        if prev is not None and _same_size(prev, b, lh) and overlap >= 0.5 * min(prev.height, b.height) and b.x0 >= prev.x1 - 0.5 * lh:
            sep = " " if b.x0 - prev.x1 > 0.35 * min(prev.height, b.height) else ""
            n = len(prev.text) + len(sep) + len(b.text)
            conf = (prev.conf * len(prev.text) + b.conf * len(b.text)) / max(1, n - len(sep))
            chars = (prev.char_conf + (1.0,) * len(sep) + b.char_conf) if prev.char_conf and b.char_conf else ()
            xs = (prev.char_x + ((prev.x1 + b.x0) / 2,) * len(sep) + b.char_x) if prev.char_x and b.char_x else ()
            out[-1] = TextBox(min(prev.x0, b.x0), min(prev.y0, b.y0), max(prev.x1, b.x1), max(prev.y1, b.y1),
                              prev.text + sep + b.text, conf, chars, xs)
        else:
            out.append(b)
    return out


def _titles_first(lines: list[TextBox], lh: float) -> list[TextBox]:
    """A title set beside the first lines of its block (its top above theirs) is read before them."""
    out: list[TextBox] = []
    for ln in lines:
        k = len(out)
        if ln.size >= TITLE_HEIGHT * lh:
            while k > 0 and out[k - 1].size < TITLE_HEIGHT * lh and ln.y0 <= out[k - 1].y0 < ln.y1:
                k -= 1
        out.insert(k, ln)
    return out


def paragraphs(columns: Sequence[Column], lh: float) -> list[Para]:
    """Join the lines of columns in reading order into paragraphs, with blank-line gaps and confidence."""
    paras: list[Para] = []
    weights: list[int] = []
    prev_col: Column | None = None
    for col in columns:
        for i, ln in enumerate(col.lines):
            if i:
                gap = _gap(col.lines[i - 1], ln, col, lh)
            elif prev_col is not None and paras and _continues_column(prev_col, col, lh, paras[-1]):
                gap = None
            else:
                gap = 0 if prev_col is None else 1  # a column break reads like a blank line in extracted text
            if gap is None:
                _append(paras, weights, ln)
            else:
                paras.append(Para(ln.text, gap, round(ln.conf, 4)))
                weights.append(len(ln.text))
        prev_col = col
    return paras


def _gap(prev: TextBox, ln: TextBox, col: Column, lh: float) -> int | None:
    """None when ln goes on prev's paragraph; else the blank lines to record before ln's paragraph."""
    space = ln.y0 - prev.y1
    if space > 1.2 * lh:
        return max(1, min(3, round((space - 0.5 * lh) / (1.5 * lh))))
    if not _same_size(prev, ln, lh):
        return 0  # a change of type size: title to body, body to subhead
    full = prev.x1 >= col.right - 1.5 * lh and prev.x0 <= col.left + 2.5 * lh  # not a right-aligned byline
    indented = ln.x0 > col.left + 1.2 * lh
    return None if full and not indented else 0


def _continues_column(prev_col: Column, col: Column, lh: float, last: Para) -> bool:
    """A paragraph cut at the foot of a column goes on at the head of the next (not indented, same size)."""
    a, b = prev_col.lines[-1], col.lines[0]
    full = a.x1 >= prev_col.right - 1.5 * lh and a.x0 <= prev_col.left + 2.5 * lh
    indented = b.x0 > col.left + 1.2 * lh
    return len(prev_col.lines) > 1 and full and not indented and _same_size(a, b, lh) and not ends_sentence(last.text)


def _same_size(a: TextBox, b: TextBox, lh: float) -> bool:
    """Both body text, or both titles of about one size."""
    tall_a, tall_b = a.size >= TITLE_HEIGHT * lh, b.size >= TITLE_HEIGHT * lh
    return tall_a == tall_b and (not tall_a or max(a.size, b.size) <= TITLE_HEIGHT * min(a.size, b.size))


def _append(paras: list[Para], weights: list[int], ln: TextBox) -> None:
    last = paras[-1]
    sep = " " if last.text[-1:].isascii() and last.text[-1:].isalnum() and ln.text[:1].isascii() else ""
    n = weights[-1] + len(ln.text)
    conf = (last.conf * weights[-1] + ln.conf * len(ln.text)) / max(1, n)
    paras[-1] = Para(last.text + sep + ln.text, last.gap, round(conf, 4))
    weights[-1] = n


def page_paras(boxes: Sequence[TextBox]) -> list[Para]:
    """A page's OCR boxes as paragraphs in reading order, ready for the article segmentation."""
    return paragraphs(read_columns(boxes), body_height(boxes))
