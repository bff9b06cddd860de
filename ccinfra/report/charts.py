"""Charts as inline SVG, written by hand: service level against agents, bandwidth per codec, PoE per switch.

The data behind each chart is a plain list (also printed as a table in the Markdown report). The
service-level curve is computed with the same pure queueing functions that sized the plan
(``erlang.service_level``, or ``erlang_a`` when the plan used a patience); nothing is re-sized.
"""

from __future__ import annotations

import math
from typing import Any

from ccinfra.plan import Plan
from ccinfra.report.formatting import num
from ccinfra.report.svg import Frame, axes, el, svg, text, ticks, title
from ccinfra.sizing import erlang, voip
from ccinfra.sizing.erlang_a import erlang_a

MAX_POINTS = 40


def agent_range(traffic_erlangs: float, agents: int) -> list[int]:
    """Staff levels around the answer: from just below the traffic to a few above N (at most MAX_POINTS).

    >>> r = agent_range(80.0, 95); r[0], r[-1], 95 in r
    (80, 102, True)
    """
    low = max(1, math.floor(traffic_erlangs * 0.9), agents - 15)
    high = agents + max(5, (agents - low) // 2)
    step = max(1, math.ceil((high - low + 1) / MAX_POINTS))
    values = list(range(low, high + 1, step))
    if agents not in values:
        values = sorted(set(values) | {agents})
    return values


def service_level_points(plan: Plan) -> list[dict[str, Any]]:
    """(agents, service level, occupancy) around the plan's N; empty for a fixed head count."""
    s = plan.staffing
    if s.mode != "forecast" or s.traffic_erlangs is None or s.aht_s is None or s.target_answer_s is None:
        return []
    a = s.traffic_erlangs
    points = []
    for n in agent_range(a, s.agents_on_phone):
        if s.model == "erlang_a" and s.patience_s is not None:
            r = erlang_a(a, n, s.aht_s, s.patience_s, s.target_answer_s)
            sl, occ = r.service_level, r.occupancy
        else:
            sl, occ = erlang.service_level(a, n, s.aht_s, s.target_answer_s), min(a / n, 1.0)
        points.append({"agents": n, "service_level": sl, "occupancy": occ, "chosen": n == s.agents_on_phone})
    return points


def codec_bandwidths(plan: Plan) -> list[dict[str, Any]]:
    """Per-call kbit/s of every codec at the site's L2 framing and SRTP setting (site's ptime for its codec)."""
    v = plan.voip
    rows = []
    for name, codec in voip.CODECS.items():
        ptime = v.ptime_ms if name == v.codec else codec.default_ptime_ms
        bw = voip.per_call_bandwidth(name, ptime, v.l2, v.srtp)
        rows.append({"codec": name, "ptime_ms": ptime, "per_call_kbps": bw.per_call_kbps, "site": name == v.codec})
    return rows


def poe_by_switch(plan: Plan) -> list[dict[str, Any]]:
    return [{"switch": sw.name, "poe_w": sw.poe_w, "budget_w": sw.poe_budget_w,
             "share": sw.poe_w / sw.poe_budget_w if sw.poe_budget_w else None} for sw in plan.network.switches]


def _pct(v: float) -> str:
    return f"{v * 100:.0f} %"


def service_level_svg(plan: Plan, points: list[dict[str, Any]]) -> str | None:
    if not points:
        return None
    s = plan.staffing
    xs = [p["agents"] for p in points]
    f = Frame(760, 340, 64, 150, 20, 48, xs[0] - 0.5, xs[-1] + 0.5, 0.0, 1.0)
    xt = ticks(xs[0], xs[-1], 8)
    xt = [v for v in xt if xs[0] - 0.5 <= v <= xs[-1] + 0.5]
    parts = [axes(f, xt, ticks(0, 1, 5), "agents on the phones (N)", "share of calls / time", xfmt=lambda v: f"{v:g}",
                  yfmt=_pct, grid_x=True)]
    target = s.service_level_target or 0.0
    right = f.width - f.right
    cap = s.max_occupancy if s.max_occupancy is not None and s.max_occupancy < 1 else None
    # the two horizontal lines are often a few % apart: label the higher one above, the lower one below its line
    target_dy, cap_dy = (-5, 14) if cap is None or target >= cap else (14, -5)
    parts.append(el("line", x1=f.left, x2=right, y1=f.y(target), y2=f.y(target), class_="target-line"))
    parts.append(text(f"SL target {_pct(target)}", x=right + 6, y=f.y(target) + target_dy, class_="target-text"))
    if cap is not None:
        y = f.y(cap)
        parts.append(el("line", x1=f.left, x2=right, y1=y, y2=y, class_="cap-line"))
        parts.append(text(f"occupancy cap {_pct(cap)}", x=right + 6, y=y + cap_dy, class_="cap-text"))
    n = s.agents_on_phone
    base = f.height - f.bottom
    parts.append(el("line", x1=f.x(n), x2=f.x(n), y1=f.top, y2=base, class_="chosen-line"))
    parts.append(text(f"N = {n}", x=f.x(n) + 5, y=base - 8, class_="chosen-text"))
    sl_path = " ".join(f"{f.x(p['agents']):.1f},{f.y(p['service_level']):.1f}" for p in points)
    occ_path = " ".join(f"{f.x(p['agents']):.1f},{f.y(p['occupancy']):.1f}" for p in points)
    parts.append(el("polyline", points=occ_path, class_="series-occupancy"))
    parts.append(el("polyline", points=sl_path, class_="series-sl"))
    for p in points:
        tip = f"N = {p['agents']}: service level {p['service_level'] * 100:.1f} %, occupancy {p['occupancy'] * 100:.1f} %"
        parts.append(el("circle", title(tip), cx=f.x(p["agents"]), cy=f.y(p["service_level"]),
                        r=4.5 if p["chosen"] else 2.6, class_="point-sl chosen" if p["chosen"] else "point-sl"))
    model = "Erlang A" if s.model == "erlang_a" else "Erlang C"
    legend_y = base - 64
    parts.append(el("line", x1=right + 6, x2=right + 26, y1=legend_y, y2=legend_y, class_="series-sl"))
    parts.append(text("service level", x=right + 30, y=legend_y + 4, class_="legend-text"))
    parts.append(text(f"({model})", x=right + 30, y=legend_y + 18, class_="legend-text"))
    parts.append(el("line", x1=right + 6, x2=right + 26, y1=legend_y + 38, y2=legend_y + 38,
                    class_="series-occupancy"))
    parts.append(text("occupancy", x=right + 30, y=legend_y + 42, class_="legend-text"))
    label = f"Service level within {num(s.target_answer_s)} s against agents on the phones, {num(s.traffic_erlangs)} E offered"
    return svg("".join(parts), f.width, f.height, label, "chart")


def codec_svg(plan: Plan, rows: list[dict[str, Any]]) -> str:
    height = 40 + 24 * len(rows) + 44
    top_kbps = max(r["per_call_kbps"] for r in rows)
    xt = ticks(0, top_kbps * 1.08, 6)
    f = Frame(760, height, 120, 40, 16, 44, 0.0, xt[-1], 0.0, float(len(rows)))
    parts = [axes(f, xt, [], f"kbit/s per call, one direction ({plan.voip.l2}{', SRTP' if plan.voip.srtp else ''})",
                  "", grid_x=True)]
    band = (f.height - f.top - f.bottom) / len(rows)
    for i, r in enumerate(rows):
        y = f.top + i * band + band * 0.18
        width = f.x(r["per_call_kbps"]) - f.left
        cls = "bar site" if r["site"] else "bar"
        tip = f"{r['codec']} at {r['ptime_ms']} ms: {num(r['per_call_kbps'], 4)} kbit/s"
        parts.append(el("rect", title(tip), x=f.left, y=y, width=max(width, 1), height=band * 0.64, class_=cls))
        parts.append(text(f"{r['codec']} ({r['ptime_ms']} ms)", x=f.left - 6, y=y + band * 0.46, class_="tick",
                          text_anchor="end"))
        value = f"{num(r['per_call_kbps'], 4)}" + ("  ← this site" if r["site"] else "")
        parts.append(text(value, x=f.left + width + 5, y=y + band * 0.46, class_="value-text"))
    return svg("".join(parts), f.width, f.height, "Bandwidth per call for each codec", "chart")


def poe_svg(rows: list[dict[str, Any]]) -> str | None:
    if not rows:
        return None
    top = max(max(r["budget_w"], r["poe_w"]) for r in rows) * 1.12 or 1.0
    yt = ticks(0, top, 5)
    width = max(760, 120 + 90 * len(rows))
    f = Frame(width, 290, 64, 24, 20, 46, 0.0, float(len(rows)), 0.0, yt[-1])
    parts = [axes(f, [], yt, "access switch", "PoE power at the ports (W)")]
    slot = (f.width - f.left - f.right) / len(rows)
    for i, r in enumerate(rows):
        x = f.left + i * slot + slot * 0.2
        bw = slot * 0.6
        over = r["poe_w"] > r["budget_w"]
        share = f" ({r['share'] * 100:.0f} % of budget)" if r["share"] is not None else ""
        tip = f"{r['switch']}: {num(r['poe_w'])} W of {num(r['budget_w'])} W{share}"
        parts.append(el("rect", title(tip), x=x, y=f.y(r["poe_w"]), width=bw, height=f.y(0) - f.y(r["poe_w"]),
                        class_="bar over" if over else "bar"))
        yb = f.y(r["budget_w"])
        parts.append(el("line", x1=x - slot * 0.12, x2=x + bw + slot * 0.12, y1=yb, y2=yb, class_="budget-line"))
        parts.append(text(f"{num(r['poe_w'])} W", x=x + bw / 2, y=f.y(r["poe_w"]) - 5, class_="value-text",
                          text_anchor="middle"))
        parts.append(text(r["switch"], x=x + bw / 2, y=f.height - f.bottom + 16, class_="tick", text_anchor="middle"))
    budgets = {r["budget_w"] for r in rows}
    if len(budgets) == 1:
        b = budgets.pop()
        parts.append(text(f"budget {num(b)} W", x=f.width - f.right, y=f.y(b) - 6, class_="target-text",
                          text_anchor="end"))
    return svg("".join(parts), f.width, f.height, "PoE power used per switch against its budget", "chart")
