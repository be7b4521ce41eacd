"""The fast paths of clean, dedup and segment equal the plain implementations they replace.

Each reference below is the earlier, slower code, kept here as the definition of what the
library's function returns; hypothesis feeds both the same text, built from the characters
that the rules look at (digits, ASCII and full-width punctuation, spaces of every width,
zero-width characters, Chinese) as well as arbitrary text.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace

from hypothesis import given, settings, strategies as st

from fazhi_nlp.clean import _ZERO_WIDTH, normalise_lines
from fazhi_nlp.patterns import CJK

# Characters the normalisation and furniture rules react to, and some plain ones.
TRIGGERS = (",:;()!?/.-_=&%#*@[]<>|'\"~+ \t\f\v\r\n\xa0\u3000\u2002\u2003\u2009\u200b\u200c\u200d\u2060\ufeff\u00ad"
            "，：；（）！？。、“”《》【】〔〕．％＋－／＝＜＞＃＆＊＠［］＿０１９ＡＺａｚ①②"
            "0123456789abcxyzABCXYZ"
            "一二三四五十是第其首先部分章年月日号件次人局委办政府法治建设报告情况发布日期来源浏览量打印关闭首页当前位置"
            "\u3400\u4dbf\uf900\ufaff")
# A few characters, so that every pair of them meets often (a colon after a slash, a comma
# between digits, a space run at a line's end).
DENSE = ",:：;()!?/1a中，。） \t\f\n\u3000１"
texts = st.one_of(st.text(alphabet=DENSE, max_size=60), st.text(alphabet=TRIGGERS, max_size=300),
                  st.text(max_size=200))


# The width table of the first normalisation, as a str.translate table.
_WIDTH = {ord("\u3000"): " ", ord("\xa0"): " ", ord("\u2002"): " ", ord("\u2003"): " ",
          ord("\u2009"): " ", ord("\t"): " ", ord("．"): ".", ord("％"): "%", ord("＋"): "+",
          ord("－"): "-", ord("／"): "/", ord("＝"): "=", ord("＜"): "<", ord("＞"): ">",
          ord("＃"): "#", ord("＆"): "&", ord("＊"): "*", ord("＠"): "@", ord("［"): "[",
          ord("］"): "]", ord("＿"): "_"}
_WIDTH.update({c: c - 0xFEE0 for c in range(ord("０"), ord("９") + 1)})
_WIDTH.update({c: c - 0xFEE0 for c in range(ord("Ａ"), ord("Ｚ") + 1)})
_WIDTH.update({c: c - 0xFEE0 for c in range(ord("ａ"), ord("ｚ") + 1)})


def reference_normalise_lines(text: str) -> list[str]:
    """normalise_lines as first written: str.translate and lookbehind-first patterns."""
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


@settings(max_examples=400, deadline=None)
@given(texts)
def test_normalise_lines_equals_the_reference(text):
    assert normalise_lines(text) == reference_normalise_lines(text)


def test_normalise_lines_equals_the_reference_on_tricky_lines():
    for text in ("1,000,人,", ",1", "1,", "http://a.gov.cn/x:8080", "12:05:30 时间:12 5:", "a:b 中:文 中：1",
                 "好!吗? 1!2? （）!", "12：05 １２：０５", "\u3000\u3000全年\t办结\f\v件  ", "\ufeff首页\u200b",
                 ":", ":中", "中:", "/:", "::", "1:1", "x:1"):
        assert normalise_lines(text) == reference_normalise_lines(text), text


# --------------------------------------------------------------------------- heading_level, line_kind

from fazhi_nlp import furniture  # noqa: E402
from fazhi_nlp.patterns import HEADING_MARKERS, heading_level  # noqa: E402

from tests.conftest import DATA_DIR  # noqa: E402

FURNITURE_LINES = sorted({line for place, cases in json.loads((DATA_DIR / "furniture_cases.json").read_text(
    encoding="utf-8")).items() if isinstance(cases, dict) for line in cases})
# Lines that open like outline markers, in every script's digits.
MARKER_START = st.text(alphabet="第一二十两〇（()）、.．，部分章1２٣۴१① 全年", max_size=12)
lines = st.one_of(MARKER_START, st.sampled_from(FURNITURE_LINES),
                  st.builds(lambda a, b: a + b, st.sampled_from(FURNITURE_LINES), MARKER_START),
                  st.text(alphabet=TRIGGERS, max_size=120), st.text(max_size=80))


def reference_heading_level(paragraph: str):
    """heading_level as first written: every marker tried on every paragraph."""
    for level, marker in HEADING_MARKERS:
        if marker.match(paragraph):
            return level
    return None


def reference_line_kind(line: str):
    """line_kind as first written: no quick tests first, nothing remembered."""
    if not furniture._LETTER_OR_DIGIT.search(line):
        return "separator"
    if reference_heading_level(line) is not None or len(line) > 400:
        return None
    if furniture._PAGE_NOTICE.search(line) and len(line) <= 80 and "。" not in line:
        return "widget"
    if furniture._WELCOME.match(line):
        return "header"
    if furniture.has_sentence(line):
        return None
    return furniture._unpunctuated_kind.__wrapped__(line)


@settings(max_examples=400, deadline=None)
@given(lines)
def test_heading_level_and_line_kind_equal_the_references(line):
    assert heading_level(line) == reference_heading_level(line)
    assert furniture.line_kind(line) == reference_line_kind(line)
    assert furniture.line_kind(line) == reference_line_kind(line)  # remembered: the same answer


def test_line_kind_equals_the_reference_on_every_furniture_case():
    for line in FURNITURE_LINES:
        assert furniture.line_kind(line) == reference_line_kind(line), line
        assert heading_level(line) == reference_heading_level(line), line


# --------------------------------------------------------------------------- corpus frames

import pandas as pd  # noqa: E402

from fazhi_nlp import corpus  # noqa: E402


def reference_frame(rows, columns):
    """corpus._frame as first written: a frame of objects, converted column by column."""
    text = pd.Series(["a"]).dtype
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    return frame.astype({c: corpus._DTYPES.get(c, text) for c in frame.columns})


_TEXT_CELL = st.one_of(st.none(), st.text(max_size=8))
_CELLS = {"Int64": st.one_of(st.none(), st.integers(-5, 3000)), "int64": st.integers(0, 10 ** 6),
          "float64": st.floats(allow_nan=False, width=64), "bool": st.booleans()}


def _rows(columns):
    row = st.tuples(*(_CELLS.get(corpus._DTYPES.get(c), _TEXT_CELL) for c in columns))
    return st.lists(row, max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([corpus.UNIT_COLUMNS, corpus.REPORT_COLUMNS, corpus.ERROR_COLUMNS]).flatmap(
    lambda columns: st.tuples(st.just(columns), _rows(columns))))
def test_corpus_frames_equal_the_reference(columns_and_rows):
    columns, rows = columns_and_rows
    fast, slow = corpus._frame(rows, columns), reference_frame(rows, columns)
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    assert list(fast.dtypes) == list(slow.dtypes)
    assert list(fast.index) == list(slow.index) and type(fast.index) is type(slow.index)


# --------------------------------------------------------------------------- paragraph keys

from fazhi_nlp.patterns import paragraph_key  # noqa: E402


def reference_paragraph_key(paragraph: str) -> str:
    """paragraph_key as first written: spaces, punctuation and symbols removed."""
    return re.sub(r"[\s\W_]+", "", paragraph, flags=re.UNICODE)


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts, st.text(alphabet=st.characters(categories=("Nd", "No", "Pc", "Pd", "Zs", "Mn", "Lo", "So")))))
def test_paragraph_key_equals_the_reference(text):
    assert paragraph_key(text) == reference_paragraph_key(text)


# --------------------------------------------------------------------------- segment

from fazhi_nlp import segment  # noqa: E402
from fazhi_nlp.patterns import ENUMERATOR, SENTENCE_END, SPLIT_BEFORE_ENUMERATOR  # noqa: E402
from fazhi_nlp.types import Unit  # noqa: E402


def reference_body_spans(paragraph: str, start: int):
    """segment._body_spans as first written."""
    cuts = {m.end() for m in SENTENCE_END.finditer(paragraph, start)}
    cuts |= {m.start() for m in SPLIT_BEFORE_ENUMERATOR.finditer(paragraph, start)}
    cuts = sorted(c for c in cuts if c > start) + [len(paragraph)]
    begin = start
    for cut in cuts:
        chunk = paragraph[begin:cut]
        if chunk.strip():
            yield begin + len(chunk) - len(chunk.lstrip()), begin + len(chunk.rstrip())
        begin = cut


def reference_segment_text(text: str) -> list[Unit]:
    """segment_text as first written: every heading path's section read again, paths rebuilt."""
    units, stack, offset = [], [], 0
    for number, paragraph in enumerate(text.split("\n")):
        level = reference_heading_level(paragraph)
        head = segment._heading_span(paragraph, level)
        if head:
            left = len(paragraph) - len(paragraph.lstrip())
            numbered = level is not None
            if not numbered:
                under = bool(stack) and stack[-1][2] and units[-1].kind == "heading"
                level = stack[-1][0] + (0.5 if under else 0) if stack else 1
            while stack and stack[-1][0] >= level:
                stack.pop()
            heading = paragraph[left:head].rstrip()
            path = tuple(h for _, h, _ in stack)
            units.append(Unit(heading, "heading", path, reference_section_of(path + (heading,)), number,
                              offset + left, offset + left + len(heading), len(units)))
            stack.append((level, heading, numbered))
        path = tuple(h for _, h, _ in stack)
        section = reference_section_of(path)
        for begin, end in reference_body_spans(paragraph, head):
            piece = paragraph[begin:end]
            kind = "clause" if ENUMERATOR.match(piece) else "sentence"
            units.append(Unit(piece, kind, path, section, number, offset + begin, offset + end, len(units)))
        offset += len(paragraph) + 1
    return units


