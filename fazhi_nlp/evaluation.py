"""Grouped evaluation of a classifier configuration on labelled reports.

Units are grouped by the report they come from (``doc_id``): a report never trains the
model that scores it, and authored examples are used for training only, never scored.

Examples
--------
>>> choose_threshold([0.2, 0.9], [False, True])
0.9
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from .classifier import DEFAULT_PARAMS, Classifier, top_two
from .errors import LabelError
from .labels import LABEL_NAMES, as_label_set

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

__all__ = ["EvalResult", "Fold", "choose_threshold", "evaluate", "report_folds"]


#: Up to this many scored reports, each report is its own fold (leave-one-report-out).
LEAVE_ONE_OUT_MAX = 20
#: Folds of grouped cross-validation for more reports.
N_FOLDS = 10


@dataclass(frozen=True)
class Fold:
    """One fold: the reports scored and what the model was trained on."""

    held_out: tuple[str, ...]
    train_doc_ids: tuple[str, ...]
    n_train: int
    n_scored: int


def report_folds(doc_ids: Any, n_folds: Optional[int] = None) -> list[list[str]]:
    """The reports of each fold: one report a fold up to :data:`LEAVE_ONE_OUT_MAX` reports,
    else ``n_folds`` (default :data:`N_FOLDS`) folds of whole reports, dealt round-robin in
    the order of a hash of their ids (the same ids always give the same folds).

    >>> report_folds(["a", "b"])
    [['a'], ['b']]
    >>> [len(f) for f in report_folds([f"r{i}" for i in range(25)], n_folds=5)]
    [5, 5, 5, 5, 5]
    """
    docs = sorted(set(doc_ids))
    if n_folds is None:
        n_folds = len(docs) if len(docs) <= LEAVE_ONE_OUT_MAX else N_FOLDS
    if not (isinstance(n_folds, int) and 2 <= n_folds):
        raise LabelError(f"n_folds must be a whole number >= 2, got {n_folds!r}")
    if n_folds >= len(docs):
        return [[doc] for doc in docs]
    order = sorted(docs, key=lambda d: hashlib.sha1(d.encode("utf-8")).hexdigest())
    return [sorted(order[k::n_folds]) for k in range(n_folds)]


def choose_threshold(probability: Any, correct: Any, target: float = 0.5) -> float:
    """The largest cut ``t`` (0.01 grid) such that predictions with probability < ``t`` are
    correct less often than ``target`` — i.e. flagged predictions are more often wrong than right.

    Returns 0.0 (flag nothing) when even the least confident predictions reach ``target``.

    Examples
    --------
    >>> choose_threshold([0.2, 0.3, 0.35, 0.6, 0.9], [False, True, False, True, True])
    0.6
    """
    p = np.asarray(probability, dtype=float)
    ok = np.asarray(correct, dtype=bool)
    best = 0.0
    for t in np.round(np.arange(0.01, 1.0, 0.01), 2):
        below = p < t
        if below.any() and ok[below].mean() < target:
            best = float(t)
    return best


@dataclass(frozen=True)
class EvalResult:
    """Grouped cross-validation of one classifier configuration: no report is on both sides.

    ``per_kind`` has one row per kind of agency (``kind_group`` of the labels; "unknown" when
    a labels file has none): reports, units, accuracy and macro-F1 of its scored units.

    ``macro_f1`` averages the F1 of the labels that occur in the scored units (a label that
    is only ever predicted, never true, shows in ``per_label`` with support 0 and F1 0; its
    false positives still lower the recall of the true labels and the accuracy).

    ``predictions`` has one row per scored unit (doc_id, unit_id, text, label, predicted,
    probability, runner_up, runner_up_probability, correct); ``per_label`` is indexed by label
    (precision, recall, f1, support); ``confusion`` has true labels as rows.
    """

    params: dict
    accuracy: float
    macro_f1: float
    per_label: "pd.DataFrame"
    confusion: "pd.DataFrame"
    predictions: "pd.DataFrame" = field(repr=False)
    folds: tuple[Fold, ...] = field(repr=False)
    n_authored: int = 0
    per_kind: Optional["pd.DataFrame"] = field(default=None, repr=False)

    @property
    def scheme(self) -> str:
        """How the reports were split, in words."""
        n_docs = sum(len(f.held_out) for f in self.folds)
        if all(len(f.held_out) == 1 for f in self.folds):
            return f"leave-one-report-out over {n_docs} reports"
        return f"grouped {len(self.folds)}-fold cross-validation over {n_docs} reports"

    @property
    def threshold(self) -> float:
        """Uncertainty threshold chosen from these predictions (see :func:`choose_threshold`)."""
        return choose_threshold(self.predictions["probability"], self.predictions["correct"])

    @property
    def coverage(self) -> float:
        """Share of scored units at or above :attr:`threshold`."""
        return float((self.predictions["probability"] >= self.threshold).mean())

    @property
    def confident_accuracy(self) -> float:
        """Accuracy on the units at or above :attr:`threshold`."""
        kept = self.predictions[self.predictions["probability"] >= self.threshold]
        return float(kept["correct"].mean()) if len(kept) else float("nan")

    def summary(self) -> dict:
        """The JSON-ready numbers a model card records."""
        return {
            "scheme": f"{self.scheme} (grouped by doc_id; authored examples train only)",
            "n_scored": int(len(self.predictions)), "n_folds": len(self.folds),
            "n_reports": sum(len(f.held_out) for f in self.folds),
            "n_authored": self.n_authored,
            "accuracy": round(self.accuracy, 4), "macro_f1": round(self.macro_f1, 4),
            "per_label_f1": {k: round(float(v), 4) for k, v in self.per_label["f1"].items()},
            "threshold": self.threshold, "coverage": round(self.coverage, 4),
            "confident_accuracy": round(self.confident_accuracy, 4),
        }

    def report(self) -> str:
        """A plain-text report: headline numbers, per-label table and confusion matrix.

        Labels that were predicted but never true in the scored units are named below the
        table rather than listed with support 0; when no threshold separates right from
        wrong predictions, the report says so instead of printing an empty coverage.
        """
        import pandas as pd

        true_labels = self.per_label[self.per_label["support"] > 0]
        only_predicted = self.per_label.index[self.per_label["support"] == 0].tolist()
        with pd.option_context("display.width", 200, "display.max_columns", 30):
            table = true_labels.to_string(float_format=lambda v: f"{v:.3f}")
            confusion = self.confusion.to_string()
        if only_predicted:
            counts = self.predictions["predicted"].value_counts()
            table += ("\npredicted but never the true label of a scored unit (precision 0): "
                      + ", ".join(f"{lab} ({int(counts.get(lab, 0))}x)" for lab in only_predicted))
        if self.coverage > 0:
            threshold = (f"threshold {self.threshold:.2f} (coverage {self.coverage:.1%}, "
                         f"accuracy above it {self.confident_accuracy:.3f})")
        else:
            threshold = ("no uncertainty threshold: the cross-validated predictions are wrong more "
                         "often than right at every probability (too few labelled units to choose one)")
        kinds = ""
        if self.per_kind is not None and len(self.per_kind) > 1:
            with pd.option_context("display.width", 200):
                kinds = "\n\nper kind of agency\n" + self.per_kind.to_string(
                    float_format=lambda v: f"{v:.3f}")
        return (f"{self.scheme}, "
                f"{len(self.predictions)} scored units (+{self.n_authored} authored, train only)\n"
                f"accuracy {self.accuracy:.3f}  macro-F1 {self.macro_f1:.3f}  {threshold}\n\n"
                f"{table}{kinds}\n\nconfusion (rows: true, columns: predicted)\n{confusion}")

    __str__ = report


def evaluate(labels: Any, *, n_folds: Optional[int] = None, **params: Any) -> EvalResult:
    """Grouped cross-validation on labelled reports.

    Scored units are the rows whose ``source`` is not "authored" (units of published reports:
    seed, real and user rows), grouped by ``doc_id``: each fold's reports are predicted by a
    model trained on every other report plus all authored examples, so a report never trains
    the model that scores it, and authored examples are never scored. Up to 20 reports each
    report is a fold (leave-one-report-out); beyond, ``n_folds`` (default 10) folds of whole
    reports (:func:`report_folds`). ``params`` override :data:`DEFAULT_PARAMS`.

    Raises :class:`~fazhi_nlp.errors.LabelError` when fewer than 2 reports can be held out.
    """
    import pandas as pd

    frame = as_label_set(labels).frame.reset_index(drop=True)
    config = {**DEFAULT_PARAMS, **params}
    authored = frame[frame["source"] == "authored"]
    scored = frame[frame["source"] != "authored"]
    docs = sorted(scored["doc_id"].unique())
    if len(docs) < 2:
        raise LabelError(f"grouped cross-validation needs scored units from >= 2 reports "
                         f"(doc_id), got {docs}; add seed or user labels from more reports")
    parts, folds = [], []
    for held_out in report_folds(docs, n_folds):
        test = scored[scored["doc_id"].isin(held_out)]
        train_rows = pd.concat([scored[~scored["doc_id"].isin(held_out)], authored])
        clf = Classifier(**config).fit(train_rows, train_rows["label"])
        predicted, probability, runner_up, runner_up_probability = top_two(
            clf.predict_proba(test), clf.classes_)
        parts.append(pd.DataFrame({
            "doc_id": test["doc_id"].to_numpy(), "unit_id": test["unit_id"].to_numpy(),
            "text": test["text"].to_numpy(), "label": test["label"].to_numpy(),
            "kind_group": (test["kind_group"] if "kind_group" in test.columns
                           else pd.Series("", index=test.index)).replace("", "unknown").to_numpy(),
            "predicted": predicted, "probability": probability,
            "runner_up": runner_up, "runner_up_probability": runner_up_probability,
        }))
        folds.append(Fold(held_out=tuple(held_out),
                          train_doc_ids=tuple(sorted(set(train_rows["doc_id"]))),
                          n_train=len(train_rows), n_scored=len(test)))
    predictions = pd.concat(parts, ignore_index=True)
    predictions["correct"] = predictions["label"] == predictions["predicted"]
    per_label, confusion, macro_f1 = _scores(predictions)
    per_kind = pd.DataFrame(
        [{"kind_group": kind, "reports": group["doc_id"].nunique(), "units": len(group),
          "accuracy": float(group["correct"].mean()), "macro_f1": _scores(group)[2]}
         for kind, group in predictions.groupby("kind_group", sort=True)]).set_index("kind_group")
    return EvalResult(params=config, accuracy=float(predictions["correct"].mean()),
                      macro_f1=macro_f1, per_label=per_label, confusion=confusion,
                      predictions=predictions, folds=tuple(folds), n_authored=len(authored),
                      per_kind=per_kind)


def _scores(predictions: "pd.DataFrame") -> tuple["pd.DataFrame", "pd.DataFrame", float]:
    """Per-label precision / recall / F1 / support, the confusion matrix, and macro-F1 over
    the labels that occur as true labels."""
    import pandas as pd
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    present = set(predictions["label"]) | set(predictions["predicted"])
    order = [lab for lab in LABEL_NAMES if lab in present] + sorted(present - set(LABEL_NAMES))
    p, r, f, s = precision_recall_fscore_support(predictions["label"], predictions["predicted"],
                                                 labels=order, zero_division=0)
    per_label = pd.DataFrame({"precision": p, "recall": r, "f1": f, "support": s},
                             index=pd.Index(order, name="label"))
    confusion = pd.DataFrame(confusion_matrix(predictions["label"], predictions["predicted"],
                                              labels=order), index=order, columns=order)
    scored_labels = per_label.index[per_label["support"] > 0]
    return per_label, confusion, float(per_label.loc[scored_labels, "f1"].mean())
