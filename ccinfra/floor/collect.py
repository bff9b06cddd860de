"""Read the floor from the access switches over SSH: a few ``show`` commands each, nothing else.

The sessions are the push's own (:class:`ccinfra.push.runner.Session`: the same credentials,
host-key policy and netmiko driver), run ``--workers`` at a time with the push's
``run_parallel``; a switch that cannot be read is recorded with its error and never stops the others.
Read-only: no configuration mode, no ``write``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ccinfra.errors import PushError
from ccinfra.push.runner import Session, run_parallel
from ccinfra.push.targets import Target

# The commands, by what they tell. {voice} is the plan's voice VLAN.
COMMANDS = {
    "cdp": "show cdp neighbors detail",
    "lldp": "show lldp neighbors detail",
    "mac": "show mac address-table vlan {voice}",
    "power": "show power inline",
    "status": "show interfaces status",
}
DISCOVER = ("cdp", "lldp", "mac", "power")
AUDIT = ("cdp", "lldp", "mac", "power", "status")


@dataclass
class SwitchReading:
    """The raw outputs of one switch by kind, or the error that stopped the reading."""

    switch: str
    outputs: dict[str, str] = field(default_factory=dict)
    error: str = ""
    duration_s: float = 0.0
    parsed: Any = None  # what ``then`` made of the outputs, in the worker thread

    @property
    def ok(self) -> bool:
        return not self.error


def read_switch(target: Target, session: Session, voice_vlan: int, kinds: Sequence[str] = DISCOVER,
                then: Callable[[SwitchReading], Any] | None = None) -> SwitchReading:
    """Connect, run the ``kinds`` commands, disconnect; then ``then(reading)`` (parsing) in this thread.

    Parsing right after each switch's read overlaps it with the other switches' network waits.
    """
    started = time.monotonic()
    reading = SwitchReading(target.device)
    pusher = session.open(target)
    try:
        pusher.connect()
        commands = [COMMANDS[kind].format(voice=voice_vlan) for kind in kinds]
        reading.outputs = dict(zip(kinds, pusher.show_many(commands)))  # type: ignore[attr-defined]
    except PushError as err:
        reading.error = str(err)
    except Exception as err:  # one unreadable switch must not stop the others
        reading.error = f"{target.device}: unexpected {type(err).__name__}: {err}"
    finally:
        pusher.close()
    if then is not None and reading.ok:
        reading.parsed = then(reading)
    reading.duration_s = time.monotonic() - started
    return reading


def read_switches(targets: Sequence[Target], session: Session, voice_vlan: int, workers: int,
                  kinds: Sequence[str] = DISCOVER,
                  then: Callable[[SwitchReading], Any] | None = None) -> list[SwitchReading]:
    """Every target in parallel, ``workers`` at a time; results in the order of ``targets``."""
    return run_parallel(targets, lambda target: read_switch(target, session, voice_vlan, kinds, then), workers)
