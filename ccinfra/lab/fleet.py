"""A fleet of lab twins: :class:`AsyncLabFleet` for asyncio code, :class:`LabFleet` for everyone else.

``LabFleet`` runs the async core in its own event loop on a background thread, so tests, netmiko
and ``ansible-playbook`` subprocesses can talk to the devices from ordinary blocking code::

    with LabFleet([DeviceSpec("cc-as01")], username="lab", password="lab", secret="lab") as fleet:
        dev = fleet["cc-as01"]
        ConnectHandler(device_type="cisco_ios", host=dev.host, port=dev.port, ...)
"""

from __future__ import annotations

import asyncio
import os
import threading
from dataclasses import replace
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ccinfra.errors import LabError
from ccinfra.fsio import check_output_file, write_text_atomic
from ccinfra.lab.device import DeviceSpec, LabDevice, load_or_create_host_key
from ccinfra.inventory import InventoryHost, group_for_role, write_inventory
from ccinfra.manifest import read_manifest

KNOWN_HOSTS_HEADER = "# written by ccinfra lab up: SSH host keys of the lab twins on 127.0.0.1\n"

_START_TIMEOUT_S = 60.0


class AsyncLabFleet:
    """Devices started and stopped together inside the caller's event loop.

    ``port=0`` gives each device a free port; ``port=P`` gives consecutive ports P, P+1, ...
    """

    def __init__(
        self,
        specs: Iterable[DeviceSpec],
        *,
        username: str = "lab",
        password: str = "lab",
        secret: str = "lab",
        port: int = 0,
        host_key_dir: str | os.PathLike[str] | None = None,
        minute_s: float | None = None,
    ) -> None:
        # minute_s: the length of an IOS minute for every device whose spec does not say (revert timers).
        specs = [replace(s, minute_s=minute_s) if minute_s is not None and s.minute_s is None else s for s in specs]
        names = [spec.name for spec in specs]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise LabError(f"device names must be unique; repeated: {', '.join(duplicates)}")
        if not 0 <= port <= 65535 or (port and port + len(specs) - 1 > 65535):
            raise LabError(f"--port {port} leaves no room for {len(specs)} consecutive ports (1-65535)")
        self.devices: list[LabDevice] = [
            LabDevice(
                spec,
                username=username,
                password=password,
                secret=secret,
                port=port + i if port else 0,
                host_key=load_or_create_host_key(host_key_dir, spec.name) if host_key_dir else None,
            )
            for i, spec in enumerate(specs)
        ]
        self._by_name = {device.name: device for device in self.devices}

    def __getitem__(self, name: str) -> LabDevice:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"no lab device named {name!r}; devices: {', '.join(self._by_name)}") from None

    def __iter__(self) -> Iterator[LabDevice]:
        return iter(self.devices)

    def __len__(self) -> int:
        return len(self.devices)

    @property
    def names(self) -> list[str]:
        return list(self._by_name)

    async def start(self) -> None:
        """Start every device; if one cannot, stop those already started and raise."""
        started: list[LabDevice] = []
        try:
            for device in self.devices:
                await device.start()
                started.append(device)
        except BaseException:
            for device in started:
                await device.stop()
            raise

    async def stop(self) -> None:
        await asyncio.gather(*(device.stop() for device in self.devices), return_exceptions=True)

    async def __aenter__(self) -> AsyncLabFleet:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def known_hosts_text(self) -> str:
        return "".join(device.known_hosts_line + "\n" for device in self.devices)

    def write_known_hosts(self, path: str | os.PathLike[str], force: bool = False) -> Path:
        """Write every device's known_hosts line to ``path`` (atomically), under a ``written by ccinfra``
        comment; a file ccinfra did not write is refused unless ``force``."""
        check_output_file(path, "--known-hosts-out", force=force)
        return write_text_atomic(path, KNOWN_HOSTS_HEADER + self.known_hosts_text())

    def write_inventory(
        self,
        path: str | os.PathLike[str],
        build_dir: str | os.PathLike[str] | None = None,
        known_hosts_path: str | os.PathLike[str] | None = None,
        force: bool = False,
    ) -> Path:
        """Write the Ansible inventory of the fleet, and the known_hosts file it points to.

        known_hosts goes to ``known_hosts_path`` or next to the inventory as ``known_hosts``.
        With ``build_dir``, each host's ``ccinfra_config`` (and group) comes from the build's
        ``manifest.json``; devices not in the manifest get no ``ccinfra_config``.
        """
        target = Path(path).absolute()
        known = Path(known_hosts_path).absolute() if known_hosts_path else target.parent / "known_hosts"
        check_output_file(target, "--inventory-out", force=force)
        self.write_known_hosts(known, force)
        return write_inventory(target, self.inventory_hosts(build_dir), known_hosts_path=known)

    def inventory_hosts(self, build_dir: str | os.PathLike[str] | None = None) -> list[InventoryHost]:
        entries = {entry.device: entry for entry in read_manifest(build_dir)[1]} if build_dir else {}
        hosts = []
        for device in self.devices:
            entry = entries.get(device.name)
            hosts.append(
                InventoryHost(
                    name=device.name,
                    group=group_for_role(entry.role if entry else device.spec.role),
                    host=device.host,
                    port=device.port,
                    config_path=str(entry.absolute_path) if entry else None,
                    platform=entry.platform if entry else "cisco_ios",
                )
            )
        return hosts


class LabFleet:
    """A fleet running in its own asyncio loop on a background thread (start/stop or ``with``)."""

    def __init__(self, specs: Sequence[DeviceSpec] | Iterable[DeviceSpec], **options: Any) -> None:
        self.core = AsyncLabFleet(specs, **options)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def __getitem__(self, name: str) -> LabDevice:
        return self.core[name]

    def __iter__(self) -> Iterator[LabDevice]:
        return iter(self.core)

    def __len__(self) -> int:
        return len(self.core)

    @property
    def devices(self) -> list[LabDevice]:
        return self.core.devices

    @property
    def names(self) -> list[str]:
        return self.core.names

    def start(self) -> LabFleet:
        """Start the loop thread and every device; returns when all listen."""
        if self._loop is not None:
            return self
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="ccinfra-lab", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        try:
            asyncio.run_coroutine_threadsafe(self.core.start(), loop).result(_START_TIMEOUT_S)
        except BaseException:
            self._halt_loop()
            raise
        return self

    def stop(self) -> None:
        """Stop every device and the loop thread (safe to call twice)."""
        if self._loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self.core.stop(), self._loop).result(_START_TIMEOUT_S)
        finally:
            self._halt_loop()

    def _halt_loop(self) -> None:
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(_START_TIMEOUT_S)
        loop.close()

    def __enter__(self) -> LabFleet:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def known_hosts_text(self) -> str:
        return self.core.known_hosts_text()

    def write_known_hosts(self, path: str | os.PathLike[str], force: bool = False) -> Path:
        return self.core.write_known_hosts(path, force)

    def write_inventory(
        self,
        path: str | os.PathLike[str],
        build_dir: str | os.PathLike[str] | None = None,
        known_hosts_path: str | os.PathLike[str] | None = None,
        force: bool = False,
    ) -> Path:
        return self.core.write_inventory(path, build_dir, known_hosts_path, force)
