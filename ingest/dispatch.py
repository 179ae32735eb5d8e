"""Read one issue file with the reader its content calls for (PDF or text), or refuse it naming the file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rag.errors import IssueParseError
from rag.models import Issue

from .assemble import IssueMeta
from .ocr import OcrOptions, is_image, parse_images
from .pdf import parse_pdf
from .textfile import parse_text, read_text_file


def sha256_file(path: Path) -> str:
    """The file's SHA-256, recorded as its source fingerprint."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parse_file(path: Path, meta: IssueMeta = IssueMeta(), ocr: OcrOptions | None = None) -> Issue:
    """Parse a .txt or .pdf file (or page images, read by OCR) into an Issue, or raise IssueParseError."""
    if not path.exists():
        raise IssueParseError(f"{path}: no such file", f"文件不存在：{path}")
    if path.stat().st_size == 0:
        raise IssueParseError(f"{path}: the file is empty", f"文件为空：{path}")
    sha = sha256_file(path)
    head = path.open("rb").read(5)
    if head == b"%PDF-":
        return parse_pdf(path, meta, sha, ocr)
    if is_image(head):
        return parse_images(path, meta, sha, ocr)
    if path.suffix.lower() == ".pdf":
        raise IssueParseError(f"{path}: not a valid PDF file", f"不是有效的 PDF 文件：{path}")
    return parse_text(read_text_file(path), path, meta, sha)
