"""How candidates of one sentence relate: a run of one kind joined by list marks (骨科、营养科获评…: every unit
a plural question asks for), a value with the value it changed to (从1100克增长到2400克), a count with the
label printed right before it (二等奖6项) or the noun right after it (5个项目), and a fact with the relative it
belongs to (父亲李某…进院)."""

from __future__ import annotations

import re

from ..text import NUMERAL_DIGITS, Tokenizer, word_ends
from ..vocab import ROLE_TITLES, SURNAMES, Span, is_kin_word

_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?、]")
_RUN_JOIN = re.compile(r"^(?:、|和|与|及|以及)(?:副?(?:" + "|".join(ROLE_TITLES) + "))?$")  # 、主任 between two names


def run_of(spans: list[Span], sentence: str, span: Span) -> Span:
    """The span with the spans of its kind printed beside it joined only by 、/和/与/及 (骨科、营养科获评…),
    as one span whose items are joined by 、: every unit or person a plural question asks for."""
    ordered = sorted(spans, key=lambda s: s.start)
    at = next((i for i, s in enumerate(ordered) if s.start == span.start and s.text == span.text), None)
    if at is None:
        return span
    lo = hi = at
    while lo > 0 and _RUN_JOIN.match(sentence[ordered[lo - 1].start + len(ordered[lo - 1].text): ordered[lo].start]):
        lo -= 1
    while hi + 1 < len(ordered) and _RUN_JOIN.match(sentence[ordered[hi].start + len(ordered[hi].text): ordered[hi + 1].start]):
        hi += 1
    if lo == hi:
        return span
    return Span("、".join(s.text for s in ordered[lo: hi + 1]), ordered[lo].start)


_CHANGE = re.compile(r"(?:增长|增加|提高|提升|上升|升|增|下降|降低|降|减少|减|缩短|缩小|延长|扩大)(?:到|至|为)")
_CHANGE_FROM = re.compile(r"(?:从|由)([^，,。；;：:]{0,10}?)的?$")


_DUE = re.compile(r"应[\u4e00-\u9fff]{1,8}$")
_ACTUAL = re.compile(r"[，,、；;]?实[\u4e00-\u9fff]{0,3}")


def changed_to(sentence: str, span: Span, spans: list[Span], question: str) -> Span:
    """In 从入院时1100克增长到2400克, the value before the change is the earlier state: it answers only a
    question that names that state (入院时); else the value it changed to does."""
    end = span.start + len(span.text)
    if _DUE.search(sentence, max(0, span.start - 10), span.start) and "应" not in question:
        # 应到代表86名，实到79名: what was due is not what was, unless the question asks for it (应到多少)
        return next((s for s in spans if _ACTUAL.fullmatch(sentence, end, s.start)), span)
    change = _CHANGE.match(sentence, end)
    before = _CHANGE_FROM.search(sentence, max(0, span.start - 12), span.start)
    if change is None or before is None:
        return span
    label = before.group(1)
    if label and label in question:
        return span
    after = [s for s in spans if s.start >= change.end()]
    return min(after, key=lambda s: s.start) if after and after[0].start - change.end() <= 2 else span


def counted_next(spans: list[Span], sentence: str, noun: str) -> Span | None:
    """The count printed right before the noun the question counts (12名医师、30名护士 asked 多少名护士 → 30名)."""
    if len(noun) < 2:
        return None
    return next((sp for sp in spans if sentence.startswith(noun, sp.start + len(sp.text))), None)


_RESPECTIVELY = re.compile(r"([\u4e00-\u9fff]{1,6})(?:和|与|、|及)([\u4e00-\u9fff]{1,6})分别")


def respective(sentence: str, spans: list[Span]) -> list[tuple[str, Span]]:
    """甲和乙分别…12次和10次: (甲, 12次) and (乙, 10次), the two things with the first two values printed after
    分别; [] when the sentence prints no such pair."""
    m = _RESPECTIVELY.search(sentence)
    after = sorted((sp for sp in spans if sp.start >= m.end()), key=lambda sp: sp.start)[:2] if m else []
    return [(m.group(1), after[0]), (m.group(2), after[1])] if m and len(after) == 2 else []


def respectively(spans: list[Span], sentence: str, question: str) -> Span | None:
    """The value in the place of the one of the pair the question names (乙 asked → 10次)."""
    named = [value for who, value in respective(sentence, spans) if who[-2:] in question]
    return named[0] if len(named) == 1 else None


# one character for another, so places stay put: Chinese numerals as digits, and 至 as 到 (缩短至 / 缩短到)
_LABEL_FOLD: dict[int, int] = {**NUMERAL_DIGITS, ord("至"): ord("到")}
_LABEL_GLUE = "共有约达为是了的计近超过"
_ASKED_COUNT = re.compile(r"多少|几")


