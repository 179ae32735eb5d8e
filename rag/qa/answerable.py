"""Does the best evidence sentence answer the question, or does the archive not say? A small logistic model
over general signals of the sentence and its retrieval — how much of the question's weight it and its
neighbourhood print, the same counting only words the archive prints somewhere (a colloquial word no article
uses, 娃 or 岁数, says nothing either way), how close the sentence's chunk is in meaning (the embedding's
cosine, beside the best one), where retrieval ranked it, and the kind of answer asked for. The weights and
the probability below which the answerer abstains are fitted by eval/fit_answerable.py on the dev split and a
CMRC fitting sample (rag/qa/answerable.json); without that file the older rule stands: the sentence's
coverage below abstain_threshold."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..store import Archive, catalog, keyword
from ..text import normalize
from .evidence import Scored, coverage

MODEL_FILE = Path(__file__).with_name("answerable.json")


@dataclass(frozen=True)
class Gate:
    """What the decision reads from the question once: the share of its weight that is in words the archive
    never prints, its type, and the best cosine among the retrieved chunks."""

    novel_share: float
    qtype: str
    top_dense: float
    hard: bool = False  # the answer must be of a kind (rag.qa.extractive.HARD_TYPES), found in the sentence
    article_cover: Callable[[str], float] = lambda _id: 0.0  # the question's coverage by an article (by id)

    def signals(self, best: Scored) -> dict[str, float]:
        """The signals of one candidate sentence (each 0–1, or near it)."""
        known = max(1e-9, 1.0 - self.novel_share)
        article = self.article_cover(best.hit.article_id)
        dense = best.hit.dense_score
        kw = best.hit.keyword_rank
        return {
            "bias": 1.0,
            "coverage": best.coverage,
            "context": best.context,
            # the same shares counting only the words the archive prints somewhere
            "known_coverage": min(1.0, best.coverage / known),
            "known_context": min(1.0, best.context / known),
            # … and in the whole article the sentence stands in
            "article_coverage": article,
            "article_known_coverage": min(1.0, article / known),
            "novel_share": self.novel_share,
            "dense": dense,
            "dense_gap": max(0.0, self.top_dense - dense) if dense else 1.0,
            "top_dense": self.top_dense,
            "keyword_rank": 1.0 / (1 + kw) if kw is not None else 0.0,
            "article_rank": 1.0 / (1 + best.rank),
            "hard": float(self.hard),
            "list": float(self.qtype == "list"),
        }


def gate_for(archive: Archive, qtype: str, weights: dict[str, float], top_dense: float, hard: bool) -> Gate:
    """The gate of one question: weights are its words' weights (rag.qa.evidence.question_weights); hard,
    whether its type is one whose answer must be found as such (the extractor's HARD_TYPES)."""
    total = sum(weights.values())
    df, _ = keyword.document_frequencies(archive.conn, list(weights))
    novel = sum(w for t, w in weights.items() if not df.get(t, 0))

    @lru_cache(maxsize=16)
    def article_cover(article_id: str) -> float:  # the title, byline and body of the article
        art = catalog.get_article(archive.conn, article_id)
        text = normalize(f"{art.title} {art.subtitle} {art.department} {art.author} {art.body}") if art else ""
        return coverage(weights, text) if text and weights else 0.0

    return Gate(novel / total if total > 0 else 0.0, qtype, top_dense, hard, article_cover)


@dataclass(frozen=True)
class Model:
    """Fitted weights over the signals, and the probability below which the answerer abstains."""

    weights: dict[str, float]
    threshold: float

    def probability(self, signals: dict[str, float]) -> float:
        """The model's probability that answering from this sentence gives a right answer."""
        z = sum(self.weights.get(k, 0.0) * v for k, v in signals.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> Model | None:
    """The fitted model, or None when none was fitted (the coverage threshold then decides)."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model({str(k): float(v) for k, v in dict(data["weights"]).items()}, float(data["threshold"]))
