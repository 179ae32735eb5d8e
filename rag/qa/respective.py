"""Questions that ask one thing of several items at once (甲和乙分别是哪天, 第一期和第二期各有多少名学员, 截至一月底、
二月底和三月底累计分别做了多少台): each item is asked on its own, as the question with the other items taken out,
and the answers are joined in the question's order, each with its citation.

The items are the parts of the enumeration (、 and a conjunction) in the clause before 分别/各 or in that
clause itself. Parts are read as parallel (第三届 / 第四届职工运动会, 篮球 / 网球比赛): a word the last part
prints after what parallels the first part belongs to every part (职工运动会), and a word the first part prints
before what parallels a later part belongs to every part too (某科首例甲 / 首例乙: 某科). Two words are
parallel when they are one word or share their first or last character (第三届 / 第四届, 普外科 / 胸外科)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..models import Answer
from ..text import Tokenizer

# 分别 / 各自, or 各 as an adverb before the verb (各有, 各设了, 各拿了), not 各种 / 各科 / 各位
_MARKER = re.compile(r"分别|各自|各(?=[有设是为获拿得占做办在开讲用花带收接派送])")
_LIST_MARK = "、"
_CONJUNCTIONS = frozenset(["和", "与", "及", "以及", "跟", "同"])
_CLAUSE = re.compile(r"[，,；;：:]")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_WH = re.compile(r"谁|哪|何|多少|几|什么|啥")
_MAX_PARTS = 6
_LIMITS = frozenset(["截至", "截止", "截止到", "直到"])  # a time limit, read as a preposition


@dataclass(frozen=True)
class Parts:
    """A question split into one question per item: the items as printed, and the questions."""

    items: tuple[str, ...]
    questions: tuple[str, ...]


def parallel(a: str, b: str) -> bool:
    """One word, or two that share their first or last character (第三届 / 第四届, 篮球 / 网球)."""
    return a == b or (bool(a) and bool(b) and (a[0] == b[0] or a[-1] == b[-1]))


def _split_words(words: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The parts of an enumeration (tagged words): split at 、, and the last of them also at a conjunction
    (甲、乙和丙); without 、 at the conjunction."""
    parts: list[list[tuple[str, str]]] = [[]]
    for w in words:
        if w[0] == _LIST_MARK:
            parts.append([])
        else:
            parts[-1].append(w)
    last = parts.pop()
    cut = [i for i, (w, _) in enumerate(last) if w in _CONJUNCTIONS]
    if cut:
        parts += [last[: cut[0]], last[cut[0] + 1:]]
    else:
        parts.append(last)
    return parts


def _cuts(part: list[tuple[str, str]]) -> set[int]:
    """The character offsets at which the part may be cut: where its words begin or end, and inside a Chinese
    word of four or more characters (网球|比赛 of 网球比赛), never inside a number."""
    out, at = {0}, 0
    for w, _ in part:
        if len(w) >= 4 and _CJK.match(w):
            out.update(range(at + 2, at + len(w) - 1))
        at += len(w)
        out.add(at)
    return out


def _lead(first: list[tuple[str, str]], later: str) -> int:
    """How many characters at the start of the first part belong to every part: through its last preposition
    (某人在 | 甲会上, 截至 | 一月底), else those before the characters that parallel a later part (某科 | 首例甲
    against 首例乙); taken only at a word's end."""
    text, at, lead = "".join(w for w, _ in first), 0, 0
    for w, flag in first[:-1]:
        at += len(w)
        if flag == "p" or w in _LIMITS:
            lead = at
    cut = len(text) - len(later)
    if cut > lead and cut in _cuts(first) and parallel(text[cut:], later):
        lead = cut
    return lead


def _trail(reference: str, last: list[tuple[str, str]]) -> int:
    """How many characters at the end of the last part belong to every part: those after the characters that
    parallel a whole earlier part (第四届 | 职工运动会 against 第三届); taken only at a word's start."""
    text, k = "".join(w for w, _ in last), len(reference)
    if len(text) <= k or k not in _cuts(last) or not parallel(reference, text[:k]):
        return 0
    return len(text) - k


def split(question: str, tokenizer: Tokenizer) -> Parts | None:
    """The question asked of each item of its enumeration, or None when it asks of one item (no 分别/各 after an
    enumeration of two or more parts, a part that asks itself: 哪两个研究，分别…, or too many parts)."""
    m = _MARKER.search(question)
    if m is None:
        return None
    head, tail = question[: m.start()], question[m.end():]
    clauses = _CLAUSE.split(head)
    # the enumeration: in the marker's own clause, else in the clause before it
    for at in (len(clauses) - 1, len(clauses) - 2):
        if at < 0:
            return None
        clause = clauses[at]
        words = tokenizer.tagged(clause, hmm=False)
        if any(w == _LIST_MARK or w in _CONJUNCTIONS for w, _ in words):
            break
    else:
        return None
    parts = _split_words(words)
    if not 2 <= len(parts) <= _MAX_PARTS or any(not p for p in parts) or _WH.search(clause):
        return None
    texts = ["".join(w for w, _ in p) for p in parts]
    lead = _lead(parts[0], texts[1])
    shared_start, texts[0] = texts[0][:lead], texts[0][lead:]
    trail = _trail(texts[1] if len(texts) > 2 else texts[0], parts[-1])
    shared_end = texts[-1][len(texts[-1]) - trail:] if trail else ""
    texts[-1] = texts[-1][: len(texts[-1]) - trail]
    if not all(texts):
        return None
    start = head.rfind(clause)
    before, after = head[:start], head[start + len(clause):]
    questions = tuple(before + shared_start + t + shared_end + after + tail for t in texts)
    return Parts(tuple(texts), questions)


def answer(question: str, parts: Parts, ask: Callable[[str], Answer]) -> Answer | None:
    """Each item's question asked with `ask`, the answers joined in order (甲、乙), each item's citation first.
    None when an item finds no answer, or two items find one answer in one sentence (the items were not told
    apart): the question is then asked as it stands."""
    answers = [ask(q) for q in parts.questions]
    if any(a.abstained or not a.citations for a in answers):
        return None
    seen = {(a.answer, a.citations[0].quote) for a in answers}
    if len(seen) < len(answers):
        return None
    citations = tuple(a.citations[0] for a in answers) + tuple(c for a in answers for c in a.citations[1:])
    evidence = tuple(a.evidence[0] for a in answers if a.evidence)
    note = "分项回答：" + "；".join(f"{i}：{a.answer}" for i, a in zip(parts.items, answers, strict=True)) + \
        " / answered item by item"
    return replace(answers[0], question=question, answer="、".join(a.answer for a in answers), citations=citations,
                   evidence=evidence, confidence=min(a.confidence for a in answers), note=note)
