"""Save and load classifiers: a directory holding a model file, an arrays file and ``card.json``.

The model file (``model-<first 16 hex digits of its sha256>.skops``; ``model.skops`` in
models saved by earlier versions) holds only the fitted scikit-learn Pipeline, written with
skops (no pickle: loading never runs code from the file). The arrays file
(``arrays-<16 hex digits>.npz``, logistic regression models only) holds the numbers
:class:`~fazhi_nlp.scorer.FastScorer` scores with: vocabularies, idf and coefficients, as
plain numeric arrays (read with ``allow_pickle=False``). ``card.json`` says what the model
is: the names and sha256 of both files, labels, parameters, library versions, the arrays'
options, a hash and counts of the training data, cross-validation metrics and the
uncertainty threshold.

Saving writes the new files beside the old ones, then replaces ``card.json`` by one rename:
that rename publishes the new model. Whenever a save is killed, the directory holds a
complete model, the old one or the new one; what a killed save left behind is removed by
the next save.

Loading reads each file once and checks those bytes against the card's sha256 (which
detects a changed or damaged file). A model with arrays loads as a :class:`LoadedClassifier`
without importing scikit-learn, pandas or skops (a blink: numpy and two file reads); its
pipeline is rebuilt from the checked model-file bytes on first use of ``pipeline_``. skops
rebuilds only types it trusts or that are on fazhi_nlp's allow-list (nothing is unpickled),
and the card's parameters are checked against the arrays and the pipeline. A model made with
another scikit-learn, jieba or user dictionary gives a warning. :func:`cached_model` loads
each saved model once per process.

The shipped default model lives in the package, ``fazhi_nlp/data/model/`` (the repository's
``models/default`` points there), so it is installed by ``pip install .`` and by
``pip install -e .`` alike.

Examples
--------
>>> clf = load_model()
>>> clf.predict(["组织开展宪法宣传日活动"]).tolist()
['publicity']
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import threading
import uuid
import warnings
import zipfile
from datetime import datetime, timezone
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Optional

from .context import mix_neighbours, report_groups
from .errors import InputError, ModelError
from .features import PARAM_DEFAULTS, check_params, prepare_columns
from .files import fsync_path, read_bytes, write_atomic

__all__ = ["CARD_FILE", "MODEL_FILE", "LoadedClassifier", "ModelVersionWarning", "cached_model",
           "default_model_dir", "check_save_target", "load_model", "model_file", "save_model",
           "saved_files"]

#: The model file of models saved by earlier versions (and of the shipped model); new saves
#: name it after its content, ``model-<16 hex digits>.skops`` (see :func:`model_file`).
MODEL_FILE = "model.skops"
CARD_FILE = "card.json"
#: Names a model file may have.
_MODEL_NAME = re.compile(r"\Amodel(?:-[0-9a-f]{16})?\.skops\Z")
#: Names an arrays file may have (the numpy arrays of :mod:`fazhi_nlp.scorer`).
_ARRAYS_NAME = re.compile(r"\Aarrays-[0-9a-f]{16}\.npz\Z")
#: Temporary files of :func:`~fazhi_nlp.files.write_atomic` inside a model directory.
_TEMPORARY = re.compile(r"\A\.(?:card|model(?:-[0-9a-f]{16})?|arrays-[0-9a-f]{16})"
                        r"\.[0-9a-f]{12}\.tmp\Z")
CARD_FORMAT = "fazhi_nlp-model/1"

#: Types that skops does not trust by default but that fazhi_nlp models contain
#: (CalibratedClassifierCV keeps its per-fold calibrators in private scikit-learn classes).
ALLOWED_TYPES = frozenset({
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
})
#: What the loaded Pipeline's parts must be (checked after loading, by qualified class name).
_FEATURE_TYPES = frozenset({"sklearn.feature_extraction.text.TfidfVectorizer"})
#: The ``model`` parameter each of those estimators comes from.
_MODEL_TYPES = {
    "sklearn.linear_model._logistic.LogisticRegression": "logreg",
    "sklearn.linear_model._stochastic_gradient.SGDClassifier": "sgd",
    "sklearn.calibration.CalibratedClassifierCV": "svm",
}
#: Card fields and the JSON types each may have (a field that may be null may also be absent).
_CARD_FIELDS: dict[str, tuple] = {
    "format": (str,), "labels": (list,), "params": (dict,), "model_sha256": (str,),
    "versions": (dict,), "tokenizer": (dict, type(None)), "training_data": (dict, type(None)),
    "cv": (dict, type(None)), "threshold": (int, float, type(None)),
    "model_file": (str, type(None)), "arrays": (dict, type(None)),
}
#: The fields of a card's ``arrays`` entry and their JSON types.
_ARRAYS_FIELDS = {"file": str, "sha256": str, "meta": dict}


class ModelVersionWarning(UserWarning):
    """A model made with another version of scikit-learn, jieba or the user dictionary."""


def default_model_dir() -> Path:
    """Directory of the shipped default model (``fazhi_nlp/data/model``).

    Examples
    --------
    >>> default_model_dir().name
    'model'
    """
    return Path(str(resources.files("fazhi_nlp").joinpath("data", "model")))


def _version(dist: str) -> Optional[str]:
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def _versions() -> dict[str, Optional[str]]:
    return {
        "fazhi_nlp": _version("fazhi-nlp") or "0.0.0+unknown",
        "scikit-learn": _version("scikit-learn"),
        "jieba": _version("jieba"),
        "numpy": _version("numpy"),
        "scipy": _version("scipy"),
        "skops": _version("skops"),
        "python": ".".join(map(str, sys.version_info[:3])),
    }


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _vectorizers(pipeline: Any) -> list[tuple[str, Any]]:
    return [(name, vec) for name, vec, _ in pipeline.named_steps["features"].transformers_
            if hasattr(vec, "idf_")]


def _payload(pipeline: Any) -> dict:
    """What model.skops holds: the pipeline with each vectorizer's vocabulary as an array.

    A vocabulary dict is stored by skops as one JSON node per term (40 000 terms: 36 MB, 1 s
    to load); an array of the terms in column order is 100 times smaller and faster.
    ``stop_words_`` (terms pruned at fit time, unused by ``transform``) is dropped.
    """
    import copy

    import numpy as np

    pipeline = copy.deepcopy(pipeline)
    terms = {}
    for name, vec in _vectorizers(pipeline):
        names = np.empty(len(vec.vocabulary_), dtype=object)
        for term, column in vec.vocabulary_.items():
            names[column] = term
        terms[name] = names.astype(str)
        del vec.vocabulary_
        if hasattr(vec, "stop_words_"):
            del vec.stop_words_
    return {"format": CARD_FORMAT, "pipeline": pipeline, "terms": terms}


def _unpack(payload: Any, model_file: Path) -> Any:
    """The fitted pipeline from a loaded payload, vocabularies restored."""
    if not (isinstance(payload, dict) and payload.get("format") == CARD_FORMAT
            and {"pipeline", "terms"} <= set(payload)):
        raise ModelError(f"{model_file} holds a {_qualname(payload)}, not a fazhi_nlp model")
    pipeline = payload["pipeline"]
    _check_structure(pipeline, model_file)
    for name, vec in _vectorizers(pipeline):
        terms = payload["terms"].get(name)
        if terms is None or len(terms) != len(vec.idf_):
            raise ModelError(f"{model_file}: the {name!r} vocabulary is missing or does not "
                             f"match its weights; the file is damaged — retrain the model")
        vec.vocabulary_ = {str(term): i for i, term in enumerate(terms)}
    return pipeline


def _card(clf: Any, model_sha256: str, evaluation: Any, model_name: str,
          arrays: Optional[dict]) -> dict:
    from .tokenize import HMM, userdict_sha256

    cv = evaluation.summary() if hasattr(evaluation, "summary") else evaluation
    return {
        "format": CARD_FORMAT,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "labels": [str(c) for c in clf.classes_],
        "params": clf.get_params(),
        "model_file": model_name,
        "model_sha256": model_sha256,
        "versions": _versions(),
        "tokenizer": {"userdict_sha256": userdict_sha256(), "hmm": HMM},
        "training_data": clf.training_,
        "cv": cv,
        "threshold": cv["threshold"] if cv else None,
        "arrays": arrays,
    }


def _arrays_of(pipeline: Any) -> Optional[tuple[bytes, dict]]:
    """The npz bytes and metadata of the pipeline's numpy scorer arrays (None: a model the
    scorer does not cover, such as the calibrated SVM)."""
    from .scorer import UnsupportedPipelineError, arrays_from_pipeline, arrays_to_npz

    try:
        return arrays_to_npz(arrays_from_pipeline(pipeline))
    except UnsupportedPipelineError:
        return None


def save_model(clf: Any, path: Any, evaluation: Any = None) -> Path:
    """Save a fitted :class:`~fazhi_nlp.classifier.Classifier` to directory ``path``, atomically.

    A new directory is written complete under a temporary name and renamed into place. In an
    existing model directory the new model file is written (through a temporary file) beside
    the old one, then ``card.json`` is replaced by one rename, which publishes the new model,
    and the old model file is removed. A save killed at any moment leaves a complete model at
    ``path``, old or new; the next save removes what it left (temporary files and folders).
    Two saves to one directory wait for each other (a lock on the directory, where the system
    has ``fcntl``). ``evaluation`` (an :class:`~fazhi_nlp.classifier.EvalResult` or its
    ``summary()``) puts cross-validation metrics and the uncertainty threshold in the card.

    Raises :class:`~fazhi_nlp.errors.ModelError` if ``path`` exists and holds anything other
    than a saved model, and :class:`~fazhi_nlp.errors.InputError` naming the file that could
    not be written (full disk, no permission).
    """
    import skops.io
    from sklearn.utils.validation import check_is_fitted

    if not hasattr(clf, "pipeline_"):  # a LoadedClassifier loads its pipeline here
        check_is_fitted(clf, "pipeline_")
    target = Path(os.path.realpath(path))  # through a symlink such as models/default
    check_save_target(target)
    model_bytes = skops.io.dumps(_payload(clf.pipeline_), compression=zipfile.ZIP_DEFLATED)
    digest = hashlib.sha256(model_bytes).hexdigest()
    name = f"model-{digest[:16]}.skops"
    files = {name: model_bytes}
    arrays = _arrays_of(clf.pipeline_)
    if arrays is not None:
        arrays_bytes, meta = arrays
        arrays_digest = hashlib.sha256(arrays_bytes).hexdigest()
        files[f"arrays-{arrays_digest[:16]}.npz"] = arrays_bytes
        arrays = {"file": f"arrays-{arrays_digest[:16]}.npz", "sha256": arrays_digest, "meta": meta}
    card = _card(clf, digest, evaluation, name, arrays)
    card_bytes = (json.dumps(card, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"{target.parent}: cannot make the folder ({exc.strerror or exc})") from None
    _remove_stale_folders(target)
    if not target.exists() and _publish_new(target, {**files, CARD_FILE: card_bytes}):
        return target
    with _locked(target):
        check_save_target(target)
        for entry in os.listdir(target):  # left by a killed save (no other save runs now)
            if _TEMPORARY.match(entry):
                with contextlib.suppress(OSError):
                    os.unlink(target / entry)
        for file_name, data in files.items():
            write_atomic(target / file_name, data)
        fsync_path(target)
        write_atomic(target / CARD_FILE, card_bytes)  # the one rename that publishes the model
        fsync_path(target)
        for entry in os.listdir(target):
            if (_MODEL_NAME.match(entry) or _ARRAYS_NAME.match(entry)) and entry not in files:
                with contextlib.suppress(OSError):
                    os.unlink(target / entry)
    return target


def check_save_target(target: Path) -> None:
    """Raise :class:`~fazhi_nlp.errors.ModelError` unless ``target`` is missing or a saved
    model's directory (what :func:`save_model` may write over).

    >>> check_save_target(default_model_dir())
    """
    if not target.exists() and not target.is_symlink():
        return
    foreign = [] if not target.is_dir() else \
        [e for e in os.listdir(target) if e != CARD_FILE and not _MODEL_NAME.match(e)
         and not _ARRAYS_NAME.match(e) and not _TEMPORARY.match(e)]
    if not target.is_dir() or foreign:
        raise ModelError(f"refusing to overwrite {target}: it is not a saved model directory "
                         f"(only {CARD_FILE} and model files may be there"
                         + (f"; found {sorted(foreign)[:3]}" if foreign else "")
                         + "); choose a new path")


def _publish_new(target: Path, files: dict[str, bytes]) -> bool:
    """Write a new model directory under a temporary name and rename it to ``target``.

    False (nothing written) when ``target`` appeared meanwhile: the caller saves into it.
    """
    tmp = target.parent / f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
    try:
        os.mkdir(tmp)
        for name, data in files.items():
            _write_synced(tmp / name, data)
        fsync_path(tmp)
        try:
            os.rename(tmp, target)
        except OSError:
            if target.exists():
                return False
            raise
        fsync_path(target.parent)
        return True
    except OSError as exc:
        raise ModelError(f"{target}: the model cannot be written ({exc.strerror or exc})") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _remove_stale_folders(target: Path) -> None:
    """Remove the temporary folders that killed saves of ``target`` left beside it
    (``.NAME.<pid>-<hex>.tmp``; ``.NAME.<8 characters>.tmp`` or ``.old`` from earlier versions);
    a folder of a save still running in another process is left alone."""
    stale = re.compile(rf"\A\.{re.escape(target.name)}\.(?:(\d+)-[0-9a-f]{{8}}|[a-z0-9_]{{8}})"
                       r"\.(?:tmp|old)\Z")
    try:
        entries = os.listdir(target.parent)
    except OSError:
        return
    for entry in entries:
        found = stale.match(entry)
        if found and (target.parent / entry).is_dir() and not _running(found.group(1)):
            shutil.rmtree(target.parent / entry, ignore_errors=True)


def _running(pid: Optional[str]) -> bool:
    """True when ``pid`` names another process that is still running."""
    if pid is None or int(pid) == os.getpid():
        return False
    if os.name == "nt":  # os.kill(pid, 0) would end the process on Windows
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@contextlib.contextmanager
def _locked(directory: Path):
    """Hold an exclusive lock on ``directory`` (POSIX ``flock``; no lock elsewhere)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _read_card(card_file: Path) -> dict:
    """The parsed card, its fields and parameters checked (see :func:`_check_card`)."""
    if not card_file.exists() and not card_file.is_symlink():
        raise ModelError(f"{card_file} is missing: a saved model directory holds {CARD_FILE} "
                         f"and the model file it names; save the model again")
    data = read_bytes(card_file, error=ModelError)
    try:
        card = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelError(f"{card_file} is not a model card ({err})") from None
    except RecursionError:
        raise ModelError(f"{card_file} is not a model card (JSON nested too deeply; a card is "
                         "one object of fields and short lists)") from None
    if isinstance(card, dict) and isinstance(card.get("params"), dict):
        # parameters added after a card was written take the value its model was trained with
        card["params"] = {**_ADDED_PARAMS, **card["params"]}
    _check_card(card, card_file)
    return card


