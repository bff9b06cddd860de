# cython: boundscheck=False, wraparound=False, cdivision=True
"""Staffing of many intervals, one row at a time: the single-interval engine's loops, compiled by Cython.

``erlang_batch`` calls :func:`staff_rows`; every row is one interval of one queue. The loops are those of
``erlang.py`` / ``erlang_a.py`` (DESIGN.md "Queueing"):

- Erlang C: the walk of ``erlang._agents_erlang_c`` — B at max(1, floor(A)) by the unrolled inverse
  recursion, then B(N) = A·B(N−1) / (N + A·B(N−1)) one agent at a time until the service level and the
  occupancy cap hold, then one more agent at a time until ``max_asa_s`` holds (``demand._step_to_targets``).
  Same operations in the same order as the Python engine: the same bits.
- Erlang A: the chain of ``erlang_a.erlang_a_metrics`` summed with ratios (r_j = r_{j−1}·x/(a + j), and
  the negative-binomial term w_j = w_{j−1}·(a + j)/j·(1 − u)) instead of logs, rescaled when a term grows
  past 1e200; the fewest N meeting every target at once (SL, occupancy cap, ASA, abandon: each monotone
  in N) by the engine's gallop-and-bisect (``erlang._min_true``), from one below the Erlang C answer.

Ratios and logs round differently in the last bits, so an Erlang A row whose deciding figure at N, or at
N − 1, lies within 1e-8 (relative) of its target, or whose sums are not usable here (a first term that
underflows, a chain past ``erlang_a._MAX_QUEUE_STATES``), comes back flagged: ``erlang_batch`` asks the
Python engine.

This file is Cython "pure Python mode": the wheel carries it compiled (``setup.py``; ``COMPILED`` is
True), and the same file runs as plain Python where no compiler was at hand (same answers, slower).
"""

from __future__ import annotations

import cython
import numpy as np
from cython.cimports.libc import math  # C's libm when compiled; Python's math module otherwise

from ccinfra.sizing import erlang_a

COMPILED = cython.compiled
OK, TIE_ROW, UNUSABLE = 0, 1, 2  # row flags, for Python callers

# C constants inside the loops: the row flags, the limited_by codes (the order of erlang_batch.LABELS)
_OK = cython.declare(cython.long, OK)
_TIE_ROW = cython.declare(cython.long, TIE_ROW)
_UNUSABLE = cython.declare(cython.long, UNUSABLE)
_SL = cython.declare(cython.long, 0)
_OCCUPANCY = cython.declare(cython.long, 1)
_ASA = cython.declare(cython.long, 2)
_ABANDON = cython.declare(cython.long, 3)
_TIE = cython.declare(cython.double, 1e-8)  # a figure this close (relative) to its target: the engine decides
_MAX_STATES = cython.declare(cython.long, erlang_a._MAX_QUEUE_STATES)  # past it the engine raises its error
_TAIL = cython.declare(cython.double, math.exp(-erlang_a._TAIL_LOG_CUTOFF))  # the engine's cut, as a ratio
_BIG = cython.declare(cython.double, 1e200)
_SCALE = cython.declare(cython.double, 1e-200)
_INF = cython.declare(cython.double, float("inf"))


@cython.cfunc
@cython.exceptval(check=False)
def _ceil(value: cython.double) -> cython.long:
    """``erlang._ceil``: ceil() that ignores float noise."""
    return cython.cast(cython.long, math.ceil(value - 1e-9 * max(1.0, abs(value))))


@cython.cfunc
@cython.exceptval(check=False)
def erlang_b(traffic: cython.double, channels: cython.long) -> cython.double:
    """``erlang._erlang_b_walk``: the closed sum up to min(N, floor(A)), then the forward recursion."""
    start: cython.long = min(channels, cython.cast(cython.long, math.floor(traffic)))
    b: cython.double = 1.0
    total: cython.double
    term: cython.double
    k: cython.long
    if start > 0:
        total = 1.0
        term = 1.0
        for k in range(start):
            term *= (start - k) / traffic
            total += term
            if term < 1e-18 * total:
                break
        b = 1.0 / total
    return _b_forward(traffic, start, b, channels)


@cython.cfunc
@cython.exceptval(check=False)
def _b_forward(traffic: cython.double, start: cython.long, b: cython.double, channels: cython.long) -> cython.double:
    """B(channels) from b = B(start) by B(n) = A·B(n−1) / (n + A·B(n−1))."""
    n: cython.long
    for n in range(start + 1, channels + 1):
        b = traffic * b / (n + traffic * b)
    return b


