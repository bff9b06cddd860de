"""Floor, desks, grounding and network sizing against hand calculations written out here."""

import pytest

from ccinfra.plan import Seat
from ccinfra.sizing.electrical import check_reading, fop_spread_ratio, fop_valid
from ccinfra.sizing.floor import desk_grid, hse_area_per_person_m2, required_area_m2, size_desks, size_floor
from ccinfra.sizing.network import oversubscription, poe_power_w, size_network
from ccinfra.spec import Floor, Network, Reading


def seats(n, supervisors=0):
    return [Seat(id=f"S{i}", kind="supervisor") for i in range(supervisors)] + [
        Seat(id=f"A{i:03d}", kind="agent") for i in range(n - supervisors)
    ]


@pytest.mark.parametrize("sent, received", [
    ({"seats": 100, "m2": 2.3}, 230.0),      # seed rule: 100 × 2.3
    ({"seats": 127, "m2": 2.3}, 292.1),      # 127 × 2.3
    ({"seats": 10, "m2": 4.6}, 46.0),        # UK HSE-equivalent at 2.4 m
])
def test_required_area(sent, received):
    assert required_area_m2(sent["seats"], sent["m2"]) == pytest.approx(received)


@pytest.mark.parametrize("ceiling_m, per_person_m2", [
    (2.4, 11 / 2.4),   # 4.583 m²: the DESIGN.md "4.6 m² at 2.4 m"
    (2.8, 11 / 2.8),   # 3.929 m²
    (4.0, 11 / 3.0),   # height above 3 m is not counted (ACoP L24)
])
def test_hse_area(ceiling_m, per_person_m2):
    assert hse_area_per_person_m2(ceiling_m) == pytest.approx(per_person_m2)


def test_desk_grid_example_room():
    # 24 × 14 m, 1.0 × 0.7 m desks, 1.2 m aisles, 1 m wall band:
    # usable 22 × 12 m → 22 desks a row; rows = floor((12 + 1.2) / (0.7 + 1.2)) = floor(6.947) = 6
    assert desk_grid(24, 14, 1.0, 0.7, 1.2, 1.0) == (6, 22)


def test_desk_grid_room_too_small():
    assert desk_grid(2, 2, 1.0, 0.7, 1.2, 1.0) == (0, 0)


def test_floor_with_room_fits_and_lays_out_every_seat():
    floor = Floor.model_validate({"room": {"width_m": 24, "depth_m": 14, "ceiling_m": 2.8},
                                  "desk": {"width_cm": 100, "depth_cm": 70}})
    plan = size_floor(seats(127, 8), floor)
    assert plan.room_area_m2 == 336
    assert plan.capacity_by_area == 146  # floor(336 / 2.3) = floor(146.09)
    assert plan.desks_fit == 132 and plan.fits
    assert len(plan.layout) == 127
    assert plan.layout[0].kind == "supervisor" and plan.layout[0].row == 1
    # first desk centre: 1.0 m band + half a desk; second row 0.7 + 1.2 = 1.9 m further
    assert (plan.layout[0].x_m, plan.layout[0].y_m) == (1.5, 1.35)
    assert plan.layout[22].y_m == pytest.approx(1.35 + 1.9)
    assert plan.hse_required_area_m2 == pytest.approx(127 * 11 / 2.8, abs=1e-3)


def test_floor_that_does_not_fit():
    floor = Floor.model_validate({"room": {"width_m": 10, "depth_m": 10}})
    plan = size_floor(seats(50), floor)
    assert not plan.fits


def test_desks_barriers_between_row_neighbours():
    floor = Floor.model_validate({"room": {"width_m": 24, "depth_m": 14}, "desk": {"width_cm": 100, "depth_cm": 70}})
    fp = size_floor(seats(30), floor)
    desks = size_desks(30, floor, fp.layout)
    assert desks.barriers == (22 - 1) + (8 - 1)  # two rows of 22 and 8 desks
    small = Floor.model_validate({"desk": {"width_cm": 80, "depth_cm": 60}})
    assert not size_desks(5, small, []).meets_minimum


@pytest.mark.parametrize("triplet, spread, valid", [
    ((0.90, 1.00, 1.08), 0.10, True),    # |0.90 − 1.00| / 1.00 = 10 %: at the limit
    ((0.78, 0.81, 0.85), 0.04 / 0.81, True),
    ((0.95, 1.30, 1.70), 0.40 / 1.30, False),
    ((1.00, 1.00, 1.11), 0.11, False),
])
def test_fall_of_potential_validity(triplet, spread, valid):
    assert fop_spread_ratio(*triplet) == pytest.approx(spread)
    assert fop_valid(*triplet) is valid


