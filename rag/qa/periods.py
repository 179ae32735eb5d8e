"""Near misses of another time: the question asks about one session (第二期, 三届五次), day (11月5日) or year
(2025年度, 2025年1—10月) of something, and the answer's article or paragraph prints only others."""

from __future__ import annotations

import re

from ..text import chinese_int, normalize

# The session of a recurring event: 第二期, 首届, 头一期, 第8批 (not 第二次 / 首次, which often just mean "again"
# or "for the first time").
_SESSION = re.compile(r"(?:第\s*([0-9一二两三四五六七八九十百]+)|(首|头一))\s*(期|届|批|轮)")


_SITTING = re.compile(r"第?([0-9一二两三四五六七八九十]+)届[^，,。；;]{0,12}?第?([0-9一二两三四五六七八九十]+)次")


def names_a_session(question: str) -> bool:
    """Does the question name a session (第二期, 首届) or a sitting (三届五次) of something?"""
    return _SESSION.search(question) is not None or _SITTING.search(question) is not None


def other_session(question: str, article: str) -> tuple[str, str] | None:
    """The session the question asks about (第二期培训营; 三届五次职代会, the fifth sitting of the third term)
    when the article prints only other sessions of that kind (首期; 三届四次): (asked, printed), else None."""
    if not names_a_session(question):
        return None  # most questions: the article need not be read
    sittings = list(_SITTING.finditer(article))
    for m in _SITTING.finditer(question):
        term_and_sitting = (chinese_int(m.group(1)), chinese_int(m.group(2)))
        if sittings and all((chinese_int(p.group(1)), chinese_int(p.group(2))) != term_and_sitting for p in sittings):
            return m.group(0), sittings[0].group(0)
    asked = [(m.group(0), _session_no(m), m.group(3)) for m in _SESSION.finditer(question)]
    for text, no, unit in asked:
        printed = [(m.group(0), _session_no(m)) for m in _SESSION.finditer(article) if m.group(3) == unit]
        if no is not None and printed and all(n != no for _, n in printed if n is not None):
            return text, printed[0][0]
    return None


_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")


def other_day(question: str, paragraph: str, article: str = "") -> tuple[str, str] | None:
    """The day the question dates its event by (11月5日的培训会) when the (normalized) paragraph of the answer
    prints other days of the month but never that one, not even as 5日 alone: it reports another event (a brief
    news list dates each item in its own paragraph). A paragraph that prints no day is judged by its article.
    (asked, printed), else None."""
    printed = _DAY.search(paragraph)
    if printed is None:
        if not article or article == paragraph:
            return None
        return other_day(question, article)
    for m in _DAY.finditer(normalize(question)):
        if not re.search(rf"(?<!\d){int(m.group(2))}日", paragraph):
            return m.group(0), printed.group(0)
    return None


# a period of a year (2025年1—10月, 2025年3月, 2025年度): the year and the months
_YEAR_MONTHS = re.compile(r"((?:19|20)\d\d)年(\d{1,2}(?:[—–\-~至到]\d{1,2})?月|度)")
_RELATIVE_YEAR = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}


def other_year(question: str, paragraph: str, issue_date: str) -> tuple[str, str] | None:
    """The months of a year the question asks about (2025年1—10月, 2025年度) when the (normalized) paragraph prints
    those months of another year only (今年1—10月 in a 2026 issue, or 2026年1—10月): the figure is another year's.
    (asked, printed), else None."""
    q = normalize(question)
    issue_year = int(issue_date[:4]) if issue_date[:4].isdigit() else None
    for m in _YEAR_MONTHS.finditer(q):
        months, printed = m.group(2), []
        for p in re.finditer(rf"(今年|本年|去年|上年|前年|明年|(?:19|20)\d\d年)(?:的)?{re.escape(months)}", paragraph):
            word = p.group(1)
            year = int(word[:4]) if word[0].isdigit() else (
                issue_year + _RELATIVE_YEAR[word] if issue_year is not None else None)
            printed.append((p.group(0), year))
        if printed and all(year is not None and year != int(m.group(1)) for _, year in printed):
            return m.group(0), printed[0][0]
    return None


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年(?![度\d])")  # 2025年, not 2025年度 / 2025年3月 (other_year's)
# a year that dates what the sentence says (not 继1987年以后: a year it is compared with)
_ANY_YEAR = re.compile(r"(今年|本年|去年|上年|前年|明年|(?<!\d)(?:19|20)\d\d年)(?!以后|之后|以前|之前|以来)")


def other_year_said(question: str, sentence: str, issue_date: str) -> tuple[str, str] | None:
    """The year the question dates its fact by (医院2024年开展了多少例) when the answer's (normalized) sentence
    dates its fact by other years only (2025年开展…11例; 今年 in a 2025 issue): (asked, printed), else None."""
    asked = {int(m.group(1)) for m in _YEAR.finditer(normalize(question))}
    issue_year = int(issue_date[:4]) if issue_date[:4].isdigit() else None
    printed: dict[int, str] = {}
    for m in _ANY_YEAR.finditer(sentence):
        word = m.group(1)
        year = int(word[:4]) if word[0].isdigit() else (
            issue_year + _RELATIVE_YEAR[word] if issue_year is not None else None)
        if year is not None:
            printed.setdefault(year, word)
    if asked and printed and not asked & set(printed):
        return f"{min(asked)}年", next(iter(printed.values()))
    return None


# a month's end or the whole month as a point of a running count (截至9月底, 到5月末, 8月份)
_MONTH_POINT = re.compile(r"(?<!\d)(\d{1,2})月(?:底|末|份)")


def month_points(text: str) -> frozenset[int]:
    """The months a (normalized) text counts to or speaks of as a whole (截至9月底 → 9; 5月末; 8月份)."""
    return frozenset(int(m.group(1)) for m in _MONTH_POINT.finditer(text))


def other_month(asked: frozenset[int], sentence: str) -> bool:
    """The question counts to a month (截至9月底) and the (normalized) sentence counts to other months only
    (截至6月底…累计15例), never printing the month asked: a running total at another point."""
    printed = month_points(sentence) if asked else frozenset()
    return bool(printed) and not printed & asked and not any(f"{m}月" in sentence for m in asked)


def _session_no(m: re.Match[str]) -> int | None:
    return 1 if m.group(2) else chinese_int(m.group(1))
