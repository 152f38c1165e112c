"""The worker thread of a playground server process: every session's work, fairly shared.

The event loop (:mod:`mlplab.playground.server`) only moves text: what a socket receives
goes into its :class:`Client`'s inbox, and what the worker prepared goes out.  One worker
thread per process does everything else, one short job at a time (the engine's small NumPy
calls hold the GIL, so a second thread in the same process would only take turns with the
first; ``--workers`` adds processes instead).  The jobs of a client, most urgent first:

1. ``open``: a new socket: create its session (from the page's state in the socket URL) or
   take the one it reconnects to; ``close``: its socket closed: pause and
   :meth:`~Session.compact` the session (the tab may reconnect to it);
2. ``message``: parse, validate and apply the next message (a reply or a one-line
   ``error``); applied at an epoch boundary, so every change and every frame sees whole
   epochs (a session in the middle of an epoch first trains to its end);
3. ``frame``: data and frame messages (grid forward, thumbnails, JSON), built only when the
   socket has sent the previous frame (or, for the page, when the page has drawn it): a slow
   reader gets fewer frames, never a queue, and a frame carries every loss since the last one;
4. ``train``: :meth:`Session.train` for at most :data:`SLICE` seconds, resumable at
   mini-batch granularity; a playing session runs at most ``epochsPerFrame * MAX_FPS``
   epochs/s (the page's speed), ``step`` owes one epoch.  The playing sessions that share a
   network shape (:func:`~mlplab.playground.lockstep.stack_key`) and want epochs now train
   together, whole epochs as one stack (:mod:`~mlplab.playground.lockstep`: the numbers of
   each session's own epochs), and share the slice's cost equally.

Fairness (start-time fair queuing): each client accumulates the worker time its jobs took
(``vtime``); the next job goes to the client with the least, a client that was idle starts
level with the others rather than with credit.  The work that answers a user (a message,
the epoch a ``step`` owes, the frame after it) may run :data:`BOOST` ahead of that share,
so it goes before the slices of sessions that just play.  So two heavy sessions share the
worker evenly, a light session's step waits for at most one slice, and a client that floods
messages spends only its own share (plus the boost).

Under load (the worker busy more than :data:`BUSY` of the time) frames of playing sessions
are spaced so that building them takes at most :data:`FRAME_SHARE` of the worker: fewer
frames, more epochs per second.
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import functools
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mlplab.errors import MlplabError
from mlplab.i18n.errors import translate
from mlplab.playground import schema
from mlplab.playground.files import export_config, export_csv, export_npz
from mlplab.playground.frames import dumps
from mlplab.playground.handoff import restore
from mlplab.playground.links import FRESH_SEEDS, parse_link
from mlplab.playground.lockstep import (
    MAX_STACK,
    MAX_STACK_WORK,
    stack_key,
    stack_work,
    train_together,
)
from mlplab.playground.session import Session
from mlplab.playground.snippet import python_snippet

SLICE = 0.005  #: seconds of training per job (then the next client's turn)
MAX_FPS = 120.0  #: frames per second at most per session; also sets the page's speed
FRAME_SHARE = 0.5  #: under load, frames of playing sessions get at most this share
BUSY = 0.9  #: the worker counts as loaded above this busy fraction
BOOST = 0.02  #: seconds of worker time a reply to the user may run ahead of its fair share
INBOX_MESSAGES = 4  #: a socket reads no more while this many messages wait ...
INBOX_BYTES = schema.MAX_MESSAGE_BYTES  #: ... or this many bytes of them ...
OUTBOX_MESSAGES = 8  #: ... or this many replies wait to be sent

log = logging.getLogger("mlplab.playground")

EXPORTS = {  # format: (file name, media type); npz comes as base64, the others as text
    "npz": ("playground_model.npz", "application/octet-stream"),
    "json": ("playground.json", "application/json"),
    "py": ("playground_setup.py", "text/x-python"),
    "csv": ("playground_data.csv", "text/csv"),
}


@dataclass(eq=False)
class Client:
    """One WebSocket's view of its session, shared by the event loop and the worker.

    The first group of fields is guarded by :attr:`Scheduler.lock`; the rest belongs to
    the worker thread.
    """

    sid: str
    home: Any  #: where the session is kept between sockets (an object with ``.session``)
    wake: Callable[[], None]  #: thread-safe: the socket has something to send / room to read
    start: str | None = None  #: a new session's state (JSON text from the socket URL)
    link: str | None = None  #: or the page's share link (its raw hash: TF's or mlplab's form)
    inbox: deque = field(default_factory=deque)  #: received texts (or bytes) not yet applied
    inbox_bytes: int = 0
    outbox: deque = field(default_factory=deque)  #: replies, sent in order, never dropped
    frame: str | None = None  #: the next frame, built and not yet taken by the sender
    sending: bool = False  #: a frame is on its way (being sent, or not yet drawn: ``drawn``)
    drawn: bool = False  #: the page says when it has drawn a frame (``?drawn=1``)
    closed: bool = False
    # worker thread only
    session: Session | None = None  #: set by the ``open`` job
    data_due: bool = True  #: a new socket gets the data and a frame first
    frame_due: bool = True  #: a frame is wanted now (after a message)
    owed: int = 0  #: epochs owed by ``step``
    since_frame: int = 0  #: epochs since the last frame
    last_frame: float = 0.0
    tokens: float = 0.0  #: epochs a playing session may still run (refilled at its speed)
    tick: float = 0.0
    frame_cost: float = 0.002  #: seconds to build a frame (moving average)
    vtime: float = 0.0  #: worker seconds spent on this client (fair queuing)


class Scheduler:
    """One worker thread running every client's jobs (see the module docstring)."""

    def __init__(self, lessons: dict[str, Any] | None = None, handoff: Any = None) -> None:
        self.lessons = lessons or {}  #: name -> mlplab.playground.lessons.Lesson
        self.handoff = handoff  #: mlplab.playground.handoff.Handoff, or None
        self.lock = threading.Condition()
        self.clients: list[Client] = []
        self._holders: dict[str, Client] = {}  # session id -> the client that holds it
        self._vnow = 0.0
        self._thread: threading.Thread | None = None
        self._stopping = False
        self.load = 0.0  #: busy fraction of the worker over the last half second
        self._window = (time.perf_counter(), 0.0)
        self.faults: dict[str, int] = {}  #: fault kind -> count (logged once per kind)
        self._trim_due, self._trimmed = False, 0.0

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="mlplab-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self.lock:
            self._stopping = True
            self.lock.notify()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for kind, n in self.faults.items():
            if n > 1:
                log.error("%d more server faults of kind %s", n - 1, kind)

    # ------------------------------------------------------------ event loop side
    def attach(
        self,
        sid: str,
        home: Any,
        wake: Callable[[], None],
        start: str | None = None,
        link: str | None = None,
        drawn: bool = False,
    ) -> Client:
        """A socket for the session kept in ``home.session`` (None: a new one, from the
        state ``start`` or the share link ``link``); its data and first frame follow at once.
        ``drawn``: the page acknowledges every frame it has drawn (:meth:`frame_drawn`)."""
        c = Client(sid, home, wake, start, link, drawn=drawn)
        with self.lock:
            self.clients.append(c)
            self._holders[sid] = c
            self.lock.notify()
        return c

    def post(self, c: Client, item: str | bytes) -> None:
        """A message the socket received (bytes for a binary frame: answered with an error)."""
        with self.lock:
            c.inbox.append(item)
            c.inbox_bytes += len(item)
            self.lock.notify()

    def has_room(self, c: Client) -> bool:
        """May the socket read its next message?  (Otherwise TCP holds the sender back.)"""
        with self.lock:
            return (
                len(c.inbox) < INBOX_MESSAGES
                and c.inbox_bytes < INBOX_BYTES
                and len(c.outbox) < OUTBOX_MESSAGES
            )

    def take(self, c: Client) -> tuple[str, bool] | None:
        """The next text to send and whether it is a frame: replies first, then the frame."""
        with self.lock:
            if c.outbox:
                return c.outbox.popleft(), False
            if c.frame is not None and not c.sending:
                text, c.frame, c.sending = c.frame, None, True
                return text, True
            return None

    def frame_sent(self, c: Client) -> None:
        """The socket has sent the frame: the next one may be built (unless the page says
        when it has drawn it: then :meth:`frame_drawn`)."""
        if c.drawn:
            return
        with self.lock:
            c.sending = False
            self.lock.notify()

    def frame_drawn(self, c: Client) -> None:
        """The page has drawn the last frame (a ``drawn`` message): the next may be built.

        So a page gets no more frames than it shows (at most one per animation frame of the
        browser, none while its tab is hidden) and the worker builds no frame for nothing.
        A frame the worker finished while the last one was on its way (it picked the job
        before the sender took the last frame) waits in ``c.frame``: the sender is woken for it.
        """
        with self.lock:
            c.sending = False
            waiting = c.frame is not None
            self.lock.notify()
        if waiting:
            c.wake()

    def detach(self, c: Client) -> None:
        """The socket closed: nothing more is sent; the worker pauses and compacts the session."""
        with self.lock:
            c.closed = True
            c.inbox.clear()
            c.outbox.clear()
            c.frame = None
            self.lock.notify()

    # ------------------------------------------------------------ worker thread
    def _run(self) -> None:
        while True:
            with self.lock:
                while True:
                    if self._stopping:
                        return
                    job, timeout = self._pick()
                    if job is not None or self._trim_due:
                        break
                    self.lock.wait(timeout)
            if job is None or (self._trim_due and time.monotonic() > self._trimmed + 1.0):
                self._trim_due, self._trimmed = False, time.monotonic()
                release_memory()  # sockets closed: give their sessions' memory back
            if job is None:
                continue
            c, kind = job
            t0 = time.perf_counter()
            members = [c]
            try:
                members = getattr(self, "_" + kind)(c) or members
            except Exception as exc:  # noqa: BLE001 - a server fault: log once, keep serving
                self._fault(c, kind, exc)
            cost = time.perf_counter() - t0
            for m in members:  # a stack's epochs cost each of its sessions an equal part
                m.vtime = max(m.vtime, self._vnow) + cost / len(members)
            self._account(t0, cost)

    def _pick(self) -> tuple[tuple[Client, str] | None, float | None]:
        """The next ``(client, job)`` by fair queuing, or None and how long to wait."""
        now = time.perf_counter()
        interval = self._frame_interval()
        best, best_key, wait = None, None, None
        for c in self.clients:
            kind, until = self._job_of(c, now, interval)
            if kind is None:
                if until is not None:
                    wait = until if wait is None else min(wait, until)
                continue
            v = max(c.vtime, self._vnow)
            interactive = kind in INTERACTIVE or c.frame_due or c.owed > 0 or bool(c.inbox)
            key = (v - BOOST if interactive else v, JOB_ORDER[kind], v)
            if best_key is None or key < best_key:
                best, best_key = (c, kind), key
        if best is not None and best_key[0] == best_key[2]:
            self._vnow = best_key[2]  # the virtual time of the work in progress
        return best, wait

    def _job_of(self, c: Client, now: float, interval: float) -> tuple[str | None, float | None]:
        """The job a client needs now, or None and in how many seconds it will need one."""
        s = c.session
        if c.closed:
            return "close", None
        if s is None:
            return "open", None
        if s.playing:
            rate = s.state["epochsPerFrame"] * MAX_FPS
            c.tokens = min(max(1.0, 0.05 * rate), c.tokens + (now - c.tick) * rate)
            c.tick = now
        busy = s.mid_epoch or c.owed > 0  # epochs to finish before a message or a frame
        if c.inbox and not busy:
            return "message", None
        want_frame = c.frame_due or (c.since_frame >= s.state["epochsPerFrame"])
        if want_frame and not c.sending and not busy:
            if c.frame_due or now - c.last_frame >= interval:
                return "frame", None
        if busy or (s.playing and c.tokens >= 1):
            return "train", None
        if want_frame and not c.sending:
            return None, c.last_frame + interval - now
        if s.playing:
            return None, (1 - c.tokens) / (s.state["epochsPerFrame"] * MAX_FPS)
        return None, None

    def _frame_interval(self) -> float:
        if self.load < BUSY:
            return 1.0 / MAX_FPS
        total = sum(c.frame_cost for c in self.clients if c.session and c.session.playing)
        return max(1.0 / MAX_FPS, total / FRAME_SHARE)

    def _account(self, t0: float, cost: float) -> None:
        start, busy = self._window
        busy += cost
        elapsed = t0 + cost - start
        if elapsed >= 0.5:
            self.load = min(1.0, busy / elapsed)
            start, busy = t0 + cost, 0.0
        self._window = (start, busy)

    # ------------------------------------------------------------ jobs
    def _open(self, c: Client) -> None:
        doc = getattr(c.home, "restore", None)
        if c.home.session is None and doc is not None:  # handed over by another process
            c.home.restore = None
            try:
                c.home.session = restore(doc, self.lessons)
            except Exception as exc:  # noqa: BLE001 - then a new session from the page's link
                log.info("a handed-over session was not restored: %s", one_line(str(exc)))
        if c.home.session is None:
            c.home.session, replies = new_session(c.start, c.link, self.lessons)
            for reply in replies:
                self._reply(c, reply)
        elif c.home.session.lesson is not None:  # a reconnecting tab: its lesson's texts
            self._reply(c, c.home.session.lesson.message())
        c.session = c.home.session

    def _close(self, c: Client) -> None:
        with self.lock:
            self.clients.remove(c)
            holder = self._holders.get(c.sid) is c
            if holder:
                del self._holders[c.sid]
        if holder and c.session is not None:  # not re-attached to a new socket meanwhile
            c.session.playing = False
            c.session.compact()
            if self.handoff is not None and self.handoff.dir is not None:
                c.home.handed = self.handoff.put(c.sid, c.session)  # the tab may go elsewhere
        self._trim_due = True

    def _message(self, c: Client) -> None:
        with self.lock:
            item = c.inbox.popleft()
            c.inbox_bytes -= len(item)
        c.wake()  # room to read again
        try:
            if isinstance(item, bytes):
                raise MlplabError("messages must be JSON text; binary frames are not used")
            if len(item) > schema.MAX_MESSAGE_BYTES:
                raise MlplabError(f"a message must be at most {schema.MAX_MESSAGE_BYTES} bytes")
            msg = schema.validate_message(schema.loads(item))
            self._apply(c, msg)
        except MlplabError as exc:
            self._reply(c, error_message(one_line(str(exc))))
        c.frame_due = True  # after the owed epoch of a step (see _job_of)

    def _apply(self, c: Client, msg: dict[str, Any]) -> None:
        """Apply one validated message to the client's session."""
        s, kind = c.session, msg["type"]
        data = False
        if kind == "config":
            r = s.update_state(msg["state"])
            data = r["data"] or r["reset"]  # the page redraws the network from the data message
        elif kind == "play":
            if not s.play():  # not while the stop condition still holds
                self._reply(c, {"type": "notice", "key": "playBlocked", "reason": s.stopped})
            c.tokens, c.tick, c.since_frame = 1.0, time.perf_counter(), 0
        elif kind == "pause":
            s.playing = False
        elif kind == "step":
            s.playing = False
            s.stopped = None if s.stopped != "diverged" else s.stopped
            c.owed = 1
        elif kind == "reset":
            s.reset(same=msg["same"])
            data = not msg["same"]
        elif kind == "regenerate":
            s.regenerate()
            data = True
        elif kind == "edit":
            s.edit(msg["param"], msg["index"], msg["value"])
        elif kind == "focus":
            s.focus = msg["node"]
        elif kind == "preset":
            s.apply_preset(msg["name"])
            data = True
        elif kind == "upload":
            s.playing = False
            info = s.set_upload(
                msg["csv"], cols=msg["cols"], label=msg["label"], features=msg["features"]
            )
            self._reply(c, {"type": "uploaded", **info})
            data = True
        elif kind == "import":
            s.playing = False
            s.import_model(msg["data"])
            self._reply(c, {"type": "imported", "sizes": s.sizes()})
            data = True
        elif kind == "export":
            self._reply(c, export_message(s, msg["format"]))
        elif kind == "lesson":
            lesson = None if msg["name"] is None else self.lessons.get(msg["name"])
            if msg["name"] is not None and lesson is None:
                raise MlplabError(
                    f"lesson.name must be one of {', '.join(self.lessons) or '(none)'};"
                    f" got {msg['name']!r}"
                )
            s.open_lesson(lesson)
            self._reply(c, lesson.message() if lesson else {"type": "lesson", "name": None})
            data = True
        c.data_due |= data

    def _frame(self, c: Client) -> None:
        t0 = time.perf_counter()
        s = c.session
        data = dumps(s.data_message()) if c.data_due else None
        with self.lock:
            replace = c.frame is not None  # an unsent frame is replaced ...
        if replace:
            s.hist_sent = 0  # ... by one with the whole loss history
        text = dumps(s.frame())
        with self.lock:
            if c.closed:
                return
            if data is not None:
                c.outbox.append(data)
            c.frame = text
        c.wake()
        c.data_due = c.frame_due = False
        c.since_frame = 0
        c.last_frame = time.perf_counter()
        c.frame_cost = 0.8 * c.frame_cost + 0.2 * (c.last_frame - t0)

    def _train(self, c: Client) -> list[Client] | None:
        """Train ``c``'s session for a slice, with the sessions it stacks with (if any).

        Returns the clients whose sessions trained (a stack: they share the slice's cost)."""
        s = c.session
        epf = s.state["epochsPerFrame"]
        stack = self._stack_of(c)
        if stack is not None:
            epochs = min(self._epochs_wanted(m) for m in stack)
            done = train_together([m.session for m in stack], epochs, time.perf_counter() + SLICE)
            for m in stack:
                self._trained(m, done)
            return stack
        if c.owed:
            epochs = c.owed
        elif s.playing and c.since_frame < epf and not (c.inbox or c.frame_due):
            epochs = self._epochs_wanted(c)
        else:  # only to the end of the epoch in progress: a message or a frame waits
            epochs = 1
        self._trained(c, s.train(epochs, deadline=time.perf_counter() + SLICE))
        return None

    @staticmethod
    def _epochs_wanted(c: Client) -> int:
        """Epochs a playing session may run now: its tokens, up to its next frame (one at a
        time once its frame is due but waits for its turn)."""
        return max(1, min(int(c.tokens), c.session.state["epochsPerFrame"] - c.since_frame))

    @staticmethod
    def _plays_on(c: Client) -> bool:
        """A playing session that only wants epochs now (no step or message waiting, no
        frame asked for by one)."""
        s = c.session
        return (
            s is not None
            and not c.closed
            and s.playing
            and not (c.owed or c.inbox or c.frame_due)
            and c.tokens >= 1
        )

    def _stack_of(self, c: Client) -> list[Client] | None:
        """``c`` and the playing sessions that train with it as one stack
        (:mod:`~mlplab.playground.lockstep`: same :func:`~lockstep.stack_key`), or None."""
        if not self._plays_on(c) or (key := stack_key(c.session)) is None:
            return None
        with self.lock:
            others = [o for o in self.clients if o is not c]
        stack, work = [c], stack_work(c.session)
        for o in others:
            if len(stack) == MAX_STACK:
                break
            if not self._plays_on(o) or stack_key(o.session) != key:
                continue
            work += stack_work(o.session)
            if work > MAX_STACK_WORK:
                break
            stack.append(o)
        return stack if len(stack) > 1 else None

    def _trained(self, c: Client, done: int) -> None:
        """Book ``done`` epochs of ``c``'s session: frame due, step paid, tokens spent."""
        s = c.session
        c.since_frame += done
        if c.owed:
            c.owed -= min(done, c.owed)
            c.frame_due |= c.owed == 0
        elif s.playing or done:
            c.tokens = max(0.0, c.tokens - done)
        if s.stopped:  # the stop condition paused it: show that
            c.owed = 0
            c.frame_due = True

    # ------------------------------------------------------------ helpers
    def _reply(self, c: Client, obj: dict[str, Any]) -> None:
        text = dumps(obj)
        with self.lock:
            if c.closed:
                return
            c.outbox.append(text)
        c.wake()

    def log_fault(self, where: str, exc: BaseException) -> None:
        """Log a server fault with its traceback the first time per kind, then count it."""
        key = f"{where}:{type(exc).__name__}"
        with self.lock:
            self.faults[key] = n = self.faults.get(key, 0) + 1
        if n == 1:
            log.error("server fault in %s (logged once per kind)", where, exc_info=exc)

    def _fault(self, c: Client, kind: str, exc: Exception) -> None:
        """A bug, not a client's mistake: logged once per kind; the session pauses."""
        self.log_fault(kind, exc)
        s = c.session
        if s is not None:
            s.playing = False
            s._steps = None  # drop a partial epoch that may repeat the fault
        c.owed, c.frame_due, c.data_due = 0, False, False
        self._reply(c, error_message(f"server error ({type(exc).__name__}); "
                                     "the session was paused. Reset or reload the page."))  # fmt: skip


