"""Hybrid retrieval: dense (Chroma) and keyword (BM25 over jieba tokens), fused by relative score,
filtered by issue, date, page and department, and diversified so one article does not crowd out the rest."""

from __future__ import annotations

from typing import Any

from ..models import Filters, Hit
from ..store import Archive, ArticleRow, catalog, keyword
from ..text import to_simplified


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
    return not (
        (filters.total_nos and article.total_no not in filters.total_nos)
        or (filters.pages and article.page not in filters.pages)
        or (filters.departments and article.department not in filters.departments)
        or (filters.date_from and article.date < filters.date_from)
        or (filters.date_to and article.date > filters.date_to)
    )


def retrieve(archive: Archive, question: str, filters: Filters = Filters(), k: int | None = None) -> list[Hit]:
    """The k best chunks for the question, fused from dense and keyword search, at most
    max_chunks_per_article from any one article."""
    s = archive.settings.retrieval
    k = k or s.top_k
    archive.require_index()
    q = to_simplified(question.strip())
    tokens = archive.tokenizer().tokens(q)
    conn = archive.conn

    found = keyword.search(conn, tokens, s.keyword_k * (s.filtered_overfetch if not filters.is_empty() else 1))
    dense: list[tuple[str, float]] = []
    if s.dense_k > 0:  # dense_k = 0: keyword-only configuration (a corpus too large to embed here)
        vector = archive.embeddings.embed_query(q)
        dense = archive.store().query(vector, s.dense_k, _where(filters))

    rows = catalog.chunk_rows(conn, list({i for i, _ in found} | {i for i, _ in dense}))
    found = [(i, sc) for i, sc in found if i in rows and passes(rows[i][1], filters)][: s.keyword_k]
    dense = [(i, sc) for i, sc in dense if i in rows]  # the catalog is the truth: orphans are ignored

    fused = fuse(found, dense, s.keyword_share)
    k_rank = {i: r for r, (i, _) in enumerate(found)}
    d_rank = {i: r for r, (i, _) in enumerate(dense)}
    k_score, d_score = dict(found), dict(dense)
    per_article: dict[str, int] = {}
    hits: list[Hit] = []
    for cid in sorted(fused, key=lambda i: -fused[i]):
        text, art = rows[cid]
        if per_article.get(art.id, 0) >= s.max_chunks_per_article:
            continue
        per_article[art.id] = per_article.get(art.id, 0) + 1
        hits.append(Hit(cid, text, art.source, fused[cid], d_score.get(cid, 0.0), k_score.get(cid, 0.0),
                        d_rank.get(cid), k_rank.get(cid)))
        if len(hits) >= k:
            break
    return hits


def fuse(found: list[tuple[str, float]], dense: list[tuple[str, float]], share: float) -> dict[str, float]:
    """Relative score fusion. Unlike reciprocal-rank fusion, a chunk that one retriever ranks far above
    everything else (a rare word matched) keeps that lead instead of being averaged away."""
    fused: dict[str, float] = {}
    if found:
        top = max(s for _, s in found) or 1.0
        for i, s in found:
            fused[i] = fused.get(i, 0.0) + share * s / top
    if dense:
        hi, lo = max(s for _, s in dense), min(s for _, s in dense)
        for i, s in dense:
            fused[i] = fused.get(i, 0.0) + (1 - share) * (s - lo) / ((hi - lo) or 1.0)
    return fused


def keyword_only(archive: Archive, question: str, k: int) -> list[Hit]:
    """BM25 alone (a baseline for the evaluation)."""
    tokens = archive.tokenizer().tokens(to_simplified(question))
    found = keyword.search(archive.conn, tokens, k)
    rows = catalog.chunk_rows(archive.conn, [i for i, _ in found])
    return [Hit(i, rows[i][0], rows[i][1].source, s, 0.0, s, None, r) for r, (i, s) in enumerate(found) if i in rows]


def dense_only(archive: Archive, question: str, k: int) -> list[Hit]:
    """Dense search alone (a baseline for the evaluation)."""
    found = archive.store().query(archive.embeddings.embed_query(to_simplified(question)), k)
    rows = catalog.chunk_rows(archive.conn, [i for i, _ in found])
    return [Hit(i, rows[i][0], rows[i][1].source, s, s, 0.0, r, None) for r, (i, s) in enumerate(found) if i in rows]
