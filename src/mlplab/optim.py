"""Optimizers, learning-rate schedules and gradient clipping.

Every optimizer follows the DLfS interface ``update(params, grads)``: ``params`` and ``grads``
are dicts ``name -> ndarray`` with equal shapes per key (``W1`` of shape ``(n_in, n_out)``,
``b1`` of shape ``(n_out,)`` ...).  ``update`` changes the arrays of ``params`` **in place**
(``params[k] -= ...`` on the very array objects the layers hold), for every key present in
``grads``.  Per-key state (velocities, squared-gradient accumulators, moments) is created
lazily the first time a key is seen, with that parameter's shape and dtype, so float32
models stay float32.

One call of ``update`` does, in this order:

1. **gradient clipping** -- ``clipvalue=v`` clips every gradient element to ``[-v, v]``;
   ``clipnorm=c`` rescales *all* gradients together by ``c / ||g||`` when their global L2
   norm ``||g|| = sqrt(sum_k sum(g_k**2))`` exceeds ``c`` (like
   ``torch.nn.utils.clip_grad_norm_``).  Keras 2 (``Adam(lr=0.0001, clipnorm=1.)`` on the
   slides, seed 003) clips each tensor by its own norm instead; pass
   ``clip_per_tensor=True`` for that behaviour.
2. **decay terms added to the gradient** -- L2 ``weight_decay * W`` and L1 ``l1 * sign(W)``,
   only for the keys selected by ``decay_keys`` (default: names starting with ``"W"``, i.e.
   weights, not biases / ``gamma`` / ``beta``; this is DLfS's choice, quirk A5.3).
3. **the update rule** of the optimizer (formulas in each class docstring).

The caller's gradient arrays are never modified.  The learning rate ``lr`` is a plain
(validated) attribute that may change between updates; if a ``schedule`` is set, ``lr`` is
overwritten at the start of each update with ``schedule(iterations)`` (``iterations`` counts
the updates done so far, so the first update uses ``schedule(0)``).

Checkpoints: ``state_dict()`` returns a flat dict of numbers, strings and arrays that
``np.savez`` can store and ``np.load(..., allow_pickle=False)`` can read back;
``load_state_dict`` restores it.  ``config()`` is JSON-able and
``get_optimizer(opt.config())`` rebuilds an equivalent (fresh) optimizer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

from .errors import (
    CheckpointError,
    ConfigError,
    MlplabTypeError,
    ShapeError,
    check_positive,
    split_spec,
)

__all__ = [
    "OPTIMIZER_NAMES",
    "SCHEDULE_NAMES",
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSprop",
    "Adam",
    "AMSGrad",
    "get_optimizer",
    "Schedule",
    "ConstantLR",
    "StepDecay",
    "ExponentialDecay",
    "CosineDecay",
    "InverseTimeDecay",
    "get_schedule",
    "clip_by_global_norm",
    "clip_by_value",
]

OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "amsgrad")
SCHEDULE_NAMES = ("constant", "step", "exponential", "cosine", "inverse_time")


# --------------------------------------------------------------------------------------------
# argument checks
# --------------------------------------------------------------------------------------------


def _check_unit(name: str, value) -> float:
    """Return ``value`` as float if it lies in ``[0, 1)`` (momentum, rho, beta1, beta2)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise MlplabTypeError(f"{name} must be a number in [0, 1), got {value!r}")
    v = float(value)
    if not (0.0 <= v < 1.0):
        raise ConfigError(f"{name} must be a number in [0, 1), got {value!r}")
    return v


def _check_optional_positive(name: str, value) -> float | None:
    if value is None:
        return None
    return check_positive(name, value)


# --------------------------------------------------------------------------------------------
# clipping helpers
# --------------------------------------------------------------------------------------------


def _sq_norm(g: np.ndarray) -> float:
    """``sum(g**2)`` without a temporary; rescaled retry if float32 squares overflow."""
    s = float(np.vdot(g, g).real) if g.size else 0.0
    if not math.isfinite(s) and np.all(np.isfinite(g)):
        big = float(np.max(np.abs(g)))
        r = np.asarray(g, dtype=np.float64) / big
        s = big * big * float(np.vdot(r, r))
    return s


def _values(grads):
    return list(grads.values()) if isinstance(grads, Mapping) else list(grads)


def _rebuild(grads, arrays):
    if isinstance(grads, Mapping):
        return dict(zip(grads.keys(), arrays))
    return type(grads)(arrays) if isinstance(grads, (list, tuple)) else list(arrays)


