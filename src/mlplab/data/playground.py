"""TensorFlow Playground data generators (``src/dataset.ts``), vectorized.

The formulas follow the Playground exactly (``dataset.ts`` of github.com/tensorflow/playground);
only the random stream differs: we use ``numpy.random.default_rng(seed)`` instead of the JS
``seedrandom`` generator, and NumPy's normal sampler instead of the Marsaglia polar method.
So the *distributions* match the Playground, not the individual points.

``noise`` is the UI slider value in percent (0-50, URLs allow up to 80); generators use
``n = noise / 100``. Classification labels are +-1 and regression targets are floats, both
returned as float64 arrays of shape ``(N,)``, because the Playground trains a single tanh
(or linear) output on ½(o - t)².

Points are returned in generation order (for the classification sets: all +1 points, then all
-1 points); :func:`split` shuffles them (Fisher-Yates) and splits them like the Playground.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..errors import ConfigError, ShapeError, check_int, check_positive

__all__ = [
    "FEATURES",
    "NUM_SAMPLES_CLASSIFY",
    "NUM_SAMPLES_REGRESS",
    "PROBLEM",
    "features",
    "generate",
    "split",
]

#: Default number of points for classification sets (``NUM_SAMPLES_CLASSIFY``).
NUM_SAMPLES_CLASSIFY = 500
#: Default number of points for regression sets (``NUM_SAMPLES_REGRESS``).
NUM_SAMPLES_REGRESS = 1200

#: Problem type of each data set.
PROBLEM: dict[str, str] = {
    "circle": "classification",
    "xor": "classification",
    "gauss": "classification",
    "spiral": "classification",
    "reg-plane": "regression",
    "reg-gauss": "regression",
}

#: Highest accepted noise (percent). The UI slider stops at 50; URLs may go up to 80.
MAX_NOISE = 80


def _uniform(rng: np.random.Generator, lo: float, hi: float, size) -> np.ndarray:
    return rng.uniform(lo, hi, size)


def _circle(rng: np.random.Generator, n: int, noise: float):
    """Circle: +1 inside radius 2.5, -1 in the ring 3.5..5; noise perturbs labels only."""
    radius = 5.0
    n_pos = (n + 1) // 2
    n_neg = n // 2
    r = np.concatenate(
        [
            _uniform(rng, 0.0, radius * 0.5, n_pos),
            _uniform(rng, radius * 0.7, radius, n_neg),
        ]
    )
    angle = _uniform(rng, 0.0, 2.0 * math.pi, n)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    eps = _uniform(rng, -radius, radius, (n, 2)) * noise
    # label = +1 if ||p + eps|| < radius / 2 else -1
    inside = np.hypot(X[:, 0] + eps[:, 0], X[:, 1] + eps[:, 1]) < radius * 0.5
    y = np.where(inside, 1.0, -1.0)
    return X, y


def _xor(rng: np.random.Generator, n: int, noise: float):
    """XOR: x, y ~ U(-5, 5) pushed 0.3 away from 0; +1 iff (x+ex)(y+ey) >= 0."""
    padding = 0.3
    P = _uniform(rng, -5.0, 5.0, (n, 2))
    P = P + np.where(P > 0, padding, -padding)
    eps = _uniform(rng, -5.0, 5.0, (n, 2)) * noise
    y = np.where((P[:, 0] + eps[:, 0]) * (P[:, 1] + eps[:, 1]) >= 0, 1.0, -1.0)
    return P, y


def _gauss(rng: np.random.Generator, n: int, noise: float):
    """Two Gaussians: +1 around (2, 2), -1 around (-2, -2); variance = 0.5 + 7 * noise."""
    variance = 0.5 + (4.0 - 0.5) * noise / 0.5  # d3 linear scale [0, .5] -> [0.5, 4]
    n_pos = (n + 1) // 2
    n_neg = n // 2
    centers = np.concatenate([np.full((n_pos, 2), 2.0), np.full((n_neg, 2), -2.0)])
    X = centers + math.sqrt(variance) * rng.standard_normal((n, 2))
    y = np.concatenate([np.ones(n_pos), -np.ones(n_neg)])
    return X, y


def _spiral(rng: np.random.Generator, n: int, noise: float):
    """Two-arm spiral: r = 5 i / m, t = 1.75 * 2 pi * i / m + delta, m = N / 2."""
    m = n / 2.0
    n_pos = (n + 1) // 2
    n_neg = n // 2
    i = np.concatenate([np.arange(n_pos), np.arange(n_neg)]).astype(np.float64)
    delta = np.concatenate([np.zeros(n_pos), np.full(n_neg, math.pi)])
    r = i / m * 5.0
    t = 1.75 * i / m * 2.0 * math.pi + delta
    jitter = _uniform(rng, -1.0, 1.0, (n, 2)) * noise
    X = np.column_stack([r * np.sin(t), r * np.cos(t)]) + jitter
    y = np.concatenate([np.ones(n_pos), -np.ones(n_neg)])
    return X, y


def _reg_plane(rng: np.random.Generator, n: int, noise: float):
    """Plane: x, y ~ U(-6, 6); target = (x + ex + y + ey) / 10, e ~ U(-6, 6) * noise."""
    radius = 6.0
    X = _uniform(rng, -radius, radius, (n, 2))
    eps = _uniform(rng, -radius, radius, (n, 2)) * noise
    y = (X[:, 0] + eps[:, 0] + X[:, 1] + eps[:, 1]) / 10.0
    return X, y


_REG_GAUSSIANS = np.array(
    [
        [-4.0, 2.5, 1.0],
        [0.0, 2.5, -1.0],
        [4.0, 2.5, 1.0],
        [-4.0, -2.5, -1.0],
        [0.0, -2.5, 1.0],
        [4.0, -2.5, -1.0],
    ]
)


def _reg_gauss(rng: np.random.Generator, n: int, noise: float):
    """Multi-gauss: target = the cone value sign_k * max(0, 1 - d_k / 2) of largest magnitude."""
    radius = 6.0
    X = _uniform(rng, -radius, radius, (n, 2))
    eps = _uniform(rng, -radius, radius, (n, 2)) * noise
    P = X + eps  # (n, 2) perturbed points where the label is evaluated
    c = _REG_GAUSSIANS
    d = np.hypot(P[:, None, 0] - c[None, :, 0], P[:, None, 1] - c[None, :, 1])  # (n, 6)
    cone = c[None, :, 2] * np.clip(1.0 - d / 2.0, 0.0, 1.0)  # (n, 6)
    # The first cone of strictly largest magnitude wins (argmax returns the first maximum).
    best = np.argmax(np.abs(cone), axis=1)
    y = cone[np.arange(n), best] + 0.0  # + 0.0 turns -0.0 into 0.0
    return X, y


_GENERATORS: dict[str, Callable] = {
    "circle": _circle,
    "xor": _xor,
    "gauss": _gauss,
    "spiral": _spiral,
    "reg-plane": _reg_plane,
    "reg-gauss": _reg_gauss,
}


def generate(
    name: str, n: int | None = None, noise: float = 0.0, seed=0
) -> tuple[np.ndarray, np.ndarray]:
    """Generate a TensorFlow Playground data set.

    Parameters
    ----------
    name : {"circle", "xor", "gauss", "spiral", "reg-plane", "reg-gauss"}
    n : int, optional
        Number of points; default 500 for classification, 1200 for regression. For odd ``n``
        the +1 class gets the extra point.
    noise : float
        Noise in **percent** as on the Playground slider (0-50; up to 80 accepted); the
        formulas use ``noise / 100``. Circle and XOR noise flips labels only, spiral noise
        jitters coordinates, Gauss noise widens the clusters (variance ``0.5 + 7 n``) and the
        regression noise perturbs the point where the target is evaluated.
    seed : int or numpy.random.Generator
        Seed for ``numpy.random.default_rng``.

    Returns
    -------
    X : ndarray, shape (n, 2), float64
        Raw coordinates (the Playground plots ``[-6, 6]^2``).
    y : ndarray, shape (n,), float64
        +-1 labels (classification) or targets (regression).
    """
    if name not in _GENERATORS:
        raise ConfigError(f"playground data set must be one of {', '.join(PROBLEM)}; got {name!r}")
    if n is None:
        n = NUM_SAMPLES_CLASSIFY if PROBLEM[name] == "classification" else NUM_SAMPLES_REGRESS
    n = check_int("n", n, lo=1)
    noise = check_positive("noise", noise, allow_zero=True)
    if noise > MAX_NOISE:
        raise ConfigError(f"noise must be a percentage in [0, {MAX_NOISE}], got {noise!r}")
    rng = np.random.default_rng(seed)
    X, y = _GENERATORS[name](rng, n, noise / 100.0)
    return np.ascontiguousarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)


def split(X, y, train_ratio: float = 50, seed=0):
    """Shuffle (Fisher-Yates) and split like the Playground's "ratio of training to test data".

    ``rng.permutation`` is a Fisher-Yates shuffle; the first ``floor(N * train_ratio / 100)``
    shuffled points are the training set, the rest the test set.

    Parameters
    ----------
    X : ndarray, shape (N, D)
    y : ndarray, shape (N,) or (N, C)
    train_ratio : float
        Percentage of points used for training, 10-90 (the UI uses steps of 10).
    seed : int or numpy.random.Generator

    Returns
    -------
    X_train, y_train, X_test, y_test : ndarray
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim != 2 or y.shape[:1] != X.shape[:1]:
        raise ShapeError(f"X must be (N, D) and y (N, ...); got X {X.shape}, y {y.shape}")
    ratio = check_positive("train_ratio", train_ratio)
    if not 10 <= ratio <= 90:
        raise ConfigError(f"train_ratio must be a percentage in [10, 90], got {train_ratio!r}")
    rng = np.random.default_rng(seed)
    order = rng.permutation(X.shape[0])
    n_train = math.floor(X.shape[0] * ratio / 100)
    tr, te = order[:n_train], order[n_train:]
    return X[tr], y[tr], X[te], y[te]


