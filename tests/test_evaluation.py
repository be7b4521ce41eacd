"""Grouped evaluation: no report trains the model that scores it; thresholds."""

import dataclasses
import subprocess
import sys
import unicodedata

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score
from sklearn.pipeline import Pipeline

import fazhi_nlp
from fazhi_nlp.persist import save_model
from fazhi_nlp.classifier import DEFAULT_PARAMS, Classifier, top_two
from fazhi_nlp.evaluation import choose_threshold, evaluate
from fazhi_nlp.pipeline import Prediction, classify
from fazhi_nlp.training import train
from fazhi_nlp.errors import InputError, LabelError
from fazhi_nlp.labels import shipped_labels
from fazhi_nlp.types import Unit
from tests.conftest import seed_path


def test_leave_one_report_out_never_trains_on_the_scored_report(frame, monkeypatch):
    seed_docs = sorted(frame.loc[frame["source"] == "seed", "doc_id"].unique())[:3]
    user = pd.DataFrame({"text": ["我局全年开展送法进企业活动3场。", "我局办理行政复议案件2件。"],
                         "label": ["publicity", "disputes"], "doc_id": "my-report",
                         "source": "user"})
    data = pd.concat([frame[frame["doc_id"].isin(seed_docs) | (frame["source"] == "authored")],
                      user], ignore_index=True)
    authored_texts = set(data.loc[data["source"] == "authored", "text"])
    trained_on = []
    real_fit = Classifier.fit

    def spy(self, X, y):
        trained_on.append(X[["text", "doc_id", "source"]].copy())
        return real_fit(self, X, y)

    monkeypatch.setattr(Classifier, "fit", spy)
    result = evaluate(data, model="sgd")
    scored_docs = [*seed_docs, "my-report"]
    assert sorted(d for f in result.folds for d in f.held_out) == sorted(scored_docs)
    assert len(trained_on) == len(scored_docs)
    for fold, seen in zip(result.folds, trained_on):
        assert not set(fold.held_out) & set(seen["doc_id"])
        assert authored_texts <= set(seen["text"])  # authored examples: every fold
        scored = result.predictions[result.predictions["doc_id"].isin(fold.held_out)]
        assert not set(scored["text"]) & set(seen["text"])
        assert len(scored) == fold.n_scored == data["doc_id"].isin(fold.held_out).sum()
    assert not set(result.predictions["text"]) & authored_texts  # authored: never scored
    assert len(result.predictions) == (data["source"] != "authored").sum()


def test_eval_result_numbers_agree_with_its_predictions(frame):
    from sklearn.metrics import accuracy_score, f1_score

    result = evaluate(frame[frame["doc_id"].isin(
        sorted(frame["doc_id"].unique())[:2]) | (frame["source"] == "authored")], model="sgd")
    p = result.predictions
    assert result.accuracy == pytest.approx(accuracy_score(p["label"], p["predicted"]))
    assert result.macro_f1 == pytest.approx(f1_score(p["label"], p["predicted"], average="macro",
                                                     labels=sorted(set(p["label"]))))
    assert result.per_label["support"].sum() == len(p)
    assert result.confusion.to_numpy().sum() == len(p)
    assert (p["probability"] >= p["runner_up_probability"]).all()
    text = result.report()
    assert "macro-F1" in text and "leave-one-report-out over 2 reports" in text
    summary = result.summary()
    assert summary["n_scored"] == len(p) and 0 <= summary["threshold"] < 1


def test_evaluate_needs_two_reports(frame):
    one = frame[frame["doc_id"] == frame["doc_id"].iloc[0]]
    with pytest.raises(LabelError, match="needs scored units from >= 2 reports"):
        evaluate(one)


@pytest.mark.parametrize("probability, correct, expected", [
    ([0.9, 0.8, 0.7], [True, True, True], 0.0),             # none more often wrong than right
    ([0.2, 0.4, 0.6, 0.8], [False, True, False, True], 0.8),  # below 0.8: 1 of 3 right
    ([0.2, 0.3, 0.9, 0.95], [False, False, True, True], 0.95),  # below 0.96: 2 of 4 right
    ([0.3, 0.5], [False, False], 0.99),                     # all wrong: flag everything
])
def test_choose_threshold(probability, correct, expected):
    assert choose_threshold(probability, correct) == expected


# --- classify() -------------------------------------------------------------------------


def test_many_reports_are_split_into_grouped_folds_that_never_share_a_report(frame, monkeypatch):
    real = frame[frame["source"] == "real"]
    docs = sorted(real["doc_id"].unique())[:30]
    data = pd.concat([real[real["doc_id"].isin(docs)], frame[frame["source"] == "authored"]])
    trained_on = []
    real_fit = Classifier.fit

    def spy(self, X, y):
        trained_on.append(set(X["doc_id"]))
        return real_fit(self, X, y)

    monkeypatch.setattr(Classifier, "fit", spy)
    result = evaluate(data, n_folds=5, model="sgd")
    assert len(result.folds) == 5 and result.scheme.startswith("grouped 5-fold")
    held = [d for f in result.folds for d in f.held_out]
    assert sorted(held) == docs  # every report scored once
    for fold, seen in zip(result.folds, trained_on):
        assert not set(fold.held_out) & seen
    assert set(result.predictions["doc_id"]) == set(docs)
    assert result.per_kind["units"].sum() == len(result.predictions)
    assert set(result.per_kind.index) <= set(real["kind_group"])
    assert "per kind of agency" in result.report()
