"""The archive read from scans: both sample issues rendered as image-only, two-column PDFs (one PDF page per
printed page), ingested through the ordinary pipeline (OCR, correction by the archive's own dictionary), then
asked the original dev questions about those two issues. The report puts it beside the text archive."""

from __future__ import annotations

import shutil
import time
import unicodedata
from pathlib import Path
from typing import Any

from ingest import IngestResult, ingest_paths, parse_file
from rag import Archive, Settings

from .ocr_bench import accuracy, compare
from .run import load_jsonl, run_questions, summarize
from .scanpages import render_issue

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "archive").glob("*.txt"))


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def ocr_archive(settings: Settings) -> tuple[Archive, list[IngestResult], float]:
    """The rendered scans (made once under var/eval/ocr-scans) ingested into var/eval/ocr-archive."""
    scans = settings.data_dir / "eval" / "ocr-scans"
    scans.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for sample in SAMPLES:
        pdf = scans / f"{sample.stem}.pdf"
        if not pdf.exists():
            render_issue(sample, pdf)
        pdfs.append(pdf)
    data = settings.data_dir / "eval" / "ocr-archive"
    shutil.rmtree(data, ignore_errors=True)  # measured as it happens: scans into an empty archive
    archive = Archive(settings.with_(data_dir=data, embed_threads=settings.embedding.ingest_threads))
    started = time.perf_counter()
    results = ingest_paths(archive, pdfs)
    return Archive(settings.with_(data_dir=archive.settings.data_dir)), results, time.perf_counter() - started


def run_ocr(settings: Settings, questions_file: Path) -> dict[str, Any]:
    """Articles found, character accuracy, OCR speed and answer accuracy on the archive read from scans."""
    archive, results, seconds = ocr_archive(settings)
    bad = [r for r in results if r.status == "error"]
    if bad:
        raise ValueError(f"OCR ingest failed: {bad[0].error}")
    exact = total = 0
    ocr_text, source_text = [], []
    for sample in SAMPLES:
        truth = parse_file(sample)
        got = next(i for i in archive.issues() if i.total_no == truth.total_no)
        arts = archive.articles(got.total_no)
        found, _, _ = compare(truth, _as_issue(truth, arts))
        exact, total = exact + found, total + len(truth.articles)
        ocr_text.append("".join(a.body for a in arts))
        source_text.append("".join(a.body for a in truth.articles))
    pages = sum(r.ocr_pages for r in results)
    questions = [q for q in load_jsonl(questions_file) if q.get("group", "original") == "original"]
    summary = summarize(run_questions(archive, questions))
    return {
        "articles_found": exact, "articles": total, "pages": pages,
        "seconds_per_page": sum(r.ocr_seconds for r in results) / pages if pages else 0.0,
        "chars_per_second": sum(len(t) for t in ocr_text) / max(1e-9, sum(r.ocr_seconds for r in results)),
        "char_accuracy": accuracy(_fold("".join(ocr_text)), _fold("".join(source_text))),
        "ingest_seconds": seconds, "questions": summary["questions"], "answer_accuracy": summary["answer_accuracy"],
        "citation_accuracy": summary["citation_accuracy"], "abstain_recall": summary["abstain_recall"],
    }


def _as_issue(truth: Any, arts: list[Any]) -> Any:
    """The OCR'd articles shaped like an Issue for compare() (it reads .articles' page and title)."""
    return type("OcrIssue", (), {"articles": arts})()
