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
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import paramiko
from netmiko import BaseConnection, ConnectHandler
from netmiko.channel import SSHChannel
from netmiko.exceptions import (
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadException,
    ReadTimeout,
)

from ccinfra.errors import AuthError, CommitError, ConnectError, HostKeyError, InterruptedPush, PushError
from ccinfra.push.targets import Target
from ccinfra.push.typeahead import (
    DEFAULT_LINES_PER_WRITE, ERROR_PATTERN, Problem, Window, answers_pattern, cut_answers, first_problem,
    hostname_of, prompt_pattern, windows,
)

ENV_USERNAME, ENV_PASSWORD, ENV_SECRET = "CCINFRA_USERNAME", "CCINFRA_PASSWORD", "CCINFRA_SECRET"

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
    lines_per_write: int = DEFAULT_LINES_PER_WRITE  # config lines per write (ccinfra.push.typeahead)


class Pusher(Protocol):
    """What the push and the drift audit need from a device session (see ``NetmikoPusher``)."""

    device: str
    lines_sent: int

    def connect(self) -> None: ...
    def prompt_hostname(self) -> str: ...
    def get_running(self) -> str: ...
    def get_startup(self) -> str: ...
    def exec_command(self, command: str) -> str: ...
    def start_revert_timer(self, minutes: int) -> None: ...
    def send_config(self, lines: Sequence[str], stop: Callable[[], bool] | None = None) -> None: ...
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


