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

from .clean import Cleaned, clean_page
from .dedup import Deduped, dedup_page, find_duplicate_reports
from .errors import FazhiError, InputError, LabelError, MissingDependencyError, ModelError
from .pipeline import Prediction, classify, process
from .read import read_report
from .segment import segment_text
from .types import Removal, Report, Unit

try:
    __version__ = version("fazhi-nlp")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

#: Names that load their module on first use (scikit-learn, pandas and skops are heavy).
_LAZY = {
    "LABELS": "labels", "LABEL_NAMES": "labels", "Label": "labels", "LabelSet": "labels",
    "load_labels": "labels", "merge_labels": "labels", "shipped_labels": "labels",
    "Classifier": "classifier",
    "EvalResult": "evaluation", "evaluate": "evaluation",
    "train": "training",
    "load_model": "persist", "save_model": "persist",
    "CorpusResult": "corpus", "classify_corpus": "corpus", "iter_classify": "corpus",
    "flag_reposts": "corpus",
    "Profile": "profiles", "profile": "profiles",
    "suggest_for_labelling": "labelling", "export_for_labelling": "labelling",
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
    "ModelError", "Prediction", "Removal", "Report", "Unit", "classify", "clean_page",
    "dedup_page", "find_duplicate_reports", "process", "read_report", "segment_text", *_LAZY,
])
