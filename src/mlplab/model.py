"""Models: :class:`Sequential` (a list of layers plus a loss head) and the :func:`MLP` builder.

A model's parameters live in its layers; ``model.params`` maps DLfS-style names
(``W1``, ``b1``, ``gamma1``, ``beta1``, ``W2`` ...) to **the same arrays**, so an optimizer that
updates ``params`` in place trains the layers.  ``model.gradient(x, t)`` returns a dict with
the same keys (backprop); ``model.numerical_gradient(x, t)`` the central-difference estimate
(:func:`mlplab.gradcheck.model_numerical_gradient`).

L1/L2 weight decay lives here and only here (``MLP(weight_decay=λ, l1=μ)``,
``Sequential.regularization``): the loss includes ½λΣW² + μΣ|W| over the weights, and the
gradient λW + μ·sign(W) (DLfS's ``weight_decay_lambda``); optimizers have no decay of their own.

Files: :meth:`Sequential.save` writes one ``.npz`` holding the architecture as JSON and the
arrays; :func:`load` reads it back (both live in :mod:`mlplab.modelfile`).
"""

from __future__ import annotations

import math
from collections.abc import MutableMapping
from pathlib import Path

import numpy as np

from . import functions as F
from .errors import ConfigError, DataError, MlplabTypeError, ShapeError
from .layers import (
    Activation,
    Affine,
    BatchNorm,
    Dense,
    Dropout,
    Layer,
    LayerNorm,
    LossHead,
    layer_from_config,
)
from .modelfile import FORMAT_VERSION

_DTYPES = {"float64": np.float64, "float32": np.float32}


def _dtype(dtype):
    name = np.dtype(dtype).name if not isinstance(dtype, str) else dtype
    if name not in _DTYPES:
        raise ConfigError(f"dtype must be 'float64' or 'float32', got {dtype!r}")
    return np.dtype(_DTYPES[name])


def _rng(seed):
    if isinstance(seed, (np.random.Generator, np.random.RandomState)):
        return seed
    return np.random.default_rng(seed)


