"""The auditor's report: self-contained HTML with a floor plan that matches the plan, formulas with the
plan's numbers, every check, and reproducible hashes. Expected figures are worked out by hand below."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner

from ccinfra.cli.main import cli
from ccinfra.plan import Plan, load_plan
from ccinfra.report import make_report
from ccinfra.report.charts import codec_bandwidths, poe_by_switch, service_level_points
from ccinfra.report.floorplan import pick_scale
from ccinfra.sizing.site import size
from ccinfra.spec import load_spec, parse_spec

GENERATED = "2025-01-01T00:00:00Z"

# DESIGN.md known answer: 100 calls / 30 min, AHT 180 s → A = 10 E; N = 14, T = 20 s gives
# P(wait) 0.174132, SL 0.888350, ASA 7.836 s, occupancy 10/14 = 0.714.
KNOWN = """
name: known
demand:
  forecast: {calls_per_interval: 100, interval_min: 30, aht_s: 180, target_answer_s: 20, service_level: 0.8,
             shrinkage: 0.3, max_occupancy: 0.85}
  supervisors: {count: 2}
floor:
  room: {width_m: 10, depth_m: 8, ceiling_m: 2.4}
  desk: {width_cm: 100, depth_cm: 70}
  aisle_m: 1.2
  wall_clearance_m: 1.0
electrical:
  readings:
    - {electrode: main-bar, r52_ohm: 0.78, r62_ohm: 0.81, r72_ohm: 0.85}
