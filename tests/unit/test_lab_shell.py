"""The IOS command line of a lab twin, driven without sockets: input bytes in, vty text out.

Transcripts are IOS's (Catalyst 2960-X, IOS 15.2): typed text echoed, answers after CR LF,
prompts ``host>`` / ``host#`` / ``host(config-if)#``, and the caret under the bad word.
"""

from __future__ import annotations

import pytest

from ccinfra.lab.shell import PRIV_EXEC, IosShell, match_command
from ccinfra.lab.state import DeviceState, Faults
from ccinfra.lab.confmode import CommandError
from ccinfra.lab.terminal import CtrlC, CtrlZ, Help, Line, LineReader

INITIAL = "hostname sw1\n!\ninterface GigabitEthernet1/0/1\n description old\n!\nline vty 0 4\n login local\n!\nend\n"
INVALID = "% Invalid input detected at '^' marker."


class Vty:
    """A shell plus a line reader: ``type()`` returns exactly what the client would receive."""

    def __init__(self, faults: Faults = Faults(), role: str = "switch", initial: str = INITIAL) -> None:
        self.state = DeviceState("sw1", role, initial, "s3cret", faults)
        self.shell = IosShell(self.state)
        self.reader = LineReader()
        self.closed = False
        self.dropped = False

    def type(self, data: str) -> str:
        out = []
        self.reader.feed(data)
        while True:
            echo, event = self.reader.next(self.shell.echo)
            out.append(echo)
            if event is None:
                return "".join(out).replace("\r\n", "\n")
            reply = self.shell.handle(event)
            out.append(reply.output)
            self.closed |= reply.close
            self.dropped |= reply.dropped
            if reply.close:  # the server stops reading here
                return "".join(out).replace("\r\n", "\n")

    def enable(self) -> None:
        self.type("enable\rs3cret\r")

    def configure(self, *lines: str) -> str:
        return self.type("".join(line + "\n" for line in ("configure terminal", *lines, "end")))


def test_user_exec_then_enable_with_secret():
    vty = Vty()
    assert vty.shell.greeting() == "\r\nsw1>"
    assert vty.type("show privilege\r") == "show privilege\nCurrent privilege level is 1\nsw1>"
    assert vty.type("enable\r") == "enable\nPassword: "
    assert vty.type("s3cret\r") == "\nsw1#"  # the secret is not echoed
    assert vty.type("sh priv\r") == "sh priv\nCurrent privilege level is 15\nsw1#"
    assert vty.type("disable\r") == "disable\nsw1>"


def test_privileged_commands_are_invalid_in_user_exec():
    vty = Vty()
    assert vty.type("show running-config\r") == f"show running-config\n{' ' * 9}^\n{INVALID}\n\nsw1>"
    assert vty.type("configure terminal\r") == f"configure terminal\n{' ' * 4}^\n{INVALID}\n\nsw1>"


def test_exec_errors_caret_ambiguous_incomplete():
    vty = Vty()
    vty.enable()
    # "sw1#show " is 9 characters, so the caret is in column 9, under "versoin".
    assert vty.type("show versoin\r") == f"show versoin\n{' ' * 9}^\n{INVALID}\n\nsw1#"
    assert vty.type("e\r") == 'e\n% Ambiguous command:  "e"\n\nsw1#'
    assert vty.type("show\r") == "show\n% Incomplete command.\n\nsw1#"
    assert vty.type("terminal length 999\r") == f"terminal length 999\n{' ' * 20}^\n{INVALID}\n\nsw1#"


@pytest.mark.parametrize("typed", ["terminal length 0", "term len 0", "terminal width 512", "terminal width 0",
                                   "terminal width 511", "terminal monitor"])
def test_terminal_settings_accepted(typed):
    vty = Vty()
    assert vty.type(typed + "\r") == typed + "\nsw1>"


def test_abbreviations_expand_along_the_command_tree():
    assert match_command(PRIV_EXEC, "conf t") == (("configure", "terminal"), [])
    assert match_command(PRIV_EXEC, "wr") == (("write",), [])
    assert match_command(PRIV_EXEC, "copy run start") == (("copy", "running-config", "startup-config"), [])
    assert match_command(PRIV_EXEC, "sh ip int br") == (("show", "ip", "interface", "brief"), [])
    with pytest.raises(CommandError, match="Ambiguous"):
        match_command(PRIV_EXEC, "e")  # enable, exit
    with pytest.raises(CommandError, match="Incomplete"):
        match_command(PRIV_EXEC, "s")  # show, needs what to show


