"""Preflight stage: photos at their placed size: effective resolution, colour mode, orientation.

Placed sizes come from the page plans (`PlacedFigure.image`, in pt).  A photo fills its frame
(object-fit: cover), so its effective resolution is the lower of width and height pixels per
inch of the frame.  Below `ERROR_PPI` it prints visibly blurred (error), below `WARNING_PPI`
soft (warning).  Missing and unreadable files are content errors reported by `checks`.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import Finding, Severity
from ..images import ImageInfo, ImageProblem, effective_ppi, inspect_image
from ..page import PagePlan, PlacedFigure
from ..source import Source
from ..theme import PT_PER_MM

ERROR_PPI = 150
WARNING_PPI = 250
SIXTEEN_BIT = {"I", "I;16", "I;16L", "I;16B", "I;16N", "F"}


def placed_figures(plans: list[PagePlan]) -> list[PlacedFigure]:
    return [f for plan in plans for f in [*plan.photos, *(f for m in plan.modules for f in m.figures)]]


def check_images(plans: list[PagePlan], source: Source, folder: Path, target_ppi: int) -> list[Finding]:
    """Resolution, colour-mode and orientation findings for every placed photo."""
    findings = []
    for figure in placed_figures(plans):
        key = f"{figure.key}.image"
        place = {"file": source.label, "line": source.line_of(key), "key": key, "kind": "image"}
        name = _name(figure.source, folder)
        try:
            info = inspect_image(figure.source)
        except ImageProblem as exc:
            findings.append(Finding(f"'{name}': {exc}", **place))
            continue
        for message, severity in image_notes(name, info, figure, target_ppi):
            findings.append(Finding(message, severity=severity, **place))
    return findings


def image_notes(name: str, info: ImageInfo, figure: PlacedFigure, target_ppi: int
                ) -> list[tuple[str, Severity]]:
    notes = []
    resolution = _resolution(name, info, figure, target_ppi)
    if resolution:
        notes.append(resolution)
    if info.mode == "CMYK":
        notes.append((f"'{name}' is a CMYK photo: converted to RGB for the page "
                      "(the printer converts it back with the output profile)", Severity.INFO))
    elif info.mode in ("P", "PA"):
        notes.append((f"'{name}' is a palette image (GIF-like colours): converted to RGB",
                      Severity.INFO))
    elif info.mode in SIXTEEN_BIT:
        notes.append((f"'{name}' has 16 bits per channel: reduced to 8 bits", Severity.INFO))
    if info.orientation not in (None, 1):
        notes.append((f"'{name}' is stored turned (EXIF orientation {info.orientation}): "
                      "printed upright", Severity.INFO))
    return notes


def _resolution(name: str, info: ImageInfo, figure: PlacedFigure, target_ppi: int
                ) -> tuple[str, Severity] | None:
    ppi = effective_ppi(info.width, info.height, figure.image.w, figure.image.h)
    if ppi >= WARNING_PPI:
        return None
    size = f"{_mm(figure.image.w)} × {_mm(figure.image.h)} mm"
    message = (f"'{name}' is {info.width} × {info.height} pixels: {ppi:.0f} ppi at its placed "
               f"size {size} (target {target_ppi} ppi)")
    if ppi < ERROR_PPI:
        return f"{message}; below {ERROR_PPI} ppi it prints blurred: use a larger photo", Severity.ERROR
    return f"{message}; below {WARNING_PPI} ppi it may print soft", Severity.WARNING


def _mm(points: float) -> str:
    """A length in whole mm, or to 0.1 mm below 10 mm (a tiny frame never reads '0 mm')."""
    mm = points / PT_PER_MM
    return f"{mm:.0f}" if mm >= 10 else f"{mm:.1f}"


def _name(path: Path, folder: Path) -> str:
    try:
        return Path(path).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(path)
