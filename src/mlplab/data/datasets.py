"""Small synthetic data sets used by the lessons.

Every generator is deterministic for a given ``seed``. Shapes follow the engine contract:
features ``X`` are ``(N, D)`` float64, class labels ``y`` are ``(N,)`` int64.

==============  ===========================================================================
``quadratic``   The seed notebook's 2-D set: ``y = [x2 + 1 > x1**2]`` plus a shifted test set
``gates``       Logic-gate truth tables (and, or, nand, nor, xor)
``spiral``      k-arm spiral (cs231n / NNFS style)
``moons``       Two interleaving half circles (like ``sklearn.datasets.make_moons``)
``blobs4``      Iris-like 4-feature, 3-class Gaussian clusters
==============  ===========================================================================

:func:`load_builtin` dispatches by name (also to the TensorFlow Playground generators of
:mod:`mlplab.data.playground`) for experiment files.
"""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError, MlplabError, check_int, check_positive

__all__ = [
    "BLOBS4_CLASSES",
    "BLOBS4_FEATURES",
    "BUILTIN_NAMES",
    "BUILTIN_OPTIONS",
    "GATES",
    "blobs4",
    "gates",
    "load_builtin",
    "moons",
    "quadratic",
    "quadratic_rng_state",
    "spiral",
]


