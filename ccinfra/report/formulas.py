"""Every figure of a plan with its formula written out and the plan's numbers substituted.

An auditor reads ``A = calls × AHT / interval`` next to ``A = 600 × 240 s / 1800 s = 80 E`` and can
redo each step by hand. The final value of every line is the plan's own figure; intermediate values
that the plan does not store (Erlang B at N, the service level one agent short) come from the same
pure functions sizing used (``ccinfra.sizing.erlang``, ``voip``) — nothing here re-sizes the site.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from ccinfra import standards
from ccinfra.plan import Plan
from ccinfra.report.formatting import num, pct
from ccinfra.sizing import erlang, voip
from ccinfra.sizing.erlang_a import erlang_a


@dataclass(frozen=True)
class Result:
    """One figure: ``formula`` in symbols, ``work`` with the numbers, ``value`` with its unit."""

    id: str
    section: str
    title: str
    formula: str
    work: str
    value: str
    sources: tuple[str, ...]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sources"] = list(self.sources)
        return data


def _staffing_sl(plan: Plan, agents: int) -> float:
    """Service level at ``agents`` with the plan's model (Erlang C, or Erlang A with patience)."""
    s = plan.staffing
    assert s.traffic_erlangs is not None and s.aht_s is not None and s.target_answer_s is not None
    if s.model == "erlang_a" and s.patience_s is not None:
        return erlang_a(s.traffic_erlangs, agents, s.aht_s, s.patience_s, s.target_answer_s).service_level
    return erlang.service_level(s.traffic_erlangs, agents, s.aht_s, s.target_answer_s)


def _minimality(plan: Plan) -> str:
    """Why N and not N − 1: the target that one agent fewer would miss."""
    s = plan.staffing
    n, a = s.agents_on_phone, s.traffic_erlangs or 0.0
    if n <= 1:
        return "N = 1 is the smallest possible staff"
    sl_less = _staffing_sl(plan, n - 1)
    occ_less = a / (n - 1)
    misses = []
    if sl_less < (s.service_level_target or 0):
        misses.append(f"SL({n - 1}) = {num(sl_less, 4)} < {num(s.service_level_target)}")
    if s.max_occupancy is not None and occ_less > s.max_occupancy + 1e-12:
        misses.append(f"occupancy({n - 1}) = {num(a)} / {n - 1} = {num(occ_less, 4)} > {num(s.max_occupancy)}")
    return f"one agent fewer misses: {'; '.join(misses)}" if misses else ""


