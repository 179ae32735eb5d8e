"""Assemble an Issue from pages of paragraphs, whichever reader produced them: the masthead (第N期, 总第M期,
the date checked against the printed weekday), the editors' box, page furniture, and articles per page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from rag.errors import IssueParseError
from rag.models import Article, Issue, Page
from rag.text import chinese_int

from .textlayout import ArticleDraft, Para, segment_articles

_MASTHEAD = re.compile(r"第\s*(\d{1,3})\s*期\s*总\s*第\s*(\d{1,5})\s*期(?:\s*责\s*编\s*(\S+))?")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?$")
_DAY = re.compile(r"^(\d{1,2})(?:\s*日)?$")
_WEEKDAY = re.compile(r"^(?:星期|周)([一二三四五六日天])$")
_LUNAR = re.compile(r"^农历\S*$")
EDITOR_LINE = re.compile(r"^(主\s*编|副\s*主\s*编|责\s*编|编\s*辑|校\s*对|美\s*编)\s+(.+)$")
PAGE_MARK = re.compile(r"^第\s*([一二三四五六七八九十\d]{1,3})\s*版(?:\s|$|[·:：])")
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class IssueMeta:
    """Issue metadata given by hand, for a file whose masthead is missing or unreadable."""

    issue_no: int | None = None
    total_no: int | None = None
    date: str | None = None
    publication: str = ""


def cn_number(text: str) -> int:
    """'3' or '三' or '十二' as an int (a page or issue number as printed)."""
    n = chinese_int(text)
    if n is None:
        raise IssueParseError(f"{text!r} is not a number", f"无法识别的数字：{text}")
    return n


@dataclass
class Masthead:
    """What the masthead prints: publication, 第N期, 总第M期, date, weekday, lunar date, 责编."""

    publication: str
    issue_no: int
    total_no: int
    year: int
    date: str
    weekday: str
    lunar: str
    duty_editor: str
    start: int  # paragraph index range the masthead occupies
    end: int


def find_masthead(paras: list[Para], path: Path) -> Masthead | None:
    """Locate and read the masthead among the paragraphs, checking the date against the weekday."""
    for i, p in enumerate(paras):
        m = _MASTHEAD.search(p.text)
        if not m or len(p.text) > 60:
            continue
        start = i
        publication = ""
        if i > 0 and len(paras[i - 1].text) <= 12 and not re.search(r"[。，,]", paras[i - 1].text):
            publication = paras[i - 1].text
            start = i - 1
        year = month = day = None
        weekday = lunar = ""
        j = i + 1
        while j < len(paras) and j <= i + 5:
            t = paras[j].text.replace(" ", "")
            if (ym := _YEAR_MONTH.match(t)) and year is None:
                year, month = int(ym.group(1)), int(ym.group(2))
                day = int(ym.group(3)) if ym.group(3) else None
            elif (d := _DAY.match(t)) and year is not None and day is None:
                day = int(d.group(1))
            elif (w := _WEEKDAY.match(t)) and not weekday:
                weekday = "星期" + w.group(1)
            elif _LUNAR.match(t) and not lunar:
                lunar = t
            else:
                break
            j += 1
        if year is None or month is None or day is None:
            raise IssueParseError(
                f"{path}: masthead found but its date is unreadable; give --date YYYY-MM-DD",
                f"报头日期无法识别，请用 --date 指定日期：{path}",
            )
        try:
            date = dt.date(year, month, day)
        except ValueError:
            raise IssueParseError(
                f"{path}: masthead date {year}-{month}-{day} does not exist", f"报头日期不存在：{path}"
            ) from None
        if weekday:
            printed = _WEEKDAYS.index(weekday[-1].replace("天", "日"))
            if printed != date.weekday():
                raise IssueParseError(
                    f"{path}: masthead date {date.isoformat()} is a {_WEEKDAYS[date.weekday()]} but the paper prints "
                    f"{weekday}; give --date YYYY-MM-DD",
                    f"报头日期 {date.isoformat()} 与所印{weekday}不符，请用 --date 指定正确日期：{path}",
                )
        return Masthead(
            publication=publication, issue_no=int(m.group(1)), total_no=int(m.group(2)), year=year,
            date=date.isoformat(), weekday=weekday, lunar=lunar, duty_editor=(m.group(3) or "").strip(),
            start=start, end=j,
        )
    return None


def editors_box(paras: list[Para]) -> tuple[int, int, list[tuple[str, tuple[str, ...]]]] | None:
    """The editors' box (主 编 … 副主编 … 责 编 …): its paragraph range and its names."""
    idx = [i for i, p in enumerate(paras) if EDITOR_LINE.match(p.text)]
    if not idx:
        return None
    # the box is the first run of consecutive editor lines
    start = idx[0]
    end = start
    while end < len(paras) and EDITOR_LINE.match(paras[end].text):
        end += 1
    roles: list[tuple[str, tuple[str, ...]]] = []
    for p in paras[start:end]:
        m = EDITOR_LINE.match(p.text)
        assert m
        roles.append((m.group(1).replace(" ", ""), tuple(m.group(2).split())))
    return start, end, roles


