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

What happens to an interrupted trial
-------------------------------------
A trial stopped by **the user** -- Ctrl-C, a ``kill`` of the search process (SIGTERM), or a
killed search process whose RUNNING trials the next start finds -- is marked **FAIL** with the
user attribute ``interrupted`` (so it is neither lost nor counted in the budget nor shown in the
leaderboard) and its values are **enqueued again** (``study.enqueue_trial``), so the next trial
re-runs exactly that configuration.  User interruptions are never charged to the
configuration, however often they happen.  Only a **worker that dies** under a trial while the
search goes on (a crash, the OOM killer) counts as an attempt: a configuration whose worker
died three times is recorded as a real failure.  Finished trials are never run again: random
and TPE samplers are re-seeded per trial number (``SeedSequence([seed, number])``), so a
resumed search draws new values, and the grid sampler enqueues only the grid points that have
no finished trial yet.

One search process per study
----------------------------
Two ``mlplab search`` on the same study at once would fail each other's trials, so the second
refuses in one line while the first runs: a lock file next to a SQLite database (released by
the kernel when the holder dies, even by SIGKILL), a lease in the study (renewed every few
seconds, stale after 30 s) for other storages.  Use ``--dask`` to spread the trials of one
search over many machines.

With ``--dask`` and no worker connected, the search says so after a few seconds and stops after
``--worker-timeout`` seconds (default 60); the trials it had started are re-run next time.

Data are loaded once before the first trial (a bad file or option fails once, in one line).
With Dask the workers may see other files than this machine, so instead the search stops when
its first :data:`SYSTEMATIC` trials fail with the same data or configuration error.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import socket
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from .space import SearchConfig, encode_value
from .storage import make_storage  # noqa: F401 - re-exported (__all__)

__all__ = ["make_storage", "study_name", "run_search", "SearchResult", "default_out"]

#: Deaths of a worker under one configuration before it is recorded as failed.
MAX_ATTEMPTS = 3
#: Seconds after which another search's lease on a (non-SQLite) study counts as stale.
LEASE_S = 30.0
#: Default seconds to wait for a Dask worker before stopping.
WORKER_TIMEOUT = 60.0


def default_out(spec) -> Path:
    """``runs/NAME`` (``runs/NAME-quick`` for ``--quick``)."""
    return Path("runs") / (_slug(spec.name) + ("-quick" if spec.is_quick else ""))


def _slug(s: str) -> str:
    from ..experiments.spec import slug

    return slug(s, "search")


class NoWorkers(Exception):
    """No Dask worker was connected for ``worker_timeout`` seconds."""


#: Trials failing with one same data/config error after which a search stops.
SYSTEMATIC = 3


class SystematicFailure(ConfigError):
    """Every trial fails the same way (raised after :data:`SYSTEMATIC` of them)."""


