"""Compare HTML readers on government report pages: content kept, navigation dropped, speed.

The 50 real dev pages (``tests/data/dev/reports``) are rendered as HTML pages the way
government sites publish them: a top bar, a site header and a main menu, the page's own
furniture lines (breadcrumbs, metadata, share and print widgets, link lists) in their
blocks, the report title in an ``<h1>`` and its body in ``<p>`` elements, scripts, styles,
a hidden QR-code box and a site footer. Even pages use HTML5 elements (``<header>``,
``<nav>``, ``<footer>``), odd pages the ``<div class="header">`` / ``id="nav"`` /
``class="footer"`` of older sites. Which lines are furniture comes from the pages' labelled
units (``tests/data/dev/units.jsonl``, label ``furniture``).

Measured per reader:

* **sentences lost**: body sentences (pieces ending in 。！？；) of the page text that are
  not found, whitespace aside, in the reader's output (0 is the only good number);
* **nav dropped**: the share of site-navigation texts (top bar, header, menu, footer and
  the page's furniture lines inside them) absent from the output;
* **ms/page**: the fastest of three passes over the 50 pages, divided by 50;
* **shapes**: real-world HTML shapes read right (fragment starting with ``<h1>``, page
  without ``</head>``, 40 leading comments, nested tables, ``<br>``-separated text), each
  in a child process stopped after 10 s (a hang counts as a failure).

Run (the third-party readers are benchmark-only: ``pip install trafilatura readability-lxml
justext selectolax``; a reader that is not installed is skipped)::

    python benchmarks/html_readers.py
"""
from __future__ import annotations

import json
import multiprocessing
import re
import sys
import time
from html import escape
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEV = ROOT / "tests" / "data" / "dev"

_SENTENCE = re.compile(r"[^。！？；]+[。！？；]")

TOP_BAR = ["设为首页", "加入收藏", "无障碍浏览", "长者模式", "繁體版", "English"]
MENU = ["首页", "走进本市", "政务公开", "政务服务", "互动交流", "专题专栏", "数据开放"]
FOOTER = ["主办单位：本市人民政府办公室", "承办单位：本市大数据发展中心", "网站标识码：3301000001",
          "浙ICP备05012345号", "浙公网安备 33010202000123号", "联系我们", "网站地图", "隐私声明"]
SCRIPT = ("var _hmt = _hmt || []; document.write('<div>浏览次数：' + getHits() + '</div>');"
          " window._bd_share_config = {common: {bdText: '一是分享'}};")
HIDDEN = "微信扫一扫：分享至朋友圈"


def sq(text: str) -> str:
    return re.sub(r"\s+", "", text)


def dev_pages() -> list[tuple[str, list[tuple[str, bool]]]]:
    """(doc, [(line, is_furniture)]) for the 50 dev pages, furniture from the labelled units."""
    units: dict[str, list[dict]] = {}
    for line in (DEV / "units.jsonl").read_text(encoding="utf-8").splitlines():
        unit = json.loads(line)
        units.setdefault(unit["doc"], []).append(unit)
    pages = []
    for path in sorted((DEV / "reports").glob("*.txt")):
        lines = [l.strip() for l in path.read_text(encoding="utf-8").splitlines()[2:] if l.strip()]
        furniture = [u["text"] for u in units.get(path.stem, []) if u["label"] == "furniture"]
        pages.append((path.stem, [(l, any(sq(f) and sq(f) in sq(l) for f in furniture)) for l in lines]))
    return pages


