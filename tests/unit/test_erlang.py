"""Erlang B / C, staffing and trunks against published tables, worked examples and exact arithmetic."""

from __future__ import annotations

import math

import mpmath
import pytest

from ccinfra.errors import SpecError
from ccinfra.sizing.erlang import (
    StaffingResult,
    asa_s,
    erlang_b,
    erlang_c,
    required_agents,
    service_level,
    traffic_erlangs,
)
from ccinfra.sizing.trunking import TrunkResult, required_channels, size_trunks


# --------------------------------------------------------------------------- exact references
def exact_b(traffic, channels, digits=50):
    """Textbook Erlang B: (A^N/N!) / Σ_{k=0..N} A^k/k!, in mpmath at 50 significant digits."""
    with mpmath.workdps(digits):
        a = mpmath.mpf(traffic)
        terms = [a**k / mpmath.factorial(k) for k in range(channels + 1)]
        return terms[-1] / mpmath.fsum(terms)


def exact_c(traffic, agents, digits=50):
    """Textbook Erlang C: (A^N/N!·N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N!·N/(N−A))."""
    with mpmath.workdps(digits):
        a = mpmath.mpf(traffic)
        top = a**agents / mpmath.factorial(agents) * agents / (agents - a)
        return top / (mpmath.fsum(a**k / mpmath.factorial(k) for k in range(agents)) + top)


def exact_sl(traffic, agents, aht, target):
    with mpmath.workdps(50):
        return 1 - exact_c(traffic, agents) * mpmath.exp(-(agents - mpmath.mpf(traffic)) * target / aht)


def carried_at(channels, blocking):
    """Largest traffic with B(N, A) <= blocking, by bisection on erlang_b (a table row's value)."""
    low, high = 0.0, 2.0 * channels + 10
    for _ in range(80):
        middle = (low + high) / 2
        low, high = (middle, high) if erlang_b(middle, channels) <= blocking else (low, middle)
    return low


# --------------------------------------------------------------------------- traffic
@pytest.mark.parametrize(
    "sent, received",
    [
        ({"calls": 100, "aht_s": 180, "interval_s": 1800}, 10.0),  # DESIGN.md known answer
        ({"calls": 360, "aht_s": 240, "interval_s": 1800}, 48.0),  # mitan.co.uk example: 360 calls/30 min, 4 min
        ({"calls": 0, "aht_s": 180, "interval_s": 1800}, 0.0),
    ],
)
def test_traffic_erlangs(sent, received):
    assert traffic_erlangs(**sent) == pytest.approx(received)


# --------------------------------------------------------------------------- Erlang B
def test_known_answer_15_lines_carry_8_108_erlang_at_1_percent():
    # DESIGN.md: 15 lines at 1 % carry 8.108 E.
    assert erlang_b(8.108, 15) == pytest.approx(0.01, abs=5e-6)
    assert round(carried_at(15, 0.01), 3) == 8.108


# The classic Erlang B table (capacity in E at a grade of service, rounded to 2 decimals), e.g.
# the tables in traffic engineering textbooks reproduced by Westbay/erlang.com. Verified here: the
# bisection of erlang_b rounds to the printed value, and the exact series agrees.
@pytest.mark.parametrize(
    "channels, blocking, table_erlangs",
    [
        (5, 0.01, 1.36),
        (10, 0.01, 4.46),
        (10, 0.001, 3.09),
        (10, 0.05, 6.22),
        (20, 0.01, 12.03),
        (30, 0.01, 20.34),
        (50, 0.01, 37.90),
        (100, 0.01, 84.06),
    ],
)
def test_erlang_b_classic_table(channels, blocking, table_erlangs):
    assert round(carried_at(channels, blocking), 2) == table_erlangs
    # the blocking at the printed (rounded) value is within the rounding of the table
    assert float(exact_b(table_erlangs, channels)) == pytest.approx(blocking, rel=0.03)


def test_erlang_b_published_examples():
    # Wolfram Mathematica 9 documentation, "Compute Loss Probabilities for a Queue":
    # 30 lines and 25 E → loss "approximately 0.05".
    assert erlang_b(25, 30) == pytest.approx(0.0526, abs=5e-4)
    # erlang.com (Tom Howard, "Erlang B table in Excel"): 13.5 E needs 22 circuits at P = 0.01
    # and 16 circuits at P = 0.10.
    assert required_channels(13.5, 0.01) == 22
    assert required_channels(13.5, 0.10) == 16


