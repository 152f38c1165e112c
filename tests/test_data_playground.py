"""Tests for mlplab.data.playground (TensorFlow Playground generators)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlplab.data import playground as pg
from mlplab.errors import ConfigError, ShapeError

CLASSIFY = ["circle", "xor", "gauss", "spiral"]
REGRESS = ["reg-plane", "reg-gauss"]


def test_problem_table():
    assert pg.PROBLEM == {
        "circle": "classification",
        "xor": "classification",
        "gauss": "classification",
        "spiral": "classification",
        "reg-plane": "regression",
        "reg-gauss": "regression",
    }


@pytest.mark.parametrize("name", CLASSIFY + REGRESS)
def test_defaults_shapes_dtypes_determinism(name):
    X, y = pg.generate(name)
    n = 500 if name in CLASSIFY else 1200
    assert X.shape == (n, 2) and y.shape == (n,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    X2, y2 = pg.generate(name)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    # spiral points move only with noise; the others are random even at noise 0
    noise = 10 if name == "spiral" else 0
    Xa, ya = pg.generate(name, noise=noise, seed=0)
    Xb, yb = pg.generate(name, noise=noise, seed=1)
    assert not np.array_equal(Xa, Xb)


@pytest.mark.parametrize("name", CLASSIFY)
def test_classification_labels_pm1_balanced(name):
    _, y = pg.generate(name, noise=0)
    assert set(np.unique(y)) == {-1.0, 1.0}
    if name != "xor":  # circle, gauss, spiral generate N/2 of each
        assert (y == 1).sum() == 250 and (y == -1).sum() == 250


def test_circle_definition():
    X, y = pg.generate("circle", noise=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all(r[:250] < 2.5) and np.all((r[250:] >= 3.5) & (r[250:] <= 5))
    assert np.array_equal(y, np.where(r < 2.5, 1.0, -1.0))
    # noise flips labels but does not move points
    Xn, yn = pg.generate("circle", noise=50)
    assert np.array_equal(Xn, X)
    assert 0 < (yn != y).sum() < 250


def test_xor_definition():
    X, y = pg.generate("xor", noise=0)
    assert np.all(np.abs(X) >= 0.3) and np.all(np.abs(X) <= 5.3)
    assert np.array_equal(y, np.where(X[:, 0] * X[:, 1] >= 0, 1.0, -1.0))
    Xn, yn = pg.generate("xor", noise=40)
    assert np.array_equal(Xn, X) and (yn != y).any()


def test_gauss_definition_and_variance_scale():
    X, y = pg.generate("gauss", n=4000, noise=0)
    assert np.allclose(X[y == 1].mean(0), [2, 2], atol=0.1)
    assert np.allclose(X[y == -1].mean(0), [-2, -2], atol=0.1)
    assert np.allclose(X[y == 1].var(0), 0.5, rtol=0.1)
    Xn, yn = pg.generate("gauss", n=4000, noise=50)
    assert np.allclose(Xn[yn == 1].var(0), 4.0, rtol=0.1)  # 0.5 + 7 * 0.5
    X2, y2 = pg.generate("gauss", n=4000, noise=20)
    assert np.allclose(X2[y2 == -1].var(0), 0.5 + 7 * 0.2, rtol=0.1)


def test_spiral_definition():
    X, y = pg.generate("spiral", n=500, noise=0)
    m = 250
    i = np.arange(m)
    r = i / m * 5
    t = 1.75 * i / m * 2 * math.pi
    assert np.allclose(X[:m], np.c_[r * np.sin(t), r * np.cos(t)])
    assert np.allclose(X[m:], np.c_[r * np.sin(t + math.pi), r * np.cos(t + math.pi)])
    assert np.all(y[:m] == 1) and np.all(y[m:] == -1)
    Xn, _ = pg.generate("spiral", n=500, noise=50)
    jitter = np.abs(Xn - X)
    assert jitter.max() <= 0.5 + 1e-12 and jitter.max() > 0.3


def test_reg_plane_definition():
    X, y = pg.generate("reg-plane", noise=0)
    assert np.all(np.abs(X) <= 6)
    assert np.allclose(y, (X[:, 0] + X[:, 1]) / 10)
    Xn, yn = pg.generate("reg-plane", noise=50)
    assert np.array_equal(Xn, X) and not np.allclose(yn, y)
    assert np.all(np.abs(yn - y) <= 2 * 6 * 0.5 / 10 + 1e-12)


def test_reg_gauss_definition():
    X, y = pg.generate("reg-gauss", noise=0)
    centres = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    # straightforward per-point version of the Playground's getLabel
    for (px, py), got in zip(X[:200], y[:200], strict=True):
        label = 0.0
        for cx, cy, sign in centres:
            d = math.hypot(px - cx, py - cy)
            new = sign * min(1.0, max(0.0, 1 - d / 2))
            if abs(new) > abs(label):
                label = new
        assert got == pytest.approx(label, abs=1e-12)
    assert np.all(np.abs(y) <= 1) and (y > 0.5).any() and (y < -0.5).any()


def test_noise_validation():
    with pytest.raises(ConfigError, match="noise"):
        pg.generate("circle", noise=81)
    with pytest.raises(ConfigError, match="noise"):
        pg.generate("circle", noise=-1)
    pg.generate("circle", noise=80)  # URL maximum is accepted
    with pytest.raises(ConfigError, match="circle"):
        pg.generate("moons")


def test_odd_n_gives_exactly_n():
    for name in CLASSIFY:
        X, y = pg.generate(name, n=7)
        assert X.shape == (7, 2) and y.shape == (7,)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 300), ratio=st.integers(10, 90), seed=st.integers(0, 1000))
def test_split_sizes_and_partition(n, ratio, seed):
    X = np.c_[np.arange(n), np.zeros(n)].astype(float)
    y = np.arange(n, dtype=float)
    Xtr, ytr, Xte, yte = pg.split(X, y, ratio, seed)
    assert len(ytr) == math.floor(n * ratio / 100)
    assert len(ytr) + len(yte) == n
    assert sorted(np.r_[ytr, yte].tolist()) == y.tolist()
    assert np.array_equal(Xtr[:, 0], ytr)


def test_split_default_250_250_and_seeded_shuffle():
    X, y = pg.generate("circle")
    Xtr, ytr, Xte, yte = pg.split(X, y)
    assert len(ytr) == 250 and len(yte) == 250
    assert 0.3 < (ytr == 1).mean() < 0.7  # shuffled, not the first half (all +1)
    assert np.array_equal(pg.split(X, y, seed=3)[1], pg.split(X, y, seed=3)[1])
    assert not np.array_equal(pg.split(X, y, seed=3)[1], pg.split(X, y, seed=4)[1])
    with pytest.raises(ConfigError, match="train_ratio"):
        pg.split(X, y, 95)
    with pytest.raises(ShapeError):
        pg.split(X, y[:10])


def test_features():
    assert list(pg.FEATURES) == ["x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"]
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    F = pg.features(X, list(pg.FEATURES))
    expected = np.c_[
        X[:, 0],
        X[:, 1],
        X[:, 0] ** 2,
        X[:, 1] ** 2,
        X[:, 0] * X[:, 1],
        np.sin(X[:, 0]),
        np.sin(X[:, 1]),
    ]
    assert F.shape == (2, 7) and np.allclose(F, expected)
    assert np.array_equal(pg.features(X, ["xTimesY", "x"]), np.c_[X[:, 0] * X[:, 1], X[:, 0]])
    with pytest.raises(ConfigError, match="cosX"):
        pg.features(X, ["cosX"])
    with pytest.raises(ShapeError):
        pg.features(np.ones((3, 3)), ["x"])
