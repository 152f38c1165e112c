"""Seeds 002 and 003: perceptron gates, gradient descent by hand, and the textbook losses.

Built-in runs (``mlplab run NAME``):

``gates``   (seed 003) AND / NAND / OR with the slides' weights, XOR = AND(NAND, OR), the
            perceptron learning rule (learns AND/OR/NAND, never XOR) and a small MLP that
            learns XOR.
``gd-1d``   (seed 002) gradient descent on f(x) = (x-3)^2 + 10 step by step
            (59 -> 27.64 -> 16.35 ...), then the quiz f(x) = x^2 - 6x + 4 at several rates.
``gd-2d``   (seed 002 + DLfS ch.6) the gradient field of x^2 + y^2, and the optimizer race
            on f(x, y) = x^2/20 + y^2 from (-7, 2) (DLfS ``optimizer_compare_naive.py``).
``losses``  (seed 002) the MSE examples 0.03 / 0.81 and their cross-entropy counterparts.
"""

from __future__ import annotations

import math
import re

import numpy as np

from .. import i18n
from ..autograd import format_scalar
from ..errors import ConfigError, check_int, check_positive
from ..i18n import pad
from ..i18n.errata import errata_for
from .registry import Option, RunResult, register

# ==============================================================================================
# gates (seed 003)
# ==============================================================================================
#: Inputs of a two-input truth table, shape (4, 2), in the slides' row order.
X_GATE = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)

#: The slides' hand-picked weights ``(w1, w2, b)``.
GATE_WEIGHTS = {
    "AND": (0.5, 0.5, -0.7),
    "NAND": (-0.5, -0.5, 0.7),
    "OR": (0.6, 0.6, -0.5),
}

#: Truth tables (targets for X_GATE rows).
GATE_TARGETS = {
    "AND": np.array([0, 0, 0, 1]),
    "NAND": np.array([1, 1, 1, 0]),
    "OR": np.array([0, 1, 1, 1]),
    "XOR": np.array([0, 1, 1, 0]),
}


