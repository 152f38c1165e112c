"""Tests of mlplab.callbacks: early stopping, atomic checkpoints, CSV log, lambdas, progress."""

from __future__ import annotations

import csv
import io
import os
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlplab.callbacks import (
    Callback,
    CSVLogger,
    EarlyStopping,
    LambdaCallback,
    ModelCheckpoint,
    ProgressBar,
    atomic_save_model,
)
from mlplab.errors import ConfigError
from mlplab.model import MLP, load
from mlplab.train import Trainer


def xor_data(n=80, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(np.int64)


def clf(seed=0):
    return MLP([2, 6, 2], activation="tanh", loss="cce", seed=seed)


def fit(model, X, y, **kw):
    kw.setdefault("progress", False)
    return Trainer(model, kw.pop("optimizer", "sgd"), **kw).fit(X, y)


def fake_trainer(params=None):
    """Just enough of a Trainer for driving a callback by hand."""
    params = params if params is not None else {"W": np.zeros(3)}
    tr = types.SimpleNamespace(
        model=types.SimpleNamespace(params=params),
        stop_training=False,
        stop_reason=None,
        stop_message=None,
        history=types.SimpleNamespace(stopped_reason="completed"),
    )
    return tr


def feed(cb, values, key="val_loss", params=None):
    """Call cb.on_eval with ``values``; return the index at which it stopped (or None)."""
    tr = fake_trainer(params)
    cb.on_train_begin(tr)
    for i, v in enumerate(values):
        tr.model.params["W"][...] = i
        cb.on_eval(tr, {"step": i + 1, "epoch": float(i + 1), key: v})
        if tr.stop_training:
            cb.on_train_end(tr)
            return i, tr
    cb.on_train_end(tr)
    return None, tr


# ----------------------------------------------------------------------------- EarlyStopping
def test_early_stopping_patience_counts_evaluations_without_improvement():
    stop, tr = feed(EarlyStopping(patience=3), [1.0, 0.8, 0.9, 0.85, 0.95, 0.1])
    assert stop == 4  # three evaluations in a row above 0.8
    assert tr.stop_reason == "early_stopping"
    assert "did not improve for 3 evaluations" in tr.stop_message
    np.testing.assert_array_equal(tr.model.params["W"], 1.0)  # restored the best (index 1)


def test_early_stopping_min_delta_and_mode_max():
    stop, _ = feed(EarlyStopping(patience=2, min_delta=0.05), [1.0, 0.97, 0.96, 0.5])
    assert stop == 2  # 0.97 and 0.96 are not better than 1.0 by more than 0.05
    stop, tr = feed(EarlyStopping("val_acc", patience=1), [0.5, 0.7, 0.6], key="val_acc")
    assert stop == 2
    np.testing.assert_array_equal(tr.model.params["W"], 1.0)


def test_early_stopping_without_restore_keeps_last_params():
    stop, tr = feed(EarlyStopping(patience=1, restore_best=False), [1.0, 2.0])
    assert stop == 1
    np.testing.assert_array_equal(tr.model.params["W"], 1.0)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(0, 10, allow_nan=False), min_size=1, max_size=30),
    patience=st.integers(1, 5),
)
def test_early_stopping_matches_reference(values, patience):
    stop, _ = feed(EarlyStopping(patience=patience), values)
    best, wait, expected = np.inf, 0, None
    for i, v in enumerate(values):
        if v < best:
            best, wait = v, 0
        else:
            wait += 1
            if wait >= patience:
                expected = i
                break
    assert stop == expected


def test_early_stopping_in_training_restores_best_epoch():
    X, y = xor_data(80)
    Xv, yv = X, 1 - y  # validation labels flipped: val_loss rises as the model learns
    model = clf()
    snaps = []
    rec = LambdaCallback(on_eval=lambda tr, logs: snaps.append(tr.model.get_weights()))
    es = EarlyStopping(patience=3)
    h = fit(
        model,
        X,
        y,
        optimizer="adam",
        lr=0.05,
        batch_size=16,
        epochs=200,
        seed=0,
        validation_data=(Xv, yv),
        callbacks=[rec, es],
    )
    assert h.stopped_reason == "early_stopping"
    assert len(h.evals["step"]) < 200
    best = int(np.argmin(h.evals["val_loss"]))
    assert len(h.evals["step"]) == best + 1 + 3
    assert es.best_step == h.evals["step"][best]
    assert "restored best parameters" in h.message
    for k, v in model.params.items():
        np.testing.assert_array_equal(v, snaps[best][k])


