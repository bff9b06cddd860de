"""Invariants checked on the rendered text before anything is written.

Switch and IOS gateway configs are parsed with netutils' ``IOSConfigParser`` into a tree of sections
(hier-config's ``get_hconfig`` gives the same tree but costs about 30 ms per 48-port switch against
3 ms, which would dominate a 2,000-seat build); phone files are parsed with ``xml.etree`` or as
Yealink ``key = value`` lines, an Asterisk pjsip.conf as INI sections. A broken invariant is reported as
``<device> (<path>) line <n>: <what>``; the first one is raised as RenderError (with a count of the
rest) and the build is not written.
"""

from __future__ import annotations

import re
from xml.parsers import expat
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from netutils.config.parser import IOSConfigParser

from ccinfra.errors import RenderError
from ccinfra.render.switch_rules import management_findings, rule_findings
from ccinfra.standards import rule_citation
from ccinfra.render.gateway_checks import gateway_problems
from ccinfra.render.pjsip_checks import pjsip_problems

YEALINK_HEADER = "#!version:1.0.0.1"
_YEALINK_LINE = re.compile(r"^([A-Za-z0-9_.]+) = ([^\r\n]*)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but tab and newline
# Credentials never belong in a rendered file: they are provisioned out of band.
_IOS_SECRET = re.compile(r"^[ \t]*[^!\s][^\n]*\b(password|secret|community)[ \t]+\S", re.MULTILINE)
_IOS_SECRET_OK = {"service password-encryption"}
# An element or attribute named *password* with a value: <authPassword>x</...>, reg.1.auth.password="x".
_XML_SECRET = re.compile(r"<(\w*[Pp]assword\w*)>\s*[^<\s]|\b([\w.]*[Pp]assword[\w.]*)=\"[^\"]")
# The line's extension: Cisco <sipLines><line><name>, Polycom reg.1.address.
_CISCO_LINE_NAME = re.compile(r"<name>([^<]*)</name>")
_POLYCOM_REG = re.compile(r"reg\.1\.address=\"([^\"]*)\"")
_VLAN_DEF = re.compile(r"vlan (\d+)")
_SVI = re.compile(r"Vlan(\d+)")
_PORT_VLAN = re.compile(r"switchport (access|voice) vlan (\d+)")
_TRUNK_ALLOWED = re.compile(r"switchport trunk allowed vlan (\S+)")
_IP_ADDRESS = re.compile(r"ip address (\S+) \S+")


@dataclass(frozen=True)
class RenderedFile:
    """A rendered file with the device it belongs to and the context it was rendered from."""

    device: str
    role: str
    platform: str
    path: str
    kind: str
    text: str
    context: dict[str, Any] = field(repr=False)


@dataclass
class Problem:
    device: str
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.device} ({self.path}) line {self.line}: {self.message}"


@dataclass
class Node:
    """A config line and the lines nested under it (stripped of indentation)."""

    text: str
    children: list[Node] = field(default_factory=list)


def parse_ios(text: str) -> Node:
    """The section tree of an IOS config (comments dropped); the root's text is empty.

    >>> tree = parse_ios("interface Gi1/0/1\\n switchport access vlan 10\\n!\\nend\\n")
    >>> [(n.text, [c.text for c in n.children]) for n in tree.children]
    [('interface Gi1/0/1', ['switchport access vlan 10']), ('end', [])]
    """
    root = Node("")
    nodes: dict[tuple[str, ...], Node] = {(): root}
    for line in IOSConfigParser(text).config_lines:
        path = (*line.parents, line.config_line)
        if path in nodes:  # a repeated section: IOS merges it, and LineIndex reports it
            continue
        node = Node(line.config_line.strip())
        nodes[path] = node
        nodes.get(tuple(line.parents), root).children.append(node)
    return root


class LineIndex:
    """Line numbers of top-level lines and of their children in an IOS config (hier-config keeps none)."""

    def __init__(self, text: str) -> None:
        self.sections: dict[str, int] = {}
        self.children: dict[tuple[str, str], int] = {}
        self.duplicates: list[tuple[str, int]] = []
        current = ""
        for number, raw in enumerate(text.splitlines(), start=1):
            stripped = raw.strip()
            if not stripped or stripped.startswith("!"):
                continue
            if raw[0] != " ":
                current = stripped
                if current in self.sections:
                    self.duplicates.append((current, number))
                self.sections.setdefault(current, number)
            else:
                self.children.setdefault((current, stripped), number)

    def line(self, section: str, child: str | None = None) -> int:
        if child is not None and (section, child) in self.children:
            return self.children[(section, child)]
        return self.sections.get(section, 0)


