"""Build/inventory loading, credentials and the push workflow's decisions.

The workflow tests use ``ScriptedPusher``, an implementation of the ``Pusher`` protocol that keeps
a config in memory (napalm's mock-driver idea). It exists for the cases a lab twin cannot produce
on demand — a device that accepts a line but does not keep it (verify mismatch). Everything that
talks SSH is tested against the lab in tests/integration/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from ccinfra.errors import ConnectError, SpecError
from ccinfra.push.connection import Credentials, credentials_from_env
from ccinfra.push.runner import results_document, summary
from ccinfra.push.targets import Target, inventory_known_hosts, load_targets
from ccinfra.push.workflow import PushOptions, Result, backup_name, default_backup_dir, push_device


def write_build(root: Path, devices: list[tuple[str, str, str]]) -> Path:
    entries = []
    for name, role, platform in devices:
        path = root / f"{role}s" / f"{name}.cfg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"hostname {name}\n")
        entries.append({"device": name, "role": role, "platform": platform,
                        "path": f"{role}s/{name}.cfg", "sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
    (root / "manifest.json").write_text(json.dumps({"devices": entries}))
    return root


INVENTORY = """all:
  vars: {ccinfra_known_hosts: /lab/known_hosts}
  children:
    network:
      vars: {ansible_connection: ansible.netcommon.network_cli}
      children:
        switches: {hosts: {sw1: {ansible_host: 127.0.0.1, ansible_port: 40001}, sw2: {ansible_host: 127.0.0.1}}}
        gateways: {hosts: {gw1: {ansible_host: 127.0.0.1, ansible_port: 40003}}}
    provisioning: {hosts: {phone1: {ansible_host: 127.0.0.1}}}
