"""Benchmark the playground as a class uses it: real ``mlplab playground`` processes, real WebSockets.

Scenarios (``--scenario``, default all), each against a fresh ``mlplab playground
--workers W`` (default 2) started on a free port:

``class``
    ``--sessions`` (30) sessions playing the default net (2 features, 4-2, batch 10,
    1 epoch/frame): epochs/s and frames/s per session, server RSS summed over the process
    tree.  Target: each >= 30 epochs/s, RSS <= 300 MB.
``heavy``
    ``--heavy`` (3) sessions train 7 features, 6x8, batch 1, 100 epochs/frame while a light
    session steps: its step round trip (p50/p95) and ``GET /`` latency.  Target: p95 <= 100 ms.
``tabs``
    200 tabs (in waves) play and are reset mid-frame: the server is alive; RSS before the
    first and after the last (detached sessions are compacted).  Target: within 10 %.
    With ``--tabs 1400`` it also prints the RSS after every 200 tabs: the trend.
``crafted``
    Peak extra memory (VmHWM, reset before each) of one ``--workers 1`` process for each
    crafted or largest-allowed request.  Target: <= 200 MB each.
``inprocess``
    Session.train + frame per second without any server (the engine's ceiling); a session's
    epoch beside the same epoch written flat by hand; 15 default nets trained one after
    another and as one stack (:mod:`mlplab.playground.lockstep`).
``threads``
    4 sessions trained in one process by 1, 2 or 4 threads: the GIL makes more threads
    slower, hence one worker thread per process and ``--workers`` processes.

Clients beyond the per-client cap (8) connect from distinct loopback addresses
(127.0.0.2, 127.0.0.3, ...), like the students' laptops.

Usage::

    .venv/bin/python benchmarks/bench_playground.py                 # everything (~2 min)
    .venv/bin/python benchmarks/bench_playground.py --scenario class --sessions 30
    .venv/bin/python benchmarks/bench_playground.py --scenario heavy --workers 1
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import websockets

from mlplab.playground.files import export_npz
from mlplab.playground.lockstep import train_together
from mlplab.playground.server import limit_blas_threads
from mlplab.playground.session import Session

DEFAULT = {"seed": 1}
HEAVY = {
    "features": ["x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"],
    "networkShape": [8] * 6,
    "batchSize": 1,
    "epochsPerFrame": 100,
    "seed": 1,
}


# --- the server ----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(workers: int, *extra: str):
    port = free_port()
    cmd = [sys.executable, "-m", "mlplab.cli", "playground", "--no-browser", "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--workers", str(workers), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_limit_memory,
    )
    try:
        for _ in range(600):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode())
            time.sleep(0.05)
        time.sleep(0.5 * workers)  # every worker process up
        yield proc, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        err = proc.stderr.read().decode()
        if "Traceback" in err:
            print("server stderr:\n" + err[-2000:])


def _limit_memory() -> None:  # a request that blows up fails in the server, not the machine
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))


def tree(pid: int) -> list[int]:
    out = [pid]
    with contextlib.suppress(OSError):
        for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            out += tree(int(c))
    return out


def mem_mb(pid: int, field: str = "VmRSS") -> float:
    """``field`` of /proc/PID/status summed over the process tree, in MB."""
    kb = 0
    for p in tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    kb += int(line.split()[1])
    return kb / 1024


def source(i: int) -> str:
    """Loopback source address of client ``i``: 8 clients per address (the per-client cap)."""
    return f"127.0.0.{2 + i // 8}"


async def connect(port: int, i: int, state: dict | None = None):
    from urllib.parse import quote

    q = "" if state is None else "?state=" + quote(json.dumps(state))
    ws = await websockets.connect(
        f"ws://127.0.0.1:{port}/ws{q}", max_size=2**24, local_addr=(source(i), 0)
    )
    hello = json.loads(await ws.recv())
    assert hello["type"] == "hello", hello
    return ws


def kind_epoch(text: str) -> tuple[str, int | None]:
    """Message type and epoch without decoding a whole frame (clients share the cores)."""
    head = text[:60]
    kind = head[9 : head.index('"', 9)]
    if kind != "frame":
        return kind, None
    i = head.index('"epoch":') + 8
    return kind, int(head[i : head.index(",", i)])


# --- scenarios -----------------------------------------------------------------------------------
def scenario_class(a) -> None:
    with server(a.workers) as (proc, port):
        res: list = []
        rss: list = []

        async def main():
            ready = asyncio.Event()
            connected = 0
            window = [0.0, 0.0]

            async def one(i):
                nonlocal connected
                ws = await connect(port, i, DEFAULT)
                connected += 1
                if connected == a.sessions:
                    now = time.perf_counter()
                    window[:] = [now + 2.0, now + 2.0 + a.seconds]  # 2 s to get going
                    ready.set()
                await ready.wait()
                await ws.send(json.dumps({"type": "play"}))
                first = last = None
                frames = 0
                while time.perf_counter() < window[1]:
                    kind, epoch = kind_epoch(await ws.recv())
                    now = time.perf_counter()
                    if kind == "frame" and now >= window[0]:
                        if first is None:
                            first, t_first = epoch, now
                        frames += 1
                        last, t_last = epoch, now
                dt = t_last - t_first if frames > 1 else float("inf")
                res.append({"eps": (last - first) / dt, "fps": (frames - 1) / dt})
                await ws.close()

            async def sample():
                await ready.wait()
                await asyncio.sleep(2.0)
                for _ in range(int(a.seconds)):
                    rss.append(mem_mb(proc.pid))
                    await asyncio.sleep(1.0)

            await asyncio.gather(*(one(i) for i in range(a.sessions)), sample())

        asyncio.run(main())
        eps = sorted(r["eps"] for r in res)
        fps = sorted(r["fps"] for r in res)
        print(f"class: {a.sessions} sessions, default net, 1 epoch/frame, {a.workers} workers")
        print(f"  epochs/s per session: min {eps[0]:.1f}  median {statistics.median(eps):.1f}"
              f"  max {eps[-1]:.1f}  (target >= 30)")  # fmt: skip
        print(f"  frames/s per session: min {fps[0]:.1f}  median {statistics.median(fps):.1f}")
        print(f"  server RSS (process tree): max {max(rss):.0f} MB  (target <= 300)")


def scenario_heavy(a) -> None:
    with server(a.workers) as (proc, port):

        async def run():
            stop = asyncio.Event()

            async def heavy(i):
                ws = await connect(port, i, HEAVY)
                await ws.send(json.dumps({"type": "play"}))
                while not stop.is_set():
                    try:
                        await asyncio.wait_for(ws.recv(), 0.5)
                    except TimeoutError:
                        pass
                await ws.close()

            tasks = [asyncio.create_task(heavy(i)) for i in range(a.heavy)]
            await asyncio.sleep(2.0)
            light = await connect(port, a.heavy, DEFAULT)
            lat, get, epoch = [], [], 0
            t_end = time.perf_counter() + a.seconds
            while time.perf_counter() < t_end:
                t0 = time.perf_counter()
                await light.send(json.dumps({"type": "step"}))
                while True:
                    kind, e = kind_epoch(await light.recv())
                    if kind == "frame" and e > epoch:
                        epoch = e
                        break
                lat.append(time.perf_counter() - t0)
                if len(lat) % 5 == 0:
                    t0 = time.perf_counter()
                    r, w = await asyncio.open_connection("127.0.0.1", port)
                    w.write(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                            "Connection: close\r\n\r\n".encode())  # fmt: skip
                    await r.read()
                    w.close()
                    get.append(time.perf_counter() - t0)
                await asyncio.sleep(0.05)
            stop.set()
            await asyncio.gather(*tasks)
            await light.close()
            return lat, get

        lat, get = asyncio.run(run())
        q = statistics.quantiles
        print(f"heavy: {a.heavy} x (7 features, 6x8, batch 1, 100 epochs/frame) + 1 light,"
              f" {a.workers} workers, {len(lat)} steps")  # fmt: skip
        print(f"  light step round trip ms: median {1000 * statistics.median(lat):.1f}"
              f"  p95 {1000 * q(lat, n=20)[-1]:.1f}  (target p95 <= 100)")  # fmt: skip
        print(f"  GET / ms: median {1000 * statistics.median(get):.1f}"
              f"  p95 {1000 * q(get, n=20)[-1]:.1f}  max {1000 * max(get):.1f}  (target <= 100)")  # fmt: skip


def scenario_tabs(a) -> None:
    with server(a.workers) as (proc, port):

        async def wave(start, n):
            socks = []
            for i in range(start, start + n):
                ws = await connect(port, i, DEFAULT)
                await ws.send(json.dumps({"type": "play"}))
                socks.append(ws)
            await asyncio.sleep(1.0)  # frames in flight
            for ws in socks:  # reset: the tab is killed mid-frame
                sock = ws.transport.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
                ws.transport.abort()

        async def one():
            ws = await connect(port, 0, DEFAULT)
            await ws.send(json.dumps({"type": "step"}))
            while kind_epoch(await ws.recv())[0] != "frame":
                pass
            await ws.close()

        async def warm(n):  # tabs that play together (stacks, frames), then close
            socks = [await connect(port, 190 + i, DEFAULT) for i in range(n)]
            for ws in socks:
                await ws.send(json.dumps({"type": "play"}))
            await asyncio.sleep(1.0)
            for ws in socks:
                await ws.close()

        for _ in range(4 * a.workers):  # warm every worker process: each code path once
            asyncio.run(one())
        asyncio.run(warm(4 * a.workers))
        time.sleep(1.0)
        before = mem_mb(proc.pid)
        for w in range(a.tabs // 50):
            asyncio.run(wave(w * 50, 50))
            if (w + 1) % 4 == 0 and (w + 1) * 50 < a.tabs:  # the trend: every 200 tabs
                time.sleep(2.0)
                now = mem_mb(proc.pid)
                print(f"  after {(w + 1) * 50} tabs: RSS {now:.0f} MB"
                      f" ({100 * (now / before - 1):+.1f} %)")  # fmt: skip
        time.sleep(3.0)
        after = mem_mb(proc.pid)
        asyncio.run(one())
        alive = proc.poll() is None
        print(f"tabs: {a.tabs} tabs played and reset mid-frame, {a.workers} workers")
        print(f"  alive: {alive}; RSS before {before:.0f} MB, after {after:.0f} MB"
              f" ({100 * (after / before - 1):+.1f} %, target within 10 %)")  # fmt: skip


def crafted_requests() -> dict[str, str]:
    """Message texts: the issue's crafted files and the largest requests the limits allow."""
    rng = np.random.default_rng(0)
    big = rng.normal(size=(5000, 31))
    legit_csv = "\n".join(",".join(f"{v:.4f}" for v in r) + f",{int(r[0] > 0)}" for r in big)
    rows = ["a,b,label"] + [f"{i % 7},{i % 5},{i % 2}" for i in range(4000)]
    rows[5] = "1," + "9" * 50_000 + ",0"

    def npz(cfg, arrays):
        buf = io.BytesIO()
        np.savez(buf, __mlplab__=np.array(json.dumps(cfg)), **arrays)
        return base64.b64encode(buf.getvalue()).decode()

    head = {"format": "mlplab.Sequential", "version": 1, "dtype": "float64", "input_dim": 2,
            "head": {"activation": "tanh", "loss": "half_sse"}, "regularization": {}}  # fmt: skip
    n = 15000
    claim = dict(head, layers=[{"type": "Affine", "in": 2, "out": n},
                               {"type": "Affine", "in": n, "out": n},
                               {"type": "Affine", "in": n, "out": 1}])  # fmt: skip
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        b = io.BytesIO()
        np.save(b, np.array(json.dumps(dict(head, layers=[{"type": "Affine", "in": 2, "out": 1}]))))
        z.writestr("__mlplab__.npy", b.getvalue())
        with z.open("param/W1.npy", "w", force_zip64=True) as f:
            np.lib.format.write_array_header_1_0(
                f, {"descr": "<f8", "fortran_order": False, "shape": (10_000, 10_000)}
            )
            zeros, left = bytes(1 << 24), 800_000_000
            while left:
                f.write(zeros[: min(left, len(zeros))])
                left -= min(left, len(zeros))
    legit = export_npz(Session(HEAVY))
    return {
        "CSV 80 KB, one 50,000-char cell": json.dumps({"type": "upload", "csv": "\n".join(rows)}),
        "npz 1.3 KB claiming 15000x15000": json.dumps(
            {"type": "import", "data": npz(claim, {"param/W1": np.zeros((2, 4))})}
        ),
        "npz zip bomb (0.8 MB -> 800 MB)": json.dumps(
            {"type": "import", "data": base64.b64encode(bomb.getvalue()).decode()}
        ),
        "CSV value 1e308": json.dumps(
            {"type": "upload", "csv": "a,b,c\n1,2,0\n3,4,1\n5,1e308,0\n7,8,1\n"}
        ),
        "5000-digit integer": '{"type":"config","state":{"batchSize":' + "9" * 5000 + "}}",
        "2.9 MB message of 950k objects": '{"type":"config","state":{"hide":['
        + ",".join(["{}"] * 950_000)
        + "]}}",
        "largest import (7 features, 6x8)": json.dumps(
            {"type": "import", "data": base64.b64encode(legit).decode()}
        ),
        "largest CSV (5000 x 32, 1.6 MB)": json.dumps({"type": "upload", "csv": legit_csv}),
    }


