"""Read reports published as Word (.docx) and PDF attachments, as plain text.

Both readers return one paragraph per line. Word text comes from the document body in
order (paragraphs, tables row by row, content controls, tracked insertions), with Word's
automatic list numbers written out so numbered headings keep their ``一、`` or ``1.``.
PDF text is rebuilt from the page layout: running headers, footers and page numbers are
dropped, and lines the PDF wrapped are joined back into paragraphs, across pages too.

The libraries are imported on first use; they come with ``pip install "fazhi-nlp[office]"``.

Examples
--------
>>> import io, docx
>>> document = docx.Document()
>>> for line in ("一、总体情况", "", "全年办理案件12件。"):
...     _ = document.add_paragraph(line)
>>> buffer = io.BytesIO(); document.save(buffer)
>>> docx_to_text(buffer.getvalue())
'一、总体情况\\n全年办理案件12件。'
"""
from __future__ import annotations

import bisect
import io
import re
import statistics
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from typing import Iterator

from .errors import InputError, MissingDependencyError
from .patterns import ENUMERATOR, heading_level
from .types import Removal

_INSTALL = 'pip install "fazhi-nlp[office]"'

# ---------------------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Subtrees whose text is not part of the running body: deleted or moved-away revisions,
# text boxes and drawings (placed freely on the page), and duplicate fallback content.
_SKIPPED = frozenset({_W + "del", _W + "moveFrom", _W + "txbxContent", _W + "pPr", _W + "rPr",
                      _MC_FALLBACK})
_ZIP_KINDS = (("xl/", "an Excel workbook (.xlsx)"), ("ppt/", "a PowerPoint presentation (.pptx)"))
#: A .docx is refused when its parts would inflate past this many megabytes (2**20 bytes) …
MAX_INFLATED_MB = 200
#: … or, past ``RATIO_FLOOR_MB``, to more than this many times the file's size (a zip bomb).
MAX_INFLATION_RATIO = 100
RATIO_FLOOR_MB = 10
#: … or when it holds more parts than this.
MAX_PARTS = 10_000


def docx_to_text(data: bytes, *, name: str = "<bytes>") -> str:
    """Return the text of a Word (.docx) document, one paragraph per line.

    Table rows become one line each, cells separated by a tab. Empty paragraphs, headers,
    footers, footnotes and text boxes are left out. Raises
    :class:`~fazhi_nlp.errors.InputError` naming the file when it is not a readable Word
    document or holds no text, and :class:`~fazhi_nlp.errors.MissingDependencyError` when
    python-docx is not installed.

    Examples
    --------
    >>> import io, docx
    >>> document = docx.Document()
    >>> _ = document.add_paragraph("深入学习", style="List Number")
    >>> table = document.add_table(rows=1, cols=2)
    >>> table.cell(0, 0).text, table.cell(0, 1).text = "行政复议", "12件"
    >>> buffer = io.BytesIO(); document.save(buffer)
    >>> docx_to_text(buffer.getvalue())
    '1. 深入学习\\n行政复议\\t12件'
    """
    try:
        import docx
        from docx.opc.exceptions import OpcError
    except ImportError as exc:
        raise MissingDependencyError(
            f"{name}: reading Word (.docx) files needs python-docx, which is not installed; "
            f"run: {_INSTALL}") from exc
    _check_inflated_size(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document.part)
        lines = [line for block in _blocks(document.element.body, numbering)
                 for line in block.split("\n")]
    except (ValueError, KeyError, SyntaxError, EOFError, OSError, zlib.error, zipfile.BadZipFile,
            OpcError) as exc:
        raise InputError(f"{name}: {_not_word(data, exc)}") from None
    lines = [line.strip() for line in lines]
    text = "\n".join(line for line in lines if line)
    if not text:
        pictures = len(document.element.body.findall(f".//{_W}drawing")) + len(
            document.element.body.findall(f".//{_W}pict"))
        detail = (f"only {pictures} picture(s): the pages may be images of text; OCR needed"
                  if pictures else "it is empty")
        raise InputError(f"{name}: the Word document has no text ({detail})")
    return text


