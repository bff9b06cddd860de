"""``ccinfra report``: the auditor's sizing report (HTML, Markdown or JSON)."""

from __future__ import annotations

from pathlib import Path

import click

from ccinfra.report import FORMATS, make_report
from ccinfra.fsio import write_text_atomic


@click.command("report")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE (atomically). Default: standard output.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="html (one self-contained file), md (GitHub Markdown for tickets) or json (for machines). "
                   "Default: from the -o suffix (.md, .json), else html.")
@click.option("--prices", type=click.Path(dir_okay=False), default=None,
              help="Price book YAML (examples/prices.yaml): prices the Cost section's BOM, monthly cost and outsourcing.")
@click.option("--asbuilt", type=click.Path(dir_okay=False), default=None,
              help="The JSON of `ccinfra audit asbuilt --format json`: adds the as-built section.")
def report_cmd(source: str, output: str | None, fmt: str | None, prices: str | None,
               asbuilt: str | None) -> None:
    """Write the sizing report of a site YAML or a plan.json: inputs, every figure with its formula
    and numbers, the rule and its source, a to-scale floor plan with every seat's switch port,
    charts, pass/warn/fail checks, warnings and a reproducibility footer (version, SHA-256 of the
    input and of the plan JSON, date, command).

    The HTML has no external scripts, fonts or styles, and prints cleanly. Set SOURCE_DATE_EPOCH to
    fix the date for a byte-identical report. PDF: print the HTML (it has a print stylesheet).

    \b
    Example:
      ccinfra report examples/site.yaml -o report.html
      ccinfra size examples/site.yaml --format json -o plan.json && ccinfra report plan.json -o report.md
      ccinfra report examples/site.yaml --prices examples/prices.yaml -o report.html
      ccinfra report plan.json --asbuilt asbuilt.json -o report.html
    """
    if fmt is None:
        suffix = Path(output).suffix.lower() if output else ""
        fmt = {".md": "md", ".markdown": "md", ".json": "json"}.get(suffix, "html")
    text = make_report(source, fmt, output, prices=prices, asbuilt=asbuilt)
    if output:
        write_text_atomic(output, text)
        click.echo(f"wrote {output} ({fmt})", err=True)
    else:
        click.echo(text, nl=False)


COMMANDS = [report_cmd]
