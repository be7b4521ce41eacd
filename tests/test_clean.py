"""Cleaning: page furniture out by its shape, body text and metadata kept.

A line is furniture only when the whole line has a furniture shape; a line with sentence
content is never removed, whatever furniture words it holds. The shapes are pinned line by
line in ``tests/data/furniture_cases.json`` (line → the kind recorded for it, or null for
report text), and measured on 50 real pages in ``tests/test_dev_pages.py``.
"""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import example, given, settings, strategies as st

import fazhi_nlp
from fazhi_nlp.clean import clean_page, normalise, normalise_lines
from fazhi_nlp.examples import example_reports
from fazhi_nlp.patterns import SENTENCE_END

from tests.conftest import DATA_DIR

# Furniture as it appears on the seed pages (after normalisation).
FURNITURE = ["当前位置", "首页 >", "发布日期", "发布时间", "信息来源", "来源：", "日期：", "浏览量", "索引号",
             "公开方式 主动公开", "公开形式", "公开范围 面向社会", "公开时限", "发布单位", "发文日期", "统一编号",
             "有效性", "分享", "打印", "关闭", "字体", "扫一扫", "附件下载", "相关链接", "标签", "留言与评论", "验证码",
             "bookmark", "_GoBack", "03/28", "12:05", "23:50"]

# (first, middle, last) body sentences of each seed, in the cleaned (normalised) form.
BODY = {
    "000": ("现将我局2022年法治政府建设相关工作情况报告如下：",
            "全年共办理合法性审查事项92件。",
            "四是抓实“谁执法谁普法”责任制，营造自觉遵守与执行法律的良好氛围，为推动全市的法治建设贡献力量。"),
    "001": ("一、2024年法治政府建设情况",
            "目前，我单位持执法证人员4人。",
            "三是深入扎实开展普法教育。"),
    "002": ("一、2022年度法治政府建设工作情况",
            "（四）完善制度体系，公正文明执法。",
            "（三）建立健全行政执法制度。"),
    "003": ("2019年，在市委市政府的正确领导下，我局深入贯彻落实《鹤壁市法治政府建设领导小组关于印发鹤壁市2019年度"
            "法治政府建设工作安排的通知》（鹤法政〔2019〕1号）要求，按照确定的目标任务，将依法行政与创新机关、廉洁机关、"
            "服务型机关建设相结合，进一步规范依法行政行为，提升依法行政水平，认真做好科技系统依法行政工作，努力塑造了规范、"
            "公正、公开、廉洁、文明、服务、高效的依法行政形象，为全市经济转型发展提供了强有力的科技支撑。",
            "我局今年新出台规范性文件3份，以鹤科备〔2019〕1号文件备案。",
            "特此报告。"),
    "004": ("一、2022年度推进法治政府建设的主要举措和成效",
            "（三）进一步加强普法宣传工作。",
            "创新载体建设，拓宽公开渠道。"),
}

EXPECTED = {
    "000": ("中山市科技局2022年法治政府建设年度报告", "中山市科技局", 2022),
    "001": (None, "乌鲁木齐市科学技术局", 2024),
    "002": ("杭州市临安区科学技术局2022年度法治政府建设情况报告", "杭州市临安区科学技术局", 2022),
    "003": ("中共鹤壁市科学技术局党组关于2019年度依法行政工作情况的报告", "鹤壁市科学技术局", 2019),
    "004": ("沂源县科技局2022年度法治政府建设工作报告", "沂源县科技局", 2022),
}


@pytest.mark.parametrize("prefix", sorted(BODY))
def test_no_furniture_survives_in_any_unit(seed_reports, prefix):
    for unit in seed_reports[prefix].units:
        leftovers = [f for f in FURNITURE if f in unit.text]
        assert not leftovers, (unit.text, leftovers)


@pytest.mark.parametrize("prefix", sorted(BODY))
def test_first_middle_and_last_body_sentences_survive_intact(seed_reports, prefix):
    texts = [u.text for u in seed_reports[prefix].units]
    for sentence in BODY[prefix]:
        assert sentence in texts


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_title_agency_and_reported_year(seed_reports, prefix):
    report = seed_reports[prefix]
    assert (report.title, report.agency, report.year) == EXPECTED[prefix]


