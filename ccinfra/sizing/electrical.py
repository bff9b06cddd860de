"""Grounding: fall-of-potential readings checked for validity (IEEE 81) and against targets.

Sources: seed-earth (≤ 1 Ω), ieee-81 (52/62/72 % triplet), ieee-142, telecom-5ohm, co-1ohm, nec-250.53.
"""

from __future__ import annotations

from ccinfra import standards
from ccinfra.plan import GroundReading, Grounding
from ccinfra.spec import Electrical, Reading


def fop_spread_ratio(r52_ohm: float, r62_ohm: float, r72_ohm: float) -> float:
    """Largest deviation of the 52 % and 72 % readings from the 62 % reading, as a share of it.

    >>> round(fop_spread_ratio(0.90, 1.00, 1.08), 3)
    0.1
    """
    return max(abs(r52_ohm - r62_ohm), abs(r72_ohm - r62_ohm)) / r62_ohm


def fop_valid(r52_ohm: float, r62_ohm: float, r72_ohm: float,
              tolerance: float = standards.FOP_AGREEMENT) -> bool:
    """True when the triplet agrees within ``tolerance`` (IEEE 81: the 62 % reading then stands).

    >>> fop_valid(0.95, 1.0, 1.05), fop_valid(0.7, 1.0, 1.3)
    (True, False)
    """
    return fop_spread_ratio(r52_ohm, r62_ohm, r72_ohm) <= tolerance + 1e-12


def check_reading(reading: Reading, target_ohm: float) -> GroundReading:
    """One electrode: valid triplet? 62 % reading within the target and within each public target?"""
    valid = fop_valid(reading.r52_ohm, reading.r62_ohm, reading.r72_ohm)
    return GroundReading(
        electrode=reading.electrode,
        r52_ohm=reading.r52_ohm,
        r62_ohm=reading.r62_ohm,
        r72_ohm=reading.r72_ohm,
        spread_ratio=round(fop_spread_ratio(reading.r52_ohm, reading.r62_ohm, reading.r72_ohm), 6),
        valid=valid,
        meets_target=valid and reading.r62_ohm <= target_ohm,
        verdicts_by_source={
            source: valid and reading.r62_ohm <= limit for source, limit in standards.EARTH_TARGETS_OHM.items()
        },
    )


def size_grounding(electrical: Electrical) -> Grounding:
    """The earth-resistance target (seed 1 Ω unless the spec sets another) and every reading checked."""
    source = "seed-earth" if electrical.max_earth_ohm == standards.EARTH_MAX_OHM else "spec"
    return Grounding(
        target_ohm=electrical.max_earth_ohm,
        target_source=source,
        other_targets_ohm=dict(standards.EARTH_TARGETS_OHM),
        readings=[check_reading(r, electrical.max_earth_ohm) for r in electrical.readings],
        sources=["seed-earth", "ieee-81", "ieee-142", "telecom-5ohm", "co-1ohm", "nec-250.53"],
    )
