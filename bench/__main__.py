"""`python -m bench [--sizes 5,100,1000]`: measure the build and write bench/results.md.

Everything in the table is measured in this one run on this machine:

* full builds of the real calls and of synthetic sets (cold: empty cache; warm: second run),
  with the time of each pipeline step, peak memory and output size;
* a rebuild after changing one call;
* per-form DOCX and PDF rendering times and sizes;
* our PDF rendering of all forms versus LibreOffice converting the same DOCX files;
* page weight of the home page and a call page;
* a cProfile summary of the slowest step.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gzip
import io
import itertools
import json
import os
import platform
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

from . import importer
from .search import first_search
from .synth import make_repo

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results.md"
TODAY = "2026-11-26"

_BUILD_SNIPPET = """
import json, sys, datetime as dt
from pathlib import Path
from generator.pipeline import build
r = build(Path(sys.argv[1]), Path(sys.argv[2]), today=dt.date.fromisoformat(sys.argv[3]))
print("TIMINGS" + json.dumps(r.timings))
"""


def _run_build(repo: Path, out: Path) -> dict:
    """Build in a child process; return wall time, step timings and peak RSS (MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _BUILD_SNIPPET, str(repo), str(out), TODAY],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stdout = proc.stdout.read() if proc.stdout else ""
    stderr = proc.stderr.read() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build of {repo} failed:\n{stderr}")
    timings = json.loads(stdout.split("TIMINGS", 1)[1])
    return {"wall": wall, "timings": timings, "peak_mb": usage.ru_maxrss / 1024}


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


#: What a site's bytes are made of: (name, test on the path relative to the site).
_PARTS = (
    ("offline copy", lambda rel: rel == "downloads/site.zip"),
    ("forms ZIPs", lambda rel: rel.startswith("downloads/") and rel.endswith("-forms.zip")),
    ("guideline PDFs", lambda rel: rel.startswith("downloads/") and rel.endswith("-guide.pdf")),
    ("fillable PDFs", lambda rel: rel.startswith("downloads/") and rel.endswith("-fillable.pdf")),
    ("print PDFs", lambda rel: rel.startswith("downloads/") and rel.endswith(".pdf")),
    ("DOCX", lambda rel: rel.endswith(".docx")),
    ("search index", lambda rel: rel.startswith(("search/", "pagefind/"))),
    ("HTML", lambda rel: rel.endswith(".html")),
    ("theme assets", lambda rel: rel.startswith("assets/")),
)


def _site_parts(site: Path) -> dict[str, int]:
    """Bytes of the site by kind (the first matching kind of :data:`_PARTS`, else other)."""
    parts = {name: 0 for name, _ in _PARTS} | {"other": 0}
    for path in site.rglob("*"):
        if path.is_file():
            rel = path.relative_to(site).as_posix()
            name = next((name for name, test in _PARTS if test(rel)), "other")
            parts[name] += path.stat().st_size
    return parts


def _per_call(builds: list[dict], value) -> tuple[float, float] | None:
    """(fixed, per call) of ``value(build)`` from the two largest builds (a straight line)."""
    if len(builds) < 2:
        return None
    a, b = builds[-2], builds[-1]
    slope = (value(b) - value(a)) / (b["n"] - a["n"])
    return value(b) - slope * b["n"], slope


def bench_builds(sizes: list[int], warm_up_to: int) -> list[dict]:
    """Cold build of every size; warm and one-changed rebuilds up to ``warm_up_to`` calls."""
    rows = []
    for n in sizes:
        repo = make_repo(ROOT, OUT / f"repo-{n}", n)
        shutil.rmtree(repo / ".cache", ignore_errors=True)
        cold = _run_build(repo, repo / "site")
        row = {"n": n, "cold": cold, "size": _dir_size(repo / "site"),
               "parts": _site_parts(repo / "site"), "index": first_search(repo / "site")}
        if n <= warm_up_to:
            row["warm"] = _run_build(repo, repo / "site")
            # change one call and rebuild
            one = sorted((repo / "data" / "calls").glob("*.yaml"))[0]
            text = one.read_text(encoding="utf-8")
            one.write_text(text.replace("summary: ", "summary: 【已更正】", 1), encoding="utf-8")
            row["one_changed"] = _run_build(repo, repo / "site")
        rows.append(row)
        print(f"{n} calls: {json.dumps(row)}", flush=True)
    return rows


