"""``--workers N``: N server processes on one port, each accepting on a socket of its own.

With one listening socket shared by the processes (uvicorn's ``workers=N``), whichever
process wakes first accepts every connection waiting (asyncio accepts up to its backlog per
wake-up): 30 students opening the page within a second landed 24 on one process and 6 on
the other, so the 24 trained at a quarter of the others' speed.  Here every process binds
its own socket with ``SO_REUSEPORT`` and the kernel spreads new connections over them (by a
hash of the client's address and port), as nginx's ``reuseport`` does.

The parent only supervises: it restarts a process that died (its sessions are lost; the
tabs reconnect and start over from their links) and stops them all on Ctrl-C or SIGTERM.
Without ``SO_REUSEPORT`` (not Linux/BSD/macOS) uvicorn's own shared socket is used.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import signal
import socket
import time

log = logging.getLogger("mlplab.playground")

STARTUP_FAILURE = 3  #: uvicorn's exit status for a process that could not start serving


def reuseport_available() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def family(host: str) -> socket.AddressFamily:
    """The address family the server binds ``host`` with (uvicorn's rule: IPv6 if a colon)."""
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``(host, port)`` that other processes may bind too."""
    sock = socket.socket(family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _serve(config, sock: socket.socket) -> None:  # pragma: no cover - runs in the child
    import uvicorn

    _end_with_parent()
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    config.configure_logging()
    uvicorn.Server(config).run(sockets=[sock])


def _end_with_parent() -> None:
    """Linux: SIGTERM this process when the parent dies (even by SIGKILL): no orphan server."""
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def run(config, workers: int) -> None:
    """Serve ``config`` (a :class:`uvicorn.Config` of an import-string app) from ``workers``
    processes, each on its own ``SO_REUSEPORT`` socket, until Ctrl-C or SIGTERM."""
    multiprocessing.allow_connection_pickling()
    spawn = multiprocessing.get_context("spawn")
    socks = [bind(config.host, config.port) for _ in range(workers)]
    stop = []

    def on_signal(signum, _frame):
        stop.append(signum)

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}

    def start(i: int):
        p = spawn.Process(target=_serve, args=(config, socks[i]), name=f"mlplab-worker-{i}")
        p.start()
        return p, time.monotonic()

    procs = [start(i) for i in range(workers)]
    try:
        while not stop:
            time.sleep(0.25)
            for i, (p, t0) in enumerate(procs):
                if p.is_alive() or stop:
                    continue
                if p.exitcode == STARTUP_FAILURE or time.monotonic() - t0 < 2.0:
                    log.error("a worker process could not start (exit status %s)", p.exitcode)
                    stop.append(None)
                    break
                log.error("worker process %d died (exit status %s); restarting it", i, p.exitcode)
                procs[i] = start(i)
    finally:
        for p, _ in procs:
            if p.is_alive():
                p.terminate()  # SIGTERM: uvicorn's graceful shutdown
        deadline = time.monotonic() + config.timeout_graceful_shutdown + 2.0
        for p, _ in procs:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join()
        for s in socks:
            with contextlib.suppress(OSError):
                s.close()
        for s, handler in old.items():
            signal.signal(s, handler)
