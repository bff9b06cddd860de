"""One emulated IOS device: a spec, its shared state, and an SSH listener on 127.0.0.1.

The listening socket is bound by the device itself, so a ``refuse`` fault can keep the port
reserved while not listening: a TCP connect to a bound socket that does not listen is refused
(RST) on Linux, exactly what a client sees when a device's SSH is down.
"""

from __future__ import annotations

import asyncio
import functools
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

from ccinfra.errors import LabError
from ccinfra.fsio import write_bytes_atomic
from ccinfra.lab.server import (
    SERVER_VERSION,
    LabSSHServer,
    credentials_match,
    quiet_peer_gone_warnings,
    serve_session,
)
from ccinfra.lab.state import DeviceState, Faults

LOOPBACK = "127.0.0.1"  # the lab never binds anything else
_HOSTNAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,62}$")  # IOS hostname rules (RFC 1123 label)
_TIMEOUT_S = 10.0
# Only AEAD ciphers, as IOS-XE 16.x and later offer them: one cipher call per packet instead of a
# cipher and an HMAC, on both ends; a twin shares the CPU with the push it serves (bench/push.py).
# An SSH server takes the client's first choice it supports, and paramiko lists aes-ctr first, so
# offering aes-ctr too would bring the HMAC back. paramiko has AES-GCM since 3.5 (pyproject.toml).
LAB_CIPHERS = ("aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com")


def skeleton_config(name: str, role: str = "switch") -> str:
    """A factory-fresh IOS configuration with ``hostname <name>``: what a twin starts from.

    >>> print(skeleton_config("cc-as01"), end="")
    hostname cc-as01
    !
    line con 0
    line vty 0 4
     login local
     transport input ssh
    !
    end
    """
    return f"hostname {name}\n!\nline con 0\nline vty 0 4\n login local\n transport input ssh\n!\nend\n"


def with_extra_config(config: str, extra: str) -> str:
    """``config`` with ``extra`` lines added before its ``end``: what a twin carries out of band.

    >>> print(with_extra_config("hostname sw1\\n!\\nend\\n", "aaa new-model\\n"), end="")
    hostname sw1
    !
    aaa new-model
    !
    end
    """
    if not extra.strip():
        return config
    lines = config.rstrip("\n").splitlines()
    if lines and lines[-1].strip() == "end":
        lines.pop()
    return "\n".join([*lines, *extra.rstrip("\n").splitlines(), "!", "end"]) + "\n"


@dataclass(frozen=True)
class DeviceSpec:
    """What to start: a name (also the hostname), a role, an initial config and faults.

    ``initial_config`` defaults to :func:`skeleton_config`; ``role`` (``switch`` or ``gateway``)
    only changes ``show version`` and whether ``show vlan`` exists. ``extra_config`` is added to
    the initial config: the lines a real device carries that no build renders (local accounts,
    ``enable secret``, AAA, TACACS servers, SNMP communities, static routes). ``minute_s``: how many
    seconds an IOS minute of a revert timer lasts (None: ``CCINFRA_LAB_MINUTE_S`` or 60; see
    :mod:`ccinfra.lab.rollback`).
    """

    name: str
    initial_config: str | None = None
    faults: Faults = field(default_factory=Faults)
    role: str = "switch"
    extra_config: str = ""
    floor: Any = None  # ccinfra.lab.floor.SwitchFloor: phones and other devices on the ports
    minute_s: float | None = None

    def __post_init__(self) -> None:
        if not _HOSTNAME.match(self.name):
            raise LabError(
                f"device name {self.name!r} is not a valid IOS hostname: use letters, digits and '-', "
                "starting with a letter, at most 63 characters"
            )


