"""The archive's own dictionary for jieba: departments and people from bylines and role phrases such as
神经内科业务副主任王慧云, and Latin procedure names such as Endo-PLIF."""

from __future__ import annotations

import re

from rag.catalog import ArticleRow
from rag.extract import is_plausible_name, trim_department
from rag.text import latin_terms

_ROLE = (r"(?:业务)?(?:副)?(?:主任医师|主治医师|主诊医师|住院医师|主任|护士长|医师|主管|院长|书记|负责人|部长|科长|处长|"
         r"助理|护士|技师|药师|团长)")
_DEPT = r"([\u4e00-\u9fff]{2,10}?(?:内科|外科|科|部|中心|病区|医院|分院|室))"
_NAME_AFTER = r"([\u4e00-\u9fff]{2,3}?)(?=主讲|主持|介绍|表示|指出|强调|团队|致辞|出席|发表|宣读|就|对|带领|说|等|、|，|,|。|；|;|和|与|作|在|同志|$)"
_DEPT_ROLE_NAME = re.compile(_DEPT + _ROLE + _NAME_AFTER)
_DEPT_NAME_ROLE = re.compile(_DEPT + r"([\u4e00-\u9fff]{2,3}?)" + _ROLE)
_ROLE_NAME = re.compile(r"(?:主任|护士长|主诊医师|主治医师|副院长|院长|书记|主席|护士|医师)" + _NAME_AFTER)


def build_lexicon(articles: list[ArticleRow]) -> dict[str, str]:
    """word → kind (department, person, term) from every article in the archive."""
    words: dict[str, str] = {}
    for a in articles:
        for dept in a.department.split("、"):
            if dept:
                words[dept] = "department"
        for name in a.author.split("、"):
            if name:
                words[name] = "person"
        text = "\n".join([a.title, a.subtitle, a.editor_note, a.body])
        for pat in (_DEPT_ROLE_NAME, _DEPT_NAME_ROLE):
            for m in pat.finditer(text):
                dept = trim_department(m.group(1))
                if len(dept) >= 2:
                    words.setdefault(dept, "department")
                if is_plausible_name(m.group(2)):
                    words.setdefault(m.group(2), "person")
        for m in _ROLE_NAME.finditer(text):
            if is_plausible_name(m.group(1)):
                words.setdefault(m.group(1), "person")
        for term in latin_terms(text):
            if any(c.isupper() for c in term) or "-" in term:
                words.setdefault(term.lower(), "term")
    return words