def _model_file_name(card: dict, card_file: Path) -> str:
    """The model file a checked card names (``model.skops`` for cards that name none)."""
    name = card.get("model_file") or MODEL_FILE
    if not _MODEL_NAME.match(name):
        raise ModelError(f"{card_file}: 'model_file' is {name!r:.80}, expected {MODEL_FILE!r} or "
                         "'model-<16 hex digits>.skops' in the same folder; save the model again")
    return name


def model_file(path: Any = None) -> Path:
    """The model file of a saved model: the file its card names.

    >>> model_file().suffix, model_file().parent == default_model_dir()
    ('.skops', True)
    """
    directory = _model_dir(path)
    return directory / _model_file_name(_read_card(directory / CARD_FILE), directory / CARD_FILE)


def _check_card(card: Any, card_file: Path) -> None:
    """Raise :class:`ModelError` naming ``card_file`` unless every field has its JSON type and
    ``params`` are exactly the valid parameters of a Classifier.

    Examples
    --------
    >>> _check_card({"format": CARD_FORMAT, "labels": "abc"}, Path("card.json"))
    Traceback (most recent call last):
    ...
    fazhi_nlp.errors.ModelError: card.json: 'labels' is a str, expected list; save the model again
    """
    if not isinstance(card, dict) or card.get("format") != CARD_FORMAT:
        found = card.get("format") if isinstance(card, dict) else type(card).__name__
        raise ModelError(f"{card_file} is not a fazhi_nlp model card (format {found!r}, "
                         f"expected {CARD_FORMAT!r})")
    for key, types in _CARD_FIELDS.items():
        if key not in card and type(None) not in types:
            raise ModelError(f"{card_file} is not a fazhi_nlp model card (missing {key!r})")
        value = card.get(key)
        if not isinstance(value, types) or isinstance(value, bool):
            expected = " or ".join("null" if t is type(None) else t.__name__ for t in types)
            raise ModelError(f"{card_file}: {key!r} is a {type(value).__name__}, expected "
                             f"{expected}; save the model again")
    if not all(isinstance(label, str) for label in card["labels"]):
        raise ModelError(f"{card_file}: 'labels' must be a list of strings, got "
                         f"{card['labels']!r:.80}")
    if not all(v is None or isinstance(v, str) for v in card["versions"].values()):
        raise ModelError(f"{card_file}: 'versions' must map names to version strings")
    arrays = card.get("arrays")
    if arrays is not None:
        for key, kind in _ARRAYS_FIELDS.items():
            if not isinstance(arrays.get(key), kind):
                raise ModelError(f"{card_file}: 'arrays' needs {key!r} ({kind.__name__}); "
                                 "save the model again")
        if not _ARRAYS_NAME.match(arrays["file"]):
            raise ModelError(f"{card_file}: 'arrays' names {arrays['file']!r:.80}, expected "
                             "'arrays-<16 hex digits>.npz' in the same folder; save the model again")
    if card.get("threshold") is not None and not 0 <= card["threshold"] <= 1:
        raise ModelError(f"{card_file}: 'threshold' is {card['threshold']}, expected a "
                         "probability between 0 and 1")
    _check_card_params(card["params"], card_file)