def test_early_stopping_monitor_must_be_measured():
    X, y = xor_data(20)
    with pytest.raises(ConfigError, match="validation_data"):
        fit(clf(), X, y, epochs=2, callbacks=[EarlyStopping()])
    with pytest.raises(ConfigError, match="monitor"):
        EarlyStopping(monitor="val_los")


# ----------------------------------------------------------------------------- checkpoints
def test_checkpoint_every_and_format(tmp_path):
    X, y = xor_data(40)
    ck = ModelCheckpoint(tmp_path / "m-{epoch:.0f}.npz", every=2)
    fit(clf(), X, y, lr=0.1, batch_size=10, epochs=5, seed=0, callbacks=[ck])
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["m-2.npz", "m-4.npz"]
    assert [os.path.basename(p) for p in ck.saved] == ["m-2.npz", "m-4.npz"]


def test_checkpoint_epoch_field_is_an_integer(tmp_path):
    X, y = xor_data(40)
    ck = ModelCheckpoint(tmp_path / "model-{epoch}.npz")
    fit(clf(), X, y, lr=0.1, batch_size=10, epochs=2, seed=0, callbacks=[ck])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model-1.npz", "model-2.npz"]
    ck = ModelCheckpoint(tmp_path / "m-{epoch:03d}-{step}.npz")
    fit(clf(), X, y, lr=0.1, batch_size=10, epochs=1, seed=0, callbacks=[ck])
    assert (tmp_path / "m-001-4.npz").exists()
    with pytest.raises(ConfigError, match=r"names 'val_acc', which is not measured"):
        fit(clf(), X, y, epochs=1, callbacks=[ModelCheckpoint(tmp_path / "{val_acc}.npz")])


def test_checkpoint_save_best_only_keeps_best(tmp_path):
    X, y = xor_data(60)
    Xv, yv = xor_data(30, seed=1)
    model = clf()
    ck = ModelCheckpoint(tmp_path / "best", save_best_only=True)
    h = fit(
        model,
        X,
        y,
        lr=0.5,
        batch_size=10,
        epochs=8,
        seed=0,
        validation_data=(Xv, yv),
        callbacks=[ck],
    )
    path = tmp_path / "best.npz"
    assert ck.saved and all(p == str(path) for p in ck.saved)
    assert len(ck.saved) == sum(
        v < min(h.evals["val_loss"][:i], default=np.inf) for i, v in enumerate(h.evals["val_loss"])
    )
    assert load(path).loss(Xv, yv) == pytest.approx(min(h.evals["val_loss"]), rel=1e-12)


def test_checkpoint_write_is_atomic(tmp_path, monkeypatch):
    X, y = xor_data(40)
    model = clf()
    path = tmp_path / "ckpt.npz"
    atomic_save_model(model, path)
    good = model.get_weights()
    fit(model, X, y, lr=0.5, batch_size=10, epochs=1, seed=0)  # change the weights

    def broken_save(self, p):
        with open(p, "wb") as f:  # half a file, then the disk "fails"
            f.write(b"PK\x03\x04 garbage")
        raise OSError("disk full")

    monkeypatch.setattr(type(model), "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        fit(model, X, y, lr=0.5, batch_size=10, epochs=2, seed=0, callbacks=[ModelCheckpoint(path)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.npz"]  # no temp files left
    old = load(path)
    for k, v in good.items():
        np.testing.assert_array_equal(old.params[k], v)


def test_atomic_save_appends_npz(tmp_path):
    model = clf()
    out = atomic_save_model(model, tmp_path / "sub" / "model")
    assert out.endswith("model.npz") and os.path.exists(out)
    np.testing.assert_array_equal(load(out).params["W1"], model.params["W1"])