def test_published_and_signed_dates_are_read(seed_reports):
    assert seed_reports["000"].published == "2023-01-31"
    assert seed_reports["001"].published == "2025-03-28"
    assert (seed_reports["002"].published, seed_reports["002"].signed) == ("2023-03-31", "2023-02-27")
    assert seed_reports["003"].signed == "2020-02-11"


def test_every_removal_is_recorded_with_its_line(seed_reports):
    removed = seed_reports["004"].removed
    assert [(r.kind, r.text) for r in removed] == [
        ("title", " 沂源县科技局2022年度法治政府建设工作报告"), ("artefact", "[bookmark: _GoBack]")]
    # lines of the text as read (blank lines count), the removed text exactly as it stood there
    assert [r.line for r in removed] == [1, 7]
    source_lines = seed_reports["004"].source_text.split("\n")
    assert removed[0].text == source_lines[0] and removed[1].text in source_lines[6]


def test_unseen_furniture_shapes_are_removed():
    page = "\n".join([
        "您的位置：网站首页 >> 信息公开 >> 法定主动公开内容 >> 年度报告",
        "首页 / 政务公开 / 法治政府建设",
        "某市生态环境局2021年法治政府建设情况报告",
        "【字体：大 中 小】【打印】【关闭】",
        "文章来源：市生态环境局 发布时间：2022-02-15 阅读次数：321",
        "发文字号：某环发〔2022〕5号",
        "某环发〔2022〕5号",
        "2021年，我局坚持以习近平法治思想为指导，全面推进依法行政。",
        "一、全面推行行政执法三项制度",
        "全年办理环境行政处罚案件56件。",
        "https://www.example.gov.cn/art/2022/2/15/art_123.html",
        "上一篇：关于开展安全生产检查的通知",
        "版权所有：某市生态环境局 网站标识码：1234000001",
        "首页 > 信息公开",
        "（责任编辑：王某）",
        "第1页 共2页",
    ])
    cleaned = clean_page(page)
    assert cleaned.text.split("\n") == [
        "2021年，我局坚持以习近平法治思想为指导，全面推进依法行政。",
        "一、全面推行行政执法三项制度",
        "全年办理环境行政处罚案件56件。",
    ]
    assert cleaned.title == "某市生态环境局2021年法治政府建设情况报告"
    assert cleaned.published == "2022-02-15"
    assert {r.kind for r in cleaned.removed} >= {"breadcrumb", "widget", "metadata", "doc_number", "link",
                                                  "trailer", "footer"}


def test_fullwidth_and_halfwidth_punctuation_normalise_the_same_way():
    assert normalise("坚持依法决策,规范权力运行(试行);全年办结4件:") == \
        normalise("坚持依法决策，规范权力运行（试行）；全年办结４件：")
    assert normalise("共计1,000人,时间12:05") == "共计1,000人，时间12:05"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_clean_never_crashes_and_keeps_no_blank_lines(text):
    cleaned = clean_page(text)
    assert "" not in cleaned.text.split("\n") or cleaned.text == ""
    assert all(r.stage == "clean" for r in cleaned.removed)


def test_addressee_line_goes_to_metadata(seed_reports):
    report = seed_reports["003"]
    assert report.addressee == "市委、市政府"
    assert ("addressee", 3, "  市委、市政府:") in [(r.kind, r.line, r.text) for r in report.removed]
    assert not any(u.text.startswith("市委、市政府") for u in report.units)
    assert [s.addressee for k, s in seed_reports.items() if k != "003"] == [None] * 4


# ------------------------------------------------------------------ line by line, from the data file

CASES = json.loads((DATA_DIR / "furniture_cases.json").read_text(encoding="utf-8"))
TITLE = "某市司法局2023年法治政府建设年度报告"
OPENING = "2023年，某市司法局坚持以习近平法治思想为指导，全面推进依法行政。"
HEADING = "一、主要举措和成效"
CLOSING = "全年办理行政复议案件56件，均在法定期限内审结。"
PLACES = {"top": (TITLE, None, OPENING, HEADING, CLOSING), "body": (TITLE, OPENING, HEADING, None, CLOSING),
          "bottom": (TITLE, OPENING, HEADING, CLOSING, None)}


