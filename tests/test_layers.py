"""Tests of mlplab.layers: backward vs finite differences, no mutation, BatchNorm, Dropout, heads.

Every gradient is checked twice in float64: with :func:`mlplab.gradcheck.check_layer` (batched
central differences) and with the naive element-by-element ``fd`` fixture of ``conftest.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlplab import functions as F
from mlplab.errors import ConfigError, MlplabError, ShapeError
from mlplab.gradcheck import check_layer
from mlplab.layers import (
    Activation,
    Affine,
    BatchNorm,
    Dropout,
    LayerNorm,
    LossHead,
    ReLU,
    Sigmoid,
    SigmoidWithLoss,
    SoftmaxWithLoss,
    Tanh,
    layer_from_config,
)

TOL = 1e-6
HYP = settings(max_examples=25, deadline=None)
seeds = st.integers(0, 2**32 - 1)


def _independent_check(layer, x, fd, rel_err, train=True):
    """Relative errors of layer.backward against naive differences of L = Σ forward(x) ⊙ R."""
    rng = np.random.default_rng(12345)
    y = layer.forward(x, train)
    R = rng.standard_normal(y.shape)
    dx = layer.backward(R)
    grads = {k: v.copy() for k, v in layer.grads.items()}
    if isinstance(layer, Dropout):
        layer.fix_mask = True
    try:
        errs = {"x": rel_err(dx, fd(lambda z: (layer.forward(z, train) * R).sum(), x))}
        for k, p in list(layer.params.items()):

            def f(q, k=k):
                old = layer.params[k]
                layer.params[k] = q
                try:
                    return (layer.forward(x, train) * R).sum()
                finally:
                    layer.params[k] = old

            errs[k] = rel_err(grads[k], fd(f, p))
    finally:
        if isinstance(layer, Dropout):
            layer.fix_mask = False
    return errs


def _assert_layer_gradients(layer, x, fd, rel_err, train=True):
    report = check_layer(layer, x, train=train)
    assert set(report) == {"x", *layer.params}
    assert max(report.values()) < TOL, report
    errs = _independent_check(layer, x, fd, rel_err, train)
    assert max(errs.values()) < TOL, errs


# ----------------------------------------------------------------------------------------------
# Affine
# ----------------------------------------------------------------------------------------------


@HYP
@given(n=st.integers(1, 5), d_in=st.integers(1, 4), d_out=st.integers(1, 4), seed=seeds)
def test_affine_gradients(n, d_in, d_out, seed, fd, rel_err):
    rng = np.random.default_rng(seed)
    layer = Affine(rng.standard_normal((d_in, d_out)), rng.standard_normal(d_out))
    _assert_layer_gradients(layer, rng.standard_normal((n, d_in)), fd, rel_err)


@HYP
@given(n=st.integers(1, 4), d_in=st.integers(1, 4), d_out=st.integers(1, 3), seed=seeds)
def test_affine_without_bias_gradients(n, d_in, d_out, seed, fd, rel_err):
    rng = np.random.default_rng(seed)
    layer = Affine(rng.standard_normal((d_in, d_out)), None)
    assert set(layer.params) == {"W"}
    x = rng.standard_normal((n, d_in))
    _assert_layer_gradients(layer, x, fd, rel_err)
    np.testing.assert_allclose(layer.forward(x), x @ layer.params["W"], rtol=1e-15)
    assert layer.config()["bias"] is False


@HYP
@given(
    n=st.integers(1, 3),
    dims=st.lists(st.integers(1, 3), min_size=2, max_size=3),
    d_out=st.integers(1, 3),
    seed=seeds,
)
def test_affine_flattens_nd_input(n, dims, d_out, seed, fd, rel_err):
    # (N, 1, D) is not flattened: Affine cannot tell it from a stack (K, N, D) of inputs, which
    # check_layer uses (reported to the lead); keep the trailing axis different from d1·d2·...
    if dims[-1] == int(np.prod(dims)):
        dims = [2, *dims]
    rng = np.random.default_rng(seed)
    d_in = int(np.prod(dims))
    layer = Affine(rng.standard_normal((d_in, d_out)), rng.standard_normal(d_out))
    x = rng.standard_normal((n, *dims))
    y = layer.forward(x)
    np.testing.assert_allclose(y, x.reshape(n, -1) @ layer.params["W"] + layer.params["b"])
    dx = layer.backward(np.ones_like(y))
    assert dx.shape == x.shape
    _assert_layer_gradients(layer, x, fd, rel_err)


def test_affine_bias_gradient_is_summed_over_the_batch():
    """Report 004: dout [[1,2,3],[11,12,13]] gives db = [12, 14, 16]."""
    layer = Affine(np.zeros((2, 3)), np.zeros(3))
    layer.forward(np.ones((2, 2)))
    layer.backward(np.array([[1.0, 2, 3], [11, 12, 13]]))
    np.testing.assert_array_equal(layer.grads["b"], [12, 14, 16])


def test_affine_bad_shapes():
    with pytest.raises(ShapeError, match="W"):
        Affine(np.zeros(3))
    with pytest.raises(ShapeError, match="b"):
        Affine(np.zeros((2, 3)), np.zeros(2))
    with pytest.raises(ShapeError, match="3 input features"):
        Affine(np.zeros((3, 2))).forward(np.zeros((4, 5)))


# ----------------------------------------------------------------------------------------------
# Activation layers (all functions are also covered in test_functions.py)
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("layer_cls", [ReLU, Sigmoid, Tanh])
@HYP
@given(n=st.integers(1, 5), d=st.integers(1, 4), seed=seeds)
def test_named_activation_layers(layer_cls, n, d, seed, fd, rel_err):
    x = np.random.default_rng(seed).uniform(-3, 3, (n, d))
    x = np.where(np.abs(x) < 1e-2, 0.5, x)  # away from the ReLU kink
    _assert_layer_gradients(layer_cls(), x, fd, rel_err)


# ----------------------------------------------------------------------------------------------
# BatchNorm / LayerNorm
# ----------------------------------------------------------------------------------------------


def _bn(d, rng, affine, **kw):
    bn = BatchNorm(d, affine=affine, **kw)
    if affine:  # non-trivial gamma / beta, written in place
        bn.params["gamma"][...] = rng.uniform(0.5, 2.0, d)
        bn.params["beta"][...] = rng.standard_normal(d)
    return bn


@pytest.mark.parametrize("affine", [True, False])
@HYP
@given(n=st.integers(3, 6), d=st.integers(1, 4), seed=seeds)
def test_batchnorm_train_gradients(affine, n, d, seed, fd, rel_err):
    rng = np.random.default_rng(seed)
    bn = _bn(d, rng, affine)
    x = rng.normal(1.0, 2.0, (n, d))
    _assert_layer_gradients(bn, x, fd, rel_err, train=True)


@pytest.mark.parametrize("affine", [True, False])
@HYP
@given(n=st.integers(1, 5), d=st.integers(1, 4), seed=seeds)
def test_batchnorm_eval_gradients_use_running_stats(affine, n, d, seed, fd, rel_err):
    rng = np.random.default_rng(seed)
    bn = _bn(d, rng, affine)
    bn.running_mean[...] = rng.standard_normal(d)
    bn.running_var[...] = rng.uniform(0.5, 3.0, d)
    x = rng.standard_normal((n, d))
    _assert_layer_gradients(bn, x, fd, rel_err, train=False)
    # in eval mode dx is just dout·γ/√(var + eps)
    dout = rng.standard_normal((n, d))
    bn.forward(x, train=False)
    gamma = bn.params["gamma"] if affine else 1.0
    np.testing.assert_allclose(bn.backward(dout), dout * gamma / np.sqrt(bn.running_var + bn.eps))


@pytest.mark.parametrize("affine", [True, False])
@HYP
@given(n=st.integers(3, 6), d=st.integers(1, 4), seed=seeds)
def test_batchnorm_always_batch_stats_gradients_in_eval(affine, n, d, seed, fd, rel_err):
    rng = np.random.default_rng(seed)
    bn = _bn(d, rng, affine, batch_stats="always")
    x = rng.normal(0.0, 1.5, (n, d))
    _assert_layer_gradients(bn, x, fd, rel_err, train=False)


def test_batchnorm_equals_the_notebook_standardization():
    """affine=False, eps=0, batch_stats="always" is the notebook's (a − a.mean()) / a.std()."""
    rng = np.random.default_rng(3)
    a = rng.normal(0.4, 1.7, (20, 3))
    bn = BatchNorm(3, eps=0.0, affine=False, batch_stats="always")
    expected = np.stack([(a[:, j] - a[:, j].mean()) / a[:, j].std() for j in range(3)], axis=1)
    for train in (False, True):
        out = bn.forward(a, train=train)
        np.testing.assert_allclose(out, expected, rtol=0, atol=1e-15)


