"""Shapes of page furniture: what a government site prints around a report.

Used by :mod:`fazhi_nlp.clean` only. Every shape describes a *whole* line (the one
exception, :func:`leading_furniture`, cuts furniture off the start of a long line at the
furniture's own boundary), and a line with sentence content (``。！？，``) is never
furniture, except two anchored notices a report never prints (a browser warning, a welcome
banner). Shapes are generic: field names and widget words every site uses, separators,
dates, lengths and token counts, never one site's strings.

Examples
--------
>>> line_kind("当前位置：首页 > 政务公开 > 年度报告"), line_kind("[ 索引号 ] 1150/2023-00050 [ 发文字号 ]")
('breadcrumb', 'metadata')
>>> line_kind("• 字体【 】"), line_kind("2021年03月19日 来源：市司法局"), line_kind("（2024-03-01）")
('widget', 'metadata', 'date')
>>> [line_kind(s) for s in ("（三）公布联系电话，畅通投诉渠道", "推行扫码亮证", "12 15 30 8")]
[None, None, None]
>>> edge_kind("网站首页 依法治市 司法行政 公共法律服务 政务公开")
'header'
>>> is_addressee("中共湖南省委、湖南省人民政府："), is_addressee("现将有关情况报告如下：")
(True, False)
>>> leading_furniture("URL: http://a.gov.cn/1.html 当前位置：首页 > 通知 2022年，我局全面推进依法行政。")
[('link', 'URL: http://a.gov.cn/1.html'), ('breadcrumb', '当前位置：首页 > 通知')]
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from .patterns import CJK, heading_level

__all__ = ["META_KEYS", "REASONS", "edge_kind", "has_sentence", "is_addressee", "is_field_row", "is_key_only", "is_meta_value",
           "is_table_key", "leading_furniture", "line_kind", "toolbar_widgets", "unwrap"]

REASONS = {
    "breadcrumb": "navigation trail",
    "metadata": "page metadata field",
    "widget": "page widget (share / print / font size / accessibility)",
    "trailer": "link list, tags or comment box after the report",
    "footer": "site footer",
    "date": "bare date or time outside the text",
    "doc_number": "document number line",
    "link": "link line",
    "separator": "no letters or digits (a rule, bullet or close button)",
    "artefact": "word-processor artefact",
    "header": "site name, menu or banner above the report",
    "title": "report title (kept as metadata)",
    "addressee": "addressee of the report (kept as metadata)",
    "signature": "signing agency (kept as metadata)",
    "signed_date": "signing date (kept as metadata)",
    "invisible": "zero-width or soft-hyphen characters (normalisation)",
}

#: Field names of government-site metadata blocks (the keys, not any site's values).
META_KEYS = (
    "发布日期|发布时间|发文日期|成文日期|印发日期|生成日期|产生日期|更新日期|更新时间|上传时间|信息时间|公开日期|"
    "信息来源|文章来源|稿件来源|新闻来源|来源|日期|时间|"
    "浏览量|浏览次数|访问量|访问次数|点击量|点击数|点击率|阅读量|阅读数|阅读次数|"
    "索引号|索取号|公开方式|公开形式|公开范围|公开时限|公开属性|公开类别|"
    "发布单位|发布机构|发文机关|发文机构|发文单位|发文字号|文号|文件编号|统一编号|登记号|有效性|是否有效|"
    "主题分类|体裁分类|组配分类|信息分类|服务对象|所属主题|所属类目|所属机构|机构名称|责任部门|主题词|主题|体裁|关键词|关键字|签发人|"
    "作者|编辑|责任编辑|审核|审校|供稿|摄影|文章作者|录入|标题|名称|文件名称"
)
_KEYS = "|".join(r"\s?".join(key) for key in META_KEYS.split("|"))  # spaced out in tables: 索 引 号
# A field name of a metadata table by its shape: two characters and a field suffix (机构分类, 公文类型).
_KEY_SHAPE = rf"[{CJK}]{{2}}(?:分类|类别|类型|日期|编号|文号|字号|状态)"
_META_LINE = re.compile(rf"^【?(?:{_KEYS})】?\s*(?:[:：]|\s|$)")
_KEY_ONLY = re.compile(rf"^【?(?:{_KEYS}|{_KEY_SHAPE})】?\s*[:：]?$")
_TABLE_KEY = re.compile(rf"^{_KEY_SHAPE}$")
_HIT_COUNTER = re.compile(r"^[本该此]?[文页篇条]?(?:信息|文章)?已?被?(?:浏览|阅读|访问|点击)(?:量|数|次数)?\s*[:：]?\s*"
                          r"[\d,]+\s*(?:人次|次)?$|^您?是本站第\s*[\d,]+\s*位访(?:问者|客)$")
_INDEX_NUMBER = re.compile(r"^[A-Za-z0-9]{4,24}\s*/\s*\d{4}\s*-+\s*\d{1,9}$")
# The heading of a metadata block (信息公开元数据).
_META_HEADING = re.compile(r"^(?:政府)?(?:信息公开)?元数据$")

# Bullets, table bars and bracketed keys around fields ("• 浏览量：", "| [ 索引号 ] | …").
_BULLETS = re.compile(r"^(?:[•·▪●◆■□◇○*\-]\s*)+")
_BRACKETED_KEY = re.compile(rf"[\[【]\s*((?:{_KEYS}|{_KEY_SHAPE}))\s*[\]】]\s*(?![:：])")
_BRACKETED_FIELD = re.compile(rf"^[（(【\[]\s*(?:{_KEYS})\s*[:：][^。]{{0,40}}[）)】\]]$")

_SENTENCE = re.compile(r"[。！？!?，]")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")

_SEP = r"(?:>>|->|>|»|›|→|/|\|)"
_CRUMB_KEY = re.compile(r"^(?:[您你]?(?:当前|现在)(?:所在|所处)?的?位置|[您你](?:所在|所处)的?位置|所在位置|当前页面|当前栏目)"
                        r"\s*[:：]?\s*")
_CRUMB_HOME = re.compile(rf"^(?:网站首页|首页|主页|返回首页)\s*{_SEP}\s*")
_CRUMB_PART = re.compile(rf"\s*([^\s>»›→/|。，；：:]{{1,20}})\s*{_SEP}\s*")
_CRUMB_LAST = re.compile(r"\s*[^\s>»›→/|。，；：:]{1,20}(?=\s|$)")
_HOME = re.compile(r"网站首页|首页|主页")
_CRUMB_SEPARATORS = re.compile(r"\s*(?:>>|->|>|»|›|→)\s*")

_DATE = r"\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
_TIME = r"(?:\d{1,2}:\d{2}(?::\d{2})?|\d{1,2}\s*时\s*\d{1,2}\s*分)"
_DATE_TOKEN = rf"(?:{_DATE}|{_TIME}|\d{{2}}[/-]\d{{2}}|星期[一二三四五六日天])"
_DATE_LINE = re.compile(rf"^[（(\[【]?\s*{_DATE_TOKEN}(?:\s*{_DATE_TOKEN})*\s*[）)\]】]?$")
_FULL_DATE = re.compile(_DATE)
_CJK_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
# Any short field name ending in 日期 / 时间 with a date as its value (公文生成日期：2026-01-16).
_DATED_FIELD = re.compile(rf"^[{CJK}/]{{1,8}}(?:日期|时间)\s*[:：]\s*(?:{_DATE})(?:\s*{_TIME})?$")
# A time or date run into the field name after it (2020-03-13 08:45:00来源：).
_RUN_IN_FIELD = re.compile(rf"(?<=\d)(?=(?:{_KEYS})\s*[:：])")
_DOC_NUMBER = re.compile(rf"^[{CJK}]{{1,12}}\s*[〔\[【（(]\s*\d{{4}}\s*[〕\]】）)]\s*\d+\s*号$")
_URL = r"(?:https?://|www\.)[\x21-\x7e]+"
_LINK_LINE = re.compile(rf"^(?:(?:[{CJK}]{{1,8}}|URL)\s*[:：]\s*)?{_URL}$", re.I)
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:gov\.cn|cn|com|net|org)/?$", re.I)

_WIDGET_WORDS = re.compile(
    r"分享到|分享|打印本页|打印此页|打印整页|打印内容|打印文本|打印正文|打印|关闭本页|关闭窗口|关闭|"
    r"收藏本页|加入收藏|收藏|设为首页|返回顶部|返回首页|返回|"
    r"(?:微信|手机)?(?:扫一扫|扫码|扫描二维码)(?:在手机上?(?:打开|浏览|阅读|查看)(?:当前页|本页|此页)?|分享|阅读|浏览|打开)|"
    r"扫一扫|在手机打开|手机版|字体|字号|默认|超大|特大|标准|[大中小]|微信|微博|QQ空间|朋友圈|复制链接|纠错|"
    r"简体|繁体|无障碍(?:阅读|浏览|模式)?|(?:长者|长辈|关爱|关怀|适老|老年|大字)(?:版|模式)|"
    r"(?:保护视力|视力保护|护眼)色?(?:模式)?|(?:进入|退出)?(?:语音)?(?:播报|朗读)(?:模式)?|登录|注册|"
    r"浏览字体|站群导航|网站导航|[x×]|[\[\]【】()（）:：|/\s·•]")
# Words of accessibility toolbars and weather / air-quality boxes printed one item a line
# (拼音 / 辅助浏览 / 放大 / 配色 / 白底黑字蓝链接 …; AQI / 轻度污染): furniture in a run of two or more.
_TOOLBAR_WORD = re.compile(
    r"^(?:拼音|辅助浏览|轻松阅读|读屏|视图|放大|缩小|配色|页面原始配色|[白黑蓝黄绿]底[白黑蓝黄绿]字(?:[白黑蓝黄绿]链接)?|"
    r"大鼠标|辅助线|显示屏|声音|指读|连读|减速|加速|音量|增加音量|减小音量|后退|前进|全屏|刷新|退出|帮助|换肤|"
    r"AQI|空气质量|轻度污染|中度污染|重度污染|严重污染)$")
# Notices of the page itself (browser, loading): never a report's words, so they may hold commas.
_PAGE_NOTICE = re.compile(r"版本过低|浏览效果|最佳(?:浏览|显示)效果|(?:加载|合成)中.{0,2}请(?:耐心)?(?:等待|稍候)|"
                          r"^点击(?:关闭|展开|收起|隐藏)|"
                          r"建议(?:您)?使用.{0,16}(?:IE|ie|Chrome|谷歌|火狐|Firefox|浏览器).{0,12}(?:版本|以上|浏览)|"
                          r"分辨率\s*\d+\s*[x×*]\s*\d+")
_FOOTER_MARK = re.compile(r"版权所有|Copyright|©|ICP\s*[备证]|公网安备|网站标识码|网站识别码", re.I)
_FOOTER_FIELD = re.compile(r"^(?:主办单位|主办|承办单位|承办|协办单位|技术支持|技术服务|运维单位|维护单位|联系电话|咨询电话|"
                           r"电话|传真|地址|通讯地址|邮编|邮政编码|电子邮箱|邮箱|E-?mail)\s*[:：]", re.I)
_FOOTER_WORDS = re.compile(r"联系我们|网站地图|站点地图|隐私声明|免责声明|使用帮助|网站声明|关于我们|网站纠错|意见反馈|"
                           r"[\[\]【】|/\s·•]")
_TRAILER_START = re.compile(
    r"^(?:附件下载|相关链接|相关阅读|相关文章|相关新闻|相关附件|相关文件|上一篇|下一篇|上一条|下一条|"
    r"标签|留言与评论|发表评论|我要评论|网友评论|评论|验证码|文章标签|附件\s*\d*)\s*(?:[:：(（>》]|$)")
_TRAILER_END = re.compile(r"(?:>>|》》|>>>)\s*$")
_PAGER = re.compile(r"^(?:(?:第\s*\d+\s*页|共\s*\d+\s*页|上一页|下一页|首页|末页|尾页|\d+\s*/\s*\d+\s*页|\d+(?!\d))\s*)+$")
_SITE_NAME = re.compile(rf"^[{CJK}]{{2,30}}(?:门户网站|官方网站|政府网站|政府网|政务网|政务服务网|信息公开网|网站)$")
_WELCOME = re.compile(rf"^(?:您好[，！!]?\s*)?欢迎(?:您)?(?:访问|来到|光临|进入|登录)[{CJK}\w]{{0,30}}[！!。]?"
                      rf"\s*(?:(?:{_DATE})\s*(?:星期[一二三四五六日天])?)?$"
                      rf"|^今天是\s*[:：]?\s*(?:{_DATE})?\s*(?:星期[一二三四五六日天])?$")
_MENU_TOKEN = re.compile(r"[^\W\d_]{2,12}")

_ORG_SUFFIX = r"(?:委员会|人民政府|政府|党工委|工委|管委会|党委|党组|人大常委会|常委会|人大|委|办公室|办|局|厅|部|院|署|中心)"
_ORG = rf"(?:中共)?[{CJK}（）()]{{0,24}}?{_ORG_SUFFIX}"
_ADDRESSEE = re.compile(rf"^{_ORG}(?:\s*[、，,]\s*{_ORG})*\s*[:：]$")
_ADDRESSEES = re.compile(rf"^{_ORG}(?:\s*[、，,]\s*{_ORG})+$")
_TITLES = r"(?:各位)?(?:副?主任|委员|代表|副?主席|常委|秘书长)"  # a report read to a congress: 主任、各位副主任、各位委员：
_SALUTATION = re.compile(rf"^{_TITLES}(?:\s*[、，,]\s*{_TITLES})*\s*[:：]$")
_ORG_TOKEN = re.compile(rf"^{_ORG}$|^[{CJK}]{{2,30}}(?:网站|政府网|政务网)$")
_FIELD_TOKEN = re.compile(rf"^(?:{_KEYS})\s*[:：]\S{{0,30}}$")
_KEY_TOKEN = re.compile(rf"^【?(?:{_KEYS})\s*[:：]$")
_TITLE_WORDS = re.compile(r"报告|总结|情况|工作要点")


def has_sentence(line: str) -> bool:
    """True when ``line`` holds sentence punctuation (。！？，): report text, never furniture.

    >>> has_sentence("来源：市司法局"), has_sentence("全年办结12件。")
    (False, True)
    """
    return _SENTENCE.search(line) is not None


def unwrap(line: str) -> str:
    """The line without leading bullets, table bars and brackets around field names.

    >>> unwrap("| [ 索引号 ] | 1150/2023-00050 | [ 发文字号 ] | 无 |")
    '索引号 1150/2023-00050 发文字号 无'
    >>> unwrap("• 浏览量：")
    '浏览量：'
    """
    line = _BRACKETED_KEY.sub(r" \1 ", _BULLETS.sub("", line))
    return re.sub(r"\s+", " ", line.replace("|", " ")).strip()


def line_kind(line: str) -> Optional[str]:
    """The kind of furniture the whole line is, wherever it stands, or None for report text.

    A line with sentence content is settled by a few quick tests; the others, short lines
    that a site prints on every page, are looked at once per distinct line.
    """
    if not _LETTER_OR_DIGIT.search(line):
        return "separator"
    if heading_level(line) is not None or len(line) > 400:
        return None
    if len(line) <= 80 and "。" not in line and _PAGE_NOTICE.search(line):
        return "widget"
    if _WELCOME.match(line):
        return "header"
    if has_sentence(line):
        return None
    return _unpunctuated_kind(line)


@lru_cache(maxsize=4096)  # lines of at most 400 characters: a few MB at most
def _unpunctuated_kind(line: str) -> Optional[str]:
    """:func:`line_kind` of a line without sentence punctuation, heading marker or notice."""
    plain = unwrap(line)
    if _LINK_LINE.match(plain) or _DOMAIN.match(plain):
        return "link"
    if _is_breadcrumb(line):
        return "breadcrumb"
    if _DATE_LINE.match(plain):
        return ("signed_date" if _CJK_DATE.match(plain) else "date") if _FULL_DATE.search(plain) else None
    if len(line) <= 160 and (_META_LINE.match(plain) or _BRACKETED_FIELD.match(plain) or _HIT_COUNTER.match(plain)
                             or _INDEX_NUMBER.match(plain) or _DATED_FIELD.match(plain)
                             or _META_HEADING.match(plain) or _is_byline(plain)):
        return "metadata"
    return _short_kind(line, plain) if len(line) <= 80 else None


def _short_kind(line: str, plain: str) -> Optional[str]:
    if _PAGER.match(plain) and "页" in plain or _TRAILER_START.match(plain) or _TRAILER_END.search(line):
        return "trailer"
    if _FOOTER_MARK.search(line):
        return "footer"
    if not _WIDGET_WORDS.sub("", plain):
        return "widget"
    if not _FOOTER_WORDS.sub("", plain):
        return "footer"
    if _DOC_NUMBER.match(plain):
        return "doc_number"
    return None


def edge_kind(line: str) -> Optional[str]:
    """Shapes that are furniture only above or below the report's text: site names, menus
    (many short words separated by spaces or bars), footer fields (``联系电话：…``), times."""
    if has_sentence(line) or heading_level(line) is not None or len(line) > 120:
        return None
    plain = unwrap(line)
    if _DATE_LINE.match(plain):  # times and month/day alone (12:05, 03/28): rows of a table in the text
        return "date"
    if _FOOTER_FIELD.match(plain):
        return "footer"
    if _SITE_NAME.match(plain):
        return "header"
    tokens = plain.split(" ")
    if len(tokens) >= 4 and all(_MENU_TOKEN.fullmatch(t) for t in tokens):
        return "header"
    return None


def is_addressee(line: str) -> bool:
    """A short line of organisation names ending in a colon (``县委、县政府：``), or two or
    more names joined by ``、`` (the colon lost)."""
    return len(line) <= 50 and bool(_ADDRESSEE.match(line) or _ADDRESSEES.match(line) or _SALUTATION.match(line))


def toolbar_widgets(lines: list[str], kinds: list[Optional[str]]) -> list[Optional[str]]:
    """``kinds`` with ``widget`` for the lines that are items of an accessibility toolbar or
    an air-quality box printed one a line (``放大``, ``• 轻度污染``), next to another such item
    or a widget line.

    >>> toolbar_widgets(["放大", "缩小", "前进", "全年办结。"], [None, None, None, None])
    ['widget', 'widget', 'widget', None]
    >>> toolbar_widgets(["全年办结。", "前进", "开展普法。"], [None, None, None])
    [None, None, None]
    """
    item = [k is None and len(x) <= 12 and bool(_TOOLBAR_WORD.match(unwrap(x))) for x, k in zip(lines, kinds)]
    return ["widget" if found and any(0 <= j < len(lines) and (item[j] or kinds[j] == "widget") for j in (i - 1, i + 1))
            else kinds[i] for i, found in enumerate(item)]


def is_key_only(line: str) -> bool:
    """A metadata field name with its value on the next line (``来源：``, ``• 信息来源：``, ``公开日期``)."""
    return bool(_KEY_ONLY.match(unwrap(line)))


def is_field_row(line: str) -> bool:
    """A line that opens with a field name and holds no sentence end, commas allowed
    (``主题分类: 综合政务,政务公开``): metadata inside a metadata table."""
    return len(line) <= 160 and not re.search(r"[。！？!?]", line) and bool(_META_LINE.match(unwrap(line)))


def is_table_key(line: str) -> bool:
    """A field name by its shape alone (``机构分类``): metadata only inside a metadata table."""
    return bool(_TABLE_KEY.match(line))


def is_meta_value(line: str) -> bool:
    """A line that can be the value of the field above it: short, no sentence, not a
    heading, not an addressee and not the report's title."""
    return (len(line) <= 40 and not has_sentence(line) and heading_level(line) is None
            and not line.endswith(("：", ":")) and not (_TITLE_WORDS.search(line) and len(line) >= 8))


