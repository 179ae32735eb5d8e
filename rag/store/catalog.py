"""The SQLite catalog: issues, pages, articles, chunks and the archive's lexicon (the keyword index lives in
the same database: see keyword.py). It is the source of truth: a chunk exists when the catalog lists it."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import Article, Chunk, Issue, Source
from ..text import split_sentences, table_rows

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS issues (
    total_no INTEGER PRIMARY KEY, issue_no INTEGER NOT NULL, year INTEGER NOT NULL, date TEXT NOT NULL,
    publication TEXT NOT NULL, weekday TEXT NOT NULL, lunar TEXT NOT NULL, editors TEXT NOT NULL,
    source TEXT NOT NULL, source_sha256 TEXT NOT NULL, content_key TEXT NOT NULL, kind TEXT NOT NULL,
    page_count INTEGER NOT NULL, ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS pages (
    total_no INTEGER NOT NULL REFERENCES issues(total_no) ON DELETE CASCADE, page INTEGER NOT NULL,
    inferred INTEGER NOT NULL, PRIMARY KEY (total_no, page)
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, total_no INTEGER NOT NULL REFERENCES issues(total_no) ON DELETE CASCADE,
    seq INTEGER NOT NULL, page INTEGER NOT NULL, page_inferred INTEGER NOT NULL, title TEXT NOT NULL,
    subtitle TEXT NOT NULL, kind TEXT NOT NULL, department TEXT NOT NULL, author TEXT NOT NULL,
    editor_note TEXT NOT NULL, body TEXT NOT NULL, chars INTEGER NOT NULL, ocr_conf REAL NOT NULL DEFAULT 1.0
);
CREATE INDEX IF NOT EXISTS articles_issue ON articles(total_no, seq);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    total_no INTEGER NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL, embed_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id, seq);
CREATE TABLE IF NOT EXISTS lexicon (word TEXT PRIMARY KEY, kind TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_fts USING fts5(tokens, chunk_id UNINDEXED, tokenize='unicode61');
CREATE TABLE IF NOT EXISTS directory (
    name TEXT NOT NULL, kind TEXT NOT NULL, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    signed INTEGER NOT NULL, PRIMARY KEY (name, kind, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS directory_article ON directory(article_id);
CREATE TABLE IF NOT EXISTS events (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, seq INTEGER NOT NULL, label TEXT NOT NULL,
    sort_key TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (article_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL DEFAULT (datetime('now')),
    question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, rating INTEGER NOT NULL,
    comment TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class ArticleRow:
    """An article as the catalog stores it, with its issue's citation fields."""

    id: str
    total_no: int
    issue_no: int
    year: int
    date: str
    seq: int
    page: int
    page_inferred: bool
    title: str
    subtitle: str
    kind: str
    department: str
    author: str
    editor_note: str
    body: str
    chars: int
    issue_kind: str = "newspaper"
    source_file: str = ""
    ocr_conf: float = 1.0

    @property
    def paragraphs(self) -> list[str]:
        """The body's paragraphs."""
        return self.body.split("\n") if self.body else []

    @property
    def source(self) -> Source:
        """Where this article was printed: the one place a citation's fields come from."""
        return Source(
            total_no=self.total_no, issue_no=self.issue_no, year=self.year, date=self.date, page=self.page,
            page_inferred=self.page_inferred, title=self.title, department=self.department, author=self.author,
            article_id=self.id, kind=self.issue_kind, origin=self.source_file,
        )

    def sentences(self) -> list[str]:
        """The article's sentences in order (editor's note first)."""
        paras = ([self.editor_note] if self.editor_note else []) + table_rows(self.paragraphs)
        return [s for p in paras for s in split_sentences(p)]

    def first_sentence(self) -> str:
        """The article's first sentence (or its title when it has no text)."""
        return next(iter(split_sentences(self.paragraphs[0])), self.title) if self.paragraphs else self.title


