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
from mlplab.experiments.spec import load_spec, parse_limits, using_limits  # noqa: E402
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


def test_more_trials_than_the_limit_is_one_line_and_writes_nothing(tmp_path, capsys):
    """Before: ``--trials 99999999999999999999`` started a search that would never end."""
    out = tmp_path / "out"
    args = ["random-search", "--quick", "--no-report", "--out", str(out)]
    assert search_main([*args, "--trials", "99999999999999999999"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "trials: 99,999,999,999,999,999,999 trials" in err
    assert "--limit variants=N" in err and not out.exists()
    f = tmp_path / "many.toml"  # the same cap for the file's own search.trials
    f.write_text(tiny(RANDOM.replace("trials = 5", "trials = 5000")))
    assert search_main([str(f), "--out", str(out)]) == 2
    assert "trials: 5,000 trials, more than the limit variants=1,000" in capsys.readouterr().err
    _, cfg = load_search_file("random-search")
    with using_limits(parse_limits(["variants=100000"])):
        cfg.with_overrides(trials=5000).check_trials()  # raised: allowed


def test_a_regression_search_ranks_by_loss_and_refuses_an_accuracy(tmp_path):
    """Before: a search of a CSV regression ran every trial to 'no finite val_acc was measured'."""
    rows = "\n".join(f"{i % 7},{i % 5},{(i % 7) * 0.3 + (i % 5) * 0.1:.2f}" for i in range(60))
    (tmp_path / "r.csv").write_text("a,b,t\n" + rows + "\n", encoding="utf-8")
    exp = (
        f"[experiment]\nname = 'reg'\n[data]\nsource = 'csv'\npath = '{tmp_path / 'r.csv'}'\n"
        "label = 't'\ntask = 'regression'\n[model]\nhidden = [4]\nloss = 'mse'\n"
        "[train]\nepochs = 2\n"
    )
    space = '[search.space]\n"train.lr" = [0.01, 0.1]\n'
    _, cfg = load_search_file(exp + "[search]\ntrials = 2\n" + space)
    assert (cfg.metric, cfg.direction) == ("val_loss", "minimize")
    with pytest.raises(ConfigError, match="search.metric: 'val_acc' is an accuracy, but data.task"):
        load_search_file(exp + "[search]\nmetric = 'val_acc'\n" + space)


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
metric = "val_loss"
[search.space]
"train.lr" = [0.1, 1000]
"model.activation" = ["relu", "sigmoid"]
"""
    ).replace(
        'activation = "tanh"', 'activation = "tanh"\nloss = "mse"\noutput = "identity"\ninit = 1.0'
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


def _page_text(path: Path) -> str:
    import html
    import re

    page = re.sub(r"<style.*?</style>|<script.*?</script>", "", path.read_text(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def test_search_speaks_korean_with_lang_ko(tmp_path, capsys, monkeypatch):
    """--lang ko: the summary, the leaderboard's column heads, the messages on stderr, the
    progress line and report.html are Korean; metrics.json, best.toml and the CSV are not
    translated; English has no Hangul."""
    from korean import english_lines, hangul
    from mlplab.search.report import leaderboard_text

    monkeypatch.setenv("MLPLAB_LANG", "en")  # restored afterwards (--lang sets it)
    f = tmp_path / "s.toml"
    f.write_text(tiny(RANDOM))
    runs = {}
    for lang in ("ko", "en"):
        out = tmp_path / lang
        argv = [str(f), "--jobs", "0", "--out", str(out), "--trials", "3", "--lang", lang]
        assert search_main(argv) == 0
        printed, err = capsys.readouterr()
        runs[lang] = (out, printed, err, _page_text(out / "report.html"))
    out, printed, err, page = runs["ko"]
    for text in (printed, err, page):  # (the page's command to reproduce holds tmp_path)
        bad = english_lines(text, allowed=[str(tmp_path)])
        assert hangul(text) and not bad, bad
    assert "순위  시행    val_acc" in printed and "[mlplab] 탐색 폴더: " in err
    assert "그림 1. lr에 따른 각 시행의 지표" in page
    for name in ("metrics.json", "best.toml", "metrics.csv"):
        assert not hangul((out / name).read_text(encoding="utf-8")), name
    assert json.loads((out / "metrics.json").read_text())["counts"]["complete"] == 3
    out, printed, err, page = runs["en"]
    assert not hangul(printed + err + page)
    assert "rank trial    val_acc" in printed and "Figure 1. metric vs lr" in page

    spec, cfg = load_search_file(tiny(RANDOM))
    monkeypatch.setenv("MLPLAB_LANG", "ko")
    res = run_search(spec, cfg, out=tmp_path / "p", jobs=0, report=False, progress=True)
    bar = capsys.readouterr().err
    assert "시행 5/5, 실행 중 0" in bar and not english_lines(bar), bar
    res.rows.append({"number": 9, "state": "fail", "message": "boom"})
    text = leaderboard_text(res, lang="ko")
    assert "실패한 시행 (1개):" in text and not english_lines(text), english_lines(text)


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


# -- interruptions, concurrency, workers, up-front checks --------------------------------------------
def _search_cmd(f, out, *extra):
    return [sys.executable, "-m", "mlplab.cli", "search", str(f), "--jobs", "1", "--out",
            str(out), "--no-report", "--quiet", *extra]  # fmt: skip


def _env():
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _wait_running(proc, db, complete=0, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        c = _db_counts(db) if db.exists() else {}
        if c.get("RUNNING", 0) >= 1 and c.get("COMPLETE", 0) >= complete:
            return c
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.05)
    pytest.fail("no trial started")


def _trials(db):
    import optuna

    storage = f"sqlite:///{db}"
    (summary,) = optuna.get_all_study_summaries(storage)
    return optuna.load_study(study_name=summary.study_name, storage=storage).trials


def test_user_interruptions_are_never_charged_to_a_trial(tmp_path):
    """Five Ctrl-C (SIGINT to the process group, as a terminal sends it) during trials."""
    import optuna

    f = tmp_path / "slow.toml"
    f.write_text(tiny(RANDOM.replace("trials = 5", "trials = 3"), n=3000, hidden="[64, 64]",
                      epochs=8))  # fmt: skip
    out = tmp_path / "out"
    db = out / "study.db"
    for _ in range(5):  # MAX_ATTEMPTS is 3: before the fix the 4th made the trial a failure
        proc = subprocess.Popen(_search_cmd(f, out), env=_env(), start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        try:
            _wait_running(proc, db)
            os.killpg(proc.pid, signal.SIGINT)
            rc = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        err = proc.stderr.read().decode()
        assert rc == 130, err
        assert "Traceback" not in err and "interrupted; run the same command again" in err
        assert _db_counts(db).get("RUNNING", 0) == 0  # nothing left dangling
    done = subprocess.run(_search_cmd(f, out), env=_env(), capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    trials = _trials(db)
    real_failures = [
        t
        for t in trials
        if t.state == optuna.trial.TrialState.FAIL and not t.user_attrs.get("interrupted")
    ]
    assert real_failures == []
    assert sum(t.state == optuna.trial.TrialState.COMPLETE for t in trials) == 3
    assert max(int(t.user_attrs.get("attempt", 1)) for t in trials) == 1  # never charged


def test_sigterm_stops_the_search_like_ctrl_c(tmp_path):
    f = tmp_path / "slow.toml"
    f.write_text(tiny(RANDOM.replace("trials = 5", "trials = 3"), n=3000, hidden="[64, 64]",
                      epochs=8))  # fmt: skip
    out = tmp_path / "out"
    proc = subprocess.Popen(_search_cmd(f, out), env=_env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        _wait_running(proc, out / "study.db")
        proc.terminate()  # `kill PID`: the search process only, not its worker
        rc = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert rc == 130, proc.stderr.read().decode()
    c = _db_counts(out / "study.db")
    assert c.get("RUNNING", 0) == 0 and c.get("FAIL", 0) >= 1  # FAIL = interrupted, re-queued
    assert c.get("WAITING", 0) >= 1


def test_a_second_search_on_the_same_study_refuses_in_one_line(tmp_path):
    f = tmp_path / "slow.toml"
    f.write_text(tiny(RANDOM.replace("trials = 5", "trials = 3"), n=3000, hidden="[64, 64]",
                      epochs=8))  # fmt: skip
    out = tmp_path / "out"
    first = subprocess.Popen(_search_cmd(f, out), env=_env(), start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        _wait_running(first, out / "study.db")
        second = subprocess.run(_search_cmd(f, out), env=_env(), capture_output=True,
                                text=True, timeout=120)  # fmt: skip
        assert second.returncode == 2, second.stderr
        line = second.stderr.strip()
        assert "\n" not in line and "Traceback" not in line
        assert "is being searched by another mlplab search (pid " in line
        assert f"pid {first.pid} on " in line
        rc = first.wait(timeout=300)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    err = first.stderr.read().decode()
    assert rc == 0 and "UpdateFinishedTrialError" not in err, err
    assert _db_counts(out / "study.db").get("COMPLETE", 0) == 3


def test_an_interruption_inside_an_in_process_trial_is_not_charged(tmp_path, monkeypatch):
    import optuna

    import mlplab.experiments.runner as runner
    from mlplab.callbacks import Callback

    real = runner.build_trainer
    calls = []

    class CtrlC(Callback):
        def on_step_end(self, trainer, step, logs):
            if step == 3:
                raise KeyboardInterrupt  # what a Ctrl-C in the middle of the step does

    def build(spec, data, callbacks=()):
        calls.append(1)
        extra = [CtrlC()] if len(calls) == 2 else []
        return real(spec, data, [*callbacks, *extra])

    monkeypatch.setattr(runner, "build_trainer", build)
    spec, cfg = load_search_file(tiny(RANDOM))
    res = run_search(spec, cfg, out=tmp_path, jobs=0, report=False)
    assert res.interrupted and res.n_failed == 0
    res = run_search(spec, cfg, out=tmp_path, jobs=0, report=False)
    assert not res.interrupted and res.n_complete == 5 and res.n_failed == 0
    trials = _trials(tmp_path / "study.db")
    (stopped,) = [t for t in trials if t.user_attrs.get("interrupted")]
    assert stopped.state == optuna.trial.TrialState.FAIL
    assert any(t.params == stopped.params for t in trials if t.state.name == "COMPLETE")


def test_without_dask_workers_the_search_says_so_and_stops(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    spec, cfg = load_search_file(tiny(RANDOM))
    with (
        distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        t0 = time.monotonic()
        res = run_search(spec, cfg, out=tmp_path, client=client, report=False, worker_timeout=3)
        elapsed = time.monotonic() - t0
    assert res.interrupted and "no Dask worker connected to" in res.stopped
    assert elapsed < 30
    assert "no Dask worker is connected" in capsys.readouterr().err
    assert _db_counts(tmp_path / "study.db").get("RUNNING", 0) == 0


def test_invalid_data_fails_once_up_front(tmp_path, capsys):
    f = tmp_path / "csv.toml"
    text = tiny(RANDOM).replace(
        'source = "builtin"\nname = "moons"\nn = 200',
        'source = "csv"\npath = "nope.csv"\nlabel = -1',
    )
    f.write_text(text)
    assert search_main([str(f), "--out", str(tmp_path / "out"), "--jobs", "0"]) == 2
    err = capsys.readouterr().err
    assert "CSV file not found: nope.csv" in err and err.count("\n") == 1
    assert not (tmp_path / "out" / "study.db").exists()  # no trial was run
    f.write_text(tiny(RANDOM).replace("n = 200", "n = 200\ndim = 3"))
    assert search_main([str(f), "--out", str(tmp_path / "out"), "--jobs", "0"]) == 2
    assert "data.dim: not an option of data set 'moons'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "space, fragment",
    [
        (
            '"train.lr" = { low = 0.001, high = 0.1, points = 1000000000 }',
            "points: must be an integer >= 2 and <= 10000",
        ),
        (
            '"train.lr" = { low = 0.001, high = 0.1, points = 1000 }\n"train.batch_size" = { low = 1, high = 1000, step = 1 }',
            "search.space: the grid has 1,000,000 points, more than the limit variants=1,000",
        ),
        (
            '"model.hidden" = [[10000000]]',
            "model.hidden: 2-10000000-... needs at least 40,000,001 parameters",
        ),
    ],
)
def test_huge_grids_and_models_are_rejected_before_allocating(tmp_path, capsys, space, fragment):
    import tracemalloc

    f = tmp_path / "big.toml"
    f.write_text(tiny(f'[search]\nsampler = "grid"\n[search.space]\n{space}\n'))
    tracemalloc.start()
    try:
        rc = search_main([str(f), "--out", str(tmp_path / "out"), "--jobs", "0"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    err = capsys.readouterr().err
    assert rc == 2 and fragment in err and err.count("\n") == 1, err
    assert peak < 50_000_000  # the grid of 1e9 points took 20.8 GB


def test_a_non_utf8_search_file_is_one_line(tmp_path, capsys):
    f = tmp_path / "latin.toml"
    f.write_bytes(tiny(RANDOM).replace('"tiny"', '"caf\xe9"').encode("latin-1"))
    assert search_main([str(f)]) == 2
    err = capsys.readouterr().err
    assert "not UTF-8 text (byte 0xe9)" in err and err.count("\n") == 1


def test_on_dask_a_data_error_of_every_trial_stops_the_search(tmp_path):
    """A cluster may see other files than this machine: the first trials tell, then it stops."""
    distributed = pytest.importorskip("distributed")
    text = tiny(RANDOM.replace("trials = 5", "trials = 50")).replace(
        'source = "builtin"\nname = "moons"\nn = 200',
        'source = "csv"\npath = "nope.csv"\nlabel = -1',
    )
    spec, cfg = load_search_file(text)
    with (
        distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        with pytest.raises(ConfigError) as info:
            run_search(spec, cfg, out=tmp_path, client=client, report=False)
    msg = str(info.value)
    assert msg.startswith("the first 3 trials failed with the same error, so would all: DataError")
    assert "CSV file not found: nope.csv" in msg and "\n" not in msg
    assert _db_counts(tmp_path / "study.db").get("FAIL", 0) <= 4  # not 50


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_the_search_figures_are_drawn_once_per_saved_file(tmp_path, fmt):
    """search_figures lays them out like viz.finish: no layout engine left behind (with one,
    savefig draws the figure twice)."""
    from mlplab.search.report import search_figures

    spec, cfg = load_search_file(tiny(RANDOM))
    res = run_search(spec, cfg.with_overrides(trials=3), out=tmp_path, jobs=0, report=False)
    for name, fig in search_figures(res).items():
        draws = []
        fig.canvas.mpl_connect("draw_event", lambda event, d=draws: d.append(event))
        fig.savefig(tmp_path / f"{name}.{fmt}", format=fmt)
        assert len(draws) == 1, name
