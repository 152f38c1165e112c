"""``mlplab search SPEC.toml|NAME [options]``: run or continue a hyperparameter search.

Exit codes: 0 done, 1 no trial completed (or no Dask worker came), 2 bad usage, a bad search
spec, data that cannot be used or another search running the same study (one line on stderr),
130 interrupted by Ctrl-C or ``kill`` (everything finished so far is in the database; run the
same command again to continue: interrupted trials are re-run, never counted as failures).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import i18n
from ..errors import ConfigError, MlplabError
from ..i18n.errors import line
from ..i18n.helptext import Parser as _Parser

__all__ = ["main", "build_parser"]


def _default_lang() -> str:
    try:
        return i18n.default_lang()
    except MlplabError:  # a bad MLPLAB_LANG is reported by the command, not by its help
        return "en"


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The ``mlplab search`` parser, its help in ``lang`` (default: the user's language)."""
    lang = lang or _default_lang()

    def H(key):
        return i18n.t(f"help.{key}", lang)

    p = _Parser(prog="mlplab search", description=H("s_description"), lang=lang)
    p.add_argument("spec", help=H("s_spec"))
    p.add_argument("--trials", type=int, help=H("s_trials"))
    p.add_argument("--timeout", type=float, help=H("s_timeout"))
    p.add_argument("--jobs", type=int, default=None, help=H("s_jobs"))
    g = p.add_mutually_exclusive_group()
    g.add_argument("--dask", metavar="ADDR", help=H("s_dask"))
    g.add_argument("--scheduler-file", type=Path, help=H("s_scheduler_file"))
    p.add_argument("--storage", metavar="URL", help=H("s_storage"))
    p.add_argument("--out", type=Path, help=H("s_out"))
    p.add_argument("--quick", action="store_true", help=H("s_quick"))
    p.add_argument("--seed", type=int, help=H("s_seed"))
    p.add_argument("--sampler", choices=["grid", "random", "tpe"], help=H("s_sampler"))
    p.add_argument("--pruner", choices=["none", "median", "halving"], help=H("s_pruner"))
    p.add_argument("--data", type=Path, help=H("s_data"))
    p.add_argument("--quiet", action="store_true", help=H("quiet"))
    p.add_argument("--no-report", action="store_true", help=H("s_no_report"))
    p.add_argument("--worker-timeout", type=float, default=60.0, metavar="S",
                   help=H("s_worker_timeout"))  # fmt: skip
    p.add_argument("--limit", action="append", default=[], metavar="NAME=N", help=H("s_limit"))
    p.add_argument("--lang", choices=list(i18n.LANGS), default=None, help=H("lang"))
    return p


def main(argv=None, lang: str | None = None) -> int:
    """Entry point of ``mlplab search``; returns the exit code (``lang``: of ``--help``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser(lang).parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.lang:  # (``mlplab search`` takes --lang out itself and sets MLPLAB_LANG)
        os.environ["MLPLAB_LANG"] = args.lang  # the search report reads the user's language
    try:
        from ..experiments.spec import parse_limits, using_limits

        over = {}
        if args.data is not None:
            if not args.data.is_dir():
                raise ConfigError(f"--data: {str(args.data)!r} is not a directory")
            over = {"data.name": "mnist", "data.path": str(args.data)}
        for name in ("trials", "timeout", "worker_timeout"):
            v = getattr(args, name)
            if v is not None and not (v > 0 and v < float("inf")):
                raise ConfigError(f"--{name.replace('_', '-')}: must be > 0, got {v}")
        if args.jobs is not None and not 0 <= args.jobs <= 1024:
            raise ConfigError(f"--jobs: must be in [0, 1024], got {args.jobs}")
        if args.seed is not None and not 0 <= args.seed < 2**32:
            raise ConfigError(f"--seed: must be an integer in [0, 2**32), got {args.seed}")
        limits = parse_limits(args.limit)
        with using_limits(limits):
            return _run(args, argv, over)
    except MlplabError as exc:
        print(line("mlplab search", str(exc), _default_lang()), file=sys.stderr)
        return 2
    except ImportError as exc:
        msg = (
            f"a required package is missing ({exc.name or exc}); "
            "install the extra: pip install 'mlplab[search]'"
        )
        print(line("mlplab search", msg, _default_lang()), file=sys.stderr)
        return 2


def _run(args, argv, over) -> int:
    from .space import load_search_file
    from .study import run_search

    spec, cfg = load_search_file(args.spec, overrides=over, quick=args.quick)
    cfg = cfg.with_overrides(
        trials=args.trials,
        timeout=args.timeout,
        seed=args.seed,
        sampler=args.sampler,
        pruner=args.pruner,
    )
    if cfg.sampler == "grid" and args.trials is None:
        cfg.trials = cfg.check_grid_size()
    res = run_search(
        spec,
        cfg,
        out=args.out,
        storage=args.storage,
        jobs=args.jobs,
        dask=args.dask,
        scheduler_file=args.scheduler_file,
        report=not args.no_report,
        argv=["search", *argv],
        worker_timeout=args.worker_timeout,
    )
    from .report import leaderboard_text, user_lang

    lang = user_lang()
    if not args.quiet:
        if res.report is not None:
            print(res.report.text)
        else:
            print(leaderboard_text(res, lang=lang))
        folder = i18n.t("search.folder", lang, out=res.out, study=res.study_name)
        print(f"\n{folder}", file=sys.stderr)
    if res.stopped:
        print(i18n.t("search.stopped", lang, why=res.stopped), file=sys.stderr)
        return 1
    if res.interrupted:
        print(i18n.t("search.interrupted", lang), file=sys.stderr)
        return 130
    return 0 if res.n_complete > 0 else 1


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