# Peter Dordal (Loyola University Chicago), "Erlang Models": lines needed at 1 % blocking.
@pytest.mark.parametrize("traffic, lines", [(10, 18), (20, 30), (50, 64), (180, 201), (200, 221), (1000, 1029)])
def test_required_channels_dordal_table(traffic, lines):
    assert required_channels(traffic, 0.01) == lines


@pytest.mark.parametrize("traffic, dordal_lines, exact_lines", [(100, 118, 117), (500, 526, 527)])
def test_required_channels_where_dordal_table_is_off_by_one(traffic, dordal_lines, exact_lines):
    # Two rows of the same table disagree with the exact series; the exact series decides.
    assert exact_b(traffic, exact_lines) <= 0.01 < exact_b(traffic, exact_lines - 1)
    assert required_channels(traffic, 0.01) == exact_lines != dordal_lines


@pytest.mark.parametrize(
    "traffic, channels",
    [
        (0.5, 1), (2.0, 5), (10.0, 14), (37.9, 50), (84.06, 100), (250.0, 260),  # N above A: sum + recursion
        (10.0, 8), (50.5, 50), (100.0, 60), (1000.0, 1000), (5000.0, 4900),  # N at or below A: the sum alone
    ],
)
def test_erlang_b_matches_exact_series(traffic, channels):
    assert erlang_b(traffic, channels) == pytest.approx(float(exact_b(traffic, channels)), rel=1e-12)


def test_erlang_b_edges():
    assert erlang_b(5.0, 0) == 1.0  # no line: every call is lost
    assert erlang_b(0.0, 3) == 0.0  # no traffic: nothing is lost


# --------------------------------------------------------------------------- Erlang C
def test_known_answer_design_md():
    # DESIGN.md (Call Centre Helper worked example): A = 10 E (100 calls / 30 min, AHT 180 s),
    # N = 14, T = 20 s → P(wait) 0.174132, SL 0.888350, ASA 7.836 s, occupancy 0.714.
    assert erlang_c(10.0, 14) == pytest.approx(0.174132, abs=5e-7)
    assert service_level(10.0, 14, aht_s=180, target_s=20) == pytest.approx(0.888350, abs=5e-7)
    assert asa_s(10.0, 14, aht_s=180) == pytest.approx(7.836, abs=5e-4)
    result = required_agents(100, interval_s=1800, aht_s=180, target_s=20, service_level_target=0.8)
    assert (result.agents, round(result.occupancy, 3), result.limited_by) == (14, 0.714, "service_level")
    # 13 agents give 0.7645 < 0.8 — so 14 is the minimum
    assert service_level(10.0, 13, 180, 20) < 0.8


def test_mitan_worked_example_inputs_against_exact_series():
    # mitan.co.uk "Erlang-C calculations": 360 calls per half hour, 4 min calls, 55 agents,
    # answer target 15 s → A = 48 E, occupancy 0.873. Values checked against the exact series.
    c = erlang_c(48.0, 55)
    assert c == pytest.approx(float(exact_c(48, 55)), rel=1e-12)
    assert round(c, 4) == 0.2387
    assert service_level(48.0, 55, 240, 15) == pytest.approx(float(exact_sl(48, 55, 240, 15)), rel=1e-12)
    assert asa_s(48.0, 55, 240) == pytest.approx(float(exact_c(48, 55)) * 240 / 7, rel=1e-12)


@pytest.mark.parametrize("traffic, agents", [(0.3, 1), (3.0, 5), (10.0, 11), (18.0, 21), (48.0, 55), (99.5, 100)])
def test_erlang_c_matches_exact_series(traffic, agents):
    assert erlang_c(traffic, agents) == pytest.approx(float(exact_c(traffic, agents)), rel=1e-11)


def test_erlang_c_overloaded_is_certain_wait():
    assert erlang_c(10.0, 10) == 1.0
    assert erlang_c(10.0, 7) == 1.0
    assert service_level(10.0, 10, 180, 20) == 0.0
    assert asa_s(10.0, 9, 180) == math.inf


