"""Picking the units a person should label next, and writing them out for correction.

:func:`suggest_for_labelling` ranks the units the model is least sure about (varied across
labels and reports); :func:`export_for_labelling` writes them to a CSV that Excel opens and
``fazhi-nlp train`` reads back.

Examples
--------
>>> import pandas as pd
>>> units = pd.DataFrame({"doc_id": "a", "text": ["开展普法宣传活动。", "办理行政复议案件3件。"],
...                       "label": ["publicity", "disputes"], "probability": [0.4, 0.5],
...                       "runner_up_probability": [0.3, 0.2]})
>>> suggest_for_labelling(units, n=1)["text"].tolist()
['开展普法宣传活动。']
"""
from __future__ import annotations

import math
import os
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from .corpus import units_frame
from .errors import InputError
from .patterns import bigrams, paragraph_key
from .patterns import similarity as jaccard

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

__all__ = ["EXPORT_COLUMNS", "export_for_labelling", "suggest_for_labelling"]

#: Columns written by :func:`export_for_labelling`.
EXPORT_COLUMNS = ("text", "label", "doc_id", "unit_id", "heading", "section", "kind",
                  "probability", "runner_up")


def _excluded_texts(exclude: Any) -> set[str]:
    if exclude is None:
        return set()
    if hasattr(exclude, "frame"):  # a LabelSet
        exclude = exclude.frame
    if hasattr(exclude, "columns"):
        return {str(t).strip() for t in exclude["text"]}
    return {str(t).strip() for t in exclude}


class _Picks:
    """The units picked so far (positions in ``texts``), their bigrams and count per report."""

    def __init__(self, texts: list[str], docs: list, similarity: float) -> None:
        self.texts, self.docs, self.similarity = texts, docs, similarity
        self.order: list[int] = []
        self.picked: set[int] = set()
        self.grams: list[frozenset[str]] = []
        self.per_report: Counter = Counter()

    def take(self, queue: list[int], head: int, cap: float) -> int:
        """Pick the first unit of ``queue[head:]`` that is new, from a report below ``cap``
        and no near-copy of a picked unit; return the queue position after it (or the end)."""
        for position in range(head, len(queue)):
            i = queue[position]
            if i in self.picked or self.per_report[self.docs[i]] >= cap:
                continue
            grams = bigrams(paragraph_key(self.texts[i]))
            if any(jaccard(grams, other) >= self.similarity for other in self.grams):
                continue
            self.order.append(i)
            self.picked.add(i)
            self.grams.append(grams)
            self.per_report[self.docs[i]] += 1
            return position + 1
        return len(queue)


