"""The page: rendering, the Page handlers, several users at once, admin upload, the optional login, and a real
browser (Debian's chromium, driven by Playwright) doing what a person would. The archive is the two samples
plus the issue written for the tests, embedded with the fake embedder; answers are asked of the test issue."""

from __future__ import annotations

import os
import shutil
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ARCHIVE, FIXTURES, ROOT, FakeEmbeddings, fake_archive

import app
from ingest import ingest_paths
from rag import Archive, Citation, RagError, Settings, Source, answer_question, load_settings

OUT = ROOT / "test-output"
CHROMIUM = Path("/usr/bin/chromium")
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


@pytest.fixture(scope="module")
def server(data: Path):  # type: ignore[no-untyped-def]
    settings = _settings(data, port=_free_port(), admin_password="s3cret")
    app.launch(settings, Archive(settings, embeddings=FakeEmbeddings()), prevent_thread_lock=True)
    yield f"http://127.0.0.1:{settings.server.port}/"


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


def test_the_article_view_is_the_whole_article_with_the_evidence_marked(page: app.Page) -> None:
    _, ans = page.ask("第三季度住院患者平均住院日是多少天？", None, app.Filters())
    aid = ans.citations[0].source.article_id
    assert page.card_choices(ans)[0] == ("2026年第9期 第1版《医院召开第三季度医疗质量分析会》", aid)
    view = page.article_html(aid, list(ans.evidence))
    assert view.startswith('<div class="article"><h3>医院召开第三季度医疗质量分析会</h3>')
    assert view.count("<mark>") == 1 and "<mark>会议通报了本季度住院患者平均住院日为7.2天，较上季度缩短0.4天。</mark>" in view
    assert page.article_html("no-such-id", []) == "<p>未找到该文章。</p>" and page.article_html(None, []) == ""


def test_browse_lists_pages_and_articles_of_an_issue(page: app.Page) -> None:
    assert page.pages_of(220) == [1, 2, 3, 4] and page.pages_of(None) == []
    assert [t for t, _ in page.articles_on(220, 4)] == ["职工羽毛球比赛圆满落幕"]
    assert page.articles_on(220, None) == [] and page.articles_on(999, 1) == []
    assert (("2026年第9期（总第220期）", 220) in page.issue_choices()) and len(page.issue_choices()) == 3


def test_example_questions_come_from_the_archive_and_are_answerable(page: app.Page) -> None:
    examples = app.example_questions(page.archive)
    assert examples[0] == "院报的主编是谁？" and len(examples) == 6
    assert [q for q in examples if answer_question(page.archive, q).abstained] == []


def test_bad_filters_and_unexpected_errors_are_one_line_without_trace() -> None:
    with pytest.raises(RagError, match="YYYY-MM-DD"):
        app.filters_from([], "2026/04/01", "", [])
    assert app.filters_from(["220"], " 2026-01-01 ", "", ["眼科"]) == app.Filters(
        total_nos=(220,), date_from="2026-01-01", departments=("眼科",))
    assert app.error_text(ValueError("boom")) == app.UNEXPECTED
    assert app.error_text(RagError("x", "出错了")) == "出错了 / x"


def test_feedback_is_stored_and_exported_as_eval_lines(tmp_path: Path, data: Path) -> None:
    local = tmp_path / "var"
    shutil.copytree(data, local)
    p = app.Page(_settings(local), Archive(_settings(local), embeddings=FakeEmbeddings()))
    assert p.feedback(1, "", None) == "请先提问，再评价答案。"
    _, good = p.ask("谁介绍了飞秒激光的优点？", None, app.Filters())
    _, bad = p.ask("医院的停车费多少钱？", None, app.Filters())
    assert p.feedback(1, "", good) == "已记录，谢谢！（👍）" and p.feedback(-1, " 没有答案 ", bad) == "已记录，谢谢！（👎）"
    lines = [line for line in Path(p.export_feedback()).read_text(encoding="utf-8").splitlines()]
    assert [(x["question"], x["answers"], x["sources"], x["rating"], x["comment"]) for x in map(_json, lines)] == [
        ("谁介绍了飞秒激光的优点？", ["王芳"], [{"issue": 220, "page": 2}], 1, ""),
        ("医院的停车费多少钱？", [], [], -1, "没有答案")]


