"""Wall time of every built-in experiment (quick mode; ``--full`` for the full-size runs).

Usage::

    PYTHONPATH=src python benchmarks/bench_experiments.py [--full] [--only NAME ...] [--json OUT]

Prints one line per experiment: seconds and the headline metrics (test accuracy, or the final
batch loss of each variant).
"""

from __future__ import annotations

import argparse
import json
import time

from mlplab.experiments.registry import get_run, resolve_options

NAMES = (
    "init-histograms",
    "init-compare",
    "optimizer-compare",
    "batchnorm-scales",
    "overfit",
    "mnist-two-layer",
    "fashion-best",
)


def headline(res) -> dict:
    m = res.metrics
    if "variants" not in m:
        return {k: m.get(k) for k in ("train_acc", "test_acc")}
    out = {}
    for label, s in m["variants"].items():
        if "final_batch_loss" in s:
            out[label] = {
                "batch_loss": None
                if s["final_batch_loss"] is None
                else round(s["final_batch_loss"], 4),
                "test_acc": s.get("test_acc"),
                "train_acc": s.get("train_acc"),
            }
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="full-size runs (minutes)")
    ap.add_argument("--only", nargs="*", default=None, help="experiment names")
    ap.add_argument("--json", default=None, help="write the results to this file")
    ap.add_argument("--figures", action="store_true", help="also draw the figures")
    args = ap.parse_args(argv)
    rows = {}
    for name in args.only or NAMES:
        spec = get_run(name)
        opts = resolve_options(spec, {"quick": not args.full, "seed": None})
        opts["figures"] = args.figures
        t0 = time.perf_counter()
        res = spec.fn(opts)
        wall = time.perf_counter() - t0
        rows[name] = {"seconds": round(wall, 2), "metrics": headline(res)}
        print(f"{name:<20} {wall:8.2f} s  {json.dumps(rows[name]['metrics'])}", flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"full": args.full, "runs": rows}, fh, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
