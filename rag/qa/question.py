"""The typed question: what kind of answer is asked for (a department, a person, a date, a quantity in a
unit, a list, yes/no…), the role or attribute asked about, and the issues the question names."""

from __future__ import annotations

import re
from typing import get_args

from ..errors import QuestionError
from ..models import QType
from ..store import Archive, IssueRow, catalog
from ..text import chinese_int
from ..vocab import (
    COUNT_UNITS,
    INSTITUTION_SUFFIXES,
    ORGANISATION_NOUNS,
    QUANTITY_UNITS,
    ROLE_TITLES,
    TITLE_KINDS,
    is_body_or_lesion_word,
    is_common_word,
    is_measure_word,
    is_person_word,
    is_time_word,
    is_word,
    suffix_pattern,
    trim_department,
    word_tag,
)

# Order matters: the first type whose pattern matches wins.
QTYPE_PATTERNS: list[tuple[QType, re.Pattern[str]]] = [
    ("editor", re.compile(r"(主编|副主编|责编|责任编辑|编辑)(是谁|是哪位|有哪些|有谁|叫什么|都有谁|分别是)|谁.{0,4}(主编|责编|编辑)")),
    ("authored", re.compile(r"(写|撰写|发表|投|供稿|署名|执笔)(了|过)?.{0,8}(哪些|什么|几篇|多少篇|哪篇|哪几篇)|(哪些|几篇).{0,6}(稿件|文章).{0,4}(是|由).{0,8}(写|撰)")),
    ("pagelist", re.compile(r"第\s*[\d一二三四五六七八九十]{1,2}\s*版.{0,6}(哪些|什么|哪几篇|几篇)(文章|稿件|报道|内容)?|第\s*[\d一二三四五六七八九十]{1,2}\s*版.{0,4}(刊登|登|发表)了?(哪些|什么)")),
    ("where", re.compile(r"(哪一期|哪几期|哪些期|第几期|哪期|哪一版|第几版|哪个版面|哪版|刊登在|发表在|刊发在|刊载在|登在)")),
    ("published", re.compile(r"(哪天出版|出版日期|什么时候出版|何时出版|哪天出刊|出版于|哪一天出版|出版时间"
                             r"|(?:出版|出刊)(?:那天|当天|那一天|日)(?:是|对应)?(?:星期|周|礼拜|农历))")),
    ("department", re.compile(r"(哪个|哪一个|什么|哪家|哪些|哪一)(科室|部门|科|单位|病区)|(哪个|哪一个|哪支)团队")),
    ("person", re.compile(r"(谁|哪位|哪一位|什么人|姓名|作者|(医生|护士|主任|患者|老人|专家|人员|师|长|员)(叫什么|的名字))")),
    ("date", re.compile(r"(何时|什么时候|哪天|哪几天|哪一天|几月几日|几月几号|哪年|哪一年|什么时间|日期|几号|哪个月|几月份"
                        r"|几点|几时几分|什么时刻|哪个时刻)")),
    ("place", re.compile(r"在哪里|在哪儿|在哪(?![一个些位期版天年])|哪里|哪儿|什么地方|哪个地方|何地|何处|地点|(?:哪个|哪座|哪间|哪一个|什么)"
                         r"(?:会场|会议室|场馆|场所|场地|礼堂|大厅|报告厅|广场|楼|体育馆)")),
    # 几 and a classifier of the general table (几枚, 几幅, 几倍), not 哪几 (a list) nor 几乎
    ("number", re.compile(r"(多少|(?<!哪)几(?:" + "|".join(sorted(QUANTITY_UNITS, key=len, reverse=True)) + r")|多长|多久|多大|多重|多高|百分之|第几)")),
    ("list", re.compile(r"(哪些|哪几|哪[两二三四五六七八九十]|有什么|包括|包含|列举)")),
    ("yesno", re.compile(r"(是否|是不是|有没有|能否|可否|吗[？?！!。]*$|[，,](?:对吧|是吧|没错吧)[？?！!。]*$)")),
]
QTYPES: tuple[str, ...] = get_args(QType)

_ISSUE_NO = re.compile(r"(?:(\d{4})\s*年\s*)?第\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*期")
# What follows 第N期 when it names the newspaper's issue (第7期院报, 第4期中, 第7期第2版), not a session of an
# activity (第二期“某某”培训营, 沙龙第一期): the paper, a place in it, or the end of the phrase.
_PAPER_AFTER = re.compile(r"^(?:院报|报纸|报|中|里|上|第|头版|刊登|刊发|登|有哪些|是哪天|出版|[，,？?。]|$"
                          r"|的(?:院报|报纸|主编|副主编|责编|责任编辑|编辑|出版|头版|第))")
