"""The archive's own dictionary for jieba: departments and people from bylines and role phrases such as
眼科副主任李某某, and Latin procedure names such as Endo-PLIF."""

from __future__ import annotations

import hashlib
import re

from rag.store import ArticleRow, keyword
from rag.text import latin_terms
from rag.vocab import (
    INSTITUTION_SUFFIXES,
    NAME_END,
    NOT_NAMES,
    ROLE_TITLES,
    UNIT_LEADS,
    is_tagged_name,
    suffix_pattern,
    trim_department,
)

_ROLE = r"(?:业务)?(?:副)?(?:" + "|".join(ROLE_TITLES) + ")"
_DEPT = r"([\u4e00-\u9fff]{2,10}?" + suffix_pattern(INSTITUTION_SUFFIXES) + ")"
_NAME_AFTER = r"([\u4e00-\u9fff]{2,3}?)" + NAME_END
# re.M: a name may end a line (a subtitle ——记某科主任某某), not only the whole text
_DEPT_ROLE_NAME = re.compile(_DEPT + _ROLE + _NAME_AFTER, re.M)
_DEPT_NAME_ROLE = re.compile(_DEPT + r"([\u4e00-\u9fff]{2,3}?)" + _ROLE, re.M)
_PROFILE = re.compile(r"^[—－-]+\s*记")
_ROLE_NAME = re.compile("(?:" + "|".join(ROLE_TITLES) + ")" + _NAME_AFTER, re.M)

# Changes when the rules that build the dictionary change, so that an archive built with older rules gets its
# dictionary (and keyword index) rebuilt on the next ingest, without re-embedding anything.
RULES_SIGNATURE = hashlib.sha256("\x1f".join([
    _DEPT_ROLE_NAME.pattern, _DEPT_NAME_ROLE.pattern, _ROLE_NAME.pattern, repr(sorted(NOT_NAMES)), repr(UNIT_LEADS),
    keyword.LAYOUT, "names start with a surname", "the paper's own institution is no department",
    "由 marks who does it; a classifier starts no unit", _PROFILE.pattern, "a name may end a line",
]).encode()).hexdigest()[:16]


def build_lexicon(articles: list[ArticleRow], publications: frozenset[str] = frozenset()) -> dict[str, str]:
    """word → kind (department, person, term) from every article in the archive."""
    words: dict[str, str] = {}
    for a in articles:
        for dept in a.department.split("、"):
            if dept and dept not in publications:  # a signature's unit may be the paper's own institution
                words[dept] = "department"
        for name in a.author.split("、"):
            if name:
                words[name] = "person"
        subtitle = _PROFILE.sub("", a.subtitle)  # ——记某科主任某某: 记 opens a profile, it is no unit's first character
        text = "\n".join([a.title, subtitle, a.editor_note, a.body])
        for pat in (_DEPT_ROLE_NAME, _DEPT_NAME_ROLE):
            for m in pat.finditer(text):
                dept = trim_department(m.group(1), publications)
                if len(dept) >= 2:
                    words.setdefault(dept, "department")
                if is_tagged_name(m.group(2)):
                    words.setdefault(m.group(2), "person")
        for m in _ROLE_NAME.finditer(text):
            if is_tagged_name(m.group(1)):
                words.setdefault(m.group(1), "person")
        for term in latin_terms(text):
            if any(c.isupper() for c in term) or "-" in term:
                words.setdefault(term.lower(), "term")
    return words
