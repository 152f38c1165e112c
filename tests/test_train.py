"""Tests of mlplab.train: the Trainer loop, History, divergence guard, argument checks."""

from __future__ import annotations

import json
import math
import re
import sys
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlplab
from mlplab.callbacks import LambdaCallback
from mlplab.errors import ConfigError, DataError, DivergenceError, MlplabTypeError, ShapeError
from mlplab.model import MLP
from mlplab.train import EVAL_CHUNK, History, Trainer


def xor_data(n=200, seed=0):
    """Quadrant XOR: label 1 where x1 * x2 > 0."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    return X, y


def regression_data(n=60, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    y = (np.sin(2 * X[:, 0]) + X[:, 1] ** 2)[:, None]
    return X, y


def clf(seed=0, hidden=8, **kw):
    return MLP([2, hidden, 2], activation="tanh", loss="cce", seed=seed, **kw)


def reg(seed=0, hidden=8, activation="tanh"):
    return MLP([2, hidden, 1], activation=activation, loss="mse", seed=seed)


def fit(model, X, y, **kw):
    kw.setdefault("progress", False)
    opt = kw.pop("optimizer", "sgd")
    return Trainer(model, opt, **kw).fit(X, y)


# ----------------------------------------------------------------------------- learning
def test_learns_xor_quadrants():
    X, y = xor_data()
    Xv, yv = xor_data(100, seed=1)
    model = clf(hidden=8)
    h = fit(
        model,
        X,
        y,
        optimizer="adam",
        lr=0.05,
        batch_size=20,
        epochs=60,
        seed=0,
        validation_data=(Xv, yv),
    )
    assert h.stopped_reason == "completed"
    assert h.final["train_acc"] >= 0.95
    assert h.final["val_acc"] >= 0.9
    assert h.evals["train_loss"][-1] < 0.5 * h.evals["train_loss"][0]
    # recorded values are those of the model at the end
    assert h.final["train_loss"] == pytest.approx(model.loss(X, y, train=False), rel=1e-12)
    assert h.final["val_acc"] == pytest.approx(model.accuracy(Xv, yv))


def test_tanh_pm1_classifier_has_accuracy_in_the_history():
    """Issue 12: the model and the Trainer give one answer to "is this a classifier?"."""
    X, y01 = xor_data(40)
    y = np.where(y01 == 1, 1.0, -1.0)[:, None]  # TF Playground: ±1 labels, tanh output
    model = MLP([2, 4, 1], activation="tanh", output="tanh", loss="mse", seed=0)
    assert model.head.is_classifier
    h = fit(model, X, y, lr=0.1, batch_size=10, epochs=2, seed=0, validation_data=(X, y))
    assert h.evals["train_acc"][-1] == pytest.approx(model.accuracy(X, y), abs=0)
    assert h.evals["val_acc"] == h.evals["train_acc"] and None not in h.evals["train_acc"]


def test_regression_has_no_accuracy():
    X, y = regression_data()
    h = fit(reg(), X, y, lr=0.1, batch_size=10, epochs=3, seed=0)
    assert h.evals["train_acc"] == [None] * 3 and h.evals["val_acc"] == [None] * 3
    assert set(h.history) == {"loss"}
    assert all(math.isfinite(v) for v in h.evals["train_loss"])


# ----------------------------------------------------------------------------- counting
@pytest.mark.parametrize(
    "sampling, n, bs, ipe",
    [("shuffle", 50, 16, 4), ("replace", 50, 16, 3), ("full", 50, 16, 1), ("shuffle", 50, 80, 1)],
)
def test_epochs_count_updates_and_evaluations(sampling, n, bs, ipe):
    X, y = xor_data(n)
    h = fit(clf(), X, y, lr=0.1, batch_size=bs, epochs=3, sampling=sampling, seed=0)
    assert h.iterations_per_epoch == ipe
    assert h.step["step"] == list(range(1, 3 * ipe + 1))
    assert h.evals["step"] == [ipe, 2 * ipe, 3 * ipe]
    assert h.evals["epoch"] == [1.0, 2.0, 3.0]
    assert h.epoch["epoch"] == [1, 2, 3]
    assert len(h.history["loss"]) == 3


def test_iterations_count_and_final_partial_epoch():
    X, y = xor_data(50)
    h = fit(clf(), X, y, lr=0.1, batch_size=16, iterations=10, seed=0)  # 4 steps per epoch
    assert len(h.step["loss"]) == 10
    assert h.evals["step"] == [4, 8, 10]  # epoch ends + a final evaluation
    assert h.epoch["epoch"] == [1, 2, 3]
    assert h.final["step"] == 10 and h.final["epoch"] == pytest.approx(2.5)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 40),
    bs=st.integers(1, 50),
    epochs=st.integers(1, 3),
    sampling=st.sampled_from(["shuffle", "replace", "full"]),
)
def test_total_steps_formula(n, bs, epochs, sampling):
    X, y = xor_data(n)
    model = MLP([2, 2, 2], activation="tanh", loss="cce", seed=0)
    h = fit(model, X, y, lr=0.01, batch_size=bs, epochs=epochs, sampling=sampling, seed=1)
    if bs >= n or sampling == "full":
        ipe = 1
    elif sampling == "shuffle":
        ipe = math.ceil(n / bs)
    else:
        ipe = max(n // bs, 1)
    assert len(h.step["step"]) == epochs * ipe
    assert len(h.evals["step"]) == epochs


def test_eval_every_one_records_every_update():
    X, y = xor_data(60)
    Xv, yv = xor_data(30, seed=3)
    h = fit(
        clf(), X, y, lr=0.1, batch_size=10, epochs=4, eval_every=1, seed=0, validation_data=(Xv, yv)
    )
    total = 4 * 6
    assert h.evals["step"] == list(range(1, total + 1))
    assert all(len(v) == total for v in h.evals.values())
    assert h.epoch["step"] == [6, 12, 18, 24]
    assert len(h.history["val_loss"]) == 4


def test_eval_on_epoch_start_is_dlfs_schedule():
    """DLfS evaluates right after update i when i % iter_per_epoch == 0: steps 1, 1 + ipe, ..."""
    X, y = xor_data(100)
    h = fit(clf(), X, y, lr=0.1, batch_size=10, iterations=35, sampling="replace", seed=0,
            eval_on="epoch_start")  # fmt: skip
    assert h.evals["step"] == [1, 11, 21, 31, 35]  # + the final evaluation


def test_eval_every_k_and_eval_on_end():
    X, y = xor_data(50)
    h = fit(clf(), X, y, lr=0.1, batch_size=5, iterations=10, eval_every=3, seed=0)
    assert h.evals["step"] == [3, 6, 9, 10]
    h = fit(clf(), X, y, lr=0.1, batch_size=5, epochs=2, eval_on="end", seed=0)
    assert h.evals["step"] == [20]
    h = fit(clf(), X, y, lr=0.1, batch_size=25, epochs=2, eval_on="step", seed=0)
    assert h.evals["step"] == [1, 2, 3, 4]


# ----------------------------------------------------------------------------- notebook parity
@pytest.mark.parametrize("batch_size, epoch", [(20, 30), (1, 2), (500, 5)])
def test_legacy_replace_reproduces_notebook_loop(batch_size, epoch):
    """The seed notebook's execute_ann loop, written out by hand."""
    X, y = xor_data(100, seed=5)
    X_test, y_test = xor_data(40, seed=6)
    lr = 0.1
    nb = MLP([2, 3, 1], activation="relu", loss="bce", seed=7)
    ours = MLP([2, 3, 1], activation="relu", loss="bce", seed=7)

    params = nb.params
    bs = min(batch_size, len(y))
    loss_bucket, loss_bucket_test = [], []
    max_iter = int(len(y) / bs) * epoch
    np.random.seed(317)  # noqa: NPY002 - the notebook, verbatim
    for _ in range(max_iter):
        if bs >= len(y):
            batch_index = list(range(len(y)))
        else:
            batch_index = np.random.choice(range(len(y)), bs)  # noqa: NPY002
        grad = nb.gradient(X[batch_index, :], y[batch_index])
        for key in params:
            params[key] -= grad[key] * lr
        loss_bucket.append(nb.loss(X, y, train=False))
        loss_bucket_test.append(nb.loss(X_test, y_test, train=False))

    np.random.seed(0)  # noqa: NPY002 - the trainer must not use the global state
    h = fit(
        ours,
        X,
        y,
        lr=lr,
        batch_size=batch_size,
        epochs=epoch,
        sampling="replace",
        legacy_rng=True,
        seed=317,
        eval_every=1,
        validation_data=(X_test, y_test),
    )
    assert len(h.evals["train_loss"]) == max_iter
    np.testing.assert_allclose(h.evals["train_loss"], loss_bucket, rtol=1e-12, atol=0)
    np.testing.assert_allclose(h.evals["val_loss"], loss_bucket_test, rtol=1e-12, atol=0)
    for k in params:
        np.testing.assert_allclose(ours.params[k], params[k], rtol=1e-12, atol=1e-15)