def staffing_results(plan: Plan) -> list[Result]:
    s = plan.staffing
    if s.mode == "intervals":  # a week of intervals: ccinfra.report.week_formulas
        from ccinfra.report.week_formulas import week_staffing_results

        return week_staffing_results(plan)
    if s.mode == "fixed":
        return [Result("staffing.agents", "Staffing", "Agents on the phones", "N = given", f"N = {s.agents_on_phone}",
                       f"{s.agents_on_phone} agents", ("spec",), "no forecast: service level is not computed")]
    a, n, aht, t = s.traffic_erlangs or 0.0, s.agents_on_phone, s.aht_s or 0.0, s.target_answer_s or 0.0
    src = s.sources[0]
    out = [Result("staffing.traffic", "Staffing", "Offered traffic", "A = calls × AHT / interval",
                  f"A = {num(s.calls_per_interval)} × {num(aht)} s / {num(s.interval_s)} s = {num(a)} E",
                  f"{num(a)} E", (src,))]
    if s.model == "erlang_a":
        out.append(Result(
            "staffing.service_level", "Staffing", "Service level (Erlang A)",
            "SL(N) = P(answered within T) from the M/M/N+M birth–death chain, mean patience θ⁻¹",
            f"SL({n}) with A = {num(a)} E, AHT = {num(aht)} s, θ⁻¹ = {num(s.patience_s)} s, T = {num(t)} s "
            f"= {num(s.service_level, 4)} ≥ {num(s.service_level_target)}",
            f"{num(s.service_level, 4)} ({pct(s.service_level)})", (src,), s.service_level_definition))
        out.append(Result("staffing.abandon", "Staffing", "Abandoned calls", "P(abandon) = θ·E[queue] / λ",
                          f"P(abandon) at N = {n}: {num(s.abandon_probability, 4)}",
                          pct(s.abandon_probability, 2), (src,)))
    else:
        b = erlang.erlang_b(a, n)
        c = s.wait_probability or 0.0
        out += [
            Result("staffing.wait_probability", "Staffing", "Probability of waiting (Erlang C)",
                   "C = N·B / (N − A·(1 − B)), B = Erlang B(A, N)",
                   f"C = {n} × {num(b, 5)} / ({n} − {num(a)} × (1 − {num(b, 5)})) = {num(c, 5)}",
                   num(c, 5), (src, "erlang-b")),
            Result("staffing.service_level", "Staffing", "Service level", "SL = 1 − C·e^(−(N − A)·T / AHT)",
                   f"SL = 1 − {num(c, 5)} × e^(−({n} − {num(a)}) × {num(t)} s / {num(aht)} s) "
                   f"= {num(s.service_level, 5)}",
                   f"{num(s.service_level, 4)} ({pct(s.service_level)})", (src,), s.service_level_definition),
            Result("staffing.asa", "Staffing", "Average speed of answer", "ASA = C·AHT / (N − A)",
                   f"ASA = {num(c, 5)} × {num(aht)} s / ({n} − {num(a)}) = {num(s.asa_s, 4)} s",
                   f"{num(s.asa_s, 4)} s", (src,)),
        ]
    out += [
        Result("staffing.occupancy", "Staffing", "Occupancy", "occupancy = A·(1 − P(abandon)) / N"
               if s.model == "erlang_a" else "occupancy = A / N",
               f"occupancy = {num(a)} / {n} = {num(s.occupancy, 4)} ≤ {num(s.max_occupancy)}"
               if s.model != "erlang_a" else f"occupancy at N = {n}: {num(s.occupancy, 4)} ≤ {num(s.max_occupancy)}",
               num(s.occupancy, 4), (src,)),
        Result("staffing.agents", "Staffing", "Agents on the phones",
               "N = fewest agents with SL(N) ≥ target and occupancy(N) ≤ cap",
               f"N = {n} (limited by {s.limited_by.replace('_', ' ')})", f"{n} agents", (src,), _minimality(plan)),
        Result("staffing.scheduled", "Staffing", "Scheduled agents", "scheduled = ⌈N / (1 − shrinkage)⌉",
               f"scheduled = ⌈{n} / (1 − {num(s.shrinkage)})⌉ = ⌈{num(n / (1 - s.shrinkage), 6)}⌉ = {s.scheduled_agents}",
               f"{s.scheduled_agents} agents", ("shrinkage", "seed-break"),
               "shrinkage must cover the seed rule's 10-minute break each hour (1/6 of paid time)"),
    ]
    return out


def seat_results(plan: Plan) -> list[Result]:
    se = plan.seats
    sup = plan.spec.get("demand", {}).get("supervisors", {}) or {}
    if sup.get("count") is not None:
        sup_work = f"supervisors = {se.supervisors} (given)"
    else:
        ratio = sup.get("ratio") or 1
        sup_work = f"supervisors = ⌈({se.agents} + {se.growth_seats}) / {ratio}⌉ = {se.supervisors}"
    return [
        Result("seats.growth", "Seats", "Growth seats", "growth seats = ⌈scheduled × growth⌉",
               f"growth seats = ⌈{se.agents} × {num(se.growth)}⌉ = {se.growth_seats}", f"{se.growth_seats} seats",
               ("spec",)),
        Result("seats.supervisors", "Seats", "Supervisors", "given count, or ⌈agent seats / ratio⌉", sup_work,
               f"{se.supervisors} seats", ("spec",)),
        Result("seats.total", "Seats", "Seats", "seats = scheduled agents + growth seats + supervisors",
               f"seats = {se.agents} + {se.growth_seats} + {se.supervisors} = {se.total}", f"{se.total} seats",
               ("spec",), se.assumption),
    ]


