"""Stage 7: PNG proofs of a rendered PDF, one per page (pypdfium2)."""
from __future__ import annotations

from pathlib import Path

from .render import write_atomically


def write_proofs(pdf: Path, out_dir: Path, slug: str, dpi: int = 100) -> list[Path]:
    """Rasterise every page of `pdf` to `out_dir/<slug>-p<N>.png`."""
    import pypdfium2 as pdfium
    written = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for number, page in enumerate(document, 1):
            image = page.render(scale=dpi / 72).to_pil()
            path = out_dir / f"{slug}-p{number}.png"
            write_atomically(path, lambda tmp: image.save(tmp, format="PNG"))
            written.append(path)
    finally:
        document.close()
    return written
