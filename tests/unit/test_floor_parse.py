"""Parsing of real captured switch output (tests/fixtures/floor/SOURCES.md) with ntc-templates.

Every expected value below was read off the capture files by a person, not produced by the code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ccinfra.floor.parse import (
    long_interface, parse_cdp, parse_interfaces_status, parse_lldp, parse_mac_table, parse_power_inline,
)
from ccinfra.floor.untrusted import mac_from_device_id, model_key, neighbor_text, normal_mac

FIXTURES = Path(__file__).parents[1] / "fixtures" / "floor"


def read(name: str) -> str:
    return (FIXTURES / name).read_text()


def test_cdp_detail_of_a_real_iosxe_switch_with_a_phone_and_aps():
    entries, refused = parse_cdp(read("cdp_neighbors_detail_iosxe_phone.raw"))
    assert refused == []
    assert [e.local_interface for e in entries] == [
        "GigabitEthernet1/0/41", "TenGigabitEthernet1/0/41", "GigabitEthernet1/0/11", "GigabitEthernet1/0/5"]
    phone = entries[-1]
    assert (phone.device_id, phone.platform, phone.capabilities) == ("SEP9CAAEFA930D7", "Poly VVX D230", "Host Phone")
    # fields the ntc-templates template has no value for, parsed on their own
    assert phone.power_w == 6.5 and phone.peer_mac == "9caa.efa9.30d7"
    assert entries[0].power_w == 15.383 and entries[0].address == "10.12.218.109"
    assert entries[2].power_w is None and entries[2].platform == "Linux"
    assert mac_from_device_id(phone.device_id) == normal_mac(phone.peer_mac) == "9caaefa930d7"


def test_lldp_med_detail_of_a_real_cisco_phone():
    (entry,), refused = parse_lldp(read("lldp_neighbors_detail_cisco_phone.raw"))
    assert refused == []
    assert entry.local_interface == "GigabitEthernet0/1/7"
    assert (entry.chassis_id, entry.system_name, entry.model) == ("10.10.0.1", "SEPC8F9F9D61BC2", "CP-7962G")
    assert entry.port_id == "C8F9F9D61BC2:P1" and entry.serial == "FCH1610A5S5"
    assert entry.voice_vlan == 10  # "Network Policy(Voice): VLAN 10, tagged"
    assert model_key(entry.model) == model_key("Cisco IP Phone 7962G") == "7962g"


def test_mac_address_table_catalyst_layout():
    entries = parse_mac_table(read("mac_address_table_cat.raw"))
    assert len(entries) == 11  # "Total Mac Addresses for this criterion: 11"
    on_ports = [(e.vlan, e.mac, e.interface) for e in entries if e.interface.startswith("Gig")]
    assert on_ports[0] == ("2", "c869.cd54.1f71", "GigabitEthernet1/0/7")
    assert [e.interface for e in entries].count("GigabitEthernet1/0/41") == 2  # two MACs on Gi1/0/41


def test_power_inline_iosxe17_ports_and_module_totals():
    ports, modules = parse_power_inline(read("power_inline_iosxe17.raw"))
    assert len(ports) == 10
    phone = next(p for p in ports if p.device == "IP Phone 7940")
    assert (phone.oper, phone.power_w, phone.poe_class) == ("on", 6.3, "n/a")
    assert [(m.module, m.available_w, m.used_w) for m in modules] == [("1", 1021.0, 119.1), ("2", 1099.0, 193.5)]
    assert round(sum(p.power_w for p in ports if p.interface.endswith(("1/0/1", "1/0/6", "1/0/7", "1/0/8",
                                                                       "1/0/35", "1/0/48"))), 1) == 74.2


def test_interfaces_status_states():
    rows = {r.interface: r for r in parse_interfaces_status(read("interfaces_status.raw"))}
    assert rows["GigabitEthernet1/0/2"].status == "connected" and rows["GigabitEthernet1/0/2"].vlan == "8"
    assert rows["GigabitEthernet1/0/16"].status == "err-disabled"
    assert rows["GigabitEthernet1/0/17"].status == "disabled"
    assert rows["GigabitEthernet1/0/1"].status == "notconnect" and rows["GigabitEthernet1/0/1"].vlan == "1"
    assert rows["Port-channel1"].vlan == "trunk"


@pytest.mark.parametrize("text", [
    "SEP00AA11BB22CC\nusername x privilege 15", "=HYPERLINK(1)", "../x", "a;reload", "x" * 81, "", "tab\there",
    "quote\"d", "$(reboot)",
])
def test_untrusted_text_is_refused(text):
    assert neighbor_text(text) is None
    assert mac_from_device_id(text) is None


def test_short_and_long_interface_names():
    assert long_interface("Gi1/0/5") == "GigabitEthernet1/0/5"
    assert long_interface("Te1/1/2") == "TenGigabitEthernet1/1/2"


def test_lldp_record_repeating_a_cdp_phone_is_not_parsed_again():
    text = read("lldp_neighbors_detail_cisco_phone.raw")
    assert len(parse_lldp(text, frozenset({("GigabitEthernet0/1/7", "SEPC8F9F9D61BC2")}))[0]) == 0
    # another port, or another name on that port: parsed
    assert len(parse_lldp(text, frozenset({("GigabitEthernet0/1/8", "SEPC8F9F9D61BC2")}))[0]) == 1
    assert len(parse_lldp(text, frozenset({("GigabitEthernet0/1/7", "SEPC8F9F9D61BC3")}))[0]) == 1
    hostile = text.replace("System Name: SEPC8F9F9D61BC2", "System Name: SEPC8F9F9D61BC2\nusername x privilege 15")
    entries, refused = parse_lldp(hostile)
    assert entries == [] and refused[0].local_interface == "GigabitEthernet0/1/7"
