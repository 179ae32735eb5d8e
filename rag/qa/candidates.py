"""Candidate answers inside a sentence: departments, people (by role), dates, quantities in a unit, quoted
names, phrases ending in the noun asked for; and the choice of the candidate nearest the question's words."""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import cn_numerals_to_digits, indefinite_one, joined_dimensions, word_ends
from ..vocab import (
    CHAINED_ROLES,
    COUNT_UNITS,
    LENGTH_UNITS,
    NAME_END,
    NOT_UNIT_START,
    PERSON_UNITS,
    QUANTITY_UNITS,
    ROLE_TITLES,
    SIZE_UNITS,
    SURNAMES,
    TIME_UNITS,
    UNIT_SUFFIXES,
    WEIGHT_UNITS,
    Span,
    find_dates,
    is_common_word,
    is_plausible_name,
    is_tagged_name,
    suffix_pattern,
    trim_department,
)

_UNIT_RE = re.compile(r"[\u4e00-\u9fff]{1,9}?" + suffix_pattern(UNIT_SUFFIXES))
_SLASHED_UNIT = re.compile(r"([\u4e00-\u9fff]{1,8}?" + suffix_pattern(("内科", "外科", "科", "部", "中心", "室")) + r")$")
# a number, its magnitude (112.6万人次, 3亿元) and its unit
# (毫米汞柱 is a pressure, not a length; 四成 is a share, 3成功 is not)
_NUMBER_RE = re.compile(r"(\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?:余|多)?\s*(?:[万亿](?:余|多)?)?\s*(" + "|".join(QUANTITY_UNITS)
                        + r"|成(?![功立为员果绩本熟长交型就效]))(?![汞水]柱)(?:多|余)?")
# a person the paper names by surname and form of address (孙先生, 钱老师, 李师傅), or by a pseudonym it marks
_ADDRESSED = re.compile(r"([\u4e00-\u9fff](?:先生|女士|老师|师傅|大爷|奶奶|阿姨|大妈|爷爷|小姐))"
                        r"|([\u4e00-\u9fff]{2,3})(?=[（(]化名[)）])")
_BOUND = re.compile(r"及?(?:以上|以下|以内)")
_FUNCTION_CHARS = "和与及的是为在时向于"  # surnames that are, far more often, words of their own (和老师: with the teacher)
_PERSON_ROLE = re.compile("(?:" + "|".join(ROLE_TITLES) + r")([\u4e00-\u9fff]{2,3}?)" + NAME_END)
_ROLE_CHAIN = re.compile(r"(?:、[\u4e00-\u9fff]{1,12}?(?:" + "|".join(CHAINED_ROLES) + "))+")
_NAME_AFTER_ROLE = re.compile(r"([\u4e00-\u9fff]{2,3}?)" + NAME_END)
_COMPOUND_TIME = re.compile(r"\d+\s*(?:天|个?小时|个月)(?:零|又)?\s*\d+\s*(?:小时|分钟|天)|\d+个半(?:小时|月)")
_ENUMERATION = re.compile(r"[^，,；;。：:！？!?、]{1,40}(?:、[^，,；;。：:！？!?、]{1,40})+")
_LAST_JOIN = re.compile(r"(?:以及|和|及|与)")
_LEAD_VERB = re.compile(r"(?:涵盖|包括|包含|分别是|分别为|其中|有|是|为|即|：|:|，)")
_TAIL_PREDICATE = re.compile(r"(?:获得|荣获|被评为|获评|分获|获|等|共|四大|三大|五大|六大|七大|两大|的“|”的|组成|构成|提交|入选)")
_NAMED = re.compile(r"《[^》]{1,40}》|“[^”]{2,30}”")
_PHRASE_STOP = ("实施", "开展", "完成", "采用", "获得", "荣获", "获", "为", "了", "是", "的", "入选", "成为", "通过", "选择",
                "决定", "进行", "举办", "召开", "启动", "作为", "被誉为")
_PHRASE_CHARS = "“”《》·-+（）()/"
_DEMONSTRATIVES = ("这", "那", "该", "此", "其", "它")
_APPOSITION = re.compile(r"(?:——|：|:)([^，,。；;！？!?、]{2,30})")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?、]")
_ITEMS_BREAK = re.compile(r"[，,；;：:。！？!?]")