@dataclass(frozen=True)
class IssueRow:
    """An issue as the catalog stores it."""

    total_no: int
    issue_no: int
    year: int
    date: str
    publication: str
    weekday: str
    lunar: str
    editors: tuple[tuple[str, tuple[str, ...]], ...]
    source: str
    source_sha256: str
    content_key: str
    kind: str
    page_count: int

    @property
    def label(self) -> str:
        """2026年第4期（总第215期）."""
        if self.kind == "document":
            return self.source
        return f"{self.year}年第{self.issue_no}期（总第{self.total_no}期）"


def connect(path: Path) -> sqlite3.Connection:
    """Open (and create) the catalog. WAL lets readers go on while an ingest writes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(_SCHEMA)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    if "ocr_conf" not in columns:  # a catalog written before OCR: every article was text
        conn.execute("ALTER TABLE articles ADD COLUMN ocr_conf REAL NOT NULL DEFAULT 1.0")
    conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All or nothing: a crash before the end leaves the catalog exactly as it was."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def article_id(total_no: int, seq: int, article: Article) -> str:
    """Stable id of an article: its issue, its place, and a hash of its title."""
    h = hashlib.sha1(f"{article.title}|{article.paragraphs[:1]}".encode()).hexdigest()[:10]
    return f"{total_no}-{seq:02d}-{h}"


def archive_id(conn: sqlite3.Connection) -> str:
    """This archive's id, made once when the catalog is created: it names the archive's vector collection on
    a shared Chroma server."""
    found = get_meta(conn, "archive_id")
    if found:
        return found
    conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('archive_id', ?)", (uuid.uuid4().hex[:16],))
    return str(get_meta(conn, "archive_id"))


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    """A value from the meta table."""
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Store a value in the meta table."""
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                 (key, value))


def bump_generation(conn: sqlite3.Connection) -> None:
    """Count one more change of the archive's issues (inside the caller's transaction)."""
    conn.execute("INSERT INTO meta(key, value) VALUES ('generation', '1') "
                 "ON CONFLICT(key) DO UPDATE SET value=CAST(value AS INTEGER) + 1")


def generation(conn: sqlite3.Connection) -> int:
    """How many times issues were added or removed: what the page's lists are cached by (one key lookup)."""
    return int(get_meta(conn, "generation") or 0)


def issue_row(conn: sqlite3.Connection, total_no: int) -> IssueRow | None:
    """The issue with this 总第M期, if any."""
    rows = _issues(conn, "WHERE total_no=?", (total_no,))
    return rows[0] if rows else None


def list_issues(conn: sqlite3.Connection) -> list[IssueRow]:
    """All issues, oldest first."""
    return _issues(conn, "ORDER BY date, total_no", ())


_LABEL = "CASE kind WHEN 'document' THEN source ELSE year||'年第'||issue_no||'期（总第'||total_no||'期）' END"


def search_issues(conn: sqlite3.Connection, query: str, limit: int) -> list[IssueRow]:
    """The newest issues whose label, date or source file contain every word of the query (all of them, newest
    first, for an empty query), at most limit."""
    terms = [t for t in re.split(r"[\s,，、]+", query.strip()) if t][:5]
    where = " AND ".join(f"instr({_LABEL}||' '||date||' '||source, ?) > 0" for _ in terms) or "1"
    return _issues(conn, f"WHERE {where} ORDER BY date DESC, total_no DESC LIMIT ?", (*terms, limit))


def _issues(conn: sqlite3.Connection, where: str, args: Sequence[object]) -> list[IssueRow]:
    sql = ("SELECT total_no, issue_no, year, date, publication, weekday, lunar, editors, source, source_sha256, "
           f"content_key, kind, page_count FROM issues {where}")
    out = []
    for r in conn.execute(sql, tuple(args)):
        editors = tuple((role, tuple(names)) for role, names in json.loads(r[7]))
        out.append(IssueRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], editors, r[8], r[9], r[10], r[11], r[12]))
    return out


ARTICLE_COLS = ("a.id, a.total_no, i.issue_no, i.year, i.date, a.seq, a.page, a.page_inferred, a.title, a.subtitle, "
                 "a.kind, a.department, a.author, a.editor_note, a.body, a.chars, i.kind, i.source, a.ocr_conf")


