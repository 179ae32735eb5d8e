"""OCR for scanned issues: PDF pages without a text layer, and files of page images.

One small interface, `OcrEngine.read(image) -> list[TextBox]`, so the engine can be swapped; the default is
RapidOCR (rapidocr-onnxruntime), whose wheel ships the PP-OCRv4 ONNX models, so nothing is downloaded at run
time. It is imported on first use, not when this module is. A page is rendered, read, corrected against the
archive's own dictionary, put in reading order (ocr_layout) and handed to the same issue parser as
extracted text.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from rag.errors import IssueParseError
from rag.models import Issue

from .assemble import IssueMeta
from .ocr_correct import correct
from .ocr_layout import TextBox, page_paras
from .pages import issue_from_halves
from .textlayout import Para, is_title_like

Progress = Callable[[int, int], None]

# Body text of a newspaper is set at 9-10.5 pt; at 200 dpi that is 25-29 px, the size PP-OCR's detector and
# recogniser are trained around (its recogniser reads 48 px lines). 300 dpi would only add pixels and time.
DPI = 200
MIN_TEXT_CHARS = 20  # a page whose text layer has fewer characters is read by OCR instead
SPREAD_ASPECT = 1.2  # as for text PDFs: wider than tall by this much is two newspaper pages side by side
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_SUBTITLE_DASH = re.compile(r"^(?:[一—-]{2}|[一—-]—|—[一—-])\s*(?=[\u4e00-\u9fff“\"])")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
_MISSING = (
    "未安装 OCR 组件，无法识别扫描件，请运行 pip install rapidocr-onnxruntime（或 pip install -e '.[ocr]'）",
    "no OCR engine for a scanned page: pip install rapidocr-onnxruntime (or pip install -e '.[ocr]')",
)


class OcrEngine(Protocol):
    """Anything that reads the text lines of a page image."""

    def read(self, image: Any) -> list[TextBox]:
        """Text boxes of a PIL image, in any order."""
        ...


@dataclass(frozen=True)
class OcrPage:
    """One page read by OCR: its paragraphs, how long it took, and its mean character confidence."""

    label: str
    paras: tuple[Para, ...]
    seconds: float
    conf: float
    chars: int


@dataclass
class OcrLog:
    """Collects the pages an ingest read by OCR, for the summary table (the caller owns and reads it)."""

    pages: list[OcrPage] = field(default_factory=list)

    @property
    def seconds_per_page(self) -> float:
        """Mean OCR seconds per page (0 when nothing was read)."""
        return sum(p.seconds for p in self.pages) / len(self.pages) if self.pages else 0.0

    @property
    def conf(self) -> float:
        """Mean character confidence over every page read."""
        chars = sum(p.chars for p in self.pages)
        return sum(p.conf * p.chars for p in self.pages) / chars if chars else 1.0


@dataclass(frozen=True)
class OcrOptions:
    """How scanned pages are read: resolution, when OCR runs, the engine, the dictionary and callbacks."""

    dpi: int = DPI
    min_text_chars: int = MIN_TEXT_CHARS
    threads: int = 1  # ONNX threads: ingest shares the machine with the page and the embedder
    known: Mapping[str, str] = field(default_factory=dict)  # the archive's dictionary: word → kind
    engine: OcrEngine | None = None  # None: RapidOCR, loaded on first use
    progress: Callable[[str, int], Progress] | None = None  # progress(label, total) -> tick(step, done)
    log: OcrLog | None = None


class RapidOcrEngine:
    """RapidOCR (PP-OCRv4 ONNX models from its wheel); the models load on the first page read."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._ocr: Any = None

    def warm_up(self) -> None:
        """Load the models (or raise the install hint)."""
        if self._ocr is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:  # not installed, or OpenCV without libGL (Debian: apt-get install libgl1)
                raise IssueParseError(f"{_MISSING[1]} ({exc})", _MISSING[0]) from exc
            # max_side_len: never shrink the page before cropping lines (small type would blur); the
            # detector alone works on a copy at most 2000 px long, which is enough to find 25 px lines.
            self._ocr = RapidOCR(intra_op_num_threads=self.threads, inter_op_num_threads=1, max_side_len=10000,
                                 det_limit_type="max", det_limit_side_len=2000)

    def read(self, image: Any) -> list[TextBox]:
        """Text boxes of a PIL image; spaces are put back where the characters stand apart."""
        import numpy as np

        self.warm_up()
        rgb = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])  # RapidOCR takes arrays in OpenCV's BGR order
        # the angle classifier is off: scanned newspaper pages are upright, and it flips short lines
        result, _ = self._ocr(rgb, use_cls=False, return_word_box=True)
        return [_rapid_box(r) for r in result or [] if str(r[1]).strip()]


