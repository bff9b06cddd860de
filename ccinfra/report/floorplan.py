"""The floor plan as inline SVG, to scale: room, wall clearance band, desk rows, aisles, barriers, seats.

Each placed seat is exactly one ``<rect class="desk ..." data-seat="A001" data-switch=... data-port=...>``
with a ``<title>`` tooltip naming its switch port, so a test (or an auditor with a browser) can count
the desks and follow each one to its cable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ccinfra.plan import Plan
from ccinfra.report.formatting import num
from ccinfra.report.cost import run_colour, run_legend_svg, telecom_rooms_svg
from ccinfra.report.svg import el, svg, text, title

# Fixed scales (pixels per metre), the largest that keeps the room within MAX_WIDTH_PX.
SCALES_PX_PER_M = (40.0, 30.0, 20.0, 10.0, 5.0, 2.0, 1.0)
MAX_WIDTH_PX = 1000.0
MARGIN = {"left": 46.0, "top": 34.0, "right": 16.0, "bottom": 118.0}
SCALE_BAR_M = (1, 2, 5, 10, 20, 50, 100, 200)
# A colour per access switch (cycled) for the strip on each desk that says which switch its cable runs to.
SWITCH_COLOURS = ("#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")


@dataclass(frozen=True)
class SeatPort:
    """Where a seat's cable lands: the switch and interface of each of its ports (the first powers the phone)."""

    seat: str
    kind: str
    switch: str
    interface: str
    extra_ports: tuple[str, ...] = ()


def seat_ports(plan: Plan) -> dict[str, SeatPort]:
    """Seat id → its switch and port(s), from ``plan.network.switches[].ports``, in seat order.

    A seat with more than one port has labels ``A001``, ``A001-2``...; the first is the phone's.
    """
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for sw in plan.network.switches:
        for port in sw.ports:
            if port.kind == "seat" and port.seat:
                found[port.seat.split("-")[0]].append((sw.name, port.interface))
    out = {}
    for seat in plan.seats.seats:
        ports = found.get(seat.id, [])
        if ports:
            extra = tuple(f"{s} {i}" for s, i in ports[1:])
            out[seat.id] = SeatPort(seat.id, seat.kind, ports[0][0], ports[0][1], extra)
    return out


def pick_scale(width_m: float) -> float:
    """The largest fixed scale (px per metre) that keeps ``width_m`` within MAX_WIDTH_PX.

    >>> pick_scale(24), pick_scale(60), pick_scale(400)
    (40.0, 10.0, 2.0)
    """
    for scale in SCALES_PX_PER_M:
        if width_m * scale <= MAX_WIDTH_PX:
            return scale
    return SCALES_PX_PER_M[-1]


def _scale_bar(scale: float, x: float, y: float) -> str:
    """A bar 1/2/5/10... m long, the first that is at least 150 px at this scale, in two halves."""
    length_m = next((m for m in SCALE_BAR_M if m * scale >= 150), SCALE_BAR_M[-1])
    px = length_m * scale
    parts = [
        el("rect", x=x, y=y, width=px / 2, height=6, class_="scalebar-dark"),
        el("rect", x=x + px / 2, y=y, width=px / 2, height=6, class_="scalebar-light"),
        text("0", x=x, y=y - 4, class_="tick", text_anchor="middle"),
        text(f"{length_m} m", x=x + px, y=y - 4, class_="tick", text_anchor="middle"),
        text(f"scale 1 m = {num(scale)} px", x=x + px + 28, y=y + 6, class_="tick"),
    ]
    return el("g", "".join(parts), class_="scalebar", data_metres=length_m)


