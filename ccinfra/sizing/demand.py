"""Per-interval requirements of a week of demand, one channel method each. Pure: no files, no printing.

- voice: the fewest agents meeting every target at once — service level (Erlang A with patience,
  Erlang C without), ``max_asa_s``, ``max_abandon`` and the occupancy cap — the engine of ``ccinfra staff``.
- chat: Call Centre Helper's concurrency method: effective AHT = AHT ÷ factor, then Erlang C (an approximation).
- outbound: agents = ceil(volume × AHT ÷ (interval × occupancy)); dialer lines = agents × lines_per_agent.
- email (deferred): work = volume × AHT, no agents of its own here; the schedule serves it first in, first out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ccinfra.errors import SpecError
from ccinfra.sizing import erlang, erlang_batch
from ccinfra.sizing.erlang import _ceil
from ccinfra.spec_demand import (
    ChatQueue,
    EmailQueue,
    ForecastRow,
    OutboundQueue,
    VoiceQueue,
    day_index,
)

REAL_TIME = ("voice", "chat", "outbound")
METHODS = {
    "voice": "fewest agents meeting the service level (Erlang C, or Erlang A with patience_s), max_asa_s, "
             "max_abandon and the occupancy cap, per interval",
    "chat": "Call Centre Helper concurrency: effective AHT = AHT ÷ factor (1.0/1.7/2.5/2.9/3.5 for 1–5 chats), "
            "then Erlang C with the chat targets and the occupancy cap — an approximation",
    "email": "deferred: work = volume × AHT, served first in, first out from the capacity left after real-time "
             "queues, each interval's arrivals finished within respond_within_h (a schedule constraint)",
    "outbound": "agents = ceil(volume × AHT ÷ (interval × occupancy)); dialer lines = agents × lines_per_agent",
}
SOURCES = {
    "voice": ["erlang-c", "erlang-a"],
    "chat": ["cch-chat-concurrency", "erlang-c"],
    "email": ["deferred-fifo"],
    "outbound": ["sytel-dialer-lines"],
}


@dataclass(frozen=True)
class Need:
    """What one queue needs in one interval."""

    agents: int
    service_level: float | None = None
    asa_s: float | None = None
    abandon_probability: float | None = None
    occupancy: float | None = None
    limited_by: str | None = None
    lines: int = 0
    traffic_erlangs: float = 0.0
    mean_wait_all_s: float | None = None


@dataclass
class Grid:
    """The open intervals of the week in time order: (day, start minute) and absolute minutes."""

    interval_min: int
    days: list[str]
    slots: list[tuple[str, int]] = field(default_factory=list)
    abs_min: list[int] = field(default_factory=list)


def build_grid(rows: list[ForecastRow], interval_min: int) -> Grid:
    """Each day runs from its first to its last interval in the forecast (gaps inside count as volume 0).

    >>> rows = [ForecastRow("tue", 480, "q", 1, None, 2), ForecastRow("mon", 540, "q", 1, None, 3),
    ...         ForecastRow("mon", 600, "q", 0, None, 4)]
    >>> g = build_grid(rows, 30); g.days, g.slots
    (['mon', 'tue'], [('mon', 540), ('mon', 570), ('mon', 600), ('tue', 480)])
    """
    spans: dict[str, list[int]] = {}
    for row in rows:
        span = spans.setdefault(row.day, [row.start_min, row.start_min])
        span[0], span[1] = min(span[0], row.start_min), max(span[1], row.start_min)
    days = sorted(spans, key=day_index)
    grid = Grid(interval_min=interval_min, days=days)
    for day in days:
        first, last = spans[day]
        for start in range(first, last + 1, interval_min):
            grid.slots.append((day, start))
            grid.abs_min.append(day_index(day) * 1440 + start)
    return grid


def _step_to_targets(traffic: float, agents: int, aht_s: float, target_s: float, patience_s: float | None,
                     max_asa_s: float | None, max_abandon: float | None, first: dict, limited: str
                     ) -> tuple[int, dict, str]:
    """Step up from the SL/occupancy answer until max_asa_s and max_abandon hold too (both fall as N grows)."""
    metrics = first
    while True:
        if max_asa_s is not None and metrics["asa_s"] > max_asa_s:
            limited = "max_asa_s"
        elif max_abandon is not None and metrics["abandon"] > max_abandon:
            limited = "max_abandon"
        else:
            return agents, metrics, limited
        agents += 1
        if patience_s is None:
            c = erlang.erlang_c(traffic, agents)
            metrics = dict(service_level=erlang._sl_from_c(traffic, agents, c, aht_s, target_s),
                           asa_s=erlang._asa_from_c(traffic, agents, c, aht_s), abandon=None,
                           occupancy=traffic / agents)
        else:
            r = erlang.erlang_a(traffic, agents, aht_s, patience_s, target_s)
            metrics = dict(service_level=r.service_level, asa_s=r.asa_s, abandon=r.abandon_probability,
                           occupancy=r.occupancy)


@lru_cache(maxsize=65536)
def _queue_need(volume: float, aht_s: float, interval_s: float, max_occupancy: float, target_s: float,
                sl_target: float, patience_s: float | None, max_asa_s: float | None, max_abandon: float | None
                ) -> Need:
    result = erlang.required_agents(volume, interval_s, aht_s, target_s, sl_target,
                                    max_occupancy=max_occupancy, patience_s=patience_s)
    first = dict(service_level=result.service_level, asa_s=result.asa_s, abandon=result.abandon_probability,
                 occupancy=result.occupancy)
    traffic = result.traffic_erlangs
    agents, m, limited = _step_to_targets(traffic, result.agents, aht_s, target_s, patience_s, max_asa_s,
                                          max_abandon, first, result.limited_by)
    wait_all = None
    if patience_s is not None:
        wait_all = erlang.erlang_a(traffic, agents, aht_s, patience_s, target_s).mean_wait_s
    return Need(agents=agents, service_level=m["service_level"], asa_s=m["asa_s"], abandon_probability=m["abandon"],
                occupancy=m["occupancy"], limited_by=limited, traffic_erlangs=traffic, mean_wait_all_s=wait_all)


def outbound_need(queue: OutboundQueue, volume: float, aht_s: float, interval_s: float) -> Need:
    """Agents = ceil(volume × AHT ÷ (interval × occupancy)); lines = ceil(agents × lines_per_agent).

    >>> q = OutboundQueue(name="renew", channel="outbound", aht_s=300, dialer="predictive", lines_per_agent=2.0)
    >>> n = outbound_need(q, 40, 300, 1800); n.agents, n.lines, round(n.occupancy, 3)
    (8, 16, 0.833)
    """
    if volume == 0:
        return Need(agents=0)
    agents = _ceil(volume * aht_s / (interval_s * queue.occupancy))
    return Need(agents=agents, occupancy=volume * aht_s / (interval_s * agents), lines=_ceil(agents * queue.lines),
                traffic_erlangs=volume * aht_s / interval_s, limited_by="occupancy")


def interval_need(queue, volume: float, aht_s: float, interval_s: float, max_occupancy: float) -> Need:
    """What ``queue`` needs for ``volume`` contacts in one interval (email: none here, see the schedule).

    >>> q = VoiceQueue(name="care", channel="voice", aht_s=180, answer_within_s=20, service_level=0.8)
    >>> interval_need(q, 100, 180, 1800, 1.0).agents      # A = 10 E: 14 agents (DESIGN.md known answer)
    14
    """
    if isinstance(queue, EmailQueue):
        return Need(agents=0, traffic_erlangs=volume * aht_s / interval_s)
    if isinstance(queue, OutboundQueue):
        return outbound_need(queue, volume, aht_s, interval_s)
    if volume == 0:
        return Need(agents=0)
    if isinstance(queue, ChatQueue):  # Call Centre Helper: a chat agent's effective AHT is AHT ÷ factor
        aht_s, patience_s, max_abandon = aht_s / queue.factor, None, None
    else:
        patience_s, max_abandon = queue.patience_s, queue.max_abandon
    try:
        return _queue_need(float(volume), float(aht_s), float(interval_s), float(max_occupancy),
                           float(queue.answer_within_s), queue.service_level, patience_s, queue.max_asa_s, max_abandon)
    except SpecError as err:
        raise SpecError(f"demand.queues: {queue.name}: {err}") from None


@dataclass
class QueueIntervals:
    """A queue's needs in every interval of the week, as arrays (None: the figure does not apply)."""

    agents: np.ndarray
    traffic_erlangs: np.ndarray
    staffing: erlang_batch.BatchStaffing | None = None  # voice and chat, at the intervals with volume
    busy: np.ndarray | None = None  # the intervals with volume (voice, chat, outbound)
    lines: np.ndarray | None = None  # outbound
    occupancy: np.ndarray | None = None  # outbound


