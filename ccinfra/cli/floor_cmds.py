"""``ccinfra discover`` (phones by seat from the switches) and ``ccinfra audit asbuilt`` (the floor vs the plan)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ccinfra.cli.common import to_json
from ccinfra.cli.push_cmds import make_session, session_options
from ccinfra.errors import SpecError
from ccinfra.floor.asbuilt import asbuilt_document, asbuilt_table
from ccinfra.floor.collect import AUDIT, DISCOVER, read_switches
from ccinfra.floor.discover import discover_document, discover_table, phones_csv, port_viewer, voice_vlan_of
from ccinfra.floor.seatmap import load_plan_from
from ccinfra.fsio import write_text_atomic
from ccinfra.plan import Plan
from ccinfra.push.targets import read_only_targets

FORMATS = ("table", "json", "csv")


def _readings(plan: Plan, inventory: str, known_hosts: str | None, insecure: bool, limit: str | None,
              workers: int, kinds: tuple[str, ...]) -> list[Any]:
    names = [s.name for s in plan.network.switches]
    if limit:
        chosen = {n.strip() for n in limit.split(",") if n.strip()}
        if chosen - set(names):
            raise SpecError(f"--limit: {', '.join(sorted(chosen - set(names)))} not a switch of the plan")
        names = [n for n in names if n in chosen]
    targets = read_only_targets(names, Path(inventory))
    session = make_session(inventory, known_hosts, insecure)
    return read_switches(targets, session, voice_vlan_of(plan), workers, kinds, then=port_viewer(plan))


@click.command("discover")
@click.argument("source", metavar="PLAN|SITE|BUILD", type=click.Path(exists=True))
@session_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the phones.csv (seat,mac,model,extension) here, atomically.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="What to print: table (anomalies), json (phones, anomalies, switches, summary) or csv.")
@click.pass_context
def discover_cmd(ctx: click.Context, source: str, inventory: str, known_hosts: str | None, insecure_host_keys: bool,
                 limit: str | None, workers: int, output: str | None, fmt: str) -> None:
    """Read the phones off the access switches and write phones.csv by seat.

    Read-only over SSH (netmiko, the credentials and host-key options of `ccinfra push`): each switch
    answers `show cdp neighbors detail`, `show lldp neighbors detail`, `show mac address-table vlan
    <voice>` and `show power inline` (parsed with ntc-templates). A phone's port maps to its seat
    through the plan. Ports with no phone, two phones, a wrong model, a phone with no seat or of
    another seat, and refused (unsafe) neighbour records are listed. Point phones.macs_file at the
    CSV and `ccinfra render` writes every phone's file.

    Exit status: 0 once the CSV is written (anomalies listed); 1 when a switch could not be read
    (nothing is written then).

    \b
    Example:
      ccinfra discover build/ --inventory lab/inventory.yml -o phones.csv
      ccinfra discover site.yaml -i inventory.yml --insecure-host-keys --format json
    """
    plan = load_plan_from(source)
    document = discover_document(plan, _readings(plan, inventory, known_hosts, insecure_host_keys, limit, workers,
                                                 DISCOVER))
    text = phones_csv(document["phones"])
    failed = document["summary"]["unreadable"]
    if output and not failed:
        write_text_atomic(output, text)
        click.echo(f"wrote {output} ({len(document['phones'])} phones)", err=True)
    click.echo(to_json(document) if fmt == "json" else text if fmt == "csv" else discover_table(document), nl=False)
    if failed:
        click.echo(f"error: {failed} switch(es) could not be read; nothing written", err=True)
        ctx.exit(1)


@click.command("asbuilt")
@click.argument("source", metavar="PLAN|BUILD", type=click.Path(exists=True))
@session_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the report (in --format) here, atomically, instead of printing it.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True,
              help="table is for people; json is {switches, ports, summary}.")
@click.pass_context
def asbuilt_cmd(ctx: click.Context, source: str, inventory: str, known_hosts: str | None, insecure_host_keys: bool,
                limit: str | None, workers: int, output: str | None, fmt: str) -> None:
    """Audit the floor as built against the plan, read-only over SSH.

    Per access port: the planned seat or device against what is there (phone, model, `show
    interfaces status` state, access and voice VLAN). Per switch: PoE drawn against the plan's
    reserved power and the budget, uplinks up. Per seat: its phone on the planned port, or found
    elsewhere (both ports named). Same credentials and host-key options as `ccinfra push`.

    Exit status: 0 when nothing FAILs (WARN allowed); 1 on any FAIL.

    \b
    Example:
      ccinfra audit asbuilt build/ --inventory lab/inventory.yml
      ccinfra audit asbuilt plan.json -i inventory.yml --format json -o asbuilt.json
    """
    plan = load_plan_from(source)
    document = asbuilt_document(plan, _readings(plan, inventory, known_hosts, insecure_host_keys, limit, workers,
                                                AUDIT))
    text = to_json(document) if fmt == "json" else asbuilt_table(document)
    if output:
        write_text_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
    if document["summary"]["FAIL"]:
        ctx.exit(1)


COMMANDS = [discover_cmd]
