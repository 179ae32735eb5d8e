"""Fit the span ranker (rag/qa/spans.py) on the CMRC 2018 fitting set, never on the test sample:
candidates are generated from the gold paragraph's best sentences, labelled by exact match with a human
answer, and a listwise linear ranker is fitted; the regularisation is chosen on a held-out fifth of the
paragraphs, then the model is refitted on all of them and written to rag/qa/span_weights.json.

    python -m eval.fit_spans                   # fit, choose the L2 penalty on the holdout, write the weights
    python -m eval.fit_spans --choose-types    # then choose, on the newspaper dev split, where to use it
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag import (
    SPAN_POOL,
    SPAN_WEIGHTS_FILE,
    QuestionFrame,
    Tokenizer,
    question_type,
    read_question,
    sentence_coverage,
    span_candidates,
    span_features,
    span_score,
    split_sentences,
)

from .choose_spans import HOLDOUT_WEIGHTS, choose_types, in_holdout
from .metrics import char_f1, exact_match, normalize_answer
from .run import load_jsonl

HERE = Path(__file__).resolve().parent
FIT_DIR = HERE.parent.parent / "shared" / "benchmarks" / "cmrc2018_fit"
L2_GRID = (0.3, 1.0, 3.0)


@dataclass
class Example:
    """One question: its candidates' features and labels, and its gold answers."""

    qid: str
    paragraph: str
    golds: list[str]
    texts: list[str]
    feats: list[dict[str, float]]
    labels: list[int]


def pool_for(q: QuestionFrame, sentences: list[str]) -> list[int]:
    """The sentences a question's candidates come from: the best covered, as the answerer's evidence ranks."""
    order = sorted(range(len(sentences)), key=lambda i: (-sentence_coverage(q, sentences[i]), i))
    return order[:SPAN_POOL]


def build(fit_dir: Path, tok: Tokenizer) -> list[Example]:
    """Candidates, features and labels of every fitting question."""
    corpus = {d["id"]: d for d in load_jsonl(fit_dir / "corpus.jsonl")}
    cache: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {}
    out = []
    for item in load_jsonl(fit_dir / "questions.jsonl"):
        pid = item["gold_doc_ids"][0]
        if pid not in cache:
            sents = split_sentences(corpus[pid]["text"])
            cache[pid] = [(s, tok.pos_tags(s)) for s in sents]
        sentences = cache[pid]
        question = item["question"]
        q = read_question(question, tok.words(question), question_type(question))
        idx = pool_for(q, [s for s, _ in sentences])
        covs = [sentence_coverage(q, sentences[i][0]) for i in idx]
        golds = [a for a in item.get("answers") or [item["answer"]] if a]
        norm_golds = {normalize_answer(g) for g in golds}
        ex = Example(item["id"], pid, golds, [], [], [])
        for i, cov in zip(idx, covs, strict=True):
            sent, tags = sentences[i]
            for c in span_candidates(sent, tags, qwords=q.words):
                if c.text in question:
                    continue
                ex.texts.append(c.text)
                ex.feats.append(span_features(q, sent, c, cov, max(covs)))
                ex.labels.append(int(normalize_answer(c.text) in norm_golds))
        out.append(ex)
    return out


def fit(examples: list[Example], l2: float) -> dict[str, float]:
    """A listwise (softmax over each question's candidates) linear ranker, fitted by L-BFGS with an L2
    penalty: it learns which candidate beats the others of the same question, which is what choosing a span
    is, rather than whether each candidate on its own is an answer. The weights as a dict."""
    import numpy as np
    import scipy.sparse as sp
    from scipy.optimize import minimize
    from sklearn.feature_extraction import DictVectorizer

    usable = [e for e in examples if any(e.labels) and len(e.feats) > 1]
    vec = DictVectorizer()
    x = vec.fit_transform([f for e in usable for f in e.feats]).tocsr()
    y = np.array([v for e in usable for v in e.labels], dtype=float)
    bounds = np.cumsum([0] + [len(e.feats) for e in usable])
    group = np.repeat(np.arange(len(usable)), np.diff(bounds))
    to_group = sp.csr_matrix((np.ones(len(group)), (group, np.arange(len(group)))), shape=(len(usable), len(group)))
    golds = to_group @ y

    def loss(w: Any) -> tuple[float, Any]:
        s = x @ w
        top = np.maximum.reduceat(s, bounds[:-1])
        e = np.exp(s - top[group])
        z = to_group @ e
        log_lik = (to_group @ (y * s)) / golds - np.log(z) - top  # mean log-probability of the right ones
        grad_s = y / golds[group] - e / z[group]
        return float(-log_lik.sum() + l2 * w @ w), -(x.T @ grad_s) + 2 * l2 * w

    w = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    weights = {name: float(v) for name, v in zip(vec.get_feature_names_out(), w, strict=True)}
    return {k: round(v, 5) for k, v in weights.items() if abs(v) > 1e-5}


