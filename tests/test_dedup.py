"""Deduplication: a report printed twice on one page, and reposted reports across a corpus."""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

import fazhi_nlp
from fazhi_nlp.dedup import dedup_page, find_duplicate_reports
from fazhi_nlp.patterns import similarity
from tests.conftest import seed_path


def test_linan_page_keeps_the_report_once_and_reports_the_dropped_copy(seed_reports):
    page = seed_path("002").read_text(encoding="utf-8")
    first_copy = page[: page.index("分享:")]
    one_copy = fazhi_nlp.process(first_copy)
    report = seed_reports["002"]
    assert abs(len(report.units) - len(one_copy.units)) <= 2
    dropped = [r for r in report.removed if r.stage == "dedup"]
    assert len(dropped) >= 10
    assert all(r.reason.startswith("repeats line") for r in dropped)
    assert sum("加强组织领导，落实主体责任" in u.text for u in report.units) == 1


def test_a_lone_near_copy_is_kept_it_may_be_parallel_reporting():
    a = "全面执行执法公示制度，更新完善执法主体和执法人员信息，并在政务服务网站主动公开。"
    b = "全面执行执法公示制度，更新完善执法主体和执法人员信息，并在政务服务网主动公开。"
    text = a + "\n" + "二、下一步工作计划" + "\n" + b
    assert dedup_page(text).text == text


TOWNS = ("城关镇", "东坝镇", "西河镇", "南山乡", "北岭乡")
TOWN_WORK = ("全年共办理行政复议案件12件，均在法定期限内审结，纠错率为零；开展行政执法案卷评查两次，"
             "评查结果全部合格，群众满意度达到百分之九十八。")


def _county_report(towns=TOWNS) -> str:
    return ("某县司法局2022年法治政府建设情况报告\n一、2022年工作情况\n（一）行政复议\n"
            + "\n".join(town + TOWN_WORK for town in towns)
            + "\n（二）普法宣传\n全县开展“法律进乡村”宣传活动46场，发放宣传资料3000余份，覆盖全部行政村。\n"
              "二、2023年工作计划\n持续推进严格规范公正文明执法，加强行政复议规范化建设。")


def test_parallel_town_paragraphs_are_all_kept(tmp_path):
    path = tmp_path / "county.txt"
    path.write_text(_county_report(), encoding="utf-8")
    report = fazhi_nlp.process(path)
    assert [r for r in report.removed if r.stage == "dedup"] == []
    assert [t for t in TOWNS if any(u.text.startswith(t) for u in report.units)] == list(TOWNS)


def test_a_page_holding_the_county_report_twice_keeps_one_copy(tmp_path):
    page = _county_report() + "\n分享:\n" + _county_report()
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    report = fazhi_nlp.process(path)
    once = fazhi_nlp.process(_county_report(), input="content")
    assert [u.text for u in report.units] == [u.text for u in once.units]
    assert all(r.reason.startswith("repeats line") and "near" not in r.reason
               for r in report.removed if r.stage == "dedup")


def test_a_copy_that_differs_in_punctuation_spaces_and_widths_is_dropped(tmp_path):
    first = "城关镇" + TOWN_WORK
    copy = first.replace("12", "１２").replace("，", ", ").replace("；", ";")
    path = tmp_path / "widths.txt"
    path.write_text(f"一、行政复议\n{first}\n二、普法宣传\n{copy}\n", encoding="utf-8")
    result = dedup_page(path.read_text(encoding="utf-8"))
    assert [(r.line, r.reason) for r in result.removed] == [(4, "repeats line 2")]


def test_an_edited_paragraph_inside_a_repeated_block_is_dropped_as_a_near_copy():
    towns = _county_report().split("\n")
    edited = [line.replace("百分之九十八", "百分之九十八点") if line.startswith("西河镇") else line
              for line in towns]
    result = dedup_page("\n".join(towns + edited))
    assert result.text == "\n".join(towns)
    (near,) = [r for r in result.removed if "near-duplicate" in r.reason]
    assert near.text.startswith("西河镇") and near.reason == f"repeats line {towns.index(near.text.replace('点', '')) + 1} (near-duplicate)"


def test_an_edited_number_inside_a_repeated_block_is_kept():
    lines = _county_report().split("\n")
    edited = [line.replace("12件", "17件") if line.startswith("西河镇") else line for line in lines]
    result = dedup_page("\n".join(lines + edited))
    assert result.text == "\n".join(lines + [line for line in edited if line.startswith("西河镇")])


