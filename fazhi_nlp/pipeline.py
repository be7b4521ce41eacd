"""The entry point that knows every stage: read → clean → dedup → segment → classify.

:func:`process` turns one report into a :class:`~fazhi_nlp.types.Report`;
:func:`classify` labels its units. Batches (:mod:`fazhi_nlp.corpus`) and the command
line call these same functions, so there is one prediction path and one default threshold.

Examples
--------
>>> report = process("某区司法局2023年法治政府建设情况报告\\n发布日期:2024-01-20\\n"
...                  "一、主要举措和成效\\n全年办理行政复议案件12件。\\n特此报告。")
>>> report.title, report.agency, report.year, report.published
('某区司法局2023年法治政府建设情况报告', '某区司法局', 2023, '2024-01-20')
>>> [(u.kind, u.section, u.text) for u in report.units]  # doctest: +NORMALIZE_WHITESPACE
[('heading', 'achievements', '一、主要举措和成效'), ('sentence', 'achievements', '全年办理行政复议案件12件。'),
 ('sentence', 'achievements', '特此报告。')]
>>> [(r.kind, r.line) for r in report.removed]
[('title', 1), ('metadata', 2)]
"""
from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, replace
from typing import Any, Optional, Sequence

from .clean import clean_page, reported_year
from .dedup import dedup_page
from .errors import InputError
from .read import ReportSource, path_of, read_with_removals
from .segment import segment_text
from .types import Report, Unit

__all__ = ["Prediction", "classify", "default_threshold", "predict_columns", "predict_units", "process",
           "resolve_model"]


