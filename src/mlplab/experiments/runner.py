"""Run a validated experiment :class:`~mlplab.experiments.spec.Spec`.

For every variant (same data, same seed): build the model (:func:`mlplab.MLP`), the optimizer
and its schedule, optionally gradient-check a float64 copy on a few samples, train with
:class:`mlplab.train.Trainer`, and collect

- ``series``: ``"<variant>/loss"`` (batch loss per update), ``"<variant>/train_acc"``,
  ``"<variant>/test_acc"``, ``"<variant>/train_loss"``, ``"<variant>/test_loss"`` (one value per
  evaluation) and ``"<variant>/epoch"`` (the epoch of each evaluation);
- ``metrics``: final accuracies/losses, wall time, steps (flat for one variant, under
  ``"variants"`` for several);
- ``figures`` (when :mod:`mlplab.viz` and matplotlib import): loss curves and accuracy curves.

``kind = "histograms"`` files instead push N(0, 1) data through ``len(hidden)`` layers without
training (DLfS ``weight_init_activation_histogram.py``).
"""

from __future__ import annotations

import functools
import json
import math
import re
import time
from pathlib import Path

import numpy as np

from .. import i18n
from ..errors import ConfigError
from .registry import RunInterrupted, RunResult
from .spec import Spec, check_model_size, load_spec

__all__ = ["Data", "load_data", "build_model", "build_optimizer", "run_spec", "run_file"]


class Data:
    """Training and test arrays of an experiment.

    Attributes
    ----------
    X, y : ndarray, shapes (N, D) and (N,)
    X_test, y_test : ndarray or None
    n_classes : int or None
    info : str
        One line naming the data set and the sizes.
    describe : callable lang -> str, optional
        That line in a language (``"en"`` or ``"ko"``); by default ``info`` in every language.
    """

    def __init__(self, X, y, X_test=None, y_test=None, n_classes=None, info="", kind="",
                 describe=None):  # fmt: skip
        self.X, self.y, self.X_test, self.y_test = X, y, X_test, y_test
        self.n_classes = n_classes
        self._describe = describe
        self.info = describe("en") if describe is not None and not info else info
        self.kind = kind

    def describe(self, lang: str = "en") -> str:
        """:attr:`info` in ``lang``."""
        return self.info if self._describe is None or lang == "en" else self._describe(lang)


@functools.lru_cache(maxsize=4)
def _mnist_cached(directory, kind, normalize, dtype):
    from ..data.idx import load_mnist

    (x, t), (xt, tt) = load_mnist(
        directory, kind=kind, normalize=normalize, dtype=dtype, download=False
    )
    for a in (x, t, xt, tt):
        a.setflags(write=False)  # shared between runs: nobody may modify them
    return x, t, xt, tt


