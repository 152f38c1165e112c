"""Oracle: every activation, derivative and loss against PyTorch (CPU, float64, to 1e-9).

PyTorch is an independent implementation: its values come from its own kernels and its
derivatives from autograd.  Where mlplab's documented convention differs on purpose, the test
bridges the difference explicitly and ``docs/conventions.md`` lists it:

* ``cce`` adds ε = 1e-7 inside the log (DLfS): PyTorch's NLL is evaluated at ``y + 1e-7``;
* ``half_sse`` is ½·Σ over outputs, mean over samples: ``mse_loss(reduction="sum") / (2N)``;
* ``sinc`` is the unnormalised sin(x)/x: ``torch.sinc(x / π)``;
* ``softplus``: PyTorch returns x itself above ``threshold=20``; compared with a threshold
  beyond the test values;
* ``bce`` clips probabilities to [ε, 1 − ε] where PyTorch clamps the log at −100: the test
  values stay inside (0.001, 0.999), where neither applies;
* ``step`` has no derivative in PyTorch (``heaviside`` is not differentiable): its derivative
  is 0 by convention and only the values are compared.

Skipped when PyTorch is not installed: ``pip install -e '.[oracle]'`` (``make test`` tries).
"""

from __future__ import annotations

import numpy as np
import pytest

from mlplab import functions as F
from mlplab.layers import Activation, LossHead

torch = pytest.importorskip(
    "torch", reason="PyTorch is the optional oracle: pip install -e '.[oracle]'"
)
tf = torch.nn.functional
torch.set_num_threads(1)

RTOL, ATOL = 1e-9, 1e-12


def close(ours, theirs):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else theirs
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)


