"""Candidate short answers inside an evidence sentence, generated generally: jieba's parts of speech (single
words and runs of content words), quoted titles, the archive's departments and people, numbers, dates and
durations, enumerations, interpunct-joined names, clauses, and stretches anchored on the question's words.
rag/qa/spans.py ranks them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..vocab import QUANTITY_UNITS, find_dates
from .candidates import departments, enumerations, numbers, persons

# jieba's tags of words that can stand in an answer (nouns, names, numerals, times, foreign words, idioms)
_CONTENT_FLAGS = ("n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "ng", "m", "mq", "q", "t", "tg", "eng", "vn", "j",
                  "l", "i", "a", "an", "b", "s", "f", "x")
_SINGLE_FLAGS = {"nr": "nr", "nrt": "nr", "nrfg": "nr", "ns": "ns", "nt": "nt", "nz": "nz", "n": "n", "vn": "n",
                 "m": "m", "mq": "m", "t": "t", "eng": "eng", "j": "nz", "l": "nz", "i": "nz"}
PUNCT = re.compile(r"[\s，,。；;：:！？!?、（）()“”《》「」\"'·—…]")
_CLAUSE = re.compile(r"[^，,。；;：:！？!?]+")
_QUOTED = re.compile(r"《([^》]{1,40})》|“([^”]{1,40})”|「([^」]{1,40})」|\"([^\"]{1,40})\"")
_OPENERS = re.compile(r"是|为|于|在|由|称|叫|以|包括|即")
_CN_QUANTITY = re.compile(r"第?[零〇一二三四五六七八九十百千万两半]+(?:" + "|".join(QUANTITY_UNITS) + ")")
_DOTTED = re.compile(r"(?:[\u4e00-\u9fffA-Za-z]+·)+[\u4e00-\u9fffA-Za-z]+")
_MAX_RUN = 6  # words in a multi-word candidate
_MAX_CHARS = 40
_MAX_LONG = 120  # a clause or sentence answers why and how questions
_LONG_KINDS = frozenset({"sentence", "clause", "tail", "head", "after_q", "after_q_tail", "before_q", "between_q"})


@dataclass(frozen=True)
class Candidate:
    """A candidate answer: its text, where it starts in the sentence, and the kinds that proposed it."""

    text: str
    start: int
    kinds: frozenset[str]

    @property
    def end(self) -> int:
        """Where it ends in the sentence."""
        return self.start + len(self.text)


def generate(sentence: str, tags: list[tuple[str, str]], known_units: Iterable[str] = (),
             known_people: Iterable[str] = (), qwords: Iterable[str] = ()) -> list[Candidate]:
    """Every candidate of the sentence, each once with all the kinds that proposed it."""
    found: dict[tuple[int, str], set[str]] = {}

    def add(text: str, start: int, kind: str) -> None:
        stripped = text.strip(" “”《》「」\"'，,。；;：:、！？!?")
        limit = _MAX_LONG if kind in _LONG_KINDS else _MAX_CHARS
        if not stripped or len(stripped) > limit or start < 0:
            return
        start += text.find(stripped)
        found.setdefault((start, stripped), set()).add(kind)

    _from_tags(tags, add)
    for m in _QUOTED.finditer(sentence):
        add(m.group(0), m.start(), "quoted")
    for d in find_dates(sentence):
        add(d.text, d.start, "date")
    for n in numbers(sentence):
        add(n.text, n.start, "number")
    for m in _CN_QUANTITY.finditer(sentence):
        add(m.group(0), m.start(), "number")
    for u in departments(sentence, set(known_units)):
        add(u.text, u.start, "unit")
    people = set(known_people)
    names = [(w, p) for w, p in _positions(tags) if w in people]
    for p in persons(sentence, people, names):
        add(p.text, p.start, "person")
    for e in enumerations(sentence):
        add(e.text, sentence.find(e.text.split("、")[0]), "enum")
    _from_clauses(sentence, add)
    _from_anchors(sentence, [w for w in qwords if w], add)
    _from_dotted(sentence, tags, add)
    return [Candidate(t, s, frozenset(k)) for (s, t), k in sorted(found.items())]


def _from_clauses(sentence: str, add: Callable[[str, int, str], None]) -> None:
    """Each clause, the sentence, and the runs of clauses that open or close it."""
    clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(sentence)]
    add(sentence, 0, "sentence")
    for a, b in clauses:
        add(sentence[a:b], a, "clause")
        add(sentence[a:], a, "tail")
        add(sentence[:b], 0, "head")


def _from_anchors(sentence: str, qwords: list[str], add: Callable[[str, int, str], None]) -> None:
    """Stretches of a clause that open after a question word or a copula or preposition (铁锈的成因是 →
    …) and close at the clause's end, before a 的, or before another question word; and what precedes a
    question word from its clause's start (… 的王位继承人)."""
    breaks = [m.start() for m in re.finditer(r"[，,。；;：:！？!?]", sentence)] + [len(sentence)]
    opens, closes = [m.end() for m in _OPENERS.finditer(sentence)], [m.start() for m in re.finditer("的", sentence)]
    for w in qwords:
        for m in re.finditer(re.escape(w), sentence):
            opens.append(m.end())
            closes.append(m.start())
            lo = max((x + 1 for x in breaks if x < m.start()), default=0)
            add(sentence[lo: m.start()], lo, "before_q")
    for e in set(opens):
        hi = min(b for b in breaks if b >= e)
        add(sentence[e:hi], e, "after_q")
        add(sentence[e:], e, "after_q_tail")
        for b in set(closes):
            if e < b <= hi:
                add(sentence[e:b], e, "between_q")


def _from_dotted(sentence: str, tags: list[tuple[str, str]], add: Callable[[str, int, str], None]) -> None:
    """Names whose parts an interpunct joins (a transliterated 名·姓, 某某·某某大学): the segmenter cuts them
    anywhere, so every join of the last one or two words before the first dot with the first one to three
    words after the last dot is a candidate."""
    bounds = {0, *(p + len(w) for w, p in _positions(tags))}
    for m in _DOTTED.finditer(sentence):
        first, last = m.group(0).find("·") + m.start(), m.group(0).rfind("·") + m.start()
        starts = sorted((b for b in bounds if m.start() <= b < first), reverse=True)[:2]
        ends = sorted(b for b in bounds if last + 1 < b <= m.end())[:3]
        for a in starts:
            for b in ends:
                add(sentence[a:b], a, "dotted")


def _positions(tags: list[tuple[str, str]]) -> list[tuple[str, int]]:
    out, pos = [], 0
    for w, _ in tags:
        out.append((w, pos))
        pos += len(w)
    return out


def _from_tags(tags: list[tuple[str, str]], add: Callable[[str, int, str], None]) -> None:
    """Single tagged words (a name, a place, a numeral…) and runs of up to _MAX_RUN content words."""
    pos, starts = 0, []
    for w, _ in tags:
        starts.append(pos)
        pos += len(w)
    for i, (w, flag) in enumerate(tags):
        kind = _SINGLE_FLAGS.get(flag)
        if kind and (len(w) >= 2 or kind in ("m", "eng", "nr", "ns")):
            add(w, starts[i], kind)
        if not flag.startswith(_CONTENT_FLAGS) or PUNCT.fullmatch(w):
            continue
        text = w
        for j in range(i + 1, min(len(tags), i + _MAX_RUN)):
            nw, nflag = tags[j]
            if PUNCT.fullmatch(nw) or not (nflag.startswith(_CONTENT_FLAGS) or nw == "的" and j + 1 < len(tags)):
                break
            text += nw
            if nw != "的":
                add(text, starts[i], "run")