SENTENCE_BITS = st.sampled_from(["。", "；", "！", "？", "…", "”", "）", " ", "　", "\t", "，", "、", "：", "一是", "二是",
                                 "第一，", "其二，", "首先，", "全年办理12件", "存在问题", "下一步工作计划", "主要举措和成效",
                                 "加强领导", "A", "1"])
paragraphs = st.builds(lambda a, b: a + "".join(b), MARKER_START, st.lists(SENTENCE_BITS, max_size=12))
pages = st.one_of(st.lists(paragraphs, max_size=12).map("\n".join), texts)


@settings(max_examples=400, deadline=None)
@given(pages)
def test_segment_text_equals_the_reference(text):
    assert segment.segment_text(text) == reference_segment_text(text)


def reference_section_of(heading_path):
    """section_of as first written: every cue searched in every heading, each time."""
    for heading in reversed(heading_path):
        found = [(m.start(), name) for name, cue in segment._SECTION_CUES for m in [cue.search(heading)] if m]
        if found:
            return min(found)[1]
    return "achievements" if heading_path else "other"


CUE_BITS = st.sampled_from(["存在问题", "不足", "差距", "下一步", "工作计划", "今后", "第一责任人", "履职情况", "举措", "成效",
                            "主要工作", "一、", "（二）", "加强领导", "法治", "存在的问题和下一步"])
