"""Declarative experiment files (TOML): schema, validation, quick mode and variants.

An experiment file describes one training recipe and, optionally, the variants to compare::

    [experiment]
    name = "init-compare"
    description = "DLfS weight_init_compare.py"
    seed = 0

    [data]
    source = "builtin"          # "builtin" | "idx" | "csv"
    name = "fashion-mnist"      # builtin: fashion-mnist, mnist, spiral, moons, quadratic, ...
    train_size = 60000

    [model]
    hidden = [100, 100, 100, 100]
    activation = "relu"
    init = "he"

    [train]
    optimizer = "sgd"
    lr = 0.01
    batch_size = 128
    iterations = 2000
    sampling = "replace"

    [variants]
    init = ["std0.01", "xavier", "he"]    # several keys: the Cartesian product
    labels = ["std=0.01", "Xavier", "He"]  # optional display names

    [quick]                                # overrides applied by --quick
    data.train_size = 5000
    train.iterations = 300

:func:`load_spec` checks **everything before anything runs**: unknown sections and keys, wrong
types, out-of-range values and inconsistent combinations raise :class:`~mlplab.errors.ConfigError`
with the key path and the allowed values, e.g. ``train.lr: must be a number > 0, got -1`` or
``model.activation: unknown 'relux'; allowed: identity, step, sigmoid, ...``.  Every variant and
the quick version are validated too.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.datasets import BUILTIN_NAMES as _DATASET_NAMES
from ..data.datasets import BUILTIN_OPTIONS as _DATASET_OPTIONS
from ..errors import ConfigError
from ..init import parse_std
from ..schedules import SCHEDULE_NAMES, schedule_arguments

__all__ = [
    "SCHEMA",
    "Spec",
    "Limits",
    "load_spec",
    "parse_limits",
    "using_limits",
    "parse_override",
    "read_toml",
    "slug",
    "INIT_NAMES",
    "DATA_NAMES",
]

# ---------------------------------------------------------------------------------------------
# allowed values
# ---------------------------------------------------------------------------------------------

#: Weight initializers (mlplab.init names and DLfS shorthands); numbers mean "normal, this std".
INIT_NAMES = (
    "zeros",
    "constant",
    "normal",
    "uniform",
    "xavier_uniform",
    "xavier_normal",
    "he_uniform",
    "he_normal",
    "lecun_normal",
    "lecun_uniform",
    "relu",
    "he",
    "sigmoid",
    "xavier",
)

#: Built-in data names (``[data] source = "builtin"``): the image sets plus every name of
#: :func:`mlplab.data.datasets.load_builtin`.
DATA_NAMES = ("fashion-mnist", "mnist", "gaussian", *_DATASET_NAMES)


# ---------------------------------------------------------------------------------------------
# resource caps, names, files
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Limits:
    """Caps on what an experiment may allocate, checked before anything is allocated.

    A message over a cap names it and how to raise it (``--limit params=50000000``).

    Attributes
    ----------
    params : int
        Parameters of the model (weights, biases, BatchNorm γ/β).
    activations : int
        Numbers held for one forward pass: rows × (sum of the layer widths) × 2, where rows is
        the largest of the batch and the sets evaluated at once (training and test set).
    data : int
        Numbers of a generated data set (rows × columns).
    variants : int
        Variants of one run (the product of the ``[variants]`` lists), points of a search
        grid and trials of a search.
    """

    params: int = 20_000_000
    activations: int = 100_000_000
    data: int = 20_000_000
    variants: int = 1_000

    def over(self, name: str, text: str) -> ConfigError:
        """The error for a size over the cap ``name``; ``text`` says what and how much."""
        cap = getattr(self, name)
        return ConfigError(
            f"{text}, more than the limit {name}={cap:,} (raise it with --limit {name}=N)"
        )


LIMIT_NAMES = ("params", "activations", "data", "variants")
_DEFAULT_LIMITS = [Limits()]


def default_limits() -> Limits:
    """The limits specs get when none are given (``--limit`` changes them for one command)."""
    return _DEFAULT_LIMITS[-1]


@contextlib.contextmanager
def using_limits(limits: Limits):
    """Make ``limits`` the default of every spec loaded inside the ``with`` block."""
    _DEFAULT_LIMITS.append(limits)
    try:
        yield limits
    finally:
        _DEFAULT_LIMITS.pop()


def parse_limits(items, base: Limits | None = None) -> Limits:
    """``["params=5e7", "variants=5000"]`` (``--limit`` values) -> :class:`Limits`."""
    values = {}
    for item in items or ():
        name, eq, text = str(item).partition("=")
        name = name.strip()
        if not eq or name not in LIMIT_NAMES:
            raise ConfigError(
                f"--limit: expected NAME=N with NAME one of {', '.join(LIMIT_NAMES)}, got {item!r}"
            )
        try:
            v = float(text)
        except ValueError:
            v = float("nan")
        if not (math.isfinite(v) and v >= 1 and v == int(v) and v <= 1e15):
            raise ConfigError(f"--limit {name}: must be an integer in [1, 1e15], got {text!r}")
        values[name] = int(v)
    base = base or Limits()
    return Limits(**{**base.__dict__, **values})


_SLUG_BAD = re.compile(r"[^\w.-]+")


def slug(name: str, default: str = "run") -> str:
    """``name`` as one safe path component: no ``/``, no ``..``, no leading dot, <= 80 chars.

    Letters of any script stay (``"초기화 비교"`` -> ``"초기화-비교"``);
    ``"../../../x"`` -> ``"x"``, ``"/abs/path"`` -> ``"abs-path"``, ``"a/b"`` -> ``"a-b"``.
    """
    s = _SLUG_BAD.sub("-", str(name))
    s = re.sub(r"\.{2,}", "", s)
    s = re.sub(r"-{2,}", "-", s).strip("-.")[:80].strip("-.")
    return s or default


#: Largest experiment or search file read (bytes).
MAX_FILE_BYTES = 1 << 20


def read_toml(path, what: str = "experiment file") -> dict:
    """Read and parse a TOML file; every problem is one ConfigError naming the file."""
    path = Path(path)
    try:
        if not path.is_file():
            raise ConfigError(f"{what} {str(path)!r} does not exist")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ConfigError(f"{path}: {what} is larger than {MAX_FILE_BYTES} bytes")
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}: line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from None
    return parse_toml(text, str(path))


def parse_toml(text: str, where: str) -> dict:
    """``tomllib.loads`` with one-line errors (syntax, and nesting too deep to parse)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{where}: invalid TOML: nested too deeply") from None


