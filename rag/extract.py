"""Question typing and short-answer extraction from evidence sentences (no LLM)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import cn_numerals_to_digits

# Order matters: the first type whose pattern matches wins.
QTYPE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("editor", re.compile(r"(主编|副主编|责编|责任编辑|编辑)(是谁|是哪位|有哪些|有谁|叫什么|都有谁|分别是)|谁.{0,4}(主编|责编|编辑)")),
    ("authored", re.compile(r"(写了|撰写了?|发表了|投了|供稿了?|署名).{0,8}(哪些|什么|几篇|多少篇)|(哪些|几篇).{0,6}(稿件|文章).{0,4}(是|由).{0,8}(写|撰)")),
    ("where", re.compile(r"(哪一期|第几期|哪期|哪一版|第几版|哪个版面|哪版|刊登在|发表在|刊发在|刊载在|登在)")),
    ("published", re.compile(r"(哪天出版|出版日期|什么时候出版|何时出版|哪天出刊|出版于|哪一天出版|出版时间)")),
    ("department", re.compile(r"(哪个|哪一个|什么|哪家|哪些|哪一)(科室|部门|科|单位|病区)|(哪个|哪一个|哪支)团队")),
    ("person", re.compile(r"(谁|哪位|哪一位|什么人|姓名|作者|(医生|护士|主任|患者|老人|专家|人员|师|长|员)(叫什么|的名字))")),
    ("date", re.compile(r"(何时|什么时候|哪天|哪一天|几月几日|几月几号|哪年|哪一年|什么时间|日期|几号|哪个月|几月份)")),
    ("number", re.compile(r"(多少|几[个名例根天年岁次项家所位台件条种周月人篇大届期轮组块]|几分钟|几小时|多长|多久|多大|多重|多高|百分之|第几)")),
    ("list", re.compile(r"(哪些|哪几|有什么|包括|包含|列举)")),
    ("yesno", re.compile(r"(是否|是不是|有没有|能否|可否|吗[？?！!。]*$)")),
]

DEPT_SUFFIX = r"(?:内科|外科|科|部|中心|病区|室)"
_DEPT_RE = re.compile(r"[\u4e00-\u9fff]{1,9}?" + DEPT_SUFFIX)
_NOT_DEPT = re.compile(r"^(我|本|该|各|全|此|两|多|学|专|本科|内科|外科|学科|科室|部门|全院|各科|临床科|相关科|医技科|职能部)")
_DATE_RE = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{4}年(?:初|末|底|起)?|\d{1,2}月(?:初|中旬|下旬|底)?"
)
_UNITS = ("分钟|小时|个月|个日夜|个|名|例|根|天|年|岁|次|项|家|所|位|台|件|条|种|周|月|人|篇|届|期|组|块|毫米|厘米|米|"
          "毫升|ml|mL|公斤|千克|克|%|％|万|余人|余名|日夜|床|张|元|分|大|幅|处|批|轮|场|支|座|层|倍|公里|千米")
_NUMBER_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:余|多)?\s*(" + _UNITS + r")(?:多|余)?")
_Q_UNIT = re.compile(r"(?:多少|几)\s*(" + _UNITS + r")")
_TIME_UNITS = {"分钟", "小时", "天", "周", "个月", "月", "年", "日夜", "个日夜"}
_LENGTH_UNITS = {"毫米", "厘米", "米", "公里", "千米"}
_PERSON_ROLE = re.compile(
    r"(?:主任医师|主治医师|主诊医师|副主任|主任|护士长|医师|护士|主管|院长|书记|负责人|主席|局长|团长|部长|助理|代表)"
    r"([\u4e00-\u9fff]{2,3}?)(?=[主介表指强团致出发宣就对带说等、，,。；;和与作在同佩陪深率走握组]|$)"
)
NOT_NAMES = frozenset(
    ["团队", "医生", "护士", "患者", "专家", "主任", "医师", "家属", "老人", "同志", "代表", "大家", "我们", "他们", "她们", "同时", "一起", "带领", "负责", "相关", "科室", "全院", "全体", "医护", "共同", "亲自", "专程", "主讲", "主持", "介绍", "表示", "指出", "强调", "在提升", "强临床", "业务", "主诊", "党委", "副主任", "主任医师", "医院", "院长", "书记", "护士长", "患者家属", "工作人员", "医务人员"]
)


SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜"
    "倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁"
    "蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾"
    "隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝班原"
)


def is_tagged_name(word: str) -> bool:
    """A name jieba's tagger proposes, kept when it starts with a common surname."""
    return is_plausible_name(word) and word[0] in SURNAMES and len(word) <= 3


