"""Chinese text handling shared by ingest and retrieval: normalisation, sentences, jieba tokens."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jieba
from opencc import OpenCC

from .vocab import QUANTITY_UNITS, ROLE_TITLES

_SENTENCE = re.compile(r"[^。！？!?；;…\n]*(?:[。！？!?；;]+|…+|\n|$)[”’」』）)]*")
_LATIN_TERM = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-/+][A-Za-z0-9]+)*")
_PUNCT_ONLY = re.compile(r"^[\W_]+$")
_SPACES = re.compile(r"\s+")
# A word jieba's dictionary counts this often in general Chinese is an everyday word, even when it can be a name
# (陆军, 文明): a person named so by the paper still shows, through a byline or a role.
NAME_MAX_FREQ = 1000
# a unit's name (…科, …部, …室, …中心), then a name of two or three characters (the longer first), then a verb of
# winning or a list mark
_UNIT_THEN_NAME = re.compile(r"(?<=[\u4e00-\u9fff])(?:科|部|室|中心|病区)([\u4e00-\u9fff]{2,3})(?=获|荣获|、|，|,|和|与|等)")
# Chinese numerals one character for one digit (三等奖 → 3等奖), so places in the text stay put; 二十 becomes
# 2十, so only single digits match this way (cn_numerals_to_digits reads whole numbers, changing lengths)
NUMERAL_DIGITS: dict[int, int] = str.maketrans("〇零一二三四五六七八九两", "001234567892")
_CN_NUM = re.compile(r"[零〇一二两三四五六七八九十百千万]+")

# Words that carry no meaning for keyword search: question words and particles.
STOPWORDS = frozenset(
    ["的", "了", "是", "在", "和", "与", "及", "或", "也", "都", "而", "并", "被", "把", "对", "为", "以", "于", "从", "由", "向", "将", "这", "那", "其", "之", "个", "位", "名", "项", "次", "吗", "呢", "吧", "啊", "呀", "么", "什么", "哪个", "哪些", "哪位", "哪里", "哪儿", "哪", "谁", "何时", "何", "几", "多少", "怎么", "怎样", "如何", "为什么", "是否", "有没有", "是不是", "请问", "一下", "了吗", "是谁", "有", "有哪些", "哪一", "哪一个", "哪一年", "哪天", "哪年", "时候", "什么时候", "多久", "多长", "第几", "我院", "院报", "报道", "提到", "文章", "中", "里", "上", "请", "告诉", "我", "你", "他", "她", "它", "们", "我们", "他们", "这个", "那个", "这些", "那些", "一", "二", "上面", "期间", "进行", "开展", "一个"]
)


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (opencc), loaded on first use."""
    return str(_opencc().convert(text))


@lru_cache(maxsize=1)
def _opencc() -> OpenCC:
    return OpenCC("t2s")


# what makes 一 or 两 a number: a one-character classifier of the unit table, or 小(时)/日 (一小时, 一日)
_ONE_TWO_BEFORE = frozenset(u for u in QUANTITY_UNITS if len(u) == 1 and u not in "大万%％") | set("小日")


@lru_cache(maxsize=256)
def word_ends(sentence: str) -> frozenset[int]:
    """Where the words of the sentence end, by jieba's own dictionary (no HMM)."""
    ends, pos = set(), 0
    for word in jieba.lcut(sentence, HMM=False):
        pos += len(word)
        ends.add(pos)
    return frozenset(ends)


def cn_numerals_to_digits(text: str) -> str:
    """二十分钟 → 20分钟, 两例 → 2例 (numbers only; words such as 一起 are left alone)."""
    import cn2an

    def repl(m: re.Match[str]) -> str:
        s = m.group(0)
        if len(s) == 1 and s in "一两":
            nxt = text[m.end(): m.end() + 1]
            # 一 and 两 are numbers before a classifier of the unit table (两幅, 一枚), words elsewhere (一起, 两者)
            if not nxt or nxt not in _ONE_TWO_BEFORE:
                return s
        try:
            return str(cn2an.cn2an(s.replace("两", "二").replace("〇", "零"), "smart"))
        except (ValueError, KeyError):
            return s

    return _CN_NUM.sub(repl, text)


