"""Tests for fazhi_nlp.labels: the label list, label files, shipped labels and merging."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from fazhi_nlp.errors import InputError, LabelError
from fazhi_nlp.labels import (COLUMNS, LABEL_NAMES, LABELS, REPORT_COLUMNS, Label, LabelSet, load_labels,
                              merge_labels, shipped_labels)

FIXTURES = Path(__file__).parent / "fixtures" / "labels"
CODEBOOK = Path(__file__).resolve().parents[1] / "fazhi_nlp" / "data" / "codebook.md"


def load_error(name: str, **kwargs) -> str:
    with pytest.raises(LabelError) as info:
        load_labels(FIXTURES / name, **kwargs)
    return str(info.value)


# --- the label list ------------------------------------------------------------------

def test_labels_follow_the_codebook_table_in_order():
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", CODEBOOK.read_text(encoding="utf-8"),
                      flags=re.MULTILINE)
    assert len(rows) == 13
    assert LABEL_NAMES == tuple(name for name, _ in rows)
    assert [label.zh for label in LABELS] == [zh for _, zh in rows]


def test_every_label_has_a_one_line_english_description():
    for label in LABELS:
        assert isinstance(label, Label)
        assert label.description and "\n" not in label.description
        assert label.description.isascii()


def test_importing_labels_does_not_import_pandas():
    code = "import sys, fazhi_nlp.labels; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[1], check=True)
    assert result.stdout.strip() == "False"


# --- good files ----------------------------------------------------------------------

def test_csv_loads_with_defaults_and_stripped_values():
    labels = load_labels(FIXTURES / "good.csv")
    assert isinstance(labels, LabelSet)
    assert list(labels.frame.columns) == list(COLUMNS + REPORT_COLUMNS)
    assert len(labels) == 3
    assert labels.texts[0] == "严格落实行政执法三项制度，全面推行执法公示。"
    assert labels.labels == ["enforcement", "publicity", "general"]
    row = labels.frame.iloc[1]
    # unit_id defaults to the line the row is on (header = line 1); doc_id to the file stem
    assert (row["doc_id"], row["unit_id"], row["source"], row["heading"]) == ("good", 3, "user", "")
    assert labels.frame.iloc[0]["doc_id"] == "r1"
    assert labels.path == str(FIXTURES / "good.csv")
    assert labels.skipped == () and labels.conflicts == ()
    assert "3 rows" in repr(labels) and "good.csv" in repr(labels)


def test_counts_lists_every_label_in_codebook_order():
    counts = load_labels(FIXTURES / "good.csv").counts()
    assert tuple(counts) == LABEL_NAMES
    assert counts["enforcement"] == 1 and counts["digital"] == 0
    assert sum(counts.values()) == 3


def test_jsonl_keeps_given_fields_and_skips_blank_lines():
    labels = load_labels(FIXTURES / "good.jsonl")
    first, second, third = labels.frame.to_dict("records")
    assert first == {"text": "局党组专题研究法治政府建设工作4次。", "label": "leadership",
                     "doc_id": "r2", "unit_id": 7, "kind": "sentence",
                     "section": "achievements", "heading": "一、加强党的领导", "source": "user",
                     **{column: "" for column in REPORT_COLUMNS}}  # no report facts in this file
    assert (second["doc_id"], second["unit_id"]) == ("good", 3)  # line 2 is blank
    assert third["source"] == "seed"


@pytest.mark.parametrize("name, text, label", [
    ("bom.csv", "全面推行权责清单制度。", "functions_services"),
    ("gbk.csv", "组织全体执法人员参加行政执法培训。", "study_training"),
    ("excel_unicode.txt", "建立突发事件应急预案体系。", "emergency"),
])
def test_excel_encodings_are_detected(name, text, label):
    labels = load_labels(FIXTURES / name)
    assert (labels.texts[0], labels.labels[0]) == (text, label)


def test_gbk_fixture_is_real_gbk():
    data = (FIXTURES / "gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert load_labels(FIXTURES / "gbk.csv").frame.iloc[1]["heading"] == "三、强化普法"


def test_dataframe_loads_with_defaults():
    df = pd.DataFrame({"text": ["开展宪法宣传周活动。 ", "特此报告。"],
                       "label": ["publicity", " general"], "unit_id": [5, None]})
    labels = load_labels(df)
    assert labels.texts == ["开展宪法宣传周活动。", "特此报告。"]
    assert labels.labels == ["publicity", "general"]
    assert list(labels.frame["doc_id"]) == ["dataframe", "dataframe"]
    assert list(labels.frame["unit_id"]) == [5, 2]
    assert labels.path is None


def test_path_may_be_a_str():
    assert len(load_labels(str(FIXTURES / "good.jsonl"))) == 3


# --- duplicates and conflicts --------------------------------------------------------

def test_exact_duplicates_are_kept_once_and_counted():
    labels = load_labels(FIXTURES / "duplicates.csv")
    assert labels.texts == ["特此报告。", "开展宪法宣传周活动。"]
    assert [(row.line, row.reason) for row in labels.skipped] == [
        (4, "duplicate of line 2 (same text and label)"),
        (5, "duplicate of line 2 (same text and label)")]


def test_blank_rows_are_recorded_not_silently_dropped():
    labels = load_labels(FIXTURES / "blank_rows.csv")
    assert labels.texts == ["特此报告。"]
    assert [(row.line, row.reason) for row in labels.skipped] == [(3, "blank row"),
                                                                  (4, "blank row")]


def test_conflict_raises_by_default_naming_lines_and_labels():
    message = load_error("conflict.jsonl")
    assert "conflict.jsonl, line 1 'enforcement', line 3 'study_training'" in message
    assert "组织执法人员参加行政执法培训。" in message
    assert "on_conflict='last'" in message


def test_conflict_last_keeps_the_last_line():
    labels = load_labels(FIXTURES / "conflict.jsonl", on_conflict="last")
    assert dict(zip(labels.texts, labels.labels)) == {"特此报告。": "general",
                                                      "组织执法人员参加行政执法培训。": "study_training"}
    (conflict,) = labels.conflicts
    assert (conflict.lines, conflict.labels, conflict.kept) == (
        (1, 3), ("enforcement", "study_training"), "study_training")
    assert [row.line for row in labels.skipped] == [1, 4]
    assert "line 3" in labels.skipped[0].reason


def test_conflict_drop_leaves_the_text_out():
    labels = load_labels(FIXTURES / "conflict.jsonl", on_conflict="drop")
    assert labels.texts == ["特此报告。"]
    assert [row.line for row in labels.skipped] == [1, 3, 4]
    assert labels.conflicts[0].kept is None


@pytest.mark.parametrize("on_conflict", ["last", "drop"])
def test_every_row_read_is_kept_or_skipped(on_conflict):
    labels = load_labels(FIXTURES / "conflict.jsonl", on_conflict=on_conflict)
    assert len(labels) + len(labels.skipped) == 4


def test_invalid_on_conflict_lists_the_valid_values():
    with pytest.raises(LabelError, match="'error', 'last', 'drop'"):
        load_labels(FIXTURES / "good.csv", on_conflict="first")


# --- malformed files -----------------------------------------------------------------

def test_missing_label_column_lists_columns_found():
    message = load_error("missing_label_column.csv")
    assert "missing_label_column.csv, line 1" in message
    assert "no 'label' column" in message
    assert "'text', '类别'" in message
    assert "rename '类别' to 'label'" in message


def test_missing_text_field_in_jsonl_names_the_line():
    message = load_error("missing_text_field.jsonl")
    assert "missing_text_field.jsonl, line 2: no 'text' field" in message
    assert "'sentence', 'label'" in message


def test_missing_column_in_dataframe_lists_columns():
    expected = r"DataFrame: no 'text' column \(columns found: 'sentence', 'label'\)"
    with pytest.raises(LabelError, match=expected):
        load_labels(pd.DataFrame({"sentence": ["x"], "label": ["general"]}))


def test_unknown_labels_are_all_reported_with_suggestions():
    message = load_error("unknown_label.csv")
    assert "4 rows cannot be used" in message
    assert ("unknown_label.csv, line 3: unknown label 'enforcment'; "
            "did you mean 'enforcement' (行政执法与监管)?") in message
    assert "line 4: unknown label 'Rulemaking'; did you mean 'rulemaking'" in message
    assert "line 5: unknown label '行政执法与监管'; did you mean 'enforcement'" in message
    assert "line 6: unknown label 'xyz'." in message
    assert "line 2" not in message
    assert "Valid labels: " + ", ".join(LABEL_NAMES) in message


def test_empty_text_names_line_and_label():
    message = load_error("empty_text.csv")
    assert message.startswith(f"{FIXTURES / 'empty_text.csv'}, line 3: empty text")
    assert "'enforcement'" in message


def test_empty_text_in_dataframe_names_the_row():
    df = pd.DataFrame({"text": ["特此报告。", None], "label": ["general", "general"]})
    with pytest.raises(LabelError, match=r"DataFrame, row 2: empty text"):
        load_labels(df)


def test_malformed_json_lines_are_reported_by_line():
    message = load_error("bad_json.jsonl")
    assert "bad_json.jsonl, line 2: malformed JSON" in message
    assert "bad_json.jsonl, line 3: expected a JSON object" in message
    assert "line 1" not in message


def test_json_array_is_explained():
    assert "one object per line" in load_error("json_array.json")


def test_unquoted_comma_is_explained():
    message = load_error("extra_cells.csv")
    assert "extra_cells.csv, line 3: 3 cells but the header has 2" in message
    assert "double quotes" in message


def test_file_not_found(tmp_path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(LabelError, match="nope.csv: no such file"):
        load_labels(missing)


@pytest.mark.parametrize("name, expected", [
    ("workbook.xlsx", "workbook.xlsx: is an Excel workbook"),
    ("empty.csv", "empty.csv: is empty"),
    ("header_only.csv", "header_only.csv: has no rows"),
])
def test_unreadable_files(name, expected):
    assert expected in load_error(name)


@pytest.mark.parametrize("name", ["undecodable.csv", "damaged_utf8.csv"])
def test_undecodable_files_name_the_file_and_how_to_save_it(name):
    message = load_error(name)
    assert message.startswith(f"{FIXTURES / name}: ") and "UTF-8" in message
    assert "save it from Excel as 'CSV UTF-8" in message


@pytest.mark.parametrize("data, expected", [
    ("text,label\n特此报告。,general\n".encode("utf-8-sig")[:-12] + b"\xff,general\n",
     "starts with a UTF-8 byte-order mark but has an invalid byte"),
    (b"text,label\n" + bytes(range(1, 9)) * 20 + b",general\n", "looks like a binary file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "is an old Excel workbook (.xls)"),
])
def test_label_files_are_decoded_as_reports_are(tmp_path, data, expected):
    path = tmp_path / "labels.csv"
    path.write_bytes(data)
    with pytest.raises(LabelError) as info:
        load_labels(path)
    assert str(info.value).startswith(f"{path}: ") and expected in str(info.value)


def test_label_error_is_an_input_error_and_a_value_error():
    with pytest.raises(InputError):
        load_labels(FIXTURES / "unknown_label.csv")
    with pytest.raises(ValueError):
        load_labels(FIXTURES / "unknown_label.csv")


def test_other_sources_are_refused():
    with pytest.raises(LabelError, match="got list"):
        load_labels([{"text": "特此报告。", "label": "general"}])


# --- shipped labels and merging ------------------------------------------------------

def test_shipped_labels_are_valid_and_cover_every_label():
    labels = shipped_labels()
    assert len(labels) > 100
    assert set(labels.labels) == set(LABEL_NAMES)
    assert labels.conflicts == ()
    sources = list(labels.frame["source"])
    assert set(sources) == {"seed", "real", "authored"}
    order = ["seed", "real", "authored"]
    assert sources == sorted(sources, key=order.index)  # seed rows first, authored last
    real = labels.frame[labels.frame["source"] == "real"]
    # every real unit says where it comes from
    assert (real[["doc_id", "url", "agency", "agency_kind", "kind_group", "year"]] != "").all().all()
    assert real["url"].str.match(r"https?://").all()
    assert all(labels.frame["text"].str.len() > 0)


def test_merge_overrides_same_text_and_appends_new_rows():
    base = load_labels(FIXTURES / "good.jsonl")
    fixes = load_labels(FIXTURES / "corrections.csv")
    merged = merge_labels(base, fixes)
    assert dict(zip(merged.texts, merged.labels)) == {
        "局党组专题研究法治政府建设工作4次。": "leadership",
        "开展宪法宣传周活动。": "publicity",
        "行政复议案件全部依法办结。": "oversight_openness",
        "建立重大行政决策目录管理制度。": "decision_making"}
    (override,) = merged.conflicts
    assert override.labels == ("disputes", "oversight_openness")
    assert override.kept == "oversight_openness"
    assert override.lines == (3, 2)
    assert [Path(f).name for f in override.files] == ["good.jsonl", "corrections.csv"]
    reasons = sorted(row.reason for row in merged.skipped)
    assert reasons[0].startswith("overridden by") and "corrections.csv line 2" in reasons[0]
    assert reasons[1].startswith("same text and label as") and "good.jsonl line 4" in reasons[1]
    assert len(merged) + len(merged.skipped) == len(base) + len(fixes)
    assert merged.frame.index.tolist() == list(range(len(merged)))


def test_user_corrections_override_shipped_labels(tmp_path):
    shipped = shipped_labels()
    text, label = shipped.texts[0], shipped.labels[0]
    other = next(name for name in LABEL_NAMES if name != label)
    corrections = tmp_path / "corrections.csv"
    pd.DataFrame({"text": [text], "label": [other]}).to_csv(corrections, index=False,
                                                            encoding="utf-8-sig")
    merged = merge_labels(shipped, load_labels(corrections))
    assert len(merged) == len(shipped)
    assert merged.labels[merged.texts.index(text)] == other
    assert merged.frame.iloc[-1]["source"] == "user"
    assert merged.conflicts[-1].labels == (label, other)


# --- cells and lines that are not what a label file holds ------------------------------

def test_bytes_cells_in_a_dataframe_name_the_row_and_column():
    df = pd.DataFrame({"text": ["开展普法宣传。", "组织学法。".encode("utf-8")],
                       "label": ["publicity", "study_training"], "doc_id": [b"a", "b"]})
    with pytest.raises(LabelError) as info:
        load_labels(df)
    message = str(info.value)
    assert "DataFrame, row 1: doc_id holds bytes (b'a'…), expected text (str)" in message
    assert "DataFrame, row 2: text holds bytes" in message


def test_lone_surrogates_name_the_file_line_and_column(tmp_path):
    path = tmp_path / "labels.jsonl"  # JSON may spell a lone surrogate as an escape
    path.write_text('{"text": "开展普法宣传。", "label": "publicity"}\n'
                    '{"text": "组织\\ud800学法。", "label": "study_training"}\n', encoding="utf-8")
    with pytest.raises(LabelError, match=re.escape(f"{path}, line 2: text, line 1, column 3: lone "
                                                   "surrogate U+D800")):
        load_labels(path)
    with pytest.raises(LabelError, match=r"DataFrame, row 1: label, line 1, column 10: lone surrogate"):
        load_labels(pd.DataFrame({"text": ["开展普法宣传。"], "label": ["publicity\udc80"]}))


def test_a_deeply_nested_json_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text('{"text": "开展普法宣传。", "label": "publicity"}\n'
                    + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(LabelError, match=re.escape(f"{path}, line 2: JSON nested too deeply")):
        load_labels(path)