def _activation_names():
    from ..functions import ACTIVATION_NAMES

    return tuple(ACTIVATION_NAMES) + ("linear", "silu", "leakyrelu")


def _loss_names():
    from ..functions import LOSS_NAMES

    return tuple(LOSS_NAMES)


def _optimizer_names():
    from ..optim import OPTIMIZER_NAMES

    return tuple(OPTIMIZER_NAMES)


def _init_names():
    from ..init import INITIALIZER_NAMES

    return tuple(dict.fromkeys(tuple(INITIALIZER_NAMES) + INIT_NAMES))


SCHEDULES = SCHEDULE_NAMES


def _schedule_keys() -> dict[str, dict[str, bool]]:
    """``[train]`` keys of each schedule, ``{name: {key: required}}``: the schedule's own
    arguments (:func:`mlplab.schedules.schedule_arguments`) except cosine's ``total_steps``,
    which is the run's length."""
    return {
        name: {a: req for a, req in schedule_arguments(name).items() if a != "total_steps"}
        for name in SCHEDULE_NAMES
    }


# ---------------------------------------------------------------------------------------------
# value checkers
# ---------------------------------------------------------------------------------------------
def _name(k) -> str:
    """A key or section name as it may appear in a one-line message (escaped, shortened)."""
    text = str(k)
    if not text.isprintable() or len(text) > 60:
        text = repr(text)[:60]
    return text


def _fmt(v) -> str:
    text = repr(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)
    return text if len(text) <= 60 else text[:57] + "..."


class _Check:
    """One key's rule: ``check(path, value) -> value`` (normalized) or ConfigError."""

    kind = "value"

    def check(self, path: str, v):  # pragma: no cover - abstract
        raise NotImplementedError

    def parse(self, path: str, text: str):
        """Value of a command-line string (``--set train.lr=0.1``)."""
        return self.check(path, _auto(text))

    def fail(self, path: str, what: str, v):
        raise ConfigError(f"{path}: must be {what}, got {_fmt(v)}")


class Num(_Check):
    def __init__(self, lo=None, hi=None, lo_open=False, hi_open=False, integer=False):
        self.lo, self.hi, self.lo_open, self.hi_open, self.integer = (
            lo,
            hi,
            lo_open,
            hi_open,
            integer,
        )

    def describe(self) -> str:
        noun = "an integer" if self.integer else "a number"
        parts = []

        def num(v):
            return str(int(v)) if self.integer else f"{v:g}"

        if self.lo is not None:
            parts.append(f"{'>' if self.lo_open else '>='} {num(self.lo)}")
        if self.hi is not None:
            parts.append(f"{'<' if self.hi_open else '<='} {num(self.hi)}")
        return noun + ("" if not parts else " " + " and ".join(parts))

    def check(self, path, v):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail(path, self.describe(), v)
        if self.integer and not (isinstance(v, int) or (float(v).is_integer())):
            self.fail(path, self.describe(), v)
        if not math.isfinite(v):
            self.fail(path, self.describe(), v)
        lo_bad = self.lo is not None and (v <= self.lo if self.lo_open else v < self.lo)
        hi_bad = self.hi is not None and (v >= self.hi if self.hi_open else v > self.hi)
        if lo_bad or hi_bad:
            self.fail(path, self.describe(), v)
        return int(v) if self.integer else float(v)


def Int(lo=None, hi=None):
    return Num(lo, hi, integer=True)


class Bool(_Check):
    def check(self, path, v):
        if not isinstance(v, bool):
            self.fail(path, "true or false", v)
        return v


class Str(_Check):
    def check(self, path, v):
        if not isinstance(v, str):
            self.fail(path, "a string", v)
        return v

    def parse(self, path, text):
        return text