headings = st.lists(CUE_BITS, max_size=4).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(headings, max_size=4).map(tuple))
def test_section_of_equals_the_reference(heading_path):
    assert segment.section_of(heading_path) == reference_section_of(heading_path)
    assert segment.section_of(heading_path) == reference_section_of(heading_path)  # remembered


# --------------------------------------------------------------------------- predictions

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import fazhi_nlp  # noqa: E402
from fazhi_nlp.pipeline import Prediction, predict_units  # noqa: E402
from fazhi_nlp.scorer import top_two  # noqa: E402


def reference_predict_units(units, model, threshold):
    """predict_units as first written: every unit scored (the list as one report, neighbours
    leaning on each other), numpy scalars converted one by one."""
    labels, probability, runner_up, runner_up_probability = top_two(
        model.predict_proba(units, groups=[0] * len(units)), [str(c) for c in model.classes_])
    return [Prediction(unit=unit, label=label, probability=float(p), runner_up=second,
                       runner_up_probability=float(q), uncertain=bool(p < threshold))
            for unit, label, p, second, q in zip(units, labels, probability, runner_up, runner_up_probability)]


@pytest.fixture(scope="module")
def example_units(seed_reports):
    return [u for report in seed_reports.values() for u in report.units]


@pytest.fixture(scope="module")
def heading_model(frame):
    """A small model that reads headings too."""
    from fazhi_nlp.labels import load_labels

    return fazhi_nlp.train(load_labels(frame.head(400)), use_heading=True)


