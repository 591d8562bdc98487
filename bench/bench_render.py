"""Benchmark: page-by-page rendering, the proof server's warm updates and batch throughput.

In one run (interleaved, best of N, because the machine may be busy) it prints:

* cold `layout render` of the sample (a fresh process and an empty cache: photos, pages);
* a generated 16-page issue (the sample's pages eight times, in a temporary folder): `layout`'s
  page-by-page render with an empty page cache (photos prepared) against plain WeasyPrint on the
  same issue's whole HTML (`weasyprint.HTML(string=html).write_pdf()`), in this process;
* the proof server's warm update: from saving an edited headline to the new page PNG, and to
  the updated zoomed view (the reading view at 200 dpi: zoom.json, then the changed layers' PNGs);
* `layout batch` on its embedded Dask LocalCluster with -j1 and -j2 against the home-made pool
  it replaced (`RenderPool`, one issue per task) at -j2 (distinct copies of the sample, empty
  page cache), in ABBA order, medians of -n rounds: the cluster's overhead, the speed-up of 2
  workers over 1, seconds per page task on the workers, input bytes sent per page, and what the
  scheduler adds per task (no-op tasks through the same `connect`);
* peak RSS of every worker process;
* 1 against 2 workers of a standing cluster (a `dask scheduler` and `dask worker` processes,
  started and warmed by a first batch before the clock starts, as a newsroom runs one): `layout
  batch --scheduler` of new copies, ABBA, with the CPU seconds of the client, the scheduler and
  the workers, and the least wall time that CPU allows on this machine's cores; and what a second
  busy process costs each on this host (a pure-Python loop in two processes against one).

    python bench/bench_render.py [-n 2] [--edits 5] [--issues 12] [--only-server] [--batch-only]
                                 [--standing-only] [--distinct-photos] [--warm-photos]
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


def children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes waited for so far (their own
    waited-for children included): on a shared machine, what a run cost regardless of the load."""
    import resource
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
        result = write_issue(issue, work / "out16", pool=pool, cache_dir=cache)   # photos, warm-up
        html = result.whole_html()                 # the whole issue as one HTML, as `render --html` once wrote it
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


def batch_throughput(work: Path, count: int, jobs: int, env: dict, images: Path | None, tag: str = "") -> dict:
    """Issues and pages per second of `layout batch -j jobs` (empty page cache, photos prepared
    when `images` is given), with the seconds the page tasks took on the workers."""
    folder, cache, out = batch_inputs(work, f"dask-{jobs}{tag}", count, images)
    cpu = children_cpu()
    seconds = timed(lambda: subprocess.run([*LAYOUT, "batch", str(folder), "-j", str(jobs), "-o", str(out)],
                                           env={**env, "LAYOUT_CACHE": str(cache)}, capture_output=True))
    cpu = children_cpu() - cpu                       # the client (the embedded cluster's workers: below)
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    pages = sum(issue["pages"] for issue in report["issues"])
    cpu += report.get("workers_cpu_seconds", 0.0)    # forked from a fork server, not waited for here
    runs = [run for issue in report["issues"] for run in issue["page_runs"]]
    peaks: dict[str, float] = {}
    for run in runs:
        peaks[run["worker"]] = max(run["peak_rss_mb"], peaks.get(run["worker"], 0.0))
    return {"seconds": seconds, "cpu": cpu, "issues_per_s": count / seconds, "pages_per_s": pages / seconds,
            "pages": pages,
            "failed": report["summary"]["failed"], "worker_rss_mb": peaks,
            "task_seconds": sum(run["seconds"] for run in runs), "bytes_per_page": pdf_bytes(out) / pages,
            "inputs_sent": report.get("inputs_sent", {"files": 0, "bytes": 0})}


#: `--distinct-photos`: every copy's photos are other files (no photo shared between issues)
DISTINCT = False


def batch_inputs(work: Path, tag: str, count: int, images: Path | None) -> tuple[Path, Path, Path]:
    folder = work / f"batch-{tag}"
    for n in range(count):
        make_issue(folder / f"issue-{n}", repeat=1, title=f"批量测试 {tag}-{n}")
        if DISTINCT:
            distinct_photos(folder / f"issue-{n}", f"{tag}-{n}")
    cache = work / f"batch-cache-{tag}"
    if images is not None:
        shutil.copytree(images, cache / "images")
    return folder, cache, work / f"batch-out-{tag}"


