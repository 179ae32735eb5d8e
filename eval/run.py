"""The evaluation run: our answerer and the baselines on the same questions, with the same embedding model."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from rag import Answer, Archive, Filters, Hit, answer_question, bind_followup, check, dense_only, keyword_only, retrieve

from .metrics import (
    char_f1,
    contains_answer,
    exact_match,
    first_hit_rank,
    normalize_answer,
    percentile,
    retrieval_summary,
)

SourceKey = tuple[Any, Any]


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """JSON Lines, skipping blank lines; a bad line names its number."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return out


def hit_key(h: Hit) -> SourceKey:
    """What a retrieved chunk counts as: (issue, page) for the paper, the document id for a corpus."""
    return h.source.key()


def gold_keys(item: dict[str, Any]) -> set[SourceKey]:
    """Gold (issue, page) pairs, or gold document ids."""
    if "gold_doc_ids" in item:
        return {("doc", d) for d in item["gold_doc_ids"]}
    return {(s["issue"], s["page"]) for s in item.get("sources", [])}


def ask_item(archive: Archive, item: dict[str, Any]) -> tuple[str, Answer]:
    """(the question as asked, the answer) of an evaluation item; a follow-up ("previous": the first turn's
    question) is resolved against the answer to its first turn."""
    question, filters = item["question"], Filters()
    if "previous" in item:
        question, filters = bind_followup(question, answer_question(archive, item["previous"]))
    return question, answer_question(archive, question, filters)


def gold_answers(item: dict[str, Any]) -> list[str]:
    """Acceptable answers (any one counts)."""
    if "answers" in item and isinstance(item["answers"], list):
        return [a for a in item["answers"] if a]
    return [item["answer"]] if item.get("answer") else []


@dataclass
class QuestionResult:
    """One question's outcome."""

    id: str
    question: str
    type: str
    golds: list[str]
    gold_sources: list[SourceKey]
    answer: str
    abstained: bool
    confidence: float
    first_citation: SourceKey | None
    rank: int | None
    correct: bool
    exact: bool
    f1: float
    cite_ok: bool
    latency_ms: float
    evidence: list[str] = field(default_factory=list)
    group: str = ""
    concise: bool = False
    asked: str = ""  # the question as the answerer understood it (a follow-up resolved)

    @property
    def answerable(self) -> bool:
        """The archive holds the answer."""
        return bool(self.golds)


def judge(item: dict[str, Any], ans: Answer) -> tuple[bool, bool, float, bool]:
    """(correct, exact, char F1, concise) of an answer. A list counts only when it names every item; a yes/no
    question by the 是/否 it opens with; concise means no longer than 2 × the gold + 8 characters."""
    golds = gold_answers(item)
    if not golds or ans.abstained:
        return False, False, 0.0 if golds else 0.0, False
    short = ans.answer
    if set(golds) <= {"是", "否"}:
        ok = short.startswith(tuple(golds))
        return ok, ok, 1.0 if ok else 0.0, ok
    items = item.get("items") or []
    correct = all(contains_answer([i], short) for i in items) if items else contains_answer(golds, short)
    concise = correct and len(normalize_answer(short)) <= 2 * min(len(normalize_answer(g)) for g in golds) + 8
    return correct, exact_match(golds, short), char_f1(golds, short), concise


def _result(item: dict[str, Any], ans: Answer, latency: float, hits: list[Hit], asked: str) -> QuestionResult:
    golds, gsrc = gold_answers(item), gold_keys(item)
    first = ans.citations[0].source.key() if ans.citations else None
    correct, exact, f1, concise = judge(item, ans)
    return QuestionResult(
        id=item["id"], question=item.get("question", ""), type=item.get("type", ""), golds=golds,
        gold_sources=sorted(gsrc, key=str), answer=ans.answer, abstained=ans.abstained, confidence=ans.confidence,
        first_citation=first, rank=first_hit_rank([hit_key(h) for h in hits], gsrc) if gsrc else None,
        correct=correct, exact=exact, f1=f1, cite_ok=first is not None and first in gsrc, latency_ms=latency,
        evidence=list(ans.evidence[:2]), group=item.get("group", ""), concise=concise, asked=asked)