def _is_breadcrumb(line: str) -> bool:
    if len(line) > 200:
        return False
    if _CRUMB_KEY.match(line) or _CRUMB_HOME.match(line):
        return True
    parts = [p for p in _CRUMB_SEPARATORS.split(line) if p]
    separators = len(_CRUMB_SEPARATORS.findall(line))
    if separators < 2 and not (line.startswith((">", "»")) and separators >= 1):
        return False
    return bool(parts) and all(len(p) <= 16 for p in parts)


def _is_byline(plain: str) -> bool:
    """Dates, fields, widgets, links and organisation names side by side
    (``市司法局 2022年02月15日``, ``2023-03-31 17:05 来源： 海口市司法局 打印``)."""
    tokens = _RUN_IN_FIELD.sub(" ", plain).split(" ")
    if len(tokens) < 2 or len(plain) > 120:
        return False
    strong = 0
    after_key = False
    for token in tokens:
        if _DATE_LINE.match(token) or _FIELD_TOKEN.match(token) or _DOC_NUMBER.match(token) or _DOMAIN.match(token):
            strong += 1
        elif not (_ORG_TOKEN.match(token) or not _WIDGET_WORDS.sub("", token) or after_key and len(token) <= 20):
            return False
        after_key = bool(_KEY_TOKEN.match(token))
    return strong > 0


