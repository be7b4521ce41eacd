"""The unit classifier: a scikit-learn estimator over report units.

Features are TF-IDF blocks: character 1-3-grams of the unit, word 1-2-grams of the unit, and
the words of its nearest heading (weighted by ``heading_weight``). Text is NFKC-normalised for
the features only, so full-width and half-width punctuation and digits count alike. Words
come from :func:`fazhi_nlp.tokenize.tokenize`, once per text, joined with spaces: the fitted
model holds only standard scikit-learn parts (TF-IDF vectorizers in a ``ColumnTransformer``
and a linear model in a ``Pipeline``), which skops can save safely.

The shipped model uses character n-grams alone (:data:`DEFAULT_PARAMS`): in
leave-one-report-out cross-validation they beat words and word+char, and the heading block
lowered macro-F1 (models/README.md has the comparison).

Examples
--------
>>> clf = Classifier(C=10).fit(
...     ["组织集体学法", "开展普法宣传", "落实行政执法三项制度", "办理行政复议案件"],
...     ["study_training", "publicity", "enforcement", "disputes"])
>>> clf.predict([{"text": "开展普法宣传活动", "heading": ""}]).tolist()
['publicity']
"""
from __future__ import annotations

import hashlib
import json
import numbers
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional, Union

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from .errors import InputError, LabelError
from .patterns import CJK
from .tokenize import tokenize
from .types import Unit

__all__ = ["DEFAULT_PARAMS", "FEATURES", "MODELS", "Classifier", "Evidence", "Explanation", "data_sha256",
           "check_params", "top_two"]

FEATURES = ("word", "char", "word+char")
MODELS = ("logreg", "svm", "sgd")
_WORDLIKE = re.compile(rf"[\w{CJK}]")
_BLOCKS = {"word": 0, "char": 1, "heading": 2}

Item = Union[str, Mapping, Unit]


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> str:
    """Space-joined words of ``text`` (NFKC), punctuation dropped; cached (units repeat in CV)."""
    return " ".join(w for w in tokenize(unicodedata.normalize("NFKC", text)) if _WORDLIKE.search(w))


