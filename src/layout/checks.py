"""Stage 2 (continued): content checks the schema cannot express.

Empty texts, absurd lengths, control characters, misplaced lead-in markup, and image paths that
are missing, unreadable, or point outside the issue folder (or to the network).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .errors import Collector
from .model import Figure, Issue
from .source import Source

LIMITS = {"headline": 48, "kicker": 60, "subhead": 60, "byline": 60, "caption": 300,
          "credit": 40, "title": 40, "slogan": 60, "label": 16, "section": 16, "editor": 40,
          "paper": 24}
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def check_content(issue: Issue, source: Source, out: Collector, *, check_images: bool = True) -> None:
    """Add a located finding for every content problem in `issue`."""
    for key, value in _texts(issue):
        _check_text(key, value, source, out)
    for p, page in enumerate(issue.pages):
        for s, story in enumerate(page.stories):
            key = f"pages[{p}].stories[{s}].body"
            if story.kind != "briefs" and not story.body.strip():
                out.add("story body is empty", file=source.label, line=source.line_of(key), key=key)
            _check_lead_ins(story.body, key, source, out)
    _check_spreads(issue, source, out)
    if check_images:
        for key, figure in _figures(issue):
            _check_image(issue.folder, figure, f"{key}.image", source, out)


def _texts(issue: Issue):
    yield "paper", issue.paper
    yield "title", issue.title
    yield "label", issue.label
    for p, page in enumerate(issue.pages):
        yield f"pages[{p}].section", page.section
        yield f"pages[{p}].editor", page.editor
        if page.banner:
            for name, value in page.banner.model_dump().items():
                yield f"pages[{p}].banner.{name}", value
        for s, story in enumerate(page.stories):
            for name in ("headline", "kicker", "subhead", "byline", "body"):
                yield f"pages[{p}].stories[{s}].{name}", getattr(story, name)
    for key, figure in _figures(issue):
        yield f"{key}.caption", figure.caption
        yield f"{key}.credit", figure.credit


def _figures(issue: Issue):
    for p, page in enumerate(issue.pages):
        for s, story in enumerate(page.stories):
            for f, figure in enumerate(story.figures):
                yield f"pages[{p}].stories[{s}].figures[{f}]", figure
        for f, figure in enumerate(page.photos):
            yield f"pages[{p}].photos[{f}]", figure


def _check_text(key: str, value: str, source: Source, out: Collector) -> None:
    name = key.rsplit(".", 1)[-1]
    line = source.line_of(key)
    if name in ("headline", "caption", "title", "paper") and not value.strip():
        out.add(f"{name} is empty", file=source.label, line=line, key=key)
    limit = LIMITS.get(name)
    if limit and len(value.strip()) > limit:
        out.add(f"{name} is {len(value.strip())} characters long; at most {limit} fit",
                file=source.label, line=line, key=key)
    for offset, char in enumerate(value):
        if char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            out.add(f"contains the invisible character U+{ord(char):04X}; delete it",
                    file=source.label, line=source.line_of_text(key, offset), key=key)
            break


def _check_spreads(issue: Issue, source: Source, out: Collector) -> None:
    for p, page in enumerate(issue.pages):
        if not page.spread:
            continue
        key = f"pages[{p}].spread"
        partner = issue.pages[p + 1] if p + 1 < len(issue.pages) else None
        problem = ("a spread needs a banner on its left page" if not page.banner else
                   "a spread needs a following page for its right half" if partner is None else
                   "the right page of a spread shares the left page's banner; remove its own"
                   if partner.banner else
                   "a page cannot be the right half of one spread and start another"
                   if p > 0 and issue.pages[p - 1].spread else None)
        if problem:
            out.add(problem, file=source.label, line=source.line_of(key), key=key)


def _check_lead_ins(body: str, key: str, source: Source, out: Collector) -> None:
    for match in re.finditer(r"\*\*", body):
        start = match.start()
        before = body[:start]
        paragraph_start = before.rfind("\n\n")
        head = before[paragraph_start + 1:].strip() if paragraph_start >= 0 else before.strip()
        opens = before.count("**") % 2 == 0
        if opens and head:
            out.add("'**' marks a bold lead-in only at the start of a paragraph",
                    file=source.label, line=source.line_of_text(key, start), key=key)
            return
        if opens and "**" not in body[start + 2:].split("\n\n", 1)[0]:
            out.add("a bold lead-in '**' is not closed in its paragraph",
                    file=source.label, line=source.line_of_text(key, start), key=key)
            return


def _check_image(folder: Path, figure: Figure, key: str, source: Source, out: Collector) -> None:
    problem = image_path_problem(folder, figure.image)
    if problem is None:
        from .images import ImageProblem, inspect_image
        try:
            inspect_image(folder / figure.image)
        except ImageProblem as exc:
            problem = f"'{figure.image}': {exc}"
    if problem:
        out.add(problem, file=source.label, line=source.line_of(key), key=key)


def image_path_problem(folder: Path, image: str) -> str | None:
    """Why `image` may not be used, or None: it must be a file inside the issue folder."""
    if not image.strip():
        return "image path is empty"
    if URL.match(image) and not re.match(r"^[A-Za-z]:[\\/]", image):
        return f"images must be files in the issue folder, not URLs: '{image}'"
    path = Path(image)
    if path.is_absolute() or image.startswith(("\\", "/")) or re.match(r"^[A-Za-z]:", image):
        return f"image path must be relative to the issue folder: '{image}'"
    resolved = (folder / path).resolve()
    if not resolved.is_relative_to(folder.resolve()):
        return f"image path leaves the issue folder: '{image}'"
    if not resolved.is_file():
        return f"file '{image}' not found"
    return None
