"""Hardening: arbitrary text never crashes a stage or loses text; bad files get clear errors.

Property tests (hypothesis) feed clean, dedup, segment, the pipeline and the classifier
arbitrary Unicode, mixed full/half-width punctuation, HTML fragments and 100,000-character
lines. What "nothing lost" means for each stage:

* normalise (the first step of clean): the text is unchanged except for whitespace, the
  zero-width characters it deletes, and the width of characters U+FF01-U+FF5E and their
  ASCII forms (，↔, ：↔: （↔( ５↔5 Ａ↔A ...);
* clean: every normalised line is either recorded whole in ``removed`` (with its line
  number) or kept verbatim and in order, minus the furniture recorded as cut off its start
  and the artefact snippets recorded for that line;
* dedup: every line is either kept, in order, or recorded in ``removed`` as a repeat of an
  earlier line; deduplicating again changes nothing;
* segment: unit texts sit at their offsets, in order, and only whitespace lies between
  them, so units plus separators rebuild the text exactly.

The bad-input suite reads the real files in tests/fixtures/bad_input/ (written once by
generate_bad_input.py there); the 2 MB single-line report and the model directories are
made in tmp_path.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

import fazhi_nlp
from fazhi_nlp.persist import save_model
from fazhi_nlp import InputError, LabelError, ModelError, load_labels, load_model, process, read_report, train
from fazhi_nlp.clean import clean_page
from fazhi_nlp.dedup import dedup_page
from fazhi_nlp.segment import segment_text
from fazhi_nlp.clean import normalise
from fazhi_nlp.labels import LABEL_NAMES
from fazhi_nlp.persist import CARD_FILE, model_file
from fazhi_nlp.types import KINDS, SECTIONS

BAD = Path(__file__).resolve().parent / "fixtures" / "bad_input"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=4, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --------------------------------------------------------------------------- strategies

CJK = "一二三四五六七八九十是第年月日法治政府建设报告局市区县加强领导执法宣传普法行政复议问题计划"
PUNCT = ("，,。.；;：:（()）！!？?、“”\"'《》〔〕[]【】…—-/%％．＋＝＜＞＃＆＊＠［］＿"
         "０１２３４５ＡＢａｂ　 \t\r\f\v\u00a0\u2002\u2003\u2009\u200b\u200c\u200d\u2060\ufeff\u00ad\u2028\x85")
PIECES = ("一、", "（一）", "(二)", "1.", "2、", "（3）", "4)", "第一部分", "一是", "二是", "其一，", "首先，",
          "发布日期:", "信息来源:", "当前位置:首页 > 政务公开 > ", "打印 关闭", "分享:", "[bookmark: _GoBack]",
          "[image: x.png]", "特此报告。", "2023年1月5日", "2023-01-31", "某区司法局", "版权所有",
          "附件下载>>", "https://www.example.gov.cn/a.html", "存在问题", "下一步工作计划",
          "全年办理行政复议案件12件，均在法定期限内审结。", "按照《纲要(2021-2025年)》要求,全年12:05完成;")
HTML_BITS = ("<p>", "</p>", "<div>", "</div>", "<br>", "<br/>", "<script>", "</script>", "<style>",
             "</style>", "&nbsp;", "&lt;", "&amp;", "&#x4e00;", "<b>", "</b>", "<!-- 注释 -->",
             "<table><tr><td>", "</td></tr></table>", "<a href='x'>", "</a>")

mixed = st.lists(st.one_of(st.text(alphabet=CJK + PUNCT + "abcXYZ019\n", max_size=25),
                           st.sampled_from(PIECES), st.sampled_from(HTML_BITS), st.just("\n")),
                 max_size=40).map("".join)
anything = st.one_of(st.text(max_size=300), mixed)
long_line = st.one_of(st.text(min_size=1, max_size=40),
                      st.text(alphabet=CJK + PUNCT + "abc09", min_size=1, max_size=40)) \
    .map(lambda s: (s * (100_000 // len(s) + 1))[:100_000])

# --------------------------------------------------------------------------- what each stage keeps

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def fold(text: str) -> str:
    """``text`` without whitespace and zero-width characters, full-width forms made ASCII."""
    return "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c
                   for c in text if not c.isspace() and c not in _ZERO_WIDTH)


def check_normalise(text: str) -> None:
    out = normalise(text)
    assert fold(out) == fold(text)
    assert all(line and line == line.strip() and "  " not in line for line in out.split("\n")) or out == ""


def check_clean(text: str) -> None:
    """Replay the removal records on the input: they give back exactly the cleaned text."""
    cleaned = clean_page(text)
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if text.strip() else []
    whole = {r.line: r for r in cleaned.removed
             if r.kind not in ("artefact", "invisible") and r.text == raw[r.line - 1]}
    snippets, leading = defaultdict(list), defaultdict(list)
    for r in cleaned.removed:
        assert r.stage == "clean" and 1 <= r.line <= len(raw)
        if r.kind == "artefact":
            snippets[r.line].append(r.text)
        elif r.kind != "invisible" and whole.get(r.line) is not r:  # furniture cut off the line's start
            leading[r.line].append(r.text)
        if r.kind == "invisible":
            assert all(c in raw[r.line - 1] for c in r.text)
    kept, numbers = [], []
    for number, source_line in enumerate(raw, start=1):
        if number in whole:
            assert number not in snippets and number not in leading
            continue
        line = normalise(source_line)
        for piece in leading[number]:
            assert line.lstrip().startswith(piece)
            line = line.replace(piece, "", 1)
        for snippet in snippets[number]:
            assert snippet in line
            line = line.replace(snippet, "", 1)
        if snippets[number] or leading[number]:
            line = re.sub(" {2,}", " ", line).strip()
        if line:
            kept.append(line)
            numbers.append(number)
    assert cleaned.text == "\n".join(kept)
    assert list(cleaned.line_numbers) == numbers


def check_dedup(text: str) -> None:
    result = dedup_page(text)
    paragraphs = text.split("\n") if text else []
    dropped = {}
    for r in result.removed:
        assert r.stage == "dedup" and paragraphs[r.line - 1] == r.text
        first = int(re.match(r"repeats line (\d+)", r.reason).group(1))
        assert first < r.line and first not in dropped
        dropped[r.line] = r
    assert result.text == "\n".join(p for i, p in enumerate(paragraphs, start=1) if i not in dropped)
    assert dedup_page(result.text).text == result.text


def check_segment(text: str) -> None:
    units = segment_text(text)
    position = 0
    for k, unit in enumerate(units):
        assert unit.index == k and unit.kind in KINDS and unit.section in SECTIONS
        assert unit.text and unit.text == unit.text.strip()
        assert text[unit.start:unit.end] == unit.text
        assert unit.start >= position and text[position:unit.start].strip() == ""
        assert unit.paragraph == text.count("\n", 0, unit.start)
        position = unit.end
    assert text[position:].strip() == ""


# --------------------------------------------------------------------------- properties


@FAST
@given(anything)
def test_normalise_changes_only_whitespace_zero_width_and_character_width(text):
    check_normalise(text)


@FAST
@given(anything)
def test_clean_keeps_or_records_every_line(text):
    check_clean(text)


@FAST
@given(anything)
def test_dedup_keeps_or_records_every_line_and_is_idempotent(text):
    check_dedup(text)


@FAST
@given(st.lists(st.sampled_from(PIECES[-6:] + ("一、主要举措和成效", "特此报告。", "")) | anything,
                max_size=12))
def test_dedup_with_repeated_paragraphs(paragraphs):
    check_dedup("\n".join(paragraphs + paragraphs[::2]))


@FAST
@given(anything)
def test_segment_units_and_whitespace_rebuild_the_text(text):
    check_segment(text)


@FAST
@given(anything)
def test_process_gives_a_consistent_report_or_an_input_error(text):
    try:
        report = process(text)
    except InputError:
        return
    check_segment(report.text)
    assert [u.text for u in report.units] == [u.text for u in segment_text(report.text)]


@LONG
@given(long_line)
def test_stages_handle_100k_character_lines(line):
    text = "一、总体情况\n" + line + "\n特此报告。"
    check_normalise(text)
    check_clean(text)
    check_dedup(text)
    check_segment(text)
    check_segment(clean_page(text).text)


_SAFE = CJK + "，。；：（）！？、“”《》 0123456789abcABC"


@FAST
@given(st.lists(st.tuples(st.sampled_from(("p", "div", "li", "td", "h2", "span", "b", "section")),
                          st.text(alphabet=_SAFE, min_size=1, max_size=30)), min_size=1, max_size=12),
       st.text(alphabet=_SAFE, max_size=20))
def test_html_page_keeps_its_visible_text_and_drops_scripts(blocks, hidden):
    page = (f"<!DOCTYPE html><html><head><title>站点</title><script>var s = 'SCRIPT{hidden}';</script>"
            f"<style>p {{ color: red }}</style></head><body>"
            + "".join(f"<{tag}>{text}</{tag}>" for tag, text in blocks)
            + f"<noscript>NOSCRIPT{hidden}</noscript></body></html>")
    text = read_report(page)
    assert fold(text) == fold("".join(text for _, text in blocks))
    assert "SCRIPT" not in text
    try:
        report = process(page.encode("utf-8"))
    except InputError as err:
        assert "empty" in str(err)
        return
    check_segment(report.text)


@FAST
@given(mixed)
@example("https://www.example.gov.cn/a.html")  # one line ending in .html: still HTML, not a path
@example("详见附件：实施方案.pdf")
def test_html_fragments_never_crash_the_pipeline(fragment):
    for source in ("<div>" + fragment, ("<!DOCTYPE html><html><body>" + fragment).encode("gb18030")):
        try:
            report = process(source)
        except InputError as err:
            assert "empty" in str(err)
            continue
        check_segment(report.text)


# --------------------------------------------------------------------------- the classifier


@pytest.fixture(scope="module")
def model():
    """The shipped default model."""
    return load_model()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(anything, st.fixed_dictionaries({"text": anything, "heading": anything})),
                min_size=1, max_size=6))
def test_predict_on_arbitrary_text_gives_valid_labels_and_probabilities(model, items):
    proba = model.predict_proba(items)
    labels = model.predict(items)
    classes = [str(c) for c in model.classes_]
    assert set(classes) <= set(LABEL_NAMES)
    assert proba.shape == (len(items), len(classes))
    assert np.all(proba >= 0) and np.allclose(proba.sum(axis=1), 1.0)
    for row, label in zip(proba, labels):
        assert label in LABEL_NAMES and row[classes.index(label)] == row.max()


@settings(max_examples=30, deadline=None)
@given(anything)
def test_classify_labels_every_unit_of_arbitrary_text(model, text):
    try:
        predictions = fazhi_nlp.classify(text, model=model)
    except InputError:
        return
    assert [p.unit for p in predictions] == list(process(text).units)
    for p in predictions:
        assert p.label in LABEL_NAMES and p.runner_up in LABEL_NAMES
        assert 1.0 + 1e-9 >= p.probability >= p.runner_up_probability >= 0.0


def test_public_classify_stays_a_function_after_the_model_is_loaded():
    code = ("import fazhi_nlp; m = fazhi_nlp.load_model(); "
            "print(len(fazhi_nlp.classify('一、推进严格规范公正文明执法', model=m)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-600:]
    assert done.stdout.strip() == "1"


# --------------------------------------------------------------------------- bad input files


def test_empty_file_is_an_error_naming_the_file():
    with pytest.raises(InputError, match=r"bad_input/empty\.txt: is empty"):
        process(BAD / "empty.txt")


def test_binary_file_is_an_error_naming_the_file():
    with pytest.raises(InputError, match=r"bad_input/binary\.txt: .*(binary|cannot be decoded)"):
        process(BAD / "binary.txt")


def test_truncated_utf8_is_an_error_naming_the_file_and_position():
    with pytest.raises(InputError, match=r"truncated_utf8\.txt: looks like UTF-8 but ends in the middle "
                                         r"of a character \(byte \d+, line 12\)"):
        read_report(BAD / "truncated_utf8.txt")


@pytest.mark.parametrize("name, encoding", [("gbk.txt", "gbk"), ("utf16_bom.txt", "utf-16")])
def test_legacy_encodings_are_read_exactly(name, encoding):
    path = BAD / name
    expected = path.read_bytes().decode(encoding)
    assert read_report(path) == expected
    report = process(path)
    assert report.source_text == expected
    assert [u.text for u in report.units] == [u.text for u in process(expected).units]
    assert report.agency in ("中山市科技局", "沂源县科技局")


def test_html_page_gives_the_units_of_its_plain_text():
    page = process(BAD / "page.html")
    plain = process(read_report(BAD / "gbk.txt"))
    assert [u.text for u in page.units] == [u.text for u in plain.units]
    assert (page.title, page.agency, page.published) == (plain.title, plain.agency, plain.published)
    assert not re.search("二是加强领导|三是|JavaScript|text-indent", page.source_text)
    assert "footer" in {r.kind for r in page.removed}


def test_two_megabyte_single_line_is_processed_whole(tmp_path):
    sentences = [f"全年办理行政复议案件{i}件，均在法定期限内审结。" for i in range(30_000)]
    path = tmp_path / "one_line.txt"
    path.write_text("".join(sentences), encoding="utf-8")
    assert path.stat().st_size > 2_000_000
    report = process(path)
    assert [u.text for u in report.units] == sentences
    assert report.removed == ()


def test_label_file_with_unknown_labels_names_file_line_and_label():
    with pytest.raises(LabelError) as err:
        load_labels(BAD / "labels_unknown.csv")
    message = str(err.value)
    assert "labels_unknown.csv, line 3: unknown label 'publicty'" in message
    assert "did you mean 'publicity'" in message
    assert "labels_unknown.csv, line 5: unknown label 'appeals'" in message


def test_label_file_with_a_missing_column_names_file_and_column():
    with pytest.raises(LabelError, match=r"labels_missing_column\.csv, line 1: no 'label' column "
                                         r"\(columns found: 'text', 'category'\)"):
        load_labels(BAD / "labels_missing_column.csv")


def test_training_on_a_single_class_is_a_clear_error_naming_the_file():
    labels = load_labels(BAD / "labels_single_class.csv")
    assert labels.labels == ["enforcement"] * 3
    with pytest.raises(LabelError, match=r"(?s)labels_single_class\.csv.*at least 2 different labels"):
        train(BAD / "labels_single_class.csv")


# --------------------------------------------------------------------------- bad model files

TINY = (["组织集体学法，开展法治培训。", "开展宪法宣传周活动，发放普法资料。", "全面落实行政执法三项制度。",
         "办理行政复议案件12件。"], ["study_training", "publicity", "enforcement", "disputes"])


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    """Two small saved models that differ (the second has one more class)."""
    root = tmp_path_factory.mktemp("models")
    save_model(fazhi_nlp.Classifier().fit(*TINY), root / "a")
    save_model(fazhi_nlp.Classifier().fit(TINY[0] + ["特此报告。"], TINY[1] + ["general"]), root / "b")
    return root


def _copy(tiny_models, name, tmp_path):
    return Path(shutil.copytree(tiny_models / name, tmp_path / name))


def test_saved_model_loads_and_predicts_the_same(tiny_models):
    clf = fazhi_nlp.Classifier().fit(*TINY)
    loaded = load_model(tiny_models / "a")
    assert np.allclose(loaded.predict_proba(TINY[0]), clf.predict_proba(TINY[0]))


def test_garbage_model_file_is_refused_naming_it(tiny_models, tmp_path):
    path = _copy(tiny_models, "a", tmp_path)
    model_file(path).write_bytes(b"\x00garbage" * 100)
    with pytest.raises(ModelError, match=re.escape(str(model_file(path)))):
        load_model(path)


def test_truncated_model_file_with_a_matching_hash_is_refused_naming_it(tiny_models, tmp_path):
    import hashlib

    path = _copy(tiny_models, "a", tmp_path)
    data = model_file(path).read_bytes()
    model_file(path).write_bytes(data[: len(data) // 2])
    card = json.loads((path / CARD_FILE).read_text("utf-8"))
    card["model_sha256"] = hashlib.sha256(data[: len(data) // 2]).hexdigest()
    (path / CARD_FILE).write_text(json.dumps(card), "utf-8")
    with pytest.raises(ModelError, match=re.escape(str(model_file(path)))):
        load_model(path).pipeline_  # a model with arrays loads its pipeline on first use


def test_card_whose_hash_does_not_match_the_model_is_refused(tiny_models, tmp_path):
    path = _copy(tiny_models, "a", tmp_path)
    shutil.copyfile(model_file(tiny_models / "b"), model_file(path))
    with pytest.raises(ModelError, match=re.escape(str(model_file(path))) + ".*card does not match model"):
        load_model(path)


def test_unreadable_card_is_refused_naming_it(tiny_models, tmp_path):
    path = _copy(tiny_models, "a", tmp_path)
    (path / CARD_FILE).write_bytes(b'{"format": "fazhi_nlp-model/1", "labels": [')
    with pytest.raises(ModelError, match=re.escape(str(path / CARD_FILE))):
        load_model(path)


# --------------------------------------------------------------------------- a corpus of bad files


def test_corpus_of_bad_files_reports_each_and_classifies_the_rest(tiny_models):
    from fazhi_nlp.corpus import classify_corpus

    result = classify_corpus(BAD, model=tiny_models / "a", progress=False)
    errors = {Path(s).name: reason for s, reason in zip(result.errors["source"], result.errors["reason"])}
    assert set(errors) == {"empty.txt", "binary.txt", "truncated_utf8.txt"}
    assert "is empty" in errors["empty.txt"] and "middle of a character" in errors["truncated_utf8.txt"]
    assert set(result.reports["doc_id"]) == {"gbk", "utf16_bom", "page"}
    for doc_id, n_units in zip(result.reports["doc_id"], result.reports["n_units"]):
        assert (result.units["doc_id"] == doc_id).sum() == n_units > 0
    assert set(result.units["label"]) <= set(LABEL_NAMES)


# --------------------------------------------------------------------------- text that is not text


def test_a_lone_surrogate_is_an_input_error_naming_line_and_column():
    with pytest.raises(InputError, match=r"<text>, line 2, column 7: lone surrogate U\+DC80"):
        process("一、总体情况\n全年办理案件\udc80十二件。")


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    import os

    os.mkfifo(tmp_path / "report.txt")
    with pytest.raises(InputError, match=re.escape(f"{tmp_path / 'report.txt'}: is a named pipe (FIFO)")):
        process(tmp_path / "report.txt")
    with pytest.raises(InputError, match="broken symbolic link"):
        os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")
        read_report(tmp_path / "link.txt")
