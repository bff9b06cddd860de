"""Cabling take-off against runs computed by hand here (TIA-568 limits, BICSI slack, 305 m boxes)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccinfra.errors import SpecError
from ccinfra.sizing.cabling import boxes_needed, desk_corners, farthest_m, second_room
from ccinfra.sizing.site import size
from ccinfra.spec import load_spec, parse_spec

# Per cable, on top of the pathway: two 2.5 m drops + 3 m slack at the rack + 0.3 m at the outlet = 8.3 m.
FIXED_M = 2 * 2.5 + 3 + 0.3


def test_example_site_far_corner_seat(example_site):
    plan = size(load_spec(example_site))
    c = plan.cabling
    # 24 × 14 m room: telecom room at the middle of the wall the first row faces, (12, 0).
    assert (c.telecom_room.x_m, c.telecom_room.y_m) == (12.0, 0.0)
    # 127 seats, 22 a row: the last row (6) holds 17 desks; its first desk (col 1) is the far corner seat.
    # centre x = 1 m band + 0.5 m = 1.5; y = 1 + 0.35 + 5 × (0.7 + 1.2) = 10.85.
    # pathway |12 − 1.5| + |0 − 10.85| = 10.5 + 10.85 = 21.35 m; link 21.35 + 8.3 = 29.65 m.
    far = next(p for p in plan.floor.layout if p.row == 6 and p.col == 1)
    assert (far.x_m, far.y_m) == (1.5, 10.85)
    run = next(r for r in c.runs if r.seat == far.seat)
    assert run.pathway_m == pytest.approx(21.35)
    assert run.link_m == pytest.approx(29.65)
    assert run.channel_m == pytest.approx(29.65 + 5.0)  # 2 m rack cord + 3 m desk cord
    assert c.longest_m == pytest.approx(29.65) and c.longest_seat == far.seat
    # the seat right under the rack: row 1, col 11 or 12 (x = 11.5 / 12.5), y = 1.35 → 0.5 + 1.35 + 8.3
    assert min(r.link_m for r in c.runs) == pytest.approx(10.15)
    assert c.cables == 127 and len(c.runs) == 127
    assert c.total_m == pytest.approx(sum(r.link_m for r in c.runs))
    assert c.boxes == math.ceil(c.total_m * 1.10 / 305)
    assert c.seats_over_link == [] and c.second_room is None
    ids = {ch.id: ch.status for ch in plan.checks if ch.id.startswith("cabling")}
    assert ids == {"cabling.link": "pass", "cabling.channel": "pass"}


def long_row_site(**floor):
    # 118 agents in one row of a 120 × 10 m room; rack given at the top-left corner (0, 0).
    # seat in column c: x = 1 + (c − 1) + 0.5 = c + 0.5, y = 1.35 → pathway c + 1.85, link c + 10.15 m.
    return parse_spec({
        "name": "longrow",
        "demand": {"agents": 118, "supervisors": {"count": 0}},
        "floor": {"room": {"width_m": 120, "depth_m": 10}, "desk": {"width_cm": 100, "depth_cm": 70},
                  "telecom_room": {"x_m": 0, "y_m": 0}, **floor},
    })


def test_runs_over_90_m_fail_by_seat_and_a_second_room_is_suggested():
    plan = size(long_row_site())
    c = plan.cabling
    # link > 90 m when c + 10.15 > 90 → c ≥ 80: seats A080..A118 (39 seats)
    assert c.seats_over_link == [f"A{i:03d}" for i in range(80, 119)]
    # channel = link + 5 > 100 when c ≥ 85: A085..A118 (34 seats)
    assert c.seats_over_channel == [f"A{i:03d}" for i in range(85, 119)]
    assert c.longest_seat == "A118" and c.longest_m == pytest.approx(128.15)
    fails = {ch.id: ch for ch in plan.checks if ch.status == "fail" and ch.id.startswith("cabling")}
    assert len(fails) == 39 + 34
    check = fails["cabling.link.A080"]
    assert check.measured == "A080: 90.15 m" and check.limit == "<= 90 m" and check.source == "tia-568-channel"
    assert fails["cabling.channel.A118"].measured == "A118: 133.15 m"
    # The far seats lie at x = 80.5 … 118.5, y = 1.35. On the top wall the point halfway, x = 99.5, makes
    # the longest pathway 19 + 1.35 = 20.35 m → link 28.65 m; any other x lengthens one end.
    assert (c.second_room.x_m, c.second_room.y_m) == (99.5, 0.0)
    assert c.second_room_longest_m == pytest.approx(28.65)
    assert "second telecom room at (99.5, 0)" in c.second_room_note
    assert "cabling.link" not in {ch.id for ch in plan.checks}


def test_drop_and_waste_are_spec_keys():
    plan = size(long_row_site(cable_drop_m=3.0, cable_waste=0.2))
    run = plan.cabling.runs[0]  # column 1: pathway 2.85 m; link 2.85 + 2 × 3 + 3.3 = 12.15 m
    assert run.link_m == pytest.approx(12.15)
    total = sum(c + 1.85 + 2 * 3.0 + 3.3 for c in range(1, 119))
    assert plan.cabling.total_m == pytest.approx(total)
    assert plan.cabling.boxes == math.ceil(total * 1.2 / 305)


@pytest.mark.parametrize("total_m, waste, boxes", [
    (4000, 0.10, 15),    # 4400 / 305 = 14.43 → 15
    (305, 0.0, 1),       # exactly one box
    (277.27, 0.10, 1),   # 304.997 m → 1
    (278, 0.10, 2),      # 305.8 m → 2
    (0, 0.10, 0),
])
def test_boxes(total_m, waste, boxes):
    assert boxes_needed(total_m, waste) == boxes


def test_second_room_tries_the_interior_when_no_wall_point_suffices():
    # one far seat in the middle of a 400 × 400 m room: every wall point is ≥ 200 m away
    pos, longest = second_room([(200.0, 200.0)], FIXED_M, 400.0, 400.0)
    assert longest < 90 and pos == (200.0, 200.0)


def test_no_room_no_take_off():
    plan = size(parse_spec({"name": "x", "demand": {"agents": 10}}))
    assert plan.cabling is None
    assert not [c for c in plan.checks if c.id.startswith("cabling")]


def test_telecom_room_outside_the_room_is_one_line_error():
    with pytest.raises(SpecError, match=r"floor.*telecom_room.*outside the 120 × 10 m room"):
        parse_spec({"name": "x", "demand": {"agents": 10},
                    "floor": {"room": {"width_m": 120, "depth_m": 10}, "telecom_room": {"x_m": 5, "y_m": 11}}})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 300), st.floats(0, 300)), min_size=1, max_size=30),
       st.tuples(st.floats(0, 300), st.floats(0, 300)))
def test_farthest_desk_from_the_four_extremes_equals_brute_force(desks, point):
    brute = max(abs(x - point[0]) + abs(y - point[1]) for x, y in desks)
    assert farthest_m(desk_corners(desks), point) == pytest.approx(brute, abs=1e-9)
