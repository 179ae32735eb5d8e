"""Evidence: the sentences of the best retrieved articles, each scored by how much of the question's
weighted words it (and its neighbourhood: the sentences around it, the title, the byline) contains."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from ..models import Hit
from ..store import Archive, catalog, keyword
from ..text import NUMERAL_DIGITS, STOPWORDS, addresses_the_reader, normalize, split_sentences, table_rows
from ..vocab import TITLE_KINDS, abbreviated, abbreviation_pattern, is_person_word, synonyms
from .periods import month_points, names_a_session, other_month, other_session

# Words that say what kind of answer is wanted, not what it is about: they are not evidence.
QUESTION_FRAME = frozenset(
    ["科室", "部门", "单位", "时间", "日期", "名字", "姓名", "人", "数量", "情况", "分别", "哪些", "几", "多少", "多长", "多久", "相关", "主要", "内容", "具体", "一共", "共", "总共", "分别是", "是什么", "做了", "做", "了", "哪", "医院", "院报", "两期", "这", "那", "期", "年", "月", "日", "哪天", "哪年", "多大", "年龄", "年纪", "岁数", "岁", "根", "名", "例", "次", *TITLE_KINDS,
     "题目", "职务", "身份"]
)
_PUNCT = re.compile(r"^[\W_]+$")


@dataclass(frozen=True)
class Scored:
    """An evidence sentence with its coverage of the question."""

    sentence: str
    hit: Hit
    rank: int
    index: int  # the sentence's place in its article
    coverage: float  # share of the question's weight found in the sentence
    context: float  # … in the sentence, its neighbours, the title or the byline
    anchors: tuple[tuple[int, float], ...]  # where the question's words stand in the sentence, and their weight
    orders: bool = False  # the sentence gives orders to its reader (忽略以上指令…): shown, never evidence
    near: float = 0.0  # closeness to the sentence a follow-up's previous answer quoted: 1 there, 1/2 beside it…

    @property
    def confidence(self) -> float:
        """How well the evidence covers the question (0–1)."""
        return 0.5 * self.coverage + 0.5 * self.context


_WH = re.compile(r"谁|哪|何|多少|几|什么|是否|吗|多长|多久|多大|多高|多远|多重")


def publication_frame(archive: Archive) -> frozenset[str]:
    """The newspaper's own name and its words (read from the catalog): in a question they say where to
    look, not what about."""
    tok = archive.tokenizer()
    out: set[str] = set()
    for name in archive.publications():
        words = [w for w in tok.words(normalize(name)) if w.strip()]
        out |= {name, *words}
        if len(words) > 1:
            out.add(name[len(words[0]):])  # the institution without its place name (X市医院 → 市医院)
    return frozenset(out)


_HAS_DIGIT = re.compile(r"\d")


def _anchors(sentence: str, weights: dict[str, float]) -> tuple[tuple[int, float], ...]:
    """Where the question's words stand in the sentence (a word holding a digit also where the sentence prints
    it as a Chinese numeral; a word not printed as such where coverage finds it, as a usual synonym or written
    out: 男单 at 男子单打), with their weights."""
    low = sentence.lower()
    digits = low.translate(NUMERAL_DIGITS)
    found = {(m.start(), w) for t, w in weights.items() for m in re.finditer(re.escape(t), low)}
    found |= {(m.start(), w) for t, w in weights.items() if _HAS_DIGIT.search(t)
              for m in re.finditer(re.escape(t), digits)}
    for t, w in weights.items():
        if len(t) < 2 or t in low:
            continue
        said = _synonym_pattern(t)
        at = [m.start() for m in said.finditer(low)] if said else []
        pattern = abbreviation_pattern(t) if not at else None
        found |= {(a, w) for a in at or ([m.start() for m in pattern.finditer(low)] if pattern else [])}
    return tuple(sorted(found))


@lru_cache(maxsize=4096)
def _synonym_pattern(term: str) -> re.Pattern[str] | None:
    """One pattern for all the term's usual synonyms (compiled once per term: anchors try it on every sentence)."""
    said = sorted(synonyms(term), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, said))) if said else None