def perceptron(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """Step-function neuron of the slides: ``y = 1 if x·w + b > 0 else 0``.

    Parameters
    ----------
    x : ndarray, shape (N, 2)
    w : ndarray, shape (2,)
    b : float

    Returns
    -------
    ndarray of int, shape (N,)
    """
    return (x @ np.asarray(w, dtype=float) + b > 0).astype(int)


def gate(name: str, x: np.ndarray) -> np.ndarray:
    """Output of the slides' gate ``name`` (AND, NAND, OR, or XOR = AND(NAND, OR)) on ``x``."""
    if name == "XOR":
        s1 = gate("NAND", x)
        s2 = gate("OR", x)
        return gate("AND", np.stack([s1, s2], axis=-1).astype(float))
    w1, w2, b = GATE_WEIGHTS[name]
    return perceptron(x, np.array([w1, w2]), b)


def train_perceptron(x: np.ndarray, t: np.ndarray, lr: float = 0.1, epochs: int = 20) -> dict:
    """Rosenblatt's perceptron learning rule from zero weights.

    For every sample in turn (online learning): ``y = step(x·w + b)``,
    ``w += lr·(t − y)·x``, ``b += lr·(t − y)``.  An epoch is one pass over the samples;
    training stops after the first epoch without an error, or after ``epochs`` epochs.

    Returns
    -------
    dict
        ``converged`` (bool), ``epochs`` (epochs run), ``w`` (list of 2), ``b``,
        ``correct`` (list: samples classified correctly after each epoch),
        ``errors`` (list: updates made in each epoch).
    """
    w = np.zeros(x.shape[1])
    b = 0.0
    correct: list[int] = []
    errors: list[int] = []
    converged = False
    for _ in range(epochs):
        n_err = 0
        for xi, ti in zip(x, t):  # the rule is defined per sample (online)
            yi = int(xi @ w + b > 0)
            if yi != ti:
                w = w + lr * (ti - yi) * xi
                b = b + lr * (ti - yi)
                n_err += 1
        errors.append(n_err)
        correct.append(int((perceptron(x, w, b) == t).sum()))
        if n_err == 0:
            converged = True
            break
    return {
        "converged": converged,
        "epochs": len(errors),
        "w": [float(v) for v in w],
        "b": float(b),
        "correct": correct,
        "errors": errors,
    }


def train_xor_mlp(hidden: int = 4, lr: float = 0.5, epochs: int = 3000, seed: int = 0) -> dict:
    """Train a 2-``hidden``-1 MLP (tanh hidden, sigmoid output, binary cross-entropy) on XOR
    with full-batch gradient descent, using mlplab's engine (``MLP``, ``gradient``, ``SGD``).

    Returns ``loss`` (final), ``loss_curve`` (every 100 epochs), ``outputs`` (4 probabilities),
    ``predicted`` (4 ints) and ``correct`` (out of 4).
    """
    from ..model import MLP
    from ..optim import get_optimizer

    x = X_GATE
    t = GATE_TARGETS["XOR"].reshape(-1, 1).astype(float)
    model = MLP(
        [2, hidden, 1],
        activation="tanh",
        output="sigmoid",
        loss="bce",
        init="xavier_uniform",
        seed=seed,
    )
    opt = get_optimizer("sgd", lr=lr)
    curve = []
    for epoch in range(epochs):
        grads = model.gradient(x, t)
        opt.update(model.params, grads)
        if epoch % 100 == 0 or epoch == epochs - 1:
            curve.append(float(model.loss(x, t)))
    p = np.asarray(model.predict(x), dtype=float).reshape(-1)
    pred = (p > 0.5).astype(int)
    return {
        "loss": float(model.loss(x, t)),
        "loss_curve": curve,
        "outputs": [float(v) for v in p],
        "predicted": [int(v) for v in pred],
        "correct": int((pred == GATE_TARGETS["XOR"]).sum()),
        "model": model,
    }


@register(
    "gates",
    summary="Perceptron gates AND/NAND/OR, XOR = AND(NAND, OR); the learning rule fails on "
    "XOR, an MLP learns it",
    seed="003",
    options=[
        Option("lr", float, 0.1, "perceptron learning rate"),
        Option("epochs", int, 20, "perceptron epoch budget"),
        Option("mlp_lr", float, 0.5, "learning rate of the XOR MLP (plain SGD)"),
        Option("mlp_epochs", int, 3000, "full-batch epochs of the XOR MLP"),
        Option("hidden", int, 4, "hidden units of the XOR MLP (2-hidden-1)"),
    ],
)
def gates(opts: dict) -> RunResult:
    """Truth tables, the perceptron rule on AND/OR/NAND/XOR, and an MLP on XOR.

    ``opts["seed"]`` (default 0 when not given, so the text is reproducible) seeds the
    MLP's weight initialization; the perceptron part is deterministic (zero start).
    """
    lr = check_positive("lr", opts["lr"])
    epochs = check_int("epochs", opts["epochs"], 1, 100000)
    seed = 0 if opts.get("seed") is None else int(opts["seed"])
    f = format_scalar
    lang = opts.get("lang", "en")
    T = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    out: list[str] = []
    metrics: dict = {"truth_tables": {}, "perceptron": {}}

    out.append(T("gates.gates_head"))
    for name, (w1, w2, b) in GATE_WEIGHTS.items():
        out.append(f"{name:<5} w1={f(w1)}, w2={f(w2)}, b={f(b)}")
    out.append("XOR   = AND(NAND(x1, x2), OR(x1, x2))  " + T("gates.xor_layers"))
    out.append("")
    names = ["AND", "NAND", "OR", "XOR"]
    tables = {n: gate(n, X_GATE) for n in names}
    out.append("x1 x2 | " + " ".join(f"{n:>4}" for n in names))
    for i, (x1, x2) in enumerate(X_GATE.astype(int)):
        out.append(f"{x1:>2} {x2:>2} | " + " ".join(f"{tables[n][i]:>4}" for n in names))
    for n in names:
        metrics["truth_tables"][n] = [int(v) for v in tables[n]]
        if not np.array_equal(tables[n], GATE_TARGETS[n]):  # pragma: no cover - sanity
            raise AssertionError(f"gate {n} does not match its truth table")
    out.append("")

    out.append(T("gates.rule_head", lr=f(lr), epochs=epochs))
    out.append(T("gates.rule"))
    for n in names:
        r = train_perceptron(X_GATE, GATE_TARGETS[n], lr=lr, epochs=epochs)
        metrics["perceptron"][n] = r
        if r["converged"]:
            w1, w2, b = f(r["w"][0]), f(r["w"][1]), f(r["b"])
            line = T("gates.learned", epochs=r["epochs"], w1=w1, w2=w2, b=b, n=r["correct"][-1])
        else:
            line = T("gates.not_learned", epochs=r["epochs"], n=max(r["correct"]))
        out.append(f"{n:<5} {line}")
    out.append("")

    mlp_lr = check_positive("mlp_lr", opts["mlp_lr"])
    mlp_epochs = check_int("mlp_epochs", opts["mlp_epochs"], 1, 10**6)
    hidden = check_int("hidden", opts["hidden"], 1, 1000)
    out.append(T("gates.mlp_head", hidden=hidden, lr=f(mlp_lr), epochs=mlp_epochs, seed=seed))
    try:
        m = train_xor_mlp(hidden=hidden, lr=mlp_lr, epochs=mlp_epochs, seed=seed)
        metrics["mlp_model"] = m.pop("model")
    except ImportError as exc:  # the engine is not installed/written
        out.append(T("gates.mlp_skipped", exc=exc))
        metrics["mlp"] = None
    else:
        metrics["mlp"] = m
        head = [T("gates.col_target"), T("gates.col_output"), T("gates.col_class")]
        out.append(
            f"x1 x2 | {pad(head[0], 6, '>')}  {pad(head[1], 6, '>')}  {pad(head[2], 5, '>')}"
        )
        for i, (x1, x2) in enumerate(X_GATE.astype(int)):
            out.append(
                f"{x1:>2} {x2:>2} | {GATE_TARGETS['XOR'][i]:>6}  {m['outputs'][i]:.4f}"
                f"  {m['predicted'][i]:>5}"
            )
        out.append(T("gates.mlp_result", n=m["correct"], loss=f"{m['loss']:.4g}"))
    out.append("")
    out.append(i18n.t("gates.separable", lang))
    figs, captions = {}, {}
    if opts.get("figures", True):
        figs["linear_separability"] = _figure_gates(metrics.get("mlp_model"), lang)
        captions["linear_separability"] = i18n.t("fig.gates", lang)
    metrics.pop("mlp_model", None)
    return RunResult("gates", "\n".join(out), metrics=metrics, config=dict(opts), figures=figs,
                     captions=captions, errata=errata_for("gates", lang), lang=lang)  # fmt: skip


def _figure_gates(model, lang):
    """AND, NAND, OR with their lines w1x1 + w2x2 + b = 0; XOR: no line works — NAND and OR
    together (two layers) cut out its region; and the MLP's boundary on XOR."""
    from ..viz._common import finish, new_figure

    fig = new_figure((13.0, 3.4))
    grid = np.linspace(-0.5, 1.5, 201)
    xx, yy = np.meshgrid(grid, grid)
    panels = ["AND", "NAND", "OR", "XOR", "MLP"]
    for k, name in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), k + 1)
        target = GATE_TARGETS["XOR" if name == "MLP" else name]
        if name == "MLP" and model is not None:
            p = model.predict(np.c_[xx.ravel(), yy.ravel()]).reshape(xx.shape)
            ax.contourf(xx, yy, p > 0.5, levels=[-0.5, 0.5, 1.5], colors=["#dde7f7", "#fde2c8"],
                        rasterized=True)  # fmt: skip
        for gname in [name] if name in GATE_WEIGHTS else ["NAND", "OR"] if name == "XOR" else []:
            w1, w2, b = GATE_WEIGHTS[gname]
            ax.plot(grid, -(w1 * grid + b) / w2, "--" if name == "XOR" else "-", lw=1.5,
                    label=f"{gname}: {w1:g}x1 + {w2:g}x2 + {b:g} = 0")  # fmt: skip
        for (x1, x2), t in zip(X_GATE, target):
            ax.scatter([x1], [x2], s=90, c="#d62728" if t else "white", edgecolors="k", zorder=3)
        ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), aspect="equal", xlabel="x1")
        if k == 0:
            ax.set_ylabel("x2")
        ax.set_title(i18n.t(f"gates.panel_{name.lower()}", lang), fontsize=10)
        if name in GATE_WEIGHTS or name == "XOR":
            ax.legend(fontsize=6, loc="upper left")
    return finish(fig, lang)


