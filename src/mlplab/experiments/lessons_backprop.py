"""The worked backpropagation examples of the textbook (002, 2-2-1) and the slides (003, 2-2-2).

Each run prints the hand calculation (:func:`~mlplab.experiments.trace.trace_backprop`), draws
the network with the document's own names (textbook: pre-activation ``z``, activation ``a``,
output ``net_y``/``out_y``; slides: ``z``/``h``, output ``z``/``o``), weights on the edges and
∂E/∂w under them, and says where the document's own numbers are wrong (:mod:`mlplab.i18n.errata`).
"""

from __future__ import annotations

import numpy as np

from .. import i18n
from ..i18n.errata import errata_for
from ..layers import Activation, Affine
from ..model import Sequential
from .registry import Option, RunResult, register
from .trace import trace_backprop

#: The textbook's printed digits, the exact values and what the difference comes from.
TEXTBOOK_DIGITS = (
    # (name, textbook, how mlplab computes it)
    ("z_y", "0.892389", "forward"),
    ("b1⁺", "0.096352", "b1"),
    ("b3⁺", "0.270750", "b3"),
    ("E (10000, lr 0.8)", "0.000016", "E10000"),
)


def textbook_221():
    """Textbook 2-2-1: x = (0, 0), w1..w4 = 0.1..0.4, b1 = 0.1, b2 = 0.2, w5 = 0.5, w6 = 0.6,
    b3 = 0.3, sigmoid everywhere, E = ½(t − out)², target 0."""
    W1 = np.array([[0.1, 0.2], [0.3, 0.4]])  # z1 = w1·x1 + w3·x2 + b1  (XW + B layout)
    W2 = np.array([[0.5], [0.6]])
    layers = [Affine(W1, np.array([0.1, 0.2])), Activation("sigmoid"),
              Affine(W2, np.array([0.3])), Activation("sigmoid")]  # fmt: skip
    return Sequential(layers, loss="half_sse"), np.array([0.0, 0.0]), np.array([0.0])


def slides_222():
    """Slides 2-2-2 (no biases): x = (0.1, 0.2), z1 = W1·x1 + W2·x2 = 0.08, targets (0.4, 0.6)."""
    W1 = np.array([[0.3, 0.4], [0.25, 0.35]])
    W2 = np.array([[0.45, 0.7], [0.4, 0.6]])
    layers = [Affine(W1, None), Activation("sigmoid"), Affine(W2, None), Activation("sigmoid")]
    return Sequential(layers, loss="half_sse"), np.array([0.1, 0.2]), np.array([0.4, 0.6])


def steps(build, lr, n):
    """``(out, E)`` after ``n`` full SGD steps of the example built by ``build``."""
    model, x, t = build()
    xb, tb = x.reshape(1, -1), t.reshape(1, -1)
    for _ in range(n):
        g = model.gradient(xb, tb)
        for k in model.params:
            model.params[k] -= lr * g[k]
    return model.predict(xb)[0], float(model.loss(xb, tb))


def textbook_digits(lang="en") -> tuple[str, dict]:
    """The textbook's truncated digits beside mlplab's (rounded) and the exact values."""
    model, x, t = textbook_221()
    xb, tb = x.reshape(1, -1), t.reshape(1, -1)
    net_y = float(model.layer_outputs(xb)[2][0, 0])
    g = model.gradient(xb, tb)
    exact = {
        "forward": net_y,
        "b1": float(model.params["b1"][0] - 0.2 * g["b1"][0]),
        "b3": float(model.params["b2"][0] - 0.2 * g["b2"][0]),
        "E10000": steps(textbook_221, 0.8, 10000)[1],
    }
    T = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    rows = [T("bp.digits_head"),
            f"{T('bp.col_value'):<18} {T('bp.col_book'):>10} {T('bp.col_mlplab'):>10} "
            f"{T('bp.col_exact'):>14}"]  # fmt: skip
    table = {}
    for name, book, key in TEXTBOOK_DIGITS:
        v = exact[key]
        rows.append(f"{name:<18} {book:>10} {v:>10.6f} {v:>14.10f}")
        table[name] = {"textbook": float(book), "mlplab": round(v, 6), "exact": v}
    rows.append(T("bp.digits_why"))
    return "\n".join(rows), table


def _diagram(model, x, t, names, lang):
    """The network with this sample's values and, on the edges, w and ∂E/∂w (before the update)."""
    from ..viz import plot_network

    xb, tb = x.reshape(1, -1), t.reshape(1, -1)
    grads = {k: v.copy() for k, v in model.gradient(xb, tb).items()}
    return plot_network(model, xb, tb, grads=grads, names=names, lang=lang)


def _run(name, build, lr, style, decimals, opts):
    lang = opts.get("lang", "en")
    model, x, t = build()
    figs, captions = {}, {}
    if opts.get("figures", True):
        figs["network"] = _diagram(model, x, t, style, lang)
        captions["network"] = i18n.t(f"fig.{name}", lang)
    lr = float(opts["lr"]) if opts["lr"] is not None else lr
    text, metrics = trace_backprop(model, x, t, lr=lr, style=style, decimals=decimals,
                                   fmt=opts["format"], lang=lang)  # fmt: skip
    if opts["steps"] > 1:
        for _ in range(opts["steps"] - 1):
            g = model.gradient(x.reshape(1, -1), t.reshape(1, -1))
            for k in model.params:
                model.params[k] -= lr * g[k]
        E = model.loss(x.reshape(1, -1), t.reshape(1, -1))
        out = model.predict(x.reshape(1, -1))[0]
        text += "\n\n" + i18n.t("bp.after_steps", lang, n=opts["steps"],
                                out=", ".join(f"{v:.6f}" for v in out), E=f"{E:.6f}")  # fmt: skip
        metrics[f"E_after_{opts['steps']}"] = float(E)
        metrics["out_after_steps"] = [float(v) for v in out]
    return RunResult(name, text, metrics, dict(opts), figures=figs, captions=captions,
                     errata=errata_for(name, lang), lang=lang)  # fmt: skip


@register(
    "backprop-221",
    summary="seed 002: the textbook's 2-2-1 backprop by hand (E 0.251612 → 0.244687)",
    seed="002",
    options=[
        Option("lr", float, None, "learning rate (textbook: 0.2)"),
        Option("steps", int, 1, "further steps to run after the traced one (textbook: 10000)"),
    ],
)
def backprop_221(opts):
    res = _run("backprop-221", textbook_221, 0.2, "textbook", 6, opts)
    if opts["format"] == "text":
        digits, table = textbook_digits(opts.get("lang", "en"))
        res.text += "\n\n" + digits
        res.metrics["textbook_digits"] = table
    return res


@register(
    "backprop-222",
    summary="seed 003: the slides' 2-2-2 backprop (E 0.02397190 → 0.02323634, lr 0.5)",
    seed="003",
    options=[
        Option("lr", float, None, "learning rate (slides: 0.5)"),
        Option("steps", int, 1, "further steps to run after the traced one"),
    ],
)
def backprop_222(opts):
    return _run("backprop-222", slides_222, 0.5, "slides", 8, opts)
