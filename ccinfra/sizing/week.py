"""A week of interval demand → the ``demand`` and ``schedule`` plan sections, staffing, trunks. Pure.

Each interval is sized on its own (``ccinfra.sizing.demand``); the shift schedule (``schedule.py``) covers
the required on-duty heads and the deferred deadlines; seats follow the schedule's peak on duty.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ccinfra import standards
from ccinfra.errors import SpecError
from ccinfra.plan import Check, Staffing, Trunks
from ccinfra.plan_demand import DemandPlan, IntervalRecord, OnDutyRecord, QueuePlan, SchedulePlan, ShiftRecord
from ccinfra.sizing import demand as dm
from ccinfra.sizing import trunking
from ccinfra.sizing.erlang import ERLANG_C_SERVICE_LEVEL_DEFINITION
from ccinfra.sizing.erlang_a import SERVICE_LEVEL_DEFINITION as ERLANG_A_SL
from ccinfra.sizing.schedule import DeferredLoad, ScheduleProblem, ScheduleResult, solve_schedule
from ccinfra.sizing.sla import queue_sla
from ccinfra.spec import Demand, Telephony
from ccinfra.spec_demand import EmailQueue, OutboundQueue, VoiceQueue

SOLVER = "HiGHS (scipy.optimize.milp): branch and cut on the integer covering model"


@dataclass
class Week:
    demand: DemandPlan
    schedule: SchedulePlan
    staffing: Staffing
    trunks: Trunks
    checks: list[Check]


def windows(grid: dm.Grid) -> list[tuple[int, int]]:
    """Runs of back-to-back open intervals; a day open to midnight joins the next day open from 00:00."""
    out, first = [], 0
    for t in range(1, len(grid.abs_min) + 1):
        if t == len(grid.abs_min) or grid.abs_min[t] != grid.abs_min[t - 1] + grid.interval_min:
            out.append((first, t))
            first = t
    return out


def queue_inputs(demand: Demand, grid: dm.Grid) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each queue's (volume, AHT) per slot of the grid: missing rows are volume 0, a row's aht_s overrides."""
    rows = dm.volumes(demand.forecast_rows)
    out = {}
    for queue in demand.queues:
        found = [rows.get((day, start, queue.name)) for day, start in grid.slots]
        out[queue.name] = (np.array([r.volume if r else 0.0 for r in found], float),
                           np.array([(r.aht_s if r and r.aht_s else None) or queue.aht_s for r in found], float))
    return out


def staff_intervals(demand: Demand, inputs: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, dm.QueueIntervals]:
    """Every queue's needs in every interval, a queue at a time (``demand.queue_intervals``)."""
    interval_s = demand.interval_min * 60.0
    return {q.name: dm.queue_intervals(q, *inputs[q.name], interval_s, demand.max_occupancy) for q in demand.queues}


def interval_records(demand: Demand, grid: dm.Grid) -> tuple[list[IntervalRecord], dict[str, list[dm.Need]]]:
    """One record per queue and interval (missing rows are volume 0), and each queue's needs per slot."""
    inputs = queue_inputs(demand, grid)
    columns = staff_intervals(demand, inputs)
    records, needs = [], {}
    for queue in demand.queues:
        per_slot = dm.needs_list(columns[queue.name])
        email = isinstance(queue, EmailQueue)
        for (day, start), volume, aht_s, need in zip(grid.slots, *(v.tolist() for v in inputs[queue.name]), per_slot):
            records.append(IntervalRecord(
                day=day, start=dm.hhmm(start), queue=queue.name, channel=queue.channel, volume=volume, aht_s=aht_s,
                agents_required=need.agents, traffic_erlangs=round(need.traffic_erlangs, 6),
                service_level=need.service_level, asa_s=need.asa_s, abandon_probability=need.abandon_probability,
                occupancy=need.occupancy, limited_by=need.limited_by,
                dialer_lines=need.lines if isinstance(queue, OutboundQueue) else None,
                work_agent_h=round(volume * aht_s / 3600, 6) if email else None,
            ))
        needs[queue.name] = per_slot
    return records, needs


def schedule_problem(demand: Demand, grid: dm.Grid, needs: dict[str, list[dm.Need]],
                     time_limit_s: float | None) -> ScheduleProblem:
    real_time = [0] * len(grid.slots)
    for queue in demand.queues:
        if queue.channel in dm.REAL_TIME:
            for t, need in enumerate(needs[queue.name]):
                real_time[t] += need.agents
    deferred = [
        DeferredLoad(q.name, [n.traffic_erlangs for n in needs[q.name]], dm.deadline_slots(grid, q.respond_within_h))
        for q in demand.queues if isinstance(q, EmailQueue)
    ]
    rules = demand.schedule
    return ScheduleProblem(
        required=[dm.required_on_duty(rt, demand.shrinkage) for rt in real_time], real_time=[float(r) for r in real_time],
        windows=windows(grid), shift_hours=list(rules.shift_hours), slot_min=demand.interval_min,
        start_every_min=rules.start_every_min or demand.interval_min, max_part_time_share=rules.max_part_time_share,
        shrinkage=demand.shrinkage, deferred=deferred, time_limit_s=time_limit_s or rules.time_limit_s,
    )


