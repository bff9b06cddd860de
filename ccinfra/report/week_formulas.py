"""Worked results of a week of intervals (staffing from the schedule, trunks from the busiest interval)."""

from __future__ import annotations

from ccinfra.plan import Plan
from ccinfra.report.formatting import num
from ccinfra.report.formulas import Result
from ccinfra.sizing import erlang, trunking


def week_staffing_results(plan: Plan) -> list[Result]:
    s, d = plan.schedule, plan.demand
    assert s is not None and d is not None
    peak = max(s.on_duty, key=lambda r: r.required)
    out = [Result(f"demand.{q.name}", "Staffing", f"Queue {q.name} ({q.channel})", q.method,
                  f"{sum(1 for r in d.intervals if r.queue == q.name and r.volume > 0)} intervals with volume",
                  q.channel, tuple(q.sources)) for q in d.queues]
    out += [
        Result("staffing.required_on_duty", "Staffing", "Required on duty (busiest interval)",
               "required = ⌈Σ real-time agents (voice + chat + outbound) / (1 − shrinkage)⌉",
               f"{peak.day} {peak.start}: ⌈{peak.real_time_agents} / (1 − {num(d.shrinkage)})⌉ = {peak.required}",
               f"{peak.required} agents", ("shrinkage",)),
        Result("schedule.paid_hours", "Staffing", "Paid hours of the schedule",
               "min Σ hours × agents s.t. on duty ≥ required per interval, FIFO deferred deadlines, part-time cap",
               f"{num(s.paid_hours)} h ({s.status}, gap {num(s.gap, 6)}; LP bound {num(s.lp_bound_hours)} h; "
               f"{num(s.solve_s, 3)} s)", f"{num(s.paid_hours)} h", tuple(s.sources), s.solver),
        Result("staffing.scheduled", "Staffing", "Peak on duty (seats before supervisors and growth)",
               "peak = max over intervals of scheduled on duty", f"peak = {s.peak_on_duty}",
               f"{s.peak_on_duty} agents", ("wfm-schedule",)),
    ]
    return out


def week_trunk_results(plan: Plan) -> list[Result]:
    t = plan.trunks
    inbound = trunking.required_channels(t.traffic_erlangs, t.blocking_target) if t.traffic_erlangs > 0 else 0
    b = erlang.erlang_b(t.traffic_erlangs, inbound) if inbound > 0 and t.traffic_erlangs > 0 else 0.0
    return [
        Result("trunks.channels", "Trunks", "Trunk channels (busiest interval)",
               "N = fewest channels with B(A, N) ≤ target on inbound trunk-holding traffic + outbound dialer lines",
               f"A = {num(t.traffic_erlangs)} E → {inbound} channels (B = {num(b, 4)} ≤ {num(t.blocking_target)}) "
               f"+ {t.channels - inbound} dialer lines = {t.channels}", f"{t.channels} channels",
               tuple(t.sources), t.traffic_basis),
        Result("trunks.spans", "Trunks", "Digital spans", "spans = ⌈channels / channels per span⌉",
               f"E1 ⌈{t.channels} / 30⌉ = {t.e1_spans}; T1 PRI ⌈{t.channels} / 23⌉ = {t.t1_pri_spans}",
               f"{t.e1_spans} E1 / {t.t1_pri_spans} T1", ("itu-g.704",)),
    ]
