"""Proof stage for the live server: the proof desk's reading view of a page.

- Zoom: a page at `zoom_dpi` (200) is sent as its layers, each a PNG at its place, stacked by the
  browser; after an edit only the changed layers are rendered and fetched again (a whole page
  at 200 dpi is 3071 × 4331 px: compositing and encoding it would take longer than the 0.5 s an
  edit may take). Layers are keyed like the proof's (their key plus the resolution).
- Places: each page's banner, photos, stories, headlines and figures in page coordinates with
  their key path and issue.yaml line, and check's findings on them (`layout.places`).
- Proof rounds: every save that changes a page is a numbered proof; what changed since an
  earlier one, old → new, on its place (`versions`).
- The proofs shown as one PDF, through the page cache (as `layout render` writes it).
"""
from __future__ import annotations

import dataclasses
import io
import threading

from ..errors import Severity
from ..model import ISSUE_FILE
from ..pagerender.cache import PageCache
from ..pagerender.chunk import PageJob
from ..pagerender.combine import combine_pages
from ..pagerender.compose import page_htmls
from ..pagerender.issue import render_pages
from ..pagerender.keys import page_key
from ..places import markers, page_places, place_of
from .cache import BoundedCache
from .layers import LayerJob
from .memory import give_back_memory
from ..setlines import Marks, compare, fingerprint, plan_lines
from .versions import ProofRounds, issue_texts, rounds_folder

ZOOMED_PAGES_KEPT = 2      # pages whose zoomed layers a rebuild renders at once when they change


