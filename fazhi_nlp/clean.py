"""Take page furniture out of a report's text, keeping a record of what was removed.

Furniture is recognised by its shape, not by one site's strings (the shapes live in
:mod:`fazhi_nlp.furniture`): breadcrumb trails (``首页 > 政务公开 > …``), metadata fields and
tables, bracketed or bulleted (``发布日期:``, ``[ 索引号 ] …``, ``• 浏览量：``), bylines
(``市司法局 2022年02月15日``), widgets (``分享``, ``打印 关闭``, ``字体: [ 大 中 小 ]``, ``简体 繁体
无障碍``), site names, menus and banners above or below the text, trailers and footers
(``附件下载>>``, ``标签:``, ``版权所有``), bare dates, document numbers, link lines and Word
artefacts such as ``[bookmark: _GoBack]``. Only whole lines are removed, and a line with
sentence content never is; a page that arrives as one line loses only the link, trail and
fields at its start. The title, the addressee (``县委、县政府：``), the signing agency and the
signing date are moved into metadata. Punctuation is normalised one way: Chinese
punctuation (，：；（）！？) in Chinese text, ASCII letters and digits, single spaces. Example:

>>> c = clean_page("当前位置:首页 > 通知公告\\n某局2022年法治政府建设年度报告\\n发布日期:2023-01-31\\n"
...           "一、加强组织领导\\n特此报告。\\n某局\\n2023年1月5日\\n打印 关闭")
>>> print(c.text)
一、加强组织领导
特此报告。
>>> c.title, c.agency, c.published, c.signed
('某局2022年法治政府建设年度报告', '某局', '2023-01-31', '2023-01-05')
>>> [r.kind for r in c.removed]
['breadcrumb', 'title', 'metadata', 'signature', 'signed_date', 'widget']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .furniture import (META_KEYS, REASONS, edge_kind, is_addressee, is_field_row, is_key_only, is_meta_value, is_table_key,
                        leading_furniture, line_kind, toolbar_widgets, unwrap)
from .patterns import CJK, SENTENCE_END_CHARS, heading_level
from .types import Removal

__all__ = ["Cleaned", "clean_page", "normalise", "normalise_lines", "reported_year"]

_META_VALUE_KEYS = re.compile(rf"(?:{META_KEYS})\s*[:：]")
_META_KEY = re.compile(rf"(?:{META_KEYS})")
# Publication keys first; the date a document was written (成文日期, 印发日期) only as a last resort.
_PUBLISHED_KEYS = (r"发\s?布\s?(?:日\s?期|时\s?间)|发文日期|公开日期", r"(?<!成文)(?<!印发)(?<!生成)(?:日期|时间)",
                   r"日期")
_ANY_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_ARTEFACT = re.compile(r"\[(?:bookmark|image|footnote|endnote|comment|pagebreak|page break)\b[^\]\n]{0,200}\]", re.I)
_ORG_SUFFIX = r"(?:人民政府|委员会|管理局|局|厅|委|办公室|办|政府|院|中心|部|署|所|站|队|处|会)"
_SIGNATURE = re.compile(rf"^(?:中共)?[{CJK}（）()]{{1,30}}{_ORG_SUFFIX}(?:党组|党委)?$")
_TITLE_WORDS = re.compile(r"报告|总结|情况|工作要点")
_ORG_START = re.compile(rf"(?!法治|依法|关于)[{CJK}（）()]{{2,30}}?{_ORG_SUFFIX}")
_REPORT_TYPE = re.compile(rf"{_ORG_START.pattern}(?:关于)?(?:法治政府建设|依法行政|法治建设)[^，。]{{0,12}}(?:报告|总结)$")
_TITLE_AGENCY = re.compile(
    rf"^(?:中共)?(?P<org>[{CJK}（）()]+?{_ORG_SUFFIX})(?:党组|党委)?(?:关于)?(?:\d{{4}})")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_LIST_HEAD = re.compile(r"^(?:相关链接|相关阅读|相关文章|相关新闻|相关附件|相关文件|附件下载)\s*[:：]?$")
_BULLET = ("•", "·", "▪", "●", "◆")
_LINK_CONTINUATION = re.compile(r"[\w=&%.\-/?#+~]*=[\w=&%.\-/?#+~]*")
_TITLE_WINDOW = 12
_FIELDS = ("metadata", "date")

_WIDE = dict(zip("\u3000\xa0\u2002\u2003\u2009\t．％＋－／＝＜＞＃＆＊＠［］＿", "      .%+-/=<>#&*@[]_"))
_WIDE.update({chr(c): chr(c - 0xFEE0) for c in (*range(ord("０"), ord("９") + 1), *range(ord("Ａ"), ord("Ｚ") + 1),
                                               *range(ord("ａ"), ord("ｚ") + 1))})
_WIDE_CHAR = re.compile("[" + re.escape("".join(_WIDE)) + "]")  # full-width forms and wide spaces
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width characters and the soft hyphen
_ZERO_WIDTH = re.compile(f"[{_INVISIBLE}]")
# Each rule opens with the character it rewrites, then looks behind (``:(?<=\d:)``): a pattern
# opening with a literal is found by a fast scan, a leading lookbehind is tried at every position.
_COLON_BETWEEN_DIGITS = re.compile(r"：(?<=\d：)(?=\d)")  # 12：05 -> 12:05
_ASCII_COMMA = re.compile(r",(?:(?<!\d,)|(?!\d))")  # not inside 1,000
_ASCII_COLON = re.compile(r":(?:(?<![\d/:a-zA-Z]:)(?!//)|(?<=\d:)(?!\d))")  # not in 12:05 or http://
_ASCII_COLON_BY_CHINESE = re.compile(r":(?:(?<=[^\x00-\x7f]:)|(?=[^\x00-\x7f]))")
_ASCII_BANG = re.compile(rf"!(?<=[{CJK}，。）]!)")
_ASCII_QUESTION = re.compile(rf"\?(?<=[{CJK}，。）]\?)")
_SPACES = re.compile(r"[ \f\v]+")


@dataclass(frozen=True)
class Cleaned:
    """The cleaned text, what was removed, and the metadata read on the way.
    ``line_numbers[i]`` is the line of the input text (1-based) that line ``i`` of ``text``
    came from, so later stages can point their own records back into the input.
    ``addressee`` is whom the report is addressed to (``县委、县政府``), without the colon.
    """

    text: str
    removed: tuple[Removal, ...]
    title: Optional[str] = None
    agency: Optional[str] = None
    published: Optional[str] = None
    signed: Optional[str] = None
    line_numbers: tuple[int, ...] = ()
    addressee: Optional[str] = None


def normalise_lines(text: str) -> list[str]:
    """Normalise every line of ``text``; the result has exactly one entry per input line.

    Lines are those of :meth:`str.splitlines` for ``\\n``, ``\\r\\n`` and ``\\r``; a blank
    line gives ``''``, so index ``i`` is input line ``i + 1``.

    >>> normalise_lines("一、总体情况\\r\\n\\n全年办结 ５ 件;")
    ['一、总体情况', '', '全年办结 5 件；']
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(c in text for c in _INVISIBLE):  # six quick searches; a class is tried at every position
        text = _ZERO_WIDTH.sub("", text)
    text = _WIDE_CHAR.sub(lambda m: _WIDE[m.group()], text)  # str.translate would look up every character
    text = _COLON_BETWEEN_DIGITS.sub(":", text)
    text = _ASCII_COMMA.sub("，", text)
    text = _ASCII_COLON.sub("：", text)
    text = _ASCII_COLON_BY_CHINESE.sub("：", text)
    text = text.replace(";", "；").replace("(", "（").replace(")", "）")
    text = _ASCII_BANG.sub("！", text)
    text = _ASCII_QUESTION.sub("？", text)
    return [(_SPACES.sub(" ", line) if "  " in line or "\f" in line or "\v" in line else line).strip()
            for line in text.split("\n")]


