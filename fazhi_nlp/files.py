"""Reading and writing files: one place for the errors a file system gives.

Every failure becomes the library's own error naming the file and what went wrong;
writes are atomic (a temporary file in the same folder, fsynced, then renamed), so a
reader never sees half a file and a crash leaves the old file or the new one.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_atomic(folder / "a.txt", "法治".encode("utf-8"))
>>> read_bytes(folder / "a.txt").decode("utf-8")
'法治'
>>> read_bytes(folder / "missing.txt")
Traceback (most recent call last):
...
fazhi_nlp.errors.InputError: .../missing.txt: no such file
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Union

from .errors import FazhiError, InputError

__all__ = ["read_bytes", "write_atomic"]

PathLike = Union[str, os.PathLike]


def read_bytes(path: PathLike, *, error: type[FazhiError] = InputError, hint: str = "") -> bytes:
    """The bytes of a file, or ``error`` naming it: missing, a directory, or unreadable.

    ``hint`` is added to the missing-file message (what to do instead).
    """
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such file{hint}") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory; pass a file") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc})") from None


def write_atomic(path: PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Raises :class:`~fazhi_nlp.errors.InputError` naming ``path`` on any failure (full disk,
    no permission, missing folder); the temporary file is removed.
    """
    path = Path(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