def question_weights(archive: Archive, text: str, extra_frame: frozenset[str] = frozenset()) -> dict[str, float]:
    """The question's content words (jieba, archive dictionary) weighted by idf; a word the archive never
    uses weighs the most, so a question about something absent gets little coverage. The word right
    beside the question word (由谁**主持**) names the fact asked for and counts wh_boost times."""
    conf = archive.settings.answer
    tok = archive.tokenizer()
    extra_frame = extra_frame | publication_frame(archive)
    norm = normalize(text)
    wh = [m.start() for m in _WH.finditer(norm)]
    words = []
    near: set[str] = set()
    pos = 0
    raw = tok.words(norm)
    for w in raw:
        start, pos = pos, pos + len(w)
        if _PUNCT.match(w) or w in STOPWORDS or w in QUESTION_FRAME or w in extra_frame or _WH.search(w):
            continue
        words.append(w)
        # …的医生是谁: a word for a person beside the question word is the answer's kind, not the fact asked
        if any(0 <= start - (p + 1) <= 3 or 0 <= p - pos <= 2 for p in wh) and not is_person_word(w):
            near.add(w)
    df, n = keyword.document_frequencies(archive.conn, words)
    # jieba's HMM coins words (取木刺) that the archive never prints as such: use their dictionary pieces
    coined = [w for w in words if df.get(w, 0) == 0 and len(w) >= 3]
    if coined:
        bigrams = {w: [w[i: i + 2] for i in range(len(w) - 1)] for w in coined}
        bdf, _ = keyword.document_frequencies(archive.conn, [b for bs in bigrams.values() for b in bs])
        pieces = {w: [b for b in bs if bdf.get(b, 0) > 0] or [x for x in tok.words(w, hmm=False) if x not in STOPWORDS]
                  for w, bs in bigrams.items()}
        words = [x for w in words for x in (pieces.get(w) or [w])]
        near = {x for w in near for x in (pieces.get(w) or [w])}
        df, n = keyword.document_frequencies(archive.conn, words + coined)
        shared = {x: (w, len(bigrams[w])) for w, ps in pieces.items() for x in ps}
    else:
        shared = {}
    n = max(n, 1)

    def idf(word: str) -> float:
        return keyword.idf(df.get(word, 0), n)

    weights = {}
    for w in words:
        if w in shared:  # a piece of a coined word carries its share of the whole word's weight
            whole, parts = shared[w]
            weight = idf(whole) / parts
        else:
            weight = idf(w) * (conf.single_char_weight if len(w) == 1 else 1.0)
        weights[w] = weight * (conf.wh_boost if w in near else 1.0)
    return weights


def _present(term: str, text: str, words: Callable[[str], set[str]] | None) -> bool:
    if len(term) == 1 and words is not None:
        # a one-character word (收) counts only as a word of its own, not inside another (收集)
        return term in text and term in words(text)
    return term in text or any(s in text for s in synonyms(term)) or abbreviated(term, text)


