"""Print stage: the PDF/X-4 file for the printer (`layout render --print`).

WeasyPrint writes the PDF/X-4 (`pdf_variant="pdf/x-4"`) with the theme's CMYK profile as the
output intent (the `@color-profile device-cmyk` rule in print.css.j2) and a media box that is
the trimmed page plus `MEDIA_MARGIN_MM` on each side (CSS `bleed`).  `finish_for_press` then
post-processes the file with pikepdf:

- BleedBox = TrimBox + the theme's bleed (`page.bleed_mm`); WeasyPrint would put it at most
  10 pt outside the trim;
- crop marks in the registration colour (Separation /All), 0.25 pt, drawn entirely outside the
  bleed: from `MARK_GAP_MM` beyond the bleed, `MARK_LENGTH_MM` long, on the trim lines;
- the output intent named after the profile's description (`OutputConditionIdentifier`
  `Custom`), not WeasyPrint's `device-cmyk`;
- `/DefaultRGB` = sRGB in every page's resources, so that RGB photos and any RGB paint are
  ICC-based colour the RIP converts with the output intent (PDF/X-4 allows no bare DeviceRGB).
"""
from __future__ import annotations

from pathlib import Path

import pikepdf
from PIL import ImageCms

from .theme import PT_PER_MM, Grid

MARK_GAP_MM = 2.0          # between the bleed edge and the start of a crop mark
MARK_LENGTH_MM = 6.0
MARK_WIDTH_PT = 0.25
MEDIA_MARGIN_MM = 13.0     # trim to media edge: bleed 3 + gap 2 + mark 6 + 2 spare


def media_margin_mm(grid: Grid) -> float:
    """Trim-to-media distance: room for the bleed and the crop marks beyond it."""
    bleed_mm = grid.bleed / PT_PER_MM
    return max(MEDIA_MARGIN_MM, bleed_mm + MARK_GAP_MM + MARK_LENGTH_MM + 2)


def profile_description(profile: Path) -> str:
    """The ICC profile's own name (its description tag), or the file name."""
    try:
        description = ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(profile))).strip()
    except (OSError, ImageCms.PyCMSError):
        description = ""
    return description or profile.name


def finish_for_press(path: Path, grid: Grid, profile: Path) -> None:
    """Post-process a PDF/X written by WeasyPrint in place (see the module docstring)."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        colour_spaces = _colour_spaces(pdf)
        for page in pdf.pages:
            trim = _box(page.obj.TrimBox)
            page.obj.BleedBox = pikepdf.Array(_grow(trim, grid.bleed))
            resources = page.obj.Resources
            if "/ColorSpace" not in resources:
                resources.ColorSpace = pikepdf.Dictionary()
            for name, space in colour_spaces.items():
                resources.ColorSpace[name] = space
            page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
            page.contents_add(pdf.make_stream(b"Q\n" + crop_marks(trim, grid.bleed)))
        _name_output_intent(pdf, profile)
        pdf.save(path)


def _box(array) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in array)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _grow(box: tuple[float, float, float, float], by: float) -> list[float]:
    return [box[0] - by, box[1] - by, box[2] + by, box[3] + by]


def _colour_spaces(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    """The registration colour (/LayoutRegistration) and /DefaultRGB (sRGB)."""
    all_inks = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0],
                                  C1=[1, 1, 1, 1], N=1)
    registration = pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All,
                                  pikepdf.Name.DeviceCMYK, pdf.make_indirect(all_inks)])
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    icc = pdf.make_stream(srgb, N=3, Alternate=pikepdf.Name.DeviceRGB)
    return {"/LayoutRegistration": registration,
            "/DefaultRGB": pikepdf.Array([pikepdf.Name.ICCBased, icc])}


def crop_marks(trim: tuple[float, float, float, float], bleed: float) -> bytes:
    """Content stream of the eight crop marks: on the trim lines, outside the bleed."""
    start = bleed + MARK_GAP_MM * PT_PER_MM
    end = start + MARK_LENGTH_MM * PT_PER_MM
    x0, y0, x1, y1 = trim
    ops = ["q", f"{MARK_WIDTH_PT} w", "0 J", "/LayoutRegistration CS", "1 SCN"]
    for x, y, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        ops.append(f"{x + sx * start:.3f} {y:.3f} m {x + sx * end:.3f} {y:.3f} l S")
        ops.append(f"{x:.3f} {y + sy * start:.3f} m {x:.3f} {y + sy * end:.3f} l S")
    ops.append("Q")
    return ("\n".join(ops) + "\n").encode("ascii")


def _name_output_intent(pdf: pikepdf.Pdf, profile: Path) -> None:
    name = profile_description(profile)
    for intent in pdf.Root.get("/OutputIntents", []):
        intent.OutputConditionIdentifier = pikepdf.String("Custom")
        intent.OutputCondition = pikepdf.String(name)
        intent.Info = pikepdf.String(name)
