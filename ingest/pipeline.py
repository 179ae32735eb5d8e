"""Ingest: parse → chunk → embed what is new → commit the catalog in one transaction → drop orphans.

The catalog is the truth. Vectors are written first (content-addressed, so a retry re-uses them); the
issue only exists once its single SQLite transaction commits. A process killed at any point therefore
leaves the archive exactly as it was; vectors it left behind are orphans, removed by the next run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.errors import IssueConflictError, IssueParseError, RagError
from rag.models import Article, Chunk, Issue, Page
from rag.store import Archive, ArticleRow, catalog, drop_collection, keyword, lexicon_hash, listings, milestones
from rag.text import Tokenizer, split_sentences

from .assemble import IssueMeta
from .chunk import chunk_article
from .dispatch import parse_file
from .lexicon import RULES_SIGNATURE, build_lexicon
from .ocr import IMAGE_SUFFIXES, OcrEngine, OcrLog, OcrOptions

Progress = Callable[[int, int], None]
SUFFIXES = (".txt", ".pdf", *IMAGE_SUFFIXES)


@dataclass(frozen=True)
class IngestResult:
    """What happened to one file."""

    path: str
    status: str  # added | replaced | unchanged | error
    label: str = ""
    total_no: int | None = None
    articles: int = 0
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    error: str = ""
    ocr_pages: int = 0  # pages read by OCR (a scan)
    ocr_seconds: float = 0.0


def collect_files(paths: list[Path]) -> list[Path]:
    """Files named, and the .txt/.pdf files inside folders named, in name order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    return out


def ingest_paths(
    archive: Archive, paths: list[Path], meta: IssueMeta = IssueMeta(), replace: bool = False,
    progress: Callable[[str, int], Progress] | None = None,
) -> list[IngestResult]:
    """Ingest every file; one bad file is reported and does not stop the others."""
    refresh_rules(archive)
    results = []
    for path in collect_files(paths):
        started = time.perf_counter()
        try:
            res = ingest_file(archive, path, meta, replace, progress)
        except RagError as exc:
            res = IngestResult(str(path), "error", error=exc.user_message())
        results.append(IngestResult(**{**res.__dict__, "seconds": time.perf_counter() - started}))
    return results


def ingest_file(
    archive: Archive, path: Path, meta: IssueMeta = IssueMeta(), replace: bool = False,
    progress: Callable[[str, int], Progress] | None = None, ocr_engine: OcrEngine | None = None,
) -> IngestResult:
    """Ingest one issue file (idempotent; a changed issue needs replace=True). Pages without a text layer are
    read by OCR, corrected against the archive's own dictionary and the publication's name."""
    log = OcrLog()
    known = dict(catalog.lexicon(archive.conn)) | {p: "publication" for p in catalog.publications(archive.conn)}
    issue = parse_file(path, meta, OcrOptions(known=known, progress=progress, log=log, engine=ocr_engine))
    result = ingest_issue(archive, issue, str(path), replace, progress)
    return dataclasses.replace(result, ocr_pages=len(log.pages), ocr_seconds=sum(p.seconds for p in log.pages))


def ingest_issue(
    archive: Archive, issue: Issue, path: str, replace: bool = False,
    progress: Callable[[str, int], Progress] | None = None,
) -> IngestResult:
    """Put a parsed issue into the archive."""
    conn = archive.conn
    existing = catalog.issue_row(conn, issue.total_no)
    key = f"{issue.content_key()}|{chunking_signature(archive)}"
    if existing is not None and existing.content_key == key:
        return IngestResult(path, "unchanged", issue.label, issue.total_no, len(issue.articles))
    same_text = existing is not None and existing.content_key.split("|")[0] == issue.content_key()
    if existing is not None and not replace and not same_text:
        raise IssueConflictError(
            f"{path}: issue 总第{issue.total_no}期 is already in the archive (from {existing.source}) with different "
            "content; pass --replace to replace it entirely",
            f"总第{issue.total_no}期已在档案中（来自 {existing.source}）且内容不同；如需整期替换请加 --replace",
        )
    if not issue.articles:
        raise IssueParseError(f"{path}: no article found", f"未找到任何文章：{path}")

    per_article: list[tuple[str, Article, list[Chunk]]] = []
    for seq, art in enumerate(issue.articles):
        aid = catalog.article_id(issue.total_no, seq, art)
        per_article.append((aid, art, chunk_article(issue, art, aid, archive.settings.chunking)))
    chunks = [c for _, _, cs in per_article for c in cs]
    embedded = embed_chunks(archive, chunks, progress)

    with catalog.transaction(conn):
        if existing is not None:
            catalog.delete_issue(conn, issue.total_no)
        catalog.insert_issue(conn, issue, per_article, key)
        added = None if existing is not None else catalog.list_articles(conn, issue.total_no)
        refresh_keyword_index(archive, [(c.id, c.embed_text) for c in chunks], added)
    remove_orphans(archive)
    status = "replaced" if existing is not None else "added"
    return IngestResult(path, status, issue.label, issue.total_no, len(issue.articles), len(chunks), embedded)


