"""Outsourcing rates per agent hour by region: the seed table, shipped as data (outsourcing_rates.csv).

The source is the contact-center seed brief (``standards.SOURCES["seed-rates"]``). Western Europe is
"$40+": the table gives no top, so its ``rate_high_usd`` is None and every figure built on it is None
("open" in tables) rather than an invented number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib.resources import files

from ccinfra.errors import SpecError

RATES_FILE = "outsourcing_rates.csv"


@dataclass(frozen=True)
class RegionRate:
    """One region's dedicated-agent rate band, US dollars per paid agent hour (high None: open top)."""

    id: str
    region: str
    rate_low_usd: Decimal
    rate_high_usd: Decimal | None
    source: str


def _money(text: str, where: str) -> Decimal | None:
    if text.strip() == "":
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise SpecError(f"{where}: {text!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise SpecError(f"{where}: {text!r} must be a number ≥ 0")
    return value


def parse_rates(text: str, where: str = RATES_FILE) -> list[RegionRate]:
    """Rows of ``id,region,rate_low_usd,rate_high_usd,source``; lines starting with ``#`` are comments.

    >>> parse_rates("id,region,rate_low_usd,rate_high_usd,source\\nwe,Western Europe,40,,seed-rates")[0].rate_high_usd
    """
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rates = []
    for number, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines))), start=2):
        at = f"{where} row {number}"
        low = _money(row.get("rate_low_usd") or "", f"{at} rate_low_usd")
        if low is None or not row.get("id") or not row.get("region"):
            raise SpecError(f"{at}: id, region and rate_low_usd are required")
        high = _money(row.get("rate_high_usd") or "", f"{at} rate_high_usd")
        if high is not None and high < low:
            raise SpecError(f"{at}: rate_high_usd {high} is below rate_low_usd {low}")
        rates.append(RegionRate(row["id"], row["region"], low, high, row.get("source") or ""))
    return rates


def load_rates() -> list[RegionRate]:
    """The shipped seed table.

    >>> [r.id for r in load_rates()][:3]
    ['usa-canada', 'western-europe', 'eastern-europe']
    """
    return parse_rates((files("ccinfra.cost") / RATES_FILE).read_text(encoding="utf-8"))


def select_regions(rates: list[RegionRate], wanted: list[str]) -> list[RegionRate]:
    """The regions asked for by id or name (any case); all of them when ``wanted`` is empty.

    >>> [r.id for r in select_regions(load_rates(), ["India", "latin-america"])]
    ['latin-america', 'india']
    """
    if not wanted:
        return rates
    keys = {w.strip().lower() for w in wanted}
    known = {r.id for r in rates} | {r.region.lower() for r in rates}
    unknown = sorted(k for k in keys if k not in known)
    if unknown:
        raise SpecError(f"--region: unknown {', '.join(unknown)}; regions: {', '.join(r.id for r in rates)}")
    return [r for r in rates if r.id in keys or r.region.lower() in keys]
