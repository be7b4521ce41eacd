"""Find repeated content: blocks printed twice on one page, and reports reposted across a corpus.

Within a page, a paragraph that repeats an earlier one exactly or nearly (character
bigram Jaccard ≥ ``threshold`` after punctuation and spaces are ignored, same numbers) is
dropped. A short paragraph (a heading, a one-line date), or a near-copy whose numbers
differ ("办结12件" in 2021, "办结17件" in 2022), is dropped only inside a repeated block, so
two sections that happen to share a short heading or a sentence pattern keep both. Across a corpus,
:func:`find_duplicate_reports` uses MinHash-LSH (datasketch), so it never compares every
pair and scales to 100,000 reports.

Examples
--------
>>> body = "一、总体情况\\n全年共办理行政复议案件12件，均在法定期限内审结。"
>>> d = dedup_page(body + "\\n" + body)
>>> print(d.text)
一、总体情况
全年共办理行政复议案件12件，均在法定期限内审结。
>>> [(r.kind, r.line) for r in d.removed]
[('duplicate', 3), ('duplicate', 4)]
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping, Union

from .errors import InputError
from .patterns import bigrams, paragraph_key, similarity
from .types import Removal

__all__ = ["SHORT", "Deduped", "dedup_page", "find_duplicate_reports"]

#: Paragraphs shorter than this (in significant characters) are dropped only inside a repeated block.
SHORT = 20


@dataclass(frozen=True)
class Deduped:
    """Text with repeated paragraphs removed, and what was removed."""

    text: str
    removed: tuple[Removal, ...]


def _numbers(key: str) -> list[str]:
    return re.findall(r"\d+", key)


def dedup_page(text: str, threshold: float = 0.9) -> Deduped:
    """Drop paragraphs (lines) that repeat an earlier one, exactly or with similarity ≥ ``threshold``."""
    paragraphs = text.split("\n") if text else []
    keys = [paragraph_key(p) for p in paragraphs]
    duplicate_of = _find_repeats(keys, threshold)
    dropped = {i for i, j in duplicate_of.items() if len(keys[i]) >= SHORT and _numbers(keys[i]) == _numbers(keys[j])}
    changed = True
    while changed:
        changed = False
        for i in duplicate_of:
            if i not in dropped and (i - 1 in dropped or i + 1 in dropped):
                dropped.add(i)
                changed = True
    removed = tuple(
        Removal("dedup", "duplicate", paragraphs[i], i + 1,
                f"repeats line {duplicate_of[i] + 1}" + ("" if keys[i] == keys[duplicate_of[i]] else " (near-duplicate)"))
        for i in sorted(dropped))
    return Deduped("\n".join(p for i, p in enumerate(paragraphs) if i not in dropped), removed)


def _find_repeats(keys: list[str], threshold: float) -> dict[int, int]:
    """Map each paragraph that repeats an earlier kept paragraph to that paragraph's index.

    Near-duplicates are found by prefix filtering: with the bigrams of every paragraph
    ordered rarest first, two sets with Jaccard ≥ ``threshold`` must share one of their
    first ``len - ceil(threshold * len) + 1`` bigrams, so only those are indexed and the
    page is never compared pair by pair.
    """
    grams = {i: bigrams(key) for i, key in enumerate(keys) if len(key) >= SHORT}
    frequency = Counter(g for gs in grams.values() for g in gs)
    first_exact: dict[str, int] = {}
    prefix_index: dict[str, list[int]] = defaultdict(list)
    duplicate_of: dict[int, int] = {}
    for i, key in enumerate(keys):
        if not key:
            continue
        if key in first_exact:
            duplicate_of[i] = first_exact[key]
            continue
        prefix: list[str] = []
        if i in grams:
            ordered = sorted(grams[i], key=lambda g: (frequency[g], g))
            prefix = ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]
            match = _near_match(i, prefix, grams, prefix_index, threshold)
            if match is not None:
                duplicate_of[i] = match
                continue
        first_exact[key] = i
        for gram in prefix:
            prefix_index[gram].append(i)
    return duplicate_of


def _near_match(i, prefix, grams, prefix_index, threshold) -> int | None:
    size = len(grams[i])
    seen: set[int] = set()
    for gram in prefix:
        for j in prefix_index.get(gram, ()):
            if j not in seen:
                seen.add(j)
                if threshold * size <= len(grams[j]) * 1.0 and threshold * len(grams[j]) <= size \
                        and similarity(grams[i], grams[j]) >= threshold:
                    return j
    return None


ReportTexts = Union[Mapping[str, str], Iterable[tuple[str, str]]]


def find_duplicate_reports(reports: ReportTexts, threshold: float = 0.8,
                           num_perm: int = 128) -> list[list[str]]:
    """Groups of report ids whose texts are near-duplicates (estimated Jaccard ≥ ``threshold``).

    ``reports`` maps id → text (or is an iterable of ``(id, text)`` pairs). Texts are
    compared as sets of character 5-grams, ignoring punctuation and spaces, through
    MinHash-LSH, so no pair is compared directly. Each group is sorted by first appearance.

    >>> body = "全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。" * 3
    >>> find_duplicate_reports({"a": body, "b": "转载：" + body, "c": "全年办理信访件四件。"})
    [['a', 'b']]
    """
    from datasketch import MinHash, MinHashLSH

    items = list(reports.items()) if isinstance(reports, Mapping) else list(reports)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc_id, text in items:
        if doc_id in parent:
            raise InputError(f"report id {doc_id!r} appears twice; ids must be unique")
        key = paragraph_key(text)
        shingles = {key[i:i + 5].encode("utf-8") for i in range(max(1, len(key) - 4))}
        signature = MinHash(num_perm=num_perm, seed=1)
        signature.update_batch(list(shingles))
        parent[doc_id] = doc_id
        for other in lsh.query(signature):
            parent[root(other)] = root(doc_id)
        lsh.insert(doc_id, signature)

    groups: dict[str, list[str]] = defaultdict(list)
    for doc_id, _ in items:
        groups[root(doc_id)].append(doc_id)
    return [g for g in groups.values() if len(g) > 1]
