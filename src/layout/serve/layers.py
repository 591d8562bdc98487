"""Proof stage for the live server: a page proof as layers, so an edit re-renders one story.

A page's elements are absolutely placed by its plan (stage 3) and never overlap, so each can be
painted on its own: the base layer (page furniture: running header, rules) is the page with no
elements; every other layer is the page with one element (banner, a photo of the group, a story
module), cut to that element's rectangle. Layers are keyed like pages (`pagerender.keys`) and
rendered in the warm workers: laid out, written as one PDF per chunk, rasterised with pypdfium2
on a transparent background, and kept zlib-compressed (a layer is mostly white or transparent).
The proof is the base with the layers composited over it, as a compressed PNG.
"""
from __future__ import annotations

import dataclasses
import io
import math
import zlib
from dataclasses import dataclass

from ..page import Box, PagePlan, StoryModule
from ..pagerender.chunk import PageJob, layout_page
from .memory import freeze_what_the_worker_started_with, give_back_memory, in_frozen_worker, turn_to_write

PAD_PT = 2.0     # room around an element's rectangle for glyph overhang
#: zlib level of layers and page PNGs. At 300 dpi a sample page is 25.1 MB at level 1 and 24.4 MB at
#: level 6 (89.8 MB uncompressed), and level 1 takes a third of level 6's time; a text page 1.5 MB.
COMPRESS_LEVEL = 1
NO_FURNITURE = ("<style>@page { @top-left { content: none } @top-center { content: none } "
                "@top-right { content: none } @bottom-left { content: none } "
                "@bottom-center { content: none } @bottom-right { content: none } } "
                ".running-head { display: none }</style>")


def without_furniture(html: str) -> str:
    """A layer's HTML without the running header and footer (only the base paints them)."""
    return html.replace("</head>", NO_FURNITURE + "</head>", 1)


@dataclass
class Layer:
    """One element of a page (or its base), with the page-coordinate rectangle it is cut to."""

    name: str
    plan: PagePlan
    crop: Box | None          # None: the whole page, opaque (the base)


@dataclass
class LayerJob:
    job: PageJob
    crop: Box | None
    scale: float
    png: bool = False         # kept as PNG bytes (the zoomed view's layers, sent as they are)


@dataclass
class LayerImage:
    """A rendered layer: RGBA pixels of its rectangle (zlib-compressed) and where they go on the
    page, in px."""

    key: str
    left: int
    top: int
    size: tuple[int, int]
    mode: str
    pixels: bytes

    @classmethod
    def of(cls, key: str, left: int, top: int, image, png: bool = False) -> LayerImage:
        if png:
            return cls(key, left, top, image.size, "PNG", png_bytes(image))
        return cls(key, left, top, image.size, image.mode, zlib.compress(image.tobytes(), COMPRESS_LEVEL))

    def image(self):
        from PIL import Image
        return Image.frombytes(self.mode, self.size, zlib.decompress(self.pixels))


def page_layers(plan: PagePlan, origin: tuple[float, float]) -> list[Layer]:
    """The base and one layer per element of `plan`; `origin` is the type area's corner on the page."""
    empty = dict(banner=None, banner_box=None, photos=[], modules=[], rules=[])
    layers = [Layer("base", dataclasses.replace(plan, **{**empty, "rules": plan.rules}), None)]
    if plan.banner:
        layers.append(Layer("banner", dataclasses.replace(plan, **{**empty, "banner": plan.banner,
                                                                     "banner_box": plan.banner_box}),
                            _on_page(plan.banner_box, origin)))
    for photo in plan.photos:
        layers.append(Layer(photo.key, dataclasses.replace(plan, **{**empty, "photos": [photo]}),
                            _on_page(photo.box, origin)))
    for module in plan.modules:
        layers += [Layer(name, dataclasses.replace(plan, **{**empty, "modules": [part]}), _on_page(box, origin))
                   for name, part, box in story_layers(module)]
    return layers


def story_layers(module: StoryModule) -> list[tuple[str, StoryModule, Box]]:
    """A story module in parts: its frame (headline set, column rules, jump line), each body
    column, each figure. A headline edit re-renders the frame only."""
    bare = dict(headline_set=[], columns=[], figures=[], jump=None)
    empty_columns = [dataclasses.replace(column, fragments=[]) for column in module.columns]
    parts = [(f"{module.key}.frame", dataclasses.replace(module, figures=[], columns=empty_columns), module.box)]
    parts += [(f"{module.key}.columns[{index}]", dataclasses.replace(module, **{**bare, "columns": [column]}),
               column.box) for index, column in enumerate(module.columns)]
    parts += [(figure.key, dataclasses.replace(module, **{**bare, "figures": [figure]}), figure.box)
              for figure in module.figures]
    return parts


def _on_page(box: Box | None, origin: tuple[float, float]) -> Box | None:
    if box is None:
        return None
    return Box(origin[0] + box.x - PAD_PT, origin[1] + box.y - PAD_PT, box.w + 2 * PAD_PT, box.h + 2 * PAD_PT)


def render_layers(jobs: list[LayerJob]) -> list[LayerImage]:
    """Worker side: lay out each layer, write the chunk as one PDF, rasterise each page."""
    import pypdfium2 as pdfium
    from weasyprint.text.fonts import FontConfiguration
    freeze_what_the_worker_started_with()
    font_config = FontConfiguration()
    documents = [layout_page(job.job, font_config)[0] for job in jobs]
    pages = [document.pages[0] for document in documents]
    with turn_to_write():
        data = documents[0].copy(pages).write_pdf(uncompressed_pdf=True)
    del documents, pages
    pdf = pdfium.PdfDocument(io.BytesIO(data))
    try:
        return [_rasterise(pdf[index], job) for index, job in enumerate(jobs)]
    finally:
        pdf.close()
        give_back_memory(collect=in_frozen_worker())    # laid-out documents are cycles


def _rasterise(page, job: LayerJob) -> LayerImage:
    width, height = page.get_size()
    scale = job.scale
    if job.crop is None:
        image = page.render(scale=scale).to_pil()
        return LayerImage.of(job.job.key, 0, 0, image.convert("RGB" if job.png else "RGBA"), job.png)
    full_w, full_h = math.ceil(width * scale), math.ceil(height * scale)
    left = max(0, math.floor(job.crop.x * scale))
    top = max(0, math.floor(job.crop.y * scale))
    right = min(full_w, math.ceil((job.crop.x + job.crop.w) * scale))
    bottom = min(full_h, math.ceil((job.crop.y + job.crop.h) * scale))
    # pypdfium2 rounds each crop up to whole pixels: ask for a hair less than each pixel edge
    crop = tuple((px - 1e-3) / scale for px in (left, full_h - bottom, full_w - right, top))
    image = page.render(scale=scale, crop=crop, fill_color=(255, 255, 255, 0), rev_byteorder=True).to_pil()
    return LayerImage.of(job.job.key, left, top, image.convert("RGBA"), job.png)


def composite(layers: list[LayerImage]):
    """The page proof: the base, then every layer over it (PIL RGB image)."""
    base = layers[0].image()
    for layer in layers[1:]:
        base.alpha_composite(layer.image(), dest=(layer.left, layer.top))
    return base.convert("RGB")


def png_bytes(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=COMPRESS_LEVEL)
    return out.getvalue()
