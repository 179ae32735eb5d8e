"""The evaluation splits. dev: the original 155 questions and six blind-written dev sets, on the samples plus
dev issues 222 to 227 (look, tune, fit). test: the blind-written held-out set on the samples plus test issue 221,
frozen at the commit REPORT.md names and only ever read to report. Each split has its own archive."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest import ingest_paths
from rag import Archive, Settings

from .run import load_jsonl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEST_FROZEN_AT = "675f0cf"  # the commit that added eval/test/ (never edited since)


@dataclass(frozen=True)
class Split:
    """One split: the issues it adds to the bundled archive, and its question, claim and dialogue files."""

    name: str
    issues: tuple[Path, ...]
    questions: tuple[Path, ...]
    claims: tuple[Path, ...]
    dialogues: tuple[Path, ...]

    def load(self, files: tuple[Path, ...]) -> list[dict[str, Any]]:
        """Every line of the files, each tagged with this split."""
        return [{**item, "split": self.name} for f in files if f.exists() for item in load_jsonl(f)]

    def archive(self, settings: Settings) -> Archive:
        """The split's archive (var/eval/NAME-archive): the bundled issues and its own, ingested if needed."""
        archive = Archive(settings.with_(data_dir=settings.data_dir / "eval" / f"{self.name}-archive",
                                         embed_threads=settings.embedding.ingest_threads))
        bad = [r for r in ingest_paths(archive, [ROOT / "archive", *self.issues]) if r.status == "error"]
        if bad:
            raise ValueError(f"cannot ingest {bad[0].path}: {bad[0].error}")
        return Archive(settings.with_(data_dir=archive.settings.data_dir))  # questions: the asking thread count


SPLITS = {
    "dev": Split("dev", tuple(HERE / "dev" / f"issue_{n}.txt" for n in (222, 223, 224, 225, 226, 227)),
                 (HERE / "questions.jsonl", *(HERE / "dev" / f"questions{k}.jsonl" for k in ("", 2, 3, 4, 5, 6))),
                 (HERE / "claims.jsonl", *(HERE / "dev" / f"claims{k}.jsonl" for k in ("", 2, 3, 4, 5, 6))),
                 tuple(HERE / "dev" / f"dialogues{k}.jsonl" for k in ("", 2, 3, 4, 5, 6))),
    "test": Split("test", (HERE / "test" / "issue_221.txt",), (HERE / "test" / "questions.jsonl",),
                  (HERE / "test" / "claims.jsonl",), (HERE / "test" / "dialogues.jsonl",)),
}
