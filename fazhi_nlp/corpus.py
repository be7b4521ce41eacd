"""Whole corpora: classify every report into DataFrames, and flag reposted reports.

:func:`classify_corpus` reads a folder of reports (or a list of files, or a DataFrame of
texts), cleans, segments and labels every unit, and flags reports reposted by another
agency. :func:`iter_classify` streams the same rows one report at a time, so a corpus of
any size never has to fit in memory. Work is shared out with joblib: ``n_jobs=4`` uses
four processes, this one and three forked from it (the model loaded here is shared, not
loaded again), and a corpus of fewer than :data:`SERIAL_BELOW` reports stays in this
process. Inside ``with joblib.parallel_config(backend="dask"):`` (or ``"ray"``) the same
call runs on a cluster, each worker loading the model once::

    from distributed import Client
    client = Client("tcp://scheduler:8786")      # a running Dask scheduler
    with joblib.parallel_config(backend="dask"):
        result = classify_corpus("reports/")     # file paths must be readable by the workers

Each batch of reports is labelled by one ``predict_proba`` call.

Label shares per report live in :mod:`fazhi_nlp.profiles`; picking units to label in
:mod:`fazhi_nlp.labelling`.

pandas, joblib and tqdm are imported when a function runs, not when this module loads.

Examples
--------
>>> import pandas as pd
>>> texts = pd.DataFrame({"text": ["一、推进严格规范公正文明执法\\n全面落实行政执法三项制度。"]})
>>> classify_corpus(texts, progress=False).units["label"].tolist()
['enforcement', 'enforcement']
"""
from __future__ import annotations

import os
from collections import Counter, namedtuple
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, NamedTuple, Optional, Sequence, Union

from .errors import FazhiError, InputError
from .files import check_encodable
from .pipeline import default_threshold, predict_columns, process, resolve_model
from .read import REPORT_SUFFIXES

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

__all__ = [
    "ERROR_COLUMNS", "REPORT_COLUMNS", "REPORT_SUFFIXES", "SERIAL_BELOW", "UNIT_COLUMNS", "CorpusResult", "Job",
    "classify_corpus", "find_reports", "flag_reposts", "iter_classify", "read_job", "report_jobs",
    "units_frame",
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
_DTYPES = {"year": "Int64", "duplicate_group": "Int64", "unit_index": "int64",
           "probability": "float64", "runner_up_probability": "float64", "uncertain": "bool",
           "n_units": "int64", "n_removed": "int64", "n_uncertain": "int64"}
#: A row of :attr:`CorpusResult.units` / ``.reports``, edited by column name.
_UnitRow = namedtuple("_UnitRow", UNIT_COLUMNS)
_ReportRow = namedtuple("_ReportRow", REPORT_COLUMNS)

#: A corpus: a folder, a file, a list of files and folders, or a DataFrame of report texts.
CorpusSource = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]], "pd.DataFrame"]


# --------------------------------------------------------------------------- inputs


class Job(NamedTuple):
    """One report to read: its id, and either its path or its text.

    ``problem`` says why an entry of a folder cannot be read at all (a folder that cannot be
    listed); it becomes a row of :attr:`CorpusResult.errors`.
    """

    doc_id: str
    path: Optional[str]
    text: Optional[str]
    problem: Optional[str] = None


def _expand(name: Union[str, os.PathLike]) -> list[tuple[Path, Optional[str]]]:
    """The report entries named by ``name``, each with the problem that stops reading it.

    A folder is walked recursively (following links to folders once each): every entry with a
    report ending that is not a folder is listed, whatever it is (a broken symbolic link or a
    named pipe is read as an error naming it), and so is every folder that cannot be listed.
    """
    path = Path(name)
    if path.is_dir():
        found: list[tuple[Path, Optional[str]]] = []

        def unlisted(exc: OSError) -> None:
            found.append((Path(exc.filename or path), f"cannot list this folder "
                                                      f"({exc.strerror or exc})"))

        seen: set[tuple[int, int]] = set()
        for folder, subfolders, files in os.walk(path, onerror=unlisted, followlinks=True):
            try:
                st = os.stat(folder)
            except OSError:
                st = None
            if st is not None and (st.st_dev, st.st_ino) in seen:  # a link back up the tree
                subfolders[:] = []
                continue
            if st is not None:
                seen.add((st.st_dev, st.st_ino))
            found += [(Path(folder, f), None) for f in files
                      if Path(f).suffix.lower() in REPORT_SUFFIXES]
        return sorted(found)
    if path.exists():
        return [(path, None)]
    if path.is_symlink():
        raise InputError(f"{name}: broken symbolic link (it points to {os.readlink(path)}, "
                         "which does not exist)")
    raise InputError(f"{name}: no such file or directory")


