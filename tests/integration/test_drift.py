"""``ccinfra audit drift`` against lab twins: a drifted device is listed line by line, a clean one is not."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ccinfra.audit.drift import audit_drift
from ccinfra.cli.main import cli

from .push_fixtures import initial_config, intended_config, push_lab  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

# cc-as02 still runs initial_config: everything the build adds is missing, the stale port lines are
# extra; "ip domain-name" is not rendered by the build, so that line is unmanaged, not drift.
MISSING = [
    "vlan 10", "  name DATA", "vlan 20", "  name VOICE",
    "interface GigabitEthernet1/0/1", "  description agent seat 1", "  switchport mode access",
    "  switchport access vlan 10", "  switchport voice vlan 20",
    "banner motd ^C\nAuthorised use only\n^C",
]
EXTRA = ["interface GigabitEthernet1/0/1", "  description stale"]
UNMANAGED = ["ip domain-name old.example"]


def one_clean_one_drifted(name: str) -> str:
    return intended_config(name) if name == "cc-as01" else initial_config(name)


def test_drifted_device_is_listed_and_clean_one_is_not(push_lab):
    lab = push_lab(n=2, initial=one_clean_one_drifted)
    clean, drifted = audit_drift(lab.targets(), lab.session())
    assert (clean.device, clean.status, clean.missing, clean.extra) == ("cc-as01", "clean", [], [])
    assert (drifted.device, drifted.status) == ("cc-as02", "drifted")
    assert drifted.missing == MISSING
    assert drifted.extra == EXTRA and drifted.unmanaged == UNMANAGED
    # read-only: not one configuration line reached either device
    assert [d.config_lines_received for d in lab.fleet] == [0, 0]


def test_unreadable_device_is_an_error_not_clean(push_lab):
    from ccinfra.lab import Faults

    lab = push_lab(n=1, initial=intended_config)
    lab.fleet["cc-as01"].set_faults(Faults(auth_fail=True))
    [result] = audit_drift(lab.targets(), lab.session())
    assert result.status == "error" and "login refused" in result.error


def run(lab, *args: str):
    return CliRunner().invoke(cli, ["audit", "drift", str(lab.build), "--inventory", str(lab.inventory), *args],
                              env=lab.env(), catch_exceptions=False)


def test_cli_exit_status_and_json(push_lab, tmp_path):
    lab = push_lab(n=2, initial=one_clean_one_drifted)
    out = tmp_path / "drift.json"
    result = run(lab, "--format", "json", "-o", str(out))
    assert result.exit_code == 1
    document = json.loads(out.read_text())
    assert document["summary"] == {"total": 2, "clean": 1, "drifted": 1, "error": 0}
    assert document["devices"][1]["missing"] == MISSING and document["devices"][1]["extra"] == EXTRA
    assert document["devices"][1]["unmanaged"] == UNMANAGED

    table = run(lab, "--limit", "cc-as02")
    assert table.exit_code == 1
    assert "cc-as02: drifted (10 missing, 2 extra line(s)), 1 unmanaged line(s) left alone" in table.stdout
    assert "  + Authorised use only" in table.stdout and "  -   description stale" in table.stdout
    assert "  ~ ip domain-name old.example" in table.stdout

    clean = run(lab, "--limit", "cc-as01")
    assert clean.exit_code == 0 and clean.stdout.startswith("cc-as01: clean\n")


def test_after_a_push_the_audit_is_clean(push_lab):
    lab = push_lab(n=2)
    assert [r.status for r in lab.push(commit=True)] == ["changed", "changed"]
    assert [r.status for r in audit_drift(lab.targets(), lab.session())] == ["clean", "clean"]
