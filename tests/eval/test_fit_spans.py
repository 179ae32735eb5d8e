"""eval.fit_spans and eval.choose_spans: the fit picks the candidate its features favour, the holdout is fixed,
and a question type uses the ranker where it gains the most right plus exact answers over dev and CMRC
without losing a right dev answer."""

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


def test_a_type_uses_the_ranker_where_it_gains_most_over_both_sets_losing_no_right_dev_answer() -> None:
    dev = {
        "off": {"open": (10, 4), "person": (20, 18), "list": (5, 2)},
        "replace": {"open": (6, 9), "person": (21, 18), "list": (5, 2)},
        "fallback": {"open": (10, 6), "list": (6, 1)},
        "fallback@0.5": {"open": (10, 7), "list": (5, 2)},
    }
    cmrc = {
        "off": {"open": (40, 5), "person": (8, 3), "list": (4, 0)},
        "replace": {"open": (35, 20), "person": (6, 3), "list": (4, 0)},
        "fallback": {"open": (40, 8), "list": (4, 0)},
        "fallback@0.5": {"open": (39, 12), "list": (4, 0)},
    }
    # open: replace would gain 1 + 10 = 11 but loses four right dev answers; the floor gains 3 + 6 = 9 and
    # loses none. person: replace gains one on dev but loses two on CMRC. list: fallback's right answer is paid
    # for by an exact one, which is no gain
    assert choose({"dev": dev, "cmrc": cmrc}) == {"list": "off", "open": "fallback@0.5", "person": "off"}
    dev["replace"]["open"] = (10, 9)  # losing no right dev answer, replace gains the most
    assert choose({"dev": dev, "cmrc": cmrc})["open"] == "replace"
