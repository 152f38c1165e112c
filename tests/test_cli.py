"""The command line, driven as a user would: subprocess for the real entry point."""

import json
import subprocess
import sys

import pytest

from mlplab.cli import main
from mlplab.data.idx import fashion_available

needs_fashion = pytest.mark.skipif(
    not fashion_available(),
    reason="Fashion-MNIST not found (Debian package dataset-fashion-mnist, or MLPLAB_DATA)",
)


def mlplab(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "mlplab.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)  # fmt: skip


def test_version_and_help():
    r = mlplab("--version")
    assert r.returncode == 0 and r.stdout.startswith("mlplab ")
    r = mlplab("--help")
    assert r.returncode == 0 and "run" in r.stdout and "playground" in r.stdout
    r = mlplab("run", "notebook-231", "--help")
    assert r.returncode == 0 and "--lr" in r.stdout and "--gradient" in r.stdout


def test_list_shows_the_seed_lessons():
    r = mlplab("list")
    assert r.returncode == 0
    for name in (
        "notebook-231",
        "backprop-221",
        "backprop-222",
        "apple",
        "gates",
        "gd-1d",
        "gd-2d",
        "losses",
    ):
        assert name in r.stdout


def test_run_notebook_writes_a_run_folder(tmp_path):
    out = tmp_path / "nb"
    r = mlplab("run", "notebook-231", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "loss train: 0.1336 / loss test: 0.2472" in r.stdout
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["name"] == "notebook-231"
    metrics = json.loads((out / "metrics.json").read_text())
    assert round(metrics["cases"][3]["loss_test"], 4) == 0.4934


def test_run_json(tmp_path):
    r = mlplab("run", "apple", "--json", "--no-save")
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert data["name"] == "apple"


def test_default_run_folder_is_under_runs(tmp_path):
    r = mlplab("run", "losses", "--quiet", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == ""
    folders = list((tmp_path / "runs").glob("losses-*"))
    assert len(folders) == 1 and (folders[0] / "metrics.json").exists()


@pytest.mark.parametrize(
    "args,needle",
    [
        (["run", "nope"], "unknown run 'nope'"),
        (["run", "notebook-231", "--lr", "abc"], "--lr"),
        (["run", "notebook-231", "--gradient", "magic"], "--gradient"),
        (["run", "notebook-231", "--bogus"], "unrecognized arguments"),
        (["frobnicate"], "invalid choice"),
        (["report", "/nonexistent/run"], "/nonexistent/run"),
    ],
)
def test_bad_usage_exits_2_with_one_line(args, needle):
    r = mlplab(*args)
    assert r.returncode == 2
    assert needle in r.stderr
    assert r.stderr.strip().count("\n") == 0, r.stderr
    assert "Traceback" not in r.stderr


def test_main_in_process_returns_2_on_mlplab_error(capsys):
    assert main(["run", "nope", "--no-save"]) == 2
    assert "unknown run" in capsys.readouterr().err


def test_a_negative_zero_init_std_runs(tmp_path):
    """Before: ``--init -0`` printed NumPy's traceback ('scale < 0'); -0 is a std of zero."""
    r = mlplab("run", "notebook-231", "--init", "-0", "--epochs", "1", "--no-save", cwd=tmp_path)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr


def test_every_run_has_a_working_help():
    from mlplab.experiments.registry import all_runs

    for name in all_runs():
        r = mlplab("run", name, "--help")
        assert r.returncode == 0, (name, r.stderr)
        assert "--seed" in r.stdout and "--out" in r.stdout


@needs_fashion
def test_classic_experiment_quick_from_the_command_line(tmp_path):
    r = mlplab("run", "init-compare", "--quick", "--out", str(tmp_path / "ic"))
    assert r.returncode == 0, r.stderr
    metrics = (tmp_path / "ic" / "metrics.json").read_text()
    assert "std=0.01" in metrics or "std0.01" in metrics
    assert (tmp_path / "ic" / "report.html").exists()


def test_run_an_experiment_file_with_overrides(tmp_path):
    src = tmp_path / "mine.toml"
    src.write_text(
        '[experiment]\nname = "mine"\nseed = 0\n[data]\nsource = "builtin"\nname = "moons"\n'
        '[model]\nhidden = [8]\nactivation = "tanh"\n[train]\noptimizer = "adam"\nlr = 0.01\n'
        "batch_size = 20\nepochs = 5\n"
    )
    r = mlplab("run", str(src), "--set", "train.epochs=3", "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    cfg = (tmp_path / "out" / "config.json").read_text()
    assert "mine" in cfg


def test_a_csv_regression_from_the_command_line(tmp_path):
    """The real command: a CSV of numeric targets runs as a regression with data.task (before:
    an unknown key), prints its test loss and writes its per-epoch loss figure."""
    rows = "\n".join(f"{i % 7},{i % 5},{(i % 7) * 0.3 - (i % 5) * 0.1:.2f}" for i in range(80))
    (tmp_path / "r.csv").write_text("a,b,t\n" + rows + "\n", encoding="utf-8")
    (tmp_path / "reg.toml").write_text(
        '[experiment]\nname = "reg"\n[data]\nsource = "csv"\npath = "r.csv"\nlabel = "t"\n'
        'task = "regression"\n[model]\nhidden = [8]\nloss = "mse"\n[train]\nepochs = 5\n'
    )
    r = mlplab("run", "reg.toml", "--out", "out", "--lang", "en", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    header = next(ln for ln in r.stdout.splitlines() if ln.startswith("variant"))
    assert header.split()[1:3] == ["test", "loss"]
    assert (tmp_path / "out" / "epoch_loss.png").exists()
    r = mlplab("run", "reg.toml", "--set", "model.loss=cce", "--no-save", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "model.loss: 'cce' needs class labels, but data.task is 'regression'" in r.stderr


@pytest.mark.parametrize(
    "body,needle",
    [
        ("[train]\nlr = -1\n", "train.lr"),
        ('[model]\nactivation = "relux"\n', "model.activation"),
        ("[bogus]\nx = 1\n", "bogus"),
        ("[train\n", "line"),
    ],
)
def test_bad_experiment_file_is_one_line(tmp_path, body, needle):
    f = tmp_path / "bad.toml"
    f.write_text('[experiment]\nname = "bad"\n[data]\nsource = "builtin"\nname = "moons"\n' + body)
    r = mlplab("run", str(f), "--no-save")
    assert r.returncode == 2, r.stdout + r.stderr
    assert needle in r.stderr and r.stderr.strip().count("\n") == 0, r.stderr


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--port", "70000"], "--port must be in [1, 65535]"),
        (["--host", "999.1.1.1"], "--host '999.1.1.1' is not an address of this machine"),
        (["--host", "*"], "--host '*' is not an address of this machine"),  # before: exit 1
        (["--host", "10.255.255.254"], "--host '10.255.255.254' is not an address"),
    ],
)
def test_playground_bad_bind_is_one_line(args, needle):
    r = mlplab("playground", "--no-browser", *args)
    assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1, r.stderr


def test_playground_port_in_use_is_one_line():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = mlplab("playground", "--no-browser", "--port", str(port))
    assert r.returncode == 2 and "choose another --port" in r.stderr


def test_output_into_a_closed_pipe_ends_quietly():
    """``mlplab run ... | head``: no traceback, status 141 as if killed by SIGPIPE; SIGPIPE
    itself stays ignored (reset to its default, it let a reset socket kill the playground)."""
    import os

    r, w = os.pipe()
    os.close(r)  # the reader is gone before anything is written
    try:
        p = subprocess.run([sys.executable, "-m", "mlplab.cli", "list"], stdout=w,
                           stderr=subprocess.PIPE, timeout=120)  # fmt: skip
    finally:
        os.close(w)
    assert p.returncode == 141 and p.stderr == b"", p.stderr
