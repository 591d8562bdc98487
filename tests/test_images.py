"""Image preparation stage: inspect_image and prepare_image on small photos made with Pillow."""
from __future__ import annotations

import hashlib
import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from layout import images
from layout.images import ImageInfo, ImageProblem, inspect_image, prepare_image

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
SHA_A, SHA_B = "a" * 64, "b" * 64


def save(image: Image.Image, path: Path, **options) -> Path:
    image.save(path, **options)
    return path


def prepare(path: Path, tmp_path: Path, width: float, height: float, **options):
    return prepare_image(path, placed_width=width, placed_height=height,
                         cache_dir=tmp_path / "cache", **options)


def near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def marked(size=(40, 20)) -> Image.Image:
    """Blue image with a red block in its top-left corner (raw pixel orientation)."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, 10, 10))
    return image


def with_orientation(path: Path, orientation: int) -> Path:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return save(marked(), path, exif=exif.tobytes(), quality=95)


def png_header(path: Path, width: int, height: int) -> Path:
    """A PNG that is only a header claiming `width` x `height` (no pixel data)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    data = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))
    path.write_bytes(data + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND")))
    return path


# --- inspect_image -------------------------------------------------------------------------

def test_inspect_describes_a_jpeg(tmp_path):
    path = save(Image.new("RGB", (64, 48), GREEN), tmp_path / "a.jpg")
    assert inspect_image(path) == ImageInfo(64, 48, "RGB", "JPEG", None, False)


def test_inspect_gives_the_upright_size(tmp_path):
    info = inspect_image(with_orientation(tmp_path / "o6.jpg", 6))
    assert (info.width, info.height, info.orientation) == (20, 40, 6)


@pytest.mark.parametrize("suffix, fmt", [(".png", "PNG"), (".tif", "TIFF"), (".webp", "WebP")])
def test_inspect_accepts_the_print_formats(tmp_path, suffix, fmt):
    path = save(Image.new("RGB", (8, 8), GREEN), tmp_path / f"a{suffix}")
    assert inspect_image(path).format == fmt


def test_inspect_sees_an_icc_profile(tmp_path):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = save(Image.new("RGB", (8, 8), GREEN), tmp_path / "a.jpg", icc_profile=srgb)
    assert inspect_image(path).has_icc_profile


def test_hard_links_to_one_photo_are_decoded_once_and_a_rewritten_photo_again(tmp_path, monkeypatch):
    """A batch worker's store links every issue's copy of a photo to one blob: it is decoded
    once. A photo saved again (a new modification time) or replaced by another file is not
    taken for the old one."""
    decoded = []
    real = images._inspect
    monkeypatch.setattr(images, "_inspect", lambda path: decoded.append(path.name) or real(path))
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))       # no inspection remembered yet
    first = save(marked((64, 48)), tmp_path / "a.jpg", quality=90)
    (tmp_path / "b.jpg").hardlink_to(first)
    assert inspect_image(first) == inspect_image(tmp_path / "b.jpg") == ImageInfo(64, 48, "RGB", "JPEG", None, False)
    assert decoded == ["a.jpg"]
    save(marked((80, 48)), tmp_path / "c.jpg", quality=90).replace(first)        # a new file, same name
    assert inspect_image(first).width == 80
    save(marked((96, 48)), first, quality=90)                                    # rewritten in place
    assert inspect_image(first).width == 96 and decoded == ["a.jpg", "a.jpg", "a.jpg"]


def forget_in_process() -> None:
    """What a new process knows: no inspection by file identity, the cache's file read again."""
    images._inspect_cached.cache_clear()
    images._known_inspections.cache_clear()


