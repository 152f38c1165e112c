"""Activation functions, softmax and losses: pure NumPy functions and their derivatives.

Shapes
------
Activations are elementwise (softmax works along one axis) and accept any shape.
Losses take predictions ``y`` of shape ``(N, C)`` (samples on axis -2, outputs on axis -1) and
targets ``t`` of shape ``(N, C)`` (one-hot or real targets) or ``(N,)`` (integer class ids,
or one target per sample when ``C == 1``).  A loss value is the **mean over the samples**.
Leading axes in front of ``(N, C)`` are kept (the batched numerical gradient evaluates many
parameter sets at once), so a loss returns shape ``()`` for ordinary input.

Every formula is written in the docstring of the function that computes it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .errors import ConfigError, ShapeError

# ----------------------------------------------------------------------------------------------
# Activations
# ----------------------------------------------------------------------------------------------


def _float_type(x):
    """The floating dtype of a derivative of ``x``: x's own (float32 stays float32), else float64."""
    return np.result_type(x, np.float32)


def identity(x):
    """Identity (linear) activation: f(x) = x."""
    return x


def identity_grad(x, y=None):
    """f'(x) = 1."""
    return np.ones_like(x)


def step(x):
    """Step function: f(x) = 1 if x > 0 else 0 (textbook 002, DLfS ``step_function``)."""
    return (x > 0).astype(x.dtype if np.issubdtype(np.asarray(x).dtype, np.floating) else float)


def step_grad(x, y=None):
    """f'(x) = 0 everywhere (undefined at 0; 0 is used)."""
    return np.zeros(np.shape(x), dtype=_float_type(x))


def sigmoid(x):
    """Logistic sigmoid: f(x) = 1 / (1 + e^(-x)).

    Computed as ``e^(-|x|)``-based branches so that neither branch overflows for large |x|:
    for x >= 0, 1/(1+e^(-x)); for x < 0, e^x/(1+e^x).
    """
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def sigmoid_grad(x, y=None):
    """f'(x) = y·(1 − y) with y = σ(x) (computed unless given: DLfS's ``Sigmoid`` keeps it)."""
    y = sigmoid(x) if y is None else y
    return y * (1.0 - y)


def tanh(x):
    """Hyperbolic tangent: f(x) = (e^x − e^(−x)) / (e^x + e^(−x)) = 2σ(2x) − 1."""
    return np.tanh(x)


def tanh_grad(x, y=None):
    """f'(x) = 1 − y² with y = tanh(x) (computed unless given)."""
    y = np.tanh(x) if y is None else y
    return 1.0 - y * y


def relu(x):
    """Rectified linear unit: f(x) = max(0, x)."""
    return np.maximum(x, 0)


def relu_grad(x, y=None):
    """f'(x) = 1 if x > 0 else 0 (0 at x = 0, as TensorFlow and DLfS's ``Relu`` layer).

    Returned as DLfS's boolean mask ``x > 0`` (True = 1, False = 0): ``dout * relu_grad(x)``
    keeps ``dout``'s dtype.
    """
    return np.asarray(x) > 0


def leaky_relu(x, alpha=0.01):
    """Leaky ReLU: f(x) = x if x > 0 else α·x (slides: α = 0.01 and 0.1)."""
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x, y=None, *, alpha=0.01):
    """f'(x) = 1 if x > 0 else α."""
    return np.where(np.asarray(x) > 0, 1.0, alpha).astype(_float_type(x))