def load_data(spec: Spec) -> Data:
    """Load (or generate) the data of ``spec`` (``[data]`` section).

    MNIST/Fashion-MNIST keep DLfS's order: the *first* ``train_size`` / ``test_size`` rows,
    and its pixels: ``x / 255`` in float32 (DLfS's ``load_mnist``), then cast to the model's
    dtype.  Synthetic sets are split with ``test_fraction`` (seeded by ``experiment.seed``).
    """
    d, seed = spec.data, spec.seed
    dtype = spec.model.get("dtype", "float64")
    src, name = d["source"], d.get("name")
    if src == "builtin" and name == "gaussian":
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((d.get("n", 1000), d.get("dim", 100))).astype(dtype)
        return Data(X, None, kind="gaussian",
                    describe=lambda lang: i18n.t("data.gaussian", lang, shape=X.shape))  # fmt: skip
    if (src == "builtin" and name in ("fashion-mnist", "mnist")) or src == "idx":
        from ..data.idx import find_mnist_dir

        kind = "fashion" if name == "fashion-mnist" else "mnist"
        directory = find_mnist_dir(d.get("path"), kind, download=True)  # the one place used
        x, t, xt, tt = _mnist_cached(
            str(directory), kind, bool(d.get("normalize", True)), "float32"
        )
        if np.dtype(dtype) != np.float32:  # float32 pixels in float64 arithmetic, as DLfS
            x, xt = x.astype(dtype), xt.astype(dtype)
        n, m = d.get("train_size", len(x)), d.get("test_size", len(xt))
        label = {"fashion": "Fashion-MNIST", "mnist": "MNIST"}[kind]
        if n > len(x):
            raise ConfigError(
                f"data.train_size: must be <= {len(x)}, the training rows of {label}, got {n}"
            )
        if m > len(xt):
            raise ConfigError(
                f"data.test_size: must be <= {len(xt)}, the test rows of {label}, got {m}"
            )
        return Data(
            x[:n],
            t[:n],
            xt[:m] if m else None,
            tt[:m] if m else None,
            10,
            kind=kind,
            describe=lambda lang: i18n.t("data.mnist", lang, label=label, path=directory, n=n, m=m),
        )
    from ..data.utils import standardize, train_test_split

    if src == "csv":
        from ..data.csvdata import load_csv

        X, y, info = load_csv(
            d["path"], label=d["label"], header=d.get("header", "auto"),
            task=d.get("task", "classification"), delimiter=d.get("delimiter", ","),
            hints="file",
        )  # fmt: skip
        desc = functools.partial(i18n.t, "data.csv", path=d["path"])
        X_test = y_test = None
    else:
        from ..data.datasets import load_builtin

        kw = {k: d[k] for k in ("n", "noise") if k in d}
        if name.startswith("gates-"):
            kw = {}
        elif "seed" not in kw:
            kw["seed"] = seed
        try:
            arrays = load_builtin(name, **kw)
        except TypeError as exc:  # pragma: no cover - generator without such an option
            raise ConfigError(f"data: {name!r} does not take {sorted(kw)} ({exc})") from None
        desc = functools.partial(i18n.t, "data.builtin", name=name)
        X, y = arrays[0], arrays[1]
        X_test, y_test = (arrays[2], arrays[3]) if len(arrays) == 4 else (None, None)
    if X_test is None and d.get("test_fraction", 0.2) > 0 and len(X) >= 5:
        X, X_test, y, y_test = _split(train_test_split(X, y, d.get("test_fraction", 0.2), seed))
    if d.get("standardize"):
        X, mu, sd = _standardize(standardize, X)
        if X_test is not None:
            X_test = (X_test - mu) / sd
    if "train_size" in d:
        X, y = X[: d["train_size"]], y[: d["train_size"]]
    if X_test is not None and "test_size" in d:
        X_test, y_test = X_test[: d["test_size"]], y_test[: d["test_size"]]
    X = np.asarray(X, dtype=dtype)
    X_test = None if X_test is None else np.asarray(X_test, dtype=dtype)
    yi = np.asarray(y)
    n_classes = None
    if np.issubdtype(yi.dtype, np.integer):
        n_classes = int(max(yi.max(), 1 if yi.min() >= 0 else 0)) + 1 if yi.min() >= 0 else 2
    elif set(np.unique(yi).tolist()) <= {-1.0, 1.0}:
        n_classes = 2
    n_test = 0 if X_test is None else len(X_test)
    return Data(X, y, X_test, y_test, n_classes, kind="xy",
                describe=lambda lang: i18n.t("data.split", lang, desc=desc(lang), n=len(X),
                                             m=n_test))  # fmt: skip


def _split(parts):
    """Accept both (Xtr, Xte, ytr, yte) and ((Xtr, ytr), (Xte, yte)) orders."""
    if len(parts) == 2:
        (a, b), (c, e) = parts
        return a, c, b, e
    return parts


def _standardize(fn, X):
    out = fn(X)
    if isinstance(out, tuple):
        return out[0], out[1], out[2]
    mu, sd = X.mean(axis=0), X.std(axis=0)
    sd[sd == 0] = 1
    return (X - mu) / sd, mu, sd