class ProofDesk:
    """What ProofBook adds for reading a page: zoomed layers, places, the PDF."""

    def _desk_init(self, zoom_dpi: int, zoom_cache_mb: int) -> None:
        self.zoom_dpi = zoom_dpi
        self.zooms = BoundedCache(zoom_cache_mb << 20)       # zoom layer key -> LayerImage (PNG)
        self.zoomed: list[int] = []                           # pages opened in the reading view, latest last
        self._pdf: tuple[int, bytes] | None = None
        self._pdf_lock = threading.Lock()
        self.rounds = ProofRounds(rounds_folder(self.cache_dir, self.folder))

    def _new_proof(self, composition, build) -> None:
        """A rebuild that changed pages is the next numbered proof (published as the next version);
        the first of a session only if the texts differ from the last proof kept."""
        if not build.pages_changed:
            return
        texts = issue_texts(composition.issue)
        lines = fingerprint(self._set_lines(composition))
        if self.version == 0 and self.rounds.proofs and self.rounds.proofs[-1].texts == texts:
            if self.rounds.proofs[-1].lines == lines:
                return
        self.rounds.add(self.version + 1, texts, lines)

    def _set_lines(self, composition) -> list:
        return plan_lines(composition.plans.values(), composition.theme.grid, composition.issue.folder)

    def changes(self, since: int) -> list[dict] | None:
        """What changed since proof `since`, old → new, each with the page and place it is on, and
        the lines of the place that changed (`lines`, `cuts`: where lines were taken out; the
        place's rectangle is then that of its first changed lines)."""
        with self.changed:
            composition = self._composition
        old = self.rounds.get(since)
        if composition is None or old is None:
            return None
        grid = composition.theme.grid
        pages = [(n, page_places(plan, (grid.margin_side, grid.margin_top))) for n, plan in composition.plans.items()]
        marks = compare(old.lines, self._set_lines(composition)) if old.lines else None
        out = []
        for item in self.rounds.changes(since):
            found = next(((n, place, places) for n, places in pages if (place := place_of(item["key"], places))),
                         (None, None, []))
            where = {"page": found[0], "place": found[1]["key"], **{k: found[1][k] for k in "xywh"}} if found[1] else {}
            if found[1] and marks is not None:
                where.update(_marked_lines(marks, found[0], [p for p in found[2] if p["key"] == found[1]["key"]]))
            out.append({**item, **where})
        return out

    def _zoom_jobs(self, composition, plan) -> list[LayerJob]:
        scale = self.zoom_dpi / 72
        return [LayerJob(dataclasses.replace(job.job, key=f"{job.job.key}@{self.zoom_dpi}dpi"), job.crop, scale,
                         png=True) for job in self._layer_jobs(composition, plan)]

    def _render_zoom(self, composition, numbers: list[int]) -> int:
        """Render the missing zoomed layers of pages `numbers`; how many were rendered."""
        plans = [composition.plans[n] for n in numbers if n in composition.plans]
        jobs = [job for plan in plans for job in self._zoom_jobs(composition, plan)]
        if not jobs:
            return 0
        with self._rendering:
            rendered = self._render_missing(jobs, self.zooms)[1]
        give_back_memory()
        return rendered

    def _eager_zoom(self, composition, changed: list[int]) -> int:
        """After an edit: the zoomed layers of the changed pages that are open in the reading view."""
        return self._render_zoom(composition, [n for n in changed if n in self.zoomed])

    def zoom_view(self, number: int) -> dict | None:
        """Page `number`'s zoomed layers (rendered now if missing): where each goes, in px."""
        with self.changed:
            composition, version = self._composition, self.version
        if composition is None or number not in composition.plans:
            return None
        self.zoomed = [n for n in self.zoomed if n != number][-(ZOOMED_PAGES_KEPT - 1):] + [number]
        with self._page_locks[number % len(self._page_locks)]:
            self._render_zoom(composition, [number])
        grid, scale = composition.theme.grid, self.zoom_dpi / 72
        layers = []
        for index, job in enumerate(self._zoom_jobs(composition, composition.plans[number])):
            image = self.zooms.get(job.job.key)
            if image is not None:
                layers.append({"index": index, "key": job.job.key[:16], "left": image.left, "top": image.top,
                               "width": image.size[0], "height": image.size[1]})
        return {"number": number, "version": version, "dpi": self.zoom_dpi,
                "size": [round(grid.page_width * scale), round(grid.page_height * scale)], "layers": layers}

    def zoom_png(self, number: int, index: int) -> bytes | None:
        """Zoomed layer `index` of page `number` as PNG (rendered with its page if missing)."""
        composition = self._composition
        if composition is None or number not in composition.plans:
            return None
        jobs = self._zoom_jobs(composition, composition.plans[number])
        if index >= len(jobs):
            return None
        image = self.zooms.get(jobs[index].job.key)
        if image is None:
            self._render_zoom(composition, [number])
            image = self.zooms.get(jobs[index].job.key)
        return image.pixels if image is not None else None

    def places(self, number: int) -> dict | None:
        """Page `number`'s places (pt from the page's corner) with their issue.yaml lines, and
        the findings drawn on them."""
        with self.changed:
            composition = self._composition
        if composition is None or number not in composition.plans:
            return None
        grid = composition.theme.grid
        found = page_places(composition.plans[number], (grid.margin_side, grid.margin_top), composition.source)
        return {"number": number, "width": round(grid.page_width, 2), "height": round(grid.page_height, 2),
                "file": str(composition.issue.folder / ISSUE_FILE), "places": found,
                "markers": markers(composition.findings, found, composition.source)}

    def pdf(self) -> tuple[str, bytes] | None:
        """The proofs shown, as one PDF (pages through the page cache), and its file name:
        `<slug>.pdf`, or `<slug>-with-errors.pdf` while errors remain (`layout render` writes none
        then; the proof desk still shows and hands out the pages as they are)."""
        with self.changed:
            composition, version = self._composition, self.version
        if composition is None:
            return None
        errors = any(f.severity is Severity.ERROR for f in composition.findings)
        name = f"{composition.issue.slug}{'-with-errors' if errors else ''}.pdf"
        with self._pdf_lock:
            if self._pdf is None or self._pdf[0] != version:
                self._pdf = (version, self._write_pdf(composition))
            return name, self._pdf[1]

    def _write_pdf(self, c) -> bytes:
        plans = list(c.plans.values())
        font_files = [f.path for f in c.fonts.values()]
        jobs = [PageJob(page_key(html, fonts=font_files), plan.number, html,
                        f"{c.issue.slug}.html#page-{plan.number}", c.theme.folder, c.roots)
                for plan, html in zip(plans, page_htmls(c.issue, c.theme, c.fonts, plans, c.images))]
        with self._rendering:
            entries = render_pages(jobs, PageCache(self.cache_dir / "pages"), self.pool)[0]
        out = io.BytesIO()
        combine_pages(entries, out)
        return out.getvalue()


def _marked_lines(marks: Marks, number: int, places: list[dict]) -> dict:
    """The changed lines and the cuts inside `places` (one place, or a paragraph's in each column
    it runs through), and the rectangle of the first run of changed lines in one column."""
    def inside(line) -> bool:
        cx, cy = line.x + line.w / 2, line.y + line.h / 2
        return any(p["x"] <= cx <= p["x"] + p["w"] and p["y"] <= cy <= p["y"] + p["h"] for p in places)
    changed, cut = marks.on_page(number)
    lines = [line for line in changed if inside(line)]
    found = {"lines": [_rect(line) for line in lines], "cuts": [_rect(line) for line in cut if inside(line)]}
    if lines:
        run = [line for line in lines if line.x == lines[0].x]
        top, bottom = run[0].y, max(line.y + line.h for line in run)
        found.update(x=run[0].x, y=top, w=max(line.w for line in run), h=round(bottom - top, 2))
    return found


def _rect(line) -> dict:
    return {"x": line.x, "y": line.y, "w": line.w, "h": line.h}
