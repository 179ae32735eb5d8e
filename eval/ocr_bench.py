"""OCR benchmark: both sample issues rendered as image-only, two-column pages, read back by OCR.

python -m eval.ocr_bench [--pages 1,2,3,4] [--threads 1]

Each issue becomes one PDF with one page per printed page, in page order 1..4, each page carrying its
printed 第N版 line (as real pages do). The PDF is ingested through parse_file like any scan, twice: without a
dictionary, and with the archive dictionary of the *other* sample issue (what the archive would hold when
this issue arrives), so the correction is never fed the answers. The OCR runs once; the second parse reuses
its boxes. Printed: seconds per page and characters per second, character accuracy (1 − edit distance /
source length, whitespace ignored; also with full- and half-width punctuation folded, since the source
mixes ， and , which print alike, and after the dictionary correction) per page, and the articles found with the right title and page,
compared with the parse of the text file.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ingest import OcrLog, OcrOptions, OcrPage, TextBox, build_lexicon, default_engine, parse_file
from rag import ArticleRow, Issue

from .scanpages import render_issue

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "archive").glob("*.txt"))


@dataclass
class RecordingEngine:
    """The real engine, once per image: a second parse of the same pages reuses the boxes it read."""

    threads: int = 1
    seen: dict[str, list[TextBox]] = field(default_factory=dict)

    def read(self, image: Any) -> list[TextBox]:
        """Boxes of the image, read by RapidOCR the first time."""
        key = hashlib.sha256(image.tobytes()).hexdigest()
        if key not in self.seen:
            self.seen[key] = default_engine(self.threads).read(image)
        return self.seen[key]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time (the row's left-to-right term as a running minimum)."""
    import numpy as np

    if not a or not b:
        return max(len(a), len(b))
    codes_a = np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32)
    codes_b = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    ramp = np.arange(len(b) + 1)
    prev = ramp.copy()
    for i, ch in enumerate(codes_a):
        cost = (codes_b != ch).astype(np.int64)
        t = np.empty_like(prev)
        t[0] = i + 1
        t[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)
        prev = np.minimum.accumulate(t - ramp) + ramp
    return int(prev[-1])


def accuracy(ocr: str, source: str) -> float:
    """1 − edit distance / source length, whitespace ignored."""
    ocr, source = "".join(ocr.split()), "".join(source.split())
    return 1 - edit_distance(ocr, source) / max(1, len(source))


def _text(page: OcrPage) -> str:
    return "".join(p.text for p in page.paras)


def _fold(text: str) -> str:
    """Full- and half-width punctuation as one (the source mixes ， and , which print alike)."""
    return unicodedata.normalize("NFKC", text)


def _norm(title: str) -> str:
    return "".join(unicodedata.normalize("NFKC", title).split())


def dictionary(issue: Issue) -> dict[str, str]:
    """The archive dictionary (ingest.lexicon) that this issue alone would give, plus its publication."""
    rows = [
        ArticleRow(id=str(i), total_no=issue.total_no, issue_no=issue.issue_no, year=issue.year, date=issue.date,
                   seq=i, page=a.page, page_inferred=a.page_inferred, title=a.title, subtitle=a.subtitle, kind=a.kind,
                   department=a.department, author=a.author, editor_note=a.editor_note, body=a.body, chars=a.chars)
        for i, a in enumerate(issue.articles)
    ]
    return {**build_lexicon(rows), issue.publication: "publication"}


def compare(truth: Issue, got: Issue) -> tuple[int, int, list[str]]:
    """(exact, near) article matches on page and title, and one line per expected article."""
    found = [(a.page, _norm(a.title)) for a in got.articles]
    exact = near = 0
    lines = []
    for a in truth.articles:
        key = (a.page, _norm(a.title))
        best = max((SequenceMatcher(None, key[1], t).ratio() for p, t in found if p == a.page), default=0.0)
        mark = "✓" if key in found else ("≈" if best >= 0.9 else "✗")
        exact += mark == "✓"
        near += mark == "≈"
        lines.append(f"  {mark} 第{a.page}版 {a.title}" + (f"  (最接近 {best:.2f})" if mark != "✓" else ""))
    return exact, near, lines


