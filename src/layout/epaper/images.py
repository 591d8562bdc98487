"""E-paper stage: the site's pictures, all from the print render.

- Page images: every page of the rendered PDF at 150 dpi (pypdfium2, as `layout proof` makes
  proofs), as PNG, and a thumbnail of it for the index (JPEG).
- Photos: each photo as the page prints it (the prepared JPEG, cropped to its frame, that the
  PDF embeds), made at most WEB_PHOTO_PX on its longer side for the article pages.
"""
from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from ..pipeline import prepare_photos

PAGE_DPI = 150
THUMB_WIDTH = 360          # px: an index thumbnail
WEB_PHOTO_PX = 1200        # px: the longer side of a photo on an article page
JPEG_QUALITY = 82


def write_page_images(pdf: Path, folder: Path, views, dpi: int = PAGE_DPI) -> list[Path]:
    """`page-N.png` at `dpi` and `page-N-thumb.jpg` for every page of `pdf` (a view per page);
    each view gets its image's size in px."""
    import pypdfium2 as pdfium
    written = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for view, page in zip(views, document):
            image = page.render(scale=dpi / 72).to_pil().convert("RGB")
            view.width_px, view.height_px = image.size
            image.save(folder / view.image, format="PNG")
            thumb = image.resize((THUMB_WIDTH, round(image.height * THUMB_WIDTH / image.width)), Image.LANCZOS)
            thumb.save(folder / view.thumbnail, format="JPEG", quality=JPEG_QUALITY)
            written += [folder / view.image, folder / view.thumbnail]
    finally:
        document.close()
    return written


def photo_file(key: str) -> str:
    """`pages[0].stories[1].figures[0]` -> `images/p1-s2-f1.jpg`; `pages[1].photos[3]` -> `images/p2-photo4.jpg`."""
    numbers = [int(n) + 1 for n in re.findall(r"\[(\d+)\]", key)]
    if ".photos[" in key:
        return f"images/p{numbers[0]}-photo{numbers[1]}.jpg"
    return f"images/p{numbers[0]}-s{numbers[1]}-f{numbers[2]}.jpg"


def write_photos(plans, cache: Path, ppi: int, folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every placed photo as the PDF has it, sized for the web: figure key -> (file, width, height).
    A photo the render could not prepare is left out (the render reported it)."""
    from urllib.parse import unquote, urlparse
    urls, _ = prepare_photos(plans, cache / "images", ppi)
    (folder / "images").mkdir(exist_ok=True)
    out = {}
    for key, url in urls.items():
        with Image.open(unquote(urlparse(url).path)) as image:
            image = image.convert("RGB")
            image.thumbnail((WEB_PHOTO_PX, WEB_PHOTO_PX), Image.LANCZOS)
            name = photo_file(key)
            image.save(folder / name, format="JPEG", quality=JPEG_QUALITY, progressive=True)
            out[key] = (name, *image.size)
    return out