def departments(sentence: str, known: set[str], publications: frozenset[str] = frozenset()) -> list[Span]:
    """Department names: the archive's known departments first, then by suffix; units joined by "/" are one."""
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(known, key=len, reverse=True):
        for m in re.finditer(re.escape(name), sentence):
            if not any(a <= m.start() < b for a, b in taken):
                spans.append(Span(name, m.start()))
                taken.append((m.start(), m.end()))
    if not spans:  # units the archive does not know yet, by their suffix, where a word ends (not 纳入科|室)
        ends = word_ends(sentence)
        for m in _UNIT_RE.finditer(sentence):
            text = trim_department(m.group(0), publications)
            start = m.end() - len(text)
            if m.end() not in ends:
                continue
            if len(text) >= 3 and not NOT_UNIT_START.match(text) and not text.startswith(_DEMONSTRATIVES):
                spans.append(Span(text, start))
    spans.sort(key=lambda s: s.start)
    return _merge_slashed(sentence, _without_overlaps([_grow_slashed(sentence, sp) for sp in spans]))


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Of spans that overlap, the longest (a grown unit covers the known unit inside it)."""
    kept: list[Span] = []
    for sp in sorted(spans, key=lambda s: (-len(s.text), s.start)):
        if all(sp.start >= k.start + len(k.text) or k.start >= sp.start + len(sp.text) for k in kept):
            kept.append(sp)
    return sorted(kept, key=lambda s: s.start)


def _grow_slashed(sentence: str, sp: Span) -> Span:
    """Extend a unit leftwards over units the archive does not know, joined to it by "/"."""
    start = sp.start
    while start > 0 and sentence[start - 1] == "/":
        unit = _SLASHED_UNIT.search(sentence[: start - 1])
        if not unit:
            break
        start = unit.start(1)
    return Span(sentence[start: sp.start + len(sp.text)], start)


def _merge_slashed(sentence: str, spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for s in spans:
        if merged and sentence[merged[-1].start + len(merged[-1].text): s.start] == "/":
            merged[-1] = Span(f"{merged[-1].text}/{s.text}", merged[-1].start)
        else:
            merged.append(s)
    return merged


@lru_cache(maxsize=8)
def _known_pattern(known: frozenset[str]) -> re.Pattern[str]:
    """Every known name at every place it starts (a lookahead, so names may overlap), longest first."""
    if not known:
        return re.compile(r"(?!)")
    return re.compile("(?=(" + "|".join(re.escape(n) for n in sorted(known, key=lambda n: (-len(n), n))) + "))")


def persons(sentence: str, known: set[str], tagged: list[tuple[str, int]] | None = None) -> list[Span]:
    """Names in a sentence: known people of the archive, names next to a role (主任某某), and names
    jieba's tagger recognises (a name no byline or role phrase gave)."""
    # at each place the longest known name (one pass, whatever the archive's size), then the tagged names that
    # do not overlap one (the tagger may cut a known 陆某和 to 陆某)
    spans: list[Span] = [Span(m.group(1), m.start()) for m in _known_pattern(frozenset(known)).finditer(sentence)]
    taken = [(s.start, s.start + len(s.text)) for s in spans]
    spans += [Span(n, p) for n, p in tagged or [] if is_tagged_name(n) and not is_common_word(n)
              and not any(a < p + len(n) and p < b for a, b in taken)]
    for m in _PERSON_ROLE.finditer(sentence):
        name = m.group(1)
        if not any(s.text == name for s in spans) and is_plausible_name(name) and not is_common_word(name):
            spans.append(Span(name, m.start(1)))
    taken = [(s.start, s.start + len(s.text)) for s in spans]
    spans += [sp for sp in addressed(sentence) if not any(a < sp.start + len(sp.text) and sp.start < b for a, b in taken)]
    return sorted(spans, key=lambda s: s.start)


def addressed(text: str) -> list[Span]:
    """People the text names by surname and form of address (钱老师, 孙先生) or by a pseudonym it marks (某某(化名))."""
    out = []
    for m in _ADDRESSED.finditer(text):
        group = 1 if m.group(1) else 2
        if m.group(1) and (m.group(1)[0] not in SURNAMES or m.group(1)[0] in _FUNCTION_CHARS):
            continue
        out.append(Span(m.group(group), m.start(group)))
    return out