@cython.cfunc
@cython.exceptval(check=False)
def _b_from(traffic: cython.double, start: cython.long, b_start: cython.double, channels: cython.long) -> cython.double:
    """B(channels) from B(start), start = max(1, floor(A)): the forward steps ``erlang_b`` would take after its
    closed sum (the same bits); below ``start``, ``erlang_b`` itself."""
    if channels < start:
        return erlang_b(traffic, channels)
    return _b_forward(traffic, start, b_start, channels)


@cython.cfunc
@cython.exceptval(check=False)
def _c_from_b(traffic: cython.double, agents: cython.long, b: cython.double) -> cython.double:
    if agents <= traffic:
        return 1.0
    return agents * b / (agents - traffic * (1.0 - b))


@cython.cfunc
@cython.exceptval(check=False)
def _sl_c(traffic: cython.double, agents: cython.long, c: cython.double, aht_s: cython.double,
          target_s: cython.double) -> cython.double:
    if agents <= traffic:
        return 0.0
    return max(0.0, 1.0 - c * math.exp(-(agents - traffic) * target_s / aht_s))


@cython.cfunc
@cython.exceptval(check=False)
def _asa_c(traffic: cython.double, agents: cython.long, c: cython.double, aht_s: cython.double) -> cython.double:
    return _INF if agents <= traffic else c * aht_s / (agents - traffic)


@cython.cfunc
@cython.exceptval(check=False)
def _erlang_c_walk(traffic: cython.double, aht_s: cython.double, target_s: cython.double,
                   sl_target: cython.double, min_agents: cython.long, state: cython.double[:]) -> cython.long:
    """``erlang._agents_erlang_c``: returns the agents; state[0] = B there, state[1] = the agents meeting
    the SL alone, state[2] = B at the first N of the walk, max(1, floor(A))."""
    agents: cython.long = max(1, cython.cast(cython.long, math.floor(traffic)))
    b: cython.double = erlang_b(traffic, agents)
    state[2] = b
    sl_agents: cython.long = -1
    c: cython.double
    while True:
        c = _c_from_b(traffic, agents, b)
        if sl_agents < 0 and _sl_c(traffic, agents, c, aht_s, target_s) >= sl_target:
            sl_agents = agents
        if sl_agents >= 0 and agents >= min_agents:
            state[0] = b
            state[1] = sl_agents
            return agents
        agents += 1
        b = traffic * b / (agents + traffic * b)


@cython.cfunc
@cython.exceptval(check=False)
def _erlang_c_row(traffic: cython.double, aht_s: cython.double, target_s: cython.double,
                  sl_target: cython.double, max_occupancy: cython.double, max_asa_s: cython.double,
                  out: cython.double[:], state: cython.double[:]) -> cython.long:
    """Erlang C staffing of one row (``erlang._staff_erlang_c`` + ``demand._step_to_targets``) into ``out``:
    agents, SL, ASA, occupancy, limited_by."""
    agents: cython.long = _erlang_c_walk(traffic, aht_s, target_s, sl_target, _ceil(traffic / max_occupancy), state)
    b: cython.double = state[0]
    label: cython.long = _OCCUPANCY if agents > state[1] else _SL
    c: cython.double = _c_from_b(traffic, agents, b)
    asa: cython.double = _asa_c(traffic, agents, c, aht_s)
    while asa > max_asa_s:  # max_asa_s = inf: no _ASA target
        label = _ASA
        agents += 1
        b = traffic * b / (agents + traffic * b)
        c = _c_from_b(traffic, agents, b)
        asa = _asa_c(traffic, agents, c, aht_s)
    out[0] = agents
    out[1] = _sl_c(traffic, agents, c, aht_s, target_s)
    out[2] = asa
    out[3] = traffic / agents
    out[4] = label
    return _OK


