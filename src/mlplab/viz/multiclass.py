"""Multi-class pictures: confusion matrix, image grids, first-layer weights as images."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ShapeError, check_int
from ._common import finish, get_ax, grid_shape, lang_of, new_figure
from .fonts import text


def _ids(name, y) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim == 2:
        arr = arr.argmax(axis=1) if arr.shape[1] > 1 else arr[:, 0]
    if arr.ndim != 1:
        raise ShapeError(f"{name} must have shape (N,) or (N, C), got {np.shape(y)}")
    return np.rint(arr).astype(int)


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """Counts ``M[i, j]`` = number of samples of true class i predicted as j.

    Labels may be class ids ``(N,)`` or one-hot / probabilities ``(N, C)`` (arg-max).

    Returns
    -------
    ndarray of int, shape (C, C)
    """
    t, p = _ids("y_true", y_true), _ids("y_pred", y_pred)
    if t.shape != p.shape:
        raise ShapeError(f"y_true and y_pred differ in length: {t.shape} vs {p.shape}")
    if t.size and min(t.min(), p.min()) < 0:
        raise ShapeError("class ids must be >= 0")
    c = int(max(t.max(initial=-1), p.max(initial=-1)) + 1)
    c = max(c, n_classes or 0)
    m = np.zeros((c, c), dtype=np.int64)
    np.add.at(m, (t, p), 1)
    return m


def plot_confusion_matrix(
    y_true,
    y_pred,
    class_names: Sequence[str] | None = None,
    normalize: bool = False,
    cmap: str = "Blues",
    ax=None,
    lang: str = "en",
    save=None,
):
    """Confusion matrix as an annotated heat map (rows: true class, columns: predicted).

    Parameters
    ----------
    normalize : bool
        Divide each row by its count (per-class recall on the diagonal).

    Returns
    -------
    matplotlib.figure.Figure
    """
    own = ax is None  # a caller's axes: the caller lays out its figure
    lang = lang_of(lang)
    n = len(class_names) if class_names is not None else None
    m = confusion_matrix(y_true, y_pred, n)
    c = m.shape[0]
    names = [str(s) for s in class_names] if class_names is not None else [str(i) for i in range(c)]
    if len(names) != c:
        raise ShapeError(f"class_names has {len(names)} names but the labels use {c} classes")
    vals = m.astype(float)
    if normalize:
        rows = vals.sum(axis=1, keepdims=True)
        vals = np.divide(vals, rows, out=np.zeros_like(vals), where=rows > 0)
    fig, ax = get_ax(ax, figsize=(1.0 + 0.55 * c + 1.5, 1.0 + 0.55 * c + 0.8))
    im = ax.imshow(vals, cmap=cmap, vmin=0)
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    ax.set_xticks(np.arange(c), names, rotation=45 if max(map(len, names)) > 2 else 0)
    ax.set_yticks(np.arange(c), names)
    top = vals.max() if vals.size else 0
    if c <= 30:
        for i in range(c):
            for j in range(c):
                v = vals[i, j]
                s = f"{v:.2f}" if normalize else str(int(v))
                ax.text(
                    j,
                    i,
                    s,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if top and v > 0.6 * top else "black",
                )
    ax.set_xlabel(text("predicted_label", lang))
    ax.set_ylabel(text("true_label", lang))
    ax.set_title(text("confusion_matrix", lang))
    return finish(fig, lang, save, tight=own)


def _as_images(images, shape=None) -> np.ndarray:
    a = np.asarray(images, dtype=float)
    if a.ndim == 2:
        side = int(round(np.sqrt(a.shape[1])))
        if shape is None:
            if side * side != a.shape[1]:
                raise ShapeError(f"images of {a.shape[1]} pixels are not square; pass shape=(h, w)")
            shape = (side, side)
        a = a.reshape((a.shape[0], *shape))
    if a.ndim == 4 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 3:
        raise ShapeError(
            f"images must have shape (n, h*w), (n, h, w) or (n, 1, h, w), got {a.shape}"
        )
    return a


def plot_image_grid(
    images,
    labels=None,
    preds=None,
    ncols: int = 10,
    max_images: int = 100,
    shape=None,
    cmap: str = "gray_r",
    lang: str = "en",
    save=None,
):
    """A grid of small images (MNIST digits), titled with label / prediction.

    Parameters
    ----------
    images : array_like (n, 784) or (n, 28, 28)
    labels, preds : array_like (n,) or (n, C), optional
        With both, the title is ``"p/t"`` and wrong predictions are red.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = lang_of(lang)
    ims = _as_images(images, shape)[: check_int("max_images", max_images, 1, 10_000)]
    k = len(ims)
    lab = None if labels is None else _ids("labels", labels)[:k]
    pre = None if preds is None else _ids("preds", preds)[:k]
    nrows, ncols = grid_shape(k, ncols)
    fig = new_figure((1.0 * ncols + 0.2, 1.15 * nrows + 0.2))
    for i in range(k):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        ax.imshow(ims[i], cmap=cmap, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        if lab is not None and pre is not None:
            ok = lab[i] == pre[i]
            ax.set_title(f"{pre[i]}/{lab[i]}", fontsize=8, color="black" if ok else "red")
        elif lab is not None:
            ax.set_title(str(lab[i]), fontsize=8)
        elif pre is not None:
            ax.set_title(str(pre[i]), fontsize=8)
    return finish(fig, lang, save)


def plot_first_layer_weights(
    W,
    ncols: int = 10,
    max_tiles: int = 100,
    shape=None,
    cmap: str = "RdBu_r",
    lang: str = "en",
    save=None,
):
    """First-layer weights as images: column ``j`` of ``W`` (784, h) is a 28×28 tile.

    Each tile uses a symmetric colour scale ``[-max|w_j|, +max|w_j|]`` (red positive, blue
    negative), so the pattern each hidden unit responds to is visible.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = lang_of(lang)
    W = np.asarray(W, dtype=float)
    if W.ndim != 2:
        raise ShapeError(f"W must have shape (pixels, hidden), got {W.shape}")
    tiles = _as_images(W.T, shape)[: check_int("max_tiles", max_tiles, 1, 10_000)]
    k = len(tiles)
    nrows, ncols = grid_shape(k, ncols)
    fig = new_figure((1.0 * ncols + 0.2, 1.0 * nrows + 0.5))
    for i in range(k):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        v = float(np.abs(tiles[i]).max()) or 1.0
        ax.imshow(tiles[i], cmap=cmap, vmin=-v, vmax=v, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(text("first_layer_weights", lang))
    return finish(fig, lang, save)
