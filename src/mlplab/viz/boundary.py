"""Decision boundaries of 2-D classifiers (the notebook's ``decision_boundary`` cell).

The classifier is any callable ``predict(points) -> probabilities`` with ``points`` of shape
``(M, 2)``, e.g. ``model.predict``. Colours follow the notebook: training points blue (class 0)
and yellow (class 1), test points green and purple, the predicted regions filled with
``contourf(..., alpha=0.3)``.
"""

from __future__ import annotations

import numpy as np

from ..errors import ShapeError, check_choice, check_int, check_positive
from ._common import (
    TEST_COLORS,
    TRAIN_COLORS,
    as_points,
    finish,
    get_ax,
    lang_of,
    new_figure,
    set_title,
)
from .fonts import text


def _labels(name, y, n) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim == 2:  # one-hot / (N, 1) targets
        arr = arr[:, 0] if arr.shape[1] == 1 else arr.argmax(axis=1)
    if arr.shape != (n,):
        raise ShapeError(f"{name} must have shape ({n},) or ({n}, C), got {np.shape(y)}")
    return np.rint(arr).astype(int)


def _class_colors(k: int, n_classes: int, test: bool):
    if n_classes <= 2:
        return (TEST_COLORS if test else TRAIN_COLORS)[k % 2]
    return f"C{k % 10}"


def _scatter(ax, X, y, test=False, size=20, edge=None, label=None):
    n_classes = max(2, int(y.max()) + 1) if len(y) else 2
    colors = [_class_colors(int(v), n_classes, test) for v in y]
    kw = {"edgecolors": edge} if edge else {}
    ax.scatter(X[:, 0], X[:, 1], c=colors, s=size, marker="^" if test else "o", label=label, **kw)


def _evaluate(predict, xx, yy, mode):
    pts = np.c_[xx.ravel(), yy.ravel()]
    p = np.asarray(predict(pts), dtype=float)
    m = pts.shape[0]
    if p.ndim == 2 and p.shape[0] == m and p.shape[1] == 1:
        p = p[:, 0]
    if p.ndim == 1 and p.shape[0] == m:
        z = (p > 0.5).astype(float) if mode == "classes" else p
        n_classes = 2
    elif p.ndim == 2 and p.shape[0] == m:
        n_classes = p.shape[1]
        if mode == "classes":
            z = p.argmax(axis=1).astype(float)
        else:
            z = p[:, 1] if n_classes == 2 else p.max(axis=1)
    else:
        raise ShapeError(f"predict must return shape ({m},) or ({m}, C), got {p.shape}")
    return z.reshape(xx.shape), n_classes


def plot_decision_boundary(
    predict,
    X,
    y,
    X_test=None,
    y_test=None,
    highlight=None,
    mode: str = "classes",
    grid: int = 200,
    pad: float = 0.1,
    title: str = "decision_boundary",
    ax=None,
    lang: str = "en",
    save=None,
):
    """Fill the plane with the predicted class (or probability) and scatter the data.

    Parameters
    ----------
    predict : callable
        ``predict(P) -> (M,)`` or ``(M, C)`` probabilities for ``P`` of shape ``(M, 2)``.
        ``(M,)``/``(M, 1)`` outputs are thresholded at 0.5, ``(M, C)`` by arg-max.
    X : array_like, shape (N, 2)
        Training points (blue / yellow by class).
    y : array_like, shape (N,) or (N, C)
        Training labels (integers or one-hot).
    X_test, y_test : optional
        Test points (green / purple).
    highlight : int or sequence of int, optional
        Indices into ``X`` drawn large with a black edge (the notebook's current mini-batch).
    mode : {"classes", "proba"}
        Filled class regions, or a colour map of P(class 1) (or the top-class probability
        when C > 2) with the 0.5 contour.
    grid : int
        Grid points per axis (``grid²`` predictions).
    pad : float
        Margin around the data range (the notebook uses 0.1).

    Returns
    -------
    matplotlib.figure.Figure
    """
    own = ax is None  # a caller's axes: the caller lays out its figure
    check_choice("mode", mode, ("classes", "proba"))
    grid = check_int("grid", grid, 2, 2000)
    pad = check_positive("pad", pad, allow_zero=True)
    lang = lang_of(lang)
    X = as_points("X", X)
    y = _labels("y", y, len(X))
    pts = [X]
    if X_test is not None:
        X_test = as_points("X_test", X_test)
        y_test = _labels("y_test", y_test, len(X_test))
        pts.append(X_test)
    allp = np.concatenate(pts)
    lo = allp.min(axis=0) - pad
    hi = allp.max(axis=0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], grid), np.linspace(lo[1], hi[1], grid))
    z, n_classes = _evaluate(predict, xx, yy, mode)
    fig, ax = get_ax(ax, figsize=(6.0, 5.0))
    if mode == "classes":
        levels = np.arange(max(n_classes, 2) + 1) - 0.5
        # rasterized: in SVG the filled regions are one small image, not thousands of paths
        ax.contourf(xx, yy, z, levels=levels, alpha=0.3, rasterized=True)
    else:
        cs = ax.contourf(xx, yy, z, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.5)
        if np.nanmin(z) < 0.5 < np.nanmax(z):
            ax.contour(xx, yy, z, levels=[0.5], colors="k", linewidths=1)
        fig.colorbar(cs, ax=ax, fraction=0.046, pad=0.04)
    _scatter(ax, X, y, label=text("train", lang))
    if X_test is not None:
        _scatter(ax, X_test, y_test, test=True, label=text("test", lang))
    if highlight is not None:
        idx = np.atleast_1d(np.asarray(highlight, dtype=int))
        if idx.size and (idx.min() < -len(X) or idx.max() >= len(X)):
            raise ShapeError(f"highlight indices must be in [0, {len(X) - 1}], got {idx.tolist()}")
        _scatter(ax, X[idx], y[idx], size=90, edge="black")
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel(text("feature1", lang))
    ax.set_ylabel(text("feature2", lang))
    if title:
        set_title(ax, text(title, lang))
    return finish(fig, lang, save, tight=own)


def plot_boundary_pair(
    predict_before,
    predict_after,
    X,
    y,
    highlight=None,
    X_test=None,
    y_test=None,
    mode: str = "classes",
    grid: int = 150,
    titles=("before_update", "after_update"),
    lang: str = "en",
    save=None,
):
    """Two decision boundaries side by side: before and after one update (notebook step cell).

    Parameters are those of :func:`plot_decision_boundary`; ``predict_before`` and
    ``predict_after`` are two predictors (e.g. closures over copies of the parameters).

    Returns
    -------
    matplotlib.figure.Figure, 12×4 inches with two axes.
    """
    lang = lang_of(lang)
    fig = new_figure((12.0, 4.0))
    for i, (pred, title) in enumerate(zip((predict_before, predict_after), titles)):
        ax = fig.add_subplot(1, 2, i + 1)
        plot_decision_boundary(
            pred,
            X,
            y,
            X_test,
            y_test,
            highlight=highlight,
            mode=mode,
            grid=grid,
            title=title,
            ax=ax,
            lang=lang,
        )
    return finish(fig, lang, save)
