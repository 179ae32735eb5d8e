"""Example questions for the page, drawn from what the archive holds now (so they fit the next issues too)."""

from __future__ import annotations

import re

from ..store import Archive

_FIRST = re.compile(r"首例|首次")
_FIRST_PROCEDURE = re.compile(r"首例([^，,。（(]{4,30}?术)")


def example_questions(archive: Archive, n: int = 6) -> list[str]:
    """Example questions drawn from what the archive holds now (so they fit the next issues too)."""
    arts = archive.articles()
    out = ["院报的主编是谁？"]
    depts = [a.department for a in arts if a.department]
    authors = [a.author for a in arts if a.author]
    if arts:
        out.append(f"《{arts[-1].title}》刊登在第几版？")
    for a in arts:
        m = _FIRST.search(a.body)
        if m and a.department:
            out.append(f"哪个科室{m.group(0)}开展了{_first_procedure(a.body)}？" if _first_procedure(a.body) else "")
            break
    if authors:
        out.append(f"{max(set(authors), key=authors.count)}在院报中写了哪些稿件？")
    if depts:
        out.append(f"{max(set(depts), key=depts.count)}在院报上发表了哪些文章？")
    issues = archive.issues()
    if issues:
        out.append(f"第{issues[-1].issue_no}期院报是哪天出版的？")
    return [q for q in dict.fromkeys(out) if q][:n]


def _first_procedure(body: str) -> str:
    m = _FIRST_PROCEDURE.search(body)
    return m.group(1) if m else ""