def _get(url: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if text in _get(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def bench_preview(n: int) -> dict:
    """`python -m generator serve` on the n-call repo (warm cache): seconds until it serves,
    and from saving an edited call to the served page showing the edit."""
    import socket

    repo = OUT / f"repo-{n}"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    one = sorted((repo / "data" / "calls").glob("*.yaml"))[0]
    page = f"http://127.0.0.1:{port}/calls/{one.stem}/"
    start = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(repo), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        up = _wait_for(page, "</html>", 600)
        up = None if up is None else time.perf_counter() - start
        time.sleep(2)  # let the watcher take its first look
        text = one.read_text(encoding="utf-8")
        one.write_text(text.replace("summary: ", "summary: 【预览】", 1), encoding="utf-8")
        shown = _wait_for(page, "【预览】", 120)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"n": n, "up_s": up, "edit_s": shown}


_SHARD_SNIPPET = """
import json, sys, datetime as dt
from pathlib import Path
from generator.shard import Shard, render_shard
r = render_shard(Path(sys.argv[1]), Shard.parse(sys.argv[2]), today=dt.date.fromisoformat(sys.argv[3]),
                 jobs=1, cache_dir=Path(sys.argv[4]), export=Path(sys.argv[5]))
print("TIMINGS" + json.dumps(r.timings))
"""


def bench_shards(n: int, count: int = 2) -> dict:
    """``count`` shard processes (one core each, each its own empty cache: a stand-in for
    ``count`` CI machines), then the assembling build from their exports (a new process)."""
    repo = OUT / f"repo-{n}"
    work = Path(tempfile.mkdtemp(prefix="bench-shards-"))
    start = time.perf_counter()
    procs = [
        subprocess.Popen([sys.executable, "-c", _SHARD_SNIPPET, str(repo), f"{i}/{count}", TODAY,
                          str(work / f"cache-{i}"), str(work / f"export-{i}")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(1, count + 1)
    ]
    totals = []
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"shard failed:\n{err}")
        totals.append(json.loads(out.split("TIMINGS", 1)[1])["total"])
    wall = time.perf_counter() - start
    from generator.shard import EXPORTED_KINDS, merge_into

    def entries(cache: Path) -> int:
        return sum(1 for kind in EXPORTED_KINDS for _ in (cache / kind).glob("*"))

    assemble_repo = work / "assemble"
    shutil.copytree(repo, assemble_repo, ignore=shutil.ignore_patterns(".cache", "site"))
    for i in range(1, count + 1):
        merge_into(assemble_repo / ".cache", work / f"export-{i}")
    before = entries(assemble_repo / ".cache")
    assemble = _run_build(assemble_repo, assemble_repo / "site")
    rendered_again = entries(assemble_repo / ".cache") - before
    shutil.rmtree(work, ignore_errors=True)
    return {"n": n, "count": count, "shard_s": totals, "wall": wall, "assemble": assemble,
            "entries": before, "rendered_again": rendered_again}


def bench_forms() -> dict:
    """Per-form DOCX/PDF timings (warm) and sizes, in process."""
    from pypdf import PdfReader

    from generator.formset import forms_of
    from generator.load import load
    from generator.render import docx as docx_render
    from generator.render import pdf as pdf_render

    calls = load(ROOT / "data" / "calls", ROOT)
    rows = []
    for call in calls:
        for form in forms_of(call):
            t = time.perf_counter()
            d = docx_render.form_docx(call, form)
            t_docx = time.perf_counter() - t
            pdf_render.form_pdfs(call, form)  # warm: fonts cut, templates compiled
            t = time.perf_counter()
            p = pdf_render.form_pdf(call, form)
            t_pdf = time.perf_counter() - t
            t = time.perf_counter()
            f = pdf_render.form_pdf(call, form, fillable=True)
            t_fill = time.perf_counter() - t
            t = time.perf_counter()
            pdf_render.form_pdfs(call, form)  # both variants from one layout, as a build does
            t_both = time.perf_counter() - t
            pages = len(PdfReader(io.BytesIO(p)).pages)
            rows.append({
                "form": f"{call.id}/{form.id}", "title": form.title,
                "docx_s": t_docx, "docx_kb": len(d) / 1024,
                "pdf_s": t_pdf, "pdf_kb": len(p) / 1024, "pages": pages,
                "fill_s": t_fill, "fill_kb": len(f) / 1024, "both_s": t_both,
            })
    return {"rows": rows}


def bench_libreoffice() -> dict:
    """All forms: our PDF rendering (no cache) versus LibreOffice converting our DOCX."""
    work = Path(tempfile.mkdtemp(prefix="bench-lo-"))
    gen = [sys.executable, "-m", "generator", "--root", str(ROOT), "forms"]
    subprocess.run([*gen, "--format", "docx", "--out", str(work / "docx")], check=True)
    docs = sorted((work / "docx").rglob("*.docx"))
    profile = work / "lo-profile"
    # one warm-up conversion so LibreOffice's first-start cost is not counted
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work / "warm"), str(docs[0])],
                   check=True, capture_output=True)
    t = time.perf_counter()
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work / "lo"), *map(str, docs)],
                   check=True, capture_output=True)
    lo = time.perf_counter() - t
    # likewise the fonts prepared once for the repository (as by any earlier build), not counted
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from generator import fonts; "
                    "fonts.prepare_fonts(Path(sys.argv[1]) / '.cache')", str(ROOT)], check=True)
    t = time.perf_counter()
    subprocess.run([*gen, "--format", "pdf", "--no-cache", "--out", str(work / "ours")], check=True)
    ours = time.perf_counter() - t
    lo_sizes = [p.stat().st_size for p in (work / "lo").glob("*.pdf")]
    our_sizes = [p.stat().st_size for p in (work / "ours").rglob("*.pdf")]
    shutil.rmtree(work, ignore_errors=True)
    return {"forms": len(docs), "lo_s": lo, "ours_s": ours, "ratio": ours / lo,
            "lo_kb": sum(lo_sizes) / 1024, "ours_kb": sum(our_sizes) / 1024}


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"] or "")
        elif tag == "link" and a.get("rel") in ("stylesheet", "icon") and a.get("href"):
            self.urls.append(a["href"] or "")
        elif tag == "img" and a.get("src"):
            self.urls.append(a["src"] or "")