def clip_by_global_norm(grads, max_norm: float):
    """Rescale all gradients together so that their global L2 norm is at most ``max_norm``.

    Parameters
    ----------
    grads : dict of name -> ndarray, or list/tuple of ndarrays
        Gradients of any shapes; not modified.
    max_norm : float
        Threshold ``c > 0``.

    Returns
    -------
    (new_grads, norm) : (same container type, float)
        ``new_grads[k] = g_k * min(1, c / ||g||)`` (always new arrays) with
        ``||g|| = sqrt(sum_k sum(g_k**2))``, and ``norm`` the norm *before* clipping
        (``torch.nn.utils.clip_grad_norm_`` semantics, without its ``1e-6``).
    """
    c = check_positive("max_norm", max_norm)
    arrays = [np.asarray(g) for g in _values(grads)]
    norm = math.sqrt(sum(_sq_norm(g) for g in arrays))
    scale = c / norm if norm > c else 1.0
    return _rebuild(grads, [g * scale for g in arrays]), norm


def clip_by_value(grads, clipvalue: float):
    """Clip every gradient element to ``[-clipvalue, clipvalue]`` (Keras ``clipvalue``).

    Parameters
    ----------
    grads : dict of name -> ndarray, or list/tuple of ndarrays
        Not modified.
    clipvalue : float
        ``v > 0``.

    Returns
    -------
    Same container type with new arrays ``np.clip(g, -v, v)``.
    """
    v = check_positive("clipvalue", clipvalue)
    return _rebuild(grads, [np.clip(np.asarray(g), -v, v) for g in _values(grads)])


# --------------------------------------------------------------------------------------------
# learning-rate schedules
# --------------------------------------------------------------------------------------------


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
        from .errors import check_int

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
        from .errors import check_int

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