def run_questions(archive: Archive, questions: list[dict[str, Any]],
                  progress: Callable[[int, int], None] | None = None) -> list[QuestionResult]:
    """Ask every question; record retrieval rank, answer, citation and latency. A question that crashes the
    answerer is recorded as a wrong answer with the error, and the run goes on."""
    out = []
    for n, item in enumerate(questions, start=1):
        started = time.perf_counter()
        try:
            ans = answer_question(archive, item["question"])
        except Exception as exc:  # noqa: BLE001 - a crash is a result to report, not a reason to stop
            ans = Answer(question=item["question"], answer=f"CRASH {type(exc).__name__}: {exc}", abstained=False)
        latency = (time.perf_counter() - started) * 1000
        hits = retrieve(archive, item["question"]) if gold_keys(item) else []
        out.append(_result(item, ans, latency, hits, item["question"]))
        if progress:
            progress(n, len(questions))
    return out


def run_dialogues(archive: Archive, dialogues: list[dict[str, Any]]) -> list[QuestionResult]:
    """Two-turn dialogues: the first turn is asked, the follow-up is resolved against its answer and scored."""
    out = []
    for d in dialogues:
        first, second = d["turns"][0], d["turns"][-1]
        started = time.perf_counter()
        try:
            previous = answer_question(archive, first["question"])
            asked, filters = bind_followup(second["question"], previous)
            ans = answer_question(archive, asked, filters)
        except Exception as exc:  # noqa: BLE001
            asked, ans = second["question"], Answer(question=second["question"], answer=f"CRASH {exc}", abstained=False)
        item = {**second, "id": d["id"], "type": d.get("type", "dialogue"), "group": "dialogue"}
        out.append(_result(item, ans, (time.perf_counter() - started) * 1000, [], asked))
    return out


