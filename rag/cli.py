"""The rag command line: the only place in rag/ that words errors for people."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import (
    VERDICT_ZH,
    Answer,
    Archive,
    Filters,
    QuestionError,
    RagError,
    answer_question,
    check,
    load_settings,
    open_archive,
)


def _filters(args: argparse.Namespace) -> Filters:
    return Filters(
        total_nos=tuple(args.issue or ()), date_from=args.date_from or "", date_to=args.date_to or "",
        pages=tuple(args.page or ()), departments=tuple(args.department or ()),
    )


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--issue", type=int, action="append", metavar="TOTAL_NO", help="只在某期中查找（总期号）")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="起始日期")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="截止日期")
    p.add_argument("--page", type=int, action="append", help="版面")
    p.add_argument("--department", action="append", help="署名科室")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m rag", description="问院报档案 / ask the newspaper archive")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("ask", help="提问 / ask a question")
    a.add_argument("question", nargs="?", help="问题")
    a.add_argument("--batch", type=Path, metavar="FILE.jsonl", help="每行一个 {id, question} 的 JSON")
    a.add_argument("--mode", choices=("extractive", "llm"), help="回答方式（默认 extractive）")
    _add_filters(a)
    c = sub.add_parser("check", help="核查一个说法 / check a claim")
    c.add_argument("claim", help="要核查的说法")
    _add_filters(c)
    return p


def _print_answer(ans: Answer) -> None:
    print(ans.answer)
    for quote in ans.evidence[:2]:
        print(f"  「{quote}」")
    for c in ans.citations:
        print(f"  —— {c.line()}")
    if ans.note:
        print(f"  （{ans.note}）")


def _batch(archive: Archive, path: Path, args: argparse.Namespace) -> int:
    if not path.exists():
        raise QuestionError(f"{path}: no such file", f"文件不存在：{path}")
    status = 0
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            qid, question = item["id"], item["question"]
        except (json.JSONDecodeError, KeyError, TypeError):
            print(f"第{n}行不是含 id 和 question 的 JSON / line {n} is not JSON with id and question", file=sys.stderr)
            status = 1
            continue
        try:
            ans = answer_question(archive, question, _filters(args), args.mode)
            out = {"id": qid, **ans.to_json()}
        except QuestionError as exc:
            out = {"id": qid, "question": question, "error": exc.user_message()}
            status = 1
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return status


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        archive = open_archive(load_settings())
        if args.command == "ask":
            if args.batch:
                return _batch(archive, args.batch, args)
            if args.question is None:
                raise QuestionError("give a question or --batch FILE", "请给出问题，或用 --batch 指定问题文件")
            started = time.perf_counter()
            ans = answer_question(archive, args.question, _filters(args), args.mode)
            if args.json:
                out = ans.to_json()
                out["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
                print(json.dumps(out, ensure_ascii=False))
            else:
                _print_answer(ans)
            return 0
        verdict = check(archive, args.claim, _filters(args))
        if args.json:
            print(json.dumps(verdict.to_json(), ensure_ascii=False))
        else:
            print(f"{VERDICT_ZH[verdict.verdict]}（{verdict.verdict}）：{verdict.explanation}")
            for c in verdict.citations:
                print(f"  「{c.quote}」\n  —— {c.line()}")
        return 0
    except RagError as exc:
        print(exc.user_message(), file=sys.stderr)
        return 1