#: Parameters added after models were first saved, with the value older models were trained with.
_ADDED_PARAMS = {"char_ngram_range": [1, 3], "context_weight": 0.0}


def _check_card_params(params: dict, card_file: Path) -> None:
    """Raise :class:`ModelError` unless ``params`` are a valid, complete Classifier setting."""
    valid = sorted(PARAM_DEFAULTS)
    unknown, missing = sorted(set(params) - set(valid)), sorted(set(valid) - set(params))
    if unknown or missing:
        raise ModelError(f"{card_file}: 'params' do not describe a Classifier (unknown "
                         f"{unknown}, missing {missing}). Valid parameters are: {valid}")
    try:
        check_params(params)
    except InputError as err:
        raise ModelError(f"{card_file}: 'params': {err}") from None


def _check_agrees(params: dict, blocks: set, model: str, card_file: Path) -> None:
    """Raise :class:`ModelError` when the card's features, heading or model setting differs
    from the saved model's feature ``blocks`` and ``model`` kind ('logreg', 'svm' or 'sgd').

    A heading block needs ``use_heading``; ``use_heading`` without a heading block is a model
    trained on units without headings.
    """
    features = "+".join(b for b in ("word", "char") if b in blocks)
    problems = []
    if params["features"] != features:
        problems.append(f"features {params['features']!r}, but the model has {features!r} blocks")
    if "heading" in blocks and not params["use_heading"]:
        problems.append("use_heading false, but the model has a heading block")
    if params["model"] != model:
        problems.append(f"model {params['model']!r}, but the model file holds a {model!r} model")
    if problems:
        raise ModelError(f"{card_file}: card does not match model (the card says "
                         f"{'; '.join(problems)}); save the model again")


