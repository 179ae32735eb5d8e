"""Fit the span ranker (rag/qa/spans.py) on the CMRC 2018 fitting set, never on the test sample:
candidates are generated from the gold paragraph's best sentences, labelled by exact match with a human
answer, and a logistic regression is fitted; the regularisation is chosen on a held-out fifth of the
paragraphs, then the model is refitted on all of them and written to rag/qa/span_weights.json.

    python -m eval.fit_spans                   # fit, choose C on the holdout, write the weights
    python -m eval.fit_spans --choose-types    # then choose, on the newspaper dev split, where to use it
"""

from __future__ import annotations

import argparse
import hashlib
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

from .choose_spans import choose_types
from .metrics import char_f1, exact_match, normalize_answer
from .run import load_jsonl

HERE = Path(__file__).resolve().parent
FIT_DIR = HERE.parent.parent / "shared" / "benchmarks" / "cmrc2018_fit"
C_GRID = (0.03, 0.1, 0.3)
HOLDOUT_SHARE = 0.2


@dataclass
class Example:
    """One question: its candidates' features and labels, and its gold answers."""

    qid: str
    paragraph: str
    golds: list[str]
    texts: list[str]
    feats: list[dict[str, float]]
    labels: list[int]


def in_holdout(paragraph_id: str) -> bool:
    """A fixed fifth of the paragraphs (by hash, so every run holds out the same ones)."""
    return int(hashlib.md5(paragraph_id.encode()).hexdigest(), 16) % 100 < HOLDOUT_SHARE * 100


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


def fit(examples: list[Example], c_value: float) -> dict[str, float]:
    """Logistic regression over the candidates of questions that have a right one; the weights as a dict."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    usable = [e for e in examples if any(e.labels)]
    feats = [f for e in usable for f in e.feats]
    labels = [y for e in usable for y in e.labels]
    vec = DictVectorizer()
    x = vec.fit_transform(feats)
    model = LogisticRegression(C=c_value, max_iter=2000, class_weight="balanced")
    model.fit(x, labels)
    weights = {name: float(w) for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)}
    weights["bias"] = weights.get("bias", 0.0) + float(model.intercept_[0])
    return {k: round(v, 5) for k, v in weights.items() if abs(v) > 1e-6}


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
    """Choose C on the holdout, refit on everything, write the weights with their provenance."""
    started = time.time()
    tok = Tokenizer(cache_dir=HERE.parent / "var" / "cache")
    examples = build(fit_dir, tok)
    train = [e for e in examples if not in_holdout(e.paragraph)]
    hold = [e for e in examples if in_holdout(e.paragraph)]
    print(f"{len(examples)} questions, {sum(len(e.labels) for e in examples)} candidates; "
          f"{len(hold)} held out ({time.time() - started:.0f}s)", file=sys.stderr)
    grid = []
    for c_value in C_GRID:
        res = evaluate(hold, fit(train, c_value))
        grid.append({"C": c_value, **res})
        print(f"C={c_value}: {res}", file=sys.stderr)
    chosen = max(grid, key=lambda r: (r["exact_match"] + r["char_f1"], -r["C"]))
    weights = fit(examples, chosen["C"])
    previous = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    data = {
        "model": "logistic regression (sklearn, class_weight=balanced) over rag.qa.spans.features",
        "fitted": time.strftime("%Y-%m-%d"),
        "data": f"{fit_dir.name}: {len(examples)} questions (CMRC 2018 trial + dev paragraphs without a test "
                "question); C chosen on a held-out 20% of the paragraphs, then refitted on all",
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
