"""Text of the ``show`` commands a lab twin answers, shaped like IOS 15 / IOS-XE 17 output.

Only the lines clients parse are load-bearing: Ansible's cisco.ios cliconf reads ``Version (\\S+)``,
``^(.+) uptime``, ``^[Cc]isco (\\S+).+bytes of .*memory`` and ``image file is "(.+)"`` from
``show version``; netmiko reads nothing but the prompt.
"""

from __future__ import annotations

import datetime as dt
import re

from ccinfra.lab.config_tree import ConfigTree

_VERSION = {
    "switch": (
        "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E8, RELEASE SOFTWARE (fc2)",
        "flash:c2960x-universalk9-mz.152-7.E8.bin",
        "cisco WS-C2960X-48FPD-L (APM86XXX) processor (revision B0) with 524288K bytes of memory.",
    ),
    "gateway": (
        "Cisco IOS XE Software, Version 17.09.04a\nCisco IOS Software [Cupertino], ISR Software "
        "(X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.9.4a, RELEASE SOFTWARE (fc3)",
        "bootflash:isr4300-universalk9.17.09.04a.SPA.bin",
        "cisco ISR4331/K9 (1RU) processor with 1795979K/6147K bytes of memory.",
    ),
}


def uptime_text(uptime_s: float) -> str:
    """IOS's uptime phrase.

    >>> uptime_text(59), uptime_text(3 * 86400 + 2 * 3600 + 61)
    ('0 minutes', '3 days, 2 hours, 1 minute')
    """
    minutes_total = int(uptime_s // 60)
    days, rest = divmod(minutes_total, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in ((days, "day"), (hours, "hour")) if n]
    parts.append(f"{minutes} minute{'' if minutes == 1 else 's'}")
    return ", ".join(parts)


def show_version(hostname: str, role: str, uptime_s: float) -> str:
    banner, image, hardware = _VERSION[role]
    return "\n".join(
        [
            banner,
            "Technical Support: http://www.cisco.com/techsupport",
            "Copyright (c) 1986-2024 by Cisco Systems, Inc.",
            "Compiled Tue 16-Jan-24 10:00 by prod_rel_team",
            "",
            "ROM: Bootstrap program is the ccinfra lab twin (emulated, no hardware)",
            "",
            f"{hostname} uptime is {uptime_text(uptime_s)}",
            "System returned to ROM by power-on",
            f'System image file is "{image}"',
            "",
            hardware,
            "",
            "Configuration register is 0xF",
        ]
    ) + "\n"


def show_clock(now: dt.datetime | None = None) -> str:
    """``*HH:MM:SS.mmm UTC Day Mon D YYYY`` (the star: time not set by NTP).

    >>> show_clock(dt.datetime(2024, 3, 4, 10, 15, 30, 123000, tzinfo=dt.timezone.utc))
    '*10:15:30.123 UTC Mon Mar 4 2024\\n'
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    return f"*{now:%H:%M:%S}.{now.microsecond // 1000:03d} UTC {now:%a %b} {now.day} {now:%Y}\n"


def show_privilege(level: int) -> str:
    return f"Current privilege level is {level}\n"


def show_ip_interface_brief(tree: ConfigTree) -> str:
    rows = [f"{'Interface':<27}{'IP-Address':<16}OK? Method Status                Protocol"]
    for node in tree.root.children:
        if not node.text.startswith("interface "):
            continue
        address = "unassigned"
        for child in node.children:
            words = child.text.split()
            if words[:2] == ["ip", "address"] and len(words) >= 3 and words[-1] != "secondary":
                address = words[2]
        down = any(child.text == "shutdown" for child in node.children)
        status = "administratively down" if down else "up"
        rows.append(f"{node.text[10:]:<27}{address:<16}YES manual {status:<22}{'down' if down else 'up'}")
    return "\n".join(rows) + "\n"


def show_vlan_brief(tree: ConfigTree) -> str:
    rows = [
        "VLAN Name                             Status    Ports",
        "---- -------------------------------- --------- -------------------------------",
        f"{1:<4} {'default':<32} active",
    ]
    for node in tree.root.children:
        found = re.match(r"^vlan (\d+)$", node.text)
        if not found or found[1] == "1":
            continue
        name = next((c.text.split(maxsplit=1)[1] for c in node.children if c.text.startswith("name ")), "")
        rows.append(f"{found[1]:<4} {name or 'VLAN' + found[1].zfill(4):<32} active")
    return "\n".join(rows) + "\n"


def running_config_header(body: str) -> str:
    return f"Building configuration...\n\nCurrent configuration : {len(body)} bytes\n"


def startup_config_header(body: str) -> str:
    return f"Using {len(body)} out of 524288 bytes\n"


def pipe_filter(text: str, modifier: str, pattern: str) -> str | None:
    """Apply an IOS output modifier (``include``, ``exclude``, ``begin``, ``section``); None if unknown.

    >>> pipe_filter("a\\nb\\nab\\n", "inc", "b")
    'b\\nab\\n'
    """
    lines = text.splitlines()
    try:
        regex = re.compile(pattern)
    except re.error:
        regex = re.compile(re.escape(pattern))
    kind = next((k for k in ("include", "exclude", "begin", "section") if k.startswith(modifier.lower())), None)
    if kind == "include":
        kept = [line for line in lines if regex.search(line)]
    elif kind == "exclude":
        kept = [line for line in lines if not regex.search(line)]
    elif kind == "begin":
        start = next((i for i, line in enumerate(lines) if regex.search(line)), len(lines))
        kept = lines[start:]
    elif kind == "section":
        kept, inside = [], False
        for line in lines:
            if not line.startswith(" "):
                inside = bool(regex.search(line))
            if inside or regex.search(line):
                kept.append(line)
    else:
        return None
    return "".join(line + "\n" for line in kept)