def persons_in_role(sentence: str, role: str, known: set[str], tagged: list[tuple[str, int]] | None = None,
                    unit: str = "") -> list[Span]:
    """Names printed right after (院长某某) or before (某某主任) the role asked about — not after a
    deputy's title (副院长某某) unless a deputy is asked for; with a unit, only the role of that unit (眼科主任某某,
    眼科某某主任; not 外科主任某某 in a sentence that names 眼科 elsewhere)."""
    out: list[Span] = []
    tagged_at = {p: t for t, p in tagged or []}
    for m in re.finditer(re.escape(role), sentence):
        if not role.startswith("副") and sentence[max(0, m.start() - 1): m.start()] == "副":
            continue
        end = m.end()
        chain = _ROLE_CHAIN.match(sentence[end:])
        if chain:
            end += chain.end()
        found = _name_at(sentence, end, known, tagged_at)
        if found is None:
            before = sentence[max(0, m.start() - 4): m.start()]
            names = sorted((n for n in known if before.endswith(n)), key=len, reverse=True)
            found = Span(names[0], m.start() - len(names[0])) if names else None
        if found is not None and (not unit or sentence[: m.start()].endswith(unit)
                                  or sentence[: found.start].endswith(unit)):
            out.append(found)
    return out


def _name_at(sentence: str, end: int, known: set[str], tagged_at: dict[int, str]) -> Span | None:
    """The name that starts at `end`: a known person or a tagged name, else a plausible 2–3 characters."""
    after = sentence[end: end + 4]
    pool = known | ({tagged_at[end]} if end in tagged_at else set())
    names = sorted((n for n in pool if after.startswith(n)), key=len, reverse=True)
    if names:
        return Span(names[0], end)
    am = _NAME_AFTER_ROLE.match(after + " ")
    if am and is_plausible_name(am.group(1)) and not is_common_word(am.group(1)):  # 主任委员, 科长岗位
        return Span(am.group(1), end)
    return None


def dates(sentence: str, grain: str = "") -> list[Span]:
    """Dates as printed, of the grain asked for (see rag.vocab.find_dates)."""
    return find_dates(sentence, grain)


_CJK_UNIT = re.compile(r"^[\u4e00-\u9fff]+$")


def numbers(sentence: str, unit: str = "") -> list[Span]:
    """Quantities with their unit (in digit form), filtered by the unit asked for; a duration in two units
    (2小时40分钟, 1天8小时) is one quantity."""
    if (unit.startswith("个") and len(unit) > 1  # 3个周期: the classifier with its noun
            or _CJK_UNIT.match(unit) and unit not in QUANTITY_UNITS and unit[0] != "大"):  # 三朝: a classifier of 词林
        return [Span(m.group(0), m.start()) for m in re.finditer(r"\d+(?:\.\d+)?\s*(?:余|多)?" + re.escape(unit), sentence)]
    if unit.startswith("大") and len(unit) > 1:  # 5大重点模块: 大, a few characters, then the noun asked
        pattern = r"\d+\s*大[\u4e00-\u9fff]{0,4}?" + re.escape(unit[1:])
        return [Span(m.group(0), m.start()) for m in re.finditer(pattern, sentence)] or numbers(sentence, "大")
    if unit == "time":
        compound = [Span(m.group(0), m.start()) for m in _COMPOUND_TIME.finditer(sentence)]
        taken = [(c.start, c.start + len(c.text)) for c in compound]
        single = [s for s in numbers(sentence, "time:single") if not any(a <= s.start < b for a, b in taken)]
        return sorted(compound + single, key=lambda s: s.start)
    unit = "time" if unit == "time:single" else unit
    out = []
    for m in _NUMBER_RE.finditer(sentence):
        if not _unit_fits(m.group(2), unit) or unit in ("time", "年") and _a_date(m):
            continue
        start = m.start() - (m.start() > 0 and sentence[m.start() - 1] == "第")
        out.append((start, m.end()))
    if unit in ("size", "length"):  # 2.5厘米×1.8厘米: one size
        out = joined_dimensions(sentence, out)
    return [Span(sentence[a:b].replace(" ", ""), a) for a, b in out]


def _a_date(m: re.Match[str]) -> bool:
    """Is the quantity a date, not a length of time: a year (2020年) or a month of the year (3月, where a length
    of months is printed 3个月)?"""
    return m.group(2) == "月" or m.group(2) == "年" and len(m.group(1)) == 4 and m.group(1)[:2] in ("19", "20")


