"""院报问答 — the Gradio page for staff, new employees and journalists. Gradio lives only in this file."""

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

from rag import Filters, RagError, answer_question, catalog, check
from rag.archive import Archive
from rag.models import ABSTAIN_TEXT, Answer, Citation
from rag.settings import Settings, load_settings

log = logging.getLogger("ybqa.app")
UNEXPECTED = "出现意外错误，请稍后再试或联系管理员 / Unexpected error: please try again or contact the administrator."

CSS = """
.card {border:1px solid #d0d7de;border-radius:8px;padding:8px 10px;margin:6px 0;background:#f8fafc;}
.card .issue {color:#0b5394;font-weight:600;} .card .inferred {color:#b45309;font-size:0.85em;}
.verdict-supported {color:#15803d;font-weight:700;} .verdict-contradicted {color:#b91c1c;font-weight:700;}
.verdict-not_found {color:#6b7280;font-weight:700;} mark {background:#fde68a;padding:0 2px;}
.article p {line-height:1.8;margin:0.4em 0;}
"""


# ---- rendering (plain functions, tested without a browser) ---------------------------------------------------


def highlight(text: str, needles: list[str]) -> str:
    """HTML-escaped text with each needle marked."""
    out = html.escape(text)
    for n in sorted({x for x in needles if x and len(x) >= 2}, key=len, reverse=True):
        out = out.replace(html.escape(n), f"<mark>{html.escape(n)}</mark>")
    return out


def card_html(c: Citation) -> str:
    """A citation card: issue, date, page (推断 when inferred), title, department · author."""
    if c.kind == "document":
        return f'<div class="card"><span class="issue">{html.escape(c.source)}</span><br>《{html.escape(c.title)}》</div>'
    page = f"第{c.page}版" + ('<span class="inferred">（推断）</span>' if c.page_inferred else "")
    byline = " · ".join(html.escape(x) for x in (c.department, c.author) if x)
    return (f'<div class="card"><span class="issue">{c.year}年第{c.issue_no}期（总第{c.total_no}期）</span> · {c.date} · '
            f"{page}<br>《{html.escape(c.title)}》" + (f"<br>{byline}" if byline else "") + "</div>")


def answer_html(ans: Answer) -> str:
    """The short answer first, then the evidence with the answer highlighted, then the citation cards."""
    if ans.abstained:
        return f"**{ABSTAIN_TEXT}**"
    parts = [f"**{html.escape(ans.answer)}**"]
    needles = [ans.answer] + [x for x in re.split(r"[、；;，,]", ans.answer) if len(x) >= 2]
    parts += [f"> {highlight(q, needles)}" for q in ans.evidence[:3]]
    parts += [card_html(c) for c in ans.citations]
    if ans.note:
        parts.append(f"<small>{html.escape(ans.note)}</small>")
    return "\n\n".join(parts)


def article_html(archive: Archive, article_id: str, marks: list[str]) -> str:
    """The whole article, its evidence sentences highlighted."""
    a = catalog.get_article(archive.conn, article_id)
    if a is None:
        return "<p>未找到该文章。</p>"
    cite = Citation(total_no=a.total_no, issue_no=a.issue_no, year=a.year, date=a.date, page=a.page,
                    page_inferred=a.page_inferred, title=a.title, department=a.department, author=a.author, quote="",
                    kind=a.issue_kind, source=a.source)
    head = f"<h3>{html.escape(a.title)}</h3>" + (f"<h4>——{html.escape(a.subtitle)}</h4>" if a.subtitle else "")
    note = f"<p><b>编者按：</b>{highlight(a.editor_note, marks)}</p>" if a.editor_note else ""
    body = "".join(f"<p>{highlight(p, marks)}</p>" for p in a.paragraphs)
    return f'<div class="article">{head}{card_html(cite)}{note}{body}</div>'