CHUNKER_VERSION = 2


def chunking_signature(archive: Archive) -> str:
    """What, besides the issue's text, decides its chunks: a change re-chunks the issue on the next ingest."""
    c = archive.settings.chunking
    return f"chunker{CHUNKER_VERSION}:{c.size}:{c.overlap}"


def embed_chunks(archive: Archive, chunks: list[Chunk], progress: Callable[[str, int], Progress] | None) -> int:
    """Embed the chunks the vector store does not have yet; returns how many were embedded."""
    store = archive.store(create=True)
    have = store.existing([c.id for c in chunks])
    todo = [c for c in chunks if c.id not in have]
    tick = progress("嵌入 embedding", len(todo)) if progress and todo else None
    batch = archive.settings.embedding.batch
    for start in range(0, len(todo), batch):
        part = todo[start: start + batch]
        vectors = archive.embeddings.embed_documents([c.embed_text for c in part])
        metas = [catalog.vector_metadata(c.source) for c in part]
        store.add([c.id for c in part], vectors, metas)
        if tick:
            tick(len(part), start + len(part))
    return len(todo)


def refresh_keyword_index(archive: Archive, new_chunks: list[tuple[str, str]],
                          new_articles: list[ArticleRow] | None = None) -> int:
    """Update the archive dictionary and the keyword index (inside the caller's transaction); returns how many
    chunks were tokenized. With new_articles (an issue was added) the dictionary grows by their words alone;
    otherwise (an issue removed or replaced) it is built again from every article. Either way only the new
    chunks and the chunks that contain an added or dropped word are tokenized again: a word that a chunk does
    not contain cannot change how jieba cuts it, so adding an issue costs what the issue costs."""
    conn = archive.conn
    old = dict(catalog.lexicon(conn))
    pubs = catalog.publications(conn)
    if new_articles is not None:
        words = dict(old)
        for word, kind in build_lexicon(new_articles, pubs).items():
            words.setdefault(word, kind)
    else:
        words = build_lexicon(catalog.list_articles(conn), pubs)
    added, dropped = {w: words[w] for w in words.keys() - old.keys()}, old.keys() - words.keys()
    rows = dict(new_chunks)
    if words != old:
        catalog.replace_lexicon(conn, words)
        catalog.set_meta(conn, "lexicon_hash", lexicon_hash(words))
    holding = catalog.chunks_containing(conn, added.keys() | dropped) if added or dropped else {}
    rows.update(holding)
    tok = Tokenizer(words.keys(), archive.settings.cache_dir)
    keyword.index_tokens(conn, [(cid, tok.tokens(text)) for cid, text in rows.items()])
    update_listings(archive, [cid for cid, _ in new_chunks], added, dropped, holding, removed=new_articles is None)
    return len(rows)


@lru_cache(maxsize=4)
def _plain_tokenizer(cache_dir: Path) -> Tokenizer:
    """jieba with its own dictionary only: what a word is in general Chinese (its part of speech, how common)."""
    return Tokenizer((), cache_dir)


def update_listings(archive: Archive, new_chunks: list[str], added: dict[str, str], dropped: Iterable[str],
                    holding: Iterable[str], removed: bool = False) -> None:
    """Keep the directory and the timeline in step with an issue added, replaced or removed (inside the caller's
    transaction): only the new articles and the articles holding a word the dictionary gained or lost are read.
    A catalog whose lists were built with other rules (or before there were lists) gets them built again."""
    conn, tokenizer = archive.conn, (lambda: _plain_tokenizer(archive.settings.cache_dir))
    if not (listings.is_current(conn) and milestones.is_current(conn)):
        listings.rebuild(conn, tokenizer)
        milestones.index(conn)
        return
    new_articles = catalog.articles_of_chunks(conn, new_chunks)
    milestones.index(conn, new_articles)
    listings.update(conn, tokenizer, new_articles, added, dropped, catalog.articles_of_chunks(conn, list(holding)))
    if removed:
        listings.prune(conn, tokenizer)


def refresh_listings(archive: Archive) -> bool:
    """Build the directory and the timeline's rows once, for a catalog that predates them or their rules; True
    when it did."""
    conn = archive.conn
    if listings.is_current(conn) and milestones.is_current(conn):
        return False
    with catalog.transaction(conn):
        update_listings(archive, [], {}, (), ())
    return True


