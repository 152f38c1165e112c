"""Network diagrams: the notebook's graphviz cell, for any ``Sequential`` of dense layers.

The seed notebook draws its 2-3-1 network with graphviz (``graph(params, result)``): circle
nodes ``x1=…``, ``a1=…``, ``z1=…``, ``ay=…``, ``y=…``, ``loss=…`` left to right, every
x→a and z→ay edge labelled with its weight (2 decimals) and every a→z edge with the
activation's name. This module rebuilds that picture from a model:

* :func:`network_svg` lays the nodes out itself and writes SVG text (no graphviz needed),
* :func:`plot_network` draws the same layout with matplotlib (PNG/SVG/PDF via ``save``),
* :func:`network_dot` emits graphviz DOT (``rankdir=LR``, node ids as in the notebook) for
  ``dot -Tsvg`` where graphviz is installed.

Biases are written under each pre-activation node (``b=0.10``). Optional overlays: gradients
(``grads=model.grads``: edge label ``w`` and ``∂L/∂w``) and weight colour (sign) / width
(``|w|``). Layers wider than ``max_units`` show their first ``max_units - 1`` units and one
``… 42 more`` node, so a 784-100-10 net stays readable.

Node ids: inputs ``x1..xD``; with one hidden layer ``a1..aH`` / ``z1..zH`` (notebook); with
several, ``a{l}_{j}`` / ``z{l}_{j}`` for layer ``l``; output pre-activation ``ay`` (or
``ay1..ayC``), output ``y`` (or ``y1..yC``), ``loss``; summary nodes ``<prefix>_more``.

``names`` renames the nodes the way each course document does (one hidden layer):

* ``"notebook"`` (000/001): pre-activation ``a1``, activation ``z1``, output ``ay`` → ``y``;
* ``"textbook"`` (002): pre-activation ``z1``, activation ``a1``, output ``net_y`` → ``out_y``
  (the names of ``mlplab trace --style textbook``);
* ``"slides"`` (003): ``z1`` → ``h1``, output ``z3`` → ``o1`` (``--style slides``).

Edge labels sit on a white box, so the lines never strike through them.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np

from .. import i18n as _i18n
from ..errors import ConfigError, MlplabTypeError, ShapeError, check_int

# Geometry of the self-made layout (pixels; matplotlib uses the same numbers as data units).
DX = 150.0  # column spacing
DY = 68.0  # row spacing
R = 26.0  # node radius
MARGIN = 50.0
EDGE_LABEL_LIMIT = 30  # weight labels drawn when a dense block has at most this many edges

POS_COLOR = "#1f77b4"
NEG_COLOR = "#d62728"
PLAIN_EDGE = "#555555"
NODE_FILL = {
    "x": "#e8f0fe",
    "a": "#fff4e5",
    "z": "#e6f4ea",
    "ay": "#fff4e5",
    "y": "#fce8e6",
    "loss": "#f1f3f4",
    "more": "#ffffff",
}


@dataclass
class Node:
    id: str
    label: str
    kind: str
    col: int
    row: float
    bias: str | None = None
    x: float = 0.0
    y: float = 0.0


@dataclass
class Edge:
    src: str
    dst: str
    kind: str  # "weight", "act", "plain", "more"
    label: str | None = None
    grad: str | None = None
    w: float | None = None
    frac: float = 0.5


@dataclass
class NetGraph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    caption: str = ""
    gaps: dict = field(default_factory=dict)  # column -> distance from the previous column

    def node(self, node_id: str) -> Node:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)


# ------------------------------------------------------------------------------------------
# model -> stages
# ------------------------------------------------------------------------------------------


@dataclass
class _Stage:
    kind: str  # x, a, z, ay, y
    prefix: str  # id prefix ("x", "a", "a2_", "ay", ...)
    n: int
    values: np.ndarray | None = None
    bias: np.ndarray | None = None
    bias_grad: np.ndarray | None = None
    into: dict | None = None  # transition from the previous stage


def _layer_name(layer) -> str:
    name = getattr(layer, "name", None)
    if isinstance(name, str) and name:
        return name
    cls = type(layer).__name__.lower()
    rate = getattr(layer, "rate", None)
    return f"{cls}({rate:g})" if isinstance(rate, float) else cls


def _is_affine(layer) -> bool:
    p = getattr(layer, "params", None)
    return isinstance(p, dict) and "W" in p and np.ndim(p["W"]) == 2


def _stages(model, x, sample, grads) -> tuple[list[_Stage], object]:
    layers = getattr(model, "layers", None)
    if not isinstance(layers, (list, tuple)) or not layers:
        raise MlplabTypeError(
            f"model must have a non-empty .layers list (a Sequential), got {type(model).__name__}"
        )
    affine_idx = [i for i, layer in enumerate(layers) if _is_affine(layer)]
    if not affine_idx:
        raise ConfigError("network diagram needs at least one Affine/Dense layer")
    head = getattr(model, "head", None)
    outs = None
    if x is not None:
        xa = np.asarray(x, dtype=float)
        if xa.ndim == 1:
            xa = xa[None, :]
        if xa.ndim < 2:
            raise ShapeError(f"x must have shape (N, features), got {np.shape(x)}")
        sample = check_int("sample", sample, -len(xa), len(xa) - 1)
        row = xa[[sample]]
        outs = [np.asarray(o).reshape(1, -1)[0] for o in model.layer_outputs(row)]
        x_vals = row.reshape(1, -1)[0]
    else:
        x_vals = None
    grads = grads or {}
    n_in = int(layers[affine_idx[0]].params["W"].shape[0])
    stages = [_Stage("x", "x", n_in, x_vals)]
    n_hidden = len(affine_idx) - 1
    for k, li in enumerate(affine_idx):
        layer = layers[li]
        W = np.asarray(layer.params["W"], dtype=float)
        b = layer.params.get("b")
        pidx = k + 1
        last = k == n_hidden
        if last:
            prefix = "ay"
        else:
            prefix = "a" if n_hidden == 1 else f"a{pidx}_"
        gW = grads.get(f"W{pidx}")
        gb = grads.get(f"b{pidx}")
        stages.append(
            _Stage(
                "ay" if last else "a",
                prefix,
                W.shape[1],
                None if outs is None else outs[li],
                None if b is None else np.asarray(b, dtype=float),
                None if gb is None else np.asarray(gb, dtype=float),
                {"type": "dense", "W": W, "gW": None if gW is None else np.asarray(gW, float)},
            )
        )
        # elementwise layers until the next Affine (or the end of the stack)
        stop = affine_idx[k + 1] if not last else len(layers)
        between = layers[li + 1 : stop]
        if between:
            names = ", ".join(_layer_name(lay) for lay in between)
            if last:
                kind, zpre = "z", "zy"
            else:
                kind, zpre = "z", ("z" if n_hidden == 1 else f"z{pidx}_")
            stages.append(
                _Stage(
                    kind,
                    zpre,
                    W.shape[1],
                    None if outs is None else outs[stop - 1],
                    into={"type": "act", "label": names},
                )
            )
    if head is not None:
        n_out = stages[-1].n
        y_vals = None if outs is None else outs[len(layers)]
        stages.append(
            _Stage(
                "y",
                "y",
                n_out,
                y_vals,
                into={"type": "act", "label": getattr(head, "activation", "")},
            )
        )
    return stages, head


def _unit_ids(stage: _Stage) -> list[str]:
    if stage.kind in ("ay", "y") and stage.n == 1:
        return [stage.prefix]
    return [f"{stage.prefix}{j + 1}" for j in range(stage.n)]


def _shown(n: int, max_units: int) -> tuple[int, int]:
    """(units shown, units hidden) for a layer of n units."""
    if n <= max_units:
        return n, 0
    return max_units - 1, n - (max_units - 1)


def _fmt(v: float, digits: int = 2) -> str:
    if v is None or not np.isfinite(v):
        return "nan" if v is not None else ""
    s = f"{v:.{digits}f}"
    return "0.00" if s in ("-0.00",) else s


def _fmt_grad(v: float) -> str:
    return f"{v:.2g}"


NAMES = ("notebook", "textbook", "slides")


def _renames(g: NetGraph, names: str) -> dict[str, str]:
    """Old id -> new id for the textbook/slides naming (one hidden layer; else unchanged)."""
    if names == "notebook":
        return {}
    ids = [n.id for n in g.nodes]
    hidden = sorted((i for i in ids if i[0] == "a" and i[1:].isdigit()), key=lambda i: int(i[1:]))
    if not hidden or any("_" in i and not i.endswith("_more") for i in ids):
        return {}
    H = len(hidden)
    outs = [i for i in ids if i == "ay" or (i.startswith("ay") and i[2:].isdigit())]
    ren = {}
    for j in range(1, H + 1):
        ren[f"a{j}"] = f"z{j}"
        ren[f"z{j}"] = f"a{j}" if names == "textbook" else f"h{j}"
    for k, o in enumerate(sorted(outs, key=lambda i: int(i[2:] or 1)), start=1):
        y = "y" if o == "ay" else f"y{o[2:]}"
        if names == "textbook":
            ren[o] = "net_y" if o == "ay" else f"net_y{k}"
            ren[y] = "out_y" if o == "ay" else f"out_y{k}"
        else:
            ren[o] = f"z{H + k}"
            ren[y] = f"o{k}"
    return ren


def _rename(g: NetGraph, names: str) -> None:
    ren = _renames(g, names)
    if not ren:
        return
    for n in g.nodes:
        new = ren.get(n.id)
        if new:
            n.label = new + n.label[len(n.id) :] if n.label.startswith(n.id) else n.label
            n.id = new
    for e in g.edges:
        e.src, e.dst = ren.get(e.src, e.src), ren.get(e.dst, e.dst)


def build_graph(
    model,
    x=None,
    t=None,
    sample=0,
    grads=None,
    max_units=8,
    edge_labels="auto",
    more_text="… {} more",
    names="notebook",
    lang="en",
) -> NetGraph:
    """Compute the diagram (nodes with labels and positions, labelled edges) of ``model``.

    Parameters
    ----------
    model : Sequential
        ``model.layers`` (Affine with ``params["W"]`` (in, out), ``params["b"]`` (out,);
        activation layers with ``.name``), ``model.head`` (``.activation``, ``.loss``) and
        ``model.layer_outputs(x)``.
    x : array_like (N, D), optional
        Inputs; node values are shown for row ``sample`` (notebook ``index``).
    t : array_like, optional
        Targets for ``x``; the loss node then shows ``model.loss(x, t)`` (the mean over all
        N samples, as the notebook's ``loss`` node).
    grads : dict, optional
        ``{"W1": (in, out), "b1": (out,), ...}`` such as ``model.grads``; adds ∂L/∂w labels.
    max_units : int
        Wider layers show ``max_units - 1`` units and one ``… k more`` node.
    edge_labels : {"auto", True, False}
        ``"auto"``: weight labels on a dense block only if it draws at most 30 edges.
    names : {"notebook", "textbook", "slides"}
        Node names of each course document (see the module docstring).
    """
    max_units = check_int("max_units", max_units, 2, 64)
    if names not in NAMES:
        raise ConfigError(f"names must be one of {', '.join(NAMES)}; got {names!r}")
    if edge_labels not in ("auto", True, False):
        raise ConfigError(f"edge_labels must be 'auto', True or False; got {edge_labels!r}")
    stages, head = _stages(model, x, sample, grads)
    g = NetGraph()
    col_ids: list[list[str]] = []
    col_more: list[str | None] = []
    for col, st in enumerate(stages):
        ids = _unit_ids(st)
        k, hidden = _shown(st.n, max_units)
        shown_ids = []
        for j in range(k):
            val = "" if st.values is None else "=" + _fmt(float(st.values[j]))
            bias = None
            if st.bias is not None:
                bias = "b=" + _fmt(float(st.bias[j]))
                if st.bias_grad is not None:
                    bias += " ∂=" + _fmt_grad(float(st.bias_grad[j]))
            g.nodes.append(Node(ids[j], ids[j] + val, st.kind, col, j, bias))
            shown_ids.append(ids[j])
        more = None
        if hidden:
            more = f"{st.prefix.rstrip('_')}_more"
            g.nodes.append(Node(more, more_text.format(hidden), "more", col, k))
        col_ids.append(shown_ids)
        col_more.append(more)
        if col == 0:
            continue
        src_ids, src_more = col_ids[col - 1], col_more[col - 1]
        tr = st.into
        if tr["type"] == "dense":
            W, gW = tr["W"], tr["gW"]
            n_edges = len(src_ids) * len(shown_ids)
            show_lab = edge_labels is True or (
                edge_labels == "auto" and n_edges <= EDGE_LABEL_LIMIT
            )
            # two-line labels (w and ∂L/∂w) need a wider gap to stay apart
            g.gaps[col] = DX * (2.0 if (gW is not None and show_lab) else 1.0)
            ns = len(src_ids)
            for i, s in enumerate(src_ids):
                base = 0.2 + 0.6 * (i + 0.5) / ns
                for j, d in enumerate(shown_ids):
                    # labels of crossing edges sit away from the crossing: a downward edge near
                    # its source, an upward one near its end (labels never share a spot)
                    rows_in, rows_out = len(src_ids), len(shown_ids)
                    dy = (j - (rows_out - 1) / 2) - (i - (rows_in - 1) / 2)
                    frac = base if gW is None else (0.5 if dy == 0 else 0.2 if dy > 0 else 0.8)
                    w = float(W[i, j])
                    g.edges.append(
                        Edge(
                            s,
                            d,
                            "weight",
                            _fmt(w) if show_lab else None,
                            _fmt_grad(float(gW[i, j])) if (gW is not None and show_lab) else None,
                            w,
                            frac,
                        )
                    )
            for s in src_ids if more else []:
                g.edges.append(Edge(s, more, "more"))
            if src_more:
                for d in shown_ids + ([more] if more else []):
                    g.edges.append(Edge(src_more, d, "more"))
        else:
            # the same function on every unit: name it on each edge of a small layer, on the
            # first edge only of a wide one (long names such as "batchnorm, relu, dropout(0.2)")
            lab = tr["label"] or None
            every = len(shown_ids) <= 4
            g.gaps[col] = max(DX * 0.9, 2 * R + 24 + 5.6 * len(lab or ""))
            for j, (s, d) in enumerate(zip(src_ids, shown_ids)):
                g.edges.append(Edge(s, d, "act", lab if (every or j == 0) else None))
            if src_more and more:
                g.edges.append(Edge(src_more, more, "act", lab if every else None))
    if head is not None:
        loss_val = ""
        if x is not None and t is not None:
            loss_val = "=" + _fmt(float(model.loss(np.asarray(x), np.asarray(t))))
        col = len(stages)
        g.gaps[col] = DX
        g.nodes.append(Node("loss", "loss" + loss_val, "loss", col, 0))
        for s in col_ids[-1] + ([col_more[-1]] if col_more[-1] else []):
            g.edges.append(Edge(s, "loss", "plain"))
        g.caption = _i18n.t("fig.net_loss", lang, loss=getattr(head, "loss", ""))
    _rename(g, names)
    _place(g)
    if x is not None:
        g.caption = (g.caption + "; " if g.caption else "") + _i18n.t(
            "fig.net_sample", lang, sample=sample
        )
    return g


def _place(g: NetGraph) -> None:
    ncol = max(n.col for n in g.nodes) + 1
    rows = [max((n.row for n in g.nodes if n.col == c), default=0) + 1 for c in range(ncol)]
    tallest = max(rows)
    g.height = 2 * MARGIN + (tallest - 1) * DY + 24
    xs = np.cumsum([MARGIN] + [g.gaps.get(c, DX) for c in range(1, ncol)])
    g.width = float(xs[-1]) + MARGIN
    cy = MARGIN + (tallest - 1) * DY / 2
    for n in g.nodes:
        n.x = float(xs[n.col])
        n.y = cy + (n.row - (rows[n.col] - 1) / 2) * DY


def _edge_style(e: Edge, color_weights: bool, wmax: float) -> tuple[str, float]:
    if e.kind == "more":
        return "#aaaaaa", 0.8
    if e.kind == "weight" and color_weights and e.w is not None:
        width = 0.6 + 3.4 * abs(e.w) / wmax if wmax > 0 else 1.0
        return (POS_COLOR if e.w >= 0 else NEG_COLOR), width
    return PLAIN_EDGE, 1.0


def _wmax(g: NetGraph) -> float:
    ws = [abs(e.w) for e in g.edges if e.w is not None and np.isfinite(e.w)]
    return max(ws) if ws else 0.0


def _endpoints(a: Node, b: Node) -> tuple[float, float, float, float]:
    dx, dy = b.x - a.x, b.y - a.y
    d = math.hypot(dx, dy) or 1.0
    ux, uy = dx / d, dy / d
    return a.x + ux * R, a.y + uy * R, b.x - ux * (R + 2), b.y - uy * (R + 2)


def _edge_text(e: Edge) -> list[str]:
    if not e.label:
        return []
    if e.grad is not None:
        return [f"w={e.label}", f"∂L/∂w={e.grad}"]
    return [e.label]


def _node_font(label: str) -> float:
    return max(6.0, min(10.0, 2 * R * 0.92 / (0.6 * max(len(label), 1))))


# ------------------------------------------------------------------------------------------
# SVG
# ------------------------------------------------------------------------------------------


def model_html(model) -> str:
    """Jupyter's view of a model: its summary table and, for layers of at most 64 units, the
    network drawing (:func:`network_svg`).  Registered by ``mlplab.viz`` for ``Sequential``."""
    from ..layers import Affine

    table = f"<pre>{html.escape(model.summary())}</pre>"
    if any(lay.params["W"].shape[-1] > 64 for lay in model.layers if isinstance(lay, Affine)):
        return table
    try:
        svg = network_svg(model)
    except Exception:  # noqa: BLE001 - a drawing problem must not hide the table
        svg = ""
    return table + svg


def network_svg(
    model,
    x=None,
    t=None,
    sample=0,
    grads=None,
    max_units=8,
    color_weights=False,
    edge_labels="auto",
    title=None,
    names="notebook",
    lang="en",
) -> str:
    """SVG text of the network diagram (self-made left-to-right layout, no graphviz).

    Parameters are those of :func:`build_graph`; ``color_weights`` colours weight edges by
    sign (blue ≥ 0, red < 0) with width ∝ |w|; ``title`` is drawn on top.

    Returns
    -------
    str
        A standalone ``<svg>`` document; nodes are ``<g id="node-x1" class="node">`` and edges
        ``<g id="edge-x1-a1" class="edge">`` with their labels as ``<text>``.
    """
    g = build_graph(model, x, t, sample, grads, max_units, edge_labels, names=names, lang=lang)
    top = 28.0 if title else 0.0
    W, H = g.width, g.height + top
    esc = html.escape
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W:.0f}" height="{H:.0f}" '
        f'viewBox="0 0 {W:.0f} {H:.0f}" font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{esc(title or 'network diagram')}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="context-stroke"/></marker></defs>',
        f'<rect x="0" y="0" width="{W:.0f}" height="{H:.0f}" fill="white"/>',
    ]
    if title:
        out.append(
            f'<text x="{W / 2:.1f}" y="20" text-anchor="middle" font-size="14" '
            f'font-weight="bold">{esc(title)}</text>'
        )
    out.append(f'<g transform="translate(0,{top:.0f})">')
    wmax = _wmax(g)
    nodes = {n.id: n for n in g.nodes}
    labels = []
    for e in g.edges:
        a, b = nodes[e.src], nodes[e.dst]
        x1, y1, x2, y2 = _endpoints(a, b)
        color, width = _edge_style(e, color_weights, wmax)
        dash = ' stroke-dasharray="4 3"' if e.kind == "more" else ""
        out.append(
            f'<g id="edge-{esc(e.src)}-{esc(e.dst)}" class="edge {e.kind}">'
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" '
            f'stroke-width="{width:.2f}"{dash} marker-end="url(#arrow)"/></g>'
        )
        lines = _edge_text(e)
        if lines:
            lx = a.x + (b.x - a.x) * e.frac
            ly = a.y + (b.y - a.y) * e.frac - (6 if e.kind == "act" else 0)
            tsp = "".join(
                f'<tspan x="{lx:.1f}" dy="{0 if i == 0 else 11}">{esc(s)}</tspan>'
                for i, s in enumerate(lines)
            )
            # a white box under the text: the edge (and its neighbours) never strike it through
            bw = 9 * 0.62 * max(len(s) for s in lines) + 4
            bh = 11 * len(lines) + 2
            labels.append(
                f'<rect class="label-bg" x="{lx - bw / 2:.1f}" y="{ly - 9:.1f}" '
                f'width="{bw:.1f}" height="{bh:.1f}" rx="2" fill="white" fill-opacity="0.92"/>'
                f'<text class="edge-label" data-edge="{esc(e.src)}-{esc(e.dst)}" '
                f'x="{lx:.1f}" y="{ly:.1f}" font-size="9" text-anchor="middle" fill="#222">'
                f"{tsp}</text>"
            )
    for n in g.nodes:
        fill = NODE_FILL.get(n.kind, "#ffffff")
        fs = _node_font(n.label)
        parts = [f'<g id="node-{esc(n.id)}" class="node {n.kind}">']
        if n.kind == "more":
            parts.append(
                f'<rect x="{n.x - R - 6:.1f}" y="{n.y - 12:.1f}" width="{2 * R + 12:.1f}" '
                f'height="24" rx="6" fill="{fill}" stroke="#999" stroke-dasharray="3 2"/>'
            )
            fs = 9.0
        else:
            parts.append(
                f'<circle cx="{n.x:.1f}" cy="{n.y:.1f}" r="{R:.0f}" fill="{fill}" '
                'stroke="#333" stroke-width="1"/>'
            )
        parts.append(
            f'<text x="{n.x:.1f}" y="{n.y + fs * 0.35:.1f}" font-size="{fs:.1f}" '
            f'text-anchor="middle">{esc(n.label)}</text>'
        )
        if n.bias:
            parts.append(
                f'<text class="bias" x="{n.x:.1f}" y="{n.y + R + 11:.1f}" font-size="8.5" '
                f'text-anchor="middle" fill="#7a4b00">{esc(n.bias)}</text>'
            )
        parts.append("</g>")
        out.append("".join(parts))
    out.extend(labels)
    if g.caption:
        out.append(
            f'<text x="8" y="{g.height - 6:.1f}" font-size="9" fill="#666">{esc(g.caption)}</text>'
        )
    out.append("</g></svg>")
    return "\n".join(out)


# ------------------------------------------------------------------------------------------
# DOT
# ------------------------------------------------------------------------------------------


def _dq(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def network_dot(
    model,
    x=None,
    t=None,
    sample=0,
    grads=None,
    max_units=8,
    color_weights=False,
    edge_labels="auto",
    names="notebook",
) -> str:
    """Graphviz DOT of the diagram, as the notebook's ``Digraph`` (``rankdir=LR``).

    Render with ``dot -Tsvg net.dot > net.svg``. Nodes are circles (fontsize 11, width and
    height 0.3) with the notebook's ids (``x1``, ``a1``, ``z1``, ``ay``, ``y``, ``loss``);
    biases are ``xlabel``\\ s; weight edges carry ``label="0.20"`` (and ``∂L/∂w`` with grads).
    """
    g = build_graph(model, x, t, sample, grads, max_units, edge_labels, names=names)
    wmax = _wmax(g)
    lines = [
        "digraph network {",
        "  rankdir=LR;",
        "  forcelabels=true;",
        '  node [shape=circle, fontsize=11, width=0.3, height=0.3, fontname="DejaVu Sans"];',
        '  edge [arrowsize=0.5, fontsize=9, fontname="DejaVu Sans"];',
    ]
    for n in g.nodes:
        attrs = [f"label={_dq(n.label)}"]
        if n.kind == "more":
            attrs.append("shape=box, style=dashed")
        if n.bias:
            attrs.append(f"xlabel={_dq(n.bias)}")
        lines.append(f"  {_dq(n.id)} [{', '.join(attrs)}];")
    for e in g.edges:
        attrs = []
        text = _edge_text(e)
        if text:
            attrs.append(f"label={_dq(chr(10).join(text))}".replace("\n", "\\n"))
        if e.kind == "more":
            attrs.append("style=dashed, color=gray")
        elif e.kind == "weight" and color_weights and e.w is not None:
            color, width = _edge_style(e, True, wmax)
            attrs.append(f'color="{color}", penwidth={width:.2f}')
        lines.append(
            f"  {_dq(e.src)} -> {_dq(e.dst)}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------
# matplotlib
# ------------------------------------------------------------------------------------------


def plot_network(
    model,
    x=None,
    t=None,
    sample=0,
    grads=None,
    max_units=8,
    color_weights=False,
    edge_labels="auto",
    title=None,
    ax=None,
    lang="en",
    save=None,
    names="notebook",
):
    """The diagram drawn with matplotlib (same layout as :func:`network_svg`).

    Returns
    -------
    matplotlib.figure.Figure
        Size follows the layout (about 1.5 inch per column); save as PNG/SVG with ``save``.
    """
    own = ax is None  # a caller's axes: the caller lays out its figure
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    from ._common import finish, get_ax, lang_of

    lang = lang_of(lang)
    g = build_graph(model, x, t, sample, grads, max_units, edge_labels, names=names, lang=lang)
    scale = 100.0  # pixels per inch at dpi 100
    fig, ax = get_ax(ax, figsize=(max(g.width / scale, 3.0), max(g.height / scale + 0.3, 2.0)))
    wmax = _wmax(g)
    nodes = {n.id: n for n in g.nodes}
    for e in g.edges:
        a, b = nodes[e.src], nodes[e.dst]
        x1, y1, x2, y2 = _endpoints(a, b)
        color, width = _edge_style(e, color_weights, wmax)
        ax.add_patch(
            FancyArrowPatch(
                (x1, y1),
                (x2, y2),
                arrowstyle="-|>",
                mutation_scale=8,
                color=color,
                lw=width,
                linestyle="--" if e.kind == "more" else "-",
            )
        )
        lines = _edge_text(e)
        if lines:
            lx = a.x + (b.x - a.x) * e.frac
            ly = a.y + (b.y - a.y) * e.frac - (6 if e.kind == "act" else 0)
            ax.text(
                lx,
                ly,
                "\n".join(lines),
                fontsize=7,
                ha="center",
                va="center",
                zorder=4,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.95},
            )
    for n in g.nodes:
        fill = NODE_FILL.get(n.kind, "#ffffff")
        if n.kind == "more":
            ax.add_patch(
                FancyBboxPatch(
                    (n.x - R - 6, n.y - 12),
                    2 * R + 12,
                    24,
                    boxstyle="round,pad=0,rounding_size=6",
                    fc=fill,
                    ec="#999",
                    ls="--",
                    zorder=3,
                )
            )
            fs = 7.0
        else:
            ax.add_patch(Circle((n.x, n.y), R, fc=fill, ec="#333", zorder=3))
            fs = _node_font(n.label) * 0.75
        ax.text(n.x, n.y, n.label, fontsize=fs, ha="center", va="center", zorder=5)
        if n.bias:
            ax.text(
                n.x,
                n.y + R + 9,
                n.bias,
                fontsize=6.5,
                ha="center",
                va="center",
                color="#7a4b00",
                zorder=5,
            )
    if g.caption:
        ax.text(8, g.height - 6, g.caption, fontsize=7, color="#666", va="bottom")
    ax.set_xlim(0, g.width)
    ax.set_ylim(g.height, 0)  # y grows downwards, as in the SVG
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return finish(fig, lang, save, tight=own)
