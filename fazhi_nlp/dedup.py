"""Find repeated content: blocks printed twice on one page, and reports reposted across a corpus.

Within a page, only copies are dropped, never parallel reporting ("甲镇全年办理行政复议案件
12件。" next to "乙镇全年办理行政复议案件12件。"). A paragraph is a copy when

* it repeats an earlier paragraph of at least :data:`SHORT` significant characters exactly,
  up to punctuation, spaces and character widths (the *seeds* of repeated blocks);
* it repeats exactly the paragraph in step with its neighbour's copy: a repeated block goes
  on forwards and backwards through shorter lines (a heading, a date) as long as each line
  repeats the line after (or before) the one its neighbour repeats;
* it is a near-copy (character bigram Jaccard ≥ ``threshold``, same numbers) of the line in
  step with the copies on both sides of it, inside a repeated block.

So a near-copy is dropped only inside a block that is mostly exact copies, and two sections
that share a short heading or a sentence pattern keep both. Every step looks at each line a
fixed number of times: time and memory grow linearly with the page. Across a corpus,
:func:`find_duplicate_reports` compares MinHash signatures (rensa) found through LSH
bands, so it never compares every pair and scales to 100,000 reports; reports of different
years or agencies are never grouped.

Examples
--------
>>> body = "一、总体情况\\n全年共办理行政复议案件12件，均在法定期限内审结。"
>>> d = dedup_page(body + "\\n" + body)
>>> print(d.text)
一、总体情况
全年共办理行政复议案件12件，均在法定期限内审结。
>>> [(r.kind, r.line) for r in d.removed]
[('duplicate', 3), ('duplicate', 4)]
>>> towns = "甲镇全年共办理行政复议案件12件，均在法定期限内审结。\\n乙镇全年共办理行政复议案件12件，均在法定期限内审结。"
>>> dedup_page(towns).text == towns
True
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional, Union

from .errors import InputError
from .patterns import bigrams, paragraph_key, similarity
from .types import Removal

__all__ = ["BAND_ROWS", "SHORT", "Deduped", "dedup_page", "find_duplicate_reports", "minhash_signature"]

#: Paragraphs shorter than this (in significant characters) are dropped only inside a repeated block.
SHORT = 20


@dataclass(frozen=True)
class Deduped:
    """Text with repeated paragraphs removed, and what was removed."""

    text: str
    removed: tuple[Removal, ...]


def _key(paragraph: str) -> str:
    """What two copies of a paragraph share: no punctuation or spaces, one character width.

    >>> _key("全年办理１２件。") == _key("全年办理 12 件")
    True
    """
    key = paragraph_key(paragraph)
    if not unicodedata.is_normalized("NFKC", key):  # full-width letters and digits, ①, ...
        key = paragraph_key(unicodedata.normalize("NFKC", key))
    return key


def _numbers(key: str) -> list[str]:
    return re.findall(r"\d+", key)


def dedup_page(text: str, threshold: float = 0.9) -> Deduped:
    """Drop paragraphs (lines) that copy earlier ones: exact repeats of long paragraphs, and the
    lines of a repeated block (see the module's description).

    Each record in ``removed`` says which kept line the dropped one repeats, and whether it is a
    near-duplicate. Deduplicating the result again changes nothing.
    """
    paragraphs = text.split("\n") if text else []
    lines = [i for i, p in enumerate(paragraphs) if p.strip()]
    keys = [_key(paragraphs[i]) for i in lines]
    lines = [i for i, key in zip(lines, keys) if key]  # lines with something significant in them
    keys = [key for key in keys if key]
    source = _exact_blocks(keys)
    source.update(_near_copies(keys, source, threshold))
    removed, roots = [], {}
    for position in sorted(source):  # each copy points to a kept line (a copy's copy to its first)
        first = roots[position] = roots.get(source[position], source[position])
        i, j = lines[position], lines[first]
        near = "" if keys[position] == keys[first] else " (near-duplicate)"
        removed.append(Removal("dedup", "duplicate", paragraphs[i], i + 1, f"repeats line {j + 1}{near}"))
    dropped = {r.line - 1 for r in removed}
    return Deduped("\n".join(p for i, p in enumerate(paragraphs) if i not in dropped), tuple(removed))


def _exact_blocks(keys: list[str]) -> dict[int, int]:
    """Map each exact copy (a position in ``keys``) to the earlier position it repeats.

    Seeds are repeats of paragraphs of :data:`SHORT`+ characters; a block grows forwards and
    backwards from them through lines that repeat the line in step with their neighbour's.
    """
    source: dict[int, int] = {}
    first: dict[str, int] = {}
    previous: Optional[int] = None  # what the previous line repeats, if it is a copy
    for p, key in enumerate(keys):
        s = previous + 1 if previous is not None and previous + 1 < p and keys[previous + 1] == key else None
        if s is None and len(key) >= SHORT:
            s = first.get(key)
        if s is None:
            if len(key) >= SHORT:
                first[key] = p
            previous = None
        else:
            source[p] = previous = s
    del first
    for p in range(1, len(keys)):  # grow each block backwards from its first line
        if p in source and p - 1 not in source:
            q, s = p - 1, source[p] - 1
            while q >= 0 and s >= 0 and q not in source and keys[q] == keys[s]:
                source[q] = s
                q, s = q - 1, s - 1
    return source


def _near_copies(keys: list[str], source: dict[int, int], threshold: float) -> dict[int, int]:
    """Lines between two copies, in step with them, that nearly repeat the lines they stand for."""
    found: dict[int, int] = {}
    p, n = 0, len(keys)
    while p < n:
        if p in source:
            p += 1
            continue
        a = p
        while p < n and p not in source:
            p += 1
        if a > 0 and p < n and source[p] - source[a - 1] == p - a + 1:
            for k in range(p - a):
                s = source[a - 1] + 1 + k
                if s < a + k and _near(keys[a + k], keys[s], threshold):
                    found[a + k] = s
    return found


def _near(a: str, b: str, threshold: float) -> bool:
    return _numbers(a) == _numbers(b) and similarity(bigrams(a), bigrams(b)) >= threshold


#: Reports to compare: id → text (or → a Report), or (id, text-or-Report) pairs.
ReportTexts = Union[Mapping[str, Any], Iterable[tuple[str, Any]]]


def _described(doc_id: str, value: Any) -> tuple[str, Optional[int], Optional[str]]:
    """(text, year, agency) of one report given as its text or as a Report."""
    text = value if isinstance(value, str) else getattr(value, "text", None)
    if not isinstance(text, str):
        raise InputError(f"report {doc_id!r}: expected its text (str) or a Report, got "
                         f"{type(value).__name__}")
    year = getattr(value, "year", None)
    agency = getattr(value, "agency", None)
    agency = paragraph_key(agency) if isinstance(agency, str) else None
    return text, year if isinstance(year, int) else None, agency or None


#: MinHash values per LSH band (or the nearest divisor of ``num_perm``): with 128 values, 32
#: bands of 4 make nearly every pair at Jaccard 0.5 or more a candidate, and each candidate is
#: then checked on its whole signature.
BAND_ROWS = 4


def _shingles(text: str) -> list:
    """The distinct character 5-grams of ``text`` without punctuation and spaces (as UTF-8
    bytes when the text holds lone surrogates, which have no UTF-8 form)."""
    key = paragraph_key(text)
    grams = {key[i:i + 5] for i in range(max(1, len(key) - 4))}
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return [g.encode("utf-8", "surrogatepass") for g in grams]
    return list(grams)


def minhash_signature(text: str, num_perm: int = 128) -> Any:
    """The MinHash of the character 5-grams of ``text``, ignoring punctuation and spaces
    (a ``rensa.RMinHash``: ``.jaccard(other)`` estimates the Jaccard similarity of the sets).

    >>> a = minhash_signature("全面推行行政执法公示制度、执法全过程记录制度。")
    >>> b = minhash_signature("转载：全面推行行政执法公示制度、执法全过程记录制度。")
    >>> len(a.digest()), round(a.jaccard(b), 1)
    (128, 0.9)
    """
    from rensa import RMinHash

    signature = RMinHash(num_perm=num_perm, seed=1)
    signature.update(_shingles(text))
    return signature


def find_duplicate_reports(reports: ReportTexts, threshold: float = 0.8,
                           num_perm: int = 128) -> list[list[str]]:
    """Groups of report ids whose texts are near-duplicates (estimated Jaccard ≥ ``threshold``).

    ``reports`` maps id → text, or id → :class:`~fazhi_nlp.types.Report` (anything with
    ``text``, ``year`` and ``agency``), or is an iterable of such ``(id, value)`` pairs. Texts
    are compared as sets of character 5-grams, ignoring punctuation and spaces, through their
    MinHash signatures (:func:`minhash_signature`, computed by rensa in Rust): LSH bands of
    :data:`BAND_ROWS` values
    find the candidates, so not every pair is compared, and a candidate joins a group when
    its whole signature agrees with the report's on a share ≥ ``threshold``. Reports whose
    years, or whose agencies, are both known and differ are never grouped: an agency's report
    of the next year repeats much of this year's and is no repost. Each group is sorted by
    first appearance.

    >>> body = "全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。" * 3
    >>> find_duplicate_reports({"a": body, "b": "转载：" + body, "c": "全年办理信访件四件。"})
    [['a', 'b']]
    >>> from types import SimpleNamespace as R
    >>> find_duplicate_reports({"2021": R(text=body, year=2021, agency="某局"),
    ...                         "2022": R(text=body, year=2022, agency="某局")})
    []
    """
    from rensa import RMinHashLSH

    if not (isinstance(num_perm, int) and num_perm >= 1):
        raise InputError(f"num_perm must be a positive whole number, got {num_perm!r}")
    items = list(reports.items()) if isinstance(reports, Mapping) else list(reports)
    rows = min((r for r in range(1, num_perm + 1) if num_perm % r == 0),
               key=lambda r: abs(r - BAND_ROWS))
    lsh = RMinHashLSH(threshold=threshold, num_perm=num_perm, num_bands=num_perm // rows)
    signatures: list[Any] = []
    parent: list[int] = []
    known: list[tuple[Optional[int], Optional[str]]] = []  # per group root: year, agency
    seen: set[str] = set()

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: int, b: int) -> None:
        (ya, aa), (yb, ab) = known[a], known[b]
        if (ya is None or yb is None or ya == yb) and (aa is None or ab is None or aa == ab):
            parent[a] = b
            known[b] = (yb if yb is not None else ya, ab or aa)

    for k, (doc_id, value) in enumerate(items):
        if doc_id in seen:
            raise InputError(f"report id {doc_id!r} appears twice; ids must be unique")
        seen.add(doc_id)
        text, year, agency = _described(doc_id, value)
        signature = minhash_signature(text, num_perm)
        signatures.append(signature)
        parent.append(k)
        known.append((year, agency))
        for other in sorted(lsh.query(signature)):
            a, b = root(other), root(k)
            if a != b and signature.jaccard(signatures[other]) >= threshold:
                join(a, b)
        lsh.insert(k, signature)

    groups: dict[int, list[str]] = defaultdict(list)
    for k, (doc_id, _) in enumerate(items):
        groups[root(k)].append(doc_id)
    return [g for g in groups.values() if len(g) > 1]
