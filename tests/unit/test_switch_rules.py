"""Voice QoS per vendor and the hardening rules: what reaches the files, and a template losing a rule fails.

Values come from outside the code: DSCP EF = 46 and CS3 = 24 (RFC 4594, Cisco Campus QoS Design),
the ToS byte is DSCP × 4 (RFC 2474: DSCP is the upper six bits), per-call bandwidth by Cisco's
formula written out below.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest

from ccinfra import standards
from ccinfra.errors import RenderError
from ccinfra.render import render_plan
from ccinfra.sizing.site import size
from ccinfra.spec import load_spec, parse_spec

SWITCH_TEMPLATE = Path(str(files("ccinfra.templates") / "switch" / "cisco_ios.cfg.j2"))


def lisbon(**phones: str):
    spec = load_spec(Path(str(files("ccinfra.examples") / "site.yaml")))
    if phones:
        spec.phones = spec.phones.model_copy(update=phones)
    return size(spec)


def texts(plan) -> dict[str, str]:
    return {f.path: f.text for f in render_plan(plan).files}


def section(config: str, header: str) -> list[str]:
    """The lines under ``header`` (one level), as the test reads them."""
    body = config.split(f"\n{header}\n", 1)[1]
    return [line for line in re.split(r"\n(?! )", body, maxsplit=1)[0].splitlines()]


def test_cisco_phones_get_conditional_trust_and_tos_bytes_184_and_96():
    out = texts(lisbon())
    switch = out["switches/lisbon-as01.cfg"]
    seat = section(switch, "interface GigabitEthernet1/0/1")
    assert " trust device cisco-phone" in seat and " service-policy output CC-ACCESS-OUT" in seat
    assert "network-policy profile" not in switch  # CDP tells Cisco phones the voice VLAN
    phone = out["phones/SEP001B54C00001.cnf.xml"]
    assert "<dscpForAudio>184</dscpForAudio>" in phone  # EF 46 × 4
    assert "<dscpForCm2Dvce>96</dscpForCm2Dvce>" in phone  # CS3 24 × 4


def test_yealink_phones_get_an_lldp_med_policy_and_dscp_46_24():
    out = texts(lisbon(vendor="yealink", model="T54W"))
    switch = out["switches/lisbon-as01.cfg"]
    assert section(switch, "network-policy profile 10") == [" voice vlan 20 dscp 46", " voice-signaling vlan 20 dscp 24"]
    seat = section(switch, "interface GigabitEthernet1/0/1")
    assert " network-policy 10" in seat and " trust device cisco-phone" not in seat
    common = out["phones/y000000000096.cfg"].splitlines()
    assert "static.network.qos.audiotos = 46" in common and "static.network.qos.signaltos = 24" in common


def test_polycom_phones_get_an_lldp_med_policy_and_dscp_46_24():
    out = texts(lisbon(vendor="polycom", model="VVX450"))
    assert " network-policy 10" in section(out["switches/lisbon-as01.cfg"], "interface GigabitEthernet1/0/1")
    assert '<qos qos.ip.rtp.dscp="46" qos.ip.callControl.dscp="24"/>' in out["phones/ccinfra-site.cfg"]


def test_every_switch_has_ef_cs3_classes_and_priority_queues_on_every_access_port_and_uplink():
    for path, text in texts(lisbon()).items():
        if not path.startswith("switches/"):
            continue
        assert section(text, "class-map match-any CC-VOICE") == [" match dscp ef"]
        assert section(text, "class-map match-any CC-SIGNALING") == [" match dscp cs3"]
        blocks = re.findall(r"\ninterface (\S+)\n((?: .*\n)*)", text)
        for name, body in blocks:
            if "switchport mode trunk" in body:
                assert " service-policy output CC-UPLINK-OUT\n" in body, name
            elif "shutdown" not in body and name.startswith("GigabitEthernet"):
                assert " service-policy output CC-ACCESS-OUT\n" in body, name


def slow_uplink_site(uplink_gbps: float):
    return parse_spec({
        "name": "qos", "demand": {"agents": 40, "supervisors": {"count": 0}},
        "network": {"switch": {"model": "LAB-24", "ports": 48, "uplinks": 2, "poe_budget_w": 740,
                               "uplink_gbps": uplink_gbps}, "codec": "g711", "ptime_ms": 20, "l2": "dot1q"},
    })


def test_priority_queue_is_sized_from_the_plans_voice_bandwidth_on_one_uplink():
    plan = size(slow_uplink_site(0.1))
    # G.711 20 ms on 802.1Q Ethernet: (160 payload + 40 IP/UDP/RTP + 22 L2) bytes × 8 × 50 pps = 88.8 kbit/s
    assert plan.voip.per_call_kbps == pytest.approx(88.8)
    switch = plan.network.switches[0]
    calls = min(switch.phones, plan.trunks.peak_concurrent_calls)
    # all calls over one 100 Mbit/s uplink (its partner down): calls × 88.8 / 100 000 kbit/s, rounded up
    expected = -(-calls * 888 // 10_000)  # integer ceil of calls × 88.8 / 1000 (in %)
    assert switch.priority_percent_uplink == expected and expected > 1
    assert switch.priority_percent_access == 1  # 88.8 kbit/s of a 1 Gbit/s port rounds up to 1 %
    text = texts(plan)["switches/qos-as01.cfg"]
    assert section(text, "policy-map CC-UPLINK-OUT")[:3] == [
        " class CC-VOICE", "  priority level 1", f"  police rate percent {expected}"]
    check = next(c for c in plan.checks if c.id == "network.qos-as01.voice_uplink")
    assert check.status == "pass" and check.measured.startswith(f"priority {expected} %")


def test_a_priority_queue_over_33_percent_fails_the_plan_and_the_render():
    plan = size(slow_uplink_site(0.01))  # 10 Mbit/s uplinks: 40 calls × 88.8 kbit/s = 35.5 % → 36 %
    check = next(c for c in plan.checks if c.id == "network.qos-as01.voice_uplink")
    assert check.status == "fail" and check.measured.startswith("priority 36 %")
    with pytest.raises(RenderError, match=r"rule qos.priority-queue .*at most 33 %"):
        render_plan(plan)


# rule id → a line of the bundled switch template whose removal breaks exactly that rule
REMOVED = {
    "harden.parking-vlan": " switchport access vlan {{ vlan_ids.parking }}\n",
    "harden.native-vlan": " switchport trunk native vlan {{ vlan_ids.parking }}\n",
    "harden.vlan1-unused": "interface Vlan1\n no ip address\n shutdown\n",
    "harden.port-security": " switchport port-security\n",
    "harden.dhcp-snooping": " ip dhcp snooping trust\n",
    "harden.arp-inspection": "ip arp inspection vlan {{ vlan_ids.data }},{{ vlan_ids.voice }}\n",
    "harden.ip-source-guard": " ip verify source\n",
    "harden.bpdu-guard": " spanning-tree bpduguard enable\n",
    "harden.storm-control": " storm-control broadcast level {{ hardening.storm_percent }}\n",
    "harden.ssh-v2": "ip ssh version 2\n",
    "harden.vty-acl": " access-class CC-MGMT in\n",
    "harden.exec-timeout": " exec-timeout {{ hardening.exec_timeout_min }} 0\n",
    "harden.login-block": "login block-for {{ hardening.login_block_s }} attempts {{ hardening.login_attempts }} "
                          "within {{ hardening.login_within_s }}\n",
    "harden.logging-buffered": "logging buffered {{ hardening.logging_buffer_bytes }}\n",
    "harden.no-http": "no ip http server\n",
    "qos.classes": " match dscp cs3\n",
    "qos.priority-queue": "  priority level 1\n",
    "qos.service-policy": " service-policy output CC-UPLINK-OUT\n",
    "qos.phone-trust": " trust device cisco-phone\n",
}
KEPT = {"harden.vlan1-unused": "interface Vlan1\n no ip address\n"}


def test_every_rule_has_a_removal_test():
    assert set(REMOVED) == set(standards.RULES)
    for rule in standards.RULES.values():
        assert rule.sources and all(s in standards.SOURCES for s in rule.sources), rule.id


def test_the_bundled_template_keeps_every_rule():
    render_plan(lisbon())  # the check passes: the golden files show the same text


@pytest.mark.parametrize("rule_id", sorted(REMOVED))
def test_a_template_without_the_rule_fails_the_build(rule_id, tmp_path):
    template = SWITCH_TEMPLATE.read_text(encoding="utf-8")
    assert REMOVED[rule_id] in template
    (tmp_path / "switch").mkdir()
    (tmp_path / "switch" / "cisco_ios.cfg.j2").write_text(
        template.replace(REMOVED[rule_id], KEPT.get(rule_id, "")), encoding="utf-8")
    with pytest.raises(RenderError) as err:
        render_plan(lisbon(), templates_dir=tmp_path)
    message = str(err.value)
    assert f"rule {rule_id} (" in message, message
    assert message.startswith("check failed, nothing written: lisbon-as01 (switches/lisbon-as01.cfg) line ")


def test_a_c9200l_48p_4x_renders_its_48_ports_and_4_uplinks_and_shuts_the_unused_ones():
    # Catalyst 9200 data sheet: C9200L-48P-4X = 48 × 1G PoE+ downlinks + 4 × 10G SFP+ fixed uplinks
    plan = lisbon()
    switch = plan.network.switches[0]
    assert len(switch.ports) == 48 and switch.uplinks == ["TenGigabitEthernet1/1/1", "TenGigabitEthernet1/1/2"]
    assert switch.unused_uplinks == ["TenGigabitEthernet1/1/3", "TenGigabitEthernet1/1/4"]
    text = texts(plan)["switches/lisbon-as01.cfg"]
    names = set(re.findall(r"^interface (\S+)$", text, re.M))
    assert names == ({f"GigabitEthernet1/0/{n}" for n in range(1, 49)}
                     | {f"TenGigabitEthernet1/1/{n}" for n in range(1, 5)} | {"Vlan1", "Vlan99"})
    for unused in ("TenGigabitEthernet1/1/3", "TenGigabitEthernet1/1/4"):  # the site uses 2 of the 4 uplinks
        assert section(text, f"interface {unused}")[1:] == [
            " switchport access vlan 999", " switchport mode access", " shutdown"]


# management rule → a line of both gateway templates whose removal breaks it
GATEWAY_REMOVED = {
    "harden.ssh-v2": "ip ssh version 2\n",
    "harden.vty-acl": " access-class CC-MGMT in\n",
    "harden.exec-timeout": " exec-timeout {{ hardening.exec_timeout_min }} 0\n",
    "harden.login-block": REMOVED["harden.login-block"],
    "harden.logging-buffered": REMOVED["harden.logging-buffered"],
    "harden.no-http": "no ip http server\n",
}


@pytest.mark.parametrize("template, device", [("cube.cfg.j2", "lisbon-gw01"), ("pri.cfg.j2", "lisbon-gw02")])
@pytest.mark.parametrize("rule_id", sorted(GATEWAY_REMOVED))
def test_a_gateway_template_without_a_management_rule_fails_the_build(template, device, rule_id, tmp_path):
    bundled = Path(str(files("ccinfra.templates") / "gateway" / template)).read_text(encoding="utf-8")
    assert GATEWAY_REMOVED[rule_id] in bundled
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / template).write_text(bundled.replace(GATEWAY_REMOVED[rule_id], ""), encoding="utf-8")
    with pytest.raises(RenderError, match=rf"^check failed, nothing written: {device} \(gateways/{device}.cfg\) "
                                          rf"line \d+: rule {re.escape(rule_id)} \("):
        render_plan(lisbon(), templates_dir=tmp_path)
