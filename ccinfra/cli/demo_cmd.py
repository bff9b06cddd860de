"""``ccinfra demo``: the embedded end-to-end run, all on this machine."""

from __future__ import annotations

import click

from ccinfra.demo import run_demo


@click.command("demo")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default="ccinfra-demo", show_default=True,
              help="Folder for the plan, build, lab inventory, backups and report.")
@click.option("--site", type=click.Path(dir_okay=False), default=None,
              help="Site YAML to use instead of the embedded example.")
def demo_cmd(out_dir: str, site: str | None) -> None:
    """Size the example site, render it, start lab twins on 127.0.0.1, dry-run then commit a push,
    audit drift (none expected) and write the report.

    \b
    Example:
      ccinfra demo
      ccinfra demo -o /tmp/demo --site examples/site.yaml
    """
    result = run_demo(out_dir, site, say=lambda line: click.echo(line))
    click.echo("")
    for name, path in result.artifacts.items():
        click.echo(f"{name:<10} {path}")
    if not result.ok:
        raise click.ClickException("the demo did not complete cleanly; see the FAIL lines above")


COMMANDS = [demo_cmd]
