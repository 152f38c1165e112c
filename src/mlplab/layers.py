"""Layers with explicit forward and backward passes (Deep Learning from Scratch style).

Every layer has

* ``forward(x, train=False) -> y`` — remembers what ``backward`` needs;
* ``backward(dout) -> dx`` — and writes ∂L/∂params[k] into ``grads[k]``;
* ``params`` / ``grads`` — dicts of arrays (``"W"``, ``"b"``, ``"gamma"``, ``"beta"``);
* ``config()`` — a JSON-able description used by save/load.

A layer never modifies its input or ``dout`` in place, and never rebinds a parameter array:
optimizers update ``params[k]`` in place, so the model's named dict and the layer share arrays.
``backward`` writes each gradient into the array ``grads[k]`` already holds (``out=``), or a new
one at the first call: a packed model (:meth:`~mlplab.model.Sequential.pack`) puts views of its
gradient vector ∂θ there, so the gradients land in ∂θ without a copy.  The arrays of ``grads``
are therefore overwritten by the next ``backward``: copy them to keep them.

Shapes: ``x`` is ``(N, D)`` (Affine also accepts ``(N, d1, d2, ...)`` and flattens it).  A
parameter may carry one extra leading axis of size P: P parameter sets at once, each with its
own batch, ``x`` of shape ``(P, N, D)`` (or ``(N, D)``, shared).  The batched numerical gradient
(:mod:`mlplab.gradcheck`) evaluates P perturbed sets in one forward pass; the playground trains P
sessions of one shape in lock step (:mod:`mlplab.playground.lockstep`).  That is why a transpose
is written ``a.mT`` (the last two axes: ``a.T`` for a matrix, each matrix's ``.T`` for a stack).
"""

from __future__ import annotations

import numpy as np

from . import functions as F
from .errors import ConfigError, ShapeError, check_positive


def _rowvec(p):
    """A per-feature vector ``(D,)`` (or a stack ``(P, D)``) shaped to broadcast against ``(.., N, D)``."""
    return p if p.ndim == 1 else p[:, None, :]


class Layer:
    """Base class: no parameters, identity forward/backward."""

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x, train=False):  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, dout):  # pragma: no cover - abstract
        raise NotImplementedError

    def output_dim(self, input_dim: int) -> int:
        """Number of features this layer outputs for ``input_dim`` input features."""
        return input_dim

    def state(self) -> dict[str, np.ndarray]:
        """Non-trainable arrays to save with the model (BatchNorm running statistics)."""
        return {}

    def config(self) -> dict:
        return {"type": type(self).__name__}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items() if k != "type")
        return f"{type(self).__name__}({args})"


