"""The classifier: scikit-learn conventions, inputs, explanations, evaluation and classify()."""
from __future__ import annotations

import subprocess
import sys
import unicodedata

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline

import fazhi_nlp
from fazhi_nlp.classifier import (DEFAULT_PARAMS, Classifier, Prediction, choose_threshold,
                                classify, evaluate, train)
from fazhi_nlp.errors import InputError, LabelError
from fazhi_nlp.labels import shipped_labels
from fazhi_nlp.types import Unit
from tests.conftest import seed_path


@pytest.fixture(scope="module")
def labels():
    return shipped_labels()


@pytest.fixture(scope="module")
def frame(labels):
    return labels.frame


@pytest.fixture(scope="module")
def model(labels):
    return train(labels)


def unit(text, heading=""):
    return Unit(text=text, kind="sentence", heading_path=(heading,) if heading else (),
                section="achievements", paragraph=0, start=0, end=len(text), index=0)


# --- scikit-learn conventions -----------------------------------------------------------

def test_init_stores_params_and_clone_keeps_them():
    clf = Classifier(features="char", model="sgd", C=3.0)
    assert clf.get_params() == {**DEFAULT_PARAMS, "features": "char", "model": "sgd", "C": 3.0}
    copy = clone(clf)
    assert copy is not clf and copy.get_params() == clf.get_params()
    assert not hasattr(copy, "pipeline_")


def test_works_in_pipeline_and_grid_search(frame):
    rows = frame[frame["source"] == "seed"]
    X = rows[["text", "heading"]].to_dict("records")
    y = rows["label"].tolist()
    pipe = Pipeline([("clf", Classifier(model="sgd"))]).fit(X, y)
    assert set(pipe.predict(X[:20])) <= set(y)
    search = GridSearchCV(Classifier(model="sgd"), {"C": [1.0, 10.0]},
                          cv=GroupKFold(n_splits=3), scoring="f1_macro")
    search.fit(X, y, groups=rows["doc_id"].tolist())
    assert search.best_params_["C"] in (1.0, 10.0)
    assert 0.5 < search.best_score_ <= 1.0
    assert isinstance(search.best_estimator_, Classifier)


def test_fit_returns_self_and_learns_every_shipped_label(model, frame):
    assert list(model.classes_) == sorted(fazhi_nlp.LABEL_NAMES)
    assert model.training_["n"] == len(frame)
    assert model.training_["per_source"] == frame["source"].value_counts().sort_index().to_dict()


@pytest.mark.parametrize("kind", ["logreg", "svm", "sgd"])
def test_predict_proba_rows_sum_to_one_for_every_model(model, frame, kind):
    clf = model if kind == "logreg" else Classifier(model=kind).fit(frame, frame["label"])
    proba = clf.predict_proba(frame.head(40))
    assert proba.shape == (40, 13)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (proba >= 0).all()
    assert list(clf.predict(frame.head(40))) == list(clf.classes_[proba.argmax(axis=1)])


def test_str_mapping_unit_and_dataframe_inputs_agree(model):
    text, heading = "组织开展国家宪法日宣传活动，发放宣传资料500余份。", "（六）深化法治宣传教育"
    with_heading = [{"text": text, "heading": heading}, unit(text, heading),
                    pd.DataFrame({"text": [text], "heading": [heading]})]
    probs = [model.predict_proba(x if isinstance(x, pd.DataFrame) else [x]) for x in with_heading]
    for p in probs[1:]:
        np.testing.assert_array_equal(p, probs[0])
    np.testing.assert_array_equal(model.predict_proba([text]),
                                  model.predict_proba([{"text": text, "heading": ""}]))
    assert model.predict([unit(text, heading)])[0] == "publicity"


def test_heading_counts_only_when_use_heading(model, frame):
    text = "进一步完善相关制度。"
    items = [{"text": text, "heading": h} for h in ("（二）推进行政复议和行政应诉工作",
                                                    "（三）深化普法宣传教育")]
    proba = model.predict_proba(items)  # the default model ignores headings
    np.testing.assert_array_equal(proba[0], proba[1])
    with_heading = Classifier(use_heading=True, model="sgd").fit(frame, frame["label"])
    publicity = with_heading.predict_proba(items)[:, list(with_heading.classes_).index("publicity")]
    assert publicity[1] > 2 * publicity[0]  # under a law-publicity heading


