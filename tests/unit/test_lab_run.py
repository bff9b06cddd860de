"""``ccinfra lab up`` without sockets to the outside: twins from a build, credentials, the fleet's inventory.

The inventory text itself is ``ccinfra.inventory``'s (tests/unit/test_inventory.py); here the fleet
fills it from the build's manifest and writes the known_hosts file next to it.
"""

from __future__ import annotations

import json

import pytest
import yaml

from ccinfra.errors import LabError
from ccinfra.manifest import ManifestError, read_manifest
from ccinfra.lab import DeviceSpec, LabFleet
from ccinfra.lab.run import build_specs, credentials_from_env, numbered_specs
from ccinfra.lab.fleet import KNOWN_HOSTS_HEADER


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
    # factory-fresh IOS-XE: the device's own lines come first (tests/fixtures/iosxe), then its hostname
    assert specs[0].initial_config.startswith("version 17.15\n") and "\nhostname cc-as01\n" in specs[0].initial_config
    assert "\nline con 0\n stopbits 1\n" in specs[1].initial_config and "\nhostname cc-gw01\n" in specs[1].initial_config
    assert read_manifest(tmp_path)[1][1].absolute_path == tmp_path / "gateways" / "cc-gw01.cfg"


def test_build_errors_say_what_to_do(tmp_path):
    with pytest.raises(ManifestError, match="manifest.json: no such file; run 'ccinfra render"):
        build_specs(tmp_path)
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
        assert known_hosts.read_text() == (KNOWN_HOSTS_HEADER + f"{fleet['cc-gw01'].known_hosts_line}\n"
                                           f"{fleet['lab01'].known_hosts_line}\n")
        groups = doc["all"]["children"]["network"]["children"]
        assert groups["gateways"]["hosts"]["cc-gw01"]["ccinfra_config"] == str(build / "gateways" / "cc-gw01.cfg")
        assert groups["switches"]["hosts"]["lab01"] == {
            "ansible_host": "127.0.0.1", "ansible_port": fleet["lab01"].port, "ccinfra_platform": "cisco_ios",
        }
        # The one inventory writer: credentials only as lookups (environment, else vault).
        assert "lookup('ansible.builtin.env', 'CCINFRA_PASSWORD')" in doc["all"]["children"]["network"]["vars"][
            "ansible_password"]


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