def scenario_crafted(a) -> None:
    reqs = crafted_requests()
    with server(1) as (proc, port):
        pid = tree(proc.pid)[-1]

        async def run():
            out = {}
            for name, text in reqs.items():  # each on a new session (an import fits 7 inputs)
                state = dict(HEAVY, networkShape=[3]) if "import" in name else DEFAULT
                ws = await connect(port, 0, state)
                while kind_epoch(await ws.recv())[0] != "frame":
                    pass
                await asyncio.sleep(0.3)
                with contextlib.suppress(OSError):  # reset the peak (VmHWM)
                    Path(f"/proc/{pid}/clear_refs").write_text("5")
                base = mem_mb(pid, "VmHWM")
                await ws.send(text)
                while True:
                    m = await ws.recv()
                    kind, _ = kind_epoch(m)
                    if kind in ("error", "uploaded", "imported"):
                        break
                peak = mem_mb(pid, "VmHWM") - base
                msg = json.loads(m).get("message", kind)
                out[name] = (peak, msg)
                await ws.close()
            return out

        res = asyncio.run(run())
        print(f"crafted: peak extra memory per request (VmHWM of the worker process; {len(reqs)}"
              f" requests, target <= 200 MB)")  # fmt: skip
        for name, (peak, msg) in res.items():
            print(f"  {name:<36} {peak:7.1f} MB  {msg[:70]}")


