"""Neighbour context: a unit leans on the units around it in its own report, never another's."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import fazhi_nlp
from fazhi_nlp.classifier import Classifier
from fazhi_nlp.context import mix_neighbours, report_groups
from fazhi_nlp.corpus import classify_corpus
from fazhi_nlp.errors import InputError
from fazhi_nlp.evaluation import report_folds
from fazhi_nlp.examples import example_reports
from fazhi_nlp.labels import as_label_set, shipped_labels
from fazhi_nlp.persist import CARD_FILE, default_model_dir, load_model
from tests.conftest import DATA_DIR

PAGE = DATA_DIR / "dev" / "reports" / "01_chongqingdashujuju_2025.txt"
CLAUSE = "一是完善决策制度体系。"  # under （二）深入推进科学民主依法决策, before 落实局重大行政决策程序规定


def probabilities(n_rows, n_labels=4):
    return arrays(np.float64, (n_rows, n_labels),
                  elements=st.floats(1e-6, 1.0)).map(lambda a: a / a.sum(axis=1, keepdims=True))


@st.composite
def rows_and_reports(draw):
    n = draw(st.integers(1, 12))
    return draw(probabilities(n)), sorted(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))


@settings(max_examples=200, deadline=None)
@given(rows_and_reports(), st.floats(0, 1))
def test_mixed_rows_are_probabilities_and_reports_never_touch(case, weight):
    proba, groups = case
    mixed = mix_neighbours(proba, groups, weight)
    np.testing.assert_allclose(mixed.sum(axis=1), 1.0)
    assert (mixed >= 0).all()
    # each report mixed alone gives the same rows: neighbours never cross a report boundary
    for g in set(groups):
        rows = [i for i, x in enumerate(groups) if x == g]
        np.testing.assert_allclose(mix_neighbours(proba[rows], [g] * len(rows), weight), mixed[rows])


@given(probabilities(5))
def test_no_weight_or_no_neighbours_leave_the_rows_as_they_are(proba):
    assert mix_neighbours(proba, list("abcab"), 0.3) is proba  # no two neighbours share a report
    assert mix_neighbours(proba, list("aaaaa"), 0.0) is proba
    assert mix_neighbours(proba, None, 0.3) is proba


def test_reports_come_from_groups_doc_id_columns_or_mappings():
    assert report_groups(pd.DataFrame({"text": ["a", "b"], "doc_id": ["r1", "r2"]})) == ["r1", "r2"]
    assert report_groups(pd.DataFrame({"text": ["a", "b"]})) is None
    assert report_groups(["a", "b"], groups=[7, 7]) == [7, 7]
    assert report_groups([{"text": "a", "doc_id": "r"}, {"text": "b"}]) is None  # one without
    with pytest.raises(InputError, match="groups has 1 values for 2 items"):
        report_groups(["a", "b"], groups=[1])


@pytest.fixture(scope="module")
def dev_pages_and_a_model_that_never_saw_them():
    """The labelled units of the 50 dev pages (real reports of 50 agencies) and the shipped
    configuration trained on every other shipped label."""
    frame = as_label_set(shipped_labels()).frame
    dev = frame[frame["doc_id"].str.match(r"^\d\d_")]
    assert dev["doc_id"].nunique() == 50
    rest = frame[~frame["doc_id"].isin(set(dev["doc_id"]))]
    return dev, Classifier().fit(rest, rest["label"])


def test_neighbours_make_labels_of_unseen_reports_more_accurate():
    """Two folds of whole reports (about 2,900 real units each): each fold is labelled by the
    shipped configuration trained on the other, once in reports and once unit by unit."""
    frame = as_label_set(shipped_labels()).frame
    scored = frame[frame["source"] != "authored"]
    right_in_reports = right_alone = 0
    for held_out in report_folds(sorted(set(scored["doc_id"])), n_folds=2):
        test = scored[scored["doc_id"].isin(held_out)]
        train = frame[~frame["doc_id"].isin(held_out)]
        model = Classifier().fit(train, train["label"])
        truth = test["label"].to_numpy()
        right_in_reports += int((model.predict(test) == truth).sum())  # rows carry doc_id
        right_alone += int((model.predict(test.drop(columns="doc_id")) == truth).sum())
    # measured: 5,102 against 4,997 of 5,821 (0.876 against 0.858)
    assert right_in_reports - right_alone >= 0.01 * len(scored)


def test_a_bare_clause_leans_towards_the_section_it_sits_in(dev_pages_and_a_model_that_never_saw_them):
    _, model = dev_pages_and_a_model_that_never_saw_them
    report = fazhi_nlp.process(PAGE)
    at = [u.text for u in report.units].index(CLAUSE)
    decision = list(model.classes_).index("decision_making")
    in_report = model.predict_proba(report.units, groups=[0] * len(report.units))[at, decision]
    alone = model.predict_proba([CLAUSE])[0, decision]
    assert in_report > alone + 0.1
    # a plain list of sentences is unrelated sentences: each scored alone, as before
    assert model.predict([CLAUSE]).tolist() == [model.classes_[model.predict_proba([CLAUSE])[0].argmax()]]


def test_a_batch_of_reports_labels_each_as_if_it_came_alone():
    paths = example_reports()
    units = classify_corpus(paths, progress=False).units  # one batch: all units in one call
    for path in paths:
        alone = fazhi_nlp.classify(path)
        rows = units[units["doc_id"] == fazhi_nlp.process(path).doc_id]
        assert rows["text"].tolist() == [p.unit.text for p in alone]
        assert rows["label"].tolist() == [p.label for p in alone]
        assert rows["probability"].tolist() == [p.probability for p in alone]


def test_a_model_saved_before_context_existed_scores_units_alone(tmp_path):
    old = tmp_path / "old"
    shutil.copytree(default_model_dir(), old)
    card = json.loads((old / CARD_FILE).read_text("utf-8"))
    del card["params"]["context_weight"]
    (old / CARD_FILE).write_text(json.dumps(card), "utf-8")
    model = load_model(old)
    assert model.context_weight == 0.0
    report = fazhi_nlp.process(PAGE)
    scored_alone = model.predict_proba([u.text for u in report.units])
    np.testing.assert_array_equal(model.predict_proba(report.units, groups=[0] * len(report.units)),
                                  scored_alone)
