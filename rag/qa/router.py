"""Routes a question to the part that can answer it: the masthead and bylines (lookup), a claim check for
yes/no questions, the LLM when asked for, else the extractive answerer. It is the only module that knows
them all, so none of them needs another (no answer ↔ check cycle)."""

from __future__ import annotations

import re
import time
from contextvars import ContextVar
from dataclasses import dataclass, replace

from ..models import Answer, Filters, Hit, QType
from ..settings import AnswerSettings
from ..store import Archive, IssueRow, catalog
from ..text import to_simplified
from ..vocab import standard_question
from . import across, answerable, claims, conflict, coverage, extractive, generative, lookup, respective, twohop
from .evidence import Scored, focused, question_weights, score_sentences
from .question import issues_named, page_named, question_type, strip_issue_reference, validate_question
from .retrieve import printing_first, retrieve

_CJK = re.compile(r"[\u4e00-\u9fff]")
NOT_CHINESE = "请用中文提问：档案是中文的，以下是最接近的原文 / Please ask in Chinese: the archive is in Chinese; the closest passages follow"
_YESNO_WORDS = re.compile(r"(是否|是不是|有没有|能否|可否)")
_YESNO_END = re.compile(r"[，,]?(?:对不对|是这样的?吗|是这样吧|对吗|对吧|是吗|是吧|没错吧|是不是|是真的吗|属实吗|吗)?[？?！!。]*$")
_KEEPS_ISSUE_WORDS: frozenset[QType] = frozenset({"editor", "published", "where", "pagelist"})


def answer_question(archive: Archive, question: str, filters: Filters = Filters(), mode: str | None = None) -> Answer:
    """Answer a question: extractive by default, or with the configured LLM (mode='llm')."""
    if (mode or archive.settings.answer.mode) == "llm":
        return generative.ask_llm(archive, question, filters, fallback=ask)
    return ask(archive, question, filters)


def ask(archive: Archive, question: str, filters: Filters = Filters()) -> Answer:
    """Answer a question from the archive, extractively, with citations; or abstain."""
    started = time.perf_counter()
    # refused before it is split: the parts of an oversized question are shorter than it
    simple = to_simplified(validate_question(question, archive.settings.answer.max_question_chars))
    hops = twohop.split(simple)
    two = twohop.answer(question, hops, lambda x, about: ask(archive, x, replace(filters, about=about))) if hops else None
    parts = None if hops else respective.split(simple, archive.tokenizer())
    if parts and question_type(simple) == "yesno":
        parts = None  # 甲和乙分别是X和Y吗 is one claim to check, not two questions
    each = respective.answer(question, parts, lambda x: ask(archive, x, filters)) if parts else None
    routed = two or each
    if routed is not None:
        return replace(routed, latency_ms=(time.perf_counter() - started) * 1000)
    q, qtype, named, filters = understand(archive, question, filters)
    if not _CJK.search(q):
        ans = _not_chinese(archive, q, filters)
    else:
        listed = _from_catalog(archive, q, qtype, named, filters)
        if listed is None and qtype == "authored" and question_type(q, skip="authored") == "number":
            qtype = "number"  # no byline names who: 发表了多少篇论文 asks a count, not the paper's articles
        ans = listed or _from_evidence(archive, q, qtype, filters)
    return replace(ans, question=question, latency_ms=(time.perf_counter() - started) * 1000)


def understand(archive: Archive, question: str, filters: Filters = Filters()
               ) -> tuple[str, QType, list[IssueRow], Filters]:
    """The question as the answerer reads it (simplified, standard question words, the issue it names made a
    filter and taken out of its words), its type, the issues it names and the filters."""
    q = standard_question(to_simplified(validate_question(question, archive.settings.answer.max_question_chars)))
    archive.require_index()
    named = issues_named(archive, q)
    if named and not filters.total_nos:
        filters = replace(filters, total_nos=tuple(i.total_no for i in named))
    qtype = question_type(q)
    if named and qtype not in _KEEPS_ISSUE_WORDS:
        q = strip_issue_reference(q)  # the issue became a filter; its words are not evidence
    return q, qtype, named, filters


