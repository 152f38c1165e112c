"""Computational graphs as pictures (DLfS ch. 5: the apple graph, the chain rule).

:func:`plot_value_graph` draws a :class:`mlplab.autograd.Value` graph left to right: every value
is a box with its name and its number (forward pass, black) and ∂out/∂value (backward pass,
red, after ``root.backward()``); every operation is a circle (``×``, ``+``, ``**2`` …) between
its inputs and its result, as in the book's figures (100 →×2→ 200 →×1.1→ 220 forward,
2.2 ←×2← 1.1 ←×1.1← 1 backward).
"""

from __future__ import annotations

from ..autograd import Value, format_scalar, trace
from ..errors import MlplabTypeError
from ._common import finish, lang_of, new_figure, set_title

_OPS = {"*": "×", "+": "+", "-": "−", "/": "÷"}


def _layout(root: Value):
    nodes, edges = trace(root)
    depth = {}
    for n in nodes:  # topological order: children first
        depth[id(n)] = 0 if not n._children else 1 + max(depth[id(c)] for c in n._children)
    for child, parent in edges:  # a leaf sits just left of the operation that uses it
        if not child._children:
            depth[id(child)] = max(depth[id(child)], depth[id(parent)] - 1)
    cols: dict[int, list[Value]] = {}
    for n in nodes:
        cols.setdefault(depth[id(n)], []).append(n)
    pos = {}
    for d, col in cols.items():
        for i, n in enumerate(col):
            pos[id(n)] = (2.0 * d, -(i - (len(col) - 1) / 2) * 1.3)
    return nodes, edges, pos


def plot_value_graph(root, title=None, digits: int = 4, show_grad: bool = True, lang="en",
                     save=None):  # fmt: skip
    """The graph that produced ``root`` with forward values and (red) gradients.

    Parameters
    ----------
    root : Value
        The output (call ``root.backward()`` first to show gradients).
    title : str, optional
    digits : int
        Significant digits of the numbers.
    show_grad : bool
        Write ∂root/∂value under every value (red).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    from .. import i18n

    if not isinstance(root, Value):
        raise MlplabTypeError(f"root must be a Value, got {type(root).__name__}")
    lang = lang_of(lang)
    nodes, _, pos = _layout(root)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    fig = new_figure((max(2.2 * (max(xs) / 2 + 1), 4.0), max(1.2 * (max(ys) - min(ys)) + 2.2, 2.6)))
    ax = fig.add_subplot(1, 1, 1)
    f = lambda v: format_scalar(v, digits)  # noqa: E731
    for n in nodes:
        x, y = pos[id(n)]
        name = n.label or ""
        ax.add_patch(FancyBboxPatch((x - 0.55, y - 0.32), 1.1, 0.64,
                                    boxstyle="round,pad=0.02,rounding_size=0.08",
                                    fc="#e8f0fe" if not n._children else "#fff4e5", ec="#333"))  # fmt: skip
        ax.text(x, y + 0.12, name, ha="center", va="center", fontsize=8, color="#444")
        ax.text(x, y - 0.1, f(n.data), ha="center", va="center", fontsize=10)
        if show_grad:
            ax.text(x, y - 0.45, "∂=" + f(n.grad), ha="center", va="top", fontsize=8.5,
                    color="#c62828")  # fmt: skip
        if n._children:
            ox, oy = x - 1.0, y
            ax.add_patch(Circle((ox, oy), 0.2, fc="white", ec="#333", zorder=3))
            ax.text(ox, oy, _OPS.get(n.op, n.op), ha="center", va="center", fontsize=9, zorder=4)
            ax.add_patch(FancyArrowPatch((ox + 0.2, oy), (x - 0.56, y), arrowstyle="-|>",
                                         mutation_scale=8, color="#333"))  # fmt: skip
            for c in n._children:
                cx, cy = pos[id(c)]
                ax.add_patch(FancyArrowPatch((cx + 0.56, cy), (ox - 0.2, oy), arrowstyle="-|>",
                                             mutation_scale=8, color="#333",
                                             connectionstyle="arc3,rad=0"))  # fmt: skip
    ax.set_xlim(min(xs) - 0.8, max(xs) + 0.8)
    ax.set_ylim(min(ys) - 0.9, max(ys) + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if show_grad:
        ax.text(min(xs) - 0.7, min(ys) - 0.85, i18n.t("fig.graph_legend", lang), fontsize=7.5,
                color="#555", va="bottom")  # fmt: skip
    if title:
        set_title(ax, title)
    return finish(fig, lang, save)
