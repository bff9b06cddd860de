"""The lab's configuration tree: parse, add, replace, ``no``, banners and render order.

Expected texts are written out by hand in IOS's ``show running-config`` shape: ``!`` around
sections, children indented one space, ``end`` last.
"""

from __future__ import annotations

import pytest

from ccinfra.lab.config_tree import BannerCollector, ConfigTree, starts_with_words
from ccinfra.lab.grammar import (
    expand_interface_range,
    is_global_only,
    nested_section_mode,
    normalize_line,
    owner_depth,
    setting_key,
    top_section_mode,
    vty_blocks,
)
from ccinfra.lab.modes import prompt_of

INITIAL = """\
Building configuration...

Current configuration : 999 bytes
!
version 15.2
hostname sw1
!
interface GigabitEthernet1/0/1
 description old
 switchport access vlan 10
!
line vty 0 4
 login local
!
end
"""


def test_parse_ignores_device_chrome_and_renders_sections_with_bangs():
    assert ConfigTree.parse(INITIAL).render() == (
        "!\nversion 15.2\nhostname sw1\n!\ninterface GigabitEthernet1/0/1\n description old\n"
        " switchport access vlan 10\n!\nline vty 0 4\n login local\n!\nend\n"
    )


def test_parse_merges_a_section_written_twice_and_normalizes_interface_names():
    tree = ConfigTree.parse("interface gi1/0/1\n speed 100\n!\ninterface GigabitEthernet1/0/1\n duplex full\n")
    assert tree.render() == "!\ninterface GigabitEthernet1/0/1\n speed 100\n duplex full\n!\nend\n"


def test_settings_replace_in_place_and_additive_lines_append():
    tree = ConfigTree.parse(INITIAL)
    port = tree.root.open("interface GigabitEthernet1/0/1")
    port.set("switchport access vlan 20")
    port.set("description new text")
    port.set("ip helper-address 10.0.0.5")
    port.set("ip helper-address 10.0.0.6")
    port.set("ip helper-address 10.0.0.6")  # the same line twice is stored once
    tree.root.set("hostname sw2")
    assert [c.text for c in port.children] == [
        "description new text", "switchport access vlan 20", "ip helper-address 10.0.0.5", "ip helper-address 10.0.0.6",
    ]
    assert tree.root.children[1].text == "hostname sw2"
    assert tree.hostname("Switch") == "sw2"


def test_primary_address_replaces_but_secondary_adds():
    tree = ConfigTree()
    svi = tree.root.open("interface Vlan10")
    svi.set("ip address 10.0.0.1 255.255.255.0")
    svi.set("ip address 10.0.1.1 255.255.255.0 secondary")
    svi.set("ip address 10.0.0.2 255.255.255.0")
    assert [c.text for c in svi.children] == ["ip address 10.0.0.2 255.255.255.0", "ip address 10.0.1.1 255.255.255.0 secondary"]


def test_no_removes_lines_and_whole_sections_by_word_prefix():
    tree = ConfigTree.parse("vlan 10\n name A\nvlan 100\n name B\nntp server 10.0.0.1 prefer\nntp server 10.0.0.2\n")
    tree.root.negate("vlan 10")
    tree.root.negate("ntp server 10.0.0.1")
    tree.root.negate("logging host 10.9.9.9")  # absent: nothing happens, as on IOS
    assert tree.render() == "!\nvlan 100\n name B\n!\nntp server 10.0.0.2\n!\nend\n"


def test_no_of_a_setting_keyword_removes_its_value():
    tree = ConfigTree.parse("interface Gi1/0/2\n description x\n shutdown\n")
    port = tree.root.open("interface GigabitEthernet1/0/2")
    port.negate("description")
    port.negate("shutdown")
    assert port.children == []


def test_default_on_features_show_their_negation_and_come_back():
    tree = ConfigTree.parse("hostname r1\n")
    tree.root.negate("ip http server")
    tree.root.negate("ip http server")
    assert tree.render() == "!\nhostname r1\nno ip http server\n!\nend\n"
    tree.root.set("ip http server")  # back to the default: IOS shows nothing
    assert tree.render() == "!\nhostname r1\n!\nend\n"


def test_no_ip_address_is_shown_like_ios():
    tree = ConfigTree.parse("interface Vlan1\n ip address 10.0.0.1 255.255.255.0\n")
    svi = tree.root.open("interface Vlan1")
    svi.negate("ip address")
    assert [c.text for c in svi.children] == ["no ip address"]
    svi.set("ip address 10.0.0.9 255.255.255.0")
    assert [c.text for c in svi.children] == ["ip address 10.0.0.9 255.255.255.0"]