def to_article(d: ArticleDraft, page: int, inferred: bool) -> Article:
    return Article(
        page=page, page_inferred=inferred, title=d.title, subtitle=d.subtitle, department=d.department,
        author=d.author, editor_note=d.editor_note, kind=d.kind, paragraphs=tuple(d.paragraphs),
    )


def parse_pages(
    page_paras: list[tuple[int, bool, list[Para]]], path: Path, meta: IssueMeta, file_sha: str,
    masthead: Masthead | None, editors: list[tuple[str, tuple[str, ...]]],
) -> Issue:
    """Build the Issue from pages whose numbers are known."""
    pages = []
    for number, inferred, paras in page_paras:
        drafts = segment_articles(paras)
        pages.append(Page(number, inferred, tuple(to_article(d, number, inferred) for d in drafts)))
    return assemble_issue(pages, path, meta, file_sha, masthead, editors)


def assemble_issue(
    pages: list[Page], path: Path, meta: IssueMeta, file_sha: str, masthead: Masthead | None,
    editors: list[tuple[str, tuple[str, ...]]],
) -> Issue:
    issue_no = meta.issue_no or (masthead.issue_no if masthead else None)
    total_no = meta.total_no or (masthead.total_no if masthead else None)
    date = meta.date or (masthead.date if masthead else None)
    if issue_no is None or total_no is None or date is None:
        raise IssueParseError(
            f"{path}: no masthead (第N期总第M期 and the date) found; give --issue-no, --total-no and --date",
            f"未找到报头（第N期总第M期及日期），请用 --issue-no --total-no --date 指定：{path}",
        )
    try:
        year = dt.date.fromisoformat(date).year
    except ValueError:
        raise IssueParseError(f"{path}: date {date!r} is not YYYY-MM-DD", f"日期格式应为 YYYY-MM-DD：{date}") from None
    eds = list(editors)
    if masthead and masthead.duty_editor:
        eds.append(("本期责编", (masthead.duty_editor,)))
    pages = sorted((p for p in pages if p.articles), key=lambda p: p.number)
    if not pages:
        raise IssueParseError(f"{path}: no article found in the file", f"文件中未找到任何文章：{path}")
    return Issue(
        publication=meta.publication or (masthead.publication if masthead else ""),
        year=year, issue_no=issue_no, total_no=total_no, date=date, pages=tuple(pages), source=path.name,
        source_sha256=file_sha, editors=tuple(eds), weekday=masthead.weekday if masthead else "",
        lunar=masthead.lunar if masthead else "",
    )


def remove_furniture(paras: list[Para], path: Path) -> tuple[list[Para], list[tuple[str, tuple[str, ...]]]]:
    """Drop the masthead and the editors' box from a page, keeping the editors' names."""
    m = find_masthead(paras, path)
    if m:
        paras = paras[: m.start] + paras[m.end:]
    box = editors_box(paras)
    if not box:
        return paras, []
    return paras[: box[0]] + paras[box[1]:], box[2]


