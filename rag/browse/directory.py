"""科室与人物: the departments and people who sign articles (bylines) or are named with a role (眼科副主任
王慧云), each with the articles they signed or appear in. Nothing else from body text becomes an entry."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..store import Archive, ArticleRow, catalog
from ..vocab import is_tagged_name

# A unit named in text but not in any byline is listed only when it is plainly one of the hospital's own:
# 某省儿童医院检验科 (another hospital) and fragments cut from it are not.
_OUTSIDE_UNIT = re.compile(r"省|市|县|大学|医院|^[^\u4e00-\u9fff]")


@dataclass(frozen=True)
class Entry:
    """A department or a person and where the archive mentions them."""

    name: str
    kind: str  # department | person
    bylines: tuple[ArticleRow, ...]  # articles they signed
    mentions: tuple[ArticleRow, ...]  # other articles naming them


def _names(field: str) -> list[str]:
    return [x for x in field.split("、") if x]


def _entries(archive: Archive, arts: list[ArticleRow]) -> list[tuple[str, str]]:
    """(name, kind): every byline, and the role-phrase names of the archive's dictionary that read as a
    person's name or one of the hospital's units."""
    signed = {(n, "department") for a in arts for n in _names(a.department)}
    signed |= {(n, "person") for a in arts for n in _names(a.author)}
    named = {(w, k) for w, k in catalog.lexicon(archive.conn)
             if (k == "person" and is_tagged_name(w)) or (k == "department" and not _OUTSIDE_UNIT.search(w))}
    return sorted(signed | named)


def directory(archive: Archive) -> list[Entry]:
    """Every department and person who signs or is named with a role, most mentioned first."""
    arts = [a for a in catalog.list_articles(archive.conn) if a.issue_kind == "newspaper"]
    out = []
    for word, kind in _entries(archive, arts):
        signed = tuple(a for a in arts if word in _names(a.department if kind == "department" else a.author))
        named = tuple(a for a in arts if a not in signed and word in f"{a.title}\n{a.editor_note}\n{a.body}")
        if signed or named:
            out.append(Entry(word, kind, signed, named))
    return sorted(out, key=lambda e: (-(len(e.bylines) + len(e.mentions)), e.name))