def test_numerical_and_backprop_gradients_give_the_same_history():
    X, y = xor_data(30)
    kw = dict(lr=0.5, batch_size=10, epochs=3, seed=2, eval_every=1)
    hb = fit(clf(hidden=3), X, y, **kw)
    hn = fit(clf(hidden=3), X, y, gradient="numerical", h=1e-5, **kw)
    np.testing.assert_allclose(hn.evals["train_loss"], hb.evals["train_loss"], rtol=1e-6)
    np.testing.assert_allclose(hn.evals["train_acc"], hb.evals["train_acc"])
    np.testing.assert_allclose(hn.step["loss"], hb.step["loss"], rtol=1e-6)
    assert hb.evals["train_loss"][0] != hb.evals["train_loss"][-1]


def test_lr_schedule_callable():
    X, y = xor_data(40)
    seen = []
    cb = LambdaCallback(on_step_end=lambda tr, step, logs: seen.append(logs["lr"]))
    fit(
        clf(),
        X,
        y,
        lr=lambda step: 0.1 / (1 + step),
        batch_size=10,
        epochs=2,
        seed=0,
        callbacks=[cb],
    )
    assert seen == pytest.approx([0.1 / (1 + s) for s in range(8)])


# ----------------------------------------------------------------------------- evaluation
def test_evaluation_is_chunked_and_exact(monkeypatch):
    rng = np.random.default_rng(0)
    n = 2 * EVAL_CHUNK + 123
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] > 0).astype(np.int64)
    model = clf(hidden=3)
    rows = []
    real_loss = type(model).loss

    def spy(self, x, t, train=None):
        rows.append(len(x))
        return real_loss(self, x, t, train=train)

    monkeypatch.setattr(type(model), "loss", spy)
    h = fit(model, X, y, lr=0.1, batch_size=n, iterations=1, eval_on="end")
    assert max(rows) <= EVAL_CHUNK and sum(rows) == n
    monkeypatch.undo()
    assert h.final["train_loss"] == pytest.approx(model.loss(X, y, train=False), rel=1e-12)
    assert h.final["train_acc"] == pytest.approx(model.accuracy(X, y), rel=1e-12)


