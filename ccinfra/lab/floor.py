"""The floor behind a lab switch: what is plugged into each port, and the show commands that tell.

A twin with a :class:`SwitchFloor` answers ``show cdp neighbors detail``, ``show lldp neighbors
detail``, ``show mac address-table [vlan N]``, ``show power inline`` and ``show interfaces status``
in the layouts of real IOS-XE captures (networktocode/ntc-templates test fixtures, copied to
``tests/fixtures/floor/`` with their sources in ``SOURCES.md``): CDP from
``cisco_ios_show_cdp_neighbors_detail3.raw``, LLDP-MED from ``..._lldp_neighbors_detail3.raw``,
the MAC table from ``..._mac-address-table6.raw``, PoE from ``..._power_inline_iosxe17-12stack.raw``,
port states from ``..._interfaces_status.raw``.

What a port shows follows its running config, as on a switch: a ``shutdown`` port has no link and
no neighbours; a phone's MAC is learnt in the port's voice VLAN (its access VLAN without one); a
port with ``power inline never`` powers nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ccinfra.lab.config_tree import ConfigTree

CDP_SEPARATOR = "-" * 25
LLDP_SEPARATOR = "-" * 48
SHORT = (("TenGigabitEthernet", "Te"), ("GigabitEthernet", "Gi"), ("FastEthernet", "Fa"))


@dataclass(frozen=True)
class Attached:
    """A device on a port. ``kind``: phone | ap | host. ``device_id`` overrides ``SEP<MAC>`` (CDP and LLDP)."""

    mac: str
    kind: str = "phone"
    model: str = "CP-8841"
    vendor: str = "cisco"
    cdp: bool = True
    lldp: bool = True
    device_id: str | None = None
    poe_w: float = 7.0
    poe_class: int | None = 2
    ip: str = ""

    @property
    def name(self) -> str:
        return self.device_id if self.device_id is not None else f"SEP{self.mac.upper()}"

    @property
    def platform(self) -> str:
        if self.kind != "phone":
            return self.model
        if self.vendor == "cisco":
            return f"Cisco IP Phone {self.model.upper().removeprefix('CP-')}"
        return f"{self.vendor.capitalize()} {self.model}"


@dataclass
class SwitchFloor:
    """Ports (full names, in order) and what each has plugged in; uplinks; faults."""

    ports: dict[str, list[Attached]]
    uplinks: list[str]
    poe_budget_w: float
    err_disabled: set[str] = field(default_factory=set)
    uplinks_down: set[str] = field(default_factory=set)


def short_name(interface: str) -> str:
    """``GigabitEthernet1/0/5`` → ``Gi1/0/5``.

    >>> short_name("TenGigabitEthernet1/1/1")
    'Te1/1/1'
    """
    for long, short in SHORT:
        if interface.startswith(long):
            return short + interface[len(long):]
    return interface


def dotted_mac(mac: str) -> str:
    """``001b54c00001`` → ``001b.54c0.0001`` (IOS notation)."""
    return f"{mac[0:4]}.{mac[4:8]}.{mac[8:12]}"


@dataclass(frozen=True)
class PortConfig:
    """What the running config says about a port that changes what the floor shows."""

    shutdown: bool = False
    access_vlan: int = 1
    voice_vlan: int | None = None
    poe: bool = True
    trunk: bool = False
    description: str = ""


def port_config(tree: ConfigTree, interface: str) -> PortConfig:
    node = tree.root.find(f"interface {interface}")
    if node is None:
        return PortConfig()
    values: dict[str, object] = {}
    for child in node.children:
        words = child.text.split()
        if child.text == "shutdown":
            values["shutdown"] = True
        elif words[:3] == ["switchport", "access", "vlan"] and words[3:4] and words[3].isdigit():
            values["access_vlan"] = int(words[3])
        elif words[:3] == ["switchport", "voice", "vlan"] and words[3:4] and words[3].isdigit():
            values["voice_vlan"] = int(words[3])
        elif child.text == "power inline never":
            values["poe"] = False
        elif child.text == "switchport mode trunk":
            values["trunk"] = True
        elif words[:1] == ["description"]:
            values["description"] = child.text.split(maxsplit=1)[1] if len(words) > 1 else ""
    return PortConfig(**values)  # type: ignore[arg-type]


def _live(floor: SwitchFloor, tree: ConfigTree) -> list[tuple[str, PortConfig, list[Attached]]]:
    """Ports with link: not shut, not err-disabled, something plugged in."""
    rows = []
    for interface, devices in floor.ports.items():
        config = port_config(tree, interface)
        if devices and not config.shutdown and interface not in floor.err_disabled:
            rows.append((interface, config, devices))
    return rows


def _cdp_entry(interface: str, config: PortConfig, device: Attached) -> list[str]:
    powered = config.poe and device.poe_class is not None
    lines = [CDP_SEPARATOR, f"Device ID: {device.name}", "Entry address(es):"]
    lines += [f"  IP address: {device.ip}"] if device.ip else []
    caps = "Host Phone Two-port Mac Relay" if device.kind == "phone" else (
        "Trans-Bridge Source-Route-Bridge IGMP" if device.kind == "ap" else "Host")
    port_id = "Port 1" if device.kind == "phone" else ("GigabitEthernet0" if device.kind == "ap" else "eth0")
    lines += [f"Platform: {device.platform},  Capabilities: {caps}",
              f"Interface: {interface},  Port ID (outgoing port): {port_id}",
              "Holdtime : 132 sec", "", "Version :", "sip88xx.14-2-1-0101-14" if device.kind == "phone" else "1.0",
              "", "advertisement version: 2", f"Peer Source MAC: {dotted_mac(device.mac)}", "Duplex: full"]
    lines += [f"Power drawn: {device.poe_w:.3f} Watts"] if powered else []
    lines += ["Management address(es):"] + ([f"  IP address: {device.ip}"] if device.ip else []) + [""]
    return lines


def _neighbours(floor: SwitchFloor, tree: ConfigTree, protocol: str,
                entry: Callable[[str, PortConfig, Attached], list[str]]) -> tuple[list[str], int]:
    """The entry lines of every live device speaking ``protocol`` (cdp or lldp), and how many."""
    lines: list[str] = []
    count = 0
    for interface, config, devices in _live(floor, tree):
        for device in devices:
            if getattr(device, protocol):
                lines += entry(interface, config, device)
                count += 1
    return lines, count


def show_cdp_neighbors_detail(floor: SwitchFloor, tree: ConfigTree) -> str:
    lines, count = _neighbours(floor, tree, "cdp", _cdp_entry)
    return "\n".join(lines + ["", f"Total cdp entries displayed : {count}", ""])


def _lldp_entry(interface: str, config: PortConfig, device: Attached) -> list[str]:
    vlan = config.voice_vlan
    policy = ([f"    Network Policy(Voice): VLAN {vlan}, tagged, Layer-2 priority: 5, DSCP: 46",
               f"    Network Policy(Voice Signal): VLAN {vlan}, tagged, Layer-2 priority: 4, DSCP: 32"]
              if vlan and device.kind == "phone" else [])
    chassis = device.ip or dotted_mac(device.mac)
    return [
        LLDP_SEPARATOR, f"Local Intf: {short_name(interface)}", f"Chassis id: {chassis}",
        f"Port id: {device.mac.upper()}:P1", "Port Description: SW PORT", f"System Name: {device.name}", "",
        "System Description:", f"{device.platform}, V3, sip88xx.14-2-1-0101-14", "",
        "Time remaining: 127 seconds", "System Capabilities: B,T", "Enabled Capabilities: B,T",
        "Management Addresses:", f"    IP: {device.ip or '0.0.0.0'}",
        "Auto Negotiation - supported, enabled", "Physical media capabilities:", "    1000baseT(FD)",
        "    100base-TX(FD)", "Media Attachment Unit type: 16", "Vlan ID: - not advertised", "",
        "MED Information:", "", "    MED Codes:", "          (NP) Network Policy, (LI) Location Identification",
        "          (PS) Power Source Entity, (PD) Power Device", "          (IN) Inventory", "",
        "    H/W revision: 3", "    F/W revision: sboot88xx.BE-01-020.sbn", "    S/W revision: sip88xx.14-2-1-0101-14",
        f"    Serial number: FCH{device.mac[-8:].upper()}", "    Manufacturer: Cisco Systems, Inc.",
        f"    Model: {device.model}", "    Capabilities: NP, PD, IN", "    Device type: Endpoint Class III",
        *policy,
        f"    PD device, Power source: Unknown, Power Priority: Unknown, Wattage: {device.poe_w:.1f}",
        "    Location - not advertised", "",
    ]


def show_lldp_neighbors_detail(floor: SwitchFloor, tree: ConfigTree) -> str:
    lines, count = _neighbours(floor, tree, "lldp", _lldp_entry)
    return "\n".join(lines + ["", f"Total entries displayed: {count}", ""])


def show_mac_address_table(floor: SwitchFloor, tree: ConfigTree, vlan: int | None = None) -> str:
    rows = []
    for interface, config, devices in _live(floor, tree):
        for device in devices:
            learnt = config.voice_vlan if device.kind == "phone" and config.voice_vlan else config.access_vlan
            if vlan is None or learnt == vlan:
                rows.append(f"{learnt:>4}    {dotted_mac(device.mac)}    DYNAMIC     {short_name(interface)}")
    head = ["          Mac Address Table", "-" * 43, "", "Vlan    Mac Address       Type        Ports",
            "----    -----------       --------    -----"]
    return "\n".join(head + rows + [f"Total Mac Addresses for this criterion: {len(rows)}", ""])


def _power_row(interface: str, config: PortConfig, devices: list[Attached], live: bool) -> tuple[str, float]:
    powered = [d for d in devices if d.poe_class is not None] if live and config.poe else []
    device = powered[0] if powered else None
    watts = device.poe_w if device else 0.0
    label = ("IP Phone " + device.model.upper().removeprefix("CP-") if device.kind == "phone" and device.vendor == "cisco"
             else "Ieee PD") if device else "n/a"
    row = (f"{short_name(interface):<9} {'auto' if config.poe else 'off':<6} {'on' if device else 'off':<10} "
           f"{watts:<7.1f} {label[:19]:<19} {device.poe_class if device else 'n/a':<5} 30.0 ")
    return row, watts


def show_power_inline(floor: SwitchFloor, tree: ConfigTree) -> str:
    live = {interface for interface, _, _ in _live(floor, tree)}
    rows, used = [], 0.0
    for interface, devices in floor.ports.items():
        row, watts = _power_row(interface, port_config(tree, interface), devices, interface in live)
        rows.append(row)
        used += watts
    on = sum(1 for row in rows if row.split()[2] == "on")
    return "\n".join([
        "Module   Available     Used     Remaining", "          (Watts)     (Watts)    (Watts) ",
        "------   ---------   --------   ---------",
        f"1      {floor.poe_budget_w:>10.1f} {used:>10.1f} {floor.poe_budget_w - used:>11.1f}",
        "Interface Admin  Oper       Power   Device              Class Max",
        "                            (Watts)                            ",
        "--------- ------ ---------- ------- ------------------- ----- ----",
        *rows,
        "--------- ------ ---------- ---------- ---------- ------ ----- ",
        f"Totals:          {on:<4} on    {used:.1f}     ", "",
    ])


def show_interfaces_status(floor: SwitchFloor, tree: ConfigTree) -> str:
    lines = ["Port      Name               Status       Vlan       Duplex  Speed Type"]
    for interface in [*floor.ports, *floor.uplinks]:
        config = port_config(tree, interface)
        uplink = interface in floor.uplinks
        if config.shutdown:
            status = "disabled"
        elif interface in floor.err_disabled:
            status = "err-disabled"
        elif (uplink and interface not in floor.uplinks_down) or (not uplink and floor.ports.get(interface)):
            status = "connected"
        else:
            status = "notconnect"
        vlan = "trunk" if config.trunk else str(config.access_vlan)
        up = status == "connected"
        media = "SFP-10GBase-SR" if uplink else "10/100/1000BaseTX"
        lines.append(f"{short_name(interface):<9} {config.description[:18]:<18} {status:<12} {vlan:<10} "
                     f"{'a-full' if up else 'auto':>6} {('a-10G' if uplink else 'a-1000') if up else 'auto':>6} {media}")
    return "\n".join(lines) + "\n"


def show_floor(floor: SwitchFloor, tree: ConfigTree, path: tuple[str, ...], args: list[str]) -> str | None:
    """The output for a floor show command (``path`` as the shell expanded it), or None if it is not one."""
    if path == ("cdp", "neighbors", "detail"):
        return show_cdp_neighbors_detail(floor, tree)
    if path == ("lldp", "neighbors", "detail"):
        return show_lldp_neighbors_detail(floor, tree)
    if path == ("mac", "address-table"):
        vlan = int(args[1]) if len(args) == 2 and args[0] == "vlan" and args[1].isdigit() else None
        if args and vlan is None:
            return None
        return show_mac_address_table(floor, tree, vlan)
    if path == ("power", "inline") and not args:
        return show_power_inline(floor, tree)
    if path == ("interfaces", "status") and not args:
        return show_interfaces_status(floor, tree)
    return None


# The shell's command tree for these (ccinfra.lab.shell): keyword -> subtree; None takes arguments.
SHOW_TREE = {
    "cdp": {"neighbors": {"detail": {"": None}}},
    "lldp": {"neighbors": {"detail": {"": None}}},
    "mac": {"address-table": None},
    "power": {"inline": {"": None}},
    "interfaces": {"status": {"": None}},
}