class Affine(Layer):
    """Fully connected layer: y = x·W + b.

    Parameters
    ----------
    W : ndarray, shape (D_in, D_out)
    b : ndarray, shape (D_out,)

    Forward:  x (N, D_in) → y (N, D_out).  Input of shape (N, d1, d2, ...) is flattened to
    (N, d1·d2·...) first (DLfS ``Affine``); input (N, L, D_in) keeps its rows, y (N, L, D_out),
    and the gradients sum over all N·L rows.
    Backward: dx = dout·Wᵀ, dW = xᵀ·dout, db = Σ_n dout_n  (the bias gradient is summed over
    the batch: dout = [[1,2,3],[11,12,13]] gives db = [12, 14, 16], report 004).  ``ᵀ`` is
    ``.mT``: for a stack of P layers (W of shape (P, D_in, D_out), x of shape (P, N, D_in))
    every formula holds per layer.
    """

    def __init__(self, W, b=None):
        super().__init__()
        W = np.asarray(W)
        if W.ndim != 2:
            raise ShapeError(f"Affine needs W of shape (D_in, D_out), got {W.shape}")
        self.params = {"W": W}
        if b is not None:  # b=None: no bias (the slides' 2-2-2 example)
            b = np.asarray(b)
            if b.shape != (W.shape[1],):
                raise ShapeError(f"Affine needs b of shape ({W.shape[1]},), got {b.shape}")
            self.params["b"] = b
        self.grads = {}
        self.x = None
        self._in_shape = None

    @property
    def in_features(self) -> int:
        return self.params["W"].shape[-2]

    @property
    def out_features(self) -> int:
        return self.params["W"].shape[-1]

    def output_dim(self, input_dim):
        if input_dim != self.in_features:
            raise ShapeError(f"Affine expects {self.in_features} input features, got {input_dim}")
        return self.out_features

    def forward(self, x, train=False):
        W, b = self.params["W"], self.params.get("b")
        self._in_shape = x.shape
        if x.shape[-1] != W.shape[-2]:
            x = x.reshape(x.shape[0], -1)  # (N, d1, d2, ...) -> (N, D)
            if x.shape[-1] != W.shape[-2]:
                raise ShapeError(
                    f"Affine expects {W.shape[-2]} input features, got input of shape {self._in_shape}"
                )
        self.x = x
        out = x @ W
        return out if b is None else out + _rowvec(b)

    def backward(self, dout):
        """dx = dout·Wᵀ (N, D_in), and the parameter gradients of :meth:`param_grads`."""
        self.param_grads(dout)
        dx = dout @ self.params["W"].mT
        return dx.reshape(self._in_shape)

    def param_grads(self, dout):
        """dW = xᵀ·dout (D_in, D_out) and db = Σ_n dout_n (D_out,), into ``grads``; no dx.

        Every batch sum Σ_n of the layers is :func:`mlplab.functions.sum_rows`.

        The model calls this for its first layer, whose input gradient nobody needs: it saves
        the (N, D_out)·(D_out, D_in) product, the largest one for 784-input nets.
        """
        g, x = self.grads, self.x
        if self.params["W"].ndim == 2 and x.ndim > 2:
            # one layer, inputs (N, L, D_in) such as (N, 1, D_in): every row is a sample, so the
            # sums run over all of them (before: a stack of N gradients, shape (N, D_in, D_out))
            x, dout = x.reshape(-1, x.shape[-1]), dout.reshape(-1, dout.shape[-1])
        g["W"] = np.matmul(x.mT, dout, out=g.get("W"))
        if "b" in self.params:
            g["b"] = F.sum_rows(dout, out=g.get("b"))

    def config(self):
        cfg = {"type": "Affine", "in": int(self.in_features), "out": int(self.out_features)}
        if "b" not in self.params:
            cfg["bias"] = False
        return cfg


class Dense(Affine):
    """Keras-style fully connected layer: ``Dense(units, activation=None, input_dim=None, init=...)``.

    Weights are created when the input size is known (``input_dim`` or the previous layer).
    In a :class:`~mlplab.model.Sequential` the ``activation`` becomes a separate
    :class:`Activation` layer right after it, so every layer keeps one idea.
    ``init`` is any :func:`mlplab.init.get_initializer` spec (default Keras ``glorot_uniform``);
    ``bias_init`` a constant.
    """

    def __init__(
        self,
        units,
        activation=None,
        input_dim=None,
        init="xavier_uniform",
        bias_init=0.0,
        init_kw=None,
    ):
        Layer.__init__(self)
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units < 1:
            raise ConfigError(f"Dense units must be a positive integer, got {units!r}")
        self.units = int(units)
        self.activation = None if activation is None else F.canonical_activation(activation)
        self.input_dim = input_dim
        self.init = init
        self.init_kw = dict(init_kw or {})
        self.bias_init = float(bias_init)
        self.x = None
        self._in_shape = None

    @property
    def built(self) -> bool:
        return "W" in self.params

    def build(self, input_dim: int, rng=None, dtype=np.float64):
        from .init import get_initializer

        W = get_initializer(self.init, **self.init_kw)((int(input_dim), self.units), rng, dtype)
        b = np.full(self.units, self.bias_init, dtype=dtype)
        self.params = {"W": np.ascontiguousarray(W, dtype=dtype), "b": b}

    def output_dim(self, input_dim):
        if not self.built:
            return self.units
        return super().output_dim(input_dim)

    def config(self):
        cfg = super().config() if self.built else {"type": "Affine", "out": self.units}
        return cfg


