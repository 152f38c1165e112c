"""Building objects from specs: what ``get_optimizer``, ``get_schedule`` and ``get_initializer``
share.

A spec names an object and its arguments, either as a name with keyword arguments
(``get_optimizer("adam", lr=0.01)``) or as a dict (``{"name": "adam", "lr": 0.01}``, what
``config()`` returns and experiment files hold).
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import ConfigError, MlplabTypeError

__all__ = ["split_spec", "canonical_name", "check_arguments"]


def split_spec(spec, kw: dict, what: str, names, expected: str) -> tuple[str, dict]:
    """Split a ``"name"`` or ``{"name": ..., **args}`` spec into ``(name, args)`` (kw merged in).

    ``what`` names the argument in messages (``"optimizer"``), ``names`` lists the allowed
    names and ``expected`` says what else the caller accepts ("a name, a dict or an Optimizer").
    """
    if isinstance(spec, Mapping):
        args = dict(spec)
        if "name" not in args:
            raise ConfigError(f"{what} dict needs a 'name' (one of {', '.join(names)})")
        name = args.pop("name")
        args.update(kw)
    elif isinstance(spec, str):
        name, args = spec, dict(kw)
    else:
        raise MlplabTypeError(f"{what} must be {expected}, got {type(spec).__name__}")
    if not isinstance(name, str):
        raise ConfigError(f"{what} must be one of {', '.join(names)}; got {name!r}")
    return name, args


def canonical_name(name: str) -> str:
    """``" Inverse-Time "`` -> ``"inverse_time"``: lower case, ``-`` and spaces as ``_``."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def check_arguments(what: str, key: str, args, allowed) -> None:
    """Raise :class:`ConfigError` naming the first argument of ``args`` not in ``allowed``."""
    for a in args:
        if a not in allowed:
            names = ", ".join(allowed) if allowed else "none"
            raise ConfigError(f"unknown argument {a!r} for {what} {key!r}; allowed: {names}")