def test_eval_train_size_uses_a_fixed_subset():
    X, y = xor_data(300)
    kw = dict(lr=0.1, batch_size=30, epochs=2, seed=4, eval_train_size=50)
    h1 = fit(clf(), X, y, **kw)
    m2 = clf()
    h2 = fit(m2, X, y, **kw)
    assert h1.evals["train_loss"] == h2.evals["train_loss"]
    full = m2.loss(X, y, train=False)
    assert h2.final["train_loss"] != pytest.approx(full, rel=1e-9)
    h3 = fit(clf(), X, y, **dict(kw, eval_train_size=1000))  # >= N means all rows
    assert h3.final["train_loss"] == pytest.approx(full, rel=1e-12)


# ----------------------------------------------------------------------------- divergence
def test_divergence_stops_with_finite_params_and_message():
    X, y = regression_data()
    model = reg(activation="relu")
    h = fit(model, X, y, lr=1e6, batch_size=10, epochs=20, seed=0, divergence_factor=None)
    assert h.stopped_reason == "diverged"
    assert all(np.isfinite(p).all() for p in model.params.values())
    m = re.fullmatch(
        r"loss became (nan|inf) at step (\d+) \(lr=1000000\.0\): "
        r"parameters restored to step (\d+); lower the learning rate",
        h.message,
    )
    assert m, h.message
    bad, good = int(m.group(2)), int(m.group(3))
    assert good == bad - 2  # the loss of step s is measured at the parameters of step s-1
    assert not math.isfinite(h.step["loss"][-1]) and h.step["step"][-1] == bad
    assert all(math.isfinite(v) for v in h.step["loss"][:-1])


