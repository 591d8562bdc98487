"""The `layout` command group. Each sub-command lives in `layout.commands.<name>`.

Commands are thin: parse options, call one function, print its result. Exit codes: 0 success,
1 content or render errors, 2 usage errors. An unexpected failure in any command prints one
line, `error: <what> (run with -v for details)`; the traceback only with -v.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from . import commands


class Layout(click.Group):
    """The command group, with one catch-all for every sub-command."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # noqa: BLE001 - the catch-all: one line, a traceback with -v
            commands.report(ctx, exc)
            ctx.exit(1)


@click.group(cls=Layout, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.version_option(package_name="layout")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Turn newspaper special issues (issue.yaml + photos) into print-ready Chinese PDFs."""
    ctx.obj = {"verbose": verbose}


for _module in sorted(m.name for m in pkgutil.iter_modules(commands.__path__)):
    if not _module.startswith("_"):
        main.add_command(importlib.import_module(f"{commands.__name__}.{_module}").command)


if __name__ == "__main__":
    sys.exit(main())
