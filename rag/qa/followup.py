"""Follow-up questions bound to the previous turn: 那篇文章 / 那次会 → the previous answer's first cited article,
他/她 → the person the previous answer named (or the person its question named, or its byline's author),
这个科室 → the department it named. The rewritten question is what the answerer is asked and what the page
shows (已按上文理解为…)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..models import Answer, Filters
from ..vocab import is_measure_word, is_person_word, is_word, word_tag

# 那篇文章里 / 文中 / 该文: the article itself.
_ARTICLE = re.compile(r"(那篇文章|这篇文章|那篇报道|这篇报道|那篇稿件|该文章|该报道|那篇|这篇|该文|(?<![\u4e00-\u9fff])文中|在文中)")
# 那次会 / 那个培训营 / 那台手术: the event or thing the cited article reports.
# 那几个门诊 / 那些专科 / 那一期 / 那里: a demonstrative with its classifier (词林's, or one it files elsewhere)
_EVENT = re.compile(r"(?:那|这|该)(?:一|几)?([\u4e00-\u9fff])(?=[\u4e00-\u9fff])|(?:那|这)(?:里|儿)")
_CLASSIFIERS = "次个台场项届支例名"
_TIME_DEIXIS = re.compile(r"[那这]一?(?:些年|年|时|会儿|阵)")
_PERSON = re.compile(r"(这位作者|该作者|这位医生|这位主任|这个人|此人|这位|(?<!其)他(?!们)|(?<!其)她(?!们))")
_DEPT = re.compile(r"(这个科室|那个科室|该科室|这个部门|那个部门|该部门|这个团队|那个团队|这支团队|那支团队|该团队)")
_LEAD = re.compile(r"^(?:那么|还有|另外)[，,]?|^那[，,]|^那(?=[他她这该])")  # not the 那 of 那篇文章 / 那次
_NAMED = re.compile(r"([\u4e00-\u9fff](?:先生|女士|大爷|奶奶|阿姨)|\d+岁(?:的)?(?:老人|患者|男孩|女孩|幼童|男子|女子))")
_NAME_ANSWER = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
# 眼科代表队 answered: 这个科室 is 眼科
_UNIT_ANSWER = re.compile(r"^([\u4e00-\u9fff]{1,14}?(?:科|部|室|中心|病区))(?:代表队|团队|医疗队|队)?$")
# 一共送出去多少份: a question that starts with an adverb has its subject in the previous turn
_NO_SUBJECT = re.compile(r"^(?:一共|总共|共|还|又|都|后来|最后|最终|当时|随后)")


def resolve(question: str, previous: Answer | None) -> str:
    """The question with its references to the previous turn replaced; unchanged when it has none or the
    previous turn gave nothing to refer to."""
    q = question.strip()
    if previous is None or previous.abstained or not previous.answer:
        return q
    title = f"《{previous.citations[0].source.title}》" if previous.citations else ""
    out = _LEAD.sub("", q)
    unit = _UNIT_ANSWER.match(previous.answer)
    if _DEPT.search(out) and (previous.qtype == "department" and len(previous.answer) <= 20 or unit):
        out = _DEPT.sub(unit.group(1) if unit else previous.answer, out, count=1)
    if _ARTICLE.search(out) and title:
        out = _ARTICLE.sub(title, out, count=1)
    person = _person(previous)
    if person:
        out = _PERSON.sub(person, out, count=1)
    if title and title not in out and (m := _demonstrative(out)):
        out = out[: m.start()] + title + ("中的" if _noun_next(out[m.end():]) else "中") + out[m.end():]
    if out == _LEAD.sub("", q) and title and _NO_SUBJECT.match(out):
        out = f"{title}中{out}"
    return out if out != _LEAD.sub("", q) else q


def _demonstrative(q: str) -> re.Match[str] | None:
    """The first 那次 / 那几个 / 那些 / 那里 of the question that points at the thing the previous answer was about
    (not 这个科室: that is the department answered; not 这么 / 这样, which say how, not which)."""
    for m in _EVENT.finditer(q):
        cls = m.group(1)
        rest = q[m.end():]
        if (cls is None or cls in _CLASSIFIERS or is_measure_word(cls) and cls not in "么样") and not rest.startswith(
                ("科室", "部门", "团队")) and not _TIME_DEIXIS.match(q, m.start()):  # 这些年: a time, not a thing
            return m
    return None


def _first_word(rest: str) -> str:
    return next((rest[:k] for k in range(min(4, len(rest)), 0, -1) if is_word(rest[:k])), "")


def _noun_next(rest: str) -> bool:
    """Does a noun follow (那几个门诊 → …中的门诊), not an adverb (那一期当初 → …中当初)?"""
    return word_tag(_first_word(rest)).startswith(("n", "v"))


def bind(question: str, previous: Answer | None, filters: Filters = Filters()) -> tuple[str, Filters]:
    """The question resolved against the previous turn, and the filters with the previous answer's quoted
    sentence as the focus when the question refers to that turn (那台手术: the one that answer was about)."""
    asked = resolve(question, previous)
    if asked == question.strip() or previous is None or not previous.citations:
        return asked, filters
    cited = previous.citations[0]
    return asked, replace(filters, focus_article=cited.source.article_id, focus_quote=cited.quote)


def _person(previous: Answer) -> str:
    """Whom 他/她 means after this answer: the person it named, else a person its question named (李先生),
    else the author of its first cited article."""
    if previous.qtype in ("person", "editor") and _NAME_ANSWER.match(previous.answer):
        return previous.answer
    m = _NAMED.search(previous.question)
    if m:
        return m.group(1)
    noun = _person_noun(previous.question)
    if noun and previous.citations:  # 那位患者多大年纪？→ 她的结节: the article's 患者, not its author
        return f"《{previous.citations[0].source.title}》中的{noun}"
    if previous.citations and previous.citations[0].source.author:
        return previous.citations[0].source.author.split("、")[0]
    return ""


_NOUN_BEFORE_WH = re.compile(r"的([\u4e00-\u9fff]{2,3}?)(?:是|叫|多大|几岁|有|在|姓|得|患|从|住|为|[，,？?]|$)")
_COLLEAGUES = ("医生", "护士", "主任", "专家", "作者", "记者", "护士长", "院长", "团队")


def _person_noun(question: str) -> str:
    """A person the question names by a common noun (…的患者多大年纪, 送锦旗的老人是谁), not a colleague whose
    name an answer would give: '' when none."""
    for m in _NOUN_BEFORE_WH.finditer(question):
        noun = m.group(1)
        if is_person_word(noun) and noun not in _COLLEAGUES:
            return noun
    return ""