def _rapid_box(r: Sequence[Any]) -> TextBox:
    """A RapidOCR result row (quad, text, score, word boxes, words, char scores) as a TextBox."""
    xs = [float(p[0]) for p in r[0]]
    ys = [float(p[1]) for p in r[0]]
    text, conf = str(r[1]), float(r[2])
    chars: tuple[float, ...] = ()
    if len(r) >= 6 and len(r[5]) == len(text):
        chars = tuple(float(c) for c in r[5])
    box = TextBox(min(xs), min(ys), max(xs), max(ys), text, conf, chars)
    if len(r) >= 5 and "".join(r[4]) == text and len(r[3]) == len(r[4]):
        box = _spaced(box, list(r[4]), list(r[3]))
    return box


def _spaced(box: TextBox, words: list[str], quads: list[Any]) -> TextBox:
    """Put back the spaces the recogniser drops, which bylines and the editors' box need (工会　徐继来,
    主　编　刘维佳): between two Chinese characters whose centres stand more than 1.4 line heights apart
    (set solid they stand one apart), or between other words more than a third of a line height apart.
    Each character's x centre is kept, to cut a line that OCR ran across a column gutter."""
    text, confs, centres, pos = "", [], [], 0
    prev: tuple[float, float] | None = None
    for word, quad in zip(words, quads, strict=True):
        x0, x1 = min(float(p[0]) for p in quad), max(float(p[0]) for p in quad)
        if prev is not None and _spaceable(text[-1:], word[:1]):
            solid = len(word) == 1 and _is_cjk(word) and _is_cjk(text[-1])
            if (x0 + x1) / 2 - sum(prev) / 2 > 1.4 * box.height if solid else x0 - prev[1] > 0.35 * box.height:
                text += " "
                confs.append(1.0)
                centres.append((prev[1] + x0) / 2)
        text += word
        confs.extend(box.char_conf[pos: pos + len(word)])
        centres.extend(x0 + (k + 0.5) * (x1 - x0) / len(word) for k in range(len(word)))
        pos += len(word)
        prev = (x0, x1)
    char_conf = tuple(confs) if box.char_conf else ()
    # the detector's box may reach well past the text (into a gutter): hold it to the characters
    x0 = max(box.x0, centres[0] - 0.6 * box.height) if centres else box.x0
    x1 = min(box.x1, centres[-1] + 0.6 * box.height) if centres else box.x1
    return TextBox(x0, box.y0, x1, box.y1, text, box.conf, char_conf, tuple(centres))


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _spaceable(a: str, b: str) -> bool:
    """Punctuation stands apart by its shape (、。，), not by a space."""
    return bool(a and b) and not unicodedata.category(a).startswith("P") and not unicodedata.category(b).startswith("P")


@cache
def default_engine(threads: int = 1) -> RapidOcrEngine:
    """The shared RapidOCR engine (one per thread count; models load on its first page)."""
    return RapidOcrEngine(threads)