@cython.cfunc
@cython.exceptval(check=False)
def _erlang_a_figures(traffic: cython.double, agents: cython.long, b: cython.double, aht_s: cython.double,
                   patience_s: cython.double, target_s: cython.double, fig: cython.double[:]) -> cython.long:
    """Erlang A at N = ``agents`` (``erlang_a.erlang_a_metrics``, by ratios), B(N) = ``b`` given, into ``fig``:
    SL, ASA, abandon, occupancy, mean wait of all calls. Returns OK, or UNUSABLE where the engine must sum it."""
    a: cython.double = agents * patience_s / aht_s
    x: cython.double = traffic * patience_s / aht_s
    if not b > 0.0:
        return _UNUSABLE
    free: cython.double = (1.0 - b) / b  # the states with a free agent, relative to π_N: 1/B − 1
    theta_t: cython.double = target_s / patience_s
    one_minus_u: cython.double = -math.expm1(-theta_t)
    timed: cython.bint = one_minus_u > 0
    w: cython.double = math.exp(-(a + 1.0) * theta_t)  # the i = 0 term of I_u(a+1, j+1)
    if timed and w < 1e-280:
        return _UNUSABLE
    r: cython.double = 1.0
    top: cython.double = max(1.0, free)
    cdf: cython.double = 0.0
    harmonic: cython.double = 0.0
    waiting: cython.double = 0.0
    queue: cython.double = 0.0
    in_t: cython.double = 0.0
    answered_wait: cython.double = 0.0
    served: cython.double
    inv: cython.double = 1.0 / (a + 1.0)  # 1/(a + j + 1), one division a state
    inv_prev: cython.double = 0.0
    j: cython.long = 0
    while True:
        if j > 0:
            r *= x * inv_prev  # x/(a + j)
            if timed:
                w *= (a + j) / j * one_minus_u
        if timed:
            cdf += w
        harmonic += inv
        served = a * inv
        waiting += r
        queue += j * r
        if timed:
            in_t += r * served * max(0.0, 1.0 - cdf)
        answered_wait += r * served * harmonic
        top = max(top, r)
        if j > x - a and r < top * _TAIL:
            break
        if r > _BIG:  # deep overload: everything relative to π_N, rescaled
            r *= _SCALE
            top *= _SCALE
            free *= _SCALE
            waiting *= _SCALE
            queue *= _SCALE
            in_t *= _SCALE
            answered_wait *= _SCALE
        j += 1
        if j > _MAX_STATES:
            return _UNUSABLE
        inv_prev = inv
        inv = 1.0 / (a + 1.0 + j)
    total: cython.double = free + waiting
    abandon: cython.double = (queue / total) / x
    answered: cython.double = 1.0 - abandon
    fig[0] = (free + in_t) / total
    fig[1] = patience_s * (answered_wait / total) / answered if answered > 0 else _INF
    fig[2] = abandon
    fig[3] = min(1.0, traffic * answered / agents)
    fig[4] = (queue / total) * aht_s / traffic
    if not (math.isfinite(fig[0]) and math.isfinite(fig[2]) and math.isfinite(fig[3]) and math.isfinite(fig[4])
            and fig[1] == fig[1]):
        return _UNUSABLE
    return _OK


@cython.cfunc
@cython.exceptval(check=False)
def _near(value: cython.double, target: cython.double) -> cython.bint:
    return math.isfinite(target) and abs(value - target) <= _TIE * max(1.0, abs(target))


# The parameters of one Erlang A row, as a vector ``q`` (see ``_erlang_a_row``)
_Q_TRAFFIC = cython.declare(cython.int, 0)
_Q_AHT = cython.declare(cython.int, 1)
_Q_WITHIN = cython.declare(cython.int, 2)
_Q_PATIENCE = cython.declare(cython.int, 3)
_Q_SL = cython.declare(cython.int, 4)
_Q_OCCUPANCY = cython.declare(cython.int, 5)
_Q_ASA = cython.declare(cython.int, 6)
_Q_ABANDON = cython.declare(cython.int, 7)


@cython.cfunc
@cython.exceptval(check=False)
def _tie(fig: cython.double[:], q: cython.double[:]) -> cython.bint:
    return _near(fig[0], q[_Q_SL]) or _near(fig[3], q[_Q_OCCUPANCY]) or _near(fig[1], q[_Q_ASA]) \
        or _near(fig[2], q[_Q_ABANDON])


@cython.cfunc
@cython.exceptval(check=False)
def _probe(n: cython.long, q: cython.double[:], fig: cython.double[:], state: cython.double[:]) -> cython.long:
    """1 when N = n meets every target, 0 when not, −1 when the sums are unusable (figures into ``fig``).
    ``state`` is the Erlang C walk's (state[2]: B at max(1, floor(A)))."""
    traffic: cython.double = q[_Q_TRAFFIC]
    if n > 4.0 * traffic + 10_000:
        return -1
    start: cython.long = max(1, cython.cast(cython.long, math.floor(traffic)))
    b: cython.double = _b_from(traffic, start, state[2], n)
    if _erlang_a_figures(traffic, n, b, q[_Q_AHT], q[_Q_PATIENCE], q[_Q_WITHIN], fig) != _OK:
        return -1
    if fig[0] >= q[_Q_SL] and fig[3] <= q[_Q_OCCUPANCY] and fig[1] <= q[_Q_ASA] and fig[2] <= q[_Q_ABANDON]:
        return 1
    return 0