# ==============================================================================================
# gd-1d (seed 002)
# ==============================================================================================
FPRIME = "f'(x)"


def gradient_descent_1d(df, x0: float, lr: float, steps: int) -> np.ndarray:
    """Iterate ``x <- x − lr·f'(x)`` ``steps`` times; returns all iterates, shape (steps+1,)."""
    xs = np.empty(steps + 1)
    xs[0] = x0
    for k in range(steps):
        xs[k + 1] = xs[k] - lr * df(xs[k])
    return xs


def _parse_lrs(s) -> list[float]:
    if isinstance(s, (list, tuple)):
        items = list(s)
    else:
        items = [p for p in str(s).split(",") if p.strip()]
    try:
        vals = [float(v) for v in items]
    except ValueError:
        raise ConfigError(
            f"lrs must be a comma list of numbers like 0.01,0.1,0.5; got {s!r}"
        ) from None
    if not vals or any(not math.isfinite(v) or v <= 0 for v in vals):
        raise ConfigError(f"lrs must be a comma list of positive numbers; got {s!r}")
    return vals


def classify_gd(xs: np.ndarray, x_min: float) -> tuple[str, float]:
    """Describe a 1-D gradient-descent path by its per-step error ratio ``q``.

    ``q = (x_{k+1} − x*) / (x_k − x*)`` (constant on a quadratic, measured here as the
    geometric mean over the path, with the sign of the first step):
    ``|q| < 1`` converges (monotonically if ``q > 0``, oscillating if ``q < 0``),
    ``|q| = 1`` oscillates forever, ``|q| > 1`` diverges.
    """
    e = xs - x_min
    n = len(e) - 1
    if e[0] == 0.0:
        return "starts at the minimum", 0.0
    if n == 0:
        return "no steps", float("nan")
    if abs(e[-1]) <= 1e-12 * abs(e[0]):
        return "converges (reaches the minimum)", 0.0
    q = (abs(e[-1]) / abs(e[0])) ** (1.0 / n)
    sign = 1.0 if e[1] * e[0] > 0 else -1.0
    q *= sign
    if abs(abs(q) - 1.0) < 1e-9:
        return "oscillates forever (no progress)", q
    if abs(q) < 1.0:
        slow = " slowly" if abs(q) > 0.9 else ""
        return (f"converges{slow}" if q > 0 else f"converges{slow}, oscillating"), q
    return ("diverges" if q > 0 else "diverges, oscillating"), q