_SCHEDULES = {
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


def _norm_name(s: str) -> str:
    return s.strip().lower().replace("-", "_").replace(" ", "_")


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
    key = _norm_name(name)
    key = _SCHEDULE_ALIASES.get(key.replace("_", ""), key)
    if key not in _SCHEDULES:
        raise ConfigError(f"schedule must be one of {', '.join(SCHEDULE_NAMES)}; got {name!r}")
    cls = _SCHEDULES[key]
    import inspect

    allowed = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    if "learning_rate" in args and "lr" not in args:
        args["lr"] = args.pop("learning_rate")
    for a in args:
        if a not in allowed:
            raise ConfigError(
                f"unknown argument {a!r} for schedule {key!r}; allowed: {', '.join(allowed)}"
            )
    try:
        return cls(**args)
    except TypeError as e:  # missing required argument
        if isinstance(e, MlplabTypeError):
            raise
        raise ConfigError(
            f"schedule {key!r} needs the arguments {', '.join(allowed)}; got {sorted(args)}"
        ) from None


# --------------------------------------------------------------------------------------------
# optimizers
# --------------------------------------------------------------------------------------------


class Optimizer:
    """Base class: clipping, decay terms, schedule, state handling.  Subclasses define the rule.

    Parameters
    ----------
    lr : float
        Learning rate (> 0).  Settable at any time (``opt.lr = 0.05``).
    clipnorm : float, optional
        Global-norm clipping threshold (> 0); per tensor if ``clip_per_tensor``.
    clipvalue : float, optional
        Element-wise clipping to ``[-clipvalue, clipvalue]`` (> 0).
    clip_per_tensor : bool
        ``True``: Keras-2 ``clipnorm`` (each tensor clipped by its own L2 norm).
    weight_decay : float
        L2 coefficient ``lambda >= 0``: adds ``lambda * W`` to the gradient (the gradient of
        ``0.5 * lambda * sum(W**2)``, DLfS ``weight_decay_lambda``).  This is coupled L2, not
        AdamW's decoupled decay.
    l1 : float
        L1 coefficient ``>= 0``: adds ``l1 * sign(W)`` to the gradient.
    decay_keys : None, "weights", "all", list of str, or callable name -> bool
        Keys the decay terms apply to.  ``None``/``"weights"``: names starting with ``"W"``.
    schedule : Schedule, callable step -> lr, str or dict, optional
        If set, ``lr = schedule(iterations)`` at the start of every update (a name/dict without
        ``lr`` uses this optimizer's ``lr`` as the initial value).

    Attributes
    ----------
    iterations : int
        Number of ``update`` calls so far.
    state : dict of name -> dict of slot -> ndarray
        Per-key state, e.g. ``state["W1"]["v"]``.
    """

    name = "optimizer"
    _slots: tuple[str, ...] = ()
    elementwise = False  # True: _apply may run on all parameters concatenated (see _packed)

    def __init__(
        self,
        lr: float = 0.01,
        *,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        clip_per_tensor: bool = False,
        weight_decay: float = 0.0,
        l1: float = 0.0,
        decay_keys=None,
        schedule=None,
    ):
        self.lr = lr
        self.clipnorm = _check_optional_positive("clipnorm", clipnorm)
        self.clipvalue = _check_optional_positive("clipvalue", clipvalue)
        self.clip_per_tensor = bool(clip_per_tensor)
        self.weight_decay = check_positive("weight_decay", weight_decay, allow_zero=True)
        self.l1 = check_positive("l1", l1, allow_zero=True)
        self.decay_keys = decay_keys
        self.schedule = schedule
        self.iterations = 0
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.steps: dict[str, int] = {}  # per-key update counts (Adam's bias correction)
        self._scratch: dict[str, list] = {}
        self._fast: dict[str, tuple] = {}  # key -> (param array, its state, its temp buffer)
        self._plan: tuple | None = None  # what the last checked update saw (see _fast_items)

    # -- attributes with validation ----------------------------------------------------------

    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, value) -> None:
        self._lr = check_positive("lr", value)

    @property
    def decay_keys(self):
        return self._decay_keys

    @decay_keys.setter
    def decay_keys(self, value) -> None:
        if value is None or value == "weights":
            sel = _starts_with_w
        elif value == "all":
            sel = _always
        elif callable(value) and not isinstance(value, str):
            sel = value
        elif isinstance(value, (list, tuple, set, frozenset)) and all(
            isinstance(k, str) for k in value
        ):
            names = frozenset(value)
            value = sorted(names)

            def sel(k, _names=names):
                return k in _names

        else:
            raise ConfigError(
                "decay_keys must be None/'weights' (names starting with 'W'), 'all', a list of "
                f"names or a callable name -> bool; got {value!r}"
            )
        self._decay_keys = value
        self._decay_sel = sel
        self._decay_cache: dict[str, bool] = {}

    @property
    def schedule(self):
        return self._schedule

    @schedule.setter
    def schedule(self, value) -> None:
        if value is None:
            self._schedule = None
            return
        if isinstance(value, str):
            value = {"name": value}
        if isinstance(value, Mapping):
            value = get_schedule({"lr": self.lr, **value})
        elif not callable(value):
            raise MlplabTypeError(
                f"schedule must be None, a name, a dict or a callable step -> lr, got {value!r}"
            )
        self._schedule = value

    def _decays(self, key: str) -> bool:
        d = self._decay_cache.get(key)
        if d is None:
            d = self._decay_cache[key] = bool(self._decay_sel(key))
        return d

    # -- the update --------------------------------------------------------------------------

    def update(self, params: dict, grads: dict) -> None:
        """Update ``params[k]`` in place for every key ``k`` of ``grads``.

        Parameters
        ----------
        params : dict of name -> ndarray (floating)
            Parameters, changed in place (never rebound).
        grads : dict of name -> ndarray
            Gradients, same shape as the parameter of the same name; not modified.
        """
        if self._schedule is not None:
            self._lr = float(self._schedule(self.iterations))
        fast = self._fast_items(params, grads)
        if fast is not None:  # same keys and arrays as the last checked call: skip the checks
            self.iterations += 1
            steps = self.steps
            packed = self._plan[3]
            if packed is not None:  # all parameters are one vector θ: one rule call for all
                for item in fast:
                    steps[item[0]] += 1
                self._apply(fast[0][0], *packed[:4])
                return
            for k, w, g, st, tmp in fast:
                steps[k] += 1
                self._apply(k, w, g, st, tmp)
            return
        items = []
        for k, g in grads.items():
            try:
                w = params[k]
            except KeyError:
                raise ConfigError(
                    f"grads has key {k!r} that params lacks; params has {', '.join(map(str, params))}"
                ) from None
            if not isinstance(w, np.ndarray) or w.dtype.kind != "f":
                raise MlplabTypeError(
                    f"params[{k!r}] must be a floating numpy array (updated in place), got "
                    f"{type(w).__name__}{'' if not isinstance(w, np.ndarray) else ' ' + str(w.dtype)}"
                )
            if type(g) is not np.ndarray:
                g = np.asarray(g)
            if g.shape != w.shape:
                raise ShapeError(f"grads[{k!r}] has shape {g.shape}, params[{k!r}] has {w.shape}")
            items.append((k, w, g))

        # (1) clipping: one scale factor per key (global or per tensor)
        scales = None
        if self.clipnorm is not None:
            c = self.clipnorm
            if self.clip_per_tensor:
                scales = []
                for _, _, g in items:
                    n = math.sqrt(_sq_norm(g))
                    scales.append(c / n if n > c else 1.0)
            else:
                n = math.sqrt(sum(_sq_norm(g) for _, _, g in items))
                s = c / n if n > c else 1.0
                scales = [s] * len(items)

        self.iterations += 1
        fast = self._fast
        for i, (k, w, g) in enumerate(items):
            c = fast.get(k)
            if c is None or c[0] is not w:  # new key or a new array object: (re)check state
                c = fast[k] = (w, self._get_state(k, w), self._tmp(k, w, 1))
            self.steps[k] = self.steps.get(k, 0) + 1
            g = self._effective_grad(k, w, g, 1.0 if scales is None else scales[i])
            self._apply(k, w, g, c[1], c[2])
        plain = scales is None and self.clipvalue is None and not (self.weight_decay or self.l1)
        packed = self._packed(items) if plain and self.elementwise and items else None
        self._plan = (params, tuple(grads), [(k, w) + fast[k][1:] for k, w, _ in items], packed)

    def _packed(self, items) -> tuple | None:
        """``(θ, ∂θ, state, tmp, grads)`` when the update can run on whole vectors, else None.

        That is when the parameters are, in order, consecutive views of one vector θ and the
        gradients of one vector ∂θ (a packed model, :meth:`mlplab.model.Sequential.pack`) and
        every key has had the same number of updates.  The rules are element-wise, so one
        rule call on θ computes exactly what one call per key does.  The state (``v``, ``m``,
        ...) is moved into one vector per slot as well; ``state[k][slot]`` stays a view of it.
        """
        keys = [k for k, _, _ in items]
        theta = _whole_vector([w for _, w, _ in items])
        dtheta = _whole_vector([g for _, _, g in items])
        if theta is None or dtheta is None or dtheta.dtype != theta.dtype:
            return None
        if len({self.steps[k] for k in keys}) != 1:
            return None
        state = _NO_STATE
        if self._slots:
            state = {}
            for slot in self._slots:
                parts = [self.state[k][slot] for k in keys]
                flat = _whole_vector(parts)
                if flat is None or flat.dtype != theta.dtype:
                    flat = np.concatenate([a.ravel() for a in parts]).astype(theta.dtype)
                    off = 0
                    for k, a in zip(keys, parts):  # the per-key state becomes views of flat
                        self.state[k][slot] = flat[off : off + a.size].reshape(a.shape)
                        off += a.size
                state[slot] = flat
        grads = tuple(g for _, _, g in items)
        return theta, dtheta, state, np.empty_like(theta), grads

    def _fast_items(self, params: dict, grads: dict) -> list | None:
        """``[(k, w, g, state, tmp), ...]`` when this call may skip ``update``'s checks, else None.

        After a fully checked call, ``_plan`` remembers the params dict, the key order of
        ``grads`` and each key's parameter array, state and scratch buffer.  The next call may
        skip the per-key checks and bookkeeping (about 1 µs per key, most of a 2-3-1 net's
        update) when nothing changed: no clipping or decay, the same dict with the same array
        objects, and gradients that are arrays of the parameters' shapes.  Anything else (a new
        key, a replaced array, a list instead of an array) returns None and takes the checked
        path, which also raises the errors.
        """
        plan = self._plan
        if (
            plan is None
            or plan[0] is not params
            or self.clipnorm is not None
            or self.clipvalue is not None
            or self.weight_decay
            or self.l1
            or tuple(grads) != plan[1]
        ):
            return None
        out = []
        for k, w, st, tmp in plan[2]:
            g = grads[k]
            if params[k] is not w or type(g) is not np.ndarray or g.shape != w.shape:
                return None
            out.append((k, w, g, st, tmp))
        packed = plan[3]
        if packed is not None and not all(a is b for (_, _, a, _, _), b in zip(out, packed[4])):
            return None  # other gradient arrays than the views of ∂θ: re-plan
        return out

    def _effective_grad(self, k: str, w: np.ndarray, g: np.ndarray, scale: float) -> np.ndarray:
        """Steps (1)-(2): clipped gradient plus decay terms, in a scratch buffer if changed."""
        decay = (self.weight_decay or self.l1) and self._decays(k)
        if scale == 1.0 and self.clipvalue is None and not decay:
            return g  # the caller's array; rules only read it
        buf = self._tmp(k, w, 0)
        if scale != 1.0:
            np.multiply(g, scale, out=buf)
        else:
            np.copyto(buf, g)
        if self.clipvalue is not None:
            np.clip(buf, -self.clipvalue, self.clipvalue, out=buf)
        if decay:
            tmp = self._tmp(k, w, 1)  # free until the rule runs
            if self.weight_decay:
                np.multiply(w, self.weight_decay, out=tmp)
                buf += tmp
            if self.l1:
                np.sign(w, out=tmp)
                tmp *= self.l1
                buf += tmp
        return buf

    def _apply(self, k, w, g, st, tmp) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- state -------------------------------------------------------------------------------

    def _get_state(self, k: str, w: np.ndarray) -> dict:
        if not self._slots:
            return _NO_STATE
        st = self.state.get(k)
        if st is None or st[self._slots[0]].shape != w.shape:
            # new key, or the parameter changed shape (e.g. a neuron added): start afresh
            st = self.state[k] = {s: np.zeros_like(w) for s in self._slots}
            self.steps[k] = 0
        elif st[self._slots[0]].dtype != w.dtype:
            for s in self._slots:
                st[s] = st[s].astype(w.dtype)
        return st

    def _tmp(self, k: str, w: np.ndarray, i: int) -> np.ndarray:
        bufs = self._scratch.get(k)
        if bufs is None:
            bufs = self._scratch[k] = [None, None]
        b = bufs[i]
        if b is None or b.shape != w.shape or b.dtype != w.dtype:
            b = bufs[i] = np.empty_like(w)
        return b

    def reset(self) -> None:
        """Forget all state and set ``iterations`` to 0 (hyperparameters and ``lr`` are kept)."""
        self.iterations = 0
        self.state.clear()
        self.steps.clear()
        self._scratch.clear()
        self._fast.clear()
        self._plan = None

    def state_dict(self) -> dict:
        """Flat dict for ``np.savez``: ``name``, ``iterations``, ``lr``, ``state/<slot>/<key>``
        arrays and ``step/<key>`` counts.  Arrays are copies."""
        out: dict = {"name": self.name, "iterations": int(self.iterations), "lr": float(self.lr)}
        for k, st in self.state.items():
            for s, arr in st.items():
                out[f"state/{s}/{k}"] = arr.copy()
            out[f"step/{k}"] = int(self.steps.get(k, 0))
        return out

    def load_state_dict(self, sd: Mapping) -> None:
        """Restore what :meth:`state_dict` returned (also after an ``np.savez``/``np.load`` trip).

        Raises
        ------
        CheckpointError
            Missing entries, another optimizer's state, or unknown slots.
        """
        try:
            name = str(np.asarray(sd["name"]).item()) if "name" in sd else self.name
            iterations = int(np.asarray(sd["iterations"]).item())
            lr = float(np.asarray(sd["lr"]).item())
        except (KeyError, TypeError, ValueError) as e:
            raise CheckpointError(f"optimizer state needs name, iterations and lr ({e})") from None
        if name != self.name:
            raise CheckpointError(
                f"optimizer state is for {name!r}, this optimizer is {self.name!r}"
            )
        state: dict[str, dict[str, np.ndarray]] = {}
        steps: dict[str, int] = {}
        for key, val in sd.items():
            if key.startswith("state/"):
                parts = key.split("/", 2)
                if len(parts) != 3 or parts[1] not in self._slots:
                    raise CheckpointError(
                        f"unknown optimizer state entry {key!r}; {self.name} has slots "
                        f"{', '.join(self._slots) or '(none)'}"
                    )
                state.setdefault(parts[2], {})[parts[1]] = np.array(val, copy=True)
            elif key.startswith("step/"):
                steps[key[5:]] = int(np.asarray(val).item())
        for k, st in state.items():
            if set(st) != set(self._slots):
                raise CheckpointError(f"optimizer state for {k!r} lacks slots of {self.name}")
        self.iterations = iterations
        self._lr = lr
        self.state = state
        self.steps = {k: steps.get(k, 0) for k in state}
        self._scratch = {}
        self._fast = {}
        self._plan = None

    # -- description -------------------------------------------------------------------------

    def _params(self) -> dict:
        return {}

    def config(self) -> dict:
        """JSON-able description; ``get_optimizer(opt.config())`` rebuilds a fresh copy."""
        dk = self._decay_keys
        if callable(dk) and not isinstance(dk, str):
            dk = f"<callable {getattr(dk, '__name__', type(dk).__name__)}>"
        sched = self._schedule
        if sched is not None:
            sched = (
                sched.config()
                if isinstance(sched, Schedule)
                else f"<callable {getattr(sched, '__name__', type(sched).__name__)}>"
            )
        return {
            "name": self.name,
            "lr": self.lr,
            **self._params(),
            "clipnorm": self.clipnorm,
            "clipvalue": self.clipvalue,
            "clip_per_tensor": self.clip_per_tensor,
            "weight_decay": self.weight_decay,
            "l1": self.l1,
            "decay_keys": dk,
            "schedule": sched,
        }

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in {"lr": self.lr, **self._params()}.items())
        return f"{type(self).__name__}({args})"