_PAPER_BEFORE = ("院报", "报纸", "总")
_PAGE_NO = re.compile(r"第\s*([\d一二三四五六七八九十]{1,2})\s*版")
# 总第226期, 总226期, and a bare number of three or more digits before 期 and the paper or a page (226期院报,
# 226期第4版): a year's issue numbers stay below 100, so such a number is the running total (not 举办100期)
_TOTAL_NO = re.compile(r"总\s*第?\s*(\d{1,5})\s*期|(?<![第\d])(\d{3,5})\s*期(?=\s*(?:院报|报纸|报|的院报|第))")
_WHAT = re.compile(
    r"(?:什么|哪种|哪一种|哪项|哪一项|何种|哪个|哪一个|哪家|哪所|哪支|哪座|哪部)([\u4e00-\u9fff]{1,4}?)"
    r"(?=[？?，,。]|$|是|呢|的|获|在|开展|完成|举办|获得|负责|承担|参加|主办|发起|通过|成为|收到|提出|修复|治疗)"
)
GENERIC_HEADS = frozenset(["内容", "名字", "名称", "事", "事情", "东西", "工作", "活动", "措施", "方式", "办法", "作用", "意义",
                           "情况", "问题", "样子", "特点", "做法"])
_HOW_MANY_ITEMS = re.compile(r"哪([两二三四五六七八九十\d]{1,2})")
_HOW_MANY = re.compile(r"(?:是|有|约|大约|大概|共|一共|总共|达|为)?(?:多少|几)")
_GE_NOUN = re.compile(r"(?:多少|几)个(周期|疗程|环节|模块|阶段|方面|步骤|批次|课时|学时)")
_DA_NOUN = re.compile(r"几大([\u4e00-\u9fff]{1,4}?)(?=[？?，,。]|$|是|分别|有|包括|呢)")
_Q_UNIT = re.compile(r"(?:多少|几)\s*(" + "|".join(QUANTITY_UNITS) + r")")
_ROLE_AFTER = ("", "是", "叫", "？", "?", "，", ",", "姓", "为", "由")
_ROLE_BEFORE = ("哪位", "位", "的", "谁是")
_QUALIFIER = re.compile(r"([\u4e00-\u9fff]{1,16}?" + suffix_pattern(INSTITUTION_SUFFIXES) + r")$")


# A statement asked to be confirmed (…，对吗？ / …是吗？ / …对不对？) with no question word before it is a yes/no
# question whatever its words (主持 would make it an editor question, 几项 a number one).
_CONFIRM_END = re.compile(r"[，,]\s*(对吗|是吗|对不对|是不是|是真的吗)[？?！!。]*$|(对不对|是吗|对吗)[？?！!。]*$")
_ASKS = re.compile(r"谁|哪|什么|多少|几|何时|怎么|如何")


def question_type(question: str, skip: str = "") -> QType:
    """哪个科室 → department, 谁 → person, 何时 → date, 多少 → number, 哪些 → list, 是否 → yesno, else open
    (the type skip names is passed over)."""
    m = _CONFIRM_END.search(question)
    if m and not _ASKS.search(question[: m.start()]):
        return "yesno"
    for name, pat in QTYPE_PATTERNS:
        if name == skip or name == "where" and _SESSION_ASKED.search(question) and not pat.search(
                _SESSION_ASKED.sub("", question)):  # 栏目更新到第几期: a count of sessions, not the paper's issue
            continue
        if pat.search(question) or name == "number" and _counts_with_classifier(question):
            return name
    return "open"


# 第几期 of something that runs in sessions: after a verb of going on (更新到第几期, 办到第几期) or before the noun
# it counts (第几期沙龙); not 第几期院报 or 登在第几期
_SESSION_ASKED = re.compile(r"(?:更新|办|举办|开展|进行|推出|播出|发布|录制)(?:到|至)了?第几期|第几期(?![院报中里上刊登的第])"
                            r"[\u4e00-\u9fff]")


def _counts_with_classifier(question: str) -> bool:
    """几 before a classifier that 词林 files as one but the unit table does not hold (几颗, 几首, 几只)."""
    return any(is_measure_word(m.group(1)) for m in re.finditer(r"(?<!哪)几([\u4e00-\u9fff])", question))