def elu(x, alpha=1.0):
    """ELU: f(x) = x if x > 0 else α·(e^x − 1)."""
    x = np.asarray(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def elu_grad(x, y=None, *, alpha=1.0):
    """f'(x) = 1 if x > 0 else α·e^x, which is y + α with y = f(x) (used when y is given)."""
    x = np.asarray(x)
    below = alpha * np.exp(np.minimum(x, 0)) if y is None else y + alpha
    return np.where(x > 0, 1.0, below).astype(_float_type(x))


def softplus(x):
    """Softplus: f(x) = ln(1 + e^x), computed as ``logaddexp(0, x)`` (no overflow)."""
    return np.logaddexp(0, x)


def softplus_grad(x, y=None):
    """f'(x) = σ(x)."""
    return sigmoid(x)


def softsign(x):
    """Softsign: f(x) = x / (1 + |x|)."""
    return x / (1.0 + np.abs(x))


def softsign_grad(x, y=None):
    """f'(x) = 1 / (1 + |x|)²."""
    d = 1.0 + np.abs(x)
    return 1.0 / (d * d)


def swish(x):
    """Swish (SiLU): f(x) = x·σ(x) = x / (1 + e^(−x))."""
    return x * sigmoid(x)


def swish_grad(x, y=None):
    """f'(x) = σ(x) + x·σ(x)·(1 − σ(x))."""
    s = sigmoid(x)
    return s + x * s * (1.0 - s)


def mish(x):
    """Mish: f(x) = x·tanh(softplus(x))."""
    return x * np.tanh(softplus(x))


def mish_grad(x, y=None):
    """f'(x) = tanh(sp) + x·(1 − tanh²(sp))·σ(x), with sp = softplus(x)."""
    t = np.tanh(softplus(x))
    return t + x * (1.0 - t * t) * sigmoid(x)


_SINC_SMALL = 1e-4


def sinc(x):
    """Unnormalised sinc: f(x) = sin(x)/x, with f(0) = 1 (NumPy's ``np.sinc`` is sin(πx)/(πx))."""
    return np.sinc(np.asarray(x) / np.pi)


def sinc_grad(x, y=None):
    """f'(x) = (x·cos x − sin x) / x², with the series −x/3 + x³/30 near 0 (f'(0) = 0)."""
    dtype = _float_type(x)
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < _SINC_SMALL
    safe = np.where(small, 1.0, x)
    big = (safe * np.cos(safe) - np.sin(safe)) / (safe * safe)
    return np.where(small, -x / 3.0 + x**3 / 30.0, big).astype(dtype, copy=False)


def log_sigmoid(x):
    """Log-sigmoid: f(x) = ln σ(x) = −softplus(−x) = −ln(1 + e^(−x))."""
    return -np.logaddexp(0, -np.asarray(x))


def log_sigmoid_grad(x, y=None):
    """f'(x) = 1 − σ(x) = σ(−x)."""
    return sigmoid(-np.asarray(x))


@functools.lru_cache(maxsize=64)
def _ones(n: int, dtype) -> np.ndarray:
    """A read-only vector of ``n`` ones (cached per length and dtype) for :func:`sum_rows`."""
    v = np.ones(n, dtype=dtype)
    v.flags.writeable = False
    return v


def sum_rows(a, out=None):
    """Σ_n a_n over the sample axis -2 (``a.sum(axis=-2)``), as the product 1ᵀ·a.

    One BLAS matrix-vector product instead of NumPy's reduction (several times faster on
    (100, 100) arrays; measured in ``benchmarks/RESULTS.md``): the sums of every bias, β and γ
    gradient and every BatchNorm statistic.  Shape (..., N, D) -> (..., D), written into
    ``out`` if given.
    """
    ones = _ones(a.shape[-2], a.dtype)
    return np.matmul(ones, a) if out is None else np.matmul(ones, a, out=out)


@functools.lru_cache(maxsize=64)
def _fill(n: int, value: float, dtype) -> np.ndarray:
    """A read-only vector of ``n`` copies of ``value`` (cached) for :func:`mean_rows`."""
    v = np.full(n, value, dtype=dtype)
    v.flags.writeable = False
    return v


def mean_rows(a):
    """(1/N) Σ_n a_n over the sample axis -2 (``a.mean(axis=-2)``), as the product (1/N)ᵀ·a.

    Like :func:`sum_rows` but with the 1/N folded into the cached vector: one BLAS call and
    no separate division.  Shape (..., N, D) -> (..., D).
    """
    n = a.shape[-2]
    return np.matmul(_fill(n, 1.0 / n, a.dtype), a)


def sum_cols(a):
    """Σ_k a_k over the last axis, kept as a column: (..., N, C) -> (..., N, 1), as a·1."""
    return np.matmul(a, _ones(a.shape[-1], a.dtype))[..., None]


def softmax(x, axis=-1):
    """Softmax along ``axis``: f(x)_k = e^(x_k − max x) / Σ_j e^(x_j − max x).

    Subtracting the maximum (DLfS) leaves the result unchanged and prevents overflow.
    """
    x = np.asarray(x)
    z = x - x.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    """ln softmax(x) = (x − max x) − ln Σ e^(x − max x), stable for any x."""
    x = np.asarray(x)
    z = x - x.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


@dataclass(frozen=True)
class Activation:
    """An activation function with its derivative.

    Attributes
    ----------
    name : str
        Canonical name (``"relu"``, ``"leaky_relu"``, ...).
    f : callable
        ``f(x) -> y``, same shape as ``x``.
    df : callable or None
        The public ``*_grad`` function: ``df(x, y) -> f'(x)`` elementwise, given the input
        ``x`` and the output ``y = f(x)`` (some derivatives are cheapest from ``y``:
        σ' = y(1 − y), tanh' = 1 − y²).  ``None`` for softmax, whose Jacobian is not diagonal.
    params : dict
        Hyper-parameters (``{"alpha": 0.01}`` for leaky ReLU).
    """

    name: str
    f: Callable
    df: Callable | None
    params: dict = field(default_factory=dict)

    def __call__(self, x):
        return self.f(x)

    def vjp(self, x, y, dout):
        """Backward pass: dL/dx from dL/dy (``dout``), shape of ``x``.

        Elementwise activations: dx = dout · f'(x).  Softmax along the last axis:
        dx = y ⊙ (dout − Σ_k dout_k y_k).
        """
        if self.df is None:  # softmax
            return y * (dout - (dout * y).sum(axis=-1, keepdims=True))
        return dout * self.df(x, y)


# name -> (f, f') of every activation except softmax; parameters (alpha) are keyword arguments
_FUNCTIONS = {
    "identity": (identity, identity_grad),
    "step": (step, step_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (np.tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "elu": (elu, elu_grad),
    "softplus": (softplus, softplus_grad),
    "softsign": (softsign, softsign_grad),
    "swish": (swish, swish_grad),
    "mish": (mish, mish_grad),
    "sinc": (sinc, sinc_grad),
    "log_sigmoid": (log_sigmoid, log_sigmoid_grad),
}
_DEFAULT_PARAMS = {"leaky_relu": {"alpha": 0.01}, "elu": {"alpha": 1.0}}


def _make(name: str, **params) -> Activation:
    if name == "softmax":
        return Activation("softmax", softmax, None)
    f, df = _FUNCTIONS[name]
    if name not in _DEFAULT_PARAMS:
        return Activation(name, f, df)
    p = {k: float(params.get(k, v)) for k, v in _DEFAULT_PARAMS[name].items()}
    return Activation(name, functools.partial(f, **p), functools.partial(df, **p), p)


ACTIVATION_NAMES = (
    "identity",
    "step",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "elu",
    "softplus",
    "softsign",
    "swish",
    "mish",
    "sinc",
    "log_sigmoid",
    "softmax",
)

_ALIASES = {
    "linear": "identity",
    "none": "identity",
    "leakyrelu": "leaky_relu",
    "leaky-relu": "leaky_relu",
    "lrelu": "leaky_relu",
    "silu": "swish",
    "logsigmoid": "log_sigmoid",
    "log-sigmoid": "log_sigmoid",
    "heaviside": "step",
}


def canonical_activation(name) -> str:
    """Return the canonical name for an activation name or alias (``"linear"`` → ``"identity"``)."""
    if name is None:
        return "identity"
    if not isinstance(name, str):
        raise ConfigError(f"activation must be a name such as 'relu', got {name!r}")
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in ACTIVATION_NAMES:
        raise ConfigError(
            f"unknown activation {name!r}; choose one of: {', '.join(ACTIVATION_NAMES)}"
            " (aliases: linear, silu)"
        )
    return key


def get_activation(name, **params) -> Activation:
    """Look up an activation by name, e.g. ``get_activation("leaky_relu", alpha=0.1)``.

    An :class:`Activation` passes through unchanged.
    """
    if isinstance(name, Activation):
        return name
    key = canonical_activation(name)
    allowed = set(_DEFAULT_PARAMS.get(key, ()))
    extra = set(params) - allowed
    if extra:
        raise ConfigError(
            f"activation {key!r} takes no parameter {sorted(extra)[0]!r}"
            + (f"; allowed: {sorted(allowed)}" if allowed else "")
        )
    return _make(key, **params)


# ----------------------------------------------------------------------------------------------
# Losses
# ----------------------------------------------------------------------------------------------


def _as_targets(y, t):
    """Bring targets to the shape of ``y`` ``(..., N, C)``.

    Returns ``(t, labels)``: ``labels`` is an int array ``(N,)`` of class ids when ``t`` holds
    integer class labels for a multi-output ``y`` (then ``t`` is None), else ``t`` has y's shape.
    """
    if type(t) is np.ndarray and t.shape == y.shape[-2:] and t.dtype == y.dtype:
        return t, None  # already (N, C) in y's dtype: the common case in a training loop
    t = np.asarray(t)
    n, c = y.shape[-2], y.shape[-1]
    if t.ndim == 1:
        if t.shape[0] != n:
            raise ShapeError(f"targets have {t.shape[0]} rows but predictions have {n}")
        if c == 1:
            return t.reshape(n, 1).astype(y.dtype, copy=False), None
        if t.dtype.kind not in "iu":  # not integer class ids
            if np.all(np.mod(t, 1) == 0):
                t = t.astype(np.int64)
            else:
                raise ShapeError(
                    f"1-D targets for {c} outputs must be integer class ids, got {t.dtype}"
                )
        if t.size and (np.minimum.reduce(t) < 0 or np.maximum.reduce(t) >= c):
            raise ShapeError(f"class ids must be in [0, {c - 1}], got {t.min()}..{t.max()}")
        return None, t
    if t.shape[-2:] != (n, c):
        raise ShapeError(f"targets of shape {t.shape} do not fit predictions of shape {y.shape}")
    return t.astype(y.dtype, copy=False), None


def _eps_for(y) -> float:
    return 1e-7 if np.asarray(y).dtype == np.float32 else 1e-15


def mean_squared_error(y, t):
    """Mean squared error (slides 003, Keras ``mse``): E = (1/(N·C)) Σ_n Σ_k (y_nk − t_nk)².

    ∂E/∂y = 2(y − t)/(N·C).
    """
    t, _ = _as_targets(y, t)
    d = y - t
    return (d * d).mean(axis=(-2, -1))


def mean_squared_error_grad(y, t):
    t, _ = _as_targets(y, t)
    n, c = y.shape[-2:]
    return 2.0 * (y - t) / (n * c)


def half_sum_squared_error(y, t):
    """Half sum of squares (textbook 002, DLfS ``sum_squared_error``, TF Playground):

    E = (1/N) Σ_n ½ Σ_k (y_nk − t_nk)²  — ½·Σ over the outputs, averaged over the batch
    (for one sample this is exactly the textbook's E = ½ Σ (y − t)²).  ∂E/∂y = (y − t)/N.
    """
    t, _ = _as_targets(y, t)
    d = y - t
    return 0.5 * (d * d).sum(axis=-1).mean(axis=-1)


def half_sum_squared_error_grad(y, t):
    t, _ = _as_targets(y, t)
    return (y - t) / y.shape[-2]


def binary_cross_entropy(y, t, eps=None):
    """Binary cross-entropy from probabilities (the seed notebook's loss):

    E = −(1/(N·C)) Σ [t·ln y + (1 − t)·ln(1 − y)], with y clipped to [ε, 1 − ε]
    (ε = 1e-15 in float64, 1e-7 in float32) so that ln 0 never happens.
    ∂E/∂y = (y − t) / (y(1 − y)) / (N·C).
    """
    t, _ = _as_targets(y, t)
    e = _eps_for(y) if eps is None else eps
    p = np.clip(y, e, 1.0 - e)
    return -(t * np.log(p) + (1.0 - t) * np.log(1.0 - p)).mean(axis=(-2, -1))


def binary_cross_entropy_grad(y, t, eps=None):
    t, _ = _as_targets(y, t)
    e = _eps_for(y) if eps is None else eps
    p = np.clip(y, e, 1.0 - e)
    n, c = y.shape[-2:]
    return (p - t) / (p * (1.0 - p)) / (n * c)


def binary_cross_entropy_logits(z, t):
    """Binary cross-entropy from logits z (stable; σ is never formed):

    E = (1/(N·C)) Σ [max(z, 0) − z·t + ln(1 + e^(−|z|))].   ∂E/∂z = (σ(z) − t)/(N·C).
    """
    t, _ = _as_targets(z, t)
    return (np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))).mean(axis=(-2, -1))


def binary_cross_entropy_logits_grad(z, t):
    t, _ = _as_targets(z, t)
    n, c = z.shape[-2:]
    return (sigmoid(z) - t) / (n * c)


def cross_entropy_error(y, t, eps=1e-7):
    """Categorical cross-entropy from probabilities (DLfS ``cross_entropy_error``, slides 003):

    E = −(1/N) Σ_n Σ_k t_nk · ln(y_nk + ε), ε = 1e-7; with integer labels
    E = −(1/N) Σ_n ln(y_{n, t_n} + ε).   ∂E/∂y = −t / (y + ε) / N.
    """
    t1, labels = _as_targets(y, t)
    n = y.shape[-2]
    if labels is not None:
        picked = y[..., np.arange(n), labels]
        return -np.log(picked + eps).mean(axis=-1)
    return -(t1 * np.log(y + eps)).sum(axis=-1).mean(axis=-1)


def cross_entropy_error_grad(y, t, eps=1e-7):
    t1, labels = _as_targets(y, t)
    n = y.shape[-2]
    if labels is not None:
        t1 = np.zeros(y.shape[-2:], dtype=y.dtype)
        t1[np.arange(n), labels] = 1.0
    return -t1 / (y + eps) / n


def softmax_cross_entropy(z, t):
    """Fused softmax + cross-entropy from logits z (DLfS ``SoftmaxWithLoss``):

    E = −(1/N) Σ_n Σ_k t_nk · log_softmax(z)_nk.   ∂E/∂z = (softmax(z) − t)/N.
    """
    t1, labels = _as_targets(z, t)
    ls = log_softmax(z)
    n = z.shape[-2]
    if labels is not None:
        return -ls[..., np.arange(n), labels].mean(axis=-1)
    return -(t1 * ls).sum(axis=-1).mean(axis=-1)


def softmax_cross_entropy_grad(z, t):
    t1, labels = _as_targets(z, t)
    y = softmax(z)
    n = z.shape[-2]
    if labels is not None:
        y = y.copy()
        y[..., np.arange(n), labels] -= 1.0
        return y / n
    return (y - t1) / n


def binary_cross_entropy_logits_value_and_grad(z, t):
    """Both results of :func:`binary_cross_entropy_logits` sharing sp = ln(1 + e^(−|z|)).

    E = (1/(N·C)) Σ [max(z, 0) − z·t + sp] and ∂E/∂z = (σ(z) − t)/(N·C), with the stable
    σ(z) = e^(min(z, 0) − sp)  (ln σ(z) = −ln(1 + e^(−z)) = min(z, 0) − sp for either sign of z).
    """
    t, _ = _as_targets(z, t)
    sp = np.log1p(np.exp(-np.abs(z)))
    per = np.maximum(z, 0) - z * t + sp
    s = np.exp(np.minimum(z, 0) - sp)  # σ(z)
    s -= t
    nc = z.shape[-2] * z.shape[-1]
    s /= nc
    return per.sum(axis=(-2, -1)) / nc, s


def softmax_cross_entropy_value_and_grad(z, t):
    """Both results of :func:`softmax_cross_entropy` from one pass over the logits.

    With s = z − max z (per row), e = e^s and S = Σ_k e_k:  log_softmax(z) = s − ln S, so
    E = (1/N) Σ_n (ln S_n − s_{n, t_n}) and ∂E/∂z = (e/S − t)/N, computed as e·(1/(N·S)) − t/N.
    """
    t1, labels = _as_targets(z, t)
    n = z.shape[-2]
    s = z - z.max(axis=-1, keepdims=True)
    e = np.exp(s)
    sums = sum_cols(e)
    log_sums = np.log(sums)
    e *= 1.0 / (n * sums)  # softmax(z)/N, in place: e is ours
    if labels is not None:
        rows = np.arange(n)
        value = (log_sums.sum(axis=(-2, -1)) - s[..., rows, labels].sum(axis=-1)) / n
        e[..., rows, labels] -= 1.0 / n
        return value, e
    value = (t1 * (log_sums - s)).sum(axis=(-2, -1)) / n
    e -= t1 / n
    return value, e


def weight_penalty(w, l2=0.0, l1=0.0):
    """Weight decay (L2 and L1), element by element: ½·l2·w² + l1·|w|.

    A model adds the sum over its weights to the loss (``MLP(weight_decay=l2, l1=l1)``, DLfS's
    ``0.5 * weight_decay_lambda * np.sum(W**2)``).
    """
    return 0.5 * l2 * (w * w) + l1 * np.abs(w)


def weight_penalty_grad(w, l2=0.0, l1=0.0):
    """∂/∂w of :func:`weight_penalty`: l2·w + l1·sign(w) (0 at w = 0)."""
    return l2 * w + l1 * np.sign(w)


@dataclass(frozen=True)
class Loss:
    """A loss with its gradient: ``value(y, t) -> ()``, ``grad(y, t) -> dL/dy`` (shape of y).

    ``value_and_grad(y, t)`` (optional) returns both at once, sharing intermediate results.
    """

    name: str
    value: Callable
    grad: Callable
    value_and_grad: Callable | None = None

    def __call__(self, y, t):
        return self.value(y, t)


LOSSES = {
    "mse": Loss("mse", mean_squared_error, mean_squared_error_grad),
    "half_sse": Loss("half_sse", half_sum_squared_error, half_sum_squared_error_grad),
    "bce": Loss("bce", binary_cross_entropy, binary_cross_entropy_grad),
    "bce_logits": Loss(
        "bce_logits",
        binary_cross_entropy_logits,
        binary_cross_entropy_logits_grad,
        value_and_grad=binary_cross_entropy_logits_value_and_grad,
    ),
    "cce": Loss("cce", cross_entropy_error, cross_entropy_error_grad),
    "softmax_cce": Loss(
        "softmax_cce",
        softmax_cross_entropy,
        softmax_cross_entropy_grad,
        value_and_grad=softmax_cross_entropy_value_and_grad,
    ),
}

LOSS_ALIASES = {
    "mean_squared_error": "mse",
    "sse": "half_sse",
    "sum_squared_error": "half_sse",
    "square": "half_sse",
    "binary_crossentropy": "bce",
    "binary_cross_entropy": "bce",
    "log_loss": "bce",
    "categorical_crossentropy": "cce",
    "sparse_categorical_crossentropy": "cce",
    "cross_entropy": "cce",
    "cross_entropy_error": "cce",
    "crossentropy": "cce",
}

LOSS_NAMES = tuple(LOSSES) + tuple(LOSS_ALIASES)


def canonical_loss(name) -> str:
    if not isinstance(name, str):
        raise ConfigError(f"loss must be a name such as 'cce', got {name!r}")
    key = name.strip().lower()
    key = LOSS_ALIASES.get(key, key)
    if key not in LOSSES:
        raise ConfigError(f"unknown loss {name!r}; choose one of: {', '.join(LOSS_NAMES)}")
    return key


def get_loss(name) -> Loss:
    """Look up a loss by name (``"mse"``, ``"half_sse"``, ``"bce"``, ``"cce"``, Keras names ...)."""
    if isinstance(name, Loss):
        return name
    return LOSSES[canonical_loss(name)]
