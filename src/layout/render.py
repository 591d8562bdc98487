"""Stage 6: WeasyPrint document from the HTML, and the PDF written atomically.

Rendering reads only the issue folder, the theme's templates and the fonts (a restricted
url_fetcher refuses everything else, the network included). WeasyPrint's warnings are collected
as findings; a failed render leaves no PDF behind.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import Finding, LayoutError, Severity
from .overflow import banner_findings

LOGGER_NAMES = ("weasyprint", "weasyprint.progress")


def restricted_fetcher(roots: list[Path]):
    """A WeasyPrint URL fetcher that serves `file:` URLs under the allowed folders only."""
    from weasyprint.urls import URLFetcher

    class RestrictedFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)
            self.roots = [Path(r).resolve() for r in roots]
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
            if path is None or not any(path.is_relative_to(root) for root in self.roots):
                self.refused.append(url)
                raise ValueError(f"refused '{url}': outside the issue folder, templates and fonts")
            return super().fetch(url, headers)

    return RestrictedFetcher()


class WeasyLog(logging.Handler):
    """Collects WeasyPrint's warnings and errors while a document is laid out."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def findings(self, file: str) -> list[Finding]:
        """Warnings, except a .notdef glyph drawn: an error (a character would print as a box;
        preflight's glyph check refuses such characters first, this is the backstop)."""
        return [Finding(f"WeasyPrint: {r.getMessage()}", file=file,
                        severity=Severity.ERROR if r.getMessage().startswith(".notdef") else Severity.WARNING,
                        kind="render") for r in self.records]


@contextlib.contextmanager
def captured_weasyprint_log():
    handler = WeasyLog()
    loggers = [logging.getLogger(name) for name in LOGGER_NAMES]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def render_document(html: str, *, base_url: Path, roots: list[Path], label: str):
    """Lay out `html` with WeasyPrint; return (document, findings)."""
    import weasyprint
    fetcher = restricted_fetcher(roots)
    with captured_weasyprint_log() as log:
        document = weasyprint.HTML(string=html, base_url=base_url.as_uri() + "/",
                                   url_fetcher=fetcher).render()
    findings = log.findings(label) + banner_findings(document)
    findings += [Finding(f"refused to load '{url}': rendering reads only the issue folder, "
                         "the templates and the fonts", file=label, kind="render") for url in fetcher.refused]
    return document, findings


def write_atomically(path: Path, write) -> None:
    """Call `write(tmp_path)`, then rename onto `path`: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_quietly(path: Path, text: str) -> None:
    """Write a file that only saves work (a memory in the cache: digests, inspections, issues)
    atomically, or not at all: a cache that cannot be written costs the work again, never the run."""
    try:
        write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OSError:
        pass


def write_pdf(document, path: Path, *, finish=None, **options) -> list[Finding]:
    """Write the PDF atomically; return WeasyPrint's warnings while writing (font subsetting).

    `finish(tmp_path)` post-processes the written file. Both happen in a private temporary
    folder, not in OUT; the finished PDF is then put in place by `pagerender.output.write_file`,
    so that killing the render at any point leaves OUT as it was."""
    from .pagerender.output import write_file

    def write(stream) -> None:
        with tempfile.TemporaryDirectory(prefix="layout-pdf-") as folder:
            tmp = Path(folder) / Path(path).name
            document.write_pdf(tmp, **options)
            if finish is not None:
                finish(tmp)
            with open(tmp, "rb") as made:
                shutil.copyfileobj(made, stream)

    try:
        with captured_weasyprint_log() as log:
            write_file(path, write)
    except (OSError, ValueError, TypeError) as exc:
        raise LayoutError(Finding(f"cannot write the PDF: {exc}", file=str(path), kind="render")) from None
    return log.findings(str(path))
