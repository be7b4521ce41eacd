"""Saving and loading models: round trip, the card, atomic saves, and files that must be refused."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest
import skops.io
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

import fazhi_nlp
from fazhi_nlp.persist import save_model
from fazhi_nlp.classifier import DEFAULT_PARAMS, Classifier, data_sha256
from fazhi_nlp.training import rebuild_default_model
from fazhi_nlp.errors import ModelError
from fazhi_nlp.labels import shipped_labels
from fazhi_nlp.features import prepare_columns
from fazhi_nlp.persist import (CARD_FILE, CARD_FORMAT, MODEL_FILE, LoadedClassifier,
                               ModelVersionWarning, cached_model, default_model_dir, load_model,
                               model_file, saved_files)

SAMPLE = [
    {"text": "严格落实重大行政决策程序，聘请法律顾问参与合法性审查。", "heading": "（三）健全依法决策机制"},
    {"text": "开展宪法宣传周活动，发放普法资料2000余份。", "heading": "（六）深化普法宣传教育"},
    "全年办理行政复议案件12件，行政机关负责人出庭应诉率100%。",
    "特此报告。",
]


class Gadget:
    """A custom type: skops does not trust it, so neither does load_model."""


@pytest.fixture(scope="module")
def labels():
    return shipped_labels()


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture()
def saved(model, tmp_path):
    path = tmp_path / "m"
    save_model(model, path, evaluation={"threshold": 0.3, "macro_f1": 0.5})
    return path


def card(path):
    return json.loads((path / CARD_FILE).read_text("utf-8"))


def rewrite_card(path, **changes):
    data = card(path)
    data.update(changes)
    (path / CARD_FILE).write_text(json.dumps(data), "utf-8")


def replace_model_file(path, data: bytes):
    """Put other bytes in the model file and make the card's hash agree, as an attacker would."""
    model_file(path).write_bytes(data)
    rewrite_card(path, model_sha256=hashlib.sha256(data).hexdigest())


TINY = ["组织集体学法。", "开展宪法宣传周活动。", "全面落实行政执法三项制度。", "办理行政复议案件12件。"]
TINY_LABELS = ["study_training", "publicity", "enforcement", "disputes"]


def test_round_trip_gives_identical_predictions(model, saved, labels):
    loaded = load_model(saved)
    assert isinstance(loaded, LoadedClassifier)  # scored with numpy; its pipeline loads on use
    for name in ("classes_", "training_", "threshold_", "cv_", "card_", *DEFAULT_PARAMS):
        assert hasattr(loaded, name)
    assert isinstance(loaded.pipeline_, Pipeline)
    assert loaded.get_params() == model.get_params()
    assert list(loaded.classes_) == list(model.classes_)
    X = SAMPLE + labels.frame.head(50).to_dict("records")
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    assert [e.evidence for e in loaded.explain(SAMPLE[0])] == \
        [e.evidence for e in model.explain(SAMPLE[0])]
    assert loaded.threshold_ == 0.3


def test_card_records_what_the_model_is(model, saved, labels):
    data = card(saved)
    assert data["format"] == CARD_FORMAT
    assert data["labels"] == sorted(fazhi_nlp.LABEL_NAMES)
    assert data["params"] == json.loads(json.dumps(DEFAULT_PARAMS))  # (1, 3) is stored as [1, 3]
    assert data["versions"]["scikit-learn"] == sklearn.__version__
    assert set(data["versions"]) >= {"fazhi_nlp", "jieba", "numpy", "skops"}
    assert data["model_sha256"] == hashlib.sha256(model_file(saved).read_bytes()).hexdigest()
    training = data["training_data"]
    assert training["n"] == len(labels)
    assert sum(training["per_label"].values()) == len(labels)
    assert sum(training["per_source"].values()) == len(labels)
    assert len(training["sha256"]) == 64
    assert data["threshold"] == 0.3 and data["cv"]["macro_f1"] == 0.5
    assert data["created"][:2] == "20"


