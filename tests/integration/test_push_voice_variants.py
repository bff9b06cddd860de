"""Every line the voice variants render is taken by the twins, and the push converges on them.

The example site with Yealink phones (LLDP-MED network-policy profile on the switches), SRTP
(``voice class srtp-crypto`` and ``srtp`` on the call-control dial-peers) and 30 ms packets
(``codec preference N g711alaw bytes 240``) is rendered and pushed twice to factory-fresh IOS-XE twins
(ccinfra.lab.factory) over loopback SSH: the first push changes each device, the second sends
nothing, and the drift audit is clean.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from ccinfra.audit.drift import audit_drift
from ccinfra.lab import LabFleet
from ccinfra.lab.run import build_specs
from ccinfra.push.connection import Credentials, HostKeyPolicy
from ccinfra.push.runner import Session, run_push
from ccinfra.push.targets import load_targets
from ccinfra.render import render_build
from ccinfra.sizing.site import size
from ccinfra.spec import load_spec

pytestmark = pytest.mark.integration

USERNAME, PASSWORD, SECRET = "lab-ops", "Pw-77c1e0-never-in-output", "En-5a2b90-never-in-output"
DEVICES = ["lisbon-as01", "lisbon-gw01", "lisbon-gw02"]


def test_yealink_srtp_and_ptime_30_push_then_converge(tmp_path: Path):
    spec = load_spec(Path(str(files("ccinfra.examples") / "site.yaml")))
    spec.phones = spec.phones.model_copy(update={"vendor": "yealink", "model": "T54W"})
    spec.network = spec.network.model_copy(update={"srtp": True, "ptime_ms": 30})
    build = tmp_path / "build"
    render_build(size(spec), build)
    specs = [s for s in build_specs(build) if s.name in DEVICES]
    fleet = LabFleet(specs, username=USERNAME, password=PASSWORD, secret=SECRET).start()
    try:
        inventory = fleet.write_inventory(tmp_path / "inventory.yml", build_dir=build)
        session = Session(Credentials(USERNAME, PASSWORD, SECRET), HostKeyPolicy(inventory.parent / "known_hosts"))
        targets = load_targets(build, inventory, DEVICES)
        first = run_push(targets, session, commit=True, backup_dir=tmp_path / "backups")
        assert [(r.device, r.status, r.error) for r in first] == [(t.device, "changed", "") for t in targets]
        switch, cube = fleet["lisbon-as01"].running_config, fleet["lisbon-gw01"].running_config
        assert "\nnetwork-policy profile 10\n voice vlan 20 dscp 46\n voice-signaling vlan 20 dscp 24\n" in switch
        assert "\nvoice class srtp-crypto 1\n crypto 1 AES_CM_128_HMAC_SHA1_80\n crypto 2 AES_CM_128_HMAC_SHA1_32\n" in cube
        assert "\n codec preference 1 g711alaw bytes 240\n" in cube and cube.count("\n srtp\n") == 2
        again = run_push(targets, session, commit=True, backup_dir=tmp_path / "backups")
        assert [(r.device, r.status, r.lines_sent) for r in again] == [(t.device, "unchanged", 0) for t in targets]
        assert [(d.device, d.status) for d in audit_drift(targets, session)] == [(t.device, "clean") for t in targets]
    finally:
        fleet.stop()
