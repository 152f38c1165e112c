"""Concepts of the course material that are shown with small numbers and pictures.

``matrix``         (002, 003) the matrix product [[1,2,3],[4,5,6]]·[[7,8],[9,10],[11,12]] (58 …),
                   the (l×m)(m×n) shape rule, XW + B vs WX + B, the 4-8-8-3 shapes.
``neuron``         (003) biological vs artificial neuron; threshold θ vs bias b = −θ.
``activations``    (002, 003) the activation functions, the step with threshold n (x ≥ n),
                   Leaky ReLU's 0.1 vs 0.01.
``network-types``  (003) feed-forward vs recurrent: the same inputs, with and without memory.
``affine``         (004) x(2,)·W(2,3) + b(3,) with the shapes printed, its backward pass done
                   right, and the report's two mistakes (sigmoid precedence, hand backprop).
"""

from __future__ import annotations

import numpy as np

from .. import i18n
from ..i18n.errata import errata_for
from .registry import Option, RunResult, register


def _T(lang):
    return lambda k, **kw: i18n.t(k, lang, **kw)


# ------------------------------------------------------------------------------ matrix
A_REVIEW = np.array([[1, 2, 3], [4, 5, 6]])
B_REVIEW = np.array([[7, 8], [9, 10], [11, 12]])


@register("matrix", summary="seed 002/003: matrix product (= 58 …), shape rule, XW + B vs WX + B",
          seed="002")  # fmt: skip
def matrix(opts):
    lang = opts["lang"]
    T = _T(lang)
    C = A_REVIEW @ B_REVIEW
    lines = [T("mx.head"), f"A (2×3) = {A_REVIEW.tolist()}", f"B (3×2) = {B_REVIEW.tolist()}",
             f"A·B (2×2) = {C.tolist()}",
             T("mx.first", terms="1·7 + 2·9 + 3·11", v=int(C[0, 0])), T("mx.rule")]  # fmt: skip
    try:
        A_REVIEW @ A_REVIEW
    except ValueError:
        lines.append(T("mx.mismatch"))
    # XW + B vs WX + B with the textbook's 2-2 layer
    x = np.array([[0.5, -1.0]])
    W = np.array([[0.1, 0.2], [0.3, 0.4]])
    b = np.array([[0.1, 0.2]])
    z_row = x @ W + b
    z_col = W.T @ x.T + b.T
    lines += ["", T("mx.xw_head"), f"XW + B = {z_row.round(4).tolist()}   (1×2)(2×2) + (1×2)",
              f"WᵀX + B = {z_col.round(4).tolist()}   (2×2)(2×1) + (2×1)",
              T("mx.xw_same", same=bool(np.allclose(z_row, z_col.T)))]  # fmt: skip
    lines += ["", T("mx.keras_head")]
    for n_in, n_out in ((4, 8), (8, 8), (8, 3)):
        lines.append(f"X(1×{n_in}) · W({n_in}×{n_out}) + B(1×{n_out}) = Y(1×{n_out})")
    metrics = {
        "product": C.tolist(),
        "first": int(C[0, 0]),
        "xw_equals_wx": bool(np.allclose(z_row, z_col.T)),
    }
    return RunResult("matrix", "\n".join(lines), metrics, dict(opts), lang=lang)


# ------------------------------------------------------------------------------ neuron
@register("neuron", summary="seed 003: biological vs artificial neuron; threshold θ vs bias",
          seed="003")  # fmt: skip
def neuron(opts):
    lang = opts["lang"]
    T = _T(lang)
    lines = [T("nr.head")]
    for part in ("dendrite", "synapse", "soma", "axon"):
        lines.append("  " + T(f"nr.{part}"))
    x, w, theta = np.array([1.0, 0.0, 1.0]), np.array([0.5, 0.4, 0.3]), 0.7
    s = float(x @ w)
    lines += ["", T("nr.theta_head"), T("nr.theta", s=f"{s:g}", theta=f"{theta:g}",
                                        y=int(s >= theta), b=f"{-theta:g}", sb=f"{s - theta:g}")]  # fmt: skip
    figs, captions = {}, {}
    if opts["figures"]:
        figs["neuron"] = _figure_neuron(lang)
        captions["neuron"] = T("fig.neuron")
    return RunResult("neuron", "\n".join(lines), {"sum": s, "theta": theta, "y": int(s >= theta)},
                     dict(opts), figs, captions=captions, lang=lang)  # fmt: skip


