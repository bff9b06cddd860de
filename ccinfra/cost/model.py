"""The cost model: capex from the priced BOM, monthly cost per category, unit costs, outsourcing side by side.

Pure: ``cost(plan, prices, rates)`` reads no files. Every amount is a ``Decimal`` rounded half-up to the
cent once, where it is made; every total is the exact sum of the rounded parts it shows, so a table,
the JSON and the CSV add up to the cent. Each figure keeps its formula and the numbers put in (``lines``).

- monthly capex = Σ over categories of capex ÷ ``amortise_months`` (straight line);
- labour = paid hours × wage × (1 + loading), agents and supervisors; paid agent hours from the plan's
  ``schedule.paid_hours`` (a week, × 52 ÷ 12) when the demand is a week of intervals, else scheduled
  agents × contracted hours a month;
- rent = floor area × rent per m²; telecom = SIP channels or E1/T1 spans × their monthly price;
- power = (PoE W + PC W × PCs) × hours ÷ 1000 × price per kWh;
- per productive hour = total ÷ (paid agent hours × (1 − shrinkage));
- break-even rate = total ÷ paid agent hours: the hourly rate at which a dedicated outsourcer, billing
  the same paid hours, costs what the site costs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ccinfra.cost.bom import Bom, build_bom, cents, money_text
from ccinfra.cost.pricebook import PriceBook, PriceBookError
from ccinfra.cost.rates import RegionRate
from ccinfra.cost.volumes import HOURS, WEEKS_PER_MONTH, dec, monthly_volumes, shrinkage, weekly_paid_hours
from ccinfra.plan import Plan

MONTHLY_KEYS = ("capex", "labour", "rent", "telecom", "power")


@dataclass(frozen=True)
class Line:
    """One traceable amount: what it is, its formula, the numbers put in, the result, the source."""

    id: str
    title: str
    formula: str
    work: str
    amount: Decimal
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "formula": self.formula, "work": self.work,
                "amount": money_text(self.amount), "source": self.source}


@dataclass
class Cost:
    currency: str
    label: str
    bom: Bom
    lines: list[Line]
    monthly: dict[str, Decimal]
    paid_hours: Decimal
    paid_hours_basis: str
    productive_hours: Decimal
    shrinkage: float
    seats: int
    per_contact: Decimal | None
    contacts_per_month: Decimal | None
    handled_minutes: Decimal | None
    handled_minutes_basis: str
    usd_rate: Decimal | None = None
    outsourcing: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def capex_total(self) -> Decimal:
        return self.bom.priced_total

    @property
    def per_seat(self) -> Decimal:
        return cents(self.monthly["total"] / self.seats) if self.seats else Decimal("0.00")

    @property
    def per_paid_hour(self) -> Decimal:
        return cents(self.monthly["total"] / self.paid_hours)

    @property
    def per_productive_hour(self) -> Decimal:
        return cents(self.monthly["total"] / self.productive_hours)

    @property
    def break_even_rate(self) -> Decimal:
        return self.per_paid_hour

    def to_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency, "label": self.label, "capex_total": money_text(self.capex_total),
            "monthly": {k: money_text(v) for k, v in self.monthly.items()},
            "per_seat": money_text(self.per_seat), "per_paid_hour": money_text(self.per_paid_hour),
            "per_productive_hour": money_text(self.per_productive_hour),
            "per_contact": money_text(self.per_contact),
            "contacts_per_month": None if self.contacts_per_month is None else str(self.contacts_per_month),
            "paid_hours": str(self.paid_hours), "paid_hours_basis": self.paid_hours_basis,
            "productive_hours": str(self.productive_hours), "shrinkage": self.shrinkage, "seats": self.seats,
            "handled_minutes": None if self.handled_minutes is None else str(self.handled_minutes),
            "handled_minutes_basis": self.handled_minutes_basis,
            "outsourcing": self.outsourcing, "break_even_rate": money_text(self.break_even_rate),
            "break_even_rate_usd": None if self.usd_rate is None else money_text(self.break_even_rate / self.usd_rate),
            "lines": [line.to_dict() for line in self.lines], "unpriced": self.bom.unpriced, "notes": self.notes,
        }


def _need(value: Any, key: str) -> Any:
    if value is None:
        raise PriceBookError(f"price book: {key} is missing; the cost model needs it (see examples/prices.yaml)")
    return value


def capex_lines(bom: Bom, prices: PriceBook) -> list[Line]:
    """Straight-line monthly capex per category: capex ÷ amortise_months, rounded to the cent."""
    lines = []
    for category, capex in bom.by_category().items():
        months = prices.months_for(category)
        if months is None:
            raise PriceBookError(f"price book: amortise_months has no '{category}' and no 'default'; add one")
        lines.append(Line(f"capex.{category}", f"{category} amortised", "capex ÷ months",
                          f"{capex} ÷ {months}", cents(capex / months), "price-book"))
    return lines


def paid_agent_hours(plan: Plan, prices: PriceBook) -> tuple[Decimal, str]:
    """Paid agent hours a month and how they were found (the schedule's week, else contracted hours)."""
    weekly = weekly_paid_hours(plan)
    if weekly:
        hours = (dec(weekly) * WEEKS_PER_MONTH).quantize(HOURS)
        return hours, f"schedule.paid_hours {dec(weekly)} h a week × 52 ÷ 12 = {hours} h"
    labour = _need(prices.labour, "labour")
    n, h = plan.staffing.scheduled_agents, dec(labour.contracted_hours_per_month)
    return (n * h).quantize(HOURS), f"{n} scheduled agents × {h} contracted h a month = {(n * h).quantize(HOURS)} h"


def labour_lines(plan: Plan, prices: PriceBook, paid: Decimal, basis: str) -> list[Line]:
    lab = _need(prices.labour, "labour")
    load = dec(lab.loading)
    sup_hours = (plan.seats.supervisors * dec(lab.contracted_hours_per_month)).quantize(HOURS)
    return [
        Line("labour.agents", "agent labour", "paid hours × wage × (1 + loading)",
             f"{paid} h × {lab.agent_wage_per_hour} × (1 + {load})  [{basis}]",
             cents(paid * lab.agent_wage_per_hour * (1 + load)), "price-book"),
        Line("labour.supervisors", "supervisor labour", "supervisors × contracted h × wage × (1 + loading)",
             f"{plan.seats.supervisors} × {dec(lab.contracted_hours_per_month)} h × {lab.supervisor_wage_per_hour} "
             f"× (1 + {load})", cents(sup_hours * lab.supervisor_wage_per_hour * (1 + load)), "price-book"),
    ]


def rent_line(plan: Plan, prices: PriceBook) -> Line:
    f = plan.floor
    area, what = (f.room_area_m2, "room area") if f.room_area_m2 is not None else (f.required_area_m2, "required area")
    rent = _need(prices.rent_per_m2_month, "rent_per_m2_month")
    return Line("rent", "floor rent", "floor area × rent per m²", f"{dec(area)} m² ({what}) × {rent}",
                cents(dec(area) * rent), "price-book")


def telecom_lines(plan: Plan, prices: PriceBook) -> list[Line]:
    tel, lines = prices.telecom, []
    for gw in plan.gateways:
        if gw.role == "sip":
            price = _need(tel.sip_channel_month, "telecom.sip_channel_month")
            lines.append(Line(f"telecom.{gw.name}", f"SIP channels ({gw.name})", "channels × price per channel",
                              f"{gw.channels} × {price}", cents(gw.channels * price), "price-book"))
        else:
            key = f"telecom.{gw.span_type or 'e1'}_span_month"
            price = _need(getattr(tel, f"{gw.span_type or 'e1'}_span_month"), key)
            lines.append(Line(f"telecom.{gw.name}", f"{(gw.span_type or '').upper()} spans ({gw.name})",
                              "spans × price per span", f"{gw.spans} × {price}", cents(gw.spans * price), "price-book"))
    return lines


def power_line(plan: Plan, prices: PriceBook, bom: Bom) -> Line:
    pw = _need(prices.power, "power")
    pcs = sum(i.quantity for i in bom.items if i.key == "pc")
    poe, pc_w, hours = dec(plan.network.poe_total_w), dec(pw.pc_w), dec(pw.hours_per_month)
    kwh = (poe + pc_w * pcs) * hours / 1000
    return Line("power", "power", "(PoE W + PC W × PCs) × hours ÷ 1000 × price per kWh",
                f"({poe} + {pc_w} × {pcs}) W × {hours} h ÷ 1000 = {kwh.normalize():f} kWh × {pw.price_per_kwh}",
                cents(kwh * pw.price_per_kwh), "price-book")


def _volumes(plan: Plan, productive: Decimal, given: int | None) -> tuple[Decimal | None, Decimal | None, str]:
    """(contacts, handled minutes, basis) a month: given contacts × AHT, the week demand, or an estimate."""
    week = monthly_volumes(plan)
    if given is None and week is not None:
        return week
    contacts = None if given is None else Decimal(given)
    minutes, basis = _handled_minutes(plan, productive, contacts)
    return contacts, minutes, basis


def _handled_minutes(plan: Plan, productive: Decimal, contacts: Decimal | None) -> tuple[Decimal | None, str]:
    s = plan.staffing
    if contacts is not None and s.aht_s is not None:
        return (contacts * dec(s.aht_s) / 60).quantize(HOURS), f"{contacts} contacts × AHT {dec(s.aht_s)} s ÷ 60"
    if s.occupancy is not None:
        minutes = (productive * dec(round(s.occupancy, 4)) * 60).quantize(HOURS)
        return minutes, f"productive {productive} h × occupancy {dec(round(s.occupancy, 4))} × 60 (estimate)"
    return None, "unknown: no forecast and no contact volume"


def cost(plan: Plan, prices: PriceBook, rates: list[RegionRate], contacts_per_month: int | None = None) -> Cost:
    """The whole cost model of a plan with a price book, against ``rates`` (the regions to compare)."""
    bom = build_bom(plan, prices)
    paid, basis = paid_agent_hours(plan, prices)
    if paid <= 0:
        raise PriceBookError("cost: the plan has no paid agent hours to spread the cost over")
    groups = {"capex": capex_lines(bom, prices), "labour": labour_lines(plan, prices, paid, basis),
              "rent": [rent_line(plan, prices)], "telecom": telecom_lines(plan, prices),
              "power": [power_line(plan, prices, bom)]}
    monthly = {k: sum((line.amount for line in groups[k]), Decimal("0.00")) for k in MONTHLY_KEYS}
    monthly["total"] = sum((monthly[k] for k in MONTHLY_KEYS), Decimal("0.00"))
    shrink = shrinkage(plan)
    productive = (paid * (1 - dec(shrink))).quantize(HOURS)
    contacts, minutes, minutes_basis = _volumes(plan, productive, contacts_per_month)
    result = Cost(currency=prices.currency, label=prices.label, bom=bom,
                  lines=[line for k in MONTHLY_KEYS for line in groups[k]], monthly=monthly, paid_hours=paid,
                  paid_hours_basis=basis, productive_hours=productive, shrinkage=shrink,
                  seats=plan.seats.total, contacts_per_month=contacts,
                  per_contact=cents(monthly["total"] / contacts) if contacts else None,
                  handled_minutes=minutes, handled_minutes_basis=minutes_basis, usd_rate=prices.usd_rate)
    if bom.unpriced:
        result.notes.append(f"capex leaves out {len(bom.unpriced)} unpriced items: {', '.join(bom.unpriced)}")
    if plan.staffing.mode == "fixed" and not shrink:
        result.notes.append("fixed head count: no shrinkage known, so productive hours = paid hours")
    result.outsourcing = outsourcing_rows(result, prices, rates)
    return result


def _per_minute(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.0001")))


def outsourcing_rows(c: Cost, prices: PriceBook, rates: list[RegionRate]) -> list[dict[str, Any]]:
    """Dedicated (paid agent hours × rate) and shared (handled minutes × rate ÷ 60) per region, low and high."""
    if not rates:
        return []
    usd = _need(prices.usd_rate, "usd_rate (price-book currency per US dollar, to convert the USD regional rates)")
    rows = []
    for r in rates:
        low = cents(r.rate_low_usd * usd)
        high = None if r.rate_high_usd is None else cents(r.rate_high_usd * usd)

        def times(amount: Decimal | None, rate: Decimal | None) -> Decimal | None:
            return None if amount is None or rate is None else cents(amount * rate)

        per_min_low = None if c.handled_minutes is None else low / 60
        per_min_high = None if c.handled_minutes is None or high is None else high / 60
        rows.append({
            "region": r.region, "id": r.id, "rate_low": money_text(low), "rate_high": money_text(high),
            "monthly_low": money_text(times(c.paid_hours, low)), "monthly_high": money_text(times(c.paid_hours, high)),
            "rate_low_usd": str(r.rate_low_usd), "rate_high_usd": None if r.rate_high_usd is None else str(r.rate_high_usd),
            "shared_monthly_low": money_text(times(c.handled_minutes, per_min_low)),
            "shared_monthly_high": money_text(times(c.handled_minutes, per_min_high)),
            "per_minute_low": _per_minute(per_min_low), "per_minute_high": _per_minute(per_min_high),
            "in_house_cheaper_than_low": c.break_even_rate < low, "source": r.source,
        })
    return rows
