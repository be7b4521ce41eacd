"""Fingerprints of reserved evaluation reports, and the check that keeps them out of the data.

Some published reports are reserved for evaluating the shipped model and must never be
trained on. ``tests/data/excluded.txt`` lists them only as fingerprints: the sha256 of each
reserved page's address, and of each of its sentences (NFKC-normalised, whitespace removed,
20 characters or more). Keep the file in step with the project's master list when it changes.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable

LIST = Path(__file__).resolve().parent / "data" / "excluded.txt"
_SENTENCE = re.compile(r"(?<=[。！？；!?;])")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def norm_url(url: str) -> str:
    return re.sub(r"^https?://", "", url.strip()).rstrip("/").lower()


def sentences(text: str) -> list[str]:
    """Sentences of ``text`` (NFKC, whitespace removed) of 20 characters or more."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return [s for s in _SENTENCE.split(flat) if len(s) >= 20]


def fingerprints(text: str) -> set[str]:
    return {"s:" + _sha(s) for s in sentences(text)}


def url_fingerprint(url: str) -> str:
    return "u:" + _sha(norm_url(url))


@lru_cache(maxsize=1)
def reserved() -> frozenset[str]:
    return frozenset(line.strip() for line in LIST.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


def hits(texts: Iterable[str], urls: Iterable[str] = (), fingerprint_list: frozenset = None) -> list:
    """(index, "text" | "url") of every text or URL that belongs to a reserved report."""
    listed = reserved() if fingerprint_list is None else fingerprint_list
    found = [(i, "url") for i, u in enumerate(urls) if u and url_fingerprint(u) in listed]
    found += [(i, "text") for i, t in enumerate(texts) if fingerprints(t) & listed]
    return found
