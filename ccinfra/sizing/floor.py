"""Floor space, desk grid and desks. Pure functions: no I/O, nothing printed.

Sources: seed-floor (2.3 m² per agent), seed-desk (90 × 60 cm, barrier), uk-hse-volume (11 m³ per person).
"""

from __future__ import annotations

import math

from ccinfra import standards
from ccinfra.plan import DeskPlan, DeskPosition, FloorPlan, Seat
from ccinfra.spec import Floor


def required_area_m2(seats: int, area_per_agent_m2: float = standards.FLOOR_AREA_PER_AGENT_M2) -> float:
    """Floor area for ``seats`` at the per-agent rule (seed: 2.3 m² incl. circulation and equipment).

    >>> round(required_area_m2(100), 1)
    230.0
    """
    return seats * area_per_agent_m2


def hse_area_per_person_m2(ceiling_m: float) -> float:
    """Floor area per person that the UK 11 m³ rule asks for; ceiling counted up to 3 m (ACoP L24).

    >>> round(hse_area_per_person_m2(2.4), 2)
    4.58
    """
    counted = min(ceiling_m, standards.HSE_MAX_COUNTED_CEILING_M)
    return standards.HSE_VOLUME_PER_PERSON_M3 / counted


def desk_grid(width_m: float, depth_m: float, desk_width_m: float, desk_depth_m: float,
              aisle_m: float, wall_clearance_m: float) -> tuple[int, int]:
    """(rows, desks per row) for rows of side-by-side desks running along the width.

    Each row takes the desk depth plus one aisle (chair zone and walkway); a free band runs along
    every wall. A 20 × 10 m room, 1.2 × 0.8 m desks, 1.2 m aisles, 1 m clearance:
    (10 − 2) // (0.8 + 1.2) = 4 rows, (20 − 2) // 1.2 = 15 desks a row.

    >>> desk_grid(20, 10, 1.2, 0.8, 1.2, 1.0)
    (4, 15)
    """
    usable_w = width_m - 2 * wall_clearance_m
    usable_d = depth_m - 2 * wall_clearance_m
    if usable_w < desk_width_m or usable_d < desk_depth_m:
        return (0, 0)
    per_row = int(math.floor(usable_w / desk_width_m + 1e-9))
    # the last row needs no aisle behind it if it is against the clearance band
    rows = int(math.floor((usable_d + aisle_m) / (desk_depth_m + aisle_m) + 1e-9))
    return (rows, per_row)


def layout_desks(seats: list[Seat], rows: int, per_row: int, desk_width_m: float, desk_depth_m: float,
                 aisle_m: float, wall_clearance_m: float) -> list[DeskPosition]:
    """Place seats row by row (seat order: supervisors first, at the front); centres in metres from the top-left."""
    layout = []
    for index, seat in enumerate(seats[: rows * per_row]):
        row, col = divmod(index, per_row)
        layout.append(
            DeskPosition(
                seat=seat.id,
                kind=seat.kind,
                row=row + 1,
                col=col + 1,
                x_m=round(wall_clearance_m + col * desk_width_m + desk_width_m / 2, 3),
                y_m=round(wall_clearance_m + row * (desk_depth_m + aisle_m) + desk_depth_m / 2, 3),
            )
        )
    return layout


def size_floor(seats: list[Seat], floor: Floor) -> FloorPlan:
    """Area at the per-agent rule and, with a room, the desk grid, fit and the HSE volume comparison."""
    count = len(seats)
    plan = FloorPlan(
        area_per_agent_m2=floor.area_per_agent_m2,
        required_area_m2=round(required_area_m2(count, floor.area_per_agent_m2), 3),
        aisle_m=floor.aisle_m,
        wall_clearance_m=floor.wall_clearance_m,
        sources=["seed-floor", "uk-hse-volume"],
    )
    if floor.room is None:
        return plan
    room = floor.room
    desk_w, desk_d = floor.desk.width_cm / 100, floor.desk.depth_cm / 100
    rows, per_row = desk_grid(room.width_m, room.depth_m, desk_w, desk_d, floor.aisle_m, floor.wall_clearance_m)
    area = room.width_m * room.depth_m
    capacity = int(math.floor(area / floor.area_per_agent_m2 + 1e-9))
    hse_pp = hse_area_per_person_m2(room.ceiling_m)
    plan.room_width_m, plan.room_depth_m, plan.ceiling_m = room.width_m, room.depth_m, room.ceiling_m
    plan.room_area_m2 = round(area, 3)
    plan.capacity_by_area = capacity
    plan.rows, plan.desks_per_row, plan.desks_fit = rows, per_row, rows * per_row
    plan.fits = count <= min(capacity, rows * per_row)
    plan.remaining_area_m2 = round(area - plan.required_area_m2, 3)
    plan.hse_area_per_person_m2 = round(hse_pp, 3)
    plan.hse_required_area_m2 = round(hse_pp * count, 3)
    plan.layout = layout_desks(seats, rows, per_row, desk_w, desk_d, floor.aisle_m, floor.wall_clearance_m)
    return plan


def size_desks(count: int, floor: Floor, layout: list[DeskPosition]) -> DeskPlan:
    """Desks: one per seat, size against the seed minimum, one barrier between each pair of row neighbours."""
    if layout:
        per_row: dict[int, int] = {}
        for desk in layout:
            per_row[desk.row] = per_row.get(desk.row, 0) + 1
        unplaced = count - len(layout)
        neighbours = sum(n - 1 for n in per_row.values()) + max(unplaced - 1, 0)
    else:
        neighbours = max(count - 1, 0)  # no room given: every desk has a neighbour in one line (upper bound)
    return DeskPlan(
        count=count,
        width_cm=floor.desk.width_cm,
        depth_cm=floor.desk.depth_cm,
        min_width_cm=standards.DESK_MIN_WIDTH_CM,
        min_depth_cm=standards.DESK_MIN_DEPTH_CM,
        meets_minimum=floor.desk.width_cm >= standards.DESK_MIN_WIDTH_CM
        and floor.desk.depth_cm >= standards.DESK_MIN_DEPTH_CM,
        barriers=neighbours if floor.barrier else 0,
        sources=["seed-desk"],
    )