class StopRequest:
    """SIGINT (Ctrl-C) and SIGTERM (``kill``) ask the search to stop at its next safe point.

    A KeyboardInterrupt raised by Python's default handler can land anywhere -- inside a
    database call, or in a garbage-collector callback that swallows it -- so the first signal
    only sets :attr:`requested`; the coordinator loop checks it every 0.25 s and then stops
    cleanly.  A second signal raises KeyboardInterrupt at once.
    """

    def __init__(self):
        self.requested = False
        self._old = {}

    def _handler(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self):
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._old[sig] = signal.signal(sig, self._handler)
        return self

    def __exit__(self, *exc):
        import signal

        for sig, old in self._old.items():
            signal.signal(sig, old)
        self._old = {}
        return False

    def check(self):
        if self.requested:
            raise KeyboardInterrupt


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
    stopped: str | None = None
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
        self.n_done = self.n_waiting = self.next_number = 0
        self._first_errors: list[str] | None = []

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

    def _interrupt(self, t, message: str, charge: bool = False):
        """Mark trial ``t`` interrupted and enqueue its values again.

        ``charge``: a worker died under it (counts toward :data:`MAX_ATTEMPTS`); a user
        interruption (Ctrl-C, a killed search process) never counts.
        """
        from optuna.trial import TrialState

        tid = t._trial_id
        attempt = int(t.user_attrs.get("attempt", 1))
        params = dict(t.params)
        st = self.storage
        st.set_trial_user_attr(tid, "message", message)
        if charge and attempt >= MAX_ATTEMPTS:
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
            nxt = attempt + 1 if charge else attempt
            self.study.enqueue_trial(params, user_attrs={"attempt": nxt})
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
        if state == "interrupted":  # Ctrl-C reached the trainer (trials in this process)
            ft = self.study._storage.get_trial(trial._trial_id)
            self._interrupt(ft, "interrupted: Ctrl-C during the trial")
            raise KeyboardInterrupt
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
        self._systematic(state, str(res.get("message") or ""))

    def _systematic(self, state: str, message: str) -> None:
        """Stop when the first trials of this run all fail with the same data/config error:
        every further trial would too (e.g. a data file the Dask workers cannot read)."""
        if state != "fail" or not message.startswith(("DataError", "ConfigError")):
            self._first_errors = None
            return
        errors = getattr(self, "_first_errors", [])
        if errors is None:
            return  # something worked (or failed differently) before
        errors.append(message)
        self._first_errors = errors
        if len(errors) >= SYSTEMATIC and len(set(errors)) == 1:
            raise SystematicFailure(
                f"the first {len(errors)} trials failed with the same error, so would all: "
                f"{message}"
            )

    def lost(self, trial, message, charge=True):
        """A worker died under ``trial`` (``charge``) or the user stopped it: re-run later,
        or (a worker died :data:`MAX_ATTEMPTS` times) failed for good."""
        ft = self.study._storage.get_trial(trial._trial_id)
        if not self._interrupt(ft, message, charge=charge) and charge:
            self.n_done += 1

    # -- loop ---------------------------------------------------------------------------------------
    def run(self, timeout=None, worker_timeout=WORKER_TIMEOUT, lease=None, stop=None):
        t_start = time.monotonic()
        slots = self.pool.slots
        no_workers_since = None
        said = False
        stop = stop or StopRequest()
        try:
            while True:
                stop.check()
                if lease is not None:
                    lease.renew()
                if self.pool.kind == "dask":
                    if self.pool.n_workers() == 0:
                        now = time.monotonic()
                        no_workers_since = no_workers_since or now
                        if not said and now - no_workers_since >= min(5.0, worker_timeout):
                            said = True
                            sys.stderr.write(
                                self._t("no_workers", address=self.pool.address,
                                        s=f"{worker_timeout:g}") + "\n"
                            )  # fmt: skip
                            sys.stderr.flush()
                        if now - no_workers_since >= worker_timeout:
                            raise NoWorkers(
                                f"no Dask worker connected to {self.pool.address} for "
                                f"{worker_timeout:g} s; start workers (dask worker ADDRESS) "
                                "and run the same command again to continue"
                            )
                    else:
                        no_workers_since, said = None, False
                    slots = self.pool.slots
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
                stop.check()  # before telling: a stopped search leaves the rest re-runnable
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
        except (KeyboardInterrupt, NoWorkers, SystematicFailure) as exc:
            why = "interrupted: Ctrl-C during the trial"
            if isinstance(exc, NoWorkers):
                why = "interrupted: no Dask worker was left"
            elif isinstance(exc, SystematicFailure):
                why = "interrupted: the search stopped (every trial failed the same way)"
            self.pool.close(cancel=True)  # stop the workers first: no late results
            for trial in list(self.inflight.values()):
                self.lost(trial, why, charge=False)
            self.inflight.clear()
            raise
        finally:
            if self.progress:
                sys.stderr.write("\n")
                sys.stderr.flush()
        return time.monotonic() - t_start

    def _t(self, key, **kw) -> str:
        """A ``search.*`` message in the user's language."""
        from .. import i18n
        from .report import user_lang

        return i18n.t(f"search.{key}", user_lang(), **kw)

    def _progress(self, t_start):
        if not self.progress:
            return
        n, total = self.n_done, self.cfg.trials
        width = 24
        fill = int(width * min(n, total) / max(total, 1))
        best = (
            self._t("progress_best", metric=self.cfg.metric, value=f"{self.best[1]:.4g}",
                    number=self.best[0])
            if self.best
            else "-"
        )  # fmt: skip
        line = f"\r[{'#' * fill}{'.' * (width - fill)}] " + self._t(
            "progress", n=n, total=total, running=len(self.inflight),
            s=f"{time.monotonic() - t_start:6.1f}", best=best,
        )  # fmt: skip
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
    worker_timeout: float = WORKER_TIMEOUT,
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
    worker_timeout : float
        With Dask: seconds without any connected worker after which the search stops.

    Raises
    ------
    ConfigError
        The data cannot be used (checked once, before any trial), or another search process
        is running the same study.

    Returns
    -------
    SearchResult
    """
    from .workers import DaskPool, LocalPool

    cfg.check_trials()
    if client is None and not dask and not scheduler_file:
        # invalid data fail here once, not in every trial (a Dask cluster may see other
        # files than this machine: there the first trials tell, see SystematicFailure)
        check_data(spec, cfg)
    out = Path(out) if out is not None else default_out(spec)
    out.mkdir(parents=True, exist_ok=True)
    url = storage or sqlite_url(out / "study.db")
    name = study_name(spec, cfg)
    if progress is None:
        progress = sys.stderr.isatty()
    lock = StudyLock(url, name)
    lock.acquire()
    stop = StopRequest().__enter__()
    try:
        if client is not None or dask or scheduler_file:
            pool = DaskPool(dask, scheduler_file, client)
        else:
            pool = LocalPool((os.cpu_count() or 1) if jobs is None else jobs)
        result = SearchResult(name, url, out, cfg, spec)
        coord = None
        try:
            coord = _Coordinator(spec, cfg, url, name, pool, progress)
            lock.attach(coord.study)  # before touching trials another search may own
            coord._recover()
            result.elapsed = coord.run(cfg.timeout, worker_timeout, lease=lock, stop=stop)
        except KeyboardInterrupt:
            result.interrupted = True
        except NoWorkers as exc:
            result.interrupted = True
            result.stopped = str(exc)
        finally:
            pool.close()
    finally:
        stop.__exit__()
        lock.release()
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


def check_data(spec, cfg: SearchConfig) -> None:
    """Load the experiment's data once and check the model sizes against it (up front)."""
    from ..experiments.runner import check_run_size, load_data

    data = load_data(spec)  # files, CSV contents, train_size/test_size against the data
    check_run_size(spec, data)
    if cfg.validation > 0 and len(data.X) < 2:
        raise ConfigError("search.validation: the training set has fewer than 2 rows")
    del data


