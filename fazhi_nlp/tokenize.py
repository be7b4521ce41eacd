"""Chinese word segmentation with one private, lazily built jieba tokenizer.

The tokenizer loads jieba's default dictionary plus the shipped rule-of-law user dictionary
(``fazhi_nlp/data/userdict.txt``: 三项制度, 双随机一公开, 谁执法谁普法, ...), so these terms stay
whole. jieba is imported on first use only, behind a lock; ``import fazhi_nlp`` never loads it.

Examples
--------
>>> tokenize("严格落实行政执法三项制度。")
['严格', '落实', '行政执法', '三项制度', '。']
"""
from __future__ import annotations

import hashlib
import logging
import threading
from importlib import resources
from typing import Any

__all__ = ["tokenize", "userdict_sha256", "userdict_words"]

#: Precise mode without the HMM guesser for unknown words: on the seed reports it segments
#: 1.4 MB/s instead of 1.2 MB/s, and word and word+char classifiers reach the same
#: leave-one-report-out macro-F1 (0.751 vs 0.747; 0.835 both).
HMM = False

_LOCK = threading.Lock()
_TOKENIZER: Any = None  # the lazy cache: a jieba.Tokenizer, built once


def _userdict_text() -> str:
    return resources.files("fazhi_nlp").joinpath("data", "userdict.txt").read_text("utf-8")


def userdict_words() -> list[str]:
    """The words of the shipped user dictionary, in file order.

    Examples
    --------
    >>> "双随机一公开" in userdict_words()
    True
    """
    return [line.split()[0] for line in _userdict_text().splitlines() if line.strip()]


def userdict_sha256() -> str:
    """sha256 of the shipped user dictionary (a model card records it: segmentation must match).

    Examples
    --------
    >>> len(userdict_sha256())
    64
    """
    return hashlib.sha256(_userdict_text().encode("utf-8")).hexdigest()


def _build() -> Any:
    import jieba  # heavy: imported on first use only

    tokenizer = jieba.Tokenizer()
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)  # jieba prints its dictionary-loading chatter at DEBUG
    try:
        tokenizer.initialize()
    finally:
        logger.setLevel(level)
    for line in _userdict_text().splitlines():
        fields = line.split()
        if fields:  # jieba's format: word [frequency] [part-of-speech]
            freq = int(fields[1]) if len(fields) > 1 else None
            tokenizer.add_word(fields[0], freq, fields[2] if len(fields) > 2 else None)
    return tokenizer


def _tokenizer() -> Any:
    global _TOKENIZER
    if _TOKENIZER is None:
        with _LOCK:
            if _TOKENIZER is None:
                _TOKENIZER = _build()
    return _TOKENIZER


def tokenize(text: str) -> list[str]:
    """Segment ``text`` into words (jieba precise mode, shipped user dictionary).

    Whitespace is dropped; punctuation tokens are kept. The first call builds the tokenizer
    (about 0.5 s); later calls segment about 2 MB of text per second.

    Parameters
    ----------
    text : str
        Any text; an empty string gives an empty list.

    Returns
    -------
    list of str

    Examples
    --------
    >>> tokenize("坚持谁执法谁普法 ，落实双随机一公开")
    ['坚持', '谁执法谁普法', '，', '落实', '双随机一公开']
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize() needs a str, got {type(text).__name__}: {text!r:.80}")
    return [w for w in _tokenizer().cut(text, HMM=HMM) if not w.isspace()]
