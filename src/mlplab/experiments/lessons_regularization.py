"""Slides 003, parts 4-5: what cures overfitting, L1 vs L2, and what batch normalization does.

``mlplab run overfit-cures``  a big net on 60 noisy two-moons points overfits; more data, data
                              augmentation (noisy copies), a smaller model (capacity = number of
                              parameters) and L2 weight decay each shrink the train-test gap;
                              then L1 vs L2 on data with 8 useless features: L1 drives most
                              weights to zero (sparse), L2 makes them all small.
``mlplab run bn-lesson``      internal covariate shift measured, BN's advantages (gradients in a
                              deep sigmoid net, larger batches learn faster) and its dependence on
                              the batch size (a sweep from 2 to 128).
"""

from __future__ import annotations

import numpy as np

from .. import i18n
from ..data.datasets import moons, spiral
from ..data.utils import train_test_split
from ..model import MLP
from ..train import Trainer
from .registry import Option, RunResult, register


def _fit(X, y, sizes, updates=300, lr=0.01, seed=0, **kw):
    m = MLP(list(sizes), activation="relu", loss="cce", seed=seed, **kw)
    epochs = max(1, round(updates * 60 / len(X)))
    Trainer(m, "adam", lr=lr, batch_size=60, epochs=epochs, seed=seed, eval_on="end").fit(X, y)
    return m


def overfit_cures(seed=0, quick=False):
    """Train/test accuracy of the overfitting baseline and of each cure (see module docstring)."""
    Xs, ys = moons(60, noise=0.3, seed=seed)
    Xt, yt = moons(1000, noise=0.3, seed=seed + 1)
    Xm, ym = moons(600, noise=0.3, seed=seed + 2)
    rng = np.random.default_rng(seed)
    Xa = np.concatenate([Xs] + [Xs + rng.normal(0, 0.15, Xs.shape) for _ in range(9)])
    ya = np.tile(ys, 10)
    updates = 60 if quick else 300
    big = (2, 50, 50, 2)
    cases = {
        "baseline": (Xs, ys, big, {}),
        "more_data": (Xm, ym, big, {}),
        "augmentation": (Xa, ya, big, {}),
        "smaller_model": (Xs, ys, (2, 4, 2), {}),
        "l2": (Xs, ys, big, {"weight_decay": 0.01}),
        "dropout": (Xs, ys, big, {"dropout": 0.5}),
    }
    out = {}
    for name, (X, y, sizes, kw) in cases.items():
        m = _fit(X, y, sizes, updates, seed=seed, **kw)
        tr, te = float(m.accuracy(Xs, ys)), float(m.accuracy(Xt, yt))
        out[name] = {"train_acc": tr, "test_acc": te, "gap": tr - te,
                     "parameters": int(sum(v.size for v in m.params.values())),
                     "train_points": len(X), "model": m}  # fmt: skip
    return out, (Xs, ys, Xt, yt)


def l1_vs_l2(seed=0, quick=False, l1=0.003, l2=0.03):
    """Moons + 8 features of pure noise, 10-16-2 net, full-batch SGD: first-layer weights."""
    Xs, ys = moons(60, noise=0.3, seed=seed)
    rng = np.random.default_rng(seed + 7)
    Xn = np.c_[Xs, rng.normal(size=(60, 8))]
    out = {}
    for name, kw in (("none", {}), ("L1", {"l1": l1}), ("L2", {"weight_decay": l2})):
        m = MLP([10, 16, 2], activation="relu", loss="cce", seed=seed, **kw)
        Trainer(m, "sgd", lr=0.1, batch_size=60, epochs=300 if quick else 2000, seed=seed,
                eval_on="end").fit(Xn, ys)  # fmt: skip
        W = np.array(m.params["W1"])
        out[name] = {"W1": W, "zero_fraction": float((np.abs(W) < 1e-3).mean()),
                     "mean_abs": float(np.abs(W).mean()),
                     "feature_norms": [float(v) for v in np.linalg.norm(W, axis=1)]}  # fmt: skip
    return out


