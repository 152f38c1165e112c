"""Tests of mlplab.functions: activations, their derivatives, losses and their gradients.

Derivatives are compared with central differences in float64 (relative error < 1e-6) on random
shapes and values drawn by hypothesis; values stay where the function is smooth (|x| >= 1e-2
around the kinks of relu / leaky_relu / elu).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlplab import functions as F
from mlplab.errors import ConfigError, MlplabError, ShapeError
from mlplab.gradcheck import check_layer, numerical_gradient
from mlplab.layers import Activation

TOL = 1e-6
SMOOTH = [n for n in F.ACTIVATION_NAMES if n not in ("step", "softmax")]
KINKED = {"relu", "leaky_relu", "elu"}
PLAIN_GRADS = [n for n in F.ACTIVATION_NAMES if n != "softmax"]  # <name>_grad functions


def _shapes():
    return st.tuples(st.integers(1, 5), st.integers(1, 4))


def _values(lo=-6.0, hi=6.0):
    return _shapes().flatmap(
        lambda s: arrays(np.float64, s, elements=st.floats(lo, hi, allow_subnormal=False))
    )


def _away_from_kink(x, gap=1e-2):
    """Move values with |x| < gap to ±gap (0 goes to +gap)."""
    return np.where(np.abs(x) < gap, np.where(x < 0, -gap, gap), x)


def _elementwise_fd(f, x, h=1e-6):
    """Elementwise derivative of an elementwise f by central differences."""
    return (f(x + h) - f(x - h)) / (2 * h)


# ----------------------------------------------------------------------------------------------
# activations: derivatives
# ----------------------------------------------------------------------------------------------


def test_activation_names_are_complete():
    expected = {
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
    }
    assert set(F.ACTIVATION_NAMES) == expected
    for name in F.ACTIVATION_NAMES:
        assert F.get_activation(name).name == name


@pytest.mark.parametrize("name", SMOOTH)
@settings(max_examples=25, deadline=None)
@given(x=_values())
def test_activation_df_matches_finite_differences(name, x, fd, rel_err):
    if name in KINKED:
        x = _away_from_kink(x)
    act = F.get_activation(name)
    y = act.f(x)
    assert y.shape == x.shape
    analytic = act.df(x, y)
    assert rel_err(analytic, _elementwise_fd(act.f, x)) < TOL
    # the naive element-by-element check of L = Σ f(x)·r agrees with the vjp
    r = np.random.default_rng(0).standard_normal(x.shape)
    assert rel_err(act.vjp(x, y, r), fd(lambda z: (act.f(z) * r).sum(), x)) < TOL


@pytest.mark.parametrize("name", [n for n in PLAIN_GRADS if n != "step"])
@settings(max_examples=25, deadline=None)
@given(x=_values())
def test_plain_grad_functions_match_finite_differences(name, x, rel_err):
    if name in KINKED:
        x = _away_from_kink(x)
    f, df = getattr(F, name), getattr(F, f"{name}_grad")
    assert rel_err(df(x), _elementwise_fd(f, x)) < TOL


@pytest.mark.parametrize("name", SMOOTH + ["softmax"])
@settings(max_examples=25, deadline=None)
@given(x=_values(-4.0, 4.0))
def test_activation_layer_gradcheck(name, x, fd, rel_err):
    if name in KINKED or name == "sinc":  # sinc'(x) ≈ −x/3: check_layer's unfloored measure
        x = _away_from_kink(x)
    layer = Activation(name)
    report = check_layer(layer, x, train=True)
    assert set(report) == {"x"}
    assert report["x"] < TOL, report
    # independent check with the same linear read-out
    r = np.random.default_rng(1).standard_normal(x.shape)
    layer.forward(x)
    dx = layer.backward(r)
    assert rel_err(dx, fd(lambda z: (F.get_activation(name).f(z) * r).sum(), x)) < TOL


def test_softmax_jacobian_is_the_full_matrix():
    """Softmax vjp equals J^T r with J = diag(y) − y yᵀ (not just the diagonal)."""
    x = np.array([[0.3, -1.2, 2.0, 0.1]])
    y = F.softmax(x)
    r = np.array([[1.0, -2.0, 0.5, 3.0]])
    J = np.diag(y[0]) - np.outer(y[0], y[0])
    expected = r[0] @ J
    np.testing.assert_allclose(F.get_activation("softmax").vjp(x, y, r)[0], expected, atol=1e-15)


def test_step_and_its_zero_derivative():
    x = np.array([-2.0, -0.0, 0.0, 1e-9, 3.0])
    np.testing.assert_array_equal(F.step(x), [0, 0, 0, 1, 1])
    np.testing.assert_array_equal(F.step_grad(x), 0)
    act = F.get_activation("step")
    np.testing.assert_array_equal(act.df(x, act.f(x)), 0)


def test_leaky_relu_and_elu_alpha():
    x = np.array([-2.0, 3.0])
    act = F.get_activation("leaky_relu", alpha=0.1)
    np.testing.assert_allclose(act.f(x), [-0.2, 3.0])
    np.testing.assert_allclose(act.df(x, act.f(x)), [0.1, 1.0])
    assert act.params == {"alpha": 0.1}
    elu = F.get_activation("elu", alpha=2.0)
    np.testing.assert_allclose(elu.f(x), [2.0 * np.expm1(-2.0), 3.0])
    np.testing.assert_allclose(elu.df(x, elu.f(x)), [2.0 * np.exp(-2.0), 1.0])


def test_relu_derivative_at_zero_is_zero():
    x = np.array([0.0])
    assert F.relu_grad(x)[0] == 0.0
    assert F.get_activation("relu").df(x, F.relu(x))[0] == 0.0


# ----------------------------------------------------------------------------------------------
# activations: numerical stability
# ----------------------------------------------------------------------------------------------

LIMITS = {  # name: (f(-1000), f(+1000)); None = only finiteness checked
    "identity": (-1000.0, 1000.0),
    "step": (0.0, 1.0),
    "sigmoid": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
    "relu": (0.0, 1000.0),
    "leaky_relu": (-10.0, 1000.0),
    "elu": (-1.0, 1000.0),
    "softplus": (0.0, 1000.0),
    "softsign": (-1000.0 / 1001.0, 1000.0 / 1001.0),
    "swish": (0.0, 1000.0),
    "mish": (0.0, 1000.0),
    "sinc": (np.sin(1000.0) / 1000.0, np.sin(1000.0) / 1000.0),
    "log_sigmoid": (-1000.0, 0.0),
}


@pytest.mark.parametrize("name", list(LIMITS))
def test_activations_at_plus_minus_1000(name):
    x = np.array([-1000.0, 1000.0])
    act = F.get_activation(name)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = act.f(x)
        d = act.df(x, y)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(d))
    np.testing.assert_allclose(y, LIMITS[name], rtol=1e-12, atol=1e-300)


def test_sigmoid_family_derivatives_vanish_at_extremes():
    x = np.array([-1000.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        np.testing.assert_array_equal(F.sigmoid_grad(x), [0.0, 0.0])
        np.testing.assert_array_equal(F.tanh_grad(x), [0.0, 0.0])
        np.testing.assert_allclose(F.softplus_grad(x), [0.0, 1.0])
        np.testing.assert_allclose(F.log_sigmoid_grad(x), [1.0, 0.0])
        np.testing.assert_allclose(F.swish_grad(x), [0.0, 1.0])
        np.testing.assert_allclose(F.mish_grad(x), [0.0, 1.0])


def test_softmax_of_huge_logits():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = F.softmax(np.array([[1000.0, 1000.0, -1000.0], [1e300, 0.0, -1e300]]))
        ls = F.log_softmax(np.array([[1000.0, 0.0]]))
    np.testing.assert_allclose(y, [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    np.testing.assert_allclose(ls, [[0.0, -1000.0]])
    # shift invariance: softmax(x + c) == softmax(x)
    x = np.array([[0.1, 0.7, -0.3]])
    np.testing.assert_allclose(F.softmax(x + 700.0), F.softmax(x), rtol=1e-12)
    np.testing.assert_allclose(F.softmax(x).sum(axis=-1), 1.0)


def test_softmax_axis():
    x = np.array([[1.0, 2.0], [3.0, 5.0]])
    np.testing.assert_allclose(F.softmax(x, axis=0).sum(axis=0), [1.0, 1.0])
    np.testing.assert_allclose(F.softmax(x, axis=0), F.softmax(x.T).T)


def test_sinc_at_zero():
    x = np.array([0.0, 1e-8, -1e-5])
    np.testing.assert_allclose(F.sinc(x), [1.0, 1.0, 1.0], atol=1e-10)
    assert F.sinc(np.array([0.0]))[0] == 1.0
    assert F.sinc_grad(np.array([0.0]))[0] == 0.0
    act = F.get_activation("sinc")
    assert act.df(np.array([0.0]), np.array([1.0]))[0] == 0.0
    # the small-|x| series joins the closed form smoothly on both sides of its threshold
    for v in (9.9e-5, 1.01e-4, 0.5, 2.0):
        np.testing.assert_allclose(
            F.sinc_grad(np.array([v]))[0], (v * np.cos(v) - np.sin(v)) / v**2, rtol=1e-6
        )
    np.testing.assert_allclose(F.sinc(np.array([np.pi / 2])), [2 / np.pi])


# ----------------------------------------------------------------------------------------------
# losses
# ----------------------------------------------------------------------------------------------


def _loss_case(name, n, c, seed, labels):
    """Prediction y and targets t in the loss's smooth domain; labels=True gives 1-D targets."""
    rng = np.random.default_rng(seed)
    if name in ("mse", "half_sse"):
        y = rng.normal(0, 2, (n, c))
        t = rng.normal(0, 2, (n,) if labels else (n, c))
    elif name in ("bce", "bce_logits"):
        y = rng.uniform(0.05, 0.95, (n, c)) if name == "bce" else rng.normal(0, 3, (n, c))
        t = rng.integers(0, 2, (n,) if labels else (n, c))
    else:  # cce, softmax_cce
        y = rng.uniform(0.05, 1.0, (n, c)) if name == "cce" else rng.normal(0, 3, (n, c))
        ids = rng.integers(0, c, n)
        t = ids if labels else np.eye(c)[ids]
    return y, t


