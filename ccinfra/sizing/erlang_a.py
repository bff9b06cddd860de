"""Erlang A (M/M/N+M): a queue whose callers hang up after an exponential patience.

The model is the birth–death chain of DESIGN.md: state n = calls in the system, arrival rate
λ = A/AHT in every state, departure rate μ·min(n, N) + θ·max(n − N, 0) with μ = 1/AHT and
θ = 1/patience. Its stationary distribution is, relative to π_N,

    n ≤ N:        π_n / π_N = (sum over n of A^n/n!) / (A^N/N!)   →  Σ_{n<N} π_n/π_N = 1/B(N) − 1
    n = N + j:    r_j = π_{N+j} / π_N = Π_{k=1..j} x / (a + k),   x = λ/θ, a = N·μ/θ

with B(N) the Erlang B blocking. Everything is summed in log space (B by a log recursion, the
tail by log increments), so 10,000 E and more neither overflow nor underflow. The tail is cut
once it has passed its peak (j > x − a) and its terms fall below e^-40 of the largest term.

Waiting time of a caller who arrives with j callers queued ahead (PASTA: arrivals see π):
while k callers are ahead, the queue ahead shrinks at rate N·μ + k·θ (a service completion or an
abandonment ahead), so the *offered* wait V (the wait of an infinitely patient caller) is a sum
of exponentials with rates θ·(a + k), k = 0..j.  A product-of-Betas identity gives
U = e^(−θV) ~ Beta(a, j+1). The caller is answered within T when V ≤ T and its own patience
outlasts V, so

    G_j(T) = E[e^(−θV); V ≤ T] = a/(a+j+1) · (1 − I_u(a+1, j+1)),   u = e^(−θT)

and, with the integer second parameter, I_u(a+1, m) = Σ_{i<m} u^(a+1)·(a+1)_i/i!·(1−u)^i
(the negative-binomial sum), which is accumulated term by term across j. Likewise
E[V·e^(−θV)] = (1/θ)·a/(a+j+1)·Σ_{k=0..j} 1/(a+1+k) gives the mean wait of answered calls.

Service level used here: **share of ALL offered calls answered within T s** — a call that
abandons counts as a failure, whenever it abandons. As patience → ∞ this tends to the Erlang C
service level. References: Palm (1943); Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of
performance measures" (2005) for the same quantities written with incomplete gamma functions.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ccinfra.errors import SpecError

SERVICE_LEVEL_DEFINITION = (
    "share of ALL offered calls answered within T s (Erlang A: calls that abandon count as not answered)"
)

# The tail of the chain is cut when its terms are below e^-40 (~4e-18) of the largest one.
_TAIL_LOG_CUTOFF = 40.0
# A guard against a chain so long that the computation would not finish (absurd patience at
# heavy overload); far beyond any real contact center (10,000 E at 1 h patience needs ~10^4).
_MAX_QUEUE_STATES = 5_000_000


@dataclass(frozen=True)
class ErlangAResult:
    """Performance of N agents under Erlang A.

    wait_probability     P(an arriving call finds all agents busy)
    abandon_probability  P(an arriving call hangs up before being answered) = θ·E[queue]/λ
    service_level        share of ALL offered calls answered within target_s (see module doc)
    asa_s                mean wait of the calls that are answered (average speed of answer)
    occupancy            A·(1 − abandon_probability) / N, the busy share of the agents' time
    mean_wait_s          mean time in queue over ALL offered calls, abandoned ones included
                         (E[queue]/λ, Little's law) — the queueing time that holds a trunk
    """

    wait_probability: float
    abandon_probability: float
    service_level: float
    asa_s: float
    occupancy: float
    mean_wait_s: float

    def to_dict(self) -> dict:
        return asdict(self)


def _check_positive(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SpecError(f"{name} must be a finite number greater than 0, got {value!r}")
    if value <= 0:
        raise SpecError(f"{name} must be greater than 0, got {value!r}")
    return float(value)


def _check_agents(agents: int) -> int:
    if isinstance(agents, bool) or not isinstance(agents, int) or agents < 1:
        raise SpecError(f"agents must be a whole number of at least 1, got {agents!r}")
    return agents


class LogErlangB:
    """log B(n) for n = 0, 1, 2, ... at one traffic, extended on demand by one recursion walk.

    log B(n) = log A + log B(n−1) − log(n + A·B(n−1)); B underflowing to 0 only makes the
    A·B term vanish, so the log stays exact where B itself would be 0.0.
    """

    def __init__(self, traffic_erlangs: float) -> None:
        self._traffic = traffic_erlangs
        self._log_traffic = math.log(traffic_erlangs)
        self._logs = [0.0]

    def __call__(self, n: int) -> float:
        logs = self._logs
        while len(logs) <= n:
            k = len(logs)
            prev = logs[-1]
            logs.append(self._log_traffic + prev - math.log(k + self._traffic * math.exp(prev)))
        return logs[n]


def _tail_log_terms(x: float, a: float, log_free: float) -> list[float]:
    """log r_j for j = 0.. until the tail is negligible (see module doc)."""
    logs = [0.0]
    log_x = math.log(x)
    top = max(0.0, log_free)
    j = 0
    while True:
        j += 1
        term = logs[-1] + log_x - math.log(a + j)
        logs.append(term)
        top = max(top, term)
        if j > x - a and term < top - _TAIL_LOG_CUTOFF:
            return logs
        if j > _MAX_QUEUE_STATES:
            raise SpecError(
                "patience_s is too long for Erlang A at this load (the queue would not settle); "
                "use a shorter patience_s or Erlang C (no patience)"
            )


def erlang_a_metrics(
    traffic_erlangs: float, agents: int, aht_s: float, patience_s: float, target_s: float, log_b: LogErlangB
) -> ErlangAResult:
    """Erlang A without input checks, reusing a LogErlangB table (used by staffing searches)."""
    a = agents * patience_s / aht_s  # N·μ/θ
    x = traffic_erlangs * patience_s / aht_s  # λ/θ
    log_blocking = log_b(agents)
    # Mass of the states with a free agent, relative to π_N: 1/B − 1.
    log_free = math.log(-math.expm1(log_blocking)) - log_blocking if log_blocking < 0 else -math.inf
    logs = _tail_log_terms(x, a, log_free)
    top = max(max(logs), log_free)

    theta_t = target_s / patience_s
    one_minus_u = -math.expm1(-theta_t)
    timed = one_minus_u > 0  # False for T = 0 (or a T so small that 1 − u underflows): G_j = 0
    log_one_minus_u = math.log(one_minus_u) if timed else -math.inf
    log_w = -(a + 1.0) * theta_t  # log of the i = 0 term of I_u(a+1, m)
    cdf = 0.0  # I_u(a+1, j+1), accumulated
    harmonic = 0.0  # Σ_{k=0..j} 1/(a+1+k)
    waiting = queue = answered_in_t = answered_wait = 0.0
    for j, log_r in enumerate(logs):
        weight = math.exp(log_r - top)
        if j > 0:
            log_w += math.log((a + j) / j) + log_one_minus_u
        cdf += math.exp(log_w) if timed else 0.0
        harmonic += 1.0 / (a + 1.0 + j)
        served_share = a / (a + j + 1.0)
        waiting += weight
        queue += j * weight
        if timed:
            answered_in_t += weight * served_share * max(0.0, 1.0 - cdf)
        answered_wait += weight * served_share * harmonic
    free = math.exp(log_free - top)
    total = free + waiting
    abandon = (queue / total) / x
    answered = 1.0 - abandon
    asa_s = patience_s * (answered_wait / total) / answered if answered > 0 else math.inf
    return ErlangAResult(
        wait_probability=waiting / total,
        abandon_probability=abandon,
        service_level=(free + answered_in_t) / total,
        asa_s=asa_s,
        occupancy=min(1.0, traffic_erlangs * answered / agents),
        mean_wait_s=(queue / total) * aht_s / traffic_erlangs,
    )


def erlang_a(traffic_erlangs: float, agents: int, aht_s: float, patience_s: float, target_s: float) -> ErlangAResult:
    """Erlang A (M/M/N+M) performance of ``agents`` agents; see the module doc for the formulas.

    The service level is the share of ALL offered calls answered within ``target_s`` seconds;
    abandoned calls count as failures. ``asa_s`` is the mean wait of the answered calls.

    >>> r = erlang_a(10.0, 14, aht_s=180, patience_s=1e9, target_s=20)   # ~ Erlang C
    >>> round(r.wait_probability, 4), round(r.service_level, 4), round(r.asa_s, 2)
    (0.1741, 0.8884, 7.84)
    >>> r = erlang_a(10.0, 10, aht_s=180, patience_s=60, target_s=20)
    >>> 0 < r.abandon_probability < 0.2
    True
    """
    traffic_erlangs = _check_positive("traffic_erlangs", traffic_erlangs)
    agents = _check_agents(agents)
    aht_s = _check_positive("aht_s", aht_s)
    patience_s = _check_positive("patience_s", patience_s)
    if isinstance(target_s, bool) or not isinstance(target_s, (int, float)) or not math.isfinite(target_s):
        raise SpecError(f"target_s must be a finite number of seconds (0 or more), got {target_s!r}")
    if target_s < 0:
        raise SpecError(f"target_s must be 0 or more seconds, got {target_s!r}")
    return erlang_a_metrics(traffic_erlangs, agents, aht_s, patience_s, float(target_s), LogErlangB(traffic_erlangs))
