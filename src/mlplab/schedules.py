"""Learning-rate schedules: ``lr(t)`` for the ``t``-th update (``t = 0, 1, 2, ...``).

A schedule is any callable ``step -> lr``.  An optimizer given one (``Optimizer(schedule=...)``,
``Trainer(lr=schedule)``) sets ``lr = schedule(t)`` at the start of every update, ``t`` counting
the updates done so far, so the first update uses ``schedule(0)``.  This is the one place a
schedule is applied.

============  =====================================================  ==========================
name          lr(t)                                                  also known as
============  =====================================================  ==========================
constant      lr                                                     no schedule
step          lr · gamma^⌊t / step_size⌋                             PyTorch ``StepLR``
exponential   lr · decay_rate^(t / decay_steps)  (⌊·⌋ if staircase)  Keras ``ExponentialDecay``
cosine        min_lr + (lr − min_lr)·(1 + cos(π·min(t, T)/T))/2      Loshchilov & Hutter 2017
inverse_time  lr / (1 + decay · t)                                   Keras 2 / NNFS ``decay``
============  =====================================================  ==========================
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping

from .errors import ConfigError, MlplabTypeError, check_int, check_positive
from .factory import canonical_name, check_arguments, split_spec

__all__ = [
    "SCHEDULE_NAMES",
    "Schedule",
    "ConstantLR",
    "StepDecay",
    "ExponentialDecay",
    "CosineDecay",
    "InverseTimeDecay",
    "get_schedule",
    "schedule_arguments",
]

SCHEDULE_NAMES = ("constant", "step", "exponential", "cosine", "inverse_time")


class Schedule:
    """Base class: ``schedule(step) -> lr`` for ``step = 0, 1, 2, ...`` (updates done so far)."""

    name = "schedule"

    def __call__(self, step: int) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def _params(self) -> dict:
        return {}

    def config(self) -> dict:
        """JSON-able dict; ``get_schedule(s.config())`` rebuilds the schedule."""
        return {"name": self.name, **self._params()}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({args})"


class ConstantLR(Schedule):
    """``lr(t) = lr``."""

    name = "constant"

    def __init__(self, lr: float):
        self.lr = check_positive("lr", lr)

    def __call__(self, step: int) -> float:
        return self.lr

    def _params(self) -> dict:
        return {"lr": self.lr}


class StepDecay(Schedule):
    """Piecewise constant: ``lr(t) = lr * gamma ** floor(t / step_size)``.

    Parameters
    ----------
    lr : float
        Initial learning rate (> 0).
    step_size : int
        Number of updates between two drops (>= 1).
    gamma : float
        Factor of each drop, in ``(0, 1]``.
    """

    name = "step"

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1):
        self.lr = check_positive("lr", lr)
        self.step_size = check_int("step_size", step_size, 1)
        self.gamma = check_positive("gamma", gamma)
        if self.gamma > 1.0:
            raise ConfigError(f"gamma must be a number in (0, 1], got {gamma!r}")

    def __call__(self, step: int) -> float:
        return self.lr * self.gamma ** (int(step) // self.step_size)

    def _params(self) -> dict:
        return {"lr": self.lr, "step_size": self.step_size, "gamma": self.gamma}


class ExponentialDecay(Schedule):
    """Keras ``ExponentialDecay``: ``lr(t) = lr * decay_rate ** (t / decay_steps)``.

    With ``staircase=True`` the exponent is ``floor(t / decay_steps)``.

    Parameters
    ----------
    lr : float
        Initial learning rate (> 0).
    decay_rate : float
        Factor per ``decay_steps`` updates, in ``(0, 1]``.
    decay_steps : int or float
        Updates per factor (> 0).
    """

    name = "exponential"

    def __init__(self, lr: float, decay_rate: float, decay_steps: float, staircase: bool = False):
        self.lr = check_positive("lr", lr)
        self.decay_rate = check_positive("decay_rate", decay_rate)
        if self.decay_rate > 1.0:
            raise ConfigError(f"decay_rate must be a number in (0, 1], got {decay_rate!r}")
        self.decay_steps = check_positive("decay_steps", decay_steps)
        self.staircase = bool(staircase)

    def __call__(self, step: int) -> float:
        p = step / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return self.lr * self.decay_rate**p

    def _params(self) -> dict:
        return {
            "lr": self.lr,
            "decay_rate": self.decay_rate,
            "decay_steps": self.decay_steps,
            "staircase": self.staircase,
        }


class CosineDecay(Schedule):
    """Cosine annealing (Loshchilov & Hutter 2017, without restarts):

    ``lr(t) = min_lr + (lr - min_lr) * (1 + cos(pi * min(t, T) / T)) / 2`` with
    ``T = total_steps``; it stays at ``min_lr`` after ``T`` updates.
    """

    name = "cosine"

    def __init__(self, lr: float, total_steps: int, min_lr: float = 0.0):
        self.lr = check_positive("lr", lr)
        self.total_steps = check_int("total_steps", total_steps, 1)
        self.min_lr = check_positive("min_lr", min_lr, allow_zero=True)
        if self.min_lr > self.lr:
            raise ConfigError(f"min_lr must be in [0, lr={self.lr}], got {min_lr!r}")

    def __call__(self, step: int) -> float:
        t = min(int(step), self.total_steps)
        cos = 0.5 * (1.0 + math.cos(math.pi * t / self.total_steps))
        return self.min_lr + (self.lr - self.min_lr) * cos

    def _params(self) -> dict:
        return {"lr": self.lr, "total_steps": self.total_steps, "min_lr": self.min_lr}


class InverseTimeDecay(Schedule):
    """``lr(t) = lr / (1 + decay * t)``: the ``decay`` argument of Keras 2 optimizers and of
    NNFS's optimizers (``Adam(learning_rate=0.05, decay=5e-5)``)."""

    name = "inverse_time"

    def __init__(self, lr: float, decay: float):
        self.lr = check_positive("lr", lr)
        self.decay = check_positive("decay", decay, allow_zero=True)

    def __call__(self, step: int) -> float:
        return self.lr / (1.0 + self.decay * step)

    def _params(self) -> dict:
        return {"lr": self.lr, "decay": self.decay}