# --------------------------------------------------------------------------- staffing
def test_occupancy_cap_limits_and_shrinkage_rounds_up():
    # A = 10 E; SL alone needs 14 (occupancy 0.714). A cap of 0.65 needs ceil(10/0.65) = 16;
    # shrinkage 30 % → ceil(16/0.7) = ceil(22.86) = 23 scheduled.
    result = required_agents(100, 1800, 180, 20, 0.8, max_occupancy=0.65, shrinkage=0.3)
    assert (result.agents, result.scheduled_agents, result.limited_by) == (16, 23, "occupancy")
    assert result.occupancy == pytest.approx(10 / 16)
    assert result.service_level == pytest.approx(float(exact_sl(10, 16, 180, 20)), rel=1e-12)


def test_float_noise_does_not_add_an_agent():
    # 14 / (1 − 0.3) is 20.000000000000004 in floating point; 20 scheduled agents, not 21.
    assert required_agents(100, 1800, 180, 20, 0.8, shrinkage=0.3).scheduled_agents == 20
    # A = 8 E at 80 % occupancy is exactly 10 agents (8 / 0.8 = 10.000000000000002 in floats).
    assert required_agents(80, 1800, 180, 20, 0.05, max_occupancy=0.8).agents == 10


def test_staffing_result_to_dict():
    result = required_agents(100, 1800, 180, 20, 0.8)
    data = result.to_dict()
    assert isinstance(result, StaffingResult)
    assert data["model"] == "erlang_c" and data["abandon_probability"] is None
    assert "answered within T" in data["service_level_definition"]
    assert set(data) >= {"traffic_erlangs", "agents", "scheduled_agents", "service_level", "asa_s",
                         "wait_probability", "occupancy", "limited_by"}


@pytest.mark.parametrize("traffic", [1_000, 10_000, 50_000])
def test_large_traffic_is_stable(traffic):
    # 80 % in 20 s at AHT 180 s: a few tens of agents above A (square-root staffing, β ≈ 0.1–0.3).
    result = required_agents(traffic * 10, interval_s=1800, aht_s=180, target_s=20, service_level_target=0.8)
    assert traffic < result.agents < traffic + 3 * math.sqrt(traffic)
    assert result.service_level >= 0.8 and math.isfinite(result.asa_s)
    assert service_level(float(traffic), result.agents - 1, 180, 20) < 0.8
    assert 0 < erlang_b(float(traffic), traffic) < 1 and 0 < erlang_c(float(traffic), result.agents) < 1


def test_large_traffic_matches_exact_series():
    # 1,000 E: recursion vs the factorial series summed in 60-digit arithmetic.
    result = required_agents(10_000, 1800, 180, 20, 0.8)
    assert result.agents == 1011
    assert result.wait_probability == pytest.approx(float(exact_c(1000, 1011, 60)), rel=1e-9)
    assert float(exact_sl(1000, 1010, 180, 20)) < 0.8 <= float(exact_sl(1000, 1011, 180, 20))


# --------------------------------------------------------------------------- trunks
@pytest.mark.parametrize(
    "traffic, blocking, channels, e1, t1_pri, t1_cas",
    [
        (8.108, 0.01, 15, 1, 1, 1),
        (20.3, 0.01, 30, 1, 2, 2),
        (100.0, 0.01, 117, 4, 6, 5),  # 117/30 = 3.9, 117/23 = 5.09, 117/24 = 4.88
    ],
)
def test_size_trunks(traffic, blocking, channels, e1, t1_pri, t1_cas):
    trunks = size_trunks(traffic, blocking)
    assert isinstance(trunks, TrunkResult)
    assert (trunks.channels, trunks.e1_spans, trunks.t1_pri_spans, trunks.t1_cas_spans) == (channels, e1, t1_pri, t1_cas)
    assert trunks.blocking <= blocking < erlang_b(traffic, channels - 1)
    assert trunks.to_dict()["channels"] == channels


def test_required_channels_large_traffic():
    # At 1 % loss a 10,000 E group needs slightly FEWER channels than A (1 % of calls are lost
    # and big groups are efficient); the exact series at 60 digits confirms the boundary.
    channels = required_channels(10_000.0, 0.01)
    assert channels == 9970
    assert exact_b(10_000, 9970, 60) <= 0.01 < exact_b(10_000, 9969, 60)
    assert erlang_b(10_000.0, channels) <= 0.01 < erlang_b(10_000.0, channels - 1)


