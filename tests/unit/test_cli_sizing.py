"""The sizing commands end to end through click: JSON keys, help, and one-line errors."""

import json

import pytest
from click.testing import CliRunner

from ccinfra.cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_every_command_has_help_with_an_example():
    def walk(group, prefix):
        for name, command in group.commands.items():
            yield [*prefix, name], command
            if hasattr(command, "commands"):
                yield from walk(command, [*prefix, name])

    for path, command in walk(cli, []):
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        if not hasattr(command, "commands"):
            assert "Example" in result.output, f"{' '.join(path)} --help shows no example"


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and "ccinfra, version" in result.output


def test_staff_json_known_answer():
    # DESIGN.md: A = 10 E (100 calls / 30 min, AHT 180 s), N = 14, T = 20 s → SL 0.888350 ...
    result = run("staff", "--calls", "100", "--interval-min", "30", "--aht-s", "180", "--target-s", "20",
                 "--service-level", "0.88", "--format", "json")
    data = json.loads(result.output)
    assert data["traffic_erlangs"] == pytest.approx(10.0)
    assert data["agents"] == 14
    assert data["service_level"] == pytest.approx(0.888350, abs=1e-6)
    assert data["wait_probability"] == pytest.approx(0.174132, abs=1e-6)
    assert data["asa_s"] == pytest.approx(7.836, abs=1e-3)
    assert data["occupancy"] == pytest.approx(10 / 14)
    assert data["scheduled_agents"] == 14
    assert "abandon_probability" not in data


def test_staff_with_patience_reports_abandonment():
    result = run("staff", "--calls", "100", "--aht-s", "180", "--patience-s", "60", "--shrinkage", "0.3",
                 "--format", "json")
    data = json.loads(result.output)
    assert 0 < data["abandon_probability"] < 1
    assert data["scheduled_agents"] >= data["agents"] / 0.7


def test_trunks_json_known_answer():
    # Erlang B table: 15 lines at 1 % carry 8.108 E
    data = json.loads(run("trunks", "--erlangs", "8.108", "--blocking", "0.01", "--format", "json").output)
    assert data["channels"] == 15 and data["e1"] == 1 and data["t1"] == 1
    assert data["blocking"] <= 0.01


def test_bandwidth_json_cisco_row():
    data = json.loads(run("bandwidth", "--codec", "g711", "--calls", "10", "--format", "json").output)
    assert data["per_call_kbps"] == pytest.approx(87.2)
    assert data["total_kbps"] == pytest.approx(872.0)


def test_size_example_table_and_json(example_site, tmp_path):
    table = run("size", str(example_site))
    assert table.exit_code == 0 and "Staffing" in table.output and "Checks" in table.output
    out = tmp_path / "plan.json"
    result = run("size", str(example_site), "--format", "json", "-o", str(out))
    assert result.exit_code == 0
    plan = json.loads(out.read_text())
    assert plan["schema"] == "ccinfra.plan/1" and plan["site"] == "lisbon"


def test_size_yaml_format(example_site):
    result = run("size", str(example_site), "--format", "yaml")
    assert result.exit_code == 0 and result.output.startswith("schema: ccinfra.plan/1")


@pytest.mark.parametrize("args, code, needle", [
    (["staff", "--calls", "0", "--aht-s", "180"], 2, "--calls"),
    (["staff", "--calls", "-3", "--aht-s", "180"], 2, "--calls"),
    (["staff", "--calls", "10", "--aht-s", "180", "--service-level", "1.5"], 2, "--service-level"),
    (["staff", "--calls", "10", "--aht-s", "180", "--service-level", "0"], 2, "--service-level"),
    (["staff", "--calls", "10", "--aht-s", "180", "--shrinkage", "1"], 2, "--shrinkage"),
    (["bandwidth", "--codec", "g999", "--calls", "3"], 2, "--codec"),
    (["bandwidth", "--codec", "g711", "--calls", "0"], 2, "--calls"),
    (["trunks", "--erlangs", "5", "--blocking", "1"], 2, "--blocking"),
    (["size", "missing.yaml"], 1, "no such file"),
])
def test_bad_input_one_line_no_traceback(args, code, needle):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code
    assert needle in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("text, needle", [
    ("- 1\n- 2\n", "must be a YAML mapping"),
    ("name: lis\ndemand: {agents: 5}\nnetwork: {codec: g999}\n", "network.codec"),
    ("name: lis\ndemand: {agents: 5, agnets: 3}\n", "demand.agnets: unknown key"),
])
def test_size_bad_yaml_is_one_line(tmp_path, text, needle):
    site = tmp_path / "s.yaml"
    site.write_text(text)
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(cli, ["size", str(site), "-o", str(out)])
    assert result.exit_code == 1
    assert needle in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()
