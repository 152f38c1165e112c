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

from .. import i18n
from ..i18n import pad
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


def user_lang() -> str:
    """The user's language (``MLPLAB_LANG``, ``LANG``; ``mlplab search --lang`` sets the first)."""
    try:
        return i18n.default_lang()
    except i18n.ConfigError:  # a bad MLPLAB_LANG: the command has already said so
        return "en"


def leaderboard_text(result, k: int | None = None, lang: str | None = None) -> str:
    """Counts, the top ``k`` trials as a table, and the failures' messages (in ``lang``)."""
    cfg = result.config
    k = cfg.top_k if k is None else k
    lang = lang or user_lang()

    def T(key, **kw):
        return i18n.t(f"search.{key}", lang, **kw)

    lines = [
        T("head", name=result.spec.name, sampler=cfg.sampler, metric=cfg.metric,
          direction=cfg.direction, pruner=cfg.pruner, study=result.study_name),
        T("storage", storage=result.storage),
        T("counts", complete=result.n_complete, pruned=result.n_pruned, failed=result.n_failed,
          finished=result.n_finished, budget=cfg.trials, now=result.n_run_now,
          interrupted=result.n_interrupted),
    ]  # fmt: skip
    keys = list(cfg.space)
    head = (
        f"{pad(T('col_rank'), 4, '>')} {pad(T('col_trial'), 5, '>')} {cfg.metric:>10} "
        + " ".join(f"{_short(p):>14}" for p in keys)
    )
    lines += ["", T("best_k", k=k, metric=cfg.metric), head + f" {pad(T('col_time'), 7, '>')}"]
    top = [r for r in result.rows if r["state"] == "complete"][:k]
    for i, r in enumerate(top, 1):
        lines.append(
            f"{i:>4} {r['number']:>5} {r['value']:>10.4f} "
            + " ".join(f"{_fmt_param(r['params'].get(p)):>14}" for p in keys)
            + f" {(r['time_s'] or 0):>7.2f}"
        )
    fails = [r for r in result.rows if r["state"] == "fail"]
    if fails:
        lines += ["", T("failed", n=len(fails))]
        for r in fails[:20]:
            lines.append(f"  #{r['number']}: {r['message']}")
        if len(fails) > 20:
            lines.append(T("more", n=len(fails) - 20))
    if result.best:
        lines += [
            "",
            T(
                "best",
                number=result.best["number"],
                metric=cfg.metric,
                value=f"{result.best['value']:.4f}",
            )
            + ", ".join(f"{_short(p)} = {_fmt_param(v)}" for p, v in result.best["params"].items()),
        ]
    return "\n".join(lines)


def _is_log(p) -> bool:
    return isinstance(p, (FloatRange, IntRange)) and p.log


def search_figures(result, lang: str = "en") -> dict:
    """``{"metric_vs_<param>": Figure, "parallel": Figure, "best_k": Figure}`` (matplotlib),
    titles in ``lang``."""
    import numpy as np

    from ..viz._common import finish, new_figure
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
        title = i18n.t("search.fig_metric_vs", lang, metric=cfg.metric, param=_short(path),
                       n=len(done))  # fmt: skip
        ax.set_title(title, fontsize=10)
        finish(fig, lang)  # the font, the layout, and one draw per saved file
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
    ax.set_yticks([0, 1], [i18n.t("search.low", lang), i18n.t("search.high", lang)])
    ax.set_title(
        i18n.t("search.fig_parallel", lang, metric=cfg.metric, lo=f"{vmin:.3g}", hi=f"{vmax:.3g}"),
        fontsize=10,
    )
    finish(fig, lang)
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
        val_label, train_label = i18n.term("validation", lang), i18n.term("train", lang)
        panel = {val_label: [nan if v is None else v for v in cv[key]]}
        if cv.get(train_key):
            panel[train_label] = [nan if v is None else v for v in cv[train_key]]
        grid[f"Best-{i} ({r['value']:.3f})"] = panel
    if grid:
        ylim = (0.0, 1.0) if key.endswith("acc") else None
        figs["best_k"] = plot_grid_curves(
            grid, ncols=5, xlabel="epochs", ylabel=cfg.metric, ylim=ylim, lang=lang
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
    lang = user_lang()
    text = leaderboard_text(result, lang=lang)
    best_toml = best_spec_toml(result)
    out = Path(result.out)
    if best_toml is not None:
        from ..experiments.spec import load_spec

        (out / "best.toml").write_text(best_toml, encoding="utf-8")
        load_spec(out / "best.toml")  # it must be a valid experiment file
        text += "\n" + i18n.t("search.best_written", lang, path=out / "best.toml")
    try:
        figs = search_figures(result, lang)
    except Exception as exc:  # noqa: BLE001 - a drawing problem must not lose the search
        figs = {}
        text += "\n" + i18n.t("search.figures_skipped", lang, error=f"{type(exc).__name__}: {exc}")
    captions = {}
    for name in figs:
        if name.startswith("metric_vs_"):
            param = name[len("metric_vs_") :].replace("_", " ")
            captions[name] = i18n.t("search.cap_metric_vs", lang, param=param)
        else:
            captions[name] = i18n.t(f"search.cap_{name}", lang)
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
    notes = [i18n.t("search.note_db", lang), i18n.t("search.note_metric", lang)]
    if cfg.validation > 0:
        notes.append(i18n.t("search.note_validation", lang, pct=f"{cfg.validation:.0%}"))
    if result.spec.data.get("name") == "fashion-mnist":
        notes.append(i18n.t("search.note_fashion", lang))
    rr = RunResult(
        result.spec.name,  # the report's title says "mlplab search: NAME"
        text,
        metrics=metrics,
        # the experiment's own sections (experiment, data, model, train ...) and the search table
        config={**result.spec.to_dict(), "search": cfg.to_dict()},
        figures=figs,
        notes=notes,
        series=series,
        captions=captions,
        lang=lang,
    )
    from ..viz.report import write_run_dir

    write_run_dir(rr, out, argv=argv, lang=lang)
    for f in figs.values():
        try:
            f.clear()
        except Exception:  # noqa: BLE001
            pass
    return rr
