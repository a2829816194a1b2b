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


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by the CI sessions")
def test_doc_and_wps_of_one_import_are_converted_by_one_libreoffice_start(fixtures, tmp_path, monkeypatch):
    import generator.importer.readers.office as office
    from generator.importer.readers import read_documents

    starts = []
    run = office.subprocess.run
    monkeypatch.setattr(office.subprocess, "run", lambda cmd, **kw: starts.append(cmd) or run(cmd, **kw))
    # the same stem twice: each keeps its own conversion
    (tmp_path / "a.doc").write_bytes((fixtures / "district-kx-2023.doc").read_bytes())
    (tmp_path / "a.wps").write_bytes((fixtures / "township-kx-2024.wps").read_bytes())
    docs = read_documents([tmp_path / "a.doc", fixtures / "county-kx-2025.txt", tmp_path / "a.wps"],
                          cache_dir=tmp_path / ".cache")
    assert len(starts) == 1
    assert [d.name for d in docs] == ["a.doc", "county-kx-2025.txt", "a.wps"]
    assert docs[0].lines[0] == "东岭区科学技术协会" and docs[2].lines[0] == "柳林镇科学技术协会"
    assert docs[1].lines[0] == "石门县科学技术协会"  # GB18030 read as such
    assert (tmp_path / ".cache" / "libreoffice-profile").is_dir()
