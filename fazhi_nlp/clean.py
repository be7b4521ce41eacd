"""Take page furniture out of a report's text, keeping a record of what was removed.

Furniture is recognised by its shape, not by one site's strings: breadcrumb trails
(``首页 > 政务公开 > …``), metadata fields and tables (``发布日期:``, ``索引号 … 公开方式 …``),
widgets (``分享``, ``打印 关闭``, ``字体: [ 大 中 小 ]``), trailers and footers (``附件下载>>``,
``标签:``, ``验证码``, ``版权所有``), bare dates and times, document numbers, link lines and
Word artefacts such as ``[bookmark: _GoBack]``. The title, the signing agency and the
signing date are moved into metadata. Punctuation is normalised one way: Chinese
punctuation (，：；（）！？) in Chinese text, ASCII letters and digits, single spaces.

Examples
--------
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

from .patterns import CJK, SENTENCE_END_CHARS, heading_level
from .types import Removal

__all__ = ["Cleaned", "clean_page", "normalise", "normalise_lines", "reported_year"]

# Field names of government-site metadata blocks (the keys, not any site's values).
_META_KEYS = (
    "发布日期|发布时间|发文日期|成文日期|印发日期|生成日期|更新日期|更新时间|上传时间|信息时间|"
    "信息来源|文章来源|稿件来源|新闻来源|来源|日期|时间|"
    "浏览量|浏览次数|访问量|访问次数|点击量|点击数|点击率|阅读量|阅读数|阅读次数|"
    "索引号|公开方式|公开形式|公开范围|公开时限|公开属性|公开类别|"
    "发布单位|发布机构|发文机关|发文机构|发文单位|发文字号|文号|统一编号|登记号|有效性|"
    "主题分类|体裁分类|组配分类|信息分类|服务对象|所属主题|主题词|关键词|关键字|"
    "作者|编辑|责任编辑|审核|审校|供稿|摄影|文章作者|录入|标题|名称|文件名称"
)
# Table cells often space a key out to align it ("索 引 号", "标　　题").
_META_KEYS_SPACED = "|".join(r"\s?".join(key) for key in _META_KEYS.split("|"))
_META_LINE = re.compile(rf"^(?:【)?(?:{_META_KEYS_SPACED})(?:】)?\s*(?:[:：]|\s|$)")
_META_EMPTY = re.compile(rf"^(?:【)?(?:{_META_KEYS_SPACED})(?:】)?\s*[:：]?\s*$")
_HIT_COUNTER = re.compile(r"^[本该此]?[文页篇条]?(?:信息|文章)?已?被?(?:浏览|阅读|访问|点击)(?:量|数|次数)?\s*[:：]?\s*"
                          r"[\d,]+\s*(?:人次|次)?$|^您?是本站第\s*[\d,]+\s*位访(?:问者|客)$")
_BREADCRUMB = re.compile(r"^(?:当前位置|您当前的位置|您当前位置|您的位置|你的位置|你当前的位置|所在位置|当前页面)\s*[:：]?")
_CRUMB_SEPARATORS = re.compile(r"\s*(?:>>|>|»|›|→|/|\|)\s*")
_CRUMB_HOME = re.compile(r"^(?:网站首页|首页|主页|返回首页)\s*(?:>>|>|»|›|→|/|\||$)")
_SITE_NAME = re.compile(rf"^[{CJK}]{{2,30}}(?:门户网站|官方网站|政府网|信息公开网)$")
_BRACKETED_META = re.compile(rf"^[（(【\[]\s*(?:{_META_KEYS})\s*[:：][^。]{{0,40}}[）)】\]]$")
_PAGER = re.compile(r"^(?:第\s*\d+\s*页|共\s*\d+\s*页|上一页|下一页|首页\s+上一页|\d+\s*/\s*\d+\s*页)")
_WIDGET_TOKENS = re.compile(
    r"分享到|分享|打印本页|打印此页|打印|关闭本页|关闭窗口|关闭|收藏本页|收藏|加入收藏|"
    r"扫一扫在手机打开当前页|扫一扫在手机上打开|扫一扫|手机扫码|在手机打开|返回顶部|返回首页|返回|"
    r"字体|字号|默认|微信|微博|QQ空间|朋友圈|复制链接|纠错|[大中小]|[\[\]【】()（）:：|/\s·]")
_TRAILER_START = re.compile(
    r"^(?:附件下载|相关链接|相关阅读|相关文章|相关新闻|相关附件|相关文件|上一篇|下一篇|上一条|下一条|"
    r"标签|留言与评论|发表评论|我要评论|网友评论|评论|验证码|文章标签|附件\s*\d*)\s*(?:[:：(（>》]|$)")
_LIST_HEAD = re.compile(r"^(?:相关链接|相关阅读|相关文章|相关新闻|相关附件|相关文件|附件下载)\s*[:：]?$")
_TRAILER_END = re.compile(r"(?:>>|》》|>>>|＞＞)\s*$")
_FOOTER = re.compile(r"版权所有|主办单位|承办单位|主办[:：]|承办[:：]|技术支持|ICP备|网站标识码|公网安备|联系我们|网站地图|"
                     r"Copyright|^地址[:：]|邮编|邮政编码|联系电话|传真[:：]|分辨率|浏览器", re.I)
_QR_PROMPT = re.compile(r"(?:扫一扫|扫码|扫描二维码).{0,10}(?:手机|移动端)|手机.{0,4}(?:扫一扫|扫码|扫描)")
_DATE_FRAGMENT = re.compile(r"^[\d\s:/\-.]{2,25}$")
_CJK_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
# Publication keys first; the date a document was written (成文日期, 印发日期) only as a last resort.
_PUBLISHED_KEYS = (r"发\s?布\s?(?:日\s?期|时\s?间)|发文日期|公开日期", r"(?<!成文)(?<!印发)(?<!生成)(?:日期|时间)",
                   r"日期")
_ANY_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DOC_NUMBER = re.compile(rf"^[{CJK}]{{1,12}}\s*[〔\[【（(]\s*\d{{4}}\s*[〕\]】）)]\s*\d+\s*号$")
_LINK_LINE = re.compile(rf"^(?:[{CJK}]{{1,8}}\s*[:：]\s*)?(?:https?://|www\.)\S+$", re.I)
_ARTEFACT = re.compile(r"\[(?:bookmark|image|footnote|endnote|comment|pagebreak|page break)\b[^\]\n]{0,200}\]", re.I)
_ORG_SUFFIX = r"(?:人民政府|委员会|管理局|局|厅|委|办公室|办|政府|院|中心|部|署|所|站|队|处|会)"
_SIGNATURE = re.compile(rf"^(?:中共)?[{CJK}（）()]{{1,30}}{_ORG_SUFFIX}(?:党组|党委)?$")
_TITLE_WORDS = re.compile(r"报告|总结|情况|工作要点")
_TITLE_AGENCY = re.compile(
    rf"^(?:中共)?(?P<org>[{CJK}（）()]+?{_ORG_SUFFIX})(?:党组|党委)?(?:关于)?(?:\d{{4}})")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_TITLE_WINDOW = 12

_WIDTH = {ord("\u3000"): " ", ord("\xa0"): " ", ord("\u2002"): " ", ord("\u2003"): " ",
          ord("\u2009"): " ", ord("\t"): " ", ord("．"): ".", ord("％"): "%", ord("＋"): "+",
          ord("－"): "-", ord("／"): "/", ord("＝"): "=", ord("＜"): "<", ord("＞"): ">",
          ord("＃"): "#", ord("＆"): "&", ord("＊"): "*", ord("＠"): "@", ord("［"): "[",
          ord("］"): "]", ord("＿"): "_"}
_WIDTH.update({c: c - 0xFEE0 for c in range(ord("０"), ord("９") + 1)})
_WIDTH.update({c: c - 0xFEE0 for c in range(ord("Ａ"), ord("Ｚ") + 1)})
_WIDTH.update({c: c - 0xFEE0 for c in range(ord("ａ"), ord("ｚ") + 1)})
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


@dataclass(frozen=True)
class Cleaned:
    """The cleaned text, what was removed, and the metadata read on the way.

    ``line_numbers[i]`` is the line of the input text (1-based) that line ``i`` of ``text``
    came from, so later stages can point their own records back into the input.
    """

    text: str
    removed: tuple[Removal, ...]
    title: Optional[str] = None
    agency: Optional[str] = None
    published: Optional[str] = None
    signed: Optional[str] = None
    line_numbers: tuple[int, ...] = ()


def normalise_lines(text: str) -> list[str]:
    """Normalise every line of ``text``; the result has exactly one entry per input line.

    Lines are those of :meth:`str.splitlines` for ``\\n``, ``\\r\\n`` and ``\\r``; a blank
    line gives ``''``, so index ``i`` is input line ``i + 1``.

    >>> normalise_lines("一、总体情况\\r\\n\\n全年办结 ５ 件;")
    ['一、总体情况', '', '全年办结 5 件；']
    """
    text = _ZERO_WIDTH.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_WIDTH)
    text = re.sub(r"(?<=\d)：(?=\d)", ":", text)
    text = re.sub(r"(?<!\d),|,(?!\d)", "，", text)
    text = re.sub(r"(?<![\d/:a-zA-Z]):(?!//)|(?<=\d):(?!\d)", "：", text)
    text = re.sub(r"(?<=[^\x00-\x7f]):|:(?=[^\x00-\x7f])", "：", text)
    text = text.replace(";", "；").replace("(", "（").replace(")", "）")
    text = re.sub(rf"(?<=[{CJK}，。）])!", "！", text)
    text = re.sub(rf"(?<=[{CJK}，。）])\?", "？", text)
    return [re.sub(r"[ \f\v]+", " ", line).strip() for line in text.split("\n")]


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

    Each :class:`~fazhi_nlp.types.Removal` names the line of ``text`` it came from and
    holds the removed text exactly as it stands there (a whole line, an artefact, or the
    invisible characters normalisation dropped).
    """
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if text.strip() else []
    normalised = normalise_lines(text) if raw_lines else []
    numbers = [n for n, line in enumerate(normalised, start=1) if line]
    lines = [normalised[n - 1] for n in numbers]
    kinds: list[Optional[str]] = [_furniture_kind(line) for line in lines]
    _mark_meta_values(lines, kinds)
    body = [i for i, k in enumerate(kinds) if k is None]
    title = _find_title(lines, kinds, body)
    _mark_header(lines, kinds)
    _mark_signatures(lines, kinds)
    _mark_repeated_title(lines, kinds, title)
    _mark_trailer_lists(lines, kinds)

    removed: list[Removal] = []
    kept: list[str] = []
    kept_numbers: list[int] = []
    for number, raw in enumerate(raw_lines, start=1):
        invisible = "".join(_ZERO_WIDTH.findall(raw))
        if invisible:
            removed.append(Removal("clean", "invisible", invisible, number, _REASONS["invisible"]))
    for line, kind, number in zip(lines, kinds, numbers):
        if kind is not None:
            removed.append(Removal("clean", kind, raw_lines[number - 1], number, _REASONS[kind]))
            continue
        stripped = _ARTEFACT.sub("", line)
        if stripped != line:
            for match in _ARTEFACT.finditer(line):
                removed.append(Removal("clean", "artefact", match.group(), number, _REASONS["artefact"]))
            stripped = re.sub(r" {2,}", " ", stripped).strip()
        if stripped:
            kept.append(stripped)
            kept_numbers.append(number)

    return Cleaned(
        text="\n".join(kept),
        removed=tuple(sorted(removed, key=lambda r: r.line)),
        title=title,
        agency=_find_agency(lines, kinds, title),
        published=_find_published(lines, kinds),
        signed=_find_signed(lines, kinds),
        line_numbers=tuple(kept_numbers),
    )


