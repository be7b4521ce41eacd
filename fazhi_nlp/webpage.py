"""The visible text of an HTML page, with a record of every element left out.

Pages are parsed by lxml (libxml2's HTML parser: linear in the page's size, and tolerant
of what government sites publish: fragments, pages without ``</head>``, Word's
``<![if !supportLists]>``, stray ``<`` in text, unclosed tags). Each block element (``<p>``,
``<div>``, ``<td>``, ``<br>`` …) gives a line; inline markup (``<span>``, ``<b>``, ``<a>``)
stays within its line; ``<pre>`` keeps its line breaks.

Left out, each with a :class:`~fazhi_nlp.types.Removal` (stage ``"read"``, the element's
text exactly as the page holds it, the line of the HTML source its start tag is on, and a
kind: ``script``, ``style``, ``title``, ``embedded``, ``header``, ``navigation``,
``footer`` or ``hidden``):
scripts and styles, the ``<title>`` (the report's own title is read from the text), embedded
objects, site navigation (``<nav>``, dropdown menus, ``role="navigation"``, ``<header>`` /
``<footer>`` that belong to the page rather than to an article, and blocks whose class or
id names them: ``class="nav"``, ``id="footer"``, ``class="crumb"`` …) and hidden elements
(``hidden``, ``display:none``, ``visibility:hidden``). A navigation or hidden element that
holds report prose (a sentence of 15 characters or more ending in 。！？), a report's title
(a year, then 报告 or 总结) or an ``<h1>`` is kept: a collapsed "read more" section or an
article header is still the report.

Examples
--------
>>> text, removed = page_text('<nav><a href="/">首页</a></nav><h1>一、总体情况</h1>'
...                           '<p>全年办结<b>12</b>件。<br>特此报告。</p><script>x()</script>')
>>> print(text)
一、总体情况
全年办结12件。
特此报告。
>>> [(r.kind, r.text, r.line) for r in removed]
[('navigation', '首页', 1), ('script', 'x()', 1)]
"""
from __future__ import annotations

import re
from typing import Optional

from .files import check_encodable
from .errors import InputError
from .types import Removal

__all__ = ["MAX_DEPTH", "encodable", "html_to_text", "page_text"]

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr legend li main menu nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul".split())
# Elements never shown as text, by kind of record.
_NOT_TEXT = {"script": "script", "noscript": "script", "template": "script", "style": "style",
             "title": "title", "svg": "embedded", "math": "embedded", "iframe": "embedded",
             "object": "embedded", "embed": "embedded", "canvas": "embedded", "audio": "embedded",
             "video": "embedded", "select": "navigation", "datalist": "navigation"}
# ARIA landmark roles of a site's banner, menus and footer, by kind of record.
_ROLES = {"banner": "header", "navigation": "navigation", "menubar": "navigation", "menu": "navigation",
          "contentinfo": "footer"}
_SECTIONING = frozenset({"article", "main", "section", "aside"})
# Words that name a site's navigation blocks in class and id attributes (``class="nav"``,
# ``id="footer"``, ``class="g-crumb"``; dqwz is 当前位置, the breadcrumb trail).
_NAMES = {**dict.fromkeys("nav navbar navigation menu mainmenu crumb crumbs breadcrumb bread position "
                           "location dqwz".split(), "navigation"),
          "header": "header", **dict.fromkeys("footer foot copyright".split(), "footer")}
_NAME_PARTS = re.compile(r"[\s_-]+")
_WHOLE_PAGE = frozenset({"html", "body", "main", "article", "form"})  # never left out for their class
# A report's title: a year, then within a short line 报告 or 总结 (年度报告, 工作总结 …).
_REPORT_TITLE = re.compile(r"(?:19|20)\d\d[^\n。]{0,40}?(?:报告|总结)")
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)",
                           re.IGNORECASE)
