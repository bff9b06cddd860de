"""Managed scope and protected set (issue 11, guarantee 1); expected lines written by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccinfra.push.scope import Scope, converged, drift, line_key, protected, remediation_lines, rollback_lines

# Every kind of line of issue 11's protected set, as IOS prints it.
PROTECTED_CONFIG = """username netops privilege 15 secret 9 $9$nhEm$X.Hs
enable secret 9 $9$2MJB$ktCV
enable password 7 0822455D0A16
aaa new-model
aaa authentication login default group TAC local
aaa group server tacacs+ TAC
 server name TAC1
tacacs server TAC1
 address ipv4 192.0.2.49
 key 7 0D1F4A5C
tacacs-server host 192.0.2.50 key 7 0D1F4A5C
radius server RAD1
 address ipv4 192.0.2.51 auth-port 1812 acct-port 1813
 key 7 0D1F4A5C
snmp-server community Comm-ro RO
snmp-server group G1 v3 priv
snmp-server user u1 G1 v3
crypto pki trustpoint TP-self-signed-1
 enrollment selfsigned
crypto key storage nvram:
ip ssh pubkey-chain
 username netops
  key-hash ssh-rsa 8FB4F858DD7E5AFB372780EC653DB371
key chain OSPF
 key 1
  key-string 7 0822455D0A16
license boot level network-advantage
boot system flash:packages.conf
"""


@pytest.mark.parametrize("line", [line for line in PROTECTED_CONFIG.splitlines() if not line.startswith(" ")])
def test_every_top_level_line_of_the_protected_set_is_protected(line):
    assert protected(line)


@pytest.mark.parametrize("line", ["ip route 0.0.0.0 0.0.0.0 10.0.0.1", "snmp-server location Lisbon", "ip ssh version 2",
                                  "service password-encryption", "hostname aaa", "interface Vlan99", "ntp server 10.0.0.1",
                                  "ip domain name cc.example", "logging host 10.20.1.20", "bootp"])
def test_neighbours_of_the_protected_set_are_not_protected(line):
    assert not protected(line)


@pytest.mark.parametrize(("line", "key"), [
    ("hostname lisbon-as01", "hostname"),
    ("ip domain name lisbon.cc.example.net", "ip domain name"),
    ("ntp server 10.20.1.1", "ntp server"),
    ("no ip route 10.9.0.0 255.255.0.0 10.0.0.9", "ip route 10.9.0.0 255.255.0.0"),
    ("ip route vrf MGMT 0.0.0.0 0.0.0.0 10.0.0.1", "ip route vrf MGMT 0.0.0.0 0.0.0.0"),
    ("ip dhcp snooping vlan 10,20", "ip dhcp snooping vlan"),
    ("ip dhcp snooping", "ip dhcp snooping"),
    ("interface GigabitEthernet1/0/1", "interface GigabitEthernet1/0/1"),
    ("banner motd ^C\nAuthorised use only\n^C", "banner motd"),
    ("no ip http server", "ip http server"),
])
def test_line_key(line, key):
    assert line_key(line) == key


RUNNING = PROTECTED_CONFIG + """hostname sw1
ip domain name old.example
ntp server 192.0.2.9
ip route 0.0.0.0 0.0.0.0 10.0.0.1
ip route 10.9.0.0 255.255.0.0 10.0.0.9
vlan 30
 name OUT-OF-BAND
vlan 10
 name OLD
interface GigabitEthernet1/0/2
 description printer
line vty 0 4
 password 7 0822455D0A16
 login authentication VTY
 transport input ssh
"""
INTENDED = """hostname sw1
ntp server 10.20.1.1
ip route 0.0.0.0 0.0.0.0 10.0.0.2
vlan 10
 name DATA
line vty 0 4
 transport input ssh
 exec-timeout 5 0
