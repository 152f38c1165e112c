"""Weight initializers.

``get_initializer(spec, **kw)`` returns a callable ``init(shape, rng=None, dtype=np.float64)``
that draws a new array of ``shape``.  For a weight matrix of shape ``(n_in, n_out)`` (the
``Affine``/``Dense`` layout, inputs on axis 0) ``fan_in = shape[0]`` and
``fan_out = shape[-1]``; for N-d shapes ``fan_in = prod(shape[:-1])``; a 1-d shape ``(n,)``
uses ``fan_in = fan_out = n`` (as Keras) and a scalar shape ``()`` uses 1 and 1.

Names, distributions and sources (``n_in = fan_in``, ``n_out = fan_out``):

- ``zeros``, ``ones``: 0 / 1 everywhere.
- ``constant`` (``value=0.0``): ``value`` everywhere.
- ``values`` (``values=array``): a copy of the given array; its shape must match.
- ``normal`` (``std=0.01, mean=0.0``): N(mean, std^2) (DLfS ``weight_init_std=0.01``).
- ``uniform`` (``a=-0.05, b=0.05``): U(a, b) (Keras ``RandomUniform`` defaults).
- ``xavier_uniform`` = ``glorot_uniform``: U(-r, r), r = sqrt(6 / (n_in + n_out))
  (Glorot & Bengio 2010; slides 003).
- ``xavier_normal`` = ``glorot_normal``: N(0, s^2), s = sqrt(2 / (n_in + n_out)) (slides 003).
- ``he_uniform``: U(-r, r), r = sqrt(6 / n_in) (He et al. 2015; slides 003).
- ``he_normal``: N(0, s^2), s = sqrt(2 / n_in) (He et al. 2015; slides 003).
- ``lecun_uniform``: U(-r, r), r = sqrt(3 / n_in) (LeCun et al. 1998; Keras).
- ``lecun_normal``: N(0, s^2), s = sqrt(1 / n_in) (LeCun et al. 1998; Keras).
- ``relu`` / ``he``: N(0, s^2), s = sqrt(2 / n_in) (DLfS ``weight_init_std='relu'``).
- ``sigmoid`` / ``xavier``: N(0, s^2), s = sqrt(1 / n_in) (DLfS ``weight_init_std='sigmoid'``).
- a number ``s``, ``"std0.01"``, ``"std=0.01"`` or ``"0.01"``: N(0, s^2) (DLfS).

Notes
-----
* DLfS's ``weight_init_std='xavier'`` is **not** Glorot's ``xavier_normal``: DLfS uses
  ``sqrt(1 / n_in)`` (the LeCun form, "Xavier" as simplified in the book), Glorot & Bengio
  (2010) use ``sqrt(2 / (n_in + n_out))``.  Both are offered under their own names.
* Keras's ``glorot_normal``/``he_normal``/``lecun_normal`` draw from a *truncated* normal
  rescaled to the same std; here, as in the slides and DLfS, a plain normal is used.
* Numbers are drawn in float64 and then cast to ``dtype``, so one seed gives the same
  weights (up to rounding) in float32 and float64.
* ``rng`` may be ``None`` (fresh entropy), an ``int`` seed (``np.random.default_rng(seed)``),
  a ``np.random.Generator`` or a legacy ``np.random.RandomState``; with a ``RandomState``
  the legacy methods are used, so ``get_initializer("he")((n, m), np.random.RandomState(0))``
  equals DLfS's ``np.sqrt(2 / n) * np.random.randn(n, m)`` after ``np.random.seed(0)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np

from .errors import ConfigError, MlplabTypeError, ShapeError, check_positive
from .factory import check_arguments, split_spec

__all__ = [
    "INITIALIZER_NAMES",
    "Initializer",
    "get_initializer",
    "parse_std",
    "compute_fans",
    "as_rng",
]

INITIALIZER_NAMES = (
    "zeros",
    "ones",
    "constant",
    "values",
    "normal",
    "uniform",
    "xavier_uniform",
    "glorot_uniform",
    "xavier_normal",
    "glorot_normal",
    "he_uniform",
    "he_normal",
    "lecun_uniform",
    "lecun_normal",
    "relu",
    "he",
    "sigmoid",
    "xavier",
)

# name -> (kind, scale rule, allowed keyword arguments with defaults)
#   kind "normal": std from the rule; kind "uniform": limit from the rule (U(-limit, limit))
_FAN_RULES = {
    "xavier_uniform": ("uniform", lambda fi, fo: math.sqrt(6.0 / (fi + fo))),
    "xavier_normal": ("normal", lambda fi, fo: math.sqrt(2.0 / (fi + fo))),
    "he_uniform": ("uniform", lambda fi, fo: math.sqrt(6.0 / fi)),
    "he_normal": ("normal", lambda fi, fo: math.sqrt(2.0 / fi)),
    "lecun_uniform": ("uniform", lambda fi, fo: math.sqrt(3.0 / fi)),
    "lecun_normal": ("normal", lambda fi, fo: math.sqrt(1.0 / fi)),
    "relu": ("normal", lambda fi, fo: math.sqrt(2.0 / fi)),
    "sigmoid": ("normal", lambda fi, fo: math.sqrt(1.0 / fi)),
}
_ALIASES = {
    "glorot_uniform": "xavier_uniform",
    "glorot_normal": "xavier_normal",
    "he": "relu",
    "xavier": "sigmoid",
    "zero": "zeros",
    "one": "ones",
    "gaussian": "normal",
    "random_normal": "normal",
    "random_uniform": "uniform",
}
_KW = {
    "zeros": {},
    "ones": {},
    "constant": {"value": 0.0},
    "values": {"values": None},
    "normal": {"std": 0.01, "mean": 0.0},
    "uniform": {"a": -0.05, "b": 0.05},
    **{n: {} for n in _FAN_RULES},
}
_STD_RE = re.compile(r"^std\s*=?\s*([0-9.eE+-]+)$")


def compute_fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight of ``shape`` (see the module docstring)."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    return int(math.prod(shape[:-1])), int(shape[-1])


def as_rng(rng):
    """Turn ``None`` / seed / ``Generator`` / ``RandomState`` into a generator object.

    A ``RandomState`` is returned as is (its legacy methods are used by the initializers).
    """
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, (np.random.Generator, np.random.RandomState)):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, (int, np.integer)):
        raise MlplabTypeError(
            "rng must be None, an int seed, a numpy.random.Generator or RandomState, "
            f"got {type(rng).__name__}"
        )
    if rng < 0:
        raise ConfigError(f"rng seed must be an integer >= 0, got {rng}")
    return np.random.default_rng(int(rng))


def _normal(rng, shape, mean: float, std: float) -> np.ndarray:
    if isinstance(rng, np.random.RandomState):
        z = rng.randn(*shape) if shape else np.asarray(rng.randn())
        return std * z + mean if mean else std * z
    return rng.normal(mean, std, size=shape)


def _uniform(rng, shape, a: float, b: float) -> np.ndarray:
    return np.asarray(rng.uniform(a, b, size=shape))


def _check_shape(shape) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        raise MlplabTypeError(f"shape must be a tuple of ints, got {shape!r}") from None
    for s in shape:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 0:
            raise ShapeError(f"shape must be a tuple of integers >= 0, got {shape!r}")
    return tuple(int(s) for s in shape)


def _check_dtype(dtype) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise ConfigError(f"dtype must be float32 or float64, got {dtype!r}") from None
    if dt.kind != "f":
        raise ConfigError(f"dtype must be a floating dtype (float32, float64), got {dtype!r}")
    return dt


class Initializer:
    """A named initializer; call it as ``init(shape, rng=None, dtype=np.float64)``.

    Parameters
    ----------
    name : str
        Canonical name (one of :data:`INITIALIZER_NAMES`, ``"normal"`` for number specs).
    **params
        The distribution's arguments (``std``, ``mean``, ``a``, ``b``, ``value``, ``values``).

    Attributes
    ----------
    name : str
        The name as given (``"he"`` stays ``"he"`` so a summary shows what the user asked).
    params : dict
        Arguments with defaults filled in.
    """

    def __init__(self, name: str, **params):
        self.name = name
        self.params = params
        self._key = _ALIASES.get(name, name)

    def __call__(self, shape, rng=None, dtype=np.float64) -> np.ndarray:
        """Draw a new array.

        Parameters
        ----------
        shape : int or tuple of int
            E.g. ``(n_in, n_out)`` for a weight matrix.
        rng : None, int, numpy.random.Generator or numpy.random.RandomState
            Source of randomness (ignored by the deterministic initializers).
        dtype : float dtype
            ``np.float64`` (default) or ``np.float32``.

        Returns
        -------
        ndarray of ``shape`` and ``dtype``.
        """
        shape = _check_shape(shape)
        dt = _check_dtype(dtype)
        key, p = self._key, self.params
        if key == "zeros":
            return np.zeros(shape, dtype=dt)
        if key == "ones":
            return np.ones(shape, dtype=dt)
        if key == "constant":
            return np.full(shape, p["value"], dtype=dt)
        if key == "values":
            v = p["values"]
            if v.shape != shape:
                raise ShapeError(f"values has shape {v.shape}, the parameter needs {shape}")
            return v.astype(dt, copy=True)
        gen = as_rng(rng)
        if key == "normal":
            out = _normal(gen, shape, p["mean"], p["std"])
        elif key == "uniform":
            out = _uniform(gen, shape, p["a"], p["b"])
        else:
            kind, rule = _FAN_RULES[key]
            fan_in, fan_out = compute_fans(shape)
            scale = rule(max(fan_in, 1), max(fan_out, 1))
            if kind == "normal":
                out = _normal(gen, shape, 0.0, scale)
            else:
                out = _uniform(gen, shape, -scale, scale)
        return np.asarray(out, dtype=np.float64).astype(dt, copy=False)

    def scale(self, shape) -> tuple[str, float]:
        """``("normal", std)`` or ``("uniform", limit)`` this initializer uses for ``shape``
        (for the fan-based and normal initializers; explanatory use, e.g. in the playground)."""
        shape = _check_shape(shape)
        if self._key == "normal":
            return "normal", float(self.params["std"])
        if self._key in _FAN_RULES:
            kind, rule = _FAN_RULES[self._key]
            fan_in, fan_out = compute_fans(shape)
            return kind, rule(max(fan_in, 1), max(fan_out, 1))
        raise ConfigError(f"initializer {self.name!r} has no fan-based scale")

    def config(self) -> dict:
        """JSON-able dict; ``get_initializer(init.config())`` rebuilds it."""
        p = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in self.params.items()}
        return {"name": self.name, **p}

    def __repr__(self) -> str:
        args = "".join(
            f", {k}={v!r}" for k, v in self.params.items() if not isinstance(v, np.ndarray)
        )
        return f"Initializer({self.name!r}{args})"


def get_initializer(spec="xavier_uniform", **kw) -> Initializer:
    """Build an initializer.

    Parameters
    ----------
    spec : str, number, dict, array, Initializer or callable
        A name from :data:`INITIALIZER_NAMES` (case-insensitive) with its arguments in ``kw``;
        a number or ``"std0.01"``/``"std=0.01"``/``"0.01"`` (normal with that std, DLfS
        ``weight_init_std``); a dict ``{"name": ..., **arguments}``; an array or nested list
        (``values``); an :class:`Initializer` or any callable ``(shape, rng, dtype)`` (returned
        as is).
    **kw
        Arguments: ``constant(value)``, ``values(values)``, ``normal(std, mean)``,
        ``uniform(a, b)``; the fan-based initializers take none.

    Raises
    ------
    ConfigError
        Unknown name (the message lists the names) or argument, or a bad value.
    """
    if isinstance(spec, Initializer) or (
        callable(spec) and not isinstance(spec, (str, Mapping, np.ndarray))
    ):
        if kw:
            raise ConfigError(
                "initializer keyword arguments need a name or dict spec, not an object"
            )
        return spec
    if isinstance(spec, bool):
        raise MlplabTypeError("init must be a name, a number (std), a dict or an array, got bool")
    if isinstance(spec, (int, float, np.integer, np.floating)):
        if kw:
            raise ConfigError(
                f"a numeric init ({spec}) is a std and takes no arguments, got {sorted(kw)}"
            )
        return Initializer("normal", std=check_positive("std", spec, allow_zero=True), mean=0.0)
    if isinstance(spec, (np.ndarray, list, tuple)):
        return get_initializer("values", values=spec, **kw)
    name, args = split_spec(
        spec, kw, "init", INITIALIZER_NAMES, "a name, a number (std), a dict or an array"
    )

    std = parse_std(name)
    if std is not None:
        if args:
            raise ConfigError(f"init {name!r} is a std and takes no arguments, got {sorted(args)}")
        return Initializer("normal", std=check_positive("std", std, allow_zero=True), mean=0.0)
    given = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(given, given)
    if key not in _KW:
        raise ConfigError(
            f"init must be one of {', '.join(INITIALIZER_NAMES)} or a number (std); got {name!r}"
        )
    allowed = _KW[key]
    check_arguments("init", given, args, allowed)
    params = {**allowed, **args}
    if key == "constant":
        v = params["value"]
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise ConfigError(f"value must be a finite number, got {v!r}")
        if not math.isfinite(float(v)):
            raise ConfigError(f"value must be a finite number, got {v!r}")
        params["value"] = float(v)
    elif key == "values":
        if params["values"] is None:
            raise ConfigError("init 'values' needs values=<array of the parameter's shape>")
        try:
            arr = np.array(params["values"], dtype=np.float64)
        except (TypeError, ValueError):
            raise ConfigError(
                "values must be a numeric array (ragged or non-numeric given)"
            ) from None
        if not np.all(np.isfinite(arr)):
            raise ConfigError("values must be finite (no NaN or inf)")
        params["values"] = arr
    elif key == "normal":
        params["std"] = check_positive("std", params["std"], allow_zero=True)
        params["mean"] = _finite("mean", params["mean"])
    elif key == "uniform":
        a, b = _finite("a", params["a"]), _finite("b", params["b"])
        if not a < b:
            raise ConfigError(f"uniform needs a < b, got a={a!r}, b={b!r}")
        params["a"], params["b"] = a, b
    return Initializer(given, **params)


def parse_std(text: str) -> float | None:
    """The std of DLfS's ``weight_init_std`` written as text: ``"std0.01"``, ``"std=0.01"``,
    ``"STD = 0.01"`` or ``"0.01"`` -> 0.01; None for anything else (a name such as ``"he"``).

    The one parser of this notation (the engine, experiment files and their variant labels).

    Raises
    ------
    ConfigError
        ``"std"`` followed by something that is not a number (``"std1e"``).
    """
    t = text.strip().lower()
    if _is_number(t):
        return float(t)
    m = _STD_RE.match(t)
    if m is None:
        return None
    if not _is_number(m.group(1)):
        raise ConfigError(f"init {text!r}: the std after 'std' must be a number like std0.01")
    return float(m.group(1))


def _finite(name: str, v) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise MlplabTypeError(f"{name} must be a number, got {v!r}")
    f = float(v)
    if not math.isfinite(f):
        raise ConfigError(f"{name} must be a finite number, got {v!r}")
    return f


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True
