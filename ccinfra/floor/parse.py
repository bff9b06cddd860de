"""What the access switches say about their ports, parsed with ntc-templates (TextFSM).

The ``cisco_ios_*`` templates of networktocode/ntc-templates also read IOS-XE output. Each template
is read once and compiled per parse (``ntc_templates.parse.parse_output`` loads its whole index on
every call: 30 ms, more than the SSH round trip it follows). Where a template has no field for
something discovery needs, that one field is parsed here on its own, with a comment saying so.

Everything returned is still *untrusted* text from the neighbours: :mod:`ccinfra.floor.untrusted`
checks it before it goes anywhere.

>>> rows = parse_interfaces_status("Port      Name               Status       Vlan       Duplex  Speed Type\\n"
...                                "Gi1/0/1   seat A001          connected    10         a-full a-1000 10/100/1000BaseTX\\n")
>>> rows[0].interface, rows[0].status, rows[0].vlan
('GigabitEthernet1/0/1', 'connected', '10')
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import textfsm
from netutils.interface import canonical_interface_name

from ccinfra.errors import PushError

TEMPLATES = {
    "cdp": "cisco_ios_show_cdp_neighbors_detail.textfsm",
    "lldp": "cisco_ios_show_lldp_neighbors_detail.textfsm",
    "mac": "cisco_ios_show_mac-address-table.textfsm",
    "power": "cisco_ios_show_power_inline.textfsm",
    "status": "cisco_ios_show_interfaces_status.textfsm",
}


@dataclass(frozen=True)
class CdpEntry:
    """One CDP neighbour. ``raw_device_id`` is everything between ``Device ID:`` and the next field."""

    local_interface: str
    device_id: str
    raw_device_id: str
    platform: str
    capabilities: str
    address: str
    peer_mac: str
    power_w: float | None


@dataclass(frozen=True)
class LldpEntry:
    local_interface: str
    chassis_id: str
    port_id: str
    system_name: str
    description: str
    model: str
    serial: str
    address: str
    voice_vlan: int | None


@dataclass(frozen=True)
class MacEntry:
    vlan: str
    mac: str
    interface: str


@dataclass(frozen=True)
class PowerPort:
    interface: str
    oper: str
    power_w: float
    device: str
    poe_class: str


@dataclass(frozen=True)
class PowerModule:
    module: str
    available_w: float
    used_w: float


@dataclass(frozen=True)
class PortStatus:
    interface: str
    name: str
    status: str
    vlan: str


@lru_cache(maxsize=4096)  # netutils takes 0.1 ms a name; a switch has ~50 names, read several times
def long_interface(name: str) -> str:
    """IOS's full interface name for a short one (``Gi1/0/5``); unknown names are returned as they are.

    >>> long_interface("Gi1/0/5"), long_interface("GigabitEthernet1/0/5"), long_interface("Te1/1/1")
    ('GigabitEthernet1/0/5', 'GigabitEthernet1/0/5', 'TenGigabitEthernet1/1/1')
    """
    name = name.strip()
    try:
        return canonical_interface_name(name)
    except Exception:  # netutils raises on names it cannot split; keep the text, untrusted checks follow
        return name


@lru_cache(maxsize=None)
def _template_text(name: str) -> str:
    from ntc_templates.parse import _get_template_dir  # the installed templates' folder

    return (Path(_get_template_dir()) / name).read_text(encoding="utf-8")


_compiled = threading.local()  # a TextFSM is stateful: one compiled copy per template per thread


def _fsm(kind: str) -> textfsm.TextFSM:
    """The compiled template for ``kind``, reset (compiling one costs 0.4-1.3 ms, a parse of a port less)."""
    cache = _compiled.__dict__.setdefault("fsms", {})
    if kind not in cache:
        cache[kind] = textfsm.TextFSM(io.StringIO(_template_text(TEMPLATES[kind])))
    fsm = cache[kind]
    fsm.Reset()
    return fsm


def textfsm_rows(kind: str, text: str) -> list[dict[str, object]]:
    """Rows (lower-case keys) of the ntc-templates template for ``kind`` (cdp, lldp, mac, power, status)."""
    try:
        fsm = _fsm(kind)
        rows = fsm.ParseText(text)
    except textfsm.TextFSMError as err:
        raise PushError(f"cannot parse `{kind}` output with ntc-templates: {err}") from None
    keys = [k.lower() for k in fsm.header]
    return [dict(zip(keys, row)) for row in rows]


@dataclass(frozen=True)
class Refused:
    """A neighbour record that could not be read (a line the template does not know: a hostile value)."""

    local_interface: str
    reason: str


_LOCAL_ANY = re.compile(r"^(?:Local Intf|Interface): ?([A-Za-z][\w/.:-]*)", re.M)


def block_rows(kind: str, text: str, separator: re.Pattern[str],
               skip: Callable[[str], bool] | None = None) -> tuple[list[tuple[str, dict[str, object]]], list[Refused]]:
    """Each neighbour block parsed on its own, so one bad record costs its own port only.

    Returns (block text, row) pairs and the blocks the template refused; blocks ``skip`` accepts are
    left unparsed.
    """
    fsm = _fsm(kind)
    keys = [k.lower() for k in fsm.header]
    found, refused = [], []
    for block in separator.split(text):
        if not block.strip() or (skip is not None and skip(block)):
            continue
        fsm.Reset()
        try:
            rows = fsm.ParseText(block)
        except textfsm.TextFSMError as err:
            local = _LOCAL_ANY.search(block)
            refused.append(Refused(long_interface(local[1]) if local else "?",
                                   f"{kind.upper()} record not readable ({str(err).splitlines()[0][:80]})"))
            continue
        found += [(block, dict(zip(keys, row))) for row in rows]
    return found, refused


def _str(value: object) -> str:
    return value if isinstance(value, str) else " ".join(str(v) for v in value or [])  # type: ignore[union-attr]


def _float(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


# ntc-templates' CDP template has no field for `Power drawn:` nor `Peer Source MAC:`, and takes the
# Device ID up to the first space of its line only; these are read from each entry's own block.
_SEPARATOR = re.compile(r"^-{10,}\s*$", re.M)
_CDP_ID = re.compile(r"^Device ID: ?(.*?)\n(?=Entry address|Platform|Interface:)", re.S | re.M)
_CDP_POWER = re.compile(r"^Power drawn: ([0-9.]+) Watts", re.M)
_CDP_PEER_MAC = re.compile(r"^Peer Source MAC: (\S+)", re.M)


def parse_cdp(text: str) -> tuple[list[CdpEntry], list[Refused]]:
    """``show cdp neighbors detail``: the entries, and the records that could not be read."""
    rows, refused = block_rows("cdp", text, _SEPARATOR)
    entries = []
    for block, row in rows:
        raw_id = _CDP_ID.search(block + "\n")
        power, peer = _CDP_POWER.search(block), _CDP_PEER_MAC.search(block)
        entries.append(CdpEntry(
            local_interface=long_interface(_str(row["local_interface"])), device_id=_str(row["neighbor_name"]),
            raw_device_id=raw_id[1] if raw_id else _str(row["neighbor_name"]),
            platform=_str(row["platform"]).strip(), capabilities=_str(row["capabilities"]).strip(),
            address=_str(row["mgmt_address"]), peer_mac=peer[1] if peer else "",
            power_w=_float(power[1]) if power else None,
        ))
    return entries, refused


# ntc-templates' LLDP template has no field for the LLDP-MED network policy (the voice VLAN the
# switch handed the phone), read here on its own.
_LLDP_VOICE = re.compile(r"Network Policy\(Voice\): VLAN (\d+)")


_LLDP_SAID = re.compile(r"^Local Intf: (\S+)$.*?^System Name: ([^\n]*)$", re.M | re.S)


def parse_lldp(text: str, known: frozenset[tuple[str, str]] = frozenset()) -> tuple[list[LldpEntry], list[Refused]]:
    """``show lldp neighbors detail``: the entries, and the records that could not be read.

    ``known``: (local interface, name) pairs CDP already gave. A record whose own ``System Name`` line
    is exactly such a name is the same device saying it again and is not parsed: three lines of
    four on a floor of phones are LLDP-MED detail, and nothing in them would be used.
    """
    def said_before(block: str) -> bool:
        found = _LLDP_SAID.search(block)
        return found is not None and (long_interface(found[1]), found[2]) in known

    rows, refused = block_rows("lldp", text, _SEPARATOR, said_before if known else None)
    entries = []
    for block, row in rows:
        voice = _LLDP_VOICE.search(block)
        entries.append(LldpEntry(
            local_interface=long_interface(_str(row["local_interface"])), chassis_id=_str(row["chassis_id"]),
            port_id=_str(row["neighbor_port_id"]), system_name=_str(row["neighbor_name"]),
            description=_str(row["neighbor_description"]), model=_str(row["platform"]), serial=_str(row["serial"]),
            address=_str(row["mgmt_address"]), voice_vlan=int(voice[1]) if voice else None,
        ))
    return entries, refused


def parse_mac_table(text: str) -> list[MacEntry]:
    """``show mac address-table [vlan N]``: dynamic and static entries on physical ports."""
    entries = []
    for row in textfsm_rows("mac", text):
        for port in row["destination_port"] or []:  # type: ignore[union-attr]
            entries.append(MacEntry(_str(row["vlan_id"]), _str(row["destination_address"]), long_interface(str(port))))
    return entries


# ntc-templates' power-inline template reads the ports only; the module lines (available, used W)
# are read here on their own.
_POWER_MODULE = re.compile(r"^(\d+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s*$", re.M)


def parse_power_inline(text: str) -> tuple[list[PowerPort], list[PowerModule]]:
    """``show power inline``: per-port power and per-module totals."""
    ports = [
        PowerPort(long_interface(_str(row["interface"])), _str(row["operational_status"]),
                  _float(_str(row["power"])) or 0.0, _str(row["device"]), _str(row["class"]))
        for row in textfsm_rows("power", text)
    ]
    modules = [PowerModule(m[1], float(m[2]), float(m[3])) for m in _POWER_MODULE.finditer(text)]
    return ports, modules


def parse_interfaces_status(text: str) -> list[PortStatus]:
    """``show interfaces status``."""
    return [
        PortStatus(long_interface(_str(row["port"])), _str(row["name"]), _str(row["status"]).rstrip(":"),
                   _str(row["vlan_id"]))
        for row in textfsm_rows("status", text)
    ]
