"""Configuration Rollback Confirmed Change on a lab twin: ``archive``, revert timers, ``configure confirm``.

What IOS does (Cisco IOS XE "Configuration Rollback Confirmed Change"; Managing Configuration Files
command reference, ``show archive config rollback timer``; NAPALM's ios driver and Ansible
cisco.ios cliconf, which parse these answers):

* ``configure terminal revert timer N`` (1–120 minutes) or ``... revert timer idle N`` archives
  the running config to the ``archive`` ``path`` and enters configuration mode. Without an
  ``archive`` section with a ``path`` IOS answers ``%Please turn config archive on`` and stays in
  exec mode.
* ``configure confirm`` keeps the changes and stops the timer; ``configure revert now`` restores
  the archived config at once; ``configure revert timer [idle] N`` sets a new timer value.
* When the timer runs out the device restores the archived config by itself.
* ``show archive config rollback timer`` says ``%No Rollback Confirmed Change pending`` or::

      Time configured(or reconfigured): 22:50:48 UTC Sat Feb 21 2009
      Timer type: absolute timer
      Timer value: 2 min
      User: console

* ``show archive`` says `` Archive feature not enabled`` without an archive.

A lab minute lasts ``minute_s`` seconds (60 on a real device): tests shorten it through
``DeviceSpec.minute_s``, ``LabFleet(minute_s=...)`` or ``CCINFRA_LAB_MINUTE_S``.

>>> from ccinfra.lab.state import DeviceState, Faults
>>> state = DeviceState("sw1", "switch", "hostname sw1\\narchive\\n path flash:archive\\n", "s", Faults())
>>> state.rollback.show_timer()
'%No Rollback Confirmed Change pending\\n'
>>> state.rollback.start(parse_revert_args(["revert", "timer", "5"]), "ops").startswith("Rollback Confirmed Change")
True
>>> state.rollback.show_timer().splitlines()[1:]
['Timer type: absolute timer', 'Timer value: 5 min', 'User: ops']
>>> state.rollback.confirm(); state.rollback.pending is None
True
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ccinfra.errors import LabError
from ccinfra.lab.config_tree import ConfigTree

if TYPE_CHECKING:
    from ccinfra.lab.state import DeviceState

NO_PENDING = "%No Rollback Confirmed Change pending"
ARCHIVE_OFF = "%Please turn config archive on"
ARCHIVE_NOT_ENABLED = " Archive feature not enabled"
MIN_MINUTES, MAX_MINUTES = 1, 120  # the range IOS (and NAPALM's CISCO_TIMER_MIN/MAX) allows
ARCHIVE_SLOTS = 10  # IOS keeps 10 archive files unless "maximum" says otherwise
ENV_MINUTE_S = "CCINFRA_LAB_MINUTE_S"
IOS_MINUTE_S = 60.0


class RollbackError(Exception):
    """An answer IOS gives instead of doing it (printed without a caret)."""


def default_minute_s() -> float:
    """Seconds in a lab minute: ``CCINFRA_LAB_MINUTE_S`` or 60."""
    raw = os.environ.get(ENV_MINUTE_S, "")
    if not raw:
        return IOS_MINUTE_S
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise LabError(f"{ENV_MINUTE_S}={raw!r}: use a number of seconds above 0 (60 is a real minute)")
    return value


@dataclass(frozen=True)
class TimerSpec:
    minutes: int
    idle: bool = False


def parse_revert_args(args: list[str]) -> TimerSpec:
    """``revert timer [idle] N`` (the words after ``configure terminal`` or ``configure``).

    >>> parse_revert_args(["revert", "timer", "idle", "10"])
    TimerSpec(minutes=10, idle=True)
    >>> parse_revert_args(["revert", "timer", "121"])
    Traceback (most recent call last):
    ccinfra.lab.rollback.RollbackError: % Invalid input detected at '^' marker.
    """
    words = [w.lower() for w in args]
    if len(words) < 3 or not "revert".startswith(words[0]) or not "timer".startswith(words[1]):
        raise RollbackError("% Invalid input detected at '^' marker.")
    idle = len(words) == 4 and "idle".startswith(words[2])
    number = words[3] if idle else words[2]
    if len(words) != (4 if idle else 3) or not number.isdigit() or not MIN_MINUTES <= int(number) <= MAX_MINUTES:
        raise RollbackError("% Invalid input detected at '^' marker.")
    return TimerSpec(int(number), idle)


def archive_path(tree: ConfigTree) -> str | None:
    """The ``path`` of the ``archive`` section, or None when there is no usable archive."""
    node = tree.root.find("archive")
    if node is None:
        return None
    for child in node.children:
        words = child.text.split()
        if len(words) == 2 and words[0] == "path":
            return words[1]
    return None


def ios_time(now: dt.datetime) -> str:
    """``22:50:48 UTC Sat Feb 21 2009``.

    >>> ios_time(dt.datetime(2009, 2, 21, 22, 50, 48, tzinfo=dt.timezone.utc))
    '22:50:48 UTC Sat Feb 21 2009'
    """
    return f"{now:%H:%M:%S} UTC {now:%a %b} {now.day} {now:%Y}"


def archive_file_name(path: str, now: dt.datetime, number: int) -> str:
    """IOS's archive file name: ``<path>-<Mon>-<dd>-<HH-MM-SS.mmm>-<n>``, the day padded with ``-``.

    >>> archive_file_name("flash:archive", dt.datetime(2024, 6, 6, 10, 38, 0, 741000), 0)
    'flash:archive-Jun--6-10-38-00.741-0'
    """
    day = f"{now.day:>2}".replace(" ", "-")
    return f"{path}-{now:%b}-{day}-{now:%H-%M-%S}.{now.microsecond // 1000:03d}-{number}"


@dataclass
class Pending:
    snapshot: str
    spec: TimerSpec
    configured: dt.datetime
    user: str
    deadline_s: float


class RollbackTimer:
    """The archive and the revert timer of one twin. Callers hold ``state.lock``."""

    def __init__(self, state: DeviceState, minute_s: float = IOS_MINUTE_S) -> None:
        if minute_s <= 0:
            raise LabError("minute_s must be above 0 seconds (60 is a real minute)")
        self.state = state
        self.minute_s = minute_s
        self.pending: Pending | None = None
        self.archives: list[str] = []
        self.expired = 0  # how many times a timer ran out and restored the archive
        self._timer: threading.Timer | None = None

    def start(self, spec: TimerSpec, user: str) -> str:
        """``configure terminal revert timer ...``: archive the running config, arm the timer."""
        path = archive_path(self.state.tree)
        if path is None:
            raise RollbackError(ARCHIVE_OFF)
        name = self._archive(path)
        if self.pending is None:
            self.pending = Pending(self.state.tree.render(), spec, _now(), user, 0.0)
        else:  # a second request re-arms the pending timer; the first archive stays the one restored
            self.pending.spec, self.pending.configured = spec, _now()
        self._arm()
        return f"Rollback Confirmed Change: Backing up current running config to {name}\n\n"

    def confirm(self) -> None:
        if self.pending is None:
            raise RollbackError(NO_PENDING)
        self._disarm()

    def revert_now(self) -> None:
        if self.pending is None:
            raise RollbackError(NO_PENDING)
        self._restore()

    def reset(self, spec: TimerSpec) -> None:
        """``configure revert timer [idle] N``: a new value for the pending timer."""
        if self.pending is None:
            raise RollbackError(NO_PENDING)
        self.pending.spec, self.pending.configured = spec, _now()
        self._arm()

    def touch(self) -> None:
        """A line was typed: an idle timer starts again."""
        if self.pending is not None and self.pending.spec.idle:
            self.pending.configured = _now()
            self._arm()

    def show_timer(self) -> str:
        pending = self.pending
        if pending is None:
            return NO_PENDING + "\n"
        kind = "idle" if pending.spec.idle else "absolute"
        return (f"Time configured(or reconfigured): {ios_time(pending.configured)}\n"
                f"Timer type: {kind} timer\nTimer value: {pending.spec.minutes} min\nUser: {pending.user}\n")

    def show_archive(self) -> str:
        path = archive_path(self.state.tree)
        if path is None:
            return ARCHIVE_NOT_ENABLED + "\n"
        saved = self.archives[-ARCHIVE_SLOTS:]
        rows = [f"The maximum archive configurations allowed is {ARCHIVE_SLOTS}.",
                f"There are currently {len(saved)} archive configurations saved.",
                f"The next archive file will be named {path}-<timestamp>-{len(self.archives)}",
                " Archive #  Name"]
        for number in range(1, ARCHIVE_SLOTS + 1):
            name = saved[number - 1] if number <= len(saved) else ""
            recent = " <- Most Recent" if saved and number == len(saved) else ""
            rows.append(f"   {number:<9}{name}{recent}".rstrip())
        return "\n".join(rows) + "\n"

    def close(self) -> None:
        """Stop the clock (the fleet stops): no thread outlives the twin."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _archive(self, path: str) -> str:
        name = archive_file_name(path, _now(), len(self.archives))
        self.archives.append(name)
        return name

    def _arm(self) -> None:
        self.close()
        pending = self.pending
        delay_s = pending.spec.minutes * self.minute_s
        pending.deadline_s = time.monotonic() + delay_s
        timer = threading.Timer(delay_s, self._expire, args=(pending,))
        timer.daemon = True
        timer.name = f"lab-revert-{self.state.name}"
        self._timer = timer
        timer.start()

    def _disarm(self) -> None:
        self.close()
        self.pending = None

    def _expire(self, pending: Pending) -> None:
        with self.state.lock:
            if self.pending is not pending or time.monotonic() < pending.deadline_s - 1e-3:
                return  # confirmed, reverted or re-armed meanwhile
            self.expired += 1
            self._restore()

    def _restore(self) -> None:
        snapshot = self.pending.snapshot
        self._disarm()
        self.state.tree = ConfigTree.parse(snapshot, l2_ports=self.state.tree.l2_ports)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
