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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from .context import mix_neighbours, report_groups
from .errors import InputError, LabelError
from .features import BLOCKS, FEATURES, MODELS, Item, check_params, columns_of, texts_and_headings
from .scorer import FastScorer, UnsupportedPipelineError, arrays_from_pipeline, top_two

__all__ = ["DEFAULT_PARAMS", "FEATURES", "MODELS", "Classifier", "Evidence", "Explanation", "data_sha256",
           "check_params", "top_two"]

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
    context_weight : float
        How much a unit's label leans on its neighbours in the same report (0: not at all;
        :func:`fazhi_nlp.context.mix_neighbours`). Used when predicting only.
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
                 class_weight: Any = "balanced", context_weight: float = 0.15,
                 random_state: Optional[int] = 0):
        self.features = features
        self.use_heading = use_heading
        self.heading_weight = heading_weight
        self.char_ngram_range = char_ngram_range
        self.model = model
        self.C = C
        self.class_weight = class_weight
        self.context_weight = context_weight
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
            blocks.append(("word", words(), BLOCKS["word"]))
        if self.features in ("char", "word+char"):
            low, high = self.char_ngram_range
            blocks.append(("char", TfidfVectorizer(analyzer="char", ngram_range=(int(low), int(high)),
                                                   lowercase=False, sublinear_tf=True),
                           BLOCKS["char"]))
        if self.use_heading and any(columns[:, BLOCKS["heading"]]):
            blocks.append(("heading", words(), BLOCKS["heading"]))
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
        texts, headings = texts_and_headings(X)
        targets = _targets(y, len(texts))
        labels = targets.tolist()  # plain Python values: JSON-ready for the card
        if len(set(labels)) < 2:
            raise LabelError(f"need at least 2 different labels to train, "
                             f"got {sorted(set(labels))}")
        columns = columns_of(texts, headings, self.features != "char", self.use_heading)
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
        self._scorer = None
        return self

    def __getstate__(self) -> dict:  # the scorer is rebuilt where the model is unpickled
        state = super().__getstate__()
        state.pop("_scorer", None)
        return state

    def _fast_scorer(self) -> Optional[FastScorer]:
        """The numpy scorer of the fitted pipeline, built once (None: a model it does not
        cover, such as the calibrated SVM, which scikit-learn scores)."""
        pipeline = self.pipeline_
        built = getattr(self, "_scorer", None)
        if built is None or built[0] is not pipeline:  # also a pipeline_ set by hand
            try:
                scorer = FastScorer(arrays_from_pipeline(pipeline))
            except UnsupportedPipelineError:
                scorer = None
            built = self._scorer = (pipeline, scorer)
        return built[1]

    def _prepare(self, X: Any) -> np.ndarray:
        return columns_of(*texts_and_headings(X), self.features != "char", self.use_heading)

    def predict(self, X: Any, groups: Optional[Sequence[Any]] = None) -> np.ndarray:
        """The most probable label of each item; no items give an empty array (shape (0,)).

        Items of one report lean on their neighbours as in :meth:`predict_proba`.
        """
        check_is_fitted(self, "pipeline_")
        groups = report_groups(X, groups)  # read once, then handed on as given
        if groups is not None and self.context_weight:
            return self.classes_[self.predict_proba(X, groups).argmax(axis=1)]
        columns = self._prepare(X)
        if not len(columns):
            return np.empty(0, dtype=self.classes_.dtype)
        scorer = self._fast_scorer()
        return self.pipeline_.predict(columns) if scorer is None else scorer.predict(columns)

    def predict_proba(self, X: Any, groups: Optional[Sequence[Any]] = None) -> np.ndarray:
        """Probabilities, one row per item, columns in ``classes_`` order; rows sum to 1.

        No items give an empty array of shape (0, n_classes). Logistic regression models are
        scored by :class:`~fazhi_nlp.scorer.FastScorer` (numpy, the same probabilities to
        1e-14, several times faster); other models by the scikit-learn pipeline. Items of one
        report (``groups``, or the ``doc_id`` of DataFrame rows or mappings; see
        :mod:`fazhi_nlp.context`), in reading order, then lean on their neighbours by
        ``context_weight``; unrelated sentences (plain strings) are scored alone.
        """
        check_is_fitted(self, "pipeline_")
        columns = self._prepare(X)
        if not len(columns):
            return np.empty((0, len(self.classes_)))
        scorer = self._fast_scorer()
        proba = (self.pipeline_.predict_proba(columns) if scorer is None
                 else scorer.predict_proba(columns))
        return mix_neighbours(proba, report_groups(X, groups), self.context_weight)

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


#: The configuration of the shipped model: the Classifier's own defaults, chosen by grouped
#: cross-validation (see models/README.md for the comparison).
DEFAULT_PARAMS: dict[str, Any] = Classifier().get_params()