def test_work_grows_linearly_with_the_number_of_parallel_paragraphs(monkeypatch):
    """No pair of paragraphs is compared twice: a page of 3,000 parallel paragraphs (printed
    twice) needs fewer similarity computations than it has lines."""
    import fazhi_nlp.dedup as dedup

    calls = []
    monkeypatch.setattr(dedup, "similarity", lambda a, b: calls.append(1) or similarity(a, b))
    towns = [f"第{n}村" for n in range(3000)]
    page = _county_report(towns)
    edited = [line.replace("九十八", "九十八点") if re.match(r"第\d*[02468]村", line) else line
              for line in page.replace("46场", "47场").split("\n")]
    result = dedup_page(page + "\n" + "\n".join(edited))
    assert result.text == page + "\n" + "全县开展“法律进乡村”宣传活动47场，发放宣传资料3000余份，覆盖全部行政村。"
    assert sum("near-duplicate" in r.reason for r in result.removed) == 1500
    assert len(calls) <= len(towns)


def test_same_sentence_pattern_with_other_numbers_in_another_section_is_kept():
    text = ("一、2021年工作情况\n全年共办理行政复议案件12件，均在法定期限内审结，纠错率为零。\n"
            "二、2022年工作情况\n全年共办理行政复议案件17件，均在法定期限内审结，纠错率为零。")
    assert dedup_page(text).text == text


def test_short_heading_repeated_in_two_sections_is_kept():
    text = "一、2022年工作情况\n（一）存在问题\n全年共办理信访件四件，均按时办结。\n二、2023年工作计划\n（一）存在问题"
    assert dedup_page(text).text == text


paragraph = st.sampled_from([
    "一、主要举措和成效", "（一）存在问题", "全年共办理行政复议案件12件，均在法定期限内审结完毕。",
    "全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。", "特此报告。",
    "全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制。",
]) | st.text(min_size=0, max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.lists(paragraph, max_size=30))
def test_dedup_is_idempotent(paragraphs):
    once = dedup_page("\n".join(paragraphs)).text
    assert dedup_page(once).text == once


def test_reposted_reports_are_flagged_across_a_corpus():
    texts = {p: seed_path(p).read_text(encoding="utf-8") for p in ("000", "001", "003", "004")}
    texts["000-repost"] = "转载自某政府网站\n" + texts["000"].replace("打印 关闭", "返回顶部")
    groups = find_duplicate_reports(texts)
    assert groups == [["000", "000-repost"]]


def test_a_block_printed_many_times_keeps_one_copy_and_points_every_copy_at_it(tmp_path):
    block = [TOWNS[0] + TOWN_WORK, "（二）普法宣传", "全县开展“法律进乡村”宣传活动46场，发放宣传资料3000余份。"]
    path = tmp_path / "page.txt"
    path.write_text("\n".join(block * 2000), encoding="utf-8")
    result = dedup_page(path.read_text(encoding="utf-8"))
    assert result.text == "\n".join(block)
    assert len(result.removed) == 3 * 1999
    assert {r.reason for r in result.removed} == {"repeats line 1", "repeats line 2", "repeats line 3"}


def _swap_sentences(text: str, every: int) -> str:
    """``text`` with every ``every``-th sentence replaced by a sentence of another report."""
    other = [s for s in seed_path("003").read_text(encoding="utf-8").split("。") if len(s) > 20]
    return "。".join(other[i % len(other)] if i % every == 0 else s
                    for i, s in enumerate(text.split("。")))


def test_an_edited_repost_is_grouped_and_a_heavily_rewritten_report_is_not():
    original = seed_path("001").read_text(encoding="utf-8")
    texts = {"original": original, "lightly edited": _swap_sentences(original, 20),
             "half rewritten": _swap_sentences(original, 2), "other": seed_path("004").read_text(encoding="utf-8")}
    assert find_duplicate_reports(texts) == [["original", "lightly edited"]]


def test_reposts_with_unpaired_surrogates_are_still_compared():
    body = "全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。" * 3
    assert find_duplicate_reports([("a", body + "\ud800"), ("b", body), ("c", "全年办理信访件四件。")]) \
        == [["a", "b"]]


def test_any_number_of_permutations_finds_the_same_repost():
    texts = {p: seed_path(p).read_text(encoding="utf-8") for p in ("000", "001", "003")}
    texts["copy"] = _swap_sentences(texts["000"], 20)
    for num_perm in (64, 90, 128, 131, 256):
        assert find_duplicate_reports(texts, num_perm=num_perm) == [["000", "copy"]]
