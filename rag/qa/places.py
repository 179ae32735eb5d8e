"""Places as printed in a sentence: where something happened (在/于/走进 + a run of words naming a place +
a verb) and the place names jieba tags, for 在哪里 / 什么地方 / 在哪个会议室 questions; and organisations' names
(a run of nouns ending in 大学 / 协会 / 救助中心…), for 哪家单位 / 哪所大学 questions."""

from __future__ import annotations

import re

from ..vocab import ORGANISATION_SUFFIXES, Span, find_dates, is_place_word

_PLACE_LEADS = frozenset("在 于 赴 到 至 来到 走进 前往 深入 位于 坐落于 地处 设在 建在 生于 出生于 产于".split())
_PLACE_LABEL = re.compile(r"(?:地点|地址|场地)(?:为|是|在|设在|：|:)\s*([^，,。；;：:！？!?（(]{2,24})")
_MAX_PLACE = 24


def places(tags: list[tuple[str, str]]) -> list[Span]:
    """Where something happened, as printed: after 在/于/赴/走进…, the longest run of words up to a verb, a
    preposition or the clause's end whose last word names a place (在|某市全民健身中心羽毛球馆|举行, where 健身
    inside the name is a verb too), and what follows 地点为."""
    sentence = "".join(w for w, _ in tags)
    out: list[Span] = [Span(m.group(1).strip(), m.start(1)) for m in _PLACE_LABEL.finditer(sentence)]
    starts, pos = [], 0
    for w, _ in tags:
        starts.append(pos)
        pos += len(w)
    for i, (w, flag) in enumerate(tags):
        if w not in _PLACE_LEADS or not flag.startswith(("p", "v")):
            continue
        best = None
        for j in range(i + 2, len(tags) + 1):
            if starts[j - 1] - starts[i + 1] >= _MAX_PLACE:
                break
            end = j == len(tags) or tags[j][1] == "x"
            if end or tags[j][1].startswith("p") or (tags[j][1].startswith("v") and tags[j][1] != "vn"):
                words = [t for t, _ in tags[i + 1: j]]
                text = "".join(words)
                if 2 <= len(text) <= _MAX_PLACE and is_place_word(words[-1]) and not find_dates(text):
                    best = Span(text, starts[i + 1])
            if end:
                break
        if best is not None:
            out.append(best)
    return sorted({(x.start, x.text): x for x in out}.values(), key=lambda x: x.start)


def place_names(tags: list[tuple[str, str]]) -> list[Span]:
    """Place names jieba tags (ns), joined with the place names and nouns of place right after them
    (某省|某市|某区 → one span; 某市|体育馆)."""
    out, pos, run, at = [], 0, "", 0
    for w, flag in [*tags, ("", "x")]:
        if flag == "ns" or (run and flag == "n" and is_place_word(w)):
            if not run:
                at = pos
            run += w
        elif run:
            out.append(Span(run, at))
            run = ""
        pos += len(w)
    return [s for s in out if len(s.text) >= 2]


# the parts of speech a name's words may carry (青禾|师范大学|音乐|学院; 某市|城东|松柏|康养|中心)
_NAME_FLAGS = ("n", "a", "j", "m", "eng")


def organisations(tags: list[tuple[str, str]]) -> list[Span]:
    """Organisations' names as printed: the longest run of nouns (and the adjectives, numbers and abbreviations
    inside a name) whose last word ends in an organisation's head (大学, 协会, 委员会, 救助中心) or is tagged as
    one (nt)."""
    out: list[Span] = []
    run: list[tuple[str, str]] = []
    pos = at = 0
    for w, flag in [*tags, ("", "x")]:
        if flag.startswith(_NAME_FLAGS) and w.strip():
            if not run:
                at = pos
            run.append((w, flag))
        else:
            # the longest prefix of the run that ends in an organisation's head
            for end in range(len(run), 0, -1):
                last, last_flag = run[end - 1]
                if last_flag == "nt" or last.endswith(ORGANISATION_SUFFIXES):
                    text = "".join(x for x, _ in run[:end])
                    # one word that is no name (子公司, 有限公司) is a kind of organisation, not one
                    if len(text) >= 3 and (end > 1 or last_flag == "nt"):
                        out.append(Span(text, at))
                    break
            run = []
        pos += len(w)
    return out
