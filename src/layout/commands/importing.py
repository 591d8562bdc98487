"""`layout import MANUSCRIPT.docx... --into ISSUE_DIR [--page N]`: Word manuscripts into stories."""
from __future__ import annotations

from pathlib import Path

import click

from . import ISSUE_DIR, echo_findings, plural

MANUSCRIPT = click.Path(dir_okay=False, path_type=Path)


@click.command("import")
@click.argument("manuscripts", nargs=-1, required=True, type=MANUSCRIPT)
@click.option("--into", "issue_dir", required=True, type=ISSUE_DIR, help="The issue folder (holding issue.yaml).")
@click.option("--page", type=click.IntRange(min=1), default=None,
              help="Page (版次) for new stories, from 1; one past the last adds a page.  [default: the last]")
def command(manuscripts: tuple[Path, ...], issue_dir: Path, page: int | None) -> None:
    """Add each MANUSCRIPT (.docx) to ISSUE_DIR/issue.yaml as a story, its pictures as
    ISSUE_DIR/images/<name>-<n>.<ext>.

    Re-importing a manuscript replaces its story. Nothing is written while a manuscript has
    errors (tracked changes, a picture the renderer refuses...); warnings are printed."""
    from ..manuscript.issuefile import import_manuscripts
    from ..model import _label
    imported = import_manuscripts(list(manuscripts), issue_dir, page)
    echo_findings(imported.findings, notes=True)
    for entry in imported.filed:
        story = entry.manuscript.story
        action = "replaced by" if entry.replaced else "added from"
        place = imported.issue_label + (f":{entry.line}" if entry.line else "")
        click.echo(f"{place}: {entry.key}: '{story.headline}' {action} {entry.manuscript.label} "
                   f"({plural(len(story.paragraphs), 'paragraph')}, {plural(len(story.figures), 'figure')})")
    for path in imported.written:
        click.echo(f"wrote {_label(path)}")
    if imported.errors:
        raise click.exceptions.Exit(1)