#: The 7 Playground input features, in UI order, as functions of ``X (n, 2) -> (n,)``.
FEATURES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "x": lambda X: X[:, 0],
    "y": lambda X: X[:, 1],
    "xSquared": lambda X: X[:, 0] ** 2,
    "ySquared": lambda X: X[:, 1] ** 2,
    "xTimesY": lambda X: X[:, 0] * X[:, 1],
    "sinX": lambda X: np.sin(X[:, 0]),
    "sinY": lambda X: np.sin(X[:, 1]),
}

#: Display labels of the features (X₁, X₂, ...).
FEATURE_LABELS: dict[str, str] = {
    "x": "X₁",
    "y": "X₂",
    "xSquared": "X₁²",
    "ySquared": "X₂²",
    "xTimesY": "X₁X₂",
    "sinX": "sin(X₁)",
    "sinY": "sin(X₂)",
}


def features(X, names) -> np.ndarray:
    """Compute the selected Playground input features (no normalization, as the Playground).

    Parameters
    ----------
    X : array_like, shape (n, 2)
        Raw coordinates.
    names : sequence of str
        Keys of :data:`FEATURES`, in the column order wanted.

    Returns
    -------
    ndarray, shape (n, len(names)), float64
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ShapeError(f"X must have shape (n, 2), got {X.shape}")
    if isinstance(names, str):
        names = [names]
    names = list(names)
    if not names:
        raise ConfigError(f"names must select at least one of {', '.join(FEATURES)}")
    for name in names:
        if name not in FEATURES:
            raise ConfigError(f"feature must be one of {', '.join(FEATURES)}; got {name!r}")
    return np.column_stack([FEATURES[name](X) for name in names]).reshape(X.shape[0], len(names))
