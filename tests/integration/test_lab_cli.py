"""``ccinfra lab up`` as a real subprocess: ready line, inventory, known_hosts, netmiko, signals."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from netmiko import ConnectHandler

pytestmark = pytest.mark.integration

CCINFRA = Path(sys.executable).with_name("ccinfra")
PASSWORD = "Pw-3f9a-lab-cli"  # distinctive, so the test can check it is never printed


def env() -> dict[str, str]:
    return dict(os.environ, CCINFRA_USERNAME="ops", CCINFRA_PASSWORD=PASSWORD, CCINFRA_SECRET="En-77")


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(CCINFRA), "lab", "up", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env())


def wait_ready(proc: subprocess.Popen[str], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        if ready:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if line == "ready\n":
                return
            if not line:
                break
    proc.kill()
    raise AssertionError(f"no ready line; stderr: {proc.stderr.read()}")  # type: ignore[union-attr]


def stop(proc: subprocess.Popen[str], signum: int) -> tuple[int, str]:
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=30)
    return proc.returncode, stderr


def netmiko_to(host_vars: dict, known_hosts: str, secret: str = "En-77") -> ConnectHandler:
    return ConnectHandler(device_type="cisco_ios", host=host_vars["ansible_host"], port=host_vars["ansible_port"],
                          username="ops", password=PASSWORD, secret=secret, ssh_strict=True,
                          system_host_keys=False, alt_host_keys=True, alt_key_file=known_hosts)


def test_devices_up_inventory_netmiko_and_sigint(tmp_path):
    inventory_path = tmp_path / "lab" / "inventory.yml"
    proc = start("--devices", "2", "--inventory-out", str(inventory_path))
    try:
        wait_ready(proc)
        inventory = yaml.safe_load(inventory_path.read_text())
        known_hosts = inventory["all"]["vars"]["ccinfra_known_hosts"]
        # the lab's own file beside its inventory, never a plain known_hosts a person may keep there
        assert known_hosts == str(tmp_path / "lab" / "inventory.yml.known_hosts")
        network = inventory["all"]["children"]["network"]
        assert network["vars"]["ansible_network_os"] == "cisco.ios.ios"
        hosts = network["children"]["switches"]["hosts"]
        assert list(hosts) == ["lab01", "lab02"]
        assert network["children"]["gateways"]["hosts"] == {}
        assert inventory["all"]["children"]["provisioning"] == {"hosts": {}}
        lines = [line for line in Path(known_hosts).read_text().splitlines() if not line.startswith("#")]
        assert [line.split()[0] for line in lines] == [f"[127.0.0.1]:{hosts[n]['ansible_port']}" for n in hosts]
        with netmiko_to(hosts["lab02"], known_hosts) as conn:
            conn.enable()
            assert conn.send_command("show privilege") == "Current privilege level is 15"
            assert conn.find_prompt() == "lab02#"
    finally:
        returncode, stderr = stop(proc, signal.SIGINT)
    assert returncode == 0
    assert "lab02" in stderr and PASSWORD not in stderr and PASSWORD not in inventory_path.read_text()


def test_from_build_one_twin_per_switch_and_gateway_and_sigterm(tmp_path):
    build = tmp_path / "build"
    (build / "switches").mkdir(parents=True)
    (build / "switches" / "cc-as01.cfg").write_text("hostname cc-as01\n")
    manifest = {"devices": [
        {"device": "cc-as01", "role": "switch", "platform": "cisco_ios", "path": "switches/cc-as01.cfg", "sha256": "x"},
        {"device": "cc-gw01", "role": "gateway", "platform": "cisco_ios", "path": "gateways/cc-gw01.cfg", "sha256": "y"},
        {"device": "SEP001122334455", "role": "phone", "platform": "cisco_phone", "path": "phones/SEP001122334455.cnf.xml", "sha256": "z"},
    ]}
    (build / "manifest.json").write_text(json.dumps(manifest))
    inventory_path = tmp_path / "inv.yml"
    known_hosts = tmp_path / "keys" / "lab_known_hosts"
    proc = start("--from", str(build), "--inventory-out", str(inventory_path), "--known-hosts-out", str(known_hosts))
    try:
        wait_ready(proc)
        network = yaml.safe_load(inventory_path.read_text())["all"]["children"]["network"]["children"]
        switch = network["switches"]["hosts"]["cc-as01"]
        gateway = network["gateways"]["hosts"]["cc-gw01"]
        assert switch["ccinfra_config"] == str(build / "switches" / "cc-as01.cfg")
        assert gateway["ccinfra_config"] == str(build / "gateways" / "cc-gw01.cfg")
        with netmiko_to(gateway, str(known_hosts)) as conn:
            conn.enable()
            assert "Cisco IOS XE Software" in conn.send_command("show version")
            # A fresh twin: hostname and skeleton only, nothing of the rendered file.
            assert conn.send_command("show running-config | include ^hostname") == "hostname cc-gw01"
    finally:
        returncode, _ = stop(proc, signal.SIGTERM)
    assert returncode == 0


def test_port_in_use_is_one_error_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([str(CCINFRA), "lab", "up", "--devices", "1", "--port", str(port)],
                                capture_output=True, text=True, env=env(), timeout=30)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"Error: device lab01: cannot bind 127.0.0.1:{port} (Address already in use); "
        "pick another --port or stop what uses it"
    ]


def test_missing_manifest_is_one_error_line(tmp_path):
    result = subprocess.run([str(CCINFRA), "lab", "up", "--from", str(tmp_path)],
                            capture_output=True, text=True, env=env(), timeout=30)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"Error: {tmp_path}/manifest.json: no such file; "
                                     f"run 'ccinfra render SITE.yaml -o {tmp_path}' first")