_NO_STATE: dict = {}


def _whole_vector(arrays) -> np.ndarray | None:
    """The 1-D array that ``arrays`` tile exactly, in order, as C-contiguous views; else None."""
    base = arrays[0].base if arrays else None
    if type(base) is not np.ndarray or base.ndim != 1 or not base.flags.c_contiguous:
        return None
    start = pos = base.__array_interface__["data"][0]
    for a in arrays:
        if a.base is not base or a.dtype != base.dtype or not a.flags.c_contiguous:
            return None
        if a.__array_interface__["data"][0] != pos:
            return None
        pos += a.nbytes
    return base if pos == start + base.nbytes else None


def _starts_with_w(k: str) -> bool:
    return str(k).startswith("W")


def _always(k: str) -> bool:
    return True


class SGD(Optimizer):
    """Plain (stochastic) gradient descent: ``w <- w - lr * g``.

    Same as DLfS ``SGD(lr=0.01)`` and Keras ``SGD(lr=0.01)`` without momentum.
    """

    name = "sgd"
    elementwise = True

    def __init__(self, lr: float = 0.01, **kw):
        super().__init__(lr, **kw)

    def _apply(self, k, w, g, st, tmp) -> None:
        np.multiply(g, self._lr, out=tmp)
        w -= tmp


