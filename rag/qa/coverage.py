"""Does the evidence cover the question? A near miss — the page names the men's singles champion when the
women's is asked for, another event's headcount, the year something else was founded — holds an answer of
the right type beside a different attribute. The question's constraint words (content nouns and verbs, its
numbers and names) must be found, as such, as a synonym or as an abbreviation, in the answer's sentence,
the sentences beside it, or the article's title and byline; the share of their weight that is missing
decides whether the answer stands."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Answer, Citation
from ..store import Archive, catalog, keyword
from ..text import STOPWORDS, chinese_int, normalize
from ..vocab import PLACES, abbreviated, contrasting, synonyms
from . import twohop
from .candidates import departments
from .evidence import QUESTION_FRAME, publication_frame
from .periods import other_day, other_session, other_year, other_year_said
from .question import GENERIC_HEADS

# jieba flags of words that carry content: nouns (n, nr, ns, nt, nz, vn…), verbs, adjectives, Latin terms,
# abbreviations (j) and idioms (i, l); numbers (m) only when they hold a digit (3月19日, not 此前 or 头一回).
_CONTENT_FLAGS = ("n", "v", "a", "eng", "j", "i", "l")
_FUNCTION_FLAGS = ("vshi", "vyou", "ad", "an")
_WH = re.compile(r"谁|哪|何|多少|几|什么|是否|吗|多长|多久|多大|多高|多远|多重|怎么|如何")
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"^(19|20)\d\d$")  # a year names the edition more often than the fact
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
CLAUSE_END = re.compile(r"[，,；;。！？!?：:]")  # what ends a clause (a short answer's, a place's holder's)
# Words of a question that name its frame, not its subject, beyond the evidence's own frame list.
_FRAME = frozenset(["是", "有", "为", "叫", "给", "把", "让", "被", "对", "吗", "呢", "过", "来", "去", "到", "得", "做", "搞",
                    "称", "属于", "位于", "担任", "情况", "方面", "这次", "那次", "这场", "那场", "当时", "今年", "本次",
                    "一共", "总共", "共", "大约", "大概", "左右", "分别", "最终", "其中", "对不对", "是不是", "篇", "文章",
                    "文中", "报道", "稿件", "版", "报",
                    "篇文章", "作者", "写", "撰写", "共有", "是从", "大家",
                    # words naming the kind of answer asked for (什么主题, 哪个部位), which the text need not print
                    "主题", "题目", "名称", "部位", "名次", "身份", "级别", "年纪", "职务", "称号", "歌"])


@dataclass(frozen=True)
class Terms:
    """A question's constraint words weighted by idf, and which of them name the attribute asked for (the
    words beside the question word: 女子单打**亚军**是谁, 花了多少**钱**)."""

    weights: dict[str, float]
    attribute: frozenset[str]
    verbs: frozenset[str] = frozenset()

    def topic(self) -> dict[str, float]:
        """The constraint words that say what the question is about (all but the attribute)."""
        return {t: w for t, w in self.weights.items() if t not in self.attribute}

    def asked(self) -> dict[str, float]:
        """The attribute words."""
        return {t: w for t, w in self.weights.items() if t in self.attribute}


@dataclass(frozen=True)
class Cover:
    """The share of the attribute's weight missing beside the answer, the share of the topic's weight missing
    from the whole article, the words missing, and a sibling the answer's clause prints in place of a question
    word (女子组 asked, 男子组 printed beside the answer), if any."""

    attribute_missing: float
    topic_missing: float
    missing: tuple[str, ...]
    sibling: tuple[str, str] | None = None
    unsaid: str = ""  # the word that says which kind is asked (什么麻醉方式: 麻醉), not printed beside the answer
    elsewhere: bool = False  # the sibling is the cited article's own unit or event: another article may be the one

    def abstains(self, attribute_max: float, topic_max: float, siblings: bool = False) -> bool:
        """Too much of the question is not in the evidence, the kind asked for is not named beside the answer,
        or (when siblings count) the answer stands beside another attribute of the same kind."""
        return self.attribute_missing > attribute_max or self.topic_missing > topic_max or bool(self.unsaid) or (
            siblings and self.sibling is not None)


def constraint_terms(archive: Archive, question: str) -> Terms:
    """The question's constraint words weighted by idf: content words by part of speech, without question
    and frame words, the publication's own name, and words most chunks of the archive contain."""
    tok = archive.tokenizer()
    frame = publication_frame(archive)
    conf = archive.settings.answer
    norm = normalize(question)
    for name in sorted((f for f in frame if len(f) >= 3), key=len, reverse=True):
        norm = norm.replace(normalize(name), " ")  # the paper's own name says where to look, not what about
    wh = [(m.start(), m.end()) for m in _WH.finditer(norm)]
    kinds: dict[str, float] = {}
    near: set[str] = set()
    pos = 0
    for word, flag in tok.tagged(norm, hmm=False):
        start = norm.find(word, pos)
        start, pos = (start, start + len(word)) if start >= 0 else (pos, pos + len(word))
        w = word.strip()
        if not w or w in STOPWORDS or w in QUESTION_FRAME or w in _FRAME or w in frame or _WH.search(w):
            continue
        if flag in _FUNCTION_FLAGS:
            continue
        if flag.startswith(_CONTENT_FLAGS) or (flag == "x" and len(w) >= 2) or (flag.startswith("m") and _DIGIT.search(w)):
            kinds.setdefault(w, conf.coverage_verb_weight if flag.startswith("v") and flag != "vn" else 1.0)
            if not flag.startswith("v") and any(0 <= start - b <= conf.coverage_attribute_span or 0 <= a - pos <= conf.coverage_attribute_span
                   for a, b in wh if not _between_clause(norm, min(a, start), max(b, pos))):
                near.add(w)
    if not kinds:
        return Terms({}, frozenset())
    df, n = keyword.document_frequencies(archive.conn, list(kinds))
    n = max(n, 1)
    common = max(conf.coverage_common_df * n, 2)  # "most chunks" means more than a couple, even in a tiny archive
    weights = {w: k * keyword.idf(df.get(w, 0), n) for w, k in kinds.items()
               if df.get(w, 0) <= common and not _YEAR.match(w)}
    verbs = {w for w, k in kinds.items() if k != 1.0}
    return Terms(weights, frozenset(near & set(weights)), frozenset(verbs & set(weights)))


