"""Hybrid retrieval: dense (Chroma) and keyword (BM25 over jieba tokens), fused by relative score,
filtered by issue, date, page and department, and diversified so one article does not crowd out the rest."""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from . import catalog
from .archive import Archive
from .catalog import ArticleRow
from .models import Filters, Hit
from .text import to_simplified

KEYWORD_SHARE = 0.5  # relative score fusion: 0.5 × BM25/max + 0.5 × min-max scaled cosine


@dataclass(frozen=True)
class Retrieved:
    """Hits plus what was learnt on the way (question tokens and their weights)."""

    hits: list[Hit]
    tokens: list[str]
    idf: dict[str, float]
    best_dense: float


def _where(filters: Filters) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if filters.total_nos:
        clauses.append({"total_no": {"$in": list(filters.total_nos)}})
    if filters.pages:
        clauses.append({"page": {"$in": list(filters.pages)}})
    if filters.departments:
        clauses.append({"department": {"$in": list(filters.departments)}})
    if filters.date_from:
        clauses.append({"date_int": {"$gte": int(filters.date_from.replace("-", ""))}})
    if filters.date_to:
        clauses.append({"date_int": {"$lte": int(filters.date_to.replace("-", ""))}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def passes(article: ArticleRow, filters: Filters) -> bool:
    """Does this article satisfy the filters?"""
    if filters.total_nos and article.total_no not in filters.total_nos:
        return False
    if filters.pages and article.page not in filters.pages:
        return False
    if filters.departments and article.department not in filters.departments:
        return False
    if filters.date_from and article.date < filters.date_from:
        return False
    if filters.date_to and article.date > filters.date_to:
        return False
    return True


def document_frequencies(conn: sqlite3.Connection, tokens: list[str]) -> tuple[dict[str, int], int]:
    """How many chunks contain each token, and how many chunks there are."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunk_vocab USING fts5vocab(main, 'chunk_fts', 'row')")
    uniq = sorted(set(tokens))
    # the index splits endo-plif at the hyphen, as it does the question: a term counts by its rarest part
    parts = {t: [p for p in re.split(r"[^\w]+", t) if p] or [t] for t in uniq}
    lookup = sorted({p for ps in parts.values() for p in ps})
    found: dict[str, int] = {}
    if lookup:
        marks = ",".join("?" * len(lookup))
        for term, doc in conn.execute(f"SELECT term, doc FROM temp.chunk_vocab WHERE term IN ({marks})", lookup):
            found[term] = int(doc)
    df: dict[str, int] = {t: min(found.get(p, 0) for p in parts[t]) for t in uniq}
    total = conn.execute("SELECT count(*) FROM chunk_fts").fetchone()[0]
    return df, int(total)


def idf_weights(conn: sqlite3.Connection, tokens: list[str]) -> dict[str, float]:
    """BM25-style idf of each question token; a token the archive never uses weighs the most."""
    df, n = document_frequencies(conn, tokens)
    return {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}


def retrieve(archive: Archive, question: str, filters: Filters = Filters(), k: int | None = None) -> Retrieved:
    """The k best chunks for the question, fused from dense and keyword search, at most
    max_chunks_per_article from any one article."""
    s = archive.settings
    k = k or s.top_k
    archive.require_index()
    q = to_simplified(question.strip())
    tokens = archive.tokenizer().tokens(q)
    conn = archive.conn

    keyword = catalog.keyword_search(conn, tokens, s.keyword_k * (3 if not filters.is_empty() else 1))
    dense: list[tuple[str, float]] = []
    if s.dense_k > 0:  # dense_k = 0: keyword-only configuration (a corpus too large to embed here)
        vector = archive.embeddings.embed_query(q)
        dense = archive.store().query(vector, s.dense_k, _where(filters))

    rows = catalog.chunk_rows(conn, list({i for i, _ in keyword} | {i for i, _ in dense}))
    keyword = [(i, sc) for i, sc in keyword if i in rows and passes(rows[i][1], filters)][: s.keyword_k]
    dense = [(i, sc) for i, sc in dense if i in rows]  # the catalog is the truth: orphans are ignored

    fused = fuse(keyword, dense)
    k_rank = {i: r for r, (i, _) in enumerate(keyword)}
    d_rank = {i: r for r, (i, _) in enumerate(dense)}
    k_score = dict(keyword)
    d_score = dict(dense)

    ordered = sorted(fused, key=lambda i: -fused[i])
    per_article: dict[str, int] = {}
    hits: list[Hit] = []
    for cid in ordered:
        text, art = rows[cid]
        if per_article.get(art.id, 0) >= s.max_chunks_per_article:
            continue
        per_article[art.id] = per_article.get(art.id, 0) + 1
        hits.append(_hit(cid, text, art, fused[cid], d_score.get(cid, 0.0), k_score.get(cid, 0.0),
                         d_rank.get(cid), k_rank.get(cid)))
        if len(hits) >= k:
            break
    return Retrieved(hits, tokens, idf_weights(conn, tokens), max(d_score.values(), default=0.0))


def fuse(keyword: list[tuple[str, float]], dense: list[tuple[str, float]],
         share: float = KEYWORD_SHARE) -> dict[str, float]:
    """Relative score fusion. Unlike reciprocal-rank fusion, a chunk that one retriever ranks far above
    everything else (a rare word matched) keeps that lead instead of being averaged away."""
    fused: dict[str, float] = {}
    if keyword:
        top = max(s for _, s in keyword) or 1.0
        for i, s in keyword:
            fused[i] = fused.get(i, 0.0) + share * s / top
    if dense:
        hi, lo = max(s for _, s in dense), min(s for _, s in dense)
        for i, s in dense:
            fused[i] = fused.get(i, 0.0) + (1 - share) * (s - lo) / ((hi - lo) or 1.0)
    return fused


def _hit(cid: str, text: str, art: ArticleRow, score: float, dense: float, keyword: float,
         d_rank: int | None, k_rank: int | None) -> Hit:
    return Hit(
        chunk_id=cid, article_id=art.id, text=text, total_no=art.total_no, issue_no=art.issue_no, year=art.year,
        date=art.date, page=art.page, page_inferred=art.page_inferred, title=art.title, department=art.department,
        author=art.author, score=score, dense_score=dense, keyword_score=keyword, dense_rank=d_rank,
        keyword_rank=k_rank, kind=art.issue_kind, source=art.source,
    )


def keyword_only(archive: Archive, question: str, k: int) -> list[Hit]:
    """BM25 alone (a baseline for the evaluation)."""
    tokens = archive.tokenizer().tokens(to_simplified(question))
    found = catalog.keyword_search(archive.conn, tokens, k)
    rows = catalog.chunk_rows(archive.conn, [i for i, _ in found])
    return [_hit(i, rows[i][0], rows[i][1], s, 0.0, s, None, r) for r, (i, s) in enumerate(found) if i in rows]


def dense_only(archive: Archive, question: str, k: int) -> list[Hit]:
    """Dense search alone (a baseline for the evaluation)."""
    found = archive.store().query(archive.embeddings.embed_query(to_simplified(question)), k)
    rows = catalog.chunk_rows(archive.conn, [i for i, _ in found])
    return [_hit(i, rows[i][0], rows[i][1], s, s, 0.0, r, None) for r, (i, s) in enumerate(found) if i in rows]