def floor_results(plan: Plan) -> list[Result]:
    f, seats = plan.floor, plan.seats.total
    out = [Result("floor.required_area", "Floor", "Required floor area", "area = seats × area per agent",
                  f"area = {seats} × {num(f.area_per_agent_m2)} m² = {num(f.required_area_m2)} m²",
                  f"{num(f.required_area_m2)} m²", ("seed-floor",))]
    if f.room_area_m2 is None:
        volume = f.area_per_agent_m2 * 2.4
        out.append(Result("floor.hse_volume", "Floor", "UK HSE volume per person (2.4 m ceiling assumed)",
                          "volume = area per agent × ceiling",
                          f"volume = {num(f.area_per_agent_m2)} m² × 2.4 m = {num(volume, 4)} m³ "
                          f"(needs ≥ {num(standards.HSE_VOLUME_PER_PERSON_M3)} m³)", f"{num(volume, 4)} m³",
                          ("uk-hse-volume",), "no room given"))
        return out
    dw, dd = plan.desks.width_cm / 100, plan.desks.depth_cm / 100
    w, d, c, aisle = f.room_width_m or 0.0, f.room_depth_m or 0.0, f.wall_clearance_m, f.aisle_m
    ceiling = f.ceiling_m or 0.0
    counted = min(ceiling, standards.HSE_MAX_COUNTED_CEILING_M)
    volume_pp = (f.room_area_m2 or 0.0) * counted / max(seats, 1)
    out += [
        Result("floor.room_area", "Floor", "Room area", "room area = width × depth",
               f"room area = {num(w)} m × {num(d)} m = {num(f.room_area_m2)} m²", f"{num(f.room_area_m2)} m²", ("spec",)),
        Result("floor.capacity", "Floor", "Seats the room holds at the per-agent rule",
               "capacity = ⌊room area / area per agent⌋",
               f"capacity = ⌊{num(f.room_area_m2)} m² / {num(f.area_per_agent_m2)} m²⌋ = {f.capacity_by_area}",
               f"{f.capacity_by_area} seats", ("seed-floor",)),
        Result("floor.rows", "Floor", "Desk rows", "rows = ⌊(depth − 2·clearance + aisle) / (desk depth + aisle)⌋",
               f"rows = ⌊({num(d)} − 2 × {num(c)} + {num(aisle)}) / ({num(dd)} + {num(aisle)})⌋ "
               f"= ⌊{num((d - 2 * c + aisle) / (dd + aisle), 5)}⌋ = {f.rows}", f"{f.rows} rows", ("seed-desk",),
               "the last row needs no aisle behind it"),
        Result("floor.per_row", "Floor", "Desks per row", "per row = ⌊(width − 2·clearance) / desk width⌋",
               f"per row = ⌊({num(w)} − 2 × {num(c)}) / {num(dw)}⌋ = {f.desks_per_row}",
               f"{f.desks_per_row} desks", ("seed-desk",)),
        Result("floor.desks_fit", "Floor", "Desks that fit", "desks fit = rows × per row",
               f"desks fit = {f.rows} × {f.desks_per_row} = {f.desks_fit} (seats: {seats})", f"{f.desks_fit} desks",
               ("seed-desk",)),
        Result("floor.hse_area", "Floor", "UK HSE area per person", "area per person = 11 m³ / min(ceiling, 3 m)",
               f"area per person = {num(standards.HSE_VOLUME_PER_PERSON_M3)} m³ / min({num(ceiling)} m, 3 m) "
               f"= {num(f.hse_area_per_person_m2)} m²; × {seats} = {num(f.hse_required_area_m2)} m²",
               f"{num(f.hse_required_area_m2)} m²", ("uk-hse-volume",), "a separate standard, shown beside the seed rule"),
        Result("floor.hse_volume", "Floor", "Room volume per person", "volume = room area × min(ceiling, 3 m) / seats",
               f"volume = {num(f.room_area_m2)} m² × {num(counted)} m / {seats} = {num(volume_pp, 4)} m³",
               f"{num(volume_pp, 4)} m³", ("uk-hse-volume",)),
    ]
    return out