"""


def parse(html: str):
    # strict: any HTML parse error fails the test
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


def with_class(doc, name: str) -> list:
    return [e for e in doc.iter() if name in (e.get("class") or "").split()]


def report(path: Path, fmt: str = "html") -> str:
    return make_report(path, fmt, f"report.{fmt}", generated=GENERATED)


@pytest.fixture
def known_site(tmp_path: Path) -> Path:
    path = tmp_path / "known.yaml"
    path.write_text(KNOWN)
    return path


@pytest.fixture(scope="module")
def example_plan() -> Plan:
    from importlib.resources import files

    return size(load_spec(Path(str(files("ccinfra.examples") / "site.yaml"))))


@pytest.fixture(scope="module")
def example_html() -> str:
    from importlib.resources import files

    return report(Path(str(files("ccinfra.examples") / "site.yaml")))


# ---------------------------------------------------------------------------- floor plan
def test_floor_plan_has_one_desk_per_placed_seat(example_html, example_plan):
    doc = parse(example_html)
    desks = with_class(doc, "desk")
    # 127 seats (119 agents + 8 supervisors) in a 24 × 14 m room: rows ⌊(14 − 2 + 1.2) / (0.7 + 1.2)⌋ = 6,
    # ⌊(24 − 2) / 1.0⌋ = 22 a row → 132 desks fit, all 127 seats placed.
    assert len(desks) == len(example_plan.floor.layout) == example_plan.seats.total == 127
    assert all(d.tag.endswith("rect") for d in desks)
    assert Counter(d.get("data-seat") for d in desks) == Counter(p.seat for p in example_plan.floor.layout)
    supervisors = [d for d in desks if "supervisor" in d.get("class").split()]
    assert len(supervisors) == 8  # supervisors: count 8 in the example


def test_each_desk_names_its_switch_port_from_the_plan(example_html, example_plan):
    expected = {p.seat: (sw.name, p.interface) for sw in example_plan.network.switches for p in sw.ports
                if p.kind == "seat"}
    for desk in with_class(parse(example_html), "desk"):
        seat = desk.get("data-seat")
        assert (desk.get("data-switch"), desk.get("data-port")) == expected[seat]
        tip = next(iter(desk)).text  # the <title> tooltip
        assert seat in tip and expected[seat][1] in tip
    # the first seat lands on the first port of the first switch
    assert expected["S01"] == ("lisbon-as01", "GigabitEthernet1/0/1")


def test_barriers_between_row_neighbours_and_scale(example_html, example_plan):
    doc = parse(example_html)
    # rows of 22, 22, 22, 22, 22 and 17 desks: 5 × 21 + 16 = 121 barriers
    assert len(with_class(doc, "barrier")) == example_plan.desks.barriers == 121
    room = with_class(doc, "room")[0]
    assert float(room.get("width")) == 24 * 40 and float(room.get("height")) == 14 * 40  # 40 px per metre
    bar = with_class(doc, "scalebar")[0]
    assert bar.get("data-metres") == "5"
    assert pick_scale(24) == 40.0 and pick_scale(100) == 10.0


def test_room_too_small_draws_only_the_seats_that_fit(tmp_path):
    site = tmp_path / "tight.yaml"
    site.write_text("name: tight\ndemand: {agents: 60}\nfloor:\n  room: {width_m: 9, depth_m: 6}\n")
    plan = size(load_spec(site))
    doc = parse(report(site))
    # 90 × 60 cm desks, 1.2 m aisles, 1 m clearance: ⌊(6 − 2 + 1.2) / 1.8⌋ = 2 rows × ⌊7 / 0.9⌋ = 7 → 14 desks
    assert len(with_class(doc, "desk")) == len(plan.floor.layout) == 14 < plan.seats.total
    assert "do not fit in the room" in report(site)


def test_no_room_means_no_floor_plan_and_a_note(tmp_path):
    site = tmp_path / "noroom.yaml"
    site.write_text("name: noroom\ndemand: {agents: 12}\n")
    html = report(site)
    doc = parse(html)
    assert with_class(doc, "desk") == [] and with_class(doc, "floorplan") == []
    assert "No room was given" in html
    assert "fixed number of agents" in html  # no service-level chart without a forecast


# ---------------------------------------------------------------------------- formulas and checks
def test_formulas_show_the_numbers_of_the_known_answer(known_site):
    html = report(known_site)
    text = " ".join(parse(html).itertext())
    for expected in [
        "A = 100 × 180 s / 1800 s = 10 E",            # 100 × 180 / 1800 = 10
        "= 0.17413",                                   # P(wait), DESIGN.md 0.174132
        "= 0.88835",                                   # SL, DESIGN.md 0.888350
        "ASA = 0.17413 × 180 s / (14 − 10) = 7.836 s",  # 0.174132 × 180 / 4 = 7.836
        "occupancy = 10 / 14 = 0.7143",               # 10 / 14 = 0.714286
        "scheduled = ⌈14 / (1 − 0.3)⌉ = ⌈20⌉ = 20",      # 14 / 0.7 = 20
        "seats = 20 + 0 + 2 = 22",
        "area = 22 × 2.3 m² = 50.6 m²",               # 22 × 2.3 = 50.6
        "rows = ⌊(8 − 2 × 1 + 1.2) / (0.7 + 1.2)⌋",   # 7.2 / 1.9 = 3.79 → 3
        "per row = ⌊(10 − 2 × 1) / 1⌋ = 8",
        "desks fit = 3 × 8 = 24",
        "(160 B + 40 B + 22 B dot1q) × 8 × 50/s = 88.8 kbit/s",  # 222 B × 8 × 50 = 88 800 bit/s
        "max(|0.78 − 0.81|, |0.85 − 0.81|) / 0.81 = 4.9 %",      # 0.04 / 0.81 = 0.0494
        "volume = 80 m² × 2.4 m / 22 = 8.727 m³",                # 192 / 22 = 8.727
    ]:
        assert expected in text, expected


def test_every_check_is_in_the_html_and_the_json(example_plan, example_html, tmp_path):
    from importlib.resources import files

    site = Path(str(files("ccinfra.examples") / "site.yaml"))
    data = json.loads(report(site, "json"))
    html_ids = [e.get("data-check") for e in parse(example_html).iter() if e.get("data-check")]
    plan_ids = [c.id for c in example_plan.checks]
    assert html_ids == plan_ids == [c["id"] for c in data["checks"]]
    # the checks an auditor asks for are all there
    for wanted in ["floor.area_rule", "desks.size", "floor.room_desks", "floor.hse_volume", "grounding.main-bar.valid",
                   "network.lisbon-as01.poe", "network.lisbon-as01.oversubscription", "trunks.blocking",
                   "staffing.service_level", "network.lisbon-as01.voice_uplink"]:
        assert wanted in html_ids
    md = report(site, "md")
    assert all(f"`{i}`" in md for i in plan_ids)


def test_status_counts_and_rule_kinds(example_html, example_plan):
    doc = parse(example_html)
    counts = Counter(c.status for c in example_plan.checks)
    shown = {e.get("class").split()[1]: int(next(iter(e)).text) for e in with_class(doc, "count")}
    assert shown == {k: counts[k] for k in shown}
    kinds = {e.text for e in with_class(doc, "kind")}
    assert {"seed", "standard", "vendor", "math"} <= kinds


# ---------------------------------------------------------------------------- self-contained
def test_html_loads_nothing_from_outside(example_html):
    lowered = example_html.lower()
    assert "<script" not in lowered and "<link" not in lowered and "@import" not in lowered
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", lowered)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", lowered)
    assert "src=" not in lowered
    assert "<style>" in lowered and "@media print" in lowered


def test_charts_are_inline_svg_with_their_data(known_site, example_plan):
    html = report(known_site)
    doc = parse(html)
    assert len(with_class(doc, "chart")) == 3
    plan = size(load_spec(known_site))
    points = {p["agents"]: p["service_level"] for p in service_level_points(plan)}
    assert points[14] == pytest.approx(0.888350, abs=1e-6) and points[13] < 0.8  # N = 14 is the answer
    kbps = {r["codec"]: r["per_call_kbps"] for r in codec_bandwidths(plan)}
    assert kbps["g711"] == pytest.approx(88.8) and kbps["g729"] == pytest.approx(32.8)  # (20 + 40 + 22) × 400 bit/s
    # example: 35 phones of class 2 on the first switch → 35 × 7 W = 245 W of 740 W
    first = poe_by_switch(example_plan)[0]
    assert (first["poe_w"], first["budget_w"]) == (245.0, 740.0)


# ---------------------------------------------------------------------------- reproducibility
def test_plan_json_gives_the_same_report_as_the_yaml(tmp_path):
    from importlib.resources import files

    site = Path(str(files("ccinfra.examples") / "site.yaml"))
    plan_file = tmp_path / "plan.json"
    result = CliRunner().invoke(cli, ["size", str(site), "--format", "json", "-o", str(plan_file)])
    assert result.exit_code == 0, result.output
    from_yaml, from_plan = report(site), report(plan_file)
    yaml_sha = hashlib.sha256(site.read_bytes()).hexdigest()
    plan_sha = hashlib.sha256(plan_file.read_bytes()).hexdigest()
    # the plan hash in the report is the hash of what 'ccinfra size --format json' wrote
    assert f'class="plan-sha256">{plan_sha}<' in from_yaml and f'class="plan-sha256">{plan_sha}<' in from_plan
    assert yaml_sha in from_yaml and plan_sha in from_plan

    def body(html: str, sha: str) -> str:  # between the cover and the footer, with the input hash masked
        return html.split("</header>", 1)[1].split('<footer class="repro"', 1)[0].replace(sha, "<input-sha>")

    assert body(from_yaml, yaml_sha) == body(from_plan, plan_sha)
    j_yaml, j_plan = json.loads(report(site, "json")), json.loads(report(plan_file, "json"))
    for key in ("inputs_sha256", "input", "reproduce"):
        j_yaml.pop(key), j_plan.pop(key)
    assert j_yaml == j_plan


def test_json_report_for_machines(known_site):
    data = json.loads(report(known_site, "json"))
    assert {"plan", "checks", "inputs_sha256", "plan_sha256", "ccinfra_version", "generated"} <= set(data)
    assert data["inputs_sha256"] == hashlib.sha256(known_site.read_bytes()).hexdigest()
    assert data["generated"] == GENERATED
    plan = Plan.model_validate(data["plan"])
    assert data["checks"] == [c.model_dump(mode="json") for c in plan.checks]
    expected = json.dumps(data["plan"], indent=2, ensure_ascii=False) + "\n"
    assert data["plan_sha256"] == hashlib.sha256(expected.encode()).hexdigest()
    traffic = next(r for r in data["results"] if r["id"] == "staffing.traffic")
    assert traffic["work"] == "A = 100 × 180 s / 1800 s = 10 E"


def test_source_date_epoch_makes_the_report_byte_identical(known_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    runner = CliRunner()
    outs = []
    for name in ("a.html", "b.html"):
        out = tmp_path / name
        assert runner.invoke(cli, ["report", str(known_site), "-o", str(out)]).exit_code == 0
        outs.append(out.read_text().replace(name, "X"))
    assert outs[0] == outs[1]
    assert "2025-01-01T00:00:00Z" in outs[0]


def test_markdown_tables_keep_their_columns(known_site):
    md = report(known_site, "md")
    blocks, current = [], []
    for line in md.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    assert len(blocks) >= 8
    for block in blocks:
        cells = [len(re.findall(r"(?<!\\)\|", row)) for row in block]
        assert len(set(cells)) == 1, block[0]
        assert re.fullmatch(r"\|(---\|)+", block[1])
    assert "\\| sha256sum" in md  # a pipe inside a code span is escaped (GFM)


def test_report_of_an_erlang_a_site_uses_erlang_a(tmp_path):
    site = tmp_path / "a.yaml"
    site.write_text("name: porto\ndemand:\n  forecast: {calls_per_interval: 300, aht_s: 200, patience_s: 90}\n")
    plan = size(load_spec(site))
    html = report(site)
    assert plan.staffing.model == "erlang_a" and "Erlang A" in html and "NOTE" not in html
    points = service_level_points(plan)
    chosen = next(p for p in points if p["chosen"])
    assert chosen["service_level"] == pytest.approx(plan.staffing.service_level)


def test_rule_ids_all_have_a_source():
    from ccinfra import standards

    plan = size(parse_spec({"name": "x", "demand": {"agents": 5}}))
    used = {c.source for c in plan.checks} | set(plan.floor.sources) | set(plan.network.sources)
    assert used - {"spec"} <= set(standards.SOURCES)


# ---------------------------------------------------------------------------- CLI
def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_cli_writes_each_format(known_site, tmp_path):
    for fmt, suffix in (("html", ".html"), ("md", ".md"), ("json", ".json")):
        out = tmp_path / f"r{suffix}"
        result = run("report", str(known_site), "-o", str(out))  # format from the suffix
        assert result.exit_code == 0, result.output
        text = out.read_text()
        assert text.startswith({"html": "<!DOCTYPE html>", "md": "# Sizing report", "json": "{"}[fmt])


@pytest.mark.parametrize("content, name, message", [
    (None, "missing.yaml", "no such file"),
    ("name: [oops\n", "bad.yaml", "not valid YAML"),
    ('{"schema": "other"}', "plan.json", "not a ccinfra plan"),
    ("name: x\ndemand: {agents: 0}\n", "zero.yaml", "demand.agents"),
])
def test_cli_bad_input_is_one_line(tmp_path, content, name, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    result = run("report", str(path), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()


def test_cli_unknown_format_is_a_usage_error(known_site):
    assert run("report", str(known_site), "--format", "pdf").exit_code == 2


def test_load_plan_round_trip_keeps_the_report(tmp_path, known_site):
    plan = size(load_spec(known_site))
    (tmp_path / "p.json").write_text(json.dumps(plan.to_dict()))
    assert load_plan(tmp_path / "p.json") == plan
