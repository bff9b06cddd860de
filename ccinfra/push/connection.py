"""Talking to one device: the ``Pusher`` protocol and its netmiko implementation.

The protocol is the napalm-style lifecycle cut down to what a safe push needs (connect, read the
running and startup configs, send config lines, save, close). Every netmiko/paramiko exception is
turned into the ccinfra error tree with a one-line message that names the device:
``AuthError``, ``HostKeyError``, ``ConnectError`` (refused, timeout, dropped) and ``CommitError``
(a line the device rejected).

Secrets: credentials are passed to netmiko only; no session log is opened, ``Credentials`` hides
the password in its ``repr``, and messages never include it.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import paramiko
from netmiko import BaseConnection, ConnectHandler
from netmiko.channel import SSHChannel
from netmiko.exceptions import (
    ConfigInvalidException,
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadException,
    ReadTimeout,
)

from ccinfra.errors import AuthError, CommitError, ConnectError, HostKeyError, PushError
from ccinfra.push.targets import Target

ENV_USERNAME, ENV_PASSWORD, ENV_SECRET = "CCINFRA_USERNAME", "CCINFRA_PASSWORD", "CCINFRA_SECRET"

# What IOS answers to a line it does not take: "% Invalid input detected at '^' marker.",
# "% Incomplete command.", "% Ambiguous command: ...", "% Unknown command ..." and "% Error ..." /
# "Error: ..." messages. Anchored at the start of a line so that an echoed command containing the
# word (``description Error LED``) is not mistaken for an error: the echo follows the prompt.
ERROR_PATTERN = r"^[ \t]*(?:%[ \t]*(?:Invalid|Incomplete|Ambiguous|Unknown|Error)|Error)\b[^\r\n]*"

# Session errors that mean the device went away mid-session (netmiko lets these through).
_DROPPED = (OSError, EOFError, socket.timeout, paramiko.SSHException, ReadTimeout, ReadException,
            NetmikoTimeoutException)


@dataclass(frozen=True)
class Credentials:
    """Login name, password and enable secret. ``repr`` never shows the password or secret."""

    username: str
    password: str = field(repr=False)
    secret: str = field(default="", repr=False)


def credentials_from_env(environ: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials from ``CCINFRA_USERNAME``/``CCINFRA_PASSWORD``/``CCINFRA_SECRET``; None if one is missing.

    The enable secret is optional: without it the password is tried for ``enable``.

    >>> credentials_from_env({"CCINFRA_USERNAME": "ops", "CCINFRA_PASSWORD": "s3cret"})
    Credentials(username='ops')
    >>> credentials_from_env({"CCINFRA_USERNAME": "ops"}) is None
    True
    """
    env = os.environ if environ is None else environ
    username, password = env.get(ENV_USERNAME, ""), env.get(ENV_PASSWORD, "")
    if not username or not password:
        return None
    return Credentials(username, password, env.get(ENV_SECRET, "") or password)


@dataclass(frozen=True)
class HostKeyPolicy:
    """Check SSH host keys against ``known_hosts`` (the default) or accept any key (``insecure``)."""

    known_hosts: Path | None
    insecure: bool = False

    def netmiko_args(self) -> dict[str, object]:
        if self.insecure:
            return {"ssh_strict": False, "system_host_keys": False, "alt_host_keys": False}
        return {"ssh_strict": True, "system_host_keys": False, "alt_host_keys": True,
                "alt_key_file": str(self.known_hosts)}


@dataclass(frozen=True)
class Timing:
    """netmiko timing, in seconds. The defaults suit a LAN or the loopback lab (measured in bench/push.py)."""

    conn_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    global_delay_factor: float = 1.0


class Pusher(Protocol):
    """What the push and the drift audit need from a device session (see ``NetmikoPusher``)."""

    device: str
    lines_sent: int

    def connect(self) -> None: ...
    def get_running(self) -> str: ...
    def get_startup(self) -> str: ...
    def send_config(self, lines: Sequence[str]) -> None: ...
    def save(self) -> None: ...
    def close(self) -> None: ...


def _cause_text(err: BaseException) -> str:
    """The root paramiko/socket message behind a netmiko exception, on one line."""
    cause = err.__cause__ or err.__context__ or err
    text = str(cause).strip() or type(cause).__name__
    return " ".join(text.split())


