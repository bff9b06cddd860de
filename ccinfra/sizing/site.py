"""``size(spec) -> Plan``: the whole site, section by section. Pure: reads no files, prints nothing."""

from __future__ import annotations

from ccinfra import __version__, standards
from ccinfra.errors import SpecError
from ccinfra.plan import Check, Gateway, PhoneEntry, Plan, Seats, Trunks
from ccinfra.sizing import checks as chk
from ccinfra.sizing.cabling import cabling_checks, take_off
from ccinfra.sizing.electrical import size_grounding
from ccinfra.sizing.floor import size_desks, size_floor
from ccinfra.sizing.network import GATEWAY_HOST_OFFSET, management_hosts, size_network
from ccinfra.sizing.readiness import readiness_checks
from ccinfra.sizing.staffing import size_seats, size_staffing, size_trunks, size_voip
from ccinfra.sizing.week import size_week
from ccinfra.spec import SiteSpec


def plan_gateways(spec: SiteSpec, trunks: Trunks) -> list[Gateway]:
    """One gateway per trunk kind: a CUBE (or Asterisk) for a SIP trunk, an IOS PRI gateway for E1/T1."""
    tel = spec.telephony
    kinds: list[tuple[str, str]] = [("sip", "") if tel.trunk == "sip" else ("pri", tel.trunk)]
    if tel.fallback != "none":
        kinds.append(("pri", tel.fallback))
    addresses = management_hosts(spec.network.management_subnet, len(kinds), GATEWAY_HOST_OFFSET)
    gateways = []
    for index, (role, span) in enumerate(kinds, start=1):
        spans = {"e1": trunks.e1_spans, "t1": trunks.t1_pri_spans}.get(span, 0)
        per_span = {"e1": standards.E1_CHANNELS, "t1": standards.T1_PRI_CHANNELS}.get(span, 0)
        gateways.append(Gateway(
            # Only the SIP gateway can be Asterisk: a PRI on Asterisk needs DAHDI cards, so PRI stays IOS.
            name=f"{spec.name}-gw{index:02d}", role=role,
            platform=tel.gateway_platform if role == "sip" else "cisco_ios",
            management_ip=addresses[index - 1], channels=trunks.channels if role == "sip" else spans * per_span,
            spans=spans, span_type=span or None,
        ))
    return gateways


def plan_phones(spec: SiteSpec, seats: Seats) -> tuple[list[PhoneEntry], list[str]]:
    """Phones onto seats: a phone that names its seat (``ccinfra discover`` writes them) gets it, the others
    fill the free seats in seat order, MAC order kept; extensions from the range unless given. Never invents a MAC.
    """
    warnings = []
    devices = spec.phones.devices
    order = {seat.id: n for n, seat in enumerate(seats.seats)}
    unknown = sorted({d.seat for d in devices if d.seat is not None and d.seat not in order})
    if unknown:
        raise SpecError(f"phones: seat(s) {', '.join(unknown)} are not seats of this site; "
                        f"correct the seat column of phones.macs_file (seats run {seats.seats[0].id}...)")
    taken = [d.seat for d in devices if d.seat is not None]
    twice = sorted({s for s in taken if taken.count(s) > 1})
    if twice:
        raise SpecError(f"phones: seat(s) {', '.join(twice)} have two phones; keep one phone per seat")
    free = iter([s.id for s in seats.seats if s.id not in set(taken)])
    phones = []
    for index, device in enumerate(devices):
        seat = device.seat if device.seat is not None else next(free, None)
        number = order[seat] if device.seat is not None else index
        phones.append(PhoneEntry(
            mac=device.mac, extension=device.extension or spec.phones.extension_start + number,
            name=device.name or (f"Seat {seat}" if seat else f"Spare {index + 1}"), seat=seat,
        ))
    if len(devices) < seats.total:
        warnings.append(
            f"{seats.total - len(devices)} of {seats.total} seats have no phone MAC: no phone file is rendered for them; "
            "list MACs in phones.devices or phones.macs_file"
        )
    elif len(devices) > seats.total:
        warnings.append(f"{len(devices) - seats.total} phone MACs have no seat; they get files as spares")
    return phones, warnings