def vlan_set(text: str) -> set[int]:
    """VLAN ids of an IOS list.

    >>> sorted(vlan_set("10,20,30-32"))
    [10, 20, 30, 31, 32]
    """
    found: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        found.update(range(int(low), int(high or low) + 1))
    return found


def _interfaces(tree: Any) -> dict[str, Any]:
    return {c.text.split(" ", 1)[1]: c for c in tree.children if c.text.startswith("interface ")}


def _switch_problems(f: RenderedFile, tree: Any, idx: LineIndex) -> list[Problem]:
    ctx, out = f.context, []

    def bad(section: str, child: str | None, message: str) -> None:
        out.append(Problem(f.device, f.path, idx.line(section, child), message))

    defined = {1} | {int(m.group(1)) for c in tree.children if (m := _VLAN_DEF.fullmatch(c.text))}
    site_vlans = {v["id"] for v in ctx["vlans"]} - {ctx["vlan_ids"]["parking"]}  # parking rides no trunk
    interfaces = _interfaces(tree)
    for name, node in interfaces.items():
        section = node.text
        if (m := _SVI.fullmatch(name)) and int(m.group(1)) not in defined:
            bad(section, None, f"SVI for VLAN {m.group(1)}, which is not defined")
        texts = [c.text for c in node.children]
        for text in texts:
            if not text.startswith("switchport "):
                continue
            if m := _PORT_VLAN.fullmatch(text):
                if int(m.group(2)) not in defined:
                    bad(section, text, f"{m.group(1)} VLAN {m.group(2)} is not defined (no 'vlan {m.group(2)}')")
            elif m := _TRUNK_ALLOWED.fullmatch(text):
                allowed = vlan_set(m.group(1))
                if allowed != site_vlans:
                    bad(section, text, f"trunk allows VLANs {sorted(allowed)}, the site has {sorted(site_vlans)}")
                for vlan in sorted(allowed - defined):
                    bad(section, text, f"trunk allows VLAN {vlan}, which is not defined")
        if "switchport mode trunk" in texts and not any(t.startswith("switchport trunk allowed vlan") for t in texts):
            bad(section, "switchport mode trunk", "trunk without 'switchport trunk allowed vlan' carries every VLAN")
    for port in ctx["ports"]:
        node = interfaces.get(port["interface"])
        if node is None:
            if port["kind"] != "spare":
                out.append(Problem(f.device, f.path, 0, f"no 'interface {port['interface']}' for {port['description']}"))
            continue
        texts = {c.text for c in node.children}
        if port["kind"] == "seat":
            for want in (f"switchport access vlan {port['vlan']}",
                         f"switchport voice vlan {port['voice_vlan']}" if port["voice_vlan"] else None):
                if want and want not in texts:
                    bad(node.text, None, f"seat port {port['label']} lacks '{want}'")
    for uplink in ctx["uplinks"]:
        node = interfaces.get(uplink)
        if node is None or "switchport mode trunk" not in {c.text for c in node.children}:
            bad(f"interface {uplink}", None, f"uplink {uplink} is not a trunk")
    for rule, section, child, message in rule_findings(tree, ctx):
        bad(section, child, f"rule {rule_citation(rule)}: {message}")
    return out


def management_address(f: RenderedFile, tree: Any, idx: LineIndex) -> tuple[str, int] | None:
    """The address on the management interface (the VLAN SVI of a switch, the interface of a gateway)."""
    name = f"Vlan{f.context['vlan_ids']['management']}" if f.role == "switch" else f.context["interface"]
    node = _interfaces(tree).get(name)
    for child in node.children if node is not None else []:
        if m := _IP_ADDRESS.fullmatch(child.text):
            return m.group(1), idx.line(node.text, child.text)
    return None