def _connect_error(target: Target, err: Exception, policy: HostKeyPolicy) -> PushError:
    device, where = target.device, f"{target.host}:{target.port}"
    cause = err.__cause__ or err.__context__
    if isinstance(cause, paramiko.BadHostKeyException) or "does not match" in str(err):
        return HostKeyError(f"{device} ({where}): SSH host key CHANGED since it was recorded in "
                            f"{policy.known_hosts}; if the device was replaced, remove its old line "
                            f"(ssh-keygen -R '[{target.host}]:{target.port}' -f {policy.known_hosts}) and add the new key")
    if "not found in known_hosts" in str(err):
        return HostKeyError(f"{device} ({where}): SSH host key unknown (not in {policy.known_hosts}); add it "
                            f"(ssh-keyscan -p {target.port} {target.host} >> {policy.known_hosts}, after checking "
                            f"the fingerprint) or pass --insecure-host-keys for a lab")
    if isinstance(err, NetmikoAuthenticationException):
        return AuthError(f"{device} ({where}): login refused for this username/password; check "
                         f"{ENV_USERNAME} and {ENV_PASSWORD}")
    return ConnectError(f"{device} ({where}): cannot connect: {_cause_text(err)}")


class _EofAwareChannel(SSHChannel):
    """netmiko's SSH channel, but a closed session raises at once.

    paramiko's ``recv_ready()`` stays False on a channel the device has closed, so netmiko keeps
    polling until its read timeout; a device that drops the session mid-push would cost the whole
    timeout before the rollback could start.
    """

    def read_buffer(self) -> str:
        output = super().read_buffer()
        conn = self.remote_conn
        if not output and conn is not None and (conn.closed or conn.eof_received) and not conn.recv_ready():
            raise ReadException("Channel stream closed by remote device.")
        return output


_BANNER_OPEN = re.compile(r"^banner \S+ (\S)$")
_HOSTNAME = re.compile(r"^hostname (\S+)$")
_CONFIG_PROMPT = re.compile(r"\)#\s*$")  # "sw1(config-if)#": still in a configuration mode


def _blocks(lines: Sequence[str]) -> list[list[str]]:
    """Group lines as they must be typed: a banner with its text and closing delimiter, else one line.

    >>> _blocks(["hostname a", "banner motd @", "Hi", "@", "vlan 10"])
    [['hostname a'], ['banner motd @', 'Hi', '@'], ['vlan 10']]
    """
    blocks: list[list[str]] = []
    index = 0
    while index < len(lines):
        opened = _BANNER_OPEN.match(lines[index].strip())
        end = index + 1
        if opened:
            while end < len(lines) and opened[1] not in lines[end]:
                end += 1
            end = min(end + 1, len(lines))
        blocks.append(list(lines[index:end]))
        index = end
    return blocks