def _warn_versions(card: dict, where: Path) -> None:
    from .tokenize import userdict_sha256

    made, here = card["versions"].get("scikit-learn"), _version("scikit-learn")
    if made != here:
        warnings.warn(f"{where} was saved with scikit-learn {made} but this is scikit-learn "
                      f"{here}; predictions may differ — retrain the model to be "
                      "sure", ModelVersionWarning, stacklevel=3)
    params = card["params"]
    if params.get("features") == "char" and not params.get("use_heading"):
        return  # no word features: segmentation plays no part
    made = card["versions"].get("jieba")
    if made != _version("jieba"):
        warnings.warn(f"{where} was saved with jieba {made} but this is jieba "
                      f"{_version('jieba')}; word segmentation may differ", ModelVersionWarning,
                      stacklevel=3)
    made = (card.get("tokenizer") or {}).get("userdict_sha256")
    if made != userdict_sha256():
        warnings.warn(f"{where} was trained with another user dictionary than this fazhi_nlp "
                      "ships; word segmentation may differ — retrain the model",
                      ModelVersionWarning, stacklevel=3)


def _qualname(obj: Any) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


def _check_structure(pipeline: Any, model_file: Path) -> None:
    steps = getattr(pipeline, "named_steps", None)
    if _qualname(pipeline) != "sklearn.pipeline.Pipeline" or steps is None \
            or set(steps) != {"features", "model"}:
        raise ModelError(f"{model_file} holds a {_qualname(pipeline)}, not a fazhi_nlp model "
                         "(a Pipeline of 'features' and 'model')")
    union = steps["features"]
    if _qualname(union) != "sklearn.compose._column_transformer.ColumnTransformer" \
            or any(_qualname(t) not in _FEATURE_TYPES for _, t, _ in union.transformers_
                   if t not in ("drop", "passthrough")) \
            or _qualname(steps["model"]) not in _MODEL_TYPES:
        raise ModelError(f"{model_file} holds parts fazhi_nlp does not write "
                         f"({_qualname(union)}, {_qualname(steps['model'])})")


