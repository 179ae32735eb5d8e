"""rag.browse.directory: 科室与人物 of a small hand-written issue: who signed what, who is named where."""

from __future__ import annotations

import pytest
from conftest import fake_archive
from handmade import DENTAL, KNEE, NURSING, NUTRITION, tiny_archive

from rag import Archive, ArticleRow
from rag.browse import Entry, directory


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Entry]:
    archive: Archive = tiny_archive(tmp_path_factory.mktemp("directory") / "var")
    return {e.name: e for e in directory(archive)}


def _titles(rows: tuple[ArticleRow, ...]) -> list[str]:
    return [r.title for r in rows]


def test_every_department_and_person_of_the_dictionary_is_listed(entries: dict[str, Entry]) -> None:
    assert {n: e.kind for n, e in entries.items()} == {
        "运动医学科": "department", "护理部": "department", "口腔科": "department", "营养科": "department",
        "沈若溪": "person", "陆清和": "person", "许闻笛": "person",  # from bylines
        "钟予安": "person", "林知远": "person", "顾明川": "person",  # from role phrases (主任钟予安, 副院长林知远)
    }


def test_bylines_and_mentions_are_kept_apart(entries: dict[str, Entry]) -> None:
    assert (_titles(entries["沈若溪"].bylines), _titles(entries["沈若溪"].mentions)) == (
        [KNEE.title, NUTRITION.title], [])
    assert (_titles(entries["钟予安"].bylines), _titles(entries["钟予安"].mentions)) == ([], [KNEE.title])
    assert (_titles(entries["顾明川"].bylines), _titles(entries["顾明川"].mentions)) == ([], [NURSING.title])
    assert (_titles(entries["口腔科"].bylines), _titles(entries["口腔科"].mentions)) == ([DENTAL.title], [])


def test_the_most_mentioned_come_first_then_by_name(entries: dict[str, Entry]) -> None:
    names = list(entries)
    assert names[0] == "沈若溪"  # two bylines
    assert names[1:] == sorted(names[1:])  # one each: by name
    assert all(len(entries[n].bylines) + len(entries[n].mentions) == 1 for n in names[1:])


def test_an_empty_archive_has_an_empty_directory(tmp_path_factory: pytest.TempPathFactory) -> None:
    assert directory(fake_archive(tmp_path_factory.mktemp("empty") / "var")) == []
