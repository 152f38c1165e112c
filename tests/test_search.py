"""mlplab search: space validation, samplers, failures, resume after SIGKILL, Dask on loopback."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("optuna")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mlplab.errors import ConfigError  # noqa: E402
from mlplab.experiments.spec import load_spec  # noqa: E402
from mlplab.search.cli import main as search_main  # noqa: E402
from mlplab.search.space import load_search_file, toml_dumps  # noqa: E402
from mlplab.search.study import run_search  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

BASE = """
[experiment]
name = "tiny"
seed = 0
[data]
source = "builtin"
name = "moons"
n = {n}
[model]
hidden = {hidden}
activation = "tanh"
[train]
optimizer = "sgd"
lr = 0.1
batch_size = 32
epochs = {epochs}
"""


def tiny(search: str, n=200, hidden="[8]", epochs=2) -> str:
    return BASE.format(n=n, hidden=hidden, epochs=epochs) + search


RANDOM = """
[search]
sampler = "random"
trials = 5
seed = 3
[search.space]
"train.lr" = { low = 1e-3, high = 1.0, log = true }
"model.weight_decay" = { low = 1e-8, high = 1e-2, log = true }
"""


def _db_counts(db: Path) -> dict:
    con = sqlite3.connect(db, timeout=30)
    try:
        rows = con.execute("SELECT state, COUNT(*) FROM trials GROUP BY state").fetchall()
    except sqlite3.OperationalError:  # tables not created yet
        rows = []
    finally:
        con.close()
    return dict(rows)


def _params_of(res, state="complete"):
    return [json.dumps(r["params"], sort_keys=True) for r in res.rows if r["state"] == state]


# -- the search table ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "space, match",
    [
        ('"train.lr" = { low = 0.1, high = 0.1 }', "empty range"),
        ('"train.lr" = { low = 0.5, high = 0.1 }', "low must be < high"),
        ('"train.lrr" = [0.1, 0.2]', "unknown hyperparameter"),
        ('"optimizer.lr" = [0.1, 0.2]', "unknown hyperparameter"),
        ('"model.weight_decay" = { low = 0.0, high = 0.1, log = true }', "log range needs low > 0"),
        ('"train.lr" = []', "empty list"),
        ('"train.lr" = { low = -1.0, high = 0.1 }', "train.lr"),  # not a legal lr
        ('"model.activation" = ["relu", "relux"]', "relux"),
    ],
)
def test_bad_search_space_is_one_line_config_error(tmp_path, capsys, space, match):
    text = tiny(f"[search]\ntrials = 2\n[search.space]\n{space}\n")
    with pytest.raises(ConfigError, match=match) as err:
        load_search_file(text)
    assert "\n" not in str(err.value)
    f = tmp_path / "bad.toml"
    f.write_text(text)
    code = search_main([str(f), "--jobs", "0", "--out", str(tmp_path / "o")])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and match in lines[0]
    assert not (tmp_path / "o" / "study.db").exists()  # nothing ran


@pytest.mark.parametrize(
    "table, match",
    [
        ('sampler = "bayes"', "search.sampler"),
        ('metric = "f1"', "search.metric"),
        ("trials = 0", "search.trials"),
        ('pruner = "hyperband"', "search.pruner"),
        ("budget = 3", "search.budget: unknown key"),
    ],
)
def test_bad_search_options(table, match):
    with pytest.raises(ConfigError, match=match):
        load_search_file(tiny(f'[search]\n{table}\n[search.space]\n"train.lr" = [0.1]\n'))


def test_cli_errors_exit_2(tmp_path, capsys):
    assert search_main([str(tmp_path / "missing.toml")]) == 2
    assert "does not exist" in capsys.readouterr().err
    f = tmp_path / "nosearch.toml"
    f.write_text(tiny(""))
    assert search_main([str(f)]) == 2
    assert "no [search] table" in capsys.readouterr().err
    assert search_main(["random-search", "--jobs", "-1"]) == 2


def test_builtin_random_search_is_dlfs():
    spec, cfg = load_search_file("random-search")
    assert spec.data["train_size"] == 500 and cfg.validation == 0.2
    assert spec.model["hidden"] == [100] * 6 and spec.train["epochs"] == 50
    assert spec.train["batch_size"] == 100 and spec.train["optimizer"] == "sgd"
    assert cfg.trials == 100 and cfg.sampler == "random" and cfg.metric == "val_acc"
    lr, wd = cfg.space["train.lr"], cfg.space["model.weight_decay"]
    assert (lr.low, lr.high, lr.log) == (1e-6, 1e-2, True)
    assert (wd.low, wd.high, wd.log) == (1e-8, 1e-4, True)
    qspec, qcfg = load_search_file("random-search", quick=True)
    assert qcfg.trials < 10 and qspec.train["epochs"] < 50


# -- samplers -----------------------------------------------------------------------------------
def test_grid_covers_its_space_exactly_and_resume_adds_nothing(tmp_path):
    text = tiny(
        """
