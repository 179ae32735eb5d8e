"""The catalog as the (contract) JSON listing: issues with their articles in reading order."""

from __future__ import annotations

from rag.store import Archive


def catalog_json(archive: Archive) -> list[dict[str, object]]:
    """The (contract) listing: issues with their articles in reading order."""
    out = []
    for iss in archive.issues():
        out.append({
            "issue_no": iss.issue_no, "total_no": iss.total_no, "date": iss.date, "year": iss.year,
            "source": iss.source, "publication": iss.publication, "weekday": iss.weekday,
            "editors": {role: list(names) for role, names in iss.editors}, "kind": iss.kind,
            "articles": [
                {"page": a.page, "page_inferred": a.page_inferred, "title": a.title, "subtitle": a.subtitle,
                 "department": a.department, "author": a.author, "chars": a.chars, "id": a.id}
                for a in archive.articles(iss.total_no)
            ],
        })
    return out
