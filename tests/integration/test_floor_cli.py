"""End to end with real processes: ``ccinfra render``, ``lab up --phones``, ``discover``, ``render``, ``audit asbuilt``."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .floor_fixtures import EXAMPLE, csv_rows
from .test_lab_cli import stop, wait_ready

pytestmark = pytest.mark.integration

CCINFRA = Path(sys.executable).with_name("ccinfra")
ENV = dict(os.environ, CCINFRA_USERNAME="ops", CCINFRA_PASSWORD="Pw-floor-9e1", CCINFRA_SECRET="En-floor")


def ccinfra(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CCINFRA), *args], capture_output=True, text=True, env=ENV, timeout=300)


def test_lab_floor_discover_render_and_audit(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(EXAMPLE, site / "site.yaml")
    shutil.copy(EXAMPLE.with_name("phones.csv"), site / "example-phones.csv")
    (site / "site.yaml").write_text((site / "site.yaml").read_text().replace("macs_file: phones.csv",
                                                                             "macs_file: example-phones.csv"))
    assert ccinfra("render", str(site / "site.yaml"), "-o", str(tmp_path / "build")).returncode == 0
    lab = subprocess.Popen(
        [str(CCINFRA), "lab", "up", "--from", str(tmp_path / "build"), "--phones", str(site / "example-phones.csv"),
         "--configured", "--silent", "A070", "--lldp-only", "A060", "--move", "A030=lisbon-as02:GigabitEthernet1/0/4",
         "--empty", "A031", "--inventory-out", str(tmp_path / "lab" / "inventory.yml")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        wait_ready(lab)
        inventory = str(tmp_path / "lab" / "inventory.yml")
        found = ccinfra("discover", str(tmp_path / "build"), "-i", inventory, "-o", str(site / "phones.csv"))
        assert found.returncode == 0, found.stderr
        assert "moved" in found.stdout and "A030   empty" in found.stdout
        rows = {r["seat"]: r["mac"] for r in csv_rows((site / "phones.csv").read_text())}
        # seats run S01-S08, A001...: A030 is the 38th seat (MAC ...:26), A070 the 78th (...:4e)
        assert rows["A031"] == "00:1b:54:c0:00:26" and "A030" not in rows and rows["A070"] == "00:1b:54:c0:00:4e"
        # the discovered list feeds render: the phone of seat A030 now has A031's extension and name
        (site / "site.yaml").write_text((site / "site.yaml").read_text().replace("example-phones.csv", "phones.csv"))
        assert ccinfra("render", str(site / "site.yaml"), "-o", str(tmp_path / "build2")).returncode == 0
        xml = (tmp_path / "build2" / "phones" / "SEP001B54C00026.cnf.xml").read_text()
        assert "Seat A031" in xml
        audit = ccinfra("audit", "asbuilt", str(tmp_path / "build"), "-i", inventory, "--format", "json")
        assert audit.returncode == 1
        failed = [p for p in json.loads(audit.stdout)["ports"] if p["status"] == "FAIL"]
        assert [(p["seat"], p["port"]) for p in failed] == [("A030", "GigabitEthernet1/0/3"),
                                                            ("A031", "GigabitEthernet1/0/4")]
        assert ENV["CCINFRA_PASSWORD"] not in found.stdout + found.stderr + audit.stdout + audit.stderr
    finally:
        code, _ = stop(lab, signal.SIGINT)
    assert code == 0
