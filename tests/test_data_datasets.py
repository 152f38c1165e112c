"""Tests for mlplab.data.datasets and mlplab.data.utils."""

# The notebook / DLfS code is reproduced verbatim on the legacy global RNG on purpose.
# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlplab.data import datasets as ds
from mlplab.data.utils import check_xy, one_hot, standardize, to_labels, train_test_split
from mlplab.errors import ConfigError, DataError, MlplabTypeError, ShapeError


# --------------------------------------------------------------------------------------------
# quadratic: bit-for-bit the seed notebook
# --------------------------------------------------------------------------------------------
def _notebook_cell(n_obs=100):
    """The seed notebook's data cell, verbatim, on the global RNG."""
    state = np.random.get_state()
    try:
        np.random.seed(317)
        X = np.random.rand(n_obs, 2) * 4 - 2
        y = (X[:, 1] + 1 > (X[:, 0] ** 2)).astype(int)
        X_test = np.random.rand(n_obs, 2) * 4 - 2
        y_test = ((X_test[:, 1] + 0.2) + 1 > (X_test[:, 0] + 0.2) ** 2).astype(int)
        after = np.random.rand(5)  # what the global stream gives next
    finally:
        np.random.set_state(state)
    return X, y, X_test, y_test, after


@pytest.mark.parametrize("n", [100, 7])
def test_quadratic_is_bit_for_bit_the_notebook(n):
    X, y, Xt, yt, _ = _notebook_cell(n)
    got = ds.quadratic(n=n)
    for a, b in zip(got, (X, y, Xt, yt), strict=True):
        assert a.shape == b.shape
        assert np.array_equal(a, b)
    assert got[1].dtype.kind == "i" and got[0].dtype == np.float64


def test_quadratic_known_values_from_notebook_output():
    X, y, _, _ = ds.quadratic()
    # The notebook prints: index= [74] X = [[0.8216662 0.16103194]] y = [1]
    assert np.allclose(X[74], [0.8216662, 0.16103194], atol=5e-8)
    assert y[74] == 1


def test_quadratic_shift_changes_only_test_labels():
    X0, y0, Xt0, yt0 = ds.quadratic(shift=0.0)
    X1, y1, Xt1, yt1 = ds.quadratic(shift=0.2)
    assert np.array_equal(X0, X1) and np.array_equal(y0, y1) and np.array_equal(Xt0, Xt1)
    assert np.array_equal(yt0, (Xt0[:, 1] + 1 > Xt0[:, 0] ** 2).astype(int))
    assert not np.array_equal(yt0, yt1)


def test_quadratic_does_not_touch_global_rng():
    np.random.seed(5)
    expected = np.random.rand(3)
    np.random.seed(5)
    ds.quadratic()
    assert np.array_equal(np.random.rand(3), expected)


def test_quadratic_rng_state_continues_the_notebook_stream():
    *_, after = _notebook_cell(100)
    rs = ds.quadratic_rng_state()
    assert np.array_equal(rs.rand(5), after)
    assert not np.array_equal(np.random.RandomState(317).rand(5), after)


# --------------------------------------------------------------------------------------------
# gates
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, fn",
    [
        ("and", lambda a, b: a & b),
        ("or", lambda a, b: a | b),
        ("nand", lambda a, b: 1 - (a & b)),
        ("nor", lambda a, b: 1 - (a | b)),
        ("xor", lambda a, b: a ^ b),
    ],
)
def test_gates_truth_tables(name, fn):
    X, y = ds.gates(name)
    assert X.shape == (4, 2) and X.dtype == np.float64
    assert np.array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    a, b = X[:, 0].astype(int), X[:, 1].astype(int)
    assert np.array_equal(y, fn(a, b))
    assert ds.gates(name.upper())[1].tolist() == y.tolist()


def test_gates_unknown():
    with pytest.raises(ConfigError, match="xor"):
        ds.gates("implies")


def test_gates_returns_copies():
    X, _ = ds.gates("and")
    X[0, 0] = 9
    assert ds.gates("and")[0][0, 0] == 0


