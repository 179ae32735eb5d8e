"""Correct OCR misreadings from the archive's own dictionary: 普安县医院 → 晋安县医院 when 晋安县医院 is a known word.

Only where the recogniser was unsure. With per-character confidences (RapidOCR gives them) the character
changed must itself be a low-confidence one; with only a line confidence, the whole line must be low. A
token is corrected to a known word one edit away (a changed, missing or extra character), and only when
exactly one known word fits, so that 张晋刚 is never "corrected" to a colleague's name one stroke away.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

LOW_LINE_CONF = 0.97  # a line's mean confidence below this lets any of its characters be corrected
LOW_CHAR_CONF = 0.9  # a character's own confidence below this lets it be corrected
MIN_WORD = 3  # shorter known words (two-character names) are one edit away from too much ordinary text
MIN_WORD_INDEL = 4  # a missing or extra character is only trusted in a longer word
_CJK = re.compile(r"[\u4e00-\u9fff]")
_HOLE = "\x00"


@dataclass(frozen=True)
class _Index:
    words: frozenset[str]
    subs: dict[str, frozenset[str]] = field(default_factory=dict)  # word with one character as _HOLE
    dels: dict[str, frozenset[str]] = field(default_factory=dict)  # word with one character dropped
    lengths: tuple[int, ...] = ()


def _index(known: Mapping[str, str]) -> _Index:
    words = frozenset(w for w in known if len(w) >= MIN_WORD and _CJK.search(w))
    subs: dict[str, set[str]] = {}
    dels: dict[str, set[str]] = {}
    for w in words:
        for i in range(len(w)):
            subs.setdefault(w[:i] + _HOLE + w[i + 1:], set()).add(w)
            if len(w) >= MIN_WORD_INDEL:
                dels.setdefault(w[:i] + w[i + 1:], set()).add(w)
    lengths = sorted({len(w) + d for w in words for d in (1, 0, -1)}, reverse=True)
    return _Index(words, {k: frozenset(v) for k, v in subs.items()}, {k: frozenset(v) for k, v in dels.items()},
                  tuple(n for n in lengths if n >= MIN_WORD))


def correct(text: str, known: Mapping[str, str], confidence: float | Sequence[float]) -> str:
    """Replace tokens one edit away from a known word where OCR was unsure; known maps word → kind.

    confidence is the line's mean confidence, or one confidence per character of text.
    """
    if isinstance(confidence, int | float):
        low = [confidence < LOW_LINE_CONF] * len(text)
    else:
        if len(confidence) != len(text):
            raise ValueError(f"confidence has {len(confidence)} values for {len(text)} characters")
        low = [c < LOW_CHAR_CONF for c in confidence]
    if not known or not any(low):
        return text
    index = _index(known)
    out: list[str] = []
    i = 0
    while i < len(text):
        hit = _match_at(text, i, index, low)
        if hit is None:
            out.append(text[i])
            i += 1
        else:
            out.append(hit[1])
            i += hit[0]
    return "".join(out)


def _match_at(text: str, i: int, index: _Index, low: list[bool]) -> tuple[int, str] | None:
    """(characters consumed, replacement) for the longest known word that fits at i, if exactly one."""
    for n in index.lengths:
        if text[i: i + n] in index.words:
            return n, text[i: i + n]  # already a known word: keep it, and do not correct inside it
    for n in index.lengths:
        if i + n > len(text):
            continue
        found = _candidates(text[i: i + n], i, index, low)
        if len(found) == 1:
            return n, found.pop()
        if len(found) > 1:
            return None  # two known words fit equally well: leave the text as read
    return None


def _candidates(s: str, i: int, index: _Index, low: list[bool]) -> set[str]:
    """Known words one unsure edit away from s (s starts at text position i)."""
    found: set[str] = set()
    for j, ch in enumerate(s):
        if not low[i + j] or not _CJK.match(ch):
            continue
        found |= index.subs.get(s[:j] + _HOLE + s[j + 1:], frozenset())  # a character misread
        extra = s[:j] + s[j + 1:]  # one character too many, inside the word (at its ends it is just the next word)
        if 0 < j < len(s) - 1 and len(extra) >= MIN_WORD_INDEL and extra in index.words:
            found.add(extra)
    # one character missed: the unsure character next to the gap stands for the edit
    if any(low[i: i + len(s)]):
        found |= {w for w in index.dels.get(s, frozenset()) if _gap_is_unsure(w, s, i, low)}
    return {w for w in found if w != s}


def _gap_is_unsure(word: str, s: str, i: int, low: list[bool]) -> bool:
    """Where word lost a character to become s, is a neighbouring character of s unsure?"""
    for k in range(1, len(word) - 1):  # inside the word: a lost first or last character is not told from text
        if word[:k] + word[k + 1:] == s:
            near = [p for p in (k - 1, k) if 0 <= p < len(s)]
            if any(low[i + p] for p in near):
                return True
    return False
