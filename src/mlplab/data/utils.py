"""Array helpers for data: split, standardize, one-hot, checks."""

from __future__ import annotations

import math

import numpy as np

from ..errors import ConfigError, DataError, ShapeError, check_int

__all__ = ["check_xy", "one_hot", "standardize", "to_labels", "train_test_split"]


def check_xy(X, y=None, *, names: tuple[str, str] = ("X", "y")):
    """Validate a feature matrix and its labels / targets.

    Parameters
    ----------
    X : array_like, shape (N, D)
        Numeric features; a 1-D array is rejected (reshape it to ``(N, 1)``).
    y : array_like, shape (N,) or (N, C), optional
        Labels or targets with the same number of rows.
    names : (str, str)
        Argument names used in error messages.

    Returns
    -------
    X : ndarray, shape (N, D)
    y : ndarray or None

    Raises
    ------
    ShapeError
        Wrong number of dimensions, zero rows, or mismatched row counts.
    DataError
        Non-numeric values, NaN or infinity (the message names the argument and the first bad
        row).
    """
    xn, yn = names
    X = np.asarray(X)
    if X.ndim != 2:
        raise ShapeError(f"{xn} must be 2-D (N, D), got shape {X.shape}")
    if X.shape[0] == 0:
        raise ShapeError(f"{xn} has no rows (shape {X.shape})")
    _check_finite(X, xn)
    if y is None:
        return X, None
    y = np.asarray(y)
    if y.ndim not in (1, 2):
        raise ShapeError(f"{yn} must be (N,) or (N, C), got shape {y.shape}")
    if y.shape[0] != X.shape[0]:
        raise ShapeError(f"{xn} has {X.shape[0]} rows but {yn} has {y.shape[0]}")
    _check_finite(y, yn)
    return X, y


def _check_finite(a: np.ndarray, name: str) -> None:
    if a.dtype.kind not in "biuf":
        raise DataError(f"{name} must be numeric, got dtype {a.dtype}")
    if a.dtype.kind == "f":
        bad = ~np.isfinite(a)
        if bad.any():
            idx = np.argwhere(bad)[0]
            what = "NaN" if np.isnan(a[tuple(idx)]) else "infinity"
            raise DataError(
                f"{name} contains {int(bad.sum())} NaN/inf values (first: {what} at row {idx[0]})"
            )


def train_test_split(X, y, test_size: float = 0.2, seed=0, shuffle: bool = True):
    """Split ``X, y`` into train and test parts.

    ``n_test = ceil(N * test_size)`` for a fraction ``0 < test_size < 1`` or ``test_size``
    itself for an integer; the test part is taken from the end of the (shuffled) order.

    Parameters
    ----------
    X : array_like, shape (N, ...)
    y : array_like, shape (N, ...)
    test_size : float or int
        Fraction in (0, 1) or number of test rows in [1, N-1].
    seed : int or numpy.random.Generator
        Seed of the permutation (ignored when ``shuffle=False``).
    shuffle : bool

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
        In scikit-learn's order.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.shape[:1] != y.shape[:1] or X.ndim == 0:
        raise ShapeError(f"X and y need the same number of rows, got {X.shape} and {y.shape}")
    n = X.shape[0]
    if n < 2:
        raise DataError(f"need at least 2 rows to split, got {n}")
    if isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        n_test = check_int("test_size", test_size, lo=1, hi=n - 1)
    else:
        ts = float(test_size)
        if not 0.0 < ts < 1.0:
            raise ConfigError(
                f"test_size must be a fraction in (0, 1) or a count, got {test_size!r}"
            )
        n_test = min(max(math.ceil(n * ts), 1), n - 1)
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    tr, te = order[: n - n_test], order[n - n_test :]
    return X[tr], X[te], y[tr], y[te]


def standardize(X, mean=None, std=None):
    """Standardize columns: ``Xs = (X - mean) / std``.

    Parameters
    ----------
    X : array_like, shape (N, D)
    mean, std : array_like, shape (D,), optional
        Statistics to reuse (e.g. the training set's, applied to the test set). When omitted
        they are computed from ``X`` (population std, ``ddof=0``); a zero std becomes 1 so
        constant columns map to 0 instead of NaN.

    Returns
    -------
    Xs : ndarray, shape (N, D), float64
    mean : ndarray, shape (D,)
    std : ndarray, shape (D,)
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ShapeError(f"X must be 2-D (N, D), got shape {X.shape}")
    mean = X.mean(axis=0) if mean is None else np.asarray(mean, dtype=np.float64)
    if std is None:
        std = X.std(axis=0)
    std = np.asarray(std, dtype=np.float64)
    if mean.shape != (X.shape[1],) or std.shape != (X.shape[1],):
        raise ShapeError(
            f"mean and std must have shape ({X.shape[1]},), got {mean.shape} and {std.shape}"
        )
    std = np.where(std == 0, 1.0, std)
    return (X - mean) / std, mean, std


def one_hot(y, num_classes: int | None = None, dtype=np.float64) -> np.ndarray:
    """One-hot encode integer labels: ``T[i, y_i] = 1``.

    Parameters
    ----------
    y : array_like of int, shape (N,)
    num_classes : int, optional
        Defaults to ``max(y) + 1``.

    Returns
    -------
    ndarray, shape (N, num_classes)
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ShapeError(f"y must be 1-D class ids (N,), got shape {y.shape}")
    if y.size and y.dtype.kind == "f":
        if not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
            raise DataError("y must hold integer class ids, got non-integer values")
    elif y.size and y.dtype.kind not in "iub":
        raise DataError(f"y must hold integer class ids, got dtype {y.dtype}")
    y = y.astype(np.int64)
    if y.size and y.min() < 0:
        raise DataError(f"y must hold class ids >= 0, got {int(y.min())}")
    k = int(y.max()) + 1 if y.size else 0
    if num_classes is None:
        num_classes = k
    num_classes = check_int("num_classes", num_classes, lo=1 if y.size else 0)
    if k > num_classes:
        raise DataError(f"y has class id {k - 1} but num_classes is {num_classes}")
    T = np.zeros((y.shape[0], num_classes), dtype=dtype)
    T[np.arange(y.shape[0]), y] = 1
    return T


def to_labels(t) -> np.ndarray:
    """Turn one-hot (or score) rows into class ids: ``argmax`` over the last axis.

    1-D input is returned as int64 class ids unchanged.

    Returns
    -------
    ndarray, shape (N,), int64
    """
    t = np.asarray(t)
    if t.ndim == 1:
        return t.astype(np.int64)
    if t.ndim != 2:
        raise ShapeError(f"t must be (N,) or (N, C), got shape {t.shape}")
    return np.argmax(t, axis=1).astype(np.int64)
