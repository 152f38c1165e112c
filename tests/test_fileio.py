"""Atomic writes keep the old file when a write fails halfway."""

import pytest

from mlplab.fileio import atomic_path, atomic_write


def test_atomic_write_replaces(tmp_path):
    p = tmp_path / "a" / "f.txt"
    atomic_write(p, "one")
    atomic_write(p, b"two")
    assert p.read_text() == "two"
    assert sorted(x.name for x in p.parent.iterdir()) == ["f.txt"]


def test_failed_write_keeps_the_old_file_and_no_temp(tmp_path):
    p = tmp_path / "f.txt"
    atomic_write(p, "good")
    with pytest.raises(OSError, match="disk full"):
        with atomic_path(p) as tmp:
            tmp.write_text("half")
            raise OSError("disk full")
    assert p.read_text() == "good"
    assert [x.name for x in tmp_path.iterdir()] == ["f.txt"]


def test_new_files_follow_the_umask_and_replacements_keep_the_mode(tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        p = atomic_write(tmp_path / "new.txt", "x")
        assert stat.S_IMODE(p.stat().st_mode) == 0o644  # was 0600 (mkstemp)
        os.umask(0o077)
        atomic_write(p, "y")
        assert stat.S_IMODE(p.stat().st_mode) == 0o644  # a 0644 file stays 0644
        q = tmp_path / "private.txt"
        q.write_text("secret")
        q.chmod(0o600)
        os.umask(0o022)
        atomic_write(q, "still secret")
        assert stat.S_IMODE(q.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_stale_temp_files_of_killed_writers_are_removed_on_the_next_save(tmp_path):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    pid = int(dead.stdout)
    stale = tmp_path / f".f.txt.tmp-{pid}-abcd1234.tmp"
    stale.write_text("half written by a killed process")
    mine = tmp_path / f".f.txt.tmp-{1}-abcd1234.tmp"  # pid 1 runs: maybe another writer
    mine.write_text("in progress")
    other = tmp_path / ".g.txt.tmp-999999-abcd.tmp"  # another file's temp: not ours to touch
    other.write_text("x")
    atomic_write(tmp_path / "f.txt", "new")
    names = sorted(x.name for x in tmp_path.iterdir())
    assert names == sorted(["f.txt", mine.name, other.name])


def test_a_model_save_uses_the_same_rules(tmp_path):
    import os
    import stat

    from mlplab import MLP

    old = os.umask(0o022)
    try:
        p = MLP([2, 3, 1], loss="bce", seed=0).save(tmp_path / "m.npz")
        assert stat.S_IMODE(p.stat().st_mode) == 0o644
        assert [x.name for x in tmp_path.iterdir()] == ["m.npz"]
    finally:
        os.umask(old)
