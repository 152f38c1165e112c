"""Registry of built-in runs: ``mlplab run NAME`` and ``mlplab list``.

A run is a function ``fn(opts: dict) -> RunResult``. It prints nothing itself; it returns the
text the seed printed (``RunResult.text``), its numbers (``metrics``, JSON-able), the figures it
draws (``figures``: name -> matplotlib Figure, optional) and the full configuration it used
(``config``), so the CLI can print, write ``--out DIR`` and build the report.

Register with::

    @register("apple", summary="DLfS ch.5 computational graph: 220, gradients 2.2/110/200",
              options=[Option("apple", float, 100.0, "price of one apple")])
    def apple(opts): ...

``opts`` holds every option (defaults filled in) plus ``seed`` (int), ``quick`` (bool),
``format`` (``"text"``, ``"markdown"`` or ``"latex"``), ``lang`` (``"en"`` or ``"ko"``: the
language of every line that teaches, of figure text and captions) and ``figures`` (bool:
``False`` under ``--no-save``, so nothing is drawn that would be thrown away).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import i18n
from ..errors import ConfigError


@dataclass
class Option:
    """One command-line knob of a run (``--lr 0.1``)."""

    name: str
    type: type | Callable[[str], Any]
    default: Any
    help: str = ""
    choices: tuple | None = None


@dataclass
class RunResult:
    """What a run produced.

    ``status`` is ``"ok"``, ``"failed"`` (every variant diverged: ``mlplab run`` exits 1) or
    ``"interrupted"`` (Ctrl-C: what finished is kept, ``mlplab run`` exits 130).
    """

    name: str
    text: str
    metrics: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    series: dict[str, list[float]] = field(default_factory=dict)
    #: figure name -> a caption in words (in the run's language), shown under the figure
    captions: dict[str, str] = field(default_factory=dict)
    #: where the course material is wrong, in the run's language (printed and in the report)
    errata: list[str] = field(default_factory=list)
    #: the language the run's text, figures and report are in ("en" or "ko")
    lang: str = "en"
    status: str = "ok"


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run: a KeyboardInterrupt that carries what finished (``result``)."""

    def __init__(self, result: RunResult):
        super().__init__("interrupted")
        self.result = result


@dataclass
class RunSpec:
    name: str
    fn: Callable[[dict], RunResult]
    summary: str
    options: list[Option]
    seed: str = ""


_RUNS: dict[str, RunSpec] = {}


def register(name: str, summary: str, options: list[Option] | None = None, seed: str = ""):
    """Decorator adding a built-in run under ``name``."""

    def deco(fn):
        _RUNS[name] = RunSpec(name, fn, summary, list(options or []), seed)
        return fn

    return deco


def _translated(keys, english: str, lang: str) -> str:
    """The first message of ``keys`` whose English is ``english``, in ``lang``; else ``english``.

    (A message whose English no longer matches is not used: Korean never describes other
    English.  Tests check that every built-in run has its messages.)
    """
    for key in keys:
        if i18n.has(key) and i18n.t(key) == english:
            return i18n.t(key, lang)
    return english


def run_summary(name: str, english: str, lang: str = "en") -> str:
    """The one-line summary of built-in run or search ``name`` (message ``summary.NAME``)."""
    return _translated([f"summary.{name}"], english, lang)


def option_help(run: str, opt: Option, lang: str = "en") -> str:
    """The help of option ``opt`` of ``run`` (message ``opt.RUN.NAME``, else ``opt.NAME``)."""
    return _translated([f"opt.{run}.{opt.name}", f"opt.{opt.name}"], opt.help, lang)


def _load_builtin_modules() -> None:
    # Importing the modules registers their runs.
    import importlib

    for mod in (
        "lessons_notebook",
        "lessons_backprop",
        "lessons_graph",
        "lessons_basics",
        "lessons_keras",
        "lessons_concepts",
        "lessons_regularization",
        "classic",
    ):
        try:
            importlib.import_module(f"{__package__}.{mod}")
        except ModuleNotFoundError as exc:  # a module not written yet
            if exc.name != f"{__package__}.{mod}":
                raise


def all_runs() -> dict[str, RunSpec]:
    _load_builtin_modules()
    return dict(sorted(_RUNS.items()))


def get_run(name: str) -> RunSpec:
    runs = all_runs()
    if name not in runs:
        raise ConfigError(
            f"unknown run {name!r}; choose one of: {', '.join(runs)} (or a .toml file)"
        )
    return runs[name]


#: Run options that mean what an experiment-file key means are checked by that key's rule
#: (one validation for ``--lr`` and ``train.lr``, ``--seed`` and ``experiment.seed``, ...).
SHARED_KEYS = {
    "lr": "train.lr",
    "mlp_lr": "train.lr",
    "epochs": "train.epochs",
    "mlp_epochs": "train.epochs",
    "batch_size": "train.batch_size",
    "iterations": "train.iterations",
    "seed": "experiment.seed",
    "n": "data.n",
}


def option_check(name: str, opt: Option | None):
    """The checker of run option ``name`` (see :data:`SHARED_KEYS`); None: no check."""
    from .spec import SCHEMA, Int, Num

    if name in SHARED_KEYS:
        sec, _, key = SHARED_KEYS[name].partition(".")
        return SCHEMA[sec][key]
    if name == "hidden":
        return Int(1, 10_000)
    typ = None if opt is None else opt.type
    if typ is int:
        return Int(0, 10_000_000)
    if typ is float:
        return Num()  # any finite number
    return None


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def resolve_options(spec: RunSpec, given: dict[str, Any], where=_flag) -> dict[str, Any]:
    """Fill defaults and check values; ``given`` holds only options the user set.

    ``where(name)`` names an option in messages (``--lr`` on the command line,
    ``options.lr`` in a run file).
    """
    opts = {o.name: o.default for o in spec.options}
    by_name = {o.name: o for o in spec.options}
    known = set(opts) | {"seed", "quick", "format", "lang", "figures"}
    for k, v in given.items():
        if k not in known:
            raise ConfigError(f"run {spec.name!r} has no option {k!r}; allowed: {sorted(known)}")
        if v is not None and not isinstance(v, bool):
            chk = option_check(k, by_name.get(k))
            if chk is not None:
                v = chk.check(where(k), v)
        opts[k] = v
    for o in spec.options:
        if o.choices is not None and opts[o.name] not in o.choices:
            raise ConfigError(
                f"{where(o.name)} must be one of {', '.join(map(str, o.choices))};"
                f" got {opts[o.name]!r}"
            )
    opts.setdefault("seed", None)
    opts.setdefault("quick", False)
    opts.setdefault("format", "text")
    opts.setdefault("lang", "en")
    opts.setdefault("figures", True)
    return opts