def desk_results(plan: Plan) -> list[Result]:
    d, layout = plan.desks, plan.floor.layout
    per_row = Counter(p.row for p in layout)
    if not plan.spec.get("floor", {}).get("barrier", True):
        work = "no barriers (floor.barrier is false)"
    elif layout:
        terms = " + ".join(f"({per_row[r]} − 1)" for r in sorted(per_row))
        unplaced = d.count - len(layout)
        extra = f" + ({unplaced} unplaced − 1)" if unplaced > 1 else ""
        work = f"barriers = {terms}{extra} = {d.barriers}"
    else:
        work = f"barriers = {d.count} − 1 = {d.barriers} (no room: one line of desks, an upper bound)"
    return [
        Result("desks.size", "Desks", "Desk size", "width ≥ 90 cm and depth ≥ 60 cm",
               f"{num(d.width_cm)} cm ≥ {num(d.min_width_cm)} cm and {num(d.depth_cm)} cm ≥ {num(d.min_depth_cm)} cm: "
               f"{'yes' if d.meets_minimum else 'no'}", f"{num(d.width_cm)} × {num(d.depth_cm)} cm", ("seed-desk",)),
        Result("desks.barriers", "Desks", "Noise barriers", "barriers = Σ over rows (desks in the row − 1)", work,
               f"{d.barriers} barriers", ("seed-desk",)),
    ]


def grounding_results(plan: Plan) -> list[Result]:
    g = plan.grounding
    if not g.readings:
        return [Result("grounding.none", "Grounding", "Earth resistance", "R62 ≤ target, from a valid 52/62/72 % triplet",
                       f"no readings (electrical.readings is empty); target ≤ {num(g.target_ohm)} Ω",
                       "not measured", ("ieee-81", g.target_source),
                       "measure by fall of potential and add the readings, or run 'ccinfra audit grounding'")]
    out = []
    for r in g.readings:
        out.append(Result(
            f"grounding.{r.electrode}", "Grounding", f"Electrode {r.electrode}",
            "spread = max(|R52 − R62|, |R72 − R62|) / R62 ≤ 10 %; then R62 ≤ target",
            f"spread = max(|{num(r.r52_ohm)} − {num(r.r62_ohm)}|, |{num(r.r72_ohm)} − {num(r.r62_ohm)}|) / "
            f"{num(r.r62_ohm)} = {pct(r.spread_ratio)} → {'valid' if r.valid else 'NOT valid'}; "
            f"R62 = {num(r.r62_ohm)} Ω {'≤' if r.r62_ohm <= g.target_ohm else '>'} {num(g.target_ohm)} Ω",
            f"{num(r.r62_ohm)} Ω, {'meets' if r.meets_target else 'misses'} the target",
            ("ieee-81", g.target_source)))
    return out


