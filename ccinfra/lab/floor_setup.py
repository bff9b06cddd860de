"""Put emulated phones on the lab switches where the plan seats them, with the faults a floor has.

``floors_for_plan(plan, phones, options)`` gives one :class:`~ccinfra.lab.floor.SwitchFloor` per
access switch: each seated phone on its seat's port (a Cisco-style ``SEP<MAC>`` CDP and LLDP-MED
neighbour, its MAC learnt in the port's voice VLAN, drawing its PoE class's power), an access point
on each port the plan gives an extra device, phones without a seat on the first spare ports.
:class:`FloorOptions` leaves seats empty, moves a phone, plugs in a foreign device, changes a model,
makes a phone speak only LLDP or nothing at all (MAC table only), or gives it a hostile device id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Network
from pathlib import Path

from ccinfra import standards
from ccinfra.errors import LabError
from ccinfra.floor.seatmap import seat_ports
from ccinfra.lab.device import DeviceSpec
from ccinfra.lab.floor import Attached, SwitchFloor
from ccinfra.plan import PhoneEntry, Plan

AP_MODEL = "cisco C9120AXI-E"
HOST_PLATFORM = "Linux"


@dataclass(frozen=True)
class FloorOptions:
    """Faults on the floor. Seats by id; ports as ``SWITCH:INTERFACE``."""

    empty: frozenset[str] = frozenset()  # seats whose phone is not plugged in
    moves: dict[str, str] = field(default_factory=dict)  # seat -> port its phone is plugged into instead
    foreign: frozenset[str] = frozenset()  # ports with a PC (CDP "Linux" host, no PoE, data VLAN)
    models: dict[str, str] = field(default_factory=dict)  # seat -> the model its phone really is
    lldp_only: frozenset[str] = frozenset()
    silent: frozenset[str] = frozenset()  # neither CDP nor LLDP: only the MAC table knows it
    hostile: dict[str, str] = field(default_factory=dict)  # seat -> device id the phone announces
    err_disabled: frozenset[str] = frozenset()
    uplinks_down: frozenset[str] = frozenset()


def split_port(text: str) -> tuple[str, str]:
    """``lisbon-as01:GigabitEthernet1/0/5`` → its switch and interface.

    >>> split_port("lisbon-as01:GigabitEthernet1/0/5")
    ('lisbon-as01', 'GigabitEthernet1/0/5')
    """
    switch, sep, interface = text.partition(":")
    if not sep or not switch or not interface:
        raise LabError(f"{text!r} is not a port: write SWITCH:INTERFACE, e.g. lisbon-as01:GigabitEthernet1/0/5")
    return switch, interface


def _phone_ip(plan: Plan, number: int) -> str:
    subnet = IPv4Network(str((plan.spec.get("network") or {}).get("voice_subnet", "10.0.20.0/23")))
    return str(subnet.network_address + 11 + number)


def _phone(plan: Plan, entry: PhoneEntry, number: int, options: FloorOptions) -> Attached:
    phones = plan.spec.get("phones") or {}
    poe_class = int((plan.spec.get("network") or {}).get("phone_poe_class", 2))
    seat = entry.seat or ""
    return Attached(
        mac=entry.mac, kind="phone", model=options.models.get(seat, str(phones.get("model", "CP-8841"))),
        vendor=str(phones.get("vendor", "cisco")), cdp=seat not in options.lldp_only and seat not in options.silent,
        lldp=seat not in options.silent, device_id=options.hostile.get(seat),
        poe_w=standards.POE_CLASS_POWER_W[poe_class], poe_class=poe_class, ip=_phone_ip(plan, number),
    )


def _check_ports(floors: dict[str, SwitchFloor], ports: list[str], flag: str) -> None:
    for text in ports:
        switch, interface = split_port(text)
        if switch not in floors or interface not in floors[switch].ports and interface not in floors[switch].uplinks:
            raise LabError(f"{flag} {text}: no such port in the plan (switches: {', '.join(floors)})")


def floors_for_plan(plan: Plan, phones: list[PhoneEntry], options: FloorOptions = FloorOptions()) -> dict[str, SwitchFloor]:
    """One floor per access switch of ``plan`` with ``phones`` placed by seat (see the module doc)."""
    floors = {s.name: SwitchFloor({p.interface: [] for p in s.ports}, list(s.uplinks), s.poe_budget_w)
              for s in plan.network.switches}
    _check_ports(floors, [*options.moves.values(), *options.foreign, *options.err_disabled, *options.uplinks_down],
                 "--move/--foreign/--err-disabled/--uplink-down")
    seats = seat_ports(plan)
    for name in [*options.empty, *options.moves, *options.models, *options.lldp_only, *options.silent, *options.hostile]:
        if name not in seats:
            raise LabError(f"seat {name!r} is not a seat of the plan (seats run {plan.seats.seats[0].id}...)")
    spares = [(s.name, p.interface) for s in plan.network.switches for p in s.ports if p.kind == "spare"]
    for number, entry in enumerate(phones):
        if entry.seat in options.empty:
            continue
        if entry.seat in options.moves:
            where = split_port(options.moves[entry.seat])
        elif entry.seat in seats:
            where = (seats[entry.seat].switch, seats[entry.seat].interface)
        elif spares:
            where = spares.pop(0)  # a phone without a seat: plugged into a spare port
        else:
            continue
        floors[where[0]].ports[where[1]].append(_phone(plan, entry, number, options))
    for index, switch in enumerate(plan.network.switches):
        for n, port in enumerate(switch.ports):
            if port.kind == "extra":  # the plan's extra devices: PoE ones as access points, the rest as hosts
                powered = port.poe_class is not None
                floors[switch.name].ports[port.interface].append(Attached(
                    mac=f"02ccaf{index:02x}{n:04x}", kind="ap" if powered else "host",
                    model=AP_MODEL if powered else HOST_PLATFORM, lldp=False,
                    device_id=f"{port.device or 'device'}-{switch.name}"[:40], poe_w=port.poe_w, poe_class=port.poe_class))
    for n, text in enumerate(sorted(options.foreign)):
        switch, interface = split_port(text)
        floors[switch].ports[interface].append(Attached(
            mac=f"02ccbe0000{n:02x}", kind="host", model=HOST_PLATFORM, lldp=False, device_id=f"pc-{n + 1}",
            poe_w=0.0, poe_class=None))
    for switch, floor in floors.items():
        floor.err_disabled = {i for s, i in map(split_port, options.err_disabled) if s == switch}
        floor.uplinks_down = {i for s, i in map(split_port, options.uplinks_down) if s == switch}
    return floors


def phones_for_plan(plan: Plan, phones_csv: str | Path) -> list[PhoneEntry]:
    """The phones of a ``phones.csv`` (the ``phones.macs_file`` format) seated as ``render`` would seat them."""
    from ccinfra.render.context import plan_spec
    from ccinfra.sizing.site import plan_phones
    from ccinfra.spec import read_phone_csv

    spec = plan_spec(plan)
    spec.phones.devices = read_phone_csv(Path(phones_csv))
    return plan_phones(spec, plan.seats)[0]


HOSTILE_ID = "SEP{mac}\nusername x privilege 15"  # what --hostile makes a phone announce


def floor_specs(specs: list[DeviceSpec], build_dir: str | Path, phones_csv: str | Path, options: FloorOptions,
                configured: bool = False) -> list[DeviceSpec]:
    """The twins of ``build_dir`` with the floor of its plan attached (and its configs, with ``configured``)."""
    from dataclasses import replace

    from ccinfra.floor.seatmap import load_plan_from
    from ccinfra.manifest import read_manifest

    plan = load_plan_from(build_dir)
    floors = floors_for_plan(plan, phones_for_plan(plan, phones_csv), options)
    paths = {e.device: e.absolute_path for e in read_manifest(build_dir)[1]}
    return [replace(spec, floor=floors.get(spec.name),
                    initial_config=paths[spec.name].read_text(encoding="utf-8") if configured else spec.initial_config)
            for spec in specs]
