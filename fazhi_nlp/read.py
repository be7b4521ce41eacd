"""Read a report from a path, bytes or a string, as text.

Encodings are detected at this edge: UTF-8 (with or without BOM), UTF-16 with BOM and
GB18030 (a superset of GBK and GB2312). HTML becomes its visible text with paragraph
breaks kept. Word (.docx) and PDF files are recognised by their content and read by
:mod:`fazhi_nlp.office`.

Examples
--------
>>> read_report("<p>一、总体情况</p><script>x()</script><p>特此报告。</p>")
'一、总体情况\\n特此报告。'
>>> read_report("2022年工作报告".encode("gb18030"))
'2022年工作报告'
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Optional

from .errors import InputError
from .files import read_bytes
from .types import Removal, ReportSource
from .webpage import encodable, html_to_text, page_text

__all__ = ["INPUT_KINDS", "REPORT_SUFFIXES", "decode", "html_to_text", "looks_like_html",
           "looks_like_path", "path_of", "read_report", "read_with_removals", "text_from_bytes"]

#: File endings of the reports a folder scan picks up (content, not the ending, decides how a file is read).
REPORT_SUFFIXES = (".txt", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf")
_PATH_SUFFIXES = REPORT_SUFFIXES + (".text", ".md")
# An HTML element name at the start of a page (after any comments, which the caller skips).
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|(?:html|head|body|meta|link|title|style|script|base|div|p|span|font|center|table|tr|td|"
    r"th|tbody|ul|ol|li|dl|dt|dd|h[1-6]|section|article|main|header|footer|nav|aside|form|img|a|b|i|u|em|"
    r"strong|br|hr|pre|blockquote|iframe|noscript|label|input|button|select|figure|small|sup|sub|o:p)"
    r"(?=[\s/>]))", re.IGNORECASE)
# A tag that closes or breaks a block, as pasted fragments carry them.
_BLOCK_TAG = re.compile(r"</(?:p|div|td|tr|li|h[1-6]|table|span|font)\s*>|<br[\s/]*>", re.IGNORECASE)
_BLANKS = re.compile(r"[\ufeff\s]*")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_NOT_IN_PATHS = re.compile(r"[<>\n\x00，。：；！？、“”（）]")  # a NUL is never in a file name


def looks_like_path(text: str) -> bool:
    """True when a string is meant as a file name rather than report text.

    A string of one line that names an existing file, or has a path separator or a report
    file ending and no sentence punctuation, is a file name: a mistyped path then gives
    "no such file" rather than a one-unit report whose text is the path.

    >>> looks_like_path("reports/2022.txt"), looks_like_path("reports/2022/"), looks_like_path("一、总体情况")
    (True, True, False)
    >>> looks_like_path("https://www.example.gov.cn/a.html"), looks_like_path("详见附件：实施方案.pdf")
    (False, False)
    """
    if len(text) > 1024 or not text.strip() or "://" in text:
        return False
    if os.path.exists(text):
        return True
    if _NOT_IN_PATHS.search(text.strip()):
        return False
    return text.lower().endswith(_PATH_SUFFIXES) or "/" in text or "\\" in text


#: How a ``str`` source is read: guessed (``"auto"``), always report text, or always a file name.
INPUT_KINDS = ("auto", "content", "filename")


def path_of(source: ReportSource, input: str = "auto") -> Optional[Path]:
    """The file a source names, or None when it is bytes or report text.

    ``input`` says how to read a ``str``, as scikit-learn's text vectorizers do:
    ``"content"`` (the report's text), ``"filename"`` (a path), or ``"auto"`` (a path when
    :func:`looks_like_path`).

    >>> path_of("reports/2022.txt"), path_of("一、总体情况")
    (PosixPath('reports/2022.txt'), None)
    >>> path_of("reports/2022.txt", input="content") is None
    True
    """
    if input not in INPUT_KINDS:
        raise InputError(f"input must be one of {list(INPUT_KINDS)}, got {input!r}")
    if isinstance(source, os.PathLike):
        if input == "content":
            raise InputError(f"{source}: a path was given with input='content'; pass the text itself")
        return Path(source)
    if isinstance(source, str) and input != "content":
        return Path(source) if input == "filename" or looks_like_path(source) else None
    if input == "filename" and isinstance(source, (bytes, bytearray, memoryview)):
        raise InputError("input='filename' needs a path, got bytes")
    return None


def read_report(source: ReportSource, *, name: str | None = None, input: str = "auto") -> str:
    """Return the text of a report given as a path, raw bytes or a string.

    A string is taken as a path when it looks like one (see :func:`looks_like_path`),
    otherwise as the report's text; ``input="content"`` or ``"filename"`` says which it is
    (see :func:`path_of`). Raises :class:`~fazhi_nlp.errors.InputError` naming the file and
    what was tried when the input cannot be decoded.
    """
    return read_with_removals(source, name=name, input=input)[0]


def read_with_removals(source: ReportSource, *, name: str | None = None,
                       input: str = "auto") -> tuple[str, tuple[Removal, ...]]:
    """The text of a report (as :func:`read_report`) and a record of what reading left out.

    The records (stage ``"read"``) are the elements an HTML page does not show (scripts,
    styles, site navigation, hidden elements; ``line`` is the line of the HTML source) and
    a PDF's running headers, footers and page numbers (``line`` 0, the page in ``reason``).

    >>> text, removed = read_with_removals("<p>一、总体情况</p><nav>首页 | 政务公开</nav>")
    >>> text, [(r.stage, r.kind, r.text, r.line) for r in removed]
    ('一、总体情况', [('read', 'navigation', '首页 | 政务公开', 1)])
    """
    path = path_of(source, input)
    if path is not None:
        try:
            os.fsencode(path)
        except UnicodeEncodeError as exc:
            shown = str(path).encode("utf-8", "backslashreplace").decode("utf-8")
            raise InputError(f"{shown}: the file name holds a lone surrogate ({exc.object[exc.start]!a}), which "
                             "no file name can; pass report text with input='content'") from None
        data = read_bytes(path, hint=" (to process text that looks like a file name, "
                                     "pass input='content')")
        return _from_bytes(data, name or str(path))
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _from_bytes(bytes(source), name or "<bytes>")
    if isinstance(source, str):
        name = name or "<text>"
        encodable(source, name)
        return page_text(source, name=name) if looks_like_html(source) else (source, ())
    raise InputError(f"{name or '<input>'}: expected a path, bytes or str, got {type(source).__name__}")


def text_from_bytes(data: bytes, *, name: str = "<bytes>") -> str:
    """Decode report bytes (plain text, HTML, .docx or PDF) into text."""
    return _from_bytes(data, name)[0]


def _from_bytes(data: bytes, name: str) -> tuple[str, tuple[Removal, ...]]:
    if data.startswith(b"%PDF-"):
        from .office import pdf_with_removals
        text, removed = pdf_with_removals(data, name=name)
        encodable(text, name)  # a broken ToUnicode map can give half a UTF-16 pair
        return text, removed
    if data.startswith(b"PK\x03\x04"):
        from .office import docx_to_text
        return docx_to_text(data, name=name), ()
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise InputError(f"{name}: is an old binary Office file (.doc/.xls); save it as .docx and read that")
    text = decode(data, name=name)
    return page_text(text, name=name) if looks_like_html(text) else (text, ())


def looks_like_html(text: str) -> bool:
    """True when report text is an HTML page or fragment rather than plain text.

    HTML starts (after blanks, an XML declaration and any number of comments) with a
    doctype or an HTML element, or has tags closing blocks (``</p>``, ``<br>``, ``</div>`` …)
    on at least half of its first lines. The scan is linear in the text's length.

    >>> looks_like_html("<h1>一、总体情况</h1>"), looks_like_html("<!-- x -->" * 40 + "<center>")
    (True, True)
    >>> looks_like_html("一、总体情况<br>\\n全年办结12件。</p>"), looks_like_html("PM2.5<35微克")
    (True, False)
    """
    position = _BLANKS.match(text).end()
    if text.startswith("<?xml", position):
        end = text.find("?>", position)
        position = len(text) if end < 0 else end + 2
    comments = 0
    while True:
        position = _BLANKS.match(text, position).end()
        if not text.startswith("<!--", position):
            break
        comments += 1
        end = text.find("-->", position + 4)
        if end < 0:
            return True  # an unclosed comment: a browser shows nothing
        position = end + 3
    if _HTML_START.match(text, position) or (comments and position == len(text)):
        return True
    lines = [line for line in text[:65536].split("\n")[:200] if line.strip()]
    tagged = sum(bool(_BLOCK_TAG.search(line)) for line in lines)
    return tagged >= 2 and 2 * tagged >= len(lines)


def decode(data: bytes, *, name: str = "<bytes>") -> str:
    """Decode bytes as UTF-8 (BOM optional), UTF-16 (BOM) or GB18030, refusing binary data.

    >>> decode("法治".encode("utf-8-sig"))
    '法治'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _try(data, "utf-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = _try(data, "utf-8-sig")
        if text is None:
            raise InputError(f"{name}: starts with a UTF-8 byte-order mark but {_utf8_problem(data)}")
    else:
        text = _try(data, "utf-8")
        if text is None:
            if _mostly_utf8(data):
                raise InputError(f"{name}: looks like UTF-8 but {_utf8_problem(data)}; "
                                 "the file may be truncated or corrupted")
            text = _try(data, "gb18030")
    if text is None:
        raise InputError(f"{name}: cannot be decoded as text; tried UTF-8, UTF-8 with BOM, "
                         f"UTF-16 with BOM and GB18030/GBK (as UTF-8 it {_utf8_problem(data)})")
    if _looks_binary(text):
        raise InputError(f"{name}: looks like a binary file, not text (many control characters)")
    return text


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _mostly_utf8(data: bytes) -> bool:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return bad > 0 and sum(ord(c) > 0x2E80 for c in text) > 10 * bad


def _utf8_problem(data: bytes) -> str:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        if exc.reason == "unexpected end of data":
            return f"ends in the middle of a character (byte {exc.start}, line {line})"
        return f"has an invalid byte at offset {exc.start} (line {line})"
    return "is not valid"


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if "\x00" in sample:
        return True
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)
