"""``ccinfra push``: the safe push of a rendered build. Also the connection options ``audit drift`` shares."""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ccinfra.cli.common import force_option, forced, to_json, write_output
from ccinfra.cli.interrupts import Interrupts
from ccinfra.fsio import check_output_file, check_writable_dir
from ccinfra.push.connection import (
    ENV_PASSWORD, ENV_SECRET, ENV_USERNAME, Credentials, HostKeyPolicy, Timing, credentials_from_env,
)
from ccinfra.push.confirmed import DEFAULT_REVERT_MINUTES, MAX_REVERT_MINUTES
from ccinfra.push.locks import lock_dir_for
from ccinfra.push.runner import DEFAULT_WORKERS, Session, auto_processes, results_document, run_push, summary
from ccinfra.push.targets import inventory_known_hosts, load_targets, skipped_devices
from ccinfra.push.typeahead import DEFAULT_LINES_PER_WRITE, MAX_LINES_PER_WRITE
from ccinfra.push.workflow import STATUSES, PushOptions, Result

DEFAULT_KNOWN_HOSTS = Path("~/.ssh/known_hosts")


def _named_limit(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.strip(", "):
        raise click.BadParameter("no device named; give NAME[,NAME] or leave --limit out to push every device")
    return value


def connection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``BUILD --inventory --known-hosts --insecure-host-keys --limit --workers`` (push and audit drift)."""
    return session_options(click.argument("build", type=click.Path(file_okay=False))(func))


def session_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--inventory --known-hosts --insecure-host-keys --limit --workers``: how to reach the devices."""
    options = [
        click.option("--workers", type=click.IntRange(min=1), default=DEFAULT_WORKERS, show_default=True,
                     help="Devices handled at the same time."),
        click.option("--limit", metavar="NAME[,NAME]", default=None, callback=_named_limit,
                     help="Only these devices of the build (comma-separated names)."),
        click.option("--insecure-host-keys", is_flag=True,
                     help="Accept any SSH host key (labs only; prints a warning)."),
        click.option("--known-hosts", type=click.Path(dir_okay=False), default=None,
                     help="known_hosts file to check SSH host keys against. Default: the inventory's "
                          "all.vars.ccinfra_known_hosts, else ~/.ssh/known_hosts."),
        click.option("--inventory", "-i", type=click.Path(dir_okay=False), required=True,
                     help="Ansible YAML inventory with ansible_host/ansible_port per device."),
    ]
    for option in options:
        func = option(func)
    return func


def ask_credentials() -> Credentials:
    """From the environment; else a prompt when a person is at the terminal; else a one-line error."""
    found = credentials_from_env()
    if found is not None:
        return found
    if not sys.stdin.isatty():
        raise click.ClickException(f"no device credentials: set {ENV_USERNAME} and {ENV_PASSWORD} "
                                   f"(and {ENV_SECRET} for enable) in the environment")
    username = click.prompt("Device username", default=os.environ.get(ENV_USERNAME) or None, err=True)
    password = click.prompt("Device password", hide_input=True, err=True)
    secret = click.prompt("Enable secret (empty: same as password)", hide_input=True, default="",
                          show_default=False, err=True)
    return Credentials(username, password, secret or password)


def make_session(inventory: str, known_hosts: str | None, insecure: bool,
                 timing: Timing | None = None) -> Session:
    if insecure:
        click.echo("WARNING: --insecure-host-keys: SSH host keys are NOT checked; use this only in a lab",
                   err=True)
        policy = HostKeyPolicy(None, insecure=True)
    else:
        path = Path(known_hosts) if known_hosts else inventory_known_hosts(Path(inventory)) or DEFAULT_KNOWN_HOSTS
        policy = HostKeyPolicy(path.expanduser().resolve())
    return Session(ask_credentials(), policy, timing or Timing())


@contextmanager
def progress_display(total: int) -> Iterator[Callable[[str, str], None]]:
    """Per-device progress on stderr: a rich display on a terminal, one line per finished device otherwise."""
    final = set(STATUSES)
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                       console=Console(stderr=True), transient=False)
        tasks: dict[str, Any] = {}
        lock = threading.Lock()

        def show(device: str, stage: str) -> None:
            with lock:
                if not tasks:
                    # Started at the first event, not before: its refresh thread must not exist yet
                    # when the push forks its worker processes (runner.start_method).
                    bar.start()
                if device not in tasks:
                    tasks[device] = bar.add_task(device, total=1)
            bar.update(tasks[device], description=f"{device:<20} {stage}", completed=stage in final)

        try:
            yield show
        finally:
            if tasks:
                bar.stop()
        return
    done, lock = [0], threading.Lock()

    def plain(device: str, stage: str) -> None:
        if stage in final:
            with lock:
                done[0] += 1
                click.echo(f"[{done[0]}/{total}] {device}: {stage}", err=True)

    yield plain