class Choice(_Check):
    def __init__(self, choices, normalize=True):
        self._choices = choices
        self.normalize = normalize

    @property
    def choices(self):
        return self._choices() if callable(self._choices) else self._choices

    def check(self, path, v):
        allowed = self.choices
        if not isinstance(v, str):
            raise ConfigError(f"{path}: must be one of {', '.join(allowed)}; got {_fmt(v)}")
        key = v.strip().lower() if self.normalize else v
        if key not in allowed:
            raise ConfigError(f"{path}: unknown {v!r}; allowed: {', '.join(allowed)}")
        return key

    def parse(self, path, text):
        return self.check(path, text)


class IntList(_Check):
    def __init__(self, lo=1, min_len=0, max_len=100):
        self.lo, self.min_len, self.max_len = lo, min_len, max_len

    def check(self, path, v):
        what = f"a list of at most {self.max_len} integers >= {self.lo}" + (
            f" with at least {self.min_len} entries" if self.min_len else ""
        )
        if not isinstance(v, list) or not self.min_len <= len(v) <= self.max_len:
            self.fail(path, what, v)
        for x in v:
            if isinstance(x, bool) or not isinstance(x, int) or x < self.lo:
                self.fail(path, what, v)
        return list(v)


class NumPair(_Check):
    def check(self, path, v):
        ok = (
            isinstance(v, list)
            and len(v) == 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)
            and v[0] < v[1]
        )
        if not ok:
            self.fail(path, "a list [low, high] of two numbers with low < high", v)
        return [float(v[0]), float(v[1])]


class Init(_Check):
    """An initializer name, ``"std0.01"``, or a positive number (normal std)."""

    def check(self, path, v):
        names = _init_names()
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if not (math.isfinite(v) and v > 0):
                raise ConfigError(f"{path}: a numeric init is a std and must be > 0, got {v}")
            return float(v)
        if isinstance(v, str):
            key = v.strip().lower()
            if key in names:
                return key
            try:
                std = parse_std(key)
            except ConfigError:
                std = None
            if std is not None and math.isfinite(std) and std > 0:
                return f"std{std!r}"
        raise ConfigError(
            f"{path}: unknown {_fmt(v)}; allowed: {', '.join(names)}, 'std<number>' or a number > 0"
        )


class Activation(_Check):
    """An activation name, or a list of them (one per hidden layer)."""

    def check(self, path, v):
        allowed = _activation_names()
        items = v if isinstance(v, list) else [v]
        out = []
        for a in items:
            if not isinstance(a, str) or a.strip().lower() not in allowed:
                raise ConfigError(f"{path}: unknown {_fmt(a)}; allowed: {', '.join(allowed)}")
            out.append(a.strip().lower())
        return out if isinstance(v, list) else out[0]

    def parse(self, path, text):
        return self.check(path, text)


class Label(_Check):
    """CSV label column: a name or a 0-based index (negative counts from the end)."""

    def check(self, path, v):
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            self.fail(path, "a column name or integer index", v)
        return v


class Header(_Check):
    """Whether a CSV's line 1 names the columns: ``true``, ``false`` or ``"auto"``."""

    def check(self, path, v):
        if isinstance(v, bool):
            return v
        if isinstance(v, str) and v.strip().lower() == "auto":
            return "auto"
        self.fail(path, 'true, false or "auto"', v)


class Delimiter(_Check):
    """CSV field separator: one character such as ``","``, ``";"`` or ``"\\t"``."""

    def check(self, path, v):
        if not isinstance(v, str) or len(v) != 1 or v in '\r\n"':
            self.fail(path, "one character such as ',' or ';'", v)
        return v

    def parse(self, path, text):
        return self.check(path, text)


class Gradcheck(_Check):
    """``gradcheck = {samples = 3}`` (optional ``tol``, ``atol``, ``h``) or ``true``/``false``.

    ``tol`` (relative), ``atol`` and ``h`` default to :func:`mlplab.gradcheck.gradcheck`'s
    choices for float64."""

    _keys = {
        "samples": Int(1, 1000),
        "tol": Num(0, lo_open=True),
        "atol": Num(0, lo_open=True),
        "h": Num(0, lo_open=True),
    }

    def check(self, path, v):
        out = {"samples": 3, "tol": None, "atol": None, "h": None}
        if isinstance(v, bool):
            return out if v else None
        if not isinstance(v, dict):
            self.fail(path, "true/false or a table {samples = 3, tol = 1e-4, h = 6e-6}", v)
        for k, x in v.items():
            if k not in self._keys:
                raise ConfigError(
                    f"{path}.{_name(k)}: unknown key; allowed: {', '.join(self._keys)}"
                )
            out[k] = self._keys[k].check(f"{path}.{k}", x)
        return out


class Metrics(_Check):
    allowed = ("loss", "acc", "confusion", "per_class")

    def check(self, path, v):
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.fail(path, f"a list of names from {', '.join(self.allowed)}", v)
        for x in v:
            if x not in self.allowed:
                raise ConfigError(f"{path}: unknown {x!r}; allowed: {', '.join(self.allowed)}")
        return list(v)


class Optional_(_Check):
    """``inner`` or the string "none"/"auto" meaning "not set"."""

    def __init__(self, inner, none=("auto", "none")):
        self.inner, self.none = inner, none

    def check(self, path, v):
        if isinstance(v, str) and v.lower() in self.none:
            return None
        return self.inner.check(path, v)