def article_from_row(r: Sequence[Any]) -> ArticleRow:
    """An ArticleRow from a row selected with ARTICLE_COLS."""
    return ArticleRow(
        id=str(r[0]), total_no=int(r[1]), issue_no=int(r[2]), year=int(r[3]), date=str(r[4]), seq=int(r[5]),
        page=int(r[6]), page_inferred=bool(r[7]), title=str(r[8]), subtitle=str(r[9]), kind=str(r[10]),
        department=str(r[11]), author=str(r[12]), editor_note=str(r[13]), body=str(r[14]), chars=int(r[15]),
        issue_kind=str(r[16]), source_file=str(r[17]), ocr_conf=float(r[18]),
    )


def list_articles(conn: sqlite3.Connection, total_no: int | None = None) -> list[ArticleRow]:
    """Articles in reading order (issue, page, place on the page)."""
    where, args = ("WHERE a.total_no=?", (total_no,)) if total_no is not None else ("", ())
    sql = (f"SELECT {ARTICLE_COLS} FROM articles a JOIN issues i ON i.total_no=a.total_no {where} "
           "ORDER BY i.date, a.total_no, a.page, a.seq")
    return [article_from_row(r) for r in conn.execute(sql, args)]


def get_article(conn: sqlite3.Connection, article_id_: str) -> ArticleRow | None:
    """One article by id."""
    r = conn.execute(f"SELECT {ARTICLE_COLS} FROM articles a JOIN issues i ON i.total_no=a.total_no WHERE a.id=?",
                     (article_id_,)).fetchone()
    return article_from_row(r) if r else None


def chunk_rows(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[str, ArticleRow]]:
    """chunk id → (chunk text, its article) for the ids the catalog knows."""
    if not ids:
        return {}
    out: dict[str, tuple[str, ArticleRow]] = {}
    for start in range(0, len(ids), 500):
        part = list(ids[start: start + 500])
        marks = ",".join("?" * len(part))
        sql = (f"SELECT c.id, c.text, {ARTICLE_COLS} FROM chunks c JOIN articles a ON a.id=c.article_id "
               f"JOIN issues i ON i.total_no=a.total_no WHERE c.id IN ({marks})")
        for r in conn.execute(sql, part):
            out[str(r[0])] = (str(r[1]), article_from_row(r[2:]))
    return out


def articles_of_chunks(conn: sqlite3.Connection, ids: Sequence[str]) -> list[str]:
    """The ids of the articles these chunks belong to."""
    out: set[str] = set()
    for start in range(0, len(ids), 500):
        part = list(ids[start: start + 500])
        sql = f"SELECT DISTINCT article_id FROM chunks WHERE id IN ({','.join('?' * len(part))})"
        out |= {r[0] for r in conn.execute(sql, part)}
    return sorted(out)


def all_chunk_ids(conn: sqlite3.Connection) -> set[str]:
    """Every chunk id the catalog lists."""
    return {r[0] for r in conn.execute("SELECT id FROM chunks")}


def all_chunks_for_embedding(conn: sqlite3.Connection) -> list[tuple[str, str, dict[str, object]]]:
    """(id, embed_text, metadata) of every chunk, for rebuilding the vector index."""
    sql = (f"SELECT c.id, c.embed_text, {ARTICLE_COLS} FROM chunks c JOIN articles a ON a.id=c.article_id "
           "JOIN issues i ON i.total_no=a.total_no ORDER BY c.rowid")
    return [(r[0], r[1], vector_metadata(article_from_row(r[2:]).source)) for r in conn.execute(sql)]


def vector_metadata(source: Source) -> dict[str, object]:
    """What the vector store keeps beside each embedding, for filtering."""
    return {"total_no": source.total_no, "page": source.page, "department": source.department,
            "date_int": int(source.date.replace("-", "")), "article_id": source.article_id}