def render(lines: list[tuple[str, bool]], semantic: bool, site: str = "某市人民政府") -> tuple[str, list[str]]:
    """An HTML page of one report and the site-navigation texts it holds."""
    first = next((i for i, (_, f) in enumerate(lines) if not f), len(lines))
    last = max((i for i, (_, f) in enumerate(lines) if not f), default=-1)
    lead = [l for l, _ in lines[:first]]
    tail = [l for l, _ in lines[last + 1:]]
    inner = [(l, f) for l, f in lines[first:last + 1]]
    header, nav, footer = (("header", "", "header"), ("nav", "", "nav"), ("footer", "", "footer")) if semantic \
        else (("div", ' class="header"', "div"), ("div", ' id="nav"', "div"), ("div", ' class="footer"', "div"))
    nav_texts = TOP_BAR + [site + "门户网站"] + MENU + FOOTER + lead + tail
    out = ['<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">',
           f"<title>{escape(site)}门户网站</title>",
           "<style>.nav li{float:left} .hide{display:none}</style>",
           f"<script>{SCRIPT}</script>\n</head>\n<body>",
           f'<div class="top">{"".join(f"<a href=#>{t}</a> | " for t in TOP_BAR)}</div>',
           f'<{header[0]}{header[1]}><div class="logo"><img src="logo.png" alt="">{site}门户网站</div>',
           f"<{nav[0]}{nav[1]}><ul>{''.join(f'<li><a href=#>{t}</a></li>' for t in MENU)}</ul></{nav[2]}>",
           f"</{header[2]}>"]
    if lead:
        out.append(f'<{nav[0]} class="crumb">' + "".join(f"<div>{escape(l)}</div>" for l in lead) + f"</{nav[2]}>")
    out.append('<div class="main"><div class="article">')
    title_done = False
    for line, furniture in inner:
        if furniture:
            out.append(f'<div class="info"><span>{escape(line)}</span></div>')
        elif not title_done and not _SENTENCE.search(line):
            out.append(f'<h1 class="title">{escape(line)}</h1>\n<div class="TRS_Editor">')
            title_done = True
        else:
            out.append(f'<p style="text-indent:2em"><span>{escape(line)}</span></p>')
    out.append("</div>" * (2 + title_done))
    out.append(f'<div class="hide" style="display:none">{HIDDEN}</div>')
    out.append(f"<{footer[0]}{footer[1]}>" + "".join(f"<p>{escape(t)}</p>" for t in tail + FOOTER)
               + f"</{footer[2]}>\n<script>var s = '特此报告。';</script>\n</body>\n</html>")
    return "\n".join(out), nav_texts + [HIDDEN]


# --- real-world shapes -------------------------------------------------------------------

BODY = ["一、总体情况", "全年办理行政复议案件12件，审结10件。", "特此报告。"]
SHAPES = {
    "fragment <h1>": ("<h1>一、总体情况</h1>\n<p>全年办理行政复议案件12件，审结10件。</p><p>特此报告。</p>", BODY),
    "no </head>": ("<html><head><meta charset=utf-8><title>某局</title>\n<div class=nav>首页</div>"
                   "<h1>一、总体情况</h1><p>全年办理行政复议案件12件，审结10件。</p><p>特此报告。</p>", BODY),
    "40 comments": ("<!-- header -->\n" * 40 + "<section><h2>一、总体情况</h2><p>全年办理行政复议案件12件，"
                    "审结10件。</p><p>特此报告。</p></section>", BODY),
    "nested tables": ("<table><tr><td><table><tr><td>一、总体情况</td></tr><tr><td><table><tr><td>"
                      "全年办理行政复议案件12件，审结10件。</td></tr></table></td></tr></table></td></tr>"
                      "<tr><td>特此报告。</td></tr></table>", BODY),
    "<br> text": ("<div class=TRS_Editor>一、总体情况<br>全年办理行政复议案件12件，审结10件。<br/><br/>"
                  "特此报告。</div>", BODY),
}


def shape_ok(reader: Callable[[str], str], html: str, expected: list[str]) -> bool:
    lines = [sq(l) for l in reader(html).split("\n") if l.strip()]
    return lines == [sq(l) for l in expected]


def _shape_child(name: str, shape: str, queue) -> None:
    try:
        html, expected = SHAPES[shape]
        queue.put(shape_ok(READERS[name], html, expected))
    except Exception as exc:  # a reader's own failure counts as not read right
        queue.put(f"{type(exc).__name__}")


def shape_result(name: str, shape: str) -> str:
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_shape_child, args=(name, shape, queue))
    child.start()
    child.join(10)
    if child.is_alive():
        child.kill()
        child.join()
        return "hangs"
    result = queue.get()
    return "ok" if result is True else ("wrong" if result is False else result)


# --- the readers -------------------------------------------------------------------------

def block_text(root, skip: frozenset) -> str:
    """Visible text of an lxml tree, one block per line, ``skip`` elements left out."""
    blocks = frozenset("address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 "
                       "h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td th thead tr ul".split())
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        hidden = tag in skip or "display:none" in (el.get("style") or "").replace(" ", "") \
            or el.get("hidden") is not None
        if not hidden:
            if tag in blocks:
                parts.append("\n")
            if tag and el.text:
                parts.append(el.text)
            for child in el:
                walk(child)
            if tag in blocks:
                parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    return "\n".join(l.strip() for l in "".join(parts).split("\n") if l.strip())


