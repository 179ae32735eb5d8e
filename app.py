"""院报问答 — the Gradio page for staff, new employees and journalists. Gradio lives only in this file.

`Page` holds the handlers: plain methods that take and return plain values (strings, lists, Answer), tested
without a browser. The `_tab_*` builders only lay out components and wire them to those handlers."""

from __future__ import annotations

import html
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from ingest import ingest_issue, parse_file
from rag import (
    ABSTAIN_TEXT,
    VERDICT_ZH,
    Answer,
    Archive,
    Citation,
    Filters,
    RagError,
    Settings,
    Source,
    answer_question,
    check,
    directory,
    example_questions,
    export_eval_lines,
    load_settings,
    milestones,
    record,
    resolve_followup,
    stream_answer,
)

log = logging.getLogger("ybqa.app")
UNEXPECTED = "出现意外错误，请稍后再试或联系管理员 / Unexpected error: please try again or contact the administrator."

CSS = """
.card {border:1px solid #d0d7de;border-radius:8px;padding:8px 10px;margin:6px 0;background:#f8fafc;}
.card .issue {color:#0b5394;font-weight:600;} .card .inferred {color:#b45309;font-size:0.85em;}
.verdict-supported {color:#15803d;font-weight:700;} .verdict-contradicted {color:#b91c1c;font-weight:700;}
.verdict-not_found {color:#6b7280;font-weight:700;} mark {background:#fde68a;padding:0 2px;}
.article p {line-height:1.8;margin:0.4em 0;}
"""
INGEST_STATUS = {"added": "已新增", "replaced": "已替换", "unchanged": "内容未变，无需导入"}


# ---- rendering (plain functions, tested without a browser) ---------------------------------------------------


def highlight(text: str, needles: list[str]) -> str:
    """HTML-escaped text with each needle marked."""
    out = html.escape(text)
    for n in sorted({x for x in needles if x and len(x) >= 2}, key=len, reverse=True):
        out = out.replace(html.escape(n), f"<mark>{html.escape(n)}</mark>")
    return out


def card_html(s: Source) -> str:
    """A citation card: issue, date, page (推断 when inferred), title, department · author."""
    if s.kind == "document":
        return f'<div class="card"><span class="issue">{html.escape(s.origin)}</span><br>《{html.escape(s.title)}》</div>'
    page = f"第{s.page}版" + ('<span class="inferred">（推断）</span>' if s.page_inferred else "")
    byline = " · ".join(html.escape(x) for x in (s.department, s.author) if x)
    return (f'<div class="card"><span class="issue">{s.year}年第{s.issue_no}期（总第{s.total_no}期）</span> · {s.date} · '
            f"{page}<br>《{html.escape(s.title)}》" + (f"<br>{byline}" if byline else "") + "</div>")


def answer_html(ans: Answer) -> str:
    """The short answer first, then the evidence with the answer highlighted, then the citation cards."""
    if ans.abstained:
        return f"**{ABSTAIN_TEXT}**"
    parts = [f"**{html.escape(ans.answer)}**"]
    needles = [ans.answer] + [x for x in re.split(r"[、；;，,]", ans.answer) if len(x) >= 2]
    parts += [f"> {highlight(q, needles)}" for q in ans.evidence[:3]]
    parts += [card_html(c.source) for c in ans.citations]
    if ans.note:
        parts.append(f"<small>{html.escape(ans.note)}</small>")
    return "\n\n".join(parts)


def verdict_html(claim_check: Any) -> str:
    """A claim's verdict, its explanation and the quotes with their cards."""
    v = claim_check
    out = [f'<p class="verdict-{v.verdict}">{VERDICT_ZH[v.verdict]}（{v.verdict}）</p><p>{html.escape(v.explanation)}</p>']
    out += [f"<blockquote>{html.escape(c.quote)}</blockquote>{card_html(c.source)}" for c in v.citations]
    return "".join(out)


