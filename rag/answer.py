"""Extractive answering (the default, no LLM): type the question, pick the evidence sentences, extract the
short answer of the expected type, cite it; abstain when the evidence is weak."""

from __future__ import annotations

import re
import time
from dataclasses import replace

from . import catalog
from .archive import Archive
from .catalog import ArticleRow, IssueRow
from .errors import QuestionError
from .evidence import Scored, question_weights, score_sentences
from .extract import (
    asks_for_name,
    closest,
    date_grain,
    dates,
    departments,
    named_spans,
    number_attribute,
    number_spans_in_original,
    persons,
    persons_in_role,
    phrases_ending_with,
    question_role,
    question_type,
    question_unit,
    role_qualifier,
    what_head,
)
from .models import ABSTAIN_TEXT, Answer, Citation, Filters
from .retrieve import retrieve
from .text import split_sentences, to_simplified

TYPED_CANDIDATES = 8
_AUTHORSHIP = re.compile(r"作者|撰写|撰稿|供稿|署名|写的|投稿|执笔")
_ISSUE_NO = re.compile(r"(?:(\d{4})\s*年\s*)?第\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*期")
_TOTAL_NO = re.compile(r"总\s*第\s*(\d{1,5})\s*期")
_CLAUSE = re.compile(r"[^，,；;：:]+[，,；;：:]?")


def validate_question(question: str, max_chars: int) -> str:
    """Strip the question, refusing an empty or oversized one."""
    q = (question or "").strip()
    if not q:
        raise QuestionError("the question is empty", "问题为空，请输入一个问题")
    if len(q) > max_chars:
        raise QuestionError(
            f"the question has {len(q)} characters; keep it under {max_chars}",
            f"问题过长（{len(q)} 字），请控制在 {max_chars} 字以内",
        )
    return q


def issues_named(archive: Archive, question: str) -> list[IssueRow]:
    """Issues the question names: 总第215期, 2026年第4期, 第7期."""
    all_issues = catalog.list_issues(archive.conn)
    found: list[IssueRow] = []
    for m in _TOTAL_NO.finditer(question):
        found += [i for i in all_issues if i.total_no == int(m.group(1))]
    if not found:
        from .text import cn_numerals_to_digits

        for m in _ISSUE_NO.finditer(question):
            if question[max(0, m.start() - 1): m.start()] == "总":
                continue
            no = int(cn_numerals_to_digits(m.group(2))) if not m.group(2).isdigit() else int(m.group(2))
            year = int(m.group(1)) if m.group(1) else None
            found += [i for i in all_issues if i.issue_no == no and (year is None or i.year == year)]
    return list({i.total_no: i for i in found}.values())


def strip_issue_reference(question: str) -> str:
    """Remove 2026年第4期 / 总第215期 (and a following 院报/中/里) from the question."""
    q = _TOTAL_NO.sub("", question)
    q = _ISSUE_NO.sub("", q)
    return re.sub(r"^(?:的)?(?:院报)?(?:中|里|上)?[，,]?", "", q.strip()) or question


def ask(archive: Archive, question: str, filters: Filters = Filters()) -> Answer:
    """Answer a question from the archive, extractively, with citations; or abstain."""
    started = time.perf_counter()
    q = to_simplified(validate_question(question, archive.settings.max_question_chars))
    archive.require_index()
    named = issues_named(archive, q)
    if named and not filters.total_nos:
        filters = replace(filters, total_nos=tuple(i.total_no for i in named))
    qtype = question_type(q)
    if named and qtype not in ("editor", "published", "where"):
        q = strip_issue_reference(q)  # the issue became a filter; its words are not evidence
    if qtype == "editor":
        ans = _editors(archive, q, named)
    elif qtype == "published" and (named or len(catalog.list_issues(archive.conn)) == 1):
        ans = _published(archive, q, named or catalog.list_issues(archive.conn))
    elif qtype == "authored":
        ans = _authored(archive, q, filters)
    elif qtype == "where":
        ans = _where_by_title(archive, q)
    else:
        ans = None
    if ans is None:
        ans = _from_evidence(archive, q, qtype, filters)
    return replace(ans, question=question, latency_ms=(time.perf_counter() - started) * 1000)


def abstain(question: str, qtype: str, confidence: float = 0.0, note: str = "") -> Answer:
    """The answer when the archive does not say."""
    return Answer(question=question, answer=ABSTAIN_TEXT, abstained=True, qtype=qtype, confidence=confidence,
                  note=note)


# ---- metadata ----------------------------------------------------------------------------------------------


def _issue_citation(issue: IssueRow, quote: str) -> Citation:
    return Citation(total_no=issue.total_no, issue_no=issue.issue_no, year=issue.year, date=issue.date, page=1,
                    page_inferred=False, title="报头", department="", author="", quote=quote)