def evaluate(examples: list[Example], weights: dict[str, float]) -> dict[str, float]:
    """EM and character F1 of the best-scoring candidate per question, and the share that has a right one."""
    em = f1 = reachable = 0.0
    for e in examples:
        reachable += any(e.labels)
        if not e.feats:
            continue
        best = max(range(len(e.feats)), key=lambda i: span_score(weights, e.feats[i]))
        em += exact_match(e.golds, e.texts[best])
        f1 += char_f1(e.golds, e.texts[best])
    n = len(examples) or 1
    return {"questions": len(examples), "exact_match": round(em / n, 4), "char_f1": round(f1 / n, 4),
            "candidate_recall": round(reachable / n, 4)}


def main_fit(fit_dir: Path, out: Path) -> dict[str, Any]:
    """Choose the L2 penalty on the holdout, refit on everything, write the weights with their provenance."""
    started = time.time()
    tok = Tokenizer(cache_dir=HERE.parent / "var" / "cache")
    examples = build(fit_dir, tok)
    train = [e for e in examples if not in_holdout(e.paragraph)]
    hold = [e for e in examples if in_holdout(e.paragraph)]
    print(f"{len(examples)} questions, {sum(len(e.labels) for e in examples)} candidates; "
          f"{len(hold)} held out ({time.time() - started:.0f}s)", file=sys.stderr)
    grid, partial = [], {}
    for l2 in L2_GRID:
        partial[l2] = fit(train, l2)
        res = evaluate(hold, partial[l2])
        grid.append({"l2": l2, **res})
        print(f"l2={l2}: {res}", file=sys.stderr)
    chosen = max(grid, key=lambda r: (r["exact_match"] + r["char_f1"], r["l2"]))
    HOLDOUT_WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
    HOLDOUT_WEIGHTS.write_text(json.dumps({"weights": partial[chosen["l2"]]}), encoding="utf-8")
    weights = fit(examples, chosen["l2"])
    previous = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    data = {
        "model": "listwise linear ranker (softmax over each question's candidates, L2, L-BFGS) over rag.qa.spans.features",
        "fitted": time.strftime("%Y-%m-%d"),
        "data": f"{fit_dir.name}: {len(examples)} questions (CMRC 2018 trial + dev paragraphs without a test "
                "question); the L2 penalty chosen on a held-out 20% of the paragraphs, then refitted on all",
        "pool_sentences": SPAN_POOL,
        "holdout": {k: v for k, v in chosen.items()},
        "grid": grid,
        "ranked_types": previous.get("ranked_types", {}),
        "weights": dict(sorted(weights.items())),
    }
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> None:
    """Fit the weights (and, with --choose-types, choose on dev where the ranker answers)."""
    ap = argparse.ArgumentParser(prog="python -m eval.fit_spans")
    ap.add_argument("--fit-dir", type=Path, default=FIT_DIR)
    ap.add_argument("--out", type=Path, default=SPAN_WEIGHTS_FILE)
    ap.add_argument("--choose-types", action="store_true", help="only choose, on dev, the types it answers")
    args = ap.parse_args(argv)
    if args.choose_types:
        choose_types(args.out)
        return
    data = main_fit(args.fit_dir, args.out)
    print(json.dumps({k: data[k] for k in ("holdout", "ranked_types")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
