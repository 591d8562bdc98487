"""Benchmark: what the CJK composer costs in a full render of the sample issue.

In one run, interleaved, best of N (the machine may be busy), renders the sample issue through
the real pipeline (`render_issue` + `write_outputs`) twice per round:

* **with the composer** -- the product as it ships (the composer's caches are emptied before
  every render, as in a fresh `layout render` process);
* **without the composer** -- the same pipeline with, patched in here only, a naive setter that
  cuts each text into lines of floor(width / size) characters (so that the page plans have the
  same geometry) and emits plain escaped text in `text-align: justify` paragraphs: WeasyPrint
  breaks the lines itself. This is the "WeasyPrint alone" baseline.

Every timed render starts from a collected heap (`gc.collect()`, untimed), as a fresh process
does: otherwise the garbage of one round is collected during the next, and CPython's full
collections (0.1-0.2 s each with a laid-out document alive) fall on whichever variant happens to
push the generation counters over their thresholds -- in steady state one in every render with
the composer, none without, which a fresh `layout render` process never sees (there both
variants run the same two full collections).

Prints the composer's time per 1,000 characters of the sample's body text, both full render
times with the ratio and a breakdown by stage, and cjk_audit.py's summary for both PDFs.

With --instructions (needs valgrind: `apt-get install valgrind`), it also counts the machine
instructions of one render of each variant under callgrind, the two in parallel: a figure
that does not move with the load of a shared machine, where wall-clock ratios of single runs
swing by tens of per cent. Only the timed render is counted (warm-up and start-up are not).

    python bench/bench_sample.py [-n 8] [--instructions] [--issue issues/2026-changzhi-lianghui] [--out DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from markupsafe import Markup, escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from layout import context as ctx_mod  # noqa: E402
from layout import pipeline  # noqa: E402
from layout.composer import Paragraph, compose_paragraph, metrics  # noqa: E402
from layout.composer.spacing import Line  # noqa: E402
from layout.page import columns as columns_mod  # noqa: E402
from layout.page import typeset  # noqa: E402

AUDIT = Path("/work/shared/tools/cjk_audit.py")
SAMPLE = ROOT / "issues" / "2026-changzhi-lianghui"
STAGES = ("load", "plan", "images", "HTML", "WeasyPrint layout", "write_pdf")


# --- the baseline: no composer ------------------------------------------------------------

def naive_compose(runs, width: float, size: float, indent: float) -> Paragraph:
    """Lines of floor(width / size) characters (the first one shorter by the indent)."""
    text = "".join(r.text for r in runs)
    per_line = max(1, math.floor(width / size + 1e-6))
    first = max(1, math.floor((width - indent * size) / size + 1e-6))
    lines, start, n = [], 0, first
    while start < len(text) or not lines:
        chunk = text[start:start + n]
        lines.append(Line(chunk, 0.0, False, width, 0.0, (), first=not lines))
        start += n
        n = per_line
    return Paragraph(lines, tuple(runs), size, width, indent * size)


def naive_lines_html(paragraph: Paragraph, start: int, stop: int, **_) -> Markup:
    """Plain escaped text of lines start..stop; a lead-in stays in <strong class="lead">."""
    a = sum(len(line.text) for line in paragraph.lines[:start])
    b = a + sum(len(line.text) for line in paragraph.lines[start:stop])
    out, pos = [], 0
    for run in paragraph.runs:
        lo, hi = max(a, pos), min(b, pos + len(run.text))
        if lo < hi:
            text = escape(run.text[lo - pos:hi - pos])
            out.append(f'<strong class="lead">{text}</strong>' if run.css_class == "lead"
                       else f'<span class="{escape(run.css_class)}">{text}</span>' if run.css_class
                       else str(text))
        pos += len(run.text)
    return Markup("".join(out))


def naive_paragraph_html(paragraph: Paragraph, **_) -> Markup:
    return naive_lines_html(paragraph, 0, len(paragraph.lines))


NAIVE_CSS = """\
.cz-p { white-space: normal; text-align: justify; }
.body-p { text-indent: 2em; }
.body-p.continued { text-indent: 0; }
"""


@contextlib.contextmanager
def without_composer():
    saved = (typeset._compose, typeset.paragraph_html, columns_mod.lines_html, ctx_mod.COMPOSER_CSS)
    typeset._compose = naive_compose
    typeset.paragraph_html = naive_paragraph_html
    columns_mod.lines_html = naive_lines_html
    ctx_mod.COMPOSER_CSS = NAIVE_CSS
    try:
        yield
    finally:
        typeset._compose, typeset.paragraph_html, columns_mod.lines_html, ctx_mod.COMPOSER_CSS = saved


def cold_composer() -> None:
    """Empty the composer's caches (composed paragraphs, advances, face lookups)."""
    typeset._compose.cache_clear()
    metrics.clear_caches()


