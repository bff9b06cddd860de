"""Plain netmiko (not mocked, not ccinfra's pusher) against lab twins over SSH on 127.0.0.1.

What a real Catalyst answers is written out here by hand: the prompts, the ``% Invalid input``
error, ``Current privilege level is 15``, and the running config after each change.
"""

from __future__ import annotations

import socket

import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException, ReadTimeout
from paramiko.ssh_exception import SSHException

from ccinfra.lab import Faults

pytestmark = pytest.mark.integration

INVALID = "% Invalid input detected at '^' marker."


def connect(device, known_hosts=None, password="lab", **options):
    params = dict(device_type="cisco_ios", host=device.host, port=device.port,
                  username="lab", password=password, secret="lab", **options)
    if known_hosts is not None:
        # Host-key checking on: only the lab's key for [127.0.0.1]:PORT is accepted.
        params.update(ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=str(known_hosts))
    return ConnectHandler(**params)


def test_enable_show_configure_save_with_host_key_checked(lab_fleet, tmp_path):
    fleet = lab_fleet(n=2)
    known_hosts = fleet.write_known_hosts(tmp_path / "known_hosts")
    device = fleet["lab02"]
    with connect(device, known_hosts) as conn:
        assert conn.find_prompt() == "lab02>"
        conn.enable()
        assert conn.find_prompt() == "lab02#"
        version = conn.send_command("show version")
        assert "Version 15.2(7)E8" in version and "lab02 uptime is" in version
        assert conn.send_command("show privilege") == "Current privilege level is 15"
        output = conn.send_config_set(["interface GigabitEthernet1/0/5", "description agent seat 5",
                                       "switchport access vlan 10", "vlan 10", "name DATA"])
        assert "lab02(config-if)#" in output and "lab02(config-vlan)#" in output
        assert "Building configuration...\n[OK]" in conn.save_config()
        running = conn.send_command("show running-config")
    assert running.startswith("Building configuration...\n\nCurrent configuration : ")
    body = running.split("\n", 3)[3]
    assert body == device.running_config.rstrip("\n")
    assert "\ninterface GigabitEthernet1/0/5\n description agent seat 5\n switchport access vlan 10\n!\n" in body
    assert "\nvlan 10\n name DATA\n!\n" in body
    assert device.startup_config == device.running_config
    assert device.config_lines_received == 5
    assert fleet["lab01"].config_lines_received == 0


def test_settings_replace_and_no_removes(lab_fleet):
    fleet = lab_fleet(n=1, initial_configs="hostname lab01\n!\ninterface GigabitEthernet1/0/1\n"
                                           " description old\n switchport access vlan 10\n shutdown\n!\n"
                                           "vlan 999\n name TEMP\n!\nend\n")
    device = fleet["lab01"]
    with connect(device) as conn:
        conn.enable()
        conn.send_config_set(["interface Gi1/0/1", "description new", "switchport access vlan 20",
                              "no shutdown", "no vlan 999"])
        running = conn.send_command("show running-config | section interface")
    assert running == "interface GigabitEthernet1/0/1\n description new\n switchport access vlan 20"
    assert "vlan 999" not in device.running_config and "TEMP" not in device.running_config
    # Not saved: the startup config still has the old lines.
    assert " shutdown" in device.startup_config and "vlan 999" in device.startup_config


def test_rejected_line_answers_invalid_input_and_changes_nothing(lab_fleet):
    fleet = lab_fleet(n=1, faults=Faults(reject_pattern=r"^vlan 999"))
    device = fleet["lab01"]
    before = device.running_config
    with connect(device) as conn:
        conn.enable()
        output = conn.send_config_set(["vlan 999", "name NOPE"])
        # The caret sits under the first character of the refused line.
        assert f"lab01(config)#vlan 999\n              ^\n{INVALID}" in output
        # No sub-mode was entered, so "name" is tried in global configuration, which has none.
        assert f"lab01(config)#name NOPE\n              ^\n{INVALID}" in output
        # "lab01#show " is 11 characters: the caret points at "foo".
        assert conn.send_command("show foo") == f"{' ' * 11}^\n{INVALID}\n"
    assert device.running_config == before
    assert device.config_lines_received == 2


def test_faults_set_at_runtime_apply_to_the_next_line(lab_fleet):
    device = lab_fleet(n=1)["lab01"]
    with connect(device) as conn:
        conn.enable()
        assert INVALID not in conn.send_config_set(["vlan 30"])
        device.set_faults(Faults(reject_pattern=r"^vlan 3\d$"))
        assert INVALID in conn.send_config_set(["vlan 31"])
    assert "vlan 30" in device.running_config and "vlan 31" not in device.running_config


def test_auth_failures_raise_netmikos_auth_exception(lab_fleet):
    fleet = lab_fleet(n=2, faults=[None, Faults(auth_fail=True)])
    with pytest.raises(NetmikoAuthenticationException):
        connect(fleet["lab01"], password="wrong")
    with pytest.raises(NetmikoAuthenticationException):
        connect(fleet["lab02"])  # right password, but the device refuses every login


def test_unknown_host_key_is_refused_with_strict_checking(lab_fleet, tmp_path):
    fleet = lab_fleet(n=2)
    known_hosts = tmp_path / "known_hosts"
    # lab02's key filed under lab01's address: the key lab01 shows does not match.
    lab01, lab02 = fleet["lab01"], fleet["lab02"]
    known_hosts.write_text(f"[127.0.0.1]:{lab01.port} {lab02.host_key_public}\n")
    with pytest.raises(SSHException):
        connect(lab01, known_hosts)


def test_drop_after_lines_closes_the_session_mid_push(lab_fleet):
    device = lab_fleet(n=1, faults=Faults(drop_after_lines=2))["lab01"]
    conn = connect(device)
    conn.enable()
    # Plain netmiko does not notice EOF; it times out waiting for the prompt of line 3.
    with pytest.raises((ReadTimeout, OSError, EOFError)):
        conn.send_config_set(["vlan 10", "name A", "vlan 20", "name B"], read_timeout=3)
    assert not conn.is_alive()
    conn.disconnect()
    assert "\nvlan 10\n name A\n!\n" in device.running_config
    assert "vlan 20" not in device.running_config
    assert device.config_lines_received == 2


def test_refuse_closes_the_port_until_cleared(lab_fleet):
    fleet = lab_fleet(n=2, faults=[None, Faults(refuse=True)])
    running, refusing = fleet["lab01"], fleet["lab02"]
    # Refused from the start, yet the port is reserved and known.
    assert refusing.port > 0 and refusing.known_hosts_line.startswith(f"[127.0.0.1]:{refusing.port} ssh-ed25519 ")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((refusing.host, refusing.port), timeout=5).close()
    refusing.set_faults(Faults())
    with connect(refusing) as conn:
        assert conn.find_prompt() == "lab02>"
    running.set_faults(Faults(refuse=True))
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((running.host, running.port), timeout=5).close()
    running.set_faults(Faults())
    with connect(running) as conn:
        assert conn.find_prompt() == "lab01>"


def test_slow_device_still_answers(lab_fleet):
    device = lab_fleet(n=1, faults=Faults(delay_s=0.2))["lab01"]
    with connect(device) as conn:
        conn.enable()
        assert conn.send_command("show privilege") == "Current privilege level is 15"
