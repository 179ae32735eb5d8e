"""Choose, on the newspaper dev split only, for which question types the fitted span ranker gives the
short answer: each type keeps the typed rules ('off') unless always using the ranker ('replace') or using
it when the rules find nothing ('fallback', from a score floor on: 'fallback@2.0') answers at least as many
dev questions right and at least as many exactly; of those, the one with the most right plus exact answers
wins (ties keep the earlier, simpler one). Fallback is tried only on the types the rules may leave without
an answer (a department, person, date or number question always has one, or abstains)."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from rag import HARD_TYPES, QTYPES, Archive, load_settings, question_type, standard_question, to_simplified

from .run import QuestionResult, run_questions
from .splits import SPLITS

FLOORS = (None, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
MODES = ("off", "replace", *(f"fallback@{f}" if f is not None else "fallback" for f in FLOORS))


def _qtype(question: str) -> str:
    return question_type(standard_question(to_simplified(question)))


def _tally(results: list[QuestionResult]) -> dict[str, tuple[int, int]]:
    """(right, exact) per question type over the answerable questions."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        if r.answerable:
            t = out[_qtype(r.question)]
            t[0] += r.correct
            t[1] += r.exact
    return {k: (v[0], v[1]) for k, v in out.items()}


def choose(tallies: dict[str, dict[str, tuple[int, int]]]) -> dict[str, str]:
    """Per question type, the mode that loses no right or exact answer and gains the most."""
    chosen = {}
    for qtype in sorted({t for tally in tallies.values() for t in tally}):
        base = tallies["off"].get(qtype, (0, 0))
        best, best_gain = "off", 0
        for mode in MODES[1:]:
            if mode not in tallies or qtype not in tallies[mode]:
                continue
            right, exact = tallies[mode][qtype]
            gain = right - base[0] + exact - base[1]
            if right >= base[0] and exact >= base[1] and gain > best_gain:
                best, best_gain = mode, gain
        chosen[qtype] = best
    return chosen


def choose_types(weights_file: Path) -> dict[str, Any]:
    """Run the dev questions once per mode and write the choice into the weights file."""
    split = SPLITS["dev"]
    base = split.archive(load_settings())
    questions = split.load(split.questions)
    tallies = {}
    for mode in MODES:
        setting = "none" if mode == "off" else ",".join(f"{t}={mode}" for t in QTYPES)
        asked = questions if not mode.startswith("fallback") else [
            q for q in questions if _qtype(q["question"]) not in HARD_TYPES]
        archive = Archive(base.settings.with_(span_modes=setting), base.embeddings)
        tallies[mode] = _tally(run_questions(archive, asked))
        print(f"{mode}: {sum(r for r, _ in tallies[mode].values())} right, "
              f"{sum(e for _, e in tallies[mode].values())} exact", file=sys.stderr)
    chosen = choose(tallies)
    data = json.loads(weights_file.read_text(encoding="utf-8"))
    data["ranked_types"] = chosen
    data["ranked_types_chosen_on"] = {
        "split": "dev", "questions": len(questions),
        "right_exact_by_mode": {m: {k: list(v) for k, v in sorted(t.items())} for m, t in tallies.items()},
    }
    weights = data.pop("weights")
    data["weights"] = weights  # the long table last
    weights_file.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(chosen, ensure_ascii=False))
    return chosen
