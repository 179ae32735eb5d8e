"""Fit the follow-up focus bonus (rag/qa/extractive.rank): how much a follow-up's evidence sentences gain for
standing near the sentence the previous turn's answer quoted (那台手术出了多少血 after an answer about one of two
operations in an article). Chosen by grid search on the dev split's two-turn dialogues only; written to
rag/fitted.json. The test split's dialogues are never read here.

    python -m eval.fit_focus [--dry-run]
"""

from __future__ import annotations

import argparse
import datetime
import json
from dataclasses import replace
from typing import Any

from rag import Archive, load_settings

from .fit_fusion import save_fit
from .run import run_dialogues
from .splits import SPLITS

GRID = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8)
OBJECTIVE = ("dialogues right (answerable: answer right; unanswerable: abstained), then exact matches; ties to the "
             "smaller bonus (the least change to the ranking fitted without it)")


def fit(settings: Any) -> dict[str, Any]:
    """Every grid point's (right, exact) on the dev dialogues and the point chosen."""
    split = SPLITS["dev"]
    dev = split.archive(settings)
    dialogues = split.load(split.dialogues)
    scores: dict[str, tuple[int, int]] = {}
    for bonus in GRID:
        archive = Archive(replace(dev.settings, answer=replace(dev.settings.answer, focus_bonus=bonus)), dev.embeddings)
        results = run_dialogues(archive, dialogues)
        right = sum(r.correct if r.answerable else r.abstained for r in results)
        scores[str(bonus)] = (right, sum(r.exact for r in results))
        print(f"focus_bonus {bonus}: {scores[str(bonus)][0]} right, {scores[str(bonus)][1]} exact of {len(results)}")
    best = max(GRID, key=lambda b: (*scores[str(b)], -b))
    return {"values": {"focus_bonus": best}, "dialogues": len(dialogues), "right_exact_by_point": scores}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.fit_focus", description=__doc__.split("\n\n")[0])
    p.add_argument("--dry-run", action="store_true", help="print the fit, do not write rag/fitted.json")
    args = p.parse_args(argv)
    result = fit(load_settings())
    print(json.dumps(result, ensure_ascii=False))
    if not args.dry_run:
        save_fit("focus", {"values": result["values"], "fitted_by": "python -m eval.fit_focus",
                           "date": datetime.date.today().isoformat(), "objective": OBJECTIVE, "grid": list(GRID),
                           "fitted_on": {"dev split dialogues": result["dialogues"]},
                           "right_exact_by_point": result["right_exact_by_point"]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