@pytest.mark.parametrize("place, line, kind", [(place, line, kind) for place in PLACES
                                               for line, kind in CASES[place].items()])
def test_each_line_is_furniture_of_its_kind_or_kept_whole(place, line, kind):
    lines = [line if part is None else part for part in PLACES[place]]
    number = PLACES[place].index(None) + 1
    cleaned = clean_page("\n".join(lines))
    assert [(r.kind, r.text) for r in cleaned.removed if r.line == number] == ([(kind, line)] if kind else [])
    kept = cleaned.text.split("\n")
    assert OPENING in kept and CLOSING in kept and HEADING in kept
    if kind is None:
        assert normalise(line) in kept


# ------------------------------------------------------------------ known losses, fixed

def test_empty_source_field_does_not_swallow_the_title_under_it():
    cleaned = clean_page("来源：\n某区司法局2022年法治政府建设情况报告\n发布时间：\n2023-02-01 10:00\n"
                         "一、主要举措\n全年办理行政复议案件12件。")
    assert cleaned.title == "某区司法局2022年法治政府建设情况报告"
    assert (cleaned.agency, cleaned.published) == ("某区司法局", "2023-02-01")
    assert [r.kind for r in cleaned.removed] == ["metadata", "title", "metadata", "metadata"]


def test_rows_of_a_statistics_table_are_kept():
    rows = ["表1 2021—2023年行政复议案件", "年度 受理 审结 纠错", "2021 48 45 6", "2022 56 56 5", "2023 61 60 4",
            "12:05 13:10", "03/28", "1.5 2.3 4.1"]
    page = "\n".join(["某局2023年法治政府建设年度报告", "一、行政复议", "全年受理案件61件。", *rows, "二、普法宣传", "开展活动12场。"])
    assert clean_page(page).text.split("\n") == ["一、行政复议", "全年受理案件61件。", *rows, "二、普法宣传", "开展活动12场。"]


def test_metadata_table_with_field_names_by_shape_and_values_under_them():
    page = "\n".join(["某部2017年度法治政府部门建设工作情况", "文号：某法发〔2018〕54号", "公开日期", "2018年04月28日",
                      "主题词", "某部；法治政府；建设", "机构分类", "法制司", "公文类型", "部文件",
                      "2017年以来，某部大力推进依法行政。"])
    cleaned = clean_page(page)
    assert cleaned.text == "2017年以来，某部大力推进依法行政。"
    assert (cleaned.published, cleaned.signed) == ("2018-04-28", None)


def test_addressee_is_read_above_an_opening_that_ends_in_a_colon():
    cleaned = clean_page("某县信访局2022年法治政府建设工作报告\n中共某县委、某县人民政府：\n现将一年来的工作情况报告如下：\n"
                         "2022年，我局坚持依法行政。")
    assert cleaned.addressee == "中共某县委、某县人民政府"
    assert cleaned.text == "现将一年来的工作情况报告如下：\n2022年，我局坚持依法行政。"


def test_a_value_between_two_fields_is_metadata_but_a_title_block_is_not():
    table = clean_page("某区2024年度法治政府建设情况报告\n1234567890/2025-0000123\n某区人民政府\n2025-02-28\n"
                       "2024年，某区坚持依法行政。")
    assert table.text == "2024年，某区坚持依法行政。"
    block = clean_page("某市司法局_关于某市2020年法治政府建设情况的报告\n2021年03月19日 来源：市司法局\n中共某市委\n某市人民政府\n"
                       "关于某市2020年法治政府建设\n情况的报告\n中共某省委、某省人民政府：\n2020年，我市坚持依法行政。")
    assert block.text.split("\n") == ["中共某市委", "某市人民政府", "关于某市2020年法治政府建设", "情况的报告",
                                       "2020年，我市坚持依法行政。"]
    assert block.addressee == "中共某省委、某省人民政府"


# ------------------------------------------------------------------ a page that arrives as one line

ONE_LINE_HEAD = ("URL: http://www.example.gov.cn/art/2024/2/1/art_12_345.html 当前位置：首页 > 政务公开 > 法治政府建设 "
                 "某局2023年法治政府建设年度报告 发布日期：2024-02-01 来源：某局 字体：大 中 小 打印 关闭 ")


