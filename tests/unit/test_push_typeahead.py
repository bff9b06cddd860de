"""Typing config lines ahead: how lines are cut into writes, and how one write's answer is checked."""

from __future__ import annotations

import re

from ccinfra.push.typeahead import (
    Problem,
    Window,
    answers_pattern,
    cut_answers,
    first_problem,
    hostname_of,
    prompt_pattern,
    windows,
)

# hier-config's remediation as ccinfra sends it (compare.to_send): sections closed by "exit".
REMEDIATION = [
    "no ip domain-name old.example",
    "vlan 10", "  name DATA", "  exit",
    "interface GigabitEthernet1/0/1", "  description agent seat 1", "  switchport access vlan 10", "  exit",
    "ip domain-name cc.example",
    "ntp server 192.0.2.1",
    "banner motd @", "Authorised use only", "@",
    "line vty 0 4", "  login local", "  exit",
]


def lines_of(cut: list[Window]) -> list[tuple[str, ...]]:
    return [w.lines for w in cut]


def test_one_line_per_write_by_default_except_a_banner():
    cut = windows(REMEDIATION)
    assert lines_of(cut) == [(line,) for line in REMEDIATION[:10]] + [
        ("banner motd @", "Authorised use only", "@"), ("line vty 0 4",), ("  login local",), ("  exit",)]
    assert [w.banner for w in cut].count(True) == 1


def test_typed_ahead_writes_end_at_each_section_exit():
    assert lines_of(windows(REMEDIATION, max_lines=16)) == [
        ("no ip domain-name old.example",),  # a top-level "no": IOS may ask to confirm
        ("vlan 10", "  name DATA", "  exit"),
        ("interface GigabitEthernet1/0/1", "  description agent seat 1", "  switchport access vlan 10", "  exit"),
        ("ip domain-name cc.example", "ntp server 192.0.2.1"),
        ("banner motd @", "Authorised use only", "@"),
        ("line vty 0 4", "  login local", "  exit"),
    ]


def test_lines_that_change_the_meaning_of_later_lines_go_alone():
    lines = ["vlan 10", "hostname sw2", "vlan 20", "do show clock", "vlan 30", "exit", "vlan 40",
             "default interface Gi1/0/2", "crypto key generate rsa modulus 2048", "vlan 50", "end"]
    cut = windows(lines, max_lines=16)
    assert lines_of(cut) == [("vlan 10",), ("hostname sw2",), ("vlan 20",), ("do show clock",), ("vlan 30",),
                             ("exit",), ("vlan 40",), ("default interface Gi1/0/2",),
                             ("crypto key generate rsa modulus 2048",), ("vlan 50",), ("end",)]
    assert [w.renames for w in cut] == [False, True] + [False] * 9


def test_no_hostname_renames_too():
    [window] = windows(["no hostname"], max_lines=16)
    assert window.renames


def test_writes_are_capped_in_lines_and_bytes():
    lines = [f"vlan {n}" for n in range(100, 140)]
    assert [len(w.lines) for w in windows(lines, max_lines=16)] == [16, 16, 8]
    long = [f"  description {'x' * 190} {n}" for n in range(30)]
    cut = windows(["interface Gi1/0/1", *long], max_lines=64, max_bytes=1024)
    assert all(sum(len(line) + 1 for line in w.lines) <= 1024 for w in cut)
    assert [line for w in cut for line in w.lines] == ["interface Gi1/0/1", *long]


def test_an_unclosed_banner_takes_the_rest():
    [window] = windows(["banner motd @", "text"], max_lines=16)
    assert window.banner and window.prompts == 1 and window.lines == ("banner motd @", "text")


def test_prompt_pattern_matches_prompts_at_line_starts_only():
    prompt = prompt_pattern("cc-as01")
    text = ("interface Gi1/0/1\r\ncc-as01(config-if)#description see cc-as01(config)# docs\r\n"
            "cc-as01(config-if)#")
    assert [m.group(0) for m in prompt.finditer(text)] == ["cc-as01(config-if)#", "cc-as01(config-if)#"]
    assert prompt.match("cc-as01>") and prompt.match("cc-as01#") and not prompt.match("cc-as02#")
    # IOS cuts nothing but netmiko's base prompt is at most 16 characters: the rest may follow
    assert prompt_pattern("a-very-long-host").match("a-very-long-hostname-1(config)#")


def test_answers_are_cut_at_the_prompts():
    output = ("vlan 10\r\ncc(config-vlan)#  name DATA\r\ncc(config-vlan)#  exit\r\ncc(config)#")
    answers = cut_answers(output, prompt_pattern("cc"), 3)
    assert answers == [("vlan 10\r\n", "cc(config-vlan)#"), ("  name DATA\r\n", "cc(config-vlan)#"),
                       ("  exit\r\n", "cc(config)#")]
    assert cut_answers(output, prompt_pattern("cc"), 4) is None
    assert re.search(answers_pattern("cc", 3), output, re.M)
    assert not re.search(answers_pattern("cc", 4), output, re.M)


def test_a_renaming_write_accepts_any_hostname():
    output = "hostname new-name\r\nnew-name(config)#"
    [(answer, prompt)] = cut_answers(output, prompt_pattern(None), 1)
    assert hostname_of(prompt) == "new-name"
    assert cut_answers(output, prompt_pattern("old-name"), 1) is None


def test_the_first_rejected_line_of_a_write_is_named():
    window = Window(("interface Gi1/0/9", "  description x", "  exit"))
    answers = [
        ("interface Gi1/0/9\r\n                  ^\r\n% Invalid input detected at '^' marker.\r\n\r\n", "sw(config)#"),
        ("  description x\r\n% Invalid input detected at '^' marker.\r\n", "sw(config)#"),
        ("  exit\r\n", "sw#"),
    ]
    assert first_problem(window, answers) == Problem("interface Gi1/0/9", error="% Invalid input detected at '^' marker.")


def test_leaving_configuration_mode_is_a_problem():
    window = Window(("logging host 192.0.2.5", "  exit"))
    answers = [("logging host 192.0.2.5\r\n", "sw(config)#"), ("  exit\r\n", "sw#")]
    assert first_problem(window, answers) == Problem("  exit", prompt="sw#")


def test_echoed_text_is_not_mistaken_for_an_error():
    banner = Window(("banner motd @", "Error: authorised use only", "@"), banner=True)
    answer = ("banner motd @\r\nEnter TEXT message.  End with the character '@'.\r\n"
              "Error: authorised use only\r\n@\r\n")
    assert first_problem(banner, [(answer, "sw(config)#")]) is None
    plain = Window(("  description Error LED",))
    assert first_problem(plain, [("  description Error LED\r\n", "sw(config-if)#")]) is None


def test_every_ios_error_form_is_caught():
    for said in ("% Incomplete command.", "% Ambiguous command:  \"sw\"", "% Unknown command or computer name",
                 "% Error in authentication.", "Error: could not apply"):
        window = Window(("ip route 0.0.0.0",))
        problem = first_problem(window, [(f"ip route 0.0.0.0\r\n{said}\r\n", "sw(config)#")])
        assert problem is not None and problem.error == said.strip()