def normalise(text: str) -> str:
    """Make punctuation and whitespace consistent, one paragraph per line.

    ASCII ``, : ; ( ) ! ?`` become their Chinese forms except between digits (``1,000``,
    ``12:05``) or in links; full-width letters, digits and ``．％`` become ASCII; runs of
    spaces become one space; lines are stripped and blank lines dropped.

    >>> normalise("按照《纲要(2021-2025年)》要求,全年12:05完成;  ５项")
    '按照《纲要（2021-2025年）》要求，全年12:05完成； 5项'
    """
    return "\n".join(line for line in normalise_lines(text) if line)


def clean_page(text: str) -> Cleaned:
    """Remove page furniture and return the body text with a record of every removal.

    A line is removed only when the whole line is furniture; a line that opens with a link
    or a breadcrumb and goes on with the report (a page that arrived as one line) loses
    only that furniture. Each :class:`~fazhi_nlp.types.Removal` names the line of ``text``
    it came from and holds the removed text exactly as it stands there (a whole line), or as
    it stands in the normalised line (furniture cut off a line's start, an artefact), or the
    invisible characters normalisation dropped.
    """
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if text.strip() else []
    normalised = normalise_lines(text) if raw_lines else []
    numbers = [n for n, line in enumerate(normalised, start=1) if line]
    lines = [normalised[n - 1] for n in numbers]
    kinds: list[Optional[str]] = [line_kind(line) for line in lines]
    pieces = _cut_leading_furniture(lines, kinds)
    _mark_context(lines, kinds)
    kinds = toolbar_widgets(lines, kinds)
    _mark_meta_values(lines, kinds)
    body = [i for i, k in enumerate(kinds) if k is None]
    title = _find_title(lines, kinds, body)
    _mark_header(lines, kinds)
    _mark_signatures(lines, kinds)
    _mark_repeated_title(lines, kinds, title)
    _mark_trailer_lists(lines, kinds)
    addressee = _mark_addressee(lines, kinds)
    title = title or next((p for cut in pieces.values() for k, p in cut if k == "title"), None)

    removed: list[Removal] = []
    kept: list[str] = []
    kept_numbers: list[int] = []
    if any(c in text for c in _INVISIBLE):
        for number, raw in enumerate(raw_lines, start=1):
            invisible = "".join(_ZERO_WIDTH.findall(raw))
            if invisible:
                removed.append(Removal("clean", "invisible", invisible, number, REASONS["invisible"]))
    for i, (line, kind, number) in enumerate(zip(lines, kinds, numbers)):
        if kind is not None:
            removed.append(Removal("clean", kind, raw_lines[number - 1], number, REASONS[kind]))
            continue
        removed.extend(Removal("clean", k, piece, number, REASONS[k]) for k, piece in pieces.get(i, ()))
        stripped = _ARTEFACT.sub("", line) if "[" in line else line
        if stripped != line:
            for match in _ARTEFACT.finditer(line):
                removed.append(Removal("clean", "artefact", match.group(), number, REASONS["artefact"]))
            stripped = re.sub(r" {2,}", " ", stripped).strip()
        if stripped:
            kept.append(stripped)
            kept_numbers.append(number)

    meta_pieces = [p for cut in pieces.values() for k, p in cut if k == "metadata"]
    return Cleaned(text="\n".join(kept), removed=tuple(sorted(removed, key=lambda r: r.line)), title=title,
                   agency=_find_agency(lines, kinds, title), published=_find_published(lines, kinds, meta_pieces),
                   signed=_find_signed(lines, kinds), line_numbers=tuple(kept_numbers), addressee=addressee)


