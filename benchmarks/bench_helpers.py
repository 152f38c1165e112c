"""What each kept speed helper buys: the engine's step with the helper against the plain form.

A speed trick stays in the engine only where it buys at least 5 % of a training step (issue 15),
in one named helper whose docstring states the plain formula it equals.  This measures, in one
process and interleaved (paired per block), the step (``model.gradient`` + SGD, as the Trainer
takes it) of three nets with each helper and without it:

* **packing** -- θ and ∂θ handed to the optimizer as one parameter
  (``opt.update({"theta": θ}, {"theta": ∂θ})``) against one update per named array;
* **batch sums** -- ``functions.sum_rows`` / ``mean_rows`` (Σ_n a_n as 1ᵀ·a, one BLAS call)
  against ``a.sum(axis=-2)`` / ``a.mean(axis=-2)`` in every layer.

Usage::

    python benchmarks/bench_helpers.py [--blocks 21] [--block-ms 50]

Prints, per net, step time without the helper / with it (median of per-block ratios): a value
of 1.10 means the helper saves 9 % of the step (1 - 1/1.10).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy: stable timings

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from mlplab import functions as F  # noqa: E402
from mlplab.model import MLP  # noqa: E402
from mlplab.optim import SGD  # noqa: E402

NETS = {  # name -> (sizes, batchnorm, dtype, batch, loss)
    "2-3-1 bce float64 batch 1": ([2, 3, 1], False, "float64", 1, "bce"),
    "784-50-10 float32 batch 100": ([784, 50, 10], False, "float32", 100, "cce"),
    "784-[100x5]-10 BN float32 batch 100": ([784] + [100] * 5 + [10], True, "float32", 100, "cce"),
}
HELPERS = {"sum_rows": F.sum_rows, "mean_rows": F.mean_rows}
PLAIN = {
    "sum_rows": lambda a, out=None: np.sum(a, axis=-2, out=out),
    "mean_rows": lambda a: a.mean(axis=-2),
}


def _use(functions: dict) -> None:
    for name, fn in functions.items():
        setattr(F, name, fn)


def make_step(net: str, packed: bool):
    sizes, bn, dtype, batch, loss = NETS[net]
    model = MLP(sizes, activation="relu", loss=loss, batchnorm=bn, dtype=dtype, seed=0).train()
    opt = SGD(lr=0.01)
    theta, dtheta = {"theta": model.theta}, {"theta": model.dtheta}
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, sizes[0])).astype(dtype)
    t = rng.integers(0, sizes[-1] if sizes[-1] > 1 else 2, batch)
    if sizes[-1] == 1:
        t = t.reshape(-1, 1).astype(dtype)

    def step():
        grads = model.gradient(x, t)
        if packed:
            opt.update(theta, dtheta)
        else:
            opt.update(model.params, grads)

    return step


def _run(fn, reps: int) -> float:
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t0) / reps


def measure(net: str, blocks: int, block_s: float) -> dict:
    variants = {  # name -> (step, functions to use)
        "with helpers": (make_step(net, True), HELPERS),
        "unpacked": (make_step(net, False), HELPERS),
        "plain sums": (make_step(net, True), PLAIN),
    }
    reps = {}
    for name, (fn, use) in variants.items():
        _use(use)
        r = 1
        while _run(fn, r) * r < block_s / 4:
            r *= 2
        reps[name] = max(3, int(r * block_s / (_run(fn, r) * r)))
    times = {name: [] for name in variants}
    names = list(variants)
    for b in range(blocks):
        k = b % len(names)
        for name in names[k:] + names[:k]:
            fn, use = variants[name]
            _use(use)
            times[name].append(_run(fn, reps[name]))
    _use(HELPERS)
    base = times["with helpers"]
    return {
        "step_us": 1e6 * statistics.median(base),
        **{n: statistics.median([a / b for a, b in zip(times[n], base)]) for n in names[1:]},
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--blocks", type=int, default=21)
    ap.add_argument("--block-ms", type=float, default=50.0)
    args = ap.parse_args(argv)
    print("| net | step µs | without packing | without the batch-sum helpers |")
    print("|---|---:|---:|---:|")
    for net in NETS:
        r = measure(net, args.blocks, args.block_ms / 1000)
        print(
            f"| {net} | {r['step_us']:.1f} | {r['unpacked']:.3f} | {r['plain sums']:.3f} |",
            flush=True,
        )
    print("\n(step time without the helper / with it; median of per-block ratios)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
