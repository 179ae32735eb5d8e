"""Browsing the archive beside asking it: the 大事记 timeline, the directory of departments and people,
feedback on answers, example questions, and the filters people type, checked against the archive. Reads the store; knows nothing of the answerers."""

from __future__ import annotations

from .directory import Entry, Listed, directory, directory_entry, directory_search
from .examples import example_questions
from .feedback import export_eval_lines, record
from .filters import check_filters, make_filters
from .timeline import Milestone, TimelinePage, milestones, timeline_page

__all__ = ["Entry", "Listed", "Milestone", "TimelinePage", "check_filters", "directory", "directory_entry",
           "directory_search", "example_questions", "export_eval_lines", "make_filters", "milestones", "record",
           "timeline_page"]
