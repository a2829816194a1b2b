"""Fault injection: kills during a build, damaged caches, two builds at once, special files,
odd ``--out`` values and hostile inputs. Each test names the finding of issue #20 it covers.

A build must lose nothing, leak nothing and never publish what it did not render: the
previous site stays whole until the new one is complete, inputs are never output folders,
only regular files inside the repository are read, and a damaged cache entry is rendered
again, never shipped.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from generator import cache, cli, urls
from generator.errors import BuildError, DataErrors
from generator.formset import forms_of
from generator.load import load, load_file
from generator.pipeline import build

from .conftest import ROOT, TESTS, TODAY, make_sample_repo

SOURCE = "tests/data/good/sample-source.txt"
CALL = "data/calls/sample-call.yaml"
#: TODAY as SOURCE_DATE_EPOCH: every build here, in this process or not, stamps the same.
EPOCH = "1795651200"


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample repository built once: its site and a full cache to copy from."""
    repo = tmp_path_factory.mktemp("warm") / "repo"
    repo.mkdir()
    make_sample_repo(repo)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(repo, today=TODAY)
    return repo


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def repo(warm: Path, tmp_path: Path) -> Path:
    """A fresh copy of the warm repository (site and cache included)."""
    copy = tmp_path / "repo"
    shutil.copytree(warm, copy, symlinks=True)
    return copy


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _cli(root: Path, *args: str, timeout: float = 300, cwd: Path | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *args],
        capture_output=True, text=True, encoding="utf-8", timeout=timeout, check=False,
        cwd=cwd or ROOT, env=dict(os.environ),
    )


def _popen(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(root), "build", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=ROOT,
        env=dict(os.environ),
    )


def _children(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    out = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# --------------------------------------------------------------------------- 1. --out


@pytest.mark.parametrize("out", [".", "docs", "data", "data/calls", "..", "generator", ".git", "build"])
def test_finding1_out_folders_holding_inputs_are_refused(repo: Path, out: str, monkeypatch, capsys):
    """#20.1: `build --out .` deleted the checkout, `--out docs` the hand-written pages."""
    (repo / ".git").mkdir(exist_ok=True)
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (repo / "generator").mkdir(exist_ok=True)
    (repo / "generator" / "keep.py").write_text("X = 1\n", encoding="utf-8")
    (repo / "build" / "keep.txt").parent.mkdir(exist_ok=True)
    (repo / "build" / "keep.txt").write_text("x", encoding="utf-8")
    before = _tree(repo)
    monkeypatch.chdir(repo)
    assert cli.main(["--root", str(repo), "build", "--out", out]) == 1
    err = capsys.readouterr().err
    assert "输出目录" in err and "output folder" in err, err
    after = _tree(repo)
    assert {k: v for k, v in after.items() if not k.startswith(".cache/")} == {
        k: v for k, v in before.items() if not k.startswith(".cache/")
    }, "the refused build changed the repository"


def test_finding1_forms_are_never_written_into_inputs(repo: Path, monkeypatch, capsys):
    before = _tree(repo / "data")
    monkeypatch.chdir(repo)
    assert cli.main(["--root", str(repo), "forms", "--format", "docx", "--out", "data"]) == 1
    assert "output folder" in capsys.readouterr().err
    assert _tree(repo / "data") == before
    assert cli.main(["--root", str(repo), "forms", "--format", "docx", "--out", "forms"]) == 0
    assert list((repo / "forms" / "sample-call").glob("*.docx"))


def test_finding1_a_folder_of_something_else_is_not_replaced(repo: Path, tmp_path: Path):
    """#20.1: an existing folder that is not a built site (e.g. a home folder) is kept."""
    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"\xff\xd8 not a site")
    with pytest.raises(BuildError, match="output folder"):
        build(repo, other, today=TODAY)
    assert (other / "holiday.jpg").read_bytes() == b"\xff\xd8 not a site"
    file_out = tmp_path / "a-file"
    file_out.write_text("x", encoding="utf-8")
    with pytest.raises(BuildError, match="not a folder"):
        build(repo, file_out, today=TODAY)