def _label_modes(name, c):
    if name in ("cce", "softmax_cce"):
        return [False, True] if c > 1 else [False]
    return [False, True] if c == 1 else [False]


@pytest.mark.parametrize("name", list(F.LOSSES))
@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 6), c=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_loss_grad_matches_finite_differences(name, n, c, seed, fd, rel_err):
    if name in ("cce", "softmax_cce") and c == 1:
        c = 2
    loss = F.get_loss(name)
    for labels in _label_modes(name, c):
        y, t = _loss_case(name, n, c, seed, labels)
        value = loss.value(y, t)
        assert np.shape(value) == () and np.isfinite(value)
        g = loss.grad(y, t)
        assert g.shape == y.shape
        assert rel_err(g, fd(lambda z, t=t: loss.value(z, t), y)) < TOL
        assert rel_err(g, numerical_gradient(lambda z, t=t: loss.value(z, t), y, 1e-6)) < TOL


@pytest.mark.parametrize("name", ["cce", "softmax_cce"])
def test_integer_labels_equal_one_hot(name):
    y, ids = _loss_case(name, 5, 3, 7, labels=True)
    loss = F.get_loss(name)
    onehot = np.eye(3)[ids]
    np.testing.assert_allclose(loss.value(y, ids), loss.value(y, onehot), rtol=1e-14)
    np.testing.assert_allclose(loss.grad(y, ids), loss.grad(y, onehot), rtol=1e-14)
    # float labels holding whole numbers are accepted as class ids too
    np.testing.assert_allclose(loss.value(y, ids.astype(float)), loss.value(y, onehot))


