"""Report sections of a week of intervals: heat map, coverage per day, roster, SLA per queue, worked results.

Everything is read from ``plan.demand`` and ``plan.schedule``; nothing is re-sized here.
"""

from __future__ import annotations

from typing import Any

from ccinfra.plan import Plan
from ccinfra.report.formatting import num
from ccinfra.report.svg import Frame, axes, el, svg, text, ticks, title


CHAT_NOTE = ("Chat uses Call Centre Helper's concurrency factors (effective AHT = AHT ÷ factor, then Erlang C): "
             "an approximation, not a model of concurrent chat service (cch-chat-concurrency).")


def _minutes(start: str) -> int:
    hours, minutes = start.split(":")
    return int(hours) * 60 + int(minutes)


def heatmap_svg(plan: Plan) -> str:
    """Days × intervals, each cell shaded by the required agents on duty (darker = more)."""
    rows = plan.schedule.on_duty
    days = plan.demand.days
    starts = sorted({_minutes(r.start) for r in rows})
    top = max((r.required for r in rows), default=0) or 1
    cell_w, cell_h, left, head = 14, 20, 70, 28
    width, height = left + cell_w * len(starts) + 10, head + cell_h * len(days) + 10
    col = {m: i for i, m in enumerate(starts)}
    parts = []
    for i, m in enumerate(starts):
        if m % 120 == 0:
            parts.append(text(f"{m // 60:02d}h", x=left + i * cell_w, y=head - 4, class_="tick"))
    parts.append(text(f"darkest = {top} agents on duty", x=left, y=12, class_="tick"))
    for d, day in enumerate(days):
        parts.append(text(day, x=left - 8, y=head + d * cell_h + 14, class_="tick", text_anchor="end"))
    for r in rows:
        x, y = left + col[_minutes(r.start)] * cell_w, head + days.index(r.day) * cell_h
        parts.append(el("rect", title(f"{r.day} {r.start}: {r.required} required on duty"), x=x, y=y,
                        width=cell_w - 1, height=cell_h - 1, class_="heat",
                        fill_opacity=round(0.08 + 0.92 * r.required / top, 3)))
    return svg("".join(parts), width, height, "Required agents on duty by day and interval", "chart heatmap")


def coverage_svg(plan: Plan, day: str) -> str:
    """Required vs scheduled on duty over one day; the heads busy with deferred work shaded."""
    s = plan.schedule
    rows = [r for r in s.on_duty if r.day == day]
    hours = s.interval_min / 60
    avail = 1 - plan.demand.shrinkage
    xs = [_minutes(r.start) / 60 for r in rows]
    x1 = xs[-1] + hours
    y1 = max(max(r.scheduled for r in rows), 1)
    f = Frame(760, 260, 56, 20, 16, 44, xs[0], x1, 0.0, ticks(0, y1, 5)[-1])
    xt = [v for v in ticks(xs[0], x1, 8) if xs[0] <= v <= x1]
    parts = [axes(f, xt, ticks(0, y1, 5), f"{day}: hour of day", "agents on duty", xfmt=lambda v: f"{v:g}")]
    for r, x in zip(rows, xs):  # deferred work served, in on-duty heads, stacked on the real-time need
        rt = r.real_time_agents / avail
        deferred = r.deferred_served_agent_h / hours / avail
        if deferred > 1e-9:
            parts.append(el("rect", title(f"{r.start}: {num(r.deferred_served_agent_h)} agent-h deferred work served"),
                            x=f.x(x), y=f.y(rt + deferred), width=f.x(x + hours) - f.x(x),
                            height=f.y(rt) - f.y(rt + deferred), class_="deferred"))

    def steps(values: list[float]) -> str:
        return " ".join(f"{f.x(x):.1f},{f.y(v):.1f} {f.x(x + hours):.1f},{f.y(v):.1f}" for x, v in zip(xs, values))

    parts.append(el("polyline", points=steps([r.required for r in rows]), class_="series-required"))
    parts.append(el("polyline", points=steps([r.scheduled for r in rows]), class_="series-scheduled"))
    return svg("".join(parts), f.width, f.height, f"Coverage on {day}: required vs scheduled", "chart coverage")


def sla_tables(plan: Plan) -> list[dict[str, Any]]:
    """One table per queue, in the order of demand.queues: its rows from ``sla_rows``."""
    rows = sla_rows(plan)
    return [{"queue": q.queue, "channel": q.channel, "met": q.met, "worst_by": q.worst_by,
             "rows": [r for r in rows if r["queue"] == q.queue]} for q in plan.demand.sla]


def sla_rows(plan: Plan) -> list[dict[str, Any]]:
    """One row per queue and target: the target, the busiest interval's figure, the worst interval's figure."""
    out = []
    names = {"service_level": "service_level", "max_asa_s": "asa_s", "max_abandon": "abandon_probability",
             "max_occupancy": "occupancy", "occupancy": "occupancy", "respond_within_h": "response_h"}
    for q in plan.demand.sla:
        for target, value in q.targets.items():
            field = names.get(target)
            if field is None:
                continue
            out.append({
                "queue": q.queue, "channel": q.channel, "target": target, "value": value,
                "busiest": getattr(q.busiest, field) if q.busiest else None,
                "busiest_at": f"{q.busiest.day} {q.busiest.start}" if q.busiest else "—",
                "worst": getattr(q.worst, field) if q.worst else None,
                "worst_at": f"{q.worst.day} {q.worst.start}" if q.worst else "—", "met": q.met,
            })
    return out


def week_report(plan: Plan) -> dict[str, Any] | None:
    """The report's data for a week of intervals (None for a single-interval plan)."""
    if plan.demand is None or plan.schedule is None:
        return None
    s = plan.schedule
    return {
        "heatmap_svg": heatmap_svg(plan),
        "coverage": [{"day": d, "svg": coverage_svg(plan, d)} for d in plan.demand.days],
        "roster": [r.model_dump() for r in s.shifts],
        "sla": sla_tables(plan),
        "queues": [{"name": q.name, "channel": q.channel, "method": q.method, "sources": q.sources}
                   for q in plan.demand.queues],
        "schedule": {"paid_hours": s.paid_hours, "lp_bound_hours": s.lp_bound_hours, "peak_on_duty": s.peak_on_duty,
                     "status": s.status, "gap": s.gap, "solve_s": s.solve_s, "solver": s.solver,
                     "part_time_share": s.part_time_share, "max_part_time_share": s.max_part_time_share},
        "chat_note": CHAT_NOTE if any(q.channel == "chat" for q in plan.demand.queues) else "",
    }