[search]
sampler = "grid"
[search.space]
"model.activation" = ["relu", "tanh"]
"model.hidden" = [[4], [6, 6]]
"train.lr" = { low = 0.01, high = 1.0, log = true, points = 3 }
"""
    )
    spec, cfg = load_search_file(text)
    assert cfg.trials == 12
    res = run_search(spec, cfg, out=tmp_path, jobs=0, report=False)
    want = set(itertools.product(["relu", "tanh"], [(4,), (6, 6)], [0.01, 0.1, 1.0]))
    got = [
        (
            r["params"]["model.activation"],
            tuple(r["params"]["model.hidden"]),
            round(r["params"]["train.lr"], 12),
        )  # fmt: skip
        for r in res.rows
    ]
    assert len(got) == 12 and set(got) == want  # every point once
    again = run_search(spec, cfg.with_overrides(trials=20), out=tmp_path, jobs=0, report=False)
    assert again.n_run_now == 0 and again.n_finished == 12


def test_random_search_is_reproducible_with_a_seed(tmp_path):
    spec, cfg = load_search_file(tiny(RANDOM))
    a = run_search(spec, cfg, out=tmp_path / "a", jobs=0, report=False)
    b = run_search(spec, cfg, out=tmp_path / "b", jobs=0, report=False)
    c = run_search(spec, cfg.with_overrides(seed=4), out=tmp_path / "c", jobs=0, report=False)

    def by_number(r):
        return {row["number"]: row["params"] for row in r.rows}

    assert by_number(a) == by_number(b) and len(by_number(a)) == 5
    assert by_number(a) != by_number(c)
    assert [r["value"] for r in a.rows] == [r["value"] for r in b.rows]


def test_more_trials_continue_without_repeating(tmp_path):
    spec, cfg = load_search_file(tiny(RANDOM))
    first = run_search(spec, cfg, out=tmp_path, jobs=0, report=False)
    more = run_search(spec, cfg.with_overrides(trials=8), out=tmp_path, jobs=0, report=False)
    assert first.n_finished == 5 and more.n_finished == 8 and more.n_run_now == 3
    params = _params_of(more)
    assert len(params) == len(set(params)) == 8


def test_tpe_and_median_pruner_report_per_epoch(tmp_path):
    import optuna

    text = tiny(
        RANDOM.replace('"random"', '"tpe"').replace("trials = 5", 'trials = 6\npruner = "median"'),
        epochs=4,
    )
    spec, cfg = load_search_file(text)
    res = run_search(spec, cfg, out=tmp_path, jobs=0, report=False)
    assert res.n_finished == 6
    study = optuna.load_study(study_name=res.study_name, storage=res.storage)
    finished = [t for t in study.trials if t.state.is_finished()]
    assert all(len(t.intermediate_values) >= 1 for t in finished)
    complete = [t for t in finished if t.state == optuna.trial.TrialState.COMPLETE]
    assert all(len(t.intermediate_values) == 4 for t in complete)  # one value per epoch


# -- failures -----------------------------------------------------------------------------------
def test_diverging_and_raising_trials_are_recorded_and_the_search_goes_on(tmp_path, monkeypatch):
    import mlplab.experiments.runner as runner

    real = runner.build_model

    def build(spec, data, **kw):
        if spec.model["activation"] == "sigmoid":
            raise RuntimeError("boom in build_model")
        return real(spec, data, **kw)

    monkeypatch.setattr(runner, "build_model", build)
    text = tiny(
        """
