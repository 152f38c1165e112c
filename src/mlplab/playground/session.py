"""One playground session: data, model, optimizer, epoch counter and loss history.

Independent of the web layer: the server creates one :class:`Session` per browser tab; its
worker thread (:mod:`mlplab.playground.worker`) calls :meth:`Session.train` in short time
slices (resumable at mini-batch granularity) and sends :meth:`Session.frame` to the page.

Training follows TensorFlow Playground (reference §2): one epoch is one pass over the
training points in a fixed order (shuffled once at generation) in mini-batches of
``batchSize``; each update uses the mean gradient of the batch,
``w <- w - lr * (1/B) * sum_i dE_i/dw``; the displayed loss is the mean of
``E = 1/2 (o - t)^2`` (or the cross-entropy) without the regularization term.

Two TF details are kept exactly:

* **Partial last batch.** TF updates when ``(i + 1) % batchSize == 0`` with ``i`` the index
  inside the epoch, so the gradients of a leftover partial batch stay accumulated and are
  applied with the first update of the next epoch (250 points, batch 30: 8 updates, 10 points
  carried, the next epoch's first update averages over 40).  The *accumulated* gradient sum
  is stored (:attr:`Session.carry`), not recomputed later.
* **Regularization after the step.** After the optimizer step, weights (never biases) get
  ``w <- w - lr * lam * R'(w_old)`` with ``R'(w) = sign(w)`` (L1) or ``w`` (L2), ``w_old``
  the weight before the step.  Under L1 a weight that crosses zero is set to 0 and marked
  dead (:attr:`Session.dead`); it stays frozen at 0 until the network is rebuilt or reset.

For a data set smaller than the batch TF never updates; here the batch is then the whole
training set.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import json
import math
import os
import tempfile
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from mlplab.errors import CheckpointError, ConfigError, DataError, MlplabError
from mlplab.playground import schema

GRID = 100  #: heatmap resolution (TF: DENSITY = 100)
THUMB = 10  #: thumbnail resolution (TF: 10x10, average-pooled by 10)
HISTORY_SIZE = 500  #: at most this many (epoch, train, test) points are kept
NUM_CLASSIFY = 500  #: TF: NUM_SAMPLES_CLASSIFY
NUM_REGRESS = 1200  #: TF: NUM_SAMPLES_REGRESS

#: The notebook's 2-3-1 network (seed 001): a_j = b1j + w1j*x1 + w2j*x2, W1[i, j] = w(i+1)(j+1).
NOTEBOOK_PARAMS = {
    "W1": [[0.2, 0.3, 0.8], [0.7, 0.8, 0.3]],
    "b1": [0.0, 0.0, 0.0],
    "W2": [[0.3], [0.1], [0.2]],
    "b2": [0.0],
}


def _import_limits():
    from mlplab.modelfile import ModelLimits

    units = len(schema.FEATURES) + schema.MAX_UPLOAD_COLS  # the widest input layer
    return ModelLimits(
        max_layers=4 * (schema.MAX_LAYERS + 1),  # Affine, BatchNorm, Activation, Dropout
        max_units=max(units, schema.MAX_NEURONS, schema.MAX_CLASSES),
        max_params=20_000,
        max_file_bytes=schema.MAX_IMPORT_BYTES,
        max_meta_bytes=64_000,
        max_extra_bytes=64_000,
        max_members=100,
    )


#: What an imported model file may be (:class:`mlplab.modelfile.ModelLimits`): a network the
#: playground can hold, in a file of at most :data:`schema.MAX_IMPORT_BYTES`.
IMPORT_LIMITS = _import_limits()

#: Most numbers of an uploaded data set that the Python export writes out as literals.
SNIPPET_MAX_NUMBERS = 60_000

#: One-click presets: a partial state, and optionally fixed initial weights.
PRESETS: dict[str, dict[str, Any]] = {
    "notebook-231": {
        "state": {
            "problem": "classification",
            "dataset": "quadratic",
            "features": ["x", "y"],
            "networkShape": [3],
            "activation": "relu",
            "loss": "crossentropy",
            "learningRate": 0.1,
            "batchSize": 20,
            "percTrainData": 50,
            "noise": 0,
            "seed": 317,
            "optimizer": "sgd",
            "regularization": "none",
            "batchNorm": False,
            "dropout": 0.0,
        },
        "params": NOTEBOOK_PARAMS,
    },
    "quiz-linear": {"state": {"dataset": "xor", "activation": "linear", "networkShape": [4, 2]}},
    "quiz-relu": {"state": {"dataset": "xor", "activation": "relu", "networkShape": [4, 2]}},
    "quiz-sigmoid": {"state": {"dataset": "xor", "activation": "sigmoid", "networkShape": [4, 2]}},
    "quiz-nohidden": {"state": {"dataset": "xor", "activation": "sigmoid", "networkShape": []}},
    "quiz-hidden": {"state": {"dataset": "xor", "activation": "sigmoid", "networkShape": [4]}},
}
_PRESET_BASE = {
    "problem": "classification",
    "features": ["x", "y"],
    "loss": "squared",
    "learningRate": 0.03,
    "batchSize": 10,
    "optimizer": "sgd",
    "regularization": "none",
    "percTrainData": 50,
    "noise": 0,
}


# --- small helpers ---------------------------------------------------------------------------
def dumps(obj: Any) -> str:
    """Compact JSON for the page (NaN/inf must already be ``None``: see :func:`clean`)."""
    return json.dumps(obj, separators=(",", ":"), allow_nan=False)


def encode_unit(values: np.ndarray) -> str:
    """Quantize values in [-1, 1] to uint8 and base64 them.

    ``q = round((clip(v, -1, 1) + 1) * 127)`` in 0..254; NaN / inf -> 255 (drawn grey).
    """
    v = np.asarray(values, dtype=np.float64)
    bad = ~np.isfinite(v)
    q = np.rint((np.clip(np.nan_to_num(v), -1.0, 1.0) + 1.0) * 127.0).astype(np.uint8)
    q[bad] = 255
    return base64.b64encode(q.tobytes()).decode("ascii")


def clean(a: Any, digits: int = 5) -> Any:
    """Array -> nested lists of rounded floats with ``None`` for NaN/inf (valid JSON)."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 0:
        x = float(arr)
        return round(x, digits) if math.isfinite(x) else None
    return (
        [clean(r, digits) for r in arr]
        if arr.ndim > 1
        else [round(float(x), digits) if math.isfinite(x) else None for x in arr]
    )


