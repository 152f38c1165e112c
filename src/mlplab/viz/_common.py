"""Shared helpers: figure creation without pyplot, saving, argument checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import ConfigError, MlplabTypeError, ShapeError
from .fonts import apply_font, resolve_lang

SAVE_SUFFIXES = (".png", ".svg", ".pdf")

# Notebook colours (001: blue/yellow train classes, green/purple test classes).
TRAIN_COLORS = ("blue", "yellow")
TEST_COLORS = ("green", "purple")
HIST_COLORS = ("skyblue", "lightgreen", "salmon", "plum", "khaki", "lightgray")


def new_figure(figsize=(6.4, 4.8), dpi=100):
    """A headless :class:`~matplotlib.figure.Figure` with an Agg canvas (no pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def get_ax(ax, figsize=(6.4, 4.8)):
    """Return ``(fig, ax)``: the given axes and its figure, or a new figure with one axes."""
    if ax is None:
        fig = new_figure(figsize)
        return fig, fig.add_subplot(1, 1, 1)
    if not hasattr(ax, "figure") or not hasattr(ax, "plot"):
        raise MlplabTypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax.figure, ax


def finish(fig, lang="en", save=None, tight=True):
    """Apply the language font, lay out, optionally save (PNG/SVG/PDF by suffix); return fig."""
    apply_font(fig, lang)
    if tight:
        try:
            fig.tight_layout()
        except (ValueError, RuntimeError):  # pragma: no cover - odd layouts
            pass
        # tight_layout() leaves a do-nothing placeholder layout engine on the figure, and with
        # any engine savefig draws the whole figure once more before drawing it into the file
        # (2 draws per PNG and per SVG instead of 1): the layout is done, so drop the engine
        fig.set_layout_engine(None)
    if save is not None:
        save_figure(fig, save)
    return fig


def save_figure(fig, path, dpi=100) -> Path:
    """Write ``fig`` to ``path``; the format follows the suffix (.png, .svg or .pdf)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SAVE_SUFFIXES:
        raise ConfigError(
            f"save must end with one of {', '.join(SAVE_SUFFIXES)}; got {str(path)!r}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=suffix[1:], dpi=dpi)
    return path


def set_title(ax, title: str, width: int | None = None) -> None:
    """Axes title, wrapped (and smaller) when long, so run descriptions are not clipped."""
    import textwrap

    title = str(title)
    w_in = ax.get_position().width * ax.figure.get_size_inches()[0]
    fits = max(20, int(w_in * 10)) if width is None else width  # characters at 12 pt
    if len(title) <= fits:
        ax.set_title(title)
    else:  # about 13 characters per inch at 9 pt
        ax.set_title(textwrap.fill(title, width or max(24, int(w_in * 13))), fontsize=9)


def lang_of(lang: str) -> str:
    """Validate ``lang`` and fall back to English when no Hangul font exists."""
    return resolve_lang(lang)


def as_1d(name, values) -> np.ndarray:
    """A finite-or-NaN float vector from a list/array; raise ShapeError otherwise."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise MlplabTypeError(f"{name} must be a sequence of numbers") from exc
    if arr.ndim != 1:
        raise ShapeError(f"{name} must be 1-D, got shape {arr.shape}")
    return arr


def as_points(name, X) -> np.ndarray:
    """``(N, 2)`` float array of 2-D points."""
    arr = np.asarray(X, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ShapeError(f"{name} must have shape (N, 2), got {arr.shape}")
    return arr


def grid_shape(n: int, ncols: int | None = None) -> tuple[int, int]:
    """Rows and columns for ``n`` small multiples (``ncols`` default: ceil(sqrt(n)))."""
    if ncols is None:
        ncols = int(np.ceil(np.sqrt(n)))
    ncols = max(1, min(ncols, n))
    return int(np.ceil(n / ncols)), ncols