def rebuild_keyword_index(archive: Archive) -> int:
    """The dictionary built again from every article and every chunk tokenized again (the rules changed)."""
    conn = archive.conn
    words = build_lexicon(catalog.list_articles(conn), catalog.publications(conn))
    catalog.replace_lexicon(conn, words)
    catalog.set_meta(conn, "lexicon_hash", lexicon_hash(words))
    keyword.clear(conn)
    rows = catalog.texts_for_tokenizing(conn)
    tok = Tokenizer(words.keys(), archive.settings.cache_dir)
    keyword.index_tokens(conn, [(cid, tok.tokens(text)) for cid, text in rows])
    listings.rebuild(conn, lambda: _plain_tokenizer(archive.settings.cache_dir))  # it lists dictionary words
    return len(rows)


def refresh_rules(archive: Archive) -> bool:
    """Rebuild the dictionary and keyword index when the rules that build them changed since the archive was
    indexed (no re-embedding), and the directory and timeline when theirs did; True when it did."""
    conn = archive.conn
    if catalog.get_meta(conn, "lexicon_rules") == RULES_SIGNATURE:
        return refresh_listings(archive)
    with catalog.transaction(conn):
        if archive.counts()["chunks"]:
            rebuild_keyword_index(archive)
        catalog.set_meta(conn, "lexicon_rules", RULES_SIGNATURE)
    refresh_listings(archive)
    return True


def remove_orphans(archive: Archive) -> int:
    """Delete vectors whose chunk the catalog does not list (left by a replaced issue or a killed run)."""
    store = archive.store(create=False)
    if not store.ready:
        return 0
    orphans = sorted(store.all_ids() - catalog.all_chunk_ids(archive.conn))
    store.delete(orphans)
    return len(orphans)


def remove_issue(archive: Archive, total_no: int) -> bool:
    """Remove one issue (by 总第M期) from the archive; False if it was not there."""
    conn = archive.conn
    if catalog.issue_row(conn, total_no) is None:
        return False
    with catalog.transaction(conn):
        catalog.delete_issue(conn, total_no)
        refresh_keyword_index(archive, [])
    remove_orphans(archive)
    return True


def rebuild_vectors(archive: Archive, progress: Callable[[str, int], Progress] | None = None) -> int:
    """Re-embed every chunk with the configured model into a fresh collection."""
    drop_collection(archive.settings, archive.collection)
    archive.forget_store()
    rows = catalog.all_chunks_for_embedding(archive.conn)
    store = archive.store(create=True)
    tick = progress("重建 rebuilding", len(rows)) if progress and rows else None
    batch = archive.settings.embedding.batch
    for start in range(0, len(rows), batch):
        part = rows[start: start + batch]
        vectors = archive.embeddings.embed_documents([t for _, t, _ in part])
        store.add([i for i, _, _ in part], vectors, [m for _, _, m in part])
        if tick:
            tick(len(part), start + len(part))
    return len(rows)


def document_issue(number: int, doc_id: str, title: str, text: str, date: str = "0001-01-01") -> Issue:
    """A plain document (no masthead) as a one-page, one-article issue, cited by its id."""
    paras = [p.strip() for p in text.replace("\r", "").split("\n") if p.strip()]
    if len(paras) == 1 and len(paras[0]) > 400:  # one long line: give it paragraphs of a few sentences
        sentences = split_sentences(paras[0])
        paras = ["".join(sentences[i: i + 4]) for i in range(0, len(sentences), 4)]
    art = Article(page=1, page_inferred=False, title=(title or paras[0][:30]).strip(), paragraphs=tuple(paras))
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Issue(publication="", year=int(date[:4]), issue_no=number, total_no=number, date=date,
                 pages=(Page(1, False, (art,)),), source=doc_id, source_sha256=sha, kind="document")


def ingest_documents(
    archive: Archive, issues: list[Issue], progress: Callable[[str, int], Progress] | None = None,
    embed: bool = True,
) -> int:
    """Ingest many document-issues at once: one embedding pass (unless embed=False, for a keyword-only
    configuration), one transaction, one dictionary refresh."""
    conn = archive.conn
    have = {i.total_no for i in catalog.list_issues(conn)}
    todo = [i for i in issues if i.total_no not in have]
    per_issue = []
    for issue in todo:
        rows = []
        for seq, art in enumerate(issue.articles):
            aid = catalog.article_id(issue.total_no, seq, art)
            rows.append((aid, art, chunk_article(issue, art, aid, archive.settings.chunking)))
        per_issue.append((issue, rows))
    chunks = [c for _, rows in per_issue for _, _, cs in rows for c in cs]
    if embed:
        embed_chunks(archive, chunks, progress)
    with catalog.transaction(conn):
        for issue, rows in per_issue:
            catalog.insert_issue(conn, issue, rows, f"{issue.content_key()}|{chunking_signature(archive)}")
        new_nos = {issue.total_no for issue, _ in per_issue}
        added = [a for a in catalog.list_articles(conn) if a.total_no in new_nos]
        refresh_keyword_index(archive, [(c.id, c.embed_text) for c in chunks], added)
    return len(todo)