class NetmikoPusher:
    """A ``Pusher`` over SSH with netmiko's ``cisco_ios`` driver.

    ``send_config`` types ``Timing.lines_per_write`` lines per write (one by default) and checks
    every line's answer against ``ERROR_PATTERN`` (netmiko's ``send_config_set`` checks nothing
    without a pattern, DESIGN.md), so the first rejected line stops the push and is named;
    ``lines_sent`` counts the lines the device received, the rest of a rejected line's window
    included (:mod:`ccinfra.push.typeahead`).
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

    def prompt_hostname(self) -> str:
        """The hostname in the prompt seen at login (netmiko's base prompt, at most 16 characters)."""
        if self._conn is None:
            raise ConnectError(f"{self.device}: not connected")
        return str(self._conn.base_prompt)

    def _show(self, command: str) -> str:
        if self._conn is None:
            raise ConnectError(f"{self.device}: not connected")
        try:
            return self._conn.send_command(command, read_timeout=self._timing.read_timeout_s)
        except _DROPPED as err:
            raise ConnectError(f"{self.device}: session dropped during `{command}`: {_cause_text(err)}") from None

    def show_many(self, commands: Sequence[str]) -> list[str]:
        """The outputs of several exec commands typed in one write and read in one go (one round trip
        per switch instead of one per command; discovery's four ``show`` commands).

        Each answer must start with the echo of its own command: a neighbour that announces a line
        looking like this device's prompt cannot shift one command's output onto the next.
        """
        conn = self._conn
        if conn is None:
            raise ConnectError(f"{self.device}: not connected")
        prompt = prompt_pattern(conn.base_prompt)
        deadline = time.monotonic() + self._timing.read_timeout_s * len(commands)
        output = ""
        try:
            conn.write_channel("".join(conn.normalize_cmd(c) for c in commands))
            while (answers := cut_answers(output, prompt, len(commands))) is None:
                chunk = conn.read_channel()
                if not chunk:
                    if time.monotonic() > deadline:
                        raise ReadTimeout(f"{len(commands)} prompts not seen in time")
                    time.sleep(0.01)  # netmiko's own read loop delay
                output += chunk
        except _DROPPED as err:
            raise ConnectError(f"{self.device}: no complete answer to `{commands[0]}` and the {len(commands) - 1} "
                               f"command(s) after it (session dropped or timed out): {_cause_text(err)}") from None
        texts = []
        for command, (answer, _) in zip(commands, answers):
            echo, _, body = answer.replace("\r\n", "\n").partition("\n")
            if echo.strip() != command:
                raise ConnectError(f"{self.device}: the answer to `{command}` does not start with its echo; "
                                   "a line in the output looks like the prompt")
            texts.append(body)
        return texts

    def get_running(self) -> str:
        return self._show("show running-config")

    def get_startup(self) -> str:
        return self._show("show startup-config")

    def exec_command(self, command: str) -> str:
        """An exec command (``show archive config rollback timer``, ``configure confirm``...); its answer."""
        return self._show(command)

    def start_revert_timer(self, minutes: int) -> None:
        """``configure terminal revert timer N``: IOS archives the running config and enters config mode.

        The answer is read up to the next prompt; a device that stays in exec mode (no archive:
        ``%Please turn config archive on``) raises ``CommitError`` with its answer.
        """
        conn, command = self._conn, f"configure terminal revert timer {minutes}"
        if conn is None:
            raise ConnectError(f"{self.device}: not connected")
        try:
            conn.write_channel(conn.normalize_cmd(command))
            answer = conn.read_until_pattern(pattern=rf"^{re.escape(conn.base_prompt)}\S*[>#]\s*$", re_flags=re.M,
                                             read_timeout=self._timing.read_timeout_s)
        except _DROPPED as err:
            raise ConnectError(f"{self.device}: session dropped during `{command}`: {_cause_text(err)}") from None
        if not re.search(r"\)#\s*$", answer):
            problem = next((line.strip() for line in answer.splitlines() if line.strip().startswith("%")),
                           "no configuration prompt")
            raise CommitError(f"{self.device}: `{command}` refused: {problem}")

    def send_config(self, lines: Sequence[str], stop: Callable[[], bool] | None = None) -> None:
        """Enter config mode, type ``lines`` a window at a time checking every line's answer, leave.

        The first rejected line (or one that leaves configuration mode) stops the push with a
        ``CommitError`` naming it; see :mod:`ccinfra.push.typeahead`. ``stop`` is asked before
        each window: when it says True the push stops there with ``InterruptedPush``.
        """
        if not lines:
            return
        conn = self._conn
        if conn is None:
            raise ConnectError(f"{self.device}: not connected")
        current = "configure terminal"
        try:
            conn.config_mode()
            for window in windows(lines, max_lines=self._timing.lines_per_write):
                if stop is not None and stop():
                    self._leave_config_mode()
                    raise InterruptedPush(f"{self.device}: interrupted after {self.lines_sent} line(s)")
                current = window.lines[0]
                self.lines_sent += len(window.lines)
                answers = self._type(window)
                if window.renames:
                    # netmiko finds the end of each answer by the prompt, which carries the hostname
                    # (cut to 16 characters, as netmiko's IOS driver does).
                    conn.base_prompt = hostname_of(answers[-1][1])[:16]
                problem = first_problem(window, answers)
                if problem is not None:
                    self._fail(problem)
            current = "end"
            conn.exit_config_mode()
        except _DROPPED as err:
            raise ConnectError(f"{self.device}: session dropped after sending {current.strip()!r}: "
                               f"{_cause_text(err)}") from None

    def _type(self, window: Window) -> list[tuple[str, str]]:
        """Write the window's lines at once and read (netmiko's reader) until each has its prompt."""
        conn = self._conn
        conn.write_channel("".join(conn.normalize_cmd(line) for line in window.lines))
        base = None if window.renames else conn.base_prompt
        output = conn.read_until_pattern(pattern=answers_pattern(base, window.prompts), re_flags=re.M,
                                         read_timeout=self._timing.read_timeout_s)
        answers = cut_answers(output, prompt_pattern(base), window.prompts)
        if answers is None:  # cannot happen: the pattern matched that many prompts (no output quoted:
            raise ReadException(f"answer without {window.prompts} prompt(s)")  # it may echo a secret)
        return answers

    def _fail(self, problem: Problem) -> None:
        line = problem.line.strip()
        if problem.error:
            self._leave_config_mode()
            raise CommitError(f"{self.device}: line {line!r} rejected: {problem.error}")
        # An "exit" too many drops to exec mode, where the next "exit" would log out and the rest
        # would run as exec commands: stop here and let the rollback work.
        raise CommitError(f"{self.device}: the device left configuration mode after {line!r} "
                          f"(prompt {problem.prompt!r})")

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
