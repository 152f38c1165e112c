"""Backpropagation traced by hand: every forward value, the loss, every partial derivative as
its chain-rule factors, the updated weights and the new loss.

Works for any small :class:`~mlplab.model.Sequential` made of ``Affine`` + activation layers and
one sample.  For a weight w_ij from unit i (output a_i) to unit j (net input net_j, output out_j)::

    ∂E/∂w_ij = ∂E/∂out_j · ∂out_j/∂net_j · ∂net_j/∂w_ij = ∂E/∂out_j · f'(net_j) · a_i

with ∂E/∂out_j = (out_j − t_j) at the output (½Σ(t − out)²) and Σ_k δ_k w_jk in a hidden layer
(δ_k = ∂E/∂out_k · f'(net_k)).  Biases use ∂net_j/∂b_j = 1.

Naming styles:

* ``textbook`` (seed 002): weights w1, w2, … numbered row by row of W (z1 = w1·x1 + w3·x2 + b1),
  biases b1, b2, … across layers, hidden net/out ``z``/``a``, output ``net_y``/``out_y``;
* ``slides`` (seed 003): W1, W2, … numbered unit by unit (z1 = W1·x1 + W2·x2), hidden ``z``/``h``,
  output ``z``/``o``.
"""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError, ShapeError
from ..layers import Activation, Affine


def _layers(model):
    """[(Affine, activation Activation-or-head-act)] pairs."""
    pairs = []
    layers = list(model.layers)
    i = 0
    while i < len(layers):
        lay = layers[i]
        if not isinstance(lay, Affine):
            raise ConfigError(
                f"trace works for Affine + activation networks; found {type(lay).__name__}"
            )
        nxt = layers[i + 1] if i + 1 < len(layers) else None
        if isinstance(nxt, Activation):
            pairs.append((lay, nxt.fn))
            i += 2
        else:
            pairs.append((lay, model.head.act))
            i += 1
    if len(pairs) and isinstance(model.layers[-1], Activation):
        raise ConfigError("the output activation must be part of the loss head")
    return pairs


class _Names:
    def __init__(self, style, shapes):
        self.style = style
        self.w, self.b = {}, {}
        wc = bc = 0
        for L, (n_in, n_out, has_b) in enumerate(shapes):
            order = (
                [(i, j) for i in range(n_in) for j in range(n_out)]
                if style == "textbook"
                else [(i, j) for j in range(n_out) for i in range(n_in)]
            )
            for i, j in order:
                wc += 1
                self.w[(L, i, j)] = f"w{wc}" if style == "textbook" else f"W{wc}"
            if has_b:
                for j in range(n_out):
                    bc += 1
                    self.b[(L, j)] = f"b{bc}"
        self.n_layers = len(shapes)
        self.unit_counter = {}
        self.units = {}
        count = 0
        for L, (_, n_out, _) in enumerate(shapes):
            for j in range(n_out):
                count += 1
                self.units[(L, j)] = count

    def net(self, L, j):
        last = L == self.n_layers - 1
        if self.style == "textbook":
            if last:
                return "net_y" if self._single(L) else f"net_y{j + 1}"
            return f"z{self.units[(L, j)]}"
        return f"z{self.units[(L, j)]}"

    def out(self, L, j):
        last = L == self.n_layers - 1
        if self.style == "textbook":
            if last:
                return "out_y" if self._single(L) else f"out_y{j + 1}"
            return f"a{self.units[(L, j)]}"
        if last:
            return f"o{j + 1}"
        return f"h{self.units[(L, j)]}"

    def _single(self, L):
        return sum(1 for key in self.units if key[0] == L) == 1


