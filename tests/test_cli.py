"""Bad input, as a user or an attacker types it, into both CLIs (`python -m rag …`, `python -m ingest …`) and the
page's API (through gradio_client): each is refused with one line, Chinese then English, naming what is wrong; the
CLIs exit with 2 for an invalid argument or setting (1 for a file that cannot be read); the catalog is unchanged.

The CLI rows call the same `main(argv)` that `python -m rag|ingest` runs, in this process (a subprocess each would
take a minute of start-ups); the subprocess tests at the end run the cases of the issue as a shell would: a
traceback, a closed pipe, a data directory that cannot be created."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ARCHIVE, FIXTURES, ROOT, SAMPLE_215, FakeEmbeddings, fake_archive, subprocess_env

import app
import ingest.cli
import rag.cli
import rag.store.archive
from ingest import ingest_paths
from rag import Archive, load_settings

Q = "医务部主任是谁？"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Bad files of every kind, by name."""
    d = tmp_path_factory.mktemp("bad")
    (d / "empty-dir").mkdir()
    (d / "a-dir.jsonl").mkdir()
    out = {"dir": d / "empty-dir", "jsonl-dir": d / "a-dir.jsonl", "blocker": d / "a-file"}
    out["blocker"].write_text("not a folder")
    for name, content in {
        "binary.txt": b"\x00\x01\x02\x03" * 200, "empty.txt": b"", "blank.txt": b"\n  \n\t\n",
        "nomasthead.txt": "医院召开会议\n\n会议强调要提高医疗质量。\n\n(医务部 张明)\n".encode(),
        "fake.pdf": "这不是PDF".encode(), "nobom16.txt": SAMPLE_215.read_text(encoding="utf-8").encode("utf-16-le"),
        "changed215.txt": SAMPLE_215.read_text(encoding="utf-8").replace("成功完成首例", "成功完成第二例").encode(),
        "binary.jsonl": b"\x00\xff\xfe\x00" * 100, "latin1.jsonl": '{"id": 1, "question": "caf\xe9"}'.encode("latin-1"),
        "empty.jsonl": b"\n\n",
    }.items():
        (d / name).write_bytes(content)
        out[name] = d / name
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("cli") / "var"
    ingest_paths(fake_archive(dst), [ARCHIVE, FIXTURES / "issue_220.txt"])
    return dst


@pytest.fixture(scope="module")
def page_client(data: Path) -> Any:
    """The page's API, with an admin password and a back-off that this table's wrong passwords do not reach."""
    from gradio_client import Client

    with socket_port() as port:
        settings = load_settings(env={}, data_dir=data, port=port, admin_password="s3cret", lockout_failures=10_000)
    app.launch(settings, Archive(settings, embeddings=FakeEmbeddings()), prevent_thread_lock=True)
    return Client(f"http://127.0.0.1:{port}/", verbose=False)