# --------------------------------------------------------------------------------------------
# spiral, moons, blobs4
# --------------------------------------------------------------------------------------------
def test_spiral_matches_cs231n_definition():
    n, k, noise, seed = 50, 3, 0.2, 3
    X, y = ds.spiral(n, k, noise, seed)
    assert X.shape == (n * k, 2) and y.shape == (n * k,)
    assert np.array_equal(np.bincount(y), [n] * k)
    # cs231n loop, with the same noise stream
    eps = np.random.default_rng(seed).standard_normal(n * k) * noise
    for j in range(k):
        ix = slice(n * j, n * (j + 1))
        r = np.linspace(0.0, 1, n)
        t = np.linspace(j * 4, (j + 1) * 4, n) + eps[ix]
        assert np.allclose(X[ix], np.c_[r * np.sin(t), r * np.cos(t)], atol=1e-12)
        assert np.all(y[ix] == j)
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1 + 1e-12)


def test_spiral_noise_and_seed():
    a = ds.spiral(noise=0.0, seed=1)[0]
    b = ds.spiral(noise=0.0, seed=2)[0]
    assert np.array_equal(a, b)  # no noise -> seed irrelevant
    c, d = ds.spiral(seed=1)[0], ds.spiral(seed=1)[0]
    assert np.array_equal(c, d)
    assert not np.array_equal(c, ds.spiral(seed=2)[0])
    with pytest.raises(ConfigError):
        ds.spiral(k=1)


def test_moons_shape_balance_and_geometry():
    X, y = ds.moons(201, noise=0.0, seed=0)
    assert X.shape == (201, 2)
    assert np.bincount(y).tolist() == [101, 100]
    up, low = X[y == 0], X[y == 1]
    assert np.allclose(np.hypot(up[:, 0], up[:, 1]), 1.0)
    assert np.allclose(np.hypot(low[:, 0] - 1, low[:, 1] - 0.5), 1.0)
    assert up[:, 1].min() >= -1e-12 and low[:, 1].max() <= 0.5 + 1e-12
    Xn, yn = ds.moons(201, noise=0.3, seed=0)
    assert np.array_equal(np.sort(yn), np.sort(y))
    assert not np.allclose(np.hypot(Xn[yn == 0, 0], Xn[yn == 0, 1]), 1.0)
    assert np.array_equal(ds.moons(seed=4)[0], ds.moons(seed=4)[0])


def test_blobs4_shape_classes_and_separability():
    X, y = ds.blobs4(151, seed=0)
    assert X.shape == (151, 4) and y.shape == (151,)
    assert sorted(np.bincount(y).tolist()) == [50, 50, 51]
    # nearest class mean classifies most points correctly
    means = np.stack([X[y == c].mean(0) for c in range(3)])
    pred = np.argmin(((X[:, None, :] - means[None]) ** 2).sum(-1), axis=1)
    assert (pred == y).mean() > 0.9
    # class 0 is separated by petal length as in Iris
    assert X[y == 0, 2].max() < X[y != 0, 2].min()
    assert not np.array_equal(ds.blobs4(seed=0)[0], ds.blobs4(seed=1)[0])


# --------------------------------------------------------------------------------------------
# load_builtin
# --------------------------------------------------------------------------------------------
def test_load_builtin_dispatch():
    assert len(ds.load_builtin("quadratic")) == 4
    X, y = ds.load_builtin("gates-xor")
    assert y.tolist() == [0, 1, 1, 0]
    X, y = ds.load_builtin("spiral", n_per_class=10, k=4)
    assert X.shape == (40, 2)
    X, y = ds.load_builtin("circle", n=20)
    assert X.shape == (20, 2) and set(np.unique(y)) == {-1.0, 1.0}
    Xp, _ = ds.load_builtin("playground-spiral", n=20)
    assert Xp.shape == (20, 2) and np.abs(Xp).max() > 1.5  # Playground spiral is radius 5
    for name in ds.BUILTIN_NAMES:
        out = ds.load_builtin(name)
        assert out[0].shape[0] == out[1].shape[0]