class Activation(Layer):
    """Activation layer y = f(x) for any function of :mod:`mlplab.functions`.

    Backward: dx = dout ⊙ f'(x) (softmax: dx = y ⊙ (dout − Σ dout·y)).
    """

    def __init__(self, name="relu", **kw):
        super().__init__()
        self.fn = F.get_activation(name, **kw)
        self.name = self.fn.name
        self.x = self.y = None

    def forward(self, x, train=False):
        self.x = x
        self.y = self.fn.f(x)
        return self.y

    def backward(self, dout):
        return self.fn.vjp(self.x, self.y, dout)

    def config(self):
        return {"type": "Activation", "name": self.name, **self.fn.params}


class ReLU(Activation):
    """y = max(0, x); dx = dout where x > 0 else 0 (DLfS ``Relu`` with its boolean mask)."""

    def __init__(self):
        super().__init__("relu")


class Sigmoid(Activation):
    """y = 1/(1 + e^(−x)); dx = dout · y(1 − y) (DLfS ``Sigmoid``)."""

    def __init__(self):
        super().__init__("sigmoid")


class Tanh(Activation):
    """y = tanh x; dx = dout · (1 − y²)."""

    def __init__(self):
        super().__init__("tanh")


class LeakyReLU(Activation):
    """y = x if x > 0 else αx; dx = dout · (1 or α)."""

    def __init__(self, alpha=0.01):
        super().__init__("leaky_relu", alpha=alpha)


class Softmax(Activation):
    """Softmax over the last axis."""

    def __init__(self):
        super().__init__("softmax")


