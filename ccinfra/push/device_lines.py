"""Lines IOS-XE writes into ``show running-config`` by itself, which a rendered config never manages.

A real device shows more than was typed: its software version and boot markers, the switch stack
provisioning, the license level, a memory watermark, ``stopbits 1`` under ``line con 0``,
``negotiation auto`` or ``no ip address`` on interfaces, the CoPP policy, self-signed trustpoints...
(see the captured configs under tests/fixtures/iosxe/). Compared line by line with a rendered file,
each would be "extra" and the remediation would try to negate it (``no version 17.15``): the push
would never converge and could break the device.

So before running and intended configs are compared, the running config loses the device-owned
lines the intended config does not itself contain. A line the intended config does write (for
example ``spanning-tree extend system-id``) is compared as usual.
"""

from __future__ import annotations

import re

# Top-level lines (and their sections) IOS-XE creates on its own, from the captured configs
# (tests/fixtures/iosxe: Catalyst 9300 IOS-XE 17.15, IOS-XE 16.9) and Cisco's nvgen of defaults.
DEVICE_TOP = re.compile(
    r"^(?:version \S+|boot-start-marker|boot-end-marker|boot system .+|switch \d+ provision \S+"
    r"|license (?:boot level|udi) .+|no license smart enable|memory free low-watermark (?:processor|io) \d+"
    r"|diagnostic bootup level \S+|platform .+|no platform .+|service call-home|call-home"
    r"|login on-success log|ip forward-protocol nd|ip ssh bulk-mode \d+|redundancy|transceiver type all"
    r"|control-plane|vrf definition Mgmt-(?:vrf|intf)|aaa session-id common|spanning-tree extend system-id"
    # shown although off by default; negating it would turn AAA on and lock out local logins
    r"|no aaa new-model"
    r"|crypto pki (?:trustpoint|certificate chain) (?:TP-self-signed-\d+|SLA-TrustPoint)"
    r"|class-map match-any system-cpp-\S+|policy-map system-cpp-policy|line aux 0"
    r"|interface GigabitEthernet0(?:/0)?|subscriber templating|multilink bundle-name authenticated)$"
)
# Lines IOS-XE adds inside sections: the console's stop bits, an interface's defaults.
DEVICE_CHILD = {
    "line con 0": re.compile(r"^stopbits 1$"),
    "interface": re.compile(r"^(?:no ip address|negotiation auto|no mop enabled|no mop sysid)$"),
}
# A physical port the device lists although nothing is configured on it ("interface Gi1/0/9" + "!",
# or an ISR port with only its defaults): it cannot be deleted ("no interface" is refused), only left alone.
_PHYSICAL = re.compile(r"^interface (?:\S*Ethernet|TwentyFiveGigE|AppGigabitEthernet)\d[^.\s]*$")
_FACTORY_PORT_LINE = re.compile(r"^(?:no ip address|negotiation auto|shutdown|no mop enabled|no mop sysid)$")


def _blocks(text: str) -> list[list[str]]:
    """Top-level blocks: a line at column 0 with the indented lines under it (``!`` and blanks dropped)."""
    blocks: list[list[str]] = []
    in_banner = False
    for line in text.splitlines():
        stripped = line.strip()
        if in_banner:  # a banner's text sits at column 0 until its ^C (ccinfra.push.canonical)
            blocks[-1].append(line)
            in_banner = stripped != "^C"
            continue
        if not stripped or stripped.startswith("!"):
            continue
        if line[0] in " \t" and blocks:
            blocks[-1].append(line)
        else:
            blocks.append([line.rstrip()])
            in_banner = stripped.startswith("banner ") and stripped.endswith("^C")
    return blocks


def _child_rule(header: str) -> re.Pattern[str] | None:
    return DEVICE_CHILD.get(header) or (DEVICE_CHILD["interface"] if header.startswith("interface ") else None)


def _untouched_port(header: str, children: list[str]) -> bool:
    return bool(_PHYSICAL.match(header)) and all(_FACTORY_PORT_LINE.match(c.strip()) for c in children)


def without_device_lines(running: str, intended: str) -> str:
    """``running`` without the lines the device wrote by itself that ``intended`` does not contain.

    >>> running = "version 17.15\\nhostname sw1\\nline con 0\\n exec-timeout 5 0\\n stopbits 1\\nend\\n"
    >>> print(without_device_lines(running, "hostname sw1\\nline con 0\\n exec-timeout 5 0\\n"), end="")
    hostname sw1
    line con 0
     exec-timeout 5 0
    end
    """
    wanted = {block[0]: {c.strip() for c in block[1:]} for block in _blocks(intended)}
    out: list[str] = []
    for block in _blocks(running):
        header, children = block[0], block[1:]
        if header not in wanted and (DEVICE_TOP.match(header) or _untouched_port(header, children)):
            continue
        rule = _child_rule(header)
        keep = wanted.get(header, set())
        out.append(header)
        out += [c for c in children if not (rule and rule.match(c.strip()) and c.strip() not in keep
                                            and c.startswith(" ") and not c.startswith("  "))]
    return "\n".join(out) + "\n"
