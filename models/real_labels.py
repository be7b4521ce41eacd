"""Build the shipped real labels: annotators' labels carried over to fazhi_nlp's own units.

Two folders of real report pages are labelled by hand (13 codebook labels, or ``furniture``):
``tests/data/dev`` (50 pages, units cut by a simple splitter, two annotators, adjudicated)
and ``tests/data/collected`` (214 pages, units cut by fazhi_nlp when they were labelled, one
annotator plus an independent second pass over a quarter of them). fazhi_nlp's units change
when the cleaner or segmenter changes, so labels cannot be copied row by row. For every page
this script:

1. runs ``fazhi_nlp.process`` on the page text (the folder's own header, ``URL: …`` and a
   blank line, is stripped first: the URL is metadata, not page content);
2. aligns the annotators' units to ours character by character, after normalising both
   sides (NFKC, whitespace removed), and groups them into exact pairs, one of theirs spanning
   several of ours (``split``), several of theirs inside one of ours (``merged``), boundaries
   that cross (``crossed``) and 1:1 pairs whose text differs (``changed``);
3. gives each of our units the label of the annotators' text it holds — on disagreement, the
   label with most content characters — and explains every annotators' unit it could not
   place (removed by the cleaner as …, moved to metadata, or lost);
4. measures the cleaner on the way: furniture that survives into our units, content that does not.

No text is labelled by keywords: every label comes from the annotators' files.

Usage (from the repository root; rerun after any change to clean, dedup or segment)::

    python models/real_labels.py

writes ``fazhi_nlp/data/real_labels.jsonl`` (content units only; ``source`` = ``real``) and
``models/real_alignment.json`` (counts and the lists behind them).
"""
from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional, Union

import fazhi_nlp

FURNITURE = "furniture"
#: The corpus's own header above each page: ``URL: <address>`` and a blank line.
HEADER_LINES = 2
#: A unit counts as present on the other side when at least this share of its characters aligns.
PRESENT = 0.5
#: Matching runs shorter than this are coincidences (a shared "20" or "的"), not alignment.
MIN_RUN = 2
#: How many characters of a unit the printed examples show.
SNIPPET = 60


# ---------------------------------------------------------------- values

@dataclass(frozen=True)
class Theirs:
    """One annotators' unit."""

    uid: str
    doc: str
    text: str
    label: str

    @property
    def is_furniture(self) -> bool:
        return self.label == FURNITURE


@dataclass(frozen=True)
class Page:
    """One dev page: its id, the address from the corpus header and the page text."""

    doc: str
    url: str
    text: str


@dataclass(frozen=True)
class Group:
    """A connected set of their units and our units that share aligned characters."""

    theirs: tuple[int, ...]
    ours: tuple[int, ...]
    how: str  # exact | changed | split | merged | crossed


@dataclass(frozen=True)
class Assignment:
    """The label one of our units receives, and where it came from."""

    our: int
    label: str
    how: str
    from_uids: tuple[str, ...]
    votes: tuple[tuple[str, int], ...]  # (label, content characters) when several labels met

    @property
    def conflicting(self) -> bool:
        return len(self.votes) > 1


# ---------------------------------------------------------------- text helpers

def normalise(text: str) -> str:
    """NFKC with all whitespace removed: the form both sides are compared in."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def is_content_char(char: str) -> bool:
    """Letters and digits carry content; punctuation, bullets and symbols do not."""
    return unicodedata.category(char)[0] in "LN"


def shape(text: str) -> str:
    """A coarse shape of a line for grouping cleaner misses: 字 = CJK run, 9 = digits, A = Latin.

    >>> shape("• 2023-03-31"), shape("字号:")
    ('•9-9-9', '字:')
    """
    text = normalise(text)
    text = re.sub(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", "字", text)
    text = re.sub(r"\d+", "9", text)
    return re.sub(r"[A-Za-z]+", "A", text)


def snippet(text: str, width: int = SNIPPET) -> str:
    return text if len(text) <= width else text[:width] + "…"


# ---------------------------------------------------------------- reading the corpus

def read_page(path: Path) -> Page:
    """A report file: line 1 ``URL: …``, line 2 empty, then the page as published."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header, body = lines[:HEADER_LINES], lines[HEADER_LINES:]
    if not header[0].startswith("URL:") or (len(header) > 1 and header[1].strip()):
        raise ValueError(f"{path}: expected 'URL: …' and a blank line as the first two lines")
    return Page(doc=path.stem, url=header[0][len("URL:"):].strip(), text="\n".join(body))