_PROSE = re.compile(r"[^。！？!?\n]{15}[。！？]")
_SPACE = re.compile(r"[ \t\r\n\f]+")
# Tags that only style text; a page nested too deep by unclosed ones is read without them.
_INLINE_TAG = re.compile(r"</?(?:span|font|b|i|u|s|em|strong|small|big|sup|sub|a|abbr|cite|code|mark|q|tt|var|"
                         r"strike|ins|label|o:p)(?=[\s/>])[^<>]*>", re.IGNORECASE)
_REASONS = {
    "script": "script or template code, not shown on the page",
    "style": "style sheet, not shown on the page",
    "title": "the page's <title> (the browser tab; the report title is read from the text)",
    "embedded": "embedded object or drawing",
    "header": "site banner above the page's content",
    "navigation": "site navigation (menu, breadcrumb trail)",
    "footer": "site footer",
    "hidden": "hidden element, not shown on the page",
}
#: libxml2 stores line numbers up to this value; later lines are found in the source.
_LAST_STORED_LINE = 65535
#: libxml2 stops at this nesting depth (with huge_tree; 256 without).
MAX_DEPTH = 2048


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block element per line, scripts and styles dropped.

    >>> html_to_text("<div>一、总体<b>情况</b></div><style>p{}</style><br>特此报告。")
    '一、总体情况\\n特此报告。'
    """
    return page_text(html)[0]


def page_text(html: str, *, name: str = "<html>") -> tuple[str, tuple[Removal, ...]]:
    """The visible text of a page and a record of each element left out (see the module).

    A page whose unclosed tags nest deeper than :data:`MAX_DEPTH` (where libxml2 stops)
    is read again without its inline tags (``<span>``, ``<font>``, ``<b>`` …, which only
    style text); when even that is too deep, :class:`~fazhi_nlp.errors.InputError` names
    ``name`` and the line. A lone surrogate in ``html`` is an InputError too.
    """
    data = encodable(html.lstrip("\ufeff"), name)
    if not data.strip():
        return "", ()
    root, too_deep = _parse(data)
    if too_deep:
        flat = _INLINE_TAG.sub(lambda tag: "\n" * tag.group().count("\n"), html)
        root, still = _parse(encodable(flat.lstrip("\ufeff"), name))
        if still:
            raise InputError(f"{name}: elements are nested more than {MAX_DEPTH} deep (line {too_deep}); "
                             "the page cannot be read whole: save it as text or close its tags")
    if root is None:  # only comments or a doctype
        return "", ()
    return _Walk(html).run(root)


def encodable(text: str, name: str) -> bytes:
    """``text`` as UTF-8, or :class:`~fazhi_nlp.errors.InputError` naming ``name``, the line
    and the column when it holds a lone surrogate (see :func:`fazhi_nlp.files.check_encodable`).

    >>> encodable("法治\\ud800政府", "<text>")
    Traceback (most recent call last):
    ...
    fazhi_nlp.errors.InputError: <text>, line 1, column 3: lone surrogate U+D800 ...
    """
    check_encodable(text, name)
    return text.encode("utf-8")


def _parse(data: bytes):
    """The parsed page (None when it holds no element) and the line where it nested too
    deep (0 when it did not)."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, default_doctype=False)
    root = lxml.etree.fromstring(data, parser)
    deep = next((error.line or 1 for error in parser.error_log if "Excessive depth" in error.message), 0)
    return root, deep


def _named_navigation(element) -> Optional[str]:
    """The kind of navigation block an element's class or id names (``class="nav"``), or None.

    >>> import lxml.html
    >>> [_named_navigation(lxml.html.fragment_fromstring(f'<div {a}>x</div>'))
    ...  for a in ('class="g-nav clearfix"', 'id="footer"', 'class="TRS_Editor"', 'class="navy"')]
    ['navigation', 'footer', None, None]
    """
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    if not names.strip():
        return None
    return next((_NAMES[part] for part in _NAME_PARTS.split(names) if part in _NAMES), None)


