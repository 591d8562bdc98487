"""Proof stage for the live server: the warm state of one issue's page proofs.

`ProofBook.rebuild()` re-reads the issue folder and plans it; each page is known by the keys of
its layers (`layers`), and a page whose keys changed gets a new version. Proofs are rendered on
demand: a page's PNG when it is asked for (`png`), from its layers, rendering in the warm workers
only the layers not already cached. Layers and PNGs are kept in bounded caches, so memory depends
on the budgets, not on the number of pages. A rebuild renders at once the first pages of a new
issue and the changed pages that were looked at (their PNG is cached). Content errors do not
stop the server: they are published with the last good proofs. Readers wait for a new version
with `wait(since)`.
"""
from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LayoutError, Severity
from ..fonts import FONTS_DIR, resolve_fonts
from ..model import ISSUE_FILE, _label, load_issue
from ..source import load_source
from ..page import PagePlan, plan_issue
from ..pagerender import RenderPool
from ..pagerender.chunk import PageJob
from ..pagerender.compose import environment_for, issue_css, page_html, prepare_photos
from ..pagerender.keys import env_cache_dir, page_key
from ..pagerender.pool import chunks
from ..theme import load_theme
from .cache import BoundedCache
from .desk import ProofDesk
from .files import read_folders, refused_files
from .layers import LayerJob, composite, page_layers, png_bytes, render_layers, without_furniture
from .memory import give_back_memory

STORY_KEY = re.compile(r"pages\[(\d+)\]\.stories\[(\d+)\]$")
MB = 1 << 20
EAGER_PAGES = 2          # pages rendered by a rebuild, before its version is published
MAX_LAYERS_A_TASK = 40   # a worker's memory grows with the layers it lays out at once


@dataclass
class PageProof:
    number: int
    version: int
    keys: tuple[str, ...]
    headlines: list[str] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)       # the PNG's width and height in px


@dataclass
class Build:
    """What one rebuild did."""

    seconds: float = 0.0
    layers: int = 0
    rendered_layers: int = 0
    pages_changed: list[int] = field(default_factory=list)


@dataclass
class Composition:
    """One reading of the issue: everything a page's layer jobs are made from."""

    issue: object
    theme: object
    fonts: dict
    plans: dict[int, PagePlan]
    images: dict[str, str]
    css: str
    roots: list[Path]
    source: object = None                 # the issue file's values and line table
    findings: list = field(default_factory=list)     # what `layout check` finds, in file order