def is_plausible_name(word: str) -> bool:
    """A 2–4 character Chinese personal name, not a common word or a unit's name."""
    return (2 <= len(word) <= 4 and word not in NOT_NAMES and word[-1] not in "科部院室们队组会委任诊务长师"
            and not word.startswith(("在", "由", "对", "为", "和", "与", "强", "将")))


_WHAT = re.compile(
    r"(?:什么|哪种|哪一种|哪项|哪一项|何种|哪个|哪一个|哪家|哪所|哪支|哪座|哪部)([\u4e00-\u9fff]{1,4}?)"
    r"(?=[？?，,。]|$|是|呢|的|获|在|开展|完成|举办|获得|负责|承担|参加|主办|发起|通过|成为|收到|提出|修复|治疗)"
)
_PHRASE_STOP = ("实施", "开展", "完成", "采用", "获得", "荣获", "获", "为", "了", "是", "的", "入选", "成为", "通过", "选择",
                "决定", "进行", "举办", "召开", "启动", "作为", "被誉为")


GENERIC_HEADS = frozenset(["内容", "名字", "名称", "事", "事情", "东西", "工作", "活动", "措施", "方式", "办法", "作用", "意义", "情况", "问题", "样子", "特点", "做法"])
_NAMED = re.compile(r"《[^》]{1,40}》|“[^”]{2,30}”")


def what_head(question: str) -> str:
    """The noun a 什么/哪种 question asks for: 什么奖 → 奖, 哪种手术 → 手术 ('' for 什么内容)."""
    m = _WHAT.search(question)
    if not m or m.group(1) in GENERIC_HEADS:
        return ""
    return m.group(1)


def asks_for_name(question: str) -> bool:
    """叫什么 / 什么名字 / 名称是: the answer is a title or a quoted name."""
    return bool(re.search(r"叫什么|什么名字|名称|题目|标题|名叫|主题|口号|理念|宗旨|称号", question))


def named_spans(sentence: str) -> list[Span]:
    """Titles and quoted names in a sentence: 《迷雾中的平衡——…》, “紫薇花”."""
    return [Span(m.group(0).strip("《》“”"), m.start()) for m in _NAMED.finditer(sentence)]


def phrases_ending_with(sentence: str, head: str) -> list[Span]:
    """Noun phrases of the sentence that end with the head noun (优秀奖, 激光前列腺气化手术), trying the
    head's first or last two characters when the whole head is not printed (激光技术 → 技术)."""
    for h in dict.fromkeys([head, head[:2], head[-2:]]):
        found = _phrases(sentence, h)
        if found:
            return found
    return []


def _phrases(sentence: str, head: str) -> list[Span]:
    out = []
    for m in re.finditer(re.escape(head), sentence):
        end = m.end()
        start = m.start()
        while start > 0 and start > end - 18:
            ch = sentence[start - 1]
            if not (ch.isalnum() or ch in "“”《》·-+（）()/"):
                break
            if any(sentence[:start].endswith(w) for w in _PHRASE_STOP):
                break
            start -= 1
        # 术式——某某皮瓣移植术: what follows a dash or colon names the thing itself
        apposition = re.match(r"(?:——|：|:)([^，,。；;！？!?、]{2,30})", sentence[end:])
        if apposition:
            out.append(Span(apposition.group(1).strip("“”"), end + 2))
            continue
        phrase = sentence[start:end].strip("“”")
        if len(phrase) > len(head) and not phrase.startswith(("这", "那", "该", "此", "其", "它")):
            out.append(Span(phrase, start))
    return out


def question_type(question: str) -> str:
    """哪个科室 → department, 谁 → person, 何时 → date, 多少 → number, 哪些 → list, 是否 → yesno, else open."""
    for name, pat in QTYPE_PATTERNS:
        if pat.search(question):
            return name
    return "open"


@dataclass(frozen=True)
class Span:
    """A candidate answer inside a sentence."""

    text: str
    start: int


def departments(sentence: str, known: set[str]) -> list[Span]:
    """Department names in a sentence: the archive's known departments first, then by suffix."""
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(known, key=len, reverse=True):
        for m in re.finditer(re.escape(name), sentence):
            if not any(a <= m.start() < b for a, b in taken):
                spans.append(Span(name, m.start()))
                taken.append((m.start(), m.end()))
    if not spans:  # units the archive does not know yet, by their suffix
        for m in _DEPT_RE.finditer(sentence):
            text = _trim_department(m.group(0))
            start = m.end() - len(text)
            if len(text) >= 3 and not _NOT_DEPT.match(text) and not text.startswith(("它", "这", "那", "其", "该")):
                spans.append(Span(text, start))
    spans.sort(key=lambda s: s.start)
    # 血液内科/中医科/老年科: units the archive does not know yet, joined by "/" to one it knows
    grown = []
    for sp in spans:
        start = sp.start
        while start > 0 and sentence[start - 1] == "/":
            unit = re.search(r"([\u4e00-\u9fff]{1,8}?(?:内科|外科|科|部|中心|室))$", sentence[: start - 1])
            if not unit:
                break
            start = unit.start(1)
        grown.append(Span(sentence[start: sp.start + len(sp.text)], start))
    spans = grown
    merged: list[Span] = []
    for s in spans:  # 血液内科/中医科/老年科 is one unit's name
        if merged and sentence[merged[-1].start + len(merged[-1].text): s.start] == "/":
            merged[-1] = Span(f"{merged[-1].text}/{s.text}", merged[-1].start)
        else:
            merged.append(s)
    return merged