def process(source: ReportSource, *, doc_id: Optional[str] = None, input: str = "auto") -> Report:
    """Read, clean, deduplicate and segment one report.

    ``source`` is a path, raw bytes, or the report's text (HTML is accepted). A string is
    read as a path when it looks like one (one line, a path separator or a report file
    ending, no sentence punctuation); ``input="content"`` or ``input="filename"`` says which
    it is. ``doc_id`` defaults to the file name without extension, or a short hash of the text.
    Every record in ``Report.removed`` gives the removed text exactly as it stood and its
    line: reading's records (stage ``"read"``: a page's scripts, navigation and hidden
    elements, a PDF's page headers and numbers) come first, with the line of the file as
    stored; the clean and dedup records follow, with the line of ``Report.source_text``.
    Raises :class:`~fazhi_nlp.errors.InputError` for empty, binary or undecodable input,
    and for text holding a lone surrogate (not valid Unicode).
    """
    path = path_of(source, input)
    name = str(path) if path else "<text>"
    raw, read_removed = read_with_removals(source, input=input)
    if not raw.strip():
        raise InputError(f"{name}: is empty (no text to process)")
    cleaned = clean_page(raw)
    deduped = dedup_page(cleaned.text)
    # dedup numbers the lines of the cleaned text: point its records back into the source
    # (the source is split into lines only when something was deduplicated)
    source_lines = (raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
                    if deduped.removed else [])
    repeats = tuple(replace(r, line=cleaned.line_numbers[r.line - 1],
                            text=source_lines[cleaned.line_numbers[r.line - 1] - 1],
                            reason=_source_lines(r.reason, cleaned.line_numbers))
                    for r in deduped.removed)
    return Report(
        doc_id=doc_id or (path.stem if path else "text-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:10]),
        text=deduped.text,
        units=tuple(segment_text(deduped.text)),
        title=cleaned.title,
        agency=cleaned.agency,
        year=reported_year(cleaned.title, deduped.text, cleaned.published),
        published=cleaned.published,
        signed=cleaned.signed,
        addressee=cleaned.addressee,
        removed=read_removed + tuple(sorted(cleaned.removed + repeats, key=lambda r: r.line)),
        source=str(path) if path else None,
        source_text=raw,
    )


def _source_lines(reason: str, line_numbers: Sequence[int]) -> str:
    """'repeats line 3' of the cleaned text, as the line of the source it came from."""
    prefix = "repeats line "
    if reason.startswith(prefix):
        number, _, rest = reason[len(prefix):].partition(" ")
        if number.isdigit():
            return f"{prefix}{line_numbers[int(number) - 1]}" + (f" {rest}" if rest else "")
    return reason


@dataclass(frozen=True)
class Prediction:
    """The label of one unit, its runner-up, and whether the model is unsure.

    ``uncertain`` is True when ``probability`` is below the threshold in use. ``runner_up`` is
    None (probability 0.0) for a model with a single class.
    """

    unit: Unit
    label: str
    probability: float
    runner_up: Optional[str]
    runner_up_probability: float
    uncertain: bool


def resolve_model(model: Any = None) -> Any:
    """The classifier ``model`` names: a fitted Classifier as it is, or a saved model
    (a path, or None for the shipped one) loaded once per process.

    >>> resolve_model() is resolve_model()
    True
    """
    if model is None or isinstance(model, (str, os.PathLike)):
        from .persist import cached_model

        return cached_model(model)
    if hasattr(model, "predict_proba") and hasattr(model, "classes_"):
        return model
    raise InputError(f"model must be None (the shipped model), the path of a saved model or a "
                     f"fitted Classifier; got {type(model).__name__}")


def default_threshold(model: Any) -> float:
    """The uncertainty threshold of a model: its card's (chosen by cross-validation), else 0.0."""
    return getattr(model, "threshold_", None) or 0.0


def predict_units(units: Sequence[Unit], model: Any, threshold: Optional[float] = None,
                  groups: Optional[Sequence[Any]] = None) -> list[Prediction]:
    """Label ``units`` with a fitted ``model`` in one ``predict_proba`` call.

    ``units`` are in reading order; ``groups`` gives the report of each unit (default: all
    units belong to one report), so that a unit leans on its neighbours in its own report
    only (:mod:`fazhi_nlp.context`).
    """
    units = list(units)
    columns = predict_columns(units, model, threshold, groups)
    return [Prediction(unit, *labelled) for unit, labelled in zip(units, zip(*columns))]


def predict_columns(units: Sequence[Unit], model: Any, threshold: Optional[float] = None,
                    groups: Optional[Sequence[Any]] = None) -> tuple[list, list, list, list, list]:
    """What :func:`predict_units` gives, as five lists with one entry per unit: label,
    probability, runner-up, runner-up probability and uncertain (for tables of many units,
    without a Prediction object per unit).

    >>> labels, probability, runner_up, _, uncertain = predict_columns(process("开展普法宣传。").units, resolve_model())
    >>> labels, uncertain
    (['publicity'], [False])
    """
    from .scorer import top_two

    units = list(units)
    if threshold is None:
        threshold = default_threshold(model)
    if not units:
        return [], [], [], [], []
    if _reads_text_and_heading(model):  # each distinct unit once (headings and set phrases repeat)
        from .context import mix_neighbours

        distinct, rows = _distinct(units, headings=bool(model.use_heading))
        proba = model.predict_proba(distinct)  # Units carry no report: each scored alone
        proba = proba[rows] if len(distinct) < len(units) else proba
        proba = mix_neighbours(proba, [0] * len(units) if groups is None else list(groups),
                               model.context_weight)
    else:
        proba = model.predict_proba(units)
    # as Python lists: a float or str per unit, not a numpy scalar to convert one by one
    labels, probability, runner_up, runner_up_probability = (
        column.tolist() for column in top_two(proba, [str(c) for c in model.classes_]))
    return labels, probability, runner_up, runner_up_probability, [bool(p < threshold) for p in probability]


def _reads_text_and_heading(model: Any) -> bool:
    """True for the library's own classifiers: they read a unit's text, and its heading when
    ``use_heading`` is set, and nothing else, one unit at a time; so two units alike in these
    get the same probabilities. (Classes not yet imported cannot be the model's.)"""
    own = ((sys.modules.get("fazhi_nlp.persist"), "LoadedClassifier"),
           (sys.modules.get("fazhi_nlp.classifier"), "Classifier"))
    return any(module is not None and type(model) is getattr(module, name, None) for module, name in own)


def _distinct(units: Sequence[Unit], headings: bool) -> tuple[list[Unit], list[int]]:
    """The first unit of each distinct text (with ``headings``: text and heading), and where
    each unit's is among them.

    >>> a = Unit("全年办结。", "sentence", ("一、总体情况",), "achievements", 1, 7, 12, 1)
    >>> b = Unit("全年办结。", "sentence", ("二、存在问题",), "problems", 3, 20, 25, 3)
    >>> [(len(distinct), rows) for distinct, rows in (_distinct([a, b, a], False), _distinct([a, b, a], True))]
    [(1, [0, 0, 0]), (2, [0, 1, 0])]
    """
    where: dict[tuple[str, str], int] = {}
    distinct: list[Unit] = []
    rows = []
    for unit in units:
        key = (unit.text, unit.heading if headings else "")
        row = where.get(key)
        if row is None:
            row = where[key] = len(distinct)
            distinct.append(unit)
        rows.append(row)
    return distinct, rows


def classify(source: Any, model: Any = None, threshold: Optional[float] = None, *,
             input: str = "auto") -> Any:
    """Process a report (text, path, bytes or a :class:`~fazhi_nlp.types.Report`) and label
    every unit; a list of reports gives a list of prediction lists, in order.

    Parameters
    ----------
    source : str, path, bytes or Report, or a list of them
    model : Classifier, path of a saved model, or None for the shipped default model
        Saved models are loaded once per process (:func:`fazhi_nlp.persist.cached_model`).
    threshold : float, optional
        Predictions below it are ``uncertain``; defaults to the model card's threshold
        (chosen from cross-validation), or 0.0 for a model without one.
    input : {"auto", "content", "filename"}
        How a string is read (see :func:`process`).

    Examples
    --------
    >>> preds = classify("一、推进严格规范公正文明执法\\n全面落实行政执法三项制度。")
    >>> [(p.unit.text, p.label) for p in preds]
    [('一、推进严格规范公正文明执法', 'enforcement'), ('全面落实行政执法三项制度。', 'enforcement')]
    >>> [len(p) for p in classify(["开展普法宣传。", "特此报告。"], input="content")]
    [1, 1]
    """
    model = resolve_model(model)
    if isinstance(source, (list, tuple)):
        return [classify(one, model, threshold, input=input) for one in source]
    report = source if isinstance(source, Report) else process(source, input=input)
    return predict_units(report.units, model, threshold)