def test_reading_verdicts_by_source():
    r = check_reading(Reading(electrode="e1", r52_ohm=3.9, r62_ohm=4.0, r72_ohm=4.1), target_ohm=1.0)
    assert r.valid and not r.meets_target
    assert r.verdicts_by_source["ieee-142"] and r.verdicts_by_source["nec-250.53"]
    assert not r.verdicts_by_source["seed-earth"]


@pytest.mark.parametrize("poe_class, watts", [(0, 15.4), (1, 4.0), (2, 7.0), (3, 15.4), (4, 30.0),
                                              (5, 45.0), (6, 60.0), (7, 75.0), (8, 90.0)])
def test_poe_class_power_ieee(poe_class, watts):
    assert poe_power_w(poe_class) == watts


def test_oversubscription_rule_of_thumb():
    assert oversubscription(48, 1, 2, 1) == 24.0
    assert oversubscription(48, 1, 2, 10) == 2.4


def test_network_ports_poe_and_switch_count():
    net = Network.model_validate({
        "extra_devices": [{"name": "printer", "count": 4}, {"name": "ap", "count": 6, "poe_class": 4}],
        "switch": {"ports": 48, "poe_budget_w": 740},
    })
    plan = size_network("lisbon", seats(127, 8), net, per_call_kbps=95.2, concurrent_calls=100)
    # ports: 127 seats + 10 extras = 137; ×1.1 spare = 150.7 → 151; 151 / 48 → 4 switches
    assert (plan.needed_ports, plan.ports_with_spare, plan.switches_for_ports) == (137, 151, 4)
    # PoE: 127 phones × 7.0 W + 6 APs × 30 W = 1069 W → 2 switches of 740 W
    assert plan.poe_total_w == 1069.0 and plan.switches_for_poe == 2
    assert plan.switch_count == 4
    names = [s.name for s in plan.switches]
    assert names == ["lisbon-as01", "lisbon-as02", "lisbon-as03", "lisbon-as04"]
    assert plan.switches[0].management_ip == "10.0.99.11"
    placed = [p.seat for s in plan.switches for p in s.ports if p.kind == "seat"]
    assert len(placed) == 127 and len(set(placed)) == 127
    assert all(s.poe_w <= s.poe_budget_w for s in plan.switches)
    # worst case per uplink: min(phones behind it, 100 peak calls) × 95.2 kbit/s
    assert [s.voice_kbps_per_direction for s in plan.switches] == pytest.approx(
        [min(s.phones, 100) * 95.2 for s in plan.switches])
    assert plan.switches[0].phones == 35  # 137 ports over 4 switches → 35 a switch, all seats first


def test_poe_drives_switch_count_when_ports_do_not():
    net = Network.model_validate({"phone_poe_class": 4, "switch": {"ports": 48, "poe_budget_w": 370}})
    plan = size_network("x", seats(40), net, 87.2, 10)
    # 40 × 30 W = 1200 W over 370 W → 4 switches although 44 ports fit in one
    assert (plan.switches_for_ports, plan.switches_for_poe, plan.switch_count) == (1, 4, 4)


def test_trunk_traffic_hand_calculation(example_site):
    from ccinfra.sizing.site import size
    from ccinfra.spec import load_spec

    plan = size(load_spec(example_site))
    s, t = plan.staffing, plan.trunks
    # 600 calls × (30 s IVR + ASA + (240 − 60) s talk) / 1800 s
    assert t.traffic_erlangs == pytest.approx(600 * (30 + s.asa_s + 180) / 1800, rel=1e-6)
    assert t.peak_concurrent_calls == t.channels


def test_trunk_traffic_erlang_a_counts_talk_of_answered_calls_only(example_site):
    from ccinfra.sizing.site import size
    from ccinfra.spec import load_spec

    spec = load_spec(example_site)
    spec.demand.forecast.patience_s = 60
    plan = size(spec)
    s = plan.staffing
    assert s.model == "erlang_a" and s.abandon_probability > 0
    expected = 600 * (30 + s.mean_wait_all_s + (1 - s.abandon_probability) * 180) / 1800
    assert plan.trunks.traffic_erlangs == pytest.approx(expected, rel=1e-6)
