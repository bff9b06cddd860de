"""The report's Cabling and Cost sections: tables and hand-written SVG charts from the plan and a price book.

Nothing is sized or priced here: the cabling comes from ``plan.cabling``, the BOM and the cost from
``ccinfra.cost`` (pure functions of the plan and the price book). Charts: a stacked bar of the monthly
cost by category, and the in-house cost per productive hour against the regional rate bands.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ccinfra import standards
from ccinfra.cost.bom import build_bom, money_text
from ccinfra.cost.formats import cost_document
from ccinfra.cost.model import MONTHLY_KEYS, Cost, cost
from ccinfra.cost.pricebook import PriceBook
from ccinfra.cost.rates import load_rates
from ccinfra.plan import Plan
from ccinfra.report.formatting import num
from ccinfra.report.formulas import Result
from ccinfra.report.svg import Frame, axes, el, svg, text, ticks, title

COST_COLOURS = {"capex": "#1f77b4", "labour": "#2ca02c", "rent": "#ff7f0e", "telecom": "#9467bd", "power": "#d62728"}
# Run-length bands for the floor plan (metres of permanent link): comfortable, over 80 m, over the 90 m limit.
RUN_BANDS = ((60.0, "#c7e9c0", "≤ 60 m"), (standards.RUN_WARN_M, "#fdd49e", "60–80 m"),
             (standards.TIA_PERMANENT_LINK_M, "#fc8d59", "80–90 m"), (float("inf"), "#d7301f", "> 90 m (fails)"))


def run_colour(link_m: float) -> str:
    """The fill of a desk by its link length.

    >>> run_colour(30.0), run_colour(85.0), run_colour(95.0)
    ('#c7e9c0', '#fc8d59', '#d7301f')
    """
    return next(colour for limit, colour, _ in RUN_BANDS if link_m <= limit)


def cabling_section(plan: Plan) -> dict[str, Any] | None:
    """Take-off totals and the seats whose link is over 80 m (the report's cabling table)."""
    c = plan.cabling
    if c is None:
        return None
    long_runs = sorted((r for r in c.runs if r.link_m > standards.RUN_WARN_M), key=lambda r: -r.link_m)
    return {
        "telecom_room": f"({num(c.telecom_room.x_m)}, {num(c.telecom_room.y_m)}) m", "basis": c.telecom_room_basis,
        "per_run": f"pathway (Manhattan) + {c.drops} × {num(c.drop_m)} m drops + {num(c.slack_rack_m)} m slack at the "
                   f"rack + {num(c.slack_outlet_m)} m at the outlet; channel adds {num(c.cords_m)} m of cords",
        "cables": c.cables, "total_m": num(c.total_m), "with_waste_m": num(c.total_with_waste_m),
        "waste": f"{c.waste:.0%}", "boxes": c.boxes, "box_m": num(c.box_m), "longest_m": num(c.longest_m),
        "longest_seat": c.longest_seat, "mean_m": num(c.mean_m), "category": c.cable_category,
        "over_link": len(c.seats_over_link), "over_channel": len(c.seats_over_channel),
        "second_room": c.second_room_note, "warn_m": num(standards.RUN_WARN_M),
        "long_runs": [{"seat": r.seat, "pathway_m": num(r.pathway_m), "link_m": num(r.link_m),
                       "channel_m": num(r.channel_m), "status": "fail" if r.link_m > c.link_limit_m else "warn"}
                      for r in long_runs],
    }


def _bom_rows(bom_dict: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**i, "unit_price": i["unit_price"] or "unpriced", "total": i["total"] or "—"} for i in bom_dict["items"]]


def cost_section(plan: Plan, prices: PriceBook | None) -> dict[str, Any]:
    """BOM table (quantities, priced when a price book is given), cost lines, and the two charts."""
    if prices is None:
        bom = build_bom(plan).to_dict()
        return {"priced": False, "bom": _bom_rows(bom), "bom_total": None, "notes": bom["notes"], "label": "",
                "currency": None}
    result = cost(plan, prices, load_rates() if prices.usd_rate is not None else [])
    doc = cost_document(result)
    return {"priced": True, "bom": _bom_rows(doc["bom"]), "bom_total": doc["bom"]["priced_total"],
            "currency": result.currency, "label": result.label, "cost": doc["cost"],
            "notes": doc["bom"]["notes"] + doc["cost"]["notes"],
            "monthly_svg": monthly_svg(result), "rates_svg": rates_svg(result) if result.outsourcing else None,
            "json": doc}