def citation_lines(citations: tuple[Citation, ...]) -> str:
    """Copy-ready 「quote」——citation lines."""
    return "\n".join(f"「{c.quote}」——{c.line()}" for c in citations)


def filters_from(issues: list[Any] | None, date_from: str, date_to: str, depts: list[str] | None) -> Filters:
    """Filters from the page's controls; dates must be YYYY-MM-DD."""
    for d in (date_from, date_to):
        if d and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.strip()):
            raise RagError(f"date {d!r} is not YYYY-MM-DD", "日期格式应为 YYYY-MM-DD")
    return Filters(total_nos=tuple(int(i) for i in issues or ()), date_from=(date_from or "").strip(),
                   date_to=(date_to or "").strip(), departments=tuple(depts or ()))


def error_text(exc: BaseException) -> str:
    """What the page shows for an error: one line, never a stack trace."""
    if isinstance(exc, RagError):
        return exc.user_message()
    log.exception("unexpected error", exc_info=exc)
    return UNEXPECTED


# ---- the handlers ----------------------------------------------------------------------------------------------


class Page:
    """Everything the page does, as plain methods over one archive."""

    def __init__(self, settings: Settings, archive: Archive | None = None) -> None:
        self.settings = settings
        self.archive = archive or Archive(settings)

    def issue_choices(self) -> list[tuple[str, int]]:
        """(label, 总期号) of every issue, for the pickers."""
        return [(i.label, i.total_no) for i in self.archive.issues()]

    def department_choices(self) -> list[str]:
        """Every byline department."""
        return sorted({a.department for a in self.archive.articles() if a.department})

    def ask(self, message: str, previous: Answer | None, filters: Filters) -> tuple[str, Answer]:
        """(the question as understood after resolving a follow-up, the answer)."""
        question = resolve_followup(message, previous)
        return question, answer_question(self.archive, question, filters)

    def stream(self, message: str, previous: Answer | None, filters: Filters) -> Iterator[str | Answer]:
        """The LLM's words as they arrive, then the checked answer."""
        yield from stream_answer(self.archive, resolve_followup(message, previous), filters)

    def card_choices(self, ans: Answer) -> list[tuple[str, str]]:
        """(label, article id) of each cited article, to open it."""
        return [(f"{c.source.year}年第{c.source.issue_no}期 第{c.source.page}版《{c.source.title}》", c.source.article_id)
                for c in ans.citations if c.source.article_id]

    def article_html(self, article_id: str | None, marks: list[str]) -> str:
        """The whole article, its evidence sentences highlighted."""
        a = self.archive.article(article_id) if article_id else None
        if a is None:
            return "<p>未找到该文章。</p>" if article_id else ""
        head = f"<h3>{html.escape(a.title)}</h3>" + (f"<h4>——{html.escape(a.subtitle)}</h4>" if a.subtitle else "")
        note = f"<p><b>编者按：</b>{highlight(a.editor_note, marks)}</p>" if a.editor_note else ""
        body = "".join(f"<p>{highlight(p, marks)}</p>" for p in a.paragraphs)
        return f'<div class="article">{head}{card_html(a.source)}{note}{body}</div>'

    def feedback(self, rating: int, comment: str, last: Answer | None) -> str:
        """Store 👍/👎 on the last answer."""
        if last is None:
            return "请先提问，再评价答案。"
        record(self.archive, last, rating, comment)
        return "已记录，谢谢！" + ("（👍）" if rating > 0 else "（👎）")

    def export_feedback(self) -> str:
        """Feedback as evaluation lines in a downloadable file; returns its path."""
        path = Path(tempfile.mkdtemp()) / "feedback_eval.jsonl"
        lines = export_eval_lines(self.archive)
        path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
        return str(path)

    def check(self, claim: str) -> tuple[str, str]:
        """(verdict HTML, copy-ready citation lines)."""
        try:
            v = check(self.archive, claim)
        except Exception as exc:  # noqa: BLE001 - the page shows one line, never a stack trace
            return f"<p>{html.escape(error_text(exc))}</p>", ""
        return verdict_html(v), citation_lines(v.citations)

    def api_answer(self, question: str) -> dict[str, Any]:
        """The JSON contract of `rag ask --json`, for API clients."""
        try:
            return answer_question(self.archive, question).to_json()
        except Exception as exc:  # noqa: BLE001
            return {"error": error_text(exc)}

    def pages_of(self, total_no: int | None) -> list[int]:
        """The page numbers of an issue."""
        return sorted({a.page for a in self.archive.articles(int(total_no))}) if total_no is not None else []

    def articles_on(self, total_no: int | None, page: int | None) -> list[tuple[str, str]]:
        """(title, id) of the articles on one page."""
        if total_no is None or page is None:
            return []
        return [(a.title, a.id) for a in self.archive.articles(int(total_no)) if a.page == int(page)]

    def timeline_md(self) -> str:
        """大事记 as a Markdown table."""
        rows = ["| 日期 | 事件 | 出处 |", "|---|---|---|"]
        for m in milestones(self.archive):
            rows.append(f"| {m.date} | {m.text.replace('|', '｜')} | {m.citation.line().replace('|', '｜')} |")
        return "\n".join(rows) if len(rows) > 2 else "档案中还没有可列出的大事。"

    def entry_names(self) -> list[str]:
        """Departments and people of the directory, most mentioned first."""
        return [e.name for e in directory(self.archive)]

    def entry_md(self, name: str | None) -> str:
        """One department or person with the articles they signed or appear in."""
        e = next((x for x in directory(self.archive) if x.name == name), None)
        if e is None:
            return ""
        lines = [f"### {e.name}（{'科室' if e.kind == 'department' else '人物'}）"]
        for label, arts in (("署名文章", e.bylines), ("提及的文章", e.mentions)):
            if arts:
                lines.append(f"**{label}：**")
                lines += [f"- {a.date} 第{a.issue_no}期 第{a.page}版《{a.title}》" for a in arts]
        return "\n".join(lines)

    def upload(self, password: str, path: str | None, replace: bool, progress: Any = None) -> str:
        """An admin adds or replaces an issue; a bad file changes nothing."""
        if not self.settings.server.admin_password:
            return "管理功能未开启：请在设置中配置 YBQA_ADMIN_PASSWORD。"
        if password != self.settings.server.admin_password:
            return "密码错误。"
        if not path:
            return "请选择要上传的院报文件（.txt 或 .pdf）。"
        try:
            if progress:
                progress(0.1, desc="解析中")
            issue = parse_file(Path(path))
            if progress:
                progress(0.3, desc="嵌入与索引中")
            res = ingest_issue(self.archive, issue, Path(path).name, replace)
        except Exception as exc:  # noqa: BLE001
            return f"导入失败，档案未改变：{error_text(exc)}"
        return f"{INGEST_STATUS[res.status]}：{res.label}，{res.articles} 篇文章，{res.chunks} 个分块。"