@pytest.mark.parametrize("name", list(F.LOSSES))
def test_loss_batched_over_leading_axis(name):
    """The batched numerical gradient evaluates a stack (K, N, C) of predictions at once."""
    stack = np.stack([_loss_case(name, 4, 3, s, False)[0] for s in range(3)])
    _, t = _loss_case(name, 4, 3, 0, False)
    loss = F.get_loss(name)
    vals = loss.value(stack, t)
    assert vals.shape == (3,)
    np.testing.assert_allclose(vals, [loss.value(s, t) for s in stack], rtol=1e-14)


def test_loss_formulas_on_small_numbers():
    y = np.array([[0.8], [0.4]])
    t = np.array([[1.0], [0.0]])
    np.testing.assert_allclose(F.get_loss("mse").value(y, t), (0.04 + 0.16) / 2)
    np.testing.assert_allclose(F.get_loss("half_sse").value(y, t), 0.5 * (0.04 + 0.16) / 2)
    np.testing.assert_allclose(
        F.get_loss("bce").value(y, t), -(np.log(0.8) + np.log(0.6)) / 2, rtol=1e-12
    )
    # half_sse of one sample with two outputs is the textbook ½Σ(y − t)², not a mean over outputs
    np.testing.assert_allclose(
        F.get_loss("sse").value(np.array([[0.75, 0.77]]), np.array([[0.01, 0.99]])),
        0.5 * (0.74**2 + 0.22**2),
    )
    p = np.array([[0.1, 0.7, 0.2]])
    np.testing.assert_allclose(F.get_loss("cce").value(p, np.array([1])), -np.log(0.7 + 1e-7))


