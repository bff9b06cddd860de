"""Real models and real limits: the spec refuses what the hardware or IOS cannot do, in one line naming the field."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ccinfra.cli.main import cli
from ccinfra.errors import SpecError
from ccinfra.sizing.site import size
from ccinfra.spec import parse_spec


def site(network: dict | None = None, phones: dict | None = None) -> dict:
    data: dict = {"name": "lab", "demand": {"agents": 20, "supervisors": {"count": 1}}}
    if network is not None:
        data["network"] = network
    if phones is not None:
        data["phones"] = phones
    return data


def test_a_catalogue_switch_takes_its_ports_uplinks_and_poe_from_the_data_sheet():
    sw = parse_spec(site({"switch": {"model": "C9200L-24P-4G"}})).network.switch
    # Catalyst 9200 data sheet: 24 PoE+ ports, 4 × 1G fixed uplinks, 370 W available PoE
    assert (sw.ports, sw.uplink_gbps, sw.poe_budget_w, sw.uplink_prefix) == (24, 1, 370, "GigabitEthernet1/1/")


@pytest.mark.parametrize("switch, message", [
    ({"model": "C9200L-48P-4X", "ports": 96}, "network.switch: ports: a C9200L-48P-4X has 48, not 96"),
    ({"model": "C9200L-48P-4X", "uplinks": 8}, "network.switch: uplinks: a C9200L-48P-4X has 4, not 8"),
    ({"model": "C9200L-48PL-4X", "poe_budget_w": 740}, "poe_budget_w: a C9200L-48PL-4X has 370, not 740"),
    ({"model": "C9200L-48P-4G", "uplink_gbps": 10}, "uplink_gbps: a C9200L-48P-4G has 1, not 10"),
    ({"model": "WS-C2960X-48FPD-L"}, "ports: 'WS-C2960X-48FPD-L' is not in the switch catalogue, so give its ports"),
])
def test_the_spec_refuses_what_the_switch_model_cannot_do(switch, message):
    with pytest.raises(SpecError, match=message):
        parse_spec(site({"switch": switch}))


def test_an_unknown_switch_model_is_accepted_with_its_own_figures():
    sw = parse_spec(site({"switch": {"model": "LAB-48", "ports": 48, "uplinks": 2, "poe_budget_w": 500}})).network.switch
    assert (sw.ports, sw.uplinks, sw.poe_budget_w) == (48, 2, 500)


@pytest.mark.parametrize("vlan", [1002, 1003, 1004, 1005])
def test_reserved_vlans_are_refused(vlan):
    with pytest.raises(SpecError, match=f"network.vlans: voice: VLANs 1002-1005 are reserved"):
        parse_spec(site({"vlans": {"voice": vlan}}))


def test_the_parking_vlan_is_999_by_default_and_must_differ():
    assert parse_spec(site()).network.vlans.parking == 999
    with pytest.raises(SpecError, match="network.vlans: data, voice, management and parking VLAN ids must all differ"):
        parse_spec(site({"vlans": {"parking": 10}}))


@pytest.mark.parametrize("mac, why", [
    ("ff:ff:ff:ff:ff:ff", "multicast or broadcast"),
    ("01:00:5e:00:00:01", "multicast or broadcast"),  # IPv4 multicast (RFC 1112): I/G bit set
    ("33:33:00:00:00:01", "multicast or broadcast"),  # IPv6 multicast (RFC 2464)
    ("00:00:00:00:00:00", "all-zero"),
])
def test_non_unicast_and_all_zero_macs_are_refused(mac, why):
    with pytest.raises(SpecError, match=f"phones.devices\\[0\\].mac: .*{why}"):
        parse_spec(site(phones={"devices": [{"mac": mac}]}))


def test_a_locally_administered_unicast_mac_is_a_phone_mac():
    assert parse_spec(site(phones={"devices": [{"mac": "02:00:5e:00:00:01"}]})).phones.devices[0].mac == "02005e000001"


@pytest.mark.parametrize("phones, message", [
    ({"vendor": "cisco", "model": "T54W"}, "phones: model: 'T54W' is not a cisco phone model"),
    ({"vendor": "polycom", "model": "CP-8841"}, "phones: model: 'CP-8841' is not a polycom phone model"),
    ({"vendor": "yealink", "model": "VVX450"}, "phones: model: 'VVX450' is not a yealink phone model"),
])
def test_phone_models_belong_to_their_vendor(phones, message):
    with pytest.raises(SpecError, match=message):
        parse_spec(site(phones=phones))


@pytest.mark.parametrize("network, message", [
    ({"voice_subnet": "10.0.10.0/24", "data_subnet": "10.0.10.0/23"},
     "data_subnet: 10.0.10.0/23 overlaps voice_subnet 10.0.10.0/24"),
    ({"management_subnet": "10.0.10.128/25", "data_subnet": "10.0.10.0/23"},
     "management_subnet: 10.0.10.128/25 overlaps data_subnet 10.0.10.0/23"),
])
def test_subnets_must_not_overlap(network, message):
    with pytest.raises(SpecError, match=message):
        parse_spec(site(network))


def test_a_voice_subnet_too_small_for_the_phones_is_refused_when_sizing():
    data = site({"voice_subnet": "10.0.20.0/30"})
    data["demand"] = {"agents": 127, "supervisors": {"count": 0}}
    # 127 phones + the gateway need 128 host addresses; a /30 has 2
    with pytest.raises(SpecError, match=r"network.voice_subnet: 10.0.20.0/30 has 2 host addresses, 128 are needed"):
        size(parse_spec(data))


def test_the_cli_says_one_line_and_exits_1(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text("name: lab\ndemand: {agents: 5}\nnetwork: {vlans: {voice: 1003}}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["size", str(path)])
    assert result.exit_code == 1
    assert "network.vlans: voice: VLANs 1002-1005 are reserved" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