"""


@pytest.fixture
def build(tmp_path: Path) -> tuple[Path, Path]:
    root = write_build(tmp_path / "build", [("sw1", "switch", "cisco_ios"), ("sw2", "switch", "cisco_ios"),
                                            ("gw1", "gateway", "cisco_ios"), ("phone1", "phone", "yealink"),
                                            ("sw9", "switch", "arista_eos")])
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY)
    return root, inventory


def test_only_cisco_ios_switches_and_gateways_are_targets(build):
    root, inventory = build
    targets = load_targets(root, inventory)
    assert [(t.device, t.role, t.port) for t in targets] == [("sw1", "switch", 40001), ("sw2", "switch", 22),
                                                              ("gw1", "gateway", 40003)]
    assert targets[0].config_path == (root / "switchs" / "sw1.cfg").resolve()
    assert [t.device for t in load_targets(root, inventory, "gw1, sw2")] == ["sw2", "gw1"]
    assert inventory_known_hosts(inventory) == Path("/lab/known_hosts")


@pytest.mark.parametrize(("change", "message"), [
    (lambda root, inv: (root / "manifest.json").unlink(), "manifest.json: no such file; run 'ccinfra render"),
    (lambda root, inv: (root / "manifest.json").write_text("{"), "is not JSON"),
    (lambda root, inv: (root / "switchs" / "sw1.cfg").write_text("hostname hacked\n"), "changed after rendering"),
    (lambda root, inv: (root / "switchs" / "sw2.cfg").unlink(), "(device sw2) is missing"),
    (lambda root, inv: inv.write_text(INVENTORY.replace(", sw2: {ansible_host: 127.0.0.1}", "")),
     "device sw2 is in"),
    (lambda root, inv: inv.write_text(INVENTORY.replace("ansible_port: 40001", "ansible_port: 70000")),
     "ansible_port 70000 is not a TCP port"),
    (lambda root, inv: inv.write_text("- just a list\n"), "expected a top-level `all:` group"),
])
def test_bad_build_or_inventory_is_a_spec_error_naming_the_problem(build, change, message):
    root, inventory = build
    change(root, inventory)
    with pytest.raises(SpecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_targets(root, inventory)


def test_limit_with_an_unknown_name_is_an_error(build):
    root, inventory = build
    with pytest.raises(SpecError, match="--limit: sw7 not in"):
        load_targets(root, inventory, "sw1,sw7")


def test_manifest_path_outside_the_build_is_refused(build):
    root, inventory = build
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["devices"][0]["path"] = "../../etc/passwd"
    (root / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SpecError, match="points outside"):
        load_targets(root, inventory)


def test_credentials_come_from_the_environment_and_never_show_in_repr():
    env = {"CCINFRA_USERNAME": "ops", "CCINFRA_PASSWORD": "pw-123", "CCINFRA_SECRET": "en-456"}
    creds = credentials_from_env(env)
    assert creds == Credentials("ops", "pw-123", "en-456")
    assert "pw-123" not in repr(creds) and "en-456" not in repr(creds)
    assert credentials_from_env({**env, "CCINFRA_SECRET": ""}).secret == "pw-123"
    assert credentials_from_env({"CCINFRA_PASSWORD": "x"}) is None


def test_backup_names_are_utc_and_sortable():
    eastern = dt.timezone(dt.timedelta(hours=-5))
    assert backup_name("gw1", dt.datetime(2024, 1, 2, 22, 0, 0, tzinfo=eastern)) == "gw1-20240103T030000.000000Z.cfg"
    assert default_backup_dir(dt.datetime(2024, 1, 2, 22, 0, tzinfo=eastern)) == Path("backups/2024-01-03")


class ScriptedPusher:
    """A device in memory: it applies "vlan N"/"no vlan N" lines, except those listed in ``ignored``."""

    def __init__(self, running: str, ignored: tuple[str, ...] = ()) -> None:
        self.device, self.lines_sent = "sw1", 0
        self.running, self.startup, self.ignored, self.saved = running, running, ignored, False

    def connect(self) -> None: ...
    def close(self) -> None: ...
    def prompt_hostname(self) -> str: return "sw1"
    def get_running(self) -> str: return self.running
    def get_startup(self) -> str: return self.startup

    def send_config(self, lines, stop=None):
        for line in lines:
            self.lines_sent += 1
            if line in self.ignored:
                continue
            if line.startswith("no "):
                self.running = self.running.replace(line[3:] + "\n", "")
            elif line.strip() != "exit":
                self.running += line + "\n"

    def save(self) -> None:
        self.startup, self.saved = self.running, True


def target_with(tmp_path: Path, intended: str) -> Target:
    path = tmp_path / "sw1.cfg"
    path.write_text(intended)
    return Target("sw1", "switch", "cisco_ios", "127.0.0.1", 22, path)


def test_a_line_the_device_does_not_keep_fails_verify_and_rolls_back(tmp_path):
    device = ScriptedPusher("hostname sw1\nvlan 5\n", ignored=("vlan 30",))
    target = target_with(tmp_path, "hostname sw1\nvlan 20\nvlan 30\n")
    result = push_device(target, lambda t: device, commit=True, backup_dir=tmp_path / "bk",
                         options=PushOptions(revert_minutes=0))  # a scripted device has no revert timer
    assert result.status == "rolled-back" and not device.saved
    assert "after the commit 1 line(s) still differ from the intended config, first 'vlan 30'" in result.error
    assert device.running.splitlines() == ["hostname sw1", "vlan 5"]
    # "vlan 5" is not rendered by the build: outside the managed scope, never touched.
    # forward: "vlan 20", "vlan 30"; rollback: "no vlan 20"
    assert result.lines_sent == 3


def test_dry_run_and_unchanged_send_nothing(tmp_path):
    device = ScriptedPusher("hostname sw1\n")
    dry = push_device(target_with(tmp_path, "hostname sw1\nvlan 20\n"), lambda t: device, commit=False,
                      backup_dir=tmp_path)
    same = push_device(target_with(tmp_path, "hostname sw1\n"), lambda t: device, commit=True, backup_dir=tmp_path)
    assert (dry.status, dry.diff, dry.lines_sent) == ("dry-run", "vlan 20", 0)
    assert (same.status, same.lines_sent) == ("unchanged", 0)


def test_a_device_that_cannot_be_reached_is_failed_with_its_error(tmp_path):
    class Unreachable(ScriptedPusher):
        def connect(self) -> None:
            raise ConnectError("sw1 (127.0.0.1:22): cannot connect: Connection refused")

    result = push_device(target_with(tmp_path, "hostname sw1\n"), lambda t: Unreachable(""), commit=True,
                         backup_dir=tmp_path)
    assert (result.status, result.error, result.backup_path) == (
        "failed", "sw1 (127.0.0.1:22): cannot connect: Connection refused", "")


def test_summary_and_result_document():
    results = [Result("sw1", "changed", True, lines_sent=3, duration_s=1.23456), Result("sw2", "failed", error="x"),
               Result("sw3", "unchanged")]
    assert summary(results) == {"total": 3, "ok": 2, "failed": 1, "changed": 1, "dry-run": 0,
                                "unchanged": 1, "rolled-back": 0, "skipped": 0}
    first = results_document(results)["devices"][0]
    assert first == {"device": "sw1", "status": "changed", "changed": True, "lines_sent": 3,
                     "duration_s": 1.235, "error": "", "backup_path": "", "notes": []}


def test_a_device_name_that_could_escape_the_backup_folder_is_refused(build):
    root, inventory = build
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["devices"][0]["device"] = "../sw1"
    (root / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SpecError, match=r"devices\[0\]\.device: '\.\./sw1' is not a safe name"):
        load_targets(root, inventory)


def test_skipped_devices_are_the_phones_and_other_platforms(build):
    from ccinfra.push.targets import skipped_devices

    root, _ = build
    assert skipped_devices(root) == ["phone1", "sw9"]


def test_worker_processes_fork_only_from_a_single_threaded_process():
    """fork is cheap but copies other threads' held locks; with any other thread running: spawn."""
    import subprocess
    import sys
    import threading

    from ccinfra.push.runner import start_method

    alone = subprocess.run([sys.executable, "-c", "from ccinfra.push.runner import start_method; print(start_method())"],
                           capture_output=True, text=True, check=True)
    assert alone.stdout.strip() == "fork"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert start_method() == "spawn"
    finally:
        stop.set()
        other.join()
