"""The seed notebook (000/001): a 2-3-1 ReLU/sigmoid net on the quadratic toy set.

``mlplab run notebook-231`` runs its four ``execute_ann`` cases and prints the notebook's lines;
``--mode step`` replays the single-sample update cell (``index= [74] …``, ``After Update b11: …``)
and draws it as the notebook does: the network for sample 0 with the whole-set loss (0.67 before,
0.69 after) and the decision boundary before/after with the drawn point;
``--mode graph`` is In[10]–[12]: the network and decision boundary of any initial weights
(``--weights w31=0.8,w32=0.5``: ay 0.63, y 0.65, loss 0.66).
``mlplab run notebook-bn-hist`` compares the hidden activations with and without batch norm
(the notebook's six bullets, with numbers).

The notebook's method is kept exactly: mean binary cross-entropy, plain SGD, one index drawn
with replacement per step by ``np.random.choice`` after ``np.random.seed(317)``, and batch
"normalization" that standardizes each hidden pre-activation by the statistics of whatever
batch is passed in (also at evaluation).  Its gradients were numerical (central differences,
h = 1e-7); mlplab gives the same four numbers with backprop and with its vectorized numerical
gradient.
"""

from __future__ import annotations

import numpy as np

from .. import i18n
from ..data.datasets import quadratic
from ..data.sampling import BatchSampler
from ..errors import ConfigError
from ..i18n.errata import errata_for
from ..layers import Activation, Affine, BatchNorm
from ..model import Sequential
from .registry import Option, RunResult, register

NOTEBOOK_PARAMS = {
    "b11": 0.0, "b12": 0.0, "b13": 0.0, "b21": 0.0,
    "w11": 0.2, "w12": 0.3, "w13": 0.8,
    "w21": 0.7, "w22": 0.8, "w23": 0.3,
    "w31": 0.3, "w32": 0.1, "w33": 0.2,
}  # fmt: skip

# (epoch, learning_rate, batch_size, batch_normalize) of ann_case_1 … ann_case_4
SEED_CASES = [
    (10, 0.01, 1, False),
    (10, 0.3, 1, False),
    (200, 0.1, 20, False),
    (200, 0.1, 20, True),
]
SEED_NUMBERS = [(0.5197, 0.5529), (0.5488, 0.5039), (0.1336, 0.2472), (0.4771, 0.4934)]


def notebook_model(activation="relu", batch_normalize=False, params=None, init=None, seed=None):
    """The notebook's 2-3-1 net: x → Affine(2→3) [→ standardize] → act → Affine(3→1) → sigmoid → BCE.

    ``params`` (notebook names) default to the notebook's initial weights; ``init`` (an
    initializer name) draws them instead.
    """
    if init is not None:
        from ..init import get_initializer

        rng = np.random.default_rng(seed)
        make = get_initializer(init)
        W1, W2 = make((2, 3), rng), make((3, 1), rng)
    else:
        W1, W2 = np.zeros((2, 3)), np.zeros((3, 1))
    layers = [Affine(W1, np.zeros(3))]
    if batch_normalize:
        layers.append(BatchNorm(3, eps=0.0, affine=False, batch_stats="always"))
    layers += [Activation(activation), Affine(W2, np.zeros(1)), Activation("sigmoid")]
    model = Sequential(layers, loss="bce")
    if init is None:
        model.named.update(params or NOTEBOOK_PARAMS)
    return model


