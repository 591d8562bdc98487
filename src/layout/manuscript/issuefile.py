"""Stage "import", last step: file manuscripts' stories into `issue.yaml`, keeping the editor's file.

`issue.yaml` is edited with ruamel.yaml's round trip: comments, key order, quoting and block
styles stay as the editor wrote them, and so does the indentation (the settings that give the
file back unchanged are found by trying them). Only the imported story changes.

A story remembers its manuscript by a comment on its headline's line, `# source: 稿件.docx`
(the issue format has no key for it, and a comment is invisible to the renderer). Re-importing
a manuscript replaces the story whose comment names a file of the same slug (see `slug_of`),
else a story with the same headline: in place, on its page, whatever `--page` says. What the
manuscript gives (kicker, headline, subhead, byline, body, figures) is replaced; what it does
not (`figure_span`, other comments) stays. Its pictures are written as
`images/<slug>-<n>.<ext>`, n counting the manuscript's pictures from 1.
"""
from __future__ import annotations

import dataclasses
import io
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from ..errors import Finding, LayoutError, Severity, plural
from ..source import load_source
from . import Manuscript, read_manuscript, slug_of

MARKER = re.compile(r"source:\s*(\S.*?)\s*$")
IMPORTED_KEYS = ("kicker", "headline", "subhead", "byline", "body", "figures")
INDENTS = [(2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0), (4, 2, 0)]


@dataclass(frozen=True)
class Filed:
    """One manuscript filed: where its story now stands and whether it replaced one."""

    manuscript: Manuscript
    page: int
    index: int
    replaced: bool
    images: tuple[Path, ...]
    line: int | None = None

    @property
    def key(self) -> str:
        return f"pages[{self.page}].stories[{self.index}]"


def file_stories(manuscripts: list[Manuscript], issue_path: Path, label: str, page: int | None,
                 findings: list[Finding]) -> list[Filed]:
    """Write the manuscripts' stories and pictures into the issue; `page` is 1-based (None: the
    last page; one past the last adds a page). Raises LayoutError, before writing anything, if
    the issue file has no list of pages or `page` is not one of them. Lines of the editor's
    that the round trip cannot give back as written are a warning in `findings`."""
    raw = issue_path.read_bytes()
    head, text = _document_start(raw.decode("utf-8-sig").replace("\r\n", "\n"))
    yaml, data, rewritten = _round_trip(text)
    if rewritten:
        findings.append(Finding(
            f"{plural(rewritten, 'line')} that the import does not change will be written otherwise "
            "(spacing made regular by the YAML round trip); compare with your copy",
            file=label, severity=Severity.WARNING))
    pages = _pages(data, label)
    target = _target_page(pages, page, label)
    filed = []
    for manuscript in manuscripts:
        found = _find_story(pages, manuscript)
        if found is None:
            stories = _stories(_page(pages, target))
            stories.append(CommentedMap())
        page_index, index = found or (target, len(stories) - 1)
        _update(pages[page_index]["stories"][index], manuscript)
        images = _write_pictures(manuscript, issue_path.parent)
        filed.append(Filed(manuscript, page_index, index, found is not None, images))
    _write(head + _dump(yaml, data), issue_path, bom=raw.startswith(b"\xef\xbb\xbf"), crlf=b"\r\n" in raw)
    return filed


def _document_start(text: str) -> tuple[str, str]:
    """The comments and `---` line before the document (which a round trip would drop), and
    the rest."""
    start = re.match(r"(?:[ \t]*(?:#.*)?\n)*---[ \t]*(?:#.*)?\n", text)
    return (text[:start.end()], text[start.end():]) if start else ("", text)


def _round_trip(text: str) -> tuple[YAML, object, int]:
    """A round-trip YAML with the indentation that gives `text` back with the fewest lines
    changed, the loaded data, and how many lines of `text` it cannot give back (0: none)."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096                 # never fold a long line the editor wrote on one line
    data = yaml.load(text)
    best = None
    for indent in INDENTS:
        yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
        lost = Counter(text.splitlines()) - Counter(_dump(yaml, data).splitlines())
        changed = sum(lost.values())
        if best is None or changed < best[0]:
            best = (changed, indent)
        if not changed:
            break
    yaml.indent(mapping=best[1][0], sequence=best[1][1], offset=best[1][2])
    return yaml, data, best[0]


def _dump(yaml: YAML, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _pages(data, label: str) -> CommentedSeq:
    pages = data.get("pages") if isinstance(data, dict) else None
    if not isinstance(pages, list) or not all(isinstance(page, dict) for page in pages):
        raise LayoutError(Finding("pages: the issue needs a list of pages to import into", file=label))
    return pages


def _target_page(pages: CommentedSeq, page: int | None, label: str) -> int:
    count = len(pages)
    if page is None:
        return max(count - 1, 0)
    if not 1 <= page <= count + 1:
        raise LayoutError(Finding(f"--page {page}: the issue has {count} page{'s' * (count != 1)}; "
                                  f"give 1 to {count + 1} ({count + 1} adds a page)", file=label))
    return page - 1


def _page(pages: CommentedSeq, index: int) -> CommentedMap:
    if index == len(pages):
        pages.append(CommentedMap())
    return pages[index]


def _stories(page: CommentedMap) -> CommentedSeq:
    if not isinstance(page.get("stories"), list):
        page["stories"] = CommentedSeq()
    page["stories"].fa.set_block_style()
    return page["stories"]


def _find_story(pages: CommentedSeq, manuscript: Manuscript) -> tuple[int, int] | None:
    """Where the manuscript's story stands: the story marked with a file of its slug, else the
    story with its headline."""
    stories = [(p, s, story) for p, page in enumerate(pages)
               for s, story in enumerate(page.get("stories") or []) if isinstance(story, dict)]
    for p, s, story in stories:
        marked = _marker(story)
        if marked and slug_of(marked) == manuscript.slug:
            return p, s
    for p, s, story in stories:
        if str(story.get("headline", "")).strip() == manuscript.story.headline:
            return p, s
    return None


def _marker(story: CommentedMap) -> str:
    """The file named by the story's `# source:` comment, or ""."""
    token = _headline_comment(story)
    found = MARKER.search(token.value.split("\n", 1)[0]) if token is not None else None
    return found.group(1) if found else ""