def schedule_plan(demand: Demand, grid: dm.Grid, problem: ScheduleProblem, result: ScheduleResult) -> SchedulePlan:
    hours_per_slot = demand.interval_min / 60
    arrived = [sum(d.work[t] for d in problem.deferred) for t in range(len(grid.slots))]
    on_duty = [
        OnDutyRecord(day=day, start=dm.hhmm(start), required=problem.required[t], scheduled=result.on_duty[t],
                     real_time_agents=int(problem.real_time[t]),
                     deferred_arrived_agent_h=round(arrived[t] * hours_per_slot, 6),
                     deferred_served_agent_h=round(result.served[t] * hours_per_slot, 6),
                     deferred_backlog_agent_h=round(result.backlog[t] * hours_per_slot, 6))
        for t, (day, start) in enumerate(grid.slots)
    ]
    shifts = sorted(result.shifts, key=lambda item: (item[0].first, -item[0].hours))
    longest = max(problem.shift_hours)
    heads = sum(n for _, n in shifts)
    short = sum(n for sh, n in shifts if sh.hours < longest)
    return SchedulePlan(
        interval_min=demand.interval_min, shift_hours=problem.shift_hours, start_every_min=problem.start_every_min,
        max_part_time_share=problem.max_part_time_share, part_time_share=round(short / heads, 6) if heads else 0.0,
        shifts=[ShiftRecord(day=grid.slots[sh.first][0], start=dm.hhmm(grid.slots[sh.first][1]), hours=sh.hours,
                            agents=n) for sh, n in shifts],
        on_duty=on_duty, paid_hours=result.paid_hours, lp_bound_hours=round(result.lp_bound, 6),
        peak_on_duty=max(result.on_duty, default=0), status=result.status, gap=result.gap,
        solve_s=round(result.solve_s, 6), time_limit_s=problem.time_limit_s, solver=SOLVER,
        method="fewest paid hours such that on duty ≥ ceil(real-time agents ÷ (1 − shrinkage)) in every interval and "
               "deferred work (FIFO) meets respond_within_h; part-time share ≤ max_part_time_share",
        sources=["wfm-schedule", "shrinkage", "deferred-fifo"],
    )


def queue_plans(demand: Demand) -> list[QueuePlan]:
    out = []
    for q in demand.queues:
        extra = {"concurrency_factor": q.factor} if q.channel == "chat" else {}
        sources = list(dm.SOURCES[q.channel])
        if isinstance(q, VoiceQueue):
            sources = ["erlang-a" if q.patience_s is not None else "erlang-c"]
        out.append(QueuePlan(**{**q.model_dump(mode="json"), **extra}, method=dm.METHODS[q.channel], sources=sources))
    return out


def week_trunks(demand: Demand, tel: Telephony, needs: dict[str, list[dm.Need]], grid: dm.Grid) -> Trunks:
    """Erlang B on each interval's trunk-holding inbound voice traffic, plus that interval's dialer lines; the worst."""
    rows = dm.volumes(demand.forecast_rows)
    best: tuple[int, float, int, int, trunking.TrunkResult | None] = (-1, 0.0, 0, 0, None)
    for t, (day, start) in enumerate(grid.slots):
        erlangs = lines = 0.0
        for q in demand.queues:
            need = needs[q.name][t]
            if isinstance(q, OutboundQueue):
                lines += need.lines
            elif isinstance(q, VoiceQueue) and need.agents:
                row = rows.get((day, start, q.name))
                aht_s = (row.aht_s if row and row.aht_s else None) or q.aht_s
                if tel.wrap_s >= aht_s:
                    raise SpecError(f"telephony.wrap_s: {tel.wrap_s} s must be less than queue {q.name}'s AHT ({aht_s} s)")
                talk_s = aht_s - tel.wrap_s
                if need.abandon_probability is not None and need.mean_wait_all_s is not None:
                    hold_s = tel.ivr_s + need.mean_wait_all_s + (1 - need.abandon_probability) * talk_s
                else:
                    hold_s = tel.ivr_s + (need.asa_s or 0.0) + talk_s
                erlangs += need.traffic_erlangs * hold_s / aht_s  # calls × hold ÷ interval
        result = trunking.size_trunks(erlangs, tel.blocking) if erlangs > 0 else None
        total = (result.channels if result else 0) + int(lines)
        if total > best[0]:
            best = (total, erlangs, int(lines), t, result)
    total, erlangs, lines, _, result = best
    return Trunks(
        type=tel.trunk, fallback=tel.fallback, traffic_erlangs=round(erlangs, 6),
        traffic_basis="busiest interval of inbound trunk-holding traffic (IVR + wait + talk) by Erlang B, plus that "
                      f"interval's outbound dialer lines ({lines})",
        blocking_target=tel.blocking, channels=total, blocking=result.blocking if result else 0.0,
        e1_spans=math.ceil(total / standards.E1_CHANNELS), t1_pri_spans=math.ceil(total / standards.T1_PRI_CHANNELS),
        t1_cas_spans=math.ceil(total / standards.T1_CAS_CHANNELS), peak_concurrent_calls=total,
        sources=["erlang-b", "itu-g.704", "sytel-dialer-lines"],
    )