def _not_chinese(archive: Archive, q: str, filters: Filters) -> Answer:
    """A question with no Chinese in it: the archive is Chinese, so no short answer is made up; the closest
    passages (the embedding model is multilingual) are shown as evidence, with a note saying why."""
    hits = retrieve(archive, q, filters)[:2]
    cites = tuple(h.citation() for h in hits)
    return Answer(question=q, answer=NOT_CHINESE, abstained=True, citations=cites,
                  evidence=tuple(c.quote for c in cites), qtype="open", note=NOT_CHINESE)


def _from_catalog(archive: Archive, q: str, qtype: QType, named: list[IssueRow], filters: Filters) -> Answer | None:
    if qtype in ("list", "open"):
        found = (across.offices_held(archive, q, filters) or across.involvements(archive, q, filters)
                 or across.achievements(archive, q, filters))
        if found:
            return found
    if qtype == "department":
        return lookup.byline_department(archive, q)
    if qtype == "editor":
        return lookup.editors(archive, q, named)
    if qtype == "published":
        issues = named or catalog.list_issues(archive.conn)
        return lookup.published(q, issues) if named or len(issues) == 1 else None
    if qtype == "authored":
        return lookup.authored(archive, q, filters)
    if qtype == "pagelist":
        return lookup.page_listing(archive, q, named, page_named(q))
    if qtype == "where":
        return lookup.where_by_title(archive, q)
    return None


@dataclass(frozen=True)
class Evidence:
    """What a question's answer is chosen from: the hits, the scored sentences (every one, and those that do
    not give orders), the extractor and the answerability gate."""

    q: str
    qtype: QType
    hits: list[Hit]
    every: list[Scored]
    scored: list[Scored]
    extract: extractive.Extractor
    gate: answerable.Gate | None


def evidence_for(archive: Archive, q: str, qtype: QType, filters: Filters) -> Evidence:
    """Retrieve and score the evidence of a question (what the answer's ranking weights then choose from)."""
    hits = retrieve(archive, q, filters)
    extract = extractive.Extractor(archive, q, qtype)
    if extract.role and extract.qualifier:  # 某科的主任是谁: a chunk printing 某科主任 is read first
        hits = printing_first(archive, hits, extract.qualifier + extract.role, filters, archive.settings.retrieval.keyword_k)
    named = {a.id for a in lookup.titled(archive, q)}
    if named:  # 《标题》里的患者…: a follow-up bound to that article reads only it
        hits = [h for h in hits if h.article_id in named] or hits
    weights = question_weights(archive, q)
    every = focused(score_sentences(archive, hits, weights, q, filters.about), filters.focus_article, filters.focus_quote)
    top_dense = max((h.dense_score for h in hits), default=0.0)
    # the model reads the embedding's cosines: a keyword-only archive (dense_k 0) keeps the coverage threshold
    gate = answerable.gate_for(archive, qtype, weights, top_dense, qtype in extractive.HARD_TYPES) \
        if top_dense > 0 and qtype != "yesno" else None
    return Evidence(q, qtype, hits, every, [s for s in every if not s.orders], extract, gate)


Checked = tuple[Answer, coverage.Cover, str]  # an answer after its near-miss check, its cover, its article


def answer_evidence(archive: Archive, ev: Evidence, conf: AnswerSettings,
                    covered: dict[tuple[object, ...], Checked] | None = None) -> Answer:
    """The answer chosen from the evidence with the answer settings conf (eval.fit_ranking varies them; its
    `covered` memo keeps each answer's near-miss check, which depends on the question and answer only)."""
    q, qtype, scored, extract = ev.q, ev.qtype, ev.scored, ev.extract
    if qtype != "yesno":
        out, cover, refused = _checked(archive, ev, scored, conf, covered)
        if out.abstained and cover.elsewhere and refused:
            # 给乙科写信的是谁: 甲科's letter-writer was found first; the next article may be 乙科's, and answers
            # if its evidence prints every word of the question
            again, cover, _ = _checked(archive, ev, [s for s in scored if s.hit.article_id != refused], conf, covered)
            out = out if again.abstained or cover.missing else again
        return _with_orders_noted(out, ev.every)
    ranked = extractive.rank(scored, extract, conf)
    if not ranked or ranked[0].confidence < conf.abstain_threshold:
        return extractive.abstain(q, qtype, ranked[0].confidence if ranked else 0.0, note="weak evidence")
    return claims.verdict_for(archive, claim_from_question(q), q, ev.hits)


