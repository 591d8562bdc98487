"""bench/bench_against.py counts each process's own instructions: a page worker forked by the
render process does not count again what the render process did before forking it."""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_against.py"
spec = importlib.util.spec_from_file_location("bench_against", BENCH)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

LOG = """==100== Callgrind, a call-graph generating cache profiler
==100== Collected : 9197910532
==101== Collected : 3000000000
==102== Collected : 2500000000
==100==
==100== I   refs:      9,197,910,532
"""


def test_render_process_and_workers_are_counted_apart():
    assert bench.counts_by_process(LOG, 100) == (9_197_910_532, 5_500_000_000)


def test_no_workers_counts_none():
    assert bench.counts_by_process("==7== Collected : 12\n", 7) == (12, 0)


FORKS_AFTER_WORK = """
import os
total = sum(i * i for i in range(300_000))   # the parent's work before the fork
pid = os.fork()
if pid == 0:
    os._exit(0)                                # the child does next to nothing
os.waitpid(pid, 0)
"""


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_a_forked_child_counts_only_its_own_instructions(tmp_path):
    script = tmp_path / "forks.py"
    script.write_text(FORKS_AFTER_WORK)
    process = subprocess.Popen(bench.callgrind([sys.executable, "-S", str(script)], tmp_path / "cg"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    parent, child = bench.counts_by_process(process.communicate()[1], process.pid)
    assert process.returncode == 0
    assert parent > 50_000_000                 # interpreter start-up and the loop
    assert 0 < child < parent / 100            # without zeroing at the fork: child ≈ parent
