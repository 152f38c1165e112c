"""Tests of mlplab.gradcheck: numerical_gradient, relative_error, check_layer, gradcheck reports."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlplab import MLP
from mlplab.errors import ConfigError
from mlplab.gradcheck import (
    GradcheckReport,
    check_layer,
    gradcheck,
    numerical_gradient,
    relative_error,
)
from mlplab.layers import Affine, Dropout


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 4), d=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_numerical_gradient_of_known_functions(n, d, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    A = rng.standard_normal((d, d))
    # f = Σ sin(x) + ½ xᵀ A x per row: ∇ = cos(x) + ½ x (A + Aᵀ)
    f = lambda z: np.sin(z).sum() + 0.5 * np.einsum("nd,de,ne->", z, A, z)  # noqa: E731
    expected = np.cos(x) + 0.5 * x @ (A + A.T)
    g = numerical_gradient(f, x, h=1e-6)
    np.testing.assert_allclose(g, expected, atol=1e-8)

    def fv(zs):  # vectorized: zs (K, n, d) -> (K,)
        return np.sin(zs).sum(axis=(1, 2)) + 0.5 * np.einsum("knd,de,kne->k", zs, A, zs)

    gv = numerical_gradient(fv, x, h=1e-6, vectorized=True, chunk=3)  # several chunks
    np.testing.assert_allclose(gv, expected, atol=1e-8)


def test_numerical_gradient_does_not_modify_x():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    x0 = x.copy()
    numerical_gradient(lambda z: float((z**2).sum()), x)
    np.testing.assert_array_equal(x, x0)
    g = numerical_gradient(lambda z: float((z**2).sum()), x)
    np.testing.assert_allclose(g, 2 * x, rtol=1e-8)


def test_numerical_gradient_error_is_second_order_in_h():
    f = lambda z: float(np.exp(z).sum())  # noqa: E731
    x = np.array([0.3])
    e1 = abs(numerical_gradient(f, x, h=1e-2)[0] - np.exp(0.3))
    e2 = abs(numerical_gradient(f, x, h=1e-3)[0] - np.exp(0.3))
    assert 50 < e1 / e2 < 200  # (h1/h2)² = 100


def test_relative_error():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0, 2.0], [1.0, 2.2]) == pytest.approx(0.2 / 4.2)
    assert relative_error(np.zeros(0), np.zeros(0)) == 0.0
    assert relative_error([0.0], [0.0]) == 0.0


def test_check_layer_reports_every_parameter():
    rng = np.random.default_rng(0)
    layer = Affine(rng.standard_normal((3, 2)), rng.standard_normal(2))
    x = rng.standard_normal((4, 3))
    rep = check_layer(layer, x)
    assert set(rep) == {"x", "W", "b"}
    assert max(rep.values()) < 1e-8
    # params are restored afterwards (same object)
    W = layer.params["W"]
    check_layer(layer, x)
    assert layer.params["W"] is W


def test_check_layer_detects_a_wrong_backward():
    rng = np.random.default_rng(0)
    layer = Affine(rng.standard_normal((3, 2)), rng.standard_normal(2))
    right = layer.backward
    layer.backward = lambda dout: right(dout) * 1.01  # dx off by 1 %
    rep = check_layer(layer, rng.standard_normal((4, 3)))
    assert rep["x"] > 1e-4


def test_check_layer_restores_dropout_mask_mode():
    layer = Dropout(0.5, seed=0)
    rep = check_layer(layer, np.random.default_rng(1).standard_normal((5, 4)))
    assert rep["x"] < 1e-8


def test_gradcheck_report_api():
    model = MLP([3, 4, 2], activation="tanh", loss="cce", seed=0)
    X = np.random.default_rng(0).standard_normal((5, 3))
    y = np.array([0, 1, 1, 0, 1])
    rep = gradcheck(model, X, y, h=1e-6)
    assert isinstance(rep, GradcheckReport) and rep.passed
    assert rep["W1"].rel_error < 1e-6 and rep["W1"].max_abs_diff >= rep["W1"].mean_abs_diff
    d = rep.to_dict()
    assert d["passed"] is True and set(d["keys"]) == set(model.params)
    text = str(rep)
    assert "PASSED" in text and text.count("\n") == len(model.params) + 1
    with pytest.raises(KeyError):
        rep["nope"]  # noqa: B018
    only = gradcheck(model, X, y, keys=["W2"])
    assert [r.key for r in only.rows] == ["W2"]
    assert gradcheck(model, X, y, tol=1e-30, atol=0.0).passed is False


def test_gradcheck_with_batchnorm_needs_two_samples():
    model = MLP([3, 4, 2], loss="cce", batchnorm=True, seed=0)
    with pytest.raises(ConfigError, match="at least 2"):
        gradcheck(model, np.zeros((1, 3)), np.array([0]))


def test_gradcheck_restores_dropout_fix_mask():
    model = MLP([3, 4, 2], loss="cce", dropout=0.5, seed=0)
    X = np.random.default_rng(0).standard_normal((6, 3))
    rep = gradcheck(model, X, np.array([0, 1, 0, 1, 1, 0]), h=1e-6)
    assert rep.passed, str(rep)
    assert all(not lay.fix_mask for lay in model.layers if isinstance(lay, Dropout))