class BatchNorm(Layer):
    """Batch normalization (Ioffe & Szegedy 2015; slides 003, DLfS ``BatchNormalization``).

    Train mode, over the batch axis (N) of x (N, D)::

        μ = (1/N) Σ x_n          σ² = (1/N) Σ (x_n − μ)²      (population variance)
        x̂ = (x − μ) / √(σ² + ε)  y = γ·x̂ + β
        running_μ ← m·running_μ + (1 − m)·μ   (same for σ²; m = ``momentum``, DLfS/Keras form)

    Eval mode uses the running statistics, unless ``batch_stats="always"``, which
    standardizes every batch by its own statistics in eval mode too.  The running variance
    starts at ``init_running_var`` (1 as Keras/PyTorch; DLfS starts it at 0 and uses
    ``eps=1e-6``: ``BatchNorm(dim, eps=1e-6, init_running_var=0)`` is DLfS's layer).

    With ``affine=False, eps=0, batch_stats="always"`` this is exactly the seed notebook's
    ``batch_normalize``: a ← (a − a.mean()) / a.std() per hidden unit.

    Backward (train statistics)::

        dγ = Σ_n dout·x̂,   dβ = Σ_n dout
        dx = γ/(N·√(σ²+ε)) · (N·dout − dβ − x̂·dγ)

    which is the textbook dx = (N·g − Σ_n g − x̂·Σ_n g·x̂)/(N·√(σ²+ε)) with g = dout·γ, because
    Σ_n g = γ·dβ and Σ_n g·x̂ = γ·dγ (the two sums are already there).  The batch means and
    sums are :func:`mlplab.functions.mean_rows` / :func:`~mlplab.functions.sum_rows`.
    """

    def __init__(
        self,
        dim,
        momentum=0.9,
        eps=1e-5,
        affine=True,
        batch_stats="train",
        dtype=np.float64,
        init_running_var=1.0,
    ):
        super().__init__()
        if isinstance(dim, bool) or int(dim) < 1:
            raise ConfigError(f"BatchNorm dim must be a positive integer, got {dim!r}")
        if not 0.0 <= float(momentum) < 1.0:
            raise ConfigError(f"BatchNorm momentum must be in [0, 1), got {momentum!r}")
        check_positive("BatchNorm eps", eps, allow_zero=True)
        check_positive("BatchNorm init_running_var", init_running_var, allow_zero=True)
        if batch_stats not in ("train", "always"):
            raise ConfigError(
                f"BatchNorm batch_stats must be 'train' or 'always', got {batch_stats!r}"
            )
        self.dim = int(dim)
        self.momentum = float(momentum)
        self.eps = float(eps)
        self.affine = bool(affine)
        self.batch_stats = batch_stats
        self.init_running_var = float(init_running_var)
        if self.affine:
            self.params = {"gamma": np.ones(dim, dtype=dtype), "beta": np.zeros(dim, dtype=dtype)}
        self.running_mean = np.zeros(dim, dtype=dtype)
        self.running_var = np.full(dim, self.init_running_var, dtype=dtype)
        self.update_stats = True  # the numerical gradient turns this off
        self._cache = None

    def forward(self, x, train=False):
        if x.shape[-1] != self.dim:
            raise ShapeError(f"BatchNorm expects {self.dim} features, got input of shape {x.shape}")
        batch = train or self.batch_stats == "always"
        if batch:  # statistics over the sample axis -2 of x (..., N, D): μ, σ² of shape (..., D)
            mu = F.mean_rows(x)
            xc = x - mu[..., None, :]
            var = F.mean_rows(xc * xc)
            if train and self.update_stats and x.ndim == 2:
                m = self.momentum
                self.running_mean[...] = m * self.running_mean + (1 - m) * mu
                self.running_var[...] = m * self.running_var + (1 - m) * var
        else:
            xc = x - self.running_mean
            var = self.running_var
        std = np.sqrt(var + self.eps)  # √(σ² + ε), (..., D)
        xn = xc / std[..., None, :]  # x̂ (..., N, D)
        self._cache = (xn, std, batch)
        if not self.affine:
            return xn
        return _rowvec(self.params["gamma"]) * xn + _rowvec(self.params["beta"])

    def backward(self, dout):
        xn, std, batch = self._cache  # x̂ (N, D), √(σ² + ε) (D,)
        gamma = self.params["gamma"] if self.affine else 1.0
        dgamma = F.sum_rows(dout * xn, out=self.grads.get("gamma"))  # Σ_n dout·x̂
        dbeta = F.sum_rows(dout, out=self.grads.get("beta"))  # Σ_n dout
        if self.affine:
            self.grads["gamma"], self.grads["beta"] = dgamma, dbeta
        if not batch:  # running statistics: x̂ = (x − running_μ)/√(running_σ² + ε) is affine in x
            return dout * (gamma / std)
        n = dout.shape[0]
        return (gamma / (n * std)) * (n * dout - dbeta - xn * dgamma)

    def state(self):
        return {"running_mean": self.running_mean, "running_var": self.running_var}

    def config(self):
        return {
            "type": "BatchNorm",
            "dim": self.dim,
            "momentum": self.momentum,
            "eps": self.eps,
            "affine": self.affine,
            "batch_stats": self.batch_stats,
        }  # init_running_var is not needed: a saved model carries its running_var


