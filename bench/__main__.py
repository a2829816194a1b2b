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
from html.parser import HTMLParser
from pathlib import Path

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


def bench_builds(sizes: list[int], cold_only: bool = False) -> list[dict]:
    rows = []
    for n in sizes:
        repo = make_repo(ROOT, OUT / f"repo-{n}", n)
        shutil.rmtree(repo / ".cache", ignore_errors=True)
        cold = _run_build(repo, repo / "site")
        row = {"n": n, "cold": cold, "size": _dir_size(repo / "site")}
        if not cold_only:
            row["warm"] = _run_build(repo, repo / "site")
            # change one call and rebuild
            one = sorted((repo / "data" / "calls").glob("*.yaml"))[0]
            text = one.read_text(encoding="utf-8")
            one.write_text(text.replace("summary: ", "summary: 【已更正】", 1), encoding="utf-8")
            row["one_changed"] = _run_build(repo, repo / "site")
        rows.append(row)
        print(f"{n} calls: {json.dumps(row)}", flush=True)
    return rows


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
            pdf_render.form_pdf(call, form)  # warm fonts and templates
            t = time.perf_counter()
            p = pdf_render.form_pdf(call, form)
            t_pdf = time.perf_counter() - t
            t = time.perf_counter()
            f = pdf_render.form_pdf(call, form, fillable=True)
            t_fill = time.perf_counter() - t
            pages = len(PdfReader(io.BytesIO(p)).pages)
            rows.append({
                "form": f"{call.id}/{form.id}", "title": form.title,
                "docx_s": t_docx, "docx_kb": len(d) / 1024,
                "pdf_s": t_pdf, "pdf_kb": len(p) / 1024, "pages": pages,
                "fill_s": t_fill, "fill_kb": len(f) / 1024,
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


def bench_profile() -> str:
    """cProfile of one in-process build of the real calls; the top functions by cumulative time."""
    from generator.pipeline import build

    out = Path(tempfile.mkdtemp(prefix="bench-prof-")) / "site"
    prof = cProfile.Profile()
    prof.enable()
    report = build(ROOT, out, today=dt.date.fromisoformat(TODAY))
    prof.disable()
    shutil.rmtree(out.parent, ignore_errors=True)
    stream = io.StringIO()
    pstats.Stats(prof, stream=stream).sort_stats("cumulative").print_stats(18)
    steps = ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items())
    return f"Steps (in-process, warm cache): {steps}\n\n" + stream.getvalue().split("\n", 4)[-1]


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


def write_results(builds, forms, lo, weights, profile) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Measured by `nox -s bench` on {dt.date.today().isoformat()}; machine: {_machine()}.",
        "All figures come from one run. Cold = empty `.cache`; warm = second build; "
        "one changed = rebuild after editing one call's summary.",
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
    if len(builds) >= 2:
        a, b = builds[-2], builds[-1]
        slope = (b["cold"]["wall"] - a["cold"]["wall"]) / (b["n"] - a["n"])
        lines += ["", f"Slope {a['n']} → {b['n']} calls (cold): {slope * 1000:.0f} ms per call."]
    lines += [
        "",
        "## Forms (real data, warm, in process)",
        "",
        "| form | DOCX s | DOCX KB | PDF s | PDF KB | pages | KB/page | fillable s | fillable KB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in forms["rows"]:
        lines.append(f"| {r['form']} | {r['docx_s']:.2f} | {r['docx_kb']:.0f} | {r['pdf_s']:.2f} | "
                     f"{r['pdf_kb']:.0f} | {r['pages']} | {r['pdf_kb'] / max(r['pages'], 1):.0f} | "
                     f"{r['fill_s']:.2f} | {r['fill_kb']:.0f} |")
    lines += [
        "",
        "## Our PDF rendering versus LibreOffice",
        "",
        f"{lo['forms']} forms. `python -m generator forms --format pdf --no-cache` (whole process): "
        f"{lo['ours_s']:.2f} s; LibreOffice headless converting the same forms' DOCX (warm profile): "
        f"{lo['lo_s']:.2f} s. Ratio ours / LibreOffice = **{lo['ratio']:.2f}** (target ≤ 0.5). "
        f"Total size: ours {lo['ours_kb']:.0f} KB, LibreOffice {lo['lo_kb']:.0f} KB.",
        "",
        "## Page weight (uncompressed and gzip, page plus its CSS/JS/images)",
        "",
        "| page | raw KB | gzip KB | assets |",
        "| --- | ---: | ---: | ---: |",
    ]
    for w in weights:
        lines.append(f"| {w['page']} | {w['raw_kb']:.0f} | {w['gzip_kb']:.0f} | {w['assets']} |")
    lines += ["", "## Profile of a build of the real calls", "", "```", profile.strip(), "```", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default="5,100,1000", help="call counts to build (default 5,100,1000)")
    parser.add_argument("--results", default=str(RESULTS), help="where to write the table (default bench/results.md)")
    parser.add_argument("--cold-only", action="store_true", help="skip the warm and one-changed rebuilds")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    OUT.mkdir(parents=True, exist_ok=True)
    builds = bench_builds(sizes, cold_only=args.cold_only)
    forms = bench_forms()
    lo = bench_libreoffice()
    site = OUT / f"repo-{sizes[0]}" / "site"
    first_call = sorted((site / "calls").iterdir())[0].relative_to(site)
    weights = [_page_weight(site, ""), _page_weight(site, str(first_call))]
    profile = bench_profile()
    results = Path(args.results)
    results.write_text(write_results(builds, forms, lo, weights, profile), encoding="utf-8")
    print(f"wrote {results}")


if __name__ == "__main__":
    main()