def results_table(results: list[Result]) -> str:
    """Summary for people: device, status, lines sent, duration, error."""
    width = max([len(r.device) for r in results] + [6])
    lines = [f"{'device':<{width}}  {'status':<11}  {'lines':>5}  {'time_s':>7}  error",
             f"{'-' * width}  {'-' * 11}  {'-' * 5}  {'-' * 7}  -----"]
    for r in results:
        lines.append(f"{r.device:<{width}}  {r.status:<11}  {r.lines_sent:>5}  {r.duration_s:>7.2f}  {r.error}")
    counts = summary(results)
    lines.append(f"{counts['total']} device(s): {counts['changed']} changed, {counts['unchanged']} unchanged, "
                 f"{counts['dry-run']} dry-run, {counts['rolled-back']} rolled back, {counts['skipped']} skipped, "
                 f"{counts['failed'] - counts['rolled-back'] - counts['skipped']} failed")
    lines += [f"note: {r.device}: {note}" for r in results for note in r.notes]
    return "\n".join(lines) + "\n"


def diffs_text(results: list[Result]) -> str:
    """The remediation of each device that has one, under a header naming the device."""
    blocks = [f"--- {r.device} ({r.status}): remediation from running to intended\n{r.diff}\n"
              for r in results if r.diff]
    return "\n".join(blocks)


def check_push_outputs(result_json: str | None, backup_dir: str | None) -> None:
    """Refuse unwritable or foreign output paths before any device is touched."""
    if result_json:
        check_output_file(result_json, "--result-json", force=forced(),
                          new_text=to_json({"devices": [], "summary": {}}))
    check_writable_dir(backup_dir or "backups", "--backup-dir")


@click.command("push")
@connection_options
@click.option("--commit", is_flag=True, help="Apply the changes (default: dry run, nothing is changed).")
@click.option("--backup-dir", type=click.Path(file_okay=False), default=None,
              help="Where running configs are saved before anything else. Default: ./backups/<UTC date>/.")
@click.option("--result-json", type=click.Path(dir_okay=False), default=None,
              help="Write {\"devices\": [{device, status, lines_sent, duration_s, error, notes}]} here (atomically).")
@click.option("--processes", type=click.IntRange(min=1), default=None,
              help="Worker processes sharing the --workers (default with --commit: one per 25 devices, at most "
                   "one per CPU; a dry run sends no lines and stays in one process).")
@click.option("--lines-per-write", type=click.IntRange(1, MAX_LINES_PER_WRITE), default=DEFAULT_LINES_PER_WRITE,
              show_default=True, metavar="N",
              help="Config lines typed ahead before their answers are read. 1: each line's answer is checked "
                   "before the next is typed. More: up to N lines per write, never past the end of a "
                   "section (fewer round trips: faster, most of all over a WAN); a rejected line still fails "
                   "the push and rolls it back, but the lines after it in its write were applied meanwhile.")
@click.option("--replace", is_flag=True,
              help="Full replacement (like NAPALM replace): also remove every line the build does not render. "
                   "Off by default; the protected set (accounts, enable secret, AAA, TACACS/RADIUS, SNMP "
                   "communities/users, crypto, SSH pubkeys, key chains, license, boot) and static routes to "
                   "prefixes the build does not route are kept even then.")
@click.option("--adopt", is_flag=True,
              help="Accept a device with a factory-default hostname (Switch, Router) and give it the build's "
                   "config; without it such a device fails identity. Said in the result.")
@click.option("--revert-minutes", type=click.IntRange(0, MAX_REVERT_MINUTES), default=DEFAULT_REVERT_MINUTES,
              show_default=True, metavar="N",
              help="With --commit each device's change runs under `configure terminal revert timer N` (1-120) "
                   "and is confirmed (`configure confirm`) only once verified: a push that dies mid-change is "
                   "undone by the device itself. 0: no timer (says so).")
@click.option("--wait-lock", type=click.FloatRange(min=0), default=0.0, show_default=True, metavar="S",
              help="Seconds to wait for a device that another push holds (lock files in .ccinfra-locks/ next "
                   "to the inventory); after that the device is left untouched.")
