"""Hyperparameter search (``mlplab search SPEC.toml``) on Optuna, locally or on Dask.

Optuna (sampling, pruning, storage) and dask.distributed are the ``[search]`` extra: they
are imported only when a search runs.

>>> from mlplab.search import load_search_file, run_search      # doctest: +SKIP
>>> spec, cfg = load_search_file("random-search", quick=True)    # doctest: +SKIP
>>> res = run_search(spec, cfg, out="runs/rs", jobs=2)           # doctest: +SKIP
>>> res.best                                                     # doctest: +SKIP
"""

from .space import SearchConfig, load_search_file, parse_search

__all__ = ["SearchConfig", "load_search_file", "parse_search", "run_search", "SearchResult"]


def __getattr__(name):
    if name in ("run_search", "SearchResult"):
        from . import study

        return getattr(study, name)
    raise AttributeError(name)
