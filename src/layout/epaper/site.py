"""E-paper stage: the whole 数字报, written as one folder.

The issue is rendered once as `layout render` renders it (page by page, through the page
cache); its PDF gives the page images and its page plans the story areas, so the site and the
print cannot disagree. The site is built in a hidden folder beside SITE_DIR and renamed into
place when complete: a failed build leaves the previous site as it was.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding, LayoutError
from ..model import ISSUE_FILE, _label
from ..source import load_source
from ..theme import load_theme
from .articles import ArticleFigure, collect_articles
from .images import write_page_images, write_photos
from .pages import PagePhoto, figure_of, page_views, photo_anchor, printed_on
from .templates import write_templates

MARKER = ".layout-epaper"     # says a folder is a site this command wrote (so it may be replaced)


@dataclass
class Site:
    """What building the site did: the rendered issue, its pages and articles, the files."""

    folder: Path
    rendered: object
    pages: list = field(default_factory=list)
    articles: list = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    bytes: int = 0
    seconds: float = 0.0


def replace_problem(site_dir: Path) -> str | None:
    """Why SITE_DIR may not be replaced, if it may not: a folder that holds anything but a
    site this command wrote (it would be deleted), or a file."""
    if not site_dir.exists() and not site_dir.is_symlink():
        return None
    if site_dir.is_symlink() or not site_dir.is_dir():
        return f"'{site_dir}' is not a folder"
    if site_dir.resolve() in {Path.cwd().resolve(), *Path.cwd().resolve().parents, Path.home().resolve()}:
        return f"'{site_dir}' holds the working folder or is the home folder; choose a folder of its own"
    if any(site_dir.iterdir()) and not (site_dir / MARKER).is_file():
        return (f"'{site_dir}' is not empty and is not a site that layout epaper wrote; "
                "choose another folder, or empty it first")
    return None


def build_site(issue_dir: Path, site_dir: Path, *, cache: Path | None = None) -> Site:
    """Render `issue_dir` and write its 数字报 into `site_dir` (replacing a site written before).
    Raises LayoutError when the issue cannot be rendered; nothing is written then."""
    from ..pipeline import CACHE_DIR, render_to_files
    started = time.perf_counter()
    shown, site_dir = Path(site_dir), Path(site_dir).absolute()
    problem = replace_problem(site_dir)
    if problem:                 # checked again here: replacing a folder deletes what it held
        raise LayoutError(Finding(problem, file=str(site_dir)))
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="layout-epaper-") as work:
        rendered, written = render_to_files(Path(issue_dir), Path(work))
        build = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
        try:
            site = _write_site(rendered, written[-1], build, cache or CACHE_DIR)
            _swap(build, site_dir)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
    site.folder = shown
    site.files = [shown / path.relative_to(build) for path in site.files]
    site.seconds = time.perf_counter() - started
    return site


def _write_site(rendered, pdf: Path, build: Path, cache: Path) -> Site:
    """Every file of the site into `build`: page images, photos, pages, articles, stylesheet."""
    issue = rendered.issue
    theme = load_theme(issue.theme)
    source = load_source(issue.folder / ISSUE_FILE, label=_label(issue.folder / ISSUE_FILE))
    photos = write_photos(rendered.plans, cache, theme.print.image_ppi, build)
    figures, page_photos = _figures(issue, photos)
    articles = collect_articles(issue, printed_on(rendered.plans), figures)
    views = page_views(rendered.plans, theme.grid, source, articles, page_photos)
    files = write_page_images(pdf, build, views)
    files += [build / name for name, _, _ in photos.values()]
    files += write_templates(build, issue, theme, views, articles)
    (build / MARKER).write_text("a 数字报 written by `layout epaper`; it replaces this folder\n", encoding="utf-8")
    build.chmod(0o755)
    return Site(build, rendered, views, articles, files, sum(p.stat().st_size for p in files))


def _figures(issue, photos: dict) -> tuple[dict[str, ArticleFigure], dict[str, PagePhoto]]:
    """The web images of the stories' figures and of the pages' photo groups, with captions."""
    figures, page_photos = {}, {}
    for key, (file, width, height) in photos.items():
        figure = figure_of(issue, key)
        if figure is None:
            continue
        if ".photos[" in key:
            page_photos[key] = PagePhoto(key, file, figure.caption, figure.credit, width, height,
                                        anchor=photo_anchor(key))
        else:
            figures[key] = ArticleFigure(key, file, figure.caption, figure.credit, width, height)
    return figures, page_photos


def _swap(build: Path, site_dir: Path) -> None:
    """Put the built site in place of `site_dir`: the old site (only ever a site this command
    wrote: `replace_problem`) is renamed away, then deleted."""
    old = None
    if site_dir.exists():
        if any(site_dir.iterdir()) and not (site_dir / MARKER).is_file():
            raise LayoutError(Finding(replace_problem(site_dir) or "not a site layout epaper wrote",
                                      file=str(site_dir)))
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        site_dir.rename(old / "site")
    build.rename(site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