# ---------------------------------------------------------------- furniture at the start of a long line

_URL_START = re.compile(rf"(?:URL|网址|链接|本文链接|原文链接)?\s*[:：]?\s*{_URL}", re.I)
_URL_END = re.compile(r".*(?:\.(?:s?html?|jhtml|aspx?|jsp|php)|/)", re.I)
_FIELD_PIECE = re.compile(rf"\s*【?(?:{_KEYS})】?\s*(?:[:：]\s*(?:(?:{_DATE})(?:\s+{_TIME})?|{_TIME}|[^\s:：]{{1,30}}(?=\s|$))?"
                          rf"|\s+(?:{_DATE})(?:\s+{_TIME})?)(?=\s|$)")
_DATE_PIECE = re.compile(rf"\s*[（(]?\s*(?:{_DATE})(?:\s+{_TIME})?\s*[）)]?(?=\s|$)")
_WIDGET_PIECE = re.compile(r"\s*(?:[\[【(（]\s*)?(?:字[体号]\s*[:：]?\s*(?:[\[【(（]?\s*[大中小](?:\s*[大中小]){0,2}\s*[\]】)）]?)?|"
                           r"分享到|分享|打印本页|打印|关闭窗口|关闭|收藏|返回顶部)\s*(?:[\]】)）]|[:：])?(?=\s|$|[\[【])")