class LayerNorm(Layer):
    """Layer normalization (Ba et al. 2016; slides 003): normalize each sample over its features.

    μ_n = mean_d x_nd, σ²_n = mean_d (x_nd − μ_n)², x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β.
    Backward: dx = (1/(D·√(σ²+ε))) · (D·g − Σ_d g − x̂·Σ_d g·x̂), g = dout·γ.
    Same in train and eval mode.
    """

    def __init__(self, dim, eps=1e-5, affine=True, dtype=np.float64):
        super().__init__()
        self.dim = int(dim)
        self.eps = float(check_positive("LayerNorm eps", eps, allow_zero=True))
        self.affine = bool(affine)
        if self.affine:
            self.params = {"gamma": np.ones(dim, dtype=dtype), "beta": np.zeros(dim, dtype=dtype)}
        self._cache = None

    def forward(self, x, train=False):
        if x.shape[-1] != self.dim:
            raise ShapeError(f"LayerNorm expects {self.dim} features, got input of shape {x.shape}")
        mu = x.mean(axis=-1, keepdims=True)
        xc = x - mu
        std = np.sqrt((xc * xc).mean(axis=-1, keepdims=True) + self.eps)
        xn = xc / std
        self._cache = (xn, std)
        if self.affine:
            return _rowvec(self.params["gamma"]) * xn + _rowvec(self.params["beta"])
        return xn

    def backward(self, dout):
        xn, std = self._cache
        g = dout * self.params["gamma"] if self.affine else dout
        if self.affine:
            grads = self.grads
            grads["gamma"] = np.sum(dout * xn, axis=0, out=grads.get("gamma"))  # Σ_n dout·x̂
            grads["beta"] = np.sum(dout, axis=0, out=grads.get("beta"))  # Σ_n dout
        d = dout.shape[-1]
        return (
            d * g - g.sum(axis=-1, keepdims=True) - xn * (g * xn).sum(axis=-1, keepdims=True)
        ) / (d * std)

    def config(self):
        return {"type": "LayerNorm", "dim": self.dim, "eps": self.eps, "affine": self.affine}


class Dropout(Layer):
    """Inverted dropout (Srivastava et al. 2014; slides 003).

    Train: mask_nd ~ Bernoulli(1 − rate); y = x ⊙ mask / (1 − rate); dx = dout ⊙ mask / (1 − rate).
    Eval: y = x (identity).  DLfS instead scales by (1 − rate) at *test* time; both give the same
    expected activation, the inverted form keeps inference untouched.

    The mask comes from the layer's own ``numpy.random.Generator`` (``seed``).  ``fix_mask=True``
    reuses the last mask (for gradient checking).
    """

    def __init__(self, rate=0.5, seed=None):
        super().__init__()
        rate = float(rate)
        if not 0.0 <= rate < 1.0:
            raise ConfigError(f"dropout rate must be in [0, 1), got {rate!r}")
        self.rate = rate
        self.rng = np.random.default_rng(seed)
        self.fix_mask = False
        self.mask = None
        self._train = False

    def forward(self, x, train=False):
        self._train = bool(train) and self.rate > 0
        if not self._train:
            return x
        shape = x.shape[-2:]
        if not (self.fix_mask and self.mask is not None and self.mask.shape == shape):
            keep = 1.0 - self.rate
            self.mask = (self.rng.random(shape) < keep).astype(x.dtype) / keep
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask if self._train else dout

    def config(self):
        return {"type": "Dropout", "rate": self.rate}


# ----------------------------------------------------------------------------------------------
# Loss heads: output activation + loss, fused where the gradient simplifies
# ----------------------------------------------------------------------------------------------

_FUSED = {("softmax", "cce"): "softmax_cce", ("sigmoid", "bce"): "bce_logits"}
# A loss on logits contains its output activation: bce_logits is σ + bce, softmax_cce softmax + cce.
_ON_LOGITS = {"bce_logits": "sigmoid", "softmax_cce": "softmax"}