def test_one_line_page_loses_its_furniture_at_the_furniture_boundary():
    sentences = [f"全年办理行政复议案件{i}件，均在法定期限内审结。" for i in range(30_000)]
    report = fazhi_nlp.process(ONE_LINE_HEAD + "".join(sentences), input="content")
    assert len(report.source_text.encode("utf-8")) > 2_000_000
    assert [u.text for u in report.units] == sentences
    assert [(r.kind, r.line, r.text) for r in report.removed] == [
        ("link", 1, "URL: http://www.example.gov.cn/art/2024/2/1/art_12_345.html"),
        ("breadcrumb", 1, "当前位置：首页 > 政务公开 > 法治政府建设"), ("title", 1, "某局2023年法治政府建设年度报告"),
        ("metadata", 1, "发布日期：2024-02-01"), ("metadata", 1, "来源：某局"), ("widget", 1, "字体：大 中 小"),
        ("widget", 1, "打印"), ("widget", 1, "关闭")]
    assert (report.title, report.agency, report.published, report.year) == (
        "某局2023年法治政府建设年度报告", "某局", "2024-02-01", 2023)


@pytest.mark.parametrize("head", ["当前位置：首页 > 政务公开 > 通知公告 ", "首页>政务公开>法治政府建设>",
                                  "http://www.example.gov.cn/art/1.html", "URL: http://www.example.gov.cn/a/ "])
def test_one_line_page_opening_with_a_trail_or_a_link_keeps_its_text(head):
    text = "2023年，我局坚持依法行政。一、加强组织领导 全年办理行政复议案件12件，均在法定期限内审结。"
    cleaned = clean_page(head + text)
    assert cleaned.text == text
    assert "".join(r.text for r in cleaned.removed).replace(" ", "") == normalise(head).replace(" ", "")


# ------------------------------------------------------------------ furniture words inside report sentences

FURNITURE_WORDS = ("扫码", "扫一扫", "分享", "分享到", "打印", "关闭", "字体", "字号", "来源", "来源：", "信息来源：",
                   "发布时间", "发布日期：", "浏览次数", "联系电话", "联系电话：", "主办单位", "主办单位：", "技术支持",
                   "技术支持：", "版权所有", "首页", "当前位置", "当前位置：", "您的位置：", "网站地图", "联系我们", "索引号",
                   "索引号：", "公开方式", "上一篇：", "附件下载", "相关链接", "标签：", "无障碍", "繁体", "长者版",
                   "返回顶部", "ICP备", "2024-03-01", "12:05", "（2024-03-01）", "县委、县政府：")


def _example_sentences() -> list[tuple[list[str], int, int, int]]:
    """(normalised lines of an example page, line index, start, end) of each sentence of its body."""
    found = []
    for path in example_reports():
        raw = path.read_text(encoding="utf-8")
        lines = normalise_lines(raw)
        cleaned = clean_page(raw)
        for text, number in zip(cleaned.text.split("\n"), cleaned.line_numbers):
            if text != lines[number - 1]:
                continue
            start = 0
            for end in SENTENCE_END.finditer(text):
                if end.end() - start >= 8 and re.search(r"[。！？，]", text[start:end.end()]):
                    found.append((lines, number - 1, start, end.end()))
                start = end.end()
    return found


SENTENCES = _example_sentences()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SENTENCES), st.sampled_from(FURNITURE_WORDS), st.floats(0, 1))
@example(SENTENCES[0], "当前位置：", 0.0)
@example(SENTENCES[-1], "联系电话：", 1.0)
def test_furniture_words_inside_a_report_sentence_remove_nothing(site, word, where):
    lines, index, start, end = site
    at = start + round(where * (end - start))
    line = lines[index][:at] + word + lines[index][at:]
    page = lines[:index] + [line] + lines[index + 1:]
    cleaned = clean_page("\n".join(page))
    assert line in cleaned.text.split("\n")
    assert not [r for r in cleaned.removed if r.line == index + 1]


