"""Where trials run: one trial (:func:`run_trial`), a local process pool, a Dask cluster.

:func:`run_trial` is a plain top-level function of a picklable payload, so the same code runs
in a :class:`concurrent.futures.ProcessPoolExecutor` worker and on a Dask worker.  It never
raises: a trial that raises or diverges comes back as ``{"state": "fail", "message": ...}``.

Workers pin BLAS to one thread (``OMP_NUM_THREADS=1``, ``OPENBLAS_NUM_THREADS=1``, ...) so
that N workers on N cores do not fight over them: the local pool is started with these
variables in its environment (``spawn``: a fresh interpreter that loads NumPy after they are
set); Dask's nanny sets the same variables for its workers by default
(``distributed.nanny.pre-spawn-environ``).
"""

from __future__ import annotations

import contextlib
import math
import os
import time
import traceback

from ..callbacks import Callback

__all__ = ["run_trial", "LocalPool", "DaskPool", "BLAS_ENV"]

#: Environment of a worker process: one BLAS thread.
BLAS_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}

_STUDIES: dict = {}  # (url, study name, pruner) -> optuna Study, per worker process
_SPLITS: dict = {}  # data key -> (Data, validation arrays), per worker process


def _pruner(name: str):
    import optuna

    if name == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1)
    if name == "halving":
        return optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    return optuna.pruners.NopPruner()


def _study(url: str, name: str, pruner: str):
    key = (url, name, pruner)
    if key not in _STUDIES:
        import optuna

        from .storage import make_storage

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        _STUDIES[key] = optuna.load_study(
            study_name=name, storage=make_storage(url), pruner=_pruner(pruner)
        )
    return _STUDIES[key]


def _data(spec, validation: float):
    """The experiment's data, with ``validation`` of the training rows held out (cached)."""
    import json

    import numpy as np

    from ..experiments.runner import Data, load_data

    key = json.dumps([spec.sections["data"], spec.seed, spec.model.get("dtype"), validation])
    if key in _SPLITS:
        return _SPLITS[key]
    data = load_data(spec)
    if validation > 0:
        # DLfS hyperparameter_optimization.py: shuffle, hold out the first 20 %
        n = len(data.X)
        perm = np.random.default_rng(spec.seed).permutation(n)
        n_val = max(1, int(round(n * validation)))
        va, tr = perm[:n_val], perm[n_val:]
        data = Data(
            data.X[tr],
            data.y[tr],
            data.X[va],
            data.y[va],
            data.n_classes,
            f"{data.info}; {len(tr)} train / {n_val} validation rows (held out)",
            data.kind,
        )
    if len(_SPLITS) > 8:
        _SPLITS.clear()
    _SPLITS[key] = data
    return data


class _Report(Callback):
    """Trainer callback: report the metric after every evaluation, stop when pruned."""

    def __init__(self, trial, key: str):
        self.trial, self.key, self.n, self.pruned = trial, key, 0, False

    def on_eval(self, trainer, logs):
        v = logs.get(self.key)
        if v is None or not math.isfinite(v):
            return
        self.n += 1
        self.trial.report(float(v), self.n)
        if self.trial.should_prune():
            self.pruned = True
            trainer.stop_training = True
            trainer.stop_message = f"pruned after evaluation {self.n} ({self.key} = {v:.4g})"


def run_trial(payload: dict) -> dict:
    """Train one configuration; never raises.

    Parameters
    ----------
    payload : dict
        ``spec`` (a validated :class:`~mlplab.experiments.spec.Spec` with the trial's
        values), ``number``, ``eval_key`` (``"val_acc"`` ...), ``validation`` (fraction),
        and for pruning ``storage``, ``study``, ``trial_id``, ``pruner``.

    Returns
    -------
    dict
        ``number``, ``state`` ("complete" | "pruned" | "fail" | "interrupted"), ``value`` (the metric at the
        last evaluation), ``message``, ``time_s``, ``curves`` (per-evaluation lists
        ``epoch``, ``train_loss``, ``val_loss``, ``train_acc``, ``val_acc``), ``pid``.
    """
    t0 = time.perf_counter()
    out = {"number": payload["number"], "pid": os.getpid(), "curves": {}, "value": None}
    try:
        from ..experiments.runner import build_trainer

        spec = payload["spec"]
        data = _data(spec, payload.get("validation", 0.0))
        callbacks = []
        rep = None
        if payload.get("pruner", "none") != "none":
            import optuna

            study = _study(payload["storage"], payload["study"], payload["pruner"])
            rep = _Report(optuna.trial.Trial(study, payload["trial_id"]), payload["eval_key"])
            callbacks.append(rep)
        _, trainer = build_trainer(spec, data, callbacks)
        hist = trainer.fit(data.X, data.y)
        ev = hist.evals
        out["curves"] = {
            k: [None if v is None or not math.isfinite(v) else float(v) for v in ev[k]]
            for k in ("epoch", "train_loss", "val_loss", "train_acc", "val_acc")
        }
        values = [v for v in out["curves"][payload["eval_key"]] if v is not None]
        out["value"] = values[-1] if values else None
        if rep is not None and rep.pruned:
            out["state"], out["message"] = "pruned", hist.message
        elif hist.stopped_reason == "diverged":
            out["state"], out["message"] = "fail", f"diverged: {hist.message}"
        elif hist.stopped_reason == "interrupted":  # Ctrl-C: not the configuration's fault
            out["state"], out["message"] = "interrupted", "interrupted by the user"
        elif out["value"] is None:
            out["state"] = "fail"
            out["message"] = f"no finite {payload['eval_key']} was measured"
        else:
            out["state"], out["message"] = "complete", hist.message
    except Exception as exc:  # noqa: BLE001 - a failing trial is recorded, the search goes on
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" ({tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno})" if tb else ""
        out["state"] = "fail"
        out["message"] = f"{type(exc).__name__}: {exc}{where}".replace("\n", " ")
    out["time_s"] = time.perf_counter() - t0
    return out


