"""Claim check for journalists: supported / contradicted / not found, with quotes and citations.
Contradicted means the archive states the same fact with a different number, date or name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import ABSTAIN_TEXT, Answer, Citation, Filters, Hit
from ..store import Archive, catalog, keyword
from ..text import normalize, to_simplified
from ..vocab import ROLE_TITLES, abbreviated, is_common_word, is_tagged_name, synonyms
from . import consistency
from . import coverage as cover
from .candidates import addressed, departments, persons
from .evidence import Scored, coverage, question_weights, score_sentences
from .question import validate_question
from .retrieve import retrieve

_CLAUSE = re.compile(r"[^，,；;。！？!?]+")
VERDICT_ZH = {"supported": "属实", "contradicted": "与档案不符", "not_found": "档案中未找到"}


@dataclass(frozen=True)
class Verdict:
    """The verdict on a claim, with the quotes that decide it."""

    claim: str
    verdict: str  # supported | contradicted | not_found
    citations: tuple[Citation, ...]
    explanation: str
    confidence: float

    def to_json(self) -> dict[str, object]:
        """Plain JSON."""
        return {"claim": self.claim, "verdict": self.verdict, "verdict_zh": VERDICT_ZH[self.verdict],
                "explanation": self.explanation, "confidence": round(self.confidence, 4),
                "citations": [c.to_json() for c in self.citations]}


def check_claim(archive: Archive, claim: str, filters: Filters = Filters()) -> Verdict:
    """Check a claim against the archive."""
    claim = to_simplified(validate_question(claim, archive.settings.answer.max_question_chars))
    archive.require_index()
    return _judge(archive, claim, retrieve(archive, claim, filters))


def _judge(archive: Archive, claim: str, hits: list[Hit]) -> Verdict:
    # the claim's subject: its words other than numbers and names (those are what is checked)
    people = archive.known("person")
    # (a person named by a form of address, 周大爷, stays: no dictionary holds them, so their article is found by them)
    names = {s.text for s in persons(claim, people, archive.tokenizer().person_names(claim))} - {
        s.text for s in addressed(claim)}
    weights = {t: w for t, w in question_weights(archive, claim).items()
               if not re.search(r"\d", t) and not any(t in n or n in t for n in names)}
    scored = [s for s in score_sentences(archive, hits, weights, claim) if not s.orders]
    if not scored:
        return Verdict(claim, "not_found", (), "档案中没有足以核实这一说法的记载", 0.0)
    unknown = _never_printed(archive, [t for t in weights if len(t) >= 2])
    texts = [normalize(f"{h.source.title} {h.text}") for h in hits[:5]] if unknown else []
    unknown = [w for w in unknown if not any(abbreviated(w, t) for t in texts)]  # 妇联: 妇女联合会
    if unknown:  # the archive cannot support what it never mentions
        return Verdict(claim, "not_found", (), f"档案中从未出现「{'」「'.join(unknown[:3])}」", 0.0)
    units = {q.unit for q in consistency.quantities(claim)}
    conf = archive.settings.answer

    def key(s: Scored) -> float:
        has_unit = bool(units) and any(q.unit in units for q in consistency.quantities(s.sentence))
        return conf.claim_coverage * s.coverage + conf.claim_context * s.context + (
            conf.claim_unit_bonus if has_unit else 0.0)

    best = max(scored, key=key)
    cite = best.hit.citation(best.sentence)
    claimed = {(q.value, q.unit) for q in consistency.quantities(claim)} - {("1", "个")}
    # the claim's own numbers all printed in the sentence, one of three or more digits (2013年, 7.4%: rarely there
    # by chance, unlike 1个月): the sentence is the one it speaks of, though worded otherwise
    anchored = any(len(v) >= 3 for v, _ in claimed) and claimed <= {
        (q.value, q.unit) for q in consistency.quantities(best.sentence)}
    if best.confidence < conf.claim_support and not anchored:
        return Verdict(claim, "not_found", (cite,), "档案中没有足以核实这一说法的记载", best.confidence)
    problems, missing = _problems(archive, claim, best, weights)
    if missing:
        return Verdict(claim, "not_found", (cite,), missing, best.confidence)
    if problems:
        return Verdict(claim, "contradicted", (cite,), "；".join(problems), best.confidence)
    return Verdict(claim, "supported", (cite,), "档案中有相同记载", best.confidence)


def _problems(archive: Archive, claim: str, best: Scored, weights: dict[str, float]) -> tuple[list[str], str]:
    """What in the claim the evidence contradicts (numbers, the role's holder, who did it, departments and
    people), or what it does not mention."""
    sentence = best.sentence
    clauses = _CLAUSE.findall(sentence) or [sentence]
    focus = max(clauses, key=lambda c: coverage(weights, normalize(c)))
    art = catalog.get_article(archive.conn, best.hit.article_id)
    sentences = art.sentences() if art else [sentence]
    byline = f" {art.title} {art.department} {art.author}" if art else ""
    article = "".join(sentences) + byline
    unsaid = _unsaid(archive, claim, normalize(article))
    if unsaid:  # 眼科开设了弱视门诊 beside 近视门诊: what the claim is about is not in the article
        return [], f"档案中找到相关记载，但未提到「{'」「'.join(unsaid[:3])}」"
    people = archive.known("person")
    unnamed = [n.text for n in addressed(claim) if n.text not in people and n.text not in article]
    if unnamed:  # 吴奶奶 claimed: an article that never names her is about others
        return [], f"档案中找到相关记载，但未提到「{'」「'.join(unnamed[:3])}」"
    problems, missing = consistency.quantity_check(claim, [focus, sentence, article])
    if missing:
        return problems, missing
    tok, depts = archive.tokenizer(), archive.known("department")
    window = "".join(sentences[max(0, best.index - 1): best.index + 2]) if art else sentence
    paragraph = next((p for p in (art.paragraphs if art else []) if sentence in p), sentence)
    problems += [p for p in (consistency.role_check(claim, window, people, tok, frozenset(depts)),
                             consistency.agent_check(claim, sentences, people, depts, tok),
                             consistency.respectively_check(claim, article), _bound(archive, claim, paragraph),
                             consistency.weekday_check(claim, sentence)) if p]
    rank = cover.other_rank(claim, focus)
    if rank:  # 获得第五名 claimed where the clause prints 第一名
        problems.append(f"档案记载为{rank[1]}，而非{rank[0]}")
    unit = cover.other_unit(claim, sentence, depts, archive.publications())
    if unit:  # 某科的患者是68岁 where the sentence gives 68岁 to another unit's patient
        problems.append(f"档案中这一记载属于{unit[1]}，而非{unit[0]}")
    for kind, finder, known in (("科室", departments, depts), ("人物", persons, people)):
        claimed = {s.text for s in finder(claim, known)}
        printed = {s.text for s in finder(focus, known)} or {s.text for s in finder(sentence, known)}
        absent = {c for c in claimed if c in known and c not in article}  # a known name the article never prints
        if claimed and printed and absent and not (absent & printed):
            problems.append(f"档案记载的{kind}为{'、'.join(sorted(printed))}，而非{'、'.join(sorted(absent))}")
    unnamed = [n for n, _ in tok.person_names(claim) if is_tagged_name(n) and not is_common_word(n) and n not in article]
    if not problems and unnamed:  # nothing contradicts, but the claim's person is not in the article: unproven
        return [], f"档案中找到相关记载，但未提到「{'」「'.join(unnamed[:3])}」"
    return problems, ""


def _bound(archive: Archive, claim: str, text: str) -> str:
    """The unit or person the claim names, printed in clauses of the evidence's paragraph that name a sibling of
    the claim's attribute in its place and never the attribute (象棋赛一等奖 claimed for a team whose clause
    prints 二等奖)."""
    known = archive.known("department") | archive.known("person")
    names = [s.text for s in departments(claim, archive.known("department"))] + [
        s.text for s in persons(claim, archive.known("person"))]
    claimed = cover.constraint_terms(archive, claim)
    terms = [t for t in claimed.weights if t not in claimed.verbs]  # a verb is said in more ways (搬家, 搬迁)
    for name in (n for n in names if n in known):
        clauses = [c for c in _CLAUSE.findall(text) if name in c]
        for t in (t for t in terms if t not in name and name not in t):
            if any(cover.found(t, normalize(c)) for c in clauses):
                continue  # some clause binds the name to the attribute claimed
            pair = next((p for c in clauses if (p := cover.sibling_of(t, c, name, archive)) is not None), None)
            if pair is not None:
                return f"档案记载{name}为{pair[1]}，而非{pair[0]}"
    return ""


def _unsaid(archive: Archive, claim: str, article: str) -> list[str]:
    """The claim's weightiest words (at least half the weight of its heaviest; not its names, roles or numbers,
    which are compared) that the evidence's article does not print and the archive never prints, nor a
    synonym or abbreviation: 弱视门诊 against an article on 近视门诊. (A word the archive prints
    elsewhere — 历时 where this article says 经过 — may be the same fact in other words.)"""
    terms = cover.constraint_terms(archive, claim).weights
    known = archive.known("person") | archive.known("department")
    top = max(terms.values(), default=0.0)
    heavy = [t for t, w in terms.items() if w >= 0.5 * top and len(t) >= 2 and not re.search(r"\d", t)
             and t not in known and t not in ROLE_TITLES and not cover.found(t, article)]
    df, _ = keyword.document_frequencies(archive.conn, [s for t in heavy for s in (t, *synonyms(t))])
    return [t for t in heavy if not df.get(t, 0) and not any(df.get(s, 0) for s in synonyms(t))]


def _never_printed(archive: Archive, words: list[str]) -> list[str]:
    """Specific nouns of the claim (机器人, 质子) that no chunk of the archive contains, nor a usual synonym.
    General words (历时, 夜间) are left to coverage: the paper may say the same thing in other words."""
    tok = archive.tokenizer()
    freq = archive.settings.answer.specific_term_freq
    specific = [w for w in words if re.search(r"[\u4e00-\u9fff]", w) and tok.is_specific_noun(w, freq)]
    df, _ = keyword.document_frequencies(archive.conn, specific + [s for w in specific for s in synonyms(w)])
    return [w for w in specific if df.get(w, 0) == 0 and not any(df.get(s, 0) for s in synonyms(w))]


def verdict_for(archive: Archive, claim: str, question: str, hits: list[Hit]) -> Answer:
    """A yes/no question answered by checking the claim it contains."""
    v = _judge(archive, claim, hits)
    if v.verdict == "not_found":
        return Answer(question=question, answer=ABSTAIN_TEXT, abstained=True, qtype="yesno", confidence=v.confidence)
    text = "是" if v.verdict == "supported" else f"否（{v.explanation}）"
    return Answer(question=question, answer=text, abstained=False, citations=v.citations,
                  evidence=tuple(c.quote for c in v.citations), qtype="yesno", confidence=v.confidence)