def test_finding1_a_new_folder_and_the_default_still_build(repo: Path, tmp_path: Path):
    report = build(repo, tmp_path / "public", today=TODAY)
    assert (report.site_dir / "index.html").is_file()
    build(repo, tmp_path / "public", today=TODAY)  # an earlier site is replaced


# --------------------------------------------------------------------------- 2. symlinks


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "environ"
    secret.parent.mkdir()
    secret.write_text("GITHUB_TOKEN=ghp_SECRET_FROM_THE_RUNNER\n", encoding="utf-8")
    return secret


def test_finding2_source_text_linking_out_of_the_repository_is_refused(repo: Path, tmp_path: Path):
    """#20.2: a source text symlinked to /proc/self/environ was published on the 原文 page."""
    source = repo / SOURCE
    source.unlink()
    source.symlink_to(_secret(tmp_path))
    with pytest.raises(DataErrors) as info:
        load(repo / "data" / "calls", repo)
    report = info.value.report()
    assert "sample-source.txt" in report and "仓库以外" in report and "outside the repository" in report
    result = _cli(repo, "build", "--today", TODAY.isoformat())
    assert result.returncode == 1
    site = repo / "site"
    assert not any(b"ghp_SECRET" in data for data in _tree(site).values())
    assert not any(b"ghp_SECRET" in data for data in _tree(repo / "build").values())


def test_finding2_proc_environ_itself_is_refused(repo: Path):
    source = repo / SOURCE
    source.unlink()
    source.symlink_to("/proc/self/environ")
    with pytest.raises(DataErrors, match="outside the repository"):
        load(repo / "data" / "calls", repo)


def test_finding2_data_file_and_page_linking_out_are_refused(repo: Path, tmp_path: Path):
    secret = _secret(tmp_path)
    link = repo / "data" / "calls" / "leak.yaml"
    link.symlink_to(secret)
    with pytest.raises(DataErrors, match="outside the repository"):
        load(repo / "data" / "calls", repo)
    link.unlink()
    (repo / "docs" / "leak.md").symlink_to(secret)
    with pytest.raises(BuildError, match="outside the repository"):
        build(repo, today=TODAY)
    assert not any(b"ghp_SECRET" in data for data in _tree(repo / "site").values())


def test_finding2_theme_file_linking_out_is_refused(repo: Path, tmp_path: Path):
    """MkDocs copies overrides/ into the site: a link there would publish a host file too."""
    (repo / "overrides" / "assets" / "env.txt").symlink_to(_secret(tmp_path))
    with pytest.raises(BuildError, match="outside the repository"):
        build(repo, today=TODAY)
    assert not any(b"ghp_SECRET" in data for data in _tree(repo / "site").values())
    (repo / "overrides" / "assets" / "env.txt").unlink()
    os.mkfifo(repo / "overrides" / "assets" / "pipe.css")
    with pytest.raises(BuildError, match="not a regular file"):
        build(repo, today=TODAY)


def test_finding2_links_inside_the_repository_still_work(repo: Path):
    real = repo / "data" / "sources" / "sample.txt"
    real.parent.mkdir(parents=True)
    shutil.move(repo / SOURCE, real)
    (repo / SOURCE).symlink_to(real)
    assert [c.id for c in load(repo / "data" / "calls", repo)] == ["sample-call"]


# --------------------------------------------------------------------------- 3. damaged cache


def _cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _empty(data: bytes) -> bytes:
    return b""


def _random(data: bytes) -> bytes:
    return os.urandom(max(len(data), 64))


DAMAGE = {"cut": _cut, "empty": _empty, "random": _random}


