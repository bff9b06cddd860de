"""The price book: the user's prices, wages, rent, tariffs and amortisation, validated like the site spec.

ccinfra never builds a price in: every money figure of a BOM or a cost comes from here. Money is
``decimal.Decimal`` from the file to the output (a YAML float is read through its shortest ``repr``,
so ``0.1`` is ``Decimal("0.1")``; quote a price to be sure). Errors are one line naming the key.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from ccinfra.errors import SpecError
from ccinfra.fsio import read_yaml
from ccinfra.validation import StrictModel, validate_as

Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
PositiveMoney = Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]

# The BOM line keys a price book may price (ccinfra.cost.bom), each with its category.
ITEM_CATEGORIES: dict[str, str] = {
    "switch": "switch", "stack_cable": "switch", "power_cable": "switch", "optic": "optic", "phone": "phone", "headset": "headset",
    "pc": "pc", "gateway_sip": "gateway", "gateway_pri": "gateway", "gateway_card": "gateway_card",
    "sip_licence": "licence", "desk": "desk", "barrier": "barrier", "chair": "chair", "cable_box": "cable",
    "outlet": "outlet", "patch_panel": "patch_panel", "patch_cord": "patch_cord", "rack": "rack",
    "earthing_remediation": "earthing",
}
CATEGORIES = ("switch", "optic", "phone", "headset", "pc", "gateway", "gateway_card", "licence", "desk", "barrier",
              "chair", "cable", "outlet", "patch_panel", "patch_cord", "rack", "earthing")


class PriceBookError(SpecError):
    """A price book is missing, unreadable or has a bad value."""


class Labour(StrictModel):
    """Hourly wages and the loading on top (employer taxes, benefits, overheads): loaded = wage × (1 + loading)."""

    agent_wage_per_hour: Money
    supervisor_wage_per_hour: Money
    loading: float = Field(ge=0, le=10, description="share added to the wage, e.g. 0.35 for 35 %")
    contracted_hours_per_month: float = Field(gt=0, le=744, description="paid hours of one full-time person a month")


class Telecom(StrictModel):
    sip_channel_month: Money | None = None
    e1_span_month: Money | None = None
    t1_span_month: Money | None = None


class Power(StrictModel):
    price_per_kwh: Money
    pc_w: float = Field(default=0, ge=0, le=2000, description="average draw of one PC (0 without PCs)")
    hours_per_month: float = Field(default=730, gt=0, le=744, description="hours the equipment is on a month")


class PriceBook(StrictModel):
    """A whole price book. ``currency`` is required; every price is ≥ 0."""

    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. EUR")
    label: str = Field(default="", max_length=200, description="shown on every BOM and cost, e.g. EXAMPLE DATA")
    usd_rate: PositiveMoney | None = Field(default=None, description="price-book currency units per US dollar")
    prices: dict[str, Money] = Field(default_factory=dict, description="unit price per BOM item key")
    models: dict[str, str] = Field(default_factory=dict, description="the model a price is for, e.g. switch: C9200L-48P-4X")
    amortise_months: dict[str, int] = Field(default_factory=dict, description="per category, plus 'default'")
    labour: Labour | None = None
    rent_per_m2_month: Money | None = None
    telecom: Telecom = Field(default_factory=Telecom)
    power: Power | None = None

    @field_validator("prices", "models")
    @classmethod
    def _known_items(cls, value: dict[str, object]) -> dict[str, object]:
        for key in value:
            if key not in ITEM_CATEGORIES:
                raise ValueError(f"unknown item {key!r}; items: {', '.join(ITEM_CATEGORIES)}")
        return value

    @field_validator("amortise_months")
    @classmethod
    def _known_categories(cls, value: dict[str, int]) -> dict[str, int]:
        for key, months in value.items():
            if key not in CATEGORIES and key != "default":
                raise ValueError(f"unknown category {key!r}; categories: {', '.join(CATEGORIES)}, default")
            if not isinstance(months, int) or months <= 0:
                raise ValueError(f"{key}: months must be a whole number above 0 (got {months!r})")
        return value

    @model_validator(mode="after")
    def _usd(self) -> PriceBook:
        if self.currency == "USD" and self.usd_rate is None:
            self.usd_rate = Decimal(1)
        return self

    def months_for(self, category: str) -> int | None:
        """Straight-line amortisation months of a category (its own entry, else ``default``, else None)."""
        return self.amortise_months.get(category, self.amortise_months.get("default"))


def _null_price(data: dict[str, object]) -> str | None:
    """A key given with no value (``switch:``) is a missing price, not a free item."""
    for section in ("prices", "models"):
        entries = data.get(section)
        if isinstance(entries, dict):
            for key, value in entries.items():
                if value is None or value == "":
                    return f"{section}.{key}: no value; give a price (a number ≥ 0) or remove the line"
    return None


def parse_price_book(data: object, where: str = "prices") -> PriceBook:
    """Validate already-parsed YAML.

    >>> parse_price_book({"currency": "EUR", "prices": {"switch": "2450.00"}}).prices["switch"]
    Decimal('2450.00')
    >>> parse_price_book({"prices": {"switch": 1}})
    Traceback (most recent call last):
    ...
    ccinfra.cost.pricebook.PriceBookError: prices: currency: required; add it
    """
    null = _null_price(data) if isinstance(data, dict) else None
    if null:
        raise PriceBookError(f"{where}: {null}")
    return validate_as(PriceBook, data, where, PriceBookError, "currency:, prices:, ...")


def load_price_book(path: str | Path) -> PriceBook:
    """Read and validate a price book YAML (see examples/prices.yaml)."""
    data = read_yaml(path, "give the path of a price book YAML (see examples/prices.yaml)", PriceBookError)
    return parse_price_book(data, str(path))