def validate_question(question: str, max_chars: int) -> str:
    """Strip the question, refusing an empty or oversized one."""
    q = (question or "").strip()
    if not q:
        raise QuestionError("the question is empty", "问题为空，请输入一个问题")
    if len(q) > max_chars:
        raise QuestionError(
            f"the question has {len(q)} characters; keep it under {max_chars}",
            f"问题过长（{len(q)} 字），请控制在 {max_chars} 字以内",
        )
    return q


def issues_named(archive: Archive, question: str) -> list[IssueRow]:
    """Issues the question names: 总第215期, 2026年第4期, 第7期 (looked up by key)."""
    found: list[IssueRow] = []
    for m in _TOTAL_NO.finditer(question):
        row = catalog.issue_row(archive.conn, int(m.group(1) or m.group(2)))
        found += [row] if row else []
    if not found:
        for m in _ISSUE_NO.finditer(question):
            if question[max(0, m.start() - 1): m.start()] == "总" or not names_the_paper(question, m):
                continue
            no = chinese_int(m.group(2))
            if no is None:
                continue
            year = int(m.group(1)) if m.group(1) else None
            found += catalog.issues_numbered(archive.conn, no, year)
    return list({i.total_no: i for i in found}.values())


def names_the_paper(question: str, m: re.Match[str]) -> bool:
    """Does this 第N期 name the newspaper's issue (a year before it, or the paper or a place in it around it),
    rather than a session of an activity (第二期培训营)?"""
    if m.group(1):
        return True
    before = question[: m.start()].rstrip()
    return before.endswith(_PAPER_BEFORE) or bool(_PAPER_AFTER.match(question[m.end():].lstrip()))


def page_named(question: str) -> int | None:
    """The page (版) a question names: 第2版 → 2."""
    m = _PAGE_NO.search(question)
    return chinese_int(m.group(1)) if m else None


def strip_issue_reference(question: str) -> str:
    """Remove 2026年第4期 / 总第215期 (and a following 院报/中/里) from the question, where they name the paper."""
    q = _TOTAL_NO.sub("", question)
    q = _ISSUE_NO.sub(lambda m: "" if names_the_paper(q, m) else m.group(0), q)
    return re.sub(r"^(?:的)?(?:院报)?(?:中|里|上)?[，,]?", "", q.strip()) or question


def what_head(question: str) -> str:
    """The noun a 什么/哪种 question asks for: 什么奖 → 奖, 哪种手术 → 手术 ('' for 什么内容); a kind of title
    asked as 的职务是什么 → 职务."""
    m = _WHAT.search(question) or _KIND_ASKED.search(question)
    if not m or m.group(1) in GENERIC_HEADS:
        return ""
    return m.group(1)


_KIND_ASKED = re.compile(rf"的({'|'.join(TITLE_KINDS)})(?:是|为)(?:什么|哪个|哪些)")


_ORGANISATION_ASKED = re.compile(r"(?:哪家|哪所|哪个|哪一家|哪一个|什么)[\u4e00-\u9fff]{0,4}?(" + "|".join(ORGANISATION_NOUNS) + ")")


def organisation_asked(question: str) -> str:
    """The noun by which the question asks for an organisation (哪家单位 → 单位, 哪所高校 → 高校, 哪家培训机构 →
    机构), '' when it asks for none."""
    m = _ORGANISATION_ASKED.search(question)
    return m.group(1) if m else ""


def asks_for_name(question: str) -> bool:
    """叫什么 / 什么名字 / 名称是: the answer is a title or a quoted name."""
    return bool(re.search(r"叫什么|什么名字|名称|题目|标题|名叫|主题|口号|理念|宗旨|称号", question))


def date_grain(question: str) -> str:
    """What a date question asks for: a time of day (几点), a day of the week (周几, 每周哪几天), a span of days
    (几号到几号), a day (哪天), a month (哪个月), a year (哪年), or any."""
    day = r"(?:几号|哪天|哪一天|几月几日|几月几号)"
    if re.search(r"几点|几时几分|什么时刻|哪个时刻", question):
        return "clock"
    if re.search(r"(?:周|星期|礼拜)(?:几|哪)|每周.{0,3}哪", question):
        return "weekday"
    if re.search(rf"{day}.{{0,2}}(?:到|至){day}|起止|哪几天|从哪天", question):
        return "range"
    if re.search(r"哪天|哪一天|几月几日|几月几号|几号|日期", question):
        return "day"
    if re.search(r"哪个月|几月份|几月", question):
        return "month"
    if re.search(r"哪年|哪一年|什么年份|几几年", question):
        return "year"
    return ""


