"""Guard: which Host and Origin headers the playground answers (DNS rebinding, other sites)."""

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from mlplab.playground.guard import Guard, origin_key, split_host


def test_split_host_and_origin_key():
    assert split_host("Example.ORG:8000") == ("example.org", 8000)
    assert split_host("[::1]:80") == ("::1", 80)
    assert split_host("localhost") == ("localhost", None)
    assert split_host("h:notaport")[1] == -1
    assert origin_key("https://Lab.School.kr") == ("https", "lab.school.kr", 443)
    assert origin_key("http://127.0.0.1:8000") == ("http", "127.0.0.1", 8000)


@pytest.mark.parametrize(
    ("bind", "host", "ok"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "[::1]:8000", True),
        ("127.0.0.1", "evil.example:8000", False),  # DNS rebinding
        ("127.0.0.1", None, False),
        ("localhost", "localhost", True),
        ("192.168.0.5", "192.168.0.5:8000", True),
        ("192.168.0.5", "evil.example", False),
        ("192.168.0.5", "localhost:8000", False),
        ("0.0.0.0", "anything.example:8000", True),
        ("::", "10.1.2.3", True),
    ],
)
def test_host(bind, host, ok):
    assert Guard(None, bind).host_ok(host) is ok


@pytest.mark.parametrize(
    ("origin", "host", "ok"),
    [
        (None, "127.0.0.1:8000", True),  # a program, not a page
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),  # the server's own page
        ("https://lab.example", "lab.example", True),  # behind a TLS proxy: default ports
        ("http://127.0.0.1:8001", "127.0.0.1:8000", False),  # another local server's page
        ("http://evil.example", "127.0.0.1:8000", False),
        ("null", "127.0.0.1:8000", False),  # sandboxed page, file://
        ("http://allowed.example:9000", "127.0.0.1:8000", True),
        ("https://allowed.example:9000", "127.0.0.1:8000", False),  # other scheme
        ("chrome-extension://abc", "127.0.0.1:8000", False),
    ],
)
def test_origin(origin, host, ok):
    g = Guard(None, "127.0.0.1", ["http://allowed.example:9000"])
    assert g.origin_ok(origin, host) is ok


def test_allowed_origin_hosts_are_answered():
    g = Guard(None, "127.0.0.1", ["https://lab.school.kr"])  # a reverse proxy in front
    assert g.host_ok("lab.school.kr") and not g.host_ok("other.school.kr")


def test_refusals_through_asgi():
    async def page(request):
        return PlainTextResponse("page")

    async def ws(socket):
        await socket.accept()
        await socket.send_text("hi")
        await socket.close()

    app = Starlette(
        routes=[Route("/", page), WebSocketRoute("/ws", ws)],
        middleware=[Middleware(Guard, bind_host="127.0.0.1")],
    )
    c = TestClient(app, base_url="http://127.0.0.1:8000")
    assert c.get("/").text == "page"
    r = c.get("/", headers={"host": "evil.example"})
    assert r.status_code == 403 and "unknown Host" in r.text and r.text.count("\n") == 1
    with c.websocket_connect("/ws", headers={"host": "127.0.0.1:8000"}) as s:
        assert s.receive_text() == "hi"
    for headers in ({"host": "127.0.0.1:8000", "origin": "http://evil.example"},
                    {"host": "127.0.0.1:8000", "origin": "null"},
                    {"host": "evil.example"}):  # fmt: skip
        with pytest.raises(WebSocketDisconnect) as e:
            with c.websocket_connect("/ws", headers=headers):
                pass
        assert e.value.code == 1008


def test_client_slots_are_shared_by_processes(tmp_path):
    from mlplab.playground.guard import ClientSlots

    a, b = ClientSlots(2, tmp_path), ClientSlots(2, tmp_path)  # two worker processes
    t1, t2 = a.take("10.0.0.7"), b.take("10.0.0.7")
    assert t1 and t2 and a.take("10.0.0.7") is None and b.take("10.0.0.7") is None
    assert a.take("10.0.0.8") and b.take("::1")  # other computers
    b.give_back(t2)
    assert a.take("10.0.0.7")
    (tmp_path / "10.0.0.9~999999999~0").touch()  # left by a worker that died
    (tmp_path / "10.0.0.9~999999999~1").touch()
    assert a.take("10.0.0.9") and a.take("10.0.0.9") and a.take("10.0.0.9") is None
    alone = ClientSlots(1)
    t = alone.take("1.2.3.4")
    assert t and alone.take("1.2.3.4") is None
    alone.give_back(t)
    assert alone.take("1.2.3.4")
