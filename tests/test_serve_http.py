"""`layout serve`'s web server: who may read the proofs, bad queries, idle and too many connections.

The server runs in this process on a free port, over a stand-in proof book (no rendering)."""
from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest

from layout.serve import ProofServer

PNG = b"\x89PNG\r\n\x1a\n stand-in"


class StandInBook:
    """What the server asks of a ProofBook: a version to wait for, the state, page PNGs."""

    def wait(self, since: int, timeout: float) -> int:
        return 1

    def state(self) -> dict:
        return {"version": 1, "errors": [], "warnings": [], "pages": [], "build": {}}

    def png(self, number: int) -> bytes | None:
        return PNG if number == 1 else None

    def zoom_view(self, number: int) -> dict | None:
        return {"number": 1, "layers": [{"index": 0}]} if number == 1 else None

    def zoom_png(self, number: int, index: int) -> bytes | None:
        return PNG if (number, index) == (1, 0) else None

    def places(self, number: int) -> dict | None:
        return {"number": 1, "places": [{"key": "pages[0].stories[0]", "line": 7}]} if number == 1 else None

    def changes(self, since: int) -> list[dict] | None:
        return [{"key": "pages[0].stories[0].headline", "before": "【旧】", "after": "【新】"}] if since == 1 else None

    def pdf(self) -> tuple[str, bytes] | None:
        return "两会-with-errors.pdf", b"%PDF-1.7 stand-in"


@pytest.fixture
def serve():
    """Start a ProofServer with the given options; every one started is shut down at the end."""
    servers = []

    def start(**options) -> ProofServer:
        server = ProofServer(StandInBook(), 0, **options)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def get(server: ProofServer, path: str, **headers) -> tuple[int, bytes, http.client.HTTPResponse]:
    headers.setdefault("Host", f"127.0.0.1:{server.server_address[1]}")
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    try:
        connection.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = connection.getresponse()
        return response.status, response.read(), response
    finally:
        connection.close()


def test_the_proof_page_state_and_a_png_are_served_to_this_machine(serve):
    server = serve()
    port = server.server_address[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert get(server, "/", Host=host)[0] == 200
    status, body, response = get(server, "/page/1.png?v=3")
    assert (status, body, response.getheader("Content-Type")) == (200, PNG, "image/png")
    assert response.getheader("Cross-Origin-Resource-Policy") == "same-origin"
    assert response.getheader("X-Frame-Options") == "DENY"
    assert get(server, "/state?since=0")[:2] == (200, b'{"version": 1, "errors": [], "warnings": [], '
                                                      b'"pages": [], "build": {}}')
    assert get(server, "/page/2.png")[0] == 404
    assert get(server, "/page/1234567.png")[0] == 404


def test_the_reading_view_gets_zoomed_layers_places_and_the_pdf(serve):
    server = serve()
    assert get(server, "/page/1/zoom.json")[:2] == (200, b'{"number": 1, "layers": [{"index": 0}]}')
    status, body, response = get(server, "/page/1/layer/0.png?k=0123abcd")
    assert (status, body, response.getheader("Content-Type")) == (200, PNG, "image/png")
    status, body, response = get(server, "/page/1/boxes.json")
    assert (status, body) == (200, b'{"number": 1, "places": [{"key": "pages[0].stories[0]", "line": 7}]}')
    assert response.getheader("Content-Type") == "application/json; charset=utf-8"
    for path in ("/page/2/zoom.json", "/page/2/boxes.json", "/page/1/layer/1.png", "/page/1/layer/x.png",
                 "/page/1/other.json", "/issue.pdf/x"):
        assert get(server, path)[:2] == (404, b"not found\n"), path
    status, body, response = get(server, "/issue.pdf")
    assert (status, body, response.getheader("Content-Type")) == (200, b"%PDF-1.7 stand-in", "application/pdf")
    assert response.getheader("Content-Disposition") == (
        "attachment; filename=\"issue.pdf\"; filename*=UTF-8''%E4%B8%A4%E4%BC%9A-with-errors.pdf")
    assert get(server, "/issue.pdf", Origin="http://evil.example")[0] == 403
    assert get(server, "/changes?since=1")[:2] == (
        200, '[{"key": "pages[0].stories[0].headline", "before": "【旧】", "after": "【新】"}]'.encode())
    assert get(server, "/changes?since=2")[:2] == (404, b"no proof 2\n")
    assert get(server, "/changes?since=x")[:2] == (400, b"since: not a whole number: 'x'\n")


def test_a_host_other_than_this_machine_is_answered_421(serve):
    """DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 sends Host
    evil.example:PORT, and cannot read the proofs."""
    server = serve()
    port = server.server_address[1]
    for host in (f"evil.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}", f"127.0.0.1.evil.example:{port}",
                 f"localhost:{port}.evil.example", ""):
        status, body, _ = get(server, "/page/1.png", Host=host)
        assert status == 421, host
        assert body == (f"misdirected request: Host must be one of 127.0.0.1:{port}, [::1]:{port}, "
                        f"localhost:{port}\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:     # no Host at all (HTTP/1.0)
        raw.sendall(b"GET /state HTTP/1.0\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.0 421 ")


def test_a_request_from_another_origin_is_answered_403(serve):
    server = serve()
    port = server.server_address[1]
    for origin in ("http://evil.example", "null", f"http://localhost:{port}", f"https://127.0.0.1:{port}",
                   f"http://127.0.0.1:{port + 1}"):
        assert get(server, "/state?since=0", Origin=origin)[:2] == (403, b"cross-origin request refused\n"), origin
    for site in ("cross-site", "same-site"):
        assert get(server, "/page/1.png", Sec_Fetch_Site=site)[:2] == (403, b"cross-origin request refused\n")
    assert get(server, "/state?since=0", Origin=f"http://127.0.0.1:{port}", Sec_Fetch_Site="same-origin")[0] == 200
    assert get(server, "/", Sec_Fetch_Site="none")[0] == 200          # the address typed in


@pytest.mark.parametrize("query, value", [("since=abc", "'abc'"), ("since=", "''"), ("since=1.5", "'1.5'"),
                                          ("since=0&since=x", "'x'"), ("since=" + "9" * 5000, "'" + "9" * 40 + "'")])
def test_a_bad_query_value_is_answered_400(serve, query, value):
    status, body, _ = get(serve(), f"/state?{query}")
    assert (status, body) == (400, f"since: not a whole number: {value}\n".encode())


def test_an_idle_connection_is_closed_after_the_timeout(serve):
    server = serve(idle_timeout=0.5)
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10) as idle:
        started = time.monotonic()
        assert idle.recv(100) == b""                     # closed by the server, nothing sent
        assert 0.4 < time.monotonic() - started < 5
    assert get(server, "/")[0] == 200


def test_connections_beyond_the_thread_bound_are_answered_503(serve):
    server = serve(threads=2, idle_timeout=3.0)
    port = server.server_address[1]
    before = threading.active_count()
    idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
    try:
        deadline = time.monotonic() + 5
        while threading.active_count() < before + 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        for _ in range(5):
            assert get(server, "/")[0] == 503
        assert threading.active_count() == before + 2       # no thread per waiting socket
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 5
    while get(server, "/")[0] != 200:                       # the idle ones time out, slots free again
        assert time.monotonic() < deadline
        time.sleep(0.1)