def build_model(spec: Spec, data: Data, dtype=None, seed=None):
    """The :func:`mlplab.MLP` of ``spec`` (sizes from ``model.sizes`` or data + ``hidden``)."""
    from ..model import MLP

    m = spec.model
    sizes = _widths(spec, data)
    bn_kw = {}
    if "bn_momentum" in m:
        bn_kw["momentum"] = m["bn_momentum"]
    if "bn_eps" in m:
        bn_kw["eps"] = m["bn_eps"]
    if "bn_running_var" in m:
        bn_kw["init_running_var"] = m["bn_running_var"]
    return MLP(
        sizes,
        activation=m["activation"],
        output=m.get("output"),
        loss=m["loss"],
        init=m["init"],
        bias_init=m["bias_init"],
        batchnorm=m["batchnorm"],
        bn_kw=bn_kw or None,
        layernorm=m["layernorm"],
        dropout=m["dropout"],
        weight_decay=m["weight_decay"],
        l1=m["l1"],
        dtype=dtype or m["dtype"],
        seed=spec.seed if seed is None else seed,
    )


_OPT_KEYS = ("momentum", "beta1", "beta2", "rho", "eps", "clipnorm", "clipvalue")


def build_optimizer(spec: Spec, n_train: int):
    """``(optimizer, schedule or None, total_steps)`` of the ``[train]`` section."""
    from ..data.sampling import iterations_per_epoch
    from ..optim import get_optimizer
    from ..schedules import get_schedule, schedule_arguments

    t = spec.train
    kw = {k: t[k] for k in _OPT_KEYS if k in t}
    if "lr" in t:
        kw["lr"] = t["lr"]
    opt = get_optimizer(t["optimizer"], **kw)
    ipe = iterations_per_epoch(n_train, t["batch_size"], t["sampling"])
    total = t["iterations"] if "iterations" in t else t["epochs"] * ipe
    sched = None
    name = t.get("schedule", "constant")
    if name != "constant":  # the schedule's own arguments from [train]; cosine spans the run
        args = {a: t[a] for a in schedule_arguments(name) if a in t}
        if name == "cosine":
            args["total_steps"] = total
        sched = get_schedule(name, lr=float(opt.lr), **args)
    return opt, sched, total


def _gradcheck(spec: Spec, data: Data) -> dict:
    """DLfS gradient_check.py: float64 copy of the initial model, first ``samples`` rows."""
    from ..gradcheck import gradcheck

    g = spec.eval["gradcheck"]
    seed = np.random.RandomState(_seed(spec)) if _legacy(spec) else None
    model = build_model(spec, data, dtype="float64", seed=seed)
    x = np.asarray(data.X[: g["samples"]], dtype=np.float64)
    t = data.y[: g["samples"]]
    rep = gradcheck(model, x, t, h=g["h"], tol=g["tol"], atol=g["atol"])
    return rep.to_dict()


def _nan(v):
    return float("nan") if v is None else float(v)


def _widths(spec: Spec, data: Data) -> list[int]:
    """``[inputs, hidden..., outputs]`` exactly as :func:`build_model` makes them."""
    from ..functions import canonical_loss

    m = spec.model
    if "sizes" in m:
        return list(m["sizes"])
    n_out = data.n_classes if data.n_classes and data.n_classes > 2 else 1
    if canonical_loss(m["loss"]) in ("cce", "softmax_cce") and data.n_classes:
        n_out = data.n_classes  # one softmax output per class, also for two classes
    return [int(np.prod(data.X.shape[1:]))] + list(m.get("hidden", [])) + [n_out]