def _names(inputs: Any) -> list:
    return [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)


def _none_found(names: list) -> InputError:
    shown = ", ".join(str(n) for n in names) or "(nothing given)"
    return InputError(f"no reports found in {shown}: expected files ending in "
                      f"{', '.join(REPORT_SUFFIXES)}")


def find_reports(inputs: Union[str, os.PathLike, Iterable[Union[str, os.PathLike]]]) -> list[Path]:
    """The report files named by ``inputs``; folders are searched recursively (sorted).

    A folder contributes its entries ending in :data:`fazhi_nlp.read.REPORT_SUFFIXES`
    (``.txt .html .shtml .docx .pdf``, ...), readable or not: a broken link or a named pipe
    is listed, and reading it gives an error naming it; so is a subfolder that cannot be
    listed. Nothing is skipped silently. A file named directly is taken whatever its ending.
    Raises :class:`~fazhi_nlp.errors.InputError` for a path that does not exist, or when no
    report is found at all.

    Examples
    --------
    >>> find_reports("no/such/folder")
    Traceback (most recent call last):
    ...
    fazhi_nlp.errors.InputError: no/such/folder: no such file or directory
    """
    names = _names(inputs)
    found = [path for name in names for path, _ in _expand(name)]
    if not found:
        raise _none_found(names)
    return found


def report_jobs(inputs: Any) -> list[Job]:
    """Jobs for files, each id being the file name without its ending (made unique).

    A folder that cannot be listed becomes a job with a ``problem`` (an error row later)."""
    names = _names(inputs)
    jobs: list[Job] = []
    used: set[str] = set()
    for name in names:
        root = Path(name)
        for path, problem in _expand(name):
            rel = path.relative_to(root) if root.is_dir() and root in path.parents else path
            candidates = (rel.as_posix(), str(path)) if problem else \
                (path.stem, rel.with_suffix("").as_posix(), rel.as_posix(), str(path))
            doc_id = next((c for c in candidates if c not in used), None)
            if doc_id is None:
                raise InputError(f"{path}: given twice; name each report once")
            used.add(doc_id)
            jobs.append(Job(doc_id, str(path), None, problem))
    if not jobs:
        raise _none_found(names)
    return jobs


def _frame_jobs(df: "pd.DataFrame", text_column: str, id_column: Optional[str]) -> list[Job]:
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
    return [Job(doc_id, None, text) for doc_id, text in zip(ids, df[text_column])]


def _jobs(source: CorpusSource, text_column: str, id_column: Optional[str],
          batch_size: int) -> list[Job]:
    if not (isinstance(batch_size, int) and batch_size >= 1):
        raise InputError(f"batch_size must be a positive whole number, got {batch_size!r}")
    if hasattr(source, "columns") and hasattr(source, "index"):
        return _frame_jobs(source, text_column, id_column)
    if isinstance(source, (bytes, bytearray)):
        raise InputError("expected a folder, a list of report files or a DataFrame, got bytes; "
                         "use fazhi_nlp.classify for one report")
    return report_jobs(source)


# --------------------------------------------------------------------------- the model


def _model_ref(model: Any) -> Any:
    """What a worker needs to get the model: the absolute path of a saved model (None for
    the shipped one), or the fitted model itself."""
    if isinstance(model, (str, os.PathLike)):
        return os.path.abspath(model)
    return model


# --------------------------------------------------------------------------- the worker


class _Part(NamedTuple):
    """What reading (and labelling) one report produced, in plain rows."""

    report: Optional[_ReportRow]
    units: list[_UnitRow]
    error: Optional[tuple]
    text: str


def _reason(exc: Exception, job: Job) -> str:
    message = str(exc)
    for prefix in (f"{job.path}: ", "<text>: ", "<bytes>: "):
        if message.startswith(prefix):
            message = message[len(prefix):]
    return message if isinstance(exc, FazhiError) else f"{type(exc).__name__}: {message}"


