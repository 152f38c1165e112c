"""One playground session: its state, data, network, optimizer, epoch counter and history.

Independent of the web layer: the server creates one :class:`Session` per browser tab; its
worker thread (:mod:`mlplab.playground.worker`) calls :meth:`Session.train` in short time
slices (resumable at mini-batch granularity) and sends :func:`~mlplab.playground.frames.frame_message`
to the page.  The rooms around it:

* :mod:`~mlplab.playground.schema` — what a client may send (the state's fields, messages, links);
* :mod:`~mlplab.playground.data` — the points (generated or uploaded);
* :mod:`~mlplab.playground.epoch` — one TF Playground epoch (training);
* :mod:`~mlplab.playground.frames` — what the page is sent;
* :mod:`~mlplab.playground.files`, :mod:`~mlplab.playground.snippet` — exports and imports;
* :mod:`~mlplab.playground.presets`, :mod:`~mlplab.playground.lessons` — ready-made setups.

The displayed loss is the mean of ``E = 1/2 (o - t)^2`` (or the cross-entropy) without the
regularization term (TF #109).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from mlplab.errors import CheckpointError, ConfigError, MlplabError
from mlplab.playground import schema
from mlplab.playground.data import (
    DATASET_KEY,
    feature_matrix,
    make_data,
    read_upload,
    standardize,
)
from mlplab.playground.epoch import EpochState, epoch_updates
from mlplab.playground.frames import GRID, finite_or_none, grid_points, neuron_outputs
from mlplab.playground.presets import PRESET_BASE, PRESETS

HISTORY_SIZE = 500  #: at most this many (epoch, train, test) points are kept


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
    fit : mlplab.playground.epoch.EpochState
        The carried partial-batch gradient and the L1-dead weights (:attr:`carry`, :attr:`dead`).
    lesson : mlplab.playground.lessons.Lesson or None
        The lesson being worked on; its goal is checked after every epoch.
    """

    def __init__(self, state: dict | None = None, *, history_size: int = HISTORY_SIZE, lesson=None):
        self.state = schema.validate_state(state or {})
        self.history_size = history_size
        self.upload: dict[str, Any] | None = None
        self.class_labels: list[str] | None = None  # an upload's class names
        self.focus: list[int] | None = None
        self.playing = False
        self.stopped: str | None = None
        self.fixed_params: dict[str, list] | None = None
        self.lesson = lesson
        self.goal = None  # the lesson's progress (mlplab.playground.lessons.Progress)
        self.data_version = 0
        self._steps: Iterator[None] | None = None  # the epoch in progress (see train)
        self._twin = None  # (network, its float32 copy for the heatmap): see grid_model
        self._make_data()
        self._build()

    # ---------------------------------------------------------------- data
    def _make_data(self) -> None:
        d = make_data(self.state, self.upload if self.uses_upload() else None)
        self.X_train, self.y_train, self.E_train = d.X_train, d.y_train, d.E_train
        self.X_test, self.y_test, self.E_test = d.X_test, d.y_test, d.E_test
        self.classes, self.domain, self.extent = d.classes, d.domain, d.extent
        self.extra_means = d.extra_means
        self._grid_inputs = None  # rebuilt on demand (see _grid_in)
        self.data_version += 1

    def uses_upload(self) -> bool:
        """True when the data set of the state's problem type is the uploaded CSV."""
        s = self.state
        return self.upload is not None and s[DATASET_KEY[s["problem"]]] == "upload"

    def class_names(self) -> list[str] | None:
        """Names of the classes of a multi-class problem (an upload's labels, else 0..k-1)."""
        if self.state["problem"] != "multiclass":
            return None
        if self.uses_upload() and self.class_labels is not None:
            return list(self.class_labels)
        return [str(k) for k in range(self.classes)]

    @property
    def _grid_in(self) -> np.ndarray:
        """Network inputs of the heatmap cells ``(GRID * GRID, n_in)``; extra columns at their
        mean.  Built on first use and dropped by :meth:`compact`."""
        if self._grid_inputs is None:
            xy = grid_points(self.extent)
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

    def standardized(self) -> bool:
        """True when the network sees an upload's columns standardized (:func:`standardize`)."""
        return self.uses_upload() and self.state["standardize"]

    def _inputs(self, X: np.ndarray, E: np.ndarray) -> np.ndarray:
        """Network inputs ``(N, n_in)``: the TF features of the plotted pair, then the extras
        (an upload's columns standardized first, when :meth:`standardized`)."""
        if self.standardized():
            mean, std = self.upload["scale"]
            X, E = standardize(X, mean[:2], std[:2]), standardize(E, mean[2:], std[2:])
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
            # regularization is applied after the optimizer step (epoch.update), not here
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
        from mlplab.optim import get_optimizer

        self._steps = None
        self.optimizer = get_optimizer(self.state["optimizer"], lr=self.state["learningRate"])
        self.fit = EpochState.for_params(self.model.params)
        self.epoch = 0
        self.stopped = None
        self.history = np.zeros((0, 3))
        self.hist_stride = 1
        self.hist_version += 1
        self.hist_sent = 0
        self._measure()
        self._record()  # the loss chart starts at epoch 0, like TF's
        self._new_goal()

    @property
    def dead(self) -> dict[str, np.ndarray]:
        """Per weight matrix (``W1``, ...), the weights killed by L1 (frozen at 0)."""
        return self.fit.dead

    @property
    def carry(self) -> tuple[dict[str, np.ndarray], int] | None:
        """Gradient sum of the last epoch's leftover partial batch and its number of points."""
        return self.fit.carry

    def _load_params(self, params: dict[str, Any]) -> None:
        """Copy given weights into the model: every one checked first, then all written."""
        for key, arr in self.checked_params(params).items():
            self.model.params[key][...] = arr

    def checked_params(self, params: dict[str, Any]) -> dict[str, np.ndarray]:
        """Given weights as float64 arrays, each checked to fit this network and be finite
        (a one-line :class:`ConfigError` otherwise); the model is not touched."""
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
        return arrays

    def current_lr(self) -> float:
        """Learning rate of the current epoch: the base rate under a :mod:`mlplab.schedules` schedule.

        Stepped per epoch ``e``: step ``lr * 0.5^floor(e/100)``; exponential
        ``lr * 0.99^(e/10)``; inverse_time ``lr / (1 + 0.01 e)``; cosine over ``maxEpochs``
        (or 1000) epochs ``lr * (1 + cos(pi e / T)) / 2``.
        """
        from mlplab import schedules

        spec = self.schedule_spec()
        if spec is None:
            return self.state["learningRate"]
        cls, args = spec
        return float(getattr(schedules, cls)(*args)(self.epoch))

    def schedule_spec(self) -> tuple[str, tuple] | None:
        """``(class name in mlplab.schedules, constructor arguments)`` of the lr schedule, or None
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
        whether the network was rebuilt (TF semantics, `playground.ts`); ``learningRate``
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
        """Load a one-click preset (:data:`mlplab.playground.presets.PRESETS`)."""
        p = PRESETS[name]
        raw = dict(PRESET_BASE)
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
        self._grid_inputs = None
        self._twin = None  # the heatmap's float32 network holds the grid's activations
        with np.errstate(all="ignore"):
            self.model.forward(self.Xf_train[:1], False)

    # ---------------------------------------------------------------- uploads and imports
    def set_upload(
        self,
        text: str,
        *,
        cols: tuple[int, int] | None = None,
        label: int | None = None,
        features: list[int] | None = None,
    ) -> dict[str, Any]:
        """Use an uploaded CSV as the data set (:func:`mlplab.playground.data.read_upload`).

        Returns what the page is told (the ``uploaded`` message's fields).
        """
        upload, problem, reply = read_upload(text, cols=cols, label=label, features=features)
        with self._all_or_nothing():
            self.upload = upload
            self.class_labels = list(reply["classes"]) if problem == "multiclass" else None
            self.state = schema.validate_state(
                {"problem": problem, DATASET_KEY[problem]: "upload"}, self.state
            )
            self.fixed_params = None
            self._make_data()
            self._build()
        reply["means"] = [round(float(v), 4) for v in self.extra_means]
        reply["standardize"] = self.state["standardize"]
        return reply

    def import_model(self, data: bytes) -> None:
        """Load weights from an exported ``.npz`` (mlplab) or ``.json`` (playground config).

        The network takes the file's hidden layers (its inputs and outputs must fit the
        data); a file that does not fit leaves the session as it was.
        """
        from mlplab.playground.files import read_model_file

        with self._all_or_nothing():
            state, params, sizes = read_model_file(data)
            if state is not None:
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
        progress), and the next call goes on with the next mini-batch.  The updates are the
        same, in the same order, as whole epochs: slicing changes no number.  A partial
        epoch counts once it is complete.

        Returns
        -------
        int
            Epochs completed by this call.
        """
        done = 0
        with np.errstate(all="ignore"):
            while done < epochs and not self.stopped:
                if self._steps is None:
                    self._steps = self._epoch()
                for _ in self._steps:
                    if deadline is not None and time.perf_counter() >= deadline:
                        return done
                self._steps = None
                done += 1
                self.check_stop()
        if self.stopped:
            self.playing = False
        return done

    def _epoch(self) -> Iterator[None]:
        """One TF epoch (:func:`mlplab.playground.epoch.epoch_updates`) at the epoch's
        learning rate, then the epoch counter, the losses, the chart and the lesson's goal."""
        s = self.state
        self.optimizer.lr = self.current_lr()
        yield from epoch_updates(
            self.model, self.optimizer, self.Xf_train, self.T_train, s["batchSize"],
            self.fit, s["regularization"], s["regularizationRate"],
        )  # fmt: skip
        self.end_epoch()

    def end_epoch(self, measured: tuple | None = None) -> None:
        """After an epoch's updates: the epoch counter, the losses, the chart and the lesson's
        goal (``measured``: the losses and accuracies when already computed, see
        :meth:`_measure`)."""
        self.epoch += 1
        self._measure(measured)
        self._record()
        if self.goal is not None:
            self.goal.after_epoch(self)

    def stop_reason(self) -> str | None:
        """Why training must not go on now: ``maxEpochs``, ``targetLoss``, ``diverged`` or None."""
        s = self.state
        if s["maxEpochs"] and self.epoch >= s["maxEpochs"]:
            return "maxEpochs"
        if s["targetLoss"] and self.loss_train is not None and self.loss_train <= s["targetLoss"]:
            return "targetLoss"
        if self.loss_train is None:
            return "diverged"
        return None

    def check_stop(self) -> None:
        """After an epoch: the stop condition (max epochs, target loss, divergence) pauses,
        and so does a lesson's goal once, when it is met or missed."""
        self.stopped = self.stop_reason()
        if self.stopped is None and self.goal is not None and self.goal.pause_now:
            self.stopped = "lesson"
        if self.stopped:
            self.playing = False

    def play(self) -> bool:
        """Start playing unless the stop condition still holds (then ``stopped`` says why).

        Pressing Play after the stop condition runs no epoch: the condition must change
        first (raise the epoch limit, lower the target loss, reset).
        """
        self.stopped = self.stop_reason()
        self.playing = self.stopped is None
        return self.playing

    def _measure(self, measured: tuple | None = None) -> None:
        """Train/test loss and accuracy (no regularization term, TF #109): :func:`metrics` of
        the network's outputs on the points, or ``measured`` = ``(loss_train, acc_train,
        loss_test, acc_test)`` when computed already (:mod:`~mlplab.playground.lockstep`)."""
        if measured is None:
            with np.errstate(all="ignore"):
                out_train, out_test = (
                    self.model.predict(self.Xf_train),
                    self.model.predict(self.Xf_test),
                )
            measured = (
                *self.metrics(out_train, self.T_train, self.y_train),
                *self.metrics(out_test, self.T_test, self.y_test),
            )
        self.loss_train, self.acc_train, self.loss_test, self.acc_test = (
            finite_or_none(None if v is None else float(v)) for v in measured
        )

    def metrics(self, out: np.ndarray, t: np.ndarray, y: np.ndarray) -> tuple:
        """Loss and accuracy of the outputs ``out (..., N, C)`` for targets ``t (..., N, C)``
        and labels ``y (..., N)``: arrays ``(...)`` (NaN where undefined; accuracy None for
        regression).  A leading axis holds a stack of sessions of this one's setup."""
        from mlplab.functions import get_loss

        lead = out.shape[:-2]
        with np.errstate(all="ignore"):
            try:
                loss = (
                    get_loss(self.loss_name).value(out, t) if t.shape[-2] else np.full(lead, np.nan)
                )
            except (FloatingPointError, ValueError):
                loss = np.full(lead, np.nan)
        p = self.state["problem"]
        if p == "multiclass":
            hit = out.argmax(axis=-1) == y
        elif p == "classification":
            thr = 0.5 if self.loss_name == "bce" else 0.0
            hit = (out[..., 0] >= thr) == (y > 0)
        else:
            return loss, None
        if y.shape[-1] == 0:
            return loss, np.full(lead, np.nan)
        acc = np.mean(hit, axis=-1)
        return loss, np.where(np.isfinite(out).all(axis=(-2, -1)), acc, np.nan)

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
            self.hist_sent = 0

    # ---------------------------------------------------------------- lessons
    def open_lesson(self, lesson) -> None:
        """Start ``lesson`` (:class:`mlplab.playground.lessons.Lesson`): its setup on the
        defaults, its goal checked from epoch 0; ``None`` leaves the lesson (setup kept)."""
        if lesson is None:
            self.lesson = self.goal = None
            return
        with self._all_or_nothing():
            self.state = lesson.state(self.state)
            self.lesson = lesson
            self.fixed_params = None
            self._make_data()
            self._build()
        self.playing = False

    def _new_goal(self) -> None:
        """The lesson's goal starts over (a new network or a reset)."""
        self.goal = None if self.lesson is None else self.lesson.progress()

    def goal_status(self) -> dict[str, Any] | None:
        """The lesson's goal as the page shows it, or None without a lesson."""
        return None if self.goal is None else self.goal.status(self)

    # ---------------------------------------------------------------- output
    def grid_outputs(self) -> list[np.ndarray]:
        """Every neuron's output on the 100x100 grid, one vectorized pass.

        Returns a list over hidden layers and the output layer of ``(units, 100, 100)``,
        computed by :meth:`grid_model` in float32.
        """
        model = self.grid_model()
        with np.errstate(all="ignore"):
            outs = model.layer_outputs(self._grid_in.astype(np.float32))
        return [p.T.reshape(-1, GRID, GRID) for p in neuron_outputs(outs, model)]

    def grid_model(self):
        """The network in float32, for the heatmap: its weights (and BatchNorm statistics)
        copied on every call into a twin of the same architecture, built once per network.

        Weights beyond float32's range (or NaN) return the float64 network itself.

        Speed helper: the page draws each value in one of 255 shades (:func:`~mlplab.
        playground.frames.encode_unit`), which float32's 7 digits leave as they are (or move
        by one shade on a boundary), and the tanh of 10,000 x units values, most of a frame,
        takes a fifth of float64's time: a frame of the default net 3.6 → 2 ms
        (``tests/test_playground_session.py::test_grid_matches_predict`` holds it to float64).
        """
        from mlplab.model import Sequential

        big = float(np.finfo(np.float32).max)
        arrays = [*self.model.params.values()]
        arrays += [a for layer in self.model.layers for a in layer.state().values()]
        if not all(np.all(np.abs(a) <= big) for a in arrays):
            return self.model  # beyond float32's range (a diverging network): float64 then
        if self._twin is None or self._twin[0] is not self.model:
            cfg = dict(self.model.config(), dtype="float32")
            self._twin = (self.model, Sequential.from_config(cfg))
        twin = self._twin[1]
        twin.set_weights(self.model.params)
        for layer, copy in zip(self.model.layers, twin.layers):
            for name, arr in layer.state().items():
                copy.state()[name][...] = arr
        return twin

    def frame(self, *, full_history: bool = False) -> dict[str, Any]:
        """The page's frame (:func:`mlplab.playground.frames.frame_message`)."""
        from mlplab.playground.frames import frame_message

        return frame_message(self, full_history=full_history)

    def data_message(self) -> dict[str, Any]:
        """The page's data message (:func:`mlplab.playground.frames.data_message`)."""
        from mlplab.playground.frames import data_message

        return data_message(self)