_CHANGED = re.compile(r"(?:增加|减少|下降|降低|提高|提升|上升|增长|缩短|延长|少|多)了?$")


def counted_inside(question: str) -> str:
    """The separable verb whose object the question counts (献了多少血 → 献血, 住了几天院 → 住院), or '': the paper
    prints the quantity after the whole word (献血400毫升), so the word is what the answer stands by."""
    m = _INSIDE.search(question)
    if not m or m.group(1) in "是有为" or not word_tag(m.group(1)).startswith("v") or is_measure_word(m.group(2)):
        return ""  # 有多少人, 奖几项: a copula or a noun before, a classifier after
    return m.group(1) + m.group(2) if is_word(m.group(1) + m.group(2)) else ""


_INSIDE = re.compile(r"([\u4e00-\u9fff])[了过]?(?:多少|几)[个次天回趟场顿]?([\u4e00-\u9fff])(?=[？?，,。！!]|呢|吗|啊|$)")


def number_attribute(question: str, words: list[str]) -> str:
    """The noun a unit-less 多少 question asks about (门诊量是多少 → 门诊量; 出了多少血 → 出血), or ''."""
    m = _HOW_MANY.search(question)
    if not m:
        return ""
    if inside := counted_inside(question):
        return inside
    after = re.match(r"[\u4e00-\u9fff]+", question[m.end():])
    if after:  # the thing asked for stands right after 多少
        pos = 0
        for w in words:
            if pos == m.end():
                return w if w.startswith(after.group(0)[:1]) and not re.search(r"[的了是在有约]", w) else ""
            pos += len(w)
    # 排队的人少了多少: the thing that changed stands before the verb of change (出血量大概有多少: not 大概)
    prefix = _HEDGES.sub("", _CHANGED.sub("", question[: m.start()]))
    pos, last = 0, ""
    for w in words:
        pos += len(w)
        if pos > len(prefix):
            break
        if len(w) >= 2 and not re.search(r"[的了是在有约]", w):
            last = w
    return last


def counted_noun(question: str, unit: str, tags: list[tuple[str, str]]) -> str:
    """The noun a question counts, right after the asked unit (测量了多少人次心率 → 心率; 几台呼吸机 → 呼吸机; 多少人次肺功能 → 肺功能; 多少台次三级手术 → 三级手术),
    which the answer's sentence must print: a count of another thing beside it is a near miss. '' when none
    follows or it is not a noun of two or more characters."""
    m = re.search(r"(?:多少|几)" + re.escape(unit), question) if unit and len(unit) <= 3 else None
    if not m:
        return ""
    pos, run = 0, list[tuple[str, str]]()
    for word, flag in tags:
        if pos >= m.end():
            if not flag.startswith(("n", "m", "b", "a")) or len(run) == 2:
                break
            run.append((word, flag))
        pos += len(word)
    if not run:
        return ""
    first, flag = run[0]
    if flag.startswith("n") and len(first) >= 2:
        return first
    # a modifier or a single character before the noun: 四级+手术, 肺+功能
    noun = first + run[1][0] if len(run) == 2 and run[1][1].startswith("n") else ""
    return noun if len(noun) >= 2 else ""


def list_count(question: str) -> int | None:
    """How many items a list question asks for: 哪三个 → 3, 哪四大模块 → 4 (None when it does not say)."""
    m = _HOW_MANY_ITEMS.search(question)
    return chinese_int(m.group(1)) if m else None