def test_a_photo_inspected_once_is_not_decoded_again_by_another_process_with_the_same_cache(tmp_path, monkeypatch):
    """Remembered by content in <cache>/inspections.json: a copy of the photo elsewhere is not
    decoded either; another cache, or a photo with other bytes, is."""
    decoded = []
    real = images._inspect
    monkeypatch.setattr(images, "_inspect", lambda path: decoded.append(path.name) or real(path))
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    first = save(marked((64, 48)), tmp_path / "a.jpg", quality=90)
    assert inspect_image(first) == ImageInfo(64, 48, "RGB", "JPEG", None, False)
    remembered = json.loads((tmp_path / "cache" / "inspections.json").read_text(encoding="utf-8"))
    sha = hashlib.sha256(first.read_bytes()).hexdigest()
    assert remembered == {"version": images.INSPECT_VERSION, "photos": {sha: [64, 48, "RGB", "JPEG", None, False]}}
    forget_in_process()
    (tmp_path / "copy.jpg").write_bytes(first.read_bytes())
    assert inspect_image(first) == inspect_image(tmp_path / "copy.jpg") == ImageInfo(64, 48, "RGB", "JPEG", None, False)
    assert decoded == ["a.jpg"]
    save(marked((80, 48)), tmp_path / "b.jpg", quality=90)
    assert inspect_image(tmp_path / "b.jpg").width == 80 and decoded == ["a.jpg", "b.jpg"]
    forget_in_process()
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "other-cache"))
    assert inspect_image(first).width == 64 and decoded == ["a.jpg", "b.jpg", "a.jpg"]


def test_a_photo_that_fails_is_never_remembered_and_an_unreadable_memory_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(save(marked((64, 48)), tmp_path / "whole.jpg", quality=90).read_bytes()[:300])
    for _ in range(2):
        forget_in_process()
        with pytest.raises(ImageProblem):
            inspect_image(broken)
    assert not (tmp_path / "cache" / "inspections.json").exists()
    decoded = []
    real = images._inspect
    monkeypatch.setattr(images, "_inspect", lambda path: decoded.append(path.name) or real(path))
    sha = hashlib.sha256((tmp_path / "whole.jpg").read_bytes()).hexdigest()
    version = images.INSPECT_VERSION
    unreadable = ["not json", json.dumps({"version": version + 1, "photos": {sha: [1, 1, "L", "PNG", None, False]}}),
                  json.dumps({"version": version, "photos": {sha: [1, 2]}}),
                  *(json.dumps({"version": version, "photos": photos}) for photos in (sha, [sha], 5, None)),
                  *(json.dumps({"version": version, "photos": {sha: entry}}) for entry in (
                      "abcdef", {"width": 1}, [1, 1, "L", "PNG", None, False, 7], ["1", 1, "L", "PNG", None, False],
                      [1, 1.5, "L", "PNG", None, False], [1, 1, 2, "PNG", None, False], [1, 1, "L", None, None, False],
                      [1, 1, "L", "PNG", "6", False], [1, 1, "L", "PNG", None, "no"]))]
    for written in unreadable:
        (tmp_path / "cache").mkdir(exist_ok=True)
        (tmp_path / "cache" / "inspections.json").write_text(written, encoding="utf-8")
        forget_in_process()
        assert inspect_image(tmp_path / "whole.jpg") == ImageInfo(64, 48, "RGB", "JPEG", None, False), written
    assert decoded == ["whole.jpg"] * len(unreadable)
    (tmp_path / "cache" / "inspections.json").write_text(json.dumps({"version": version, "photos": {
        sha: [64, 48, "RGB", "JPEG", 6, True]}}), encoding="utf-8")              # what reads right is believed
    forget_in_process()
    assert inspect_image(tmp_path / "whole.jpg") == ImageInfo(64, 48, "RGB", "JPEG", 6, True)
    assert len(decoded) == len(unreadable)


def test_missing_file(tmp_path):
    with pytest.raises(ImageProblem) as caught:
        inspect_image(tmp_path / "nope.jpg")
    assert str(caught.value) == "file not found"


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(ImageProblem) as caught:
        inspect_image(tmp_path)
    assert str(caught.value) == "not a regular file but a folder"


def test_text_file_named_jpg(tmp_path):
    path = tmp_path / "story.jpg"
    path.write_text("这不是图片\n", encoding="utf-8")
    with pytest.raises(ImageProblem) as caught:
        inspect_image(path)
    assert str(caught.value) == "not a readable image: unknown or damaged file"


@pytest.mark.parametrize("name", ["cut.jpg", "cut.png"])
def test_truncated_image(tmp_path, name):
    whole = save(Image.effect_noise((300, 200), 60).convert("RGB"), tmp_path / f"whole-{name}")
    path = tmp_path / name
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ImageProblem) as caught:
        inspect_image(path)
    message = "not a readable image: image data is truncated or damaged"
    assert str(caught.value) == message
    with pytest.raises(ImageProblem, match="truncated or damaged"):
        prepare(path, tmp_path, 100, 100)