def _model_dir(path: Any) -> Path:
    """The model directory of ``path`` (a directory, its model file or card; None: shipped)."""
    directory = default_model_dir() if path is None else Path(path)
    if directory.is_file() and (directory.name == CARD_FILE or _MODEL_NAME.match(directory.name)):
        directory = directory.parent
    if not directory.is_dir():
        raise ModelError(f"no saved model at {directory}: expected a directory holding "
                         f"{CARD_FILE} and a model file")
    return directory


def load_model(path: Any = None) -> Any:
    """Load a classifier saved by :func:`save_model`.

    A model saved with its numpy arrays (every logistic regression model) loads as a
    :class:`LoadedClassifier`, without importing scikit-learn or skops: it scores with
    :class:`~fazhi_nlp.scorer.FastScorer` (scikit-learn's probabilities to 1e-14) and loads
    its scikit-learn pipeline on first use of ``pipeline_``. Other models load as a
    :class:`~fazhi_nlp.classifier.Classifier`.

    The card names the files; each is read once and its bytes are checked against the card's
    sha256 before they are used (the model file's when loading, and again its pipeline when
    ``pipeline_`` is first used). Arrays are read with ``allow_pickle=False``. Every type in
    the model file that skops does not already trust must be on fazhi_nlp's allow-list of
    scikit-learn types, and nothing is unpickled. Each call loads the files again (and the
    first load of a directory fills the cache of :func:`cached_model`).

    Parameters
    ----------
    path : str or Path, optional
        The model directory (or its model file / ``card.json``); None loads the shipped
        default model.

    Raises
    ------
    ModelError
        Missing or corrupt files, a model or arrays file whose sha256 differs from the card's
        ("card does not match model"), a file holding types fazhi_nlp does not write, or a
        card whose fields have the wrong JSON types or whose parameters are invalid or
        disagree with the model file.

    Warns
    -----
    ModelVersionWarning
        The model was saved with another scikit-learn or jieba, or another user dictionary.
    """
    directory = _model_dir(path)
    card_file = directory / CARD_FILE
    key = _cache_key(directory)
    card = _read_card(card_file)
    for attempt in range(3):
        names = [_model_file_name(card, card_file)] + \
            ([card["arrays"]["file"]] if card.get("arrays") else [])
        try:
            data = [read_bytes(directory / name, error=ModelError, hint="; save the model again")
                    for name in names]
            break
        except ModelError:  # a save in another process may have replaced the model meanwhile
            newer = _read_card(card_file)
            if attempt == 2 or newer.get("model_file") == card.get("model_file"):
                raise
            card = newer
    model_file = directory / names[0]
    _check_sha256(data[0], card["model_sha256"], model_file)
    _warn_versions(card, directory)
    params = dict(card["params"])
    params["char_ngram_range"] = tuple(params["char_ngram_range"])  # JSON keeps it as a list
    if card.get("arrays"):
        from .scorer import arrays_from_npz

        arrays_file = directory / names[1]
        _check_sha256(data[1], card["arrays"]["sha256"], arrays_file)
        arrays = arrays_from_npz(data[1], card["arrays"]["meta"], str(arrays_file))
        _check_labels(arrays.classes, card, arrays_file)
        _check_agrees(card["params"], {b.name for b in arrays.blocks}, "logreg", card_file)
        clf: Any = LoadedClassifier(params, arrays, card, (data[0], model_file, card_file))
    else:
        from .classifier import Classifier

        clf = Classifier(**params)
        clf.pipeline_ = _pipeline_from(data[0], model_file, card, card_file)
        clf.classes_ = clf.pipeline_.classes_
        clf.training_ = card.get("training_data")
        clf.cv_ = card.get("cv")
        clf.threshold_ = card.get("threshold")
        clf.card_ = card
    with _CACHE_LOCK:
        if key is not None and key not in _CACHE:
            _remember(key, clf)
    return clf


