"""`layout render ISSUE_DIR... [-o OUT] [--html] [--print [--force]] [--name-by path]`."""
from __future__ import annotations

from pathlib import Path

import click

from . import ISSUE_DIR, cache_kept_under_limit, echo_findings, out_option, plural, report

NAME_BY = click.Choice(["folder", "path"])


@click.command("render")
@click.argument("issue_dirs", nargs=-1, required=True, type=ISSUE_DIR)
@out_option("Folder for <slug>.pdf (and <slug>-print.pdf).")
@click.option("--html", "write_html", is_flag=True,
              help="Also write the HTML WeasyPrint is given: <slug>-p<N>.html per page "
                   "(<slug>-print-p<N>.html with --print).")
@click.option("--print", "press", is_flag=True,
              help="Write the printer's PDF/X-4, <slug>-print.pdf: CMYK output intent, bleed, crop marks.")
@click.option("--force", is_flag=True, help="Write the PDF even while errors remain (exit 0).")
@click.option("--plan-json", is_flag=True,
              help="Also write <slug>-plan.json: every page's places (pt from the page's corner) with their "
                   "key paths and issue.yaml lines, and check's findings on them.")
@click.option("--name-by", type=NAME_BY, default="folder", show_default=True,
              help="Name output files by the issue folder's name, or by its path (a/issue -> a-issue.pdf).")
@click.pass_context
def command(ctx: click.Context, issue_dirs: tuple[Path, ...], out_dir: Path, write_html: bool,
            press: bool, force: bool, name_by: str, plan_json: bool) -> None:
    """Render each ISSUE_DIR to OUT/<slug>.pdf (--print: OUT/<slug>-print.pdf).

    Prints what `layout check` finds besides (notes excepted). Exit 1 when an issue fails, or
    when errors remain (the screen PDF is written; the print PDF is not, unless --force)."""
    with cache_kept_under_limit(ctx):
        from ..pipeline import output_names, render_to_files
        names = output_names(list(issue_dirs), by=name_by, suffix="-print.pdf" if press else ".pdf")
        failed = False
        for folder in issue_dirs:
            try:
                rendered, written = render_to_files(folder, out_dir, html=write_html, press=press,
                                                    name=names[folder.resolve()], force=force)
            except Exception as exc:  # noqa: BLE001 - reported, then the next issue; exit 1 at the end
                failed = True
                report(ctx, exc)
                continue
            echo_findings(rendered.findings)
            failed |= bool(rendered.errors) and not force
            if plan_json:
                from ..places import write_plan_json
                written.append(write_plan_json(rendered, written[-1]))
            for path in written:
                pages = (f" ({plural(rendered.page_count, 'page')}, {rendered.seconds:.1f} s)"
                         if path.suffix == ".pdf" else "")
                click.echo(f"wrote {path}{pages}")
        if failed:
            ctx.exit(1)
