"""The one entry point that knows every stage: read → clean → dedup → segment.

Examples
--------
>>> report = process("某区司法局2023年法治政府建设情况报告\\n发布日期:2024-01-20\\n"
...                  "一、主要举措和成效\\n全年办理行政复议案件12件。\\n特此报告。")
>>> report.title, report.agency, report.year, report.published
('某区司法局2023年法治政府建设情况报告', '某区司法局', 2023, '2024-01-20')
>>> [(u.kind, u.section, u.text) for u in report.units]  # doctest: +NORMALIZE_WHITESPACE
[('heading', 'achievements', '一、主要举措和成效'), ('sentence', 'achievements', '全年办理行政复议案件12件。'),
 ('sentence', 'achievements', '特此报告。')]
"""
from __future__ import annotations

import hashlib
from typing import Optional

from .clean import clean, reported_year
from .dedup import dedup
from .errors import InputError
from .read import Source, path_of, read_report
from .segment import segment
from .types import Report


def process(source: Source, *, doc_id: Optional[str] = None) -> Report:
    """Read, clean, deduplicate and segment one report.

    ``source`` is a path, raw bytes, or the report's text (HTML is accepted). ``doc_id``
    defaults to the file name without extension, or a short hash of the text.
    Raises :class:`~fazhi_nlp.errors.InputError` for empty, binary or undecodable input.
    """
    path = path_of(source)
    name = str(path) if path else "<text>"
    raw = read_report(source)
    if not raw.strip():
        raise InputError(f"{name}: is empty (no text to process)")
    cleaned = clean(raw)
    deduped = dedup(cleaned.text)
    return Report(
        doc_id=doc_id or (path.stem if path else "text-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:10]),
        text=deduped.text,
        units=tuple(segment(deduped.text)),
        title=cleaned.title,
        agency=cleaned.agency,
        year=reported_year(cleaned.title, deduped.text, cleaned.published),
        published=cleaned.published,
        signed=cleaned.signed,
        removed=cleaned.removed + deduped.removed,
        source=str(path) if path else None,
        source_text=raw,
    )