# ---------------------------------------------------------------------------------------------
# executors
# ---------------------------------------------------------------------------------------------
@contextlib.contextmanager
def _env(extra: dict):
    old = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _noop(x=None):
    return x


def _ignore_sigint():
    """Worker initializer: Ctrl-C is for the search process, which stops the workers itself
    (otherwise a worker's trainer would report its trial as interrupted on its own)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalPool:
    """``jobs`` worker processes (spawned with one BLAS thread each).

    ``jobs = 0`` runs trials in the calling process (no pool; for tests and debugging).
    """

    kind = "local"

    def __init__(self, jobs: int):
        self.jobs = int(jobs)
        self._ex = None
        self._start()

    @property
    def slots(self) -> int:
        return max(self.jobs, 1)

    def _start(self):
        if self.jobs <= 0:
            return
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        with _env(BLAS_ENV):
            self._ex = ProcessPoolExecutor(
                self.jobs, mp_context=mp.get_context("spawn"), initializer=_ignore_sigint
            )
            # start every worker now, while the environment is set
            list(self._ex.map(_noop, range(self.jobs)))

    def submit(self, fn, arg):
        if self._ex is None:
            from concurrent.futures import Future

            f = Future()
            f.set_result(fn(arg))
            return f
        return self._ex.submit(fn, arg)

    def wait(self, futures, timeout):
        from concurrent.futures import FIRST_COMPLETED, wait

        done, _ = wait(list(futures), timeout=timeout, return_when=FIRST_COMPLETED)
        return done

    @staticmethod
    def result(future):
        """``(result, None)`` or ``(None, message)`` when the worker died."""
        try:
            return future.result(), None
        except Exception as exc:  # noqa: BLE001 - BrokenProcessPool, a killed worker
            return None, f"worker lost: {type(exc).__name__}: {exc}"

    def restart(self):
        """After a worker died (the pool is broken): a fresh pool."""
        self.close(cancel=True)
        self._start()

    def close(self, cancel=False):
        """Shut the pool down; ``cancel``: drop queued trials and stop running ones now."""
        if self._ex is not None:
            if cancel:  # a running trial would otherwise go on to its end
                procs = list((getattr(self._ex, "_processes", None) or {}).values())
                for p in procs:
                    if p.is_alive():
                        p.terminate()
                for p in procs:
                    p.join(5)
            self._ex.shutdown(wait=True, cancel_futures=cancel)
            self._ex = None


class DaskPool:
    """Trials as tasks on a Dask distributed cluster (``tcp://HOST:PORT`` or a scheduler file).

    A worker killed mid-trial: the scheduler re-runs the task on another worker (up to
    ``distributed.scheduler.allowed-failures`` times), the same trial id is reused.
    """

    kind = "dask"

    def __init__(self, address=None, scheduler_file=None, client=None):
        from distributed import Client

        self._own = client is None
        if client is None:
            if scheduler_file:
                client = Client(scheduler_file=str(scheduler_file), timeout="30s")
            else:
                client = Client(address, timeout="30s")
        self.client = client
        self.address = address or (str(scheduler_file) if scheduler_file else None)
        if self.address is None:
            self.address = getattr(client.scheduler, "address", "the Dask scheduler")
        self._futures = set()

    def n_workers(self) -> int:
        """Workers connected right now."""
        try:
            return len(self.client.scheduler_info()["workers"])
        except Exception:  # noqa: BLE001 - scheduler gone: no workers either
            return 0

    @property
    def slots(self) -> int:
        n = sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values())
        return max(n, 1)

    def submit(self, fn, arg):
        fut = self.client.submit(fn, arg, pure=False)
        self._futures.add(fut)
        return fut

    def wait(self, futures, timeout):
        from distributed import wait

        try:
            done, _ = wait(list(futures), timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return set()
        return done

    def result(self, future):
        self._futures.discard(future)  # a held future keeps its result on the cluster
        try:
            return future.result(), None
        except Exception as exc:  # noqa: BLE001 - KilledWorker after too many losses
            return None, f"worker lost: {type(exc).__name__}: {exc}"

    def restart(self):  # pragma: no cover - Dask replaces dead workers itself
        pass

    def close(self, cancel=False):
        if cancel and self._futures:
            try:
                self.client.cancel([f for f in self._futures if not f.done()])
            except Exception:  # noqa: BLE001 - the scheduler may be gone
                pass
        self._futures = set()
        if self._own:
            self.client.close()
