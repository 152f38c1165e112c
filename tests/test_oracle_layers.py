"""Oracle: layers and whole random MLPs against PyTorch (CPU, float64, to 1e-9).

Affine, BatchNorm (train, running statistics, eval), LayerNorm and Dropout are compared with
``torch.nn.functional`` forward passes and autograd backward passes; random MLPs (every hidden
activation, BatchNorm / LayerNorm / Dropout, L1/L2, every loss head) with the same network
written in PyTorch from mlplab's arrays: output, loss and every gradient.

Bridged conventions (listed in ``docs/conventions.md``):

* BatchNorm ``momentum`` is the weight of the *old* running value (DLfS/Keras: m = 0.9);
  PyTorch's is the weight of the new batch value: ``momentum = 1 − m``;
* BatchNorm's running variance averages the batch variance over N (DLfS/Keras); PyTorch
  averages the unbiased one (over N − 1): the test rescales PyTorch's new term by (N − 1)/N;
* BatchNorm's running variance starts at 1 (PyTorch too; DLfS: 0, ``init_running_var=0``);
* Dropout: PyTorch draws its own mask; mlplab is given that mask (both are inverted dropout);
* L2 / L1 are ½λΣW² and λΣ|W| over the weights W only (not b, γ, β), added in PyTorch by hand.

Skipped when PyTorch is not installed: ``pip install -e '.[oracle]'`` (``make test`` tries).
"""

from __future__ import annotations

import numpy as np
import pytest

from mlplab import MLP
from mlplab.layers import Activation, Affine, BatchNorm, Dropout, LayerNorm

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


def _rng(seed):
    return np.random.default_rng([seed, 12])


@pytest.mark.parametrize("seed", range(3))
def test_affine(seed):
    r = _rng(seed)
    x, W, b, dout = (
        r.normal(size=(5, 4)),
        r.normal(size=(4, 3)),
        r.normal(size=3),
        r.normal(size=(5, 3)),
    )
    xt, Wt, bt = T(x, True), T(W, True), T(b, True)
    yt = tf.linear(xt, Wt.T, bt)  # x·W + b
    yt.backward(T(dout))
    layer = Affine(W.copy(), b.copy())
    close(layer.forward(x), yt)
    close(layer.backward(dout), xt.grad)
    close(layer.grads["W"], Wt.grad)
    close(layer.grads["b"], bt.grad)


@pytest.mark.parametrize(("seed", "n", "momentum"), [(0, 8, 0.9), (1, 3, 0.5), (2, 16, 0.99)])
def test_batchnorm_train_running_statistics_and_eval(seed, n, momentum):
    r = _rng(seed)
    d = 4
    gamma, beta = r.normal(size=d), r.normal(size=d)
    bn = BatchNorm(d, momentum=momentum, eps=1e-5)
    bn.params["gamma"][...], bn.params["beta"][...] = gamma, beta
    run_mean, run_var = T(np.zeros(d)), T(np.ones(d))
    gt, btt = T(gamma, True), T(beta, True)
    for _ in range(3):  # three training batches: the running statistics accumulate
        x, dout = r.normal(2, 3, (n, d)), r.normal(size=(n, d))
        var_before = run_var.clone()
        xt = T(x, True)
        yt = tf.batch_norm(xt, run_mean, run_var, gt, btt, training=True,
                           momentum=1 - momentum, eps=1e-5)  # fmt: skip
        yt.backward(T(dout))
        close(bn.forward(x, train=True), yt)
        close(bn.backward(dout), xt.grad)
        close(bn.grads["gamma"], gt.grad)
        close(bn.grads["beta"], btt.grad)
        gt.grad = btt.grad = None
        close(bn.running_mean, run_mean)
        # PyTorch's new term (1 − m)·var uses the unbiased variance: rescale it to over-N
        new_term = (run_var - momentum * var_before) * (n - 1) / n
        close(bn.running_var, momentum * var_before + new_term)
        run_var = T(bn.running_var)  # continue from the same state
    x, dout = r.normal(2, 3, (n, d)), r.normal(size=(n, d))
    xt, gt, btt = T(x, True), T(gamma, True), T(beta, True)
    yt = tf.batch_norm(xt, T(bn.running_mean), T(bn.running_var), gt, btt, training=False, eps=1e-5)
    yt.backward(T(dout))
    close(bn.forward(x, train=False), yt)  # eval: the running statistics
    close(bn.backward(dout), xt.grad)
    close(bn.grads["gamma"], gt.grad)
    close(bn.grads["beta"], btt.grad)


@pytest.mark.parametrize(("seed", "d"), [(0, 5), (1, 2), (2, 9)])
def test_layernorm(seed, d):
    r = _rng(seed)
    x, dout = r.normal(1, 2, (6, d)), r.normal(size=(6, d))
    gamma, beta = r.normal(size=d), r.normal(size=d)
    ln = LayerNorm(d, eps=1e-5)
    ln.params["gamma"][...], ln.params["beta"][...] = gamma, beta
    xt, gt, bt = T(x, True), T(gamma, True), T(beta, True)
    yt = tf.layer_norm(xt, (d,), gt, bt, eps=1e-5)
    yt.backward(T(dout))
    for train in (True, False):
        close(ln.forward(x, train=train), yt)
        close(ln.backward(dout), xt.grad)
        close(ln.grads["gamma"], gt.grad)
        close(ln.grads["beta"], bt.grad)


