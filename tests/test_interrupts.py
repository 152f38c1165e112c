"""Interruptions of real processes: Ctrl-C (SIGINT to the process group, as a terminal sends
it) during a multi-variant run, and SIGKILL during atomic saves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

BIN = Path(sys.executable).with_name("mlplab")
ROOT = Path(__file__).resolve().parents[1]

#: Four variants: two short, a third that would run for hours, a fourth after it.
MULTI = """[experiment]
name = "multi"
[data]
source = "builtin"
name = "moons"
n = 2000
[model]
hidden = [16]
[train]
optimizer = "sgd"
lr = 0.1
batch_size = 10
epochs = 1
[variants]
mode = "zip"
lr = [0.1, 0.2, 0.3, 0.4]
epochs = [1, 1, 100000, 1]
"""


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.skipif(not BIN.exists(), reason="the mlplab console script is not installed")
def test_one_ctrl_c_stops_a_multi_variant_run_and_keeps_what_finished(tmp_path):
    (tmp_path / "multi.toml").write_text(MULTI)
    out = tmp_path / "run"
    proc = subprocess.Popen([str(BIN), "run", "multi.toml", "--out", str(out)], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # fmt: skip
    try:
        # imports and the two short variants take ~2 s of CPU; then the long one runs
        deadline = time.monotonic() + 120
        while _cpu_seconds(proc.pid) < 6 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGINT)  # one Ctrl-C
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "interrupted; the variants that finished are kept" in stderr
    lines = stdout.splitlines()
    assert any(ln.startswith("lr=0.1, epochs=1 ") for ln in lines)
    assert any(ln.startswith("lr=0.2, epochs=1 ") for ln in lines)
    assert any("interrupted by the user at step" in ln for ln in lines)
    assert any("not run: the run was interrupted" in ln for ln in lines)  # the 4th variant
    assert "interrupted: 2 of 4 variant(s) finished" in stdout
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["status"] == "interrupted"
    v = metrics["variants"]
    assert v["lr=0.1, epochs=1"]["stopped"] == "completed"
    assert v["lr=0.2, epochs=1"]["stopped"] == "completed"
    assert v["lr=0.3, epochs=100000"]["stopped"] == "interrupted"
    assert v["lr=0.4, epochs=1"]["stopped"] == "interrupted"
    assert v["lr=0.4, epochs=1"]["steps"] == 0


@pytest.mark.skipif(not BIN.exists(), reason="the mlplab console script is not installed")
def test_a_run_whose_every_variant_diverged_exits_1(tmp_path):
    text = MULTI.replace("epochs = [1, 1, 100000, 1]", "epochs = [2, 2, 2, 2]").replace(
        "lr = [0.1, 0.2, 0.3, 0.4]", "lr = [997, 998, 999, 1000]"
    )
    text = text.replace(
        "hidden = [16]", 'hidden = [16]\ninit = 1.0\nloss = "mse"\noutput = "identity"'
    )
    (tmp_path / "div.toml").write_text(text)
    r = subprocess.run([str(BIN), "run", "div.toml", "--no-save"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 1, r.stdout + r.stderr
    assert "failed: every variant diverged" in r.stdout
    assert r.stderr.strip().splitlines()[-1].startswith("mlplab: the run failed: every variant")
    assert "Traceback" not in r.stderr
    one_ok = text.replace("lr = [997, 998, 999, 1000]", "lr = [0.1, 998, 999, 1000]")
    (tmp_path / "some.toml").write_text(one_ok)
    r = subprocess.run([str(BIN), "run", "some.toml", "--no-save"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr


SAVER = """
import sys
import numpy as np
from mlplab.fileio import atomic_write
from mlplab import MLP
model = MLP([100, 200, 10], seed=0)
i = 0
while True:  # saves as fast as it can until killed
    model.params["b1"][:] = i
    model.save(sys.argv[1])
    atomic_write(sys.argv[2], (str(i) + "\\n") * 100000)
    i += 1
"""


def test_sigkill_during_saves_never_leaves_a_broken_file_and_temps_are_cleaned(tmp_path):
    from mlplab import load
    from mlplab.fileio import atomic_write

    model_path, text_path = tmp_path / "m.npz", tmp_path / "t.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    rng = np.random.default_rng(0)
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(model_path), str(text_path)],
                                env=env)  # fmt: skip
        deadline = time.monotonic() + 60
        while not (model_path.exists() and text_path.exists()) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(float(rng.uniform(0.05, 0.5)))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        m = load(model_path)  # the last complete save, never a half-written one
        b = m.params["b1"]
        assert np.all(b == b[0])
        lines = set(text_path.read_text().splitlines())
        assert len(lines) == 1
    atomic_write(text_path, "new")
    from mlplab import MLP

    MLP([2, 3, 1], seed=0).save(model_path)
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # killed temps gone