def trim_department(text: str) -> str:
    """晋城大医院妇科 → 妇科: a unit's name without the hospital's name before it."""
    return _trim_department(text)


_DEPT_LEADS = ("无论是", "还是", "或是", "就是", "进了", "来到", "走进", "代表", "院长助理", "长助理", "助理", "晋城大医院",
               "我院", "医院", "院", "是", "在", "由", "和", "与", "的", "及", "为", "到", "、", "了")


def _trim_department(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for lead in _DEPT_LEADS:
            if text.startswith(lead) and len(text) > len(lead) + 1:
                text = text[len(lead):]
                changed = True
    return "" if text in ("晋城大医院", "医院", "我院", "本院") else text


def persons(sentence: str, known: set[str], tagged: list[tuple[str, int]] = ()) -> list[Span]:  # type: ignore[assignment]
    """Names in a sentence: known people of the archive, names next to a role (主任王霞霞), and names
    jieba's tagger recognises (a name no byline or role phrase gave)."""
    spans: list[Span] = [Span(n, p) for n, p in tagged if is_tagged_name(n)]
    for name in known:
        for m in re.finditer(re.escape(name), sentence):
            if not any(s.start == m.start() for s in spans):
                spans.append(Span(name, m.start()))
    for m in _PERSON_ROLE.finditer(sentence):
        name = m.group(1)
        if not any(s.text == name for s in spans) and is_plausible_name(name):
            spans.append(Span(name, m.start(1)))
    return sorted(spans, key=lambda s: s.start)


def dates(sentence: str, grain: str = "") -> list[Span]:
    """Dates as printed: 2026年1月12日, 3月20日, 2024年5月, 2005年; grain 'day' keeps those with a day,
    'year' those with a year, 'month' those with a month."""
    out = [Span(m.group(0), m.start()) for m in _DATE_RE.finditer(sentence)]
    if grain == "day":
        out = [s for s in out if "日" in s.text]
    elif grain == "year":
        out = [s for s in out if "年" in s.text]
    elif grain == "month":
        out = [s for s in out if "月" in s.text]
    return out


def date_grain(question: str) -> str:
    """What a date question asks for: a day (哪天), a month (哪个月), a year (哪年), or any."""
    if re.search(r"哪天|哪一天|几月几日|几月几号|几号|日期", question):
        return "day"
    if re.search(r"哪个月|几月份|几月", question):
        return "month"
    if re.search(r"哪年|哪一年|什么年份|几几年", question):
        return "year"
    return ""


_HOW_MANY = re.compile(r"(?:是|有|约|大约|大概|共|一共|总共|达|为)?(?:多少|几)")


def number_attribute(question: str, words: list[str]) -> str:
    """The noun a unit-less 多少 question asks about (门诊量是多少 → 门诊量), or ''."""
    m = _HOW_MANY.search(question)
    if not m:
        return ""
    prefix = question[: m.start()]
    pos, last = 0, ""
    for w in words:
        pos += len(w)
        if pos > len(prefix):
            break
        if len(w) >= 2 and not re.search(r"[的了是在有约]", w):
            last = w
    return last


def question_unit(question: str) -> str:
    """The unit a number question asks for (几根 → 根), or '' if none."""
    q = question
    if re.search(r"多长时间|多久|多少时间|多长的时间", q):
        return "time"
    if re.search(r"多长|多宽|多高|多远|多深", q):
        return "length"
    if re.search(r"多大|几岁|多少岁", q):
        return "岁"
    if re.search(r"(率|比例|占比|百分比).{0,3}(是)?多少", q):
        return "%"
    m = _Q_UNIT.search(q)
    if m:
        return m.group(1)
    m = re.search(r"(?:多少|几)\s*([\u4e00-\u9fff])", q)  # a unit we do not list (公里): nothing else will do
    return m.group(1) if m and m.group(1) not in "个位" else ""


def numbers(sentence: str, unit: str = "") -> list[Span]:
    """Quantities with their unit (二十分钟 is read as 20分钟), filtered by the unit asked for."""
    out = []
    for m in _NUMBER_RE.finditer(sentence):
        u = m.group(2)
        if unit == "time" and u not in _TIME_UNITS:
            continue
        if unit == "length" and u not in _LENGTH_UNITS:
            continue
        if unit and unit not in ("time", "length") and not (u == unit or u.endswith(unit) or unit.endswith(u)):
            continue
        if unit == "%" and u not in ("%", "％"):
            continue
        if not unit and u in ("年", "月", "日"):  # a date is not a quantity (多少年 names its unit)
            continue
        start = m.start()
        if start > 0 and sentence[start - 1] == "第":
            start -= 1
        out.append(Span(sentence[start: m.end()].replace(" ", ""), start))
    return out


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
        out.append(Span(printed or span.text, sentence.find(printed) if printed else span.start))
    return out


def _printed_form(original: str, digit_text: str) -> str:
    for length in range(1, min(len(original), len(digit_text) + 8) + 1):
        for i in range(len(original) - length + 1):
            piece = original[i: i + length]
            if cn_numerals_to_digits(piece) == digit_text:
                return piece
    return ""


_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?、]")


