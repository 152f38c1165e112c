"""ASGI server of ``mlplab playground``: the page, a WebSocket per tab, a small HTTP API.

Routes
------
``/``                      the page (plain HTML/CSS/JS from ``static/``, works offline)
``/static/...``            its assets
``/ws``                    one WebSocket per browser tab = one :class:`Session`
``GET  /api/export``       ``?session=ID&format=npz|json|py`` model / config / Python snippet
``POST /api/import``       ``?session=ID`` body: an exported ``.npz`` or ``.json``
``POST /api/upload``       ``?session=ID[&x=0&y=1&label=-1&features=0,1,2]`` body: CSV text
``GET  /api/data.csv``     ``?session=ID`` the current data as CSV

Protocol: the client sends JSON messages (:func:`mlplab.playground.schema.validate_message`);
the server answers ``hello`` (session id, limits, dataset thumbnails), ``data`` (points, when the data change),
``frame`` (grid, thumbnails, parameters, losses, epoch) and ``error`` (shown in the page;
the socket stays open).  Training runs in an asyncio task per socket: ``epochsPerFrame``
epochs, one frame, yield.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from mlplab.errors import MlplabError
from mlplab.playground import schema
from mlplab.playground.session import Session, dataset_thumbnails

STATIC = Path(__file__).with_name("static")
MAX_FPS = 120.0  #: frames per second cap per session while playing


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), allow_nan=False)


@dataclass
class Entry:
    """A session plus its bookkeeping in the :class:`SessionManager`."""

    session: Session
    sockets: int = 0
    last_seen: float = field(default_factory=time.monotonic)
    dirty_data: bool = False
    dirty_frame: bool = False
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def touch(self) -> None:
        self.last_seen = time.monotonic()

    def notify(self, data: bool = False) -> None:
        """Ask the socket task to send a new frame (and the data when ``data``)."""
        self.dirty_data |= data
        self.dirty_frame = True
        self.wake.set()


class SessionManager:
    """At most ``max_sessions`` sessions; one with no socket for ``idle_seconds`` is freed."""

    def __init__(self, max_sessions: int = 64, idle_seconds: float = 600.0):
        self.max_sessions = max_sessions
        self.idle_seconds = idle_seconds
        self.entries: dict[str, Entry] = {}

    def sweep(self) -> int:
        """Drop idle sessions (no socket, not seen for ``idle_seconds``). Returns how many."""
        now = time.monotonic()
        idle = [
            k
            for k, e in self.entries.items()
            if e.sockets == 0 and now - e.last_seen > self.idle_seconds
        ]
        for k in idle:
            del self.entries[k]
        return len(idle)

    def create(self, state: dict | None = None) -> tuple[str, Entry]:
        self.sweep()
        if len(self.entries) >= self.max_sessions:
            # free the longest-detached session, if any
            detached = [(e.last_seen, k) for k, e in self.entries.items() if e.sockets == 0]
            if not detached:
                raise MlplabError(
                    f"the server is full ({self.max_sessions} sessions); try again later"
                )
            del self.entries[min(detached)[1]]
        sid = secrets.token_urlsafe(12)
        entry = Entry(Session(state))
        self.entries[sid] = entry
        return sid, entry

    def get(self, sid: str | None) -> Entry | None:
        if not isinstance(sid, str) or len(sid) > 64:
            return None
        e = self.entries.get(sid)
        if e is not None:
            e.touch()
        return e


def create_app(
    token: str | None = None, *, max_sessions: int = 64, idle_seconds: float = 600.0
) -> Starlette:
    """Build the Starlette app.

    Parameters
    ----------
    token : str, optional
        Shared access token: when set, ``/ws`` and ``/api/*`` need ``?token=...`` (the page
        forwards the token from its own URL).
    max_sessions : int
        Maximum live sessions (browser tabs).
    idle_seconds : float
        A session without a socket is freed after this long.
    """
    manager = SessionManager(max_sessions, idle_seconds)

    def authorized(params) -> bool:
        if not token:
            return True
        given = params.get("token", "")
        return hmac.compare_digest(str(given).encode(), token.encode())

    def err(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status)

    def entry_of(request: Request) -> Entry | JSONResponse:
        if not authorized(request.query_params):
            return err(403, "a valid access token is required")
        e = manager.get(request.query_params.get("session"))
        if e is None:
            return err(404, "unknown or expired session; reload the page")
        return e

    async def read_body(request: Request, limit: int) -> bytes | None:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    async def export(request: Request) -> Response:
        e = entry_of(request)
        if isinstance(e, JSONResponse):
            return e
        fmt = request.query_params.get("format", "json")
        s = e.session
        try:
            if fmt == "npz":
                return Response(
                    s.export_npz(),
                    media_type="application/octet-stream",
                    headers={"Content-Disposition": 'attachment; filename="playground_model.npz"'},
                )
            if fmt == "json":
                return Response(
                    _dumps(s.export_config()),
                    media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="playground.json"'},
                )
            if fmt == "py":
                return PlainTextResponse(
                    s.python_snippet(),
                    headers={"Content-Disposition": 'attachment; filename="playground_setup.py"'},
                )
        except MlplabError as exc:
            return err(400, str(exc))
        return err(400, "format must be one of npz, json, py")

    async def data_csv(request: Request) -> Response:
        e = entry_of(request)
        if isinstance(e, JSONResponse):
            return e
        return PlainTextResponse(
            e.session.export_csv(),
            media_type="text/csv",
            headers={"Content-Disposition": 'attachment; filename="playground_data.csv"'},
        )

    async def upload(request: Request) -> Response:
        e = entry_of(request)
        if isinstance(e, JSONResponse):
            return e
        body = await read_body(request, schema.MAX_UPLOAD_BYTES)
        if body is None:
            return err(413, f"upload must be at most {schema.MAX_UPLOAD_BYTES} bytes")
        q = request.query_params
        try:
            if ("x" in q) != ("y" in q):
                return err(400, "give both x and y columns, or neither")
            cols = (int(q["x"]), int(q["y"])) if "x" in q else None
            label = int(q["label"]) if q.get("label", "-1") != "-1" else None
            feats = q.get("features")
            features = [int(c) for c in feats.split(",")[:64]] if feats else None
        except ValueError:
            return err(400, "x, y, label and features must be column numbers")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return err(400, "upload: the file is not UTF-8 text")
        try:
            e.session.playing = False
            info = e.session.set_upload(text, cols=cols, label=label, features=features)
        except MlplabError as exc:
            return err(400, str(exc))
        e.notify(data=True)
        return JSONResponse(info)

    async def import_model(request: Request) -> Response:
        e = entry_of(request)
        if isinstance(e, JSONResponse):
            return e
        body = await read_body(request, 5_000_000)
        if body is None:
            return err(413, "import: file must be at most 5 MB")
        try:
            e.session.playing = False
            e.session.import_model(body)
        except MlplabError as exc:
            return err(400, str(exc))
        e.notify(data=True)
        return JSONResponse({"ok": True, "sizes": e.session.sizes()})

    async def ws_endpoint(ws: WebSocket) -> None:
        await ws.accept()
        lock = asyncio.Lock()

        async def send(obj: dict) -> None:
            async with lock:
                await ws.send_text(_dumps(obj))

        if not authorized(ws.query_params):
            await send({"type": "error", "message": "a valid access token is required"})
            await ws.close(code=4403)
            return
        entry = manager.get(ws.query_params.get("session"))
        if entry is not None:
            sid = ws.query_params["session"]
        else:
            try:
                sid, entry = manager.create()
            except MlplabError as exc:
                await send({"type": "error", "message": str(exc)})
                await ws.close(code=1013)
                return
        entry.sockets += 1
        session = entry.session
        await send(
            {
                "type": "hello",
                "session": sid,
                "limits": _limits(),
                "thumbnails": dataset_thumbnails(),
            }
        )
        entry.notify(data=True)

        async def trainer() -> None:
            while True:
                if session.playing:
                    t0 = time.perf_counter()
                    try:
                        session.run_epochs(session.state["epochsPerFrame"])
                    except MlplabError as exc:
                        session.playing = False
                        await send({"type": "error", "message": str(exc)})
                    entry.dirty_frame = True
                if entry.dirty_data:
                    entry.dirty_data = False
                    await send(session.data_message())
                    entry.dirty_frame = True
                if entry.dirty_frame:
                    entry.dirty_frame = False
                    await send(session.frame())
                entry.touch()
                if session.playing:
                    dt = time.perf_counter() - t0
                    await asyncio.sleep(max(0.0, 1.0 / MAX_FPS - dt))
                else:
                    entry.wake.clear()
                    if not (entry.dirty_frame or entry.dirty_data or session.playing):
                        await entry.wake.wait()

        task = asyncio.create_task(trainer())
        try:
            while True:
                text = await ws.receive_text()
                entry.touch()
                try:
                    if len(text) > schema.MAX_MESSAGE_BYTES:
                        raise MlplabError("message too large")
                    try:
                        raw = json.loads(text)
                    except (json.JSONDecodeError, RecursionError):
                        raise MlplabError("message is not valid JSON") from None
                    msg = schema.validate_message(raw)
                    changed = handle(session, msg)
                    entry.notify(data=changed)
                except (MlplabError, ValueError, TypeError) as exc:
                    await send({"type": "error", "message": str(exc)})
                    entry.notify(data=False)
                if task.done():  # should not happen; surface it instead of a dead page
                    exc = task.exception()
                    await send({"type": "error", "message": f"server error: {exc!r}"})
                    task = asyncio.create_task(trainer())
        except WebSocketDisconnect:
            pass
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            entry.sockets -= 1
            session.playing = False
            entry.touch()

    async def sweeper() -> None:
        while True:
            await asyncio.sleep(min(60.0, max(1.0, idle_seconds / 4)))
            manager.sweep()

    @contextlib.asynccontextmanager
    async def lifespan(app):
        task = asyncio.create_task(sweeper())
        try:
            yield
        finally:
            task.cancel()

    app = Starlette(
        routes=[
            Route("/", index),
            Route("/api/export", export),
            Route("/api/data.csv", data_csv),
            Route("/api/upload", upload, methods=["POST"]),
            Route("/api/import", import_model, methods=["POST"]),
            WebSocketRoute("/ws", ws_endpoint),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
    )
    app.state.manager = manager
    return app


def _limits() -> dict[str, Any]:
    return {
        "maxLayers": schema.MAX_LAYERS,
        "maxNeurons": schema.MAX_NEURONS,
        "maxUploadBytes": schema.MAX_UPLOAD_BYTES,
        "maxUploadRows": schema.MAX_UPLOAD_ROWS,
    }


def handle(session: Session, msg: dict[str, Any]) -> bool:
    """Apply one validated message to a session. Returns True when the data changed."""
    kind = msg["type"]
    if kind == "config":
        r = session.update_state(msg["state"])
        return r["data"] or r["reset"]  # the page redraws the network from the data message
    if kind == "play":
        session.stopped = None if session.stopped != "diverged" else session.stopped
        session.playing = session.stopped is None
    elif kind == "pause":
        session.playing = False
    elif kind == "step":
        session.playing = False
        session.stopped = None if session.stopped != "diverged" else session.stopped
        session.run_epochs(1)
    elif kind == "reset":
        session.reset(same=msg["same"])
        return not msg["same"]
    elif kind == "regenerate":
        session.regenerate()
        return True
    elif kind == "edit":
        session.edit(msg["param"], msg["index"], msg["value"])
    elif kind == "focus":
        session.focus = msg["node"]
    elif kind == "preset":
        session.apply_preset(msg["name"])
        return True
    return False


def main(
    host: str = "127.0.0.1", port: int = 8000, open_browser: bool = True, token: str | None = None
) -> None:
    """Run the playground server (``mlplab playground``) until interrupted."""
    import threading
    import webbrowser

    import uvicorn

    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    if token:
        url += f"?token={token}"
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        print("warning: serving on a public interface without --token; anyone can connect")
    print(f"mlplab playground: {url}")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(
        create_app(token),
        host=host,
        port=port,
        log_level="warning",
        ws_max_size=schema.MAX_MESSAGE_BYTES,
    )
