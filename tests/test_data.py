"""The shipped labelled data agrees with the segmenter and covers every seed unit."""
from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import pytest

import fazhi_nlp


def rows(name):
    text = resources.files("fazhi_nlp").joinpath("data", name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seed_rows():
    return rows("seed_labels.jsonl")


def test_every_seed_unit_in_the_data_is_a_unit_of_its_report(seed_rows, seed_reports):
    by_doc = {report.doc_id: report for report in seed_reports.values()}
    for row in seed_rows:
        unit = by_doc[row["doc_id"]].units[row["unit_id"]]
        assert (unit.text, unit.kind, unit.section, unit.heading) == \
            (row["text"], row["kind"], row["section"], row["heading"])


def test_every_body_unit_of_every_seed_is_labelled_once(seed_rows, seed_reports):
    labelled = Counter((row["doc_id"], row["unit_id"]) for row in seed_rows)
    expected = {(r.doc_id, u.index) for r in seed_reports.values() for u in r.units}
    assert set(labelled) == expected
    assert max(labelled.values()) == 1


def test_all_labels_are_codebook_labels_and_sources_are_marked(seed_rows):
    authored = rows("authored_labels.jsonl")
    assert {r["label"] for r in seed_rows + authored} <= set(fazhi_nlp.LABEL_NAMES)
    assert {r["source"] for r in seed_rows} == {"seed"}
    assert {r["source"] for r in authored} == {"authored"}


def test_every_label_has_at_least_25_examples(seed_rows):
    counts = Counter(r["label"] for r in seed_rows + rows("authored_labels.jsonl"))
    assert {label: counts[label] for label in fazhi_nlp.LABEL_NAMES if counts[label] < 25} == {}


def test_second_labelling_pass_agrees_with_the_shipped_labels(seed_rows):
    from sklearn.metrics import cohen_kappa_score

    shipped = {(r["doc_id"], r["unit_id"]): r["label"] for r in seed_rows}
    second = rows("second_pass.jsonl")
    first = [shipped[(r["doc_id"], r["unit_id"])] for r in second]
    labels = [r["label"] for r in second]
    assert len(second) == 130
    assert sum(a == b for a, b in zip(first, labels)) == 127  # the figures the data README states
    assert round(cohen_kappa_score(first, labels), 3) == 0.974
