"""The week-at-once staffing (erlang_batch, demand.queue_intervals) against the single-interval engine (hypothesis).

The scalar engine (``demand.interval_need`` → ``erlang.required_agents`` + the extra-target steps) is the
reference: every interval must get the same agents and the same limited_by, and the same achieved figures
(to 1e-9: array sums and loop sums round differently in the last bits).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ccinfra.sizing import demand as dm
from ccinfra.sizing import erlang, erlang_batch
from ccinfra.spec_demand import ChatQueue, VoiceQueue

INTERVAL_S = 1800.0
FIGURES = ("service_level", "asa_s", "abandon_probability", "occupancy", "mean_wait_all_s", "traffic_erlangs")

volume = st.one_of(
    st.just(0.0),
    st.floats(min_value=0.001, max_value=2.0),  # tiny traffic: well under one Erlang
    st.floats(min_value=2.0, max_value=600.0),
    st.floats(min_value=600.0, max_value=40_000.0),  # large traffic: up to ~5,000 E at the longest AHT
)
aht = st.sampled_from([60.0, 180.0, 240.0, 300.0, 600.0])


def _same(batch: dm.Need, scalar: dm.Need) -> None:
    assert (batch.agents, batch.limited_by) == (scalar.agents, scalar.limited_by), (batch, scalar)
    for name in FIGURES:
        got, want = getattr(batch, name), getattr(scalar, name)
        if want is None or math.isinf(want):
            assert got == want, (name, batch, scalar)
        else:
            assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12), (name, batch, scalar)


def _check_queue(queue, volumes: list[float], ahts: list[float], max_occupancy: float) -> None:
    columns = dm.queue_intervals(queue, np.array(volumes), np.array(ahts), INTERVAL_S, max_occupancy)
    for need, v, h in zip(dm.needs_list(columns), volumes, ahts):
        _same(need, dm.interval_need(queue, v, h, INTERVAL_S, max_occupancy))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(volume, aht), min_size=1, max_size=12),
    st.sampled_from([0.0, 10.0, 20.0, 60.0]),
    st.floats(min_value=0.5, max_value=0.95),
    st.sampled_from([1.0, 0.9, 0.85, 0.7]),
    st.one_of(st.none(), st.sampled_from([30.0, 120.0, 600.0])),
    st.one_of(st.none(), st.sampled_from([5.0, 30.0, 120.0])),
    st.one_of(st.none(), st.sampled_from([0.01, 0.05, 0.2])),
)
@example([(0.0, 240.0), (0.001, 60.0), (296.0, 240.0), (296.0, 240.0)], 20.0, 0.8, 0.85, 120.0, 30.0, 0.05)
@example([(100.0, 180.0)], 20.0, 0.8, 1.0, None, None, None)  # 10 E: 14 agents (DESIGN.md)
def test_voice_week_equals_single_interval_engine(rows, target_s, sl, occ, patience_s, max_asa_s, max_abandon):
    queue = VoiceQueue(name="q", channel="voice", aht_s=180, answer_within_s=target_s, service_level=round(sl, 6),
                       patience_s=patience_s, max_asa_s=max_asa_s,
                       max_abandon=max_abandon if patience_s is not None else None)
    volumes, ahts = zip(*rows)
    _check_queue(queue, list(volumes), list(ahts), occ)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(volume, aht), min_size=1, max_size=12), st.sampled_from([1, 2, 3, 4, 5]),
       st.sampled_from([0.9, 0.85]))
def test_chat_week_equals_single_interval_engine(rows, concurrency, occ):
    queue = ChatQueue(name="c", channel="chat", aht_s=600, concurrency=concurrency, answer_within_s=60,
                      service_level=0.8)
    volumes, ahts = zip(*rows)
    _check_queue(queue, list(volumes), list(ahts), occ)


def test_zero_volume_needs_no_agents_and_has_no_figures():
    queue = VoiceQueue(name="q", channel="voice", aht_s=180, answer_within_s=20, service_level=0.8, patience_s=60)
    needs = dm.needs_list(dm.queue_intervals(queue, np.zeros(3), np.full(3, 180.0), INTERVAL_S, 0.85))
    assert needs == [dm.Need(agents=0)] * 3


@pytest.mark.parametrize("patience_s", [None, 90.0])
def test_exact_ties_are_decided_like_the_scalar_engine(patience_s):
    """A target equal (to the last bit) to the figure the scalar engine computes at N: the batch hands such
    intervals to the scalar engine, so it cannot round the other way."""
    traffic_calls, aht_s = 150.0, 240.0
    single = erlang.required_agents(traffic_calls, INTERVAL_S, aht_s, 20, 0.8, patience_s=patience_s)
    exact_sl = single.service_level  # the target is met at N with equality
    queue = VoiceQueue(name="q", channel="voice", aht_s=aht_s, answer_within_s=20, service_level=exact_sl,
                       patience_s=patience_s)
    _check_queue(queue, [traffic_calls], [aht_s], 1.0)
    assert dm.interval_need(queue, traffic_calls, aht_s, INTERVAL_S, 1.0).agents == single.agents


def test_week_of_erlang_c_against_a_published_value():
    """10 E, AHT 180 s, 80 % in 20 s → 14 agents, SL 0.88835 (DESIGN.md known answer), in any batch."""
    r = erlang_batch.staff_erlang_c(np.array([100.0, 3.0, 100.0, 900.0]), np.full(4, 180.0), INTERVAL_S, 20, 0.8)
    assert r.agents[0] == r.agents[2] == 14
    assert round(float(r.service_level[0]), 5) == 0.88835


def test_a_chain_too_long_for_arrays_goes_to_the_scalar_engine(monkeypatch):
    """Past the array budget every interval is sized by the single-interval engine (same answers)."""
    monkeypatch.setattr(erlang_batch, "_MAX_CELLS", 10)
    queue = VoiceQueue(name="q", channel="voice", aht_s=240, answer_within_s=20, service_level=0.8, patience_s=120,
                       max_abandon=0.05, max_asa_s=30)
    _check_queue(queue, [44.0, 0.0, 296.0, 1.5], [240.0, 240.0, 240.0, 240.0], 0.85)