def test_unsupported_format(tmp_path):
    path = save(Image.new("P", (8, 8)), tmp_path / "a.gif")
    with pytest.raises(ImageProblem) as caught:
        inspect_image(path)
    assert str(caught.value) == "unsupported image format GIF: use JPEG, PNG, TIFF or WebP"


def test_our_pixel_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    path = save(Image.new("RGB", (50, 30)), tmp_path / "a.png")
    with pytest.raises(ImageProblem) as caught:
        inspect_image(path)
    message = "image is too large to open safely: 50x30 pixels (limit 0.001 megapixels)"
    assert str(caught.value) == message
    with pytest.raises(ImageProblem, match="too large"):
        prepare(path, tmp_path, 100, 100)


def test_header_only_bomb_over_pillows_warning_limit(tmp_path):
    path = png_header(tmp_path / "bomb.png", 12000, 9000)
    with pytest.raises(ImageProblem) as caught:
        inspect_image(path)
    message = "image is too large to open safely: 12000x9000 pixels (limit 60 megapixels)"
    assert str(caught.value) == message


def test_header_only_bomb_over_pillows_error_limit(tmp_path):
    path = png_header(tmp_path / "bomb.png", 20000, 20000)
    with pytest.raises(ImageProblem) as caught:
        inspect_image(path)
    message = "image is too large to open safely: 400 megapixels (limit 60 megapixels)"
    assert str(caught.value) == message


def test_pillows_guard_stays_on():
    assert Image.MAX_IMAGE_PIXELS is not None
    assert images.MAX_PIXELS <= Image.MAX_IMAGE_PIXELS


# --- prepare_image: resolution and crop ------------------------------------------------------

def test_downsamples_to_the_target_resolution(tmp_path):
    path = save(Image.new("RGB", (4000, 3000), GREEN), tmp_path / "big.jpg")
    prepared = prepare(path, tmp_path, 170, 127.5)
    assert (prepared.width, prepared.height) == (708, 531)
    assert (prepared.source_width, prepared.source_height) == (4000, 3000)
    assert prepared.source_ppi == pytest.approx(1694.1, abs=0.1)
    assert abs(prepared.output_ppi - 300) <= 15
    with Image.open(prepared.path) as out:
        assert out.size == (708, 531)
        assert out.format == "JPEG" and out.mode == "RGB"
        assert out.info["dpi"] == (300, 300)
        assert not out.info.get("progressive")


def test_never_upsamples(tmp_path):
    path = save(Image.new("RGB", (300, 200), GREEN), tmp_path / "small.jpg")
    prepared = prepare(path, tmp_path, 216, 144)  # 3 x 2 in: 100 ppi
    assert (prepared.width, prepared.height) == (300, 200)
    assert prepared.source_ppi == prepared.output_ppi == 100


def test_crop_keeps_the_centre(tmp_path):
    image = Image.new("RGB", (400, 200), RED)
    image.paste(GREEN, (100, 0, 300, 200))
    path = save(image, tmp_path / "wide.png")
    prepared = prepare(path, tmp_path, 72, 72)  # 1 in square: 200 ppi, no resize
    assert (prepared.width, prepared.height) == (200, 200)
    with Image.open(prepared.path) as out:
        assert near(out.getpixel((3, 100)), GREEN) and near(out.getpixel((196, 100)), GREEN)


def test_without_crop_the_whole_photo_fits_the_frame(tmp_path):
    path = save(Image.new("RGB", (800, 400), GREEN), tmp_path / "wide.png")
    prepared = prepare(path, tmp_path, 72, 72, crop=False)  # shown 1 x 0.5 in
    assert (prepared.width, prepared.height) == (300, 150)
    assert prepared.source_ppi == 800 and prepared.output_ppi == 300


# --- prepare_image: orientation and colour ---------------------------------------------------

@pytest.mark.parametrize("orientation, corner", [(6, (15, 5)), (8, (5, 35))])
def test_exif_orientation_is_applied(tmp_path, orientation, corner):
    path = with_orientation(tmp_path / f"o{orientation}.jpg", orientation)
    prepared = prepare(path, tmp_path, 20, 40)  # 72 ppi: no resize
    assert prepared.orientation_fixed
    with Image.open(prepared.path) as out:
        assert out.size == (20, 40)
        assert near(out.getpixel(corner), RED)
        assert near(out.getpixel((10, 20)), BLUE)
        assert 0x0112 not in out.getexif()