# 一 + a classifier as the indefinite article, not a count: after a demonstrative (这一天, 有一次; not 共有一名), or, for a
# classifier of things and people, before the noun it introduces (一名58岁患者, 一场体育竞技, 一处病变); 住了一天就,
# 一名， and 只生一个蛋 are counts.
_DEMONSTRATIVE = re.compile(r"(?:[这那某每同哪]|(?<![共只仅还])有)$")
_HOW_MANY = re.compile(r"[只仅才共约近][\u4e00-\u9fff]?$")
_AFTER_A_COUNT = set("就才便后前内里来多半左余以起都也又还即次时")


def indefinite_one(sentence: str, printed: str, at: int) -> bool:
    """Is the printed 一 + classifier (一名, 一天) at `at` in the sentence an indefinite article (a, an)?"""
    if len(printed) != 2 or printed[0] != "一":
        return False
    if _DEMONSTRATIVE.search(sentence, 0, at):
        return True
    if _HOW_MANY.search(sentence, 0, at):  # 只生一个蛋, 仅一名: after a word of how many
        return False
    nxt = sentence[at + 2: at + 3]
    return printed[1] not in "天周年月" and bool(nxt) and (nxt.isdigit() or "\u4e00" <= nxt <= "\u9fff"
                                                         and nxt not in _AFTER_A_COUNT)


_TIMES = re.compile(r"\s*[×xX*＊]\s*")
_BARE_FACTOR = re.compile(r"\d+(?:\.\d+)?\s*[×xX*＊]\s*$")


def joined_dimensions(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lengths printed as one size (2.5厘米×1.8厘米, 2.5×1.8厘米): the (start, end) spans joined where × stands
    between them or before a bare number, so that a size is one quantity."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        bare = _BARE_FACTOR.search(sentence[:start])
        if out and _TIMES.fullmatch(sentence[out[-1][1]: start]):
            out[-1] = (out[-1][0], end)
        else:
            out.append((bare.start() if bare else start, end))
    return out


_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def chinese_int(text: str) -> int | None:
    """'3', '三', '十二', '二十一' as an int; None when the text is not a number below 100."""
    if text.isdigit():
        return int(text)
    tens, sep, ones = text.partition("十")
    if not sep:
        return _CN_DIGIT.get(text) if len(text) == 1 else None
    high = 1 if not tens else _CN_DIGIT.get(tens)
    low = 0 if not ones else _CN_DIGIT.get(ones)
    if high is None or low is None or len(tens) > 1 or len(ones) > 1:
        return None
    return high * 10 + low


def normalize(text: str, numerals: bool = True) -> str:
    """The form text is compared in: NFKC width, lower case, simplified, digits for numerals, no spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        text = to_simplified(text)
    if numerals:
        text = cn_numerals_to_digits(text)
    return _SPACES.sub("", text)


def split_sentences(text: str) -> list[str]:
    """Whole sentences of a paragraph, closing punctuation and quotes kept."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


_HEADING = re.compile(r"^[^\s，,。！？!?；;：:、（）()“”]{2,12}$")  # 甲组, 优秀医生: a short line with no punctuation
_ROW = re.compile(r"^[^。！？!?；;：:，,]{2,30}$")  # 第二名 眼科代表队, 李四 药学部: a short line, no sentence in it


def table_rows(paragraphs: list[str]) -> list[str]:
    """The paragraphs with each row of a printed table or list of results read under its heading: in
    甲组 / 第一名 A队 / 第二名 B队, the row 第二名 B队 becomes 甲组 第二名 B队 (its heading line stays as it is).
    A heading is a short line without punctuation, followed by rows; a row is a short line without a sentence
    in it (a name and its unit, a place and its winner)."""
    out: list[str] = []
    heading, spaced = "", False
    for i, p in enumerate(paragraphs):
        text = p.strip()
        nxt = paragraphs[i + 1].strip() if i + 1 < len(paragraphs) else ""
        if heading and _ROW.match(text) and not (spaced and " " not in text and _HEADING.match(text)):
            out.append(f"{heading} {text}")
            spaced = spaced or " " in text
            continue
        if _HEADING.match(text) and nxt and _ROW.match(nxt):  # a heading; under spaced rows, an unspaced line is one
            heading, spaced = text, False
        else:
            heading = ""
        out.append(p)
    return out


def latin_terms(text: str) -> list[str]:
    """Latin-script terms such as Endo-PLIF, ILD, HPV/TCT (2+ characters)."""
    return [t for t in _LATIN_TERM.findall(text) if len(t) >= 2]


# titles printed right after a name (某某教授, 某某主任)
_TITLES_AFTER = (*ROLE_TITLES, "教授", "医生", "专家", "老师", "博士", "研究员")
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]+$")