def _check_inflated_size(data: bytes, name: str) -> None:
    """Refuse a .docx whose parts would inflate past the limits, before anything is inflated.

    The sizes the zip declares are what python-docx can get: Python's zipfile stops
    inflating a part at its declared size, and a part that inflates further then fails its
    checksum and the document is reported as damaged. Damaged archives are left to
    python-docx, which names the damage.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return
    if len(parts) > MAX_PARTS:
        raise InputError(f"{name}: the .docx holds {len(parts)} parts, more than the {MAX_PARTS} a Word "
                         "document can plausibly have; refused (a zip bomb or a damaged file)")
    size, packed = sum(part.file_size for part in parts), len(data)
    ratio = size / max(packed, 1)
    if size > MAX_INFLATED_MB << 20 or (size > RATIO_FLOOR_MB << 20 and ratio > MAX_INFLATION_RATIO):
        raise InputError(
            f"{name}: the .docx ({packed / 2**20:.1f} MB) declares that its parts inflate to {size / 2**20:.0f} MB, "
            f"{ratio:.0f} times its size; refused: the limit is {MAX_INFLATED_MB} MB, and {MAX_INFLATION_RATIO} "
            f"times the file's size past {RATIO_FLOOR_MB} MB (a zip bomb, or a document to split into smaller files)")


def _not_word(data: bytes, exc: Exception) -> str:
    """Say what a .docx that python-docx refused actually is."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return ("is not a complete zip archive (truncated or corrupted); "
                "expected a Word .docx file, download or export it again")
    for prefix, kind in _ZIP_KINDS:
        if any(n.startswith(prefix) for n in names):
            return f"is {kind}, not a Word document; expected a .docx file"
    if "mimetype" in names and "content.xml" in names:
        return "is an OpenDocument file (.odt), not a Word document; save it as .docx"
    if "word/document.xml" not in names:
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        return (f"is a zip archive of {len(names)} file(s) ({shown}), not a Word document; "
                "expected a .docx file (extract the archive first if the report is inside)")
    return f"is a damaged Word document ({type(exc).__name__}: {exc}); open and save it again"


def _blocks(parent, numbering: "_Numbering") -> Iterator[str]:
    """Text of the paragraphs and table rows under a body, cell or content control."""
    for child in parent.iterchildren():
        if child.tag == _W + "p":
            label, text = numbering.label(child), _paragraph_text(child)
            yield label + text if text.strip() else ""  # Word numbers empty items too
        elif child.tag == _W + "tbl":
            yield from _table_rows(child, numbering)
        elif child.tag in (_W + "sdt", _W + "customXml"):
            content = child.find(_W + "sdtContent")
            yield from _blocks(child if content is None else content, numbering)


def _table_rows(table, numbering: "_Numbering") -> Iterator[str]:
    """One line per row; a row holding a single cell keeps that cell's paragraphs as lines."""
    for row in table.iterfind(f"{_W}tr"):
        cells = [tc for tc in row.iterfind(f"{_W}tc") if not _continues_merge(tc)]
        texts = [[t for t in _blocks(tc, numbering) if t.strip()] for tc in cells]
        if len(cells) == 1:
            yield from texts[0]
        else:
            line = "\t".join(" ".join(re.sub(r"\s*\n\s*", " ", t.strip()) for t in cell)
                             for cell in texts)
            if line.strip():
                yield line


def _continues_merge(tc) -> bool:
    merge = tc.find(f"{_W}tcPr/{_W}vMerge")
    return merge is not None and merge.get(_W + "val", "continue") == "continue"


def _paragraph_text(p) -> str:
    parts: list[str] = []

    def walk(element) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if tag in _SKIPPED or not isinstance(tag, str):
                continue
            if tag == _W + "t":
                parts.append(child.text or "")
            elif tag == _W + "tab":
                parts.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                parts.append("" if child.get(_W + "type") in ("page", "column") else "\n")
            elif tag == _W + "noBreakHyphen":
                parts.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


