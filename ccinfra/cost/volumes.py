"""What the cost model reads from a week-of-intervals plan (issue 14's optional ``demand`` and ``schedule``).

Those sections are optional in the Plan: every reader here falls back to the single-interval figures
(``staffing``) when they are absent. A week becomes a month with × 52 ÷ 12.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ccinfra.plan import Plan

WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
HOURS = Decimal("0.01")


def dec(value: float | int) -> Decimal:
    """A plan float as the decimal it prints as (``repr``), e.g. 0.35 → Decimal('0.35').

    >>> dec(0.35), dec(160)
    (Decimal('0.35'), Decimal('160'))
    """
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _section(plan: Plan, name: str) -> Any:
    return getattr(plan, name, None)


def weekly_paid_hours(plan: Plan) -> float | None:
    """``schedule.paid_hours`` (paid agent hours of the week's shift schedule), when the plan has one."""
    return getattr(_section(plan, "schedule"), "paid_hours", None) or None


def peak_on_duty(plan: Plan) -> tuple[int, str]:
    """Agents on duty at the peak: the schedule's peak when there is one, else the scheduled agents."""
    peak = getattr(_section(plan, "schedule"), "peak_on_duty", None)
    if peak:
        return int(peak), "schedule.peak_on_duty"
    return plan.staffing.scheduled_agents, "scheduled agents"


def shrinkage(plan: Plan) -> float:
    """The week demand's shrinkage when there is one, else the staffing's."""
    value = getattr(_section(plan, "demand"), "shrinkage", None)
    return float(value) if value is not None else plan.staffing.shrinkage


def monthly_volumes(plan: Plan) -> tuple[Decimal, Decimal, str] | None:
    """(contacts, handled minutes, basis) a month from a week of interval forecasts; None without one.

    Contacts = Σ volume; handled minutes = Σ volume × AHT ÷ 60, over every queue and interval of the week.
    """
    intervals = getattr(_section(plan, "demand"), "intervals", None)
    if not intervals:
        return None
    contacts = sum((dec(i.volume) for i in intervals), Decimal(0))
    minutes = sum((dec(i.volume) * dec(i.aht_s) for i in intervals), Decimal(0)) / 60
    basis = (f"week demand: Σ volume {contacts.normalize():f} contacts, Σ volume × AHT ÷ 60 = "
             f"{minutes.quantize(HOURS)} min a week; × 52 ÷ 12")
    return (contacts * WEEKS_PER_MONTH).quantize(HOURS), (minutes * WEEKS_PER_MONTH).quantize(HOURS), basis