_KIND_NOUNS = GENERIC_HEADS | {"结果", "方法", "类型", "种类", "形式", "手段", "途径"}
_WHICH = frozenset(["什么", "哪种", "哪一种", "何种", "啥"])


def kind_qualifier(words: list[tuple[str, str]]) -> str:
    """The word that says which kind a generic noun asks for, when the question asks for that noun (什么麻醉方式,
    病理结果是什么 → 麻醉, 病理): a noun or verb of two or more characters right before it; '' when none."""
    for i in range(1, len(words)):
        word, _ = words[i]
        before, flag = words[i - 1]
        after = [w for w, _ in words[i + 1: i + 3]]
        asked = (i >= 2 and words[i - 2][0] in _WHICH) or bool(after and (after[0] in _WHICH or after[0] in ("是", "为")
                                                                         and after[1:2] and after[1] in _WHICH))
        if (word in _KIND_NOUNS and asked and len(before) >= 2 and flag.startswith(("n", "v"))
                and before not in STOPWORDS and before not in QUESTION_FRAME and before not in _FRAME):
            return before
    return ""


def _between_clause(text: str, a: int, b: int) -> bool:
    return bool(re.search(r"[，,；;。？?]", text[a:b]))


def found(term: str, text: str) -> bool:
    """The term in the (normalized) text as printed, as a usual synonym, or abbreviated: its characters in
    order with at most two between each (腰穿 → 腰椎穿刺, 参训 → 参加培训)."""
    if term in text or any(s in text for s in synonyms(term)):
        return True
    return abbreviated(term, text)


def missing_share(weights: dict[str, float], text: str, verbs: frozenset[str] = frozenset()
                  ) -> tuple[float, tuple[str, ...]]:
    """The share of the weight not found in the text, and the words not found. A one-character verb among
    `verbs` (拿, 扎) counts when found but is never missing: it is said in too many ways."""
    total = sum(weights.values())
    missing = tuple(t for t in weights if not found(t, text) and not (len(t) == 1 and t in verbs))
    return (sum(weights[t] for t in missing) / total if total > 0 else 0.0), missing