class LabDevice:
    """A running (or ready to run) lab twin. Properties are safe to read from any thread."""

    def __init__(
        self,
        spec: DeviceSpec,
        *,
        username: str,
        password: str,
        secret: str,
        port: int = 0,
        host_key: asyncssh.SSHKey | None = None,
    ) -> None:
        self.spec = spec
        self.name = spec.name
        self.host = LOOPBACK
        self.state = DeviceState(
            spec.name, spec.role,
            with_extra_config(spec.initial_config or skeleton_config(spec.name, spec.role), spec.extra_config),
            secret, spec.faults, spec.minute_s,
        )
        self.state.floor = spec.floor
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self._credentials = (username, password)
        self._requested_port = port
        self._port = port
        self._host_key = host_key or asyncssh.generate_private_key("ssh-ed25519")
        self._socket: socket.socket | None = None
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        return f"LabDevice({self.name!r}, port={self._port})"

    @property
    def port(self) -> int:
        return self._port

    @property
    def host_key_public(self) -> str:
        """``ssh-ed25519 AAAA...`` (no comment)."""
        return " ".join(self._host_key.export_public_key("openssh").decode().split()[:2])

    @property
    def known_hosts_line(self) -> str:
        """The OpenSSH known_hosts line a client needs to verify this device's host key."""
        return f"[{self.host}]:{self._port} {self.host_key_public}"

    @property
    def running_config(self) -> str:
        """The running configuration as IOS text (``!`` separators, ending in ``end``)."""
        return self.state.running_text()

    @property
    def startup_config(self) -> str:
        with self.state.lock:
            return self.state.startup_text

    @property
    def config_lines_received(self) -> int:
        """Configuration lines received (accepted or rejected) since start, over all sessions."""
        with self.state.lock:
            return self.state.config_lines_received

    @property
    def faults(self) -> Faults:
        return self.state.faults

    @property
    def listening(self) -> bool:
        return self._acceptor is not None

    def credentials_match(self, username: str, password: str) -> bool:
        if self.state.faults.auth_fail:
            return False
        return credentials_match(self._credentials, username, password)

    def set_faults(self, faults: Faults) -> None:
        """Replace this device's faults, from any thread; returns once a refuse change applies."""
        loop = self._loop
        if loop is None or not loop.is_running():
            self.state.faults = faults
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self.state.faults = faults
            loop.create_task(self._sync_listener())
            return
        asyncio.run_coroutine_threadsafe(self.aset_faults(faults), loop).result(_TIMEOUT_S)

    async def aset_faults(self, faults: Faults) -> None:
        """Replace this device's faults from inside the fleet's event loop."""
        self.state.faults = faults
        await self._sync_listener()

    async def start(self) -> None:
        """Bind the port (reserving it) and listen unless the ``refuse`` fault is set."""
        self._loop = asyncio.get_running_loop()
        quiet_peer_gone_warnings()
        self._socket = self._bind(self._requested_port)
        self._port = self._socket.getsockname()[1]
        await self._sync_listener()

    async def stop(self) -> None:
        """Stop listening, close every session, release the port, stop the revert timer."""
        with self.state.lock:
            self.state.rollback.close()
        await self._close_listener()
        for conn in list(self.connections):
            conn.close()
        for conn in list(self.connections):
            try:
                await asyncio.wait_for(conn.wait_closed(), _TIMEOUT_S)
            except (asyncio.TimeoutError, asyncssh.Error, OSError):
                conn.abort()
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    async def _sync_listener(self) -> None:
        if self.state.faults.refuse and self._acceptor is not None:
            await self._close_listener()
            self._socket = self._bind(self._port)
        elif not self.state.faults.refuse and self._acceptor is None and self._socket is not None:
            sock, self._socket = self._socket, None
            self._acceptor = await asyncssh.listen(
                sock=sock,
                server_factory=functools.partial(LabSSHServer, self),
                server_host_keys=[self._host_key],
                process_factory=functools.partial(serve_session, self),
                line_editor=False,
                encoding="utf-8",
                server_version=SERVER_VERSION,
                allow_scp=False,
                encryption_algs=LAB_CIPHERS,
                agent_forwarding=False,
                x11_forwarding=False,
            )

    async def _close_listener(self) -> None:
        if self._acceptor is not None:
            acceptor, self._acceptor = self._acceptor, None
            acceptor.close()
            await acceptor.wait_closed()

    def _bind(self, port: int) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Reuse lets a stopped lab's port be taken again at once (connections in TIME_WAIT).
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError as err:
            sock.close()
            raise LabError(
                f"device {self.name}: cannot bind {LOOPBACK}:{port} ({err.strerror}); "
                "pick another --port or stop what uses it"
            ) from None
        sock.setblocking(False)
        return sock


def load_or_create_host_key(folder: str | Path, name: str) -> asyncssh.SSHKey:
    """The device's ed25519 host key from ``folder/<name>.key``, created (mode 0600) when missing."""
    path = Path(folder) / f"{name}.key"
    if path.exists():
        try:
            return asyncssh.read_private_key(str(path))
        except (asyncssh.KeyImportError, OSError) as err:
            raise LabError(f"host key {path} cannot be read ({err}); delete it to get a new one") from None
    key = asyncssh.generate_private_key("ssh-ed25519")
    write_bytes_atomic(path, key.export_private_key("openssh"), mode=0o600)
    return key
