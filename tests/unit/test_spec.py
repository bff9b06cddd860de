"""The site spec: defaults, and every kind of bad input named with its field."""

from pathlib import Path

import pytest

from ccinfra.errors import SpecError
from ccinfra.spec import load_spec, parse_spec

MINIMAL = {"name": "lis", "demand": {"agents": 10}}


def test_minimal_spec_takes_the_seed_defaults():
    spec = parse_spec(MINIMAL)
    assert spec.floor.area_per_agent_m2 == 2.3  # seed rule
    assert (spec.floor.desk.width_cm, spec.floor.desk.depth_cm) == (90, 60)  # seed rule
    assert spec.electrical.max_earth_ohm == 1.0  # seed rule
    assert spec.network.ports_per_seat == 1  # phone passes the PC through


def test_example_site_loads_with_its_phone_csv(example_site: Path):
    spec = load_spec(example_site)
    assert spec.name == "lisbon"
    assert len(spec.phones.devices) == 130
    assert spec.phones.devices[0].mac == "001b54c00001"


def _with(path: str, value):
    data = {"name": "lis", "demand": {"forecast": {"calls_per_interval": 100, "aht_s": 180}}}
    node = data
    keys = path.split(".")
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value
    return data


@pytest.mark.parametrize(
    "data, needle",
    [
        (_with("demand.forecast.aht_s", 0), "demand.forecast.aht_s"),
        (_with("demand.forecast.calls_per_interval", -5), "demand.forecast.calls_per_interval"),
        (_with("demand.forecast.service_level", 1.2), "demand.forecast.service_level"),
        (_with("demand.forecast.service_level", 0), "demand.forecast.service_level"),
        (_with("demand.forecast.shrinkage", 1.0), "demand.forecast.shrinkage"),
        (_with("demand.forecast.max_occupancy", 0), "demand.forecast.max_occupancy"),
        (_with("network.codec", "g999"), "network.codec"),
        (_with("network.vlans.voice", 10), "network.vlans"),
        (_with("demand.forcast", {}), "demand.forcast: unknown key; allowed here: agents, forecast"),
        (_with("floor.room", {"width_m": 10}), "floor.room.depth_m: required"),
        (_with("phones.devices", [{"mac": "zz:zz"}]), "phones.devices[0].mac"),
        (_with("phones.devices", [{"mac": "00:11:22:33:44:55", "name": "x\nhostname evil"}]), "phones.devices[0].name"),
        (_with("network.domain", "a.b\nend"), "network.domain"),
        (_with("name", "Bad Name"), "name"),
        ({"name": "lis", "demand": {"agents": 5, "forecast": {"calls_per_interval": 1, "aht_s": 1}}}, "exactly one"),
        ({"name": "lis"}, "demand: required"),
        ({"name": "lis", "demand": {"agents": 0}}, "demand.agents"),
    ],
)
def test_bad_input_names_the_field(data, needle):
    with pytest.raises(SpecError) as err:
        parse_spec(data, "site.yaml")
    message = str(err.value)
    assert needle in message
    assert "\n" not in message


@pytest.mark.parametrize("text, needle", [
    ("- a\n- b\n", "must be a YAML mapping"),
    ("name: [unclosed\n", "not valid YAML at line"),
    ("42\n", "must be a YAML mapping"),
])
def test_bad_yaml_files(tmp_path, text, needle):
    path = tmp_path / "site.yaml"
    path.write_text(text)
    with pytest.raises(SpecError, match=needle):
        load_spec(path)


def test_missing_file_says_so(tmp_path):
    with pytest.raises(SpecError, match="no such file"):
        load_spec(tmp_path / "nope.yaml")


def test_bad_csv_line_is_named(tmp_path):
    (tmp_path / "p.csv").write_text("mac\n00:11:22:33:44:55\nnot-a-mac\n")
    (tmp_path / "s.yaml").write_text("name: lis\ndemand: {agents: 2}\nphones: {macs_file: p.csv}\n")
    with pytest.raises(SpecError, match=r"p.csv line 3: mac"):
        load_spec(tmp_path / "s.yaml")