def summarize(results: list[QuestionResult]) -> dict[str, Any]:
    """Every headline number of a question set."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    abstained = [r for r in results if r.abstained]
    n = len(answerable) or 1
    lat = [r.latency_ms for r in results]
    summary: dict[str, Any] = {
        "questions": len(results), "answerable": len(answerable), "unanswerable": len(unanswerable),
        **retrieval_summary(r.rank for r in answerable if r.gold_sources),
        "answer_accuracy": sum(r.correct for r in answerable) / n,
        "exact_match": sum(r.exact for r in answerable) / n,
        "char_f1": sum(r.f1 for r in answerable) / n,
        "citation_accuracy": sum(r.cite_ok for r in answerable) / n,
        "abstain_precision": (sum(1 for r in abstained if not r.answerable) / len(abstained)) if abstained else 1.0,
        "abstain_recall": (sum(1 for r in unanswerable if r.abstained) / len(unanswerable)) if unanswerable else 1.0,
        "false_abstention": sum(1 for r in answerable if r.abstained) / n,
        "concise": (sum(r.concise for r in answerable) / max(1, sum(r.correct for r in answerable))),
        "crashes": sum(1 for r in results if r.answer.startswith("CRASH")),
        "latency_p50_ms": percentile(lat, 50), "latency_p95_ms": percentile(lat, 95),
    }
    summary["by_type"] = _breakdown(results, lambda r: r.type)
    summary["by_group"] = _breakdown(results, lambda r: r.group or "(none)")
    return summary


def _breakdown(results: list[QuestionResult], key: Callable[[QuestionResult], str]) -> dict[str, dict[str, Any]]:
    """Per type or group: n, answer and citation accuracy over the answerable, and the share abstained —
    which, for unanswerable questions, is their accuracy."""
    groups: dict[str, list[QuestionResult]] = defaultdict(list)
    for r in results:
        groups[key(r)].append(r)
    out = {}
    for name, rs in sorted(groups.items()):
        answerable = [r for r in rs if r.answerable]
        unanswerable = [r for r in rs if not r.answerable]
        right = sum(r.correct for r in answerable) + sum(r.abstained for r in unanswerable)
        out[name] = {"n": len(rs), "right": right / len(rs),
                     "answer_accuracy": sum(r.correct for r in answerable) / len(answerable) if answerable else None,
                     "citation_accuracy": sum(r.cite_ok for r in answerable) / len(answerable) if answerable else None,
                     "abstained": sum(r.abstained for r in rs) / len(rs)}
    return out


def worst(results: list[QuestionResult], k: int = 10) -> list[QuestionResult]:
    """The failures most worth reading: wrong answers, wrong abstentions, then wrong citations."""
    def badness(r: QuestionResult) -> tuple[int, float]:
        if r.answerable and not r.correct and not r.abstained:
            return (0, -r.confidence)
        if r.answerable and r.abstained:
            return (1, -r.confidence)
        if not r.answerable and not r.abstained:
            return (2, -r.confidence)
        if r.answerable and not r.cite_ok:
            return (3, -r.confidence)
        return (9, 0.0)
    return [r for r in sorted(results, key=badness) if badness(r)[0] < 9][:k]


def sweep_thresholds(archive: Archive, questions: list[dict[str, Any]]) -> list[dict[str, float]]:
    """Abstention trade-off per threshold, from one run with abstention off (answers are kept with their
    confidence, then abstained offline for each threshold)."""
    open_archive = Archive(archive.settings.with_(abstain_threshold=0.0, abstain_model="off"), archive.embeddings)
    results = run_questions(open_archive, questions)
    rows = []
    for t in [x / 100 for x in range(0, 81, 5)]:
        sim = [replace(r, abstained=r.abstained or r.confidence < t,
                       correct=r.correct and r.confidence >= t, cite_ok=r.cite_ok and r.confidence >= t)
               for r in results]
        s = summarize(sim)
        rows.append({"threshold": t, "answer_accuracy": s["answer_accuracy"], "abstain_recall": s["abstain_recall"],
                     "false_abstention": s["false_abstention"], "abstain_precision": s["abstain_precision"]})
    return rows


def run_claims(archive: Archive, claims: list[dict[str, Any]]) -> dict[str, Any]:
    """Verdict accuracy over the claims, with the misses."""
    misses = []
    correct = 0
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in claims:
        v = check(archive, c["claim"])
        ok = v.verdict == c["verdict"]
        correct += ok
        per[c["verdict"]][0] += ok
        per[c["verdict"]][1] += 1
        if not ok:
            misses.append({"id": c["id"], "claim": c["claim"], "expected": c["verdict"], "got": v.verdict,
                           "explanation": v.explanation})
    return {"claims": len(claims), "verdict_accuracy": correct / (len(claims) or 1),
            "by_verdict": {k: v[0] / v[1] for k, v in sorted(per.items())}, "misses": misses}


# ---- baselines ------------------------------------------------------------------------------------------------


def baseline_ranks(archive: Archive, questions: list[dict[str, Any]], k: int = 10) -> dict[str, dict[str, float]]:
    """hit@1/hit@5/MRR of ours, BM25 only and dense only, over the answerable questions."""
    answerable = [q for q in questions if gold_keys(q)]
    systems: dict[str, Callable[[str], list[Hit]]] = {
        "ours (hybrid, fused, diversified)": lambda q: retrieve(archive, q),
        "BM25 only (jieba + archive dictionary)": lambda q: keyword_only(archive, q, k),
        "dense only (same embedding model)": lambda q: dense_only(archive, q, k),
    }
    out = {}
    for name, fn in systems.items():
        ranks = [first_hit_rank([hit_key(h) for h in fn(q["question"])], gold_keys(q)) for q in answerable]
        out[name] = retrieval_summary(ranks)
    return out


def tutorial_pipeline_ranks(archive: Archive, raw_files: list[Path], questions: list[dict[str, Any]],
                            k: int = 10) -> dict[str, float]:
    """The LangChain tutorial pipeline: RecursiveCharacterTextSplitter(500, 50) over the raw files, Chroma
    top-k with the same embeddings. A raw chunk counts as the (issue, page) of the article it overlaps most."""
    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
    articles = archive.articles()
    shingles = {(a.total_no, a.page, a.id): _shingles(a.title + a.body) for a in articles}
    by_source = {i.source: i.total_no for i in archive.issues()}
    texts, keys = [], []
    for f in raw_files:
        total_no = by_source.get(f.name)
        for chunk in splitter.split_text(f.read_text(encoding="utf-8")):
            sh = _shingles(chunk)
            best = max(((len(sh & s), key) for key, s in shingles.items() if key[0] == total_no), default=(0, None))
            texts.append(chunk)
            keys.append((best[1][0], best[1][1]) if best[1] else (total_no, 0))
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    col = client.create_collection("tutorial", embedding_function=None, metadata={"hnsw:space": "cosine"})
    vectors = archive.embeddings.embed_documents(texts)
    col.add(ids=[str(i) for i in range(len(texts))], embeddings=vectors)
    ranks = []
    for q in questions:
        gold = gold_keys(q)
        if not gold:
            continue
        res = col.query(query_embeddings=[archive.embeddings.embed_query(q["question"])], n_results=min(k, len(texts)))
        ranks.append(first_hit_rank([keys[int(i)] for i in res["ids"][0]], gold))
    client.delete_collection("tutorial")
    return retrieval_summary(ranks)


def _shingles(text: str, n: int = 6) -> set[str]:
    t = "".join(text.split())
    return {t[i: i + n] for i in range(max(0, len(t) - n + 1))}

