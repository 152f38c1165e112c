"""Regenerate the README's table of the classic experiments from real runs.

    .venv/bin/python benchmarks/readme_results.py          # all seven runs (~5-10 min, 2 cores)
    .venv/bin/python benchmarks/readme_results.py overfit  # only some rows (others kept)

Runs each experiment exactly as ``mlplab run NAME`` does, takes every number of its row from the
run's own metrics (so the README says what the code prints), rewrites the table between the
``<!-- results:begin -->`` / ``<!-- results:end -->`` markers of README.md, stores the rows in
``benchmarks/readme_results.json`` and the figures in ``docs/figures/`` (PNG).  Wall times are
measured here: run it on a quiet machine.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORE = ROOT / "benchmarks" / "readme_results.json"
FIGURES = {  # run -> (figure name in the run, file in docs/figures)
    "mnist-two-layer": ("accuracy", "mnist-two-layer.png"),
    "init-compare": ("loss", "init-compare.png"),
    "optimizer-compare": ("loss", "optimizer-compare.png"),
    "batchnorm-scales": ("bn_grid", "batchnorm-scales.png"),
    "overfit": ("accuracy", "overfit.png"),
    "fashion-best": ("confusion", "fashion-best-confusion.png"),
}


def _v(m, label, key):
    return (m.get("variants") or {}).get(label, m).get(key)


def _runs(points: list[tuple[str, str]]) -> str:
    """``[(scale, result), ...]`` with equal neighbouring results joined: ``0.115 at W
    0.04642–0.0001``."""
    groups: list[list] = []
    for w, v in points:
        if groups and groups[-1][2] == v:
            groups[-1][1] = w
        else:
            groups.append([w, w, v])
    return ", ".join(f"{v} at W {a}" if a == b else f"{v} at W {a}–{b}" for a, b, v in groups)


def row(name: str, res, seconds: float) -> str:
    m = res.metrics
    if name == "mnist-two-layer":
        keys = m["gradcheck"][next(iter(m["gradcheck"]))]["keys"].values()
        errs = [r["rel_error"] for r in keys]
        what = (
            f"train {m['train_acc']:.4f}, test {m['test_acc']:.4f} (DLfS on MNIST: 0.978 / "
            f"0.969); gradient check rel. errors {min(errs):.0e} … {max(errs):.0e}"
        )
    elif name in ("init-compare", "optimizer-compare"):
        what = " · ".join(f"{k} {v['final_batch_loss']:.3f}" for k, v in m["variants"].items())
    elif name == "batchnorm-scales":
        g = m["grid"]
        bn = [r["bn"] for r in g.values() if r.get("bn") is not None]
        plain = [(t.removeprefix("W:"), r.get("plain")) for t, r in g.items()]
        what = f"BN {min(bn):.2f}–{max(bn):.2f} after 20 epochs at every scale; plain: " + _runs(
            [(w, "diverged" if v is None else f"{v:.3f}") for w, v in plain]
        )
    elif name == "overfit":
        what = " · ".join(
            f"{k} {v['train_acc']:.3f} / {v['test_acc']:.3f}" for k, v in m["variants"].items()
        )
    elif name == "fashion-best":
        what = (
            f"**test {m['test_acc']:.4f}** (best epoch {m['best_epoch_test_acc']:.4f}; "
            "target ≥ 0.89)"
        )
    else:
        what = json.dumps(m)[:200]
    return f"| {name} | {what} | {seconds:.0f} s |"


def main(names) -> None:
    from mlplab.experiments.registry import get_run, resolve_options

    store = json.loads(STORE.read_text()) if STORE.exists() else {}
    for name in names:
        spec = get_run(name)
        t0 = time.perf_counter()
        res = spec.fn(resolve_options(spec, {}))
        seconds = time.perf_counter() - t0
        store[name] = row(name, res, seconds)
        if name in FIGURES and FIGURES[name][0] in res.figures:
            res.figures[FIGURES[name][0]].savefig(
                ROOT / "docs" / "figures" / FIGURES[name][1], dpi=100
            )
        print(store[name], flush=True)
    STORE.write_text(json.dumps(store, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    begin, end = "<!-- results:begin -->", "<!-- results:end -->"
    head, _, rest = readme.partition(begin)
    _, _, tail = rest.partition(end)
    table = "\n".join(
        ["| run | result | wall time |", "|---|---|---|", *(store[n] for n in ALL if n in store)]
    )
    (ROOT / "README.md").write_text(
        head + begin + "\n" + table + "\n" + end + tail, encoding="utf-8"
    )


ALL = [
    "mnist-two-layer",
    "init-compare",
    "optimizer-compare",
    "batchnorm-scales",
    "overfit",
    "fashion-best",
]

if __name__ == "__main__":
    main(sys.argv[1:] or ALL)