def _cut_leading_furniture(lines: list[str], kinds: list[Optional[str]]) -> dict[int, list[tuple[str, str]]]:
    """Cut links, breadcrumbs and the fields after them off the start of report lines.

    ``lines[i]`` becomes what is left; a line that is furniture to its end takes the kind
    of its first piece instead.
    """
    cut = {}
    for i, line in enumerate(lines):
        if kinds[i] is None:
            pieces = leading_furniture(line)
            if not pieces:
                continue
            rest = line
            for _, piece in pieces:
                rest = rest.replace(piece, "", 1)
            if rest.strip():
                cut[i] = pieces
                lines[i] = re.sub(r" {2,}", " ", rest).strip()
            else:
                kinds[i] = pieces[0][0]
    return cut


def _is_body(line: str) -> bool:
    """A line of the report proper: a sentence or an outline heading."""
    return (any(e in line for e in SENTENCE_END_CHARS) or heading_level(line) is not None) \
        and not line.startswith(_BULLET)


def _mark_context(lines: list[str], kinds: list[Optional[str]]) -> None:
    """Shapes that depend on their neighbours: menus, site names and footer fields above or
    below the report's text; a bare year over a date; a link broken over two lines."""
    body = [i for i, k in enumerate(kinds) if k is None]
    first = next((i for i in body if _is_body(lines[i])), len(lines))
    last = next((i for i in reversed(body) if _is_body(lines[i])), -1)
    for i, line in enumerate(lines):
        if kinds[i] is None and (i < first or i > last):
            kinds[i] = edge_kind(line)
    for i, line in enumerate(lines):
        if kinds[i] is None and i + 1 < len(lines) and kinds[i + 1] == "date" and re.fullmatch(r"\d{4}", line):
            kinds[i] = "date"
        if kinds[i] is None and i and kinds[i - 1] == "link" and len(line) <= 200 and _LINK_CONTINUATION.fullmatch(line):
            kinds[i] = "link"


