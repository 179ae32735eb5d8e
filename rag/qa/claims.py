"""Claim check for journalists: supported / contradicted / not found, with quotes and citations.
Contradicted means the archive states the same fact with a different number, date or name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import ABSTAIN_TEXT, Answer, Citation, Filters, Hit
from ..store import Archive, catalog, keyword
from ..text import cn_numerals_to_digits, normalize, to_simplified
from ..vocab import ROLE_TITLES, synonyms
from .candidates import departments, persons, persons_in_role
from .evidence import Scored, coverage, question_weights, score_sentences
from .question import validate_question
from .retrieve import retrieve

_QTY = re.compile(r"(\d+(?:\.\d+)?)\s*(?:余|多)?\s*(年|月|日|岁|名|例|根|天|次|项|家|所|位|台|件|条|种|周|人|篇|届|期|"
                  r"分钟|小时|个月|个|毫米|厘米|毫升|ml|%|％)")
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


def _quantities(text: str) -> list[tuple[str, str]]:
    norm = cn_numerals_to_digits(text)
    return [(m.group(1), m.group(2)) for m in _QTY.finditer(norm)]


def check_claim(archive: Archive, claim: str, filters: Filters = Filters()) -> Verdict:
    """Check a claim against the archive."""
    claim = to_simplified(validate_question(claim, archive.settings.answer.max_question_chars))
    archive.require_index()
    return _judge(archive, claim, retrieve(archive, claim, filters))


def _judge(archive: Archive, claim: str, hits: list[Hit]) -> Verdict:
    # the claim's subject: its words other than numbers and names (those are what is checked)
    depts = archive.known("department")
    people = archive.known("person")
    names = {s.text for s in persons(claim, people, archive.tokenizer().person_names(claim))}
    weights = {t: w for t, w in question_weights(archive, claim).items()
               if not re.search(r"\d", t) and not any(t in n or n in t for n in names)}
    scored = [s for s in score_sentences(archive, hits, weights) if not s.orders]
    if not scored:
        return Verdict(claim, "not_found", (), "档案中没有足以核实这一说法的记载", 0.0)
    unknown = _never_printed(archive, [t for t in weights if len(t) >= 2])
    if unknown:  # the archive cannot support what it never mentions
        return Verdict(claim, "not_found", (), f"档案中从未出现「{'」「'.join(unknown[:3])}」", 0.0)
    claimed_qty = _quantities(claim)
    units = {u for _, u in claimed_qty}

    conf = archive.settings.answer

    def key(s: Scored) -> float:
        has_unit = bool(units) and any(u in units for _, u in _quantities(s.sentence))
        return conf.claim_coverage * s.coverage + conf.claim_context * s.context + (
            conf.claim_unit_bonus if has_unit else 0.0)

    best = max(scored, key=key)
    if best.confidence < conf.claim_support:
        return Verdict(claim, "not_found", (best.hit.citation(best.sentence),),
                       "档案中没有足以核实这一说法的记载", best.confidence)
    sentence = best.sentence
    cite = best.hit.citation(sentence)
    clauses = _CLAUSE.findall(sentence) or [sentence]
    focus = max(clauses, key=lambda c: coverage(weights, normalize(c)))

    problems = []
    for value, unit in claimed_qty:
        pool = [v for v, u in _quantities(focus) if u == unit] or [v for v, u in _quantities(sentence) if u == unit]
        if not pool:
            return Verdict(claim, "not_found", (cite,), f"档案中找到相关记载，但未提到{value}{unit}这一数字", best.confidence)
        if value not in pool:
            problems.append(f"档案记载为{pool[0]}{unit}，而非{value}{unit}")
    role_problem = _role_holder_differs(archive, claim, best, people)
    if role_problem:
        problems.append(role_problem)
    for kind, finder, known in (("科室", departments, depts), ("人物", persons, people)):
        claimed = {s.text for s in finder(claim, known)}
        printed = {s.text for s in finder(focus, known)} or {s.text for s in finder(sentence, known)}
        if claimed and printed and not (claimed & printed) and not any(c in sentence for c in claimed):
            problems.append(f"档案记载的{kind}为{'、'.join(sorted(printed))}，而非{'、'.join(sorted(claimed))}")
    if problems:
        return Verdict(claim, "contradicted", (cite,), "；".join(problems), best.confidence)
    return Verdict(claim, "supported", (cite,), "档案中有相同记载", best.confidence)


def _never_printed(archive: Archive, words: list[str]) -> list[str]:
    """Specific nouns of the claim (机器人, 质子) that no chunk of the archive contains, nor a usual synonym.
    General words (历时, 夜间) are left to coverage: the paper may say the same thing in other words."""
    tok = archive.tokenizer()
    freq = archive.settings.answer.specific_term_freq
    specific = [w for w in words if re.search(r"[\u4e00-\u9fff]", w) and tok.is_specific_noun(w, freq)]
    df, _ = keyword.document_frequencies(archive.conn, specific + [s for w in specific for s in synonyms(w)])
    return [w for w in specific if df.get(w, 0) == 0 and not any(df.get(s, 0) for s in synonyms(w))]


def _role_holder_differs(archive: Archive, claim: str, best: Scored, people: set[str]) -> str:
    """由副院长李雪琴主持 against 会议由副院长张劼主持 printed beside the evidence: the same role, another name."""
    tok = archive.tokenizer()
    for role in ROLE_TITLES:
        if role not in claim:
            continue
        claimed = persons_in_role(claim, role, people, tok.person_names(claim))
        if not claimed:
            continue
        art = catalog.get_article(archive.conn, best.hit.article_id)
        if art is None:
            return ""
        sentences = art.sentences()
        window = "".join(sentences[max(0, best.index - 1): best.index + 2])
        names = {p.text for p in persons_in_role(window, role, people, tok.person_names(window))}
        if names and claimed[0].text not in names and claimed[0].text not in window:
            return f"档案记载的{role}为{'、'.join(sorted(names))}，而非{claimed[0].text}"
        return ""
    return ""


def verdict_for(archive: Archive, claim: str, question: str, hits: list[Hit]) -> Answer:
    """A yes/no question answered by checking the claim it contains."""
    v = _judge(archive, claim, hits)
    if v.verdict == "not_found":
        return Answer(question=question, answer=ABSTAIN_TEXT, abstained=True, qtype="yesno", confidence=v.confidence)
    text = "是" if v.verdict == "supported" else f"否（{v.explanation}）"
    return Answer(question=question, answer=text, abstained=False, citations=v.citations,
                  evidence=tuple(c.quote for c in v.citations), qtype="yesno", confidence=v.confidence)
