"""One SLA table per queue: its targets against what is achieved at the busiest and at the worst interval."""

from __future__ import annotations

from ccinfra.plan_demand import IntervalRecord, QueueSla, SlaPoint
from ccinfra.sizing.demand import Grid, hhmm
from ccinfra.sizing.schedule import ScheduleProblem, ScheduleResult
from ccinfra.spec_demand import ChatQueue, EmailQueue, OutboundQueue, VoiceQueue

_EPS = 1e-9


def _point(r: IntervalRecord, response_h: float | None = None) -> SlaPoint:
    return SlaPoint(day=r.day, start=r.start, volume=r.volume, agents_required=r.agents_required,
                    service_level=r.service_level, asa_s=r.asa_s, abandon_probability=r.abandon_probability,
                    occupancy=r.occupancy, response_h=response_h)


def _targets(queue, max_occupancy: float) -> dict[str, float]:
    if isinstance(queue, EmailQueue):
        return {"respond_within_h": queue.respond_within_h}
    if isinstance(queue, OutboundQueue):
        return {"occupancy": queue.occupancy}
    targets = {"service_level": queue.service_level, "answer_within_s": queue.answer_within_s,
               "max_occupancy": max_occupancy}
    if queue.max_asa_s is not None:
        targets["max_asa_s"] = queue.max_asa_s
    if isinstance(queue, VoiceQueue) and queue.max_abandon is not None:
        targets["max_abandon"] = queue.max_abandon
    return targets


def _meets(r: IntervalRecord, t: dict[str, float]) -> bool:
    ok = (r.service_level or 0) >= t["service_level"] - _EPS and (r.occupancy or 0) <= t["max_occupancy"] + _EPS
    if "max_asa_s" in t:
        ok = ok and (r.asa_s or 0) <= t["max_asa_s"] + _EPS
    if "max_abandon" in t:
        ok = ok and (r.abandon_probability or 0) <= t["max_abandon"] + _EPS
    return ok


def queue_sla(queue, records: list[IntervalRecord], grid: Grid, problem: ScheduleProblem,
              result: ScheduleResult, max_occupancy: float = 1.0) -> QueueSla:
    """Targets vs achieved; ``met`` is checked over every interval with volume, not only the two shown."""
    busy = [r for r in records if r.volume > 0]
    targets = _targets(queue, max_occupancy)
    if not busy:
        return QueueSla(queue=queue.name, channel=queue.channel, targets=targets, busiest=None, worst=None,
                        worst_by="-", met=True)
    busiest = max(busy, key=lambda r: r.volume)
    if isinstance(queue, EmailQueue):
        q = [d.name for d in problem.deferred].index(queue.name)
        index = {(day, hhmm(start)): t for t, (day, start) in enumerate(grid.slots)}
        response = {}
        for r in busy:
            t = index[(r.day, r.start)]
            done = result.finish.get((q, t))
            response[id(r)] = (None if done is None else
                               (grid.abs_min[done] + grid.interval_min - grid.abs_min[t]) / 60)
        worst = max(busy, key=lambda r: float("inf") if response[id(r)] is None else response[id(r)])
        met = all(v is not None and v <= queue.respond_within_h + _EPS for v in response.values())
        return QueueSla(queue=queue.name, channel=queue.channel, targets=targets,
                        busiest=_point(busiest, response[id(busiest)]), worst=_point(worst, response[id(worst)]),
                        worst_by="longest response (FIFO, measured from the arrival interval's start)", met=met)
    if isinstance(queue, OutboundQueue):
        worst = max(busy, key=lambda r: r.occupancy or 0)
        met = all((r.occupancy or 0) <= queue.occupancy + _EPS for r in busy)
        return QueueSla(queue=queue.name, channel=queue.channel, targets=targets, busiest=_point(busiest),
                        worst=_point(worst), worst_by="highest occupancy", met=met)
    assert isinstance(queue, (VoiceQueue, ChatQueue))
    worst = min(busy, key=lambda r: r.service_level or 0)
    return QueueSla(queue=queue.name, channel=queue.channel, targets=targets, busiest=_point(busiest),
                    worst=_point(worst), worst_by="lowest service level", met=all(_meets(r, targets) for r in busy))
