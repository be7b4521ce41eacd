"""The few exceptions fazhi_nlp raises.

Every message says what was received, where (file, line) and what to do.

Examples
--------
>>> from fazhi_nlp.errors import InputError
>>> isinstance(InputError("bad"), ValueError)
True
"""
from __future__ import annotations


class FazhiError(Exception):
    """Base class of every error raised on purpose by fazhi_nlp."""


class InputError(FazhiError, ValueError):
    """A report or label file that cannot be read as given."""


class LabelError(InputError):
    """A labelled-data file with a missing column, unknown label or empty text."""


class ModelError(FazhiError, ValueError):
    """A model file that is corrupt, foreign, unsafe or does not match its card."""


class MissingDependencyError(FazhiError, ImportError):
    """An optional library is needed for this input (the message says what to install)."""
