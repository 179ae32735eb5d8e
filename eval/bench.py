"""Benchmarks that print numbers (never timed assertions in tests).

python -m eval.bench ingest    ingest wall time of archive/, chunks embedded per second, size on disk
python -m eval.bench latency   per-question latency of a warm process (p50/p95), cold start of the CLI
python -m eval.bench curve     the same figures and the page's at 500 / 2,000 / 5,000 articles, side by side
                               (eval/curve.py; its archives are built once under var/bench/curve-N)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest import catalog_json, ingest_paths
from rag import Archive, answer_question, load_settings

from . import curve
from .metrics import percentile
from .run import load_jsonl

ROOT = Path(__file__).resolve().parent.parent


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def bench_ingest() -> None:
    """Ingest the bundled archive into a fresh data directory, timing each stage."""
    tmp = Path(tempfile.mkdtemp(prefix="ybqa-bench-"))
    try:
        settings = load_settings(data_dir=tmp / "var")
        archive = Archive(settings.with_(embed_threads=settings.embedding.ingest_threads))
        started = time.perf_counter()
        results = ingest_paths(archive, [ROOT / "archive"])
        wall = time.perf_counter() - started
        chunks = sum(r.chunks for r in results)
        embedded = sum(r.embedded for r in results)
        # embedding alone, for the chunks-per-second figure
        texts = [r[0] for r in archive.conn.execute("SELECT embed_text FROM chunks")]
        t0 = time.perf_counter()
        archive.embeddings.embed_documents(texts)
        embed_s = time.perf_counter() - t0
        print(f"files                 {len(results)}")
        print(f"articles              {sum(r.articles for r in results)}")
        print(f"chunks                {chunks} (embedded {embedded})")
        print(f"ingest wall time      {wall:.1f} s (parse, chunk, embed, index; {settings.embedding.ingest_threads} threads)")
        print(f"embedding throughput  {len(texts) / embed_s:.1f} chunks/s ({settings.embedding.ingest_threads} threads)")
        catalog_bytes = sum(p.stat().st_size for p in settings.data_dir.glob("catalog.sqlite3*"))
        print(f"archive on disk       {_size(settings.data_dir) / 1e6:.1f} MB (catalog with its WAL "
              f"{catalog_bytes / 1e6:.1f} MB, chroma {_size(settings.chroma_dir) / 1e6:.1f} MB, "
              f"jieba cache {_size(settings.cache_dir) / 1e6:.1f} MB)")
        for issue in catalog_json(archive):
            print(f"\n{issue['date']} 第{issue['issue_no']}期（总第{issue['total_no']}期） {issue['source']}")
            for a in issue["articles"]:  # type: ignore[union-attr]
                flag = "（推断）" if a["page_inferred"] else ""
                print(f"  第{a['page']}版{flag} {a['title']} | {a['department']} {a['author']} | {a['chars']}字")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_latency(rounds: int) -> None:
    """Warm per-question latency over the evaluation questions, and the CLI's cold start."""
    settings = load_settings()
    archive = Archive(settings)
    archive.require_index()
    questions = [q["question"] for q in load_jsonl(ROOT / "eval" / "questions.jsonl")]
    answer_question(archive, questions[0])  # warm: model, dictionary, catalog
    times = []
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter()
            answer_question(archive, q)
            times.append((time.perf_counter() - t0) * 1000)
    print(f"questions             {len(questions)} x {rounds} rounds, extractive, {settings.embedding.threads} embedding thread")
    print(f"warm latency p50      {percentile(times, 50):.0f} ms")
    print(f"warm latency p95      {percentile(times, 95):.0f} ms")
    print(f"warm latency max      {max(times):.0f} ms")
    cold = []
    env = dict(os.environ)
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rag", "ask", "哪个科室首次开展Endo-PLIF？", "--json"], cwd=ROOT, env=env,
                       capture_output=True, check=True)
        cold.append(time.perf_counter() - t0)
    print(f"cold start (python -m rag ask, whole process) median {statistics.median(cold):.2f} s")


def main() -> int:
    """Run the benchmark named on the command line."""
    p = argparse.ArgumentParser(prog="python -m eval.bench")
    p.add_argument("what", choices=("ingest", "latency", "curve", "all"))
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args()
    if args.what in ("ingest", "all"):
        bench_ingest()
    if args.what in ("latency", "all"):
        print()
        bench_latency(args.rounds)
    if args.what in ("curve", "all"):
        print()
        curve.main([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
