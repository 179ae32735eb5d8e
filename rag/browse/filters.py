"""Filters as people type them (CLI options, the page's controls), checked at the edge: a malformed value,
or one that matches nothing in the archive, is named instead of quietly answering 档案中未找到相关记载."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import UsageError, check_date, check_positive
from ..models import Filters
from ..store import Archive, ArticleRow

# How messages name each control: (in Chinese, in English); the CLI's options by default.
CLI_LABELS = {"issue": ("期次 --issue", "--issue"), "from": ("起始日期 --from", "--from"),
              "to": ("截止日期 --to", "--to"), "page": ("版面 --page", "--page")}


def make_filters(issues: Iterable[int] = (), date_from: str | None = "", date_to: str | None = "",
                 pages: Iterable[int] = (), departments: Iterable[str] = (),
                 labels: dict[str, tuple[str, str]] | None = None) -> Filters:
    """Filters from raw values: positive issue and page numbers, real YYYY-MM-DD dates in order."""
    zh = {k: v[0] for k, v in (labels or CLI_LABELS).items()}
    en = {k: v[1] for k, v in (labels or CLI_LABELS).items()}
    total_nos = tuple(dict.fromkeys(int(check_positive(n, en["issue"], zh["issue"]) or 0) for n in issues))
    page_nos = tuple(dict.fromkeys(int(check_positive(n, en["page"], zh["page"]) or 0) for n in pages))
    start, end = check_date(date_from, en["from"], zh["from"]), check_date(date_to, en["to"], zh["to"])
    if start and end and start > end:
        raise UsageError(f"{en['from']} ({start}) is after {en['to']} ({end})",
                         f"{zh['from']} {start} 晚于 {zh['to']} {end}")
    depts = tuple(dict.fromkeys(d.strip() for d in departments if d and d.strip()))
    return Filters(total_nos=total_nos, date_from=start, date_to=end, pages=page_nos, departments=depts)


def check_filters(archive: Archive, filters: Filters) -> None:
    """Name each filter that matches nothing in the archive (an empty archive is left to the answerer)."""
    if filters.is_empty():
        return
    arts = archive.articles()
    if not arts:
        return
    issues = {a.total_no: a.date for a in arts}
    _absent(filters.total_nos, set(issues), "issue", "档案中没有总第{}期")
    _absent(filters.pages, {a.page for a in arts}, "page", "档案中没有第{}版")
    _absent(filters.departments, {a.department for a in arts if a.department}, "byline department", "档案中没有署名科室“{}”")
    if (filters.date_from or filters.date_to) and not [a for a in arts if _in_range(a, filters)]:
        first, last = min(issues.values()), max(issues.values())
        span = f"{filters.date_from or '…'} – {filters.date_to or '…'}"
        raise UsageError(f"no issue was published {span} (the archive runs {first} – {last})",
                         f"档案中没有在 {span} 出版的期次（现有 {first} 至 {last}）")
    if not any(_matches(a, filters) for a in arts):
        raise UsageError("no article matches all these filters together", "这些筛选条件合在一起没有匹配的文章")


def _absent(wanted: tuple[object, ...], present: set[object], what: str, zh: str) -> None:
    missing = [w for w in wanted if w not in present]
    if missing:
        names = "、".join(map(str, missing))
        raise UsageError(f"{what} {', '.join(map(str, missing))} is not in the archive", zh.format(names))


def _in_range(a: ArticleRow, f: Filters) -> bool:
    return (not f.date_from or a.date >= f.date_from) and (not f.date_to or a.date <= f.date_to)


def _matches(a: ArticleRow, f: Filters) -> bool:
    return (_in_range(a, f) and (not f.total_nos or a.total_no in f.total_nos)
            and (not f.pages or a.page in f.pages) and (not f.departments or a.department in f.departments))
