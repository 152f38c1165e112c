"""Search output: leaderboard, figures, the best configuration as a file, the report page.

Everything is rebuilt from the study database, so a resumed search reports every trial.

- ``leaderboard``: the top ``top_k`` complete trials (rank, trial, metric, hyperparameters,
  seconds), as text and in ``metrics.json``;
- figures: ``metric_vs_<param>`` (one scatter per hyperparameter, log axis for log ranges),
  ``parallel`` (parallel coordinates, one line per trial coloured by the metric) and
  ``best_k`` (DLfS ``hyperparameter_optimization.py``'s "Best-k" grid: 4 x 5 learning curves,
  validation solid, training dashed);
- ``best.toml``: the experiment with the best values filled in (``mlplab run best.toml``);
- the run folder (:func:`mlplab.viz.report.write_run_dir`): config, metrics, output.txt,
  figures, ``report.html``.
"""

from __future__ import annotations

import math
from pathlib import Path

from .space import Categorical, FloatRange, IntRange, toml_dumps

__all__ = ["collect", "leaderboard_text", "search_figures", "best_spec_toml", "write_report"]


def collect(study, cfg, result) -> None:
    """Fill ``result`` (counts, rows, best) from the study's trials."""
    from optuna.trial import TrialState

    rows = []
    result.n_complete = result.n_pruned = result.n_failed = result.n_interrupted = 0
    for t in study.get_trials(deepcopy=False):
        if t.state in (TrialState.RUNNING, TrialState.WAITING):
            continue
        info = t.user_attrs.get("result") or {}
        if t.user_attrs.get("interrupted"):
            result.n_interrupted += 1
            continue
        state = {TrialState.COMPLETE: "complete", TrialState.PRUNED: "pruned"}.get(t.state, "fail")
        if state == "complete":
            result.n_complete += 1
        elif state == "pruned":
            result.n_pruned += 1
        else:
            result.n_failed += 1
        value = t.value if state == "complete" else None
        if state == "pruned" and t.intermediate_values:
            value = t.intermediate_values[max(t.intermediate_values)]
        rows.append(
            {
                "number": t.number,
                "state": state,
                "value": value,
                "params": cfg.decode(t.params),
                "time_s": info.get("time_s"),
                "message": info.get("message") or t.user_attrs.get("message"),
                "curves": info.get("curves") or {},
            }
        )
    sign = -1.0 if cfg.direction == "maximize" else 1.0

    def order(r):
        v = r["value"]
        bad = r["state"] != "complete" or v is None or not math.isfinite(v)
        return (bad, sign * v if not bad else 0.0, r["number"])

    rows.sort(key=order)
    result.rows = rows
    best = rows[0] if rows and rows[0]["state"] == "complete" else None
    result.best = None if best is None else {k: best[k] for k in ("number", "value", "params")}


def _fmt_param(v) -> str:
    if isinstance(v, float):
        return f"{v:.3e}" if (v != 0 and (abs(v) < 1e-2 or abs(v) >= 1e4)) else f"{v:.4g}"
    if isinstance(v, list):
        return "-".join(map(str, v))
    return str(v)


def _short(path: str) -> str:
    return path.partition(".")[2]


def leaderboard_text(result, k: int | None = None) -> str:
    """Counts, the top ``k`` trials as a table, and the failures' messages."""
    cfg = result.config
    k = cfg.top_k if k is None else k
    lines = [
        f"search {result.spec.name}: {cfg.sampler} sampler, {cfg.metric} ({cfg.direction}), "
        f"pruner {cfg.pruner}, study {result.study_name}",
        f"storage: {result.storage}",
        f"trials: {result.n_complete} complete, {result.n_pruned} pruned, {result.n_failed} "
        f"failed ({result.n_finished} of {cfg.trials}); {result.n_run_now} run now, "
        f"{result.n_interrupted} interrupted and re-run",
    ]
    keys = list(cfg.space)
    head = f"{'rank':>4} {'trial':>5} {cfg.metric:>10} " + " ".join(
        f"{_short(p):>14}" for p in keys
    )
    lines += ["", f"Best-{k} (sorted by final {cfg.metric}):", head + f" {'time s':>7}"]
    top = [r for r in result.rows if r["state"] == "complete"][:k]
    for i, r in enumerate(top, 1):
        lines.append(
            f"{i:>4} {r['number']:>5} {r['value']:>10.4f} "
            + " ".join(f"{_fmt_param(r['params'].get(p)):>14}" for p in keys)
            + f" {(r['time_s'] or 0):>7.2f}"
        )
    fails = [r for r in result.rows if r["state"] == "fail"]
    if fails:
        lines += ["", f"failed trials ({len(fails)}):"]
        for r in fails[:20]:
            lines.append(f"  #{r['number']}: {r['message']}")
        if len(fails) > 20:
            lines.append(f"  ... and {len(fails) - 20} more")
    if result.best:
        lines += [
            "",
            f"best: trial {result.best['number']}, {cfg.metric} = {result.best['value']:.4f}, "
            + ", ".join(f"{_short(p)} = {_fmt_param(v)}" for p, v in result.best["params"].items()),
        ]
    return "\n".join(lines)