_REASONS = {
    "breadcrumb": "navigation trail",
    "metadata": "page metadata field",
    "widget": "page widget (share / print / font size)",
    "trailer": "link list, tags or comment box after the report",
    "footer": "site footer",
    "date": "bare date or time outside the text",
    "doc_number": "document number line",
    "link": "link line",
    "artefact": "word-processor artefact",
    "header": "site name or menu above the report title",
    "title": "report title (kept as metadata)",
    "signature": "signing agency (kept as metadata)",
    "signed_date": "signing date (kept as metadata)",
    "invisible": "zero-width or soft-hyphen characters (normalisation)",
}


def _furniture_kind(line: str) -> Optional[str]:
    """The kind of furniture a whole line is, or None for body text."""
    if _BREADCRUMB.match(line) or _CRUMB_HOME.match(line) or _is_crumb_trail(line):
        return "breadcrumb"
    if (_META_LINE.match(line) or _BRACKETED_META.match(line)) and "。" not in line and len(line) <= 120:
        return "metadata"
    if _HIT_COUNTER.match(line):
        return "metadata"
    if _SITE_NAME.match(line):
        return "header"
    if _PAGER.match(line) and len(line) <= 40:
        return "trailer"
    if _TRAILER_START.match(line) and len(line) <= 80 or (_TRAILER_END.search(line) and len(line) <= 30):
        return "trailer"
    if len(line) <= 60 and _FOOTER.search(line) and "。" not in line:
        return "footer"
    if len(line) <= 40 and (not _WIDGET_TOKENS.sub("", line) or _QR_PROMPT.search(line)):
        return "widget"
    if _DATE_FRAGMENT.match(line) and re.search(r"\d", line):
        return "date"
    if _CJK_DATE.match(line):
        return "signed_date"
    if _DOC_NUMBER.match(line):
        return "doc_number"
    if _LINK_LINE.match(line):
        return "link"
    return None


