"""Checks on what a neighbour announces. CDP and LLDP text comes from whatever is plugged into a port.

A device id, platform or system name may hold a line break, a command or a path: nothing of it
reaches a file name, a CSV cell or a config until it passed one of these checks. A value that fails
is never "cleaned up" and used anyway: the port gets a warning and the value is dropped.

>>> mac_from_device_id("SEP001B54C00001"), mac_from_device_id("SEP001B54C00001\\nusername x privilege 15")
('001b54c00001', None)
>>> neighbor_text("Cisco IP Phone 8841"), neighbor_text("evil\\nusername x privilege 15")
('Cisco IP Phone 8841', None)
"""

from __future__ import annotations

import re

from netutils.mac import is_valid_mac, mac_to_format

_SEP_ID = re.compile(r"SEP([0-9A-Fa-f]{12})")
# One line of printable text as CDP/LLDP platforms and names use it, starting with a letter or digit
# (no CSV formula such as "=cmd"); no quotes, no ; | < > ` $ \ { }.
_TEXT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,:()/+_#@&-]{0,79}")
_MODEL_PREFIX = re.compile(r"^(cisco\s+ip\s+phone\s+|cisco\s+|ip\s+phone\s+|cp-|sip-|poly\s+|yealink\s+)+", re.I)


def mac_from_device_id(device_id: str) -> str | None:
    """The MAC in a Cisco-style phone device id ``SEP<12 hex>`` (12 lower-case hex digits), else None."""
    found = _SEP_ID.fullmatch(device_id) if isinstance(device_id, str) else None
    return found[1].lower() if found else None


def normal_mac(text: str) -> str | None:
    """Any MAC notation (``9caa.efa9.30d7``, ``C8F9F9D61BC2``, ``00:1b:...``) as 12 lower-case hex digits, else None.

    >>> normal_mac("9caa.efa9.30d7"), normal_mac("C8F9F9D61BC2"), normal_mac("10.10.0.1")
    ('9caaefa930d7', 'c8f9f9d61bc2', None)
    """
    if not isinstance(text, str) or not text or "\n" in text:
        return None
    candidate = text.strip()
    if re.fullmatch(r"[0-9A-Fa-f]{12}", candidate):
        return candidate.lower()
    try:
        return mac_to_format(candidate, "MAC_NO_SPECIAL").lower() if is_valid_mac(candidate) else None
    except ValueError:
        return None


def colon_mac(mac: str) -> str:
    """``001b54c00001`` → ``00:1b:54:c0:00:01`` (the notation of examples/phones.csv).

    >>> colon_mac("001b54c00001")
    '00:1b:54:c0:00:01'
    """
    return ":".join(mac[i:i + 2] for i in range(0, 12, 2))


def neighbor_text(value: str) -> str | None:
    """``value`` when it is one safe line of text (a platform, a model, a system name), else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if _TEXT.fullmatch(value) else None


def model_key(text: str) -> str:
    """What two spellings of a phone model share: ``Cisco IP Phone 8841`` and ``CP-8841`` → ``8841``.

    >>> model_key("Cisco IP Phone 8841"), model_key("CP-8841"), model_key("SIP-T54W"), model_key("Poly VVX D230")
    ('8841', '8841', 't54w', 'vvx d230')
    """
    return _MODEL_PREFIX.sub("", text.strip()).strip().lower()