def test_load_builtin_errors():
    with pytest.raises(ConfigError, match="quadratic.*moons"):
        ds.load_builtin("iris")
    with pytest.raises(ConfigError, match="bad option"):
        ds.load_builtin("moons", bogus=1)
    with pytest.raises(ConfigError, match="no options"):
        ds.load_builtin("gates-and", n=3)
    with pytest.raises(MlplabTypeError):
        ds.load_builtin("moons", n="many")


# --------------------------------------------------------------------------------------------
# utils
# --------------------------------------------------------------------------------------------
def test_check_xy():
    X = np.ones((3, 2))
    assert check_xy(X, [0, 1, 0])[1].shape == (3,)
    with pytest.raises(ShapeError, match="X must be 2-D"):
        check_xy(np.ones(3), [1, 2, 3])
    with pytest.raises(ShapeError, match="y has 2"):
        check_xy(X, [0, 1])
    bad = X.copy()
    bad[1, 1] = np.nan
    with pytest.raises(DataError, match=r"X contains 1 NaN.*row 1"):
        check_xy(bad, [0, 1, 0])
    with pytest.raises(DataError, match=r"^y .*infinity"):
        check_xy(X, [0.0, np.inf, 1.0])
    with pytest.raises(DataError, match="numeric"):
        check_xy(np.array([["a", "b"]]))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 60), frac=st.floats(0.05, 0.95), seed=st.integers(0, 99))
def test_train_test_split_partitions(n, frac, seed):
    X = np.arange(n * 2, dtype=float).reshape(n, 2)
    y = np.arange(n)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=frac, seed=seed)
    assert len(ytr) + len(yte) == n and len(yte) >= 1 and len(ytr) >= 1
    assert sorted(np.concatenate([ytr, yte]).tolist()) == list(range(n))
    assert np.array_equal(Xtr[:, 0], 2 * ytr) and np.array_equal(Xte[:, 0], 2 * yte)


def test_train_test_split_options():
    X, y = np.arange(10)[:, None], np.arange(10)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=3, shuffle=False)
    assert ytr.tolist() == list(range(7)) and yte.tolist() == [7, 8, 9]
    a = train_test_split(X, y, seed=1)[3]
    assert np.array_equal(a, train_test_split(X, y, seed=1)[3])
    with pytest.raises(ConfigError):
        train_test_split(X, y, test_size=1.5)
    with pytest.raises(ShapeError):
        train_test_split(X, y[:5])


def test_standardize():
    rng = np.random.default_rng(0)
    X = rng.normal(3, 2, (50, 3))
    X[:, 2] = 7.0  # constant column
    Xs, m, s = standardize(X)
    assert np.allclose(Xs[:, :2].mean(0), 0) and np.allclose(Xs[:, :2].std(0), 1)
    assert np.all(Xs[:, 2] == 0) and s[2] == 1.0
    Xt, m2, s2 = standardize(X[:5] + 1, m, s)
    assert np.array_equal(m2, m) and np.allclose(Xt, (X[:5] + 1 - m) / s)
    with pytest.raises(ShapeError):
        standardize(X, mean=np.zeros(2))


def test_one_hot_and_to_labels_round_trip():
    y = np.array([2, 0, 1, 2])
    T = one_hot(y)
    assert T.shape == (4, 3) and T.sum() == 4 and T[0, 2] == 1
    assert np.array_equal(to_labels(T), y)
    assert one_hot(y, 5).shape == (4, 5)
    assert one_hot(np.array([1.0, 0.0])).tolist() == [[0, 1], [1, 0]]
    with pytest.raises(DataError, match="num_classes"):
        one_hot(y, 2)
    with pytest.raises(DataError, match=">= 0"):
        one_hot(np.array([-1, 0]))
    with pytest.raises(DataError, match="integer"):
        one_hot(np.array([0.5]))
    assert to_labels(np.array([[0.1, 0.7, 0.2]])).tolist() == [1]
