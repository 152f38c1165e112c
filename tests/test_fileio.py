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
