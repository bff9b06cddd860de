"""Discovery: the phones the switches see, by seat, as the ``phones.csv`` that ``phones.macs_file`` reads.

One phone per port: the port maps to its seat through the plan (:mod:`ccinfra.floor.seatmap`). The
CSV has ``seat, mac, model, extension`` (model and extension from the plan). Nothing is silently
dropped: a seat port with no phone, a port with two phones, a phone whose model is not the plan's,
a phone on a port with no seat, a phone the plan lists for another seat (moved), and a neighbour
record refused as unsafe are all listed as anomalies.

>>> phones_csv([{"seat": "S01", "mac": "00:1b:54:c0:00:01", "model": "CP-8841", "extension": 2001}])
'seat,mac,model,extension\\r\\nS01,00:1b:54:c0:00:01,CP-8841,2001\\r\\n'
"""

from __future__ import annotations

import csv
import io
from ipaddress import ip_address
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ccinfra.floor.collect import SwitchReading
from ccinfra.floor.ports import PortView, switch_view
from ccinfra.floor.seatmap import planned_ports, seat_extensions
from ccinfra.floor.untrusted import colon_mac, model_key
from ccinfra.plan import Plan

CSV_COLUMNS = ("seat", "mac", "model", "extension")


@dataclass(frozen=True)
class Anomaly:
    switch: str
    port: str
    seat: str
    kind: str  # empty | two-phones | wrong-model | no-seat | moved | refused | unreadable
    detail: str


def voice_vlan_of(plan: Plan) -> int:
    return int(((plan.spec.get("network") or {}).get("vlans") or {}).get("voice", 20))


def plan_model(plan: Plan) -> str:
    return str((plan.spec.get("phones") or {}).get("model", ""))


def port_viewer(plan: Plan) -> Callable[[SwitchReading], dict[str, PortView]]:
    """``reading -> {interface: PortView}`` for the switches of ``plan`` (the plan's ports first, in order)."""
    interfaces: dict[str, list[str]] = {}
    for p in planned_ports(plan):
        interfaces.setdefault(p.switch, []).append(p.interface)
    voice = voice_vlan_of(plan)
    return lambda reading: switch_view(reading, voice, interfaces.get(reading.switch, [])).ports


def views_by_switch(plan: Plan, readings: Sequence[SwitchReading]) -> dict[str, dict[str, PortView]]:
    """Per readable switch, its ports' views (parsed already when read with ``then=port_viewer(plan)``)."""
    view = port_viewer(plan)
    return {r.switch: r.parsed if r.parsed is not None else view(r) for r in readings if r.ok}


def ip_or_blank(text: str) -> str:
    """An announced management address if it is an IP address, else "" (it is untrusted text).

    >>> ip_or_blank("10.20.20.11"), ip_or_blank("10.20.20.11\\nx")
    ('10.20.20.11', '')
    """
    try:
        return str(ip_address(text.strip())) if text and "\n" not in text else ""
    except ValueError:
        return ""


def _where(switch: str, port: str) -> str:
    return f"{switch}:{port}"


def discover_document(plan: Plan, readings: Sequence[SwitchReading]) -> dict[str, Any]:
    """``{"phones": [...], "anomalies": [...], "switches": [...], "summary": {...}}``."""
    views = views_by_switch(plan, readings)
    planned_seat_of = {p.mac: p.seat for p in plan.phones if p.seat}
    planned_port = {p.seat: _where(p.switch, p.interface) for p in planned_ports(plan) if p.seat}
    extension_of_mac = {p.mac: p.extension for p in plan.phones}
    extensions, model = seat_extensions(plan), plan_model(plan)
    phones: list[dict[str, Any]] = []
    anomalies: list[Anomaly] = [Anomaly(r.switch, "", "", "unreadable", r.error) for r in readings if not r.ok]
    for planned in planned_ports(plan):
        if planned.switch not in views:
            continue
        view = views[planned.switch].get(planned.interface)
        seat = planned.seat or ""
        where = (planned.switch, planned.interface, seat)
        found = view.phones if view else []
        if view and view.refused:
            anomalies += [Anomaly(*where, "refused", w) for w in view.warnings]
            continue
        if not found:
            if planned.kind == "seat":
                anomalies.append(Anomaly(*where, "empty", f"no phone on the port of seat {seat}"))
            continue
        if len(found) > 1:
            macs = ", ".join(colon_mac(f.mac) for f in found if f.mac)
            anomalies.append(Anomaly(*where, "two-phones", f"{len(found)} phones on one port ({macs}); none written"))
            continue
        phone = found[0]
        if phone.mac is None:
            anomalies.append(Anomaly(*where, "refused", f"a phone ({phone.name}) announced no usable MAC"))
            continue
        if phone.model and model_key(phone.model) != model_key(model):
            anomalies.append(Anomaly(*where, "wrong-model", f"{phone.model} found, the plan says {model}"))
        if planned.kind != "seat":
            anomalies.append(Anomaly(*where, "no-seat", f"phone {colon_mac(phone.mac)} on a {planned.kind} port: "
                                                        "written without a seat"))
        home = planned_seat_of.get(phone.mac)
        if home and home != seat:
            anomalies.append(Anomaly(*where, "moved", f"phone {colon_mac(phone.mac)} of seat {home} (planned on "
                                                      f"{planned_port.get(home, '?')}) found on "
                                                      f"{_where(planned.switch, planned.interface)}"))
        extension = extensions.get(seat) if seat else extension_of_mac.get(phone.mac)
        phones.append({"seat": seat, "mac": colon_mac(phone.mac), "model": model,
                       "extension": extension if extension is not None else "",
                       "switch": planned.switch, "port": planned.interface, "found_model": phone.model,
                       "ip": ip_or_blank(phone.address), "power_w": view.power_w if view else 0.0,
                       "sources": phone.sources})
    # Seated phones in seat order, then the others in port order: the order ``plan_phones`` numbers them in.
    position = {seat.id: n for n, seat in enumerate(plan.seats.seats)}
    phones.sort(key=lambda row: (not row["seat"], position.get(row["seat"], 0)))
    seated = sum(1 for p in phones if p["seat"])
    kinds = sorted({a.kind for a in anomalies})
    summary = {"switches": len(readings), "unreadable": sum(not r.ok for r in readings), "phones": len(phones),
               "seated": seated, "anomalies": len(anomalies)} | {k: sum(a.kind == k for a in anomalies) for k in kinds}
    return {"phones": phones, "anomalies": [asdict(a) for a in anomalies],
            "switches": [{"switch": r.switch, "ok": r.ok, "error": r.error, "duration_s": round(r.duration_s, 3)}
                         for r in readings],
            "summary": summary}


def phones_csv(phones: Sequence[dict[str, Any]]) -> str:
    """The ``phones.macs_file`` CSV: header ``seat,mac,model,extension``, one row per phone."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(phones)
    return out.getvalue()


def discover_table(document: dict[str, Any]) -> str:
    """For people: the anomalies, one per line, then the counts."""
    lines = [f"{'switch':<14} {'port':<24} {'seat':<6} {'anomaly':<11} detail"]
    for a in document["anomalies"]:
        lines.append(f"{a['switch']:<14} {a['port']:<24} {a['seat']:<6} {a['kind']:<11} {a['detail']}")
    s = document["summary"]
    lines.append(f"{s['phones']} phone(s) found ({s['seated']} on seat ports) on {s['switches']} switch(es); "
                 f"{s['anomalies']} anomal{'y' if s['anomalies'] == 1 else 'ies'}")
    return "\n".join(lines) + "\n"