@pytest.mark.parametrize("which", ["shipped", "trained", "with headings"])
def test_predictions_of_repeated_units_equal_the_reference(which, example_units, model, heading_model):
    """Units repeated (the same text, and heading for a model that reads headings, elsewhere in
    the batch) are scored once; every probability is still exactly the one the unit gets when
    all units are scored."""
    clf = {"shipped": fazhi_nlp.load_model(), "trained": model, "with headings": heading_model}[which]
    assert clf.use_heading == (which == "with headings")

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.integers(0, len(example_units) - 1), min_size=1, max_size=300),
           st.sampled_from([0.0, 0.4, 0.9]))
    def check(picks, threshold):
        units = [example_units[i] for i in picks] + [example_units[i] for i in picks[::3]]
        units += [replace(u, heading_path=u.heading_path[:-1]) for u in units[::4]]  # same text, other heading
        assert predict_units(units, clf, threshold) == reference_predict_units(units, clf, threshold)

    check()


def test_a_model_of_another_kind_gets_every_unit(example_units):
    """A model that is not one of the library's classifiers may read more than text and
    heading: it is given every unit, repeats included."""
    seen = []

    class Counting:
        classes_ = np.array(["a", "b"])

        def predict_proba(self, units):
            seen.append(len(units))
            return np.tile([0.3, 0.7], (len(units), 1))

    units = example_units[:5] * 2
    assert [p.label for p in predict_units(units, Counting())] == ["b"] * 10
    assert seen == [10]


def test_the_shipped_model_scores_each_distinct_text_once(example_units, model, monkeypatch):
    """The shipped model reads no headings: units that differ in heading only are scored once."""
    from fazhi_nlp.pipeline import _reads_text_and_heading

    clf = fazhi_nlp.load_model()
    assert _reads_text_and_heading(clf) and _reads_text_and_heading(model)
    shared = [u for u in example_units if u.heading_path][:3]
    units = shared + [replace(u, heading_path=("另一个标题",)) for u in shared]
    scored = []
    original = type(clf).predict_proba
    monkeypatch.setattr(type(clf), "predict_proba", lambda self, X: scored.append(len(X)) or original(self, X))
    predictions = predict_units(units, clf, groups=[0, 0, 0, 1, 1, 1])  # two reports alike but for headings
    assert scored == [3]
    assert [p.probability for p in predictions[:3]] == [p.probability for p in predictions[3:]]


# --------------------------------------------------------------------------- corpus in several processes

from tests.conftest import SEEDS_DIR  # noqa: E402


@pytest.mark.parametrize("n_jobs, batch_size", [(2, 1), (3, 1), (2, 2), (3, 4)])
def test_this_process_and_forked_workers_give_the_serial_stream(n_jobs, batch_size, monkeypatch):
    """With n_jobs workers this process takes every n_jobs-th batch and forked processes the
    others: the stream is the serial one, report by report, in order."""
    serial = list(corpus.iter_classify(SEEDS_DIR, n_jobs=1, progress=False))
    monkeypatch.setattr(corpus, "SERIAL_BELOW", 1)
    parallel = list(corpus.iter_classify(SEEDS_DIR, n_jobs=n_jobs, batch_size=batch_size, progress=False))
    assert len(parallel) == len(serial)
    for a, b in zip(parallel, serial):
        pd.testing.assert_frame_equal(a.units, b.units)
        pd.testing.assert_frame_equal(a.reports, b.reports)
        pd.testing.assert_frame_equal(a.errors, b.errors)


def test_corpus_unit_rows_equal_rows_made_from_predictions(seed_reports):
    """The unit rows of a batch, made from the prediction columns, are those made from one
    Prediction per unit (as first written)."""
    clf = fazhi_nlp.load_model()
    result = corpus.classify_corpus(SEEDS_DIR, progress=False)
    rows = []
    for report in seed_reports.values():
        for p in predict_units(report.units, clf):
            unit = p.unit
            rows.append(corpus._UnitRow(
                doc_id=report.doc_id, title=report.title, agency=report.agency, year=report.year,
                section=unit.section, heading_path=" > ".join(unit.heading_path), heading=unit.heading,
                kind=unit.kind, unit_index=unit.index, text=unit.text, label=p.label, probability=p.probability,
                runner_up=p.runner_up, runner_up_probability=p.runner_up_probability, uncertain=p.uncertain,
                duplicate_of=None))
    expected = reference_frame(rows, corpus.UNIT_COLUMNS)
    pd.testing.assert_frame_equal(result.units.drop(columns="duplicate_of"), expected.drop(columns="duplicate_of"))
