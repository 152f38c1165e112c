"""scripts/system-deps.sh: waits for another apt/dpkg instead of failing, and shows apt's error.

apt-get and dpkg are replaced by small scripts on PATH: the test must not install anything on
the machine (nor take its real dpkg lock, which other work may need).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "system-deps.sh"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the script installs only as root")


def _fake_bin(tmp_path, apt_body: str) -> dict:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dpkg").write_text("#!/bin/sh\nexit 1\n")  # every package missing
    (bin_dir / "apt-get").write_text("#!/bin/sh\n" + apt_body)
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "MLPLAB_APT_RETRY_SLEEP": "0",
        "CALLS": str(tmp_path / "calls"),
    }
    return env


def _run(env):
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True,
                          timeout=60)  # fmt: skip


def test_waits_for_the_dpkg_lock_then_installs(tmp_path):
    env = _fake_bin(
        tmp_path,
        'echo "$@" >> "$CALLS"\n'
        'n=$(wc -l < "$CALLS")\n'
        'if [ "$n" -le 3 ]; then\n'
        '  echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242'
        ' (apt-get)" >&2; exit 100\n'
        "fi\n"
        "exit 0\n",
    )
    r = _run(env)
    assert r.returncode == 0
    assert "another apt/dpkg holds the lock; waiting" in r.stdout
    assert (
        "[system-deps] installed: chromium dataset-fashion-mnist fonts-nanum graphviz" in r.stdout
    )
    calls = (tmp_path / "calls").read_text().splitlines()
    assert all("-o DPkg::Lock::Timeout=600" in c for c in calls)  # apt waits itself, too
    assert any(" install -y -qq chromium" in c for c in calls)


def test_shows_apts_error_when_it_fails(tmp_path):
    env = _fake_bin(
        tmp_path,
        'case "$*" in *install*) echo "E: Unable to locate package dataset-fashion-mnist" >&2;'
        " exit 100;; esac\nexit 0\n",
    )
    r = _run(env)
    assert r.returncode == 0  # the tests that need the packages skip with a reason
    assert "could not install: chromium" in r.stdout
    assert "E: Unable to locate package dataset-fashion-mnist" in r.stdout
