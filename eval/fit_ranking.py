"""Chooses the evidence-ranking weights of the extractive answerer (typed_coverage / typed_context,
typed_bonus, typed_label_bonus, open_coverage / open_context, rag/qa/extractive.rank) and writes them to
rag/fitted.json. Each question is retrieved and scored once; only the choice of answer is re-run per grid point,
on two sets:
- the dev split's questions (answerable ones right, unanswerable ones abstained);
- the fixed sample of cmrc2018_fit that eval/fit_fusion.py uses (945 answerable questions), worded by people who
  never saw our rules.
Answers that do not come from the ranked evidence (the catalog's listings, two-hop answers) are counted once.
Of the points that answer no set's questions right less often than the current weights, the one with the largest
sum of the two sets' shares of questions right, then exact matches, is kept; of equals, the
point nearest the current weights. (Maximising the worse-served set's share instead, CMRC's 47% against dev's
87%, kept a point that lost 6 dev answers for 31 CMRC ones.)
Run: python -m eval.fit_ranking [--dry-run]"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import sys
from dataclasses import dataclass, replace
from typing import Any

from tqdm import tqdm

from rag import FITTED, Answer, Archive, Checked, Evidence, answer_evidence, ask_with_evidence, load_settings

from .benchmarks import benchmark_archive
from .fit_fusion import fit_sample, save_fit
from .run import judge, load_jsonl
from .splits import SPLITS

OBJECTIVE = ("of the points that answer no set right less often than the previous weights, the largest sum of "
             "the sets' shares right (unanswerable: abstained), then exact matches; ties to the point nearest the "
             "previous weights")
GRID: dict[str, tuple[float, ...]] = {
    "typed_coverage": (0.3, 0.45, 0.6, 0.75),  # typed_context is 1 - typed_coverage
    "typed_bonus": (0.0, 0.1, 0.25),
    "typed_label_bonus": (0.0, 0.1, 0.25, 0.4),
    "open_coverage": (0.2, 0.4, 0.6),  # open_context is 1 - open_coverage
}


# each archive's memo of near-miss checks (they depend on the question and the answer only)
_COVERED: dict[int, dict[tuple[object, ...], Checked]] = {}


@dataclass
class Asked:
    """One question: its item, the evidence its answer was chosen from (None when the answer did not come
    from ranked evidence) and that fixed answer otherwise."""

    item: dict[str, Any]
    evidence: Evidence | None
    fixed: Answer | None


def prepare(archive: Archive, items: list[dict[str, Any]], label: str) -> list[Asked]:
    """Answer each item once, keeping the evidence where the answer was chosen from it."""
    out = []
    for item in tqdm(items, desc=label, file=sys.stderr, mininterval=2.0):
        ans, ev = ask_with_evidence(archive, item["question"])
        out.append(Asked(item, ev, None if ev is not None else ans))
    return out


def score(archive: Archive, asked: list[Asked], values: dict[str, float]) -> tuple[int, int]:
    """(right, exact) over the questions with these weights; an unanswerable question is right when abstained."""
    conf = replace(archive.settings.answer, **values, typed_context=1 - values["typed_coverage"],
                   open_context=1 - values["open_coverage"])
    right = exact = 0
    for a in asked:
        ans = a.fixed if a.evidence is None else answer_evidence(archive, a.evidence, conf, _COVERED.setdefault(id(archive), {}))
        assert ans is not None
        if not a.item.get("answers") and not a.item.get("answer"):
            right += ans.abstained
            continue
        ok, ex, _, _ = judge(a.item, ans)
        right, exact = right + ok, exact + ex
    return right, exact


def fit(sets: dict[str, tuple[Archive, list[Asked]]], current: dict[str, float]) -> dict[str, Any]:
    """Every grid point's (right, exact) per set, and the point the objective keeps."""
    rows = []
    points = [dict(zip(GRID, combo, strict=True)) for combo in itertools.product(*GRID.values())]
    for values in tqdm(points, desc="grid", file=sys.stderr, mininterval=5.0):
        per = {name: score(archive, asked, values) for name, (archive, asked) in sets.items()}
        rows.append((values, per))

    return choose(rows, {n: len(asked) for n, (_, asked) in sets.items()}, current)


