import shutil

import pytest

from generator.importer.readers import ReadError, read_document

pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by the CI sessions")
def test_doc_is_converted_with_its_table(fixtures):
    doc = read_document(fixtures / "district-kx-2023.doc")
    assert doc.name == "district-kx-2023.doc"
    assert doc.lines[0] == "东岭区科学技术协会"
    assert len(doc.tables) == 1
    assert doc.tables[0].rows[1][0].rowspan == 2


def test_without_libreoffice_the_error_says_what_to_do(tmp_path, monkeypatch):
    import generator.importer.readers.office as office

    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    path = tmp_path / "notice.wps"
    path.write_bytes(b"x")
    with pytest.raises(ReadError, match=r"找不到 LibreOffice.*另存为 \.docx"):
        read_document(path)
