"""Candidate short answers inside evidence sentences (rag/qa/spangen.py generates them) ranked by a listwise
linear model whose weights eval/fit_spans.py fits on held-apart data (span_weights.json).
At run time the model is a dot product over a dict: no numerical library is imported."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..text import STOPWORDS
from ..vocab import OFFICES, TITLE_KINDS, Span
from .candidates import departments
from .spangen import PUNCT, Candidate

WEIGHTS_FILE = Path(__file__).with_name("span_weights.json")

# A general table of Chinese interrogatives, most specific first: the kind of answer each asks for.
WH_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("why", re.compile(r"为什么|为何|为啥|何故|什么原因|原因是")),
    ("how", re.compile(r"怎么样|怎样|怎么|如何|什么方式|什么方法")),
    ("who", re.compile(r"谁|哪位|哪一位|什么人|何人")),
    ("when", re.compile(r"何时|什么时候|什么时间|哪一?年|哪一?天|哪个月|几月|几日|几号|何年|哪个朝代|什么年代|哪个时期")),
    ("where", re.compile(r"哪里|哪儿|何处|何地|在哪|什么地方|哪个?国家?|哪座城市|哪个城市|哪个地区|哪个省")),
    ("howmany", re.compile(r"多少|几|多长|多久|多大|多高|多远|多重|多宽|多深|第几")),
    ("list", re.compile(r"哪些|哪几|有什么")),
    ("which", re.compile(r"哪[个一种家所部项支座本首条类位]|哪")),
    ("what", re.compile(r"什么|何|啥")),
)
_GLUE = "由是为有共约达了的在于被将把和及与、：:"  # function words between a frame word and its answer
_DIGIT = re.compile(r"[0-9零一二三四五六七八九十百千万]")
_BREAK = re.compile(r"[，,。；;：:！？!?]")
_ALIGN = 6  # characters of question frame compared
POOL_SENTENCES = 3  # the best evidence sentences whose candidates compete


@dataclass(frozen=True)
class QuestionFrame:
    """What the ranker reads from a question once: its interrogative class, the answer type the rules
    gave it, its content words, and its text either side of the interrogative."""

    text: str
    wh: str
    qtype: str
    words: tuple[str, ...]
    before: str
    after: str
    chars: frozenset[str] = field(default_factory=frozenset)
    word_before: str = ""  # the content word nearest before the interrogative (一等奖 in 一等奖由谁获得)
    word_after: str = ""  # … nearest after it (获得)


def read_question(question: str, words: Iterable[str], qtype: str) -> QuestionFrame:
    """The question's interrogative class and frame (the words right before and after the interrogative)."""
    wh, start, end = "none", len(question), len(question)
    for name, pat in WH_CLASSES:
        m = pat.search(question)
        if m:
            wh, start, end = name, m.start(), m.end()
            break
    content = tuple(dict.fromkeys(w for w in words if _is_content(w) and not any(p.search(w) for _, p in WH_CLASSES)))
    before = PUNCT.sub("", question[:start])[-_ALIGN:]
    after = PUNCT.sub("", question[end:])[:_ALIGN]
    near_before = [w for w in content if 0 <= question.rfind(w, 0, start) and question.rfind(w, 0, start) + len(w) <= start]
    near_after = [w for w in content if question.find(w, end) >= end]
    word_before = max(near_before, key=lambda w: question.rfind(w, 0, start) + len(w), default="")
    word_after = min(near_after, key=lambda w: question.find(w, end), default="")
    return QuestionFrame(question, wh, qtype, content, before, after, frozenset(PUNCT.sub("", question)),
                         word_before, word_after)


def _is_content(word: str) -> bool:
    return bool(word.strip()) and not PUNCT.fullmatch(word) and word not in STOPWORDS and word not in "的了是在有和与"