def trace_backprop(model, x, t, lr=0.1, style="textbook", decimals=6, fmt="text", hand=None):
    """Trace one forward pass, the backward pass and one SGD step on a single sample.

    Parameters
    ----------
    model : Sequential
        Affine + activation layers, loss ``half_sse`` (or any loss of the head).
    x : array (D,) or (1, D);  t : array (C,) or (1, C)
    lr : float — learning rate of the update.
    style : "textbook" | "slides";  fmt : "text" | "markdown" | "latex".

    Returns
    -------
    text : str
    metrics : dict — forward values, loss, gradients, updated parameters, new loss.

    hand : bool
        Truncate every factor to ``decimals`` before multiplying, as the textbook's hand
        calculation does (default for the textbook style: 0.709383 × 0.206158 × 0.524979 =
        0.076775, where exact arithmetic gives 0.206159 and 0.076776).  The
        engine's exact values are still in ``metrics`` and the update uses them.

    The model is updated in place (one SGD step).
    """
    if hand is None:
        hand = style == "textbook"
    scale = 10.0**decimals

    def cut(v):  # the textbook cuts (truncates) to 6 decimals: 0.2061587 -> 0.206158
        return np.trunc(np.asarray(v) * scale) / scale

    if style not in ("textbook", "slides"):
        raise ConfigError(f"style must be 'textbook' or 'slides', got {style!r}")
    if fmt not in ("text", "markdown", "latex"):
        raise ConfigError(f"format must be 'text', 'markdown' or 'latex', got {fmt!r}")
    x = np.asarray(x, dtype=np.float64).reshape(1, -1)
    t = np.asarray(t, dtype=np.float64).reshape(1, -1)
    if x.shape[1] != model.input_dim:
        raise ShapeError(f"x has {x.shape[1]} values but the network has {model.input_dim} inputs")
    pairs = _layers(model)
    if t.shape[1] != pairs[-1][0].out_features:
        raise ShapeError(
            f"target has {t.shape[1]} values but the network has {pairs[-1][0].out_features} outputs"
        )
    shapes = [(a.in_features, a.out_features, "b" in a.params) for a, _ in pairs]
    nm = _Names(style, shapes)
    d = decimals

    def f(v):
        return f"{float(v):.{d}f}"

    mul = {"text": " × ", "markdown": " × ", "latex": r" \times "}[fmt]
    lines = []

    def head(s):
        if fmt == "markdown":
            lines.append(f"\n### {s}\n")
        elif fmt == "latex":
            lines.append(f"\n% {s}")
        else:
            lines.append(f"\n== {s} ==")

    def eq(s):
        if fmt == "latex":
            lines.append(f"$${s}$$")
        elif fmt == "markdown":
            lines.append(f"- `{s}`")
        else:
            lines.append(s)

    def frac(a, b):
        if fmt == "latex":
            return rf"\frac{{\partial {a}}}{{\partial {b}}}"
        return f"∂{a}/∂{b}"

    # ---- forward
    acts = [x[0]]
    nets, outs = [], []
    head("forward pass")
    for j in range(x.shape[1]):
        eq(f"x{j + 1} = {f(x[0, j])}")
    a = x
    for L, (aff, fn) in enumerate(pairs):
        W, b = aff.params["W"], aff.params.get("b")
        net = a @ W + (b if b is not None else 0)
        out = fn.f(net)
        for j in range(W.shape[1]):
            terms = [f"{f(W[i, j])}*{f(a[0, i])}" for i in range(W.shape[0])]
            sym = " + ".join(
                f"{nm.w[(L, i, j)]}*{('x' + str(i + 1)) if L == 0 else nm.out(L - 1, i)}"
                for i in range(W.shape[0])
            )
            if b is not None:
                sym += f" + {nm.b[(L, j)]}"
                terms.append(f(b[j]))
            eq(f"{nm.net(L, j)} = {sym} = {' + '.join(terms)} = {f(net[0, j])}")
            eq(f"{nm.out(L, j)} = {fn.name}({nm.net(L, j)}) = {f(out[0, j])}")
        nets.append(net[0])
        outs.append(out[0])
        acts.append(out[0])
        a = out
    o = outs[-1]
    # ---- loss
    head("loss")
    loss_name = model.head.loss
    if loss_name != "half_sse":
        E = float(model.head.loss_fn.value(o.reshape(1, -1), t))
        eq(f"E = {loss_name}(out, target) = {f(E)}")
        dE_dout = model.head.loss_fn.grad(o.reshape(1, -1), t)[0]
    else:
        parts = 0.5 * (t[0] - o) ** 2
        E = float(parts.sum())
        for k in range(len(o)):
            eq(f"E_{nm.out(len(pairs) - 1, k)} = 1/2 (target_{k + 1} − {nm.out(len(pairs) - 1, k)})² "
               f"= 1/2 ({f(t[0, k])} − {f(o[k])})² = {f(parts[k])}")  # fmt: skip
        if len(o) > 1:
            eq(f"E_total = {' + '.join(f(p) for p in parts)} = {f(E)}")
        dE_dout = o - t[0]
    # ---- backward
    head("backward pass (chain rule)")
    grads = {}
    factors = {}
    dout = dE_dout
    for L in range(len(pairs) - 1, -1, -1):
        aff, fn = pairs[L]
        net, out = nets[L], outs[L]
        if fn.df is None:
            raise ConfigError("trace needs elementwise activations (softmax is not traced)")
        if hand:  # a hand calculation works with the rounded values it wrote down
            dout = cut(dout)
            fprime = cut(fn.df(cut(net), cut(out)))
        else:
            fprime = fn.df(net, out)
        delta = dout * fprime
        a_in = cut(acts[L]) if hand else acts[L]
        W = aff.params["W"]
        for j in range(W.shape[1]):
            for i in range(W.shape[0]):
                name = nm.w[(L, i, j)]
                src = f"x{i + 1}" if L == 0 else nm.out(L - 1, i)
                g = dout[j] * fprime[j] * a_in[i]
                g = float(cut(g)) if hand else g
                grads[name] = g
                factors[name] = (dout[j], fprime[j], a_in[i])
                eq(
                    f"{frac('E', name)} = {frac('E', nm.out(L, j))}{mul}"
                    f"{frac(nm.out(L, j), nm.net(L, j))}{mul}{frac(nm.net(L, j), name)}"
                    f" = {f(dout[j])}{mul}{f(fprime[j])}{mul}{f(a_in[i])} = {f(g)}"
                    + ("" if L == len(pairs) - 1 else f"   ({src} = {f(a_in[i])})")
                )
            if "b" in aff.params:
                name = nm.b[(L, j)]
                g = dout[j] * fprime[j]
                g = float(cut(g)) if hand else g
                grads[name] = g
                factors[name] = (dout[j], fprime[j], 1.0)
                eq(
                    f"{frac('E', name)} = {frac('E', nm.out(L, j))}{mul}"
                    f"{frac(nm.out(L, j), nm.net(L, j))}{mul}1 = {f(dout[j])}{mul}{f(fprime[j])} = {f(g)}"
                )
        if L > 0:
            if hand:
                delta = cut(delta)
            dout_prev = W @ delta
            for i in range(W.shape[0]):
                terms = " + ".join(f"{f(delta[j])}{mul}{f(W[i, j])}" for j in range(W.shape[1]))
                eq(f"{frac('E', nm.out(L - 1, i))} = Σ_k δ_k·w = {terms} = {f(dout_prev[i])}")
            dout = dout_prev
    # ---- update
    head(f"update (learning rate {lr:g})")
    new = {}
    for L, (aff, _) in enumerate(pairs):
        W = aff.params["W"]
        for j in range(W.shape[1]):
            for i in range(W.shape[0]):
                name = nm.w[(L, i, j)]
                new[name] = W[i, j] - lr * grads[name]
                eq(f"{name}⁺ = {name} − η·{frac('E', name)} = {f(W[i, j])} − {lr:g}{mul}"
                   f"{f(grads[name])} = {f(new[name])}")  # fmt: skip
        if "b" in aff.params:
            b = aff.params["b"]
            for j in range(len(b)):
                name = nm.b[(L, j)]
                new[name] = b[j] - lr * grads[name]
                eq(f"{name}⁺ = {f(b[j])} − {lr:g}{mul}{f(grads[name])} = {f(new[name])}")
    # apply the update through the engine (one SGD step) and report the new loss
    g_engine = model.gradient(x, t)
    for key in model.params:
        model.params[key] -= lr * g_engine[key]
    E_new = float(model.loss(x, t))
    out_new = model.predict(x)[0]
    head("after one step")
    eq(f"out = {', '.join(f(v) for v in out_new)}   E = {f(E_new)}")
    metrics = {
        "forward": {
            **{
                nm.net(L, j): float(nets[L][j])
                for L in range(len(pairs))
                for j in range(len(nets[L]))
            },
            **{
                nm.out(L, j): float(outs[L][j])
                for L in range(len(pairs))
                for j in range(len(outs[L]))
            },
        },
        "E": E,
        "grads": {k: float(v) for k, v in grads.items()},
        "factors": {k: [float(v) for v in fs] for k, fs in factors.items()},
        "updated": {k: float(v) for k, v in new.items()},
        "E_after": E_new,
        "out_after": [float(v) for v in out_new],
    }
    text = "\n".join(lines).lstrip("\n")
    if fmt == "latex":
        text = "% generated by mlplab trace\n" + text
    return text, metrics


def parse_matrix(text: str, name: str) -> np.ndarray:
    """Parse ``"0.1 0.2; 0.3 0.4"`` (rows separated by ';', values by spaces or commas)."""
    rows = [r for r in str(text).replace("[", "").replace("]", "").split(";") if r.strip()]
    if not rows:
        raise ConfigError(
            f"{name}: empty matrix; write rows separated by ';', e.g. '0.1 0.2; 0.3 0.4'"
        )
    try:
        data = [[float(v) for v in r.replace(",", " ").split()] for r in rows]
    except ValueError:
        raise ConfigError(f"{name}: not numbers: {text!r}; write e.g. '0.1 0.2; 0.3 0.4'") from None
    if len({len(r) for r in data}) != 1:
        raise ConfigError(f"{name}: rows have different lengths in {text!r}")
    arr = np.array(data, dtype=np.float64)
    if not np.isfinite(arr).all():
        raise ConfigError(f"{name}: values must be finite")
    return arr
