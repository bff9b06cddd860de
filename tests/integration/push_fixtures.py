"""Fixtures for the push and drift tests: a lab fleet plus a small build written by the test itself.

The build does not come from the renderer on purpose: these tests check the push, so their
intended configs are written out here, by hand, where a reader can see every line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from ccinfra.lab import DeviceSpec, Faults, LabFleet
from ccinfra.push.connection import Credentials, HostKeyPolicy, Timing
from ccinfra.push.runner import Session, run_push
from ccinfra.push.targets import Target, load_targets
from ccinfra.push.workflow import PushOptions, Result

USERNAME = "lab-ops"
# Distinctive, so a test can look for it in every output and file.
PASSWORD = "Pw-7c1e9f-never-in-files"
SECRET = "En-4b2d8a-never-in-files"

# What every real switch carries and no build renders (issue 11): local accounts, the enable
# secret, AAA with a TACACS+ server, an SNMP community and a static route, added out of band.
# The hashes and keys are distinctive so that a test can look for them in every output.
OOB_HASH = "$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM"
OOB_ENABLE_HASH = "$9$2MJBozw/9R3UsU$ktCVqDpjd2dLLgcPVQnPkxl14z0M04zOuhGqp5pOQbI"
OOB_COMMUNITY = "Comm-5e3f-never-printed"
OOB_TACACS_KEY = "0D1F4A5C2B9E3F7A"
OUT_OF_BAND = f"""enable secret 9 {OOB_ENABLE_HASH}
username netops privilege 15 secret 9 {OOB_HASH}
aaa new-model
aaa authentication login default group TACACS-GROUP local
aaa authorization exec default group TACACS-GROUP local
aaa group server tacacs+ TACACS-GROUP
 server name TAC1
tacacs server TAC1
 address ipv4 192.0.2.49
 key 7 {OOB_TACACS_KEY}
snmp-server community {OOB_COMMUNITY} RO
ip route 10.99.0.0 255.255.0.0 192.0.2.254
"""
OOB_SECRETS = (OOB_HASH, OOB_ENABLE_HASH, OOB_COMMUNITY, OOB_TACACS_KEY)


def initial_config(name: str) -> str:
    """What a device runs before the push: a factory skeleton plus one stale line and one stale port."""
    return f"""hostname {name}
!
ip domain-name old.example
!
archive
 path flash:archive
!
interface GigabitEthernet1/0/1
 description stale
!
line con 0
line vty 0 4
 login local
 transport input ssh
!
end
"""


def intended_config(name: str) -> str:
    """What the build says the device should run (abbreviated interface name on purpose)."""
    return f"""hostname {name}
!
vlan 10
 name DATA
vlan 20
 name VOICE
!
interface Gi1/0/1
 description agent seat 1
 switchport mode access
 switchport access vlan 10
 switchport voice vlan 20
!
banner motd ^C
Authorised use only
^C
!
archive
 path flash:archive
!
line con 0
line vty 0 4
 login local
 transport input ssh
!
end
"""


def write_build(build: Path, configs: dict[str, str], role: str = "switch") -> Path:
    """A build folder as ``ccinfra render`` writes it: one file per device and ``manifest.json``."""
    folder = build / ("switches" if role == "switch" else "gateways")
    folder.mkdir(parents=True, exist_ok=True)
    devices = []
    for name, text in configs.items():
        (folder / f"{name}.cfg").write_text(text)
        devices.append({"device": name, "role": role, "platform": "cisco_ios",
                        "path": f"{folder.name}/{name}.cfg",
                        "sha256": hashlib.sha256(text.encode()).hexdigest()})
    (build / "manifest.json").write_text(json.dumps({"devices": devices}, indent=2))
    return build


@dataclass
class PushLab:
    fleet: LabFleet
    build: Path
    inventory: Path
    known_hosts: Path
    backups: Path

    @property
    def names(self) -> list[str]:
        return self.fleet.names

    def targets(self, limit: Sequence[str] | None = None) -> list[Target]:
        return load_targets(self.build, self.inventory, limit)

    def session(self, password: str = PASSWORD, insecure: bool = False, lines_per_write: int = 1) -> Session:
        policy = HostKeyPolicy(None, insecure=True) if insecure else HostKeyPolicy(self.known_hosts)
        return Session(Credentials(USERNAME, password, SECRET), policy, Timing(lines_per_write=lines_per_write))

    def push(self, commit: bool, workers: int = 10, replace: bool = False, adopt: bool = False,
             options: PushOptions | None = None, **session: object) -> list[Result]:
        targets = [dataclasses.replace(t, replace=replace, adopt=adopt) for t in self.targets()]
        return run_push(targets, self.session(**session), commit=commit, workers=workers, backup_dir=self.backups,
                        options=options)

    def env(self) -> dict[str, str]:
        return {"CCINFRA_USERNAME": USERNAME, "CCINFRA_PASSWORD": PASSWORD, "CCINFRA_SECRET": SECRET}


@pytest.fixture
def push_lab(tmp_path: Path) -> Iterator[Callable[..., PushLab]]:
    """Factory: ``push_lab(n=1, faults=None, initial=initial_config, intended=intended_config, extra="",
    minute_s=None)``.

    ``extra`` is out-of-band config every twin carries on top of ``initial`` (``DeviceSpec.extra_config``);
    ``minute_s``: the length of the twins' IOS minute (revert timers), None for 60 s.
    """
    fleets: list[LabFleet] = []

    def make(n: int = 1, faults: Faults | None = None,
             initial: Callable[[str], str] = initial_config,
             intended: Callable[[str], str] = intended_config, extra: str = "",
             minute_s: float | None = None) -> PushLab:
        names = [f"cc-as{index:02d}" for index in range(1, n + 1)]
        specs = [DeviceSpec(name, initial_config=initial(name), faults=faults or Faults(), extra_config=extra,
                            minute_s=minute_s)
                 for name in names]
        fleet = LabFleet(specs, username=USERNAME, password=PASSWORD, secret=SECRET).start()
        fleets.append(fleet)
        build = write_build(tmp_path / "build", {name: intended(name) for name in names})
        inventory = fleet.write_inventory(tmp_path / "inventory.yaml", build_dir=build)
        return PushLab(fleet, build, inventory, tmp_path / "known_hosts", tmp_path / "backups")

    yield make
    for fleet in fleets:
        fleet.stop()


def line_paths(config: str) -> set[tuple[str, ...]]:
    """Every config line as the path from its top-level parent, ignoring order and ``!``/``end``.

    The lab keeps lines in the order they were added (a rollback re-adds a removed line at the
    end), so "the same configuration" is compared as a set of paths, not as text.

    >>> sorted(line_paths("hostname a\\n!\\nvlan 10\\n name X\\nend\\n"))
    [('hostname a',), ('vlan 10',), ('vlan 10', 'name X')]
    """
    paths: set[tuple[str, ...]] = set()
    stack: list[tuple[int, str]] = []
    for raw in config.splitlines():
        text = raw.strip()
        if not text or text.startswith("!") or text == "end":
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, text))
        paths.add(tuple(t for _, t in stack))
    return paths