def neighbourhoods(archive: Archive, citation: Citation) -> tuple[str, str]:
    """(the cited sentence with the sentences beside it, the whole article), each with the article's title
    and byline, normalized."""
    art = catalog.get_article(archive.conn, citation.source.article_id) if citation.source.article_id else None
    if art is None:
        return normalize(citation.quote), normalize(citation.quote)
    sentences = art.sentences()
    at = next((i for i, s in enumerate(sentences) if s == citation.quote), None)
    if at is None:
        at = next((i for i, s in enumerate(sentences) if citation.quote in s or s in citation.quote), 0)
    frame = f" {art.title} {art.subtitle} {art.department} {art.author}"
    return normalize("".join(sentences[max(0, at - 1): at + 2]) + frame), normalize("".join(sentences) + frame)


def sentence_after(archive: Archive, citation: Citation) -> str:
    """The sentence of the article after the cited one ('' when none)."""
    art = catalog.get_article(archive.conn, citation.source.article_id) if citation.source.article_id else None
    sentences = art.sentences() if art else []
    at = next((i for i, s in enumerate(sentences) if s == citation.quote), None)
    return sentences[at + 1] if at is not None and at + 1 < len(sentences) else ""


def paragraph_of(archive: Archive, citation: Citation) -> str:
    """The (normalized) paragraph of the article that holds the cited sentence ('' when not found)."""
    art = catalog.get_article(archive.conn, citation.source.article_id) if citation.source.article_id else None
    return next((normalize(p) for p in art.paragraphs if citation.quote in p), "") if art else ""


def answer_cover(archive: Archive, question: str, ans: Answer) -> Cover:
    """How well the first cited article covers the question's topic, and its sentence the attribute asked."""
    if ans.abstained or not ans.citations:
        return Cover(0.0, 0.0, ())
    # 《标题》中的…: the title names the cited article itself (a follow-up's), not a fact its clause must print
    question = question.replace(f"《{ans.citations[0].source.title}》", "") if ans.citations[0].source.title else question
    terms = constraint_terms(archive, question)
    local, article = neighbourhoods(archive, ans.citations[0])
    attr, attr_missing = missing_share(terms.asked(), local)
    topic, topic_missing = missing_share(terms.topic(), article, terms.verbs)
    clause = answer_clause(ans.citations[0].quote, ans.answer)
    paragraph = paragraph_of(archive, ans.citations[0])
    sibling = next((pair for t in terms.weights if t not in terms.verbs  # a verb is said in more ways
                    and (pair := sibling_of(t, clause, ans.answer, archive)) is not None), None)
    item = other_item(terms.topic(), terms.verbs, paragraph, normalize(ans.citations[0].quote),
                      normalize(ans.answer)) if ans.qtype == "number" and paragraph else None
    unit = other_unit(question, ans.citations[0].quote, archive.known("department"), archive.publications())
    kind = kind_qualifier(archive.tokenizer().tagged(normalize(question), hmm=False))
    unsaid = kind if kind and not found(kind, local) else ""
    quoted = quoted_elsewhere(archive, question, article)
    if quoted:  # “某某杯” asked, the answer's article is about another event the archive prints
        return Cover(attr, 1.0, quoted + attr_missing + topic_missing, (quoted[0], ans.citations[0].source.title),
                     elsewhere=True)
    if unsaid:
        return Cover(attr, topic, (unsaid,), None, unsaid)
    sibling = sibling or other_rank(question, clause) or other_rank(question, ans.citations[0].quote)
    if sibling is None and unit is not None:
        return Cover(attr, topic, attr_missing + topic_missing, unit, elsewhere=True)
    return Cover(attr, topic, attr_missing + topic_missing,
                 sibling or item or other_event(question, ans.citations[0].quote, ans.answer,
                                        sentence_after(archive, ans.citations[0]))
                 or _parallel(question, paragraph or article, clause, archive)
                 or other_session(question, article) or other_day(question, paragraph or article, article)
                 or other_year(question, paragraph or article, ans.citations[0].source.date)
                 or other_year_said(question, normalize(ans.citations[0].quote), ans.citations[0].source.date))


_RANK = re.compile(r"第\s*([0-9一二两三四五六七八九十]+)\s*[名个位]|(" + "|".join(PLACES) + ")")  # 第二个到: a place too


