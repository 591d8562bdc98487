"""Benchmark: a full `layout render` of an issue with this tree against an earlier revision.

Issue 10 asks that the whole sample render no more than 20 % slower than before the modular
composer. This checks out `--base REV` (by default the last commit before the modular composer
was merged) in a temporary git worktree and renders the issue with both trees, each in a fresh
`python -m layout.cli render` process, alternately in ABBA order (A = base, B = this tree), so
that a machine whose load drifts during the run hits both sides alike. Each tree has its own
cache: one untimed render first prepares the photos, and every timed render starts with the
page cache emptied, so that it plans, lays out and renders every page.

Prints every time, the medians and the ratio B / A. With --instructions (needs valgrind), it
also counts the machine instructions of one render of each tree under callgrind, the two in
parallel: a figure that does not move with the load of a shared machine. It counts the render
process and its page workers apart. Under callgrind a forked process starts with its parent's
counts, so each worker's own count starts at zero when CPython's after-fork hook runs in it
(`PyOS_AfterFork_Child`); without that, every worker would count again all that the render
process did before forking it (reading, planning and composing the issue).

    python bench/bench_against.py [--base REV] [--rounds 3] [--instructions] [ISSUE_DIR]
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE_MODULAR = "368d1e7^1"      # main just before "Merge modular" (the band-stacking pages)


def worktree(rev: str, into: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(into), rev],
                   check=True, capture_output=True)
    return into


def command(tree: Path, issue: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "layout.cli", "render", str(issue), "-o", str(out)]


def environment(tree: Path, cache: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree / "src"), "LAYOUT_CACHE": str(cache)}


def render_seconds(tree: Path, issue: Path, cache: Path, out: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one render; CPU counts the render process and the processes it
    waited for (its page workers): on a shared machine, what the render costs."""
    shutil.rmtree(cache / "pages", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command(tree, issue, out), env=environment(tree, cache), capture_output=True,
                          text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1) or not list(out.glob("*.pdf")):
        raise SystemExit(f"render with {tree} failed:\n{done.stderr}")
    return seconds, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def callgrind(argv: list[str], log: Path) -> list[str]:
    """`argv` under callgrind, children too; a forked child counts from zero (its own work)."""
    return ["valgrind", "--tool=callgrind", "--trace-children=yes", "--zero-before=PyOS_AfterFork_Child",
            f"--callgrind-out-file={log}.%p", *argv]


def instructions(tree: Path, issue: Path, cache: Path, out: Path, log: Path) -> subprocess.Popen:
    shutil.rmtree(cache / "pages", ignore_errors=True)
    return subprocess.Popen(callgrind(command(tree, issue, out), log), env=environment(tree, cache),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def counts_by_process(valgrind_log: str, main_pid: int) -> tuple[int, int]:
    """(instructions of process `main_pid`, of every other process) in valgrind's log."""
    counts = [(int(pid), int(n)) for pid, n in re.findall(r"==(\d+)== Collected\s*:\s*(\d+)", valgrind_log)]
    main = sum(n for pid, n in counts if pid == main_pid)
    return main, sum(n for _, n in counts) - main


def counted(process: subprocess.Popen) -> tuple[int, int]:
    """Instructions of the render process and of the processes it started (its page workers)."""
    _, err = process.communicate()
    return counts_by_process(err, process.pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("issue", nargs="?", type=Path, default=ROOT / "issues" / "2026-changzhi-lianghui")
    parser.add_argument("--base", default=BEFORE_MODULAR)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--instructions", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-against-") as tmp:
        tmp = Path(tmp)
        base = worktree(args.base, tmp / "base")
        try:
            trees = {"A": base, "B": ROOT}
            caches = {k: tmp / f"cache-{k}" for k in trees}
            outs = {k: tmp / f"out-{k}" for k in trees}
            for k, tree in trees.items():         # photos prepared, imports compiled: untimed
                render_seconds(tree, args.issue.resolve(), caches[k], outs[k])
            times = {"A": [], "B": []}
            for _ in range(args.rounds):
                for k in "ABBA":
                    times[k].append(render_seconds(trees[k], args.issue.resolve(), caches[k], outs[k]))
            for index, what in enumerate(("wall", "CPU")):
                for k, label in (("A", f"base {args.base}"), ("B", "this tree")):
                    values = [t[index] for t in times[k]]
                    print(f"{what:4} {label:24} " + " ".join(f"{t:6.2f}" for t in values)
                          + f"   median {statistics.median(values):6.2f} s")
                ratio = (statistics.median(t[index] for t in times["B"])
                         / statistics.median(t[index] for t in times["A"]))
                print(f"{what:4} ratio this tree / base (medians): {ratio:.2f}")
            if args.instructions:
                runs = {k: instructions(trees[k], args.issue.resolve(), caches[k], outs[k], tmp / f"cg-{k}")
                        for k in trees}
                counts = {k: counted(p) for k, p in runs.items()}
                for index, what in enumerate(("render process", "page workers", "all")):
                    a, b = (sum(counts[k]) if what == "all" else counts[k][index] for k in "AB")
                    print(f"instructions, {what:14}: base {a:,}  this tree {b:,}  ratio {b / max(1, a):.2f}")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                           capture_output=True)


if __name__ == "__main__":
    main()