def check_run_size(spec: Spec, data: Data) -> None:
    """Check the model and one forward pass against ``spec.limits`` before allocating them.

    A pass holds about rows × (sum of the layer widths) × 2 numbers (each layer's output and
    its activation), rows being the largest of the batch and the sets evaluated at once.
    """
    widths = _widths(spec, data)
    note = ""
    if spec.data.get("source") == "csv" and data.n_classes and widths[-1] == data.n_classes > 2:
        # the output width comes from the file: say so (a label column of ids has a class a row)
        note = f" ({data.n_classes} outputs: one per class of data.label)"
    check_model_size(spec.model, widths, spec.limits, note=note)
    t = spec.train
    n = len(data.X)
    rows = min(t["batch_size"], n)
    rows = max(rows, min(t.get("eval_train_size") or n, n))
    if data.X_test is not None:
        rows = max(rows, len(data.X_test))
    held = rows * sum(widths[1:]) * 2
    if held > spec.limits.activations:
        raise spec.limits.over(
            "activations",
            f"train.batch_size: one pass over {rows:,} rows of {'-'.join(map(str, widths))} "
            f"holds {held:,} numbers{note}",
        )


def _legacy(spec: Spec) -> bool:
    return spec.train.get("rng", "default") == "legacy"


def _seed(spec: Spec) -> int:
    """The batch seed: ``train.seed``, else ``experiment.seed``."""
    return spec.train.get("seed", spec.seed)


def legacy_start(specs: list[Spec], data: Data) -> list[tuple]:
    """``[(model, batch stream), ...]`` for ``[train] rng = "legacy"``, as DLfS's scripts run.

    A DLfS script calls ``np.random.seed(seed)`` once: every network it builds draws its
    weights from that one stream in turn (``np.random.randn``), and then the same stream draws
    the batches (``np.random.choice``), which all networks share.  So the models are built
    from one ``np.random.RandomState(seed)`` in the order of ``specs``, and each gets a copy of
    the stream as it is after the last model.
    """
    if not specs:
        return []
    rs = np.random.RandomState(_seed(specs[0]))
    models = [build_model(s, data, seed=rs) for s in specs]
    after = rs.get_state()
    streams = [np.random.RandomState() for _ in models]
    for stream in streams:
        stream.set_state(after)
    return list(zip(models, streams))


def build_trainer(spec: Spec, data: Data, callbacks=(), start=None):
    """The model and its :class:`~mlplab.train.Trainer` for one resolved spec (no training yet).

    Shared by experiment runs and search trials so that both train exactly the same way.
    ``start``: the ``(model, batch seed or stream)`` to use (:func:`legacy_start`).
    """
    from ..train import Trainer

    check_run_size(spec, data)
    if start is None:
        start = legacy_start([spec], data)[0] if _legacy(spec) else (build_model(spec, data), None)
    model, stream = start
    t = spec.train
    opt, sched, _ = build_optimizer(spec, len(data.X))
    val = None if data.X_test is None else (data.X_test, data.y_test)
    kw = {"iterations": t["iterations"]} if "iterations" in t else {"epochs": t["epochs"]}
    trainer = Trainer(
        model,
        opt,
        lr=sched,
        batch_size=t["batch_size"],
        sampling=t["sampling"],
        legacy_rng=_legacy(spec),
        seed=_seed(spec) if stream is None else stream,
        validation_data=val,
        eval_every=t.get("eval_every"),
        eval_on=t["eval_on"],
        eval_train_size=t.get("eval_train_size"),
        progress=False,
        callbacks=list(callbacks),
        **kw,
    )
    return model, trainer


def _train_one(spec: Spec, data: Data, label: str, out: Path | None, start=None) -> dict:
    model, trainer = build_trainer(spec, data, start=start)
    t0 = time.perf_counter()
    hist = trainer.fit(data.X, data.y)
    wall = time.perf_counter() - t0
    ev = hist.evals
    res = {
        "label": label,
        "loss": [float(v) for v in hist.step["loss"]],
        "eval_step": list(ev["step"]),
        "epoch": [float(e) for e in ev["epoch"]],
        "train_loss": [_nan(v) for v in ev["train_loss"]],
        "test_loss": [_nan(v) for v in ev["val_loss"]],
        "train_acc": [_nan(v) for v in ev["train_acc"]],
        "test_acc": [_nan(v) for v in ev["val_acc"]],
        "time_s": wall,
        "steps": trainer.step,
        "stopped": hist.stopped_reason,
        "message": hist.message,
        "model": model,
    }
    if out is not None:
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", label).strip("_") or "model"
        model.save(out / f"model-{slug}.npz")
        (out / f"history-{slug}.json").write_text(hist.to_json(indent=1), encoding="utf-8")
    return res