def test_batchnorm_running_stats_momentum_update():
    rng = np.random.default_rng(4)
    bn = BatchNorm(2, momentum=0.9)
    x1, x2 = rng.normal(3, 2, (8, 2)), rng.normal(-1, 0.5, (8, 2))
    bn.forward(x1, train=True)
    np.testing.assert_allclose(bn.running_mean, 0.1 * x1.mean(axis=0))
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * x1.var(axis=0))
    bn.forward(x2, train=True)
    m1 = 0.1 * x1.mean(axis=0)
    v1 = 0.9 + 0.1 * x1.var(axis=0)
    np.testing.assert_allclose(bn.running_mean, 0.9 * m1 + 0.1 * x2.mean(axis=0))
    np.testing.assert_allclose(bn.running_var, 0.9 * v1 + 0.1 * x2.var(axis=0))
    # eval does not touch the statistics, and uses them
    before = bn.running_mean.copy(), bn.running_var.copy()
    x3 = rng.standard_normal((5, 2))
    out = bn.forward(x3, train=False)
    np.testing.assert_array_equal(bn.running_mean, before[0])
    np.testing.assert_array_equal(bn.running_var, before[1])
    np.testing.assert_allclose(out, (x3 - before[0]) / np.sqrt(before[1] + bn.eps))