def _page_weight(site: Path, page: str) -> dict:
    html_path = site / page / "index.html" if not page.endswith(".html") else site / page
    html = html_path.read_bytes()
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    total, gz = len(html), len(gzip.compress(html))
    for url in parser.urls:
        if re.match(r"^[a-z]+:", url):
            continue
        asset = (html_path.parent / url.split("?")[0]).resolve()
        if asset.is_file():
            data = asset.read_bytes()
            total += len(data)
            gz += len(gzip.compress(data))
    return {"page": page or "/", "raw_kb": total / 1024, "gzip_kb": gz / 1024, "assets": len(parser.urls)}


def _top(prof: cProfile.Profile, n: int = 18) -> str:
    stream = io.StringIO()
    pstats.Stats(prof, stream=stream).sort_stats("cumulative").print_stats(n)
    return stream.getvalue().split("\n", 4)[-1].strip()


def bench_profile() -> list[str]:
    """cProfile of an in-process build of the real calls (warm cache) and of rendering all
    forms as print PDFs without cache (the slowest stage at scale); top functions of each."""
    from generator.load import load
    from generator.pipeline import build
    from generator.render import pdf

    work = Path(tempfile.mkdtemp(prefix="bench-prof-"))
    prof = cProfile.Profile()
    prof.enable()
    report = build(ROOT, work / "site", today=dt.date.fromisoformat(TODAY))
    prof.disable()
    steps = ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items())
    out = ["### A build of the real calls (warm cache, in process)", "", f"Steps: {steps}", "",
           "```", _top(prof), "```", ""]
    jobs = pdf.jobs_for(load(ROOT / "data" / "calls", ROOT))
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    for job in jobs:
        job.render(work / "cache")
    prof.disable()
    seconds = time.perf_counter() - t
    kinds = {v: sum(v in j.variants for j in jobs) for v in ("print", "fillable", "guide")}
    out += [f"### Every PDF of the real calls, no result cache, one process ({seconds:.1f} s under the profiler: "
            + ", ".join(f"{n} {k}" for k, n in kinds.items()) + "; a form's two variants from one layout)",
            "", "```", _top(prof, 24), "```"]
    shutil.rmtree(work, ignore_errors=True)
    return out


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    lo = subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip()
    import weasyprint
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, {lo}")