def example_questions(archive: Archive, n: int = 6) -> list[str]:
    """Example questions drawn from what the archive holds now (so they fit the next issues too)."""
    arts = catalog.list_articles(archive.conn)
    out = ["院报的主编是谁？"]
    depts = [a.department for a in arts if a.department]
    authors = [a.author for a in arts if a.author]
    if arts:
        out.append(f"《{arts[-1].title}》刊登在第几版？")
    for a in arts:
        m = re.search(r"首例|首次", a.body)
        if m and a.department:
            out.append(f"哪个科室{m.group(0)}开展了{_first_procedure(a.body)}？" if _first_procedure(a.body) else "")
            break
    if authors:
        out.append(f"{max(set(authors), key=authors.count)}在院报中写了哪些稿件？")
    if depts:
        out.append(f"{max(set(depts), key=depts.count)}在院报上发表了哪些文章？")
    issues = catalog.list_issues(archive.conn)
    if issues:
        out.append(f"第{issues[-1].issue_no}期院报是哪天出版的？")
    return [q for q in dict.fromkeys(out) if q][:n]


def _first_procedure(body: str) -> str:
    m = re.search(r"首例([^，,。（(]{4,30}?术)", body)
    return m.group(1) if m else ""


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


# ---- the page ------------------------------------------------------------------------------------------------


