"""Save and load classifiers: a directory holding a model file and ``card.json``.

The model file (``model-<first 16 hex digits of its sha256>.skops``; ``model.skops`` in
models saved by earlier versions and in the shipped one) holds only the fitted scikit-learn
Pipeline, written with skops (no pickle: loading never runs code from the file).
``card.json`` says what the model is: the name of its model file, labels, parameters,
library versions, sha256 of the model file, a hash and counts of the training data,
cross-validation metrics and the uncertainty threshold.

Saving writes the new model file beside the old one, then replaces ``card.json`` by one
rename: that rename publishes the new model. Whenever a save is killed, the directory holds
a complete model, the old one or the new one; what a killed save left behind is removed by
the next save.

Loading reads the model file once, checks those bytes against the card's sha256 (which
detects a changed or damaged file), lets skops rebuild only types it trusts or that are on
fazhi_nlp's allow-list (nothing is unpickled), checks the card's parameters against the loaded
pipeline, and warns when the model was made with another scikit-learn, jieba or user
dictionary. :func:`cached_model` loads each saved model once per process.

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
import uuid
import warnings
import zipfile
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Optional

from .classifier import Classifier, check_params
from .errors import InputError, ModelError
from .files import read_bytes, write_atomic

__all__ = ["CARD_FILE", "MODEL_FILE", "ModelVersionWarning", "cached_model", "default_model_dir",
           "check_save_target", "load_model", "model_file", "save_model"]

#: The model file of models saved by earlier versions (and of the shipped model); new saves
#: name it after its content, ``model-<16 hex digits>.skops`` (see :func:`model_file`).
MODEL_FILE = "model.skops"
CARD_FILE = "card.json"
#: Names a model file may have.
_MODEL_NAME = re.compile(r"\Amodel(?:-[0-9a-f]{16})?\.skops\Z")
#: Temporary files of :func:`~fazhi_nlp.files.write_atomic` inside a model directory.
_TEMPORARY = re.compile(r"\A\.(?:card|model(?:-[0-9a-f]{16})?)\.[0-9a-f]{12}\.tmp\Z")
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
    "model_file": (str, type(None)),
}


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
    import sklearn

    return {
        "fazhi_nlp": _version("fazhi-nlp") or "0.0.0+unknown",
        "scikit-learn": sklearn.__version__,
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


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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


def _card(clf: Any, model_sha256: str, evaluation: Any, model_name: str) -> dict:
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
    }


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

    check_is_fitted(clf, "pipeline_")
    target = Path(os.path.realpath(path))  # through a symlink such as models/default
    check_save_target(target)
    model_bytes = skops.io.dumps(_payload(clf.pipeline_), compression=zipfile.ZIP_DEFLATED)
    digest = hashlib.sha256(model_bytes).hexdigest()
    name = f"model-{digest[:16]}.skops"
    card = _card(clf, digest, evaluation, name)
    card_bytes = (json.dumps(card, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"{target.parent}: cannot make the folder ({exc.strerror or exc})") from None
    _remove_stale_folders(target)
    if not target.exists() and _publish_new(target, {name: model_bytes, CARD_FILE: card_bytes}):
        return target
    with _locked(target):
        check_save_target(target)
        for entry in os.listdir(target):  # left by a killed save (no other save runs now)
            if _TEMPORARY.match(entry):
                with contextlib.suppress(OSError):
                    os.unlink(target / entry)
        write_atomic(target / name, model_bytes)
        _fsync_dir(target)
        write_atomic(target / CARD_FILE, card_bytes)  # the one rename that publishes the model
        _fsync_dir(target)
        for entry in os.listdir(target):
            if _MODEL_NAME.match(entry) and entry != name:
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
         and not _TEMPORARY.match(e)]
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
        _fsync_dir(tmp)
        try:
            os.rename(tmp, target)
        except OSError:
            if target.exists():
                return False
            raise
        _fsync_dir(target.parent)
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
    if card.get("threshold") is not None and not 0 <= card["threshold"] <= 1:
        raise ModelError(f"{card_file}: 'threshold' is {card['threshold']}, expected a "
                         "probability between 0 and 1")
    _check_card_params(card["params"], card_file)


#: Parameters added after models were first saved, with the value older models were trained with.
_ADDED_PARAMS = {"char_ngram_range": [1, 3]}


def _check_card_params(params: dict, card_file: Path) -> None:
    """Raise :class:`ModelError` unless ``params`` are a valid, complete Classifier setting."""
    valid = sorted(Classifier().get_params())
    params.update({k: v for k, v in _ADDED_PARAMS.items() if k not in params})
    unknown, missing = sorted(set(params) - set(valid)), sorted(set(valid) - set(params))
    if unknown or missing:
        raise ModelError(f"{card_file}: 'params' do not describe a Classifier (unknown "
                         f"{unknown}, missing {missing}). Valid parameters are: {valid}")
    try:
        check_params(params)
    except InputError as err:
        raise ModelError(f"{card_file}: 'params': {err}") from None


def _check_agrees(params: dict, pipeline: Any, card_file: Path) -> None:
    """Raise :class:`ModelError` when the card's features, heading or model setting differs
    from the loaded pipeline's feature blocks and estimator.

    A heading block needs ``use_heading``; ``use_heading`` without a heading block is a model
    trained on units without headings.
    """
    blocks = {name for name, _, _ in pipeline.named_steps["features"].transformers_}
    features = "+".join(b for b in ("word", "char") if b in blocks)
    model = _MODEL_TYPES[_qualname(pipeline.named_steps["model"])]
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
    import sklearn

    from .tokenize import userdict_sha256

    made = card["versions"].get("scikit-learn")
    if made != sklearn.__version__:
        warnings.warn(f"{where} was saved with scikit-learn {made} but this is scikit-learn "
                      f"{sklearn.__version__}; predictions may differ — retrain the model to be "
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
    """Load a :class:`~fazhi_nlp.classifier.Classifier` saved by :func:`save_model`.

    The model file is read once; its sha256 is checked and skops loads those same bytes.
    Every type in the file that skops does not already trust must be on fazhi_nlp's
    allow-list of scikit-learn types, and nothing is unpickled. Each call loads the files
    again; :func:`cached_model` keeps one copy per process.

    Parameters
    ----------
    path : str or Path, optional
        The model directory (or its ``model.skops`` / ``card.json``); None loads the shipped
        default model.

    Raises
    ------
    ModelError
        Missing or corrupt files, a model file whose sha256 differs from the card's
        ("card does not match model"), a file holding types fazhi_nlp does not write, or a
        card whose fields have the wrong JSON types or whose parameters are invalid or
        disagree with the model file.

    Warns
    -----
    ModelVersionWarning
        The model was saved with another scikit-learn or jieba, or another user dictionary.
    """
    import skops.io

    directory = _model_dir(path)
    card_file = directory / CARD_FILE
    card = _read_card(card_file)
    for attempt in range(3):
        model_file = directory / _model_file_name(card, card_file)
        try:
            data = read_bytes(model_file, error=ModelError, hint="; save the model again")
            break
        except ModelError:  # a save in another process may have replaced the model meanwhile
            newer = _read_card(card_file)
            if attempt == 2 or newer.get("model_file") == card.get("model_file"):
                raise
            card = newer
    digest = hashlib.sha256(data).hexdigest()
    if digest != card["model_sha256"]:
        raise ModelError(f"{model_file}: card does not match model (sha256 {digest[:12]}…, card "
                         f"says {card['model_sha256'][:12]}…); the file was changed or "
                         "copied from another model — save or retrain the model again")
    _warn_versions(card, directory)
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
    if [str(c) for c in pipeline.classes_] != card["labels"]:
        raise ModelError(f"{model_file}: card does not match model (labels "
                         f"{[str(c) for c in pipeline.classes_]} vs card {card['labels']})")
    _check_agrees(card["params"], pipeline, card_file)

    params = dict(card["params"])
    params["char_ngram_range"] = tuple(params["char_ngram_range"])  # JSON keeps it as a list
    clf = Classifier(**params)
    clf.pipeline_ = pipeline
    clf.classes_ = pipeline.classes_
    clf.training_ = card.get("training_data")
    clf.cv_ = card.get("cv")
    clf.threshold_ = card.get("threshold")
    clf.card_ = card
    return clf


def _stamp(path: Path) -> Optional[tuple[int, int, int]]:
    """(inode, size, mtime in ns) of a file, or None if it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def cached_model(path: Any = None) -> Any:
    """:func:`load_model`, loaded once per process and model directory.

    The cache is keyed by the resolved directory (so ``models/default`` and the shipped
    model are one entry) and the stamps of its two files: a model saved again is loaded
    again. The model returned is shared; don't modify it.

    Examples
    --------
    >>> cached_model() is cached_model(model_file())
    True
    """
    directory = Path(os.path.realpath(_model_dir(path)))
    card_file = directory / CARD_FILE
    try:
        name = _model_file_name(json.loads(read_bytes(card_file, error=ModelError)), card_file)
    except (ModelError, ValueError, TypeError, AttributeError, RecursionError):
        name = MODEL_FILE  # load_model will say what is wrong
    return _load_cached(directory, _stamp(directory / name), _stamp(card_file))


@lru_cache(maxsize=4)
def _load_cached(directory: Path, model_stamp: Any, card_stamp: Any) -> Any:
    """The per-process cache behind :func:`cached_model` (the stamps are only cache keys)."""
    return load_model(directory)
