"""The directory (科室与人物) kept in the catalog: one row per name and article that signs it (a byline) or names it,
maintained as issues come and go, so that the page reads it instead of scanning every article.

Who is listed: every byline department and author, and the names the archive's dictionary caught beside a role
title (眼科副主任李某某) when they read as a person (a common surname, and jieba reads the word as one personal
name that is not an everyday word: not 工作, 进行, 高级) or as one of the hospital's own units (not another hospital's,
某省儿童医院检验科, nor 各科)."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..text import NAME_MAX_FREQ, Tokenizer
from ..vocab import NOT_UNIT_START, is_tagged_name
from . import catalog

# A unit named in text but not in any byline is listed only when it is plainly one of the hospital's own.
_OUTSIDE_UNIT = re.compile(r"省|市|县|大学|医院|^[^\u4e00-\u9fff]")
KINDS = ("department", "person")
RULES = hashlib.sha256(f"{_OUTSIDE_UNIT.pattern}|{NOT_UNIT_START.pattern}|{NAME_MAX_FREQ}|v1".encode()).hexdigest()[:12]

Names = set[tuple[str, str]]


@dataclass(frozen=True)
class Listed:
    """One name of the directory with how many articles sign it and name it."""

    name: str
    kind: str  # department | person
    signed: int
    named: int


def accepted(word: str, kind: str, tokenizer: Tokenizer | None) -> bool:
    """Whether a dictionary word caught beside a role is listed (a byline is listed whatever it is); tokenizer:
    plain jieba, needed for a person."""
    if kind == "person":
        return is_tagged_name(word) and tokenizer is not None and tokenizer.is_name_word(word, NAME_MAX_FREQ)
    return kind == "department" and not _OUTSIDE_UNIT.search(word) and not NOT_UNIT_START.match(word)


def _split(field: str) -> list[str]:
    return [x for x in field.split("、") if x]


def bylines(conn: sqlite3.Connection, article_ids: Iterable[str] | None = None) -> Names:
    """(name, kind) of every byline of the newspaper's articles (of these articles only, when given)."""
    sql = "SELECT a.id, a.department, a.author FROM articles a JOIN issues i ON i.total_no=a.total_no WHERE i.kind='newspaper'"
    wanted = set(article_ids) if article_ids is not None else None
    out: Names = set()
    for aid, dept, author in conn.execute(sql):
        if wanted is None or aid in wanted:
            out |= {(n, "department") for n in _split(dept)} | {(n, "person") for n in _split(author)}
    return out


def _texts(conn: sqlite3.Connection, article_ids: Iterable[str] | None) -> list[tuple[str, str, str, str]]:
    """(id, department, author, title + editor's note + body) of newspaper articles (these, or all)."""
    sql = ("SELECT a.id, a.department, a.author, a.title||char(10)||a.editor_note||char(10)||a.body FROM articles a "
           "JOIN issues i ON i.total_no=a.total_no WHERE i.kind='newspaper'")
    if article_ids is None:
        return [tuple(r) for r in conn.execute(sql)]
    ids = sorted(set(article_ids))
    out: list[tuple[str, str, str, str]] = []
    for start in range(0, len(ids), 500):
        part = ids[start: start + 500]
        out += conn.execute(f"{sql} AND a.id IN ({','.join('?' * len(part))})", part).fetchall()
    return out


def _rows(names: Names, texts: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str, int]]:
    """(name, kind, article id, signed) of each name an article signs or names."""
    out = []
    for aid, dept, author, text in texts:
        signed = {(n, "department") for n in _split(dept)} | {(n, "person") for n in _split(author)}
        for name, kind in names:
            if (name, kind) in signed:
                out.append((name, kind, aid, 1))
            elif name in text:
                out.append((name, kind, aid, 0))
    return out


def listed_names(conn: sqlite3.Connection) -> Names:
    """(name, kind) of every name the directory lists now."""
    return {(r[0], r[1]) for r in conn.execute("SELECT DISTINCT name, kind FROM directory")}


