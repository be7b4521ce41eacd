"""Split cleaned report text into units: headings, sentences and enumerated clauses.

Each paragraph (line) is read once. A numbered paragraph (``一、`` ``（一）`` ``1.`` ``1、``
``（1）``) opens with a heading: the whole line when it has no sentence end, else its short
first sentence (a run-in heading such as ``（一）加强组织领导，落实主体责任。``). A short line
with no sentence-final punctuation is an un-numbered heading. The rest is cut into
sentences at 。！？； and before enumerators (一是、二是…, 第一，…, 其一，…); a unit that opens
with an enumerator is a *clause*. Every unit records the headings it sits under, the
report section read from them, its paragraph and its offsets, and the units plus the
whitespace between them rebuild the text exactly.

Examples
--------
>>> units = segment_text("一、主要举措和成效\\n（一）加强领导。一是成立领导小组；二是定期研究。全年开会3次。")
>>> [(u.kind, u.text) for u in units]  # doctest: +NORMALIZE_WHITESPACE
[('heading', '一、主要举措和成效'), ('heading', '（一）加强领导。'), ('clause', '一是成立领导小组；'),
 ('clause', '二是定期研究。'), ('sentence', '全年开会3次。')]
>>> units[-1].heading_path, units[-1].section
(('一、主要举措和成效', '（一）加强领导。'), 'achievements')
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from .patterns import ENUMERATOR, SENTENCE_END, SENTENCE_END_CHARS, SPLIT_BEFORE_ENUMERATOR, has_cjk, heading_level
from .types import Unit

__all__ = ["HEADING_MAX", "RUN_IN_HEADING_MAX", "UNNUMBERED_HEADING_MAX", "section_of", "segment_text"]

RUN_IN_HEADING_MAX = 50
HEADING_MAX = 60
UNNUMBERED_HEADING_MAX = 40

_SECTION_CUES = (
    ("problems", re.compile(r"存在的?问题|问题和不足|问题与不足|不足|短板|薄弱环节|差距")),
    ("plans", re.compile(r"下一步|工作计划|工作思路|工作打算|主要安排|工作安排|工作设想|努力方向|今后|思路和举措")),
    ("responsibility", re.compile(r"第一责任人|主要负责人履行|履职情况")),
    ("achievements", re.compile(r"举措|成效|工作情况|建设情况|开展情况|推进情况|主要做法|主要工作|完成情况|落实情况")),
)


def section_of(heading_path: tuple[str, ...]) -> str:
    """The report section a unit belongs to, read from its nearest telling heading.

    >>> section_of(("六、存在问题及下一步工作计划", "（二）下一步工作计划。"))
    'plans'
    >>> section_of(("一、深入学习贯彻习近平法治思想",)), section_of(())
    ('achievements', 'other')
    """
    for heading in reversed(heading_path):
        section = _cued_section(heading)
        if section is not None:
            return section
    return "achievements" if heading_path else "other"


@lru_cache(maxsize=8192)
def _cued_section(heading: str) -> Optional[str]:
    """The section whose cue comes first in ``heading``, or None (remembered: headings repeat)."""
    found = [(m.start(), name) for name, cue in _SECTION_CUES for m in [cue.search(heading)] if m]
    return min(found)[1] if found else None


def _is_unnumbered_heading(paragraph: str) -> bool:
    return (len(paragraph) <= UNNUMBERED_HEADING_MAX
            and not any(t in paragraph for t in SENTENCE_END_CHARS)
            and not paragraph.endswith(("：", ":", "，"))
            and has_cjk(paragraph)
            and not ENUMERATOR.match(paragraph))


def _heading_span(paragraph: str, level: Optional[int]) -> int:
    """Length of the heading at the start of a paragraph (0 when it opens with body text)."""
    if level is None:
        return len(paragraph) if _is_unnumbered_heading(paragraph) else 0
    end = SENTENCE_END.search(paragraph)
    if end is None:
        return len(paragraph) if len(paragraph) <= HEADING_MAX else 0
    return end.end() if end.end() <= RUN_IN_HEADING_MAX else 0


def _body_spans(paragraph: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence or clause in ``paragraph[start:]``, whitespace excluded."""
    cuts = {m.end() for m in SENTENCE_END.finditer(paragraph, start)}
    if "是" in paragraph or "第" in paragraph or "其" in paragraph:  # every enumerator holds one
        cuts.update(m.start() for m in SPLIT_BEFORE_ENUMERATOR.finditer(paragraph, start))
    cuts.discard(start)
    cuts.add(len(paragraph))
    spans = []
    begin = start
    for cut in sorted(cuts):
        chunk = paragraph[begin:cut]
        stripped = chunk.strip()
        if stripped:
            left = begin if len(stripped) == len(chunk) else begin + len(chunk) - len(chunk.lstrip())
            spans.append((left, left + len(stripped)))
        begin = cut
    return spans


def segment_text(text: str) -> list[Unit]:
    """Cut cleaned text (one paragraph per line) into headings, sentences and clauses."""
    units: list[Unit] = []
    stack: list[tuple[float, str, bool]] = []  # (level, heading, numbered)
    path: tuple[str, ...] = ()
    offset = 0
    for number, paragraph in enumerate(text.split("\n")):
        level = heading_level(paragraph)
        head = _heading_span(paragraph, level)
        if head:
            left = len(paragraph) - len(paragraph.lstrip())
            numbered = level is not None
            if not numbered:
                # right under a numbered heading it is a sub-heading; after body text, the next sibling
                under = bool(stack) and stack[-1][2] and units[-1].kind == "heading"
                level = stack[-1][0] + (0.5 if under else 0) if stack else 1
            while stack and stack[-1][0] >= level:
                stack.pop()
            heading = paragraph[left:head].rstrip()
            path = tuple(h for _, h, _ in stack)
            units.append(Unit(heading, "heading", path, section_of(path + (heading,)), number,
                              offset + left, offset + left + len(heading), len(units)))
            stack.append((level, heading, numbered))
            path = path + (heading,)
        section = section_of(path)
        for begin, end in _body_spans(paragraph, head):
            piece = paragraph[begin:end]
            kind = "clause" if ENUMERATOR.match(piece) else "sentence"
            units.append(Unit(piece, kind, path, section, number, offset + begin, offset + end, len(units)))
        offset += len(paragraph) + 1
    return units

