"""Lists printed one item to a sentence or paragraph after a lead-in: 分为三类：/ 一是甲。…/ 二是乙。…, or
给出5条建议：/ 1. 甲。…/ 2. 乙。… The lead-in names the list; the items are the heads of the sentences
that open with the next ordinal."""

from __future__ import annotations

import re

from ..text import chinese_int

# A sentence that announces a list: it ends with a colon, or with 如下 / 以下几点.
_LEAD_IN = re.compile(r"[：:]\s*$|(?:如下|以下|下列)[^，,。]{0,6}[：:。]?\s*$")
_ORDINAL = "一二三四五六七八九十"
_MARKER = re.compile(rf"\s*(?:(?:其|第)?([{_ORDINAL}])(?:是|、|，|,|：|:|要)|[（(]([{_ORDINAL}\d]{{1,2}})[)）]"
                     r"|(\d{1,2})\s*[.．、)）]|([①②③④⑤⑥⑦⑧⑨⑩]))")
_HEAD_END = re.compile(r"[。，,；;：:！？!?]")
MAX_GAP = 8  # sentences of an item's own explanation between two ordinals


def is_lead_in(sentence: str) -> bool:
    """Does the sentence announce a list that the next sentences print (…有三类：, …如下。), or open one after
    its colon (两方面工作：一是…)?"""
    if _LEAD_IN.search(sentence):
        return True
    colon = re.search(r"[：:]", sentence)
    return colon is not None and (n := _numbered(sentence[colon.end():])) is not None and n[0] == 1


def _numbered(sentence: str) -> tuple[int, str] | None:
    """The ordinal a sentence opens with and the rest of it: 二是乙病。→ (2, 乙病。)."""
    m = _MARKER.match(sentence)
    if not m:
        return None
    raw = next(g for g in m.groups() if g)
    number = "①②③④⑤⑥⑦⑧⑨⑩".find(raw) + 1 if raw in "①②③④⑤⑥⑦⑧⑨⑩" else (
        int(raw) if raw.isdigit() else chinese_int(raw))
    return (number, sentence[m.end():]) if number else None


def items_after(sentences: list[str], at: int, count: int | None = None) -> list[str]:
    """The items of the list the sentence at `at` leads in to: the heads (up to the first punctuation) of the
    following sentences that open with 一是 / 二是 … or 1. / 2. …, in order, skipping each item's own
    explanation; a first item printed after the lead-in's colon counts. [] when there are fewer than two, or
    not as many as the count asked."""
    lead = sentences[at]
    tail = re.split(r"[：:]", lead)[-1] if re.search(r"[：:]", lead) else ""
    candidates = ([tail] if tail.strip() else []) + sentences[at + 1:]
    out: list[str] = []
    gap = 0
    for sent in candidates:
        numbered = _numbered(sent)
        if numbered is not None and numbered[0] == len(out) + 1:
            head = _HEAD_END.split(numbered[1].strip(), maxsplit=1)[0].strip()
            if head:
                out.append(head)
            gap = 0
            continue
        gap += 1
        if out and (_LEAD_IN.search(sent) or gap > MAX_GAP) or not out:
            break
    return out if len(out) >= 2 and (count is None or len(out) == count) else []