def _figure_neuron(lang):
    from matplotlib.patches import Circle, Ellipse, FancyArrowPatch

    from ..viz._common import finish, new_figure

    T = _T(lang)
    fig = new_figure((11.0, 3.8))
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    # biological: dendrites -> cell body -> axon -> synapses
    for dy in (-0.9, -0.3, 0.3, 0.9):
        ax1.plot([0.2, 1.4], [1.5 + dy, 1.5 + dy * 0.3], color="#8d6e63", lw=2)
    ax1.add_patch(Ellipse((1.8, 1.5), 0.9, 0.8, fc="#ffe0b2", ec="#8d6e63", lw=2))
    ax1.plot([2.25, 4.2], [1.5, 1.5], color="#8d6e63", lw=3)
    for dy in (-0.4, 0.0, 0.4):
        ax1.plot([4.2, 4.8], [1.5, 1.5 + dy], color="#8d6e63", lw=2)
        ax1.add_patch(Circle((4.85, 1.5 + dy), 0.07, color="#8d6e63"))
    for x, y, key in ((0.3, 2.55, "nr.l_dendrite"), (1.8, 2.1, "nr.l_soma"), (3.2, 1.7, "nr.l_axon"),
                      (4.6, 2.15, "nr.l_synapse")):  # fmt: skip
        ax1.text(x, y, T(key), ha="center", fontsize=9)
    ax1.set(xlim=(0, 5.2), ylim=(0.3, 2.9), title=T("nr.bio"))
    ax1.axis("off")
    # artificial: x_i -w_i-> Σ + b -> f -> y
    for i, yy in enumerate((2.4, 1.5, 0.6)):
        ax2.add_patch(Circle((0.4, yy), 0.22, fc="#e8f0fe", ec="#333"))
        ax2.text(0.4, yy, f"x{i + 1}", ha="center", va="center", fontsize=9)
        ax2.add_patch(FancyArrowPatch((0.62, yy), (2.0, 1.5), arrowstyle="-|>", mutation_scale=9))
        ax2.text(1.2, (yy + 1.5) / 2 + 0.12, f"w{i + 1}", fontsize=9, color="#1f77b4")
    ax2.add_patch(Circle((2.3, 1.5), 0.3, fc="#fff4e5", ec="#333"))
    ax2.text(2.3, 1.5, "Σ + b", ha="center", va="center", fontsize=9)
    ax2.add_patch(FancyArrowPatch((2.6, 1.5), (3.3, 1.5), arrowstyle="-|>", mutation_scale=9))
    ax2.add_patch(Circle((3.6, 1.5), 0.3, fc="#e6f4ea", ec="#333"))
    ax2.text(3.6, 1.5, "f", ha="center", va="center", fontsize=11)
    ax2.add_patch(FancyArrowPatch((3.9, 1.5), (4.7, 1.5), arrowstyle="-|>", mutation_scale=9))
    ax2.text(4.85, 1.5, "y", va="center", fontsize=11)
    ax2.text(2.3, 0.9, T("nr.l_sum"), ha="center", fontsize=8)
    ax2.text(3.6, 0.9, T("activation"), ha="center", fontsize=8)
    ax2.text(0.4, 0.1, T("nr.l_inputs"), ha="center", fontsize=8)
    ax2.set(xlim=(0, 5.2), ylim=(0, 2.9), title=T("nr.art"), aspect="equal")
    ax2.axis("off")
    return finish(fig, lang)


# ------------------------------------------------------------------------------ activations
@register(
    "activations",
    summary="seed 002/003: activation functions and derivatives, the step with threshold n, "
    "Leaky ReLU 0.1 vs 0.01",
    seed="003",
    options=[Option("threshold", float, 1.0, "n of the step function y = 1 if x ≥ n"),
             Option("alpha", float, 0.01, "slope of Leaky ReLU for x < 0 (slides: 0.1 and 0.01)")],
)  # fmt: skip
def activations(opts):
    from ..functions import ACTIVATION_NAMES, get_activation

    lang = opts["lang"]
    T = _T(lang)
    n, alpha = float(opts["threshold"]), float(opts["alpha"])
    xs = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    names = [a for a in ACTIVATION_NAMES if a not in ("identity", "linear", "softmax")]
    lines = [T("act.head"), f"{'x':<12}" + "".join(f"{v:>9g}" for v in xs)]
    values = {}
    for name in names:
        f = (
            get_activation(name)
            if name != "leaky_relu"
            else get_activation("leaky_relu", alpha=alpha)
        )
        v = f.f(xs)
        values[name] = v.tolist()
        lines.append(f"{name:<12}" + "".join(f"{u:>9.4f}" for u in v))
    step_n = (xs >= n).astype(float)
    lines += ["", T("act.step_n", n=f"{n:g}"), f"{'x':<12}" + "".join(f"{v:>9g}" for v in xs),
              f"{'step_n':<12}" + "".join(f"{u:>9g}" for u in step_n), T("act.step_bias", n=f"{n:g}")]  # fmt: skip
    lines += ["", T("act.leaky", a=f"{alpha:g}")]
    figs, captions = {}, {}
    if opts["figures"]:
        from ..viz import plot_activation_gallery

        figs["activations"] = plot_activation_gallery(names, ncols=5, lang=lang)
        figs["step_threshold"] = _figure_step(n, alpha, lang)
        captions = {
            "activations": T("fig.activations"),
            "step_threshold": T("fig.step_threshold", n=f"{n:g}"),
        }
    return RunResult("activations", "\n".join(lines), {"values": values, "step_n": step_n.tolist()},
                     dict(opts), figs, captions=captions, errata=errata_for("activations", lang),
                     lang=lang)  # fmt: skip


