"""The report's Cabling and Cost sections, the telecom room on the floor plan and desks coloured by run."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import html5lib
import pytest

from ccinfra.report import make_report

GENERATED = "2025-01-01T00:00:00Z"
# 118 agents in one row, rack in the top-left corner: seat c has a link of c + 10.15 m (tests/unit/test_cabling.py).
LONG_ROW = """
name: longrow
demand: {agents: 118, supervisors: {count: 0}}
floor: {room: {width_m: 120, depth_m: 10}, desk: {width_cm: 100, depth_cm: 70}, telecom_room: {x_m: 0, y_m: 0}}
"""


def parse(html: str):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


def with_class(doc, name: str) -> list:
    return [e for e in doc.iter() if name in (e.get("class") or "").split()]


@pytest.fixture
def priced_html(example_site):
    return make_report(example_site, "html", "r.html", generated=GENERATED, prices=example_site.parent / "prices.yaml")


def test_cost_section_html(priced_html):
    doc = parse(priced_html)
    section = next(e for e in doc.iter("section") if e.get("id") == "cost")
    rows = [tr for tr in section.iter("tr") if tr.get("data-category")]
    assert len(rows) == 19                                 # the example's BOM lines (see test_cost.py)
    text = "".join(section.itertext())
    assert "EXAMPLE DATA" in text and "238438.30" in text and "281602.20" in text
    segments = with_class(doc, "cost-segment")
    assert [s.get("data-category") for s in segments] == ["capex", "labour", "rent", "telecom", "power"]
    assert sum(Decimal(s.get("data-amount")) for s in segments) == Decimal("281602.20")
    bands = with_class(doc, "rate-band")
    assert len(bands) == 9 and len(with_class(doc, "open")) >= 1   # Western Europe "$40+" has no top
    assert with_class(doc, "in-house-line") and with_class(doc, "break-even-line")


def test_floor_plan_draws_the_telecom_room_and_colours_desks(priced_html):
    doc = parse(priced_html)
    room = with_class(doc, "telecom-room")
    assert len(room) == 1 and (room[0].get("data-x-m"), room[0].get("data-y-m")) == ("12", "0")
    desks = with_class(doc, "desk")
    assert len(desks) == 127
    assert all(d.get("style", "").startswith("fill:") and d.get("data-link-m") for d in desks)
    a103 = next(d for d in desks if d.get("data-seat") == "A103")
    assert a103.get("data-link-m") == "29.65"          # the far-corner seat worked out in test_cabling.py


def test_cabling_table_lists_seats_over_80_m(tmp_path: Path):
    site = tmp_path / "longrow.yaml"
    site.write_text(LONG_ROW)
    doc = parse(make_report(site, "html", "r.html", generated=GENERATED))
    section = next(e for e in doc.iter("section") if e.get("id") == "cabling")
    seats = [tr.get("data-seat") for tr in section.iter("tr") if tr.get("data-seat")]
    # link > 80 m when c + 10.15 > 80 → c ≥ 70: A070 … A118, longest first
    assert seats == [f"A{i:03d}" for i in range(118, 69, -1)]
    assert "second telecom room at (99.5, 0)" in "".join(section.itertext())
    assert len(with_class(doc, "suggested")) == 1       # the dashed second room on the floor plan
    assert "no price book was given" in "".join(
        next(e for e in doc.iter("section") if e.get("id") == "cost").itertext()).lower()


def test_markdown_and_json(example_site):
    prices = example_site.parent / "prices.yaml"
    md = make_report(example_site, "md", "r.md", generated=GENERATED, prices=prices)
    assert "## Cabling take-off" in md and "## Cost" in md and "**281602.20**" in md
    assert "| Longest cable run | **29.65 m** |" in md and "| Monthly cost | **281602.20 EUR** |" in md
    assert "--prices" in md
    import hashlib
    assert hashlib.sha256(prices.read_bytes()).hexdigest() in md   # the price book's hash in the footer
    data = json.loads(make_report(example_site, "json", "r.json", generated=GENERATED, prices=prices))
    assert data["cost"]["capex_total"] == "238438.30" and data["cost"]["currency"] == "EUR"
    assert data["plan"]["cabling"]["longest_m"] == 29.65
    plain = json.loads(make_report(example_site, "json", "r.json", generated=GENERATED))
    assert "cost" not in plain
