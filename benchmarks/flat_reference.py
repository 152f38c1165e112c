"""Flat NumPy reference for the engine benchmark: plain functions, no classes.

This is the code a learner writes after DLfS chapter 5, for exactly the math mlplab runs:

* 2-3-1 net: x → affine → ReLU → affine → sigmoid + binary cross-entropy, computed from the
  logits z (mlplab fuses sigmoid + bce):  L = mean(max(z, 0) − z·t + ln(1 + e^(−|z|))),
  ∂L/∂z = (σ(z) − t)/(N·C);
* 784-50-10 net: x → affine → ReLU → affine → softmax + cross-entropy from the logits
  (mlplab fuses softmax + cce):  L = −(1/N) Σ t·log_softmax(z),  ∂L/∂z = (softmax(z) − t)/N;
* plain SGD: θ ← θ − lr·∂L/∂θ, in place.

Each ``*_step`` function does forward + backward + update and returns the loss.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z):
    """σ(z) = 1/(1 + e^(−z)), stable for any z (same branches as mlplab.functions.sigmoid)."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def softmax(z):
    """Row-wise softmax with the max subtracted."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z):
    """ln softmax(z) = (z − max z) − ln Σ e^(z − max z)."""
    s = z - z.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def init_params(sizes, seed=0, dtype=np.float64):
    """He-normal weights and zero biases for ``sizes = [n_in, n_hidden, n_out]``."""
    rng = np.random.default_rng(seed)
    params = {}
    for i in range(len(sizes) - 1):
        std = np.sqrt(2.0 / sizes[i])
        params[f"W{i + 1}"] = (rng.standard_normal((sizes[i], sizes[i + 1])) * std).astype(dtype)
        params[f"b{i + 1}"] = np.zeros(sizes[i + 1], dtype=dtype)
    return params


def relu_sigmoid_bce_step(p, x, t, lr):
    """One SGD step of the 2-3-1 relu / sigmoid / bce net; ``p`` is updated in place."""
    W1, b1, W2, b2 = p["W1"], p["b1"], p["W2"], p["b2"]
    # forward
    a1 = x @ W1 + b1
    h1 = np.maximum(a1, 0)
    z = h1 @ W2 + b2
    loss = (np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))).mean()
    # backward
    dz = (sigmoid(z) - t) / z.size
    dW2 = h1.T @ dz
    db2 = dz.sum(axis=0)
    dh1 = dz @ W2.T
    da1 = dh1 * (a1 > 0)
    dW1 = x.T @ da1
    db1 = da1.sum(axis=0)
    # update
    W1 -= lr * dW1
    b1 -= lr * db1
    W2 -= lr * dW2
    b2 -= lr * db2
    return loss


def relu_softmax_cce_step(p, x, t, lr):
    """One SGD step of the 784-50-10 relu / softmax / cross-entropy net (one-hot t)."""
    W1, b1, W2, b2 = p["W1"], p["b1"], p["W2"], p["b2"]
    a1 = x @ W1 + b1
    h1 = np.maximum(a1, 0)
    z = h1 @ W2 + b2
    n = z.shape[0]
    loss = -(t * log_softmax(z)).sum(axis=-1).mean()
    dz = (softmax(z) - t) / n
    dW2 = h1.T @ dz
    db2 = dz.sum(axis=0)
    dh1 = dz @ W2.T
    da1 = dh1 * (a1 > 0)
    dW1 = x.T @ da1
    db1 = da1.sum(axis=0)
    W1 -= lr * dW1
    b1 -= lr * db1
    W2 -= lr * dW2
    b2 -= lr * db2
    return loss