def queue_intervals(queue, volume: np.ndarray, aht_s: np.ndarray, interval_s: float,
                    max_occupancy: float) -> QueueIntervals:
    """``interval_need`` for every interval of a queue at once: Erlang C/A staffing by ``erlang_batch``.

    >>> q = VoiceQueue(name="care", channel="voice", aht_s=180, answer_within_s=20, service_level=0.8)
    >>> queue_intervals(q, np.array([100.0, 0.0, 5.0]), np.full(3, 180.0), 1800, 1.0).agents.tolist()
    [14, 0, 2]
    """
    traffic = volume * aht_s / interval_s
    if isinstance(queue, EmailQueue):
        return QueueIntervals(agents=np.zeros(len(volume), int), traffic_erlangs=traffic)
    busy = volume != 0
    agents = np.zeros(len(volume), int)
    if isinstance(queue, OutboundQueue):
        agents[busy] = erlang_batch._ceil_array(volume[busy] * aht_s[busy] / (interval_s * queue.occupancy))
        with np.errstate(divide="ignore", invalid="ignore"):
            occupancy = volume * aht_s / (interval_s * agents)
        lines = np.where(busy, erlang_batch._ceil_array(agents * queue.lines), 0).astype(int)
        return QueueIntervals(agents=agents, traffic_erlangs=np.where(busy, traffic, 0.0), busy=busy, lines=lines,
                              occupancy=occupancy)
    if isinstance(queue, ChatQueue):  # Call Centre Helper: a chat agent's effective AHT is AHT ÷ factor
        aht_s, patience_s, max_abandon = aht_s / queue.factor, None, None
    else:
        patience_s, max_abandon = queue.patience_s, queue.max_abandon
    targets = (float(interval_s), float(queue.answer_within_s), queue.service_level)
    staffing = None
    if busy.any():
        try:
            if patience_s is None:
                staffing = erlang_batch.staff_erlang_c(volume[busy], aht_s[busy], *targets, max_occupancy,
                                                       queue.max_asa_s)
            else:
                staffing = erlang_batch.staff_erlang_a(volume[busy], aht_s[busy], *targets, patience_s, max_occupancy,
                                                       queue.max_asa_s, max_abandon)
        except SpecError as err:
            raise SpecError(f"demand.queues: {queue.name}: {err}") from None
        agents[busy] = staffing.agents
    return QueueIntervals(agents=agents, traffic_erlangs=np.where(busy, volume * aht_s / interval_s, 0.0),
                          staffing=staffing, busy=busy)


