"""The push over a build written by the real renderer (``ccinfra render examples/site.yaml``)."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccinfra.cli.main import cli
from ccinfra.lab import DeviceSpec, LabFleet
from ccinfra.push.runner import run_push

from .push_fixtures import PASSWORD, SECRET, USERNAME, PushLab

pytestmark = pytest.mark.integration


@pytest.fixture
def rendered_lab(tmp_path: Path):
    site = Path(str(files("ccinfra.examples") / "site.yaml"))
    build = tmp_path / "build"
    rendered = CliRunner().invoke(cli, ["render", str(site), "-o", str(build)], catch_exceptions=False)
    assert rendered.exit_code == 0, rendered.output
    devices = json.loads((build / "manifest.json").read_text())["devices"]
    specs = [DeviceSpec(d["device"], role=d["role"]) for d in devices if d["role"] in ("switch", "gateway")]
    with LabFleet(specs, username=USERNAME, password=PASSWORD, secret=SECRET) as fleet:
        inventory = fleet.write_inventory(tmp_path / "inventory.yaml", build_dir=build)
        yield PushLab(fleet, build, inventory, tmp_path / "known_hosts", tmp_path / "backups"), devices


def test_dry_run_of_a_rendered_build_skips_phones_and_changes_nothing(rendered_lab):
    lab, devices = rendered_lab
    pushed = sorted(d["device"] for d in devices if d["role"] in ("switch", "gateway"))
    assert any(d["role"] == "phone" for d in devices)
    results = run_push(lab.targets(), lab.session(), commit=False, backup_dir=lab.backups)
    assert sorted(r.device for r in results) == pushed
    assert {r.status for r in results} == {"dry-run"}
    assert all(r.diff for r in results) and sum(d.config_lines_received for d in lab.fleet) == 0


def test_cli_dry_run_of_a_rendered_build_says_what_it_skips(rendered_lab):
    lab, devices = rendered_lab
    phones = sum(d["role"] == "phone" for d in devices)
    result = CliRunner().invoke(cli, ["push", str(lab.build), "-i", str(lab.inventory), "--backup-dir", str(lab.backups)],
                                env=lab.env(), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"skipping {phones} device(s) not pushed over SSH" in result.stderr
    pushed = sum(d["role"] in ("switch", "gateway") for d in devices)
    assert f"0 changed, 0 unchanged, {pushed} dry-run, 0 rolled back, 0 skipped, 0 failed" in result.stdout
