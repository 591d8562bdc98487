"""`layout new SLUG [--in DIR]`: a starter issue folder that passes `layout check`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

SCHEMA_FILE = "issue.schema.json"
HEADER = f"# yaml-language-server: $schema=../{SCHEMA_FILE}\n"
STARTER = """\
paper: 示例日报
title: {title}
label: 特刊
date: {date}
pages:
  - section: 特刊
    editor: 某某
    stories:
      - kicker: 引题
        headline: 主题写在这里
        subhead: 副题写在这里
        byline: 本报记者 某某
        body: |
          **导语写在段首。**正文第一段写在这里。段落之间空一行。

          第二段正文写在这里。
        # figures:
        #   - image: images/photo.jpg     # a file inside this folder
        #     caption: 图片说明
        #     credit: 本报记者 某某 摄
      - headline: 第二篇稿件的主题
        body: |
          第二篇稿件的正文。
"""


@click.command("new")
@click.argument("slug")
@click.option("--in", "parent", type=click.Path(file_okay=False, path_type=Path), default=Path("issues"),
              show_default=True, help="Folder the issue folder is made in.")
@click.pass_context
def command(ctx: click.Context, slug: str, parent: Path) -> None:
    """Write a starter issue PARENT/SLUG/issue.yaml (and PARENT/issue.schema.json for editors)."""
    from ..schema import schema_text
    if not slug or "/" in slug or slug.startswith(".") or slug != slug.strip():
        raise click.BadParameter(f"'{slug}' is not a folder name (no '/', no leading '.')", param_hint="SLUG")
    folder = parent / slug
    if folder.exists():
        click.echo(f"error: {folder} already exists; choose another SLUG", err=True)
        ctx.exit(2)
    (folder / "images").mkdir(parents=True)
    issue = folder / "issue.yaml"
    issue.write_text(HEADER + STARTER.format(title=f"{slug} 特刊", date=dt.date.today().isoformat()),
                     encoding="utf-8")
    schema = parent / SCHEMA_FILE
    schema.write_text(schema_text(), encoding="utf-8")
    click.echo(f"wrote {issue}")
    click.echo(f"wrote {schema}")
