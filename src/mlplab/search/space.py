"""The ``[search]`` table of an experiment file: search space, sampler, budget, metric.

::

    [search]
    sampler = "random"        # grid | random | tpe
    trials = 100              # budget: finished trials (complete, pruned or failed)
    timeout = 600             # seconds, optional: no new trial starts after it
    metric = "val_acc"        # val_acc | val_loss | train_acc | train_loss (test_* = val_*)
    direction = "maximize"    # default: maximize accuracies, minimize losses
    seed = 0
    pruner = "none"           # none | median | halving (on the per-epoch metric)
    validation = 0.2          # hold out this fraction of the training rows (0: the test set)
    top_k = 20                # leaderboard / Best-k learning curves
    quick = { trials = 4 }    # --quick: overrides of this table

    [search.space]
    "train.lr" = { low = 1e-6, high = 1e-2, log = true }     # a range (log-uniform)
    "model.weight_decay" = { low = 1e-8, high = 1e-4, log = true }
    "model.activation" = ["relu", "tanh"]                   # a choice (list)
    "model.hidden" = { choices = [[100], [100, 100]] }       # a choice (explicit)
    "train.batch_size" = { low = 32, high = 256, log = true } # integer key: integer range

Keys are dotted paths into the experiment spec (``section.key``), checked against its
schema, as every value or bound is.  With ``sampler = "grid"`` every range needs
``points = N`` (N values, evenly spaced, geometrically when ``log = true``) or ``step``
(integer ranges).

:func:`load_search_file` reads a file (or TOML text) and returns ``(Spec, SearchConfig)``;
the ``[search]`` table is removed before :func:`mlplab.experiments.spec.load_spec` sees the
rest, so an experiment file with a search table is still a normal experiment file.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..experiments.spec import _name

__all__ = [
    "FloatRange",
    "IntRange",
    "Categorical",
    "SearchConfig",
    "parse_search",
    "load_search_file",
    "toml_dumps",
    "SAMPLERS",
    "PRUNERS",
    "METRICS",
]

SAMPLERS = ("grid", "random", "tpe")
#: Most values of one range on a grid (the whole grid is capped by ``--limit variants``).
MAX_POINTS = 10_000
PRUNERS = ("none", "median", "halving")
#: Metric names -> the Trainer's evaluation key (``test_*`` are aliases of ``val_*``).
METRICS = {
    "val_acc": "val_acc",
    "val_loss": "val_loss",
    "train_acc": "train_acc",
    "train_loss": "train_loss",
    "test_acc": "val_acc",
    "test_loss": "val_loss",
}
_SEARCH_KEYS = (
    "sampler",
    "trials",
    "timeout",
    "metric",
    "direction",
    "seed",
    "pruner",
    "validation",
    "top_k",
    "space",
    "quick",
)


def _fmt(v) -> str:
    return repr(v) if isinstance(v, str) else json.dumps(v)


# ---------------------------------------------------------------------------------------------
# hyperparameter kinds
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FloatRange:
    """``low <= x <= high`` (log-uniform when ``log``); ``points`` values on a grid."""

    path: str
    low: float
    high: float
    log: bool = False
    points: int | None = None

    def grid_size(self) -> int:
        if self.points is None:
            raise ConfigError(
                f"search.space.{self.path}: the grid sampler needs a list or points = N for a range"
            )
        return self.points

    def grid(self) -> list:
        import numpy as np

        self.grid_size()
        f = np.geomspace if self.log else np.linspace
        return [float(v) for v in f(self.low, self.high, self.points)]

    def suggest(self, trial):
        return trial.suggest_float(self.path, self.low, self.high, log=self.log)


@dataclass(frozen=True)
class IntRange:
    """Integer range ``low..high`` (log-uniform when ``log``, or every ``step``)."""

    path: str
    low: int
    high: int
    log: bool = False
    step: int | None = None
    points: int | None = None

    def grid_size(self) -> int:
        """Points of the grid (an upper bound for ``points``), without making them."""
        if self.step is not None:
            return len(range(self.low, self.high + 1, self.step))
        if self.points is None:
            raise ConfigError(
                f"search.space.{self.path}: the grid sampler needs a list, step = S or "
                "points = N for a range"
            )
        return self.points

    def grid(self) -> list:
        import numpy as np

        self.grid_size()
        if self.step is not None:
            return list(range(self.low, self.high + 1, self.step))
        f = np.geomspace if self.log else np.linspace
        return sorted({int(round(v)) for v in f(self.low, self.high, self.points)})

    def suggest(self, trial):
        return trial.suggest_int(self.path, self.low, self.high, step=self.step or 1, log=self.log)


def encode_value(v):
    """Optuna categoricals hold None/bool/int/float/str: lists become JSON text."""
    return json.dumps(v) if isinstance(v, (list, dict)) else v


@dataclass(frozen=True)
class Categorical:
    """One of ``values`` (any TOML values: lists are passed to Optuna as JSON text)."""

    path: str
    values: tuple

    def grid(self) -> list:
        return list(self.values)

    def grid_size(self) -> int:
        return len(self.values)

    def encoded(self) -> list:
        return [encode_value(v) for v in self.values]

    def decode(self, v):
        for raw in self.values:
            if encode_value(raw) == v:
                return copy.deepcopy(raw)
        return v

    def suggest(self, trial):
        return self.decode(trial.suggest_categorical(self.path, self.encoded()))


Param = FloatRange | IntRange | Categorical


@dataclass
class SearchConfig:
    """A validated ``[search]`` table.

    Attributes
    ----------
    space : dict path -> FloatRange | IntRange | Categorical
    sampler, pruner, metric, direction : str
    trials : int
        Budget of finished trials (complete + pruned + failed).
    timeout : float or None
        Seconds after which no new trial starts.
    seed : int
    validation : float
        Fraction of the training rows held out as validation set (0: the test set).
    top_k : int
    quick : dict
        Overrides of this table applied by ``--quick``.
    """

    space: dict[str, Param]
    sampler: str = "random"
    trials: int = 20
    timeout: float | None = None
    metric: str = "val_acc"
    direction: str = "maximize"
    seed: int = 0
    pruner: str = "none"
    validation: float = 0.0
    top_k: int = 20
    quick: dict = field(default_factory=dict)

    @property
    def eval_key(self) -> str:
        """The Trainer's evaluation key of :attr:`metric`."""
        return METRICS[self.metric]

    def decode(self, params: dict) -> dict:
        """A trial's Optuna parameters as experiment values (categorical lists back from JSON)."""
        out = {}
        for k, v in params.items():
            p = self.space.get(k)
            out[k] = p.decode(v) if isinstance(p, Categorical) else v
        return out

    def grid_size(self) -> int:
        """Points of the grid, counted without making them."""
        return math.prod(p.grid_size() for p in self.space.values())

    def check_grid_size(self, limits=None) -> int:
        """Raise the ``variants`` limit error when the grid is larger than the cap."""
        from ..experiments.spec import default_limits

        limits = limits or default_limits()
        n = self.grid_size()
        if n > limits.variants:
            raise limits.over("variants", f"search.space: the grid has {n:,} points")
        return n

    def check_trials(self, limits=None) -> None:
        """Raise the ``variants`` limit error when more trials are asked than the cap (a
        search of 10**20 trials would never end; ``--limit variants=N`` allows more)."""
        from ..experiments.spec import default_limits

        limits = limits or default_limits()
        if self.trials is not None and self.trials > limits.variants:
            raise limits.over("variants", f"trials: {self.trials:,} trials")

    def grid_points(self) -> list[dict[str, Any]]:
        """Every point of the grid (Cartesian product, in order)."""
        self.check_grid_size()
        keys = list(self.space)
        values = [self.space[k].grid() for k in keys]
        return [dict(zip(keys, combo)) for combo in itertools.product(*values)]

    def with_overrides(self, **kw) -> SearchConfig:
        """A copy with ``trials``, ``timeout``, ``seed``, ``sampler`` or ``pruner`` replaced."""
        new = copy.deepcopy(self)
        raw = {k: v for k, v in kw.items() if v is not None}
        for k, v in raw.items():
            _check_scalar(k, v)
            setattr(new, k, float(v) if k == "timeout" else v)
        if new.sampler == "grid":
            new.check_grid_size()  # every range must be griddable, and not too large
        return new

    def fingerprint(self) -> str:
        """What identifies the study (not the budget): space, sampler, metric, seed, pruner."""
        d = {
            "space": {k: _param_dict(p) for k, p in self.space.items()},
            "sampler": self.sampler,
            "metric": self.metric,
            "direction": self.direction,
            "seed": self.seed,
            "pruner": self.pruner,
            "validation": self.validation,
        }
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:10]

    def to_dict(self) -> dict:
        return {
            "sampler": self.sampler,
            "trials": self.trials,
            "timeout": self.timeout,
            "metric": self.metric,
            "direction": self.direction,
            "seed": self.seed,
            "pruner": self.pruner,
            "validation": self.validation,
            "top_k": self.top_k,
            "space": {k: _param_dict(p) for k, p in self.space.items()},
        }


