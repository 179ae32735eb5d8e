"""Fits the answerability model (rag/qa/answerable.py): whether the best evidence sentence answers the question
or the answerer abstains. Every question is answered with no abstention on weak evidence (abstain_model off,
abstain_threshold 0), and the signals of the sentence it answered from are recorded with whether it was right
(the answer, or the sentence it came from, holds a gold answer: the gate judges the evidence, not the
extractor), on two sets:
- the dev split (its questions and dialogue follow-ups), which holds the unanswerable near misses and the
  colloquial rewordings;
- the fixed sample of cmrc2018_fit that eval/fit_fusion.py and eval/coverage_fit.py use (945 questions, all
  answerable), worded by people who never saw our rules.
A logistic regression on standardised signals (scikit-learn, L2; C chosen by 5-fold cross-validated log-loss)
predicts "right"; its weights are stored on the raw signals' scale. The
probability below which the answerer abstains is chosen on the out-of-fold probabilities: the most questions
of both sets whose outcome is right — right answers kept plus unanswerables abstained on; abstaining on a
wrong answer costs nothing (a user is better told the archive does not say) — of equals, the lowest.
Run: python -m eval.fit_answerable [--dry-run] [--points FILE]"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

from rag import ANSWERABLE_FILE, Archive, load_settings

from .benchmarks import benchmark_archive
from .fit_fusion import fit_sample
from .metrics import contains_answer
from .run import ask_item, gold_answers, judge, load_jsonl
from .splits import SPLITS

C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
FOLDS = 5


@dataclass(frozen=True)
class Point:
    """One question answered from evidence: its signals, whether the archive holds its answer, whether ours
    was right, and its set."""

    id: str
    signals: dict[str, float]
    answerable: bool
    correct: bool
    group: str


def measure(archive: Archive, items: list[dict[str, Any]], group: str) -> list[Point]:
    """Answer each item with no abstention on weak evidence; the signals of those answered from evidence."""
    open_ = Archive(archive.settings.with_(abstain_model="off", abstain_threshold=0.0), archive.embeddings)
    out = []
    for item in tqdm(items, desc=group, file=sys.stderr, mininterval=2.0):
        _, ans = ask_item(open_, item)
        if ans.abstained or not ans.signals:
            continue
        golds = gold_answers(item)
        # right: the answer is, or the sentence it came from holds it (the gate judges the evidence; a wrong
        # span in the right sentence is the extractor's fault, not a reason to abstain)
        right = bool(golds) and (judge(item, ans)[0] or contains_answer(golds, ans.evidence[0] if ans.evidence else ""))
        out.append(Point(item["id"], dict(ans.signals), bool(golds), right, group))
    return out


def _model(c: float) -> Any:
    """Standardised signals (so that one L2 penalty treats them alike), then a logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000))


