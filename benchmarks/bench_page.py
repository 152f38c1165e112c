"""What a browser user sees: epochs/s of the playground page, read from its epoch counter.

A real ``mlplab playground`` process (default workers) and the real page in headless Chromium
(Debian's ``/usr/bin/chromium`` through Playwright).  For each setup the page is opened at
the setup's link, Play is pressed, and after ``--warmup`` seconds the page's own epoch counter
(``#epoch``, the number a student reads) is sampled for ``--seconds``: epochs/s is its slope.
The page's rendered frames/s and the time its ``render()`` takes come from the page's own
counters (``window.mlplab.stats``); the CPU use of the server and of the browser (their
processes' user + system time over the window, 100 % = one core) from ``/proc``.

Setups (``--setup``, default all), each at 1 epoch per frame (the page's default speed):

``default``   TF Playground's default: circle, 2 features, 4-2 tanh, batch 10.
``largest``   the largest net the page's buttons build: 7 features, 6 hidden layers x 8.

``--load K`` runs K busy processes during the measurement (a loaded machine; graceful
degradation), ``--tf DIR`` measures TF Playground built from its repository (``npm run
build``; DIR is its ``dist/``) the same way, reading its ``#iter-number``.

Targets (idle machine): default >= 60 and largest >= 30 epochs/s.

Usage::

    .venv/bin/python benchmarks/bench_page.py                       # both setups, ~1 min
    .venv/bin/python benchmarks/bench_page.py --setup largest --load 2
    .venv/bin/python benchmarks/bench_page.py --tf /tmp/tfpg/dist   # TF's page beside it
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ALL_FEATURES = ["x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"]
SETUPS = {
    "default": "seed=1&initSeed=1",
    "largest": "seed=1&initSeed=1&features=" + ",".join(ALL_FEATURES) + "&networkShape=8,8,8,8,8,8",
}
#: the same setups in TF Playground's link form
TF_SETUPS = {
    "default": "seed=0.00001",
    "largest": "seed=0.00001&"
    + "&".join(f"{f}=true" for f in ALL_FEATURES)
    + "&networkShape=8,8,8,8,8,8",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen) -> None:
    for _ in range(600):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        time.sleep(0.05)
    raise RuntimeError("the server did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (Linux ``/proc``)."""
    return sum(_own_cpu(p) for p in _tree(pid))


def browser_cpu_seconds(server_pid: int | None) -> float:
    """CPU time of Playwright's driver and Chromium: this process's children but the server
    and the busy processes."""
    children = _tree(os.getpid())[1:]
    skip = set(_tree(server_pid)) if server_pid else set()
    for b in BURNERS:
        skip |= set(_tree(b))
    total = 0.0
    for p in children:
        if p not in skip:
            total += _own_cpu(p)
    return total


def _own_cpu(pid: int) -> float:
    with contextlib.suppress(OSError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def _tree(pid: int) -> list[int]:
    out = [pid]
    with contextlib.suppress(OSError):
        for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            out += _tree(int(c))
    return out


@contextlib.contextmanager
def mlplab_server(workers: int | None):
    port = free_port()
    cmd = [sys.executable, "-m", "mlplab.cli", "playground", "--no-browser", "--port", str(port)]
    if workers:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port, proc)
        time.sleep(1.0)
        yield f"http://127.0.0.1:{port}/", proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@contextlib.contextmanager