def test_divergence_restores_exact_parameters():
    X, y = regression_data()
    model = reg(activation="relu")
    snaps = {}
    cb = LambdaCallback(
        on_step_end=lambda tr, s, logs: snaps.__setitem__(s, tr.model.get_weights())
    )
    h = fit(model, X, y, lr=1e6, batch_size=10, epochs=20, seed=0, callbacks=[cb],
            divergence_factor=None)  # fmt: skip
    good = int(re.search(r"restored to step (\d+)", h.message).group(1))
    assert good >= 1
    for k, v in model.params.items():
        np.testing.assert_array_equal(v, snaps[good][k])


def test_divergence_raise():
    X, y = regression_data()
    with pytest.raises(DivergenceError, match=r"lower the learning rate") as ei:
        fit(
            reg(activation="relu"),
            X,
            y,
            lr=1e6,
            batch_size=10,
            epochs=20,
            seed=0,
            divergence="raise",
        )
    assert ei.value.history.stopped_reason == "diverged"


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_divergence_catches_a_runaway_finite_loss(dtype):
    """Issue 12: in float64 lr = 1e6 ran to the end with losses of ~1e6 (1.3e38 with ReLU)."""
    X, y = xor_data()
    model = clf(dtype=dtype)
    w0 = model.get_weights()
    h = fit(model, X, y, lr=1e6, batch_size=20, epochs=5, seed=0)
    assert h.stopped_reason == "diverged"
    first = h.step["loss"][0]
    assert math.isfinite(h.step["loss"][-1]) and h.step["loss"][-1] > 1e4 * max(first, 1)
    m = re.fullmatch(
        r"loss became ([0-9.e+]+), over 10000 times its start \(([0-9.]+)\), at step (\d+) "
        r"\(lr=1000000\.0\): parameters restored to step (\d+); lower the learning rate",
        h.message,
    )
    assert m, h.message
    assert float(m.group(2)) == pytest.approx(first, rel=1e-2)
    assert int(m.group(4)) == int(m.group(3)) - 2 == 0  # step 1 ran away: back to the start
    for k, v in model.params.items():
        np.testing.assert_array_equal(v, w0[k])


def test_divergence_factor_bounds_and_off_switch():
    X, y = xor_data()
    h = fit(clf(), X, y, lr=1e6, batch_size=20, epochs=5, seed=0, divergence_factor=None)
    assert h.stopped_reason == "completed"  # tanh + cross-entropy stays finite
    h = fit(clf(), X, y, lr=0.5, batch_size=20, epochs=5, seed=0, divergence_factor=2.0)
    assert h.stopped_reason == "completed"  # a healthy run never doubles its loss
    with pytest.raises(ConfigError, match="divergence_factor"):
        Trainer(clf(), epochs=1, divergence_factor=0.5)