def question_unit(question: str) -> str:
    """The unit a number question asks for (几根 → 根), 'time' or 'length' for 多久/多长, or ''."""
    q = question
    if re.search(r"多少钱|几块钱|(费用|花费|价格|金额|资金|投资|经费|奖金).{0,4}(是)?多少|多少(费用|资金|经费)", q):
        return "元"
    if re.search(r"多长时间|多久|多少时间|多长的时间|(用时|历时|耗时|用了|花了|持续|为期)(多少|几)"
                 r"(?:时间|天|日|年|个?月|个?小时|钟头|分钟|分|秒|周|个?星期|[？?，,。]|$)", q):  # not 用了几个夹子
        return "time"
    if re.search(r"多重|多沉|(?:体重|重量)[^，,？?。]{0,3}(?:多少|几)", q):
        return "weight"
    if m := re.search(r"多高|多大(?!了|年纪|年龄|岁)", q):
        if (size := _size_asked(q[: m.start()], m.group(0))) is not None:
            return size
    if re.search(r"多长|多宽|多高|多远|多深", q):
        return "length"
    if re.search(r"多大|几岁|多少岁|年龄|年纪|岁数|享年", q):
        return "岁"
    if re.search(r"(率|比例|占比|百分比).{0,3}(是)?多少", q):
        return "%"
    if re.search(r"(?:几|多少)个人(?!次)", q):  # 几个人: a count of people (一行5人)
        return "人"
    if (m := re.search(r"(?:几|多少)个?([\u4e00-\u9fff]{2,4})", q)) and not _classifier(m.group(1)[0]) and any(
            is_person_word(m.group(1)[:k]) for k in range(len(m.group(1)), 1, -1)):
        return "人"  # 多少(个)新生儿, 几个助产士: people, printed 38名 or 7人
    m = _GE_NOUN.search(q)
    if m:  # 几个周期, 多少个环节: the noun after 个 is the unit printed (3个周期)
        return "个" + m.group(1)
    m = _DA_NOUN.search(q)
    if m:  # 几大模块: the answer is printed 五大重点模块, the noun a few characters after 大
        return "大" + m.group(1)
    m = _Q_UNIT.search(q)
    if m:
        return m.group(1)
    # a unit we do not list (公里, 斤): nothing else will do; a thing (出了多少血) is no unit
    m = re.search(r"(?:多少|几)\s*([\u4e00-\u9fff])([\u4e00-\u9fff]?)", q)
    if not m or m.group(1) in "个位":
        return ""
    two = m.group(1) + m.group(2)
    return two if len(two) == 2 and is_measure_word(two) else m.group(1) if is_measure_word(m.group(1)) else ""


def _classifier(char: str) -> bool:
    """A classifier in 词林 or in the units the paper counts in (名, which 词林 files only as a name)."""
    return char in COUNT_UNITS or is_measure_word(char)


_HEDGES = re.compile(r"(?:大概|大约|大致|究竟|到底|今年|现在|目前|当时|那时|如今|约|能|会|有|是|得|的|都|一共|共)+$")
_MEASURED_ENDS = ("度", "压", "值", "率", "量", "数", "价", "金", "费", "指数", "水平")


def _size_asked(before: str, asked: str) -> str | None:
    """What 多大 / 多高 asks, by the noun it is said of (the longest ending before it that 词林 holds, or that ends
    like a measured attribute): a measured attribute's (浓度多高, 血压多高, 分数多高) is any quantity (''); a
    thing's 多大 (切口多大, 面积多大) is a size ('size'). None when the noun is a person, a time or unknown (老周多大
    stays an age, 孩子多高 a height)."""
    head = _HEDGES.sub("", before)
    if re.search(r"(?:年纪|年龄|岁数)$", head):
        return None
    noun = next((head[-k:] for k in (4, 3, 2) if len(head) >= k and re.fullmatch(r"[\u4e00-\u9fff]+", head[-k:])
                 and (is_common_word(head[-k:]) or head[-k:].endswith(_MEASURED_ENDS))), "")
    if not noun and head and is_body_or_lesion_word(head[-1]):  # 肝血管瘤多大: a lesion 词林 holds only as 瘤
        noun = head[-1]
    if not noun or is_person_word(noun) or is_time_word(noun):
        return None
    if noun.endswith(_MEASURED_ENDS) and not noun.endswith(("长度", "高度", "深度", "宽度")):
        return ""
    return "size" if asked == "多大" else None


def question_role(question: str) -> str:
    """The role a person question asks about (院长是谁, 哪位副院长, 科室的主任): the longest, and of equal
    length the last one (Chinese puts the head noun last: 主管护士 is a 护士); a role word inside another
    word (护士节) does not count."""
    found = []
    for role in ROLE_TITLES:
        for m in re.finditer(re.escape(role), question):
            after = question[m.end(): m.end() + 1]
            before = question[max(0, m.start() - 2): m.start()]
            if after in _ROLE_AFTER or before.endswith(_ROLE_BEFORE):
                found.append((len(role), m.start(), role))
    return max(found)[2] if found else ""


def role_qualifier(question: str, role: str, known_units: set[str], publications: frozenset[str]) -> str:
    """The unit that qualifies the role asked about (烧伤整形科主任 → 烧伤整形科), if the question names one."""
    head = question[: question.find(role)] if role and role in question else ""
    head = head.rstrip("的")
    units = sorted((u for u in known_units if head.endswith(u)), key=len, reverse=True)
    if units:
        return units[0]
    m = _QUALIFIER.search(head)
    return trim_department(m.group(1), publications) if m else ""
