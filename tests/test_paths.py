"""Path safety: ids and download names never reach outside their output folder.

Output paths come only from :mod:`generator.urls`, built from ids the model validates as
slugs; friendly download names (``urls.safe_file_name``) are single file names that work on
every system. Invalid ids are data errors with a file:line message; valid but awkward ids
(device-like, very long, named like site folders) still give paths inside the site.
"""

from __future__ import annotations

import copy
import inspect
import posixpath
import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator import urls
from generator.context import Artifact
from generator.errors import DataErrors
from generator.formset import forms_of
from generator.load import load_file
from generator.models import SLUG_PATTERN, WINDOWS_RESERVED, Call
from generator.render import bundle, formfiles

from .conftest import ROOT, TESTS

SAMPLE = TESTS / "data" / "good" / "sample-call.yaml"
HOSTILE = TESTS / "data" / "hostile" / "hostile-call.yaml"
#: Characters no file name may hold on Windows (besides control characters).
FORBIDDEN = set('/\\:*?"<>|')
MAX_NAME_BYTES = 255

#: Ids that must be rejected wherever an id is written.
BAD_IDS = [
    "../evil", "..", ".", "/etc/passwd", "a/b", "a\\b", "C:evil", ".hidden", "Evil", "a.b",
    "a b", "-a", "a\tb", "x" * 81, "con", "nul", "aux", "prn", "com1", "lpt9", "%2e%2e",
    "ａ", "",
]
#: Where an id is written, and the field path the error must name.
ID_FIELDS = {
    "call": "id",
    "form": "forms[0].id",
    "category": "categories[0].id",
    "contact": "contacts[0].id",
}
#: Valid ids that look like trouble: device-like, long, named like the site's own folders.
AWKWARD_IDS = [
    "0", "a" * 80, "con-x", "nul0", "com10", "a--b", "a-", "index", "assets", "search",
    "downloads", "api", "calls", "source", "site", "404", "fillable",
]
#: Helpers of urls that are not output paths of one call or the site (form_files lists
#: the form_* paths again).
NOT_PATHS = {
    "absolute", "site_url", "download_name", "safe_file_name", "path_clashes", "form_files"
}


def _sample() -> dict[str, Any]:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def _load(tmp_path: Path, data: dict[str, Any]) -> Call:
    ok = isinstance(data.get("id"), str) and re.fullmatch(SLUG_PATTERN, data["id"])
    name = data["id"] if ok else "x"
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_file(path, ROOT)


def _set_id(data: dict[str, Any], where: str, value: str) -> None:
    if where == "call":
        data["id"] = value
    elif where == "form":
        data["forms"][0]["id"] = value
    elif where == "category":
        data["categories"][0]["id"] = value
    else:
        data["contacts"][0]["id"] = value


# --------------------------------------------------------------------------- invalid ids


@pytest.mark.parametrize("where", sorted(ID_FIELDS))
@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_invalid_ids_are_data_errors(tmp_path: Path, where: str, bad: str):
    data = _sample()
    _set_id(data, where, bad)
    with pytest.raises(DataErrors) as caught:
        _load(tmp_path, data)
    errors = caught.value.errors
    assert ID_FIELDS[where] in [e.path for e in errors], caught.value.report()
    for err in errors:
        assert err.line > 0 and err.zh and err.en
    assert not list(tmp_path.glob("**/evil*")) and not (tmp_path.parent / "evil").exists()


def test_reserved_names_are_explained(tmp_path: Path):
    data = _sample()
    _set_id(data, "form", "nul")
    with pytest.raises(DataErrors) as caught:
        _load(tmp_path, data)
    (err,) = [e for e in caught.value.errors if e.path == "forms[0].id"]
    assert "Windows" in err.zh and "Windows" in err.en


# --------------------------------------------------------------------------- output paths