_SCHEDULES: dict[str, type[Schedule]] = {
    "constant": ConstantLR,
    "step": StepDecay,
    "exponential": ExponentialDecay,
    "cosine": CosineDecay,
    "inverse_time": InverseTimeDecay,
}
_SCHEDULE_ALIASES = {
    "none": "constant",
    "constantlr": "constant",
    "stepdecay": "step",
    "exponentialdecay": "exponential",
    "exp": "exponential",
    "cosinedecay": "cosine",
    "inversetime": "inverse_time",
    "inversetimedecay": "inverse_time",
}


def schedule_arguments(name: str) -> dict[str, bool]:
    """The arguments of schedule ``name`` other than ``lr``: ``{argument: required}``.

    >>> schedule_arguments("step")
    {'step_size': True, 'gamma': False}
    """
    params = inspect.signature(_SCHEDULES[name].__init__).parameters
    return {
        a: p.default is inspect.Parameter.empty
        for a, p in params.items()
        if a not in ("self", "lr")
    }


def get_schedule(spec, **kw) -> Schedule | Callable[[int], float]:
    """Build a learning-rate schedule.

    Parameters
    ----------
    spec : Schedule, callable, str or dict
        A :class:`Schedule` or any callable ``step -> lr`` (returned as is); a name from
        :data:`SCHEDULE_NAMES` (``"none"`` means constant) with its arguments in ``kw``; or a
        dict ``{"name": ..., **arguments}`` (``kw`` overrides its entries).

    Raises
    ------
    ConfigError
        Unknown name or arguments, or bad values.
    """
    if isinstance(spec, Schedule) or (callable(spec) and not isinstance(spec, (str, Mapping))):
        if kw:
            raise ConfigError("schedule keyword arguments need a name or dict spec, not an object")
        return spec
    name, args = split_spec(
        spec, kw, "schedule", SCHEDULE_NAMES, "a name, dict or callable step -> lr"
    )
    key = canonical_name(name)
    key = _SCHEDULE_ALIASES.get(key.replace("_", ""), key)
    if key not in _SCHEDULES:
        raise ConfigError(f"schedule must be one of {', '.join(SCHEDULE_NAMES)}; got {name!r}")
    if "learning_rate" in args and "lr" not in args:
        args["lr"] = args.pop("learning_rate")
    allowed = ["lr", *schedule_arguments(key)]
    check_arguments("schedule", key, args, allowed)
    try:
        return _SCHEDULES[key](**args)
    except TypeError as e:  # missing required argument
        if isinstance(e, MlplabTypeError):
            raise
        raise ConfigError(
            f"schedule {key!r} needs the arguments {', '.join(allowed)}; got {sorted(args)}"
        ) from None
