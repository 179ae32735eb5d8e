"""Chroma as a server: a real `chroma run` on loopback holds the vectors of two archives side by side; each
archive's orphan sweep touches only its own collection, and answers are the same as with the embedded store."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, SAMPLE_215, fake_archive

from ingest import ingest_file, remove_orphans
from rag import answer_question

CHROMA = Path(sys.executable).parent / "chroma"  # installed with the chromadb package, beside python


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("chroma") or (str(CHROMA) if CHROMA.exists() else None)
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("the chroma CLI (from the chromadb package) is missing in CI")
        pytest.skip("the chroma CLI is not installed")
    port = _free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_TELEMETRY": "False"}
    proc = subprocess.Popen([binary, "run", "--path", str(tmp_path_factory.mktemp("chroma")), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("chroma run did not answer within 30 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_two_archives_share_one_server_and_answer_as_embedded(server: str, tmp_path: Path) -> None:
    a = fake_archive(tmp_path / "a", chroma_url=server)
    b = fake_archive(tmp_path / "b", chroma_url=server)
    ingest_file(a, FIXTURES / "issue_220.txt")
    ingest_file(b, SAMPLE_215)
    assert a.collection != b.collection and a.collection.startswith("ybqa-")
    assert a.store().count() == a.counts()["chunks"] and b.store().count() == b.counts()["chunks"]
    assert remove_orphans(b) == 0 and remove_orphans(a) == 0  # neither sweeps the other's vectors
    assert a.store().count() == a.counts()["chunks"]

    local = fake_archive(tmp_path / "local")
    ingest_file(local, FIXTURES / "issue_220.txt")
    assert local.collection == "chunks"
    for q in ("第三季度住院患者平均住院日是多少天？", "谁介绍了飞秒激光的优点？", "心血管内科为多少名居民测量了血压？"):
        remote, embedded = answer_question(a, q), answer_question(local, q)
        assert (remote.answer, [c.source.page for c in remote.citations]) == (
            embedded.answer, [c.source.page for c in embedded.citations]), q


def test_a_bad_server_address_is_named_in_the_settings_error() -> None:
    from rag import ConfigError, load_settings

    with pytest.raises(ConfigError, match="chroma_url"):
        load_settings(env={"YBQA_CHROMA_URL": "127.0.0.1:8000"})
