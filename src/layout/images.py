"""Image preparation stage: photos checked and prepared with Pillow before WeasyPrint sees them.

Sits between the validated model and the HTML.  `inspect_image` checks that a figure's file is
a photo we can print (readable, a supported format, not a decompression bomb) and reports its
size after EXIF orientation.  `prepare_image` turns it into what the page needs: upright,
RGB (or grayscale) JPEG, cropped to the frame, downsampled to the target resolution, cached by
content so a second run does no image work at all.

Bad photos are content errors: they raise `ImageProblem` with an editor-readable message that
does not repeat the path (also kept as `.path`); the caller adds the place and the path as the
editor wrote it (`issue.yaml:14: pages[0]...image: 'img/x.jpg': not a readable image: ...`).

Cost of the corruption check in `inspect_image`: `Image.open` reads only the header; to catch
truncated or damaged files we decode once.  JPEGs (nearly all photos) are decoded in libjpeg's
draft mode at 1/8 scale, i.e. 1/64 of the pixels (a few ms for a 4000 px photo instead of
~0.1 s); PNG, TIFF and WebP have no cheap reduced decode and are decoded in full.
`Image.verify()` is not used: it checks only PNG chunk checksums and does nothing for JPEG.
What a check found is remembered by the photo's content in the cache (`inspections.json`), so
the next process decodes only photos it has not seen.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import math
import os
import re
import struct
import tempfile
import warnings
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageFile, ImageOps

from .cache_limit import touch
from .files import FileIdentity, FileProblem, check_regular, identity

# Pillow's own decompression-bomb guard stays on (its default limit is ~89 megapixels); ours is
# lower, checked on the header size before any pixel is decoded, and reports the dimensions.
# A header over twice Pillow's limit is refused by Pillow itself: then only megapixels are known.
MAX_PIXELS = 60_000_000
#: A photo file's size limit: a 60-megapixel RGB TIFF at 16 bits a sample, uncompressed, is 360 MB.
MAX_IMAGE_BYTES = 400_000_000
# Bump when the output of prepare_image changes, so old cache entries are not reused.
PREPARE_VERSION = 3
JPEG_QUALITY = 70          # newsprint (85-100 lpi) hides q70 artefacts; q85 files are 1.5x larger

SUPPORTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "TIFF": "TIFF", "WEBP": "WebP"}
_ORIENTATION_TAG = 0x0112
_SWAPPING_ORIENTATIONS = {5, 6, 7, 8}
_GRAY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
_SIXTEEN_BIT_MODES = {"I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error,
                  zlib.error)
_POINTS_PER_INCH = 72.0


class ImageProblem(Exception):
    """A photo that cannot be used, with a message an editor can act on."""

    def __init__(self, message: str, path: Path | None = None):
        super().__init__(message)
        self.message = message
        self.path = path


@dataclass(frozen=True)
class ImageInfo:
    """What the header says about a photo; width and height are after EXIF orientation."""

    width: int
    height: int
    mode: str
    format: str
    orientation: int | None
    has_icc_profile: bool


@dataclass(frozen=True)
class PreparedImage:
    """A photo prepared for one frame: the cached JPEG and how it was made.

    `source_ppi` is the source's effective resolution at the placed size (lower of x and y);
    `output_ppi` that of the prepared file.  `notes` lists anything done in a degraded way
    (e.g. an unreadable ICC profile), for the preflight report.
    """

    path: Path
    width: int
    height: int
    source_width: int
    source_height: int
    source_ppi: float
    output_ppi: float
    orientation_fixed: bool
    converted_from: str | None
    notes: tuple[str, ...] = ()


# --- opening, with the guards ------------------------------------------------------------

def _limit() -> str:
    return f"(limit {MAX_PIXELS / 1_000_000:g} megapixels)"


def _too_large(width: int, height: int, path: Path) -> ImageProblem:
    return ImageProblem(f"image is too large to open safely: {width}x{height} pixels {_limit()}",
                        path)


def _bomb_from_pillow(error: Exception, path: Path) -> ImageProblem:
    """Pillow refused the header outright (over twice its own limit): no dimensions known."""
    found = re.search(r"\((\d+) pixels\)", str(error))
    pixels = f"{int(found.group(1)) / 1_000_000:g} megapixels" if found else "too many pixels"
    return ImageProblem(f"image is too large to open safely: {pixels} {_limit()}", path)


def _check_file(path: Path) -> None:
    """A regular file (a link is followed and its target checked) of at most MAX_IMAGE_BYTES."""
    try:
        real = check_regular(path)
    except FileProblem as problem:
        raise ImageProblem(problem.message, path) from None
    if real.stat().st_size > MAX_IMAGE_BYTES:
        raise ImageProblem(f"photo file is over {MAX_IMAGE_BYTES:,} bytes; at most "
                           f"{MAX_IMAGE_BYTES:,} are accepted", path)


def _pass_on_other_warnings(caught: list[warnings.WarningMessage]) -> bool:
    """Re-issue the warnings that are not about bombs; True if one was about a bomb."""
    bomb = False
    for caught_warning in caught:
        if issubclass(caught_warning.category, Image.DecompressionBombWarning):
            bomb = True
        else:
            warnings.warn_explicit(caught_warning.message, caught_warning.category,
                                   caught_warning.filename, caught_warning.lineno)
    return bomb


def _open_checked(path: Path) -> Image.Image:
    """Open the header only; refuse missing files, non-images, other formats and bombs."""
    _check_file(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", Image.DecompressionBombWarning)
        try:
            im = Image.open(path)
        except Image.DecompressionBombError as error:
            raise _bomb_from_pillow(error, path) from None
        except _DECODE_ERRORS:
            raise ImageProblem("not a readable image: unknown or damaged file",
                               path) from None
    bomb = _pass_on_other_warnings(caught)
    if bomb or im.width * im.height > MAX_PIXELS:
        im.close()
        raise _too_large(im.width, im.height, path)
    if im.format not in SUPPORTED_FORMATS:
        im.close()
        raise ImageProblem(f"unsupported image format {im.format}: use JPEG, PNG, TIFF or WebP",
                           path)
    return im


@contextlib.contextmanager
def _strict_decoding():
    """WeasyPrint sets Pillow's global LOAD_TRUNCATED_IMAGES on import, which lets a cut-off
    photo through with a grey bottom: turn it off while we read images ourselves."""
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _decode(im: Image.Image, path: Path) -> None:
    """Decode the pixels (whatever draft was set), turning damage into ImageProblem."""
    try:
        im.load()
    except _DECODE_ERRORS:
        raise ImageProblem("not a readable image: image data is truncated or damaged",
                           path) from None


def _orientation(im: Image.Image) -> int | None:
    try:
        value = im.getexif().get(_ORIENTATION_TAG)
    except _DECODE_ERRORS:
        return None
    return value if isinstance(value, int) and 1 <= value <= 8 else None


def upright_size(path: Path) -> tuple[int, int]:
    """Width and height as the photo will stand (EXIF orientation applied), from the header only.

    Cached by the file's identity (`files.identity`): page layout asks for it many times."""
    return _header_size(identity(path))


