"""Benchmark: page-by-page rendering, the proof server's warm updates and batch throughput.

In one run (interleaved, best of N, because the machine may be busy) it prints:

* cold `layout render` of the sample (a fresh process and an empty cache: photos, pages);
* a generated 16-page issue (the sample's pages eight times, in a temporary folder): `layout`'s
  page-by-page render with an empty page cache (photos prepared) against plain WeasyPrint on the
  same issue's whole HTML (`weasyprint.HTML(string=html).write_pdf()`), in this process;
* the proof server's warm update: from saving an edited headline to the new page PNG, and to
  the updated zoomed view (the reading view at 200 dpi: zoom.json, then the changed layers' PNGs);
* `layout batch` throughput with -j1 and -j2 (distinct copies of the sample, empty page cache);
* peak RSS of every worker process.

    python bench/bench_render.py [-n 2] [--edits 5] [--issues 12] [--only-server]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "issues" / "2026-changzhi-lianghui"
LAYOUT = [sys.executable, "-m", "layout.cli"]
OLD = "下绣花功夫 群策群力优机制"


def make_issue(folder: Path, repeat: int = 8, title: str = "") -> Path:
    """A copy of the sample whose pages repeat `repeat` times (YAML without aliases)."""
    shutil.copytree(SAMPLE, folder)
    data = yaml.safe_load((SAMPLE / "issue.yaml").read_text(encoding="utf-8"))
    data["pages"] = [dict(page) for _ in range(repeat) for page in data["pages"]]
    data["title"] = title or data["title"]

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True
    (folder / "issue.yaml").write_text(yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    return folder


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def cold_cli_render(issue: Path, work: Path, env: dict) -> float:
    cache = Path(tempfile.mkdtemp(dir=work))
    return timed(lambda: subprocess.run([*LAYOUT, "render", str(issue), "-o", str(work / "cold")], check=True,
                                        env={**env, "LAYOUT_CACHE": str(cache)}, capture_output=True))


def paged_vs_plain(issue: Path, work: Path, rounds: int) -> dict:
    """Best-of times of layout's page-by-page render (empty page cache) and plain WeasyPrint."""
    import weasyprint

    from layout.pagerender import RenderPool, write_issue
    cache = work / "cache16"
    paged, plain, peaks = [], [], {}
    with RenderPool(2) as pool:
        result = write_issue(issue, work / "out16", pool=pool, cache_dir=cache, html=True)   # photos, warm-up
        html = (work / "out16" / f"{issue.name}.html").read_text(encoding="utf-8")
        base = (ROOT / "templates" / "newspaper").as_uri() + "/"
        for _ in range(rounds):
            shutil.rmtree(cache / "pages", ignore_errors=True)
            paged.append(timed(lambda: write_issue(issue, work / "out16", pool=pool, cache_dir=cache)))
            plain.append(timed(lambda: weasyprint.HTML(string=html, base_url=base).write_pdf(work / "plain.pdf")))
        shutil.rmtree(cache / "pages", ignore_errors=True)
        result = write_issue(issue, work / "out16", pool=pool, cache_dir=cache)
        peaks = result.worker_rss_mb
    return {"pages": result.page_count, "paged": min(paged), "plain": min(plain), "all_paged": paged,
            "all_plain": plain, "worker_rss_mb": peaks}


