"""Extractive answering (the default, no LLM): rank the evidence sentences, extract the short answer of the
asked type from the best one, cite it; abstain when the evidence is weak or holds no answer of that type."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

from ..models import ABSTAIN_TEXT, Answer, QType
from ..settings import AnswerSettings
from ..store import Archive, catalog
from ..text import Tokenizer, normalize
from ..vocab import COUNT_UNITS, OFFICES, ORGANISATION_KINDS, TITLE_KINDS, Span, is_work_word
from .answerable import Gate, load_model
from .candidates import (
    clause_weight,
    closest,
    counts_for,
    dates,
    departments,
    enumerations,
    named_spans,
    other_counts,
    persons,
    persons_in_role,
    phrases_ending_with,
)
from .coverage import answer_clause, found
from .evidence import Scored, clause_answer
from .listed import is_lead_in, items_after
from .places import organisations, place_names, places
from .question import (
    asks_for_name,
    counted_inside,
    counted_noun,
    date_grain,
    list_count,
    number_attribute,
    organisation_asked,
    question_role,
    question_unit,
    role_qualifier,
    what_head,
)
from .ranks import asks_rank, held_by, rank_spans
from .relations import (
    changed_to,
    count_label,
    counted_next,
    counts_another,
    labelled,
    not_the_speaker,
    of_a_relative,
    respectively,
    run_of,
    speaks,
    took_label,
)
from .spangen import Candidate, generate
from .spans import POOL_SENTENCES, best_span, load_weights, offices, read_question, span_modes

HARD_TYPES: frozenset[QType] = frozenset({"department", "person", "date", "place", "number"})
# 谁写的 asks for the author; 《某文》写的是哪位护士长 asks whom the article is about
_AUTHORSHIP = re.compile(r"作者|撰写|撰稿|供稿|署名|写的(?!是(?:哪|谁|什么))|投稿|执笔")
_BOUND_ASKED = re.compile(r"以上|以下|以内")  # 多大年龄以上的人群: a bracket is what is asked

_ORDINAL_ASKED = re.compile(r"第(?:几|多少)|排(?:名|在|到)?(?:第)?(?:几|多少)|排名|名次")  # 排多少位: a place
_SEVERAL_ISSUES = re.compile(r"哪几期|哪些期")
_PLACE_HEAD = re.compile(r"(?:哪个|哪座|哪间|哪一个|什么)(?!地方)[\u4e00-\u9fff]")
# a question asking for several units or people (哪些科室, 哪几位专家, 谁和谁): every one printed in the run
_PLURAL = re.compile(r"哪些|哪几|分别|都有谁|都是谁|有谁")
_PEOPLE_HEAD = re.compile(r"(?:哪些|哪几)(?:位|名|个)?(?:人|医生|医师|护士|专家|人员|职工|同志|代表|学员|队员|选手|领导|同事)(?![队团处组])")
_CANDIDATE_KIND = {"person": "person", "department": "unit"}  # the generator's kind a typed question takes


def abstain(question: str, qtype: QType, confidence: float = 0.0, note: str = "") -> Answer:
    """The answer when the archive does not say."""
    return Answer(question=question, answer=ABSTAIN_TEXT, abstained=True, qtype=qtype, confidence=confidence,
                  note=note)


@dataclass
class Extractor:
    """Extracts the short answer of the asked type from one evidence sentence (memoised per sentence)."""

    archive: Archive
    question: str
    qtype: QType

    def __post_init__(self) -> None:
        self.depts = self.archive.known("department")
        self.people = self.archive.known("person")
        self.publications = self.archive.publications()
        self.tok: Tokenizer = self.archive.tokenizer()
        self._cache: dict[tuple[str, int], str] = {}
        self.labelled: set[tuple[str, int]] = set()  # sentences whose answer stands right after the asked label
        q = self.question  # what the question asks for, read once per question (not once per evidence sentence)
        self.authorship = bool(_AUTHORSHIP.search(q))
        self.grain = date_grain(q)
        self.unit = question_unit(q) if self.qtype == "number" else ""
        # 出了多少血: 出血; 手术做了多长时间: 历时 (用时, 耗时)
        self.label = (counted_inside(q) or count_label(q) or took_label(q)) if self.qtype == "number" else ""
        self.rank = asks_rank(q)  # 几等奖, 第几名: a place in a ranking (二等奖, 亚军), not a number
        self.ordinal = bool(_ORDINAL_ASKED.search(q))  # 第几天: else 第3天 is when, not how long or how many
        # 门诊量是多少: with no unit asked, the thing counted must be printed beside the number
        self.attribute = number_attribute(q, self.tok.words(q)) if self.qtype == "number" and not self.unit else ""
        self.counted = normalize(counted_noun(q, self.unit, self.tok.pos_tags(q))) if self.qtype == "number" else ""
        after_unit = re.search(rf"(?:多少|几){re.escape(self.unit)}([\u4e00-\u9fff])", q) if self.unit in COUNT_UNITS else None
        self.noun_after = after_unit.group(1) if after_unit else ""  # 几张床: 住院楼5层, with no 床 beside it, is no answer
        self.count = list_count(q)
        self.plural = bool(_PLURAL.search(q))
        self.people_list = self.qtype == "list" and bool(_PEOPLE_HEAD.search(q))  # 哪些人: a list of persons
        # 在哪里 / 是哪里人 take any place name; 在哪个会议室 only one printed as where something happened
        self.any_place = self.qtype == "place" and not _PLACE_HEAD.search(q)
        self.names = asks_for_name(q)
        self.head = what_head(q)
        self.work = bool(self.head) and is_work_word(self.head)  # 哪个节目, 什么题目: a title printed in 《》
        # 哪家单位 / 哪家培训机构: an organisation's name (a unit of the hospital may still answer 哪个单位)
        org = organisation_asked(q) if self.qtype in ("department", "open") else ""
        self.organisation = bool(org)
        self.org_heads = ORGANISATION_KINDS.get(org, ())
        self.role = question_role(q) if self.qtype == "person" else ""
        self.qualifier = role_qualifier(q, self.role, self.depts, self.publications) if self.role else ""
        self.span_mode = span_modes(self.archive.settings.answer.span_modes).get(self.qtype)
        self.frame = read_question(q, self.tok.words(q), self.qtype) if self.span_mode else None
        # who the question asks the place of (a person, else a unit): the place is the one printed after them
        self.holders = [sp.text for sp in [*self._persons(q), *departments(q, self.depts, self.publications)]] if self.rank else []

    def __call__(self, s: Scored) -> str:
        key = (s.hit.article_id, s.index)
        if key not in self._cache:
            self._cache[key] = self.place(s) or self._extract(s)
        return self._cache[key]

    def place(self, s: Scored) -> str:
        """The place in a ranking asked for (几等奖: 二等奖), the one the question's subject won; '' when the
        question asks none or the sentence prints none."""
        if not self.rank:  # most questions: nothing to read (this runs on every evidence sentence)
            return ""
        ranked = rank_spans(s.sentence, self.question)
        place = held_by(ranked, s.sentence, self.holders) or closest(ranked, list(s.anchors), s.sentence,
                                                                     exclude=self.question)
        return place.text if place else ""

    def _extract(self, s: Scored) -> str:
        q, sent, anchors = self.question, s.sentence, list(s.anchors)
        if self.organisation and not self.authorship:
            spans = [sp for sp in organisations(self.tok.pos_tags(sent)) if sp.text not in self.publications
                     and sp.text.endswith(self.org_heads or sp.text)] or (
                departments(sent, self.depts, self.publications) if self.qtype == "department" else [])
        elif self.qtype == "department":
            if self.authorship and s.hit.source.department:
                return s.hit.source.department
            spans = departments(sent, self.depts, self.publications)
        elif self.qtype == "person":
            if self.authorship and s.hit.source.author:
                return s.hit.source.author
            spans = self._persons(sent)
        elif self.qtype == "date":
            spans = [sp for sp in dates(sent, self.grain) if not of_a_relative(sent, sp, q, self.tok)]
        elif self.qtype == "place":
            tags = self.tok.pos_tags(sent)
            spans = places(tags) or (place_names(tags) if self.any_place else [])
        elif self.qtype == "number":
            if self.attribute and self.attribute not in sent:
                return ""
            spans = [sp for sp in counts_for(sent, self.unit, _BOUND_ASKED.search(q) is not None)
                     if self._counted(sp, sent) and (self.ordinal or not sp.text.startswith("第"))
                     and not of_a_relative(sent, sp, q, self.tok)]
        elif self.people_list:
            spans = self._persons(sent)
        elif self.qtype == "list":
            spans = enumerations(sent, self.count)
            if not spans and is_lead_in(sent) and (items := self._listed(s)):
                return "、".join(items)  # 分为三类：/ 一是甲。/ 二是乙。/ 三是丙。
        elif self.names:
            spans = named_spans(sent)
        elif self.work and (titles := _titles(sent)):
            spans = titles
        elif self.head in TITLE_KINDS:  # 什么职称: 主管药师, printed without the word 职称; 什么职务: 某科主任
            spans = offices(self.head, sent, q, self.depts, self.publications)
        elif self.head:
            spans = phrases_ending_with(sent, self.head)
        else:
            return ""
        span = closest(spans, anchors, sent, exclude=q, enumerations=self.qtype == "list" and not self.people_list)
        if span is not None and (self.people_list or self.plural and self.qtype in ("department", "person")):
            return run_of(spans, sent, span).text
        if self.qtype == "number" and (theirs := respectively(spans, sent, q)) is not None:
            self.labelled.add((s.hit.article_id, s.index))
            return self._counted(theirs, sent)  # 母亲和儿子分别接受了9次和6次 asked 儿子
        if self.qtype == "number" and (before := counted_next(spans, sent, self.counted)) is not None and (
                span is None or clause_weight(before, anchors, sent, True) >= clause_weight(span, anchors, sent, True)):
            return before.text  # 12名医师、30名护士 asked 多少名护士 (其中乙组5支 asked 乙组几支队伍: not 12支队伍)
        if self.qtype == "number" and (right_after := labelled(spans, sent, self.counted)  # 几项二等奖: 二等奖3项
                                       or labelled(spans, sent, self.label)) is not None:
            self.labelled.add((s.hit.article_id, s.index))
            # 二等奖几项 where 一等奖3项、二等奖6项 is printed; 床位由24张增加到40张: the value it changed to
            return self._counted(changed_to(sent, right_after, spans, q), sent)
        if self.qtype == "number" and span is not None:  # 从1100克增长到2400克: the value it changed to
            span = changed_to(sent, span, spans, q)
        if self.qtype == "number" and self.unit in COUNT_UNITS:  # 多少名阳性者 where 阳性者12人 is printed
            span = self._other_count(span, sent, anchors)
        return self._counted(span, sent) if span else ""

    def _other_count(self, span: Span | None, sent: str, anchors: list[tuple[int, float]]) -> Span | None:
        """A count in another classifier, where the one asked for is not printed in a clause holding the question."""
        other = closest(other_counts(sent, self.unit), anchors, sent, exclude=self.question)
        mine = clause_weight(span, anchors, sent) if span is not None else 0.0
        if other and (span is None or mine == 0.0 and clause_weight(other, anchors, sent) > mine):
            return other
        return span

    def _listed(self, s: Scored) -> list[str]:
        """The items printed one to a sentence after the lead-in sentence s, in its article."""
        art = catalog.get_article(self.archive.conn, s.hit.article_id)
        return items_after(art.sentences(), s.index, self.count) if art is not None else []

    def _counted(self, span: Span, sent: str) -> str:
        """The count, where the thing the question counts is printed in its clause or the one before (多少人次心率
        asked, 80人次 printed beside another thing counted is not an answer), else ''."""
        clause = normalize(answer_clause(sent, span.text, 1))
        other = bool(self.noun_after) and self.unit not in span.text and self.noun_after not in clause or (
            self.unit == "个" and not self.counted and counts_another(span, sent, self.question, self.tok))
        return "" if self.counted and not found(self.counted, clause) or other else span.text

    def ranked_span(self, pool: list[Scored], within: str = "") -> tuple[str, Scored] | None:
        """The fitted ranker's best candidate over the pool's sentences, with its sentence; within: only those
        inside that stretch of the first sentence (the rules' answer, trimmed)."""
        lo = pool[0].sentence.find(within) if pool else -1
        if self.frame is None or lo < 0:
            return None
        hi = lo + len(within) if within else len(pool[0].sentence)
        cands = [(s.sentence, [c for c in generate(s.sentence, self.tok.pos_tags(s.sentence), self.depts, self.people,
                                                   self.frame.words) if self.fits(c) and lo <= c.start and c.end <= hi
                               and not (self.qtype == "person" and speaks(s.sentence, c.end, self.question))]) for s in pool]
        path = self.archive.settings.answer.span_weights
        best = best_span(self.frame, cands, load_weights(Path(path)) if path else load_weights())
        if best is None or self.span_mode is None or best.prob < self.span_mode.min_prob:
            return None
        return best.text, pool[best.sentence]

    def fits(self, c: Candidate) -> bool:
        """Is the ranker's candidate of the kind asked for? A date question takes a date of the grain asked
        (哪一年 is not answered by 3月18日), a number question a quantity, and so on; open and list
        questions take any candidate."""
        if self.qtype == "date":
            return any(d.text == c.text for d in dates(c.text, self.grain))
        if self.qtype == "number":
            return any(n.text == c.text and (self.ordinal or not n.text.startswith("第"))
                       for n in counts_for(c.text, self.unit))
        kind = _CANDIDATE_KIND.get(self.qtype)
        return kind is None or kind in c.kinds

    def _persons(self, sent: str) -> list[Span]:
        tagged = self.tok.person_names(sent)
        if not self.role:
            return not_the_speaker(persons(sent, self.people, tagged), sent, self.question)
        # only the holder of that role answers (not 副院长 for 院长), in the unit the question names
        if self.role not in sent or (self.qualifier and self.qualifier not in sent):
            return []
        return persons_in_role(sent, self.role, self.people, tagged, self.qualifier)


def rank(scored: list[Scored], extract: Extractor, conf: AnswerSettings) -> list[Scored]:
    """Evidence sentences, best first. For typed and 什么X questions the answer often stands in a short
    sentence beside the one naming the topic, so the neighbourhood counts more, and so does holding an
    answer of the asked type, and more where it follows the question's own label (为期5天), among the
    sentences of the best article only (a label printed in another article does not bring it in). The weights
    are fitted (eval/fit_ranking.py)."""
    qtype = extract.qtype
    shaped = qtype in HARD_TYPES or qtype == "list" or bool(extract.head) or extract.names or extract.organisation \
        or extract.rank

    def key(s: Scored, top: str | None = None, most: float = 0.0) -> float:
        prior = conf.rank_prior / (1 + s.rank) + conf.focus_bonus * s.near
        if shaped:
            bonus = conf.typed_bonus * bool(extract(s)) + conf.typed_label_bonus * (
                s.hit.article_id == top and (s.hit.article_id, s.index) in extract.labelled and s.coverage >= most)
            return conf.typed_coverage * s.coverage + conf.typed_context * s.context + prior + bonus
        return conf.open_coverage * s.coverage + conf.open_context * s.context + prior

    ranked = sorted(scored, key=key, reverse=True)
    if not ranked or not extract.labelled:
        return ranked
    top = ranked[0].hit.article_id
    # a label printed in a sentence that holds less of the question than another sentence of the article printing
    # the label and an answer does not outweigh it (身高 labels 50厘米 in a subheading; the sentence printing
    # 身高 and 一岁时 holds 75厘米)
    most = max((s.coverage for s in scored if s.hit.article_id == top and extract.label[-2:] in s.sentence and extract(s)),
               default=0.0)
    return sorted(scored, key=lambda s: key(s, top, most), reverse=True)


def answer_from(scored: list[Scored], extract: Extractor, conf: AnswerSettings, gate: Gate | None = None) -> Answer:
    """The short answer of the asked type from the ranked evidence, cited; or an abstention. Whether the best
    sentence is strong enough to answer is the fitted answerability model's call (rag.qa.answerable) when
    there is one and a gate for this question, else its coverage against abstain_threshold."""
    q, qtype = extract.question, extract.qtype
    if not scored:
        return abstain(q, qtype, note="no evidence")
    ranked = rank(scored, extract, conf)
    best, pool = ranked[0], ranked
    if qtype in HARD_TYPES or extract.people_list or extract.head in TITLE_KINDS and extract.head not in OFFICES:
        # the best sentence that holds an answer of the kind asked for; none at all (no number of 公里, no year of
        # birth) means the archive does not say; an office our titles do not list (某馆馆长) is read as it stands
        with_answer = [s for s in ranked[: conf.typed_candidates] if extract(s)]
        if not with_answer:
            return abstain(q, qtype, best.confidence, note=f"no {qtype} in the evidence")
        best, pool = with_answer[0], with_answer
    elif extract.work or extract.rank:  # 哪个节目 / 几等奖: the best sentence printing a title or a place, if any
        found = [s for s in ranked[: conf.typed_candidates] if (extract.place(s) if extract.rank else _titles(s.sentence))]
        if found:
            best, pool = found[0], found
    model = load_model() if gate is not None and conf.abstain_model == "fitted" else None

    def strong(s: Scored, signals: dict[str, float] | None = None) -> bool:
        if model is not None and gate is not None:
            return model.probability(signals or gate.signals(s)) >= model.threshold
        return s.confidence >= conf.abstain_threshold

    if qtype == "list" and not extract(best):
        # the best article's best sentence that prints an enumeration, when strong enough (else the best's clause)
        listed = next((s for s in ranked[: conf.typed_candidates]
                       if s.hit.article_id == best.hit.article_id and extract(s)), None)
        if listed is not None and strong(listed):
            best = listed

    best_signals = gate.signals(best) if gate is not None else {}
    signals = tuple(best_signals.items())
    if not strong(best, best_signals):
        return replace(abstain(q, qtype, best.confidence, note=f"weak evidence: {best.sentence[:40]}"), signals=signals)
    if qtype == "where" and _SEVERAL_ISSUES.search(q):  # 哪几期报道过…: every issue whose evidence is as good
        return _issues(q, best, ranked, conf)
    if qtype == "where":
        answer = best.hit.source.issue_and_page()
    else:
        # the ranker reads the best few sentences strong enough on their own (judged lazily: each costs a model call)
        strong_pool = [best, *islice((s for s in pool if s is not best and strong(s)), POOL_SENTENCES - 1)]
        answer, best = short_answer(best, strong_pool, extract)
    cites = [best.hit.citation(best.sentence)]
    seen, quoted = {best.hit.article_id}, {best.sentence}
    for s in ranked[1:]:
        if len(cites) >= conf.max_citations:
            break
        if (s.hit.article_id not in seen and s.sentence not in quoted  # a reprinted sentence is quoted once
                and s.confidence >= conf.extra_citation_ratio * best.confidence
                and s.coverage >= conf.extra_citation_coverage * best.coverage):
            cites.append(s.hit.citation(s.sentence))
            seen.add(s.hit.article_id)
            quoted.add(s.sentence)
    return Answer(question=q, answer=answer, abstained=False, citations=tuple(cites),
                  evidence=tuple(c.quote for c in cites), qtype=qtype, confidence=best.confidence, signals=signals)


def _issues(q: str, best: Scored, ranked: list[Scored], conf: AnswerSettings) -> Answer:
    """The issues (and pages) of every article whose evidence is as close to the best as another cited
    article must be, each cited once, in the order of the issues."""
    chosen = {best.hit.article_id: best}
    for s in ranked[1:]:
        if (s.hit.article_id not in chosen and s.confidence >= conf.extra_citation_ratio * best.confidence
                and s.coverage >= conf.extra_citation_coverage * best.coverage):
            chosen[s.hit.article_id] = s
    picked = sorted(chosen.values(), key=lambda s: (s.hit.source.total_no, s.hit.source.page))
    cites = tuple(s.hit.citation(s.sentence) for s in picked)
    answer = "、".join(dict.fromkeys(s.hit.source.issue_and_page() for s in picked))
    return Answer(question=q, answer=answer, abstained=False, citations=cites, evidence=tuple(c.quote for c in cites),
                  qtype="where", confidence=best.confidence)


def _titles(sentence: str) -> list[Span]:
    """The titles printed in 《》 in the sentence (without the marks)."""
    return [sp for sp in named_spans(sentence) if sentence[sp.start] == "《"]


def short_answer(best: Scored, pool: list[Scored], extract: Extractor) -> tuple[str, Scored]:
    """The short answer and the sentence it stands in: the typed rules' answer, or where the fitted ranker
    serves this question type (always, or when the rules find nothing) the ranked span of the best few
    sentences (pool: those strong enough to answer on their own), or its span inside the rules' answer (trim);
    the clause holding the question's words as the last resort."""
    typed = extract(best)
    mode = extract.span_mode
    if mode and mode.when == "trim":  # the ranker's span inside the rules' answer
        rules = typed or clause_answer(best, extract.question)
        return extract.ranked_span([best], within=rules) or (rules, best)
    if mode and (mode.when == "replace" or (mode.when == "fallback" and not typed)):
        others = [s for s in pool if s is not best]
        ranked = extract.ranked_span([best, *others][:POOL_SENTENCES])
        if ranked:
            return ranked
    return typed or clause_answer(best, extract.question), best
