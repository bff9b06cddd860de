"""The outline of an IOS config: the tree hier-config would build, without its order, in a tenth of its time.

Two configs with the same outline give hier-config trees that differ at most in the order of
sibling sections, and hier-config compares children as sets (``HConfigChildren.__eq__`` sorts
them), so the remediation between them is empty both ways. A device prints its running config in
its own order, not the template's; comparing outlines lets a re-push with nothing to change skip
building two hier-config trees per device (measured in bench/push.py).

The outline is kept exact rather than clever: wherever hier-config's result could depend on line
order, ``outline`` returns None and the caller asks hier-config. That is the case for

* children of ``ip access-list`` / ``ipv6 access-list`` (hier-config numbers them by position):
  kept in order, not sorted;
* two siblings with the same text (hier-config merges, refuses or keeps both, by section);
* a section whose child is ``exit`` or starts with ``exit-`` (hier-config drops it only when last);
* indentation that steps by more than one space (the parent of such a line depends on its order);
* a banner not in the ``banner <kind> ^C`` form that ``canonical_text`` produces.

>>> a = "hostname sw1\\nvlan 10\\n name DATA\\ninterface Gi1/0/1\\n description x\\n switchport mode access\\n"
>>> b = "!\\ninterface GigabitEthernet1/0/1\\n switchport mode access\\n description x\\nhostname sw1\\nvlan 10\\n name DATA\\nend\\n"
>>> outline(a) == outline(b), outline(a) == outline(a.replace("DATA", "VOICE"))
(True, False)
>>> outline("interface Gi1/0/1\\n   shutdown\\n") is None  # indented by three: ask hier-config
True
"""

from __future__ import annotations

import re

from hier_config import Platform, get_hconfig_driver

from ccinfra.push.canonical import canonical_text

Node = tuple[str, tuple["Node", ...]]

_DRIVER_RULES = get_hconfig_driver(Platform.CISCO_IOS).rules
# hier-config's own per-line rules for IOS (headers, "version", comments, "end" dropped before parsing).
_LINE_RULES = [(re.compile(rule.search), rule.replace) for rule in _DRIVER_RULES.per_line_sub]
_ANY_RULE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _LINE_RULES) or "(?!)")
_ORDERED = ("ip access-list", "ipv6 access-list")
_BANNER_END_LINES = frozenset({"EOF", "%", "!", "^", "^C"})
# The outline mirrors hier-config's parser for IOS as it is; a driver that shifts indentation by
# rule would make the outline wrong, so then it is never used.
ENABLED = not _DRIVER_RULES.indent_adjust


class _Irregular(Exception):
    """The config has a shape whose hier-config tree could depend on line order."""


def _banner(lines: list[str], start: int) -> tuple[str, int]:
    """(the banner as hier-config keeps it: its lines joined, index after it) for ``lines[start]``."""
    if lines[start].split()[2:] != ["^C"]:
        raise _Irregular
    block, index = [lines[start]], start + 1
    while index < len(lines):
        line = lines[index]
        index += 1
        if line != "!":
            block.append(line)
        if line.startswith("^") or line in _BANNER_END_LINES or "^C" in line:
            return "\n".join(block), index
    raise _Irregular  # hier-config refuses an unterminated banner: let it say so


def _parsed_line(raw: str) -> str:
    """A line as hier-config keeps it: inner spaces collapsed, its per-line rules applied."""
    indent = len(raw) - len(raw.lstrip())
    line = " " * indent + " ".join(raw.split())
    if _ANY_RULE.search(line):  # most lines match no rule: one search instead of one per rule
        for pattern, replace in _LINE_RULES:
            line = pattern.sub(replace, line)
    return line.rstrip()


def _freeze(text: str, children: list[list]) -> Node:
    """A node and its children, sorted unless their order means something (ACL entries)."""
    nodes = [_freeze(*child) for child in children]
    if len({node[0] for node in nodes}) != len(nodes):
        raise _Irregular
    if any(node[0] == "exit" or node[0].startswith("exit-") for node in nodes):
        raise _Irregular
    return text, tuple(nodes if text.startswith(_ORDERED) else sorted(nodes))


def outline(config: str) -> Node | None:
    """The order-free tree of ``config`` as hier-config parses it, or None where order could matter."""
    if not ENABLED:
        return None
    lines = canonical_text(config).splitlines()
    root: list = ["", []]
    stack: list[tuple[int, list]] = [(-1, root)]
    index = 0
    try:
        while index < len(lines):
            if lines[index].startswith("banner "):
                text, index = _banner(lines, index)
                node: list = [text, []]
                root[1].append(node)
                stack = [(-1, root), (0, node)]
                continue
            line = _parsed_line(lines[index])
            index += 1
            if not line:
                continue
            indent = len(line) - len(line.lstrip())
            while indent <= stack[-1][0]:
                stack.pop()
            if indent != stack[-1][0] + 1:
                raise _Irregular
            node = [line.lstrip(), []]
            stack[-1][1][1].append(node)
            stack.append((indent, node))
        return _freeze("", root[1])
    except _Irregular:
        return None


def same_tree(running: str, intended: str) -> bool:
    """True when hier-config is sure to find nothing to change between the two (both ways).

    False means "ask hier-config": the configs differ, or their shape is one the outline leaves to it.
    """
    mine = outline(running)
    return mine is not None and mine == outline(intended)
