"""End-to-end: the playground page in headless Chromium (Playwright), against a live server."""

import os
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

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


@pytest.fixture(scope="module")
def server():
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
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    th.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
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


@pytest.fixture
def page(browser, server):
    OUT.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server + "#seed=3")
    pg.wait_for_function("window.mlplab && window.mlplab.frame && window.mlplab.data")
    yield pg
    ctx.close()
    assert not errors, errors


def epoch(pg):
    return pg.evaluate("window.mlplab.frame.epoch")


def loss(pg):
    return pg.evaluate("window.mlplab.frame.lossTrain")


def test_train_step_reset(page):
    pg = page
    pg.select_option("#activation", "relu")
    pg.wait_for_function("window.mlplab.data.state.activation === 'relu'")
    pg.click(".ds[data-dataset='xor']")
    pg.wait_for_function("window.mlplab.data.state.dataset === 'xor'")
    pg.wait_for_function("window.mlplab.frame.epoch === 0")
    w0 = pg.evaluate("JSON.stringify(window.mlplab.frame.params)")
    l0 = loss(pg)
    pg.screenshot(path=str(OUT / "01_start.png"))
    pg.click("#play")
    pg.wait_for_function("window.mlplab.frame.epoch > 60", timeout=20000)
    pg.click("#play")  # pause
    pg.wait_for_function("!window.mlplab.frame.playing")
    assert loss(pg) < l0
    text = pg.inner_text("#epoch")
    assert text.count(",") == 1 and len(text) == 7
    pg.screenshot(path=str(OUT / "02_trained.png"))
    e = epoch(pg)
    pg.click("#step")
    pg.wait_for_function(f"window.mlplab.frame.epoch === {e + 1}")
    pg.click("#reset")
    pg.wait_for_function("window.mlplab.frame.epoch === 0")
    assert pg.evaluate("JSON.stringify(window.mlplab.frame.params)") == w0
    # hover a hidden neuron: its grid shows in the big map
    pg.hover(".hidden-node >> nth=0")
    pg.wait_for_function("!!window.mlplab.frame.focusGrid")
    pg.screenshot(path=str(OUT / "03_hover.png"))


def test_upload_csv_and_korean(page, tmp_path):
    pg = page
    csv = tmp_path / "mine.csv"
    lines = ["a,b,label"] + [f"{i % 7 - 3},{i % 5 - 2},{int(i % 7 > 3)}" for i in range(60)]
    csv.write_text("\n".join(lines))
    pg.click("#uploadBox summary")
    pg.set_input_files("#csvFile", str(csv))
    pg.wait_for_function("document.querySelectorAll('#colLabel option').length === 3")
    pg.click("#uploadBtn")
    pg.wait_for_function("window.mlplab.data.state.dataset === 'upload'")
    assert pg.evaluate("window.mlplab.data.train.length") == 30
    pg.screenshot(path=str(OUT / "04_upload.png"))
    pg.click("#langToggle")
    assert pg.inner_text("[data-i18n='trainLoss']") == "훈련 손실"
    assert pg.evaluate("document.documentElement.lang") == "ko"
    pg.screenshot(path=str(OUT / "05_korean.png"))


def test_bad_value_shows_error_and_preset(page):
    pg = page
    pg.evaluate("window.mlplab.send({type: 'config', state: {batchSize: 500}})")
    pg.wait_for_selector("#error:not([hidden])")
    assert "batchSize" in pg.inner_text("#error")
    pg.click("[data-preset='notebook-231']")
    pg.wait_for_function("window.mlplab.data.state.dataset === 'quadratic'")
    assert pg.evaluate("window.mlplab.data.sizes") == [2, 3, 1]
    pg.set_viewport_size({"width": 820, "height": 1180})  # tablet portrait
    pg.screenshot(path=str(OUT / "06_tablet_notebook.png"), full_page=True)