@pytest.mark.parametrize(
    ("folder", "damage"),
    [("docx", "cut"), ("pdf", "random"), ("pdf", "empty"), ("pages", "cut"), ("bundle", "random"),
     ("jinja", "random"), ("fonts/documents", "cut"), ("fonts", "random")],
)
def test_finding3_damaged_cache_entries_are_rendered_again(
    repo: Path, warm: Path, folder: str, damage: str, caplog: pytest.LogCaptureFixture
):
    """#20.3: a cut, emptied or overwritten cache entry was published with exit 0."""
    entries = [p for p in (repo / ".cache" / folder).iterdir()
               if p.is_file() and not p.name.endswith(".sha256")]
    assert entries, folder
    long_ago = time.time() - 30 * 86400
    for entry in entries:
        entry.write_bytes(DAMAGE[damage](entry.read_bytes()))
        os.utime(entry, (long_ago, long_ago))
    if folder in ("fonts", "fonts/documents"):
        shutil.rmtree(repo / ".cache" / "pdf")  # render the PDFs again, from these fonts
    with caplog.at_level(logging.WARNING):
        build(repo, today=TODAY, jobs=1)  # in this process: its warnings are captured here
    assert _tree(repo / "site") == _tree(warm / "site"), "the site differs from an undamaged build"
    assert "damaged cache entry" in caplog.text
    # a damaged entry the build read was replaced by a good one; one it did not read (a
    # theme template this site does not use) was not refreshed, so pruning removes it
    for name in _bad_entries(repo / ".cache", folder):
        assert (repo / ".cache" / folder / name).stat().st_mtime == pytest.approx(long_ago), name
    assert cache.prune(repo / ".cache", [folder], max_age_days=14) >= 0
    assert _bad_entries(repo / ".cache", folder) == []


def _bad_entries(cache_dir: Path, folder: str) -> list[str]:
    bad = []
    for entry in (cache_dir / folder).iterdir():
        if not entry.is_file() or entry.name.endswith(".sha256"):
            continue
        if folder.startswith("fonts"):
            sidecar = entry.with_name(entry.name + ".sha256")
            good = sidecar.is_file() and sidecar.read_text(encoding="ascii") == hashlib.sha256(
                entry.read_bytes()).hexdigest()
        else:
            good = cache.Store(cache_dir, folder).get(entry.name) is not None
        if not good:
            bad.append(entry.name)
    return bad


def test_finding3_a_damaged_entry_is_removed_not_refreshed(tmp_path: Path, caplog):
    store = cache.Store(tmp_path, "pdf")
    store.put("k.pdf", b"%PDF-1.7 whole file")
    entry = tmp_path / "pdf" / "k.pdf"
    entry.write_bytes(entry.read_bytes()[:-4])
    old = time.time() - 30 * 86400
    os.utime(entry, (old, old))
    with caplog.at_level(logging.WARNING):
        assert store.get("k.pdf") is None
    assert "damaged cache entry" in caplog.text
    assert not entry.exists(), "a damaged entry is removed, never kept alive by a hit"
    assert store.fetch("k.pdf", lambda: b"%PDF again") == b"%PDF again"
    assert store.get("k.pdf") == b"%PDF again"


def test_finding3_damaged_prepared_font_is_prepared_again(tmp_path: Path, caplog):
    target = tmp_path / "fonts" / "face.otf"
    made: list[int] = []

    def make() -> bytes:
        made.append(1)
        return b"OTTO font data"

    assert cache.verified_file(target, make).read_bytes() == b"OTTO font data"
    assert cache.verified_file(target, make) and len(made) == 1
    target.write_bytes(b"OTTO fo")
    with caplog.at_level(logging.WARNING):
        assert cache.verified_file(target, make).read_bytes() == b"OTTO font data"
    assert len(made) == 2 and "damaged cache entry" in caplog.text


# --------------------------------------------------------------------------- 4. two builds


def test_finding4_a_second_build_waits_for_the_first(repo: Path):
    """#20.4: two builds shared build/docs and the output; some published a broken page."""
    before = (repo / "site" / "index.html").read_bytes()
    lock = repo / ".site.build-lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a build of site/ is running
        proc = _popen(repo)
        time.sleep(4)
        assert proc.poll() is None, "the second build did not wait: " + proc.communicate()[1]
        assert (repo / "site" / "index.html").read_bytes() == before
    finally:
        os.close(fd)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "another build is writing" in err