def _is_crumb_trail(line: str) -> bool:
    parts = [p for p in _CRUMB_SEPARATORS.split(line) if p]
    separators = len(_CRUMB_SEPARATORS.findall(line))
    if separators < 2 and not (line.startswith((">", "»")) and separators >= 1):
        return False
    return bool(parts) and all(len(p) <= 16 and not any(e in p for e in SENTENCE_END_CHARS + "。，") for p in parts)


def _mark_meta_values(lines: list[str], kinds: list[Optional[str]]) -> None:
    """A metadata key with an empty value owns the short line under it (``来源:`` / ``区科技局``)."""
    for i in range(len(lines) - 1):
        if kinds[i] == "metadata" and _META_EMPTY.match(lines[i]) and kinds[i + 1] is None:
            value = lines[i + 1]
            if len(value) <= 40 and not any(e in value for e in "。，；"):
                kinds[i + 1] = "metadata"


def _find_title(lines: list[str], kinds: list[Optional[str]], body: list[int]) -> Optional[str]:
    """The first short body line before the text proper that names a report."""
    for n, i in enumerate(body[:_TITLE_WINDOW]):
        line = lines[i]
        if any(e in line for e in SENTENCE_END_CHARS):
            return None
        if len(line) <= 80 and _TITLE_WORDS.search(line) and (n < 3 or _YEAR.search(line)) \
                and not line.endswith(("：", ":")) and heading_level(line) is None:
            kinds[i] = "title"
            return line
    return None


