"""The lab's Ansible inventory writer and build-manifest reader.

The expected YAML is the shape agreed for ``ccinfra lab``, ``ccinfra inventory`` and
``ccinfra push``, written out here in full.
"""

from __future__ import annotations

import json

import pytest
import yaml

from ccinfra.errors import LabError
from ccinfra.lab import DeviceSpec, LabFleet
from ccinfra.lab.inventory import InventoryHost, inventory_yaml, read_manifest
from ccinfra.lab.run import build_specs, credentials_from_env, numbered_specs

EXPECTED = """\
all:
  vars:
    ccinfra_known_hosts: /abs/path/known_hosts
  children:
    network:
      vars:
        ansible_connection: ansible.netcommon.network_cli
        ansible_network_os: cisco.ios.ios
        ansible_user: "{{ lookup('ansible.builtin.env', 'CCINFRA_USERNAME') }}"
        ansible_password: "{{ lookup('ansible.builtin.env', 'CCINFRA_PASSWORD') }}"
        ansible_become: true
        ansible_become_method: enable
        ansible_become_password: "{{ lookup('ansible.builtin.env', 'CCINFRA_SECRET') }}"
      children:
        switches:
          hosts:
            cc-as01: {ansible_host: 127.0.0.1, ansible_port: 40001, ccinfra_platform: cisco_ios, ccinfra_config: /abs/build/switches/cc-as01.cfg}
        gateways:
          hosts: {}
    provisioning:
      hosts: {}
"""


def test_inventory_text_is_the_agreed_shape():
    rows = [("cc-as01", "switches", "127.0.0.1", 40001, "/abs/build/switches/cc-as01.cfg")]
    assert inventory_yaml(rows, "/abs/path/known_hosts") == EXPECTED


def test_inventory_quotes_what_yaml_would_misread_and_round_trips():
    rows = [
        InventoryHost("cc-gw01", "gateways", "127.0.0.1", 40002, "/builds/site a/gw: 1.cfg"),
        InventoryHost("yes", "switches", "127.0.0.1", 40003, None),
    ]
    doc = yaml.safe_load(inventory_yaml(rows))
    groups = doc["all"]["children"]["network"]["children"]
    assert groups["gateways"]["hosts"]["cc-gw01"] == {
        "ansible_host": "127.0.0.1", "ansible_port": 40002, "ccinfra_platform": "cisco_ios",
        "ccinfra_config": "/builds/site a/gw: 1.cfg",
    }
    assert "yes" in groups["switches"]["hosts"]  # a string key, not the boolean True
    assert "vars" not in doc["all"]
    network_vars = doc["all"]["children"]["network"]["vars"]
    assert network_vars["ansible_become"] is True
    assert network_vars["ansible_password"] == "{{ lookup('ansible.builtin.env', 'CCINFRA_PASSWORD') }}"


@pytest.mark.parametrize(
    "row",
    [
        ("bad name", "switches", "127.0.0.1", 22, None),
        ("sw1", "switches", "127.0.0.1\nx", 22, None),
        ("sw1", "switches", "127.0.0.1", 0, None),
    ],
)
def test_inventory_refuses_unsafe_rows(row):
    with pytest.raises(LabError):
        inventory_yaml([row])


def write_manifest(folder, devices):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps({"devices": devices, "site": "x"}))


def test_build_specs_take_switches_and_gateways_only(tmp_path):
    write_manifest(tmp_path, [
        {"device": "cc-as01", "role": "switch", "platform": "cisco_ios", "path": "switches/cc-as01.cfg", "sha256": ""},
        {"device": "cc-gw01", "role": "gateway", "platform": "cisco_ios", "path": "gateways/cc-gw01.cfg", "sha256": ""},
        {"device": "SEPAABBCCDDEEFF", "role": "phone", "platform": "cisco_phone", "path": "phones/x.xml", "sha256": ""},
    ])
    specs = build_specs(tmp_path)
    assert [(s.name, s.role) for s in specs] == [("cc-as01", "switch"), ("cc-gw01", "gateway")]
    assert specs[0].initial_config.startswith("hostname cc-as01\n")
    assert read_manifest(tmp_path)[1].absolute_path == tmp_path / "gateways" / "cc-gw01.cfg"


def test_manifest_errors_name_the_file(tmp_path):
    with pytest.raises(LabError, match="no manifest.json"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text('{"devices": [{"device": "x"}]}')
    with pytest.raises(LabError, match="not a ccinfra build manifest"):
        read_manifest(tmp_path)
    write_manifest(tmp_path, [])
    with pytest.raises(LabError, match="no switch or gateway"):
        build_specs(tmp_path)


def test_fleet_inventory_uses_the_manifest_and_writes_known_hosts(tmp_path):
    build = tmp_path / "build"
    write_manifest(build, [
        {"device": "cc-gw01", "role": "gateway", "platform": "cisco_ios", "path": "gateways/cc-gw01.cfg", "sha256": ""},
    ])
    with LabFleet([DeviceSpec("cc-gw01", role="gateway"), DeviceSpec("lab01")]) as fleet:
        path = fleet.write_inventory(tmp_path / "out" / "inventory.yml", build_dir=build)
        doc = yaml.safe_load(path.read_text())
        known_hosts = tmp_path / "out" / "known_hosts"
        assert doc["all"]["vars"]["ccinfra_known_hosts"] == str(known_hosts)
        assert known_hosts.read_text() == f"{fleet['cc-gw01'].known_hosts_line}\n{fleet['lab01'].known_hosts_line}\n"
        groups = doc["all"]["children"]["network"]["children"]
        assert groups["gateways"]["hosts"]["cc-gw01"]["ccinfra_config"] == str(build / "gateways" / "cc-gw01.cfg")
        assert groups["switches"]["hosts"]["lab01"] == {
            "ansible_host": "127.0.0.1", "ansible_port": fleet["lab01"].port, "ccinfra_platform": "cisco_ios",
        }


def test_credentials_default_to_lab_and_never_print():
    creds = credentials_from_env({"CCINFRA_PASSWORD": "p4ss"})
    assert (creds.username, creds.password, creds.secret) == ("lab", "p4ss", "lab")
    assert creds.defaulted == ("CCINFRA_USERNAME", "CCINFRA_SECRET")
    assert "p4ss" not in repr(creds)


def test_numbered_specs_and_bad_names():
    assert [s.name for s in numbered_specs(3, "edge")] == ["edge01", "edge02", "edge03"]
    assert numbered_specs(100)[-1].name == "lab100"
    with pytest.raises(LabError, match="not a valid IOS hostname"):
        numbered_specs(1, "9")