JOB_ORDER = {"close": 0, "open": 1, "message": 1, "frame": 2, "train": 3}
INTERACTIVE = {"close", "open", "message"}
MAX_START_CHARS = 8000  #: longest state in a socket URL


def new_session(
    start: str | None, link: str | None = None, lessons: dict[str, Any] | None = None
) -> tuple[Session, list[dict[str, Any]]]:
    """A session from the page's share link (``link``, its raw hash) or state (``start``,
    JSON text), and the replies that go with it: what the link said (``link``: language and
    the keys not used) and the lesson it opened."""
    lessons = lessons or {}
    if link is not None:
        parsed = parse_link(link, lessons=set(lessons))
        lesson = lessons.get(parsed.lesson) if parsed.lesson else None
        state = {**(lesson.setup if lesson else {}), **parsed.state}  # the link's keys win
        for key in ("seed", "initSeed"):  # TF: a link without a seed draws one
            state.setdefault(key, secrets.randbelow(FRESH_SEEDS))
        notes = list(parsed.notes)
        try:
            session = Session(state, lesson=lesson)
        except MlplabError as exc:
            notes.append(one_line(f"the link's settings were not used ({exc})"))
            seeds = {k: state[k] for k in ("seed", "initSeed")}
            session = Session(seeds, lesson=lesson)
        replies: list[dict[str, Any]] = [
            {
                "type": "link",
                "lang": parsed.lang,
                "notes": notes,
                "notes_ko": [translate(n, "ko") for n in notes],
            }
        ]
        if lesson is not None:
            replies.append(lesson.message())
        return session, replies
    if start:
        try:
            if len(start) > MAX_START_CHARS:
                raise MlplabError(f"at most {MAX_START_CHARS} characters")
            return Session(schema.loads(start, "state")), []
        except MlplabError as exc:
            msg = one_line(f"the link's settings were not used ({exc})")
            return Session(), [error_message(msg)]
    return Session(), []