def features(q: QuestionFrame, sentence: str, c: Candidate, sent_cov: float, best_cov: float) -> dict[str, float]:
    """General features of a candidate: its kinds (crossed with the question's interrogative and type), its
    length, how much of it the question already says, how near it stands to the question's words in its
    clause, how much of that clause the question covers, and whether the question's frame around the
    interrogative matches the sentence around the candidate."""
    f: dict[str, float] = {"bias": 1.0}
    for k in c.kinds:
        f[f"k:{k}"] = 1.0
        f[f"wh:{q.wh}|k:{k}"] = 1.0
        f[f"qt:{q.qtype}|k:{k}"] = 1.0
    f[f"wh:{q.wh}|len:{_bucket(len(c.text))}"] = 1.0
    f[f"wh:{q.wh}|digit:{int(bool(_DIGIT.search(c.text)))}"] = 1.0
    chars = [ch for ch in c.text if not PUNCT.match(ch)]
    f["in_question"] = sum(ch in q.chars for ch in chars) / max(1, len(chars))
    f["whole_in_question"] = float(c.text in q.text)
    lo, hi = _clause_bounds(sentence, c)
    clause = sentence[lo:hi]
    rest = clause[: c.start - lo] + clause[c.end - lo:]
    words = q.words or ("",)
    f["clause_cov"] = sum(w in rest for w in words) / len(words)
    f["clause_share"] = len(c.text) / max(1, hi - lo)
    f["sent_cov"] = sent_cov
    f["sent_gap"] = best_cov - sent_cov
    occurrences = _occurrences(sentence, q.words)
    f["near"] = _nearness(occurrences, c, 0, len(sentence))
    f["near_clause"] = _nearness(occurrences, c, lo, hi)
    left = _common_suffix(q.before, PUNCT.sub("", sentence[max(0, c.start - 30): c.start])[-_ALIGN:])
    right = _common_prefix(q.after, PUNCT.sub("", sentence[c.end: c.end + 30])[:_ALIGN])
    f["left_align"] = left / _ALIGN
    f["right_align"] = right / _ALIGN
    f[f"wh:{q.wh}|align:{min(left, 2)}{min(right, 2)}"] = 1.0
    f["word_before"], f["word_after"] = _frame_words(q, sentence, c.start, c.end)
    # the noun or classifier right after the interrogative ends the answer: 几幅 → 两幅, 什么癌 → 肺癌, 哪年 → 2009年
    f[f"wh:{q.wh}|head1"] = float(bool(q.after) and c.text.endswith(q.after[:1]))
    f[f"wh:{q.wh}|head2"] = float(len(q.after) > 1 and c.text.endswith(q.after[:2]))
    for k in c.kinds:  # the frame matters more for some kinds (a name right after 由) than others
        f[f"k:{k}|frame:{int(f['word_before'])}{int(f['word_after'])}"] = 1.0
        f[f"k:{k}|near"] = f["near_clause"]
    f[f"prev:{sentence[c.start - 1] if c.start else '^'}"] = 1.0
    f[f"next:{sentence[c.end] if c.end < len(sentence) else '$'}"] = 1.0
    f["ends_clause"] = float(c.end == hi)
    f["starts_clause"] = float(c.start == lo)
    return f


def _frame_words(q: QuestionFrame, sentence: str, start: int, end: int) -> tuple[float, float]:
    """Does the sentence print, right before the candidate (past a function word or two: 由, 是, 有…), the
    question's word right before its interrogative, and likewise after? 一等奖由谁获得 → 一等奖由|钟予安|获得,
    not 二等奖由|林知远; 一等奖有几名 → 一等奖|2名, not 二等奖|5名."""
    left, right = sentence[:start], sentence[end:]
    for _ in range(2):
        left = left[:-1] if left and left[-1] in _GLUE else left
        right = right[1:] if right and right[0] in _GLUE else right
    return (float(bool(q.word_before) and left.endswith(q.word_before)),
            float(bool(q.word_after) and right.startswith(q.word_after)))


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2" if n == 2 else "3-4" if n <= 4 else "5-8" if n <= 8 else "9-16" if n <= 16 else "17+"


@lru_cache(maxsize=256)
def _breaks(sentence: str) -> tuple[int, ...]:
    return tuple(m.start() for m in _BREAK.finditer(sentence))


@lru_cache(maxsize=256)
def _occurrences(sentence: str, words: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for w in words for m in re.finditer(re.escape(w), sentence))


def _clause_bounds(sentence: str, c: Candidate) -> tuple[int, int]:
    breaks = _breaks(sentence)
    lo = max((b + 1 for b in breaks if b < c.start), default=0)
    hi = min((b for b in breaks if b >= c.end), default=len(sentence))
    return lo, max(hi, c.end)