class NetmikoPusher:
    """A ``Pusher`` over SSH with netmiko's ``cisco_ios`` driver.

    ``send_config`` sends one line per ``send_config_set`` call with ``error_pattern`` so that the
    first rejected line stops the push and is named (netmiko checks nothing without the pattern,
    DESIGN.md); ``lines_sent`` counts the lines the device received, rejected one included.
    """

    def __init__(self, target: Target, credentials: Credentials, host_keys: HostKeyPolicy,
                 timing: Timing | None = None) -> None:
        self.target = target
        self.device = target.device
        self.lines_sent = 0
        self._credentials = credentials
        self._host_keys = host_keys
        self._timing = timing or Timing()
        self._conn: BaseConnection | None = None

    def connect(self) -> None:
        policy = self._host_keys
        if not policy.insecure and not (policy.known_hosts and policy.known_hosts.is_file()):
            raise HostKeyError(f"known_hosts file {policy.known_hosts} not found: pass --known-hosts FILE "
                               f"(or set all.vars.ccinfra_known_hosts in the inventory), or --insecure-host-keys for a lab")
        creds, timing = self._credentials, self._timing
        try:
            self._conn = ConnectHandler(
                device_type="cisco_ios", host=self.target.host, port=self.target.port,
                username=creds.username, password=creds.password, secret=creds.secret,
                conn_timeout=timing.conn_timeout_s, auth_timeout=timing.conn_timeout_s,
                banner_timeout=timing.conn_timeout_s,
                global_delay_factor=timing.global_delay_factor, fast_cli=True,
                use_keys=False, allow_agent=False, session_log=None,
                **policy.netmiko_args(),
            )
        except (NetmikoAuthenticationException, NetmikoTimeoutException, paramiko.SSHException, OSError) as err:
            raise _connect_error(self.target, err, policy) from None
        self._conn.channel = _EofAwareChannel(self._conn.remote_conn, self._conn.encoding)
        self._enable()

    def _enable(self) -> None:
        """``enable`` with the secret. Done here rather than by netmiko's ``enable()``: after a wrong
        secret IOS asks ``Password:`` again, and netmiko then waits for a prompt until it times out."""
        conn, wait_s = self._conn, self._timing.read_timeout_s
        try:
            if conn.check_enable_mode():
                return
            conn.write_channel(conn.normalize_cmd("enable"))
            answer = conn.read_until_pattern(pattern=r"ssword|#\s*$", read_timeout=wait_s)
            if "ssword" in answer:
                conn.write_channel(conn.normalize_cmd(self._credentials.secret))
                answer = conn.read_until_pattern(pattern=r"ssword|[>#]\s*$", read_timeout=wait_s)
            refused = not re.search(r"#\s*$", answer)
        except _DROPPED as err:
            self.abort()
            raise ConnectError(f"{self.device}: session dropped while entering enable mode: {_cause_text(err)}") from None
        if refused:
            self.abort()  # still at "Password:": a polite logout would wait for a prompt that never comes
            raise AuthError(f"{self.device}: enable refused; set {ENV_SECRET} to the enable secret")
        # No set_base_prompt: netmiko's base prompt drops the last character, so "sw1>" and "sw1#"
        # give the same "sw1" and asking again would only cost a round trip.

    def _show(self, command: str) -> str:
        if self._conn is None:
            raise ConnectError(f"{self.device}: not connected")
        try:
            return self._conn.send_command(command, read_timeout=self._timing.read_timeout_s)
        except _DROPPED as err:
            raise ConnectError(f"{self.device}: session dropped during `{command}`: {_cause_text(err)}") from None

    def get_running(self) -> str:
        return self._show("show running-config")

    def get_startup(self) -> str:
        return self._show("show startup-config")

    def send_config(self, lines: Sequence[str]) -> None:
        """Enter config mode, send ``lines`` one by one checking each answer, leave config mode."""
        if not lines:
            return
        conn = self._conn
        if conn is None:
            raise ConnectError(f"{self.device}: not connected")
        current = "configure terminal"
        try:
            conn.config_mode()
            for block in _blocks(lines):
                current = block[0]
                self.lines_sent += len(block)
                if len(block) > 1:
                    answer = self._send_banner(block)
                else:
                    answer = conn.send_config_set(block, enter_config_mode=False, exit_config_mode=False,
                                                  error_pattern=ERROR_PATTERN, bypass_commands="",
                                                  read_timeout=self._timing.read_timeout_s)
                if not _CONFIG_PROMPT.search(answer):
                    # An "exit" too many drops to exec mode, where the next "exit" would log out and
                    # the rest would be run as exec commands: stop here and let the rollback work.
                    raise CommitError(f"{self.device}: the device left configuration mode after "
                                      f"{current.strip()!r} (prompt {answer.strip().splitlines()[-1]!r})")
                renamed = _HOSTNAME.match(current.strip())
                if renamed:
                    # netmiko finds the end of each answer by the prompt, which carries the hostname
                    # (cut to 16 characters, as netmiko's IOS driver does).
                    conn.base_prompt = renamed[1][:16]
            current = "end"
            conn.exit_config_mode()
        except ConfigInvalidException as err:
            answer = str(err).split("matched error:", 1)[-1].strip()
            self._leave_config_mode()
            raise CommitError(f"{self.device}: line {current.strip()!r} rejected: {answer}") from None
        except _DROPPED as err:
            raise ConnectError(f"{self.device}: session dropped after sending {current.strip()!r}: "
                               f"{_cause_text(err)}") from None

    def _send_banner(self, block: list[str]) -> str:
        """Type a banner: IOS prints no prompt until the closing delimiter, so netmiko's per-line
        echo-and-prompt check cannot be used; read once up to the config prompt instead."""
        conn = self._conn
        for line in block:
            conn.write_channel(conn.normalize_cmd(line))
        answer = conn.read_until_pattern(pattern=re.escape(conn.base_prompt) + r".*#",
                                         read_timeout=self._timing.read_timeout_s)
        found = re.search(ERROR_PATTERN, answer, flags=re.M)
        if found:
            raise ConfigInvalidException(f"matched error: {found.group(0)}")
        return answer

    def _leave_config_mode(self) -> None:
        try:
            self._conn.exit_config_mode()
        except _DROPPED:
            pass  # the caller re-reads the running config and finds out

    def save(self) -> None:
        """``write memory``: copy running to startup."""
        try:
            answer = self._conn.save_config()
        except _DROPPED as err:
            raise ConnectError(f"{self.device}: session dropped during `write memory`: {_cause_text(err)}") from None
        if re.search(ERROR_PATTERN, answer, flags=re.M):
            raise CommitError(f"{self.device}: `write memory` failed: {answer.strip().splitlines()[-1]}")

    def close(self) -> None:
        """Log out (``exit``) and close the SSH session."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.disconnect()

    def abort(self) -> None:
        """Close the SSH session without logging out (the session is dead or stuck at a question)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.paramiko_cleanup()