def _mark_meta_values(lines: list[str], kinds: list[Optional[str]]) -> None:
    """A metadata field with an empty value owns the short line under it (``来源:`` / ``区科技局``);
    a field name by shape alone (``机构分类``) under another field, and a field whose value lists
    items with commas next to another field, are metadata too."""
    for i in range(len(lines)):
        in_table = i and kinds[i - 1] == "metadata" or i + 1 < len(lines) and kinds[i + 1] == "metadata"
        if kinds[i] is None and in_table and (is_table_key(lines[i]) and kinds[i - 1] == "metadata"
                                              or is_field_row(lines[i])):
            kinds[i] = "metadata"
        if kinds[i] == "metadata" and i + 1 < len(lines) and is_key_only(lines[i]) \
                and kinds[i + 1] in (None, "date", "signed_date", "doc_number") and is_meta_value(lines[i + 1]):
            kinds[i + 1] = "metadata"
        if kinds[i] is None and 0 < i < len(lines) - 1 and kinds[i - 1] in _FIELDS and kinds[i + 1] in _FIELDS \
                and is_meta_value(lines[i]):  # a value between two fields of a table whose keys were dropped
            kinds[i] = "metadata"


def _names_report(line: str, dated: bool = False) -> bool:
    """A short line naming a report (with a year when ``dated``): no sentence, heading or field."""
    return (len(line) <= 80 and bool(_TITLE_WORDS.search(line)) and not line.endswith(("：", ":"))
            and heading_level(line) is None and not any(e in line for e in SENTENCE_END_CHARS)
            and (not dated or bool(_YEAR.search(line))))


def _find_title(lines: list[str], kinds: list[Optional[str]], body: list[int]) -> Optional[str]:
    """The first short body line before the text proper that names a report."""
    for n, i in enumerate(body[:_TITLE_WINDOW]):
        line = lines[i]
        if line.startswith(_BULLET):
            continue
        if any(e in line for e in SENTENCE_END_CHARS):
            return None
        if _names_report(line) and (_YEAR.search(line) or (n < 3 or _REPORT_TYPE.match(line)) and not any(
                _names_report(lines[j], dated=True) for j in body[n + 1:n + 4])):  # a dated title just below wins
            kinds[i] = "title"
            head = lines[i - 1].removesuffix("关于") if n and body[n - 1] == i - 1 else ""
            if not _ORG_START.match(line) and len(head) <= 40 and not _ANY_DATE.search(head) \
                    and (_SIGNATURE.match(head) or _TITLE_AGENCY.match(head)):
                kinds[i - 1] = "title"  # 西安市市场监督管理局 / 2023年…报告: a title on two lines
                return lines[i - 1] + line
            return line
    return None


def _mark_addressee(lines: list[str], kinds: list[Optional[str]]) -> Optional[str]:
    """The line right before the first body paragraph, when it names organisations and ends in a colon."""
    kept = [i for i, k in enumerate(kinds) if k is None]
    for n, i in enumerate(kept[:_TITLE_WINDOW]):
        opening = lines[i].endswith(("：", ":")) and not is_addressee(lines[i])  # 现将…报告如下：
        if _is_body(lines[i]) or opening or len(lines[i]) > 60:
            previous = kept[n - 1] if n else None
            if previous is not None and is_addressee(lines[previous]):
                kinds[previous] = "addressee"
                return lines[previous].rstrip("：:").strip()
            return None
    return None


def _mark_header(lines: list[str], kinds: list[Optional[str]]) -> None:
    """Short unpunctuated lines and bulleted lines above the title are the site's name, menu and slogans."""
    if "title" in kinds:
        for i in range(kinds.index("title")):
            if kinds[i] is None and (len(lines[i]) <= 40 and not any(e in lines[i] for e in SENTENCE_END_CHARS)
                                     or lines[i].startswith(_BULLET)):
                kinds[i] = "header"