def _check_sha256(data: bytes, expected: str, where: Path) -> None:
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected:
        raise ModelError(f"{where}: card does not match model (sha256 {digest[:12]}…, card "
                         f"says {expected[:12]}…); the file was changed or "
                         "copied from another model — save or retrain the model again")


def _check_labels(classes: Any, card: dict, where: Path) -> None:
    if [str(c) for c in classes] != card["labels"]:
        raise ModelError(f"{where}: card does not match model (labels "
                         f"{[str(c) for c in classes]} vs card {card['labels']})")


def _pipeline_from(data: bytes, model_file: Path, card: dict, card_file: Path) -> Any:
    """The scikit-learn pipeline in checked model-file bytes, rebuilt by skops from trusted
    and allow-listed types only, its labels and blocks checked against the card."""
    import skops.io

    try:
        untrusted = skops.io.get_untrusted_types(data=data)
    except Exception as err:  # skops raises zipfile/json/key errors for foreign or broken files
        raise ModelError(f"{model_file} is not a readable skops model file "
                         f"({type(err).__name__}: {err})") from None
    for name in untrusted:
        if name not in ALLOWED_TYPES:
            raise ModelError(f"refusing to load untrusted type {name} from {model_file}")
    try:
        payload = skops.io.loads(data, trusted=untrusted)
    except Exception as err:
        raise ModelError(f"{model_file} could not be loaded "
                         f"({type(err).__name__}: {err})") from None
    pipeline = _unpack(payload, model_file)
    _check_labels(pipeline.classes_, card, model_file)
    blocks = {name for name, _, _ in pipeline.named_steps["features"].transformers_}
    _check_agrees(card["params"], blocks, _MODEL_TYPES[_qualname(pipeline.named_steps["model"])],
                  card_file)
    return pipeline