def test_batchnorm_train_output_is_standardized():
    x = np.random.default_rng(5).normal(5, 3, (50, 4))
    bn = BatchNorm(4, eps=0.0)
    out = bn.forward(x, train=True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1, atol=1e-12)


def test_batchnorm_bad_arguments():
    with pytest.raises(ConfigError, match="momentum"):
        BatchNorm(3, momentum=1.0)
    with pytest.raises(ConfigError, match="batch_stats"):
        BatchNorm(3, batch_stats="sometimes")
    with pytest.raises(ConfigError, match="dim"):
        BatchNorm(0)
    with pytest.raises(MlplabError, match="eps"):
        BatchNorm(3, eps=-1.0)
    with pytest.raises(ShapeError, match="3 features"):
        BatchNorm(3).forward(np.zeros((4, 2)), train=True)


@pytest.mark.parametrize("affine", [True, False])
@HYP
@given(n=st.integers(1, 5), d=st.integers(3, 5), seed=seeds)  # d = 2: x̂ = ±1, dx ≈ 0
def test_layernorm_gradients(affine, n, d, seed, fd, rel_err):
    rng = np.random.default_rng(seed)
    ln = LayerNorm(d, affine=affine)
    if affine:
        ln.params["gamma"][...] = rng.uniform(0.5, 2.0, d)
        ln.params["beta"][...] = rng.standard_normal(d)
    x = rng.normal(0.5, 2.0, (n, d))
    _assert_layer_gradients(ln, x, fd, rel_err, train=True)
    y = LayerNorm(d, eps=0.0).forward(x)
    np.testing.assert_allclose(y.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(y.std(axis=1), 1, atol=1e-12)


# ----------------------------------------------------------------------------------------------
# Dropout
# ----------------------------------------------------------------------------------------------


@HYP
@given(n=st.integers(1, 5), d=st.integers(1, 5), rate=st.floats(0.1, 0.8), seed=seeds)
def test_dropout_gradients_with_fixed_mask(n, d, rate, seed, fd, rel_err):
    rng = np.random.default_rng(seed)
    layer = Dropout(rate, seed=seed)
    _assert_layer_gradients(layer, rng.standard_normal((n, d)), fd, rel_err)


def test_dropout_inverted_scaling_preserves_the_mean():
    x = np.ones((400, 250))
    layer = Dropout(0.3, seed=0)
    y = layer.forward(x, train=True)
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.7)
    assert abs(kept.mean() - 0.7) < 0.01  # 100 000 Bernoulli draws: sd 0.0014
    assert abs(y.mean() - 1.0) < 0.02
    np.testing.assert_array_equal(layer.backward(x), y)  # dx = dout ⊙ mask / (1 − rate)