class _Walk:
    """One pass over the parsed page, in document order, without recursion."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.removed: list[Removal] = []
        self.pre = 0
        self.sectioning = 0
        self.kept: set = set()  # navigation or hidden blocks kept for the report they hold
        self._cursor = -1  # where to look for start tags past the last stored line
        self._cursor_line = 0

    def run(self, root) -> tuple[str, tuple[Removal, ...]]:
        import lxml.etree

        walk = lxml.etree.iterwalk(root, events=("start", "end", "comment", "pi"))
        skipped = set()
        for event, element in walk:
            tag = element.tag.lower() if isinstance(element.tag, str) else ""
            if event == "start":
                kind = self._left_out(element, tag)
                if kind is None:
                    self._open(element, tag)
                else:
                    self._record(element, tag, kind)
                    walk.skip_subtree()
                    skipped.add(element)
                continue
            if event == "end" and element not in skipped:
                self._close(tag)
            skipped.discard(element)
            self.kept.discard(element)
            self._add(element.tail)  # after the element; comments give only their tail
        lines = (line.strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line), tuple(self.removed)

    def _open(self, element, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "pre":
            self.pre += 1
        if tag in _SECTIONING:
            self.sectioning += 1
        self._add(element.text)

    def _close(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "pre":
            self.pre -= 1
        if tag in _SECTIONING:
            self.sectioning -= 1

    def _add(self, text: Optional[str]) -> None:
        if text:
            self.parts.append(_SPACE.sub(" ", text) if not self.pre else
                              "\n".join(_SPACE.sub(" ", t) for t in text.replace("\r\n", "\n").split("\n")))

    def _left_out(self, element, tag: str) -> Optional[str]:
        """The kind of record an element is left out as, or None to read it."""
        if tag in _NOT_TEXT:
            return _NOT_TEXT[tag]
        if not tag:
            return None
        kind = "navigation" if tag == "nav" else _ROLES.get((element.get("role") or "").strip().lower())
        if kind is None and tag in ("header", "footer") and not self.sectioning:
            kind = tag
        if kind is None and tag not in _WHOLE_PAGE:
            kind = _named_navigation(element)
        if kind is None and (element.get("hidden") is not None or _HIDDEN_STYLE.search(element.get("style") or "")):
            kind = "hidden"
        if kind is None or self.kept:  # inside a block kept for its report text, everything is read
            return None
        text = element.text_content()
        if (kind != "hidden" and element.find(".//h1") is not None) or _PROSE.search(text) \
                or _REPORT_TITLE.search(text):
            self.kept.add(element)  # the page's own title or text sits in it
            return None
        return kind

    def _record(self, element, tag: str, kind: str) -> None:
        attributes = " ".join(f'{k}="{element.get(k)[:60]}"' for k in ("id", "class", "role", "hidden", "style")
                              if element.get(k) is not None)
        shown = f"<{tag}{' ' + attributes if attributes else ''}>"
        self.removed.append(Removal("read", kind, element.text_content(), self._line(element, tag),
                                    f"{shown}: {_REASONS[kind]}"))

    def _line(self, element, tag: str) -> int:
        """The source line of an element's start tag (libxml2 stores lines up to 65535)."""
        line = element.sourceline or 0
        if line < _LAST_STORED_LINE:
            return line
        if self._cursor < 0:  # start at the last line libxml2 numbered
            self._cursor, self._cursor_line = 0, 1
            for _ in range(_LAST_STORED_LINE - 1):
                self._cursor = self.source.index("\n", self._cursor) + 1
            self._cursor_line = _LAST_STORED_LINE
        found = re.compile(rf"<{re.escape(tag)}[\s/>]", re.IGNORECASE).search(self.source, self._cursor)
        if found is None:
            return self._cursor_line
        self._cursor_line += self.source.count("\n", self._cursor, found.start())
        self._cursor = found.end()
        return self._cursor_line
