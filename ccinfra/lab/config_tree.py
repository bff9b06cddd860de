"""The running configuration of a lab twin as a tree of IOS lines.

Children keep the order they were first added in, the way IOS keeps the order of an interface's
commands; a setting that already exists is replaced in place, and a value equal to the IOS default
is not shown. ``no X`` removes the line ``X``, or else every line whose words start with ``X`` (so
``no description`` removes ``description uplink``); for features that are on by default IOS shows
the negation itself (``no ip http server``, ``no vad``) and so does the twin. Each section node
knows its sub-mode (``ConfigNode.mode``), whose row in ``modes.py`` says which lines are settings
and which are defaults.

>>> tree = ConfigTree.parse("hostname sw1\\n!\\ninterface Gi1/0/1\\n description old\\n!\\nend\\n")
>>> port = tree.root.open("interface GigabitEthernet1/0/1")
>>> port.set("description new"); port.set("shutdown"); port.negate("shutdown")
>>> print(tree.render(), end="")
!
hostname sw1
!
interface GigabitEthernet1/0/1
 description new
!
end
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ccinfra.lab.grammar import (
    is_default_line,
    is_default_on,
    is_shown_when_on,
    normalize_line,
    section_mode,
    setting_key,
)
from ccinfra.lab.modes import GLOBAL

# Lines a device adds around its configuration text; they are not configuration.
_NOT_CONFIG = re.compile(r"^(?:!.*|end|Building configuration.*|Current configuration.*|Using \d+ out of \d+ bytes.*)$")
_BANNER = re.compile(r"^banner (\S+)(?: (.*))?$", re.IGNORECASE)

BANNER_DELIMITER = "^C"  # IOS shows every banner delimiter as ^C (ASCII ETX)


def _words(text: str) -> list[str]:
    return text.lower().split()


def starts_with_words(text: str, prefix: str) -> bool:
    """True when the words of ``text`` begin with all the words of ``prefix`` (case-insensitive).

    >>> starts_with_words("vlan 100", "vlan 10"), starts_with_words("ntp server 10.0.0.1 prefer", "ntp server 10.0.0.1")
    (False, True)
    """
    head = _words(prefix)
    return bool(head) and _words(text)[: len(head)] == head


@dataclass(eq=False)
class ConfigNode:
    """One configuration line, the lines indented under it, and the sub-mode they are typed in."""

    text: str
    children: list[ConfigNode] = field(default_factory=list)
    banner: list[str] | None = None  # text lines of a banner, shown between ^C delimiters
    mode: str | None = None  # the sub-mode this line opens (None: a plain line)

    def find(self, text: str) -> ConfigNode | None:
        """The child whose text is exactly ``text``."""
        for child in self.children:
            if child.text == text:
                return child
        return None

    def open(self, text: str, mode: str | None = None) -> ConfigNode:
        """Enter the section ``text`` under this node, creating it at the end when new."""
        node = self.find(text)
        if node is None:
            self._drop_negations_of(text)
            node = ConfigNode(text, mode=mode or section_mode(self.mode or "", text) or "")
            self.children.append(node)
        return node

    def set(self, text: str) -> None:
        """Add a plain line; a setting with the same key is replaced where it stands."""
        self._drop_negations_of(text)
        key = setting_key(text, self.mode or "")
        if is_default_line(text, self.mode or ""):
            # Back to the default: IOS shows nothing for it, whatever value was set before.
            self.children = [c for c in self.children if c.children or not _same_key(c.text, key, self.mode)]
            return
        if (is_default_on(text, self.mode or "") and not is_shown_when_on(text)) or self.find(text) is not None:
            return
        if key is not None:
            for child in self.children:
                if not child.children and _same_key(child.text, key, self.mode):
                    child.text = text
                    return
        self.children.append(ConfigNode(text))

    def negate(self, text: str) -> None:
        """Apply ``no <text>``: remove the line (or lines starting with it), record default-on negations."""
        exact = [c for c in self.children if _words(c.text) == _words(text)]
        gone = exact or [c for c in self.children if starts_with_words(c.text, text)]
        position = self.children.index(gone[0]) if gone else len(self.children)
        self.children = [c for c in self.children if c not in gone]
        mode = self.mode or ""
        key = setting_key(text, mode)
        shown = text if is_default_on(text, mode) else key if key and is_default_on(key, mode) else None
        if shown is not None and self.find(f"no {shown}") is None:
            self.children.insert(min(position, len(self.children)), ConfigNode(f"no {shown}"))

    def set_banner(self, kind: str, lines: list[str]) -> None:
        """Set (or replace) ``banner <kind>`` with the given text lines."""
        text = f"banner {kind} {BANNER_DELIMITER}"
        node = self.find(text)
        if node is None:
            node = ConfigNode(text)
            self.children.append(node)
        node.banner = list(lines)

    def _drop_negations_of(self, text: str) -> None:
        # A positive line turns a negated default back on ("ip http server" after "no ip http server").
        self.children = [
            c for c in self.children if not (c.text.startswith("no ") and starts_with_words(text, c.text[3:]))
        ]

    def lines(self, depth: int = 0, l2_ports: bool = False) -> list[str]:
        """This node and its children as indented text lines (one space per level).

        ``l2_ports``: Ethernet ports are switchports unless ``no switchport`` (a Catalyst switch).
        """
        out = [" " * depth + self.text]
        if self.banner is not None:
            out += self.banner + [BANNER_DELIMITER]
        children = self.children
        if shows_no_ip_address(self, l2_ports):
            # IOS prints "no ip address" on every layer-3 interface without an address, after the
            # description, whether or not it was typed.
            at = next((i for i, c in enumerate(children) if not c.text.startswith(_BEFORE_ADDRESS)), len(children))
            children = [*children[:at], ConfigNode("no ip address"), *children[at:]]
        for child in children:
            out += child.lines(depth + 1)
        return out

    def is_section(self) -> bool:
        return bool(self.children) or self.banner is not None or self.mode is not None


_BEFORE_ADDRESS = ("description ", "vrf forwarding ", "ip vrf forwarding ")
# Interfaces that are layer 3 on a switch too (Ethernet and Port-channel ports are switchports there).
_ROUTED_ONLY = re.compile(r"^interface (?:Vlan|Loopback|Tunnel|Serial|BDI|Dialer|Virtual-Template)", re.IGNORECASE)


def shows_no_ip_address(node: ConfigNode, l2_ports: bool) -> bool:
    """True for an interface IOS shows with ``no ip address``: layer 3 and without an address.

    >>> svi = ConfigNode("interface Vlan1", [ConfigNode("shutdown")], mode="config-if")
    >>> port = ConfigNode("interface GigabitEthernet1/0/1", mode="config-if")
    >>> shows_no_ip_address(svi, l2_ports=True), shows_no_ip_address(port, l2_ports=True)
    (True, False)
    """
    if node.mode != "config-if":
        return False
    texts = [c.text for c in node.children]
    if any(t == "no ip address" or t.startswith("ip address ") for t in texts):
        return False
    return not l2_ports or "no switchport" in texts or bool(_ROUTED_ONLY.match(node.text))


def _same_key(text: str, key: str | None, mode: str | None) -> bool:
    return key is not None and (setting_key(text, mode or "") or "").lower() == key.lower()


class BannerCollector:
    """Collects a ``banner <kind> <delimiter>text<delimiter>`` that may span several lines.

    >>> b = BannerCollector("#Authorised use only")
    >>> b.done, b.feed("Disconnect now#"), b.lines
    (False, True, ['Authorised use only', 'Disconnect now'])
    """

    def __init__(self, rest: str) -> None:
        rest = rest.lstrip()
        self.delimiter = BANNER_DELIMITER if rest.startswith(BANNER_DELIMITER) else rest[:1]
        self.lines: list[str] = []
        self.done = not self.delimiter
        if self.delimiter:
            self.feed(rest[len(self.delimiter):], first=True)

    def feed(self, line: str, first: bool = False) -> bool:
        """Add one line of text; True once the closing delimiter has been seen."""
        if self.delimiter in line:
            head = line.split(self.delimiter, 1)[0]
            if head:
                self.lines.append(head)
            self.done = True
        elif line or not first:
            self.lines.append(line)
        return self.done


class ConfigTree:
    """A whole configuration: a root node whose children are the global lines."""

    def __init__(self, l2_ports: bool = True) -> None:
        self.root = ConfigNode("", mode=GLOBAL)
        self.l2_ports = l2_ports  # a Catalyst switch: Ethernet ports are switchports

    @classmethod
    def parse(cls, text: str, l2_ports: bool = True) -> ConfigTree:
        """Read IOS configuration text (indentation gives the hierarchy; ``!`` lines are ignored)."""
        tree = cls(l2_ports)
        stack: list[tuple[int, ConfigNode]] = [(-1, tree.root)]
        banner: tuple[str, BannerCollector] | None = None
        for raw in text.replace("\t", " ").splitlines():
            if banner is not None:
                if banner[1].feed(raw.rstrip("\r")):
                    tree.root.set_banner(banner[0], banner[1].lines)
                    banner = None
                continue
            stripped = raw.strip()
            if not stripped or _NOT_CONFIG.match(stripped):
                continue
            indent = len(raw) - len(raw.lstrip(" "))
            while stack[-1][0] >= indent:
                stack.pop()
            found = _BANNER.match(stripped) if indent == 0 else None
            if found:
                collector = BannerCollector(found.group(2) or "")
                if collector.done:
                    tree.root.set_banner(found.group(1), collector.lines)
                else:
                    banner = (found.group(1), collector)
                continue
            parent = stack[-1][1]
            if parent.mode is None:  # indented lines under a line the table does not know as a section
                parent.mode = ""
            line = normalize_line(stripped, [n.mode or "" for _, n in stack])
            node = parent.find(line) or ConfigNode(line, mode=section_mode(parent.mode, line))
            if node not in parent.children:
                parent.children.append(node)
            stack.append((indent, node))
        return tree

    def render(self) -> str:
        """IOS ``show running-config`` body: ``!`` around sections, children indented, ``end``."""
        out = ["!"]
        for node in self.root.children:
            section = node.is_section()
            if section and out[-1] != "!":
                out.append("!")
            out += node.lines(l2_ports=self.l2_ports)
            if section:
                out.append("!")
        if out[-1] != "!":
            out.append("!")
        out.append("end")
        return "\n".join(out) + "\n"

    def hostname(self, default: str) -> str:
        """The configured ``hostname``, or the IOS default when there is none."""
        for node in self.root.children:
            words = node.text.split()
            if len(words) == 2 and words[0] == "hostname":
                return words[1]
        return default

    def section_text(self, text: str) -> str | None:
        """One top-level section rendered alone (``show running-config interface X``)."""
        node = self.root.find(text)
        return None if node is None else "\n".join(node.lines(l2_ports=self.l2_ports)) + "\n"
