"""Numerical gradients and gradient checking.

Central differences:  ∂f/∂θ_i ≈ (f(θ + h·e_i) − f(θ − h·e_i)) / 2h   (error O(h²)).

:func:`numerical_gradient` differentiates a scalar function of one array; it evaluates all
2·n perturbed arrays in batched calls when ``f`` is vectorized over a leading axis, so there is
no Python call per parameter.  :func:`gradcheck` compares a model's backprop gradient with its
(vectorized) numerical gradient and reports, per parameter, the mean and max absolute
difference and the relative error

    rel = max_i |g_i − n_i| / max(max_i |g_i| + max_i |n_i|, tiny)

which is < 1e-6 for a correct backward pass in float64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ConfigError


def numerical_gradient(f, x, h=1e-5, vectorized=False, chunk=4096):
    """Central-difference gradient of a scalar function ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.  With ``vectorized=True`` ``f`` accepts a stack ``(K,) + x.shape``
        and returns ``(K,)`` values, and all perturbations are evaluated in batched calls.
    x : ndarray
        Point of evaluation (not modified; DLfS perturbs in place, mlplab does not).
    h : float
        Step.  1e-4 (DLfS) suits float32-like noise; 1e-5 … 1e-7 for float64.

    Returns
    -------
    ndarray, shape of ``x``, float64.
    """
    x = np.asarray(x, dtype=np.float64)
    flat = x.reshape(-1)
    n = flat.size
    g = np.empty(n)
    if vectorized:
        for start in range(0, n, chunk):
            idx = np.arange(start, min(n, start + chunk))
            k = len(idx)
            stack = np.repeat(flat[None, :], 2 * k, axis=0)
            stack[np.arange(k), idx] += h
            stack[k + np.arange(k), idx] -= h
            vals = np.asarray(f(stack.reshape((2 * k,) + x.shape)), dtype=np.float64)
            g[idx] = (vals[:k] - vals[k:]) / (2 * h)
        return g.reshape(x.shape)
    work = flat.copy()
    for i in range(n):  # reference path for non-vectorized f (tests, tiny arrays)
        old = work[i]
        work[i] = old + h
        fp = f(work.reshape(x.shape))
        work[i] = old - h
        fm = f(work.reshape(x.shape))
        work[i] = old
        g[i] = (fp - fm) / (2 * h)
    return g.reshape(x.shape)


def relative_error(a, b, tiny=1e-12) -> float:
    """max|a − b| / max(max|a| + max|b|, tiny)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)) + np.max(np.abs(b)), tiny))


@dataclass
class KeyReport:
    key: str
    mean_abs_diff: float
    max_abs_diff: float
    rel_error: float
    passed: bool


@dataclass
class GradcheckReport:
    """Per-parameter comparison of backprop and numerical gradients."""

    rows: list[KeyReport]
    tol: float

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.rows)

    def __getitem__(self, key) -> KeyReport:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def to_dict(self):
        return {
            "passed": self.passed,
            "tol": self.tol,
            "keys": {
                r.key: {
                    "mean_abs_diff": r.mean_abs_diff,
                    "max_abs_diff": r.max_abs_diff,
                    "rel_error": r.rel_error,
                    "passed": r.passed,
                }
                for r in self.rows
            },
        }

    def __str__(self):
        lines = [f"{'param':<10} {'mean|diff|':>12} {'max|diff|':>12} {'rel.err':>10}  ok"]
        for r in self.rows:
            lines.append(
                f"{r.key:<10} {r.mean_abs_diff:12.3e} {r.max_abs_diff:12.3e} {r.rel_error:10.2e}"
                f"  {'yes' if r.passed else 'NO'}"
            )
        lines.append(f"{'PASSED' if self.passed else 'FAILED'} (relative error < {self.tol:g})")
        return "\n".join(lines)


def gradcheck(model, x, t, h=1e-5, tol=1e-6, keys=None, atol=None) -> GradcheckReport:
    """Compare ``model.gradient`` (backprop) with ``model.numerical_gradient`` parameter by parameter.

    A parameter passes when its relative error is below ``tol``, or when both gradients are
    zero up to round-off (max |diff| < ``atol``, default 1e-14/h, about 50 times the
    round-off ε·|L|/2h of a central difference of an O(1) loss): the bias in front of a
    BatchNorm has a gradient of exactly 0, and its relative error only compares two residues.

    Use a float64 model.  BatchNorm needs a batch of at least 2 samples (with one sample
    x − μ = 0 and the check is meaningless, as DLfS's BN check with N = 1 shows); Dropout uses
    the mask drawn by the backprop pass for every numerical evaluation.
    """
    from .layers import BatchNorm, Dropout

    x = np.asarray(x)
    if any(isinstance(lay, BatchNorm) for lay in model.layers) and len(x) < 2:
        raise ConfigError("gradcheck with BatchNorm needs a batch of at least 2 samples")
    drops = [lay for lay in model.layers if isinstance(lay, Dropout)]
    saved = [d.fix_mask for d in drops]
    try:
        analytic = {k: v.copy() for k, v in model.gradient(x, t).items()}
        for d in drops:
            d.fix_mask = True
        numeric = model.numerical_gradient(x, t, h=h, keys=keys)
    finally:
        for d, s in zip(drops, saved):
            d.fix_mask = s
    rows = []
    for key in numeric:
        a, n = analytic[key], numeric[key]
        diff = np.abs(a.astype(np.float64) - n)
        rel = relative_error(a, n)
        ok = rel < tol or float(diff.max()) < (1e-14 / h if atol is None else atol)
        rows.append(KeyReport(key, float(diff.mean()), float(diff.max()), rel, bool(ok)))
    return GradcheckReport(rows, tol)


def check_layer(layer, x, train=True, h=1e-6, seed=0):
    """Check one layer's backward against finite differences of a random linear read-out.

    L = Σ (layer.forward(x) ⊙ R) with a fixed random R, so dL/dy = R.  Returns a dict
    ``{"x": rel_err, "<param>": rel_err, ...}``.  Dropout layers use a fixed mask.
    """
    rng = np.random.default_rng([seed, 7919])  # independent of any stream that made x
    if hasattr(layer, "fix_mask"):
        layer.fix_mask = False
    y = layer.forward(x, train)
    R = rng.standard_normal(y.shape)
    dx = layer.backward(R)
    grads = {k: v.copy() for k, v in layer.grads.items()}
    if hasattr(layer, "fix_mask"):
        layer.fix_mask = True
    if hasattr(layer, "update_stats"):
        layer.update_stats = False

    def fx(xs):  # xs: (K, N, D) — the layer broadcasts over the leading axis
        return (layer.forward(xs, train) * R).sum(axis=(-2, -1))

    # N-d input (N, d1, d2, ...) is flattened by Affine along axis 0, so a stack of such inputs
    # cannot be batched: fall back to one forward pass per perturbation.
    vec = np.ndim(x) == 2
    out = {"x": relative_error(dx, numerical_gradient(fx, x, h, vectorized=vec))}
    for k, p in layer.params.items():

        def fp(ps, k=k, p=p):  # ps: (K,) + p.shape, one forward pass for all K sets
            layer.params[k] = ps
            try:
                return (layer.forward(x, train) * R).sum(axis=(-2, -1))
            finally:
                layer.params[k] = p

        out[k] = relative_error(grads[k], numerical_gradient(fp, p, h, vectorized=True))
    if hasattr(layer, "update_stats"):
        layer.update_stats = True
    return out