@functools.lru_cache(maxsize=1024)
def _header_size(file: FileIdentity) -> tuple[int, int]:
    with _open_checked(Path(file.path)) as im:
        width, height = im.size
        return (height, width) if _orientation(im) in _SWAPPING_ORIENTATIONS else (width, height)


def inspect_image(path: Path) -> ImageInfo:
    """Check that `path` is a printable photo and describe it, decoding as little as possible.

    Cached by the file's identity (`files.identity`: device, inode, size, modification time),
    so a warm re-render does not decode again, nor does a batch worker for each issue's hard
    link to one photo in its store."""
    path = Path(path)
    try:
        file = identity(path)
    except OSError:
        return _inspect(path)
    return _inspect_cached(file)


@functools.lru_cache(maxsize=1024)
def _inspect_cached(file: FileIdentity) -> ImageInfo:
    return _inspect_remembered(Path(file.path))


#: inspections remembered across processes, by the photo's content, in `<cache>/inspections.json`
INSPECTIONS_FILE = "inspections.json"
INSPECTIONS_KEPT = 20_000      # the most recent; about 100 bytes each
INSPECT_VERSION = 1            # bump when what `_inspect` checks or says changes


def _inspect_remembered(path: Path) -> ImageInfo:
    """`_inspect`, unless a photo with the same bytes was inspected before with this cache: a
    cold process (`layout render` after a correction, `layout check`, a batch worker) then
    decodes none of the photos it has seen (0.22 s for the sample's 13). A photo that fails is
    never remembered: its problem is found again."""
    from .pagerender.keys import env_cache_dir, file_digest
    _check_file(path)                   # a regular file of bounded size, before reading it all
    folder = env_cache_dir().resolve()
    known = _known_inspections(folder)
    sha = file_digest(path)
    remembered = _remembered(known.get(sha))
    if remembered is not None:
        return remembered
    info = _inspect(path)
    known[sha] = list(asdict(info).values())
    while len(known) > INSPECTIONS_KEPT:
        del known[next(iter(known))]
    _save_inspections(folder, known)
    return info