def test_upright_photo_is_not_fixed(tmp_path):
    prepared = prepare(save(marked(), tmp_path / "a.jpg"), tmp_path, 40, 20)
    assert not prepared.orientation_fixed and prepared.converted_from is None


def test_cmyk_without_profile(tmp_path):
    path = save(Image.new("CMYK", (60, 40), (0, 255, 255, 0)), tmp_path / "cmyk.jpg")
    prepared = prepare(path, tmp_path, 60, 40)
    assert prepared.converted_from == "CMYK" and prepared.notes == ()
    with Image.open(prepared.path) as out:
        assert out.mode == "RGB" and near(out.getpixel((30, 20)), RED)
        assert "icc_profile" not in out.info


@pytest.mark.skipif(not CMYK_PROFILE.is_file(), reason="no CMYK ICC profile on this machine")
def test_cmyk_with_profile_becomes_srgb(tmp_path):
    path = save(Image.new("CMYK", (60, 40), (0, 255, 255, 0)), tmp_path / "cmyk.jpg",
                icc_profile=CMYK_PROFILE.read_bytes())
    prepared = prepare(path, tmp_path, 60, 40)
    with Image.open(prepared.path) as out:
        assert out.mode == "RGB"
        profile = ImageCms.ImageCmsProfile(io.BytesIO(out.info["icc_profile"]))
        assert "sRGB" in ImageCms.getProfileDescription(profile)
        red, green, blue = out.getpixel((30, 20))
        assert red > 180 and green < 90 and blue < 90


def test_unusable_profile_is_a_note(tmp_path):
    path = save(Image.new("CMYK", (60, 40), (0, 255, 255, 0)), tmp_path / "cmyk.jpg",
                icc_profile=b"not a profile" * 20)
    prepared = prepare(path, tmp_path, 60, 40)
    assert prepared.notes == (
        "embedded colour profile could not be used; colours converted without it",)


def test_rgb_with_profile_embeds_srgb(tmp_path):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = save(Image.new("RGB", (60, 40), GREEN), tmp_path / "p.jpg", icc_profile=srgb)
    prepared = prepare(path, tmp_path, 60, 40)
    assert prepared.converted_from is None
    with Image.open(prepared.path) as out:
        assert "icc_profile" in out.info and near(out.getpixel((30, 20)), GREEN)


def test_palette_with_transparency_goes_on_white(tmp_path):
    image = Image.new("P", (40, 40), 0)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(1, (20, 0, 40, 40))
    path = save(image, tmp_path / "p.png", transparency=0)
    prepared = prepare(path, tmp_path, 40, 40)
    assert prepared.converted_from == "P"
    with Image.open(prepared.path) as out:
        assert out.mode == "RGB"
        assert near(out.getpixel((5, 20)), WHITE) and near(out.getpixel((35, 20)), RED)


def test_rgba_goes_on_white(tmp_path):
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (20, 0, 40, 40))
    prepared = prepare(save(image, tmp_path / "a.png"), tmp_path, 40, 40)
    assert prepared.converted_from == "RGBA"
    with Image.open(prepared.path) as out:
        assert near(out.getpixel((5, 20)), WHITE) and near(out.getpixel((35, 20)), BLUE)


def test_gray_with_alpha_goes_on_white_and_stays_gray(tmp_path):
    image = Image.new("LA", (40, 40), (0, 0))
    image.paste((0, 255), (20, 0, 40, 40))
    prepared = prepare(save(image, tmp_path / "la.png"), tmp_path, 40, 40)
    assert prepared.converted_from == "LA"
    with Image.open(prepared.path) as out:
        assert out.mode == "L"
        assert out.getpixel((5, 20)) > 240 and out.getpixel((35, 20)) < 15


def test_sixteen_bit_gray_is_scaled_not_clipped(tmp_path):
    image = Image.new("I;16", (40, 40), 32768)
    path = save(image, tmp_path / "deep.png")
    prepared = prepare(path, tmp_path, 40, 40)
    assert prepared.converted_from == "I;16"
    with Image.open(prepared.path) as out:
        assert out.mode == "L" and abs(out.getpixel((20, 20)) - 128) <= 3