# while ask_with_evidence runs: the evidence each answer from ranked evidence was chosen from
_RECORDED: ContextVar[list[Evidence] | None] = ContextVar("recorded_evidence", default=None)


def _from_evidence(archive: Archive, q: str, qtype: QType, filters: Filters) -> Answer:
    ev = evidence_for(archive, q, qtype, filters)
    recorded = _RECORDED.get()
    if recorded is not None:
        recorded.append(ev)
    return answer_evidence(archive, ev, archive.settings.answer)


def ask_with_evidence(archive: Archive, question: str) -> tuple[Answer, Evidence | None]:
    """The answer, and the evidence it was chosen from when it was chosen from ranked evidence once (not from
    the catalog, not in two hops), so that answer_evidence can choose again with other settings."""
    recorded: list[Evidence] = []
    token = _RECORDED.set(recorded)
    try:
        ans = answer_question(archive, question)
    finally:
        _RECORDED.reset(token)
    if len(recorded) != 1:
        return ans, None
    again = answer_evidence(archive, recorded[0], archive.settings.answer)
    return ans, recorded[0] if (again.answer, again.abstained) == (ans.answer, ans.abstained) else None


def _checked(archive: Archive, ev: Evidence, scored: list[Scored], conf: AnswerSettings,
             covered: dict[tuple[object, ...], Checked] | None) -> Checked:
    """The answer chosen from these sentences after its near-miss check, its evidence's cover of the question
    and the article it was chosen from (eval.fit_ranking's `covered` memo keeps each check, which depends on the
    question and answer only)."""
    ans = conflict.shown(extractive.answer_from(scored, ev.extract, conf, ev.gate), scored, ev.extract, conf)
    key = (ev.q, ans.answer, ans.abstained, ans.citations[:1], ans.note)
    if covered is not None and key in covered:
        return covered[key]
    checked = (*_covered(archive, ev.q, ans), ans.citations[0].source.article_id if ans.citations else "")
    if covered is not None:
        covered[key] = checked
    return checked


def _covered(archive: Archive, q: str, ans: Answer) -> tuple[Answer, coverage.Cover]:
    """An answer whose evidence misses what the question asks (the women's champion asked, the men's printed;
    another event's headcount) is a near miss: abstain, saying which words the archive does not print there.
    The answer comes with its evidence's cover of the question."""
    conf = archive.settings.answer
    cover = coverage.answer_cover(archive, q, ans)
    if ans.abstained or not cover.abstains(conf.coverage_attribute_max, conf.coverage_topic_max,
                                           conf.coverage_siblings == "on"):
        return ans, cover
    if cover.sibling and conf.coverage_siblings == "on":
        asked, printed = cover.sibling
        note = f"证据中答案旁写的是「{printed}」而非「{asked}」 / the evidence states {printed}, not {asked}: near miss"
    else:
        missing = "、".join(cover.missing[:4])
        note = f"证据中未见「{missing}」 / the evidence does not cover the question: near miss"
    return extractive.abstain(q, ans.qtype, ans.confidence, note=note), cover


def _with_orders_noted(ans: Answer, every: list[Scored]) -> Answer:
    """Text among the evidence that gives orders to its reader is never an answer; say where it stands."""
    orders = [s for s in every if s.orders and s.coverage > 0]
    if not orders:
        return ans
    where = "；".join(dict.fromkeys(s.hit.source.line() for s in orders[:2]))
    note = f"另有文字以指令口吻给出说法，不作为答案依据：{where} / text giving orders to its reader was not used as evidence"
    return replace(ans, note="；".join(x for x in (ans.note, note) if x))


def cover_of(archive: Archive, question: str, ans: Answer) -> coverage.Cover:
    """How well an answer's evidence covers the question as the answerer reads it (for fitting thresholds)."""
    return coverage.answer_cover(archive, understand(archive, question)[0], ans)


def yesno_claim(archive: Archive, question: str) -> str:
    """The claim a yes/no question asks about, as the answerer reads it."""
    return claim_from_question(understand(archive, question)[0])


def claim_from_question(q: str) -> str:
    """是否/吗 removed: the claim a yes/no question asks about."""
    return _YESNO_END.sub("", _YESNO_WORDS.sub("", q), count=1).strip()
