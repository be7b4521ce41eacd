"""The estimator: scikit-learn conventions, inputs, errors and explanations."""

import dataclasses
import re
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
    # C=1e-4 regularises the model into near-constant predictions; it comes first, so a
    # search that ignored C (every candidate equal) would pick it on the tie
    search = GridSearchCV(Classifier(model="sgd"), {"C": [1e-4, 10.0]},
                          cv=GroupKFold(n_splits=3), scoring="f1_macro")
    search.fit(X, y, groups=rows["doc_id"].tolist())
    scores = search.cv_results_["mean_test_score"]
    assert [p["C"] for p in search.cv_results_["params"]] == [1e-4, 10.0]
    assert scores[1] > scores[0] + 0.2
    assert search.best_params_ == {"C": 10.0} and search.best_score_ == scores.max() > 0.5
    assert isinstance(search.best_estimator_, Classifier) and search.best_estimator_.C == 10.0
    assert (search.best_estimator_.predict(X) == np.asarray(y)).mean() > 0.9


def test_integer_labels_keep_their_type_in_scores_and_searches(frame):
    X = frame["text"].tolist()
    y = [fazhi_nlp.LABEL_NAMES.index(label) for label in frame["label"]]
    clf = Classifier(model="sgd").fit(X, y)
    assert clf.classes_.tolist() == list(range(13)) and clf.classes_.dtype.kind == "i"
    assert clf.predict(X[:5]).tolist() == y[:5]
    assert clf.score(X, y) > 0.9
    scores = cross_val_score(Classifier(model="sgd"), X, y, cv=3)  # default scoring: accuracy
    assert scores.shape == (3,) and scores.min() > 0.5
    search = GridSearchCV(Classifier(model="sgd"), {"C": [1.0, 10.0]}, cv=3).fit(X, y)
    assert search.best_score_ == search.cv_results_["mean_test_score"].max() > 0.5


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, "", "  ", pd.NA])
def test_a_missing_label_is_refused_naming_its_position(missing):
    with pytest.raises(LabelError, match=r"y\[1\] is missing"):
        Classifier().fit(["组织集体学法", "开展普法宣传", "办理行政复议案件"],
                         ["study_training", missing, "disputes"])
    with pytest.raises(LabelError, match=r"y\[1\] is missing"):
        Classifier().fit(["组织集体学法", "开展普法宣传"],
                         pd.Series(["study_training", missing], dtype=object))


@pytest.mark.parametrize("y, message", [
    (["general", 1, "publicity"], r"mix strings and numbers \(y\[0\] is 'general', y\[1\] is 1\)"),
    (["general", ("publicity",), "disputes"], r"y\[1\] is a tuple .*strings or numbers"),
    ("general", "wrap it in a list"),
])
def test_labels_of_the_wrong_kind_are_refused(y, message):
    with pytest.raises(LabelError, match=message):
        Classifier().fit(["组织集体学法", "开展普法宣传", "办理行政复议案件"], y)


def test_no_items_give_empty_predictions(model):
    empty_frame = pd.DataFrame({"text": [], "heading": []})
    for empty in ([], empty_frame):
        assert model.predict(empty).shape == (0,)
        assert model.predict_proba(empty).shape == (0, 13)
    report = fazhi_nlp.process("特此报告。")
    assert classify(dataclasses.replace(report, units=()), model=model) == []


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
    with pytest.raises(InputError, match="parameter 'use_heading'"):
        Classifier(use_heading="yes").fit(["a", "b"], ["general", "publicity"])
    with pytest.raises(InputError, match="parameter 'C'.*positive number"):
        Classifier(C=True).fit(["a", "b"], ["general", "publicity"])
    with pytest.raises(InputError, match="parameter 'class_weight'"):
        Classifier(class_weight="even").fit(["a", "b"], ["general", "publicity"])
    with pytest.raises(InputError, match="parameter 'random_state'"):
        Classifier(random_state="0").fit(["a", "b"], ["general", "publicity"])
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
    assert re.match(r"enforcement [01]\.\d\d: \S", str(explanations[0]))


# --- top_two ----------------------------------------------------------------------------

def test_top_two_agrees_with_sorting_each_row(model, frame):
    proba = model.predict_proba(frame.head(60))
    labels, p, runner_up, q = top_two(proba, model.classes_)
    for row, label, best, second, second_p in zip(proba, labels, p, runner_up, q):
        ranked = sorted(zip(row, model.classes_), key=lambda pair: -pair[0])
        assert (best, label) == ranked[0] and (second_p, second) == ranked[1]


def test_top_two_breaks_ties_by_class_order_and_handles_one_class():
    labels, p, runner_up, q = top_two(np.array([[0.5, 0.5], [0.25, 0.75]]), [0, 1])
    assert labels.tolist() == [0, 1] and runner_up.tolist() == [1, 0]
    assert p.tolist() == [0.5, 0.75] and q.tolist() == [0.5, 0.25]
    labels, p, runner_up, q = top_two(np.ones((3, 1)), ["general"])
    assert labels.tolist() == ["general"] * 3 and runner_up.tolist() == [None] * 3
    assert q.tolist() == [0.0] * 3
    assert [a.shape for a in top_two(np.empty((0, 3)), ["a", "b", "c"])] == [(0,)] * 4
    with pytest.raises(InputError, match=r"n_classes = 2 >= 1, got shape \(2, 3\)"):
        top_two(np.ones((2, 3)), ["a", "b"])


# --- evaluation -------------------------------------------------------------------------

def test_import_does_not_load_heavy_libraries():
    code = ("import sys, fazhi_nlp, fazhi_nlp.tokenize; "
            "print(sorted(m for m in ('jieba', 'sklearn', 'scipy', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