def read_index(path: Path) -> dict[str, dict[str, str]]:
    """index.tsv: doc → {agency, agency_kind, year, province, url}."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["doc"]: row for row in csv.DictReader(handle, delimiter="\t")}


def read_labels(path: Path) -> dict[str, list[Theirs]]:
    """labels.jsonl grouped by doc, in file order (which is page order)."""
    by_doc: dict[str, list[Theirs]] = defaultdict(list)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                by_doc[row["doc"]].append(Theirs(row["uid"], row["doc"], row["text"], row["label"]))
    return dict(by_doc)


# ---------------------------------------------------------------- running fazhi_nlp

def as_text_source(text: str) -> Union[str, bytes]:
    """The page text in a form ``fazhi_nlp.process`` reads as text, never as a file name.

    ``process`` takes a ``str`` as a path when it looks like one (short, no line break,
    ending in .txt/.pdf/…, or naming an existing file); bytes are always content. So a string
    the installed version would read as a path is passed as UTF-8 bytes instead.
    """
    try:
        from fazhi_nlp.read import path_of
    except ImportError:  # a version without the helper: bytes are content in every version
        return text.encode("utf-8")
    return text if path_of(text) is None else text.encode("utf-8")


def run_fazhi(page: Page) -> Any:
    """fazhi_nlp's Report for a page, checked to have been read as text."""
    report = fazhi_nlp.process(as_text_source(page.text), doc_id=page.doc)
    if getattr(report, "source", None):
        raise RuntimeError(f"{page.doc}: fazhi_nlp read the page text as a path ({report.source})")
    return report


# ---------------------------------------------------------------- alignment

def aligned_chars(theirs: list[str], ours: list[str]) -> list[tuple[int, int, bool]]:
    """(their unit, our unit, is content char) for every character the two sides share.

    Both unit lists are normalised and concatenated in page order and aligned with difflib;
    runs shorter than ``MIN_RUN`` are ignored as chance.
    """
    their_text, their_owner = _concat(theirs)
    our_text, our_owner = _concat(ours)
    matcher = difflib.SequenceMatcher(None, their_text, our_text, autojunk=False)
    pairs = []
    for a, b, size in matcher.get_matching_blocks():
        if size >= MIN_RUN:
            pairs.extend((their_owner[a + k], our_owner[b + k], is_content_char(their_text[a + k]))
                         for k in range(size))
    return pairs


def _concat(texts: list[str]) -> tuple[str, list[int]]:
    normalised = [normalise(t) for t in texts]
    owner = [i for i, t in enumerate(normalised) for _ in t]
    return "".join(normalised), owner


def coverage(counts: Counter, lengths: list[int]) -> list[float]:
    """Share of each unit's (normalised) characters that aligned."""
    return [counts[i] / n if n else 0.0 for i, n in enumerate(lengths)]


