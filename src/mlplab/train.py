"""Mini-batch training loop: :class:`Trainer`, :class:`History` and callbacks.

One update step is the textbook mini-batch SGD step (DLfS ch. 4.5, the seed notebook's
``execute_ann``)::

    idx   = sampler.draw()                       # batch indices, (B,)
    grads = model.gradient(X[idx], y[idx])       # backprop (or numerical differences)
    optimizer.update(model.params, grads)        # e.g. W <- W - lr * dL/dW

A model that keeps its parameters packed in one vector θ (``MLP`` does, see
:meth:`mlplab.model.Sequential.pack`) is updated as one parameter, θ with its gradient ∂θ:
``optimizer.update({"theta": model.theta}, {"theta": model.dtheta})`` -- the same numbers in one
rule call (:attr:`mlplab.optim.Optimizer.elementwise` says when that holds).

Evaluations measure the mean loss (and accuracy for classifiers) on the whole training
set and the validation set, in eval mode.  Everything is recorded in a :class:`History`.

Example
-------
>>> trainer = Trainer(model, "sgd", lr=0.1, batch_size=20, epochs=200,
...                   sampling="replace", legacy_rng=True, seed=317, eval_every=1,
...                   validation_data=(X_test, y_test))          # doctest: +SKIP
>>> history = trainer.fit(X, y)                                   # doctest: +SKIP
>>> history.evals["train_loss"][-1], history.stopped_reason      # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
import time

import numpy as np

from mlplab.callbacks import (
    EVAL_KEYS,
    Callback,
    CSVLogger,
    EarlyStopping,
    LambdaCallback,
    ModelCheckpoint,
    ParamSnapshot,
    ProgressBar,
    atomic_save_model,
    resolve_metric,
)
from mlplab.errors import (
    ConfigError,
    DataError,
    DivergenceError,
    MlplabTypeError,
    ShapeError,
    check_choice,
    check_int,
    check_positive,
)

__all__ = [
    "Trainer",
    "History",
    "Callback",
    "EarlyStopping",
    "ModelCheckpoint",
    "ProgressBar",
    "LambdaCallback",
    "CSVLogger",
    "atomic_save_model",
    "EVAL_CHUNK",
    "STOP_REASONS",
]

#: Evaluations run the model on at most this many rows at a time.
EVAL_CHUNK = 10_000

#: Values of :attr:`History.stopped_reason`.
STOP_REASONS = ("completed", "early_stopping", "callback", "diverged", "interrupted")


# --------------------------------------------------------------------------- History
class History:
    """Everything recorded during one :meth:`Trainer.fit`.

    Attributes
    ----------
    step : dict of lists
        ``"step"`` (int, counted from 1) and ``"loss"`` (batch loss of that step, measured
        by the gradient's own forward pass, i.e. at the parameters *before* the update).
        Empty if the model does not expose its batch loss (see ``record_step_loss``).
    evals : dict of lists
        One entry per evaluation: ``"step"``, ``"epoch"`` (float, ``step /
        iterations_per_epoch``), ``"train_loss"``, ``"val_loss"``, ``"train_acc"``,
        ``"val_acc"``.  ``None`` means "not measured" (no validation data, or a
        regression model for the accuracies).
    stopped_reason : str
        One of ``"completed"``, ``"early_stopping"``, ``"callback"``, ``"diverged"``,
        ``"interrupted"``.
    message : str
        One-line human-readable summary of how training ended.
    elapsed : float
        Wall-clock seconds spent in ``fit``.
    iterations_per_epoch : int
    total_steps : int
        Planned number of update steps.
    config : dict
        The trainer settings (JSON-able).
    """

    def __init__(self, iterations_per_epoch: int = 1, total_steps: int = 0, config=None):
        self.step: dict[str, list] = {"step": [], "loss": []}
        self.evals: dict[str, list] = {k: [] for k in EVAL_KEYS}
        self.stopped_reason = "completed"
        self.message = ""
        self.elapsed = 0.0
        self.iterations_per_epoch = int(iterations_per_epoch)
        self.total_steps = int(total_steps)
        self.config = dict(config or {})

    # ---------------------------------------------------------------- views
    @property
    def epoch(self) -> dict[str, list]:
        """Per-epoch view of :attr:`evals`: the last evaluation within each epoch.

        ``"epoch"`` here is the integer epoch (from 1) the evaluation fell in,
        ``ceil(step / iterations_per_epoch)``; the other keys are as in :attr:`evals`.
        """
        out: dict[str, list] = {k: [] for k in EVAL_KEYS}
        ipe = max(self.iterations_per_epoch, 1)
        steps = self.evals["step"]
        for i, s in enumerate(steps):
            e = -(-s // ipe)  # ceil
            nxt = -(-steps[i + 1] // ipe) if i + 1 < len(steps) else None
            if nxt == e:
                continue
            for k in EVAL_KEYS:
                out[k].append(self.evals[k][i])
            out["epoch"][-1] = e
        return out

    @property
    def history(self) -> dict[str, list]:
        """Keras-style per-epoch dict: ``loss``, ``val_loss``, ``acc``, ``val_acc``.

        Keys that were never measured are left out.
        """
        ep = self.epoch
        names = {"train_loss": "loss", "val_loss": "val_loss", "train_acc": "acc"}
        names["val_acc"] = "val_acc"
        return {new: ep[old] for old, new in names.items() if any(v is not None for v in ep[old])}

    @property
    def final(self) -> dict:
        """The last recorded values: ``step``, ``epoch``, ``loss`` (last batch loss) and the
        last evaluation's ``train_loss``, ``val_loss``, ``train_acc``, ``val_acc``."""
        out = {k: (self.evals[k][-1] if self.evals[k] else None) for k in EVAL_KEYS}
        out["loss"] = self.step["loss"][-1] if self.step["loss"] else None
        if self.step["step"] and (out["step"] is None or self.step["step"][-1] > out["step"]):
            out["step"] = self.step["step"][-1]
            out["epoch"] = out["step"] / max(self.iterations_per_epoch, 1)
        return out

    def best(self, metric: str = "val_loss", mode: str = "auto") -> dict:
        """The evaluation record with the best ``metric``.

        Parameters
        ----------
        metric : str
            ``"val_loss"``, ``"train_loss"`` / ``"loss"``, ``"val_acc"``, ``"train_acc"``
            / ``"acc"``.
        mode : {"auto", "min", "max"}
            ``"auto"``: max for accuracies, min for losses.

        Returns
        -------
        dict
            The record (keys of :attr:`evals`) plus ``"index"`` into :attr:`evals`.
        """
        key, mode = resolve_metric(metric, mode)
        vals = [(v, i) for i, v in enumerate(self.evals[key]) if v is not None and math.isfinite(v)]
        if not vals:
            raise ConfigError(f"metric {metric!r} was not measured in this run")
        sign = 1.0 if mode == "min" else -1.0
        _, i = min(vals, key=lambda t: (sign * t[0], t[1]))
        rec = {k: self.evals[k][i] for k in EVAL_KEYS}
        rec["index"] = i
        return rec

    def __len__(self) -> int:
        return len(self.evals["step"])

    def __repr__(self) -> str:
        f = self.final
        parts = [f"steps={f['step'] or 0}", f"evals={len(self)}"]
        for k in ("train_loss", "val_loss", "train_acc", "val_acc"):
            if f[k] is not None:
                parts.append(f"{k}={f[k]:.4g}")
        parts.append(f"stopped_reason={self.stopped_reason!r}")
        return f"History({', '.join(parts)})"

    # ---------------------------------------------------------------- I/O
    def to_dict(self) -> dict:
        """JSON-able dict (NaN/inf become None)."""
        return _jsonable(
            {
                "step": self.step,
                "evals": self.evals,
                "epoch": self.epoch,
                "history": self.history,
                "final": self.final,
                "stopped_reason": self.stopped_reason,
                "message": self.message,
                "elapsed": self.elapsed,
                "iterations_per_epoch": self.iterations_per_epoch,
                "total_steps": self.total_steps,
                "config": self.config,
            }
        )

    def to_json(self, path=None, indent: int | None = None) -> str:
        """Serialise :meth:`to_dict` as JSON; also write it to ``path`` if given."""
        text = json.dumps(self.to_dict(), indent=indent, allow_nan=False)
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    @classmethod
    def from_dict(cls, d: dict) -> History:
        """Rebuild a History from :meth:`to_dict` output."""
        h = cls(d.get("iterations_per_epoch", 1), d.get("total_steps", 0), d.get("config"))
        h.step = {k: list(d["step"].get(k, [])) for k in ("step", "loss")}
        h.evals = {k: list(d["evals"].get(k, [])) for k in EVAL_KEYS}
        h.stopped_reason = d.get("stopped_reason", "completed")
        h.message = d.get("message", "")
        h.elapsed = float(d.get("elapsed", 0.0))
        return h

    @classmethod
    def from_json(cls, text_or_path) -> History:
        """Rebuild a History from a JSON string or a path to a JSON file."""
        text = str(text_or_path)
        if not text.lstrip().startswith("{"):
            with open(text_or_path, encoding="utf-8") as f:
                text = f.read()
        return cls.from_dict(json.loads(text))

    def plot(self, **kw):
        """Plot the learning curves with :func:`mlplab.viz.plot_history` (matplotlib)."""
        from mlplab import viz  # lazy: the engine never imports viz at import time

        return viz.plot_history(self, **kw)

    def _repr_svg_(self):
        """Jupyter: the learning curves as SVG (None when nothing was evaluated or no matplotlib)."""
        if not len(self):
            return None
        try:
            import io

            fig = self.plot()
            buf = io.StringIO()
            fig.savefig(buf, format="svg")
        except Exception:  # noqa: BLE001 - a display hook must never raise
            return None
        return buf.getvalue()

    def _repr_html_(self):
        """Jupyter: the :meth:`__repr__` line, the per-epoch table and the curves (SVG)."""
        import html

        ep = self.epoch
        keys = [k for k in ("train_loss", "val_loss", "train_acc", "val_acc") if any(
            v is not None for v in ep[k])]  # fmt: skip
        cell = "<td style='text-align:right'>{}</td>".format
        rows = [
            "<tr>" + cell(e) + "".join(cell(_fmt4(ep[k][i])) for k in keys) + "</tr>"
            for i, e in enumerate(ep["epoch"])
        ]
        if len(rows) > 12:  # first 5 … last 5
            rows = rows[:5] + ["<tr><td>…</td></tr>"] + rows[-5:]
        head = "".join(f"<th>{k}</th>" for k in ["epoch", *keys])
        table = f"<table><tr>{head}</tr>{''.join(rows)}</table>" if rows else ""
        return f"<pre>{html.escape(repr(self))}</pre>{table}{self._repr_svg_() or ''}"


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        v = float(obj)
        return v if math.isfinite(v) else None
    if obj is None or isinstance(obj, str):
        return obj
    return repr(obj)


# --------------------------------------------------------------------------- Trainer
def _as_data(X, y, xname: str, yname: str, dtype) -> tuple[np.ndarray, np.ndarray]:
    """Validate and convert one (X, y) pair; errors name the argument."""
    X = np.asarray(X)
    if X.dtype.kind not in "biuf":
        raise DataError(f"{xname} must be a numeric array, got dtype {X.dtype}")
    if X.ndim != 2:
        hint = " (use X.reshape(-1, 1) for a single feature)" if X.ndim == 1 else ""
        raise ShapeError(f"{xname} must be 2-D with shape (N, D), got shape {X.shape}{hint}")
    if X.shape[0] == 0:
        raise DataError(f"{xname} is empty (0 rows)")
    ftype = np.dtype(dtype) if dtype is not None else None
    if ftype is None:
        ftype = X.dtype if X.dtype.kind == "f" else np.dtype(np.float64)
    X = np.ascontiguousarray(X, dtype=ftype)
    if not np.isfinite(X).all():
        r, c = np.argwhere(~np.isfinite(X))[0]
        raise DataError(f"{xname} contains NaN or inf (first at row {r}, column {c})")
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise DataError(f"{yname} must be a numeric array, got dtype {y.dtype}")
    if y.ndim not in (1, 2):
        raise ShapeError(f"{yname} must have shape (N,) or (N, C), got shape {y.shape}")
    if y.shape[0] != X.shape[0]:
        raise ShapeError(
            f"{xname} and {yname} must have the same number of rows, "
            f"got {X.shape[0]} and {y.shape[0]}"
        )
    if y.dtype.kind == "f":
        y = np.ascontiguousarray(y, dtype=ftype)
        if not np.isfinite(y).all():
            r = int(np.argwhere(~np.isfinite(y))[0][0])
            raise DataError(f"{yname} contains NaN or inf (first at row {r})")
    else:
        y = np.ascontiguousarray(y)
    return X, y


def _hook(cb, name):
    """The bound hook ``name`` of ``cb``, or None if it is missing or the empty default."""
    fn = getattr(cb, name, None)
    if fn is None or getattr(fn, "__func__", None) is getattr(Callback, name):
        return None
    return fn


def _fmt4(v) -> str:
    return "" if v is None else f"{float(v):.4g}"


def _fmt_num(v) -> str:
    v = float(v)
    return repr(v) if math.isfinite(v) else str(v)


class Trainer:
    """Mini-batch gradient descent with evaluation, history, callbacks and safety nets.

    Parameters
    ----------
    model : mlplab model
        Needs ``params``, ``gradient(x, t)``, ``loss(x, t, train=False)`` (and
        ``numerical_gradient``, ``accuracy``, ``train()``/``eval()`` when used).
    optimizer : str or optimizer, default "sgd"
        Anything :func:`mlplab.optim.get_optimizer` accepts.
    lr : float or callable, optional
        Learning rate (default: the optimizer's).  A callable ``schedule(step) -> lr``
        (e.g. :class:`mlplab.schedules.StepDecay`) becomes the optimizer's schedule: it is
        called before every update with the number of updates the optimizer has done.
    batch_size : int, default 100
        Rows per update (``>= 1``; larger than N means the whole set).
    epochs, iterations : int
        Give exactly one.  ``iterations`` is the number of updates; an epoch is
        :func:`mlplab.data.sampling.iterations_per_epoch` updates: ``ceil(N / batch_size)``
        for "shuffle", ``max(N // batch_size, 1)`` for "replace" (the seed notebook's
        ``int(len(y)/batch_size)*epoch`` and DLfS's ``iter_per_epoch``), 1 for "full".
    sampling : {"shuffle", "replace", "full"}
        Batch sampling (:class:`mlplab.data.sampling.BatchSampler`): a fresh permutation
        per epoch, independent draws with replacement (DLfS / the notebook), or the
        whole set every step.
    legacy_rng : bool, default False
        Draw batches exactly like ``np.random.seed(seed); np.random.choice(range(N), B)``
        (the seed notebook).  With ``batch_size >= N`` every step uses the whole set in
        order (any ``sampling``), as the notebook does.
    seed : int or numpy.random.Generator, optional
        Seed of the batch sampler (and of the ``eval_train_size`` subset).
    validation_data : tuple (X_val, y_val), optional
    eval_every : int, optional
        Evaluate every ``eval_every`` updates (1 = after every update, like the notebook).
    eval_on : {"epoch", "epoch_start", "step", "end"}, default "epoch"
        When ``eval_every`` is not given: after every epoch; after the first update of every
        epoch (DLfS's scripts: ``if i % iter_per_epoch == 0`` right after update i, so
        steps 1, 601, 1201, ... for 600 updates per epoch); after every update; or only at
        the end.  A final evaluation is always made if the last update was not evaluated.
    eval_train_size : int, optional
        Measure the training loss on a fixed random subset of this many rows (chosen
        once per fit) instead of the whole training set.
    gradient : {"backprop", "numerical"}
        ``model.gradient`` or ``model.numerical_gradient(x, t, h=h)`` (central
        differences, the seed notebook's method, which uses ``h=1e-7``).
    h : float, default 1e-4
        Step of the numerical gradient.
    callbacks : sequence of Callback
    progress : {"auto", True, False}
        ``"auto"``: a :class:`~mlplab.callbacks.ProgressBar` that appears once a run has
        lasted 1 s and only when stderr is a terminal.
    divergence : {"stop", "raise"}
        On a diverged loss or a NaN/inf parameter: restore the last good parameters and stop
        (``history.stopped_reason == "diverged"``), or also raise
        :class:`~mlplab.errors.DivergenceError`.
    divergence_factor : float or None, default 1e4
        A loss diverged when it is NaN/inf or larger than ``divergence_factor`` times its
        start, max(first loss, 1): a float64 run can climb to 1e38 without ever overflowing.
        ``None``: only NaN/inf.
    record_step_loss : bool, optional
        Record each update's batch loss with an extra forward pass (eval mode) when the
        model does not report it itself as ``model.last_loss``.  Default (None): only
        for ``gradient="numerical"``, where one more forward pass is negligible.

    Attributes
    ----------
    history : History
        Of the current / last fit.
    step : int
        Updates done so far in the current fit.
    stop_training : bool
        Set it (e.g. from a callback) to stop after the current step.
    """

    def __init__(
        self,
        model,
        optimizer="sgd",
        *,
        lr=None,
        batch_size=100,
        epochs=None,
        iterations=None,
        sampling="shuffle",
        legacy_rng=False,
        seed=None,
        validation_data=None,
        eval_every=None,
        eval_on="epoch",
        eval_train_size=None,
        gradient="backprop",
        h=1e-4,
        callbacks=(),
        progress="auto",
        divergence="stop",
        divergence_factor=1e4,
        record_step_loss=None,
    ):
        from mlplab.optim import get_optimizer

        for attr in ("params", "gradient", "loss"):
            if not hasattr(model, attr):
                raise MlplabTypeError(f"model must have .{attr} (an mlplab model), got {model!r}")
        self.model = model
        self.batch_size = check_int("batch_size", batch_size, 1)
        if (epochs is None) == (iterations is None):
            raise ConfigError(
                "give exactly one of epochs or iterations, "
                f"got epochs={epochs!r} and iterations={iterations!r}"
            )
        self.epochs = None if epochs is None else check_int("epochs", epochs, 1)
        self.iterations = None if iterations is None else check_int("iterations", iterations, 1)
        check_choice("sampling", sampling, ("shuffle", "replace", "full"))
        self.sampling = sampling
        self.legacy_rng = bool(legacy_rng)
        self.seed = seed
        self.validation_data = validation_data
        if validation_data is not None and (
            not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2
        ):
            raise ConfigError("validation_data must be a tuple (X_val, y_val)")
        check_choice("eval_on", eval_on, ("epoch", "epoch_start", "step", "end"))
        if eval_every is not None:
            eval_every = check_int("eval_every", eval_every, 1)
            if eval_on == "end":
                raise ConfigError("eval_every cannot be combined with eval_on='end'")
        elif eval_on == "step":
            eval_every = 1
        self.eval_every = eval_every
        self.eval_on = eval_on
        self.eval_train_size = (
            None if eval_train_size is None else check_int("eval_train_size", eval_train_size, 1)
        )
        check_choice("gradient", gradient, ("backprop", "numerical"))
        self.gradient = gradient
        if gradient == "numerical" and not hasattr(model, "numerical_gradient"):
            raise MlplabTypeError("gradient='numerical' needs model.numerical_gradient")
        self.h = check_positive("h", h)
        check_choice("progress", progress, ("auto", True, False))
        self.progress = progress
        check_choice("divergence", divergence, ("stop", "raise"))
        self.divergence = divergence
        if divergence_factor is not None:
            divergence_factor = check_positive("divergence_factor", divergence_factor)
            if divergence_factor <= 1:
                raise ConfigError(
                    f"divergence_factor must be a number > 1 or None, got {divergence_factor!r}"
                )
        self.divergence_factor = divergence_factor
        if record_step_loss is None:
            record_step_loss = gradient == "numerical"
        self.record_step_loss = bool(record_step_loss)

        schedule = None
        if callable(lr) and not isinstance(lr, (int, float)):
            schedule, lr = lr, None
        elif lr is not None:
            lr = check_positive("lr", lr)
        if isinstance(optimizer, str):
            self.optimizer = get_optimizer(optimizer, **({} if lr is None else {"lr": lr}))
        else:
            self.optimizer = get_optimizer(optimizer)
            if lr is not None:
                self.optimizer.lr = lr
        if schedule is not None:
            self.optimizer.schedule = schedule

        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not any(hasattr(cb, name) for name in ("on_train_begin", "on_eval", "on_step_end")):
                raise MlplabTypeError(f"callbacks must be Callback objects, got {cb!r}")
        if progress and not any(isinstance(cb, ProgressBar) for cb in self.callbacks):
            self.callbacks.append(
                ProgressBar(delay=1.0) if progress == "auto" else ProgressBar(delay=0.0, force=True)
            )

        self.history = History()
        self.step = 0
        self.stop_training = False
        self.stop_reason = None
        self.stop_message = None
        self.total_steps = 0
        self.iterations_per_epoch = 1

    # ---------------------------------------------------------------- helpers
    @property
    def lr(self):
        """Current learning rate of the optimizer."""
        return self.optimizer.lr

    @property
    def epoch(self) -> float:
        """Fractional epochs done: ``step / iterations_per_epoch``."""
        return self.step / max(self.iterations_per_epoch, 1)

    def config(self) -> dict:
        """The trainer settings as a JSON-able dict."""
        return {
            "optimizer": type(self.optimizer).__name__,
            "lr": None if self.optimizer.schedule is not None else _safe_float(self.optimizer.lr),
            "lr_schedule": None
            if self.optimizer.schedule is None
            else repr(self.optimizer.schedule),
            "batch_size": self.batch_size,
            "epochs": self.epochs,
            "iterations": self.iterations,
            "sampling": self.sampling,
            "legacy_rng": self.legacy_rng,
            "seed": self.seed if isinstance(self.seed, (int, type(None))) else repr(self.seed),
            "eval_every": self.eval_every,
            "eval_on": self.eval_on,
            "eval_train_size": self.eval_train_size,
            "gradient": self.gradient,
            "h": self.h,
            "divergence": self.divergence,
            "divergence_factor": self.divergence_factor,
        }

    def _is_classifier(self) -> bool:
        head = getattr(self.model, "head", None)
        return bool(getattr(head, "is_classifier", False)) and hasattr(self.model, "accuracy")

    def _measure(self, X, y) -> tuple[float, float | None]:
        """Mean loss (and accuracy) over all rows, in chunks of at most EVAL_CHUNK rows."""
        model, n = self.model, X.shape[0]
        if n <= EVAL_CHUNK:
            loss = float(model.loss(X, y, train=False))
            acc = float(model.accuracy(X, y)) if self._classify else None
        else:
            loss_sum, acc_sum = 0.0, 0.0
            for i in range(0, n, EVAL_CHUNK):
                xc, yc = X[i : i + EVAL_CHUNK], y[i : i + EVAL_CHUNK]
                loss_sum += float(model.loss(xc, yc, train=False)) * xc.shape[0]
                if self._classify:
                    acc_sum += float(model.accuracy(xc, yc)) * xc.shape[0]
            loss, acc = loss_sum / n, (acc_sum / n if self._classify else None)
        if acc is not None and math.isnan(acc):
            acc = None
        return loss, acc

    def _set_mode(self, train: bool) -> None:
        fn = getattr(self.model, "train" if train else "eval", None)
        if callable(fn):
            fn()

    def _evaluate(self) -> bool:
        """Evaluate at the current step; record and dispatch.  False if diverged."""
        self._set_mode(False)
        try:
            train_loss, train_acc = self._measure(self._Xe, self._ye)
            val_loss = val_acc = None
            if self._Xv is not None:
                val_loss, val_acc = self._measure(self._Xv, self._yv)
        finally:
            self._set_mode(True)
        self._last_eval_step = self.step
        if self._diverged(train_loss):
            self._diverge(self.step, "training loss", train_loss)
            return False
        for k, p in self.model.params.items():
            s = float(np.sum(p))  # inf/nan anywhere makes the sum non-finite; no temporaries
            if not math.isfinite(s):
                self._diverge(self.step, f"parameter {k}", s)
                return False
        if not self._per_step_check:
            self._snap.save(self.model.params, self.step)
        logs = {
            "step": self.step,
            "epoch": self.epoch,
            "train_loss": train_loss,
            "val_loss": val_loss,
            "train_acc": train_acc,
            "val_acc": val_acc,
        }
        for k in EVAL_KEYS:
            self.history.evals[k].append(logs[k])
        self._last_eval_logs = logs
        for cb in self.callbacks:
            fn = _hook(cb, "on_eval")
            if fn is not None:
                fn(self, dict(logs))
        return True

    def _diverged(self, loss: float) -> bool:
        """True if ``loss`` is NaN/inf or over ``divergence_factor`` × max(first loss, 1)."""
        if not math.isfinite(loss):
            return True
        if self.divergence_factor is None:
            return False
        if self._loss_start is None:  # the first loss measured sets the scale
            self._loss_start = loss
        return loss > self.divergence_factor * max(abs(self._loss_start), 1.0)

    def _diverge(self, step: int, what: str, value: float) -> None:
        """Restore the last good parameters, record why, and stop (or raise)."""
        self._snap.restore(self.model.params)
        good = self._snap.step
        if math.isfinite(value):
            v = (
                f"{value:.3g}, over {self.divergence_factor:g} times its start "
                f"({self._loss_start:.3g}),"
            )
        else:
            v = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
        if good == 0 and step <= 1 and what == "loss":
            msg = (
                f"loss is {v} at the initial parameters (step 1): "
                "check the data, the loss and the initialization"
            )
        else:
            msg = (
                f"{what} became {v} at step {step} (lr={_fmt_num(self.optimizer.lr)}): "
                f"parameters restored to step {good}; lower the learning rate"
            )
        self.stop_training = True
        self.stop_reason = "diverged"
        self.stop_message = msg
        if self.divergence == "raise":
            self._raise_divergence = msg

    # ---------------------------------------------------------------- fit
    def fit(self, X, y) -> History:
        """Train ``model`` on ``(X, y)``; returns the :class:`History`.

        Parameters
        ----------
        X : array_like, shape (N, D)
        y : array_like, shape (N,) integer labels or (N, C) one-hot / targets

        Returns
        -------
        History
            Also available as ``trainer.history``.  Ctrl-C ends training cleanly
            (``stopped_reason == "interrupted"``).

        Raises
        ------
        DataError, ShapeError
            Bad data (the message names the argument).
        DivergenceError
            Only with ``divergence="raise"``; ``err.history`` holds the history.
        """
        from mlplab.data.sampling import BatchSampler

        model = self.model
        dtype = getattr(model, "dtype", None)
        X, y = _as_data(X, y, "X", "y", dtype)
        self._Xv = self._yv = None
        if self.validation_data is not None:
            Xv, yv = _as_data(
                self.validation_data[0],
                self.validation_data[1],
                "validation_data[0] (X_val)",
                "validation_data[1] (y_val)",
                X.dtype,
            )
            if Xv.shape[1:] != X.shape[1:]:
                raise ShapeError(
                    f"validation_data[0] (X_val) must have {X.shape[1]} columns like X, "
                    f"got shape {Xv.shape}"
                )
            self._Xv, self._yv = Xv, yv
        n = X.shape[0]

        mode = self.sampling
        if self.batch_size >= n:
            mode = "full"  # as BatchSampler does (and the notebook: list(range(len(y))))
        sampler = BatchSampler(
            n, self.batch_size, mode=mode, seed=self.seed, legacy=self.legacy_rng
        )
        ipe = int(sampler.iterations_per_epoch)
        self.iterations_per_epoch = ipe
        self.total_steps = self.epochs * ipe if self.epochs is not None else self.iterations

        # training-set evaluation rows: all, or a fixed random subset
        self._Xe, self._ye = X, y
        if self.eval_train_size is not None and self.eval_train_size < n:
            if isinstance(self.seed, (np.random.Generator, np.random.RandomState)):
                rng = self.seed
            elif isinstance(self.seed, (int, np.integer)):
                rng = np.random.default_rng([int(self.seed), 1])  # independent of the batches
            else:
                rng = np.random.default_rng(self.seed)
            sub = np.sort(rng.choice(n, self.eval_train_size, replace=False))
            self._Xe, self._ye = X[sub], y[sub]

        self._classify = self._is_classifier()
        self.history = History(ipe, self.total_steps, self.config())
        self.step = 0
        self.stop_training = False
        self.stop_reason = None
        self.stop_message = None
        self._raise_divergence = None
        self._loss_start = None
        self._last_eval_step = None
        self._last_eval_logs = None
        self._in_update = False
        params = model.params
        self._snap = ParamSnapshot(params)
        self._snap.save(params, 0)

        use_last_loss = self.gradient == "backprop" and hasattr(model, "last_loss")
        self._per_step_check = use_last_loss or self.record_step_loss
        step_cbs = [fn for fn in (_hook(cb, "on_step_end") for cb in self.callbacks) if fn]
        epoch_cbs = [fn for fn in (_hook(cb, "on_epoch_end") for cb in self.callbacks) if fn]

        t0 = time.perf_counter()
        self._set_mode(True)
        try:
            for cb in self.callbacks:
                fn = _hook(cb, "on_train_begin")
                if fn is not None:
                    fn(self)
            # NaN/inf are detected and reported by _diverge; numpy's warnings add only noise
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                self._loop(X, y, sampler, mode, use_last_loss, step_cbs, epoch_cbs)
                if (
                    not self.stop_reason == "diverged"
                    and self.step > 0
                    and self._last_eval_step != self.step
                ):
                    self._evaluate()
        except KeyboardInterrupt:
            self.stop_reason = "interrupted"
            msg = f"interrupted by the user at step {self.step}"
            if self._in_update:
                if self._snap.step == self.step:
                    self._snap.restore(params)
                    msg += f" (during an update; parameters restored to step {self.step})"
                else:
                    msg += " (during an update; parameters may be partially updated)"
            self.stop_message = msg
        finally:
            h = self.history
            h.elapsed = time.perf_counter() - t0
            h.stopped_reason = self.stop_reason or (
                "callback" if self.stop_training else "completed"
            )
            if h.stopped_reason == "completed":
                h.message = (
                    f"completed {self.step} steps ({self.epoch:g} epochs) in {h.elapsed:.2f} s"
                )
            else:
                h.message = self.stop_message or f"stopped by a callback at step {self.step}"
            self._set_mode(False)
            for cb in self.callbacks:
                fn = _hook(cb, "on_train_end")
                if fn is not None:
                    fn(self)
        if self._raise_divergence is not None:
            err = DivergenceError(self._raise_divergence)
            err.history = self.history
            raise err
        return self.history

    run = fit

    def _loop(self, X, y, sampler, mode, use_last_loss, step_cbs, epoch_cbs) -> None:
        model, opt, params = self.model, self.optimizer, self.model.params
        total, ipe = self.total_steps, self.iterations_per_epoch
        hist_step, hist_loss = self.history.step["step"], self.history.step["loss"]
        eval_every = self.eval_every
        eval_epoch = eval_every is None and self.eval_on == "epoch"
        eval_start = eval_every is None and self.eval_on == "epoch_start"
        if self.gradient == "numerical":
            h = self.h

            def grad_fn(xb, tb):
                return model.numerical_gradient(xb, tb, h=h)
        else:
            grad_fn = model.gradient
        # what the optimizer updates: the named arrays, or -- for a packed model and an
        # element-wise update -- θ and ∂θ as one parameter (backward writes into ∂θ)
        packed = (
            self.gradient == "backprop"
            and getattr(model, "theta", None) is not None
            and opt.elementwise
        )
        if packed:
            theta, dtheta = {"theta": model.theta}, {"theta": model.dtheta}
        full = mode == "full"
        if not full:  # batch buffers: no new arrays per step (np.take(..., out=))
            xbuf = np.empty((self.batch_size,) + X.shape[1:], dtype=X.dtype)
            ybuf = np.empty((self.batch_size,) + y.shape[1:], dtype=y.dtype)
        epoch = 0
        while self.step < total and not self.stop_training:
            if mode == "replace":  # exactly `ipe` independent draws per pass
                batches = (sampler.draw() for _ in range(ipe))
            else:
                batches = sampler.epoch()
            in_pass = 0
            for idx in batches:
                s = self.step + 1
                if full:
                    xb, tb = X, y
                else:
                    m = len(idx)
                    xb, tb = xbuf[:m], ybuf[:m]
                    np.take(X, idx, axis=0, out=xb, mode="clip")
                    np.take(y, idx, axis=0, out=tb, mode="clip")
                grads = grad_fn(xb, tb)
                loss = None
                if use_last_loss:
                    loss = model.last_loss
                elif self.record_step_loss:
                    loss = model.loss(xb, tb, train=False)
                if loss is not None:
                    loss = float(loss)
                    hist_step.append(s)
                    hist_loss.append(loss)
                    if self._diverged(loss):
                        self._diverge(s, "loss", loss)
                        return
                    self._snap.save(params, self.step)  # these params gave a good loss
                self._in_update = True
                if packed:
                    opt.update(theta, dtheta)
                else:
                    opt.update(params, grads)
                self._in_update = False
                self.step = s
                in_pass += 1
                if step_cbs:
                    logs = {"step": s, "epoch": s / ipe, "loss": loss, "lr": opt.lr}
                    for fn in step_cbs:
                        fn(self, s, logs)
                if (eval_every is not None and s % eval_every == 0) or (
                    eval_start and in_pass == 1
                ):
                    if not self._evaluate():
                        return
                if self.stop_training or s >= total:
                    break
            if in_pass < ipe:  # stopped in the middle of a pass
                break
            epoch += 1
            if eval_epoch and self._last_eval_step != self.step:
                if not self._evaluate():
                    return
            if epoch_cbs:
                logs = {"step": self.step, "epoch": epoch}
                if self._last_eval_step == self.step and self._last_eval_logs:
                    logs.update(self._last_eval_logs, epoch=epoch)
                for fn in epoch_cbs:
                    fn(self, epoch, logs)


def _safe_float(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None
