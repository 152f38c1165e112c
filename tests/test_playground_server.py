"""HTTP API and WebSocket protocol of the playground server (starlette TestClient)."""

import base64
import contextlib
import json

import numpy as np
import pytest
from starlette.testclient import TestClient

from mlplab.playground.server import create_app


def recv_until(ws, kind, limit=200):
    for _ in range(limit):
        m = ws.receive_json()
        if m["type"] == kind:
            return m
    raise AssertionError(f"no {kind} message")


def frame_at(ws, epoch, limit=300):
    for _ in range(limit):
        m = ws.receive_json()
        if m["type"] == "frame" and m["epoch"] == epoch:
            return m
    raise AssertionError(f"no frame at epoch {epoch}")


@contextlib.contextmanager
def session(client, query=""):
    with client.websocket_connect("/ws" + query) as ws:
        hello = recv_until(ws, "hello")
        recv_until(ws, "data")
        recv_until(ws, "frame")
        yield ws, hello["session"]


def make_app(**kw):
    """The app as bound to all interfaces: the TestClient's Host is ``testserver``."""
    return create_app(host="0.0.0.0", **kw)


@pytest.fixture
def client():
    with TestClient(make_app()) as c:
        yield c


def test_page_and_static_assets(client):
    r = client.get("/")
    assert r.status_code == 200 and "mlplab" in r.text and "static/app.js" in r.text
    for name in ("app.js", "style.css", "page-data.js", "favicon.svg"):
        assert client.get(f"/static/{name}").status_code == 200
    head = client.get("/").text.split("<body")[0]
    assert "http" not in head.replace("http-equiv", "")  # works offline
    assert 'rel="icon"' in head


def test_favicon_is_served():
    """Every page load asked for /favicon.ico and got a 404."""
    with TestClient(make_app()) as c:
        r = c.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.content.startswith(b"<svg")


def test_the_page_is_built_from_the_schema_and_the_glossary(client):
    """Defaults, choices, words and lessons come from Python: app.js repeats none of them."""
    from mlplab import i18n
    from mlplab.playground import schema

    js = client.get("/static/page-data.js").text
    page = json.loads(js[js.index("{") : js.rindex("}") + 1])
    assert page["defaults"] == json.loads(json.dumps(schema.DEFAULTS))
    assert page["options"]["learningRate"] == list(schema.LEARNING_RATES)
    assert page["words"]["epoch"] == {"en": "Epoch", "ko": i18n.term("epoch", "ko")}
    assert page["words"]["lr"]["ko"] == i18n.term("learning_rate", "ko")
    assert {lesson["name"] for lesson in page["lessons"]} >= {"xor-linear", "xor-two-neurons"}
    app = client.get("/static/app.js").text
    assert "learningRate: 0.03" not in app and "0.00001, 0.0001" not in app  # no second copy
    assert "I18N" not in app and client.get("/static/i18n.js").status_code == 404


def test_hello_carries_generated_dataset_thumbnails(client):
    with client.websocket_connect("/ws") as ws:
        hello = recv_until(ws, "hello")
    th = hello["thumbnails"]
    assert len(th["classification"]["spiral"]["points"]) == 200
    assert th["classification"]["circle"]["domain"] == 6.0


def test_ws_play_step_reset_edit(client):
    with session(client) as (ws, sid):
        ws.send_json({"type": "step"})
        f = recv_until(ws, "frame")
        assert f["epoch"] == 1
        init_w = f["params"]["W1"]
        ws.send_json({"type": "play"})
        for _ in range(30):
            f = recv_until(ws, "frame")
        assert f["epoch"] > 5 and f["playing"]
        ws.send_json({"type": "pause"})
        ws.send_json({"type": "reset", "same": True})
        f0 = frame_at(ws, 0)
        ws.send_json({"type": "edit", "param": "W1", "index": [0, 0], "value": 1.25})
        for _ in range(100):
            f = recv_until(ws, "frame")
            if f["params"]["W1"][0][0] == 1.25:
                break
        assert f["params"]["W1"][0][0] == 1.25 and f["epoch"] == 0
        assert f["params"]["W1"][1] == f0["params"]["W1"][1] != init_w[1]