class socket_port:
    """A free port on 127.0.0.1 (with-statement, so the probing socket is closed before the page binds it)."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return int(self.sock.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def catalog_state(data: Path) -> tuple[object, ...]:
    """Everything a refused input must leave as it was: issues (with their content), counts, lexicon, feedback."""
    archive = Archive(load_settings(env={}, data_dir=data))
    try:
        issues = [(i.total_no, i.content_key, i.source) for i in archive.issues()]
        feedback = archive.conn.execute("SELECT count(*) FROM feedback").fetchone()[0]
        lexicon = archive.conn.execute("SELECT count(*), group_concat(word) FROM lexicon").fetchone()
        return issues, archive.counts(), feedback, lexicon
    finally:
        archive.close()


def one_line_zh_en(message: str) -> bool:
    """One line, Chinese first, then ' / ' and the English."""
    zh, sep, en = message.partition(" / ")
    return ("\n" not in message.strip() and bool(sep) and bool(re.match(r"[\u4e00-\u9fff]", zh))
            and bool(re.match(r"[A-Za-z/-]", en)))


LONG = "问" * 600
RAG = [
    # (argv, extra environment, exit status, the message starts with)
    (["ask"], {}, 2, "请给出问题，或用 --batch 指定问题文件"),
    (["ask", ""], {}, 2, "问题为空"),
    (["ask", "   "], {}, 2, "问题为空"),
    (["ask", LONG], {}, 2, "问题过长（600 字）"),
    (["ask", Q, "--from", "yesterday"], {}, 2, "起始日期 --from “yesterday” 不是有效日期"),
    (["ask", Q, "--from", "2026-13-01"], {}, 2, "起始日期 --from “2026-13-01” 不是有效日期"),
    (["ask", Q, "--to", "2026-02-30"], {}, 2, "截止日期 --to “2026-02-30” 不是有效日期"),
    (["ask", Q, "--from", "2026/04/01"], {}, 2, "起始日期 --from “2026/04/01” 不是有效日期"),
    (["ask", Q, "--from", "20260401"], {}, 2, "起始日期 --from “20260401” 不是有效日期"),
    (["ask", Q, "--from", "2026-12-31", "--to", "2026-01-01"], {}, 2, "起始日期 --from 2026-12-31 晚于 截止日期 --to 2026-01-01"),
    (["ask", Q, "--issue", "99999"], {}, 2, "档案中没有总第99999期"),
    (["ask", Q, "--issue", "215", "--issue", "99999"], {}, 2, "档案中没有总第99999期"),
    (["ask", Q, "--issue", "0"], {}, 2, "期次 --issue 必须是正整数，而不是 0"),
    (["ask", Q, "--issue", "-5"], {}, 2, "期次 --issue 必须是正整数，而不是 -5"),
    (["ask", Q, "--issue", "abc"], {}, 2, "参数有误：--issue 应为整数，而不是 'abc'"),
    (["ask", Q, "--page", "-1"], {}, 2, "版面 --page 必须是正整数，而不是 -1"),
    (["ask", Q, "--page", "0"], {}, 2, "版面 --page 必须是正整数，而不是 0"),
    (["ask", Q, "--page", "9"], {}, 2, "档案中没有第9版"),
    (["ask", Q, "--page", "一"], {}, 2, "参数有误：--page 应为整数"),
    (["ask", Q, "--department", "不存在的科室"], {}, 2, "档案中没有署名科室“不存在的科室”"),
    (["ask", Q, "--from", "1990-01-01", "--to", "1990-12-31"], {}, 2, "档案中没有在 1990-01-01 – 1990-12-31 出版的期次"),
    (["ask", Q, "--issue", "215", "--from", "2026-05-01"], {}, 2, "这些筛选条件合在一起没有匹配的文章"),
    (["ask", Q, "--issue", "220", "--page", "1", "--department", "工会"], {}, 2, "这些筛选条件合在一起没有匹配的文章"),
    (["ask", Q, "--mode", "gpt"], {}, 2, "参数有误：--mode 只能是 'extractive', 'llm' 之一"),
    (["ask", "--batch", "{missing}"], {}, 2, "问题文件不存在"),
    (["ask", "--batch", "{binary.jsonl}"], {}, 2, "问题文件不是 UTF-8 文本"),
    (["ask", "--batch", "{latin1.jsonl}"], {}, 2, "问题文件不是 UTF-8 文本"),
    (["ask", "--batch", "{jsonl-dir}"], {}, 2, "问题文件不是普通文件"),
    (["ask", "--batch", "{empty.jsonl}"], {}, 2, "问题文件中没有问题"),
    (["ask", Q, "--batch", "{empty.jsonl}"], {}, 2, "请给出一个问题或用 --batch 指定问题文件，二者只选其一"),
    (["ask", Q, "--bogus"], {}, 2, "参数有误：无法识别的参数 --bogus"),
    (["ask", Q, "--issue"], {}, 2, "参数有误：--issue 后面缺少取值"),
    (["tell", Q], {}, 2, "参数有误：command 只能是 'ask', 'check' 之一"),
    ([], {}, 2, "参数有误：缺少参数 command"),
    (["check"], {}, 2, "参数有误：缺少参数 claim"),
    (["check", ""], {}, 2, "问题为空"),
    (["check", Q, "--issue", "99999"], {}, 2, "档案中没有总第99999期"),
    (["check", Q, "--to", "next week"], {}, 2, "截止日期 --to “next week” 不是有效日期"),
    (["ask", Q], {"YBQA_TOP_K": "0"}, 2, "检索参数 top_k 必须至少为 1"),
    (["ask", Q], {"YBQA_CHUNK_SIZE": "big"}, 2, "环境变量 YBQA_CHUNK_SIZE 必须是数字"),
    (["ask", Q], {"YBQA_ANSWER_MODE": "magic"}, 2, "回答模式只能是 extractive 或 llm"),
    (["ask", Q], {"YBQA_ABSTAIN_THRESHOLD": "2"}, 2, "拒答阈值应在 0 到 1 之间"),
    (["ask", Q], {"YBQA_DATA_DIR": "{blocker}/var"}, 2, "无法创建或写入数据目录"),
]
INGEST = [
    (["--total-no", "-5", "{nomasthead.txt}"], {}, 2, "总期号 --total-no 必须是正整数，而不是 -5"),
    (["--total-no", "0", "{nomasthead.txt}"], {}, 2, "总期号 --total-no 必须是正整数，而不是 0"),
    (["--issue-no", "0", "{nomasthead.txt}"], {}, 2, "期号 --issue-no 必须是正整数，而不是 0"),
    (["--issue-no", "-1", "{nomasthead.txt}"], {}, 2, "期号 --issue-no 必须是正整数，而不是 -1"),
    (["--issue-no", "九", "{nomasthead.txt}"], {}, 2, "参数有误：--issue-no 应为整数"),
    (["--date", "2026-13-01", "{nomasthead.txt}"], {}, 2, "出版日期 --date “2026-13-01” 不是有效日期"),
    (["--date", "yesterday", "{nomasthead.txt}"], {}, 2, "出版日期 --date “yesterday” 不是有效日期"),
    (["--date", "2026-02-30", "{nomasthead.txt}"], {}, 2, "出版日期 --date “2026-02-30” 不是有效日期"),
    (["--remove", "-1"], {}, 2, "总期号 --remove 必须是正整数，而不是 -1"),
    (["--remove", "0"], {}, 2, "总期号 --remove 必须是正整数，而不是 0"),
    (["--remove", "abc"], {}, 2, "参数有误：--remove 应为整数，而不是 'abc'"),
    (["--remove", "99999"], {}, 2, "档案中没有总第99999期"),
    (["{missing}"], {}, 2, "文件或文件夹不存在"),
    (["{dir}"], {}, 2, "没有找到 .txt 或 .pdf 文件"),
    ([], {}, 2, "请给出要导入的文件或文件夹"),
    (["--replace"], {}, 2, "请给出要导入的文件或文件夹"),
    (["--list", "--remove", "215"], {}, 2, "一次只能做一个操作：--list、--remove"),
    (["--rebuild", "{empty.txt}"], {}, 2, "一次只能做一个操作：--rebuild、PATH"),
    (["--bogus"], {}, 2, "参数有误：无法识别的参数 --bogus"),
    (["--list"], {"YBQA_CHUNK_OVERLAP": "500"}, 2, "分块重叠长度必须小于分块长度"),
    (["--list"], {"YBQA_DATA_DIR": "{blocker}/var"}, 2, "无法创建或写入数据目录"),
    # the arguments are fine, the file is not: 1, and still one line naming the file
    (["--quiet", "{binary.txt}"], {}, 1, "不是文本文件：{binary.txt}"),
    (["--quiet", "{empty.txt}"], {}, 1, "文件为空：{empty.txt}"),
    (["--quiet", "{blank.txt}"], {}, 1, "文件为空：{blank.txt}"),
    (["--quiet", "{nomasthead.txt}"], {}, 1, "未找到报头（第N期总第M期及日期），请用 --issue-no --total-no --date 指定：{nomasthead.txt} / "),
    (["--quiet", "{fake.pdf}"], {}, 1, "不是有效的 PDF 文件：{fake.pdf}"),
    (["--quiet", "{nobom16.txt}"], {}, 1, "不是文本文件：{nobom16.txt}"),
    (["--quiet", "{changed215.txt}"], {}, 1, "总第215期已在档案中"),
]
PAGE = [
    # (endpoint, arguments, the message starts with)
    ("/answer", ("",), "问题为空"),
    ("/answer", ("  ",), "问题为空"),
    ("/answer", (LONG,), "问题过长（600 字）"),
    ("/answer", (Q, "abc"), "期次“abc”不是数字"),
    ("/answer", (Q, "99999"), "档案中没有总第99999期"),
    ("/answer", (Q, "215, 99999"), "档案中没有总第99999期"),
    ("/answer", (Q, "0"), "期次 必须是正整数，而不是 0"),
    ("/answer", (Q, "", "yesterday"), "起始日期 “yesterday” 不是有效日期"),
    ("/answer", (Q, "", "2026-13-01"), "起始日期 “2026-13-01” 不是有效日期"),
    ("/answer", (Q, "", "", "2026-02-30"), "截止日期 “2026-02-30” 不是有效日期"),
    ("/answer", (Q, "", "2026-12-31", "2026-01-01"), "起始日期 2026-12-31 晚于 截止日期 2026-01-01"),
    ("/answer", (Q, "", "1990-01-01", "1990-12-31"), "档案中没有在 1990-01-01 – 1990-12-31 出版的期次"),
    ("/answer", (Q, "", "", "", "不存在的科室"), "档案中没有署名科室“不存在的科室”"),
    ("/answer", (Q, "215", "", "", "眼科"), "这些筛选条件合在一起没有匹配的文章"),
    ("/check", ("",), "问题为空"),
    ("/check", (LONG,), "问题过长（600 字）"),
    ("/upload", ("guess", "{nomasthead.txt}", False), "管理密码错误"),
    ("/upload", ("", "{nomasthead.txt}", True), "管理密码错误"),
    ("/upload", ("s3cret", None, False), "请选择要上传的院报文件"),
    ("/upload", ("s3cret", "{binary.txt}", False), "导入失败，档案未改变：不是文本文件：binary.txt"),
    ("/upload", ("s3cret", "{blank.txt}", False), "导入失败，档案未改变：文件为空：blank.txt"),
    ("/upload", ("s3cret", "{nomasthead.txt}", False), "导入失败，档案未改变：未找到报头"),
    ("/upload", ("s3cret", "{fake.pdf}", False), "导入失败，档案未改变：不是有效的 PDF 文件：fake.pdf"),
    ("/upload", ("s3cret", "{nobom16.txt}", False), "导入失败，档案未改变：不是文本文件：nobom16.txt"),
    ("/upload", ("s3cret", "{changed215.txt}", False), "导入失败，档案未改变：总第215期已在档案中"),
    ("/remove_issue", ("guess", "215"), "管理密码错误"),
    ("/remove_issue", ("s3cret", "99999"), "删除失败，档案未改变：档案中没有总第99999期"),
    ("/remove_issue", ("s3cret", "-5"), "删除失败，档案未改变：总期号必须是正整数，而不是 -5"),
    ("/remove_issue", ("s3cret", "abc"), "删除失败，档案未改变：总期号“abc”不是整数"),
    ("/remove_issue", ("s3cret", ""), "删除失败，档案未改变：总期号“”不是整数"),
    ("/export_feedback", ("guess",), "管理密码错误"),
    ("/rebuild", ("",), "管理密码错误"),
    ("/rate_helpful", ("很好",), "请先提问，再评价答案"),
]
CASES = ([pytest.param("rag", *row, id=f"rag {' '.join(row[0])[:40]} {row[1]}") for row in RAG]
         + [pytest.param("ingest", *row, id=f"ingest {' '.join(row[0])[:40]} {row[1]}") for row in INGEST])


def test_the_table_is_large_enough() -> None:
    assert (len(RAG), len(INGEST), len(PAGE)) == (43, 28, 33) and len(RAG) + len(INGEST) + len(PAGE) >= 60


def _fill(value: str, files: dict[str, Path]) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: str(files.get(m.group(1), Path("/nonexistent") / m.group(1))), value)


@pytest.mark.parametrize(("cli", "argv", "env", "status", "message"), CASES)
def test_bad_input_to_the_cli_is_named_in_one_line_and_changes_nothing(
        cli: str, argv: list[str], env: dict[str, str], status: int, message: str, data: Path,
        files: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for key in [k for k in os.environ if k.startswith("YBQA_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("YBQA_DATA_DIR", str(data))
    for key, value in env.items():
        monkeypatch.setenv(key, _fill(value, files))
    # the archive was embedded with the fake model: the CLI is given the same one, as a user's would match theirs
    monkeypatch.setattr(rag.store.archive, "get_embeddings", lambda settings: FakeEmbeddings())
    before = catalog_state(data)
    main = rag.cli.main if cli == "rag" else ingest.cli.main
    got = main([_fill(a, files) for a in argv])
    out, err = capsys.readouterr()
    message = _fill(message, files)
    assert (got, err.strip()[: len(message)]) == (status, message)
    assert one_line_zh_en(err), err
    assert "Traceback" not in out + err and (status == 1 or out == "")
    assert catalog_state(data) == before


@pytest.mark.parametrize(("endpoint", "args", "message"), PAGE, ids=[f"{e} {a[:3]}" for e, a, _ in PAGE])
def test_bad_input_to_the_page_api_is_named_in_one_line_and_changes_nothing(
        endpoint: str, args: tuple[Any, ...], message: str, page_client: Any, data: Path,
        files: dict[str, Path]) -> None:
    from gradio_client import handle_file

    filled = [handle_file(_fill(a, files)) if isinstance(a, str) and a.startswith("{") else a for a in args]
    before = catalog_state(data)
    got = page_client.predict(*filled, api_name=endpoint)
    text = got.get("error", "") if isinstance(got, dict) else got[0] if isinstance(got, tuple) else got
    text = re.sub(r"<[^>]+>", "", text)  # /check answers in HTML
    assert text[: len(message)] == message
    assert one_line_zh_en(text), text
    assert catalog_state(data) == before


def test_what_gradio_refuses_before_any_handler_changes_nothing(page_client: Any, data: Path,
                                                                 files: dict[str, Path], tmp_path: Path) -> None:
    from gradio_client import handle_file

    before = catalog_state(data)
    exe = tmp_path / "issue.exe"
    exe.write_bytes(b"MZ" + b"\x00" * 100)
    with pytest.raises(Exception, match="Invalid file type"):
        page_client.predict("s3cret", handle_file(str(exe)), False, api_name="/upload")
    assert catalog_state(data) == before


# ---- the issue's cases, as a shell runs them -----------------------------------------------------------------------


def _run(args: list[str], data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=subprocess_env(data, **env), cwd=ROOT, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_the_reported_tracebacks_are_one_line_and_exit_2(data: Path, files: dict[str, Path], tmp_path: Path) -> None:
    local = tmp_path / "var"
    shutil.copytree(data, local)
    before = catalog_state(local)
    runs = {
        "--from yesterday": _run(["-m", "rag", "ask", Q, "--from", "yesterday"], local),
        "--batch binary": _run(["-m", "rag", "ask", "--batch", str(files["binary.jsonl"]), "--json"], local),
        "data dir": _run(["-m", "rag", "ask", Q], local, YBQA_DATA_DIR=str(files["blocker"] / "var")),
        "--total-no -5": _run(["-m", "ingest", "--total-no", "-5", str(files["nomasthead.txt"])], local),
    }
    for name, run in runs.items():
        assert (run.returncode, run.stdout, "Traceback" in run.stderr) == (2, "", False), name
        assert one_line_zh_en(run.stderr), (name, run.stderr)
    assert catalog_state(local) == before


@pytest.mark.parametrize("args", [["-m", "ingest", "--list", "--json"], ["-m", "rag", "ask", Q, "--json"]],
                         ids=["ingest --list", "rag ask"])
def test_a_closed_pipe_ends_quietly(data: Path, args: list[str]) -> None:
    """`… | head -1`: the reader has gone before the output is written. (The question is answered from the
    keyword index alone, YBQA_DENSE_K=0, as this archive was embedded with the tests' fake model.)"""
    proc = subprocess.Popen([sys.executable, *args], env=subprocess_env(data, YBQA_DENSE_K="0"), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the interpreter has even started: every write meets a closed pipe
    err = proc.stderr.read().decode()
    assert (proc.wait(timeout=120), err) == (0, "")
