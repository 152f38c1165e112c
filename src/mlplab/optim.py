"""Optimizers and gradient clipping.

Every optimizer follows the DLfS interface ``update(params, grads)``: ``params`` and ``grads``
are dicts ``name -> ndarray`` with equal shapes per key (``W1`` of shape ``(n_in, n_out)``,
``b1`` of shape ``(n_out,)`` ...).  ``update`` changes the arrays of ``params`` **in place**
(``params[k] -= ...`` on the very array objects the layers hold), for every key present in
``grads``.  Per-key state (velocities, squared-gradient accumulators, moments) is created
lazily the first time a key is seen, with that parameter's shape and dtype, so float32
models stay float32.

One call of ``update`` does, in this order:

1. **the learning rate** -- ``lr = schedule(iterations)`` when a schedule is set
   (:mod:`mlplab.schedules`; ``iterations`` counts the updates done so far);
2. **gradient clipping** -- ``clipnorm=c`` rescales *all* gradients together by ``c / ||g||``
   when their global L2 norm ``||g|| = sqrt(sum_k sum(g_k**2))`` exceeds ``c`` (like
   ``torch.nn.utils.clip_grad_norm_``); Keras 2 (``Adam(lr=0.0001, clipnorm=1.)`` on the
   slides, seed 003) clips each tensor by its own norm instead: ``clip_per_tensor=True``.
   ``clipvalue=v`` then clips every gradient element to ``[-v, v]``;
3. **the rule** of the optimizer, once per key: ``rule(w, g, state, t)`` (the formula in each
   class docstring; ``t`` counts the updates of that key, this one included).

The caller's gradient arrays are never modified.  L1/L2 weight decay is part of the model's
loss and gradient (``MLP(weight_decay=...)``), never of the optimizer: nothing decays twice.

**Packed parameters.**  Every rule is element-wise: element i of ``w`` moves by an amount that
depends only on element i of ``w``, ``g`` and the state.  So a model that keeps all its
parameters in one vector θ and their gradients in one vector ∂θ
(:meth:`mlplab.model.Sequential.pack`) can hand the optimizer those two vectors as one
parameter -- ``opt.update({"theta": model.theta}, {"theta": model.dtheta})`` -- and gets the same
numbers as with one update per named array, in one rule call instead of one per array
(:attr:`Optimizer.elementwise` says when; :class:`mlplab.train.Trainer` does this).

Checkpoints: ``state_dict()`` returns a flat dict of numbers, strings and arrays that
``np.savez`` can store and ``np.load(..., allow_pickle=False)`` can read back;
``load_state_dict`` restores it.  ``config()`` is JSON-able and
``get_optimizer(opt.config())`` rebuilds an equivalent (fresh) optimizer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from .errors import CheckpointError, ConfigError, MlplabTypeError, ShapeError, check_positive
from .factory import canonical_name, check_arguments, split_spec

# schedules live in mlplab.schedules; these names stay importable from here
from .schedules import (  # noqa: F401
    SCHEDULE_NAMES,
    ConstantLR,
    CosineDecay,
    ExponentialDecay,
    InverseTimeDecay,
    Schedule,
    StepDecay,
    get_schedule,
)

__all__ = [
    "OPTIMIZER_NAMES",
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSprop",
    "Adam",
    "AMSGrad",
    "get_optimizer",
    "clip_by_global_norm",
    "clip_by_value",
]

OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "amsgrad")


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
# clipping
# --------------------------------------------------------------------------------------------


def _sq_norm(g: np.ndarray) -> float:
    """``sum(g**2)``; rescaled when the float32 squares overflow."""
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


def _clip_each_by_norm(grads: dict, max_norm: float) -> dict:
    """Keras 2 ``clipnorm``: ``g_k * min(1, c / ||g_k||)`` with each tensor's own norm."""
    out = {}
    for k, g in grads.items():
        n = math.sqrt(_sq_norm(g))
        out[k] = g * (max_norm / n) if n > max_norm else g
    return out


# --------------------------------------------------------------------------------------------
# optimizers
# --------------------------------------------------------------------------------------------

_NO_STATE: dict = {}  # the state of an optimizer without slots (SGD)
_REMOVED = {
    "weight_decay": "weight_decay",
    "weight_decay_lambda": "weight_decay",
    "l1": "l1",
    "decay_keys": "weight_decay",
}


