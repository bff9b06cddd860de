"""Per-device lock files: one holder, a wait with a deadline, stale locks of dead pids taken over."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from ccinfra.cli.interrupts import Interrupts
from ccinfra.errors import DeviceBusy
from ccinfra.push.locks import device_lock, lock_dir_for


def test_the_lock_holds_pid_and_host_and_is_removed_after(tmp_path):
    with device_lock(tmp_path, "sw1") as path:
        holder = json.loads(path.read_text())
        assert (holder["pid"], holder["host"]) == (os.getpid(), socket.gethostname())
        with pytest.raises(DeviceBusy, match=r"^sw1: another push holds its lock .* \(pid \d+ on .*\); not touched"):
            with device_lock(tmp_path, "sw1", wait_s=0.3):
                pass
    assert not path.exists()


def test_a_lock_of_a_dead_pid_is_taken_over(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    (tmp_path / "sw1.lock").write_text(json.dumps({"pid": pid, "host": socket.gethostname(), "started": "x"}))
    with device_lock(tmp_path, "sw1") as path:
        assert json.loads(path.read_text())["pid"] == os.getpid()


def test_a_lock_of_another_host_is_never_stale(tmp_path):
    (tmp_path / "sw1.lock").write_text(json.dumps({"pid": 999999, "host": "elsewhere", "started": "x"}))
    started = time.monotonic()
    with pytest.raises(DeviceBusy, match="pid 999999 on elsewhere"):
        with device_lock(tmp_path, "sw1", wait_s=0.4):
            pass
    assert time.monotonic() - started >= 0.4


def test_lock_folder_is_next_to_the_inventory(tmp_path):
    assert lock_dir_for(tmp_path / "inv" / "hosts.yml") == (tmp_path / "inv" / ".ccinfra-locks").resolve()


def test_first_signal_sets_the_stop_flag_and_the_exit_code():
    stop = Interrupts(revert_minutes=5)
    assert not stop() and stop.exit_code is None
    stop.handle(signal.SIGHUP)
    assert stop() and stop.exit_code == 129


def test_waiting_for_a_lock_ends_when_the_push_is_interrupted(tmp_path):
    with device_lock(tmp_path, "sw1"):
        started = time.monotonic()
        with pytest.raises(DeviceBusy):
            with device_lock(tmp_path, "sw1", wait_s=30, give_up=lambda: True):
                pass
        assert time.monotonic() - started < 1
