"""Batch stage, client side: an issue unchanged since the last batch, known without planning it.

After a round of corrections a batch is run again and most issues have not changed. Planning
each again (0.2 s of a worker an issue for the sample) only to find the same page keys is most
of such a batch. So when an issue is written (or found unchanged by its plan), the client
remembers, under the key of everything its PDF is made of (`inputs_key`), the PDF's issue key,
its page count and its findings, in `<cache>/issues/<inputs key>.json`. The next batch that reads
the same inputs, and finds that issue key in the PDF in OUT, reports it unchanged, with those
findings, and plans nothing.

What the key covers: every file of the issue folder, of its theme's folder and every theme's
`theme.yaml`, and of `fonts/`, by content (the trees the client sends, `cluster_inputs`); the
font file each of the theme's roles resolves to on this machine, by content; the output name and
the folders the findings name; the source of this package and the versions of the libraries
that set and write the pages (`code_digest`). A change to any of them plans the issue again.
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from .cache_limit import touch

MEMO_FORMAT = "layout issue memo 1"
#: libraries whose version can change how a page is set, written or its photos prepared
LIBRARIES = ("weasyprint", "pikepdf", "pillow", "uharfbuzz", "fonttools", "jinja2", "pyphen")


@functools.cache
def code_digest() -> str:
    """This package's source files and the LIBRARIES' versions, hashed (once a process)."""
    from importlib.metadata import PackageNotFoundError, version
    digest = hashlib.sha256(MEMO_FORMAT.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".yaml", ".json") \
                and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(package)}\0".encode() + path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name} none\0".encode())
    return digest.hexdigest()


def inputs_key(run) -> str | None:
    """The key of everything `run`'s PDF is made of (None when its inputs or fonts are not known:
    then it is planned)."""
    if run.inputs is None or run.fonts is None:
        return None
    inputs = run.inputs
    parts = {"name": run.name, "issue": inputs.issue.files, "theme": inputs.theme.files, "theme_name": inputs.theme_name,
             "fonts": inputs.fonts.files, "shown": inputs.shown, "code": code_digest(),
             "roles": [(repr(font.role), font.family, font.name, font.sha256) for font in run.fonts]}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def recall(cache_dir: Path, key: str | None) -> dict | None:
    """What was remembered under `key`: {"key": issue key, "pages": n, "findings": [...]}."""
    if key is None:
        return None
    path = _memo_path(cache_dir, key)
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    fields = isinstance(memo, dict) and isinstance(memo.get("key"), str) and isinstance(memo.get("pages"), int) \
        and isinstance(memo.get("findings"), list)
    if not fields:
        return None
    touch(path)                          # used now: the cache is trimmed by last use
    return memo


def remember(cache_dir: Path, key: str | None, issue_key: str, pages: int, findings: list[dict]) -> None:
    """Remember an issue written (or found unchanged) from the inputs of `key`."""
    from .render import write_quietly
    if key is None:
        return
    memo = {"key": issue_key, "pages": pages, "findings": findings}
    write_quietly(_memo_path(cache_dir, key), json.dumps(memo, ensure_ascii=False))


def _memo_path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / "issues" / f"{key}.json"