def test_errors_say_what_was_wrong(model):
    with pytest.raises(NotFittedError):
        Classifier().predict(["开展普法宣传"])
    with pytest.raises(InputError, match=r"parameter 'features'.*\['word', 'char', 'word\+char'\]"):
        Classifier(features="words").fit(["a", "b"], ["general", "publicity"])
    with pytest.raises(InputError, match="parameter 'model'"):
        Classifier(model="bert").fit(["a", "b"], ["general", "publicity"])
    with pytest.raises(InputError, match="item 1 is a int"):
        model.predict(["开展普法宣传", 3])
    with pytest.raises(InputError, match="wrap it in a list"):
        model.predict("开展普法宣传")
    with pytest.raises(InputError, match="item 0 has no 'text' key"):
        model.predict([{"heading": "一、"}])
    with pytest.raises(InputError, match="X has 2 items but y has 1"):
        Classifier().fit(["a", "b"], ["general"])
    with pytest.raises(LabelError, match="at least 2 different labels"):
        Classifier().fit(["a", "b"], ["general", "general"])


def test_plain_strings_without_headings_train(frame):
    clf = Classifier(model="sgd").fit(frame["text"].tolist(), frame["label"])
    assert clf.predict(["全面落实行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。"])[0] \
        == "enforcement"


# --- explanations -----------------------------------------------------------------------

def test_explain_gives_terms_found_in_the_text_or_heading(model):
    text = "全面落实行政执法“三项制度”，严格执行行政处罚裁量基准。"
    heading = "（四）严格规范公正文明执法"
    explanations = model.explain({"text": text, "heading": heading}, top_labels=2, n_terms=8)
    assert [e.label for e in explanations][0] == "enforcement"
    assert len(explanations) == 2 and explanations[0].probability >= explanations[1].probability
    seen = {"text": unicodedata.normalize("NFKC", text),
            "heading": unicodedata.normalize("NFKC", heading)}
    for explanation in explanations:
        assert 0 < len(explanation.evidence) <= 8
        weights = [e.weight for e in explanation.evidence]
        assert weights == sorted(weights, reverse=True) and min(weights) > 0
        for evidence in explanation.evidence:
            assert all(part in seen[evidence.source] for part in evidence.term.split(" "))
            assert "__" not in evidence.term
    top_terms = [e.term for e in explanations[0].evidence]
    assert any("执法" in term or "裁量" in term for term in top_terms)
    assert str(explanations[0]).startswith("enforcement 0.")


# --- evaluation -------------------------------------------------------------------------

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
    assert sorted(f.held_out for f in result.folds) == sorted(scored_docs)
    assert len(trained_on) == len(scored_docs)
    for fold, seen in zip(result.folds, trained_on):
        assert fold.held_out not in set(seen["doc_id"])
        assert authored_texts <= set(seen["text"])  # authored examples: every fold
        scored = result.predictions[result.predictions["doc_id"] == fold.held_out]
        assert not set(scored["text"]) & set(seen["text"])
        assert len(scored) == fold.n_scored == (data["doc_id"] == fold.held_out).sum()
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

def test_classify_labels_every_unit_of_a_seed_report(seed_reports):
    report = seed_reports["002"]
    predictions = classify(report)
    assert [p.unit for p in predictions] == list(report.units)
    assert all(isinstance(p, Prediction) and p.label in fazhi_nlp.LABEL_NAMES for p in predictions)
    assert all(p.probability >= p.runner_up_probability and p.label != p.runner_up
               for p in predictions)
    by_text = {p.unit.text: p.label for p in predictions}
    assert by_text["全面推行执法全过程记录制度，明确了执法人员通过文字、音像记录等方式对执法等进行全程记录，"
                   "建立健全全过程记录信息调阅制度。"] == "enforcement"
    threshold = fazhi_nlp.load_model().threshold_
    assert 0 < threshold < 1
    assert [p.uncertain for p in predictions] == [p.probability < threshold for p in predictions]


def test_classify_takes_a_path_and_a_threshold():
    path = seed_path("000")
    everything = classify(path, threshold=1.01)
    assert everything and all(p.uncertain for p in everything)
    assert not any(p.uncertain for p in classify(str(path), threshold=0.0))
    assert classify(path) == classify(fazhi_nlp.process(path))


def test_classify_with_a_trained_model(model):
    predictions = classify("一、健全依法决策机制\n严格落实重大行政决策程序，聘请法律顾问参与合法性审查。",
                           model=model)
    assert [p.label for p in predictions] == ["decision_making", "decision_making"]
    assert not any(p.uncertain for p in predictions)  # a model without a card flags nothing


# --- the package stays light --------------------------------------------------------------

def test_import_does_not_load_heavy_libraries():
    code = ("import sys, fazhi_nlp, fazhi_nlp.tokenize; "
            "print(sorted(m for m in ('jieba', 'sklearn', 'scipy', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