def execute_ann(
    activation="relu",
    batch_size=1,
    batch_normalize=False,
    epoch=1,
    learning_rate=0.01,
    gradient="backprop",
    seed=317,
    init=None,
    data=None,
):
    """The notebook's ``execute_ann``: returns the summary dict (losses per step, params, results)."""
    X, y, X_test, y_test = data if data is not None else quadratic()
    n = len(y)
    batch_size = min(int(batch_size), n)
    model = notebook_model(activation, batch_normalize, init=init, seed=seed)
    max_iter = int(n / batch_size) * int(epoch)
    sampler = BatchSampler(n, batch_size, mode="replace", seed=seed, legacy=True)
    params = model.params
    # θ after every update; the notebook's whole-set losses after each update are evaluated
    # from these afterwards, all steps in one batched pass (model.losses_at: the same numbers
    # as model.loss(X, y) after each update, as the notebook's BN uses the batch's statistics)
    history = {key: np.empty((max_iter,) + p.shape) for key, p in params.items()}
    for i, idx in enumerate(sampler.draws(max_iter)):  # = one sampler.draw() per update
        if gradient == "numerical":
            grads = model.numerical_gradient(X[idx], y[idx], h=1e-7)
        else:
            grads = model.gradient(X[idx], y[idx])
        for key in params:
            params[key] -= learning_rate * grads[key]
            history[key][i] = params[key]
    loss_train = model.losses_at(history, X, y)
    loss_test = model.losses_at(history, X_test, y_test)
    desc = (
        f"iter: {max_iter} / act: {activation} / lr: {learning_rate} / btch_size: {batch_size}"
        f" / epoch: {epoch} / batch_norm: {batch_normalize} / custom_param: {init is not None}"
    )
    outs = model.layer_outputs(X)
    hidden = outs[2] if batch_normalize else outs[1]  # z = act(a) for every training point
    return {
        "desc": desc,
        "loss_train": loss_train,
        "loss_test": loss_test,
        "params": dict(model.named),
        "model": model,
        "z_train": hidden,
        "batch_normalize": batch_normalize,
    }


def _summary_text(summary):
    lt, ls = summary["loss_train"][-1], summary["loss_test"][-1]
    return (
        f"{summary['desc']}\n"
        f"loss train: {round(float(lt), 4)} / loss test: {round(float(ls), 4)}\n" + "-" * 100
    )


def parse_weights(text) -> dict[str, float]:
    """``"w31=0.8,w32=0.5"`` -> the notebook's initial weights with those two changed."""
    params = dict(NOTEBOOK_PARAMS)
    if not text:
        return params
    for item in str(text).replace(";", ",").split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in params:
            raise ConfigError(
                f"--weights: write NAME=VALUE pairs like w31=0.8,w32=0.5 with NAME one of "
                f"{', '.join(params)}; got {item.strip()!r}"
            )
        try:
            v = float(value)
        except ValueError:
            raise ConfigError(f"--weights: {key} must be a number, got {value.strip()!r}") from None
        if not np.isfinite(v) or abs(v) > 1e6:
            raise ConfigError(f"--weights: {key} must be finite and within ±1e6, got {v}")
        params[key] = v
    return params


def _with_training_stats(model, X):
    """For drawing: a BN model that standardizes every point by the *training set's* statistics.

    The notebook's batch_normalize uses the statistics of whatever batch it sees; a grid of points
    is not a batch of data, so the boundary is drawn with the statistics of the full training set
    (the notebook itself drew case 4 without normalization, which shows a different model).
    """
    bns = [lay for lay in model.layers if isinstance(lay, BatchNorm)]
    if not bns:
        return model
    from ..model import Sequential as _Seq

    copy = _Seq.from_config(model.config())
    copy.set_weights(model.get_weights())
    h = X
    for lay, lay_copy in zip(model.layers, copy.layers):
        if isinstance(lay, BatchNorm):
            lay_copy.running_mean[:] = h.mean(axis=0)
            lay_copy.running_var[:] = h.var(axis=0)
            lay_copy.batch_stats = "train"
        h = lay.forward(h, False)
    return copy


