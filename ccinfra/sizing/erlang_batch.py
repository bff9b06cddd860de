"""Staffing of many intervals at once: ``demand._queue_need``'s answers for a week, from a compiled kernel.

The single-interval engine (``erlang.py``, ``erlang_a.py``, ``demand._queue_need``) stays the reference.
This module gives all of a queue's intervals to ``erlang_kernel.staff_rows`` (the same loops, compiled by
Cython; equal intervals are computed once):

- Erlang C: the engine's walk (B from the unrolled inverse recursion at max(1, floor(A)), then one agent at
  a time) and its ASA steps, in the same operations and order: the same agents, figures and limited_by.
- Erlang A: the chain sums by ratios instead of logs, so figures differ from the engine's in the last bits.
  A row whose deciding figure at N or N − 1 lies within 1e-8 of its target, or whose sums the kernel cannot
  use, is handed to the single-interval engine: the agents and ``limited_by`` are always the engine's.

Rows past ``limits.MAX_TRAFFIC_ERLANGS`` go to the engine too, which refuses them with its one-line error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ccinfra.limits import MAX_TRAFFIC_ERLANGS
from ccinfra.sizing import erlang_kernel as kernel

LABELS = np.array(["service_level", "occupancy", "max_asa_s", "max_abandon"], dtype=object)  # kernel codes


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


def _scalar_engine(interval_s, max_occupancy, target_s, sl_target, patience_s, max_asa_s, max_abandon):
    """The single-interval engine with every target (``demand._queue_need``), as scalar(volume, aht_s)."""
    from ccinfra.sizing.demand import _queue_need  # demand imports this module

    def scalar(volume: float, aht_s: float):
        return _queue_need(volume, aht_s, float(interval_s), float(max_occupancy), float(target_s), sl_target,
                           patience_s, max_asa_s, max_abandon)
    return scalar


def _scalar_row(result: BatchStaffing, i: int, volume: float, aht_s: float, scalar) -> None:
    """A row the kernel does not decide: the single-interval engine's answer."""
    r = scalar(volume, aht_s)
    result.agents[i] = r.agents
    result.service_level[i], result.asa_s[i], result.occupancy[i] = r.service_level, r.asa_s, r.occupancy
    if result.abandon_probability is not None:
        result.abandon_probability[i], result.mean_wait_s[i] = r.abandon_probability, r.mean_wait_all_s
    result.limited_by[i] = r.limited_by


def _staff(volume, aht_s, interval_s, target_s, sl_target, max_occupancy, patience_s, max_asa_s, max_abandon,
           scalar) -> BatchStaffing:
    """Both models: the kernel for every row (equal rows once), the engine for the rows it hands back."""
    volume = np.asarray(volume, float)
    aht_s = np.array(aht_s, float)  # copies: the kernel takes writable, contiguous arrays
    targets = np.array(target_s, float) if np.ndim(target_s) else np.full(len(volume), float(target_s))
    traffic = volume * aht_s / interval_s
    inf = math.inf
    agents, figures, labels, flags, flagged = kernel.staff_rows(
        traffic, aht_s, targets, float(sl_target), float(max_occupancy),
        -1.0 if patience_s is None else float(patience_s), inf if max_asa_s is None else float(max_asa_s),
        inf if max_abandon is None else float(max_abandon), MAX_TRAFFIC_ERLANGS)
    erlang_a = patience_s is not None
    result = BatchStaffing(agents=agents, service_level=figures[0], asa_s=figures[1], occupancy=figures[2],
                           abandon_probability=figures[3] if erlang_a else None,
                           mean_wait_s=figures[4] if erlang_a else None, limited_by=LABELS[labels])
    for i in np.flatnonzero(flags).tolist() if flagged else ():
        engine = scalar or _scalar_engine(interval_s, max_occupancy, float(targets[i]), sl_target, patience_s,
                                          max_asa_s, max_abandon)
        _scalar_row(result, i, float(volume[i]), float(aht_s[i]), engine)
    return result


def staff_erlang_c(volume, aht_s, interval_s, target_s, sl_target, max_occupancy=1.0, max_asa_s=None,
                   scalar=None) -> BatchStaffing:
    """Erlang C staffing of every interval: the fewest N meeting the SL, the occupancy cap and ``max_asa_s``.

    ``volume`` (> 0) and ``aht_s`` are arrays; ``target_s`` (answer within) is one number, or an array to
    staff intervals of several queues at once. ``scalar(volume, aht_s)`` returns the single-interval answer
    (a ``demand.Need``) for rows the kernel hands back; without it, ``demand._queue_need``.

    >>> r = staff_erlang_c(np.array([100.0, 5.0, 100.0]), np.array([180.0, 180.0, 180.0]), 1800, 20, 0.8)
    >>> r.agents.tolist(), r.limited_by.tolist()      # 10 E needs 14 (DESIGN.md), 0.5 E needs 2
    ([14, 2, 14], ['service_level', 'service_level', 'service_level'])
    >>> staff_erlang_c(np.array([100.0, 100.0]), np.full(2, 180.0), 1800, np.array([20.0, 60.0]), 0.8).agents.tolist()
    [14, 13]
    """
    return _staff(volume, aht_s, interval_s, target_s, sl_target, max_occupancy, None, max_asa_s, None, scalar)


def staff_erlang_a(volume, aht_s, interval_s, target_s, sl_target, patience_s, max_occupancy=1.0,
                   max_asa_s=None, max_abandon=None, scalar=None) -> BatchStaffing:
    """Erlang A staffing of every interval: the fewest N meeting SL, occupancy, ``max_asa_s``, ``max_abandon``.

    ``scalar(volume, aht_s)`` gives the single-interval answer for rows the kernel hands back.

    >>> r = staff_erlang_a(np.array([100.0, 100.0]), np.array([180.0, 180.0]), 1800, 20, 0.8, patience_s=1e9)
    >>> r.agents.tolist()                       # patience → ∞ is Erlang C: 14 at 10 E
    [14, 14]
    """
    return _staff(volume, aht_s, interval_s, target_s, sl_target, max_occupancy, patience_s, max_asa_s,
                  max_abandon, scalar)
