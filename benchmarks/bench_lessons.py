"""Wall time of one lesson from the shell, end to end (a new process each time).

    .venv/bin/python benchmarks/bench_lessons.py            # notebook-231, 7 runs each
    .venv/bin/python benchmarks/bench_lessons.py gates 5

Measures ``mlplab run NAME --no-save`` (text only: nothing is drawn, matplotlib is never
imported) and ``mlplab run NAME --out DIR`` (every figure as PNG + SVG and report.html), and
prints the median and the fastest of each.  Goals for notebook-231: <= 0.8 s without figures,
<= 1.5 s with them (the notebook's own code: ~3.3 s).  Run it on a quiet machine: on a loaded
one all numbers grow together.

``--floor`` measures, interleaved in fresh processes, how low matplotlib can go for
notebook-231: ``--no-save``, importing matplotlib alone, ``--out`` as shipped, and ``--out`` with
PNG only and no tight-layout pass (the leanest figures, labels possibly clipped).

    .venv/bin/python benchmarks/bench_lessons.py --floor [rounds]

``--helpers`` instead measures, in one process, what each speed helper of the lesson buys: the
four ``execute_ann`` cases with the helper and with its plain formula (interleaved blocks, the
median of the per-block ratios; 1.25 means the helper saves 20 % of the four cases):

* ``Sequential.losses_at`` -- the curves' whole-set losses of all updates in one batched pass,
  against ``model.loss`` once per update and per set;
* ``BatchSampler.draws`` -- all the updates' indices in one ``choice`` call, against one
  ``draw()`` per update.

    .venv/bin/python benchmarks/bench_lessons.py --helpers [blocks]

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

import numpy as np


def wall(args: list[str], env=None) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mlplab.cli", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - t0


def _plain_losses_at(model, stacks, x, t, max_bytes=None):
    """Sequential.losses_at's plain formula: set the parameters, call model.loss, K times."""
    saved = model.get_weights()
    out = []
    for k in range(len(next(iter(stacks.values())))):
        for key in model.params:
            model.params[key][...] = stacks[key][k]
        out.append(model.loss(x, t))
    model.set_weights(saved)
    return np.array(out)


def _plain_draws(sampler, m):
    """BatchSampler.draws's plain formula: one draw() per batch."""
    return np.stack([sampler.draw() for _ in range(m)])


def helpers(blocks: int) -> None:
    from mlplab.data.datasets import quadratic
    from mlplab.data.sampling import BatchSampler
    from mlplab.experiments.lessons_notebook import SEED_CASES, execute_ann
    from mlplab.model import Sequential

    data = quadratic()

    def four_cases() -> float:
        t0 = time.perf_counter()
        for epoch, lr, bs, bn in SEED_CASES:
            execute_ann(epoch=epoch, learning_rate=lr, batch_size=bs, batch_normalize=bn,
                        data=data)  # fmt: skip
        return time.perf_counter() - t0

    fast = {"losses_at": Sequential.losses_at, "draws": BatchSampler.draws}
    plain = {"losses_at": _plain_losses_at, "draws": _plain_draws}
    owner = {"losses_at": Sequential, "draws": BatchSampler}
    four_cases()  # warm up
    print(f"execute_ann's four cases, {blocks} blocks: time without the helper / with it")
    for name in fast:
        ratios, with_s = [], []
        for _ in range(blocks):
            t_with = four_cases()
            setattr(owner[name], name, plain[name])
            try:
                t_without = four_cases()
            finally:
                setattr(owner[name], name, fast[name])
            ratios.append(t_without / t_with)
            with_s.append(t_with)
        print(f"  {name:<10} with {statistics.median(with_s):.3f} s   "
              f"without / with {statistics.median(ratios):.2f}")  # fmt: skip


#: The leanest figures matplotlib can give this lesson: PNG only (no SVG) and no tight-layout
#: pass (labels may be clipped), then the CLI as a user calls it.
_LEAN = """
import sys
import mlplab.viz._common as common
import mlplab.viz.report as report
from mlplab.cli import main

finish = common.finish
common.finish = lambda fig, lang="en", save=None, tight=True: finish(fig, lang, save, False)

def png_only(out, name, fig):
    fig.savefig(out / f"{name}.png", format="png", dpi=100)
    return name

report._write_figure = png_only
sys.exit(main(sys.argv[1:]))
"""


def floor(name: str, n: int) -> None:
    """What figures cost at the least with matplotlib: fresh processes, interleaved rounds."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    wall(["run", name, "--no-save", "--quiet"], env=env)  # bytecode cache, file cache

    def run(code_args: list[str]) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *code_args], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)  # fmt: skip
        return time.perf_counter() - t0

    rows: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            for label, args in (
                ("--no-save (no figures)", ["-m", "mlplab.cli", "run", name, "--no-save"]),
                ("import matplotlib only", ["-c", "import matplotlib.figure, "
                                                  "matplotlib.backends.backend_agg"]),
                ("--out as shipped", ["-m", "mlplab.cli", "run", name, "--out", f"{tmp}/a{i}"]),
                ("--out PNG only, no tight", ["-c", _LEAN, "run", name, "--out", f"{tmp}/b{i}"]),
            ):  # fmt: skip
                rows.setdefault(label, []).append(run(args))
    print(f"mlplab run {name}: {n} interleaved rounds, seconds (fresh processes)")
    for label, ts in rows.items():
        print(f"  {label:<26} median {statistics.median(ts):.2f}   fastest {min(ts):.2f}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--helpers":
        helpers(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--floor":
        floor("notebook-231", int(sys.argv[2]) if len(sys.argv) > 2 else 5)
        return
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
