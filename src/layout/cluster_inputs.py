"""Batch stage, data on a cluster: an issue's inputs travel as content-addressed bytes.

A worker may be on another machine and may not see the client's files. The client lists an
issue's inputs as three trees of {relative path: SHA-256}: every file of the issue folder
(`issue.yaml`, photos; hidden entries left out), the theme's folder, and the dropped-in fonts
(`fonts/`). It sends each distinct file's bytes once per batch, as the task `input-<sha256>`: a
photo two issues share, or the theme every issue uses, is sent once.

A worker writes the bytes it is given into its private store (`<worker dir>/layout-store`,
`blobs/<sha256>`, each hash written once) and builds each tree there from hard links, as
`trees/<tree id>/...` (the id is the hash of the tree's listing). Issues are planned and pages
rendered from these copies, never from the client's paths; the theme and fonts a task uses are
those of its trees (`installed`).

A page's HTML names files by absolute `file:` URL. In a page task's job those leading into the
store are written `file:///layout-inputs/...` and those into the planning worker's cache (its
prepared photos) `file:///layout-cache/...`; the page key is computed on that form with the
files' hashes, so it does not depend on which worker planned the page, and any worker renders
it after placing the files the page names (`RemoteJob.files`) in its own store.

The embedded cluster's workers run on this machine and can read its files: there an input task
carries a `LocalFile` (the file's path) instead of its bytes, and the worker copies the file
into its store, checking that the copy still has the hash the client read (`put_blob`). The
trees, the store and the tasks are the same; only what travels differs (`by_reference`).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .files import sha256_of

INPUTS, CACHE = "/layout-inputs", "/layout-cache"
LINK = "link:"

#: hashes whose bytes this process wrote into its store (the tests read it on the workers)
RECEIVED: Counter = Counter()


@dataclass(frozen=True)
class Tree:
    """A folder as {relative path: sha256}; a link that leads nowhere or out of the folder is
    kept as `link:<target>` (the worker's checks then see what the client's would)."""

    files: tuple[tuple[str, str], ...]

    @property
    def id(self) -> str:
        return hashlib.sha256(json.dumps(self.files).encode()).hexdigest()[:32]

    def hashes(self) -> set[str]:
        return {sha for _, sha in self.files if not sha.startswith(LINK)}


@dataclass(frozen=True)
class IssueInputs:
    """An issue's three trees, and the client's paths their findings are shown with."""

    issue: Tree
    theme: Tree
    theme_name: str
    fonts: Tree
    shown: dict[str, str]            # tree kind -> the client's folder ("issue", "templates", "fonts")

    def hashes(self) -> set[str]:
        return self.issue.hashes() | self.theme.hashes() | self.fonts.hashes()


@dataclass(frozen=True)
class LocalFile:
    """A file of the client's machine that the workers can read (the embedded cluster's): sent
    in place of its bytes. `size` is what a worker copies."""

    path: str
    size: int


def payload(path: Path, by_reference: bool) -> bytes | LocalFile:
    """What an input task carries for the file at `path`: its bytes, or a reference to it."""
    return LocalFile(str(path.resolve()), path.stat().st_size) if by_reference else path.read_bytes()


@dataclass(frozen=True)
class RemoteJob:
    """A page job whose paths are written in the store-neutral form, with the files it names."""

    job: object                      # chunk.PageJob: html, base_url and roots in neutral form
    files: dict[str, str] = field(default_factory=dict)   # neutral path -> sha256
    fonts_dir: str = ""              # neutral path of the fonts tree (check_fonts resolves there)

    @property
    def key(self) -> str:
        return self.job.key

    @property
    def number(self) -> int:
        return self.job.number

    @property
    def html(self) -> str:
        return self.job.html


# --- the client: read the inputs -----------------------------------------------------------

def read_inputs(folder: Path, theme_name: str, blobs: dict, by_reference: bool = False) -> IssueInputs:
    """The issue's trees; every file's bytes (`by_reference`: a `LocalFile`) are added to
    `blobs` (by hash). The templates tree holds the issue's theme folder and every other theme's
    `theme.yaml` (an unknown theme's error lists them)."""
    from . import theme as themes
    from .pipeline import _relative
    templates, fonts_dir = themes.TEMPLATES_DIR, themes.FONTS_DIR
    name = theme_name or themes.DEFAULT_THEME
    themes_known = [f"{p.name}/theme.yaml" for p in sorted(templates.iterdir()) if (p / "theme.yaml").is_file()] \
        if templates.is_dir() else []
    theme_files = [f"{name}/{p}" for p in _listing(templates / name)] if f"{name}/theme.yaml" in themes_known else []
    fonts = [p for p in _listing(fonts_dir) if "/" not in p and Path(p).suffix.lower() in _font_suffixes()]
    return IssueInputs(tree_of(folder, blobs, by_reference=by_reference),
                       tree_of(templates, blobs, sorted({*themes_known, *theme_files}), by_reference),
                       name, tree_of(fonts_dir, blobs, fonts, by_reference),
                       {"issue": str(_relative(folder)), "templates": str(templates), "fonts": str(fonts_dir)})


def _font_suffixes() -> set[str]:
    from .fonts import FONT_SUFFIXES
    return {s.lower() for s in FONT_SUFFIXES}


def tree_of(folder: Path, blobs: dict, names: list[str] | None = None, by_reference: bool = False) -> Tree:
    """`folder`'s files (or only `names` in it) as a Tree; their bytes (`by_reference`: a
    `LocalFile`) go into `blobs`, once a hash."""
    files = []
    for name in _listing(folder) if names is None else names:
        path = folder / name
        inside = path.is_file() and path.resolve().is_relative_to(folder.resolve())
        if path.is_symlink() and not inside:
            files.append((name, LINK + os.readlink(path)))
        elif inside:
            files.append((name, _blob(path, blobs, by_reference)))
    return Tree(tuple(sorted(files)))


def _blob(path: Path, blobs: dict, by_reference: bool) -> str:
    """The hash of the file at `path`, its bytes (or a reference to it) added to `blobs` if no
    other file had them: a photo every county edition shares is read once, its copies only
    hashed (remembered by the page keys' `file_digest`, across runs for large files), never
    held twice in memory."""
    from .pagerender.keys import file_digest
    sha = file_digest(path)
    if sha not in blobs:
        if by_reference:                         # the worker checks its copy against `sha`
            blobs[sha] = payload(path, True)
        else:
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()         # what is sent, even if the file just changed
            blobs[sha] = data
    return sha


def _listing(folder: Path) -> list[str]:
    """Relative paths of the entries of `folder` that are not folders, hidden ones left out."""
    if not folder.is_dir():
        return []
    found = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [str(Path(top, f).relative_to(folder)) for f in files if not f.startswith(".")]
    return sorted(found)


# --- the worker: its store ------------------------------------------------------------------

def held(data: bytes | LocalFile) -> bytes | LocalFile:
    """The task that holds a file's bytes (or a reference to it) on the cluster (its argument)."""
    return data


_STORE: list[Path] = []


def store() -> Path:
    """This worker's private folder for inputs (in the Dask worker's own local directory)."""
    if not _STORE:
        try:
            from distributed import get_worker
            base = Path(get_worker().local_directory)
        except (ImportError, ValueError):
            base = Path(tempfile.mkdtemp(prefix="layout-worker-"))
        _STORE.append((base / "layout-store").resolve())
    return _STORE[0]


def put_blob(sha: str, data: bytes | LocalFile) -> Path:
    """`blobs/<sha>` in the store, written (once) from `data` (or copied from the file it
    names), which must have that hash."""
    path = store() / "blobs" / sha
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{sha}.{os.getpid()}")
        if isinstance(data, LocalFile):
            shutil.copyfile(data.path, temporary)
            found = sha256_of(temporary)
            what = f"{data.path} changed while the batch read it"
        else:
            temporary.write_bytes(data)
            found, what = hashlib.sha256(data).hexdigest(), "the bytes received do not have this hash"
        if found != sha:
            temporary.unlink()
            raise ValueError(f"input {sha[:16]}: {what}")
        os.replace(temporary, path)
        RECEIVED[sha] += 1
    return path


def place(relative: str, sha: str, blobs: dict[str, bytes]) -> Path:
    """The store's `relative` path holding the file of hash `sha` (a hard link to its blob)."""
    path = store() / relative
    if not os.path.lexists(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        if sha.startswith(LINK):
            os.symlink(sha[len(LINK):], path)
        else:
            blob = put_blob(sha, blobs[sha]) if sha in blobs else store() / "blobs" / sha
            try:
                os.link(blob, path)
            except OSError:
                path.write_bytes(blob.read_bytes())
    return path


def materialise(tree: Tree, blobs: dict[str, bytes]) -> Path:
    """The tree's folder in the store, built once."""
    folder = store() / "trees" / tree.id
    for name, sha in tree.files:
        place(f"trees/{tree.id}/{name}", sha, blobs)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def installed(templates: Path | None, fonts: Path):
    """Load themes from `templates` and dropped-in fonts from `fonts` while inside (a worker runs
    one task at a time)."""
    from . import theme as themes
    before = themes.TEMPLATES_DIR, themes.FONTS_DIR
    themes.TEMPLATES_DIR, themes.FONTS_DIR = templates or themes.TEMPLATES_DIR, fonts
    try:
        yield
    finally:
        themes.TEMPLATES_DIR, themes.FONTS_DIR = before


# --- paths in page jobs ---------------------------------------------------------------------

def neutral(text: str, mapping: list[tuple[Path, str]]) -> str:
    """`text` with the real folders of `mapping` (as file URLs and as paths) written neutrally."""
    for real, placeholder in sorted(mapping, key=lambda pair: -len(str(pair[0]))):
        text = text.replace(real.as_uri() + "/", f"file://{placeholder}/").replace(f"{real}/", f"{placeholder}/")
    return text


def neutral_path(path: Path, mapping: list[tuple[Path, str]]) -> Path:
    return Path(neutral(f"{path}/", mapping).rstrip("/") or "/")


def remote_job(job, mapping: list[tuple[Path, str]], theme: Path, fonts: Path,
               font_files: list[Path]) -> tuple[RemoteJob, dict[str, Path]]:
    """The neutral form of `job` (its key computed on it), and the real path of every file in
    the store or the cache that it names, by neutral path (the theme's files are all named)."""
    from .pagerender.keys import file_digest, named_files, page_key
    real = {*named_files(job.html), *font_files, *(path for path in theme.rglob("*") if path.is_file())}
    named = {str(neutral_path(path, mapping)): path for path in real}
    files = {name: file_digest(path) for name, path in named.items()}
    html = neutral(job.html, mapping)
    key = page_key(html, fonts=[neutral_path(path, mapping) for path in font_files], options=job.options,
                   digest=lambda path: files.get(str(path)) or file_digest(path))
    moved = replace(job, key=key, html=html, base_url=neutral_path(job.base_url, mapping),
                    roots=[neutral_path(root, mapping) for root in job.roots])
    ours = {name: path for name, path in named.items() if name.startswith((INPUTS + "/", CACHE + "/"))}
    return RemoteJob(moved, {name: files[name] for name in ours}, str(neutral_path(fonts, mapping))), ours


def local_job(remote: RemoteJob, blobs: dict[str, bytes]):
    """The job with its neutral paths leading into this worker's store, its files placed there."""
    for name, sha in remote.files.items():
        place(_in_store(name), sha, blobs)
    here = [(INPUTS, store()), (CACHE, store() / "cache")]

    def local(text: str) -> str:
        for placeholder, folder in here:
            text = text.replace(f"file://{placeholder}/", folder.as_uri() + "/")
            text = text.replace(f"{placeholder}/", f"{folder}/")
        return text

    def path(value) -> Path:
        return Path(local(f"{value}/").rstrip("/") or "/")
    job = remote.job
    return replace(job, html=local(job.html), base_url=path(job.base_url),
                   roots=[path(root) for root in job.roots]), path(remote.fonts_dir)


def _in_store(name: str) -> str:
    if name.startswith(INPUTS + "/"):
        return name[len(INPUTS) + 1:]
    return "cache/" + name[len(CACHE) + 1:]