# --- timing the stages of the real pipeline -------------------------------------------------

@contextlib.contextmanager
def stage_timer():
    """Wrap the functions `render_issue` and `write_outputs` call with timers."""
    times: dict[str, float] = defaultdict(float)     # wall seconds
    cpu: dict[str, float] = defaultdict(float)       # this process's CPU seconds
    names = {"load_issue": "load", "load_theme": "load", "resolve_fonts": "load", "plan_issue": "plan",
             "prepare_photos": "images", "compose_context": "HTML", "render_html": "HTML",
             "render_document": "WeasyPrint layout", "write_pdf": "write_pdf"}
    saved = {name: getattr(pipeline, name) for name in names}

    def wrap(name, fn):
        def timed(*args, **kwargs):
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                times[names[name]] += time.perf_counter() - t0
                cpu[names[name]] += time.process_time() - c0
        return timed

    for name, fn in saved.items():
        setattr(pipeline, name, wrap(name, fn))
    try:
        yield times, cpu
    finally:
        for name, fn in saved.items():
            setattr(pipeline, name, fn)


def render_once(folder: Path, out: Path, cache: Path) -> dict[str, float]:
    """One full render; wall and CPU seconds, in total ("total", "cpu total") and per stage.
    The heap is collected first (untimed): each render starts as in a fresh process."""
    gc.collect()
    with stage_timer() as (times, cpu):
        t0, c0 = time.perf_counter(), time.process_time()
        rendered = pipeline.render_issue(folder, cache)
        pipeline.write_outputs(rendered, out)
        total, cpu_total = time.perf_counter() - t0, time.process_time() - c0
    if rendered.errors:
        raise SystemExit("\n".join(str(f) for f in rendered.errors))
    return {"total": total, "cpu total": cpu_total, **times, **{f"cpu {k}": v for k, v in cpu.items()}}


# --- the composer alone ---------------------------------------------------------------------

def body_texts(folder: Path, cache: Path):
    """(runs, width, size, indent) of every body paragraph of the sample, as the planner sets it."""
    from layout.fonts import resolve_fonts
    from layout.model import load_issue
    from layout.theme import load_theme
    issue = load_issue(folder)
    theme = load_theme(issue.theme)
    setter = typeset.Typesetter.for_theme(theme, resolve_fonts(theme))
    seen = []
    original = typeset._compose
    typeset._compose = lambda runs, width, size, indent: seen.append((runs, width, size, indent)) or original(
        runs, width, size, indent)
    try:
        for story in _stories(issue):
            for p in story.paragraphs:
                setter.body(p, theme.grid.column_width)
    finally:
        typeset._compose = original
    return seen


def _stories(issue):
    for name in ("stories", "pages"):
        value = getattr(issue, name, None)
        if value is None:
            continue
        for item in value:
            if hasattr(item, "paragraphs"):
                yield item
            for story in getattr(item, "stories", []) or []:
                yield story


def time_composer(texts, repeat: int) -> tuple[float, int]:
    """Best-of-`repeat` seconds per 1,000 characters, cold caches each time."""
    chars = sum(len(r.text) for runs, *_ in texts for r in runs)
    best = math.inf
    for _ in range(repeat):
        metrics.clear_caches()
        t0 = time.perf_counter()
        for runs, width, size, indent in texts:
            compose_paragraph(runs, width=width, size=size, indent=indent)
        best = min(best, time.perf_counter() - t0)
    return best / chars * 1000, chars


def audit(pdf: Path) -> str:
    result = subprocess.run([sys.executable, str(AUDIT), str(pdf)], capture_output=True, text=True)
    lines = [line for line in result.stdout.splitlines() if line.startswith(str(pdf))]
    return lines[-1] if lines else (result.stdout + result.stderr).strip().splitlines()[-1]


# --- instructions, under callgrind ---------------------------------------------------------

def counted_render(variant: str, folder: Path, out: Path, cache: Path) -> None:
    """Run inside callgrind (started with --instr-atstart=no): a warm-up render, then one render
    with the instrumentation switched on around it (from a collected heap, cold composer)."""
    with contextlib.nullcontext() if variant == "with" else without_composer():
        render_once(folder, out, cache)
        if variant == "with":
            cold_composer()
        gc.collect()
        pid = str(os.getpid())
        subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True, check=True)
        pipeline.write_outputs(pipeline.render_issue(folder, cache), out)
        subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True, check=True)


