"""The safe push against lab twins over real SSH on 127.0.0.1 (netmiko is not mocked).

Expected device states are written out by hand from ``push_fixtures.initial_config`` and
``intended_config``: the push must add VLANs 10/20, rewrite port Gi1/0/1 and add the banner; the
build renders no ``ip domain-name``, so ``ip domain-name old.example`` is outside the managed scope
and stays (ccinfra.push.scope).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ccinfra.errors import AuthError, ConnectError, HostKeyError
from ccinfra.lab import Faults
from ccinfra.push.connection import Credentials, HostKeyPolicy, NetmikoPusher
from ccinfra.push.runner import run_push

from ccinfra.push.workflow import PushOptions

from .push_fixtures import PASSWORD, SECRET, USERNAME, initial_config, intended_config, line_paths, push_lab  # noqa: F401

pytestmark = pytest.mark.integration

# One line per write (each answer read before the next line is typed), and typed ahead: up to 16
# lines per write, never past a section's "exit" (ccinfra.push.typeahead).
ONE_AT_A_TIME, TYPED_AHEAD = 1, 16
LINES_PER_WRITE = pytest.mark.parametrize("per_write", [ONE_AT_A_TIME, TYPED_AHEAD], ids=["one-line", "typeahead"])

# What the lab's running config shows after a successful push (its own rendering of the tree:
# lines keep the order they were first added in; IOS prints the banner delimiter as ^C).
PUSHED_RUNNING = """!
hostname cc-as01
ip domain-name old.example
!
archive
 path flash:archive
!
interface GigabitEthernet1/0/1
 description agent seat 1
 switchport mode access
 switchport access vlan 10
 switchport voice vlan 20
!
line con 0
!
line vty 0 4
 login local
 transport input ssh
!
vlan 10
 name DATA
!
vlan 20
 name VOICE