@cython.cfunc
@cython.exceptval(check=False)
def _search(guess: cython.long, known_false: cython.long, q: cython.double[:], scratch: cython.double[:, :]
            ) -> cython.long:
    """``erlang._min_true`` over ``_probe``: the smallest passing N > known_false, gallop from ``guess`` then
    bisect. Figures at N into scratch[1], at the last failing N below into scratch[2] and that N into
    scratch[3][3]; −1 when a probe's sums are unusable."""
    fig: cython.double[:] = scratch[0]
    at_high: cython.double[:] = scratch[1]
    at_low: cython.double[:] = scratch[2]
    state: cython.double[:] = scratch[3]
    step: cython.long = 1
    low: cython.long
    high: cython.long
    middle: cython.long
    found: cython.long = _probe(guess, q, fig, state)
    if found < 0:
        return -1
    if found:
        high = guess
        at_high[:] = fig
        while high - step > known_false:
            found = _probe(high - step, q, fig, state)
            if found < 0:
                return -1
            if not found:
                at_low[:] = fig
                break
            high -= step
            step *= 2
            at_high[:] = fig
        low = max(known_false, high - step)
    else:
        low = guess
        at_low[:] = fig
        while True:
            found = _probe(low + step, q, fig, state)
            if found < 0:
                return -1
            if found:
                high = low + step
                at_high[:] = fig
                break
            low += step
            step *= 2
            at_low[:] = fig
    while high - low > 1:
        middle = (low + high) // 2
        found = _probe(middle, q, fig, state)
        if found < 0:
            return -1
        if found:
            high = middle
            at_high[:] = fig
        else:
            low = middle
            at_low[:] = fig
    state[3] = low
    return high


@cython.cfunc
@cython.exceptval(check=False)
def _erlang_a_row(q: cython.double[:], out: cython.double[:], scratch: cython.double[:, :]) -> cython.long:
    """Fewest N meeting every target under Erlang A for the row ``q`` (traffic, AHT, answer within, patience,
    SL target, occupancy cap, max ASA, max abandon); out = agents, SL, ASA, occupancy, abandon, mean wait,
    limited_by. Returns the row flag.

    No N ≤ ceil(SL·A) − 1 meets the SL (``erlang._staff_erlang_a``). The search starts one below Erlang C's
    SL-alone answer: abandons lift the SL, so Erlang A's answer is most often there or one above (the
    occupancy cap or max_abandon), and two probes, N and N − 1, settle most rows."""
    traffic: cython.double = q[_Q_TRAFFIC]
    sl_target: cython.double = q[_Q_SL]
    known_false: cython.long = max(0, cython.cast(cython.long, math.ceil(sl_target * traffic)) - 1)
    state: cython.double[:] = scratch[3]
    _erlang_c_walk(traffic, q[_Q_AHT], q[_Q_WITHIN], sl_target, 1, state)
    high: cython.long = _search(max(cython.cast(cython.long, state[1]) - 1, known_false + 1), known_false, q,
                                scratch)
    if high < 0:
        return _UNUSABLE
    at_high: cython.double[:] = scratch[1]
    at_low: cython.double[:] = scratch[2]
    out[0] = high
    out[1] = at_high[0]
    out[2] = at_high[1]
    out[3] = at_high[3]
    out[4] = at_high[2]
    out[5] = at_high[4]
    probed_low: cython.bint = state[3] > known_false  # N − 1 evaluated (at or below the bound the SL surely fails)
    if not probed_low or at_low[0] < sl_target:
        out[6] = _SL
    elif at_low[3] > q[_Q_OCCUPANCY]:
        out[6] = _OCCUPANCY
    elif at_low[1] > q[_Q_ASA]:
        out[6] = _ASA
    else:
        out[6] = _ABANDON
    if _tie(at_high, q) or (probed_low and _tie(at_low, q)):
        return _TIE_ROW
    return _OK