def verdict_text(verdict: str, lang: str = "en") -> str:
    """A :func:`classify_gd` verdict (English, as in the metrics) in ``lang``."""
    return i18n.t("gd.v_" + re.sub(r"\W+", "_", verdict).strip("_"), lang)


@register(
    "gd-1d",
    summary="Gradient descent on (x-3)^2 + 10 by hand (59 -> 27.64 -> 16.35); learning-rate quiz",
    seed="002",
    options=[
        Option("x0", float, 10.0, "starting point"),
        Option("lr", float, 0.2, "learning rate"),
        Option("steps", int, 10, "number of steps"),
        Option("lrs", str, "0.01,0.1,0.5,0.9,1.0,1.1", "quiz learning rates (comma list)"),
    ],
)
def gd_1d(opts: dict) -> RunResult:
    x0 = float(opts["x0"])
    lr = check_positive("lr", opts["lr"])
    steps = check_int("steps", opts["steps"], 1, 10**6)
    lrs = _parse_lrs(opts["lrs"])
    f = lambda v: format_scalar(v, 6)  # noqa: E731

    def loss(x):
        return (x - 3.0) ** 2 + 10.0

    def dloss(x):
        return 2.0 * x - 6.0

    xs = gradient_descent_1d(dloss, x0, lr, steps)
    fx, gx = loss(xs), dloss(xs)
    lang = opts.get("lang", "en")
    T = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    out = [
        T("gd.head_1d"),
        f"x0 = {f(x0)}, lr = {f(lr)}",
        f"{pad(T('gd.col_step'), 4, '>')}  {'x':>10}  {'f(x)':>10}  {FPRIME:>10}  {'-lr*' + FPRIME:>11}",
    ]
    for k in range(steps + 1):
        move = f(-lr * gx[k]) if k < steps else ""
        out.append(f"{k:>4}  {f(xs[k]):>10}  {f(fx[k]):>10}  {f(gx[k]):>10}  {move:>11}")
    out.append(T("gd.minimum_1d", steps=steps, x=f(xs[-1]), f=f(fx[-1])))
    out.append("")

    out.append(T("gd.quiz_head"))
    out.append(T("gd.quiz_q"))
    quiz = {}
    for r in lrs:
        qs = gradient_descent_1d(dloss, x0, r, steps)  # same f' = 2x - 6
        verdict, q = classify_gd(qs, 3.0)
        quiz[format_scalar(r)] = {
            "x": [float(v) for v in qs],
            "f": [float(v) for v in qs**2 - 6 * qs + 4],
            "q": q,
            "q_theory": 1.0 - 2.0 * r,
            "verdict": verdict,
        }
        last = qs[-1]
        out.append(
            f"lr {format_scalar(r):>5}: q = {format_scalar(1 - 2 * r, 6):>5}, x_{steps} ="
            f" {format_scalar(last, 6):>12}, f = {format_scalar(last**2 - 6 * last + 4, 6):>12}"
            f"  -> {verdict_text(verdict, lang)}"
        )
    metrics = {
        "x": [float(v) for v in xs],
        "f": [float(v) for v in fx],
        "grad": [float(v) for v in gx],
        "quiz": quiz,
    }
    figures, captions = {}, {}
    if opts.get("figures", True):
        figures["gd_1d"] = _figure_gd_1d(xs, lr, quiz, lang)
        captions["gd_1d"] = i18n.t("fig.gd_1d", lang)
    return RunResult(
        "gd-1d",
        "\n".join(out),
        metrics=metrics,
        config=dict(opts),
        figures=figures,
        series={"x": metrics["x"], "f": metrics["f"]},
        captions=captions,
        lang=lang,
    )


