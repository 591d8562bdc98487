"""Page render stage: the cache key of one page.

A page's key is a SHA-256 over everything that can change its PDF: the page's own HTML (its
content, its plan's positions, the theme's CSS, the folio), the bytes of every local file that
HTML names (prepared photos, dropped-in fonts, colour profiles), the font files the theme's roles
resolved to through fontconfig, the write options, and the versions of layout and WeasyPrint.

The key does not depend on where a file lies: each local `file:` URL of the HTML is replaced by
the SHA-256 of that file's bytes before the HTML is hashed, and font files count by their bytes
only. So `layout render` and `layout batch` (whose workers name files by their place in a store
of their own, `file:///layout-inputs/...`) give one page the same key and share cached pages.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..files import FileIdentity, identity, sha256_of

CACHE_FORMAT = "layout-page-2"
LARGE_FILE = 1 << 22
FILE_URL = re.compile(r"""file://[^"'()\s<>]+""")


def page_key(html: str, *, fonts: list[Path], options: dict | None = None, digest=None) -> str:
    """The cache key of the page whose complete HTML is `html` (`digest(path)`: a file's hash,
    by default of the file at that path)."""
    digest_of = digest or file_digest
    located = FILE_URL.sub(lambda url: f"sha256:{digest_of(_path_of(url.group(0)))}", html)
    key = hashlib.sha256()
    for part in (CACHE_FORMAT, _versions(), json.dumps(options or {}, sort_keys=True, default=str), located,
                 *sorted({digest_of(path) for path in fonts})):
        key.update(part.encode())
        key.update(b"\0")
    return key.hexdigest()


def named_files(html: str) -> list[Path]:
    """Every local file a page's HTML refers to by `file:` URL."""
    return [_path_of(url) for url in set(FILE_URL.findall(html))]


def _path_of(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, remembered per file identity (`files.identity`: device,
    inode, size, modification time) for this process: hard links to one file are hashed once."""
    try:
        file = identity(path)
    except OSError:
        return "missing"
    return _digest(file)


@functools.lru_cache(maxsize=512)
def _digest(file: FileIdentity) -> str:
    """Large files (fonts) are remembered across runs in `<cache>/digests.json`, by path, size,
    modification time and inode."""
    stamp = f"{file.path}|{file.size}|{file.mtime_ns}|{file.inode}"
    known = _known_digests()
    if stamp in known:
        return known[stamp]
    value = sha256_of(file.path)
    if file.size >= LARGE_FILE:
        known[stamp] = value
        _save_digests(known)
    return value




@functools.cache
def _known_digests() -> dict[str, str]:
    try:
        return json.loads((env_cache_dir() / "digests.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_digests(known: dict[str, str]) -> None:
    from ..render import write_quietly
    write_quietly(env_cache_dir() / "digests.json", json.dumps(known))


@functools.cache
def _versions() -> str:
    from importlib.metadata import version
    return f"layout {version('layout')}; weasyprint {version('weasyprint')}; pikepdf {version('pikepdf')}"


def issue_key(page_keys: list[str]) -> str:
    """The key of a whole issue PDF: its pages' keys in order."""
    return hashlib.sha256("\n".join([CACHE_FORMAT, *page_keys]).encode()).hexdigest()


def env_cache_dir() -> Path:
    return Path(os.environ.get("LAYOUT_CACHE", Path.home() / ".cache" / "layout"))