# ---- the layout ------------------------------------------------------------------------------------------------


def _chat_turn(page: Page, message: str, history: list[dict[str, Any]], filters: Filters, last: Answer | None
               ) -> Iterator[tuple[list[dict[str, Any]], Answer | None, list[tuple[str, str]], str]]:
    """One chat turn as (history, answer, cards, note) updates: the short answer first, then the rest."""
    history = [*history, {"role": "user", "content": message}]
    try:
        if page.settings.answer.mode == "llm":
            history.append({"role": "assistant", "content": ""})
            ans = None
            for item in page.stream(message, last, filters):
                if isinstance(item, Answer):
                    ans = item
                else:
                    history[-1] = {"role": "assistant", "content": history[-1]["content"] + html.escape(item)}
                    yield history, last, [], ""
            assert ans is not None
            question = resolve_followup(message, last)
        else:
            question, ans = page.ask(message, last, filters)
            history.append({"role": "assistant", "content": f"**{html.escape(ans.answer)}**"})
            yield history, ans, [], ""
    except Exception as exc:  # noqa: BLE001 - the page shows one line, never a stack trace
        if history[-1]["role"] == "assistant":
            history.pop()
        yield [*history, {"role": "assistant", "content": error_text(exc)}], last, [], ""
        return
    history[-1] = {"role": "assistant", "content": answer_html(ans)}
    note = f"（已按上文理解为：{question}）" if question != message else ""
    yield history, ans, page.card_choices(ans), note


