"""Asking the archive: short typed answers cited to issue and page, abstention, filters, claim checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli, subprocess_env

from ingest.pipeline import ingest_file
from rag import ABSTAIN_TEXT, Filters, answer_question, check
from rag.archive import Archive
from rag.errors import IndexNotBuiltError, QuestionError
from rag.extract import question_type
from rag.settings import load_settings


@pytest.fixture(scope="module")
def archive(sample_data_dir: Path) -> Archive:
    return Archive(load_settings(env={}, data_dir=sample_data_dir))


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """An issue written for the tests, never looked at while the answerer was built."""
    data = tmp_path_factory.mktemp("unseen") / "var"
    a = Archive(load_settings(env={}, data_dir=data))
    ingest_file(a, FIXTURES / "issue_220.txt")
    return a


def _cite(ans) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    c = ans.citations[0]
    return c.total_no, c.page, c.title


@pytest.mark.parametrize("question,expected", [
    ("哪个科室首次开展Endo-PLIF？", "department"), ("谁主讲了腰椎穿刺术？", "person"),
    ("健步走活动在哪天举行？", "date"), ("取出了多少根木刺？", "number"), ("护理培训包括哪些模块？", "list"),
    ("医院是否开展尘肺大容量肺灌洗？", "yesno"), ("院报的主编是谁？", "editor"), ("这篇文章刊登在第几版？", "where"),
    ("周殿友写了哪些稿件？", "authored"), ("第7期是哪天出版的？", "published"), ("谈谈医养结合", "open"),
])
def test_question_types(question: str, expected: str) -> None:
    assert question_type(question) == expected


def test_department_answer_is_cited_to_issue_and_page(archive: Archive) -> None:
    ans = answer_question(archive, "哪个科室首次开展Endo-PLIF？")
    assert (ans.answer, ans.abstained, ans.qtype) == ("脊柱微创骨科", False, "department")
    assert _cite(ans) == (215, 3, "骨科医院脊柱微创治疗领域实现再突破")
    c = ans.citations[0]
    assert c.line() == ("2026年第4期（总第215期） · 2026-04-01 · 第3版（推断） · 《骨科医院脊柱微创治疗领域实现再突破》"
                        "（脊柱微创骨科 付宇捷）")
    assert "Endo-plif" in c.quote or "Endo-PLIF" in c.quote


def test_latin_terms_match_in_any_case_and_traditional_input_is_read(archive: Archive) -> None:
    assert answer_question(archive, "哪個科室首次開展endo-plif？").answer == "脊柱微创骨科"


@pytest.mark.parametrize("question,answer,issue,page", [
    ("梁丹妮跪地抢救了多长时间？", "二十分钟", 215, 4),
    ("2岁幼童手掌里取出了多少根木刺？", "28根", 218, 3),
    ("谁主讲了腰椎穿刺术？", "王慧云", 215, 2),
    ("晋城大医院从哪一年开始开展尘肺大容量肺灌洗？", "2005年", 218, 2),
    ("脊柱微创骨科的主任是谁？", "陈晋伟", 215, 3),
    ("院长是谁？", "薛伟民", None, None),
    ("泌尿外科为多大年龄的患者实施了激光前列腺气化手术？", "44岁", 218, 3),
    ("康复科在省级病例大赛中获得了什么奖？", "优秀奖", 218, 2),
])
def test_typed_short_answers(archive: Archive, question: str, answer: str, issue: int | None, page: int | None) -> None:
    ans = answer_question(archive, question)
    assert answer in ans.answer and len(ans.answer) <= len(answer) + 2
    if issue is not None:
        assert _cite(ans)[:2] == (issue, page)


def test_answers_on_an_issue_the_answerer_never_saw(unseen: Archive) -> None:
    assert answer_question(unseen, "眼科的飞秒激光白内障手术用时多少分钟？").answer == "15分钟"
    assert answer_question(unseen, "谁介绍了飞秒激光的优点？").answer == "王芳"
    assert answer_question(unseen, "哪个代表队获得羽毛球比赛团体第一名？").answer.startswith("检验科")
    ans = answer_question(unseen, "第三季度住院患者平均住院日是多少天？")
    assert ans.answer == "7.2天" and _cite(ans) == (220, 1, "医院召开第三季度医疗质量分析会")


def test_what_the_archive_does_not_say_is_not_guessed(archive: Archive) -> None:
    for q in ("医院食堂的早餐几点开始供应？", "医院的停车费怎么收？", "心脏移植手术的成功率是多少？"):
        ans = answer_question(archive, q)
        assert ans.abstained and ans.answer == ABSTAIN_TEXT and ans.citations == ()


def test_articles_by_one_author_across_issues_are_all_listed(archive: Archive) -> None:
    ans = answer_question(archive, "周殿友在这两期院报中写了哪些稿件？")
    assert [(c.total_no, c.page, c.title) for c in ans.citations] == [
        (215, 3, "4年1460个日夜守护:一面“迟到”的锦旗"), (218, 2, "规范化外科营养诊疗共建病房启动会顺利召开"),
    ]
    assert ans.answer == "《4年1460个日夜守护:一面“迟到”的锦旗》、《规范化外科营养诊疗共建病房启动会顺利召开》"


def test_metadata_questions_come_from_the_masthead(archive: Archive) -> None:
    assert answer_question(archive, "院报的主编是谁？").answer == "刘维佳"
    assert answer_question(archive, "第7期院报是哪天出版的？").answer.startswith("2026-07-01")
    where = answer_question(archive, "《骨科医院脊柱微创治疗领域实现再突破》刊登在第几版？")
    assert "第4期" in where.answer and "第3版" in where.answer


def test_filters_restrict_the_sources(archive: Archive) -> None:
    free = answer_question(archive, "周殿友写了哪些文章？", Filters(total_nos=(218,)))
    assert [c.total_no for c in free.citations] == [218]
    q = answer_question(archive, "哪个科室开展了微创手术？", Filters(departments=("泌尿外科",)))
    assert q.citations and all(c.department == "泌尿外科" for c in q.citations)
    named = answer_question(archive, "第4期中哪个科室收到了锦旗？")
    assert named.citations and all(c.total_no == 215 for c in named.citations)


def test_claim_check_supported_contradicted_not_found(archive: Archive) -> None:
    v = check(archive, "晋城大医院从2019年起开展尘肺大容量肺灌洗")
    assert v.verdict == "contradicted" and "2005" in v.explanation
    assert v.citations[0].total_no == 218 and "2005年" in v.citations[0].quote
    assert check(archive, "晋城大医院从2005年起开展尘肺大容量肺灌洗").verdict == "supported"
    assert check(archive, "烧伤整形科为幼童取出了30根木刺").verdict == "contradicted"
    assert check(archive, "医院新建了直升机停机坪").verdict == "not_found"


def test_yes_no_questions_answer_yes_or_no_with_the_record(archive: Archive) -> None:
    assert answer_question(archive, "晋城大医院是否从2005年起开展尘肺大容量肺灌洗？").answer == "是"
    no = answer_question(archive, "烧伤整形科是否取出了30根木刺？")
    assert no.answer.startswith("否") and "28" in no.answer


def test_bad_questions_are_refused_clearly(archive: Archive, tmp_path: Path) -> None:
    with pytest.raises(QuestionError, match="empty"):
        answer_question(archive, "   ")
    with pytest.raises(QuestionError) as err:
        answer_question(archive, "问" * 10000)
    assert err.value.user_message().startswith("问题过长（10000 字）")
    with pytest.raises(IndexNotBuiltError) as no_index:
        answer_question(Archive(load_settings(env={}, data_dir=tmp_path / "empty")), "院长是谁？")
    assert "python -m ingest" in no_index.value.user_message()


def test_cli_ask_json_and_batch_follow_the_contract_offline(sample_copy: Path, tmp_path: Path) -> None:
    netlog = tmp_path / "net.log"
    env = subprocess_env(sample_copy, netlog)
    one = run_cli(["-m", "rag", "ask", "哪个科室首次开展Endo-PLIF？", "--json"], env)
    assert one.returncode == 0, one.stderr
    obj = json.loads(one.stdout)
    assert {"answer", "abstained", "citations", "latency_ms"} <= obj.keys() and obj["answer"] == "脊柱微创骨科"
    assert set(obj["citations"][0]) == {"total_no", "issue_no", "date", "page", "page_inferred", "title", "department",
                                        "author", "quote"}
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "a", "question": "院长是谁？"}\n{"id": "b", "question": "医院的停车费怎么收？"}\n',
                     encoding="utf-8")
    out = run_cli(["-m", "rag", "ask", "--batch", str(batch), "--json"], env)
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [(x["id"], x["abstained"]) for x in lines] == [("a", False), ("b", True)]
    assert all({"id", "question", "answer", "abstained", "citations", "latency_ms"} <= x.keys() for x in lines)
    check_out = run_cli(["-m", "rag", "check", "晋城大医院从2019年起开展尘肺大容量肺灌洗", "--json"], env)
    assert json.loads(check_out.stdout)["verdict"] == "contradicted"
    assert not netlog.exists() or netlog.read_text() == "", netlog.read_text()


def test_cli_errors_are_one_line_chinese_then_english_with_nonzero_exit(sample_copy: Path, tmp_path: Path) -> None:
    for args, env, start in (
        (["ask", ""], subprocess_env(sample_copy), "问题为空"),
        (["ask", "院长是谁"], subprocess_env(tmp_path / "nothing"), "索引尚未建立"),
        (["ask", "院长是谁", "--mode", "llm"], subprocess_env(sample_copy, YBQA_LLM_BASE_URL="http://127.0.0.1:9/v1",
                                                             YBQA_LLM_MODEL="m"), "无法连接大模型服务"),
    ):
        out = run_cli(["-m", "rag", *args], env)
        assert out.returncode == 1
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(start) and " / " in lines[0], out.stderr