def test_configure_sub_modes_exit_and_end():
    vty = Vty()
    vty.enable()
    assert vty.type("conf t\r") == "conf t\nEnter configuration commands, one per line.  End with CNTL/Z.\nsw1(config)#"
    assert vty.type("int gi1/0/2\r").endswith("sw1(config-if)#")
    assert vty.type("exit\r").endswith("sw1(config)#")
    assert vty.type("vlan 10\r").endswith("sw1(config-vlan)#")
    assert vty.type("line vty 0 4\r").endswith("sw1(config-line)#")  # a section line leaves the sub-mode
    assert vty.type("router ospf 1\r").endswith("sw1(config-router)#")
    assert vty.type("ip access-list extended VOICE\r").endswith("sw1(config-ext-nacl)#")
    assert vty.type("10 permit udp any any range 16384 32767\r").endswith("sw1(config-ext-nacl)#")
    assert vty.type("dial-peer voice 100 voip\r").endswith("sw1(config-dial-peer)#")
    assert vty.type("end\r") == "end\nsw1#"
    assert vty.type("conf t\rexit\r").endswith("exit\nsw1#")


def test_global_command_in_a_sub_mode_runs_globally_and_leaves_it():
    vty = Vty()
    vty.enable()
    transcript = vty.configure("interface Gi1/0/1", "hostname sw9", "description where")
    assert "sw1(config-if)#hostname sw9\nsw9(config)#description where\n" in transcript
    # "description" is not a global command: refused, caret under it.
    assert f"sw9(config)#description where\n{' ' * 12}^\n{INVALID}" in transcript
    assert "hostname sw9" in vty.state.running_text()
    assert vty.state.tree.hostname("Switch") == "sw9"


def test_configuration_lands_in_the_tree():
    vty = Vty()
    vty.enable()
    vty.configure(
        "interface GigabitEthernet1/0/1", "description agent seat 1", "switchport mode access",
        "switchport access vlan 10", "switchport access vlan 11", "no description",
        "interface range gi1/0/2 - 3", "spanning-tree portfast",
        "policy-map EDGE", "class VOICE", "priority percent 33", "class class-default", "fair-queue",
        "no ip http server",
    )
    assert vty.state.running_text() == (
        "!\nhostname sw1\n!\ninterface GigabitEthernet1/0/1\n switchport mode access\n switchport access vlan 11\n!\n"
        "line vty 0 4\n login local\n!\ninterface GigabitEthernet1/0/2\n spanning-tree portfast\n!\n"
        "interface GigabitEthernet1/0/3\n spanning-tree portfast\n!\npolicy-map EDGE\n class VOICE\n"
        "  priority percent 33\n class class-default\n  fair-queue\n!\nno ip http server\n!\nend\n"
    )
    assert vty.state.config_lines_received == 14


def test_multi_line_banner_has_no_prompts_until_the_delimiter():
    vty = Vty()
    vty.enable()
    transcript = vty.configure("banner motd @", "Authorised use only", "@")
    assert "sw1(config)#banner motd @\nEnter TEXT message.  End with the character '@'.\nAuthorised use only\n@\nsw1(config)#" in transcript
    assert "banner motd ^C\nAuthorised use only\n^C\n" in vty.state.running_text()


def test_reject_pattern_refuses_the_line_and_its_children_fail_in_global():
    vty = Vty(Faults(reject_pattern=r"^vlan 999"))
    vty.enable()
    transcript = vty.configure("vlan 999", "name TEMP", "vlan 998")
    assert f"sw1(config)#vlan 999\n{' ' * 12}^\n{INVALID}\n\nsw1(config)#name TEMP\n{' ' * 12}^\n{INVALID}" in transcript
    assert transcript.endswith("sw1(config-vlan)#end\nsw1#")
    assert "vlan 999" not in vty.state.running_text() and "vlan 998" in vty.state.running_text()
    assert vty.state.config_lines_received == 3


def test_exec_only_commands_need_do_in_config_mode():
    vty = Vty()
    vty.enable()
    vty.type("conf t\r")
    assert vty.type("show privilege\r") == f"show privilege\n{' ' * 12}^\n{INVALID}\n\nsw1(config)#"
    assert vty.type("do show privilege\r") == "do show privilege\nCurrent privilege level is 15\nsw1(config)#"