def _num(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def pool(grid: np.ndarray, factor: int = GRID // THUMB) -> np.ndarray:
    """Average-pool the last two axes ``(..., 100, 100) -> (..., 10, 10)`` (TF ``reduceMatrix``)."""
    *lead, h, w = grid.shape
    return grid.reshape(*lead, h // factor, factor, w // factor, factor).mean(axis=(-3, -1))


def feature_matrix(X: np.ndarray, names: list[str]) -> np.ndarray:
    """The TF input features of raw 2-D points (``x, y, x^2, y^2, xy, sin x, sin y``).

    Thin wrapper of :func:`mlplab.data.playground.features`; shape ``(N, len(names))``.
    """
    from mlplab.data.playground import features

    return features(X, list(names))


def quadratic_data(seed: int = 317, n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """The notebook's "quadratic" set as ``(2n, 2)`` points and +-1 labels.

    :func:`mlplab.data.datasets.quadratic` (bit for bit the notebook's ``np.random.seed(317)``
    data): the first ``n`` rows are its training set, the next ``n`` its test set.
    """
    from mlplab.data.datasets import quadratic

    X, y, Xt, yt = quadratic(n=n, seed=seed)
    return np.vstack([X, Xt]), np.where(np.concatenate([y, yt]) > 0, 1.0, -1.0)


def parse_csv(text: str, label: int = -1) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Parse uploaded CSV text with :func:`mlplab.data.csvdata.load_csv` and the upload limits.

    ``load_csv`` reads the text as a stream straight into float arrays and checks the
    limits while reading (:data:`~mlplab.playground.schema.MAX_UPLOAD_BYTES`, rows, columns,
    :data:`~mlplab.playground.schema.MAX_CELL_CHARS` per cell), so a crafted file costs no
    more memory than its numbers.  The label column is read as classes when its values are
    integers or text (mapped to ``0..k-1``) and as regression targets when they are other
    numbers; integer labels with more than :data:`~mlplab.playground.schema.MAX_CLASSES`
    values are also regression.

    Parameters
    ----------
    text : str
        The CSV file (optional header row).
    label : int
        Label column index (negative counts from the end).

    Returns
    -------
    X : ndarray, shape (N, C - 1)
        Every column but the label, in file order.
    y : ndarray, shape (N,)
        int64 class ids (classification) or float64 targets (regression).
    info : dict
        ``load_csv``'s info plus ``names`` (all C column names) and ``feature_cols`` (the
        original index of every column of ``X``).

    Raises
    ------
    DataError
        Over a limit, or any problem ``load_csv`` finds (with the line number), e.g.
        ``upload: line 3: 2 fields, expected 3 like line 1``.
    """
    from mlplab.data.csvdata import load_csv

    def load(task: str):
        try:
            return load_csv(
                io.StringIO(text), label=label, task=task, name="upload",
                max_rows=schema.MAX_UPLOAD_ROWS, max_cols=schema.MAX_UPLOAD_COLS,
                max_cell_chars=schema.MAX_CELL_CHARS, max_bytes=schema.MAX_UPLOAD_BYTES,
            )  # fmt: skip
        except ConfigError as e:  # a label index outside the columns
            raise DataError(f"upload: {e}") from None

    try:
        X, y, info = load("classification")
        if len(info["class_names"]) > schema.MAX_CLASSES:
            if not all(_is_float(c) for c in info["class_names"]):
                raise DataError(
                    f"upload: the label has {len(info['class_names'])} classes;"
                    f" at most {schema.MAX_CLASSES}"
                )
            X, y, info = load("regression")
    except DataError as e:
        if "non-integer class" not in str(e):
            raise
        X, y, info = load("regression")
    ncol = X.shape[1] + 1
    if ncol < 3:
        raise DataError(f"upload: need 3..{schema.MAX_UPLOAD_COLS} columns, got {ncol}")
    if len(X) < 4:
        raise DataError(f"upload: need at least 4 data rows, got {len(X)}")
    label %= ncol
    names = [f"col{j + 1}" for j in range(ncol)]
    if info["header"]:
        names = [c[:40] for c in info["feature_names"]]
        names.insert(label, info["label_name"][:40])
    info["names"] = names
    info["label_index"] = label
    info["feature_cols"] = [j for j in range(ncol) if j != label]
    return X, y, info


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@functools.cache
def dataset_thumbnails() -> dict[str, dict[str, dict[str, Any]]]:
    """Points for the dataset pickers, generated like TF (200 points at noise 0).

    Returns
    -------
    dict
        ``{problem: {name: {"points": [[x, y, label], ...], "domain": d}}}``; labels are
        +-1 (classification), targets (regression) or class ids (multi-class).
    """
    from mlplab.data import datasets
    from mlplab.data import playground as pdata

    def pack(X, y, domain=None):
        X = np.asarray(X, dtype=np.float64)
        d = domain or math.ceil(float(np.max(np.abs(X))) * 1.2 * 2) / 2
        return {"points": clean(np.column_stack([X, y]), 3), "domain": d}

    out: dict[str, dict[str, dict[str, Any]]] = {"classification": {}, "regression": {}}
    for name in ("circle", "xor", "gauss", "spiral"):
        out["classification"][name] = pack(*pdata.generate(name, n=200, noise=0, seed=0), 6.0)
    out["classification"]["quadratic"] = pack(*quadratic_data(317))
    for name in ("reg-plane", "reg-gauss"):
        out["regression"][name] = pack(*pdata.generate(name, n=200, noise=0, seed=0), 6.0)
    mc: dict[str, dict[str, Any]] = {"spiral": pack(*datasets.spiral(67, 3, 0.0, 0))}
    for gate in ("and", "or", "xor", "nand", "nor"):
        X, y = datasets.gates(gate)
        mc[gate] = pack(np.asarray(X, dtype=np.float64) * 2 - 1, y, 1.5)
    out["multiclass"] = mc
    return out


# --- the session -----------------------------------------------------------------------------
class Session:
    """A playground model with its data, optimizer, epoch counter and bounded history.

    Parameters
    ----------
    state : dict, optional
        Partial client state (see :data:`mlplab.playground.schema.DEFAULTS`).
    history_size : int
        Maximum number of loss-chart points kept; older ones are decimated by 2.

    Attributes
    ----------
    state : dict
        Normalized full state.
    epoch : int
        Epochs run since the last reset.
    model : mlplab.model.MLP
        The network (``model.params`` edited in place by :meth:`edit`).
    dead : dict of str -> ndarray of bool
        Per weight matrix (``W1``, ...), the weights killed by L1 (frozen at 0).
    carry : tuple (dict, int) or None
        Accumulated gradient *sum* of the previous epoch's leftover partial batch and its
        number of points (applied with the next epoch's first update).
    """

    def __init__(self, state: dict | None = None, *, history_size: int = HISTORY_SIZE):
        self.state = schema.validate_state(state or {})
        self.history_size = history_size
        self.upload: dict[str, Any] | None = None
        self.focus: list[int] | None = None
        self.playing = False
        self.stopped: str | None = None
        self.fixed_params: dict[str, list] | None = None
        self.data_version = 0
        self._steps: Iterator[None] | None = None  # the epoch in progress (see train)
        self._make_data()
        self._build()

    # ---------------------------------------------------------------- data
    def _make_data(self) -> None:
        s = self.state
        problem, seed, noise = s["problem"], s["seed"], s["noise"]
        name = {
            "classification": s["dataset"],
            "regression": s["regDataset"],
            "multiclass": s["mcDataset"],
        }[problem]
        self.classes = 1
        E = None  # extra (non-plotted) input columns of an upload
        if name == "upload":
            if self.upload is None:
                raise ConfigError("dataset 'upload' needs an uploaded CSV file first")
            X, y, E = self.upload["X"], self.upload["y"], self.upload["E"]
            if problem == "multiclass":
                self.classes = int(y.max()) + 1
        elif problem == "multiclass":
            from mlplab.data import datasets

            if name == "spiral":
                k = s["numClasses"]
                X, y = datasets.spiral(max(NUM_CLASSIFY // k, 10), k, noise / 100.0, seed)
            else:  # a logic gate's truth table, two classes
                X, y = datasets.gates(name)
            X = np.asarray(X, dtype=np.float64)
            y = np.asarray(y).astype(np.int64)
            self.classes = max(2, int(y.max()) + 1)
        elif name == "quadratic":
            X, y = quadratic_data(seed if seed else 317)
        else:
            from mlplab.data import playground as pdata

            X, y = pdata.generate(name, noise=noise, seed=seed)
            X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
        n = len(X)
        if E is None:
            E = np.zeros((n, 0))
        if name == "quadratic":
            order = np.arange(n)  # the notebook's own train/test halves
        else:
            order = np.random.default_rng([seed, 7]).permutation(n)
        X, y, E = X[order], y[order], E[order]
        if n <= 8:  # a gate's 4-row truth table: train and test on all of it
            self.X_train, self.y_train, self.X_test, self.y_test = X, y, X, y
            self.E_train = self.E_test = E
        else:
            k = max(1, min(n - 1, (n * s["percTrainData"]) // 100))
            self.X_train, self.y_train, self.E_train = X[:k], y[:k], E[:k]
            self.X_test, self.y_test, self.E_test = X[k:], y[k:], E[k:]
        # the heatmap holds the extra columns at their mean over all rows
        self.extra_means = E.mean(axis=0) if n else np.zeros(E.shape[1])
        extent = float(np.max(np.abs(X))) if n else 6.0
        self.domain = (
            6.0
            if name not in ("upload", "quadratic") and problem != "multiclass"
            else (math.ceil(extent * 1.2 * 2) / 2 if extent > 0 else 1.0)
        )
        d = self.domain
        if name == "upload":  # each plotted column over its own range, 10 % margin
            lo, hi = X.min(axis=0), X.max(axis=0)
            pad = np.where(hi > lo, 0.1 * (hi - lo), 0.5)
            lo, hi = lo - pad, hi + pad
            self.extent = [float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])]
        else:
            self.extent = [-d, d, -d, d]
        self._grid_points = self._grid_inputs = None  # rebuilt on demand (see _grid_xy)
        self.data_version += 1

    @property
    def _grid_xy(self) -> np.ndarray:
        """The heatmap's cell centres over :attr:`extent`, shape ``(GRID * GRID, 2)``, row 0 = top.

        Built on first use and dropped by :meth:`compact`.
        """
        if self._grid_points is None:
            x0, x1, y0, y1 = self.extent
            cx = x0 + (np.arange(GRID) + 0.5) * ((x1 - x0) / GRID)
            cy = y0 + (np.arange(GRID) + 0.5) * ((y1 - y0) / GRID)
            gx, gy = np.meshgrid(cx, cy[::-1])  # row 0 = top = y1
            self._grid_points = np.stack([gx.ravel(), gy.ravel()], axis=1)
        return self._grid_points

    @property
    def _grid_in(self) -> np.ndarray:
        """Network inputs of the heatmap cells ``(GRID * GRID, n_in)``; extra columns at their mean."""
        if self._grid_inputs is None:
            xy = self._grid_xy
            grid_e = np.broadcast_to(self.extra_means, (len(xy), len(self.extra_means)))
            self._grid_inputs = self._inputs(xy, grid_e)
        return self._grid_inputs

    def _targets(self, y: np.ndarray) -> np.ndarray:
        if self.state["problem"] == "multiclass":
            return np.eye(self.classes)[y.astype(np.int64)]
        if self.state["problem"] == "classification" and self.loss_name == "bce":
            return (y > 0).astype(np.float64)[:, None]
        return y.astype(np.float64)[:, None]

    # ---------------------------------------------------------------- model
    @property
    def loss_name(self) -> str:
        s = self.state
        if s["problem"] == "multiclass":  # softmax outputs; squared error or cross-entropy
            return "cce" if s["loss"] == "crossentropy" else "half_sse"
        if s["problem"] == "classification" and s["loss"] == "crossentropy":
            return "bce"
        return "half_sse"

    @property
    def output_name(self) -> str:
        if self.state["problem"] == "multiclass":
            return "softmax"
        return {"cce": "softmax", "bce": "sigmoid"}.get(
            self.loss_name, "tanh" if self.state["problem"] == "classification" else "linear"
        )

    def sizes(self) -> list[int]:
        """Layer sizes ``[n_features, *hidden, n_out]``."""
        out = self.classes if self.state["problem"] == "multiclass" else 1
        n_in = len(self.state["features"]) + self.E_train.shape[1]
        return [n_in, *self.state["networkShape"], out]

    def _inputs(self, X: np.ndarray, E: np.ndarray) -> np.ndarray:
        """Network inputs ``(N, n_in)``: the TF features of the plotted pair, then the extras."""
        return np.hstack([feature_matrix(X, self.state["features"]), E])

    def _set_inputs(self) -> None:
        self.Xf_train = self._inputs(self.X_train, self.E_train)
        self.Xf_test = self._inputs(self.X_test, self.E_test)
        self.T_train = self._targets(self.y_train)
        self.T_test = self._targets(self.y_test)
        self._grid_inputs = None
        self._steps = None  # a partial epoch over the old inputs is dropped

    def work(self) -> tuple[int, int]:
        """``(data rows, network parameters)`` whose product :data:`schema.MAX_WORK` bounds."""
        rows = len(self.X_train) + (0 if self.X_test is self.X_train else len(self.X_test))
        sizes = self.sizes()
        return rows, sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))

    def _check_work(self) -> None:
        rows, params = self.work()
        if rows * params > schema.MAX_WORK:
            raise ConfigError(
                f"data rows x network parameters must be at most {schema.MAX_WORK:,}; this"
                f" setup has {rows:,} x {params:,} = {rows * params:,}: use fewer rows,"
                " input columns or neurons"
            )

    def _build(self) -> None:
        from mlplab.model import MLP

        self._check_work()
        s = self.state
        if s["initZero"]:
            init, init_kw, bias = "zeros", {}, 0.0
        elif s["init"] == "tf":
            init, init_kw, bias = "uniform", {"a": -0.5, "b": 0.5}, 0.1
        else:
            init, init_kw, bias = s["init"], {}, 0.0
        self.model = MLP(
            self.sizes(),
            activation=s["activation"],
            output=self.output_name,
            loss=self.loss_name,
            init=init,
            init_kw=init_kw,
            bias_init=bias,
            batchnorm=s["batchNorm"],
            dropout=s["dropout"],
            # regularization is applied after the optimizer step (see _update), not here
            seed=int(np.random.default_rng([s["initSeed"], 11]).integers(2**31)),
        )
        if self.fixed_params is not None:
            self._load_params(self.fixed_params)
        self.initial = {k: v.copy() for k, v in self.model.params.items()}
        self._set_inputs()
        self.hist_version = 0
        self._restart()

    def _restart(self) -> None:
        """Epoch 0: fresh optimizer, no dead weights or carried gradient, new history."""
        self._steps = None
        self._new_optimizer()
        self._clear_training_state()
        self.epoch = 0
        self.stopped = None
        self.history = np.zeros((0, 3))
        self.hist_stride = 1
        self.hist_version += 1
        self._hist_sent = 0
        self._measure()
        self._record()  # the loss chart starts at epoch 0, like TF's

    def _clear_training_state(self) -> None:
        """No dead weights and no carried gradient (a rebuilt or reset network)."""
        self.dead = {k: np.zeros(v.shape, dtype=bool) for k, v in self.model.params.items()}
        self.dead = {k: m for k, m in self.dead.items() if k.startswith("W")}
        self.carry: tuple[dict[str, np.ndarray], int] | None = None

    def _load_params(self, params: dict[str, Any]) -> None:
        """Copy given weights into the model: every one checked first, then all written."""
        arrays = {}
        for key, val in params.items():
            try:
                arr = np.asarray(val, dtype=np.float64)
            except (TypeError, ValueError):
                raise ConfigError(f"parameter {key} must be an array of numbers") from None
            if key not in self.model.params or self.model.params[key].shape != arr.shape:
                raise ConfigError(f"parameter {key} does not fit this network")
            if not np.all(np.isfinite(arr)):
                raise ConfigError(f"parameter {key} must hold finite numbers")
            arrays[key] = arr
        for key, arr in arrays.items():
            self.model.params[key][...] = arr

    def _new_optimizer(self) -> None:
        from mlplab.optim import get_optimizer

        s = self.state
        self.optimizer = get_optimizer(s["optimizer"], lr=s["learningRate"])

    def current_lr(self) -> float:
        """Learning rate of the current epoch: the base rate under :mod:`mlplab.optim` schedules.

        Stepped per epoch ``e``: step ``lr * 0.5^floor(e/100)``; exponential
        ``lr * 0.99^(e/10)``; inverse_time ``lr / (1 + 0.01 e)``; cosine over ``maxEpochs``
        (or 1000) epochs ``lr * (1 + cos(pi e / T)) / 2``.
        """
        from mlplab import optim

        spec = self._schedule_spec()
        if spec is None:
            return self.state["learningRate"]
        cls, args = spec
        return float(getattr(optim, cls)(*args)(self.epoch))

    def _schedule_spec(self) -> tuple[str, tuple] | None:
        """``(class name in mlplab.optim, constructor arguments)`` of the lr schedule, or None
        (shared by :meth:`current_lr` and the Python export)."""
        s = self.state
        lr = s["learningRate"]
        return {
            "none": None,
            "step": ("StepDecay", (lr, 100, 0.5)),
            "exponential": ("ExponentialDecay", (lr, 0.99, 10)),
            "inverse_time": ("InverseTimeDecay", (lr, 0.01)),
            "cosine": ("CosineDecay", (lr, s["maxEpochs"] or 1000)),
        }[s["lrSchedule"]]

    # ---------------------------------------------------------------- state changes
    def update_state(self, raw: dict[str, Any]) -> dict[str, bool]:
        """Apply a partial state from the client.

        Returns ``{"data": bool, "reset": bool}``: whether new data was generated and
        whether the network was rebuilt (TF semantics, reference §1a); ``learningRate``
        and the other live fields apply without a reset.
        """
        new = schema.validate_state(raw, self.state)
        changed = {k for k in new if new[k] != self.state[k]}
        data = bool(changed & schema.DATA_KEYS)
        reset = data or bool(changed & schema.MODEL_KEYS)
        with self._all_or_nothing():
            self.state = new
            if data:
                self._make_data()
            if reset:
                self.fixed_params = None
                self._build()
            elif "learningRate" in changed:
                self.optimizer.lr = self.current_lr()
            if changed & {"maxEpochs", "targetLoss"}:
                self.stopped = None
        return {"data": data, "reset": reset}

    def reset(self, same: bool = True) -> None:
        """Epoch 0 with the same initial weights (``same``) or freshly drawn ones."""
        if same:
            for k, v in self.initial.items():
                self.model.params[k][...] = v
            self._restart()
        else:  # a new init seed, kept in the state (URL) so the draw is reproducible
            seed = np.random.default_rng([self.state["initSeed"], 5]).integers(1, schema.MAX_SEED)
            self.state["initSeed"] = int(seed)
            self.fixed_params = None
            self._build()
        self.playing = False

    def regenerate(self) -> None:
        """New data seed and data; the network is kept (TF's Regenerate)."""
        seed = int(np.random.default_rng([self.state["seed"], 3]).integers(1, 1_000_000))
        self.state["seed"] = seed
        self._make_data()
        self._set_inputs()
        self._measure()

    def apply_preset(self, name: str) -> None:
        """Load a one-click preset (notebook 2-3-1 setup, seed quizzes)."""
        p = PRESETS[name]
        raw = dict(_PRESET_BASE)
        raw.update(p["state"])
        with self._all_or_nothing():
            self.state = schema.validate_state(raw, self.state)
            self.fixed_params = p.get("params")
            self._make_data()
            self._build()
        self.playing = False

    @contextlib.contextmanager
    def _all_or_nothing(self) -> Iterator[None]:
        """A change that fails leaves the session as it was (weights and epoch included).

        A change only *replaces* attributes (new data arrays, a new model), so a shallow
        copy of the attributes taken before restores everything.
        """
        saved = dict(self.__dict__)
        try:
            yield
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

    def edit(self, param: str, index: list[int], value: float) -> None:
        """Set one weight ``W[l][i, j]`` or bias ``b[l][j]`` in place (click-to-edit).

        Editing a weight that L1 killed brings it back to life.
        """
        arr = self.model.params.get(param)
        if arr is None:
            raise ConfigError(f"edit.param must be one of {', '.join(self.model.params)}")
        if len(index) != arr.ndim or any(i >= n for i, n in zip(index, arr.shape)):
            raise ConfigError(f"edit.index {index} is outside {param} of shape {arr.shape}")
        arr[tuple(index)] = value
        if param in self.dead:
            self.dead[param][tuple(index)] = False
        self._measure()

    def compact(self) -> None:
        """Free what a session without a socket can rebuild (MBs down to tens of KB).

        The heatmap grid and its inputs are rebuilt on first use; the layers keep their
        last input for backward, so a one-row forward drops the grid's ``(GRID * GRID,
        units)`` arrays.  The training state (weights, optimizer, carried gradient,
        history) is kept: the session can go on when its tab reconnects.
        """
        self._grid_points = self._grid_inputs = None
        with np.errstate(all="ignore"):
            self.model.forward(self.Xf_train[:1], False)

    # ---------------------------------------------------------------- training
    def run_epochs(self, n: int = 1) -> int:
        """Run up to ``n`` epochs; stop early on the stop condition. Returns epochs run."""
        return self.train(n)

    @property
    def mid_epoch(self) -> bool:
        """True while an epoch is partly done (:meth:`train` returned at its deadline)."""
        return self._steps is not None

    def train(self, epochs: int, deadline: float | None = None) -> int:
        """Train until ``epochs`` more epochs are complete, the stop condition or ``deadline``.

        Resumable at mini-batch granularity: with a ``deadline`` (a ``time.perf_counter()``
        value) it may return in the middle of an epoch (:attr:`mid_epoch`; every call makes
        progress), and the next call goes on with the next mini-batch.  The
        updates are the same, in the same order, as whole epochs: slicing changes no number.
        A partial epoch counts once it is complete.

        Returns
        -------
        int
            Epochs completed by this call.
        """
        done = 0
        with np.errstate(all="ignore"):
            while done < epochs and not self.stopped:
                if self._steps is None:
                    self._steps = self._epoch_steps()
                for _ in self._steps:
                    if deadline is not None and time.perf_counter() >= deadline:
                        return done
                self._steps = None
                done += 1
                self._check_stop()
        if self.stopped:
            self.playing = False
        return done

    def _check_stop(self) -> None:
        """After an epoch: the stop condition (max epochs, target loss, divergence) pauses."""
        s = self.state
        if s["maxEpochs"] and self.epoch >= s["maxEpochs"]:
            self.stopped = "maxEpochs"
        elif s["targetLoss"] and self.loss_train is not None and self.loss_train <= s["targetLoss"]:
            self.stopped = "targetLoss"
        elif self.loss_train is None:
            self.stopped = "diverged"
        if self.stopped:
            self.playing = False

    def _epoch_steps(self) -> Iterator[None]:
        """One TF epoch, yielding after every mini-batch update (driven by :meth:`train`).

        Updates at ``(i + 1) % B == 0``; the leftover gradient is carried.  With ``B`` points
        per batch and a carried sum ``G_c`` over ``n_c`` points, the first update uses
        ``(G_c + B * mean_batch_grad) / (n_c + B)`` (TF's ``accErrorDer / n``); the
        ``r = n mod B`` leftover points leave ``G_c = r * mean_grad(leftover)``.
        """
        X, T = self.Xf_train, self.T_train
        n = len(X)
        bs = min(self.state["batchSize"], n)
        updates, rest = divmod(n, bs)
        self.optimizer.lr = self.current_lr()
        model = self.model
        for u in range(updates):
            grads = model.gradient(X[u * bs : (u + 1) * bs], T[u * bs : (u + 1) * bs])
            if u == 0 and self.carry is not None:
                acc, m = self.carry
                grads = {k: (acc[k] + bs * g) / (m + bs) for k, g in grads.items()}
                self.carry = None
            self._update(grads)
            yield
        if rest:  # accumulate, do not apply (new arrays: model.grads is reused)
            g = model.gradient(X[n - rest :], T[n - rest :])
            self.carry = ({k: rest * v for k, v in g.items()}, rest)
        self.epoch += 1
        self._measure()
        self._record()

    def _update(self, grads: dict[str, np.ndarray]) -> None:
        """Optimizer step on the data gradient, then TF's regularization step on weights.

        ``w <- w - lr * lam * R'(w_old)``, ``R'(w) = sign(w)`` (L1) or ``w`` (L2), with
        ``w_old`` the weight before the step.  L1: a weight whose sign flips in that
        regularization step becomes 0 and dead; dead weights get no update at all.
        """
        params, opt = self.model.params, self.optimizer
        kind, lam = self.state["regularization"], self.state["regularizationRate"]
        reg = kind != "none" and lam > 0
        old = {k: params[k].copy() for k in self.dead} if reg else {}
        opt.update(params, grads)
        lr = opt.lr
        for k, dead in self.dead.items():
            w = params[k]
            if kind == "L2" and reg:
                w -= (lr * lam) * old[k]
            elif kind == "L1" and reg:
                new = w - (lr * lam) * np.sign(old[k])
                dead |= w * new < 0  # crossed zero in the regularization step
                w[...] = new
            w[dead] = 0.0

    def _measure(self) -> None:
        """Train/test loss and accuracy (no regularization term, TF #109)."""
        from mlplab.functions import get_loss

        loss = get_loss(self.loss_name)
        with np.errstate(all="ignore"):
            self.out_train = self.model.predict(self.Xf_train)
            self.out_test = self.model.predict(self.Xf_test)
            vals = []
            for o, t in ((self.out_train, self.T_train), (self.out_test, self.T_test)):
                try:
                    v = float(loss.value(o, t)) if len(t) else float("nan")
                except (FloatingPointError, ValueError):
                    v = float("nan")
                vals.append(_num(v))
        self.loss_train, self.loss_test = vals
        self.acc_train = self._accuracy(self.out_train, self.y_train)
        self.acc_test = self._accuracy(self.out_test, self.y_test)

    def _accuracy(self, out: np.ndarray, y: np.ndarray) -> float | None:
        if len(y) == 0 or not np.all(np.isfinite(out)):
            return None
        p = self.state["problem"]
        if p == "multiclass":
            return float(np.mean(out.argmax(axis=1) == y))
        if p == "classification":
            thr = 0.5 if self.loss_name == "bce" else 0.0
            return float(np.mean((out[:, 0] >= thr) == (y > 0)))
        return None

    def _record(self) -> None:
        if self.epoch % self.hist_stride:
            return
        tr = np.nan if self.loss_train is None else self.loss_train
        te = np.nan if self.loss_test is None else self.loss_test
        self.history = np.vstack([self.history, [self.epoch, tr, te]])
        if len(self.history) >= self.history_size:
            # keep every other point and record half as often: bounded, evenly decimated
            self.history = self.history[1::2]
            self.hist_stride *= 2
            self.hist_version += 1
            self._hist_sent = 0

    # ---------------------------------------------------------------- output
    def display_values(self, out: np.ndarray) -> np.ndarray:
        """Map the model output ``(N, 1)`` to the colour scale [-1, 1] ``(N,)``."""
        if self.loss_name == "bce":
            return 2.0 * out[:, 0] - 1.0
        return out[:, 0]

    def grid_outputs(self) -> list[np.ndarray]:
        """Every neuron's output on the 100x100 grid, one vectorized pass.

        Returns a list over hidden layers and the output layer of ``(units, 100, 100)``.
        """
        with np.errstate(all="ignore"):
            outs = self.model.layer_outputs(self._grid_in)
        picked = self._hidden_outputs(outs)
        return [p.T.reshape(-1, GRID, GRID) for p in picked]

    def _hidden_outputs(self, outs: list[np.ndarray]) -> list[np.ndarray]:
        return _select_layer_outputs(outs, self.model)

    def frame(self, *, full_history: bool = False) -> dict[str, Any]:
        """A JSON-able snapshot for the page (grid, thumbnails, weights, losses, epoch)."""
        layers = self.grid_outputs()
        out = layers[-1]
        msg: dict[str, Any] = {
            "type": "frame",
            "epoch": self.epoch,
            "lossTrain": self.loss_train,
            "lossTest": self.loss_test,
            "accTrain": self.acc_train,
            "accTest": self.acc_test,
            "lr": self.current_lr(),
            "playing": self.playing,
            "stopped": self.stopped,
        }
        if self.state["problem"] == "multiclass":
            probs = out.reshape(self.classes, -1)
            cls = probs.argmax(axis=0).astype(np.uint8)
            bad = ~np.all(np.isfinite(probs), axis=0)
            cls[bad] = 255
            msg["grid"] = base64.b64encode(cls.tobytes()).decode("ascii")
            msg["conf"] = encode_unit(2 * probs.max(axis=0) - 1)
            thumbs = [pool(x) for x in layers[:-1]] + [pool(2 * out - 1)]
        else:
            disp = 2 * out[0] - 1 if self.loss_name == "bce" else out[0]
            msg["grid"] = encode_unit(disp)
            msg["conf"] = None
            thumbs = [pool(x) for x in layers[:-1]] + [pool(disp[None])]
        if self.focus is not None:
            li, ui = self.focus
            if li < len(layers) - 1 and ui < layers[li].shape[0]:
                msg["focusGrid"] = encode_unit(layers[li][ui])
        msg["thumbs"] = encode_unit(np.concatenate([t.reshape(-1) for t in thumbs]))
        msg["diverged"] = not all(np.all(np.isfinite(v)) for v in self.model.params.values())
        msg["params"] = {k: clean(v) for k, v in self.model.params.items()}
        msg["dead"] = {k: np.argwhere(m).tolist() for k, m in self.dead.items() if m.any()}
        if full_history or self._hist_sent == 0:
            msg["hist"] = clean(self.history)
            msg["histFull"] = True
        else:
            msg["hist"] = clean(self.history[self._hist_sent :])
            msg["histFull"] = False
        self._hist_sent = len(self.history)
        return msg

    def data_message(self) -> dict[str, Any]:
        """Points, domain and input-feature thumbnails (sent when the data change)."""
        fx = feature_matrix(self._grid_xy, list(schema.FEATURES)).T.reshape(-1, GRID, GRID)
        self._hist_sent = 0  # the page starts a new chart: the next frame carries all of it
        return {
            "type": "data",
            "version": self.data_version,
            "problem": self.state["problem"],
            "classes": self.classes,
            "domain": self.domain,
            "extent": self.extent,
            "extraInputs": []
            if self.upload is None or not self._uses_upload()
            else self.upload["extra"],
            "extraMeans": clean(self.extra_means, 4),
            "plotted": None if not self._uses_upload() else self.upload["plotted"],
            "train": clean(np.column_stack([self.X_train, self.y_train]), 4),
            "test": clean(np.column_stack([self.X_test, self.y_test]), 4),
            "featureThumbs": encode_unit(pool(fx).reshape(-1)),
            "sizes": self.sizes(),
            "state": self.state,
        }

    # ---------------------------------------------------------------- import / export
    def _uses_upload(self) -> bool:
        s = self.state
        key = {"classification": "dataset", "regression": "regDataset", "multiclass": "mcDataset"}
        return self.upload is not None and s[key[s["problem"]]] == "upload"

    def set_upload(
        self,
        text: str,
        *,
        cols: tuple[int, int] | None = None,
        label: int | None = None,
        features: list[int] | None = None,
    ) -> dict[str, Any]:
        """Use an uploaded CSV as the data set.

        Parameters
        ----------
        text : str
            CSV text, parsed by :func:`parse_csv` (``load_csv`` after the limit checks).
        cols : (int, int), optional
            Column indices (in the file) of the plotted pair, default the first two feature
            columns; they become x1, x2 (the TF input features are computed on them).
        label : int, optional
            Label column (default the last).  Two classes -> binary classification (+-1),
            3..6 -> multi-class, other numbers -> regression.
        features : list of int, optional
            Columns the network trains on (default: every column but the label).  The
            plotted pair is always included; the others are extra inputs, held at their
            mean when the heatmap varies the plotted pair.
        """
        X_all, raw, info = parse_csv(text, -1 if label is None else label)
        label = info["label_index"]
        names, fcols = info["names"], info["feature_cols"]
        cols = (fcols[0], fcols[1]) if cols is None else tuple(cols)
        chosen = list(fcols) if features is None else sorted(set(features) | set(cols))
        for nm, c in (("x column", cols[0]), ("y column", cols[1])):
            if c not in fcols:
                raise DataError(f"upload: {nm} must be a feature column {fcols}, got {c}")
        if cols[0] == cols[1]:
            raise DataError("upload: the plotted x and y columns must be different")
        bad = [c for c in chosen if c not in fcols]
        if bad:
            raise DataError(f"upload: feature columns must be among {fcols}, got {bad}")
        big = np.abs(X_all) > schema.MAX_ABS_VALUE
        if info["task"] != "classification":
            big = np.column_stack([big, np.abs(raw) > schema.MAX_ABS_VALUE])
        if big.any():
            r, c = np.argwhere(big)[0]
            col = (fcols + [label % len(names)])[c]
            raise DataError(
                f"upload: values must be within ±{schema.MAX_ABS_VALUE:g}; column"
                f" {names[col]!r}, data row {r + 1} is outside"
            )
        pos = {c: i for i, c in enumerate(fcols)}
        extra = [c for c in chosen if c not in cols]
        X = X_all[:, [pos[cols[0]], pos[cols[1]]]]
        E = X_all[:, [pos[c] for c in extra]].reshape(len(X_all), len(extra))
        if info["task"] == "classification":
            k = len(info["class_names"])
            if k == 2:
                problem, y = "classification", np.where(raw == 1, 1.0, -1.0)
            else:
                problem, y = "multiclass", raw.astype(np.int64)
        else:
            if np.ptp(raw) == 0:
                raise DataError("upload: the label column has a single value")
            problem, y = "regression", raw.astype(np.float64)
        key = {"classification": "dataset", "regression": "regDataset", "multiclass": "mcDataset"}
        with self._all_or_nothing():
            self.upload = {
                "X": X,
                "E": E,
                "y": y,
                "names": names,
                "plotted": [names[cols[0]], names[cols[1]]],
                "extra": [names[c] for c in extra],
            }
            self.state = schema.validate_state(
                {"problem": problem, key[problem]: "upload"}, self.state
            )
            self.fixed_params = None
            self._make_data()
            self._build()
        return {
            "problem": problem,
            "rows": len(X),
            "columns": names,
            "plotted": self.upload["plotted"],
            "extra": self.upload["extra"],
            "means": clean(self.extra_means, 4),
            "label": names[label % len(names)],
            "classes": info["class_names"],
        }

    def export_csv(self) -> str:
        """The current data as CSV: ``x1,x2[,extra columns],label,split``."""
        buf = io.StringIO()
        extra = self.upload["extra"] if self._uses_upload() else []
        buf.write(",".join(["x1", "x2", *extra, "label", "split"]) + "\n")
        for part, X, E, y in (
            ("train", self.X_train, self.E_train, self.y_train),
            ("test", self.X_test, self.E_test, self.y_test),
        ):
            for row, c in zip(np.hstack([X, E]), y):
                buf.write(",".join(f"{v:.6g}" for v in row) + f",{c:.6g},{part}\n")
        return buf.getvalue()

    def export_config(self) -> dict[str, Any]:
        """JSON config: the playground state, the model config and the epoch."""
        try:
            model_cfg = self.model.config()
        except Exception:  # noqa: BLE001 - config() is informative only
            model_cfg = None
        return {
            "format": "mlplab-playground",
            "version": 1,
            "state": self.state,
            "sizes": self.sizes(),
            "epoch": self.epoch,
            "model": model_cfg,
            "params": {k: clean(v, 8) for k, v in self.model.params.items()},
        }

    def export_npz(self) -> bytes:
        """The model saved by ``model.save`` as ``.npz`` bytes."""
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "model.npz")
            self.model.save(path)
            with open(path, "rb") as f:
                return f.read()

    def import_model(self, data: bytes) -> None:
        """Load weights from an exported ``.npz`` (mlplab) or ``.json`` (playground config).

        The network takes the file's hidden layers (its inputs and outputs must fit the
        data); a file that does not fit leaves the session as it was.
        """
        if len(data) > schema.MAX_IMPORT_BYTES:
            raise CheckpointError(f"import: file must be at most {schema.MAX_IMPORT_BYTES} bytes")
        with self._all_or_nothing():
            if data[:2] == b"PK":
                params = _read_npz(data)
                W = sorted(
                    (k for k in params if k[:1] == "W" and k[1:].isdigit()),
                    key=lambda k: int(k[1:]),
                )
                if not W or any(params[k].ndim != 2 for k in W):
                    raise CheckpointError("import: the model has no weight matrices W1, W2, ...")
                sizes = [params[W[0]].shape[0]] + [params[k].shape[1] for k in W]
            else:
                try:
                    cfg = schema.loads(data.decode("utf-8"), "import")
                except UnicodeDecodeError:
                    raise CheckpointError("import: not an .npz model nor a JSON config") from None
                except MlplabError as e:
                    raise CheckpointError(f"{e}; not an .npz model nor a JSON config") from None
                if not isinstance(cfg, dict) or cfg.get("format") != "mlplab-playground":
                    raise CheckpointError("import: JSON is not an mlplab playground config")
                state, params, sizes = (
                    cfg.get("state", {}),
                    cfg.get("params") or {},
                    cfg.get("sizes"),
                )
                if not isinstance(state, dict) or not isinstance(params, dict):
                    raise CheckpointError("import: 'state' and 'params' must be JSON objects")
                self.update_state(state)
            mine = self.sizes()
            if (
                not isinstance(sizes, list)
                or len(sizes) < 2
                or not all(isinstance(n, int) and not isinstance(n, bool) for n in sizes)
            ):
                raise CheckpointError(
                    "import: 'sizes' must list the layer sizes [inputs, ..., outputs]"
                )
            if sizes[0] != mine[0] or sizes[-1] != mine[-1]:
                raise CheckpointError(
                    f"import: model sizes {sizes[: schema.MAX_LAYERS + 2]} do not fit the"
                    f" inputs/outputs {mine}"
                )
            if sizes != mine:
                self.update_state({"networkShape": sizes[1:-1]})
            try:
                self._load_params({k: v for k, v in params.items() if k in self.model.params})
            except MlplabError as e:
                raise CheckpointError(f"import: {e}") from None
            self.fixed_params = {k: v.tolist() for k, v in self.model.params.items()}
            self.initial = {k: v.copy() for k, v in self.model.params.items()}
            self._restart()

    def python_snippet(self) -> str:
        """Python code that recreates this setup with mlplab (data, model, optimizer, loop).

        The snippet carries both seeds of the page: ``data_seed`` (the state's ``seed``) gives
        the same points in the same train/test order, and ``init_seed`` (``initSeed``) the
        same initial weights through the seed :meth:`_build` derives from it,
        ``default_rng([init_seed, 11]).integers(2**31)``; fixed starting weights (a preset or an
        imported model) are written out, and so are the rows of an uploaded CSV (up to
        :data:`SNIPPET_MAX_NUMBERS` numbers; a larger upload leaves a placeholder).  Its
        module-level names ``x_train``, ``t_train``, ``model`` and ``initial`` are the
        session's ``Xf_train``, ``T_train``, model and :attr:`initial`; ``train_epoch`` is
        :meth:`_epoch_steps` written out (carried partial batch, learning-rate schedule, L1/L2 after
        the step, dead weights), so running it gives the page's weights epoch for epoch; the
        training loop runs only under ``__main__``.
        """
        s = self.state
        if s["initZero"]:
            init = 'init="zeros", bias_init=0.0'
        elif s["init"] == "tf":
            init = 'init="uniform", init_kw={"a": -0.5, "b": 0.5}, bias_init=0.1'
        else:
            init = f'init="{s["init"]}", bias_init=0.0'
        problem = s["problem"]
        ds = {"classification": "dataset", "regression": "regDataset", "multiclass": "mcDataset"}
        name = s[ds[problem]]
        perm = "order = np.random.default_rng([data_seed, 7]).permutation(len(X))\n"
        extra = False  # the upload's non-plotted input columns E
        if name == "upload":
            data, extra = self._snippet_upload() + perm, True
        elif problem == "multiclass" and name == "spiral":
            k = s["numClasses"]
            data = (
                "from mlplab.data.datasets import spiral\n"
                f"X, y = spiral({max(NUM_CLASSIFY // k, 10)}, {k}, {s['noise'] / 100.0!r},"
                " data_seed)\n" + perm
            )
        elif problem == "multiclass":
            data = f'from mlplab.data.datasets import gates\nX, y = gates("{name}")\n' + perm
        elif name == "quadratic":
            data = (
                "from mlplab.playground.session import quadratic_data\n"
                "X, y = quadratic_data(data_seed or 317)\n"
                "order = np.arange(len(X))  # the notebook's own train/test halves\n"
            )
        else:
            data = (
                "from mlplab.data.playground import generate\n"
                f'X, y = generate("{name}", noise={s["noise"]}, seed=data_seed)\n' + perm
            )
        same = self.X_train is self.X_test  # at most 8 rows: train and test on all (_make_data)
        if same:
            split = (
                "k = len(X)\ntrain = test = slice(None)  # a truth table: train and test on all\n"
            )
        else:
            split = (
                f"k = max(1, min(len(X) - 1, len(X) * {s['percTrainData']} // 100))\n"
                "train, test = slice(None, k), slice(k, None)\n"
            )
        if problem == "multiclass":
            target = f"np.eye({self.classes})[np.asarray(y, dtype=np.int64)]"
        elif self.loss_name == "bce":
            target = "(y > 0).astype(float)[:, None]"
        else:
            target = "y[:, None].astype(float)"
        if extra:
            inputs = (
                "X, y, E = X[order], y[order], E[order]\n"
                + split
                + f"features = {s['features']!r}\n"
                "x_train = np.hstack([feature_matrix(X[train], features), E[train]])\n"
                "x_test = np.hstack([feature_matrix(X[test], features), E[test]])\n"
            )
        else:
            inputs = (
                "X, y = X[order], y[order]\n" + split + f"features = {s['features']!r}\n"
                "x_train, x_test = feature_matrix(X[train], features), "
                "feature_matrix(X[test], features)\n"
            )
        fixed = ""
        if self.fixed_params is not None:  # exact float reprs: the same starting weights
            values = {k: v.tolist() for k, v in self.initial.items()}
            fixed = (
                "# the page's fixed starting weights (a preset or an imported model)\n"
                f"for name, value in {values!r}.items():\n"
                "    model.params[name][...] = value\n"
            )
        lr, spec = s["learningRate"], self._schedule_spec()
        schedule = "None" if spec is None else f"optim.{spec[0]}{spec[1]!r}"
        reg, lam = s["regularization"], s["regularizationRate"]
        epochs = s["maxEpochs"] or 1000
        target_loss = s["targetLoss"] or None
        return f'''"""Recreates a mlplab playground setup (epoch {self.epoch}).

Run it to train as the page does; run it under another name (``runpy.run_path(path)``) to
get the setup only: the data, ``model`` with the page's initial weights (also kept in
``initial``) and ``train_epoch``.
"""
import numpy as np

from mlplab import optim
from mlplab.data.playground import features as feature_matrix
from mlplab.model import MLP

data_seed = {s["seed"]}  # the page's seed (Regenerate draws a new one)
init_seed = {s["initSeed"]}  # the page's initSeed (a reset with new weights draws a new one)

{data}{inputs}t = {target}
t_train, t_test = t[train], t[test]

model = MLP({self.sizes()!r}, activation="{s["activation"]}", output="{self.output_name}",
            loss="{self.loss_name}", {init},
            batchnorm={s["batchNorm"]}, dropout={s["dropout"]},
            seed=int(np.random.default_rng([init_seed, 11]).integers(2**31)))
{fixed}initial = {{k: v.copy() for k, v in model.params.items()}}
opt = optim.get_optimizer("{s["optimizer"]}", lr={lr!r})
schedule = {schedule}  # learning rate per epoch
regularization, lam = {reg!r}, {lam!r}  # on the weights, after each optimizer step
batch = min({s["batchSize"]}, len(x_train))
dead = {{k: np.zeros(w.shape, dtype=bool) for k, w in model.params.items() if k.startswith("W")}}


def train_epoch(epoch, carry=None):
    """One epoch as TensorFlow Playground runs it; returns the carried partial-batch gradient.

    An update after every ``batch`` points, in order, with the mean gradient of the batch; the
    leftover points' gradient sum is carried into the next epoch's first update.  After each
    step the weights get w -= lr * lam * R'(w_old), R'(w) = w (L2) or sign(w) (L1); under L1
    a weight that crosses zero becomes 0 and stays there (dead).
    """
    n = len(x_train)
    updates, rest = divmod(n, batch)
    opt.lr = schedule(epoch) if schedule is not None else {lr!r}
    for u in range(updates):
        rows = slice(u * batch, (u + 1) * batch)
        grads = model.gradient(x_train[rows], t_train[rows])
        if u == 0 and carry is not None:
            acc, m = carry
            grads = {{k: (acc[k] + batch * g) / (m + batch) for k, g in grads.items()}}
            carry = None
        on = regularization != "none" and lam > 0
        old = {{k: model.params[k].copy() for k in dead}} if on else {{}}
        opt.update(model.params, grads)
        for k, d in dead.items():
            w = model.params[k]
            if regularization == "L2" and on:
                w -= (opt.lr * lam) * old[k]
            elif regularization == "L1" and on:
                new = w - (opt.lr * lam) * np.sign(old[k])
                d |= w * new < 0  # crossed zero in the regularization step
                w[...] = new
            w[d] = 0.0
    if rest:
        g = model.gradient(x_train[n - rest :], t_train[n - rest :])
        carry = ({{k: rest * v for k, v in g.items()}}, rest)
    return carry


if __name__ == "__main__":
    carry, target_loss = None, {target_loss!r}
    for epoch in range({epochs}):
        with np.errstate(all="ignore"):
            carry = train_epoch(epoch, carry)
        loss_train, loss_test = model.loss(x_train, t_train), model.loss(x_test, t_test)
        if epoch % 100 == 0 or epoch == {epochs} - 1:
            print(f"epoch {{epoch + 1}}: train loss {{loss_train:.4f}}, test loss {{loss_test:.4f}}")
        if not np.isfinite(loss_train) or (target_loss and loss_train <= target_loss):
            break
    model.save("playground_model.npz")
'''

    def _snippet_upload(self) -> str:
        """The uploaded rows (before the shuffle) as literals, or a placeholder if too many."""
        X, y, E = self.upload["X"], self.upload["y"], self.upload["E"]  # the file's order
        if X.size + y.size + E.size > SNIPPET_MAX_NUMBERS:
            return (
                f"# your uploaded CSV ({len(X)} rows) is too large to write out here: load it\n"
                "# with mlplab.data.load_csv; X (N, 2) = the plotted columns, E (N, m) = the other\n"
                "# input columns, y (N,) = the labels\n"
                "X, E, y = ...\n"
            )
        return (
            "# the uploaded CSV: X = the plotted columns, E = the other inputs, y = the labels\n"
            f"X = np.array({X.tolist()!r}).reshape({X.shape[0]}, {X.shape[1]})\n"
            f"E = np.array({E.tolist()!r}).reshape({E.shape[0]}, {E.shape[1]})\n"
            f"y = np.array({y.tolist()!r})\n"
        )


def _read_npz(data: bytes) -> dict[str, np.ndarray]:
    """The parameters of a model file (``.npz`` bytes), read by :func:`mlplab.modelfile.load`
    within :data:`IMPORT_LIMITS`: the architecture is checked before anything is allocated
    and no member is read past what it needs (one-line errors naming the import)."""
    from mlplab.modelfile import load

    other = load(data, limits=IMPORT_LIMITS, name="import")
    return {k: np.asarray(v) for k, v in other.params.items()}


def _select_layer_outputs(outs: list[np.ndarray], model: Any) -> list[np.ndarray]:
    """Each hidden layer's post-activation output, then the final output (probabilities).

    ``model.layer_outputs`` lists the output of every engine layer (Affine, BatchNorm,
    Activation, Dropout, ...) followed by the head's prediction; the hidden neurons' values
    are the outputs of the ``Activation`` layers (dropout is the identity in eval mode).
    """
    from mlplab.layers import Activation

    hidden = [o for layer, o in zip(model.layers, outs) if isinstance(layer, Activation)]
    return [*hidden, outs[-1]]