# ---------------------------------------------------------------------------------------------
# The seed notebook's quadratic set
# ---------------------------------------------------------------------------------------------
def quadratic(
    n: int = 100, seed: int = 317, shift: float = 0.2
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The seed notebook's 2-D classification set, bit for bit.

    The notebook runs, on NumPy's *global* legacy RNG::

        np.random.seed(317)
        X = np.random.rand(n_obs, 2) * 4 - 2
        y = (X[:, 1] + 1 > X[:, 0] ** 2).astype(int)
        X_test = np.random.rand(n_obs, 2) * 4 - 2
        y_test = ((X_test[:, 1] + 0.2) + 1 > (X_test[:, 0] + 0.2) ** 2).astype(int)

    ``np.random.seed(s)`` re-seeds a hidden ``RandomState``, so a fresh
    ``np.random.RandomState(s)`` draws exactly the same numbers without touching global state.

    Parameters
    ----------
    n : int
        Number of points in each of the two sets (``n_obs`` in the notebook).
    seed : int
        Seed of the legacy Mersenne-Twister ``RandomState``.
    shift : float
        Shift applied to both coordinates of the test set before labelling; the notebook uses
        0.2, which makes the test boundary slightly different from the training boundary.

    Returns
    -------
    X : ndarray, shape (n, 2), float64
        Training points, uniform on ``[-2, 2)^2``.
    y : ndarray, shape (n,), int64
        ``1`` where ``x2 + 1 > x1**2`` (inside the parabola), else ``0``.
    X_test : ndarray, shape (n, 2), float64
        Test points, drawn right after ``X`` from the same stream.
    y_test : ndarray, shape (n,), int64
        ``1`` where ``(x2 + shift) + 1 > (x1 + shift)**2``.
    """
    n = check_int("n", n, lo=1)
    rs = np.random.RandomState(seed)
    X, y, X_test, y_test = _quadratic_from(rs, n, float(shift))
    return X, y, X_test, y_test


def _quadratic_from(rs: np.random.RandomState, n: int, shift: float):
    X = rs.rand(n, 2) * 4 - 2
    y = (X[:, 1] + 1 > X[:, 0] ** 2).astype(np.int64)
    X_test = rs.rand(n, 2) * 4 - 2
    y_test = ((X_test[:, 1] + shift) + 1 > (X_test[:, 0] + shift) ** 2).astype(np.int64)
    return X, y, X_test, y_test


def quadratic_rng_state(seed: int = 317, n: int = 100) -> np.random.RandomState:
    """A ``RandomState`` in the state of the notebook's global RNG after :func:`quadratic`.

    It has drawn ``2 * n * 2`` uniforms (``X`` then ``X_test``). Note that the notebook calls
    ``np.random.seed(317)`` again before it samples mini-batches, so for reproducing its
    training runs what matters is a *fresh* ``RandomState(317)`` (see
    :class:`mlplab.data.sampling.BatchSampler` with ``legacy=True``); this function is for code
    that continues drawing from the stream without that re-seed.

    Returns
    -------
    numpy.random.RandomState
        Advanced exactly as ``np.random`` is after the notebook's data cell.
    """
    n = check_int("n", n, lo=1)
    rs = np.random.RandomState(seed)
    _quadratic_from(rs, n, 0.2)
    return rs


# ---------------------------------------------------------------------------------------------
# Logic gates
# ---------------------------------------------------------------------------------------------
_GATE_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])

#: Truth-table outputs for inputs (0,0), (0,1), (1,0), (1,1).
GATES: dict[str, tuple[int, int, int, int]] = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
}


def gates(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Truth table of a two-input logic gate.

    Parameters
    ----------
    name : {"and", "or", "nand", "nor", "xor"}
        Case-insensitive gate name.

    Returns
    -------
    X : ndarray, shape (4, 2), float64
        Inputs in truth-table order (0,0), (0,1), (1,0), (1,1).
    y : ndarray, shape (4,), int64
        Gate output for each row.
    """
    key = str(name).lower()
    if key not in GATES:
        raise ConfigError(f"gate must be one of {', '.join(GATES)}; got {name!r}")
    return _GATE_INPUTS.copy(), np.array(GATES[key], dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# Spiral, moons, blobs
# ---------------------------------------------------------------------------------------------
def spiral(
    n_per_class: int = 100, k: int = 3, noise: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """k-arm spiral (cs231n "Neural Networks Case Study", NNFS ``spiral_data``).

    For class ``j`` and ``i = 0 .. n-1``::

        r_i = i / (n - 1)                                  (radius, linspace(0, 1, n))
        t_i = 4 j + 4 i / (n - 1) + noise * N(0, 1)        (angle, linspace(4j, 4(j+1), n))
        x_i = (r_i sin t_i, r_i cos t_i)

    Parameters
    ----------
    n_per_class : int
        Points per arm.
    k : int
        Number of arms (classes), >= 2.
    noise : float
        Standard deviation of the angle noise (cs231n uses 0.2).
    seed : int or numpy.random.Generator

    Returns
    -------
    X : ndarray, shape (n_per_class * k, 2), float64
        Points in ``[-1, 1]^2``, class by class.
    y : ndarray, shape (n_per_class * k,), int64
        Arm index ``0 .. k-1``.
    """
    n = check_int("n_per_class", n_per_class, lo=1)
    k = check_int("k", k, lo=2)
    noise = check_positive("noise", noise, allow_zero=True)
    rng = np.random.default_rng(seed)
    r = np.tile(np.linspace(0.0, 1.0, n), k)
    y = np.repeat(np.arange(k, dtype=np.int64), n)
    base = np.linspace(0.0, 4.0, n)  # linspace(4j, 4(j+1), n) == 4j + linspace(0, 4, n)
    t = 4.0 * y + np.tile(base, k) + rng.standard_normal(n * k) * noise
    X = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return X, y


def moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, like ``sklearn.datasets.make_moons``.

    With ``a = linspace(0, pi, m)``: class 0 is ``(cos a, sin a)`` (upper moon, ``n - n//2``
    points) and class 1 is ``(1 - cos a, 1 - sin a - 0.5)`` (lower moon, ``n//2`` points).
    Gaussian noise ``N(0, noise^2)`` is added to every coordinate, then the rows are shuffled.

    Parameters
    ----------
    n : int
        Total number of points, >= 2.
    noise : float
        Standard deviation of the coordinate noise.
    seed : int or numpy.random.Generator

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64 in {0, 1}
    """
    n = check_int("n", n, lo=2)
    noise = check_positive("noise", noise, allow_zero=True)
    rng = np.random.default_rng(seed)
    n_out = n - n // 2
    n_in = n // 2
    a_out = np.linspace(0.0, np.pi, n_out)
    a_in = np.linspace(0.0, np.pi, n_in)
    X = np.vstack(
        [
            np.column_stack([np.cos(a_out), np.sin(a_out)]),
            np.column_stack([1.0 - np.cos(a_in), 1.0 - np.sin(a_in) - 0.5]),
        ]
    )
    y = np.concatenate([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    X = X + rng.normal(0.0, noise, size=X.shape)
    order = rng.permutation(n)
    return X[order], y[order]


# Per-class means and standard deviations of the four Iris measurements (sepal length,
# sepal width, petal length, petal width; cm), rounded.  Used only as plausible cluster shapes.
_BLOBS4_MEAN = np.array(
    [
        [5.0, 3.4, 1.5, 0.25],  # "setosa"
        [5.9, 2.8, 4.3, 1.3],  # "versicolor"
        [6.6, 3.0, 5.6, 2.0],  # "virginica"
    ]
)
_BLOBS4_STD = np.array(
    [
        [0.35, 0.38, 0.17, 0.10],
        [0.52, 0.31, 0.47, 0.20],
        [0.64, 0.32, 0.55, 0.27],
    ]
)
#: Names of the three ``blobs4`` classes.
BLOBS4_CLASSES = ("setosa-like", "versicolor-like", "virginica-like")
#: Names of the four ``blobs4`` features.
BLOBS4_FEATURES = ("sepal_length", "sepal_width", "petal_length", "petal_width")


def blobs4(n: int = 150, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Iris-like data: 3 Gaussian clusters in 4 dimensions (for the Keras 4-8-8-3 lesson).

    Class ``c`` gets ``n // 3`` points (the first ``n % 3`` classes one more), drawn as
    ``x = mu_c + sigma_c * N(0, I)`` with the per-class mean ``mu_c`` and per-feature standard
    deviation ``sigma_c`` of the real Iris measurements; rows are shuffled. Class 0 is linearly
    separable from the others; classes 1 and 2 overlap slightly, as in Iris.
    It is *not* the Iris data set.

    Returns
    -------
    X : ndarray, shape (n, 4), float64
    y : ndarray, shape (n,), int64 in {0, 1, 2}
    """
    n = check_int("n", n, lo=3)
    rng = np.random.default_rng(seed)
    counts = np.full(3, n // 3)
    counts[: n % 3] += 1
    y = np.repeat(np.arange(3, dtype=np.int64), counts)
    X = _BLOBS4_MEAN[y] + _BLOBS4_STD[y] * rng.standard_normal((n, 4))
    order = rng.permutation(n)
    return X[order], y[order]


# ---------------------------------------------------------------------------------------------
# Dispatch by name
# ---------------------------------------------------------------------------------------------
#: Every name :func:`load_builtin` accepts (``spiral`` is the cs231n spiral; the Playground
#: spiral is ``playground-spiral``).
BUILTIN_NAMES = (
    "quadratic",
    "spiral",
    "moons",
    "blobs4",
    "gates-and",
    "gates-or",
    "gates-nand",
    "gates-nor",
    "gates-xor",
    "circle",
    "xor",
    "gauss",
    "reg-plane",
    "reg-gauss",
    "playground-circle",
    "playground-xor",
    "playground-gauss",
    "playground-spiral",
    "playground-reg-plane",
    "playground-reg-gauss",
)


#: ``[data]`` options each built-in set takes (``seed`` comes from ``[experiment] seed``).
BUILTIN_OPTIONS: dict[str, tuple[str, ...]] = {
    name: (
        ()
        if name.startswith("gates-")
        else ("noise",)
        if name == "spiral"
        else ("n",)
        if name in ("quadratic", "blobs4")
        else ("n", "noise")
    )
    for name in BUILTIN_NAMES
}


def load_builtin(name: str, **kw):
    """Generate a built-in data set by name (for experiment files).

    Parameters
    ----------
    name : str
        One of :data:`BUILTIN_NAMES`:

        - ``"quadratic"`` -> :func:`quadratic` (returns **four** arrays
          ``X, y, X_test, y_test``),
        - ``"gates-<gate>"`` -> :func:`gates` (``"gates-xor"``, ...),
        - ``"spiral"``, ``"moons"``, ``"blobs4"`` -> the generators of this module,
        - ``"circle"``, ``"xor"``, ``"gauss"``, ``"reg-plane"``, ``"reg-gauss"`` and
          ``"playground-<name>"`` (including ``"playground-spiral"``) ->
          :func:`mlplab.data.playground.generate` (labels +-1 / regression targets, float64).
    **kw
        Passed to the generator (``n``, ``noise``, ``seed``, ...).

    Returns
    -------
    tuple of ndarray
        ``(X, y)``, or ``(X, y, X_test, y_test)`` for ``"quadratic"``.
    """
    key = str(name).lower()
    if key not in BUILTIN_NAMES:
        raise ConfigError(f"data set must be one of {', '.join(BUILTIN_NAMES)}; got {name!r}")
    try:
        if key == "quadratic":
            return quadratic(**kw)
        if key.startswith("gates-"):
            if kw:
                raise ConfigError(f"data set {key!r} takes no options; got {sorted(kw)}")
            return gates(key[len("gates-") :])
        if key == "spiral":
            return spiral(**kw)
        if key == "moons":
            return moons(**kw)
        if key == "blobs4":
            return blobs4(**kw)
    except TypeError as exc:  # unexpected keyword argument
        if isinstance(exc, MlplabError):
            raise
        raise ConfigError(f"bad option for data set {key!r}: {exc}") from None
    from .playground import generate

    pg = key[len("playground-") :] if key.startswith("playground-") else key
    try:
        return generate(pg, **kw)
    except TypeError as exc:
        if isinstance(exc, MlplabError):
            raise
        raise ConfigError(f"bad option for data set {key!r}: {exc}") from None
