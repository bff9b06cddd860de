"""asyncssh glue: log a client in and run an :class:`~ccinfra.lab.shell.IosShell` over its channel.

Authentication takes the fleet's username and password by ``password`` or ``keyboard-interactive``
(netmiko and Ansible's paramiko both try ``password`` first). The password is compared in constant
time and never logged. Faults are read on every use, so a change at runtime applies at once.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import TYPE_CHECKING, Any

import asyncssh
from asyncssh.constants import MSG_IGNORE

from ccinfra.lab.shell import IosShell
from ccinfra.lab.terminal import Line, LineReader

if TYPE_CHECKING:
    from ccinfra.lab.device import LabDevice

SERVER_VERSION = "Cisco-1.25"  # what IOS 15 announces ("SSH-2.0-Cisco-1.25"); asyncssh has a quirk for it
_READ_SIZE = 4096


class _PeerGoneFilter(logging.Filter):
    """Drop asyncio's "socket.send() raised exception." warning.

    asyncio logs it after five writes to a socket whose peer is gone. A client that sends
    ``exit`` and closes at once (netmiko's disconnect) makes the twin write its echo, the exit
    status, EOF and channel close into that window: expected, and not worth a line on stderr.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "socket.send() raised exception."


_PEER_GONE_FILTER = _PeerGoneFilter()


def quiet_peer_gone_warnings() -> None:
    """Install the filter on asyncio's logger (idempotent)."""
    logger = logging.getLogger("asyncio")
    if _PEER_GONE_FILTER not in logger.filters:
        logger.addFilter(_PEER_GONE_FILTER)


class LabSSHServer(asyncssh.SSHServer):
    """Per-connection authentication callbacks of one lab device."""

    def __init__(self, device: LabDevice) -> None:
        self._device = device
        self._conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        self._device.connections.add(conn)
        _send_no_ignore_packets(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._device.connections.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        return True  # authentication is always required

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return self._device.credentials_match(username, password)

    def kbdint_auth_supported(self) -> bool:
        return True

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> Any:
        return "", "", "", [("Password: ", False)]

    def validate_kbdint_response(self, username: str, responses: Any) -> bool:
        return len(responses) == 1 and self._device.credentials_match(username, responses[0])


_EMPTY_STRING = b"\x00\x00\x00\x00"  # an SSH string of length 0


def _send_no_ignore_packets(conn: asyncssh.SSHServerConnection) -> None:
    """Send no empty SSH_MSG_IGNORE packets on this connection, as IOS sends none.

    asyncssh puts an empty ignore packet in front of every packet it encrypts (a countermeasure
    against an attack on CBC ciphers; the lab offers only AEAD ciphers, see ``LAB_CIPHERS``).
    That doubles the packets a client decrypts for each echoed line. The wrapper is set on this
    connection object only; asyncssh sends the packet through ``self.send_packet``, so if a later
    asyncssh does it otherwise the lab simply sends them again.
    """
    send_packet = conn.send_packet

    def send_packet_but_empty_ignore(pkttype: int, *args: bytes, **kwargs: Any) -> None:
        if pkttype == MSG_IGNORE and args == (_EMPTY_STRING,):
            return
        send_packet(pkttype, *args, **kwargs)

    conn.send_packet = send_packet_but_empty_ignore  # type: ignore[method-assign]


def credentials_match(expected: tuple[str, str], username: str, password: str) -> bool:
    """Constant-time comparison of both username and password."""
    user_ok = hmac.compare_digest(username.encode(), expected[0].encode())
    password_ok = hmac.compare_digest(password.encode(), expected[1].encode())
    return user_ok and password_ok


async def _pause(device: LabDevice) -> None:
    delay_s = device.state.faults.delay_s
    if delay_s:
        await asyncio.sleep(delay_s)


async def serve_session(device: LabDevice, process: asyncssh.SSHServerProcess[str]) -> None:
    """Run one interactive vty (or one exec-request command) until exit, EOF or a drop fault."""
    shell = IosShell(device.state, user=process.get_extra_info("username") or "console")
    try:
        await _pause(device)
        if process.command is not None:
            reply = shell.handle(Line(process.command))
            output = reply.output.removeprefix("\r\n")
            process.stdout.write(output.removesuffix(shell.prompt()))
            process.exit(0)
            return
        process.stdout.write(shell.greeting())
        await _converse(device, shell, process)
    except (asyncssh.Error, ConnectionError, BrokenPipeError):
        return  # the client went away; nothing to clean up beyond the channel


async def _converse(device: LabDevice, shell: IosShell, process: asyncssh.SSHServerProcess[str]) -> None:
    reader = LineReader()
    # A line's echo and its answer go out in one write (one SSH packet, not two per line), except
    # before a slow answer, where the echo comes first as on a real device.
    pending: list[str] = []

    def flush() -> None:
        if any(pending):
            process.stdout.write("".join(pending))
        pending.clear()

    while True:
        try:
            data = await process.stdin.read(_READ_SIZE)
        except (asyncssh.TerminalSizeChanged, asyncssh.BreakReceived, asyncssh.SignalReceived):
            continue
        if not data:
            process.exit(0)
            return
        reader.feed(data)
        while True:
            echo, event = reader.next(shell.echo)
            pending.append(echo)
            if event is None:
                break
            if device.state.faults.delay_s:
                flush()
                await _pause(device)
            reply = shell.handle(event)
            pending.append(reply.output)
            if reply.dropped:
                # A drop fault: the link dies without a goodbye, mid-push.
                flush()
                process.channel.get_connection().close()
                return
            if reply.close:
                flush()
                process.exit(0)
                return
        flush()
