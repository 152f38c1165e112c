"""Shared fixtures for the engine tests: an independent finite-difference helper.

The engine ships its own (vectorized) numerical gradient in :mod:`mlplab.gradcheck`; the tests
also compare against this deliberately naive one, which perturbs one element of a *copy* at a
time and calls ``f`` once per evaluation, so a bug in the batched machinery cannot hide itself.
"""

from __future__ import annotations

import numpy as np
import pytest


def _central_diff(f, x, h=1e-6):
    """∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h for a scalar ``f`` of one float64 array."""
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (float(f(xp)) - float(f(xm))) / (2 * h)
    return g


def _rel_err(a, b, floor=1e-3):
    """max|a − b| / max(max|a| + max|b|, floor).

    The measure of :func:`mlplab.gradcheck.relative_error`, with the denominator floored:
    central differences carry an absolute round-off of about ε·|f|/h ≈ 1e-10, which would make
    a gradient that is itself ~1e-7 (sinc'(x) ≈ −x/3 near 0) look wrong.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)) + np.max(np.abs(b)), floor))


@pytest.fixture(scope="session")
def fd():
    """Naive central differences ``fd(f, x, h=1e-6) -> ndarray`` (session scope: hypothesis-safe)."""
    return _central_diff


@pytest.fixture(scope="session")
def rel_err():
    """Relative error ``rel_err(a, b) -> float``."""
    return _rel_err


@pytest.fixture(scope="session", autouse=True)
def _one_blas_thread():
    """One BLAS thread, as ``make test`` sets in the environment, also for a bare ``pytest``:
    tests that compare with the book's recorded numbers to 1e-12 over thousands of steps need
    the one summation order (several BLAS threads round differently), and xdist's workers
    would otherwise share the cores with each other's BLAS threads."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - installed with the dev extra
        yield
        return
    with threadpool_limits(limits=1):
        yield
