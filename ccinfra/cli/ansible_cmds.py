"""``ccinfra ansible push|provision|backup|audit``: run a bundled playbook with ansible-playbook.

Thin on purpose: each command builds one ``ansible-playbook`` line (``--print-command`` shows it),
runs it with this terminal, and exits with ansible-playbook's own code.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ccinfra.ansible_run import playbook_argv, run_playbook


@click.group("ansible")
def ansible() -> None:
    """Run ccinfra's Ansible playbooks (cisco.ios) over an inventory, as AWX or CI would.

    Credentials come from CCINFRA_USERNAME, CCINFRA_PASSWORD, CCINFRA_SECRET or an
    ansible-vault file (--vault-password-file); never from the command line.

    \b
    Example:
      ccinfra render site.yaml -o build/ && ccinfra inventory site.yaml -o inv/
      ccinfra ansible push -i inv/ --check --diff
    """


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("-i", "--inventory", required=True, type=click.Path(exists=True, path_type=Path),
                     help="Inventory file or folder (ccinfra inventory / ccinfra lab up --inventory-out)."),
        click.option("--limit", "-l", default=None, help="Only these hosts or groups (Ansible pattern)."),
        click.option("--forks", "-f", type=click.IntRange(1, 500), default=None,
                     help="Hosts worked on at once (default: ansible.cfg / ANSIBLE_FORKS)."),
        click.option("--vault-password-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="File holding the ansible-vault password of vault_ccinfra_* variables."),
        click.option("--known-hosts", "known_hosts", multiple=True,
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Extra known_hosts file (e.g. the lab's); keys stay verified. Repeatable."),
        click.option("--print-command", is_flag=True, help="Print the ansible-playbook line and exit."),
        click.argument("extra_args", nargs=-1, type=click.UNPROCESSED),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _check_diff(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--diff", is_flag=True, help="Show what changes (lines sent, files replaced).")(func)
    return click.option("--check", is_flag=True, help="Dry run: compute the changes, apply none.")(func)


def _run(name: str, options: dict[str, Any], extra_vars: dict[str, str]) -> None:
    if options["limit"] is not None and not options["limit"].strip(", "):
        raise click.BadParameter("no host or group named; give a pattern or leave --limit out", param_hint="'--limit'")
    argv = playbook_argv(
        name,
        options["inventory"],
        check=options.get("check", False),
        diff=options.get("diff", False),
        limit=options["limit"],
        forks=options["forks"],
        extra_vars={k: v for k, v in extra_vars.items() if v},
        vault_password_file=options["vault_password_file"],
        extra_args=options["extra_args"],
    )
    if options["print_command"]:
        click.echo(shlex.join(argv))
        return
    raise SystemExit(run_playbook(argv, known_hosts=options["known_hosts"]))


def _abs(path: Path | None) -> str:
    return str(path.absolute()) if path else ""


@ansible.command("push", context_settings={"ignore_unknown_options": True})
@_check_diff
@_common
@click.option("--backup-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Pre-change backups go here (default: ./backups/pre-push).")
def push(backup_dir: Path | None, **options: Any) -> None:
    """Push each rendered config with cisco.ios.ios_config (playbooks/push_network.yml).

    Backs up the running config of each device that will change, applies the missing lines,
    saves when running differs from startup. Arguments after -- go to ansible-playbook.

    Exit code: ansible-playbook's (0 ok, 2 a host failed, 4 a host unreachable).

    \b
    Example:
      ccinfra ansible push -i lab/inventory.yml --known-hosts lab/known_hosts --check --diff
      ccinfra ansible push -i inv/ --limit switches -- -v
    """
    _run("push", options, {"ccinfra_backup_dir": _abs(backup_dir)})


@ansible.command("provision", context_settings={"ignore_unknown_options": True})
@_check_diff
@_common
def provision(**options: Any) -> None:
    """Copy rendered phone files to the TFTP/HTTP root of the provisioning hosts.

    Uses playbooks/provision_phones.yml (ccinfra_phone_dir -> ccinfra_tftp_root).

    Exit code: ansible-playbook's (0 ok, 2 a host failed, 4 a host unreachable).

    \b
    Example:
      ccinfra ansible provision -i inv/ --check --diff
    """
    _run("provision", options, {})


@ansible.command("backup", context_settings={"ignore_unknown_options": True})
@_common
@click.option("--backup-root", type=click.Path(file_okay=False, path_type=Path),
              help="Running configs go to ROOT/YYYY-MM-DD/<host>.cfg (default: ./backups).")
def backup(backup_root: Path | None, **options: Any) -> None:
    """Save every device's running config into a dated folder (playbooks/backup.yml).

    Exit code: ansible-playbook's (0 ok, 2 a host failed, 4 a host unreachable).

    \b
    Example:
      ccinfra ansible backup -i inv/ --backup-root /srv/ccinfra/backups
    """
    _run("backup", options, {"ccinfra_backup_root": _abs(backup_root)})


@ansible.command("audit", context_settings={"ignore_unknown_options": True})
@_common
@click.option("--audit-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Per-host drift reports (<host>.json) go here (default: ./audit).")
def audit(audit_dir: Path | None, **options: Any) -> None:
    """Compare running configs with the rendered ones; drifted hosts fail (playbooks/audit.yml).

    Exit code: ansible-playbook's (0 ok, 2 a host failed, 4 a host unreachable).

    \b
    Example:
      ccinfra ansible audit -i inv/ --audit-dir audit/2025-01-31
    """
    _run("audit", options, {"ccinfra_audit_dir": _abs(audit_dir)})

COMMANDS = [ansible]
