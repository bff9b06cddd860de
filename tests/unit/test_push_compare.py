"""hier-config comparison used by the push and the drift audit: sent/received vectors written by hand."""

from __future__ import annotations

import re

import pytest

from ccinfra.push.compare import canonical_text, converged, drift, remediation_lines, remediation_text
from ccinfra.push.typeahead import ERROR_PATTERN, _blocks

# (running, intended, lines to send) — the expected lines follow IOS: a changed child is set in
# place (IOS replaces "description"), a removed global line is negated, "exit" closes a section.
REMEDIATION_VECTORS = [
    pytest.param("hostname a\n", "hostname a\n", [], id="identical"),
    pytest.param("hostname a\n!\nend\n", "hostname a", [], id="separators-and-end-ignored"),
    pytest.param("hostname a\nip domain-name x.example\n", "hostname a\n",
                 ["no ip domain-name x.example"], id="extra-global-negated"),
    pytest.param("hostname a\n", "hostname a\nvlan 10\n name DATA\n",
                 ["vlan 10", "  name DATA", "  exit"], id="new-section"),
    pytest.param("hostname a\ninterface GigabitEthernet1/0/1\n description old\n",
                 "hostname a\ninterface Gi1/0/1\n description new\n",
                 ["interface GigabitEthernet1/0/1", "  description new", "  exit"], id="abbreviated-interface"),
    pytest.param("hostname a\ninterface GigabitEthernet1/0/2\n shutdown\n",
                 "hostname a\ninterface GigabitEthernet1/0/2\n",
                 ["interface GigabitEthernet1/0/2", "  no shutdown", "  exit"], id="negated-child"),
    pytest.param("hostname a\n", "hostname a\nbanner motd ^C\nAuthorised use only\n^C\n",
                 ["banner motd @", "Authorised use only", "@"], id="banner-typed-with-safe-delimiter"),
    pytest.param("hostname a\nbanner motd ^C\nold\n^C\n", "hostname a\n", ["no banner motd"], id="banner-removed"),
    pytest.param("hostname a\n", "hostname a\nbanner login #Mail @ ops#\n",
                 ["banner login %", "Mail @ ops", "%"], id="delimiter-not-in-text"),
]


@pytest.mark.parametrize(("running", "intended", "sent"), REMEDIATION_VECTORS)
def test_remediation_lines(running: str, intended: str, sent: list[str]) -> None:
    assert remediation_lines(running, intended) == sent
    assert converged(running, intended) is (sent == [])


def test_one_line_and_multi_line_banners_with_any_delimiter_are_equal() -> None:
    shown = "hostname a\nbanner motd ^C\nHi there\n^C\n"  # how show running-config prints it
    assert converged(shown, "hostname a\nbanner motd #Hi there#\n")
    assert converged(shown, "hostname a\nbanner motd \x03Hi there\x03\n")  # the real ETX character
    assert not converged(shown, "hostname a\nbanner motd #Hi you#\n")


def test_canonical_text_leaves_interface_range_and_other_lines_alone() -> None:
    text = "interface range Gi1/0/1 - 4\n description x\nhostname gi1\n"
    assert canonical_text(text) == text


def test_remediation_text_is_what_people_read() -> None:
    assert remediation_text("hostname a\n", "hostname a\nvlan 10\n name DATA\n") == "vlan 10\n  name DATA"
    assert remediation_text("hostname a\n", "hostname a\n") == ""


def test_drift_lists_missing_and_extra_with_their_parent() -> None:
    running = "hostname a\nvlan 10\n name OLD\nip domain-name x\n"
    intended = "hostname a\nvlan 10\n name DATA\nvlan 20\n"
    assert drift(running, intended) == (["vlan 10", "  name DATA", "vlan 20"], ["vlan 10", "  name OLD", "ip domain-name x"])
    assert drift(intended, intended) == ([], [])


def test_banner_lines_are_grouped_for_typing() -> None:
    assert _blocks(["vlan 10", "  name A", "banner motd @", "line 1", "line 2", "@", "  exit"]) == [
        ["vlan 10"], ["  name A"], ["banner motd @", "line 1", "line 2", "@"], ["  exit"]]


# What IOS answers to bad lines (Cisco IOS command-line interface guides) and answers that are fine.
ERRORS = ["% Invalid input detected at '^' marker.", "% Incomplete command.",
          "% Ambiguous command:  \"sh\"", "% Unknown command or computer name, or unable to find computer address",
          "% Error opening nvram:/startup-config (Permission denied)", "Error: VLAN 5000 out of range"]
NOT_ERRORS = ["cc-as01(config-if)#description Error LED on port 3", "cc-as01(config)#vlan 10",
              "Enter TEXT message.  End with the character '@'.", "Building configuration...\n[OK]"]


@pytest.mark.parametrize("answer", ERRORS)
def test_error_pattern_catches_ios_errors(answer: str) -> None:
    found = re.search(ERROR_PATTERN, f"cc-as01(config)#vlan x\n{answer}\ncc-as01(config)#", flags=re.M)
    assert found and found.group(0) == answer


@pytest.mark.parametrize("answer", NOT_ERRORS)
def test_error_pattern_ignores_echoes_and_normal_answers(answer: str) -> None:
    assert re.search(ERROR_PATTERN, answer, flags=re.M) is None
