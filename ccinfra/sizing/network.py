"""Access switching: ports, spare, switch count, per-switch PoE, uplink oversubscription, VLANs, addresses.

Sources: seed-voip (one cable per seat, phone passes the PC through), tia-568, ieee-802.3-poe,
cisco-campus-oversub.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from ipaddress import IPv4Network

from ccinfra import catalogue, limits, standards
from ccinfra.errors import SpecError
from ccinfra.plan import NetworkPlan, Port, Seat, Switch, Vlan
from ccinfra.spec import Network
from ccinfra.validation import safe_name

# Addresses in the management subnet: first host is the default gateway, gateways from the 5th, switches from the 11th.
GATEWAY_HOST_OFFSET = 4
SWITCH_HOST_OFFSET = 10


@dataclass(frozen=True)
class Endpoint:
    """Something that takes one access port."""

    kind: str  # "seat" | "extra"
    label: str
    vlan: int
    voice_vlan: int | None
    poe_class: int | None


def poe_power_w(poe_class: int | None) -> float:
    """PSE power reserved for a PoE class (IEEE 802.3af/at/bt); 0 for an unpowered device.

    >>> poe_power_w(2), poe_power_w(4), poe_power_w(None)
    (7.0, 30.0, 0.0)
    """
    return 0.0 if poe_class is None else standards.POE_CLASS_POWER_W[poe_class]


def oversubscription(access_ports: int, access_port_gbps: float, uplinks: int, uplink_gbps: float) -> float:
    """Access capacity over uplink capacity.

    >>> oversubscription(48, 1, 2, 1)
    24.0
    """
    return access_ports * access_port_gbps / (uplinks * uplink_gbps)


def priority_percent(voice_kbps: float, link_gbps: float) -> int:
    """The strict-priority queue for ``voice_kbps`` on a ``link_gbps`` link, as the whole percent IOS takes.

    Rounded up so the queue always holds the planned voice, and at least 1 % (the smallest police rate
    percent). Compare it with the 33 % ceiling of cisco-campus-qos / cisco-qos-llq.

    >>> priority_percent(90.4, 1), priority_percent(3164.0, 10), priority_percent(400_000, 1)
    (1, 1, 40)
    """
    return max(1, math.ceil(round(voice_kbps / (link_gbps * 1e6) * 100, 9)))


def check_subnet_size(field: str, subnet: IPv4Network, hosts_needed: int) -> None:
    """Raise SpecError naming ``field`` when ``subnet`` has fewer host addresses than needed (plus its gateway).

    >>> check_subnet_size("network.voice_subnet", IPv4Network("10.0.20.0/24"), 200)
    >>> check_subnet_size("network.voice_subnet", IPv4Network("10.0.20.0/30"), 127)
    Traceback (most recent call last):
    ccinfra.errors.SpecError: network.voice_subnet: 10.0.20.0/30 has 2 host addresses, 128 are needed (127 devices and a gateway); use a larger subnet
    """
    hosts = subnet.num_addresses - 2
    if hosts < hosts_needed + 1:
        raise SpecError(f"{field}: {subnet} has {hosts} host addresses, {hosts_needed + 1} are needed "
                        f"({hosts_needed} devices and a gateway); use a larger subnet")


def endpoints(seats: list[Seat], net: Network) -> list[Endpoint]:
    """Every device needing a port: each seat's ports (the first powers the phone), then the extra devices."""
    found: list[Endpoint] = []
    for seat in seats:
        for n in range(net.ports_per_seat):
            label = seat.id if n == 0 else f"{seat.id}-{n + 1}"
            phone = n == 0
            found.append(Endpoint("seat", label, net.vlans.data, net.vlans.voice if phone else None,
                                  net.phone_poe_class if phone else None))
    for extra in net.extra_devices:
        vlan = getattr(net.vlans, extra.vlan)
        for i in range(extra.count):
            found.append(Endpoint("extra", f"{extra.name}-{i + 1:02d}", vlan, None, extra.poe_class))
    return found


def switch_names(site: str, pattern: str, count: int) -> list[str]:
    """Switch host names from the site's pattern, each checked to be a safe name."""
    names = []
    for index in range(1, count + 1):
        name = pattern.format(site=site, index=index)
        try:
            names.append(safe_name(name))
        except ValueError as err:
            raise SpecError(f"network.switch_name_pattern: {err}") from None
    return names


def management_hosts(subnet: IPv4Network, count: int, offset: int) -> list[str]:
    hosts = max(subnet.num_addresses - 2, 0)
    if offset + count > hosts:
        prefix = next(p for p in range(30, -1, -1) if 2 ** (32 - p) - 2 >= offset + count)
        raise SpecError(
            f"network.management_subnet: {subnet} has {hosts} host address{'es' if hosts != 1 else ''}, "
            f"{offset + count} are needed ({offset} reserved, then {count} devices); use a /{prefix} or larger"
        )
    return [str(subnet.network_address + 1 + offset + i) for i in range(count)]


