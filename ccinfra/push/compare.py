"""Running vs intended IOS configuration, compared with hier-config (one place for push and audit).

hier-config (``get_hconfig``, ``WorkflowRemediation``) builds the remediation — the commands that
take a device from its running config to the intended one, negations included — and the same call
with the arguments swapped gives the rollback (DESIGN.md, provisioning facts).

>>> running = "hostname sw1\\n!\\nvlan 10\\n name OLD\\n!\\nend\\n"
>>> intended = "hostname sw1\\nvlan 10\\n name DATA\\nvlan 20\\n name VOICE\\n"
>>> remediation_lines(running, intended)
['vlan 10', '  name DATA', '  exit', 'vlan 20', '  name VOICE', '  exit']
>>> drift(running, intended)
(['vlan 10', '  name DATA', 'vlan 20', '  name VOICE'], ['vlan 10', '  name OLD'])
>>> converged(intended, intended)
True
"""

from __future__ import annotations

import re

from hier_config import HConfig, Platform, WorkflowRemediation, get_hconfig, get_hconfig_driver
from netutils.interface import canonical_interface_name

_INTERFACE = re.compile(r"^(\s*(?:no\s+)?interface\s+)(\S+)(.*)$", re.IGNORECASE)
_BANNER_NEGATION = re.compile(r"^no banner (\S+)", re.IGNORECASE)
_BANNER_START = re.compile(r"^banner (\S+) ?(.*)$", re.IGNORECASE)
# A banner's text is sent between two copies of a delimiter that must not occur in the text; IOS
# shows every delimiter as ^C but a typed "^C" is two characters, so IOS would take "^" as the
# delimiter and keep the "C" in the banner. "#" is left out: netmiko reads "#" as the prompt end.
_DELIMITERS = "@%$&~|!+=*"


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


def hconfig(config: str) -> HConfig:
    """Parse IOS config text (``show running-config`` output or a rendered file)."""
    return get_hconfig(Platform.CISCO_IOS, canonical_text(config))


def _banner_lines(entry: str) -> list[str]:
    """Type a hier-config banner entry (``banner motd ^C\\ntext\\n^C``) with a delimiter IOS accepts."""
    first, *text = entry.split("\n")
    negation = _BANNER_NEGATION.match(first)
    if negation:
        return [f"no banner {negation[1]}"]
    kind = first.split()[1]
    if text and text[-1] == "^C":
        text = text[:-1]
    body = "\n".join(text)
    delimiter = next((d for d in _DELIMITERS if d not in body), "\x03")
    return [f"banner {kind} {delimiter}", *text, delimiter]


def to_send(config: HConfig) -> list[str]:
    """The lines of a remediation in the order to type them, with ``exit`` closing each section."""
    lines: list[str] = []
    for line in config.lines(sectional_exiting=True):
        if "\n" in line or _BANNER_NEGATION.match(line):
            lines += _banner_lines(line)
        else:
            lines.append(line)
    return lines


# hier-config's own per-line rules for IOS (headers, "version", comments, "end" dropped before parsing).
_LINE_RULES = [(re.compile(rule.search), rule.replace)
               for rule in get_hconfig_driver(Platform.CISCO_IOS).rules.per_line_sub]
_ANY_RULE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _LINE_RULES) or "(?!)")


def significant_lines(config: str) -> list[str]:
    """The lines hier-config parses: canonical spelling, its per-line rules applied, blank lines dropped.

    >>> significant_lines("Building configuration...\\n!\\nversion 17.9\\nhostname sw1\\n!\\nend\\n")
    ['hostname sw1']
    """
    found = []
    for line in canonical_text(config).splitlines():
        if _ANY_RULE.search(line):  # most lines match no rule: one search instead of one per rule
            for pattern, replace in _LINE_RULES:
                line = pattern.sub(replace, line)
        if line.strip():
            found.append(line.rstrip())
    return found


def remediation(running: str, intended: str) -> HConfig:
    """hier-config's remediation from ``running`` to ``intended`` (empty when they agree).

    When both texts give hier-config the very same lines, the remediation is empty without building
    the two trees (~12 ms each for a 48-port switch): that keeps a re-push with nothing to change
    as cheap as reading the running config.
    """
    if significant_lines(running) == significant_lines(intended):
        return get_hconfig(Platform.CISCO_IOS, "")
    return WorkflowRemediation(hconfig(running), hconfig(intended)).remediation_config


def remediation_lines(running: str, intended: str) -> list[str]:
    """The config lines that take a device from ``running`` to ``intended``; ``[]`` when nothing differs."""
    return to_send(remediation(running, intended))


def as_text(config: HConfig) -> str:
    """A remediation as people read it (hier-config's Cisco-style text); ``""`` when it is empty."""
    return "\n".join(child.cisco_style_text() for child in config.all_children_sorted())


def remediation_text(running: str, intended: str) -> str:
    """The remediation from ``running`` to ``intended`` as people read it."""
    return as_text(remediation(running, intended))


def converged(running: str, intended: str) -> bool:
    """True when neither config has a line the other lacks (an empty remediation both ways)."""
    return len(remediation(running, intended)) == 0 and len(remediation(intended, running)) == 0


def drift(running: str, intended: str) -> tuple[list[str], list[str]]:
    """(missing, extra): intended lines not running, and running lines not intended.

    Each list keeps the parent line of a changed child (indented two spaces per level) so that
    ``  name OLD`` can be read as belonging to ``vlan 10``.
    """
    run, want = hconfig(running), hconfig(intended)
    return list(want.difference(run).dump_simple()), list(run.difference(want).dump_simple())
