"""Does a claim agree with the evidence? Its numbers are read with the words they measure (二等奖10项 is checked
against the number printed after 二等奖, not against any 10项 in the sentence), a number that only describes
the subject (86岁老人) may stand anywhere in the article, the one who did a thing (由X主持, X主持的) is
compared with the one printed doing it, and a role stated with 是 (主任是X, X是主任) with its printed holder."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import Tokenizer, cn_numerals_to_digits, split_sentences
from ..vocab import QUANTITY_UNITS, ROLE_TITLES, find_dates
from .candidates import departments, number_spans_in_original, persons, persons_in_role
from .relations import respective

# the archive's measure words, and the calendar's (a date's 日), longest first so 分钟 is not read as 分
_UNITS = "|".join(re.escape(u) for u in sorted({*QUANTITY_UNITS, "日", "万元", "斤"}, key=lambda u: (-len(u), u)))
_QTY = re.compile(r"(\d+(?:\.\d+)?)\s*(?:余|多)?\s*(" + _UNITS + ")")
_LABEL = re.compile(r"(\d?[\u4e00-\u9fff]{2,})$")  # 二等奖 is read as 2等奖: the digit is part of the label
_LABEL_TAIL = "约共达了为是有仅只近超过计"
_HOURS = re.compile(r"(\d+(?:\.\d+)?)个(多|半)?(?:小时|钟头)")
# Verbs whose doer is one person or unit: a claim naming another doer is contradicted.
AGENT_VERBS = ("主持", "主讲", "指挥", "牵头", "带队", "致辞", "宣读", "主刀", "执笔")
_CLAUSE = re.compile(r"[^，,；;。！？!?]+")


@dataclass(frozen=True)
class Quantity:
    """A number as printed, its unit, and the two characters before it that say what it measures."""

    value: str
    unit: str
    label: str
    bound: str = ""  # '>' for 超过300人次, '<=' for 300人次以下…: a bound, not a value
    said: str = ""  # the number as the text says it, with its bound (超过300人次)

    def holds(self, printed: str) -> bool:
        """Does the printed value say what this quantity says (equal, or within its bound)?"""
        if not self.bound:
            return printed == self.value
        said, there = float(self.value), float(printed)
        return {">": there > said, ">=": there >= said, "<": there < said, "<=": there <= said}[self.bound]


def quantities(text: str) -> list[Quantity]:
    """The numbers of a text with their units and labels (Chinese numerals read as digits)."""
    # 5个小时 / 3个多钟头 measure hours: 个 is the classifier of the time unit, not a count of things
    norm = _HOURS.sub(lambda m: m.group(1) + {"半": ".5", "多": "多"}.get(m.group(2) or "", "") + "小时",
                      cn_numerals_to_digits(text))
    out = []
    for m in _QTY.finditer(norm):
        lm = _LABEL.search(norm[: m.start()].rstrip(_LABEL_TAIL))
        before, after = norm[max(0, m.start() - 4): m.start()], norm[m.end(): m.end() + 2]
        said = _BOUND.search(before)
        bound = _BOUNDS[said.group(1)] if said else _BOUNDS.get(after, "")
        text = (said.group(1) if said else "") + m.group(1) + m.group(2) + (after if after in _BOUNDS else "")
        out.append(Quantity(m.group(1), m.group(2), lm.group(1)[-3:] if lm else "", bound, text))
    return out


# a bound said of a number (超过300人次, 不到5天, 300人次以上), inclusive or not; not 6小时以内 / 以下, which more
# often names a window or a range (时间窗是发病后4.5小时以内) than bounds a count
_BOUNDS = {"不超过": "<=", "不少于": ">=", "不低于": ">=", "不小于": ">=", "以上": ">=",
           **dict.fromkeys(("超过", "超出", "多于", "高于", "大于", "逾"), ">"),
           **dict.fromkeys(("不到", "不足", "少于", "低于", "小于", "未满", "不满"), "<")}
_BOUND = re.compile("(" + "|".join(sorted((w for w in _BOUNDS if not w.startswith("以")), key=len, reverse=True)) + ")了?$")


def _labelled(text: str, q: Quantity) -> list[str]:
    """Values in the text printed shortly after the claim's label (its last three characters, else two), in
    the claim's unit."""
    norm = cn_numerals_to_digits(text)
    for label in dict.fromkeys((q.label, q.label[-2:])):
        if len(label) < 2:
            continue
        pat = re.escape(label) + r"[^，,。；;、]{0,6}?(\d+(?:\.\d+)?)\s*(?:余|多)?\s*(?:" + re.escape(q.unit) + ")"
        found = [m.group(1) for m in re.finditer(pat, norm)]
        if found:
            return found
    return []


