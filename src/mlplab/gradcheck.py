"""Numerical gradients and gradient checking.

Central differences:  ∂f/∂θ_i ≈ (f(θ + h·e_i) − f(θ − h·e_i)) / 2h   (error O(h²)).

:func:`numerical_gradient` differentiates a scalar function of one array; it evaluates all
2·n perturbed arrays in batched calls when ``f`` is vectorized over a leading axis, so there is
no Python call per parameter.  :func:`gradcheck` compares a model's backprop gradient g with its
(vectorized) numerical gradient n.  A parameter passes when every element satisfies

    |g_i − n_i| ≤ atol + rtol·|n_i|          (NumPy's ``isclose``, PyTorch's ``gradcheck``)

with the step h and both tolerances chosen for the model's dtype (:func:`default_tolerances`).
A parameter whose two gradients are both below atol everywhere is reported as a **zero**
gradient (the bias in front of a BatchNorm): there is nothing to compare, only round-off.
The report also gives, per parameter, the mean and max absolute difference and the relative
error ``max_i |g_i − n_i| / (max_i |g_i| + max_i |n_i|)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ConfigError


def central_differences(losses_at, n: int, h: float, chunk: int) -> np.ndarray:
    """g_i = (L(θ + h·e_i) − L(θ − h·e_i)) / 2h for i = 0 … n−1, ``chunk`` elements at a time.

    ``losses_at(idx, steps)`` returns, for every j, the loss L at θ with its element ``idx[j]``
    moved by ``steps[j]``: 2·k perturbed copies of θ (+h for the first k, −h for the others)
    evaluated in one call.  Returns float64 of shape (n,).
    """
    g = np.empty(n)
    for start in range(0, n, chunk):
        idx = np.arange(start, min(n, start + chunk))
        k = len(idx)
        steps = np.concatenate([np.full(k, h), np.full(k, -h)])
        losses = np.asarray(losses_at(np.tile(idx, 2), steps), dtype=np.float64)
        g[idx] = (losses[:k] - losses[k:]) / (2 * h)
    return g


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

    def stacked(idx, steps):  # one array per perturbation, all in one call of f
        stack = np.repeat(flat[None, :], len(idx), axis=0)
        stack[np.arange(len(idx)), idx] += steps
        return f(stack.reshape((len(idx),) + x.shape))

    def one_by_one(idx, steps):  # reference path for a non-vectorized f (tests, tiny arrays)
        out = []
        for i, s in zip(idx, steps):
            work = flat.copy()
            work[i] += s
            out.append(f(work.reshape(x.shape)))
        return out

    fn = stacked if vectorized else one_by_one
    return central_differences(fn, flat.size, h, chunk if vectorized else flat.size).reshape(
        x.shape
    )


def model_numerical_gradient(model, x, t, h=1e-4, keys=None, max_bytes=1 << 26):
    """Central-difference gradient ∂L/∂θ of a :class:`~mlplab.model.Sequential`'s loss, vectorized.

    Instead of one forward pass per parameter (DLfS), the perturbed copies of a parameter
    tensor are stacked on a leading axis and evaluated in one batched forward pass (chunked to
    about ``max_bytes``); for an Affine weight W[i, j] ± h only output column j moves, by
    ±h·x[:, i], so the copies start from the layer's output instead of recomputing x·W.
    Uses train mode like DLfS (BatchNorm batch statistics, without touching running averages;
    Dropout with one fixed mask).  The loss includes the model's weight decay.

    Returns a dict like ``model.params`` (new arrays of each parameter's dtype).
    """
    from . import functions as F
    from .layers import Affine, BatchNorm, Dropout

    model.require_head()
    x = model.as_input(x)
    keys = list(model.params) if keys is None else list(keys)
    layers = model.layers
    bns = [lay for lay in layers if isinstance(lay, BatchNorm)]
    drops = [lay for lay in layers if isinstance(lay, Dropout)]
    saved_fix = [d.fix_mask for d in drops]
    l2, l1 = model.regularization["l2"], model.regularization["l1"]
    decayed = set(model.decayed_keys) if (l2 or l1) else set()
    for bn in bns:
        bn.update_stats = False
    try:
        if drops:  # draw one mask (if none yet) and keep it for every perturbed pass
            if any(d.mask is None for d in drops) or not all(d.fix_mask for d in drops):
                model.forward(x, True)
            for d in drops:
                d.fix_mask = True
        base_penalty = model.penalty()
        owner = model.param_owners
        grads = {}
        for key in keys:
            layer, pname = owner[key]
            at = next(i for i, lay in enumerate(layers) if lay is layer)
            h_in = x  # the input of the perturbed layer (train mode, fixed dropout masks)
            for lay in layers[:at]:
                h_in = lay.forward(h_in, True)
            p = layer.params[pname]
            if isinstance(layer, Affine):
                h_in = h_in.reshape(len(h_in), -1)
                out = layer.forward(h_in, True)  # the output the copies start from
                unit = out.shape[-1] * out.shape[-2] * out.itemsize
            else:
                unit = p.size * p.itemsize

            def losses_at(idx, steps, layer=layer, pname=pname, p=p, h_in=h_in, key=key, at=at):
                rows = np.arange(len(idx))
                if isinstance(layer, Affine):
                    z = np.repeat(out[None], len(idx), axis=0)  # noqa: B023 - used right here
                    if pname == "W":  # W[i, j] ± h moves output column j by ±h·x[:, i]
                        i, j = np.divmod(idx, p.shape[1])
                        z[rows, :, j] += steps[:, None] * h_in[:, i].T
                    else:  # b[j] ± h moves output column j by ±h
                        z[rows, :, idx] += steps[:, None]
                else:
                    stack = np.repeat(p.reshape(1, -1), len(idx), axis=0)
                    stack[rows, idx] += steps
                    layer.params[pname] = stack.reshape((len(idx),) + p.shape)
                    try:
                        z = layer.forward(h_in, True)
                    finally:
                        layer.params[pname] = p
                for lay in layers[at + 1 :]:
                    z = lay.forward(z, True)
                losses = np.asarray(model.head.forward(z, t), dtype=np.float64) + base_penalty
                if key in decayed:  # only the moved element's term of the penalty changes
                    old = p.reshape(-1)[idx].astype(np.float64)
                    losses += F.weight_penalty(old + steps, l2, l1) - F.weight_penalty(old, l2, l1)
                return losses

            chunk = max(1, int(max_bytes // (2 * unit + 1)))
            g = central_differences(losses_at, p.size, h, chunk)
            grads[key] = g.reshape(p.shape).astype(p.dtype)
    finally:
        for bn in bns:
            bn.update_stats = True
        for d, f in zip(drops, saved_fix):
            d.fix_mask = f
    return grads


def relative_error(a, b, tiny=1e-12) -> float:
    """max|a − b| / max(max|a| + max|b|, tiny)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)) + np.max(np.abs(b)), tiny))