def static_server(directory: str):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(port, proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _burn(stop) -> None:  # one busy core
    x = 0
    while not stop.is_set():
        for _ in range(10000):
            x = (x * 31 + 7) % 1000003


BURNERS: set[int] = set()  #: pids of the busy processes (not the browser's CPU)


@contextlib.contextmanager
def load(k: int):
    stop = multiprocessing.Event()
    procs = [multiprocessing.Process(target=_burn, args=(stop,), daemon=True) for _ in range(k)]
    for p in procs:
        p.start()
        BURNERS.add(p.pid)
    try:
        yield
    finally:
        stop.set()
        for p in procs:
            p.join(timeout=5)


def counter(pg, selector: str) -> int:
    return int(pg.inner_text(selector).replace(",", "") or 0)


def measure(browser, url: str, *, tf: bool, warmup: float, seconds: float, pid=None) -> dict:
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    pg = ctx.new_page()
    pg.set_default_timeout(60000)
    pg.goto(url)
    sel = "#iter-number" if tf else "#epoch"
    if tf:
        pg.wait_for_selector("#play-pause-button")
        pg.click("#play-pause-button")
    else:
        pg.wait_for_function("window.mlplab && window.mlplab.frame && window.mlplab.data")
        pg.click("#play")
    pg.wait_for_timeout(warmup * 1000)
    stats0 = None if tf else pg.evaluate("({...window.mlplab.stats})")
    cpu0 = cpu_seconds(pid) if pid else 0.0
    browser0 = browser_cpu_seconds(pid)
    e0, t0 = counter(pg, sel), time.perf_counter()
    samples = []
    while time.perf_counter() - t0 < seconds:
        pg.wait_for_timeout(500)
        samples.append((time.perf_counter() - t0, counter(pg, sel)))
    e1, t1 = counter(pg, sel), time.perf_counter()
    out = {"epochs_per_s": (e1 - e0) / (t1 - t0)}
    out["server_cpu"] = ((cpu_seconds(pid) - cpu0) if pid else 0.0) / (t1 - t0)
    out["browser_cpu"] = (browser_cpu_seconds(pid) - browser0) / (t1 - t0)
    if not tf:
        s1 = pg.evaluate("({...window.mlplab.stats})")
        frames = s1["renders"] - stats0["renders"]
        out["frames_per_s"] = frames / (t1 - t0)
        out["render_ms"] = (s1["renderMs"] - stats0["renderMs"]) / max(1, frames)
        out["links"] = s1.get("linkMode")
    rates = [(b[1] - a[1]) / (b[0] - a[0]) for a, b in zip(samples, samples[1:]) if b[0] > a[0]]
    out["half_second_min"] = min(rates) if rates else None
    out["half_second_median"] = statistics.median(rates) if rates else None
    ctx.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--setup", choices=sorted(SETUPS), action="append")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--load", type=int, default=0, help="busy processes during the measurement")
    ap.add_argument("--workers", type=int, default=None, help="server processes (default cores)")
    ap.add_argument("--tf", metavar="DIR", help="also measure TF Playground built in DIR")
    ap.add_argument("--json", metavar="FILE")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    setups = a.setup or list(SETUPS)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores;"
          f" load average before: {os.getloadavg()[0]:.2f}; busy processes: {a.load}")  # fmt: skip
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            with mlplab_server(a.workers) as (base, pid), load(a.load):
                for name in setups:
                    r = measure(browser, base + "#" + SETUPS[name], tf=False,
                                warmup=a.warmup, seconds=a.seconds, pid=pid)  # fmt: skip
                    results[f"mlplab/{name}"] = r
                    print(f"mlplab {name:8s} {r['epochs_per_s']:6.1f} epochs/s"
                          f" (half-second min {r['half_second_min']:.0f}),"
                          f" {r['frames_per_s']:5.1f} frames/s, render {r['render_ms']:.2f} ms,"
                          f" links: {r['links']}, CPU: server {100 * r['server_cpu']:.0f} %,"
                          f" browser {100 * r['browser_cpu']:.0f} %")  # fmt: skip
            if a.tf:
                with static_server(a.tf) as base, load(a.load):
                    for name in setups:
                        r = measure(browser, base + "#" + TF_SETUPS[name], tf=True,
                                    warmup=a.warmup, seconds=a.seconds)  # fmt: skip
                        results[f"tf/{name}"] = r
                        print(f"TF     {name:8s} {r['epochs_per_s']:6.1f} epochs/s"
                              f" (half-second min {r['half_second_min']:.0f}),"
                              f" CPU: browser {100 * r['browser_cpu']:.0f} %")  # fmt: skip
        finally:
            browser.close()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
