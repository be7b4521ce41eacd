"""Cleaning: page furniture out by its shape, body text and metadata kept."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from fazhi_nlp.clean import clean_page
from fazhi_nlp.clean import normalise

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
    "003": ("市委、市政府：",
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
