import pytest

from generator.importer.readers import ReadError, read_document


def test_pdf_text_layer_in_reading_order(fixtures):
    lines = read_document(fixtures / "city-kjj-2025.pdf").lines
    assert lines[0] == "临川市科学技术局"
    assert any(line.startswith("临科发〔2025〕12") for line in lines)
    assert lines[-1].replace(" ", "") == "2025年5月26日"


def test_not_a_pdf(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(ReadError):
        read_document(path)


def test_a_scan_without_text_is_refused(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(ReadError, match="没有文字层"):
        read_document(path)
