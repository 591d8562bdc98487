"""The restricted fetcher, through the real renderers: HTML whose <img>, CSS url() and @font-face
point outside the allowed folders is refused, and the file is never opened.

Each forbidden file is a FIFO: a reader that opens it waits for a writer, so a thread of the test
holds the other end and records whether anyone opened it (and then lets the reader go, so that a
broken fetcher fails the test instead of hanging it)."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PIL import Image

from layout.pagerender.chunk import PageJob, layout_page
from layout.render import render_document

PNG_BYTES = b"\x89PNG\r\n\x1a\n"


class Tripwire:
    """A FIFO at `path` that notices whether it was opened for reading."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)
        self.path, self.opened = path, False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        with open(self.path, "wb") as end:    # returns once a reader has opened the FIFO
            self.opened = True                # before any byte: a reader sees EOF only after this
            end.write(PNG_BYTES)

    def close(self) -> bool:
        """Release the writer if nobody opened the FIFO; return whether somebody had."""
        opened = self.opened
        if not opened:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
            self.thread.join(5)
            os.close(fd)
        self.thread.join(5)
        return opened


@pytest.fixture
def folders(tmp_path):
    """/…/issue (allowed) next to /…/issue-secret and /…/outside, whose files are tripwires;
    issue/link.png is a symbolic link to a secret file."""
    issue = tmp_path / "issue"
    issue.mkdir()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(issue / "allowed.png")
    wires = {name: Tripwire(tmp_path / name) for name in
             ("issue-secret/photo.png", "issue-secret/paper.png", "issue-secret/font.ttf",
              "outside/photo.png", "outside/linked.png")}
    (issue / "link.png").symlink_to(tmp_path / "outside" / "linked.png")
    yield issue, wires
    for wire in wires.values():
        wire.close()


def page_html(issue: Path) -> str:
    secret = issue.parent / "issue-secret"
    return f"""<!doctype html><html><head><style>
      @font-face {{ font-family: Secret; src: url({(secret / 'font.ttf').as_uri()}); }}
      body {{ font-family: Secret, serif; }}
      div.paper {{ width: 20px; height: 20px; background: url({(secret / 'paper.png').as_uri()}); }}
    </style></head><body>
      <img src="allowed.png" alt="">
      <img src="../issue-secret/photo.png" alt="">
      <img src="{(issue.parent / 'outside' / 'photo.png').as_uri()}" alt="">
      <img src="link.png" alt="">
      <img src="http://127.0.0.1:9/tracker.png" alt="">
      <div class="paper"></div>
    </body></html>"""


REFUSED = ["issue-secret/font.ttf", "issue-secret/paper.png", "issue-secret/photo.png",
           "outside/photo.png", "issue/link.png", "http://127.0.0.1:9/tracker.png"]


def expected_messages(issue: Path) -> list[str]:
    """Our refusals, and WeasyPrint's own word on each missing image and the missing font."""
    urls = [name if name.startswith("http") else (issue.parent / name).as_uri() for name in REFUSED]
    ours = [f"refused to load '{url}': rendering reads only the issue folder, the templates and the fonts"
            for url in urls]
    weasyprint = [f"WeasyPrint: Failed to load image at '{url}': ValueError: refused '{url}': outside the "
                  "issue folder, templates and fonts" for url in urls if not url.endswith(".ttf")]
    return sorted(ours + weasyprint + ["WeasyPrint: Font-face 'Secret' cannot be loaded"])


def assert_refused_and_unread(findings, issue: Path, wires: dict[str, Tripwire]) -> None:
    opened = sorted(name for name, wire in wires.items() if wire.close())
    assert opened == [], f"the renderer opened files outside the allowed folders: {opened}"
    assert sorted(f.message for f in findings) == expected_messages(issue)


def test_the_page_renderer_refuses_files_outside_the_issue(folders):
    """pagerender.chunk.layout_page: the renderer of `layout render`, `batch` and `serve`."""
    from weasyprint.text.fonts import FontConfiguration
    issue, wires = folders
    job = PageJob("key", 1, page_html(issue), "x.html#page-1", issue, [issue])
    document, findings = layout_page(job, FontConfiguration())
    assert len(document.pages) == 1
    assert_refused_and_unread(findings, issue, wires)
    images = [box for box in _boxes(document.pages[0]._page_box) if type(box).__name__ == "InlineReplacedBox"]
    assert len(images) == 1               # only allowed.png became an image


def test_the_whole_document_renderer_refuses_files_outside_the_issue(folders):
    """render.render_document: the renderer of `render --print` and `check`."""
    issue, wires = folders
    document, findings = render_document(page_html(issue), base_url=issue, roots=[issue], label="x.html")
    assert len(document.pages) == 1
    assert_refused_and_unread(findings, issue, wires)


def test_the_issue_folder_itself_is_read(folders):
    """The control: the same renderer does read an allowed file (so the tripwires can trip)."""
    from weasyprint.text.fonts import FontConfiguration
    issue, wires = folders
    html = f'<img src="{(issue.parent / "outside" / "photo.png").as_uri()}">'
    job = PageJob("key", 1, html, "x.html#page-1", issue, [issue, issue.parent / "outside"])
    _document, findings = layout_page(job, FontConfiguration())
    assert wires["outside/photo.png"].close() is True
    assert not [f for f in findings if f.message.startswith("refused")]


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def test_behind_its_folder_check_the_fetcher_allows_only_file_urls_and_no_redirect(tmp_path):
    """Defence in depth: were the folder check in `fetch` ever bypassed, WeasyPrint's own
    fetcher, as configured, still refuses any protocol but `file:` (before opening a
    connection: 127.0.0.1:9 is never tried) and follows no HTTP redirect."""
    from urllib.request import HTTPRedirectHandler

    from weasyprint.urls import URLFetcher

    from layout.render import restricted_fetcher
    fetcher = restricted_fetcher([tmp_path])
    for url in ("http://127.0.0.1:9/x.png", "ftp://127.0.0.1:9/x.png", "data:image/png;base64,AA=="):
        with pytest.raises(ValueError, match="disallowed protocol"):
            URLFetcher.fetch(fetcher, url)
    assert not [h for h in fetcher.handlers if isinstance(h, HTTPRedirectHandler)]
    (tmp_path / "a.txt").write_text("ok", encoding="utf-8")
    fetched = URLFetcher.fetch(fetcher, (tmp_path / "a.txt").as_uri())
    try:
        assert fetched.read() == b"ok"
    finally:
        fetched.close()
