"""Wall time of one lesson from the shell, end to end (a new process each time).

    .venv/bin/python benchmarks/bench_lessons.py            # notebook-231, 7 runs each
    .venv/bin/python benchmarks/bench_lessons.py gates 5

Measures ``mlplab run NAME --no-save`` (text only: nothing is drawn, matplotlib is never
imported) and ``mlplab run NAME --out DIR`` (every figure as PNG + SVG and report.html), and
prints the median and the fastest of each.  Goals for notebook-231: <= 0.8 s without figures,
<= 1.5 s with them (the notebook's own code: ~3.3 s).  Run it on a quiet machine: on a loaded
one all numbers grow together.

The first (unmeasured) run may write Python's bytecode cache (``__pycache__``), as any user's
first run does: with ``PYTHONDONTWRITEBYTECODE=1`` set (as in some CI and agent shells) and no
cache, every run would compile mlplab's source again, ~0.2–1 s that no user sees.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def wall(args: list[str], env=None) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mlplab.cli", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - t0


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "notebook-231"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    # warm the file cache, and let Python write the bytecode cache as on a user's machine
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    wall(["run", name, "--no-save", "--quiet"], env=env)
    with tempfile.TemporaryDirectory() as tmp:
        rows = {
            "--no-save (no figures)": [
                wall(["run", name, "--no-save", "--quiet"]) for _ in range(n)
            ],
            "--out (PNG+SVG, report)": [
                wall(["run", name, "--quiet", "--out", str(Path(tmp) / f"r{i}")]) for i in range(n)
            ],
        }
    print(f"mlplab run {name}: {n} runs each, seconds")
    for label, ts in rows.items():
        print(f"  {label:<26} median {statistics.median(ts):.2f}   fastest {min(ts):.2f}")


if __name__ == "__main__":
    main()
