"""Plain frozen dataclasses that the stages exchange: Issue → Page → Article → Chunk, Hit, Answer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

# What kind of answer a question asks for (see rag.qa.question).
QType = Literal["editor", "authored", "pagelist", "where", "published", "department", "person", "date", "place", "number",
                "list", "yesno", "open"]


@dataclass(frozen=True)
class Article:
    """One article as printed: its page, title, byline and paragraphs (subheads kept inside)."""

    page: int
    page_inferred: bool
    title: str
    paragraphs: tuple[str, ...]
    subtitle: str = ""
    department: str = ""
    author: str = ""
    editor_note: str = ""
    kind: str = "news"
    ocr_conf: float = 1.0  # mean OCR confidence of its characters; 1.0 for text that was not read by OCR

    @property
    def body(self) -> str:
        """The article's paragraphs, one per line."""
        return "\n".join(self.paragraphs)

    @property
    def chars(self) -> int:
        """Characters of body text (what a reader would count)."""
        return sum(len(p) for p in self.paragraphs)

    @property
    def full_title(self) -> str:
        """Title with its subtitle, as a citation shows it."""
        return f"{self.title}——{self.subtitle}" if self.subtitle else self.title


@dataclass(frozen=True)
class Page:
    """A newspaper page (版) and its articles in reading order."""

    number: int
    inferred: bool
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Issue:
    """One issue of the paper; total_no (总第M期) is its unique key."""

    publication: str
    year: int
    issue_no: int
    total_no: int
    date: str
    pages: tuple[Page, ...]
    source: str
    source_sha256: str
    editors: tuple[tuple[str, tuple[str, ...]], ...] = ()
    weekday: str = ""
    lunar: str = ""
    kind: Literal["newspaper", "document"] = "newspaper"

    @property
    def articles(self) -> tuple[Article, ...]:
        """All articles in page order, then reading order."""
        return tuple(a for p in sorted(self.pages, key=lambda p: p.number) for a in p.articles)

    @property
    def label(self) -> str:
        """How a citation names the issue: 2026年第4期（总第215期）."""
        if self.kind == "document":
            return self.source
        return f"{self.year}年第{self.issue_no}期（总第{self.total_no}期）"

    def content_key(self) -> str:
        """A hash of what was parsed (not of the file's bytes), to tell a changed issue from the same one."""
        h = hashlib.sha256()
        h.update(f"{self.issue_no}|{self.total_no}|{self.date}".encode())
        for a in self.articles:
            h.update(f"\x1e{a.page}|{a.title}|{a.subtitle}|{a.department}|{a.author}|{a.editor_note}".encode())
            for p in a.paragraphs:
                h.update(b"\x1f" + p.encode())
        return h.hexdigest()


@dataclass(frozen=True)
class Source:
    """Where a piece of text was printed: everything a citation needs, shared by chunks, hits and citations."""

    total_no: int
    issue_no: int
    year: int
    date: str
    page: int
    page_inferred: bool
    title: str
    department: str = ""
    author: str = ""
    article_id: str = ""
    kind: str = "newspaper"  # newspaper | document (a benchmark corpus: cited by its id)
    origin: str = ""  # the issue's file, or the document's id

    def issue_and_page(self) -> str:
        """Where it was printed, as a short answer: 2026年第4期（总第215期） · 第3版（推断）."""
        if self.kind == "document":
            return self.origin
        page = f"第{self.page}版" + ("（推断）" if self.page_inferred else "")
        return f"{self.year}年第{self.issue_no}期（总第{self.total_no}期） · {page}"

    def line(self) -> str:
        """The copy-ready citation line: 2026年第4期（总第215期）· 2026-04-01 · 第3版 ·《…》（科室 作者）."""
        if self.kind == "document":
            return f"《{self.title}》（{self.origin}）"
        byline = " ".join(x for x in (self.department, self.author) if x)
        issue, page = self.issue_and_page().split(" · ")
        return " · ".join([issue, self.date, page, f"《{self.title}》"]) + (f"（{byline}）" if byline else "")

    def key(self) -> tuple[object, object]:
        """What a citation counts as in evaluation: (issue, page), or ('doc', id) for a corpus document."""
        return ("doc", self.origin) if self.kind == "document" else (self.total_no, self.page)


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one article, with every field a citation needs."""

    id: str
    seq: int
    text: str
    embed_text: str
    source: Source


@dataclass(frozen=True)
class Citation:
    """Where an answer comes from, down to the page, with the quoted sentence."""

    source: Source
    quote: str

    def line(self) -> str:
        """The copy-ready citation line."""
        return self.source.line()

    def to_json(self) -> dict[str, object]:
        """The contract form used by `python -m rag ask --json`."""
        s = self.source
        return {
            "total_no": s.total_no, "issue_no": s.issue_no, "date": s.date, "page": s.page,
            "page_inferred": s.page_inferred, "title": s.title, "department": s.department,
            "author": s.author, "quote": self.quote,
        }


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its scores; carries everything a citation needs."""

    chunk_id: str
    text: str
    source: Source
    score: float
    dense_score: float = 0.0
    keyword_score: float = 0.0
    dense_rank: int | None = None
    keyword_rank: int | None = None

    @property
    def article_id(self) -> str:
        """The article the chunk belongs to."""
        return self.source.article_id

    def citation(self, quote: str = "") -> Citation:
        """This hit as a citation, quoting the given sentence (or the chunk)."""
        return Citation(self.source, quote or self.text)


@dataclass(frozen=True)
class Filters:
    """Restrictions on what retrieval may return."""

    total_nos: tuple[int, ...] = ()
    date_from: str = ""
    date_to: str = ""
    pages: tuple[int, ...] = ()
    departments: tuple[str, ...] = ()
    # a follow-up's anchor, not a restriction: the article and sentence the previous turn's answer quoted,
    # whose neighbourhood the answer to 那台手术出了多少血 is looked for in first
    focus_article: str = ""
    focus_quote: str = ""
    # a two-hop question's bridge (the person its first hop found), not a restriction: in an article that prints
    # it, the sentences that do not are about someone else
    about: str = ""

    def is_empty(self) -> bool:
        """True when nothing is restricted."""
        return not (self.total_nos or self.date_from or self.date_to or self.pages or self.departments)


@dataclass(frozen=True)
class Answer:
    """A short answer, the sentences that prove it, and where they were printed."""

    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    evidence: tuple[str, ...] = ()
    qtype: QType = "open"
    confidence: float = 0.0
    mode: str = "extractive"
    latency_ms: float = 0.0
    note: str = ""
    # the answerability signals of the best evidence sentence (rag.qa.answerable): for fitting and diagnosis,
    # not part of the JSON contract
    signals: tuple[tuple[str, float], ...] = ()

    def to_json(self) -> dict[str, object]:
        """The contract form of `python -m rag ask --json`."""
        return {
            "question": self.question, "answer": self.answer, "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations], "latency_ms": round(self.latency_ms, 1),
            "type": self.qtype, "confidence": round(self.confidence, 4), "mode": self.mode,
        }


ABSTAIN_TEXT = "档案中未找到相关记载"