def _figures_cases(summaries, data, titles, lang):
    """One sheet: for each case its loss curves (top) and decision boundary (bottom), side by side."""
    from matplotlib.figure import Figure

    from ..viz import plot_curves, plot_decision_boundary
    from ..viz._common import finish

    X, y, X_test, y_test = data
    k = len(summaries)
    fig = Figure(figsize=(4.2 * k, 7.6))
    # one y scale per row: inner panels need no tick labels (fewer texts to lay out and draw)
    axes = fig.subplots(2, k, squeeze=False, sharey="row")
    case = i18n.t("nb.case", lang)
    for i, (s, title) in enumerate(zip(summaries, titles)):
        short = title.replace(" / ", "\n", 2).split("\n")
        head = f"{case} {i + 1}: " + " / ".join(short[1:3]) if len(short) > 2 else title
        plot_curves({i18n.t("train", lang): s["loss_train"], i18n.t("test", lang): s["loss_test"]},
                    title=head, xlabel="iteration", ylabel="loss", ax=axes[0, i],
                    lang=lang)  # fmt: skip
        model = _with_training_stats(s["model"], X)
        plot_decision_boundary(lambda g, m=model: m.predict(g)[:, 0], X, y, X_test, y_test,
                               title=f"{case} {i + 1}", ax=axes[1, i], grid=150,
                               lang=lang)  # fmt: skip
    from matplotlib.ticker import MaxNLocator

    for ax in axes.flat:
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_locator(MaxNLocator(5))
    for ax in axes[:, 1:].flat:
        ax.tick_params(labelleft=False)
        ax.set_ylabel("")
    return finish(fig, lang)


def _hist_figures(summaries, labels, lang):
    from ..viz import plot_unit_histograms

    figs = {}
    for s, label in zip(summaries, labels):
        z = s["z_train"]
        figs[f"hist_{label}"] = plot_unit_histograms(
            {f"z{j + 1}": z[:, j] for j in range(z.shape[1])},
            bins=20,
            title=i18n.t(f"nb.hist_{label}", lang),
            lang=lang,
        )
    return figs


def _b_line(named):
    vals = [round(named[k], 3) for k in ("b11", "b12", "b13", "b21")]
    vals = [int(v) if v == 0 else v for v in vals]
    return f"b11: {vals[0]} / b12: {vals[1]} / b13: {vals[2]} / b21: {vals[3]}"


def _graph_mode(opts):
    """In[10]–[12]: forward pass of (other) initial weights, its graph and decision boundary."""
    lang = opts["lang"]
    X, y, X_test, y_test = quadratic()
    params = parse_weights(opts["weights"] or "w31=0.8,w32=0.5")
    model = notebook_model(opts["activation"] or "relu", bool(opts["bn"]), params=params)
    outs = model.layer_outputs(X[:1])
    loss = float(model.loss(X, y))
    lines = [_b_line(model.named)]  # the seed's graph() prints this line
    values = {"a": outs[0][0], "z": outs[-3][0], "ay": outs[-2][0, 0], "y": outs[-1][0, 0]}
    lines.append(i18n.t("nb.graph_values", lang, x1=f"{X[0, 0]:.2f}", x2=f"{X[0, 1]:.2f}",
                        a=", ".join(f"{v:.2f}" for v in values["a"]),
                        z=", ".join(f"{v:.2f}" for v in values["z"]),
                        ay=f"{values['ay']:.2f}", y=f"{values['y']:.2f}",
                        loss=f"{loss:.2f}"))  # fmt: skip
    lines.append(i18n.t("nb.graph_weights", lang,
                        w=", ".join(f"{k}={v:g}" for k, v in params.items()
                                    if v != NOTEBOOK_PARAMS[k]) or "-"))  # fmt: skip
    metrics = {
        "params": params,
        "sample0": {k: np.asarray(v).tolist() for k, v in values.items()},
        "loss": loss,
        "accuracy": float(model.accuracy(X, y)),
    }
    figs, captions = {}, {}
    if opts["figures"]:
        from ..viz import plot_decision_boundary, plot_network

        figs["network"] = plot_network(model, X, y, sample=0, lang=lang,
                                       title=i18n.t("nb.graph_title", lang))  # fmt: skip
        figs["boundary"] = plot_decision_boundary(lambda g: model.predict(g)[:, 0], X, y,
                                                  lang=lang)  # fmt: skip
        captions = {
            "network": i18n.t("fig.nb_graph", lang),
            "boundary": i18n.t("fig.nb_graph_boundary", lang),
        }
    return RunResult("notebook-231", "\n".join(lines), metrics, figures=figs, captions=captions)