def test_finding4_two_builds_at_once_both_publish_a_whole_site(repo: Path, warm: Path):
    first, second = _popen(repo), _popen(repo)
    results = [p.communicate(timeout=600) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, results
    assert _tree(repo / "site") == _tree(warm / "site")
    assert not list(repo.glob(".site.tmp-*"))


# --------------------------------------------------------------------------- 5. special files


def test_finding5_fifo_data_file_does_not_hang_check(repo: Path):
    """#20.5: a FIFO named x.yaml made `check` hang forever."""
    os.mkfifo(repo / "data" / "calls" / "x.yaml")
    result = _cli(repo, "check", timeout=60)
    assert result.returncode == 1
    assert "x.yaml" in result.stderr and "not a regular file" in result.stderr


def test_finding5_fifo_source_text_and_preview_keep_going(repo: Path):
    from generator import preview

    source = repo / SOURCE
    source.unlink()
    os.mkfifo(source)
    messages: list[str] = []
    done = threading.Event()

    def run() -> None:
        preview.refresh(repo, repo / "build" / "preview-docs", report=messages.append)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(60), "the preview hung on a FIFO"
    assert "not a regular file" in messages[0]


@pytest.mark.parametrize("where", [SOURCE, CALL])
def test_finding5_huge_sparse_file_is_refused_before_reading(repo: Path, where: str):
    """#20.5: a 2.4 GB sparse file was read whole before the size check (MemoryError)."""
    path = repo / where
    with path.open("r+b") as fh:
        fh.truncate(3 * 1024**3)
    t0 = time.perf_counter()
    with pytest.raises(DataErrors, match="larger than"):
        load(repo / "data" / "calls", repo)
    assert time.perf_counter() - t0 < 5


def test_finding5_devices_are_refused(tmp_path: Path):
    from generator import files

    with pytest.raises(files.UnsafeFile, match="outside the repository"):
        files.read_bytes(Path("/dev/zero"), tmp_path, 1024)
    with pytest.raises(files.UnsafeFile, match="not a regular file"):
        files.read_bytes(Path("/dev/zero"), Path("/"), 1024)
    with pytest.raises(files.UnsafeFile, match="not a regular file"):
        files.read_bytes(tmp_path, tmp_path, 1024)


# --------------------------------------------------------------------------- 6. workers


def _fresh_pdf_build(repo: Path) -> subprocess.Popen[str]:
    shutil.rmtree(repo / ".cache" / "pdf")
    return _popen(repo, "--jobs", "2")


def _workers_of(proc: subprocess.Popen[str], timeout: float = 120) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = {k for k in _children(proc.pid) if _alive(k)}
        if len(kids) >= 2:
            return kids
        if proc.poll() is not None:
            pytest.fail("the build ended before its PDF workers started: " + proc.communicate()[1])
        time.sleep(0.02)
    pytest.fail("no PDF workers seen")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_finding6_pdf_workers_stop_with_the_build(repo: Path, sig: signal.Signals):
    """#20.6: SIGTERM or SIGKILL to the build left two 135–190 MB workers running."""
    before = (repo / "site" / "index.html").read_bytes()
    proc = _fresh_pdf_build(repo)
    workers = _workers_of(proc)
    os.kill(proc.pid, sig)
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, f"workers outlived the build: {left}"
    assert (repo / "site" / "index.html").read_bytes() == before, "a killed build replaced the site"
    if sig == signal.SIGTERM:
        assert not list(repo.glob(".site.tmp-*")), "SIGTERM cleans up like Ctrl+C"


# --------------------------------------------------------------------------- kills, 7, 8


@pytest.mark.parametrize("after", [1.5, 4.0])
def test_kill_during_the_build_keeps_the_site_and_the_next_build_cleans_up(
    repo: Path, warm: Path, after: float
):
    before = _tree(repo / "site")
    shutil.rmtree(repo / ".cache" / "pages")
    proc = _popen(repo)
    time.sleep(after)
    proc.kill()
    proc.communicate(timeout=60)
    assert _tree(repo / "site") == before
    assert build(repo, today=TODAY).site_dir == repo / "site"
    assert _tree(repo / "site") == _tree(warm / "site")
    assert not list(repo.glob(".site.tmp-*")) and not list(repo.glob(".site.old-*"))


def test_finding7_site_has_normal_permissions(repo: Path):
    """#20.7: site/ came from mkdtemp with mode 0700 (a web server got 403)."""
    old = os.umask(0o022)
    try:
        build(repo, today=TODAY)
    finally:
        os.umask(old)
    assert (repo / "site").stat().st_mode & 0o777 == 0o755


def test_finding8_stale_temp_folders_are_removed_and_ignored(repo: Path):
    """#20.8: interrupted builds left .site.tmp-* folders, never cleaned, not git-ignored."""
    for name in (".site.tmp-deadbeef", ".site.tmp-cafe0001-docs", ".site.old-123"):
        (repo / name / "assets").mkdir(parents=True)
        (repo / name / "assets" / "big.bin").write_bytes(b"x" * 1024)
    build(repo, today=TODAY)
    assert not [p for p in repo.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", ".site.tmp-deadbeef/", ".site.build-lock",
         ".public.tmp-0a1b2c3d/", ".site.old-1/"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert ignored.stdout.split() == [".site.tmp-deadbeef/", ".site.build-lock",
                                      ".public.tmp-0a1b2c3d/", ".site.old-1/"]


def test_finding8_site_never_missing_during_the_swap(repo: Path, monkeypatch):
    """#20.8: the swap was two renames, so site/ briefly did not exist."""
    site = repo / "site"
    gaps: list[str] = []
    real_rename, real_replace = os.rename, os.replace
    real_path_rename = Path.rename

    def watch(name, func):
        def wrapped(*args, **kwargs):
            result = func(*args, **kwargs)
            if not site.is_dir():
                gaps.append(f"{name}{args}")
            return result
        return wrapped

    monkeypatch.setattr(os, "rename", watch("os.rename", real_rename))
    monkeypatch.setattr(os, "replace", watch("os.replace", real_replace))
    monkeypatch.setattr(Path, "rename", watch("Path.rename", real_path_rename))
    build(repo, today=TODAY)
    assert not gaps, gaps
    assert (site / "index.html").is_file()


def test_finding8_exchange_swaps_two_folders_atomically(tmp_path: Path):
    from generator import output

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a", encoding="utf-8")
    (b / "x").write_text("b", encoding="utf-8")
    assert output.exchange(a, b), "renameat2(RENAME_EXCHANGE) is available on Linux CI"
    assert (a / "x").read_text(encoding="utf-8") == "b" and (b / "x").read_text(encoding="utf-8") == "a"


def test_finding8_without_an_exchange_the_swap_still_completes(tmp_path: Path, monkeypatch, caplog):
    from generator import output

    new, out = tmp_path / ".site.tmp-1", tmp_path / "site"
    new.mkdir()
    out.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    (out / "index.html").write_text("old", encoding="utf-8")
    monkeypatch.setattr(output, "exchange", lambda a, b: False)  # e.g. a file system without it
    with caplog.at_level(logging.WARNING):
        output.swap_in(new, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert "renaming twice" in caplog.text


# --------------------------------------------------------------------------- 9. texts


def test_finding9_nul_byte_in_source_text_is_reported_with_the_file(repo: Path):
    """#20.9: NUL bytes in a notice text reached the HTML."""
    source = repo / SOURCE
    source.write_bytes(source.read_bytes() + b"\n\x00hidden\n")
    result = _cli(repo, "check")
    assert result.returncode == 1
    assert "sample-source.txt" in result.stderr and "NUL" in result.stderr
    assert len(result.stderr) < 1000


def test_finding9_invalid_utf8_in_source_text_is_a_short_message(repo: Path):
    """#20.9: invalid UTF-8 failed the build with an unnamed 55 KB message."""
    source = repo / SOURCE
    source.write_bytes(source.read_bytes() + b"\n\xff\xfe GBK?\n" * 3000)
    result = _cli(repo, "build", "--today", TODAY.isoformat())
    assert result.returncode == 1
    assert "sample-source.txt" in result.stderr and "UTF-8" in result.stderr
    assert len(result.stderr) < 1000, len(result.stderr)


# --------------------------------------------------------------------------- 10. names


def _hostile_names(repo: Path) -> None:
    path = repo / CALL
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["forms"][0]["title"] = "示例申报表\u202excod.exe\u200b\u2066"
    data["short_title"] = "示例\u202e项目"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # the title is a quote: the notice must say it (as a hostile notice would)
    source = repo / SOURCE
    source.write_text(source.read_text(encoding="utf-8") + "\n附件：示例申报表\u202excod.exe\u200b\u2066\n",
                      encoding="utf-8")


BIDI_AND_ZERO_WIDTH = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f\ufeff\u2060"


def test_finding10_bidi_and_zero_width_characters_leave_file_names(repo: Path):
    """#20.10: U+202E passed into download and ZIP entry names (…申报表‮xcod.exe.docx)."""
    _hostile_names(repo)
    (call,) = load(repo / "data" / "calls", repo)
    for form in forms_of(call):
        for ext in ("docx", "pdf"):
            name = urls.download_name(call, form, ext)
            assert not set(name) & set(BIDI_AND_ZERO_WIDTH), repr(name)
            assert name.endswith(f"xcod.exe.{ext}")
    build(repo, today=TODAY)
    archive = zipfile.ZipFile(io.BytesIO((repo / "site" / urls.forms_zip(call)).read_bytes()))
    for info in archive.infolist():
        assert not set(info.filename) & set(BIDI_AND_ZERO_WIDTH), repr(info.filename)
    page = (repo / "site" / urls.call_page(call) / "index.html").read_text(encoding="utf-8")
    for attr in page.split('download="')[1:]:
        assert not set(attr.split('"')[0]) & set(BIDI_AND_ZERO_WIDTH)
    assert "<bdi>示例申报表\u202excod.exe" in page, "the title is isolated on the page"


# --------------------------------------------------------------------------- 11. memory


def _many_categories(repo: Path, n: int) -> None:
    path = repo / CALL
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    template = data["categories"][0]
    data["categories"] = [{"id": f"c{i}", "name": template["name"]} for i in range(n)]
    data["deadlines"] = [{**d, "categories": []} for d in data["deadlines"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_finding11_huge_calls_are_refused_at_load_with_a_clear_message(repo: Path):
    """#20.11: one 1.85 MB data file with 10,000 categories needed 3.1 GB to build."""
    _many_categories(repo, 10_000)
    assert (repo / CALL).stat().st_size < 2 * 1024 * 1024
    result = _cli(repo, "check", timeout=120)
    assert result.returncode == 1
    assert "项目类别过多" in result.stderr and "too many categories" in result.stderr


def test_finding11_text_and_form_limits(monkeypatch):
    from generator import limits

    call = load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)
    assert limits.problems(call) == []
    monkeypatch.setattr(limits, "MAX_CALL_TEXT", 1000)
    monkeypatch.setattr(limits, "MAX_FORM_TEXT", 100)
    monkeypatch.setattr(limits, "MAX_FORMS", 0)
    found = {loc: en for loc, _, en in limits.problems(call)}
    assert "call data too large" in found[()] and "too many forms" in found[("forms",)]
    assert "form too large" in found[("forms", 0)]


def test_finding11_limits_leave_real_notices_alone():
    calls = load(ROOT / "data" / "calls", ROOT)
    assert len(calls) == len(list((ROOT / "data" / "calls").glob("*.yaml")))
    assert load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)


def test_artifact_read_detects_a_file_changed_after_writing(tmp_path: Path):
    from generator.context import BuildContext

    ctx = BuildContext(root=tmp_path, calls=[], docs_dir=tmp_path, site_dir=tmp_path,
                       cache_dir=tmp_path, step="docx", produces=("form.docx",))
    item = ctx.write("downloads/x/a.docx", b"PK whole", "form.docx")
    assert item.digest == hashlib.sha256(b"PK whole").hexdigest() and item.read() == b"PK whole"
    (tmp_path / "downloads" / "x" / "a.docx").write_bytes(b"PK half")
    with pytest.raises(BuildError, match="changed after it was written"):
        item.read()
