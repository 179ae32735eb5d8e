"""How fast the page starts and how big it is: `python app.py` as a child process, timed from its start to the
first HTTP 200 of GET /, the size of that HTML, the child's peak memory, and (with chromium) the DOM nodes of
each tab when first opened."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TABS = ("问答", "浏览", "核查", "大事记", "科室与人物", "管理")
CHROMIUM = Path(os.environ.get("YBQA_TEST_CHROMIUM", "/usr/bin/chromium"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def probe_page(data_dir: Path, dom: bool = False, timeout: float = 120.0) -> dict[str, Any]:
    """{start_s, html_bytes, rss_mb, dom: {tab: nodes}} of the page over one data directory."""
    port = _free_port()
    env = {**os.environ, "YBQA_DATA_DIR": str(data_dir), "GRADIO_SERVER_PORT": str(port), "YBQA_PORT": str(port),
           "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False"}
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        html = b""
        while time.perf_counter() - started < timeout:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        html = r.read()
                        break
            except OSError:
                time.sleep(0.1)
        out: dict[str, Any] = {"start_s": time.perf_counter() - started, "html_bytes": len(html)}
        if dom and CHROMIUM.exists():
            out["dom"] = dom_nodes(url)
        out["rss_mb"] = _peak_rss_mb(proc.pid)
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def dom_nodes(url: str) -> dict[str, int]:
    """Elements inside each tab's panel when it is first opened (its lists loaded)."""
    from playwright.sync_api import sync_playwright

    counts: dict[str, int] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(url)
        tab.get_by_role("tab", name=TABS[0]).wait_for(timeout=60_000)
        time.sleep(3)  # the page's lists arrive after it loads (Gradio's stream never goes idle to wait for)
        for name in TABS:
            tab.get_by_role("tab", name=name).click()
            time.sleep(2)  # the tab's lists arrive after it is selected
            counts[name] = int(tab.evaluate(
                "() => Math.max(...[...document.querySelectorAll('[role=tabpanel]')]"
                ".filter(p => p.offsetParent !== null).map(p => p.querySelectorAll('*').length), 0)"))
        counts["whole page"] = int(tab.evaluate("() => document.querySelectorAll('*').length"))
        browser.close()
    return counts


if __name__ == "__main__":
    print(probe_page(Path(sys.argv[1]), dom="--dom" in sys.argv))
