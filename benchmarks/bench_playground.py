"""Benchmark the playground: epochs/s and frame latency per session over real WebSockets.

Starts uvicorn in a child process, opens ``--sessions`` WebSocket clients (the
``websockets`` package), configures each (default network, or ``--largest``: 7 features,
6x8), presses play and measures for ``--seconds``:

* epochs/s per session (epoch counter delta / time),
* frames/s per session (fresh heatmaps),
* frame latency: time from sending ``step`` to receiving its frame, while all others play.

Also measures the bare in-process cost (Session.run_epochs + frame) without the network.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_playground.py --sessions 1
    PYTHONPATH=src .venv/bin/python benchmarks/bench_playground.py --sessions 30
    PYTHONPATH=src .venv/bin/python benchmarks/bench_playground.py --largest
    PYTHONPATH=src .venv/bin/python benchmarks/bench_playground.py --regularization L1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time

import websockets

from mlplab.playground.session import Session

LARGEST = {
    "features": ["x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"],
    "networkShape": [8] * 6,
}


def in_process(state: dict, n: int = 200) -> float:
    s = Session(state)
    t0 = time.perf_counter()
    for _ in range(n):
        s.run_epochs(1)
        json.dumps(s.frame())
    return n / (time.perf_counter() - t0)


async def client(url: str, state: dict, seconds: float, results: list) -> None:
    async with websockets.connect(url, max_size=2**24) as ws:
        await ws.send(json.dumps({"type": "config", "state": state}))
        await ws.send(json.dumps({"type": "play"}))
        frames, first, last, t_first = 0, None, None, None
        t_end = time.perf_counter() + seconds
        while time.perf_counter() < t_end:
            m = json.loads(await ws.recv())
            if m["type"] == "frame" and m["playing"]:
                frames += 1
                if first is None:
                    first, t_first = m["epoch"], time.perf_counter()
                last = m["epoch"]
        dt = time.perf_counter() - t_first
        # latency probe: pause, then time step -> frame
        await ws.send(json.dumps({"type": "pause"}))
        while True:  # drain until the pause is acknowledged
            m = json.loads(await ws.recv())
            if m["type"] == "frame" and not m["playing"]:
                break
        epoch = m["epoch"]
        lat = []
        for _ in range(5):
            await asyncio.sleep(0.05)
            t0 = time.perf_counter()
            await ws.send(json.dumps({"type": "step"}))
            while True:
                m = json.loads(await ws.recv())
                if m["type"] == "frame" and m["epoch"] > epoch:
                    epoch = m["epoch"]
                    break
            lat.append(time.perf_counter() - t0)
        results.append(
            {
                "eps": (last - first) / dt,
                "fps": frames / dt,
                "lat_ms": 1000 * statistics.median(lat),
            }
        )


async def run_clients(url, n, state, seconds):
    results: list = []
    await asyncio.gather(*(client(url, state, seconds, results) for _ in range(n)))
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--largest", action="store_true")
    ap.add_argument("--epochs-per-frame", type=int, default=1)
    ap.add_argument(
        "--regularization",
        choices=["none", "L1", "L2"],
        default="none",
        help="rate 0.01; L1 exercises the dead-weight bookkeeping",
    )
    a = ap.parse_args()
    state = dict(LARGEST) if a.largest else {}
    state["epochsPerFrame"] = a.epochs_per_frame
    state["seed"] = 1
    if a.regularization != "none":
        state.update(regularization=a.regularization, regularizationRate=0.01)
    print(f"in-process epochs+frames/s: {in_process(state):.0f}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # the server runs in its own process so the clients do not share its GIL
    code = (
        "import uvicorn; from mlplab.playground.server import create_app; "
        f"uvicorn.run(create_app(max_sessions={max(64, a.sessions)}), port={port}, "
        "log_level='warning')"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        for _ in range(200):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        res = asyncio.run(run_clients(f"ws://127.0.0.1:{port}/ws", a.sessions, state, a.seconds))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    eps = [r["eps"] for r in res]
    fps = [r["fps"] for r in res]
    lat = [r["lat_ms"] for r in res]
    net = "7 features, 6x8" if a.largest else "2 features, 4-2"
    print(f"{a.sessions} session(s), {net}, {a.epochs_per_frame} epoch(s)/frame, {a.seconds}s")
    print(f"  epochs/s per session: min {min(eps):.1f}  median {statistics.median(eps):.1f}")
    print(f"  frames/s per session: min {min(fps):.1f}  median {statistics.median(fps):.1f}")
    print(f"  step->frame latency ms: median {statistics.median(lat):.1f}  max {max(lat):.1f}")


if __name__ == "__main__":
    main()