def default_tolerances(dtype) -> tuple[float, float, float]:
    """``(h, rtol, c)`` for a gradient check in ``dtype``; the absolute tolerance is
    ``atol = c·max(|L|, 1)/h`` for a loss L.

    * h = ε^(1/3) (6.1e-6 in float64, 4.9e-3 in float32) balances the truncation error of a
      central difference, about h²·|f‴|/6, against its round-off, about ε·|L|/h.
    * c = 32·ε: atol is the round-off of a difference quotient of L with a margin of 20 over
      the largest measured (zero gradients of 100 random BatchNorm nets).
    * rtol = 1e-4 in float64: the truncation error stays below 1e-5 even for ill-conditioned
      nets (measured on 960 random nets; LayerNorm over two features is the worst), while a
      wrong backward pass is off by far more (a dW scaled by 1.01 fails).  1e-2 in float32.
    """
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ConfigError(f"gradcheck needs a float64 or float32 model, got {dt}")
    eps = float(np.finfo(dt).eps)
    return eps ** (1.0 / 3.0), (1e-4 if dt == np.float64 else 1e-2), 32.0 * eps


@dataclass
class KeyReport:
    """One parameter's comparison.  ``status``: ``"ok"``, ``"zero"`` (both gradients are 0 up
    to round-off: nothing to compare) or ``"FAIL"``."""

    key: str
    mean_abs_diff: float
    max_abs_diff: float
    rel_error: float
    status: str

    @property
    def passed(self) -> bool:
        return self.status != "FAIL"


