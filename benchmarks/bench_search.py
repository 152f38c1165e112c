"""Benchmark of ``mlplab search``: per-trial overhead and the speed-up of 2 local jobs.

    PYTHONPATH=src python benchmarks/bench_search.py [--trials 8] [--overhead-trials 60]

1. Overhead: trials that do almost nothing (2 samples, 1 update); overhead per trial =
   (wall time - time spent training) / trials, i.e. ask + submit + tell + storage writes.
   Measured in-process (``--jobs 0``) and through a 1-process pool (adds the pickling/IPC).
   Target: <= 50 ms.
2. Scaling: the same batch of CPU-bound trials (784-[256x3]-10 on 2000 rows) with 1 and 2
   worker processes, each pinned to one BLAS thread.  Target on 2 cores: >= 1.7x.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from mlplab.search.space import load_search_file  # noqa: E402
from mlplab.search.study import run_search  # noqa: E402

TINY = """
[experiment]
name = "bench-overhead"
[data]
source = "builtin"
name = "moons"
n = 20
[model]
hidden = [2]
[train]
optimizer = "sgd"
batch_size = 16
iterations = 1
eval_on = "end"
[search]
sampler = "random"
trials = {trials}
[search.space]
"train.lr" = {{ low = 1e-4, high = 1.0, log = true }}
"""

CPU = """
[experiment]
name = "bench-scaling"
[data]
source = "builtin"
name = "moons"
n = 3000
[model]
hidden = [256, 256, 256]
activation = "relu"
[train]
optimizer = "sgd"
batch_size = 64
epochs = {epochs}
eval_on = "end"
[search]
sampler = "random"
trials = {trials}
[search.space]
"train.lr" = {{ low = 1e-3, high = 1e-1, log = true }}
"""


def overhead(trials: int, jobs: int) -> dict:
    spec, cfg = load_search_file(TINY.format(trials=trials))
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        res = run_search(spec, cfg, out=d, jobs=jobs, report=False, progress=False)
        wall = time.perf_counter() - t0
    train = sum(r["time_s"] or 0 for r in res.rows)
    n = max(res.n_finished, 1)
    return {
        "jobs": jobs,
        "trials": res.n_finished,
        "wall_s": round(wall, 3),
        "startup_s": round(wall - res.elapsed, 3),  # imports, storage, pool start, report data
        "overhead_ms_per_trial": round(1e3 * (res.elapsed - train / max(jobs, 1)) / n, 2),
        "tell_ms": round(res.overhead_ms, 2),
    }


def scaling(trials: int, epochs: int) -> dict:
    spec, cfg = load_search_file(CPU.format(trials=trials, epochs=epochs))
    out = {}
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as d:
            t0 = time.perf_counter()
            res = run_search(spec, cfg, out=d, jobs=jobs, report=False, progress=False)
            out[f"jobs{jobs}_wall_s"] = round(time.perf_counter() - t0, 2)
            out[f"jobs{jobs}_s"] = round(res.elapsed, 2)  # the batch, without pool start
            assert res.n_complete == trials, res.rows
    out["speedup"] = round(out["jobs1_s"] / out["jobs2_s"], 2)
    out["speedup_wall"] = round(out["jobs1_wall_s"] / out["jobs2_wall_s"], 2)
    out["trials"], out["epochs"] = trials, epochs
    out["load_average_1min"] = round(os.getloadavg()[0], 2)  # other work on the cores
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trials", type=int, default=8, help="CPU-bound trials per run")
    p.add_argument("--epochs", type=int, default=10, help="epochs of a CPU-bound trial")
    p.add_argument("--overhead-trials", type=int, default=60)
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    res = {
        "overhead_in_process": overhead(a.overhead_trials, 0),
        "overhead_pool": overhead(a.overhead_trials, 1),
        "scaling": scaling(a.trials, a.epochs),
    }
    if a.json:
        print(json.dumps(res, indent=1))
        return 0
    for k in ("overhead_in_process", "overhead_pool"):
        r = res[k]
        print(
            f"{k:<20} {r['trials']} trials in {r['wall_s']:.2f} s "
            f"(startup {r['startup_s']:.2f} s): "
            f"{r['overhead_ms_per_trial']:.1f} ms overhead per trial "
            f"(tell + storage {r['tell_ms']:.1f} ms)  target <= 50 ms"
        )
    s = res["scaling"]
    print(
        f"{'scaling':<20} {s['trials']} CPU-bound trials: 1 job {s['jobs1_s']:.2f} s, "
        f"2 jobs {s['jobs2_s']:.2f} s -> {s['speedup']:.2f}x  target >= 1.7x "
        f"(with pool start-up: {s['speedup_wall']:.2f}x; load average "
        f"{s['load_average_1min']:.1f}: other processes on the 2 cores lower it)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