class Momentum(Optimizer):
    """Momentum SGD (DLfS form)::

        v <- momentum * v - lr * g
        w <- w + v

    ``v`` starts at 0.  Identical to DLfS ``Momentum(lr=0.01, momentum=0.9)`` and to Keras 2
    ``SGD(lr=0.01, momentum=0.9)`` (the slides, seed 003).  ``momentum`` in ``[0, 1)``.
    """

    name = "momentum"
    elementwise = True
    _slots = ("v",)

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, **kw):
        super().__init__(lr, **kw)
        self.momentum = _check_unit("momentum", momentum)

    def _apply(self, k, w, g, st, tmp) -> None:
        v = st["v"]
        v *= self.momentum
        np.multiply(g, self._lr, out=tmp)
        v -= tmp
        w += v

    def _params(self) -> dict:
        return {"momentum": self.momentum}


class Nesterov(Optimizer):
    """Nesterov accelerated gradient, in the form of Bengio et al. (2012, arXiv:1212.0901)::

        v <- momentum * v - lr * g
        w <- w + momentum * v - lr * g          # v is the *new* v

    The default (``variant="dlfs"``) is DLfS's ``Nesterov`` as its code reads today (since the
    2021 commit "Fix Nesterov update function"), which writes the same step with the *old* v::

        w <- w + momentum**2 * v - (1 + momentum) * lr * g;   then  v <- momentum * v - lr * g

    It is also Keras 2 ``SGD(momentum=m, nesterov=True)`` and PyTorch's ``SGD(nesterov=True)``
    (``variant="keras"`` is accepted as another name for it).

    ``variant="dlfs_2016"`` is DLfS's code before that fix, kept to replay old runs: it updates
    v first and then uses the *new* v in the step, so a step is
    ``momentum**3 * v_old - (1 + momentum + momentum**2) * lr * g``::

        v <- momentum * v - lr * g
        w <- w + momentum**2 * v - (1 + momentum) * lr * g
    """

    name = "nesterov"
    elementwise = True
    _slots = ("v",)
    VARIANTS = ("dlfs", "keras", "dlfs_2016")

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, variant: str = "dlfs", **kw):
        super().__init__(lr, **kw)
        self.momentum = _check_unit("momentum", momentum)
        if variant not in self.VARIANTS:
            raise ConfigError(
                f"variant must be one of {', '.join(map(repr, self.VARIANTS))}; got {variant!r}"
            )
        self.variant = variant

    def _apply(self, k, w, g, st, tmp) -> None:
        m, lr = self.momentum, self._lr
        v = st["v"]
        v *= m
        np.multiply(g, lr, out=tmp)
        v -= tmp  # v = m·v − lr·g;  tmp = lr·g
        if self.variant == "dlfs_2016":
            tmp *= 1.0 + m
            w -= tmp  # w −= (1 + m)·lr·g
            np.multiply(v, m * m, out=tmp)
            w += tmp  # w += m²·v (the new v)
        else:
            w -= tmp  # w −= lr·g
            np.multiply(v, m, out=tmp)
            w += tmp  # w += m·v

    def _params(self) -> dict:
        return {"momentum": self.momentum, "variant": self.variant}