def test_gray_stays_gray(tmp_path):
    prepared = prepare(save(Image.new("L", (40, 40), 100), tmp_path / "g.jpg"), tmp_path, 40, 40)
    assert prepared.converted_from is None
    with Image.open(prepared.path) as out:
        assert out.mode == "L"


# --- prepare_image: cache -------------------------------------------------------------------

def test_second_call_is_a_cache_hit(tmp_path, monkeypatch):
    path = save(Image.new("RGB", (400, 300), GREEN), tmp_path / "a.jpg")
    first = prepare(path, tmp_path, 100, 75)
    mtime = first.path.stat().st_mtime_ns

    def no_decoding(*args, **kwargs):
        raise AssertionError("the cache hit opened an image")

    monkeypatch.setattr(images.Image, "open", no_decoding)
    assert prepare(path, tmp_path, 100.001, 75) == first
    assert first.path.stat().st_mtime_ns == mtime
    assert first.path.parent == tmp_path / "cache" and first.path.suffix == ".jpg"


def test_cache_key_follows_content_and_parameters(tmp_path):
    path = save(Image.new("RGB", (400, 300), GREEN), tmp_path / "a.jpg")
    first = prepare(path, tmp_path, 100, 75)
    assert prepare(path, tmp_path, 100, 70).path != first.path
    assert prepare(path, tmp_path, 100, 75, target_ppi=150).path != first.path
    assert prepare(path, tmp_path, 100, 75, crop=False).path != first.path
    save(Image.new("RGB", (400, 300), RED), path)
    assert prepare(path, tmp_path, 100, 75).path != first.path


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    path = save(Image.new("RGB", (400, 300), GREEN), tmp_path / "a.png")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(images.Image.Image, "save", killed)
    with pytest.raises(KeyboardInterrupt):
        prepare(path, tmp_path, 100, 75)
    assert list((tmp_path / "cache").iterdir()) == []


def test_damaged_cache_record_is_rebuilt(tmp_path):
    path = save(Image.new("RGB", (400, 300), GREEN), tmp_path / "a.jpg")
    first = prepare(path, tmp_path, 100, 75)
    first.path.with_suffix(".json").write_text("{", encoding="utf-8")
    assert prepare(path, tmp_path, 100, 75) == first


def test_bad_frame_is_a_programming_error(tmp_path):
    path = save(Image.new("RGB", (40, 30), GREEN), tmp_path / "a.jpg")
    with pytest.raises(ValueError):
        prepare(path, tmp_path, 0, 75)


def _entry_lock(photo: Path, cache: Path, width: float, height: float) -> Path:
    return cache / f".{images._cache_key(photo, (width, height), 300, True)}.lock"


