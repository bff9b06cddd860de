"""Erlang A (M/M/N+M) against a direct numeric solve of the truncated chain, and its limits."""

from __future__ import annotations

import math

import mpmath
import pytest

from ccinfra.errors import SpecError
from ccinfra.sizing.erlang import asa_s, erlang_a, erlang_c, required_agents, service_level
from ccinfra.sizing.erlang_a import ErlangAResult


def chain_solution(traffic, agents, aht_s, patience_s, target_s, queue_states=30):
    """Independent reference: solve the truncated birth–death chain and the tagged-caller chain.

    1. Stationary π from πQ = 0 on states 0..N+queue_states (mpmath LU solve, 30 digits).
    2. A caller arriving with j queued ahead: transient states k = j..0 (callers ahead); from k
       the line ahead moves at N·μ + k·θ (k ≥ 1), the caller is answered at N·μ from k = 0 and
       hangs up at θ from any k. P(answered by T | j) = [expm(Q_tag·T)]_{j,answered};
       E[wait; answered | j] = e_j·S⁻²·r with S the transient block and r the answer rates.
    """
    with mpmath.workdps(30):
        lam, mu, theta = mpmath.mpf(traffic) / aht_s, 1 / mpmath.mpf(aht_s), 1 / mpmath.mpf(patience_s)
        size = agents + queue_states + 1
        generator = mpmath.zeros(size, size)
        for n in range(size):
            if n + 1 < size:
                generator[n, n + 1] = lam
            if n > 0:
                generator[n, n - 1] = mu * min(n, agents) + theta * max(n - agents, 0)
            generator[n, n] = -sum(generator[n, m] for m in range(size) if m != n)
        # πQ = 0 with Σπ = 1: replace one balance equation by the normalisation.
        system = generator.T
        for m in range(size):
            system[size - 1, m] = 1
        rhs = mpmath.zeros(size, 1)
        rhs[size - 1] = 1
        pi = mpmath.lu_solve(system, rhs)

        wait = mpmath.fsum(pi[n] for n in range(agents, size))
        queue = mpmath.fsum((n - agents) * pi[n] for n in range(agents, size))
        states = queue_states  # j = 0..queue_states-1 (the last state cannot accept an arrival)
        tag = mpmath.zeros(states + 2, states + 2)  # 0..states-1 transient, states = answered, +1 = abandoned
        for k in range(states):
            tag[k, states + 1] = theta
            if k == 0:
                tag[k, states] = agents * mu
            else:
                tag[k, k - 1] = agents * mu + k * theta
            tag[k, k] = -sum(tag[k, m] for m in range(states + 2) if m != k)
        transition = mpmath.expm(tag * target_s)
        sub = tag[0:states, 0:states]
        answer_rates = mpmath.zeros(states, 1)
        answer_rates[0] = agents * mu
        first = mpmath.lu_solve(sub, answer_rates)  # S⁻¹ r
        second = mpmath.lu_solve(sub, first)  # S⁻² r
        answered_in_t = mpmath.fsum(pi[n] for n in range(agents)) + mpmath.fsum(
            pi[agents + j] * transition[j, states] for j in range(states)
        )
        answered_wait = mpmath.fsum(pi[agents + j] * second[j] for j in range(states))
        abandon = theta * queue / lam
        return {
            "wait_probability": float(wait),
            "abandon_probability": float(abandon),
            "service_level": float(answered_in_t),
            "asa_s": float(answered_wait / (1 - abandon)),
            "mean_wait_s": float(queue / lam),  # Little's law over all offered calls
        }


@pytest.mark.parametrize(
    "traffic, agents, aht_s, patience_s, target_s",
    [
        (3.0, 4, 180, 60, 20),  # under-loaded
        (6.0, 4, 180, 60, 20),  # overloaded: N < A, stable only because callers abandon
        (2.0, 3, 120, 300, 30),
        (4.0, 5, 200, 90, 0),  # T = 0: only calls that find a free agent count
    ],
)
def test_erlang_a_matches_direct_chain_solve(traffic, agents, aht_s, patience_s, target_s):
    expected = chain_solution(traffic, agents, aht_s, patience_s, target_s)
    result = erlang_a(traffic, agents, aht_s, patience_s, target_s)
    for field, value in expected.items():
        assert getattr(result, field) == pytest.approx(value, rel=1e-9, abs=1e-12), field


def test_erlang_a_flow_balance():
    # Two independent routes to P(abandon): θ·E[queue]/λ (used by the code) and the answered
    # share of the throughput: occupancy·N = A·(1 − P(abandon)).
    result = erlang_a(10.0, 11, 180, 120, 20)
    assert result.occupancy * 11 == pytest.approx(10.0 * (1 - result.abandon_probability), rel=1e-12)
    assert 0 < result.abandon_probability < result.wait_probability < 1