def _secret_problems(f: RenderedFile) -> list[Problem]:
    out: list[Problem] = []
    if not _IOS_SECRET.search(f.text):  # the usual case: one scan of the whole text
        return out
    for number, raw in enumerate(f.text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("!") or line in _IOS_SECRET_OK:
            continue
        if _IOS_SECRET.search(line):
            out.append(Problem(f.device, f.path, number, f"carries a credential ('{line.split()[0]} ...'); "
                                                           "credentials are provisioned out of band"))
    return out


def ios_problems(f: RenderedFile) -> tuple[list[Problem], tuple[str, int] | None]:
    """Parse an IOS config and check it; also return its management address (for the duplicate check)."""
    try:
        tree = parse_ios(f.text)
    except (ValueError, IndexError, KeyError) as err:  # netutils raises these on e.g. an unterminated banner
        return [Problem(f.device, f.path, 0, f"cannot be parsed as an IOS configuration ({err})")], None
    idx = LineIndex(f.text)
    out = [Problem(f.device, f.path, n, f"'{line}' appears twice") for line, n in idx.duplicates]
    out += _secret_problems(f)
    out += _switch_problems(f, tree, idx) if f.role == "switch" else gateway_problems(f, tree, idx, Problem)
    if f.role != "switch":  # a gateway keeps the management rules (the switch checks all rules above)
        out += [Problem(f.device, f.path, idx.line(section, child), f"rule {rule_citation(rule)}: {message}")
                for rule, section, child, message in management_findings(tree, f.context)]
    return out, management_address(f, tree, idx)


def yealink_problems(f: RenderedFile) -> tuple[list[Problem], dict[str, str]]:
    lines = f.text.splitlines()
    out: list[Problem] = []
    keys: dict[str, str] = {}
    if not lines or lines[0] != YEALINK_HEADER:
        out.append(Problem(f.device, f.path, 1, f"a Yealink file must start with '{YEALINK_HEADER}'"))
    for number, raw in enumerate(lines[1:], start=2):
        if not raw.strip() or raw.startswith("#"):
            continue
        m = _YEALINK_LINE.match(raw)
        if not m:
            out.append(Problem(f.device, f.path, number, f"not a 'key = value' line: {raw[:40]!r}"))
            continue
        keys[m.group(1)] = m.group(2)
        if "password" in m.group(1) and m.group(2).strip():
            out.append(Problem(f.device, f.path, number, f"{m.group(1)} carries a credential"))
    facts = {"extension": keys["account.1.user_name"]} if "account.1.user_name" in keys else {}
    return out, facts


def xml_problems(f: RenderedFile) -> tuple[list[Problem], dict[str, str]]:
    """Well-formed XML (expat, without building a tree), no credentials, and the line's extension."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(f.text, True)
    except expat.ExpatError as err:
        return [Problem(f.device, f.path, err.lineno, f"not well-formed XML ({expat.errors.messages[err.code]})")], {}
    out = [Problem(f.device, f.path, line_of(f.text, m.group()), f"{m.group(1) or m.group(2)} carries a credential")
           for m in (_XML_SECRET.finditer(f.text) if "assword" in f.text else ())]
    facts = {}
    lines_at = f.text.find("<sipLines>")
    m = _CISCO_LINE_NAME.search(f.text, lines_at) if lines_at >= 0 else _POLYCOM_REG.search(f.text)
    if m:
        facts["extension"] = m.group(1)
    return out, facts


def check_build(files: list[RenderedFile]) -> None:
    """Check every file and the build as a whole; raise RenderError naming the first problem.

    Build-wide: no two files share a path, and no management address, phone extension or MAC repeats.
    """
    problems: list[Problem] = []
    seen: dict[str, dict[str, str]] = defaultdict(dict)  # what → value → where

    def once(what: str, value: str, where: str, f: RenderedFile, line: int) -> None:
        if value in seen[what]:
            problems.append(Problem(f.device, f.path, line, f"{what} {value} is also used by {seen[what][value]}"))
        seen[what].setdefault(value, f.device)

    first_file: set[str] = set()
    for f in files:
        once("path", f.path, f.device, f, 0)
        if f.role == "phone" and f.device not in first_file:
            first_file.add(f.device)
            once("MAC", f.context["mac"], f.device, f, 0)
        if bad := _CONTROL.search(f.text):
            number = f.text.count("\n", 0, bad.start()) + 1
            problems.append(Problem(f.device, f.path, number, f"control character {bad.group()!r} in the text"))
        if f.kind == "ios":
            found, address = ios_problems(f)
            problems += found
            if address:
                once("management IP", address[0], f.device, f, address[1])
            continue
        if f.kind == "pjsip":  # an Asterisk SIP gateway (ccinfra/render/pjsip_checks.py)
            problems += pjsip_problems(f, Problem)
            continue
        found, facts = yealink_problems(f) if f.kind == "yealink" else xml_problems(f)
        problems += found
        if f.role == "phone" and "extension" in facts:
            once("extension", facts["extension"], f.device, f, line_of(f.text, facts["extension"]))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise RenderError(f"check failed, nothing written: {problems[0]}{more}")


def line_of(text: str, needle: str) -> int:
    r"""The number of the first line containing ``needle`` (0 if none).

    >>> line_of("a\nb = 1\n", "b =")
    2
    """
    at = text.find(needle)
    return 0 if at < 0 else text.count("\n", 0, at) + 1
