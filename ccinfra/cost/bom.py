"""The bill of materials of a Plan: one line per item with its quantity and the plan figure it comes from.

Pure: ``build_bom(plan, prices)`` reads no files. Quantities come from the plan only; prices only from
the user's price book. A line the price book does not price is listed as unpriced (``unit_price`` and
``total`` None), never as zero. Line totals are ``quantity × unit_price`` rounded half-up to the cent,
and every total is the exact sum of the line totals, so the figures add up to the cent in every format.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ccinfra import standards
from ccinfra.cost.pricebook import ITEM_CATEGORIES, PriceBook
from ccinfra.cost.volumes import peak_on_duty
from ccinfra.plan import Plan

CENT = Decimal("0.01")
RACK_UNITS = 42  # a standard 42U rack
PRI_PORTS_PER_CARD = 2  # e.g. Cisco NIM-2MFT-T1/E1: two E1/T1 ports per network interface module
OPTIC_NAMES = {1.0: "1G SFP", 10.0: "10G SFP+", 25.0: "25G SFP28", 40.0: "40G QSFP+", 100.0: "100G QSFP28"}


def cents(value: Decimal) -> Decimal:
    """Round half-up to the cent.

    >>> cents(Decimal("2.345")), cents(Decimal("2.344")), cents(Decimal(7))
    (Decimal('2.35'), Decimal('2.34'), Decimal('7.00'))
    """
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(value: Decimal | None) -> str | None:
    """Money in JSON and CSV: a decimal string with two places (exact), or None.

    >>> money_text(Decimal("1234.5")), money_text(None)
    ('1234.50', None)
    """
    return None if value is None else str(cents(value))


@dataclass
class BomItem:
    key: str
    item: str
    quantity: int
    unit: str
    basis: str
    unit_price: Decimal | None = None
    total: Decimal | None = None
    note: str = ""

    @property
    def category(self) -> str:
        return ITEM_CATEGORIES[self.key]

    def to_dict(self, currency: str | None) -> dict[str, Any]:
        return {"item": self.item, "category": self.category, "quantity": self.quantity, "unit": self.unit,
                "basis": self.basis, "key": self.key, "unit_price": None if self.unit_price is None else str(self.unit_price),
                "total": money_text(self.total), "currency": currency if self.total is not None else None,
                "priced": self.total is not None, "note": self.note}


@dataclass
class Bom:
    items: list[BomItem]
    currency: str | None = None
    label: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def priced_total(self) -> Decimal:
        """The sum of the priced lines (unpriced lines are not in it: see ``unpriced``)."""
        return sum((i.total for i in self.items if i.total is not None), Decimal("0.00"))

    @property
    def unpriced(self) -> list[str]:
        return [i.item for i in self.items if i.total is None]

    def by_category(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for i in self.items:
            if i.total is not None:
                out[i.category] = out.get(i.category, Decimal("0.00")) + i.total
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"items": [i.to_dict(self.currency) for i in self.items], "currency": self.currency,
                "label": self.label, "priced_total": money_text(self.priced_total) if self.currency else None,
                "by_category": {k: money_text(v) for k, v in self.by_category().items()},
                "unpriced": self.unpriced, "notes": self.notes}


def _spares(count: int, ratio: float) -> int:
    return math.ceil(count * ratio - 1e-9)


def _network_items(plan: Plan, prices: PriceBook | None) -> list[BomItem]:
    n = plan.network
    model = n.switches[0].model if n.switches else plan.spec.get("network", {}).get("switch", {}).get("model", "?")
    uplinks = sum(len(sw.uplinks) for sw in n.switches)
    gbps = float((plan.spec.get("network") or {}).get("switch", {}).get("uplink_gbps", 10))  # per uplink
    optic = OPTIC_NAMES.get(gbps, f"{gbps:g}G")
    items = [
        BomItem("switch", f"access switch {model}", n.switch_count, "each",
                f"network.switch_count = max({n.switches_for_ports} for ports, {n.switches_for_poe} for PoE)"),
        BomItem("optic", f"{optic} uplink optic", 2 * uplinks, "each",
                f"2 per uplink (switch end + distribution end) × {uplinks} uplinks"),
    ]
    # The spec does not say whether a model needs stack or extra power cables: the price book listing them says so.
    listed = prices.prices if prices is not None else {}
    if "stack_cable" in listed and n.switch_count > 1:
        items.append(BomItem("stack_cable", f"stack cable for {model}", n.switch_count, "each",
                             f"ring stack of {n.switch_count} switches: one cable each (the price book lists it)"))
    if "power_cable" in listed:
        items.append(BomItem("power_cable", f"power cable for {model}", n.switch_count, "each",
                             f"one per switch: {n.switch_count} switches (the price book lists it)"))
    return items


def _seat_items(plan: Plan, prices: PriceBook | None) -> list[BomItem]:
    seats, spare = plan.seats.total, plan.network.spare_ratio
    phone_model = (plan.spec.get("phones") or {}).get("model", "IP phone")
    on_duty, on_duty_basis = peak_on_duty(plan)
    items = [
        BomItem("phone", f"IP phone {phone_model}", seats, "each", f"one per seat: {seats} seats"),
        BomItem("phone", f"IP phone {phone_model} (spares)", _spares(seats, spare), "each",
                f"ceil({seats} seats × spare ratio {spare:g})"),
        BomItem("headset", "headset", on_duty + _spares(on_duty, spare), "each",
                f"{on_duty} agents on duty at the peak ({on_duty_basis}) + ceil({on_duty} × {spare:g}) spares"),
    ]
    if prices is not None and "pc" in prices.prices:
        items.append(BomItem("pc", "PC", seats, "each", f"one per seat: {seats} seats (the price book lists PCs)"))
    d = plan.desks
    items += [
        BomItem("desk", f"desk {d.width_cm:g} × {d.depth_cm:g} cm", d.count, "each", f"desks.count = {d.count} seats"),
        BomItem("barrier", "noise barrier", d.barriers, "each", "desks.barriers: one between each pair of row neighbours"),
        BomItem("chair", "chair", seats, "each", f"one per seat: {seats} seats"),
    ]
    return [i for i in items if i.quantity > 0]


def _voice_items(plan: Plan) -> list[BomItem]:
    t, items = plan.trunks, []
    for gw in plan.gateways:
        if gw.role == "sip":
            items.append(BomItem("gateway_sip", f"SIP voice gateway {gw.name} ({gw.platform})", 1, "each",
                                 "one SIP gateway (telephony.trunk = sip)"))
            items.append(BomItem("sip_licence", f"SIP session licence ({gw.name})", t.channels, "session",
                                 f"Erlang B: {t.traffic_erlangs:.4g} E at {t.blocking_target:g} blocking → "
                                 f"{t.channels} channels"))
        else:
            span = (gw.span_type or "pri").upper()
            items.append(BomItem("gateway_pri", f"PRI voice gateway {gw.name} ({span})", 1, "each",
                                 f"one PRI gateway ({'fallback' if plan.trunks.type == 'sip' else 'trunk'})"))
            per = standards.E1_CHANNELS if span == "E1" else standards.T1_PRI_CHANNELS
            items.append(BomItem("gateway_card", f"{span} interface card, {PRI_PORTS_PER_CARD} ports ({gw.name})",
                                 math.ceil(gw.spans / PRI_PORTS_PER_CARD), "each",
                                 f"{gw.spans} {span} spans (ceil({t.channels} channels / {per})) ÷ "
                                 f"{PRI_PORTS_PER_CARD} ports per card"))
    return items


def _cabling_items(plan: Plan) -> tuple[list[BomItem], list[str]]:
    c = plan.cabling
    per_seat = int((plan.spec.get("network") or {}).get("ports_per_seat", 1))
    cables = c.cables if c else plan.seats.total * per_seat
    panel_ports = int((plan.spec.get("floor") or {}).get("patch_panel_ports", 24))
    panels = math.ceil(cables / panel_ports)
    items, notes = [], []
    if c is not None:
        items.append(BomItem("cable_box", f"{c.cable_category} horizontal cable, {c.box_m:g} m box", c.boxes, "box",
                             f"{c.cables} cables, {c.total_m:.2f} m + {c.waste:.0%} waste (practice, not a standard) "
                             f"= {c.total_with_waste_m:.2f} m ÷ {c.box_m:g} m"))
    else:
        notes.append("no room in the site: no cabling take-off, so no cable line (give floor.room)")
    items += [
        BomItem("outlet", "network outlet (keystone)", cables, "each", f"{plan.seats.total} seats × {per_seat} ports per seat"),
        BomItem("patch_panel", f"{panel_ports}-port patch panel", panels, "each", f"ceil({cables} cables / {panel_ports})"),
        BomItem("patch_cord", "patch cord", 2 * cables, "each", f"both ends: 2 × {cables} cables"),
    ]
    units = plan.network.switch_count + panels * 2 + len(plan.gateways)
    items.append(BomItem("rack", f"{RACK_UNITS}U rack", math.ceil(units / RACK_UNITS), "each",
                         f"{units} U: {plan.network.switch_count} switches + {panels} panels + {panels} cable managers "
                         f"+ {len(plan.gateways)} gateways, {RACK_UNITS} U a rack"))
    if c is not None and c.second_room is not None:
        notes.append(f"cabling: {len(c.seats_over_link)} seats over 90 m; {c.second_room_note} (not in this BOM)")
    return items, notes


def _earthing_items(plan: Plan) -> list[BomItem]:
    g, items = plan.grounding, []
    for r in g.readings:
        if not r.valid:
            basis = (f"52/62/72 % readings disagree by {r.spread_ratio:.1%} (> {standards.FOP_AGREEMENT:.0%}, "
                     "IEEE 81): re-measure, then remediate if needed")
        elif not r.meets_target:
            basis = f"R at 62 % = {r.r62_ohm:g} Ω > {g.target_ohm:g} Ω target ({g.target_source})"
        else:
            continue
        items.append(BomItem("earthing_remediation", f"earthing remediation: electrode {r.electrode}", 1, "job", basis))
    return items


def _price(items: list[BomItem], plan: Plan, prices: PriceBook) -> None:
    wanted_models = {"switch": plan.network.switches[0].model if plan.network.switches else None,
                     "phone": (plan.spec.get("phones") or {}).get("model")}
    for i in items:
        price = prices.prices.get(i.key)
        model = prices.models.get(i.key)
        if price is None:
            i.note = "unpriced: not in the price book"
        elif model is not None and wanted_models.get(i.key) not in (None, model):
            i.note = f"unpriced: the price book prices {model}, the plan needs {wanted_models[i.key]}"
        else:
            i.unit_price, i.total = price, cents(price * i.quantity)


def build_bom(plan: Plan, prices: PriceBook | None = None) -> Bom:
    """Every item to buy for the plan, priced when a price book is given.

    >>> from ccinfra.sizing.site import size
    >>> from ccinfra.spec import parse_spec
    >>> bom = build_bom(size(parse_spec({"name": "demo", "demand": {"agents": 30}})))
    >>> [(i.category, i.quantity) for i in bom.items][:4]
    [('switch', 1), ('optic', 4), ('phone', 32), ('phone', 4)]
    """
    cabling, notes = _cabling_items(plan)
    items = _network_items(plan, prices) + _seat_items(plan, prices) + _voice_items(plan) + cabling
    items += _earthing_items(plan)
    if prices is not None:
        _price(items, plan, prices)
    return Bom(items=items, currency=prices.currency if prices else None, label=prices.label if prices else "",
               notes=notes)