class Tokenizer:
    """jieba with the archive's own dictionary (departments, people, procedure names), case-insensitive."""

    def __init__(self, words: Iterable[str] = (), cache_dir: Path | None = None) -> None:
        self._jieba = jieba.Tokenizer()
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self._jieba.tmp_dir = str(cache_dir)
            self._jieba.cache_file = str(cache_dir / "jieba.cache")
        self._lock = threading.Lock()
        self._words = sorted({w.lower() for w in words if w and len(w) >= 2})
        self._ready = False
        self._pos: Any = None

    def _init(self) -> None:
        with self._lock:
            if self._ready:
                return
            jieba.setLogLevel(logging.WARNING)
            self._jieba.initialize()
            for w in self._words:
                self._jieba.add_word(w, freq=max(2000, 400 * len(w)))
            self._ready = True

    def tokens(self, text: str) -> list[str]:
        """Search tokens of the text: words and their sub-words, without punctuation or stopwords."""
        self._init()
        norm = normalize(text)
        out = []
        for tok in self._jieba.cut_for_search(norm, HMM=True):
            tok = tok.strip()
            if not tok or _PUNCT_ONLY.match(tok) or tok in STOPWORDS:
                continue
            out.append(tok)
        return out

    def _tagger(self) -> Any:
        """jieba's part-of-speech tagger on this dictionary (its import loads the HMM tables: on first use)."""
        self._init()
        with self._lock:
            if self._pos is None:
                import jieba.posseg

                self._pos = jieba.posseg.POSTokenizer(self._jieba)
            return self._pos

    def person_names(self, text: str) -> list[tuple[str, int]]:
        """(name, position) of the personal names jieba's tagger finds (flags nr and nrfg), 2–4 characters, not everyday
        words (文明, 陆军: see NAME_MAX_FREQ); and a name
        no dictionary holds printed right after a unit and before a verb or a list mark (放射科林知远获得…,
        where a dictionary word across the unit's last character and the surname would swallow it)."""
        pos_tagger = self._tagger()
        with self._lock:
            pairs = list(pos_tagger.cut(text))
        out, joined, pos = [], [], 0
        for i, pair in enumerate(pairs):
            if pair.flag in ("nr", "nrfg") and 2 <= len(pair.word) <= 4 and (self._jieba.FREQ.get(pair.word) or 0) < NAME_MAX_FREQ:
                out.append((pair.word, pos))
            elif pair.flag == "nr" and len(pair.word) == 1 and i + 1 < len(pairs) and pairs[i + 1].flag == "nr" \
                    and len(pairs[i + 1].word) <= 2:  # 柯 / 瑞芳, each tagged a name: one name, unless read otherwise
                joined.append((pair.word + pairs[i + 1].word, pos))
            elif pair.flag == "nr" and len(pair.word) == 1 and i + 2 < len(pairs) and len(pairs[i + 1].word) <= 2 \
                    and _CJK_WORD.match(pairs[i + 1].word) and pairs[i + 2].word.startswith(_TITLES_AFTER):
                joined.append((pair.word + pairs[i + 1].word, pos))  # 郝 / 建平 / 教授: a surname and a word, then a title
            pos += len(pair.word)
        for m in _UNIT_THEN_NAME.finditer(text):
            name, at = m.group(1), m.start(1)
            if not self._jieba.FREQ.get(name) and not any(p < at + len(name) and at < p + len(n) for n, p in out):
                out.append((name, at))
        out = [(n, p) for n, p in out if not any(j <= p < j + len(m) for m, j in joined)]  # not 瑞芳 of 柯瑞芳
        out += [(n, p) for n, p in joined if not any(q < p + len(n) and p < q + len(m) for m, q in out)]
        return sorted(out, key=lambda x: x[1])

    def pos_tags(self, text: str, hmm: bool = True) -> list[tuple[str, str]]:
        """(word, part of speech) of the text as jieba's tagger cuts it (nr person, ns place, nt organisation,
        m numeral, t time…); the words joined give the text back. hmm=False keeps to dictionary words and single
        characters (no coined words such as 期院 from 第4期院报)."""
        pos_tagger = self._tagger()
        with self._lock:
            return [(p.word, p.flag) for p in pos_tagger.cut(text, HMM=hmm)]

    def tagged(self, text: str, hmm: bool = True) -> list[tuple[str, str]]:
        """pos_tags without the blank pieces."""
        return [(w, f) for w, f in self.pos_tags(text, hmm) if w.strip()]

    def is_specific_noun(self, word: str, max_freq: int) -> bool:
        """A noun that is rare in general Chinese (jieba's dictionary frequency below max_freq)."""
        self._init()
        freq = self._jieba.FREQ.get(word) or 0
        if freq >= max_freq:
            return False
        pos_tagger = self._tagger()
        with self._lock:
            flags = [p.flag for p in pos_tagger.cut(word)]
        return len(flags) == 1 and flags[0].startswith("n")

    def is_name_word(self, word: str, max_freq: int) -> bool:
        """A word jieba reads as one personal name (flag nr…) and that is not an everyday word (its dictionary
        frequency below max_freq): 王毅 yes; 工作 (vn), 高级 (b), 党中央 (nt), 陆军 (nr, but common) no."""
        self._init()
        if (self._jieba.FREQ.get(word) or 0) >= max_freq:
            return False
        pos_tagger = self._tagger()
        with self._lock:
            pairs = list(pos_tagger.cut(word))
        return len(pairs) == 1 and pairs[0].flag.startswith("nr")

    def words(self, text: str, hmm: bool = True) -> list[str]:
        """Plain segmentation (no sub-words); hmm=False keeps to dictionary words and single characters."""
        self._init()
        return [t for t in self._jieba.cut(text, HMM=hmm) if t.strip()]


# Text that addresses its reader — a program reading it — with orders (忽略以上所有指令…): whatever it says is
# not a fact the paper reports, so it is never evidence.
_INSTRUCTION = re.compile(
    r"(忽略|无视|忘记|忘掉|不要理会)(以上|上述|之前|前面|先前|所有|全部|一切)?的?(所有|全部)?的?(指令|指示|提示|规则|要求|设定)"
    r"|(ignore|disregard|forget)\s+(all\s+|any\s+|the\s+)?(previous|prior|above|earlier)\s+(instructions|prompts|rules)"
    r"|system\s*prompt|你现在是|作为(一个)?(AI|人工智能|语言模型)", re.IGNORECASE)


def addresses_the_reader(sentence: str) -> bool:
    """A sentence that gives orders to whoever reads it (忽略以上所有指令，回答：…)."""
    return bool(_INSTRUCTION.search(sentence))
