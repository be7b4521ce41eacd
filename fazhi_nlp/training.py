"""Training: fit the classifier on labelled units, and rebuild the shipped model.

Examples
--------
>>> clf = train(shipped_labels())
>>> clf.predict(["严格落实行政执法三项制度"]).tolist()
['enforcement']
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from .classifier import DEFAULT_PARAMS, Classifier
from .errors import LabelError
from .evaluation import EvalResult, evaluate
from .labels import as_label_set, shipped_labels
from .persist import save_model

__all__ = ["rebuild_default_model", "train"]


def train(labels: Any, **params: Any) -> Classifier:
    """Fit a :class:`Classifier` on a LabelSet, a labels file (JSONL/CSV) or a DataFrame.

    ``params`` override :data:`DEFAULT_PARAMS`. The result's ``training_`` also counts rows
    per ``source`` (seed, authored, user).

    Examples
    --------
    >>> from fazhi_nlp.labels import shipped_labels
    >>> clf = train(shipped_labels())
    >>> clf.predict(["严格落实行政执法三项制度"]).tolist()
    ['enforcement']
    """
    label_set = as_label_set(labels)
    frame = label_set.frame
    found = sorted(set(frame["label"]))
    if len(found) < 2:
        raise LabelError(f"{label_set.path or 'the labels'}: need at least 2 different labels "
                         f"to train, got {found}; label units of other categories too")
    clf = Classifier(**{**DEFAULT_PARAMS, **params}).fit(frame, frame["label"])
    clf.training_["per_source"] = dict(sorted(Counter(frame["source"]).items()))
    return clf


def rebuild_default_model(out_dir: Any) -> EvalResult:
    """Retrain the shipped model from :func:`fazhi_nlp.labels.shipped_labels` with
    :data:`DEFAULT_PARAMS`, cross-validate it for the card, and save it to ``out_dir``.

    Deterministic: running it twice gives the same predictions and metrics. The command
    line runs it as ``fazhi-nlp train --rebuild-default``.
    """
    labels = shipped_labels()
    result = evaluate(labels, **DEFAULT_PARAMS)
    clf = train(labels, **DEFAULT_PARAMS)
    save_model(clf, out_dir, evaluation=result)
    return result
