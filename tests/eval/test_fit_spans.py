"""eval.fit_spans and eval.choose_spans: the fit picks the candidate its features favour, the holdout is fixed,
and a question type uses the ranker on dev only when it loses no right or exact answer."""

from __future__ import annotations

from eval.choose_spans import choose
from eval.fit_spans import Example, evaluate, fit, in_holdout


def _example(qid: str, right: int) -> Example:
    texts = ["甲", "乙", "丙"]
    feats = [{"bias": 1.0, "good": float(i == right), "noise": float(i == (right + 1) % 3)} for i in range(3)]
    return Example(qid, f"p{qid}", [texts[right]], texts, feats, [int(i == right) for i in range(3)])


def test_the_fitted_weights_pick_the_candidate_the_labels_mark() -> None:
    examples = [_example(str(n), n % 3) for n in range(30)]
    weights = fit(examples, 1.0)
    assert weights["good"] > 0 > weights.get("noise", 0.0) - 1e-9
    assert evaluate(examples, weights) == {"questions": 30, "exact_match": 1.0, "char_f1": 1.0,
                                           "candidate_recall": 1.0}


def test_a_question_with_no_right_candidate_counts_against_recall_and_em() -> None:
    unreachable = Example("x", "px", ["丁"], ["甲"], [{"bias": 1.0}], [0])
    res = evaluate([_example("1", 0), unreachable], {"good": 1.0})
    assert (res["exact_match"], res["candidate_recall"]) == (0.5, 0.5)


def test_the_holdout_is_a_fixed_fifth_of_the_paragraphs() -> None:
    ids = [f"DEV_{n}" for n in range(1000)]
    held = [i for i in ids if in_holdout(i)]
    assert 150 < len(held) < 250 and held == [i for i in ids if in_holdout(i)]


def test_a_type_uses_the_ranker_only_when_nothing_right_or_exact_is_lost() -> None:
    tallies = {
        "off": {"open": (10, 4), "person": (20, 18), "list": (5, 2)},
        "replace": {"open": (9, 9), "person": (21, 18), "list": (5, 2)},
        "fallback": {"open": (10, 6), "list": (6, 1)},
        "fallback@2.0": {"open": (10, 7), "list": (5, 2)},
    }
    # open: replace gains more but loses a right answer, the floor keeps the most; person: replace gains one
    # (fallback is not tried on it); list: fallback loses an exact answer, its floor gains nothing
    assert choose(tallies) == {"list": "off", "open": "fallback@2.0", "person": "replace"}