"""


def test_push_changes_only_what_the_build_renders():
    # ip domain name, the 10.9 route, vlan 30, Gi1/0/2 and the protected set are not rendered: left alone.
    # The old NTP server and the old default route share a key with rendered lines: replaced.
    # Under "line vty 0 4" the password and "login authentication" are protected children.
    # (in hier-config's order: negations, then global lines, then sections)
    assert remediation_lines(RUNNING, INTENDED) == [
        "no ntp server 192.0.2.9", "no ip route 0.0.0.0 0.0.0.0 10.0.0.1",
        "ntp server 10.20.1.1", "ip route 0.0.0.0 0.0.0.0 10.0.0.2",
        "vlan 10", "  name DATA", "  exit",
        "line vty 0 4", "  exec-timeout 5 0", "  exit",
    ]


def test_replace_removes_everything_else_but_never_the_protected_set():
    lines = remediation_lines(RUNNING, INTENDED, replace=True)
    negations = sorted(line for line in lines if line.startswith("no "))
    assert negations == sorted([
        "no ip domain name old.example", "no ntp server 192.0.2.9", "no ip route 0.0.0.0 0.0.0.0 10.0.0.1",
        "no vlan 30", "no interface GigabitEthernet1/0/2"])
    # the 10.9 route is to a prefix the build does not route: kept, even by --replace (issue 11)
    assert "no ip route 10.9.0.0 255.255.0.0 10.0.0.9" not in lines
    sent = "\n".join(lines)
    for word in ("username", "enable", "aaa", "tacacs", "radius", "snmp-server", "crypto", "pubkey", "key",
                 "license", "boot", "password", "login authentication"):
        assert word not in sent


def test_a_build_that_renders_protected_lines_never_alters_them():
    intended = INTENDED + "username netops privilege 15 secret 0 new\nno aaa new-model\nsnmp-server community public RO\n"
    assert remediation_lines(RUNNING, intended) == remediation_lines(RUNNING, INTENDED)


def test_out_of_scope_differences_leave_the_device_converged_and_unchanged():
    pushed = RUNNING.replace("ip domain name old.example", "ip domain name other.example")
    assert converged(pushed, RUNNING, INTENDED)
    assert not converged(pushed, RUNNING, INTENDED, replace=True)
    assert remediation_lines(INTENDED + "aaa new-model\nip route 10.9.0.0 255.255.0.0 10.0.0.9\n", INTENDED) == []


def test_rollback_restores_only_the_scope_of_the_push():
    after = INTENDED + "ip domain name changed-meanwhile.example\n"
    backup = "hostname sw1\nntp server 192.0.2.9\nip domain name old.example\nline vty 0 4\n transport input ssh\n"
    assert rollback_lines(after, backup, INTENDED) == [
        "no ntp server 10.20.1.1", "no ip route 0.0.0.0 0.0.0.0 10.0.0.2", "no vlan 10",
        "ntp server 192.0.2.9", "line vty 0 4", "  no exec-timeout 5 0", "  exit"]


def test_drift_lists_unmanaged_lines_apart():
    missing, extra, unmanaged = drift(RUNNING, INTENDED)
    assert missing == ["ntp server 10.20.1.1", "ip route 0.0.0.0 0.0.0.0 10.0.0.2", "vlan 10", "  name DATA",
                       "line vty 0 4", "  exec-timeout 5 0"]
    assert extra == ["ntp server 192.0.2.9", "ip route 0.0.0.0 0.0.0.0 10.0.0.1", "vlan 10", "  name OLD"]
    assert unmanaged[:2] == ["username netops privilege 15 secret 9 $9$nhEm$X.Hs", "enable secret 9 $9$2MJB$ktCV"]
    assert unmanaged[-6:] == ["ip domain name old.example", "ip route 10.9.0.0 255.255.0.0 10.0.0.9", "vlan 30",
                              "  name OUT-OF-BAND", "interface GigabitEthernet1/0/2", "  description printer"]
    assert drift(INTENDED + "aaa new-model\n", INTENDED) == ([], [], ["aaa new-model"])


def test_scope_of_a_build():
    scope = Scope.of(INTENDED)
    assert scope.manages("ntp server 192.0.2.9") and scope.manages("vlan 10")
    assert not scope.manages("vlan 30") and not scope.manages("ip domain name x")
    assert Scope.of(INTENDED, replace=True).manages("vlan 30")
    assert not Scope.of(INTENDED, replace=True).manages("aaa new-model")


def test_sip_trunk_credentials_inside_a_rendered_section_are_protected():
    running = ("sip-ua\n credentials username trunk password 7 0822455D0A16 realm sip.example\n"
               " retry invite 2\ninterface GigabitEthernet0/0/0\n ip ospf message-digest-key 1 md5 7 0822\n")
    intended = "sip-ua\n retry invite 3\ninterface GigabitEthernet0/0/0\n description WAN\n"
    assert remediation_lines(running, intended, replace=True) == [
        "sip-ua", "  no retry invite 2", "  retry invite 3", "  exit", "interface GigabitEthernet0/0/0", "  description WAN", "  exit"]


# Top-level blocks of PROTECTED_CONFIG (a line and its indented children).
_BLOCKS: list[str] = []
for _line in PROTECTED_CONFIG.splitlines():
    if _line.startswith(" ") and _BLOCKS:
        _BLOCKS[-1] += "\n" + _line
    else:
        _BLOCKS.append(_line)


@settings(max_examples=60, deadline=None)
@given(on_device=st.lists(st.sampled_from(_BLOCKS), unique=True),
       in_build=st.lists(st.sampled_from(_BLOCKS), unique=True), replace=st.booleans())
def test_no_mode_ever_sends_a_protected_line(on_device, in_build, replace):
    running = "\n".join(["hostname sw1", *on_device, "vlan 30", " name X"]) + "\n"
    intended = "\n".join(["hostname sw1", "vlan 10", " name DATA", *in_build]) + "\n"
    sent = remediation_lines(running, intended, replace=replace)
    top = [line for line in sent if not line.startswith(" ")]
    assert not [line for line in top if protected(line)]
    assert sent[-3:] == ["vlan 10", "  name DATA", "  exit"]
    assert ("no vlan 30" in sent) == replace