@dataclass
class GradcheckReport:
    """Per-parameter comparison of backprop and numerical gradients."""

    rows: list[KeyReport]
    rtol: float
    atol: float
    h: float

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
            "rtol": self.rtol,
            "atol": self.atol,
            "h": self.h,
            "keys": {
                r.key: {
                    "mean_abs_diff": r.mean_abs_diff,
                    "max_abs_diff": r.max_abs_diff,
                    "rel_error": r.rel_error,
                    "status": r.status,
                    "passed": r.passed,
                }
                for r in self.rows
            },
        }

    def __str__(self):
        lines = [f"{'param':<10} {'mean|diff|':>12} {'max|diff|':>12} {'rel.err':>10}  verdict"]
        for r in self.rows:
            rel = "-" if r.status == "zero" else f"{r.rel_error:.2e}"
            verdict = "zero gradient" if r.status == "zero" else r.status
            lines.append(
                f"{r.key:<10} {r.mean_abs_diff:12.3e} {r.max_abs_diff:12.3e} {rel:>10}  {verdict}"
            )
        lines.append(
            f"{'PASSED' if self.passed else 'FAILED'} (every |backprop - numerical| <= atol + "
            f"rtol*|numerical|; atol {self.atol:.1e}, rtol {self.rtol:g}, h {self.h:.1e})"
        )
        return "\n".join(lines)


def gradcheck(model, x, t, h=None, tol=None, keys=None, atol=None) -> GradcheckReport:
    """Compare ``model.gradient`` (backprop) with ``model.numerical_gradient`` parameter by parameter.

    Every element must satisfy |g − n| ≤ atol + tol·|n| (g backprop, n numerical).  A parameter
    whose g and n are both within atol of 0 is reported as a zero gradient (status ``"zero"``).

    Parameters
    ----------
    h : float, optional
        Step of the central differences; default ε^(1/3) of the model's dtype.
    tol : float, optional
        Relative tolerance rtol; default 1e-4 (float64) or 1e-2 (float32).
    atol : float, optional
        Absolute tolerance; default 32·ε·max(|L|, 1)/h, the round-off of the difference
        quotient of the loss L (:func:`default_tolerances`).

    Use a float64 model.  BatchNorm needs a batch of at least 2 samples (with one sample
    x − μ = 0 and the check is meaningless, as DLfS's BN check with N = 1 shows); Dropout uses
    the mask drawn by the backprop pass for every numerical evaluation.
    """
    from .layers import BatchNorm, Dropout

    x = np.asarray(x)
    if any(isinstance(lay, BatchNorm) for lay in model.layers) and len(x) < 2:
        raise ConfigError("gradcheck with BatchNorm needs a batch of at least 2 samples")
    h0, rtol0, c = default_tolerances(model.dtype)
    h = h0 if h is None else float(h)
    rtol = rtol0 if tol is None else float(tol)
    drops = [lay for lay in model.layers if isinstance(lay, Dropout)]
    saved = [d.fix_mask for d in drops]
    try:
        analytic = {k: v.copy() for k, v in model.gradient(x, t).items()}
        loss = float(model.last_loss)
        for d in drops:
            d.fix_mask = True
        numeric = model_numerical_gradient(model, x, t, h=h, keys=keys)
    finally:
        for d, s in zip(drops, saved):
            d.fix_mask = s
    atol = c * max(abs(loss), 1.0) / h if atol is None else float(atol)
    rows = []
    for key in numeric:
        g, n = analytic[key].astype(np.float64), numeric[key].astype(np.float64)
        diff = np.abs(g - n)
        if np.max(np.abs(g)) <= atol and np.max(np.abs(n)) <= atol:
            status = "zero"
        elif np.all(diff <= atol + rtol * np.abs(n)):
            status = "ok"
        else:
            status = "FAIL"
        rows.append(
            KeyReport(key, float(diff.mean()), float(diff.max()), relative_error(g, n), status)
        )
    return GradcheckReport(rows, rtol, atol, h)


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
