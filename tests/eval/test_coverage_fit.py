"""eval.coverage_fit.choose: the near-miss thresholds refuse misleading answers within a budget of right ones,
on every set."""

from __future__ import annotations

from eval.coverage_fit import Point, choose
from rag import Cover


def _p(group: str, answerable: bool, correct: bool, attribute: float, topic: float,
       sibling: tuple[str, str] | None = None) -> Point:
    return Point(f"{group}-{attribute}-{topic}", "问题", answerable, correct, Cover(attribute, topic, (), sibling), group)


def test_the_thresholds_catch_the_most_near_misses_within_the_budget_on_each_set() -> None:
    dev = [_p("dev", False, False, 0.9, 0.0), _p("dev", False, False, 0.6, 0.0)]  # near misses
    dev += [_p("dev", True, True, 0.1, 0.0)] * 19 + [_p("dev", True, False, 0.7, 0.0)]  # and a wrong answer
    # another set's answers miss more of the attribute than the second near miss
    other = [_p("other", True, True, 0.65, 0.0)] * 2 + [_p("other", True, True, 0.0, 0.0)] * 18
    a, t, sib, stats = choose(dev + other, 0.05, {"dev": 20, "other": 20})
    assert (a, t) == (0.7, 1.0)  # one question of 20 is the budget: the 0.7 answer stays, so does a near miss
    assert stats["of_them_abstained"] == 1
    assert stats["answerable_abstained"] == {"dev": 0, "other": 0}

    a, t, sib, stats = choose(dev + other, 0.10, {"dev": 20, "other": 20})  # two of 20 may go
    assert (a, t) == (0.1, 1.0)
    assert stats["of_them_abstained"] == 2
    assert stats["answerable_abstained"] == {"dev": 1, "other": 2}
    assert stats["of_them_right"] == {"dev": 0, "other": 2}

    a, t, sib, _ = choose(dev, 0.10, {"dev": 20})  # on dev alone the second near miss is free to catch
    assert (a, t) == (0.1, 1.0)
    a, t, sib, _ = choose(dev + other, 0.0, {"dev": 20, "other": 20})
    assert (a, t) == (0.7, 1.0)


def test_the_sibling_check_is_switched_on_only_within_the_budget() -> None:
    pair = ("女子", "男子")
    dev = [_p("dev", False, False, 0.0, 0.0, pair)] + [_p("dev", True, True, 0.0, 0.0)] * 19
    other = [_p("other", True, True, 0.0, 0.0, pair)] + [_p("other", True, True, 0.0, 0.0)] * 19
    a, t, sib, stats = choose(dev + other, 0.05, {"dev": 20, "other": 20})  # one refusal of 20 is allowed
    assert (a, t, sib) == (1.0, 1.0, True) and stats["of_them_abstained"] == 1
    assert stats["siblings_alone"] == {"unanswerable_abstained": 1, "dev": 0, "other": 1}
    a, t, sib, _ = choose(dev + other, 0.0, {"dev": 20, "other": 20})  # none is
    assert (a, t, sib) == (1.0, 1.0, False)
