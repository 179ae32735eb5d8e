"""院报问答 — the Gradio page. Gradio lives only in this file."""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from rag import catalog  # noqa: E402
from rag.archive import Archive  # noqa: E402
from rag.settings import Settings, load_settings  # noqa: E402


def _archive_markdown(archive: Archive) -> str:
    lines = []
    for iss in catalog.list_issues(archive.conn):
        lines.append(f"### {iss.label} · {iss.date}")
        for a in catalog.list_articles(archive.conn, iss.total_no):
            flag = "（推断）" if a.page_inferred else ""
            byline = " ".join(x for x in (a.department, a.author) if x)
            lines.append(f"- 第{a.page}版{flag}《{a.title}》{('（' + byline + '）') if byline else ''}")
    return "\n".join(lines) or "档案为空，请先运行 python -m ingest archive/"


def build_app(settings: Settings):  # type: ignore[no-untyped-def]
    """The page: the archive as a newspaper (the question tab arrives with the ask issue)."""
    import gradio as gr

    archive = Archive(settings)
    with gr.Blocks(title="院报问答") as demo:
        gr.Markdown("# 院报问答 · 晋城大医院院报档案")
        with gr.Tab("浏览"):
            gr.Markdown(_archive_markdown(archive))
    return demo


def main() -> None:
    """Start the page on 127.0.0.1 (settings decide host and port)."""
    settings = load_settings()
    build_app(settings).launch(server_name=settings.host, server_port=settings.port, show_api=False)


if __name__ == "__main__":
    main()
