"""``ccinfra bom`` and ``ccinfra cost``: parse, call one library function, format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ccinfra.cli.common import to_json
from ccinfra.cost import formats
from ccinfra.cost.bom import build_bom
from ccinfra.cost.model import cost
from ccinfra.cost.pricebook import load_price_book
from ccinfra.cost.rates import load_rates, select_regions
from ccinfra.fsio import write_text_atomic
from ccinfra.report.build import load_report_input

FORMATS = ("table", "json", "csv")


def _options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
                        help="Write to FILE (atomically) instead of standard output.")(func)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="table for people, json (one document, money as exact decimal strings), csv.")(func)


def _write(text: str, output: str | None) -> None:
    if output:
        write_text_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@click.command("bom")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--prices", type=click.Path(dir_okay=False), default=None,
              help="Price book YAML (see examples/prices.yaml); without it the BOM has quantities only.")
@_options
def bom_cmd(source: str, prices: str | None, fmt: str, output: str | None) -> None:
    """Bill of materials of a site YAML or a plan.json: switches, optics, phones, headsets, gateways,
    E1/T1 cards, SIP licences, desks, barriers, chairs, cabling from the floor-plan take-off, racks,
    earthing remediation. Each line says the plan figure it comes from; with --prices, each is priced
    (items the price book leaves out are listed as unpriced, never as zero).

    \b
    Example:
      ccinfra bom examples/site.yaml
      ccinfra bom examples/site.yaml --prices examples/prices.yaml --format csv -o bom.csv
    """
    plan, _ = load_report_input(source)
    bom = build_bom(plan, load_price_book(prices) if prices else None)
    text = {"json": lambda: to_json(formats.bom_document(bom)), "csv": lambda: formats.bom_csv(bom)}.get(
        fmt, lambda: formats.bom_table(bom))()
    _write(text, output)


@click.command("cost")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--prices", type=click.Path(dir_okay=False), required=True,
              help="Price book YAML: prices, wages, rent, tariffs, amortisation (see examples/prices.yaml).")
@click.option("--region", "regions", multiple=True,
              help="Outsourcing region to compare (id or name, repeatable); default: every region of the seed table.")
@click.option("--contacts-per-month", type=click.IntRange(min=1), default=None,
              help="Handled contacts a month, for the cost per contact and the shared per-minute price.")
@_options
def cost_cmd(source: str, prices: str, regions: tuple[str, ...], contacts_per_month: int | None, fmt: str,
             output: str | None) -> None:
    """Cost of a site YAML or a plan.json with a price book: capex (the priced BOM), monthly cost
    (amortised capex, labour, rent, telecom, power), cost per seat, per paid agent hour and per
    productive hour, and outsourcing side by side at the seed brief's regional hourly rates with the
    break-even rate.

    \b
    Example:
      ccinfra cost examples/site.yaml --prices examples/prices.yaml
      ccinfra cost plan.json --prices examples/prices.yaml --region india --region "Eastern Europe" --format json
    """
    plan, _ = load_report_input(source)
    result = cost(plan, load_price_book(prices), select_regions(load_rates(), list(regions)), contacts_per_month)
    text = {"json": lambda: to_json(formats.cost_document(result)), "csv": lambda: formats.cost_csv(result)}.get(
        fmt, lambda: formats.cost_table(result))()
    _write(text, output)


COMMANDS = [bom_cmd, cost_cmd]
