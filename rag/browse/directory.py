"""科室与人物: the departments and people who sign articles (bylines) or are named with a role (眼科副主任
李某某), each with the articles they signed or appear in. Read from the directory the ingest keeps in the catalog
(rag.store.listings): searching it, or opening one name, reads that name's rows, not every article."""

from __future__ import annotations

from dataclasses import dataclass

from ..store import Archive, ArticleRow, catalog, listings
from ..store.listings import Listed

__all__ = ["Entry", "Listed", "directory", "directory_entry", "directory_search"]


@dataclass(frozen=True)
class Entry:
    """A department or a person and where the archive mentions them."""

    name: str
    kind: str  # department | person
    bylines: tuple[ArticleRow, ...]  # articles they signed
    mentions: tuple[ArticleRow, ...]  # other articles naming them


def directory_search(archive: Archive, query: str = "", kind: str = "", limit: int = 50,
                     offset: int = 0) -> tuple[list[Listed], int]:
    """(the names containing the query, most articles first, with their counts; how many names match)."""
    found = listings.search(archive.conn, query, kind, limit, offset)
    total = listings.count(archive.conn, kind) if not query.strip() else len(listings.search(archive.conn, query, kind, 10**6))
    return found, total


def directory_entry(archive: Archive, name: str, kind: str = "") -> Entry | None:
    """One name with the articles it signed and the other articles naming it, in reading order."""
    rows = listings.articles_of(archive.conn, name, kind)
    if not rows:
        return None
    found_kind = kind or next(x.kind for x in listings.search(archive.conn, name, "", 10**6) if x.name == name)
    arts = {a.id: a for a in (catalog.get_article(archive.conn, aid) for aid, _ in rows) if a is not None}
    return Entry(name, found_kind, tuple(arts[a] for a, s in rows if s and a in arts),
                 tuple(arts[a] for a, s in rows if not s and a in arts))


def directory(archive: Archive) -> list[Entry]:
    """Every department and person who signs or is named with a role, most mentioned first (the whole directory:
    for tools and tests; the page searches it)."""
    out = []
    for listed in listings.search(archive.conn, "", "", 10**6):
        entry = directory_entry(archive, listed.name, listed.kind)
        if entry is not None:
            out.append(entry)
    return out
