"""The example site end to end: render ▶ lab twins (as ``ccinfra lab up --from``) ▶ push ▶ push again ▶ audit.

The build is the real renderer's output for ``examples/site.yaml`` (four access switches, the CUBE
and the E1 PRI gateway). Twins start from a factory-fresh IOS-XE config carrying the lines a real
device writes by itself (ccinfra.lab.factory: version, boot markers, ``stopbits 1``...), so the first
push sends every line of the build and none of the device's own lines is fought; IOS takes them, shows them back in ``show running-config`` and the push converges. A second
push must find nothing to send: every line of the build is one IOS displays the way it is written
(no defaults, nested voice sub-modes, settings keyed like IOS's). Both pushers are tried: the
library push (hier-config, netmiko) and ``playbooks/push_network.yml`` (cisco.ios ``ios_config``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from importlib.resources import files
from pathlib import Path

import pytest

from ccinfra.audit.drift import audit_drift
from ccinfra.lab import LabFleet
from ccinfra.lab.run import build_specs
from ccinfra.push.compare import converged
from ccinfra.push.connection import Credentials, HostKeyPolicy
from ccinfra.push.runner import Session, run_push
from ccinfra.push.targets import load_targets
from ccinfra.render import load_source, render_build

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
PLAYBOOKS = Path(str(files("ccinfra.playbooks")))
ANSIBLE_PLAYBOOK = Path(sys.executable).with_name("ansible-playbook")
USERNAME = "lab-ops"
PASSWORD = "Pw-3f81aa-never-in-output"  # distinctive, so every output can be searched for it
SECRET = "En-c04e17-never-in-output"
SWITCHES = ["lisbon-as01", "lisbon-as02", "lisbon-as03", "lisbon-as04"]
GATEWAYS = ["lisbon-gw01", "lisbon-gw02"]  # the CUBE (SIP trunk) and the E1 PRI fallback


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rendered") / "build"
    render_build(load_source(str(files("ccinfra.examples") / "site.yaml")), folder)
    return folder


@pytest.fixture
def twins(build: Path, tmp_path: Path) -> Iterator:
    """``twins(names=None, known_hosts=None)``: a started fleet of the build's switches and gateways."""
    fleets: list[LabFleet] = []

    def start(names: Sequence[str] | None = None, known_hosts: Path | None = None) -> tuple[LabFleet, Path]:
        specs = [s for s in build_specs(build) if names is None or s.name in names]
        fleet = LabFleet(specs, username=USERNAME, password=PASSWORD, secret=SECRET).start()
        fleets.append(fleet)
        return fleet, fleet.write_inventory(tmp_path / "inventory.yml", build_dir=build, known_hosts_path=known_hosts)

    yield start
    for fleet in fleets:
        fleet.stop()


def session(inventory: Path) -> Session:
    return Session(Credentials(USERNAME, PASSWORD, SECRET), HostKeyPolicy(inventory.parent / "known_hosts"))


