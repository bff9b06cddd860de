"""BOM quantities and the cost model against figures worked out by hand here; bad price books."""

import csv
import io
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest

from ccinfra.cost import formats
from ccinfra.cost.bom import build_bom
from ccinfra.cost.model import cost
from ccinfra.cost.pricebook import PriceBookError, load_price_book, parse_price_book
from ccinfra.cost.rates import load_rates, select_regions
from ccinfra.errors import SpecError
from ccinfra.sizing.site import size
from ccinfra.spec import load_spec, parse_spec

# A small site worked by hand: 10 agents (fixed), 1 supervisor, SIP trunk, no room.
# Sizing gives 11 seats, 1 switch with 2 uplinks, 11 phones × 7.0 W (class 2) = 77 W of PoE,
# 10 E of trunk traffic (every agent on a call) → 18 channels at 1 % (Erlang B table: 10 E, 1 % → 18).
TINY = {"name": "tiny", "demand": {"agents": 10, "supervisors": {"count": 1}}}
TINY_PRICES = {
    "currency": "USD",
    "prices": {"switch": "1000", "phone": "100", "headset": "50", "desk": "200", "chair": "100",
               "gateway_sip": "2000", "sip_licence": "10"},
    "amortise_months": {"default": 50},
    "labour": {"agent_wage_per_hour": "10", "supervisor_wage_per_hour": "20", "loading": 0.5,
               "contracted_hours_per_month": 160},
    "rent_per_m2_month": "10",
    "telecom": {"sip_channel_month": "5"},
    "power": {"price_per_kwh": "0.20", "pc_w": 0, "hours_per_month": 730},
}


@pytest.fixture
def tiny():
    return size(parse_spec(TINY))


def by_item(bom):
    return {i.item: i for i in bom.items}


def test_tiny_bom_quantities(tiny):
    items = by_item(build_bom(tiny))
    assert items["access switch C9200L-48P-4X"].quantity == 1
    assert items["10G SFP+ uplink optic"].quantity == 4           # 2 uplinks × 2 ends
    assert items["IP phone CP-8841"].quantity == 11               # one per seat
    assert items["IP phone CP-8841 (spares)"].quantity == 2       # ceil(11 × 0.1) = ceil(1.1)
    assert items["headset"].quantity == 11                        # 10 on duty + ceil(10 × 0.1) = 1
    assert items["SIP session licence (tiny-gw01)"].quantity == 18
    assert items["desk 90 × 60 cm"].quantity == 11 and items["chair"].quantity == 11
    assert items["noise barrier"].quantity == 10                  # no room: 11 desks in one line
    assert items["network outlet (keystone)"].quantity == 11
    assert items["24-port patch panel"].quantity == 1
    assert items["patch cord"].quantity == 22
    assert items["42U rack"].quantity == 1                        # 1 switch + 1 panel + 1 manager + 1 gateway = 4 U
    assert not [i for i in build_bom(tiny).items if i.category in ("cable", "earthing", "gateway_card", "pc")]
    assert {i.category for i in build_bom(tiny).items} <= {
        "switch", "optic", "phone", "headset", "pc", "gateway", "gateway_card", "licence", "desk", "barrier",
        "chair", "cable", "outlet", "patch_panel", "patch_cord", "rack", "earthing"}


