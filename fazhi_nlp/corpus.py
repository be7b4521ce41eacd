"""Whole corpora: classify every report into DataFrames, profile them, pick units to label.

:func:`classify_corpus` reads a folder of reports (or a list of files, or a DataFrame of
texts), cleans, segments and labels every unit, and flags reports reposted by another
agency. :func:`iter_classify` streams the same rows one report at a time, so a corpus of
any size never has to fit in memory. Work is shared out with joblib: ``n_jobs=4`` uses
four processes, and ``with joblib.parallel_config(backend="dask"):`` (or ``"ray"``) moves
it to a cluster without other changes. The model is loaded once per worker, and each
batch of reports is labelled by one ``predict_proba`` call.

:func:`profile` turns unit labels into label shares per report, per report section and
per agency or year; :func:`suggest_for_labelling` and :func:`export_for_labelling` start
the loop of correcting the model and retraining it (``fazhi-nlp train``).

pandas, joblib and tqdm are imported when a function runs, not when this module loads.

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

import math
import os
from collections import Counter, defaultdict, namedtuple
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, NamedTuple, Optional, Sequence, Union

from .dedup import _bigrams, _key, _similarity
from .errors import FazhiError, InputError
from .labels import LABEL_NAMES
from .read import REPORT_SUFFIXES
from .types import SECTIONS

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

__all__ = [
    "ERROR_COLUMNS", "REPORT_COLUMNS", "REPORT_SUFFIXES", "UNIT_COLUMNS", "CorpusResult",
    "Profile", "classify_corpus", "export_for_labelling", "find_reports", "flag_reposts",
    "iter_classify", "profile", "suggest_for_labelling",
]

#: Columns of :attr:`CorpusResult.units`, one row per unit.
UNIT_COLUMNS = ("doc_id", "title", "agency", "year", "section", "heading_path", "heading", "kind",
                "unit_index", "text", "label", "probability", "runner_up",
                "runner_up_probability", "uncertain", "duplicate_of")
#: Columns of :attr:`CorpusResult.reports`, one row per report read.
REPORT_COLUMNS = ("doc_id", "path", "title", "agency", "year", "published", "n_units",
                  "n_removed", "n_uncertain", "duplicate_group", "duplicate_of")
#: Columns of :attr:`CorpusResult.errors`, one row per input that could not be read.
ERROR_COLUMNS = ("source", "reason")
#: Columns written by :func:`export_for_labelling`.
EXPORT_COLUMNS = ("text", "label", "doc_id", "unit_id", "heading", "section", "kind",
                  "probability", "runner_up")

_DTYPES = {"year": "Int64", "duplicate_group": "Int64", "unit_index": "int64",
           "probability": "float64", "runner_up_probability": "float64", "uncertain": "bool",
           "n_units": "int64", "n_removed": "int64", "n_uncertain": "int64"}
#: A row of :attr:`CorpusResult.units` / ``.reports``, edited by column name.
_UnitRow = namedtuple("_UnitRow", UNIT_COLUMNS)
_ReportRow = namedtuple("_ReportRow", REPORT_COLUMNS)

Source = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]], "pd.DataFrame"]


# --------------------------------------------------------------------------- inputs


class _Job(NamedTuple):
    """One report to read: its id, and either its path or its text."""

    doc_id: str
    path: Optional[str]
    text: Optional[str]


def _expand(name: Union[str, os.PathLike]) -> list[Path]:
    path = Path(name)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES
                      and p.is_file())
    if path.exists():
        return [path]
    raise InputError(f"{name}: no such file or directory")


def _names(inputs: Any) -> list:
    return [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)


def _none_found(names: list) -> InputError:
    shown = ", ".join(str(n) for n in names) or "(nothing given)"
    return InputError(f"no reports found in {shown}: expected files ending in "
                      f"{', '.join(REPORT_SUFFIXES)}")


def find_reports(inputs: Union[str, os.PathLike, Iterable[Union[str, os.PathLike]]]) -> list[Path]:
    """The report files named by ``inputs``; folders are searched recursively (sorted).

    A folder contributes its files ending in :data:`fazhi_nlp.read.REPORT_SUFFIXES`
    (``.txt .html .shtml .docx .pdf``, ...); a file named directly is taken whatever its
    ending. Raises :class:`~fazhi_nlp.errors.InputError` for a path that does not exist, or
    when no report is found at all.

    Examples
    --------
    >>> find_reports("no/such/folder")
    Traceback (most recent call last):
    ...
    fazhi_nlp.errors.InputError: no/such/folder: no such file or directory
    """
    names = _names(inputs)
    found = [path for name in names for path in _expand(name)]
    if not found:
        raise _none_found(names)
    return found


def _path_jobs(inputs: Any) -> list[_Job]:
    """Jobs for files, each id being the file name without its ending (made unique)."""
    names = _names(inputs)
    jobs: list[_Job] = []
    used: set[str] = set()
    for name in names:
        root = Path(name)
        for path in _expand(name):
            rel = path.relative_to(root) if root.is_dir() else path
            candidates = (path.stem, rel.with_suffix("").as_posix(), rel.as_posix(), str(path))
            doc_id = next((c for c in candidates if c not in used), None)
            if doc_id is None:
                raise InputError(f"{path}: given twice; name each report once")
            used.add(doc_id)
            jobs.append(_Job(doc_id, str(path), None))
    if not jobs:
        raise _none_found(names)
    return jobs


def _frame_jobs(df: "pd.DataFrame", text_column: str, id_column: Optional[str]) -> list[_Job]:
    """Jobs for a DataFrame: one report per row, ids from ``id_column``, 'doc_id' or the index."""
    columns = [str(c) for c in df.columns]
    if text_column not in df.columns:
        raise InputError(f"the DataFrame has no {text_column!r} column (columns: {columns}); "
                         "pass text_column='<the column holding the report text>'")
    if id_column is not None and id_column not in df.columns:
        raise InputError(f"the DataFrame has no {id_column!r} column for the report ids "
                         f"(columns: {columns})")
    id_column = id_column or ("doc_id" if "doc_id" in df.columns else None)
    ids = [str(v) for v in (df[id_column] if id_column else df.index)]
    repeated = [k for k, n in Counter(ids).items() if n > 1]
    if repeated:
        where = f"column {id_column!r}" if id_column else "the index"
        raise InputError(f"report ids must be unique, but {where} repeats {repeated[:5]}; "
                         "pass id_column='<a column of unique ids>'")
    if not ids:
        raise InputError("the DataFrame has no rows: no reports to classify")
    return [_Job(doc_id, None, text) for doc_id, text in zip(ids, df[text_column])]


def _jobs(source: Source, text_column: str, id_column: Optional[str],
          batch_size: int) -> list[_Job]:
    if not (isinstance(batch_size, int) and batch_size >= 1):
        raise InputError(f"batch_size must be a positive whole number, got {batch_size!r}")
    if hasattr(source, "columns") and hasattr(source, "index"):
        return _frame_jobs(source, text_column, id_column)
    if isinstance(source, (bytes, bytearray)):
        raise InputError("expected a folder, a list of report files or a DataFrame, got bytes; "
                         "use fazhi_nlp.classify for one report")
    return _path_jobs(source)


# --------------------------------------------------------------------------- the model


def _model_ref(model: Any) -> Any:
    """What a worker needs to get the model: the absolute path of a saved model (None for
    the shipped one), or the fitted model itself."""
    if model is None:
        return None
    if isinstance(model, (str, os.PathLike)):
        return os.path.abspath(model)
    if hasattr(model, "predict_proba") and hasattr(model, "classes_"):
        return model
    raise InputError(f"model must be None (the shipped model), the path of a saved model or a "
                     f"fitted Classifier; got {type(model).__name__}")


def _model(ref: Any) -> Any:
    """The model of a reference; a saved model is loaded once per process."""
    from .persist import cached_model

    return cached_model(ref) if ref is None or isinstance(ref, str) else ref


# --------------------------------------------------------------------------- the worker


class _Part(NamedTuple):
    """What reading (and labelling) one report produced, in plain rows."""

    report: Optional[_ReportRow]
    units: list[_UnitRow]
    error: Optional[tuple]
    text: str


def _reason(exc: Exception, job: _Job) -> str:
    message = str(exc)
    for prefix in (f"{job.path}: ", "<text>: ", "<bytes>: "):
        if message.startswith(prefix):
            message = message[len(prefix):]
    return message if isinstance(exc, FazhiError) else f"{type(exc).__name__}: {message}"


def _read(job: _Job) -> Any:
    """The processed Report of a job, or an error row (the batch never stops on one file)."""
    from .pipeline import process

    if job.path is None and not (isinstance(job.text, str) and job.text.strip()):
        return (job.doc_id, "no text (the text cell is empty)")
    try:  # text goes in as bytes so that it is never mistaken for a file name
        return process(job.path if job.path is not None else job.text.encode("utf-8"),
                       doc_id=job.doc_id)
    except Exception as exc:  # noqa: BLE001 - any failure of one file is recorded, not raised
        return (job.path or job.doc_id, _reason(exc, job))


def _report_row(report: Any, job: _Job, n_uncertain: int) -> _ReportRow:
    return _ReportRow(doc_id=report.doc_id, path=job.path, title=report.title,
                      agency=report.agency, year=report.year, published=report.published,
                      n_units=len(report.units), n_removed=len(report.removed),
                      n_uncertain=n_uncertain, duplicate_group=None, duplicate_of=None)


def _classify_batch(jobs: list[_Job], model_ref: Any, threshold: float) -> list[_Part]:
    """Read a batch of reports and label all their units with one ``predict_proba`` call."""
    from .classifier import top_two

    read = [(job, _read(job)) for job in jobs]
    units = [u for _, r in read if not isinstance(r, tuple) for u in r.units]
    if units:
        model = _model(model_ref)
        labels, proba, runner_up, runner_up_proba = top_two(model.predict_proba(units),
                                                            [str(c) for c in model.classes_])
    parts, k = [], 0
    for job, report in read:
        if isinstance(report, tuple):
            parts.append(_Part(None, [], report, ""))
            continue
        rows = []
        for unit in report.units:
            p = float(proba[k])
            rows.append(_UnitRow(
                doc_id=report.doc_id, title=report.title, agency=report.agency,
                year=report.year, section=unit.section,
                heading_path=" > ".join(unit.heading_path), heading=unit.heading,
                kind=unit.kind, unit_index=unit.index, text=unit.text, label=labels[k],
                probability=p, runner_up=runner_up[k],
                runner_up_probability=float(runner_up_proba[k]), uncertain=p < threshold,
                duplicate_of=None))
            k += 1
        n_uncertain = sum(1 for row in rows if row.uncertain)
        parts.append(_Part(_report_row(report, job, n_uncertain), rows, None, report.text))
    return parts


def _process_batch(jobs: list[_Job]) -> list[_Part]:
    """Read a batch of reports without labelling them."""
    parts = []
    for job in jobs:
        report = _read(job)
        if isinstance(report, tuple):
            parts.append(_Part(None, [], report, ""))
        else:
            parts.append(_Part(_report_row(report, job, 0), [], None, report.text))
    return parts


def _run_batches(jobs: list[_Job], batch: Any, args: tuple, n_jobs: Optional[int], batch_size: int,
                 progress: bool, what: str) -> Iterator[list[_Part]]:
    """Run ``batch(jobs_slice, *args)`` over the jobs; yields each batch's parts in corpus order.

    Work goes through joblib, so a backend the caller chose with ``joblib.parallel_config``
    (Dask, Ray, threads, …) is used as it is. Under joblib's default backend with more than
    one job, workers are forked from this process, which has already loaded the model, rather
    than started as fresh interpreters that import scikit-learn and load it again.
    """
    from tqdm import tqdm

    slices = [jobs[i:i + batch_size] for i in range(0, len(jobs), batch_size)]
    with tqdm(total=len(jobs), unit="report", desc=what, disable=not progress) as bar:
        for parts in _map_in_order(partial(_call, batch, args), slices, n_jobs):
            yield parts
            bar.update(len(parts))


def _call(batch: Any, args: tuple, piece: list) -> list:
    return batch(piece, *args)


def _map_in_order(function: Any, pieces: list, n_jobs: Optional[int]) -> Iterator[Any]:
    """``function`` over ``pieces``, results streamed in order (forked pool or joblib)."""
    import multiprocessing

    from joblib import Parallel, delayed, effective_n_jobs
    from joblib.parallel import get_active_backend

    backend, _ = get_active_backend()
    workers = min(effective_n_jobs(n_jobs), len(pieces))
    if workers > 1 and type(backend).__name__ == "LokyBackend" \
            and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(function, pieces)
        return
    yield from Parallel(n_jobs=n_jobs, return_as="generator")(delayed(function)(p) for p in pieces)


def _run(jobs: list[_Job], batch: Any, args: tuple, n_jobs: Optional[int], batch_size: int,
         progress: bool, what: str) -> Iterator[_Part]:
    """Like :func:`_run_batches`, one part at a time."""
    for parts in _run_batches(jobs, batch, args, n_jobs, batch_size, progress, what):
        yield from parts


# --------------------------------------------------------------------------- results


def _frame(rows: list, columns: Sequence[str]) -> "pd.DataFrame":
    """Rows as a DataFrame whose dtypes do not depend on the rows (so parts concatenate).

    Text columns get pandas' default string dtype (object before pandas 3, str after).
    """
    import pandas as pd

    text = pd.Series(["a"]).dtype
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    return frame.astype({c: _DTYPES.get(c, text) for c in frame.columns})


@dataclass(frozen=True)
class CorpusResult:
    """Labelled units, one row per report read, and the inputs that could not be read.

    ``units`` has the columns :data:`UNIT_COLUMNS`; ``reports`` has :data:`REPORT_COLUMNS`
    (``duplicate_group`` numbers each group of near-identical reports, ``duplicate_of`` names
    the first report of the group for every later copy); ``errors`` has ``source`` (file or
    id) and ``reason``.
    """

    units: "pd.DataFrame" = field(repr=False)
    reports: "pd.DataFrame" = field(repr=False)
    errors: "pd.DataFrame" = field(repr=False)

    def __repr__(self) -> str:
        groups = self.reports["duplicate_group"].nunique()
        return (f"CorpusResult({len(self.reports)} reports, {len(self.units)} units, "
                f"{int(self.units['uncertain'].sum())} uncertain, {groups} duplicate "
                f"group{'s' if groups != 1 else ''}, {len(self.errors)} errors)")


def _result(parts: list[_Part]) -> CorpusResult:
    return CorpusResult(units=_frame([r for p in parts for r in p.units], UNIT_COLUMNS),
                        reports=_frame([p.report for p in parts if p.report], REPORT_COLUMNS),
                        errors=_frame([p.error for p in parts if p.error], ERROR_COLUMNS))


def _prepare(source: Source, model: Any, threshold: Optional[float], text_column: str,
             id_column: Optional[str], batch_size: int) -> tuple[list[_Job], Any, float]:
    jobs = _jobs(source, text_column, id_column, batch_size)
    ref = _model_ref(model)
    loaded = _model(ref)  # loads (and checks) the model once in this process, before any work
    if threshold is None:
        threshold = getattr(loaded, "threshold_", None) or 0.0
    return jobs, ref, float(threshold)


def iter_classify(source: Source, *, model: Any = None, threshold: Optional[float] = None,
                  n_jobs: Optional[int] = None, batch_size: int = 16, progress: bool = True,
                  text_column: str = "text",
                  id_column: Optional[str] = None) -> Iterator[CorpusResult]:
    """Classify a corpus one report at a time: yields a one-report :class:`CorpusResult`.

    Takes the same arguments as :func:`classify_corpus` and yields, in corpus order, one
    result per input: its unit rows and report row, or (for a file that cannot be read)
    one error row. About ``2 × n_jobs × batch_size`` reports are held at once. Inputs and
    the model are checked when it is called, before the first report. Reposted copies
    are not flagged in the stream (``duplicate_of`` stays empty): that needs the whole
    corpus, see :func:`classify_corpus` and :func:`flag_reposts`.

    Examples
    --------
    >>> import pandas as pd
    >>> texts = pd.DataFrame({"text": ["一、推进严格规范公正文明执法\\n全面落实行政执法三项制度。",
    ...                                ""]}, index=["a", "b"])
    >>> [(len(part.units), len(part.errors)) for part in iter_classify(texts, progress=False)]
    [(2, 0), (0, 1)]
    """
    jobs, ref, threshold = _prepare(source, model, threshold, text_column, id_column,
                                    batch_size)
    batches = _run_batches(jobs, _classify_batch, (ref, threshold), n_jobs, batch_size, progress,
                           "classifying")
    return (result for parts in batches for result in _split(parts))


def _split(parts: list[_Part]) -> Iterator[CorpusResult]:
    """One-report results cut from the frames of a whole batch (built once: DataFrames are slow)."""
    whole = _result(parts)
    u = r = e = 0
    for part in parts:
        nu, nr, ne = len(part.units), int(part.report is not None), int(part.error is not None)
        yield CorpusResult(units=whole.units.iloc[u:u + nu].reset_index(drop=True),
                           reports=whole.reports.iloc[r:r + nr].reset_index(drop=True),
                           errors=whole.errors.iloc[e:e + ne].reset_index(drop=True))
        u, r, e = u + nu, r + nr, e + ne


def _flag(parts: list[_Part], threshold: Optional[float]) -> None:
    """Fill duplicate_group / duplicate_of in the report and unit rows, in place."""
    from .dedup import find_duplicate_reports

    if threshold is None:
        return
    texts = [(p.report.doc_id, p.text) for p in parts if p.report and p.report.n_units]
    group_of, first_of = {}, {}
    for number, group in enumerate(find_duplicate_reports(texts, threshold=threshold), start=1):
        for doc_id in group:
            group_of[doc_id] = number
        for doc_id in group[1:]:
            first_of[doc_id] = group[0]
    for i, part in enumerate(parts):
        doc_id = part.report.doc_id if part.report else None
        if doc_id in group_of:
            first = first_of.get(doc_id)
            report = part.report._replace(duplicate_group=group_of[doc_id], duplicate_of=first)
            units = [row._replace(duplicate_of=first) for row in part.units]
            parts[i] = part._replace(report=report, units=units)


def classify_corpus(source: Source, *, model: Any = None, threshold: Optional[float] = None,
                    n_jobs: Optional[int] = None, batch_size: int = 16, progress: bool = True,
                    text_column: str = "text", id_column: Optional[str] = None,
                    duplicate_threshold: Optional[float] = 0.8) -> CorpusResult:
    """Clean, segment and label every report of a corpus; flag reposted reports.

    Parameters
    ----------
    source : folder, file, list of files and folders, or pandas.DataFrame
        Folders are searched recursively for files ending in
        :data:`fazhi_nlp.read.REPORT_SUFFIXES` (``.txt .html .shtml .docx .pdf``, ...). A
        DataFrame holds one report per row in ``text_column``; ids come from ``id_column``,
        else a ``doc_id`` column, else the index. File ids are file names without their
        ending (with the folder path when two files share a name).
    model : Classifier, path of a saved model, or None for the shipped model
    threshold : float, optional
        Units labelled with a lower probability are ``uncertain``; default: the model
        card's threshold.
    n_jobs : int, optional
        Worker processes (joblib; -1 = all cores). None means 1, unless a
        ``joblib.parallel_config`` block says otherwise (e.g. a Dask or Ray backend).
    batch_size : int
        Reports per task; each task labels all its units with one ``predict_proba`` call.
    progress : bool
        Show a tqdm progress bar.
    duplicate_threshold : float or None
        Reports whose cleaned texts are this similar (MinHash estimate of 5-gram Jaccard,
        see :func:`fazhi_nlp.find_duplicate_reports`) form a ``duplicate_group``; None
        skips the check.

    Returns
    -------
    CorpusResult
        ``.units``, ``.reports`` and ``.errors`` DataFrames. A file that is empty, binary
        or undecodable becomes a row of ``.errors``; the others are still classified.

    Raises :class:`~fazhi_nlp.errors.InputError` for a path that does not exist or a folder
    without reports, and :class:`~fazhi_nlp.errors.ModelError` for an unusable model.

    Examples
    --------
    >>> import pandas as pd
    >>> texts = pd.DataFrame({"doc_id": ["a"], "text": ["一、推进严格规范公正文明执法\\n"
    ...                                                "全面落实行政执法三项制度。"]})
    >>> result = classify_corpus(texts, progress=False)
    >>> result.units[["kind", "label"]].values.tolist()
    [['heading', 'enforcement'], ['sentence', 'enforcement']]
    """
    jobs, ref, threshold = _prepare(source, model, threshold, text_column, id_column,
                                    batch_size)
    parts = list(_run(jobs, _classify_batch, (ref, threshold), n_jobs, batch_size, progress,
                      "classifying"))
    _flag(parts, duplicate_threshold)
    return _result(parts)


def flag_reposts(source: Source, *, threshold: float = 0.8, n_jobs: Optional[int] = None,
                 batch_size: int = 16, progress: bool = True, text_column: str = "text",
                 id_column: Optional[str] = None) -> CorpusResult:
    """Read and clean a corpus without labelling it, and flag reposted reports.

    Same inputs as :func:`classify_corpus`; the result has empty ``units``, and ``reports``
    with ``duplicate_group`` / ``duplicate_of`` filled in (``n_uncertain`` is 0).

    Examples
    --------
    >>> import pandas as pd
    >>> body = "全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。" * 3
    >>> texts = pd.DataFrame({"text": [body, "转载：" + body, "全年办理信访件四件。"]},
    ...                      index=["a", "b", "c"])
    >>> reports = flag_reposts(texts, progress=False).reports.set_index("doc_id")
    >>> reports["duplicate_of"].dropna().to_dict(), reports["duplicate_group"].tolist()
    ({'b': 'a'}, [1, 1, <NA>])
    """
    jobs = _jobs(source, text_column, id_column, batch_size)
    parts = list(_run(jobs, _process_batch, (), n_jobs, batch_size, progress, "reading"))
    _flag(parts, threshold)
    return _result(parts)


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Profile:
    """Label shares of each report, of each report section, and of groups of reports.

    ``shares`` and ``counts`` have one row per report (index ``doc_id``) and one column per
    label (codebook order); each ``shares`` row sums to 1. ``by_section`` is indexed by
    ``(doc_id, section)``. ``groups`` maps a column (``agency``, ``year``, ...) to a table
    of mean report shares per value: every report weighs the same, however long.
    ``reports`` holds title, agency, year and the number of units counted per report.
    """

    shares: "pd.DataFrame"
    counts: "pd.DataFrame" = field(repr=False)
    by_section: "pd.DataFrame" = field(repr=False)
    groups: dict = field(repr=False)
    reports: "pd.DataFrame" = field(repr=False)

    @property
    def by_agency(self) -> Optional["pd.DataFrame"]:
        """Mean label shares per agency (None when the units have no ``agency``)."""
        return self.groups.get("agency")

    @property
    def by_year(self) -> Optional["pd.DataFrame"]:
        """Mean label shares per reported year (None when the units have no ``year``)."""
        return self.groups.get("year")


def _units_frame(units: Any) -> "pd.DataFrame":
    frame = units.units if isinstance(units, CorpusResult) else units
    if not (hasattr(frame, "columns") and hasattr(frame, "index")):
        raise InputError(f"expected a DataFrame of units (e.g. classify_corpus(...).units), "
                         f"got {type(units).__name__}")
    missing = [c for c in ("doc_id", "label") if c not in frame.columns]
    if missing:
        raise InputError(f"the units table has no {' or '.join(map(repr, missing))} column "
                         f"(columns: {[str(c) for c in frame.columns]})")
    return frame


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
        Leave out reposted copies (rows with ``duplicate_of`` set).

    Examples
    --------
    >>> import pandas as pd
    >>> units = pd.DataFrame({"doc_id": ["a", "a", "b"], "agency": ["X局", "X局", "Y局"],
    ...                       "label": ["publicity", "general", "publicity"]})
    >>> profile(units, kinds=None).by_agency["publicity"].tolist()
    [0.5, 1.0]
    """
    import pandas as pd

    frame = _units_frame(units)
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
    if drop_duplicates and "duplicate_of" in rows.columns:
        rows = rows[rows["duplicate_of"].isna()]
    rows = rows[rows["label"].notna()]
    if weight == "chars":
        if "text" not in rows.columns:
            raise InputError("weight='chars' needs a 'text' column in the units table")
        w = rows["text"].astype(str).map(lambda t: len(_key(t)))
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
                   reports=reports)


# --------------------------------------------------------------------------- labelling loop


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
            grams = _bigrams(_key(self.texts[i]))
            if any(_similarity(grams, other) >= self.similarity for other in self.grams):
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
    frame = _units_frame(units)
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
