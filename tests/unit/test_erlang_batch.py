"""The week-at-once staffing (erlang_batch, demand.queue_intervals) against the single-interval engine (hypothesis).

The scalar engine (``demand.interval_need`` → ``erlang.required_agents`` + the extra-target steps) is the
reference: every interval must get the same agents and the same limited_by, and the same achieved figures
(to 1e-9: array sums and loop sums round differently in the last bits).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ccinfra.sizing import demand as dm
from ccinfra.errors import SpecError
from ccinfra.sizing import erlang, erlang_batch, erlang_kernel
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


def test_sums_the_kernel_cannot_use_go_to_the_scalar_engine():
    """Patience 600 s, AHT 60 s, answer within 600 s: the first term of the abandon weights underflows
    (e^−(a+1)·T/θ with a = N·θ/AHT ≈ 1,000), so the kernel hands the row back and the single-interval engine
    answers it, with every target."""
    queue = VoiceQueue(name="q", channel="voice", aht_s=60, answer_within_s=600, service_level=0.8, patience_s=600,
                       max_abandon=0.05, max_asa_s=30)
    traffic = np.array([100.0, 100.0, 2.0])
    flags = erlang_kernel.staff_rows(traffic, np.full(3, 60.0), np.full(3, 600.0), 0.8, 0.85, 600.0, 30.0, 0.05,
                                     1e5)[3]
    assert flags.tolist() == [erlang_kernel.UNUSABLE] * 2 + [erlang_kernel.OK]
    _check_queue(queue, [3000.0, 3000.0, 60.0], [60.0, 60.0, 60.0], 0.85)


def test_traffic_past_the_limit_gets_the_engine_s_one_line_error():
    queue = VoiceQueue(name="q", channel="voice", aht_s=600, answer_within_s=20, service_level=0.8)
    with pytest.raises(SpecError, match="MAX_TRAFFIC_ERLANGS"):
        dm.queue_intervals(queue, np.array([10.0, 1e6]), np.full(2, 600.0), INTERVAL_S, 0.85)


def test_equal_rows_are_copied_not_recomputed_and_stay_equal():
    queue = VoiceQueue(name="q", channel="voice", aht_s=240, answer_within_s=20, service_level=0.8, patience_s=120,
                       max_abandon=0.05, max_asa_s=30)
    volumes = [296.0, 44.0, 296.0, 1.5, 44.0, 296.0]
    _check_queue(queue, volumes, [240.0] * 6, 0.85)
    agents = dm.queue_intervals(queue, np.array(volumes), np.full(6, 240.0), INTERVAL_S, 0.85).agents
    assert agents[0] == agents[2] == agents[5] and agents[1] == agents[4]


def _pure_python_kernel():
    """The same file run as plain Python (what an install without a C compiler gets)."""
    path = Path(erlang_kernel.__file__).with_name("erlang_kernel.py")
    loader = importlib.machinery.SourceFileLoader("erlang_kernel_pure", str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


@pytest.mark.parametrize("patience_s, max_asa_s, max_abandon", [(-1.0, math.inf, math.inf), (-1.0, 8.0, math.inf),
                                                                (120.0, 30.0, 0.05), (60.0, math.inf, math.inf)])
def test_the_compiled_kernel_gives_the_pure_python_file_s_answers(patience_s, max_asa_s, max_abandon):
    pure = _pure_python_kernel()
    assert not pure.COMPILED
    rng = np.random.default_rng(7)
    traffic = np.concatenate([rng.uniform(0.01, 3.0, 20), rng.uniform(3.0, 400.0, 40)])
    aht = rng.choice([60.0, 180.0, 240.0, 600.0], len(traffic))
    target = rng.choice([10.0, 20.0, 60.0], len(traffic))
    args = (0.8, 0.85, patience_s, max_asa_s, max_abandon, 1e5)
    fast, slow = erlang_kernel.staff_rows(traffic, aht, target, *args), pure.staff_rows(traffic, aht, target, *args)
    for got, want in zip(fast[:4], slow[:4]):
        np.testing.assert_array_equal(got, want)  # IEEE doubles both ways, no fused multiply-add: the same bits
    assert fast[4] == slow[4]


def test_the_installed_kernel_is_compiled():
    """``pip install`` builds erlang_kernel with Cython (setup.py); without it the week is sized ~200× slower."""
    assert erlang_kernel.COMPILED, f"{erlang_kernel.__file__} is the plain Python file: was a C compiler there?"
