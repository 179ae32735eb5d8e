"""Chunks: runs of whole sentences of one article, with stable content-derived ids."""

from __future__ import annotations

import hashlib

from rag.models import Article, Chunk, Issue, Source
from rag.settings import ChunkSettings
from rag.text import split_sentences


def chunk_article(issue: Issue, article: Article, article_id: str, settings: ChunkSettings) -> list[Chunk]:
    """Split an article into chunks of whole sentences, at most chunk_size characters (a longer single
    sentence stands alone), each repeating up to chunk_overlap characters of the previous one's end."""
    # A paragraph's last sentence carries the line break, so that a heading stays its own sentence.
    sentences: list[str] = []
    paras = (["编者按：" + article.editor_note] if article.editor_note else []) + list(article.paragraphs)
    for para in paras:
        parts = split_sentences(para)
        if parts:
            parts[-1] += "\n"
        sentences.extend(parts)
    groups: list[list[str]] = []
    cur: list[str] = []
    size = 0
    for s in sentences:
        if cur and size + len(s) > settings.size:
            groups.append(cur)
            carry: list[str] = []
            carried = 0
            for prev in reversed(cur):
                if carried + len(prev) > settings.overlap:
                    break
                carry.insert(0, prev)
                carried += len(prev)
            cur, size = carry, carried
        cur.append(s)
        size += len(s)
    if cur:
        groups.append(cur)
    title = article.full_title
    source = Source(
        total_no=issue.total_no, issue_no=issue.issue_no, year=issue.year, date=issue.date, page=article.page,
        page_inferred=article.page_inferred, title=title, department=article.department, author=article.author,
        article_id=article_id, kind=issue.kind, origin=issue.source,
    )
    chunks = []
    for seq, g in enumerate(groups):
        text = "".join(g).strip()
        embed_text = f"{title}\n{text}"
        cid = hashlib.sha256(f"{issue.total_no}|{issue.date}|{embed_text}".encode()).hexdigest()[:24]
        chunks.append(Chunk(id=cid, seq=seq, text=text, embed_text=embed_text, source=source))
    return chunks
