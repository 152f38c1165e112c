"""Wall time of one lesson from the shell, end to end (a new process each time).

    .venv/bin/python benchmarks/bench_lessons.py            # notebook-231, 7 runs each
    .venv/bin/python benchmarks/bench_lessons.py gates 5

Measures ``mlplab run NAME --no-save`` (text only: nothing is drawn, matplotlib is never
imported) and ``mlplab run NAME --out DIR`` (every figure as PNG + SVG and report.html), and
prints the median and the fastest of each.  Goals for notebook-231: <= 0.8 s without figures,
<= 1.5 s with them (the notebook's own code: ~3.3 s).  Run it on a quiet machine: on a loaded
one all numbers grow together.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def wall(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mlplab.cli", *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - t0


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "notebook-231"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    wall(["run", name, "--no-save", "--quiet"])  # warm the file cache
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