def test_bad_messages_answer_errors_and_keep_socket(client):
    with session(client) as (ws, _):
        for bad in (
            "not json",
            json.dumps([1]),
            json.dumps({"type": "config", "state": {"batchSize": 99}}),
            json.dumps({"type": "edit", "param": "W7", "index": [0, 0], "value": 1}),
            json.dumps({"type": "config", "state": {"networkShape": [8] * 50}}),
        ):
            ws.send_text(bad)
            e = recv_until(ws, "error")
            assert e["message"]
        ws.send_json({"type": "config", "state": {"batchSize": 99}})
        assert "batchSize" in recv_until(ws, "error")["message"]
        ws.send_json({"type": "step"})
        assert frame_at(ws, 1)["epoch"] == 1  # still alive


def test_config_changes_data_and_network(client):
    with session(client) as (ws, _):
        ws.send_json(
            {"type": "config", "state": {"dataset": "xor", "networkShape": [3], "seed": 5}}
        )
        d = recv_until(ws, "data")
        assert d["sizes"] == [2, 3, 1] and d["state"]["dataset"] == "xor"
        ws.send_json({"type": "preset", "name": "notebook-231"})
        d = recv_until(ws, "data")
        assert d["sizes"] == [2, 3, 1] and d["state"]["activation"] == "relu"


def export(ws, fmt):
    ws.send_json({"type": "export", "format": fmt})
    m = recv_until(ws, "file")
    assert m["format"] == fmt
    return base64.b64decode(m["base64"]) if "base64" in m else m["text"]


def upload(ws, csv, **cols):
    ws.send_json({"type": "upload", "csv": csv, **cols})
    for _ in range(200):
        m = ws.receive_json()
        if m["type"] in ("uploaded", "error"):
            return m
    raise AssertionError("no answer to the upload")


def test_export_import_upload_csv_over_the_socket(client):
    with session(client) as (ws, sid):
        npz = export(ws, "npz")
        assert npz[:2] == b"PK"
        assert json.loads(export(ws, "json"))["format"] == "mlplab-playground"
        assert "from mlplab.model import MLP" in export(ws, "py")
        assert export(ws, "csv").startswith("x1,x2,label,split")
        ws.send_json({"type": "export", "format": "exe"})
        assert "export.format" in recv_until(ws, "error")["message"]
        ws.send_json({"type": "import", "data": base64.b64encode(npz).decode()})
        assert recv_until(ws, "imported")["sizes"] == [2, 4, 2, 1]
        ws.send_json({"type": "import", "data": base64.b64encode(b"junk").decode()})
        assert "import" in recv_until(ws, "error")["message"]
        rng = np.random.default_rng(1)
        X = rng.normal(size=(40, 2))
        csv = "u,v,c\n" + "\n".join(f"{a},{b},{int(a > b)}" for a, b in X)
        r = upload(ws, csv)
        assert r["type"] == "uploaded" and r["problem"] == "classification"
        d = recv_until(ws, "data")
        assert d["state"]["dataset"] == "upload" and len(d["train"]) == 20
        r = upload(ws, "a,b,c\n1,2\n")
        assert r["type"] == "error" and "upload" in r["message"]
        csv4 = "p,q,r,c\n" + "\n".join(f"{a},{b},{a - b},{int(a > b)}" for a, b in X)
        r = upload(ws, csv4, x=2, y=1, features=[0, 1, 2])
        assert r["type"] == "uploaded", r
        assert r["plotted"] == ["r", "q"] and r["extra"] == ["p"]
        d = recv_until(ws, "data")
        assert d["sizes"][0] == 3 and d["plotted"] == ["r", "q"] and d["extraInputs"] == ["p"]
        r = upload(ws, csv4, x=2)
        assert r["type"] == "error" and "both" in r["message"]
        r = upload(ws, csv4, x=0, y=1, features=[0, 9])
        assert r["type"] == "error" and "feature columns" in r["message"]
        r = upload(ws, "1,2,3\n" * 400_000)
        assert r["type"] == "error" and "at most 2000000 bytes" in r["message"]
        ws.send_json({"type": "step"})
        assert frame_at(ws, 1)["epoch"] == 1  # the socket and the session go on


def test_api_routes_are_gone(client):
    """The old HTTP session API (a CSRF hole: any site could POST to it) no longer exists."""
    for path in ("/api/export", "/api/data.csv", "/api/upload", "/api/import"):
        assert client.get(path).status_code == 404
        assert client.post(path, content=b"x").status_code in (404, 405)


