"""Deduplication: a report printed twice on one page, and reposted reports across a corpus."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

import fazhi_nlp
from fazhi_nlp.dedup import dedup_page, find_duplicate_reports
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


def test_near_duplicate_paragraph_counts_as_a_repeat():
    a = "全面执行执法公示制度，更新完善执法主体和执法人员信息，并在政务服务网站主动公开。"
    b = "全面执行执法公示制度，更新完善执法主体和执法人员信息，并在政务服务网主动公开。"
    result = dedup_page(a + "\n" + "二、下一步工作计划" + "\n" + b)
    assert result.text.split("\n") == [a, "二、下一步工作计划"]
    assert "near-duplicate" in result.removed[0].reason


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
