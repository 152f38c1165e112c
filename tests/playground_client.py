"""Test helpers: the real ``mlplab playground`` process and a bare-bones WebSocket client.

The raw client speaks just enough RFC 6455 to do what a browser tab or a hostile page
does: choose its ``Host``/``Origin`` headers and source address, send text or binary
frames, never read, or reset the connection.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import resource
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _limit_memory() -> None:  # in the server process: a blow-up fails, not the machine
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))


@contextlib.contextmanager
def playground(*args: str, tmp_path: Path, host: str = "127.0.0.1", timeout: float = 60.0):
    """Run ``mlplab playground --no-browser --port P [args]``; yields (process, port, log).

    ``log()`` returns what the process printed on stdout and stderr so far.
    """
    port = free_port()
    out, err = tmp_path / f"out-{port}.txt", tmp_path / f"err-{port}.txt"
    cmd = [sys.executable, "-m", "mlplab.cli", "playground", "--no-browser"]
    cmd += ["--host", host, "--port", str(port), *args]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(cmd, stdout=fo, stderr=fe, env=env, preexec_fn=_limit_memory)
    try:
        t_end = time.monotonic() + timeout
        while True:
            assert proc.poll() is None, err.read_text()
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < t_end, "the playground did not start"
            time.sleep(0.1)

        def log() -> str:
            return out.read_text() + err.read_text()

        yield proc, port, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rss_tree_kb(pid: int, field: str = "VmRSS") -> int:
    """``field`` (VmRSS or VmHWM, kB) summed over ``pid`` and its child processes."""
    total = 0
    pids = [pid]
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    for p in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1])
    return total


class RawWS:
    """A minimal WebSocket client over a plain socket (client frames masked)."""

    def __init__(
        self,
        port: int,
        path: str = "/ws",
        *,
        host: str | None = None,
        origin: str | None = None,
        source: str = "127.0.0.1",
        connect_to: str = "127.0.0.1",
    ):
        self.sock = socket.create_connection(
            (connect_to, port), timeout=30, source_address=(source, 0)
        )
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {path} HTTP/1.1",
            f"Host: {host or f'127.0.0.1:{port}'}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
        ]
        if origin is not None:
            lines.append(f"Origin: {origin}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                break
            head += chunk
        self.status = int(head.split(b" ", 2)[1]) if head else 0
        self.buf = bytearray()

    def send(self, payload: str | bytes, opcode: int | None = None) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        op = opcode if opcode is not None else (1 if isinstance(payload, str) else 2)
        mask = os.urandom(4)
        n = len(data)
        if n < 126:
            head = struct.pack("!BB", 0x80 | op, 0x80 | n)
        elif n < 65536:
            head = struct.pack("!BBH", 0x80 | op, 0x80 | 126, n)
        else:
            head = struct.pack("!BBQ", 0x80 | op, 0x80 | 127, n)
        masked = (
            bytes(b ^ mask[i % 4] for i, b in enumerate(data)) if n < 4096 else _mask(data, mask)
        )
        self.sock.sendall(head + mask + masked)

    def send_json(self, obj) -> None:
        self.send(json.dumps(obj))

    def recv(self) -> tuple[int, bytes]:
        """The next frame: ``(opcode, payload)`` (1 text, 2 binary, 8 close).

        A socket timeout leaves the buffer whole: the next call goes on where this stopped.
        """
        while True:
            frame = self._parse()
            if frame is not None:
                return frame
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk

    def _parse(self) -> tuple[int, bytes] | None:
        b = self.buf
        if len(b) < 2:
            return None
        n, i = b[1] & 0x7F, 2
        if n == 126:
            if len(b) < 4:
                return None
            n, i = struct.unpack("!H", b[2:4])[0], 4
        elif n == 127:
            if len(b) < 10:
                return None
            n, i = struct.unpack("!Q", b[2:10])[0], 10
        if len(b) < i + n:
            return None
        opcode, payload = b[0] & 0x0F, bytes(b[i : i + n])
        del b[: i + n]
        return opcode, payload

    def recv_json(self, kind: str | None = None, limit: int = 10_000) -> dict:
        for _ in range(limit):
            op, data = self.recv()
            if op == 8:
                code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else None
                raise ConnectionError(f"closed by the server ({code})")
            if op != 1:
                continue
            m = json.loads(data)
            if kind is None or m["type"] == kind:
                return m
        raise AssertionError(f"no {kind} message")

    def reset(self) -> None:
        """Close with a TCP reset (RST), like a killed browser tab."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


def _mask(data: bytes, mask: bytes) -> bytes:
    import numpy as np

    a = np.frombuffer(data, dtype=np.uint8)
    m = np.resize(np.frombuffer(mask, dtype=np.uint8), len(a))
    return (a ^ m).tobytes()


def http_get(port: int, path: str = "/", host: str | None = None) -> tuple[int, float]:
    """``GET path`` with a given Host header: (status, seconds)."""
    t0 = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        req = f"GET {path} HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\nConnection: close\r\n\r\n"
        s.sendall(req.encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return int(data.split(b" ", 2)[1]), time.perf_counter() - t0
