"""Flat NumPy reference for the training-speed benchmark: plain functions and dicts, no classes.

This is the code a learner writes after DLfS chapters 5-6, for exactly the math mlplab runs on
a batch ``x`` (N, 784) with integer labels ``t`` (N,):

* ``mlp_step``: x → [affine → ReLU] × H → affine → softmax + cross-entropy from the logits
  (mlplab fuses softmax + cce)::

      L = −(1/N) Σ_n log_softmax(z)_{n, t_n},      ∂L/∂z = (softmax(z) − onehot(t)) / N

* ``bn_mlp_step``: the same with batch normalization after every hidden affine
  (affine → BN → ReLU), training-mode statistics (population variance, ε = 1e-5) and the running
  averages updated with momentum 0.9 (DLfS ``BatchNormalization``)::

      x̂ = (a − μ)/√(σ² + ε),  y = γ·x̂ + β
      da = (N·g − Σ_n g − x̂·Σ_n g·x̂) / (N·√(σ² + ε)),  g = dy·γ

* plain SGD: θ ← θ − lr·∂L/∂θ, in place.

The first layer's input gradient (dout·W1ᵀ) is not computed: nobody needs dL/dx.
Each ``*_step`` function does forward + backward + update and returns the loss.
"""

from __future__ import annotations

import numpy as np


def init_mlp(sizes, seed=0, dtype=np.float32, batchnorm=False):
    """He-normal weights, zero biases (and γ = 1, β = 0, running μ = 0, σ² = 1 with BN)."""
    rng = np.random.default_rng(seed)
    p = {}
    for i in range(len(sizes) - 1):
        std = np.sqrt(2.0 / sizes[i])
        p[f"W{i + 1}"] = (rng.standard_normal((sizes[i], sizes[i + 1])) * std).astype(dtype)
        p[f"b{i + 1}"] = np.zeros(sizes[i + 1], dtype=dtype)
        if batchnorm and i < len(sizes) - 2:
            p[f"gamma{i + 1}"] = np.ones(sizes[i + 1], dtype=dtype)
            p[f"beta{i + 1}"] = np.zeros(sizes[i + 1], dtype=dtype)
    return p


def init_running(p):
    """Running BatchNorm statistics for every ``gamma{i}`` of ``p``."""
    run = {}
    for k, v in p.items():
        if k.startswith("gamma"):
            run[f"mean{k[5:]}"] = np.zeros_like(v)
            run[f"var{k[5:]}"] = np.ones_like(v)
    return run


def softmax_ce(z, t):
    """Loss and ∂L/∂z of softmax + cross-entropy with integer labels ``t``."""
    n = z.shape[0]
    s = z - z.max(axis=1, keepdims=True)
    log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(n), t].mean()
    dz = np.exp(log_p)
    dz[np.arange(n), t] -= 1
    return loss, dz / n


def mlp_step(p, x, t, lr):
    """One SGD step of the ReLU MLP whose layers are ``W1, b1, W2, b2, ...`` (in place)."""
    n_layers = len(p) // 2
    # forward: keep every layer's input and pre-activation for the backward pass
    inputs, pre = [], []
    h = x
    for i in range(1, n_layers + 1):
        inputs.append(h)
        a = h @ p[f"W{i}"] + p[f"b{i}"]
        if i < n_layers:
            pre.append(a)
            h = np.maximum(a, 0)
    loss, dout = softmax_ce(a, t)
    # backward
    grads = {}
    for i in range(n_layers, 0, -1):
        grads[f"W{i}"] = inputs[i - 1].T @ dout
        grads[f"b{i}"] = dout.sum(axis=0)
        if i > 1:
            dout = (dout @ p[f"W{i}"].T) * (pre[i - 2] > 0)
    # update
    for k in grads:
        p[k] -= lr * grads[k]
    return loss


def bn_mlp_step(p, run, x, t, lr, momentum=0.9, eps=1e-5):
    """One SGD step of affine → BN → ReLU × H → affine → softmax-CE (``p``, ``run`` in place)."""
    n_layers = sum(k.startswith("W") for k in p)
    n = x.shape[0]
    inputs, caches = [], []
    h = x
    for i in range(1, n_layers + 1):
        inputs.append(h)
        a = h @ p[f"W{i}"] + p[f"b{i}"]
        if i == n_layers:
            break
        mu = a.mean(axis=0)
        ac = a - mu
        var = (ac * ac).mean(axis=0)
        std = np.sqrt(var + eps)
        xn = ac / std
        run[f"mean{i}"] = momentum * run[f"mean{i}"] + (1 - momentum) * mu
        run[f"var{i}"] = momentum * run[f"var{i}"] + (1 - momentum) * var
        y = p[f"gamma{i}"] * xn + p[f"beta{i}"]
        caches.append((xn, std, y))
        h = np.maximum(y, 0)
    loss, dout = softmax_ce(a, t)
    grads = {}
    for i in range(n_layers, 0, -1):
        grads[f"W{i}"] = inputs[i - 1].T @ dout
        grads[f"b{i}"] = dout.sum(axis=0)
        if i == 1:
            break
        xn, std, y = caches[i - 2]
        dy = (dout @ p[f"W{i}"].T) * (y > 0)  # through the ReLU
        grads[f"gamma{i - 1}"] = (dy * xn).sum(axis=0)
        grads[f"beta{i - 1}"] = dy.sum(axis=0)
        g = dy * p[f"gamma{i - 1}"]
        dout = (n * g - g.sum(axis=0) - xn * (g * xn).sum(axis=0)) / (n * std)
    for k in grads:
        p[k] -= lr * grads[k]
    return loss
