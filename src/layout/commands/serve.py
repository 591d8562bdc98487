"""`layout serve ISSUE_DIR [--port N] [--dpi N] [-j N]`: live page proofs in the browser."""
from __future__ import annotations

import errno
import os
import signal
import threading
from pathlib import Path

import click

from . import ISSUE_DIR


@click.command("serve")
@click.argument("issue_dir", type=ISSUE_DIR)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--dpi", type=click.IntRange(20, 300), default=72, show_default=True, help="Proof resolution.")
@click.option("--zoom-dpi", type=click.IntRange(72, 300), default=200, show_default=True,
              help="Resolution of the reading view's zoomed page.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default="cores",
              help="Warm worker processes.")
@click.pass_context
def command(ctx: click.Context, issue_dir: Path, port: int, dpi: int, zoom_dpi: int, jobs: int) -> None:
    """Serve ISSUE_DIR's page proofs on http://127.0.0.1:PORT/, updated on every save.

    Content errors are shown on the page, and check's findings as markers where they are; only the
    changed parts of a page are rendered again. Pages are rendered when the browser asks for them.
    Click a page to read it (zoom up to --zoom-dpi; keys: arrows or PageUp/PageDown, + and -, Esc)
    and a story, photo or headline for its issue.yaml line."""
    from ..pagerender import RenderPool
    from ..serve import ProofBook, watch
    server = _listen(ctx, port)          # a taken port is refused before anything is rendered
    signal.signal(signal.SIGTERM, _stop)      # end cleanly (and the workers with us) on SIGTERM
    with RenderPool(jobs) as pool:
        pool.start()                    # fork the workers before any thread starts
        book = server.book = ProofBook(issue_dir, pool, dpi=dpi, zoom_dpi=zoom_dpi)
        _echo(book, book.rebuild())
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stop = threading.Event()
        ready = lambda: click.echo(f"serving proofs of {issue_dir} on {server.url} (Ctrl-C to stop)",  # noqa: E731
                                   err=True)
        try:
            watch(book, stop, on_build=_echo, on_ready=ready)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.shutdown()
            server.server_close()


def _listen(ctx: click.Context, port: int):
    """The server, bound to 127.0.0.1:`port`; a one-line error and exit 2 if it cannot be."""
    from ..serve import ProofServer
    from ..serve.app import HOST
    try:
        return ProofServer(None, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            reason = "is in use; choose another with --port (0 picks a free one)"
        else:
            reason = f"cannot be listened on: {exc.strerror or exc}"
        click.echo(f"error: port {port} on {HOST} {reason}", err=True)
        ctx.exit(2)


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def _echo(book, build) -> None:
    for line in book.errors:
        click.echo(line, err=True)
    if not book.errors:
        pages = ", ".join(str(n) for n in build.pages_changed) or "none"
        click.echo(f"proofs v{book.version}: {build.rendered_layers}/{build.layers} layers rendered, "
                   f"pages changed: {pages} ({build.seconds:.2f} s)", err=True)