def test_a_photo_another_process_is_preparing_is_busy_or_waited_for_not_prepared_twice(tmp_path, monkeypatch):
    """Two batch workers planning issues that share a photo: the one that finds the entry being
    made (its lock held) is told Busy with wait=False; with wait it takes the entry the other made,
    decoding nothing itself."""
    import fcntl
    import threading
    photo, cache = save(marked((400, 200)), tmp_path / "a.jpg"), tmp_path / "cache"
    made = prepare_image(photo, placed_width=100, placed_height=50, cache_dir=tmp_path / "elsewhere")
    lock = _entry_lock(photo, cache, 100, 50)
    cache.mkdir()
    with open(lock, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(images.Busy):
            prepare_image(photo, placed_width=100, placed_height=50, cache_dir=cache, wait=False)
        monkeypatch.setattr(images, "_render", lambda *args: pytest.fail("prepared a second time"))
        waited = []
        waiter = threading.Thread(target=lambda: waited.append(
            prepare_image(photo, placed_width=100, placed_height=50, cache_dir=cache)))
        waiter.start()
        waiter.join(0.3)
        assert waiter.is_alive() and not waited
        for suffix in (".jpg", ".json"):       # the other process stores its entry, then lets go
            (cache / made.path.with_suffix(suffix).name).write_bytes(made.path.with_suffix(suffix).read_bytes())
    waiter.join(10)
    assert [(p.path.parent, p.path.name, p.width, p.height) for p in waited] == [
        (cache, made.path.name, made.width, made.height)]
    assert sorted(p.name for p in cache.iterdir()) == sorted([made.path.name, made.path.with_suffix(".json").name])


def test_preparing_a_photo_leaves_no_lock_behind(tmp_path):
    photo, cache = save(marked((400, 200)), tmp_path / "a.jpg"), tmp_path / "cache"
    prepared = prepare_image(photo, placed_width=100, placed_height=50, cache_dir=cache, wait=False)
    assert sorted(p.name for p in cache.iterdir()) == [prepared.path.name, prepared.path.with_suffix(".json").name]
    assert not _entry_lock(photo, cache, 100, 50).exists()


def test_the_most_recent_inspections_are_kept_the_oldest_forgotten_first(tmp_path, monkeypatch):
    decoded = []
    real = images._inspect
    monkeypatch.setattr(images, "_inspect", lambda path: decoded.append(path.name) or real(path))
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(images, "INSPECTIONS_KEPT", 2)
    forget_in_process()
    photos = [save(marked((64 + 8 * n, 48)), tmp_path / f"{n}.jpg", quality=90) for n in range(3)]
    for photo in photos[:2]:
        inspect_image(photo)
    kept = json.loads((tmp_path / "cache" / "inspections.json").read_text(encoding="utf-8"))["photos"]
    assert [width for width, *_ in kept.values()] == [64, 72]                   # as many as kept: both
    inspect_image(photos[2])
    kept = json.loads((tmp_path / "cache" / "inspections.json").read_text(encoding="utf-8"))["photos"]
    assert [width for width, *_ in kept.values()] == [72, 80]
    forget_in_process()
    assert [inspect_image(photo).width for photo in (photos[1], photos[2], photos[0])] == [72, 80, 64]
    assert decoded == ["0.jpg", "1.jpg", "2.jpg", "0.jpg"]


def test_a_cache_that_cannot_be_written_only_costs_decoding_again(tmp_path, monkeypatch):
    (tmp_path / "cache").write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    forget_in_process()
    photo = save(marked((64, 48)), tmp_path / "a.jpg", quality=90)
    assert inspect_image(photo) == ImageInfo(64, 48, "RGB", "JPEG", None, False)


def test_an_entry_key_is_the_photo_the_frame_the_resolution_the_crop_and_the_focus():
    key = images.entry_key(SHA_A, (100.0, 50.0), 300)
    assert key == images.entry_key(SHA_A, (100.001, 49.999), 300, True, None, None) and len(key) == 64
    others = [images.entry_key(SHA_B, (100.0, 50.0), 300), images.entry_key(SHA_A, (100.02, 50.0), 300),
              images.entry_key(SHA_A, (100.0, 50.02), 300), images.entry_key(SHA_A, (50.0, 100.0), 300),
              images.entry_key(SHA_A, (100.0, 50.0), 200), images.entry_key(SHA_A, (100.0, 50.0), 300, False),
              images.entry_key(SHA_A, (100.0, 50.0), 300, True, (0.5, 0.5)),
              images.entry_key(SHA_A, (100.0, 50.0), 300, True, (0.2, 0.5)),
              images.entry_key(SHA_A, (100.0, 50.0), 300, True, None, (0.0, 0.0, 0.5, 0.5)),
              images.entry_key(SHA_A, (100.0, 50.0), 300, True, (0.5, 0.5), (0.0, 0.0, 0.5, 0.5))]
    assert len({key, *others}) == 1 + len(others)
    params = f"100.00x50.00pt|300ppi|crop=True|v{images.PREPARE_VERSION}"
    assert key == hashlib.sha256(f"{SHA_A}|{params}".encode()).hexdigest()   # the keys of caches already filled
    focused = hashlib.sha256(f"{SHA_A}|{params}|focus=(0.5, 0.5)|region=None".encode()).hexdigest()
    assert others[6] == focused


def test_a_cached_entry_is_the_prepared_photo_once_its_record_is_written(tmp_path):
    photo = save(marked((400, 200)), tmp_path / "a.jpg", quality=90)
    prepared = prepare(photo, tmp_path, 72, 36, target_ppi=100)
    key = prepared.path.stem
    assert images.cached_entry(key, tmp_path / "cache") == prepared
    assert images.cached_entry(key, str(tmp_path / "cache")) == prepared
    assert images.cached_entry("0" * 64, tmp_path / "cache") is None
    (tmp_path / "cache" / f"{key}.json").unlink()
    assert images.cached_entry(key, tmp_path / "cache") is None