def _editors(archive: Archive, q: str, named: list[IssueRow]) -> Answer | None:
    issues = named or catalog.list_issues(archive.conn)[-1:]
    if not issues:
        return None
    issue = issues[-1]
    roles = dict(issue.editors)
    if "副主编" in q:
        role = "副主编"
    elif "主编" in q:
        role = "主编"
    elif "责编" in q or "责任编辑" in q:
        role = "责编"
    else:
        role = ""
    picked = [(role, roles[role])] if role in roles else [(r, n) for r, n in issue.editors if r != "本期责编"]
    if not picked:
        return None
    answer = "、".join(n for _, names in picked for n in names) if role else "；".join(
        f"{r}：{'、'.join(n)}" for r, n in picked)
    quote = "；".join(f"{r} {' '.join(n)}" for r, n in picked)
    return Answer(question=q, answer=answer, abstained=False, citations=(_issue_citation(issue, quote),),
                  evidence=(quote,), qtype="editor", confidence=1.0)


def _published(archive: Archive, q: str, issues: list[IssueRow]) -> Answer:
    parts = [f"{i.date}（{i.weekday}）" if i.weekday else i.date for i in issues]
    cites = tuple(_issue_citation(i, f"{i.label} {i.date} {i.weekday}".strip()) for i in issues)
    return Answer(question=q, answer="；".join(parts), abstained=False, citations=cites,
                  evidence=tuple(c.quote for c in cites), qtype="published", confidence=1.0)


def _authored(archive: Archive, q: str, filters: Filters) -> Answer | None:
    from .retrieve import passes

    arts = [a for a in catalog.list_articles(archive.conn) if passes(a, filters)]
    people = {n for a in arts for n in a.author.split("、") if n}
    depts = {a.department for a in arts if a.department}
    who = sorted((p for p in people if p in q), key=len, reverse=True)
    dept = sorted((d for d in depts if d in q), key=len, reverse=True)
    if who:
        mine = [a for a in arts if who[0] in a.author.split("、")]
    elif dept:
        mine = [a for a in arts if a.department == dept[0]]
    else:
        return None
    if not mine:
        return None
    answer = "、".join(f"《{a.title}》" for a in mine)
    cites = tuple(_article_citation(a) for a in mine)
    return Answer(question=q, answer=answer, abstained=False, citations=cites, evidence=tuple(c.quote for c in cites),
                  qtype="authored", confidence=1.0)


def _article_citation(a: ArticleRow, quote: str = "") -> Citation:
    first = quote or (split_sentences(a.paragraphs[0])[0] if a.paragraphs else a.title)
    return Citation(total_no=a.total_no, issue_no=a.issue_no, year=a.year, date=a.date, page=a.page,
                    page_inferred=a.page_inferred, title=a.title, department=a.department, author=a.author,
                    quote=first, article_id=a.id, kind=a.issue_kind, source=a.source)


# ---- evidence ------------------------------------------------------------------------------------------------


def _from_evidence(archive: Archive, q: str, qtype: str, filters: Filters) -> Answer:
    retrieved = retrieve(archive, q, filters)
    scored = score_sentences(archive, retrieved, question_weights(archive, q))
    if not scored:
        return abstain(q, qtype, note="no evidence")
    known_depts = archive.known("department")
    known_people = archive.known("person")

    tok = archive.tokenizer()
    cache: dict[tuple[str, int], str] = {}

    def extract(s: Scored) -> str:
        key = (s.hit.article_id, s.index)
        if key not in cache:
            cache[key] = _extract(q, qtype, s, known_depts, known_people, tok)
        return cache[key]

    # hard-typed: the answer must be of that kind, or there is none; 什么X questions are soft (X may not
    # be printed beside the answer), and fall back to the best clause
    typed = qtype in ("department", "person", "date", "number")

    soft = bool(what_head(q)) or asks_for_name(q)

    def rank_key(s: Scored) -> float:
        if typed or soft:  # the answer often stands in a short sentence beside the one naming the topic
            bonus = 0.25 if extract(s) else 0.0
            return 0.3 * s.coverage + 0.7 * s.context + 0.08 / (1 + s.rank) + bonus
        return 0.6 * s.coverage + 0.4 * s.context + 0.08 / (1 + s.rank)

    ranked = sorted(scored, key=rank_key, reverse=True)
    best = ranked[0]
    if typed:
        # the best sentence that holds an answer of the kind asked for; none at all (no number of 公里,
        # no year of birth) means the archive does not say
        with_answer = [s for s in ranked[:TYPED_CANDIDATES] if extract(s)]
        if not with_answer:
            return abstain(q, qtype, best.confidence, note=f"no {qtype} in the evidence")
        best = with_answer[0]
    if best.confidence < archive.settings.abstain_threshold:
        return abstain(q, qtype, best.confidence, note=f"weak evidence: {best.sentence[:40]}")
    if qtype == "yesno":
        from .check import verdict_for

        return verdict_for(archive, _claim_from_question(q), q, retrieved)
    if qtype == "where":
        h = best.hit
        answer = h.citation().issue_and_page()
    else:
        answer = extract(best) or _clause(best, q)
    cites = [best.hit.citation(best.sentence)]
    seen = {best.hit.article_id}
    for s in ranked[1:]:
        if len(cites) >= 3:
            break
        if s.hit.article_id not in seen and s.confidence >= 0.85 * best.confidence and s.coverage >= 0.5 * best.coverage:
            cites.append(s.hit.citation(s.sentence))
            seen.add(s.hit.article_id)
    return Answer(question=q, answer=answer, abstained=False, citations=tuple(cites),
                  evidence=tuple(c.quote for c in cites), qtype=qtype, confidence=best.confidence)


