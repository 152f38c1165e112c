"""Training callbacks: early stopping, checkpoints, progress bar, CSV log, lambdas.

A callback is an object with (any of) five hooks that :class:`mlplab.train.Trainer` calls:

============================================  ===============================================
``on_train_begin(trainer)``                   once, before the first update
``on_step_end(trainer, step, logs)``          after every update (``logs``: step, epoch,
                                              loss (batch loss or None), lr)
``on_eval(trainer, logs)``                    after every evaluation (``logs``: step, epoch,
                                              train_loss, val_loss, train_acc, val_acc)
``on_epoch_end(trainer, epoch, logs)``        after every full pass (``logs``: the last
                                              evaluation of that epoch, if any)
``on_train_end(trainer)``                     once, also after early stop, divergence and
                                              Ctrl-C
============================================  ===============================================

Any hook may set ``trainer.stop_training = True``; training then ends after the current
step (a final evaluation is run if the last step was not evaluated).  Set
``trainer.stop_reason`` too to say why (default ``"callback"``).

Hooks only cost time when a callback overrides them: the trainer does not call the
empty base-class ``on_step_end`` in its hot loop.
"""

from __future__ import annotations

import math
import os
import sys
import time

import numpy as np

from mlplab.errors import ConfigError, check_choice, check_int, check_positive
from mlplab.fileio import atomic_path

__all__ = [
    "Callback",
    "EarlyStopping",
    "ModelCheckpoint",
    "ProgressBar",
    "LambdaCallback",
    "CSVLogger",
    "ParamSnapshot",
    "atomic_save_model",
    "resolve_metric",
    "EVAL_KEYS",
]

#: Keys of an evaluation record (``History.evals`` and ``on_eval`` logs).
EVAL_KEYS = ("step", "epoch", "train_loss", "val_loss", "train_acc", "val_acc")

_METRIC_ALIASES = {
    "loss": "train_loss",
    "train_loss": "train_loss",
    "val_loss": "val_loss",
    "acc": "train_acc",
    "accuracy": "train_acc",
    "train_acc": "train_acc",
    "train_accuracy": "train_acc",
    "val_acc": "val_acc",
    "val_accuracy": "val_acc",
}


def resolve_metric(name: str, mode: str = "auto") -> tuple[str, str]:
    """Map a metric name (Keras spellings accepted) to ``(eval_key, "min" | "max")``.

    Parameters
    ----------
    name : str
        ``"val_loss"``, ``"train_loss"`` / ``"loss"``, ``"val_acc"`` / ``"val_accuracy"``,
        ``"train_acc"`` / ``"acc"`` / ``"accuracy"``.
    mode : {"auto", "min", "max"}
        ``"auto"`` means ``"max"`` for accuracies and ``"min"`` for losses.
    """
    check_choice("mode", mode, ("auto", "min", "max"))
    if name not in _METRIC_ALIASES:
        check_choice("monitor", name, tuple(_METRIC_ALIASES))
    key = _METRIC_ALIASES[name]
    if mode == "auto":
        mode = "max" if key.endswith("_acc") else "min"
    return key, mode


def _improved(value: float, best: float | None, mode: str, min_delta: float) -> bool:
    """True if ``value`` beats ``best`` by more than ``min_delta`` in direction ``mode``."""
    if value is None or not math.isfinite(value):
        return False
    if best is None:
        return True
    return value < best - min_delta if mode == "min" else value > best + min_delta


class Callback:
    """Base class: every hook does nothing.  Override the ones you need."""

    def on_train_begin(self, trainer) -> None:  # noqa: B027 - intentionally empty hook
        """Called once before the first update."""

    def on_step_end(self, trainer, step: int, logs: dict) -> None:  # noqa: B027
        """Called after every update; ``step`` counts updates from 1."""

    def on_eval(self, trainer, logs: dict) -> None:  # noqa: B027
        """Called after every evaluation with the evaluation record."""

    def on_epoch_end(self, trainer, epoch: int, logs: dict) -> None:  # noqa: B027
        """Called after every full pass over the data; ``epoch`` counts from 1."""

    def on_train_end(self, trainer) -> None:  # noqa: B027
        """Called once when training ends, whatever the reason."""