class AdaGrad(Optimizer):
    """AdaGrad (Duchi et al. 2011)::

        h <- h + g**2
        w <- w - lr * g / (sqrt(h) + eps)

    ``h`` starts at 0.  DLfS ``AdaGrad(lr=0.01)`` hard-codes ``eps = 1e-7`` (our default);
    the slides' Keras 2 call is ``Adagrad(lr=0.01, epsilon=1e-6)``.
    """

    name = "adagrad"
    elementwise = True
    _slots = ("h",)

    def __init__(self, lr: float = 0.01, eps: float = 1e-7, **kw):
        super().__init__(lr, **kw)
        self.eps = check_positive("eps", eps)

    def _apply(self, k, w, g, st, tmp) -> None:
        h = st["h"]
        np.multiply(g, g, out=tmp)
        h += tmp
        _step_rms(w, g, h, tmp, self._lr, self.eps)

    def _params(self) -> dict:
        return {"eps": self.eps}


def _step_rms(w, g, h, tmp, lr, eps) -> None:
    """``w -= lr * g / (sqrt(h) + eps)`` using ``tmp`` as the only temporary."""
    np.sqrt(h, out=tmp)
    tmp += eps
    np.divide(g, tmp, out=tmp)
    tmp *= lr
    w -= tmp


