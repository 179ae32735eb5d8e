"""External benchmarks (real data no one here wrote): each corpus is ingested as plain documents (one
document = one article, cited by its id) into its own data directory, then asked with the same metrics."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ingest import document_issue, ingest_documents, refresh_rules
from rag import Archive, Settings

from .run import baseline_ranks, load_jsonl, run_questions, summarize

REFERENCE = {  # character-bigram BM25, as measured by the benchmarks' authors
    "crud_rag_qa": {"hit@1": 0.785, "hit@5": 0.920},
    "cmrc2018_dev_sample": {"hit@1": 0.950},
}


def _progress(label: str, total: int):  # type: ignore[no-untyped-def]
    bar = tqdm(total=total, desc=label, file=sys.stderr, mininterval=1.0)

    def tick(step: int, done: int) -> None:
        bar.update(step)
        if done >= total:
            bar.close()

    return tick


def benchmark_archive(settings: Settings, bench_dir: Path, keyword_only: bool = False) -> Archive:
    """The benchmark's corpus, ingested once into var/bench/NAME (re-used on later runs); keyword_only
    skips the embeddings and turns dense retrieval off (var/bench/NAME-keyword)."""
    name = bench_dir.name + ("-keyword" if keyword_only else "")
    data = settings.data_dir / "bench" / name
    archive = Archive(settings.with_(data_dir=data, embed_threads=settings.embedding.ingest_threads,
                                     dense_k=0 if keyword_only else settings.retrieval.dense_k))
    corpus = load_jsonl(bench_dir / "corpus.jsonl")
    refresh_rules(archive)  # a kept archive built with older dictionary rules is re-indexed (not re-embedded)
    if archive.counts()["issues"] < len(corpus):
        issues = [document_issue(n, d["id"], d.get("title", ""), d["text"]) for n, d in enumerate(corpus, start=1)]
        ingest_documents(archive, issues, _progress, embed=not keyword_only)
    return archive


def run_benchmark(settings: Settings, bench_dir: Path, limit: int | None = None,
                  keyword_only: bool = False) -> dict[str, Any]:
    """Ingest (once) and ask; returns the summary with the reference figures beside it."""
    archive = benchmark_archive(settings, bench_dir, keyword_only)
    questions = load_jsonl(bench_dir / "questions.jsonl")[:limit]
    results = run_questions(archive, questions)
    summary = summarize(results)
    summary.pop("by_type", None)
    summary["reference_bigram_bm25"] = REFERENCE.get(bench_dir.name, {})
    summary["name"] = bench_dir.name + (" (keyword only: BM25 over jieba, no embeddings)" if keyword_only else "")
    summary["corpus_documents"] = archive.counts()["issues"]
    if not keyword_only:  # each retriever alone on the same archive, beside the fused one
        summary["retrievers"] = baseline_ranks(archive, questions)
    summary["examples"] = [
        {"id": r.id, "question": r.question, "gold": r.golds[:1], "answer": r.answer, "correct": r.correct}
        for r in results[:5]
    ]
    return json.loads(json.dumps(summary))
