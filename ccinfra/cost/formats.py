"""Text forms of a BOM and a cost: a table for people, CSV for spreadsheets, JSON documents for machines.

Every money figure is the same exact decimal string in each form (``money_text``), so each form adds up
to the cent: the total row of a table or CSV is the sum of the rows above it.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ccinfra.cost.bom import Bom, money_text
from ccinfra.cost.model import MONTHLY_KEYS, Cost


def bom_document(bom: Bom) -> dict[str, Any]:
    """The JSON document of ``ccinfra bom``: ``{"bom": {"items": [...], ...}}``."""
    return {"bom": bom.to_dict()}


def cost_document(cost: Cost) -> dict[str, Any]:
    """The JSON document of ``ccinfra cost``: ``{"cost": {...}, "bom": {...}}``."""
    return {"cost": cost.to_dict(), "bom": cost.bom.to_dict()}


def _grid(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]


def bom_table(bom: Bom) -> str:
    """One line per item, then the priced total and the unpriced items (by name)."""
    priced = bom.currency is not None
    header = ["item", "category", "qty", "unit"] + (["unit price", "total"] if priced else []) + ["basis"]
    rows = []
    for i in bom.items:
        money = [str(i.unit_price) if i.unit_price is not None else "unpriced", money_text(i.total) or "-"]
        rows.append([i.item, i.category, str(i.quantity), i.unit] + (money if priced else []) + [i.basis])
    title = "Bill of materials" + (f" ({bom.currency}; {bom.label})" if priced and bom.label else
                                   f" ({bom.currency})" if priced else " (quantities; give --prices to price it)")
    lines = [title, ""] + _grid(header, rows, {2, 4, 5} if priced else {2})
    if priced:
        lines += ["", f"Total of priced lines: {money_text(bom.priced_total)} {bom.currency}"]
        if bom.unpriced:
            lines.append(f"Unpriced ({len(bom.unpriced)}, not in the total): {', '.join(bom.unpriced)}")
    lines += [f"Note: {n}" for n in bom.notes]
    return "\n".join(lines) + "\n"


def bom_csv(bom: Bom) -> str:
    """CSV with a header row; the last row is the total of the priced lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["item", "category", "quantity", "unit", "basis", "unit_price", "total", "currency", "note"])
    for i in bom.items:
        d = i.to_dict(bom.currency)
        writer.writerow([d["item"], d["category"], d["quantity"], d["unit"], d["basis"], d["unit_price"] or "",
                         d["total"] or "", d["currency"] or "", d["note"]])
    if bom.currency:
        writer.writerow(["TOTAL (priced lines)", "", "", "", "", "", money_text(bom.priced_total), bom.currency,
                         f"{len(bom.unpriced)} unpriced" if bom.unpriced else ""])
    return out.getvalue()


def _outsourcing_rows(cost: Cost) -> list[list[str]]:
    rows = []
    for r in cost.outsourcing:
        rows.append([r["region"], f"{r['rate_low']}–{r['rate_high'] or 'open'}",
                     r["monthly_low"] or "-", r["monthly_high"] or "open",
                     r["shared_monthly_low"] or "-", r["shared_monthly_high"] or ("open" if r["shared_monthly_low"] else "-")])
    return rows


def cost_table(cost: Cost) -> str:
    """Capex, the monthly lines with their working, the totals, unit costs and the outsourcing comparison."""
    cur = cost.currency
    lines = [f"Cost ({cur}{'; ' + cost.label if cost.label else ''})", "",
             f"Capex (priced BOM): {money_text(cost.capex_total)} {cur}", ""]
    lines += _grid(["monthly", "amount", "formula: numbers"],
                   [[line.title, money_text(line.amount) or "", f"{line.formula}: {line.work}"] for line in cost.lines],
                   {1})
    lines += [""] + _grid(["per month", "amount"], [[k, money_text(cost.monthly[k]) or ""] for k in (*MONTHLY_KEYS, "total")],
                          {1})
    lines += ["", f"paid agent hours a month: {cost.paid_hours} ({cost.paid_hours_basis})",
              f"productive hours: {cost.productive_hours} = paid × (1 − {cost.shrinkage:g})",
              f"per seat: {money_text(cost.per_seat)}   per paid agent hour: {money_text(cost.per_paid_hour)}   "
              f"per productive hour: {money_text(cost.per_productive_hour)}"
              + (f"   per contact: {money_text(cost.per_contact)}" if cost.per_contact is not None else "")]
    if cost.outsourcing:
        lines += ["", f"Outsourcing (seed-brief rates in USD × {cost.usd_rate} {cur}/USD; dedicated = paid agent hours × "
                      f"rate; shared = {cost.handled_minutes or '?'} handled minutes × rate ÷ 60)", ""]
        lines += _grid(["region", "rate/h", "dedicated low", "dedicated high", "shared low", "shared high"],
                       _outsourcing_rows(cost), {2, 3, 4, 5})
        lines.append(f"\nbreak-even rate: {money_text(cost.break_even_rate)} {cur} per paid agent hour "
                     "(in-house monthly total ÷ paid agent hours)")
    lines += [f"Note: {n}" for n in cost.notes]
    return "\n".join(lines) + "\n"


def cost_csv(cost: Cost) -> str:
    """CSV rows ``section,name,amount,currency,detail``: each monthly line, the totals, unit costs, outsourcing."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    cur = cost.currency
    w.writerow(["section", "name", "amount", "currency", "detail"])
    w.writerow(["capex", "capex_total", money_text(cost.capex_total), cur, "sum of the priced BOM lines"])
    for line in cost.lines:
        w.writerow([f"monthly.{line.id.split('.')[0]}", line.id, money_text(line.amount), cur,
                    f"{line.formula}: {line.work}"])
    for key in (*MONTHLY_KEYS, "total"):
        w.writerow(["monthly_total", key, money_text(cost.monthly[key]), cur, ""])
    for key in ("per_seat", "per_paid_hour", "per_productive_hour", "break_even_rate"):
        w.writerow(["unit", key, money_text(getattr(cost, key)), cur, ""])
    if cost.per_contact is not None:
        w.writerow(["unit", "per_contact", money_text(cost.per_contact), cur, f"{cost.contacts_per_month} contacts"])
    for r in cost.outsourcing:
        for end in ("low", "high"):
            w.writerow(["outsourcing", f"{r['id']}.{end}", r[f"monthly_{end}"] or "", cur,
                        f"{r['region']}: rate {r[f'rate_{end}'] or 'open'} × {cost.paid_hours} paid agent hours"])
    return out.getvalue()
