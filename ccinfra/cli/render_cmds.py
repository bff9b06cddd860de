"""Render commands: ``render`` (device files + manifest) and ``inventory`` (Ansible). Parse, call, report."""

from __future__ import annotations

from collections import Counter

import click

from ccinfra.cli.common import fail_if_strict, strict_option

from ccinfra.inventory import plan_inventory, write_inventory_dir
from ccinfra.render import load_source, render_build


@click.command("render")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default="build", show_default=True,
              help="Build folder; replaced as a whole, atomically, only after every check passed.")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder of templates overriding the bundled ones by relative name (switch/cisco_ios.cfg.j2...).")
@strict_option
def render_cmd(source: str, out_dir: str, templates_dir: str | None, strict: bool) -> None:
    """Render switch, gateway and IP phone files from a site YAML or a plan.json, with build/manifest.json.

    Every file is checked (VLANs, trunks, duplicates, XML, no credentials) before the build is written.

    \b
    Example:
      ccinfra render examples/site.yaml -o build/
      ccinfra size examples/site.yaml --format json -o plan.json && ccinfra render plan.json -o build/
    """
    plan = load_source(source)
    fail_if_strict(plan.checks, strict)  # before anything is written
    build = render_build(plan, out_dir, templates_dir)
    for warning in build.warnings:
        click.echo(f"warning: {warning}", err=True)
    roles = Counter(d["role"] for d in build.manifest["devices"])
    click.echo(
        f"rendered site {build.manifest['site']} into {out_dir}: {roles['switch']} switches, "
        f"{roles['gateway']} gateways, {roles['phone']} phones ({len(build.files)} files, manifest.json)"
    )


@click.command("inventory")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Inventory folder to write (hosts.yml, group_vars/, host_vars/).")
@click.option("--build", "build_dir", type=click.Path(file_okay=False), default="build", show_default=True,
              help="Build folder of 'ccinfra render' the hosts' ccinfra_config point to.")
def inventory_cmd(source: str, out_dir: str, build_dir: str) -> None:
    """Write the Ansible inventory of a site: switches and gateways (network_cli) and the phone provisioning host.

    Credentials stay in the environment (CCINFRA_USERNAME, CCINFRA_PASSWORD, CCINFRA_SECRET).

    \b
    Example:
      ccinfra inventory examples/site.yaml -o inventory/ --build build/
      ansible-inventory -i inventory/hosts.yml --graph
    """
    inventory = plan_inventory(load_source(source), build_dir)
    target = write_inventory_dir(inventory, out_dir)  # a refusal is the only line: warnings come after
    for warning in inventory.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"wrote {target}/hosts.yml ({len(inventory.hosts)} hosts), group_vars/ and host_vars/")


COMMANDS = [render_cmd, inventory_cmd]