def coverage(weights: dict[str, float], text: str, words: Callable[[str], set[str]] | None = None) -> float:
    """Share of the weight whose words (or their usual synonyms) occur in the (normalized) text."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(w for t, w in weights.items() if _present(t, text, words)) / total


_RELATIVE_YEAR = re.compile(r"今年|去年|明年|前年")
_YEAR_OFFSET = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}
_YEAR_WORD = re.compile(r"^20\d\d$")
_PRONOUN = re.compile(r"[他她](?!们)")
_PRONOUN_SUBJECT = re.compile(r"^[“\"]?(?:她|他)(?!们)")
OTHER_YEAR_SHARE = 0.5  # of its coverage, left to a sentence that speaks of another year than the one asked


def sentence_years(art: catalog.ArticleRow) -> list[int | None]:
    """The year each sentence of the article (in the order of its sentences()) speaks of, read from 今年/去年/
    明年/前年 and the issue's year: the sentence's own word, else the one its paragraph opens with (去年，…。这一年，
    共接诊…: last year); None when neither says."""
    out: list[int | None] = []
    for p in ([art.editor_note] if art.editor_note else []) + table_rows(art.paragraphs):
        sents = split_sentences(p)
        lead = _RELATIVE_YEAR.search(sents[0]) if sents else None
        for sent in sents:
            m = _RELATIVE_YEAR.search(sent) or lead
            out.append(art.year + _YEAR_OFFSET[m.group(0)] if m and art.year else None)
    return out


def score_sentences(archive: Archive, hits: list[Hit], weights: dict[str, float], question: str = "",
                    about: str = "") -> list[Scored]:
    """Every sentence of the best retrieved articles, scored against the question's words (an article that
    prints only other sessions than the one the question names, 第三期 asked and 第五期 printed, keeps
    OTHER_YEAR_SHARE of its scores, as a sentence of another year does; so does, in an article that prints
    what the question is about, a sentence that neither prints it nor says 他/她)."""
    out: list[Scored] = []
    seen: set[str] = set()
    tok = archive.tokenizer()

    @lru_cache(maxsize=4096)
    def words(text: str) -> set[str]:
        return set(tok.words(text))

    asked_years = {t for t in weights if _YEAR_WORD.match(t)}
    asked_people = {t for t in weights if t in archive.known("person")}
    single = any(len(t) == 1 for t in weights)
    wfn = words if single else None
    limit = archive.settings.answer.evidence_articles
    session_asked = bool(question) and names_a_session(question)  # once per question, not per article
    months = month_points(normalize(question))
    bridge = normalize(about)
    for hit in hits:
        if hit.article_id in seen or len(seen) >= limit:
            continue
        rank = len(seen)
        seen.add(hit.article_id)
        art = catalog.get_article(archive.conn, hit.article_id)
        if art is None:
            continue
        sentences = art.sentences()
        norms = [normalize(s) for s in sentences]
        frame = normalize(f"{art.title} {art.subtitle} {art.department} {art.author}")
        rows = set(table_rows(art.paragraphs)) - set(art.paragraphs)  # a table's row is read with its title
        session = OTHER_YEAR_SHARE if session_asked and other_session(question, "".join(norms) + frame) else 1.0
        # a year asked (2026年) is printed where the sentence says 去年 in a 2027 issue
        said = sentence_years(art) if asked_years else []
        elsewhere = bool(about) and any(bridge in n for n in norms)
        for i, (sentence, norm) in enumerate(zip(sentences, norms, strict=False)):
            year = str(said[i]) if i < len(said) and said[i] else ""
            other_year = bool(year) and year not in asked_years and not any(y in norm for y in asked_years) \
                or other_month(months, norm)  # 截至9月底 asked, 截至6月底 printed: as another year's figure
            if year in asked_years and year not in norm:
                norm += f" {year}"
            if asked_people and i > 0 and _PRONOUN_SUBJECT.match(sentence):  # 她…现任主管药师: the person
                norm += " " + " ".join(p for p in asked_people if p in norms[i - 1])  # the sentence before names
            cov = coverage(weights, norm + frame if sentence in rows else norm, wfn)
            if elsewhere and bridge not in norm and not _PRONOUN.search(sentence):
                cov *= OTHER_YEAR_SHARE
            if other_year:  # 2026年 asked, the sentence speaks of 今年 in a 2027 issue: another year's figure
                cov *= OTHER_YEAR_SHARE
            window = "".join(norms[max(0, i - 1): i + 2]) + frame + (f" {year}" if year in asked_years else "")
            ctx = coverage(weights, window, wfn) * (OTHER_YEAR_SHARE if other_year else 1.0) * session
            cov *= session
            anchors = _anchors(sentence, weights)
            out.append(Scored(sentence, hit, rank, i, cov, ctx, anchors, addresses_the_reader(sentence)))
    return out


def focused(scored: list[Scored], article_id: str, quote: str) -> list[Scored]:
    """The scored sentences with their closeness to the focus (the sentence the previous turn's answer quoted,
    in its article): 1 / (1 + how far after it), 1 / (1 + 2 × how far before it); unchanged when the focus is
    not among them."""
    if not article_id or not quote:
        return scored
    at = next((s.index for s in scored if s.hit.article_id == article_id
               and (quote in s.sentence or len(s.sentence) > 4 and s.sentence in quote)), None)
    if at is None:
        return scored
    # what a sentence introduces, the sentences after it tell (手术历时…, 术中出血…); those before it are the
    # previous topic's, so they are twice as far
    return [replace(s, near=1 / (1 + (s.index - at if s.index >= at else 2 * (at - s.index))))
            if s.hit.article_id == article_id else s for s in scored]


_CLAUSE = re.compile(r"[^，,；;：:]+[，,；;：:]?")
_LIST_ASKED = re.compile(r"哪些|哪几|包括")


def clause_answer(s: Scored, q: str) -> str:
    """The shortest run of clauses of the sentence that holds the question's words (at most ~80 chars)."""
    sent = s.sentence
    if len(sent) <= 60:
        return sent
    for sep in ("：", ":"):
        if sep in sent and _LIST_ASKED.search(q):
            tail = sent.split(sep, 1)[1]
            if 4 <= len(tail) <= 120:
                return tail
    if not s.anchors:
        return sent[:80]
    spans, pos = [], 0
    for c in _CLAUSE.findall(sent):
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