def _data_with(call_id: str, form_ids: list[str]) -> dict[str, Any]:
    data = _sample()
    data["id"] = call_id
    template = data["forms"][0]
    data["forms"] = [{**copy.deepcopy(template), "id": fid} for fid in form_ids]
    data["categories"][0]["forms"] = [form_ids[0]]
    data["attachments"][0]["form"] = form_ids[0]
    return data


def _call_with(call_id: str, form_ids: list[str]) -> Call:
    return Call.model_validate(_data_with(call_id, form_ids))


def _paths_of(call: Call) -> dict[str, tuple[bool, list[str]]]:
    """Every output path the urls helpers give: helper name → (of this call?, paths)."""
    out: dict[str, tuple[bool, list[str]]] = {}
    functions = inspect.getmembers(urls, inspect.isfunction)
    for name, fn in functions:
        if fn.__module__ != urls.__name__ or name.startswith("_") or name in NOT_PATHS:
            continue
        params = list(inspect.signature(fn).parameters)
        if params == []:
            result = [fn()]
        elif params == ["call"]:
            result = [fn(call)]
        elif params == ["call", "form"]:
            result = [fn(call, form) for form in forms_of(call)]
        else:
            pytest.fail(f"urls.{name}{params}: add it to the path check or to NOT_PATHS")
        paths = [p for r in result for p in (r if isinstance(r, list) else [r])]
        out[name] = (bool(params), paths)
    return out


def _assert_inside(path: str, site: Path) -> None:
    assert path == path.strip() and "\\" not in path and ":" not in path, path
    pure = PurePosixPath(path)
    assert not pure.is_absolute(), path
    assert ".." not in pure.parts and "." not in path.split("/"), path
    assert posixpath.normpath(path).split("/")[0] != "..", path
    for part in pure.parts:
        assert len(part.encode("utf-8")) <= MAX_NAME_BYTES, path
        assert part.split(".")[0].lower() not in WINDOWS_RESERVED, path
    resolved = (site / path).resolve()
    assert resolved == site or site in resolved.parents, path


@pytest.mark.parametrize("call_id", AWKWARD_IDS)
def test_every_output_path_stays_in_the_site(tmp_path: Path, call_id: str):
    site = tmp_path.resolve()
    call = _call_with(call_id, ["apply", *[i for i in AWKWARD_IDS if i != "apply"][:6]])
    paths = _paths_of(call)
    assert {"call_page", "form_docx", "form_fillable_pdf", "forms_zip", "site_zip"} <= set(paths)
    for helper, (per_call, values) in paths.items():
        for path in values:
            _assert_inside(path, site)
            if per_call:  # a call's files live in a folder named by its id
                assert call.id in PurePosixPath(path).parts, (helper, path)


def test_real_calls_have_safe_distinct_paths(calls):
    seen: dict[str, str] = {}
    for call in calls:
        for helper, (per_call, values) in _paths_of(call).items():
            for path in values:
                _assert_inside(path, Path("/site"))
                if per_call:
                    assert path not in seen, f"{path}: {helper} of {call.id} and {seen[path]}"
                    seen[path] = f"{helper} of {call.id}"


@pytest.mark.parametrize(
    ("form_ids", "clash"),
    [
        (["apply", "apply-fillable"], "forms[1].id"),
        (["apply-fillable", "apply"], "forms[1].id"),
        (["apply", "sample-call-guide"], "forms[1].id"),
        (["sample-call", "apply"], None),
        (["apply", "apply-2"], None),
    ],
)
def test_forms_whose_files_would_meet_are_data_errors(tmp_path: Path, form_ids, clash):
    data = _data_with("sample-call", form_ids)
    if clash is None:
        call = _load(tmp_path, data)
        files = [p for f in forms_of(call) for p in urls.form_files(call, f)]
        assert len(files) == len(set(files))
        return
    with pytest.raises(DataErrors) as caught:
        _load(tmp_path, data)
    (err,) = caught.value.errors
    assert err.path == clash and err.line > 0
    assert "表单" in err.zh and "form" in err.en


# --------------------------------------------------------------------------- download names


