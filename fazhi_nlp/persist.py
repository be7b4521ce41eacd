"""Save and load classifiers: a directory holding ``model.skops`` and ``card.json``.

``model.skops`` holds only the fitted scikit-learn Pipeline, written with skops (no pickle:
loading never runs code from the file). ``card.json`` says what the model is: labels,
parameters, library versions, sha256 of the model file, a hash and counts of the training
data, cross-validation metrics and the uncertainty threshold.

Loading checks the model file against the card, lets through only the exact scikit-learn
types fazhi_nlp writes, and warns when the model was made with another scikit-learn, jieba or
user dictionary.

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

import hashlib
import json
import os
import shutil
import sys
import tempfile
import uuid
import warnings
import zipfile
from datetime import datetime, timezone
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Optional

from .errors import ModelError

__all__ = ["CARD_FILE", "MODEL_FILE", "ModelVersionWarning", "default_model_dir", "load_model",
           "save_model"]

MODEL_FILE = "model.skops"
CARD_FILE = "card.json"
CARD_FORMAT = "fazhi_nlp-model/1"

#: Types that skops does not trust by default but that fazhi_nlp models contain
#: (CalibratedClassifierCV keeps its per-fold calibrators in private scikit-learn classes).
ALLOWED_TYPES = frozenset({
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
})
#: What the loaded Pipeline's parts must be (checked after loading, by qualified class name).
_FEATURE_TYPES = frozenset({"sklearn.feature_extraction.text.TfidfVectorizer"})
_MODEL_TYPES = frozenset({
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.linear_model._stochastic_gradient.SGDClassifier",
    "sklearn.calibration.CalibratedClassifierCV",
})


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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


def _card(clf: Any, model_sha256: str, evaluation: Any) -> dict:
    from .tokenize import _HMM, userdict_sha256

    cv = evaluation.summary() if hasattr(evaluation, "summary") else evaluation
    return {
        "format": CARD_FORMAT,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "labels": [str(c) for c in clf.classes_],
        "params": clf.get_params(),
        "model_file": MODEL_FILE,
        "model_sha256": model_sha256,
        "versions": _versions(),
        "tokenizer": {"userdict_sha256": userdict_sha256(), "hmm": _HMM},
        "training_data": clf.training_,
        "cv": cv,
        "threshold": cv["threshold"] if cv else None,
    }


def save_model(clf: Any, path: Any, evaluation: Any = None) -> Path:
    """Save a fitted :class:`~fazhi_nlp.classifier.Classifier` to directory ``path``, atomically.

    Both files are written and fsynced in a temporary directory next to ``path``, which then
    replaces ``path`` by renames: a crash leaves either the old model or the new one, never a
    mix or a half-written file. ``evaluation`` (an :class:`~fazhi_nlp.classifier.EvalResult` or
    its ``summary()``) puts cross-validation metrics and the uncertainty threshold in the card.

    Raises :class:`~fazhi_nlp.errors.ModelError` if ``path`` exists and holds anything other
    than a saved model.
    """
    import skops.io
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(clf, "pipeline_")
    target = Path(os.path.realpath(path))  # through a symlink such as models/default
    if target.exists() and (not target.is_dir()
                            or set(os.listdir(target)) - {MODEL_FILE, CARD_FILE}):
        raise ModelError(f"refusing to overwrite {target}: it is not a saved model directory "
                         f"(only {MODEL_FILE} and {CARD_FILE} may be there); choose a new path")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        os.chmod(tmp, 0o755)
        model_bytes = skops.io.dumps(_payload(clf.pipeline_), compression=zipfile.ZIP_DEFLATED)
        _write_synced(tmp / MODEL_FILE, model_bytes)
        card = _card(clf, hashlib.sha256(model_bytes).hexdigest(), evaluation)
        _write_synced(tmp / CARD_FILE,
                      (json.dumps(card, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        _fsync_dir(tmp)
        if target.exists():
            old = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.old"
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old)
        else:
            os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _read_card(card_file: Path) -> dict:
    try:
        card = json.loads(card_file.read_text("utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{card_file} is missing: a saved model directory holds {MODEL_FILE} "
                         f"and {CARD_FILE}; save the model again") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelError(f"{card_file} is not a model card ({err})") from None
    missing = [k for k in ("format", "labels", "params", "model_sha256", "versions")
               if not isinstance(card, dict) or k not in card]
    if missing or card.get("format") != CARD_FORMAT:
        raise ModelError(f"{card_file} is not a fazhi_nlp model card "
                         f"(format {card.get('format') if isinstance(card, dict) else None!r}, "
                         f"missing {missing})")
    return card


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
    made = card.get("tokenizer", {}).get("userdict_sha256")
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


def load_model(path: Any = None) -> Any:
    """Load a :class:`~fazhi_nlp.classifier.Classifier` saved by :func:`save_model`.

    Parameters
    ----------
    path : str or Path, optional
        The model directory (or its ``model.skops`` / ``card.json``); None loads the shipped
        default model.

    Raises
    ------
    ModelError
        Missing or corrupt files, a model file whose sha256 differs from the card's
        ("card does not match model"), or a file holding types fazhi_nlp does not write.

    Warns
    -----
    ModelVersionWarning
        The model was saved with another scikit-learn or jieba, or another user dictionary.
    """
    import skops.io

    directory = default_model_dir() if path is None else Path(path)
    if directory.is_file() and directory.name in (MODEL_FILE, CARD_FILE):
        directory = directory.parent
    if not directory.is_dir():
        raise ModelError(f"no saved model at {directory}: expected a directory holding "
                         f"{MODEL_FILE} and {CARD_FILE}")
    card = _read_card(directory / CARD_FILE)
    model_file = directory / MODEL_FILE
    if not model_file.is_file():
        raise ModelError(f"{model_file} is missing; save the model again")
    digest = _sha256(model_file)
    if digest != card["model_sha256"]:
        raise ModelError(f"{model_file}: card does not match model (sha256 {digest[:12]}…, card "
                         f"says {str(card['model_sha256'])[:12]}…); the file was changed or "
                         "copied from another model — save or retrain the model again")
    _warn_versions(card, directory)
    try:
        untrusted = skops.io.get_untrusted_types(file=model_file)
    except Exception as err:  # skops raises zipfile/json/key errors for foreign or broken files
        raise ModelError(f"{model_file} is not a readable skops model file "
                         f"({type(err).__name__}: {err})") from None
    for name in untrusted:
        if name not in ALLOWED_TYPES:
            raise ModelError(f"refusing to load untrusted type {name} from {model_file}")
    try:
        payload = skops.io.load(model_file, trusted=untrusted)
    except Exception as err:
        raise ModelError(f"{model_file} could not be loaded "
                         f"({type(err).__name__}: {err})") from None
    pipeline = _unpack(payload, model_file)
    if [str(c) for c in pipeline.classes_] != card["labels"]:
        raise ModelError(f"{model_file}: card does not match model (labels "
                         f"{[str(c) for c in pipeline.classes_]} vs card {card['labels']})")

    from .classifier import Classifier

    clf = Classifier(**card["params"])
    clf.pipeline_ = pipeline
    clf.classes_ = pipeline.classes_
    clf.training_ = card.get("training_data")
    clf.cv_ = card.get("cv")
    clf.threshold_ = card.get("threshold")
    clf.card_ = card
    return clf