def _is_number(value: Any) -> bool:
    """A real number that is not a bool (JSON ``true`` must not pass for ``C=1``)."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _chars(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _texts_and_headings(X: Any) -> tuple[list[str], list[str]]:
    """Split the input items into unit texts and heading texts ('' when absent)."""
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


def _columns(texts: list[str], headings: list[str], words: bool, heading: bool) -> np.ndarray:
    """The (n, 3) array of prepared strings the fitted pipeline reads: words, chars and
    heading words ('' for a block the model does not use: no segmentation needed)."""
    out = np.full((len(texts), 3), "", dtype=object)
    for i, (text, head) in enumerate(zip(texts, headings)):
        out[i, _BLOCKS["char"]] = _chars(text)
        if words:
            out[i, _BLOCKS["word"]] = _words(text)
        if heading and head:
            out[i, _BLOCKS["heading"]] = _words(head)
    return out


def data_sha256(texts: Iterable[str], labels: Iterable[Any]) -> str:
    """sha256 of the (text, label) pairs in sorted order: the same data in any order, same hash.

    Examples
    --------
    >>> data_sha256(["a", "b"], ["x", "y"]) == data_sha256(["b", "a"], ["y", "x"])
    True
    """
    rows = sorted(zip(texts, labels))
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()


def _is_missing(value: Any) -> bool:
    """True for None, NaN, pandas NA/NaT and blank strings.

    Examples
    --------
    >>> [_is_missing(v) for v in (None, float("nan"), "", " ", "general", 0)]
    [True, True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except TypeError:  # pandas.NA is neither equal nor unequal to itself
        return True


def _targets(y: Any, n_items: int) -> np.ndarray:
    """The labels as a 1-d array that keeps their type: strings (object dtype) or numbers.

    Raises :class:`~fazhi_nlp.errors.LabelError` for a missing label (naming its position), a
    label that is neither a string nor a number, strings mixed with numbers, or a length that
    differs from ``n_items``.

    Examples
    --------
    >>> _targets(["general", "publicity"], 2)
    array(['general', 'publicity'], dtype=object)
    >>> _targets([0, 1], 2)
    array([0, 1])
    """
    if isinstance(y, (str, bytes)):
        raise LabelError(f"expected one label per item, got a single {type(y).__name__}: "
                         f"{y!r:.60}; wrap it in a list")
    values = list(y)
    if len(values) != n_items:
        raise InputError(f"X has {n_items} items but y has {len(values)} labels")
    for i, value in enumerate(values):
        if _is_missing(value):
            raise LabelError(f"y[{i}] is missing ({value!r}): every item needs a label; "
                             f"label row {i} or drop it")
        if not isinstance(value, (str, numbers.Number, np.bool_)):
            raise LabelError(f"y[{i}] is a {type(value).__name__} ({value!r:.60}); labels must "
                             "be strings or numbers")
    strings = [isinstance(value, str) for value in values]
    if all(strings):
        return np.asarray(values, dtype=object)
    if any(strings):
        i, j = strings.index(True), strings.index(False)
        raise LabelError(f"labels mix strings and numbers (y[{i}] is {values[i]!r}, y[{j}] is "
                         f"{values[j]!r}); use one kind")
    return np.asarray(values)


@dataclass(frozen=True)
class Evidence:
    """One term that pushed a prediction: ``weight`` = coefficient × TF-IDF value.

    ``term`` is a word, a space-joined word pair, or a run of 1-3 characters (a word and the
    same characters as a character n-gram count together). ``source`` is "text" (from the
    unit) or "heading" (from its nearest heading).
    """

    term: str
    source: str
    weight: float


@dataclass(frozen=True)
class Explanation:
    """Why a unit got (or nearly got) ``label``: the strongest evidence for it."""

    label: str
    probability: float
    evidence: tuple[Evidence, ...]

    def __str__(self) -> str:
        terms = ", ".join(f"{e.term}{' (heading)' if e.source == 'heading' else ''} +{e.weight:.2f}"
                          for e in self.evidence)
        return f"{self.label} {self.probability:.2f}: {terms}"


class Classifier(ClassifierMixin, BaseEstimator):
    """Linear classifier of report units into the 13 codebook labels.

    Parameters
    ----------
    features : {"word", "char", "word+char"}
        Word 1-2-grams, character 1-3-grams, or both.
    use_heading : bool
        Add the words of the nearest heading as a separate feature block.
    heading_weight : float
        Multiplier of the heading block.
    char_ngram_range : (int, int)
        Lengths of the character n-grams (default 1- to 3-grams).
        Multiplier of the heading block.
    model : {"logreg", "svm", "sgd"}
        LogisticRegression; LinearSVC calibrated by CalibratedClassifierCV (sigmoid, 3 folds);
        or SGDClassifier with log loss (``alpha = 1 / (C * n_samples)``).
    C : float
        Inverse regularisation strength.
    class_weight : "balanced", dict or None
    random_state : int or None

    Attributes
    ----------
    pipeline_ : sklearn.pipeline.Pipeline
        ColumnTransformer of TfidfVectorizers, then the linear model.
    classes_ : ndarray
        The labels seen in ``fit``, sorted, with their type kept (strings or numbers).
    training_ : dict
        Size, per-label counts and sha256 of the training data.
    threshold_, cv_, card_ : float, dict, dict or None
        The uncertainty threshold, cross-validation summary and card of a saved model
        (None until the model is saved with an evaluation and loaded again).

    Examples
    --------
    >>> X = ["组织集体学法", "开展普法宣传", "办理行政复议案件"]
    >>> clf = Classifier().fit(X, ["study_training", "publicity", "disputes"])
    >>> clf.classes_.tolist()
    ['disputes', 'publicity', 'study_training']
    """

    def __init__(self, *, features: str = "char", use_heading: bool = False,
                 heading_weight: float = 0.5, char_ngram_range: tuple[int, int] = (1, 3),
                 model: str = "logreg", C: float = 30.0,
                 class_weight: Any = "balanced", random_state: Optional[int] = 0):
        self.features = features
        self.use_heading = use_heading
        self.heading_weight = heading_weight
        self.char_ngram_range = char_ngram_range
        self.model = model
        self.C = C
        self.class_weight = class_weight
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def _build(self, columns: np.ndarray) -> Any:
        from sklearn.compose import ColumnTransformer
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import Pipeline

        def words() -> TfidfVectorizer:
            return TfidfVectorizer(token_pattern=r"(?u)\S+", ngram_range=(1, 2),
                                   lowercase=False, sublinear_tf=True)

        blocks = []
        if self.features in ("word", "word+char"):
            blocks.append(("word", words(), _BLOCKS["word"]))
        if self.features in ("char", "word+char"):
            low, high = self.char_ngram_range
            blocks.append(("char", TfidfVectorizer(analyzer="char", ngram_range=(int(low), int(high)),
                                                   lowercase=False, sublinear_tf=True),
                           _BLOCKS["char"]))
        if self.use_heading and any(columns[:, _BLOCKS["heading"]]):
            blocks.append(("heading", words(), _BLOCKS["heading"]))
        union = ColumnTransformer(blocks, sparse_threshold=1.0,
                                  transformer_weights={"heading": float(self.heading_weight)})
        return Pipeline([("features", union), ("model", self._estimator(len(columns)))])

    def _estimator(self, n_samples: int) -> Any:
        if self.model == "logreg":
            from sklearn.linear_model import LogisticRegression

            return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=5000,
                                      random_state=self.random_state)
        if self.model == "svm":
            from sklearn.calibration import CalibratedClassifierCV
            from sklearn.svm import LinearSVC

            return CalibratedClassifierCV(
                LinearSVC(C=self.C, class_weight=self.class_weight,
                          random_state=self.random_state), method="sigmoid", cv=3)
        from sklearn.linear_model import SGDClassifier

        return SGDClassifier(loss="log_loss", alpha=1.0 / (self.C * n_samples),
                             class_weight=self.class_weight, max_iter=2000, tol=1e-5,
                             random_state=self.random_state)

    def fit(self, X: Any, y: Any) -> "Classifier":
        """Fit on items ``X`` (str, mapping with 'text'/'heading', or Unit) and labels ``y``.

        Labels keep their type (strings or numbers), so ``classes_`` and ``predict`` give the
        caller's values; a missing label (None, NaN, blank) raises
        :class:`~fazhi_nlp.errors.LabelError` naming its position.
        """
        check_params(self.get_params())
        texts, headings = _texts_and_headings(X)
        targets = _targets(y, len(texts))
        labels = targets.tolist()  # plain Python values: JSON-ready for the card
        if len(set(labels)) < 2:
            raise LabelError(f"need at least 2 different labels to train, "
                             f"got {sorted(set(labels))}")
        columns = _columns(texts, headings, self.features != "char", self.use_heading)
        # one BLAS thread: the problem is small, and on a busy machine threads made lbfgs 6x slower
        with threadpool_limits(limits=1, user_api="blas"):
            self.pipeline_ = self._build(columns).fit(columns, targets)
        self.classes_ = self.pipeline_.classes_
        self.training_ = {"n": len(labels), "sha256": data_sha256(texts, labels),
                          "per_label": dict(sorted(Counter(labels).items()))}
        # what a saved model's card adds; a loaded model fills them from its card
        self.threshold_: Optional[float] = None
        self.cv_: Optional[dict] = None
        self.card_: Optional[dict] = None
        return self

    def _prepare(self, X: Any) -> np.ndarray:
        return _columns(*_texts_and_headings(X), self.features != "char", self.use_heading)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable label of each item; no items give an empty array (shape (0,))."""
        check_is_fitted(self, "pipeline_")
        columns = self._prepare(X)
        if not len(columns):
            return np.empty(0, dtype=self.classes_.dtype)
        return self.pipeline_.predict(columns)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities, one row per item, columns in ``classes_`` order; rows sum to 1.

        No items give an empty array of shape (0, n_classes).
        """
        check_is_fitted(self, "pipeline_")
        columns = self._prepare(X)
        if not len(columns):
            return np.empty((0, len(self.classes_)))
        return self.pipeline_.predict_proba(columns)

    def _coefficients(self) -> np.ndarray:
        """Dense (n_classes, n_features) coefficients of the linear model (SVM: fold mean)."""
        est = self.pipeline_.named_steps["model"]
        parts = ([c.estimator for c in est.calibrated_classifiers_]
                 if hasattr(est, "calibrated_classifiers_") else [est])
        index = {label: k for k, label in enumerate(self.classes_)}
        coef = np.zeros((len(self.classes_), parts[0].coef_.shape[1]))
        for part in parts:
            rows = part.coef_
            if rows.shape[0] == 1:  # binary: one row for the second class
                rows = np.vstack([-rows[0], rows[0]])
            for label, row in zip(part.classes_, rows):
                coef[index[label]] += row
        return coef / len(parts)

    def explain(self, item: Item, top_labels: int = 2, n_terms: int = 8) -> list[Explanation]:
        """The terms that pushed ``item`` most towards each of its ``top_labels`` labels.

        Terms are shown in the NFKC form the model saw (full-width ， becomes ,).

        Examples
        --------
        >>> clf = Classifier().fit(["组织集体学法", "开展普法宣传", "办理行政复议案件"],
        ...                        ["study_training", "publicity", "disputes"])
        >>> best = clf.explain("开展普法宣传活动", top_labels=1, n_terms=3)[0]
        >>> print(best)
        publicity 0.93: 传 +0.15, 宣 +0.15, 宣传 +0.15
        """
        check_is_fitted(self, "pipeline_")
        features = self.pipeline_.named_steps["features"]
        row = features.transform(self._prepare([item])).tocsr()
        proba = self.pipeline_.named_steps["model"].predict_proba(row)[0]
        names = features.get_feature_names_out()
        coef = self._coefficients()
        out = []
        for k in np.argsort(-proba, kind="stable")[:top_labels]:
            merged: dict[tuple[str, str], float] = {}
            for column, value in zip(row.indices, row.data * coef[k, row.indices]):
                block, term = names[column].split("__", 1)
                key = (term, "heading" if block == "heading" else "text")
                merged[key] = merged.get(key, 0.0) + float(value)
            ranked = sorted(((w, t, src) for (t, src), w in merged.items() if w > 0),
                            key=lambda e: (-e[0], e[1], e[2]))[:n_terms]
            evidence = tuple(Evidence(term=t, source=src, weight=w) for w, t, src in ranked)
            out.append(Explanation(str(self.classes_[k]), float(proba[k]), evidence))
        return out