def _is_log(p) -> bool:
    return isinstance(p, (FloatRange, IntRange)) and p.log


def search_figures(result) -> dict:
    """``{"metric_vs_<param>": Figure, "parallel": Figure, "best_k": Figure}`` (matplotlib)."""
    import numpy as np

    from ..viz._common import new_figure
    from ..viz.curves import plot_grid_curves

    cfg = result.config
    done = [r for r in result.rows if r["state"] == "complete" and r["value"] is not None]
    figs = {}
    if not done:
        return figs
    vals = np.array([r["value"] for r in done], dtype=float)
    for path, p in cfg.space.items():
        fig = new_figure((5.0, 3.6))
        ax = fig.add_subplot(1, 1, 1)
        if isinstance(p, Categorical):
            labels = [_fmt_param(v) for v in p.values]
            xs = np.array([labels.index(_fmt_param(r["params"][path])) for r in done], float)
            jitter = np.random.default_rng(0).uniform(-0.15, 0.15, len(xs))
            ax.scatter(xs + jitter, vals, s=18, alpha=0.8)
            ax.set_xticks(range(len(labels)), labels)
        else:
            xs = np.array([float(r["params"][path]) for r in done])
            ax.scatter(xs, vals, s=18, alpha=0.8, c=vals, cmap="viridis")
            if _is_log(p):
                ax.set_xscale("log")
        ax.set_xlabel(path)
        ax.set_ylabel(cfg.metric)
        ax.set_title(f"{cfg.metric} vs {_short(path)} ({len(done)} trials)", fontsize=10)
        fig.tight_layout()
        figs[f"metric_vs_{_short(path)}"] = fig

    # parallel coordinates: each hyperparameter scaled to [0, 1], the metric last
    keys = list(cfg.space)
    cols = []
    for path in keys:
        p = cfg.space[path]
        if isinstance(p, Categorical):
            labels = [_fmt_param(v) for v in p.values]
            c = np.array([labels.index(_fmt_param(r["params"][path])) for r in done], float)
            c = c / max(len(labels) - 1, 1)
        else:
            c = np.array([float(r["params"][path]) for r in done])
            lo, hi = float(p.low), float(p.high)
            if _is_log(p):
                c, lo, hi = np.log10(c), math.log10(lo), math.log10(hi)
            c = (c - lo) / (hi - lo)
        cols.append(c)
    vmin, vmax = float(vals.min()), float(vals.max())
    cols.append((vals - vmin) / (vmax - vmin) if vmax > vmin else np.full_like(vals, 0.5))
    M = np.stack(cols, axis=1)  # (trials, axes)
    fig = new_figure((1.6 * (len(keys) + 1) + 1.5, 4.0))
    ax = fig.add_subplot(1, 1, 1)
    from matplotlib import colormaps

    cmap = colormaps["viridis"]
    order = np.argsort(vals if cfg.direction == "maximize" else -vals)  # best drawn last
    for i in order:
        ax.plot(range(M.shape[1]), M[i], color=cmap(M[i, -1]), alpha=0.7, lw=1.2)
    names = [_short(p) + (" (log)" if _is_log(cfg.space[p]) else "") for p in keys] + [cfg.metric]
    ax.set_xticks(range(M.shape[1]), names, fontsize=8)
    for x in range(M.shape[1]):
        ax.axvline(x, color="0.6", lw=0.8)
    ax.set_yticks([0, 1], ["low", "high"])
    ax.set_title(
        f"parallel coordinates ({cfg.metric} {vmin:.3g} .. {vmax:.3g}; yellow = high)", fontsize=10
    )
    fig.tight_layout()
    figs["parallel"] = fig

    # DLfS "Best-k": 4 x 5 grid of learning curves (validation solid, training dashed)
    key = cfg.eval_key
    train_key = "train_acc" if key.endswith("acc") else "train_loss"
    grid = {}
    for i, r in enumerate(done[: min(cfg.top_k, 20)], 1):
        cv = r["curves"]
        if not cv.get(key):
            continue
        nan = float("nan")
        panel = {"validation": [nan if v is None else v for v in cv[key]]}
        if cv.get(train_key):
            panel["train"] = [nan if v is None else v for v in cv[train_key]]
        grid[f"Best-{i} ({r['value']:.3f})"] = panel
    if grid:
        ylim = (0.0, 1.0) if key.endswith("acc") else None
        figs["best_k"] = plot_grid_curves(
            grid, ncols=5, xlabel="epochs", ylabel=cfg.metric, ylim=ylim
        )
    return figs


