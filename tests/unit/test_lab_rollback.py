"""Rollback Confirmed Change on a lab twin, typed at its vty (no socket).

Expected answers are IOS's as documented: ``%Please turn config archive on`` (what IOS answers a
revert timer without an archive; NAPALM's ios driver matches this text), ``%No Rollback Confirmed
Change pending`` and the four fields of ``show archive config rollback timer`` (Cisco command
reference, sample output: "Time configured(or reconfigured): 22:50:48 UTC Sat Feb 21 2009",
"Timer type: absolute timer", "Timer value: 2 min", "User: console"), `` Archive feature not
enabled`` (NAPALM's ``_check_archive_feature``).
"""

from __future__ import annotations

import re
import time

import pytest

from ccinfra.errors import LabError
from ccinfra.lab.rollback import default_minute_s
from ccinfra.lab.shell import IosShell
from ccinfra.lab.state import DeviceState, Faults

from test_lab_shell import Vty  # tests/unit is on sys.path (pytest's default import mode)

WITH_ARCHIVE = "hostname sw1\n!\narchive\n path flash:archive\n!\nvlan 5\n!\nend\n"


def vty(initial: str = WITH_ARCHIVE, minute_s: float = 60.0) -> Vty:
    """A privileged session on a twin whose IOS minute lasts ``minute_s`` seconds."""
    box = Vty(initial=initial)
    box.state = DeviceState("sw1", "switch", initial, "s3cret", Faults(), minute_s=minute_s)
    box.shell = IosShell(box.state)
    box.enable()
    return box


def test_without_archive_the_timer_is_refused_and_exec_mode_stays():
    box = vty(initial="hostname sw1\n!\nend\n")
    assert box.type("configure terminal revert timer 5\n") == (
        "configure terminal revert timer 5\n%Please turn config archive on\nsw1#")
    assert box.type("show archive\n") == "show archive\n Archive feature not enabled\nsw1#"
    assert box.type("show archive config rollback timer\n").splitlines()[1] == "%No Rollback Confirmed Change pending"


def test_timer_show_confirm():
    box = vty()
    answer = box.type("configure terminal revert timer 5\n")
    assert re.match(r"configure terminal revert timer 5\nRollback Confirmed Change: Backing up current running "
                    r"config to flash:archive-\w{3}-[-\d]\d-\d\d-\d\d-\d\d\.\d{3}-0\n\n"
                    r"Enter configuration commands, one per line\.  End with CNTL/Z\.\nsw1\(config\)#$", answer)
    box.type("vlan 10\nend\n")
    shown = box.type("show archive config rollback timer\n").splitlines()[1:-1]
    assert re.match(r"Time configured\(or reconfigured\): \d\d:\d\d:\d\d UTC \w{3} \w{3} \d{1,2} \d{4}$", shown[0])
    assert shown[1:] == ["Timer type: absolute timer", "Timer value: 5 min", "User: console"]
    assert box.type("configure confirm\n") == "configure confirm\nsw1#"
    assert "vlan 10" in box.state.running_text()
    assert box.type("configure confirm\n") == "configure confirm\n%No Rollback Confirmed Change pending\nsw1#"


def test_revert_now_restores_the_archive_and_idle_timer_type():
    box = vty()
    box.type("configure terminal revert timer idle 3\nvlan 10\nno vlan 5\nend\n")
    assert "Timer type: idle timer\nTimer value: 3 min" in box.type("show archive config rollback timer\n")
    box.type("configure revert now\n")
    text = box.state.running_text()
    assert "vlan 5" in text and "vlan 10" not in text
    assert "%No Rollback Confirmed Change pending" in box.type("show archive config rollback timer\n")
    assert "1        flash:archive-" in box.type("show archive\n")


def test_the_timer_expires_by_itself_and_restores_the_archive():
    box = vty(minute_s=0.05)  # a lab minute of 50 ms: "revert timer 2" lasts 0.1 s
    box.type("configure terminal revert timer 2\nvlan 10\nend\n")
    assert "vlan 10" in box.state.running_text()
    deadline = time.monotonic() + 5
    while box.state.rollback.pending is not None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert box.state.rollback.expired == 1
    assert "vlan 10" not in box.state.running_text()
    assert "%No Rollback Confirmed Change pending" in box.type("show archive config rollback timer\n")


def test_configure_revert_timer_sets_a_new_value_and_range_is_1_to_120():
    box = vty()
    box.type("configure terminal revert timer 5\nend\n")
    box.type("configure revert timer 9\n")
    assert "Timer value: 9 min" in box.type("show archive config rollback timer\n")
    assert "% Invalid input" in box.type("configure terminal revert timer 121\n")
    assert "% Invalid input" in box.type("configure terminal revert timer 0\n")


def test_minute_length_from_the_environment(monkeypatch):
    monkeypatch.setenv("CCINFRA_LAB_MINUTE_S", "0.5")
    assert default_minute_s() == 0.5
    monkeypatch.setenv("CCINFRA_LAB_MINUTE_S", "soon")
    with pytest.raises(LabError, match="CCINFRA_LAB_MINUTE_S='soon'"):
        default_minute_s()
