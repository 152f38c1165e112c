"""The worked backpropagation examples of the textbook (002, 2-2-1) and the slides (003, 2-2-2)."""

from __future__ import annotations

import numpy as np

from ..layers import Activation, Affine
from ..model import Sequential
from .registry import Option, RunResult, register
from .trace import trace_backprop


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


def _diagram(model, x, t):
    """The network with this sample's values and, on the edges, w and ∂E/∂w (before the update)."""
    try:
        from ..viz import network_svg
    except ImportError:
        return {}
    xb, tb = x.reshape(1, -1), t.reshape(1, -1)
    grads = {k: v.copy() for k, v in model.gradient(xb, tb).items()}
    return {"network": network_svg(model, xb, tb, grads=grads)}


def _run(name, build, lr, style, decimals, opts, steps_note):
    model, x, t = build()
    figs = _diagram(model, x, t)
    lr = float(opts["lr"]) if opts["lr"] is not None else lr
    text, metrics = trace_backprop(model, x, t, lr=lr, style=style, decimals=decimals,
                                   fmt=opts["format"])  # fmt: skip
    if opts["steps"] > 1:
        for _ in range(opts["steps"] - 1):
            g = model.gradient(x.reshape(1, -1), t.reshape(1, -1))
            for k in model.params:
                model.params[k] -= lr * g[k]
        E = model.loss(x.reshape(1, -1), t.reshape(1, -1))
        out = model.predict(x.reshape(1, -1))[0]
        text += f"\n\nafter {opts['steps']} steps: out = {', '.join(f'{v:.6f}' for v in out)}  E = {E:.6f}"
        metrics[f"E_after_{opts['steps']}"] = float(E)
        metrics["out_after_steps"] = [float(v) for v in out]
    return RunResult(name, text, metrics, dict(opts), figures=figs, notes=[steps_note])


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
    return _run("backprop-221", textbook_221, 0.2, "textbook", 6, opts,
                "The textbook reports out 0.005770, E = 0.000016 after 10000 steps without giving the learning"
                " rate; lr 0.2 gives 0.012088 / 0.000073 there, while --steps 10000 --lr 0.8 gives"
                " 0.005775 / 0.000017.")  # fmt: skip


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
    return _run("backprop-222", slides_222, 0.5, "slides", 8, opts,
                "The slides' network has no biases; its W1+ line prints 0.1 − 0.5 × 0.00080888 but"
                " W1 is 0.3 (z1 = 0.3·0.1 + 0.25·0.2 = 0.08).")  # fmt: skip
