"""Proof stage for the live server: the local web page (stdlib http.server, 127.0.0.1 only).

`/` is the proof page; `/state?since=N` answers as soon as the proofs are newer than version N
(long poll) with the pages, their headlines and PNG addresses, and the content errors;
`/page/<n>.png` is a page proof.
"""
from __future__ import annotations

import json
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from .proofs import ProofBook

HOST = "127.0.0.1"
LONG_POLL_SECONDS = 20.0
PNG_PATH = re.compile(r"^/page/(\d+)\.png$")

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>proofs</title>
<style>
body { font-family: "Noto Sans CJK SC", sans-serif; margin: 1em; background: #eee; }
#errors { color: #a00; white-space: pre-wrap; font-family: monospace; }
#errors:empty { display: none; }
#errors { background: #fee; border: 1px solid #a00; padding: .5em; margin-bottom: 1em; }
.page { display: inline-block; vertical-align: top; margin: 0 1em 1em 0; }
.page img { width: 520px; box-shadow: 0 1px 4px #888; background: white; display: block; }
.status { color: #555; font-size: 12px; }
</style></head>
<body data-version="0">
<div class="status" id="status">loading…</div>
<div id="errors"></div>
<div id="pages"></div>
<script>
let version = 0;
function show(state) {
  document.getElementById("errors").textContent = state.errors.join("\\n");
  document.getElementById("status").textContent =
    `version ${state.version}: ${state.build.rendered_layers} of ${state.build.layers} layers rendered in ${state.build.seconds} s`;
  const pages = document.getElementById("pages");
  for (const page of state.pages) {
    let box = document.getElementById(`page-${page.number}`);
    if (!box) {
      box = document.createElement("div"); box.className = "page"; box.id = `page-${page.number}`;
      box.innerHTML = `<div class="folio">第${page.number}版</div><img alt="page ${page.number}"><ul class="headlines"></ul>`;
      pages.appendChild(box);
    }
    const img = box.querySelector("img");
    if (img.dataset.version !== String(page.version)) { img.src = page.png; img.dataset.version = page.version; }
    box.querySelector(".headlines").innerHTML = "";
    for (const text of page.headlines) {
      const li = document.createElement("li"); li.className = "headline"; li.textContent = text;
      box.querySelector(".headlines").appendChild(li);
    }
  }
  document.body.dataset.version = state.version;
}
async function poll() {
  for (;;) {
    try {
      const response = await fetch(`/state?since=${version}`);
      const state = await response.json();
      version = state.version; show(state);
    } catch (e) { await new Promise(r => setTimeout(r, 500)); }
  }
}
poll();
</script></body></html>
"""


class ProofServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, book: ProofBook, port: int = 0):
        super().__init__((HOST, port), ProofHandler)
        self.book = book

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


class ProofHandler(BaseHTTPRequestHandler):
    server: ProofServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlparse(self.path)
        match = PNG_PATH.match(url.path)
        if url.path == "/":
            self._send(200, "text/html; charset=utf-8", PAGE.encode())
        elif url.path == "/state":
            since = int(parse_qs(url.query).get("since", ["-1"])[0] or -1)
            self.server.book.wait(since, LONG_POLL_SECONDS)
            body = json.dumps(self.server.book.state(), ensure_ascii=False).encode()
            self._send(200, "application/json; charset=utf-8", body)
        elif match and (png := self.server.book.png(int(match.group(1)))) is not None:
            self._send(200, "image/png", png)
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found")

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:  # noqa: A002 - http.server's signature
        pass