def read_job(job: Job) -> Any:
    """The processed Report of a job, or an error row ``(source, reason)``: the batch never
    stops on one file."""
    if job.problem:
        return (job.path or job.doc_id, job.problem)
    if job.path is None and isinstance(job.text, (bytes, bytearray)):
        return (job.doc_id, "the text cell holds bytes, expected text (str): decode the column "
                            "first (e.g. df[col].str.decode('gbk')), or pass the report files")
    if job.path is None and not (isinstance(job.text, str) and job.text.strip()):
        text = job.text
        if text is None or isinstance(text, str) or (isinstance(text, float) and text != text):
            return (job.doc_id, "no text (the text cell is empty)")
        return (job.doc_id, f"the text cell holds {type(text).__name__} {str(text)[:40]!r}, "
                            "expected text (str)")
    try:  # text goes in as bytes so that it is never mistaken for a file name
        if job.path is None:
            check_encodable(job.text, "the text cell")
        return process(job.path if job.path is not None else job.text.encode("utf-8"),
                       doc_id=job.doc_id)
    except Exception as exc:  # noqa: BLE001 - any failure of one file is recorded, not raised
        return (job.path or job.doc_id, _reason(exc, job))


def _report_row(report: Any, job: Job, n_uncertain: int) -> _ReportRow:
    return _ReportRow(doc_id=report.doc_id, path=job.path, title=report.title,
                      agency=report.agency, year=report.year, published=report.published,
                      n_units=len(report.units), n_removed=len(report.removed),
                      n_uncertain=n_uncertain, duplicate_group=None, duplicate_of=None)


def _classify_batch(jobs: list[Job], model_ref: Any, threshold: float) -> list[_Part]:
    """Read a batch of reports and label all their units with one ``predict_proba`` call."""
    read = [(job, read_job(job)) for job in jobs]
    reports = [r for _, r in read if not isinstance(r, tuple)]
    units = [u for r in reports for u in r.units]
    groups = [k for k, r in enumerate(reports) for _ in r.units]  # neighbours never cross reports
    labelled = (zip(units, *predict_columns(units, resolve_model(model_ref), threshold, groups)) if units
                else iter(()))
    parts = []
    for job, report in read:
        if isinstance(report, tuple):
            parts.append(_Part(None, [], report, ""))
            continue
        rows = [_UnitRow(report.doc_id, report.title, report.agency, report.year, unit.section,  # UNIT_COLUMNS
                         " > ".join(unit.heading_path), unit.heading, unit.kind, unit.index, unit.text, label,
                         probability, runner_up, runner_up_probability, uncertain, None)
                for unit, label, probability, runner_up, runner_up_probability, uncertain
                in islice(labelled, len(report.units))]
        n_uncertain = sum(1 for row in rows if row.uncertain)
        parts.append(_Part(_report_row(report, job, n_uncertain), rows, None, report.text))
    return parts


def _process_batch(jobs: list[Job]) -> list[_Part]:
    """Read a batch of reports without labelling them."""
    parts = []
    for job in jobs:
        report = read_job(job)
        if isinstance(report, tuple):
            parts.append(_Part(None, [], report, ""))
        else:
            parts.append(_Part(_report_row(report, job, 0), [], None, report.text))
    return parts


#: Under joblib's default backend, a corpus of fewer reports is read in this process whatever
#: ``n_jobs`` says: starting worker processes costs more than they save below this size
#: (measured with benchmarks/run.py --full on 2 cores; see benchmarks/README.md).
SERIAL_BELOW = 32


def _run_batches(jobs: list[Job], batch: Any, args: tuple, n_jobs: Optional[int], batch_size: int,
                 progress: bool, what: str) -> Iterator[list[_Part]]:
    """Run ``batch(jobs_slice, *args)`` over the jobs; yields each batch's parts in corpus order.

    Work goes through joblib, so a backend the caller chose with ``joblib.parallel_config``
    (Dask, Ray, threads, …) is used as it is. Under joblib's default backend with more than
    one job, this process takes its share of the batches and the other workers are forked
    from it, after it has loaded the model, rather than started as fresh interpreters that
    import scikit-learn and load it again; and a corpus of fewer than :data:`SERIAL_BELOW`
    reports stays in this process.
    """
    from tqdm import tqdm

    slices = _even_slices(jobs, batch_size)
    with tqdm(total=len(jobs), unit="report", desc=what, disable=not progress) as bar:
        for parts in _map_in_order(partial(_call, batch, args), slices, n_jobs, len(jobs)):
            yield parts
            bar.update(len(parts))