def _assert_file_name(name: str) -> None:
    assert name and "\n" not in name and not (set(name) & FORBIDDEN), repr(name)
    assert not any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name), repr(name)
    assert name == name.strip() and not name.startswith("."), repr(name)
    stem = name.rsplit(".", 1)[0]
    assert not stem.endswith((" ", ".")), repr(name)
    assert name.split(".")[0].strip().lower() not in WINDOWS_RESERVED, repr(name)
    assert posixpath.basename(name) == name and len(PurePosixPath(name).parts) == 1


@given(stem=st.text(max_size=400), ext=st.sampled_from(["docx", "pdf", "zip"]))
def test_safe_file_name_is_one_safe_name(stem: str, ext: str):
    name = urls.safe_file_name(stem, ext)
    _assert_file_name(name)
    assert name.endswith(f".{ext}")
    # room for the longest suffix a renderer adds: （可填写） or " (<form id>)"
    assert len(name.encode("utf-8")) + len(" (" + "x" * 80 + ")") <= MAX_NAME_BYTES


@pytest.mark.parametrize(
    "stem",
    ["../../etc/passwd", "/abs/path", "C:\\Windows\\x", "CON", "nul.tar", " .hidden. ", "a\nb\r\nc",
     'a:b*c?"<>|', "\x00\x07", "", "长" * 300, "名" * 49 + "\U00020000" * 10],
)
def test_safe_file_name_handles_hostile_stems(stem: str):
    for ext in ("docx", "pdf"):
        name = urls.safe_file_name(stem, ext)
        _assert_file_name(name)
        fillable = name[:-4] + "（可填写）.pdf" if ext == "pdf" else name
        assert len(fillable.encode("utf-8")) <= MAX_NAME_BYTES


def test_download_names_of_real_forms_are_unchanged(calls):
    """Sanitising never touches the names of the real forms (they have no odd characters)."""
    for call in calls:
        for form in forms_of(call):
            prefix = f"{form.attachment} " if form.attachment else ""
            for fmt in formfiles.FORMATS:
                name = formfiles.file_name(call, form, fmt)
                _assert_file_name(name)
                assert name.startswith(prefix + form.title), name


def test_hostile_download_and_archive_names(tmp_path: Path):
    call = load_file(HOSTILE, ROOT)
    made: dict[str, Artifact] = {}
    for form in forms_of(call):
        for fmt in formfiles.FORMATS:
            _assert_file_name(formfiles.file_name(call, form, fmt))
        for path, kind in zip(urls.form_files(call, form), ("form.docx", "form.pdf", "form.fillable"),
                              strict=True):
            made[path] = Artifact(path, kind, 1, "0" * 64, tmp_path / path)
    entries = bundle.entries(call, made)
    assert len(entries) == 2 * len(forms_of(call))
    data = bundle.zip_bytes([(name, b"x") for name, _ in entries], call.last_modified)
    archive = tmp_path / "forms.zip"
    archive.write_bytes(data)
    _assert_archive_names(archive, top=None)


# --------------------------------------------------------------------------- archives


def _assert_archive_names(path: Path, top: str | None) -> None:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert names and len(names) == len(set(names)), path.name
    for name in names:
        pure = PurePosixPath(name)
        assert not pure.is_absolute() and "\\" not in name and ".." not in pure.parts, name
        assert ":" not in pure.parts[0], name
        for part in pure.parts:
            assert part.split(".")[0].strip().lower() not in WINDOWS_RESERVED, name
            assert len(part.encode("utf-8")) <= MAX_NAME_BYTES, name
        if top is not None:
            assert pure.parts[0] == top or name == "README.txt", name


def test_archives_of_the_built_site_stay_in_their_folder(built_site: Path):
    archives = sorted(built_site.rglob("*.zip")) + sorted(built_site.rglob("*.docx"))
    assert any(p.name == "site.zip" for p in archives)
    assert any(p.name.endswith("-forms.zip") for p in archives)
    for archive in archives:
        top = "kexie-calls" if archive.name == "site.zip" else None
        _assert_archive_names(archive, top)
