"""Emulated Cisco IOS devices served over real SSH (asyncssh) on 127.0.0.1, for rehearsals and tests.

A twin answers like a Catalyst/ISR vty: ``host>``, ``enable`` (``Password:``), ``host#``,
``configure terminal`` and sub-modes (``(config-if)#``, ``(config-vlan)#``...), ``show version``,
``show running-config [| include X]``, ``show startup-config``, ``show privilege``, ``write memory``,
``copy running-config startup-config``, and Configuration Rollback Confirmed Change
(``archive`` / ``path``, ``configure terminal revert timer [idle] N``, ``configure confirm``,
``configure revert now|timer N``, ``show archive [config rollback timer]``; the timer restores the
archive by itself when it runs out, and ``DeviceSpec.minute_s`` / ``LabFleet(minute_s=...)`` /
``CCINFRA_LAB_MINUTE_S`` shorten a minute for tests: :mod:`ccinfra.lab.rollback`). It accepts any
plausible configuration line; faults make it refuse logins, reject lines, drop the session, answer
slowly or refuse connections.

>>> from ccinfra.lab import DeviceSpec, Faults, LabFleet
>>> spec = DeviceSpec("cc-as01", faults=Faults(reject_pattern=r"^vlan 999"))
>>> with LabFleet([spec], username="lab", password="lab", secret="lab") as fleet:
...     dev = fleet["cc-as01"]
...     (dev.host, dev.port > 0, dev.known_hosts_line.split()[1], dev.running_config.splitlines()[1])
('127.0.0.1', True, 'ssh-ed25519', 'hostname cc-as01')

``running_config`` / ``startup_config`` are the config text without the ``Building
configuration...`` header (``!`` separators, children indented one space, ``end`` last); lines keep
the order they were first added in. ``config_lines_received`` counts configuration lines
(accepted or rejected; not ``end``/``exit``/``do``) since start, over all sessions.
"""

from ccinfra.lab.device import DeviceSpec, LabDevice, skeleton_config
from ccinfra.lab.fleet import AsyncLabFleet, LabFleet
from ccinfra.lab.state import Faults

__all__ = [
    "AsyncLabFleet",
    "DeviceSpec",
    "Faults",
    "LabDevice",
    "LabFleet",
    "skeleton_config",
]
