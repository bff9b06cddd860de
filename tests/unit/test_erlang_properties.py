"""Monotonicity properties of staffing and trunk sizing (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ccinfra.sizing.erlang import erlang_b, required_agents, service_level
from ccinfra.sizing.trunking import required_channels

calls = st.floats(min_value=1, max_value=20_000, allow_nan=False)
aht_s = st.floats(min_value=20, max_value=900, allow_nan=False)
target_s = st.floats(min_value=0, max_value=120, allow_nan=False)
sl_target = st.floats(min_value=0.05, max_value=0.99, allow_nan=False)
occupancy = st.floats(min_value=0.5, max_value=1.0, allow_nan=False)
traffic = st.floats(min_value=0.01, max_value=5_000, allow_nan=False)
blocking = st.floats(min_value=0.0005, max_value=0.5, allow_nan=False)
patience_s = st.floats(min_value=10, max_value=900, allow_nan=False)


@given(calls, calls, aht_s, target_s, sl_target, occupancy)
def test_more_traffic_never_needs_fewer_agents(calls_a, calls_b, aht, target, sl, occ):
    low, high = sorted((calls_a, calls_b))
    fewer = required_agents(low, 1800, aht, target, sl, max_occupancy=occ)
    more = required_agents(high, 1800, aht, target, sl, max_occupancy=occ)
    assert fewer.agents <= more.agents
    assert fewer.scheduled_agents <= more.scheduled_agents


@given(calls, aht_s, target_s, sl_target, sl_target)
def test_higher_service_level_target_never_needs_fewer_agents(volume, aht, target, sl_a, sl_b):
    low, high = sorted((sl_a, sl_b))
    assert required_agents(volume, 1800, aht, target, low).agents <= required_agents(volume, 1800, aht, target, high).agents


@given(calls, aht_s, target_s, sl_target)
def test_staffing_is_minimal(volume, aht, target, sl):
    result = required_agents(volume, 1800, aht, target, sl)
    assert result.service_level >= sl
    assert result.agents > result.traffic_erlangs
    if result.agents > 1:
        assert service_level(result.traffic_erlangs, result.agents - 1, aht, target) < sl


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=1, max_value=3_000, allow_nan=False),
    st.floats(min_value=1, max_value=3_000, allow_nan=False),
    aht_s,
    target_s,
    sl_target,
    patience_s,
)
def test_erlang_a_more_traffic_never_needs_fewer_agents(calls_a, calls_b, aht, target, sl, patience):
    low, high = sorted((calls_a, calls_b))
    fewer = required_agents(low, 1800, aht, target, sl, patience_s=patience)
    more = required_agents(high, 1800, aht, target, sl, patience_s=patience)
    assert fewer.agents <= more.agents


@given(traffic, traffic, blocking)
def test_more_traffic_never_needs_fewer_channels(traffic_a, traffic_b, grade):
    low, high = sorted((traffic_a, traffic_b))
    assert required_channels(low, grade) <= required_channels(high, grade)


@given(traffic, blocking, blocking)
def test_lower_blocking_never_needs_fewer_channels(load, blocking_a, blocking_b):
    strict, loose = sorted((blocking_a, blocking_b))
    channels = required_channels(load, strict)
    assert required_channels(load, loose) <= channels
    assert erlang_b(load, channels) <= strict
