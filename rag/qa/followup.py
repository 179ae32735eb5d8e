"""Follow-up questions resolved against the previous turn: 那他是哪个科室的？ after 谁主讲了腰椎穿刺术？"""

from __future__ import annotations

import re

from ..models import Answer

_PRONOUN = re.compile(r"^(那么?|那)?(他|她|它|这位|该|此人|其|这个人|这个科室|该科室|这篇文章|这篇|该文)")
_LEAD = re.compile(r"^(那么?|那|还有|另外)[，,]?")


def resolve(question: str, previous: Answer | None) -> str:
    """The question with its pronoun replaced by what the previous answer named; unchanged otherwise."""
    q = question.strip()
    if previous is None or previous.abstained or not previous.answer:
        return q
    m = _PRONOUN.search(q)
    if not m:
        return q
    pronoun = m.group(2)
    if pronoun in ("这篇文章", "这篇", "该文") and previous.citations:
        referent = f"《{previous.citations[0].source.title}》"
    elif previous.qtype in ("person", "department", "open", "number", "date") and len(previous.answer) <= 20:
        referent = previous.answer
    else:
        return q
    rest = q[m.end():]
    return _LEAD.sub("", referent + rest)