def _param_dict(p: Param) -> dict:
    if isinstance(p, Categorical):
        return {"choices": list(p.values)}
    d = {"low": p.low, "high": p.high, "log": p.log}
    for k in ("step", "points"):
        if getattr(p, k, None) is not None:
            d[k] = getattr(p, k)
    return d


# ---------------------------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------------------------
def _check_scalar(key: str, v):
    where = f"search.{key}"
    num = isinstance(v, (int, float)) and not isinstance(v, bool)
    if key == "sampler" and v not in SAMPLERS:
        raise ConfigError(f"{where}: unknown {_fmt(v)}; allowed: {', '.join(SAMPLERS)}")
    if key == "pruner" and v not in PRUNERS:
        raise ConfigError(f"{where}: unknown {_fmt(v)}; allowed: {', '.join(PRUNERS)}")
    if key == "metric" and v not in METRICS:
        raise ConfigError(f"{where}: unknown {_fmt(v)}; allowed: {', '.join(METRICS)}")
    if key == "direction" and v not in ("maximize", "minimize"):
        raise ConfigError(f"{where}: must be 'maximize' or 'minimize', got {_fmt(v)}")
    if key in ("trials", "top_k") and not (num and float(v).is_integer() and v >= 1):
        raise ConfigError(f"{where}: must be an integer >= 1, got {_fmt(v)}")
    if key == "seed" and not (num and float(v).is_integer() and 0 <= v < 2**32):
        raise ConfigError(f"{where}: must be an integer in [0, 2**32), got {_fmt(v)}")
    if key == "timeout" and not (num and math.isfinite(v) and v > 0):
        raise ConfigError(f"{where}: must be a number of seconds > 0, got {_fmt(v)}")
    if key == "validation" and not (num and 0 <= v < 1):
        raise ConfigError(f"{where}: must be a fraction in [0, 1), got {_fmt(v)}")