def _step_mode(opts):
    """The notebook's single-update cell: draw one index, update once with lr = 0.2, show b's."""
    lang = opts["lang"]
    X, y, X_test, y_test = quadratic()
    params = parse_weights(opts["weights"])
    model = notebook_model(opts["activation"] or "relu", bool(opts["bn"]), params=params)
    lr = 0.2 if opts["lr"] is None else float(opts["lr"])
    batch_size = 1 if opts["batch_size"] is None else int(opts["batch_size"])
    sampler = BatchSampler(len(y), batch_size, mode="replace", seed=opts["seed"], legacy=True)
    named = model.named
    lines, steps = [], []
    figs, captions = {}, {}
    for step in range(int(opts["steps"])):
        idx = sampler.draw()
        lines.append(f"index= {np.array2string(idx)} X = {np.array2string(X[idx])} y = {y[idx]}")
        lines.append("-" * 100)
        lines.append("Before Update")
        lines.append(_b_line(named))
        before = model.get_weights()
        loss_before = float(model.loss(X, y))
        if opts["gradient"] == "numerical":
            grads = model.numerical_gradient(X[idx], y[idx], h=1e-7)
        else:
            grads = model.gradient(X[idx], y[idx])
        for key in model.params:
            model.params[key] -= lr * grads[key]
        lines.append("After Update")
        lines.append(_b_line(named))
        loss_after = float(model.loss(X, y))
        steps.append(
            {
                "index": idx.tolist(),
                "before": {k: v.tolist() for k, v in before.items()},
                "after": dict(named),
                "loss_train_before": loss_before,
                "loss_train": loss_after,
                "loss_test": model.loss(X_test, y_test),
            }
        )
        if step == 0:
            lines.append(i18n.t("nb.step_loss", lang, before=f"{loss_before:.2f}",
                                after=f"{loss_after:.2f}", idx=int(idx[0])))  # fmt: skip
            if opts["figures"]:
                from ..viz import plot_boundary_pair, plot_network

                m_before = notebook_model(opts["activation"] or "relu", bool(opts["bn"]))
                m_before.set_weights(before)
                figs["step_boundary"] = plot_boundary_pair(
                    lambda g, mb=m_before: mb.predict(g)[:, 0],
                    lambda g: model.predict(g)[:, 0],
                    X,
                    y,
                    highlight=idx,
                    lang=lang,
                )
                # as the notebook's display(graph(params, result)): sample 0 (index=0) of the
                # forward pass over all 100 points, and their mean loss
                figs["network_before"] = plot_network(m_before, X, y, sample=0, lang=lang,
                                                      title="Before Update")  # fmt: skip
                figs["network_after"] = plot_network(model, X, y, sample=0, lang=lang,
                                                     title="After Update")  # fmt: skip
                captions = {
                    "step_boundary": i18n.t("fig.nb_step_boundary", lang, idx=int(idx[0])),
                    "network_before": i18n.t("fig.nb_step_before", lang, loss=f"{loss_before:.2f}"),
                    "network_after": i18n.t("fig.nb_step_after", lang, loss=f"{loss_after:.2f}"),
                }
    metrics = {"steps": steps, "after": dict(named), "lr": lr}
    return RunResult("notebook-231", "\n".join(lines), metrics, figures=figs, captions=captions)