def _figure_gd_1d(xs, lr, quiz, lang="en"):
    from ..viz._common import finish, new_figure

    fig = new_figure((10, 4))
    ax1, ax2 = fig.subplots(1, 2)
    lo, hi = min(xs.min(), 3.0) - 1, max(xs.max(), 3.0) + 1
    grid = np.linspace(lo, hi, 200)
    ax1.plot(grid, (grid - 3) ** 2 + 10, color="0.6")
    ax1.plot(xs, (xs - 3) ** 2 + 10, "o-", color="C3", ms=4)
    ax1.set(title=f"f(x) = (x-3)² + 10, lr {format_scalar(lr)}", xlabel="x", ylabel="f(x)")
    grid = np.linspace(-4, 10, 200)
    ax2.plot(grid, grid**2 - 6 * grid + 4, color="0.6")
    for i, (r, d) in enumerate(quiz.items()):
        x = np.array(d["x"])
        x = np.where((x >= -4) & (x <= 10), x, np.nan)  # diverging paths leave the plot
        ax2.plot(
            x,
            x**2 - 6 * x + 4,
            "o-",
            ms=3,
            color=f"C{i}",
            label=f"lr {r}: {verdict_text(d['verdict'], lang)}",
        )
    ax2.set(title=i18n.t("gd.fig_quiz", lang), xlabel="x", ylim=(-8, 60))
    ax2.legend(fontsize=7)
    return finish(fig, lang)


# ==============================================================================================
# gd-2d (seed 002 + DLfS ch.6)
# ==============================================================================================
#: DLfS ``optimizer_compare_naive.py``: (label, mlplab.optim name, lr, extra arguments).
#: RMSprop is not in the book's script; lr 0.1 follows the DLfS-derived notebooks that add
#: it, with DLfS's ``decay_rate`` 0.99 (mlplab's default rho is Keras's 0.9).
RACE = (
    ("SGD", "sgd", 0.95, {}),
    ("Momentum", "momentum", 0.1, {}),
    ("AdaGrad", "adagrad", 1.5, {}),
    ("RMSprop", "rmsprop", 0.1, {"rho": 0.99}),
    ("Adam", "adam", 0.3, {}),
)


def race_f(x, y):
    """DLfS ch.6 test function ``f(x, y) = x²/20 + y²`` (minimum 0 at the origin)."""
    return x**2 / 20.0 + y**2


def race_df(x, y):
    """Gradient ``(x/10, 2y)`` of :func:`race_f`."""
    return x / 10.0, 2.0 * y


def optimizer_path(name: str, lr: float, start=(-7.0, 2.0), steps: int = 30, **kw) -> np.ndarray:
    """Run ``mlplab.optim`` optimizer ``name`` (``lr``, extra ``kw``) on :func:`race_f`.

    Returns the path, shape (steps+1, 2), starting with ``start``.
    """
    from ..optim import get_optimizer

    opt = get_optimizer(name, lr=lr, **kw)
    params = {"x": np.array([float(start[0])]), "y": np.array([float(start[1])])}
    path = np.empty((steps + 1, 2))
    path[0] = start
    for k in range(steps):
        gx, gy = race_df(params["x"], params["y"])
        opt.update(params, {"x": gx, "y": gy})
        path[k + 1] = params["x"][0], params["y"][0]
    return path


