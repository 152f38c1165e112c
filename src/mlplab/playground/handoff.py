"""A session passed from one server process to another when its tab reconnects elsewhere.

With ``--workers N`` the kernel picks the process of every new connection, so a tab that
reconnects (a reload, a Wi-Fi blip) lands on another process N − 1 times in N.  When a
socket closes, its process writes the session's state, epoch and weights to a file in the
server's private directory; the process the tab reconnects to claims that file (an atomic
rename: exactly one process gets it) and goes on from there.  The process that wrote it
remembers a token: if the tab comes back to it and its file is still there, it resumes its
own copy (optimizer state included); if another process claimed the file, its copy is stale
and is dropped.

What is carried is what the page's JSON export holds (:func:`mlplab.playground.files.
export_config`: the settings, the epoch and the weights) and the epoch-0 weights that Reset
returns to, JSON only; the optimizer's moments,
a partial batch carried into the next epoch and the loss chart start over.  A session on an
uploaded CSV is not handed over (its rows stay with the process that has them).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

#: What a session id looks like (``secrets.token_urlsafe(12)``): nothing else names a file.
SID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
#: Largest handoff file read (the largest network's weights as JSON take ~40 KB).
MAX_BYTES = 1 << 20


class Handoff:
    """Session files in ``directory`` (None: one process, nothing is handed over)."""

    def __init__(self, directory: str | os.PathLike | None):
        self.dir = Path(directory) / "handoff" if directory else None
        if self.dir is not None:
            self.dir.mkdir(mode=0o700, exist_ok=True)

    def _path(self, sid: str) -> Path | None:
        if self.dir is None or not isinstance(sid, str) or not SID.match(sid):
            return None
        return self.dir / f"{sid}.json"

    def exists(self, sid: str) -> bool:
        p = self._path(sid)
        return p is not None and p.exists()

    def put(self, sid: str, session) -> str | None:
        """Write ``session`` for another process; returns the token written (None: not)."""
        from mlplab.playground.files import export_config

        p = self._path(sid)
        if p is None or session.uses_upload():
            return None
        token = secrets.token_hex(8)
        lesson = session.lesson.name if session.lesson is not None else None
        initial = {k: v.tolist() for k, v in session.initial.items()}  # what Reset returns to
        doc = {"token": token, "lesson": lesson, "initial": initial, **export_config(session)}
        tmp = p.with_suffix(f".{token}.tmp")
        tmp.write_text(json.dumps(doc, allow_nan=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, p)
        return token

    def take(self, sid: str, mine: str | None = None) -> tuple[str, dict[str, Any] | None]:
        """Claim the file of ``sid``.

        Returns ``("none", None)`` when there is none, ``("mine", None)`` when it holds the
        token ``mine`` (the caller's own copy is current; the file is removed), else
        ``("theirs", doc)``: the session as another process left it.
        """
        p = self._path(sid)
        if p is None:
            return "none", None
        claimed = p.with_suffix(f".{secrets.token_hex(8)}.claimed")
        try:
            os.rename(p, claimed)  # atomic: one process wins
        except OSError:
            return "none", None
        try:
            if claimed.stat().st_size > MAX_BYTES:
                return "none", None
            doc = json.loads(claimed.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "none", None
        finally:
            with contextlib.suppress(OSError):
                claimed.unlink()
        if not isinstance(doc, dict):
            return "none", None
        if mine is not None and doc.get("token") == mine:
            return "mine", None
        return "theirs", doc

    def drop(self, sid: str) -> None:
        """Remove the file of ``sid`` (its session expired)."""
        p = self._path(sid)
        if p is not None:
            with contextlib.suppress(OSError):
                p.unlink()

    def expire(self, max_age: float) -> None:
        """Remove files older than ``max_age`` seconds (their tabs did not come back)."""
        if self.dir is None:
            return
        now = time.time()
        for p in self.dir.iterdir():
            with contextlib.suppress(OSError):
                if now - p.stat().st_mtime > max_age:
                    p.unlink()


def restore(doc: dict[str, Any], lessons: dict[str, Any] | None = None):
    """The :class:`~mlplab.playground.session.Session` a handoff file describes: its
    settings, lesson, weights and epoch (validated like an imported JSON config), and the
    weights Reset returns to (the session's epoch-0 network; without them, the weights handed)."""
    from mlplab.errors import MlplabError
    from mlplab.playground.session import Session

    lesson = (lessons or {}).get(doc.get("lesson")) if isinstance(doc.get("lesson"), str) else None
    s = Session(doc.get("state") or {}, lesson=lesson)
    body = {k: v for k, v in doc.items() if k not in ("token", "lesson", "initial")}
    s.import_model(json.dumps(body).encode())
    initial = doc.get("initial")
    if isinstance(initial, dict) and initial.keys() == s.model.params.keys():
        try:
            s.initial = s.checked_params(initial)  # shapes and finite numbers
            s.fixed_params = {k: v.tolist() for k, v in s.initial.items()}
        except MlplabError:
            pass  # a bad "initial": Reset returns to the handed weights
    epoch = doc.get("epoch")
    if isinstance(epoch, int) and not isinstance(epoch, bool) and 0 <= epoch < 10**9:
        s.epoch = epoch
    return s
