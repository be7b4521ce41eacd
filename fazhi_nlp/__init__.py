"""fazhi_nlp: clean, segment and classify Chinese rule-of-law government annual reports.

Light stages are imported at once; the classifier, persistence and corpus tools (which
need scikit-learn, jieba and pandas) load on first use, so ``import fazhi_nlp`` is fast.

Examples
--------
>>> import fazhi_nlp
>>> report = fazhi_nlp.process("一、主要举措和成效\\n全年办理行政复议案件12件。")
>>> [u.kind for u in report.units]
['heading', 'sentence']
"""
from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from .clean import Cleaned, clean
from .dedup import Deduped, dedup, find_duplicate_reports
from .errors import FazhiError, InputError, LabelError, MissingDependencyError, ModelError
from .pipeline import process
from .read import read_report
from .segment import segment
from .types import Removal, Report, Unit

try:
    __version__ = version("fazhi-nlp")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

_LAZY = {
    "LABELS": "labels", "LABEL_NAMES": "labels", "Label": "labels", "LabelSet": "labels",
    "load_labels": "labels", "merge_labels": "labels", "shipped_labels": "labels",
    "Classifier": "classifier", "Prediction": "classifier", "classify": "classifier",
    "EvalResult": "classifier", "evaluate": "classifier", "train": "classifier",
    "load_model": "persist",
    "CorpusResult": "corpus", "Profile": "corpus", "classify_corpus": "corpus", "iter_classify": "corpus",
    "flag_reposts": "corpus", "profile": "corpus", "suggest_for_labelling": "corpus",
    "export_for_labelling": "corpus",
    "plot_profile": "plot",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'fazhi_nlp' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = sorted([
    "Cleaned", "Deduped", "FazhiError", "InputError", "LabelError", "MissingDependencyError",
    "ModelError", "Removal", "Report", "Unit", "clean", "dedup", "find_duplicate_reports",
    "process", "read_report", "segment", *_LAZY,
])
