"""The classic DLfS experiments (chapters 5 and 6) as built-in runs, plus the best MLP recipe.

Each run is an experiment file in ``mlplab/experiments/files/`` (copy and edit it, then
``mlplab run my.toml``) executed by :func:`mlplab.experiments.runner.run_spec`; this module
adds what a file cannot say (the 4x4 batch-norm grid, the train-test gap, reference numbers
from the book) and the notes on where mlplab differs from DLfS.

=====================  =========================================================================
run                    DLfS script
=====================  =========================================================================
``mnist-two-layer``    ch05 ``gradient_check.py`` + ``train_neuralnet.py`` (784-50-10)
``init-histograms``    ch06 ``weight_init_activation_histogram.py``
``init-compare``       ch06 ``weight_init_compare.py``
``optimizer-compare``  ch06 ``optimizer_compare_mnist.py`` (+ Nesterov, RMSprop)
``batchnorm-scales``   ch06 ``batch_norm_test.py`` (16 weight scales, 4x4 grid)
``overfit``            ch06 ``overfit_weight_decay.py`` + ``overfit_dropout.py``
``fashion-best``       (mlplab) best MLP recipe on Fashion-MNIST in <= 10 min on 2 cores
=====================  =========================================================================

Data: Fashion-MNIST from Debian's ``dataset-fashion-mnist`` package by default; ``--data DIR``
(a directory with the four MNIST IDX files) switches to MNIST, the book's data set.
``--rng legacy`` replays the book's own run step for step (:data:`NOTE_LEGACY`); ``--bn dlfs``
gives ``batchnorm-scales`` the book's BatchNorm.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from .. import i18n
from .registry import Option, RunResult, register
from .runner import _viz, run_spec
from .spec import Spec, load_spec

__all__ = ["builtin_files", "load_builtin_spec", "REFERENCE"]

FILES_DIR = Path(__file__).with_name("files")

#: ``--rng legacy``: the book's own run (its np.random.seed stream, float64 weights).
LEGACY_OVERRIDES = {"train.rng": "legacy", "model.dtype": "float64"}

#: DLfS reference numbers (MNIST, single seeded runs of the book's ch. 5-6 scripts).
REFERENCE = {
    "mnist-two-layer": {"train_acc": 0.978, "test_acc": 0.969},
    "init-compare": {"std=0.01": 2.305, "Xavier": 0.377, "He": 0.286},
    "optimizer-compare": {"SGD": 0.150, "Momentum": 0.050, "AdaGrad": 0.016, "Adam": 0.032},
    "overfit": {"weight decay 0.1": {"train_acc": 0.927, "test_acc": 0.721}},
}

#: Where a run differs from the book, in English (``_T(lang)("note_fashion")`` in any language).
NOTE_FASHION = i18n.t("classic.note_fashion")
NOTE_FLOAT32 = i18n.t("classic.note_float32")
NOTE_EVAL = i18n.t("classic.note_eval")
NOTE_DROPOUT = i18n.t("classic.note_dropout")
NOTE_BN = i18n.t("classic.note_bn")
NOTE_BN_DLFS = i18n.t("classic.note_bn_dlfs")
NOTE_LEGACY = i18n.t("classic.note_legacy")
NOTE_LOSS = i18n.t("classic.note_loss")
NOTE_WD = i18n.t("classic.note_wd")


def _T(lang: str):
    """``T(key, **kw)``: the message ``classic.<key>`` (or any ``group.key``) in ``lang``."""

    def T(key: str, **kw) -> str:
        return i18n.t(key if "." in key else f"classic.{key}", lang, **kw)

    return T


def _lang(opts: dict) -> str:
    return opts.get("lang", "en")


def builtin_files() -> dict[str, Path]:
    """Name -> path of every packaged experiment file (``files/*.toml``)."""
    return {p.stem: p for p in sorted(FILES_DIR.glob("*.toml"))}


def load_builtin_spec(name: str, opts: dict | None = None) -> Spec:
    """The packaged spec ``name`` with the run options applied (``seed``, ``data``, ``rng``,
    ``bn``)."""
    files = builtin_files()
    spec = load_spec(files[name])
    opts = opts or {}
    over: dict = {}
    if opts.get("seed") is not None:
        over["experiment.seed"] = int(opts["seed"])
    if opts.get("data") and spec.kind == "train":
        over["data.name"] = "mnist"
        over["data.path"] = str(opts["data"])
    if opts.get("rng") == "legacy" and spec.kind == "train":
        over.update(LEGACY_OVERRIDES)
        if spec.train["eval_on"] == "epoch":
            over["train.eval_on"] = "epoch_start"  # DLfS: `if i % iter_per_epoch == 0`
    if opts.get("bn") == "dlfs":
        over.update({"model.bn_eps": 1e-6, "model.bn_running_var": 0.0})
    for key, value in (opts.get("set") or {}).items():
        over[key] = value
    return spec.with_overrides(over)


def _data_notes(spec: Spec, lang: str = "en") -> list[str]:
    """Where a run differs from the book by its data, precision and evaluation schedule."""
    T = _T(lang)
    notes = [T("note_fashion")] if spec.data.get("name") == "fashion-mnist" else []
    if spec.train.get("rng") == "legacy":
        return [*notes, T("note_legacy"), T("note_loss")]
    notes.append(T("note_float32"))
    if spec.train["eval_on"] == "epoch":
        notes.append(T("note_eval"))
    return notes


def _opts_list(extra=()):
    return [
        Option("data", str, "", "directory with the MNIST IDX files (default: Fashion-MNIST)"),
        Option(
            "rng",
            str,
            "default",
            "legacy: DLfS's own run (np.random.seed stream for weights and batches, float64)",
            choices=("default", "legacy"),
        ),
        *extra,
    ]


def _run(name: str, opts: dict, **overrides) -> tuple[Spec, RunResult]:
    spec = load_builtin_spec(name, opts)
    over = {k.replace("__", "."): v for k, v in overrides.items() if v is not None}
    spec = spec.with_overrides(over)
    res = run_spec(spec, quick=bool(opts.get("quick")), figures=opts.get("figures", True),
                   lang=opts.get("lang", "en"))  # fmt: skip
    return spec, res


def _variants(res: RunResult) -> dict:
    return res.metrics.get("variants") or {res.name: res.metrics}


# ---------------------------------------------------------------------------------------------
# mnist-two-layer
# ---------------------------------------------------------------------------------------------
@register(
    "mnist-two-layer",
    summary="DLfS ch.5 TwoLayerNet 784-50-10: gradient check in float64, 10,000 SGD steps "
    "(lr 0.1, batch 100)",
    options=_opts_list([Option("iterations", int, 10000, "SGD updates")]),
)
def mnist_two_layer(opts: dict) -> RunResult:
    iters = None if opts.get("iterations", 10000) == 10000 else opts["iterations"]
    spec, res = _run("mnist-two-layer", opts, train__iterations=iters)
    m = res.metrics
    ref = REFERENCE["mnist-two-layer"]
    T = _T(_lang(opts))
    cols = [T(f"col_{c}") for c in ("step", "epoch", "train_acc", "test_acc")]
    widths = [max(w, i18n.width(c)) for w, c in zip((5, 5, 9, 8), cols)]
    lines = [res.text, "", _row(cols, widths)]
    for step, e, a, b in zip(
        res._results[0]["eval_step"],  # noqa: SLF001
        res.series.get("mnist-two-layer/epoch", []),
        res.series.get("mnist-two-layer/train_acc", []),
        res.series.get("mnist-two-layer/test_acc", []),
    ):
        lines.append(_row([f"{step:d}", f"{e:.2f}", f"{a:.4f}", f"{b:.4f}"], widths))
    data = "Fashion-MNIST" if spec.data.get("name") == "fashion-mnist" else "MNIST"
    lines.append(T("two_layer_ref", ref_train=ref["train_acc"], ref_test=ref["test_acc"],
                   train=f"{m['train_acc']:.4f}", test=f"{m['test_acc']:.4f}", data=data))  # fmt: skip
    if spec.train.get("rng") == "legacy":
        lines.append(T("two_layer_legacy"))
    res.text = "\n".join(lines)
    res.metrics["dataset"] = spec.data.get("name")
    res.notes = _data_notes(spec, _lang(opts)) + [T("note_gradcheck")]
    return res


def _row(cells, widths) -> str:
    """Cells right-aligned to their widths (in terminal columns), two spaces apart."""
    return "  ".join(i18n.pad(c, w, ">") for c, w in zip(cells, widths))


# ---------------------------------------------------------------------------------------------
# init-histograms
# ---------------------------------------------------------------------------------------------
@register(
    "init-histograms",
    summary="DLfS ch.6 activation histograms of 5 layers: scale 1, 0.01, Xavier, He x sigmoid, "
    "tanh, ReLU",
    options=[Option("n", int, 1000, "number of N(0, 1) input rows")],
)
def init_histograms(opts: dict) -> RunResult:
    n = None if opts.get("n", 1000) == 1000 else opts["n"]
    spec, res = _run("init-histograms", {**opts, "data": ""}, data__n=n)
    T = _T(_lang(opts))
    res.notes = [T("hist_same"), T("hist_range")]
    res.text += "\n" + T("hist_text")
    return res


# ---------------------------------------------------------------------------------------------
# init-compare / optimizer-compare
# ---------------------------------------------------------------------------------------------
def _compare_text(res: RunResult, ref: dict, iteration: int, lang: str = "en") -> str:
    T = _T(lang)
    lines = [T("compare_head", what=T("at_iteration", i=iteration))]
    for label, s in _variants(res).items():
        r = ref.get(label)
        lines.append(
            f"  {label:<10} {s['final_batch_loss']:.3f}"
            + (T("compare_ref", ref=r) if r is not None else "")
        )
    return "\n".join(lines)


def _loss_figure(res: RunResult, ylim, lang="en"):
    if _viz() is None or not res.figures:
        return
    try:
        from ..viz.curves import plot_curves

        loss = {k[: -len("/loss")]: v for k, v in res.series.items() if k.endswith("/loss")}
        res.figures["loss"] = plot_curves(
            loss,
            xlabel="iterations",
            ylabel="loss",
            smooth=True,
            ylim=ylim,
            markers=True,
            markevery=100,
            lang=lang,
        )
    except Exception:  # noqa: BLE001 - figures are optional
        pass


@register(
    "init-compare",
    summary="DLfS ch.6 weight init: 784-[100x4]-10 ReLU, std 0.01 vs Xavier vs He, SGD lr 0.01",
    options=_opts_list([Option("iterations", int, 2000, "SGD updates")]),
)
def init_compare(opts: dict) -> RunResult:
    iters = None if opts.get("iterations", 2000) == 2000 else opts["iterations"]
    spec, res = _run("init-compare", opts, train__iterations=iters)
    lang = _lang(opts)
    res.text += "\n\n" + _compare_text(res, REFERENCE["init-compare"], 1900, lang)
    _loss_figure(res, (0, 2.5), lang)
    res.notes = _data_notes(spec, lang)
    if _T(lang)("note_loss") not in res.notes:
        res.notes.append(_T(lang)("note_loss"))
    return res


@register(
    "optimizer-compare",
    summary="DLfS ch.6 optimizers on 784-[100x4]-10: SGD, Momentum, Nesterov, AdaGrad, RMSprop, "
    "Adam at default lr",
    options=_opts_list([Option("iterations", int, 2000, "updates per optimizer")]),
)
def optimizer_compare(opts: dict) -> RunResult:
    iters = None if opts.get("iterations", 2000) == 2000 else opts["iterations"]
    spec, res = _run("optimizer-compare", opts, train__iterations=iters)
    lang = _lang(opts)
    T = _T(lang)
    res.text += "\n\n" + _compare_text(res, REFERENCE["optimizer-compare"], 1900, lang)
    _loss_figure(res, (0, 1), lang)
    res.notes = _data_notes(spec, lang) + [T("opt_lrs"), T("opt_eps")]
    return res


# ---------------------------------------------------------------------------------------------
# batchnorm-scales
# ---------------------------------------------------------------------------------------------
@register(
    "batchnorm-scales",
    summary="DLfS ch.6 BatchNorm vs plain net for 16 weight scales (first 1000 images, 20 "
    "epochs): 4x4 grid",
    options=_opts_list(
        [
            Option("epochs", int, 20, "epochs per run"),
            Option(
                "bn",
                str,
                "mlplab",
                "dlfs: DLfS's BatchNorm (eps 1e-6, running variance starting at 0)",
                choices=("mlplab", "dlfs"),
            ),
        ]
    ),
)
def batchnorm_scales(opts: dict) -> RunResult:
    epochs = None if opts.get("epochs", 20) == 20 else opts["epochs"]
    spec, res = _run("batchnorm-scales", opts, train__epochs=epochs)
    runs = _variants(res)
    lang = _lang(opts)
    T = _T(lang)
    grid: dict[str, dict[str, list[float]]] = {}
    table = {}
    for label, s in runs.items():
        scale, bn = _parse_bn_label(label)
        title = f"W:{scale:.4g}"
        key = T("bn_legend_bn") if bn else T("bn_legend_plain")
        grid.setdefault(title, {})[key] = res.series.get(f"{label}/train_acc", [])
        table.setdefault(title, {})["bn" if bn else "plain"] = s["train_acc"]
    cols = [T("col_scale"), T("col_bn"), T("col_plain")]
    widths = [max(w, i18n.width(c)) for w, c in zip((10, 7, 7), cols)]
    head = " ".join(i18n.pad(c, w, ">") for c, w in zip(cols, widths))
    lines = [res.text, "", f"{head}   {T('bn_final')}"]
    for title, row in table.items():
        cells = [title[2:], *(_acc(row.get(k), lang) for k in ("bn", "plain"))]
        lines.append(" ".join(i18n.pad(c, w, ">") for c, w in zip(cells, widths)))
    lines.append(T("bn_diverged"))
    res.text = "\n".join(lines)
    res.metrics["grid"] = table
    if _viz() is not None and opts.get("figures", True):
        try:
            from ..viz.curves import plot_grid_curves

            res.figures["bn_grid"] = plot_grid_curves(grid, ncols=4, ylim=(0, 1),
                                                      lang=opts.get("lang", "en"))  # fmt: skip
            res.captions["bn_grid"] = i18n.t("fig.bn_grid", opts.get("lang", "en"))
        except Exception:  # noqa: BLE001 - figures are optional
            pass
    res.notes = [
        *_data_notes(spec, lang),
        T("note_bn_dlfs" if opts.get("bn") == "dlfs" else "note_bn"),
    ]
    return res


def _acc(v, lang: str = "en") -> str:
    return i18n.t("classic.diverged", lang) if v is None else f"{v:.3f}"


def _parse_bn_label(label: str) -> tuple[float, bool]:
    """'init=0.2929, batchnorm=true' -> (0.2929, True)."""
    parts = dict(p.strip().split("=", 1) for p in label.split(","))
    return float(parts["init"]), parts["batchnorm"] == "true"


# ---------------------------------------------------------------------------------------------
# overfit
# ---------------------------------------------------------------------------------------------
@register(
    "overfit",
    summary="DLfS ch.6 overfitting on 300 images (784-[100x6]-10, 201 epochs): baseline, weight "
    "decay 0.1, dropout 0.2",
    options=_opts_list([Option("epochs", int, 201, "epochs per run")]),
)
def overfit(opts: dict) -> RunResult:
    epochs = None if opts.get("epochs", 201) == 201 else opts["epochs"]
    spec, res = _run("overfit", opts, train__epochs=epochs)
    lang = _lang(opts)
    T = _T(lang)
    gaps = {}
    lines = [res.text, "", T("gap_head")]
    for label, s in _variants(res).items():
        gaps[label] = s["train_acc"] - s["test_acc"]
        lines.append(f"  {label:<18} {gaps[label]:.3f}")
    ref = REFERENCE["overfit"]["weight decay 0.1"]
    lines.append(T("overfit_ref", train=ref["train_acc"], test=ref["test_acc"]))
    res.text = "\n".join(lines)
    res.metrics["gap"] = gaps
    res.notes = _data_notes(spec, lang) + [T("note_wd"), T("note_dropout"), T("overfit_epochs")]
    return res


# ---------------------------------------------------------------------------------------------
# fashion-best
# ---------------------------------------------------------------------------------------------
#: Fashion-MNIST's classes in label order (Korean: ``i18n.t("fashion.c<k>", "ko")``).
CLASS_NAMES = tuple(i18n.t(f"fashion.c{k}") for k in range(10))


@register(
    "fashion-best",
    summary="Best plain MLP on Fashion-MNIST: 784-512-256-10, Adam + cosine, dropout 0.2, float32 "
    "(>= 0.89 test in minutes)",
    options=_opts_list([Option("epochs", int, 25, "training epochs")]),
)
def fashion_best(opts: dict) -> RunResult:
    epochs = None if opts.get("epochs", 25) == 25 else opts["epochs"]
    spec, res = _run("fashion-best", opts, train__epochs=epochs)
    m = res.metrics
    result = res._results[0]  # noqa: SLF001
    data = res._data  # noqa: SLF001
    model = result["model"]
    pred = model.predict_classes(data.X_test)
    yt = np.asarray(data.y_test)
    per_class = [
        float(np.mean(pred[yt == k] == k)) if np.any(yt == k) else math.nan for k in range(10)
    ]
    m["per_class_test_acc"] = dict(zip(CLASS_NAMES, per_class))
    m["wall_time_s"] = m["time_s"]
    best = max(res.series.get("fashion-best/test_acc", [m["test_acc"]]))
    m["best_epoch_test_acc"] = best
    lang = _lang(opts)
    T = _T(lang)
    names = (
        tuple(T(f"fashion.c{k}") for k in range(10))
        if spec.data.get("name") == "fashion-mnist"
        else tuple(map(str, range(10)))
    )
    lines = [
        res.text,
        "",
        T("best_line", acc=f"{m['test_acc']:.4f}", best=f"{best:.4f}", secs=f"{m['time_s']:.0f}"),
        T("per_class"),
    ]
    lines += [f"  {i18n.pad(n, 12)} {a:.3f}" for n, a in zip(names, per_class)]
    res.text = "\n".join(lines)
    if _viz() is not None and opts.get("figures", True):
        try:
            from ..viz.multiclass import plot_confusion_matrix

            res.figures["confusion"] = plot_confusion_matrix(yt, pred, class_names=list(names),
                                                             lang=lang)  # fmt: skip
            res.captions["confusion"] = i18n.t("fig.confusion", lang)
        except Exception:  # noqa: BLE001 - figures are optional
            pass
    res.notes = [T("note_dropout"), T("recipe"), T("train_subset")]
    return res