def needs_list(columns: QueueIntervals) -> list[Need]:
    """One ``Need`` per interval, as ``interval_need`` gives it, from a queue's arrays."""
    if columns.busy is None:  # email: no agents of its own
        return [Need(agents=0, traffic_erlangs=t) for t in columns.traffic_erlangs.tolist()]
    out = [Need(agents=0)] * len(columns.agents)
    busy = np.flatnonzero(columns.busy).tolist()
    agents, traffic = columns.agents.tolist(), columns.traffic_erlangs.tolist()
    if columns.lines is not None:
        lines, occupancy = columns.lines.tolist(), columns.occupancy.tolist()
        for t in busy:
            out[t] = Need(agents=agents[t], occupancy=occupancy[t], lines=lines[t], traffic_erlangs=traffic[t],
                          limited_by="occupancy")
        return out
    st = columns.staffing
    if st is None:  # no interval with volume
        return out
    erlang_a = st.abandon_probability is not None
    fields = zip(busy, st.service_level.tolist(), st.asa_s.tolist(), st.occupancy.tolist(), st.limited_by,
                 st.abandon_probability.tolist() if erlang_a else [None] * len(busy),
                 st.mean_wait_s.tolist() if erlang_a else [None] * len(busy))
    for t, sl, asa, occ, limited, abandon, wait in fields:
        out[t] = Need(agents=agents[t], service_level=sl, asa_s=asa, abandon_probability=abandon, occupancy=occ,
                      limited_by=limited, traffic_erlangs=traffic[t], mean_wait_all_s=wait)
    return out


def required_on_duty(real_time_agents: float, shrinkage: float) -> int:
    """ceil(real-time requirement ÷ (1 − shrinkage)).

    >>> required_on_duty(14, 0.3)
    20
    """
    return _ceil(real_time_agents / (1.0 - shrinkage)) if real_time_agents > 0 else 0


def volumes(rows: list[ForecastRow]) -> dict[tuple[str, int, str], ForecastRow]:
    return {(r.day, r.start_min, r.queue): r for r in rows}


def hhmm(minutes: int) -> str:
    """Minutes after midnight as HH:MM (24:00 and beyond wrap).

    >>> hhmm(510), hhmm(1440)
    ('08:30', '00:00')
    """
    minutes %= 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def deadline_slots(grid: Grid, respond_within_h: float) -> list[int]:
    """For each slot, the last slot that ends within ``respond_within_h`` of its start (capped at the week's end).

    Measured from the start of the arrival interval, so every contact is answered within the window.
    """
    window = respond_within_h * 60
    ends = [m + grid.interval_min for m in grid.abs_min]
    out, last = [], 0
    for index, start in enumerate(grid.abs_min):
        last = max(last, index)
        while last + 1 < len(ends) and ends[last + 1] <= start + window:
            last += 1
        out.append(last)
    return out
