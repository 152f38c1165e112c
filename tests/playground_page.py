"""Test helpers: the playground page in headless Chromium (Playwright) against a live server.

Import the fixtures into a test module (``from playground_page import browser_fixture, ...``)
to share them: they are named ``browser``, ``server`` and ``page``.  Tests wait for conditions (``wait_for_function``), never for fixed times.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUT = Path(__file__).resolve().parent.parent / "test-output" / "playground"
READY = "window.mlplab && window.mlplab.frame && window.mlplab.data"


@pytest.fixture(scope="module", name="server")
def server_fixture():
    """``http://127.0.0.1:PORT/`` of an in-process server (one worker thread)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("no /usr/bin/chromium")
    pytest.importorskip("playwright.sync_api")
    import uvicorn

    from mlplab.playground.server import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    th.join(timeout=5)


@pytest.fixture(scope="module", name="browser")
def browser_fixture():
    if not os.path.exists(CHROMIUM):
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        except Exception as exc:  # noqa: BLE001
            pytest.skip(f"chromium does not start: {exc}")
        yield b
        b.close()


class Page:
    """A browser context with one page; collects page errors and failed requests."""

    def __init__(self, browser, url, *, width=1366, height=900, locale="en-US"):
        OUT.mkdir(parents=True, exist_ok=True)
        self.ctx = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        self.pg = self.ctx.new_page()
        self.pg.set_default_timeout(30000)
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.pg.on("pageerror", lambda e: self.errors.append(str(e)))
        self.pg.on(
            "response",
            lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else 0,
        )
        if url is not None:
            self.open(url)

    def open(self, url):
        self.pg.goto(url)
        self.pg.wait_for_function(READY)
        return self.pg

    def close(self):
        self.ctx.close()
        assert not self.errors, self.errors


def open_page(browser, url, **kw) -> Page:
    return Page(browser, url, **kw)


@pytest.fixture(name="page")
def page_fixture(browser, server):
    p = Page(browser, server + "#seed=3&initSeed=3")
    yield p.pg
    p.close()
