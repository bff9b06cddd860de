"""The right device (issue 11, guarantee 3): prompt and running config must both name the build's device."""

from __future__ import annotations

import pytest

from ccinfra.push.identity import IdentityError, check_identity, running_hostname

RUNNING = "!\nhostname cc-as01\n!\nline vty 0 4\n login local\nend\n"


def test_the_right_device_passes_without_a_note():
    assert check_identity("cc-as01", "cc-as01", RUNNING, adopt=False) == ""


def test_a_hostname_cut_in_the_prompt_still_matches():
    name = "lisbon-access-switch-01"  # 23 characters: netmiko keeps 16 of the prompt (IOS abbreviates it)
    assert check_identity(name, "lisbon-access-sw", f"hostname {name}\n", adopt=False) == ""


@pytest.mark.parametrize(("prompt", "running", "seen"), [
    ("cc-as02", RUNNING.replace("cc-as01", "cc-as02"), "'cc-as02' (prompt 'cc-as02', running config 'cc-as02')"),
    ("cc-as01", RUNNING.replace("cc-as01", "cc-as02"), "'cc-as02' (prompt 'cc-as01', running config 'cc-as02')"),
    ("cc-as02", RUNNING, "'cc-as01' (prompt 'cc-as02', running config 'cc-as01')"),
    ("cc-as01", "line vty 0 4\n", "'cc-as01' (prompt 'cc-as01', running config '(no hostname)')"),
    ("cc-as0", RUNNING, "'cc-as01' (prompt 'cc-as0', running config 'cc-as01')"),
])
def test_prompt_and_running_config_must_both_name_the_device(prompt, running, seen):
    with pytest.raises(IdentityError) as caught:
        check_identity("cc-as01", prompt, running, adopt=True)
    assert str(caught.value) == (f"cc-as01: identity mismatch: the device answering is {seen}, not 'cc-as01'; nothing "
                                 "was changed: check ansible_host/ansible_port of cc-as01 in the inventory")


@pytest.mark.parametrize("factory", ["Switch", "Router"])
def test_a_factory_default_hostname_needs_adopt(factory):
    running = f"hostname {factory}\n"
    with pytest.raises(IdentityError, match=f"factory-default hostname '{factory}'; nothing was changed: pass --adopt"):
        check_identity("gw1", factory, running, adopt=False)
    assert check_identity("gw1", factory, running, adopt=True) == (
        f"adopted: factory-default hostname '{factory}' accepted (--adopt); the push names it gw1")
    # a device that lost its hostname line but still prompts "Router" is factory-fresh too
    assert check_identity("gw1", factory, "line vty 0 4\n", adopt=True).startswith("adopted:")


def test_adopt_never_accepts_another_named_device():
    with pytest.raises(IdentityError, match="identity mismatch: the device answering is 'cc-as02'"):
        check_identity("cc-as01", "cc-as02", "hostname cc-as02\n", adopt=True)


def test_running_hostname():
    assert running_hostname(RUNNING) == "cc-as01"
    assert running_hostname(" hostname inside-a-section\n") == ""