def _even_slices(jobs: list, batch_size: int) -> list[list]:
    """The jobs cut into the fewest slices of at most ``batch_size``, whose sizes differ by
    one at most (so that workers finish together: 50 reports with a batch size of 16 are
    12, 13, 12 and 13, not 16, 16, 16 and 2).

    >>> [len(s) for s in _even_slices(list(range(50)), 16)], _even_slices([1, 2, 3], 16)
    ([12, 13, 12, 13], [[1, 2, 3]])
    """
    count = -(-len(jobs) // batch_size)
    return [jobs[len(jobs) * k // count:len(jobs) * (k + 1) // count] for k in range(count)]


def _call(batch: Any, args: tuple, piece: list) -> list:
    return batch(piece, *args)


def _map_in_order(function: Any, pieces: list, n_jobs: Optional[int], size: int) -> Iterator[Any]:
    """``function`` over ``pieces`` (``size`` reports in all), results streamed in order: in
    this process, in this process and a forked pool, or through the joblib backend the caller
    chose."""
    import gc
    import multiprocessing

    from joblib import Parallel, delayed, effective_n_jobs
    from joblib.parallel import get_active_backend

    backend, _ = get_active_backend()
    workers = min(effective_n_jobs(n_jobs), len(pieces))
    default = type(backend).__name__ == "LokyBackend"
    if workers <= 1 or (default and size < SERIAL_BELOW):
        yield from map(function, pieces)
        return
    if default and "fork" in multiprocessing.get_all_start_methods():
        gc.freeze()  # the objects already made stay shared with the workers, not copied by gc
        try:
            with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
                # this process takes every workers-th piece itself: one fork fewer, and no
                # process waits while the others work
                theirs = pool.imap(function, [p for i, p in enumerate(pieces) if i % workers])
                for i, piece in enumerate(pieces):
                    yield function(piece) if i % workers == 0 else next(theirs)
        finally:
            gc.unfreeze()
        return
    yield from Parallel(n_jobs=n_jobs, return_as="generator")(delayed(function)(p) for p in pieces)


def _run(jobs: list[Job], batch: Any, args: tuple, n_jobs: Optional[int], batch_size: int,
         progress: bool, what: str) -> Iterator[_Part]:
    """Like :func:`_run_batches`, one part at a time."""
    for parts in _run_batches(jobs, batch, args, n_jobs, batch_size, progress, what):
        yield from parts


# --------------------------------------------------------------------------- results


def _frame(rows: list, columns: Sequence[str]) -> "pd.DataFrame":
    """Rows as a DataFrame whose dtypes do not depend on the rows (so parts concatenate).

    Text columns get pandas' default string dtype (object before pandas 3, str after).
    Each column is made once with its dtype (``pd.array``), rather than a frame of objects
    converted afterwards: a third of the time on a batch of reports.
    """
    import pandas as pd

    text = pd.Series(["a"]).dtype
    values = zip(*rows) if rows else [()] * len(columns)
    return pd.DataFrame({c: pd.array(list(v), dtype=_DTYPES.get(c, text)) for c, v in zip(columns, values)})


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


def _prepare(source: CorpusSource, model: Any, threshold: Optional[float], text_column: str,
             id_column: Optional[str], batch_size: int) -> tuple[list[Job], Any, float]:
    jobs = _jobs(source, text_column, id_column, batch_size)
    ref = _model_ref(model)
    loaded = resolve_model(ref)  # loads (and checks) the model once in this process, before any work
    if threshold is None:
        threshold = default_threshold(loaded)
    return jobs, ref, float(threshold)


def iter_classify(source: CorpusSource, *, model: Any = None, threshold: Optional[float] = None,
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


class _Text(NamedTuple):
    """What :func:`~fazhi_nlp.dedup.find_duplicate_reports` compares: reports of different
    years or agencies are never reposts of each other."""

    text: str
    year: Optional[int]
    agency: Optional[str]


def _flag(parts: list[_Part], threshold: Optional[float]) -> None:
    """Fill duplicate_group / duplicate_of in the report and unit rows, in place (reposts stay
    in the rows, flagged)."""
    from .dedup import find_duplicate_reports

    if threshold is None:
        return
    texts = [(p.report.doc_id, _Text(p.text, p.report.year, p.report.agency))
             for p in parts if p.report and p.report.n_units]
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


def classify_corpus(source: CorpusSource, *, model: Any = None, threshold: Optional[float] = None,
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


def flag_reposts(source: CorpusSource, *, threshold: float = 0.8, n_jobs: Optional[int] = None,
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


def units_frame(units: Any) -> "pd.DataFrame":
    """The units table of a CorpusResult, or the DataFrame given."""
    frame = units.units if isinstance(units, CorpusResult) else units
    if not (hasattr(frame, "columns") and hasattr(frame, "index")):
        raise InputError(f"expected a DataFrame of units (e.g. classify_corpus(...).units), "
                         f"got {type(units).__name__}")
    missing = [c for c in ("doc_id", "label") if c not in frame.columns]
    if missing:
        raise InputError(f"the units table has no {' or '.join(map(repr, missing))} column "
                         f"(columns: {[str(c) for c in frame.columns]})")
    return frame