class ProofBook(ProofDesk):
    """Latest proofs of one issue folder, kept warm between edits."""

    def __init__(self, folder: Path, pool: RenderPool, *, dpi: int = 72, cache_dir: Path | None = None,
                 layer_cache_mb: int = 96, png_cache_mb: int = 48, zoom_dpi: int = 200, zoom_cache_mb: int = 96):
        self.folder, self.pool, self.scale = Path(folder), pool, dpi / 72
        self.cache_dir = Path(cache_dir or env_cache_dir())
        self.layers = BoundedCache(layer_cache_mb * MB)      # layer key -> LayerImage
        self.pngs = BoundedCache(png_cache_mb * MB)          # a page's layer keys -> PNG bytes
        self.pages: list[PageProof] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.version = 0
        self.build = Build()
        self.changed = threading.Condition()
        self._composition: Composition | None = None
        self._lock = threading.Lock()
        self._rendering = threading.BoundedSemaphore(pool.workers)    # pages rendered at once
        self._compositing = threading.Lock()
        self._page_locks = [threading.Lock() for _ in range(16)]     # one render per page at a time
        self._desk_init(zoom_dpi, zoom_cache_mb)

    def rebuild(self) -> Build:
        """Bring the proofs up to date with the folder; never raises, never blocks on a file."""
        with self._lock:
            started = time.perf_counter()
            refused = refused_files(read_folders(self.folder))
            if refused:
                return self._fail([str(f) for f in refused])
            try:
                composition, findings = self._compose()
                pages = [self._page(composition, plan) for plan in composition.plans.values()]
            except LayoutError as exc:
                return self._fail([str(f) for f in exc.findings])
            except Exception as exc:  # noqa: BLE001 - shown on the proof page, the server lives on
                return self._fail([f"{exc.__class__.__name__}: {exc}"])
            build = Build(layers=sum(len(page.keys) for page in pages))
            pages = self._versions(pages, build)
            build.rendered_layers = self._render(composition, self._eager(pages, build))[1]
            build.rendered_layers += self._eager_zoom(composition, build.pages_changed)
            build.seconds = time.perf_counter() - started
            errors = [str(f) for f in findings if f.severity is Severity.ERROR]
            self._new_proof(composition, build)
            self._publish(pages, errors, [str(f) for f in findings if f.severity is not Severity.ERROR],
                          build, composition)
            give_back_memory()
            return build

    def _fail(self, errors: list[str]) -> Build:
        self._publish(self.pages, errors, [], Build(), self._composition)
        return self.build

    def _compose(self) -> tuple[Composition, list]:
        """The issue read and planned, and what `layout check` finds in it (the plan's findings, the
        photos', text slips, glyphs no font has)."""
        from ..pipeline import _located, with_preflight
        issue = load_issue(self.folder)
        theme = load_theme(issue.theme)
        fonts = resolve_fonts(theme)
        plans = plan_issue(issue, theme, fonts)
        images, image_findings = prepare_photos(plans, self.cache_dir / "images", theme.print.image_ppi)
        findings = with_preflight(_located([f for plan in plans for f in plan.findings] + image_findings, issue),
                                  issue, plans)
        source = load_source(issue.folder / ISSUE_FILE, label=_label(issue.folder / ISSUE_FILE))
        roots = [issue.folder, theme.folder, FONTS_DIR, self.cache_dir, *{f.path.parent for f in fonts.values()}]
        css = issue_css(environment_for(theme), _context(issue, theme, fonts, plans[0], images))
        return Composition(issue, theme, fonts, {plan.number: plan for plan in plans}, images, css, roots,
                           source, findings), findings

    def _layer_jobs(self, composition: Composition, plan: PagePlan) -> list[LayerJob]:
        """The page's layers as render jobs, keyed like pages (made again when rendered, so the
        HTML of every page is not kept)."""
        c = composition
        env, font_files = environment_for(c.theme), [f.path for f in c.fonts.values()]
        jobs = []
        for layer in page_layers(plan, (c.theme.grid.margin_side, c.theme.grid.margin_top)):
            html = page_html(env, _context(c.issue, c.theme, c.fonts, layer.plan, c.images), c.css)
            html = html if layer.crop is None else without_furniture(html)
            options = {"layer": repr(layer.crop), "scale": self.scale}
            job = PageJob(page_key(html, fonts=font_files, options=options), plan.number, html,
                          f"{c.issue.slug}.html#page-{plan.number}/{layer.name}", c.theme.folder, c.roots)
            jobs.append(LayerJob(job, layer.crop, self.scale))
        return jobs

    def _page(self, composition: Composition, plan: PagePlan) -> PageProof:
        keys = tuple(job.job.key for job in self._layer_jobs(composition, plan))
        grid = composition.theme.grid
        size = (math.ceil(grid.page_width * self.scale), math.ceil(grid.page_height * self.scale))
        return PageProof(plan.number, 0, keys, _headlines(composition.issue, plan), size)

    def _versions(self, pages: list[PageProof], build: Build) -> list[PageProof]:
        """Unchanged pages keep their version; changed ones get the next."""
        old = {page.number: page for page in self.pages}
        for page in pages:
            before = old.get(page.number)
            if before is not None and before.keys == page.keys:
                page.version = before.version
            else:
                page.version = self.version + 1
                build.pages_changed.append(page.number)
        return pages

    def _eager(self, pages: list[PageProof], build: Build) -> list[PageProof]:
        """Pages to render now: the first of a new issue, or the first changed pages that were
        looked at (the browser asks for the others when they come into view), except the page
        last opened in the reading view (its zoomed layers are rendered instead)."""
        if not self.pages:
            return pages[:EAGER_PAGES]
        old = {page.number: page for page in self.pages}
        return [page for page in pages if page.number in build.pages_changed and page.number not in self.zoomed[-1:]
                and page.number in old and old[page.number].keys in self.pngs][:EAGER_PAGES]

    def png(self, number: int) -> bytes | None:
        """Page `number`'s proof as PNG, rendered now if it is not cached; None: no such page."""
        with self.changed:
            page = next((p for p in self.pages if p.number == number), None)
            composition = self._composition
        if page is None or composition is None:
            return None
        cached = self.pngs.get(page.keys)
        if cached is not None:
            return cached
        with self._page_locks[hash(page.keys) % len(self._page_locks)]:
            return self.pngs.get(page.keys) or self._render(composition, [page])[0][0]

    def _render(self, composition: Composition, pages: list[PageProof]) -> tuple[list[bytes], int]:
        """Render the pages' missing layers in the workers, composite each page and cache its PNG;
        return the PNGs and how many layers were rendered."""
        with self._rendering:
            jobs = {page.number: self._layer_jobs(composition, composition.plans[page.number]) for page in pages}
            have, missing = self._render_missing([job for run in jobs.values() for job in run], self.layers)
            pngs = [self._composite(page, [have[job.job.key] for job in jobs[page.number]]) for page in pages]
            del have
            give_back_memory()
        return pngs, missing

    def _render_missing(self, jobs: list[LayerJob], cache: BoundedCache) -> tuple[dict, int]:
        """The jobs' layer images by key, the missing ones rendered in the workers and cached;
        and how many were rendered."""
        have = {job.job.key: cache.get(job.job.key) for job in jobs}
        missing = list({job.job.key: job for job in jobs if have[job.job.key] is None}.values())
        parts = max(self.pool.workers, math.ceil(len(missing) / MAX_LAYERS_A_TASK))
        for images in self._in_workers([part for part in chunks(missing, parts)]):
            for image in images:
                have[image.key] = image
                cache.put(image.key, image, len(image.pixels))
        return have, len(missing)

    def _in_workers(self, parts: list[list[LayerJob]]) -> list:
        """render_layers of each part, in the workers: never in this process's threads at once
        (`pool.map` runs a single item here)."""
        if self.pool.inline:
            return [render_layers(part) for part in parts]
        return [future.result() for future in [self.pool.submit(render_layers, part) for part in parts]]

    def _composite(self, page: PageProof, layers: list) -> bytes:
        with self._compositing:      # one page at a time: at 300 dpi a page is 120 MB of RGBA
            png = png_bytes(composite(layers))
        self.pngs.put(page.keys, png, len(png))
        return png

    def _publish(self, pages, errors, warnings, build: Build, composition) -> None:
        with self.changed:
            self.pages, self.errors, self.warnings, self.build = pages, errors, warnings, build
            self._composition = composition
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
            findings = self._composition.findings if self._composition else []     # of the proofs shown
            return {"version": self.version, "errors": self.errors, "warnings": self.warnings,
                    "findings": [{**f.as_dict(), "text": str(f)} for f in findings],
                    "proofs": self.rounds.listing(),
                    "pages": [{"number": p.number, "version": p.version, "headlines": p.headlines,
                               "png": f"/page/{p.number}.png?v={p.version}", "size": list(p.size)}
                              for p in self.pages],
                    "build": {"seconds": round(self.build.seconds, 3), "layers": self.build.layers,
                              "rendered_layers": self.build.rendered_layers,
                              "pages_changed": self.build.pages_changed}}


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