def test_token_required():
    with TestClient(make_app(token="s3cret")) as c:
        with c.websocket_connect("/ws") as ws:
            m = ws.receive_json()
            assert m["type"] == "error" and "token" in m["message"]
        with c.websocket_connect("/ws?token=wrong") as ws:
            assert ws.receive_json()["type"] == "error"
        with c.websocket_connect("/ws?token=s3cret") as ws:
            assert recv_until(ws, "hello")["session"]


def test_sessions_limited_and_idle_freed():
    app = make_app(max_sessions=2, idle_seconds=0.0)
    with TestClient(app) as c:
        m = app.state.manager
        with session(c), session(c):
            with c.websocket_connect("/ws") as ws3:
                assert "full" in ws3.receive_json()["message"]
            assert len(m.entries) == 2
        m.sweep()
        assert len(m.entries) == 0


def test_sessions_per_client_are_capped():
    app = make_app(max_per_client=2)
    with TestClient(app) as c:
        with session(c), session(c):
            with c.websocket_connect("/ws") as ws3:
                assert "at most 2 playground tabs" in ws3.receive_json()["message"]


def test_exported_snippet_recreates_the_initial_weights_after_redraws(client, tmp_path):
    """format=py carries the data seed and initSeed: a fresh interpreter gets the same setup."""
    import subprocess
    import sys
    from pathlib import Path

    import mlplab

    with session(client) as (ws, sid):
        ws.send_json({"type": "config", "state": {"dataset": "spiral", "noise": 70, "seed": 9}})
        recv_until(ws, "data")
        s = client.app.state.manager.entries[sid].session  # read between frames
        seeds = [(s.state["seed"], s.state["initSeed"])]
        for msg in ({"type": "reset", "same": False}, {"type": "regenerate"}) * 2:
            ws.send_json(msg)  # a new initSeed (new weights), then a new data seed
            recv_until(ws, "data")
            seeds.append((s.state["seed"], s.state["initSeed"]))
        assert len(set(seeds)) == 5  # every re-draw changed a seed
        code = export(ws, "py")
        expected = {k: v.copy() for k, v in s.initial.items()}
        x_train, t_train = s.Xf_train.copy(), s.T_train.copy()
    assert f"data_seed = {seeds[-1][0]}" in code and f"init_seed = {seeds[-1][1]}" in code
    assert 'generate("spiral", noise=70, seed=data_seed)' in code  # URL noise above 50 kept
    path = tmp_path / "playground_setup.py"
    path.write_text(code)
    out = tmp_path / "setup.npz"
    prog = (
        "import runpy, sys, numpy as np\n"
        "ns = runpy.run_path(sys.argv[1])\n"  # not __main__: the setup without the training
        "np.savez(sys.argv[2], x_train=ns['x_train'], t_train=ns['t_train'],"
        " **{'p_' + k: v for k, v in ns['initial'].items()})\n"
    )
    src = str(Path(mlplab.__file__).resolve().parents[1])
    subprocess.run(
        [sys.executable, "-c", prog, str(path), str(out)],
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    with np.load(out, allow_pickle=False) as z:
        got = {k[2:]: z[k] for k in z.files if k.startswith("p_")}
        assert np.array_equal(z["x_train"], x_train) and np.array_equal(z["t_train"], t_train)
    assert got.keys() == expected.keys()
    for k, v in expected.items():
        assert np.array_equal(got[k], v), k


def test_binary_frames_and_bad_numbers_answer_one_line_errors(client):
    """A binary frame dropped the socket (KeyError 'text'); huge numbers gave Python's messages."""
    with session(client) as (ws, _):
        bad = {
            b"\x00\x01binary": "binary frames are not used",
            '{"type":"config","state":{"batchSize":' + "9" * 5000 + "}}": "at most 40 characters",
            '{"type":"config","state":{"learningRate":1e999}}': "outside the float range",
            '{"type":"config","state":{"learningRate":NaN}}': "NaN is not a number",
            "[" * 100_000: "message",
            '{"type":"import","data":"%%%"}': "import.data is not valid base64",
            '{"type":"upload","csv":"a,b,c\\n1,2,3\\n","x":0}': "both x and y",
            '{"type":"upload","csv":"a,b,c\\n1,2,3\\n","features":"all"}': "upload.features",
        }
        for text, needle in bad.items():
            ws.send_bytes(text) if isinstance(text, bytes) else ws.send_text(text)
            m = recv_until(ws, "error")["message"]
            assert needle in m and "\n" not in m, (needle, m)
        for cfg, needle in (
            ({"format": "mlplab-playground", "sizes": []}, "'sizes' must list the layer sizes"),
            ({"format": "mlplab-playground", "params": [1, 2]}, "must be JSON objects"),
            ({"format": "mlplab-playground", "sizes": [2, 4, 2, 1], "params": {"W1": "x"}},
             "parameter W1 must be an array of numbers"),
        ):  # fmt: skip
            data = base64.b64encode(json.dumps(cfg).encode()).decode()
            ws.send_json({"type": "import", "data": data})
            assert needle in recv_until(ws, "error")["message"]
        ws.send_json({"type": "step"})
        assert frame_at(ws, 1)["lossTrain"] is not None  # still alive


def test_a_flood_of_messages_is_read_no_faster_than_applied(client):
    """The socket reads a message only when the session's inbox has room (bounded memory)."""
    from mlplab.playground import worker

    app = client.app
    with session(client) as (ws, sid):
        for _ in range(50):
            ws.send_json({"type": "config", "state": {"networkShape": [8, 8, 8]}})
            ws.send_json({"type": "config", "state": {"networkShape": [3]}})
        c = app.state.manager.entries[sid].client
        assert len(c.inbox) <= worker.INBOX_MESSAGES and len(c.outbox) <= worker.OUTBOX_MESSAGES
        ws.send_json({"type": "step"})
        assert frame_at(ws, 1, limit=2000)["epoch"] == 1


def test_a_new_session_starts_from_the_page_state_in_the_url(client):
    """The page puts its settings in the socket URL: its first data are already its own."""
    from urllib.parse import quote

    state = quote(json.dumps({"dataset": "xor", "seed": 5, "networkShape": [3]}))
    with client.websocket_connect(f"/ws?state={state}") as ws:
        recv_until(ws, "hello")
        d = ws.receive_json()
        assert d["type"] == "data" and d["state"]["dataset"] == "xor" and d["sizes"] == [2, 3, 1]
    with client.websocket_connect("/ws?state=" + quote('{"batchSize": 99}')) as ws:
        recv_until(ws, "hello")
        assert "link's settings were not used (batchSize" in recv_until(ws, "error")["message"]
        assert recv_until(ws, "data")["state"]["batchSize"] == 10  # the defaults


def test_a_reconnecting_tab_gets_its_trained_session_back(client):
    with session(client) as (ws, sid):
        ws.send_json({"type": "step"})
        w = frame_at(ws, 1)["params"]
    with client.websocket_connect(f"/ws?session={sid}&state=%7B%7D") as ws:
        assert recv_until(ws, "hello")["session"] == sid
        f = recv_until(ws, "frame")
        assert f["epoch"] == 1 and f["params"] == w and f["histFull"]


def test_a_tf_link_opens_its_setup_and_names_what_was_not_used(client):
    from urllib.parse import quote

    link = (
        "activation=relu&batchSize=5&dataset=xor&regDataset=reg-plane&learningRate=0.1"
        "&regularizationRate=0&noise=10&networkShape=3,2&seed=0.12345&showTestData=true"
        "&discretize=false&percTrainData=70&x=true&y=true&xTimesY=true&xSquared=false"
        "&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
        "&problem=classification&initZero=false&hideText=false&noise_hide=true&bogus=1"
    )
    with client.websocket_connect("/ws?link=" + quote(link)) as ws:
        got = recv_until(ws, "link")
        data = recv_until(ws, "data")
    s = data["state"]
    assert s["activation"] == "relu" and s["networkShape"] == [3, 2] and s["batchSize"] == 5
    assert s["features"] == ["x", "y", "xTimesY"] and s["seed"] == 12345
    assert s["percTrainData"] == 70 and s["showTestData"] is True and s["hide"] == ["noise"]
    assert data["sizes"] == [3, 3, 2, 1]
    assert any(n.startswith("bogus=1") for n in got["notes"])
    assert any(n.startswith("seed=0.12345") for n in got["notes"])
    # a Korean page shows them in Korean (before: English only)
    assert len(got["notes_ko"]) == len(got["notes"])
    assert "bogus=1: 플레이그라운드의 설정이 아닙니다" in got["notes_ko"]


def test_play_after_the_stop_condition_runs_no_epoch(client):
    """Play at the epoch limit used to run exactly one more epoch."""
    with session(client) as (ws, _):
        ws.send_json({"type": "config", "state": {"maxEpochs": 3}})
        ws.send_json({"type": "play"})
        f = frame_at(ws, 3)
        while f["playing"] or f["stopped"] is None:
            f = recv_until(ws, "frame")
        assert f["epoch"] == 3 and f["stopped"] == "maxEpochs"
        ws.send_json({"type": "play"})
        seen = [ws.receive_json()]
        while seen[-1]["type"] != "frame":  # the reply comes first, then the frame
            seen.append(ws.receive_json())
        assert seen[-1]["epoch"] == 3 and not seen[-1]["playing"]
        notice = next(m for m in seen if m["type"] == "notice")
        assert notice["key"] == "playBlocked" and notice["reason"] == "maxEpochs"
        ws.send_json({"type": "step"})  # an explicit step still runs one epoch
        f = frame_at(ws, 4)
        ws.send_json({"type": "config", "state": {"maxEpochs": 6}})
        ws.send_json({"type": "play"})
        f = frame_at(ws, 6)
        while f["playing"]:
            f = recv_until(ws, "frame")
        assert f["epoch"] == 6


def test_a_lesson_over_the_socket(client):
    with session(client) as (ws, _):
        ws.send_json({"type": "lesson", "name": "xor-linear"})
        lesson = recv_until(ws, "lesson")
        assert lesson["title"]["ko"] and lesson["goal"]["en"].startswith("test loss < 0.1")
        data = recv_until(ws, "data")
        assert data["lesson"] == "xor-linear" and data["state"]["activation"] == "linear"
        f = recv_until(ws, "frame")
        assert f["goal"] == {"state": "trying", "epoch": 0, "within": 200, "broken": []}
        ws.send_json({"type": "lesson", "name": "no-such-lesson"})
        assert "lesson.name must be one of" in recv_until(ws, "error")["message"]
        ws.send_json({"type": "lesson", "name": None})
        assert recv_until(ws, "lesson")["name"] is None
        assert recv_until(ws, "data")["lesson"] is None


def test_a_lesson_link_opens_the_lesson():
    with TestClient(make_app()) as c, c.websocket_connect("/ws?link=lesson%3Dxor-no-hidden") as ws:
        assert recv_until(ws, "link")["notes"] == []
        assert recv_until(ws, "lesson")["name"] == "xor-no-hidden"
        data = recv_until(ws, "data")
    assert data["state"]["networkShape"] == [] and data["state"]["seed"] == 1


def test_a_page_that_says_drawn_gets_one_frame_at_a_time(client):
    """?drawn=1: the next frame is built only after {"type":"drawn"}; training goes on."""
    with session(client, "?drawn=1") as (ws, _):
        ws.send_text('{"type":"drawn"}')  # the first frame
        ws.send_json({"type": "play"})
        first = recv_until(ws, "frame")
        while not first["playing"]:
            ws.send_text('{"type":"drawn"}')
            first = recv_until(ws, "frame")
        epoch = first["epoch"]
        for _ in range(200):  # training goes on while no frame is drawn ...
            ws.send_json({"type": "export", "format": "json"})
            m = ws.receive_json()
            assert m["type"] == "file", m["type"]  # ... and no frame comes
            if json.loads(m["text"])["epoch"] > epoch + 5:
                break
        else:
            raise AssertionError("no training while the frame was not drawn")
        ws.send_text('{"type":"drawn"}')
        nxt = recv_until(ws, "frame")
        assert nxt["epoch"] > epoch + 5 and nxt["playing"]
        ws.send_json({"type": "pause"})


def test_an_error_comes_with_its_korean_line(client):
    """Before: a Korean page showed the server's errors in English only."""
    with session(client) as (ws, _):
        ws.send_json({"type": "upload", "csv": "a,b,label\n1,x,0\n2,3,1\n", "cols": None,
                      "label": None, "features": None})  # fmt: skip
        m = recv_until(ws, "error")
        assert (
            m["message"] == "upload: line 2: text 'x' in numeric column 2 ('b') (expected a number)"
        )
        assert (
            m["ko"]
            == "upload: 2행: 숫자 열인 2번째 열 ('b')에 글자 'x'이(가) 있습니다 (수여야 합니다)"
        )
        ws.send_text("not json")  # the socket's own lines too
        m = recv_until(ws, "error")
        assert m["message"] == "message is not valid JSON (line 1, column 1)"
        assert m["ko"] == "message: 올바른 JSON이 아닙니다 (1행 1열)"
