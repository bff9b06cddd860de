"""The hardening and voice-QoS rules of ``ccinfra.standards.RULES``, checked on a rendered access switch.

Each check reads the parsed config (``checks.parse_ios``) and the context it was rendered from, so a
template that loses a rule (a line deleted, a port left out) fails the build with the rule's id and
sources, e.g. ``harden.vty-acl (...; cis-cisco-ios, cisco-iosxe-hardening): line vty 0 4 has no
'access-class CC-MGMT in'``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from ccinfra import standards

Finding = tuple[str, str, "str | None", str]  # rule id, section, child line (for the line number), message
_ACL_ENTRY = re.compile(r"^(?:\d+ )?permit (\S+) (\S+)$")
_EXEC_TIMEOUT = re.compile(r"^exec-timeout (\d+)(?: (\d+))?$")
_POLICE = re.compile(r"^police rate percent (\d+)$")


class SwitchView:
    """A rendered switch as the rules read it: top-level lines, sections and the render context."""

    def __init__(self, tree: Any, ctx: dict[str, Any]) -> None:
        self.ctx = ctx
        self.top = {c.text for c in tree.children}
        self.sections = {c.text: {x.text for x in c.children} for c in tree.children if c.children}
        self.nodes = {c.text: c for c in tree.children}

    def lines(self, section: str) -> set[str]:
        return self.sections.get(section, set())

    def starting(self, prefix: str) -> list[str]:
        return [t for t in self.top if t.startswith(prefix)]

    def ports(self, *kinds: str) -> Iterator[dict[str, Any]]:
        return (p for p in self.ctx["ports"] if p["kind"] in kinds)

    def uplinks(self) -> list[str]:
        return [f"interface {u}" for u in self.ctx["uplinks"]]

    def vty_sections(self) -> list[str]:
        return [t for t in self.top if t.startswith("line vty ")] or ["line vty 0 4"]

    def nested(self, section: str) -> dict[str, set[str]]:
        """Children of ``section`` that are sections themselves (policy-map classes), by their text."""
        node = self.nodes.get(section)
        return {c.text: {x.text for x in c.children} for c in node.children} if node is not None else {}


def _need(v: SwitchView, rule: str, section: str, line: str) -> Iterator[Finding]:
    if line not in v.lines(section):
        yield rule, section, None, f"{section} has no '{line}'"


def _need_top(rule: str, v: SwitchView, line: str) -> Iterator[Finding]:
    if line not in v.top:
        yield rule, line, None, f"no '{line}'"


def _vlan_ids(text: str) -> set[int]:
    found: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        if low.isdigit() and (high.isdigit() or not high):
            found.update(range(int(low), int(high or low) + 1))
    return found


def parking_vlan(v: SwitchView) -> Iterator[Finding]:
    rule, parking = "harden.parking-vlan", v.ctx["vlan_ids"]["parking"]
    if not any(t.startswith("name ") for t in v.lines(f"vlan {parking}")):
        yield rule, f"vlan {parking}", None, f"parking VLAN {parking} is not defined with a name"
    for port in v.ports("spare"):
        section = f"interface {port['interface']}"
        for line in ("shutdown", f"switchport access vlan {parking}"):
            yield from _need(v, rule, section, line)
    for section in v.uplinks():
        for line in v.lines(section):
            if line.startswith("switchport trunk allowed vlan ") and parking in _vlan_ids(line.rsplit(" ", 1)[1]):
                yield rule, section, line, f"trunk carries the parking VLAN {parking}"


def native_vlan(v: SwitchView) -> Iterator[Finding]:
    for section in v.uplinks():
        native = [t for t in v.lines(section) if t.startswith("switchport trunk native vlan ")]
        if not native:
            yield "harden.native-vlan", section, None, f"{section} keeps native VLAN 1 (no 'switchport trunk native vlan')"
        elif native[0].endswith(" 1"):
            yield "harden.native-vlan", section, native[0], "native VLAN is 1"


def vlan1_unused(v: SwitchView) -> Iterator[Finding]:
    rule = "harden.vlan1-unused"
    for section, lines in v.sections.items():
        if not section.startswith("interface "):
            continue
        for line in lines:
            if line in ("switchport access vlan 1", "switchport voice vlan 1"):
                yield rule, section, line, "a port is in VLAN 1"
            elif line.startswith("switchport trunk allowed vlan ") and 1 in _vlan_ids(line.rsplit(" ", 1)[1]):
                yield rule, section, line, "a trunk carries VLAN 1"
    for port in v.ports("seat", "extra", "spare"):
        section = f"interface {port['interface']}"
        if not any(t.startswith("switchport access vlan ") for t in v.lines(section)):
            yield rule, section, None, f"{section} has no access VLAN, so it sits in VLAN 1"
    yield from _need(v, rule, "interface Vlan1", "shutdown")


def port_security(v: SwitchView) -> Iterator[Finding]:
    rule, most = "harden.port-security", v.ctx["hardening"]["port_security_max"]
    for port in v.ports("seat"):
        section = f"interface {port['interface']}"
        yield from _need(v, rule, section, "switchport port-security")
        yield from _need(v, rule, section, f"switchport port-security maximum {most}")


def _guarded_vlans(v: SwitchView, rule: str, prefix: str, trust: str) -> Iterator[Finding]:
    wanted = {v.ctx["vlan_ids"]["data"], v.ctx["vlan_ids"]["voice"]}
    covered: set[int] = set()
    for line in v.starting(prefix):
        covered |= _vlan_ids(line[len(prefix):])
    if not wanted <= covered:
        yield rule, prefix.strip(), None, f"'{prefix.strip()}' does not cover VLANs {sorted(wanted - covered)}"
    for section in v.uplinks():
        yield from _need(v, rule, section, trust)


def dhcp_snooping(v: SwitchView) -> Iterator[Finding]:
    yield from _need_top("harden.dhcp-snooping", v, "ip dhcp snooping")
    yield from _guarded_vlans(v, "harden.dhcp-snooping", "ip dhcp snooping vlan ", "ip dhcp snooping trust")


def arp_inspection(v: SwitchView) -> Iterator[Finding]:
    yield from _guarded_vlans(v, "harden.arp-inspection", "ip arp inspection vlan ", "ip arp inspection trust")


def ip_source_guard(v: SwitchView) -> Iterator[Finding]:
    for port in v.ports("seat"):
        yield from _need(v, "harden.ip-source-guard", f"interface {port['interface']}", "ip verify source")


def edge_guards(v: SwitchView) -> Iterator[Finding]:
    for port in v.ports("seat", "extra"):
        section = f"interface {port['interface']}"
        yield from _need(v, "harden.bpdu-guard", section, "spanning-tree bpduguard enable")
        if not any(t.startswith("storm-control broadcast level ") for t in v.lines(section)):
            yield "harden.storm-control", section, None, f"{section} has no 'storm-control broadcast level'"


def management(v: SwitchView) -> Iterator[Finding]:
    yield from _need_top("harden.ssh-v2", v, "ip ssh version 2")
    yield from _need_top("harden.no-http", v, "no ip http server")
    yield from _need_top("harden.no-http", v, "no ip http secure-server")
    if not v.starting("login block-for "):
        yield "harden.login-block", "login block-for", None, "no 'login block-for'"
    if not v.starting("logging buffered"):
        yield "harden.logging-buffered", "logging buffered", None, "no 'logging buffered'"
    acls = _management_acls(v)
    for section in v.vty_sections():
        yield from _need(v, "harden.ssh-v2", section, "transport input ssh")
        if not any(f"access-class {name} in" in v.lines(section) for name in acls):
            yield ("harden.vty-acl", section, None,
                   f"{section} has no 'access-class <acl> in' for an ACL permitting {v.ctx['management']['subnet']}")
    for section in ["line con 0", *v.vty_sections()]:
        timeouts = [m for t in v.lines(section) if (m := _EXEC_TIMEOUT.fullmatch(t))]
        seconds = int(timeouts[0][1]) * 60 + int(timeouts[0][2] or 0) if timeouts else 0
        if not 0 < seconds <= 600:
            yield "harden.exec-timeout", section, None, f"{section} needs 'exec-timeout' of 10 minutes or less (not 0)"


def _management_acls(v: SwitchView) -> list[str]:
    """Standard ACLs whose every entry permits the management subnet (and nothing wider)."""
    want = (v.ctx["management"]["network"], v.ctx["management"]["wildcard"])
    found = []
    for section, lines in v.sections.items():
        if section.startswith("ip access-list standard "):
            entries = [m.groups() for t in lines if (m := _ACL_ENTRY.fullmatch(t))]
            if entries and all(e == want for e in entries):
                found.append(section.rsplit(" ", 1)[1])
    return found


def qos(v: SwitchView) -> Iterator[Finding]:
    classes = {section.split()[-1]: lines for section, lines in v.sections.items() if section.startswith("class-map ")}
    ef = [name for name, lines in classes.items() if "match dscp ef" in lines]
    cs3 = [name for name, lines in classes.items() if "match dscp cs3" in lines]
    if not ef or not cs3:
        yield "qos.classes", "class-map", None, "no class-map matching DSCP EF and another matching DSCP CS3"
        return
    want = {"access": v.ctx["qos"]["priority_access_percent"], "uplink": v.ctx["qos"]["priority_uplink_percent"]}
    targets = {"access": [f"interface {p['interface']}" for p in v.ports("seat", "extra")], "uplink": v.uplinks()}
    for kind, sections in targets.items():
        for section in sections:
            policies = [t.split()[-1] for t in v.lines(section) if t.startswith("service-policy output ")]
            if not policies:
                yield "qos.service-policy", section, None, f"{section} has no 'service-policy output'"
                continue
            yield from _priority_queue(v, policies[0], ef, cs3, want[kind])


def _priority_queue(v: SwitchView, policy: str, ef: list[str], cs3: list[str], percent: int) -> Iterator[Finding]:
    section = f"policy-map {policy}"
    nested = v.nested(section)
    voice = next((lines for text, lines in nested.items() if text.split()[-1] in ef), None)
    if voice is None or not any(t == "priority" or t.startswith("priority level") for t in voice):
        yield "qos.priority-queue", section, None, f"{section} has no strict-priority queue for EF"
        return
    police = [int(m[1]) for t in voice if (m := _POLICE.fullmatch(t))]
    limit = standards.VOICE_MAX_PRIORITY_PERCENT
    if police != [percent] or percent > limit:
        yield ("qos.priority-queue", section, None,
               f"{section}: EF priority queue policed at {police or 'no'} %, the plan sized {percent} % (at most {limit} %)")
    if not any(text.split()[-1] in cs3 for text in nested):
        yield "qos.classes", section, None, f"{section} gives call signalling (CS3) no class"


def phone_trust(v: SwitchView) -> Iterator[Finding]:
    rule = "qos.phone-trust"
    profile = v.ctx["qos"]["network_policy"]
    voice, dscp = v.ctx["vlan_ids"]["voice"], v.ctx["dscp"]
    wanted = "trust device cisco-phone" if v.ctx["trust_cisco_phone"] else f"network-policy {profile}"
    if not v.ctx["trust_cisco_phone"]:
        section = f"network-policy profile {profile}"
        yield from _need(v, rule, section, f"voice vlan {voice} dscp {dscp['ef']}")
        yield from _need(v, rule, section, f"voice-signaling vlan {voice} dscp {dscp['cs3']}")
    for port in v.ports("seat"):
        if port["voice_vlan"]:
            yield from _need(v, rule, f"interface {port['interface']}", wanted)


RULE_CHECKS: tuple[Callable[[SwitchView], Iterator[Finding]], ...] = (
    parking_vlan, native_vlan, vlan1_unused, port_security, dhcp_snooping, arp_inspection, ip_source_guard,
    edge_guards, management, qos, phone_trust,
)


def management_findings(tree: Any, ctx: dict[str, Any]) -> list[Finding]:
    """The management-plane rules alone (SSH v2, vty ACL, timeouts, login block, logging, no HTTP): a gateway's."""
    return list(management(SwitchView(tree, ctx)))


def rule_findings(tree: Any, ctx: dict[str, Any]) -> list[Finding]:
    """Every rule a rendered access switch breaks, as (rule id, section, child line, message).

    >>> from importlib.resources import files
    >>> from ccinfra.render.build import render_plan
    >>> from ccinfra.render.checks import parse_ios
    >>> from ccinfra.render.source import load_source
    >>> switch = render_plan(load_source(str(files("ccinfra.examples") / "site.yaml"))).files[0]
    >>> rule_findings(parse_ios(switch.text), switch.context)
    []
    >>> [f[0] for f in rule_findings(parse_ios(switch.text.replace("no ip http server", "")), switch.context)]
    ['harden.no-http']
    """
    view = SwitchView(tree, ctx)
    return [finding for check in RULE_CHECKS for finding in check(view)]