def fit(points: list[Point]) -> tuple[list[str], dict[str, float], float, list[float], list[dict[str, float]]]:
    """(feature names, weights with the intercept as 'bias', C, out-of-fold probabilities, the C grid's
    cross-validated log-loss)."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    names = sorted(k for k in points[0].signals if k != "bias")
    x = np.array([[p.signals[k] for k in names] for p in points])
    y = np.array([int(p.correct) for p in points])
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    grid = []
    for c in C_GRID:
        prob = cross_val_predict(_model(c), x, y, cv=folds, method="predict_proba")[:, 1]
        eps = 1e-9
        loss = float(-np.mean(y * np.log(prob + eps) + (1 - y) * np.log(1 - prob + eps)))
        grid.append({"C": c, "log_loss": round(loss, 4), "oof": prob})
    best = min(grid, key=lambda g: (g["log_loss"], g["C"]))
    model = _model(float(best["C"])).fit(x, y)
    scaler, logistic = model.named_steps["standardscaler"], model.named_steps["logisticregression"]
    # back to the raw signals' scale: w·(x − μ)/σ + b = (w/σ)·x + (b − Σ w μ/σ)
    raw = logistic.coef_[0] / scaler.scale_
    weights = {"bias": float(logistic.intercept_[0] - float(np.dot(raw, scaler.mean_))),
               **{k: float(w) for k, w in zip(names, raw, strict=True)}}
    return names, weights, float(best["C"]), [float(v) for v in best["oof"]], [
        {"C": g["C"], "log_loss": g["log_loss"]} for g in grid]


def choose_threshold(points: list[Point], probs: list[float], n_answerable: dict[str, int]
                     ) -> tuple[float, dict[str, Any]]:
    """The abstention threshold on the model's probability: the most questions of both sets whose outcome is
    right (a right answer kept, an unanswerable abstained on; abstaining on a wrong answer costs nothing), on the
    out-of-fold probabilities; of equals, the lowest."""
    def stats(t: float) -> dict[str, Any]:
        below = [p for p, pr in zip(points, probs, strict=True) if pr < t]
        return {"unanswerable_abstained": sum(1 for p in below if not p.answerable),
                "answerable_abstained": {g: sum(1 for p in below if p.answerable and p.group == g) for g in n_answerable},
                "of_them_right": {g: sum(1 for p in below if p.answerable and p.correct and p.group == g)
                                  for g in n_answerable}}

    best_t, best_key = 0.0, None
    for t in sorted({round(pr, 3) for pr in probs} | {0.0}):  # ascending: of equals, the lowest stays
        s = stats(t)
        key = s["unanswerable_abstained"] - sum(s["of_them_right"].values())
        if best_key is None or key > best_key:
            best_t, best_key = t, key
    return best_t, {**stats(best_t), "unanswerable_answered": sum(1 for p in points if not p.answerable),
                    "answerable": n_answerable}


def main(argv: list[str] | None = None) -> int:
    """Fit, print and write rag/qa/answerable.json."""
    p = argparse.ArgumentParser(prog="python -m eval.fit_answerable")
    p.add_argument("--dry-run", action="store_true", help="print the fit, do not write rag/qa/answerable.json")
    p.add_argument("--points", help="also write each question's signals, label and probability (JSON lines) here")
    args = p.parse_args(argv)
    settings = load_settings()
    split = SPLITS["dev"]
    items = split.load(split.questions) + [
        {**d["turns"][-1], "id": d["id"], "previous": d["turns"][0]["question"]} for d in split.load(split.dialogues)]
    fit_dir = fit_sample(settings)
    fit_items = load_jsonl(fit_dir / "questions.jsonl")
    points = measure(split.archive(settings), items, "dev") + measure(
        benchmark_archive(settings, fit_dir), fit_items, fit_dir.name)
    n_answerable = {"dev": sum(1 for i in items if i.get("answers")), fit_dir.name: len(fit_items)}
    names, weights, c, oof, grid = fit(points)
    threshold, stats = choose_threshold(points, oof, n_answerable)
    if args.points:
        with open(args.points, "w", encoding="utf-8") as f:
            for pt, pr in zip(points, oof, strict=True):
                f.write(json.dumps({**pt.__dict__, "probability": round(pr, 4)}, ensure_ascii=False) + "\n")
    out = {"model": "logistic regression over rag.qa.answerable.Gate.signals (scikit-learn, L2)",
           "weights": {k: round(v, 5) for k, v in weights.items()}, "threshold": threshold,
           "fitted_by": "python -m eval.fit_answerable",
           "date": datetime.date.today().isoformat(), "C": c, "C_grid": grid,
           "fitted_on": {"dev split (with its dialogue follow-ups)":
                         sum(1 for p in points if p.group == "dev"),
                         fit_dir.name: sum(1 for p in points if p.group == fit_dir.name)},
           "threshold_rule": "on the out-of-fold probabilities, the most questions of both sets whose outcome is right "
                             "(right answers kept + unanswerables abstained on); of equals, the lowest",
           "result": stats}
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if not args.dry_run:
        ANSWERABLE_FILE.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {ANSWERABLE_FILE.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
