"""👍/👎 with an optional comment, stored in the catalog; exportable as evaluation lines."""

from __future__ import annotations

import json

from ..models import Answer
from ..store import Archive


def record(archive: Archive, answer: Answer, rating: int, comment: str = "") -> int:
    """Store one judgement (+1 or -1) of an answer; returns its id."""
    if rating not in (1, -1):
        raise ValueError(f"rating ({rating}) must be 1 or -1")
    cur = archive.conn.execute(
        "INSERT INTO feedback(question, answer, citations, rating, comment) VALUES (?,?,?,?,?)",
        (answer.question, answer.answer, json.dumps([c.to_json() for c in answer.citations], ensure_ascii=False),
         rating, comment.strip()),
    )
    return int(cur.lastrowid or 0)


def export_eval_lines(archive: Archive) -> list[dict[str, object]]:
    """Feedback as evaluation lines (the eval/questions.jsonl format): a 👍 answer becomes a gold answer with
    its cited sources; a 👎 one is kept for review with the comment and an empty gold list."""
    out = []
    for fid, q, a, cites, rating, comment in archive.conn.execute(
            "SELECT id, question, answer, citations, rating, comment FROM feedback ORDER BY id"):
        sources = [{"issue": c["total_no"], "page": c["page"]} for c in json.loads(cites)]
        good = rating > 0 and a and "未找到" not in a
        out.append({"id": f"fb{fid:04d}", "question": q, "answers": [a] if good else [],
                    "sources": sources if good else [], "type": "feedback",
                    "rating": rating, "comment": comment, "answer_given": a})
    return out