def split_spread(image: Any) -> list[Any]:
    """A spread image (wider than SPREAD_ASPECT × its height) as its two halves, else the image itself."""
    w, h = image.size
    if w > h * SPREAD_ASPECT:
        return [image.crop((0, 0, w // 2, h)), image.crop((w // 2, 0, w, h))]
    return [image]


def read_image(image: Any, options: OcrOptions, label: str = "") -> OcrPage:
    """Read one newspaper page image into paragraphs in reading order, corrected from the dictionary."""
    engine = options.engine or default_engine(options.threads)
    started = time.perf_counter()
    boxes = [_corrected(b, options.known) for b in engine.read(image)]
    paras = tuple(_dashes(p) for p in page_paras(boxes))
    chars = sum(len(b.text) for b in boxes)
    conf = sum(b.conf * len(b.text) for b in boxes) / chars if chars else 0.0
    return OcrPage(label, paras, time.perf_counter() - started, round(conf, 4), chars)


def _dashes(p: Para) -> Para:
    """A subtitle's leading dash —— is often read as 一一 or --: put it back (the parser keys on ——)."""
    m = _SUBTITLE_DASH.match(p.text)
    if m and is_title_like(p.text[m.end():]):
        return Para("——" + p.text[m.end():], p.gap, p.conf)
    return p


def _corrected(b: TextBox, known: Mapping[str, str]) -> TextBox:
    if not known:
        return b
    text = correct(b.text, known, b.char_conf or b.conf)
    if text == b.text:
        return b
    same = len(text) == len(b.text)
    return TextBox(b.x0, b.y0, b.x1, b.y1, text, b.conf, b.char_conf if same else (), b.char_x if same else ())


class OcrScan:
    """The OCR side of reading one file: which pages need it, the progress bar, and the log."""

    def __init__(self, options: OcrOptions | None, total: int, name: str) -> None:
        self.options = options or OcrOptions()
        self.name = name
        self.done = 0
        progress = self.options.progress
        self.tick = progress(f"识别 OCR {name}", total) if progress and total else None

    @classmethod
    def of_pdf(cls, options: OcrOptions | None, pages: Sequence[Any], name: str) -> OcrScan:
        """The scan of a PDF's pdfplumber pages: its progress bar counts the pages without a text layer."""
        min_chars = (options or OcrOptions()).min_text_chars
        return cls(options, sum(1 for p in pages if _text_chars(p) < min_chars), name)

    def needs(self, page: Any) -> bool:
        """A pdfplumber page with no (or too little) text layer."""
        return _text_chars(page) < self.options.min_text_chars

    def read_pdf_page(self, page: Any) -> list[list[Para]]:
        """Render a pdfplumber page at options.dpi and read it (both halves of a spread)."""
        image = page.to_image(resolution=self.options.dpi).original
        return self.read(image, f"{self.name} p{page.page_number}")

    def read(self, image: Any, label: str) -> list[list[Para]]:
        """Read a page image (both halves of a spread), ticking the progress bar once per page."""
        out = []
        for k, half in enumerate(split_spread(image)):
            page = read_image(half, self.options, label + ("LR"[k] if image.size[0] > half.size[0] else ""))
            if self.options.log is not None:
                self.options.log.pages.append(page)
            out.append(list(page.paras))
        self.done += 1
        if self.tick:
            self.tick(1, self.done)
        return out


def _text_chars(page: Any) -> int:
    return sum(1 for c in page.chars if c["text"].strip())


def is_image(head: bytes) -> bool:
    """Do these first bytes start a PNG, JPEG or TIFF file?"""
    return head.startswith(IMAGE_MAGIC)


def parse_images(path: Path, meta: IssueMeta, sha: str, options: OcrOptions | None = None) -> Issue:
    """One issue from a file of page images: every frame of a (multi-page) TIFF, or one PNG/JPEG, in order."""
    from PIL import Image, ImageSequence, UnidentifiedImageError


    try:
        img = Image.open(path)
        frames = [f.copy() for f in ImageSequence.Iterator(img)]
    except (UnidentifiedImageError, OSError) as exc:
        raise IssueParseError(f"{path}: not a readable image ({exc.__class__.__name__})", f"图片无法读取：{path}") from exc
    scan = OcrScan(options, len(frames), path.name)
    halves: list[list[Para]] = []
    spreads: list[bool] = []
    for n, frame in enumerate(frames, start=1):
        parts = scan.read(frame, f"{path.name} p{n}")
        halves += parts
        spreads += [len(parts) == 2] * len(parts)
    return issue_from_halves(halves, spreads, path, meta, sha)
