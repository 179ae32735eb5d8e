"""The evaluation command line: prints tables, writes JSON, and regenerates eval/REPORT.md."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from rag import Archive, RagError, load_settings

from .benchmarks import run_benchmark
from .run import (
    QuestionResult,
    baseline_ranks,
    load_jsonl,
    run_claims,
    run_questions,
    summarize,
    sweep_thresholds,
    tutorial_pipeline_ranks,
    worst,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu or platform.processor()}), Python {platform.python_version()}"


def _why(r: QuestionResult, threshold: float) -> str:
    if not r.answerable:
        return f"回答了档案中没有的问题（置信度 {r.confidence:.2f} ≥ 阈值 {threshold:.2f}）"
    if r.abstained:
        return f"证据覆盖不足而弃答（置信度 {r.confidence:.2f} < 阈值 {threshold:.2f}）" + (
            "；检索前5未命中正确版面" if r.rank is None or r.rank > 5 else "；正确版面已检索到")
    if not r.correct:
        if r.rank is None or r.rank > 5:
            return "检索前5未命中正确版面，答案取自其他文章"
        if not r.cite_ok:
            return f"正确版面排第{r.rank}，但选中的证据句来自另一篇文章"
        return "引用的文章正确，但抽取的短答案不是所问的那一项（候选词选择错误）"
    return f"答案正确但首条引用 {r.first_citation} 不在正确版面中"


def render_report(ours: dict[str, Any], results: list[QuestionResult], baselines: dict[str, dict[str, float]],
                  claims: dict[str, Any], sweep: list[dict[str, float]], benches: list[dict[str, Any]],
                  threshold: float, qfile: Path) -> str:
    """eval/REPORT.md."""
    lines = [
        "# 院报问答 — evaluation report",
        "",
        f"Generated {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} by `make report` (`python -m eval --report "
        "eval/REPORT.md …`) on this machine: " + _machine() + ".",
        f"Embedding model: {load_settings().embed_model} (1 thread for questions). Answering: extractive (no LLM), "
        f"abstention threshold {threshold:.2f}.",
        "",
        f"## Our question set (`{qfile.relative_to(ROOT) if qfile.is_relative_to(ROOT) else qfile}`)",
        "",
        f"{ours['questions']} questions ({ours['answerable']} answerable, {ours['unanswerable']} that the archive "
        "cannot answer), written by reading both sample issues; every article is covered.",
        "",
        "**Read with care:** this set was written before the answerer was tuned, but the answerer's rules and the "
        "abstention threshold were then improved by reading its failures, so it is a development set and its numbers "
        "are optimistic. The held-out evidence is the external benchmarks below and the tests that ask about an issue "
        "written for the tests (`tests/fixtures/issue_220.txt`, never used while tuning).",
        "",
        "| metric | value | target |",
        "|---|---|---|",
        f"| answer accuracy (gold contained in the short answer) | {_pct(ours['answer_accuracy'])} | ≥ 85% |",
        f"| exact match | {_pct(ours['exact_match'])} | |",
        f"| character F1 | {_pct(ours['char_f1'])} | |",
        f"| first citation on a gold issue+page | {_pct(ours['citation_accuracy'])} | ≥ 90% |",
        f"| retrieval hit@1 | {_pct(ours['hit@1'])} | ahead of every baseline |",
        f"| retrieval hit@5 | {_pct(ours['hit@5'])} | ≥ 95% |",
        f"| retrieval MRR | {ours['mrr']:.3f} | |",
        f"| unanswerable questions abstained (recall) | {_pct(ours['abstain_recall'])} | ≥ 90% |",
        f"| abstention precision | {_pct(ours['abstain_precision'])} | |",
        f"| false abstentions on answerable questions | {_pct(ours['false_abstention'])} | ≤ 5% |",
        f"| claim verdict accuracy ({claims['claims']} claims) | {_pct(claims['verdict_accuracy'])} | |",
        f"| latency p50 / p95 (warm, per question) | {ours['latency_p50_ms']:.0f} ms / {ours['latency_p95_ms']:.0f} ms"
        " | ≤ 150 / 400 ms |",
        "",
        "## Retrieval: ours and the baselines, same run, same embedding model",
        "",
        "A hit is a retrieved chunk from a gold (issue, page).",
        "",
        "| system | hit@1 | hit@5 | MRR |",
        "|---|---|---|---|",
    ]
    for name, m in baselines.items():
        lines.append(f"| {name} | {_pct(m['hit@1'])} | {_pct(m['hit@5'])} | {m['mrr']:.3f} |")
    lines += ["", "The tutorial pipeline's 500-character chunks span more of a page than our 220-character chunks "
              "capped at two per article, which is why its hit@5 is higher; on hit@1, which decides the answer's "
              "first citation, ours leads.", "", "## By question type", "", "| type | n | answer accuracy | citation accuracy | abstained |",
              "|---|---|---|---|---|"]
    for t, m in ours["by_type"].items():
        lines.append(f"| {t} | {m['n']} | {_pct(m['answer_accuracy'])} | {_pct(m['citation_accuracy'])} | "
                     f"{_pct(m['abstained'])} |")
    lines += ["", "## Claims", "", "| expected verdict | accuracy |", "|---|---|"]
    for v, acc in claims["by_verdict"].items():
        lines.append(f"| {v} | {_pct(acc)} |")
    if claims["misses"]:
        lines += ["", "Missed claims:", ""]
        lines += [f"- {m['id']} 「{m['claim']}」 expected {m['expected']}, got {m['got']} ({m['explanation']})"
                  for m in claims["misses"]]
    lines += ["", "## Choosing the abstention threshold", "",
              "One run with abstention off records each answer's confidence (the idf-weighted share of the "
              "question's words found in the evidence sentence and its neighbourhood); each threshold is then "
              "applied offline. The default is the lowest threshold that abstains on ≥ 90% of the unanswerable "
              "questions, which keeps false abstentions lowest.", "",
              "| threshold | answer accuracy | unanswerables abstained | false abstentions | abstention precision |",
              "|---|---|---|---|---|"]
    for row in sweep:
        mark = " ←" if abs(row["threshold"] - threshold) < 1e-9 else ""
        lines.append(f"| {row['threshold']:.2f}{mark} | {_pct(row['answer_accuracy'])} | {_pct(row['abstain_recall'])} | "
                     f"{_pct(row['false_abstention'])} | {_pct(row['abstain_precision'])} |")
    lines += ["", "## The ten worst failures", "", "| id | question | gold | answer | why |", "|---|---|---|---|---|"]
    for r in worst(results, 10):
        gold = " / ".join(r.golds) or "（无）"
        lines.append(f"| {r.id} | {r.question} | {gold} | {r.answer[:40]} | {_why(r, threshold)} |")
    if benches:
        lines += ["", "## External benchmarks", "",
                  "Each corpus ingested as plain documents (no masthead; one document = one article, cited by its id) "
                  "and asked with the same pipeline and metrics. A hit is a retrieved chunk from a gold document.", "",
                  "| benchmark | docs | questions | hit@1 | hit@5 | MRR | answer contained | EM | char F1 | "
                  "reference bigram-BM25 hit@1 / hit@5 |", "|---|---|---|---|---|---|---|---|---|---|"]
        for b in benches:
            ref = b.get("reference_bigram_bm25", {})
            lines.append(f"| {b['name']} | {b['corpus_documents']} | {b['questions']} | {_pct(b['hit@1'])} | "
                         f"{_pct(b['hit@5'])} | {b['mrr']:.3f} | {_pct(b['answer_accuracy'])} | {_pct(b['exact_match'])} | "
                         f"{_pct(b['char_f1'])} | {_pct(ref.get('hit@1'))} / {_pct(ref.get('hit@5'))} |")
    return "\n".join(lines) + "\n"


def _print_table(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n{title}")
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"  {k.ljust(width)}  {v}")


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; returns the exit code."""
    p = argparse.ArgumentParser(prog="python -m eval", description="评测 / evaluate answers, citations, retrieval")
    p.add_argument("--questions", type=Path, default=HERE / "questions.jsonl")
    p.add_argument("--claims", type=Path, default=HERE / "claims.jsonl")
    p.add_argument("--benchmark", type=Path, action="append", default=[], help="../shared/benchmarks/NAME")
    p.add_argument("--limit", type=int, help="only the first N benchmark questions")
    p.add_argument("--keyword-only", action="append", default=[], type=Path, metavar="DIR",
                   help="a benchmark run without embeddings (dense off): for corpora too large to embed here")
    p.add_argument("--json", type=Path, default=None, help="where to write the JSON results")
    p.add_argument("--report", type=Path, help="write the Markdown report here (e.g. eval/REPORT.md)")
    p.add_argument("--no-baselines", action="store_true")
    args = p.parse_args(argv)
    settings = load_settings()
    try:
        archive = Archive(settings)
        archive.require_index()
        started = time.perf_counter()
        questions = load_jsonl(args.questions)
        results = run_questions(archive, questions)
        ours = summarize(results)
        claims = run_claims(archive, load_jsonl(args.claims)) if args.claims.exists() else {
            "claims": 0, "verdict_accuracy": 0.0, "by_verdict": {}, "misses": []}
        baselines: dict[str, dict[str, float]] = {}
        if not args.no_baselines:
            baselines = baseline_ranks(archive, questions)
            raw = sorted((ROOT / "archive").glob("*.txt"))
            baselines["LangChain tutorial (RecursiveCharacterTextSplitter 500/50 + Chroma top-k)"] = \
                tutorial_pipeline_ranks(archive, raw, questions)
        sweep = sweep_thresholds(archive, questions) if args.report else []
        benches = []
        for bdir in args.benchmark:
            benches.append(run_benchmark(settings, bdir, args.limit))
        for bdir in args.keyword_only:
            benches.append(run_benchmark(settings, bdir, args.limit, keyword_only=True))
    except (RagError, ValueError, OSError) as exc:
        msg = exc.user_message() if isinstance(exc, RagError) else f"评测失败 / evaluation failed: {exc}"
        print(msg, file=sys.stderr)
        return 1

    _print_table("our question set", [
        ("questions", str(ours["questions"])), ("answer accuracy", _pct(ours["answer_accuracy"])),
        ("exact match", _pct(ours["exact_match"])), ("char F1", _pct(ours["char_f1"])),
        ("citation accuracy", _pct(ours["citation_accuracy"])), ("hit@1", _pct(ours["hit@1"])),
        ("hit@5", _pct(ours["hit@5"])), ("MRR", f"{ours['mrr']:.3f}"),
        ("abstain recall", _pct(ours["abstain_recall"])), ("abstain precision", _pct(ours["abstain_precision"])),
        ("false abstentions", _pct(ours["false_abstention"])), ("claim accuracy", _pct(claims["verdict_accuracy"])),
        ("latency p50/p95", f"{ours['latency_p50_ms']:.0f} / {ours['latency_p95_ms']:.0f} ms"),
    ])
    if baselines:
        _print_table("retrieval (hit@1 / hit@5 / MRR)", [
            (k, f"{_pct(v['hit@1'])} / {_pct(v['hit@5'])} / {v['mrr']:.3f}") for k, v in baselines.items()])
    _print_table("by type (answer / citation / abstained)", [
        (t, f"{_pct(m['answer_accuracy'])} / {_pct(m['citation_accuracy'])} / {_pct(m['abstained'])}  (n={m['n']})")
        for t, m in ours["by_type"].items()])
    print("\nworst failures")
    for r in worst(results, 10):
        print(f"  {r.id} {r.question} | gold {r.golds[:2]} | got {r.answer[:40]} | {_why(r, settings.answer.abstain_threshold)}")
    for b in benches:
        _print_table(f"benchmark {b['name']}", [
            (k, _pct(b[k]) if k != "mrr" else f"{b[k]:.3f}")
            for k in ("hit@1", "hit@5", "mrr", "answer_accuracy", "exact_match", "char_f1")])
    payload = {"generated": dt.datetime.now().isoformat(timespec="seconds"), "machine": _machine(),
               "seconds": round(time.perf_counter() - started, 1), "ours": ours, "claims": claims,
               "baselines": baselines, "sweep": sweep, "benchmarks": benches,
               "results": [r.__dict__ for r in results]}
    json_path = args.json or settings.data_dir / "eval" / "results.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(f"\nJSON: {json_path}")
    if args.report:
        args.report.write_text(render_report(ours, results, baselines, claims, sweep, benches,
                                             settings.answer.abstain_threshold, args.questions), encoding="utf-8")
        print(f"report: {args.report}")
    return 0