def _parse_param(path: str, raw, schema) -> Param:
    where = f"search.space.{_name(path)}"
    sec, dot, key = path.partition(".")
    if not dot or sec not in schema or sec == "experiment":
        allowed = ", ".join(s for s in schema if s != "experiment")
        raise ConfigError(
            f"{where}: unknown hyperparameter; use a dotted path section.key "
            f"with section one of {allowed}"
        )
    if key not in schema[sec]:
        raise ConfigError(
            f"{where}: unknown hyperparameter; allowed keys of [{sec}]: {', '.join(schema[sec])}"
        )
    chk = schema[sec][key]
    if isinstance(raw, dict) and "choices" in raw:
        extra = set(raw) - {"choices"}
        if extra:
            raise ConfigError(f"{where}: a choice takes only 'choices', got {sorted(extra)}")
        raw = raw["choices"]
    if isinstance(raw, list):
        if not raw:
            raise ConfigError(f"{where}: empty list; give at least one value")
        if len(raw) > MAX_POINTS:
            raise ConfigError(f"{where}: at most {MAX_POINTS} choices, got {len(raw)}")
        vals = tuple(chk.check(f"{where}[{i}]", v) for i, v in enumerate(raw))
        if len({json.dumps(v, sort_keys=True) for v in vals}) != len(vals):
            raise ConfigError(f"{where}: repeated values in {_fmt(list(raw))}")
        return Categorical(path, vals)
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{where}: must be a list of values or a range {{low = ..., high = ...}}, "
            f"got {_fmt(raw)}"
        )
    extra = set(raw) - {"low", "high", "log", "step", "points"}
    if extra or "low" not in raw or "high" not in raw:
        raise ConfigError(
            f"{where}: a range needs low and high (optional log, step, points), "
            f"got keys {sorted(raw)}"
        )
    low, high, log = raw["low"], raw["high"], raw.get("log", False)
    for name, v in (("low", low), ("high", high)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ConfigError(f"{where}.{name}: must be a finite number, got {_fmt(v)}")
    if not isinstance(log, bool):
        raise ConfigError(f"{where}.log: must be true or false, got {_fmt(log)}")
    if low > high:
        raise ConfigError(f"{where}: low must be < high, got low = {low}, high = {high}")
    if low == high:
        raise ConfigError(f"{where}: empty range (low = high = {low}); use a list for one value")
    if log and low <= 0:
        raise ConfigError(f"{where}: a log range needs low > 0, got low = {low}")
    integer = getattr(chk, "integer", None)
    if integer is None:
        raise ConfigError(f"{where}: is not numeric; give a list of values")
    chk.check(f"{where}.low", low)  # the bounds must be legal values of the key
    chk.check(f"{where}.high", high)
    points = raw.get("points")
    if points is not None and (
        isinstance(points, bool) or not isinstance(points, int) or not 2 <= points <= MAX_POINTS
    ):
        raise ConfigError(
            f"{where}.points: must be an integer >= 2 and <= {MAX_POINTS}, got {_fmt(points)}"
        )
    if integer:
        step = raw.get("step")
        if step is not None and (isinstance(step, bool) or not isinstance(step, int) or step < 1):
            raise ConfigError(f"{where}.step: must be an integer >= 1, got {_fmt(step)}")
        if step is not None and log:
            raise ConfigError(f"{where}: step and log = true cannot be combined")
        return IntRange(path, int(low), int(high), log, step, points)
    if "step" in raw:
        raise ConfigError(f"{where}.step: only for integer keys; use points = N for a grid")
    return FloatRange(path, float(low), float(high), log, points)


def parse_search(table: dict, spec=None) -> SearchConfig:
    """Validate a ``[search]`` table (a dict) against the experiment schema.

    Parameters
    ----------
    table : dict
        The TOML table.
    spec : Spec, optional
        When given, ``metric`` is checked against its data (a ``val_*`` metric needs a
        validation fraction or a test set).

    Raises
    ------
    ConfigError
        One line naming the key and what is allowed.
    """
    from ..experiments.spec import SCHEMA

    if not isinstance(table, dict):
        raise ConfigError(f"search: must be a [search] table, got {_fmt(table)}")
    for k in table:
        if k not in _SEARCH_KEYS:
            raise ConfigError(f"search.{_name(k)}: unknown key; allowed: {', '.join(_SEARCH_KEYS)}")
    space_raw = table.get("space")
    if not isinstance(space_raw, dict) or not space_raw:
        raise ConfigError(
            "search.space: give at least one hyperparameter, e.g. "
            '"train.lr" = { low = 1e-4, high = 1e-1, log = true }'
        )
    space = {path: _parse_param(path, raw, SCHEMA) for path, raw in space_raw.items()}
    kw: dict[str, Any] = {}
    for k in ("sampler", "trials", "timeout", "metric", "direction", "seed", "pruner"):
        if k in table:
            _check_scalar(k, table[k])
            kw[k] = table[k]
    for k in ("validation", "top_k"):
        if k in table:
            _check_scalar(k, table[k])
            kw[k] = table[k]
    if "metric" not in kw and spec is not None and spec.data.get("task") == "regression":
        kw["metric"] = "val_loss"  # a regression has no accuracy
    if "direction" not in kw:
        kw["direction"] = "maximize" if kw.get("metric", "val_acc").endswith("acc") else "minimize"
    quick = table.get("quick", {})
    if not isinstance(quick, dict):
        raise ConfigError(f"search.quick: must be a table, got {_fmt(quick)}")
    for k, v in quick.items():
        if k not in ("trials", "timeout", "top_k"):
            raise ConfigError(
                f"search.quick.{_name(k)}: unknown key; allowed: trials, timeout, top_k"
            )
        _check_scalar(k, v)
    cfg = SearchConfig(space=space, quick=dict(quick), **kw)
    if cfg.timeout is not None:
        cfg.timeout = float(cfg.timeout)
    cfg.validation = float(cfg.validation)
    if cfg.sampler == "grid":
        n = cfg.check_grid_size()
        if "trials" not in table:
            cfg.trials = n
    if spec is not None:
        check_against_spec(cfg, spec)
    return cfg


def check_against_spec(cfg: SearchConfig, spec) -> None:
    """Cross-checks of search table and experiment (every hyperparameter value must apply)."""
    if spec.kind != "train":
        raise ConfigError("search: needs an experiment of kind 'train'")
    if spec.data.get("task") == "regression" and cfg.eval_key.endswith("_acc"):
        raise ConfigError(
            f"search.metric: {cfg.metric!r} is an accuracy, but data.task is 'regression'; "
            "use 'val_loss' or 'train_loss'"
        )
    if cfg.eval_key.startswith("val_") and cfg.validation == 0 and spec.data.get("test_size") == 0:
        raise ConfigError(
            f"search.metric: {cfg.metric!r} needs validation data; set search.validation "
            "(e.g. 0.2) or data.test_size > 0"
        )
    # every single value must give a valid spec (e.g. train.momentum needs optimizer momentum)
    for path, p in cfg.space.items():
        values = p.values if isinstance(p, Categorical) else (p.low, p.high)
        for v in values:
            try:
                spec.with_overrides({path: v})
            except ConfigError as exc:
                raise ConfigError(f"search.space.{path} = {_fmt(v)}: {exc}") from None


# ---------------------------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------------------------
def toml_dumps(tables: dict[str, dict], header: str = "") -> str:
    """``{section: {key: value}}`` as TOML text (written by ``tomli-w``), after ``# header`` lines.

    ``None`` values ("not set") are left out: TOML has no null.
    """
    import tomli_w

    body = {sec: {k: v for k, v in t.items() if v is not None} for sec, t in tables.items()}
    lines = "".join(f"# {h}\n" for h in header.splitlines())
    return lines + ("\n" if lines else "") + tomli_w.dumps(body)


def builtin_search_files() -> dict[str, Path]:
    """Packaged experiment files that have a ``[search]`` table (name -> path)."""
    files = Path(__file__).resolve().parent.parent / "experiments" / "files"
    out = {}
    for p in sorted(files.glob("*.toml")):
        if "[search" in p.read_text(encoding="utf-8"):
            out[p.stem] = p
    return out


def load_search_file(path_or_text, overrides: dict | None = None, quick: bool = False):
    """Read an experiment file with a ``[search]`` table.

    Parameters
    ----------
    path_or_text : str or Path
        A ``.toml`` file, a built-in name (``"random-search"``) or TOML text.
    overrides : dict, optional
        Experiment overrides (``{"data.name": "mnist", ...}``) applied before validation of
        the search space.
    quick : bool
        Apply the experiment's ``[quick]`` and the search table's ``quick`` overrides.

    Returns
    -------
    (Spec, SearchConfig)
    """
    from ..experiments.spec import load_spec, parse_toml, read_toml

    source = None
    if isinstance(path_or_text, Path) or (
        isinstance(path_or_text, str) and "\n" not in path_or_text and "[" not in path_or_text
    ):
        source = Path(path_or_text)
        if not source.is_file():
            builtin = builtin_search_files()
            if str(path_or_text) in builtin:
                source = builtin[str(path_or_text)]
            else:
                names = ", ".join(builtin) or "(none)"
                raise ConfigError(
                    f"search file {str(path_or_text)!r} does not exist; built-in: {names}"
                )
        raw = read_toml(source, "search file")
    else:
        raw = parse_toml(str(path_or_text), "<text>")
    where = str(source) if source else "<text>"
    if "search" not in raw:
        raise ConfigError(f"{where}: no [search] table; add [search] and [search.space]")
    table = raw.pop("search")
    if "variants" in raw:
        raise ConfigError(f"{where}: [variants] and [search] cannot be combined")
    quick_tbl = raw.pop("quick", None)
    rest = toml_dumps({k: v for k, v in raw.items() if isinstance(v, dict)})
    if quick_tbl is not None:
        rest += toml_dumps({"quick": _flatten(quick_tbl)})
    if source is not None and "name" not in raw.get("experiment", {}):
        rest = rest.replace("[experiment]\n", f"[experiment]\nname = {json.dumps(source.stem)}\n")
        if "[experiment]" not in rest:
            rest = f"[experiment]\nname = {json.dumps(source.stem)}\n\n" + rest
    spec = load_spec(rest)
    spec.source = source
    if overrides:
        spec = spec.with_overrides(overrides)
    if quick:
        spec = spec.quick_spec()
    cfg = parse_search(table, spec)  # checked against the spec (quick changes no rule of it)
    if quick and cfg.quick:
        cfg = cfg.with_overrides(**cfg.quick)
    return spec, cfg


def _flatten(q: dict, prefix: str = "") -> dict:
    """``{"data": {"train_size": 5}}`` -> ``{"data.train_size": 5}`` (``[quick]`` keys)."""
    out = {}
    for k, v in q.items():
        if isinstance(v, dict) and k != "variants":
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out