def warm_photos(work: Path, env: dict) -> Path:
    """The sample's photos prepared for its frames (by one `layout render`), to copy into each
    batch's cache: what the batch then measures is planning and pages, not photo preparation."""
    cache = work / "warm-photos"
    subprocess.run([*LAYOUT, "render", str(SAMPLE), "-o", str(work / "warm-out")], check=True, capture_output=True,
                   env={**env, "LAYOUT_CACHE": str(cache)})
    return cache / "images"


def distinct_photos(issue: Path, mark: str) -> None:
    """Make each JPEG of the issue a file of its own: a comment segment (COM) naming `mark`
    after its start-of-image marker (the pixels are the same; the bytes, hence every hash, not)."""
    for photo in (issue / "images").glob("*.jpg"):
        data = photo.read_bytes()
        comment = f"bench {mark}".encode()
        photo.write_bytes(data[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + data[2:])


def pdf_bytes(out: Path) -> int:
    return sum(path.stat().st_size for path in out.glob("*.pdf"))


#: the batch before Dask: one issue per task in forked RenderPool workers, render and check (as
#: `layout batch` was)
OLD_POOL = """
import sys
from pathlib import Path
from layout.pagerender import RenderPool, write_issue
from layout.pipeline import with_preflight
def one(issue, out):
    result = write_issue(issue, out, skip_unchanged=True)
    with_preflight(result.findings, result.issue, result.plans)
    return result.page_count
folder, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
with RenderPool(jobs, always_fork=True) as pool:
    futures = [pool.submit(one, issue, out) for issue in sorted(folder.iterdir())]
    print(sum(f.result() for f in futures))
"""


def old_pool_throughput(work: Path, count: int, jobs: int, env: dict, images: Path | None, tag: str = "") -> dict:
    folder, cache, out = batch_inputs(work, f"pool-{jobs}{tag}", count, images)
    cpu = children_cpu()
    seconds = timed(lambda: subprocess.run([sys.executable, "-c", OLD_POOL, str(folder), str(out), str(jobs)],
                                           env={**env, "LAYOUT_CACHE": str(cache)}, capture_output=True, check=True))
    pages = len(list(out.glob("*.pdf"))) * 2
    return {"seconds": seconds, "cpu": children_cpu() - cpu, "pages_per_s": pages / seconds}


def compare_batches(work: Path, count: int, env: dict, images: Path | None, rounds: int = 2) -> None:
    """The pool at -j2 against the LocalCluster at -j2 and -j1, in ABBA order (pool, cluster,
    cluster, pool, ...: the machine is shared, so each pair runs under the same load), medians
    printed; then what the scheduler adds per task (no-op tasks through the same client)."""
    runs: dict[str, list[dict]] = {"pool": [], "two": [], "one": []}
    order = [("pool", "two", "one"), ("one", "two", "pool")]
    for n in range(rounds):
        for which in order[n % 2]:
            tag = f"{which}-{n}"
            if which == "pool":
                runs[which].append(old_pool_throughput(work, count, 2, env, images, tag))
            else:
                runs[which].append(batch_throughput(work, count, 2 if which == "two" else 1, env, images, tag))
    med = {which: statistics.median(r["seconds"] for r in done) for which, done in runs.items()}
    two, one = runs["two"][-1], runs["one"][-1]
    print(f"batch of {count} issues ({two['pages']} pages), medians of {rounds}: old pool -j2 {med['pool']:.1f} s; "
          f"LocalCluster -j2 {med['two']:.1f} s (overhead {med['two'] / med['pool'] - 1:+.0%}), -j1 {med['one']:.1f} s;"
          f" 2 workers vs 1: {med['one'] / med['two']:.2f}x")
    print("  all runs: " + "; ".join(f"{which} {_list(r['seconds'] for r in done)}" for which, done in runs.items()))
    cpu = {which: statistics.median(r["cpu"] for r in done) for which, done in runs.items()}
    print(f"  CPU seconds (all processes of a run; the machine's load does not change them much): old pool "
          f"{cpu['pool']:.1f}, LocalCluster -j2 {cpu['two']:.1f} ({cpu['two'] / cpu['pool'] - 1:+.0%}), "
          f"-j1 {cpu['one']:.1f}")
    per_task = statistics.median(r["task_seconds"] / r["pages"] for r in runs["two"])
    print(f"  page task on a worker: {per_task:.2f} s ({60 / per_task:.1f} pages/min/core); "
          f"wall per page -j1 {med['one'] / one['pages']:.2f} s; "
          f"PDF bytes per page {two['bytes_per_page'] / 1e3:.0f} kB; "
          f"input bytes sent per page {two['inputs_sent']['bytes'] / two['pages'] / 1e3:.0f} kB "
          f"({two['inputs_sent']['files']} distinct files)")
    print(f"  worker peak RSS: -j1 {_mb(one['worker_rss_mb'])}; -j2 {_mb(two['worker_rss_mb'])}")
    overhead = scheduler_overhead(env)
    print(f"  scheduler overhead: {overhead * 1e3:.1f} ms per no-op task (LocalCluster -j2, 500 tasks)")


DASK = Path(sys.executable).parent / "dask"


def standing_cluster(work: Path, count: int, jobs: int, env: dict, images: Path | None, tag: str) -> dict:
    """`layout batch --scheduler` on a cluster started before the clock starts, as a newsroom runs
    one: a `dask scheduler` and `jobs` `dask worker` processes (single-threaded, preloaded), warmed
    by a first batch of other copies (the workers' caches then hold the shared photos, prepared);
    then a batch of `count` new copies, timed, with the CPU seconds of the client, the scheduler
    and the workers during it."""
    import psutil
    from distributed import Client
    scheduler_file = work / f"scheduler-{tag}.json"
    worker_env = {**env, "LAYOUT_CACHE": str(work / f"worker-cache-{tag}")}
    processes = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(scheduler_file)], env=worker_env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        while not scheduler_file.exists():
            time.sleep(0.05)
        processes += [subprocess.Popen([str(DASK), "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                                        "--nworkers", "1", "--no-dashboard", "--host", "127.0.0.1",
                                        "--preload", "layout.cluster_preload", "--local-directory", str(work)],
                                       env=worker_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                      for _ in range(jobs)]
        with Client(scheduler_file=str(scheduler_file), timeout=30) as client:
            client.wait_for_workers(jobs, timeout=60)
            address = client.scheduler.address
            client.get_task_stream()                     # the scheduler records the tasks from now on
            runs = []
            for which in ("warm", "timed"):
                folder, cache, out = batch_inputs(work, f"standing-{tag}-{which}", count, images)
                before = [_tree_cpu(psutil.Process(p.pid)) for p in processes]
                client_cpu, started = children_cpu(), time.time()
                seconds = timed(lambda: subprocess.run(
                    [*LAYOUT, "batch", str(folder), "--scheduler", address, "-o", str(out)],
                    env={**env, "LAYOUT_CACHE": str(cache)}, capture_output=True, check=True))
                used = [_tree_cpu(psutil.Process(p.pid)) - b for p, b in zip(processes, before)]
                first = min(span["start"] for task in client.get_task_stream(start=started)
                            for span in task["startstops"] if span["action"] == "compute")
                runs.append({"seconds": seconds, "client": children_cpu() - client_cpu, "scheduler": used[0],
                             "workers": used[1:], "first_task": first - started})
        return runs[-1]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait()


def _tree_cpu(process) -> float:
    """CPU seconds (user + system) of a process and its children alive now (a `dask worker`'s
    nanny and its worker)."""
    import psutil
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def compare_standing(work: Path, count: int, env: dict, images: Path | None, rounds: int = 2) -> None:
    """1 against 2 workers of a standing cluster (`standing_cluster`), in ABBA order; then what
    the 2-worker run's CPU allows on this machine's cores: its CPU seconds over the cores are the
    least wall time it could take, even with every core busy from its first instant to its last;
    and, as no task can start before the client has read the issues, that start plus the rest of
    the CPU over the cores."""
    runs: dict[int, list[dict]] = {1: [], 2: []}
    for n in range(rounds):
        for jobs in ((1, 2), (2, 1))[n % 2]:
            runs[jobs].append(standing_cluster(work, count, jobs, env, images, f"{jobs}-{n}"))
    med = {jobs: statistics.median(r["seconds"] for r in done) for jobs, done in runs.items()}
    first = statistics.median(r["first_task"] for r in runs[2])
    print(f"standing cluster (dask scheduler + 1 or 2 dask workers, started and warmed before the clock), batch of "
          f"{count} issues, medians of {rounds}: 1 worker {med[1]:.1f} s, 2 workers {med[2]:.1f} s: "
          f"2 workers vs 1: {med[1] / med[2]:.2f}x")
    print("  all runs: " + "; ".join(f"{jobs} worker(s) {_list(r['seconds'] for r in done)}" for jobs, done in runs.items()))
    cores, total = os.cpu_count(), {}
    for jobs, done in runs.items():
        cpu = {part: statistics.median(_cpu_part(r, part) for r in done) for part in ("client", "scheduler", "workers")}
        total[jobs] = sum(cpu.values())
        print(f"  CPU seconds, {jobs} worker(s): client {cpu['client']:.2f}, scheduler {cpu['scheduler']:.2f}, "
              f"workers {cpu['workers']:.2f}; all {total[jobs]:.2f}")
    print(f"  on {cores} cores the 2-worker run's CPU takes at least {total[2] / cores:.2f} s: at most "
          f"{med[1] / (total[2] / cores):.2f}x against 1 worker")
    bound = first + (total[2] - first) / cores
    print(f"  its first task starts {first:.2f} s after the command (Python, the imports, reading the issues: one "
          f"process, the workers idle); with the rest on every core from then on it takes at least {bound:.2f} s: "
          f"at most {med[1] / bound:.2f}x")
    print(f"  this machine: two busy processes at once each run {contention() - 1:+.0%} slower than one alone")


def _cpu_part(run: dict, part: str) -> float:
    return sum(run["workers"]) if part == "workers" else run[part]


SPIN = "import time; t = time.process_time(); sum(i * i for i in range(12_000_000)); print(time.process_time() - t)"


def contention() -> float:
    """CPU seconds of a pure-Python loop run by two processes at once, over the same loop alone
    (medians of 3): what a second busy core costs each process on this host."""
    def spin(n: int) -> float:
        processes = [subprocess.Popen([sys.executable, "-c", SPIN], stdout=subprocess.PIPE, text=True) for _ in range(n)]
        return statistics.mean(float(p.communicate()[0]) for p in processes)
    alone = statistics.median(spin(1) for _ in range(3))
    return statistics.median(spin(2) for _ in range(3)) / alone


NOOP = """
import sys, time
from layout.cluster import connect
def noop(i):
    return i
with connect(2) as client:
    client.gather(client.map(noop, range(20)))            # warm
    started = time.perf_counter()
    client.gather(client.map(noop, range(1000, 1500)))
    print((time.perf_counter() - started) / 500)
"""


def scheduler_overhead(env: dict) -> float:
    """Seconds per no-op task, submitted, run and gathered through the batch's cluster."""
    out = subprocess.run([sys.executable, "-c", NOOP], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=2)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--issues", type=int, default=12)
    parser.add_argument("--only-server", action="store_true", help="Only the proof server's edit times.")
    parser.add_argument("--batch-only", action="store_true", help="only the batch comparisons")
    parser.add_argument("--standing-only", action="store_true",
                        help="only 1 against 2 workers of a standing cluster (dask scheduler + dask worker)")
    parser.add_argument("--distinct-photos", action="store_true",
                        help="batch: no photo shared between the issues (each copy's photos are other files)")
    parser.add_argument("--warm-photos", action="store_true",
                        help="batch-only: the sample's photos already prepared in each run's cache (as in the full run)")
    args = parser.parse_args()
    global DISTINCT
    DISTINCT = args.distinct_photos
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        work = Path(tmp)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
        if args.standing_only:
            images = warm_photos(work, env) if args.warm_photos else None
            return compare_standing(work, args.issues, env, images, args.rounds)
        if args.batch_only:
            images = warm_photos(work, env) if args.warm_photos else None
            compare_batches(work, args.issues, env, images, args.rounds)
            return compare_standing(work, args.issues, env, images, args.rounds)
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
        compare_batches(work, args.issues, env, images, args.rounds)
        compare_standing(work, args.issues, env, images, args.rounds)


def _list(values) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def _mb(peaks: dict) -> str:
    return ", ".join(f"{v:.0f} MB" for v in peaks.values()) or "-"


if __name__ == "__main__":
    main()
