"""rag.qa.retrieve: calibrated fusion, the filters, and hybrid retrieval on the samples embedded with the
fake embedder (no model)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import fake_archive
from handmade import tiny_archive, tiny_issue

from rag import Archive, Filters, IndexNotBuiltError, answer_question
from rag.models import Article
from rag.qa.retrieve import (
    Fusion,
    agreement,
    dense_only,
    fuse,
    keyword_only,
    passes,
    printing_first,
    retrieve,
    standardized,
)
from rag.store import ArticleRow

F = Fusion(0.5, 0.2, 0.02)


def _order(fused: dict[str, float]) -> list[str]:
    return sorted(fused, key=lambda i: -fused[i])


def test_fuse_mixes_two_distributions_by_the_share() -> None:
    found = [("a", 4.0), ("b", 2.0)]
    dense = [("b", 0.9), ("c", 0.7), ("a", 0.8)]
    fused = fuse(found, dense, F)
    assert sum(fused.values()) == pytest.approx(1.0)  # 0.5 x one distribution + 0.5 x the other
    assert _order(fuse(found, dense, Fusion(1.0, 0.2, 0.02)))[:2] == ["a", "b"]  # keyword alone
    assert _order(fuse(found, dense, Fusion(0.0, 0.2, 0.02))) == ["b", "a", "c"]  # dense alone


def test_fuse_keeps_a_keyword_lead() -> None:
    # one chunk matching a rare word far above the rest keeps its lead over a dense winner by a hair
    fused = fuse([("rare", 10.0), ("x", 1.0)], [("x", 0.90), ("rare", 0.89)], F)
    assert _order(fused) == ["rare", "x"]


def test_flat_cosines_leave_the_keyword_order() -> None:
    found = [("a", 3.0), ("b", 2.9), ("c", 2.8)]
    flat = [("c", 0.8001), ("b", 0.8000), ("a", 0.8000)]
    assert _order(fuse(found, flat, Fusion(0.2, 0.2, 0.02))) == ["a", "b", "c"]
    peaked = [("c", 0.95), ("b", 0.70), ("a", 0.70)]  # the same dense winner, now far ahead: it decides
    assert _order(fuse(found, peaked, Fusion(0.2, 0.2, 0.02)))[0] == "c"


def test_agreement_is_the_overlap_of_the_best_few() -> None:
    found = [("a", 9.0), ("b", 8.0), ("c", 7.0), ("d", 1.0)]
    assert agreement(found, [("b", 0.9), ("a", 0.8), ("x", 0.7)], 2) == 1.0  # the same two, in another order
    assert agreement(found, [("b", 0.9), ("x", 0.8), ("a", 0.7)], 2) == 0.5
    assert agreement(found, [("x", 0.9), ("y", 0.8), ("d", 0.7)], 3) == 0.0
    assert agreement(found, [("a", 0.9)], 5) == 1.0  # a list shorter than the depth: measured on what there is
    assert agreement(found, [], 5) == agreement([], found, 5) == agreement(found, [("x", 0.9)], 0) == 1.0


def test_a_dense_ranking_the_keyword_side_does_not_bear_out_leaves_the_keyword_order() -> None:
    found = [("a", 3.0), ("b", 2.9), ("c", 2.8)]
    elsewhere = [("x", 0.95), ("y", 0.80), ("c", 0.79)]  # a clear dense lead on a chunk keyword search never found
    assert _order(fuse(found, elsewhere, Fusion(0.5, 0.2, 0.02)))[0] == "x"
    gated = Fusion(0.5, 0.2, 0.02, agreement_depth=2)
    assert _order(fuse(found, elsewhere, gated))[:3] == ["a", "b", "c"]
    # when the two agree on the best few, the gate changes nothing
    agreeing = [("b", 0.95), ("a", 0.80), ("c", 0.79)]
    assert fuse(found, agreeing, gated) == pytest.approx(fuse(found, agreeing, Fusion(0.5, 0.2, 0.02)))


def test_fuse_of_nothing_is_nothing() -> None:
    assert fuse([], [], F) == {}
    assert fuse([("a", 0.0)], [], F) == pytest.approx({"a": 0.5})  # zero BM25 scores do not divide by zero


def test_fusion_settings_come_from_the_fitted_file() -> None:
    import json

    from rag import load_settings
    from rag.settings import FITTED
    s = load_settings().retrieval
    values = json.loads(FITTED.read_text(encoding="utf-8"))["fusion"]["values"]
    assert (s.keyword_share, s.keyword_temperature, s.dense_temperature, s.dense_scale, s.agreement_depth) == (
        values["keyword_share"], values["keyword_temperature"], values["dense_temperature"], values["dense_scale"],
        values.get("agreement_depth", 0))
    assert Fusion.of(s) == Fusion(s.keyword_share, s.keyword_temperature, s.dense_temperature, s.dense_scale,
                                  s.agreement_depth)


def test_standardized_scores_measure_a_margin_by_the_candidates_spread() -> None:
    z = dict(standardized([("a", 0.84), ("b", 0.82), ("c", 0.80)]))
    assert z == pytest.approx({"a": 1.2247, "b": 0.0, "c": -1.2247}, abs=1e-4)
    # the same ranking ten times closer together is the same margin in standard deviations
    assert dict(standardized([("a", 0.824), ("b", 0.822), ("c", 0.820)])) == pytest.approx(z, abs=1e-4)
    assert standardized([("a", 0.5), ("b", 0.5)]) == [("a", 0.0), ("b", 0.0)]  # all equal: no margin
    assert standardized([]) == []


def test_with_z_scaled_dense_scores_a_crowded_dense_lead_counts_like_a_clear_one() -> None:
    found = [("a", 10.0), ("b", 9.0), ("c", 8.0)]
    clear, crowded = [("c", 0.90), ("a", 0.80), ("b", 0.79)], [("c", 0.810), ("a", 0.800), ("b", 0.799)]
    raw = Fusion(0.5, 0.2, 0.02)
    assert _order(fuse(found, clear, raw))[0] == "c" and _order(fuse(found, crowded, raw))[0] == "a"
    z = Fusion(0.5, 0.2, 0.5, "z")
    assert _order(fuse(found, clear, z)) == _order(fuse(found, crowded, z))


ROW = ArticleRow(id="301-02-x", total_no=301, issue_no=3, year=2025, date="2025-03-15", seq=2, page=2,
                 page_inferred=False, title="口腔科走进社区开展爱牙义诊", subtitle="", kind="news", department="口腔科",
                 author="许闻笛", editor_note="", body="为120余名居民检查口腔健康。", chars=15)


@pytest.mark.parametrize("filters,expected", [
    (Filters(), True),
    (Filters(total_nos=(301, 302)), True), (Filters(total_nos=(302,)), False),
    (Filters(pages=(2,)), True), (Filters(pages=(1, 3)), False),
    (Filters(departments=("口腔科",)), True), (Filters(departments=("营养科",)), False),
    (Filters(date_from="2025-03-15"), True), (Filters(date_from="2025-03-16"), False),
    (Filters(date_to="2025-03-15"), True), (Filters(date_to="2025-03-14"), False),
    (Filters(total_nos=(301,), pages=(1,)), False),  # every filter must pass
])
def test_passes(filters: Filters, expected: bool) -> None:
    assert passes(ROW, filters) is expected


@pytest.fixture(scope="module")
def samples(fake_sample_dir: Path) -> Archive:
    return fake_archive(fake_sample_dir)


QUESTION = "医疗安全警示教育大会"


def test_retrieve_returns_k_hits_best_first_with_their_ranks(samples: Archive) -> None:
    hits = retrieve(samples, QUESTION, k=8)
    assert len(hits) == 8
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    best = hits[0]
    assert (best.source.total_no, best.source.page, best.source.department) == (215, 1, "医患关系管理部")
    assert all(h.keyword_rank is not None or h.dense_rank is not None for h in hits)


def test_retrieve_keeps_at_most_max_chunks_per_article(samples: Archive, fake_sample_dir: Path) -> None:
    per_article = Counter(h.article_id for h in retrieve(samples, QUESTION, k=8))
    assert max(per_article.values()) == 2  # the default lets an article have two chunks …
    one = fake_archive(fake_sample_dir, max_chunks_per_article=1)
    hits = retrieve(one, QUESTION, k=8)
    assert len(hits) == 8 and max(Counter(h.article_id for h in hits).values()) == 1  # … and one, one


@pytest.mark.parametrize("filters,check,n", [
    (Filters(total_nos=(218,)), lambda s: s.total_no == 218, 8),
    (Filters(pages=(3,)), lambda s: s.page == 3, 8),
    (Filters(date_from="2026-05-01"), lambda s: s.date >= "2026-05-01", 8),
    (Filters(date_to="2026-05-01"), lambda s: s.date <= "2026-05-01", 8),
    # page 4 of 总第215期 holds two articles: two chunks each at most
    (Filters(total_nos=(215,), pages=(4,)), lambda s: (s.total_no, s.page) == (215, 4), 4),
])
def test_retrieve_respects_filters(samples: Archive, filters: Filters, check, n: int) -> None:  # type: ignore[no-untyped-def]
    hits = retrieve(samples, "医院举办活动", filters)
    assert len(hits) == n and all(check(h.source) for h in hits)


def test_a_department_filter_with_two_articles_gives_at_most_four_chunks(samples: Archive) -> None:
    hits = retrieve(samples, "医院举办活动", Filters(departments=("工会",)))
    assert len(hits) == 4 and {h.source.department for h in hits} == {"工会"}
    assert len({h.article_id for h in hits}) == 2


def test_a_filter_nothing_passes_gives_no_hits(samples: Archive) -> None:
    assert retrieve(samples, "医院举办活动", Filters(total_nos=(999,))) == []


def test_keyword_only_and_dense_only_baselines(samples: Archive) -> None:
    kw = keyword_only(samples, QUESTION, 5)
    assert len(kw) == 5 and all(h.dense_rank is None and h.keyword_rank == r for r, h in enumerate(kw))
    dn = dense_only(samples, QUESTION, 5)
    assert len(dn) == 5 and all(h.keyword_rank is None and h.dense_rank == r for r, h in enumerate(dn))
    assert [h.score for h in dn] == sorted((h.score for h in dn), reverse=True)


def test_retrieve_on_an_empty_archive_says_the_index_is_not_built(tmp_path: Path) -> None:
    with pytest.raises(IndexNotBuiltError):
        retrieve(fake_archive(tmp_path / "var"), QUESTION)


def test_a_unit_and_role_asked_puts_the_chunk_printing_them_whole_first(tmp_path: Path) -> None:
    """康复科的主任是谁: the articles saying 康复科 most do not name its 主任; the one printing 康复科主任 is read first."""
    def busy(n: int) -> Article:
        return Article(page=2, page_inferred=False, title=f"康复科康复讲堂第{n}讲", department="康复科", author="陆清和",
                       paragraphs=(f"康复科康复讲堂第{n}讲开讲，康复科护士长和康复科治疗师为康复科患者讲解康复训练。",))

    named = Article(page=1, page_inferred=False, title="首例机器人步态训练开展", department="康复科", author="唐亦舟",
                    paragraphs=("4月9日，康复科主任沈若溪团队为一名患者开展机器人步态训练。",))
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(*(busy(n) for n in range(1, 7)), named)))
    s = archive.settings
    narrow = Archive(replace(s, answer=replace(s.answer, evidence_articles=1)), archive.embeddings)  # the best only
    hits = printing_first(narrow, retrieve(narrow, "康复科的主任是谁？"), "康复科主任", Filters(), 20)
    assert "康复科主任" in hits[0].text
    assert answer_question(narrow, "康复科的主任是谁？").answer == "沈若溪"