class StudyLock:
    """Only one search process per study: a lock file (SQLite) or a lease in the study."""

    def __init__(self, url: str, name: str):
        self.url, self.name = url, name
        self.token = uuid.uuid4().hex
        self._fh = None
        self._study = None
        self._renewed = 0.0
        self.path = None
        if url.startswith("sqlite:///"):
            db = Path(url[len("sqlite:///") :].split("?", 1)[0])
            h = hashlib.sha256(name.encode()).hexdigest()[:8]
            self.path = db.with_name(f".{db.name}.{h}.lock")

    def _holder(self) -> str:
        return f"pid {os.getpid()} on {socket.gethostname()}"

    def _refuse(self, holder: str):
        raise ConfigError(
            f"study {self.name!r} is being searched by another mlplab search ({holder}); "
            "wait for it to finish, or stop it and run this command again to continue"
        )

    def acquire(self) -> None:
        if self.path is None:
            return  # a lease, taken in attach() once the study is open
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown process"
            fh.close()
            self._refuse(holder)
        fh.seek(0)
        fh.truncate()
        fh.write(self._holder())
        fh.flush()
        self._fh = fh

    def attach(self, study) -> None:
        """For storages without a lock file: check and take the lease in the study."""
        if self.path is not None:
            return
        self._study = study
        lease = study.user_attrs.get("coordinator")
        if (
            isinstance(lease, dict)
            and lease.get("token") != self.token
            and time.time() - float(lease.get("time", 0)) < LEASE_S
        ):
            self._study = None
            self._refuse(str(lease.get("holder", "unknown process")))
        self.renew(force=True)

    def renew(self, force: bool = False) -> None:
        if self._study is None:
            return
        now = time.time()
        if force or now - self._renewed >= LEASE_S / 6:
            self._study.set_user_attr(
                "coordinator", {"token": self.token, "holder": self._holder(), "time": now}
            )
            self._renewed = now

    def release(self) -> None:
        if self._fh is not None:
            try:
                self._fh.close()  # closing releases the flock
            finally:
                self._fh = None
        if self._study is not None:
            try:
                self._study.set_user_attr("coordinator", {"token": "", "time": 0})
            except Exception:  # noqa: BLE001 - the database may be gone; the lease goes stale
                pass
            self._study = None
