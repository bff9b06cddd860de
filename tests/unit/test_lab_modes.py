"""The lab twin's IOS modes: nested sub-modes, keyed settings, defaults IOS hides, vty blocks.

Each case types lines into configuration mode the way a push does (hier-config closes each section
with ``exit``; Ansible's ios_config sends the bare lines in file order, no ``exit``) and compares the
running config with what IOS-XE shows, written out by hand from the Cisco configuration guides
cited in ``ccinfra/lab/modes.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ansible_collections.ansible.netcommon.plugins.module_utils.network.common.config import NetworkConfig, dumps

from ccinfra.lab.confmode import ConfigSession
from ccinfra.lab.config_tree import ConfigTree
from ccinfra.lab.device import skeleton_config
from ccinfra.lab.grammar import owner_depth, vty_blocks
from ccinfra.lab.state import DeviceState, Faults
from ccinfra.push.compare import converged, remediation_lines

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "render"

SKELETON = "hostname gw1\n!\nline con 0\nline vty 0 4\n login local\n!\nend\n"


class Config:
    """A configuration session on a fresh twin: ``type()`` returns the prompt after each line."""

    def __init__(self, initial: str = SKELETON, role: str = "gateway") -> None:
        self.state = DeviceState("gw1", role, initial, "lab", Faults())
        self.session = ConfigSession(self.state)
        self.left = False

    def type(self, *lines: str) -> list[str]:
        prompts = []
        for line in lines:
            result = self.session.line(line, self.session.prompt("gw1"))
            assert not result.output, f"{line!r}: {result.output}"
            self.left |= result.leave
            prompts.append(self.session.prompt(self.state.hostname()))
        return prompts

    def section(self, head: str) -> str:
        """One top-level section as ``show running-config`` prints it."""
        return self.state.tree.section_text(head) or ""

    @property
    def running(self) -> str:
        return self.state.running_text()


def test_voice_class_uri_host_is_a_sub_mode_command_not_hostname():
    cfg = Config()
    assert cfg.type("voice class uri 100 sip", "host ipv4:192.0.2.10") == ["gw1(config-voice-uri-class)#"] * 2
    assert cfg.section("voice class uri 100 sip") == "voice class uri 100 sip\n host ipv4:192.0.2.10\n"
    assert "hostname gw1\n" in cfg.running


def test_codec_preferences_are_keyed_by_their_number():
    cfg = Config()
    cfg.type("voice class codec 1", "codec preference 1 g711alaw", "codec preference 2 g711ulaw",
             "codec preference 1 g729r8")  # replaces preference 1 only
    assert cfg.section("voice class codec 1") == (
        "voice class codec 1\n codec preference 1 g729r8\n codec preference 2 g711ulaw\n"
    )


def test_trusted_list_is_nested_and_exit_climbs_one_level_at_a_time():
    cfg = Config()
    prompts = cfg.type("voice service voip", "ip address trusted list", "ipv4 192.0.2.10", "ipv4 10.20.1.40",
                       "exit", "mode border-element license capacity 86", "sip", "early-offer forced", "exit",
                       "exit")
    assert prompts == ["gw1(conf-voi-serv)#", "gw1(cfg-iptrust-list)#", "gw1(cfg-iptrust-list)#",
                       "gw1(cfg-iptrust-list)#", "gw1(conf-voi-serv)#", "gw1(conf-voi-serv)#",
                       "gw1(conf-serv-sip)#", "gw1(conf-serv-sip)#", "gw1(conf-voi-serv)#", "gw1(config)#"]
    assert not cfg.left
    assert cfg.section("voice service voip") == (
        "voice service voip\n ip address trusted list\n  ipv4 192.0.2.10\n  ipv4 10.20.1.40\n"
        " mode border-element license capacity 86\n sip\n  early-offer forced\n"
    )


def test_lines_sent_without_exit_land_in_the_mode_that_takes_them():
    # ios_config's order: a line the current sub-mode does not know runs in the nearest parent that
    # does (IOS's parser falls back the same way), a section line of global config goes to global.
    cfg = Config()
    prompts = cfg.type("voice service voip", "ip address trusted list", "ipv4 10.20.1.40",
                       "allow-connections sip to sip", "sip", "bind control source-interface GigabitEthernet0/0/0",
                       "voice class codec 1", "codec preference 1 g711alaw", "dial-peer cor custom", "name PSTN",
                       "name CALL-CONTROL", "dial-peer cor list TO-PSTN", "member PSTN", "sip-ua",
                       "no remote-party-id", "retry invite 2")
    assert prompts[3:5] == ["gw1(conf-voi-serv)#", "gw1(conf-serv-sip)#"]
    assert prompts[-1] == "gw1(config-sip-ua)#"
    assert cfg.section("voice service voip") == (
        "voice service voip\n ip address trusted list\n  ipv4 10.20.1.40\n allow-connections sip to sip\n"
        " sip\n  bind control source-interface GigabitEthernet0/0/0\n"
    )
    assert cfg.section("dial-peer cor custom") == "dial-peer cor custom\n name PSTN\n name CALL-CONTROL\n"
    assert cfg.section("dial-peer cor list TO-PSTN") == "dial-peer cor list TO-PSTN\n member PSTN\n"
    assert cfg.section("sip-ua") == "sip-ua\n no remote-party-id\n retry invite 2\n"


@pytest.mark.parametrize(
    "section, sent, shown",
    [
        # Features on by default: IOS shows the negation, and hides the positive line again.
        ("dial-peer voice 100 voip", ["no vad"], ["no vad"]),
        ("dial-peer voice 100 voip", ["no vad", "vad"], []),
        ("sip-ua", ["no remote-party-id"], ["no remote-party-id"]),
        # Values equal to the default are never displayed, and reset an earlier value.
        ("interface GigabitEthernet1/0/1", ["power inline never", "power inline auto"], []),
        ("interface GigabitEthernet1/0/1", ["power inline never"], ["power inline never"]),
        ("line vty 5 15", ["exec-timeout 5 0", "exec-timeout 10 0"], []),
        ("controller E1 0/1/0", ["framing crc4", "linecode hdb3", "clock source line"], []),
        ("controller E1 0/1/0", ["clock source line primary", "pri-group timeslots 1-31"],
         ["clock source line primary", "pri-group timeslots 1-31"]),
        ("controller T1 0/1/0", ["framing esf", "linecode b8zs"], ["framing esf", "linecode b8zs"]),
    ],
)
def test_defaults_are_shown_the_way_ios_shows_them(section, sent, shown):
    cfg = Config(role="switch")  # GigabitEthernet1/0/1 is a switchport there (no "no ip address")
    cfg.type(section, *sent)
    assert cfg.section(section).splitlines()[1:] == [f" {line}" for line in shown]


def test_global_defaults_and_option_82():
    cfg = Config()
    cfg.type("logging trap debugging", "logging trap informational", "ip dhcp snooping vlan 10,20",
             "no ip dhcp snooping information option", "ip dhcp snooping", "no ip dhcp snooping")
    body = cfg.running
    assert "logging trap" not in body  # informational is the default level
    # "no ip dhcp snooping" removes that line only, not the VLAN list or the option 82 setting.
    assert "ip dhcp snooping vlan 10,20\nno ip dhcp snooping information option\n" in body
    assert "\nip dhcp snooping\n" not in body


def test_line_vty_0_15_is_kept_as_two_blocks_and_the_first_five_cannot_be_deleted():
    cfg = Config()
    cfg.type("line vty 0 15", "transport input ssh")
    assert cfg.section("line vty 0 4") == "line vty 0 4\n login local\n transport input ssh\n"
    assert cfg.section("line vty 5 15") == "line vty 5 15\n transport input ssh\n"
    result = cfg.session.line("no line vty 0 4", "gw1(config)#")
    assert "% Can't delete last 5 VTY lines" in result.output
    cfg.type("no line vty 5 15")
    assert cfg.section("line vty 0 4") and not cfg.section("line vty 5 15")


def test_layer3_interfaces_without_an_address_show_no_ip_address():
    # IOS prints "no ip address" under every routed interface that has none (a switch's Ethernet
    # ports are switchports, so not there), whether or not the line was typed.
    router, switch = Config(role="gateway"), Config(role="switch")
    for cfg in (router, switch):
        cfg.type("interface Serial0/1/0:15", "description D-channel", "isdn incoming-voice voice",
                 "interface GigabitEthernet1/0/1", "description seat", "interface Vlan99",
                 "ip address 10.20.99.11 255.255.255.0", "no ip address")
    assert router.section("interface Serial0/1/0:15").splitlines()[1:3] == [" description D-channel",
                                                                          " no ip address"]
    assert router.section("interface GigabitEthernet1/0/1").splitlines()[1:] == [" description seat", " no ip address"]
    assert switch.section("interface GigabitEthernet1/0/1") == "interface GigabitEthernet1/0/1\n description seat\n"
    assert switch.section("interface Vlan99") == router.section("interface Vlan99") == "interface Vlan99\n no ip address\n"
    switch.type("interface GigabitEthernet1/0/1", "no switchport")
    assert switch.section("interface GigabitEthernet1/0/1").endswith(" no ip address\n no switchport\n")


def test_vty_blocks_and_owner_depth():
    assert vty_blocks("line vty 0 15") == ["line vty 0 4", "line vty 5 15"]
    assert vty_blocks("line vty 4 5") == ["line vty 4", "line vty 5"]
    assert vty_blocks("line vty 5 15") is None and vty_blocks("line vty 0 4") is None
    path = ["config", "config-pmap", "config-pmap-c"]
    assert owner_depth(path, "class class-default") == 1  # the next class of the policy-map
    assert owner_depth(path, "priority percent 33") == 2
    assert owner_depth(path, "ntp server 10.0.0.1") == 0
    assert owner_depth(["config", "config-dp-corlist"], "unknown words") == 0  # a closed mode hands it up


SAVED = """\
!
hostname gw1
!
voice service voip
 ip address trusted list
  ipv4 192.0.2.10
 sip
  early-offer forced