def test_dropout_is_seeded_and_identity_in_eval():
    x = np.random.default_rng(0).standard_normal((6, 7))
    a = Dropout(0.5, seed=42).forward(x, train=True)
    b = Dropout(0.5, seed=42).forward(x, train=True)
    c = Dropout(0.5, seed=43).forward(x, train=True)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    layer = Dropout(0.5, seed=1)
    np.testing.assert_array_equal(layer.forward(x, train=False), x)
    np.testing.assert_array_equal(layer.backward(x), x)
    np.testing.assert_array_equal(Dropout(0.0).forward(x, train=True), x)
    with pytest.raises(ConfigError, match="rate"):
        Dropout(1.0)


# ----------------------------------------------------------------------------------------------
# no mutation of inputs
# ----------------------------------------------------------------------------------------------


def _all_layers(rng):
    return [
        Affine(rng.standard_normal((4, 3)), rng.standard_normal(3)),
        Affine(rng.standard_normal((4, 3)), None),
        ReLU(),
        Sigmoid(),
        Activation("leaky_relu", alpha=0.1),
        Activation("softmax"),
        BatchNorm(4),
        BatchNorm(4, affine=False, batch_stats="always"),
        LayerNorm(4),
        Dropout(0.5, seed=0),
    ]


@pytest.mark.parametrize("train", [True, False])
def test_layers_never_mutate_x_or_dout(train):
    """Unlike DLfS's Relu (``out[self.mask] = 0`` on dout), nothing writes into its arguments."""
    rng = np.random.default_rng(9)
    for layer in _all_layers(rng):
        x = rng.standard_normal((5, 4))
        x_copy = x.copy()
        y = layer.forward(x, train)
        dout = rng.standard_normal(y.shape)
        dout_copy = dout.copy()
        layer.backward(dout)
        np.testing.assert_array_equal(x, x_copy, err_msg=repr(layer))
        np.testing.assert_array_equal(dout, dout_copy, err_msg=repr(layer))


def test_relu_backward_leaves_dout_alone():
    x = np.array([[-1.0, 2.0, -3.0]])
    dout = np.array([[5.0, 6.0, 7.0]])
    relu = ReLU()
    relu.forward(x)
    dx = relu.backward(dout)
    np.testing.assert_array_equal(dx, [[0.0, 6.0, 0.0]])
    np.testing.assert_array_equal(dout, [[5.0, 6.0, 7.0]])
    np.testing.assert_array_equal(x, [[-1.0, 2.0, -3.0]])


# ----------------------------------------------------------------------------------------------
# loss heads
# ----------------------------------------------------------------------------------------------

HEAD_PAIRS = [
    ("identity", "mse"),
    ("identity", "half_sse"),
    ("tanh", "half_sse"),
    ("tanh", "mse"),
    ("sigmoid", "mse"),
    ("sigmoid", "half_sse"),
    ("sigmoid", "bce"),  # fused -> bce_logits
    ("softmax", "cce"),  # fused -> softmax_cce
    ("softmax", "mse"),
    ("softmax", "bce"),
    ("sigmoid", "cce"),
    ("identity", "bce_logits"),
    ("identity", "softmax_cce"),
]


def _head_targets(loss, n, c, rng, labels):
    if loss in ("mse", "half_sse"):
        return rng.normal(0, 1, (n,) if labels else (n, c))
    if loss in ("bce", "bce_logits"):
        return rng.integers(0, 2, (n,) if labels else (n, c)).astype(float)
    ids = rng.integers(0, c, n)
    return ids if labels else np.eye(c)[ids]


