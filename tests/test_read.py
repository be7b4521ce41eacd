"""Reading: encodings, HTML, and clear errors for input that is not a report."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fazhi_nlp
from fazhi_nlp import InputError, read_report
from fazhi_nlp.read import read_with_removals
from tests.conftest import seed_path


@pytest.mark.parametrize("prefix, encoding", [("000", "gbk"), ("004", "gbk"), ("003", "gb18030")])
def test_gbk_file_gives_the_same_units_as_utf8(tmp_path, prefix, encoding):
    text = seed_path(prefix).read_text(encoding="utf-8")
    legacy = tmp_path / f"{prefix}_{encoding}.txt"
    legacy.write_bytes(text.encode(encoding))
    from_utf8 = fazhi_nlp.process(seed_path(prefix))
    from_legacy = fazhi_nlp.process(legacy)
    assert [u.text for u in from_legacy.units] == [u.text for u in from_utf8.units]
    assert (from_legacy.title, from_legacy.agency) == (from_utf8.title, from_utf8.agency)


def test_utf8_with_bom_and_gb18030_bytes_decode():
    assert read_report("法治政府".encode("utf-8-sig")) == "法治政府"
    assert read_report("依法行政工作报告".encode("gb18030")) == "依法行政工作报告"


def test_html_page_becomes_visible_text_with_paragraphs(tmp_path):
    lines = seed_path("000").read_text(encoding="utf-8").splitlines()
    body = "".join(f"<p>{line}</p>" for line in lines if line.strip())
    page = (f"<!DOCTYPE html><html><head><title>站点</title><style>p {{color: red}}</style></head>"
            f"<body><script>var x = '一是';</script><div>{body}</div></body></html>")
    path = tmp_path / "000.html"
    path.write_text(page, encoding="utf-8")
    assert [u.text for u in fazhi_nlp.process(path).units] == \
        [u.text for u in fazhi_nlp.process(seed_path("000")).units]


@pytest.mark.parametrize("content", [b"", b"   \n\t \n", "\u3000\n".encode("utf-8")])
def test_empty_input_is_a_clear_error_naming_the_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"empty\.txt: is empty"):
        fazhi_nlp.process(path)


def test_binary_input_is_refused_with_the_file_name(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(InputError, match=r"image\.txt: .*(binary|cannot be decoded)"):
        fazhi_nlp.process(path)


def test_truncated_utf8_is_reported_with_its_position(tmp_path):
    text = seed_path("000").read_text(encoding="utf-8")
    path = tmp_path / "cut.txt"
    path.write_bytes(text[: len(text) // 2].encode("utf-8") + "报".encode("utf-8")[:2])
    with pytest.raises(InputError, match=r"cut\.txt: looks like UTF-8 but ends in the middle of a character"):
        read_report(path)


def test_missing_file_and_directory_are_named(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_report(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_report(tmp_path)


def test_old_binary_word_file_says_to_save_as_docx(tmp_path):
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputError, match=r"report\.doc: is an old binary Office file.*save it as \.docx"):
        read_report(path)


# --- HTML as sites and editors publish it ------------------------------------------------

def report_lines(prefix: str = "004") -> list[str]:
    lines = (line.strip() for line in seed_path(prefix).read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def fragment(lines):
    title, *body = lines
    return f"<h1>{title}</h1>\n" + "\n".join(f"<p>{line}</p>" for line in body)


def without_end_of_head(lines):
    return ('<html><head><meta charset="utf-8"><title>沂源县人民政府</title>'
            '<link rel="stylesheet" href="a.css">\n<body>' + "".join(f"<p>{line}</p>" for line in lines))


def leading_comments(lines):
    return ("".join(f"<!-- #BeginLibraryItem \"/lib/top{i}.lbi\" -->\n" for i in range(40))
            + "<center><h2>" + lines[0] + "</h2></center>" + "".join(f"<p>{line}</p>" for line in lines[1:]))


def nested_tables(lines):
    rows = "".join(f"<tr><td><table><tr><td>{line}</td></tr></table></td></tr>" for line in lines)
    return f'<table width="100%"><tr><td><table class="layout"><tbody>{rows}</tbody></table></td></tr></table>'


def line_breaks(lines):
    return '<div class="TRS_Editor">' + "<br>\n".join(lines) + "<br/><br/></div>"


def word_export(lines):
    title, *body = lines
    return (f'<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=ZH-CN>'
            f'<p class=MsoTitle align=center><span>{title}<o:p></o:p></span></p>'
            + "".join(f"<p class=MsoNormal><![if !supportLists]><span style='mso-list:Ignore'><![endif]>"
                      f"<span>{line}</span><o:p></o:p></p>" for line in body)
            + "<![ endif]></body></html>")


@pytest.mark.parametrize("shape", [fragment, without_end_of_head, leading_comments, nested_tables, line_breaks,
                                   word_export])
def test_html_shapes_give_the_units_and_title_of_the_text(shape, tmp_path):
    lines = report_lines()
    plain = tmp_path / "report.txt"
    plain.write_text("\n".join(lines), encoding="utf-8")
    page = tmp_path / f"{shape.__name__}.html"
    page.write_text(shape(lines), encoding="utf-8")
    assert read_report(page).split("\n") == lines
    from_page, from_text = fazhi_nlp.process(page), fazhi_nlp.process(plain)
    assert [u.text for u in from_page.units] == [u.text for u in from_text.units]
    assert (from_page.title, from_page.agency) == (from_text.title, from_text.agency) == (
        "沂源县科技局2022年度法治政府建设工作报告", "沂源县科技局")


def test_a_fragment_pasted_from_a_page_loses_its_tags():
    text = read_report("全年办理行政复议案件12件。<br>\n审结10件。</p>\n<p>特此报告。</p>")
    assert text == "全年办理行政复议案件12件。\n审结10件。\n特此报告。"
    assert read_report("PM2.5平均浓度<35微克/立方米。") == "PM2.5平均浓度<35微克/立方米。"  # plain text stays


@pytest.mark.parametrize("page", [
    "<p>一、总体情况</p><![ x <p>全年办结12件。</p>",  # a broken marked section (crashed Python's parser)
    "<p>全年办结12件。</p>" + "a<b " * 20_000,  # tags never closed (quadratic in Python's parser)
    "<p>全年办结12件。</p>" + "</" * 50_000,
    "一、总体情况<br" + " " * 60_000 + "\n全年办结12件。</p>",  # a long run inside a tag (quadratic sniffing)
])
def test_malformed_html_is_read_without_crashing_or_hanging(page, tmp_path):
    path = tmp_path / "malformed.html"
    path.write_text(page, encoding="utf-8")
    assert "全年办结12件。" in read_report(path)


def test_thousands_of_unclosed_inline_tags_are_read_whole(tmp_path):
    # Each paragraph leaves its <span> open: libxml2 would nest them past its limit of 2048.
    lines = report_lines()
    paragraphs = [f"{line}（第{i}段）" for i in range(110) for line in lines[1:]]
    path = tmp_path / "unclosed.html"
    path.write_text("<html><body><h1>" + lines[0] + "</h1>\n"
                    + "\n".join(f'<p><span style="font-family:仿宋">{p}<p>' for p in paragraphs)
                    + '\n<script>var x;</script>', encoding="utf-8")
    assert len(paragraphs) > 2048
    text, removed = read_with_removals(path)
    assert text.split("\n") == [lines[0], *paragraphs]
    assert [(r.kind, r.line) for r in removed] == [("script", len(paragraphs) + 2)]


def test_elements_nested_past_the_parsers_limit_are_refused_naming_the_file(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 3000 + "全年办结12件。", encoding="utf-8")
    with pytest.raises(InputError, match=r"deep\.html: elements are nested more than 2048 deep \(line 1\)"):
        read_report(path)


def test_what_reading_leaves_out_is_recorded_with_its_line_in_the_page(tmp_path):
    lines = report_lines()
    page = "\n".join([
        "<!DOCTYPE html>", "<html><head>", "<title>沂源县人民政府</title>",
        "<script>var _hmt = [];</script>", "</head><body>",
        '<header><div class="logo">沂源县人民政府门户网站</div></header>',
        '<nav>首页 | 政务公开 | 政务服务</nav>',
        '<div role="navigation">当前位置：首页 &gt; 政务公开</div>',
        "<article><header><h1>" + lines[0] + "</h1><p>发布日期：2023-01-16</p></header>",
        *(f"<p>{line}</p>" for line in lines[1:5]),
        '<div style="display: none">' + lines[5] + "</div>",  # a collapsed "read more": report prose, kept
        *(f"<p>{line}</p>" for line in lines[6:]),
        "</article>", '<div class="share" hidden>分享到微信</div>',
        "<footer>主办单位：沂源县人民政府办公室</footer>", "</body></html>"])
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    text, removed = read_with_removals(path)
    assert text.split("\n") == [lines[0], "发布日期：2023-01-16", *lines[1:]]
    assert [(r.stage, r.kind, r.text, r.line) for r in removed] == [
        ("read", "title", "沂源县人民政府", 3), ("read", "script", "var _hmt = [];", 4),
        ("read", "header", "沂源县人民政府门户网站", 6), ("read", "navigation", "首页 | 政务公开 | 政务服务", 7),
        ("read", "navigation", "当前位置：首页 > 政务公开", 8), ("read", "hidden", "分享到微信", len(lines) + 10),
        ("read", "footer", "主办单位：沂源县人民政府办公室", len(lines) + 11)]
    report = fazhi_nlp.process(path)
    assert report.removed[:len(removed)] == removed
    assert [u.text for u in report.units] == [u.text for u in fazhi_nlp.process("\n".join(lines)).units]


def test_records_point_at_their_line_in_pages_longer_than_65535_lines(tmp_path):
    page = "<html><body>\n" + "<p>全年办结12件。</p>\n" * 70_000 + "<script>\nvar late = 1;</script>\n</body></html>"
    path = tmp_path / "long.html"
    path.write_text(page, encoding="utf-8")
    text, removed = read_with_removals(path)
    assert [(r.kind, r.line) for r in removed] == [("script", 70_002)]
    assert page.split("\n")[70_001].startswith("<script>")


@pytest.mark.parametrize("source", ["一、总体情况\n全年办结\ud83d件。", "<p>一、总体情况</p><p>\udc00</p>"])
def test_lone_surrogate_in_text_is_an_input_error_naming_the_source(source):
    with pytest.raises(InputError, match=r"^<text>, line \d, column \d+: lone surrogate U\+D[0-9A-F]{3}"):
        fazhi_nlp.process(source)
    with pytest.raises(InputError, match=r"^report 7, line \d, column \d+: lone surrogate"):
        read_report(source, name="report 7")


def test_lone_surrogate_in_a_file_name_is_an_input_error():
    with pytest.raises(InputError, match=r"^reports/2022\\ud800\.txt: the file name holds a lone surrogate"):
        fazhi_nlp.process("reports/2022\ud800.txt")


def test_undecodable_bytes_are_an_input_error_naming_the_source(tmp_path):
    data = b"\xff\xfe" + "一、总体情况".encode("utf-16-le") + b"\x00\xd8"  # UTF-16 ending in half a pair
    path = tmp_path / "broken16.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"broken16\.txt: cannot be decoded as text"):
        fazhi_nlp.process(path)
    with pytest.raises(InputError, match=r"^<bytes>: cannot be decoded as text"):
        fazhi_nlp.process(data)


_PROSE = st.text(alphabet="一二三法治政府建设报告全年办理行政复议案件，。：12ab ", min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PROSE.filter(lambda s: s.strip()), min_size=1, max_size=15))
def test_any_paragraphs_on_a_page_with_site_navigation_read_back_exactly(paragraphs):
    page = ("<html><head><title>站点</title></head><body><header>门户网站</header><nav>首页</nav>"
            + "".join(f"<p>{p}</p>" for p in paragraphs) + "<footer>版权所有</footer></body></html>")
    text, removed = read_with_removals(page)
    assert text.split("\n") == [" ".join(p.split()) for p in paragraphs]
    assert [r.kind for r in removed] == ["title", "header", "navigation", "footer"]


def test_navigation_blocks_named_by_class_are_left_out_but_an_article_header_is_kept(tmp_path):
    lines = report_lines()
    page = "\n".join([
        "<html><body>", '<div class="header"><div class="logo">沂源县人民政府门户网站</div></div>',
        '<div id="nav"><ul><li>首页</li><li>政务公开</li><li>政务服务</li></ul></div>',
        '<div class="g-position">当前位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>',
        '<div class="article"><div class="article-header"><div class="tit">' + lines[0] + "</div></div>",
        *(f"<p>{line}</p>" for line in lines[1:]),
        '</div><div id="footer"><p>主办单位：沂源县人民政府办公室</p><p>隐私声明</p></div></body></html>'])
    path = tmp_path / "site.html"
    path.write_text(page, encoding="utf-8")
    text, removed = read_with_removals(path)
    assert text.split("\n") == lines
    assert [(r.kind, r.line) for r in removed] == [("header", 2), ("navigation", 3), ("navigation", 4),
                                                   ("footer", len(lines) + 5)]
    report = fazhi_nlp.process(path)
    assert report.title == "沂源县科技局2022年度法治政府建设工作报告"
    assert [u.text for u in report.units] == [u.text for u in fazhi_nlp.process("\n".join(lines)).units]
