"""Every magnitude ccinfra accepts, bounded in one place, each limit named and explained.

The limits are far beyond any real site (the largest contact centres seat a few thousand agents),
and they exist so that no input, careless or hostile, makes a command run for minutes or take
gigabytes: a value past a limit is refused at the edge with one line that names the field and
the limit. The README lists them ("Limits").

>>> check_max("demand.agents", 120, MAX_AGENTS)
120
>>> check_max("demand.agents", 1_000_000_000, MAX_AGENTS)
Traceback (most recent call last):
...
ccinfra.errors.SpecError: demand.agents: 1000000000 is past the limit of 100000 (MAX_AGENTS); no site is that large
"""

from __future__ import annotations

import math
import string

from ccinfra.errors import SpecError

#: Agents on the phones, scheduled agents and seats of one site.
MAX_AGENTS = 100_000
#: Seats (agents + supervisors + growth) of one site; the same order as the agents.
MAX_SEATS = 100_000
#: Offered traffic of one queue or trunk group, Erlang (100,000 E ≈ 100,000 busy agents).
MAX_TRAFFIC_ERLANGS = 100_000.0
#: Calls offered in one interval (with a 1 s AHT over 24 h that is still far past MAX_TRAFFIC_ERLANGS).
MAX_CALLS_PER_INTERVAL = 100_000_000.0
#: Any duration in seconds (AHT, answer target, patience, IVR, wrap-up): one day.
MAX_DURATION_S = 86_400.0
#: Interval length of a forecast, minutes: one minute to one day.
MIN_INTERVAL_MIN = 1.0
MAX_INTERVAL_MIN = 1440.0
#: Fractions that must lie strictly between 0 and 1 (service level, blocking, occupancy cap,
#: shrinkage) keep this distance from both ends: 1e-6 is one call in a million, and it keeps the
#: Erlang searches finite (a service level of 1 − 1e-300 needs an unbounded number of agents).
FRACTION_EPSILON = 1e-6
#: Widths and precisions in a name pattern such as ``{site}-as{index:02d}`` (a host name has ≤ 63 chars).
MAX_PATTERN_WIDTH = 63
#: Length of a name pattern.
MAX_PATTERN_CHARS = 128
#: Nesting of any YAML or JSON input (a site is 4 levels deep, a plan 5).
MAX_DEPTH = 32
#: Size of a site YAML file (phones belong in the CSV of ``phones.macs_file``).
MAX_YAML_BYTES = 4 * 1024 * 1024
#: Size of a plan.json, manifest.json or any other input file (a 100,000-seat plan is about 40 MB).
MAX_JSON_BYTES = 64 * 1024 * 1024
#: Values (scalars, lists, mappings) in one YAML document, counting each alias as often as it is used.
MAX_YAML_NODES = 1_000_000
#: Data rows of a CSV input (phones, grounding readings): one phone per seat at most.
MAX_CSV_ROWS = MAX_SEATS
#: Size of a CSV input.
MAX_CSV_BYTES = 16 * 1024 * 1024