def _mark_trailer_lists(lines: list[str], kinds: list[Optional[str]]) -> None:
    """The link titles listed under ``相关文件`` / ``相关链接`` belong to the trailer."""
    for i in range(len(lines)):
        if kinds[i] == "trailer" and _LIST_HEAD.match(lines[i]):
            j = i + 1
            while j < len(lines) and kinds[j] is None and len(lines[j]) <= 80 \
                    and not any(e in lines[j] for e in SENTENCE_END_CHARS):
                kinds[j] = "trailer"
                j += 1


def _mark_signatures(lines: list[str], kinds: list[Optional[str]]) -> None:
    """An agency name on its own line right before a signing date is a signature."""
    for i, kind in enumerate(kinds):
        if kind != "signed_date":
            continue
        for j in (i - 1, i - 2):
            if j >= 0 and kinds[j] is None and _SIGNATURE.match(lines[j]):
                kinds[j] = "signature"
                break


def _mark_repeated_title(lines: list[str], kinds: list[Optional[str]], title: Optional[str]) -> None:
    if title:
        for i, line in enumerate(lines):
            if kinds[i] is None and line == title:
                kinds[i] = "title"


def _find_agency(lines: list[str], kinds: list[Optional[str]], title: Optional[str]) -> Optional[str]:
    signatures = [lines[i] for i, k in enumerate(kinds) if k == "signature"]
    if signatures:
        return _strip_party(signatures[0])
    if title:
        match = _TITLE_AGENCY.match(title)
        if match:
            return _strip_party(match.group("org"))
    for i, k in enumerate(kinds):
        if k == "metadata":
            value = _meta_value(lines, kinds, i, ("信息来源", "来源", "发布单位", "发布机构", "发文机关"))
            if value and value not in ("本网", "本站", "原创"):
                return value
    return None


def _strip_party(org: str) -> str:
    org = re.sub(r"^中共", "", org)
    return re.sub(r"(党组|党委)$", "", org)


def _meta_value(lines, kinds, i, keys) -> Optional[str]:
    plain = unwrap(lines[i])
    for key in keys:
        match = re.search(rf"(?:^|\s){key}\s*[:：]?\s*(\S*)", plain)
        if match:
            value = _META_VALUE_KEYS.split(match.group(1))[0]  # 来源:某局更新时间:… → 某局
            if value and not _META_KEY.fullmatch(value) and not value.endswith(("网", "网站")):
                return value
            if not value and is_key_only(lines[i]) and i + 1 < len(lines) and kinds[i + 1] == "metadata" \
                    and not _META_VALUE_KEYS.match(lines[i + 1]):
                return lines[i + 1]
    return None


def _iso(year: str, month: str, day: str) -> Optional[str]:
    y, m, d = int(year), int(month), int(day)
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else None


def _find_published(lines: list[str], kinds: list[Optional[str]], pieces: list[str]) -> Optional[str]:
    fields = [lines[i] + (" " + lines[i + 1] if i + 1 < len(lines) else "")
              for i, k in enumerate(kinds) if k == "metadata"] + pieces
    for key in _PUBLISHED_KEYS:
        for value in fields:
            match = re.search(rf"(?:{key})\s*[:：]?\s*{_ANY_DATE.pattern}", value)
            if match and _iso(*match.groups()):
                return _iso(*match.groups())
    for i, k in enumerate(kinds[:-1]):
        if k == "date" and re.fullmatch(r"\d{4}", lines[i]) and kinds[i + 1] == "date":
            match = re.fullmatch(r"(\d{1,2})[/\-.](\d{1,2})", lines[i + 1])
            if match and _iso(lines[i], *match.groups()):
                return _iso(lines[i], *match.groups())
    return None


def _find_signed(lines: list[str], kinds: list[Optional[str]]) -> Optional[str]:
    dates = (_ANY_DATE.search(lines[i]) for i, k in enumerate(kinds) if k == "signed_date")
    return next((_iso(*date.groups()) for date in dates if date), None)


def reported_year(title: Optional[str], text: str, published: Optional[str]) -> Optional[int]:
    """The year a report covers: from its title, else its opening lines, else published − 1.
    >>> reported_year("某局2022年度法治政府建设情况报告", "", "2023-03-31")
    2022
    >>> reported_year(None, "2024年，在市委的领导下……", None)
    2024
    """
    for source in (title or "", text[:300]):
        match = _YEAR.search(source)
        if match:
            return int(match.group(1))
    return int(published[:4]) - 1 if published else None