# --------------------------------------------------------------------------- bad inputs
BAD_INPUTS = [
    (traffic_erlangs, {"calls": -1, "aht_s": 180, "interval_s": 1800}, "calls must be 0 or more"),
    (traffic_erlangs, {"calls": 10, "aht_s": 0, "interval_s": 1800}, "aht_s must be greater than 0"),
    (traffic_erlangs, {"calls": 10, "aht_s": 180, "interval_s": -5}, "interval_s must be greater than 0"),
    (traffic_erlangs, {"calls": float("nan"), "aht_s": 180, "interval_s": 1800}, "calls must be a finite number"),
    (traffic_erlangs, {"calls": "ten", "aht_s": 180, "interval_s": 1800}, "calls must be a finite number"),
    (erlang_b, {"traffic_erlangs": -1.0, "channels": 3}, "traffic_erlangs must be 0 or more"),
    (erlang_b, {"traffic_erlangs": 1.0, "channels": -1}, "channels must be a whole number of at least 0"),
    (erlang_b, {"traffic_erlangs": 1.0, "channels": 2.5}, "channels must be a whole number"),
    (erlang_c, {"traffic_erlangs": 1.0, "agents": 0}, "agents must be a whole number of at least 1"),
    (erlang_c, {"traffic_erlangs": 1.0, "agents": True}, "agents must be a whole number"),
    (service_level, {"traffic_erlangs": 1.0, "agents": 2, "aht_s": 180, "target_s": -1}, "target_s must be 0 or more"),
    (asa_s, {"traffic_erlangs": 1.0, "agents": 2, "aht_s": float("inf")}, "aht_s must be a finite number"),
    (required_agents, {"calls": 0, "interval_s": 1800, "aht_s": 180, "target_s": 20, "service_level_target": 0.8},
     "calls must be greater than 0"),
    (required_agents, {"calls": -3, "interval_s": 1800, "aht_s": 180, "target_s": 20, "service_level_target": 0.8},
     "calls must be greater than 0"),
    (required_agents, {"calls": 100, "interval_s": 1800, "aht_s": 180, "target_s": 20, "service_level_target": 1.2},
     "service_level_target must be between 0 and 1 (exclusive), got 1.2"),
    (required_agents, {"calls": 100, "interval_s": 1800, "aht_s": 180, "target_s": 20, "service_level_target": 1.0},
     "service_level_target must be between 0 and 1 (exclusive)"),
    (required_agents, {"calls": 100, "interval_s": 1800, "aht_s": 180, "target_s": 20, "service_level_target": 0.0},
     "service_level_target must be between 0 and 1 (exclusive)"),
    (required_agents, {"calls": 100, "interval_s": 1800, "aht_s": 180, "target_s": 20, "service_level_target": 0.8,
                       "shrinkage": 1.0}, "shrinkage must be at least 0 and less than 1, got 1.0"),
    (required_agents, {"calls": 100, "interval_s": 1800, "aht_s": 180, "target_s": 20, "service_level_target": 0.8,
                       "shrinkage": -0.1}, "shrinkage must be at least 0 and less than 1"),
    (required_agents, {"calls": 100, "interval_s": 1800, "aht_s": 180, "target_s": 20, "service_level_target": 0.8,
                       "max_occupancy": 0.0}, "max_occupancy must be greater than 0 and at most 1, got 0.0"),
    (required_agents, {"calls": 100, "interval_s": 1800, "aht_s": 180, "target_s": 20, "service_level_target": 0.8,
                       "max_occupancy": 1.1}, "max_occupancy must be greater than 0 and at most 1"),
    (required_agents, {"calls": 100, "interval_s": 1800, "aht_s": 180, "target_s": 20, "service_level_target": 0.8,
                       "patience_s": 0}, "patience_s must be greater than 0"),
    (required_agents, {"calls": 100, "interval_s": 1800, "aht_s": 180, "target_s": -20, "service_level_target": 0.8},
     "target_s must be 0 or more"),
    (required_channels, {"traffic_erlangs": 0, "blocking": 0.01}, "traffic_erlangs must be greater than 0"),
    (required_channels, {"traffic_erlangs": 10, "blocking": 0}, "blocking must be between 0 and 1 (exclusive)"),
    (size_trunks, {"traffic_erlangs": 10, "blocking": 1.5}, "blocking must be between 0 and 1 (exclusive), got 1.5"),
]


@pytest.mark.parametrize("function, kwargs, message", BAD_INPUTS, ids=lambda v: getattr(v, "__name__", None))
def test_bad_inputs_raise_spec_error_naming_the_field(function, kwargs, message):
    with pytest.raises(SpecError) as info:
        function(**kwargs)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
