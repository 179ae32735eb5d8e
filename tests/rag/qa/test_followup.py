"""rag.qa.followup: a follow-up is bound to the previous turn's article, person or department."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from handmade import tiny_archive, tiny_issue

from rag import answer_question
from rag.models import Answer, Article, Citation, Filters, Source
from rag.qa.followup import bind, resolve

SOURCE = Source(total_no=301, issue_no=3, year=2025, date="2025-03-15", page=1, page_inferred=False,
                title="运动医学科完成首例机器人辅助膝关节置换手术", department="运动医学科", author="沈若溪")


def _answer(text: str, qtype: str, question: str = "") -> Answer:
    return Answer(question=question, answer=text, abstained=False, citations=(Citation(SOURCE, "…"),),
                  qtype=qtype)  # type: ignore[arg-type]


def test_that_article_is_the_previous_answers_first_cited_article() -> None:
    prev = _answer("90分钟", "number")
    assert resolve("那篇文章的作者是谁？", prev) == f"《{SOURCE.title}》的作者是谁？"
    assert resolve("那次手术的患者多大？", prev) == f"《{SOURCE.title}》中的手术的患者多大？"



def test_any_demonstrative_with_a_classifier_or_of_place_points_at_that_article() -> None:
    prev = _answer("90分钟", "number")
    assert resolve("那几个病区开放了多少张床？", prev) == f"《{SOURCE.title}》中的病区开放了多少张床？"
    assert resolve("那些学员来自哪里？", prev) == f"《{SOURCE.title}》中的学员来自哪里？"
    assert resolve("那里现在有几名医生？", prev) == f"《{SOURCE.title}》中现在有几名医生？"
    assert resolve("那一届当初是哪天开幕的？", prev) == f"《{SOURCE.title}》中当初是哪天开幕的？"
    # a time, not a thing: 这些年, 那时候
    assert resolve("这些年医院变化大吗？", prev) == "这些年医院变化大吗？"
    assert resolve("那时候谁是院长？", prev) == "那时候谁是院长？"
    assert resolve("为什么要这么做？", prev) == "为什么要这么做？"  # how, not which
    assert resolve("她驻点那一年建了多少份档案？", prev) == "她驻点那一年建了多少份档案？".replace("她", SOURCE.author)


def test_he_or_she_is_the_person_answered_else_the_one_asked_about_else_the_author() -> None:
    assert resolve("那他是哪个科室的？", _answer("钟予安", "person")) == "钟予安是哪个科室的？"
    assert resolve("他多大年纪？", _answer("膝关节置换", "open", "王先生做了什么手术？")) == "王先生多大年纪？"
    assert resolve("她还写过哪些稿件？", _answer("90分钟", "number")) == "沈若溪还写过哪些稿件？"


def test_this_department_is_the_department_answered() -> None:
    assert resolve("这个科室的主任是谁？", _answer("运动医学科", "department")) == "运动医学科的主任是谁？"
    assert resolve("那个科室的主任是谁？", _answer("运动医学科", "department")) == "运动医学科的主任是谁？"
    assert resolve("那支团队有几人？", _answer("运动医学科", "department")) == "运动医学科有几人？"


def test_nothing_to_bind_leaves_the_question_alone() -> None:
    assert resolve("院长是谁？", _answer("90分钟", "number")) == "院长是谁？"
    abstained = Answer(question="", answer="档案中未找到相关记载", abstained=True)
    assert resolve("那篇文章的作者是谁？", abstained) == "那篇文章的作者是谁？"


def test_that_department_is_the_unit_of_a_team_answered() -> None:
    prev = _answer("口腔科代表队", "open", "羽毛球团体赛冠军是哪个队？")
    assert resolve("这个科室在象棋比赛中得了第几名？", prev) == "口腔科在象棋比赛中得了第几名？"
    assert resolve("这个科室在象棋比赛中得了第几名？", _answer("沈若溪", "person")) == "这个科室在象棋比赛中得了第几名？"


def test_a_question_without_its_subject_reads_in_the_previous_article() -> None:
    prev = _answer("90分钟", "number")
    assert resolve("一共做了多少例？", prev) == f"《{SOURCE.title}》中一共做了多少例？"
    assert resolve("医院有多少张床位？", prev) == "医院有多少张床位？"  # a question of its own


def test_he_or_she_after_a_question_about_a_patient_is_that_patient_not_the_author() -> None:
    prev = _answer("68岁", "number", "机器人辅助手术的患者多大年纪？")
    assert resolve("她术后第几天出院？", prev) == f"《{SOURCE.title}》中的患者术后第几天出院？"
    colleague = _answer("90分钟", "number", "手术的主刀医生用了多长时间？")  # a colleague: the answer names them
    assert resolve("她还写过哪些稿件？", colleague) == "沈若溪还写过哪些稿件？"


def test_a_follow_up_is_anchored_at_the_sentence_the_previous_answer_quoted() -> None:
    prev = Answer(question="q", answer="3月10日", abstained=False, qtype="date",
                  citations=(Citation(replace(SOURCE, article_id="301-01-a"), "这是第二例手术。"),))
    asked, filters = bind("那台手术用了多长时间？", prev, Filters(pages=(1,)))
    assert asked == f"《{SOURCE.title}》中的手术用了多长时间？"
    assert (filters.focus_article, filters.focus_quote, filters.pages) == ("301-01-a", "这是第二例手术。", (1,))
    assert bind("院长是谁？", prev) == ("院长是谁？", Filters())  # a question of its own: no anchor


def test_an_article_with_two_operations_answers_about_the_one_the_previous_turn_was_about(tmp_path: Path) -> None:
    two = Article(page=1, page_inferred=False, title="机器人手术开展情况", department="外科", author="沈若溪", paragraphs=(
        "3月2日，泌尿外科完成首例机器人辅助手术，患者为一名60岁男性。",
        "手术历时3小时，术中出血约80毫升。",
        "3月9日，妇科完成首例机器人辅助手术，患者为一名45岁女性。",
        "手术历时2小时，术中出血约50毫升。",
    ))
    archive = tiny_archive(tmp_path, tiny_issue(articles=(two,)))
    first = answer_question(archive, "妇科首例机器人辅助手术是哪天做的？")
    assert first.answer == "3月9日"
    asked, filters = bind("那台手术历时多长时间？", first)
    assert answer_question(archive, asked, filters).answer == "2小时"
    assert answer_question(archive, asked).answer == "3小时"  # without the anchor: the first operation's
