"""``audit grounding``: fall-of-potential triplets (IEEE 81) against the targets; one-line errors for a bad CSV.

Spread = max(|R52 − R62|, |R72 − R62|) / R62, valid when ≤ 10 %; the values below are worked by hand.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ccinfra.audit.grounding import audit_grounding, parse_readings_csv, read_readings_csv
from ccinfra.cli.main import cli
from ccinfra.errors import SpecError

HEADER = "electrode,r52_ohm,r62_ohm,r72_ohm\n"

# (electrode, r52, r62, r72, spread by hand, valid, status at 1 Ω)
TRIPLETS = [
    ("main-bar", 0.78, 0.81, 0.85, 0.04 / 0.81, True, "pass"),     # |0.85 − 0.81| = 0.04 → 4.94 %
    ("row-b", 0.95, 1.30, 1.70, 0.40 / 1.30, False, "invalid"),    # |1.70 − 1.30| = 0.40 → 30.8 %
    ("edge", 0.90, 1.00, 1.10, 0.10, True, "pass"),                # exactly 10 %: still valid
    ("ups", 1.38, 1.45, 1.52, 0.07 / 1.45, True, "fail"),          # 4.83 %, but 1.45 Ω > 1 Ω
    ("low-side", 0.80, 0.95, 0.96, 0.15 / 0.95, False, "invalid"),  # |0.80 − 0.95| = 0.15 → 15.8 %
]


def csv_text(rows) -> str:
    return HEADER + "".join(f"{e},{a},{b},{c}\n" for e, a, b, c, *_ in rows)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("row", TRIPLETS, ids=[t[0] for t in TRIPLETS])
def test_triplet_verdicts(row):
    electrode, r52, r62, r72, spread, valid, status = row
    audit = audit_grounding(parse_readings_csv(csv_text([row])))
    e = audit.electrodes[0]
    assert e.spread_ratio == pytest.approx(spread, abs=1e-6)
    assert (e.valid, e.status) == (valid, status)
    assert audit.ok == (status == "pass")


def test_every_public_target_with_its_source():
    audit = audit_grounding(parse_readings_csv(csv_text(TRIPLETS)))
    by_name = {e.electrode: {t.source: t for t in e.targets} for e in audit.electrodes}
    ups = by_name["ups"]  # 1.45 Ω: above 1 Ω (seed, central office), within 5 Ω and 25 Ω
    assert {s: t.status for s, t in ups.items()} == {
        "seed-earth": "fail", "co-1ohm": "fail", "ieee-142": "pass", "telecom-5ohm": "pass", "nec-250.53": "pass"}
    assert ups["nec-250.53"].limit_ohm == 25.0 and ups["nec-250.53"].kind == "standard"
    assert "NEC" in ups["nec-250.53"].citation and ups["seed-earth"].kind == "seed"
    assert all(t.status == "n/a" for t in by_name["row-b"].values())


def test_target_override_changes_the_verdict():
    rows = parse_readings_csv(csv_text([TRIPLETS[3]]))  # ups, 1.45 Ω
    assert audit_grounding(rows, 1.0).electrodes[0].status == "fail"
    assert audit_grounding(rows, 5.0, "--target-ohm").electrodes[0].status == "pass"


def test_columns_by_name_any_order_bom_and_extra_columns():
    text = "\ufeff R62_OHM ,electrode,r72_ohm,r52_ohm,date,notes,probe_m\n0.81,main,0.85,0.78,2025-03-14,bar,60\n"
    (m,) = parse_readings_csv(text, "x.csv")
    assert (m.reading.electrode, m.reading.r52_ohm, m.reading.r62_ohm, m.reading.r72_ohm) == ("main", 0.78, 0.81, 0.85)
    assert (m.date, m.notes, m.where) == ("2025-03-14", "bar", "x.csv line 2")


@pytest.mark.parametrize("text, message", [
    ("electrode,r52_ohm,r72_ohm\nmain,0.78,0.85\n", "r.csv line 1: missing column 'r62_ohm'"),
    (HEADER + "main,0.78,0.81,0.85\nb,0.9,abc,1.1\n", "r.csv line 3, column 'r62_ohm': 'abc' is not a number"),
    (HEADER + "main,-0.78,0.81,0.85\n", "r.csv line 2, column 'r52_ohm': -0.78 must be a resistance greater than 0"),
    (HEADER + "main,0.78,0,0.85\n", "r.csv line 2, column 'r62_ohm': 0 must be a resistance greater than 0"),
    (HEADER + "main,0.78,,0.85\n", "r.csv line 2, column 'r62_ohm': empty"),
    (HEADER + "main,0.78,nan,0.85\n", "r.csv line 2, column 'r62_ohm'"),
    (HEADER + "main bar,0.78,0.81,0.85\n", "r.csv line 2, column 'electrode'"),
    (HEADER + "main,0.78,0.81,0.85,extra\n", "r.csv line 2: 5 fields but the header has 4"),
    (HEADER, "r.csv: no readings"),
    ("", "r.csv line 1: empty file"),
])
def test_bad_csv_names_file_line_and_column(text, message):
    with pytest.raises(SpecError) as err:
        parse_readings_csv(text, "r.csv")
    assert message in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("text, message", [
    (HEADER + "main,0.78,x,0.85\n", "line 2, column 'r62_ohm'"),
    ("electrode,r52_ohm\n", "missing column 'r62_ohm'"),
])
def test_cli_bad_csv_is_one_line_exit_1(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    result = run("audit", "grounding", str(path))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}") and message in result.output
    assert result.output.count("\n") == 1


def test_cli_missing_file(tmp_path):
    result = run("audit", "grounding", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1 and "no such file" in result.output and result.output.count("\n") == 1


def test_cli_exit_0_when_all_valid_and_within_target(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text(csv_text([TRIPLETS[0], TRIPLETS[2]]))
    result = run("audit", "grounding", str(path))
    assert result.exit_code == 0, result.output
    assert "2 pass, 0 fail, 0 invalid" in result.output


def test_cli_example_exits_1_and_json_lists_each_electrode():
    example = Path(str(files("ccinfra.examples") / "readings.csv"))
    result = run("audit", "grounding", str(example), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [e["status"] for e in data["electrodes"]] == ["pass", "pass", "invalid", "fail"]
    assert data["ok"] is False and data["counts"] == {"pass": 2, "fail": 1, "invalid": 1}
    assert data["target_ohm"] == 1.0 and data["target_source"] == "seed-earth"
    # with a 5 Ω target only the invalid triplet still fails the audit
    data5 = json.loads(run("audit", "grounding", str(example), "--target-ohm", "5", "--format", "json").output)
    assert data5["counts"] == {"pass": 3, "fail": 0, "invalid": 1}


def test_cli_reads_a_site_yaml_and_writes_yaml(tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text("name: s\ndemand: {agents: 5}\nelectrical:\n  max_earth_ohm: 5\n  readings:\n"
                    "    - {electrode: e1, r52_ohm: 1.38, r62_ohm: 1.45, r72_ohm: 1.52}\n")
    out = tmp_path / "g.yaml"
    result = run("audit", "grounding", str(site), "--format", "yaml", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text())
    assert data["target_ohm"] == 5.0 and data["target_source"] == "electrical.max_earth_ohm"
    assert data["electrodes"][0]["where"] == "electrical.readings[0]"


def test_cli_site_without_readings(tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text("name: s\ndemand: {agents: 5}\n")
    result = run("audit", "grounding", str(site))
    assert result.exit_code == 1 and "electrical.readings" in result.output


def test_target_must_be_positive():
    assert run("audit", "grounding", "x.csv", "--target-ohm", "0").exit_code == 2
    with pytest.raises(SpecError):
        audit_grounding([], 0)


def test_read_from_file(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(csv_text(TRIPLETS[:1]), encoding="utf-8")
    assert read_readings_csv(path)[0].where == f"{path} line 2"