def _tab_ask(gr: Any, page: Page, last: Any) -> None:
    with gr.Accordion("筛选", open=False), gr.Row():
        f_issue = gr.Dropdown(choices=page.issue_choices(), multiselect=True, label="期次")
        f_from = gr.Textbox(label="起始日期", placeholder="YYYY-MM-DD")
        f_to = gr.Textbox(label="截止日期", placeholder="YYYY-MM-DD")
        f_dept = gr.Dropdown(choices=page.department_choices(), multiselect=True, label="署名科室")
    chat = gr.Chatbot(label="问答", height=460, elem_id="chat")
    with gr.Row():
        box = gr.Textbox(placeholder="请输入问题，例如：院报的主编是谁？", show_label=False, scale=8, elem_id="question")
        send = gr.Button("提问", variant="primary", scale=1, elem_id="ask")
    resolved = gr.Markdown()
    gr.Examples(examples=[[q] for q in example_questions(page.archive)], inputs=[box], label="示例问题")
    cards = gr.Radio(choices=[], label="引用（点击查看原文）", elem_id="cards")
    article = gr.HTML(elem_id="article")

    def ask(message: str, history: list[dict[str, Any]], iss: list[Any], dfrom: str, dto: str, depts: list[str],
            prev: Answer | None) -> Iterator[tuple[Any, ...]]:
        try:
            filters = filters_from(iss, dfrom, dto, depts)
        except RagError as exc:
            yield [*history, {"role": "assistant", "content": error_text(exc)}], prev, gr.update(), "", ""
            return
        for hist, ans, choices, note in _chat_turn(page, message, history or [], filters, prev):
            yield hist, ans, gr.update(choices=choices, value=None), "", note

    inputs = [box, chat, f_issue, f_from, f_to, f_dept, last]
    outputs = [chat, last, cards, box, resolved]
    box.submit(ask, inputs, outputs)
    send.click(ask, inputs, outputs)
    cards.change(lambda a, s: page.article_html(a, [*s.evidence, s.answer] if s else []), [cards, last], [article])
    _feedback_row(gr, page, last)


def _feedback_row(gr: Any, page: Page, last: Any) -> None:
    with gr.Row():
        comment = gr.Textbox(label="意见（可选）", scale=6)
        up = gr.Button("👍 有帮助", scale=1)
        down = gr.Button("👎 有问题", scale=1)
    fb_msg = gr.Markdown()
    with gr.Row():
        export = gr.Button("导出反馈为评测数据")
        export_file = gr.File(label="反馈评测文件")
    up.click(lambda c, s: page.feedback(1, c, s), [comment, last], [fb_msg])
    down.click(lambda c, s: page.feedback(-1, c, s), [comment, last], [fb_msg])
    export.click(page.export_feedback, None, [export_file])


def _tab_browse(gr: Any, page: Page) -> None:
    with gr.Row():
        b_issue = gr.Dropdown(choices=page.issue_choices(), label="期次", value=None)
        b_page = gr.Radio(choices=[], label="版面")
    b_art = gr.Radio(choices=[], label="文章")
    b_view = gr.HTML()

    def pages(total_no: int | None) -> Any:
        numbers = page.pages_of(total_no)
        return gr.update(choices=[(f"第{p}版", p) for p in numbers], value=numbers[0] if numbers else None)

    def articles(total_no: int | None, number: int | None) -> Any:
        arts = page.articles_on(total_no, number)
        return gr.update(choices=arts, value=arts[0][1] if arts else None)

    b_issue.change(pages, [b_issue], [b_page])
    b_page.change(articles, [b_issue, b_page], [b_art])
    b_art.change(lambda a: page.article_html(a, []), [b_art], [b_view])


