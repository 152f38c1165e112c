"""Who may use the playground server: ``Host`` on every request, ``Origin`` on the socket.

A page on another site may open a WebSocket to ``ws://127.0.0.1:8000/ws`` (browsers do not
apply the same-origin policy to WebSockets), and a DNS-rebinding page reaches the server
under its own host name.  :class:`Guard` refuses both before the application sees them:

* ``Host`` (every request): a server bound to a loopback address answers only to the
  loopback names (``localhost``, ``127.0.0.1``, ``[::1]``); one bound to a specific host
  only to that host; one bound to ``0.0.0.0`` / ``::`` to any host.  Host names of
  ``--allow-origin`` URLs are accepted too (a reverse proxy in front of the server).
* ``Origin`` (WebSocket): none (a program, not a browser page) is allowed; ``null`` (a
  sandboxed page or a local file) is refused; otherwise it must be the page's own origin
  (its host and port equal the ``Host`` header) or one of ``--allow-origin``.

A refused WebSocket gets HTTP 403; a refused request a one-line 403 text.
:class:`ClientSlots` counts the open sockets of each client IP address over all worker
processes (the per-client cap).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD = frozenset({"0.0.0.0", "::", ""})
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def split_host(value: str, default_port: int | None = None) -> tuple[str, int | None]:
    """``"Example.org:8000"`` -> ``("example.org", 8000)``; ``"[::1]:80"`` -> ``("::1", 80)``."""
    value = value.strip().lower()
    if value.startswith("["):  # IPv6 literal
        host, _, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port = value.partition(":")
    try:
        return host, int(port) if port else default_port
    except ValueError:
        return host, -1  # never equal to a real port


def origin_key(url: str) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` of an origin URL, default ports filled in."""
    parts = urlsplit(url.strip().lower())
    scheme = parts.scheme
    try:
        port = parts.port
    except ValueError:
        port = -1
    return scheme, parts.hostname or "", port if port is not None else DEFAULT_PORTS.get(scheme)


class Guard:
    """ASGI middleware checking ``Host`` and ``Origin`` (see the module docstring).

    Parameters
    ----------
    app : ASGI application
    bind_host : str
        The address the server listens on (``--host``).
    allow_origins : list of str
        Extra page origins allowed to open the socket, e.g. ``https://lab.school.kr``.
    """

    def __init__(self, app: Any, bind_host: str = "127.0.0.1", allow_origins=()) -> None:
        self.app = app
        self.origins = {origin_key(o) for o in allow_origins}
        bind = bind_host.strip("[]").lower()
        if bind in WILDCARD:
            self.hosts = None  # any Host
        else:
            names = LOOPBACK if bind in LOOPBACK else {bind}
            self.hosts = set(names) | {h for _, h, _ in self.origins}

    def host_ok(self, host: str | None) -> bool:
        if self.hosts is None:
            return True
        return host is not None and split_host(host)[0] in self.hosts

    def origin_ok(self, origin: str | None, host: str | None) -> bool:
        if origin is None:
            return True  # not a browser page
        if origin.strip().lower() == "null":
            return False
        scheme, name, port = origin_key(origin)
        if (scheme, name, port) in self.origins:
            return True
        if host is None or scheme not in DEFAULT_PORTS:
            return False
        return split_host(host, DEFAULT_PORTS[scheme]) == (name, port)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {}
        for k, v in scope.get("headers", []):
            headers.setdefault(k.decode("latin-1").lower(), v.decode("latin-1"))
        host = headers.get("host")
        why = None
        if not self.host_ok(host):
            why = f"unknown Host {host!r}: open the playground by its own address"
        elif scope["type"] == "websocket" and not self.origin_ok(headers.get("origin"), host):
            why = f"Origin {headers.get('origin')!r} may not use this playground"
        if why is None:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1008, "reason": why[:120]})
            return
        body = (why + "\n").encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class ClientSlots:
    """Open sockets per client IP address, counted across the server's worker processes.

    With ``directory`` (``mlplab playground`` makes one for its workers) every open socket
    is an empty file ``IP~PID~N`` there, and a lock file serializes check-and-take, so the
    limit holds for the whole server whichever worker a socket lands on; files of a process
    that died do not count.  Without, the count is this process's own.

    Parameters
    ----------
    limit : int
        Open sockets per IP address.
    directory : str or Path, optional
        Shared by the worker processes of one server.
    """

    def __init__(self, limit: int, directory: str | os.PathLike | None = None) -> None:
        self.limit = limit
        self.dir = Path(directory) if directory else None
        self._mine: dict[str, int] = {}

    def take(self, ip: str) -> str | None:
        """A ticket for one more socket from ``ip``, or None when it has ``limit`` open."""
        key = re.sub(r"[^0-9A-Za-z.]", "_", ip)[:64] or "_"
        if self.dir is None:
            if self._mine.get(key, 0) >= self.limit:
                return None
            self._mine[key] = self._mine.get(key, 0) + 1
            return key
        import fcntl  # POSIX; the command shares a directory only there

        with open(self.dir / "lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            held = 0
            for name in os.listdir(self.dir):
                k, _, rest = name.partition("~")
                if k != key:
                    continue
                if pid_alive(int(rest.split("~")[0])):
                    held += 1
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(self.dir / name)
            if held >= self.limit:
                return None
            ticket = str(self.dir / f"{key}~{os.getpid()}~{next(_tickets)}")
            Path(ticket).touch()
            return ticket

    def give_back(self, ticket: str | None) -> None:
        if ticket is None:
            return
        if self.dir is None:
            self._mine[ticket] -= 1
            if not self._mine[ticket]:
                del self._mine[ticket]
        else:
            with contextlib.suppress(OSError):
                os.unlink(ticket)


_tickets = itertools.count()  # unique in this process


def pid_alive(pid: int) -> bool:
    """Is process ``pid`` running (a worker of this server that may hold sockets)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
