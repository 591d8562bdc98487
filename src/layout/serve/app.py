"""Proof stage for the live server: the local web page (stdlib http.server, 127.0.0.1 only).

`/` is the proof page; `/state?since=N` answers as soon as the proofs are newer than version N
(long poll) with the pages, their headlines and PNG addresses, and the content errors;
`/page/<n>.png` is a page proof, rendered when first asked for. The reading view asks for
`/page/<n>/zoom.json` (the page's layers at 200 dpi and where each goes), `/page/<n>/layer/<i>.png`
(one of them) and `/page/<n>/boxes.json` (its places with their issue.yaml lines, and the
findings on them); `/changes?since=P` lists what changed since proof P, old → new, each on its
place; `/issue.pdf` downloads the current PDF.

Only this machine's browser may read the proofs: a request whose Host is not
127.0.0.1:PORT, localhost:PORT or [::1]:PORT is answered 421 (a page on another site that
rebinds its DNS name to 127.0.0.1 cannot read them), and one sent by another origin 403. At most
`threads` requests are served at once (more are answered 503), and a connection that sends
nothing for `idle_timeout` seconds is closed.
"""
from __future__ import annotations

import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

from .proofs import ProofBook

HOST = "127.0.0.1"
LONG_POLL_SECONDS = 20.0
PNG_PATH = re.compile(r"^/page/(\d{1,6})\.png$")
PAGE_PATH = re.compile(r"^/page/(\d{1,6})/(zoom\.json|boxes\.json|layer/(\d{1,4})\.png)$")
SAME_SITE = ("same-origin", "none")       # Sec-Fetch-Site values of the proof page's own requests
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                               "frame-ancestors 'none'",
}
BUSY = b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n\r\n"


class BadRequest(Exception):
    """A request answered with `status` and a one-line reason."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


PAGE = (Path(__file__).with_name("desk.html")).read_bytes()    # the proof desk: pages, reading view, findings


class ProofServer(ThreadingMixIn, HTTPServer):
    """The proof page's server on 127.0.0.1:`port`; binds at once (OSError if the port is taken)."""

    daemon_threads = True

    def __init__(self, book: ProofBook | None, port: int = 0, *, threads: int = 16, idle_timeout: float = 10.0):
        super().__init__((HOST, port), ProofHandler)
        self.book = book
        self.idle_timeout = idle_timeout
        self.slots = threading.BoundedSemaphore(threads)
        port = self.server_address[1]
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def process_request(self, request, client_address) -> None:
        """Serve the request in a thread of its own, if fewer than `threads` are busy."""
        if not self.slots.acquire(blocking=False):
            try:
                request.settimeout(1.0)
                request.sendall(BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address) -> None:
        """One line, not a traceback (the handler answers 500 itself); a client that went away
        is not an error."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        print(f"serve: error answering {client_address[0]}: {sys.exc_info()[1]!r}", file=sys.stderr)


class ProofHandler(BaseHTTPRequestHandler):
    server: ProofServer

    def setup(self) -> None:
        self.timeout = self.server.idle_timeout      # StreamRequestHandler sets it on the socket
        super().setup()

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        try:
            self._check_origin()
            self._route(urlparse(self.path))
        except BadRequest as exc:
            self._send(exc.status, "text/plain; charset=utf-8", f"{exc}\n".encode())
        except ConnectionError:
            pass                        # the browser went away (a new version, a closed tab)
        except Exception:  # noqa: BLE001 - the server lives on; the reason goes to the log
            self.server.handle_error(self.request, self.client_address)
            self._send(500, "text/plain; charset=utf-8", b"internal error\n")

    def _check_origin(self) -> None:
        """421 unless addressed to this server by name; 403 if sent by another origin."""
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.hosts:
            raise BadRequest(421, f"misdirected request: Host must be one of {', '.join(sorted(self.server.hosts))}")
        origin = self.headers.get("Origin")
        if origin is not None and origin.strip().lower() != f"http://{host}":
            raise BadRequest(403, "cross-origin request refused")
        site = self.headers.get("Sec-Fetch-Site")
        if site is not None and site.strip().lower() not in SAME_SITE:
            raise BadRequest(403, "cross-origin request refused")

    def _route(self, url) -> None:
        match = PNG_PATH.match(url.path)
        if url.path == "/":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif (part := PAGE_PATH.match(url.path)) is not None:
            self._page_part(int(part.group(1)), part.group(2), part.group(3))
        elif url.path == "/issue.pdf":
            self._pdf()
        elif url.path == "/changes":
            self._changes(_since(url.query))
        elif url.path == "/state":
            self.server.book.wait(_since(url.query), LONG_POLL_SECONDS)
            body = json.dumps(self.server.book.state(), ensure_ascii=False).encode()
            self._send(200, "application/json; charset=utf-8", body)
        elif match and (png := self.server.book.png(int(match.group(1)))) is not None:
            self._send(200, "image/png", png)
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def _page_part(self, number: int, part: str, layer: str | None) -> None:
        """A page's zoomed layers (where each goes), one zoomed layer, or its places and markers."""
        book = self.server.book
        if layer is not None:
            found, kind = book.zoom_png(number, int(layer)), "image/png"
        else:
            data = book.zoom_view(number) if part == "zoom.json" else book.places(number)
            found, kind = data and json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8"
        if found is None:
            raise BadRequest(404, "not found")
        self._send(200, kind, found)

    def _changes(self, since: int) -> None:
        """What changed since proof `since` (404: no such proof kept)."""
        found = self.server.book.changes(since)
        if found is None:
            raise BadRequest(404, f"no proof {since}")
        self._send(200, "application/json; charset=utf-8", json.dumps(found, ensure_ascii=False).encode())

    def _pdf(self) -> None:
        """The current issue's PDF, to download."""
        found = self.server.book.pdf()
        if found is None:
            raise BadRequest(404, "no proofs yet")
        name, data = found
        disposition = f"attachment; filename=\"issue.pdf\"; filename*=UTF-8''{quote(name)}"   # any slug, in ASCII
        self._send(200, "application/pdf", data, {"Content-Disposition": disposition})

    def _send(self, status: int, kind: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:  # noqa: A002 - http.server's signature
        pass


def _since(query: str) -> int:
    """The `since` version of a /state request (-1 when absent); 400 unless a whole number."""
    values = parse_qs(query, keep_blank_values=True).get("since", ["-1"])
    try:
        return int(values[-1])
    except ValueError:
        raise BadRequest(400, f"since: not a whole number: {values[-1][:40]!r}") from None