def test_render_keeps_first_insertion_order_and_new_sections_go_last():
    tree = ConfigTree.parse("hostname a\n!\nvlan 20\n!\nline vty 0 4\n")
    tree.root.open("vlan 10").set("name DATA")
    tree.root.open("vlan 20").set("name VOICE")
    tree.root.set("ip domain name cc.example")
    assert tree.render() == (
        "!\nhostname a\n!\nvlan 20\n name VOICE\n!\nline vty 0 4\n!\nvlan 10\n name DATA\n!\n"
        "ip domain name cc.example\n!\nend\n"
    )


def test_nested_sections_render_two_levels_deep():
    tree = ConfigTree()
    pmap = tree.root.open("policy-map EDGE")
    pmap.open("class VOICE").set("priority percent 33")
    pmap.open("class class-default").set("fair-queue")
    assert tree.render() == (
        "!\npolicy-map EDGE\n class VOICE\n  priority percent 33\n class class-default\n  fair-queue\n!\nend\n"
    )


def test_banner_parse_and_render_with_caret_c():
    text = "hostname a\nbanner motd ^C\nAuthorised use only\nLine two\n^C\n!\nend\n"
    tree = ConfigTree.parse(text)
    assert tree.render() == "!\nhostname a\n!\nbanner motd ^C\nAuthorised use only\nLine two\n^C\n!\nend\n"
    tree.root.set_banner("motd", ["Replaced"])
    assert tree.render() == "!\nhostname a\n!\nbanner motd ^C\nReplaced\n^C\n!\nend\n"
    tree.root.negate("banner motd")
    assert tree.render() == "!\nhostname a\n!\nend\n"


@pytest.mark.parametrize(
    "first, more, lines",
    [
        ("#one line#", [], ["one line"]),
        ("#", ["first", "", "last#"], ["first", "", "last"]),
        ("^C", ["text", "^C"], ["text"]),
        ("@ start", ["end here@ ignored"], [" start", "end here"]),
    ],
)
def test_banner_collector(first, more, lines):
    collector = BannerCollector(first)
    for line in more:
        assert not collector.done
        collector.feed(line)
    assert collector.done and collector.lines == lines


IF = ("config", "config-if")


@pytest.mark.parametrize(
    "sent, modes, received",
    [
        ("  int gi1/0/1", ("config",), "interface GigabitEthernet1/0/1"),
        ("interface vlan 20", ("config",), "interface Vlan20"),
        ("interface Port-channel1", ("config",), "interface Port-channel1"),
        ("interface te1/1/1", ("config",), "interface TenGigabitEthernet1/1/1"),
        ("no int fa0/1", ("config",), "no interface FastEthernet0/1"),
        ("int gi1/0/2", IF, "interface GigabitEthernet1/0/2"),  # not an interface keyword: global's
        ("desc  agent  seat", IF, "description agent  seat"),
        ("no shut", IF, "no shutdown"),
        ("desc x", ("config",), "desc x"),  # no global command starts "desc"
        ("s", IF, "s"),  # too short: left as typed
        ("sw mode access", IF, "switchport mode access"),
        ("sp 100", IF, "sp 100"),  # speed or spanning-tree: ambiguous, left as typed
        ("ip address 10.0.0.1 255.255.255.0", IF, "ip address 10.0.0.1 255.255.255.0"),
        ("host sw2", ("config",), "hostname sw2"),
        # In a voice class uri "host" is a whole keyword, never "hostname" (IOS-XE CUBE guide).
        ("host ipv4:192.0.2.10", ("config", "config-voice-uri-class"), "host ipv4:192.0.2.10"),
    ],
)
def test_normalize_line(sent, modes, received):
    assert normalize_line(sent, modes) == received


@pytest.mark.parametrize(
    "sent, received",
    [
        # (line, the sub-mode name in IOS's prompt)
        ("interface GigabitEthernet1/0/1", "config-if"),
        ("interface range Gi1/0/1 - 4", "config-if-range"),
        ("vlan 10", "config-vlan"),
        ("vlan 10,20", "config-vlan"),
        ("vlan internal allocation policy ascending", None),
        ("line vty 0 4", "config-line"),
        ("router ospf 1", "config-router"),
        ("ip access-list extended VOICE", "config-ext-nacl"),
        ("ip access-list standard 10", "config-std-nacl"),
        ("voice service voip", "conf-voi-serv"),
        ("dial-peer voice 100 pots", "config-dial-peer"),
        ("sip-ua", "config-sip-ua"),
        ("controller E1 0/1/0", "config-controller"),
        ("controller T1 0/1/0", "config-controller"),
        ("voice class codec 1", "config-class"),
        ("voice class dpg 101", "config-class"),
        ("voice class uri 100 sip", "config-voice-uri-class"),
        ("dial-peer cor custom", "config-dp-cor"),
        ("dial-peer cor list TO-PSTN", "config-dp-corlist"),
        ("voice-port 0/1/0:15", "config-voiceport"),
        ("trunk group PSTN", "config-trunk-group"),
        ("policy-map EDGE", "config-pmap"),
        ("class-map match-any VOICE", "config-cmap"),
        ("aaa group server radius RAD", "config-sg-radius"),
        ("interface", None),  # incomplete, not a section
        ("hostname sw1", None),
    ],
)
def test_top_section_modes(sent, received):
    mode = top_section_mode(sent)
    assert (None if mode is None else prompt_of(mode)) == received