def best_spec_toml(result) -> str | None:
    """The experiment with the best trial's values, as a runnable TOML file."""
    if not result.best:
        return None
    spec = result.spec.with_overrides(result.best["params"])
    sections = {k: dict(v) for k, v in spec.sections.items()}
    sections["experiment"]["name"] = f"{result.spec.name}-best"
    sections["experiment"]["description"] = (
        f"best of search {result.study_name}: trial {result.best['number']}, "
        f"{result.config.metric} = {result.best['value']:.4f}"
    )
    for sec in sections.values():  # "not set" values are simply left out
        for k in [k for k, v in sec.items() if v is None]:
            del sec[k]
    header = (
        f"Best configuration of `mlplab search` ({result.study_name}).\n"
        + "\n".join(f"{p} = {_fmt_param(v)}" for p, v in result.best["params"].items())
        + "\nRun it: mlplab run best.toml"
    )
    return toml_dumps(sections, header=header)


def write_report(result, argv=None):
    """Leaderboard text, figures, ``best.toml`` and the run folder; returns the RunResult."""
    from ..experiments.registry import RunResult

    cfg = result.config
    text = leaderboard_text(result)
    best_toml = best_spec_toml(result)
    out = Path(result.out)
    if best_toml is not None:
        from ..experiments.spec import load_spec

        (out / "best.toml").write_text(best_toml, encoding="utf-8")
        load_spec(out / "best.toml")  # it must be a valid experiment file
        text += f"\nbest configuration written to {out / 'best.toml'}"
    try:
        figs = search_figures(result)
    except Exception as exc:  # noqa: BLE001 - a drawing problem must not lose the search
        figs = {}
        text += f"\n(figures skipped: {type(exc).__name__}: {exc})"
    top = [r for r in result.rows if r["state"] == "complete"][: cfg.top_k]
    series = {}
    for i, r in enumerate(top, 1):
        for k in ("val_acc", "train_acc", "val_loss", "train_loss"):
            v = r["curves"].get(k)
            if v and any(x is not None for x in v):
                series[f"best{i}/{k}"] = [float("nan") if x is None else x for x in v]
    metrics = {
        "study": result.study_name,
        "storage": result.storage,
        "metric": cfg.metric,
        "direction": cfg.direction,
        "best": result.best,
        "counts": {
            "complete": result.n_complete,
            "pruned": result.n_pruned,
            "failed": result.n_failed,
            "interrupted": result.n_interrupted,
            "budget": cfg.trials,
        },
        "leaderboard": [{k: r[k] for k in ("number", "value", "params", "time_s")} for r in top],
        "elapsed_s": round(result.elapsed, 3),
        "overhead_ms_per_trial": result.overhead_ms,
    }
    notes = [
        "Every trial is in the study database; run the same command again to continue "
        "(interrupted trials are re-run, finished ones never).",
        "The metric of a trial is its value at the last evaluation (DLfS sorts by the final "
        "validation accuracy).",
    ]
    if cfg.validation > 0:
        notes.append(
            f"Validation set: {cfg.validation:.0%} of the training rows, shuffled with "
            "experiment.seed and held out (DLfS hyperparameter_optimization.py)."
        )
    if result.spec.data.get("name") == "fashion-mnist":
        notes.append(
            "Data set: Fashion-MNIST, not MNIST as in DLfS (pass --data DIR for MNIST); "
            "accuracies are lower than the book's (best 0.84 at lr 9.4e-3, wd 2.8e-6 on MNIST)."
        )
    rr = RunResult(
        result.spec.name,  # the report's title says "mlplab search: NAME"
        text,
        metrics=metrics,
        # the experiment's own sections (experiment, data, model, train ...) and the search table
        config={**result.spec.to_dict(), "search": cfg.to_dict()},
        figures=figs,
        notes=notes,
        series=series,
    )
    from .. import i18n
    from ..viz.report import write_run_dir

    write_run_dir(rr, out, argv=argv, lang=i18n.default_lang())
    for f in figs.values():
        try:
            f.clear()
        except Exception:  # noqa: BLE001
            pass
    return rr
