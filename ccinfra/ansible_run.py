"""Run the bundled playbooks (``ccinfra.playbooks``) with ``ansible-playbook``: thin, testable pieces.

ccinfra does not drive Ansible through its Python API: a team's AWX or CI runs the same
``ansible-playbook`` line, so that line is what ccinfra builds, shows and runs.

>>> argv = playbook_argv("push", "inv.yml", check=True, diff=True, limit="cc-as01", program="ansible-playbook")
>>> argv[0], argv[1:3], argv[4:]
('ansible-playbook', ['-i', 'inv.yml'], ['--check', '--diff', '--limit', 'cc-as01'])
>>> argv[3].endswith("push_network.yml")
True
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from ccinfra.errors import PushError, SpecError

# Command name -> bundled playbook.
PLAYBOOKS = {
    "push": "push_network.yml",
    "provision": "provision_phones.yml",
    "backup": "backup.yml",
    "audit": "audit.yml",
}


def playbook_path(name: str) -> Path:
    """The installed path of a bundled playbook, by command name (``push``) or file name.

    >>> playbook_path("audit").name
    'audit.yml'
    """
    filename = PLAYBOOKS.get(name, name)
    if filename not in PLAYBOOKS.values():
        raise SpecError(f"no bundled playbook {name!r}; choose one of {', '.join(PLAYBOOKS)}")
    return Path(str(files("ccinfra.playbooks") / filename))


NETWORK_PLAYBOOKS = ("push", "backup", "audit")


def require_cisco_ios() -> None:
    """The network playbooks need the cisco.ios collection, which ships in ``ansible``, not ``ansible-core``."""
    if importlib.util.find_spec("ansible_collections.cisco.ios") is None:
        raise PushError("the cisco.ios Ansible collection is missing: pip install 'ansible>=10' "
                        "(ansible-core alone does not carry it), or pip install 'ccinfra[test]'")


def find_ansible_playbook() -> str:
    """``ansible-playbook`` next to this Python (same virtualenv) first, then on PATH."""
    sibling = Path(sys.executable).with_name("ansible-playbook")
    if sibling.is_file() and os.access(sibling, os.X_OK):
        return str(sibling)
    found = shutil.which("ansible-playbook")
    if not found:
        raise PushError("ansible-playbook not found: pip install 'ansible>=10' (it brings cisco.ios) into this venv")
    return found


def playbook_argv(
    name: str,
    inventory: str | os.PathLike[str],
    *,
    check: bool = False,
    diff: bool = False,
    limit: str | None = None,
    forks: int | None = None,
    extra_vars: Mapping[str, Any] | None = None,
    vault_password_file: str | os.PathLike[str] | None = None,
    extra_args: Sequence[str] = (),
    program: str | None = None,
) -> list[str]:
    """The ``ansible-playbook`` command line for a bundled playbook (nothing secret goes in it)."""
    if name in NETWORK_PLAYBOOKS or PLAYBOOKS.get(name) in (PLAYBOOKS[n] for n in NETWORK_PLAYBOOKS):
        require_cisco_ios()
    argv = [program or find_ansible_playbook(), "-i", str(inventory), str(playbook_path(name))]
    if check:
        argv.append("--check")
    if diff:
        argv.append("--diff")
    if limit:
        argv += ["--limit", limit]
    if forks:
        argv += ["--forks", str(forks)]
    if extra_vars:
        # One JSON document: no shell quoting or key=value splitting surprises with paths.
        argv += ["--extra-vars", json.dumps(dict(extra_vars), sort_keys=True)]
    if vault_password_file:
        argv += ["--vault-password-file", str(vault_password_file)]
    return argv + list(extra_args)


@contextlib.contextmanager
def private_home(known_hosts: Sequence[str | os.PathLike[str]]) -> Iterator[dict[str, str]]:
    """Environment overrides giving ``ansible-playbook`` a HOME whose known_hosts adds ``known_hosts``.

    Ansible's paramiko connection (network_cli without ansible-pylibssh) reads host keys only from
    ``~/.ssh/known_hosts`` and ``/etc/ssh/ssh_known_hosts``, with no option for another file. So
    the run gets a temporary HOME: its ``.ssh/known_hosts`` is the user's file followed by the
    given ones, and ``.ansible`` / ``.ansible.cfg`` link to the user's, so collections, settings
    and persistent sockets stay where they were. Keys are still verified, never added.
    """
    real_home = Path.home()
    with tempfile.TemporaryDirectory(prefix="ccinfra-ansible-home-") as tmp:
        home = Path(tmp)
        ssh = home / ".ssh"
        ssh.mkdir(mode=0o700)
        own = real_home / ".ssh" / "known_hosts"
        texts = [own.read_text(encoding="utf-8")] if own.is_file() else []
        for extra in map(Path, known_hosts):
            if not extra.is_file():
                raise SpecError(f"--known-hosts {extra}: no such file; `ccinfra lab up` writes one by the inventory")
            texts.append(extra.read_text(encoding="utf-8"))
        (ssh / "known_hosts").write_text("".join(t if t.endswith("\n") else t + "\n" for t in texts if t))
        for name in (".ansible", ".ansible.cfg"):
            if (real_home / name).exists():
                (home / name).symlink_to(real_home / name)
        yield {"HOME": str(home)}


def run_playbook(argv: Sequence[str], known_hosts: Sequence[str | os.PathLike[str]] = ()) -> int:
    """Run ``argv`` (from :func:`playbook_argv`) with this process's stdio; return its exit code.

    ansible-playbook's codes: 0 ok, 2 a host failed, 4 a host unreachable, 1/5/250 errors.
    """
    with contextlib.ExitStack() as stack:
        env = dict(os.environ)
        if known_hosts:
            env.update(stack.enter_context(private_home(known_hosts)))
        try:
            return subprocess.run(list(argv), env=env, check=False).returncode
        except FileNotFoundError:
            raise PushError(f"{argv[0]} not found: pip install 'ansible>=10' into this environment") from None