def group_units(edges: Iterable[tuple[int, int]], their_texts: list[str], our_texts: list[str]) -> list[Group]:
    """Connected components of the their-unit ↔ our-unit overlap graph, with their shape."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for t, o in edges:
        parent[root(("t", t))] = root(("o", o))
    members: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for node in list(parent):
        members[root(node)].append(node)

    groups = []
    for nodes in members.values():
        ts = tuple(sorted(i for side, i in nodes if side == "t"))
        ous = tuple(sorted(i for side, i in nodes if side == "o"))
        if len(ts) == 1 and len(ous) == 1:
            same = normalise(their_texts[ts[0]]) == normalise(our_texts[ous[0]])
            how = "exact" if same else "changed"
        elif len(ts) == 1:
            how = "split"
        elif len(ous) == 1:
            how = "merged"
        else:
            how = "crossed"
        groups.append(Group(ts, ous, how))
    return sorted(groups, key=lambda g: g.ours[0])


def vote(weights: dict[str, int], order: list[str]) -> str:
    """The label with most content characters; furniture only when nothing else is there.

    Ties go to the label met first in page order.
    """
    content = {label: w for label, w in weights.items() if label != FURNITURE}
    pool = content or weights
    return max(pool, key=lambda label: (pool[label], -order.index(label)))


def align_page(theirs: list[Theirs], ours: list[str]) -> tuple[list[Assignment], list[float], list[float], list[Group]]:
    """Label our units from theirs.

    Returns the assignments (one per labelled unit of ours), the coverage of each of their
    units and of each of our units, and the groups found.
    """
    their_texts = [t.text for t in theirs]
    pairs = aligned_chars(their_texts, ours)
    their_cov = coverage(Counter(t for t, _, _ in pairs), [len(normalise(t)) for t in their_texts])
    our_cov = coverage(Counter(o for _, o, _ in pairs), [len(normalise(o)) for o in ours])

    # Only their units mostly found in ours take part: a stray shared run does not make a pair.
    overlap = Counter((t, o) for t, o, _ in pairs if their_cov[t] >= PRESENT)
    content_overlap = Counter((t, o) for t, o, c in pairs if c and (t, o) in overlap)
    groups = group_units(overlap, their_texts, ours)

    assignments = []
    for group in groups:
        for o in group.ours:
            voters = [t for t in group.theirs if content_overlap[(t, o)]] \
                or [t for t in group.theirs if overlap[(t, o)]]
            weights: dict[str, int] = defaultdict(int)
            for t in voters:
                weights[theirs[t].label] += content_overlap[(t, o)]
            order = [theirs[t].label for t in voters]
            votes = tuple(sorted(weights.items(), key=lambda kv: -kv[1])) if len(weights) > 1 else ()
            assignments.append(Assignment(o, vote(weights, order), group.how,
                                          tuple(theirs[t].uid for t in voters), votes))
    return assignments, their_cov, our_cov, groups


def drop_reason(text: str, removed: Iterable[Any], page_text: str) -> str:
    """Why one of their units has no counterpart among our units.

    The removal record that holds exactly this text wins; then one that contains it (a
    metadata line the annotators cut in two); then one it contains.
    """
    key = normalise(text)
    records = [(normalise(r.text), r) for r in removed]
    for fits in (lambda gone: gone == key,
                 lambda gone: key in gone,
                 lambda gone: len(gone) >= MIN_RUN and gone in key):
        for gone, record in records:
            if gone and fits(gone):
                return removal_reason(record)
    if key not in normalise(page_text):
        return "not on the page (annotation text differs)"
    return "lost (on the page, in no unit and no removal record)"


def removal_reason(record: Any) -> str:
    """'removed by <stage>: <kind>', or 'moved to metadata: title' for the report title."""
    kind = getattr(record, "kind", "?")
    if kind == "title":
        return "moved to metadata: title"
    return f"removed by {getattr(record, 'stage', '?')}: {kind}"


# ---------------------------------------------------------------- one page, whole corpus

def page_result(page: Page, meta: dict[str, str], theirs: list[Theirs]) -> dict[str, Any]:
    """Everything the corpus summary needs from one page: label rows and the audit lists."""
    report = run_fazhi(page)
    units = list(report.units)
    assignments, their_cov, our_cov, groups = align_page(theirs, [u.text for u in units])

    rows = [label_row(page, meta, units[a.our], a) for a in assignments]
    conflicts = [{"doc": page.doc, "ours": units[a.our].text, "chosen": a.label,
                  "votes": dict(a.votes), "theirs": list(a.from_uids)}
                 for a in assignments if a.conflicting]
    dropped = [{"doc": page.doc, "uid": t.uid, "label": t.label, "text": t.text,
                "coverage": round(cov, 2), "reason": drop_reason(t.text, report.removed, page.text)}
               for t, cov in zip(theirs, their_cov) if cov < PRESENT]
    partial = [{"doc": page.doc, "uid": t.uid, "label": t.label, "text": t.text, "coverage": round(cov, 2)}
               for t, cov in zip(theirs, their_cov) if PRESENT <= cov < 1.0]
    labelled = {a.our for a in assignments}
    unaligned = [{"doc": page.doc, "position": u.index, "kind": u.kind, "text": u.text,
                  "coverage": round(our_cov[i], 2)}
                 for i, u in enumerate(units) if i not in labelled]
    our_partial = [{"doc": page.doc, "position": u.index, "text": u.text, "coverage": round(our_cov[i], 2)}
                   for i, u in enumerate(units) if i in labelled and our_cov[i] < 1.0]
    survived = [{"doc": page.doc, "uid": t.uid, "text": t.text, "shape": shape(t.text),
                 "in_units": [units[o].text for g in groups if i in g.theirs for o in g.ours],
                 "coverage": round(their_cov[i], 2)}
                for i, t in enumerate(theirs) if t.is_furniture and their_cov[i] >= PRESENT]
    lost = [{**d, "shape": shape(d["text"])} for d in dropped if d["label"] != FURNITURE]
    return {"doc": page.doc, "rows": rows, "groups": groups, "conflicts": conflicts, "dropped": dropped,
            "partial": partial, "our_partial": our_partial, "unaligned": unaligned, "furniture_kept": survived,
            "content_lost": lost, "n_units": len(units),
            "url_mismatch": meta.get("url") not in (None, page.url)}


def label_row(page: Page, meta: dict[str, str], unit: Any, a: Assignment) -> dict[str, Any]:
    """One line of real_dev_labels.jsonl."""
    path = tuple(getattr(unit, "heading_path", ()) or ())
    return {
        "text": unit.text,
        "label": a.label,
        "heading": getattr(unit, "heading", path[-1] if path else ""),
        "heading_path": " > ".join(path),
        "doc_id": page.doc,
        "position": getattr(unit, "index", a.our),
        "kind": getattr(unit, "kind", ""),
        "section": getattr(unit, "section", ""),
        "agency": meta.get("agency", ""),
        "agency_kind": meta.get("agency_kind", ""),
        "year": int(meta["year"]) if meta.get("year", "").isdigit() else meta.get("year"),
        "province": meta.get("province", ""),
        "url": page.url,
        "source": "real",
        "match": "exact" if a.how == "exact" else "mapped",
        "mapping": a.how,
        "from_uids": list(a.from_uids),
    }


def summarise(results: list[dict[str, Any]], labels: dict[str, list[Theirs]]) -> dict[str, Any]:
    """alignment.json: counts first, then the lists an engineer needs to act on them."""
    def gather(key: str) -> list[Any]:
        return [item for r in results for item in r[key]]

    rows, dropped, kept, lost = gather("rows"), gather("dropped"), gather("furniture_kept"), gather("content_lost")
    everyone = [t for ts in labels.values() for t in ts]
    n_furniture = sum(t.is_furniture for t in everyone)
    n_content = len(everyone) - n_furniture
    truly_lost = [d for d in lost if not d["reason"].startswith("moved to metadata")]
    groups = gather("groups")
    their_by_how = Counter()
    for g in groups:
        their_by_how[g.how] += len(g.theirs)
    return {
        "fazhi_nlp_version": getattr(fazhi_nlp, "__version__", "?"),
        "pages": len(results),
        "their_units": len(everyone),
        "our_units": sum(r["n_units"] for r in results),
        "labelled_our_units": len(rows),
        "our_units_by_match": {"exact": sum(r["match"] == "exact" for r in rows),
                               "mapped": dict(Counter(r["mapping"] for r in rows if r["match"] == "mapped"))},
        "their_units_by_match": dict(their_by_how),
        "dropped": len(dropped),
        "dropped_by_reason": dict(Counter(d["reason"] for d in dropped).most_common()),
        "mapped_conflicting": len(gather("conflicts")),
        "our_unaligned_units": len(gather("unaligned")),
        "their_units_partly_aligned": len(gather("partial")),
        "our_labelled_units_partly_covered": len(gather("our_partial")),
        "label_counts": dict(Counter(r["label"] for r in rows).most_common()),
        "cleaner": {
            "furniture_units": n_furniture,
            "furniture_kept": len(kept),
            "furniture_kept_pct": round(100 * len(kept) / n_furniture, 1) if n_furniture else 0.0,
            "furniture_kept_target_pct": 5.0,
            "furniture_kept_by_shape": dict(Counter(k["shape"] for k in kept).most_common()),
            "content_units": n_content,
            "content_lost": len(lost),
            "content_lost_pct": round(100 * len(lost) / n_content, 1) if n_content else 0.0,
            "content_lost_target_pct": 1.0,
            # The report title is not a unit but is kept on Report.title: lost as a unit, not as text.
            "content_lost_outside_metadata": len(truly_lost),
            "content_lost_outside_metadata_pct": round(100 * len(truly_lost) / n_content, 1) if n_content else 0.0,
            "content_lost_by_reason": dict(Counter(d["reason"] for d in lost).most_common()),
            "content_lost_by_shape": dict(Counter(d["shape"] for d in lost).most_common()),
        },
        "url_mismatches": [r["doc"] for r in results if r["url_mismatch"]],
        "lists": {
            "furniture_kept": kept,
            "content_lost": lost,
            "dropped": dropped,
            "conflicts": gather("conflicts"),
            "our_unaligned": gather("unaligned"),
            "their_partly_aligned": gather("partial"),
            "our_partly_covered": gather("our_partial"),
        },
    }


ROOT = Path(__file__).resolve().parents[1]
FOLDERS = (ROOT / "tests" / "data" / "dev", ROOT / "tests" / "data" / "collected")
OUT_LABELS = ROOT / "fazhi_nlp" / "data" / "real_labels.jsonl"
OUT_SUMMARY = ROOT / "models" / "real_alignment.json"
#: Coarse kinds of agency for per-kind evaluation, from the finer kinds the indexes give.
KIND_GROUPS = (
    ("township / sub-district", ("乡镇", "街道")),
    ("county / district government", ("县级市", "县政府", "区政府", "旗政府", "开发区", "管委会", "政府办公室")),
    ("city / provincial government", ("市政府", "省政府", "省级政府", "地级市政府", "自治州", "盟行政公署")),
    ("public security / emergency", ("公安", "应急", "消防", "人防", "民防", "矿山安全")),
    ("regulation / market / data", ("市场监管", "药品", "数据", "政务服务", "政务办", "审批服务",
                                     "营商环境", "统计", "审计", "信访", "气象", "税务")),
    ("justice / civil / social", ("司法", "民政", "人社", "医保", "退役军人", "民族宗教", "民宗", "卫健", "卫生健康", "教育",
                                   "体育")),
    ("economy / resources / infrastructure", ("财政", "发展", "发改", "商务", "农业", "林业", "林草", "水利", "水务",
                                               "自然资源", "生态环境", "住建", "城管", "交通", "文旅", "机关事务",
                                               "工信", "通信", "国资", "民航", "海洋", "渔业", "住房", "城市管理", "文化和旅游",
                                               "综合行政执法", "文化旅游", "文广旅")),
    ("science / technology", ("科技", "科学技术")),
)


def kind_group(agency_kind: str) -> str:
    """The coarse kind of an agency kind as the indexes spell it ('other' when none fits).

    >>> kind_group("街道办事处"), kind_group("公安厅(省级)"), kind_group("教育(省厅)")
    ('township / sub-district', 'public security / emergency', 'justice / civil / social')
    """
    for group, cues in KIND_GROUPS:
        if any(cue in agency_kind for cue in cues):
            return group
    return "other"


def align_corpus(dev: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Label rows and the alignment summary for a dev folder."""
    index = read_index(dev / "index.tsv")
    labels = read_labels(dev / "units.jsonl")
    pages = [read_page(p) for p in sorted((dev / "reports").glob("*.txt"))]
    missing = set(labels) - {p.doc for p in pages}
    if missing:
        raise ValueError(f"labels for docs with no page: {sorted(missing)}")
    results = [page_result(p, index.get(p.doc, {}), labels.get(p.doc, [])) for p in pages]
    return [row for r in results for row in r["rows"]], summarise(results, labels)


