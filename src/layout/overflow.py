"""Stage 6 check: text that WeasyPrint laid out beyond its frame, measured on its boxes.

The banner (通栏) is a frame `grid.banner_lines` body lines tall whose kicker, title, slogan and
label are centred in it. When they need more height than the theme gives, they run out at the
top and the bottom: the white kicker vanishes on the white paper above the red banner and the
label runs into the story under it. Nothing in WeasyPrint's log says so; the boxes do.
"""
from __future__ import annotations

import math
import re

from .errors import Finding, Severity

PX_TO_PT = 0.75
TOLERANCE_PT = 0.5
PITCH = re.compile(r"--pitch:\s*([\d.]+)pt")
PARTS = ("kicker", "title", "slogan", "label")


def banner_findings(document) -> list[Finding]:
    """A warning for every banner whose parts run out of its frame, keyed `pages[N].banner`."""
    findings = []
    for page in document.pages:
        number, pitch, banner = _banner_of(page._page_box)
        if banner is None:
            continue
        parts = [(_part(child), child) for child in banner.children if _part(child)]
        if not parts:
            continue
        top = banner.border_box_y()
        bottom = top + banner.border_height()
        outside = [name for name, box in parts
                   if _pt(top - box.border_box_y()) > TOLERANCE_PT
                   or _pt(box.border_box_y() + box.border_height() - bottom) > TOLERANCE_PT]
        if outside:
            needed = _pt(max(b.border_box_y() + b.border_height() for _, b in parts)
                         - min(b.border_box_y() for _, b in parts))
            findings.append(_finding(number, [n for n, _ in parts], outside, needed,
                                     _pt(bottom - top), pitch))
    return findings


def _finding(number: int, parts: list[str], outside: list[str], needed: float, height: float,
             pitch: float | None) -> Finding:
    lines = f" ({round(height / pitch)} lines)" if pitch else ""
    remedy = (f"set grid.banner_lines to {math.ceil(needed / pitch - 1e-6)}" if pitch
              else "raise grid.banner_lines")
    return Finding(
        f"the banner's {_and(parts)} need {needed:.1f} pt, but the theme's banner is {height:.1f} pt "
        f"tall{lines}: the {_and(outside)} {'is' if len(outside) == 1 else 'are'} cut off; "
        f"{remedy} in the theme, or shorten the banner",
        key=f"pages[{number - 1}].banner", severity=Severity.WARNING, kind="layout")


def _banner_of(page_box):
    """(page number, line pitch in pt, the banner's box) of one laid-out page."""
    number, pitch, banner = 1, None, None
    for box in _boxes(page_box):
        element = getattr(box, "element", None)
        if element is None or not hasattr(box, "border_height"):
            continue
        classes = (element.get("class") or "").split()
        if "page" in classes and element.get("data-page", "").isdigit():
            number = int(element.get("data-page"))
            found = PITCH.search(element.get("style") or "")
            pitch = float(found.group(1)) if found else None
        elif "banner" in classes and getattr(box, "children", None) and banner is None:
            banner = box
    return number, pitch, banner


def _boxes(box):
    """Every box of a page, into absolutely positioned ones (the banner is one)."""
    yield box
    inner = getattr(box, "_box", None)
    if inner is not None:
        yield from _boxes(inner)
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


def _part(box) -> str:
    element = getattr(box, "element", None)
    classes = (element.get("class") or "").split() if element is not None else []
    return next((name for name in PARTS if f"banner-{name}" in classes), "")


def _pt(px: float) -> float:
    return px * PX_TO_PT


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