@register(
    "gd-2d",
    summary="Gradient field of x^2+y^2 (arrows point to the minimum); DLfS optimizer race on "
    "x^2/20 + y^2",
    seed="002",
    options=[Option("steps", int, 30, "optimizer steps from (-7, 2)")],
)
def gd_2d(opts: dict) -> RunResult:
    steps = check_int("steps", opts["steps"], 1, 10**5)
    f = lambda v: format_scalar(v, 4)  # noqa: E731
    lang = opts.get("lang", "en")
    T = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    out = [T("gd.head_2d")]
    pts = np.array([[-4.0, -4.0], [4.0, 0.0], [0.0, 3.0], [2.0, -2.0], [-3.0, 1.0]])
    grad, neg = pad(T("gd.col_gradient"), 10, ">"), pad(T("gd.col_neg_gradient"), 10, ">")
    out.append(f"{'(x, y)':>10}  {grad}  {neg}  {T('gd.col_points')}")
    checks = []
    for x, y in pts:
        u, v = -2 * x, -2 * y
        cos = (u * -x + v * -y) / (math.hypot(u, v) * math.hypot(x, y))
        checks.append(bool(cos > 1 - 1e-12))
        out.append(
            f"{'(' + f(x) + ', ' + f(y) + ')':>10}  {'(' + f(2 * x) + ', ' + f(2 * y) + ')':>10}"
            f"  {'(' + f(u) + ', ' + f(v) + ')':>10}  {T('gd.yes') if checks[-1] else T('gd.no')}"
        )
    g = np.arange(-5.0, 5.0 + 1e-9, 1.0)
    gx, gy = np.meshgrid(g, g)
    quiver = {
        "X": gx.tolist(),
        "Y": gy.tolist(),
        "U": (-2 * gx).tolist(),
        "V": (-2 * gy).tolist(),
    }
    out.append("")
    out.append(T("gd.race_head", steps=steps))
    opt_col, final = pad(T("gd.col_optimizer"), 9), pad(T("gd.col_final"), 24, ">")
    out.append(f"{opt_col} {'lr':>5}  {final}  {'f':>10}")
    race = {}
    for label, name, lr, kw in RACE:
        path = optimizer_path(name, lr, steps=steps, **kw)
        fx = float(race_f(*path[-1]))
        race[label] = {
            "lr": lr,
            "args": dict(kw),
            "x": path[:, 0].tolist(),
            "y": path[:, 1].tolist(),
            "f": [float(v) for v in race_f(path[:, 0], path[:, 1])],
            "final": [float(path[-1, 0]), float(path[-1, 1])],
            "final_f": fx,
        }
        xy = f"({path[-1, 0]:.4f}, {path[-1, 1]:.4f})"
        out.append(f"{label:<9} {format_scalar(lr):>5}  {xy:>24}  {fx:>10.4g}")
    out.append(T("gd.race_note1"))
    out.append(T("gd.race_note2"))
    metrics = {"arrows_point_to_minimum": all(checks), "quiver": quiver, "race": race}
    out += ["", i18n.t("gd.family_head", lang)]
    for fam, members in OPTIMIZER_FAMILY:
        out.append(f"  {i18n.t('gd.family_' + fam, lang)}: " + " → ".join(members))
    out.append(i18n.t("gd.family_note", lang))
    figures, captions = {}, {}
    if opts.get("figures", True):
        figures["gd_2d"] = _figure_gd_2d(quiver, race, lang)
        figures["optimizer_family"] = _figure_family(lang)
        captions = {"gd_2d": i18n.t("fig.gd_2d", lang),
                    "optimizer_family": i18n.t("fig.optimizer_family", lang)}  # fmt: skip
    return RunResult("gd-2d", "\n".join(out), metrics=metrics, config=dict(opts), figures=figures,
                     captions=captions, lang=lang)  # fmt: skip


#: The slides' optimizer family (003): from GD, one line tunes the step's direction, the other
#: its size, and Adam joins them. (name in the figure, mlplab.optim name or None)
OPTIMIZER_FAMILY = (
    ("base", ("GD", "SGD (mini-batch)")),
    ("direction", ("SGD", "Momentum", "NAG (nesterov)")),
    ("size", ("SGD", "AdaGrad", "RMSprop", "AdaDelta*")),
    ("both", ("Momentum + RMSprop", "Adam", "Nadam*, AMSGrad")),
)
_FAMILY_BOXES = {
    "GD": (0.0, 1.0), "SGD": (1.5, 1.0), "Momentum": (3.2, 2.0), "NAG": (4.9, 2.0),
    "AdaGrad": (3.2, 0.0), "RMSprop": (4.9, 0.0), "AdaDelta*": (6.6, -0.6),
    "Adam": (6.6, 1.0), "Nadam*": (8.3, 1.6), "AMSGrad": (8.3, 0.4),
}  # fmt: skip
_FAMILY_EDGES = (("GD", "SGD"), ("SGD", "Momentum"), ("Momentum", "NAG"), ("SGD", "AdaGrad"),
                 ("AdaGrad", "RMSprop"), ("RMSprop", "AdaDelta*"), ("Momentum", "Adam"),
                 ("RMSprop", "Adam"), ("NAG", "Nadam*"), ("Adam", "Nadam*"),
                 ("Adam", "AMSGrad"))  # fmt: skip