def other_rank(question: str, clause: str) -> tuple[str, str] | None:
    """The place in a ranking the question asks about (第五名, 亚军) when the answer's clause prints other places
    only (第一名 某科代表队): (asked, printed), else None."""
    def ranks(text: str) -> list[tuple[str, int | None]]:
        return [(m.group(0), PLACES[m.group(2)] if m.group(2) else chinese_int(m.group(1))) for m in _RANK.finditer(text)]

    asked, printed = ranks(question), ranks(clause)
    if asked and printed and not {n for _, n in asked} & {n for _, n in printed}:
        return asked[0][0], printed[0][0]
    return None


def other_unit(question: str, sentence: str, known: set[str], publications: frozenset[str]) -> tuple[str, str] | None:
    """The unit the question names (某外科) is not printed in the answer's sentence, which names another unit of
    the archive (另一外科) instead: the answer is that unit's fact, not the one asked."""
    asked = [d.text for d in departments(question, known, publications) if d.text in known]
    text = normalize(sentence)
    if not asked or any(found(normalize(a), text) for a in asked):
        return None
    other = [d.text for d in departments(sentence, known, publications)
             if d.text in known and not any(d.text in a or a in d.text for a in asked)]
    return (asked[0], other[0]) if other else None


_QUOTED = re.compile(r"[“「『\"]([^”」』\"]{2,24})[”」』\"]")  # not 《》: a title names an article, often the first hop


def quoted_elsewhere(archive: Archive, question: str, article: str) -> tuple[str, ...]:
    """The names the question quotes (“某某杯”) that the cited article (normalized) does not print but other
    articles of the archive do: the answer comes from another event or work than the one named. A quoted word
    the archive never prints (a colloquial “微创换膝”) says nothing."""
    if twohop.split(question):  # the quoted name may belong to the first hop
        return ()
    asking = next((c for c in re.split(r"[，,；;]", question) if _WH.search(c)), question)  # the clause that asks
    return tuple(n for n in quoted_names(asking) if normalize(n) not in article and _printed(archive, n))


def quoted_names(text: str) -> list[str]:
    """The names a text puts in quotation marks (“某某杯”), not 《titles》."""
    return [m.group(1) for m in _QUOTED.finditer(text)]


_PROBE = 20  # chunks the keyword index is asked for, to find where a name is printed


def _printed(archive: Archive, name: str) -> bool:
    """Does some chunk print the name? Read from the keyword index's best chunks for its words (an index
    lookup, not a scan of the archive)."""
    found = keyword.search(archive.conn, archive.tokenizer().tokens(name), _PROBE)
    rows = catalog.chunk_rows(archive.conn, [i for i, _ in found]).values()
    return any(name in text or name in art.title for text, art in rows)


_ORDINAL_EVENT = re.compile(r"第几(?:天|次|周|个月|小时)([\u4e00-\u9fff]{2,8})")
_EVENT_LEAD = re.compile(r"^(?:就|才|便|即|能够|能|可以|可|开始|已经|头一回|第一次|首次)+")
_EVENT_TAIL = re.compile(r"(?:了|的|呢|吗|啊)+$")
_ITEM_END = re.compile(r"[；;]")
_SENTENCE_END = re.compile(r"[。！？!?]")
_QUANTITY = re.compile(r"\d[\d.]*(?:万|亿)?(?:余|多)?(?![年月日时号])[\u4e00-\u9fff%]")


def other_item(topic: dict[str, float], verbs: frozenset[str], paragraph: str, quote: str, answer: str
               ) -> tuple[str, str] | None:
    """A tally of three or more items in one sentence, each with its own quantity (门诊12万人次，同比增长6%；出院
    6500人次；…): a word of the question's topic printed only in another item that has its own quantity, not in
    the answer's item: the answer is that other item's number (出院 asked, 6% printed for 门诊). All texts
    normalized; the quote is the cited part of the paragraph."""
    at = paragraph.find(quote) if quote and answer in quote else -1
    if at < 0 or not answer:
        return None
    at += quote.find(answer)
    lo = max((m.end() for m in _SENTENCE_END.finditer(paragraph, 0, at)), default=0)
    end = _SENTENCE_END.search(paragraph, at)
    sentence = paragraph[lo: end.start() if end else len(paragraph)]
    cuts = [0, *(m.end() for m in _ITEM_END.finditer(sentence)), len(sentence)]
    items = [(a, sentence[a:b]) for a, b in zip(cuts, cuts[1:], strict=False) if sentence[a:b].strip("；;")]
    if len(items) < 3:
        return None
    own = next(text for a, text in reversed(items) if a <= at - lo)
    for t in topic:
        if t in verbs or len(t) < 2 or found(t, own):
            continue
        other = next((text for _, text in items if text is not own and t in text and _QUANTITY.search(text)), None)
        if other is not None:
            return t, other.strip("；;")
    return None


