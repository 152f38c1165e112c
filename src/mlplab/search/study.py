"""The search coordinator: an Optuna study in a database, trials handed to workers.

One coordinator process (the ``mlplab search`` command) owns the study.  It asks Optuna for
a trial (``study.ask()``: the sampler chooses the values), submits the trial's experiment to
a worker (:mod:`mlplab.search.workers`: a local process pool or a Dask cluster), and records
the answer (``study.tell``) together with the learning curves (user attribute ``result``).
Workers only touch the database to report per-epoch values for pruning.

Storage and resume
------------------
Results live in an Optuna RDB storage: ``sqlite:///OUT/study.db`` by default (WAL journal,
30 s lock timeout), or any SQLAlchemy URL (``postgresql://...``) for a shared one.  The study
name is deterministic (experiment + search space + sampler + metric + seed, not the budget),
so running the same command again continues the same study; ``--trials`` may be raised.

What happens to an interrupted trial (Ctrl-C, a killed coordinator, a killed worker): it is
marked **FAIL** with the user attribute ``interrupted`` (so it is neither lost nor counted in
the budget nor shown in the leaderboard) and its values are **enqueued again**
(``study.enqueue_trial``) so that the next trial re-runs exactly that configuration.  A
configuration interrupted three times is recorded as a real failure.  On start, every trial
still RUNNING in the database belongs to a dead coordinator and is treated this way.
Finished trials are never run again: random and TPE samplers are re-seeded per trial number
(``SeedSequence([seed, number])``), so a resumed search draws new values, and the grid
sampler enqueues only the grid points that have no finished trial yet.

One coordinator per study at a time; use ``--dask`` to spread the trials over many machines.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from .space import SearchConfig, encode_value
from .storage import make_storage  # noqa: F401 - re-exported (__all__)

__all__ = ["make_storage", "study_name", "run_search", "SearchResult", "default_out"]

MAX_ATTEMPTS = 3


def default_out(spec) -> Path:
    """``runs/NAME`` (``runs/NAME-quick`` for ``--quick``)."""
    return Path("runs") / (_slug(spec.name) + ("-quick" if spec.is_quick else ""))


def _slug(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", s).strip("-") or "search"


def sqlite_url(path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def study_name(spec, cfg: SearchConfig) -> str:
    """Deterministic: the same experiment and search table give the same study."""
    import hashlib

    d = spec.to_dict()
    d.pop("source", None)
    h = hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:8]
    return f"{_slug(spec.name)}-{h}-{cfg.fingerprint()}"


@dataclass
class SearchResult:
    """What :func:`run_search` did (counts are over the whole study, not only this run)."""

    study_name: str
    storage: str
    out: Path | None
    config: SearchConfig
    spec: object
    n_complete: int = 0
    n_pruned: int = 0
    n_failed: int = 0
    n_interrupted: int = 0
    n_run_now: int = 0
    best: dict | None = None
    rows: list = field(default_factory=list)
    elapsed: float = 0.0
    overhead_ms: float = float("nan")
    interrupted: bool = False
    report: object = None

    @property
    def n_finished(self) -> int:
        return self.n_complete + self.n_pruned + self.n_failed


def _seed_for(seed: int, number: int) -> int:
    import numpy as np

    return int(np.random.SeedSequence([seed, number]).generate_state(1)[0])


def _sampler(cfg: SearchConfig, number: int):
    import optuna

    s = _seed_for(cfg.seed, number)
    if cfg.sampler == "tpe":
        return optuna.samplers.TPESampler(seed=s, n_startup_trials=min(10, max(cfg.trials // 5, 2)))
    return optuna.samplers.RandomSampler(seed=s)


def _key(params: dict) -> str:
    return json.dumps(params, sort_keys=True)


class _Coordinator:
    def __init__(self, spec, cfg, storage_url, name, pool, progress):
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        self.spec, self.cfg, self.url, self.name = spec, cfg, storage_url, name
        self.pool, self.progress = pool, progress
        self.storage = make_storage(storage_url)
        self.study = optuna.create_study(
            study_name=name,
            storage=self.storage,
            direction=cfg.direction,
            load_if_exists=True,
            sampler=optuna.samplers.RandomSampler(seed=cfg.seed),
        )
        self.study.set_user_attr("spec", spec.to_dict())
        self.study.set_user_attr("search", cfg.to_dict())
        self.inflight: dict = {}
        self.run_now = 0
        self.tell_ms: list[float] = []
        self.best = None
        self._recover()

    # -- bookkeeping ---------------------------------------------------------------------------
    def _recover(self):
        """RUNNING trials of a dead coordinator: FAIL (interrupted) + enqueue their values."""
        from optuna.trial import TrialState

        trials = self.study.get_trials(deepcopy=False)
        for t in trials:
            if t.state == TrialState.RUNNING:
                self._interrupt(t, "interrupted: the search process ended during the trial")
        trials = self.study.get_trials(deepcopy=False)
        fin = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)
        self.n_done = sum(1 for t in trials if t.state in fin and "interrupted" not in t.user_attrs)
        self.n_waiting = sum(1 for t in trials if t.state == TrialState.WAITING)
        self.next_number = len(trials)
        for t in trials:
            if t.state == TrialState.COMPLETE and t.value is not None:
                self._update_best(t.number, t.value)
        if self.cfg.sampler == "grid":
            have = {
                _key(t.params)
                for t in trials
                if (t.state in fin and "interrupted" not in t.user_attrs)
            }
            have |= {_key(t.params) for t in trials if t.state == TrialState.WAITING}
            for point in self.cfg.grid_points():
                enc = {k: encode_value(v) for k, v in point.items()}
                if _key(enc) not in have:
                    self.study.enqueue_trial(enc, skip_if_exists=False)
                    self.n_waiting += 1
                    self.next_number += 1

    def _interrupt(self, t, message: str):
        """Mark trial ``t`` (FrozenTrial or Trial) interrupted and enqueue its values again."""
        from optuna.trial import TrialState

        tid = t._trial_id
        attempt = int(t.user_attrs.get("attempt", 1))
        params = dict(t.params)
        st = self.storage
        st.set_trial_user_attr(tid, "message", message)
        if attempt >= MAX_ATTEMPTS:
            st.set_trial_user_attr(tid, "result", {"message": f"{message} ({attempt} times)"})
            st.set_trial_state_values(tid, TrialState.FAIL)
            return False
        st.set_trial_user_attr(tid, "interrupted", True)
        if not set(self.cfg.space) <= set(params):
            # killed between ask() and drawing all its values: there is nothing to re-run, and a
            # partial set would pin some values while the sampler draws the rest anew
            st.set_trial_user_attr(tid, "abandoned", True)
            st.set_trial_state_values(tid, TrialState.FAIL)
            return False
        st.set_trial_state_values(tid, TrialState.FAIL)
        if params:
            self.study.enqueue_trial(params, user_attrs={"attempt": attempt + 1})
            if hasattr(self, "n_waiting"):
                self.n_waiting += 1
                self.next_number += 1
        return True

    def _update_best(self, number, value):
        if value is None or not math.isfinite(value):
            return
        better = (
            self.best is None
            or (self.cfg.direction == "maximize" and value > self.best[1])
            or (self.cfg.direction == "minimize" and value < self.best[1])
        )
        if better:
            self.best = (number, value)

    # -- ask / tell -------------------------------------------------------------------------------
    def _ask(self):
        if self.n_waiting > 0:
            self.n_waiting -= 1
        elif self.cfg.sampler == "grid":
            return None
        else:
            self.study.sampler = _sampler(self.cfg, self.next_number)
            self.next_number += 1
        trial = self.study.ask()
        params = {path: p.suggest(trial) for path, p in self.cfg.space.items()}
        return trial, params

    def submit_one(self) -> bool:
        from optuna.trial import TrialState

        from .workers import run_trial

        asked = self._ask()
        if asked is None:
            return False
        trial, params = asked
        try:
            tspec = self.spec.with_overrides(params)
        except ConfigError as exc:  # e.g. a combination the experiment schema forbids
            trial.set_user_attr("result", {"message": f"ConfigError: {exc}"})
            self.study.tell(trial, state=TrialState.FAIL)
            self.n_done += 1
            return True
        payload = {
            "spec": tspec,
            "number": trial.number,
            "eval_key": self.cfg.eval_key,
            "validation": self.cfg.validation,
            "pruner": self.cfg.pruner,
            "storage": self.url,
            "study": self.name,
            "trial_id": trial._trial_id,
        }
        fut = self.pool.submit(run_trial, payload)
        self.inflight[fut] = trial
        return True

    def tell(self, trial, res: dict):
        from optuna.trial import TrialState

        t0 = time.perf_counter()
        state = res["state"]
        info = {k: res.get(k) for k in ("message", "time_s", "curves", "pid")}
        trial.set_user_attr("result", info)
        if state == "complete":
            self.study.tell(trial, res["value"])
            self._update_best(trial.number, res["value"])
        elif state == "pruned":
            self.study.tell(trial, state=TrialState.PRUNED)
        else:
            self.study.tell(trial, state=TrialState.FAIL)
        self.n_done += 1
        self.run_now += 1
        self.tell_ms.append((time.perf_counter() - t0) * 1e3)

    def lost(self, trial, message):
        """A worker died under ``trial``: interrupted (re-run later) or failed for good."""
        ft = self.study._storage.get_trial(trial._trial_id)
        if not self._interrupt(ft, message):
            self.n_done += 1

    # -- loop ---------------------------------------------------------------------------------------
    def run(self, timeout=None):
        t_start = time.monotonic()
        slots = self.pool.slots
        try:
            while True:
                timed_out = timeout is not None and time.monotonic() - t_start >= timeout
                while (
                    not timed_out
                    and len(self.inflight) < slots
                    and self.n_done + len(self.inflight) < self.cfg.trials
                ):
                    if not self.submit_one():
                        break
                if not self.inflight:
                    break
                done = self.pool.wait(self.inflight, 0.25)
                broken = False
                for fut in done:
                    trial = self.inflight.pop(fut)
                    res, err = self.pool.result(fut)
                    if err is None:
                        self.tell(trial, res)
                    else:
                        self.lost(trial, err)
                        broken = True
                if broken and self.pool.kind == "local":
                    for fut, trial in list(self.inflight.items()):
                        res, err = self.pool.result(fut) if fut.done() else (None, "pool broken")
                        if err is None:
                            self.tell(trial, res)
                        else:
                            self.lost(trial, err)
                    self.inflight.clear()
                    self.pool.restart()
                self._progress(t_start)
        except KeyboardInterrupt:
            for trial in list(self.inflight.values()):
                self.lost(trial, "interrupted: Ctrl-C during the trial")
            self.inflight.clear()
            self.pool.close(cancel=True)
            raise
        finally:
            if self.progress:
                sys.stderr.write("\n")
                sys.stderr.flush()
        return time.monotonic() - t_start

    def _progress(self, t_start):
        if not self.progress:
            return
        n, total = self.n_done, self.cfg.trials
        width = 24
        fill = int(width * min(n, total) / max(total, 1))
        best = f"best {self.cfg.metric} {self.best[1]:.4g} (#{self.best[0]})" if self.best else "-"
        line = (
            f"\r[{'#' * fill}{'.' * (width - fill)}] {n}/{total} trials, "
            f"{len(self.inflight)} running, {time.monotonic() - t_start:6.1f} s, {best}"
        )
        sys.stderr.write(line[:160])
        sys.stderr.flush()


def run_search(
    spec,
    cfg: SearchConfig,
    out=None,
    storage: str | None = None,
    jobs: int | None = None,
    dask: str | None = None,
    scheduler_file=None,
    client=None,
    progress: bool | None = None,
    report: bool = True,
    argv=None,
) -> SearchResult:
    """Run (or continue) the search of ``spec`` with ``cfg``; write the report.

    Parameters
    ----------
    spec : Spec
        The experiment (without the ``[search]`` table), already quick if wanted.
    cfg : SearchConfig
    out : str or Path, optional
        Output folder (default ``runs/NAME``): ``study.db`` (default storage), report,
        ``best.toml``.
    storage : str, optional
        SQLAlchemy URL of the Optuna storage (default ``sqlite:///OUT/study.db``).
    jobs : int, optional
        Local worker processes (default: the number of cores; 0 = in this process).
    dask, scheduler_file, client :
        A Dask scheduler address, scheduler file or :class:`distributed.Client` (then no
        local pool is made).
    progress : bool, optional
        A one-line progress bar on stderr (default: only when stderr is a terminal).
    report : bool
        Write the leaderboard, figures, ``best.toml`` and ``report.html`` into ``out``.

    Returns
    -------
    SearchResult
    """
    from .workers import DaskPool, LocalPool

    out = Path(out) if out is not None else default_out(spec)
    out.mkdir(parents=True, exist_ok=True)
    url = storage or sqlite_url(out / "study.db")
    name = study_name(spec, cfg)
    if progress is None:
        progress = sys.stderr.isatty()
    if client is not None or dask or scheduler_file:
        pool = DaskPool(dask, scheduler_file, client)
    else:
        pool = LocalPool((os.cpu_count() or 1) if jobs is None else jobs)
    result = SearchResult(name, url, out, cfg, spec)
    coord = None
    try:
        coord = _Coordinator(spec, cfg, url, name, pool, progress)
        result.elapsed = coord.run(cfg.timeout)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        pool.close()
    if coord is not None:
        result.n_run_now = coord.run_now
        if coord.tell_ms:
            result.overhead_ms = float(sum(coord.tell_ms) / len(coord.tell_ms))
        from .report import collect

        collect(coord.study, cfg, result)
        if report:
            from .report import write_report

            result.report = write_report(result, argv=argv)
    return result