@register(
    "overfit-cures",
    summary="seed 003: overfitting and its cures — more data, augmentation, a smaller model, "
    "L2, dropout; L1 vs L2 (sparsity)",
    seed="003",
)
def overfit_cures_run(opts):
    lang = opts["lang"]
    T = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    seed = 0 if opts["seed"] is None else opts["seed"]
    cures, data = overfit_cures(seed, opts["quick"])
    lines = [T("reg.head"), f"{T('reg.col_case'):<28} {T('reg.col_points'):>6} "
             f"{T('reg.col_params'):>8} {T('exp.col_train_acc'):>10} {T('exp.col_test_acc'):>10} "
             f"{T('reg.col_gap'):>6}"]  # fmt: skip
    for name, r in cures.items():
        lines.append(f"{T('reg.' + name):<28} {r['train_points']:>6} {r['parameters']:>8} "
                     f"{r['train_acc']:>10.3f} {r['test_acc']:>10.3f} {r['gap']:>6.3f}")  # fmt: skip
    lines.append(T("reg.capacity", big=cures["baseline"]["parameters"],
                   small=cures["smaller_model"]["parameters"]))  # fmt: skip
    l1l2 = l1_vs_l2(seed, opts["quick"])
    lines += ["", T("reg.l1_head"),
              f"{'':<6} {T('reg.col_zero'):>12} {T('reg.col_mean_abs'):>10}"]  # fmt: skip
    for name, r in l1l2.items():
        lines.append(f"{name:<6} {r['zero_fraction']:>12.2f} {r['mean_abs']:>10.3f}")
    lines.append(T("reg.l1_text", l1z=f"{l1l2['L1']['zero_fraction']:.0%}",
                   l2z=f"{l1l2['L2']['zero_fraction']:.0%}"))  # fmt: skip
    metrics = {"cures": {k: {a: b for a, b in v.items() if a != "model"} for k, v in cures.items()},
               "l1_vs_l2": {k: {a: b for a, b in v.items() if a != "W1"} for k, v in l1l2.items()}}  # fmt: skip
    figs, captions = {}, {}
    if opts["figures"]:
        figs["cures"] = _figure_cures(cures, data, lang)
        figs["l1_vs_l2"] = _figure_l1l2(l1l2, lang)
        captions = {"cures": T("fig.cures"), "l1_vs_l2": T("fig.l1_vs_l2")}
    return RunResult("overfit-cures", "\n".join(lines), metrics, dict(opts), figs,
                     captions=captions, lang=lang)  # fmt: skip


