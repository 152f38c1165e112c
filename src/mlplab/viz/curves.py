"""Learning curves: loss/accuracy per epoch or step, several curves, small multiples.

``plot_curves`` covers the notebook's ``draw_loss`` (train/test loss per iteration) and DLfS
``weight_init_compare.py`` / ``optimizer_compare_mnist.py`` (smoothed loss per method);
``plot_grid_curves`` covers DLfS ``batch_norm_test.py`` (4×4 grid, BN vs. no BN per weight scale).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..errors import ConfigError, MlplabTypeError, check_choice
from ._common import as_1d, finish, get_ax, grid_shape, lang_of, new_figure, set_title
from .fonts import text

DLFS_MARKERS = ("o", "s", "D", "^", "v", "x", "*", "+")
LINESTYLES = ("-", "--", ":", "-.")


def smooth_curve(x):
    """Smooth a loss curve with a normalised Kaiser window, exactly as DLfS ``common/util.py``.

    The series is mirrored at both ends (10 points each side), convolved with
    ``w / w.sum()`` where ``w = np.kaiser(11, 2)``, and cropped back to ``len(x)``::

        s = r_[x[9:0:-1], x, x[-1:-11:-1]];  y = convolve(w/Σw, s, 'valid');  return y[5:-5]

    Parameters
    ----------
    x : array_like, shape (n,)
        The raw series (e.g. the loss after every iteration).

    Returns
    -------
    ndarray, shape (n,)
        The smoothed series. Series shorter than the window (n < 11) are returned unchanged
        as floats (DLfS would return a shorter, misaligned array there).
    """
    x = as_1d("x", x)
    window_len = 11
    if len(x) < window_len:
        return x.copy()
    s = np.r_[x[window_len - 1 : 0 : -1], x, x[-1:-window_len:-1]]
    w = np.kaiser(window_len, 2)
    y = np.convolve(w / w.sum(), s, mode="valid")
    return y[5 : len(y) - 5]


def _history_dict(history) -> dict:
    """A plain ``{key: list}`` from a History object (``.history``) or a mapping."""
    if isinstance(history, Mapping):
        return dict(history)
    h = getattr(history, "history", None)
    if isinstance(h, Mapping):
        out = dict(h)
        # mlplab.train.History keeps per-step values in .step ({"step": [...], "loss": [...]})
        for attr in ("step", "steps", "step_history"):
            steps = getattr(history, attr, None)
            if isinstance(steps, Mapping):
                out.update(
                    {
                        f"step_{k}": v
                        for k, v in steps.items()
                        if k != "step" and f"step_{k}" not in out
                    }
                )
        return out
    raise MlplabTypeError(
        f"history must be a dict or have a .history dict, got {type(history).__name__}"
    )


_ALIASES = {"acc": ("acc", "accuracy"), "accuracy": ("accuracy", "acc")}


def _find(h: dict, metric: str, per: str, prefix: str) -> str | None:
    for m in _ALIASES.get(metric, (metric,)):
        if per == "epoch":
            cands = [f"{prefix}{m}"]
        else:
            cands = [
                f"{prefix}step_{m}",
                f"step_{prefix}{m}",
                f"{prefix}{m}_step",
                f"{prefix}batch_{m}",
                f"batch_{prefix}{m}",
            ]
            if prefix == "":
                cands.append(f"train_step_{m}")
        for c in cands:
            if c in h and h[c] is not None and len(h[c]) > 0:
                return c
    return None


def plot_history(
    history,
    metrics: Sequence[str] = ("loss", "acc"),
    per: str = "epoch",
    smooth: bool = False,
    ax=None,
    lang: str = "en",
    save=None,
):
    """Plot a training history: one panel per metric, train and validation/test curves.

    Parameters
    ----------
    history : History or dict
        ``model.fit``'s return value (``.history`` dict) or a dict such as
        ``{"loss": [...], "val_loss": [...], "acc": [...], "val_acc": [...]}``.
        Per-step series are looked up as ``step_loss`` (or ``loss_step``, ``batch_loss``).
    metrics : sequence of str
        Metric names; ``"acc"`` also finds ``"accuracy"``. Missing metrics are skipped;
        if none is found a :class:`ConfigError` lists the available keys.
    per : {"epoch", "step"}
        Which series to use (x axis label follows).
    smooth : bool
        Apply :func:`smooth_curve` (DLfS Kaiser window) to every curve.
    ax : Axes or None
        Draw the first metric into this axes (only allowed with a single metric).

    Returns
    -------
    matplotlib.figure.Figure
    """
    own = ax is None  # a caller's axes: the caller lays out its figure
    check_choice("per", per, ("epoch", "step"))
    if isinstance(metrics, str):
        metrics = (metrics,)
    lang = lang_of(lang)
    h = _history_dict(history)
    found = [(m, _find(h, m, per, "")) for m in metrics]
    found = [(m, k) for m, k in found if k is not None]
    if not found:
        raise ConfigError(
            f"history has no {per} series for metrics {list(metrics)}; keys: {sorted(h)}"
        )
    if ax is not None and len(found) > 1:
        raise ConfigError("ax can only be given when plotting a single metric")
    if ax is None:
        fig = new_figure((5.0 * len(found), 4.0))
        axes = [fig.add_subplot(1, len(found), i + 1) for i in range(len(found))]
    else:
        fig, ax = get_ax(ax)
        axes = [ax]
    xlabel = text("epoch" if per == "epoch" else "iteration", lang)
    for a, (m, key) in zip(axes, found):
        curves = {text("train", lang): h[key]}
        for prefix, label in (("val_", "validation"), ("test_", "test")):
            k2 = _find(h, m, per, prefix)
            if k2 is not None:
                curves[text(label, lang)] = h[k2]
        _draw_curves(a, curves, smooth=smooth)
        a.set_xlabel(xlabel)
        a.set_ylabel(text(m, lang))
        a.legend()
    return finish(fig, lang, save, tight=own)


def _draw_curves(ax, series, smooth=False, x=None, markers=None, markevery=None, styles=None):
    if not isinstance(series, Mapping) or not series:
        raise MlplabTypeError("series must be a non-empty dict name -> list of numbers")
    for i, (label, values) in enumerate(series.items()):
        y = as_1d(f"series[{label!r}]", values)
        if smooth:
            y = smooth_curve(y)
        xs = np.arange(len(y)) if x is None else as_1d("x", x)[: len(y)]
        kw = {}
        if markers:
            kw["marker"] = (
                markers[label] if isinstance(markers, Mapping) else markers[i % len(markers)]
            )
            kw["markevery"] = markevery or max(1, len(y) // 10)
        if styles is not None:
            kw.update(styles(i))
        ax.plot(xs, y[: len(xs)], label=str(label), **kw)


def plot_curves(
    series: Mapping[str, Sequence[float]],
    x=None,
    xlabel: str = "iteration",
    ylabel: str = "loss",
    title: str | None = None,
    smooth: bool = False,
    ylim=None,
    logy: bool = False,
    markers=None,
    markevery: int | None = None,
    ax=None,
    lang: str = "en",
    save=None,
):
    """Several named curves on one axes (notebook ``draw_loss``; DLfS init/optimizer compare).

    Parameters
    ----------
    series : dict name -> sequence of float
        E.g. ``{"train": loss_bucket, "test": loss_bucket_test}``; lengths may differ.
    x : array_like, optional
        Shared x values (default ``0..n-1``).
    xlabel, ylabel, title : str
        Label keys (translated by :func:`~mlplab.viz.fonts.text` when known) or free text.
    smooth : bool
        Apply :func:`smooth_curve` to each curve (DLfS plots smoothed loss).
    ylim : (float, float), optional
        E.g. ``(0, 2.5)`` as DLfS ``weight_init_compare.py``.
    markers : True, sequence or dict, optional
        Markers per curve (``True``: DLfS ``o``, ``s``, ``D`` ...), shown every ``markevery``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    own = ax is None  # a caller's axes: the caller lays out its figure
    lang = lang_of(lang)
    fig, ax = get_ax(ax)
    if markers is True:
        markers = DLFS_MARKERS
    _draw_curves(ax, series, smooth=smooth, x=x, markers=markers, markevery=markevery)
    ax.set_xlabel(text(xlabel, lang))
    ax.set_ylabel(text(ylabel, lang))
    if title:
        set_title(ax, text(title, lang))
    if ylim is not None:
        ax.set_ylim(*ylim)
    if logy:
        ax.set_yscale("log")
    ax.legend()
    return finish(fig, lang, save, tight=own)