def test_tiny_cost_by_hand(tiny):
    c = cost(tiny, parse_price_book(TINY_PRICES), select_regions(load_rates(), ["india", "western-europe"]),
             contacts_per_month=10000)
    # capex: switch 1000 + phones 13 × 100 + headsets 11 × 50 + desks 11 × 200 + chairs 11 × 100
    #        + gateway 2000 + licences 18 × 10 = 1000 + 1300 + 550 + 2200 + 1100 + 2000 + 180 = 8330
    assert c.capex_total == Decimal("8330.00")
    assert sorted(c.bom.unpriced) == sorted(["10G SFP+ uplink optic", "noise barrier", "network outlet (keystone)",
                                             "24-port patch panel", "patch cord", "42U rack"])
    unpriced = [i for i in c.bom.items if i.total is None]
    assert all(i.unit_price is None for i in unpriced)            # unpriced, never zero
    m = c.monthly
    # capex ÷ 50: 20 + 26 + 11 + 44 + 22 + 40 + 3.60 = 166.60
    assert m["capex"] == Decimal("166.60")
    # agents 10 × 160 h × 10 × 1.5 = 24000; supervisor 1 × 160 × 20 × 1.5 = 4800
    assert m["labour"] == Decimal("28800.00")
    assert m["rent"] == Decimal("253.00")                         # 11 seats × 2.3 m² = 25.3 m² × 10
    assert m["telecom"] == Decimal("90.00")                       # 18 channels × 5
    assert m["power"] == Decimal("11.24")                         # 77 W × 730 h = 56.21 kWh × 0.20 = 11.242
    assert m["total"] == Decimal("29320.84")
    assert c.paid_hours == Decimal("1600.00")
    assert c.per_paid_hour == Decimal("18.33")                    # 29320.84 / 1600 = 18.3255
    assert c.per_productive_hour == Decimal("18.33")              # fixed head count: no shrinkage
    assert c.per_seat == Decimal("2665.53")                       # / 11 = 2665.5309
    assert c.per_contact == Decimal("2.93")                       # / 10000
    assert c.break_even_rate == Decimal("18.33")
    rows = {r["id"]: r for r in c.outsourcing}
    assert (rows["india"]["monthly_low"], rows["india"]["monthly_high"]) == ("8000.00", "14400.00")  # 1600 × 5, × 9
    we = rows["western-europe"]
    assert (we["rate_low"], we["rate_high"], we["monthly_low"], we["monthly_high"]) == ("40.00", None, "64000.00", None)
    d = formats.cost_document(c)["cost"]
    assert d["currency"] == "USD" and d["capex_total"] == "8330.00" and d["break_even_rate"] == "18.33"
    assert set(d["monthly"]) == {"capex", "labour", "rent", "telecom", "power", "total"}
    assert d["per_productive_hour"] == "18.33"
    assert set(d["outsourcing"][0]) >= {"region", "rate_low", "rate_high", "monthly_low", "monthly_high"}


def test_paid_hours_come_from_the_schedule_when_present(tiny):
    # issue 14 adds plan.schedule; a week of 1000 paid hours is 1000 × 52 / 12 = 4333.33 h a month
    object.__setattr__(tiny, "schedule", SimpleNamespace(paid_hours=1000))
    c = cost(tiny, parse_price_book(TINY_PRICES), [])
    assert c.paid_hours == Decimal("4333.33")
    assert c.monthly["labour"] == Decimal("64999.95") + Decimal("4800.00")  # 4333.33 × 15 = 64999.95
    assert "schedule.paid_hours" in c.paid_hours_basis


def test_week_demand_gives_volumes_shrinkage_and_peak(tiny):
    # issue 14's plan sections, by their field names: schedule.{paid_hours, peak_on_duty},
    # demand.{shrinkage, intervals[].volume, intervals[].aht_s}
    object.__setattr__(tiny, "schedule", SimpleNamespace(paid_hours=1000, peak_on_duty=12))
    object.__setattr__(tiny, "demand", SimpleNamespace(shrinkage=0.25, intervals=[
        SimpleNamespace(volume=100, aht_s=300), SimpleNamespace(volume=50, aht_s=120)]))
    c = cost(tiny, parse_price_book(TINY_PRICES), [])
    # contacts: 150 a week × 52 / 12 = 650; minutes (100 × 300 + 50 × 120) / 60 = 600 a week → 2600 a month
    assert c.contacts_per_month == Decimal("650.00") and c.handled_minutes == Decimal("2600.00")
    assert c.paid_hours == Decimal("4333.33")
    assert c.productive_hours == Decimal("3250.00")           # 4333.33 × (1 − 0.25) = 3249.9975
    assert c.per_contact == (c.monthly["total"] / 650).quantize(Decimal("0.01"))
    headsets = next(i for i in c.bom.items if i.key == "headset")
    assert headsets.quantity == 12 + 2 and "schedule.peak_on_duty" in headsets.basis


def test_example_site_with_example_prices(example_site):
    plan = size(load_spec(example_site))
    prices = load_price_book(example_site.parent / "prices.yaml")
    assert "EXAMPLE" in prices.label
    c = cost(plan, prices, load_rates())
    assert c.bom.unpriced == []
    # 119 scheduled agents × 160 h = 19040 paid hours; shrinkage 0.2 → 15232 productive hours
    assert c.paid_hours == Decimal("19040.00") and c.productive_hours == Decimal("15232.00")
    assert c.per_productive_hour == (c.monthly["total"] / Decimal(15232)).quantize(Decimal("0.01"))
    # labour: 19040 × 9.50 × 1.35 = 244188.00 + 8 supervisors × 160 × 14 × 1.35 = 24192.00
    assert c.monthly["labour"] == Decimal("268380.00")
    assert c.monthly["telecom"] == Decimal("1056.00")             # 86 SIP channels × 6 + 3 E1 × 180
    assert c.monthly["rent"] == Decimal("6048.00")                # 24 × 14 m = 336 m² × 18