def _unit_fits(printed: str, asked: str) -> bool:
    if asked == "time":
        return printed in TIME_UNITS
    if asked == "length":
        return printed in LENGTH_UNITS
    if asked == "size":
        return printed in SIZE_UNITS
    if asked == "weight":
        return printed in WEIGHT_UNITS
    if asked == "%":
        return printed in ("%", "％")
    if asked:
        return printed == asked or printed.endswith(asked) or asked.endswith(printed)
    return printed not in ("年", "月", "日")  # a date is not a quantity (多少年 names its unit)


_PER_TIME = re.compile(r"^[\u4e00-\u9fff]?次$")  # 次, 人次, 台次, 例次: a count of times something happened


def counts_for(sentence: str, unit: str, bound: bool = False) -> list[Span]:
    """Quantities in the unit asked for (an age only when one is asked: not 58岁 for 出了多少血); when that classifier
    is not printed but another count is (asked 几台, printed 两例), those counts. An age bracket (70岁以上) only
    when a bound is asked for (多大年龄以上)."""
    found = [sp for sp in number_spans_in_original(sentence, unit) if unit or not sp.text.endswith("岁")]
    if unit == "岁" and not bound:  # 70岁以上老年患者: an age bracket, not anyone's age
        found = [sp for sp in found if not _BOUND.match(sentence, sp.start + len(sp.text))]
    if found or unit not in COUNT_UNITS or _PER_TIME.match(unit):  # 多少人次 counts visits, not 12名 people
        return found
    return [s for s in number_spans_in_original(sentence, "") if _count_unit(s.text, unit)]


def other_counts(sentence: str, unit: str) -> list[Span]:
    """Counts printed with another classifier than the one asked (asked 多少名, printed 37人); none for a count
    of times (人次)."""
    if _PER_TIME.match(unit):
        return []
    return [s for s in number_spans_in_original(sentence, "") if _count_unit(s.text, unit)
            and not _unit_fits(_NUMBER_RE.search(cn_numerals_to_digits(s.text)).group(2), unit)]  # type: ignore[union-attr]


def _count_unit(text: str, asked: str) -> bool:
    """Is the quantity a count that may stand for one in the asked classifier: of people for people (名 for 人),
    of things for things (例 for 台), never one for the other?"""
    m = _NUMBER_RE.search(cn_numerals_to_digits(text))
    return m is not None and m.group(2) in COUNT_UNITS and (m.group(2) in PERSON_UNITS) == (asked in PERSON_UNITS)


def number_spans_in_original(sentence: str, unit: str = "") -> list[Span]:
    """Quantities as printed, including Chinese numerals (二十分钟), mapped back from the digit form."""
    digits = cn_numerals_to_digits(sentence)
    found = numbers(digits, unit)
    if digits == sentence:
        return found
    out = []
    for span in found:
        # find the printed form: the shortest substring of the original whose digit form is the span
        printed = _printed_form(sentence, span.text)
        at = sentence.find(printed) if printed else span.start
        if printed.startswith("一") and sentence.startswith("一", at + len(printed)) or indefinite_one(
                sentence, printed, at):
            continue  # 一户一档, 一科一品: one of each; 一名患者: a patient; not counts
        out.append(Span(printed or span.text, at))
    return out


def _printed_form(original: str, digit_text: str) -> str:
    for length in range(1, min(len(original), len(digit_text) + 8) + 1):
        for i in range(len(original) - length + 1):
            piece = original[i: i + length]
            if cn_numerals_to_digits(piece) == digit_text:
                return piece
    return ""


def named_spans(sentence: str) -> list[Span]:
    """Titles and quoted names in a sentence: 《…》, “…”."""
    return [Span(m.group(0).strip("《》“”"), m.start()) for m in _NAMED.finditer(sentence)]


def phrases_ending_with(sentence: str, head: str) -> list[Span]:
    """Noun phrases of the sentence that end with the head noun (优秀奖, 某某手术), trying the head's first
    or last two characters when the whole head is not printed (激光技术 → 技术), then its word-forming last
    character (手术 → 膝关节置换术)."""
    for h in dict.fromkeys([head, head[:2], head[-2:]]):
        if found := _phrases(sentence, h):
            return found
    if len(head) > 1 and head[-1] in "术病症炎癌剂":  # 什么手术: 某某置换术, a name formed with the head's 术 (not 法: 无法)
        return [s for s in _phrases(sentence, head[-1]) if not s.text.endswith(head)]
    return []