# ---------------------------------------------------------------- command line

def counts_tables(rows: list[dict[str, Any]]) -> str:
    """Markdown tables of the shipped real units: per label and corpus, per kind of agency."""
    from fazhi_nlp.labels import LABEL_NAMES

    by = Counter((r["label"], r["corpus"]) for r in rows)
    lines = ["| label | dev | collected | real units |", "|---|---|---|---|"]
    for label in LABEL_NAMES:
        dev, col = by[(label, "dev")], by[(label, "collected")]
        lines.append(f"| `{label}` | {dev} | {col} | {dev + col} |")
    lines.append(f"| total | {sum(v for (l, c), v in by.items() if c == 'dev')} | "
                 f"{sum(v for (l, c), v in by.items() if c == 'collected')} | {len(rows)} |")
    kinds = defaultdict(lambda: [set(), 0, set()])
    for r in rows:
        k = kinds[r["kind_group"]]
        k[0].add(r["doc_id"]); k[1] += 1; k[2].add(r["agency_kind"])
    lines += ["", "| kind of agency | reports | units | kinds as published |", "|---|---|---|---|"]
    for group, (docs, n, fine) in sorted(kinds.items(), key=lambda kv: -len(kv[1][0])):
        lines.append(f"| {group} | {len(docs)} | {n} | {', '.join(sorted(fine))} |")
    years = Counter(str(r["year"]) for r in {r["doc_id"]: r for r in rows}.values())
    provinces = Counter(r["province"] for r in {r["doc_id"]: r for r in rows}.values())
    lines += ["", f"Years: {', '.join(f'{y} ({n})' for y, n in sorted(years.items()))}.",
              f"Provinces: {len(provinces)} ({', '.join(f'{p} {n}' for p, n in provinces.most_common())})."]
    return "\n".join(lines)