@functools.cache
def _libc() -> Any:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def release_memory() -> None:
    """Return the C heap's free pages to the system (glibc ``malloc_trim``; elsewhere a no-op).

    The arrays of a closed session are freed but glibc keeps the pages for later
    allocations; after many tabs closed, the process would stay at its peak size.
    """
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def error_message(text: str) -> dict[str, str]:
    """The ``error`` message of ``text``, with its Korean line for a Korean page (``ko``:
    :func:`mlplab.i18n.errors.translate`; the English text where no Korean form exists)."""
    return {"type": "error", "message": text, "ko": translate(text, "ko")}


def one_line(text: str, limit: int = 300) -> str:
    """A message as one line of at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def export_message(s: Session, fmt: str) -> dict[str, Any]:
    """The ``file`` message of an export: the page turns it into a download."""
    name, mime = EXPORTS[fmt]
    msg: dict[str, Any] = {"type": "file", "format": fmt, "name": name, "mime": mime}
    if fmt == "npz":
        msg["base64"] = base64.b64encode(export_npz(s)).decode("ascii")
    elif fmt == "json":
        msg["text"] = dumps(export_config(s))
    elif fmt == "py":
        msg["text"] = python_snippet(s)
    else:
        msg["text"] = export_csv(s)
    return msg