def size_network(site: str, seats: list[Seat], net: Network, per_call_kbps: float, concurrent_calls: int) -> NetworkPlan:
    """Ports with spare, switch count (ports and PoE), and every endpoint placed on a switch port."""
    extra = sum(e.count for e in net.extra_devices)
    limits.check_max("network: seats × ports_per_seat + extra_devices", len(seats) * net.ports_per_seat + extra,
                     limits.MAX_PORTS, "MAX_PORTS")
    ends = endpoints(seats, net)
    seat_ports = sum(1 for e in ends if e.kind == "seat")
    for kind in ("voice", "data"):
        vlan = getattr(net.vlans, kind)
        # a seat's phone is in the voice VLAN, its PC (behind the phone) in the data VLAN
        users = sum((e.voice_vlan == vlan) + (e.vlan == vlan) for e in ends)
        check_subnet_size(f"network.{kind}_subnet", getattr(net, f"{kind}_subnet"), users)
    needed = len(ends)
    with_spare = int(math.ceil(needed * (1 + net.spare_ratio) - 1e-9))
    sw = net.switch
    poe_total = sum(poe_power_w(e.poe_class) for e in ends)
    for_ports = max(1, math.ceil(with_spare / sw.ports))
    for_poe = math.ceil(poe_total / sw.poe_budget_w) if sw.poe_budget_w > 0 else (0 if poe_total == 0 else 10**9)
    if for_poe >= 10**9:
        raise SpecError("network.switch.poe_budget_w: 0 W cannot power the phones; give the switch's PoE budget")
    count = max(for_ports, for_poe)
    if count > limits.MAX_SWITCHES:
        raise SpecError(f"network.switch: {count} switches ({for_ports} for the ports, {for_poe} for PoE) is past the "
                        f"limit of {limits.MAX_SWITCHES} (MAX_SWITCHES); check network.switch.ports and poe_budget_w")
    names = switch_names(site, net.switch_name_pattern, count)
    addresses = management_hosts(net.management_subnet, count, SWITCH_HOST_OFFSET)
    per_switch = math.ceil(needed / count)
    model_uplinks = max(sw.uplinks, catalogue.SWITCHES[sw.model].uplinks if sw.model in catalogue.SWITCHES else 0)
    switches = []
    for i, name in enumerate(names):
        chunk = ends[i * per_switch:(i + 1) * per_switch]
        ports = [
            Port(interface=f"{sw.port_prefix}{p + 1}", kind=e.kind, seat=e.label if e.kind == "seat" else None,
                 device=e.label if e.kind == "extra" else None, vlan=e.vlan, voice_vlan=e.voice_vlan,
                 poe_class=e.poe_class, poe_w=poe_power_w(e.poe_class))
            for p, e in enumerate(chunk)
        ]
        ports += [Port(interface=f"{sw.port_prefix}{p + 1}", kind="spare") for p in range(len(chunk), sw.ports)]
        phones = sum(1 for e in chunk if e.voice_vlan is not None)
        # worst case for one uplink: every phone behind it on a call, up to the site's peak concurrent calls
        calls_here = min(phones, concurrent_calls)
        switches.append(Switch(
            name=name, model=sw.model, management_ip=addresses[i], ports=ports,
            uplinks=[f"{sw.uplink_prefix}{u + 1}" for u in range(sw.uplinks)],
            # uplink ports the model has but the plan leaves unused: rendered shut in the parking VLAN
            unused_uplinks=[f"{sw.uplink_prefix}{u + 1}" for u in range(sw.uplinks, model_uplinks)],
            ports_used=len(chunk), poe_w=round(sum(p.poe_w for p in ports), 3), poe_budget_w=sw.poe_budget_w,
            uplink_gbps=sw.uplinks * sw.uplink_gbps,
            oversubscription=round(oversubscription(sw.ports, sw.access_port_gbps, sw.uplinks, sw.uplink_gbps), 3),
            phones=phones, voice_kbps_per_direction=round(calls_here * per_call_kbps, 3),
            # one uplink must carry all the voice when its partner fails, so size the queue on one link
            priority_percent_uplink=priority_percent(calls_here * per_call_kbps, sw.uplink_gbps),
            priority_percent_access=priority_percent(per_call_kbps, sw.access_port_gbps),
        ))
    vlans = [
        Vlan(id=net.vlans.data, name="DATA", purpose="agent PCs (phone pass-through)"),
        Vlan(id=net.vlans.voice, name="VOICE", purpose="IP phones"),
        Vlan(id=net.vlans.management, name="MGMT", purpose="switch and gateway management"),
        Vlan(id=net.vlans.parking, name="PARKING", purpose="unused ports, shut (carried by no trunk)"),
    ]
    return NetworkPlan(
        seat_ports=seat_ports, extra_ports=needed - seat_ports, needed_ports=needed, spare_ratio=net.spare_ratio,
        ports_with_spare=with_spare, ports_per_switch=sw.ports, switches_for_ports=for_ports,
        switches_for_poe=for_poe, switch_count=count, poe_total_w=round(poe_total, 3), vlans=vlans,
        management_subnet=str(net.management_subnet),
        management_gateway=str(net.management_subnet.network_address + 1),
        switches=switches,
        sources=["seed-voip", "tia-568", "ieee-802.3-poe", "cisco-campus-oversub", "cisco-campus-qos"],
    )