Row = tuple[dict[str, float], dict[str, tuple[int, int]]]


def choose(rows: list[Row], sizes: dict[str, int], current: dict[str, float]) -> dict[str, Any]:
    """Of the rows that answer no set's questions right less often than the current weights, the one with the
    largest sum of the sets' shares of questions right, then the most exact answers; of equals, the
    one nearest the current weights."""
    now = next((r for r in rows if all(r[0][k] == current[k] for k in current)), None)

    def no_worse(row: Row) -> bool:  # right answers decide; exact matches only rank the points kept
        return now is None or all(row[1][n][0] >= now[1][n][0] for n in sizes)

    def key(row: Row) -> tuple[float, int, float]:
        values, per = row
        return (round(sum(per[n][0] / sizes[n] for n in sizes), 4), sum(e for _, e in per.values()),
                -sum(abs(values[k] - current[k]) for k in current))

    best = max([r for r in rows if no_worse(r)] or rows, key=key)
    return {"values": best[0], "result": best[1], "current": now[1] if now else None,
            "grid": [{"values": v, "right_exact": per} for v, per in rows]}


def rechoose(dry_run: bool) -> int:
    """Apply choose() again to the grid results of the last fit (after a change of the rule, not of the data)."""
    data = json.loads(FITTED.read_text(encoding="utf-8"))
    fit = data["ranking"]
    rows = [({k: v for k, v in p["values"].items()}, {n: tuple(x) for n, x in p["right_exact"].items()})
            for p in fit["right_exact_by_point"]]
    result = choose(rows, fit["fitted_on"], fit["result"]["previous"])
    fit["values"] = {**result["values"], "typed_context": round(1 - result["values"]["typed_coverage"], 4),
                     "open_context": round(1 - result["values"]["open_coverage"], 4)}
    fit["result"]["right_exact"] = result["result"]
    fit["objective"] = OBJECTIVE
    print(json.dumps(fit["values"], ensure_ascii=False), json.dumps(result["result"], ensure_ascii=False))
    if not dry_run:
        save_fit("ranking", fit)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Fit, print and write the ranking weights."""
    p = argparse.ArgumentParser(prog="python -m eval.fit_ranking")
    p.add_argument("--dry-run", action="store_true", help="print the fit, do not write rag/fitted.json")
    p.add_argument("--rechoose", action="store_true",
                   help="choose again from the grid results saved in rag/fitted.json (no questions asked)")
    args = p.parse_args(argv)
    if args.rechoose:
        return rechoose(args.dry_run)
    settings = load_settings()
    split = SPLITS["dev"]
    dev = split.archive(settings)
    items = split.load(split.questions)
    fit_dir = fit_sample(settings)
    cmrc = benchmark_archive(settings, fit_dir)
    fit_items = load_jsonl(fit_dir / "questions.jsonl")
    sets = {"dev split": (dev, prepare(dev, items, "dev")),
            fit_dir.name: (cmrc, prepare(cmrc, fit_items, fit_dir.name))}
    a = settings.answer
    current = {"typed_coverage": a.typed_coverage, "typed_bonus": a.typed_bonus,
               "typed_label_bonus": a.typed_label_bonus, "open_coverage": a.open_coverage}
    result = fit(sets, current)
    values = {**result["values"], "typed_context": round(1 - result["values"]["typed_coverage"], 4),
              "open_context": round(1 - result["values"]["open_coverage"], 4)}
    stats = {"questions": {n: len(asked) for n, (_, asked) in sets.items()},
             "right_exact": result["result"], "right_exact_with_previous_weights": result["current"],
             "previous": current}
    print(json.dumps({"values": values, **stats}, ensure_ascii=False))
    if not args.dry_run:
        save_fit("ranking", {"values": values, "fitted_by": "python -m eval.fit_ranking",
                             "date": datetime.date.today().isoformat(), "objective": OBJECTIVE,
                             "grid": GRID, "fitted_on": stats["questions"], "result": stats,
                             "right_exact_by_point": result["grid"]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