@force_option
@click.pass_context
def push_cmd(ctx: click.Context, build: str, inventory: str, known_hosts: str | None, insecure_host_keys: bool,
             limit: str | None, workers: int, commit: bool, backup_dir: str | None, result_json: str | None,
             processes: int | None, lines_per_write: int, replace: bool, adopt: bool, revert_minutes: int,
             wait_lock: float) -> None:
    """Push a rendered build to its switches and gateways over SSH (netmiko), safely.

    Every device is backed up first. Without --commit this is a dry run: each device's diff (the
    hier-config remediation from running to intended) is printed and nothing changes. With
    --commit the remediation is sent with every line's answer checked (one line at a time unless
    --lines-per-write says more), the running config is read back and must match, and only then
    `write memory` runs; any failure rolls the device back to its backup and nothing is saved.
    Phones are skipped (they pull their files from TFTP/HTTP).

    Safety: only the lines the build renders are changed (the managed scope); other lines, and
    always the protected set (local accounts, enable secret, AAA, SNMP communities, crypto ...),
    are left alone unless --replace. Before anything, the device's hostname (prompt and running
    config) must be the build's device name, else it fails "identity mismatch" untouched
    (--adopt accepts a factory-default Switch/Router). Diffs, errors and JSON never show secrets.

    With --commit the change of each device runs under an IOS revert timer (--revert-minutes): a
    device without `archive` first gets one (its own verified step); after the verify comes
    `configure confirm`, then `write memory`. A device another push holds (--wait-lock) or with
    someone else's pending timer is not touched.

    SIGINT, SIGTERM, SIGHUP: no new device starts (`skipped`), devices in flight finish whole
    (confirmed if verified, else reverted), the summary and --result-json are written, exit status
    130 / 143 / 129. A second signal exits at once (the revert timers cover devices in flight).

    Credentials come from CCINFRA_USERNAME, CCINFRA_PASSWORD, CCINFRA_SECRET (or a prompt).
    Exit status: 0 when every device is dry-run, unchanged or changed; 1 otherwise.

    \b
    Example:
      ccinfra push build/ --inventory build/inventory.yaml
      ccinfra push build/ -i build/inventory.yaml --commit --workers 20 --result-json push.json
      ccinfra push build/ -i build/inventory.yaml --replace      # dry run: what a replacement removes
    """
    check_push_outputs(result_json, backup_dir)
    targets = [dataclasses.replace(t, replace=replace, adopt=adopt)
               for t in load_targets(Path(build), Path(inventory), limit)]
    if replace:
        click.echo("WARNING: --replace: every line the build does not render is REMOVED from the devices "
                   "(kept: the protected set — accounts, enable secret, AAA, SNMP, crypto, boot, license — and "
                   "static routes to prefixes the build does not route)",
                   err=True)
    skipped = skipped_devices(Path(build))
    if skipped:
        click.echo(f"skipping {len(skipped)} device(s) not pushed over SSH (phones pull their files; "
                   f"only cisco_ios switches and gateways are pushed)", err=True)
    session = make_session(inventory, known_hosts, insecure_host_keys, Timing(lines_per_write=lines_per_write))
    if commit and not revert_minutes:
        click.echo("WARNING: --revert-minutes 0: no revert timer; a push that dies mid-change leaves devices "
                   "half-configured until someone restores them", err=True)
    options = PushOptions(revert_minutes=revert_minutes, lock_dir=lock_dir_for(Path(inventory)),
                          wait_lock_s=wait_lock)
    interrupts = Interrupts(revert_minutes, changes=commit)
    with interrupts.installed():  # until the summary and the result JSON are written
        with progress_display(len(targets)) as show:
            results = run_push(targets, session, commit=commit, workers=workers,
                               backup_dir=Path(backup_dir) if backup_dir else None, progress=show,
                               processes=processes or (auto_processes(len(targets)) if commit else 1),
                               options=options, stop=interrupts)
        report_results(results, result_json)
    if interrupts.exit_code is not None:
        ctx.exit(interrupts.exit_code)
    if not all(r.ok for r in results):
        ctx.exit(1)


def report_results(results: list[Result], result_json: str | None) -> None:
    """Diffs and the summary table on stdout; the result JSON (atomically) when asked."""
    text = diffs_text(results)
    if text:
        click.echo(text)
    click.echo(results_table(results), nl=False)
    if result_json:
        write_output(result_json, to_json(results_document(results)), "--result-json")
        click.echo(f"wrote {result_json}", err=True)


COMMANDS = [push_cmd]
