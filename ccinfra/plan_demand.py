"""Plan sections of a week of interval demand: ``demand`` (queues, intervals, SLA) and ``schedule``.

Kept apart from ``plan.py`` so that the Plan only gains two optional fields. ``schedule.paid_hours`` is read
by cost tools for labour cost: keep that name.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QueuePlan(BaseModel):
    """A queue as validated (its own keys) plus ``method`` and ``sources``."""

    model_config = ConfigDict(extra="allow")

    name: str
    channel: Literal["voice", "chat", "email", "outbound"]
    aht_s: float
    method: str
    sources: list[str]


class IntervalRecord(_Model):
    """One queue in one interval; the achieved figures apply where the channel has them."""

    day: str
    start: str
    queue: str
    channel: str
    volume: float
    aht_s: float
    agents_required: int
    traffic_erlangs: float
    service_level: float | None = None
    asa_s: float | None = None
    abandon_probability: float | None = None
    occupancy: float | None = None
    limited_by: str | None = None
    dialer_lines: int | None = None
    work_agent_h: float | None = None


class SlaPoint(_Model):
    """Figures of one queue at one interval (the busiest or the worst)."""

    day: str
    start: str
    volume: float
    agents_required: int
    service_level: float | None = None
    asa_s: float | None = None
    abandon_probability: float | None = None
    occupancy: float | None = None
    response_h: float | None = None


class QueueSla(_Model):
    queue: str
    channel: str
    targets: dict[str, float]
    busiest: SlaPoint | None
    worst: SlaPoint | None
    worst_by: str
    met: bool


class DemandPlan(_Model):
    interval_min: int
    shrinkage: float
    max_occupancy: float
    days: list[str]
    queues: list[QueuePlan]
    intervals: list[IntervalRecord]
    sla: list[QueueSla]
    pooling: Literal["none"] = "none"
    service_level_definition: str
    sources: list[str]


class ShiftRecord(_Model):
    day: str
    start: str
    hours: float
    agents: int


class OnDutyRecord(_Model):
    """Coverage of one interval: required and scheduled heads on duty, and the deferred work done in it."""

    day: str
    start: str
    required: int
    scheduled: int
    real_time_agents: int
    deferred_arrived_agent_h: float
    deferred_served_agent_h: float
    deferred_backlog_agent_h: float


class SchedulePlan(_Model):
    interval_min: int
    shift_hours: list[float]
    start_every_min: int
    max_part_time_share: float
    part_time_share: float
    shifts: list[ShiftRecord]
    on_duty: list[OnDutyRecord]
    paid_hours: float
    lp_bound_hours: float
    peak_on_duty: int
    status: Literal["optimal", "feasible"]
    gap: float
    solve_s: float
    time_limit_s: float
    solver: str
    method: str
    sources: list[str]