@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_dropout_with_pytorchs_mask(rate):
    r = _rng(int(rate * 10))
    x, dout = r.normal(size=(7, 5)), r.normal(size=(7, 5))
    torch.manual_seed(0)
    xt = T(x + 10.0, True)  # shifted away from 0 so the kept entries show in the output
    yt = tf.dropout(xt, p=rate, training=True)
    yt.backward(T(dout))
    kept = (yt.detach().numpy() != 0).astype(float)
    assert 0 < kept.mean() < 1
    layer = Dropout(rate)
    layer.mask, layer.fix_mask = kept / (1 - rate), True  # PyTorch's mask, inverted scaling
    close(layer.forward(x + 10.0, train=True), yt)
    close(layer.backward(dout), xt.grad)
    close(layer.forward(x, train=False), x)  # identity in eval mode


# ----------------------------------------------------------------------------------------------
# whole random MLPs: output, loss and every gradient
# ----------------------------------------------------------------------------------------------
TORCH_ACT = {
    "identity": lambda x: x,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda x: tf.leaky_relu(x, 0.01),
    "elu": tf.elu,
    "softplus": lambda x: tf.softplus(x, threshold=1e3),
    "softsign": tf.softsign,
    "swish": tf.silu,
    "mish": tf.mish,
    "sinc": lambda x: torch.sinc(x / np.pi),
    "log_sigmoid": tf.logsigmoid,
    "softmax": lambda x: torch.softmax(x, -1),
}
HIDDEN = sorted(TORCH_ACT)
HEADS = {  # loss -> (output activation, PyTorch loss of the raw output z, target kind)
    "cce": ("softmax", lambda z, t: tf.cross_entropy(z, t), "labels"),
    "softmax_cce": ("identity", lambda z, t: tf.cross_entropy(z, t), "soft"),
    "bce": ("sigmoid", tf.binary_cross_entropy_with_logits, "bits"),
    "mse": ("identity", tf.mse_loss, "real"),
    "half_sse": ("tanh", lambda z, t: tf.mse_loss(torch.tanh(z), t, reduction="sum") / (2 * len(z)), "pm1"),
}  # fmt: skip


def _targets(kind, r, n, c):
    if kind == "labels":
        return r.integers(0, c, n)
    if kind == "soft":
        return r.dirichlet(np.ones(c), n)
    if kind == "bits":
        return (r.random((n, c)) < 0.5).astype(float)
    if kind == "pm1":
        return np.where(r.random((n, c)) < 0.5, -1.0, 1.0)
    return r.normal(size=(n, c))


def _torch_forward(model, x):
    """The model's layers written in PyTorch on leaf copies of its parameters."""
    leaves = {k: T(v, True) for k, v in model.params.items()}
    by_array = {id(arr): leaves[k] for k, arr in model.params.items()}
    h = T(x)
    for layer in model.layers:
        p = {name: by_array[id(arr)] for name, arr in layer.params.items()}
        if isinstance(layer, Affine):
            h = h @ p["W"] + p["b"]
        elif isinstance(layer, Activation):
            h = TORCH_ACT[layer.name](h)
        elif isinstance(layer, BatchNorm):
            h = tf.batch_norm(h, None, None, p["gamma"], p["beta"], training=True, eps=layer.eps)
        elif isinstance(layer, LayerNorm):
            h = tf.layer_norm(h, (layer.dim,), p["gamma"], p["beta"], eps=layer.eps)
        elif isinstance(layer, Dropout):
            h = h * T(layer.mask)  # the mask mlplab drew (already scaled by 1/(1 − rate))
        else:  # pragma: no cover
            raise AssertionError(layer)
    return h, leaves


CASES = [
    # (seed, loss, extras)
    (0, "cce", {}),
    (1, "cce", {"batchnorm": True}),
    (2, "softmax_cce", {"layernorm": True}),
    (3, "bce", {"dropout": 0.3}),
    (4, "mse", {"weight_decay": 0.05, "l1": 0.01}),
    (5, "half_sse", {"batchnorm": True, "dropout": 0.2}),
    (6, "cce", {"layernorm": True, "weight_decay": 0.1}),
    (7, "mse", {"batchnorm": True, "l1": 0.02}),
]


@pytest.mark.parametrize(("seed", "loss", "extras"), CASES)
def test_random_mlp_output_loss_and_every_gradient(seed, loss, extras):
    r = _rng(seed)
    depth = int(r.integers(1, 4))
    sizes = [int(r.integers(2, 7)) for _ in range(depth + 1)] + [int(r.integers(2, 5))]
    acts = [HIDDEN[i] for i in r.choice(len(HIDDEN), depth)]
    out_act, torch_loss, kind = HEADS[loss]
    model = MLP(sizes, activation=acts, output=out_act, loss=loss, init="xavier", seed=seed,
                bias_init=0.1, **extras)  # fmt: skip
    n = 7
    x, t = r.normal(size=(n, sizes[0])), _targets(kind, r, n, sizes[-1])
    grads = {k: v.copy() for k, v in model.gradient(x, t).items()}  # draws the dropout masks
    z, leaves = _torch_forward(model, x)
    lt = torch_loss(z, torch.tensor(t) if kind == "labels" else T(t))
    W = [v for k, v in leaves.items() if k.startswith("W")]
    lt = lt + 0.5 * extras.get("weight_decay", 0.0) * sum((w * w).sum() for w in W)
    lt = lt + extras.get("l1", 0.0) * sum(w.abs().sum() for w in W)
    lt.backward()
    for d in (lay for lay in model.layers if isinstance(lay, Dropout)):
        d.fix_mask = True  # the same masks for the forward pass below
    close(model.forward(x, train=True), z)
    close(model.last_loss, lt)
    close(model.loss(x, t, train=True), lt)
    assert list(grads) == list(leaves)
    for k, g in grads.items():
        close(g, leaves[k].grad)