def bench(pages: tuple[int, ...], threads: int, out: Path) -> None:
    """Render, read and score both sample issues; print the report."""
    truths = {p: parse_file(p) for p in SAMPLES}
    engine = RecordingEngine(threads)
    totals = {"exact": 0, "near": 0, "exact_fixed": 0, "near_fixed": 0, "articles": 0}
    all_pages: list[tuple[float, int, tuple[float, float, float], int]] = []
    for path in SAMPLES:
        truth = truths[path]
        other = next(t for p, t in truths.items() if p != path)
        pdf, printed = render_issue(path, out / f"{path.stem}.pdf", pages)
        log, log_fixed = OcrLog(), OcrLog()
        started = time.perf_counter()
        plain = parse_file(pdf, ocr=OcrOptions(engine=engine, log=log))
        wall = time.perf_counter() - started
        fixed = parse_file(pdf, ocr=OcrOptions(engine=engine, known=dictionary(other), log=log_fixed))
        print(f"\n{truth.label}  {pdf.name}: {len(printed)} 页，OCR 用时 {wall:.1f} s")
        print("  版  字符数   秒/页   字符/秒  置信度  准确率  全半角归一  词典校正后")
        for pp, page, page_fixed in zip(printed, log.pages, log_fixed.pages, strict=True):
            raw = accuracy(_text(page), pp.text)
            folded = accuracy(_fold(_text(page)), _fold(pp.text))
            corrected = accuracy(_fold(_text(page_fixed)), _fold(pp.text))
            all_pages.append((page.seconds, page.chars, (raw, folded, corrected), len(pp.text)))
            print(f"  {pp.number}  {len(pp.text):6d}  {page.seconds:6.1f}  {page.chars / page.seconds:7.1f}  "
                  f"{page.conf:.3f}   {raw:.3f}     {folded:.3f}       {corrected:.3f}")
        _articles(truth, plain, fixed, pages, totals)
    secs = sum(p[0] for p in all_pages)
    chars = sum(p[1] for p in all_pages)
    src = sum(p[3] for p in all_pages)
    acc = [sum(p[2][k] * p[3] for p in all_pages) / src for k in range(3)]
    print(f"\n合计 {len(all_pages)} 页：{secs / len(all_pages):.1f} s/页，{chars / secs:.1f} 字符/s；字符准确率（按字符加权）"
          f"{acc[0]:.3f}，全半角标点归一后 {acc[1]:.3f}，再经词典校正 {acc[2]:.3f}")
    print(f"文章（版面与标题均正确）：无词典 {totals['exact']}/{totals['articles']}"
          f"（另有 {totals['near']} 篇标题相似度 ≥ 0.9），"
          f"用另一期的档案词典校正后 {totals['exact_fixed']}/{totals['articles']}（另有 {totals['near_fixed']} 篇 ≥ 0.9）")


def _articles(truth: Issue, plain: Issue, fixed: Issue, pages: tuple[int, ...], totals: dict[str, int]) -> None:
    want = Issue(**{**truth.__dict__, "pages": tuple(p for p in truth.pages if p.number in pages)})
    exact, near, lines = compare(want, plain)
    exact_fixed, near_fixed, fixed_lines = compare(want, fixed)
    totals["articles"] += len(want.articles)
    totals["exact"] += exact
    totals["near"] += near
    totals["exact_fixed"] += exact_fixed
    totals["near_fixed"] += near_fixed
    print(f"  文章：{exact}/{len(want.articles)} 完全正确，{near} 篇相近；校正后 {exact_fixed}/{len(want.articles)}")
    print("\n".join(fixed_lines))
    extra = [a for a in fixed.articles if (a.page, _norm(a.title)) not in {(b.page, _norm(b.title)) for b in want.articles}]
    for a in extra:
        print(f"  + 多出：第{a.page}版 {a.title[:40]}（{a.chars} 字）")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit code."""
    ap = argparse.ArgumentParser(prog="python -m eval.ocr_bench", description="OCR 基准 / OCR benchmark")
    ap.add_argument("--pages", default="1,2,3,4", help="要渲染的版面 / printed pages to render")
    ap.add_argument("--threads", type=int, default=1, help="OCR 线程数 / ONNX threads")
    ap.add_argument("--keep", type=Path, help="把渲染的 PDF 留在此目录 / keep the rendered PDFs here")
    args = ap.parse_args(argv)
    pages = tuple(int(x) for x in args.pages.split(","))
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        bench(pages, args.threads, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="ybqa-ocr-") as tmp:
            bench(pages, args.threads, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