def _mark_header(lines: list[str], kinds: list[Optional[str]]) -> None:
    """Short unpunctuated lines above the title are the site's name and menu."""
    if "title" in kinds:
        for i in range(kinds.index("title")):
            if kinds[i] is None and len(lines[i]) <= 40 and not any(e in lines[i] for e in SENTENCE_END_CHARS):
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
    for key in keys:
        match = re.search(rf"(?:^|\s){key}\s*[:：]?\s*(\S*)", lines[i])
        if match:
            if match.group(1):
                return match.group(1)
            if i + 1 < len(lines) and kinds[i + 1] == "metadata" and not _META_LINE.match(lines[i + 1]):
                return lines[i + 1]
    return None


def _iso(year: str, month: str, day: str) -> Optional[str]:
    y, m, d = int(year), int(month), int(day)
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else None


def _find_published(lines: list[str], kinds: list[Optional[str]]) -> Optional[str]:
    for key in _PUBLISHED_KEYS:
        for i, k in enumerate(kinds):
            if k == "metadata":
                value = lines[i] + (" " + lines[i + 1] if i + 1 < len(lines) else "")
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
    for i, k in enumerate(kinds):
        if k == "signed_date":
            return _iso(*_CJK_DATE.match(lines[i]).groups())
    return None


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
