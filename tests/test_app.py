"""The page: rendering, the Page handlers, several users at once, the admin actions and the login as an attacker
meets them, and a real browser (Debian's chromium, driven by Playwright) doing what a person would, taking the
screenshots in docs/. The archive is the two samples plus the issue written for the tests, embedded with the fake
embedder; answers are asked of the test issue."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import ARCHIVE, FIXTURES, HOSTILE, ROOT, FakeEmbeddings, fake_archive, hostile_issue, hostile_parsed_issue

import app
from ingest import document_issue, ingest_documents, ingest_issue, ingest_paths
from rag import Answer, Archive, Citation, RagError, Settings, Source, answer_question, load_settings

OUT = ROOT / "test-output"
DOCS = ROOT / "docs"
CHROMIUM = Path(os.environ.get("YBQA_TEST_CHROMIUM", "/usr/bin/chromium"))  # another path: to test a broken one
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
SOURCE = Source(total_no=215, issue_no=4, year=2026, date="2026-04-01", page=3, page_inferred=True, title="某<文章>",
                department="某科", author="张三", article_id="a1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("app") / "var"
    ingest_paths(fake_archive(dst), [ARCHIVE, FIXTURES / "issue_220.txt"])
    return dst


def _settings(data: Path, **kw: object) -> Settings:
    return load_settings(env={}, data_dir=data, **kw)


@pytest.fixture(scope="module")
def page(data: Path) -> app.Page:
    return app.Page(_settings(data), Archive(_settings(data), embeddings=FakeEmbeddings()))


def _serve(data: Path, **kw: object) -> str:
    settings = _settings(data, port=_free_port(), **kw)
    app.launch(settings, Archive(settings, embeddings=FakeEmbeddings()), prevent_thread_lock=True)
    return f"http://127.0.0.1:{settings.server.port}/"


@pytest.fixture(scope="module")
def server(data: Path) -> str:
    """The page with the admin password s3cret, a 1 MB upload limit and a short back-off (5 tries, then 1 s)."""
    return _serve(data, admin_password="s3cret", max_upload_mb=1, lockout_seconds=1.0)


@pytest.fixture(scope="module")
def login_server(data: Path) -> str:
    """The page behind a login (staff / pw-1), with a back-off of 1 s after 3 wrong tries."""
    return _serve(data, auth_user="staff", auth_password="pw-1", admin_password="s3cret", lockout_failures=3,
                  lockout_seconds=1.0)


def _copy(data: Path, tmp_path: Path) -> Path:
    local = tmp_path / "var"
    shutil.copytree(data, local)
    return local


def _listing(data: Path) -> list[tuple[int, str]]:
    return [(i.total_no, i.content_key) for i in Archive(_settings(data)).issues()]


def _one_line_zh_en(message: str) -> bool:
    """One line, Chinese first, then ' / ' and the English."""
    zh, _, en = message.partition(" / ")
    return "\n" not in message and bool(re.match(r"[\u4e00-\u9fff]", zh)) and bool(re.match(r"[A-Za-z-]", en))




# ---- rendering ---------------------------------------------------------------------------------------------------


def test_cards_show_issue_date_page_inferred_title_and_byline_escaped() -> None:
    assert app.card_html(SOURCE) == (
        '<div class="card"><span class="issue">2026年第4期（总第215期）</span> · 2026-04-01 · 第3版'
        '<span class="inferred">（推断）</span><br>《某&lt;文章&gt;》<br>某科 · 张三</div>')


def test_answer_shows_short_answer_then_highlighted_evidence_then_cards(page: app.Page) -> None:
    _, ans = page.ask("第三季度住院患者平均住院日是多少天？", None, app.Filters())
    out = app.answer_html(ans)
    assert out.startswith("**7.2天**\n\n> ")
    assert "<mark>7.2天</mark>" in out and out.index("<mark>") < out.index('class="card"')
    assert "2026年第9期（总第220期）</span> · 2026-09-01 · 第1版" in out


def test_archive_text_stays_text_wherever_it_is_shown(tmp_path: Path, data: Path) -> None:
    local = _copy(data, tmp_path)
    archive = Archive(_settings(local), embeddings=FakeEmbeddings())
    ingest_issue(archive, hostile_parsed_issue(tmp_path), "hostile.txt")
    p = app.Page(_settings(local), archive)
    art = next(a for a in archive.articles(231) if "角膜移植" in a.title)
    ans = Answer(question="q", answer="**角膜移植**", abstained=False, evidence=(art.paragraphs[0],),
                 citations=(Citation(art.source, art.paragraphs[0]),))
    shown = {
        "timeline": p.timeline_html(), "directory": p.entry_html("王芳"), "article": p.article_html(art.id, ["角膜移植"]),
        "answer": app.answer_html(ans), "card": app.card_html(art.source),
    }
    for where, html_text in shown.items():
        assert HOSTILE.split(" ")[0] not in html_text, where  # no <img
        assert html_text.count("**") == (2 if where == "answer" else 0), where  # only the page's own bold answer
        assert "&lt;img src=x onerror=alert(1)&gt;" in html_text, where  # shown as the text it is
        assert "&#42;&#42;角膜移植&#42;&#42;" in html_text or where == "directory", where
    assert app.esc("a|b[c](d)`e`$f$_g_") == "a&#124;b&#91;c&#93;(d)&#96;e&#96;&#36;f&#36;&#95;g&#95;"


def test_the_article_view_is_the_whole_article_with_the_evidence_marked(page: app.Page) -> None:
    _, ans = page.ask("第三季度住院患者平均住院日是多少天？", None, app.Filters())
    aid = ans.citations[0].source.article_id
    assert page.card_choices(ans)[0] == ("2026年第9期 第1版《医院召开第三季度医疗质量分析会》", aid)
    view = page.article_html(aid, list(ans.evidence))
    assert view.startswith('<div class="article"><h3>医院召开第三季度医疗质量分析会</h3>')
    assert view.count("<mark>") == 1 and "<mark>会议通报了本季度住院患者平均住院日为7.2天，较上季度缩短0.4天。</mark>" in view
    assert page.article_html("no-such-id", []) == "<p>未找到该文章。</p>" and page.article_html(None, []) == ""


def test_an_article_cited_twice_is_one_card_and_one_choice(page: app.Page) -> None:
    _, ans = page.ask("第三季度住院患者平均住院日是多少天？", None, app.Filters())
    cite = ans.citations[0]
    twice = replace(ans, citations=(cite, Citation(cite.source, "另一句。"), cite))
    assert len(page.card_choices(twice)) == 1
    assert app.answer_html(twice).count('class="card"') == 1


def test_browse_lists_pages_and_articles_of_an_issue(page: app.Page) -> None:
    assert page.pages_of(220) == [1, 2, 3, 4] and page.pages_of(None) == []
    assert [t for t, _ in page.articles_on(220, 4)] == ["职工羽毛球比赛圆满落幕"]
    assert page.articles_on(220, None) == [] and page.articles_on(999, 1) == []
    assert (("2026年第9期（总第220期）", 220) in page.issue_choices()) and len(page.issue_choices()) == 3


def test_example_questions_come_from_the_archive_and_are_answerable(page: app.Page) -> None:
    examples = app.example_questions(page.archive)
    assert examples[0] == "院报的主编是谁？" and len(examples) == 6
    assert [q for q in examples if answer_question(page.archive, q).abstained] == []


def test_bad_filters_are_named_and_unexpected_errors_are_one_line_without_trace(page: app.Page) -> None:
    with pytest.raises(RagError) as err:
        page.filters([], "2026/04/01", "", [])
    assert err.value.user_message() == ("起始日期 “2026/04/01” 不是有效日期，应写作 YYYY-MM-DD / "
                                        "start date ('2026/04/01') is not a date written YYYY-MM-DD")
    with pytest.raises(RagError, match="issue 999 is not in the archive"):
        page.filters([999], "", "", [])
    with pytest.raises(RagError, match="is after"):
        page.filters([], "2026-12-01", "2026-01-01", [])
    assert page.filters(["220"], " 2026-01-01 ", "", ["眼科"]) == app.Filters(
        total_nos=(220,), date_from="2026-01-01", departments=("眼科",))
    assert app.error_text(ValueError("boom")) == app.UNEXPECTED
    assert app.error_text(RagError("x", "出错了")) == "出错了 / x"


def test_messages_keep_server_paths_and_addresses_to_the_log(page: app.Page, tmp_path: Path) -> None:
    tmp = tmp_path / "gradio" / "0123abcd"
    tmp.mkdir(parents=True)
    bad = tmp / "broken.txt"
    bad.write_bytes(b"\x00\x01" * 50)
    out = app.Page(replace(page.settings, server=replace(page.settings.server, admin_password="pw")),
                   page.archive).upload("pw", str(bad), False)
    assert out == ("导入失败，档案未改变：不是文本文件：broken.txt / import failed, the archive is unchanged: broken.txt: this is a "
                   "binary file, not text")
    assert str(tmp_path) not in out and "/tmp" not in out
    leaky = RagError("cannot reach http://10.0.0.5:8000/v1 from /srv/ybqa/var/cache/x.bin", "连不上 http://10.0.0.5:8000/v1")
    assert app.error_text(leaky) == "连不上 （地址略） / cannot reach （地址略） from x.bin"


def test_feedback_buttons_and_every_label_render_without_an_emoji_font(data: Path) -> None:
    demo = app.build_app(_settings(data), Archive(_settings(data), embeddings=FakeEmbeddings()))
    text = json.dumps(demo.config, ensure_ascii=False, default=str)
    emoji = [ch for ch in text if ord(ch) >= 0x1F000 or 0x2600 <= ord(ch) <= 0x27BF]
    assert emoji == []
    labels = {c["props"].get("value") for c in demo.config["components"] if c["type"] == "button"}
    assert {"有帮助", "有问题"} <= labels


def test_feedback_is_stored_and_exported_by_an_admin_as_eval_lines(tmp_path: Path, data: Path) -> None:
    local = _copy(data, tmp_path)
    p = app.Page(_settings(local, admin_password="s3cret"), Archive(_settings(local), embeddings=FakeEmbeddings()))
    assert p.feedback(1, "", None) == "请先提问，再评价答案 / ask a question first, then rate its answer"
    _, good = p.ask("谁介绍了飞秒激光的优点？", None, app.Filters())
    _, bad = p.ask("医院的停车费多少钱？", None, app.Filters())
    assert p.feedback(1, "", good) == "已记录，谢谢！（有帮助）" and p.feedback(-1, " 没有答案 ", bad) == "已记录，谢谢！（有问题）"
    assert p.export_feedback("guess", "10.0.0.9") == (app.WRONG_PASSWORD, None)
    message, path = p.export_feedback("s3cret", "10.0.0.9")
    assert message == "已导出 2 条反馈 / exported 2 ratings" and path is not None
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    assert [(x["question"], x["answers"], x["sources"], x["rating"], x["comment"]) for x in map(json.loads, lines)] == [
        ("谁介绍了飞秒激光的优点？", ["王芳"], [{"issue": 220, "page": 2}], 1, ""),
        ("医院的停车费多少钱？", [], [], -1, "没有答案")]


def test_follow_up_questions_resolve_against_the_previous_turn(page: app.Page) -> None:
    _, first = page.ask("谁介绍了飞秒激光的优点？", None, app.Filters())
    question, _ = page.ask("那他是哪个科室的？", first, app.Filters())
    assert question == "王芳是哪个科室的？"
    assert page.ask("院报的主编是谁？", first, app.Filters())[0] == "院报的主编是谁？"


def test_timeline_is_a_table_of_dated_milestones_in_either_order(page: app.Page) -> None:
    newest, oldest = page.timeline_html("newest"), page.timeline_html("oldest")
    assert newest.startswith('<table class="list"><thead><tr><th>日期</th><th>事件</th><th>出处</th></tr></thead>')
    dates = re.findall(r'<td class="date">([^<]*)</td>', newest)
    assert dates[0] == "2026-06-11" and dates[-1] == "2005年" and re.findall(r'<td class="date">([^<]*)</td>', oldest) == dates[::-1]
    first = [r for r in newest.split("<tr>") if "飞秒激光" in r]
    assert len(first) == 1 and "2026年第9期（总第220期）" in first[0] and "首例" in first[0]
    assert [label for label, _ in app.TIMELINE_ORDERS] == ["最新在前", "按时间顺序"]


def test_directory_lists_departments_and_people_with_their_articles_once_each(page: app.Page) -> None:
    names = [n for _, n in page.entry_choices()]
    assert "王芳" in names and "眼科" in names and ("王芳（人物，2篇）", "王芳") in page.entry_choices()
    assert page.entry_html("王芳") == (
        "<h3>王芳（人物）</h3><p><b>署名文章：</b></p><ul><li>2026-09-01 第9期 第2版《眼科完成首例飞秒激光白内障手术》</li></ul>"
        "<p><b>提及的文章：</b></p><ul><li>2026-04-01 第4期 第2版《我院开展护理核心制度与专业技能专题培训》</li></ul>")
    assert page.entry_html("无此人") == ""
    overview = page.entry_html(None)
    assert overview.startswith("<p><b>科室（") and "<p><b>人物（" in overview


def test_a_claim_is_judged_with_a_copy_ready_citation_line(page: app.Page) -> None:
    verdict, line = page.check("第三季度住院患者平均住院日为8.5天")
    assert verdict.startswith('<p class="verdict-contradicted">与档案不符（contradicted）</p>')
    assert line == ("「会议通报了本季度住院患者平均住院日为7.2天，较上季度缩短0.4天。」——2026年第9期（总第220期） · 2026-09-01 · "
                    "第1版 · 《医院召开第三季度医疗质量分析会》（医务部 张明）")
    assert page.check("")[0].startswith("<p>问题为空")


# ---- the admin model: every action checked in the handler --------------------------------------------------------


def test_the_admin_password_is_compared_in_constant_time_and_backs_off_per_client(
        data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    p = app.Page(_settings(data, admin_password="s3cret"), Archive(_settings(data), embeddings=FakeEmbeddings()),
                 clock=lambda: now[0])
    compared: list[tuple[bytes, bytes]] = []
    real = app.hmac.compare_digest
    monkeypatch.setattr(app.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))
    for _ in range(5):
        assert p.admit("guess", "10.0.0.1") == app.WRONG_PASSWORD
    assert compared == [(b"guess", b"s3cret")] * 5
    assert p.admit("s3cret", "10.0.0.1") == app.LOCKED.format(s=60)  # even the right password waits
    assert p.admit("s3cret", "10.0.0.2") is None  # another client is not held up
    now[0] += 61
    assert p.admit("guess", "10.0.0.1") == app.WRONG_PASSWORD
    assert p.admit("s3cret", "10.0.0.1") == app.LOCKED.format(s=120)  # each further failure doubles the wait
    now[0] += 121
    assert p.admit("s3cret", "10.0.0.1") is None
    assert p.admit("guess", "10.0.0.1") == app.WRONG_PASSWORD  # a success starts afresh
    off = app.Page(_settings(data), p.archive)
    assert off.admit("anything", "10.0.0.1") == app.ADMIN_OFF


def test_admin_endpoints_refuse_a_non_admin_whatever_the_client(server: str, data: Path, tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    client = Client(server, verbose=False)
    before = _listing(data)
    new_issue = hostile_issue(tmp_path, 232)
    calls = {
        "/upload": lambda pw: client.predict(pw, handle_file(str(new_issue)), True, api_name="/upload"),
        "/remove_issue": lambda pw: client.predict(pw, 215, api_name="/remove_issue"),
        "/export_feedback": lambda pw: client.predict(pw, api_name="/export_feedback")[0],
        "/rebuild": lambda pw: client.predict(pw, api_name="/rebuild"),
    }
    for name, call in calls.items():
        assert call("") == app.WRONG_PASSWORD, name
    assert client.predict("", api_name="/export_feedback")[1] is None  # the 5th wrong try
    assert _listing(data) == before
    assert client.predict("s3cret", api_name="/rebuild") == app.LOCKED.format(s=1)  # backed off, through the API too
    time.sleep(1.1)
    assert client.predict("s3cret", api_name="/export_feedback")[0].startswith("已导出")  # and a right one resets it


def test_admin_endpoints_are_off_without_an_admin_password(data: Path) -> None:
    from gradio_client import Client

    client = Client(_serve(data), verbose=False)
    before = _listing(data)
    assert client.predict("", 215, api_name="/remove_issue") == app.ADMIN_OFF
    assert client.predict("x", api_name="/export_feedback") == (app.ADMIN_OFF, None)
    assert client.predict("x", api_name="/rebuild") == app.ADMIN_OFF
    assert _listing(data) == before


def test_uploads_are_size_limited_before_any_handler(server: str, data: Path) -> None:
    assert load_settings(env={}).server.max_upload_mb == 50
    big = httpx.post(f"{server}gradio_api/upload", files={"files": ("big.txt", b"x" * (2 * 2**20))}, timeout=30)
    assert big.status_code == 413
    small = httpx.post(f"{server}gradio_api/upload", files={"files": ("small.txt", b"x" * 1000)}, timeout=30)
    assert small.status_code == 200


def test_the_login_backs_off_per_client_and_speaks_chinese(login_server: str) -> None:
    login = f"{login_server}login"
    for _ in range(3):
        assert httpx.post(login, data={"username": "staff", "password": "guess"}).status_code == 400
    locked = httpx.post(login, data={"username": "staff", "password": "pw-1"})
    assert locked.status_code == 429 and locked.json()["detail"] == app.LOCKED.format(s=1)
    time.sleep(1.1)
    assert httpx.post(login, data={"username": "staff", "password": "pw-1"}).status_code == 200
    page_html = httpx.get(login_server).text
    assert app.ZH_LOCALE.decode() in page_html and app.LOGIN_MESSAGE in page_html and 'lang="zh-CN"' in page_html


def test_the_optional_login_keeps_out_who_has_no_password(login_server: str) -> None:
    from gradio_client import Client

    with pytest.raises(Exception):  # noqa: B017 - the client's error type differs by version
        Client(login_server, verbose=False).predict("医务部主任是谁？", api_name="/answer")
    got = Client(login_server, auth=("staff", "pw-1"), verbose=False).predict("医务部主任是谁？", api_name="/answer")
    assert got["answer"] == "张明"


# ---- lists follow the catalog ---------------------------------------------------------------------------------


def _refresh(demo: Any) -> Any:
    return next(fn.fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "refresh")


def test_every_list_is_read_again_on_load_on_opening_a_tab_and_after_each_admin_change(tmp_path: Path,
                                                                                        data: Path) -> None:
    local = _copy(data, tmp_path)
    settings = _settings(local, admin_password="s3cret")
    demo = app.build_app(settings, Archive(settings, embeddings=FakeEmbeddings()))
    refresh = _refresh(demo)
    triggers = [event for fn in demo.fns.values() if fn.fn is refresh for _, event in fn.targets]
    assert triggers.count("load") == 1 and triggers.count("select") == 4  # 问答, 浏览, 大事记, 科室与人物
    admin = {fn._id: fn.api_name for fn in demo.fns.values()}
    followed = {admin[fn.trigger_after] for fn in demo.fns.values() if fn.fn is refresh and fn.trigger_after is not None}
    assert followed == {"upload", "remove_issue", "export_feedback", "rebuild"}
    ingest_paths(fake_archive(local), [hostile_issue(tmp_path)])  # another process adds an issue
    issues, depts, examples, browse, timeline, entries, _, _, years, _ = refresh("newest", None)
    assert ("2026年第10期（总第231期）", 231) in issues["choices"] and browse["choices"] == issues["choices"]
    assert "角膜移植" in timeline and "刘建华" in [name for _, name in entries["choices"]]
    assert ("2026年", "2026") in years["choices"]
    assert "眼科" in depts["choices"] and examples.samples


def _many_issues(data: Path, count: int) -> Archive:
    """count one-article issues of the newspaper, one a month from 2020-01, 总第1001期 onwards."""
    arch = fake_archive(data)
    issues = []
    for n in range(count):
        day = f"{2020 + n // 12}-{n % 12 + 1:02d}-20"
        doc = document_issue(1001 + n, f"doc{n}", f"第{n}篇报道", f"{n % 12 + 1}月5日，医院首次开展第{n}项新技术。", day)
        issues.append(replace(doc, kind="newspaper", publication="某报", year=int(day[:4]), issue_no=n % 12 + 1))
    ingest_documents(arch, issues)
    return arch


def test_issue_pickers_hold_the_newest_issues_and_find_the_others_by_search(tmp_path: Path) -> None:
    arch = _many_issues(tmp_path / "var", app.PICKER_SIZE + 10)
    settings = _settings(tmp_path / "var", port=_free_port())
    page = app.Page(settings, arch)
    newest = page.issue_choices()
    assert len(newest) == app.PICKER_SIZE and newest[0] == ("2023年第4期（总第1040期）", 1040)
    assert ("2020年第1期（总第1001期）", 1001) not in newest
    # a search by number, by year, or both, reaches every issue; what is chosen stays in the list
    assert page.issue_choices("1001") == [("2020年第1期（总第1001期）", 1001)]
    assert [n for _, n in page.issue_choices("2020年")] == list(range(1012, 1000, -1))
    assert [n for _, n in page.issue_choices("2021 第3期")] == [1015]
    assert page.issue_choices("1015", keep=[1001])[0] == ("2020年第1期（总第1001期）", 1001)
    assert page.issue_choices("没有这样的期次") == []
    # the page as first sent holds only the newest issues
    app.launch(settings, arch, prevent_thread_lock=True)
    html = httpx.get(f"http://127.0.0.1:{settings.server.port}/", timeout=60).text
    assert "总第1040期" in html and "总第1001期" not in html and "总第1010期" not in html


def test_the_timeline_tab_shows_pages_of_fifty_rows_with_filters(tmp_path: Path) -> None:
    arch = _many_issues(tmp_path / "var", 60)
    page = app.Page(_settings(tmp_path / "var"), arch)
    first, last = page.timeline_html("newest", 1), page.timeline_html("newest", 2)
    dates = re.findall(r'<td class="date">([^<]*)</td>', first)
    assert len(dates) == app.TIMELINE_PAGE == 50 and "第 1 / 2 页，共 60 条" in first
    assert len(re.findall(r'<td class="date">', last)) == 10 and "第 2 / 2 页" in last
    assert page.timeline_html("newest", 7) == last == page.timeline_html("newest", 2.0)  # past the end: the last page
    of_2021 = page.timeline_html("newest", 1, "2021")
    assert re.findall(r'<td class="date">([^<]*)</td>', of_2021) == [f"2021-{m:02d}-05" for m in range(12, 0, -1)]
    assert "共 12 条" in of_2021
    years, depts, pages = page.timeline_filters()
    assert years == ["2024", "2023", "2022", "2021", "2020"] and depts == [] and pages == 2
    assert "没有符合条件的大事" in page.timeline_html("newest", 1, "1999")


# ---- several users, the LLM, an empty archive --------------------------------------------------------------------


def test_eight_users_at_once_each_get_their_own_answer_and_citation(server: str) -> None:
    from gradio_client import Client

    cases = {
        "眼科的飞秒激光白内障手术用时多少分钟？": ("15分钟", 220, 2), "谁介绍了飞秒激光的优点？": ("王芳", 220, 2),
        "第三季度住院患者平均住院日是多少天？": ("7.2天", 220, 1), "心血管内科为多少名居民测量了血压？": ("200余名", 220, 3),
        "医务部主任是谁？": ("张明", 220, 1), "第9期院报的副主编是谁？": ("王雅楠", 220, 1),
        "医疗质量分析会是哪天召开的？": ("8月28日", 220, 1), "第9期院报是哪天出版的？": ("2026年9月1日（星期二，农历丙午年七月二十，2026-09-01）", 220, 1),
    }

    def ask(q: str) -> dict:  # type: ignore[type-arg]
        return Client(server, verbose=False).predict(q, api_name="/answer")  # type: ignore[no-any-return]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = dict(zip(cases, pool.map(ask, cases)))
    got = {q: (r["answer"], r["citations"][0]["total_no"], r["citations"][0]["page"]) for q, r in results.items()}
    assert got == cases


def test_the_answer_api_takes_filters_and_names_a_bad_one(server: str) -> None:
    from gradio_client import Client

    client = Client(server, verbose=False)
    got = client.predict("医务部主任是谁？", "220", "2026-01-01", "2026-12-31", "医务部", api_name="/answer")
    assert got["answer"] == "张明"
    assert client.predict("医务部主任是谁？", "220, 9999", api_name="/answer") == {
        "error": "档案中没有总第9999期 / issue 9999 is not in the archive"}


def test_admin_upload_needs_the_password_and_a_bad_file_changes_nothing(server: str, tmp_path: Path,
                                                                         data: Path) -> None:
    from gradio_client import Client, handle_file

    client = Client(server, verbose=False)
    before = _listing(data)
    new_issue = tmp_path / "issue_230.txt"
    new_issue.write_text((FIXTURES / "issue_220.txt").read_text(encoding="utf-8").replace(
        "第9期总第220期", "第10期总第230期").replace("2026年9月\n1\n星期二", "2026年10月\n1\n星期四"), encoding="utf-8")
    assert client.predict("wrong", handle_file(str(new_issue)), False, api_name="/upload") == app.WRONG_PASSWORD
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    out = client.predict("s3cret", handle_file(str(bad)), False, api_name="/upload")
    assert out == ("导入失败，档案未改变：不是文本文件：broken.txt / import failed, the archive is unchanged: broken.txt: this is a "
                   "binary file, not text")
    assert _listing(data) == before
    ok = client.predict("s3cret", handle_file(str(new_issue)), False, api_name="/upload")
    assert ok == "已新增：2026年第10期（总第230期），4 篇文章，4 个分块。"
    assert [n for n, _ in _listing(data)] == [n for n, _ in before] + [230]
    assert client.predict("s3cret", 230, api_name="/remove_issue") == "已删除总第230期 / removed issue 230"
    assert _listing(data) == before


def _ask_handler(demo):  # type: ignore[no-untyped-def]
    return next(fn.fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "ask")


def test_the_page_streams_an_llm_answer_and_shows_an_unreachable_llm_as_one_line(data: Path) -> None:
    from fake_llm import FakeLLM

    with FakeLLM(reply="王芳\n眼科主任王芳介绍了飞秒激光 [1]。") as llm:
        settings = _settings(data, answer_mode="llm", llm_base_url=llm.base_url, llm_model="m")
        ask = _ask_handler(app.build_app(settings, Archive(settings, embeddings=FakeEmbeddings())))
        texts = [step[0][-1]["content"] for step in ask("谁介绍了飞秒激光的优点？", [], [], "", "", [], None)]
    assert len(texts) > 3 and texts[0] != texts[-2]  # the reply grew piece by piece
    assert texts[-1].startswith("**王芳**") and 'class="card"' in texts[-1]
    dead = _settings(data, answer_mode="llm", llm_base_url="http://127.0.0.1:9/v1", llm_model="m")
    ask = _ask_handler(app.build_app(dead, Archive(dead, embeddings=FakeEmbeddings())))
    last = list(ask("谁介绍了飞秒激光的优点？", [], [], "", "", [], None))[-1][0][-1]["content"]
    assert last.startswith("无法连接大模型服务") and "Traceback" not in last and "127.0.0.1" not in last


def test_a_hung_llm_ends_in_a_timeout_note_and_the_extractive_answer(data: Path) -> None:
    from fake_llm import FakeLLM

    with FakeLLM(reply="x [1]", mode="slow", delay=3) as llm:
        settings = _settings(data, answer_mode="llm", llm_base_url=llm.base_url, llm_model="m", llm_timeout=1.0)
        ask = _ask_handler(app.build_app(settings, Archive(settings, embeddings=FakeEmbeddings())))
        last = list(ask("谁介绍了飞秒激光的优点？", [], [], "", "", [], None))[-1][0][-1]["content"]
    assert last.startswith("**王芳**") and 'class="card"' in last
    assert "大模型服务在 1 秒内没有响应，以下为抽取式答案" in last and "ValueError" not in last and llm.base_url not in last


def test_an_empty_archive_is_a_message_on_the_page_not_a_stack_trace(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "empty")
    ask = _ask_handler(app.build_app(settings, Archive(settings, embeddings=FakeEmbeddings())))
    last = [step[0][-1]["content"] for step in ask("院长是谁？", [], [], "", "", [], None)][-1]
    assert last == "索引尚未建立，请先运行 python &#45;m ingest / the archive is empty: run &#96;python &#45;m ingest archive/&#96; first"


def test_citation_line_is_copy_ready() -> None:
    assert Citation(SOURCE, "q").line() == "2026年第4期（总第215期） · 2026-04-01 · 第3版（推断） · 《某<文章>》（某科 张三）"


# ---- a real browser ---------------------------------------------------------------------------------------------


def chromium(sync_api: Any, executable: Path = CHROMIUM) -> tuple[Any, Any]:
    """(Playwright, Debian's chromium), or a skip when it cannot start here; in CI (CI=true) that is a failure,
    so CI cannot stay green without the browser test."""
    try:
        if not executable.exists():
            raise FileNotFoundError(f"{executable} is missing (make test installs Debian's chromium)")
        pw = sync_api.sync_playwright().start()
        try:
            return pw, pw.chromium.launch(executable_path=str(executable), args=CHROMIUM_FLAGS, headless=True)
        except Exception:
            pw.stop()
            raise
    except Exception as exc:  # noqa: BLE001 - whatever stops the browser, the verdict is the same
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"chromium could not start in CI, and the browser test must run there: {exc}")
        pytest.skip(f"chromium could not start: {exc}")


def _sync_api() -> Any:
    try:
        import playwright.sync_api as sync_api
    except ImportError as exc:
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"playwright is missing in CI, and the browser test must run there: {exc}")
        pytest.skip("playwright is not installed")
    return sync_api


def test_in_ci_a_browser_that_cannot_start_fails_the_test_instead_of_skipping(monkeypatch: pytest.MonkeyPatch) -> None:
    sync_api = _sync_api()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="could not start in CI"):
        chromium(sync_api, Path("/nonexistent/chromium"))
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        chromium(sync_api, Path("/nonexistent/chromium"))


@pytest.mark.parametrize("broken", ["chromium", "playwright"])
def test_in_ci_the_browser_test_fails_rather_than_skips(tmp_path: Path, broken: str) -> None:
    """The real browser test, run by pytest as CI runs it, with a chromium that cannot start (/bin/false) or no
    Playwright at all: it must fail, not skip, so that CI cannot stay green without it."""
    env = {**os.environ, "CI": "true"}
    if broken == "chromium":
        env["YBQA_TEST_CHROMIUM"] = "/bin/false"
    else:
        (tmp_path / "playwright").mkdir()
        (tmp_path / "playwright" / "__init__.py").write_text(  # as if it were not installed
            "raise ModuleNotFoundError(\"No module named 'playwright'\", name='playwright')\n")
        env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")])
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          f"{Path(__file__)}::test_a_person_uses_every_tab_in_a_real_browser"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and "skipped" not in run.stdout, run.stdout[-2000:]
    assert "1 error" in run.stdout and "must run there" in run.stdout


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, started before the pages it will visit (so that a browser that cannot start fails
    fast, before any server is launched)."""
    pw, started = chromium(_sync_api())
    yield started
    started.close()
    pw.stop()


def _shot(tab: Any, name: str) -> Path:
    """A screenshot in 64 colours (so that it stays small), into test-output/; into docs/ when
    YBQA_UPDATE_SCREENSHOTS=1 (a test run does not change tracked files unless asked to)."""
    from PIL import Image

    folder = DOCS if os.environ.get("YBQA_UPDATE_SCREENSHOTS") == "1" else OUT
    folder.mkdir(exist_ok=True)
    path = folder / f"screenshot-{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    Image.open(path).convert("RGB").quantize(colors=64).save(path, optimize=True)
    assert path.stat().st_size < 200_000, f"{path.name} is {path.stat().st_size} bytes"
    return path


def _pick(tab: Any, dropdown: str, option: str) -> None:
    tab.locator(f"{dropdown} input").click()
    tab.get_by_role("option", name=option).click()


@pytest.mark.browser
def test_a_person_uses_every_tab_in_a_real_browser(browser: Any, server: str, login_server: str, data: Path,
                                                   tmp_path: Path) -> None:
    OUT.mkdir(exist_ok=True)
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.goto(server)
    # 问答: the short answer, its evidence and card; the whole article from the card; a rating without emoji
    tab.locator("#question textarea").fill("第三季度住院患者平均住院日是多少天？")
    tab.locator("#ask").click()
    tab.locator("#chat").get_by_text("7.2天").first.wait_for(timeout=60_000)
    tab.locator("#chat .card").get_by_text("第1版").first.wait_for(timeout=30_000)
    _shot(tab, "chat")
    tab.locator("#cards label").first.click()
    tab.locator("#article h3").get_by_text("医院召开第三季度医疗质量分析会").wait_for(timeout=30_000)
    assert tab.locator("#article mark").count() == 1
    tab.locator("#helpful").click()
    tab.get_by_text("已记录，谢谢！（有帮助）").wait_for(timeout=30_000)
    tab.screenshot(path=str(OUT / "article.png"), full_page=True)
    # 浏览: issue → page → article
    tab.get_by_role("tab", name="浏览").click()
    _pick(tab, "#browse-issue", "2026年第9期（总第220期）")
    tab.locator("#browse-article h3").get_by_text("医院召开第三季度医疗质量分析会").wait_for(timeout=30_000)
    _shot(tab, "browse")
    # 核查
    tab.get_by_role("tab", name="核查").click()
    tab.locator("#claim textarea").fill("第三季度住院患者平均住院日为8.5天")
    tab.locator("#check").click()
    tab.locator("#verdict").get_by_text("与档案不符").wait_for(timeout=60_000)
    assert "7.2" in tab.locator("#verdict").inner_text()
    _shot(tab, "check")
    # 大事记, oldest first
    tab.get_by_role("tab", name="大事记").click()
    tab.locator("#timeline-order").get_by_text("按时间顺序").click()
    tab.locator("#timeline tbody tr td.date").first.get_by_text("2005年").wait_for(timeout=30_000)
    _shot(tab, "timeline")
    # 科室与人物
    tab.get_by_role("tab", name="科室与人物").click()
    _pick(tab, "#directory-pick", "王芳（人物，2篇）")
    tab.locator("#directory-entry").get_by_text("眼科完成首例飞秒激光白内障手术").wait_for(timeout=30_000)
    tab.get_by_role("option").first.wait_for(state="detached", timeout=10_000)  # the list has closed
    _shot(tab, "directory")
    # 管理: an issue uploaded here shows in every list at once, its markup as text
    tab.get_by_role("tab", name="管理").click()
    _shot(tab, "admin")
    tab.locator("#admin-password input").fill("s3cret")
    tab.locator("#admin-file input[type=file]").set_input_files(str(hostile_issue(tmp_path)))
    tab.locator("#admin-upload").click()
    tab.locator("#admin-out").get_by_text("已新增：2026年第10期（总第231期）").wait_for(timeout=60_000)
    tab.get_by_role("tab", name="浏览").click()
    _pick(tab, "#browse-issue", "2026年第10期（总第231期）")
    tab.get_by_role("tab", name="大事记").click()
    tab.locator("#timeline").get_by_text(HOSTILE).first.wait_for(timeout=30_000)
    assert tab.locator("#timeline img").count() == 0 and dialogs == []
    tab.screenshot(path=str(OUT / "timeline-hostile.png"), full_page=True)
    # an issue added by another process shows after a reload
    ingest_paths(fake_archive(data), [hostile_issue(tmp_path, 233)])
    tab.reload()
    tab.get_by_role("tab", name="浏览").click()
    _pick(tab, "#browse-issue", "2026年第10期（总第233期）")
    # the login form speaks Chinese to an English browser
    login = browser.new_page(viewport={"width": 900, "height": 600}, locale="en-US")
    login.goto(login_server)
    for text in ("用户名", "密码", app.LOGIN_MESSAGE):
        login.get_by_text(text).first.wait_for(timeout=30_000)
    assert login.get_by_role("button", name="登录").count() == 1
    login.screenshot(path=str(OUT / "login.png"))


@pytest.mark.integration
@pytest.mark.slow
def test_an_admin_uploads_a_scanned_page_and_sees_the_ocr_progress(tmp_path: Path) -> None:
    """A printed page rendered as an image-only PDF goes in through the 管理 upload: read by the real OCR engine,
    with the progress bar moving through the scan, and its article lands in the archive."""
    pytest.importorskip("rapidocr_onnxruntime")
    from conftest import SAMPLE_215

    from eval.scanpages import FONT_PATH, render_issue

    if not FONT_PATH.exists():
        pytest.skip("fonts-wqy-microhei is not installed (make test installs it)")
    pdf, _ = render_issue(SAMPLE_215, tmp_path / "scan_215_p1.pdf", pages=(1,))
    local = tmp_path / "var"
    p = app.Page(_settings(local, admin_password="s3cret"), Archive(_settings(local), embeddings=FakeEmbeddings()))
    seen: list[tuple[float, str]] = []
    out = p.upload("s3cret", str(pdf), False, "admin", lambda fraction, desc="": seen.append((fraction, desc)))
    assert out.startswith("已新增：") and "其中 1 页为扫描件识别" in out, out
    assert ("扫描件识别中 1/1" in [d for _, d in seen]) and seen[-1][0] == 1.0
    [article] = p.archive.articles(215)
    assert article.page == 1 and "医疗安全警示教育大会" in article.title and article.ocr_conf < 1.0
    assert f"识别文本：本文由扫描件经 OCR 识别，平均置信度 {article.ocr_conf:.2f}" in p.article_html(article.id, [])
    assert "识别文本" not in app.Page(p.settings, p.archive).article_html(None, [])


def test_the_page_imports_gradio_without_rewriting_its_type_stubs() -> None:
    # a fresh interpreter, as `python app.py` is: gradio is first imported after app installs its import hook
    code = ("import app, gradio, gradio.component_meta as cm, inspect; "
            "print(cm.create_or_modify_pyi.__qualname__); print(len(inspect.signature(gradio.Blocks).parameters))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"})
    assert out.returncode == 0, out.stderr[-2000:]
    qualname, blocks_params = out.stdout.split()
    assert qualname.startswith("_NoStubRewrite."), qualname
    assert int(blocks_params) > 0  # gradio itself is whole