def quantity_check(claim: str, texts: list[str]) -> tuple[list[str], str]:
    """(contradictions, what is missing) of the claim's numbers against the evidence texts, nearest first
    (the focus clause, the sentence, the whole article)."""
    problems: list[str] = []
    missing = ""
    article = texts[-1]
    printed = {(q.value, q.unit) for q in quantities(article)}
    for q in quantities(claim):
        labelled = next((vs for vs in (_labelled(t, q) for t in texts) if vs), [])
        if (q.value, q.unit) == ("1", "个") and not labelled:
            continue  # 开了一个约2厘米的切口: 一个 is the article, not a count the text must print
        if labelled:
            if not any(q.holds(v) for v in labelled):
                problems.append(f"档案记载为{labelled[0]}{q.unit}，而非{q.said}")
            continue
        pool = next((vs for vs in ([x.value for x in quantities(t) if x.unit == q.unit] for t in texts[:-1]) if vs), [])
        if (q.value, q.unit) in printed and (not pool or q.value in pool) or q.bound and any(map(q.holds, pool)):
            continue  # the number describes the subject (86岁老人), printed elsewhere in the article
        if pool:  # the evidence gives another value in that unit (一名52岁的患者), whatever the article prints elsewhere
            problems.append(f"档案记载为{pool[0]}{q.unit}，而非{q.said}")
        else:
            missing = missing or f"档案中找到相关记载，但未提到{q.value}{q.unit}这一数字"
    return problems, "" if problems else missing


def agent_check(claim: str, sentences: list[str], people: set[str], depts: set[str], tok: Tokenizer) -> str:
    """由X主持 / X主持的 in the claim against who the article prints doing it: '' when they agree or the
    article does not say. Besides the verbs that have one doer, any verb the claim gives a doer with 由X…
    or 是X…的 (宣誓是某某领誓的): the construction says who did it."""
    for verb in dict.fromkeys((*AGENT_VERBS, *_focused_verbs(claim, people, tok))):
        if verb not in claim:
            continue
        claimed = _doers(claim, verb, people, depts, tok)
        if not claimed:
            continue
        printed: list[str] = []
        for sentence in sentences:
            printed += _doers(sentence, verb, people, depts, tok)
        if printed and not set(claimed) & set(printed):
            return f"档案记载{verb}者为{'、'.join(dict.fromkeys(printed))}，而非{'、'.join(claimed)}"
    return ""


def _focused_verbs(claim: str, people: set[str], tok: Tokenizer) -> list[str]:
    """The verb right after a person the claim introduces with 由 or focuses with 是…的."""
    out = []
    for name in persons(claim, people, tok.person_names(claim)):
        before, after = claim[: name.start], claim[name.start + len(name.text):]
        words = tok.words(after)
        verb = words[0] if words else ""
        focused = before.endswith("由") or ("是" in before[-6:] and after.startswith(verb) and
                                           after[len(verb): len(verb) + 1] == "的")
        if focused and len(verb) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", verb):
            out.append(verb)
    return out


def _doers(text: str, verb: str, people: set[str], depts: set[str], tok: Tokenizer) -> list[str]:
    """People (or else units) named in the clause before the verb."""
    out: list[str] = []
    for clause in _CLAUSE.findall(text):
        at = clause.find(verb)
        if at < 0:
            continue
        head = clause[:at]
        names = [s.text for s in persons(head, people, tok.person_names(head))]
        out += names or [s.text for s in departments(head, depts)]
    return out


