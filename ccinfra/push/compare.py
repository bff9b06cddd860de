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

from hier_config import HConfig, Platform, WorkflowRemediation, get_hconfig

from ccinfra.push.canonical import canonical_text
from ccinfra.push.device_lines import without_device_lines
from ccinfra.push.outline import same_tree

_BANNER_NEGATION = re.compile(r"^no banner (\S+)", re.IGNORECASE)
# A banner's text is sent between two copies of a delimiter that must not occur in the text; IOS
# shows every delimiter as ^C but a typed "^C" is two characters, so IOS would take "^" as the
# delimiter and keep the "C" in the banner. "#" is left out: netmiko reads "#" as the prompt end.
_DELIMITERS = "@%$&~|!+=*"


def owned(running: str, intended: str) -> str:
    """``running`` without the device-generated lines ``intended`` does not manage (both canonical)."""
    return without_device_lines(canonical_text(running), canonical_text(intended))


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


def remediation(running: str, intended: str) -> HConfig:
    """hier-config's remediation from ``running`` to ``intended`` (empty when they agree).

    When both texts have the same outline (the tree hier-config would build, in any order), the
    remediation is empty without building the two trees (~12 ms each for a 48-port switch): that
    keeps a re-push with nothing to change as cheap as reading the running config. Lines the device
    wrote by itself (``ccinfra.push.device_lines``) are left out of the comparison.
    """
    running = owned(running, intended)
    if same_tree(running, intended):
        return get_hconfig(Platform.CISCO_IOS, "")
    return _full_remediation(running, intended)


def _full_remediation(running: str, intended: str) -> HConfig:
    """hier-config's remediation, always building both trees (the outline already said "ask it")."""
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
    running = owned(running, intended)
    if same_tree(running, intended):
        return True
    return len(_full_remediation(running, intended)) == 0 and len(_full_remediation(intended, running)) == 0


def drift(running: str, intended: str) -> tuple[list[str], list[str]]:
    """(missing, extra): intended lines not running, and running lines not intended.

    Each list keeps the parent line of a changed child (indented two spaces per level) so that
    ``  name OLD`` can be read as belonging to ``vlan 10``.
    """
    running = owned(running, intended)
    if same_tree(running, intended):
        return [], []
    run, want = hconfig(running), hconfig(intended)
    return list(want.difference(run).dump_simple()), list(run.difference(want).dump_simple())