def flat_epoch(ws: list, bs: list, x: np.ndarray, t: np.ndarray, batch: int, lr: float) -> None:
    """The default net's TF epoch written flat by hand (tanh hidden layers, linear output, ½Σ(y−t)²,
    SGD): the floor of any per-session NumPy epoch, to compare the session's with."""
    for u in range(len(x) // batch):
        a = x[u * batch : (u + 1) * batch]
        acts = [a]
        for i, (w, b) in enumerate(zip(ws, bs)):
            z = a @ w + b
            a = np.tanh(z) if i < len(ws) - 1 else z
            acts.append(a)
        d = (a - t[u * batch : (u + 1) * batch]) / batch
        for i in range(len(ws) - 1, -1, -1):
            dw, db = acts[i].T @ d, d.sum(axis=0)
            if i > 0:
                d = (d @ ws[i].T) * (1 - acts[i] * acts[i])
            ws[i] -= lr * dw
            bs[i] -= lr * db


def scenario_inprocess(a) -> None:
    limit_blas_threads()  # as in a server process
    s = Session(dict(DEFAULT))
    x, t = s.Xf_train, s.T_train
    ws = [s.model.params[f"W{i}"].copy() for i in (1, 2, 3)]
    bs = [s.model.params[f"b{i}"].copy() for i in (1, 2, 3)]
    for name, fn in (
        ("session epoch", lambda: s.train(1)),
        ("flat NumPy epoch", lambda: flat_epoch(ws, bs, x, t, 10, 0.03)),
    ):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < 2.0:
            fn()
            n += 1
        print(
            f"in-process default net, {name} (no frame): {1e3 * (time.perf_counter() - t0) / n:.2f} ms"
        )
    # 15 default nets (one worker's share of 30 students), one after another and as one stack
    group = [Session(dict(DEFAULT, dataset=d, initSeed=k + 1)) for k, d in
             enumerate(["circle", "xor", "gauss", "spiral"] * 4)][:15]  # fmt: skip
    for name, fn in (
        ("one after another", lambda: [g.train(1) for g in group]),
        ("as one stack (lockstep)", lambda: train_together(group, 1)),
    ):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < 2.0:
            fn()
            n += 1
        per = 1e3 * (time.perf_counter() - t0) / n / len(group)
        print(f"in-process 15 default nets, {name}: {per:.2f} ms per session-epoch")
    for name, state in (("default net", DEFAULT), ("7 features, 6x8, batch 1", HEAVY)):
        s = Session(dict(state, epochsPerFrame=1))
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < 2.0:
            s.run_epochs(1)
            json.dumps(s.frame())
            n += 1
        print(f"in-process {name}: {n / (time.perf_counter() - t0):.1f} epochs+frames/s")


def _train_for(sessions: list, t_end: float, counts: list, k: int) -> None:
    while time.perf_counter() < t_end:
        for s in sessions:
            s.train(1)
            if s.epoch % 4 == 0:  # a frame every 4 epochs
                json.dumps(s.frame())
        counts[k] += len(sessions)


def scenario_threads(a) -> None:
    """Why one worker thread per process: 4 sessions trained by 1, 2 or 4 threads (GIL)."""
    import threading

    limit_blas_threads()  # as in a server process
    for _ in range(3):
        for nthreads in (1, 2, 4):
            sessions = [Session({"seed": i}) for i in range(4)]
            counts = [0] * nthreads
            t_end = time.perf_counter() + 3.0
            args = [(sessions[k::nthreads], t_end, counts, k) for k in range(nthreads)]
            threads = [threading.Thread(target=_train_for, args=x) for x in args]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            print(f"threads: {nthreads} worker thread(s), 4 default sessions:"
                  f" {sum(counts) / 3.0:.0f} epochs/s in all")  # fmt: skip


SCENARIOS = {
    "inprocess": scenario_inprocess,
    "threads": scenario_threads,
    "class": scenario_class,
    "heavy": scenario_heavy,
    "tabs": scenario_tabs,
    "crafted": scenario_crafted,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--heavy", type=int, default=3)
    ap.add_argument("--tabs", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=10.0)
    a = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    for name, fn in SCENARIOS.items():
        if a.scenario in (name, "all"):
            fn(a)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