def spec_dump(spec: SiteSpec) -> dict:
    """The spec as JSON data; a site without a week of intervals leaves those keys out (its plan is unchanged)."""
    week_keys = {"queues", "interval_min", "forecast_file", "shrinkage", "max_occupancy", "schedule"}
    return spec.model_dump(mode="json", exclude=None if spec.demand.queues else {"demand": week_keys})


def voice_warnings(spec: SiteSpec) -> list[str]:
    """What the plan asks of the voice network that the rendered files alone cannot deliver."""
    if not spec.network.srtp:
        return []
    return ["network.srtp: SRTP keys (SDES, RFC 4568) travel in the SDP, so phones, gateways and the call control "
            "need TLS (SIPS) signalling and certificates, provisioned out of band; over plain SIP the keys are readable"]


def size(spec: SiteSpec, time_limit_s: float | None = None) -> Plan:
    """Size a site.

    >>> from ccinfra.spec import parse_spec
    >>> plan = size(parse_spec({"name": "demo", "demand": {"agents": 30}}))
    >>> plan.seats.total, plan.network.switch_count
    (32, 1)
    """
    # A week of intervals: seats from the schedule's peak on duty, trunks from the busiest interval.
    week = size_week(spec.demand, spec.telephony, time_limit_s) if spec.demand.queues else None
    staffing = week.staffing if week else size_staffing(spec.demand)
    seats = size_seats(staffing, spec.demand)
    floor = size_floor(seats.seats, spec.floor)
    desks = size_desks(seats.total, spec.floor, floor.layout)
    cabling = take_off(floor, spec.floor, spec.network.ports_per_seat)
    grounding = size_grounding(spec.electrical)
    trunks = week.trunks if week else size_trunks(staffing, spec.telephony)
    voip = size_voip(spec.network, trunks.peak_concurrent_calls)
    network = size_network(spec.name, seats.seats, spec.network, voip.per_call_kbps, trunks.peak_concurrent_calls)
    gateways = plan_gateways(spec, trunks)
    phones, warnings = plan_phones(spec, seats)
    warnings += voice_warnings(spec)
    checks: list[Check] = (
        (week.checks if week else chk.staffing_checks(staffing)) + chk.floor_checks(floor, seats.total) + chk.desk_checks(desks, spec.floor.barrier)
        + chk.grounding_checks(grounding) + chk.network_checks(network) + chk.trunk_checks(trunks)
        + cabling_checks(cabling)
        + readiness_checks(spec, gateways, trunks, phones)
    )
    if floor.room_area_m2 is not None and floor.layout and len(floor.layout) < seats.total:
        warnings.append(f"only {len(floor.layout)} of {seats.total} seats are placed on the floor plan")
    warnings += [f"{c.id}: {c.title} — {c.measured} (limit {c.limit})" + (f"; {c.detail}" if c.id.startswith("render.") else "")
                 for c in checks if c.status in ("warn", "fail")]
    return Plan(
        ccinfra_version=__version__, site=spec.name, spec=spec_dump(spec), staffing=staffing,
        seats=seats, floor=floor, desks=desks, cabling=cabling, grounding=grounding, network=network, voip=voip,
        trunks=trunks,
        gateways=gateways, phones=phones, checks=checks, warnings=warnings,
        demand=week.demand if week else None, schedule=week.schedule if week else None,
    )


def size_file(path: str) -> Plan:
    """Load and size a site YAML; a sizing error names the file as a loading error does.

    >>> size_file("/nonexistent/site.yaml")
    Traceback (most recent call last):
    ...
    ccinfra.errors.SpecError: /nonexistent/site.yaml: no such file; give the path of a site YAML (see examples/site.yaml)
    """
    from ccinfra.spec import load_spec

    spec = load_spec(path)
    try:
        return size(spec)
    except SpecError as err:
        raise SpecError(f"{path}: {err}") from None