def counts_another(span: Span, sentence: str, question: str, tok: Tokenizer) -> bool:
    """Is the count of a noun printed right after it that the question does not name (设5个项目 answering
    跳了多少个, which counts no thing)?"""
    after = _CLAUSE_BREAK.split(sentence[span.start + len(span.text): span.start + len(span.text) + 8])[0]
    tags = tok.pos_tags(after)
    word, flag = tags[0] if tags else ("", "")
    # 五个主题打卡点 asked 几个打卡点: a word further on is the question's
    return flag.startswith("n") and len(word) >= 2 and not any(len(w) >= 2 and w in question for w, _ in tags)


def count_label(question: str) -> str:
    """What the question counts, printed right before its 多少/几 (二等奖几项 → 2等奖, 用时多少分钟 → 用时), with
    Chinese numerals as digits; '' when nothing but function words stands there."""
    m = _ASKED_COUNT.search(question)
    if not m:
        return ""
    before = question[: m.start()].rstrip(_LABEL_GLUE).translate(_LABEL_FOLD)
    label = re.search(r"[\u4e00-\u9fff\d]{2,3}$", before)
    return label.group(0) if label and re.search(r"[\u4e00-\u9fff]", label.group(0)) else ""


# how long something took is printed after 历时 / 用时 / 耗时 / 用了 / 花了 (手术历时3小时): the labels of 用了多长时间
TOOK = ("历时", "用时", "耗时", "用了", "花了")
_TOOK_ASKED = re.compile(r"(?:用|花|做|进行|持续|历时|耗时|用时)了?(?:多长时间|多久|多少(?:个)?(?:小时|分钟|时间))")


def took_label(question: str) -> str:
    """历时 when the question asks how long something took (手术做了多长时间, 用了多久), else ''."""
    return TOOK[0] if _TOOK_ASKED.search(question) else ""


def labelled(spans: list[Span], sentence: str, label: str) -> Span | None:
    """The candidate printed right after the label (within four characters, in the same clause), where the label
    ends a word: 一等奖3项、二等奖6项 asked 二等奖几项 → 6项. How long something took (历时) is read after any of
    its labels, and only when one duration of the sentence is so labelled (用时58分钟 for one, 用了1小时50分钟 for
    another: the one nearest the question's words decides)."""
    if label in TOOK:
        took = {sp for lab in TOOK if (sp := _right_after(spans, sentence, lab)) is not None}
        return next(iter(took)) if len(took) == 1 else None
    return _right_after(spans, sentence, label)


def _right_after(spans: list[Span], sentence: str, label: str) -> Span | None:
    """The first candidate within four characters after the label (or its last two), in the same clause."""
    if len(label) < 2:
        return None
    digits, ends = sentence.translate(_LABEL_FOLD), word_ends(sentence)
    for lab in dict.fromkeys((label, label[-2:])):
        for m in re.finditer(re.escape(lab), digits):
            if m.end() not in ends:
                continue  # 优秀护士 asked, 优秀护士长8名 printed: the label is part of another word
            after = [sp for sp in spans if m.end() <= sp.start <= m.end() + 4
                     and not _CLAUSE_BREAK.search(sentence[m.end(): sp.start])]
            if after:
                return min(after, key=lambda sp: sp.start)
    return None


# what a person says, in the paper's reported speech (某主任介绍，…; 某某表示，…)
_SAYS = "介绍|表示|指出|强调|说|谈到|坦言|提醒|告诉|认为|呼吁"
_SPEAKS = re.compile(f"(?:{_SAYS})")
_ASKS_WHO_SAYS = re.compile(f"{_SAYS}|谈了|讲话|讲了|提到|提出|建议|解读|发言|致辞")  # not 讲 alone: 演讲比赛


def speaks(sentence: str, end: int, question: str) -> bool:
    """Is the person ending at `end` the one the sentence quotes (护理部主任某某介绍，获奖者将…)? The speaker
    reports the fact, it is not theirs, unless the question asks who said something."""
    return not _ASKS_WHO_SAYS.search(question) and _SPEAKS.match(sentence, end) is not None


def not_the_speaker(spans: list[Span], sentence: str, question: str) -> list[Span]:
    """The people of the sentence but the one it quotes."""
    return [s for s in spans if not speaks(sentence, s.start + len(s.text), question)]



def of_a_relative(sentence: str, span: Span, question: str, tok: Tokenizer) -> bool:
    """Is the fact of a relative the sentence names before it (他的父亲李某…1965年进院), when the question
    names neither the relative nor the kin word (asked when he himself joined)?"""
    tags = tok.pos_tags(sentence[: span.start])
    pos = 0
    for (word, _), (after, flag) in zip(tags, tags[1:], strict=False):
        pos += len(word)
        name = sentence[pos: pos + 2]  # the name tagged right after the kin word: its surname and next character
        if (flag.startswith("nr") and after[0] in SURNAMES and is_kin_word(word) and word not in question
                and name not in question):
            return True
    return False

