"""Word and PDF attachments: the text a user gets equals the text the report was made from.

The .docx and .pdf files are built here from the seed reports (python-docx; reportlab with
its built-in STSong-Light CID font, which needs no font file), so each test knows exactly
what the document says.
"""
from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from fazhi_nlp import process, read_report
from fazhi_nlp.errors import InputError, MissingDependencyError
from fazhi_nlp.office import docx_to_text, pdf_to_text
from tests.conftest import seed_path

FONT = "STSong-Light"
HEADER = "法治政府建设年度报告（公开版）"


def seed_paragraphs(prefix: str) -> list[str]:
    """The seed's non-empty lines, as the paragraphs a publisher would typeset."""
    lines = (line.strip() for line in seed_path(prefix).read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def unit_texts(source) -> list[str]:
    return [squeeze(u.text) for u in process(source).units]


# --- building documents ------------------------------------------------------------------

def build_docx(paragraphs: list[str], path: Path) -> Path:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = HEADER
    document.sections[0].footer.paragraphs[0].text = "第 1 页"
    for i, text in enumerate(paragraphs):
        document.add_paragraph(text)
        if i % 7 == 3:
            document.add_paragraph("")  # stray empty paragraphs, as typists leave them
    document.save(path)
    return path


def wrap(text: str, width: float, first_indent: float, size: float) -> list[tuple[float, str]]:
    """Break a paragraph into lines the way a word processor does: anywhere between CJK
    characters, never inside a run of ASCII letters and digits."""
    lines, current, x = [], "", first_indent
    for token in re.findall(r"[A-Za-z0-9.\-%]+|.", text):
        w = pdfmetrics.stringWidth(token, FONT, size)
        if current and x + w > width:
            lines.append(current)
            current, x = "", 0.0
        current, x = current + token, x + w
    lines.append(current)
    return [(first_indent if i == 0 else 0.0, line) for i, line in enumerate(lines)]


def build_pdf(paragraphs: list[str], *, indent: bool, footer: str, justify: bool = False,
              size: float = 12, width_em: int = 31, per_page: int = 32) -> bytes:
    """A report typeset over several pages with a running header and a page-number footer.

    ``justify`` stretches every line but a paragraph's last to the right margin, as
    government documents are set; otherwise the right edge is ragged.
    """
    width = width_em * size
    lines = []
    for paragraph in paragraphs:
        wrapped = wrap(paragraph, width, 2 * size if indent else 0.0, size)
        lines += [(offset, text, justify and i < len(wrapped) - 1)
                  for i, (offset, text) in enumerate(wrapped)]
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    left, top = 72, A4[1] - 90
    for number, page in enumerate(pages, start=1):
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 50, HEADER)
        canvas.drawCentredString(A4[0] / 2, 40, footer.format(n=number, total=len(pages)))
        for row, (offset, text, stretch) in enumerate(page):
            line = canvas.beginText(left + offset, top - row * size * 1.6)
            line.setFont(FONT, size)
            if stretch and len(text) > 1:
                spare = width - offset - pdfmetrics.stringWidth(text, FONT, size)
                line.setCharSpace(spare / (len(text) - 1))
            line.textOut(text)
            canvas.drawText(line)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.fixture(scope="module", autouse=True)
def cjk_font():
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@pytest.fixture(scope="module")
def pdf_000() -> bytes:
    # Set like a government document: indented, justified paragraphs.
    return build_pdf(seed_paragraphs("000"), indent=True, justify=True, footer="- {n} -")


@pytest.fixture(scope="module")
def pdf_004() -> bytes:
    # Flush left, ragged right, and a width at which three lines end a sentence mid-paragraph.
    return build_pdf(seed_paragraphs("004"), indent=False, footer="第{n}页 共{total}页", width_em=28)


def page_picture():
    from PIL import Image, ImageDraw

    picture = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(picture)
    for y in range(60, 760, 30):
        draw.rectangle((60, y, 540, y + 12), fill=40)  # lines of "print"
    return picture


