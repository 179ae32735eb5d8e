"""rag.qa.across: what one person did across all issues, each article once, cited by the proving sentence."""

from __future__ import annotations

import pytest
from handmade import NURSING, tiny_archive, tiny_issue

from rag import Archive, Filters, answer_question
from rag.models import Article
from rag.qa.across import achievements, involvements, offices_held

LATER = Article(page=1, page_inferred=False, title="医院召开院感防控培训会", department="院感科", author="陆清和",
                paragraphs=("4月2日，医院召开院感防控培训会，会议由副院长林知远主持。",))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return tiny_archive(tmp_path_factory.mktemp("across") / "var", tiny_issue(),
                        tiny_issue(total_no=302, issue_no=4, date="2025-04-15", articles=(LATER,)))


def test_every_meeting_the_person_chaired_across_issues(archive: Archive) -> None:
    ans = answer_question(archive, "副院长林知远主持过哪些会议？")
    assert ans.answer == f"《{NURSING.title}》、《{LATER.title}》"
    assert [c.source.total_no for c in ans.citations] == [301, 302]
    assert all("林知远主持" in c.quote for c in ans.citations)


def test_a_filter_keeps_to_its_issues(archive: Archive) -> None:
    ans = involvements(archive, "林知远主持过哪些会议？", Filters(total_nos=(302,)))
    assert ans is not None and ans.answer == f"《{LATER.title}》"


def test_not_a_question_about_all_of_them(archive: Archive) -> None:
    assert involvements(archive, "林知远主持的会议有多少名护士长参加？", Filters()) is None
    assert involvements(archive, "周慕白主持过哪些会议？", Filters()) is None


def test_differing_values_are_shown_with_the_majority_first(tmp_path_factory: pytest.TempPathFactory) -> None:
    def meeting(title: str, n: int) -> Article:
        return Article(page=1, page_inferred=False, title=title, department="护理部", author="陆清和",
                       paragraphs=(f"3月12日，医院召开护理质量推进会，全院{n}名护士长参加会议。",))

    a = tiny_archive(tmp_path_factory.mktemp("conflict") / "var",
                     tiny_issue(articles=(meeting("护理质量推进会召开", 86),)),
                     tiny_issue(total_no=302, issue_no=4, date="2025-04-15", articles=(meeting("推进会回顾", 86),)),
                     tiny_issue(total_no=303, issue_no=5, date="2025-05-15", articles=(meeting("推进会侧记", 80),)))
    ans = answer_question(a, "护理质量推进会有多少名护士长参加？")
    assert ans.answer == "86名" and "档案记载不一" in ans.note and "80名" in ans.note
    assert [c.source.total_no for c in ans.citations][1] == 303


def test_a_coarser_date_agrees_with_a_finer_one_which_answers(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One article says 9月 and another 9月26日: no conflict, and the day is the answer."""
    first = Article(page=3, page_inferred=False, title="烧伤整形科救治一名烫伤患者", department="烧伤整形科",
                    author="陆清和", paragraphs=("经过40天的治疗，烫伤患者徐师傅创面基本愈合，于9月26日康复出院。",))
    later = Article(page=1, page_inferred=False, title="康复患者回院复查", department="烧伤整形科", author="陆清和",
                    paragraphs=("10月20日，9月康复出院的烫伤患者徐师傅回院复查。",))
    a = tiny_archive(tmp_path_factory.mktemp("finer") / "var", tiny_issue(articles=(first,)),
                     tiny_issue(total_no=302, issue_no=4, date="2025-10-30", articles=(later,)))
    for question in ("烫伤的徐师傅什么时候出的院？", "徐师傅是什么时候康复出院的？"):
        ans = answer_question(a, question)
        assert (ans.answer, "档案记载不一" in ans.note) == ("9月26日", False)
        assert ans.citations[0].source.total_no == 301


def test_a_bylined_persons_department_comes_from_the_bylines(archive: Archive) -> None:
    ans = answer_question(archive, "陆清和是哪个科室的？")
    assert ans.answer == "护理部、院感科" and ans.qtype == "department"
    assert [c.source.title for c in ans.citations] == [NURSING.title, LATER.title]


def test_everything_a_person_won_across_issues_each_with_its_article(tmp_path_factory: pytest.TempPathFactory) -> None:
    chess = Article(page=4, page_inferred=False, title="职工象棋比赛落幕", department="工会", author="韩素问",
                    paragraphs=("个人赛中，骨科沈若溪获得冠军，眼科苏望舒获得亚军。",))
    table = Article(page=4, page_inferred=False, title="职工排球赛落幕", department="工会", author="韩素问",
                    paragraphs=("比赛成绩如下：", "个人单项奖", "最佳发球 苏望舒(眼科)", "最佳防守 沈若溪(骨科)",
                                "比赛在欢笑中结束。"))
    a = tiny_archive(tmp_path_factory.mktemp("won") / "var", tiny_issue(),
                     tiny_issue(total_no=302, issue_no=4, date="2025-04-15", articles=(chess, table)))
    ans = achievements(a, "眼科苏望舒在职工比赛中都获得过什么？", Filters())
    assert ans is not None
    assert ans.answer == f"亚军（《{chess.title}》）、最佳发球（《{table.title}》）"  # not the 冠军 won by 沈若溪
    assert [c.source.title for c in ans.citations] == [chess.title, table.title]
    assert achievements(a, "眼科苏望舒在象棋比赛中获得了第几名？", Filters()) is None  # one fact, not everything


def test_every_office_printed_before_the_name_across_issues_once_each(tmp_path_factory: pytest.TempPathFactory) -> None:
    meeting = Article(page=1, page_inferred=False, title="医院召开采购工作会", department="药学部", author="韩素问",
                      paragraphs=("会议由药学部主任、采购委员会主席沈若溪主持，眼科主任苏望舒、沈若溪等出席。",))
    profile = Article(page=4, page_inferred=False, title="三十年守着药房", subtitle="——记药学部党支部书记沈若溪",
                      department="药学部", author="韩素问",
                      paragraphs=("我和药学部主任沈若溪商量，先把库房理清。", "由沈若溪牵头，药房改了流程。"))
    a = tiny_archive(tmp_path_factory.mktemp("offices") / "var", tiny_issue(),
                     tiny_issue(total_no=302, issue_no=4, date="2025-04-15", articles=(meeting, profile)))
    ans = offices_held(a, "沈若溪在院报里先后以哪些职务出现？", Filters())
    assert ans is not None
    # each once; 由 and 我和 lead into a title, they are not part of it; the second 沈若溪 of a list has none
    assert ans.answer == "药学部主任、采购委员会主席、药学部党支部书记"
    assert [c.source.title for c in ans.citations] == [meeting.title, profile.title]
    assert answer_question(a, "沈若溪都担任过哪些职务？").answer == ans.answer
    assert offices_held(a, "沈若溪担任什么职务？", Filters()) is None  # one office asked, not every one
    other = offices_held(a, "苏望舒有哪些身份？", Filters())
    assert other is not None and other.answer == "眼科主任"  # not 药学部主任 of the name before hers