_TITLE_PIECE = re.compile(r"\s*[^\s。！？，；：:]{4,60}?(?:报告|总结)(?=\s)")


def leading_furniture(line: str) -> list[tuple[str, str]]:
    """(kind, text) of the furniture at the start of a line that opens with a link or a
    breadcrumb — a page that arrived as one long line. Each piece ends at its own boundary
    (a space, or the end of a link); the report text after it is never touched."""
    pieces: list[tuple[str, str]] = []
    position = 0
    while position < len(line):
        found = _next_piece(line, position, first=not pieces)
        if found is None:
            break
        kind, end = found
        text = line[position:end].strip()
        if not text:
            break
        pieces.append((kind, text))
        position = end
    return pieces


def _next_piece(line: str, position: int, first: bool) -> Optional[tuple[str, int]]:
    rest = line[position:]
    start = len(rest) - len(rest.lstrip())
    url = _URL_START.match(rest)
    if url:
        end = url.end()
        if end < len(rest) and not rest[end].isspace():  # the link runs into the text: end at its path
            tail = _URL_END.match(rest, 0, end)
            if not tail or tail.end() <= rest.find("//") + 2:
                return None
            end = tail.end()
        return "link", position + end
    crumb = _crumb_end(rest[start:])
    if crumb:
        return "breadcrumb", position + start + crumb
    if first:
        return None
    field = _field_piece(rest)
    if field:
        return field[0], position + field[1]
    title = _TITLE_PIECE.match(rest)  # the title between the trail and the fields under it
    if title and _field_piece(rest[title.end():]):
        return "title", position + title.end()
    return None


def _field_piece(rest: str) -> Optional[tuple[str, int]]:
    for kind, pattern in (("metadata", _FIELD_PIECE), ("date", _DATE_PIECE), ("widget", _WIDGET_PIECE)):
        match = pattern.match(rest)
        if match and match.group().strip():
            return kind, match.end()
    return None


def _crumb_end(text: str) -> int:
    """Where a breadcrumb trail at the start of ``text`` ends (0: no trail there)."""
    key = _CRUMB_KEY.match(text) or _CRUMB_HOME.match(text)
    if not key:
        return 0
    end = position = key.end()
    trail = bool(_CRUMB_HOME.match(text))
    while True:
        part = _CRUMB_PART.match(text, position)
        if not part:
            break
        end = position = part.end()
        trail = True
    last = _CRUMB_LAST.match(text, position)
    if last and (trail or _HOME.fullmatch(last.group().strip())):  # 当前位置：首页 > … > 通知 | 当前位置：首页
        end, trail = last.end(), True
    return end if trail else 0
