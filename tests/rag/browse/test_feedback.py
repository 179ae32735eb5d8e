"""rag.browse.feedback: 👍/👎 stored in the catalog and exported as evaluation lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from handmade import DENTAL, TOTAL_NO

from rag import ABSTAIN_TEXT, Answer, Archive, Citation, Source, load_settings
from rag.browse import export_eval_lines, record

SOURCE = Source(total_no=TOTAL_NO, issue_no=3, year=2025, date="2025-03-15", page=2, page_inferred=False,
                title=DENTAL.title, department="口腔科", author="许闻笛", article_id="301-02-x")
GOOD = Answer(question="口腔科为多少名居民检查了口腔健康？", answer="120余名", abstained=False,
              citations=(Citation(SOURCE, DENTAL.paragraphs[0]),), qtype="number")
NONE = Answer(question="口腔科开展了质子治疗吗？", answer=ABSTAIN_TEXT, abstained=True, qtype="yesno")


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(load_settings(env={}, data_dir=tmp_path / "var"))


def test_record_stores_a_judgement_and_returns_its_id(archive: Archive) -> None:
    assert record(archive, GOOD, 1, "  准确 ") == 1
    assert record(archive, GOOD, -1) == 2
    rows = archive.conn.execute("SELECT question, answer, rating, comment FROM feedback ORDER BY id").fetchall()
    assert rows == [(GOOD.question, "120余名", 1, "准确"), (GOOD.question, "120余名", -1, "")]


@pytest.mark.parametrize("rating", [0, 2, -2])
def test_a_rating_other_than_plus_or_minus_one_is_refused(archive: Archive, rating: int) -> None:
    with pytest.raises(ValueError, match=rf"rating \({rating}\) must be 1 or -1"):
        record(archive, GOOD, rating)
    assert archive.conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == 0


def test_a_thumbs_up_becomes_a_gold_answer_with_its_sources(archive: Archive) -> None:
    record(archive, GOOD, 1, "准确")
    assert export_eval_lines(archive) == [{
        "id": "fb0001", "question": GOOD.question, "answers": ["120余名"],
        "sources": [{"issue": TOTAL_NO, "page": 2}], "type": "feedback", "rating": 1, "comment": "准确",
        "answer_given": "120余名",
    }]


def test_a_thumbs_down_is_kept_for_review_without_gold(archive: Archive) -> None:
    record(archive, GOOD, -1, "人数不对")
    line = export_eval_lines(archive)[0]
    assert (line["answers"], line["sources"], line["rating"], line["comment"]) == ([], [], -1, "人数不对")


def test_a_thumbs_up_on_an_abstention_is_no_gold_answer(archive: Archive) -> None:
    record(archive, NONE, 1)
    line = export_eval_lines(archive)[0]
    assert (line["answers"], line["sources"], line["answer_given"]) == ([], [], ABSTAIN_TEXT)


def test_export_keeps_the_order_of_recording(archive: Archive) -> None:
    record(archive, GOOD, 1)
    record(archive, NONE, -1)
    assert [(x["id"], x["question"]) for x in export_eval_lines(archive)] == [
        ("fb0001", GOOD.question), ("fb0002", NONE.question)]
    assert export_eval_lines(Archive(load_settings(env={}, data_dir=archive.settings.data_dir.parent / "other"))) == []
