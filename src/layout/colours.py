"""Theme stage: each theme colour is written twice, `cmyk` for print and `rgb` for the screen.

The screen PDF paints `rgb`, the print PDF paints `cmyk` (`device-cmyk()`), so a colour changed
on one side only makes the two PDFs disagree: `colours.red.rgb: "#0050a0"` with the red
`cmyk: [0, 100, 100, 0]` gives a blue banner on screen and a red one on the press. Both are
converted to CIELAB, the print side through the theme's output profile (`print.icc_profile`),
and a difference above `MAX_DELTA_E` is a warning on the theme file.
"""
from __future__ import annotations

import functools
import math
from pathlib import Path

from .errors import Finding, Severity
from .source import Source

#: CIE76 colour difference above which screen and print are different colours, not two
#: renderings of one (the newspaper theme's own pairs differ by 0 to 16).
MAX_DELTA_E = 30.0


def colour_findings(theme, source: Source) -> list[Finding]:
    """A warning for every theme colour whose screen and print values are different colours."""
    findings = []
    for name, colour in theme.colours.items():
        difference = delta_e(tuple(colour["cmyk"]), colour["rgb"], theme.print.icc_profile)
        if difference is not None and difference > MAX_DELTA_E:
            key = f"colours.{name}"
            cmyk = "/".join(f"{c:g}" for c in colour["cmyk"])
            findings.append(Finding(
                f"the screen colour rgb '{colour['rgb']}' and the print colour cmyk {cmyk} are "
                f"different colours (ΔE {difference:.0f} through the output profile): the screen "
                f"PDF and the print PDF will not match; change rgb and cmyk together",
                file=source.label, line=source.line_of(key), key=key, severity=Severity.WARNING,
                kind="theme"))
    return findings


@functools.lru_cache(maxsize=64)
def delta_e(cmyk: tuple[float, ...], rgb: str, profile: Path) -> float | None:
    """CIE76 difference between the press's `cmyk` (through `profile`) and the screen's `rgb`
    (sRGB); None when the profile cannot be read."""
    from PIL import Image, ImageCms
    try:
        press = ImageCms.getOpenProfile(str(profile))
    except (OSError, ImageCms.PyCMSError):
        return None
    lab = ImageCms.createProfile("LAB")
    ink = Image.new("CMYK", (1, 1), tuple(round(c * 2.55) for c in cmyk))
    screen = Image.new("RGB", (1, 1), tuple(int(rgb[i:i + 2], 16) for i in (1, 3, 5)))
    printed = ImageCms.applyTransform(ink, ImageCms.buildTransform(press, lab, "CMYK", "LAB"))
    shown = ImageCms.applyTransform(screen, ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), lab, "RGB", "LAB"))
    return math.dist(_lab(printed.getpixel((0, 0))), _lab(shown.getpixel((0, 0))))


def _lab(pixel: tuple[int, int, int]) -> tuple[float, float, float]:
    """Pillow's 8-bit LAB pixel as L* (0-100), a*, b*."""
    lightness, a, b = pixel
    return lightness / 2.55, a - 128.0, b - 128.0