_DROPPED = frozenset("script style noscript template head title svg iframe object nav".split())


BEFORE = "2726831"  # the commit whose reader the fixes started from


def read_stdlib_before(html: str) -> str:
    if "before" not in _CACHE:
        import subprocess
        source = subprocess.run(["git", "show", f"{BEFORE}:fazhi_nlp/read.py"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout
        namespace: dict = {"__name__": "read_before"}
        exec(compile(source.replace("from .", "from fazhi_nlp."), "read_before", "exec"), namespace)
        _CACHE["before"] = namespace["html_to_text"]
    return _CACHE["before"](html)


_CACHE: dict = {}


def read_fazhi(html: str) -> str:
    from fazhi_nlp.read import html_to_text
    return html_to_text(html)


def read_lxml(html: str) -> str:
    import lxml.html
    return block_text(lxml.html.document_fromstring(html), _DROPPED)


def read_selectolax(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser
    tree = LexborHTMLParser(html)
    for node in tree.css(",".join(_DROPPED - {"head"}) + ",[hidden],[style*='display:none']"):
        node.decompose()
    for node in tree.css("br"):
        node.replace_with("\n")
    root = tree.body
    return "\n".join(l.strip() for l in (root.text(separator="\n") if root else "").split("\n") if l.strip())


def read_trafilatura(html: str) -> str:
    import trafilatura
    return trafilatura.extract(html, include_tables=True, include_comments=False, favor_recall=True) or ""


def read_readability(html: str) -> str:
    import lxml.html
    from readability import Document
    document = Document(html)
    return block_text(lxml.html.fromstring(document.summary(html_partial=True)), _DROPPED)


def read_justext(html: str) -> str:
    import justext
    paragraphs = justext.justext(html.encode("utf-8"), frozenset(), stopwords_low=0, stopwords_high=0,
                                 length_low=10, length_high=20)
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


READERS: dict[str, Callable[[str], str]] = {
    "fazhi_nlp html.parser (before)": read_stdlib_before,
    "fazhi_nlp html.parser (now)": read_fazhi,
    "lxml.html + same rules": read_lxml,
    "selectolax (lexbor) + same rules": read_selectolax,
    "trafilatura (favor_recall)": read_trafilatura,
    "readability-lxml": read_readability,
    "jusText (no stoplist)": read_justext,
}


def measure(name: str, pages: list[tuple[str, str, list[str], list[str]]]) -> dict:
    reader = READERS[name]
    lost = total = dropped = navs = 0
    for _, html, sentences, nav_texts in pages:
        out = sq(reader(html))
        total += len(sentences)
        lost += sum(sq(s) not in out for s in sentences)
        navs += len(nav_texts)
        dropped += sum(sq(t) not in out for t in nav_texts)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _, html, _, _ in pages:
            reader(html)
        best = min(best, time.perf_counter() - start)
    return dict(lost=lost, total=total, dropped=dropped / navs, ms=1000 * best / len(pages))


def main() -> None:
    pages = []
    for n, (doc, lines) in enumerate(dev_pages()):
        html, nav_texts = render(lines, semantic=n % 2 == 0)
        sentences = [s for line, f in lines if not f for s in _SENTENCE.findall(line)]
        sentences += [line for line, f in lines if not f and not _SENTENCE.search(line)]  # headings, title
        pages.append((doc, html, sentences, nav_texts))
    print(f"{len(pages)} pages, {sum(len(p[2]) for p in pages)} body sentences and headings, "
          f"{sum(len(p[3]) for p in pages)} navigation texts\n")
    print(f"| reader | sentences lost | nav dropped | ms/page | {' | '.join(SHAPES)} |")
    print("|---|---|---|---|" + "---|" * len(SHAPES))
    for name in READERS:
        try:
            m = measure(name, pages)
        except ImportError as exc:
            print(f"| {name} | not installed ({exc.name}) |")
            continue
        shapes = [shape_result(name, shape) for shape in SHAPES]
        print(f"| {name} | {m['lost']} of {m['total']} | {m['dropped']:.0%} | {m['ms']:.2f} | "
              + " | ".join(shapes) + " |", flush=True)


if __name__ == "__main__":
    main()