def test_example_bom_quantities_against_the_plan(example_site):
    plan = size(load_spec(example_site))
    items = by_item(build_bom(plan))
    assert items["access switch C9200L-48P-4X"].quantity == plan.network.switch_count == 4
    assert items["10G SFP+ uplink optic"].quantity == 4 * 2 * 2
    assert items["IP phone CP-8841"].quantity == 127 and items["IP phone CP-8841 (spares)"].quantity == 13
    assert items["headset"].quantity == 119 + 12                  # ceil(11.9)
    assert items["desk 100 × 70 cm"].quantity == 127 and items["noise barrier"].quantity == plan.desks.barriers
    assert items["SIP session licence (lisbon-gw01)"].quantity == 86
    assert items["E1 interface card, 2 ports (lisbon-gw02)"].quantity == 2   # ceil(86 / 30) = 3 spans → 2 cards
    cable = items["cat6 horizontal cable, 305 m box"]
    assert cable.quantity == plan.cabling.boxes
    assert items["24-port patch panel"].quantity == 6             # ceil(127 / 24)
    assert items["patch cord"].quantity == 254
    # rack-row-b reads 0.95 / 1.30 / 1.70 Ω: spread too wide (invalid) → one remediation line; main-bar passes
    earthing = [i for i in build_bom(plan).items if i.category == "earthing"]
    assert [i.item for i in earthing] == ["earthing remediation: electrode rack-row-b"]


@pytest.mark.parametrize("telephony, lines", [
    # primary E1: 86 channels → ceil(86/30) = 3 spans → 2 two-port cards; no SIP licences
    ({"trunk": "e1", "fallback": "none"}, {"PRI voice gateway lisbon-gw01 (E1)": 1,
                                           "E1 interface card, 2 ports (lisbon-gw01)": 2}),
    # SIP with T1 fallback: ceil(86/23) = 4 spans → 2 cards
    ({"trunk": "sip", "fallback": "t1"}, {"SIP session licence (lisbon-gw01)": 86,
                                          "T1 interface card, 2 ports (lisbon-gw02)": 2}),
])
def test_e1_and_t1_sites(example_site, telephony, lines):
    import yaml
    data = yaml.safe_load(example_site.read_text())
    data["telephony"].update(telephony)
    data["phones"].pop("macs_file")
    items = by_item(build_bom(size(parse_spec(data))))
    for name, qty in lines.items():
        assert items[name].quantity == qty
    if telephony["trunk"] == "e1":
        assert not [n for n in items if "SIP" in n]


def test_totals_add_up_to_the_cent_in_every_format(example_site):
    plan = size(load_spec(example_site))
    c = cost(plan, load_price_book(example_site.parent / "prices.yaml"), load_rates())
    doc = json.loads(json.dumps(formats.cost_document(c)))
    items = doc["bom"]["items"]
    assert sum(Decimal(i["total"]) for i in items) == Decimal(doc["cost"]["capex_total"])
    for i in items:
        assert Decimal(i["total"]) == (Decimal(i["unit_price"]) * i["quantity"]).quantize(Decimal("0.01"))
    monthly = doc["cost"]["monthly"]
    assert sum(Decimal(monthly[k]) for k in ("capex", "labour", "rent", "telecom", "power")) == Decimal(monthly["total"])
    lines = doc["cost"]["lines"]
    for key in ("capex", "labour", "rent", "telecom", "power"):
        assert sum(Decimal(x["amount"]) for x in lines if x["id"].split(".")[0] == key) == Decimal(monthly[key])
    rows = list(csv.DictReader(io.StringIO(formats.bom_csv(c.bom))))
    assert sum(Decimal(r["total"]) for r in rows[:-1]) == Decimal(rows[-1]["total"]) == Decimal(doc["cost"]["capex_total"])
    cost_rows = list(csv.DictReader(io.StringIO(formats.cost_csv(c))))
    parts = sum(Decimal(r["amount"]) for r in cost_rows if r["section"].startswith("monthly."))
    total = next(r for r in cost_rows if r["section"] == "monthly_total" and r["name"] == "total")
    assert parts == Decimal(total["amount"]) == Decimal(monthly["total"])
    table = formats.cost_table(c)
    assert f"total      {monthly['total']}" in table and doc["cost"]["capex_total"] in table


