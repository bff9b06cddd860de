"""Cabling take-off from the floor plan: one horizontal run per seat, TIA-568 limits, totals and boxes.

Pure functions: no I/O, nothing printed. Sources: tia-568-channel (90 m link, 100 m channel), bicsi-slack
(Manhattan pathway + drops + slack 3 m at the rack and 0.3 m at the outlet), cable-waste (practice).

The floor plan's origin is the room's top-left corner, x along the width and y into the depth; desks
face the top wall (y = 0): their chairs are behind them, so the first row faces that wall.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from ccinfra import standards
from ccinfra.plan import Cabling, CableRun, Check, DeskPosition, FloorPlan, RackPosition
from ccinfra.spec import Floor

Point = tuple[float, float]
# Candidate spacing along the walls for a second telecom room, and the most interior points tried.
WALL_STEP_M = 0.5
MAX_GRID_POINTS = 49 * 49  # an odd side, so the centre is a candidate


def default_telecom_room(width_m: float) -> RackPosition:
    """The middle of the wall the first row faces (the top wall, y = 0).

    >>> default_telecom_room(24.0)
    RackPosition(x_m=12.0, y_m=0.0)
    """
    return RackPosition(x_m=width_m / 2, y_m=0.0)


def pathway_m(rack: Point, desk: Point) -> float:
    """Manhattan distance along the pathways between the rack and a desk outlet.

    >>> pathway_m((12, 0), (1.5, 12.75))
    23.25
    """
    return abs(desk[0] - rack[0]) + abs(desk[1] - rack[1])


def link_m(pathway: float, drop_m: float = standards.CABLE_DROP_M, drops: int = standards.CABLE_DROPS,
           slack_rack_m: float = standards.SLACK_RACK_M, slack_outlet_m: float = standards.SLACK_OUTLET_M) -> float:
    """Permanent link length: pathway + vertical drops + slack at both ends (bicsi-slack).

    23.25 m of pathway + 2 × 2.5 m + 3 m + 0.3 m = 31.55 m:

    >>> round(link_m(23.25), 2)
    31.55
    """
    return pathway + drops * drop_m + slack_rack_m + slack_outlet_m


def boxes_needed(total_m: float, waste: float, box_m: float = standards.CABLE_BOX_M) -> int:
    """305 m boxes for ``total_m`` with the waste allowance (cable-waste, practice).

    4000 m × 1.10 = 4400 m → ceil(4400 / 305) = ceil(14.43) = 15 boxes:

    >>> boxes_needed(4000, 0.10)
    15
    """
    return math.ceil(total_m * (1 + waste) / box_m - 1e-9) if total_m > 0 else 0


def _fixed_m(floor: Floor) -> float:
    return link_m(0.0, floor.cable_drop_m)


def _wall_points(width_m: float, depth_m: float) -> list[Point]:
    steps_w = max(1, round(width_m / WALL_STEP_M))
    steps_d = max(1, round(depth_m / WALL_STEP_M))
    xs = [width_m * i / steps_w for i in range(steps_w + 1)]
    ys = [depth_m * i / steps_d for i in range(steps_d + 1)]
    return [(x, 0.0) for x in xs] + [(x, depth_m) for x in xs] + [(0.0, y) for y in ys] + [(width_m, y) for y in ys]


def _grid_points(width_m: float, depth_m: float) -> list[Point]:
    side = max(2, int(math.sqrt(MAX_GRID_POINTS)))
    return [(width_m * i / (side - 1), depth_m * j / (side - 1)) for i in range(side) for j in range(side)]


def farthest_m(corners: tuple[float, float, float, float], point: Point) -> float:
    """The longest Manhattan distance from ``point`` to a set of desks, in O(1).

    ``corners`` are the set's max of x + y, x − y, −x + y and −x − y: the farthest desk in Manhattan
    distance is always one of those four extremes.

    >>> farthest_m(desk_corners([(1.0, 1.0), (5.0, 2.0)]), (0.0, 0.0))
    7.0
    """
    x, y = point
    return max(corners[0] - x - y, corners[1] - x + y, corners[2] + x - y, corners[3] + x + y)


def desk_corners(points: Sequence[Point]) -> tuple[float, float, float, float]:
    return (max(x + y for x, y in points), max(x - y for x, y in points), max(-x + y for x, y in points),
            max(-x - y for x, y in points))


def second_room(far: Sequence[Point], fixed_m: float, width_m: float, depth_m: float) -> tuple[Point, float]:
    """The position for a second telecom room that minimises the longest link of the seats now over 90 m.

    Positions on the walls are tried first (0.5 m apart), an interior grid only when no wall position
    brings every one of ``far`` (desk centres) within 90 m; among equal answers the one nearest the
    centre of those desks wins. Returns the position and the longest link from it.

    >>> second_room([(1.0, 90.0)], 8.3, 20.0, 100.0)
    ((0.0, 90.0), 9.3)
    """
    corners = desk_corners(far)
    cx, cy = sum(x for x, _ in far) / len(far), sum(y for _, y in far) / len(far)

    def best(points: Iterable[Point]) -> tuple[float, float, Point]:
        return min((round(farthest_m(corners, p) + fixed_m, 6), pathway_m(p, (cx, cy)), p) for p in points)

    found = best(_wall_points(width_m, depth_m))
    if found[0] > standards.TIA_PERMANENT_LINK_M:
        found = min(found, best(_grid_points(width_m, depth_m)))
    return (round(found[2][0], 2), round(found[2][1], 2)), found[0]


def _rack(floor: Floor, plan: FloorPlan) -> tuple[RackPosition, str]:
    if floor.telecom_room is not None:
        return RackPosition(x_m=floor.telecom_room.x_m, y_m=floor.telecom_room.y_m), "given in floor.telecom_room"
    assert plan.room_width_m is not None
    return default_telecom_room(plan.room_width_m), "default: the middle of the wall the first row faces (y = 0)"


def _runs(layout: list[DeskPosition], rack: RackPosition, floor: Floor, cables: int) -> list[CableRun]:
    fixed, cords = _fixed_m(floor), standards.PATCH_CORD_RACK_M + standards.PATCH_CORD_DESK_M
    runs = []
    for desk in layout:
        path = pathway_m((rack.x_m, rack.y_m), (desk.x_m, desk.y_m))
        link = path + fixed
        runs.append(CableRun(seat=desk.seat, pathway_m=round(path, 3), link_m=round(link, 3),
                             channel_m=round(link + cords, 3), cables=cables))
    return runs


def take_off(plan: FloorPlan, floor: Floor, cables_per_seat: int) -> Cabling | None:
    """The cabling take-off of a placed floor plan; None when the site gives no room (nothing to measure)."""
    if plan.room_width_m is None or plan.room_depth_m is None or not plan.layout:
        return None
    rack, basis = _rack(floor, plan)
    runs = _runs(plan.layout, rack, floor, cables_per_seat)
    total = round(sum(r.link_m * r.cables for r in runs), 3)
    longest = max(runs, key=lambda r: r.link_m)
    over_link = [r.seat for r in runs if r.link_m > standards.TIA_PERMANENT_LINK_M + 1e-9]
    over_channel = [r.seat for r in runs if r.channel_m > standards.TIA_CHANNEL_M + 1e-9]
    cabling = Cabling(
        telecom_room=rack, telecom_room_basis=basis, drop_m=floor.cable_drop_m, drops=standards.CABLE_DROPS,
        slack_rack_m=standards.SLACK_RACK_M, slack_outlet_m=standards.SLACK_OUTLET_M,
        cords_m=standards.PATCH_CORD_RACK_M + standards.PATCH_CORD_DESK_M, cable_category=floor.cable_category,
        cables_per_seat=cables_per_seat, runs=runs, cables=len(runs) * cables_per_seat, total_m=total,
        metres_by_category={floor.cable_category: total}, waste=floor.cable_waste,
        total_with_waste_m=round(total * (1 + floor.cable_waste), 3), box_m=standards.CABLE_BOX_M,
        boxes=boxes_needed(total, floor.cable_waste), longest_m=longest.link_m, longest_seat=longest.seat,
        mean_m=round(sum(r.link_m for r in runs) / len(runs), 3), link_limit_m=standards.TIA_PERMANENT_LINK_M,
        channel_limit_m=standards.TIA_CHANNEL_M, seats_over_link=over_link, seats_over_channel=over_channel,
        sources=["tia-568-channel", "bicsi-slack", "cable-waste"],
    )
    if over_link:
        _suggest_second_room(cabling, plan, floor)
    return cabling


def _suggest_second_room(cabling: Cabling, plan: FloorPlan, floor: Floor) -> None:
    by_seat = {d.seat: d for d in plan.layout}
    far = [(by_seat[seat].x_m, by_seat[seat].y_m) for seat in cabling.seats_over_link]
    assert plan.room_width_m is not None and plan.room_depth_m is not None
    (x, y), _ = second_room(far, _fixed_m(floor), plan.room_width_m, plan.room_depth_m)
    # each of those seats is cabled from whichever room is nearer
    runs = {r.seat: r.link_m for r in cabling.runs}
    longest = max(min(runs[seat], pathway_m((x, y), desk) + _fixed_m(floor))
                  for seat, desk in zip(cabling.seats_over_link, far))
    cabling.second_room = RackPosition(x_m=x, y_m=y)
    cabling.second_room_longest_m = round(longest, 3)
    if longest <= standards.TIA_PERMANENT_LINK_M:
        cabling.second_room_note = (f"a second telecom room at ({x:g}, {y:g}) m serves the {len(far)} seats over "
                                    f"90 m; their longest link becomes {longest:.2f} m")
    else:
        cabling.second_room_note = (f"no single second telecom room brings every run within 90 m (best: ({x:g}, "
                                    f"{y:g}) m, longest {longest:.2f} m); plan more telecom rooms")


def cabling_checks(cabling: Cabling | None) -> list[Check]:
    """A FAIL per seat whose permanent link is over 90 m or channel over 100 m (TIA-568); else one PASS each."""
    if cabling is None:
        return []
    checks = []
    limits = (("link", "Permanent link", cabling.seats_over_link, cabling.link_limit_m, "link_m"),
              ("channel", "Channel (link + cords)", cabling.seats_over_channel, cabling.channel_limit_m, "channel_m"))
    runs = {r.seat: r for r in cabling.runs}
    for key, label, over, limit, attr in limits:
        hint = f"; {cabling.second_room_note}" if cabling.second_room_note else ""
        for seat in over:
            checks.append(Check(id=f"cabling.{key}.{seat}", title=f"{label} of seat {seat} within {limit:g} m",
                                status="fail", measured=f"{seat}: {getattr(runs[seat], attr):.2f} m",
                                limit=f"<= {limit:g} m", source="tia-568-channel",
                                detail=f"from the telecom room at ({cabling.telecom_room.x_m:g}, "
                                       f"{cabling.telecom_room.y_m:g}) m{hint}"))
        if not over:
            longest = max(getattr(r, attr) for r in cabling.runs)
            checks.append(Check(id=f"cabling.{key}", title=f"{label} of every seat within {limit:g} m",
                                status="pass", measured=f"longest {longest:.2f} m ({cabling.longest_seat})",
                                limit=f"<= {limit:g} m", source="tia-568-channel"))
    return checks