@register(
    "notebook-231",
    summary="seed 000/001: 2-3-1 ReLU/sigmoid net on the quadratic set — the four execute_ann cases",
    seed="000/001",
    options=[
        Option(
            "mode",
            str,
            "cases",
            "cases: the four execute_ann runs; step: one update; graph: In[10]-[12], the network "
            "and boundary of --weights",
            ("cases", "step", "graph"),
        ),
        Option("lr", float, None, "learning rate (set any knob to run one custom case)"),
        Option("batch_size", int, None, "batch size"),
        Option("epochs", int, None, "epochs (iterations = int(100 / batch_size) * epochs)"),
        Option(
            "bn",
            int,
            None,
            "1 = standardize hidden pre-activations per batch (the notebook's BN)",
            (None, 0, 1),
        ),
        Option("activation", str, None, "hidden activation (relu, tanh, ...)"),
        Option(
            "init",
            str,
            None,
            "draw initial weights with this initializer instead of the notebook's",
        ),
        Option(
            "gradient",
            str,
            "backprop",
            "backprop or numerical (the notebook's method)",
            ("backprop", "numerical"),
        ),
        Option("steps", int, 1, "updates to show in step mode"),
        Option(
            "weights",
            str,
            None,
            "initial weights to change, e.g. w31=0.8,w32=0.5 (In[10]; graph and step modes)",
        ),
    ],
)
def notebook_231(opts):
    lang = opts["lang"]
    if opts["seed"] is None:
        opts["seed"] = 317
    if opts["mode"] in ("step", "graph"):
        res = (_step_mode if opts["mode"] == "step" else _graph_mode)(opts)
        res.config = dict(opts)
        res.lang = lang
        return res
    if opts["weights"]:
        raise ConfigError("--weights applies to --mode graph and --mode step")
    data = quadratic()
    custom = any(
        opts[k] is not None for k in ("lr", "batch_size", "epochs", "bn", "activation", "init")
    )
    if custom:
        cases = [
            (
                opts["epochs"] if opts["epochs"] is not None else 10,
                opts["lr"] if opts["lr"] is not None else 0.01,
                opts["batch_size"] if opts["batch_size"] is not None else 1,
                bool(opts["bn"]),
            )
        ]
    else:
        cases = SEED_CASES
    if opts["quick"] and custom:
        cases = [(min(c[0], 2), c[1], c[2], c[3]) for c in cases]
    summaries, texts, metrics, series = [], [], {"cases": []}, {}
    for i, (epoch, lr, bs, bn) in enumerate(cases, start=1):
        s = execute_ann(
            activation=opts["activation"] or "relu",
            batch_size=bs,
            batch_normalize=bn,
            epoch=epoch,
            learning_rate=lr,
            gradient=opts["gradient"],
            seed=opts["seed"],
            init=opts["init"],
            data=data,
        )
        summaries.append(s)
        texts.append(_summary_text(s))
        metrics["cases"].append(
            {
                "case": i,
                "desc": s["desc"],
                "iterations": len(s["loss_train"]),
                "loss_train": float(s["loss_train"][-1]),
                "loss_test": float(s["loss_test"][-1]),
                "params": s["params"],
            }
        )
        series[f"case{i}_loss_train"] = s["loss_train"].tolist()
        series[f"case{i}_loss_test"] = s["loss_test"].tolist()
    figs, captions = {}, {}
    if opts["figures"]:  # --no-save draws nothing (and never imports matplotlib)
        titles = [s["desc"].split(" / custom")[0] for s in summaries]
        figs["cases"] = _figures_cases(summaries, data, titles, lang)
        captions["cases"] = i18n.t("fig.nb_cases", lang)
        if len(summaries) == 4:
            figs.update(_hist_figures(summaries[2:], ["case3_no_bn", "case4_bn"], lang))
            captions["hist_case3_no_bn"] = i18n.t("fig.nb_hist_no_bn", lang)
            captions["hist_case4_bn"] = i18n.t("fig.nb_hist_bn", lang)
    notes = []
    if not custom:
        notes.append(i18n.t("nb.exact", lang))
    return RunResult("notebook-231", "\n".join(texts), metrics, dict(opts), figs, notes, series,
                     captions=captions, errata=errata_for("notebook-231", lang),
                     lang=lang)  # fmt: skip


