"""Neighbour context: a unit's label also leans on the units just before and after it.

Report units come in runs on one measure: a clause 一是发挥组织引领作用 says little by
itself, but under 压紧压实安全生产责任 and before 下达安全生产目标责任书 it is about safety work.
The classifier scores each unit's text on its own; :func:`mix_neighbours` then multiplies each
unit's probabilities by those of its neighbours in the same report, raised to a small power
``weight``, and renormalises:

    p'(label | unit i) ∝ p(label | i) · p(label | i-1)^weight · p(label | i+1)^weight

A unit without a neighbour on one side (the first or last of its report) gets no factor from
that side; ``weight`` 0 leaves the probabilities as they are. Which items are neighbours comes
from :func:`report_groups`: adjacent items of the same report, in the order given.

>>> import numpy as np
>>> p = np.array([[0.9, 0.1], [0.45, 0.55], [0.8, 0.2]])
>>> mix_neighbours(p, ["a", "a", "a"], 0.3)[1].round(3).tolist()  # pulled to its neighbours
[0.706, 0.294]
>>> mix_neighbours(p, ["a", "b", "c"], 0.3).tolist() == p.tolist()  # no neighbours, no change
True
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Optional

import numpy as np

from .errors import InputError

__all__ = ["mix_neighbours", "report_groups"]


def report_groups(X: Any, groups: Optional[Sequence[Any]] = None) -> Optional[list]:
    """The report of each item of ``X`` (None: the items are unrelated sentences).

    ``groups`` when given (one value per item); else a DataFrame's ``doc_id`` column, or the
    ``doc_id`` of mapping items. Plain strings and :class:`~fazhi_nlp.types.Unit` objects
    carry no report: pass ``groups`` (``fazhi_nlp.predict_units`` does).

    >>> report_groups([{"text": "a", "doc_id": "r1"}, {"text": "b", "doc_id": "r1"}])
    ['r1', 'r1']
    >>> report_groups(["开展普法宣传。", "特此报告。"]) is None
    True
    """
    n_items = len(X)
    if groups is not None:
        groups = list(groups)
        if len(groups) != n_items:
            raise InputError(f"groups has {len(groups)} values for {n_items} items: give one "
                             "report id per item")
        return groups
    if hasattr(X, "columns"):
        return list(X["doc_id"]) if "doc_id" in X.columns else None
    found = [item.get("doc_id") if isinstance(item, Mapping) else None for item in X]
    return found if n_items and all(g is not None for g in found) else None


def mix_neighbours(proba: np.ndarray, groups: Optional[Sequence[Any]], weight: float) -> np.ndarray:
    """``proba`` (one row per item, in reading order) with each row multiplied by its
    same-report neighbours' rows to the power ``weight``, rows renormalised to sum to 1.

    ``groups`` None or ``weight`` 0 return ``proba`` unchanged (the same array).
    """
    if groups is None or weight == 0 or len(proba) < 2:
        return proba
    same = np.array([a == b for a, b in zip(groups[:-1], groups[1:])], dtype=bool)
    if not same.any():
        return proba
    # logs of probabilities floored at the smallest positive double: a 0 stays a strong "no"
    log_p = np.log(np.maximum(proba, np.finfo(float).tiny))
    mixed = log_p.copy()
    mixed[1:][same] += weight * log_p[:-1][same]   # the unit before
    mixed[:-1][same] += weight * log_p[1:][same]   # the unit after
    mixed -= mixed.max(axis=1, keepdims=True)
    out = np.exp(mixed)
    return out / out.sum(axis=1, keepdims=True)
