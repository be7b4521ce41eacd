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

import contextlib
import errno
import os
import re
import stat
import uuid
from pathlib import Path
from typing import Iterator, Union

from .errors import FazhiError, InputError

__all__ = ["atomic_path", "check_encodable", "file_kind", "fsync_path", "read_bytes", "same_file", "write_atomic"]

PathLike = Union[str, os.PathLike]

_SURROGATE = re.compile("[\ud800-\udfff]")

_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def file_kind(mode: int) -> str:
    """What a file that is not a regular file or folder is, from its ``st_mode``.

    >>> file_kind(stat.S_IFIFO)
    'a named pipe (FIFO)'
    """
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def read_bytes(path: PathLike, *, error: type[FazhiError] = InputError, hint: str = "") -> bytes:
    """The bytes of a file, or ``error`` naming it: missing, a broken symbolic link, a
    directory, a named pipe or device (never waited on), or unreadable.

    ``hint`` is added to the missing-file message (what to do instead).

    >>> import os, tempfile
    >>> fifo = os.path.join(tempfile.mkdtemp(), "pipe.txt"); os.mkfifo(fifo)
    >>> read_bytes(fifo)
    Traceback (most recent call last):
    ...
    fazhi_nlp.errors.InputError: .../pipe.txt: is a named pipe (FIFO), not a file; pass a regular file
    """
    path = Path(path)
    try:  # O_NONBLOCK: opening a named pipe must not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        if os.path.islink(path):
            raise error(f"{path}: broken symbolic link (it points to {os.readlink(path)}, which "
                        "does not exist)") from None
        raise error(f"{path}: no such file{hint}") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory; pass a file") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except ValueError:  # a NUL character: no file system accepts it in a name
        raise error(f"{str(path)!r}: is not a file name (it holds a NUL character)") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise error(f"{path}: is a directory; pass a file")
        raise error(f"{path}: is {file_kind(mode)}, not a file; pass a regular file")
    with os.fdopen(fd, "rb") as f:
        try:
            return f.read()
        except OSError as exc:
            raise error(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _write_error(path: Path, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOENT and not path.parent.is_dir():
        reason = f"folder {path.parent} does not exist"
    return InputError(f"{path}: cannot be written ({reason})")


@contextlib.contextmanager
def atomic_path(path: PathLike) -> Iterator[Path]:
    """A temporary path next to ``path`` (same ending) for a writer that wants a file name;
    renamed to ``path`` when the block ends without an error, removed otherwise.

    An ``OSError`` inside the block or at the rename becomes
    :class:`~fazhi_nlp.errors.InputError` naming ``path``; a reader never sees half a file.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "shares.csv"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("a,b\\n")
    >>> out.read_text(), tmp.exists()
    ('a,b\\n', False)
    """
    path = Path(path)
    try:
        fd, tmp = _create_temporary(path, f".tmp{path.suffix}")
        os.close(fd)
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        yield tmp
        fsync_path(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise _write_error(path, exc) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _create_temporary(path: Path, suffix: str) -> tuple[int, Path]:
    """A new file beside ``path``, open for writing, with the permissions the umask gives a
    new file (``tempfile.mkstemp`` would make it readable by its owner only)."""
    for _ in range(100):
        tmp = path.parent / f".{path.stem}.{uuid.uuid4().hex[:12]}{suffix}"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                           0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def fsync_path(path: PathLike) -> None:
    """Flush a file or a folder (its list of names) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Raises :class:`~fazhi_nlp.errors.InputError` naming ``path`` on any failure (full disk,
    no permission, missing folder); the temporary file is removed.
    """
    path = Path(path)
    tmp = None
    try:
        fd, tmp = _create_temporary(path, ".tmp")
        with os.fdopen(fd, "wb") as f:
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(f.fileno(), view):]
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise _write_error(path, exc) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def same_file(a: PathLike, b: PathLike) -> bool:
    """True when ``a`` and ``b`` name one file (through symbolic links, ``..`` or hard links),
    whether or not it exists yet.

    >>> same_file("x/../units.csv", "units.csv")
    True
    """
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_encodable(text: str, where: str, *, error: type[FazhiError] = InputError) -> None:
    """Raise ``error`` naming ``where``, the line and the column when ``text`` holds a lone
    surrogate (U+D800-U+DFFF): not a character, so the text cannot be written as UTF-8.

    >>> check_encodable("一、总体情况\\n全年办理\\ud800案件。", "<text>")
    Traceback (most recent call last):
    ...
    fazhi_nlp.errors.InputError: <text>, line 2, column 5: lone surrogate U+D800 (not a character; the text cannot be written as UTF-8); expected valid Unicode text — decode the source with errors='replace'
    """
    found = _SURROGATE.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    raise error(f"{where}, line {line}, column {column}: lone surrogate U+{ord(found.group()):04X} "
                "(not a character; the text cannot be written as UTF-8); expected valid Unicode "
                "text — decode the source with errors='replace'")
