"""Benchmark of the image preparation stage: the sample issue rendered with prepared photos
(cropped to their frames, downsampled to the theme's `print.image_ppi`) versus the original
photos, and the resolution of every photo embedded in each PDF at its placed size.

    python bench/bench_images.py [--issue issues/2026-changzhi-lianghui] [--out DIR]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pdfplumber

from layout.context import compose_context
from layout.fonts import FONTS_DIR, resolve_fonts
from layout.html import render_html
from layout.images import effective_ppi
from layout.model import load_issue
from layout.page import plan_issue
from layout.pipeline import CACHE_DIR, prepare_photos
from layout.preflight.images import placed_figures
from layout.render import render_document, write_pdf
from layout.theme import load_theme

ROOT = Path(__file__).resolve().parents[1]


def render(issue, theme, fonts, plans, images: dict[str, str], pdf: Path) -> float:
    """Write the issue with the given photo URLs; return the seconds taken."""
    started = time.perf_counter()
    html = render_html(compose_context(issue, theme, fonts, plans, images), theme)
    roots = [issue.folder, theme.folder, FONTS_DIR, CACHE_DIR, *{f.path.parent for f in fonts.values()}]
    document, _ = render_document(html, base_url=theme.folder, roots=roots, label="bench")
    write_pdf(document, pdf)
    return time.perf_counter() - started


def embedded_ppi(pdf: Path) -> list[float]:
    """Effective ppi of every image drawn in the PDF: pixels over placed size."""
    found = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for image in page.images:
                found.append(effective_ppi(*image["srcsize"], image["width"], image["height"]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issue", type=Path, default=ROOT / "issues" / "2026-changzhi-lianghui")
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="bench-images-")))
    args = parser.parse_args()
    issue = load_issue(args.issue)
    theme = load_theme(issue.theme)
    fonts = resolve_fonts(theme)
    plans = plan_issue(issue, theme, fonts)
    started = time.perf_counter()
    prepared, _ = prepare_photos(plans, CACHE_DIR / "images", theme.print.image_ppi)
    prepare_seconds = time.perf_counter() - started
    originals = {f.key: f.source.resolve().as_uri() for f in placed_figures(plans)}
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"target {theme.print.image_ppi} ppi; preparing {len(prepared)} photos: {prepare_seconds:.2f} s")
    sizes = {}
    for name, images in (("prepared", prepared), ("original", originals)):
        pdf = args.out / f"{issue.slug}-{name}.pdf"
        seconds = render(issue, theme, fonts, plans, images, pdf)
        ppi = embedded_ppi(pdf)
        sizes[name] = pdf.stat().st_size
        print(f"{name:9} {sizes[name] / 1e6:7.2f} MB  {seconds:5.1f} s  {len(ppi)} images, "
              f"{min(ppi):.0f}-{max(ppi):.0f} ppi at placed size  ({pdf})")
    print(f"prepared / original = {sizes['prepared'] / sizes['original']:.3f}")


if __name__ == "__main__":
    main()
