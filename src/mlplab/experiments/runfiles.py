"""Run files: any built-in run as a small TOML file a user can copy and edit.

The classic experiments are full experiment files (``files/*.toml``).  The seed lessons are code
with options; their files (``files/lessons/NAME.toml``) name the run and set its options::

    [run]
    name = "notebook-231"
    seed = 317

    [options]
    gradient = "numerical"
    # lr = 0.01          (unset: the seed's four cases)

``mlplab run my-notebook.toml`` runs it exactly like ``mlplab run notebook-231 --gradient
numerical``.  :func:`write_lesson_files` regenerates the packaged files from the registry.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from .registry import Option, RunResult, all_runs, get_run, option_check, resolve_options
from .spec import _name, read_toml

LESSONS_DIR = Path(__file__).with_name("files") / "lessons"


def lesson_files() -> dict[str, Path]:
    """Name -> path of every packaged lesson run file."""
    return {p.stem: p for p in sorted(LESSONS_DIR.glob("*.toml"))}


def is_run_file(path: Path) -> bool:
    """True if the TOML file has a ``[run]`` table (a lesson run file, not an experiment spec)."""
    try:
        data = read_toml(path)
    except ConfigError:
        return False
    return isinstance(data.get("run"), dict)


def _coerce(opt: Option, value, where: str):
    if opt.type is bool or isinstance(opt.default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: must be true or false, got {value!r}")
        return value
    if opt.type is str and not isinstance(value, str):
        raise ConfigError(f"{where}: must be a string, got {value!r}")
    if opt.type is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(f"{where}: must be an integer, got {value!r}")
    if opt.type is float and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ConfigError(f"{where}: must be a number, got {value!r}")
    try:
        return opt.type(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: cannot use {value!r}") from None


def load_run_file(path) -> tuple[str, dict]:
    """Read a run file: ``(run name, options given)``; one-line ConfigError on any problem."""
    path = Path(path)
    data = read_toml(path, "run file")
    unknown = set(data) - {"run", "options"}
    if unknown:
        raise ConfigError(f"[{_name(sorted(unknown)[0])}]: unknown section; allowed: run, options")
    run = data.get("run", {})
    extra = set(run) - {"name", "seed", "quick"}
    if extra:
        raise ConfigError(f"run.{_name(sorted(extra)[0])}: unknown key; allowed: name, seed, quick")
    name = run.get("name")
    if not isinstance(name, str):
        raise ConfigError("run.name: give the name of a built-in run (see `mlplab list`)")
    spec = get_run(name)
    given = {}
    by_name = {o.name: o for o in spec.options}
    for key, value in (data.get("options") or {}).items():
        if key not in by_name:
            raise ConfigError(
                f"options.{_name(key)}: run {name!r} has no such option; allowed: {', '.join(by_name)}"
            )
        given[key] = _coerce(by_name[key], value, f"options.{key}")
    if "seed" in run:
        given["seed"] = option_check("seed", None).check("run.seed", run["seed"])
    if "quick" in run:
        if not isinstance(run["quick"], bool):
            raise ConfigError(f"run.quick: must be true or false, got {run['quick']!r}")
        given["quick"] = run["quick"]
    resolve_options(spec, given, where=lambda k: f"options.{k}")  # checked before running
    return name, given


def run_lesson_file(path, quick=False, seed=None, lang="en", figures=True) -> RunResult:
    """Run a lesson run file (``[run]`` + ``[options]``) in ``lang``; ``figures=False`` draws none."""
    name, given = load_run_file(path)
    if quick:
        given["quick"] = True
    if seed is not None:
        given["seed"] = seed
    given["lang"] = lang
    given["figures"] = figures
    spec = get_run(name)
    opts = resolve_options(spec, given)
    result = spec.fn(opts)
    if not result.config:
        result.config = dict(opts)
    result.lang = lang
    return result


def _toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(v)


def write_lesson_files(directory: Path = LESSONS_DIR, skip=()) -> list[Path]:
    """Write one run file per built-in run that has no experiment file (the seed lessons)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, spec in all_runs().items():
        if name in skip:
            continue
        lines = [f"# {spec.summary}", f"# Copy me, change the options, then: mlplab run {name}-mine.toml",
                 "[run]", f'name = "{name}"', "", "[options]"]  # fmt: skip
        for o in spec.options:
            choices = (
                f" (one of {', '.join(map(str, [c for c in o.choices if c is not None]))})"
                if o.choices
                else ""
            )
            if o.default is None:
                lines.append(f"# {o.name} = ...    # {o.help}{choices}")
            else:
                lines.append(f"{o.name} = {_toml_value(o.default)}    # {o.help}{choices}")
        path = directory / f"{name}.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written
