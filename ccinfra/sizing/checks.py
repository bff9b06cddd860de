"""Pass/warn/fail checks over a finished plan: each names what was measured, the limit and the rule's source."""

from __future__ import annotations

from ccinfra import standards
from ccinfra.plan import Check, DeskPlan, FloorPlan, Grounding, NetworkPlan, Staffing, Status, Trunks


def _check(id: str, title: str, ok: bool, measured: str, limit: str, source: str,
           detail: str = "", fail: Status = "fail") -> Check:
    return Check(id=id, title=title, status="pass" if ok else fail, measured=measured, limit=limit,
                 source=source, detail=detail)


def staffing_checks(s: Staffing) -> list[Check]:
    if s.mode == "fixed":
        return [Check(id="staffing.fixed", title="Agents given, not sized", status="info",
                      measured=f"{s.agents_on_phone} agents", limit="-", source="spec",
                      detail="no forecast: service level and occupancy are not computed")]
    break_share = standards.BREAK_MIN_PER_HOUR / 60
    return [
        _check("staffing.service_level", "Service level meets the target",
               (s.service_level or 0) >= (s.service_level_target or 0) - 1e-12,
               f"{s.service_level:.4f}", f">= {s.service_level_target}", s.sources[0],
               s.service_level_definition),
        _check("staffing.occupancy", "Occupancy within the cap", (s.occupancy or 0) <= (s.max_occupancy or 1) + 1e-12,
               f"{s.occupancy:.4f}", f"<= {s.max_occupancy}", "shrinkage"),
        _check("staffing.breaks", "Shrinkage covers the 10-minute break each hour", s.shrinkage >= break_share - 1e-9,
               f"{s.shrinkage:.3f}", f">= {break_share:.3f} (10/60)", "seed-break",
               "breaks alone take 1/6 of paid time off the phones", fail="warn"),
    ]


def floor_checks(f: FloorPlan, seats: int) -> list[Check]:
    checks = [
        _check("floor.area_rule", "Area per agent at least the seed rule",
               f.area_per_agent_m2 >= standards.FLOOR_AREA_PER_AGENT_M2 - 1e-9,
               f"{f.area_per_agent_m2} m²", f">= {standards.FLOOR_AREA_PER_AGENT_M2} m²", "seed-floor", fail="warn"),
    ]
    if f.room_area_m2 is None:
        ceiling = 2.4
        per_person = f.area_per_agent_m2 * ceiling
        checks.append(_check("floor.hse_volume", "UK HSE 11 m³ per person (no room given: 2.4 m ceiling assumed)",
                             per_person >= standards.HSE_VOLUME_PER_PERSON_M3, f"{per_person:.2f} m³",
                             f">= {standards.HSE_VOLUME_PER_PERSON_M3} m³", "uk-hse-volume",
                             "a separate standard from the seed rule: shown, not applied", fail="warn"))
        return checks
    volume_pp = f.room_area_m2 * min(f.ceiling_m or 0, standards.HSE_MAX_COUNTED_CEILING_M) / max(seats, 1)
    checks += [
        _check("floor.room_area", "Room area holds every seat at the per-agent rule",
               f.room_area_m2 >= f.required_area_m2 - 1e-9, f"{f.room_area_m2} m²", f">= {f.required_area_m2} m²",
               "seed-floor"),
        _check("floor.room_desks", "Desks fit in rows with aisles", (f.desks_fit or 0) >= seats,
               f"{f.desks_fit} desks ({f.rows} rows × {f.desks_per_row})", f">= {seats} seats", "seed-desk"),
        _check("floor.hse_volume", "UK HSE 11 m³ per person", volume_pp >= standards.HSE_VOLUME_PER_PERSON_M3 - 1e-9,
               f"{volume_pp:.2f} m³ per person", f">= {standards.HSE_VOLUME_PER_PERSON_M3} m³", "uk-hse-volume",
               f"needs {f.hse_required_area_m2} m² for {seats} people; a separate standard from the seed rule",
               fail="warn"),
    ]
    return checks


def desk_checks(d: DeskPlan, barrier: bool) -> list[Check]:
    return [
        _check("desks.size", "Desk at least 90 × 60 cm", d.meets_minimum, f"{d.width_cm:g} × {d.depth_cm:g} cm",
               f">= {d.min_width_cm:g} × {d.min_depth_cm:g} cm", "seed-desk"),
        _check("desks.barrier", "Noise barrier between agents", barrier, "yes" if barrier else "no", "yes",
               "seed-desk", f"{d.barriers} barriers"),
    ]


def grounding_checks(g: Grounding) -> list[Check]:
    if not g.readings:
        return [Check(id="grounding.readings", title="Earth resistance measured", status="warn",
                      measured="no readings", limit=f"<= {g.target_ohm} Ω", source="ieee-81",
                      detail="measure by fall of potential at 52/62/72 % and add electrical.readings")]
    checks = []
    for r in g.readings:
        checks.append(_check(f"grounding.{r.electrode}.valid", f"{r.electrode}: 52/62/72 % readings agree", r.valid,
                             f"spread {r.spread_ratio:.1%}", f"<= {standards.FOP_AGREEMENT:.0%}", "ieee-81",
                             "" if r.valid else "not a valid reading: move the current probe farther and repeat"))
        checks.append(_check(f"grounding.{r.electrode}.target", f"{r.electrode}: earth resistance within target",
                             r.meets_target, f"{r.r62_ohm} Ω", f"<= {g.target_ohm} Ω", g.target_source))
    return checks


def network_checks(n: NetworkPlan) -> list[Check]:
    checks = []
    for sw in n.switches:
        checks.append(_check(f"network.{sw.name}.poe", f"{sw.name}: PoE within budget", sw.poe_w <= sw.poe_budget_w,
                             f"{sw.poe_w} W", f"<= {sw.poe_budget_w} W", "ieee-802.3-poe"))
        checks.append(_check(f"network.{sw.name}.oversubscription", f"{sw.name}: uplink oversubscription",
                             sw.oversubscription <= standards.UPLINK_OVERSUB_MAX, f"{sw.oversubscription}:1",
                             f"<= {standards.UPLINK_OVERSUB_MAX:g}:1", "cisco-campus-oversub", fail="warn"))
        one_link_gbps = sw.uplink_gbps / max(len(sw.uplinks), 1)
        share = sw.voice_kbps_per_direction / (one_link_gbps * 1e6)
        # The figure checked is the one rendered: the priority queue's police rate on each uplink.
        checks.append(_check(f"network.{sw.name}.voice_uplink", f"{sw.name}: voice priority queue on an uplink",
                             sw.priority_percent_uplink <= standards.VOICE_MAX_PRIORITY_PERCENT,
                             f"priority {sw.priority_percent_uplink} % for {sw.voice_kbps_per_direction} kbit/s "
                             f"({share:.2%} of one {one_link_gbps:g} Gbit/s uplink)",
                             f"<= {standards.VOICE_MAX_PRIORITY_PERCENT} %", "cisco-qos-llq",
                             "rendered as 'priority level 1' + 'police rate percent' on every uplink; sized for one "
                             "uplink carrying all the switch's calls"))
    return checks


def trunk_checks(t: Trunks) -> list[Check]:
    return [_check("trunks.blocking", "Trunk blocking within the target", t.blocking <= t.blocking_target + 1e-12,
                   f"{t.blocking:.5f} with {t.channels} channels", f"<= {t.blocking_target}", "erlang-b")]