def update(conn: sqlite3.Connection, tokenizer: Callable[[], Tokenizer], new_articles: list[str],
           added: dict[str, str], dropped: Iterable[str], candidates: Iterable[str] | None) -> None:
    """Keep the directory in step with the catalog (inside the caller's transaction): rows of new articles for
    every listed name, rows of newly listed names (dictionary words added, new bylines) across the archive, and
    no rows for dropped words. candidates: the ids of the articles that hold any added word (what the keyword
    index found already), or None to look everywhere."""
    gone = sorted(set(dropped))
    conn.executemany("DELETE FROM directory WHERE name=?", [(w,) for w in gone])
    listed = listed_names(conn)
    fresh = {(w, k) for w, k in added.items() if k in KINDS and (w, k) not in listed}
    tok = tokenizer() if any(k == "person" for _, k in fresh) else None
    fresh = {(w, k) for w, k in fresh if accepted(w, k, tok)}
    new_bylines = bylines(conn, new_articles) - listed
    rows = _rows(listed - fresh - new_bylines, _texts(conn, new_articles)) if new_articles else []
    unseen = new_bylines - fresh  # a byline whose word the dictionary held already, not as a listed name
    fresh |= new_bylines
    if fresh:
        scope = None if unseen or candidates is None else set(candidates) | set(new_articles)
        rows += _rows(fresh, _texts(conn, scope))
    conn.executemany("INSERT OR REPLACE INTO directory(name, kind, article_id, signed) VALUES (?,?,?,?)", rows)


def prune(conn: sqlite3.Connection, tokenizer: Callable[[], Tokenizer]) -> None:
    """After an issue was removed: drop the names that are neither a byline any more nor a listed role name."""
    signed, lexicon = bylines(conn), dict(catalog.lexicon(conn))
    doubtful = [(n, k) for n, k in listed_names(conn) if (n, k) not in signed]
    tok = tokenizer() if doubtful else None
    drop = [(n, k) for n, k in doubtful if lexicon.get(n) != k or not accepted(n, k, tok)]
    conn.executemany("DELETE FROM directory WHERE name=? AND kind=?", drop)


def rebuild(conn: sqlite3.Connection, tokenizer: Callable[[], Tokenizer]) -> None:
    """The whole directory built again (the rules changed, or the catalog predates it)."""
    conn.execute("DELETE FROM directory")
    lexicon = {w: k for w, k in catalog.lexicon(conn) if k in KINDS}
    tok = tokenizer() if lexicon else None
    names = {(w, k) for w, k in lexicon.items() if accepted(w, k, tok)} | bylines(conn)
    conn.executemany("INSERT INTO directory(name, kind, article_id, signed) VALUES (?,?,?,?)",
                     _rows(names, _texts(conn, None)))
    catalog.set_meta(conn, "directory_rules", RULES)


def is_current(conn: sqlite3.Connection) -> bool:
    """Whether the directory was built with the present rules."""
    return catalog.get_meta(conn, "directory_rules") == RULES


def search(conn: sqlite3.Connection, query: str = "", kind: str = "", limit: int = 50, offset: int = 0) -> list[Listed]:
    """The names that contain the query (every name for an empty one), of one kind or both, most articles first."""
    where = ["instr(name, ?) > 0"] if query.strip() else []
    args: list[object] = [query.strip()] if query.strip() else []
    if kind:
        where.append("kind=?")
        args.append(kind)
    sql = (f"SELECT name, kind, sum(signed), sum(1 - signed) FROM directory {'WHERE ' + ' AND '.join(where) if where else ''} "
           "GROUP BY name, kind ORDER BY count(*) DESC, name LIMIT ? OFFSET ?")
    return [Listed(r[0], r[1], int(r[2]), int(r[3])) for r in conn.execute(sql, (*args, limit, offset))]


def count(conn: sqlite3.Connection, kind: str = "") -> int:
    """How many names the directory lists (of one kind, when given)."""
    sql = "SELECT count(*) FROM (SELECT DISTINCT name, kind FROM directory" + (" WHERE kind=?)" if kind else ")")
    return int(conn.execute(sql, (kind,) if kind else ()).fetchone()[0])


def articles_of(conn: sqlite3.Connection, name: str, kind: str = "") -> list[tuple[str, bool]]:
    """(article id, signed) of every article that signs or names this name, in reading order."""
    sql = ("SELECT d.article_id, max(d.signed) FROM directory d JOIN articles a ON a.id=d.article_id "
           "JOIN issues i ON i.total_no=a.total_no WHERE d.name=? " + ("AND d.kind=? " if kind else "") +
           "GROUP BY d.article_id ORDER BY i.date, a.total_no, a.page, a.seq")
    return [(str(r[0]), bool(r[1])) for r in conn.execute(sql, (name, kind) if kind else (name,))]