class LoadedClassifier:
    """A saved logistic regression model, scored with numpy alone.

    It has the public attributes of a fitted :class:`~fazhi_nlp.classifier.Classifier`: the
    parameters, ``classes_``, ``training_``, ``threshold_``, ``cv_``, ``card_``,
    ``get_params()``, ``predict``, ``predict_proba`` and ``explain``. Its scikit-learn
    ``pipeline_`` is loaded from the model file (whose bytes were checked on load) on first
    use; ``explain`` uses it.

    >>> clf = load_model()
    >>> type(clf).__name__, clf.predict(["组织开展宪法宣传日活动"]).tolist()
    ('LoadedClassifier', ['publicity'])
    """

    def __init__(self, params: dict, arrays: Any, card: dict, model_file: tuple):
        for name, value in params.items():
            setattr(self, name, value)
        self._params = dict(params)
        self._arrays = arrays
        self._model_file = model_file  # (checked bytes, model file path, card path)
        self._scorer: Any = None
        self._classifier: Any = None
        self.classes_ = arrays.classes
        self.training_ = card.get("training_data")
        self.cv_ = card.get("cv")
        self.threshold_ = card.get("threshold")
        self.card_ = card

    def __repr__(self) -> str:
        changed = ", ".join(f"{k}={v!r}" for k, v in self._params.items() if v != PARAM_DEFAULTS[k])
        return f"LoadedClassifier({changed})"

    def get_params(self, deep: bool = True) -> dict:
        """The Classifier parameters of the saved model."""
        return {name: getattr(self, name) for name in sorted(self._params)}

    @property
    def pipeline_(self) -> Any:
        """The fitted scikit-learn pipeline (loaded through skops on first use)."""
        if self._classifier is None:
            from .classifier import Classifier

            data, model_file, card_file = self._model_file
            clf = Classifier(**self.get_params())
            clf.pipeline_ = _pipeline_from(data, model_file, self.card_, card_file)
            clf.classes_ = clf.pipeline_.classes_
            clf.training_, clf.cv_, clf.threshold_, clf.card_ = \
                self.training_, self.cv_, self.threshold_, self.card_
            self._classifier = clf
        return self._classifier.pipeline_

    def _prepare(self, X: Any) -> Any:
        return prepare_columns(X, words=self.features != "char", heading=self.use_heading)

    def _fast_scorer(self) -> Any:
        if self._scorer is None:
            from .scorer import FastScorer

            self._scorer = FastScorer(self._arrays)
        return self._scorer

    def predict_proba(self, X: Any, groups: Any = None) -> Any:
        """Probabilities, one row per item, columns in ``classes_`` order; items of one
        report lean on their neighbours (as Classifier)."""
        import numpy as np

        columns = self._prepare(X)
        if not len(columns):
            return np.empty((0, len(self.classes_)))
        return mix_neighbours(self._fast_scorer().predict_proba(columns),
                              report_groups(X, groups), self.context_weight)

    def predict(self, X: Any, groups: Any = None) -> Any:
        """The most probable label of each item (as Classifier)."""
        import numpy as np

        groups = report_groups(X, groups)  # read once, then handed on as given
        if groups is not None and self.context_weight:
            return self.classes_[self.predict_proba(X, groups).argmax(axis=1)]
        columns = self._prepare(X)
        if not len(columns):
            return np.empty(0, dtype=self.classes_.dtype)
        return self._fast_scorer().predict(columns)

    def explain(self, item: Any, top_labels: int = 2, n_terms: int = 8) -> list:
        """:meth:`fazhi_nlp.classifier.Classifier.explain` (loads the pipeline)."""
        self.pipeline_  # noqa: B018 - loads the scikit-learn classifier
        return self._classifier.explain(item, top_labels=top_labels, n_terms=n_terms)

    def __getstate__(self) -> dict:  # the scorer's tables are rebuilt where it is unpickled
        return {**self.__dict__, "_scorer": None}