def server_latency(work: Path, edits: int, env: dict) -> dict:
    """Median and worst time from saving an edited headline to the new PNG being served."""
    issue = work / "served"
    shutil.copytree(SAMPLE, issue)
    process = subprocess.Popen([*LAYOUT, "serve", str(issue), "--port", "0"], env=env,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        url = _server_url(process)
        version = _state(url, -1)["version"]
        source, times, layers = (issue / "issue.yaml").read_text(encoding="utf-8"), [], []
        for n in range(edits):
            headline = f"第{n}次改稿 群策群力"
            started = time.perf_counter()
            (issue / "issue.yaml").write_text(source.replace(OLD, headline), encoding="utf-8")
            state = _wait_for(url, version, headline)
            png = urllib.request.urlopen(url + state["pages"][1]["png"].lstrip("/")).read()
            times.append(time.perf_counter() - started)
            assert png.startswith(b"\x89PNG")
            version, layers = state["version"], layers + [state["build"]["rendered_layers"]]
            time.sleep(0.3)
        return {"median": statistics.median(times), "worst": max(times), "all": times, "layers": layers}
    finally:
        process.terminate()
        process.wait(timeout=30)


def zoomed_latency(work: Path, edits: int, env: dict, body: bool = False) -> dict:
    """Median and worst time from saving an edited headline (or a word of a body paragraph, which
    reflows the story's later columns) to the reading view of its page at 200 dpi being up to
    date: zoom.json, then every layer PNG whose key changed."""
    issue = work / ("zoomed-body" if body else "zoomed")
    shutil.copytree(SAMPLE, issue)
    process = subprocess.Popen([*LAYOUT, "serve", str(issue), "--port", "0"], env=env,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        url = _server_url(process)
        version = _state(url, -1)["version"]
        view = _zoom_view(url, 2)                       # the page opened: its zoomed layers rendered
        source, times, fetched = (issue / "issue.yaml").read_text(encoding="utf-8"), [], []
        for n in range(edits):
            headline = f"第{n}次改稿 群策群力"
            started = time.perf_counter()
            edited = source.replace("检查检查", f"第{n}次检查") if body else source.replace(OLD, headline)
            (issue / "issue.yaml").write_text(edited, encoding="utf-8")
            state = _state(url, version) if body else _wait_for(url, version, headline)
            new = _zoom_view(url, 2)
            changed = [layer for layer in new["layers"] if layer not in view["layers"]]
            for layer in changed:
                png = urllib.request.urlopen(f"{url}page/2/layer/{layer['index']}.png?k={layer['key']}").read()
                assert png.startswith(b"\x89PNG")
            times.append(time.perf_counter() - started)
            version, view, fetched = state["version"], new, fetched + [len(changed)]
            time.sleep(0.3)
        return {"median": statistics.median(times), "worst": max(times), "all": times, "layers": fetched}
    finally:
        process.terminate()
        process.wait(timeout=30)


def _zoom_view(url: str, number: int) -> dict:
    with urllib.request.urlopen(f"{url}page/{number}/zoom.json", timeout=120) as response:
        return json.load(response)


def _server_url(process) -> str:
    for line in process.stderr:
        if match := re.search(r"on (http://127\.0\.0\.1:\d+/)", line):
            return match.group(1)
    raise RuntimeError("layout serve did not start")


def _state(url: str, since: int) -> dict:
    with urllib.request.urlopen(f"{url}state?since={since}", timeout=60) as response:
        return json.load(response)


def _wait_for(url: str, version: int, headline: str) -> dict:
    while True:
        state = _state(url, version)
        if headline in state["pages"][1]["headlines"]:
            return state
        version = state["version"]


def batch_throughput(work: Path, count: int, jobs: int, env: dict, images: Path) -> dict:
    """Issues and pages per second of `layout batch -j jobs` (empty page cache, photos prepared)."""
    folder = work / f"batch-{jobs}"
    for n in range(count):
        make_issue(folder / f"issue-{n}", repeat=1, title=f"批量测试 {jobs}-{n}")
    cache = work / f"batch-cache-{jobs}"
    shutil.copytree(images, cache / "images")
    out = work / f"batch-out-{jobs}"
    seconds = timed(lambda: subprocess.run([*LAYOUT, "batch", str(folder), "-j", str(jobs), "-o", str(out)],
                                           env={**env, "LAYOUT_CACHE": str(cache)}, capture_output=True))
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    pages = sum(issue["pages"] for issue in report["issues"])
    return {"seconds": seconds, "issues_per_s": count / seconds, "pages_per_s": pages / seconds,
            "failed": report["summary"]["failed"], "worker_rss_mb": report["worker_peak_rss_mb"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=2)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--issues", type=int, default=12)
    parser.add_argument("--only-server", action="store_true", help="Only the proof server's edit times.")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        work = Path(tmp)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
        zoomed = zoomed_latency(work, args.edits, env)
        print(f"server, edit headline -> updated zoomed view (200 dpi): median {zoomed['median']:.3f} s, "
              f"worst {zoomed['worst']:.3f} s (all: {_list(zoomed['all'])}; layers fetched per edit: "
              f"{zoomed['layers']})")
        zoomed = zoomed_latency(work, args.edits, env, body=True)
        print(f"server, edit a body word (reflows later columns) -> updated zoomed view: median "
              f"{zoomed['median']:.3f} s, worst {zoomed['worst']:.3f} s (all: {_list(zoomed['all'])}; "
              f"layers fetched per edit: {zoomed['layers']})")
        if args.only_server:
            served = server_latency(work, args.edits, env)
            print(f"server, edit headline -> new PNG: median {served['median']:.3f} s, "
                  f"worst {served['worst']:.3f} s (all: {_list(served['all'])})")
            return
        sample = min(cold_cli_render(SAMPLE, work, env) for _ in range(args.rounds))
        print(f"cold `layout render` of the sample (new process, empty cache): {sample:.2f} s")
        sixteen = paged_vs_plain(make_issue(work / "issue16"), work, args.rounds)
        print(f"{sixteen['pages']}-page issue, page cache empty: layout {sixteen['paged']:.2f} s, "
              f"plain WeasyPrint {sixteen['plain']:.2f} s, ratio {sixteen['paged'] / sixteen['plain']:.2f} "
              f"(all: {_list(sixteen['all_paged'])} / {_list(sixteen['all_plain'])})")
        print(f"  worker peak RSS: {_mb(sixteen['worker_rss_mb'])}")
        cold16 = cold_cli_render(work / "issue16", work, env)
        print(f"cold `layout render` of the 16-page issue (new process, empty cache): {cold16:.2f} s")
        served = server_latency(work, args.edits, env)
        print(f"server, edit headline -> new PNG: median {served['median']:.3f} s, worst {served['worst']:.3f} s "
              f"(all: {_list(served['all'])}; layers rendered per edit: {served['layers']})")
        images = work / "cache16" / "images"
        one, two = (batch_throughput(work, args.issues, jobs, env, images) for jobs in (1, 2))
        print(f"batch of {args.issues} issues: -j1 {one['pages_per_s']:.2f} pages/s ({one['seconds']:.1f} s), "
              f"-j2 {two['pages_per_s']:.2f} pages/s ({two['seconds']:.1f} s), "
              f"speed-up {two['pages_per_s'] / one['pages_per_s']:.2f}x")
        print(f"  worker peak RSS: -j1 {_mb(one['worker_rss_mb'])}; -j2 {_mb(two['worker_rss_mb'])}")


def _list(values) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def _mb(peaks: dict) -> str:
    return ", ".join(f"{v:.0f} MB" for v in peaks.values()) or "-"


if __name__ == "__main__":
    main()