class ParamSnapshot:
    """Copies of a model's parameter arrays, to restore later (the last good parameters,
    the best ones): ``save(params, step)`` copies into preallocated arrays (``np.copyto``, no
    new arrays per save), ``restore(params)`` copies back in place; ``step`` is the saved step."""

    def __init__(self, params: dict):
        self.buf = {k: np.empty_like(v) for k, v in params.items()}
        self.step: int | None = None

    def save(self, params: dict, step: int) -> None:
        for k, v in params.items():
            np.copyto(self.buf[k], v)
        self.step = step

    def restore(self, params: dict) -> None:
        for k, v in params.items():
            np.copyto(v, self.buf[k])


class EarlyStopping(Callback):
    """Stop when a monitored metric has not improved for ``patience`` evaluations.

    Parameters
    ----------
    monitor : str, default "val_loss"
        Evaluation metric (see :func:`resolve_metric`).
    mode : {"auto", "min", "max"}
    patience : int, default 5
        Stop after this many evaluations in a row without improvement (Keras semantics;
        with the default ``eval_on="epoch"`` an evaluation is an epoch).
    min_delta : float, default 0.0
        An improvement must exceed this much.
    restore_best : bool, default True
        At the end of training copy back the parameters of the best evaluation.

    Attributes
    ----------
    best : float or None
    best_step, best_epoch : int or None
    stopped_step : int or None
        Step at which it stopped training (None if it did not).
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        mode: str = "auto",
        patience: int = 5,
        min_delta: float = 0.0,
        restore_best: bool = True,
    ):
        self.monitor = monitor
        self.key, self.mode = resolve_metric(monitor, mode)
        self.patience = check_int("patience", patience, 0)
        self.min_delta = check_positive("min_delta", min_delta, allow_zero=True)
        self.restore_best = bool(restore_best)
        self._buffer: ParamSnapshot | None = None

    def on_train_begin(self, trainer) -> None:
        self.best = None
        self.best_step = None
        self.best_epoch = None
        self.wait = 0
        self.stopped_step = None
        self._buffer = ParamSnapshot(trainer.model.params) if self.restore_best else None

    def on_eval(self, trainer, logs: dict) -> None:
        value = logs.get(self.key)
        if value is None:
            raise ConfigError(
                f"EarlyStopping monitor={self.monitor!r} is not measured in this run; "
                "pass validation_data or monitor='train_loss'"
            )
        if _improved(value, self.best, self.mode, self.min_delta):
            self.best, self.best_step, self.best_epoch = value, logs["step"], logs["epoch"]
            self.wait = 0
            if self._buffer is not None:
                self._buffer.save(trainer.model.params, logs["step"])
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_step = logs["step"]
            trainer.stop_training = True
            trainer.stop_reason = "early_stopping"
            msg = (
                f"{self.monitor} did not improve for {self.wait} evaluations; "
                f"stopped at step {logs['step']}"
            )
            if self.restore_best and self.best_step is not None:
                msg += f", restored best parameters from step {self.best_step} "
                msg += f"({self.monitor}={self.best:.6g})"
            trainer.stop_message = msg

    def on_train_end(self, trainer) -> None:
        if (
            self._buffer is not None
            and self._buffer.step is not None
            and trainer.history.stopped_reason != "interrupted"
        ):
            self._buffer.restore(trainer.model.params)


def atomic_save_model(model, path) -> str:
    """Save ``model`` to ``path`` (``.npz``) so that a crash never leaves a broken file.

    The model is written to a temporary file in the same directory, flushed to disk
    (``os.fsync``) and then moved over ``path`` with ``os.replace`` (atomic on POSIX and
    Windows).  If anything fails the temporary file is removed and the previous file at
    ``path`` is untouched.

    Returns
    -------
    str
        The path written (``".npz"`` appended if missing, as ``numpy.savez`` does).
    """
    path = os.fspath(path)
    if not path.endswith(".npz"):
        path += ".npz"
    with atomic_path(path, suffix=".tmp.npz") as tmp:  # even a save that fails halfway is safe
        model.save(tmp)
    return path


class ModelCheckpoint(Callback):
    """Save the model (``model.save``, ``.npz``) during training, atomically.

    Parameters
    ----------
    path : str or path-like
        Target file.  May contain ``str.format`` fields ``{step}``, ``{epoch}`` and any
        evaluation key, e.g. ``"ckpt/model-{epoch:03.0f}-{val_loss:.3f}.npz"``.
    monitor : str, default "val_loss"
        Metric for ``save_best_only``.
    save_best_only : bool, default False
        Only save when ``monitor`` improves (mode chosen as in :class:`EarlyStopping`).
    every : int, default 1
        Consider saving at every ``every``-th evaluation.
    mode : {"auto", "min", "max"}

    Attributes
    ----------
    saved : list of str
        Paths written, in order.
    """

    def __init__(self, path, monitor="val_loss", save_best_only=False, every=1, mode="auto"):
        self.path = os.fspath(path)
        self.monitor = monitor
        self.key, self.mode = resolve_metric(monitor, mode)
        self.save_best_only = bool(save_best_only)
        self.every = check_int("every", every, 1)
        self.saved: list[str] = []

    def on_train_begin(self, trainer) -> None:
        self._count = 0
        self.best = None

    def on_eval(self, trainer, logs: dict) -> None:
        self._count += 1
        if self._count % self.every:
            return
        if self.save_best_only:
            value = logs.get(self.key)
            if value is None:
                raise ConfigError(
                    f"ModelCheckpoint monitor={self.monitor!r} is not measured in this run; "
                    "pass validation_data or monitor='train_loss'"
                )
            if not _improved(value, self.best, self.mode, 0.0):
                return
            self.best = value
        self.saved.append(atomic_save_model(trainer.model, self._format(logs)))

    def _format(self, logs: dict) -> str:
        """The path for ``logs``; a whole epoch is an integer (``model-{epoch}`` -> model-1)."""
        if "{" not in self.path:
            return self.path
        fields = {k: v for k, v in logs.items() if v is not None}
        epoch = fields.get("epoch")
        if isinstance(epoch, float) and epoch.is_integer():
            fields["epoch"] = int(epoch)
        try:
            return self.path.format(**fields)
        except KeyError as exc:
            raise ConfigError(
                f"ModelCheckpoint path {self.path!r} names {exc.args[0]!r}, which is not "
                f"measured; available: {', '.join(sorted(fields))}"
            ) from None
        except (ValueError, IndexError) as exc:
            raise ConfigError(f"ModelCheckpoint path {self.path!r}: {exc}") from None


class ProgressBar(Callback):
    """A progress bar drawn by ``tqdm``: ``step/total``, the last batch loss, elapsed and ETA.

    A line redrawn in place in a terminal; in Jupyter (with ``ipywidgets``) a widget, drawn by
    ``tqdm.auto``.  By default (``Trainer(progress="auto")``) the bar shows only in a terminal;
    ``progress=True`` (``force``) shows it anywhere, in a notebook too.

    Parameters
    ----------
    stream : file-like, optional
        Where to draw a text bar (default: stderr, or the notebook's widget in Jupyter).
    delay : float, default 1.0
        Seconds after the start of training before the bar first appears (short runs
        stay silent).
    force : bool, default False
        Show even when ``stream`` is not a terminal (or under pytest).
    min_interval : float, default 0.1
        Seconds between redraws.
    """

    def __init__(self, stream=None, delay=1.0, force=False, min_interval=0.1):
        self.stream = stream
        self.delay = check_positive("delay", delay, allow_zero=True)
        self.force = bool(force)
        self.min_interval = check_positive("min_interval", min_interval, allow_zero=True)
        self._bar = None

    def _enabled(self) -> bool:
        if self.force:
            return True
        if "PYTEST_CURRENT_TEST" in os.environ:
            return False
        isatty = getattr(self.stream or sys.stderr, "isatty", None)
        return bool(isatty and isatty())

    def on_train_begin(self, trainer) -> None:
        self._bar = None
        if not self._enabled():
            return
        if self.stream is None and _jupyter_widgets():
            from tqdm.auto import tqdm  # Jupyter: a widget, not lines of text
        else:
            from tqdm import tqdm
        self._bar = tqdm(
            total=max(int(trainer.total_steps), 1),
            file=self.stream,
            delay=self.delay,
            mininterval=self.min_interval,
            unit="step",
            dynamic_ncols=self.stream is None,
        )
        self._loss_shown = -math.inf  # perf_counter of the last loss shown

    def on_step_end(self, trainer, step: int, logs: dict) -> None:
        bar = self._bar
        if bar is None:
            return
        now = time.perf_counter()
        if logs.get("loss") is not None and now - self._loss_shown >= self.min_interval:
            self._loss_shown = now
            bar.set_postfix_str(f"loss {logs['loss']:.4g}", refresh=False)
        bar.update(step - bar.n)

    def on_train_end(self, trainer) -> None:
        if self._bar is not None:
            self._bar.update(trainer.step - self._bar.n)
            self._bar.close()
            self._bar = None


def _jupyter_widgets() -> bool:
    """True inside a Jupyter kernel that can draw ipywidgets (tqdm.auto's notebook bar)."""
    import importlib.util

    return "ipykernel" in sys.modules and importlib.util.find_spec("ipywidgets") is not None


def _csv_cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return str(int(v))
    return repr(float(v))


_HOOKS = ("on_train_begin", "on_step_end", "on_eval", "on_epoch_end", "on_train_end")


class LambdaCallback(Callback):
    """A callback from plain functions: ``LambdaCallback(on_eval=lambda tr, logs: ...)``.

    Keyword names must be hook names (``on_train_begin``, ``on_step_end``, ``on_eval``,
    ``on_epoch_end``, ``on_train_end``); each function takes the same arguments as the
    hook.
    """

    def __init__(self, **hooks):
        for name, fn in hooks.items():
            check_choice("LambdaCallback hook", name, _HOOKS)
            if not callable(fn):
                raise ConfigError(f"LambdaCallback {name} must be callable, got {fn!r}")
            setattr(self, name, fn)


class CSVLogger(Callback):
    """Write one CSV row per evaluation: step, epoch, train_loss, val_loss, train_acc, val_acc.

    Empty cells mean "not measured".  The file is flushed after every row, so it can be
    watched while training runs.

    Parameters
    ----------
    path : str or path-like
    append : bool, default False
        Append to an existing file (no second header) instead of overwriting it.
    separator : str, default ","
    """

    def __init__(self, path, append=False, separator=","):
        self.path = os.fspath(path)
        self.append = bool(append)
        self.sep = separator
        self._f = None

    def on_train_begin(self, trainer) -> None:
        exists = os.path.exists(self.path) and os.path.getsize(self.path) > 0
        self._f = open(self.path, "a" if self.append else "w", encoding="utf-8", newline="")
        if not (self.append and exists):
            self._f.write(self.sep.join(EVAL_KEYS) + "\n")
            self._f.flush()

    def on_eval(self, trainer, logs: dict) -> None:
        cells = [_csv_cell(logs.get(k)) for k in EVAL_KEYS]
        self._f.write(self.sep.join(cells) + "\n")
        self._f.flush()

    def on_train_end(self, trainer) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None
