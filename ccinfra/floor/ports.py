"""What is on each port of one switch, merged from CDP, LLDP-MED, the voice-VLAN MAC table and PoE.

A phone is known by its MAC: from CDP's ``SEP<MAC>`` device id (else its ``Peer Source MAC``), from
LLDP's system name ``SEP<MAC>``, chassis id or port id ``<MAC>:P1``, or, when it speaks neither,
from the MAC table of the voice VLAN. Every announced value passes :mod:`ccinfra.floor.untrusted`
first; a record that fails is dropped and its port gets a warning naming what was refused.

>>> view = PortView("GigabitEthernet1/0/1")
>>> view.phones, view.warnings
([], [])
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ccinfra.floor.collect import SwitchReading
from ccinfra.floor.parse import (
    CdpEntry, LldpEntry, parse_cdp, parse_interfaces_status, parse_lldp, parse_mac_table, parse_power_inline,
)
from ccinfra.floor.untrusted import mac_from_device_id, neighbor_text, normal_mac


@dataclass
class Found:
    """One device on a port: a phone (``kind`` phone) or anything else (ap, host, switch...)."""

    mac: str | None
    kind: str
    model: str = ""
    name: str = ""
    address: str = ""
    sources: list[str] = field(default_factory=list)  # cdp, lldp, mac


@dataclass
class PortView:
    interface: str
    devices: list[Found] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    power_w: float = 0.0
    status: str = ""
    vlan: str = ""
    voice_vlan: int | None = None  # from LLDP-MED network policy, or the MAC table of the voice VLAN

    @property
    def phones(self) -> list[Found]:
        return [d for d in self.devices if d.kind == "phone"]

    @property
    def refused(self) -> bool:
        return bool(self.warnings)


@dataclass
class SwitchView:
    switch: str
    ports: dict[str, PortView]
    available_w: float | None = None
    used_w: float | None = None


def _add(view: PortView, found: Found) -> None:
    for known in view.devices:
        if found.mac and known.mac == found.mac:
            known.sources += [s for s in found.sources if s not in known.sources]
            known.model = known.model or found.model
            known.name = known.name or found.name
            known.address = known.address or found.address
            if found.kind == "phone":
                known.kind = "phone"
            return
    view.devices.append(found)


def _from_cdp(entry: CdpEntry, view: PortView) -> None:
    device_id = neighbor_text(entry.raw_device_id)
    platform = neighbor_text(entry.platform) if entry.platform else ""
    if device_id is None or platform is None:
        bad = entry.raw_device_id if device_id is None else entry.platform
        view.warnings.append(f"CDP neighbour refused: announced {bad[:80]!r}, not one safe line of text")
        return
    mac = mac_from_device_id(device_id) or normal_mac(entry.peer_mac)
    phone = "Phone" in entry.capabilities.split() or mac_from_device_id(device_id) is not None
    _add(view, Found(mac, "phone" if phone else "other", platform, device_id, entry.address, ["cdp"]))


def _lldp_mac(entry: LldpEntry) -> str | None:
    return (mac_from_device_id(entry.system_name) or normal_mac(entry.chassis_id)
            or normal_mac(entry.port_id.split(":")[0]))


def _from_lldp(entry: LldpEntry, view: PortView) -> None:
    values = [entry.system_name, entry.model, entry.chassis_id]
    if any(v and neighbor_text(v) is None for v in values):
        bad = next(v for v in values if v and neighbor_text(v) is None)
        view.warnings.append(f"LLDP neighbour refused: announced {bad[:80]!r}, not one safe line of text")
        return
    phone = bool(entry.model) or mac_from_device_id(entry.system_name) is not None
    _add(view, Found(_lldp_mac(entry), "phone" if phone else "other", entry.model or "", entry.system_name,
                     entry.address, ["lldp"]))
    if entry.voice_vlan is not None:
        view.voice_vlan = entry.voice_vlan


def switch_view(reading: SwitchReading, voice_vlan: int, interfaces: list[str]) -> SwitchView:
    """Merge the outputs of one switch into a view per port (``interfaces``: the plan's, in order)."""
    ports = {name: PortView(name) for name in interfaces}

    def port(name: str) -> PortView:
        return ports.setdefault(name, PortView(name))

    out = reading.outputs
    cdp, cdp_refused = parse_cdp(out.get("cdp", ""))
    # CDP phones whose id passed the checks: their LLDP records repeat them and are skipped (parse_lldp)
    known = frozenset((e.local_interface, e.raw_device_id) for e in cdp
                      if neighbor_text(e.raw_device_id) and mac_from_device_id(e.raw_device_id))
    lldp, lldp_refused = parse_lldp(out.get("lldp", ""), known)
    for refused in [*cdp_refused, *lldp_refused]:
        port(refused.local_interface).warnings.append(f"neighbour refused: {refused.reason}")
    for entry in cdp:
        _from_cdp(entry, port(entry.local_interface))
    for entry in lldp:
        _from_lldp(entry, port(entry.local_interface))
    for entry in parse_mac_table(out.get("mac", "")):
        mac = normal_mac(entry.mac)
        if mac and entry.interface in ports and entry.vlan == str(voice_vlan):
            view = ports[entry.interface]
            view.voice_vlan = voice_vlan
            if not view.refused:
                # Only the MAC table knows a silent phone; a MAC in the voice VLAN is taken for a phone.
                _add(view, Found(mac, "phone", sources=["mac"]))
    power_ports, modules = parse_power_inline(out.get("power", "")) if "power" in out else ([], [])
    for row in power_ports:
        port(row.interface).power_w = row.power_w
    for row in parse_interfaces_status(out.get("status", "")) if "status" in out else []:
        port(row.interface).status, port(row.interface).vlan = row.status, row.vlan
    return SwitchView(reading.switch, ports, sum(m.available_w for m in modules) if modules else None,
                      sum(m.used_w for m in modules) if modules else None)
