"""Staffing of many intervals at once (numpy, scipy.special): ``demand._queue_need``'s answers for a week.

The single-interval engine (``erlang.py``, ``erlang_a.py``, ``demand._queue_need``) stays the reference;
this module finds the same fewest agents for all of a queue's intervals in a few array passes:

- Erlang C: each interval gets a window of N from max(1, floor(A), ceil(A / cap) − 1) (no N ≤ A meets an
  SL). B at its first N is the closed form Poisson pmf ÷ cdf (``scipy.special.pdtr``); the recursion
  B(n) = A·B(n−1) / (n + A·B(n−1)), run once for every interval together, gives B at every N of the window,
  so the fewest N meeting the SL, the occupancy cap and max ASA is a scan of a table, not a bisection. Rows
  not settled in their window continue in a wider one.
- Erlang A: the fewest N is searched from the Erlang C answer by rounds of two probes per interval, each
  probe in closed form: the chain sums of ``erlang_a.py`` summed over the queue states j are regularised
  incomplete gamma functions (see ``_erlang_a_closed``). The figures reported at N are the chain sums
  themselves, vectorised over intervals (``_erlang_a_rows``).
- Identical (volume, AHT) intervals are computed once.

Array arithmetic differs from the scalar loops in the last bits, so an interval whose deciding figure at N
or N − 1 lies within 1e-8 of its target (absolute for shares, relative for seconds), or whose figures are
not finite, is handed to the scalar engine: the agents and ``limited_by`` are always the scalar engine's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from ccinfra.sizing.erlang_a import _TAIL_LOG_CUTOFF

_TIE = 1e-8  # a metric this close (relative) to its target is decided by the scalar engine
_MAX_CELLS = 20_000_000  # more chain states than this: the scalar engine (and its guard) decides
_FIGURES = ("service_level", "asa_s", "abandon", "occupancy", "mean_wait_s")
_MAX_ROUNDS = 64
_MAX_TRAFFIC = 1e6  # beyond this the closed forms lose digits: the scalar engine decides


class _TooLong(Exception):
    """The chain sums would need more memory than a batch should take."""


@dataclass
class BatchStaffing:
    """Per-interval answers, one array element per interval (abandon/mean wait: Erlang A only)."""

    agents: np.ndarray
    service_level: np.ndarray
    asa_s: np.ndarray
    occupancy: np.ndarray
    abandon_probability: np.ndarray | None
    mean_wait_s: np.ndarray | None
    limited_by: np.ndarray  # of str


def _ceil_array(values: np.ndarray) -> np.ndarray:
    """``erlang._ceil`` elementwise (float noise ignored)."""
    return np.ceil(values - 1e-9 * np.maximum(1.0, np.abs(values)))


def _log_erlang_b(agents: np.ndarray, traffic: np.ndarray) -> np.ndarray:
    """log B(N) in closed form: B = Poisson pmf(N; A) ÷ Poisson cdf(N; A) (the recursion's value)."""
    return agents * np.log(traffic) - traffic - special.gammaln(agents + 1.0) - np.log(special.pdtr(agents, traffic))


def _b_table(traffic: np.ndarray, first: np.ndarray, columns: int, b_first: np.ndarray) -> np.ndarray:
    """B(first + k) for k = 0..columns − 1 from B(first): the recursion, all rows at once."""
    table = np.empty((columns, len(traffic)))
    b = table[0] = b_first
    for k in range(1, columns):
        ab = traffic * b
        b = table[k] = ab / (first + k + ab)
    return table.T


def _near(value: np.ndarray, target: float) -> np.ndarray:
    return np.abs(value - target) <= _TIE * max(1.0, abs(target))


def _scalar_engine(interval_s, max_occupancy, target_s, sl_target, patience_s, max_asa_s, max_abandon):
    """The single-interval engine with every target (``demand._queue_need``), as scalar(volume, aht_s)."""
    from ccinfra.sizing.demand import _queue_need  # demand imports this module

    def scalar(volume: float, aht_s: float):
        return _queue_need(volume, aht_s, float(interval_s), float(max_occupancy), float(target_s), sl_target,
                           patience_s, max_asa_s, max_abandon)
    return scalar


def _scalar_rows(result: BatchStaffing, rows, volume, aht_s, scalar) -> None:
    """Rows too close to a target to decide by array sums: the single-interval engine's answer."""
    for i in rows.tolist():
        r = scalar(float(volume[i]), float(aht_s[i]))
        result.agents[i] = r.agents
        result.service_level[i], result.asa_s[i], result.occupancy[i] = r.service_level, r.asa_s, r.occupancy
        if result.abandon_probability is not None:
            result.abandon_probability[i], result.mean_wait_s[i] = r.abandon_probability, r.mean_wait_all_s
        result.limited_by[i] = r.limited_by


def _expand(result: BatchStaffing, inverse: np.ndarray) -> BatchStaffing:
    """From the distinct (volume, AHT) rows back to every interval."""
    def pick(values):
        return None if values is None else values[inverse]
    return BatchStaffing(agents=result.agents[inverse], service_level=result.service_level[inverse],
                         asa_s=result.asa_s[inverse], occupancy=result.occupancy[inverse],
                         abandon_probability=pick(result.abandon_probability), mean_wait_s=pick(result.mean_wait_s),
                         limited_by=result.limited_by[inverse])


# ---------------------------------------------------------------------------- Erlang C
def _erlang_c_table(traffic, aht_s, target_s, n, b_tab):
    """Erlang C C(N) and the service level at N = n[row, column] of every row, from the Erlang B table."""
    a = traffic[:, None]
    above = n > a
    c = np.where(above, n * b_tab / (n - a * (1.0 - b_tab)), 1.0)
    sl = np.where(above, np.maximum(0.0, 1.0 - c * np.exp((a - n) * (target_s / aht_s)[:, None])), 0.0)
    return c, sl


def _asa(traffic, aht_s, n, c):
    return np.where(n > traffic, c * aht_s / (n - traffic), np.inf)


def _erlang_c_settle(traffic, aht_s, target_s, sl_target, min_agents, max_asa_s, first, b_first, columns):
    """Fewest N ≥ first meeting every target: one window of N = first..first+columns−1 (a B table, the SL and
    ASA at each N), then, for the rows it does not settle, the next window twice as wide from its last N.

    Returns N, then the SL and ASA at N and at N − 1, whether N − 1 was in a window, and N − 1's failures.
    """
    n = first[:, None] + np.arange(columns)[None, :]
    b_tab = _b_table(traffic, first, columns, b_first)
    c, sl = _erlang_c_table(traffic, aht_s, target_s, n, b_tab)
    ok_sl = sl >= sl_target
    ok = ok_sl & (n >= min_agents[:, None])
    if max_asa_s is not None:
        ok &= _asa(traffic[:, None], aht_s[:, None], n, c) <= max_asa_s
    k = ok.argmax(axis=1)
    rows = np.arange(len(traffic))
    below = np.maximum(k - 1, 0)
    n_at, n_below = n[rows, k], n[rows, below]
    out = [n_at, sl[rows, k], _asa(traffic, aht_s, n_at, c[rows, k]), sl[rows, below],
           _asa(traffic, aht_s, n_below, c[rows, below]), k > 0, (k == 0) | ~ok_sl[rows, below], n_below < min_agents]
    rest = ~ok[rows, k]
    if rest.any():  # k = 0 there: nothing met in this window
        more = _erlang_c_settle(traffic[rest], aht_s[rest], target_s, sl_target, min_agents[rest], max_asa_s,
                                n[rest, -1], b_tab[rest, -1], 2 * columns)
        for values, moved in zip(out, more):
            values[rest] = moved
    return out


def _erlang_c_many(traffic, aht_s, target_s, sl_target, max_occupancy, max_asa_s):
    """Fewest N per row under Erlang C (SL, occupancy cap, ASA), its figures, limited_by and near-tie rows.

    Each row's first window starts at max(1, floor(A), ceil(A / cap) − 1): no N below A meets the SL.
    """
    min_agents = np.maximum(1.0, _ceil_array(traffic / max_occupancy)).astype(int)
    first = np.maximum(np.maximum(1, np.floor(traffic).astype(int)), min_agents - 1)
    b_first = np.exp(_log_erlang_b(first.astype(float), traffic))
    agents, sl, asa, sl_below, asa_below, has_below, sl_fails, occ_fails = _erlang_c_settle(
        traffic, aht_s, target_s, sl_target, min_agents, max_asa_s, first, b_first, 6)
    tie = _near(sl, sl_target) | (has_below & _near(sl_below, sl_target))
    if max_asa_s is not None:
        tie |= _near(asa, max_asa_s) | (has_below & _near(asa_below, max_asa_s))
    tie |= ~np.isfinite(b_first) | (traffic > _MAX_TRAFFIC)
    labels = np.where(sl_fails, "service_level", np.where(occ_fails, "occupancy", "max_asa_s")).astype(object)
    return agents, tie, sl, asa, labels


def staff_erlang_c(volume, aht_s, interval_s, target_s, sl_target, max_occupancy=1.0, max_asa_s=None,
                   scalar=None) -> BatchStaffing:
    """Erlang C staffing of every interval: the fewest N meeting the SL, the occupancy cap and ``max_asa_s``.

    ``volume`` (> 0) and ``aht_s`` are arrays; ``target_s`` (answer within) is one number, or an array to
    staff intervals of several queues at once. ``scalar(volume, aht_s)`` returns the single-interval answer
    (a ``demand.Need``) for rows too close to a target to decide here; without it, ``demand._queue_need``.

    >>> r = staff_erlang_c(np.array([100.0, 5.0, 100.0]), np.array([180.0, 180.0, 180.0]), 1800, 20, 0.8)
    >>> r.agents.tolist(), r.limited_by.tolist()      # 10 E needs 14 (DESIGN.md), 0.5 E needs 2
    ([14, 2, 14], ['service_level', 'service_level', 'service_level'])
    >>> staff_erlang_c(np.array([100.0, 100.0]), np.full(2, 180.0), 1800, np.array([20.0, 60.0]), 0.8).agents.tolist()
    [14, 13]
    """
    per_row = np.ndim(target_s) > 0
    if per_row:  # rows of different queues: no two alike to merge
        vol, aht, inverse = np.asarray(volume, float), np.asarray(aht_s, float), None
        target_s = np.asarray(target_s, float)
    else:
        keys, inverse = np.unique(np.asarray(volume, float) + 1j * np.asarray(aht_s, float), return_inverse=True)
        vol, aht = keys.real, keys.imag
    traffic = vol * aht / interval_s
    with np.errstate(all="ignore"):  # masked cells (N ≤ A) divide by 0: np.where drops them
        agents, tie, sl, asa, labels = _erlang_c_many(traffic, aht, target_s, sl_target, max_occupancy, max_asa_s)
    result = BatchStaffing(agents=agents, service_level=sl, asa_s=asa, occupancy=traffic / agents,
                           abandon_probability=None, mean_wait_s=None, limited_by=labels)
    for i in np.flatnonzero(tie).tolist():
        row_target = float(target_s[i]) if per_row else target_s
        engine = scalar or _scalar_engine(interval_s, max_occupancy, row_target, sl_target, None, max_asa_s, None)
        _scalar_rows(result, np.array([i]), vol, aht, engine)
    return result if inverse is None else _expand(result, inverse)


# ---------------------------------------------------------------------------- Erlang A
def _state_tables(a_values, j, theta_t):
    """Per distinct a = N·patience/AHT: Σ log(a+k), and the SL and wait weights of state j (erlang_a.py)."""
    a = a_values[:, None]
    jj = j[None, :]
    log_steps = np.log(a + jj)
    log_steps[:, 0] = 0.0
    cum_log = np.cumsum(log_steps, axis=1)
    served = a / (a + jj + 1.0)
    harmonic = np.cumsum(1.0 / (a + 1.0 + jj), axis=1)
    one_minus_u = -math.expm1(-theta_t)
    if one_minus_u > 0:
        inc = np.log((a + jj) / np.maximum(jj, 1)) + math.log(one_minus_u)
        inc[:, 0] = -(a_values + 1.0) * theta_t
        cdf = np.cumsum(np.exp(np.cumsum(inc, axis=1)), axis=1)
        in_t = served * np.maximum(0.0, 1.0 - cdf)
    else:
        in_t = np.zeros_like(served)
    return cum_log, in_t, served * harmonic


def _erlang_a_rows(traffic, agents, aht_s, patience_s, target_s, log_b):
    """Erlang A figures of each row by the chain sums of ``erlang_a.erlang_a_metrics``, all rows at once.

    Every row is summed over the same states j = 0..J−1, J long enough that each row's last term is below
    e^-40 of its largest (the scalar loop's cut: the terms it leaves out are smaller still).
    """
    a = agents * patience_s / aht_s
    x = traffic * patience_s / aht_s
    log_free = np.where(log_b < 0, np.log(-np.expm1(log_b)) - log_b, -np.inf)
    length = int(np.max(np.maximum(x - a, 0.0) + 9.0 * np.sqrt(x + 1.0))) + 16
    a_values, which = np.unique(a, return_inverse=True)
    while True:
        if length * len(a) > _MAX_CELLS:
            raise _TooLong
        j = np.arange(length)
        cum_log, in_t, wait_w = _state_tables(a_values, j, target_s / patience_s)
        logs = j[None, :] * np.log(x)[:, None] - cum_log[which]
        top = np.maximum(logs.max(axis=1), log_free)
        if (logs[:, -1] < top - _TAIL_LOG_CUTOFF).all():
            break
        length *= 2
    weight = np.exp(logs - top[:, None])
    free = np.exp(log_free - top)
    total = free + weight.sum(axis=1)
    queue = weight @ j
    abandon = (queue / total) / x
    answered = 1.0 - abandon
    asa = np.where(answered > 0, patience_s * ((weight * wait_w[which]).sum(axis=1) / total) / answered, np.inf)
    return dict(service_level=(free + (weight * in_t[which]).sum(axis=1)) / total, asa_s=asa,
                abandon=abandon, occupancy=np.minimum(1.0, traffic * answered / agents),
                mean_wait_s=(queue / total) * aht_s / traffic)


def _erlang_a_closed(traffic, agents, aht_s, patience_s, target_s, log_b):
    """SL, abandon, occupancy and a bound on ASA in closed form (regularised incomplete gamma P(a, x)).

    With a = N·patience/AHT, x = A·patience/AHT, u = e^(−T/patience), relative to π_N:
    Σ r_j = W = Γ(a+1)·x^(−a)·e^x·P(a, x);  answered from the queue = W·(a/x)·P(a+1, x)/P(a, x);
    answered within T = W·(a/x)·(P(a+1, x) − P(a+1, x·u))/P(a, x) (the Beta sums of erlang_a.py, summed
    over j); abandon = share waiting × (1 − answered from the queue ÷ W). ASA ≤ mean wait of all calls ÷
    answered share (abandoned calls wait too), so ASA itself is only summed where that bound is not enough.
    Returns the figures and the rows whose closed form is ill-conditioned (those get the sums).
    """
    a = agents * patience_s / aht_s
    x = traffic * patience_s / aht_s
    xu = x * math.exp(-target_s / patience_s)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_free = np.where(log_b < 0, np.log(-np.expm1(log_b)) - log_b, -np.inf)
        p_a = special.gammainc(a, x)
        log_w = special.gammaln(a + 1.0) - a * np.log(x) + x + np.log(p_a)
        top = np.maximum(log_w, log_free)
        w, free = np.exp(log_w - top), np.exp(log_free - top)
        total = w + free
        p_a1 = p_a * -np.expm1(-log_w)  # P(a+1, x) = P(a, x) − x^a·e^(−x)/Γ(a+1) = P(a, x)·(1 − 1/W)
        served = (a / x) * p_a1 / p_a  # answered from the queue ÷ W
        within = p_a1 - special.gammainc(a + 1.0, xu)
        abandon = (w / total) * (1.0 - served)
        sl = (free + w * (a / x) * within / p_a) / total
        answered = 1.0 - abandon
        m = dict(service_level=sl, abandon=abandon, occupancy=np.minimum(1.0, traffic * answered / agents),
                 mean_wait_s=abandon * patience_s)
        m["asa_s"] = m["mean_wait_s"] / answered
    bad = ~(np.isfinite(sl) & np.isfinite(abandon) & (p_a > 1e-250)) | (traffic > _MAX_TRAFFIC)
    return m, bad


def _targets_met(m, sl_target, max_occupancy, max_asa_s, max_abandon):
    ok = (m["service_level"] >= sl_target) & (m["occupancy"] <= max_occupancy)
    if max_asa_s is not None:
        ok &= m["asa_s"] <= max_asa_s
    if max_abandon is not None:
        ok &= m["abandon"] <= max_abandon
    return ok


def _ties(m, sl_target, max_occupancy, max_asa_s, max_abandon):
    tie = _near(m["service_level"], sl_target) | _near(m["occupancy"], max_occupancy)
    if max_asa_s is not None:
        tie |= _near(m["asa_s"], max_asa_s)
    if max_abandon is not None:
        tie |= _near(m["abandon"], max_abandon)
    return tie | ~np.isfinite(m["service_level"]) | ~np.isfinite(m["abandon"])


def _search_erlang_a(traffic, sl_target, guess, evaluate, met):
    """Fewest N per row with met(N) (monotone in N), by rounds of two probes (c − 1, c) per open row.

    Starts from ``guess`` (the Erlang C answer, one above most Erlang A answers), gallops up or down until a
    pass and a fail are known, then bisects. Returns N and whether N − 1 was probed (else it is below the
    scalar engine's lower bound ceil(SL·A) − 1, where no N meets the SL).
    """
    rows = len(traffic)
    never = np.iinfo(np.int64).max
    low = np.maximum(0, np.ceil(traffic * sl_target).astype(int) - 1)  # erlang._staff_erlang_a's bound
    high = np.full(rows, never)
    probed_low = np.zeros(rows, bool)
    probe = np.maximum(guess, low + 1)
    step = np.ones(rows, int)
    open_rows = np.ones(rows, bool)
    for _ in range(_MAX_ROUNDS):
        if not open_rows.any():
            return high, probed_low
        idx = np.flatnonzero(open_rows)
        i = np.concatenate([idx, idx])
        n = np.concatenate([probe[idx], probe[idx] - 1])  # probes c and c − 1
        keep = (n > low[i]) & (n < high[i])
        i, n = i[keep], n[keep]
        ok = met(evaluate(i, n))
        np.minimum.at(high, i[ok], n[ok])
        np.maximum.at(low, i[~ok], n[~ok])
        probed_low[i[~ok]] = True
        open_rows &= high != low + 1
        up = open_rows & (high == never)  # no pass yet: gallop up
        down = open_rows & ~up & ~probed_low  # no fail yet: gallop down
        probe = np.where(up, low + 1 + step, np.where(down, np.maximum(low + 1, high - step), (low + high + 1) // 2))
        step = np.where(up | down, step * 2, step)
    raise _TooLong  # a row that never settles (non-finite figures): the scalar engine decides


def _labels_a(at_low, probed_low, sl_target, max_occupancy, max_asa_s) -> np.ndarray:
    """The scalar engine's limited_by, read from which target N − 1 misses (SL, occupancy, ASA, abandon)."""
    asa_fails = at_low["asa_s"] > max_asa_s if max_asa_s is not None else np.zeros(len(at_low["asa_s"]), bool)
    return np.select([~probed_low | (at_low["service_level"] < sl_target),
                      at_low["occupancy"] > max_occupancy, asa_fails],
                     ["service_level", "occupancy", "max_asa_s"], "max_abandon").astype(object)


class _ErlangAProbe:
    """Erlang A figures of (row, N) pairs of one queue: closed form to decide, chain sums where it cannot."""

    def __init__(self, traffic, aht_s, target_s, sl_target, patience_s, max_occupancy, max_asa_s, max_abandon):
        self.traffic, self.aht_s, self.target_s, self.patience_s = traffic, aht_s, target_s, patience_s
        self.targets = (sl_target, max_occupancy, max_asa_s, max_abandon)

    def sums(self, i, n):
        return _erlang_a_rows(self.traffic[i], n, self.aht_s[i], self.patience_s, self.target_s,
                              _log_erlang_b(n, self.traffic[i]))

    def __call__(self, i, n):
        n = n.astype(float)
        m, bad = _erlang_a_closed(self.traffic[i], n, self.aht_s[i], self.patience_s, self.target_s,
                                  _log_erlang_b(n, self.traffic[i]))
        if self.targets[2] is not None:
            bad |= m["asa_s"] > self.targets[2]  # the bound does not settle it: the real ASA
        if bad.any():
            for key, values in self.sums(i[bad], n[bad]).items():
                m[key][bad] = values
        return m

    def met(self, m):
        return _targets_met(m, *self.targets)

    def ties(self, m):
        return _ties(m, *self.targets)


def staff_erlang_a(volume, aht_s, interval_s, target_s, sl_target, patience_s, max_occupancy=1.0,
                   max_asa_s=None, max_abandon=None, scalar=None) -> BatchStaffing:
    """Erlang A staffing of every interval: the fewest N meeting SL, occupancy, ``max_asa_s``, ``max_abandon``.

    ``scalar(volume, aht_s)`` gives the single-interval answer for rows too close to a target to decide here.

    >>> r = staff_erlang_a(np.array([100.0, 100.0]), np.array([180.0, 180.0]), 1800, 20, 0.8, patience_s=1e9)
    >>> r.agents.tolist()                       # patience → ∞ is Erlang C: 14 at 10 E
    [14, 14]
    """
    keys, inverse = np.unique(np.asarray(volume, float) + 1j * np.asarray(aht_s, float), return_inverse=True)
    vol, aht = keys.real, keys.imag
    traffic = vol * aht / interval_s
    rows = np.arange(len(traffic))
    probe = _ErlangAProbe(traffic, aht, target_s, sl_target, patience_s, max_occupancy, max_asa_s, max_abandon)
    try:
        with np.errstate(all="ignore"):  # non-finite figures are checked: such rows get the scalar engine
            guess = _erlang_c_many(traffic, aht, target_s, sl_target, max_occupancy, max_asa_s)[0] - 1
            agents, probed_low = _search_erlang_a(traffic, sl_target, guess, probe, probe.met)
            at_n = probe.sums(rows, agents.astype(float))  # the figures reported
            below = probe(rows, np.maximum(agents - 1, 1))  # which target N − 1 misses
        tie = probe.ties(at_n) | ~probe.met(at_n) | (probed_low & probe.ties(below))
        labels = _labels_a(below, probed_low, sl_target, max_occupancy, max_asa_s)
    except _TooLong:  # too long a chain for arrays: the scalar engine (and its guard) for every row
        agents, tie, labels = np.zeros(len(traffic), int), np.ones(len(traffic), bool), np.zeros(len(traffic), object)
        at_n = {key: np.zeros(len(traffic)) for key in _FIGURES}
    result = BatchStaffing(agents=agents, service_level=at_n["service_level"], asa_s=at_n["asa_s"],
                           occupancy=at_n["occupancy"], abandon_probability=at_n["abandon"],
                           mean_wait_s=at_n["mean_wait_s"], limited_by=labels)
    if tie.any():
        scalar = scalar or _scalar_engine(interval_s, max_occupancy, target_s, sl_target, patience_s, max_asa_s,
                                          max_abandon)
        _scalar_rows(result, np.flatnonzero(tie), vol, aht, scalar)
    return _expand(result, inverse)