#: Hand-written analysis (why a target is missed, what would help), appended to the results.
NOTES = ROOT / "bench" / "notes.md"
#: The targets of issue #10 on a 2-core machine.
FIVE_WARM_S, ONE_CHANGED_S, THOUSAND_COLD_S, PEAK_MB, FORM_PDF_S, LO_RATIO, PAGE_KB = (
    10.0, 3.0, 300.0, 1024.0, 0.5, 0.5, 500.0)


#: The targets of issue #21: 1,000 calls cold (s), site bytes at 1,000 calls, preview (s) at
#: 5 and 100 calls, search data a phone fetches (gzip bytes) at 1,000 calls.
SITE_1000_BYTES, PREVIEW_S, INDEX_GZIP_BYTES = 1024**3, {5: 1.0, 100: 2.0}, 2 * 1024**2
#: Machines (CI shard jobs) in the projection: as many as the workflows' matrix.
SHARD_MACHINES, MACHINE_CORES = 4, 2


def _verdict(ok: bool, miss: str) -> str:
    return "met" if ok else f"missed by {miss}"


def targets(builds: list[dict], forms: dict, lo: dict, weights: list[dict], previews: Sequence[dict] = (),
            shards: dict | None = None) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for every target the run measured."""
    rows: list[tuple[str, str, str]] = []
    by_n = {b["n"]: b for b in builds}
    five = by_n.get(min(by_n))
    if five and "warm" in five:
        w = five["warm"]["wall"]
        rows.append((f"{five['n']} calls, full build with warm caches ≤ {FIVE_WARM_S:.0f} s", f"{w:.1f} s",
                     _verdict(w <= FIVE_WARM_S, f"{w - FIVE_WARM_S:.1f} s")))
    if five and "one_changed" in five:
        one = five["one_changed"]
        mk = one["timings"].get("mkdocs", 0.0)
        rest = one["wall"] - mk
        rows.append((f"after changing one call: ≤ {ONE_CHANGED_S:.0f} s plus the MkDocs stage",
                     f"{one['wall']:.1f} s, of which MkDocs {mk:.1f} s → {rest:.1f} s",
                     _verdict(rest <= ONE_CHANGED_S, f"{rest - ONE_CHANGED_S:.1f} s")))
    if 1000 in by_n:
        c = by_n[1000]["cold"]["wall"]
        rows.append((f"1,000 calls, full build cold ≤ {THOUSAND_COLD_S / 60:.0f} min", f"{c:.0f} s ({c / 60:.1f} min)",
                     _verdict(c <= THOUSAND_COLD_S, f"{(c - THOUSAND_COLD_S) / 60:.1f} min")))
    elif (line := _per_call(builds, lambda b: b["cold"]["wall"])) is not None:
        c = line[0] + 1000 * line[1]
        rows.append((f"1,000 calls, full build cold ≤ {THOUSAND_COLD_S / 60:.0f} min (one machine)",
                     f"{c:.0f} s ({c / 60:.1f} min), projected: {line[1]:.2f} s a call "
                     f"({builds[-2]['n']} → {builds[-1]['n']} calls) + {line[0]:.0f} s",
                     _verdict(c <= THOUSAND_COLD_S, f"{(c - THOUSAND_COLD_S) / 60:.1f} min")))
    if len(builds) >= 3:
        slopes = [(b["cold"]["wall"] - a["cold"]["wall"]) / (b["n"] - a["n"]) * 1000
                  for a, b in itertools.pairwise(builds)]
        linear = max(slopes) <= 1.25 * min(slopes)
        rows.append(("build time grows linearly", " → ".join(f"{s:.0f}" for s in slopes) + " ms per call",
                     "met" if linear else "missed: the slope grows"))
    peak = max(max(r["peak_mb"] for r in (b[k] for k in ("cold", "warm", "one_changed") if k in b)) for b in builds)
    rows.append((f"peak memory ≤ {PEAK_MB / 1024:.0f} GB", " / ".join(
        f"{max(b[k]['peak_mb'] for k in ('cold', 'warm', 'one_changed') if k in b):.0f} MB ({b['n']})" for b in builds),
        _verdict(peak <= PEAK_MB, f"{peak - PEAK_MB:.0f} MB")))
    worst_print = max(r["pdf_s"] for r in forms["rows"])
    worst_fill = max(r["fill_s"] for r in forms["rows"])
    rows.append((f"per-form PDF ≤ {FORM_PDF_S} s warm",
                 f"print ≤ {worst_print:.2f} s, fillable ≤ {worst_fill:.2f} s",
                 _verdict(max(worst_print, worst_fill) <= FORM_PDF_S,
                          f"{max(worst_print, worst_fill) - FORM_PDF_S:.2f} s (slowest form)")))
    rows.append((f"all forms in ≤ {LO_RATIO} × LibreOffice's time", f"{lo['ratio']:.2f} × "
                 f"({lo['ours_s']:.2f} s vs {lo['lo_s']:.2f} s)",
                 _verdict(lo["ratio"] <= LO_RATIO, f"{lo['ratio'] - LO_RATIO:.2f} ×")))
    if (line := _per_call(builds, lambda b: b["size"])) is not None:
        big = builds[-1]
        total = line[0] + 1000 * line[1]
        rows.append((f"whole site ≤ {SITE_1000_BYTES / 1024**3:.0f} GB at 1,000 calls (≤ 1 MB a call, "
                      "all downloads and the offline copy included)",
                     f"{total / 1024**2:.0f} MB projected ({line[1] / 1024:.0f} KB a call + "
                     f"{line[0] / 1024**2:.1f} MB); {big['n']} calls: {_mb(big['size'])} "
                     f"({big['size'] / big['n'] / 1024:.0f} KB a call)",
                     _verdict(total <= SITE_1000_BYTES, f"{(total - SITE_1000_BYTES) / 1024**2:.0f} MB")))
    if all("first_gzip" in b.get("index", {}) for b in builds) and (
            line := _per_call(builds, lambda b: b["index"]["first_gzip"])):
        fetched = line[0] + 1000 * line[1]
        folder = _per_call(builds, lambda b: b["index"]["gzip"])
        index = builds[-1]["index"]
        rows.append((f"search data a phone fetches on first search ≤ {INDEX_GZIP_BYTES / 1024**2:.0f} MB "
                     "gzip at 1,000 calls",
                     f"{fetched / 1024**2:.2f} MB on the wire projected (measured in Chromium: "
                     f"“{index['query']}”, {index['first_files']:.0f} files, "
                     f"{index['first_raw'] / 1024:.0f} KB on disk, {index['first_gzip'] / 1024:.0f} KB on "
                     f"the wire at {builds[-1]['n']} calls); whole index "
                     f"{index['raw'] / 1024**2:.1f} MB in {index['files']:.0f} files"
                     + (f", {(folder[0] + 1000 * folder[1]) / 1024**2:.0f} MB projected" if folder else ""),
                     _verdict(fetched <= INDEX_GZIP_BYTES, f"{(fetched - INDEX_GZIP_BYTES) / 1024**2:.1f} MB")))
    for p in previews:
        limit = PREVIEW_S.get(p["n"])
        if limit is None:
            continue
        if p["edit_s"] is None:
            rows.append((f"preview at {p['n']} calls: save → page ≤ {limit:.0f} s", "not seen in 120 s",
                         "missed"))
        else:
            edit = p["edit_s"]
            rows.append((f"preview at {p['n']} calls: save → page ≤ {limit:.0f} s", f"{edit:.1f} s",
                         _verdict(edit <= limit, f"{edit - limit:.1f} s")))
    if shards:
        sh = shards
        per_call = sum(sh["shard_s"]) / sh["n"]  # core-seconds: each shard had one core
        assemble_1000 = sh["assemble"]["wall"] * 1000 / sh["n"]
        wall_1000 = 1000 / SHARD_MACHINES * per_call / MACHINE_CORES + assemble_1000
        rows.append((f"rendering shards across CI machines: 1,000 calls cold ≤ {THOUSAND_COLD_S / 60:.0f} min "
                     f"on {SHARD_MACHINES} machines of {MACHINE_CORES} cores",
                     f"{wall_1000:.0f} s projected ({sh['count']} local shard processes, {sh['n']} calls: "
                     f"{per_call:.2f} core-s a call; assembling build {sh['assemble']['wall']:.1f} s, "
                     f"{sh['rendered_again']} cache entries rendered again)",
                     _verdict(wall_1000 <= THOUSAND_COLD_S and sh["rendered_again"] == 0,
                              f"{(wall_1000 - THOUSAND_COLD_S) / 60:.1f} min")))
    heaviest = max(w["gzip_kb"] for w in weights)
    rows.append((f"home and call page ≤ {PAGE_KB:.0f} KB transferred",
                 ", ".join(f"{w['page']} {w['gzip_kb']:.0f} KB gzip ({w['raw_kb']:.0f} KB raw)" for w in weights),
                 _verdict(heaviest <= PAGE_KB, f"{heaviest - PAGE_KB:.0f} KB")))
    return rows


def write_results(figures: dict) -> str:
    builds, previews, forms = figures["builds"], figures["previews"], figures["forms"]
    lo, weights, profile = figures["lo"], figures["weights"], figures["profile"]
    lines = [
        "# Benchmark results",
        "",
        f"Measured by `nox -s bench` on {figures['date']}; machine: {figures['machine']}."
        + (" Load average (5 min) of the machine, which others used meanwhile: "
           f"{figures['load'][0]:.1f} at the start, {figures['load'][1]:.1f} at the end."
           if figures.get("load") else ""),
        ("All figures come from one run" + (", except where the LibreOffice comparison says it was "
                                             "measured again" if lo.get("remeasured") else "")
         + ". Cold = empty `.cache`; warm = second build; "
        "one changed = rebuild after editing one call's summary (each build is a new process, "
        "as `python -m generator build` is)."),
        "",
        "## Against the targets",
        "",
        "| target | measured | verdict |",
        "| --- | --- | --- |",
        *(f"| {t} | {m} | {v} |" for t, m, v in targets(builds, forms, lo, weights, previews,
                                                        figures.get("shards"))),
        "",
        "## Full builds",
        "",
        "| calls | cold (s) | warm (s) | one changed (s) | peak RSS (MB) | site size | steps, cold (s) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for b in builds:
        steps = ", ".join(f"{k} {v:.1f}" for k, v in b["cold"]["timings"].items() if k != "total")
        runs = [b[k] for k in ("cold", "warm", "one_changed") if k in b]
        peak = max(r["peak_mb"] for r in runs)
        warm = f"{b['warm']['wall']:.1f}" if "warm" in b else "–"
        changed = f"{b['one_changed']['wall']:.1f}" if "one_changed" in b else "–"
        lines.append(f"| {b['n']} | {b['cold']['wall']:.1f} | {warm} | {changed} | {peak:.0f} | "
                     f"{_mb(b['size'])} | {steps} |")
    lines += ["", "Steps of the warm and one-changed rebuilds (s; the rest of the wall time is Python start-up "
              "and imports):", ""]
    for b in builds:
        for kind in ("warm", "one_changed"):
            if kind in b:
                steps = ", ".join(f"{k} {v:.2f}" for k, v in b[kind]["timings"].items() if k != "total")
                lines.append(f"- {b['n']} calls, {kind.replace('_', ' ')}: {steps}")
    if len(builds) >= 2:
        a, b = builds[-2], builds[-1]
        slope = (b["cold"]["wall"] - a["cold"]["wall"]) / (b["n"] - a["n"])
        lines += ["", f"Slope {a['n']} → {b['n']} calls (cold): {slope * 1000:.0f} ms per call."]
    if all("parts" in b for b in builds):
        names = list(builds[0]["parts"])
        lines += ["", "## Site size by kind (cold build; MB, and KB a call)", "",
                  "| calls | " + " | ".join(names) + " | total |",
                  "| ---: | " + " | ".join("---:" for _ in names) + " | ---: |"]
        for b in builds:
            cells = [f"{b['parts'][k] / 1024**2:.1f} ({b['parts'][k] / b['n'] / 1024:.0f})" for k in names]
            lines.append(f"| {b['n']} | " + " | ".join(cells) + f" | {_mb(b['size'])} |")
    if figures.get("shards"):
        sh = figures["shards"]
        lines += ["", "## Rendering in shards (stand-in for CI machines)", "",
                  f"{sh['count']} processes `render --shard I/{sh['count']}` over the {sh['n']}-call repository "
                  f"at the same time, one core and an empty cache each: "
                  + ", ".join(f"{t:.1f} s" for t in sh["shard_s"]) + f" (all done after {sh['wall']:.1f} s). "
                  f"The assembling build (a new checkout whose cache holds only the shards' {sh['entries']} "
                  f"exported entries) took {sh['assemble']['wall']:.1f} s and rendered "
                  f"{sh['rendered_again']} entries again (that its site is byte for byte a plain "
                  "build's is checked by tests/test_shard.py)."]
    if previews:
        lines += ["", "## Live preview (`python -m generator serve`, warm cache)", "",
                  "| calls | serving after (s) | edit saved → page shows it (s) |", "| ---: | ---: | ---: |"]
        for p in previews:
            up = "–" if p["up_s"] is None else f"{p['up_s']:.1f}"
            edit = "not seen in 120 s" if p["edit_s"] is None else f"{p['edit_s']:.1f}"
            lines.append(f"| {p['n']} | {up} | {edit} |")
    lines += [
        "",
        "## Forms (real data, warm, in process)",
        "",
        "| form | DOCX s | DOCX KB | PDF s | PDF KB | pages | KB/page | fillable s | fillable KB "
        "| both, one layout s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in forms["rows"]:
        both = f"{r['both_s']:.2f}" if "both_s" in r else "–"
        lines.append(f"| {r['form']} | {r['docx_s']:.2f} | {r['docx_kb']:.0f} | {r['pdf_s']:.2f} | "
                     f"{r['pdf_kb']:.0f} | {r['pages']} | {r['pdf_kb'] / max(r['pages'], 1):.0f} | "
                     f"{r['fill_s']:.2f} | {r['fill_kb']:.0f} | {both} |")
    lines += [
        "",
        "## Our PDF rendering versus LibreOffice",
        "",
        f"{lo['forms']} forms. `python -m generator forms --format pdf --no-cache` (whole process): "
        f"{lo['ours_s']:.2f} s; LibreOffice headless converting the same forms' DOCX (warm profile): "
        f"{lo['lo_s']:.2f} s. Ratio ours / LibreOffice = **{lo['ratio']:.2f}** (target ≤ 0.5). "
        f"Total size: ours {lo['ours_kb']:.0f} KB, LibreOffice {lo['lo_kb']:.0f} KB."
        + (" Measured again after the run (see the notes)." if lo.get("remeasured") else ""),
        "",
        "## Page weight (uncompressed and gzip, page plus its CSS/JS/images)",
        "",
        "| page | raw KB | gzip KB | assets |",
        "| --- | ---: | ---: | ---: |",
    ]
    for w in weights:
        lines.append(f"| {w['page']} | {w['raw_kb']:.0f} | {w['gzip_kb']:.0f} | {w['assets']} |")
    lines += ["", "## Profiles", "", *profile, ""]
    if figures.get("importer"):
        lines += importer.section(figures["importer"])
    if NOTES.is_file():
        lines += [NOTES.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default="5,100,1000", help="call counts to build (default 5,100,1000)")
    parser.add_argument("--results", default=str(RESULTS), help="where to write the table (default bench/results.md)")
    parser.add_argument("--warm-up-to", type=int, default=100,
                        help="warm and one-changed rebuilds only up to this many calls (default 100)")
    parser.add_argument("--rewrite", action="store_true",
                        help="only write the table again from the last run's figures (bench/out/figures.json), "
                             "e.g. after editing bench/notes.md")
    args = parser.parse_args()
    figures_file = OUT / "figures.json"
    if args.rewrite:
        figures = json.loads(figures_file.read_text(encoding="utf-8"))
    else:
        sizes = [int(s) for s in args.sizes.split(",") if s]
        OUT.mkdir(parents=True, exist_ok=True)
        load_before = os.getloadavg()[1]
        figures = {"builds": bench_builds(sizes, args.warm_up_to)}
        figures["previews"] = [bench_preview(n) for n in sizes if n <= args.warm_up_to]
        print(f"preview: {json.dumps(figures['previews'])}", flush=True)
        sharded = [n for n in sizes if n <= args.warm_up_to]
        figures["shards"] = bench_shards(max(sharded)) if sharded else None
        print(f"shards: {json.dumps(figures['shards'])}", flush=True)
        figures["forms"] = bench_forms()
        figures["lo"] = bench_libreoffice()
        site = OUT / f"repo-{sizes[0]}" / "site"
        first_call = sorted((site / "calls").iterdir())[0].relative_to(site)
        figures["weights"] = [_page_weight(site, ""), _page_weight(site, str(first_call))]
        figures["profile"] = bench_profile()
        figures["importer"] = importer.run()
        figures["machine"] = _machine()
        figures["load"] = [load_before, os.getloadavg()[1]]
        figures["date"] = dt.date.today().isoformat()
        figures_file.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    results = Path(args.results)
    results.write_text(write_results(figures), encoding="utf-8")
    print(f"wrote {results}")


if __name__ == "__main__":
    main()
