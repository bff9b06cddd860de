"""The outline fast path (ccinfra/push/outline.py) never says "same" where hier-config finds a change.

Property tests build random IOS configs (interfaces, VLANs, ACLs, banners, lines), shuffle their
sections the way a device reorders its running config, and mutate them; whenever two outlines are
equal, hier-config's full remediation must be empty both ways, and a pure reshuffle must keep the
outline equal (else the fast path would never fire on a real device).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hier_config import WorkflowRemediation
from hypothesis import given, settings
from hypothesis import strategies as st

from ccinfra.push.compare import converged, drift, hconfig, remediation, to_send
from ccinfra.push.outline import outline, same_tree

PORT_LINES = ["description agent seat {n}", "switchport mode access", "switchport access vlan 10",
              "switchport voice vlan 20", "spanning-tree portfast", "shutdown", "power inline never",
              "storm-control broadcast level 1.00"]
ACL_LINES = ["permit ip any host 10.0.0.{n}", "deny ip any any log", "permit udp any any eq 5060",
             "remark voice", "permit tcp any any eq 22"]


def _full(running: str, intended: str) -> list[str]:
    return to_send(WorkflowRemediation(hconfig(running), hconfig(intended)).remediation_config)


@st.composite
def configs(draw) -> list:
    """A config as a list of units: (header, [child lines]) or a banner (header, text lines)."""
    units: list = [("hostname sw1", [])]
    for port in draw(st.lists(st.integers(1, 12), unique=True, max_size=6)):
        children = draw(st.lists(st.sampled_from(PORT_LINES), unique=True, max_size=5))
        units.append((f"interface GigabitEthernet1/0/{port}", [c.format(n=port) for c in children]))
    for vlan in draw(st.lists(st.integers(2, 40), unique=True, max_size=4)):
        units.append((f"vlan {vlan}", draw(st.sampled_from([[], [f"name V{vlan}"]]))))
    for name in draw(st.lists(st.sampled_from(["VOICE", "MGMT"]), unique=True, max_size=2)):
        entries = draw(st.lists(st.sampled_from(ACL_LINES), unique=True, min_size=1, max_size=4))
        units.append((f"ip access-list extended {name}", [e.format(n=len(name)) for e in entries]))
    if draw(st.booleans()):
        units.append(("banner motd ^C", draw(st.sampled_from([["Authorised use only"], ["a", "! b"], []]))))
    units += [("line vty 0 4", ["login local", "transport input ssh"]),
              ("ip domain-name cc.example", [])]
    return units


def _text(units: list) -> str:
    out = []
    for header, children in units:
        if header.startswith("banner "):
            out += [header, *children, "^C"]
        else:
            out += [header, *(f" {c}" for c in children)]
    return "\n".join(out) + "\n"


def _shuffled(units: list, rng: random.Random) -> list:
    """The same config in another order, as a device prints it: sections and their lines moved,
    ACL entries and banner text kept in order (their order means something)."""
    moved = []
    for header, children in units:
        if not header.startswith(("ip access-list", "banner ")):
            children = rng.sample(children, len(children))
        moved.append((header, children))
    return rng.sample(moved, len(moved))


def _mutated(units: list, rng: random.Random) -> list:
    units = [(h, list(c)) for h, c in units]
    index = rng.randrange(len(units))
    header, children = units[index]
    choice = rng.randrange(4)
    if choice == 0 and len(children) > 1:
        children.reverse()  # reorders ACL entries and banner text too
    elif choice == 1 and children:
        children.pop(rng.randrange(len(children)))
    elif choice == 2:
        children.append("ip access-list" in header and "deny tcp any any eq 23" or "no cdp enable")
    else:
        units.pop(index)
    return units


@settings(max_examples=150, deadline=None)
@given(configs(), st.randoms(use_true_random=False))
def test_equal_outlines_mean_hier_config_finds_nothing(units, rng):
    intended = _text(units)
    running = "Building configuration...\n!\nversion 17.9\n" + _text(_shuffled(units, rng)) + "end\n"
    assert outline(running) is not None and same_tree(running, intended)  # the fast path fires
    assert _full(running, intended) == [] and _full(intended, running) == []
    other = _text(_mutated(units, rng))
    if same_tree(other, intended):
        assert _full(other, intended) == [] and _full(intended, other) == []
    else:
        # not the same: the comparison falls back to hier-config and gives exactly its answer
        assert to_send(remediation(other, intended)) == _full(other, intended)


@pytest.mark.parametrize("text", [
    "interface Gi1/0/1\n   shutdown\n",                       # indented by three
    "interface Gi1/0/1\n shutdown\n shutdown\n",              # the same line twice in a section
    "interface Gi1/0/1\n shutdown\n exit\n",                  # hier-config drops "exit" only when last
])
def test_shapes_left_to_hier_config(text):
    assert outline(text) is None


def test_banners_in_any_delimiter_have_an_outline():
    assert outline("banner motd @\nHi\n@\nbanner exec #x#\n") is not None


def test_reordered_acl_entries_are_a_change():
    a = "ip access-list extended V\n permit ip any any\n deny ip any any\n"
    b = "ip access-list extended V\n deny ip any any\n permit ip any any\n"
    assert not same_tree(a, b) and _full(a, b) != []
    assert to_send(remediation(a, b)) == _full(a, b)


def test_banner_comment_lines_count():
    """hier-config keeps a banner's "! ..." text line; the outline must see it too."""
    a = "banner motd ^C\nHello\n! keep out\n^C\n"
    b = "banner motd ^C\nHello\n^C\n"
    assert not same_tree(a, b) and _full(a, b) != []


def test_drift_and_converged_agree_with_the_full_comparison():
    a = "hostname sw1\nvlan 10\n name DATA\ninterface Gi1/0/1\n shutdown\n description x\n"
    b = "interface GigabitEthernet1/0/1\n description x\n shutdown\nvlan 10\n name DATA\nhostname sw1\n"
    assert converged(a, b) and drift(a, b) == ([], [])
    c = b.replace("DATA", "VOICE")
    assert not converged(a, c) and drift(a, c) == (["vlan 10", "  name VOICE"], ["vlan 10", "  name DATA"])


def _golden_device_configs():
    root = Path(__file__).resolve().parents[1] / "golden" / "render"
    return sorted(p for p in root.glob("*/*/*.cfg") if p.parent.name in ("switches", "gateways"))


@pytest.mark.parametrize("path", _golden_device_configs(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_fast_path_agrees_with_hier_config_on_golden_configs(path):
    """Every rendered device file: shuffled it is the same tree, drifted it is not, and hier-config agrees."""
    intended = path.read_text()
    units, current = [], None
    for line in intended.splitlines():
        if line.startswith(" ") and current is not None:
            current[1].append(line)
        else:
            current = [line, []]
            units.append(current)
    running = "Building configuration...\n!\nversion 17.9\n" + "".join(
        "\n".join([h, *c]) + "\n" for h, c in reversed(units)) + "end\n"
    assert same_tree(running, intended)
    assert _full(running, intended) == [] and _full(intended, running) == []
    drifted = running.replace("hostname ", "hostname x", 1)
    assert not same_tree(drifted, intended)
    assert to_send(remediation(drifted, intended)) == _full(drifted, intended) != []