class Sequential:
    """A stack of layers followed by a loss head (output activation + loss).

    Parameters
    ----------
    layers : list of Layer
        ``Dense(units, activation=...)`` layers expand into ``Affine`` + ``Activation``.
    loss : str, optional
        Loss name (``"cce"``, ``"bce"``, ``"mse"``, ``"half_sse"``, Keras names).  If the last
        layer is an activation it becomes the head's output activation (softmax + cce and
        sigmoid + bce are fused).  May also be given later by :meth:`compile`.
    dtype : {"float64", "float32"}
    seed : int or Generator
        Used to initialise ``Dense`` layers.
    """

    def __init__(self, layers=(), loss=None, dtype="float64", seed=None, name="sequential"):
        self.dtype = _dtype(dtype)
        self.name = name
        self._rng = _rng(seed)
        self.layers: list[Layer] = []
        self.head: LossHead | None = None
        self._output_act = None
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._keys: list[tuple[str, Layer, str]] = []
        self.theta: np.ndarray | None = None  # all parameters as one vector (see pack)
        self.dtheta: np.ndarray | None = None  # all gradients as one vector
        self.input_dim: int | None = None
        self.training = False
        self.optimizer = None
        self.metrics: list[str] = []
        self.last_loss = None
        self.regularization = {"l2": 0.0, "l1": 0.0}
        for layer in layers:
            self.add(layer)
        if loss is not None:
            self.set_loss(loss)

    # -- construction ------------------------------------------------------------------------

    def add(self, layer):
        """Append a layer (Keras ``model.add``). ``Dense(..., activation=a)`` adds two layers."""
        if isinstance(layer, (list, tuple)):
            for item in layer:
                self.add(item)
            return self
        if not isinstance(layer, Layer):
            raise MlplabTypeError(f"Sequential takes Layer objects, got {type(layer).__name__}")
        if self.head is not None:
            raise ConfigError("cannot add layers after the loss is set; add all layers first")
        if isinstance(layer, Dense):
            if not layer.built:
                in_dim = self._current_dim() if self.layers else layer.input_dim
                if in_dim is None:
                    raise ConfigError(
                        "the first Dense layer needs input_dim (e.g. Dense(8, input_dim=4))"
                    )
                if not self.layers:
                    self.input_dim = int(in_dim)
                layer.build(int(in_dim), self._rng, self.dtype)
            elif not self.layers:
                self.input_dim = layer.in_features
            self.layers.append(layer)
            if layer.activation is not None and layer.activation != "identity":
                self.layers.append(Activation(layer.activation))
        else:
            if not self.layers and isinstance(layer, Affine):
                self.input_dim = layer.in_features
            self.layers.append(layer)
        self._index_params()
        return self

    def _current_dim(self):
        dim = self.input_dim
        for layer in self.layers:
            if isinstance(layer, Affine):
                dim = layer.out_features
        return dim

    def set_loss(self, loss):
        """Attach the loss head. A trailing activation layer becomes the output activation."""
        out_act = "identity"
        if self.layers and isinstance(self.layers[-1], Activation):
            out_act = self.layers[-1].fn
            self.layers = self.layers[:-1]
        elif self.head is not None:
            out_act = self.head.act
        self.head = LossHead(out_act, loss)
        self._index_params()
        return self

    def _index_params(self):
        """Name parameters DLfS-style: W1, b1 for the i-th Affine; gamma1, beta1 after it."""
        self.params = {}
        self._keys = []
        idx = 0
        for layer in self.layers:
            if isinstance(layer, Affine):
                idx += 1
            for pname, arr in layer.params.items():
                key = f"{pname}{max(idx, 1)}"
                if key in self.params:  # two norm layers after one Affine
                    key = f"{pname}{max(idx, 1)}_{len(self._keys)}"
                self.params[key] = arr
                self._keys.append((key, layer, pname))
        if self.theta is not None:  # packed before: keep every parameter (new ones too) in θ
            self._pack()

    def pack(self):
        """Keep all parameters in one vector θ and all gradients in one vector ∂L/∂θ.

        θ = concat(W1.ravel(), b1.ravel(), W2.ravel(), ...) in the order of ``params``, shape
        (P,); ``params[k]`` and each layer's ``params`` become reshaped *views* of θ (values
        kept), and each layer's ``grads`` views of ``dtheta``, so backward writes every
        gradient into ∂θ.  An optimizer can then update all parameters with one rule call:
        ``opt.update({"theta": model.theta}, {"theta": model.dtheta})`` (what
        :class:`mlplab.train.Trainer` does; the numbers are those of one update per named
        array, see :mod:`mlplab.optim`).

        :func:`MLP`, :func:`load` and :meth:`compile` (when every weight was created by mlplab)
        pack; a ``Sequential`` of your own ``Affine(W, b)`` arrays is not packed unless you call
        this — afterwards your ``W`` is a copy, and the model's weights are ``model.params``.
        """
        if self.theta is None:
            self.theta = np.empty(0, self.dtype)  # mark as packed; _pack fills it
        self._pack()
        return self

    def _pack(self):
        arrays = [layer.params[pname] for _, layer, pname in self._keys]
        if any(a.dtype != self.dtype for a in arrays):
            self.theta = self.dtheta = None  # mixed dtypes: leave the arrays as they are
            return
        n = sum(a.size for a in arrays)
        theta, dtheta = np.empty(n, self.dtype), np.zeros(n, self.dtype)
        off = 0
        for (key, layer, pname), a in zip(self._keys, arrays):
            view = theta[off : off + a.size].reshape(a.shape)
            view[...] = a
            layer.params[pname] = self.params[key] = view
            layer.grads[pname] = dtheta[off : off + a.size].reshape(a.shape)
            off += a.size
        self.theta, self.dtheta = theta, dtheta

    # -- modes ------------------------------------------------------------------------------

    def train(self):
        """Training mode: BatchNorm uses batch statistics, Dropout drops."""
        self.training = True
        return self

    def eval(self):
        """Evaluation mode (default): running statistics, no dropout."""
        self.training = False
        return self

    # -- forward / loss ---------------------------------------------------------------------

    def as_input(self, x, check=True):
        """``x`` as an array of the model's dtype, shape (N, features) (checked unless ``check``
        is False: feature count, finite values); the errors say what to change.  Samples of
        shape (d1, d2, ...), such as (N, 1, D) or images (N, 28, 28), become rows of
        d1·d2·... features, as in DLfS's ``Affine`` (not for a stack of networks, whose
        weights have a leading axis and whose inputs are (P, N, D))."""
        x = np.asarray(x)
        if x.dtype != self.dtype:
            if not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
                raise DataError(f"x must be numeric, got dtype {x.dtype}")
            x = x.astype(self.dtype)
        if x.ndim < 2:
            raise ShapeError(f"x must have shape (N, features), got {x.shape}")
        if x.ndim > 2 and all(p.ndim <= 2 for p in self.params.values()):
            x = x.reshape(len(x), -1)
        if check:
            if self.input_dim is not None and math.prod(x.shape[1:]) != self.input_dim:
                raise ShapeError(
                    f"x has {math.prod(x.shape[1:])} features per sample but the model expects "
                    f"{self.input_dim}"
                )
            if not np.isfinite(x).all():
                raise DataError("x contains NaN or infinite values; clean or impute them first")
        return x

    def require_head(self):
        """Raise :class:`ConfigError` unless the model has its loss (``compile``/``loss=``)."""
        if self.head is None:
            raise ConfigError("the model has no loss yet: call compile(loss=...) or pass loss=")

    def forward(self, x, train=None):
        """Raw output of the last layer, shape (N, C) (before the head's output activation)."""
        train = self.training if train is None else train
        for layer in self.layers:
            x = layer.forward(x, train)
        return x

    def layer_outputs(self, x, train=False):
        """Outputs of every layer in order, then the head's output (probabilities)."""
        x = self.as_input(x)
        outs = []
        for layer in self.layers:
            x = layer.forward(x, train)
            outs.append(x)
        if self.head is not None:
            outs.append(self.head.predict(x))
        return outs

    def predict(self, x):
        """Eval-mode prediction with the output activation applied, shape (N, C)."""
        self.require_head()
        x = self.as_input(x)
        return self._chunked(lambda xb: self.head.predict(self.forward(xb, False)), x)

    def predict_classes(self, x):
        """Predicted class ids (N,) (sign for ±1 tanh outputs, 0.5 threshold for sigmoid)."""
        p = self.predict(x)
        return self._classes(p)

    def _classes(self, p):
        if p.shape[-1] > 1:
            return p.argmax(axis=-1)
        if self.head.task == "classification_pm1":
            return np.where(p[:, 0] >= 0, 1, -1)
        return (p[:, 0] > 0.5).astype(np.int64)

    @staticmethod
    def _chunked(fn, x, size=10000):
        if len(x) <= size:
            return fn(x)
        return np.concatenate([fn(x[i : i + size]) for i in range(0, len(x), size)])

    @property
    def param_owners(self) -> dict[str, tuple[Layer, str]]:
        """``{key: (layer, name)}``: ``params[key]`` is ``layer.params[name]``."""
        return {key: (layer, pname) for key, layer, pname in self._keys}

    @property
    def decayed_keys(self) -> list[str]:
        """The parameters weight decay applies to: the weights (``W1``, ``W2``, ...), not the
        biases, γ or β (DLfS's choice)."""
        return [key for key in self.params if key.startswith("W")]

    def penalty(self) -> float:
        """The weight-decay term of the loss: Σ over the weights of ½·l2·W² + l1·|W|."""
        l2, l1 = self.regularization["l2"], self.regularization["l1"]
        if not (l2 or l1):
            return 0.0
        return float(
            sum(np.sum(F.weight_penalty(self.params[k], l2, l1)) for k in self.decayed_keys)
        )

    def loss(self, x, t, train=None):
        """Loss L(x, t) (plus ½λΣW² / λΣ|W| when the model has weight decay), a float."""
        self.require_head()
        x = self.as_input(x)
        train = self.training if train is None else train
        return float(self.head.forward(self.forward(x, train), t)) + self.penalty()

    def losses_at(self, stacks, x, t, max_bytes=1 << 26):
        """The eval-mode loss L(x, t) at K parameter sets at once, shape (K,) float64.

        ``stacks[key]`` holds K values of ``params[key]``, shape (K,) + params[key].shape, for
        every key.  Equals, with the model's current state (BatchNorm running statistics)::

            [self.loss(x, t) with params[key] = stacks[key][k] for every key] for k in range(K)

        but as one forward pass over a leading parameter axis (the layers broadcast a stack
        (K, ...) of their parameters; chunked to about ``max_bytes`` of activations). A speed
        helper for loss curves: ``execute_ann`` records θ after every update and evaluates the
        whole-set losses of all 1000 steps in one call (tested against the loop).
        """
        self.require_head()
        if set(stacks) != set(self.params):
            raise ConfigError(
                f"losses_at needs a stack for every parameter {sorted(self.params)}, "
                f"got {sorted(stacks)}"
            )
        stacks = {key: np.asarray(v, dtype=self.dtype) for key, v in stacks.items()}
        k_total = len(next(iter(stacks.values()), ()))
        for key, v in stacks.items():
            if v.shape != (k_total,) + self.params[key].shape:
                raise ShapeError(
                    f"stacks[{key!r}] must have shape (K,) + {self.params[key].shape} with "
                    f"K = {k_total}, got {v.shape}"
                )
        x = self.as_input(x)
        widest = max(
            [x.shape[-1]]
            + [lay.out_features for lay in self.layers if hasattr(lay, "out_features")]
        )
        unit = 4 * len(x) * widest * (len(self.layers) + 2) * self.dtype.itemsize
        chunk = max(1, int(max_bytes // unit))
        losses = np.empty(k_total)
        owner = self.param_owners
        try:
            for start in range(0, k_total, chunk):
                for key, (layer, pname) in owner.items():
                    layer.params[pname] = stacks[key][start : start + chunk]
                losses[start : start + chunk] = self.head.forward(self.forward(x, False), t)
        finally:
            for key, (layer, pname) in owner.items():
                layer.params[pname] = self.params[key]
        l2, l1 = self.regularization["l2"], self.regularization["l1"]
        if l2 or l1:  # + penalty(), summed over the weights first as penalty() does
            penalty = np.zeros(k_total)
            for key in self.decayed_keys:
                w = stacks[key].reshape(k_total, -1)
                penalty += np.sum(F.weight_penalty(w, l2, l1), axis=1)
            losses += penalty
        return losses

    def accuracy(self, x, t):
        """Fraction of correctly classified samples (eval mode); NaN for regression models."""
        self.require_head()
        if not self.head.is_classifier:
            return float("nan")
        x = self.as_input(x)
        pred = self._chunked(
            lambda xb: self._classes(self.head.predict(self.forward(xb, False))), x
        )
        t = np.asarray(t)
        if t.ndim == 2 and t.shape[1] > 1:
            t = t.argmax(axis=1)
        t = t.reshape(len(pred))
        if self.head.task == "classification_pm1":
            t = np.where(t >= 0, 1, -1)
        return float(np.mean(pred == t))

    # -- gradients --------------------------------------------------------------------------

    def gradient(self, x, t):
        """Backprop gradient of the loss (train mode) w.r.t. every parameter: dict like params.

        The arrays are the layers' ``grads`` (views of ``dtheta`` in a packed model), overwritten
        by the next call: copy them to keep them.  ``last_loss`` is set to the loss.
        """
        self.require_head()
        z = self.as_input(x, check=False)
        for layer in self.layers:
            z = layer.forward(z, True)
        self.last_loss, dout = self.head.forward_backward(z, t)
        for layer in reversed(self.layers[1:]):
            dout = layer.backward(dout)
        if self.layers:
            first = self.layers[0]
            if isinstance(first, Affine):  # dL/dx of the input is never needed: skip dout·Wᵀ
                first.param_grads(dout)
            else:
                first.backward(dout)
        grads = {key: layer.grads[pname] for key, layer, pname in self._keys}
        l2, l1 = self.regularization["l2"], self.regularization["l1"]
        if l2 or l1:  # L = E + ½·l2·ΣW² + l1·Σ|W|: add the penalty's gradient to the weights'
            self.last_loss = float(self.last_loss) + self.penalty()
            for key in self.decayed_keys:
                grads[key] += F.weight_penalty_grad(self.params[key], l2, l1)
        self.grads = grads
        return grads

    def numerical_gradient(self, x, t, h=1e-4, keys=None, max_bytes=1 << 26):
        """Central-difference gradient ∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / 2h: see
        :func:`mlplab.gradcheck.model_numerical_gradient`."""
        from .gradcheck import model_numerical_gradient

        return model_numerical_gradient(self, x, t, h=h, keys=keys, max_bytes=max_bytes)

    # -- Keras-style API ----------------------------------------------------------------------

    def compile(self, loss=None, optimizer="sgd", metrics=None, **opt_kw):
        """Set the loss, the optimizer and the metrics to report (Keras style)."""
        from .optim import get_optimizer

        if loss is not None:
            self.set_loss(loss)
        self.require_head()
        self.optimizer = get_optimizer(optimizer, **opt_kw)
        self.metrics = list(metrics or [])
        if self.theta is None and all(
            isinstance(lay, Dense) for lay in self.layers if isinstance(lay, Affine)
        ):
            self.pack()  # every array was created here (Dense, BatchNorm): nobody else holds it
        return self

    def fit(
        self,
        x,
        y,
        batch_size=32,
        epochs=1,
        validation_data=None,
        seed=None,
        verbose=0,
        callbacks=(),
        **kw,
    ):
        """Train with :class:`mlplab.train.Trainer`; returns its :class:`~mlplab.train.History`.

        ``batch_size=len(x)`` is batch gradient descent, ``1`` stochastic GD, anything between
        mini-batch GD (slides 003).  Other keyword arguments go to the Trainer
        (``sampling="replace"``, ``iterations=...``, ``gradient="numerical"``, ...).
        """
        from .train import Trainer

        self.require_head()
        if self.optimizer is None:
            self.compile(optimizer="sgd")
        trainer = Trainer(
            self,
            self.optimizer,
            batch_size=batch_size,
            epochs=None if kw.get("iterations") else epochs,
            validation_data=validation_data,
            seed=seed,
            sampling=kw.pop("sampling", "shuffle"),
            callbacks=callbacks,
            progress="auto" if verbose else False,
            **kw,
        )
        return trainer.fit(x, y)

    def evaluate(self, x, t):
        """(loss, accuracy) on (x, t) in eval mode."""
        return self.loss(x, t, train=False), self.accuracy(x, t)

    # -- weights ---------------------------------------------------------------------------

    @property
    def n_params(self) -> int:
        return int(sum(a.size for a in self.params.values()))

    def get_weights(self) -> dict[str, np.ndarray]:
        """Copies of all parameters."""
        return {k: v.copy() for k, v in self.params.items()}

    def set_weights(self, weights: dict):
        """Copy values into the parameter arrays in place (shapes must match)."""
        for k, v in weights.items():
            if k not in self.params:
                raise ConfigError(
                    f"unknown parameter {k!r}; the model has {', '.join(self.params)}"
                )
            v = np.asarray(v)
            if v.shape != self.params[k].shape:
                raise ShapeError(f"{k} must have shape {self.params[k].shape}, got {v.shape}")
            np.copyto(self.params[k], v)
        return self

    @property
    def named(self):
        """Notebook-style scalar names (w11 … w33, b11 … b21) as views on the same arrays."""
        return NamedParams(self)

    # -- description ---------------------------------------------------------------------------

    def summary(self, lang: str = "en") -> str:
        """A table: layer, output shape, parameter count (headings in ``lang``, "en"/"ko")."""
        from .i18n import pad, t, width

        rows = [
            (t("model.col_layer", lang), t("model.col_shape", lang), t("model.col_params", lang))
        ]
        dim = self.input_dim
        for layer in self.layers:
            if dim is not None:
                dim = layer.output_dim(dim)
            n = sum(a.size for a in layer.params.values())
            label = (
                repr(layer)
                if not isinstance(layer, Affine)
                else f"Affine({layer.in_features}→{layer.out_features})"
            )
            rows.append((label, f"(None, {dim})", str(n)))
        if self.head is not None:
            rows.append(
                (f"Output: {self.head.activation} + {self.head.loss} loss", f"(None, {dim})", "0")
            )
        w = [max(width(r[i]) for r in rows) for i in range(3)]
        sep = "-" * (sum(w) + 6)
        lines = [sep]
        lines += [f"{pad(a, w[0])}   {pad(b, w[1])}   {pad(c, w[2], '>')}" for a, b, c in rows]
        lines.insert(2, sep)
        total = t("model.total", lang, n=self.n_params, dtype=self.dtype.name)
        lines += [sep, total]
        return "\n".join(lines)

    def _repr_html_(self):
        """Jupyter: the :meth:`summary` table (``mlplab.viz`` adds the network drawing)."""
        import html

        return f"<pre>{html.escape(self.summary())}</pre>"

    def __repr__(self):
        sizes = [self.input_dim] + [
            lay.out_features for lay in self.layers if isinstance(lay, Affine)
        ]
        return f"Sequential({'-'.join(map(str, sizes))}, params={self.n_params}, dtype={self.dtype.name})"

    def config(self) -> dict:
        """JSON-able architecture (everything but the arrays)."""
        return {
            "format": "mlplab.Sequential",
            "version": FORMAT_VERSION,
            "dtype": self.dtype.name,
            "input_dim": self.input_dim,
            "layers": [layer.config() for layer in self.layers],
            "head": None if self.head is None else self.head.config(),
            "regularization": dict(self.regularization),
        }

    @classmethod
    def from_config(cls, cfg: dict, limits=None) -> Sequential:
        """Rebuild a model (with zero parameters) from :meth:`config`.

        The description is validated first (:func:`mlplab.modelfile.check_config`, against
        ``limits``, a :class:`~mlplab.modelfile.ModelLimits`): a malformed one raises a
        one-line :class:`CheckpointError` before anything is allocated.
        """
        from .modelfile import check_config

        check_config(cfg, limits)
        dtype = _dtype(cfg.get("dtype", "float64"))
        model = cls(dtype=dtype)
        for lc in cfg["layers"]:
            model.add(layer_from_config(lc, dtype))
        if model.input_dim is None:
            model.input_dim = cfg.get("input_dim")
        if cfg.get("head"):
            h = cfg["head"]
            model.head = LossHead(h["activation"], h["loss"])
        model.regularization.update(cfg.get("regularization") or {})
        return model.pack()

    def save(self, path) -> Path:
        """Write ``path`` (.npz): architecture JSON + parameters + BatchNorm statistics.

        See :func:`mlplab.modelfile.save` (atomic; ``.npz`` appended if missing).
        """
        from .modelfile import save

        return save(self, path)


def load(source, *, limits=None, name=None) -> Sequential:
    """Load a model file safely: see :func:`mlplab.modelfile.load` (never unpickles)."""
    from .modelfile import load as _load

    return _load(source, limits=limits, name=name)


class NamedParams(MutableMapping):
    """The seed notebook's scalar names for a net with one hidden layer (I ≤ 9 inputs, H ≤ 9 units).

    * ``w{i}{j}`` — weight from input i to hidden unit j  (W1[i−1, j−1]);
    * ``b1{j}``  — bias of hidden unit j  (b1[j−1]);
    * ``w{I+1}{j}`` — weight from hidden unit j to the output (W2[j−1, 0]), e.g. w31 for I = 2;
    * ``b2{k}``  — bias of output k (b2[k−1]).

    Reading gives a float; assigning writes into the model's arrays.  ``dict(model.named)`` is a
    snapshot in the notebook's format.
    """

    def __init__(self, model: Sequential):
        affines = [lay for lay in model.layers if isinstance(lay, Affine)]
        if len(affines) != 2:
            raise ConfigError("notebook names (w11, b21, ...) need exactly one hidden layer")
        W1, W2 = affines[0].params["W"], affines[1].params["W"]
        I, H = W1.shape
        if I > 9 or H > 9 or W2.shape[1] > 9:
            raise ConfigError("notebook names (w11, ...) work for at most 9 inputs/units per layer")
        self._map = {}
        for i in range(I):
            for j in range(H):
                self._map[f"w{i + 1}{j + 1}"] = (W1, (i, j))
        for j in range(H):
            self._map[f"b1{j + 1}"] = (affines[0].params["b"], (j,))
        for j in range(H):
            for k in range(W2.shape[1]):
                name = f"w{I + 1}{j + 1}" if W2.shape[1] == 1 else f"w{I + 1}{j + 1}_{k + 1}"
                self._map[name] = (W2, (j, k))
        for k in range(W2.shape[1]):
            self._map[f"b2{k + 1}"] = (affines[1].params["b"], (k,))

    def _order(self):
        keys = list(self._map)
        bs = [k for k in keys if k.startswith("b")]
        ws = [k for k in keys if k.startswith("w")]
        return bs + ws

    def __getitem__(self, key):
        arr, idx = self._map[key]
        return float(arr[idx])

    def __setitem__(self, key, value):
        if key not in self._map:
            raise ConfigError(f"unknown parameter name {key!r}; names: {', '.join(self._order())}")
        arr, idx = self._map[key]
        arr[idx] = value

    def __delitem__(self, key):
        raise ConfigError("parameters cannot be deleted")

    def __iter__(self):
        return iter(self._order())

    def __len__(self):
        return len(self._map)

    def view(self, key) -> np.ndarray:
        """A 0-d array view of one scalar parameter (writes go to the model)."""
        arr, idx = self._map[key]
        return arr[idx + (Ellipsis,)]

    def __repr__(self):
        return "{" + ", ".join(f"'{k}': {self[k]:.4g}" for k in self) + "}"


def MLP(
    sizes,
    activation="relu",
    output=None,
    loss="cce",
    init="he",
    init_kw=None,
    bias_init=0.0,
    batchnorm=False,
    bn_kw=None,
    layernorm=False,
    dropout=0.0,
    weight_decay=0.0,
    l1=0.0,
    dtype="float64",
    seed=None,
) -> Sequential:
    """Build a multilayer perceptron from a compact spec (DLfS ``MultiLayerNet(Extend)``).

    Parameters
    ----------
    sizes : list of int
        ``[n_in, h1, ..., n_out]``, e.g. ``[784, 100, 100, 10]`` or the notebook's ``[2, 3, 1]``.
    activation : str or list of str
        Hidden activation (one name, or one per hidden layer).
    output : str, optional
        Output activation; default from the loss (cce → softmax, bce → sigmoid, else identity).
    loss : str
        ``"cce"``, ``"bce"``, ``"mse"``, ``"half_sse"`` ...
    init : str, number or dict
        Weight initializer (:func:`mlplab.init.get_initializer`); DLfS's ``weight_init_std``
        values ``"relu"``/``"he"``, ``"sigmoid"``/``"xavier"`` and numbers (std) work.
    bias_init : float
        Initial value of every bias (TF Playground uses 0.1).
    batchnorm, bn_kw : bool, dict
        Insert BatchNorm after each hidden Affine (Affine → BN → activation → dropout).
    dropout : float
        Inverted dropout rate after each hidden activation.
    weight_decay, l1 : float
        L2 (½λΣW² in the loss, λW in the gradient, as DLfS) and L1 penalties on weights.
    seed : int, numpy.random.Generator or numpy.random.RandomState
        Stream of the weights (and of the dropout layers' seeds).  A ``RandomState`` draws the
        weights exactly as DLfS's ``np.random.randn`` after ``np.random.seed``: layer by layer.
    """
    from .init import get_initializer

    if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
        raise ConfigError(
            f"sizes must be a list like [2, 3, 1] (inputs, hidden..., outputs), got {sizes!r}"
        )
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1:
            raise ConfigError(f"every layer size must be a positive integer, got {sizes!r}")
    n_hidden = len(sizes) - 2
    acts = list(activation) if isinstance(activation, (list, tuple)) else [activation] * n_hidden
    if len(acts) != n_hidden:
        raise ConfigError(f"activation list has {len(acts)} entries for {n_hidden} hidden layers")
    acts = [F.canonical_activation(a) for a in acts]
    loss_key = F.canonical_loss(loss)
    if output is None:
        output = {
            "cce": "softmax",
            "softmax_cce": "softmax",
            "bce": "sigmoid",
            "bce_logits": "sigmoid",
        }.get(loss_key, "identity")
    dt = _dtype(dtype)
    rng = _rng(seed)
    make_w = get_initializer(init, **(init_kw or {}))
    model = Sequential(dtype=dt, seed=rng)
    for i in range(len(sizes) - 1):
        n_in, n_out = int(sizes[i]), int(sizes[i + 1])
        W = np.ascontiguousarray(make_w((n_in, n_out), rng, dt), dtype=dt)
        b = np.full(n_out, bias_init, dtype=dt)
        model.add(Affine(W, b))
        if i < n_hidden:
            if batchnorm:
                model.add(BatchNorm(n_out, dtype=dt, **(bn_kw or {})))
            if layernorm:
                model.add(LayerNorm(n_out, dtype=dt))
            model.add(Activation(acts[i]))
            if dropout:  # the mask stream's seed comes from the model's stream
                seed = rng.integers(2**63) if hasattr(rng, "integers") else rng.randint(2**63)
                model.add(Dropout(dropout, seed=seed))
    model.add(Activation(output))
    model.set_loss(loss_key)
    model.regularization = {"l2": float(weight_decay), "l1": float(l1)}
    if weight_decay < 0 or l1 < 0:
        raise ConfigError("weight_decay and l1 must be >= 0")
    return model.pack()
