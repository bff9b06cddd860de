"""Human-readable text of a plan (the default ``--format table``)."""

from __future__ import annotations

from ccinfra.plan import Plan

MARK = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "info": "INFO"}


def _section(title: str, rows: list[tuple[str, object]]) -> list[str]:
    width = max(len(k) for k, _ in rows)
    out = ["", title, "-" * len(title)]
    out += [f"  {k.ljust(width)}  {v}" for k, v in rows]
    return out


def _f(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}g}"


def _staffing_rows(plan: Plan) -> list[tuple[str, object]]:
    s = plan.staffing
    rows: list[tuple[str, object]] = [("model", s.model)]
    if s.mode == "forecast":
        rows += [
            ("traffic", f"{_f(s.traffic_erlangs, 6)} E"),
            ("agents on the phones", f"{s.agents_on_phone} (limited by {s.limited_by})"),
            ("service level", f"{_f(s.service_level)} within {s.target_answer_s:g} s (target {s.service_level_target})"),
            ("ASA / P(wait) / occupancy", f"{_f(s.asa_s)} s / {_f(s.wait_probability)} / {_f(s.occupancy)}"),
        ]
        if s.abandon_probability is not None:
            rows.append(("P(abandon)", _f(s.abandon_probability)))
    if plan.schedule is not None and plan.demand is not None:  # a week of intervals
        sc = plan.schedule
        rows += [
            ("queues", ", ".join(f"{q.name} ({q.channel})" for q in plan.demand.queues)),
            ("intervals", f"{len(sc.on_duty)} of {sc.interval_min} min over {len(plan.demand.days)} days"),
            ("peak real-time agents", s.agents_on_phone),
            ("schedule", f"{sc.paid_hours:g} paid hours, {sum(x.agents for x in sc.shifts)} shifts, {sc.status} "
                         f"(gap {sc.gap:.2%}, LP bound {sc.lp_bound_hours:g} h, {sc.solve_s:.2f} s)"),
        ]
        rows.append(("peak on duty", f"{s.scheduled_agents} (shrinkage {s.shrinkage:.0%})"))
        return rows
    rows.append(("scheduled agents", f"{s.scheduled_agents} (shrinkage {s.shrinkage:.0%})"))
    return rows


def _floor_rows(plan: Plan) -> list[tuple[str, object]]:
    fl = plan.floor
    rows: list[tuple[str, object]] = [
        ("required area", f"{fl.required_area_m2:g} m² at {fl.area_per_agent_m2:g} m² per seat"),
    ]
    if fl.room_area_m2 is not None:
        rows += [
            ("room", f"{fl.room_width_m:g} × {fl.room_depth_m:g} m = {fl.room_area_m2:g} m², ceiling {fl.ceiling_m:g} m"),
            ("desks that fit", f"{fl.desks_fit} ({fl.rows} rows × {fl.desks_per_row})"),
            ("fits", "yes" if fl.fits else "NO"),
            ("UK HSE 11 m³/person", f"{fl.hse_required_area_m2:g} m² needed"),
        ]
    return rows


def _grounding_rows(plan: Plan) -> list[tuple[str, object]]:
    g = plan.grounding
    rows: list[tuple[str, object]] = [("target", f"<= {g.target_ohm:g} Ω ({g.target_source})")]
    for r in g.readings:
        rows.append((r.electrode, f"{r.r62_ohm:g} Ω, spread {r.spread_ratio:.1%}, "
                     f"{'valid' if r.valid else 'INVALID'}, {'meets' if r.meets_target else 'MISSES'} target"))
    return rows


def _network_rows(plan: Plan) -> list[tuple[str, object]]:
    net = plan.network
    return [
        ("ports", f"{net.needed_ports} needed ({net.seat_ports} seat + {net.extra_ports} extra), "
                  f"{net.ports_with_spare} with {net.spare_ratio:.0%} spare"),
        ("access switches", f"{net.switch_count} × {net.switches[0].model} (ports: {net.switches_for_ports}, "
                            f"PoE: {net.switches_for_poe})"),
        ("PoE total", f"{net.poe_total_w:g} W"),
        ("VLANs", ", ".join(f"{vl.id} {vl.name}" for vl in net.vlans)),
    ]


def _voice_rows(plan: Plan) -> tuple[list[tuple[str, object]], list[tuple[str, object]]]:
    v, t = plan.voip, plan.trunks
    voip = [
        ("per call", f"{v.per_call_kbps:g} kbit/s ({v.codec}, {v.ptime_ms} ms, {v.l2}{', SRTP' if v.srtp else ''})"),
        ("peak concurrent calls", v.concurrent_calls),
        ("WAN / SIP trunk", f"{v.wan_kbps:g} kbit/s each direction"),
    ]
    trunks = [
        ("traffic", f"{t.traffic_erlangs:.6g} E ({t.traffic_basis})"),
        ("channels", f"{t.channels} at blocking {t.blocking:.5f} (target {t.blocking_target})"),
        ("spans", f"E1 {t.e1_spans}, T1 PRI {t.t1_pri_spans}"),
        ("gateways", ", ".join(f"{gw.name} ({gw.role}{' ' + gw.span_type if gw.span_type else ''})"
                               for gw in plan.gateways)),
    ]
    return voip, trunks


def _cabling_rows(plan: Plan) -> list[tuple[str, object]]:
    c = plan.cabling
    if c is None:
        return [("take-off", "no room given (floor.room)")]
    rows: list[tuple[str, object]] = [
        ("telecom room", f"({c.telecom_room.x_m:g}, {c.telecom_room.y_m:g}) m, {c.telecom_room_basis}"),
        ("cable", f"{c.cables} × {c.cable_category}, {c.total_m:g} m; +{c.waste:.0%} waste = {c.boxes} boxes of {c.box_m:g} m"),
        ("longest / mean link", f"{c.longest_m:g} m ({c.longest_seat}) / {c.mean_m:g} m (limit {c.link_limit_m:g} m)"),
    ]
    if c.second_room_note:
        rows.append(("over 90 m", f"{len(c.seats_over_link)} seats; {c.second_room_note}"))
    return rows


def plan_table(plan: Plan) -> str:
    """A one-screen summary of the plan followed by every check."""
    seats, d = plan.seats, plan.desks
    voip, trunks = _voice_rows(plan)
    lines = [f"ccinfra sizing plan for site '{plan.site}' (ccinfra {plan.ccinfra_version})"]
    lines += _section("Staffing", _staffing_rows(plan))
    lines += _section("Seats", [
        ("agents + growth + supervisors", f"{seats.agents} + {seats.growth_seats} + {seats.supervisors} = {seats.total}"),
    ])
    lines += _section("Floor", _floor_rows(plan))
    lines += _section("Desks", [("desks", f"{d.count} at {d.width_cm:g} × {d.depth_cm:g} cm, {d.barriers} barriers")])
    lines += _section("Cabling", _cabling_rows(plan))
    lines += _section("Grounding", _grounding_rows(plan))
    lines += _section("Network", _network_rows(plan))
    lines += _section("VoIP", voip)
    lines += _section("Trunks", trunks)
    lines += ["", "Checks", "------"]
    lines += [f"  {MARK[c.status]}  {c.title}: {c.measured} (limit {c.limit}; {c.source})" for c in plan.checks]
    if plan.warnings:
        lines += ["", "Warnings", "--------"] + [f"  - {w}" for w in plan.warnings]
    return "\n".join(lines) + "\n"
