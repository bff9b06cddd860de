"""The as-built audit: the floor the switches report against the plan, port by port and switch by switch.

Each access port gets PASS, WARN or FAIL with what was expected, what was found, and why:

* seat port: one phone of the planned model, link up (``show interfaces status`` connected), the
  planned access VLAN, the phone in the planned voice VLAN (its MAC in that VLAN's MAC table, or
  the LLDP-MED voice policy), and the seat's own phone when the plan lists its MAC; a phone of
  another seat names both ports (moved), an empty seat port names where its phone is, if anywhere;
* extra-device port (access point...): link up;
* spare port: shut down (WARN when it is not, or when something is plugged in).

Per switch: PoE drawn (``show power inline``) against the plan's reserved power (WARN above it)
and the budget (FAIL above it); each uplink connected. A switch that cannot be read is a FAIL.

>>> status_of(["FAIL: x", "WARN: y"]), status_of(["WARN: y"]), status_of([])
('FAIL', 'WARN', 'PASS')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ccinfra.floor.collect import SwitchReading
from ccinfra.floor.discover import plan_model, views_by_switch, voice_vlan_of
from ccinfra.floor.ports import PortView
from ccinfra.floor.seatmap import PlannedPort, planned_ports
from ccinfra.floor.untrusted import colon_mac, model_key
from ccinfra.plan import Plan

STATUSES = ("PASS", "WARN", "FAIL")


def status_of(problems: Sequence[str]) -> str:
    """FAIL if any problem is a FAIL, else WARN if any, else PASS."""
    if any(p.startswith("FAIL") for p in problems):
        return "FAIL"
    return "WARN" if problems else "PASS"


def _found_text(view: PortView | None) -> str:
    if view is None:
        return "nothing reported"
    parts = [f"{d.kind} {colon_mac(d.mac) if d.mac else '?'}{(' ' + d.model) if d.model else ''}" for d in view.devices]
    voice = f" voice {view.voice_vlan}" if view.voice_vlan is not None else ""
    return f"{', '.join(parts) or 'nothing'}; {view.status or '?'} vlan {view.vlan or '?'}{voice}"


def _link(view: PortView) -> list[str]:
    if view.status == "connected":
        return []
    return [f"FAIL: link {view.status or 'unknown'} (show interfaces status)"]


def _seat_problems(p: PlannedPort, view: PortView, ctx: dict[str, Any]) -> list[str]:
    if view.refused:
        return [f"FAIL: {w}" for w in view.warnings]
    problems = _link(view)
    phones, mine = view.phones, ctx["mac_of_seat"].get(p.seat)
    here = f"{p.switch}:{p.interface}"
    if not phones:
        elsewhere = ctx["found_at"].get(mine) if mine else None
        problems.append(f"FAIL: no phone; seat {p.seat}'s phone {colon_mac(mine)} found on {elsewhere} (moved)"
                        if elsewhere else "FAIL: no phone")
    elif len(phones) > 1:
        problems.append(f"FAIL: {len(phones)} phones on one port")
    for phone in phones[:1]:
        if phone.model and model_key(phone.model) != model_key(ctx["model"]):
            problems.append(f"FAIL: model {phone.model}, the plan says {ctx['model']}")
        owner = ctx["seat_of_mac"].get(phone.mac)
        if mine and phone.mac != mine and owner:
            problems.append(f"FAIL: phone {colon_mac(phone.mac)} of seat {owner} (planned on "
                            f"{ctx['port_of_seat'][owner]}) found on {here} (moved)")
        elif mine and phone.mac != mine:
            problems.append(f"WARN: phone {colon_mac(phone.mac)} is not the plan's phone for seat {p.seat} "
                            f"({colon_mac(mine)}); run discover and render again")
        if view.voice_vlan != p.voice_vlan:
            problems.append(f"FAIL: phone not in voice VLAN {p.voice_vlan}"
                            + (f" (found in {view.voice_vlan})" if view.voice_vlan else ""))
    if view.vlan and p.vlan is not None and view.vlan != str(p.vlan):
        problems.append(f"FAIL: access VLAN {view.vlan}, planned {p.vlan}")
    return problems


def _port_entry(p: PlannedPort, view: PortView | None, ctx: dict[str, Any]) -> dict[str, Any]:
    if p.kind == "seat":
        expected = f"phone {ctx['model']} (seat {p.seat}); connected vlan {p.vlan} voice {p.voice_vlan}"
        problems = _seat_problems(p, view, ctx) if view else ["FAIL: port not reported"]
    elif p.kind == "extra":
        expected = f"{p.device}; connected vlan {p.vlan}"
        problems = (_link(view) if view else ["FAIL: port not reported"]) + (
            [f"FAIL: access VLAN {view.vlan}, planned {p.vlan}"] if view and view.vlan and p.vlan is not None
            and view.vlan != str(p.vlan) else [])
    else:
        expected = "spare; disabled"
        problems = [] if view and view.status == "disabled" else [f"WARN: spare port {view.status if view else '?'}, "
                                                                    "not shut down"]
        problems += ["WARN: something is plugged into a spare port"] if view and view.devices else []
    return {"switch": p.switch, "port": p.interface, "seat": p.seat or "", "expected": expected,
            "found": _found_text(view), "status": status_of(problems), "detail": "; ".join(problems)}


def _switch_entry(switch: Any, reading: SwitchReading, views: dict[str, PortView] | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"switch": switch.name, "poe_reserved_w": switch.poe_w, "poe_budget_w": switch.poe_budget_w}
    if views is None:
        return entry | {"poe_drawn_w": None, "uplinks": [], "status": "FAIL", "detail": f"FAIL: {reading.error}"}
    drawn = round(sum(v.power_w for v in views.values()), 1)
    problems = []
    if drawn > switch.poe_budget_w:
        problems.append(f"FAIL: PoE drawn {drawn} W over the budget {switch.poe_budget_w} W")
    elif drawn > switch.poe_w:
        problems.append(f"WARN: PoE drawn {drawn} W over the plan's reserved {switch.poe_w} W")
    uplinks = []
    for name in switch.uplinks:
        state = views[name].status if name in views else "not reported"
        uplinks.append({"port": name, "status": state})
        if state != "connected":
            problems.append(f"FAIL: uplink {name} {state}")
    return entry | {"poe_drawn_w": drawn, "uplinks": uplinks, "status": status_of(problems),
                    "detail": "; ".join(problems)}


def asbuilt_document(plan: Plan, readings: Sequence[SwitchReading]) -> dict[str, Any]:
    """``{switches: [...], ports: [{switch, port, seat, expected, found, status, detail}], summary: {...}}``."""
    views = views_by_switch(plan, readings)
    planned = planned_ports(plan)
    ctx = {
        "model": plan_model(plan), "voice": voice_vlan_of(plan),
        "mac_of_seat": {ph.seat: ph.mac for ph in plan.phones if ph.seat},
        "seat_of_mac": {ph.mac: ph.seat for ph in plan.phones if ph.seat},
        "port_of_seat": {p.seat: f"{p.switch}:{p.interface}" for p in planned if p.seat},
        "found_at": {d.mac: f"{switch}:{name}" for switch, ports in views.items() for name, v in ports.items()
                     for d in v.phones if d.mac},
    }
    by_name = {r.switch: r for r in readings}
    switches = [_switch_entry(s, by_name[s.name], views.get(s.name)) for s in plan.network.switches
                if s.name in by_name]
    ports = [_port_entry(p, views[p.switch].get(p.interface), ctx) for p in planned if p.switch in views]
    summary = {"switches": len(switches), "ports": len(ports)} | {
        s: sum(e["status"] == s for e in [*ports, *switches]) for s in STATUSES}
    return {"switches": switches, "ports": ports, "summary": summary}


def asbuilt_table(document: dict[str, Any]) -> str:
    """For people: every switch, then the ports that are not PASS, then the counts."""
    lines = [f"{'switch':<14} {'status':<6} {'PoE W drawn/reserved/budget':<28} detail"]
    for s in document["switches"]:
        poe = f"{s['poe_drawn_w']}/{s['poe_reserved_w']}/{s['poe_budget_w']}"
        lines.append(f"{s['switch']:<14} {s['status']:<6} {poe:<28} {s['detail']}")
    lines += ["", f"{'switch':<14} {'port':<24} {'seat':<6} {'status':<6} detail"]
    for p in document["ports"]:
        if p["status"] != "PASS":
            lines.append(f"{p['switch']:<14} {p['port']:<24} {p['seat']:<6} {p['status']:<6} {p['detail']}")
    s = document["summary"]
    lines.append(f"{s['ports']} port(s) and {s['switches']} switch(es): {s['PASS']} PASS, {s['WARN']} WARN, "
                 f"{s['FAIL']} FAIL")
    return "\n".join(lines) + "\n"