def monthly_svg(c: Cost) -> str:
    """One horizontal bar of the monthly total, stacked by category, with a legend of amounts and shares."""
    total = c.monthly["total"] or Decimal(1)
    f = Frame(760, 190, 24, 24, 30, 110, 0.0, float(total), 0.0, 1.0)
    parts = [text(f"{money_text(c.monthly['total'])} {c.currency} a month", x=f.left, y=20, class_="value-text")]
    x = f.left
    for i, key in enumerate(MONTHLY_KEYS):
        amount = c.monthly[key]
        width = f.x(float(amount)) - f.left
        share = float(amount / total)
        tip = f"{key}: {money_text(amount)} {c.currency} ({share:.1%})"
        parts.append(el("rect", title(tip), x=x, y=f.top, width=max(width, 0.5), height=48, fill=COST_COLOURS[key],
                        class_="cost-segment", data_category=key, data_amount=money_text(amount)))
        x += width
        lx, ly = f.left + (i % 3) * 240, f.top + 78 + (i // 3) * 22
        parts.append(el("rect", x=lx, y=ly - 10, width=14, height=12, fill=COST_COLOURS[key]))
        parts.append(text(f"{key} {money_text(amount)} ({share:.1%})", x=lx + 20, y=ly, class_="legend-text"))
    return svg("".join(parts), f.width, f.height, f"Monthly cost by category, {c.currency}", "chart")


def rates_svg(c: Cost) -> str:
    """Each region's rate band (low–high, open top drawn to the axis end) against the in-house cost lines."""
    rows = c.outsourcing
    in_house, break_even = float(c.per_productive_hour), float(c.break_even_rate)
    top = max([in_house, break_even] + [float(r["rate_high"] or r["rate_low"]) for r in rows]) * 1.15
    xt = ticks(0, top, 6)
    f = Frame(760, 60 + 26 * len(rows) + 60, 150, 30, 34, 60, 0.0, xt[-1], 0.0, float(len(rows)))
    parts = [axes(f, xt, [], f"{c.currency} per hour", "", grid_x=True)]
    band = (f.height - f.top - f.bottom) / len(rows)
    for i, r in enumerate(rows):
        y = f.top + i * band + band * 0.2
        low, high = float(r["rate_low"]), float(r["rate_high"]) if r["rate_high"] else xt[-1]
        shown = f"{r['rate_low']}–{r['rate_high'] or 'open'}"
        parts.append(el("rect", title(f"{r['region']}: {shown} {c.currency} per paid agent hour"), x=f.x(low), y=y,
                        width=max(f.x(high) - f.x(low), 2), height=band * 0.6,
                        class_="rate-band open" if not r["rate_high"] else "rate-band", data_region=r["id"]))
        parts.append(text(r["region"], x=f.left - 6, y=y + band * 0.45, class_="tick", text_anchor="end"))
    base = f.height - f.bottom
    for value, cls, label, dy in ((in_house, "in-house-line", f"in-house per productive hour {c.per_productive_hour}", -18),
                                  (break_even, "break-even-line", f"break-even (per paid hour) {c.break_even_rate}", -6)):
        parts.append(el("line", x1=f.x(value), x2=f.x(value), y1=f.top - 4, y2=base, class_=cls))
        parts.append(text(label, x=f.x(value) + 4, y=f.top + dy + 2, class_=f"{cls}-text"))
    label = f"In-house cost per productive hour against outsourcing rate bands, {c.currency} per hour"
    return svg("".join(parts), f.width, f.height, label, "chart")


def telecom_rooms_svg(plan: Plan, scale: float) -> str:
    """The telecom room (a filled square) and, when runs exceed 90 m, the suggested second one (dashed)."""
    c = plan.cabling
    if c is None:
        return ""
    size = max(0.8 * scale, 8.0)
    parts = []
    rooms = [(c.telecom_room, "telecom-room", f"telecom room (rack) at {c.telecom_room_basis}", "TR")]
    if c.second_room is not None:
        rooms.append((c.second_room, "telecom-room suggested", c.second_room_note, "TR2?"))
    for pos, cls, tip, label in rooms:
        # the square is drawn inside the room, against the wall it stands at
        room_w, room_d = (plan.floor.room_width_m or 0) * scale, (plan.floor.room_depth_m or 0) * scale
        x = min(max(pos.x_m * scale - size / 2, 0.0), room_w - size)
        y = min(max(pos.y_m * scale - size / 2, 0.0), room_d - size)
        parts.append(el("rect", title(f"{label}: ({num(pos.x_m)}, {num(pos.y_m)}) m — {tip}"), x=x, y=y, width=size,
                        height=size, class_=cls, data_x_m=pos.x_m, data_y_m=pos.y_m))
        parts.append(text(label, x=x + size + 3, y=y + size - 2, class_="note"))
    return "".join(parts)


def run_legend_svg(plan: Plan, x: float, y: float) -> tuple[str, float]:
    """The desk colours by cable length (only with a take-off). Returns the SVG and the height it takes."""
    if plan.cabling is None:
        return "", 0.0
    parts, offset = [text("cable run:", x=x, y=y + 1, class_="legend-text")], 72.0
    for _, colour, label in RUN_BANDS:
        parts.append(el("rect", x=x + offset, y=y - 9, width=18, height=12, fill=colour, stroke="#2f5d8a"))
        parts.append(text(label, x=x + offset + 24, y=y + 1, class_="legend-text"))
        offset += 40 + 7.2 * len(label)
    parts.append(text("■ TR telecom room", x=x + offset, y=y + 1, class_="legend-text"))
    return el("g", "".join(parts), class_="legend runs"), 22.0


def cabling_results(plan: Plan) -> list[Result]:
    """The take-off's figures with their formulas and numbers (the report's Results table)."""
    c = plan.cabling
    if c is None:
        return []
    longest = next(r for r in c.runs if r.seat == c.longest_seat)
    fixed = f"{c.drops} × {num(c.drop_m)} + {num(c.slack_rack_m)} + {num(c.slack_outlet_m)}"
    src = ("bicsi-slack", "tia-568-channel")
    return [
        Result("cabling.longest", "Cabling", "Longest permanent link",
               "link = |x − x_TR| + |y − y_TR| + drops + slack (rack, outlet)",
               f"{c.longest_seat}: {num(longest.pathway_m)} m + {fixed} m", f"{num(c.longest_m)} m", src),
        Result("cabling.mean", "Cabling", "Mean permanent link", "Σ links / seats",
               f"{num(round(sum(r.link_m for r in c.runs), 3))} m / {len(c.runs)}", f"{num(c.mean_m)} m", src),
        Result("cabling.total", "Cabling", f"Cable ({c.cable_category})", "Σ links × cables per seat",
               f"{len(c.runs)} runs × {c.cables_per_seat}", f"{num(c.total_m)} m", src),
        Result("cabling.boxes", "Cabling", "305 m boxes", "⌈total × (1 + waste) / 305⌉",
               f"⌈{num(c.total_m)} × {1 + c.waste:g} / {num(c.box_m)}⌉", f"{c.boxes} boxes", ("cable-waste",),
               "the waste allowance is installer practice, not a standard"),
    ]


def cost_results(section: dict[str, Any]) -> list[Result]:
    """Each monthly cost line and the break-even rate, with the price book and the seed rates as sources."""
    if not section.get("priced"):
        return []
    c = section["cost"]
    out = [Result(f"cost.{line['id']}", "Cost", line["title"], line["formula"], line["work"],
                  f"{line['amount']} {c['currency']}", ("price-book",)) for line in c["lines"]]
    out.append(Result("cost.per_productive_hour", "Cost", "In-house cost per productive hour",
                      "monthly total / (paid agent hours × (1 − shrinkage))",
                      f"{c['monthly']['total']} / ({c['paid_hours']} × (1 − {c['shrinkage']:g}))",
                      f"{c['per_productive_hour']} {c['currency']}", ("price-book",)))
    if c["outsourcing"]:
        out.append(Result("cost.break_even_rate", "Cost", "Break-even outsourcing rate",
                          "monthly total / paid agent hours", f"{c['monthly']['total']} / {c['paid_hours']}",
                          f"{c['break_even_rate']} {c['currency']} per hour", ("price-book", "seed-rates")))
    return out


def cost_answers(plan: Plan, section: dict[str, Any]) -> list[dict[str, str]]:
    """Key answers for the summary: the longest cable run and, when priced, the monthly cost."""
    answers = []
    c = plan.cabling
    if c is not None:
        over = f"; {len(c.seats_over_link)} seats over 90 m" if c.seats_over_link else ""
        answers.append({"label": "Longest cable run", "value": f"{num(c.longest_m)} m",
                        "note": f"{c.longest_seat}; {c.boxes} boxes of {num(c.box_m)} m{over}"})
    if section.get("priced"):
        k = section["cost"]
        answers.append({"label": "Monthly cost", "value": f"{k['monthly']['total']} {k['currency']}",
                        "note": f"capex {k['capex_total']}; {k['per_productive_hour']} per productive hour; "
                                f"break-even rate {k['break_even_rate']}"})
    return answers
