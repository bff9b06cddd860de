"""What every session of one lab twin shares: its configs, its faults and its counters.

Sessions run in the fleet's event-loop thread; tests and the CLI read the state from another
thread, so each change and each read holds ``lock``.
"""

from __future__ import annotations

import hmac
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

from ccinfra.errors import LabError
from ccinfra.lab.config_tree import ConfigTree
from ccinfra.lab.rollback import RollbackTimer, default_minute_s

ROLES = ("switch", "gateway")


@dataclass(frozen=True)
class Faults:
    """Failures a lab twin injects, settable at start and at runtime (``LabDevice.set_faults``).

    * ``auth_fail``: every SSH login is refused.
    * ``reject_pattern``: config lines matching this regex (``re.search``) answer
      ``% Invalid input detected at '^' marker.`` and change nothing.
    * ``drop_after_lines``: the connection closes right after the N-th config line of a session.
    * ``delay_s``: every answer (and the first prompt) comes this many seconds late.
    * ``refuse``: the port stays reserved but does not listen, so connecting is refused.

    >>> Faults(reject_pattern=r"^vlan 999").rejects("vlan 999")
    True
    """

    auth_fail: bool = False
    reject_pattern: str | None = None
    drop_after_lines: int | None = None
    delay_s: float = 0.0
    refuse: bool = False

    def __post_init__(self) -> None:
        if self.reject_pattern is not None:
            try:
                re.compile(self.reject_pattern)
            except re.error as err:
                raise LabError(f"Faults.reject_pattern {self.reject_pattern!r} is not a regex: {err}") from None
        if self.drop_after_lines is not None and self.drop_after_lines < 1:
            raise LabError("Faults.drop_after_lines must be 1 or more (or None for no drop)")
        if self.delay_s < 0:
            raise LabError("Faults.delay_s must be 0 or more seconds")

    def rejects(self, line: str) -> bool:
        """True when ``line`` matches ``reject_pattern``."""
        return self.reject_pattern is not None and re.search(self.reject_pattern, line) is not None


class DeviceState:
    """Running and startup config, enable secret check, faults and line counter of one twin."""

    def __init__(self, name: str, role: str, initial_config: str, secret: str, faults: Faults,
                 minute_s: float | None = None) -> None:
        if role not in ROLES:
            raise LabError(f"device {name}: role {role!r} is not one of {', '.join(ROLES)}")
        self.name = name
        self.role = role
        self.faults = faults
        self.lock = threading.RLock()
        self.tree = ConfigTree.parse(initial_config, l2_ports=role == "switch")
        self.startup_text = self.tree.render()
        self.config_lines_received = 0
        self.started_at_s = time.monotonic()
        self._secret = secret
        self.floor: Any = None  # a ccinfra.lab.floor.SwitchFloor: what is plugged into the ports
        self.rollback = RollbackTimer(self, default_minute_s() if minute_s is None else minute_s)

    @property
    def default_hostname(self) -> str:
        """IOS's factory hostname: ``Switch`` on Catalyst switches, ``Router`` on ISRs."""
        return "Switch" if self.role == "switch" else "Router"

    def hostname(self) -> str:
        with self.lock:
            return self.tree.hostname(self.default_hostname)

    def running_text(self) -> str:
        with self.lock:
            return self.tree.render()

    def save(self) -> None:
        """``write memory``: the startup config becomes the running config."""
        with self.lock:
            self.startup_text = self.tree.render()

    def secret_matches(self, typed: str) -> bool:
        return hmac.compare_digest(typed.encode(), self._secret.encode())

    def uptime_s(self) -> float:
        return time.monotonic() - self.started_at_s