def _phrases(sentence: str, head: str) -> list[Span]:
    out = []
    for m in re.finditer(re.escape(head), sentence):
        end = m.end()
        start = m.start()
        while start > 0 and start > end - 18:
            ch = sentence[start - 1]
            if not (ch.isalnum() or ch in _PHRASE_CHARS) or any(sentence[:start].endswith(w) for w in _PHRASE_STOP):
                break
            start -= 1
        # 术式——某某皮瓣移植术: what follows a dash or colon names the thing itself
        apposition = _APPOSITION.match(sentence[end:])
        if apposition:
            out.append(Span(apposition.group(1).strip("“”"), end + apposition.start(1)))
            continue
        phrase = sentence[start:end].strip("“”")
        if len(phrase) > len(head) and not phrase.startswith(_DEMONSTRATIVES):
            out.append(Span(phrase, start))
    return out


def enumerations(sentence: str, count: int | None = None) -> list[Span]:
    """Enumerations printed in a sentence (甲、乙和丙; “甲、乙、丙”), each as one span whose text is the items
    joined by 、, trimmed of the verb before the first item and of the predicate after the last; with a count
    asked (哪三个), those with that many items."""
    out = []
    for m in _ENUMERATION.finditer(sentence):
        items = m.group(0).split("、")
        if all(_ENDS_WITH_COUNT.search(cn_numerals_to_digits(x)) for x in items):
            continue  # 一等奖3项、二等奖6项: a tally of counts, not the things listed
        items[0] = _LEAD_VERB.split(items[0])[-1]
        items[-1] = _TAIL_PREDICATE.split(items[-1])[0]
        last = _LAST_JOIN.split(items[-1], maxsplit=1)  # 甲、乙和丙: the last item holds two
        if len(last) == 2 and min(len(x) for x in last) >= 2:
            items[-1:] = last
        items = [x for x in (_unquote(x) for x in items) if x]
        if len(items) >= 2 and (count is None or len(items) == count):
            out.append(Span("、".join(items), m.start()))
    return out


_ENDS_WITH_COUNT = re.compile(_NUMBER_RE.pattern + r"$")


def _unquote(item: str) -> str:
    item = item.strip()
    if len(item) > 2 and item[0] + item[-1] in ("“”", "《》", "\"\""):
        return item[1:-1]
    return item.strip("“”")  if item.count("“") != item.count("”") else item


def clause_weight(span: Span, anchors: list[tuple[int, float]], sentence: str, items: bool = False) -> float:
    """The question weight printed in the span's clause (each word once; with items, 、 does not end it)."""
    breaks = [m.start() for m in (_ITEMS_BREAK if items else _CLAUSE_BREAK).finditer(sentence)]
    lo = max((b for b in breaks if b < span.start), default=-1)
    hi = min((b for b in breaks if b >= span.start), default=len(sentence))
    return sum({w for pos, w in anchors if lo < pos < hi})


def closest(spans: list[Span], anchors: list[tuple[int, float]], sentence: str, exclude: str = "",
            enumerations: bool = False) -> Span | None:
    """The candidate in the clause holding the most question weight, nearest to the question's words (never
    one the question itself names). An enumeration's items are one clause: 、 does not end it. A word counts
    once per clause (anchors of one weight are taken for one word), so a longer enumeration repeating 代表队
    does not outweigh the clause that prints what was asked."""
    pool = [s for s in spans if not (exclude and s.text in exclude)]
    if not pool:
        return None
    if not anchors:
        return pool[0]
    breaks = [m.start() for m in (_ITEMS_BREAK if enumerations else _CLAUSE_BREAK).finditer(sentence)]

    def clause(pos: int) -> int:
        return sum(1 for b in breaks if b < pos)

    words: dict[int, set[float]] = {}
    for pos, weight in anchors:
        words.setdefault(clause(pos), set()).add(weight)
    per_clause = {c: sum(ws) for c, ws in words.items()}
    return min(pool, key=lambda s: (-per_clause.get(clause(s.start), 0.0),
                                    min(abs(s.start - a) for a, _ in anchors), s.start))