def network_results(plan: Plan) -> list[Result]:
    n = plan.network
    net = plan.spec.get("network", {})
    sw = net.get("switch", {})
    per_seat = net.get("ports_per_seat", 1)
    classes: Counter[int] = Counter()
    for s in n.switches:
        classes.update(p.poe_class for p in s.ports if p.poe_class is not None and p.kind != "spare")
    poe_terms = " + ".join(f"{classes[k]} × {num(standards.POE_CLASS_POWER_W[k])} W (class {k})"
                           for k in sorted(classes)) or "0 W"
    budget = sw.get("poe_budget_w", 0) or 0
    oversub = n.switches[0].oversubscription if n.switches else 0.0
    return [
        Result("network.ports", "Network", "Access ports", "ports = seats × ports per seat + extra devices",
               f"ports = {plan.seats.total} × {per_seat} + {n.extra_ports} = {n.needed_ports}",
               f"{n.needed_ports} ports", ("seed-voip", "tia-568"),
               "one cable per seat: the phone passes the PC through"),
        Result("network.ports_with_spare", "Network", "Ports with spare", "ports with spare = ⌈ports × (1 + spare)⌉",
               f"⌈{n.needed_ports} × (1 + {num(n.spare_ratio)})⌉ = ⌈{num(n.needed_ports * (1 + n.spare_ratio))}⌉ "
               f"= {n.ports_with_spare}", f"{n.ports_with_spare} ports", ("spec",)),
        Result("network.poe_total", "Network", "PoE power at the switch ports", "PoE = Σ devices × PSE power of class",
               f"PoE = {poe_terms} = {num(n.poe_total_w)} W", f"{num(n.poe_total_w)} W", ("ieee-802.3-poe",)),
        Result("network.switches", "Network", "Access switches",
               "switches = max(⌈ports with spare / ports per switch⌉, ⌈PoE / PoE budget⌉)",
               f"switches = max(⌈{n.ports_with_spare} / {n.ports_per_switch}⌉, ⌈{num(n.poe_total_w)} W / "
               f"{num(budget)} W⌉) = max({n.switches_for_ports}, {n.switches_for_poe}) = {n.switch_count}",
               f"{n.switch_count} switches", ("ieee-802.3-poe",),
               f"endpoints are spread {math.ceil(n.needed_ports / max(n.switch_count, 1))} per switch, the last takes the rest"),
        Result("network.oversubscription", "Network", "Uplink oversubscription",
               "oversubscription = ports × port speed / (uplinks × uplink speed)",
               f"{num(sw.get('ports'))} × {num(sw.get('access_port_gbps'))} Gbit/s / ({num(sw.get('uplinks'))} × "
               f"{num(sw.get('uplink_gbps'))} Gbit/s) = {num(oversub)}:1 (≤ {num(standards.UPLINK_OVERSUB_MAX)}:1)",
               f"{num(oversub)}:1", ("cisco-campus-oversub",)),
    ]


def voip_results(plan: Plan) -> list[Result]:
    v = plan.voip
    bw = voip.per_call_bandwidth(v.codec, v.ptime_ms, v.l2, v.srtp)
    tag = bw.packet_bytes - bw.payload_bytes - voip.IP_UDP_RTP_BYTES
    l2 = bw.frame_bytes - bw.packet_bytes
    srtp = f" + SRTP {tag} B" if tag else ""
    return [
        Result("voip.per_call", "VoIP", "Bandwidth per call (one direction)",
               "kbit/s = (payload + IP/UDP/RTP 40 B [+ SRTP tag] + L2) × 8 × packets per second",
               f"({num(v.payload_bytes)} B + 40 B{srtp} + {l2} B {v.l2}) × 8 × {num(v.packets_per_s)}/s "
               f"= {num(v.per_call_kbps)} kbit/s", f"{num(v.per_call_kbps)} kbit/s", tuple(v.sources),
               f"{v.codec} at {v.ptime_ms} ms; {v.direction_note}"),
        Result("voip.total", "VoIP", "Voice bandwidth at the peak (WAN / SIP trunk)",
               "total = peak concurrent calls × per call",
               f"total = {v.concurrent_calls} × {num(v.per_call_kbps)} kbit/s = {num(v.total_kbps)} kbit/s",
               f"{num(v.total_kbps)} kbit/s", tuple(v.sources), "per direction"),
    ]