# ----------------------------------------------------------------------------- CSV, lambda
def test_csv_logger_rows_match_history(tmp_path):
    X, y = xor_data(40)
    path = tmp_path / "log.csv"
    h = fit(clf(), X, y, lr=0.1, batch_size=10, epochs=3, seed=0, callbacks=[CSVLogger(path)])
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["step"]) for r in rows] == h.evals["step"]
    assert [float(r["train_loss"]) for r in rows] == h.evals["train_loss"]
    assert all(r["val_loss"] == "" for r in rows)
    fit(
        clf(),
        X,
        y,
        lr=0.1,
        batch_size=10,
        epochs=2,
        seed=0,
        callbacks=[CSVLogger(path, append=True)],
    )
    with open(path) as f:
        lines = f.read().splitlines()
    assert len(lines) == 1 + 3 + 2 and lines.count(lines[0]) == 1


def test_lambda_callback_hooks_and_stop():
    X, y = xor_data(40)
    counts = dict.fromkeys(
        ["on_train_begin", "on_step_end", "on_eval", "on_epoch_end", "on_train_end"], 0
    )

    def counter(name):
        def fn(*args):
            counts[name] += 1

        return fn

    cb = LambdaCallback(**{k: counter(k) for k in counts})
    h = fit(clf(), X, y, lr=0.1, batch_size=10, epochs=3, seed=0, callbacks=[cb])
    assert counts == {
        "on_train_begin": 1,
        "on_step_end": 12,
        "on_eval": 3,
        "on_epoch_end": 3,
        "on_train_end": 1,
    }
    assert h.stopped_reason == "completed"

    def stop(tr, step, logs):
        if step == 5:
            tr.stop_training = True

    h = fit(
        clf(),
        X,
        y,
        lr=0.1,
        batch_size=10,
        epochs=3,
        seed=0,
        callbacks=[LambdaCallback(on_step_end=stop)],
    )
    assert h.stopped_reason == "callback"
    assert h.step["step"][-1] == 5 and h.evals["step"] == [4, 5]  # final evaluation at 5
    with pytest.raises(ConfigError, match="hook"):
        LambdaCallback(on_batch_end=print)


def test_epoch_end_logs_carry_the_evaluation():
    X, y = xor_data(40)
    seen = []
    cb = LambdaCallback(on_epoch_end=lambda tr, e, logs: seen.append((e, dict(logs))))
    h = fit(clf(), X, y, lr=0.1, batch_size=10, epochs=2, seed=0, callbacks=[cb])
    assert [e for e, _ in seen] == [1, 2]
    assert [logs["train_loss"] for _, logs in seen] == h.evals["train_loss"]


def test_subclassed_callback_only_overrides_what_it_needs():
    class Count(Callback):
        n = 0

        def on_eval(self, trainer, logs):
            Count.n += 1

    X, y = xor_data(40)
    fit(clf(), X, y, lr=0.1, batch_size=10, epochs=2, seed=0, callbacks=[Count()])
    assert Count.n == 2


# ----------------------------------------------------------------------------- progress
class TTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_forced_draws_one_line():
    X, y = xor_data(40)
    out = io.StringIO()
    bar = ProgressBar(stream=out, delay=0, force=True, min_interval=0)
    fit(clf(), X, y, lr=0.1, batch_size=10, epochs=2, seed=0, callbacks=[bar])
    text = out.getvalue()
    assert text.startswith("\r") and text.endswith("\n") and text.count("\n") == 1
    assert "8/8" in text and "loss" in text and "100%" in text


def test_progress_bar_silent_when_not_a_tty_or_under_pytest(monkeypatch):
    X, y = xor_data(40)
    quiet = io.StringIO()
    fit(clf(), X, y, epochs=1, callbacks=[ProgressBar(stream=quiet, delay=0)])
    tty = TTY()
    fit(clf(), X, y, epochs=1, callbacks=[ProgressBar(stream=tty, delay=0)])
    assert quiet.getvalue() == "" and tty.getvalue() == ""
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    fit(clf(), X, y, epochs=1, callbacks=[ProgressBar(stream=tty, delay=0, min_interval=0)])
    assert "1/1" in tty.getvalue()
    late = TTY()  # the default delay keeps short runs silent
    fit(clf(), X, y, epochs=1, callbacks=[ProgressBar(stream=late)])
    assert late.getvalue() == ""
