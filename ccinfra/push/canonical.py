"""IOS config text spelled the way IOS prints it, so that equal configs compare equal.

Interface names are expanded (``Gi1/0/1`` → ``GigabitEthernet1/0/1``) with netutils, and every
banner gets the ``^C`` delimiter on lines of its own, the shape hier-config parses and
``show running-config`` prints.
"""

from __future__ import annotations

import re

from netutils.interface import canonical_interface_name

_INTERFACE = re.compile(r"^(\s*(?:no\s+)?interface\s+)(\S+)(.*)$", re.IGNORECASE)
_BANNER_START = re.compile(r"^banner (\S+) ?(.*)$", re.IGNORECASE)


def canonical_interface(name: str) -> str:
    """IOS's own spelling of an interface name, as ``show running-config`` prints it.

    >>> canonical_interface("gi1/0/1"), canonical_interface("Vlan10"), canonical_interface("Tu0")
    ('GigabitEthernet1/0/1', 'Vlan10', 'Tunnel0')
    """
    try:
        full = str(canonical_interface_name(name))
    except Exception:  # netutils raises on names it cannot parse; compare them as written
        return name
    # netutils spells VLAN and tunnel interfaces differently from IOS's running config.
    found = re.match(r"^(VLAN|vlan|Tunnel|tu|tunnel)(\d.*)$", full)
    if found:
        return ("Vlan" if found[1].lower() == "vlan" else "Tunnel") + found[2]
    return full


def _banner_delimiter(rest: str) -> str:
    """IOS takes the first character after the banner kind as the delimiter; shown configs use ``^C``."""
    return "^C" if rest.startswith("^C") else rest[:1]


def _canonical_banner(kind: str, rest: str, lines: list[str], start: int) -> tuple[list[str], int]:
    """(canonical banner lines, index of the next line) for a banner starting at ``lines[start]``.

    Every banner becomes ``banner <kind> ^C`` / text lines / ``^C``, the shape hier-config parses and
    ``show running-config`` prints, whatever delimiter or one-line form the source used.
    """
    delimiter = _banner_delimiter(rest)
    text, index, tail = [], start + 1, rest[len(delimiter):]
    while delimiter not in tail:
        if tail:
            text.append(tail)
        if index >= len(lines):
            break
        tail, index = lines[index], index + 1
    else:
        head = tail.split(delimiter, 1)[0]
        if head:
            text.append(head)
    return [f"banner {kind} ^C", *text, "^C"], index


def canonical_text(config: str) -> str:
    """``config`` spelled the way IOS prints it, so equal configs compare equal.

    Abbreviated interface names are expanded (``interface Gi1/0/1`` → ``GigabitEthernet1/0/1``):
    otherwise a remediation would delete the running interface and create the "new" one. Banners
    get the ``^C`` delimiter on lines of their own.

    >>> canonical_text("interface gi1/0/1\\n shutdown\\nbanner motd #Hi#\\n").splitlines()
    ['interface GigabitEthernet1/0/1', ' shutdown', 'banner motd ^C', 'Hi', '^C']
    """
    lines = config.replace("\x03", "^C").splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        banner = _BANNER_START.match(line)
        if banner and banner[2]:
            block, index = _canonical_banner(banner[1], banner[2], lines, index)
            out += block
            continue
        found = _INTERFACE.match(line)
        if found and not found[2].lower().startswith("range"):
            line = f"{found[1]}{canonical_interface(found[2])}{found[3]}"
        out.append(line)
        index += 1
    return "\n".join(out) + "\n"
