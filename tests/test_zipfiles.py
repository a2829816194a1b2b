"""The one deterministic ZIP writer."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from generator import zipfiles


def test_stamp_of_a_date_a_time_and_before_1980() -> None:
    assert zipfiles.stamp(dt.date(2022, 11, 8)) == (2022, 11, 8, 0, 0, 0)
    assert zipfiles.stamp(dt.datetime(2026, 11, 26, 12, 34, 57)) == (2026, 11, 26, 12, 34, 56)
    assert zipfiles.stamp(dt.date(1970, 1, 1)) == zipfiles.EPOCH_1980


def test_same_entries_same_bytes_and_fixed_attributes() -> None:
    items = [("a.txt", b"x" * 100), ("img.png", b"y" * 100)]
    when = zipfiles.stamp(dt.date(2022, 11, 8))
    data = zipfiles.zip_bytes(items, when)
    assert data == zipfiles.zip_bytes(iter(items), when)
    assert data != zipfiles.zip_bytes(items, zipfiles.stamp(dt.date(2022, 11, 9)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["a.txt", "img.png"]
        assert {i.date_time for i in infos} == {when}
        assert {i.external_attr >> 16 for i in infos} == {zipfiles.FILE_MODE}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def test_dos_entries_and_stored_endings(tmp_path) -> None:
    when = zipfiles.EPOCH_1980
    with zipfile.ZipFile(io.BytesIO(zipfiles.zip_bytes([("a", b"1")], when, mode=None))) as z:
        assert z.infolist()[0].create_system == 0
    target = tmp_path / "out.zip"
    count = zipfiles.write_zip(target, [("a.txt", b"1"), ("b.PNG", b"2")], when, stored=(".png",))
    assert count == 2
    with zipfile.ZipFile(target) as z:
        assert [i.compress_type for i in z.infolist()] == [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]
