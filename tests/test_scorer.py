"""The numpy scorer gives scikit-learn's numbers: the same TF-IDF matrices and probabilities
(to 1e-12) and the same labels, on real report units and on any text; a saved model scores
with it in a fresh process without importing scikit-learn, pandas, skops or jieba."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fazhi_nlp
from fazhi_nlp.classifier import Classifier
from fazhi_nlp.context import mix_neighbours
from fazhi_nlp.errors import ModelError
from fazhi_nlp.examples import example_reports
from fazhi_nlp.features import prepare_columns
from fazhi_nlp.persist import LoadedClassifier, load_model, save_model
from fazhi_nlp.scorer import (FastScorer, UnsupportedPipelineError, arrays_from_npz,
                              arrays_from_pipeline, arrays_to_npz)
from tests.conftest import DATA_DIR

TOL = 1e-12
DEV = sorted((DATA_DIR / "dev" / "reports").glob("*.txt"))


@pytest.fixture(scope="module")
def units():
    """Every unit of the 5 example reports and the 50 real dev pages, with its heading."""
    found = []
    for path in [*example_reports(), *DEV]:
        found += [{"text": u.text, "heading": u.heading} for u in fazhi_nlp.process(path).units]
    return found


@pytest.fixture(scope="module")
def shipped():
    return load_model()


@pytest.fixture(scope="module")
def word_char(frame):
    """Words and characters with the heading block: every block kind the Classifier makes."""
    rows = frame[frame["source"] == "seed"]
    return Classifier(features="word+char", use_heading=True).fit(rows, rows["label"])


def _columns(model, X):
    return prepare_columns(X, words=model.features != "char", heading=model.use_heading)


def assert_same_as_scikit_learn(model, X):
    """The scorer's CSR matrix, probabilities and labels against the pipeline's."""
    columns = _columns(model, X)
    pipeline = model.pipeline_
    expected = pipeline.named_steps["features"].transform(columns).tocsr()
    expected.sort_indices()
    indptr, indices, data = FastScorer(arrays_from_pipeline(pipeline)).transform(columns)
    np.testing.assert_array_equal(indptr, expected.indptr)
    np.testing.assert_array_equal(indices, expected.indices)
    np.testing.assert_allclose(data, expected.data, rtol=0, atol=TOL)
    proba = pipeline.predict_proba(columns)
    np.testing.assert_allclose(model.predict_proba(X), proba, rtol=0, atol=TOL)
    assert model.predict(X).tolist() == pipeline.predict(columns).tolist()
    return proba


def test_the_shipped_model_scores_real_pages_as_scikit_learn(shipped, units):
    assert isinstance(shipped, LoadedClassifier) and len(units) > 1000
    proba = assert_same_as_scikit_learn(shipped, units)
    assert proba.shape == (len(units), 13)


def test_every_block_kind_scores_as_scikit_learn(word_char, units):
    assert {name for name, _, _ in word_char.pipeline_.named_steps["features"].transformers_} \
        == {"word", "char", "heading"}
    assert word_char._fast_scorer() is not None
    assert_same_as_scikit_learn(word_char, units[:600])


def test_two_classes_and_number_labels_score_as_scikit_learn(units):
    texts = [u["text"] for u in units[:200]]
    binary = Classifier().fit(texts, [i % 2 for i in range(len(texts))])
    assert binary.classes_.tolist() == [0, 1]
    assert_same_as_scikit_learn(binary, units[200:400])


def test_a_calibrated_svm_is_scored_by_scikit_learn(units):
    texts = [u["text"] for u in units[:300]]
    svm = Classifier(model="svm").fit(texts, [("a", "b", "c")[i % 3] for i in range(len(texts))])
    assert svm._fast_scorer() is None
    columns = _columns(svm, units[:50])
    np.testing.assert_array_equal(svm.predict_proba(units[:50]), svm.pipeline_.predict_proba(columns))
    with pytest.raises(UnsupportedPipelineError, match="LogisticRegression"):
        arrays_from_pipeline(svm.pipeline_)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | \
    st.text(st.sampled_from(list("法治政府建设行政执法 \u3000\t，。（一）１２ABcd𠀀🙂")), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=5))
def test_any_text_scores_as_scikit_learn(shipped, word_char, rows):
    X = [{"text": text, "heading": heading} for text, heading in rows]
    assert_same_as_scikit_learn(shipped, X)
    assert_same_as_scikit_learn(word_char, X)


def test_no_items_give_empty_results(shipped):
    assert shipped.predict_proba([]).shape == (0, 13)
    assert shipped.predict([]).shape == (0,)


def test_explain_matches_the_scikit_learn_classifier(shipped):
    fitted = Classifier(**shipped.get_params())
    fitted.pipeline_, fitted.classes_ = shipped.pipeline_, shipped.classes_
    item = "全面落实行政执法三项制度。"
    assert shipped.explain(item) == fitted.explain(item)


# --- the arrays as bytes ------------------------------------------------------------------

def test_arrays_survive_npz_bytes(word_char, units):
    data, meta = arrays_to_npz(arrays_from_pipeline(word_char.pipeline_))
    meta = json.loads(json.dumps(meta))  # as the card stores it
    arrays = arrays_from_npz(data, meta, "arrays.npz")
    columns = _columns(word_char, units[:100])
    np.testing.assert_array_equal(FastScorer(arrays).predict_proba(columns),
                                  word_char._fast_scorer().predict_proba(columns))
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        assert all(not npz[name].dtype.hasobject for name in npz.files)


def test_arrays_with_pickled_objects_or_wrong_shapes_are_refused(word_char):
    data, meta = arrays_to_npz(arrays_from_pipeline(word_char.pipeline_))
    with np.load(io.BytesIO(data)) as npz:
        members = {name: npz[name] for name in npz.files}
    pickled = io.BytesIO()
    np.savez(pickled, **{**members, "coef": np.array([object()], dtype=object)})
    with pytest.raises(ModelError, match="arrays.npz cannot be read as numeric arrays"):
        arrays_from_npz(pickled.getvalue(), meta, "arrays.npz")
    short = io.BytesIO()
    np.savez(short, **{**members, "coef": members["coef"][:, :-1]})
    with pytest.raises(ModelError, match="arrays.npz: inconsistent saved arrays: coef shape"):
        arrays_from_npz(short.getvalue(), meta, "arrays.npz")


def test_a_changed_arrays_file_is_refused(shipped, tmp_path):
    save_model(shipped, tmp_path / "m")
    card = json.loads((tmp_path / "m" / "card.json").read_text("utf-8"))
    arrays = tmp_path / "m" / card["arrays"]["file"]
    data = bytearray(arrays.read_bytes())
    data[-200] ^= 1
    arrays.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"arrays-[0-9a-f]{16}\.npz: card does not match model"):
        load_model(tmp_path / "m")


# --- a fresh process ----------------------------------------------------------------------

FRESH = """
import json, sys
import fazhi_nlp
model = fazhi_nlp.load_model()
predictions = fazhi_nlp.classify("一、推进严格规范公正文明执法\\n全面落实行政执法三项制度。")
from fazhi_nlp import persist
heavy = sorted(m for m in ("sklearn", "pandas", "skops", "jieba", "scipy") if m in sys.modules)
print(json.dumps({"labels": [p.label for p in predictions],
                  "probabilities": [p.probability for p in predictions],
                  "heavy": heavy, "cached": persist.cached_model() is model}))
"""


def test_a_fresh_process_classifies_without_scikit_learn(shipped):
    root = Path(fazhi_nlp.__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True,
                         cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
                         check=True)
    result = json.loads(out.stdout)
    assert result["heavy"] == [] and result["cached"]  # load_model() filled classify's cache
    units = fazhi_nlp.process("一、推进严格规范公正文明执法\n全面落实行政执法三项制度。").units
    columns = _columns(shipped, units)
    # scikit-learn's probabilities, then the two units of the report lean on each other
    proba = mix_neighbours(shipped.pipeline_.predict_proba(columns), [0, 0], shipped.context_weight)
    assert result["labels"] == shipped.classes_[proba.argmax(axis=1)].tolist() == ["enforcement"] * 2
    np.testing.assert_allclose(result["probabilities"], proba.max(axis=1), rtol=0, atol=TOL)
