"""Stage 2 (continued): content checks the schema cannot express.

Empty texts, absurd lengths, control characters, misplaced lead-in markup, image paths that
are missing, unreadable, or point outside the issue folder (or to the network), an unknown
theme, and a `figure_span` the theme's grid cannot hold. The checks of written values run on
the plain values, so that they are reported together with the schema's problems.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .errors import Collector, LayoutError, plural
from .model import Issue
from .source import Source
from . import theme as themes
from .theme import DEFAULT_THEME, load_theme

LIMITS = {"headline": 48, "kicker": 60, "subhead": 60, "byline": 60, "caption": 300,
          "credit": 40, "title": 40, "slogan": 60, "label": 16, "section": 16, "editor": 40,
          "designer": 40, "proofreader": 40, "paper": 24}
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
TEXT_FIELDS = {"paper", "title", "label", "section", "editor", "designer", "proofreader", "kicker", "slogan",
               "headline", "subhead", "byline", "body", "caption", "credit"}


def check_source(folder: Path, source: Source, out: Collector, *, check_images: bool = True) -> None:
    """Add a located finding for every problem in the written values, valid or not.

    Works on the plain values (not the model) so that a missing photo is reported in the same
    run as a bad date or an unknown key."""
    for key, value in _texts(source.data):
        _check_text(key, value, source, out)
    for key, body in _bodies(source.data):
        if not body.strip():
            out.add("story body is empty", file=source.label, line=source.line_of(key), key=key)
        _check_lead_ins(body, key, source, out)
    if check_images:
        for key, image in _images(source.data):
            _check_image(folder, image, key, source, out)
    theme = source.data.get("theme", "") if isinstance(source.data, dict) else ""
    problem = theme_problem(theme) if isinstance(theme, str) else None
    if problem:
        out.add(problem, file=source.label, line=source.line_of("theme"), key="theme")


def check_content(issue: Issue, source: Source, out: Collector) -> None:
    """Add a located finding for every problem of the validated issue against its theme."""
    _check_spreads(issue, source, out)
    if theme_problem(issue.theme):
        return              # reported by check_source
    try:
        columns = load_theme(issue.theme).grid.columns
    except LayoutError as exc:
        out.findings += exc.findings
        return
    _check_figure_spans(issue, columns, source, out)


def theme_problem(name: str) -> str | None:
    """Why `theme: name` names no theme folder (the test `theme.load_theme` makes), or None."""
    name = name or DEFAULT_THEME
    templates = themes.TEMPLATES_DIR   # read when called: the folder load_theme reads
    if "/" not in name and "\\" not in name and not name.startswith(".") \
            and (templates / name / "theme.yaml").is_file():
        return None
    known = sorted(p.name for p in templates.iterdir() if (p / "theme.yaml").is_file())
    return f"unknown theme '{name}'; themes in {templates}: {', '.join(known)}"


def _texts(data):
    """(key, text) for every text field written, wherever it was written."""
    if isinstance(data, dict):
        for name, value in data.items():
            if isinstance(value, str) and name in TEXT_FIELDS:
                yield name, value
        for name, value in data.items():
            for key, text in _texts(value):
                yield f"{name}{key}" if key.startswith("[") else f"{name}.{key}", text
    elif isinstance(data, list):
        for index, value in enumerate(data):
            for key, text in _texts(value):
                yield f"[{index}]{key}" if key.startswith("[") else f"[{index}].{key}", text


def _entries(data, name: str):
    """(index, mapping) for each mapping in the list `data[name]`, if there is one."""
    items = data.get(name) if isinstance(data, dict) else None
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield index, item


def _bodies(data):
    """(key, body) of every story that needs a body: all but briefs, whose items carry the text."""
    for p, page in _entries(data, "pages"):
        for s, story in _entries(page, "stories"):
            body = story.get("body", "")
            if story.get("kind") != "briefs" and isinstance(body, str):
                yield f"pages[{p}].stories[{s}].body", body


def _images(data):
    """(key, path) of every photo written: a story's figures, then the page's photo group."""
    for p, page in _entries(data, "pages"):
        figures = [(f"pages[{p}].stories[{s}].figures[{f}]", figure)
                   for s, story in _entries(page, "stories") for f, figure in _entries(story, "figures")]
        figures += [(f"pages[{p}].photos[{f}]", figure) for f, figure in _entries(page, "photos")]
        for key, figure in figures:
            if isinstance(figure.get("image"), str):
                yield f"{key}.image", figure["image"]


def _check_figure_spans(issue: Issue, columns: int, source: Source, out: Collector) -> None:
    """A `figure_span` must leave at least one basic column of the grid for the text."""
    for p, page in enumerate(issue.pages):
        for s, story in enumerate(page.stories):
            count = len(story.figures)
            widest = max(1, (columns - 1) // max(1, count))
            if story.figure_span > widest:
                key = f"pages[{p}].stories[{s}].figure_span"
                out.add(f"figure_span {story.figure_span} is too wide for the {columns}-column grid: with "
                        f"{plural(count, 'figure')}, at most {widest} (one column stays for the text)",
                        file=source.label, line=source.line_of(key), key=key)


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


def _check_image(folder: Path, image: str, key: str, source: Source, out: Collector) -> None:
    problem = image_path_problem(folder, image)
    if problem is None:
        from .images import ImageProblem, inspect_image
        try:
            inspect_image(folder / image)
        except ImageProblem as exc:
            problem = f"'{image}': {exc}"
    if problem:
        out.add(problem, file=source.label, line=source.line_of(key), key=key)


def image_path_problem(folder: Path, image: str) -> str | None:
    """Why `image` may not be used, or None: it must be a file inside the issue folder."""
    if not image.strip():
        return "image path is empty"
    invisible = next((c for c in image if unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn")), None)
    if invisible is not None:
        return f"image path contains the invisible character U+{ord(invisible):04X}; delete it"
    if URL.match(image) and not re.match(r"^[A-Za-z]:[\\/]", image):
        return f"images must be files in the issue folder, not URLs: '{image}'"
    path = Path(image)
    if path.is_absolute() or image.startswith(("\\", "/")) or re.match(r"^[A-Za-z]:", image):
        return f"image path must be relative to the issue folder: '{image}'"
    resolved = (folder / path).resolve()
    if not resolved.is_relative_to(folder.resolve()):
        return f"image path leaves the issue folder: '{image}'"
    if not resolved.exists():     # anything else that is not a photo file: inspect_image says what
        return f"file '{image}' not found"
    return None