!
banner motd ^C
Authorised use only
^C
!
end
"""

# The remediation from initial to intended, as hier-config orders it: negations first, then
# sections in hier-config's order weight; "exit" closes each section.
EXPECTED_REMEDIATION = [
    "vlan 10", "  name DATA", "  exit",
    "vlan 20", "  name VOICE", "  exit",
    "interface GigabitEthernet1/0/1",
    "  switchport mode access", "  description agent seat 1",
    "  switchport access vlan 10", "  switchport voice vlan 20", "  exit",
    "banner motd @", "Authorised use only", "@",
]


def test_dry_run_changes_nothing_and_backs_up(push_lab):
    lab = push_lab()
    device = lab.fleet["cc-as01"]
    before_running, before_startup = device.running_config, device.startup_config
    [result] = lab.push(commit=False)
    assert result.status == "dry-run" and not result.changed
    assert result.lines_sent == 0 and device.config_lines_received == 0
    assert device.running_config == before_running and device.startup_config == before_startup
    assert "ip domain-name" not in result.diff and "  switchport voice vlan 20" in result.diff
    backup = Path(result.backup_path)
    assert backup.parent == lab.backups and backup.name.startswith("cc-as01-") and backup.suffix == ".cfg"
    assert "ip domain-name old.example" in backup.read_text()
    assert oct(backup.stat().st_mode & 0o777) == "0o600"


@LINES_PER_WRITE
def test_commit_verifies_and_saves_then_repush_sends_nothing(push_lab, per_write):
    lab = push_lab()
    device = lab.fleet["cc-as01"]
    [result] = lab.push(commit=True, lines_per_write=per_write)
    assert (result.status, result.changed, result.error) == ("changed", True, "")
    assert result.lines_sent == len(EXPECTED_REMEDIATION)
    # the lab counts configuration lines, not the "exit" lines that close sections: 15 - 3 = 12
    assert device.config_lines_received == 12
    assert device.running_config == PUSHED_RUNNING
    assert device.startup_config == PUSHED_RUNNING

    [again] = lab.push(commit=True, lines_per_write=per_write)
    assert (again.status, again.lines_sent, again.diff) == ("unchanged", 0, "")
    assert device.config_lines_received == 12


def test_remediation_sent_is_the_hand_written_one(push_lab):
    from ccinfra.push.scope import remediation_lines
    from .push_fixtures import initial_config, intended_config

    lab = push_lab()
    running = lab.fleet["cc-as01"].running_config
    assert initial_config("cc-as01") != running  # the lab re-renders it; the comparison must not care
    assert remediation_lines(running, intended_config("cc-as01")) == EXPECTED_REMEDIATION


@LINES_PER_WRITE
@pytest.mark.parametrize("rejected", ["switchport voice vlan 20", "interface GigabitEthernet1/0/1"],
                         ids=["a-line", "a-section-line"])
def test_rejected_line_rolls_back_to_the_backup_and_saves_nothing(push_lab, per_write, rejected):
    # A refused "interface ..." leaves its indented lines and its "exit" to run at the global
    # level, where that exit leaves configuration mode; a write ends with the exit, so the push
    # stops there and rolls back (ccinfra.push.typeahead).
    lab = push_lab(faults=Faults(reject_pattern=f"^{rejected}"))
    device = lab.fleet["cc-as01"]
    before_running, before_startup = device.running_config, device.startup_config
    [result] = lab.push(commit=True, lines_per_write=per_write)
    assert result.status == "rolled-back" and not result.changed, result.error
    assert "cc-as01" in result.error and f"line {rejected!r} rejected: % Invalid input" in result.error
    assert line_paths(device.running_config) == line_paths(before_running)
    assert device.startup_config == before_startup
    assert Path(result.backup_path).read_text().strip().endswith("end")


@LINES_PER_WRITE
def test_connection_dropped_mid_push_reconnects_and_rolls_back(push_lab, per_write):
    # the 3rd config line ("vlan 20") is applied, then the session closes; the rollback
    # ("no vlan 10", "no vlan 20") is 2 lines, under the per-session drop limit.
    lab = push_lab(faults=Faults(drop_after_lines=3))
    device = lab.fleet["cc-as01"]
    before_running, before_startup = device.running_config, device.startup_config
    [result] = lab.push(commit=True, lines_per_write=per_write)
    assert result.status == "rolled-back", result.error
    assert "session dropped" in result.error and "cc-as01" in result.error
    assert line_paths(device.running_config) == line_paths(before_running)
    assert device.startup_config == before_startup


def test_dropped_again_during_rollback_is_reported_failed_and_nothing_saved(push_lab):
    # Without a revert timer the rollback is config lines, and the drop fault cuts it too.
    lab = push_lab(faults=Faults(drop_after_lines=1))
    device = lab.fleet["cc-as01"]
    before_startup = device.startup_config
    [result] = lab.push(commit=True, options=PushOptions(revert_minutes=0))
    assert result.status == "failed"
    assert "rollback FAILED" in result.error and result.backup_path in result.error
    assert device.startup_config == before_startup


def test_revert_timer_restores_even_when_every_session_drops_after_one_line(push_lab):
    # Under the revert timer the rollback is `configure revert now` (an exec command, no config
    # line): the device returns to its archive although no session can type a second line.
    lab = push_lab(faults=Faults(drop_after_lines=1))
    device = lab.fleet["cc-as01"]
    before_running, before_startup = device.running_config, device.startup_config
    [result] = lab.push(commit=True)
    assert result.status == "rolled-back", result.error
    assert "session dropped" in result.error
    assert line_paths(device.running_config) == line_paths(before_running)
    assert device.startup_config == before_startup
    assert device.state.rollback.pending is None and device.state.rollback.expired == 0


def test_wrong_password_is_an_auth_error_naming_the_device(push_lab):
    lab = push_lab()
    [target] = lab.targets()
    pusher = NetmikoPusher(target, Credentials(USERNAME, "not-the-password", SECRET), HostKeyPolicy(lab.known_hosts))
    with pytest.raises(AuthError, match=r"^cc-as01 \(127\.0\.0\.1:\d+\): login refused"):
        pusher.connect()
    [result] = lab.push(commit=True, password="not-the-password")
    assert result.status == "failed" and "login refused" in result.error
    assert lab.fleet["cc-as01"].config_lines_received == 0


def test_wrong_enable_secret_is_an_auth_error(push_lab):
    lab = push_lab()
    [target] = lab.targets()
    pusher = NetmikoPusher(target, Credentials(USERNAME, PASSWORD, "wrong-secret"), HostKeyPolicy(lab.known_hosts))
    with pytest.raises(AuthError, match="cc-as01: enable refused; set CCINFRA_SECRET"):
        pusher.connect()


def test_refused_connection_is_a_connect_error_and_others_go_on(push_lab):
    lab = push_lab(n=2)
    lab.fleet["cc-as02"].set_faults(Faults(refuse=True))
    [target1, target2] = lab.targets()
    with pytest.raises(ConnectError, match=r"cc-as02 .*cannot connect"):
        NetmikoPusher(target2, Credentials(USERNAME, PASSWORD, SECRET), HostKeyPolicy(lab.known_hosts)).connect()
    results = lab.push(commit=True)
    assert [(r.device, r.status) for r in results] == [("cc-as01", "changed"), ("cc-as02", "failed")]


def test_unknown_host_key_is_refused_unless_insecure(push_lab, tmp_path):
    lab = push_lab(n=2)
    # known_hosts holds cc-as02's line only: cc-as01's key is unknown
    lab.known_hosts.write_text(lab.fleet["cc-as02"].known_hosts_line + "\n")
    target1 = lab.targets()[0]
    pusher = NetmikoPusher(target1, Credentials(USERNAME, PASSWORD, SECRET), HostKeyPolicy(lab.known_hosts))
    with pytest.raises(HostKeyError, match=r"cc-as01 .*host key unknown.*--insecure-host-keys"):
        pusher.connect()
    results = lab.push(commit=False)
    assert [r.status for r in results] == ["failed", "dry-run"]
    assert lab.fleet["cc-as01"].config_lines_received == 0
    insecure = lab.push(commit=False, insecure=True)
    assert [r.status for r in insecure] == ["dry-run", "dry-run"]


def test_changed_host_key_is_refused(push_lab):
    lab = push_lab(n=2)
    one, two = lab.fleet["cc-as01"], lab.fleet["cc-as02"]
    # cc-as01's address recorded with cc-as02's key: what a swapped device looks like
    forged = f"[{one.host}]:{one.port} {two.host_key_public}\n"
    lab.known_hosts.write_text(forged)
    pusher = NetmikoPusher(lab.targets()[0], Credentials(USERNAME, PASSWORD, SECRET), HostKeyPolicy(lab.known_hosts))
    with pytest.raises(HostKeyError, match=r"cc-as01 .*host key CHANGED"):
        pusher.connect()


def test_missing_known_hosts_file_is_a_host_key_error(push_lab, tmp_path):
    lab = push_lab()
    pusher = NetmikoPusher(lab.targets()[0], Credentials(USERNAME, PASSWORD, SECRET),
                           HostKeyPolicy(tmp_path / "nowhere" / "known_hosts"))
    with pytest.raises(HostKeyError, match="known_hosts file .* not found"):
        pusher.connect()


def test_twenty_devices_in_parallel_all_change(push_lab):
    lab = push_lab(n=20)
    results = lab.push(commit=True, workers=20)
    assert [r.device for r in results] == [f"cc-as{i:02d}" for i in range(1, 21)]
    assert [r.status for r in results] == ["changed"] * 20
    for device in lab.fleet:
        assert device.running_config == PUSHED_RUNNING.replace("cc-as01", device.name)
        assert device.startup_config == device.running_config
    assert len(list(lab.backups.iterdir())) == 20


def test_one_rejecting_device_does_not_stop_the_others(push_lab):
    lab = push_lab(n=3)
    lab.fleet["cc-as02"].set_faults(Faults(reject_pattern=r"^vlan 20"))
    results = lab.push(commit=True, workers=3)
    assert [r.status for r in results] == ["changed", "rolled-back", "changed"]


def test_run_push_with_no_targets_returns_nothing(push_lab):
    lab = push_lab()
    assert run_push([], lab.session(), commit=True) == []


@LINES_PER_WRITE
def test_renaming_a_device_follows_the_new_prompt(push_lab, per_write):
    # netmiko waits for the prompt, and the prompt carries the hostname: after "hostname cc-as01"
    # the verify read must look for "cc-as01#", not the old factory "Switch#" (adopted: --adopt).
    lab = push_lab(initial=lambda name: initial_config(name).replace(f"hostname {name}", "hostname Switch"))
    device = lab.fleet["cc-as01"]
    [result] = lab.push(commit=True, adopt=True, lines_per_write=per_write)
    assert result.status == "changed", result.error
    assert "\nhostname cc-as01\n" in device.startup_config
    assert result.notes == ["adopted: factory-default hostname 'Switch' accepted (--adopt); the push names it cc-as01"]


@LINES_PER_WRITE
def test_an_exit_that_leaves_configuration_mode_stops_the_push(push_lab, per_write):
    # A build that (wrongly) indents a global line under another: hier-config closes the
    # "section" with "exit", which at global level drops to exec mode, where IOS would run the
    # following lines as exec commands and a second "exit" would log out.
    def intended(name: str) -> str:
        return intended_config(name).replace("!\nline con 0", "logging host 192.0.2.5\n logging trap informational\n!\nline con 0")

    lab = push_lab(intended=intended)
    device = lab.fleet["cc-as01"]
    before_running, before_startup = device.running_config, device.startup_config
    [result] = lab.push(commit=True, lines_per_write=per_write)
    assert result.status == "rolled-back"
    assert "left configuration mode after 'exit'" in result.error
    assert line_paths(device.running_config) == line_paths(before_running)
    assert device.startup_config == before_startup
