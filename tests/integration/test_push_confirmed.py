"""The push under an IOS revert timer, against lab twins over loopback SSH (in this process).

Expected device states are written out by hand: the backup (``initial_config``) or the build
(``intended_config``) plus the ``archive`` section the timer needs.
"""

from __future__ import annotations

import pytest

from ccinfra.lab import Faults
from ccinfra.lab.rollback import TimerSpec
from ccinfra.push.scope import remediation_lines  # the managed scope: out-of-band lines stay
from ccinfra.push.runner import run_push
from ccinfra.push.workflow import PushOptions

from .push_fixtures import initial_config, intended_config, line_paths, push_lab  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

ARCHIVE = "archive\n path flash:archive\n!\n"


def without_archive(config: str) -> str:
    return config.replace(ARCHIVE, "")


def test_commit_runs_under_a_timer_that_is_confirmed_then_saved(push_lab):
    lab = push_lab()
    device = lab.fleet["cc-as01"]
    [result] = lab.push(commit=True)
    assert result.status == "changed", result.error
    assert device.state.rollback.pending is None and len(device.state.rollback.archives) == 1
    assert remediation_lines(device.startup_config, intended_config("cc-as01")) == []


def test_a_device_without_archive_gets_one_first_and_a_rollback_removes_it_again(push_lab):
    initial = without_archive(initial_config("cc-as01"))
    lab = push_lab(initial=lambda name: without_archive(initial_config(name)),
                   intended=lambda name: without_archive(intended_config(name)),
                   faults=Faults(reject_pattern="^switchport voice vlan 20"))
    device = lab.fleet["cc-as01"]
    [result] = lab.push(commit=True)
    assert result.status == "rolled-back" and "rejected" in result.error
    assert line_paths(device.running_config) == line_paths(initial)  # no archive either
    device.set_faults(Faults())
    [result] = lab.push(commit=True)
    assert result.status == "changed", result.error
    # the build does not manage the archive; the device keeps the one the timer needed
    assert remediation_lines(device.startup_config, intended_config("cc-as01")) == []


def test_someone_elses_pending_timer_leaves_the_device_untouched(push_lab):
    lab = push_lab()
    device = lab.fleet["cc-as01"]
    with device.state.lock:
        device.state.rollback.start(TimerSpec(10), "alice")
    before = device.running_config
    [result] = lab.push(commit=True)
    assert result.status == "failed"
    assert "someone else's revert timer is pending (user alice, absolute timer 10 min" in result.error
    assert "not touched" in result.error
    assert device.config_lines_received == 0 and device.running_config == before
    assert device.state.rollback.pending.user == "alice"


def test_a_push_slower_than_its_timer_reports_the_revert_and_never_saves(push_lab):
    # A lab minute of 0.3 s: "revert timer 1" runs out while the slow device (0.05 s an answer)
    # is still being configured.
    lab = push_lab(faults=Faults(delay_s=0.05), minute_s=0.3)
    device = lab.fleet["cc-as01"]
    before_running, before_startup = device.running_config, device.startup_config
    [result] = lab.push(commit=True, options=PushOptions(revert_minutes=1))
    assert result.status == "rolled-back", result.error
    assert "revert timer" in result.error and "ran out" in result.error
    assert device.state.rollback.expired == 1
    assert line_paths(device.running_config) == line_paths(before_running)
    assert device.startup_config == before_startup


@pytest.mark.parametrize(("stage", "reported"), [
    ("starting revert timer", "concurrent change: the running config changed between our backup and our"),
    ("confirming", "concurrent change: the running config changed between our verify and our confirm"),
], ids=["after-backup", "after-verify"])
def test_a_change_by_someone_else_is_reported_and_rolled_back(push_lab, stage, reported):
    lab = push_lab()
    device = lab.fleet["cc-as01"]
    before_running, before_startup = device.running_config, device.startup_config

    def meddle(name: str, at: str) -> None:
        if at == stage:  # another admin types a line at that moment of our push
            with device.state.lock:
                device.state.tree.root.set("ntp server 192.0.2.123")

    [result] = run_push(lab.targets(), lab.session(), commit=True, backup_dir=lab.backups, progress=meddle)
    assert result.status == "rolled-back"
    assert reported in result.error
    # Our lines are rolled back. Typed before our timer started, the other admin's line is in the
    # archive IOS restores and outside the build's scope: theirs, left alone. Typed after our verify,
    # `configure revert now` (the archive of before it) took it away with ours.
    theirs = {("ntp server 192.0.2.123",)} if stage == "starting revert timer" else set()
    assert line_paths(device.running_config) == line_paths(before_running) | theirs
    assert device.startup_config == before_startup