class LossHead:
    """Output activation followed by a loss: L = loss(f(z), t).

    ``forward(z, t)`` takes the last layer's raw output z (N, C) and returns the scalar loss;
    ``backward(dout=1)`` returns dL/dz.  Pairs with a simpler joint gradient are fused and
    computed from the logits directly (stable for any z):

    * softmax + cross-entropy: dL/dz = (softmax(z) − t)/N   (DLfS ``SoftmaxWithLoss``)
    * sigmoid + binary cross-entropy: dL/dz = (σ(z) − t)/(N·C)
    Otherwise dL/dz = f'(z) ⊙ dL/dy by the chain rule.

    The losses on logits (``bce_logits``, ``softmax_cce``) *are* these fused pairs: their output
    activation is σ (softmax), applied once, and ``predict`` returns σ(z) (softmax(z)).

    A classifier (:attr:`is_classifier`) is any head with a cross-entropy loss, or a tanh
    output with a squared error (TF Playground's ±1 labels, :attr:`task` ``"classification_pm1"``).
    """

    def __init__(self, activation="identity", loss="mse"):
        act, loss_fn = F.get_activation(activation), F.get_loss(loss)
        own = _ON_LOGITS.get(loss_fn.name)
        if own is not None:
            if act.name not in ("identity", own):
                raise ConfigError(
                    f"loss {loss_fn.name!r} applies {own} to the logits itself; "
                    f"use the output activation 'identity' or {own!r}, not {act.name!r}"
                )
            act = F.get_activation(own)
        self.act, self.activation = act, act.name
        self.loss_fn, self.loss = loss_fn, loss_fn.name
        fused = loss_fn.name if own else _FUSED.get((self.activation, self.loss))
        self.fused = F.get_loss(fused) if fused else None
        if self.loss in ("bce", "cce", "bce_logits", "softmax_cce"):
            self.task = "classification"
        elif self.activation == "tanh" and self.loss in ("half_sse", "mse"):
            self.task = "classification_pm1"  # TF Playground: tanh output, ±1 targets
        else:
            self.task = "regression"
        self.z = self.t = self.y = None

    @property
    def is_classifier(self) -> bool:
        """True when predictions are classes: the one answer the model and the Trainer use."""
        return self.task != "regression"

    def predict(self, z):
        """Output activation applied to the raw output: probabilities / predictions."""
        return self.act.f(z)

    def forward(self, z, t):
        self.z, self.t = z, t
        if self.fused is not None:
            self.y = None
            return self.fused.value(z, t)
        self.y = self.act.f(z)
        return self.loss_fn.value(self.y, t)

    def forward_backward(self, z, t):
        """Loss and dL/dz in one pass (what a training step needs); shares work when fused."""
        if self.fused is not None and self.fused.value_and_grad is not None:
            self.z, self.t, self.y = z, t, None
            return self.fused.value_and_grad(z, t)
        return self.forward(z, t), self.backward()

    def backward(self, dout=1.0):
        if self.fused is not None:
            dz = self.fused.grad(self.z, self.t)
        else:
            dz = self.act.vjp(self.z, self.y, self.loss_fn.grad(self.y, self.t))
        return dz if dout == 1.0 else dz * dout

    def config(self):
        return {"activation": self.activation, "loss": self.loss}


class SoftmaxWithLoss(LossHead):
    """DLfS ``SoftmaxWithLoss``: softmax output + cross-entropy, backward (y − t)/N."""

    def __init__(self):
        super().__init__("softmax", "cce")


class SigmoidWithLoss(LossHead):
    """Sigmoid output + binary cross-entropy, backward (σ(z) − t)/N."""

    def __init__(self):
        super().__init__("sigmoid", "bce")


def layer_from_config(cfg: dict, dtype=np.float64) -> Layer:
    """Rebuild a layer (with placeholder parameters) from ``config()``."""
    kind = cfg.get("type")
    if kind == "Affine":
        b = np.zeros(cfg["out"], dtype) if cfg.get("bias", True) else None
        return Affine(np.zeros((cfg["in"], cfg["out"]), dtype), b)
    if kind == "Activation":
        kw = {k: v for k, v in cfg.items() if k not in ("type", "name")}
        return Activation(cfg["name"], **kw)
    if kind == "BatchNorm":
        kw = {k: v for k, v in cfg.items() if k != "type"}
        return BatchNorm(dtype=dtype, **kw)
    if kind == "LayerNorm":
        kw = {k: v for k, v in cfg.items() if k != "type"}
        return LayerNorm(dtype=dtype, **kw)
    if kind == "Dropout":
        return Dropout(cfg["rate"])
    raise ConfigError(
        f"unknown layer type {kind!r}; known: Affine, Activation, BatchNorm, LayerNorm, Dropout"
    )
