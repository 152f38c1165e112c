"""End-to-end: the playground page in headless Chromium (Playwright), against a live server."""

import json

import numpy as np
import pytest

from playground_page import OUT, READY, browser_fixture, page_fixture, server_fixture  # noqa: F401

pytestmark = pytest.mark.browser


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
    pg.set_input_files("#csvFile", str(csv))  # choosing the file uploads it
    pg.wait_for_function("window.mlplab.data.state.dataset === 'upload'")
    pg.wait_for_function("document.querySelectorAll('#colLabel option').length === 3")
    assert pg.evaluate("window.mlplab.data.train.length") == 30
    pg.screenshot(path=str(OUT / "04_upload.png"))
    pg.click("#langToggle")
    assert pg.inner_text("[data-i18n='trainLoss']") == "학습 손실"
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


# --- TF Playground (state.ts, playground.ts): every TF control with its exact options, range and default ------------------
TF_SELECTS = {
    "learningRate": (
        ["0.00001", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"],
        "0.03",
    ),
    "activation": (["ReLU", "Tanh", "Sigmoid", "Linear"], "Tanh"),
    "regularization": (["None", "L1", "L2"], "None"),
    "regularizationRate": (
        ["0", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"],
        "0",
    ),
    "problem": (["Classification", "Regression"], "Classification"),
}
TF_SLIDERS = {  # id: (min, max, step, default)
    "percTrainData": ("10", "90", "10", "50"),
    "noise": ("0", "50", "5", "0"),
    "batchSize": ("1", "30", "1", "10"),
}
#: each classroom hide flag and the elements it must hide
HIDE_TARGETS = {
    "showTestData": ["#showTestData"],
    "discretize": ["#discretize"],
    "playButton": ["#play"],
    "stepButton": ["#step"],
    "resetButton": ["#reset", "#redraw"],
    "learningRate": ["#learningRate"],
    "activation": ["#activation"],
    "regularization": ["#regularization"],
    "regularizationRate": ["#regularizationRate"],
    "problem": ["#problem"],
    "dataset": ["#datasets"],
    "percTrainData": ["#percTrainData"],
    "noise": ["#noise"],
    "batchSize": ["#batchSize"],
    "numHiddenLayers": ["#addLayer", "#removeLayer", ".layerhead button >> nth=0"],
}


def tf_group(pg, sel):
    """Texts and selected text of a select's TF options (mlplab extras are in another group)."""
    return pg.evaluate(
        """(id) => {
        const el = document.getElementById(id);
        const g = el.querySelector("optgroup[data-group='tf']");
        const opts = [...(g || el).querySelectorAll("option")];
        return [opts.map((o) => o.textContent), el.options[el.selectedIndex].textContent];
    }""",
        sel,
    )


def test_every_tf_control_has_the_exact_options_and_defaults(browser, server):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    pg = ctx.new_page()
    pg.goto(server)  # no hash: the defaults
    pg.wait_for_function(READY)
    for sel, (options, default) in TF_SELECTS.items():
        assert tf_group(pg, sel) == [options, default], sel
    for sel, (lo, hi, step, default) in TF_SLIDERS.items():
        got = pg.evaluate(
            "(id) => { const e = document.getElementById(id); return [e.min, e.max, e.step, e.value]; }",
            sel,
        )
        assert got == [lo, hi, step, default], sel
    for sel in ("#play", "#step", "#reset", "#regenerate", "#addLayer", "#removeLayer"):
        assert pg.is_visible(sel), sel
    assert pg.inner_text("#epoch") == "000,000"
    assert not pg.is_checked("#showTestData") and not pg.is_checked("#discretize")
    # datasets: TF's four classification sets (plus mlplab's quadratic), then regression
    names = pg.eval_on_selector_all(".ds", "els => els.map(e => e.dataset.dataset)")
    assert names[:4] == ["circle", "xor", "gauss", "spiral"]
    assert pg.eval_on_selector(".ds.selected", "e => e.dataset.dataset") == "circle"
    assert pg.inner_text(".ds[data-dataset='xor']") == "Exclusive or"
    # thumbnails are drawn from generated data (200 points at noise 0)
    pg.wait_for_function("document.querySelector('.ds canvas').dataset.points === '200'")
    # input features: all 7, X1 and X2 on
    feats = pg.eval_on_selector_all(
        ".node.feature",
        "els => els.map(e => [e.dataset.feature, !e.classList.contains('inactive')])",
    )
    assert feats == [
        ["x", True],
        ["y", True],
        ["xSquared", False],
        ["ySquared", False],
        ["xTimesY", False],
        ["sinX", False],
        ["sinY", False],
    ]
    assert [f[1] for f in feats]
    # hidden layers 4, 2
    assert pg.inner_text("#numLayers") == "2"
    assert pg.evaluate("window.mlplab.data.sizes") == [2, 4, 2, 1]
    pg.select_option("#problem", "regression")
    pg.wait_for_function("window.mlplab.data.state.problem === 'regression'")
    # the data sets are redrawn on the page's next render after the data arrive
    pg.wait_for_function("document.querySelector('.ds.selected')?.dataset.dataset === 'reg-plane'")
    names = pg.eval_on_selector_all(".ds", "els => els.map(e => e.dataset.dataset)")
    assert names == ["reg-plane", "reg-gauss"]
    assert pg.eval_on_selector(".ds.selected", "e => e.dataset.dataset") == "reg-plane"
    assert [pg.inner_text(f".ds[data-dataset='{n}']") for n in names] == [
        "Plane",
        "Multi gaussian",
    ]
    ctx.close()


def test_the_15_classroom_hide_flags(page, server, browser):
    pg = page
    assert len(HIDE_TARGETS) == 15
    pg.click("footer summary")
    assert pg.eval_on_selector_all("[data-hide]", "els => els.length") == 15 + 7
    for flag, targets in HIDE_TARGETS.items():
        for sel in targets:
            assert pg.is_visible(sel), (flag, sel)
        pg.check(f"[data-hide='{flag}']")
        for sel in targets:
            assert not pg.is_visible(sel), (flag, sel)
        assert f"{flag}_hide=true" in pg.evaluate("location.hash")
        assert pg.evaluate("location.hash") in pg.input_value("#shareLink")
        assert pg.is_visible("#lossTest")  # TF #129: hiding the ratio slider hid the test loss
        pg.uncheck(f"[data-hide='{flag}']")
        for sel in targets:
            assert pg.is_visible(sel), (flag, sel)
    # a shared link with all flags hides everything at load
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    other = ctx.new_page()
    other.goto(server + "#seed=3&" + "&".join(f"{f}_hide=true" for f in HIDE_TARGETS))
    other.wait_for_function(READY)
    for flag, targets in HIDE_TARGETS.items():
        for sel in targets:
            assert not other.is_visible(sel), (flag, sel)
    ctx.close()


def test_l1_dead_links_are_drawn_dead(page):
    pg = page
    pg.select_option("#regularization", "L1")
    pg.wait_for_function("window.mlplab.data.state.regularization === 'L1'")
    pg.select_option("#regularizationRate", "1")
    pg.wait_for_function("window.mlplab.data.state.regularizationRate === 1")
    for k in range(1, 4):
        pg.click("#step")
        pg.wait_for_function(f"window.mlplab.frame.epoch === {k}")
    dead = pg.evaluate("window.mlplab.frame.dead")
    assert sum(len(v) for v in dead.values()) > 0
    param = next(iter(dead))
    i, j = dead[param][0]
    probe = next(
        p for p in pg.evaluate("window.mlplab.linkProbes()")
        if (p["param"], p["i"], p["j"]) == (param, i, j)
    )  # fmt: skip
    assert pg.evaluate(f"window.mlplab.frame.params['{param}'][{i}][{j}]") == 0
    # drawn grey and dashed: the link's pixel is grey (TF's colours are orange/blue)
    r, g, b = pg.evaluate(
        """([x, y]) => { const c = document.getElementById('links'), q = c.getBoundingClientRect();
        const d = window.devicePixelRatio || 1;
        let best = [255, 255, 255, 0];
        for (let dx = -2; dx <= 2; dx++) for (let dy = -2; dy <= 2; dy++) {
          const p = c.getContext('2d').getImageData(Math.round((x - q.left + dx) * d),
            Math.round((y - q.top + dy) * d), 1, 1).data;
          if (p[3] > best[3]) best = [...p];
        }
        return best.slice(0, 3); }""",
        [probe["x"], probe["y"]],
    )
    assert abs(r - g) < 20 and abs(g - b) < 20, (r, g, b)
    pg.mouse.move(probe["x"], probe["y"])
    pg.wait_for_selector("#tooltip:not([hidden])")
    assert "dead" in pg.inner_text("#tooltip")
    pg.screenshot(path=str(OUT / "07_l1_dead.png"))
    pg.click("#reset")
    pg.wait_for_function("Object.keys(window.mlplab.frame.dead).length === 0")


def test_loss_chart_hover_shows_epoch_and_losses(page):
    pg = page
    for k in range(1, 11):
        pg.click("#step")
        pg.wait_for_function(f"window.mlplab.frame.epoch === {k}")
    box = pg.locator("#chart").bounding_box()
    pg.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    pg.wait_for_selector("#tooltip:not([hidden])")
    text = pg.inner_text("#tooltip")
    tr, te = pg.evaluate("[window.mlplab.frame.lossTrain, window.mlplab.frame.lossTest]")
    assert text == f"Epoch 10: Training loss {tr:.3f}, Test loss {te:.3f}"
    pg.mouse.move(box["x"] + 1, box["y"] + box["height"] / 2)
    assert pg.inner_text("#tooltip").startswith("Epoch 0:")
    pg.mouse.move(0, 0)
    assert not pg.is_visible("#tooltip")


def test_redraw_seed_is_in_the_link(page, browser, server):
    pg = page
    seed0 = pg.evaluate("window.mlplab.state.initSeed")
    assert f"initSeed={seed0}" in pg.evaluate("location.hash")
    pg.click("#redraw")
    pg.wait_for_function(f"window.mlplab.data.state.initSeed !== {seed0}")
    pg.wait_for_function("window.mlplab.frame.epoch === 0")
    seed1 = pg.evaluate("window.mlplab.state.initSeed")
    link = pg.input_value("#shareLink")
    assert f"initSeed={seed1}&" in link or link.endswith(f"initSeed={seed1}")
    w = pg.evaluate("JSON.stringify(window.mlplab.frame.params)")
    pts = pg.evaluate("JSON.stringify(window.mlplab.data.train)")
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    other = ctx.new_page()
    other.goto(link)
    other.wait_for_function(f"window.mlplab.data && window.mlplab.data.state.initSeed === {seed1}")
    other.wait_for_function("window.mlplab.frame && window.mlplab.frame.epoch === 0")
    assert other.evaluate("JSON.stringify(window.mlplab.frame.params)") == w
    assert other.evaluate("JSON.stringify(window.mlplab.data.train)") == pts
    ctx.close()


def test_upload_with_more_columns_trains_on_all(page, tmp_path):
    pg = page
    rows = ["a,b,c,label"]
    for i in range(80):
        a, b, c = (i % 9) - 4, (i * 7 % 11) - 5, (i * 5 % 13) - 6
        rows.append(f"{a},{b},{c},{int(c > 0)}")
    csv = tmp_path / "four.csv"
    csv.write_text("\n".join(rows))
    pg.click("#uploadBox summary")
    pg.set_input_files("#csvFile", str(csv))
    pg.wait_for_function("document.querySelectorAll('#colFeatures input').length === 4")
    assert pg.is_disabled("#colFeatures input[value='3']")  # the label is no feature
    pg.wait_for_function("window.mlplab.data.state.dataset === 'upload'")
    pg.wait_for_function("window.mlplab.data.sizes[0] === 3")
    assert pg.evaluate("window.mlplab.data.extraInputs") == ["c"]
    assert pg.is_visible(".node.extra[data-extra='c']")
    note = pg.inner_text("#heatNote")
    assert "x = a, y = b" in note and "mean" in note and "c = " in note
    pg.select_option("#colY", "2")  # plot a against c: re-uploads with the new pair
    pg.wait_for_function("window.mlplab.data.plotted && window.mlplab.data.plotted[1] === 'c'")
    assert pg.evaluate("window.mlplab.data.extraInputs") == ["b"]
    pg.screenshot(path=str(OUT / "08_upload_pair.png"))


@pytest.mark.parametrize(("name", "w", "h"), [("tablet", 768, 1024), ("laptop", 1366, 768)])
def test_layout_screenshots(browser, server, name, w, h):
    ctx = browser.new_context(viewport={"width": w, "height": h}, locale="en-US")
    pg = ctx.new_page()
    pg.goto(server + "#seed=3&initSeed=3")
    pg.wait_for_function(READY)
    pg.wait_for_function("document.querySelector('.ds canvas').dataset.points === '200'")
    pg.screenshot(path=str(OUT / f"09_{name}.png"))
    pg.screenshot(path=str(OUT / f"09_{name}_full.png"), full_page=True)
    # nothing overflows the viewport sideways; the network, heatmap and controls are visible
    assert pg.evaluate("document.documentElement.scrollWidth") <= w
    for sel in ("#play", "#heatmap", ".output-node", "#chart", "#learningRate"):
        box = pg.locator(sel).first.bounding_box()
        assert box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= w, sel
    # the network drawing stays inside its column
    net = pg.locator("#net").bounding_box()
    for el in pg.locator(".node").all():
        b = el.bounding_box()
        assert b["x"] >= net["x"] - 80 and b["x"] + b["width"] <= net["x"] + net["width"] + 1
        assert b["y"] + b["height"] <= net["y"] + net["height"]  # nothing runs into "More"
    assert pg.locator("#more").bounding_box()["y"] >= net["y"] + net["height"]
    head = pg.locator(".netbar").bounding_box()
    first = pg.locator(".layerhead").first.bounding_box()
    assert first["y"] >= head["y"] + head["height"]  # neuron +/- do not cover the layer count
    ctx.close()


@pytest.mark.parametrize(("url", "noise", "slider_max"), [(70, 70, 70), (95, 50, 50), (-5, 0, 50)])
def test_url_noise_follows_tf(browser, server, url, noise, slider_max):
    """TF: URL noise up to 80 is kept and raises the slider's max; above 80 -> 50; below 0 -> 0."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server + f"#seed=3&noise={url}")
    pg.wait_for_function(READY)
    assert pg.evaluate("window.mlplab.data.state.noise") == noise  # the server generated it
    assert pg.inner_text("#noiseVal") == str(noise)
    value, hi = pg.evaluate("(() => { const e = $('noise'); return [+e.value, +e.max]; })()")
    assert value == noise and hi == slider_max
    assert f"noise={noise}&" in pg.evaluate("location.hash")
    assert pg.is_hidden("#error")
    ctx.close()
    assert not errors, errors


def test_exports_and_import_go_over_the_socket(page, tmp_path):
    """Exports come back as ``file`` messages the page saves; an import goes up as base64."""
    pg = page
    pg.click("#more summary")
    for sel, name in (("#exportJson", "playground.json"), ("#exportNpz", "playground_model.npz"),
                      ("#exportPy", "playground_setup.py")):  # fmt: skip
        with pg.expect_download() as dl:
            pg.click(sel)
        assert dl.value.suggested_filename == name
        path = tmp_path / name
        dl.value.save_as(path)
    assert path.read_text().startswith('"""Recreates a mlplab playground setup')
    assert (tmp_path / "playground_model.npz").read_bytes()[:2] == b"PK"
    cfg = json.loads((tmp_path / "playground.json").read_text())
    assert cfg["format"] == "mlplab-playground" and cfg["sizes"] == [2, 4, 2, 1]
    pg.click("#uploadBox summary")
    with pg.expect_download() as dl:
        pg.click("#exportCsv")
    assert dl.value.suggested_filename == "playground_data.csv"
    # import the saved model into a changed network: the file's shape comes back
    pg.click("#removeLayer")
    pg.wait_for_function("window.mlplab.data.sizes.length === 3")
    pg.set_input_files("#importFile", str(tmp_path / "playground_model.npz"))
    pg.wait_for_function("window.mlplab.data.sizes.join() === '2,4,2,1'")
    assert pg.inner_text("#status") == "Model imported"
    w = pg.evaluate("window.mlplab.frame.params.W1")
    assert np.allclose(w, np.load(tmp_path / "playground_model.npz")["param/W1"], atol=1e-5)


@pytest.mark.parametrize("form", ["#token=class42&seed=3", "?token=class42#seed=3"])
def test_the_classroom_token_link(browser, tmp_path, form):
    """The README's ``http://HOST:8000/#token=class42`` (and ``?token=``) open a session."""
    from playground_client import playground

    with playground("--workers", "1", "--token", "class42", tmp_path=tmp_path) as (_, port, log):
        ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
        pg = ctx.new_page()
        pg.goto(f"http://127.0.0.1:{port}/{form}")
        pg.wait_for_function(READY)
        assert pg.evaluate("window.mlplab.data.state.seed") == 3
        pg.click("#step")
        pg.wait_for_function("window.mlplab.frame.epoch === 1")
        if form.startswith("#"):  # the share link keeps the token for the next student
            assert "token=class42" in pg.input_value("#shareLink")
        other = ctx.new_page()  # without the token: told so, and no session
        other.goto(f"http://127.0.0.1:{port}/#seed=3")
        other.wait_for_selector("#error:not([hidden])")
        assert "token" in other.inner_text("#error")
        assert other.evaluate("window.mlplab.frame") is None
        ctx.close()
