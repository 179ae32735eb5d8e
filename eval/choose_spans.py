"""Choose for which question types the fitted span ranker gives the short answer: always ('replace'), when
it is sure ('replace@0.5': its best candidate has at least half the probability over the pool's
candidates), when the typed rules find nothing ('fallback', 'fallback@0.5'), inside the rules' answer ('trim',
'trim@0.5': the rules choose the sentence and the stretch, the ranker the span in it), or never ('off'). Each mode is
run on the newspaper dev split and on the CMRC fitting holdout (asked with the weights fitted without it);
per type, of the modes that lose no right answer on dev, the one with the most right plus exact answers
gained over both sets wins (ties keep the earlier, simpler one). Fallback is tried only on the types the
rules may leave without an answer (a department, person, date or number question always has one, or
abstains)."""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from rag import HARD_TYPES, QTYPES, Archive, load_settings, question_type, standard_question, to_simplified

from .benchmarks import benchmark_archive
from .fit_fusion import fit_sample
from .run import QuestionResult, load_jsonl, run_questions
from .splits import SPLITS

HERE = Path(__file__).resolve().parent
HOLDOUT_SHARE = 0.2
# the span ranker fitted without the holdout (eval.fit_spans writes it), to ask the held-out CMRC questions
HOLDOUT_WEIGHTS = HERE.parent / "var" / "fitdata" / "span_weights.without_holdout.json"
FLOORS = (0.5, 0.9)  # the ranker's probability for its best candidate, over the pool's candidates
MODES = ("off", "replace", *(f"replace@{f}" for f in FLOORS), "fallback", *(f"fallback@{f}" for f in FLOORS),
         "trim", *(f"trim@{f}" for f in FLOORS))
Tally = dict[str, tuple[int, int]]


def in_holdout(paragraph_id: str) -> bool:
    """A fixed fifth of the CMRC fitting paragraphs (by hash, so every run holds out the same ones)."""
    return int(hashlib.md5(paragraph_id.encode()).hexdigest(), 16) % 100 < HOLDOUT_SHARE * 100


def _qtype(question: str) -> str:
    return question_type(standard_question(to_simplified(question)))


def _tally(results: list[QuestionResult]) -> Tally:
    """(right, exact) per question type over the answerable questions."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        if r.answerable:
            t = out[_qtype(r.question)]
            t[0] += r.correct
            t[1] += r.exact
    return {k: (v[0], v[1]) for k, v in out.items()}


def choose(tallies: dict[str, dict[str, Tally]], kept: str = "dev") -> dict[str, str]:
    """Per question type, among the modes that lose no right answer on the newspaper's dev split (kept), the
    one with the largest gain in right plus exact answers over the off mode, summed over the sets (each
    question counts once); ties keep the earlier, simpler mode."""
    chosen = {}
    types = sorted({t for per_set in tallies.values() for tally in per_set.values() for t in tally})
    for qtype in types:
        best, best_gain = "off", 0
        for mode in MODES[1:]:
            gain, loses = 0, False
            for name, per_set in tallies.items():
                base = per_set.get("off", {}).get(qtype, (0, 0))
                right, exact = per_set.get(mode, {}).get(qtype, base)
                gain += right - base[0] + exact - base[1]
                loses = loses or (name == kept and right < base[0])
            if not loses and gain > best_gain:
                best, best_gain = mode, gain
        chosen[qtype] = best
    return chosen


def _run_modes(base: Archive, questions: list[dict[str, Any]], label: str) -> dict[str, Tally]:
    tallies = {}
    for mode in MODES:
        setting = "none" if mode == "off" else ",".join(f"{t}={mode}" for t in QTYPES)
        asked = questions if not mode.startswith("fallback") else [
            q for q in questions if _qtype(q["question"]) not in HARD_TYPES]
        archive = Archive(base.settings.with_(span_modes=setting), base.embeddings)
        tallies[mode] = _tally(run_questions(archive, asked))
        print(f"{label} {mode}: {sum(r for r, _ in tallies[mode].values())} right, "
              f"{sum(e for _, e in tallies[mode].values())} exact", file=sys.stderr)
    return tallies


def choose_types(weights_file: Path) -> dict[str, Any]:
    """Run the dev questions, and the CMRC fitting holdout with the weights fitted without it, once per mode,
    and write the choice into the weights file."""
    if not HOLDOUT_WEIGHTS.exists():
        raise SystemExit("先运行 python -m eval.fit_spans / run python -m eval.fit_spans first (no holdout weights)")
    settings = load_settings()
    split = SPLITS["dev"]
    questions = split.load(split.questions)
    fit_dir = fit_sample(settings)
    held = [q for q in load_jsonl(fit_dir / "questions.jsonl") if in_holdout(q["gold_doc_ids"][0])]
    tallies = {"dev": _run_modes(split.archive(settings), questions, "dev")}
    cmrc = benchmark_archive(settings.with_(span_weights=str(HOLDOUT_WEIGHTS)), fit_dir)
    tallies["cmrc2018_fit holdout"] = _run_modes(cmrc, held, "cmrc")
    chosen = choose(tallies)
    data = json.loads(weights_file.read_text(encoding="utf-8"))
    data["ranked_types"] = chosen
    data["ranked_types_chosen_on"] = {
        "sets": {"dev": len(questions), "cmrc2018_fit holdout": len(held)},
        "rule": "per type, of the modes that lose no right dev answer, the largest gain in right + exact answers over "
                "the rules alone, summed over the sets",
        "right_exact_by_mode": {name: {m: {k: list(v) for k, v in sorted(t.items())} for m, t in per.items()}
                                for name, per in tallies.items()},
    }
    weights = data.pop("weights")
    data["weights"] = weights  # the long table last
    weights_file.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(chosen, ensure_ascii=False))
    return chosen
