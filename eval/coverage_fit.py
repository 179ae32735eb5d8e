"""Chooses `coverage_attribute_max` and `coverage_topic_max` (rag/settings.py) on the dev split: every dev question (and dialogue
follow-up) is answered with the coverage check off; each answer's missing constraint share is measured; the
pair of thresholds kept (attribute missing beside the answer, topic missing from its article) is the one
abstaining on the most unanswerable questions while adding at most `--budget` × answerable false abstentions
(any answerable question it abstains on, right or wrong: the false-abstention rate counts both). Run: python -m eval.coverage_fit"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from typing import Any

from rag import Answer, Archive, Cover, answer_question, cover_of, load_settings, resolve_followup

from .run import judge
from .splits import SPLITS


@dataclass(frozen=True)
class Point:
    """One answered question: whether the archive holds its answer, whether ours was right, its coverage."""

    id: str
    question: str
    answerable: bool
    correct: bool
    cover: Cover


_CATALOG: frozenset[str] = frozenset({"yesno", "pagelist", "published", "authored", "where", "editor"})


def _not_gated(ans: Answer) -> bool:
    """Answers the coverage check never sees: a person's acts listed from the catalog (every cited sentence
    names the person and the act), and two-hop answers (each hop was checked on its own question)."""
    return ans.confidence == 1.0 and ans.qtype == "list" and all("《" in a for a in ans.answer.split("、")) or \
        "answered in two hops" in ans.note


def measure(archive: Archive, items: list[dict[str, Any]]) -> list[Point]:
    """Answer each item with the coverage check off; the coverage of those answered from evidence."""
    off = Archive(archive.settings.with_(coverage_attribute_max=1.0, coverage_topic_max=1.0), archive.embeddings)
    out = []
    for item in items:
        question = item["question"]
        if "previous" in item:
            question = resolve_followup(question, answer_question(off, item["previous"]))
        ans = answer_question(off, question)
        if ans.abstained or not ans.citations or ans.qtype in _CATALOG or _not_gated(ans):
            continue
        c = cover_of(off, question, ans)
        out.append(Point(item["id"], question, bool(item.get("answers")), judge(item, ans)[0], c))
    return out


def choose(points: list[Point], budget: float, n_answerable: int) -> tuple[float, float, dict[str, float]]:
    """(attribute max, topic max) abstaining on the most unanswerables — then trading the fewest right
    answers — while abstaining on at most budget × answerable answerable questions; of equals, the loosest."""
    unans = [p for p in points if not p.answerable]
    attrs = sorted({round(p.cover.attribute_missing, 3) for p in points} | {1.0})
    topics = sorted({round(p.cover.topic_missing, 3) for p in points} | {1.0})
    best: tuple[tuple[int, int, float], float, float, int] = ((-1, 0, 0.0), 1.0, 1.0, 0)
    for a in attrs:
        for t in topics:
            lost = sum(1 for p in points if p.answerable and p.cover.abstains(a, t))
            if lost > budget * n_answerable:
                continue
            caught = sum(1 for p in unans if p.cover.abstains(a, t))
            wrong = sum(1 for p in points if p.answerable and not p.correct and p.cover.abstains(a, t))
            key = (caught, wrong - lost, a + t)
            if key > best[0]:
                best = (key, a, t, lost)
    (caught, wrong, _), a, t, lost = best
    return a, t, {"unanswerable_answered": len(unans), "of_them_abstained": caught, "wrong_answers_abstained": wrong,
                  "answerable_abstained": lost, "answerable": n_answerable}


def main(argv: list[str] | None = None) -> int:
    """Fit and print the threshold (and each question's missing words with --verbose)."""
    p = argparse.ArgumentParser(prog="python -m eval.coverage_fit")
    p.add_argument("--budget", type=float, default=0.03, help="share of answerable questions it may lose")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)
    split = SPLITS["dev"]
    archive = split.archive(load_settings())
    items = split.load(split.questions) + [
        {**d["turns"][-1], "id": d["id"], "previous": d["turns"][0]["question"]} for d in split.load(split.dialogues)]
    points = measure(archive, items)
    n_answerable = sum(1 for i in items if i.get("answers"))
    a, t, stats = choose(points, args.budget, n_answerable)
    if args.verbose:
        for pt in sorted(points, key=lambda x: -(x.cover.attribute_missing + x.cover.topic_missing)):
            mark = "UNANS" if not pt.answerable else ("ok   " if pt.correct else "wrong")
            print(f"{mark} a={pt.cover.attribute_missing:.2f} t={pt.cover.topic_missing:.2f} {pt.id} {pt.question} "
                  f"missing={'/'.join(pt.cover.missing)}")
    print(json.dumps({"coverage_attribute_max": a, "coverage_topic_max": t, **stats}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
