"""Chooses `claim_support` (rag/settings.py) on the dev split: the dev claims and yes/no questions are checked
at each candidate value and the value with the most right verdicts is kept (of equals, the highest: the
most cautious). Run: python -m eval.claims_fit"""

from __future__ import annotations

import json
from typing import Any

from rag import Archive, check, load_settings, yesno_claim

from .splits import SPLITS

CANDIDATES = [round(0.30 + 0.025 * i, 3) for i in range(17)]
_VERDICT = {"是": "supported", "否": "contradicted"}


def cases(archive: Archive) -> list[tuple[str, str]]:
    """(claim, expected verdict) of every dev claim and dev yes/no question."""
    split = SPLITS["dev"]
    out = [(c["claim"], c["verdict"]) for c in split.load(split.claims)]
    for q in split.load(split.questions):
        if q.get("type") == "yesno":
            golds = q.get("answers") or []
            out.append((yesno_claim(archive, q["question"]),
                        _VERDICT.get(golds[0], "not_found") if golds else "not_found"))
    return out


def main() -> int:
    """Print the accuracy at each candidate and the value chosen."""
    archive = SPLITS["dev"].archive(load_settings())
    todo = cases(archive)
    scores: dict[float, int] = {}
    for value in CANDIDATES:
        at = Archive(archive.settings.with_(claim_support=value), archive.embeddings)
        scores[value] = sum(check(at, claim).verdict == want for claim, want in todo)
    best = max(scores, key=lambda v: (scores[v], v))
    result: dict[str, Any] = {"claim_support": best, "right": scores[best], "of": len(todo),
                              "by_value": {str(v): s for v, s in scores.items()}}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