def test_drop_after_lines_counts_config_lines_per_session():
    vty = Vty(Faults(drop_after_lines=3))
    vty.enable()
    vty.type("conf t\rvlan 10\rexit\r")  # exit is navigation, not counted
    assert not vty.closed
    vty.type("end\rconf t\rvlan 20\r")
    assert not vty.closed
    assert vty.type("name B\rvlan 30\r") == "name B\n"
    assert vty.closed and vty.dropped
    assert "vlan 30" not in vty.state.running_text() and " name B" in vty.state.running_text()


def test_write_memory_and_copy_with_destination_question():
    vty = Vty()
    vty.enable()
    vty.configure("vlan 10")
    assert vty.state.startup_text != vty.state.running_text()
    assert vty.type("copy running-config startup-config\r") == (
        "copy running-config startup-config\nDestination filename [startup-config]? "
    )
    assert vty.type("\r") == "\nBuilding configuration...\n[OK]\nsw1#"
    assert vty.state.startup_text == vty.state.running_text()
    vty.configure("vlan 20")
    assert vty.type("write memory\r") == "write memory\nBuilding configuration...\n[OK]\nsw1#"
    startup = vty.type("show startup-config\r")
    assert startup.startswith(f"show startup-config\nUsing {len(vty.state.startup_text)} out of 524288 bytes\n!\n")


def test_wrong_secret_three_times():
    vty = Vty()
    assert vty.type("enable\rno\rnope\r") == "enable\nPassword: \nPassword: \nPassword: "
    assert vty.type("never\r") == "\n% Bad secrets\n\nsw1>"


def test_show_running_config_filters_and_interface():
    vty = Vty()
    vty.enable()
    assert vty.type("show running-config | include ^hostname|login\r").endswith("\nhostname sw1\n login local\nsw1#")
    assert vty.type("sh run int gi1/0/1\r").endswith(
        "\n!\ninterface GigabitEthernet1/0/1\n description old\nend\nsw1#"
    )
    assert vty.type("show running-config | section line\r").endswith("\nline vty 0 4\n login local\nsw1#")


def test_help_lists_running_config_options_and_keeps_the_line():
    vty = Vty()
    vty.enable()
    transcript = vty.type("show running-config ?")
    assert transcript.startswith("show running-config ?\n  all ")
    assert transcript.endswith("\n\nsw1#show running-config ")
    assert vty.type("\r").startswith("\nBuilding configuration...")


def test_show_version_per_role_and_vlan_only_on_switches():
    switch, gateway = Vty(), Vty(role="gateway", initial="hostname gw1\n")
    assert "sw1 uptime is 0 minutes" in switch.type("show version\r")
    assert 'System image file is "flash:c2960x-universalk9-mz.152-7.E8.bin"' in switch.type("show version\r")
    assert "Cisco IOS XE Software, Version 17.09.04a" in gateway.type("show version\r")
    assert "1    default" in switch.type("show vlan brief\r")
    assert INVALID in gateway.type("show vlan\r")


def test_exit_closes_the_session():
    vty = Vty()
    vty.type("exit\r")
    assert vty.closed and not vty.dropped


@pytest.mark.parametrize(
    "data, events",
    [
        ("a\r", [Line("a")]),
        ("a\n", [Line("a")]),
        ("a\r\nb\r\n", [Line("a"), Line("b")]),
        ("a\r\n\n", [Line("a"), Line("")]),
        ("a\n\r", [Line("a"), Line("")]),
        ("ab\x7fc\r", [Line("ac")]),
        ("x\x1b[Ay\r", [Line("xy")]),
        ("conf\x1a", [CtrlZ()]),
        ("junk\x03", [CtrlC()]),
        ("show ?", [Help("show ")]),
    ],
)
def test_line_reader_events(data, events):
    reader = LineReader()
    reader.feed(data)
    got = []
    while (event := reader.next(echo=True)[1]) is not None:
        got.append(event)
    assert got == events


def test_line_reader_swallows_lf_after_cr_across_packets():
    reader = LineReader()
    reader.feed("a\r")
    assert reader.next(echo=True) == ("a", Line("a"))
    reader.feed("\nb\n")
    assert reader.next(echo=True) == ("b", Line("b"))


def test_line_reader_does_not_echo_passwords():
    reader = LineReader()
    reader.feed("s3cret?\r")
    assert reader.next(echo=False) == ("", Line("s3cret?"))