def _figure_family(lang="en"):
    """The family tree of optimizers as the slides draw it (direction / step size / both)."""
    from matplotlib.patches import FancyArrowPatch

    from ..viz._common import finish, new_figure

    fig = new_figure((11.0, 3.8))
    ax = fig.add_subplot(1, 1, 1)
    for a, b in _FAMILY_EDGES:
        (x1, y1), (x2, y2) = _FAMILY_BOXES[a], _FAMILY_BOXES[b]
        ax.add_patch(FancyArrowPatch((x1 + 0.55, y1), (x2 - 0.6, y2), arrowstyle="-|>",
                                     mutation_scale=10, color="#555"))  # fmt: skip
    for name, (x, y) in _FAMILY_BOXES.items():
        color = "#eeeeee" if name.endswith("*") else "#e8f0fe"
        ax.text(x, y, name, ha="center", va="center", fontsize=10,
                bbox={"boxstyle": "round,pad=0.35", "fc": color, "ec": "#333"})  # fmt: skip
    ax.text(4.05, 2.65, i18n.t("gd.family_direction", lang), ha="center", color="C0", fontsize=9)
    ax.text(4.05, -0.75, i18n.t("gd.family_size", lang), ha="center", color="C1", fontsize=9)
    ax.text(8.3, -0.75, i18n.t("gd.family_star", lang), ha="center", color="#777", fontsize=8)
    ax.set(xlim=(-0.7, 9.2), ylim=(-1.1, 2.9))
    ax.axis("off")
    return finish(fig, lang)


def _figure_gd_2d(quiver, race, lang="en"):
    from ..viz._common import finish, new_figure

    fig = new_figure((11, 4.5))
    ax1, ax2 = fig.subplots(1, 2)
    ax1.quiver(quiver["X"], quiver["Y"], quiver["U"], quiver["V"], units="width")
    ax1.plot([0], [0], "r+", ms=12)
    ax1.set(title=i18n.t("gd.fig_field", lang), xlabel="x", ylabel="y", aspect="equal")
    xs, ys = np.meshgrid(np.linspace(-10, 10, 200), np.linspace(-5, 5, 200))
    ax2.contour(xs, ys, race_f(xs, ys), levels=np.geomspace(0.05, 30, 12), colors="0.7")
    for i, (label, d) in enumerate(race.items()):
        ax2.plot(d["x"], d["y"], "o-", ms=2.5, lw=1, color=f"C{i}", label=f"{label} lr {d['lr']}")
    ax2.plot([0], [0], "k+", ms=12)
    ax2.set(title=i18n.t("gd.fig_race", lang), xlabel="x", ylabel="y", xlim=(-10, 10),
            ylim=(-5, 5))  # fmt: skip
    ax2.legend(fontsize=7)
    return finish(fig, lang)