class Optimizer:
    """Base class: learning rate, schedule, clipping and state.  Subclasses define :meth:`rule`.

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
    schedule : Schedule, callable step -> lr, str or dict, optional
        If set, ``lr = schedule(iterations)`` at the start of every update (a name/dict without
        ``lr`` uses this optimizer's ``lr`` as the initial value).  See :mod:`mlplab.schedules`.

    Attributes
    ----------
    iterations : int
        Number of ``update`` calls so far.
    state : dict of name -> dict of slot -> ndarray
        Per-key state, e.g. ``state["W1"]["v"]``.
    steps : dict of name -> int
        Per-key number of updates (Adam's bias correction).
    """

    name = "optimizer"
    slots: tuple[str, ...] = ()  # names of the per-key state arrays (Momentum: ("v",))

    def __init__(
        self,
        lr: float = 0.01,
        *,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        clip_per_tensor: bool = False,
        schedule=None,
        **removed,
    ):
        for arg in removed:
            if arg not in _REMOVED:
                raise TypeError(f"{type(self).__name__}() got an unexpected keyword {arg!r}")
            raise ConfigError(_decay_message(arg))
        self.lr = lr
        self.clipnorm = _check_optional_positive("clipnorm", clipnorm)
        self.clipvalue = _check_optional_positive("clipvalue", clipvalue)
        self.clip_per_tensor = bool(clip_per_tensor)
        self.schedule = schedule
        self.iterations = 0
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.steps: dict[str, int] = {}

    # -- attributes with validation ----------------------------------------------------------

    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, value) -> None:
        self._lr = check_positive("lr", value)

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

    @property
    def elementwise(self) -> bool:
        """True when each element's update depends only on that element's ``w``, ``g`` and
        state (no norm clipping): then one update of all parameters packed into one vector θ
        gives the same numbers as one update per named array (see the module docstring)."""
        return self.clipnorm is None

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
        grads = _checked(params, grads)
        if self.clipnorm is not None:
            if self.clip_per_tensor:
                grads = _clip_each_by_norm(grads, self.clipnorm)
            else:
                grads, _ = clip_by_global_norm(grads, self.clipnorm)
        if self.clipvalue is not None:
            grads = clip_by_value(grads, self.clipvalue)
        self.iterations += 1
        for k, g in grads.items():
            w = params[k]
            state = self._state_of(k, w)
            t = self.steps[k] = self.steps.get(k, 0) + 1
            self.rule(w, g, state, t)

    def rule(self, w: np.ndarray, g: np.ndarray, state: dict, t: int) -> None:
        """Move ``w`` in place by this optimizer's formula; ``state`` holds the arrays of
        :attr:`slots` for this key, ``t`` the number of its updates (this one included)."""
        raise NotImplementedError  # pragma: no cover - abstract

    # -- state -------------------------------------------------------------------------------

    def _state_of(self, k: str, w: np.ndarray) -> dict:
        """The slot arrays of key ``k``: zeros of ``w``'s shape and dtype at the first update,
        and again when ``w`` changed shape (e.g. a neuron was added)."""
        if not self.slots:
            return _NO_STATE
        st = self.state.get(k)
        if st is None or st[self.slots[0]].shape != w.shape:
            st = self.state[k] = {s: np.zeros_like(w) for s in self.slots}
            self.steps[k] = 0
        elif st[self.slots[0]].dtype != w.dtype:
            for s in self.slots:
                st[s] = st[s].astype(w.dtype)
        return st

    def reset(self) -> None:
        """Forget all state and set ``iterations`` to 0 (hyperparameters and ``lr`` are kept)."""
        self.iterations = 0
        self.state.clear()
        self.steps.clear()

    def state_dict(self) -> dict:
        """Flat dict for ``np.savez``: ``name``, ``iterations``, ``lr``, ``state/<slot>/<key>``
        arrays and ``step/<key>`` counts.  Arrays are copies."""
        out: dict = {"name": self.name, "iterations": int(self.iterations), "lr": float(self.lr)}
        for k, st in self.state.items():
            for s, arr in st.items():
                out[f"state/{s}/{k}"] = arr.copy()
        for k, n in self.steps.items():
            out[f"step/{k}"] = int(n)
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
                if len(parts) != 3 or parts[1] not in self.slots:
                    raise CheckpointError(
                        f"unknown optimizer state entry {key!r}; {self.name} has slots "
                        f"{', '.join(self.slots) or '(none)'}"
                    )
                state.setdefault(parts[2], {})[parts[1]] = np.array(val, copy=True)
            elif key.startswith("step/"):
                steps[key[5:]] = int(np.asarray(val).item())
        for k, st in state.items():
            if set(st) != set(self.slots):
                raise CheckpointError(f"optimizer state for {k!r} lacks slots of {self.name}")
        self.iterations = iterations
        self._lr = lr
        self.state = state
        self.steps = {k: steps.get(k, 0) for k in (*state, *steps)}

    # -- description -------------------------------------------------------------------------

    def _params(self) -> dict:
        return {}

    def config(self) -> dict:
        """JSON-able description; ``get_optimizer(opt.config())`` rebuilds a fresh copy."""
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
            "schedule": sched,
        }

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in {"lr": self.lr, **self._params()}.items())
        return f"{type(self).__name__}({args})"