def _figure_cures(cures, data, lang):
    from ..viz import plot_decision_boundary
    from ..viz._common import finish, new_figure

    Xs, ys, Xt, yt = data
    fig = new_figure((4.0 * len(cures) / 2, 7.2))
    for i, (name, r) in enumerate(cures.items()):
        ax = fig.add_subplot(2, len(cures) // 2, i + 1)
        plot_decision_boundary(lambda g, m=r["model"]: m.predict(g), Xs, ys, grid=80, ax=ax,
                               title=f"{i18n.t('reg.' + name, lang)}: {r['test_acc']:.2f}",
                               lang=lang)  # fmt: skip
    return finish(fig, lang)


def _figure_l1l2(l1l2, lang):
    from ..viz._common import finish, new_figure

    fig = new_figure((11.0, 3.4))
    for i, (name, r) in enumerate(l1l2.items()):
        ax = fig.add_subplot(1, 3, i + 1)
        ax.hist(r["W1"].ravel(), bins=41, range=(-2, 2), color=f"C{i}")
        ax.set_title(f"{name}: {i18n.t('reg.col_zero', lang)} {r['zero_fraction']:.2f}")
        ax.set_xlabel(i18n.t("weight", lang))
        if i == 0:
            ax.set_ylabel(i18n.t("frequency", lang))
    return finish(fig, lang)


# ------------------------------------------------------------------------------ batch norm
def covariate_shift(seed=0, steps=200):
    """Mean and std of the second layer's pre-activations (what its ReLU receives; with BN, after
    the normalization) over the whole set, during training: without BN they drift as the layer
    below learns (internal covariate shift); with BN they stay near mean 0, std 1."""
    X, y = spiral(100, 3, noise=0.2, seed=seed)
    out = {}
    for bn in (False, True):
        m = MLP([2, 64, 64, 64, 3], activation="relu", loss="cce", batchnorm=bn, seed=seed,
                init="he")  # fmt: skip
        rng = np.random.default_rng(seed)
        means, stds = [], []
        aff = [i for i, lay in enumerate(m.layers) if type(lay).__name__ == "Affine"]
        probe = aff[1] + 1 if bn else aff[1]  # BN's output, or the Affine's
        for _ in range(steps):
            h = m.layer_outputs(X, train=True)[probe]
            means.append(float(h.mean()))
            stds.append(float(h.std()))
            idx = rng.choice(len(X), 32, replace=False)  # one SGD step (lr 0.1) on a batch
            g = m.gradient(X[idx], y[idx])
            for k in m.params:
                m.params[k] -= 0.1 * g[k]
        out["bn" if bn else "plain"] = {"mean": means, "std": stds}
    return out


def bn_batch_sweep(seed=0, sizes=(2, 4, 8, 32, 128), epochs=40):
    X, y = spiral(100, 3, noise=0.2, seed=seed)
    Xtr, Xte, ytr, yte = train_test_split(X, y, 0.3, seed)
    out = {}
    for bs in sizes:
        row = {}
        for bn in (False, True):
            m = MLP([2, 64, 64, 3], activation="relu", loss="cce", batchnorm=bn, seed=seed,
                    init="he")  # fmt: skip
            Trainer(m, "sgd", lr=0.05, batch_size=bs, epochs=epochs, seed=seed,
                    eval_on="end").fit(Xtr, ytr)  # fmt: skip
            row["bn" if bn else "plain"] = float(m.accuracy(Xte, yte))
        out[bs] = row
    return out


def deep_sigmoid_gradients(seed=0):
    """‖∂L/∂W1‖ and ‖∂L/∂W7‖ of a 7-layer sigmoid net at its start, without and with BN."""
    X, y = spiral(100, 3, noise=0.2, seed=seed)
    out = {}
    for bn in (False, True):
        m = MLP([2] + [64] * 6 + [3], activation="sigmoid", loss="cce", batchnorm=bn, seed=seed,
                init="xavier")  # fmt: skip
        g = m.gradient(X, y)
        out["bn" if bn else "plain"] = (float(np.linalg.norm(g["W1"])),
                                        float(np.linalg.norm(g["W7"])))  # fmt: skip
    return out


@register(
    "bn-lesson",
    summary="seed 003: batch normalization — internal covariate shift measured, its advantages, "
    "and a batch-size sweep",
    seed="003",
    options=[Option("epochs", int, 40, "epochs per run of the batch-size sweep")],
)
def bn_lesson(opts):
    lang = opts["lang"]
    T = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    seed = 0 if opts["seed"] is None else opts["seed"]
    quick = opts["quick"]
    ics = covariate_shift(seed, 40 if quick else 200)
    lines = [T("bnl.ics_head")]
    for name in ("plain", "bn"):
        r = ics[name]
        lines.append(T(f"bnl.ics_{name}", m0=f"{r['mean'][0]:.2f}", m1=f"{r['mean'][-1]:.2f}",
                       s0=f"{r['std'][0]:.2f}", s1=f"{r['std'][-1]:.2f}"))  # fmt: skip
    grads = deep_sigmoid_gradients(seed)
    lines += ["", T("bnl.adv_head"),
              T("bnl.adv_grad", p1=f"{grads['plain'][0]:.1e}", p7=f"{grads['plain'][1]:.2f}",
                b1=f"{grads['bn'][0]:.1e}", b7=f"{grads['bn'][1]:.2f}")]  # fmt: skip
    sweep = bn_batch_sweep(seed, (2, 8, 32) if quick else (2, 4, 8, 32, 128),
                           5 if quick else int(opts["epochs"]))  # fmt: skip
    lines += ["", T("bnl.sweep_head"),
              " ".join(i18n.pad(T(k), w, ">") for k, w in
                       (("batch_size", 12), ("bnl.plain", 13), ("bnl.bn", 13)))]  # fmt: skip
    for bs, row in sweep.items():
        lines.append(f"{bs:>12} {row['plain']:>13.3f} {row['bn']:>13.3f}")
    lines.append(T("bnl.sweep_text"))
    lines += ["", T("bnl.adv_list")]
    metrics = {"covariate_shift": {k: {"mean": v["mean"], "std": v["std"]} for k, v in ics.items()},
               "deep_sigmoid_grad_norms": grads, "batch_size_sweep": {str(k): v for k, v in sweep.items()}}  # fmt: skip
    figs, captions = {}, {}
    if opts["figures"]:
        from ..viz import plot_curves
        from ..viz._common import finish, new_figure

        fig = new_figure((11.0, 3.8))
        ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
        curves = {f"{T(f'bnl.{net}')}: {T(f'bnl.{stat}')}": ics[net][stat]
                  for net in ("plain", "bn") for stat in ("mean", "std")}  # fmt: skip
        plot_curves(curves, xlabel=T("update"), ylabel=T("value"), ax=ax1, lang=lang,
                    title=T("bnl.ics_title"))  # fmt: skip
        ax1.legend(loc="center right")  # clear of the lines at 0 and 1
        bss = list(sweep)
        ax2.plot(bss, [sweep[b]["plain"] for b in bss], "o--", label=T("bnl.plain"))
        ax2.plot(bss, [sweep[b]["bn"] for b in bss], "o-", label=T("bnl.bn"))
        ax2.set(xscale="log", xlabel=T("batch_size"), ylabel=i18n.t("accuracy", lang),
                title=T("bnl.sweep_title"))  # fmt: skip
        ax2.set_xticks(bss, [str(b) for b in bss])
        ax2.minorticks_off()  # only the batch sizes, no 3×10⁰ … labels among them
        ax2.legend()
        figs["batchnorm"] = finish(fig, lang)
        captions["batchnorm"] = T("fig.bn_lesson")
    return RunResult("bn-lesson", "\n".join(lines), metrics, dict(opts), figs,
                     captions=captions, lang=lang)  # fmt: skip