@pytest.mark.parametrize("traffic, agents", [(10.0, 14), (48.0, 55), (1000.0, 1011)])
def test_infinite_patience_tends_to_erlang_c(traffic, agents):
    result = erlang_a(traffic, agents, 180, patience_s=1e10, target_s=20)
    assert result.wait_probability == pytest.approx(erlang_c(traffic, agents), rel=1e-6)
    assert result.service_level == pytest.approx(service_level(traffic, agents, 180, 20), rel=1e-6)
    assert result.asa_s == pytest.approx(asa_s(traffic, agents, 180), rel=1e-5)
    assert result.abandon_probability < 1e-8


def test_patience_sequence_converges_monotonically_to_erlang_c():
    gaps = [abs(erlang_a(10.0, 14, 180, p, 20).wait_probability - erlang_c(10.0, 14)) for p in (30, 300, 3000, 3e4)]
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 1e-3


def test_abandon_probability_falls_with_more_agents():
    abandon = [erlang_a(10.0, n, 180, 60, 20).abandon_probability for n in range(1, 31)]
    assert all(later < earlier for earlier, later in zip(abandon, abandon[1:]))
    # one agent for 10 E: it can answer at most 1/10 of the calls → at least 90 % abandon
    assert abandon[0] > 0.9


def test_service_level_rises_with_more_agents():
    levels = [erlang_a(10.0, n, 180, 60, 20).service_level for n in range(1, 31)]
    assert all(later > earlier for earlier, later in zip(levels, levels[1:]))


@pytest.mark.parametrize("traffic", [1_000.0, 10_000.0])
def test_erlang_a_large_traffic_is_finite(traffic):
    agents = int(traffic) + 10
    result = erlang_a(traffic, agents, 180, 120, 20)
    assert isinstance(result, ErlangAResult)
    for value in result.to_dict().values():
        assert math.isfinite(value) and value >= 0
    assert 0 < result.service_level < 1 and result.abandon_probability < 0.01


def test_staffing_with_patience_uses_erlang_a():
    result = required_agents(100, 1800, 180, 20, 0.8, patience_s=60)
    assert result.model == "erlang_a" and result.abandon_probability is not None
    assert "ALL offered calls" in result.service_level_definition
    # minimal: the target is met at result.agents and missed with one agent fewer
    assert erlang_a(10.0, result.agents, 180, 60, 20).service_level >= 0.8
    assert erlang_a(10.0, result.agents - 1, 180, 60, 20).service_level < 0.8
    # patient callers (1e9 s) reproduce the Erlang C staffing of the DESIGN.md example
    assert required_agents(100, 1800, 180, 20, 0.8, patience_s=1e9).agents == 14


def test_staffing_with_patience_and_occupancy_cap():
    uncapped = required_agents(100, 1800, 180, 20, 0.8, patience_s=60)
    capped = required_agents(100, 1800, 180, 20, 0.8, max_occupancy=0.6, patience_s=60, shrinkage=0.25)
    assert capped.limited_by == "occupancy" and capped.agents > uncapped.agents
    assert capped.occupancy <= 0.6 < erlang_a(10.0, capped.agents - 1, 180, 60, 20).occupancy
    assert capped.scheduled_agents == math.ceil(capped.agents / 0.75)


@pytest.mark.parametrize("traffic", [1_000, 10_000])
def test_staffing_with_patience_large_traffic(traffic):
    result = required_agents(traffic * 10, 1800, 180, 20, 0.8, patience_s=120)
    assert math.isfinite(result.asa_s) and result.service_level >= 0.8
    assert erlang_a(float(traffic), result.agents - 1, 180, 120, 20).service_level < 0.8


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"traffic_erlangs": 0.0}, "traffic_erlangs must be greater than 0"),
        ({"agents": 0}, "agents must be a whole number of at least 1"),
        ({"aht_s": -1}, "aht_s must be greater than 0"),
        ({"patience_s": 0}, "patience_s must be greater than 0"),
        ({"patience_s": math.inf}, "patience_s must be a finite number"),
        ({"target_s": -1}, "target_s must be 0 or more"),
    ],
)
def test_erlang_a_bad_inputs(kwargs, message):
    arguments = {"traffic_erlangs": 10.0, "agents": 12, "aht_s": 180, "patience_s": 60, "target_s": 20} | kwargs
    with pytest.raises(SpecError, match=message):
        erlang_a(**arguments)


def test_vanishing_target_equals_zero_target():
    # T so small that 1 − e^(−θT) underflows: same as T = 0 (only calls finding a free agent count)
    tiny = erlang_a(10.0, 12, 180, 60, 5e-324)
    zero = erlang_a(10.0, 12, 180, 60, 0)
    assert tiny.service_level == zero.service_level == pytest.approx(1 - zero.wait_probability)
