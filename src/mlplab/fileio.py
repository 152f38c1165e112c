"""Atomic file writes: an interrupted save never destroys the file that was there before.

The new content goes to a temporary file in the same directory, is flushed to disk
(``os.fsync``) and then moved over the target with ``os.replace`` (atomic on POSIX and
Windows).  On any error the temporary file is removed and the old file is untouched.

Permissions are those of an ordinary write: the temporary file is created with mode 0666
minus the user's umask (the kernel applies it), and when it replaces an existing file it
takes that file's mode (a private 0600 file stays private, a 0644 file stays readable).

A temporary file is named ``.<name>.tmp-<pid>-<random><suffix>``; one left behind by a killed
process (its pid no longer runs) is removed by the next save of the same file.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # another user's process, or no kill() here
        return True
    return True


def clean_stale_temps(path) -> list[Path]:
    """Remove temporary files of ``path`` left by processes that no longer run."""
    path = Path(path)
    prefix = f".{path.name}.tmp-"
    removed = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        pid_text = entry.name[len(prefix) :].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid() or _pid_alive(int(pid_text)):
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            pass
    return removed


def _create_temp(path: Path, suffix: str) -> Path:
    """A new empty file next to ``path``, mode 0666 & ~umask (or the mode ``path`` has)."""
    for _ in range(100):
        tmp = path.parent / f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}{suffix}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        try:
            try:
                st = os.stat(path)
            except OSError:
                st = None
            if st is not None and stat.S_ISREG(st.st_mode) and hasattr(os, "fchmod"):
                os.fchmod(fd, stat.S_IMODE(st.st_mode))
        finally:
            os.close(fd)
        return tmp
    raise FileExistsError(f"cannot create a temporary file next to {path}")  # pragma: no cover


@contextmanager
def atomic_path(path, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it replaces ``path`` atomically.

    Example::

        with atomic_path("model.npz", suffix=".npz") as tmp:
            np.savez(tmp, ...)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(path)
    tmp = _create_temp(path, suffix)
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable; not possible on every platform
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:  # pragma: no cover - e.g. Windows
        pass


def atomic_write(path, data: bytes | str, encoding: str = "utf-8") -> Path:
    """Write ``data`` (bytes, or text in ``encoding``) to ``path`` atomically."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    with atomic_path(path) as tmp:
        tmp.write_bytes(raw)
    return Path(path)
