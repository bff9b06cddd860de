"""Queueing maths for staffing: Erlang B, Erlang C, Erlang A staffing (trunks: ``trunking.py``).

Formulas (DESIGN.md, "Queueing"); times are seconds in every public name:

- traffic A [E] = calls per interval × AHT / interval length.
- Erlang B by the recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)) — never factorials, so
  any A (10,000 E and beyond) is safe: each step is a ratio in (0, 1].
- Erlang C from B: C = N·B / (N − A·(1 − B)) for N > A; 1.0 when N ≤ A (the queue never empties).
- service level = 1 − C·exp(−(N − A)·T / AHT); ASA = C·AHT / (N − A); occupancy = A / N.
- shrinkage: scheduled = ceil(agents / (1 − shrinkage)).
- Erlang A (callers abandon after an exponential patience): see ``erlang_a.py``.

Staffing evaluates B once at max(1, floor(A)) — the inverse recursion unrolled into a sum of
positive terms that is cut after ~√(80·A) terms — and then steps one agent at a time, keeping
B(N) incrementally, until the targets are met: O(√A + N − A) in all, never B from scratch per N.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ccinfra import limits as lim
from ccinfra.errors import SpecError
from ccinfra.sizing.erlang_a import (
    SERVICE_LEVEL_DEFINITION as ERLANG_A_SERVICE_LEVEL_DEFINITION,
    ErlangAResult,
    LogErlangB,
    erlang_a,
    erlang_a_metrics,
)

__all__ = [
    "ErlangAResult",
    "StaffingResult",
    "asa_s",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "required_agents",
    "service_level",
    "traffic_erlangs",
]

ERLANG_C_SERVICE_LEVEL_DEFINITION = "share of offered calls answered within T s (Erlang C: no call abandons)"

# ---------------------------------------------------------------------------- input checks
def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SpecError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def _positive(name: str, value: object) -> float:
    number = _number(name, value)
    if number <= 0:
        raise SpecError(f"{name} must be greater than 0, got {value!r}")
    return number


def _non_negative(name: str, value: object) -> float:
    number = _number(name, value)
    if number < 0:
        raise SpecError(f"{name} must be 0 or more, got {value!r}")
    return number


def _open_unit(name: str, value: object) -> float:
    number = _number(name, value)
    if not 0 < number < 1:
        raise SpecError(f"{name} must be between 0 and 1 (exclusive), got {value!r}")
    return number


def _count(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SpecError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return value


def _ceil(value: float) -> int:
    """ceil() that ignores float noise: 14 / (1 − 0.3) is 20.000000000000004, which means 20."""
    return math.ceil(value - 1e-9 * max(1.0, abs(value)))


# ---------------------------------------------------------------------------- basic formulas
def traffic_erlangs(calls: float, aht_s: float, interval_s: float) -> float:
    """Offered traffic in Erlang: calls per interval × AHT / interval length.

    >>> traffic_erlangs(100, aht_s=180, interval_s=1800)
    10.0
    """
    calls = _non_negative("calls", calls)
    return calls * _positive("aht_s", aht_s) / _positive("interval_s", interval_s)


def _b_step(traffic: float, n: int, b_prev: float) -> float:
    return traffic * b_prev / (n + traffic * b_prev)


def _inverse_b_below_traffic(traffic: float, channels: int) -> float:
    """1/B(N) for N ≤ A: the inverse recursion 1/B(n) = 1 + n/A · 1/B(n−1) unrolled,

        1/B(N) = Σ_{k=0..N} Π_{i=0..k−1} (N − i)/A,

    a sum of positive, decreasing terms (each factor ≤ 1): no cancellation, no overflow, and
    it is cut when a term is below 1e-18 of the sum, i.e. after about √(80·A) terms instead
    of N steps — the walk up to A costs O(√A), not O(A).
    """
    total = term = 1.0
    for k in range(channels):
        term *= (channels - k) / traffic
        total += term
        if term < 1e-18 * total:
            break
    return total


def _erlang_b_walk(traffic: float, channels: int) -> float:
    """B(N): the closed sum up to min(N, floor(A)), then the forward recursion above A."""
    start = min(channels, math.floor(traffic))
    b = 1.0 / _inverse_b_below_traffic(traffic, start) if start > 0 else 1.0
    for n in range(start + 1, channels + 1):
        b = traffic * b / (n + traffic * b)
    return b


def erlang_b(traffic_erlangs: float, channels: int) -> float:
    """Blocking probability of ``channels`` lines offered ``traffic_erlangs`` (lost calls cleared).

    Recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)); no factorials.

    >>> round(erlang_b(8.108, 15), 4)     # 15 lines at 1 % carry 8.108 E
    0.01
    """
    traffic = _non_negative("traffic_erlangs", traffic_erlangs)
    return _erlang_b_walk(traffic, _count("channels", channels, 0))


def _erlang_c_from_b(traffic: float, agents: int, b: float) -> float:
    if agents <= traffic:
        return 1.0
    return agents * b / (agents - traffic * (1.0 - b))


def erlang_c(traffic_erlangs: float, agents: int) -> float:
    """Probability that a call waits (Erlang C): C = N·B / (N − A·(1 − B)); 1.0 when N ≤ A.

    >>> round(erlang_c(10.0, 14), 6)
    0.174132
    """
    traffic = _non_negative("traffic_erlangs", traffic_erlangs)
    agents = _count("agents", agents, 1)
    return _erlang_c_from_b(traffic, agents, _erlang_b_walk(traffic, agents))


def _sl_from_c(traffic: float, agents: int, c: float, aht_s: float, target_s: float) -> float:
    if agents <= traffic:
        return 0.0
    return max(0.0, 1.0 - c * math.exp(-(agents - traffic) * target_s / aht_s))


def _asa_from_c(traffic: float, agents: int, c: float, aht_s: float) -> float:
    return math.inf if agents <= traffic else c * aht_s / (agents - traffic)


def service_level(traffic_erlangs: float, agents: int, aht_s: float, target_s: float) -> float:
    """Share of calls answered within ``target_s`` (Erlang C): 1 − C·exp(−(N − A)·T / AHT).

    0.0 when N ≤ A (the queue grows without bound).

    >>> round(service_level(10.0, 14, aht_s=180, target_s=20), 6)
    0.88835
    """
    c = erlang_c(traffic_erlangs, agents)
    return _sl_from_c(float(traffic_erlangs), agents, c, _positive("aht_s", aht_s), _non_negative("target_s", target_s))


def asa_s(traffic_erlangs: float, agents: int, aht_s: float) -> float:
    """Average speed of answer in seconds (Erlang C): C·AHT / (N − A); ``inf`` when N ≤ A.

    >>> round(asa_s(10.0, 14, aht_s=180), 3)
    7.836
    """
    c = erlang_c(traffic_erlangs, agents)
    return _asa_from_c(float(traffic_erlangs), agents, c, _positive("aht_s", aht_s))


# ---------------------------------------------------------------------------- staffing
@dataclass(frozen=True)
class StaffingResult:
    """Minimum staffing for one interval.

    agents is the number on the phones; scheduled_agents adds shrinkage (breaks, training,
    absence). limited_by says which target set ``agents``: "service_level" or "occupancy".
    abandon_probability is None for Erlang C (nobody abandons in that model).
    """

    traffic_erlangs: float
    agents: int
    scheduled_agents: int
    service_level: float
    asa_s: float
    wait_probability: float
    occupancy: float
    limited_by: str
    model: str
    abandon_probability: float | None
    service_level_definition: str

    def to_dict(self) -> dict:
        return asdict(self)


def _agents_erlang_c(traffic: float, aht_s: float, target_s: float, sl_target: float, min_agents: int):
    """Walk N upward from max(1, floor(A)) with B(N) kept incrementally; O(N) in total."""
    agents = max(1, math.floor(traffic))
    b = _erlang_b_walk(traffic, agents)
    sl_agents = None
    while True:
        c = _erlang_c_from_b(traffic, agents, b)
        if sl_agents is None and _sl_from_c(traffic, agents, c, aht_s, target_s) >= sl_target:
            sl_agents = agents
        if sl_agents is not None and agents >= min_agents:
            return agents, sl_agents, b
        agents += 1
        b = _b_step(traffic, agents, b)


def _min_true(predicate, known_false: int, guess: int) -> int:
    """Smallest n > known_false with predicate(n), for a predicate that stays true once true.

    Gallops from ``guess`` (down if it holds there, up if not), then bisects; a good guess
    keeps the probes few and close to the answer.
    """
    guess = max(guess, known_false + 1)
    if predicate(guess):
        high, step = guess, 1
        while high - step > known_false and predicate(high - step):
            high, step = high - step, step * 2
        low = max(known_false, high - step)
    else:
        low, step = guess, 1
        while not predicate(low + step):
            low, step = low + step, step * 2
        high = low + step
    while high - low > 1:  # predicate(low) is False (or low == known_false), predicate(high) is True
        middle = (low + high) // 2
        if predicate(middle):
            high = middle
        else:
            low = middle
    return high


def _staff_erlang_c(traffic, aht_s, target_s, sl_target, max_occupancy):
    min_agents = _ceil(traffic / max_occupancy)
    agents, sl_agents, b = _agents_erlang_c(traffic, aht_s, target_s, sl_target, min_agents)
    c = _erlang_c_from_b(traffic, agents, b)
    return agents, dict(
        service_level=_sl_from_c(traffic, agents, c, aht_s, target_s),
        asa_s=_asa_from_c(traffic, agents, c, aht_s),
        wait_probability=c,
        occupancy=traffic / agents,
        limited_by="occupancy" if agents > sl_agents else "service_level",
        model="erlang_c",
        abandon_probability=None,
        service_level_definition=ERLANG_C_SERVICE_LEVEL_DEFINITION,
    )


def _staff_erlang_a(traffic, aht_s, target_s, sl_target, max_occupancy, patience_s):
    log_b = LogErlangB(traffic)
    cache: dict[int, ErlangAResult] = {}

    def metrics(n: int) -> ErlangAResult:
        if n not in cache:
            cache[n] = erlang_a_metrics(traffic, n, aht_s, patience_s, target_s, log_b)
        return cache[n]

    # SL ≤ answered share ≤ N/A (N agents answer at most N/AHT calls per second): no N below
    # SL·A can meet the target. The Erlang C answer is the starting guess: the chain is cheap
    # near and above A, and long (≈ (A − N)·patience/AHT states) deep in overload.
    known_false = max(0, math.ceil(sl_target * traffic) - 1)
    guess = _agents_erlang_c(traffic, aht_s, target_s, sl_target, 1)[1]
    sl_agents = _min_true(lambda n: metrics(n).service_level >= sl_target, known_false, guess)
    agents = sl_agents  # occupancy never exceeds 1, so a cap of 1 needs no search
    if max_occupancy < 1:
        # occupancy ≥ A·(1 − P_abandon(sl_agents))/N for N ≥ sl_agents, as P_abandon falls with N
        floor_guess = _ceil(traffic * (1 - metrics(sl_agents).abandon_probability) / max_occupancy)
        agents = _min_true(lambda n: metrics(n).occupancy <= max_occupancy, sl_agents - 1, floor_guess)
    result = metrics(agents)
    return agents, dict(
        service_level=result.service_level,
        asa_s=result.asa_s,
        wait_probability=result.wait_probability,
        occupancy=result.occupancy,
        limited_by="occupancy" if agents > sl_agents else "service_level",
        model="erlang_a",
        abandon_probability=result.abandon_probability,
        service_level_definition=ERLANG_A_SERVICE_LEVEL_DEFINITION,
    )


def _check_bounds(calls: float, interval_s: float, aht_s: float, target_s: float, traffic: float) -> None:
    """The limits of ``ccinfra.limits``: they keep every search below finite and short (a patience
    of 1e9 s stays allowed: it is how Erlang A is compared with Erlang C)."""
    lim.check_max("calls", calls, lim.MAX_CALLS_PER_INTERVAL, "MAX_CALLS_PER_INTERVAL")
    lim.check_interval_min("interval", _positive("interval_s", interval_s) / 60)
    for name, value in (("aht_s", aht_s), ("target_s", target_s)):
        lim.check_max(name, _number(name, value), lim.MAX_DURATION_S, "MAX_DURATION_S")
    lim.check_max("traffic (calls × aht_s / interval)", traffic, lim.MAX_TRAFFIC_ERLANGS, "MAX_TRAFFIC_ERLANGS")


def required_agents(
    calls: float,
    interval_s: float,
    aht_s: float,
    target_s: float,
    service_level_target: float,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
    patience_s: float | None = None,
) -> StaffingResult:
    """Fewest agents on the phones that meet the service level target AND the occupancy cap.

    Erlang C when ``patience_s`` is None; Erlang A (callers hang up after a mean patience of
    ``patience_s``) otherwise, where the service level counts abandoned calls as failures.
    ``scheduled_agents`` = ceil(agents / (1 − shrinkage)).

    >>> r = required_agents(100, interval_s=1800, aht_s=180, target_s=20, service_level_target=0.8)
    >>> r.agents, round(r.service_level, 6), round(r.asa_s, 3), round(r.occupancy, 3), r.limited_by
    (14, 0.88835, 7.836, 0.714, 'service_level')
    >>> required_agents(100, 1800, 180, 20, 0.8, max_occupancy=0.65, shrinkage=0.3).scheduled_agents
    23
    """
    if calls == 0 and not isinstance(calls, bool):
        raise SpecError("calls must be greater than 0 (an interval without calls needs no agents), got 0")
    traffic = traffic_erlangs(_positive("calls", calls), aht_s, interval_s)
    _check_bounds(calls, interval_s, aht_s, target_s, traffic)
    target_s = _non_negative("target_s", target_s)
    sl_target = lim.check_fraction("service_level_target", _open_unit("service_level_target", service_level_target))
    max_occupancy = _number("max_occupancy", max_occupancy)
    if not 0 < max_occupancy <= 1:
        raise SpecError(f"max_occupancy must be greater than 0 and at most 1, got {max_occupancy!r}")
    lim.check_fraction("max_occupancy", max_occupancy, allow_one=True)
    shrinkage = _number("shrinkage", shrinkage)
    if not 0 <= shrinkage < 1:
        raise SpecError(f"shrinkage must be at least 0 and less than 1, got {shrinkage!r}")
    lim.check_fraction("shrinkage", shrinkage, allow_zero=True)
    if patience_s is None:
        agents, fields = _staff_erlang_c(traffic, float(aht_s), target_s, sl_target, max_occupancy)
    else:
        patience = _positive("patience_s", patience_s)
        agents, fields = _staff_erlang_a(traffic, float(aht_s), target_s, sl_target, max_occupancy, patience)
    return StaffingResult(
        traffic_erlangs=traffic, agents=agents, scheduled_agents=_ceil(agents / (1.0 - shrinkage)), **fields
    )
