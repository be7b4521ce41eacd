"""What the classifier reads, prepared without scikit-learn: items split into unit texts and
heading texts, and the (n, 3) array of prepared strings the feature blocks read.

The estimator (:mod:`fazhi_nlp.classifier`) and the numpy scorer (:mod:`fazhi_nlp.scorer`) both
use these functions, so a saved model scores exactly what it was trained on. Text is
NFKC-normalised, so full-width and half-width punctuation and digits count alike; words come
from :func:`fazhi_nlp.tokenize.tokenize` (jieba is loaded only when a word block needs them).

The Classifier's parameters are checked here too (:func:`check_params`), so a saved model's
card can be checked without importing scikit-learn.

Examples
--------
>>> prepare_columns(["一、推进严格规范公正文明执法", {"text": "ＡＢ １２。", "heading": "（一）"}],
...                 words=False, heading=False).tolist()
[['', '一、推进严格规范公正文明执法', ''], ['', 'AB12。', '']]
"""
from __future__ import annotations

import numbers
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Union

import numpy as np

from .errors import InputError
from .patterns import CJK
from .tokenize import tokenize
from .types import Unit

__all__ = ["BLOCKS", "FEATURES", "MODELS", "PARAM_DEFAULTS", "Item", "char_text", "check_params",
           "columns_of", "is_number", "prepare_columns", "texts_and_headings", "word_text"]

FEATURES = ("word", "char", "word+char")
MODELS = ("logreg", "svm", "sgd")
#: The column of the prepared array each feature block reads.
BLOCKS = {"word": 0, "char": 1, "heading": 2}
#: The Classifier's parameters and their defaults (the shipped model's configuration).
PARAM_DEFAULTS: dict[str, Any] = {
    "C": 30.0, "char_ngram_range": (1, 3), "class_weight": "balanced", "context_weight": 0.15,
    "features": "char",
    "heading_weight": 0.5, "model": "logreg", "random_state": 0, "use_heading": False,
}
_WORDLIKE = re.compile(rf"[\w{CJK}]")

Item = Union[str, Mapping, Unit]


@lru_cache(maxsize=1 << 16)
def word_text(text: str) -> str:
    """Space-joined words of ``text`` (NFKC), punctuation dropped; cached (units repeat in CV).

    >>> word_text("严格落实行政执法三项制度。")
    '严格 落实 行政执法 三项制度'
    """
    return " ".join(w for w in tokenize(unicodedata.normalize("NFKC", text)) if _WORDLIKE.search(w))


