"""Run a lab fleet in the foreground until a signal: what ``ccinfra lab up`` calls.

Credentials come from ``CCINFRA_USERNAME`` / ``CCINFRA_PASSWORD`` / ``CCINFRA_SECRET``; when unset
the lab uses the documented lab-only defaults ``lab`` / ``lab`` / ``lab`` (the twins listen on
127.0.0.1 only and hold no real configuration).
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ccinfra.errors import LabError
from ccinfra.fsio import check_output_file
from ccinfra.lab.device import DeviceSpec, skeleton_config
from ccinfra.lab.factory import factory_config
from ccinfra.lab.fleet import AsyncLabFleet
from ccinfra.manifest import read_manifest

LAB_DEFAULT_CREDENTIAL = "lab"  # documented lab-only default for username, password and secret
CREDENTIAL_VARS = ("CCINFRA_USERNAME", "CCINFRA_PASSWORD", "CCINFRA_SECRET")
SSH_ROLES = ("switch", "gateway")  # phones pull their files over TFTP/HTTP; they get no twin
SSH_PLATFORMS = ("cisco_ios",)  # an Asterisk gateway (pjsip.conf) is no IOS device: it gets no twin


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    secret: str
    defaulted: tuple[str, ...] = ()  # the variables that were unset

    def __repr__(self) -> str:  # never show the password or secret
        return f"Credentials(username={self.username!r}, password=***, secret=***)"


def credentials_from_env(environ: Mapping[str, str] | None = None) -> Credentials:
    """Lab credentials from the environment, falling back to ``lab`` for each unset variable.

    >>> credentials_from_env({"CCINFRA_USERNAME": "ops"})
    Credentials(username='ops', password=***, secret=***)
    """
    env = os.environ if environ is None else environ
    values = [env.get(name) or LAB_DEFAULT_CREDENTIAL for name in CREDENTIAL_VARS]
    defaulted = tuple(name for name in CREDENTIAL_VARS if not env.get(name))
    return Credentials(values[0], values[1], values[2], defaulted)


def numbered_specs(count: int, prefix: str = "lab") -> list[DeviceSpec]:
    """``count`` switch twins named ``<prefix>01``, ``<prefix>02``...

    >>> [spec.name for spec in numbered_specs(2)]
    ['lab01', 'lab02']
    """
    if count < 1:
        raise LabError("--devices must be 1 or more")
    width = max(2, len(str(count)))
    return [DeviceSpec(f"{prefix}{i:0{width}d}") for i in range(1, count + 1)]


def build_specs(build_dir: str | os.PathLike[str]) -> list[DeviceSpec]:
    """One twin per IOS switch and gateway of a rendered build, starting from a factory-fresh IOS-XE
    config that carries the lines a real device writes by itself (``ccinfra.lab.factory``)."""
    data, found = read_manifest(build_dir)
    models = {d.get("device"): d.get("model") for d in data["devices"] if isinstance(d, dict)}
    entries = [entry for entry in found if entry.role in SSH_ROLES and entry.platform in SSH_PLATFORMS]
    if not entries:
        raise LabError(f"{Path(build_dir)}/manifest.json lists no switch or gateway on cisco_ios; nothing to emulate")
    return [DeviceSpec(e.device, factory_config(e.device, e.role, models.get(e.device)), role=e.role) for e in entries]


@dataclass(frozen=True)
class Outputs:
    """Files written once the fleet listens."""

    inventory: Path | None = None
    known_hosts: Path | None = None
    build_dir: Path | None = None
    force: bool = False  # overwrite files ccinfra did not write

    @property
    def known_hosts_path(self) -> Path | None:
        """The lab's own known_hosts: as given, else ``<inventory>.known_hosts`` beside the inventory
        (never a plain ``known_hosts`` a person may keep there, such as ``~/.ssh/known_hosts``)."""
        if self.known_hosts is not None or self.inventory is None:
            return self.known_hosts
        return self.inventory.with_name(self.inventory.name + ".known_hosts")

    def check(self) -> None:
        """Refuse, before any device starts, outputs that would overwrite a file ccinfra did not write."""
        if self.inventory is not None:
            check_output_file(self.inventory, "--inventory-out", force=self.force)
        if self.known_hosts_path is not None:
            check_output_file(self.known_hosts_path, "--known-hosts-out", force=self.force)


def write_outputs(fleet: AsyncLabFleet, outputs: Outputs) -> None:
    if outputs.inventory is not None:
        fleet.write_inventory(outputs.inventory, outputs.build_dir, outputs.known_hosts_path, outputs.force)
    elif outputs.known_hosts is not None:
        fleet.write_known_hosts(outputs.known_hosts, outputs.force)


def serve_until_signal(
    specs: list[DeviceSpec],
    credentials: Credentials,
    *,
    port: int = 0,
    outputs: Outputs = Outputs(),
    host_key_dir: str | None = None,
    on_ready: Callable[[AsyncLabFleet], None] = lambda fleet: None,
) -> None:
    """Start the fleet, write the outputs, call ``on_ready``, then serve until SIGINT/SIGTERM."""
    outputs.check()
    fleet = AsyncLabFleet(
        specs,
        username=credentials.username,
        password=credentials.password,
        secret=credentials.secret,
        port=port,
        host_key_dir=host_key_dir,
    )
    asyncio.run(_serve(fleet, outputs, on_ready))


async def _serve(fleet: AsyncLabFleet, outputs: Outputs, on_ready: Callable[[AsyncLabFleet], None]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with fleet:
        write_outputs(fleet, outputs)
        on_ready(fleet)
        await stop.wait()