def _decay_message(arg: str) -> str:
    what = _REMOVED[arg]
    return (
        f"{arg}: weight decay is part of the model's loss, not of the optimizer; "
        f"build the model with MLP(..., {what}=...) ([model] {what} in an experiment file)"
    )


def _checked(params: dict, grads: dict) -> dict:
    """``grads`` as a dict of arrays, each of its parameter's shape; the errors name the key."""
    out = {}
    for k, g in grads.items():
        w = params.get(k)
        if w is None:
            raise ConfigError(
                f"grads has key {k!r} that params lacks; params has {', '.join(map(str, params))}"
            )
        if not isinstance(w, np.ndarray) or w.dtype.kind != "f":
            raise MlplabTypeError(
                f"params[{k!r}] must be a floating numpy array (updated in place), got "
                f"{type(w).__name__}{'' if not isinstance(w, np.ndarray) else ' ' + str(w.dtype)}"
            )
        if type(g) is not np.ndarray:
            g = np.asarray(g)
        if g.shape != w.shape:
            raise ShapeError(f"grads[{k!r}] has shape {g.shape}, params[{k!r}] has {w.shape}")
        out[k] = g
    return out


class SGD(Optimizer):
    """Plain (stochastic) gradient descent: ``w <- w - lr * g``.

    Same as DLfS ``SGD(lr=0.01)`` and Keras ``SGD(lr=0.01)`` without momentum.
    """

    name = "sgd"

    def __init__(self, lr: float = 0.01, **kw):
        super().__init__(lr, **kw)

    def rule(self, w, g, state, t):
        w -= self.lr * g


class Momentum(Optimizer):
    """Momentum SGD (DLfS form)::

        v <- momentum * v - lr * g
        w <- w + v

    ``v`` starts at 0.  Identical to DLfS ``Momentum(lr=0.01, momentum=0.9)`` and to Keras 2
    ``SGD(lr=0.01, momentum=0.9)`` (the slides, seed 003).  ``momentum`` in ``[0, 1)``.
    """

    name = "momentum"
    slots = ("v",)

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, **kw):
        super().__init__(lr, **kw)
        self.momentum = _check_unit("momentum", momentum)

    def rule(self, w, g, state, t):
        v = state["v"]
        v[...] = self.momentum * v - self.lr * g
        w += v

    def _params(self) -> dict:
        return {"momentum": self.momentum}


