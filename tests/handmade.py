"""A small hand-written issue of an invented hospital paper (people, departments and facts made up for the
tests, none taken from the samples), and an archive holding it, embedded with the fake embedder."""

from __future__ import annotations

from pathlib import Path

from conftest import fake_archive

from ingest import ingest_issue
from rag import Archive
from rag.models import Article, Issue, Page

PUBLICATION = "青禾市人民医院"
TOTAL_NO = 301

KNEE = Article(
    page=1, page_inferred=False, title="运动医学科完成首例机器人辅助膝关节置换手术", department="运动医学科", author="沈若溪",
    paragraphs=(
        "3月10日，青禾市人民医院运动医学科成功完成首例机器人辅助膝关节置换手术，手术用时90分钟，患者术后第二天即可下地行走。",
        "运动医学科主任钟予安介绍，机器人辅助可将截骨误差控制在1毫米以内。",
    ),
)
NURSING = Article(
    page=1, page_inferred=False, title="医院召开护理质量推进会", department="护理部", author="陆清和",
    paragraphs=(
        "3月12日，医院召开2025年护理质量推进会，会议由副院长林知远主持。",
        "院长顾明川出席会议并讲话，全院86名护士长参加会议。",
    ),
)
DENTAL = Article(
    page=2, page_inferred=False, title="口腔科走进社区开展爱牙义诊", department="口腔科", author="许闻笛",
    paragraphs=(
        "3月20日，口腔科医护人员走进青禾社区开展爱牙义诊，为120余名居民检查口腔健康。",
        "2019年，口腔科成立儿童口腔门诊，至今已接诊患儿3000余人次。",
    ),
)
NUTRITION = Article(
    page=2, page_inferred=True, title="营养科开设体重管理门诊", department="营养科", author="沈若溪",
    paragraphs=("营养科率先开设体重管理门诊，为超重患者制定个体化膳食方案。",),
)


def tiny_issue(total_no: int = TOTAL_NO, issue_no: int = 3, date: str = "2025-03-15",
               articles: tuple[Article, ...] = (KNEE, NURSING, DENTAL, NUTRITION)) -> Issue:
    """The hand-written issue: 2025年第3期（总第301期）, two pages."""
    pages = tuple(Page(n, False, tuple(a for a in articles if a.page == n)) for n in sorted({a.page for a in articles}))
    return Issue(publication=PUBLICATION, year=int(date[:4]), issue_no=issue_no, total_no=total_no, date=date,
                 pages=pages, source=f"handmade_{total_no}.txt", source_sha256="0" * 64,
                 editors=(("主编", ("韩素问",)), ("责编", ("唐亦舟",))))


def tiny_archive(data_dir: Path, *issues: Issue) -> Archive:
    """An archive under data_dir holding the given issues (the hand-written one by default)."""
    archive = fake_archive(data_dir)
    for issue in issues or (tiny_issue(),):
        ingest_issue(archive, issue, issue.source)
    return archive