class NoBatchLoss:
    """A model wrapper that does not expose its batch loss (``last_loss``)."""

    def __init__(self, model):
        self._m = model
        self.params = model.params
        self.head = model.head

    def gradient(self, x, t):
        return self._m.gradient(x, t)

    def loss(self, x, t, train=False):
        return self._m.loss(x, t, train=train)

    def accuracy(self, x, t):
        return self._m.accuracy(x, t)


def test_divergence_detected_at_evaluation_without_batch_loss():
    X, y = regression_data()
    inner = reg(activation="relu")
    h = fit(
        NoBatchLoss(inner), X, y, lr=1e6, batch_size=10, epochs=20, seed=0, divergence_factor=None
    )
    assert h.step["loss"] == []  # no extra forward pass per step
    assert h.stopped_reason == "diverged"
    assert re.search(r"became (nan|inf) at step \d+ .*restored to step \d+", h.message)
    assert all(np.isfinite(p).all() for p in inner.params.values())


def test_record_step_loss_adds_batch_losses():
    X, y = regression_data()
    h = fit(
        NoBatchLoss(reg()), X, y, lr=0.1, batch_size=10, epochs=2, seed=0, record_step_loss=True
    )
    assert h.step["step"] == list(range(1, 13)) and all(map(math.isfinite, h.step["loss"]))


# ----------------------------------------------------------------------------- interrupt
def test_keyboard_interrupt_returns_history():
    X, y = xor_data(50)

    def boom(tr, step, logs):
        if step == 7:
            raise KeyboardInterrupt

    h = fit(
        clf(),
        X,
        y,
        lr=0.1,
        batch_size=5,
        epochs=5,
        seed=0,
        callbacks=[LambdaCallback(on_step_end=boom)],
    )
    assert h.stopped_reason == "interrupted"
    assert "step 7" in h.message
    assert len(h.step["loss"]) == 7


def test_interrupt_inside_update_restores_parameters():
    X, y = xor_data(50)
    model = clf()
    trainer = Trainer(model, "sgd", lr=0.1, batch_size=5, epochs=3, seed=0, progress=False)
    real_update = trainer.optimizer.update
    calls = {"n": 0, "before": None}

    def update(params, grads):
        calls["n"] += 1
        if calls["n"] == 4:
            calls["before"] = {k: v.copy() for k, v in model.params.items()}
            first = next(iter(params))
            params[first] -= 0.1 * grads[first]  # half-done update
            raise KeyboardInterrupt
        real_update(params, grads)

    trainer.optimizer.update = update
    h = trainer.fit(X, y)
    assert h.stopped_reason == "interrupted"
    assert "restored to step 3" in h.message
    for k, v in model.params.items():
        np.testing.assert_array_equal(v, calls["before"][k])


# ----------------------------------------------------------------------------- History
def test_history_views_json_and_best(tmp_path):
    X, y = xor_data(60)
    Xv, yv = xor_data(30, seed=9)
    h = fit(clf(), X, y, lr=0.3, batch_size=10, epochs=5, seed=0, validation_data=(Xv, yv))
    assert set(h.history) == {"loss", "val_loss", "acc", "val_acc"}
    assert h.history["val_loss"] == h.evals["val_loss"]
    b = h.best("val_loss")
    assert b["val_loss"] == min(h.evals["val_loss"])
    assert h.evals["step"][b["index"]] == b["step"]
    assert h.best("val_acc")["val_acc"] == max(h.evals["val_acc"])
    with pytest.raises(ConfigError, match="monitor"):
        h.best("bogus")
    assert h.elapsed > 0
    text = h.to_json(tmp_path / "h.json")
    d = json.loads(text)
    assert d["evals"]["train_loss"] == h.evals["train_loss"]
    assert d["stopped_reason"] == "completed" and d["config"]["batch_size"] == 10
    h2 = History.from_json(tmp_path / "h.json")
    assert h2.evals == h.evals and h2.step == h.step and h2.history == h.history


def test_history_json_turns_nan_into_null():
    h = History(iterations_per_epoch=2)
    h.step["step"] += [1, 2]
    h.step["loss"] += [0.5, float("nan")]
    d = json.loads(h.to_json())
    assert d["step"]["loss"] == [0.5, None]
    assert d["final"]["loss"] is None
    with pytest.raises(ConfigError, match="not measured"):
        h.best("val_loss")


