"""科室与人物: departments and people named in bylines and text, each with the articles that mention them."""

from __future__ import annotations

from dataclasses import dataclass

from ..store import Archive, ArticleRow, catalog


@dataclass(frozen=True)
class Entry:
    """A department or a person and where the archive mentions them."""

    name: str
    kind: str  # department | person
    bylines: tuple[ArticleRow, ...]  # articles they signed
    mentions: tuple[ArticleRow, ...]  # other articles naming them


def directory(archive: Archive) -> list[Entry]:
    """Every department and person of the archive's dictionary, most mentioned first."""
    arts = catalog.list_articles(archive.conn)
    out = []
    for word, kind in catalog.lexicon(archive.conn):
        if kind not in ("department", "person"):
            continue
        signed = tuple(a for a in arts if word in (a.department if kind == "department" else a.author).split("、"))
        named = tuple(a for a in arts if a not in signed and word in f"{a.title}\n{a.editor_note}\n{a.body}")
        if signed or named:
            out.append(Entry(word, kind, signed, named))
    return sorted(out, key=lambda e: (-(len(e.bylines) + len(e.mentions)), e.name))