#: Largest learning rate accepted anywhere (files, ``--lr``, ``--set train.lr=``).
MAX_LR = 1000.0

#: The schema: section -> key -> checker.  Defaults are in :data:`DEFAULTS`.
SCHEMA: dict[str, dict[str, _Check]] = {
    "experiment": {
        "name": Str(),
        "description": Str(),
        "title": Str(),
        "seed": Int(0, 2**32 - 1),
        "kind": Choice(("train", "histograms")),
    },
    "data": {
        "source": Choice(("builtin", "idx", "csv")),
        "name": Choice(DATA_NAMES),
        "path": Str(),
        "train_size": Int(1, 100_000_000),
        "test_size": Int(0, 100_000_000),
        "normalize": Bool(),
        "label": Label(),
        "delimiter": Delimiter(),
        "header": Header(),
        "task": Choice(("classification", "regression")),
        "test_fraction": Num(0, 1, lo_open=False, hi_open=True),
        "n": Int(1, 100_000_000),
        "dim": Int(1, 1_000_000),
        "noise": Num(0),
        "standardize": Bool(),
    },
    "model": {
        "sizes": IntList(1, 2),
        "hidden": IntList(1, 0),
        "activation": Activation(),
        "output": Optional_(Activation()),
        "loss": Choice(_loss_names),
        "init": Init(),
        "bias_init": Num(),
        "bias": Bool(),
        "batchnorm": Bool(),
        "bn_momentum": Num(0, 1, hi_open=True),
        "bn_eps": Num(0),
        "bn_running_var": Num(0),
        "layernorm": Bool(),
        "dropout": Num(0, 1, hi_open=True),
        "weight_decay": Num(0),
        "l1": Num(0),
        "dtype": Choice(("float32", "float64")),
    },
    "train": {
        "optimizer": Choice(_optimizer_names),
        "lr": Num(0, MAX_LR, lo_open=True),
        "momentum": Num(0, 1, hi_open=True),
        "beta1": Num(0, 1, hi_open=True),
        "beta2": Num(0, 1, hi_open=True),
        "rho": Num(0, 1, hi_open=True),
        "eps": Num(0, lo_open=True),
        "clipnorm": Num(0, lo_open=True),
        "clipvalue": Num(0, lo_open=True),
        "schedule": Choice(SCHEDULES),
        "step_size": Int(1),
        "gamma": Num(0, 1, lo_open=True),
        "decay_rate": Num(0, 1, lo_open=True),
        "decay_steps": Num(0, lo_open=True),
        "staircase": Bool(),
        "min_lr": Num(0),
        "decay": Num(0),
        "batch_size": Int(1, 10_000_000),
        "epochs": Int(1, 100_000),
        "iterations": Int(1, 10_000_000),
        "sampling": Choice(("shuffle", "replace", "full")),
        "eval_every": Int(1, 10_000_000),
        "eval_on": Choice(("epoch", "epoch_start", "step", "end")),
        "eval_train_size": Int(1, 100_000_000),
        "log_every": Int(1, 10_000_000),
        "seed": Int(0, 2**32 - 1),
        "rng": Choice(("default", "legacy")),
    },
    "eval": {
        "metrics": Metrics(),
        "gradcheck": Gradcheck(),
        "hist_bins": Int(1, 1000),
        "hist_range": Optional_(NumPair()),
    },
}

#: Defaults filled in by :func:`load_spec` (keys absent here default to "not set").
DEFAULTS: dict[str, dict[str, Any]] = {
    "experiment": {"name": "experiment", "description": "", "seed": 0, "kind": "train"},
    "data": {"source": "builtin", "normalize": True, "test_fraction": 0.2, "standardize": False},
    "model": {
        "activation": "relu",
        "loss": "cce",
        "init": "he",
        "bias_init": 0.0,
        "bias": True,
        "batchnorm": False,
        "layernorm": False,
        "dropout": 0.0,
        "weight_decay": 0.0,
        "l1": 0.0,
        "dtype": "float64",
    },
    "train": {
        "optimizer": "sgd",
        "schedule": "constant",
        "batch_size": 100,
        "sampling": "shuffle",
        "eval_on": "epoch",
    },
    "eval": {"metrics": ["loss", "acc"], "gradcheck": None, "hist_bins": 30},
}

#: Where a bare key in ``[variants]`` / overrides lives (first match).
_SEARCH_ORDER = ("model", "train", "data", "eval", "experiment")
_SPECIAL = ("variants", "quick", "search")