def _extract(q: str, qtype: str, s: Scored, known_depts: set[str], known_people: set[str], tok: object = None) -> str:
    anchors = list(s.anchors)
    sent = s.sentence
    if qtype == "department":
        if _AUTHORSHIP.search(q) and s.hit.department:
            return s.hit.department
        span = closest(departments(sent, known_depts), anchors, sent, exclude=q)
    elif qtype == "person":
        if _AUTHORSHIP.search(q) and s.hit.author:
            return s.hit.author
        role = question_role(q)
        tagged = tok.person_names(sent) if tok is not None else []  # type: ignore[attr-defined]
        if role:
            # only the holder of that role answers (not 副院长 for 院长), in the unit the question names
            qualifier = role_qualifier(q, role, known_depts)
            if role not in sent or (qualifier and qualifier not in sent):
                return ""
            spans = persons_in_role(sent, role, known_people, tagged)
        else:
            spans = persons(sent, known_people, tagged)
        span = closest(spans, anchors, sent, exclude=q)
    elif qtype == "date":
        span = closest(dates(sent, date_grain(q)), anchors, sent, exclude=q)
    elif qtype == "number":
        unit = question_unit(q)
        if not unit and tok is not None:
            # 门诊量是多少: with no unit asked, the thing counted must be printed beside the number
            attribute = number_attribute(q, tok.words(q))  # type: ignore[attr-defined]
            if attribute and attribute not in sent:
                return ""
        span = closest(number_spans_in_original(sent, unit), anchors, sent, exclude=q)
    elif asks_for_name(q):
        span = closest(named_spans(sent), anchors, sent, exclude=q)
    elif head := what_head(q):
        span = closest(phrases_ending_with(sent, head), anchors, sent, exclude=q)
    else:
        return ""
    return span.text if span else ""


def _clause(s: Scored, q: str) -> str:
    """The shortest run of clauses of the sentence that holds the question's words (at most ~80 chars)."""
    sent = s.sentence
    if len(sent) <= 60:
        return sent
    for sep in ("：", ":"):
        if sep in sent and re.search(r"哪些|哪几|包括", q):
            tail = sent.split(sep, 1)[1]
            if 4 <= len(tail) <= 120:
                return tail
    clauses = _CLAUSE.findall(sent)
    if not s.anchors:
        return sent[:80]
    pos = 0
    spans = []
    for c in clauses:
        spans.append((pos, pos + len(c), c))
        pos += len(c)
    hit_idx = [i for i, (a, b, _) in enumerate(spans) if any(a <= x < b for x, _ in s.anchors)]
    if not hit_idx:
        return sent[:80]
    lo, hi = min(hit_idx), max(hit_idx)
    if hi + 1 < len(spans):
        hi += 1  # the clause after the question's words usually holds the answer
    text = "".join(c for _, _, c in spans[lo: hi + 1])
    return text.rstrip("，,；;：:") if len(text) <= 100 else text[:100]


def _where_by_title(archive: Archive, q: str) -> Answer | None:
    """刊登在第几版/哪一期 for an article the question names by its title."""
    titled = _article_by_title(archive, q)
    if titled is None:
        return None
    c = _article_citation(titled)
    answer = c.issue_and_page()
    return Answer(question=q, answer=answer, abstained=False, citations=(c,), evidence=(c.quote,), qtype="where",
                  confidence=1.0)


def _article_by_title(archive: Archive, q: str) -> ArticleRow | None:
    """The article whose title the question quotes (《…》), if any."""
    from .text import normalize

    quoted = [normalize(m) for m in re.findall(r"《([^》]{4,80})》", q)]
    if not quoted:
        return None
    for a in catalog.list_articles(archive.conn):
        t = normalize(a.title)
        if any(x == t or (len(x) >= 6 and (x in t or t in x)) for x in quoted):
            return a
    return None


def _claim_from_question(q: str) -> str:
    claim = re.sub(r"(是否|是不是|有没有|能否|可否)", "", q)
    return re.sub(r"吗?[？?！!。]*$", "", claim).strip()
