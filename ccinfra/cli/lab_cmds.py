"""``ccinfra lab``: emulated Cisco IOS devices on 127.0.0.1 for rehearsing a push."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from ccinfra.cli.floor_lab import apply_floor, floor_options
from ccinfra.lab.fleet import AsyncLabFleet
from ccinfra.lab.run import Outputs, build_specs, credentials_from_env, numbered_specs, serve_until_signal


@click.group("lab")
def lab() -> None:
    """Emulated Cisco IOS switches and gateways over real SSH, on 127.0.0.1 only.

    \b
    Example:
      ccinfra lab up --devices 3 --inventory-out lab/inventory.yml
    """


def _print_table(fleet: AsyncLabFleet) -> None:
    width = max(len(name) for name in fleet.names)
    click.echo(f"{'device'.ljust(width)}  {'role':<7}  address", err=True)
    for device in fleet:
        click.echo(f"{device.name.ljust(width)}  {device.spec.role:<7}  {device.host}:{device.port}", err=True)
    # Parents (tests, scripts) wait for exactly this line on stdout.
    click.echo("ready")


@lab.command("up")
@click.option("--devices", "count", type=click.IntRange(1, 1000), help="Start N switch twins named <prefix>01...")
@click.option(
    "--from",
    "build_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="One twin per switch and gateway of a rendered build folder (reads its manifest.json).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="First port; devices get consecutive ports. 0 = a free port each.")
@click.option("--inventory-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write an Ansible inventory of the twins (and its known_hosts beside it).")
@click.option("--known-hosts-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the twins' SSH host keys (default: <inventory-out>.known_hosts beside it).")
@click.option("--force", is_flag=True, help="Overwrite an inventory or known_hosts file ccinfra did not write.")
@click.option("--name-prefix", default="lab", show_default=True, help="Name prefix with --devices.")
@click.option("--host-key-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep host keys in this folder so they survive restarts (default: new keys each run).")
@click.option("--extra-config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Config lines every twin also carries, as a real device does out of band (local accounts, "
                   "enable secret, AAA, SNMP, static routes): the lines a push must leave alone.")
@floor_options
def up(
    count: int | None,
    build_dir: Path | None,
    port: int,
    inventory_out: Path | None,
    known_hosts_out: Path | None,
    name_prefix: str,
    host_key_dir: Path | None,
    extra_config: Path | None,
    force: bool,
    **floor: object,
) -> None:
    """Start lab twins in the foreground; print "ready" when all listen; stop on Ctrl-C / SIGTERM.

    Credentials come from CCINFRA_USERNAME, CCINFRA_PASSWORD and CCINFRA_SECRET (enable secret).
    Each one unset falls back to the lab-only default "lab". The twins accept any plausible
    configuration line, answer show/write commands like IOS and listen on 127.0.0.1 only.

    \b
    Examples:
      ccinfra lab up --devices 2 --inventory-out /tmp/lab/inventory.yml
      ccinfra lab up --from build/ --port 40001 --inventory-out build/lab-inventory.yml
      ccinfra lab up --devices 2 --extra-config out-of-band.cfg --inventory-out /tmp/lab/inventory.yml
      ccinfra lab up --from build/ --phones phones.csv --configured --silent A030 --inventory-out lab/inv.yml
    """
    if (count is None) == (build_dir is None):
        raise click.UsageError("give exactly one of --devices N or --from BUILD_DIR")
    specs = numbered_specs(count, name_prefix) if count is not None else build_specs(build_dir)  # type: ignore[arg-type]
    if extra_config is not None:
        try:
            extra = extra_config.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise click.BadParameter(f"{extra_config}: cannot read it as UTF-8 text ({err})",
                                     param_hint="--extra-config") from None
        specs = [dataclasses.replace(spec, extra_config=extra) for spec in specs]
    specs = apply_floor(specs, build_dir, floor)
    outputs = Outputs(
        inventory=inventory_out,
        known_hosts=known_hosts_out,
        build_dir=build_dir,
        force=force,
    )
    outputs.check()
    credentials = credentials_from_env()
    if credentials.defaulted:
        click.echo(f"note: {', '.join(credentials.defaulted)} unset; using the lab-only default", err=True)
    serve_until_signal(
        specs,
        credentials,
        port=port,
        outputs=outputs,
        host_key_dir=str(host_key_dir) if host_key_dir else None,
        on_ready=_print_table,
    )


COMMANDS = [lab]
