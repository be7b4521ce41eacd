"""The values that flow through the pipeline: removals, units and reports.

Examples
--------
>>> u = Unit(text="特此报告。", kind="sentence", heading_path=(), section="other",
...          paragraph=0, start=0, end=5, index=0)
>>> u.heading
''
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional, Union

#: One report as the pipeline accepts it: a path, raw bytes, or the report's text.
ReportSource = Union[str, bytes, os.PathLike]

#: Unit kinds produced by :func:`fazhi_nlp.segment`.
KINDS = ("heading", "sentence", "clause")
#: Report sections read from the headings.
SECTIONS = ("achievements", "responsibility", "problems", "plans", "other")


@dataclass(frozen=True)
class Removal:
    """One piece of text taken out by a stage, kept so the change can be audited.

    ``text`` is exactly what was removed. ``line`` is its 1-based line number: in a
    :class:`Report`, a line of ``Report.source_text`` for the clean and dedup stages, and a
    line of the file as stored for the read stage (HTML source, or the PDF page in
    ``reason``).
    """

    stage: str
    kind: str
    text: str
    line: int
    reason: str


@dataclass(frozen=True)
class Unit:
    """A heading, sentence or enumerated clause, with its place in the cleaned text.

    ``text == report_text[start:end]`` always holds.
    """

    text: str
    kind: str
    heading_path: tuple[str, ...]
    section: str
    paragraph: int
    start: int
    end: int
    index: int

    @property
    def heading(self) -> str:
        """The nearest heading above this unit ('' when there is none)."""
        return self.heading_path[-1] if self.heading_path else ""


@dataclass(frozen=True)
class Report:
    """One report after read → clean → dedup → segment.

    ``text`` is the cleaned, deduplicated text the units point into; ``source_text`` is
    what was read, unchanged, so nothing is ever lost. ``addressee`` is whom the report
    is addressed to (``县委、县政府``), read from the line above its first paragraph.
    """

    doc_id: str
    text: str
    units: tuple[Unit, ...]
    title: Optional[str] = None
    agency: Optional[str] = None
    year: Optional[int] = None
    published: Optional[str] = None
    signed: Optional[str] = None
    removed: tuple[Removal, ...] = ()
    addressee: Optional[str] = None
    source: Optional[str] = None
    source_text: str = field(default="", repr=False)

    def __len__(self) -> int:
        return len(self.units)
