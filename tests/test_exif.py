"""EXIF orientation, all eight values: the upright size (layout, inspection, preparation), where
the photo's top-left corner ends up, and the effective resolution preflight reports."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from layout.errors import Severity
from layout.images import inspect_image, prepare_image, upright_size
from layout.preflight.images import check_images
from layout.source import load_source

from .test_preflight_images import ISSUE, plan_with

RED, BLUE = (255, 0, 0), (0, 0, 255)

#: orientation -> the corner of the upright photo where the stored pixels' top-left corner is
#: shown (EXIF 2.3, tag 0x0112: 2 mirrors, 3 turns 180°, 4 flips, 5 transposes, 6 is shown
#: turned 90° clockwise, 7 transverses, 8 is shown turned 90° counter-clockwise)
CORNER = {1: "top-left", 2: "top-right", 3: "bottom-right", 4: "bottom-left",
          5: "top-left", 6: "top-right", 7: "bottom-right", 8: "bottom-left"}
TURNED = {5, 6, 7, 8}


def stored(path: Path, orientation: int, size: tuple[int, int]) -> Path:
    """A blue JPEG of `size` stored pixels with a red block in its stored top-left corner."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[0x0112] = orientation
    image.save(path, exif=exif.tobytes(), quality=95)
    return path


def red_corner(image: Image.Image) -> str:
    w, h = image.size
    corners = {"top-left": (1, 1), "top-right": (w - 2, 1), "bottom-left": (1, h - 2), "bottom-right": (w - 2, h - 2)}
    red = [name for name, xy in corners.items() if _near(image.getpixel(xy), RED)]
    assert len(red) == 1 and all(_near(image.getpixel(xy), BLUE) for name, xy in corners.items() if name not in red)
    return red[0]


def _near(pixel, colour, tolerance=60) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


@pytest.mark.parametrize("orientation", range(1, 9))
def test_each_orientation_stands_upright(tmp_path, orientation):
    path = stored(tmp_path / f"o{orientation}.jpg", orientation, (80, 40))
    upright = (40, 80) if orientation in TURNED else (80, 40)
    info = inspect_image(path)
    assert (info.width, info.height, info.orientation) == (*upright, orientation)
    assert upright_size(path) == upright
    # placed at 200 ppi in a frame of the upright proportions: nothing is cropped
    placed = (upright[0] * 72 / 200, upright[1] * 72 / 200)
    prepared = prepare_image(path, placed_width=placed[0], placed_height=placed[1], cache_dir=tmp_path / "cache")
    assert (prepared.source_width, prepared.source_height) == upright
    assert (prepared.width, prepared.height) == upright
    assert prepared.source_ppi == prepared.output_ppi == 200.0
    assert prepared.orientation_fixed is (orientation != 1)
    with Image.open(prepared.path) as out:
        assert out.size == upright and 0x0112 not in out.getexif()
        assert red_corner(out.convert("RGB")) == CORNER[orientation]


@pytest.mark.parametrize("orientation", range(1, 9))
def test_preflight_measures_the_resolution_of_the_upright_photo(write_issue, orientation):
    """A 100 × 50 mm frame and a photo 900 × 450 pixels upright: 229 ppi, a warning, whichever
    way the pixels are stored."""
    folder = write_issue(ISSUE)
    stored(folder / "a.jpg", orientation, (450, 900) if orientation in TURNED else (900, 450))
    source = load_source(folder / "issue.yaml", label="x/issue.yaml")
    findings = check_images(plan_with(folder / "a.jpg"), source, folder, 300)
    expected = [(Severity.WARNING, "'a.jpg' is 900 × 450 pixels: 229 ppi at its placed size 100 × 50 mm "
                                   "(target 300 ppi); below 250 ppi it may print soft")]
    if orientation != 1:
        expected.append((Severity.INFO, f"'a.jpg' is stored turned (EXIF orientation {orientation}): printed upright"))
    assert [(f.severity, f.message) for f in findings] == expected
