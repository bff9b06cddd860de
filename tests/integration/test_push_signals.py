"""``ccinfra push --commit`` run as a process and stopped by signals, against lab twins on loopback SSH.

Every device must end whole: running its backup (the initial config) or the build, never a mix,
with nothing half-saved; the result JSON is written and the exit status is 128 + the signal.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ccinfra.lab import Faults
from ccinfra.push.scope import remediation_lines  # the managed scope: out-of-band lines stay

from .push_fixtures import PushLab, initial_config, intended_config, line_paths, push_lab  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

CCINFRA = str(Path(sys.executable).with_name("ccinfra"))


@pytest.fixture
def slow_lab(push_lab):
    """Factory: ``slow_lab(n, delay_s, minute_s)``: twins that answer every line ``delay_s`` late."""
    return lambda n=1, delay_s=0.05, minute_s=None: push_lab(n=n, faults=Faults(delay_s=delay_s), minute_s=minute_s)


def start(lab: PushLab, result: Path, *args: str) -> subprocess.Popen[str]:
    argv = [CCINFRA, "push", str(lab.build), "--inventory", str(lab.inventory), "--backup-dir", str(lab.backups),
            "--commit", "--result-json", str(result), *args]
    return subprocess.Popen(argv, env={**os.environ, **lab.env()}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def wait_for(condition, timeout_s: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def assert_whole(lab: PushLab, device_name: str, status: str) -> None:
    """The device runs its backup (nothing saved) or the build (saved); no timer left pending."""
    device = lab.fleet[device_name]
    assert device.state.rollback.pending is None
    if status == "changed":
        assert remediation_lines(device.running_config, intended_config(device_name)) == []
        assert device.startup_config == device.running_config
    else:
        assert line_paths(device.running_config) == line_paths(initial_config(device_name)), status
        assert line_paths(device.startup_config) == line_paths(initial_config(device_name))


def assert_no_leftovers(lab: PushLab) -> None:
    assert not list(lab.backups.glob("*.tmp")) and not list(lab.backups.glob(".*.tmp"))
    assert not list((lab.inventory.parent / ".ccinfra-locks").glob("*.lock"))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["INT", "TERM", "HUP"])
def test_a_signal_mid_push_leaves_every_device_whole_with_a_result(slow_lab, tmp_path, signum):
    lab = slow_lab(n=3)
    result = tmp_path / "result.json"
    push = start(lab, result, "--workers", "1")
    first = lab.fleet["cc-as01"]
    wait_for(lambda: first.config_lines_received >= 2, what="the first device to be mid-change")
    push.send_signal(signum)
    out, err = push.communicate(timeout=60)
    assert push.returncode == 128 + signum, err
    assert f"{signal.Signals(signum).name}: stopping" in err
    devices = {d["device"]: d for d in json.loads(result.read_text())["devices"]}
    assert devices["cc-as01"]["status"] in ("rolled-back", "changed"), devices["cc-as01"]
    assert [devices[n]["status"] for n in ("cc-as02", "cc-as03")] == ["skipped", "skipped"]
    assert "skipped" in out and "2 skipped" in out
    for name, entry in devices.items():
        assert_whole(lab, name, entry["status"])
    assert lab.fleet["cc-as02"].config_lines_received == 0
    assert_no_leftovers(lab)


def test_sigkill_mid_change_the_device_restores_itself_when_its_timer_runs_out(slow_lab, tmp_path):
    # A lab minute of 2 s: "--revert-minutes 1" runs out 2 s after the change started.
    lab = slow_lab(n=1, delay_s=0.1, minute_s=2.0)
    device = lab.fleet["cc-as01"]
    push = start(lab, tmp_path / "result.json", "--revert-minutes", "1")
    wait_for(lambda: device.config_lines_received >= 2, what="the change to be under way")
    push.kill()
    push.communicate(timeout=30)
    assert device.state.rollback.pending is not None  # nobody confirmed: the timer is still running
    wait_for(lambda: device.state.rollback.expired == 1, timeout_s=15, what="the revert timer to run out")
    assert_whole(lab, "cc-as01", "killed")
    # The lock of the killed push is stale (its pid is gone): the next push takes it over.
    assert list((lab.inventory.parent / ".ccinfra-locks").glob("*.lock"))
    device.set_faults(Faults())
    again = start(lab, tmp_path / "again.json", "--revert-minutes", "5")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert_whole(lab, "cc-as01", "changed")


def test_a_second_push_waits_for_the_lock_or_leaves_the_device_alone(slow_lab, tmp_path):
    # 0.3 s an answer: the first push holds the device for ~10 s, longer than a second one takes to start.
    lab = slow_lab(n=1, delay_s=0.3)
    first = start(lab, tmp_path / "first.json")
    lock = lab.inventory.parent / ".ccinfra-locks" / "cc-as01.lock"
    wait_for(lock.exists, what="the first push to take the lock")
    holder = json.loads(lock.read_text())
    assert holder["pid"] > 0 and holder["host"]
    refused = subprocess.run([CCINFRA, "push", str(lab.build), "-i", str(lab.inventory), "--backup-dir",
                              str(lab.backups), "--commit", "--result-json", str(tmp_path / "refused.json")],
                             env={**os.environ, **lab.env()}, capture_output=True, text=True, timeout=60)
    waiting = start(lab, tmp_path / "waiting.json", "--wait-lock", "60")
    assert first.wait(timeout=60) == 0
    assert waiting.wait(timeout=60) == 0
    assert refused.returncode == 1
    [entry] = json.loads((tmp_path / "refused.json").read_text())["devices"]
    assert entry["status"] == "failed" and "another push holds its lock" in entry["error"]
    assert f"pid {holder['pid']}" in entry["error"] and "not touched" in entry["error"]
    statuses = [json.loads((tmp_path / f"{n}.json").read_text())["devices"][0]["status"] for n in ("first", "waiting")]
    assert statuses == ["changed", "unchanged"]
    assert_whole(lab, "cc-as01", "changed")
    assert_no_leftovers(lab)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_worker_processes_never_outlive_their_parent(slow_lab, tmp_path, how):
    lab = slow_lab(n=4, delay_s=0.1, minute_s=2.0)
    push = start(lab, tmp_path / "result.json", "--processes", "2", "--workers", "4", "--revert-minutes", "1")
    wait_for(lambda: len(children_of(push.pid)) >= 2, what="two worker processes")
    workers = children_of(push.pid)
    wait_for(lambda: any(d.config_lines_received for d in lab.fleet), what="a change under way")
    push.send_signal(getattr(signal, how))
    push.communicate(timeout=60)
    if how == "SIGTERM":
        assert push.returncode == 143
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout_s=10, what="the workers to exit")
    assert not list(lab.backups.glob(".*.tmp"))
    # Whole again: confirmed and saved, or reverted (by us, or by the device's own timer).
    for device in lab.fleet:
        wait_for(lambda: device.state.rollback.pending is None, timeout_s=15, what="no pending timer")
        running = device.running_config
        assert (remediation_lines(running, intended_config(device.name)) == []
                or line_paths(running) == line_paths(initial_config(device.name))), device.name


def test_a_second_signal_exits_at_once_and_the_timer_covers_the_device(slow_lab, tmp_path):
    lab = slow_lab(n=1, delay_s=0.2, minute_s=2.0)
    device = lab.fleet["cc-as01"]
    push = start(lab, tmp_path / "result.json", "--revert-minutes", "1")
    wait_for(lambda: device.config_lines_received >= 2, what="the change to be under way")
    push.send_signal(signal.SIGTERM)
    time.sleep(0.1)
    push.send_signal(signal.SIGTERM)
    started = time.monotonic()
    out, err = push.communicate(timeout=30)
    assert push.returncode == 143 and time.monotonic() - started < 5, err
    assert "SIGTERM again: exiting now. The devices in flight are covered by their revert timers" in err
    wait_for(lambda: device.state.rollback.pending is None, timeout_s=15, what="the timer to run out")
    assert_whole(lab, "cc-as01", "killed")
