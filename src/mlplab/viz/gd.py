"""Gradient-descent pictures: 1-D paths per learning rate, gradient fields, surfaces, optimizers.

Functions of two variables are passed vectorized: ``f(P) -> (M,)`` for points ``P`` of shape
``(M, 2)`` (``lambda P: P[:, 0]**2 / 20 + P[:, 1]**2`` is DLfS's ``optimizer_compare_naive``
function), gradients ``grad(P) -> (M, 2)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ..errors import MlplabTypeError, ShapeError, check_choice, check_int
from ._common import as_1d, finish, get_ax, grid_shape, lang_of, new_figure, set_title
from .fonts import text


def _eval2(f, X, Y) -> np.ndarray:
    P = np.c_[X.ravel(), Y.ravel()]
    Z = np.asarray(f(P), dtype=float)
    if Z.shape not in ((P.shape[0],), (P.shape[0], 1)):
        raise ShapeError(f"f must map points (M, 2) to values (M,), got shape {Z.shape}")
    return Z.reshape(X.shape)


def _mesh(xlim, ylim, n):
    xs = np.linspace(float(xlim[0]), float(xlim[1]), n)
    ys = np.linspace(float(ylim[0]), float(ylim[1]), n)
    return np.meshgrid(xs, ys)


def plot_gd_1d(
    f: Callable,
    path_by_lr: Mapping[float, Sequence[float]],
    xlim=None,
    n: int = 400,
    title: str | None = "gd_path",
    ax=None,
    lang: str = "en",
    save=None,
):
    """A 1-D function with the gradient-descent iterates for several learning rates.

    Parameters
    ----------
    f : callable
        Vectorized ``f(x) -> y`` on a 1-D array (e.g. ``lambda x: x**2``).
    path_by_lr : dict lr -> sequence of float
        Iterates x_0, x_1, … of x ← x − lr·f'(x) for each learning rate; each path is drawn
        as connected points, the start marked with a square.
    xlim : (float, float), optional
        Default: the range of all iterates plus 10 % (at least [-1, 1] around them).

    Returns
    -------
    matplotlib.figure.Figure
    """
    own = ax is None  # a caller's axes: the caller lays out its figure
    if not isinstance(path_by_lr, Mapping) or not path_by_lr:
        raise MlplabTypeError("path_by_lr must be a non-empty dict lr -> list of x")
    lang = lang_of(lang)
    paths = {lr: as_1d(f"path_by_lr[{lr!r}]", p) for lr, p in path_by_lr.items()}
    if xlim is None:
        allx = np.concatenate([p[np.isfinite(p)] for p in paths.values()] + [np.zeros(1)])
        lo, hi = float(allx.min()), float(allx.max())
        pad = max(0.1 * (hi - lo), 0.5)
        xlim = (lo - pad, hi + pad)
    xs = np.linspace(xlim[0], xlim[1], check_int("n", n, 10, 100_000))
    fig, ax = get_ax(ax, figsize=(6.4, 4.4))
    ax.plot(xs, np.asarray(f(xs), dtype=float), color="black", lw=1.2, label="f(x)")
    for i, (lr, p) in enumerate(paths.items()):
        inside = (p >= xlim[0]) & (p <= xlim[1])
        q = p[inside]
        fq = np.asarray(f(q), dtype=float)
        ax.plot(q, fq, "o-", ms=4, lw=0.8, color=f"C{i}", label=f"lr={lr:g}")
        if q.size:
            ax.plot(q[:1], fq[:1], "s", ms=7, color=f"C{i}")
    ax.set_xlim(*xlim)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    if title:
        set_title(ax, text(title, lang))
    ax.legend()
    return finish(fig, lang, save, tight=own)


def plot_quiver(
    fx_grad: Callable,
    xlim=(-2.0, 2.0),
    ylim=(-2.0, 2.0),
    n: int = 18,
    negate: bool = True,
    f: Callable | None = None,
    ax=None,
    lang: str = "en",
    save=None,
):
    """Gradient field as arrows (DLfS ``gradient_2d.py``: the arrows show −∇f).

    Parameters
    ----------
    fx_grad : callable
        ``grad(P) -> (M, 2)`` for points ``P`` (M, 2).
    negate : bool
        Draw −∇f (the descent direction, as DLfS) instead of ∇f.
    f : callable, optional
        If given, its contour lines are drawn underneath.

    Returns
    -------
    matplotlib.figure.Figure
    """
    own = ax is None  # a caller's axes: the caller lays out its figure
    lang = lang_of(lang)
    X, Y = _mesh(xlim, ylim, check_int("n", n, 2, 200))
    P = np.c_[X.ravel(), Y.ravel()]
    G = np.asarray(fx_grad(P), dtype=float)
    if G.shape != P.shape:
        raise ShapeError(f"fx_grad must map points (M, 2) to gradients (M, 2), got {G.shape}")
    if negate:
        G = -G
    fig, ax = get_ax(ax, figsize=(5.6, 5.0))
    if f is not None:
        ax.contour(X, Y, _eval2(f, X, Y), levels=12, colors="#cccccc", linewidths=0.8)
    ax.quiver(
        X, Y, G[:, 0].reshape(X.shape), G[:, 1].reshape(X.shape), angles="xy", color="#444444"
    )
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.set_title(("−∇f" if negate else "∇f") + f" ({text('gradient', lang)})")
    ax.grid(True, lw=0.3)
    return finish(fig, lang, save, tight=own)


def plot_surface_3d(
    f: Callable,
    xlim=(-3.0, 3.0),
    ylim=(-3.0, 3.0),
    n: int = 60,
    path=None,
    elev: float = 30.0,
    azim: float = -60.0,
    cmap: str = "viridis",
    lang: str = "en",
    save=None,
):
    """A 3-D surface plot of ``f(x0, x1)`` with an optional descent path on it.

    Parameters
    ----------
    f : callable
        ``f(P) -> (M,)`` for points ``P`` (M, 2).
    path : array_like (k, 2), optional
        Iterates drawn on the surface (red).

    Returns
    -------
    matplotlib.figure.Figure with one 3-D axes.
    """
    lang = lang_of(lang)
    X, Y = _mesh(xlim, ylim, check_int("n", n, 2, 400))
    Z = _eval2(f, X, Y)
    fig = new_figure((6.4, 5.2))
    ax = fig.add_subplot(1, 1, 1, projection="3d")
    ax.plot_surface(X, Y, Z, cmap=cmap, alpha=0.8, linewidth=0, antialiased=True)
    if path is not None:
        p = np.asarray(path, dtype=float)
        if p.ndim != 2 or p.shape[1] != 2:
            raise ShapeError(f"path must have shape (k, 2), got {p.shape}")
        ax.plot(
            p[:, 0], p[:, 1], np.asarray(f(p), dtype=float).ravel(), "o-", color="red", ms=3, lw=1.2
        )
    ax.view_init(elev=elev, azim=azim)
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.set_zlabel("f")
    return finish(fig, lang, save, tight=False)


def plot_optimizer_paths(
    f: Callable,
    paths: Mapping[str, np.ndarray],
    xlim=(-10.0, 10.0),
    ylim=(-10.0, 10.0),
    layout: str = "grid",
    n: int = 200,
    zmax: float | None = 7.0,
    minimum=(0.0, 0.0),
    lang: str = "en",
    save=None,
):
    """Optimizer trajectories on the contour lines of ``f`` (DLfS ``optimizer_compare_naive``).

    Parameters
    ----------
    f : callable
        ``f(P) -> (M,)``, e.g. ``lambda P: P[:, 0]**2 / 20 + P[:, 1]**2``.
    paths : dict name -> array_like (k, 2)
        The iterates of each optimizer (DLfS: SGD, Momentum, AdaGrad, Adam from (−7, 2)).
    layout : {"grid", "single"}
        One panel per optimizer (DLfS 2×2) or all paths on one axes.
    zmax : float or None
        Contour values above ``zmax`` are set to 0, as DLfS does (``Z[Z > 7] = 0``).
    minimum : (float, float) or None
        Marked with a ``+``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_choice("layout", layout, ("grid", "single"))
    if not isinstance(paths, Mapping) or not paths:
        raise MlplabTypeError("paths must be a non-empty dict name -> (k, 2) array")
    lang = lang_of(lang)
    arrs = {}
    for name, p in paths.items():
        a = np.asarray(p, dtype=float)
        if a.ndim != 2 or a.shape[1] != 2:
            raise ShapeError(f"paths[{name!r}] must have shape (k, 2), got {a.shape}")
        arrs[name] = a
    X, Y = _mesh(xlim, ylim, check_int("n", n, 10, 1000))
    Z = _eval2(f, X, Y)
    if zmax is not None:
        Z = np.where(Z > zmax, 0.0, Z)
    if layout == "grid":
        nrows, ncols = grid_shape(len(arrs), 2)
        fig = new_figure((5.0 * ncols, 4.2 * nrows))
        axes = [fig.add_subplot(nrows, ncols, i + 1) for i in range(len(arrs))]
    else:
        fig = new_figure((6.4, 5.0))
        axes = [fig.add_subplot(1, 1, 1)] * len(arrs)
    drawn = set()
    for i, ((name, a), ax) in enumerate(zip(arrs.items(), axes)):
        if id(ax) not in drawn:
            ax.contour(X, Y, Z, levels=12, cmap="Greys")
            if minimum is not None:
                ax.plot(*minimum, "+", color="black", ms=10)
            ax.set_xlim(*xlim)
            ax.set_ylim(*ylim)
            ax.set_xlabel("x")
            ax.set_ylabel("y")
            drawn.add(id(ax))
        color = "red" if layout == "grid" else f"C{i}"
        ax.plot(a[:, 0], a[:, 1], "o-", color=color, ms=3, lw=1, label=str(name))
        if layout == "grid":
            ax.set_title(str(name))
    if layout == "single":
        axes[0].legend()
        axes[0].set_title(text("optimizer_paths", lang))
    return finish(fig, lang, save)
