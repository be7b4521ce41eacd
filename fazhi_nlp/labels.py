"""The 13 label categories, and the labelled-unit files a classifier is trained on.

A labelled file is a CSV or a JSON Lines file with at least the columns ``text`` and
``label`` (optional: ``doc_id``, ``unit_id``, ``kind``, ``section``, ``heading``,
``source``). CSV may be UTF-8, UTF-8 with a byte-order mark, GBK/GB18030 (Excel's
"CSV (逗号分隔)" on a Chinese system) or Excel's tab-separated "Unicode text" (UTF-16).

:func:`load_labels` reads one into a :class:`LabelSet` and records every row it did not
keep, and why; :func:`shipped_labels` loads the labels shipped with the package and
:func:`merge_labels` lets a user's corrections override them.

Line numbers are the ones a user sees: in a CSV the header is line 1 (the row number a
spreadsheet shows), in JSON Lines the first line is 1, in a DataFrame the first row is 1.

Examples
--------
>>> LABEL_NAMES[:3]
('leadership', 'study_training', 'functions_services')
>>> import pandas as pd
>>> labels = load_labels(pd.DataFrame({"text": [" 开展宪法宣传周活动。", "开展宪法宣传周活动。"],
...                                    "label": ["publicity", "publicity"]}))
>>> labels.texts, [row.reason for row in labels.skipped]
(['开展宪法宣传周活动。'], ['duplicate of row 1 (same text and label)'])
"""
from __future__ import annotations

import csv
import difflib
import io
import json
import numbers
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Optional, Union

from .errors import InputError, LabelError
from .files import check_encodable, read_bytes
from .read import decode

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Label:
    """One category of the codebook: its name (used in files), Chinese name and meaning."""

    name: str
    zh: str
    description: str


#: The 13 categories, in codebook order (rule 8: on a tie, the earlier label wins).
LABELS = (
    Label("leadership", "党的领导与推进机制",
          "Party leadership and the machinery driving rule-of-law work: responsibility, "
          "leading groups, plans, assessment."),
    Label("study_training", "学法用法与法治能力",
          "Officials and staff studying law and legal theory; law exams and training."),
    Label("functions_services", "职能转变、放管服与营商环境",
          "Government functions and power lists, streamlined approvals, government services, "
          "business environment."),
    Label("rulemaking", "立法与规范性文件",
          "Drafting, legality review, filing and clean-up of regulations and normative "
          "documents; fair-competition review."),
    Label("decision_making", "重大行政决策与法律顾问",
          "Major administrative decision procedure, legality review of decisions and "
          "contracts, legal advisers."),
    Label("enforcement", "行政执法与监管",
          "Administrative enforcement and regulation: the three enforcement systems, "
          "certificates, inspections, discretion."),
    Label("emergency", "突发事件应对",
          "Lawful handling of emergencies: contingency plans, epidemics, work safety, disasters."),
    Label("disputes", "矛盾纠纷化解",
          "Administrative reconsideration and litigation, petitions, mediation, arbitration."),
    Label("oversight_openness", "权力监督、政务公开与诚信",
          "Checks on power: information disclosure, NPC/CPPCC proposals, audit, supervision, "
          "integrity."),
    Label("digital", "数字法治政府",
          "Information platforms, data sharing and digital tools for rule-of-law government."),
    Label("publicity", "普法宣传与法治社会",
          "Spreading legal knowledge to the public and firms: law publicity campaigns and events."),
    Label("sector_work", "业务工作成效",
          "The agency's own line-of-business results that are not rule-of-law measures."),
    Label("general", "总述、过渡与其他",
          "Openings, summaries, transitions, pledges and closings with no specific measure."),
)
#: The label names, in codebook order.
LABEL_NAMES = tuple(label.name for label in LABELS)
#: The columns of :attr:`LabelSet.frame`.
COLUMNS = ("text", "label", "doc_id", "unit_id", "kind", "section", "heading", "source")
#: Facts about the report a unit comes from, kept when a labels file has them ('' otherwise):
#: the shipped real labels carry all of them; evaluation reports per ``kind_group``.
REPORT_COLUMNS = ("agency", "agency_kind", "kind_group", "year", "province", "url")
#: Accepted values of ``on_conflict``.
ON_CONFLICT = ("error", "last", "drop")

