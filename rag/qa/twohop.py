"""Two-hop questions: 「主持X会的那位科主任，在第11期里为哪位患者做了手术？」 names its subject by a description.
The description is asked first (主持X会的科主任是谁？), its answer (the bridging entity) takes its place, and
the rest is asked about it; both hops are shown as evidence."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..models import Answer

# …的那位科主任， / …的那个科室，其主任… / …的那家养老服务中心，在…: a description, the noun it picks out, the rest.
_BRIDGE = re.compile(r"^(?P<desc>.{4,}?)的那(?P<cl>位|个|家|项|支|名|所|篇)(?P<noun>[\u4e00-\u9fff]{1,8}?)"
                     r"(?P<dept>所在的?(?:科室|部门))?[，,](?P<rest>.+)$")
# …的骨科主任，他… / …冠军所在的科室，在…: no 那, but the rest speaks of it again (他/她/其, or 在 + where)
_BARE = re.compile(r"^(?P<desc>.{4,}?)(?:的(?P<noun>[\u4e00-\u9fff]{1,8}?))?(?P<dept>所在的?(?:科室|部门))?[，,]"
                   r"(?P<rest>(?:他|她|其|在|之前|此前|后来|曾|又|还).+)$")
_PERSON_NOUN = re.compile(r"(主任|院长|医生|医师|专家|护士|护士长|人员|书记|主席|作者|患者|老人|先生|女士|冠军|亚军|季军|代表|选手|"
                          r"队员|学员|职工|员工|教授|老师|组长|部长|负责人|带头人|药师|技师|女孩|男孩|孩子|姑娘|小伙子?|大爷|奶奶|"
                          r"爷爷|阿姨|师傅|家属|志愿者)$")
_DEPT_NOUN = re.compile(r"(科室|部门|科|团队)$")
# 他所在的科室 / 她们科 / 其所在部门的: the rest speaks of the unit of the person the description picks out
_UNIT_OF = re.compile(r"^(?:他|她|其)(?:们科(?:室)?|们?所在的?(?:科室|部门)?|们?的?(?:科室|部门))的?")


@dataclass(frozen=True)
class Hops:
    """The first question (the description), and how to ask the second once the bridge is known."""

    first: str
    rest: str
    dept: bool  # the bridge is the unit of the person described (那位主任所在的科室)
    noun: str = ""  # the kind of thing the bridge is (养老服务中心), when it is named by a phrase

    def unit_of(self) -> bool:
        """Does the rest ask about the unit of the person described (他所在科室的代表队, 她们科), not the person?"""
        return not self.dept and _UNIT_OF.match(self.rest.lstrip("，, ")) is not None

    def bridge(self, answer: str) -> str:
        """The bridging entity in the first hop's answer: the answer itself, or the name ending in the noun
        within it (某市某区某养老服务中心 in a sentence about the signing)."""
        if len(answer) <= 20:
            return answer
        if self.noun and self.noun in answer:
            head = re.split(r"[与和及、的在为由，,]", answer[: answer.index(self.noun)])[-1]
            return head[-8:] + self.noun
        return ""

    def second(self, bridge: str, as_unit: bool = True) -> str:
        """The rest of the question asked about the bridging entity (as_unit: the bridge is the unit the rest
        asks about, 她所在的科室)."""
        rest = self.rest.lstrip("，, ")
        unit = _UNIT_OF.match(rest) if as_unit and not self.dept else None
        if unit is not None:  # the bridge is the person's unit: 古书院分院党支部 + 党支部… is said once
            rest = rest[unit.end():]
            return bridge + rest[next((n for n in range(min(len(bridge), len(rest)), 0, -1)
                                       if bridge.endswith(rest[:n])), 0):]
        if rest.startswith(("他们", "她们")):  # 她们科 asked of the person: 某某的科
            return bridge + "的" + rest[2:]
        if rest.startswith(("其", "他", "她")):
            return bridge + rest[1:]
        return bridge + rest


def split(question: str) -> Hops | None:
    """The two hops of a question that names its subject by a description, or None."""
    m = _BRIDGE.match(question.strip())
    bare = _BARE.match(question.strip()) if m is None else None
    if bare is not None and (bare.group("dept") or _PERSON_NOUN.search(bare.group("noun") or bare.group("desc"))):
        m = bare
    if m is None:
        return None
    desc, noun, cl = m.group("desc"), m.group("noun") or "", m.groupdict().get("cl") or ""
    subject = f"{desc}的{noun}" if noun else desc
    if m.group("dept") or _DEPT_NOUN.search(noun):
        return Hops(subject + ("所在的科室是哪个科室？" if m.group("dept") else "是哪个科室？"), m.group("rest"), True)
    if _PERSON_NOUN.search(subject) or cl in ("位", "名"):
        # 那位科主任: the paper prints 眼科主任, so the role asked is the title itself
        role = noun[1:] if noun.startswith("科") and len(noun) > 2 else noun
        return Hops(f"{desc}的{role}是谁？" if role else f"{desc}是谁？", m.group("rest"), False)
    return Hops(f"{desc}的是哪{cl}{noun}？", m.group("rest"), False, noun)


def answer(question: str, hops: Hops, ask: Callable[[str, str], Answer]) -> Answer | None:
    """Both hops asked with `ask` (a question, and what it is about: the second is about the bridge); the
    second's answer, with both hops' evidence. When the rest asks about the person's unit (她所在的科室), the
    unit is asked for in between; when the archive does not say that unit's fact, the rest is asked about the
    person. None when no bridge is found (the question is then asked as it stands)."""
    first = ask(hops.first, "")
    bridge = "" if first.abstained else hops.bridge(first.answer)
    if not bridge:
        return None
    step = f"{hops.first} → {bridge}"
    if hops.unit_of():  # one hop more: the unit of the person found
        unit = ask(f"{bridge}是哪个科室的？", bridge)
        if not unit.abstained and len(unit.answer) <= 20:
            via = _second(question, hops.second(unit.answer), unit.answer, [first, unit],
                          [step, f"{unit.question} → {unit.answer}"], ask)
            if not via.abstained:
                return via
    return _second(question, hops.second(bridge, as_unit=False), bridge, [first], [step], ask)


def _second(question: str, asked: str, bridge: str, found: list[Answer], steps: list[str],
            ask: Callable[[str, str], Answer]) -> Answer:
    """The last hop asked, with the earlier hops' evidence and a note of the route."""
    second = ask(asked, bridge)
    zh, en = ("两", "two") if len(found) == 1 else ("三", "three")
    note = f"分{zh}步回答：{'；'.join(steps)}；{asked} / answered in {en} hops"
    if second.abstained:
        return replace(second, question=question, note="；".join(x for x in (second.note, note) if x))
    return replace(second, question=question, citations=tuple(c for f in found for c in f.citations[:1]) + second.citations,
                   evidence=tuple(e for f in found for e in f.evidence[:1]) + second.evidence, note=note)
