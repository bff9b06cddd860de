"""Trunks and gateway channels: Erlang B at a blocking target, and the E1/T1 spans that carry them.

Sources: erlang-b (the recursion in ``erlang.py``), itu-g.704 (E1 = 30, T1 PRI = 23, T1 CAS = 24 channels).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ccinfra import standards
from ccinfra.limits import MAX_TRAFFIC_ERLANGS, check_fraction, check_max
from ccinfra.sizing.erlang import _b_step, _open_unit, _positive, erlang_b

__all__ = ["TrunkResult", "required_channels", "size_trunks"]


def required_channels(traffic_erlangs: float, blocking: float) -> int:
    """Fewest channels N with Erlang B blocking B(N) ≤ ``blocking`` (one upward recursion walk).

    >>> required_channels(8.108, 0.01)
    15
    """
    traffic = _positive("traffic_erlangs", traffic_erlangs)
    check_max("traffic_erlangs", traffic, MAX_TRAFFIC_ERLANGS, "MAX_TRAFFIC_ERLANGS")
    target = check_fraction("blocking", _open_unit("blocking", blocking))
    channels, b = 0, 1.0
    while b > target:
        channels += 1
        b = _b_step(traffic, channels, b)
    return channels


@dataclass(frozen=True)
class TrunkResult:
    """Channels for a blocking target and the digital spans that carry them.

    blocking is the blocking achieved at ``channels`` (≤ the target).
    """

    traffic_erlangs: float
    channels: int
    blocking: float
    e1_spans: int
    t1_pri_spans: int
    t1_cas_spans: int

    def to_dict(self) -> dict:
        return asdict(self)


def size_trunks(traffic_erlangs: float, blocking: float) -> TrunkResult:
    """Channels at a blocking target (Erlang B) and E1 (30), T1 PRI (23), T1 CAS (24) spans.

    Offer the traffic that holds a trunk: IVR + queue + talk, not wrap-up (DESIGN.md).

    >>> t = size_trunks(20.3, 0.01)
    >>> t.channels, t.e1_spans, t.t1_pri_spans, t.t1_cas_spans
    (30, 1, 2, 2)
    """
    channels = required_channels(traffic_erlangs, blocking)
    return TrunkResult(
        traffic_erlangs=float(traffic_erlangs),
        channels=channels,
        blocking=erlang_b(traffic_erlangs, channels),
        e1_spans=math.ceil(channels / standards.E1_CHANNELS),
        t1_pri_spans=math.ceil(channels / standards.T1_PRI_CHANNELS),
        t1_cas_spans=math.ceil(channels / standards.T1_CAS_CHANNELS),
    )