def _tab_check(gr: Any, page: Page) -> None:
    claim = gr.Textbox(label="要核查的说法", placeholder="例如：医院从某年起开展某项技术", elem_id="claim")
    button = gr.Button("核查", variant="primary", elem_id="check")
    verdict = gr.HTML(elem_id="verdict")
    line = gr.Textbox(label="可直接引用的出处", elem_id="citeline", buttons=["copy"])
    button.click(page.check, [claim], [verdict, line])
    claim.submit(page.check, [claim], [verdict, line])


def _tab_timeline(gr: Any, page: Page) -> None:
    table = gr.Markdown(page.timeline_md())
    gr.Button("刷新").click(page.timeline_md, None, [table])


def _tab_directory(gr: Any, page: Page) -> None:
    pick = gr.Dropdown(choices=page.entry_names(), label="科室或人物")
    view = gr.Markdown()
    pick.change(page.entry_md, [pick], [view])


def _tab_admin(gr: Any, page: Page) -> None:
    password = gr.Textbox(label="管理密码", type="password")
    upload = gr.File(label="院报文件（.txt 或 .pdf）", file_types=[".txt", ".pdf"])
    replace = gr.Checkbox(label="整期替换已有的同一期")
    button = gr.Button("导入")
    out = gr.Markdown()

    def run(pw: str, file: Any, rep: bool, progress: Any = gr.Progress()) -> str:
        path = file if isinstance(file, str) or file is None else file.name
        return page.upload(pw, path, rep, progress)

    button.click(run, [password, upload, replace], [out], api_name="upload")


def build_app(settings: Settings, archive: Archive | None = None) -> Any:
    """The page: 问答, 浏览, 核查, 大事记, 科室与人物, 管理."""
    import gradio as gr

    page = Page(settings, archive)
    names = "、".join(sorted(page.archive.publications())) or "院报"
    with gr.Blocks(title="院报问答") as demo:
        gr.Markdown(f"# 院报问答 · {names}档案\n每个回答都注明期次与版面；档案中没有的内容会如实说明。")
        last = gr.State(None)
        for label, build in (("问答", lambda: _tab_ask(gr, page, last)), ("浏览", lambda: _tab_browse(gr, page)),
                             ("核查", lambda: _tab_check(gr, page)), ("大事记", lambda: _tab_timeline(gr, page)),
                             ("科室与人物", lambda: _tab_directory(gr, page)), ("管理", lambda: _tab_admin(gr, page))):
            with gr.Tab(label):
                build()
        api_q = gr.Textbox(visible=False)
        api_out = gr.JSON(visible=False)
        gr.Button(visible=False).click(page.api_answer, [api_q], [api_out], api_name="answer")
    return demo


def launch(settings: Settings, archive: Archive | None = None, **kwargs: Any) -> Any:
    """Start the page (127.0.0.1 unless settings say otherwise; login if settings give one)."""
    demo = build_app(settings, archive)
    server = settings.server
    auth = (server.auth_user, server.auth_password) if server.auth_user and server.auth_password else None
    demo.queue(default_concurrency_limit=8)
    return demo.launch(server_name=server.host, server_port=server.port, auth=auth, css=CSS, quiet=True, **kwargs)


def main() -> None:
    """python app.py"""
    settings = load_settings()
    try:
        Archive(settings).require_index()
    except RagError as exc:
        print(exc.user_message())
    print(f"院报问答：http://{settings.server.host}:{settings.server.port}")
    launch(settings)


if __name__ == "__main__":
    main()