def test_library_push_converges_then_sends_nothing_and_the_audit_is_clean(build, twins, tmp_path):
    fleet, inventory = twins()
    targets = load_targets(build, inventory)
    assert sorted(t.device for t in targets) == SWITCHES + GATEWAYS  # phones are not pushed

    first = run_push(targets, session(inventory), commit=True, backup_dir=tmp_path / "backups")

    assert [(r.device, r.status, r.error) for r in first] == [(t.device, "changed", "") for t in targets]
    for target in targets:
        device = fleet[target.device]
        # "changed" means verified and saved: running equals the build, and startup equals running.
        assert converged(device.running_config, target.intended_config()), target.device
        assert device.startup_config == device.running_config
    # The voice sections are shaped as IOS-XE shows them (CUBE configuration guide, IOS-XE 17).
    cube = fleet["lisbon-gw01"].running_config
    assert "\nhostname lisbon-gw01\n" in cube
    assert "\nvoice service voip\n ip address trusted list\n  ipv4 192.0.2.10\n  ipv4 10.20.1.40\n" in cube
    assert "\nvoice class uri 100 sip\n host ipv4:192.0.2.10\n" in cube
    assert "\n codec preference 1 g711alaw\n codec preference 2 g711ulaw\n" in cube
    assert "\nsip-ua\n no remote-party-id\n retry invite 2\n" in cube and cube.count("\n no vad\n") == 4
    pri = fleet["lisbon-gw02"].running_config
    assert "\ndial-peer cor custom\n name PSTN\n name CALL-CONTROL\n" in pri
    assert ("\ncontroller E1 0/1/0\n description PSTN span 1\n clock source line primary\n"
            " pri-group timeslots 1-31\n") in pri
    switch = fleet["lisbon-as01"].running_config
    assert "\nno ip dhcp snooping information option\n" in switch
    # the twins start factory-fresh (ccinfra.lab.factory): vty lines exist with their first lines
    for vty in ("line vty 0 4", "line vty 5 15"):
        block = switch.split(f"\n{vty}\n", 1)[1].split("\n!", 1)[0].split("\nline ", 1)[0].splitlines()
        assert sorted(block) == [" access-class CC-MGMT in", " exec-timeout 5 0", " login local", " transport input ssh"]
    # the lines the device wrote by itself are still there: the push did not fight them
    console = switch.split("\nline con 0\n", 1)[1].split("\n!", 1)[0].split("\nline ", 1)[0].splitlines()
    assert sorted(console) == [" exec-timeout 5 0", " login local", " stopbits 1"]
    assert "\nversion 17.15\n" in switch and "\nswitch 1 provision c9200l-48p-4x\n" in switch
    assert "\nline con 0\n" in cube and "\n stopbits 1\n" in cube and "\nversion 16.9\n" in cube
    assert "\nip access-list standard CC-MGMT\n 10 permit 10.20.99.0 0.0.0.255\n" in switch
    assert "\npolicy-map CC-UPLINK-OUT\n class CC-VOICE\n  priority level 1\n  police rate percent 1\n" in switch

    received = {d.name: d.config_lines_received for d in fleet}
    again = run_push(targets, session(inventory), commit=True, backup_dir=tmp_path / "backups")

    assert [(r.device, r.status, r.lines_sent) for r in again] == [(t.device, "unchanged", 0) for t in targets]
    assert {d.name: d.config_lines_received for d in fleet} == received
    assert [(d.device, d.status) for d in audit_drift(targets, session(inventory))] == [
        (t.device, "clean") for t in targets]


def recap(stdout: str) -> dict[str, dict[str, int]]:
    """``PLAY RECAP`` as {host: {"ok": n, "changed": n, "failed": n, ...}}."""
    text = stdout.split("PLAY RECAP", 1)[1]
    rows = re.findall(r"^(\S+)\s+:\s+(.*)$", text, re.M)
    return {host: {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", counts)} for host, counts in rows}


def test_ansible_push_network_changes_then_reports_changed_0(build, twins, tmp_path):
    # One switch and the PRI gateway: ios_config sends ~500 lines to a switch one by one, and the
    # other switches are rendered from the same template.
    names = ["lisbon-as01", "lisbon-gw02"]
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    # Host keys stay verified: network_cli (paramiko) reads ~/.ssh/known_hosts of this HOME.
    fleet, inventory = twins(names, known_hosts=home / ".ssh" / "known_hosts")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CCINFRA_"))}
    env.update(HOME=str(home), ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), CCINFRA_USERNAME=USERNAME,
               CCINFRA_PASSWORD=PASSWORD, CCINFRA_SECRET=SECRET)

    def play() -> subprocess.CompletedProcess[str]:
        argv = [str(ANSIBLE_PLAYBOOK), "-i", str(inventory), str(PLAYBOOKS / "push_network.yml")]
        done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=280)
        assert PASSWORD not in done.stdout + done.stderr and SECRET not in done.stdout + done.stderr
        return done

    first = play()
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-2000:]
    assert all(recap(first.stdout)[n]["changed"] >= 1 and recap(first.stdout)[n]["failed"] == 0 for n in names)
    targets = load_targets(build, inventory, names)
    for target in targets:
        device = fleet[target.device]
        assert converged(device.running_config, target.intended_config()), target.device
        assert device.startup_config == device.running_config  # save_when: modified

    received = {d.name: d.config_lines_received for d in fleet}
    second = play()

    assert second.returncode == 0, second.stdout[-4000:]
    assert {h: r["changed"] for h, r in recap(second.stdout).items()} == {n: 0 for n in names}
    assert {d.name: d.config_lines_received for d in fleet} == received
    # The library push agrees there is nothing left to do.
    session_ = Session(Credentials(USERNAME, PASSWORD, SECRET), HostKeyPolicy(home / ".ssh" / "known_hosts"))
    dry = run_push(targets, session_, commit=False, backup_dir=tmp_path / "backups")
    assert {r.status for r in dry} == {"unchanged"}