def _json(line: str) -> dict:  # type: ignore[type-arg]
    import json

    return json.loads(line)  # type: ignore[no-any-return]


def test_follow_up_questions_resolve_against_the_previous_turn(page: app.Page) -> None:
    _, first = page.ask("谁介绍了飞秒激光的优点？", None, app.Filters())
    question, _ = page.ask("那他是哪个科室的？", first, app.Filters())
    assert question == "王芳是哪个科室的？"
    assert page.ask("院报的主编是谁？", first, app.Filters())[0] == "院报的主编是谁？"


def test_timeline_lists_dated_milestones_newest_first(page: app.Page) -> None:
    table = page.timeline_md().splitlines()
    assert table[:2] == ["| 日期 | 事件 | 出处 |", "|---|---|---|"]
    first = [r for r in table if "飞秒激光" in r]
    assert first and "2026年第9期（总第220期）" in first[0] and "首例" in first[0]


def test_directory_lists_departments_and_people_with_their_articles(page: app.Page) -> None:
    assert "王芳" in page.entry_names() and "眼科" in page.entry_names()
    assert page.entry_md("王芳").splitlines()[:3] == [
        "### 王芳（人物）", "**署名文章：**", "- 2026-09-01 第9期 第2版《眼科完成首例飞秒激光白内障手术》"]
    assert page.entry_md("无此人") == ""


def test_a_claim_is_judged_with_a_copy_ready_citation_line(page: app.Page) -> None:
    verdict, line = page.check("第三季度住院患者平均住院日为8.5天")
    assert verdict.startswith('<p class="verdict-contradicted">与档案不符（contradicted）</p>')
    assert line == ("「会议通报了本季度住院患者平均住院日为7.2天，较上季度缩短0.4天。」——2026年第9期（总第220期） · 2026-09-01 · "
                    "第1版 · 《医院召开第三季度医疗质量分析会》（医务部 张明）")
    assert page.check("")[0].startswith("<p>问题为空")


def test_eight_users_at_once_each_get_their_own_answer_and_citation(server: str) -> None:
    from gradio_client import Client

    cases = {
        "眼科的飞秒激光白内障手术用时多少分钟？": ("15分钟", 220, 2), "谁介绍了飞秒激光的优点？": ("王芳", 220, 2),
        "第三季度住院患者平均住院日是多少天？": ("7.2天", 220, 1), "心血管内科为多少名居民测量了血压？": ("200余名", 220, 3),
        "医务部主任是谁？": ("张明", 220, 1), "第9期院报的副主编是谁？": ("王雅楠", 220, 1),
        "医疗质量分析会是哪天召开的？": ("8月28日", 220, 1), "第9期院报是哪天出版的？": ("2026年9月1日（星期二，2026-09-01）", 220, 1),
    }

    def ask(q: str) -> dict:  # type: ignore[type-arg]
        return Client(server, verbose=False).predict(q, api_name="/answer")  # type: ignore[no-any-return]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = dict(zip(cases, pool.map(ask, cases)))
    got = {q: (r["answer"], r["citations"][0]["total_no"], r["citations"][0]["page"]) for q, r in results.items()}
    assert got == cases


