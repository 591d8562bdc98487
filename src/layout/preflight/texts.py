"""Preflight stage: every text field of an issue file, with the font role that sets it.

Walks the source (not the validated model) so that editorial lint also runs on an issue that
does not validate yet.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..source import Source

# the last key of a text field -> the theme font role that sets it (None: not printed)
ROLES = {
    "paper": "furniture", "title": None, "label": "furniture", "section": "furniture",
    "editor": "caption", "designer": "caption", "proofreader": "caption", "headline": "headline", "kicker": "kicker", "subhead": "kicker",
    "byline": "caption", "body": "body", "caption": "caption", "credit": "caption",
    "slogan": "banner",
}
BANNER_ROLE = "banner"


@dataclass(frozen=True)
class TextField:
    key: str
    text: str
    role: str | None


def text_fields(source: Source) -> Iterator[TextField]:
    """Every string value whose key names a text (headline, body, caption...), in file order."""
    yield from _walk(source.data, "")


def _walk(value, key: str) -> Iterator[TextField]:
    if isinstance(value, dict):
        for name, child in value.items():
            yield from _walk(child, f"{key}.{name}" if key else name)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, f"{key}[{index}]")
    elif isinstance(value, str):
        name = key.rsplit(".", 1)[-1]
        if name in ROLES:
            yield TextField(key, value, BANNER_ROLE if ".banner." in key else ROLES[name])
