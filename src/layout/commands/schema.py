"""`layout schema`: the JSON Schema of issue.yaml, for editors' tools (YAML language server)."""
from __future__ import annotations

import click


@click.command("schema")
def command() -> None:
    """Print the JSON Schema of issue.yaml (generated from the model; descriptions in 中文 and English).

    Save it beside your issues (`layout schema > issues/issue.schema.json`) and start issue.yaml
    with `# yaml-language-server: $schema=../issue.schema.json` for completion and checking."""
    from ..schema import schema_text
    click.echo(schema_text(), nl=False)