def _as_word(text: str, word: str, tok: Tokenizer) -> bool:
    """Does the text print the word other than inside a longer word that is not itself a role?"""
    spans, pos = [], 0
    for w in tok.words(text):
        spans.append((pos, pos + len(w), w))
        pos += len(w)
    for m in re.finditer(re.escape(word), text):
        inside = [w for a, b, w in spans if a <= m.start() and m.end() <= b and len(w) > len(word)]
        if not inside or inside[0] in ROLE_TITLES:
            return True
    return False


def claimed_holder(claim: str, role: str, people: set[str], tok: Tokenizer) -> str:
    """The name the claim gives the role: 院长某某, 某某主任, and with 是 between them (主任是某某, 某某是…主任)."""
    joined = re.sub(re.escape(role) + r"(?:是|为)", role, claim)
    found = persons_in_role(joined, role, people, tok.person_names(joined))
    if found:
        return found[0].text
    m = re.match(r"^(.{2,4}?)(?:是|为)(.*)" + re.escape(role) + r"$", claim)
    if m and not any(r in m.group(1) for r in ROLE_TITLES):
        names = persons(m.group(1), people, tok.person_names(m.group(1)))
        return names[0].text if names else ""
    return ""


def role_check(claim: str, window: str, people: set[str], tok: Tokenizer, depts: frozenset[str] = frozenset()) -> str:
    """The role's holder the claim names against the holder printed in the evidence's neighbourhood; with the
    unit the claim gives the role (某科主任), against that unit's holder, and a holder printed with the role of
    another unit is not this one's. A role inside a longer word of the claim (代表 in 代表队) is not a role."""
    for role in ROLE_TITLES:
        if role not in claim or not _as_word(claim, role, tok):
            continue
        claimed = claimed_holder(claim, role, people, tok)
        if not claimed:
            continue
        at = claim.find(role)
        unit = next((d.text for d in departments(claim, set(depts)) if d.start + len(d.text) == at), "")
        tagged = tok.person_names(window)
        anywhere = {p.text for p in persons_in_role(window, role, people, tagged)}
        names = {p.text for p in persons_in_role(window, role, people, tagged, unit)}
        if unit and claimed in anywhere and claimed not in names:
            return f"档案中{claimed}并非{unit}{role}"
        names = names if unit else anywhere
        if names and claimed not in names and claimed not in window:
            return f"档案记载的{role}为{'、'.join(sorted(names))}，而非{claimed}"
        return ""
    return ""


def respectively_check(claim: str, text: str) -> str:
    """甲和乙分别…12次和10次 (rag.qa.relations.respective): a claim giving 12次 to someone other than 甲 (neither
    甲 nor 乙 in it) is contradicted."""
    norm = cn_numerals_to_digits(claim)
    for sentence in split_sentences(text):
        pairs = respective(sentence, number_spans_in_original(sentence))
        if any(who[-2:] in norm for who, _ in pairs):
            continue
        for who, value in pairs:
            if cn_numerals_to_digits(value.text) in norm:
                return f"档案记载{value.text}为{who[-2:]}的，而非所述对象的"
    return ""


def _weekdays(text: str) -> tuple[set[str], str]:
    """The days of the week a text names (每周一、三、五 → 一三五; 天 is 日), and the first span naming them."""
    spans = find_dates(text, "weekday")
    days = {("日" if c == "天" else c) for sp in spans for c in re.sub(r"上午|下午|晚上|全天", "", sp.text)
            if c in "一二三四五六日天"}
    return days, spans[0].text if spans else ""


def weekday_check(claim: str, sentence: str) -> str:
    """每周二、四、六 claimed where the evidence sentence prints 每周一、三、五: '' when every day claimed is printed
    (每周一 of 每周一、三、五) or either names no day of the week."""
    claimed, said = _weekdays(claim)
    printed, span = _weekdays(sentence)
    if claimed and printed and claimed - printed:
        return f"档案记载为{span}，而非{said}"
    return ""