def _legend(x: float, y: float) -> str:
    items = [
        (el("rect", x=0, y=-9, width=18, height=12, class_="swatch-agent"), "agent desk"),
        (el("rect", x=0, y=-9, width=18, height=12, class_="swatch-supervisor"), "supervisor desk"),
        (el("line", x1=9, x2=9, y1=-11, y2=5, class_="swatch-barrier"), "noise barrier"),
        (el("rect", x=0, y=-9, width=18, height=12, class_="clearance"), "wall clearance"),
        (el("rect", x=0, y=-9, width=18, height=12, class_="aisle"), "aisle / chair zone"),
    ]
    parts, offset = [], 0.0
    for swatch, label in items:
        parts.append(el("g", swatch + text(label, x=24, y=1, class_="legend-text"), transform=f"translate({x + offset:.1f} {y:.1f})"))
        offset += 34 + 7.2 * len(label)
    return el("g", "".join(parts), class_="legend")


def _switch_legend(plan: Plan, x: float, y: float, max_width: float) -> tuple[str, float]:
    """Which colour is which switch; wraps onto more lines. Returns the SVG and the height it takes."""
    parts, offset, line = [text("cable to:", x=x, y=y + 1, class_="legend-text")], 62.0, 0
    for name, colour in switch_colours(plan).items():
        step = 40 + 7.2 * len(name)
        if offset + step > max_width and offset > 62:
            offset, line = 62.0, line + 1
        top = y + line * 20
        parts.append(el("rect", x=x + offset, y=top - 7, width=18, height=6, fill=colour, class_="switch-strip"))
        parts.append(text(name, x=x + offset + 24, y=top + 1, class_="legend-text"))
        offset += step
    return el("g", "".join(parts), class_="legend switches"), 20.0 * (line + 1)


def _room(w: float, d: float, c: float) -> str:
    inner = f"M{c:.1f} {c:.1f} V{d - c:.1f} H{w - c:.1f} V{c:.1f} Z" if c > 0 and w > 2 * c and d > 2 * c else ""
    band = el("path", d=f"M0 0 H{w:.1f} V{d:.1f} H0 Z {inner}", fill_rule="evenodd", class_="clearance") if inner else ""
    return band + el("rect", x=0, y=0, width=w, height=d, class_="room")


def _aisles(plan: Plan, s: float) -> str:
    f = plan.floor
    rows = max((p.row for p in f.layout), default=0)
    dd = plan.desks.depth_cm / 100
    c, w = f.wall_clearance_m, (f.room_width_m or 0.0)
    parts = []
    for r in range(1, rows + 1):
        top = c + r * dd + (r - 1) * f.aisle_m
        height = min(f.aisle_m, (f.room_depth_m or 0.0) - c - top)
        if height > 0:
            parts.append(el("rect", x=c * s, y=top * s, width=(w - 2 * c) * s, height=height * s, class_="aisle"))
    if parts and rows:
        y = (c + dd + f.aisle_m * 0.72) * s
        parts.append(text(f"aisle {num(f.aisle_m)} m", x=(w - c) * s - 6, y=y, class_="note", text_anchor="end"))
    return "".join(parts)


def switch_colours(plan: Plan) -> dict[str, str]:
    """Switch name → the colour of its strip on the floor plan (cycled through SWITCH_COLOURS)."""
    return {sw.name: SWITCH_COLOURS[i % len(SWITCH_COLOURS)] for i, sw in enumerate(plan.network.switches)}