def suggest_for_labelling(units: Any, n: int = 50, *, similarity: float = 0.6,
                          exclude: Any = None) -> "pd.DataFrame":
    """The ``n`` units the model is least sure about, varied, for a person to label.

    Units are ranked by the margin between the label's probability and the runner-up's
    (smallest first). They are then taken in turn from each predicted label (so every
    label gets its share of attention), at most about twice the fair share from any one
    report, and a unit is skipped when its character-bigram Jaccard similarity to one
    already picked is ``similarity`` or more (reposts and boilerplate are labelled once).

    Parameters
    ----------
    units : DataFrame or CorpusResult
        Needs ``text``, ``label``, ``probability`` and ``runner_up_probability``.
    n : int
        How many units to return (fewer if the corpus runs out).
    similarity : float
        Jaccard similarity of character bigrams at which two units count as near-copies.
    exclude : LabelSet, DataFrame with ``text``, or texts, optional
        Units already labelled (e.g. :func:`fazhi_nlp.shipped_labels`) to leave out.

    Returns
    -------
    pandas.DataFrame
        The chosen rows of ``units`` in the order picked, with a ``margin`` column added.

    Examples
    --------
    >>> import pandas as pd
    >>> units = pd.DataFrame({"doc_id": "a", "text": ["开展普法宣传活动。", "开展普法宣传活动！",
    ...                                                "办理行政复议案件3件。"],
    ...                       "label": ["publicity", "publicity", "disputes"],
    ...                       "probability": [0.4, 0.41, 0.5],
    ...                       "runner_up_probability": [0.3, 0.3, 0.2]})
    >>> suggest_for_labelling(units, n=3)["text"].tolist()
    ['开展普法宣传活动。', '办理行政复议案件3件。']
    """
    frame = units_frame(units)
    missing = [c for c in ("text", "probability", "runner_up_probability")
               if c not in frame.columns]
    if missing:
        raise InputError(f"the units table has no {missing} column(s); pass the units of "
                         "classify_corpus(...), which have them")
    if not (isinstance(n, int) and n >= 1):
        raise InputError(f"n must be a positive whole number, got {n!r}")
    skip = _excluded_texts(exclude)
    texts = [str(t).strip() for t in frame["text"]]
    labels = [str(label) for label in frame["label"]]
    docs = list(frame["doc_id"])
    margin = (frame["probability"] - frame["runner_up_probability"]).tolist()
    probability = frame["probability"].tolist()
    queues: dict[str, list[int]] = defaultdict(list)  # positions per label, least sure first
    seen: set[str] = set(skip)
    for i in sorted(range(len(frame)), key=lambda i: (margin[i], probability[i])):
        if texts[i] not in seen:
            seen.add(texts[i])
            queues[labels[i]].append(i)
    fair_share = max(1, math.ceil(2 * n / max(1, len(set(docs)))))
    picks = _Picks(texts, docs, similarity)
    for cap in (fair_share, math.inf):  # the second pass, without the per-report cap, fills up
        heads = {label: 0 for label in queues}
        while len(picks.order) < n and heads:
            for label in sorted(heads, key=lambda lab: margin[queues[lab][heads[lab]]]):
                heads[label] = picks.take(queues[label], heads[label], cap)
                if len(picks.order) >= n:
                    break
            heads = {lab: h for lab, h in heads.items() if h < len(queues[lab])}
    return frame.iloc[picks.order].assign(margin=[margin[i] for i in picks.order])


def export_for_labelling(units: "pd.DataFrame", path: Union[str, os.PathLike]) -> Path:
    """Write units to a CSV that a person corrects in Excel and trains on again.

    The file is UTF-8 with a byte-order mark (Excel then shows the Chinese correctly), with
    the columns text, label (the model's guess: correct it), doc_id, unit_id, heading,
    section, kind, probability and runner_up; columns the table lacks are left empty.
    ``fazhi-nlp train FILE --merge-shipped --out DIR`` (or :func:`fazhi_nlp.load_labels`)
    reads it back, also after Excel saved it as GBK.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> rows = pd.DataFrame({"text": ["开展普法宣传活动。"], "label": ["publicity"]})
    >>> out = export_for_labelling(rows, pathlib.Path(tempfile.mkdtemp()) / "to_label.csv")
    >>> out.read_bytes()[:3] == b"\\xef\\xbb\\xbf"
    True
    """
    import pandas as pd

    if not (hasattr(units, "columns") and {"text", "label"} <= set(units.columns)):
        raise InputError("export_for_labelling needs a DataFrame with 'text' and 'label' "
                         "columns, e.g. the result of suggest_for_labelling")
    target = Path(path)
    if target.suffix.lower() != ".csv":
        raise InputError(f"{target}: export_for_labelling writes CSV; give a name ending in .csv")
    out = pd.DataFrame(index=units.index)
    for column in EXPORT_COLUMNS:
        name = "unit_index" if column == "unit_id" and "unit_id" not in units.columns else column
        out[column] = units[name] if name in units.columns else ""
    if "probability" in units.columns:
        out["probability"] = units["probability"].round(3)
    target.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(target, index=False, encoding="utf-8-sig")
    return target
