"""rag.qa.extractive: where several sentences of the best article hold a number, the one printed right after
the question's own label answers. On the small hand-written issue."""

from __future__ import annotations

from pathlib import Path

from handmade import DENTAL, KNEE, NURSING, NUTRITION, tiny_archive, tiny_issue

from rag import answer_question
from rag.models import Article

TRAINING = Article(
    page=2, page_inferred=False, title="护理技能培训班开班", department="护理部", author="陆清和",
    paragraphs=("11月10日至14日，护理技能培训班在门诊楼学术报告厅举办。本次培训为期5天，共86名护士参加培训。",),
)


def test_the_number_after_the_question_label_wins_in_the_best_article(tmp_path: Path) -> None:
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, DENTAL, NUTRITION, TRAINING)))
    assert answer_question(archive, "护理技能培训班为期几天？").answer == "5天"
    assert answer_question(archive, "护理技能培训班有多少名护士参加？").answer == "86名"