def build_app(settings: Settings, archive: Archive | None = None):  # type: ignore[no-untyped-def]
    """The page: 问答, 浏览, 核查, 大事记, 科室与人物, 管理."""
    import gradio as gr

    from rag.directory import directory
    from rag.feedback import export_eval_lines, record
    from rag.followup import resolve
    from rag.timeline import milestones

    archive = archive or Archive(settings)
    issues = catalog.list_issues(archive.conn)
    issue_choices = [(i.label, i.total_no) for i in issues]
    dept_choices = sorted({a.department for a in catalog.list_articles(archive.conn) if a.department})

    def ask(message: str, history: list[dict[str, Any]], iss: list[Any], dfrom: str, dto: str, depts: list[str],
            last: Answer | None) -> Iterator[tuple[Any, ...]]:
        history = list(history or [])
        history.append({"role": "user", "content": message})
        question = resolve(message, last)
        try:
            filters = filters_from(iss, dfrom, dto, depts)
            if settings.answer_mode == "llm":
                from rag.llm import ask_llm_stream

                history.append({"role": "assistant", "content": ""})
                ans = None
                for item in ask_llm_stream(archive, question, filters):
                    if isinstance(item, Answer):
                        ans = item
                    else:  # the model's words as they arrive
                        history[-1] = {"role": "assistant", "content": history[-1]["content"] + html.escape(item)}
                        yield history, last, gr.update(), "", ""
                assert ans is not None
            else:
                ans = answer_question(archive, question, filters)
                # stream: the short answer first, then the evidence and the cards
                history.append({"role": "assistant", "content": f"**{html.escape(ans.answer)}**"})
                yield history, ans, gr.update(), "", ""
        except Exception as exc:  # noqa: BLE001 - the page shows one line, never a stack trace
            if history[-1]["role"] == "assistant":
                history.pop()
            history.append({"role": "assistant", "content": error_text(exc)})
            yield history, last, gr.update(choices=[], value=None), "", ""
            return
        history[-1] = {"role": "assistant", "content": answer_html(ans)}
        cards = [(f"{c.year}年第{c.issue_no}期 第{c.page}版《{c.title}》", c.article_id) for c in ans.citations
                 if c.article_id]
        note = f"（已按上文理解为：{question}）" if question != message else ""
        yield history, ans, gr.update(choices=cards, value=None), "", note

    def open_card(article_id: str | None, last: Answer | None) -> str:
        if not article_id:
            return ""
        marks = list(last.evidence) + [last.answer] if last else []
        return article_html(archive, article_id, marks)

    def give_feedback(rating: int, comment: str, last: Answer | None) -> str:
        if last is None:
            return "请先提问，再评价答案。"
        record(archive, last, rating, comment)
        return "已记录，谢谢！" + ("（👍）" if rating > 0 else "（👎）")

    def export_feedback() -> str:
        lines = export_eval_lines(archive)
        path = Path(tempfile.mkdtemp()) / "feedback_eval.jsonl"
        path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
        return str(path)

    def run_check(claim: str) -> tuple[str, str]:
        try:
            v = check(archive, claim)
        except Exception as exc:  # noqa: BLE001
            return f"<p>{html.escape(error_text(exc))}</p>", ""
        zh = {"supported": "属实", "contradicted": "与档案不符", "not_found": "档案中未找到"}[v.verdict]
        out = [f'<p class="verdict-{v.verdict}">{zh}（{v.verdict}）</p><p>{html.escape(v.explanation)}</p>']
        out += [f"<blockquote>{html.escape(c.quote)}</blockquote>{card_html(c)}" for c in v.citations]
        line = "\n".join(f"「{c.quote}」——{c.line()}" for c in v.citations)
        return "".join(out), line

    def api_ask(question: str) -> dict[str, Any]:
        try:
            return answer_question(archive, question).to_json()
        except Exception as exc:  # noqa: BLE001
            return {"error": error_text(exc)}

    def browse_pages(total_no: int | None) -> Any:
        if total_no is None:
            return gr.update(choices=[], value=None)
        pages = sorted({a.page for a in catalog.list_articles(archive.conn, int(total_no))})
        return gr.update(choices=[(f"第{p}版", p) for p in pages], value=pages[0] if pages else None)

    def browse_articles(total_no: int | None, page: int | None) -> Any:
        if total_no is None or page is None:
            return gr.update(choices=[], value=None)
        arts = [a for a in catalog.list_articles(archive.conn, int(total_no)) if a.page == int(page)]
        return gr.update(choices=[(a.title, a.id) for a in arts], value=arts[0].id if arts else None)

    def timeline_md() -> str:
        rows = ["| 日期 | 事件 | 出处 |", "|---|---|---|"]
        for m in milestones(archive):
            text = m.text.replace("|", "｜")
            rows.append(f"| {m.date} | {text} | {m.citation.line().replace('|', '｜')} |")
        return "\n".join(rows) if len(rows) > 2 else "档案中还没有可列出的大事。"

    entries = directory(archive)

    def show_entry(name: str | None) -> str:
        e = next((x for x in entries if x.name == name), None)
        if e is None:
            return ""
        kind = "科室" if e.kind == "department" else "人物"
        lines = [f"### {e.name}（{kind}）"]
        if e.bylines:
            lines.append("**署名文章：**")
            lines += [f"- {a.date} 第{a.issue_no}期 第{a.page}版《{a.title}》" for a in e.bylines]
        if e.mentions:
            lines.append("**提及的文章：**")
            lines += [f"- {a.date} 第{a.issue_no}期 第{a.page}版《{a.title}》" for a in e.mentions]
        return "\n".join(lines)

    def upload(password: str, file: Any, replace: bool, progress: Any = gr.Progress()) -> str:
        from ingest.parse import parse_file
        from ingest.pipeline import ingest_issue

        if not settings.admin_password:
            return "管理功能未开启：请在设置中配置 YBQA_ADMIN_PASSWORD。"
        if password != settings.admin_password:
            return "密码错误。"
        if file is None:
            return "请选择要上传的院报文件（.txt 或 .pdf）。"
        path = Path(file if isinstance(file, str) else file.name)
        try:
            progress(0.1, desc="解析中")
            issue = parse_file(path)
            progress(0.3, desc="嵌入与索引中")
            res = ingest_issue(archive, issue, path.name, replace)
        except Exception as exc:  # noqa: BLE001
            return f"导入失败，档案未改变：{error_text(exc)}"
        status = {"added": "已新增", "replaced": "已替换", "unchanged": "内容未变，无需导入"}[res.status]
        return f"{status}：{res.label}，{res.articles} 篇文章，{res.chunks} 个分块。"

    with gr.Blocks(title="院报问答") as demo:
        gr.Markdown("# 院报问答 · 晋城大医院院报档案\n每个回答都注明期次与版面；档案中没有的内容会如实说明。")
        last_state = gr.State(None)
        with gr.Tab("问答"):
            with gr.Accordion("筛选", open=False), gr.Row():
                f_issue = gr.Dropdown(choices=issue_choices, multiselect=True, label="期次")
                f_from = gr.Textbox(label="起始日期", placeholder="YYYY-MM-DD")
                f_to = gr.Textbox(label="截止日期", placeholder="YYYY-MM-DD")
                f_dept = gr.Dropdown(choices=dept_choices, multiselect=True, label="署名科室")
            chat = gr.Chatbot(label="问答", height=460, elem_id="chat")
            with gr.Row():
                box = gr.Textbox(placeholder="请输入问题，例如：院报的主编是谁？", show_label=False, scale=8, elem_id="question")
                send = gr.Button("提问", variant="primary", scale=1, elem_id="ask")
            resolved = gr.Markdown()
            gr.Examples(examples=[[q] for q in example_questions(archive)], inputs=[box], label="示例问题")
            cards = gr.Radio(choices=[], label="引用（点击查看原文）", elem_id="cards")
            article = gr.HTML(elem_id="article")
            with gr.Row():
                comment = gr.Textbox(label="意见（可选）", scale=6)
                up = gr.Button("👍 有帮助", scale=1)
                down = gr.Button("👎 有问题", scale=1)
            fb_msg = gr.Markdown()
            with gr.Row():
                export = gr.Button("导出反馈为评测数据")
                export_file = gr.File(label="反馈评测文件")
            inputs = [box, chat, f_issue, f_from, f_to, f_dept, last_state]
            outputs = [chat, last_state, cards, box, resolved]
            box.submit(ask, inputs, outputs)
            send.click(ask, inputs, outputs)
            cards.change(open_card, [cards, last_state], [article])
            up.click(lambda c, s: give_feedback(1, c, s), [comment, last_state], [fb_msg])
            down.click(lambda c, s: give_feedback(-1, c, s), [comment, last_state], [fb_msg])
            export.click(export_feedback, None, [export_file])
        with gr.Tab("浏览"):
            with gr.Row():
                b_issue = gr.Dropdown(choices=issue_choices, label="期次", value=None)
                b_page = gr.Radio(choices=[], label="版面")
            b_art = gr.Radio(choices=[], label="文章")
            b_view = gr.HTML()
            b_issue.change(browse_pages, [b_issue], [b_page])
            b_page.change(browse_articles, [b_issue, b_page], [b_art])
            b_art.change(lambda a: article_html(archive, a, []) if a else "", [b_art], [b_view])
        with gr.Tab("核查"):
            claim = gr.Textbox(label="要核查的说法", placeholder="例如：医院从某年起开展某项技术", elem_id="claim")
            c_btn = gr.Button("核查", variant="primary", elem_id="check")
            c_out = gr.HTML(elem_id="verdict")
            c_line = gr.Textbox(label="可直接引用的出处", elem_id="citeline", buttons=["copy"])
            c_btn.click(run_check, [claim], [c_out, c_line])
            claim.submit(run_check, [claim], [c_out, c_line])
        with gr.Tab("大事记"):
            t_md = gr.Markdown(timeline_md())
            gr.Button("刷新").click(timeline_md, None, [t_md])
        with gr.Tab("科室与人物"):
            e_pick = gr.Dropdown(choices=[e.name for e in entries], label="科室或人物")
            e_md = gr.Markdown()
            e_pick.change(show_entry, [e_pick], [e_md])
        with gr.Tab("管理"):
            a_pw = gr.Textbox(label="管理密码", type="password")
            a_file = gr.File(label="院报文件（.txt 或 .pdf）", file_types=[".txt", ".pdf"])
            a_replace = gr.Checkbox(label="整期替换已有的同一期")
            a_btn = gr.Button("导入")
            a_out = gr.Markdown()
            a_btn.click(upload, [a_pw, a_file, a_replace], [a_out])
        api_q = gr.Textbox(visible=False)
        api_out = gr.JSON(visible=False)
        gr.Button(visible=False).click(api_ask, [api_q], [api_out], api_name="answer")
    return demo


def launch(settings: Settings, **kwargs: Any) -> Any:
    """Start the page (127.0.0.1 unless settings say otherwise; login if settings give one)."""
    demo = build_app(settings)
    auth = (settings.auth_user, settings.auth_password) if settings.auth_user and settings.auth_password else None
    demo.queue(default_concurrency_limit=8)
    return demo.launch(server_name=settings.host, server_port=settings.port, auth=auth, css=CSS, quiet=True, **kwargs)


def main() -> None:
    """python app.py"""
    settings = load_settings()
    try:
        Archive(settings).require_index()
    except RagError as exc:
        print(exc.user_message())
    print(f"院报问答：http://{settings.host}:{settings.port}")
    launch(settings)


if __name__ == "__main__":
    main()
