"""Label shares per report, per report section, and per agency or year.

Examples
--------
>>> import pandas as pd
>>> units = pd.DataFrame({"doc_id": ["a", "a", "a", "b"],
...                       "kind": ["sentence", "sentence", "clause", "sentence"],
...                       "label": ["publicity", "publicity", "enforcement", "disputes"]})
>>> shares = profile(units).shares
>>> shares.loc["a", ["publicity", "enforcement"]].round(2).tolist()
[0.67, 0.33]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

from .corpus import units_frame
from .errors import InputError
from .labels import LABEL_NAMES
from .patterns import paragraph_key
from .types import SECTIONS

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

__all__ = ["Profile", "profile"]


@dataclass(frozen=True)
class Profile:
    """Label shares of each report, of each report section, and of groups of reports.

    ``shares`` and ``counts`` have one row per report (index ``doc_id``) and one column per
    label (codebook order); each ``shares`` row sums to 1. ``by_section`` is indexed by
    ``(doc_id, section)``. ``groups`` maps a column (``agency``, ``year``, ...) to a table
    of mean report shares per value: every report weighs the same, however long.
    ``reports`` holds title, agency, year and the number of units counted per report.
    ``reposts`` lists the reposted copies set aside (index ``doc_id``; ``duplicate_of``, the
    report they repeat, and ``n_units``, the units not counted); :attr:`set_aside` says it in
    words.
    """

    shares: "pd.DataFrame"
    counts: "pd.DataFrame" = field(repr=False)
    by_section: "pd.DataFrame" = field(repr=False)
    groups: dict = field(repr=False)
    reports: "pd.DataFrame" = field(repr=False)
    reposts: "pd.DataFrame" = field(repr=False, default=None)

    @property
    def set_aside(self) -> str:
        """How many reposted reports and units were left out, and which ('' when none).

        >>> import pandas as pd
        >>> units = pd.DataFrame({"doc_id": ["a", "b", "b"], "label": ["publicity"] * 3,
        ...                       "duplicate_of": [None, "a", "a"]})
        >>> profile(units, kinds=None).set_aside
        'set aside 1 reposted report (2 units): b (repeats a)'
        """
        if self.reposts is None or not len(self.reposts):
            return ""
        n, units = len(self.reposts), int(self.reposts["n_units"].sum())
        named = ", ".join(f"{doc_id} (repeats {first})" for doc_id, first
                          in self.reposts["duplicate_of"].head(10).items())
        more = f", and {n - 10} more" if n > 10 else ""
        return (f"set aside {n} reposted report{'s' if n != 1 else ''} ({units} unit"
                f"{'s' if units != 1 else ''}): {named}{more}")

    @property
    def by_agency(self) -> Optional["pd.DataFrame"]:
        """Mean label shares per agency (None when the units have no ``agency``)."""
        return self.groups.get("agency")

    @property
    def by_year(self) -> Optional["pd.DataFrame"]:
        """Mean label shares per reported year (None when the units have no ``year``)."""
        return self.groups.get("year")


def profile(units: Any, by: Union[str, Sequence[str], None] = None, *,
            kinds: Optional[Sequence[str]] = ("sentence", "clause"), weight: str = "units",
            drop_duplicates: bool = True) -> Profile:
    """Label shares per report, per section, and per agency / year (or other columns).

    Parameters
    ----------
    units : DataFrame or CorpusResult
        Needs ``doc_id`` and ``label``; uses ``kind``, ``section``, ``duplicate_of``,
        ``text`` and the ``by`` columns when present.
    by : column name(s), optional
        Columns to compare reports by; default ``agency`` and ``year`` (those present).
    kinds : unit kinds counted
        Headings are left out by default: they name a topic that the sentences under them
        already carry. None counts every unit.
    weight : {"units", "chars"}
        Count each unit once, or weigh it by its number of characters.
    drop_duplicates : bool
        Leave out reposted copies (rows with ``duplicate_of`` set); ``Profile.reposts`` and
        ``Profile.set_aside`` say which and how many units.

    Examples
    --------
    >>> import pandas as pd
    >>> units = pd.DataFrame({"doc_id": ["a", "a", "b"], "agency": ["X局", "X局", "Y局"],
    ...                       "label": ["publicity", "general", "publicity"]})
    >>> profile(units, kinds=None).by_agency["publicity"].tolist()
    [0.5, 1.0]
    """
    import pandas as pd

    frame = units_frame(units)
    if weight not in ("units", "chars"):
        raise InputError(f"weight must be 'units' or 'chars', got {weight!r}")
    by = [c for c in ("agency", "year") if c in frame.columns] if by is None else \
        [by] if isinstance(by, str) else list(by)
    missing = [c for c in by if c not in frame.columns]
    if missing:
        raise InputError(f"cannot compare by {missing}: no such column in the units table "
                         f"(columns: {[str(c) for c in frame.columns]})")
    rows = frame
    if kinds is not None and "kind" in rows.columns:
        rows = rows[rows["kind"].isin(list(kinds))]
    reposts = pd.DataFrame({"duplicate_of": pd.Series(dtype=object),
                            "n_units": pd.Series(dtype="int64")}).rename_axis("doc_id")
    if drop_duplicates and "duplicate_of" in rows.columns:
        copies = rows["duplicate_of"].notna()
        if copies.any():
            reposts = rows[copies].groupby("doc_id", sort=False).agg(
                duplicate_of=("duplicate_of", "first"), n_units=("duplicate_of", "size"))
        rows = rows[~copies]
    rows = rows[rows["label"].notna()]
    if weight == "chars":
        if "text" not in rows.columns:
            raise InputError("weight='chars' needs a 'text' column in the units table")
        w = rows["text"].astype(str).map(lambda t: len(paragraph_key(t)))
    else:
        w = pd.Series(1, index=rows.index)
    found = set(rows["label"].astype(str))
    labels = list(LABEL_NAMES) + sorted(found - set(LABEL_NAMES))
    doc_order = list(pd.unique(rows["doc_id"]))
    doc_rank = {doc_id: i for i, doc_id in enumerate(doc_order)}

    def table(keys: list[str], values: "pd.Series") -> "pd.DataFrame":
        t = values.groupby([rows[k] for k in keys] + [rows["label"].astype(str)]).sum() \
            .unstack(fill_value=0).reindex(columns=labels, fill_value=0)
        t.columns.name = "label"
        return t

    counts = table(["doc_id"], pd.Series(1, index=rows.index)).reindex(doc_order)
    weights = counts if weight == "units" else table(["doc_id"], w).reindex(doc_order)
    shares = weights.div(weights.sum(axis=1), axis=0)
    if "section" in rows.columns:
        per_section = table(["doc_id", "section"], w)
        order = {s: i for i, s in enumerate(SECTIONS)}
        keys = sorted(per_section.index, key=lambda k: (doc_rank[k[0]],
                                                        order.get(k[1], len(order)), str(k[1])))
        per_section = per_section.reindex(pd.MultiIndex.from_tuples(keys, names=["doc_id",
                                                                                 "section"]))
        by_section = per_section.div(per_section.sum(axis=1), axis=0)
    else:
        by_section = shares.iloc[:0]
    meta_columns = [c for c in dict.fromkeys(["title", "agency", "year", *by])
                    if c in rows.columns]
    reports = rows.groupby("doc_id", sort=False)[meta_columns].first().reindex(doc_order)
    reports["n_units"] = counts.sum(axis=1)
    groups = {}
    for column in by:
        key = reports[column]
        groups[column] = shares[key.notna()].groupby(key[key.notna()]).mean()
    return Profile(shares=shares, counts=counts, by_section=by_section, groups=groups,
                   reports=reports, reposts=reposts)