def other_event(question: str, quote: str, answer: str, after_quote: str = "") -> tuple[str, str] | None:
    """第几天拆线 asked, 第5天…出院 printed: what the question says happened on the day (or time) it asks (its
    first four characters, as printed or abbreviated) is not printed between the answer and the end of its
    sentence (or, when the answer ends its sentence, in the sentence after it): the day of another event."""
    m = _ORDINAL_EVENT.search(question)
    at = quote.find(answer) if answer and m else -1
    if m is None or at < 0:
        return None
    event = _EVENT_TAIL.sub("", _EVENT_LEAD.sub("", m.group(1)))[:4]  # 就能拆线了 → 拆线
    end = _SENTENCE_END.search(quote, at)
    rest = quote[at + len(answer): end.start() if end else len(quote)]
    after = normalize(quote[at: end.start() if end else len(quote)] + (after_quote if not normalize(rest) else ""))
    if len(event) < 2 or found(normalize(event), after):
        return None
    return event, after


def answer_clause(sentence: str, answer: str, before: int = 0) -> str:
    """The clause of the sentence that prints the short answer, with the `before` clauses ahead of it (the
    sentence when it does not print the answer)."""
    at = sentence.find(answer) if answer else -1
    if at < 0:
        return sentence
    ends = [m.end() for m in CLAUSE_END.finditer(sentence, 0, at)]
    lo = ends[-1 - before] if len(ends) > before else 0
    hi = next((m.start() for m in CLAUSE_END.finditer(sentence, at + len(answer))), len(sentence))
    return sentence[lo:hi]


def _parallel(question: str, paragraph: str, clause: str, archive: Archive) -> tuple[str, str] | None:
    """A question word (女子团体) printed in another clause of the answer's paragraph, while the answer's clause prints in
    its place a word of its length that shares two or more of its first or last characters (混合团体, 二等奖):
    the paragraph lists items side by side and the answer belongs to another item than the one asked."""
    tok = archive.tokenizer()
    near = normalize(clause)
    rest = normalize(paragraph).replace(near, "|")
    clause_words = {w for w in tok.words(near) if _CJK.match(w)}
    for t in tok.words(normalize(question)):
        if len(t) < 3 or not _CJK.match(t) or t in near or t not in rest:
            continue
        for w in clause_words:
            if len(w) == len(t) and w != t and (w[:2] == t[:2] or w[-2:] == t[-2:]):
                return t, w
    return None


def sibling_of(term: str, clause: str, answer: str, archive: Archive) -> tuple[str, str] | None:
    """A word of the clause, not the answer, of the same length as the question's term and one character
    from it, where that character's word is of the same kind in 词林 but another thing (女子组 / 男子组,
    冠军 / 亚军, 双打 / 单打); the clause prints neither the term nor a synonym or abbreviation of it: the answer stands
    beside another attribute of the kind."""
    if not _CJK.match(term) or len(term) < 2 or found(term, normalize(clause)):
        return None
    pos, start = 0, clause.find(answer) if answer else -1
    for word in archive.tokenizer().words(clause):
        at, pos = pos, pos + len(word)
        in_answer = start >= 0 and at < start + len(answer) and start < pos
        if len(word) != len(term) or word == term or not _CJK.match(word) or in_answer:
            continue
        diff = [i for i, (x, y) in enumerate(zip(word, term, strict=True)) if x != y]
        if len(diff) == 2 and len(term) >= 4 and all(contrasting(term[i], word[i]) for i in diff):
            return term, word  # 男子双打 / 女子单打: each character that differs is of one kind with its pair
        if len(diff) != 1:
            continue
        lo = min(diff[0], len(term) - 2)
        # the two-character words around the difference (冠军 / 亚军), or else the characters themselves, of
        # one kind in 词林 (双人赛 / 单人赛: 双 / 单, where neither word is in 词林)
        if contrasting(term[lo: lo + 2], word[lo: lo + 2]) or contrasting(term[diff[0]], word[diff[0]]):
            return term, word
    return None