def saved_files(path: Any = None) -> list[str]:
    """The files of a saved model, sorted: its card, model file and arrays file (if any).

    >>> [name.split("-")[0] for name in saved_files()]
    ['arrays', 'card.json', 'model']
    """
    directory = _model_dir(path)
    card = _read_card(directory / CARD_FILE)
    names = [CARD_FILE, _model_file_name(card, directory / CARD_FILE)]
    return sorted(names + ([card["arrays"]["file"]] if card.get("arrays") else []))


def _stamp(path: Path) -> Optional[tuple[int, int, int]]:
    """(inode, size, mtime in ns) of a file, or None if it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _cache_key(directory: Path) -> Any:
    """The cache key of a model directory: its resolved path and the stamps of its card and
    model file (None when the card cannot be read: load_model will say why)."""
    directory = Path(os.path.realpath(directory))
    card_file = directory / CARD_FILE
    try:
        name = _model_file_name(json.loads(read_bytes(card_file, error=ModelError)), card_file)
    except (ModelError, ValueError, TypeError, AttributeError, RecursionError):
        name = MODEL_FILE  # load_model will say what is wrong
    return directory, _stamp(directory / name), _stamp(card_file)


#: The per-process models of :func:`cached_model` (and the first :func:`load_model` of each).
_CACHE: dict = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 4


def _remember(key: Any, model: Any) -> None:
    _CACHE[key] = model
    while len(_CACHE) > _CACHE_SIZE:
        del _CACHE[next(iter(_CACHE))]


def cached_model(path: Any = None) -> Any:
    """:func:`load_model`, loaded once per process and model directory.

    The cache is keyed by the resolved directory (so ``models/default`` and the shipped
    model are one entry) and the stamps of its card and model file: a model saved again is
    loaded again. A model loaded by :func:`load_model` is kept too, so ``load_model()`` then
    ``classify(...)`` loads once. The model returned is shared; don't modify it.

    Examples
    --------
    >>> cached_model() is cached_model(model_file())
    True
    """
    key = _cache_key(_model_dir(path))
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
    model = load_model(key[0])
    with _CACHE_LOCK:
        _remember(key, model)
        return model
