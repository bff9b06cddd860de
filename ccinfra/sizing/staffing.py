"""Staffing, seats, trunks and VoIP sections of the plan, built from the queueing and bandwidth math.

Sources: erlang-c / erlang-a / erlang-b (ccinfra.sizing.erlang), shrinkage, seed-break, itu-g.704, cisco-voip-bw.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

from ccinfra import limits
from ccinfra.errors import SpecError
from ccinfra.plan import Seat, Seats, Staffing, Trunks, Voip
from ccinfra.sizing import erlang, trunking, voip
from ccinfra.spec import Demand, Network, Telephony


@contextmanager
def field_prefix(section: str) -> Iterator[None]:
    """Errors of the pure math name their argument (``ptime_ms``); here they name the site field (``network.ptime_ms``)."""
    try:
        yield
    except SpecError as err:
        raise SpecError(f"{section}.{err}") from None


def size_staffing(demand: Demand) -> Staffing:
    """Agents on the phones and scheduled agents: Erlang C (or A with patience) for a forecast, else the fixed count."""
    fc = demand.forecast
    if fc is None:
        assert demand.agents is not None
        return Staffing(mode="fixed", model="fixed", shrinkage=0.0, agents_on_phone=demand.agents,
                        scheduled_agents=demand.agents, limited_by="given", sources=[])
    interval_s = fc.interval_min * 60
    with field_prefix("demand.forecast"):
        result = erlang.required_agents(
            calls=fc.calls_per_interval, interval_s=interval_s, aht_s=fc.aht_s, target_s=fc.target_answer_s,
            service_level_target=fc.service_level, max_occupancy=fc.max_occupancy, shrinkage=fc.shrinkage,
            patience_s=fc.patience_s,
        )
    mean_wait_all_s = None
    if fc.patience_s is not None:
        # Erlang A: queue time averaged over every offered call, abandoned ones included (for trunk holding time)
        mean_wait_all_s = erlang.erlang_a(result.traffic_erlangs, result.agents, fc.aht_s, fc.patience_s,
                                          fc.target_answer_s).mean_wait_s
    return Staffing(
        mode="forecast", model=result.model, calls_per_interval=fc.calls_per_interval, interval_s=interval_s,
        aht_s=fc.aht_s, target_answer_s=fc.target_answer_s, service_level_target=fc.service_level,
        shrinkage=fc.shrinkage, max_occupancy=fc.max_occupancy, patience_s=fc.patience_s,
        traffic_erlangs=result.traffic_erlangs, agents_on_phone=result.agents,
        scheduled_agents=result.scheduled_agents, service_level=result.service_level, asa_s=result.asa_s,
        wait_probability=result.wait_probability, occupancy=result.occupancy,
        abandon_probability=result.abandon_probability, mean_wait_all_s=mean_wait_all_s, limited_by=result.limited_by,
        service_level_definition=result.service_level_definition,
        sources=["erlang-a" if result.model == "erlang_a" else "erlang-c", "shrinkage", "seed-break"],
    )


def size_seats(staffing: Staffing, demand: Demand) -> Seats:
    """Seats = scheduled agents at the peak + growth allowance + supervisors; supervisors sit first (front row)."""
    agents = staffing.scheduled_agents
    growth_seats = math.ceil(agents * demand.growth - 1e-9)
    sup = demand.supervisors
    supervisors = sup.count if sup.count is not None else math.ceil((agents + growth_seats) / (sup.ratio or 1))
    limits.check_max("demand: seats (scheduled agents + growth + supervisors)", agents + growth_seats + supervisors,
                     limits.MAX_SEATS, "MAX_SEATS")
    seats = [Seat(id=f"S{i:02d}", kind="supervisor") for i in range(1, supervisors + 1)]
    seats += [Seat(id=f"A{i:03d}", kind="agent") for i in range(1, agents + growth_seats + 1)]
    return Seats(
        agents=agents, supervisors=supervisors, growth=demand.growth, growth_seats=growth_seats,
        total=len(seats), seats=seats,
        assumption="one seat per scheduled agent at the peak interval (no hot-desking), plus growth and supervisors",
    )


def trunk_traffic(staffing: Staffing, tel: Telephony) -> tuple[float, float | None, str]:
    """(erlangs, holding time s, basis): traffic that holds a trunk is IVR + queue + talk, not wrap-up."""
    if tel.trunk_erlangs is not None:
        return tel.trunk_erlangs, None, "given in telephony.trunk_erlangs"
    if staffing.mode == "fixed":
        return float(staffing.agents_on_phone), None, "no forecast: every agent on a call at once (conservative)"
    aht_s = staffing.aht_s or 0.0
    if tel.wrap_s >= aht_s:
        raise SpecError(f"telephony.wrap_s: {tel.wrap_s} s must be less than the forecast AHT ({aht_s} s)")
    talk_s = aht_s - tel.wrap_s
    if staffing.abandon_probability is not None and staffing.mean_wait_all_s is not None:
        # Erlang A: every call waits (mean over all calls); only the answered ones talk.
        hold_s = tel.ivr_s + staffing.mean_wait_all_s + (1 - staffing.abandon_probability) * talk_s
        basis = "calls × (IVR + mean wait + (1 − P(abandon)) × talk) / interval"
    else:
        hold_s = tel.ivr_s + (staffing.asa_s or 0.0) + talk_s
        basis = "calls × (IVR + ASA + talk) / interval"
    erlangs = (staffing.calls_per_interval or 0.0) * hold_s / (staffing.interval_s or 1.0)
    return erlangs, hold_s, basis


def size_trunks(staffing: Staffing, tel: Telephony) -> Trunks:
    erlangs, hold_s, basis = trunk_traffic(staffing, tel)
    with field_prefix("telephony"):
        result = trunking.size_trunks(erlangs, tel.blocking)
    return Trunks(
        type=tel.trunk, fallback=tel.fallback, hold_s=None if hold_s is None else round(hold_s, 3),
        traffic_erlangs=round(erlangs, 6), traffic_basis=basis, blocking_target=tel.blocking,
        channels=result.channels, blocking=result.blocking, e1_spans=result.e1_spans,
        t1_pri_spans=result.t1_pri_spans, t1_cas_spans=result.t1_cas_spans,
        peak_concurrent_calls=result.channels, sources=["erlang-b", "itu-g.704"],
    )


def size_voip(net: Network, concurrent_calls: int) -> Voip:
    with field_prefix("network"):
        bw = voip.per_call_bandwidth(net.codec, net.ptime_ms, net.l2, net.srtp)
    total = voip.total_bandwidth_kbps(bw.per_call_kbps, concurrent_calls)
    return Voip(
        codec=bw.codec, ptime_ms=bw.ptime_ms, l2=bw.l2, srtp=bw.srtp, payload_bytes=bw.payload_bytes,
        packets_per_s=bw.packets_per_s, per_call_kbps=bw.per_call_kbps, concurrent_calls=concurrent_calls,
        total_kbps=round(total, 3), wan_kbps=round(total, 3),
        direction_note="each figure is per direction; a call sends and receives this much",
        sources=["cisco-voip-bw"],
    )