[search]
sampler = "grid"
[search.space]
"train.lr" = [0.1, 1e30]
"model.activation" = ["relu", "sigmoid"]
"""
    )
    spec, cfg = load_search_file(text)
    res = run_search(spec, cfg, out=tmp_path, jobs=0)
    assert res.n_complete == 1 and res.n_failed == 3
    msgs = [r["message"] for r in res.rows if r["state"] == "fail"]
    assert sum("boom in build_model" in m for m in msgs) == 2
    assert sum(m.startswith("diverged") for m in msgs) == 1
    assert res.best["params"] == {"train.lr": 0.1, "model.activation": "relu"}
    text_out = (tmp_path / "output.txt").read_text()
    assert "failed trials (3)" in text_out and "boom in build_model" in text_out


# -- output -------------------------------------------------------------------------------------
def test_cli_writes_leaderboard_plots_best_file_and_report(tmp_path, capsys):
    f = tmp_path / "s.toml"
    f.write_text(tiny(RANDOM))
    out = tmp_path / "out"
    assert search_main([str(f), "--jobs", "0", "--out", str(out), "--trials", "4"]) == 0
    printed = capsys.readouterr().out
    assert "Best-20" in printed and "4 complete" in printed
    for name in ("study.db", "report.html", "best.toml", "metrics.json", "parallel.png",
                 "best_k.png", "metric_vs_lr.png", "metric_vs_weight_decay.png"):  # fmt: skip
        assert (out / name).is_file(), name
    best = load_spec(out / "best.toml")
    metrics = json.loads((out / "metrics.json").read_text())
    assert best.train["lr"] == pytest.approx(metrics["best"]["params"]["train.lr"])
    assert best.model["weight_decay"] == pytest.approx(
        metrics["best"]["params"]["model.weight_decay"]
    )
    lb = [r["value"] for r in metrics["leaderboard"]]
    assert lb == sorted(lb, reverse=True) and len(lb) == 4
    assert "search" in json.loads((out / "config.json").read_text())["command"]


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True),
        st.one_of(
            st.integers(-(10**9), 10**9),
            st.floats(allow_nan=False, allow_infinity=False),
            st.text(max_size=10),
            st.booleans(),
            st.lists(st.integers(0, 100), max_size=4),
        ),
        max_size=6,
    )
)
def test_toml_dumps_round_trips(body):
    assert tomllib.loads(toml_dumps({"sec": body})) == {"sec": body}


# -- resume after a real kill ----------------------------------------------------------------------
def test_resume_after_sigkill_loses_nothing_and_repeats_nothing(tmp_path):
    f = tmp_path / "slow.toml"
    f.write_text(tiny(RANDOM.replace("trials = 5", "trials = 8"), n=3000, hidden="[64, 64]",
                      epochs=8))  # fmt: skip
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "mlplab.cli", "search", str(f), "--jobs", "1", "--out", str(out),
           "--no-report", "--quiet"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(cmd, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    db = out / "study.db"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            c = _db_counts(db) if db.exists() else {}
            if c.get("COMPLETE", 0) >= 2 and c.get("RUNNING", 0) >= 1:
                break
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.05)
        else:
            pytest.fail("the search did not get going")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the search and its worker process
        proc.wait()
    before = _db_counts(db)
    assert before.get("RUNNING", 0) >= 1 and before.get("COMPLETE", 0) < 8
    done = subprocess.run(cmd, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()

    import optuna

    storage = f"sqlite:///{db}"
    (summary,) = optuna.get_all_study_summaries(storage)
    trials = optuna.load_study(study_name=summary.study_name, storage=storage).trials
    complete = [t for t in trials if t.state == optuna.trial.TrialState.COMPLETE]
    interrupted = [t for t in trials if t.user_attrs.get("interrupted")]
    assert len(complete) == 8  # the budget, nothing lost
    assert len({json.dumps(t.params, sort_keys=True) for t in complete}) == 8  # none twice
    assert len(interrupted) == before["RUNNING"]
    for t in interrupted:  # the killed trial was run again with the same values
        assert t.state == optuna.trial.TrialState.FAIL
        if t.user_attrs.get("abandoned"):  # killed before its values were drawn: nothing to re-run
            assert set(t.params) < {"train.lr", "model.weight_decay"}
            continue
        assert any(c.params == t.params for c in complete)
    assert not [t for t in trials if t.state == optuna.trial.TrialState.RUNNING]


# -- Dask on loopback -----------------------------------------------------------------------------
def test_dask_localcluster_search_survives_a_killed_worker(tmp_path):
    distributed = pytest.importorskip("distributed")
    text = tiny(RANDOM.replace("trials = 5", "trials = 6"), n=3000, hidden="[64, 64]", epochs=8)
    spec, cfg = load_search_file(text)
    with (
        distributed.LocalCluster(
            processes=True,
            n_workers=2,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        pids = client.run(os.getpid)  # worker address -> pid
        db = tmp_path / "study.db"
        killed = []

        def kill_one_mid_trial():
            t_end = time.monotonic() + 60
            while time.monotonic() < t_end:
                c = _db_counts(db) if db.exists() else {}
                if c.get("COMPLETE", 0) >= 1 and c.get("RUNNING", 0) >= 1:
                    pid = next(iter(pids.values()))
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
                time.sleep(0.05)

        killer = threading.Thread(target=kill_one_mid_trial, daemon=True)
        killer.start()
        res = run_search(spec, cfg, out=tmp_path, client=client, report=True)
        killer.join(5)
    assert killed, "no worker was killed"
    assert res.n_complete == 6 and res.n_finished == 6
    params = _params_of(res)
    assert len(set(params)) == 6
    assert (tmp_path / "report.html").is_file() and (tmp_path / "best.toml").is_file()


def test_search_modules_import_each_other_without_a_loop():
    """report -> study -> workers -> study was a loop (even through function-level imports):
    every import inside mlplab.search, lazy ones included, now runs one way."""
    import ast
    from pathlib import Path

    import mlplab.search

    root = Path(mlplab.search.__file__).parent
    edges = {}
    for f in root.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                deps.add(node.module.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.level == 1:
                deps.update(a.name for a in node.names)
        edges[f.stem] = deps & {p.stem for p in root.glob("*.py")}

    def reaches(a, b, seen=()):
        return any(d == b or (d not in seen and reaches(d, b, (*seen, d))) for d in edges[a])

    loops = sorted(m for m in edges if reaches(m, m))
    assert not loops, {m: sorted(edges[m]) for m in loops}
