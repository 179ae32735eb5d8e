"""eval --ocr without the font the scans are set in: one line saying what to install, before any split runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval import cli, scanpages


def test_a_missing_font_stops_the_report_at_once_with_what_to_install(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.setattr(scanpages, "FONT_PATH", tmp_path / "absent.ttc")
    ran: list[str] = []
    monkeypatch.setattr(cli, "run_split", lambda *a, **k: ran.append("split"))
    assert cli.main(["--split", "dev", "--ocr", "--no-baselines"]) == 1
    err = capsys.readouterr().err.strip()
    assert ran == []  # refused before the twenty minutes of splits
    assert err.startswith("渲染扫描版面需要") and "fonts-wqy-microhei" in err and "\n" not in err
    assert str(tmp_path) not in err  # no server path in what a person reads
