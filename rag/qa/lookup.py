"""Questions answered from the catalog itself, not from evidence sentences: the masthead (主编, 出版日期),
every article an author or department signed, and where an article named by its title was printed."""

from __future__ import annotations

import re

from ..models import Answer, Citation, Filters, Source
from ..store import Archive, ArticleRow, IssueRow, catalog
from ..text import normalize
from .retrieve import passes

_EDITOR_ROLES = (("副主编", ("副主编",)), ("主编", ("主编",)), ("责编", ("责编", "责任编辑")))
_QUOTED_TITLE = re.compile(r"《([^》]{4,80})》")


def masthead_source(issue: IssueRow) -> Source:
    """An issue's masthead as a citable source (page 1, titled 报头)."""
    return Source(total_no=issue.total_no, issue_no=issue.issue_no, year=issue.year, date=issue.date, page=1,
                  page_inferred=False, title="报头", kind=issue.kind, origin=issue.source)


def article_citation(article: ArticleRow, quote: str = "") -> Citation:
    """An article cited by its first sentence (or the quote given)."""
    return Citation(article.source, quote or article.first_sentence())


def editors(archive: Archive, q: str, named: list[IssueRow]) -> Answer | None:
    """主编/副主编/责编 of the issue named (or of the newest issue)."""
    issues = named or catalog.list_issues(archive.conn)[-1:]
    if not issues:
        return None
    issue = issues[-1]
    roles = dict(issue.editors)
    role = next((r for r, words in _EDITOR_ROLES if any(w in q for w in words)), "")
    picked = [(role, roles[role])] if role in roles else [(r, n) for r, n in issue.editors if r != "本期责编"]
    if role == "责编" and "本期责编" in roles:  # the masthead's editor of this issue, then the paper's 责编
        picked = [("本期责编", roles["本期责编"]), *(p for p in picked if p[0] != "本期责编")]
    if not picked:
        return None
    answer = "、".join(picked[0][1]) if len(picked) == 1 else "；".join(f"{r}：{'、'.join(n)}" for r, n in picked)
    quote = "；".join(f"{r} {' '.join(n)}" for r, n in picked)
    return Answer(question=q, answer=answer, abstained=False, citations=(Citation(masthead_source(issue), quote),),
                  evidence=(quote,), qtype="editor", confidence=1.0)


def published(q: str, issues: list[IssueRow]) -> Answer:
    """The date the issues were published, with the weekday and the lunar date the masthead prints."""
    parts = [f"{_chinese_date(i.date)}（{'，'.join(x for x in (i.weekday, i.lunar, i.date) if x)}）" for i in issues]
    cites = tuple(Citation(masthead_source(i), " ".join(x for x in (i.label, i.date, i.weekday, i.lunar) if x))
                  for i in issues)
    return Answer(question=q, answer="；".join(parts), abstained=False, citations=cites,
                  evidence=tuple(c.quote for c in cites), qtype="published", confidence=1.0)


def _chinese_date(iso: str) -> str:
    """2026-11-01 → 2026年11月1日, the way the paper prints dates."""
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def authored(archive: Archive, q: str, filters: Filters) -> Answer | None:
    """Every article signed by the person (or the department) the question names, across all issues."""
    arts = [a for a in catalog.list_articles(archive.conn) if passes(a, filters)]
    people = {n for a in arts for n in a.author.split("、") if n}
    depts = {a.department for a in arts if a.department} - archive.publications()  # the paper's own name signs no unit
    who = sorted((p for p in people if p in q), key=len, reverse=True)
    dept = sorted((d for d in depts if d in q), key=len, reverse=True)
    if who:
        mine = [a for a in arts if who[0] in a.author.split("、")]
    elif dept:
        mine = [a for a in arts if a.department == dept[0]]
    else:
        return None
    if not mine:
        return None
    cites = tuple(article_citation(a) for a in mine)
    return Answer(question=q, answer="、".join(f"《{a.title}》" for a in mine), abstained=False, citations=cites,
                  evidence=tuple(c.quote for c in cites), qtype="authored", confidence=1.0)


_DEPT_OF = re.compile(r"^(?:的)?(?:是|在|属于)?(?:哪个|哪一个|什么|哪家)(?:科室|部门|单位)(?:的|工作)?(?:人|医生|员工|护士)?[？?。]*$")


def byline_department(archive: Archive, q: str) -> Answer | None:
    """X是哪个科室的 for a person who signs articles: the department(s) of their bylines, not a committee
    their name stands beside in some sentence."""
    bylines = archive.bylines()
    people = sorted({n for _, names, _ in bylines for n in names if n in q}, key=len, reverse=True)
    if not people or not _DEPT_OF.match(q.replace(people[0], "", 1).strip()):
        return None
    signed = [(i, d) for i, names, d in bylines if people[0] in names and d]
    if not signed:
        return None
    depts = list(dict.fromkeys(d for _, d in signed))
    cites = tuple(article_citation(a) for a in (archive.article(i) for i, _ in signed[:3]) if a is not None)
    return Answer(question=q, answer="、".join(depts), abstained=False, citations=cites,
                  evidence=tuple(c.quote for c in cites), qtype="department", confidence=1.0)


def page_listing(archive: Archive, q: str, named: list[IssueRow], page: int | None) -> Answer | None:
    """第N期第M版有哪些文章: the titles of that page, each cited."""
    if not named or page is None:
        return None
    arts = [a for i in named for a in catalog.list_articles(archive.conn, i.total_no) if a.page == page]
    if not arts:
        return None
    # a title with its subtitle, as the page prints it (药师也要“查房”——记某科某某)
    titles = list(dict.fromkeys(a.title + (f"——{a.subtitle.lstrip('—－- ')}" if a.subtitle else "") for a in arts))
    cites = tuple(article_citation(a) for a in arts)
    return Answer(question=q, answer="、".join(f"《{t}》" for t in titles), abstained=False, citations=cites,
                  evidence=tuple(c.quote for c in cites), qtype="pagelist", confidence=1.0)


def titled(archive: Archive, q: str) -> list[ArticleRow]:
    """The articles the question names by their title (《…》), exactly or by a long enough part."""
    quoted = [normalize(m) for m in _QUOTED_TITLE.findall(q)]
    if not quoted:
        return []
    ids = [i for i, t in archive.titles() if t and any(x == t or (len(x) >= 6 and (x in t or t in x)) for x in quoted)]
    found = [a for a in (archive.article(i) for i in ids) if a is not None]
    return sorted(found, key=lambda a: (a.date, a.total_no, a.page, a.seq))


def where_by_title(archive: Archive, q: str) -> Answer | None:
    """刊登在第几版/哪一期 for an article the question names by its title (《…》)."""
    for a in titled(archive, q)[:1]:
        c = article_citation(a)
        return Answer(question=q, answer=a.source.issue_and_page(), abstained=False, citations=(c,),
                      evidence=(c.quote,), qtype="where", confidence=1.0)
    return None
