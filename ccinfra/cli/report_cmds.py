"""``ccinfra report``: the auditor's sizing report (HTML, Markdown or JSON)."""

from __future__ import annotations

from pathlib import Path

import click

from ccinfra.report import FORMATS, make_report
from ccinfra.cli.common import fail_if_strict, force_option, forced, strict_option, write_output
from ccinfra.fsio import check_output_file


SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".json": "json", ".html": "html", ".htm": "html"}


def report_format(fmt: str | None, output: str | None) -> str:
    """``--format``, else the ``-o`` suffix (.html .htm .md .markdown .json); any other suffix is refused.

    >>> report_format(None, "r.md"), report_format(None, None), report_format("json", "r.txt")
    ('md', 'html', 'json')
    """
    suffix = Path(output).suffix.lower() if output else ""
    if fmt is not None:
        if suffix in SUFFIX_FORMATS and SUFFIX_FORMATS[suffix] != fmt:
            raise click.BadParameter(f"{output} ends in {suffix} but --format is {fmt}; make them agree",
                                     param_hint="'--format'")
        return fmt
    if not output:
        return "html"
    if suffix not in SUFFIX_FORMATS:
        raise click.BadParameter(f"{output}: cannot tell the format from {suffix or 'no suffix'!r}; end the name "
                                 "in .html, .md or .json, or give --format html|md|json (PDF: print the HTML)",
                                 param_hint="'-o'")
    return SUFFIX_FORMATS[suffix]


@click.command("report")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE (atomically). Default: standard output.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="html (one self-contained file), md (GitHub Markdown for tickets) or json (for machines). "
                   "Default: from the -o suffix (.html, .md, .json; another suffix is refused), else html.")
@click.option("--prices", type=click.Path(dir_okay=False), default=None,
              help="Price book YAML (examples/prices.yaml): prices the Cost section's BOM, monthly cost and outsourcing.")
@click.option("--asbuilt", type=click.Path(dir_okay=False), default=None,
              help="The JSON of `ccinfra audit asbuilt --format json`: adds the as-built section.")
@force_option
@strict_option
def report_cmd(source: str, output: str | None, fmt: str | None, prices: str | None,
               asbuilt: str | None, strict: bool) -> None:
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
    if output:
        check_output_file(output, "-o", force=forced())  # before the work: the place must be writable
    fmt = report_format(fmt, output)
    text = make_report(source, fmt, output, prices=prices, asbuilt=asbuilt)
    if output:
        write_output(output, text)
        click.echo(f"wrote {output} ({fmt})", err=True)
    else:
        click.echo(text, nl=False)
    if strict:
        from ccinfra.render.source import load_source

        fail_if_strict(load_source(source).checks, strict)


COMMANDS = [report_cmd]
