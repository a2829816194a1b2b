import pytest

from generator.importer.readers import ReadError, read_document
from generator.importer.readers.text import decode

NOTICE = "关于申报2022年度项目的通知\n各市级学会：\n联系电话：0537-3739895\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_chinese_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "notice.txt"
    path.write_bytes(NOTICE.encode(encoding))
    assert read_document(path).lines == NOTICE.strip().split("\n")


def test_traditional_gb18030_fixture(fixtures):
    doc = read_document(fixtures / "university-kx-2025-trad.txt")
    assert doc.lines[0] == "晨光大學科學技術協會"
    assert "二〇二五年四月二十一日" in doc.lines


def test_unknown_file_type_is_refused(tmp_path):
    path = tmp_path / "notice.xls"
    path.write_bytes(b"x")
    with pytest.raises(ReadError, match="不支持的文件类型"):
        read_document(path)


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="文件不存在"):
        read_document(tmp_path / "none.txt")


def test_decode_prefers_utf8():
    assert decode("申报".encode(), "x") == "申报"
