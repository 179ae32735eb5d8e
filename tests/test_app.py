"""The page: rendering, feedback, follow-ups, timeline, directory, several users at once, admin upload,
and a real browser (Debian's chromium, driven by Playwright) doing what a person would."""

from __future__ import annotations

import json
import shutil
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

import app
from rag import RagError, answer_question
from rag.archive import Archive
from rag.directory import directory
from rag.feedback import export_eval_lines, record
from rag.followup import resolve
from rag.models import Citation
from rag.settings import load_settings
from rag.timeline import milestones

OUT = ROOT / "test-output"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def data(sample_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("app") / "var"
    shutil.copytree(sample_data_dir, dst)
    return dst


@pytest.fixture(scope="module")
def archive(data: Path) -> Archive:
    return Archive(load_settings(env={}, data_dir=data))


@pytest.fixture(scope="module")
def server(data: Path):  # type: ignore[no-untyped-def]
    settings = load_settings(env={}, data_dir=data, port=_free_port(), admin_password="s3cret")
    app.launch(settings, prevent_thread_lock=True)
    yield f"http://127.0.0.1:{settings.port}/"


def test_cards_show_issue_date_page_inferred_title_and_byline() -> None:
    c = Citation(total_no=215, issue_no=4, year=2026, date="2026-04-01", page=3, page_inferred=True,
                 title="某<文章>", department="某科", author="张三", quote="")
    h = app.card_html(c)
    assert "2026年第4期（总第215期）" in h and "2026-04-01" in h and "第3版" in h and "（推断）" in h
    assert "《某&lt;文章&gt;》" in h and "某科 · 张三" in h


def test_answer_shows_short_answer_then_highlighted_evidence_then_cards(archive: Archive) -> None:
    ans = answer_question(archive, "哪个科室首次开展Endo-PLIF？")
    out = app.answer_html(ans)
    assert out.startswith("**脊柱微创骨科**")
    assert "<mark>脊柱微创骨科</mark>" in out and out.index("<mark>") < out.index('class="card"')
    assert "第3版" in out


def test_article_view_highlights_the_evidence(archive: Archive) -> None:
    ans = answer_question(archive, "哪个科室首次开展Endo-PLIF？")
    view = app.article_html(archive, ans.citations[0].article_id, list(ans.evidence))
    assert "<h3>骨科医院脊柱微创治疗领域实现再突破</h3>" in view and view.count("<mark>") >= 1


def test_example_questions_come_from_the_archive_and_are_answerable(archive: Archive) -> None:
    examples = app.example_questions(archive)
    assert len(examples) >= 4
    for q in examples:
        assert not answer_question(archive, q).abstained, q


def test_bad_filters_and_unexpected_errors_are_one_line_without_trace() -> None:
    with pytest.raises(RagError, match="YYYY-MM-DD"):
        app.filters_from([], "2026/04/01", "", [])
    assert app.error_text(ValueError("boom")) == app.UNEXPECTED
    assert "Traceback" not in app.error_text(RagError("x", "出错了"))


def test_feedback_is_stored_and_exported_as_eval_lines(tmp_path: Path, data: Path) -> None:
    local = tmp_path / "var"
    shutil.copytree(data, local)
    a = Archive(load_settings(env={}, data_dir=local))
    good = answer_question(a, "谁主讲了腰椎穿刺术？")
    bad = answer_question(a, "院长是谁？")
    record(a, good, 1)
    record(a, bad, -1, "应注明是党委书记、院长")
    lines = export_eval_lines(a)
    assert [(x["question"], x["answers"], x["sources"], x["rating"]) for x in lines] == [
        ("谁主讲了腰椎穿刺术？", ["王慧云"], [{"issue": 215, "page": 2}], 1), ("院长是谁？", [], [], -1)]
    assert lines[1]["comment"] == "应注明是党委书记、院长"
    with pytest.raises(ValueError):
        record(a, good, 0)


def test_follow_up_questions_resolve_against_the_previous_turn(archive: Archive) -> None:
    first = answer_question(archive, "谁主讲了腰椎穿刺术？")
    follow = resolve("那他是哪个科室的？", first)
    assert follow == "王慧云是哪个科室的？"
    assert answer_question(archive, follow).answer == "神经内科"
    assert resolve("院长是谁？", first) == "院长是谁？"


def test_timeline_lists_firsts_and_milestones_newest_first(archive: Archive) -> None:
    ms = milestones(archive)
    texts = [m.text for m in ms]
    assert any("首例" in t and "Endo" in t for t in texts)
    assert any("2024年5月" in m.date and "评审" in m.text for m in ms)
    keys = [m.sort_key for m in ms]
    assert keys == sorted(keys, reverse=True)
    assert all(m.citation.total_no in (215, 218) for m in ms)


def test_directory_lists_departments_and_people_with_their_articles(archive: Archive) -> None:
    entries = {e.name: e for e in directory(archive)}
    zhou = entries["周殿友"]
    assert zhou.kind == "person" and [a.total_no for a in zhou.bylines] == [215, 218]
    assert entries["妇科"].kind == "department" and entries["妇科"].mentions


def test_eight_users_at_once_each_get_their_own_answer_and_citation(server: str) -> None:
    from gradio_client import Client

    cases = {
        "哪个科室首次开展Endo-PLIF？": ("脊柱微创骨科", 215, 3), "谁主讲了腰椎穿刺术？": ("王慧云", 215, 2),
        "2岁幼童手掌里取出了多少根木刺？": ("28根", 218, 3), "梁丹妮跪地抢救了多长时间？": ("二十分钟", 215, 4),
        "泌尿外科为多大年龄的患者实施了激光前列腺气化手术？": ("44岁", 218, 3), "院报的主编是谁？": ("刘维佳", 218, 1),
        "ILD博士工作站是哪一年成立的？": ("2019年", 218, 2), "哪个科室收到了患者手写的字画？": ("日间手术中心", 218, 4),
    }

    def ask(q: str) -> dict:  # type: ignore[type-arg]
        return Client(server, verbose=False).predict(q, api_name="/answer")  # type: ignore[no-any-return]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = dict(zip(cases, pool.map(ask, cases)))
    for q, (answer, issue, page) in cases.items():
        got = results[q]
        assert got["answer"] == answer, (q, got)
        assert (got["citations"][0]["total_no"], got["citations"][0]["page"]) == (issue, page), q


def test_admin_upload_needs_the_password_and_a_bad_file_changes_nothing(server: str, tmp_path: Path,
                                                                         data: Path) -> None:
    from gradio_client import Client, handle_file

    client = Client(server, verbose=False)
    before = json.dumps([i.__dict__ for i in __import__("rag.catalog", fromlist=["x"]).list_issues(
        Archive(load_settings(env={}, data_dir=data)).conn)], default=str)
    assert client.predict("wrong", handle_file(str(FIXTURES / "issue_220.txt")), False, api_name="/upload") == "密码错误。"
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    out = client.predict("s3cret", handle_file(str(bad)), False, api_name="/upload")
    assert out.startswith("导入失败，档案未改变") and "不是文本文件" in out
    after = json.dumps([i.__dict__ for i in __import__("rag.catalog", fromlist=["x"]).list_issues(
        Archive(load_settings(env={}, data_dir=data)).conn)], default=str)
    assert after == before
    ok = client.predict("s3cret", handle_file(str(FIXTURES / "issue_220.txt")), False, api_name="/upload")
    assert ok.startswith("已新增：2026年第9期（总第220期）")


@pytest.mark.browser
def test_a_person_asks_opens_the_article_and_checks_a_claim_in_a_real_browser(server: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it with apt-get)")
    sync_api = pytest.importorskip("playwright.sync_api")
    OUT.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(server)
        page.locator("#question textarea").fill("哪个科室首次开展Endo-PLIF？")
        page.locator("#ask").click()
        chat = page.locator("#chat")
        chat.get_by_text("脊柱微创骨科").first.wait_for(timeout=60_000)
        page.locator("#chat .card").get_by_text("第3版").first.wait_for(timeout=30_000)
        page.screenshot(path=str(OUT / "chat.png"), full_page=True)
        page.locator("#cards label").first.click()
        page.locator("#article h3").get_by_text("骨科医院脊柱微创治疗领域实现再突破").wait_for(timeout=30_000)
        assert page.locator("#article mark").count() >= 1
        page.screenshot(path=str(OUT / "article.png"), full_page=True)
        page.get_by_role("tab", name="核查").click()
        page.locator("#claim textarea").fill("晋城大医院从2019年起开展尘肺大容量肺灌洗")
        page.locator("#check").click()
        page.locator("#verdict").get_by_text("与档案不符").wait_for(timeout=60_000)
        assert "2005" in page.locator("#verdict").inner_text()
        page.screenshot(path=str(OUT / "check.png"), full_page=True)
        browser.close()


def test_the_page_streams_an_llm_answer_and_shows_an_unreachable_llm_as_one_line(data: Path) -> None:
    from fake_llm import FakeLLM

    with FakeLLM(reply="王慧云\n神经内科业务副主任王慧云主讲腰椎穿刺术 [1]。") as llm:
        settings = load_settings(env={}, data_dir=data, answer_mode="llm", llm_base_url=llm.base_url, llm_model="m")
        demo = app.build_app(settings)
        ask = next(fn.fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "ask")
        texts = [step[0][-1]["content"] for step in ask("谁主讲了腰椎穿刺术？", [], [], "", "", [], None)]
    assert len(texts) > 3 and texts[0] != texts[-2]  # the reply grew piece by piece
    assert texts[-1].startswith("**王慧云**") and 'class="card"' in texts[-1]
    dead = load_settings(env={}, data_dir=data, answer_mode="llm", llm_base_url="http://127.0.0.1:9/v1", llm_model="m")
    demo = app.build_app(dead)
    ask = next(fn.fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "ask")
    last = list(ask("谁主讲了腰椎穿刺术？", [], [], "", "", [], None))[-1][0][-1]["content"]
    assert last.startswith("无法连接大模型服务") and "Traceback" not in last


def test_an_empty_archive_is_a_message_on_the_page_not_a_stack_trace(tmp_path: Path) -> None:
    demo = app.build_app(load_settings(env={}, data_dir=tmp_path / "empty"))
    ask = next(fn.fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "ask")
    last = [step[0][-1]["content"] for step in ask("院长是谁？", [], [], "", "", [], None)][-1]
    assert last.startswith("索引尚未建立") and "python -m ingest" in last and "Traceback" not in last


def test_the_optional_login_keeps_out_who_has_no_password(data: Path) -> None:
    from gradio_client import Client

    settings = load_settings(env={}, data_dir=data, port=_free_port(), auth_user="staff", auth_password="pw-1")
    app.launch(settings, prevent_thread_lock=True)
    url = f"http://127.0.0.1:{settings.port}/"
    with pytest.raises(Exception):  # noqa: B017 - the client's error type differs by version
        Client(url, verbose=False).predict("院长是谁？", api_name="/answer")
    got = Client(url, auth=("staff", "pw-1"), verbose=False).predict("院长是谁？", api_name="/answer")
    assert got["answer"] == "薛伟民"
