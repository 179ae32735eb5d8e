"""The rag command line: the only place in rag/ that words errors for people.

Exit status: 0 answered; 1 the archive or a service failed (no index, LLM down, a bad line in a batch);
2 an invalid argument, filter or setting, named in one line (Chinese, then English)."""

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
    ConfigError,
    Filters,
    QuestionError,
    RagError,
    UsageError,
    answer_question,
    check,
    check_filters,
    load_settings,
    make_filters,
    open_archive,
)
from .errors import ArgumentParser, silence_stdout

USAGE_ERRORS = (UsageError, QuestionError, ConfigError)  # the person can fix these by changing what they typed


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--issue", type=int, action="append", metavar="TOTAL_NO", help="只在某期中查找（总期号）")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="起始日期")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="截止日期")
    p.add_argument("--page", type=int, action="append", help="版面")
    p.add_argument("--department", action="append", help="署名科室")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")


def _parser() -> argparse.ArgumentParser:
    p = ArgumentParser(prog="python -m rag", description="问院报档案 / ask the newspaper archive")
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


def _filters(args: argparse.Namespace) -> Filters:
    return make_filters(args.issue or (), args.date_from, args.date_to, args.page or (), args.department or ())


def _print_answer(ans: Answer) -> None:
    print(ans.answer)
    for quote in ans.evidence[:2]:
        print(f"  「{quote}」")
    for c in ans.citations:
        print(f"  —— {c.line()}")
    if ans.note:
        print(f"  （{ans.note}）")


def _batch_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, line) of a JSON Lines file, refusing what is not one."""
    if not path.exists():
        raise UsageError(f"--batch {path}: no such file", f"问题文件不存在：{path}")
    if not path.is_file():
        raise UsageError(f"--batch {path}: not a file", f"问题文件不是普通文件：{path}")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = "\x00"
    if "\x00" in text:
        raise UsageError(f"--batch {path}: not UTF-8 text; give a JSON Lines file",
                         f"问题文件不是 UTF-8 文本：{path}，应为每行一个 JSON 的 .jsonl 文件")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise UsageError(f"--batch {path}: the file holds no questions", f"问题文件中没有问题：{path}")
    return lines


def _batch(archive: Archive, path: Path, filters: Filters, mode: str | None) -> int:
    status = 0
    for n, line in _batch_lines(path):
        try:
            item = json.loads(line)
            qid, question = item["id"], item["question"]
        except (json.JSONDecodeError, KeyError, TypeError):
            print(f"第{n}行不是含 id 和 question 的 JSON / line {n} is not JSON with id and question", file=sys.stderr)
            status = 1
            continue
        try:
            out = {"id": qid, **answer_question(archive, question, filters, mode).to_json()}
        except QuestionError as exc:
            out = {"id": qid, "question": question, "error": exc.user_message()}
            status = 1
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return status


def _ask(archive: Archive, args: argparse.Namespace, filters: Filters) -> int:
    if args.batch and args.question is not None:
        raise UsageError("give a question or --batch FILE, not both", "请给出一个问题或用 --batch 指定问题文件，二者只选其一")
    if args.batch:
        return _batch(archive, args.batch, filters, args.mode)
    if args.question is None:
        raise QuestionError("give a question or --batch FILE", "请给出问题，或用 --batch 指定问题文件")
    started = time.perf_counter()
    ans = answer_question(archive, args.question, filters, args.mode)
    if args.json:
        out = ans.to_json()
        out["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        print(json.dumps(out, ensure_ascii=False))
    else:
        _print_answer(ans)
    return 0


def _check(archive: Archive, args: argparse.Namespace, filters: Filters) -> int:
    verdict = check(archive, args.claim, filters)
    if args.json:
        print(json.dumps(verdict.to_json(), ensure_ascii=False))
    else:
        print(f"{VERDICT_ZH[verdict.verdict]}（{verdict.verdict}）：{verdict.explanation}")
        for c in verdict.citations:
            print(f"  「{c.quote}」\n  —— {c.line()}")
    return 0


def _run(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    filters = _filters(args)
    settings = load_settings()
    settings.ensure_data_dir()
    archive = open_archive(settings)
    check_filters(archive, filters)
    status = _ask(archive, args, filters) if args.command == "ask" else _check(archive, args, filters)
    sys.stdout.flush()  # a closed pipe shows here, inside main, not at interpreter exit
    return status


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    try:
        return _run(argv)
    except USAGE_ERRORS as exc:
        print(exc.user_message(), file=sys.stderr)
        return 2
    except RagError as exc:
        print(exc.user_message(), file=sys.stderr)
        return 1
    except BrokenPipeError:  # `… | head -1` closed the pipe: what was wanted has been read
        silence_stdout()
        return 0
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130