def _trunk_hold(plan: Plan) -> tuple[str, str, str]:
    """(formula, work, note) for the traffic that holds a trunk; the note flags terms that do not add up."""
    t, s = plan.trunks, plan.staffing
    tel = plan.spec.get("telephony", {})
    ivr, wrap, aht = float(tel.get("ivr_s", 0) or 0), float(tel.get("wrap_s", 0) or 0), s.aht_s or 0.0
    wait_all = getattr(s, "mean_wait_all_s", None)
    if s.abandon_probability is not None and wait_all is not None:
        formula = "A = calls × (IVR + mean wait + (1 − P(abandon)) × (AHT − wrap-up)) / interval"
        terms = (f"{num(ivr)} s + {num(wait_all, 4)} s + (1 − {num(s.abandon_probability, 4)}) × "
                 f"({num(aht)} s − {num(wrap)} s)")
        expected = ivr + wait_all + (1 - s.abandon_probability) * (aht - wrap)
        hold = "hold = IVR + mean wait (all calls) + answered share × talk"
    else:
        formula = "A = calls × (IVR + ASA + AHT − wrap-up) / interval"
        terms = f"{num(ivr)} s + {num(s.asa_s, 4)} s + {num(aht)} s − {num(wrap)} s"
        expected = ivr + (s.asa_s or 0.0) + aht - wrap
        hold = "hold = IVR + ASA + AHT − wrap"
    work = (f"{hold} = {terms} = {num(t.hold_s)} s; A = {num(s.calls_per_interval)} × {num(t.hold_s)} s / "
            f"{num(s.interval_s)} s = {num(t.traffic_erlangs)} E")
    note = "wrap-up holds no trunk"
    if t.hold_s is not None and abs(expected - t.hold_s) > 1e-3 * max(1.0, t.hold_s):
        note += f"; NOTE: these terms give {num(expected)} s, the plan says {num(t.hold_s)} s"
    return formula, work, note


def trunk_results(plan: Plan) -> list[Result]:
    t = plan.trunks
    if plan.staffing.mode == "intervals":
        from ccinfra.report.week_formulas import week_trunk_results

        return week_trunk_results(plan)
    if t.hold_s is not None:
        formula, work, note = _trunk_hold(plan)
    else:
        formula, work, note = "A = given", f"A = {num(t.traffic_erlangs)} E ({t.traffic_basis})", ""
    b_less = erlang.erlang_b(t.traffic_erlangs, t.channels - 1) if t.channels > 1 else 1.0
    return [
        Result("trunks.traffic", "Trunks", "Traffic that holds a trunk", formula, work,
               f"{num(t.traffic_erlangs)} E", ("erlang-b",), note),
        Result("trunks.channels", "Trunks", "Trunk channels", "N = fewest channels with B(A, N) ≤ blocking target",
               f"B({num(t.traffic_erlangs)}, {t.channels}) = {num(t.blocking, 4)} ≤ {num(t.blocking_target)}; "
               f"B({num(t.traffic_erlangs)}, {t.channels - 1}) = {num(b_less, 4)} > {num(t.blocking_target)}",
               f"{t.channels} channels", ("erlang-b",)),
        Result("trunks.spans", "Trunks", "Digital spans", "spans = ⌈channels / channels per span⌉",
               f"E1 ⌈{t.channels} / 30⌉ = {t.e1_spans}; T1 PRI ⌈{t.channels} / 23⌉ = {t.t1_pri_spans}; "
               f"T1 CAS ⌈{t.channels} / 24⌉ = {t.t1_cas_spans}",
               f"{t.e1_spans} E1 / {t.t1_pri_spans} T1", ("itu-g.704",)),
    ]


def all_results(plan: Plan) -> list[Result]:
    """Every result of the plan, section by section, in reading order."""
    return (staffing_results(plan) + seat_results(plan) + floor_results(plan) + desk_results(plan)
            + grounding_results(plan) + network_results(plan) + voip_results(plan) + trunk_results(plan))
