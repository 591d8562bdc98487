"""`layout epaper ISSUE_DIR -o SITE_DIR`: the 数字报, a static site of the rendered issue."""
from __future__ import annotations

from pathlib import Path

import click

from . import ISSUE_DIR, OUT_DIR, cache_kept_under_limit, echo_findings, plural, writable


def replaceable(ctx: click.Context, param: click.Parameter, site_dir: Path) -> Path:
    """A SITE_DIR that can be written and replaced (tried before anything is rendered)."""
    from ..epaper import replace_problem
    problem = replace_problem(site_dir)
    if problem:
        raise click.BadParameter(problem)
    writable(ctx, param, site_dir.parent)      # the site is built beside SITE_DIR, then renamed
    return site_dir


@click.command("epaper")
@click.argument("issue_dir", type=ISSUE_DIR)
@click.option("-o", "--out", "site_dir", type=OUT_DIR, required=True, callback=replaceable,
              help="Folder for the site (replaced as a whole; only a site this command wrote is replaced).")
@click.pass_context
def command(ctx: click.Context, issue_dir: Path, site_dir: Path) -> None:
    """Write ISSUE_DIR's 数字报 (e-paper) into SITE_DIR: index.html with the page thumbnails, a
    page view per page (the page at 150 dpi, a link over every story) and an article per story.

    A static site: it works offline and needs no script. Prints what `layout check` finds
    besides (notes excepted); exit 1 when errors remain (the site is written)."""
    with cache_kept_under_limit(ctx):
        from ..epaper import build_site
        site = build_site(issue_dir, site_dir)
        echo_findings(site.rendered.findings)
        click.echo(f"wrote {site.folder}/ ({plural(len(site.pages), 'page')}, "
                   f"{plural(len(site.articles), 'article')}, {plural(len(site.files), 'file')}, "
                   f"{site.bytes / 1e6:.1f} MB, {site.seconds:.1f} s)")
        if site.rendered.errors:
            ctx.exit(1)