@cython.cfunc
@cython.exceptval(check=False)
def _seen(i: cython.Py_ssize_t, traffic: cython.double[:], aht_s: cython.double[:], target_s: cython.double[:],
          table: cython.longlong[:]) -> cython.Py_ssize_t:
    """An earlier row with the same traffic, AHT and answer-within time, or −1 (then row i is entered).

    Open addressing over ``table`` (a power of two, at least twice the rows); equality is exact."""
    key: cython.double = traffic[i] * 1024.0 + aht_s[i] * 8.0 + target_s[i]
    if not (key >= 0.0 and key < 1e15):  # no hash for it: computed on its own
        return -1
    u: cython.ulonglong = cython.cast(cython.ulonglong, key * 16.0)
    mask: cython.Py_ssize_t = table.shape[0] - 1
    h: cython.Py_ssize_t = cython.cast(cython.Py_ssize_t, (u ^ (u >> 13) ^ (u >> 29)) & mask)
    j: cython.Py_ssize_t
    while table[h] >= 0:
        j = table[h]
        if traffic[j] == traffic[i] and aht_s[j] == aht_s[i] and target_s[j] == target_s[i]:
            return j
        h = (h + 1) & mask
    table[h] = i
    return -1


def staff_rows(traffic: cython.double[:], aht_s: cython.double[:], target_s: cython.double[:],
               sl_target: cython.double, max_occupancy: cython.double, patience_s: cython.double,
               max_asa_s: cython.double, max_abandon: cython.double, max_traffic: cython.double):
    """Every row's fewest agents and figures. ``patience_s`` ≤ 0: Erlang C; ``max_asa_s``/``max_abandon`` inf:
    no such target; a row past ``max_traffic`` Erlang (or not finite) is not sized: UNUSABLE. A row equal to
    an earlier one (traffic, AHT, answer-within) is copied from it.

    Returns (agents, figures, labels, flags, flagged): ``figures`` rows are SL, ASA, occupancy, abandon and
    mean wait of all calls (the last two NaN under Erlang C); flags OK, TIE_ROW or UNUSABLE, ``flagged``
    the number of rows not OK."""
    rows: cython.Py_ssize_t = traffic.shape[0]
    agents_arr = np.zeros(rows, np.int64)
    figures_arr = np.full((5, rows), np.nan)
    labels_arr = np.zeros(rows, np.int64)
    flags_arr = np.zeros(rows, np.int64)
    agents: cython.longlong[:] = agents_arr
    figures: cython.double[:, :] = figures_arr
    labels: cython.longlong[:] = labels_arr
    flags: cython.longlong[:] = flags_arr
    size: cython.Py_ssize_t = 16
    while size < 2 * rows:
        size *= 2
    table: cython.longlong[:] = np.full(size, -1, np.int64)
    out: cython.double[:] = np.empty(7)
    q: cython.double[:] = np.array([0.0, 0.0, 0.0, patience_s, sl_target, max_occupancy, max_asa_s, max_abandon])
    scratch: cython.double[:, :] = np.empty((4, 5))
    i: cython.Py_ssize_t
    j: cython.Py_ssize_t
    k: cython.Py_ssize_t
    erlang_c: cython.bint = patience_s <= 0
    flagged: cython.Py_ssize_t = 0
    for i in range(rows):
        if not traffic[i] <= max_traffic:  # NaN too
            flags[i] = _UNUSABLE
        else:
            j = _seen(i, traffic, aht_s, target_s, table)
            if j >= 0:
                agents[i], labels[i], flags[i] = agents[j], labels[j], flags[j]
                for k in range(5):
                    figures[k, i] = figures[k, j]
            elif erlang_c:
                _erlang_c_row(traffic[i], aht_s[i], target_s[i], sl_target, max_occupancy, max_asa_s, out,
                              scratch[3])
                agents[i] = cython.cast(cython.longlong, out[0])
                labels[i] = cython.cast(cython.longlong, out[4])
                for k in range(3):
                    figures[k, i] = out[k + 1]
            else:
                q[_Q_TRAFFIC], q[_Q_AHT], q[_Q_WITHIN] = traffic[i], aht_s[i], target_s[i]
                flags[i] = _erlang_a_row(q, out, scratch)
                if flags[i] != _UNUSABLE:
                    agents[i] = cython.cast(cython.longlong, out[0])
                    labels[i] = cython.cast(cython.longlong, out[6])
                    for k in range(5):
                        figures[k, i] = out[k + 1]
        if flags[i] != _OK:
            flagged += 1
    return agents_arr, figures_arr, labels_arr, flags_arr, flagged
