"""``ccinfra audit drift``: running configs compared with a rendered build (read-only)."""

from __future__ import annotations

from pathlib import Path

import click

from ccinfra.audit.drift import audit_drift, drift_document, drift_table
from ccinfra.cli.common import emit, output_options
from ccinfra.cli.push_cmds import connection_options, make_session
from ccinfra.fsio import check_output_file
from ccinfra.push.targets import load_targets


@click.command("drift")
@connection_options
@output_options
@click.pass_context
def drift_cmd(ctx: click.Context, build: str, inventory: str, known_hosts: str | None, insecure_host_keys: bool,
              limit: str | None, workers: int, fmt: str, output: str | None) -> None:
    """List, per device, the lines that differ between its running config and the build.

    Read-only: the devices' running configs are read over SSH (never in configuration mode) and
    compared with the rendered configs (hier-config). "+" lines are intended but not running
    (missing), "-" lines are running but not intended (extra), both within the managed scope (the
    sections and global lines the build renders). "~" lines are unmanaged: running lines outside
    that scope (local accounts, AAA, SNMP, routes added out of band), which a push leaves alone;
    they are not drift. Secrets are shown as <redacted>. Same credentials and host-key options
    as `ccinfra push`.

    Exit status: 0 when every device is clean (unmanaged lines allowed); 1 when any drifted or
    could not be read.

    \b
    Example:
      ccinfra audit drift build/ --inventory build/inventory.yaml
      ccinfra audit drift build/ -i build/inventory.yaml --format json -o drift.json
    """
    if output:  # a place that cannot be written is found before any device is read
        check_output_file(output, "-o", force=True)
    targets = load_targets(Path(build), Path(inventory), limit)
    session = make_session(inventory, known_hosts, insecure_host_keys)
    results = audit_drift(targets, session, workers)
    emit(drift_document(results), fmt, output, drift_table)
    if not all(r.ok for r in results):
        ctx.exit(1)
