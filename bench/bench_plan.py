"""Benchmark of page planning (stage 3): the seconds each page takes to compose as modules
(variants measured, partitions searched, the best placed), cold (the composer's caches emptied
before every round), for the sample issue and the generated corpus of tests/test_modular.py.
The median must stay at or under 1 s per page.

    PYTHONPATH=src python bench/bench_plan.py [--rounds 3] [ISSUE_DIR...]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from layout.fonts import resolve_fonts
from layout.model import load_issue
from layout.page import plan_issue
from layout.page import typeset
from layout.theme import load_theme

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpus(folder: Path) -> list[Path]:
    """The test corpus's pages, each written as a one-page issue under `folder`."""
    from tests.test_modular import CORPUS, corpus_issue
    out = []
    for name in sorted(CORPUS):
        issue = folder / name
        issue.mkdir()
        (issue / "issue.yaml").write_text(corpus_issue(name, issue), encoding="utf-8")
        out.append(issue)
    return out


def seconds_per_page(folder: Path, theme, fonts, rounds: int) -> tuple[float, float]:
    """(wall, CPU) seconds per page, medians of `rounds`. Planning is one thread bound by the
    CPU, so its CPU time is what it costs on a machine others share (the wall time there
    also counts the time the process waited for a core)."""
    issue = load_issue(folder)
    walls, cpus = [], []
    for _ in range(rounds):
        typeset._compose.cache_clear()
        started, cpu = time.perf_counter(), time.process_time()
        plans = plan_issue(issue, theme, fonts)
        walls.append((time.perf_counter() - started) / len(plans))
        cpus.append((time.process_time() - cpu) / len(plans))
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("issues", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    theme = load_theme()
    fonts = resolve_fonts(theme)
    with tempfile.TemporaryDirectory() as tmp:
        folders = args.issues or [ROOT / "issues" / "2026-changzhi-lianghui", *corpus(Path(tmp))]
        results = [(f.name, seconds_per_page(f, theme, fonts, args.rounds)) for f in folders]
    print(f"{'':32} {'wall':>8} {'CPU':>8}  s/page")
    for name, (wall, cpu) in results:
        print(f"{name:32} {wall:8.3f} {cpu:8.3f}")
    print(f"{'median':32} {statistics.median(w for _, (w, _) in results):8.3f} "
          f"{statistics.median(c for _, (_, c) in results):8.3f}")


if __name__ == "__main__":
    main()
