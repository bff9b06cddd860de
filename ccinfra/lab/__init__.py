"""Emulated Cisco IOS devices served over real SSH (asyncssh) on 127.0.0.1, for rehearsals and tests.

>>> from ccinfra.lab import DeviceSpec, Faults, LabFleet
>>> with LabFleet([DeviceSpec("cc-as01")], username="lab", password="lab", secret="lab") as fleet:
...     fleet["cc-as01"].running_config.splitlines()[1]
'hostname cc-as01'
"""

from ccinfra.lab.device import DeviceSpec, LabDevice, skeleton_config
from ccinfra.lab.fleet import AsyncLabFleet, LabFleet
from ccinfra.lab.inventory import InventoryHost, inventory_yaml, write_inventory
from ccinfra.lab.state import Faults

__all__ = [
    "AsyncLabFleet",
    "DeviceSpec",
    "Faults",
    "InventoryHost",
    "LabDevice",
    "LabFleet",
    "inventory_yaml",
    "skeleton_config",
    "write_inventory",
]
