"""院报问答 — the Gradio page for staff, new employees and journalists. Gradio lives only in this file.

`Page` holds the handlers: plain methods that take and return plain values (strings, lists, Answer), tested
without a browser. The `_tab_*` builders only lay out components and wire them to those handlers."""

from __future__ import annotations

import hmac
import importlib.abc
import importlib.machinery
import json
import logging
import math
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class _NoStubRewrite(importlib.abc.MetaPathFinder):
    """Gradio (6.x) re-derives its own .pyi type stubs on every import: each component class is parsed with
    `ast` and its stub rewritten, ~2.3 s of the page's start on this machine (about half of `import gradio`). The
    stubs only serve type checkers in an editor, never the page, so the page imports gradio with that step made
    a no-op. If a later gradio drops or renames the function, this does nothing."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "gradio.component_meta":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run = loader.exec_module

        def exec_module(module: Any) -> None:
            run(module)
            if callable(getattr(module, "create_or_modify_pyi", None)):
                module.create_or_modify_pyi = lambda *args, **kwargs: None

        loader.exec_module = exec_module
        return spec


if "gradio" not in sys.modules:
    sys.meta_path.insert(0, _NoStubRewrite())

# these imports load gradio, so they follow the hook above
from starlette.middleware import Middleware  # noqa: E402

from ingest import IMAGE_SUFFIXES, ingest_file, rebuild_vectors, refresh_listings, remove_issue  # noqa: E402
from rag import (  # noqa: E402
    ABSTAIN_TEXT,
    VERDICT_ZH,
    Answer,
    Archive,
    Citation,
    Filters,
    IndexNotBuiltError,
    RagError,
    Settings,
    Source,
    UsageError,
    answer_question,
    bind_followup,
    check,
    check_filters,
    directory_entry,
    directory_search,
    example_questions,
    export_eval_lines,
    load_settings,
    make_filters,
    milestones,
    record,
    resolve_followup,
    stream_answer,
    timeline_page,
)

log = logging.getLogger("ybqa.app")
UNEXPECTED = "出现意外错误，请稍后再试或联系管理员 / Unexpected error: please try again or contact the administrator."
ADMIN_OFF = "管理功能未开启：请在服务器上设置 YBQA_ADMIN_PASSWORD / admin is off: set YBQA_ADMIN_PASSWORD on the server"
WRONG_PASSWORD = "管理密码错误 / wrong admin password"
LOCKED = "密码错误次数过多，请 {s} 秒后再试 / too many wrong passwords: try again in {s} s"
PAGE_LABELS = {"issue": ("期次", "issue"), "from": ("起始日期", "start date"), "to": ("截止日期", "end date"),
               "page": ("版面", "page")}
TIMELINE_ORDERS = [("最新在前", "newest"), ("按时间顺序", "oldest")]
TIMELINE_PAGE = 50  # rows of 大事记 a page shows
PICKER_SIZE = 30  # issues an issue picker holds at once: the newest, or those a search finds
DIRECTORY_SIZE = 50  # names the directory shows at once: the most mentioned, or those a search finds
KIND_ZH = {"department": "科室", "person": "人物"}
LOGIN_MESSAGE = "院报问答仅供本院职工使用，请输入账号和密码登录。"

CSS = """
.card {border:1px solid #d0d7de;border-radius:8px;padding:8px 10px;margin:6px 0;background:#f8fafc;}
.card .issue {color:#0b5394;font-weight:600;} .card .inferred {color:#b45309;font-size:0.85em;}
.verdict-supported {color:#15803d;font-weight:700;} .verdict-contradicted {color:#b91c1c;font-weight:700;}
.verdict-not_found {color:#6b7280;font-weight:700;} mark {background:#fde68a;padding:0 2px;}
.article p {line-height:1.8;margin:0.4em 0;}
table.list {border-collapse:collapse;width:100%;border:none !important;} table.list tr {border:none !important;} table.list td, table.list th {border:none !important;
border-bottom:1px solid #e5e7eb !important;padding:6px 8px;text-align:left;vertical-align:top;}
table.list td.date {white-space:nowrap;font-weight:600;}
table.list .cite {color:#4b5563;font-size:0.9em;}
"""
UPLOAD_SUFFIXES = (".txt", ".pdf", *IMAGE_SUFFIXES)
INGEST_STATUS = {"added": "已新增", "replaced": "已替换", "unchanged": "内容未变，无需导入"}

# Every character that Markdown or HTML could read as markup, as an entity: archive text stays text wherever it
# is shown (the chat renders Markdown and HTML; the other tabs render HTML).
_INERT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
                        **{c: f"&#{ord(c)};" for c in "\\`*_{}[]#+-!|~$"}})
_ABS_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][^\s/\\:：，,；;（）()「」“”'\"]+){2,}")
_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s，,；;）)」”'\"]+", re.I)


# ---- rendering (plain functions, tested without a browser) ---------------------------------------------------


def esc(text: str) -> str:
    """Archive text made inert for Markdown and HTML."""
    return text.translate(_INERT)


def highlight(text: str, needles: list[str]) -> str:
    """Escaped text with each needle marked once (in one pass, longest first: no mark inside a mark)."""
    out = esc(text)
    wanted = sorted({esc(x) for x in needles if x and len(x) >= 2}, key=len, reverse=True)
    if not wanted:
        return out
    return re.sub("|".join(map(re.escape, wanted)), lambda m: f"<mark>{m.group(0)}</mark>", out)


def card_html(s: Source) -> str:
    """A citation card: issue, date, page (推断 when inferred), title, department · author."""
    if s.kind == "document":
        return f'<div class="card"><span class="issue">{esc(s.origin)}</span><br>《{esc(s.title)}》</div>'
    page = f"第{s.page}版" + ('<span class="inferred">（推断）</span>' if s.page_inferred else "")
    byline = " · ".join(esc(x) for x in (s.department, s.author) if x)
    return (f'<div class="card"><span class="issue">{s.year}年第{s.issue_no}期（总第{s.total_no}期）</span> · {s.date} · '
            f"{page}<br>《{esc(s.title)}》" + (f"<br>{byline}" if byline else "") + "</div>")


def _unique_sources(citations: tuple[Citation, ...]) -> list[Source]:
    """One card per article, however many of its sentences are cited."""
    return list({(c.source.article_id or c.source.title, c.source.total_no): c.source for c in citations}.values())


def answer_html(ans: Answer) -> str:
    """The short answer first, then the evidence with the answer highlighted, then the citation cards."""
    if ans.abstained:
        return f"**{ABSTAIN_TEXT}**" + (f"\n\n<small>{esc(ans.note)}</small>" if ans.note else "")
    parts = [f"**{esc(ans.answer)}**"]
    needles = [ans.answer] + [x for x in re.split(r"[、；;，,]", ans.answer) if len(x) >= 2]
    parts += [f"> {highlight(q, needles)}" for q in ans.evidence[:3]]
    parts += [card_html(s) for s in _unique_sources(ans.citations)]
    if ans.note:
        parts.append(f"<small>{esc(ans.note)}</small>")
    return "\n\n".join(parts)


def verdict_html(claim_check: Any) -> str:
    """A claim's verdict, its explanation and the quotes with their cards."""
    v = claim_check
    out = [f'<p class="verdict-{v.verdict}">{VERDICT_ZH[v.verdict]}（{v.verdict}）</p><p>{esc(v.explanation)}</p>']
    out += [f"<blockquote>{esc(c.quote)}</blockquote>{card_html(c.source)}" for c in v.citations]
    return "".join(out)


def citation_lines(citations: tuple[Citation, ...]) -> str:
    """Copy-ready 「quote」——citation lines."""
    return "\n".join(f"「{c.quote}」——{c.line()}" for c in citations)


def scrub(text: str) -> str:
    """A message fit for the page: a server path shortened to its file name, an address left out."""
    return _URL.sub("（地址略）", _ABS_PATH.sub(lambda m: re.split(r"[/\\]", m.group(0))[-1], text))


def error_text(exc: BaseException) -> str:
    """What the page shows for an error: one line, never a stack trace, a server path or an internal address
    (the server log keeps them)."""
    if isinstance(exc, RagError):
        log.info("refused: %s", exc)
        return scrub(exc.user_message())
    log.exception("unexpected error", exc_info=exc)
    return UNEXPECTED


def failure_text(zh: str, en: str, exc: BaseException) -> str:
    """An action that failed, and why, in one line: 导入失败，档案未改变：… / import failed, …: …"""
    if isinstance(exc, RagError):
        log.info("%s: %s", en, exc)
        return scrub(f"{zh}：{exc.zh} / {en}: {exc}")
    return f"{zh}：{error_text(exc)}"


def table_html(head: list[str], rows: list[list[str]], empty: str) -> str:
    """A plain HTML table; the cells are already escaped."""
    if not rows:
        return f"<p>{empty}</p>"
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f'<table class="list"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def _overview_html(found: dict[str, tuple[list[Any], int]]) -> str:
    """The most mentioned departments and people, each with how many articles they signed or appear in."""
    out = []
    for kind, (items, total) in found.items():
        if items:
            names = " · ".join(f"{esc(e.name)}<small>（{e.signed + e.named}）</small>" for e in items)
            more = f"，此处列出前 {len(items)} 个，可在上方搜索" if total > len(items) else ""
            out.append(f"<p><b>{KIND_ZH[kind]}（共 {total} 个{more}）：</b>{names}</p>")
    return "".join(out) or "<p>档案中还没有署名的科室和人物。</p>"


class Gate:
    """Back-off for one password (the admin's, or the page login's): after `failures` wrong tries from one client
    it must wait `seconds`, twice as long after each further wrong try (at most an hour); a right one resets it."""

    def __init__(self, failures: int, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.failures, self.seconds, self.clock = failures, seconds, clock
        self._state: dict[str, tuple[int, float]] = {}  # client → (wrong tries, when the last one came)
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds this client must still wait (0 when it may try)."""
        with self._lock:
            count, last = self._state.get(client, (0, 0.0))
        if count < self.failures:
            return 0.0
        pause = min(self.seconds * 2 ** (count - self.failures), 3600.0)
        return max(0.0, last + pause - self.clock())

    def failed(self, client: str) -> None:
        """Count a wrong password."""
        with self._lock:
            count, _ = self._state.get(client, (0, 0.0))
            self._state[client] = (count + 1, self.clock())

    def passed(self, client: str) -> None:
        """A right password: start afresh."""
        with self._lock:
            self._state.pop(client, None)


# ---- the handlers ----------------------------------------------------------------------------------------------


def _stages(progress: Any) -> Any:
    """The pipeline's progress(label, total) → tick(step, done) shown on a gr.Progress bar, stage by stage."""
    if not progress:
        return None

    def start(label: str, total: int) -> Any:
        desc = "扫描件识别中" if label.startswith("识别") else "嵌入与索引中"

        def tick(step: int, done: int) -> None:
            progress(done / max(1, total), desc=f"{desc} {done}/{total}")

        progress(0.0, desc=f"{desc} 0/{total}")
        return tick

    return start


class Page:
    """Everything the page does, as plain methods over one archive. Every admin action checks the password here,
    on the server, whatever the client: the page's layout is not a security boundary."""

    def __init__(self, settings: Settings, archive: Archive | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.archive = archive or Archive(settings)
        server = settings.server
        self.admin_gate = Gate(server.lockout_failures, server.lockout_seconds, clock)
        self.login_gate = Gate(server.lockout_failures, server.lockout_seconds, clock)
        self._cache: dict[str, tuple[Any, Any]] = {}

    # -- lists, read from the catalog each time they are shown --

    def _fresh(self, name: str, build: Callable[[], Any]) -> Any:
        """build(), computed again only when the archive's issues changed (one key lookup tells: the timeline and
        the example questions read many rows; the lists are shown on every page load and tab)."""
        key = self.archive.generation()
        cached = self._cache.get(name)
        if cached is None or cached[0] != key:
            cached = (key, build())
            self._cache[name] = cached
        return cached[1]

    def milestones(self) -> list[Any]:
        """大事记, newest first."""
        return list(self._fresh("milestones", lambda: milestones(self.archive)))

    def issue_choices(self, query: str = "", keep: list[Any] | Any = None) -> list[tuple[str, int]]:
        """(label, 总期号) of the newest issues, or of those whose label or date contain the query (at most
        PICKER_SIZE), and of the issues already chosen (keep), for a picker."""
        kept = [int(x) for x in (keep if isinstance(keep, list) else [keep]) if str(x).lstrip("-").isdigit()]
        chosen = [i for i in (self.archive.issue(n) for n in kept) if i is not None]
        found = self.archive.search_issues(query or "", PICKER_SIZE)
        return list(dict.fromkeys((i.label, i.total_no) for i in [*chosen, *found]))

    def department_choices(self) -> list[str]:
        """Every byline department."""
        return self.archive.departments()

    def entry_choices(self, query: str = "", kind: str = "") -> list[tuple[str, str]]:
        """(label with the article count, name) of the directory's names containing the query (the most
        mentioned when it is empty), at most DIRECTORY_SIZE."""
        found, _ = directory_search(self.archive, query or "", kind or "", DIRECTORY_SIZE)
        return [(f"{e.name}（{KIND_ZH[e.kind]}，{e.signed + e.named}篇）", e.name) for e in found]

    def examples(self) -> list[str]:
        """Example questions drawn from what the archive holds now."""
        return list(self._fresh("examples", lambda: example_questions(self.archive)))

    # -- asking --

    def filters(self, issues: list[Any] | str | None, date_from: str | None, date_to: str | None,
                depts: list[str] | str | None) -> Filters:
        """Filters from the page's controls (or an API call's strings), refused when malformed or matching nothing."""
        raw = re.split(r"[,，、\s]+", issues) if isinstance(issues, str) else list(issues or ())
        numbers = []
        for x in (str(i).strip() for i in raw):
            if x and not x.lstrip("-").isdigit():
                raise UsageError(f"issue {x!r} is not a number", f"期次“{x}”不是数字（应为总期号）")
            numbers += [int(x)] if x else []
        names = re.split(r"[,，、]+", depts) if isinstance(depts, str) else list(depts or ())
        f = make_filters(numbers, date_from, date_to, (), names, labels=PAGE_LABELS)
        check_filters(self.archive, f)
        return f

    def ask(self, message: str, previous: Answer | None, filters: Filters) -> tuple[str, Answer]:
        """(the question as understood after resolving a follow-up, the answer)."""
        question, bound = bind_followup(message, previous, filters)
        return question, answer_question(self.archive, question, bound)

    def stream(self, message: str, previous: Answer | None, filters: Filters) -> Iterator[str | Answer]:
        """The LLM's words as they arrive, then the checked answer."""
        yield from stream_answer(self.archive, *bind_followup(message, previous, filters))

    def card_choices(self, ans: Answer) -> list[tuple[str, str]]:
        """(label, article id) of each cited article, once each, to open it."""
        return [(f"{s.year}年第{s.issue_no}期 第{s.page}版《{s.title}》", s.article_id)
                for s in _unique_sources(ans.citations) if s.article_id]

    def article_html(self, article_id: str | None, marks: list[str]) -> str:
        """The whole article, its evidence sentences highlighted."""
        a = self.archive.article(article_id) if article_id else None
        if a is None:
            return "<p>未找到该文章。</p>" if article_id else ""
        head = f"<h3>{esc(a.title)}</h3>" + (f"<h4>——{esc(a.subtitle)}</h4>" if a.subtitle else "")
        note = f"<p><b>编者按：</b>{highlight(a.editor_note, marks)}</p>" if a.editor_note else ""
        body = "".join(f"<p>{highlight(p, marks)}</p>" for p in a.paragraphs)
        ocr = (f'<p class="ocr">识别文本：本文由扫描件经 OCR 识别，平均置信度 {a.ocr_conf:.2f}，引用前请核对原件</p>'
               if a.ocr_conf < 1.0 else "")
        return f'<div class="article">{head}{card_html(a.source)}{ocr}{note}{body}</div>'

    def feedback(self, rating: int, comment: str, last: Answer | None) -> str:
        """Store 有帮助 / 有问题 on the last answer."""
        if last is None:
            return "请先提问，再评价答案 / ask a question first, then rate its answer"
        record(self.archive, last, rating, comment or "")
        return "已记录，谢谢！" + ("（有帮助）" if rating > 0 else "（有问题）")

    def check(self, claim: str) -> tuple[str, str]:
        """(verdict HTML, copy-ready citation lines)."""
        try:
            v = check(self.archive, claim)
        except Exception as exc:  # noqa: BLE001 - the page shows one line, never a stack trace
            return f"<p>{esc(error_text(exc))}</p>", ""
        return verdict_html(v), citation_lines(v.citations)

    def api_answer(self, question: str, issues: str | None = None, date_from: str | None = None,
                   date_to: str | None = None, departments: str | None = None) -> dict[str, Any]:
        """The JSON contract of `rag ask --json`, for API clients; issues and departments comma-separated."""
        try:
            return answer_question(self.archive, question, self.filters(issues, date_from, date_to, departments)).to_json()
        except Exception as exc:  # noqa: BLE001
            return {"error": error_text(exc)}

    # -- browsing --

    def pages_of(self, total_no: int | None) -> list[int]:
        """The page numbers of an issue."""
        return sorted({a.page for a in self.archive.articles(int(total_no))}) if total_no is not None else []

    def articles_on(self, total_no: int | None, page: int | None) -> list[tuple[str, str]]:
        """(title, id) of the articles on one page, each title once."""
        if total_no is None or page is None:
            return []
        arts = [a for a in self.archive.articles(int(total_no)) if a.page == int(page)]
        return list({a.title: (a.title, a.id) for a in reversed(arts)}.values())[::-1]

    def timeline_html(self, order: str = "newest", page: Any = 1, year: str | None = "",
                      department: str | None = "") -> str:
        """大事记: one page of date, event, source, one row per event, newest first or in order of time, of one year
        and byline department when chosen; with where the page stands."""
        rows = self.milestones() if order != "oldest" else self.milestones()[::-1]
        try:
            number = int(float(page or 1))
        except (TypeError, ValueError):
            number = 1
        got = timeline_page(rows, number, TIMELINE_PAGE, year or "", department or "")
        body = [[f'<td class="date">{m.date}</td>', f"<td>{esc(m.text)}</td>",
                 f'<td class="cite">{esc(m.citation.line())}</td>'] for m in got.rows]
        table = table_html(["日期", "事件", "出处"], body, "档案中还没有可列出的大事。" if not rows else "没有符合条件的大事。")
        status = f'<p class="pager">第 {got.page} / {got.pages} 页，共 {got.total} 条</p>' if got.total else ""
        return table + status

    def timeline_filters(self) -> tuple[list[str], list[str], int]:
        """(years, byline departments, pages) the 大事记's filters can choose from, with nothing chosen."""
        got = timeline_page(self.milestones(), 1, TIMELINE_PAGE)
        return list(got.years), list(got.departments), got.pages

    def entry_html(self, name: str | None, query: str = "") -> str:
        """One department or person with the articles they signed or appear in, each article once; with no name,
        the most mentioned names (those containing the query, when given) with their counts."""
        if not name:
            found = {k: directory_search(self.archive, query or "", k, DIRECTORY_SIZE) for k in KIND_ZH}
            return _overview_html(found)
        e = directory_entry(self.archive, name)
        if e is None:
            return ""
        out = [f"<h3>{esc(e.name)}（{KIND_ZH[e.kind]}）</h3>"]
        for label, arts in (("署名文章", e.bylines), ("提及的文章", e.mentions)):
            lines = dict.fromkeys(f"<li>{a.date} 第{a.issue_no}期 第{a.page}版《{esc(a.title)}》</li>" for a in arts)
            if lines:
                out.append(f"<p><b>{label}：</b></p><ul>{''.join(lines)}</ul>")
        return "".join(out)

    # -- admin: each action is checked here --

    def admit(self, password: str | None, client: str) -> str | None:
        """None when the admin password is right; otherwise the refusal to show (and the try is counted)."""
        expected = self.settings.server.admin_password
        if not expected:
            return ADMIN_OFF
        wait = self.admin_gate.wait(client)
        if wait > 0:
            return LOCKED.format(s=math.ceil(wait))
        if not hmac.compare_digest((password or "").encode(), expected.encode()):
            self.admin_gate.failed(client)
            log.warning("wrong admin password from %s", client or "?")
            return WRONG_PASSWORD
        self.admin_gate.passed(client)
        return None

    def upload(self, password: str, path: str | None, replace: bool, client: str = "", progress: Any = None) -> str:
        """An admin adds or replaces an issue; a bad file changes nothing."""
        refused = self.admit(password, client)
        if refused:
            return refused
        if not path:
            return "请选择要上传的院报文件（.txt、.pdf 或扫描图片） / choose a .txt, .pdf or scanned image file to upload"
        name, limit = Path(path).name, self.settings.server.max_upload_mb
        if Path(path).suffix.lower() not in UPLOAD_SUFFIXES:
            return (f"只接受 .txt、.pdf 或扫描图片（.png .jpg .tif）：{name} / "
                    f"only .txt, .pdf or scanned images (.png .jpg .tif) are accepted: {name}")
        if Path(path).stat().st_size > limit * 2**20:
            return f"文件超过 {limit} MB 的上限：{name} / the file is larger than {limit} MB: {name}"
        try:
            if progress:
                progress(0.05, desc="解析中")
            res = ingest_file(self.archive, Path(path), replace=bool(replace), progress=_stages(progress))
        except Exception as exc:  # noqa: BLE001
            return failure_text("导入失败，档案未改变", "import failed, the archive is unchanged", exc)
        log.info("admin %s ingested %s: %s", client or "?", name, res.status)
        ocr = f"，其中 {res.ocr_pages} 页为扫描件识别（每页 {res.ocr_seconds / res.ocr_pages:.1f} 秒）" if res.ocr_pages else ""
        return f"{INGEST_STATUS[res.status]}：{res.label}，{res.articles} 篇文章，{res.chunks} 个分块{ocr}。"

    def remove(self, password: str, total_no: str | int | None, client: str = "") -> str:
        """An admin removes one issue (by 总第M期)."""
        refused = self.admit(password, client)
        if refused:
            return refused
        try:
            text = str(total_no if total_no is not None else "").strip()
            if not re.fullmatch(r"-?\d+", text):
                raise UsageError(f"total number {text!r} is not a whole number", f"总期号“{text}”不是整数")
            number = int(text)
            if number < 1:
                raise UsageError(f"total number ({number}) must be a positive number", f"总期号必须是正整数，而不是 {number}")
            if not remove_issue(self.archive, number):
                raise UsageError(f"issue {number} is not in the archive", f"档案中没有总第{number}期")
        except Exception as exc:  # noqa: BLE001
            return failure_text("删除失败，档案未改变", "removal failed, the archive is unchanged", exc)
        log.info("admin %s removed issue %s", client or "?", number)
        return f"已删除总第{number}期 / removed issue {number}"

    def export_feedback(self, password: str, client: str = "") -> tuple[str, str | None]:
        """(message, path of a file of every rating as evaluation lines): admin only, it holds users' words."""
        refused = self.admit(password, client)
        if refused:
            return refused, None
        path = Path(tempfile.mkdtemp()) / "feedback_eval.jsonl"
        lines = export_eval_lines(self.archive)
        path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
        return f"已导出 {len(lines)} 条反馈 / exported {len(lines)} ratings", str(path)

    def rebuild(self, password: str, client: str = "") -> str:
        """An admin re-embeds every chunk with the configured model."""
        refused = self.admit(password, client)
        if refused:
            return refused
        try:
            n = rebuild_vectors(self.archive)
        except Exception as exc:  # noqa: BLE001
            return failure_text("重建失败", "rebuild failed", exc)
        return f"已重建 {n} 个分块的向量 / re-embedded {n} chunks"


def client_of(request: Any) -> str:
    """The address a request came from: what the back-off counts by."""
    return str(getattr(getattr(request, "client", None), "host", "") or "")


# ---- the layout ------------------------------------------------------------------------------------------------


def _chat_turn(page: Page, message: str, history: list[dict[str, Any]], filters: Filters, last: Answer | None
               ) -> Iterator[tuple[list[dict[str, Any]], Answer | None, list[tuple[str, str]], str]]:
    """One chat turn as (history, answer, cards, note) updates: the short answer first, then the rest."""
    history = [*history, {"role": "user", "content": esc(message)}]
    try:
        if page.settings.answer.mode == "llm":
            history.append({"role": "assistant", "content": ""})
            ans = None
            for item in page.stream(message, last, filters):
                if isinstance(item, Answer):
                    ans = item
                else:
                    history[-1] = {"role": "assistant", "content": history[-1]["content"] + esc(item)}
                    yield history, last, [], ""
            assert ans is not None
            question = resolve_followup(message, last)
        else:
            question, ans = page.ask(message, last, filters)
            history.append({"role": "assistant", "content": f"**{esc(ans.answer)}**"})
            yield history, ans, [], ""
    except Exception as exc:  # noqa: BLE001 - the page shows one line, never a stack trace
        if history[-1]["role"] == "assistant":
            history.pop()
        yield [*history, {"role": "assistant", "content": esc(error_text(exc))}], last, [], ""
        return
    history[-1] = {"role": "assistant", "content": answer_html(ans)}
    note = f"（已按上文理解为：{esc(question)}）" if question != message else ""
    yield history, ans, page.card_choices(ans), note


def _tab_ask(gr: Any, page: Page, last: Any) -> list[Any]:
    with gr.Accordion("筛选", open=False) as more, gr.Row():
        f_issue = gr.Dropdown(choices=page.issue_choices(), multiselect=True, label="期次（可输入年份、期号搜索）",
                              elem_id="ask-issue")
        f_from = gr.Textbox(label="起始日期", placeholder="YYYY-MM-DD")
        f_to = gr.Textbox(label="截止日期", placeholder="YYYY-MM-DD")
        f_dept = gr.Dropdown(choices=page.department_choices(), multiselect=True, label="署名科室")
    chat = gr.Chatbot(label="问答", height=460, elem_id="chat")
    with gr.Row():
        box = gr.Textbox(placeholder="请输入问题，例如：院报的主编是谁？", show_label=False, scale=8, elem_id="question")
        send = gr.Button("提问", variant="primary", scale=1, elem_id="ask")
    resolved = gr.Markdown()
    examples = gr.Examples(examples=[[q] for q in page.examples()], inputs=[box], label="示例问题")
    cards = gr.Radio(choices=[], label="引用（点击查看原文）", elem_id="cards")
    article = gr.HTML(elem_id="article")

    def ask(message: str, history: list[dict[str, Any]], iss: list[Any], dfrom: str, dto: str, depts: list[str],
            prev: Answer | None) -> Iterator[tuple[Any, ...]]:
        try:
            filters = page.filters(iss, dfrom, dto, depts)
        except RagError as exc:
            yield [*history, {"role": "assistant", "content": esc(error_text(exc))}], prev, gr.update(), "", ""
            return
        for hist, ans, choices, note in _chat_turn(page, message, history or [], filters, prev):
            yield hist, ans, gr.update(choices=choices, value=None), "", note

    inputs = [box, chat, f_issue, f_from, f_to, f_dept, last]
    outputs = [chat, last, cards, box, resolved]
    box.submit(ask, inputs, outputs)
    send.click(ask, inputs, outputs)
    cards.change(lambda a, s: page.article_html(a, [*s.evidence, s.answer] if s else []), [cards, last], [article])
    _feedback_row(gr, page, last)
    more.expand(lambda chosen: (gr.update(choices=page.issue_choices("", chosen)),
                                gr.update(choices=page.department_choices())),
                [f_issue], [f_issue, f_dept], api_visibility="private")
    _searchable(gr, page, f_issue)
    return [f_issue, f_dept, examples.dataset]


def _feedback_row(gr: Any, page: Page, last: Any) -> None:
    with gr.Row():
        comment = gr.Textbox(label="意见（可选）", scale=6)
        up = gr.Button("有帮助", scale=1, elem_id="helpful")
        down = gr.Button("有问题", scale=1, elem_id="unhelpful")
    fb_msg = gr.Markdown()
    up.click(lambda c, s: page.feedback(1, c, s), [comment, last], [fb_msg], api_name="rate_helpful")
    down.click(lambda c, s: page.feedback(-1, c, s), [comment, last], [fb_msg], api_name="rate_unhelpful")


def _tab_browse(gr: Any, page: Page) -> list[Any]:
    with gr.Row():
        b_issue = gr.Dropdown(choices=page.issue_choices(), label="期次（可输入年份、期号搜索）", value=None,
                              elem_id="browse-issue")
        b_page = gr.Radio(choices=[], label="版面")
    b_art = gr.Radio(choices=[], label="文章", elem_id="browse-articles")
    b_view = gr.HTML(elem_id="browse-article")

    def pages(total_no: int | None) -> Any:
        numbers = page.pages_of(total_no)
        return gr.update(choices=[(f"第{p}版", p) for p in numbers], value=numbers[0] if numbers else None)

    def articles(total_no: int | None, number: int | None) -> Any:
        arts = page.articles_on(total_no, number)
        return gr.update(choices=arts, value=arts[0][1] if arts else None)

    b_issue.change(pages, [b_issue], [b_page])
    b_page.change(articles, [b_issue, b_page], [b_art])
    b_art.change(lambda a: page.article_html(a, []), [b_art], [b_view])
    _searchable(gr, page, b_issue)
    return [b_issue]


def _searchable(gr: Any, page: Page, picker: Any) -> None:
    """An issue picker that holds the newest issues and, as one types, the issues matching what is typed (the
    archive's thousands of issues are never all sent to the browser)."""

    def search(chosen: Any, data: Any) -> Any:
        return gr.update(choices=page.issue_choices(getattr(data, "input_value", "") or "", chosen))

    search.__annotations__["data"] = gr.KeyUpData
    picker.key_up(search, [picker], [picker], api_visibility="private", show_progress="hidden", trigger_mode="always_last")


def _tab_check(gr: Any, page: Page) -> None:
    claim = gr.Textbox(label="要核查的说法", placeholder="例如：医院从某年起开展某项技术", elem_id="claim")
    button = gr.Button("核查", variant="primary", elem_id="check")
    verdict = gr.HTML(elem_id="verdict")
    line = gr.Textbox(label="可直接引用的出处", elem_id="citeline", buttons=["copy"])
    button.click(page.check, [claim], [verdict, line], api_name="check")
    claim.submit(page.check, [claim], [verdict, line], api_visibility="private")


def _tab_timeline(gr: Any, page: Page) -> list[Any]:
    with gr.Row():
        order = gr.Radio(choices=TIMELINE_ORDERS, value="newest", label="排序", elem_id="timeline-order")
        year = gr.Dropdown(choices=[("全部年份", "")], value="", label="年份", elem_id="timeline-year")
        dept = gr.Dropdown(choices=[("全部科室", "")], value="", label="署名科室", elem_id="timeline-dept")
    table = gr.HTML("", elem_id="timeline")
    with gr.Row():
        prev = gr.Button("上一页", size="sm", elem_id="timeline-prev")
        number = gr.Number(value=1, precision=0, minimum=1, label="页码", elem_id="timeline-page")
        after = gr.Button("下一页", size="sm", elem_id="timeline-next")
    inputs = [order, number, year, dept]
    for control in (order, year, dept):
        control.change(lambda o, y, d: (1, page.timeline_html(o, 1, y, d)), [order, year, dept], [number, table],
                       api_visibility="private")
    number.submit(page.timeline_html, inputs, [table], api_visibility="private")
    gr.Button(visible=False).click(page.timeline_html, inputs, [table], api_name="timeline")
    prev.click(lambda o, n, y, d: _turn(page, o, n, -1, y, d), inputs, [number, table], api_visibility="private")
    after.click(lambda o, n, y, d: _turn(page, o, n, 1, y, d), inputs, [number, table], api_visibility="private")
    return [order, number, year, dept, table]


def _turn(page: Page, order: str, number: Any, step: int, year: str, dept: str) -> tuple[int, str]:
    """(the page number after a step, that page of 大事记): a step past either end stays on the end page."""
    html = page.timeline_html(order, max(1, int(number or 1) + step), year, dept)
    shown = re.search(r"第 (\d+) / ", html)
    return (int(shown.group(1)) if shown else 1), html


def _tab_directory(gr: Any, page: Page) -> list[Any]:
    with gr.Row():
        query = gr.Textbox(label="搜索科室或人物", placeholder="输入名字的一部分", elem_id="directory-search", scale=3)
        kind = gr.Radio(choices=[("全部", ""), ("科室", "department"), ("人物", "person")], value="", label="类别",
                        elem_id="directory-kind", scale=2)
    pick = gr.Dropdown(choices=[], value=None, label="科室或人物（括号内为文章数）", elem_id="directory-pick")
    view = gr.HTML("", elem_id="directory-entry")

    def search(q: str, k: str) -> tuple[Any, str]:
        return gr.update(choices=page.entry_choices(q, k), value=None), page.entry_html(None, q)

    for event in (query.submit, query.change, kind.change):
        event(search, [query, kind], [pick, view], api_visibility="private", trigger_mode="always_last",
              show_progress="hidden")
    pick.change(lambda name, q: page.entry_html(name, q), [pick, query], [view], api_visibility="private")
    gr.Button(visible=False).click(page.entry_html, [pick], [view], api_name="directory_entry")
    return [pick, view, query, kind]


def _tab_admin(gr: Any, page: Page) -> list[Any]:
    gr.Markdown("以下操作都需要管理密码；同一地址连续输错 "
                f"{page.settings.server.lockout_failures} 次后须等待 {page.settings.server.lockout_seconds:g} 秒再试。")
    password = gr.Textbox(label="管理密码", type="password", elem_id="admin-password")
    with gr.Row():
        upload = gr.File(label="院报文件（.txt、.pdf 或扫描图片）", file_types=list(UPLOAD_SUFFIXES), elem_id="admin-file")
        with gr.Column():
            replace = gr.Checkbox(label="整期替换已有的同一期")
            do_upload = gr.Button("导入", variant="primary", elem_id="admin-upload")
            number = gr.Textbox(label="要删除的总期号", placeholder="例如 215", elem_id="admin-remove-no")
            do_remove = gr.Button("删除这一期", variant="stop")
    with gr.Row():
        do_export = gr.Button("导出反馈为评测数据")
        do_rebuild = gr.Button("重建向量索引")
    out = gr.Markdown(elem_id="admin-out")
    export_file = gr.File(label="反馈评测文件", visible=False)

    def run_upload(pw: str, file: Any, rep: bool, request: Any, progress: Any = gr.Progress()) -> str:
        path = file if isinstance(file, str) or file is None else file.name
        return page.upload(pw, path, rep, client_of(request), progress)

    def run_remove(pw: str, total_no: str | None, request: Any) -> str:
        return page.remove(pw, total_no, client_of(request))

    def run_export(pw: str, request: Any) -> tuple[str, str | None]:
        return page.export_feedback(pw, client_of(request))

    def run_rebuild(pw: str, request: Any) -> str:
        return page.rebuild(pw, client_of(request))

    for fn in (run_upload, run_remove, run_export, run_rebuild):
        # the annotation names gr.Request for Gradio, which reads it as a string it cannot resolve here
        fn.__annotations__["request"] = gr.Request
    export = do_export.click(run_export, [password], [out, export_file], api_name="export_feedback")
    export.then(lambda f: gr.update(visible=f is not None), [export_file], [export_file], api_visibility="private")
    return [do_upload.click(run_upload, [password, upload, replace], [out], api_name="upload"),
            do_remove.click(run_remove, [password, number], [out], api_name="remove_issue"), export,
            do_rebuild.click(run_rebuild, [password], [out], api_name="rebuild")]


def build_app(settings: Settings, archive: Archive | None = None, page: Page | None = None) -> Any:
    """The page: 问答, 浏览, 核查, 大事记, 科室与人物, 管理."""
    import gradio as gr

    page = page or Page(settings, archive)
    names = "、".join(sorted(page.archive.publications())) or "院报"
    with gr.Blocks(title="院报问答") as demo:
        gr.Markdown(f"# 院报问答 · {esc(names)}档案\n每个回答都注明期次与版面；档案中没有的内容会如实说明。")
        last = gr.State(None)
        with gr.Tab("问答") as t_ask:
            ask_lists = _tab_ask(gr, page, last)
        with gr.Tab("浏览") as t_browse:
            browse_lists = _tab_browse(gr, page)
        with gr.Tab("核查"):
            _tab_check(gr, page)
        with gr.Tab("大事记") as t_timeline:
            timeline_parts = _tab_timeline(gr, page)
        with gr.Tab("科室与人物") as t_directory:
            directory_parts = _tab_directory(gr, page)
        with gr.Tab("管理"):
            changes = _tab_admin(gr, page)
        api_inputs = [gr.Textbox(visible=False) for _ in range(5)]
        api_out = gr.JSON(visible=False)
        gr.Button(visible=False).click(page.api_answer, api_inputs, api_out, api_name="answer")
        order, number, year, dept, timeline = timeline_parts
        pick, view, query, kind = directory_parts
        lists = [*ask_lists, *browse_lists, timeline, pick, view, number, year, dept]

        def refresh(current_order: str, entry: str | None, chosen: list[Any] | None = None, browsing: Any = None,
                    page_no: Any = 1, year_now: str | None = "", dept_now: str | None = "", typed: str = "",
                    kind_now: str = "") -> list[Any]:
            years, depts, _ = page.timeline_filters()
            year_now = year_now if year_now in years else ""
            dept_now = dept_now if dept_now in depts else ""
            return [gr.update(choices=page.issue_choices("", chosen)), gr.update(choices=page.department_choices()),
                    gr.Dataset(samples=[[q] for q in page.examples()]), gr.update(choices=page.issue_choices("", browsing)),
                    page.timeline_html(current_order, page_no, year_now, dept_now),
                    gr.update(choices=page.entry_choices(typed, kind_now)), page.entry_html(entry, typed), page_no,
                    gr.update(choices=[("全部年份", ""), *[(y + "年", y) for y in years]], value=year_now),
                    gr.update(choices=[("全部科室", ""), *depts], value=dept_now)]

        # The lists are read from the catalog when the page loads, when a tab is opened and after every admin
        # change, so an issue added or removed shows everywhere without a restart. Each holds one page: the pickers
        # the newest issues (a search finds the others), 大事记 50 rows, the directory the most mentioned names.
        state = [order, pick, ask_lists[0], browse_lists[0], number, year, dept, query, kind]
        demo.load(refresh, state, lists, api_visibility="private")
        for tab in (t_ask, t_browse, t_timeline, t_directory):
            tab.select(refresh, state, lists, api_visibility="private")
        for change in changes:
            change.then(refresh, state, lists, api_visibility="private")
    return demo


# ---- serving ---------------------------------------------------------------------------------------------------

# Gradio picks its interface language from the browser's; this page speaks Chinese to every browser, the login
# form included (which Gradio renders before any of our components exist).
ZH_LOCALE = (b'<script>for (const [k, v] of [["language", "zh-CN"], ["languages", ["zh-CN", "zh"]]])'
             b' Object.defineProperty(navigator, k, {get: () => v});</script>')


class LoginGuard:
    """ASGI middleware in front of Gradio: back-off on the login form per client (Gradio's /login has none), and
    the Chinese interface for every browser."""

    def __init__(self, app: Any, gate: Gate) -> None:
        self.app, self.gate = app, gate

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        client = str((scope.get("client") or ("",))[0])
        if scope["method"] == "POST" and scope["path"].rstrip("/").endswith("/login"):
            return await self._login(scope, receive, send, client)
        if scope["method"] == "GET":
            return await self.app(scope, receive, _chinese_html(send))
        return await self.app(scope, receive, send)

    async def _login(self, scope: dict[str, Any], receive: Any, send: Any, client: str) -> None:
        wait = self.gate.wait(client)
        if wait > 0:
            body = json.dumps({"detail": LOCKED.format(s=math.ceil(wait))}, ensure_ascii=False).encode()
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})
            return await send({"type": "http.response.body", "body": body})

        async def watch(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status = message["status"]
                if status == 200:
                    self.gate.passed(client)
                elif status in (400, 401):
                    self.gate.failed(client)
                    log.warning("failed login from %s", client or "?")
            await send(message)

        await self.app(scope, receive, watch)


def _chinese_html(send: Any) -> Any:
    """A send() that puts ZH_LOCALE at the top of every HTML page."""
    held: list[dict[str, Any]] = []
    body: list[bytes] = []

    async def wrapped(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            kind = dict(message.get("headers") or []).get(b"content-type", b"")
            if not kind.startswith(b"text/html"):
                return await send(message)
            held.append(message)
            return None
        if not held:
            return await send(message)
        body.append(message.get("body", b""))
        if message.get("more_body"):
            return None
        page = b"".join(body).replace(b"<head>", b"<head>" + ZH_LOCALE, 1).replace(b'lang="en"', b'lang="zh-CN"', 1)
        headers = [(k, v) for k, v in held[0].get("headers") or [] if k.lower() != b"content-length"]
        await send({**held[0], "headers": [*headers, (b"content-length", str(len(page)).encode())]})
        await send({"type": "http.response.body", "body": page})
        return None

    return wrapped


def launch(settings: Settings, archive: Archive | None = None, **kwargs: Any) -> Any:
    """Start the page (127.0.0.1 unless settings say otherwise; login if settings give one; uploads limited)."""
    page = Page(settings, archive)
    demo = build_app(settings, page=page)
    server = settings.server
    auth = [(server.auth_user, server.auth_password)] if server.auth_user and server.auth_password else None
    demo.queue(default_concurrency_limit=8)
    return demo.launch(server_name=server.host, server_port=server.port, auth=auth, auth_message=LOGIN_MESSAGE,
                       css=CSS, quiet=True, max_file_size=f"{server.max_upload_mb}mb",
                       app_kwargs={"middleware": [Middleware(LoginGuard, gate=page.login_gate)]}, **kwargs)


def main() -> None:
    """python app.py"""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        settings = load_settings()
        settings.ensure_data_dir()
        archive = Archive(settings)
        archive.require_index()
        if refresh_listings(archive):  # once, for a catalog from before the directory and timeline tables
            log.info("built the directory and the timeline of %s", settings.data_dir)
    except RagError as exc:
        print(exc.user_message())
        if not isinstance(exc, IndexNotBuiltError):
            raise SystemExit(2) from None
    print(f"院报问答：http://{settings.server.host}:{settings.server.port}")
    launch(settings)


if __name__ == "__main__":
    main()