def check_params(params: Mapping[str, Any]) -> None:
    """Raise :class:`~fazhi_nlp.errors.InputError` naming the first invalid Classifier parameter.

    ``params`` is a complete setting, as ``Classifier().get_params()`` gives it.

    >>> check_params({**DEFAULT_PARAMS, "C": -1})
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
    if not (_is_number(params["C"]) and params["C"] > 0):
        raise InputError(f"Invalid value {params['C']!r} for parameter 'C' of Classifier: "
                         "it must be a positive number")
    if not (_is_number(params["heading_weight"]) and params["heading_weight"] >= 0):
        raise InputError(f"Invalid value {params['heading_weight']!r} for parameter "
                         "'heading_weight' of Classifier: it must be a number >= 0")
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
            or isinstance(weights, Mapping) and all(map(_is_number, weights.values()))):
        raise InputError(f"Invalid value {params['class_weight']!r} for parameter 'class_weight' "
                         "of Classifier: it must be 'balanced', None or a dict of numbers")
    seed = params["random_state"]
    if not (seed is None or isinstance(seed, np.random.RandomState)
            or isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        raise InputError(f"Invalid value {params['random_state']!r} for parameter 'random_state' "
                         "of Classifier: it must be an int or None")


def top_two(proba: Any, classes: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The best label and the runner-up of each row of ``proba`` (columns in ``classes`` order).

    Ties go to the earlier class. With a single class the runner-up is None, probability 0.0.

    Returns
    -------
    labels, probabilities, runner_up, runner_up_probabilities : ndarray
        One entry per row; labels are object arrays holding ``classes``' values as given.

    Examples
    --------
    >>> labels, p, runner_up, q = top_two([[0.2, 0.5, 0.3], [0.4, 0.2, 0.4]], ["a", "b", "c"])
    >>> labels.tolist(), p.tolist(), runner_up.tolist(), q.tolist()
    (['b', 'a'], [0.5, 0.4], ['c', 'c'], [0.3, 0.4])
    >>> [a.tolist() for a in top_two([[1.0]], ["general"])]
    [['general'], [1.0], [None], [0.0]]
    """
    proba = np.asarray(proba, dtype=float)
    classes = np.asarray(classes, dtype=object)
    if proba.ndim != 2 or proba.shape[1] != len(classes) or not len(classes):
        raise InputError(f"top_two needs an (n, n_classes) array with n_classes = "
                         f"{len(classes)} >= 1, got shape {proba.shape}")
    order = np.argsort(-proba, axis=1, kind="stable")
    rows = np.arange(len(proba))
    if len(classes) == 1:
        runner_up = np.full(len(proba), None, dtype=object)
        runner_up_proba = np.zeros(len(proba))
    else:
        runner_up, runner_up_proba = classes[order[:, 1]], proba[rows, order[:, 1]]
    return classes[order[:, 0]], proba[rows, order[:, 0]], runner_up, runner_up_proba




#: The configuration of the shipped model: the Classifier's own defaults, chosen by grouped
#: cross-validation (see models/README.md for the comparison).
DEFAULT_PARAMS: dict[str, Any] = Classifier().get_params()
