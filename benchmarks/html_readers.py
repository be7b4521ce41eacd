"""Compare HTML readers on government report pages: content kept, navigation dropped, speed.

The 50 real dev pages (``tests/data/dev/reports``) are rendered as HTML pages the way
government sites publish them: a top bar, a site header and a main menu, the page's own
furniture lines (breadcrumbs, metadata, share and print widgets, link lists) in their
blocks, the report title in an ``<h1>`` and its body in ``<p>`` elements, scripts, styles,
a hidden QR-code box and a site footer. The pages take turns in three styles: HTML5
elements (``<header>``, ``<nav>``, ``<footer>``), the ``<div class="header">`` / ``id="nav"``
/ ``class="footer"`` of most sites, and an old layout of nested tables whose body is one
table cell of ``<br>``-separated paragraphs. Which lines are furniture comes from the pages' labelled
units (``tests/data/dev/units.jsonl``, label ``furniture``).

Measured per reader:

* **sentences lost**: body sentences (pieces ending in 。！？；) and headings of the page
  text that are not found, whitespace aside, in the reader's output (0 is the only good
  number), in all and on the table-layout pages;
* **nav dropped**: the share of site-navigation texts (top bar, header, menu, footer and
  the page's furniture lines inside them) absent from the output;
* **ms/page**: the fastest of three passes over the 50 pages, divided by 50;
* and, for fazhi_nlp's reader before and now, through the whole pipeline: site
  navigation left in units, and pages whose units, title and agency equal those of the
  page's plain text;
* **shapes**: real-world HTML shapes read exactly right (fragment starting with ``<h1>``,
  page without ``</head>``, 40 leading comments, nested tables, ``<br>``-separated text,
  Word's HTML export with ``<![if !supportLists]>`` and a broken ``<![ endif]>``), and whole
  pages where no line of the report may be lost (the title in a ``<div>`` of its own and
  the body in two, a report with a statistics table, a five-line report); each in a child
  process stopped after 10 s (a hang counts as a failure; "wrong" is a wrong or lost line).

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


def render(lines: list[tuple[str, bool]], style: str, site: str = "某市人民政府") -> tuple[str, list[str]]:
    """An HTML page of one report and the site-navigation texts it holds.

    ``style`` is ``"html5"`` (``<header>``, ``<nav>``, ``<footer>``), ``"div"`` (``<div
    class="header">``, ``id="nav"``, ``class="footer"``) or ``"table"`` (an old layout of
    nested tables, the body's paragraphs separated by ``<br>``).
    """
    first = next((i for i, (_, f) in enumerate(lines) if not f), len(lines))
    last = max((i for i, (_, f) in enumerate(lines) if not f), default=-1)
    lead = [l for l, _ in lines[:first]]
    tail = [l for l, _ in lines[last + 1:]]
    inner = lines[first:last + 1]
    nav_texts = TOP_BAR + [site + "门户网站"] + MENU + FOOTER + lead + tail + [HIDDEN]
    head = (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{escape(site)}门户网站</title>'
            f"\n<style>.nav li{{float:left}} .hide{{display:none}}</style>\n<script>{SCRIPT}</script>\n</head>\n<body>")
    hidden = f'<div class="hide" style="display:none">{HIDDEN}</div>'
    script = "<script>var s = '特此报告。';</script>"
    if style == "table":
        body = []
        for line, furniture in inner:
            body.append(escape(line) if not furniture else f'<font color="#999">{escape(line)}</font>')
        out = [head, '<table width="1000" align="center"><tr><td class="top">'
               + " | ".join(f"<a href=#>{t}</a>" for t in TOP_BAR) + "</td></tr>",
               f'<tr><td class="logo"><img src="logo.gif">{site}门户网站</td></tr>',
               '<tr><td class="nav">' + "&nbsp;|&nbsp;".join(f"<a href=#>{t}</a>" for t in MENU) + "</td></tr>",
               '<tr><td><table width="100%"><tr><td class="crumb">' + "<br>".join(map(escape, lead)) + "</td></tr>",
               '<tr><td class="content">' + "<br>\n&nbsp;&nbsp;".join(body) + "</td></tr></table></td></tr>",
               '<tr><td class="footer">' + "<br>".join(map(escape, tail + FOOTER)) + "</td></tr></table>",
               hidden, script, "</body>\n</html>"]
        return "\n".join(out), nav_texts
    semantic = style == "html5"
    header, nav, footer = (("header", "", "header"), ("nav", "", "nav"), ("footer", "", "footer")) if semantic \
        else (("div", ' class="header"', "div"), ("div", ' id="nav"', "div"), ("div", ' class="footer"', "div"))
    out = [head, f'<div class="top">{"".join(f"<a href=#>{t}</a> | " for t in TOP_BAR)}</div>',
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
    out.append(hidden)
    out.append(f"<{footer[0]}{footer[1]}>" + "".join(f"<p>{escape(t)}</p>" for t in tail + FOOTER)
               + f"</{footer[2]}>\n{script}\n</body>\n</html>")
    return "\n".join(out), nav_texts


# --- real-world shapes -------------------------------------------------------------------

BODY = ["一、总体情况", "全年办理行政复议案件12件，审结10件。", "特此报告。"]
SHAPES = {
    "fragment <h1>": ("<h1>一、总体情况</h1>\n<p>全年办理行政复议案件12件，审结10件。</p><p>特此报告。</p>", BODY),
    "no </head>": ("<html><head><meta charset=utf-8><title>某局</title>\n"
                   "<h1>一、总体情况</h1><p>全年办理行政复议案件12件，审结10件。</p><p>特此报告。</p>", BODY),
    "40 comments": ("<!-- header -->\n" * 40 + "<center><h2>一、总体情况</h2><p>全年办理行政复议案件12件，"
                    "审结10件。</p><p>特此报告。</p></center>", BODY),
    "nested tables": ("<table><tr><td><table><tr><td>一、总体情况</td></tr><tr><td><table><tr><td>"
                      "全年办理行政复议案件12件，审结10件。</td></tr></table></td></tr></table></td></tr>"
                      "<tr><td>特此报告。</td></tr></table>", BODY),
    "<br> text": ("<div class=TRS_Editor>一、总体情况<br>全年办理行政复议案件12件，审结10件。<br/><br/>"
                  "特此报告。</div>", BODY),
    "Word export": ("<html><body lang=ZH-CN><p class=MsoNormal><![if !supportLists]><span>一、</span><![endif]>"
                    "总体情况</p><p class=MsoNormal>全年办理行政复议案件12件，审结10件。<o:p></o:p></p>"
                    "<![ endif]><p class=MsoNormal>特此报告。</p></body></html>", BODY),
}


# Whole pages with site navigation, where only lost content counts (navigation may stay).
_SEED = [l.strip() for l in (ROOT / "fazhi_nlp" / "data" / "examples" / "004_0238c246dad16e48.txt")
         .read_text(encoding="utf-8").splitlines() if l.strip()]
_NAV = ('<div class="header"><div class="logo">沂源县人民政府</div><div id="nav"><a href=#>首页</a> '
        '<a href=#>政务公开</a></div></div>')
_FOOT = '<div class="footer"><p>主办单位：沂源县人民政府办公室</p></div>'
_STATS = ("<p>2022年行政复议和行政诉讼情况如下：</p><table border=1><tr><td>类别</td><td>件数</td></tr>"
          "<tr><td>行政复议</td><td>12</td></tr><tr><td>行政诉讼</td><td>3</td></tr></table>")
PAGES = {
    "title in own div": (f'<html><body>{_NAV}<div class="title"><h1>{_SEED[0]}</h1></div><div class="content">'
                         + "".join(f"<p>{l}</p>" for l in _SEED[1:8]) + '</div><div class="pages">第1页</div>'
                         '<div class="content2">' + "".join(f"<p>{l}</p>" for l in _SEED[8:]) + f"</div>{_FOOT}",
                         _SEED),
    "data table": (f'<html><body>{_NAV}<div class="content"><h1>{_SEED[0]}</h1>'
                   + "".join(f"<p>{l}</p>" for l in _SEED[1:6]) + _STATS
                   + "".join(f"<p>{l}</p>" for l in _SEED[6:]) + f"</div>{_FOOT}",
                   _SEED + ["2022年行政复议和行政诉讼情况如下：", "行政复议", "12", "行政诉讼"]),
    "short report": (f'<html><body>{_NAV}<div class="content"><h1>某局2022年法治政府建设年度报告</h1>'
                     + "".join(f"<p>{l}</p>" for l in BODY) + f"</div>{_FOOT}",
                     ["某局2022年法治政府建设年度报告", *BODY]),
}


def shape_ok(reader: Callable[[str], str], html: str, expected: list[str], exact: bool = True) -> bool:
    """Exactly the expected lines (a shape), or every expected line kept (a page)."""
    lines = [sq(l) for l in reader(html).split("\n") if l.strip()]
    if exact:
        return lines == [sq(l) for l in expected]
    out = "".join(lines)
    return all(sq(l) in out for l in expected)


def _shape_child(name: str, shape: str, queue) -> None:
    try:
        html, expected = SHAPES[shape] if shape in SHAPES else PAGES[shape]
        queue.put(shape_ok(READERS[name], html, expected, exact=shape in SHAPES))
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
    """The reader as it was: html.parser, pages recognised by a regular expression."""
    if "before" not in _CACHE:
        import subprocess
        source = subprocess.run(["git", "show", f"{BEFORE}:fazhi_nlp/read.py"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout
        namespace: dict = {"__name__": "read_before"}
        exec(compile(source.replace("from .", "from fazhi_nlp."), "read_before", "exec"), namespace)
        _CACHE["before"] = namespace["read_report"]
    return _CACHE["before"](html, input="content")


_CACHE: dict = {}


def read_fazhi(html: str) -> str:
    from fazhi_nlp.read import read_report
    return read_report(html, input="content")


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
    "fazhi_nlp before: html.parser": read_stdlib_before,
    "fazhi_nlp now: lxml.html": read_fazhi,
    "lxml.html, plain walk": read_lxml,
    "selectolax (lexbor), plain walk": read_selectolax,
    "trafilatura (favor_recall)": read_trafilatura,
    "readability-lxml": read_readability,
    "jusText (no stoplist)": read_justext,
}


def measure(name: str, pages: list[tuple[str, str, list[str], list[str]]]) -> dict:
    reader = READERS[name]
    lost = total = dropped = navs = table_lost = 0
    for style, html, sentences, nav_texts in pages:
        out = sq(reader(html))
        total += len(sentences)
        missing = sum(sq(s) not in out for s in sentences)
        lost += missing
        table_lost += missing if style == "table" else 0
        navs += len(nav_texts)
        dropped += sum(sq(t) not in out for t in nav_texts)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _, html, _, _ in pages:
            reader(html)
        best = min(best, time.perf_counter() - start)
    return dict(lost=lost, table_lost=table_lost, total=total, dropped=dropped / navs,
                ms=1000 * best / len(pages))


def end_to_end(pages: list[tuple[str, str, list[str], list[str]]], texts: list[str], before: bool) -> str:
    """Through the whole pipeline: navigation texts left in units, and pages whose units,
    title and agency equal those of the page's plain text."""
    import fazhi_nlp
    import fazhi_nlp.pipeline as pipeline

    reader = pipeline.read_with_removals
    if before:
        read_stdlib_before("")
        pipeline.read_with_removals = lambda source, input="auto": (_CACHE["before"](source, input=input), ())
    try:
        left = same = 0
        for (_, html, _, nav_texts), text in zip(pages, texts):
            page, plain = fazhi_nlp.process(html, input="content"), fazhi_nlp.process(text, input="content")
            units = [sq(u.text) for u in page.units]
            left += sum(any(sq(t) == u or (len(sq(t)) > 6 and sq(t) in u) for u in units) for t in nav_texts)
            same += ([u.text for u in page.units] == [u.text for u in plain.units]
                     and (page.title, page.agency) == (plain.title, plain.agency))
    finally:
        pipeline.read_with_removals = reader
    return f"{left} of {sum(len(p[3]) for p in pages)} navigation texts left in units; " \
           f"{same} of {len(pages)} pages give the units, title and agency of their text"


def main() -> None:
    pages, texts = [], []
    for n, (doc, lines) in enumerate(dev_pages()):
        texts.append("\n".join(line for line, _ in lines))
        style = ("html5", "div", "table")[n % 3]
        html, nav_texts = render(lines, style=style)
        sentences = [s for line, f in lines if not f for s in _SENTENCE.findall(line)]
        sentences += [line for line, f in lines if not f and not _SENTENCE.search(line)]  # headings, title
        pages.append((style, html, sentences, nav_texts))
    print(f"{len(pages)} pages, {sum(len(p[2]) for p in pages)} body sentences and headings, "
          f"{sum(len(p[3]) for p in pages)} navigation texts\n")
    shapes = [*SHAPES, *PAGES]
    print(f"| reader | sentences lost | of them on table pages | nav dropped | ms/page | {' | '.join(shapes)} |")
    print("|---|---|---|---|---|" + "---|" * len(shapes))
    for name in READERS:
        try:
            m = measure(name, pages)
        except ImportError as exc:
            print(f"| {name} | not installed ({exc.name}) |")
            continue
        results = [shape_result(name, shape) for shape in shapes]
        print(f"| {name} | {m['lost']} of {m['total']} | {m['table_lost']} | {m['dropped']:.0%} | {m['ms']:.2f} | "
              + " | ".join(results) + " |", flush=True)
    print("\nThrough fazhi_nlp.process (read → clean → dedup → segment):")
    print("  before:", end_to_end(pages, texts, before=True))
    print("  now:   ", end_to_end(pages, texts, before=False))


if __name__ == "__main__":
    main()