def _figure_step(n, alpha, lang):
    from ..viz._common import finish, new_figure

    fig = new_figure((10.0, 3.4))
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    x = np.linspace(-3, 3, 601)
    for k, m in enumerate((0.0, n)):
        ax1.plot(x[x < m], np.zeros((x < m).sum()), color=f"C{k}")
        ax1.plot(x[x >= m], np.ones((x >= m).sum()) + 0.02 * k, color=f"C{k}", label=f"n = {m:g}")
        ax1.plot([m], [1 + 0.02 * k], "o", color=f"C{k}")
        ax1.plot([m], [0], "o", mfc="white", color=f"C{k}")
    ax1.set(title="y = 1 (x ≥ n), 0 (x < n)", xlabel="x")
    ax1.legend(fontsize=8)
    for k, a in enumerate(sorted({0.01, 0.1, alpha})):
        ax2.plot(x, np.maximum(a * x, x), color=f"C{k + 2}", label=f"max({a:g}x, x)")
    ax2.set(title="Leaky ReLU", xlabel="x", ylim=(-0.5, 3))
    ax2.legend(fontsize=8)
    return finish(fig, lang)


# ------------------------------------------------------------------------------ network types
@register("network-types", summary="seed 003: feed-forward vs recurrent network — memory of the "
          "inputs before", seed="003")  # fmt: skip
def network_types(opts):
    lang = opts["lang"]
    T = _T(lang)
    rng = np.random.default_rng(0 if opts["seed"] is None else opts["seed"])
    Wx, Wh, v = rng.normal(0, 1, (1, 3)), rng.normal(0, 0.8, (3, 3)), rng.normal(0, 1, (3, 1))
    seqs = {"A": [1.0, 0.0, 0.5], "B": [-1.0, 0.0, 0.5]}
    lines = [T("nt.head")]
    res = {}
    for name, seq in seqs.items():
        ff = [(np.tanh(np.array([[u]]) @ Wx) @ v).item() for u in seq]
        h, rnn = np.zeros((1, 3)), []
        for u in seq:
            h = np.tanh(np.array([[u]]) @ Wx + h @ Wh)  # h_t = tanh(x_t Wx + h_{t-1} Wh)
            rnn.append((h @ v).item())
        res[name] = {"inputs": seq, "feed_forward": ff, "recurrent": rnn}
        lines.append(T("nt.line", name=name, seq=seq, ff=f"{ff[-1]:.4f}", rnn=f"{rnn[-1]:.4f}"))
    lines.append(T("nt.text"))
    figs, captions = {}, {}
    if opts["figures"]:
        figs["network_types"] = _figure_types(lang)
        captions["network_types"] = T("fig.network_types")
    return RunResult("network-types", "\n".join(lines), res, dict(opts), figs, captions=captions,
                     lang=lang)  # fmt: skip