def count_instructions(folder: Path, out: Path, cache: Path) -> dict[str, int] | str:
    """Instructions of one render of each variant (both at once, one a core), or why not."""
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        return "valgrind is not installed (apt-get install valgrind)"
    procs = {}
    for variant in ("with", "without"):
        cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
               f"--callgrind-out-file={out / f'callgrind.{variant}'}",
               sys.executable, __file__, "--counted", variant, "--issue", str(folder),
               "--out", str(out / f"{variant}-counted"), "--cache", str(cache)]
        procs[variant] = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                          env={**os.environ, "PYTHONHASHSEED": "0"})
    counts = {}
    for variant, proc in procs.items():
        log, _ = proc.communicate()
        found = re.search(r"I\s+refs:\s+([\d,]+)", log)
        if proc.returncode or not found:
            return f"callgrind run of '{variant}' failed:\n{log[-2000:]}"
        counts[variant] = int(found.group(1).replace(",", ""))
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=8, help="rounds (best of n; at least 3)")
    ap.add_argument("--issue", type=Path, default=SAMPLE)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--cache", type=Path, default=pipeline.CACHE_DIR)
    ap.add_argument("--instructions", action="store_true",
                    help="also count instructions under callgrind (needs valgrind)")
    ap.add_argument("--counted", choices=("with", "without"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.counted:
        counted_render(a.counted, a.issue, a.out, a.cache)
        return 0
    n = max(3, a.n)
    out = a.out or Path(tempfile.mkdtemp(prefix="bench_sample."))
    dirs = {"with": out / "with", "without": out / "without"}

    # untimed warm-up: image cache, fonts, WeasyPrint's own start-up
    render_once(a.issue, dirs["with"], a.cache)
    with without_composer():
        render_once(a.issue, dirs["without"], a.cache)

    texts = body_texts(a.issue, a.cache)
    best: dict[str, dict[str, float]] = {k: defaultdict(lambda: math.inf) for k in dirs}
    per_k = math.inf
    ratios: dict[str, list[float]] = {"total": [], "cpu total": []}   # paired, round by round
    rounds: dict[str, list[float]] = {k: [] for k in dirs}
    for r in range(n):
        round_times = {}
        for variant in (list(dirs) if r % 2 == 0 else list(dirs)[::-1]):   # interleaved, ABBA
            if variant == "with":
                cold_composer()
                times = render_once(a.issue, dirs[variant], a.cache)
            else:
                with without_composer():
                    times = render_once(a.issue, dirs[variant], a.cache)
            for key, value in times.items():    # best of n, for the total and each stage
                best[variant][key] = min(best[variant][key], value)
            round_times[variant] = times
            rounds[variant].append(times["total"])
        for key in ratios:
            ratios[key].append(round_times["with"][key] / round_times["without"][key])
        k, chars = time_composer(texts, 1)
        per_k = min(per_k, k)

    w, wo = best["with"], best["without"]
    print(f"sample: {a.issue}  (best of {n}, interleaved ABBA; output in {out})")
    print(f"composer: {per_k * 1000:.1f} ms per 1,000 characters "
          f"({chars} characters of body text, {len(texts)} paragraphs, cold advance caches)")
    for clock, key in (("wall", "total"), ("CPU", "cpu total")):
        print(f"full render, {clock:4s} clock: with composer {w[key]:5.2f} s, without {wo[key]:5.2f} s, "
              f"ratio of bests {w[key] / wo[key]:.3f} ({100 * (w[key] / wo[key] - 1):+.1f} %); "
              f"median of the {n} paired rounds {statistics.median(ratios[key]):.3f}")
    for variant, totals in rounds.items():
        print(f"  {variant:8s} rounds (wall s): {' '.join(f'{t:.2f}' for t in totals)}; "
              f"median {statistics.median(totals):.2f}")
    print(f"  ratio of the medians {statistics.median(rounds['with']) / statistics.median(rounds['without']):.3f}")
    print(f"{'stage, best of n':18s} {'wall with':>10s} {'without':>8s} {'diff':>7s}   "
          f"{'CPU with':>9s} {'without':>8s} {'diff':>7s}")
    for s in STAGES:
        c = f"cpu {s}"
        print(f"{s:18s} {w[s]:10.3f} {wo[s]:8.3f} {w[s] - wo[s]:+7.3f}   "
              f"{w[c]:9.3f} {wo[c]:8.3f} {w[c] - wo[c]:+7.3f}")
    for variant, folder in dirs.items():
        print(f"audit {variant + ':':9s}{audit(folder / f'{a.issue.name}.pdf')}")
    if a.instructions:
        counts = count_instructions(a.issue, out, a.cache)
        if isinstance(counts, str):
            print(f"instructions: {counts}")
        else:
            print(f"instructions of one full render (callgrind): with composer {counts['with'] / 1e6:,.0f} M, "
                  f"without {counts['without'] / 1e6:,.0f} M, ratio {counts['with'] / counts['without']:.3f} "
                  f"({100 * (counts['with'] / counts['without'] - 1):+.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
