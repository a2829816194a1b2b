"""Reproducible builds: two independent builds of the same sources give identical files.

Each build runs in its own process, from its own copy of the repository (so its own
``.cache``), with the same ``SOURCE_DATE_EPOCH``. The countdowns on the pages use the build
date, which ``SOURCE_DATE_EPOCH`` pins, so nothing is excluded from the comparison.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from .conftest import ROOT

#: 2026-11-26 12:34:56 UTC: a time of day, so a stamp that drops it is noticed.
EPOCH = 1795696496
EPOCH_DATE = dt.datetime.fromtimestamp(EPOCH, tz=dt.UTC)
#: A public address, so the sitemap lists pages and feeds carry absolute links.
SITE_URL = "https://kexie.example.org/kexie/"
#: What a build reads from the repository.
SOURCES = ("mkdocs.yml", "data", "docs", "overrides", "schema", "tests/data/good")


def _copy_repo(dest: Path) -> Path:
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def _build(repo: Path) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    env.update(SOURCE_DATE_EPOCH=str(EPOCH), SITE_URL=SITE_URL)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(repo), "build"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return repo / "site"


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    # Copy both first: the sources must be the same, whatever happens to the tree meanwhile.
    repos = [_copy_repo(tmp_path_factory.mktemp(name)) for name in ("repro-a", "repro-b")]
    return _build(repos[0]), _build(repos[1])


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def _zip_differences(a: Path, b: Path) -> list[str]:
    """Which entries of two archives differ, to say why two archives are not identical."""
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        ia = {i.filename: i for i in za.infolist()}
        ib = {i.filename: i for i in zb.infolist()}
        out = [f"only in one: {n}" for n in sorted(set(ia) ^ set(ib))]
        for name in sorted(set(ia) & set(ib)):
            if za.read(name) != zb.read(name):
                out.append(f"content: {name}")
            elif (ia[name].date_time, ia[name].external_attr) != (
                ib[name].date_time, ib[name].external_attr
            ):
                out.append(f"metadata: {name}")
        return out or ["entry order or archive metadata"]


def test_two_builds_are_identical(two_builds: tuple[Path, Path]):
    first, second = two_builds
    a, b = _files(first), _files(second)
    assert sorted(a) == sorted(b), f"different files: {sorted(set(a) ^ set(b))}"
    assert len(a) > 50
    differ: list[str] = []
    for rel in sorted(a):
        if a[rel].read_bytes() != b[rel].read_bytes():
            detail = ""
            if rel.endswith((".zip", ".docx")):
                detail = " (" + "; ".join(_zip_differences(a[rel], b[rel])[:5]) + ")"
            differ.append(rel + detail)
    assert not differ, "files differ between two builds:\n" + "\n".join(differ)


def test_stamps_come_from_source_date_epoch(two_builds: tuple[Path, Path]):
    site = two_builds[0]
    day = EPOCH_DATE.date().isoformat()
    sitemap = gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8")
    assert sitemap.count("<url>") > 10
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {day}
    stamp = (*EPOCH_DATE.timetuple()[:5], EPOCH_DATE.second - EPOCH_DATE.second % 2)
    with zipfile.ZipFile(site / "downloads" / "site.zip") as archive:
        assert {i.date_time for i in archive.infolist()} == {stamp}


def test_downloads_carry_no_build_time(two_builds: tuple[Path, Path], calls):
    """PDF and DOCX dates come from the data (last_modified), never from the clock."""
    site = two_builds[0]
    modified = {c.id: c.last_modified for c in calls}
    pdfs = sorted((site / "downloads").rglob("*.pdf"))
    docxs = sorted((site / "downloads").rglob("*.docx"))
    assert pdfs and docxs
    for path in pdfs:
        meta = PdfReader(path).metadata
        expected = modified[path.parent.name].strftime("D:%Y%m%d")
        for key in ("/CreationDate", "/ModDate"):
            if key in meta:
                assert str(meta[key]).startswith(expected), f"{path.name} {key}={meta[key]}"
    ns = {"dcterms": "http://purl.org/dc/terms/"}
    for path in docxs:
        with zipfile.ZipFile(path) as archive:
            core = ElementTree.fromstring(archive.read("docProps/core.xml"))
            stamps = {i.date_time for i in archive.infolist()}
        day = modified[path.parent.name].isoformat()
        for tag in ("dcterms:created", "dcterms:modified"):
            el = core.find(tag, ns)
            if el is not None:
                assert (el.text or "").startswith(day), f"{path.name} {tag}={el.text}"
        assert len(stamps) == 1, f"{path.name}: entries with different time stamps {stamps}"