def test_saving_again_replaces_the_model_whole(model, saved, labels):
    other = Classifier(features="word", model="sgd").fit(labels.frame, labels.frame["label"])
    first = model_file(saved)
    save_model(other, saved)
    assert sorted(p.name for p in saved.iterdir()) == saved_files(saved) == \
        [CARD_FILE, model_file(saved).name]  # an SGD model has no arrays
    assert model_file(saved) != first and not first.exists()
    assert load_model(saved).get_params()["features"] == "word"
    assert card(saved)["cv"] is None and load_model(saved).threshold_ is None
    assert [p.name for p in saved.parent.iterdir()] == ["m"]  # no temporary directories left


def test_a_failed_save_leaves_the_old_model(model, saved, monkeypatch):
    before = model_file(saved).read_bytes(), (saved / CARD_FILE).read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(skops.io, "dumps", crash)
    with pytest.raises(OSError, match="disk full"):
        save_model(model, saved)
    assert (model_file(saved).read_bytes(), (saved / CARD_FILE).read_bytes()) == before
    assert [p.name for p in saved.parent.iterdir()] == ["m"]
    monkeypatch.undo()
    load_model(saved)


def test_save_refuses_to_overwrite_other_files(model, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ModelError, match="refusing to overwrite"):
        save_model(model, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_integer_labels_survive_a_round_trip(tmp_path):
    clf = Classifier().fit(TINY, [3, 1, 4, 2])
    save_model(clf, tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert loaded.classes_.tolist() == [1, 2, 3, 4]
    assert loaded.predict(TINY).tolist() == [3, 1, 4, 2]


def test_load_accepts_the_model_file_or_card_path(saved):
    by_file, by_card = load_model(model_file(saved)), load_model(saved / CARD_FILE)
    assert by_file.classes_.tolist() == by_card.classes_.tolist()


def test_edited_model_file_does_not_match_card(saved):
    data = model_file(saved).read_bytes()
    model_file(saved).write_bytes(data[:-100])  # truncated
    with pytest.raises(ModelError, match="card does not match model"):
        load_model(saved)


def test_corrupt_model_file_is_refused_naming_the_file(saved):
    data = bytearray(model_file(saved).read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = b"\x00" * 64
    replace_model_file(saved, bytes(data[: len(data) - 1000]))
    with pytest.raises(ModelError, match=r"m/model-[0-9a-f]{16}\.skops"):
        load_model(saved).pipeline_


def test_a_pickle_is_refused(saved):
    replace_model_file(saved, pickle.dumps({"pipeline": "anything"}))
    with pytest.raises(ModelError, match=r"m/model-[0-9a-f]{16}\.skops is not a readable skops model file"):
        load_model(saved).pipeline_  # a model with arrays loads its pipeline on first use


def test_untrusted_custom_type_is_refused(saved):
    replace_model_file(saved, skops.io.dumps({"format": CARD_FORMAT, "pipeline": Gadget(),
                                              "terms": {}}))
    with pytest.raises(ModelError,
                       match=r"refusing to load untrusted type .*Gadget from .*model-[0-9a-f]{16}\.skops"):
        load_model(saved).pipeline_  # a model with arrays loads its pipeline on first use


def test_a_foreign_scikit_learn_model_is_refused(saved):
    foreign = LogisticRegression().fit([[0.0], [1.0]], ["general", "publicity"])
    replace_model_file(saved, skops.io.dumps(foreign))
    with pytest.raises(ModelError, match="not a fazhi_nlp model"):
        load_model(saved).pipeline_  # a model with arrays loads its pipeline on first use


def test_missing_or_broken_card(saved, tmp_path):
    (saved / CARD_FILE).write_text("{not json", "utf-8")
    with pytest.raises(ModelError, match="card.json is not a model card"):
        load_model(saved)
    (saved / CARD_FILE).unlink()
    with pytest.raises(ModelError, match="card.json is missing"):
        load_model(saved)
    with pytest.raises(ModelError, match="no saved model at"):
        load_model(tmp_path / "nowhere")


def test_other_scikit_learn_version_warns_naming_both(saved):
    rewrite_card(saved, versions={**card(saved)["versions"], "scikit-learn": "0.24.2"})
    both = rf"scikit-learn 0\.24\.2 .*scikit-learn {sklearn.__version__}"
    with pytest.warns(ModelVersionWarning, match=both):
        loaded = load_model(saved)
    assert loaded.predict(SAMPLE[1:2])[0] == "publicity"


def test_shipped_model_loads_with_its_cross_validation(labels):
    clf = load_model()
    assert default_model_dir() == Path(fazhi_nlp.__file__).parent / "data" / "model"
    assert clf.get_params() == DEFAULT_PARAMS
    assert 0 < clf.threshold_ < 1 and clf.cv_["threshold"] == clf.threshold_
    assert clf.cv_["macro_f1"] > 0.6
    assert clf.cv_["n_scored"] == (labels.frame["source"] != "authored").sum()  # seed and real units
    # the shipped model was trained on exactly the shipped labels (rebuild it when they change)
    assert clf.training_["sha256"] == data_sha256(labels.frame["text"], labels.frame["label"])
    assert list(clf.predict(SAMPLE)) == ["decision_making", "publicity", "disputes", "general"]


def test_rebuilding_the_default_model_is_deterministic(tmp_path):
    first = rebuild_default_model(tmp_path / "a")
    second = rebuild_default_model(tmp_path / "b")
    assert first.summary() == second.summary()
    assert first.predictions.equals(second.predictions)
    a, b = load_model(tmp_path / "a"), load_model(tmp_path / "b")
    np.testing.assert_array_equal(a.predict_proba(SAMPLE), b.predict_proba(SAMPLE))
    assert card(tmp_path / "a")["cv"] == card(tmp_path / "b")["cv"] == first.summary()
    shutil.rmtree(tmp_path / "a")


# --- one read of the model file -----------------------------------------------------------

def test_the_bytes_whose_hash_was_checked_are_the_bytes_loaded(model, saved, labels, monkeypatch):
    """A file swapped after the hash check (here: by get_untrusted_types) is not what loads."""
    other = Classifier(model="sgd", C=0.01).fit(labels.frame, labels.frame["label"])
    save_model(other, saved.parent / "other")
    swapped = model_file(saved.parent / "other").read_bytes()
    real = skops.io.get_untrusted_types

    def swap_then_check(**kwargs):
        model_file(saved).write_bytes(swapped)
        return real(**kwargs)

    monkeypatch.setattr(skops.io, "get_untrusted_types", swap_then_check)
    loaded = load_model(saved)
    pipeline = loaded.pipeline_  # the bytes read and checked by load_model
    assert model_file(saved).read_bytes() == swapped  # the swap happened during the load
    columns = prepare_columns(SAMPLE, words=False, heading=False)
    np.testing.assert_array_equal(pipeline.predict_proba(columns),
                                  model.pipeline_.predict_proba(columns))


# --- cards that must be refused -----------------------------------------------------------

@pytest.mark.parametrize("changes, message", [
    ({"versions": "1.9.1"}, r"'versions' is a str, expected dict"),
    ({"versions": {"scikit-learn": 1.9}}, r"'versions' must map names to version strings"),
    ({"tokenizer": ["userdict"]}, r"'tokenizer' is a list, expected dict or null"),
    ({"labels": "general"}, r"'labels' is a str, expected list"),
    ({"labels": [1, 2]}, r"'labels' must be a list of strings"),
    ({"params": ["char"]}, r"'params' is a list, expected dict"),
    ({"model_sha256": None}, r"'model_sha256' is a NoneType, expected str"),
    ({"threshold": "0.3"}, r"'threshold' is a str, expected int or float or null"),
    ({"threshold": True}, r"'threshold' is a bool"),
    ({"threshold": 3}, r"'threshold' is 3, expected a probability"),
    ({"cv": 0.5}, r"'cv' is a float, expected dict or null"),
    ({"training_data": "688 units"}, r"'training_data' is a str"),
])
def test_card_fields_of_the_wrong_type_are_refused_naming_the_card(saved, changes, message):
    rewrite_card(saved, **changes)
    with pytest.raises(ModelError, match=r"m/card\.json: " + message):
        load_model(saved)


def test_a_card_that_is_not_an_object_is_refused(saved):
    (saved / CARD_FILE).write_text(json.dumps([CARD_FORMAT]), "utf-8")
    with pytest.raises(ModelError, match=r"card\.json is not a .* card \(format 'list'"):
        load_model(saved)
    (saved / CARD_FILE).write_text(json.dumps({"format": CARD_FORMAT}), "utf-8")
    with pytest.raises(ModelError, match=r"card\.json is not a .* card \(missing 'labels'"):
        load_model(saved)


@pytest.mark.parametrize("params, message", [
    ({**DEFAULT_PARAMS, "n_jobs": 4}, r"unknown \['n_jobs'\], missing \[\]\)\. Valid parameters"),
    ({k: v for k, v in DEFAULT_PARAMS.items() if k != "C"}, r"unknown \[\], missing \['C'\]"),
    ({**DEFAULT_PARAMS, "features": "words"}, r"Invalid value 'words' for parameter 'features'"),
    ({**DEFAULT_PARAMS, "C": "10"}, r"Invalid value '10' for parameter 'C'"),
    ({**DEFAULT_PARAMS, "use_heading": "no"}, r"parameter 'use_heading'"),
    ({**DEFAULT_PARAMS, "random_state": [0]}, r"parameter 'random_state'"),
    ({**DEFAULT_PARAMS, "class_weight": "even"}, r"parameter 'class_weight'"),
])
def test_invalid_card_params_are_refused_naming_the_card(saved, params, message):
    rewrite_card(saved, params=params)
    with pytest.raises(ModelError, match=r"m/card\.json: 'params'.*" + message):
        load_model(saved)


@pytest.mark.parametrize("changes, message", [
    ({"features": "word+char"}, r"features 'word\+char', but the model has 'char' blocks"),
    ({"model": "sgd"}, r"model 'sgd', but the model file holds a 'logreg' model"),
])
def test_card_params_that_disagree_with_the_model_are_refused(saved, changes, message):
    rewrite_card(saved, params={**DEFAULT_PARAMS, **changes})
    with pytest.raises(ModelError, match=r"card\.json: card does not match model .*" + message):
        load_model(saved)


def test_a_heading_block_needs_use_heading_in_the_card(tmp_path):
    items = [{"text": t, "heading": "（一）加强法治建设"} for t in TINY]
    save_model(Classifier(use_heading=True).fit(items, TINY_LABELS), tmp_path / "h")
    assert load_model(tmp_path / "h").use_heading is True
    rewrite_card(tmp_path / "h", params={**DEFAULT_PARAMS, "use_heading": False})
    with pytest.raises(ModelError, match="use_heading false, but the model has a heading block"):
        load_model(tmp_path / "h")
    # use_heading without a heading block: trained on units without headings, and consistent
    save_model(Classifier(use_heading=True).fit(TINY, TINY_LABELS), tmp_path / "plain")
    assert load_model(tmp_path / "plain").use_heading is True


# --- the per-process cache ----------------------------------------------------------------

def test_cached_model_loads_once_per_directory():
    repo_default = Path(__file__).resolve().parents[1] / "models" / "default"
    shipped = cached_model()
    assert cached_model() is shipped
    assert cached_model(default_model_dir() / CARD_FILE) is shipped
    if repo_default.is_symlink():  # the repository's link to the packaged model
        assert cached_model(repo_default) is shipped
    assert load_model() is not shipped  # load_model itself never caches


def test_cached_model_loads_a_model_saved_again(tmp_path):
    save_model(Classifier().fit(TINY, TINY_LABELS), tmp_path / "m")
    first = cached_model(tmp_path / "m")
    assert cached_model(tmp_path / "m") is first and first.C == DEFAULT_PARAMS["C"]
    save_model(Classifier(C=1.0).fit(TINY, TINY_LABELS), tmp_path / "m")
    second = cached_model(tmp_path / "m")
    assert second is not first and second.C == 1.0
    with pytest.raises(ModelError, match="no saved model at"):
        cached_model(tmp_path / "nowhere")


def test_cached_model_sees_a_changed_card(tmp_path):
    save_model(Classifier().fit(TINY, TINY_LABELS), tmp_path / "m")
    first = cached_model(tmp_path / "m")
    rewrite_card(tmp_path / "m", threshold=0.4)
    stat = (tmp_path / "m" / CARD_FILE).stat()
    os.utime(tmp_path / "m" / CARD_FILE, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert cached_model(tmp_path / "m").threshold_ == 0.4 and first.threshold_ is None


# --- a save killed at any moment ---------------------------------------------------------

def _killed_save(clf, path, step: int) -> bool:
    """Save ``clf`` to ``path`` in a forked process that dies (os._exit, no clean-up) just
    before its ``step``-th file-system change; True when the save finished first."""
    pid = os.fork()
    if pid == 0:  # the child: count the changes and die at the chosen one
        try:
            count = [0]

            def dying(function):
                def wrapper(*args, **kwargs):
                    count[0] += 1
                    if count[0] == step:
                        os._exit(9)
                    return function(*args, **kwargs)
                return wrapper

            for name in ("replace", "rename", "unlink", "mkdir", "rmdir", "write", "open"):
                setattr(os, name, dying(getattr(os, name)))
            shutil.rmtree = dying(shutil.rmtree)
            save_model(clf, path)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_model(model, tmp_path):
    other = Classifier().fit(TINY, TINY_LABELS)
    old_labels, new_labels = list(model.classes_), list(other.classes_)
    for target in ("fresh", "existing"):
        path = tmp_path / target
        step = 0
        while True:
            step += 1
            if target == "existing":
                shutil.rmtree(path, ignore_errors=True)
                save_model(model, path)
            finished = _killed_save(other, path, step)
            if target == "fresh" and not path.exists():
                assert not finished  # killed before the new folder was renamed into place
            else:
                loaded = load_model(path)
                assert list(loaded.classes_) in (old_labels, new_labels)
                if finished:
                    assert list(loaded.classes_) == new_labels
            if finished:
                break
            save_model(other, path)  # the next save removes what the killed one left
            assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
            assert sorted(p.name for p in path.iterdir()) == saved_files(path)
            shutil.rmtree(path)
        assert step > 3  # the save was killed at several moments before it could finish


def test_leftovers_of_killed_saves_are_removed_by_the_next_save(model, tmp_path):
    path = tmp_path / "m"
    save_model(model, path)
    (path / ".model-0123456789abcdef.0123456789ab.tmp").write_bytes(b"half a model")
    (path / ".card.0123456789ab.tmp").write_bytes(b"{")
    (path / "model-0123456789abcdef.skops").write_bytes(b"a model file no card names")
    for stale in (".m.4194304-0123abcd.tmp", ".m.k2j4_x9q.tmp", ".m.0123abcd.old"):
        (tmp_path / stale).mkdir()
        (tmp_path / stale / CARD_FILE).write_text("{}")
    running = tmp_path / f".m.{os.getppid()}-0123abcd.tmp"  # a save still running elsewhere
    running.mkdir()
    (tmp_path / "notes.tmp").mkdir()  # not ours
    save_model(model, path)
    assert sorted(p.name for p in path.iterdir()) == saved_files(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["m", running.name, "notes.tmp"])


def test_a_model_saved_by_an_earlier_version_loads_and_is_replaced_whole(model, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(default_model_dir(), old)
    model_file(old).rename(old / MODEL_FILE)  # the first versions wrote model.skops
    data = card(old)
    data["model_file"] = MODEL_FILE
    (old / CARD_FILE).write_text(json.dumps(data), "utf-8")
    assert model_file(old).name == MODEL_FILE
    data = card(old)
    del data["model_file"]  # cards of the first versions did not name the file
    (old / CARD_FILE).write_text(json.dumps(data), "utf-8")
    assert load_model(old).predict(SAMPLE[1:2])[0] == "publicity"
    assert load_model(old / MODEL_FILE).classes_.tolist() == model.classes_.tolist()
    save_model(Classifier().fit(TINY, TINY_LABELS), old)
    assert sorted(p.name for p in old.iterdir()) == saved_files(old)
    assert MODEL_FILE not in os.listdir(old) and load_model(old).classes_.tolist() == sorted(TINY_LABELS)


@pytest.mark.parametrize("name", ["../model.skops", "/etc/passwd", "model-xyz.skops", "card.json"])
def test_a_card_naming_another_file_is_refused(saved, name):
    rewrite_card(saved, model_file=name)
    with pytest.raises(ModelError, match=r"m/card\.json: 'model_file' is .*expected 'model.skops'"):
        load_model(saved)


def test_a_deeply_nested_card_is_refused_naming_it(saved):
    (saved / CARD_FILE).write_text('{"format": ' + "[" * 100_000 + "]" * 100_000 + "}", "utf-8")
    with pytest.raises(ModelError, match=r"m/card\.json is not a model card \(JSON nested too deeply"):
        load_model(saved)
