"""One sheet with every activation function of :mod:`mlplab.functions` and its derivative."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._common import finish, grid_shape, lang_of, new_figure
from .fonts import text


def activation_curves(name: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, str]:
    """``(f(x), f'(x), label)`` for one activation on a 1-D grid ``x``.

    Softmax is shown as its two-class slice ``softmax([x, 0])₀`` (equal to σ(x)) with the
    diagonal of its Jacobian ``y(1 − y)``, since it has no scalar graph of its own.
    """
    from .. import functions as F

    act = F.get_activation(name)
    if act.df is None:  # softmax: not elementwise
        z = np.stack([x, np.zeros_like(x)], axis=-1)
        y = act.f(z)[:, 0]
        return y, y * (1.0 - y), "softmax([x, 0])₀"
    y = act.f(x)
    d = act.df(x, y)
    label = act.name
    if act.params:
        label += " (" + ", ".join(f"{k}={v:g}" for k, v in act.params.items()) + ")"
    return np.asarray(y, float), np.broadcast_to(np.asarray(d, float), x.shape), label


def plot_activation_gallery(
    names: Sequence[str] | None = None,
    x=None,
    ncols: int = 4,
    lang: str = "en",
    save=None,
):
    """Every activation (solid) with its derivative (dashed), one small panel each.

    Parameters
    ----------
    names : sequence of str, optional
        Activation names; default ``mlplab.functions.ACTIVATION_NAMES`` (all of them).
    x : array_like, shape (n,), optional
        Grid; default ``linspace(-5, 5, 401)``.
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .. import functions as F

    lang = lang_of(lang)
    names = list(F.ACTIVATION_NAMES if names is None else names)
    xs = np.linspace(-5.0, 5.0, 401) if x is None else np.asarray(x, dtype=float)
    curves = [activation_curves(n, xs) for n in names]  # validates every name first
    nrows, ncols = grid_shape(len(names), ncols)
    fig = new_figure((3.0 * ncols, 2.4 * nrows + 0.5))
    for i, (y, d, label) in enumerate(curves):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        ax.axhline(0, color="#bbbbbb", lw=0.6)
        ax.axvline(0, color="#bbbbbb", lw=0.6)
        ax.plot(xs, y, lw=1.8, label=text("function", lang))
        ax.plot(xs, d, "--", lw=1.2, label=text("derivative", lang))
        ax.set_title(label, fontsize=10)
        ax.tick_params(labelsize=7)
        lo = float(np.nanmin(np.r_[y, d]))
        hi = float(np.nanmax(np.r_[y, d]))
        span = max(hi - lo, 1e-3)
        ax.set_ylim(lo - 0.08 * span, hi + 0.08 * span)
        if i == 0:
            ax.legend(fontsize=7, loc="upper left")
    fig.suptitle(text("activation_functions", lang))
    return finish(fig, lang, save)
