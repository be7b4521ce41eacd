"""Reading: encodings, HTML, and clear errors for input that is not a report."""
from __future__ import annotations

import pytest

import fazhi_nlp
from fazhi_nlp import InputError, read_report
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