def closest(spans: list[Span], anchors: list[tuple[int, float]], sentence: str, exclude: str = "") -> Span | None:
    """The candidate in the clause holding the most question weight, nearest to the question's words (never
    one the question itself names)."""
    pool = [s for s in spans if not (exclude and s.text in exclude)]
    if not pool:
        return None
    if not anchors:
        return pool[0]
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sentence)]

    def clause(pos: int) -> int:
        return sum(1 for b in breaks if b < pos)

    per_clause: dict[int, float] = {}
    for pos, weight in anchors:
        per_clause[clause(pos)] = per_clause.get(clause(pos), 0.0) + weight
    return min(pool, key=lambda s: (-per_clause.get(clause(s.start), 0.0),
                                    min(abs(s.start - a) for a, _ in anchors), s.start))


ROLES = (
    "党委书记", "纪委书记", "院长助理", "副院长", "院长", "副主任医师", "主任医师", "业务副主任", "副主任", "主任", "护士长",
    "主诊医师", "主治医师", "医师", "护士", "主管", "负责人", "局长", "团长", "书记", "工会主席", "主席", "主编", "副主编",
)


def question_role(question: str) -> str:
    """The role a person question asks about (院长是谁, 哪位副院长, 科室的主任), longest first; a role word
    inside another word (护士节) does not count."""
    for role in sorted(ROLES, key=len, reverse=True):
        for m in re.finditer(re.escape(role), question):
            after = question[m.end(): m.end() + 1]
            before = question[max(0, m.start() - 2): m.start()]
            if after in ("", "是", "叫", "？", "?", "，", ",", "姓", "为", "由") or before.endswith(("哪位", "位", "的", "谁是")):
                return role
    return ""


def role_qualifier(question: str, role: str, known_units: set[str]) -> str:
    """The unit that qualifies the role asked about (烧伤整形科主任 → 烧伤整形科), if the question names one."""
    head = question[: question.find(role)] if role and role in question else ""
    head = head.rstrip("的")
    units = sorted((u for u in known_units if head.endswith(u)), key=len, reverse=True)
    if units:
        return units[0]
    m = re.search(r"([\u4e00-\u9fff]{1,8}(?:内科|外科|科|部|中心|分院|医院|病区|室))$", head)
    return _trim_department(m.group(1)) if m else ""


def persons_in_role(sentence: str, role: str, known: set[str], tagged: list[tuple[str, int]] = ()) -> list[Span]:  # type: ignore[assignment]
    """Names printed right after (院长薛伟民) or before (霍洁主任) the role asked about — not after a
    deputy's title (副院长李雪琴) unless a deputy is asked for."""
    out: list[Span] = []
    for m in re.finditer(re.escape(role), sentence):
        if not role.startswith("副") and sentence[max(0, m.start() - 1): m.start()] == "副":
            continue
        end = m.end()
        chain = re.match(r"(?:、[\u4e00-\u9fff]{1,12}?(?:负责人|主任|主席|书记|院长|部长|组长|委员|代表|护士长))+", sentence[end:])
        if chain:
            end += chain.end()
        after = sentence[end: end + 4]
        names = sorted((n for n in known | {t for t, p in tagged if p == end} if after.startswith(n)),
                       key=len, reverse=True)
        if names:
            out.append(Span(names[0], end))
            continue
        am = re.match(r"([\u4e00-\u9fff]{2,3}?)(?=[主介表指强团致出发宣就对带说等、，,。；;和与作在同佩陪深率走握组]|$)", after + " ")
        if am and is_plausible_name(am.group(1)):
            out.append(Span(am.group(1), end))
            continue
        before = sentence[max(0, m.start() - 4): m.start()]
        names = sorted((n for n in known if before.endswith(n)), key=len, reverse=True)
        if names:
            out.append(Span(names[0], m.start() - len(names[0])))
    return out