def scanned_pdf(text_pages: tuple[str, ...] = (), pictures: int = 2) -> bytes:
    """A PDF of ``text_pages`` (one line each) followed by ``pictures`` scanned pages."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for text in text_pages:
        canvas.setFont(FONT, 12)
        canvas.drawString(72, 700, text)
        canvas.showPage()
    for _ in range(pictures):
        canvas.drawImage(ImageReader(page_picture()), 40, 40, width=A4[0] - 80, height=A4[1] - 80)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["000", "004"])
def test_pdf_text_is_the_report_text_without_page_furniture(prefix, pdf_000, pdf_004):
    data = {"000": pdf_000, "004": pdf_004}[prefix]
    text = pdf_to_text(data, name=f"{prefix}.pdf")
    assert squeeze(text) == squeeze("".join(seed_paragraphs(prefix)))
    assert HEADER not in text
    assert not re.search(r"^(- \d+ -|第\d+页 共\d+页)$", text, re.MULTILINE)


def test_pdf_lines_broken_mid_sentence_and_across_pages_are_joined(pdf_000):
    # Indented paragraphs: the layout shows every paragraph start, so the text comes back whole.
    paragraphs = [squeeze(p) for p in pdf_to_text(pdf_000).split("\n")]
    assert paragraphs == [squeeze(p) for p in seed_paragraphs("000")]


def test_pdf_without_indents_breaks_paragraphs_only_at_sentence_ends(pdf_004):
    # Flush-left paragraphs: a wrapped line that ends a sentence may start a new paragraph,
    # but no sentence is ever cut.
    pieces = [squeeze(p) for p in pdf_to_text(pdf_004).split("\n")]
    paragraphs = [squeeze(p) for p in seed_paragraphs("004")]
    assert len(pieces) > len(paragraphs)
    for paragraph in paragraphs:
        joined = pieces.pop(0)
        while joined != paragraph:
            assert re.search(r"[。；：]$", joined) and paragraph.startswith(joined + pieces[0])
            joined += pieces.pop(0)
    assert pieces == []


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_pdf_fixtures_break_sentences_over_lines_and_pages(prefix, pdf_000, pdf_004):
    import pdfplumber

    with pdfplumber.open(io.BytesIO({"000": pdf_000, "004": pdf_004}[prefix])) as pdf:
        pages = [page.extract_text().split("\n") for page in pdf.pages]
    assert len(pages) >= 3
    assert all(lines[0] == HEADER and re.fullmatch(r"- \d+ -|第\d+页 共\d+页", lines[-1]) for lines in pages)
    last_body_lines = [lines[-2] for lines in pages[:-1]]
    assert any(not re.search(r"[。：:；]$", line) for line in last_body_lines)
    width, indent = (31 * 12, 24) if prefix == "000" else (28 * 12, 0)
    inner_lines = [text for p in seed_paragraphs(prefix) for _, text in wrap(p, width, indent, 12)[:-1]]
    assert any(line.endswith("。") for line in inner_lines)  # a wrap right after a full stop


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_pdf_report_gives_the_same_units_as_its_text(prefix, pdf_000, pdf_004, tmp_path):
    path = tmp_path / f"{prefix}.pdf"
    path.write_bytes({"000": pdf_000, "004": pdf_004}[prefix])
    assert unit_texts(path) == unit_texts(seed_path(prefix))


def test_pdf_is_recognised_by_content_not_extension(pdf_004, tmp_path):
    path = tmp_path / "attachment.dat"
    path.write_bytes(pdf_004)
    assert read_report(path) == pdf_to_text(pdf_004)


def test_scanned_pdf_says_ocr_is_needed(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf())
    with pytest.raises(InputError, match="no text layer; OCR needed") as caught:
        read_report(path)
    assert str(path) in str(caught.value)


def test_pdf_with_some_scanned_pages_warns_about_them():
    data = scanned_pdf(text_pages=("全年办理行政复议案件12件。",), pictures=1)
    with pytest.warns(UserWarning, match=r"mixed\.pdf: page\(s\) 2 of 2 .*OCR needed"):
        text = pdf_to_text(data, name="mixed.pdf")
    assert text == "全年办理行政复议案件12件。"


def pdf_without_unicode_map() -> bytes:
    """A PDF whose CJK font maps glyphs by number only (no ToUnicode table), as some
    government PDF converters write them: the text layer cannot be decoded."""
    content = b"BT /F1 12 Tf 72 700 Td <0C1A0C1B0C1C0C1D> Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Song"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_pdf_whose_text_cannot_be_decoded_says_ocr_is_needed():
    with pytest.raises(InputError, match=r"glyphs\.pdf: .*no Unicode map.*OCR needed"):
        pdf_to_text(pdf_without_unicode_map(), name="glyphs.pdf")


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_pdf_is_an_input_error_naming_the_file(pdf_004, tmp_path, cut):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_004[:int(len(pdf_004) * cut)])
    with pytest.raises(InputError, match="truncated or damaged") as caught:
        read_report(path)
    assert str(path) in str(caught.value)


def test_password_protected_pdf_says_it_is_encrypted():
    buffer = io.BytesIO()
    canvas = Canvas(buffer, encrypt="secret")
    canvas.setFont(FONT, 12)
    canvas.drawString(72, 700, "全年办理行政复议案件12件。")
    canvas.save()
    with pytest.raises(InputError, match=r"locked\.pdf: .*encrypted"):
        pdf_to_text(buffer.getvalue(), name="locked.pdf")


def test_copy_protected_pdf_is_read():
    # Many government PDFs forbid copying with an owner password; their text is still public.
    import pypdf
    from pypdf.constants import UserAccessPermissions as Allowed

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(
        scanned_pdf(text_pages=("全年办理行政复议案件12件。",), pictures=0))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128",
                   permissions_flag=Allowed.all() & ~Allowed.EXTRACT)  # no copying
    protected = io.BytesIO()
    writer.write(protected)
    assert b"/Encrypt" in protected.getvalue()
    assert pdf_to_text(protected.getvalue()) == "全年办理行政复议案件12件。"


def test_pdf_headings_without_punctuation_stay_their_own_paragraph():
    paragraphs = ["加强组织领导，不断夯实依法行政工作基础",
                  "调整了局依法行政工作领导小组，实行行政首长负责制，" * 3 + "全年集中学法4次。",
                  "（一）存在问题",
                  "制度保障体系仍需完善"]
    data = build_pdf(paragraphs, indent=False, footer="第{n}页", width_em=22, per_page=2)
    assert pdf_to_text(data).split("\n") == paragraphs


# --- Word --------------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["000", "004"])
def test_docx_text_is_one_paragraph_per_line(prefix, tmp_path):
    path = build_docx(seed_paragraphs(prefix), tmp_path / f"{prefix}.docx")
    text = read_report(path)
    assert text.split("\n") == seed_paragraphs(prefix)
    assert HEADER not in text and "第 1 页" not in text


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_docx_report_gives_the_same_units_as_its_text(prefix, tmp_path):
    path = build_docx(seed_paragraphs(prefix), tmp_path / f"{prefix}.docx")
    assert unit_texts(path) == unit_texts(seed_path(prefix))


def test_docx_tables_are_read_row_by_row(tmp_path):
    document = docx.Document()
    document.add_paragraph("2022年行政执法情况如下：")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("类别", "件数", "备注"), ("行政许可", "12", ""), ("行政处罚", "3", "")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 2).merge(table.cell(2, 2)).text = "均已公开"
    document.add_paragraph("特此报告。")
    path = tmp_path / "table.docx"
    document.save(path)
    assert read_report(path).split("\n") == [
        "2022年行政执法情况如下：", "类别\t件数\t备注", "行政许可\t12\t均已公开", "行政处罚\t3",
        "特此报告。"]


def test_docx_keeps_word_list_numbers_soft_breaks_and_tracked_insertions(tmp_path):
    document = docx.Document()
    document.add_paragraph("健全依法决策机制", style="List Number")
    document.add_paragraph("深化政务公开", style="List Number")
    paragraph = document.add_paragraph("全年办理案件")
    paragraph.add_run().add_break()  # Shift+Enter
    paragraph.add_run("12件。")
    paragraph = document.add_paragraph("全面推行")
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    paragraph.add_run("三项制度。")
    insertion = docx.oxml.parse_xml(
        '<w:ins xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'w:id="1" w:author="审核人"><w:r><w:t>（已修订）</w:t></w:r></w:ins>')
    paragraph._p.append(insertion)
    path = tmp_path / "lists.docx"
    document.save(path)
    assert read_report(path).split("\n") == [
        "1. 健全依法决策机制", "2. 深化政务公开", "全年办理案件", "12件。", "全面推行三项制度。（已修订）"]


def test_docx_chinese_auto_numbered_headings_become_report_headings(tmp_path):
    document = docx.Document()
    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    (abstract_id,) = numbering.xpath(f'w:num[@w:numId="{style_num}"]/w:abstractNumId/@w:val')
    (level,) = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl[@w:ilvl="0"]')
    level.find(qn("w:numFmt")).set(qn("w:val"), "chineseCounting")  # Word's 一, 二, 三
    level.find(qn("w:lvlText")).set(qn("w:val"), "%1、")
    for heading, body in (("主要举措和成效", "全年办理行政复议案件12件。"),
                          ("存在问题", "普法宣传的形式有待丰富。"),
                          ("下一步工作计划", "加强依法行政能力建设。")):
        document.add_paragraph(heading, style="List Number")
        document.add_paragraph(body)
    path = tmp_path / "numbered.docx"
    document.save(path)
    units = process(path).units
    assert [(u.kind, u.text, u.section) for u in units if u.kind == "heading"] == [
        ("heading", "一、主要举措和成效", "achievements"), ("heading", "二、存在问题", "problems"),
        ("heading", "三、下一步工作计划", "plans")]


def test_docx_of_pictures_only_says_ocr_is_needed(tmp_path):
    picture = io.BytesIO()
    page_picture().save(picture, format="PNG")
    document = docx.Document()
    document.add_picture(picture)
    path = tmp_path / "scan.docx"
    document.save(path)
    with pytest.raises(InputError, match=r"scan\.docx: .*no text.*OCR needed"):
        read_report(path)


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/xl/workbook.xml" '
                         'ContentType="application/vnd.openxmlformats-officedocument.'
                         'spreadsheetml.sheet.main+xml"/></Types>')
        archive.writestr("_rels/.rels",
                         '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                         'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                         'Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("报告.pdf", b"%PDF-1.4")
        archive.writestr("说明.txt", "附件")
    return buffer.getvalue()


@pytest.mark.parametrize("make, expected", [
    (xlsx_bytes, r"is an Excel workbook \(\.xlsx\), not a Word document"),
    (plain_zip_bytes, r"is a zip archive of 2 file\(s\) \(报告\.pdf, 说明\.txt\), not a Word document"),
])
def test_zip_that_is_not_word_is_an_input_error_naming_the_file(make, expected, tmp_path):
    path = tmp_path / "attachment.docx"
    path.write_bytes(make())
    with pytest.raises(InputError, match=expected) as caught:
        read_report(path)
    assert str(caught.value).startswith(f"{path}: ")


def cut_in_half(data: bytes) -> bytes:
    return data[:len(data) // 2]


def break_document_xml(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            target.writestr(item, body[:len(body) // 2] if item.filename == "word/document.xml" else body)
    return buffer.getvalue()


@pytest.mark.parametrize("damage, expected", [
    (cut_in_half, "not a complete zip archive (truncated or corrupted)"),
    (break_document_xml, "is a damaged Word document"),
])
def test_damaged_docx_is_an_input_error_naming_the_file(damage, expected, tmp_path):
    whole = build_docx(seed_paragraphs("004"), tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "damaged.docx"
    path.write_bytes(damage(whole))
    with pytest.raises(InputError, match=re.escape(expected)) as caught:
        read_report(path)
    assert str(caught.value).startswith(f"{path}: ")


# --- optional dependencies ---------------------------------------------------------------

@pytest.mark.parametrize("module, reader, data", [
    ("docx", docx_to_text, b"PK\x03\x04"),
    ("pdfplumber", pdf_to_text, b"%PDF-1.4"),
])
def test_missing_library_says_what_to_install(monkeypatch, module, reader, data):
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    install = re.escape('pip install "fazhi-nlp[office]"')
    with pytest.raises(MissingDependencyError, match=install) as caught:
        reader(data, name="report.bin")
    assert isinstance(caught.value, ImportError)
    assert str(caught.value).startswith("report.bin: ")


# --- one report in four formats --------------------------------------------------------

LINK = "一图读懂：https://www.zbyiyuan.gov.cn/art/2023/1/16/art_1229183645_59214385.html"
SIGNATURE = ["沂源县科技局", "2023年1月16日"]
SITE_MENU = ["首页", "走进沂源", "政务公开", "政务服务", "互动交流"]
SITE_FOOTER = ["主办单位：沂源县人民政府办公室", "网站标识码：3703230001", "鲁ICP备05012345号"]


def one_report() -> list[str]:
    """Seed 004 as its agency would publish it: title, an infographic link, body, signature."""
    title, *body = seed_paragraphs("004")
    return [title, LINK, *body, *SIGNATURE]


def as_html(lines: list[str]) -> str:
    """The report on a county government site: banner, menu, breadcrumb trail, a hidden
    QR-code box, scripts and a footer around it."""
    title, link, *rest = lines
    body, signature = rest[:-2], rest[-2:]
    menu = "".join(f'<li><a href="/col/{i}">{item}</a></li>' for i, item in enumerate(SITE_MENU))
    url = link.split("：", 1)[1]
    return "\n".join([
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{title}_沂源县人民政府</title>",
        "<style>.nav li{float:left}</style><script>var _hmt = _hmt || [];</script>",
        "</head><body>",
        '<header class="banner"><div class="logo">沂源县人民政府门户网站</div>',
        f'<nav class="menu"><ul>{menu}</ul></nav></header>',
        '<nav class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/col/2">政务公开</a></nav>',
        '<div class="article">', f"<h1>{title}</h1>",
        f'<p>一图读懂：<a href="{url}">{url}</a></p>',
        '<div class="TRS_Editor">',
        *(f'<p style="text-indent:2em"><span>{p}</span></p>' for p in body),
        *(f'<p style="text-align:right">{s}</p>' for s in signature),
        "</div></div>",
        '<div class="qr" style="display:none">微信扫一扫：分享至朋友圈</div>',
        "<footer>" + "".join(f"<p>{item}</p>" for item in SITE_FOOTER) + "</footer>",
        "<script>document.write('浏览次数：' + getHits());</script></body></html>"])


def as_docx(lines: list[str], path: Path) -> Path:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    title, *rest = lines
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold, run.font.size = True, Pt(22)
    for text in rest:
        paragraph = document.add_paragraph(text)
        if text in SIGNATURE:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(path)
    return path


def wrap_anywhere(text: str, width: float, first_indent: float, size: float) -> list[tuple[float, str]]:
    """Break a line wherever it is full, inside a web address too, as Word and WPS do."""
    lines, current, x = [], "", first_indent
    for char in text:
        w = pdfmetrics.stringWidth(char, FONT, size)
        if current and x + w > width:
            lines.append(current)
            current, x = "", 0.0
        current, x = current + char, x + w
    return [(first_indent if i == 0 else 0.0, line) for i, line in enumerate(lines + [current])]


def as_pdf(lines: list[str]) -> bytes:
    """Set as a government document: a 22-point title centred over two lines, indented and
    justified 14-point paragraphs, the signature flush right, a running header and page numbers."""
    title, link, *rest = lines
    size, left, right = 14, 72, A4[0] - 72
    width = right - left
    rows = [(None, 22, t, False) for _, t in wrap(title, width - 60, 0, 22)] + [None]
    for paragraph in [link, *rest[:-2]]:
        wrapped = (wrap_anywhere if paragraph == link else wrap)(paragraph, width, 2 * size, size)
        rows += [(left + offset, size, t, i < len(wrapped) - 1) for i, (offset, t) in enumerate(wrapped)]
    rows += [(right - 2 * size - pdfmetrics.stringWidth(t, FONT, size), size, t, False) for t in rest[-2:]]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    page, y = 1, A4[1] - 100

    def furniture() -> None:
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 50, HEADER)
        canvas.drawCentredString(A4[0] / 2, 40, f"- {page} -")

    for row in rows:
        if row is None:
            y -= 1.6 * size
            continue
        x, row_size, text, stretch = row
        if y < 80:
            furniture()
            canvas.showPage()
            page, y = page + 1, A4[1] - 100
        x = (A4[0] - pdfmetrics.stringWidth(text, FONT, row_size)) / 2 if x is None else x
        line = canvas.beginText(x, y)
        line.setFont(FONT, row_size)
        if stretch and len(text) > 1:
            line.setCharSpace((right - x - pdfmetrics.stringWidth(text, FONT, row_size)) / (len(text) - 1))
        line.textOut(text)
        canvas.drawText(line)
        y -= 1.6 * row_size
    furniture()
    canvas.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def four_formats(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("four_formats")
    lines = one_report()
    (folder / "report.txt").write_text("\n".join(lines), encoding="utf-8")
    (folder / "report.html").write_text(as_html(lines), encoding="utf-8")
    as_docx(lines, folder / "report.docx")
    (folder / "report.pdf").write_bytes(as_pdf(lines))
    return {suffix: folder / f"report.{suffix}" for suffix in ("txt", "html", "docx", "pdf")}


def test_one_report_gives_the_same_units_and_metadata_in_every_format(four_formats):
    reports = {suffix: process(path) for suffix, path in four_formats.items()}
    plain = reports["txt"]
    assert plain.title == "沂源县科技局2022年度法治政府建设工作报告" and plain.agency == "沂源县科技局"
    assert plain.signed == "2023-01-16" and len(plain.units) > 30
    assert not any("一图读懂" in u.text or "http" in u.text for u in plain.units)
    for suffix, report in reports.items():
        assert [u.text for u in report.units] == [u.text for u in plain.units], suffix
        assert (report.title, report.agency, report.year, report.signed) == \
            (plain.title, plain.agency, plain.year, plain.signed), suffix


def test_pdf_of_a_report_has_the_lines_of_its_text(four_formats):
    # The title set in 22 points over two lines and the web address broken inside a number
    # come back as the single lines they are in the text.
    import pdfplumber

    with pdfplumber.open(four_formats["pdf"]) as pdf:
        first_page = pdf.pages[0].extract_text().split("\n")
    assert first_page[1] + first_page[2] == one_report()[0]  # the title really is on two lines
    assert not any(line.endswith(".html") for line in first_page[3:4])  # and so is the address
    assert read_report(four_formats["pdf"]).split("\n") == one_report()


def test_html_navigation_scripts_and_hidden_boxes_are_recorded_not_read(four_formats):
    report = process(four_formats["html"])
    read = [r for r in report.removed if r.stage == "read"]
    assert {r.kind for r in read} == {"title", "style", "script", "header", "navigation", "hidden", "footer"}
    source = four_formats["html"].read_text(encoding="utf-8").split("\n")
    for removal in read:  # each record points at the line of the page its element starts on
        assert removal.text.split("\n")[0].strip()[:4] in re.sub(r"<[^>]+>", "", source[removal.line - 1])
    dropped = " ".join(r.text for r in read)
    furniture = ("沂源县人民政府门户网站", *SITE_MENU, "当前位置：首页 > 政务公开", "微信扫一扫：分享至朋友圈",
                 *SITE_FOOTER, "getHits")
    assert all(item in dropped for item in furniture)
    assert not set(report.source_text.split("\n")) & set(furniture)
    assert "getHits" not in report.source_text and "当前位置" not in report.source_text


def test_pdf_page_headers_and_numbers_are_recorded_with_their_page(four_formats):
    report = process(four_formats["pdf"])
    read = [r for r in report.removed if r.stage == "read"]
    pages = len({r.reason.split(":")[0] for r in read})
    assert pages >= 3
    assert [(r.kind, r.text, r.line) for r in read if r.reason.startswith("page 2:")] == [
        ("page_header", HEADER, 0), ("page_number", "- 2 -", 0)]
    assert all(r.kind in ("page_header", "page_number") for r in read)


# --- compressed inputs that inflate without end ------------------------------------------

def inflating_docx(path: Path, megabytes: int) -> Path:
    """A real Word document plus a picture part of ``megabytes`` MB of zeros (deflated to ~1 KB a MB)."""
    build_docx(seed_paragraphs("004")[:3], path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("word/media/image1.emf", "w") as part:
            for _ in range(megabytes):
                part.write(bytes(1 << 20))
    return path


def test_docx_that_inflates_to_hundreds_of_megabytes_is_refused(tmp_path):
    path = inflating_docx(tmp_path / "bomb.docx", 300)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(InputError) as caught:
        read_report(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: the .docx (0.3 MB) declares that its parts inflate to 301 MB")
    assert "the limit is 200 MB, and 100 times the file's size" in message


def test_docx_whose_text_part_lies_about_its_size_is_refused_as_damaged(tmp_path):
    # The zip's directory says word/document.xml holds 1,000 bytes; it inflates to 50 MB.
    # Nothing inflates past the declared size: the part fails its checksum instead.
    path = tmp_path / "liar.docx"
    build_docx(seed_paragraphs("004")[:3], tmp_path / "honest.docx")
    with zipfile.ZipFile(tmp_path / "honest.docx") as honest, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as liar:
        for item in honest.infolist():
            if item.filename != "word/document.xml":
                liar.writestr(item, honest.read(item))
        with liar.open("word/document.xml", "w") as part:
            part.write(honest.read("word/document.xml"))
            for _ in range(50):
                part.write(b" " * (1 << 20))
    data = bytearray(path.read_bytes())
    for signature, name_at, size_at in ((b"PK\x01\x02", 46, 24), (b"PK\x03\x04", 30, 22)):
        at = data.find(signature)
        while not data[at + name_at:].startswith(b"word/document.xml"):
            at = data.find(signature, at + 1)
        data[at + size_at:at + size_at + 4] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo("word/document.xml").file_size == 1000
    with pytest.raises(InputError, match=r"liar\.docx: is a damaged Word document .*CRC"):
        read_report(path)