def test_history_plot_delegates_to_viz(monkeypatch):
    fake = types.ModuleType("mlplab.viz")
    fake.plot_history = lambda hist, **kw: ("plotted", hist, kw)
    monkeypatch.setitem(sys.modules, "mlplab.viz", fake)
    monkeypatch.setattr(mlplab, "viz", fake, raising=False)
    h = History()
    assert h.plot(title="x") == ("plotted", h, {"title": "x"})


# ----------------------------------------------------------------------------- arguments
@pytest.mark.parametrize(
    "kw, exc, name",
    [
        (dict(batch_size=0, epochs=1), ConfigError, "batch_size"),
        (dict(batch_size=2.5, epochs=1), MlplabTypeError, "batch_size"),
        (dict(epochs=0), ConfigError, "epochs"),
        (dict(iterations=-3), ConfigError, "iterations"),
        (dict(epochs=2, iterations=5), ConfigError, "epochs or iterations"),
        (dict(), ConfigError, "epochs or iterations"),
        (dict(epochs=1, sampling="random"), ConfigError, "sampling"),
        (dict(epochs=1, eval_every=0), ConfigError, "eval_every"),
        (dict(epochs=1, eval_on="never"), ConfigError, "eval_on"),
        (dict(epochs=1, gradient="finite"), ConfigError, "gradient"),
        (dict(epochs=1, lr=-0.1), ConfigError, "lr"),
        (dict(epochs=1, h=0), ConfigError, "h"),
        (dict(epochs=1, divergence="ignore"), ConfigError, "divergence"),
        (dict(epochs=1, progress="yes"), ConfigError, "progress"),
        (dict(epochs=1, eval_train_size=0), ConfigError, "eval_train_size"),
        (dict(epochs=1, validation_data=np.zeros((3, 2))), ConfigError, "validation_data"),
        (dict(epochs=1, callbacks=[object()]), MlplabTypeError, "callbacks"),
    ],
)
def test_bad_config_names_the_argument(kw, exc, name):
    kw.setdefault("progress", False)
    with pytest.raises(exc, match=re.escape(name)):
        Trainer(clf(), "sgd", **kw)


@pytest.mark.parametrize(
    "X, y, exc, name",
    [
        (np.zeros((10, 2)), np.zeros(9, dtype=int), ShapeError, "X and y"),
        (np.zeros(10), np.zeros(10, dtype=int), ShapeError, "X must be 2-D"),
        (np.zeros((0, 2)), np.zeros(0, dtype=int), DataError, "X is empty"),
        (np.full((10, 2), np.nan), np.zeros(10, dtype=int), DataError, "X contains NaN"),
        (
            np.array([["a", "b"]] * 3),
            np.zeros(3, dtype=int),
            DataError,
            "X must be a numeric array",
        ),
        (np.zeros((10, 2)), np.full((10, 1), np.inf), DataError, "y contains NaN"),
    ],
)
def test_bad_data_names_the_argument(X, y, exc, name):
    with pytest.raises(exc, match=re.escape(name)):
        fit(clf(), X, y, epochs=1)


def test_bad_validation_data_names_the_argument():
    X, y = xor_data(20)
    Xv = X.copy()
    Xv[3, 1] = np.nan
    with pytest.raises(DataError, match=re.escape("validation_data[0] (X_val)")):
        fit(clf(), X, y, epochs=1, validation_data=(Xv, y))
    with pytest.raises(ShapeError, match="validation_data"):
        fit(clf(), X, y, epochs=1, validation_data=(X[:, :1], y))


def test_model_fit_delegates_to_trainer():
    X, y = xor_data(40)
    model = clf()
    model.compile(optimizer="sgd")
    h = model.fit(X, y, batch_size=10, epochs=2, seed=0)
    assert isinstance(h, History) and h.evals["step"] == [4, 8]
