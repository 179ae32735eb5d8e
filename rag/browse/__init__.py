"""Browsing the archive beside asking it: the 大事记 timeline, the directory of departments and people,
feedback on answers, example questions, and the filters people type, checked against the archive. Reads the store; knows nothing of the answerers."""

from __future__ import annotations

from .directory import Entry, directory
from .examples import example_questions
from .feedback import export_eval_lines, record
from .filters import check_filters, make_filters
from .timeline import Milestone, milestones

__all__ = ["Entry", "Milestone", "check_filters", "directory", "example_questions", "export_eval_lines", "make_filters",
           "milestones", "record"]
