"""Each invariant check, shown to catch a deliberately broken file: the error names device, path and line."""

from __future__ import annotations

import dataclasses
import re

import pytest

from ccinfra.errors import RenderError
from ccinfra.render import check_build, load_source, render_plan
from ccinfra.render.checks import RenderedFile
from ccinfra.sizing.site import size
from ccinfra.spec import load_spec


@pytest.fixture(scope="module")
def files():
    from importlib.resources import files as resources

    return {f.path: f for f in render_plan(load_source(str(resources("ccinfra.examples") / "site.yaml"))).files}


def vendor_files(vendor: str, model: str) -> dict[str, RenderedFile]:
    from importlib.resources import files as resources

    spec = load_spec(str(resources("ccinfra.examples") / "site.yaml"))
    spec.phones = spec.phones.model_copy(update={"vendor": vendor, "model": model})  # the pair is checked together
    return {f.path: f for f in render_plan(size(spec)).files}


def edit(f: RenderedFile, old: str, new: str, count: int = 1) -> RenderedFile:
    assert old in f.text, f"{old!r} not in {f.path}"
    return dataclasses.replace(f, text=f.text.replace(old, new, count))


def line_number(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def fails(files: list[RenderedFile], pattern: str) -> str:
    with pytest.raises(RenderError) as err:
        check_build(files)
    message = str(err.value)
    assert re.search(pattern, message), message
    assert "\n" not in message
    return message


SWITCH = "switches/lisbon-as01.cfg"


def test_the_example_build_passes(files):
    check_build(list(files.values()))


def test_seat_port_without_voice_vlan(files):
    f = files[SWITCH]
    broken = edit(f, " switchport voice vlan 20\n", "")
    at = line_number(f.text, "interface GigabitEthernet1/0/1\n")
    fails([broken], rf"lisbon-as01 \(switches/lisbon-as01.cfg\) line {at}: seat port S01 lacks 'switchport voice vlan 20'")


def test_seat_port_with_wrong_access_vlan(files):
    broken = edit(files[SWITCH], " switchport access vlan 10\n", " switchport access vlan 99\n")
    fails([broken], r"seat port S01 lacks 'switchport access vlan 10'")


def test_vlan_used_but_not_defined(files):
    f = files[SWITCH]
    broken = edit(f, "vlan 20\n name VOICE\n", "")
    at = line_number(broken.text, " switchport voice vlan 20")
    fails([broken], rf"line {at}: voice VLAN 20 is not defined \(no 'vlan 20'\)")


def test_trunk_allowed_list_must_match_the_site_vlans(files):
    f = files[SWITCH]
    broken = edit(f, "switchport trunk allowed vlan 10,20,99", "switchport trunk allowed vlan 10,20")
    at = line_number(broken.text, "switchport trunk allowed vlan 10,20\n")
    fails([broken], rf"line {at}: trunk allows VLANs \[10, 20\], the site has \[10, 20, 99\]")


def test_trunk_without_allowed_list(files):
    broken = edit(files[SWITCH], " switchport trunk allowed vlan 10,20,99\n", "")
    fails([broken], r"trunk without 'switchport trunk allowed vlan' carries every VLAN")


def test_uplink_must_be_a_trunk(files):
    broken = edit(files[SWITCH], " switchport mode trunk\n", " switchport mode access\n")
    fails([broken], r"uplink TenGigabitEthernet1/1/1 is not a trunk")


def test_duplicate_management_ip_across_the_build(files):
    first, second = files[SWITCH], files["switches/lisbon-as02.cfg"]
    broken = edit(second, "ip address 10.20.99.12 ", "ip address 10.20.99.11 ")
    at = line_number(broken.text, "ip address 10.20.99.11")
    fails([first, broken], rf"lisbon-as02 \(switches/lisbon-as02.cfg\) line {at}: management IP 10.20.99.11 is also "
                           r"used by lisbon-as01")


def test_duplicate_extension_across_phones(files):
    one, two = files["phones/SEP001B54C00001.cnf.xml"], files["phones/SEP001B54C00002.cnf.xml"]
    broken = edit(two, "<name>2002</name>", "<name>2001</name>")
    fails([one, broken], r"001b54c00002 \(phones/SEP001B54C00002.cnf.xml\) line \d+: extension 2001 is also used by "
                         r"001b54c00001")


def test_duplicate_mac_across_phones(files):
    one, two = files["phones/SEP001B54C00001.cnf.xml"], files["phones/SEP001B54C00002.cnf.xml"]
    clone = dataclasses.replace(two, path="phones/SEP001B54C00002-copy.cnf.xml",
                                context={**two.context, "mac": one.context["mac"]})
    fails([one, clone], r"MAC 001b54c00001 is also used by 001b54c00001")


def test_two_files_on_one_path(files):
    f = files[SWITCH]
    fails([f, dataclasses.replace(f, device="other")], r"path switches/lisbon-as01.cfg is also used by lisbon-as01")


def test_phone_xml_must_be_well_formed(files):
    f = files["phones/SEP001B54C00001.cnf.xml"]
    broken = edit(f, "<displayName>Seat S01</displayName>", "<displayName>Seat S01</display>")
    at = line_number(f.text, "<displayName>")
    fails([broken], rf"001b54c00001 \(phones/SEP001B54C00001.cnf.xml\) line {at}: not well-formed XML")


def test_phone_xml_must_not_carry_a_password(files):
    f = files["phones/SEP001B54C00001.cnf.xml"]
    broken = edit(f, "<authName>2001</authName>", "<authName>2001</authName><authPassword>s3cret</authPassword>")
    fails([broken], r"authPassword carries a credential")


def test_yealink_files_are_key_value_lines_after_the_version_header():
    yealink = vendor_files("yealink", "T54W")
    f = yealink["phones/001b54c00001.cfg"]
    fails([edit(f, "#!version:1.0.0.1\n", "")], r"line 1: a Yealink file must start with '#!version:1.0.0.1'")
    broken = edit(f, "account.1.enable = 1", "account.1.enable: 1")
    fails([broken], rf"line {line_number(f.text, 'account.1.enable')}: not a 'key = value' line")
    fails([edit(f, "account.1.auth_name = 2001", "account.1.password = 1234")], r"account.1.password carries a credential")


def test_polycom_files_are_xml_with_one_registration():
    polycom = vendor_files("polycom", "VVX450")
    phone = polycom["phones/001b54c00001-phone.cfg"]
    fails([edit(phone, "<polycomConfig>", "<polycomConfig")], r"not well-formed XML")
    other = polycom["phones/001b54c00002-phone.cfg"]
    fails([phone, edit(other, 'reg.1.address="2002"', 'reg.1.address="2001"')], r"extension 2001 is also used")
    fails([edit(phone, 'reg.1.auth.userId="2001"', 'reg.1.auth.password="x"')], r"reg.1.auth.password carries a credential")


@pytest.mark.parametrize("line", [
    "enable password cisco", "username admin privilege 15 password 0 cisco", "snmp-server community public RO",
    "enable secret 9 $9$abc",
])
def test_ios_config_must_not_carry_credentials(files, line):
    broken = edit(files[SWITCH], "hostname lisbon-as01\n", f"hostname lisbon-as01\n{line}\n")
    fails([broken], rf"line 7: carries a credential \('{line.split()[0]} \.\.\.'\)")


def test_control_character_in_a_file(files):
    broken = edit(files[SWITCH], "hostname lisbon-as01", "hostname lisbon-as01\x1b[2J")
    fails([broken], r"line 6: control character '\\x1b'")


def test_repeated_section(files):
    f = files[SWITCH]
    broken = edit(f, "interface Vlan1\n", "interface GigabitEthernet1/0/1\n shutdown\n!\ninterface Vlan1\n")
    at = line_number(broken.text, "interface GigabitEthernet1/0/1\n shutdown")
    fails([broken], rf"line {at}: 'interface GigabitEthernet1/0/1' appears twice")


CUBE, PRI = "gateways/lisbon-gw01.cfg", "gateways/lisbon-gw02.cfg"


def test_cube_needs_border_element_mode(files):
    fails([edit(files[CUBE], " mode border-element license capacity 86\n", "")],
          r"lisbon-gw01 \(gateways/lisbon-gw01.cfg\) line \d+: CUBE lacks 'mode border-element'")


def test_dial_peer_references_must_resolve(files):
    f = files[CUBE]
    fails([edit(f, "voice class codec 1\n", "voice class codec 2\n")],
          r"'voice-class codec 1' refers to 'voice class codec 1', which is not defined")
    fails([edit(f, "voice class uri 100 sip", "voice class uri 101 sip")],
          r"'incoming uri via 100' refers to 'voice class uri 100 sip'")
    fails([edit(f, " dial-peer 201\n", " dial-peer 202\n")], r"dial-peer group lists dial-peer 202, which is not defined")


def test_pri_spans_controllers_and_d_channels(files):
    f = files[PRI]
    at = line_number(f.text, "\ncontroller E1 0/1/0") + 1
    fails([edit(f, " pri-group timeslots 1-31\n", " pri-group timeslots 1-15\n", 2)],
          rf"lisbon-gw02 \(gateways/lisbon-gw02.cfg\) line {at}: controller E1 0/1/0 lacks 'pri-group timeslots 1-31' "
          r"\(and 1 more\)")
    fails([edit(f, "controller E1 0/1/2\n", "controller E1 0/2/2\n")], r"controller E1 0/1/2 lacks")
    fails([edit(f, " isdn switch-type primary-net5\n", " isdn switch-type primary-ni\n")],
          r"interface Serial0/1/0:15 lacks 'isdn switch-type primary-net5'")
    fails([edit(f, " member CALL-CONTROL\n", " member OPERATOR\n")],
          r"COR list member OPERATOR is not a 'dial-peer cor custom' name")