def split_context_dependent(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Rows whose text has one label wherever it occurs, and the texts whose label depends on
    the report they sit in (with the labels they were given).

    A bare clause such as 一是注重顶层设计 can rightly take its section's measure in one
    report and another in the next; the label files give each text one label, so these are
    left out (and listed in the alignment summary).

    >>> rows = [{"text": "一是注重顶层设计。", "label": "general"}, {"text": "特此报告。", "label": "general"},
    ...         {"text": "一是注重顶层设计。", "label": "leadership"}]
    >>> kept, left_out = split_context_dependent(rows)
    >>> [r["text"] for r in kept], left_out
    (['特此报告。'], {'一是注重顶层设计。': ['general', 'leadership']})
    """
    labels: dict[str, set[str]] = {}
    for row in rows:
        labels.setdefault(row["text"], set()).add(row["label"])
    varying = {text: sorted(found) for text, found in labels.items() if len(found) > 1}
    return [row for row in rows if row["text"] not in varying], varying


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_LABELS, help="labels file to write")
    parser.add_argument("--summary", type=Path, default=OUT_SUMMARY, help="alignment summary to write")
    args = parser.parse_args(argv)

    rows, summaries = [], {}
    for folder in FOLDERS:
        folder_rows, summary = align_corpus(folder)
        rows += [{**row, "corpus": folder.name} for row in folder_rows]
        summaries[folder.name] = summary
        c = summary["cleaner"]
        print(f"{folder.name}: {summary['pages']} pages, {summary['their_units']} annotated units, "
              f"{summary['our_units']} of ours, {summary['labelled_our_units']} labelled "
              f"(exact {summary['our_units_by_match']['exact']}, mapped {summary['our_units_by_match']['mapped']}); "
              f"dropped {summary['dropped']}: {summary['dropped_by_reason']}; "
              f"conflicts {summary['mapped_conflicting']}, our unaligned {summary['our_unaligned_units']}")
        print(f"  furniture kept {c['furniture_kept']}/{c['furniture_units']} = {c['furniture_kept_pct']}%; "
              f"content lost {c['content_lost']}/{c['content_units']} = {c['content_lost_pct']}% "
              f"({c['content_lost_outside_metadata']} outside the title metadata)")
    shipped = []
    for row in rows:
        if row["label"] == FURNITURE:
            continue
        shipped.append({"text": row["text"], "label": row["label"], "doc_id": row["doc_id"],
                        "unit_id": row["position"], "kind": row["kind"], "section": row["section"],
                        "heading": row["heading"], "source": "real", "agency": row["agency"],
                        "agency_kind": row["agency_kind"], "kind_group": kind_group(row["agency_kind"]),
                        "year": row["year"], "province": row["province"], "url": row["url"],
                        "corpus": row["corpus"], "match": row["match"]})
    shipped, context_dependent = split_context_dependent(shipped)
    summaries["context_dependent"] = context_dependent
    if context_dependent:
        print(f"left out {len(context_dependent)} text(s) labelled differently in different reports "
              f"(a bare clause read by its section): {sorted(context_dependent)}")
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in shipped), encoding="utf-8")
    print(counts_tables(shipped))
    args.summary.write_text(json.dumps(summaries, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {len(shipped)} labelled units of {len({r['doc_id'] for r in shipped})} reports to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