@functools.lru_cache(maxsize=8)
def _known_inspections(folder: Path) -> dict[str, list]:
    try:
        data = json.loads((folder / INSPECTIONS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    photos = data.get("photos") if isinstance(data, dict) and data.get("version") == INSPECT_VERSION else None
    return photos if isinstance(photos, dict) else {}


#: the types of ImageInfo's fields, as remembered in JSON
_REMEMBERED_TYPES = (int, int, str, str, (int, type(None)), bool)


def _remembered(entry) -> ImageInfo | None:
    """A remembered inspection, if it reads right (ImageInfo's six fields, of their types)."""
    if isinstance(entry, list) and len(entry) == len(_REMEMBERED_TYPES) \
            and all(isinstance(value, kind) for value, kind in zip(entry, _REMEMBERED_TYPES)):
        return ImageInfo(*entry)
    return None


def _save_inspections(folder: Path, known: dict[str, list]) -> None:
    from .render import write_quietly
    write_quietly(folder / INSPECTIONS_FILE, json.dumps({"version": INSPECT_VERSION, "photos": known}))


def _inspect(path: Path) -> ImageInfo:
    with _strict_decoding(), _open_checked(path) as im:
        orientation = _orientation(im)
        width, height = im.size
        if orientation in _SWAPPING_ORIENTATIONS:
            width, height = height, width
        info = ImageInfo(width, height, im.mode, SUPPORTED_FORMATS[im.format], orientation,
                         bool(im.info.get("icc_profile")))
        if im.format in ("JPEG", "MPO"):
            im.draft(None, (max(1, im.width // 8), max(1, im.height // 8)))
        _decode(im, path)
    return info


# --- colour ------------------------------------------------------------------------------

def _flatten_alpha(im: Image.Image) -> Image.Image:
    """Composite a transparent image on white paper."""
    rgba = im.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(paper, rgba).convert("RGB")


def _has_alpha(im: Image.Image) -> bool:
    return "A" in im.getbands() or "transparency" in im.info


def sample_range(im: Image.Image) -> float:
    """The sample value that stands for white in a 16-bit, 32-bit integer or float image
    (Pillow modes I;16, I and F): 65535 for 16 bits; for 32-bit integer TIFFs 2**31 - 1 or
    2**32 - 1, by their sample format (signed or not); 65535 for a 16-bit PNG Pillow opens as
    mode I; 1.0 for floats, or their maximum when it is higher (a float TIFF saved as 0-255).
    Asked of the opened file: a cropped copy no longer has the TIFF's tags."""
    if im.mode == "F":
        return max(1.0, float(im.getextrema()[1]))
    tags = getattr(im, "tag_v2", None)
    if im.mode != "I" or tags is None or (tags.get(258) or (32,))[0] != 32:
        return 65535.0
    return float(2 ** 31 - 1) if (tags.get(339) or (1,))[0] == 2 else float(2 ** 32 - 1)


def _to_gray(im: Image.Image, white: float) -> Image.Image:
    if im.mode in _SIXTEEN_BIT_MODES:
        samples = im if im.mode == "F" else im.convert("F")
        return samples.point(lambda v: v * (255 / white)).convert("L")
    if _has_alpha(im):
        return _flatten_alpha(im).convert("L")
    return im.convert("L")


def _with_profile(im: Image.Image, icc: bytes) -> tuple[Image.Image, str | None]:
    """Convert to sRGB through the embedded profile; fall back to a plain conversion."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(im, source, srgb, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        note = "embedded colour profile could not be used; colours converted without it"
        return im.convert("RGB"), note
    return converted, None


def _to_output_colour(im: Image.Image, icc: bytes | None, white: float = 65535.0
                      ) -> tuple[Image.Image, bool, str | None]:
    """RGB (or L for grayscale) pixels; returns (image, embed sRGB profile, note).
    `white` is the sample value of white in a 16-bit, 32-bit or float image (`sample_range`)."""
    if im.mode == "L":
        return im, False, None
    if im.mode in _GRAY_MODES:
        return _to_gray(im, white), False, None
    if _has_alpha(im) or im.mode == "P":
        im = _flatten_alpha(im) if _has_alpha(im) else im.convert("RGB")
    if icc and im.mode in ("RGB", "CMYK"):
        converted, note = _with_profile(im, icc)
        return converted, note is None, note
    return (im if im.mode == "RGB" else im.convert("RGB")), False, None


# --- geometry ----------------------------------------------------------------------------

def _cover_box(size: tuple[int, int], aspect: float, focus: tuple[float, float] = (0.5, 0.5)
               ) -> tuple[int, int, int, int]:
    """The box of `size` with the frame's aspect ratio (object-fit: cover), centred on `focus`
    (fractions of the size; the middle by default) as far as the picture allows."""
    width, height = size
    if width / height > aspect:
        new_width = max(1, round(height * aspect))
        left = min(max(0, round(focus[0] * width - new_width / 2)), width - new_width)
        return left, 0, left + new_width, height
    new_height = max(1, round(width / aspect))
    top = min(max(0, round(focus[1] * height - new_height / 2)), height - new_height)
    return 0, top, width, top + new_height


def _region_box(size: tuple[int, int], region) -> tuple[int, int, int, int]:
    """The pixels of an editor's exact crop [x0, y0, x1, y1] (fractions), or the whole picture."""
    if region is None:
        return 0, 0, *size
    x0, y0, x1, y1 = region
    left, top = round(x0 * size[0]), round(y0 * size[1])
    return left, top, max(left + 1, round(x1 * size[0])), max(top + 1, round(y1 * size[1]))


def _shown_size(size: tuple[int, int], placed: tuple[float, float], crop: bool
                ) -> tuple[float, float]:
    """Size in pt at which the (cropped or whole) image is shown inside the frame."""
    if crop:
        return placed
    scale = min(placed[0] / size[0], placed[1] / size[1])
    return size[0] * scale, size[1] * scale


def effective_ppi(width_px: int, height_px: int, frame_w_pt: float, frame_h_pt: float) -> float:
    """Pixels per inch of a photo cropped to fill a frame of the given size."""
    return min(width_px * _POINTS_PER_INCH / frame_w_pt, height_px * _POINTS_PER_INCH / frame_h_pt)


def _ppi(size: tuple[int, int], shown: tuple[float, float]) -> float:
    return effective_ppi(*size, *shown)


def _target_size(size: tuple[int, int], shown: tuple[float, float], target_ppi: int
                 ) -> tuple[int, int]:
    """Pixel size giving `target_ppi` at the shown size; never larger than `size`."""
    scale = target_ppi / _ppi(size, shown)
    if scale >= 1:
        return size
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


# --- the prepared file and its cache -------------------------------------------------------

def _cache_key(path: Path, placed: tuple[float, float], target_ppi: int, crop: bool,
               focus=None, region=None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            if source.tell() > MAX_IMAGE_BYTES:   # the file grew since it was checked
                raise ImageProblem(f"photo file is over {MAX_IMAGE_BYTES:,} bytes", path)
    return entry_key(digest.hexdigest(), placed, target_ppi, crop, focus, region)


def entry_key(sha: str, placed: tuple[float, float], target_ppi: int, crop: bool = True,
              focus=None, region=None) -> str:
    """The cache key of the photo whose bytes hash to `sha` (SHA-256) prepared for a frame
    (`placed`: width, height in pt, rounded to 2 places)."""
    params = f"{placed[0]:.2f}x{placed[1]:.2f}pt|{target_ppi}ppi|crop={crop}|v{PREPARE_VERSION}"
    if focus is not None or region is not None:
        params += f"|focus={focus}|region={region}"
    return hashlib.sha256(f"{sha}|{params}".encode()).hexdigest()


def cached_entry(key: str, cache_dir: Path) -> PreparedImage | None:
    """The complete cache entry of `key` in `cache_dir`, if there is one."""
    return _cached(Path(cache_dir) / f"{key}.jpg", Path(cache_dir) / f"{key}.json")


def _write_atomically(target: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename it into place."""
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            write(temp)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _cached(jpeg: Path, record: Path) -> PreparedImage | None:
    """The cache entry if complete: the record is written last, after the JPEG."""
    if not (jpeg.is_file() and record.is_file()):
        return None
    try:
        fields = json.loads(record.read_text(encoding="utf-8"))
        fields["notes"] = tuple(fields["notes"])
        prepared = PreparedImage(path=jpeg, **fields)
    except (ValueError, TypeError, KeyError):
        return None
    touch(record)                         # used now: the cache is trimmed by last use
    return prepared


def _store(image: Image.Image, prepared: PreparedImage, embed_srgb: bool, record: Path) -> None:
    options = {"quality": JPEG_QUALITY, "subsampling": "4:2:0", "progressive": False,
               "optimize": True, "dpi": (round(prepared.output_ppi),) * 2}
    if embed_srgb:
        options["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    _write_atomically(prepared.path, lambda out: image.save(out, "JPEG", **options))
    fields = asdict(prepared)
    del fields["path"]
    data = json.dumps(fields, ensure_ascii=False, indent=1).encode("utf-8")
    _write_atomically(record, lambda out: out.write(data))


def _draft_for(im: Image.Image, source_ppi: float, target_ppi: int) -> None:
    """Let libjpeg decode a JPEG at 1/2, 1/4 or 1/8 scale when that still leaves at least
    twice the pixels needed; LANCZOS then does the final, exact downsampling."""
    factor = 2 * target_ppi / source_ppi
    if im.format in ("JPEG", "MPO") and factor < 0.5:
        im.draft(im.mode, (math.ceil(im.width * factor), math.ceil(im.height * factor)))


def _render(im: Image.Image, path: Path, placed: tuple[float, float], target_ppi: int,
            crop: bool, focus=None, region=None) -> tuple[Image.Image, dict]:
    """Upright, cropped, colour-converted and downsampled pixels, and how they were made."""
    source_mode, icc = im.mode, im.info.get("icc_profile")
    upright_size = _upright_size(im.size, _orientation(im))
    kept = _region_box(upright_size, region)
    centre = _focus_in(focus, kept, upright_size)
    kept_size = (kept[2] - kept[0], kept[3] - kept[1])
    box = _cover_box(kept_size, placed[0] / placed[1], centre) if crop else (0, 0, *kept_size)
    box_size = (box[2] - box[0], box[3] - box[1])
    shown = _shown_size(box_size, placed, crop)
    source_ppi = _ppi(box_size, shown)
    _draft_for(im, source_ppi, target_ppi)
    _decode(im, path)
    white = sample_range(im) if im.mode in _SIXTEEN_BIT_MODES else 255.0
    upright = ImageOps.exif_transpose(im)
    if region is not None:
        upright = upright.crop(_region_box(upright.size, region))
    if crop:
        upright = upright.crop(_cover_box(upright.size, placed[0] / placed[1], centre))
    try:
        coloured, embed_srgb, note = _to_output_colour(upright, icc, white)
    except ValueError:
        raise ImageProblem(f"unsupported colour mode {source_mode}: use RGB, CMYK or grayscale",
                           path) from None
    size = _target_size(coloured.size, shown, target_ppi)
    if size != coloured.size:
        coloured = coloured.resize(size, Image.Resampling.LANCZOS)
    facts = {
        "source_ppi": round(source_ppi, 1), "output_ppi": round(_ppi(coloured.size, shown), 1),
        "converted_from": None if source_mode in ("RGB", "L") else source_mode,
        "notes": (note,) if note else (), "embed_srgb": embed_srgb,
    }
    return coloured, facts


def _focus_in(focus, kept: tuple[int, int, int, int], size: tuple[int, int]) -> tuple[float, float]:
    """A focus given in fractions of the whole picture, in fractions of the kept box."""
    if focus is None:
        return 0.5, 0.5
    return ((focus[0] * size[0] - kept[0]) / (kept[2] - kept[0]),
            (focus[1] * size[1] - kept[1]) / (kept[3] - kept[1]))


def prepare_image(path: Path, *, placed_width: float, placed_height: float,
                  target_ppi: int = 300, cache_dir: Path, crop: bool = True,
                  focus: tuple[float, float] | None = None,
                  region: tuple[float, float, float, float] | None = None, wait: bool = True) -> PreparedImage:
    """Prepare a photo for a frame of `placed_width` x `placed_height` pt, through the cache.

    With `crop` the photo fills the frame (object-fit: cover, centred on `focus`, fractions of the
    picture, or on its middle); `region` [x0, y0, x1, y1] is an exact crop taken first. Without
    `crop` the whole photo is kept and fits inside the frame.  The result is never upsampled.  The cache entry is
    `cache_dir/<key>.jpg` plus `<key>.json` (the other fields), each written atomically, the
    record last; a hit hashes the source bytes but opens no image. An entry another process is
    making now is waited for (`_making`), or with `wait=False` left to it: raises `Busy`.
    """
    if placed_width <= 0 or placed_height <= 0 or target_ppi <= 0:
        raise ValueError(f"placed size and target_ppi must be positive, got "
                         f"{placed_width}x{placed_height} pt at {target_ppi} ppi")
    path, cache_dir = Path(path), Path(cache_dir)
    placed = (round(placed_width, 2), round(placed_height, 2))
    _check_file(path)
    try:
        key = _cache_key(path, placed, target_ppi, crop, focus, region)
    except OSError as error:
        raise ImageProblem(f"not a readable image: {error.strerror}", path) from None
    jpeg, record = cache_dir / f"{key}.jpg", cache_dir / f"{key}.json"
    hit = _cached(jpeg, record)
    if hit is not None:
        return hit
    with _making(cache_dir / f".{key}.lock", wait, path):
        hit = _cached(jpeg, record)       # made by the process that held the lock
        if hit is not None:
            return hit
        with _strict_decoding(), _open_checked(path) as im:
            orientation = _orientation(im)
            source_size = _upright_size(im.size, orientation)
            pixels, facts = _render(im, path, placed, target_ppi, crop, focus, region)
        embed_srgb = facts.pop("embed_srgb")
        prepared = PreparedImage(jpeg, pixels.width, pixels.height, *source_size,
                                 orientation_fixed=orientation not in (None, 1), **facts)
        cache_dir.mkdir(parents=True, exist_ok=True)
        _store(pixels, prepared, embed_srgb, record)
    return prepared


class Busy(Exception):
    """Another process is making this cache entry now (`prepare_image(wait=False)`)."""


@contextlib.contextmanager
def _making(lock: Path, wait: bool, path: Path):
    """Hold an exclusive lock on `lock` while a cache entry is made, so that processes needing
    the same prepared photo at once (two issues sharing it, planned by two batch workers) make it
    once. Only a saving: entries are written atomically and looked up again under the lock, so a
    lock that cannot be taken (a read-only cache) or is lost is no error."""
    import fcntl
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock, "a")   # noqa: SIM115 - closed below, after the unlink
    except OSError:
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise Busy(path) from None
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)      # while held: a waiter then finds the entry made


def _upright_size(size: tuple[int, int], orientation: int | None) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in _SWAPPING_ORIENTATIONS else size
