"""Segmentation: headings, sentences and enumerated clauses, with nothing lost."""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

import fazhi_nlp
from fazhi_nlp.segment import segment_text
from tests.conftest import seed_path


def texts(report, kind=None):
    return [u.text for u in report.units if kind is None or u.kind == kind]


def test_enumerated_clauses_one_to_five_split(seed_reports):
    heading = "1. 健全党组理论学习中心组学法机制，完善重大决策前法律审查制度。"
    clauses = [u.text for u in seed_reports["001"].units if u.kind == "clause" and u.heading == heading]
    assert [c[:2] for c in clauses] == ["一是", "二是", "三是", "四是", "五是"]
    assert clauses[3] == "四是落实集体决策等制度。"
    sentences = [u.text for u in seed_reports["001"].units if u.kind == "sentence" and u.heading == heading]
    assert sentences[0].startswith("2024年理论学习中心组共开展")


def test_numbered_headings_nest_under_their_parents(seed_reports):
    report = seed_reports["001"]
    unit = next(u for u in report.units if u.text == "目前，我单位持执法证人员4人。")
    assert unit.heading_path == (
        "一、2024年法治政府建设情况",
        "（四）规范化推进行政执法建设，做到严格规范公正文明执法",
        "3. 严格执法人员资格管理，规范持证上岗制度。",
    )
    assert unit.section == "achievements"


def test_run_in_headings_of_linan_are_headings(seed_reports):
    headings = texts(seed_reports["002"], "heading")
    assert headings[:3] == ["一、2022年度法治政府建设工作情况", "（一）加强组织领导，落实主体责任。",
                            "（二）严格依法行政，全面履行职能。"]


def test_unnumbered_short_line_is_a_heading(seed_reports):
    unit = next(u for u in seed_reports["003"].units if u.text.startswith("加强组织领导"))
    assert (unit.kind, unit.text) == ("heading", "加强组织领导，不断夯实依法行政工作基础")
    following = seed_reports["003"].units[unit.index + 1]
    assert following.heading == unit.text and following.kind == "clause"


def test_sections_are_read_from_headings(seed_reports):
    sections = {u.text: u.section for u in seed_reports["000"].units}
    assert sections["全年共办理合法性审查事项92件。"] == "achievements"
    assert sections["一是科技创新政策体系有待进一步健全。"] == "problems"
    assert sections["一是加强依法行政能力建设。"] == "plans"
    assert sections["在全面、准确把握法律精神的前提下，主动担当作为，尽最大力度为基层、为企业解决实际困难，"
                    "将“暖企”行动真正落到实处。"] == "responsibility"
    assert seed_reports["000"].units[0].section == "other"


def test_fullwidth_seed_segments_like_its_halfwidth_form(tmp_path):
    full = seed_path("004").read_text(encoding="utf-8")
    half = full.translate(str.maketrans("，：；（）！？", ",:;()!?"))
    assert half != full
    assert texts(fazhi_nlp.process(half)) == texts(fazhi_nlp.process(full))


def test_units_point_into_the_report_text(seed_reports):
    for report in seed_reports.values():
        for unit in report.units:
            assert report.text[unit.start:unit.end] == unit.text
            assert report.text.split("\n")[unit.paragraph].find(unit.text) >= 0


def rebuild(text, units):
    """Units plus the separators between them, in order."""
    pieces, position = [], 0
    for unit in units:
        gap = text[position:unit.start]
        assert gap.strip() == "", f"characters lost between units: {gap!r}"
        pieces += [gap, unit.text]
        position = unit.end
    assert text[position:].strip() == ""
    return "".join(pieces) + text[position:]


report_like = st.lists(st.sampled_from([
    "一、", "（二）", "1.", "2、", "（3）", "一是", "二是", "第一，", "加强组织领导", "全年办结12件", "。", "；",
    "！", "？", "，", "：", "\n", " ", "“", "”", "（", "）", "a", "7",
]) | st.text(max_size=8), max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), report_like))
def test_units_and_separators_rebuild_the_text_exactly(text):
    units = segment_text(text)
    assert rebuild(text, units) == text
    assert all(u.text == text[u.start:u.end] and u.text.strip() == u.text and u.text for u in units)
    assert [u.index for u in units] == list(range(len(units)))


def test_seed_texts_rebuild_exactly(seed_reports):
    for report in seed_reports.values():
        assert rebuild(report.text, report.units) == report.text
        assert not re.search(r"\S", "".join(
            report.text[a.end:b.start] for a, b in zip(report.units, report.units[1:])))
