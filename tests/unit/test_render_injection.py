"""No value can add a command to a rendered file: a line break, a control character or template syntax
is refused with the field named, in the site YAML (SpecError) and again in a hand-edited plan.json (RenderError).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ccinfra.cli.main import cli
from ccinfra.errors import RenderError, SpecError
from ccinfra.plan import Plan
from ccinfra.render import load_source, render_plan
from ccinfra.spec import parse_spec

ATTACKS = ["x\nno vlan 10", "trailing\n", "Ana\r\nusername evil privilege 15", "{{ 7 * 7 }}", "x\x1b]0;", "{% raw %}x"]


def base(**phones):
    return {"name": "lab", "demand": {"agents": 4, "supervisors": {"count": 1}},
            "network": {"extra_devices": [{"name": "printer", "count": 1}]},
            "phones": {"devices": [{"mac": "02:00:5e:00:00:01", "name": "Ana Silva", "extension": 2001}], **phones}}


@pytest.mark.parametrize("value", ATTACKS)
def test_site_yaml_refuses_injection_in_names(value):
    data = base()
    data["network"]["extra_devices"][0]["name"] = value
    with pytest.raises(SpecError, match=r"network.extra_devices\[0\].name: .* is not a safe name"):
        parse_spec(data)


@pytest.mark.parametrize("value", ATTACKS)
def test_site_yaml_refuses_injection_in_display_names(value):
    data = base()
    data["phones"]["devices"][0]["name"] = value
    with pytest.raises(SpecError, match=r"phones.devices\[0\].name: .* is not allowed text"):
        parse_spec(data)


def test_site_yaml_refuses_injection_in_the_domain_and_interface_prefix():
    data = base()
    data["network"]["domain"] = "cc.example.net\nip http server"
    with pytest.raises(SpecError, match=r"network.domain"):
        parse_spec(data)
    data = base()
    data["network"]["switch"] = {"port_prefix": "GigabitEthernet1/0/\nno vlan 10\n"}
    with pytest.raises(SpecError, match=r"network.switch.port_prefix"):
        parse_spec(data)


@pytest.fixture
def plan_data():
    from importlib.resources import files

    return load_source(str(files("ccinfra.examples") / "site.yaml")).to_dict()


def edited(data: dict, path: list, value: object) -> Plan:
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return Plan.model_validate(data)


@pytest.mark.parametrize("path, field", [
    (["network", "switches", 0, "name"], r"network.switches\[0\].name"),
    (["network", "switches", 1, "ports", 3, "seat"], r"network.switches\[1\].ports\[3\].seat"),
    (["network", "switches", 0, "ports", 0, "interface"], r"network.switches\[0\].ports\[0\].interface"),
    (["network", "vlans", 1, "name"], r"network.vlans\[1\].name"),
    (["gateways", 0, "name"], r"gateways\[0\].name"),
    (["phones", 0, "name"], r"phones\[0\].name"),
])
@pytest.mark.parametrize("value", ATTACKS[:3])
def test_hand_edited_plan_is_checked_again(plan_data, path, field, value):
    with pytest.raises(RenderError, match=rf"plan field {field}: .* correct the site YAML and size it again"):
        render_plan(edited(plan_data, path, value))


@pytest.mark.parametrize("path, field", [
    (["spec", "network", "domain"], r"plan field spec: network.domain"),
    (["spec", "telephony", "sip_domain"], r"plan field spec: telephony.sip_domain"),
    (["spec", "phones", "model"], r"plan field spec: phones.model"),
])
def test_hand_edited_spec_inside_the_plan_is_checked_again(plan_data, path, field):
    with pytest.raises(RenderError, match=field):
        render_plan(edited(plan_data, path, "x\nno vlan 10"))


def test_addresses_numbers_and_macs_in_a_plan_are_checked(plan_data):
    with pytest.raises(RenderError, match=r"network.switches\[0\].management_ip: '10.20.99.11\\nip routing'"):
        render_plan(edited(json.loads(json.dumps(plan_data)), ["network", "switches", 0, "management_ip"],
                           "10.20.99.11\nip routing"))
    with pytest.raises(RenderError, match=r"phones\[0\].mac"):
        render_plan(edited(json.loads(json.dumps(plan_data)), ["phones", 0, "mac"], "001b54c00001\n"))


def test_cli_reports_an_injected_plan_in_one_line(plan_data, tmp_path):
    plan_data["phones"][0]["name"] = "Ana\nno vlan 10"
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan_data))
    result = CliRunner().invoke(cli, ["render", str(plan_file), "-o", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: plan field phones[0].name: 'Ana\\nno vlan 10' is not allowed text (one line of letters, digits, "
        "spaces and . , ' ( ) / + -); correct the site YAML and size it again"
    ]
    assert not (tmp_path / "b").exists()


def test_xml_special_characters_are_escaped_not_refused():
    # An apostrophe is allowed text; in XML attribute/element values it must come out escaped.
    data = base(vendor="polycom", model="VVX450")
    data["phones"]["devices"][0]["name"] = "Ana O'Neil"
    from ccinfra.sizing.site import size

    texts = {f.path: f.text for f in render_plan(size(parse_spec(data))).files}
    assert 'reg.1.displayName="Ana O&#39;Neil"' in texts["phones/02005e000001-phone.cfg"]