def _nearness(occurrences: tuple[tuple[int, int], ...], c: Candidate, lo: int, hi: int) -> float:
    """1 / (1 + characters between the candidate and the nearest question word outside it, within lo..hi)."""
    best = math.inf
    for start, end in occurrences:
        if start < lo or end > hi:
            continue
        if start >= c.end:
            best = min(best, start - c.end)
        elif end <= c.start:
            best = min(best, c.start - end)
    return 0.0 if best == math.inf else 1.0 / (1.0 + best)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def sentence_coverage(q: QuestionFrame, sentence: str) -> float:
    """Share of the question's content words the sentence prints."""
    return sum(w in sentence for w in q.words) / len(q.words) if q.words else 0.0


def score(weights: dict[str, float], feats: dict[str, float]) -> float:
    """The model's score of the candidate; a softmax over a question's candidates makes them probabilities."""
    return sum(weights.get(k, 0.0) * v for k, v in feats.items())


@lru_cache(maxsize=4)
def load_weights(path: Path = WEIGHTS_FILE) -> dict[str, float]:
    """The fitted weights (eval/fit_spans.py writes them); none when the file is absent."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in data["weights"].items()}


@dataclass(frozen=True)
class SpanMode:
    """Where the ranked span answers a question type: always ('replace') or when the typed rules find nothing
    ('fallback'), and only when the ranker gives its best candidate at least min_prob of the probability over
    all the pool's candidates (else the rules' answer or clause stands)."""

    when: str
    min_prob: float = 0.0


def span_modes(setting: str, path: Path = WEIGHTS_FILE) -> dict[str, SpanMode]:
    """Per question type, where the ranked span gives the short answer ('open=fallback@0.5'); 'fitted' reads
    what eval/fit_spans.py chose on dev, 'none' turns it off. The number after @ is a probability floor."""
    if setting == "none" or not load_weights(path):
        return {}
    if setting == "fitted":
        chosen = json.loads(path.read_text(encoding="utf-8")).get("ranked_types") or {}
        pairs = [(str(k), str(v)) for k, v in dict(chosen).items()]
    else:
        pairs = [(k, v) for k, v in (item.split("=", 1) for item in setting.split(",") if "=" in item)]
    out = {}
    for qtype, value in pairs:
        when, _, floor = value.partition("@")
        if when != "off":
            out[qtype] = SpanMode(when, float(floor) if floor else 0.0)
    return out


@dataclass(frozen=True)
class Ranked:
    """The best candidate of a pool of sentences: its text, the sentence's place in the pool, its score, and
    its probability under a softmax over every candidate of the pool."""

    text: str
    sentence: int
    score: float
    prob: float = 1.0


def best_span(q: QuestionFrame, pool: list[tuple[str, list[Candidate]]], weights: dict[str, float]) -> Ranked | None:
    """The highest-scoring candidate over the pool's sentences (never one the question prints whole), with
    its share of the softmax over all of them."""
    covs = [sentence_coverage(q, s) for s, _ in pool]
    best_cov = max(covs, default=0.0)
    top: Ranked | None = None
    scores = []
    for i, ((sentence, cands), cov) in enumerate(zip(pool, covs, strict=True)):
        for c in cands:
            if c.text in q.text:
                continue
            sc = score(weights, features(q, sentence, c, cov, best_cov))
            scores.append(sc)
            if top is None or sc > top.score:
                top = Ranked(c.text, i, sc)
    if top is None:
        return None
    return Ranked(top.text, top.sentence, top.score, 1.0 / sum(math.exp(sc - top.score) for sc in scores))


def offices(head: str, sentence: str, question: str, units: set[str], publications: frozenset[str]) -> list[Span]:
    """The titles of the kind asked (什么职称: 主管药师). An office (什么职务: 党委书记、院长) comes with the unit printed
    right before it (某科主任), and only when printed right before a name the question asks about (某科主任某某)."""
    out = []
    office = head in OFFICES
    before = departments(sentence, units, publications) if office else []
    for m in TITLE_KINDS[head].finditer(sentence):
        after = sentence[m.end(): m.end() + 2]
        if office and not (re.fullmatch(r"[\u4e00-\u9fff]{2}", after) and after in question):
            continue
        unit = next((u for u in before if u.start + len(u.text) == m.start()), None)
        out.append(Span(sentence[unit.start: m.end()], unit.start) if unit else Span(m.group(0), m.start()))
    return out