def test_admin_upload_needs_the_password_and_a_bad_file_changes_nothing(server: str, tmp_path: Path,
                                                                         data: Path) -> None:
    from gradio_client import Client, handle_file

    client = Client(server, verbose=False)
    listing = lambda: [(i.total_no, i.content_key) for i in Archive(_settings(data)).issues()]  # noqa: E731
    before = listing()
    new_issue = tmp_path / "issue_230.txt"
    new_issue.write_text((FIXTURES / "issue_220.txt").read_text(encoding="utf-8").replace(
        "第9期总第220期", "第10期总第230期").replace("2026年9月\n1\n星期二", "2026年10月\n1\n星期四"), encoding="utf-8")
    assert client.predict("wrong", handle_file(str(new_issue)), False, api_name="/upload") == "密码错误。"
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    out = client.predict("s3cret", handle_file(str(bad)), False, api_name="/upload")
    assert out.startswith("导入失败，档案未改变") and "不是文本文件" in out
    assert listing() == before
    ok = client.predict("s3cret", handle_file(str(new_issue)), False, api_name="/upload")
    assert ok == "已新增：2026年第10期（总第230期），4 篇文章，4 个分块。"
    assert [n for n, _ in listing()] == [n for n, _ in before] + [230]


@pytest.mark.browser
def test_a_person_asks_opens_the_article_and_checks_a_claim_in_a_real_browser(server: str) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing in CI: the browser test must run (make test installs it)")
        pytest.skip("Debian's chromium is not installed (make test installs it with apt-get)")
    sync_api = pytest.importorskip("playwright.sync_api")
    OUT.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        tab = browser.new_page(viewport={"width": 1280, "height": 1400})
        tab.goto(server)
        tab.locator("#question textarea").fill("第三季度住院患者平均住院日是多少天？")
        tab.locator("#ask").click()
        tab.locator("#chat").get_by_text("7.2天").first.wait_for(timeout=60_000)
        tab.locator("#chat .card").get_by_text("第1版").first.wait_for(timeout=30_000)
        tab.screenshot(path=str(OUT / "chat.png"), full_page=True)
        tab.locator("#cards label").first.click()
        tab.locator("#article h3").get_by_text("医院召开第三季度医疗质量分析会").wait_for(timeout=30_000)
        assert tab.locator("#article mark").count() == 1
        tab.screenshot(path=str(OUT / "article.png"), full_page=True)
        tab.get_by_role("tab", name="核查").click()
        tab.locator("#claim textarea").fill("第三季度住院患者平均住院日为8.5天")
        tab.locator("#check").click()
        tab.locator("#verdict").get_by_text("与档案不符").wait_for(timeout=60_000)
        assert "7.2" in tab.locator("#verdict").inner_text()
        tab.screenshot(path=str(OUT / "check.png"), full_page=True)
        browser.close()


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
    assert last.startswith("无法连接大模型服务") and "Traceback" not in last


def test_an_empty_archive_is_a_message_on_the_page_not_a_stack_trace(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "empty")
    ask = _ask_handler(app.build_app(settings, Archive(settings, embeddings=FakeEmbeddings())))
    last = [step[0][-1]["content"] for step in ask("院长是谁？", [], [], "", "", [], None)][-1]
    assert last == "索引尚未建立，请先运行 python -m ingest / the archive is empty: run `python -m ingest archive/` first"


def test_the_optional_login_keeps_out_who_has_no_password(data: Path) -> None:
    from gradio_client import Client

    settings = _settings(data, port=_free_port(), auth_user="staff", auth_password="pw-1")
    app.launch(settings, Archive(settings, embeddings=FakeEmbeddings()), prevent_thread_lock=True)
    url = f"http://127.0.0.1:{settings.server.port}/"
    with pytest.raises(Exception):  # noqa: B017 - the client's error type differs by version
        Client(url, verbose=False).predict("医务部主任是谁？", api_name="/answer")
    got = Client(url, auth=("staff", "pw-1"), verbose=False).predict("医务部主任是谁？", api_name="/answer")
    assert got["answer"] == "张明"


def test_citation_line_is_copy_ready() -> None:
    assert Citation(SOURCE, "q").line() == "2026年第4期（总第215期） · 2026-04-01 · 第3版（推断） · 《某<文章>》（某科 张三）"