Source = Union[str, os.PathLike, "pd.DataFrame"]

_REQUIRED = ("text", "label")
_FRAME = "DataFrame"
_SHIPPED = (("seed_labels.jsonl", "seed"), ("real_labels.jsonl", "real"),
            ("authored_labels.jsonl", "authored"))
_MAX_LISTED = 20
_CHINESE_COLUMNS = {"文本": "text", "内容": "text", "句子": "text",
                    "标签": "label", "类别": "label", "分类": "label"}
_SAVE_AS = "save it from Excel as 'CSV UTF-8 (逗号分隔)' and load it again"
_OLE_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and .doc) files start with this


class SkippedRow(NamedTuple):
    """A row read but not kept: its line, why, its text and the file it came from."""

    line: int
    reason: str
    text: str
    file: str


class Conflict(NamedTuple):
    """One text labelled differently on several lines.

    ``lines``, ``labels`` and ``files`` run in parallel, one entry per occurrence;
    ``kept`` is the label kept, or None when the text was dropped.
    """

    text: str
    lines: tuple[int, ...]
    labels: tuple[str, ...]
    kept: Optional[str]
    files: tuple[str, ...]


class _Row(NamedTuple):
    file: str
    line: int
    values: dict


class _Problem(NamedTuple):
    file: str
    line: int
    message: str
    bad_label: bool = False


