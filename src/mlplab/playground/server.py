"""ASGI server of ``mlplab playground``: the page and one WebSocket per tab.

Routes
------
``/``             the page (plain HTML/CSS/JS from ``static/``, works offline)
``/static/...``   its assets, and ``page-data.js``: the defaults, choices, words (both
                  languages, from :mod:`mlplab.i18n`) and lessons the page is built from
``/favicon.ico``  the icon
``/ws``           one WebSocket per browser tab = one :class:`~mlplab.playground.session.Session`;
                  ``?token=`` (when the server has one), ``?state=`` (the page's settings as
                  JSON: a new session starts from them) or ``?link=`` (the page's raw hash,
                  TF's or mlplab's form: :mod:`mlplab.playground.links`), ``?session=``
                  (a tab reconnecting), ``?drawn=1`` (the page sends ``{"type":"drawn"}``
                  after drawing each frame: the next frame is built only then)

A session lives entirely on its socket, uploads, imports and exports included, so any
server process can hold it: ``mlplab playground --workers N`` runs N processes (uvicorn
workers sharing the port; :func:`app_from_env` builds each one's app), and several hosts
behind a load balancer with sticky WebSockets scale out the same way.

Protocol (JSON text messages).  The client sends (:func:`mlplab.playground.schema.validate_message`)
``config`` ``play`` ``pause`` ``step`` ``reset`` ``regenerate`` ``edit`` ``focus`` ``preset``,
``upload`` (``csv`` text, ``x``/``y``/``label``/``features`` column numbers), ``import``
(``data``: the file as base64) and ``export`` (``format``: npz, json, py or csv).  The
server answers ``hello`` (session id, limits, dataset thumbnails), ``data`` (points, when
the data change), ``frame`` (grid, thumbnails, parameters, losses, epoch), ``uploaded`` and
``imported`` (what was loaded), ``file`` (an export: ``name``, ``mime`` and ``text`` or
``base64``; the page saves it) and ``error`` (one line, shown in the page; the socket
stays open).

Here the event loop only moves prebuilt text; parsing, training and frames happen on the
process's worker thread (:mod:`mlplab.playground.worker`).  Who may connect is checked by
:class:`~mlplab.playground.guard.Guard` (``Host``, ``Origin``), the token and the session caps
here.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import json
import logging
import mimetypes
import os
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from mlplab.errors import MlplabError
from mlplab.playground import processes, schema
from mlplab.playground.data import dataset_thumbnails
from mlplab.playground.frames import dumps
from mlplab.playground.guard import ClientSlots, Guard, pid_alive
from mlplab.playground.handoff import Handoff
from mlplab.playground.session import Session
from mlplab.playground.worker import Client, Scheduler, error_message

STATIC = Path(__file__).with_name("static")
ENV = "MLPLAB_PLAYGROUND"  #: environment variable carrying create_app's options to workers
DRAWN = '{"type":"drawn"}'  #: the page has drawn the last frame (with ``?drawn=1``)
GIL_SWITCH = 0.001  #: seconds; Python's default 0.005 lets the worker hold the event loop longer
log = logging.getLogger("mlplab.playground")


@dataclass(eq=False)
class Entry:
    """A session with the client (IP address) that made it and its socket, if any.

    ``session`` is created (and only ever used) by the worker thread.
    """

    ip: str
    session: Session | None = None
    client: Client | None = None
    ws: WebSocket | None = None
    last_seen: float = field(default_factory=time.monotonic)
    restore: dict | None = None  #: a session handed over by another process, to build from
    handed: str | None = None  #: token of the copy written for other processes at close


class SessionManager:
    """The sessions of one server process (event loop thread only).

    At most ``max_sessions`` sessions in the whole server (counted over its worker processes
    through ``counts_dir``, else in this process), and at most ``slots.limit`` open
    sockets per IP address (:class:`~mlplab.playground.guard.ClientSlots`, counted over
    all worker processes).  A session whose socket closed is compacted by the worker and
    kept ``idle_seconds`` for its tab to reconnect; when the process is full the
    longest-detached one makes room.  With several worker processes a tab may reconnect
    to another one: the session is handed over (:mod:`mlplab.playground.handoff`).
    """

    def __init__(
        self,
        scheduler: Scheduler,
        max_sessions: int = 64,
        slots: ClientSlots | None = None,
        idle_seconds: float = 600.0,
        handoff: Handoff | None = None,
        counts_dir: str | os.PathLike | None = None,
    ):
        self.scheduler = scheduler
        self.max_sessions = max_sessions
        self.counts = Path(counts_dir) / "counts" if counts_dir else None
        if self.counts is not None:
            self.counts.mkdir(mode=0o700, exist_ok=True)
        self.slots = slots or ClientSlots(8)
        self.idle_seconds = idle_seconds
        self.handoff = handoff or Handoff(None)
        self.entries: dict[str, Entry] = {}
        self._expired = time.monotonic()

    def sweep(self) -> int:
        """Drop idle sessions (no socket, not seen for ``idle_seconds``). Returns how many."""
        now = time.monotonic()
        idle = [
            k
            for k, e in self.entries.items()
            if e.client is None and now - e.last_seen > self.idle_seconds
        ]
        for k in idle:
            del self.entries[k]
        if idle:
            self.publish()
        if now - self._expired > 10.0:
            self._expired = now
            self.handoff.expire(self.idle_seconds)
        return len(idle)

    def resumable(self, sid: str) -> bool:
        """Can the tab of ``sid`` go on here now?  False while the session is with another
        process (which writes it for this one when the tab's old socket closes)."""
        e = self.entries.get(sid)
        if self.handoff.exists(sid):
            return True
        return e is not None and e.handed is None

    def open(self, sid: str | None, ip: str) -> tuple[str, Entry, str]:
        """The session ``sid`` (a reconnecting tab) or a new one for a socket from ``ip``,
        with the socket's ticket under the per-client cap (give it back on close)."""
        self.sweep()
        ticket = self.slots.take(ip)
        if ticket is None:
            raise MlplabError(
                f"at most {self.slots.limit} playground tabs per computer; close one and reload"
            )
        try:
            return (*self._open(sid, ip), ticket)
        except MlplabError:
            self.slots.give_back(ticket)
            raise
        finally:
            self.publish()

    def _open(self, sid: str | None, ip: str) -> tuple[str, Entry]:
        valid = isinstance(sid, str) and len(sid) <= 64
        e = self.entries.get(sid) if valid else None
        if e is not None and e.client is None and e.handed is not None:
            kind, doc = self.handoff.take(sid, e.handed)  # the copy written when it left
            e.handed = None
            if kind == "theirs":  # it went on in another process: its newer state
                e = self.entries[sid] = Entry(ip, restore=doc)
            elif kind == "none":  # another process has it: this copy is stale
                del self.entries[sid]
                e = None
        if e is not None:
            return sid, e
        kind, doc = self.handoff.take(sid) if valid else ("none", None)
        self._make_room()
        if kind != "theirs":
            sid, doc = secrets.token_urlsafe(12), None
        self.entries[sid] = e = Entry(ip, restore=doc)
        return sid, e

    def _make_room(self) -> None:
        if self._total() >= self.max_sessions:
            detached = [(x.last_seen, k) for k, x in self.entries.items() if x.client is None]
            if not detached:
                raise MlplabError(
                    f"the server is full ({self.max_sessions} sessions); try again later"
                )
            del self.entries[min(detached)[1]]

    def _total(self) -> int:
        """Sessions of the whole server that this process cannot free: its own (it makes room
        among its detached ones), plus the sessions with an open tab in the other worker
        processes, as they last published (processes that died do not count).  Their
        detached sessions they free themselves when they need room: counting those too
        refused tabs while the server held only closed ones (the kernel spreads a class's
        new tabs unevenly over the processes)."""
        total = len(self.entries)
        if self.counts is None:
            return total
        for f in self.counts.iterdir():
            pid = int(f.name) if f.name.isdigit() else None
            if pid is None or pid == os.getpid():
                continue
            if not pid_alive(pid):
                with contextlib.suppress(OSError):
                    f.unlink()
                continue
            with contextlib.suppress(OSError, ValueError):
                total += int(f.read_text() or 0)
        return total

    def publish(self) -> None:
        """Tell the other worker processes how many sessions with an open tab this one holds."""
        if self.counts is not None:
            path = self.counts / str(os.getpid())
            tmp = path.with_suffix(".tmp")
            tmp.write_text(str(sum(e.client is not None for e in self.entries.values())))
            os.replace(tmp, path)


@functools.cache
def _hello_tail() -> str:
    """The constant part of ``hello``: limits and dataset thumbnails (built once)."""
    limits = {
        "maxLayers": schema.MAX_LAYERS,
        "maxNeurons": schema.MAX_NEURONS,
        "maxUploadBytes": schema.MAX_UPLOAD_BYTES,
        "maxUploadRows": schema.MAX_UPLOAD_ROWS,
        "maxImportBytes": schema.MAX_IMPORT_BYTES,
        "maxMessageBytes": schema.MAX_MESSAGE_BYTES,
        "maxWork": schema.MAX_WORK,
    }
    return f',"limits":{dumps(limits)},"thumbnails":{dumps(dataset_thumbnails())}}}'


def page_data(catalog: dict, lang: str | None = None) -> bytes:
    """``page-data.js``: what the page is built from, so it repeats none of it.

    ``PAGE.defaults`` (:data:`schema.DEFAULTS`), ``PAGE.options`` (every control's choices),
    ``PAGE.words`` (the ``page.*`` messages of :mod:`mlplab.i18n`, ``{key: {en, ko}}``),
    ``PAGE.lessons`` (name, title and source of each lesson) and ``PAGE.lang`` (the server's
    ``--lang``, or null: the browser's language).
    """
    from mlplab import i18n

    words = {
        k[len("page.") :]: dict(zip(i18n.LANGS, v))
        for k, v in i18n.MESSAGES.items()
        if k.startswith("page.")
    }
    data = {
        "defaults": schema.DEFAULTS,
        "options": schema.page_options(),
        "words": words,
        "lessons": [
            {"name": n, "title": lesson.title, "source": lesson.source}
            for n, lesson in catalog.items()
        ],
        "lang": lang,
    }
    return ("// generated by mlplab.playground.server.page_data\n"
            f"const PAGE = {json.dumps(data, ensure_ascii=False)};\n").encode()  # fmt: skip


def create_app(
    token: str | None = None,
    *,
    host: str = "127.0.0.1",
    allow_origins: list[str] | tuple[str, ...] = (),
    max_sessions: int = 64,
    max_per_client: int = 8,
    idle_seconds: float = 600.0,
    slots_dir: str | None = None,
    lessons: str | None = None,
    lang: str | None = None,
    handoff_sessions: bool = False,
) -> Starlette:
    """Build the ASGI app of one server process.

    Parameters
    ----------
    token : str, optional
        Shared access token: when set, ``/ws`` needs ``?token=...`` (the page forwards the
        token from its own URL, ``?token=`` or ``#token=``).
    host : str
        The address the server is bound to: decides which ``Host`` headers are answered
        (:class:`~mlplab.playground.guard.Guard`).
    allow_origins : list of str
        Page origins besides the server's own allowed to open the socket.
    max_sessions, max_per_client : int
        Sessions in the whole server (all its worker processes, counted through
        ``slots_dir``), and open sockets per client IP address.
    idle_seconds : float
        A session without a socket is freed after this long.
    slots_dir : str, optional
        Directory where the worker processes of one server count each client's sockets
        (:class:`~mlplab.playground.guard.ClientSlots`); without, this process counts alone.
    lessons : str, optional
        A teacher's folder of lesson files, added to the built-in lessons.
    lang : str, optional
        The page's language when a link does not say (default: the browser's).
    handoff_sessions : bool
        Hand sessions over between the server's processes through ``slots_dir`` (several
        worker processes: a reconnecting tab may land on another one).
    """
    from mlplab.playground.lessons import catalog as lesson_catalog

    catalog = lesson_catalog(lessons)
    handoff = Handoff(slots_dir if handoff_sessions else None)
    scheduler = Scheduler(catalog, handoff)
    slots = ClientSlots(max_per_client, slots_dir)
    manager = SessionManager(scheduler, max_sessions, slots, idle_seconds, handoff, slots_dir)

    def authorized(ws: WebSocket) -> bool:
        if not token:
            return True
        given = ws.query_params.get("token", "")
        return hmac.compare_digest(given.encode(), token.encode())

    files = _static_files()
    files["page-data.js"] = (page_data(catalog, lang), "text/javascript; charset=utf-8")
    files["favicon.ico"] = files["favicon.svg"]

    async def static(request: Request) -> Response:
        """The page and its assets, from memory: no file system, no thread pool."""
        default = "favicon.ico" if request.url.path == "/favicon.ico" else "index.html"
        found = files.get(request.path_params.get("name", default))
        if found is None:
            return PlainTextResponse("not found\n", status_code=404)
        body, media_type = found
        return Response(body, media_type=media_type, headers={"Cache-Control": "no-cache"})

    async def refuse(ws: WebSocket, message: str, code: int) -> None:
        await ws.accept()
        await _send(ws, dumps(error_message(message)))
        with contextlib.suppress(Exception):
            await ws.close(code=code)

    async def ws_endpoint(ws: WebSocket) -> None:
        if not authorized(ws):
            return await refuse(ws, "a valid access token is required", 4403)
        ip = ws.client.host if ws.client else "?"
        sid = ws.query_params.get("session")
        if sid and manager.handoff.dir is not None and not manager.resumable(sid):
            for _ in range(20):  # up to 1 s for the process it left to write its session
                await asyncio.sleep(0.05)
                if manager.resumable(sid):
                    break
        try:
            sid, entry, ticket = manager.open(sid, ip)
        except MlplabError as exc:
            return await refuse(ws, str(exc), 1013)
        try:
            await serve(ws, sid, entry)
        except Exception as exc:  # noqa: BLE001 - a bug: logged once per kind, no flood
            scheduler.log_fault("socket", exc)
        finally:
            slots.give_back(ticket)

    async def serve(ws: WebSocket, sid: str, entry: Entry) -> None:
        """One socket of session ``sid``: hello, then receive and send until it closes."""
        if entry.ws is not None:  # the same tab again (its old socket not noticed dead yet)
            scheduler.detach(entry.client)
            _background(_close_quietly(entry.ws, 4409))
        await ws.accept()
        loop = asyncio.get_running_loop()
        wake, room = asyncio.Event(), asyncio.Event()

        def on_loop() -> None:
            wake.set()
            room.set()

        def notify() -> None:  # from the worker thread
            with contextlib.suppress(RuntimeError):  # the loop is closing
                loop.call_soon_threadsafe(on_loop)

        q = ws.query_params
        drawn = q.get("drawn") == "1"  # the page acknowledges the frames it has drawn
        client = scheduler.attach(sid, entry, notify, q.get("state"), q.get("link"), drawn)
        entry.client, entry.ws = client, ws
        manager.publish()  # one more open tab, for the other processes' counts
        sender = None
        try:
            if await _send(ws, f'{{"type":"hello","session":{json.dumps(sid)}' + _hello_tail()):
                sender = asyncio.create_task(send_loop(ws, client, wake, room))  # after hello
                await receive_loop(ws, client, room)
        finally:
            scheduler.detach(client)
            if sender is not None:
                sender.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await sender
            if entry.client is client:
                entry.client = entry.ws = None
                manager.publish()
            entry.last_seen = time.monotonic()

    async def receive_loop(ws: WebSocket, client: Client, room: asyncio.Event) -> None:
        """Hand what the socket receives to the worker; read no more while it is busy."""
        while True:
            while not scheduler.has_room(client):
                room.clear()
                if scheduler.has_room(client):
                    break
                await room.wait()
            try:
                message = await ws.receive()
            except Exception:  # noqa: BLE001 - the connection is gone
                return
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text == DRAWN:  # not a job for the worker: the next frame may be built
                scheduler.frame_drawn(client)
                continue
            scheduler.post(client, text if text is not None else message.get("bytes") or b"")

    async def send_loop(ws: WebSocket, client: Client, wake: asyncio.Event, room) -> None:
        """Send what the worker prepared: replies in order, then the latest frame."""
        while True:
            await wake.wait()
            wake.clear()
            while (item := scheduler.take(client)) is not None:
                text, is_frame = item
                room.set()
                ok = await _send(ws, text)
                if is_frame:
                    scheduler.frame_sent(client)
                if not ok:
                    scheduler.detach(client)
                    return

    async def sweeper() -> None:
        while True:
            await asyncio.sleep(min(60.0, max(1.0, idle_seconds / 4)))
            manager.sweep()

    @contextlib.asynccontextmanager
    async def lifespan(app):
        # the event loop waits at most this long for the GIL the worker thread holds
        sys.setswitchinterval(GIL_SWITCH)
        scheduler.start()
        task = asyncio.create_task(sweeper())
        try:
            yield
        finally:
            task.cancel()
            scheduler.stop()

    app = Starlette(
        routes=[
            Route("/", static),
            Route("/favicon.ico", static, name="favicon"),
            Route("/static/{name:path}", static),
            WebSocketRoute("/ws", ws_endpoint),
        ],
        middleware=[Middleware(Guard, bind_host=host, allow_origins=allow_origins)],
        lifespan=lifespan,
    )
    app.state.manager = manager
    app.state.scheduler = scheduler
    return app


async def _send(ws: WebSocket, text: str) -> bool:
    """Send text; False (and nothing raised, nothing logged) when the socket is gone."""
    try:
        await ws.send_text(text)
    except Exception:  # noqa: BLE001 - closed, reset or closing: skip
        return False
    return True


_tasks: set[asyncio.Task] = set()


def _background(coro) -> None:
    """Run ``coro`` as a task kept alive until it ends."""
    task = asyncio.create_task(coro)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def _close_quietly(ws: WebSocket, code: int) -> None:
    with contextlib.suppress(Exception):
        await ws.close(code=code)


def _static_files() -> dict[str, tuple[bytes, str]]:
    """Every file under ``static/`` by its relative path: ``(content, media type)``."""
    out = {}
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            kind += (
                "; charset=utf-8" if kind.startswith("text/") or kind.endswith("javascript") else ""
            )
            out[path.relative_to(STATIC).as_posix()] = (path.read_bytes(), kind)
    return out


def app_from_env() -> Starlette:
    """The app of a server process, configured by ``$MLPLAB_PLAYGROUND`` (JSON of
    :func:`create_app`'s options; uvicorn's ``--factory`` entry).

    The process's BLAS runs one thread: ``--workers`` processes are the parallelism, and
    on a busy machine a second BLAS thread makes the small products of the playground wait
    for each other (a 10000 x 8 by 8 x 8 product of the heatmap grid: 6.5 ms with OpenBLAS's
    2 threads against 0.18 ms with one, on the 2-core machine under load; the largest net's
    grid 63 ms against 16 ms).
    """
    limit_blas_threads()
    return create_app(**json.loads(os.environ.get(ENV, "{}")))


def limit_blas_threads() -> None:
    """One thread for BLAS/OpenMP in this process (``threadpoolctl``; a no-op without it)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - part of the playground extra
        return
    threadpool_limits(limits=1)


def main(
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = True,
    token: str | None = None,
    *,
    workers: int = 1,
    allow_origins: list[str] | tuple[str, ...] = (),
    max_sessions: int = 64,
    max_per_client: int = 8,
    lessons: str | None = None,
    lang: str | None = None,
) -> None:
    """Run the playground server (``mlplab playground``) until interrupted."""
    import signal
    import threading
    import webbrowser

    import uvicorn

    if hasattr(signal, "SIGPIPE"):  # a reset socket must not end the server
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    url = f"http://{shown}:{port}/"
    if token:
        url += f"#token={token}"
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        print("warning: serving on a public interface without --token; anyone can connect")
    print(f"mlplab playground: {url}  ({workers} worker process{'es' if workers > 1 else ''})")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    slots_dir = tempfile.mkdtemp(prefix="mlplab-playground-") if os.name == "posix" else None
    os.environ[ENV] = json.dumps(
        {
            "token": token,
            "host": host,
            "allow_origins": list(allow_origins),
            "max_sessions": max_sessions,  # in all: the workers count together (slots_dir)
            "max_per_client": max_per_client,
            "slots_dir": slots_dir,
            "lessons": lessons,
            "lang": lang,
            "handoff_sessions": workers > 1,
        }
    )
    options = dict(
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        ws_max_size=schema.MAX_MESSAGE_BYTES,
        ws_max_queue=2,
        timeout_graceful_shutdown=3,
    )
    try:
        if workers > 1 and processes.reuseport_available():
            config = uvicorn.Config("mlplab.playground.server:app_from_env", **options)
            processes.run(config, workers)  # each process on its own socket: balanced
        else:
            uvicorn.run("mlplab.playground.server:app_from_env", **options)
    finally:
        if slots_dir:
            shutil.rmtree(slots_dir, ignore_errors=True)