def dropout_scale_demo(data, seed=0):
    """The notebook's bullet 6: in a bigger net with dropout, BN evens out the units' scales.

    Trains 2-16-16-1 (ReLU, dropout 0.3, BCE, SGD lr 0.1, batch 20, 200 epochs) with and without
    batch norm and returns, for the second hidden layer's outputs, the spread of the units'
    standard deviations (largest / smallest).
    """
    from ..model import MLP
    from ..train import Trainer

    X, y, X_test, y_test = data
    out = {}
    for bn in (False, True):
        m = MLP([2, 16, 16, 1], activation="relu", loss="bce", dropout=0.3, batchnorm=bn,
                seed=seed)  # fmt: skip
        Trainer(m, "sgd", lr=0.1, batch_size=20, epochs=200, seed=seed).fit(X, y)
        outs = m.layer_outputs(X)
        aff = [i for i, lay in enumerate(m.layers) if isinstance(lay, Affine)]
        z = outs[aff[2] - 1]  # the second hidden layer's output (after ReLU/dropout)
        sd = z.std(axis=0)
        out["bn" if bn else "no_bn"] = {
            "std": [float(v) for v in sd],
            "spread": float(sd.max() / max(sd.min(), 1e-12)),
            "test_acc": float(m.accuracy(X_test, y_test)),
        }
    return out


@register(
    "notebook-bn-hist",
    summary="seed 001: hidden activations z1..z3 with and without the notebook's batch norm",
    seed="001",
    options=[
        Option("gradient", str, "backprop", "backprop or numerical", ("backprop", "numerical"))
    ],
)
def notebook_bn_hist(opts):
    lang = opts["lang"]
    seed = 317 if opts["seed"] is None else opts["seed"]
    data = quadratic()
    runs = [
        execute_ann(epoch=200, learning_rate=0.1, batch_size=20, batch_normalize=bn,
                    gradient=opts["gradient"], seed=seed, data=data)
        for bn in (False, True)
    ]  # fmt: skip
    lines, metrics = [], {}
    for label, s in zip(("nb.without_bn", "nb.with_bn"), runs):
        z = s["z_train"]
        key = "bn" if s["batch_normalize"] else "no_bn"
        metrics[key] = {
            "loss_train": float(s["loss_train"][-1]),
            "loss_test": float(s["loss_test"][-1]),
            "active_fraction": [float(v) for v in (z > 0).mean(axis=0)],
            "mean": [float(v) for v in z.mean(axis=0)],
            "std": [float(v) for v in z.std(axis=0)],
        }
        m = metrics[key]
        lines.append(
            i18n.t(label, lang, train=f"{m['loss_train']:.4f}", test=f"{m['loss_test']:.4f}")
        )
        for j in range(z.shape[1]):
            lines.append(i18n.t("nb.unit_line", lang, j=j + 1, active=f"{m['active_fraction'][j]:.2f}",
                                mean=f"{m['mean'][j]:.3f}", std=f"{m['std'][j]:.3f}"))  # fmt: skip
    nb, bn = metrics["no_bn"], metrics["bn"]
    demo = dropout_scale_demo(data)
    metrics["dropout_scale"] = demo
    lines.append("")
    lines.append(i18n.t("nb.bn_bullets", lang,
                        bn_loss=f"{bn['loss_train']:.4f}", no_bn_loss=f"{nb['loss_train']:.4f}",
                        a1=f"{nb['active_fraction'][0]:.2f}", a2=f"{nb['active_fraction'][1]:.2f}",
                        a3=f"{nb['active_fraction'][2]:.2f}",
                        b=", ".join(f"{v:.2f}" for v in bn["active_fraction"]),
                        spread0=f"{demo['no_bn']['spread']:.1f}",
                        spread1=f"{demo['bn']['spread']:.1f}"))  # fmt: skip
    figs, captions = {}, {}
    if opts["figures"]:
        figs = _hist_figures(runs, ["no_bn", "bn"], lang)
        captions = {"hist_no_bn": i18n.t("fig.nb_hist_no_bn", lang),
                    "hist_bn": i18n.t("fig.nb_hist_bn", lang)}  # fmt: skip
    return RunResult("notebook-bn-hist", "\n".join(lines), metrics, dict(opts), figs,
                     captions=captions, lang=lang)  # fmt: skip