# ==============================================================================================
# losses (seed 002)
# ==============================================================================================
Y_GOOD = np.array([0.0, 0.0, 0.8, 0.1, 0.0, 0.0, 0.0, 0.1, 0.0, 0.0])
Y_BAD = np.array([0.9, 0.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
TARGET = np.array([0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])


def half_sse(y, t):
    """Textbook MSE (seed 002, DLfS ``sum_squared_error``): ``E = ½ Σ (y − t)²``."""
    return 0.5 * np.sum((y - t) ** 2)


def mse_mean(y, t):
    """Mean convention (Keras ``mse``, seed 003): ``E = (1/n) Σ (y − t)²``."""
    return np.mean((y - t) ** 2)


def cross_entropy(y, t, eps=1e-7):
    """DLfS ``cross_entropy_error``: ``E = −Σ t · ln(y + ε)``, ε = 1e-7."""
    return -np.sum(t * np.log(y + eps))


def engine_losses(y, t) -> dict[str, float] | None:
    """The same three numbers from ``mlplab.functions.get_loss`` (batch of one), if available."""
    try:
        from ..functions import get_loss
    except ImportError:
        return None
    yb, tb = y[None, :], t[None, :]
    return {
        "half_sse": float(get_loss("half_sse").value(yb, tb)),
        "mse": float(get_loss("mse").value(yb, tb)),
        "cce": float(get_loss("cce").value(yb, tb)),
    }


@register(
    "losses",
    summary="Textbook loss examples: ½Σ(y−t)² = 0.03 / 0.81, cross-entropy 0.2231 / 2.3026",
    seed="002",
)
def losses(opts: dict) -> RunResult:
    f = lambda v: format_scalar(v, 10)  # noqa: E731
    arr = lambda a: "np.array([ " + ", ".join(f"{v:.1f}" for v in a) + " ])"  # noqa: E731
    out = []
    metrics: dict = {}
    for key, y in (("good", Y_GOOD), ("bad", Y_BAD)):
        out.append(f">>> y = {arr(y)}")
        out.append(f">>> target = {arr(TARGET)}")
        out.append(">>> def MSE(target, y):")
        out.append("    return 0.5 * np.sum((y-target)**2)")
        out.append(">>> MSE(target, y)")
        v = half_sse(y, TARGET)
        out.append(f(v))
        out.append("")
        metrics[key] = {
            "half_sse": float(v),
            "mse": float(mse_mean(y, TARGET)),
            "cce": float(cross_entropy(y, TARGET)),
        }
        eng = engine_losses(y, TARGET)
        if eng is not None:
            metrics[key]["engine"] = eng
    lang = opts.get("lang", "en")
    T = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    out.append(
        pad(T("losses.col_target"), 14)
        + " | 0.5*sum((y-t)^2) | mean((y-t)^2) | -sum(t*log(y+1e-7))"
    )
    for key, label in (("good", "y[2] = 0.8"), ("bad", "y[2] = 0.1")):
        m = metrics[key]
        out.append(
            f"{label:<14} | {f(m['half_sse']):>16} | {f(round(m['mse'], 12)):>13} | {m['cce']:.4f}"
        )
    out.append(T("losses.small"))
    if all("engine" in metrics[k] for k in ("good", "bad")):
        ok = all(
            abs(metrics[k]["engine"][n] - metrics[k][n]) <= 1e-9 * max(1.0, abs(metrics[k][n]))
            for k in ("good", "bad")
            for n in ("half_sse", "mse", "cce")
        )
        metrics["engine_agrees"] = bool(ok)
        out.append(T("losses.engine", ok=T("losses.yes") if ok else T("losses.no")))
    # why square? (002): errors of both signs, and the size of the error
    e = np.array([0.2, -0.2])
    out += ["", T("losses.why_head"),
            T("losses.why_sign", s=f"{e.sum():g}", a=f"{np.abs(e).sum():g}",
              q=f"{0.5 * (e**2).sum():g}")]  # fmt: skip
    for v in (0.1, 0.5, 1.0, 2.0, 3.0):
        out.append(f"  e = {v:<4g} |e| = {v:<4g} ½e² = {0.5 * v * v:<6g} ∂(½e²)/∂e = e = {v:g}")
    out.append(T("losses.why_grad"))
    # learning = W* = argmin E(W): a grid search and gradient descent agree
    am = argmin_demo()
    metrics["argmin"] = {k: v for k, v in am.items() if k not in ("grid", "E", "path")}
    out += ["", T("losses.argmin_head"),
            T("losses.argmin_line", grid=f"{am['w_grid']:.3f}", closed=f"{am['w_closed']:.4f}",
              gd=f"{am['w_gd']:.4f}", E=f"{am['E_min']:.4f}")]  # fmt: skip
    figs, captions = {}, {}
    if opts.get("figures", True):
        figs["argmin"] = _figure_argmin(am, lang)
        captions["argmin"] = T("fig.losses_argmin")
    return RunResult("losses", "\n".join(out), metrics=metrics, config=dict(opts), figures=figs,
                     captions=captions, lang=lang)  # fmt: skip


#: a one-weight model y = w·x on three points (002: learning finds W* = argmin E(W))
ARGMIN_X = np.array([1.0, 2.0, 3.0])
ARGMIN_T = np.array([2.1, 3.9, 6.2])


def argmin_demo(lr: float = 0.05, steps: int = 30) -> dict:
    """E(w) = ½ Σ (w·x_i − t_i)²: its minimum by a grid search, in closed form
    (w* = Σ x t / Σ x²) and by gradient descent from w = 0 (∂E/∂w = Σ (w x − t) x)."""
    x, t = ARGMIN_X, ARGMIN_T
    grid = np.linspace(0.0, 4.0, 401)
    E = 0.5 * ((grid[:, None] * x - t) ** 2).sum(axis=1)
    w = 0.0
    path = [w]
    for _ in range(steps):
        w -= lr * float(((w * x - t) * x).sum())
        path.append(w)
    w_closed = float((x * t).sum() / (x * x).sum())
    return {"grid": grid, "E": E, "path": np.array(path), "w_grid": float(grid[E.argmin()]),
            "w_closed": w_closed, "w_gd": w, "E_min": float(0.5 * ((w_closed * x - t) ** 2).sum())}  # fmt: skip


def _figure_argmin(am, lang):
    from ..viz._common import finish, new_figure

    fig = new_figure((6.4, 4.0))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(am["grid"], am["E"], color="0.4", label="E(w) = ½ Σ (w·x − t)²")
    p = am["path"]
    Ep = 0.5 * ((p[:, None] * ARGMIN_X - ARGMIN_T) ** 2).sum(axis=1)
    ax.plot(p, Ep, "o-", ms=3, color="C1", label=i18n.t("gradient_descent", lang))
    ax.axvline(am["w_closed"], color="C3", ls="--", lw=1,
               label=f"w* = argmin E(w) = {am['w_closed']:.4f}")  # fmt: skip
    ax.set(xlabel="w", ylabel="E(w)", ylim=(0, 40))
    ax.legend(fontsize=8)
    return finish(fig, lang)
