"""Issue 11 against lab twins over loopback SSH: managed scope, protected set, no secret printed,
the right device.

The twins carry what every real switch carries and no build renders (``push_fixtures.OUT_OF_BAND``:
a local account, the enable secret, AAA with a TACACS+ server, an SNMP community, a static route).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ccinfra.audit.drift import audit_drift
from ccinfra.cli.main import cli
from ccinfra.lab import Faults

from .push_fixtures import (  # noqa: F401 (fixture)
    OOB_COMMUNITY, OOB_ENABLE_HASH, OOB_HASH, OOB_SECRETS, OOB_TACACS_KEY, OUT_OF_BAND, PASSWORD, SECRET,
    initial_config, intended_config, line_paths, push_lab,
)

pytestmark = pytest.mark.integration

# Each line of OUT_OF_BAND as the path from its top-level parent (what must survive).
PROTECTED_PATHS = line_paths(OUT_OF_BAND) - {("ip route 10.99.0.0 255.255.0.0 192.0.2.254",)}
ROUTE = ("ip route 10.99.0.0 255.255.0.0 192.0.2.254",)  # unmanaged: kept by push, re-push and --replace
# A managed line that carries a secret: the build renders NTP authentication (value written here
# by hand), so its key shows up in the dry-run diff and must be redacted there.
NTP_KEY = "1A2B3C4D5E6F-ntp"


def with_ntp_key(name: str) -> str:
    return intended_config(name).replace("!\nline con 0", f"ntp authentication-key 1 md5 {NTP_KEY} 7\n!\nline con 0")


def run_push(lab, *args: str):
    return CliRunner().invoke(cli, ["push", str(lab.build), "--inventory", str(lab.inventory),
                                    "--backup-dir", str(lab.backups), *args], env=lab.env(), catch_exceptions=False)


def run_drift(lab, *args: str):
    return CliRunner().invoke(cli, ["audit", "drift", str(lab.build), "--inventory", str(lab.inventory), *args],
                              env=lab.env(), catch_exceptions=False)


def test_out_of_band_lines_survive_push_and_repush(push_lab):
    lab = push_lab(extra=OUT_OF_BAND)
    device = lab.fleet["cc-as01"]
    [result] = lab.push(commit=True)
    assert result.status == "changed", result.error
    for config in (device.running_config, device.startup_config):
        assert PROTECTED_PATHS | {ROUTE, ("ip domain-name old.example",)} <= line_paths(config)
    # and what the build manages did change
    assert ("vlan 20", "name VOICE") in line_paths(device.running_config)
    assert ("interface GigabitEthernet1/0/1", "description stale") not in line_paths(device.running_config)

    received = device.config_lines_received
    [again] = lab.push(commit=True)
    assert (again.status, again.lines_sent, again.diff) == ("unchanged", 0, "")
    assert device.config_lines_received == received

    [drift] = audit_drift(lab.targets(), lab.session())
    assert (drift.status, drift.missing, drift.extra) == ("clean", [], [])
    assert "username netops privilege 15 secret 9 <redacted>" in drift.unmanaged
    assert "  key 7 <redacted>" in drift.unmanaged and "ip route 10.99.0.0 255.255.0.0 192.0.2.254" in drift.unmanaged


def test_replace_removes_what_the_build_does_not_render_but_never_the_protected_set(push_lab):
    lab = push_lab(extra=OUT_OF_BAND)
    device = lab.fleet["cc-as01"]
    [dry] = lab.push(commit=False, replace=True)
    assert dry.status == "dry-run" and dry.notes == [
        ("replace: lines the build does not render are removed, except the protected set and static "
         "routes to prefixes it does not route")]
    # hand-written: the one unmanaged line that is neither protected nor a static route is what it removes
    assert "no ip domain-name old.example" in dry.diff and "ip route" not in dry.diff
    for word in ("username", "enable", "aaa", "tacacs", "snmp-server"):
        assert word not in dry.diff

    [result] = lab.push(commit=True, replace=True)
    assert result.status == "changed", result.error
    for config in (device.running_config, device.startup_config):
        paths = line_paths(config)
        assert PROTECTED_PATHS <= paths
        assert ROUTE in paths and ("ip domain-name old.example",) not in paths
    [again] = lab.push(commit=True, replace=True)
    assert (again.status, again.lines_sent) == ("unchanged", 0)


def test_a_build_that_renders_a_protected_line_never_alters_it(push_lab):
    # Even when a build says so, the enable secret and the SNMP community are left as they are.
    def intended(name: str) -> str:
        return intended_config(name).replace("!\nline con 0", "enable secret 9 $9$other$hash\nsnmp-server community "
                                             "public RO\nno aaa new-model\n!\nline con 0")

    lab = push_lab(extra=OUT_OF_BAND, intended=intended)
    device = lab.fleet["cc-as01"]
    [result] = lab.push(commit=True, replace=True)
    assert result.status == "changed", result.error
    assert PROTECTED_PATHS <= line_paths(device.running_config)
    assert "public" not in device.running_config and "$9$other$hash" not in device.running_config


def test_a_failed_push_rolls_back_within_scope_and_keeps_out_of_band_lines(push_lab):
    lab = push_lab(extra=OUT_OF_BAND, faults=Faults(reject_pattern=r"^name VOICE"))
    device = lab.fleet["cc-as01"]
    before = line_paths(device.running_config)
    [result] = lab.push(commit=True, replace=True)
    assert result.status == "rolled-back", result.error
    assert line_paths(device.running_config) == before


def test_no_secret_in_any_output(push_lab, tmp_path):
    lab = push_lab(n=2, extra=OUT_OF_BAND, intended=with_ntp_key)
    # cc-as02 rejects the line with the NTP key: its error quotes the line
    lab.fleet["cc-as02"].set_faults(Faults(reject_pattern=r"^ntp authentication-key"))
    out, drift_json = tmp_path / "result.json", tmp_path / "drift.json"
    runs = [run_push(lab, "--result-json", str(out)), run_drift(lab), run_drift(lab, "--format", "json")]
    dry_json = out.read_text()
    runs += [run_push(lab, "--commit", "--result-json", str(out)), run_push(lab, "--replace", "--result-json", str(out)),
             run_drift(lab, "--format", "json", "-o", str(drift_json)), run_drift(lab)]
    assert "ntp authentication-key 1 md5 <redacted> 7" in runs[0].stdout  # the dry-run diff
    assert "line 'ntp authentication-key 1 md5 <redacted> 7' rejected" in runs[3].stdout
    assert "~ username netops privilege 15 secret 9 <redacted>" in runs[1].stdout
    assert "~ snmp-server community <redacted> RO" in runs[1].stdout
    assert "enable secret 9 <redacted>" in json.loads(runs[2].stdout)["devices"][0]["unmanaged"]
    texts = [r.stdout + r.stderr for r in runs] + [dry_json, out.read_text(), drift_json.read_text()]
    for text in texts:
        for secret in (*OOB_SECRETS, NTP_KEY, PASSWORD, SECRET):
            assert secret not in text

    # The backups keep the real text, readable by their owner only.
    backups = sorted(lab.backups.iterdir())
    assert backups
    for backup in backups:
        assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
        text = backup.read_text()
        assert OOB_HASH in text and OOB_ENABLE_HASH in text and OOB_COMMUNITY in text and OOB_TACACS_KEY in text


def swap_ports(inventory: Path, first: str, second: str) -> None:
    data = yaml.safe_load(inventory.read_text())
    hosts = {}

    def walk(group: dict) -> None:
        hosts.update((group.get("hosts") or {}).items())
        for child in (group.get("children") or {}).values():
            walk(child)

    walk(data["all"])
    hosts[first]["ansible_port"], hosts[second]["ansible_port"] = hosts[second]["ansible_port"], hosts[first]["ansible_port"]
    inventory.write_text(yaml.safe_dump(data))


@pytest.mark.parametrize("commit", [False, True], ids=["dry-run", "commit"])
def test_swapped_inventory_fails_identity_and_changes_nothing(push_lab, tmp_path, commit):
    lab = push_lab(n=2)
    swap_ports(lab.inventory, "cc-as01", "cc-as02")
    before = {d.name: (d.running_config, d.startup_config) for d in lab.fleet}
    out = tmp_path / "result.json"
    cli_run = run_push(lab, *(["--commit"] if commit else []), "--result-json", str(out))
    assert cli_run.exit_code == 1
    devices = json.loads(out.read_text())["devices"]
    assert [(d["device"], d["status"], d["lines_sent"], d["backup_path"]) for d in devices] == [
        ("cc-as01", "failed", 0, ""), ("cc-as02", "failed", 0, "")]
    assert devices[0]["error"] == (
        "cc-as01: identity mismatch: the device answering is 'cc-as02' (prompt 'cc-as02', running config "
        "'cc-as02'), not 'cc-as01'; nothing was changed: check ansible_host/ansible_port of cc-as01 in the inventory")
    assert "identity mismatch" in devices[1]["error"]
    assert "remediation" not in cli_run.stdout  # no diff of the wrong device either
    for device in lab.fleet:
        assert (device.running_config, device.startup_config) == before[device.name]
        assert device.config_lines_received == 0
    assert not lab.backups.exists() or not any(lab.backups.iterdir())


def test_drift_of_a_swapped_inventory_is_an_identity_error_not_drift(push_lab):
    lab = push_lab(n=2, initial=intended_config)
    swap_ports(lab.inventory, "cc-as01", "cc-as02")
    results = audit_drift(lab.targets(), lab.session())
    assert [(r.status, r.missing, r.extra) for r in results] == [("error", [], [])] * 2
    assert results[0].error.startswith("cc-as01: identity mismatch: the device answering is 'cc-as02'")


def factory_fresh(name: str) -> str:
    return initial_config(name).replace(f"hostname {name}", "hostname Switch")


def test_factory_default_hostname_needs_adopt(push_lab, tmp_path):
    lab = push_lab(initial=factory_fresh, extra=OUT_OF_BAND)
    device = lab.fleet["cc-as01"]
    out = tmp_path / "result.json"
    refused = run_push(lab, "--commit", "--result-json", str(out))
    assert refused.exit_code == 1
    [doc] = json.loads(out.read_text())["devices"]
    assert doc["status"] == "failed" and doc["error"] == (
        "cc-as01: identity mismatch: the device answering has the factory-default hostname 'Switch'; nothing was "
        "changed: pass --adopt to give it cc-as01's config")
    assert device.config_lines_received == 0

    adopted = run_push(lab, "--commit", "--adopt", "--result-json", str(out))
    assert adopted.exit_code == 0, adopted.output
    [doc] = json.loads(out.read_text())["devices"]
    note = "adopted: factory-default hostname 'Switch' accepted (--adopt); the push names it cc-as01"
    assert (doc["status"], doc["notes"]) == ("changed", [note])
    assert f"note: cc-as01: {note}" in adopted.stdout
    assert "\nhostname cc-as01\n" in device.startup_config and PROTECTED_PATHS <= line_paths(device.startup_config)


def test_replace_on_the_command_line_is_loud(push_lab, tmp_path):
    lab = push_lab(extra=OUT_OF_BAND)
    out = tmp_path / "result.json"
    result = run_push(lab, "--replace", "--result-json", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("WARNING: --replace: every line the build does not render is REMOVED")
    [doc] = json.loads(out.read_text())["devices"]
    assert doc["notes"] == [("replace: lines the build does not render are removed, except the protected set "
                             "and static routes to prefixes it does not route")]
    assert "no ip domain-name old.example" in result.stdout and "no ip route" not in result.stdout