def _desks(plan: Plan, s: float, ports: dict[str, SeatPort]) -> str:
    dw, dd = plan.desks.width_cm / 100, plan.desks.depth_cm / 100
    font = min(dw * s / 4.4, dd * s * 0.42)
    colours = switch_colours(plan)
    runs = {r.seat: r.link_m for r in plan.cabling.runs} if plan.cabling else {}
    parts = []
    for p in plan.floor.layout:
        x, y = (p.x_m - dw / 2) * s, (p.y_m - dd / 2) * s
        sp = ports.get(p.seat)
        where = f"{sp.switch} {sp.interface}" if sp else "no switch port"
        tip = f"{p.seat} ({p.kind}) — {where}; row {p.row}, desk {p.col}"
        link = runs.get(p.seat)
        tip += f"; cable {link:.2f} m" if link is not None else ""
        parts.append(el("rect", title(tip), x=x, y=y, width=dw * s, height=dd * s, class_=f"desk {p.kind}",
                        data_seat=p.seat, data_switch=sp.switch if sp else None,
                        data_port=sp.interface if sp else None, data_link_m=link,
                        style=f"fill:{run_colour(link)}" if link is not None else None))
        if sp:
            parts.append(el("rect", x=x + 1, y=y + 1, width=dw * s - 2, height=max(dd * s * 0.12, 1.5),
                            fill=colours.get(sp.switch, "#888"), class_="switch-strip"))
        parts.append(el("circle", cx=p.x_m * s, cy=(p.y_m + dd / 2 + 0.32) * s, r=0.2 * s, class_="chair"))
        if font >= 5:
            parts.append(text(p.seat, x=p.x_m * s, y=p.y_m * s + font * 0.36, class_="seat-label",
                              font_size=f"{font:.1f}", text_anchor="middle"))
    return "".join(parts)


def _barriers(plan: Plan, s: float) -> str:
    """A screen between each pair of side-by-side desks in a row (both desks placed)."""
    if not plan.spec.get("floor", {}).get("barrier", True):
        return ""
    dw, dd = plan.desks.width_cm / 100, plan.desks.depth_cm / 100
    placed = {(p.row, p.col): p for p in plan.floor.layout}
    parts = []
    for (row, col), p in sorted(placed.items()):
        if (row, col + 1) in placed:
            x = (p.x_m + dw / 2) * s
            parts.append(el("line", x1=x, x2=x, y1=(p.y_m - dd / 2 - 0.05) * s, y2=(p.y_m + dd / 2 + 0.25) * s,
                            class_="barrier"))
    return "".join(parts)


def floor_plan_svg(plan: Plan) -> str | None:
    """The floor plan SVG, or None when the site gives no room."""
    f = plan.floor
    if f.room_width_m is None or f.room_depth_m is None:
        return None
    s = pick_scale(f.room_width_m)
    w, d = f.room_width_m * s, f.room_depth_m * s
    ports = seat_ports(plan)
    drawing = (_room(w, d, f.wall_clearance_m * s) + _aisles(plan, s) + _desks(plan, s, ports) + _barriers(plan, s)
               + telecom_rooms_svg(plan, s))
    dims = (text(f"{num(f.room_width_m)} m", x=w / 2, y=-10, class_="dimension", text_anchor="middle")
            + text(f"{num(f.room_depth_m)} m", x=-12, y=d / 2, class_="dimension", text_anchor="middle",
                   transform=f"rotate(-90 -12 {d / 2:.1f})"))
    if f.wall_clearance_m > 0:
        dims += text(f"clearance {num(f.wall_clearance_m)} m", x=4, y=f.wall_clearance_m * s - 4, class_="note")
    width = max(w + MARGIN["left"] + MARGIN["right"], 720.0)
    switches, switches_h = _switch_legend(plan, MARGIN["left"], MARGIN["top"] + d + 98,
                                          width - MARGIN["left"] - MARGIN["right"])
    runs_legend, runs_h = run_legend_svg(plan, MARGIN["left"], MARGIN["top"] + d + 98 + switches_h)
    switches += runs_legend
    height = d + MARGIN["top"] + MARGIN["bottom"] + switches_h + runs_h - 20
    body = el("g", drawing + dims, transform=f"translate({MARGIN['left']:.0f} {MARGIN['top']:.0f})")
    body += _scale_bar(s, MARGIN["left"], MARGIN["top"] + d + 34)
    body += _legend(MARGIN["left"], MARGIN["top"] + d + 72) + switches
    label = (f"Floor plan of {plan.site}: {num(f.room_width_m)} × {num(f.room_depth_m)} m, "
             f"{len(f.layout)} desks placed of {plan.seats.total} seats")
    return svg(body, width, height, label, "floorplan")