@dataclass(frozen=True, eq=False)
class LabelSet:
    """Labelled units ready for training, with a record of every row left out.

    ``frame`` has the columns :data:`COLUMNS`; ``skipped`` holds the rows read but not
    kept; ``conflicts`` the texts that had different labels; ``path`` the file read
    (None for a DataFrame or a combination); ``origins`` the (file, line) of each row of
    ``frame``.
    """

    frame: pd.DataFrame
    skipped: tuple[SkippedRow, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    path: Optional[str] = None
    origins: tuple[tuple[str, int], ...] = field(default=(), repr=False)

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        names = [file for file, _ in self.origins] + [row.file for row in self.skipped]
        files = ", ".join(dict.fromkeys(names)) or "nothing"
        return (f"LabelSet({len(self)} rows from {files}; {len(self.skipped)} skipped, "
                f"{len(self.conflicts)} conflicts)")

    @property
    def texts(self) -> list[str]:
        """The unit texts, in order."""
        return list(self.frame["text"])

    @property
    def labels(self) -> list[str]:
        """The labels, in the order of :attr:`texts`."""
        return list(self.frame["label"])

    def counts(self) -> dict[str, int]:
        """Number of rows per label, every label in codebook order (0 when absent)."""
        found = Counter(self.labels)
        return {name: found[name] for name in LABEL_NAMES}


def load_labels(source: Source, *, on_conflict: str = "error") -> LabelSet:
    """Read labelled units from a CSV or JSON Lines file, or from a pandas DataFrame.

    Text and labels are stripped of surrounding whitespace; labels must be one of
    :data:`LABEL_NAMES` exactly. A repeated text with the same label is kept once (the
    repeats go to ``skipped``). A repeated text with different labels is a conflict:
    ``on_conflict="error"`` raises, ``"last"`` keeps the last line's label (as when
    corrections are appended), ``"drop"`` leaves the text out; both record it in
    ``conflicts`` and the rows left out in ``skipped``. Every row read ends up in
    ``frame`` or in ``skipped``.

    Raises :class:`~fazhi_nlp.errors.LabelError` naming the file and line for a missing
    ``text``/``label`` column, an unknown label, an empty text, a malformed JSON line, a
    missing or undecodable file, or (by default) a conflict.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["严格执行行政执法三项制度。"], "label": ["enforcment"]})
    >>> load_labels(df)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    fazhi_nlp.errors.LabelError: DataFrame, row 1: unknown label 'enforcment'; did you mean 'enforcement' (行政执法与监管)? Valid labels: leadership, ...
    """
    _check_on_conflict(on_conflict)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = str(source)
        rows, skipped = _read_file(read_bytes(path, error=LabelError), name, suffix=path.suffix,
                                   stem=path.stem, source="user")
        return _label_set(rows, skipped, on_conflict, path=name)
    if _is_dataframe(source):
        rows, skipped = _collect(_frame_records(source), _FRAME, stem="dataframe", source="user")
        return _label_set(rows, skipped, on_conflict, path=None)
    raise LabelError("load_labels() takes a path to a .csv or .jsonl file or a pandas "
                     f"DataFrame; got {type(source).__name__}")


def shipped_labels() -> LabelSet:
    """The labelled units shipped with fazhi_nlp: seed labels, real labels, then authored ones.

    Rows without a ``source`` get ``"seed"``, ``"real"`` or ``"authored"`` after the file they
    come from. Seed and real rows are units of published reports (scored in evaluation);
    authored rows are written examples (used for training only).

    Examples
    --------
    >>> labels = shipped_labels()
    >>> sorted(set(labels.frame["source"]))
    ['authored', 'real', 'seed']
    """
    rows: list[_Row] = []
    skipped: list[SkippedRow] = []
    for filename, source in _SHIPPED:
        name = f"fazhi_nlp/data/{filename}"
        try:
            data = (resources.files(__package__) / "data" / filename).read_bytes()
        except FileNotFoundError:
            raise LabelError(f"{name} is missing from the installed package; "
                             "reinstall fazhi_nlp") from None
        file_rows, file_skipped = _read_file(data, name, suffix=".jsonl",
                                             stem=Path(filename).stem, source=source)
        rows += file_rows
        skipped += file_skipped
    return _label_set(rows, skipped, "error", path=None)


def as_label_set(labels: Any) -> LabelSet:
    """A LabelSet as given, or read from a labels file or DataFrame by :func:`load_labels`.

    >>> as_label_set(shipped_labels()) is not None
    True
    """
    return labels if isinstance(labels, LabelSet) else load_labels(labels)


def merge_labels(base: LabelSet, extra: LabelSet) -> LabelSet:
    """Combine two label sets; a row of ``extra`` overrides a ``base`` row with the same text.

    An override is recorded in ``conflicts`` (kept = the ``extra`` label) and the
    overridden row in ``skipped``; an ``extra`` row that repeats a ``base`` row's text and
    label is skipped; other ``extra`` rows are appended.

    Examples
    --------
    >>> import pandas as pd
    >>> base = load_labels(pd.DataFrame({"text": ["a", "b"], "label": ["general", "general"]}))
    >>> fix = load_labels(pd.DataFrame({"text": ["b", "c"], "label": ["digital", "digital"]}))
    >>> merged = merge_labels(base, fix)
    >>> merged.texts, merged.labels, merged.conflicts[0].labels
    (['a', 'b', 'c'], ['general', 'digital', 'digital'], ('general', 'digital'))
    """
    base_rows, extra_rows = _rows_of(base), _rows_of(extra)
    position = {row.values["text"]: i for i, row in enumerate(base_rows)}
    kept: list[Optional[_Row]] = list(base_rows)
    skipped = list(base.skipped) + list(extra.skipped)
    conflicts = list(base.conflicts) + list(extra.conflicts)
    for row in extra_rows:
        text, label = row.values["text"], row.values["label"]
        i = position.get(text)
        if i is None:
            kept.append(row)
            continue
        old = base_rows[i]
        if old.values["label"] == label:
            skipped.append(SkippedRow(row.line, "same text and label as "
                                      f"{_place(old.file, old.line, row.file)}", text, row.file))
            continue
        conflicts.append(Conflict(text, (old.line, row.line), (old.values["label"], label), label,
                                  (old.file, row.file)))
        reason = (f"overridden by {_place(row.file, row.line, old.file)}: label {label!r} "
                  f"replaces {old.values['label']!r}")
        skipped.append(SkippedRow(old.line, reason, text, old.file))
        kept[i] = None
        kept.append(row)
    return _build([row for row in kept if row is not None], skipped, conflicts, path=None)


# --- reading -------------------------------------------------------------------------

def _read_file(data: bytes, name: str, *, suffix: str, stem: str,
               source: str) -> tuple[list[_Row], list[SkippedRow]]:
    text = _decode(data, name)
    suffix = suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        as_json = True
    elif suffix in (".csv", ".tsv"):
        as_json = False
    else:
        as_json = text.lstrip().startswith(("{", "["))
    records = _jsonl_records(text, name) if as_json else _csv_records(text, name)
    return _collect(records, name, stem=stem, source=source)


def _decode(data: bytes, name: str) -> str:
    """Text of a label file, decoded as reports are (:func:`fazhi_nlp.read.decode`)."""
    if data.startswith(b"PK\x03\x04"):
        raise LabelError(f"{name}: is an Excel workbook (or another zip file), not CSV; "
                         f"{_SAVE_AS}, or pass pandas.read_excel(...) to load_labels")
    if data.startswith(_OLE_FILE):
        raise LabelError(f"{name}: is an old Excel workbook (.xls), not CSV; {_SAVE_AS}, or "
                         "pass pandas.read_excel(...) to load_labels")
    try:
        return decode(data, name=name)
    except InputError as exc:
        raise LabelError(f"{exc}. A labels file is CSV or JSON Lines text: {_SAVE_AS}") from None


def _csv_records(text: str, name: str) -> list[tuple[int, dict] | _Problem]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as exc:
        raise LabelError(f"{name}, line {reader.line_num}: cannot be read as CSV ({exc})") from None
    start = next((i for i, cells in enumerate(lines) if any(c.strip() for c in cells)), None)
    if start is None:
        raise LabelError(f"{name}: is empty; the first line must name the columns, "
                         "at least 'text' and 'label'")
    columns = [cell.strip().lstrip("\ufeff") for cell in lines[start]]
    missing = [column for column in _REQUIRED if column not in columns]
    if missing:
        raise LabelError(_missing_columns(name, start + 1, missing, columns))
    records: list[tuple[int, dict] | _Problem] = []
    for line, cells in enumerate(lines[start + 1:], start=start + 2):
        if not cells:
            continue
        if any(cell.strip() for cell in cells[len(columns):]):
            separators = "tabs" if delimiter == "\t" else "commas"
            records.append(_Problem(name, line, f"{len(cells)} cells but the header has "
                                                f"{len(columns)}; put texts that contain "
                                                f"{separators} in double quotes"))
            continue
        records.append((line, dict(zip(columns, cells))))
    return records


def _missing_columns(name: str, line: int, missing: list[str], columns: list[str]) -> str:
    found = ", ".join(repr(column) for column in columns) or "none"
    hints = []
    for wanted in missing:
        for column in columns:
            if (column.lower() == wanted or _CHINESE_COLUMNS.get(column) == wanted
                    or difflib.get_close_matches(column.lower(), [wanted], cutoff=0.75)):
                hints.append(f"rename {column!r} to {wanted!r}")
                break
    where = f"{name}, line {line}" if name != _FRAME else name
    return (f"{where}: no {' or '.join(repr(m) for m in missing)} column (columns found: "
            f"{found}); {'; '.join(hints) or 'the header must name at least text and label'}")


def _jsonl_records(text: str, name: str) -> list[tuple[int, dict] | _Problem]:
    if text.lstrip().startswith("["):
        raise LabelError(f"{name}: holds a JSON array; JSON Lines needs one object per line, "
                         "as written by DataFrame.to_json(path, orient='records', lines=True, "
                         "force_ascii=False)")
    records: list[tuple[int, dict] | _Problem] = []
    for line, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            records.append(_Problem(name, line, f"malformed JSON ({exc.msg}, column {exc.colno}); "
                                                "each line must be one object such as "
                                                '{"text": "…", "label": "publicity"}'))
            continue
        except RecursionError:
            records.append(_Problem(name, line, "JSON nested too deeply to read; each line must "
                                                'be one flat object such as {"text": "…", '
                                                '"label": "publicity"}'))
            continue
        if not isinstance(record, dict):
            records.append(_Problem(name, line, f"expected a JSON object {{...}}, got "
                                                f"{_excerpt(raw.strip())}"))
            continue
        missing = [key for key in _REQUIRED if key not in record]
        if missing:
            found = ", ".join(repr(key) for key in record) or "none"
            records.append(_Problem(name, line, f"no {' or '.join(repr(m) for m in missing)} "
                                                f"field (fields found: {found})"))
            continue
        records.append((line, record))
    return records


def _is_dataframe(source: Any) -> bool:
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(source, pandas.DataFrame)


def _frame_records(df: pd.DataFrame) -> list[tuple[int, dict]]:
    columns = [str(column).strip() for column in df.columns]
    missing = [column for column in _REQUIRED if column not in columns]
    if missing:
        raise LabelError(_missing_columns(_FRAME, 1, missing, columns))
    cells = df.astype(object).where(df.notna(), None)
    return [(line, dict(zip(columns, row)))
            for line, row in enumerate(cells.itertuples(index=False, name=None), start=1)]


# --- checking and resolving ----------------------------------------------------------

def _collect(records: list[tuple[int, dict] | _Problem], name: str, *, stem: str,
             source: str) -> tuple[list[_Row], list[SkippedRow]]:
    """Check and fill every record; raise one error listing all problems."""
    if not records:
        raise LabelError(f"{name}: has no rows; expected at least one text with its label")
    rows: list[_Row] = []
    skipped: list[SkippedRow] = []
    problems: list[_Problem] = []
    for record in records:
        if isinstance(record, _Problem):
            problems.append(record)
            continue
        line, raw = record
        result = _fill(name, line, raw, stem=stem, source=source)
        if isinstance(result, _Problem):
            problems.append(result)
        elif isinstance(result, SkippedRow):
            skipped.append(result)
        else:
            rows.append(result)
    if problems:
        raise LabelError(_problems_message(problems))
    return rows, skipped


def _fill(name: str, line: int, raw: dict, *, stem: str,
          source: str) -> Union[_Row, SkippedRow, _Problem]:
    if all(_blank(value) for value in raw.values()):
        return SkippedRow(line, "blank row", "", name)
    text, label = raw.get("text"), raw.get("label")
    for column, value in raw.items():
        problem = _cell_problem(column, value)
        if problem:
            return _Problem(name, line, problem)
    text = "" if _blank(text) else text.strip()
    label = "" if _blank(label) else label.strip()
    if not text:
        given = f" (label {label!r})" if label else ""
        return _Problem(name, line, f"empty text{given}; fill in the text or delete the row")
    if label not in LABEL_NAMES:
        return _Problem(name, line, _unknown_label(label), bad_label=True)
    values = {"text": text, "label": label,
              "doc_id": _cell(raw.get("doc_id"), stem),
              "unit_id": _unit_id(raw.get("unit_id"), line),
              "kind": _cell(raw.get("kind"), ""),
              "section": _cell(raw.get("section"), ""),
              "heading": _cell(raw.get("heading"), ""),
              "source": _cell(raw.get("source"), source)}
    values.update({column: _cell(raw.get(column), "") for column in REPORT_COLUMNS})
    return _Row(name, line, values)


def _cell_problem(column: Any, value: Any) -> Optional[str]:
    """What is wrong with one cell: bytes, a non-text text or label, a lone surrogate."""
    if _blank(value):
        return None
    if isinstance(value, (bytes, bytearray)):
        return (f"{column} holds bytes ({bytes(value[:12])!r}…), expected text (str); decode the "
                "column first, e.g. df[column].str.decode('utf-8')")
    if column in _REQUIRED and not isinstance(value, str):
        return f"{column} must be text, got {value!r:.60}"
    if isinstance(value, (dict, list)):
        return f"{column} must be text or a number, got a JSON {type(value).__name__}"
    if isinstance(value, str):
        try:
            check_encodable(value, str(column))
        except InputError as exc:
            return str(exc)
    return None


def _blank(value: Any) -> bool:
    return (value is None or (isinstance(value, str) and not value.strip())
            or (isinstance(value, float) and value != value))


def _cell(value: Any, default: str) -> str:
    return default if _blank(value) else str(value).strip()


def _unit_id(value: Any, line: int) -> Union[int, str]:
    if _blank(value):
        return line
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return int(value)
    value = str(value).strip()
    return int(value) if value.isascii() and value.isdigit() else value


def _unknown_label(label: str) -> str:
    if not label:
        return "no label."
    by_zh = {item.zh: item.name for item in LABELS}
    by_lower = {name.lower(): name for name in LABEL_NAMES}
    guess = by_lower.get(label.lower()) or by_zh.get(label)
    if guess is None:
        close = (difflib.get_close_matches(label.lower(), LABEL_NAMES, n=1)
                 or [by_zh[zh] for zh in difflib.get_close_matches(label, by_zh, n=1)])
        guess = close[0] if close else None
    if guess is None:
        return f"unknown label {label!r}."
    zh = LABELS[LABEL_NAMES.index(guess)].zh
    return f"unknown label {label!r}; did you mean {guess!r} ({zh})?"


def _resolve(rows: list[_Row], on_conflict: str) -> tuple[list[_Row], list[SkippedRow],
                                                          list[Conflict]]:
    """Keep one row per text: duplicates go to skipped, conflicts follow ``on_conflict``."""
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        groups.setdefault(row.values["text"], []).append(row)
    keep: set[int] = set()
    skipped: list[SkippedRow] = []
    conflicts: list[Conflict] = []
    for text, group in groups.items():
        labels = tuple(row.values["label"] for row in group)
        if len(set(labels)) == 1:
            first = group[0]
            keep.add(id(first))
            skipped += [SkippedRow(row.line, f"duplicate of {_place(first.file, first.line, row.file)} "
                                   "(same text and label)", text, row.file) for row in group[1:]]
            continue
        winner = group[-1] if on_conflict == "last" else None
        conflicts.append(Conflict(text, tuple(row.line for row in group), labels,
                                  winner.values["label"] if winner else None,
                                  tuple(row.file for row in group)))
        if winner is not None:
            keep.add(id(winner))
        skipped += [SkippedRow(row.line, _conflict_reason(row, winner), text, row.file)
                    for row in group if row is not winner]
    if on_conflict == "error" and conflicts:
        raise LabelError(_conflicts_message(conflicts))
    return [row for row in rows if id(row) in keep], skipped, conflicts


def _conflict_reason(row: _Row, winner: Optional[_Row]) -> str:
    if winner is None:
        return "same text with other labels on other lines; dropped (on_conflict='drop')"
    return (f"same text as {_place(winner.file, winner.line, row.file)}, whose label "
            f"{winner.values['label']!r} was kept (on_conflict='last')")


def _label_set(rows: list[_Row], skipped: list[SkippedRow], on_conflict: str, *,
               path: Optional[str]) -> LabelSet:
    kept, dropped, conflicts = _resolve(rows, on_conflict)
    order = {file: i for i, file in enumerate(dict.fromkeys(r.file for r in [*rows, *skipped]))}
    skipped = sorted([*skipped, *dropped], key=lambda s: (order[s.file], s.line))
    return _build(kept, skipped, conflicts, path=path)


def _build(rows: list[_Row], skipped: list[SkippedRow], conflicts: list[Conflict], *,
           path: Optional[str]) -> LabelSet:
    import pandas as pd

    frame = pd.DataFrame([row.values for row in rows], columns=list(COLUMNS + REPORT_COLUMNS))
    return LabelSet(frame=frame, skipped=tuple(skipped), conflicts=tuple(conflicts), path=path,
                    origins=tuple((row.file, row.line) for row in rows))


def _rows_of(labels: LabelSet) -> list[_Row]:
    origins = labels.origins
    if len(origins) != len(labels):
        origins = tuple((labels.path or _FRAME, i) for i in range(1, len(labels) + 1))
    columns = [c for c in COLUMNS + REPORT_COLUMNS if c in labels.frame.columns]
    records = labels.frame[columns].to_dict("records")
    return [_Row(file, line, values) for (file, line), values in zip(origins, records)]


# --- messages ------------------------------------------------------------------------

def _check_on_conflict(on_conflict: str) -> None:
    if on_conflict not in ON_CONFLICT:
        raise LabelError(f"Invalid on_conflict={on_conflict!r}; valid values are "
                         f"{', '.join(map(repr, ON_CONFLICT))}")


def _where(file: str, line: int) -> str:
    return f"{file}, {'row' if file == _FRAME else 'line'} {line}"


def _place(file: str, line: int, home: str) -> str:
    """Where a line is, seen from file ``home``: "line 4" there, "x.csv line 4" elsewhere."""
    unit = "row" if file == _FRAME else "line"
    return f"{unit} {line}" if file == home else f"{file} {unit} {line}"


def _excerpt(text: str, size: int = 40) -> str:
    return repr(text if len(text) <= size else text[:size] + "…")


def _problems_message(problems: list[_Problem]) -> str:
    listed = [f"{_where(p.file, p.line)}: {p.message}" for p in problems[:_MAX_LISTED]]
    if len(problems) > _MAX_LISTED:
        listed.append(f"… and {len(problems) - _MAX_LISTED} more")
    valid = ("Valid labels: " + ", ".join(LABEL_NAMES)
             if any(p.bad_label for p in problems) else "")
    if len(problems) == 1:
        return f"{listed[0]} {valid}".rstrip()
    files = ", ".join(dict.fromkeys(p.file for p in problems))
    head = f"{files}: {len(problems)} rows cannot be used; fix them and load the file again:"
    return "\n".join([head, *(f"  {item}" for item in listed), *([valid] if valid else [])])


def _conflicts_message(conflicts: list[Conflict]) -> str:
    listed = []
    for conflict in conflicts[:_MAX_LISTED]:
        home = conflict.files[0]
        places = [f"{_place(file, line, home)} {label!r}"
                  for file, line, label in zip(conflict.files, conflict.lines, conflict.labels)]
        listed.append(f"  {home}, {', '.join(places)}: {_excerpt(conflict.text)}")
    if len(conflicts) > _MAX_LISTED:
        listed.append(f"  … and {len(conflicts) - _MAX_LISTED} more")
    files = ", ".join(dict.fromkeys(file for c in conflicts for file in c.files))
    return "\n".join([f"{files}: {len(conflicts)} text(s) have different labels on different "
                      "lines:", *listed,
                      "Give each text one label, or load with on_conflict='last' (the last "
                      "line's label wins, e.g. for corrections added at the end) or "
                      "on_conflict='drop' (leave these texts out)."])