def test_nested_section_modes():
    assert nested_section_mode("config-pmap", "class VOICE") == "config-pmap-c"
    assert nested_section_mode("conf-voi-serv", "sip") == "conf-serv-sip"
    assert nested_section_mode("conf-voi-serv", "ip address trusted list") == "cfg-iptrust-list"
    assert nested_section_mode("conf-voi-serv", "ip address trusted authenticate") is None
    assert nested_section_mode("config-router", "address-family ipv4 unicast") == "config-router-af"
    assert nested_section_mode("config-if", "class VOICE") is None


@pytest.mark.parametrize(
    "line, global_only",
    [
        ("hostname sw2", True),
        ("vlan 30", True),
        ("no vlan 30", True),
        ("interface Gi1/0/2", True),
        ("ip domain name cc.example", True),
        ("spanning-tree portfast default", True),
        ("mls qos", True),
        ("service timestamps log datetime msec", True),
        ("description uplink", False),
        ("spanning-tree portfast", False),
        ("mls qos trust dscp", False),
        ("ip dhcp snooping trust", False),
        ("service-policy input EDGE", False),
        ("clock source line primary", False),  # controller E1/T1 command
        ("logging synchronous", False),  # line vty command
        ("crypto map VPN", False),  # interface command
    ],
)
def test_global_only_lines_leave_sub_modes(line, global_only):
    assert is_global_only(line) is global_only


@pytest.mark.parametrize(
    "mode, line, key",
    [
        ("config", "hostname sw1", "hostname"),
        ("config-if", "switchport access vlan 10", "switchport access vlan"),
        ("config-if", "switchport voice vlan 20", "switchport voice vlan"),
        ("config-if", "switchport mode trunk", "switchport mode"),
        ("config-if", "ip address dhcp", "ip address"),
        ("config", "username ops privilege 15 secret 9 x", "username ops"),
        ("config-line", "login local", "login"),
        ("config-if", "ip helper-address 10.0.0.5", None),
        ("config-if", "ip address 10.0.0.1 255.255.255.0 secondary", None),
        ("config", "ntp server 10.0.0.1", None),
        # Keyed by their first N words: one value per preference number, per header, per direction.
        ("config-class", "codec preference 1 g711alaw", "codec preference 1"),
        ("config-dial-peer", "voice-class sip options-keepalive", "voice-class sip options-keepalive"),
        ("config-dial-peer", "corlist incoming FROM-PSTN", "corlist incoming"),
        ("config-dial-peer", "incoming uri via 100", "incoming uri via"),
        ("config-sip-ua", "retry invite 2", "retry invite"),
        ("conf-serv-sip", "bind media source-interface Gi0/0/0", "bind media"),
        ("config-controller-e1", "clock source line primary", "clock source"),
        ("config", "network-clock input-source 1 controller E1 0/1/0", "network-clock input-source 1"),
        # Lists: every line adds one (COR names and members, trusted addresses).
        ("config-dp-cor", "name PSTN", None),
        ("config-dp-corlist", "member PSTN", None),
        ("cfg-iptrust-list", "ipv4 192.0.2.10", None),
        ("config-vlan", "name DATA", "name"),
    ],
)
def test_setting_keys(mode, line, key):
    assert setting_key(line, mode) == key


def test_interface_range_expansion():
    assert expand_interface_range("Gi1/0/1 - 2, gi1/0/48, Fa0/1-2") == [
        "GigabitEthernet1/0/1", "GigabitEthernet1/0/2", "GigabitEthernet1/0/48", "FastEthernet0/1", "FastEthernet0/2",
    ]


def test_word_prefix():
    assert starts_with_words("interface GigabitEthernet1/0/1", "interface gigabitethernet1/0/1")
    assert not starts_with_words("interface GigabitEthernet1/0/10", "interface GigabitEthernet1/0/1")
    assert not starts_with_words("anything", "")
