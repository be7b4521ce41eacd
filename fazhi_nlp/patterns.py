"""Shapes of Chinese report text that several stages share.

The ground floor of the package: character classes, outline markers of headings,
enumerators (一是…), sentence ends, and the paragraph key and similarity used to compare
paragraphs. Stages import these; this module imports nothing of the package, so a
change here is the one place a shared shape changes.

Examples
--------
>>> heading_level("（三）强化法治教育"), heading_level("1. 全面落实"), heading_level("2022年，")
(2, 3, None)
>>> bool(ENUMERATOR.match("二是完善制度"))
True
>>> paragraph_key("一、总体情况：全年 12 件。")
'一总体情况全年12件'
>>> round(similarity(bigrams("行政复议案件"), bigrams("行政复议案")), 2)
0.8
"""
from __future__ import annotations

import re
from typing import Optional

__all__ = [
    "CJK", "CJK_CHAR", "CN_NUMERALS", "ENUMERATOR", "HEADING_MARKERS", "HEADING_OPENERS", "SENTENCE_END",
    "SENTENCE_END_CHARS", "SPLIT_BEFORE_ENUMERATOR", "bigrams", "has_cjk", "heading_level",
    "paragraph_key", "similarity",
]

#: Chinese characters (CJK unified ideographs, extension A, compatibility ideographs), for use inside ``[...]``.
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: One Chinese character.
CJK_CHAR = re.compile(f"[{CJK}]")
#: Chinese numerals used in outline numbers (一、 （二） 第三部分).
CN_NUMERALS = "一二三四五六七八九十百零〇两"

#: Outline markers by level: 0 = 第一部分/第一章, 1 = 一、, 2 = （一）, 3 = 1. / 1、, 4 = （1） / 1） / ①.
HEADING_MARKERS = (
    (0, re.compile(rf"^第[{CN_NUMERALS}\d]+[章部篇节](?:分)?\s*")),
    (1, re.compile(rf"^[{CN_NUMERALS}]+\s*[、，.]\s*")),
    (2, re.compile(rf"^[（(]\s*[{CN_NUMERALS}]+\s*[）)]\s*[、.]?\s*")),
    (3, re.compile(r"^\d{1,2}\s*[.、．](?!\d)\s*")),
    (4, re.compile(r"^[（(]\s*\d{1,2}\s*[）)]\s*|^\d{1,2}\s*[）)]\s*|^[\u2460-\u2473]\s*")),
)
#: An enumerated clause opens with one of these (一是、二是…, 第一，…, 其一，…, 首先，…).
ENUMERATOR = re.compile(
    rf"[{CN_NUMERALS}]+是|第[{CN_NUMERALS}]+[，、：,:]|其[{CN_NUMERALS}][，、：,:]|首先[，、：,:]|其次[，、：,:]|最后[，、：,:]")
#: The place before an enumerator inside a paragraph where a new clause starts.
SPLIT_BEFORE_ENUMERATOR = re.compile(
    rf"(?<=[，、：；。！？”）])\s*(?=[{CN_NUMERALS}]+是|第[{CN_NUMERALS}]+[，、：]|其[{CN_NUMERALS}][，、：])")
#: A sentence end with the closing quotes and brackets that follow it.
SENTENCE_END = re.compile(r"[。！？；!?;…]+[”’」』）)】》\"']*")
#: Characters that end a sentence (a line without any of them may be a heading or furniture).
SENTENCE_END_CHARS = "。！？；!?;"

# Letters and digits (\w without the underscore): what is left when spaces, punctuation and
# symbols are taken out.
_SIGNIFICANT = re.compile(r"[^\W_]+")


def has_cjk(text: str) -> bool:
    """True when ``text`` holds at least one Chinese character.

    >>> has_cjk("2023-01-05"), has_cjk("特此报告")
    (False, True)
    """
    return CJK_CHAR.search(text) is not None


#: The characters an outline marker opens with (and any decimal digit, which ``\d`` matches).
HEADING_OPENERS = frozenset("第（(" + CN_NUMERALS + "".join(map(chr, range(0x2460, 0x2474))))


def heading_level(paragraph: str) -> Optional[int]:
    """The outline level of a numbered paragraph (0 = 第一部分 … 4 = （1）), or None.

    A paragraph that opens with none of :data:`HEADING_OPENERS` and no digit is not
    numbered: the markers are tried only on the others.

    >>> heading_level("一、总体情况"), heading_level("第二部分 存在问题")
    (1, 0)
    """
    if not paragraph or not (paragraph[0] in HEADING_OPENERS or paragraph[0].isdecimal()):
        return None
    for level, marker in HEADING_MARKERS:
        if marker.match(paragraph):
            return level
    return None


def paragraph_key(paragraph: str) -> str:
    """The paragraph with spaces, punctuation and symbols removed: what two copies share.

    >>> paragraph_key("（一）加强领导， 落实责任。") == paragraph_key("(一)加强领导,落实责任.")
    True
    """
    return "".join(_SIGNIFICANT.findall(paragraph))  # a quarter faster than removing the rest


def bigrams(key: str) -> frozenset[str]:
    """The set of character bigrams of a key (the key itself when it has one character).

    >>> sorted(bigrams("法治政府"))
    ['政府', '治政', '法治']
    """
    return frozenset(key[i:i + 2] for i in range(max(1, len(key) - 1)))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two bigram sets (1.0 for two empty sets).

    >>> similarity(bigrams("法治政府"), bigrams("法治政府"))
    1.0
    """
    return len(a & b) / len(a | b) if a or b else 1.0
