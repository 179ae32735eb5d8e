"""A place in a ranking asked for (几等奖, 第几名, 什么名次, 拿了第几) and the places a sentence prints: 二等奖,
特等奖, 冠军/亚军/季军, 第三名, 金奖. The answer is the place printed after the person or unit the question names,
in its clause (else the one nearest the question's words), with the event it was won in (男子单打亚军,
团体赛一等奖) when the question does not already name that event."""

from __future__ import annotations

import re

from ..vocab import Span
from .coverage import CLAUSE_END

_ASKED = re.compile(r"几等奖|几等(?![级分份])|第几名|什么名次|哪个名次|名次|(?:拿|得|获得|取得|排|位列|列)了?第几(?![天次周个年月日届期批例台位轮号])")
_DIGITS = "0-9一二三四五六七八九十"
_PLACE = re.compile(rf"(?:[{_DIGITS}]+|特)等奖|[冠亚季]军|第[{_DIGITS}]+名|[金银铜]奖|优秀奖|优胜奖|鼓励奖")
# the verb that introduces a place won (获得男子单打亚军): what stands between it and the place is the event
_WON_EVENT = re.compile(r"(?:获得|荣获|夺得|摘得|斩获|取得|赢得|拿下|拿到|位列|名列|获评|获(?!得|评))([\u4e00-\u9fffA-Za-z0-9]{1,8}?)$")


def asks_rank(question: str) -> bool:
    """Does the question ask for a place in a ranking?"""
    return _ASKED.search(question) is not None


def rank_spans(sentence: str, question: str) -> list[Span]:
    """The places the sentence prints, each with the event it was won in (获得男子单打亚军) unless the question
    names that event itself."""
    out = []
    for m in _PLACE.finditer(sentence):
        won = _WON_EVENT.search(sentence, max(0, m.start() - 12), m.start())
        event = won.group(1) if won is not None and won.end() == m.start() else ""
        start = m.start() - len(event) if event and event not in question else m.start()
        out.append(Span(sentence[start: m.end()], start))
    return out


def held_by(places: list[Span], sentence: str, names: list[str]) -> Span | None:
    """The place won by one the question names (a person first, then a unit): the first place after the name
    in its clause (甲、乙获得二等奖 gives 乙 the 二等奖); None when no name holds one."""
    for name in names:
        for m in re.finditer(re.escape(name), sentence):
            end = CLAUSE_END.search(sentence, m.end())
            stop = end.start() if end else len(sentence)
            after = [p for p in places if m.end() <= p.start < stop]
            if after:
                return after[0]
    return None