@pytest.mark.parametrize(("act", "loss"), HEAD_PAIRS)
@HYP
@given(n=st.integers(1, 5), c=st.integers(1, 4), seed=seeds)
def test_loss_head_gradients(act, loss, n, c, seed, fd, rel_err):
    if act == "softmax" or loss in ("cce", "softmax_cce"):
        c = max(c, 2)
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 2, (n, c))
    multi_ok = loss in ("cce", "softmax_cce")
    for labels in [False, True] if (c == 1 or multi_ok) else [False]:
        t = _head_targets(loss, n, c, rng, labels)
        head = LossHead(act, loss)
        value = head.forward(z, t)
        dz = head.backward()
        assert dz.shape == z.shape
        num = fd(lambda q, t=t, head=head: head.forward(q, t), z)
        assert rel_err(dz, num) < TOL, (act, loss, labels)
        # chain rule through the unfused activation + loss gives the same value and gradient
        fn, lf = F.get_activation(act), F.get_loss(loss)
        y = fn.f(z)
        # (cce adds ε = 1e-7 inside the log; the fused head is exact, so compare with ε = 0)
        exact = head.fused is not None and loss == "cce"
        expected = F.cross_entropy_error(y, t, eps=0.0) if exact else lf.value(y, t)
        np.testing.assert_allclose(value, expected, rtol=1e-9)
        head.forward(z, t)  # fd left the head at a perturbed z
        np.testing.assert_allclose(head.backward(2.0), 2.0 * dz, rtol=1e-14)


def test_fused_heads():
    assert LossHead("sigmoid", "bce").fused.name == "bce_logits"
    assert LossHead("softmax", "cce").fused.name == "softmax_cce"
    assert LossHead("tanh", "mse").fused is None
    assert isinstance(SoftmaxWithLoss().fused, F.Loss)
    z = np.array([[800.0, -800.0]])
    head = SoftmaxWithLoss()
    assert head.forward(z, np.array([1])) == pytest.approx(1600.0)
    np.testing.assert_allclose(head.backward(), [[1.0, -1.0]])
    sig = SigmoidWithLoss()
    assert np.isfinite(sig.forward(np.array([[-800.0]]), np.array([[1.0]])))
    np.testing.assert_allclose(sig.backward(), [[-1.0]])
    np.testing.assert_allclose(sig.predict(np.array([[0.0]])), [[0.5]])


def test_loss_head_tasks():
    assert LossHead("sigmoid", "bce").is_classifier
    assert LossHead("tanh", "half_sse").task == "classification_pm1"
    assert LossHead("identity", "mse").task == "regression"


# ----------------------------------------------------------------------------------------------
# config round trip
# ----------------------------------------------------------------------------------------------


def test_layer_config_round_trip():
    rng = np.random.default_rng(0)
    for layer in _all_layers(rng):
        cfg = layer.config()
        again = layer_from_config(cfg)
        assert again.config() == cfg
        assert type(again) is type(layer) or isinstance(layer, Activation)
    with pytest.raises(ConfigError, match="unknown layer type"):
        layer_from_config({"type": "Conv2D"})


@pytest.mark.parametrize("shape", [(5, 1, 4), (3, 2, 4)])
def test_affine_on_rows_of_rows_sums_its_gradients_over_every_row(shape):
    """Before: an input (N, 1, D_in) through one Affine gave a stack of N weight gradients,
    shape (N, D_in, D_out), which no optimizer step can apply.  Every row is a sample: the
    gradients are the sums over all rows, as for the flattened (N·L, D_in) input."""
    rng = np.random.default_rng(0)
    W, b, x = rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=shape)
    layer = Affine(W.copy(), b.copy())
    y = layer.forward(x)
    R = rng.normal(size=y.shape)
    dx = layer.backward(R)
    assert y.shape == (*shape[:-1], 3) and dx.shape == shape
    assert layer.grads["W"].shape == (4, 3) and layer.grads["b"].shape == (3,)
    h = 1e-6

    def loss(W_, b_):
        return float(((x @ W_ + b_) * R).sum())

    num_W = np.zeros_like(W)
    for i, j in np.ndindex(W.shape):
        Wp, Wm = W.copy(), W.copy()
        Wp[i, j] += h
        Wm[i, j] -= h
        num_W[i, j] = (loss(Wp, b) - loss(Wm, b)) / (2 * h)
    num_b = np.array([(loss(W, b + h * e) - loss(W, b - h * e)) / (2 * h) for e in np.eye(3)])
    assert np.allclose(layer.grads["W"], num_W, atol=1e-7)
    assert np.allclose(layer.grads["b"], num_b, atol=1e-7)
    assert np.allclose(dx, R @ W.T)