def check_max(field: str, value: float, limit: float, name: str | None = None) -> float:
    """``value`` when finite and at most ``limit``, else one line naming ``field`` and the limit."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise SpecError(f"{field}: must be a finite number, got {value!r}")
    if value > limit:
        label = name or _name_of(limit)
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        raise SpecError(f"{field}: {shown} is past the limit of {limit:g} ({label}); no site is that large")
    return value


def check_fraction(field: str, value: float, *, allow_zero: bool = False, allow_one: bool = False) -> float:
    """A share kept ``FRACTION_EPSILON`` away from 0 and 1 (unless that end is allowed).

    >>> check_fraction("--service-level", 0.8)
    0.8
    >>> check_fraction("--service-level", float("nan"))
    Traceback (most recent call last):
    ...
    ccinfra.errors.SpecError: --service-level: must be a number between 1e-06 and 0.999999, got nan
    """
    low = 0.0 if allow_zero else FRACTION_EPSILON
    high = 1.0 if allow_one else 1.0 - FRACTION_EPSILON
    if (not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value)
            or not (value == 0 and allow_zero or value == 1 and allow_one or low <= value <= high)):
        raise SpecError(f"{field}: must be a number between {low:g} and {high:g}, got {value!r}")
    return value


def check_interval_min(field: str, value: float) -> float:
    """An interval length in minutes between MIN_INTERVAL_MIN and MAX_INTERVAL_MIN.

    >>> check_interval_min("--interval-min", 1e-300)
    Traceback (most recent call last):
    ...
    ccinfra.errors.SpecError: --interval-min: must be between 1 and 1440 minutes (MIN_INTERVAL_MIN..MAX_INTERVAL_MIN), got 1e-300
    """
    if (not isinstance(value, (int, float)) or not math.isfinite(value)
            or not MIN_INTERVAL_MIN <= value <= MAX_INTERVAL_MIN):
        raise SpecError(f"{field}: must be between {MIN_INTERVAL_MIN:g} and {MAX_INTERVAL_MIN:g} minutes "
                        f"(MIN_INTERVAL_MIN..MAX_INTERVAL_MIN), got {value!r}")
    return value


def check_name_pattern(field: str, pattern: str) -> str:
    """A ``str.format`` pattern whose widths and precisions stay within MAX_PATTERN_WIDTH.

    >>> check_name_pattern("network.switch_name_pattern", "{site}-as{index:02d}")
    '{site}-as{index:02d}'
    >>> check_name_pattern("network.switch_name_pattern", "{index:>1000000000}")
    Traceback (most recent call last):
    ...
    ccinfra.errors.SpecError: network.switch_name_pattern: width 1000000000 in '{index:>1000000000}' is past the limit of 63 (MAX_PATTERN_WIDTH)
    """
    if len(pattern) > MAX_PATTERN_CHARS:
        raise SpecError(f"{field}: {len(pattern)} characters is past the limit of {MAX_PATTERN_CHARS} "
                        "(MAX_PATTERN_CHARS)")
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as err:
        raise SpecError(f"{field}: not a valid pattern ({err}); use {{site}} and {{index}}, e.g. "
                        "{site}-as{index:02d}") from None
    for _, _, spec, _ in parts:
        for number in _numbers(spec or ""):
            if number > MAX_PATTERN_WIDTH:
                shown = pattern if len(pattern) <= 40 else pattern[:40] + "..."
                raise SpecError(f"{field}: width {number} in {shown!r} is past the limit of "
                                f"{MAX_PATTERN_WIDTH} (MAX_PATTERN_WIDTH)")
    return pattern


def _numbers(spec: str) -> list[int]:
    numbers, digits = [], ""
    for char in spec + " ":
        if char.isdigit():
            digits += char
        elif digits:
            numbers.append(int(digits[:12]) if len(digits) <= 12 else 10**12)
            digits = ""
    return numbers


def _name_of(limit: float) -> str:
    for key, value in globals().items():
        if key.startswith("MAX_") and value == limit:
            return key
    return "limit"  # pragma: no cover - every limit passed in is one of the names above

#: PRI spans one IOS gateway terminates: an ISR 4000 holds up to 3 NIM-xMFT-1T/E1 cards of 8 ports
#: (render/context.py numbers them Serial0/1/x to 0/3/x); more spans need a SIP trunk or another gateway.
MAX_PRI_SPANS_PER_GATEWAY = 24
#: Voice channels of one gateway (dial peers and max-conn in its config).
MAX_GATEWAY_CHANNELS = 100_000
#: Phone extensions: 3 to 8 digits.
MIN_EXTENSION = 100
MAX_EXTENSION = 99_999_999
#: Access ports of one site (seats × ports per seat + extra devices, before spares).
MAX_PORTS = 4 * MAX_SEATS
#: Access switches of one site (a 100,000-seat site on 24-port switches needs about 4,600).
MAX_SWITCHES = 10_000

#: Which limit bounds which site field, so that a pydantic range error names the limit too.
FIELD_LIMITS = {
    "demand.agents": "MAX_AGENTS",
    "demand.supervisors.count": "MAX_SEATS",
    "demand.forecast.calls_per_interval": "MAX_CALLS_PER_INTERVAL",
    "demand.forecast.interval_min": "MIN_INTERVAL_MIN..MAX_INTERVAL_MIN",
    "demand.forecast.aht_s": "MAX_DURATION_S",
    "demand.forecast.target_answer_s": "MAX_DURATION_S",
    "demand.forecast.patience_s": "MAX_DURATION_S",
    "demand.forecast.service_level": "FRACTION_EPSILON",
    "demand.forecast.shrinkage": "FRACTION_EPSILON",
    "demand.forecast.max_occupancy": "FRACTION_EPSILON",
    "telephony.blocking": "FRACTION_EPSILON",
    "telephony.ivr_s": "MAX_DURATION_S",
    "telephony.wrap_s": "MAX_DURATION_S",
    "telephony.trunk_erlangs": "MAX_TRAFFIC_ERLANGS",
}