@pytest.mark.parametrize("data, message", [
    ({"prices": {"switch": "1"}}, "currency: required; add it"),
    ({"currency": "EUR", "prices": {"switch": "-5"}}, "prices.switch: Input should be greater than or equal to 0"),
    ({"currency": "EUR", "prices": {"switch": None}}, "prices.switch: no value; give a price"),
    ({"currency": "EUR", "prices": {"swtich": "5"}}, "unknown item 'swtich'"),
    ({"currency": "EUR", "prices": {"switch": "abc"}}, "prices.switch"),
    ({"currency": "euro"}, "currency: String should match pattern"),
    ({"currency": "EUR", "amortise_months": {"switch": 0}}, "months must be a whole number above 0"),
    ({"currency": "EUR", "amortise_months": {"furniture": 12}}, "unknown category 'furniture'"),
    ({"currency": "EUR", "labour": {"agent_wage_per_hour": "9"}}, "labour.supervisor_wage_per_hour: required"),
    ({"currency": "EUR", "rent_per_m2_month": "-1"}, "rent_per_m2_month: Input should be greater than or equal to 0"),
    (["currency", "EUR"], "must be a YAML mapping (currency:, prices:, ...), got list"),
])
def test_bad_price_books_are_one_line_errors(data, message):
    with pytest.raises(PriceBookError) as err:
        parse_price_book(data, "p.yaml")
    text = str(err.value)
    assert message in text and "\n" not in text and text.startswith("p.yaml")


def test_cost_needs_the_sections_it_uses(tiny):
    prices = parse_price_book({"currency": "USD", "prices": {"switch": "1"}, "amortise_months": {"default": 12}})
    with pytest.raises(PriceBookError, match="price book: labour is missing"):
        cost(tiny, prices, [])
    eur = parse_price_book({**TINY_PRICES, "currency": "EUR"})
    with pytest.raises(PriceBookError, match="usd_rate"):
        cost(tiny, eur, load_rates())
    no_months = parse_price_book({**TINY_PRICES, "amortise_months": {"switch": 60}})
    with pytest.raises(PriceBookError, match="amortise_months has no 'phone' and no 'default'"):
        cost(tiny, no_months, [])


def test_model_mismatch_is_unpriced(tiny):
    prices = parse_price_book({**TINY_PRICES, "models": {"switch": "C9300-48P"}})
    item = by_item(build_bom(tiny, prices))["access switch C9200L-48P-4X"]
    assert item.total is None and "prices C9300-48P, the plan needs C9200L-48P-4X" in item.note


def test_regions():
    rates = load_rates()
    assert len(rates) == 9
    table = {r.region: (r.rate_low_usd, r.rate_high_usd) for r in rates}
    assert table["USA/Canada"] == (22, 35) and table["Western Europe"] == (40, None)
    assert table["Pakistan"] == (6, 10) and table["Asia/Philippines"] == (8, 14)
    with pytest.raises(SpecError, match="--region: unknown mars"):
        select_regions(rates, ["mars"])


def test_stack_and_power_cables_only_when_the_price_book_lists_them(example_site):
    plan = size(load_spec(example_site))
    assert not [i for i in build_bom(plan).items if i.key in ("stack_cable", "power_cable")]
    prices = parse_price_book({"currency": "EUR", "prices": {"stack_cable": "120", "power_cable": "25"}})
    items = {i.key: i for i in build_bom(plan, prices).items}
    # 4 switches: a ring stack needs 4 cables; one power cable each
    assert items["stack_cable"].quantity == 4 and items["stack_cable"].total == Decimal("480.00")
    assert items["power_cable"].quantity == 4 and items["power_cable"].category == "switch"


@pytest.mark.parametrize("text, message", [
    ("id,region,rate_low_usd,rate_high_usd,source\nx,X,abc,5,s", "rate_low_usd: 'abc' is not a number"),
    ("id,region,rate_low_usd,rate_high_usd,source\nx,X,-1,5,s", "must be a number ≥ 0"),
    ("id,region,rate_low_usd,rate_high_usd,source\nx,X,9,5,s", "rate_high_usd 5 is below rate_low_usd 9"),
    ("id,region,rate_low_usd,rate_high_usd,source\nx,,9,10,s", "id, region and rate_low_usd are required"),
])
def test_bad_rate_tables(text, message):
    from ccinfra.cost.rates import parse_rates
    with pytest.raises(SpecError, match=message):
        parse_rates(text, "r.csv")


def test_unpriced_lines_are_shown_as_unpriced_in_every_format(tiny):
    bom = build_bom(tiny, parse_price_book(TINY_PRICES))
    rows = {r["item"]: r for r in csv.DictReader(io.StringIO(formats.bom_csv(bom)))}
    optic = rows["10G SFP+ uplink optic"]
    assert (optic["unit_price"], optic["total"], optic["note"]) == ("", "", "unpriced: not in the price book")
    assert rows["TOTAL (priced lines)"]["note"] == "6 unpriced"
    doc = formats.bom_document(bom)["bom"]
    item = next(i for i in doc["items"] if i["item"] == "10G SFP+ uplink optic")
    assert item["total"] is None and item["unit_price"] is None and item["priced"] is False
    table = formats.bom_table(bom)
    assert "unpriced" in next(line for line in table.splitlines() if line.startswith("10G SFP+ uplink optic"))
    assert "Unpriced (6, not in the total)" in table