class Nesterov(Optimizer):
    """Nesterov accelerated gradient, in the form of Bengio et al. (2012, arXiv:1212.0901)::

        v <- momentum * v - lr * g
        w <- w - lr * g + momentum * v          # v is the *new* v

    The default (``variant="dlfs"``) is DLfS's ``Nesterov`` as its code reads today (since the
    2021 commit "Fix Nesterov update function"), which writes the same step with the *old* v::

        w <- w + momentum**2 * v - (1 + momentum) * lr * g;   then  v <- momentum * v - lr * g

    It is also Keras 2 ``SGD(momentum=m, nesterov=True)`` and PyTorch's ``SGD(nesterov=True)``
    (``variant="keras"`` is accepted as another name for it).

    ``variant="dlfs_2016"`` is DLfS's code before that fix, kept to replay old runs: it updates
    v first and then uses the *new* v in the step, so a step is
    ``momentum**3 * v_old - (1 + momentum + momentum**2) * lr * g``::

        v <- momentum * v - lr * g
        w <- w - (1 + momentum) * lr * g + momentum**2 * v
    """

    name = "nesterov"
    slots = ("v",)
    VARIANTS = ("dlfs", "keras", "dlfs_2016")

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, variant: str = "dlfs", **kw):
        super().__init__(lr, **kw)
        self.momentum = _check_unit("momentum", momentum)
        if variant not in self.VARIANTS:
            raise ConfigError(
                f"variant must be one of {', '.join(map(repr, self.VARIANTS))}; got {variant!r}"
            )
        self.variant = variant

    def rule(self, w, g, state, t):
        m, v = self.momentum, state["v"]
        v[...] = m * v - self.lr * g
        if self.variant == "dlfs_2016":
            w -= (1.0 + m) * (self.lr * g)
            w += (m * m) * v
        else:
            w -= self.lr * g
            w += m * v

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
    slots = ("h",)

    def __init__(self, lr: float = 0.01, eps: float = 1e-7, **kw):
        super().__init__(lr, **kw)
        self.eps = check_positive("eps", eps)

    def rule(self, w, g, state, t):
        h = state["h"]
        h += g * g
        w -= self.lr * (g / (np.sqrt(h) + self.eps))

    def _params(self) -> dict:
        return {"eps": self.eps}


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
    slots = ("h",)

    def __init__(self, lr: float = 0.001, rho: float = 0.9, eps: float = 1e-7, **kw):
        super().__init__(lr, **kw)
        self.rho = _check_unit("rho", rho)
        self.eps = check_positive("eps", eps)

    def rule(self, w, g, state, t):
        h = state["h"]
        h[...] = self.rho * h + (1.0 - self.rho) * (g * g)
        w -= self.lr * (g / (np.sqrt(h) + self.eps))

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
    slots = ("m", "v")

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
        if self.amsgrad:
            self.name, self.slots = "amsgrad", ("m", "v", "vhat")

    def rule(self, w, g, state, t):
        b1, b2 = self.beta1, self.beta2
        m, v = state["m"], state["v"]
        m[...] = b1 * m + (1.0 - b1) * g
        v[...] = b2 * v + (1.0 - b2) * (g * g)
        if self.amsgrad:
            vhat = state["vhat"]
            vhat[...] = np.maximum(vhat, v)
            v = vhat
        lr_t = self.lr * math.sqrt(1.0 - b2**t) / (1.0 - b1**t)
        w -= lr_t * (m / (np.sqrt(v) + self.eps))

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
_COMMON = ("lr", "clipnorm", "clipvalue", "clip_per_tensor", "schedule")
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
        ``beta_1``/``beta_2``, ``decay_rate`` (RMSprop rho, DLfS), ``decay`` (Keras 2 / NNFS learning-rate decay -> ``InverseTimeDecay(lr, decay)``),
        and for ``"sgd"``: ``momentum=m`` (``m > 0`` gives :class:`Momentum`) and
        ``nesterov=True`` (:class:`Nesterov`: Keras's formula, also DLfS's today).
        ``"adam"`` with ``amsgrad=True`` gives :class:`AMSGrad`.

    Raises
    ------
    ConfigError
        Unknown name or argument (the message lists the allowed ones), or a value out of
        range (the message names the argument and the range); ``weight_decay`` or ``l1``
        (weight decay belongs to the model: ``MLP(weight_decay=...)``).
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
    key = canonical_name(name).replace("_", "")
    key = _NAME_ALIASES.get(key, key)
    if key not in _CLASSES:
        raise ConfigError(f"optimizer must be one of {', '.join(OPTIMIZER_NAMES)}; got {name!r}")

    for arg in args:
        if arg in _REMOVED:
            raise ConfigError(_decay_message(arg))
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

    check_arguments("optimizer", key, args, _COMMON + _OWN[key])
    return _CLASSES[key](**args)


def _default_lr(key: str) -> float:
    import inspect

    return inspect.signature(_CLASSES[key].__init__).parameters["lr"].default