def test_a_toolbar_printed_one_word_a_line_goes_but_one_such_word_in_the_text_stays():
    # the opening of a district market-regulation bureau's page (tests/data/collected k09)
    toolbar = ["拼音", "辅助浏览", "轻松阅读", "读屏", "视图", "放大", "缩小", "配色", "白底黑字蓝链接",
               "页面原始配色", "大鼠标", "辅助线", "声音", "指读", "减速", "加速", "全屏", "刷新", "帮助", "换肤"]
    body = ["2022年，区市场监管局坚持以习近平法治思想为指导，推进法治政府建设。", "一、加强组织领导",
            "前进", "局党组专题研究法治建设工作4次。"]
    cleaned = clean_page("\n".join(toolbar + body))
    assert cleaned.text.split("\n") == body  # 前进 alone between report lines is not a toolbar
    assert [r.text for r in cleaned.removed if r.kind == "widget"] == toolbar


def test_air_quality_box_welcome_banner_and_run_in_times_are_furniture():
    page = ("您好,欢迎登录中华人民共和国广东海事局! 2024年05月20日 星期一\n站群导航\nAQI\n  • 轻度污染\n"
            "  • 中度污染\n2020-03-13 08:45:00来源:\n主 题 :\n司法行政\\政府法治\n- 公文生成日期:2026-01-16\n"
            "信息公开元数据\n省政府、市委、市人大:\n2019年，我市坚持依法行政，全面推进法治政府建设。")
    cleaned = clean_page(page)
    assert cleaned.text == "2019年，我市坚持依法行政，全面推进法治政府建设。"
    assert cleaned.addressee == "省政府、市委、市人大"


def test_title_on_two_lines_a_menu_above_a_title_without_a_year_and_a_congress_salutation():
    # openings of collected pages v13 (西安), u06 (双江) and r04 (朝阳区, a report read to the
    # district congress's standing committee)
    two_lines = clean_page("西安市市场监督管理局\n2023年法治政府建设工作报告\n\n一、加强组织领导\n"
                           "局党委专题研究法治建设工作4次。")
    assert two_lines.title == "西安市市场监督管理局2023年法治政府建设工作报告"
    assert two_lines.agency == "西安市市场监督管理局"
    assert two_lines.text == "一、加强组织领导\n局党委专题研究法治建设工作4次。"
    menu = ["双江县人民政府", "返回首页", "政府信息公开", "政府信息公开指南", "政策文件", "依申请公开"]
    body = ["2022年，县教育体育局深入贯彻习近平法治思想。", "一、2022年推进法治政府建设主要举措和成效"]
    under_menu = clean_page("\n".join(menu + ["双江自治县教育体育局法治政府建设情况报告", "• 2023年01月27日 16时47分"]
                                      + body))
    assert under_menu.title == "双江自治县教育体育局法治政府建设情况报告"
    assert under_menu.text.split("\n") == body
    assert {r.text for r in under_menu.removed} >= set(menu)
    speech = clean_page("朝阳区人民政府关于2020年法治政府建设工作情况的报告\n主任、各位副主任、各位委员：\n"
                        "现在，我代表区政府报告2020年法治政府建设工作情况，请予审议。")
    assert speech.addressee == "主任、各位副主任、各位委员"
    assert speech.text == "现在，我代表区政府报告2020年法治政府建设工作情况，请予审议。"


@pytest.mark.parametrize("page, title", [
    # an organisation line above a title that names its own agency is not part of it
    ("某区人民政府\n某区司法局法治政府建设情况报告", "某区司法局法治政府建设情况报告"),
    # a dated byline above a title is not an agency line
    ("某区司法局2023年1月5日\n2023年法治政府建设工作报告", "2023年法治政府建设工作报告"),
    # 关于 closing the first line of a title split in two
    ("某市人民政府关于\n2023年法治政府建设情况的报告", "某市人民政府关于2023年法治政府建设情况的报告"),
    # a menu channel or a related link named like a report, above the dated title
    ("某县人民政府\n政务公开\n政府信息公开\n政策文件\n法治政府建设年度报告\n某局2022年法治政府建设年度报告",
     "某局2022年法治政府建设年度报告"),
    ("首页\n通知公告\n工作动态\n某局法治政府建设情况报告\n某局2022年法治政府建设年度报告", "某局2022年法治政府建设年度报告"),
])
def test_only_an_agency_line_right_above_a_title_without_one_joins_it(page, title):
    opening = "2023年，区司法局推进依法行政。"
    cleaned = clean_page(page + "\n" + opening)
    assert cleaned.title == title
    assert cleaned.text == opening