def plot_grid_curves(
    grid: Mapping[str, Mapping[str, Sequence[float]]],
    ncols: int = 4,
    xlabel: str = "epochs",
    ylabel: str = "accuracy",
    ylim=None,
    smooth: bool = False,
    legend: str = "last",
    panel_size=(2.6, 2.2),
    lang: str = "en",
    save=None,
):
    """Small multiples: one panel per title, several named curves per panel.

    DLfS ``batch_norm_test.py``: 16 weight scales (``"W:1.0"`` ...), each with
    ``{"Batch Normalization": [...], "Normal(without BatchNorm)": [...]}``; the k-th label is
    drawn with the k-th line style (solid, dashed, ...) and the same colour in every panel.

    Parameters
    ----------
    grid : dict title -> dict label -> sequence of float
    ncols : int
        Panels per row (4 for the 4×4 grid).
    legend : {"last", "all", "none"}
        Where to draw the legend.

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_choice("legend", legend, ("last", "all", "none"))
    if not isinstance(grid, Mapping) or not grid:
        raise MlplabTypeError("grid must be a non-empty dict title -> dict label -> series")
    lang = lang_of(lang)
    nrows, ncols = grid_shape(len(grid), ncols)
    fig = new_figure((panel_size[0] * ncols, panel_size[1] * nrows))
    labels: list[str] = []
    for panel in grid.values():
        for lab in panel:
            if lab not in labels:
                labels.append(lab)
    colors = [f"C{i % 10}" for i in range(len(labels))]
    axes = []
    for i, (title, panel) in enumerate(grid.items()):
        ax = fig.add_subplot(nrows, ncols, i + 1, sharey=axes[0] if axes else None)
        axes.append(ax)
        for lab, values in panel.items():
            k = labels.index(lab)
            y = as_1d(f"grid[{title!r}][{lab!r}]", values)
            if smooth:
                y = smooth_curve(y)
            ax.plot(
                np.arange(len(y)),
                y,
                LINESTYLES[k % len(LINESTYLES)],
                color=colors[k],
                label=str(lab),
            )
        ax.set_title(str(title), fontsize=9)
        ax.tick_params(labelsize=7)
        row, col = divmod(i, ncols)
        if col == 0:
            ax.set_ylabel(text(ylabel, lang), fontsize=8)
        else:
            ax.tick_params(labelleft=False)
        if row == nrows - 1 or i + ncols >= len(grid):
            ax.set_xlabel(text(xlabel, lang), fontsize=8)
        if ylim is not None:
            ax.set_ylim(*ylim)
        if legend == "all" or (legend == "last" and i == len(grid) - 1):
            ax.legend(fontsize=6, loc="lower right")
    return finish(fig, lang, save)
