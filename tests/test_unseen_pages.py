"""Pages unlike the seeds: other agencies, other sites, furniture the cleaner has never seen.

Each page under ``fixtures/pages/`` was written by hand in the shape of a real government
site: a district government's HTML page with a metadata table, a county justice bureau's
page copied as plain text, an education bureau's GBK page with scripts and share widgets,
a health commission's page in full-width characters with a document number and an
attachment line, a transport bureau's page that prints the report twice, and an
ecology-environment bureau's page outlined 第一部分 / 一、/（一）/ 1. /（1）with un-numbered
headings. The tests check what a reader of the result would notice.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import fazhi_nlp

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"

# Per page: the metadata a reader expects, the furniture planted on the page (``fragments``
# must not occur inside any unit; ``lines`` are short furniture lines that are also words of
# the body, so no unit may *be* one), body sentences in normalised form (first, middle, last,
# plus any that exercise normalisation), and headings with the section they open.
CASES = {
    "district_gov_2023.html": dict(
        title="东川市临江区人民政府2023年法治政府建设年度报告", agency="东川市临江区人民政府", year=2023,
        published="2024-01-30", signed="2024-01-26",
        fragments=["门户网站", "无障碍", "长者模式", "English", "走进临江", "互动交流", "首页", "信息公开>",
                   "年度报告", "索引号", "11330102MB1534267X", "主题分类", "综合政务", "发布机构", "成文日期",
                   "标 题", "标　　题", "发文字号", "临政函", "发布日期", "有 效 性", "有效性", "发布时间", "09:15",
                   "来源：", "浏览次数", "3217", "2024-01-26", "2024-01-30", "打印", "关闭", "扫一扫", "本文链接",
                   "https://", "linjiang.gov.cn", "相关文件", "2024年法治政府建设工作要点", "上一篇", "下一篇",
                   "联系我们", "网站地图", "隐私声明", "主办单位", "承办单位", "大数据发展中心", "网站标识码",
                   "ICP备", "公网安备"],
        lines=["政务公开", "政务服务", "有效", "东川市临江区人民政府", "2024年1月26日"],
        body=["2023年，临江区人民政府坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，"
              "深入学习贯彻习近平法治思想，认真落实中央、省、市关于法治政府建设的决策部署，统筹推进依法行政各项工作，"
              "法治政府建设取得新进展。",
              "全年区政府收到行政复议申请148件，受理131件，审结127件，直接纠错率为8.7%。",
              "（四）健全行政争议实质性化解机制，发挥行政复议化解行政争议主渠道作用。"],
        headings=[("一、2023年推进法治政府建设的主要举措和成效", "achievements"),
                  ("（五）健全突发事件应对体系，提升依法应急处置能力。", "achievements"),
                  ("二、党政主要负责人履行推进法治建设第一责任人职责情况", "responsibility"),
                  ("三、存在的不足和原因", "problems"),
                  ("四、2024年推进法治政府建设的主要安排", "plans"),
                  ("（三）推进政务数据共享和“互联网+监管”，加快打造数字法治政府。", "plans")],
    ),
    "justice_bureau_2021.txt": dict(
        title="青溪县司法局2021年法治政府建设年度报告", agency="青溪县司法局", year=2021,
        published="2022-01-18", signed="2022-01-14",
        fragments=["门户网站", "您所在的位置", "»", "首页", "来源", "作者", "李明", "发布时间", "10:32", "点击数",
                   "1536", "年度报告", "打印", "关闭", "上一篇", "下一篇", "行政执法数据的公示", "普法依法治理工作总结",
                   "相关文件", "考核评价结果公示", "主办单位", "承办单位", "大数据发展中心", "地址：", "人民路18号",
                   "邮编", "联系电话", "0792", "网站标识码", "ICP备", "公网安备", "联系我们", "网站地图", "隐私声明"],
        lines=["青溪县司法局", "2022年1月14日"],
        body=["2021年，青溪县司法局在县委、县政府的坚强领导和市司法局的有力指导下，坚持以习近平法治思想为引领，"
              "认真履行统筹推进法治政府建设职能，扎实开展行政复议、行政执法协调监督、公共法律服务和普法依法治理等各项工作，"
              "为全县经济社会高质量发展提供了有力法治保障。",
              "全年共收到行政复议申请56件，受理49件，审结45件，其中维持31件、撤销4件、确认违法2件、调解和解后终止8件。",
              "（四）深入实施“八五”普法规划，推动普法与依法治理有机融合。"],
        headings=[("一、主要工作及成效", "achievements"),
                  ("（三）深化复议体制改革，行政争议化解能力明显增强", "achievements"),
                  ("二、存在的问题", "problems"),
                  ("三、2022年工作计划", "plans"),
                  ("（二）充实行政复议工作力量，推进行政复议规范化建设。", "plans")],
    ),
    "education_bureau_2024.html": dict(
        title="安平市永宁区教育局2024年度法治政府建设情况报告", agency="安平市永宁区教育局", year=2024,
        published="2025-01-22", signed="2025-01-20",
        fragments=["安平市", "当前位置", "部门动态", "首页", "发布日期", "信息来源", "阅读次数", "2025-01-22",
                   "document.write", "getHits", "setFont", "字体", "打印", "关闭", "分享", "微信", "微博", "QQ空间",
                   "bdshare", "_bd_share_config", "font-size", "宋体", "扫一扫", "上一篇", "下一篇", "寒假安全",
                   "普法工作总结", "版权所有", "学府路", "技术支持", "分辨率", "浏览器", "JavaScript", "_hmt",
                   "hm.baidu"],
        lines=["2025年1月20日"],
        body=["2024年，永宁区教育局坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
              "全面落实《法治政府建设实施纲要（2021—2025年）》和区委、区政府法治建设工作部署，坚持依法治教、依法办学、"
              "依法治校，全区教育系统法治化水平稳步提升。",
              "修订《永宁区教育系统突发公共事件应急预案》，指导各学校完善防汛、消防、食品安全、校园欺凌等专项应急预案，"
              "全年组织应急疏散演练312场次。",
              "三是深化教育数据共享应用，提升教育治理数字化水平。"],
        headings=[("一、2024年度推进法治政府建设的主要举措和成效", "achievements"),
                  ("（四）健全应急机制，守牢校园安全底线", "achievements"),
                  ("二、党政主要负责人履行推进法治建设第一责任人职责情况", "responsibility"),
                  ("三、存在的不足和原因", "problems"),
                  ("四、2025年推进法治政府建设的主要安排", "plans")],
    ),
    "health_commission_2020.txt": dict(
        title="清源市卫生健康委员会关于2020年度法治政府建设工作情况的报告", agency="清源市卫生健康委员会",
        year=2020, published="2021-01-28", signed="2021-01-26",
        fragments=["首页", "法定主动公开内容", "发布时间", "16:30", "16：30", "来源", "字体", "打印", "关闭",
                   "清卫健", "〔2021〕5号", "关于2020年度法治政府建设工作情况的报告", "附件", ".xls", "统计表",
                   "版权所有", "技术支持", "信息中心", "网站标识码", "ICP备"],
        lines=["清源市卫生健康委员会", "2021年1月26日"],
        body=["2020年，市卫生健康委在市委、市政府的坚强领导下，坚持以习近平新时代中国特色社会主义思想为指导，"
              "统筹推进新冠肺炎疫情防控和卫生健康事业发展，坚持依法防控、依法治理，法治政府建设各项工作取得明显成效。",
              "依法落实隔离观察、流行病学调查等防控措施，全年累计开展核酸检测46.8万人次，全市未发生本地聚集性疫情。",
              "委法律顾问全年审查合同协议56份、规范性文件4件，出具法律意见书18份，合法性审查率达到100%。",
              "（三）深入开展“八五”普法，落实“谁执法谁普法”普法责任制。"],
        headings=[("一、主要工作开展情况", "achievements"),
                  ("（一）坚持依法科学防控，全力做好疫情防控工作。", "achievements"),
                  ("二、存在的问题", "problems"),
                  ("三、2021年工作打算", "plans"),
                  ("（二）加强卫生健康监督执法队伍建设，推进“互联网+监管”和非现场执法。", "plans")],
    ),
    "transport_bureau_2018.html": dict(
        title="澄江市交通运输局2018年法治政府建设工作情况报告", agency="澄江市交通运输局", year=2018,
        published="2019-02-27", signed="2019-02-25",
        fragments=["当前位置", "首页", "部门 >", "信息来源", "发布时间", "浏览次数", "512", "来源", "时间：2019",
                   "2019-02-27", "打印", "关闭", "分享", "微信", "微博", "http", "chengjiang.gov.cn", "上一篇", "下一篇",
                   "政府信息公开工作报告", "执法检查计划", "主办单位", "承办单位", "网站标识码", "ICP备", "artId",
                   "2018年法治政府建设工作情况报告"],
        lines=["澄江市交通运输局", "2019年2月25日"],
        body=["2018年，市交通运输局在市委、市政府的正确领导下，以党的十九大精神为指导，紧紧围绕《法治政府建设实施纲要"
              "（2015—2020年）》确定的目标任务，深入推进交通运输依法行政，法治政府部门建设取得了新成效。",
              "全年查处道路运输违法行为1138起，查处超限超载车辆472辆，卸载货物1.9万吨。",
              "（三）深化“放管服”改革，进一步优化交通运输营商环境。"],
        headings=[("一、2018年法治政府建设工作开展情况", "achievements"),
                  ("（四）健全应急管理机制，保障交通运输安全畅通。", "achievements"),
                  ("二、存在的问题", "problems"),
                  ("三、2019年工作思路", "plans")],
    ),
    "ecology_bureau_2025.html": dict(
        title="南屏市生态环境局2025年度法治政府建设情况报告", agency="南屏市生态环境局", year=2025,
        published="2026-01-23", signed="2026-01-20",
        fragments=["您当前位置", "首页", "部门信息公开", "文章来源", "发布时间", "15:02", "本文已被阅读", "2087", "阅读",
                   "扫码", "手机", "打印", "关闭", "主办", "承办", "信息中心", "网站标识码", "ICP备", "TRS_Editor",
                   "line-height", "2025年度法治政府建设情况报告"],
        lines=["南屏市生态环境局", "2026年1月20日"],
        body=["2025年，南屏市生态环境局坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平生态文明思想和"
              "习近平法治思想，全面落实《法治政府建设实施纲要（2021—2025年）》，以法治方式守护蓝天碧水净土，"
              "各项工作取得积极成效。",
              "修订《南屏市突发环境事件应急预案》，指导全市312家重点企业完成环境应急预案备案，组织开展突发环境事件应急演练8次。",
              "三、深化数字法治建设，推进非现场执法和生态环境数据共享，提高监管效能。"],
        headings=[("第一部分 2025年推进法治政府建设的主要举措和成效", "achievements"),
                  ("一、坚持党的领导，压实法治建设责任", "achievements"),
                  ("（一）加强规范性文件管理", "achievements"),
                  ("1.严格合法性审核", "achievements"),
                  ("（1）前置审核关口。", "achievements"),
                  ("第二部分 党政主要负责人履行推进法治建设第一责任人职责情况", "responsibility"),
                  ("带头尊法学法", "responsibility"),
                  ("带头依法决策", "responsibility"),
                  ("带头出庭应诉", "responsibility"),
                  ("第三部分 存在的不足和原因", "problems"),
                  ("第四部分 2026年工作打算", "plans"),
                  ("二、加强执法队伍建设，开展执法人员分层分类培训，提升严格规范公正文明执法水平。", "plans")],
    ),
}
NAMES = sorted(CASES)
COPY2_START, COPY2_END = "<!-- copy2 start", "<!-- copy2 end -->"


@pytest.fixture(scope="module")
def reports():
    """Each page processed once, from its path (so encodings are detected as for a user's file)."""
    return {name: fazhi_nlp.process(PAGES / name) for name in NAMES}


def _units_with(report, text):
    return [u for u in report.units if u.text == text]


@pytest.mark.parametrize("name", NAMES)
def test_no_planted_furniture_survives_in_any_unit(reports, name):
    case = CASES[name]
    leftovers = [(u.text, [f for f in case["fragments"] if f in u.text]) for u in reports[name].units]
    leftovers = [(text, found) for text, found in leftovers if found]
    leftovers += [(u.text, "whole line") for u in reports[name].units if u.text in case["lines"]]
    assert not leftovers, leftovers


@pytest.mark.parametrize("name", NAMES)
def test_body_sentences_survive_intact(reports, name):
    texts = [u.text for u in reports[name].units]
    missing = [s for s in CASES[name]["body"] if s not in texts]
    assert not missing, missing


@pytest.mark.parametrize("name", NAMES)
def test_title_agency_and_reported_year(reports, name):
    report, case = reports[name], CASES[name]
    assert (report.title, report.agency, report.year) == (case["title"], case["agency"], case["year"])


@pytest.mark.parametrize("name", NAMES)
def test_published_and_signed_dates(reports, name):
    report, case = reports[name], CASES[name]
    assert (report.published, report.signed) == (case["published"], case["signed"])


@pytest.mark.parametrize("name", NAMES)
def test_headings_are_recognised_with_their_section(reports, name):
    report = reports[name]
    wrong = []
    for text, section in CASES[name]["headings"]:
        found = [(u.kind, u.section) for u in _units_with(report, text)]
        if found != [("heading", section)]:
            wrong.append((text, section, found))
    assert not wrong, wrong


@pytest.mark.parametrize("name", NAMES)
def test_every_heading_sits_in_a_section_and_opens_the_body(reports, name):
    units = reports[name].units
    assert all(u.section != "other" for u in units if u.kind == "heading")
    first_heading = next(u for u in units if u.kind == "heading")
    assert first_heading.text.startswith(("一、", "第一部分"))


def test_outline_levels_nest_down_to_numbered_paragraphs(reports):
    report = reports["ecology_bureau_2025.html"]
    (unit,) = [u for u in report.units if u.text.startswith("全年制定行政规范性文件3件")]
    assert unit.heading_path == ("第一部分 2025年推进法治政府建设的主要举措和成效", "二、完善制度体系，提升依法决策水平",
                                 "（一）加强规范性文件管理", "1.严格合法性审核", "（1）前置审核关口。")
    assert unit.section == "achievements"


def test_unnumbered_headings_sit_under_the_part_they_follow(reports):
    report = reports["ecology_bureau_2025.html"]
    part = "第二部分 党政主要负责人履行推进法治建设第一责任人职责情况"
    (unit,) = [u for u in report.units if u.text.startswith("局主要负责同志带头学习习近平法治思想")]
    assert (unit.heading_path, unit.section) == ((part, "带头尊法学法"), "responsibility")
    (unit,) = [u for u in report.units if u.text.startswith("主动出庭应诉行政诉讼案件1件")]
    assert (unit.heading_path, unit.section) == ((part, "带头出庭应诉"), "responsibility")


def test_addressee_line_is_metadata_not_a_unit(reports):
    report = reports["health_commission_2020.txt"]
    assert report.addressee == "市人民政府"
    assert "市人民政府：" not in [u.text for u in report.units]
    assert [r.kind for r in report.removed if r.text.strip() == "市人民政府："] == ["addressee"]
    assert [reports[name].addressee for name in NAMES if name != "health_commission_2020.txt"] == [None] * 5


def test_twice_printed_page_keeps_one_copy(reports):
    name = "transport_bureau_2018.html"
    page = (PAGES / name).read_text(encoding="utf-8")
    one_copy = page[:page.index(COPY2_START)] + page[page.index(COPY2_END) + len(COPY2_END):]
    single = fazhi_nlp.process(one_copy)
    assert len(single.units) >= 25
    assert abs(len(reports[name].units) - len(single.units)) <= 2
    texts = [u.text for u in reports[name].units]
    for sentence in CASES[name]["body"] + ["二、存在的问题", "调整充实局依法行政工作领导小组，由局主要负责人任组长，"
                                          "各科室、局属单位主要负责人为成员。"]:
        assert texts.count(sentence) == 1, sentence
    # the second copy differs by one word (a later revision): it is a near-duplicate, not new text
    assert sum("执法记录仪86台" in t for t in texts) == 1


def test_gbk_page_is_decoded_and_its_scripts_and_styles_dropped(reports):
    data = (PAGES / "education_bureau_2024.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "永宁区教育局".encode("gbk") in data
    report = reports["education_bureau_2024.html"]
    assert not any(c in report.text for c in "{};=<>")
    assert "\ufffd" not in report.text