def test_losses_at_extremes_are_finite_with_the_right_limits():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        bce = F.get_loss("bce")
        t = np.array([[0.0], [1.0]])
        exact = np.array([[0.0], [1.0]])
        wrong = np.array([[1.0], [0.0]])
        assert 0.0 <= bce.value(exact, t) < 1e-12
        assert np.isfinite(bce.value(wrong, t)) and bce.value(wrong, t) > 30
        assert np.all(np.isfinite(bce.grad(exact, t))) and np.all(np.isfinite(bce.grad(wrong, t)))
        logits = F.get_loss("bce_logits")
        z = np.array([[1000.0], [-1000.0]])
        np.testing.assert_allclose(logits.value(z, np.array([[1.0], [0.0]])), 0.0, atol=1e-300)
        np.testing.assert_allclose(logits.value(z, np.array([[0.0], [1.0]])), 1000.0)
        np.testing.assert_allclose(logits.grad(z, np.array([[0.0], [1.0]])), [[0.5], [-0.5]])
        smc = F.get_loss("softmax_cce")
        zz = np.array([[1000.0, -1000.0]])
        np.testing.assert_allclose(smc.value(zz, np.array([0])), 0.0, atol=1e-300)
        np.testing.assert_allclose(smc.value(zz, np.array([1])), 2000.0)
        np.testing.assert_allclose(smc.grad(zz, np.array([1])), [[1.0, -1.0]])
        cce = F.get_loss("cce")
        assert np.isfinite(cce.value(np.array([[0.0, 1.0]]), np.array([0])))
        mse = F.get_loss("mse")
        np.testing.assert_allclose(mse.value(np.array([[1000.0]]), np.array([[-1000.0]])), 4e6)


def test_bce_clipping_eps_depends_on_dtype():
    y = np.array([[0.0]], dtype=np.float32)
    v = F.binary_cross_entropy(y, np.array([[1.0]], dtype=np.float32))
    assert np.isfinite(v)
    np.testing.assert_allclose(v, -np.log(np.float32(1e-7)), rtol=1e-5)


def test_loss_aliases():
    assert F.get_loss("binary_crossentropy").name == "bce"
    assert F.get_loss("categorical_crossentropy").name == "cce"
    assert F.get_loss("sse").name == "half_sse"
    assert F.get_loss("mean_squared_error").name == "mse"
    assert F.get_activation("linear").name == "identity"
    assert F.get_activation("SiLU").name == "swish"


# ----------------------------------------------------------------------------------------------
# bad arguments
# ----------------------------------------------------------------------------------------------


def test_unknown_activation_names_the_choices():
    with pytest.raises(ConfigError) as info:
        F.get_activation("relux")
    msg = str(info.value)
    assert "relux" in msg and "relu" in msg and "sigmoid" in msg and "\n" not in msg
    with pytest.raises(ConfigError, match="activation"):
        F.get_activation(3)


def test_activation_rejects_foreign_parameters():
    with pytest.raises(ConfigError, match="beta"):
        F.get_activation("leaky_relu", beta=0.1)
    with pytest.raises(ConfigError, match="alpha"):
        F.get_activation("relu", alpha=0.1)


def test_unknown_loss_names_the_choices():
    with pytest.raises(ConfigError) as info:
        F.get_loss("hinge")
    msg = str(info.value)
    assert "hinge" in msg and "mse" in msg and "bce" in msg and "cce" in msg
    with pytest.raises(MlplabError):
        F.get_loss(None)


def test_loss_shape_errors():
    y = np.zeros((4, 3)) + 0.3
    with pytest.raises(ShapeError, match="rows"):
        F.get_loss("cce").value(y, np.array([0, 1, 2]))
    with pytest.raises(ShapeError, match="class ids"):
        F.get_loss("cce").value(y, np.array([0, 1, 2, 3]))
    with pytest.raises(ShapeError, match="shape"):
        F.get_loss("mse").value(y, np.zeros((4, 2)))
    with pytest.raises(ShapeError, match="integer"):
        F.get_loss("cce").value(y, np.array([0.5, 1, 2, 0]))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(1, 3), (7, 5), (100, 100), (4, 6, 3)])
def test_batch_sum_helpers_equal_the_plain_formulas(shape, dtype):
    """The speed helpers are the plain sums: Σ_n a_n, (1/N) Σ_n a_n, Σ_k a_k (as a column)."""
    a = np.random.default_rng(3).normal(size=shape).astype(dtype)
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(F.sum_rows(a), a.sum(axis=-2), rtol=rtol, atol=rtol)
    np.testing.assert_allclose(F.mean_rows(a), a.mean(axis=-2), rtol=rtol, atol=rtol)
    np.testing.assert_allclose(F.sum_cols(a), a.sum(axis=-1, keepdims=True), rtol=rtol, atol=rtol)
    out = np.empty(a.shape[:-2] + a.shape[-1:], dtype)
    assert F.sum_rows(a, out=out) is out
    assert F.sum_rows(a).dtype == F.mean_rows(a).dtype == dtype
