"""The ingest command line: the only place in ingest/ that words errors for people."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from rag.errors import ArgumentParser, ConfigError, RagError, UsageError, check_date, check_positive, silence_stdout
from rag.settings import load_settings
from rag.store import Archive

from . import (
    IngestResult,
    IssueMeta,
    Progress,
    catalog_json,
    ingest_paths,
    rebuild_vectors,
    remove_issue,
    remove_orphans,
)
from .pipeline import collect_files


def _parser() -> argparse.ArgumentParser:
    p = ArgumentParser(prog="python -m ingest", description="把院报（txt 或 pdf）导入档案 / ingest newspaper issues")
    p.add_argument("paths", nargs="*", type=Path, help="文件或文件夹 / files or folders (.txt, .pdf)")
    p.add_argument("--replace", action="store_true", help="整期替换已有的同一期 / replace an issue that changed")
    p.add_argument("--list", action="store_true", help="列出档案 / list the catalog")
    p.add_argument("--json", action="store_true", help="以 JSON 输出 / JSON output")
    p.add_argument("--remove", type=int, metavar="TOTAL_NO", help="删除一期（总期号）/ remove an issue by 总第M期")
    p.add_argument("--rebuild", action="store_true", help="用当前嵌入模型重建向量索引 / re-embed with the configured model")
    p.add_argument("--issue-no", type=int, help="无报头时指定期号 / 第N期 for a file without masthead")
    p.add_argument("--total-no", type=int, help="无报头时指定总期号 / 总第M期")
    p.add_argument("--date", help="无报头时指定日期 YYYY-MM-DD / issue date")
    p.add_argument("--if-empty", action="store_true", help="档案已有内容时跳过 / only ingest into an empty archive")
    p.add_argument("--quiet", action="store_true", help="不显示进度条 / no progress bar")
    return p


def _tqdm_progress(quiet: bool) -> Callable[[str, int], Progress] | None:
    if quiet:
        return None

    def start(label: str, total: int) -> Progress:
        bar = tqdm(total=total, desc=label, unit="块", file=sys.stderr, dynamic_ncols=True, mininterval=0.2)

        def tick(step: int, done: int) -> None:
            bar.update(step)
            if done >= total:
                bar.close()

        return tick

    return start


def _summary(results: list[IngestResult], seconds: float) -> str:
    status_zh = {"added": "新增", "replaced": "替换", "unchanged": "未变", "error": "失败"}
    rows = [("文件 file", "期 issue", "状态 status", "文章", "分块", "新嵌入", "秒", "OCR 页/秒每页")]
    for r in results:
        ocr = f"{r.ocr_pages}/{r.ocr_seconds / r.ocr_pages:.1f}" if r.ocr_pages else "-"
        rows.append((Path(r.path).name, r.label or "-", f"{status_zh[r.status]} {r.status}", str(r.articles),
                     str(r.chunks), str(r.embedded), f"{r.seconds:.1f}", ocr))
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"共 {len(results)} 个文件，用时 {seconds:.1f} 秒 / {len(results)} files in {seconds:.1f} s")
    return "\n".join(lines)


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _check_args(args: argparse.Namespace) -> None:
    """Refuse what cannot be meant before touching the archive: one line naming the bad value."""
    for value, option, label in ((args.issue_no, "--issue-no", "期号 --issue-no"),
                                 (args.total_no, "--total-no", "总期号 --total-no"),
                                 (args.remove, "--remove", "总期号 --remove")):
        check_positive(value, option, label)
    check_date(args.date, "--date", "出版日期 --date")
    actions = [name for name, given in (("--list", args.list), ("--remove", args.remove is not None),
                                        ("--rebuild", args.rebuild), ("PATH", bool(args.paths))) if given]
    if len(actions) > 1:
        raise UsageError(f"{' and '.join(actions)} are separate actions: give one at a time",
                         f"一次只能做一个操作：{'、'.join(actions)}")
    if not actions:
        raise UsageError("give files or folders to ingest (see --help)", "请给出要导入的文件或文件夹")
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}", f"文件或文件夹不存在：{'、'.join(missing)}")
    if args.paths and not collect_files(args.paths):
        names = ", ".join(map(str, args.paths))
        raise UsageError(f"no .txt or .pdf file in {names}", f"没有找到 .txt 或 .pdf 文件：{names}")


def _list(archive: Archive, as_json: bool) -> int:
    listing = catalog_json(archive)
    if as_json:
        print(json.dumps(listing, ensure_ascii=False, indent=2))
        return 0
    for iss in listing:
        print(f"{iss['date']}  第{iss['issue_no']}期（总第{iss['total_no']}期）  {iss['source']}")
        for a in iss["articles"]:  # type: ignore[attr-defined]
            flag = "（推断）" if a["page_inferred"] else ""
            print(f"    第{a['page']}版{flag}  {a['title']}  （{a['department']} {a['author']}）")
    return 0


def _ingest(archive: Archive, args: argparse.Namespace) -> int:
    if args.if_empty and archive.counts()["issues"] > 0:
        print("档案已有内容，跳过导入 / the archive is not empty: nothing to do")
        return 0
    remove_orphans(archive)
    meta = IssueMeta(issue_no=args.issue_no, total_no=args.total_no, date=args.date)
    started = time.perf_counter()
    results = ingest_paths(archive, args.paths, meta, args.replace, _tqdm_progress(args.quiet))
    print(_summary(results, time.perf_counter() - started))
    for r in results:
        if r.status == "error":
            print(r.error, file=sys.stderr)
    return 1 if any(r.status == "error" for r in results) else 0


def _run(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    _check_args(args)
    settings = load_settings()
    settings.ensure_data_dir()
    # Ingest is a batch job: it may use every core, unlike a question, which keeps to one thread.
    archive = Archive(settings.with_(embed_threads=settings.embedding.ingest_threads))
    if args.list:
        status = _list(archive, args.json)
    elif args.remove is not None:
        if not remove_issue(archive, args.remove):
            raise UsageError(f"issue {args.remove} is not in the archive", f"档案中没有总第{args.remove}期")
        print(f"已删除总第{args.remove}期 / removed issue {args.remove}")
        status = 0
    elif args.rebuild:
        n = rebuild_vectors(archive, _tqdm_progress(args.quiet))
        print(f"已用 {archive.settings.embedding.model} 重建 {n} 个分块的向量 / re-embedded {n} chunks")
        status = 0
    else:
        status = _ingest(archive, args)
    sys.stdout.flush()  # a closed pipe shows here, inside main, not at interpreter exit
    return status


def main(argv: list[str] | None = None) -> int:
    """Run the ingest CLI; returns the exit code: 0 done, 1 a file could not be ingested, 2 an invalid
    argument or setting (one line, Chinese then English)."""
    try:
        return _run(argv)
    except (UsageError, ConfigError) as exc:
        print(exc.user_message(), file=sys.stderr)
        return 2
    except RagError as exc:
        print(exc.user_message(), file=sys.stderr)
        return 1
    except BrokenPipeError:  # `… | head` closed the pipe: what was wanted has been read
        silence_stdout()
        return 0
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
