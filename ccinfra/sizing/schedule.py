"""Shift schedule that minimises paid hours: an exact MILP solved by HiGHS (``scipy.optimize.milp``).

The covering problem "on duty(t) ≥ required(t) for every interval t" is written in its differenced
(network) form: with a surplus s_t = on_duty(t) − required(t) ≥ 0,

    Σ shifts starting at t − Σ shifts ending at t − s_t + s_{t−1} = required(t) − required(t−1),

so each shift column has two non-zeros instead of one per covered interval (a 7 × 96 quarter-hour week
with 3 lengths every 15 minutes is ~1,900 columns and ~4,000 non-zeros). Deferred work adds, per queue,
the cumulative work served Y_t: 0 ≤ Y_t − Y_{t−1}, Σ_queues (Y_t − Y_{t−1}) ≤ capacity left for deferred
work = (1 − shrinkage)·on_duty(t) − real-time requirement(t), Y_t ≤ arrivals up to t, and Y_t ≥ the
arrivals of every interval whose deadline is t. Cumulative service that meets those bounds exists exactly
when first-in-first-out service meets every deadline (FIFO serves the earliest work first, so its
cumulative service is the largest possible at every t). The part-time cap is one row.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from ccinfra.errors import SpecError


@dataclass(frozen=True)
class Shift:
    """A candidate shift: it starts at slot ``first`` and covers ``length`` consecutive open slots."""

    first: int
    length: int
    hours: float


@dataclass
class DeferredLoad:
    """One deferred queue: work arriving per slot (agent-slots) and, per slot, the last slot to finish it by."""

    name: str
    work: list[float]
    deadline: list[int]


@dataclass
class ScheduleProblem:
    required: list[int]
    real_time: list[float]
    windows: list[tuple[int, int]]
    shift_hours: list[float]
    slot_min: int
    start_every_min: int
    max_part_time_share: float = 1.0
    shrinkage: float = 0.0
    deferred: list[DeferredLoad] = field(default_factory=list)
    time_limit_s: float = 30.0


@dataclass
class ScheduleResult:
    shifts: list[tuple[Shift, int]]
    on_duty: list[int]
    paid_hours: float
    status: str
    gap: float
    solve_s: float
    lp_bound: float
    served: list[float]
    backlog: list[float]
    finish: dict[tuple[int, int], int]


def candidate_shifts(problem: ScheduleProblem) -> list[Shift]:
    """Every (start on the grid from each window's first slot, length) that fits inside its window."""
    step = problem.start_every_min // problem.slot_min
    out = []
    for first_slot, end_slot in problem.windows:
        for first in range(first_slot, end_slot, step):
            for hours in problem.shift_hours:
                length = round(hours * 60 / problem.slot_min)
                if first + length <= end_slot:
                    out.append(Shift(first, length, hours))
    return out


def _check_windows(problem: ScheduleProblem) -> None:
    shortest = min(round(h * 60 / problem.slot_min) for h in problem.shift_hours)
    for first, end in problem.windows:
        if end - first < shortest and any(problem.required[first:end]):
            raise SpecError(
                f"schedule.shift_hours: a day is open {(end - first) * problem.slot_min / 60:g} h, shorter than the "
                f"shortest shift ({min(problem.shift_hours):g} h); add a shorter shift length"
            )


class _Rows:
    """Sparse rows of the MILP, built row by row: entries (row, column, value) and the row bounds."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def add(self, col: int, value: float) -> None:
        self.rows.append(len(self.lo)), self.cols.append(col), self.vals.append(value)

    def close(self, lo: float, hi: float) -> None:
        self.lo.append(lo), self.hi.append(hi)


def _covering_rows(m: _Rows, problem: ScheduleProblem, shifts: list[Shift]) -> None:
    """Row t: Σ starting at t − Σ ending at t − s_t + s_{t−1} = req_t − req_{t−1} (no t−1 terms at a window start)."""
    n_x, n_t, req = len(shifts), len(problem.required), problem.required
    starts = {first for first, _ in problem.windows}
    entries: list[list[tuple[int, float]]] = [[] for _ in range(n_t)]
    for j, sh in enumerate(shifts):
        entries[sh.first].append((j, 1.0))
        end = sh.first + sh.length
        if end < n_t and end not in starts:
            entries[end].append((j, -1.0))
    for t in range(n_t):
        for col, value in entries[t]:
            m.add(col, value)
        m.add(n_x + t, -1.0)
        rhs = req[t]
        if t not in starts:
            m.add(n_x + t - 1, 1.0)
            rhs -= req[t - 1]
        m.close(rhs, rhs)


def _part_time_row(m: _Rows, problem: ScheduleProblem, shifts: list[Shift]) -> None:
    """Σ short shifts ≤ share × Σ all shifts, i.e. Σ short·(1 − share) − Σ long·share ≤ 0."""
    longest, share = max(problem.shift_hours), problem.max_part_time_share
    if share < 1 and any(h < longest for h in problem.shift_hours):
        for j, sh in enumerate(shifts):
            m.add(j, (1 - share) if sh.hours < longest else -share)
        m.close(-np.inf, 0.0)


def _deferred_rows(m: _Rows, problem: ScheduleProblem, y0: int) -> tuple[list[float], list[float]]:
    """Cumulative service Y per queue: monotone, within capacity; bounds between the deadline floor and arrivals."""
    n_t, avail = len(problem.required), 1.0 - problem.shrinkage
    col_lo: list[float] = []
    col_hi: list[float] = []
    for q, load in enumerate(problem.deferred):
        arrived = np.cumsum(load.work)
        floor = np.zeros(n_t)
        for t, last in enumerate(load.deadline):
            floor[last] = max(floor[last], arrived[t])
        col_lo += list(np.maximum.accumulate(floor))
        col_hi += list(arrived)
        for t in range(n_t):
            m.add(y0 + q * n_t + t, 1.0)
            if t:
                m.add(y0 + q * n_t + t - 1, -1.0)
            m.close(0.0, np.inf)
    if problem.deferred:
        for t in range(n_t):  # Σ queues ΔY_t ≤ (1 − shrinkage)·(required + surplus) − real-time need
            for q in range(len(problem.deferred)):
                m.add(y0 + q * n_t + t, 1.0)
                if t:
                    m.add(y0 + q * n_t + t - 1, -1.0)
            m.add(y0 - n_t + t, -avail)
            m.close(-np.inf, avail * problem.required[t] - problem.real_time[t])
    return col_lo, col_hi


def build_model(problem: ScheduleProblem, shifts: list[Shift]):
    """(cost, rows (csr), row lower, row upper, column lower, column upper, integrality) of the MILP.

    Columns: shifts (integer), then one surplus per slot, then each deferred queue's cumulative service per slot.
    """
    n_x, n_t = len(shifts), len(problem.required)
    y0 = n_x + n_t
    n_col = y0 + len(problem.deferred) * n_t
    m = _Rows()
    _covering_rows(m, problem, shifts)
    _part_time_row(m, problem, shifts)
    y_lo, y_hi = _deferred_rows(m, problem, y0)
    cost = np.zeros(n_col)
    cost[:n_x] = [sh.hours for sh in shifts]
    matrix = coo_matrix((m.vals, (m.rows, m.cols)), shape=(len(m.lo), n_col)).tocsr()
    integrality = np.zeros(n_col)
    integrality[:n_x] = 1
    col_lo = np.array([0.0] * y0 + y_lo)
    col_hi = np.array([np.inf] * y0 + y_hi)
    return cost, matrix, np.array(m.lo), np.array(m.hi), col_lo, col_hi, integrality


def _status(result) -> str:
    if result.status == 0:
        return "optimal"
    if result.status == 1 and result.x is not None:
        return "feasible"
    if result.status == 2:
        raise SpecError("schedule: no shift pattern meets every interval and deferred deadline; allow more shift "
                        "lengths or starts (schedule.shift_hours, start_every_min) or a longer respond_within_h")
    if result.status == 1:
        raise SpecError("schedule: the solver found no schedule within the time limit; raise --time-limit "
                        "(schedule.time_limit_s)")
    raise SpecError(f"schedule: the solver stopped: {result.message}")


def paid_hours_step(problem: ScheduleProblem) -> float:
    """Every roster pays a multiple of this: the gcd of the shift lengths, in hours (on the interval grid).

    >>> paid_hours_step(ScheduleProblem([], [], [], [8.0, 6.0, 4.0], 15, 15))
    2.0
    """
    lengths = [round(h * 60 / problem.slot_min) for h in problem.shift_hours]
    return math.gcd(*lengths) * problem.slot_min / 60


def solve_schedule(problem: ScheduleProblem) -> ScheduleResult:
    """Fewest paid hours covering every interval (and every deferred deadline); HiGHS branch and cut.

    ``lp_bound`` is the optimum of the LP relaxation: no schedule can pay fewer hours. Paid hours move in steps
    of ``paid_hours_step``, so a schedule whose HiGHS dual bound is less than one step below it is optimal:
    the MIP gap tolerance is set just under that step, and ``optimal`` is only claimed when the bound proves it
    (``gap`` is then 0; otherwise ``feasible`` with HiGHS' relative gap).

    >>> p = ScheduleProblem(required=[1, 2, 2, 1], real_time=[0.7, 1.4, 1.4, 0.7], windows=[(0, 4)],
    ...                     shift_hours=[2.0, 1.0], slot_min=60, start_every_min=60)
    >>> r = solve_schedule(p); r.paid_hours, r.on_duty, r.status
    (6.0, [1, 2, 2, 1], 'optimal')
    """
    _check_windows(problem)
    shifts = candidate_shifts(problem)
    cost, matrix, lo, hi, col_lo, col_hi, integrality = build_model(problem, shifts)
    rows, bounds = LinearConstraint(matrix, lo, hi), Bounds(col_lo, col_hi)
    step = paid_hours_step(problem)
    began = time.perf_counter()
    relaxed = milp(cost, constraints=rows, bounds=bounds)
    lp_bound = float(relaxed.fun) if relaxed.status == 0 else math.nan
    # (P − D) ≤ rel·P < step whenever P ≤ 2·LP bound; the proof is checked below in any case.
    rel_gap = 0.99 * step / max(2 * lp_bound, step) if relaxed.status == 0 else 1e-6
    result = milp(cost, constraints=rows, bounds=bounds, integrality=integrality,
                  options={"time_limit": problem.time_limit_s, "mip_rel_gap": rel_gap})
    solve_s = time.perf_counter() - began
    status = _status(result)
    x = np.rint(result.x[: len(shifts)]).astype(int)
    chosen = [(sh, int(n)) for sh, n in zip(shifts, x) if n > 0]
    on_duty = coverage(len(problem.required), chosen)
    paid = float(sum(sh.hours * n for sh, n in chosen))
    dual = getattr(result, "mip_dual_bound", None)
    proven = dual is not None and math.isfinite(dual) and paid - dual < step - 1e-9
    status = "optimal" if proven else "feasible"
    gap = 0.0 if proven else float(getattr(result, "mip_gap", math.nan))
    served, backlog, finish = fifo_service(problem, on_duty)
    return ScheduleResult(chosen, on_duty, paid, status, gap, solve_s, lp_bound, served, backlog, finish)


def coverage(n_slots: int, shifts: list[tuple[Shift, int]]) -> list[int]:
    """Agents on duty per slot from the chosen shifts (a difference array).

    >>> coverage(4, [(Shift(0, 2, 2.0), 1), (Shift(1, 3, 3.0), 2)])
    [1, 3, 2, 2]
    """
    delta = [0] * (n_slots + 1)
    for sh, n in shifts:
        delta[sh.first] += n
        delta[sh.first + sh.length] -= n
    out, run = [], 0
    for t in range(n_slots):
        run += delta[t]
        out.append(run)
    return out


def fifo_service(problem: ScheduleProblem, on_duty: list[int]
                 ) -> tuple[list[float], list[float], dict[tuple[int, int], int]]:
    """Deferred work served per slot, the backlog after it, and the slot that finishes each (queue, arrival slot).

    Earliest deadline first across queues, which is first in, first out within a queue; the capacity of a slot
    is (1 − shrinkage) × on duty − the real-time requirement.
    """
    avail = 1.0 - problem.shrinkage
    pending: list[list] = []  # [deadline, arrival slot, queue, remaining]
    served, backlog, finish = [], [], {}
    for t, on in enumerate(on_duty):
        for q, load in enumerate(problem.deferred):
            if load.work[t] > 0:
                pending.append([load.deadline[t], t, q, load.work[t]])
            else:
                finish[(q, t)] = t
        pending.sort(key=lambda item: (item[0], item[1]))
        capacity = max(0.0, avail * on - problem.real_time[t])
        done = 0.0
        for item in pending:
            take = min(capacity - done, item[3])
            item[3] -= take
            done += take
            if item[3] <= 1e-9:
                finish[(item[2], item[1])] = t
            if done >= capacity:
                break
        pending = [item for item in pending if item[3] > 1e-9]
        served.append(done)
        backlog.append(sum(item[3] for item in pending))
    return served, backlog, finish