!
voice class uri 100 sip
 host ipv4:192.0.2.10
!
dial-peer voice 100 voip
 no vad
!
end
"""


def test_a_saved_config_with_nested_voice_sections_round_trips():
    tree = ConfigTree.parse(SAVED)
    assert tree.render() == SAVED
    service = tree.root.find("voice service voip")
    assert [c.mode for c in service.children] == ["cfg-iptrust-list", "conf-serv-sip"]
    assert tree.hostname("Router") == "gw1"


def ios_config_lines(intended: str, running: str) -> list[str]:
    """The lines cisco.ios ``ios_config`` (match: line) sends: bare, in file order, no ``exit``."""
    candidate = NetworkConfig(indent=1)
    candidate.load(intended)
    updates = candidate.difference(NetworkConfig(indent=1, contents=running), match="line", replace="line")
    return dumps(updates, "commands").split("\n") if updates else []


DEVICE_FILES = sorted([*GOLDEN.glob("*/switches/*.cfg"), *GOLDEN.glob("*/gateways/*.cfg")])


@pytest.mark.parametrize("path", DEVICE_FILES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
@pytest.mark.parametrize("sender", ["hier-config", "ios_config"])
def test_every_rendered_device_file_converges_on_a_fresh_twin(path, sender):
    # Without sockets: the lines a push would type, straight into the twin's configuration mode.
    intended = path.read_text()
    state = DeviceState(path.stem, "switch", skeleton_config(path.stem), "lab", Faults())
    running = state.running_text()
    lines = remediation_lines(running, intended) if sender == "hier-config" else ios_config_lines(intended, running)
    session = ConfigSession(state)
    for line in lines:
        result = session.line(line, "")
        assert not result.output and not result.leave, f"{line!r}: {result.output}"
    assert converged(state.running_text(), intended)
    assert ios_config_lines(intended, state.running_text()) == []
