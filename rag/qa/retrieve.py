"""Hybrid retrieval: dense (Chroma) and keyword (BM25 over jieba tokens), fused by calibrated probabilities,
filtered by issue, date, page and department, and diversified so one article does not crowd out the rest."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..models import Filters, Hit
from ..settings import RetrievalSettings
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


def candidates(archive: Archive, question: str, filters: Filters = Filters()
               ) -> tuple[list[tuple[str, float]], list[tuple[str, float]], dict[str, tuple[str, ArticleRow]]]:
    """Each retriever's own candidates with its own scores (BM25, cosine), filtered, and the catalog rows of
    all of them: what fusion starts from (and what eval/fit_fusion.py fits the fusion on)."""
    s = archive.settings.retrieval
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
    return found, dense, rows


def retrieve(archive: Archive, question: str, filters: Filters = Filters(), k: int | None = None) -> list[Hit]:
    """The k best chunks for the question, fused from dense and keyword search, at most
    max_chunks_per_article from any one article."""
    s = archive.settings.retrieval
    found, dense, rows = candidates(archive, question, filters)
    fused = fuse(found, dense, Fusion.of(s))
    return diversify(fused, found, dense, rows, k or s.top_k, s.max_chunks_per_article)


def diversify(fused: dict[str, float], found: list[tuple[str, float]], dense: list[tuple[str, float]],
              rows: dict[str, tuple[str, ArticleRow]], k: int, per_article_max: int) -> list[Hit]:
    """The k best fused chunks as hits, at most per_article_max from any one article."""
    k_rank = {i: r for r, (i, _) in enumerate(found)}
    d_rank = {i: r for r, (i, _) in enumerate(dense)}
    k_score, d_score = dict(found), dict(dense)
    per_article: dict[str, int] = {}
    hits: list[Hit] = []
    for cid in sorted(fused, key=lambda i: (-fused[i], k_rank.get(i, len(k_rank)), d_rank.get(i, len(d_rank)))):
        text, art = rows[cid]
        if per_article.get(art.id, 0) >= per_article_max:
            continue
        per_article[art.id] = per_article.get(art.id, 0) + 1
        hits.append(Hit(cid, text, art.source, fused[cid], d_score.get(cid, 0.0), k_score.get(cid, 0.0),
                        d_rank.get(cid), k_rank.get(cid)))
        if len(hits) >= k:
            break
    return hits


@dataclass(frozen=True)
class Fusion:
    """How the two retrievers are mixed: the keyword share and each retriever's temperature."""

    share: float
    keyword_temperature: float
    dense_temperature: float
    dense_scale: str = "cosine"  # or "z": cosines standardised over the question's candidates
    agreement_depth: int = 0  # > 0: the dense share shrinks to the overlap of the two retrievers' best this many

    @classmethod
    def of(cls, s: RetrievalSettings) -> Fusion:
        """The fusion the settings name."""
        return cls(s.keyword_share, s.keyword_temperature, s.dense_temperature, s.dense_scale, s.agreement_depth)


def _softmax(scores: list[tuple[str, float]], temperature: float) -> dict[str, float]:
    top = max(s for _, s in scores)
    weights = {i: math.exp((s - top) / temperature) for i, s in scores}
    total = sum(weights.values())
    return {i: w / total for i, w in weights.items()}


def standardized(scores: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Each score as standard deviations above the mean of the list (all 0 when they are equal): a margin
    measured against how spread this question's candidates are, which does not shrink as an archive grows
    crowded with near neighbours the way raw cosine margins do."""
    if not scores:
        return []
    mean = sum(s for _, s in scores) / len(scores)
    sd = math.sqrt(sum((s - mean) ** 2 for _, s in scores) / len(scores))
    return [(i, (s - mean) / sd if sd > 1e-9 else 0.0) for i, s in scores]


def agreement(found: list[tuple[str, float]], dense: list[tuple[str, float]], depth: int) -> float:
    """The share of the keyword retriever's best `depth` chunks that are also among the dense retriever's best
    `depth`: 1 when the two agree on what matters, near 0 when the dense side ranks other chunks first (a model
    that does not read this language, or news so alike that every cosine is close)."""
    if depth <= 0 or not found or not dense:
        return 1.0
    return len({i for i, _ in found[:depth]} & {i for i, _ in dense[:depth]}) / min(depth, len(found), len(dense))


def fuse(found: list[tuple[str, float]], dense: list[tuple[str, float]], f: Fusion) -> dict[str, float]:
    """Calibrated fusion: each retriever's scores become a probability over its own candidates (a softmax;
    BM25 taken relative to its best score, cosine as it is or standardised over the candidates), mixed by the
    keyword share. The scale, the temperatures and the share are fitted (eval/fit_fusion.py). A chunk one
    retriever ranks far above the rest keeps that lead, and when the cosines are flat the dense distribution is
    flat too, so it shifts every chunk alike and the keyword ranking decides: the dense side has a say only
    where it can tell chunks apart. With an agreement depth, the dense share is also scaled by how far the two
    retrievers' best chunks overlap (agreement()), so a dense ranking that the keyword side does not bear out at
    all leaves the keyword ranking as it is."""
    fused: dict[str, float] = {}
    share = f.share if f.agreement_depth <= 0 else 1 - (1 - f.share) * agreement(found, dense, f.agreement_depth)
    if found:
        top = max(s for _, s in found) or 1.0
        for i, p in _softmax([(i, s / top) for i, s in found], f.keyword_temperature).items():
            fused[i] = fused.get(i, 0.0) + share * p
    if dense:
        for i, p in _softmax(standardized(dense) if f.dense_scale == "z" else dense, f.dense_temperature).items():
            fused[i] = fused.get(i, 0.0) + (1 - share) * p
    return fused


def printing_first(archive: Archive, hits: list[Hit], phrase: str, filters: Filters, k: int) -> list[Hit]:
    """The hits with the keyword index's best chunks that print the phrase whole (眼科主任 asked: the chunk saying
    眼科主任某某, which a question's words spread over many articles may leave out of the best few) first."""
    found = keyword.search(archive.conn, archive.tokenizer().tokens(phrase), k)
    rows = catalog.chunk_rows(archive.conn, [i for i, _ in found])
    first = next(((r, i, sc) for r, (i, sc) in enumerate(found)
                  if i in rows and phrase in to_simplified(rows[i][0]) and passes(rows[i][1], filters)), None)
    if first is None:
        return hits
    r, i, sc = first
    had = next((h for h in hits if h.chunk_id == i), None)
    return [had or Hit(i, rows[i][0], rows[i][1].source, sc, 0.0, sc, None, r), *(h for h in hits if h.chunk_id != i)]


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
