"""Lab twins carry out-of-band config like a production device (issue 11): given at start
(``DeviceSpec.extra_config``, ``ccinfra lab up --extra-config``) or typed over SSH, and shown by
``show running-config`` in the form IOS shows it.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
import yaml
from netmiko import ConnectHandler

from ccinfra.lab import DeviceSpec, LabFleet

from .push_fixtures import OUT_OF_BAND, line_paths
from .test_lab_cli import netmiko_to, start, stop, wait_ready

pytestmark = pytest.mark.integration


def test_extra_config_is_in_running_and_startup(tmp_path):
    with LabFleet([DeviceSpec("cc-as01", extra_config=OUT_OF_BAND)], username="u", password="p", secret="s") as fleet:
        device = fleet["cc-as01"]
        for config in (device.running_config, device.startup_config):
            assert line_paths(OUT_OF_BAND) <= line_paths(config)
            assert ("hostname cc-as01",) in line_paths(config) and ("line vty 0 4", "login local") in line_paths(config)


def test_out_of_band_lines_typed_over_ssh_are_accepted_and_shown_as_typed():
    lines = [line for line in OUT_OF_BAND.splitlines() if line]
    with LabFleet([DeviceSpec("cc-as01")], username="u", password="p", secret="s") as fleet:
        device = fleet["cc-as01"]
        conn = ConnectHandler(device_type="cisco_ios", host=device.host, port=device.port, username="u", password="p",
                              secret="s", ssh_strict=False, system_host_keys=False, use_keys=False, allow_agent=False)
        try:
            conn.enable()
            # "aaa group server tacacs+" and "tacacs server" open sub-modes, as on IOS
            answer = conn.send_config_set(lines, error_pattern=r"% ?(?:Invalid|Incomplete|Ambiguous)")
            assert "(config-server-tacacs)#" in answer
            running = conn.send_command("show running-config")
        finally:
            conn.disconnect()
    assert "%" not in answer
    assert line_paths(OUT_OF_BAND) <= line_paths(running)
    assert "snmp-server community Comm-5e3f-never-printed RO\n" in running


def test_lab_up_extra_config_flag(tmp_path):
    extra = tmp_path / "oob.cfg"
    extra.write_text(OUT_OF_BAND)
    inventory_path = tmp_path / "inventory.yml"
    proc = start("--devices", "1", "--extra-config", str(extra), "--inventory-out", str(inventory_path))
    try:
        wait_ready(proc)
        inventory = yaml.safe_load(inventory_path.read_text())
        hosts = inventory["all"]["children"]["network"]["children"]["switches"]["hosts"]
        with netmiko_to(hosts["lab01"], inventory["all"]["vars"]["ccinfra_known_hosts"]) as conn:
            conn.enable()
            running = conn.send_command("show running-config")
    finally:
        returncode, _ = stop(proc, signal.SIGTERM)
    assert line_paths(OUT_OF_BAND) <= line_paths(running)
    assert returncode == 0
    assert Path(extra).read_text() == OUT_OF_BAND  # read, never rewritten


def test_lab_up_extra_config_that_is_not_text_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from ccinfra.cli.main import cli

    bad = tmp_path / "oob.cfg"
    bad.write_bytes(b"username ops secret 9 \xff\xfe\n")
    result = CliRunner().invoke(cli, ["lab", "up", "--devices", "1", "--extra-config", str(bad)])
    assert result.exit_code == 2
    assert "Invalid value for --extra-config: " in result.output and "cannot read it as UTF-8 text" in result.output
    assert "Traceback" not in result.output
