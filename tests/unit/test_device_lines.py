"""Lines a real IOS-XE device writes by itself never count as drift and are never negated.

The running configs under tests/fixtures/iosxe/ were captured from real devices (a Catalyst
C9300-24U on IOS-XE 17.15 and an IOS-XE 16.9 router; sources cited in each file). An intended config
that leaves out a device-generated line must still compare as converged with the device; one that
leaves out a line somebody configured must not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ccinfra.lab.factory import router_factory_config, switch_factory_config
from ccinfra.push.compare import converged, remediation_lines
from ccinfra.render import load_source, render_plan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "iosxe"
C9300 = (FIXTURES / "c9300-24u_iosxe-17.15_running.txt").read_text(encoding="utf-8")
IOSXE_169 = (FIXTURES / "csr1000v_iosxe-16.9_running.txt").read_text(encoding="utf-8")


def without(config: str, *lines: str) -> str:
    """``config`` with the given lines (exact text, indentation included) and their sections removed."""
    out, skipping = [], False
    for line in config.splitlines():
        if line in lines:
            skipping = not line.startswith(" ")
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("config, device_lines", [
    (C9300, ["version 17.15", "switch 1 provision c9300-24u", "license boot level network-advantage addon dna-advantage",
             "memory free low-watermark processor 105485", "diagnostic bootup level minimal",
             "spanning-tree extend system-id", "redundancy", "transceiver type all", "login on-success log",
             "vrf definition Mgmt-vrf", "interface GigabitEthernet0/0", "aaa session-id common",
             "crypto pki trustpoint TP-self-signed-4016338086", "crypto pki trustpoint SLA-TrustPoint",
             "interface GigabitEthernet1/0/9", "interface AppGigabitEthernet1/0/1", "interface TwentyFiveGigE1/1/2",
             "ip forward-protocol nd", "ip ssh bulk-mode 131072", "control-plane"]),
    (IOSXE_169, ["version 16.9", "boot-start-marker", "boot-end-marker", "platform console serial",
                 "no platform punt-keepalive disable-kernel-core", "diagnostic bootup level minimal",
                 "spanning-tree extend system-id", " stopbits 1", " no mop enabled", " negotiation auto",
                 "no aaa new-model"]),
])
def test_an_intended_config_without_the_device_lines_converges_with_the_device(config, device_lines):
    for line in device_lines:
        assert line in config.splitlines(), line  # the captured device really shows it
        intended = without(config, line)
        assert converged(config, intended), line
        assert not any(line.strip() in sent for sent in remediation_lines(config, intended)), line


@pytest.mark.parametrize("config, configured", [
    (C9300, "hostname FW-9300-7"),
    (C9300, "ip http server"),
    (C9300, " transport input all"),
    (IOSXE_169, " exec-timeout 0 0"),
    (IOSXE_169, "lldp run"),
])
def test_a_line_somebody_configured_still_counts(config, configured):
    assert not converged(config, without(config, configured))


def test_a_real_device_never_gets_no_version_or_aaa_turned_on():
    build = render_plan(load_source(str(Path(__file__).resolve().parents[2] / "examples" / "site.yaml")))
    for f in build.files:
        if f.kind != "ios":
            continue
        factory = switch_factory_config(f.device) if f.role == "switch" else router_factory_config(f.device)
        sent = remediation_lines(factory, f.text)
        for bad in ("no version", "no boot-start-marker", "no switch 1 provision", "aaa new-model",
                    "no interface GigabitEthernet0/0/1", "no line aux 0", "no redundancy", "no control-plane"):
            assert not any(s.strip().startswith(bad) for s in sent), (f.device, bad)
        assert "  no stopbits 1" not in sent