def _resolve_key(key: str, where: str) -> tuple[str, str]:
    """``"lr"`` -> ``("train", "lr")``; ``"model.init"`` -> ``("model", "init")``.

    Messages name the key as written (``train.lrr: unknown key``), prefixed by ``where``
    (``variants.``) when it is not empty, like the errors of the file itself.
    """
    pre = f"{where}." if where else ""
    if not isinstance(key, str) or not key:
        raise ConfigError(f"{pre}{_fmt(key)}: not a key; write section.key, e.g. train.lr")
    if "." in key:
        sec, _, k = key.partition(".")
        if sec not in SCHEMA:
            raise ConfigError(
                f"{pre}{_name(key)}: unknown section {_name(sec)!r}; allowed: {', '.join(SCHEMA)}"
            )
        if k not in SCHEMA[sec]:
            raise ConfigError(f"{pre}{_name(key)}: unknown key; allowed: {', '.join(SCHEMA[sec])}")
        return sec, k
    hits = [sec for sec in _SEARCH_ORDER if key in SCHEMA[sec]]
    if not hits:
        allowed = sorted({k for s in SCHEMA.values() for k in s})
        raise ConfigError(f"{pre}{_name(key)}: unknown key; allowed: {', '.join(allowed)}")
    return hits[0], key


