"""One family of exceptions for everything mlplab rejects.

Every error a user can trigger is an :class:`MlplabError`; the concrete classes also
derive from the matching built-in (``ValueError``, ``TypeError``, ...) so ordinary
``except ValueError`` code keeps working.  Messages are one line and say what to change,
e.g. ``lr must be a positive number, got -0.1``.
"""

from __future__ import annotations


class MlplabError(Exception):
    """Base class of every error mlplab raises on purpose."""


class ConfigError(MlplabError, ValueError):
    """A value is out of range or not one of the allowed choices."""


class ShapeError(MlplabError, ValueError):
    """Array shapes do not fit together."""


class MlplabTypeError(MlplabError, TypeError):
    """An argument has the wrong type."""


class DataError(MlplabError, ValueError):
    """A data file or array cannot be used (ragged CSV, NaN, one class, ...)."""


class CheckpointError(MlplabError, ValueError):
    """A saved model file is corrupt, foreign or from an incompatible version."""


class DivergenceError(MlplabError, FloatingPointError):
    """Training produced a NaN or infinite loss."""


def check_choice(name: str, value, allowed) -> None:
    """Raise :class:`ConfigError` unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ConfigError(f"{name} must be one of {choices}; got {value!r}")


def check_positive(name: str, value, *, allow_zero: bool = False) -> float:
    """Return ``value`` as float if it is a finite positive (or non-negative) number."""
    import math

    if isinstance(value, bool) or not isinstance(value, (int, float)) and not _is_np_number(value):
        raise MlplabTypeError(f"{name} must be a number, got {type(value).__name__}")
    v = float(value)
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ConfigError(f"{name} must be a finite number {bound}, got {value!r}")
    return v + 0.0  # -0.0 + 0.0 is +0.0: a "-0" is zero (NumPy rejects a scale of -0.0)


def check_int(name: str, value, lo: int | None = None, hi: int | None = None) -> int:
    """Return ``value`` as int if it is an integer within ``[lo, hi]``."""
    if isinstance(value, bool) or not (isinstance(value, int) or _is_np_integer(value)):
        raise MlplabTypeError(f"{name} must be an integer, got {value!r}")
    v = int(value)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        lo_s = "-inf" if lo is None else str(lo)
        hi_s = "inf" if hi is None else str(hi)
        raise ConfigError(f"{name} must be an integer in [{lo_s}, {hi_s}], got {v}")
    return v


def _is_np_number(v) -> bool:
    try:
        import numpy as np

        return isinstance(v, np.number) and not isinstance(v, np.complexfloating)
    except ImportError:  # pragma: no cover
        return False


def _is_np_integer(v) -> bool:
    import numpy as np

    return isinstance(v, np.integer)