class RMSprop(Optimizer):
    """RMSprop (Tieleman & Hinton 2012)::

        h <- rho * h + (1 - rho) * g**2
        w <- w - lr * g / (sqrt(h) + eps)

    Defaults are Keras's ``RMSprop(lr=0.001, rho=0.9)`` (slides: ``epsilon=1e-06``; Keras 2's
    ``epsilon=None`` means 1e-7, our default).  DLfS's ``RMSprop(lr=0.01, decay_rate=0.99)``
    is the same formula with other defaults: use ``RMSprop(lr=0.01, rho=0.99)``
    (``get_optimizer`` also accepts ``decay_rate=``).
    """

    name = "rmsprop"
    elementwise = True
    _slots = ("h",)

    def __init__(self, lr: float = 0.001, rho: float = 0.9, eps: float = 1e-7, **kw):
        super().__init__(lr, **kw)
        self.rho = _check_unit("rho", rho)
        self.eps = check_positive("eps", eps)

    def _apply(self, k, w, g, st, tmp) -> None:
        h = st["h"]
        h *= self.rho
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - self.rho
        h += tmp
        _step_rms(w, g, h, tmp, self._lr, self.eps)

    def _params(self) -> dict:
        return {"rho": self.rho, "eps": self.eps}


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) in the Keras-2 / DLfS form, bias correction folded into lr::

        t   <- t + 1                                   (per key: updates of this parameter)
        m   <- beta1 * m + (1 - beta1) * g
        v   <- beta2 * v + (1 - beta2) * g**2
        lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)
        w   <- w - lr_t * m / (sqrt(v) + eps)

    With ``amsgrad=True`` (Reddi et al. 2018, Keras 2 ``amsgrad``) the denominator uses
    ``vhat <- max(vhat, v)`` instead of ``v``.

    Defaults: Keras ``Adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None -> 1e-7)`` and
    DLfS ``Adam(lr=0.001, beta1=0.9, beta2=0.999)`` (eps hard-coded 1e-7).  DLfS writes the
    moment updates as ``m += (1 - beta1) * (g - m)`` (algebraically equal) and counts ``t``
    per optimizer rather than per key (equal when every key is updated at every step).
    Note the folded form puts ``eps`` outside the bias correction, unlike the paper's
    ``m_hat / (sqrt(v_hat) + eps)``; the two differ only through ``eps``.
    """

    name = "adam"
    elementwise = True

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-7,
        amsgrad: bool = False,
        **kw,
    ):
        super().__init__(lr, **kw)
        self.beta1 = _check_unit("beta1", beta1)
        self.beta2 = _check_unit("beta2", beta2)
        self.eps = check_positive("eps", eps)
        self.amsgrad = bool(amsgrad)
        self._slots = ("m", "v", "vhat") if self.amsgrad else ("m", "v")
        if self.amsgrad:
            self.name = "amsgrad"

    def _apply(self, k, w, g, st, tmp) -> None:
        b1, b2 = self.beta1, self.beta2
        t = self.steps[k]
        lr_t = self._lr * math.sqrt(1.0 - b2**t) / (1.0 - b1**t)
        m, v = st["m"], st["v"]
        m *= b1
        np.multiply(g, 1.0 - b1, out=tmp)
        m += tmp
        v *= b2
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - b2
        v += tmp
        if self.amsgrad:
            den = st["vhat"]
            np.maximum(den, v, out=den)
        else:
            den = v
        np.sqrt(den, out=tmp)
        tmp += self.eps
        np.divide(m, tmp, out=tmp)
        tmp *= lr_t
        w -= tmp

    def _params(self) -> dict:
        p = {"beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}
        if type(self) is Adam:
            p["amsgrad"] = self.amsgrad
        return p


class AMSGrad(Adam):
    """Adam with ``amsgrad=True``: ``vhat <- max(vhat, v)``; ``w -= lr_t * m / (sqrt(vhat) + eps)``."""

    name = "amsgrad"

    def __init__(
        self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-7, **kw
    ):
        super().__init__(lr, beta1, beta2, eps, amsgrad=True, **kw)


# --------------------------------------------------------------------------------------------
# factory
# --------------------------------------------------------------------------------------------

_CLASSES: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSprop,
    "adam": Adam,
    "amsgrad": AMSGrad,
}
_NAME_ALIASES = {"nag": "nesterov", "momentumsgd": "momentum"}
_COMMON = (
    "lr",
    "clipnorm",
    "clipvalue",
    "clip_per_tensor",
    "weight_decay",
    "l1",
    "decay_keys",
    "schedule",
)
_OWN = {
    "sgd": (),
    "momentum": ("momentum",),
    "nesterov": ("momentum", "variant"),
    "adagrad": ("eps",),
    "rmsprop": ("rho", "eps"),
    "adam": ("beta1", "beta2", "eps", "amsgrad"),
    "amsgrad": ("beta1", "beta2", "eps"),
}
# Keras / DLfS spellings -> ours ("decay" and SGD's "momentum"/"nesterov" are handled apart)
_KW_ALIASES = {
    "learning_rate": "lr",
    "epsilon": "eps",
    "beta_1": "beta1",
    "beta_2": "beta2",
    "decay_rate": "rho",
    "weight_decay_lambda": "weight_decay",
}


def get_optimizer(spec="sgd", **kw) -> Optimizer:
    """Build an optimizer from a name, a dict or an object.

    Parameters
    ----------
    spec : Optimizer, str or dict
        An :class:`Optimizer` (returned as is; ``kw`` must then be empty); a name from
        :data:`OPTIMIZER_NAMES` (case-insensitive, ``"nag"`` = nesterov); or a dict
        ``{"name": ..., **arguments}`` such as :meth:`Optimizer.config` returns.
    **kw
        Constructor arguments (override the dict's).  Keras / DLfS spellings are accepted:
        ``learning_rate`` (lr), ``epsilon`` (eps; ``None`` means the default 1e-7),
        ``beta_1``/``beta_2``, ``decay_rate`` (RMSprop rho, DLfS), ``weight_decay_lambda``,
        ``decay`` (Keras 2 / NNFS learning-rate decay -> ``InverseTimeDecay(lr, decay)``),
        and for ``"sgd"``: ``momentum=m`` (``m > 0`` gives :class:`Momentum`) and
        ``nesterov=True`` (:class:`Nesterov`: Keras's formula, also DLfS's today).
        ``"adam"`` with ``amsgrad=True`` gives :class:`AMSGrad`.

    Raises
    ------
    ConfigError
        Unknown name or argument (the message lists the allowed ones), or a value out of
        range (the message names the argument and the range).
    """
    if isinstance(spec, Optimizer):
        if kw:
            raise ConfigError(
                f"cannot apply arguments {sorted(kw)} to an existing {type(spec).__name__}; "
                "pass a name or dict instead"
            )
        return spec
    name, args = split_spec(
        spec, kw, "optimizer", OPTIMIZER_NAMES, "a name, a dict or an Optimizer"
    )
    key = _norm_name(name).replace("_", "")
    key = _NAME_ALIASES.get(key, key)
    if key not in _CLASSES:
        raise ConfigError(f"optimizer must be one of {', '.join(OPTIMIZER_NAMES)}; got {name!r}")

    # spellings
    for alias, ours in _KW_ALIASES.items():
        if alias in args:
            if ours in args:
                raise ConfigError(f"give either {alias!r} or {ours!r}, not both")
            if alias == "decay_rate" and key != "rmsprop":
                raise ConfigError(f"decay_rate is an RMSprop argument (rho), not one of {key!r}")
            args[ours] = args.pop(alias)
    if "eps" in args and args["eps"] is None:
        del args["eps"]
    if "decay" in args:
        decay = args.pop("decay")
        if decay is not None and decay != 0:
            if args.get("schedule") is not None:
                raise ConfigError("give either decay (inverse-time lr decay) or schedule, not both")
            lr0 = args.get("lr", _default_lr(key))
            args["schedule"] = InverseTimeDecay(lr0, decay)
        elif decay is not None:
            check_positive("decay", decay, allow_zero=True)
    if key == "sgd":
        nesterov = bool(args.pop("nesterov", False))
        m = args.pop("momentum", 0.0)
        m = _check_unit("momentum", m)
        if nesterov:
            key = "nesterov"
            args["momentum"] = m
        elif m > 0:
            key = "momentum"
            args["momentum"] = m
    elif key == "adam" and args.get("amsgrad"):
        key = "amsgrad"
        del args["amsgrad"]
    elif key == "amsgrad" and "amsgrad" in args:
        if not args.pop("amsgrad"):
            raise ConfigError("amsgrad=False contradicts the name 'amsgrad'; use 'adam'")

    allowed = _COMMON + _OWN[key]
    for a in args:
        if a not in allowed:
            raise ConfigError(
                f"unknown argument {a!r} for optimizer {key!r}; allowed: {', '.join(allowed)}"
            )
    return _CLASSES[key](**args)


def _default_lr(key: str) -> float:
    import inspect

    return inspect.signature(_CLASSES[key].__init__).parameters["lr"].default