def _headline_comment(story: CommentedMap):
    items = story.ca.items.get("headline")
    return items[2] if items and len(items) > 2 else None


def _mark(story: CommentedMap, name: str) -> None:
    """Name the manuscript in a comment on the headline's line, keeping any comment there."""
    token = _headline_comment(story)
    if token is None:
        story.yaml_add_eol_comment(f"source: {name}", "headline")
        return
    first, newline, rest = token.value.partition("\n")
    kept = re.sub(r"\s*#?\s*source:.*$", "", first.strip())
    token.value = (f"{kept}  # " if kept else "# ") + f"source: {name}" + newline + rest


def _update(story: CommentedMap, manuscript: Manuscript) -> None:
    """Replace what the manuscript gives, in place; keys and comments it does not give stay."""
    values = _values(manuscript)
    for key in IMPORTED_KEYS:
        if key not in values and key in story:
            del story[key]
    position = 0
    for key, value in values.items():
        if key in story:
            if key == "figures" and isinstance(story[key], list):
                _update_figures(story[key], value)
            else:
                story[key] = value
            position = list(story).index(key) + 1
        else:
            story.insert(position, key, value)
            position += 1
    _mark(story, manuscript.path.name)


def _values(manuscript: Manuscript) -> dict:
    story, values = manuscript.story, {}
    for key in ("kicker", "headline", "subhead", "byline"):
        if getattr(story, key):
            values[key] = getattr(story, key)
    values["body"] = LiteralScalarString("\n\n".join(story.paragraphs) + "\n")
    if story.figures:
        values["figures"] = CommentedSeq([_figure(manuscript.slug, figure) for figure in story.figures])
    return values


def _figure(slug: str, figure) -> CommentedMap:
    entry = CommentedMap(image=f"images/{slug}-{figure.picture.number}.{figure.picture.extension}",
                         caption=figure.caption)
    if figure.credit:
        entry["credit"] = figure.credit
    return entry


def _update_figures(figures: CommentedSeq, new: CommentedSeq) -> None:
    """The figures in place, one by one, so that comments between them stay."""
    for index, figure in enumerate(new):
        if index < len(figures) and isinstance(figures[index], dict):
            for key in ("image", "caption", "credit"):
                if key in figure:
                    figures[index][key] = figure[key]
                elif key in figures[index]:
                    del figures[index][key]
        else:
            figures.append(figure)
    del figures[len(new):]


def _write_pictures(manuscript: Manuscript, folder: Path) -> tuple[Path, ...]:
    written = []
    for figure in manuscript.story.figures:
        picture = figure.picture
        path = folder / "images" / f"{manuscript.slug}-{picture.number}.{picture.extension}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(picture.blob)
        written.append(path)
    return tuple(written)


def _write(text: str, path: Path, *, bom: bool, crlf: bool) -> None:
    """Replace the issue file at once (a temporary file renamed), keeping its mode, BOM and
    line ends."""
    data = (b"\xef\xbb\xbf" if bom else b"") + (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".issue-", suffix=".yaml")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass
class Imported:
    """What `import_manuscripts` did: the findings (manuscripts', then the issue's), the stories
    filed and the files written."""

    issue_label: str
    findings: list[Finding]
    filed: list[Filed]
    written: list[Path]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def import_manuscripts(paths: list[Path], folder: Path, page: int | None = None) -> Imported:
    """Read every manuscript, then, if none has an error, file their stories into
    `folder/issue.yaml` and load the issue as `render` would (its errors join the findings)."""
    from ..model import _label, issue_file, load_issue
    path = issue_file(folder)
    label = _label(path)
    if not path.is_file():
        raise LayoutError(Finding("issue file not found; write one with paper:, title:, date: and pages: "
                                  "first (see the issue format in the README)", file=label))
    load_source(path, label)                       # located errors of a file that cannot be read
    findings = _same_slugs(paths, _label)
    manuscripts = []
    for manuscript_path in paths:
        try:
            manuscripts.append(read_manuscript(manuscript_path, _label(manuscript_path)))
            findings += manuscripts[-1].findings
        except LayoutError as exc:
            findings += exc.findings
    if any(f.severity is Severity.ERROR for f in findings):
        return Imported(label, findings, [], [])
    filed = file_stories(manuscripts, path, label, page, findings)
    lines = load_source(path, label).lines
    filed = [dataclasses.replace(entry, line=lines.get(entry.key)) for entry in filed]
    try:
        load_issue(folder)
    except LayoutError as exc:
        findings += exc.findings
    written = [image for entry in filed for image in entry.images] + [path]
    return Imported(label, findings, filed, written)


def _same_slugs(paths: list[Path], label) -> list[Finding]:
    """Two manuscripts that would file one story (their names give one slug) are refused."""
    seen: dict[str, Path] = {}
    findings = []
    for path in paths:
        first = seen.setdefault(slug_of(path.name), path)
        if first is not path:
            findings.append(Finding(f"would file the same story as '{label(first)}' (both named "
                                    f"'{slug_of(path.name)}'); rename one of them", file=label(path)))
    return findings
