"""Histograms of hidden activations.

* :func:`plot_unit_histograms`: the notebook's ``draw_hist`` (z1, z2, z3 side by side, 20 bins,
  skyblue / lightgreen / salmon), to compare runs with and without batch normalization.
* :func:`plot_layer_histograms`: DLfS ``weight_init_activation_histogram.py`` (1×5 panels
  "1-layer" … "5-layer", 30 bins, range (0, 1), y ticks only on the first panel).
* :func:`plot_layer_histogram_rows`: one such row per configuration (e.g. weight std 1, 0.01,
  Xavier, He) in one figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..errors import MlplabTypeError, check_int
from ._common import HIST_COLORS, finish, lang_of, new_figure
from .fonts import text


def _flat(name, a) -> np.ndarray:
    arr = np.asarray(a, dtype=float).ravel()
    if arr.size == 0:
        raise MlplabTypeError(f"{name} is empty; nothing to histogram")
    return arr[np.isfinite(arr)]


def plot_unit_histograms(
    values: Mapping[str, Sequence[float]],
    bins: int = 20,
    colors: Sequence[str] = HIST_COLORS,
    title: str | None = None,
    lang: str = "en",
    save=None,
):
    """One histogram per named array, side by side (notebook ``draw_hist``).

    Parameters
    ----------
    values : dict name -> array_like
        E.g. ``{"z1": z[:, 0], "z2": z[:, 1], "z3": z[:, 2]}`` (any shape; flattened).
    bins : int
        Bins per histogram (notebook: 20).
    colors : sequence of str
        Bar colours, cycled (notebook: skyblue, lightgreen, salmon; black edges).
    title : str, optional
        Figure title (e.g. ``"batch normalization"``).

    Returns
    -------
    matplotlib.figure.Figure with ``len(values)`` axes in one row.
    """
    if not isinstance(values, Mapping) or not values:
        raise MlplabTypeError("values must be a non-empty dict name -> array")
    bins = check_int("bins", bins, 1, 10_000)
    lang = lang_of(lang)
    k = len(values)
    fig = new_figure((max(10.0, 3.3 * k), 5.0) if k >= 3 else (3.6 * k + 1, 4.0))
    for i, (name, arr) in enumerate(values.items()):
        ax = fig.add_subplot(1, k, i + 1)
        ax.hist(_flat(name, arr), bins=bins, color=colors[i % len(colors)], edgecolor="black")
        ax.set_title(text("histogram_of", lang, name))
        ax.set_xlabel(text("value", lang))
        ax.set_ylabel(text("frequency", lang))
    if title:
        fig.suptitle(title)
    return finish(fig, lang, save)


def _layer_row(fig, nrows, row, acts, bins, range_, ylabel, lang, ncols=None):
    k = ncols or len(acts)
    axes = []
    for i, a in enumerate(acts):
        ax = fig.add_subplot(nrows, k, row * k + i + 1, sharey=axes[0] if axes else None)
        axes.append(ax)
        ax.hist(_flat(f"activations[{i}]", a), bins, range=range_)
        if row == 0:
            ax.set_title(text("layer", lang, i + 1))
        if i != 0:
            ax.tick_params(labelleft=False)
        elif ylabel:
            ax.set_ylabel(ylabel)
    return axes


def _as_list(activations):
    if isinstance(activations, Mapping):
        return [activations[k] for k in activations]
    if isinstance(activations, np.ndarray) and activations.ndim >= 2:
        return list(activations)
    if not isinstance(activations, (list, tuple)) or not activations:
        raise MlplabTypeError("activations must be a non-empty list of arrays (one per layer)")
    return list(activations)


def plot_layer_histograms(
    activations,
    bins: int = 30,
    range=(0.0, 1.0),  # noqa: A002 - DLfS/matplotlib name
    title: str | None = None,
    lang: str = "en",
    save=None,
):
    """Histogram of every layer's activations in one row (DLfS ch.6 weight-init figure).

    Parameters
    ----------
    activations : list of arrays, or dict layer index -> array
        The outputs of each hidden layer, e.g. 5 arrays of shape (1000, 100).
    bins : int
        30 in DLfS.
    range : (float, float) or None
        Histogram range; ``(0, 1)`` for sigmoid outputs (DLfS), ``None`` for data range.

    Returns
    -------
    matplotlib.figure.Figure with one row of ``len(activations)`` axes titled "1-layer", ...
    """
    acts = _as_list(activations)
    bins = check_int("bins", bins, 1, 10_000)
    lang = lang_of(lang)
    fig = new_figure((2.4 * len(acts) + 0.6, 3.2))
    _layer_row(fig, 1, 0, acts, bins, range, None, lang)
    if title:
        fig.suptitle(title)
    return finish(fig, lang, save)


def plot_layer_histogram_rows(
    rows: Mapping[str, Sequence],
    bins: int = 30,
    range=(0.0, 1.0),  # noqa: A002
    lang: str = "en",
    save=None,
):
    """Several configurations, one row of layer histograms each (row label on the left).

    Parameters
    ----------
    rows : dict name -> list of arrays
        E.g. ``{"std=1": acts1, "std=0.01": acts2, "Xavier": acts3, "He": acts4}``.

    Returns
    -------
    matplotlib.figure.Figure with ``len(rows)`` × ``max layers`` axes.
    """
    if not isinstance(rows, Mapping) or not rows:
        raise MlplabTypeError("rows must be a non-empty dict name -> list of arrays")
    bins = check_int("bins", bins, 1, 10_000)
    lang = lang_of(lang)
    lists = {name: _as_list(a) for name, a in rows.items()}
    k = max(len(v) for v in lists.values())
    fig = new_figure((2.4 * k + 0.8, 2.3 * len(lists) + 0.4))
    for r, (name, acts) in enumerate(lists.items()):
        # rows with fewer layers leave empty cells on the right
        _layer_row(fig, len(lists), r, acts, bins, range, str(name), lang, ncols=k)
    return finish(fig, lang, save)