def T(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


# Each activation as PyTorch computes it (the bridges are described in the module docstring).
TORCH_ACT = {
    "identity": lambda x: x * 1.0,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda x: tf.leaky_relu(x, 0.01),
    "elu": lambda x: tf.elu(x, 1.0),
    "softplus": lambda x: tf.softplus(x, beta=1.0, threshold=1e3),
    "softsign": tf.softsign,
    "swish": tf.silu,
    "mish": tf.mish,
    "sinc": lambda x: torch.sinc(x / np.pi),
    "log_sigmoid": tf.logsigmoid,
    "softmax": lambda x: torch.softmax(x, dim=-1),
}


def _points(seed=0):
    """(5, 7) values: normal·3, plus the conventions' special points 0, ±1e-3 and ±30."""
    x = np.random.default_rng(seed).normal(0, 3, (5, 7))
    x[0, :5] = [0.0, 1e-3, -1e-3, 30.0, -30.0]
    return x


def test_every_activation_is_compared():
    assert set(TORCH_ACT) | {"step"} == set(F.ACTIVATION_NAMES)


@pytest.mark.parametrize("name", sorted(TORCH_ACT))
def test_activation_values_derivatives_and_backward(name):
    x = _points()
    xt = T(x, grad=True)
    yt = TORCH_ACT[name](xt)
    dout = np.random.default_rng(1).normal(size=x.shape)
    yt.backward(T(dout))
    layer = Activation(name)
    y = layer.forward(x, train=True)
    close(y, yt)
    close(layer.backward(dout), xt.grad)  # the layer's vjp: dout ⊙ f'(x) (softmax: full J)
    if name == "softmax":
        return
    xt = T(x, grad=True)
    TORCH_ACT[name](xt).sum().backward()  # elementwise: ∂Σf/∂x = f'(x)
    fn = F.get_activation(name)
    close(fn.df(x, y) * np.ones_like(x), xt.grad)  # the derivative the layers use
    close(getattr(F, f"{name}_grad")(x), xt.grad)  # the public derivative function


def test_step_values_and_its_zero_derivative():
    x = _points()
    close(F.step(x), torch.heaviside(T(x), T(0.0)))
    np.testing.assert_array_equal(F.step_grad(x), 0.0)


@pytest.mark.parametrize("alpha", [0.1, 0.3])
def test_leaky_relu_and_elu_with_alpha(alpha):
    x = _points(2)
    for name, theirs in (("leaky_relu", tf.leaky_relu), ("elu", tf.elu)):
        xt = T(x, grad=True)
        theirs(xt, alpha).sum().backward()
        layer = Activation(name, alpha=alpha)
        close(layer.forward(x), theirs(T(x), alpha))
        close(layer.backward(np.ones_like(x)), xt.grad)


# ----------------------------------------------------------------------------------------------
# losses: value and dL/dy for one-hot, integer and soft labels
# ----------------------------------------------------------------------------------------------
N, C = 6, 4
RNG = np.random.default_rng(12)
LABELS = RNG.integers(0, C, N)
ONE_HOT = np.eye(C)[LABELS]
SOFT = RNG.dirichlet(np.ones(C), N)  # each row a probability distribution
LOGITS = RNG.normal(0, 2, (N, C))
PROBS = np.exp(LOGITS) / np.exp(LOGITS).sum(axis=1, keepdims=True)
REAL = RNG.normal(size=(N, C))
BITS = (RNG.random((N, C)) < 0.5).astype(float)
UNIT = RNG.uniform(0.001, 0.999, (N, C))  # probabilities inside bce's clip range


def _torch_cce(y, t):
    """mlplab's cce = −(1/N) Σ t·ln(y + 1e-7): PyTorch's NLL at y + 1e-7 (the DLfS ε)."""
    logp = torch.log(y + 1e-7)
    return tf.nll_loss(logp, t) if t.dtype == torch.int64 else -(t * logp).sum(-1).mean()


def _torch_softmax_cce(z, t):
    return tf.cross_entropy(z, t)  # integer labels or probabilities (soft / one-hot)


CASES = {
    "mse/real": ("mse", REAL, REAL[::-1].copy(), tf.mse_loss),
    "half_sse/real": (
        "half_sse",
        REAL,
        REAL[::-1].copy(),
        lambda y, t: tf.mse_loss(y, t, reduction="sum") / (2 * N),
    ),
    "bce/bits": ("bce", UNIT, BITS, tf.binary_cross_entropy),
    "bce/soft": ("bce", UNIT, UNIT[::-1].copy(), tf.binary_cross_entropy),
    "bce_logits/bits": ("bce_logits", LOGITS, BITS, tf.binary_cross_entropy_with_logits),
    "bce_logits/soft": ("bce_logits", LOGITS, UNIT, tf.binary_cross_entropy_with_logits),
    "cce/one_hot": ("cce", PROBS, ONE_HOT, _torch_cce),
    "cce/integer": ("cce", PROBS, LABELS, _torch_cce),
    "cce/soft": ("cce", PROBS, SOFT, _torch_cce),
    "softmax_cce/one_hot": ("softmax_cce", LOGITS, ONE_HOT, _torch_softmax_cce),
    "softmax_cce/integer": ("softmax_cce", LOGITS, LABELS, _torch_softmax_cce),
    "softmax_cce/soft": ("softmax_cce", LOGITS, SOFT, _torch_softmax_cce),
}


def _target(t):
    return torch.tensor(t) if np.asarray(t).dtype.kind == "i" else T(t)


@pytest.mark.parametrize("case", sorted(CASES))
def test_loss_value_and_gradient(case):
    name, y, t, theirs = CASES[case]
    yt = T(y, grad=True)
    lt = theirs(yt, _target(t))
    lt.backward()
    loss = F.get_loss(name)
    close(loss.value(y, t), lt)
    close(loss.grad(y, t), yt.grad)
    if loss.value_and_grad is not None:  # the fused one-pass version used in training
        value, grad = loss.value_and_grad(y, t)
        close(value, lt)
        close(grad, yt.grad)


# ----------------------------------------------------------------------------------------------
# loss heads: output activation + loss, fused or by the chain rule, dL/dz
# ----------------------------------------------------------------------------------------------
HEADS = {
    ("softmax", "cce"): (LOGITS, LABELS, lambda z, t: tf.cross_entropy(z, t)),
    ("softmax", "cce/soft"): (LOGITS, SOFT, lambda z, t: tf.cross_entropy(z, t)),
    ("identity", "softmax_cce"): (LOGITS, ONE_HOT, lambda z, t: tf.cross_entropy(z, t)),
    ("sigmoid", "bce"): (LOGITS, BITS, tf.binary_cross_entropy_with_logits),
    ("identity", "bce_logits"): (LOGITS, BITS, tf.binary_cross_entropy_with_logits),
    ("sigmoid", "mse"): (LOGITS, UNIT, lambda z, t: tf.mse_loss(torch.sigmoid(z), t)),
    ("tanh", "half_sse"): (
        LOGITS,
        np.sign(REAL),
        lambda z, t: tf.mse_loss(torch.tanh(z), t, reduction="sum") / (2 * N),
    ),
    ("identity", "mse"): (REAL, REAL[::-1].copy(), tf.mse_loss),
    ("softmax", "mse"): (LOGITS, ONE_HOT, lambda z, t: tf.mse_loss(torch.softmax(z, -1), t)),
}


@pytest.mark.parametrize("pair", sorted(HEADS))
def test_loss_head_value_gradient_and_prediction(pair):
    act, loss = pair[0], pair[1].split("/")[0]
    z, t, theirs = HEADS[pair]
    zt = T(z, grad=True)
    lt = theirs(zt, _target(t))
    lt.backward()
    head = LossHead(act, loss)
    close(head.forward(z, t), lt)
    close(head.backward(), zt.grad)
    value, dz = head.forward_backward(z, t)
    close(value, lt)
    close(dz, zt.grad)
    final = {"softmax_cce": "softmax", "bce_logits": "sigmoid"}.get(loss, act)
    close(head.predict(z), TORCH_ACT[final](T(z)))