def _summary(res: dict) -> dict:
    loss = res["loss"]
    tail = loss[-max(1, len(loss) // 10) :] if loss else [float("nan")]
    out = {
        "train_acc": res["train_acc"][-1] if res["train_acc"] else None,
        "test_acc": res["test_acc"][-1] if res["test_acc"] else None,
        "train_loss": res["train_loss"][-1] if res["train_loss"] else None,
        "test_loss": res["test_loss"][-1] if res["test_loss"] else None,
        "final_batch_loss": float(np.mean(tail)),
        "time_s": round(res["time_s"], 3),
        "steps": res["steps"],
        "stopped": res["stopped"],
    }
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in out.items()}


def _viz():
    try:
        from .. import viz  # noqa: F401
        from ..viz.curves import plot_curves  # noqa: F401

        return viz
    except Exception:  # noqa: BLE001 - figures are optional
        return None


def _fmt(v, nd=4):
    return "-" if v is None else f"{v:.{nd}f}"


def run_spec(
    spec: Spec, quick: bool = False, out=None, figures: bool = True, lang: str = "en"
) -> RunResult:
    """Run every variant of ``spec`` and collect text, metrics, series and figures.

    Parameters
    ----------
    spec : Spec
    quick : bool
        Apply the ``[quick]`` overrides (or the default shrink) first.
    out : str or Path, optional
        Directory for each variant's model (``model-<variant>.npz``) and history JSON.
    figures : bool
        Draw figures (when :mod:`mlplab.viz` imports).
    lang : "en" | "ko"
        Language of the text's headings and columns and of the figures.
    """
    from .. import i18n

    def T(key, **kw):
        return i18n.t(key, lang, **kw)

    if quick:
        spec = spec.quick_spec()
    out = None if out is None else Path(out)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    if spec.kind == "histograms":
        return _run_histograms(spec, figures, lang)
    data = load_data(spec)
    lines = [f"{spec.name}: {describe_spec(spec, lang)}".rstrip(": "),
             T("exp.data", info=data.describe(lang))]  # fmt: skip
    if spec.is_quick:
        lines.append(T("exp.quick"))
    metrics: dict = {}
    series: dict[str, list[float]] = {}
    results = []
    variants = spec.variant_specs()
    for _, vs in variants:  # every size before anything is allocated (legacy builds all)
        check_run_size(vs, data)
    starts = legacy_start([vs for _, vs in variants if _legacy(vs)], data)
    for i, (label, vspec) in enumerate(variants):
        try:
            if vspec.eval.get("gradcheck"):
                gc = _gradcheck(vspec, data)
                metrics.setdefault("gradcheck", {})[label] = gc
                lines.append(T("exp.gradcheck", label=label, n=vspec.eval["gradcheck"]["samples"]))
                for key, r in gc["keys"].items():
                    rel = (
                        T("exp.zero_gradient") if r["status"] == "zero" else f"{r['rel_error']:.2e}"
                    )
                    lines.append(f"  {key}: {r['mean_abs_diff']:.3e}  {rel}")
                rule = T("exp.gradcheck_rule", atol=f"{gc['atol']:.1e}", rtol=f"{gc['rtol']:g}",
                         h=f"{gc['h']:.1e}")  # fmt: skip
                lines.append(f"  {T('exp.passed' if gc['passed'] else 'exp.failed')} {rule}")
            start = starts.pop(0) if _legacy(vspec) else None
            res = _train_one(vspec, data, label, out, start)
        except KeyboardInterrupt:  # outside the Trainer (data, gradient check, saving)
            res = _not_run(label, T("exp.stopped_by_user"))
        results.append(res)
        for k in ("loss", "epoch", "train_loss", "test_loss", "train_acc", "test_acc"):
            if res[k]:
                series[f"{label}/{k}"] = res[k]
        if res["stopped"] == "interrupted":  # one Ctrl-C stops the whole run
            results += [_not_run(lb, T("exp.not_run")) for lb, _ in variants[i + 1 :]]
            break
    summaries = {r["label"]: _summary(r) for r in results}
    if len(results) == 1:
        metrics.update(summaries[results[0]["label"]])
    else:
        metrics["variants"] = summaries
    # batch-loss table like DLfS (every log_every iterations)
    log_every = spec.train.get("log_every")
    if log_every:
        n = max(len(r["loss"]) for r in results)
        for i in range(0, n, log_every):
            lines.append(f"===========iteration:{i}===========")
            for r in results:
                if i < len(r["loss"]):
                    lines.append(f"{r['label']}:{r['loss'][i]:.6f}")
    # accuracies for classes; a regression (no accuracy) shows its test loss in their place
    scores = ("train_acc", "test_acc")
    if all(summaries[r["label"]][k] is None for r in results for k in scores):
        scores = ("test_loss",)
    shown = (*scores, "train_loss", "final_batch_loss")
    cols = [T(f"exp.col_{c}") for c in ("variant", *scores, "train_loss", "batch_loss", "time")]
    widths = [max(w, i18n.width(c)) for w, c in zip((24, *[9] * len(scores), 10, 10, 7), cols)]
    aligns = "<" + ">" * (len(cols) - 1)
    lines += ["", " ".join(i18n.pad(c, w, a) for c, w, a in zip(cols, widths, aligns))]
    for r in results:
        s = summaries[r["label"]]
        cells = [r["label"], *(_fmt(s[k]) for k in shown), f"{s['time_s']:.1f}"]
        lines.append(" ".join(i18n.pad(c, w, a) for c, w, a in zip(cells, widths, aligns)))
        if r["stopped"] != "completed":
            lines.append(f"  ({_stop_message(r, lang)})")
    stopped = [r["stopped"] for r in results]
    if "interrupted" in stopped:
        status = "interrupted"
        done = sum(s != "interrupted" for s in stopped)
        lines.append(T("exp.interrupted", done=done, n=len(results)))
    elif all(s == "diverged" for s in stopped):
        status = "failed"
        lines.append(T("exp.all_diverged"))
    else:
        status = "ok"
    metrics["status"] = status
    figs = _train_figures(results, spec, lang) if figures else {}
    result = RunResult(
        spec.name,
        "\n".join(lines),
        metrics=metrics,
        config=spec.to_dict(),
        figures=figs,
        series=series,
        captions={k: T(f"fig.exp_{k}") for k in figs},
        lang=lang,
        status=status,
    )
    result._results = results  # noqa: SLF001 - for classic.py post-processing (models, data)
    result._data = data  # noqa: SLF001
    if out is not None:
        (out / "spec.json").write_text(json.dumps(spec.to_dict(), indent=1), encoding="utf-8")
    if status == "interrupted":
        raise RunInterrupted(result)
    return result


def describe_spec(spec: Spec, lang: str = "en") -> str:
    """The spec's description in ``lang``: a packaged file's (``desc.NAME``) when unchanged."""
    key = f"desc.{spec.name}"
    if lang != "en" and i18n.has(key) and i18n.t(key) == spec.description:
        return i18n.t(key, lang)
    return spec.description


def _stop_message(res: dict, lang: str) -> str:
    """Why a variant stopped early: the trainer's message (English) or its gist in ``lang``."""
    if lang == "en" or res["model"] is None:  # not run: the message is in ``lang`` already
        return res["message"]
    key = {"diverged": "data.diverged", "interrupted": "data.interrupted"}.get(res["stopped"])
    return i18n.t(key or "data.stopped", lang, step=res["steps"])


def _not_run(label: str, message: str) -> dict:
    """The record of a variant stopped (or never started) by the user."""
    res = {k: [] for k in ("loss", "eval_step", "epoch", "train_loss", "test_loss")}
    res.update(train_acc=[], test_acc=[], label=label, time_s=0.0, steps=0, model=None)
    res.update(stopped="interrupted", message=message)
    return res


def _train_figures(results, spec, lang="en") -> dict:
    viz = _viz()
    if viz is None:
        return {}
    from .. import i18n
    from ..viz.curves import plot_curves

    figs = {}
    try:
        loss = {r["label"]: r["loss"] for r in results if r["loss"]}
        if loss:
            figs["loss"] = plot_curves(
                loss, xlabel="iterations", ylabel="loss",
                smooth=len(next(iter(loss.values()))) > 20, lang=lang,
            )  # fmt: skip
        acc, xs = {}, None
        for r in results:
            pre = f"{r['label']} " if len(results) > 1 else ""
            if r["train_acc"] and not all(math.isnan(v) for v in r["train_acc"]):
                acc[f"{pre}{i18n.t('train', lang)}"] = r["train_acc"]
            if r["test_acc"] and not all(math.isnan(v) for v in r["test_acc"]):
                acc[f"{pre}{i18n.t('test', lang)}"] = r["test_acc"]
            if r["epoch"] and (xs is None or len(r["epoch"]) > len(xs)):
                xs = r["epoch"]  # evaluations happen after epoch 1, 2, ...: x = the epoch
        if acc and max(len(v) for v in acc.values()) > 1:
            figs["accuracy"] = plot_curves(acc, x=xs, xlabel="epochs", ylabel="accuracy",
                                           lang=lang)  # fmt: skip
        elif not acc:  # a regression: its loss on both sets after every epoch instead
            per_epoch = {}
            for r in results:
                pre = f"{r['label']} " if len(results) > 1 else ""
                for key, word in (("train_loss", "train"), ("test_loss", "test")):
                    if len(r[key]) > 1 and not all(math.isnan(v) for v in r[key]):
                        per_epoch[f"{pre}{i18n.t(word, lang)}"] = r[key]
            if per_epoch:
                figs["epoch_loss"] = plot_curves(per_epoch, x=xs, xlabel="epochs", ylabel="loss",
                                                 lang=lang)  # fmt: skip
    except Exception:  # noqa: BLE001 - a drawing problem must not lose the run
        pass
    return figs


# ---------------------------------------------------------------------------------------------
# kind = "histograms"
# ---------------------------------------------------------------------------------------------
def activation_histograms(X, n_layers, init, activation, seed=0, dtype="float64"):
    """DLfS ``weight_init_activation_histogram.py``: outputs of ``n_layers`` square layers.

    ``a_k = z_{k-1} W_k (+ b_k)``, ``z_k = f(a_k)``, ``z_0 = X``; ``W_k`` from the initializer
    (fan-in = width).  No training.

    Parameters
    ----------
    X : ndarray, shape (N, D)
    n_layers : int
    init : str or float
        ``"std0.01"``, ``"xavier"`` (std √(1/n)), ``"he"`` (std √(2/n)), a number (std) ...

    Returns
    -------
    list of ndarray, ``n_layers`` arrays of shape (N, D)
    """
    from ..functions import get_activation
    from ..init import get_initializer

    rng = np.random.default_rng(seed)
    make = get_initializer(init)
    f = get_activation(activation).f
    z, outs = np.asarray(X, dtype=dtype), []
    d = z.shape[1]
    for _ in range(n_layers):
        W = np.asarray(make((d, d), rng, np.dtype(dtype)), dtype=dtype)
        z = f(z @ W)  # no bias (DLfS)
        outs.append(z)
    return outs


def _hist_range(spec, activation):
    if "hist_range" in spec.eval:
        return spec.eval["hist_range"]
    return {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "relu": (0.0, 1.0)}.get(activation)


def _run_histograms(spec: Spec, figures: bool, lang: str = "en") -> RunResult:
    from .. import i18n

    data = load_data(spec)
    n_layers = len(spec.model.get("hidden", [100] * 5))
    bins = spec.eval.get("hist_bins", 30)
    lines = [
        f"{spec.name}: {describe_spec(spec, lang)}".rstrip(": "),
        i18n.t("exp.hist_data", lang, info=data.describe(lang), layers=n_layers,
               units=data.X.shape[1], bins=bins),
    ]  # fmt: skip
    metrics: dict = {"variants": {}}
    series: dict[str, list[float]] = {}
    rows: dict[str, tuple] = {}
    heads = [i18n.t("exp.col_layer_mean_std", lang, i=i + 1) for i in range(n_layers)]
    colw = max(15, *map(i18n.width, heads))
    lines.append(
        f"{i18n.pad(i18n.t('exp.col_variant', lang), 24)} "
        + " ".join(i18n.pad(h, colw, ">") for h in heads)
    )
    for label, vs in spec.variant_specs():
        act = vs.model["activation"]
        outs = activation_histograms(
            data.X, n_layers, vs.model["init"], act, vs.seed, vs.model["dtype"]
        )
        means = [float(o.mean()) for o in outs]
        stds = [float(o.std()) for o in outs]
        rng_ = _hist_range(vs, act)
        counts = [np.histogram(o, bins=bins, range=rng_)[0].tolist() for o in outs]
        metrics["variants"][label] = {
            "activation": act,
            "init": vs.model["init"],
            "mean": means,
            "std": stds,
            "saturated": [float(np.mean((o < 0.02) | (o > 0.98))) for o in outs]
            if act == "sigmoid"
            else None,
            "zero_fraction": [float(np.mean(o == 0)) for o in outs] if act == "relu" else None,
            "hist_counts": counts,
        }
        series[f"{label}/mean"] = means
        series[f"{label}/std"] = stds
        rows[label] = (outs, rng_)
        lines.append(
            f"{label:<24} "
            + " ".join(i18n.pad(f"{m:>7.3f}/{s:<7.3f}", colw, ">") for m, s in zip(means, stds))
        )
    figs = {}
    if figures and _viz() is not None:
        try:
            from ..viz.hist import plot_layer_histogram_rows

            by_act: dict[str, dict] = {}
            for label, (outs, rng_) in rows.items():
                act = metrics["variants"][label]["activation"]
                by_act.setdefault(act, {})[label] = (outs, rng_)
            for act, group in by_act.items():
                rng_ = next(iter(group.values()))[1]
                figs[f"hist_{act}"] = plot_layer_histogram_rows(
                    {k: v[0] for k, v in group.items()}, bins=bins, range=rng_, lang=lang
                )
        except Exception:  # noqa: BLE001 - figures are optional
            pass
    return RunResult(
        spec.name,
        "\n".join(lines),
        metrics=metrics,
        config=spec.to_dict(),
        figures=figs,
        series=series,
        captions={k: i18n.t("fig.exp_hist", lang, act=k[5:]) for k in figs},
        lang=lang,
    )


def run_file(
    path,
    quick: bool = False,
    overrides: dict | None = None,
    out=None,
    figures=True,
    lang="en",
    limits=None,
) -> RunResult:
    """``mlplab run FILE.toml``: load, validate (with ``overrides`` and ``limits``), run.

    ``overrides`` maps ``"section.key"`` (or a bare key such as ``"lr"``) to a value or a
    command-line string (``"1e-3"``, ``"[256, 128]"``, ``"true"``); ``figures=False`` draws
    nothing (``--no-save``); ``lang`` is the language of the text and figures.
    """
    spec = load_spec(path, overrides=overrides, limits=limits)
    return run_spec(spec, quick=quick, out=out, figures=figures, lang=lang)
