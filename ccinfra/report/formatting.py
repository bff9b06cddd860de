"""Number formatting for reports: the same figure always prints the same way, without float noise."""

from __future__ import annotations

import math


def num(value: float | int | None, digits: int = 6) -> str:
    """A number with at most ``digits`` significant digits, no trailing zeros, no exponent for usual sizes.

    >>> num(80.0), num(292.1), num(0.98054983), num(7636.8), num(1069.0000000001)
    ('80', '292.1', '0.98055', '7636.8', '1069')
    >>> num(None)
    '-'
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return "∞"
    if math.isnan(value):
        return "-"
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pct(share: float | None, decimals: int = 1) -> str:
    """A share as a percentage.

    >>> pct(0.049383), pct(0.8)
    ('4.9 %', '80.0 %')
    """
    return "-" if share is None else f"{share * 100:.{decimals}f} %"