def _figure_types(lang):
    from matplotlib.patches import Circle, FancyArrowPatch

    from ..viz._common import finish, new_figure

    T = _T(lang)
    fig = new_figure((10.0, 3.6))
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    cols = {0: (0.5, [0.7, 1.7]), 1: (2.0, [0.4, 1.2, 2.0]), 2: (3.5, [1.2])}
    for c, (x, ys) in cols.items():
        for y in ys:
            ax1.add_patch(Circle((x, y), 0.2, fc="#e8f0fe", ec="#333"))
            if c + 1 in cols:
                for y2 in cols[c + 1][1]:
                    ax1.add_patch(FancyArrowPatch((x + 0.2, y), (cols[c + 1][0] - 0.2, y2),
                                                  arrowstyle="-|>", mutation_scale=7, lw=0.8))  # fmt: skip
    ax1.set(xlim=(0, 4), ylim=(0, 2.5), title=T("feed_forward"), aspect="equal")
    ax1.axis("off")
    for t in range(3):
        x = 0.6 + 1.4 * t
        ax2.add_patch(Circle((x, 0.5), 0.2, fc="#e8f0fe", ec="#333"))
        ax2.add_patch(Circle((x, 1.4), 0.25, fc="#fff4e5", ec="#333"))
        ax2.text(x, 0.5, f"x{t + 1}", ha="center", va="center", fontsize=8)
        ax2.text(x, 1.4, f"h{t + 1}", ha="center", va="center", fontsize=8)
        ax2.add_patch(FancyArrowPatch((x, 0.7), (x, 1.15), arrowstyle="-|>", mutation_scale=7))
        ax2.add_patch(FancyArrowPatch((x, 1.65), (x, 2.1), arrowstyle="-|>", mutation_scale=7))
        ax2.text(x, 2.25, f"y{t + 1}", ha="center", fontsize=8)
        if t:
            ax2.add_patch(FancyArrowPatch((x - 1.15, 1.4), (x - 0.25, 1.4), arrowstyle="-|>",
                                          mutation_scale=7, color="C3"))  # fmt: skip
    ax2.set(xlim=(0, 4), ylim=(0, 2.5), title=T("recurrent"), aspect="equal")
    ax2.axis("off")
    return finish(fig, lang)


# ------------------------------------------------------------------------------ affine (004)
@register("affine", summary="seed 004: x(2,)·W(2,3) + b(3,) with shapes, its backward pass, and the "
          "report's sigmoid/backprop mistakes", seed="004")  # fmt: skip
def affine(opts):
    lang = opts["lang"]
    T = _T(lang)
    rng = np.random.default_rng(0 if opts["seed"] is None else opts["seed"])
    x, W, b = rng.random(2), rng.random((2, 3)), rng.random(3)
    y = x @ W + b
    dy = rng.random(3)  # an upstream gradient ∂L/∂y
    dx, dW, db = dy @ W.T, np.outer(x, dy), dy
    f = lambda a: np.array2string(np.asarray(a), precision=4)  # noqa: E731
    lines = [T("af.head"), f"x {x.shape} · W {W.shape} + b {b.shape} = y {y.shape}",
             f"y = {f(y)}", "", T("af.back_head"), f"∂L/∂y {dy.shape} = {f(dy)}",
             f"∂L/∂x = ∂L/∂y · Wᵀ  {dx.shape} = {f(dx)}",
             f"∂L/∂W = xᵀ · ∂L/∂y  {dW.shape} =\n{f(dW)}", f"∂L/∂b = ∂L/∂y  {db.shape} = {f(db)}"]  # fmt: skip
    # a check against finite differences of L = dy · y
    h = 1e-6
    num = np.array(
        [((x + h * e) @ W + b - ((x - h * e) @ W + b)) @ dy / (2 * h) for e in np.eye(2)]
    )
    lines.append(T("af.check", err=f"{np.abs(num - dx).max():.1e}"))
    # the report's mistakes
    z = np.array([-1.0, 0.0, 1.0])
    wrong = 1 / 1 + np.exp(-z)  # what `1 / 1 + np.exp(-x)` computes
    right = 1 / (1 + np.exp(-z))
    wrong_dx = dy * W  # the report: element-wise, shape (2, 3)
    lines += ["", T("af.wrong_head"),
              f"x = {z.tolist()}: 1 / 1 + np.exp(-x) = {f(wrong)};  1 / (1 + np.exp(-x)) = {f(right)}",
              T("af.wrong_dx", shape=str(wrong_dx.shape), right=str(dx.shape)),
              T("af.wrong_dw", right=str(dW.shape))]  # fmt: skip
    # the report's bias sum: dY = [[1,2,3],[11,12,13]] -> dB = [12 14 16]
    Y = np.array([[0, 0, 0], [10, 10, 10]]) + np.array([1, 2, 3])
    lines += ["", T("af.bias", dB=str(np.sum(Y, axis=0)))]
    metrics = {"shapes": {"x": x.shape, "W": W.shape, "b": b.shape, "y": y.shape, "dx": dx.shape,
                          "dW": dW.shape}, "max_check_error": float(np.abs(num - dx).max()),
               "wrong_sigmoid": wrong.tolist(), "sigmoid": right.tolist(), "dB": np.sum(Y, 0).tolist()}  # fmt: skip
    return RunResult("affine", "\n".join(lines), metrics, dict(opts),
                     errata=errata_for("affine", lang), lang=lang)  # fmt: skip
