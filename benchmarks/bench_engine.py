"""Engine speed benchmark: one training step of mlplab vs a flat NumPy reference.

A step is forward + backward + SGD update.  mlplab runs ``model.gradient(x, t)`` followed by
``mlplab.optim.SGD(lr).update({"theta": model.theta}, {"theta": model.dtheta})``, as the Trainer
updates a packed model (θ and ∂θ as one parameter); the reference is
``benchmarks/flat_reference.py`` (plain functions, the same math).  Both run in this process,
interleaved block by block (the order alternates), each block repeating the step enough times
to last ~``--block-ms`` ms; the reported time per step is the median over blocks and the ratio
is the median of the per-block ratios mlplab/flat ("best/best" = fastest block over fastest
block, the estimate least disturbed by other load on the machine).  PyTorch eager (CPU) is added when
``import torch`` works; it is never required.

Usage::

    python benchmarks/bench_engine.py [--quick] [--json out.json] [--blocks 15] [--block-ms 40]

Target: ratio <= 1.15 in every case.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path


def _threads_from_argv(argv):
    """``--threads N`` must act before NumPy (and its BLAS) is imported."""
    for i, a in enumerate(argv):
        if a == "--threads" and i + 1 < len(argv):
            return int(argv[i + 1])
        if a.startswith("--threads="):
            return int(a.split("=", 1)[1])
    return 1


THREADS = _threads_from_argv(sys.argv[1:])
if THREADS > 0:
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = str(THREADS)

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import flat_reference as flat  # noqa: E402

from mlplab.layers import Activation, Affine  # noqa: E402
from mlplab.model import Sequential  # noqa: E402
from mlplab.optim import SGD  # noqa: E402

LR = 0.01
CASES = [  # (label, sizes, batch, kind)
    ("2-3-1 relu/sigmoid/bce", [2, 3, 1], 1, "bce"),
    ("2-3-1 relu/sigmoid/bce", [2, 3, 1], 20, "bce"),
    ("2-3-1 relu/sigmoid/bce", [2, 3, 1], 100, "bce"),
    ("784-50-10 relu/softmax/cce", [784, 50, 10], 100, "cce"),
]
DTYPES = ["float32", "float64"]


def make_data(sizes, batch, kind, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, sizes[0])).astype(dtype)
    if kind == "bce":
        t = rng.integers(0, 2, (batch, 1)).astype(dtype)
    else:
        t = np.eye(sizes[-1], dtype=dtype)[rng.integers(0, sizes[-1], batch)]
    return x, t


def make_mlplab(p0, kind, dtype, optimizer=True):
    """The same net as the flat reference, built from copies of its initial parameters.

    ``optimizer=True`` updates with ``mlplab.optim.SGD``; ``False`` with the notebook's loop
    ``params[k] -= lr * grads[k]`` (isolates the optimizer's own overhead).
    """
    layers = [
        Affine(p0["W1"].copy(), p0["b1"].copy()),
        Activation("relu"),
        Affine(p0["W2"].copy(), p0["b2"].copy()),
        Activation("sigmoid" if kind == "bce" else "softmax"),
    ]
    model = Sequential(layers, loss="bce" if kind == "bce" else "cce", dtype=dtype)
    model.pack()  # as MLP(...) builds it: parameters in one vector θ (copies of p0)
    opt = SGD(lr=LR)
    theta, dtheta = {"theta": model.theta}, {"theta": model.dtheta}

    def step(x, t):  # as the Trainer: backward fills ∂θ, one rule call updates θ
        model.gradient(x, t)
        opt.update(theta, dtheta)

    def step_loop(x, t):
        grads = model.gradient(x, t)
        params = model.params
        for k in grads:
            params[k] -= LR * grads[k]

    return model, (step if optimizer else step_loop)


def make_flat(p0, kind):
    p = {k: v.copy() for k, v in p0.items()}
    fn = flat.relu_sigmoid_bce_step if kind == "bce" else flat.relu_softmax_cce_step

    def step(x, t):
        fn(p, x, t, LR)

    return p, step


def make_torch(p0, kind):
    try:
        import torch
    except ImportError:
        return None
    if THREADS > 0:
        torch.set_num_threads(THREADS)
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in p0.items()}

    def step(x, t):
        a1 = x @ tp["W1"] + tp["b1"]
        z = torch.relu(a1) @ tp["W2"] + tp["b2"]
        if kind == "bce":
            loss = torch.nn.functional.binary_cross_entropy_with_logits(z, t)
        else:
            loss = -(t * torch.log_softmax(z, dim=-1)).sum(dim=-1).mean()
        loss.backward()
        with torch.no_grad():
            for v in tp.values():
                v -= LR * v.grad
                v.grad = None

    def convert(x, t):
        return torch.from_numpy(x), torch.from_numpy(t)

    return step, convert


def check_same_math(p0, kind, dtype, x, t):
    """A few steps of both implementations from the same start must agree."""
    model, mstep = make_mlplab(p0, kind, dtype)
    p, fstep = make_flat(p0, kind)
    for _ in range(3):
        mstep(x, t)
        fstep(x, t)
    rtol = 1e-4 if dtype == "float32" else 1e-10
    for k in p:
        np.testing.assert_allclose(model.params[k], p[k], rtol=rtol, atol=rtol * 1e-2)
        assert model.params[k].dtype == p[k].dtype == np.dtype(dtype), k


def _time_block(step, x, t, reps):
    t0 = time.perf_counter()
    for _ in range(reps):
        step(x, t)
    return (time.perf_counter() - t0) / reps


def _calibrate(step, x, t, block_s):
    reps, elapsed = 1, 0.0
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            step(x, t)
        elapsed = time.perf_counter() - t0
        if elapsed > block_s / 4 or reps > 1 << 20:
            return max(5, int(reps * block_s / max(elapsed, 1e-9)))
        reps *= 2


def bench_case(sizes, batch, kind, dtype, blocks, block_s):
    p0 = flat.init_params(sizes, seed=0, dtype=np.dtype(dtype))
    x, t = make_data(sizes, batch, kind, dtype)
    check_same_math(p0, kind, dtype, x, t)
    _, mstep = make_mlplab(p0, kind, dtype)
    _, lstep = make_mlplab(p0, kind, dtype, optimizer=False)
    _, fstep = make_flat(p0, kind)
    runners = {"mlplab": (mstep, x, t), "mlplab_loop": (lstep, x, t), "flat": (fstep, x, t)}
    torch_parts = make_torch(p0, kind)
    if torch_parts is not None:
        tstep, convert = torch_parts
        runners["torch"] = (tstep, *convert(x, t))
    reps = {name: _calibrate(fn, a, b, block_s) for name, (fn, a, b) in runners.items()}
    times = {name: [] for name in runners}
    names = list(runners)
    for block in range(blocks):
        order = names if block % 2 == 0 else names[::-1]  # alternate who goes first
        for name in order:
            fn, a, b = runners[name]
            times[name].append(_time_block(fn, a, b, reps[name]))
    ratios = [m / f for m, f in zip(times["mlplab"], times["flat"])]
    loop_ratios = [m / f for m, f in zip(times["mlplab_loop"], times["flat"])]
    row = {
        "case": f"{'-'.join(map(str, sizes))}",
        "kind": kind,
        "batch": batch,
        "dtype": dtype,
        "mlplab_us": 1e6 * statistics.median(times["mlplab"]),
        "flat_us": 1e6 * statistics.median(times["flat"]),
        "mlplab_loop_us": 1e6 * statistics.median(times["mlplab_loop"]),
        "ratio_loop": statistics.median(loop_ratios),
        "ratio": statistics.median(ratios),
        "ratio_best": min(times["mlplab"]) / min(times["flat"]),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "reps_per_block": reps["mlplab"],
        "blocks": blocks,
    }
    if "torch" in times:
        row["torch_us"] = 1e6 * statistics.median(times["torch"])
    return row


def machine_info():
    info = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": platform.platform(),
        "processor": platform.processor(),
        "cpus": os.cpu_count(),
        "threads": THREADS if THREADS > 0 else "default",
    }
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        info["blas"] = f"{blas.get('name')} {blas.get('version', '')}".strip()
    except Exception:  # noqa: BLE001 - older numpy: no dict mode
        info["blas"] = "unknown"
    try:
        import torch

        info["torch"] = torch.__version__
    except ImportError:
        info["torch"] = None
    return info


def markdown(rows, info):
    has_torch = any("torch_us" in r for r in rows)
    head = (
        "| net | batch | dtype | mlplab µs/step | flat µs/step | mlplab/flat (min–max) "
        "| best/best | mlplab+loop µs | loop/flat |"
    )
    sep = "|---|---:|---|---:|---:|---:|---:|---:|---:|"
    if has_torch:
        head += " torch µs/step |"
        sep += "---:|"
    lines = [head, sep]
    for r in rows:
        line = (
            f"| {r['case']} {r['kind']} | {r['batch']} | {r['dtype']} | {r['mlplab_us']:.1f} "
            f"| {r['flat_us']:.1f} | {r['ratio']:.3f} ({r['ratio_min']:.2f}–{r['ratio_max']:.2f}) "
            f"| {r['ratio_best']:.3f} | {r['mlplab_loop_us']:.1f} | {r['ratio_loop']:.3f} |"
        )
        if has_torch:
            line += f" {r.get('torch_us', float('nan')):.1f} |"
        lines.append(line)
    lines.append("")
    lines.append(
        f"numpy {info['numpy']} ({info['blas']}), Python {info['python']}, {info['platform']}, "
        f"{info['cpus']} CPUs, threads {info['threads']}"
        + (f", torch {info['torch']}" if info["torch"] else ", torch not installed")
    )
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="5 short blocks per case")
    ap.add_argument("--json", type=Path, help="also write the results to this JSON file")
    ap.add_argument("--blocks", type=int, default=15, help="timing blocks per case")
    ap.add_argument("--block-ms", type=float, default=40.0, help="target length of one block")
    ap.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS/OpenMP/torch threads (default 1: stable timings; 0 = leave the defaults)",
    )
    args = ap.parse_args(argv)
    blocks = 5 if args.quick else args.blocks
    block_s = (10.0 if args.quick else args.block_ms) / 1000
    rows = []
    for _label, sizes, batch, kind in CASES:
        for dtype in DTYPES:
            rows.append(bench_case(sizes, batch, kind, dtype, blocks, block_s))
            print(
                f"  {'-'.join(map(str, sizes))} batch {batch} {dtype}: ratio {rows[-1]['ratio']:.3f}",
                file=sys.stderr,
            )
    info = machine_info()
    print(markdown(rows, info))
    worst = max(r["ratio"] for r in rows)
    print(
        f"\nworst ratio {worst:.3f} (target <= 1.15): {'OK' if worst <= 1.15 else 'ABOVE TARGET'}"
    )
    if args.json:
        args.json.write_text(
            json.dumps({"machine": info, "target": 1.15, "results": rows}, indent=2)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
