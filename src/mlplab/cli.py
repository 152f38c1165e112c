"""The ``mlplab`` command line.

    mlplab list [--files]                 built-in runs (seed lessons and experiments)
    mlplab run NAME|FILE.toml [options]   run one; prints what the seed printed, writes a run folder
    mlplab trace [options]                backprop by hand for any small network
    mlplab report DIR                     rebuild DIR/report.html
    mlplab playground [options]           the browser playground (--lessons DIR, --token, ...)
    mlplab search SPEC.toml               hyperparameter search

Every command takes ``--lang ko|en`` (default: ``MLPLAB_LANG``, else the locale: ``LANG=ko_KR.*``
means Korean; see :func:`mlplab.i18n.default_lang`): the lines that teach, the figures and the
report speak that language; the lines the course material printed stay verbatim.

Exit codes: 0 success; 1 a run failed (every variant diverged, a file could not be written,
out of memory); 2 bad usage -- a wrong or missing argument, option or file, including plain
``mlplab`` and ``mlplab run`` without what to do (one line on stderr; ``--help`` prints the help
and exits 0); 130 interrupted by Ctrl-C (what finished is kept).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
from pathlib import Path

from . import __version__, i18n
from .errors import MlplabError
from .i18n import errors as _errors
from .i18n.helptext import Parser as _Parser


def _user_lang(argv) -> str:
    """The language of ``--help`` and of the error lines: a valid ``--lang`` anywhere in
    ``argv`` (it may come after ``--help`` or after the mistake), else the default language
    (``MLPLAB_LANG``, then the locale; English if the environment names an invalid one: the
    command itself then reports that)."""
    lang, _ = _pop_lang(list(argv))
    if lang in i18n.LANGS:
        return lang
    try:
        return i18n.default_lang()
    except MlplabError:
        return "en"


def to_jsonable(obj):
    """Convert numpy scalars/arrays (and NaN/inf) to plain JSON values."""
    import numpy as np

    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return to_jsonable(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    if isinstance(obj, Path):
        return str(obj)
    return repr(obj)


def _option_type(opt):
    if opt.type is bool:
        return lambda s: s.lower() in ("1", "true", "yes", "on")
    return opt.type


def _run_parser(spec, lang: str = "en"):
    from .experiments.registry import option_help, run_summary

    p = _Parser(prog=f"mlplab run {spec.name}", lang=lang,
                description=run_summary(spec.name, spec.summary, lang))  # fmt: skip
    _common_run_args(p, data=not any(o.name == "data" for o in spec.options), lang=lang)
    for opt in spec.options:
        flag = "--" + opt.name.replace("_", "-")
        choices = [c for c in opt.choices if c is not None] if opt.choices else None
        default = i18n.t("help.default", lang, value=opt.default)
        p.add_argument(flag, dest=opt.name, type=_option_type(opt), default=argparse.SUPPRESS,
                       choices=choices, help=f"{option_help(spec.name, opt, lang)} {default}")  # fmt: skip
    return p


def _add_lang(p, lang: str = "en"):
    p.add_argument("--lang", choices=list(i18n.LANGS), default=None,
                   help=i18n.t("help.lang", lang))  # fmt: skip


def _lang(args) -> str:
    return getattr(args, "lang", None) or i18n.default_lang()


def _common_run_args(p, data=True, lang: str = "en"):
    def H(key):
        return i18n.t(f"help.{key}", lang)

    _add_lang(p, lang)
    p.add_argument("--seed", type=int, default=argparse.SUPPRESS, help=H("seed"))
    p.add_argument("--out", type=Path, default=None, help=H("out"))
    p.add_argument("--json", action="store_true", help=H("json"))
    p.add_argument("--quiet", action="store_true", help=H("quiet"))
    p.add_argument("--quick", action="store_true", default=argparse.SUPPRESS, help=H("quick"))
    p.add_argument("--format", choices=["text", "markdown", "latex"], default=argparse.SUPPRESS,
                   help=H("format"))  # fmt: skip
    p.add_argument("--no-save", action="store_true", help=H("no_save"))
    p.add_argument("--limit", action="append", default=[], metavar="NAME=N", help=H("limit"))
    if data:  # runs with their own --data option declare it themselves
        p.add_argument("--data", type=Path, default=argparse.SUPPRESS, help=H("data"))


def _default_out(name: str) -> Path:
    from .experiments.spec import slug

    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = Path("runs") / f"{slug(name)}-{stamp}"
    out, i = base, 1
    while out.exists():
        i += 1
        out = Path(f"{base}-{i}")
    return out


def save_run(result, out_dir: Path, argv) -> Path:
    """Write the run folder (config, metrics, figures, report.html)."""
    try:
        from .viz.report import write_run_dir
    except ImportError:  # viz not available: write the plain files
        write_run_dir = None
    if write_run_dir is not None:
        return write_run_dir(result, out_dir, argv=argv)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "config.json").write_text(
        json.dumps(to_jsonable({"name": result.name, "argv": argv, **result.config}), indent=2)
    )
    (out_dir / "metrics.json").write_text(json.dumps(to_jsonable(result.metrics), indent=2))
    (out_dir / "output.txt").write_text(result.text + "\n")
    return out_dir


def _emit(result, args, argv) -> int:
    """Print and save ``result``; return the exit code its status calls for."""
    lang = _lang(args)
    result.lang = lang
    errata = list(getattr(result, "errata", []) or [])
    if args.json:
        print(json.dumps(to_jsonable({"name": result.name, "metrics": result.metrics,
                                      "errata": errata}), indent=2, ensure_ascii=False))  # fmt: skip
    elif not args.quiet:
        print(result.text)
        if errata:  # where the course material is wrong: said in the run's own output
            print()
            for e in errata:
                print(i18n.t("cli.erratum", lang, text=e))
    if not args.no_save:
        out = args.out or _default_out(result.name)
        path = save_run(result, Path(out), argv)
        if not args.quiet and not args.json:
            print("\n" + i18n.t("cli.run_folder", lang, path=path), file=sys.stderr)
    status = getattr(result, "status", "ok")
    if status == "interrupted":
        print(i18n.t("cli.interrupted_kept", lang), file=sys.stderr)
        return 130
    if status == "failed":
        print(i18n.t("cli.run_failed", lang), file=sys.stderr)
        return 1
    return 0


def _emit_interrupted(exc, args, argv) -> int:
    """Ctrl-C during a run: save what finished, exit 130."""
    result = getattr(exc, "result", None)
    if result is None:
        raise exc
    try:
        return _emit(result, args, argv)
    except KeyboardInterrupt:  # a second Ctrl-C while saving: give up quietly
        return 130


def _search_entries() -> dict[str, str]:
    """Built-in searches (experiment files with a [search] table): name -> description."""
    import tomllib

    from .search.space import builtin_search_files

    out = {}
    for name, path in builtin_search_files().items():
        try:
            exp = tomllib.loads(path.read_text(encoding="utf-8")).get("experiment", {})
        except (OSError, tomllib.TOMLDecodeError):  # pragma: no cover - packaged files
            exp = {}
        out[name] = str(exp.get("description") or name)
    return out


def cmd_list(args):
    from .experiments.registry import all_runs, run_summary

    lang = _lang(args)
    runs = all_runs()
    searches = _search_entries()
    files = {}
    if args.files:
        try:
            from .experiments.classic import builtin_files
            from .experiments.runfiles import lesson_files

            files = {k: str(v) for k, v in {**lesson_files(), **builtin_files()}.items()}
        except ImportError:
            files = {}
    width = max(len(n) for n in [*runs, *searches])
    for name, spec in runs.items():
        line = f"{name:<{width}}  {run_summary(name, spec.summary, lang)}"
        if args.files:
            line = f"{name:<{width}}  {files.get(name, i18n.t('cli.no_file', lang))}"
        print(line)
    for name, desc in searches.items():
        desc = run_summary(name, desc, lang)
        line = f"{name:<{width}}  {i18n.t('cli.list_search', lang, summary=desc)} " + i18n.t(
            "cli.list_search_hint", lang, name=name
        )
        if args.files:
            line = f"{name:<{width}}  {files.get(name, '')}"
        print(line)
    return 0


def cmd_run(args, rest):
    from .experiments.registry import RunInterrupted, get_run, option_check, resolve_options
    from .experiments.spec import parse_limits, using_limits

    target = args.target
    hlang = args.lang or _user_lang(rest)
    if target.endswith(".toml") or Path(target).suffix == ".toml":
        p = _Parser(prog=f"mlplab run {target}", lang=hlang)
        _common_run_args(p, lang=hlang)
        p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                       help=i18n.t("help.set", hlang))  # fmt: skip
        p.add_argument("--rng", choices=["default", "legacy"], default=argparse.SUPPRESS,
                       help=i18n.t("help.rng", hlang))  # fmt: skip
        ns = p.parse_args(rest)
        ns.lang = ns.lang or args.lang
        from .experiments.runfiles import is_run_file, run_lesson_file

        if is_run_file(Path(target)):  # a lesson run file: [run] name + [options]
            if ns.set or hasattr(ns, "rng"):
                raise MlplabError(
                    "--set and --rng apply to experiment files; edit [options] instead"
                )
            result = run_lesson_file(Path(target), quick=getattr(ns, "quick", False),
                                     seed=getattr(ns, "seed", None), lang=_lang(ns),
                                     figures=not ns.no_save)  # fmt: skip
            return _emit(result, ns, [target, *rest])
        from .experiments.runner import run_file

        overrides = {}
        for item in ns.set:
            if "=" not in item:
                raise MlplabError(f"--set expects KEY=VALUE, got {item!r}")
            k, v = item.split("=", 1)
            overrides[k.strip()] = v.strip()
        if hasattr(ns, "seed"):
            overrides["train.seed"] = option_check("seed", None).check("--seed", ns.seed)
        if hasattr(ns, "rng"):
            overrides["train.rng"] = ns.rng
        if hasattr(ns, "data"):
            overrides["data.path"] = str(ns.data)
        try:
            with using_limits(parse_limits(ns.limit)):
                result = run_file(Path(target), quick=getattr(ns, "quick", False),
                                  overrides=overrides, figures=not ns.no_save,
                                  lang=_lang(ns))  # fmt: skip
        except RunInterrupted as exc:
            return _emit_interrupted(exc, ns, [target, *rest])
        return _emit(result, ns, [target, *rest])
    spec = get_run(target)
    ns = _run_parser(spec, hlang).parse_args(rest)
    ns.lang = ns.lang or args.lang
    given = {k: v for k, v in vars(ns).items()
             if k not in ("out", "json", "quiet", "no_save", "lang", "limit")}  # fmt: skip
    if "data" in given and not any(o.name == "data" for o in spec.options):
        os.environ["MLPLAB_DATA"] = str(given.pop("data"))
    given["lang"] = _lang(ns)
    given["figures"] = not ns.no_save  # --no-save draws nothing
    opts = resolve_options(spec, given)
    try:
        with using_limits(parse_limits(ns.limit)):
            result = spec.fn(opts)
    except RunInterrupted as exc:
        return _emit_interrupted(exc, ns, [target, *rest])
    if not result.config:
        result.config = dict(opts)
    return _emit(result, ns, [target, *rest])


#: Caps of ``mlplab trace`` (it prints every number: a trace is for small networks).
TRACE_MAX_UNITS = 16
TRACE_MAX_LAYERS = 6
TRACE_MAX_DECIMALS = 15


def _check_trace_args(args) -> None:
    from .experiments.spec import MAX_LR

    if not 0 <= args.decimals <= TRACE_MAX_DECIMALS:
        raise MlplabError(
            f"--decimals must be an integer in [0, {TRACE_MAX_DECIMALS}], got {args.decimals}"
        )
    if not (math.isfinite(args.lr) and 0 < args.lr <= MAX_LR):
        raise MlplabError(f"--lr must be a number > 0 and <= {MAX_LR:g}, got {args.lr}")
    if not 0 <= args.seed <= 2**32 - 1:
        raise MlplabError(f"--seed must be an integer in [0, 4294967295], got {args.seed}")


def cmd_trace(args):
    _check_trace_args(args)
    from .experiments.trace import parse_matrix, trace_backprop
    from .layers import Activation, Affine
    from .model import MLP, Sequential

    if args.W:
        layers = []
        if len(args.W) > TRACE_MAX_LAYERS:
            raise MlplabError(f"--W: at most {TRACE_MAX_LAYERS} layers, got {len(args.W)}")
        Ws = [parse_matrix(w, f"--W{i + 1}") for i, w in enumerate(args.W)]
        for i, W in enumerate(Ws):
            if max(W.shape) > TRACE_MAX_UNITS:
                raise MlplabError(
                    f"--W{i + 1}: at most {TRACE_MAX_UNITS} rows and columns (a trace prints "
                    f"every number), got {W.shape[0]}x{W.shape[1]}"
                )
        bs = list(args.b or [])
        for i, W in enumerate(Ws):
            b = None
            if i < len(bs) and bs[i].strip().lower() not in ("", "none", "-"):
                b = parse_matrix(bs[i], f"--b{i + 1}").reshape(-1)
            if i > 0 and W.shape[0] != Ws[i - 1].shape[1]:
                raise MlplabError(
                    f"--W{i + 1} has {W.shape[0]} rows but layer {i} has {Ws[i - 1].shape[1]} units"
                )
            layers.append(Affine(W, b))
            layers.append(Activation(args.activation if i < len(Ws) - 1 else args.output))
        model = Sequential(layers, loss=args.loss)
    else:
        try:
            sizes = [int(s) for s in args.sizes.split(",")]
        except ValueError:
            raise MlplabError(f"--sizes must be integers like 2,2,1, got {args.sizes!r}") from None
        if not (
            2 <= len(sizes) <= TRACE_MAX_LAYERS + 1
            and all(1 <= n <= TRACE_MAX_UNITS for n in sizes)
        ):
            raise MlplabError(
                f"--sizes must be 2 to {TRACE_MAX_LAYERS + 1} integers in [1, "
                f"{TRACE_MAX_UNITS}] (a trace prints every number), got {args.sizes!r}"
            )
        model = MLP(sizes, activation=args.activation, output=args.output, loss=args.loss,
                    init="xavier_uniform", seed=args.seed)  # fmt: skip
    x = parse_matrix(args.x, "--x").reshape(-1)
    t = parse_matrix(args.t, "--t").reshape(-1)
    text, metrics = trace_backprop(model, x, t, lr=args.lr, style=args.style,
                                   decimals=args.decimals, fmt=args.format,
                                   lang=_lang(args))  # fmt: skip
    if args.json:
        print(json.dumps(to_jsonable(metrics), indent=2))
    else:
        print(text)
    return 0


def cmd_report(args):
    from .viz.report import build_report

    path = build_report(Path(args.dir), lang=_lang(args))
    print(path)
    return 0


def _check_bind(host: str, port: int) -> None:
    """One-line errors for a bad --port/--host or a port already in use (before starting)."""
    import errno
    import socket

    from .playground.processes import family

    if not 1 <= port <= 65535:
        raise MlplabError(f"--port must be in [1, 65535], got {port}")
    not_here = f"--host {host!r} is not an address of this machine"
    with socket.socket(family(host), socket.SOCK_STREAM) as sock:  # as the server will bind
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except (socket.gaierror, UnicodeError):  # a name that does not resolve ('*' too)
            raise MlplabError(not_here) from None
        except OSError as exc:
            if exc.errno == errno.EADDRNOTAVAIL:
                raise MlplabError(not_here) from None
            raise MlplabError(
                f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port"
            ) from None


def cmd_playground(args):
    from .playground.server import main as serve

    _check_bind(args.host, args.port)
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if not 1 <= workers <= 64:
        raise MlplabError(f"--workers must be in [1, 64], got {workers}")
    for name, value, lo in (("--max-sessions", args.max_sessions, 1),
                            ("--max-per-client", args.max_per_client, 1)):  # fmt: skip
        if not lo <= value <= 10_000:
            raise MlplabError(f"{name} must be in [{lo}, 10000], got {value}")
    for origin in args.allow_origin:
        if not origin.startswith(("http://", "https://")) or "/" in origin.split("//", 1)[1]:
            raise MlplabError(
                f"--allow-origin must look like https://host[:port] (no path), got {origin!r}"
            )
    lessons = None
    if args.lessons is not None:  # checked now: a bad file is one line here, not in a worker
        from .playground.lessons import catalog

        found = catalog(args.lessons)
        lessons = str(Path(args.lessons).resolve())
        print(f"lessons: {', '.join(found)}")
    # the page's language: --lang, else MLPLAB_LANG; otherwise each browser's own (None)
    lang = args.lang or (i18n.default_lang() if os.environ.get("MLPLAB_LANG") else None)
    serve(host=args.host, port=args.port, open_browser=not args.no_browser, token=args.token,
          workers=workers, allow_origins=args.allow_origin, max_sessions=args.max_sessions,
          max_per_client=args.max_per_client, lessons=lessons, lang=lang)  # fmt: skip
    return 0


def _pop_lang(rest: list[str]) -> tuple[str | None, list[str]]:
    """Take ``--lang X`` / ``--lang=X`` out of arguments handed on to another parser."""
    out, lang, i = [], None, 0
    while i < len(rest):
        a = rest[i]
        if a == "--lang" and i + 1 < len(rest):
            lang, i = rest[i + 1], i + 2
            continue
        if a.startswith("--lang="):
            lang = a.split("=", 1)[1]
        else:
            out.append(a)
        i += 1
    return lang, out


def cmd_search(args, rest):
    from .search.cli import main as search_main

    lang, rest = _pop_lang(rest)
    lang = i18n.check_lang(lang) if lang is not None else (args.lang or i18n.default_lang())
    os.environ["MLPLAB_LANG"] = lang  # the search report reads the user's language
    return search_main([args.spec, *rest])


def cmd_search_help(lang: str = "en"):
    from .search.cli import main as search_main

    return search_main(["--help"], lang=lang)


def build_parser(lang: str = "en"):
    """The ``mlplab`` parser; every help sentence in ``lang``."""

    def H(key):
        return i18n.t(f"help.{key}", lang)

    p = _Parser(prog="mlplab", description=H("mlplab"), lang=lang)
    p.add_argument("--version", action="version", version=f"mlplab {__version__}",
                   help=H("version"))  # fmt: skip
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    s = sub.add_parser("list", help=H("list"), lang=lang)
    s.add_argument("--files", action="store_true", help=H("list_files"))
    _add_lang(s, lang)

    s = sub.add_parser("run", help=H("run"), add_help=False, lang=lang)
    s.add_argument("target", nargs="?", help=H("run_target"))
    _add_lang(s, lang)  # here too: `--lang ko` before the run's name is not the name

    s = sub.add_parser("trace", help=H("trace"), lang=lang)
    s.add_argument("--W", action="append", metavar="MATRIX", help=H("trace_W"))
    s.add_argument("--b", action="append", metavar="VECTOR", help=H("trace_b"))
    s.add_argument("--sizes", default="2,2,1", help=H("trace_sizes"))
    s.add_argument("--seed", type=int, default=0, help=H("trace_seed"))
    s.add_argument("--x", required=True, help=H("trace_x"))
    s.add_argument("--t", required=True, help=H("trace_t"))
    s.add_argument("--activation", default="sigmoid", help=H("trace_activation"))
    s.add_argument("--output", default="sigmoid", help=H("trace_output"))
    s.add_argument("--loss", default="half_sse", help=H("trace_loss"))
    s.add_argument("--lr", type=float, default=0.5, help=H("trace_lr"))
    s.add_argument("--style", choices=["textbook", "slides"], default="slides",
                   help=H("trace_style"))  # fmt: skip
    s.add_argument("--decimals", type=int, default=6, help=H("trace_decimals"))
    s.add_argument("--format", choices=["text", "markdown", "latex"], default="text",
                   help=H("trace_format"))  # fmt: skip
    s.add_argument("--json", action="store_true", help=H("json"))
    _add_lang(s, lang)

    s = sub.add_parser("report", help=H("report"), lang=lang)
    s.add_argument("dir", help=H("report_dir"))
    _add_lang(s, lang)

    s = sub.add_parser("playground", help=H("playground"), lang=lang)
    s.add_argument("--host", default="127.0.0.1", help=H("pg_host"))
    s.add_argument("--port", type=int, default=8000, help=H("pg_port"))
    s.add_argument("--no-browser", action="store_true", help=H("pg_no_browser"))
    s.add_argument("--token", default=None, help=H("pg_token"))
    s.add_argument("--workers", type=int, default=None, help=H("pg_workers"))
    s.add_argument("--allow-origin", action="append", default=[], metavar="URL",
                   help=H("pg_allow_origin"))  # fmt: skip
    s.add_argument("--max-sessions", type=int, default=64, help=H("pg_max_sessions"))
    s.add_argument("--max-per-client", type=int, default=8, help=H("pg_max_per_client"))
    s.add_argument("--lessons", metavar="DIR", default=None, help=H("pg_lessons"))
    s.add_argument("--lang", choices=list(i18n.LANGS), default=None, help=H("pg_lang"))

    s = sub.add_parser("search", help=H("search"), add_help=False, lang=lang)
    s.add_argument("spec", nargs="?", help=H("search_spec"))
    _add_lang(s, lang)
    return p


class _OneWarning:
    """``warnings.showwarning`` for the CLI: the first RuntimeWarning as one line, no more.

    NumPy warns at every overflowing operation of a diverging run (``--lr 1000``); a screen of
    them hides what matters.  Runs report divergence themselves.
    """

    def __init__(self, lang: str = "en"):
        self.shown = False
        self.lang = lang

    def __call__(self, message, category, filename, lineno, file=None, line=None):
        if issubclass(category, RuntimeWarning):
            if not self.shown:
                self.shown = True
                note = (f"NumPy: {message} (the numbers overflow: is the learning rate too "
                        "large?); further warnings hidden")  # fmt: skip
                print(_errors.line("mlplab", note, self.lang, "note"), file=sys.stderr)
            return
        text = str(message).splitlines()[0] if str(message) else category.__name__
        print(_errors.line("mlplab", text, self.lang, "warning"), file=sys.stderr)


def _usage_error(msg: str, lang: str = "en") -> int:
    """``mlplab: error: MSG`` on stderr (in ``lang``: :func:`mlplab.i18n.errors.line`); 2."""
    print(_errors.line("mlplab", msg, lang), file=sys.stderr)
    return 2


def main(argv=None):
    """The ``mlplab`` command.  Output into a closed pipe (``mlplab run ... | head``) ends
    quietly with status 141, as a command killed by SIGPIPE would; SIGPIPE itself stays
    ignored (Python's default), so a reset socket never ends the playground server."""
    try:
        code = _main(argv)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit flush
        return code
    except BrokenPipeError:
        # stdout's reader is gone: point stdout at /dev/null so the exit flush stays quiet
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 128 + 13


def _main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _user_lang(argv)
    parser = build_parser(lang)
    args, rest = parser.parse_known_args(argv)
    with warnings.catch_warnings():
        warnings.showwarning = _OneWarning(lang)
        warnings.simplefilter("always", RuntimeWarning)
        return _dispatch(parser, args, rest, lang)


def _dispatch(parser, args, rest, lang: str = "en") -> int:
    try:
        if args.command is None:
            return _usage_error(
                "give a command: list, run, trace, report, playground or search "
                "(mlplab --help shows them all)",
                lang,
            )
        if args.command == "run":
            if args.target in ("-h", "--help") or (
                args.target is None and {"-h", "--help"} & set(rest)
            ):
                hlang = _pop_lang(rest)[0] or args.lang
                hlang = i18n.check_lang(hlang) if hlang else i18n.default_lang()
                print("usage: mlplab run NAME|FILE.toml [--seed N] [--out DIR] [--json] [--quiet]"
                      " [--quick] [--lang ko|en] [run options]\n\n"
                      + i18n.t("cli.runs_heading", hlang))  # fmt: skip
                from .experiments.registry import all_runs, run_summary

                for name, spec in all_runs().items():
                    print(f"  {name:<18} {run_summary(name, spec.summary, hlang)}")
                return 0
            if args.target is None:
                return _usage_error(
                    "give what to run: mlplab run NAME|FILE.toml (mlplab list shows the names)",
                    lang,
                )
            return cmd_run(args, rest)
        if args.command == "search":
            if args.spec in ("-h", "--help") or (
                args.spec is None and {"-h", "--help"} & set(rest)
            ):
                return cmd_search_help(args.lang or _user_lang(rest))
            if args.spec is None:
                msg = "give an experiment file: mlplab search SPEC.toml"
                parser.exit(2, _errors.line("mlplab search", msg, lang) + "\n")
            return cmd_search(args, rest)
        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        handler = {"list": cmd_list, "trace": cmd_trace, "report": cmd_report,
                   "playground": cmd_playground}[args.command]  # fmt: skip
        return handler(args)
    except MlplabError as exc:
        return _usage_error(str(exc), lang)
    except KeyboardInterrupt:
        print(f"mlplab: {_errors.translate('interrupted', lang)}", file=sys.stderr)
        return 130
    except ImportError as exc:
        missing = getattr(exc, "name", None) or str(exc)
        _usage_error(f"a required package is missing ({missing}); "
                     "install the extras: pip install 'mlplab[all]'", lang)  # fmt: skip
        return 2
    except MemoryError:
        _usage_error("out of memory; use smaller sizes (see --limit in README)", lang)
        return 1
    except BrokenPipeError:  # stdout's reader is gone: main() ends quietly with 141
        raise
    except OSError as exc:  # e.g. --out on a read-only disk or an existing file
        where = f"{exc.filename}: " if exc.filename else ""
        _usage_error(f"{where}{exc.strerror or exc}", lang)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