def size_week(demand: Demand, tel: Telephony, time_limit_s: float | None = None) -> Week:
    """Per-interval needs, the schedule, and what the rest of the plan takes from them."""
    if not demand.forecast_rows:
        raise SpecError("demand.forecast_file: no forecast rows were read; load the site file with its CSV beside it")
    grid = dm.build_grid(demand.forecast_rows, demand.interval_min)
    records, needs = interval_records(demand, grid)
    problem = schedule_problem(demand, grid, needs, time_limit_s)
    result = solve_schedule(problem)
    schedule = schedule_plan(demand, grid, problem, result)
    voice_a = any(isinstance(q, VoiceQueue) and q.patience_s is not None for q in demand.queues)
    sla = [queue_sla(q, [r for r in records if r.queue == q.name], grid, problem, result,
                     demand.max_occupancy) for q in demand.queues]
    demand_plan = DemandPlan(
        interval_min=demand.interval_min, shrinkage=demand.shrinkage, max_occupancy=demand.max_occupancy,
        days=grid.days, queues=queue_plans(demand), intervals=records, sla=sla,
        service_level_definition=ERLANG_A_SL if voice_a else ERLANG_C_SERVICE_LEVEL_DEFINITION,
        sources=sorted({s for q in demand_plan_sources(demand) for s in q}),
    )
    staffing = Staffing(
        mode="intervals", model="intervals", shrinkage=demand.shrinkage, max_occupancy=demand.max_occupancy,
        agents_on_phone=int(max(problem.real_time, default=0)), scheduled_agents=schedule.peak_on_duty,
        limited_by="schedule", service_level_definition=demand_plan.service_level_definition,
        sources=["wfm-schedule", "shrinkage", "seed-break"],
    )
    checks = week_checks(demand_plan, schedule, demand.shrinkage)
    return Week(demand_plan, schedule, staffing, week_trunks(demand, tel, needs, grid), checks)


def demand_plan_sources(demand: Demand) -> list[list[str]]:
    return [dm.SOURCES[q.channel] for q in demand.queues] + [["shrinkage"]]


def week_checks(demand: DemandPlan, schedule: SchedulePlan, shrinkage: float) -> list[Check]:
    """Coverage, deferred deadlines and each queue's SLA, as pass/fail checks."""
    short = [r for r in schedule.on_duty if r.scheduled < r.required]
    checks = [Check(
        id="schedule.coverage", title="Scheduled on duty covers the required on duty in every interval",
        status="pass" if not short else "fail", measured=f"{len(short)} intervals short",
        limit="0", source="wfm-schedule", detail=f"{schedule.status}, gap {schedule.gap:.2%}, {schedule.solver}")]
    for sla in demand.sla:
        checks.append(Check(
            id=f"sla.{sla.queue}", title=f"Queue {sla.queue} ({sla.channel}) meets its targets in every interval",
            status="pass" if sla.met else "fail", measured=f"worst by {sla.worst_by}", limit=str(sla.targets),
            source={"voice": "erlang-c", "chat": "cch-chat-concurrency", "email": "deferred-fifo"}.get(
                sla.channel, "sytel-dialer-lines")))
    break_share = standards.BREAK_MIN_PER_HOUR / 60
    checks.append(Check(
        id="staffing.breaks", title="Shrinkage covers the 10-minute break each hour",
        status="pass" if shrinkage >= break_share - 1e-9 else "warn", measured=f"{shrinkage:.3f}",
        limit=f">= {break_share:.3f} (10/60)", source="seed-break"))
    return checks


def schedule_site(spec, time_limit_s: float | None = None) -> Week:
    """The week of a site description that has ``demand.queues`` (``ccinfra schedule``)."""
    if not spec.demand.queues:
        raise SpecError("demand.queues: this site has no week of intervals; add queues and forecast_file "
                        "(see examples/week/site.yaml)")
    return size_week(spec.demand, spec.telephony, time_limit_s)