class _Numbering:
    """Word's automatic list numbers, counted in document order (best effort).

    Counters follow Word: lists sharing an abstract definition continue one sequence, a
    level restarts when a shallower level advances, bullets add nothing.
    """

    def __init__(self, document_part) -> None:
        self._levels: dict[tuple[str, int], tuple[str, str, int, str]] = {}
        self._abstract_of: dict[str, str] = {}
        self._starts: dict[tuple[str, int], int] = {}
        self._counts: dict[str, list[int]] = {}
        self._style_num: dict[str, tuple[str, int] | None] = {}
        self._styles = self._numbering = None
        for rel in document_part.rels.values():
            if rel.is_external:
                continue
            if rel.reltype.endswith("/numbering"):
                self._numbering = rel.target_part.element
            elif rel.reltype.endswith("/styles"):
                self._styles = rel.target_part.element
        if self._numbering is None:
            return
        for abstract in self._numbering.iterfind(f"{_W}abstractNum"):
            aid = abstract.get(_W + "abstractNumId")
            for lvl in abstract.iterfind(f"{_W}lvl"):
                self._levels[(aid, int(lvl.get(_W + "ilvl", "0")))] = (
                    _val(lvl, "numFmt", "decimal"), _val(lvl, "lvlText", ""),
                    int(_val(lvl, "start", "1")), _val(lvl, "suff", "tab"))
        for num in self._numbering.iterfind(f"{_W}num"):
            nid, aid = num.get(_W + "numId"), _val(num, "abstractNumId", "")
            self._abstract_of[nid] = aid
            for override in num.iterfind(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                if start is not None:
                    self._starts[(nid, int(override.get(_W + "ilvl", "0")))] = int(start.get(_W + "val"))

    def label(self, p) -> str:
        """The list number Word shows before paragraph ``p``, with its separator, or ''."""
        found = self._num_pr(p)
        if found is None:
            return ""
        nid, ilvl = found
        aid = self._abstract_of.get(nid)
        if aid is None or (aid, ilvl) not in self._levels:
            return ""
        counts = self._counts.setdefault(aid, [0] * 9)
        if (nid, ilvl) in self._starts:
            counts[ilvl] = self._starts.pop((nid, ilvl)) - 1
        elif counts[ilvl] == 0:
            counts[ilvl] = self._levels[(aid, ilvl)][2] - 1
        counts[ilvl] += 1
        counts[ilvl + 1:] = [0] * (8 - ilvl)
        fmt, text, _, suffix = self._levels[(aid, ilvl)]
        if fmt in ("bullet", "none") or not text:
            return ""

        def number(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            fmt_here = self._levels.get((aid, level), ("decimal",))[0]
            value = counts[level] or self._levels.get((aid, level), ("", "", 1))[2]
            return _format_number(value, fmt_here)

        marker = re.sub(r"%([1-9])", number, text)
        if suffix == "nothing" or not marker.isascii() or not marker:
            return marker
        return marker + " "

    def _num_pr(self, p) -> tuple[str, int] | None:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is not None:
            nid = _val(num_pr, "numId", None)
            if nid is not None:
                return None if nid == "0" else (nid, _level(num_pr))
        style = p.find(f"{_W}pPr/{_W}pStyle")
        return self._style_numbering(style.get(_W + "val")) if style is not None else None

    def _style_numbering(self, style_id: str, depth: int = 0) -> tuple[str, int] | None:
        if style_id in self._style_num:
            return self._style_num[style_id]
        found = None
        style = None if self._styles is None else next(
            (s for s in self._styles.iterfind(f"{_W}style") if s.get(_W + "styleId") == style_id), None)
        if style is not None:
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            based = style.find(f"{_W}basedOn")
            if num_pr is not None and _val(num_pr, "numId", "0") != "0":
                found = (_val(num_pr, "numId", "0"), _level(num_pr))
            elif based is not None and depth < 10:
                found = self._style_numbering(based.get(_W + "val"), depth + 1)
        self._style_num[style_id] = found
        return found


def _level(num_pr) -> int:
    return min(max(int(_val(num_pr, "ilvl", "0")), 0), 8)


def _val(element, child: str, default):
    found = element.find(_W + child)
    return default if found is None else found.get(_W + "val", default)


_CN_DIGITS = "零一二三四五六七八九"
_CN_FORMATS = {
    "chineseCounting": _CN_DIGITS, "chineseCountingThousand": _CN_DIGITS,
    "japaneseCounting": _CN_DIGITS, "taiwaneseCounting": _CN_DIGITS,
    "ideographDigital": _CN_DIGITS, "chineseLegalSimplified": "零壹贰叁肆伍陆柒捌玖",
}


def _format_number(n: int, fmt: str) -> str:
    """A list counter in one of Word's number formats.

    >>> [_format_number(n, "chineseCounting") for n in (1, 10, 12, 20, 105)]
    ['一', '十', '十二', '二十', '一百零五']
    >>> _format_number(3, "decimalEnclosedCircleChinese"), _format_number(4, "lowerRoman")
    ('③', 'iv')
    """
    if fmt in _CN_FORMATS and 0 < n < 1000:
        digits = _CN_FORMATS[fmt]
        ten, hundred = ("拾", "佰") if fmt == "chineseLegalSimplified" else ("十", "百")
        h, t, u = n // 100, n // 10 % 10, n % 10
        out = (digits[h] + hundred) if h else ""
        if t:
            out += ("" if t == 1 and not h and fmt != "chineseLegalSimplified" else digits[t]) + ten
        elif h and u:
            out += digits[0]
        return out + (digits[u] if u else "")
    if fmt == "ideographTraditional" and 0 < n <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[n - 1]
    if fmt.startswith("decimalEnclosedCircle") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 0 < n < 4000:
        roman = ""
        for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                               (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                               (5, "V"), (4, "IV"), (1, "I")):
            count, n = divmod(n, value)
            roman += numeral * count
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


# ---------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------

_OPENING = "‘“《（(〈「『【[〔"
_CLOSING = "，。、；：！？’”》）)〉」』】]〕,.;:!?%…"
_QUOTES = "‘’“”\"'"
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.·+-/%_&@#")
_SENTENCE_END = re.compile(r"[。！？；：.!?;:][”’」』）)》】〕\"']*$")
_CN = "一二三四五六七八九十百"
_PAGE_NUMBER = re.compile(
    rf"^(?:[-—–－_~·•*\s]*\d{{1,4}}[-—–－_~·•*\s]*|第\s*[\d{_CN}]+\s*页(?:\s*[,，/、]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页|\d+\s*/\s*\d+|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?)$",
    re.IGNORECASE)
_EDGE_LINES = 2  # lines at the top and at the bottom of a page checked for furniture


@dataclass(frozen=True)
class _Line:
    """One text line of a PDF page, with the geometry paragraph joining needs."""

    text: str
    x0: float
    x1: float
    top: float
    size: float
    lead: float  # width of the first unbreakable piece of the line (e.g. "“法" or "2022")
    page: int
    width: float  # width of the page, to group pages of one layout


@dataclass(frozen=True)
class _Page:
    lines: tuple[_Line, ...]
    pictured: bool  # has images or vector drawings


def pdf_to_text(data: bytes, *, name: str = "<bytes>") -> str:
    """Return the text of a PDF report, one paragraph per line.

    Lines that recur at the top or bottom of most pages (running headers, footers) and
    page numbers (``- 3 -``, ``第3页``, ``3/10``, ``3``) are dropped. A line break is a
    paragraph break where the line stops short of the right margin, the next line starts a
    numbered heading (``一、`` ``（一）`` ``1.`` …) or the font size changes, except inside a
    title set large (or centred) over several lines, which is joined. Otherwise, when
    the document indents its paragraphs, a break is where the next line is indented; when
    it does not, where the line ends a sentence (。！？；： or their ASCII forms, perhaps
    before a closing quote or bracket) or the next line starts with ``一是`` or ``第一，``.
    Every other break was made by the PDF's line wrapping and is joined, across pages too.

    Raises :class:`~fazhi_nlp.errors.InputError` naming the file when the PDF is
    encrypted, damaged, or has no text layer (a scan: OCR needed), and
    :class:`~fazhi_nlp.errors.MissingDependencyError` when pdfplumber is not installed.
    Pages that are only pictures inside an otherwise textual PDF give a warning.

    Examples
    --------
    >>> import io
    >>> from reportlab.pdfgen.canvas import Canvas
    >>> from reportlab.pdfbase import pdfmetrics
    >>> from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    >>> pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    >>> buffer = io.BytesIO(); canvas = Canvas(buffer)
    >>> canvas.setFont("STSong-Light", 12)
    >>> for y, line in ((760, "一、总体情况"), (740, "全年共办理行政复议案件"), (725, "12件。"), (60, "- 1 -")):
    ...     canvas.drawString(72, y, line)
    >>> canvas.save()
    >>> pdf_to_text(buffer.getvalue())
    '一、总体情况\\n全年共办理行政复议案件12件。'
    """
    return pdf_with_removals(data, name=name)[0]


def pdf_with_removals(data: bytes, *, name: str = "<bytes>") -> tuple[str, tuple[Removal, ...]]:
    """The text of a PDF report (as :func:`pdf_to_text`) and a record of each running
    header, footer and page number left out: stage ``"read"``, ``line`` 0 and the page in
    ``reason``.

    >>> import io
    >>> from reportlab.pdfgen.canvas import Canvas
    >>> buffer = io.BytesIO(); canvas = Canvas(buffer)
    >>> for number, body in ((1, "Cases were heard."), (2, "All were closed.")):
    ...     canvas.drawString(72, 800, "Annual report"); canvas.drawString(72, 700, body)
    ...     canvas.drawString(290, 40, str(number)); canvas.showPage()
    >>> canvas.save()
    >>> text, removed = pdf_with_removals(buffer.getvalue())
    >>> text
    'Cases were heard.\\nAll were closed.'
    >>> [(r.kind, r.text, r.line, r.reason) for r in removed]  # doctest: +NORMALIZE_WHITESPACE
    [('page_header', 'Annual report', 0, 'page 1: running header repeated on 2 of 2 pages'),
     ('page_number', '1', 0, 'page 1: page number'),
     ('page_header', 'Annual report', 0, 'page 2: running header repeated on 2 of 2 pages'),
     ('page_number', '2', 0, 'page 2: page number')]
    """
    pages = _read_pdf(data, name)
    if not pages:
        raise InputError(f"{name}: the PDF has no pages")
    body, removed = _drop_furniture(pages)
    textless = [i + 1 for i, lines in enumerate(body) if not lines]
    if len(textless) == len(pages):
        raise InputError(f"{name}: the PDF's {len(pages)} page(s) have no text layer; OCR needed "
                         "(the pages are images, e.g. a scan): run OCR first, for example with "
                         "ocrmypdf, or supply the report as text")
    pictured = [n for n in textless if pages[n - 1].pictured]
    if pictured:
        warnings.warn(f"{name}: page(s) {', '.join(map(str, pictured))} of {len(pages)} are images "
                      "with no text layer; their text is missing (OCR needed)", stacklevel=2)
    return "\n".join(_paragraphs([line for lines in body for line in lines])), removed


def _read_pdf(data: bytes, name: str) -> list[_Page]:
    """The PDF's text lines, page by page (the only part that talks to pdfplumber)."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError as exc:
        raise MissingDependencyError(
            f"{name}: reading PDF files needs pdfplumber, which is not installed; "
            f"run: {_INSTALL}") from exc
    raw_pages: list[tuple[list[dict], bool, float]] = []
    unmapped = total = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                chars = [c for c in page.chars if c["text"].strip()]
                bad = sum(c["text"].startswith("(cid:") for c in chars)
                unmapped, total = unmapped + bad, total + len(chars)
                readable = page.filter(_decodable) if bad else page
                raw_pages.append((readable.dedupe_chars().extract_text_lines(strip=True),
                                  bool(page.images or page.curves), float(page.width)))
                page.close()  # frees the page's parsed objects: long reports stay small
    except Exception as exc:  # pdfminer fails on damaged files in many ways; all mean the same
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputError(f"{name}: the PDF is encrypted with a password; "
                             "supply an unencrypted copy") from None
        if isinstance(cause, PDFEncryptionError):
            raise InputError(f"{name}: the PDF is encrypted in a way that cannot be read "
                             f"({cause}); supply an unencrypted copy") from None
        raise InputError(f"{name}: cannot be read as a PDF; it may be truncated or damaged "
                         f"({type(cause).__name__}: {cause}); download or export it again") from None
    if total and unmapped * 2 > total:
        raise InputError(f"{name}: the PDF's fonts have no Unicode map ({unmapped} of {total} "
                         "characters cannot be decoded), so its text layer is unreadable; OCR needed")
    pages = []
    for number, (raw_lines, pictured, width) in enumerate(raw_pages, start=1):
        lines = (_line(raw, number, width) for raw in raw_lines)
        pages.append(_Page(tuple(line for line in lines if line.text), pictured))
    return pages


def _decodable(obj: dict) -> bool:
    """False for a character pdfminer could not map to Unicode (shown as "(cid:123)")."""
    return not (obj.get("object_type") == "char" and obj["text"].startswith("(cid:"))


def _line(raw: dict, page: int, width: float) -> _Line:
    chars = [c for c in raw["chars"] if c["text"].strip()]
    sizes = [float(c["size"]) for c in chars] or [float(raw["bottom"] - raw["top"])]
    return _Line(text=raw["text"].strip(), x0=float(raw["x0"]),
                 x1=float(raw["x1"]), top=float(raw["top"]), size=statistics.median(sizes),
                 lead=_lead_width(chars), page=page, width=width)


def _lead_width(chars: list[dict]) -> float:
    """Width of the piece a line breaker cannot split off the start of a line.

    A line may not break after an opening mark, before a closing mark, on either side of a
    quotation mark, or inside a run of ASCII letters, digits and number signs.
    """
    texts = [c["text"] for c in chars]
    end = 0
    while end + 1 < len(texts) and _glued(texts[end], texts[end + 1]):
        end += 1
    return float(chars[end]["x1"]) - float(chars[0]["x0"]) if chars else 0.0


def _glued(left: str, right: str) -> bool:
    """True when no line break may fall between two characters.

    >>> _glued("务", "“"), _glued("“", "一"), _glued("2", "0"), _glued("一", "窗")
    (True, True, True, False)
    """
    return (left in _OPENING or right in _CLOSING or left in _QUOTES or right in _QUOTES
            or (left in _WORD and right in _WORD))


def _drop_furniture(pages: list[_Page]) -> tuple[list[list[_Line]], tuple[Removal, ...]]:
    """Body lines of each page, and a record of its running headers, footers and page numbers.

    A line is furniture when the same text (digits aside) sits at the same height among the
    first or last lines of at least half the pages (two at least), or when it is a page
    number among those lines.
    """
    edges = [page.lines[:_EDGE_LINES] + page.lines[-_EDGE_LINES:] for page in pages]
    seen: dict[str, list[_Line]] = {}
    for lines in edges:
        for line in set(lines):
            seen.setdefault(_furniture_key(line.text), []).append(line)
    needed = max(2, (len(pages) + 1) // 2)
    furniture: dict[_Line, str] = {}
    for occurrences in seen.values():
        if len({line.page for line in occurrences}) < needed:
            continue
        middle = statistics.median(line.top for line in occurrences)
        same_place = [line for line in occurrences if abs(line.top - middle) <= line.size]
        places = len({line.page for line in same_place})
        if places >= needed:
            furniture.update((line, f"running {{}} repeated on {places} of {len(pages)} pages")
                             for line in same_place)
    furniture.update((line, "page number") for lines in edges for line in lines
                     if _is_page_number(line.text, len(pages)))
    removed = []
    for page in pages:
        middle = len(page.lines) / 2
        for i, line in enumerate(page.lines):
            if line in furniture:
                kind = "page_number" if furniture[line] == "page number" else \
                    "page_header" if i < middle else "page_footer"
                place = kind.split("_")[1]
                removed.append(Removal("read", kind, line.text, 0,
                                       f"page {line.page}: {furniture[line].format(place)}"))
    return [[line for line in page.lines if line not in furniture] for page in pages], tuple(removed)


def _is_page_number(text: str, pages: int) -> bool:
    """True for a page number of a document with ``pages`` pages (not a year or a date).

    >>> [_is_page_number(t, 10) for t in ("- 3 -", "共10页 第3页", "3/10", "2025", "03/28")]
    [True, True, True, False, False]
    """
    if not _PAGE_NUMBER.match(text):
        return False
    numbers = [int(n) for n in re.findall(r"\d+", text)] or [1]
    return 1 <= min(numbers) and max(numbers) <= pages + 2


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Join wrapped lines into paragraphs (see :func:`pdf_to_text` for the rule)."""
    if not lines:
        return []
    layouts = {}
    for width in {line.width for line in lines}:
        same = [line for line in lines if line.width == width]
        tolerance = statistics.median(line.size for line in same) / 2
        layouts[width] = (_common_edge([line.x0 for line in same], tolerance, highest=False),
                          _common_edge([line.x1 for line in same], tolerance, highest=True))

    def indented(line: _Line) -> bool:
        return line.x0 - layouts[line.width][0] >= 1.5 * line.size

    def short(line: _Line, following: _Line) -> bool:
        return layouts[line.width][1] - line.x1 > following.lead + 0.25 * line.size

    body_size = statistics.median(line.size for line in lines)

    def centred(line: _Line) -> bool:
        left, right = layouts[line.width]
        return line.x0 - left >= line.size and abs((line.x0 - left) - (right - line.x1)) <= line.size

    def title_wraps(a: _Line, b: _Line) -> bool:
        """A title set large, or centred, that runs on from one line to the next."""
        if _SENTENCE_END.search(a.text) or heading_level(b.text) is not None or a.page != b.page \
                or abs(a.size - b.size) > 0.1 * a.size or not 0 < b.top - a.top <= 2.5 * a.size:
            return False
        left, right = layouts[a.width]
        return a.size >= 1.15 * body_size or (
            centred(a) and centred(b) and a.x1 - a.x0 >= 0.6 * (right - left))

    pairs = list(zip(lines, lines[1:]))
    ends = [b for a, b in pairs if _SENTENCE_END.search(a.text) and short(a, b)]
    # Paragraphs start indented when the lines after clear paragraph ends mostly are.
    indents = len(ends) >= 2 and sum(map(indented, ends)) >= 0.8 * len(ends)

    def breaks(a: _Line, b: _Line) -> bool:
        if title_wraps(a, b):
            return False
        if short(a, b) or heading_level(b.text) is not None or abs(a.size - b.size) > 0.1 * a.size:
            return True
        if indents:  # the layout shows where paragraphs start
            return indented(b)
        return bool(_SENTENCE_END.search(a.text) or ENUMERATOR.match(b.text))

    paragraphs = [lines[0].text]
    for a, b in pairs:
        if breaks(a, b):
            paragraphs.append(b.text)
        else:
            paragraphs[-1] += _glue(paragraphs[-1], b.text) + b.text
    return paragraphs


def _glue(paragraph: str, line: str) -> str:
    """What joins a wrapped line to its paragraph: a space between two English words,
    nothing inside Chinese text or a web address (which wraps anywhere).

    >>> _glue("Internet", "Plus"), _glue("全年办理", "案件"), _glue("见https://www.gov.cn/a1", "23.html")
    (' ', '', '')
    """
    if not (_is_word_char(paragraph[-1]) and _is_word_char(line[0])):
        return ""
    token = paragraph[-300:].rsplit(None, 1)[-1].lower()
    return "" if "://" in token or "www." in token else " "


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _common_edge(values: list[float], tolerance: float, *, highest: bool) -> float:
    """The outermost position that at least a fifth of the lines share (a text margin).

    >>> _common_edge([72, 72, 96, 72, 300], 12, highest=False)
    72
    >>> _common_edge([500, 498, 120, 499, 620], 12, highest=True)
    500
    """
    ordered = sorted(values)
    needed = max(2, len(values) // 5)
    for value in (reversed(ordered) if highest else ordered):
        near = (bisect.bisect_right(ordered, value + tolerance)
                - bisect.bisect_left(ordered, value - tolerance))
        if near >= needed:
            return value
    return ordered[-1] if highest else ordered[0]