def _auto(text: str):
    """Parse a command-line value: TOML literal if it is one (1e-3, true, [1, 2]), else a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_override(key: str, value) -> tuple[str, str, Any]:
    """Check one override ``key = value`` (value may be a command-line string).

    Returns ``(section, key, checked value)``.
    """
    sec, k = _resolve_key(key, "")
    chk = SCHEMA[sec][k]
    path = f"{sec}.{k}"
    if isinstance(value, str):
        return sec, k, chk.parse(path, value)
    return sec, k, chk.check(path, value)


# ---------------------------------------------------------------------------------------------
# Spec
# ---------------------------------------------------------------------------------------------
@dataclass
class Spec:
    """A validated experiment.

    Attributes
    ----------
    sections : dict
        ``{"experiment": {...}, "data": {...}, "model": {...}, "train": {...}, "eval": {...}}``
        with defaults filled in.
    variants : dict path -> list
        ``{"model.init": ["std0.01", "xavier", "he"]}``; several keys form a product.
    labels : list of str or None
        Display names of the variants (one per combination).
    quick : dict path -> value
        Overrides applied by :meth:`quick_spec` (``{"train.iterations": 300}``).
    quick_variants : dict path -> list
        Variant lists replacing :attr:`variants` in quick mode.
    source : Path or None
        The file it was read from.
    """

    sections: dict[str, dict[str, Any]]
    variants: dict[str, list] = field(default_factory=dict)
    labels: list[str] | None = None
    quick: dict[str, Any] = field(default_factory=dict)
    quick_variants: dict[str, list] = field(default_factory=dict)
    source: Path | None = None
    is_quick: bool = False
    variant_mode: str = "product"
    limits: Limits = field(default_factory=lambda: default_limits())

    # -- access ------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.sections["experiment"]["name"]

    @property
    def description(self) -> str:
        return self.sections["experiment"].get("description", "")

    @property
    def seed(self) -> int:
        return self.sections["experiment"]["seed"]

    @property
    def kind(self) -> str:
        return self.sections["experiment"]["kind"]

    @property
    def data(self) -> dict:
        return self.sections["data"]

    @property
    def model(self) -> dict:
        return self.sections["model"]

    @property
    def train(self) -> dict:
        return self.sections["train"]

    @property
    def eval(self) -> dict:
        return self.sections["eval"]

    def get(self, path: str, default=None):
        sec, _, k = path.partition(".")
        return self.sections.get(sec, {}).get(k, default)

    def to_dict(self) -> dict:
        """JSON-able description (for ``RunResult.config``)."""
        d = copy.deepcopy(self.sections)
        if self.variants:
            d["variants"] = copy.deepcopy(self.variants)
            d["variants"]["mode"] = self.variant_mode
            if self.labels:
                d["variants"]["labels"] = list(self.labels)
        d["quick"] = self.is_quick
        if self.source is not None:
            d["source"] = str(self.source)
        return d

    # -- derived specs ---------------------------------------------------------------------------
    def with_overrides(self, overrides: Mapping[str, Any] | None) -> Spec:
        """A new validated spec with ``{"train.lr": 0.1, "epochs": "5", ...}`` applied.

        Keys may be dotted (``section.key``) or bare (looked up in model, train, data, eval,
        experiment); string values are parsed like TOML literals (``"1e-3"``, ``"[100, 100]"``).
        ``"variants.<key>"`` replaces a variant list (``None`` removes it).
        """
        new = copy.deepcopy(self)
        if not overrides:
            return new
        for key, value in overrides.items():
            if key.startswith("variants."):
                vkey = key[len("variants.") :]
                sec, k = _resolve_key(vkey, "variants")
                path = f"{sec}.{k}"
                if value is None:
                    new.variants.pop(path, None)
                else:
                    if isinstance(value, str):
                        value = _auto(value)
                    new.variants[path] = _check_variant_list(path, value)
                new.labels = None
                continue
            sec, k, v = parse_override(key, value)
            new.sections[sec][k] = v
            if sec == "train" and k in ("epochs", "iterations"):  # one replaces the other
                other = "iterations" if k == "epochs" else "epochs"
                new.sections["train"].pop(other, None)
            if sec == "model" and k in ("sizes", "hidden"):
                new.sections["model"].pop("hidden" if k == "sizes" else "sizes", None)
            if new.variants.pop(f"{sec}.{k}", None) is not None:  # a fixed value wins
                new.labels = None
        _cross_check(new.sections, "override", new.limits)
        new._check_variants()
        return new

    def quick_spec(self) -> Spec:
        """The ``--quick`` version: the ``[quick]`` overrides, or a default shrink."""
        if self.is_quick:
            return self
        if self.quick or self.quick_variants:
            over = dict(self.quick)
        else:
            over = _default_shrink(self.sections)
        new = self.with_overrides(over)
        if self.quick_variants:
            new.variants.update(copy.deepcopy(self.quick_variants))
            new.labels = None if len(new.combos()) != len(self.labels or []) else self.labels
            new._check_variants()
        new.is_quick = True
        return new

    def combos(self) -> list[dict[str, Any]]:
        """Variant combinations, each ``{path: value}`` (``[{}]`` without variants)."""
        if not self.variants:
            return [{}]
        keys = list(self.variants)
        if self.variant_mode == "zip":
            return [dict(zip(keys, vals)) for vals in zip(*self.variants.values())]
        return [dict(zip(keys, vals)) for vals in itertools.product(*self.variants.values())]

    def variant_specs(self) -> list[tuple[str, Spec]]:
        """``[(label, spec), ...]``: one fully resolved spec per variant."""
        out = []
        combos = self.combos()
        for i, combo in enumerate(combos):
            if self.labels:
                label = self.labels[i]
            elif combo:
                label = ", ".join(
                    (f"{_short(p)}={_label_value(v)}" if len(combo) > 1 else _label_value(v))
                    for p, v in combo.items()
                )
            else:
                label = self.name
            s = copy.deepcopy(self)
            s.variants, s.labels = {}, None
            for path, v in combo.items():
                sec, _, k = path.partition(".")
                s.sections[sec][k] = v
                if sec == "train" and k in ("epochs", "iterations"):
                    s.sections["train"].pop("iterations" if k == "epochs" else "epochs", None)
            out.append((label, s))
        return out

    def n_combos(self) -> int:
        """Number of variant combinations (without building them)."""
        if not self.variants:
            return 1
        lens = [len(v) for v in self.variants.values()]
        return min(lens) if self.variant_mode == "zip" else math.prod(lens)

    def _check_variants(self):
        n = self.n_combos()
        if n > self.limits.variants:
            raise self.limits.over("variants", f"variants: the lists give {n:,} combinations")
        if self.variant_mode == "zip":
            lens = {p: len(v) for p, v in self.variants.items()}
            if len(set(lens.values())) > 1:
                raise ConfigError(
                    "variants: mode 'zip' needs lists of equal length, got "
                    + ", ".join(f"{_short(p)}: {n}" for p, n in lens.items())
                )
        combos = self.combos()
        if self.labels is not None and len(self.labels) != len(combos):
            raise ConfigError(
                f"variants.labels: must have one name per variant ({len(combos)}), "
                f"got {len(self.labels)}"
            )
        for combo in combos:
            secs = copy.deepcopy(self.sections)
            for path, v in combo.items():
                sec, _, k = path.partition(".")
                secs[sec][k] = v
                if sec == "train" and k in ("epochs", "iterations"):
                    secs["train"].pop("iterations" if k == "epochs" else "epochs", None)
            where = "variants(" + ", ".join(f"{p}={_label_value(v)}" for p, v in combo.items())
            _cross_check(secs, where + ")" if combo else "spec", self.limits)


def _short(path: str) -> str:
    return path.partition(".")[2]


def _label_value(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, list):
        return "-".join(map(str, v))
    return str(v)


def _check_variant_list(path: str, values, where: str = "variants") -> list:
    sec, _, k = path.partition(".")
    if not isinstance(values, list) or not values:
        raise ConfigError(f"{where}.{k}: must be a non-empty list of values, got {_fmt(values)}")
    chk = SCHEMA[sec][k]
    return [chk.check(f"{where}.{k}[{i}]", v) for i, v in enumerate(values)]


def _default_shrink(sections) -> dict:
    """Quick mode without ``[quick]``: small data, few updates."""
    over: dict[str, Any] = {}
    d, t = sections["data"], sections["train"]
    if d.get("name") in ("fashion-mnist", "mnist") or d["source"] in ("idx", "csv"):
        over["data.train_size"] = min(d.get("train_size") or 10**9, 2000)
        over["data.test_size"] = min(d.get("test_size") or 10**9, 1000)
    if t.get("epochs"):
        over["train.epochs"] = min(t["epochs"], 3)
    if t.get("iterations"):
        over["train.iterations"] = min(t["iterations"], 200)
    return over


#: Keys every source takes (some have defaults, so they are always present).
_DATA_KEYS_ALWAYS = (
    "source",
    "name",
    "train_size",
    "test_size",
    "normalize",
    "standardize",
    "test_fraction",
)
_DATA_KEYS = {
    "idx": ("path",),
    "csv": ("path", "label", "delimiter", "header", "task"),
    "mnist": ("path",),
    "fashion-mnist": ("path",),
    "gaussian": ("n", "dim"),
}


def _data_keys(d: dict) -> tuple[str, ...]:
    """The ``[data]`` keys that apply to the data set of ``d``."""
    if d["source"] != "builtin":
        return _DATA_KEYS[d["source"]]
    name = d.get("name")
    if name in _DATA_KEYS:
        return _DATA_KEYS[name]
    return _DATASET_OPTIONS.get(name, ())


def input_dim(d: dict) -> int | None:
    """Features per row of the data of ``d`` when known without reading it."""
    if d["source"] == "builtin":
        if d.get("name") in ("fashion-mnist", "mnist"):
            return 784
        if d.get("name") == "gaussian":
            return d.get("dim", 100)
        return 2
    return None


def model_widths(m: dict, n_in: int, n_out: int) -> list[int]:
    """``[inputs, hidden..., outputs]`` of the MLP of ``[model]`` (``sizes`` wins)."""
    if "sizes" in m:
        return list(m["sizes"])
    return [n_in, *m.get("hidden", []), n_out]


def count_params(m: dict, widths: list[int]) -> int:
    """Weights + biases (+ BatchNorm/LayerNorm γ, β) of the MLP with these widths."""
    n = sum(a * b + (b if m.get("bias", True) else 0) for a, b in zip(widths, widths[1:]))
    if m.get("batchnorm") or m.get("layernorm"):
        n += 2 * sum(widths[1:-1])
    return n


def check_model_size(
    m: dict,
    widths: list[int],
    limits: Limits,
    where: str = "model",
    exact: bool = True,
    note: str = "",
) -> None:
    """Raise the limit error when the MLP of ``widths`` has more than ``limits.params``.

    ``exact=False``: the output width is a lower bound (the data are not read yet).  ``note``
    follows the count, e.g. `` (300 outputs: one per class of data.label)``.
    """
    n = count_params(m, widths)
    if n > limits.params:
        key = "sizes" if "sizes" in m else "hidden"
        shown = "-".join(map(str, widths if exact or key == "sizes" else widths[:-1]))
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        shown += "" if exact or key == "sizes" else "-..."
        need = "needs" if exact else "needs at least"
        raise limits.over("params", f"{where}.{key}: {shown} {need} {n:,} parameters{note}")


def _cross_check(s: dict, where: str, limits: Limits | None = None) -> None:
    """Rules involving several keys, and the resource caps of ``limits``."""
    limits = limits or default_limits()
    d, m, t = s["data"], s["model"], s["train"]
    kind = s["experiment"]["kind"]
    if d["source"] == "builtin" and "name" not in d:
        raise ConfigError(
            f"data.name: required for source 'builtin'; allowed: {', '.join(DATA_NAMES)}"
        )
    if d["source"] in ("idx", "csv") and "path" not in d:
        raise ConfigError(f"data.path: required for source {d['source']!r}")
    if d["source"] == "csv" and "label" not in d:
        raise ConfigError("data.label: required for source 'csv' (a column name or index)")
    if d["source"] != "builtin" and "name" in d:
        raise ConfigError(f"data.name: only used with source 'builtin' (source is {d['source']!r})")
    if "delimiter" in d and d["source"] != "csv":
        raise ConfigError(
            f"data.delimiter: only used with source 'csv' (source is {d['source']!r})"
        )
    if d.get("task") == "regression":
        from ..functions import canonical_loss

        if canonical_loss(m["loss"]) not in ("mse", "half_sse"):
            raise ConfigError(
                f"model.loss: {m['loss']!r} needs class labels, but data.task is 'regression'; "
                "set model.loss = 'mse' (or 'half_sse')"
            )
    if "sizes" in m and "hidden" in m:
        raise ConfigError("model: give either sizes or hidden, not both")
    allowed = _data_keys(d)
    for key in d:
        if key not in _DATA_KEYS_ALWAYS and key not in allowed and key != "delimiter":
            what = (
                f"data set {d['name']!r}" if d["source"] == "builtin" else f"source {d['source']!r}"
            )
            opts = ", ".join(allowed) or "none"
            raise ConfigError(f"data.{key}: not an option of {what} (options: {opts}) ({where})")
    if d["source"] == "builtin" and d.get("name") not in ("fashion-mnist", "mnist"):
        rows = d.get("n", 1000)
        n = rows * (input_dim(d) or 1)
        if n > limits.data:
            raise limits.over("data", f"data.n: the data set holds {n:,} numbers (rows × columns)")
    n_in = input_dim(d) or 1
    n_out = 10 if d.get("name") in ("fashion-mnist", "mnist") else 1
    check_model_size(m, model_widths(m, n_in, n_out), limits, exact=False)
    if kind == "train":
        if ("epochs" in t) == ("iterations" in t):
            raise ConfigError(
                f"train: give exactly one of epochs or iterations ({where}); got "
                + ("both" if "epochs" in t else "neither")
            )
        sched = t.get("schedule", "constant")
        keys = _schedule_keys()
        for key in dict.fromkeys(k for ks in keys.values() for k in ks):
            if key in t and key not in keys[sched]:
                owners = [n for n, ks in keys.items() if key in ks]
                raise ConfigError(
                    f"train.{key}: only used with schedule = {' or '.join(map(repr, owners))}"
                    f" (schedule is {sched!r})"
                )
        missing = [f"train.{k}" for k, required in keys[sched].items() if required and k not in t]
        if missing:
            raise ConfigError(f"{', '.join(missing)}: required for schedule {sched!r}")
        own = {
            "momentum": ("momentum", "nesterov"),
            "beta1": ("adam", "amsgrad"),
            "beta2": ("adam", "amsgrad"),
            "rho": ("rmsprop",),
            "eps": ("adagrad", "rmsprop", "adam", "amsgrad"),
        }
        for key, opts in own.items():
            if key in t and t["optimizer"] not in opts:
                raise ConfigError(
                    f"train.{key}: not an option of optimizer {t['optimizer']!r} ({where});"
                    f" it belongs to {', '.join(opts)}"
                )
    else:  # histograms
        if d.get("name") != "gaussian":
            raise ConfigError("data.name: kind 'histograms' needs data.name = 'gaussian'")
    if m.get("batchnorm") and m.get("layernorm"):
        raise ConfigError("model: batchnorm and layernorm cannot both be true")


# ---------------------------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------------------------
def _flatten_quick(q: dict, where="quick") -> tuple[dict, dict]:
    """``[quick]`` table -> (overrides {path: value}, variant lists {path: list})."""
    over, variants = {}, {}
    for key, v in q.items():
        if key == "variants":
            if not isinstance(v, dict):
                raise ConfigError(f"{where}.variants: must be a table of lists")
            for vk, vals in v.items():
                sec, k = _resolve_key(vk, f"{where}.variants")
                variants[f"{sec}.{k}"] = _check_variant_list(
                    f"{sec}.{k}", vals, f"{where}.variants"
                )
        elif key in SCHEMA and isinstance(v, dict):
            for k, x in v.items():
                sec, kk, val = parse_override(f"{key}.{k}", x)
                over[f"{sec}.{kk}"] = val
        else:
            sec, kk, val = parse_override(key, v)
            over[f"{sec}.{kk}"] = val
    return over, variants


def load_spec(
    path_or_text, overrides: Mapping[str, Any] | None = None, limits: Limits | None = None
) -> Spec:
    """Read and validate an experiment file (or TOML text).

    Parameters
    ----------
    path_or_text : str or Path
        A ``.toml`` file, or the TOML text itself (a string containing a newline or ``[``).
    overrides : dict, optional
        Applied after loading (see :meth:`Spec.with_overrides`).
    limits : Limits, optional
        Resource caps (default :class:`Limits`).

    Returns
    -------
    Spec

    Raises
    ------
    ConfigError
        Syntax errors (with the line), unknown sections/keys, wrong types, out-of-range
        values, inconsistent settings, sizes over ``limits`` -- always before anything runs.
    """
    source = None
    if isinstance(path_or_text, Path) or (
        isinstance(path_or_text, str) and "\n" not in path_or_text and "[" not in path_or_text
    ):
        source = Path(path_or_text)
        raw = read_toml(source)
    elif isinstance(path_or_text, str):
        raw = parse_toml(path_or_text, "<text>")
    else:
        raise ConfigError(f"load_spec needs a path or TOML text, got {type(path_or_text).__name__}")
    limits = limits or default_limits()

    sections = {sec: dict(vals) for sec, vals in DEFAULTS.items()}
    for sec, body in raw.items():
        if sec not in SCHEMA and sec not in _SPECIAL:
            raise ConfigError(
                f"[{_name(sec)}]: unknown section; allowed: {', '.join(tuple(SCHEMA) + _SPECIAL)}"
            )
        if not isinstance(body, dict):
            raise ConfigError(f"{_name(sec)}: must be a [table], got {_fmt(body)}")
        if sec in _SPECIAL:
            continue
        for k, v in body.items():
            if k not in SCHEMA[sec]:
                raise ConfigError(
                    f"{sec}.{_name(k)}: unknown key; allowed: {', '.join(SCHEMA[sec])}"
                )
            sections[sec][k] = SCHEMA[sec][k].check(f"{sec}.{k}", v)
    if source is not None and "name" not in raw.get("experiment", {}):
        sections["experiment"]["name"] = source.stem
    _cross_check_optional(sections)

    variants, labels, mode = {}, None, "product"
    for k, v in raw.get("variants", {}).items():
        if k == "labels":
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise ConfigError(f"variants.labels: must be a list of strings, got {_fmt(v)}")
            labels = list(v)
            continue
        if k == "mode":
            mode = Choice(("product", "zip")).check("variants.mode", v)
            continue
        sec, kk = _resolve_key(k, "variants")
        if sec == "experiment":
            raise ConfigError(f"variants.{k}: [experiment] keys cannot vary")
        variants[f"{sec}.{kk}"] = _check_variant_list(f"{sec}.{kk}", v)
    quick, quick_variants = _flatten_quick(raw.get("quick", {}))

    spec = Spec(
        sections, variants, labels, quick, quick_variants, source, variant_mode=mode, limits=limits
    )
    # validate the base spec and every variant, then the quick version
    spec._check_variants()
    spec.quick_spec()
    if overrides:
        spec = spec.with_overrides(overrides)
    return spec


def _cross_check_optional(sections) -> None:
    """Checks that do not depend on variants (run once at load)."""
    m = sections["model"]
    if "sizes" in m and len(m["sizes"]) < 2:  # pragma: no cover - IntList enforces it
        raise ConfigError("model.sizes: needs at least [inputs, outputs]")