def insert_issue(
    conn: sqlite3.Connection, issue: Issue, chunks_by_article: list[tuple[str, Article, list[Chunk]]], content_key: str,
) -> None:
    """Write one issue with its pages, articles and chunks (inside the caller's transaction)."""
    bump_generation(conn)
    conn.execute(
        "INSERT INTO issues(total_no, issue_no, year, date, publication, weekday, lunar, editors, source, "
        "source_sha256, content_key, kind, page_count) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (issue.total_no, issue.issue_no, issue.year, issue.date, issue.publication, issue.weekday, issue.lunar,
         json.dumps([[r, list(n)] for r, n in issue.editors], ensure_ascii=False), issue.source,
         issue.source_sha256, content_key, issue.kind, len(issue.pages)),
    )
    for page in issue.pages:
        conn.execute("INSERT INTO pages(total_no, page, inferred) VALUES (?,?,?)",
                     (issue.total_no, page.number, int(page.inferred)))
    for seq, (aid, art, chunks) in enumerate(chunks_by_article):
        conn.execute(
            "INSERT INTO articles(id, total_no, seq, page, page_inferred, title, subtitle, kind, department, author, "
            "editor_note, body, chars, ocr_conf) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (aid, issue.total_no, seq, art.page, int(art.page_inferred), art.title, art.subtitle, art.kind,
             art.department, art.author, art.editor_note, art.body, art.chars, art.ocr_conf),
        )
        conn.executemany(
            "INSERT INTO chunks(id, article_id, total_no, seq, text, embed_text) VALUES (?,?,?,?,?,?)",
            [(c.id, aid, issue.total_no, c.seq, c.text, c.embed_text) for c in chunks],
        )


def delete_issue(conn: sqlite3.Connection, total_no: int) -> list[str]:
    """Remove an issue and everything under it (its directory and timeline rows go with its articles); returns
    the chunk ids it had."""
    bump_generation(conn)
    ids = [r[0] for r in conn.execute("SELECT id FROM chunks WHERE total_no=?", (total_no,))]
    conn.execute("DELETE FROM chunk_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE total_no=?)", (total_no,))
    conn.execute("DELETE FROM chunks WHERE total_no=?", (total_no,))
    conn.execute("DELETE FROM articles WHERE total_no=?", (total_no,))
    conn.execute("DELETE FROM pages WHERE total_no=?", (total_no,))
    conn.execute("DELETE FROM issues WHERE total_no=?", (total_no,))
    return ids


def lexicon(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(word, kind) of the archive's own dictionary."""
    return [(r[0], r[1]) for r in conn.execute("SELECT word, kind FROM lexicon ORDER BY word")]


def replace_lexicon(conn: sqlite3.Connection, words: dict[str, str]) -> None:
    """Replace the archive dictionary (inside the caller's transaction)."""
    conn.execute("DELETE FROM lexicon")
    conn.executemany("INSERT INTO lexicon(word, kind) VALUES (?, ?)", sorted(words.items()))


def texts_for_tokenizing(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(chunk id, embed_text) of every chunk, to rebuild the keyword index."""
    return [(r[0], r[1]) for r in conn.execute("SELECT id, embed_text FROM chunks")]


def chunks_containing(conn: sqlite3.Connection, words: set[str] | frozenset[str]) -> dict[str, str]:
    """(chunk id → embed_text) of the chunks whose text contains any of the words (case-insensitively)."""
    if not words:
        return {}
    pattern = re.compile("|".join(re.escape(w.lower()) for w in sorted(words, key=len, reverse=True)))
    return {cid: text for cid, text in conn.execute("SELECT id, embed_text FROM chunks")
            if pattern.search(text.lower())}


def publications(conn: sqlite3.Connection) -> frozenset[str]:
    """The names the archive's issues print as their publication (the newspaper's own name)."""
    return frozenset(r[0] for r in conn.execute("SELECT DISTINCT publication FROM issues") if r[0])


def issues_numbered(conn: sqlite3.Connection, issue_no: int, year: int | None = None) -> list[IssueRow]:
    """The issues printed as 第N期 (of that year, when given): looked up by key, not by listing all."""
    if year is None:
        return _issues(conn, "WHERE issue_no=? ORDER BY date", (issue_no,))
    return _issues(conn, "WHERE issue_no=? AND year=? ORDER BY date", (issue_no, year))


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many issues, articles and chunks the catalog holds."""
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("issues", "articles", "chunks")}
