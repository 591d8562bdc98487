"""Proof stage for the live server: the warm state of one issue's page proofs.

`ProofBook.rebuild()` re-reads the issue folder, plans it, and re-renders only the layers
(`layers`) whose keys changed, in the warm workers; pages whose layers are all unchanged keep
their PNG. Content errors do not stop the server: they are published with the last good proofs.
Readers wait for a new version with `wait(since)`.
"""
from __future__ import annotations

import io
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LayoutError, Severity
from ..fonts import FONTS_DIR, resolve_fonts
from ..model import load_issue
from ..page import plan_issue
from ..pagerender import RenderPool
from ..pagerender.chunk import PageJob
from ..pagerender.compose import environment_for, issue_css, page_html, prepare_photos
from ..pagerender.keys import env_cache_dir, page_key
from ..pagerender.pool import chunks
from ..theme import load_theme
from .layers import LayerJob, LayerImage, composite, page_layers, render_layers, without_furniture

STORY_KEY = re.compile(r"pages\[(\d+)\]\.stories\[(\d+)\]$")


@dataclass
class PageProof:
    number: int
    png: bytes
    version: int
    keys: tuple[str, ...]
    headlines: list[str] = field(default_factory=list)


@dataclass
class Build:
    """What one rebuild did."""

    seconds: float = 0.0
    layers: int = 0
    rendered_layers: int = 0
    pages_changed: list[int] = field(default_factory=list)


class ProofBook:
    """Latest proofs of one issue folder, kept warm between edits."""

    def __init__(self, folder: Path, pool: RenderPool, *, dpi: int = 72, cache_dir: Path | None = None):
        self.folder, self.pool, self.scale = Path(folder), pool, dpi / 72
        self.cache_dir = Path(cache_dir or env_cache_dir())
        self.layers: dict[str, LayerImage] = {}
        self.pages: list[PageProof] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.version = 0
        self.build = Build()
        self.changed = threading.Condition()
        self._lock = threading.Lock()

    def rebuild(self) -> Build:
        """Bring the proofs up to date with the folder; never raises."""
        with self._lock:
            started = time.perf_counter()
            try:
                pages, findings = self._compose()
            except LayoutError as exc:
                self._publish(self.pages, [str(f) for f in exc.findings], [], Build())
                return self.build
            except Exception as exc:  # noqa: BLE001 - shown on the proof page, the server lives on
                self._publish(self.pages, [f"{exc.__class__.__name__}: {exc}"], [], Build())
                return self.build
            build = Build(layers=sum(len(jobs) for _, jobs, _ in pages))
            build.rendered_layers = self._render_missing([job for _, jobs, _ in pages for job in jobs])
            proofs = [self._proof(number, jobs, headlines, build) for number, jobs, headlines in pages]
            self.layers = {job.job.key: self.layers[job.job.key] for _, jobs, _ in pages for job in jobs}
            build.seconds = time.perf_counter() - started
            errors = [str(f) for f in findings if f.severity is Severity.ERROR]
            self._publish(proofs, errors, [str(f) for f in findings if f.severity is not Severity.ERROR], build)
            return build

    def _compose(self):
        """[(page number, layer jobs, headlines)] and the plan's findings."""
        from ..pipeline import _located
        issue = load_issue(self.folder)
        theme = load_theme(issue.theme)
        fonts = resolve_fonts(theme)
        plans = plan_issue(issue, theme, fonts)
        images, image_findings = prepare_photos(plans, self.cache_dir / "images", theme.print.image_ppi)
        findings = _located([f for plan in plans for f in plan.findings] + image_findings, issue)
        roots = [issue.folder, theme.folder, FONTS_DIR, self.cache_dir, *{f.path.parent for f in fonts.values()}]
        font_files = [f.path for f in fonts.values()]
        env = environment_for(theme)
        origin = (theme.grid.margin_side, theme.grid.margin_top)
        css = issue_css(env, _context(issue, theme, fonts, plans[0], images))
        pages = []
        for plan in plans:
            jobs = []
            for layer in page_layers(plan, origin):
                html = page_html(env, _context(issue, theme, fonts, layer.plan, images), css)
                html = html if layer.crop is None else without_furniture(html)
                options = {"layer": repr(layer.crop), "scale": self.scale}
                job = PageJob(page_key(html, fonts=font_files, options=options), plan.number, html,
                              f"{issue.slug}.html#page-{plan.number}/{layer.name}", theme.folder, roots)
                jobs.append(LayerJob(job, layer.crop, self.scale))
            pages.append((plan.number, jobs, _headlines(issue, plan)))
        return pages, findings

    def _render_missing(self, jobs: list[LayerJob]) -> int:
        missing = list({job.job.key: job for job in jobs if job.job.key not in self.layers}.values())
        for images in self.pool.map(render_layers, [(part,) for part in chunks(missing, self.pool.workers)]):
            self.layers.update((image.key, image) for image in images)
        return len(missing)

    def _proof(self, number: int, jobs: list[LayerJob], headlines: list[str], build: Build) -> PageProof:
        keys = tuple(job.job.key for job in jobs)
        old = next((p for p in self.pages if p.number == number and p.keys == keys), None)
        if old is not None:
            old.headlines = headlines
            return old
        out = io.BytesIO()
        composite([self.layers[key] for key in keys]).save(out, format="PNG", compress_level=0)
        build.pages_changed.append(number)
        return PageProof(number, out.getvalue(), self.version + 1, keys, headlines)

    def _publish(self, pages, errors, warnings, build: Build) -> None:
        with self.changed:
            self.pages, self.errors, self.warnings, self.build = pages, errors, warnings, build
            self.version += 1
            self.changed.notify_all()

    def wait(self, since: int, timeout: float) -> int:
        """Block until the version is newer than `since` (or the timeout); return the version."""
        with self.changed:
            self.changed.wait_for(lambda: self.version > since, timeout=timeout)
            return self.version

    def state(self) -> dict:
        """What the proof page shows, as JSON-ready data."""
        with self.changed:
            return {"version": self.version, "errors": self.errors, "warnings": self.warnings,
                    "pages": [{"number": p.number, "version": p.version, "headlines": p.headlines,
                               "png": f"/page/{p.number}.png?v={p.version}"} for p in self.pages],
                    "build": {"seconds": round(self.build.seconds, 3), "layers": self.build.layers,
                              "rendered_layers": self.build.rendered_layers,
                              "pages_changed": self.build.pages_changed}}

    def png(self, number: int) -> bytes | None:
        with self.changed:
            return next((p.png for p in self.pages if p.number == number), None)


def _context(issue, theme, fonts, plan, images) -> dict:
    from ..context import compose_context
    return compose_context(issue, theme, fonts, [plan], images)


def _headlines(issue, plan) -> list[str]:
    out = []
    for module in plan.modules:
        match = STORY_KEY.match(module.key)
        if match:
            page, story = (int(g) for g in match.groups())
            out.append(str(issue.pages[page].stories[story].headline))
    return out