def char_text(text: str) -> str:
    """``text`` NFKC-normalised, whitespace removed: what the character n-grams are taken from.

    >>> char_text("全年 办理１２件，")
    '全年办理12件,'
    """
    # Full-width ASCII forms (，：（）１２…) are what keeps most Chinese units from being NFKC
    # already; mapped first (to their own NFKC forms), most units skip the normalisation.
    text = _FULLWIDTH_ASCII.sub(lambda m: chr(ord(m.group()) - 0xFEE0), text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _SPACE_RUN.sub("", text)


_FULLWIDTH_ASCII = re.compile("[\uff01-\uff5e]")
_SPACE_RUN = re.compile(r"\s+")


def texts_and_headings(X: Any) -> tuple[list[str], list[str]]:
    """Split the input items into unit texts and heading texts ('' when absent).

    Items are str, mappings with 'text' (and 'heading'), Units, or the rows of a DataFrame
    with a 'text' (and 'heading') column.

    >>> texts_and_headings(["特此报告。", {"text": "开展普法宣传", "heading": "（六）普法"}])
    (['特此报告。', '开展普法宣传'], ['', '（六）普法'])
    """
    if isinstance(X, (str, bytes)):
        raise InputError(f"expected a list of units, got a single {type(X).__name__}: {X!r:.60}; "
                         "wrap it in a list")
    if hasattr(X, "columns"):  # a DataFrame with a text column and maybe a heading column
        if "text" not in X.columns:
            raise InputError(f"the DataFrame has no 'text' column (columns: {list(X.columns)})")
        texts = list(X["text"])
        headings = list(X["heading"]) if "heading" in X.columns else [""] * len(texts)
    else:
        texts, headings = [], []
        for i, item in enumerate(X):
            if isinstance(item, str):
                text, heading = item, ""
            elif isinstance(item, Mapping):
                if "text" not in item:
                    raise InputError(f"item {i} has no 'text' key (keys: {sorted(item)})")
                text, heading = item["text"], item.get("heading")
            elif hasattr(item, "text") and hasattr(item, "heading"):
                text, heading = item.text, item.heading
            else:
                raise InputError(f"item {i} is a {type(item).__name__}; expected a str, a mapping "
                                 "with 'text' (and 'heading'), or a Unit")
            texts.append(text)
            headings.append(heading)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InputError(f"item {i}: the text is a {type(text).__name__} ({text!r:.60}), "
                             "not a str")
    return texts, [h if isinstance(h, str) else "" for h in headings]


def columns_of(texts: list[str], headings: list[str], words: bool, heading: bool) -> np.ndarray:
    """The (n, 3) array of prepared strings the fitted pipeline reads: words, chars and
    heading words ('' for a block the model does not use: no segmentation needed)."""
    out = np.full((len(texts), 3), "", dtype=object)
    for i, (text, head) in enumerate(zip(texts, headings)):
        out[i, BLOCKS["char"]] = char_text(text)
        if words:
            out[i, BLOCKS["word"]] = word_text(text)
        if heading and head:
            out[i, BLOCKS["heading"]] = word_text(head)
    return out


def prepare_columns(X: Any, *, words: bool, heading: bool) -> np.ndarray:
    """The prepared (n, 3) array of items ``X``: :func:`texts_and_headings`, then
    :func:`columns_of`. ``words``: the model has a word block; ``heading``: it uses headings."""
    return columns_of(*texts_and_headings(X), words, heading)


def is_number(value: Any) -> bool:
    """A real number that is not a bool (JSON ``true`` must not pass for ``C=1``).

    >>> [is_number(v) for v in (1, 2.5, True, "3")]
    [True, True, False, False]
    """
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def check_params(params: Mapping[str, Any]) -> None:
    """Raise :class:`~fazhi_nlp.errors.InputError` naming the first invalid Classifier parameter.

    ``params`` is a complete setting, as ``Classifier().get_params()`` gives it.

    >>> check_params({**PARAM_DEFAULTS, "C": -1})
    Traceback (most recent call last):
    ...
    fazhi_nlp.errors.InputError: Invalid value -1 for parameter 'C' of Classifier: it must be a positive number
    """
    if params["features"] not in FEATURES:
        raise InputError(f"Invalid value {params['features']!r} for parameter 'features' of "
                         f"Classifier. Valid values are: {list(FEATURES)}")
    if params["model"] not in MODELS:
        raise InputError(f"Invalid value {params['model']!r} for parameter 'model' of "
                         f"Classifier. Valid values are: {list(MODELS)}")
    if not (is_number(params["C"]) and params["C"] > 0):
        raise InputError(f"Invalid value {params['C']!r} for parameter 'C' of Classifier: "
                         "it must be a positive number")
    if not (is_number(params["heading_weight"]) and params["heading_weight"] >= 0):
        raise InputError(f"Invalid value {params['heading_weight']!r} for parameter "
                         "'heading_weight' of Classifier: it must be a number >= 0")
    if not (is_number(params["context_weight"]) and params["context_weight"] >= 0):
        raise InputError(f"Invalid value {params['context_weight']!r} for parameter "
                         "'context_weight' of Classifier: it must be a number >= 0")
    low_high = params["char_ngram_range"]
    if not (isinstance(low_high, (tuple, list)) and len(low_high) == 2
            and all(isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in low_high)
            and 1 <= low_high[0] <= low_high[1] <= 8):
        raise InputError(f"Invalid value {low_high!r} for parameter 'char_ngram_range' of "
                         "Classifier: it must be two whole numbers (low, high), 1 <= low <= high <= 8")
    if not isinstance(params["use_heading"], (bool, np.bool_)):
        raise InputError(f"Invalid value {params['use_heading']!r} for parameter 'use_heading' "
                         "of Classifier: it must be True or False")
    weights = params["class_weight"]
    if not (weights is None or isinstance(weights, str) and weights == "balanced"
            or isinstance(weights, Mapping) and all(map(is_number, weights.values()))):
        raise InputError(f"Invalid value {params['class_weight']!r} for parameter 'class_weight' "
                         "of Classifier: it must be 'balanced', None or a dict of numbers")
    seed = params["random_state"]
    if not (seed is None or isinstance(seed, np.random.RandomState)
            or isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        raise InputError(f"Invalid value {params['random_state']!r} for parameter 'random_state' "
                         "of Classifier: it must be an int or None")
