"""Secrets out of everything ccinfra prints or writes, except the 0600 backups themselves.

One list of filters, applied by netutils' ``sanitize_config`` (a regex-substitution engine that
ships no IOS filters of its own), to every output path: dry-run diffs, ``audit drift`` lines,
result JSON, error messages. The value after a secret keyword becomes ``<redacted>``; the
keyword and the encryption type stay, so a reader still sees *what* is there:

>>> print(redact("username netops privilege 15 secret 9 $9$nhEm$X.Hs\\nenable password 7 0822455D0A16"))
username netops privilege 15 secret 9 <redacted>
enable password 7 <redacted>
>>> redact("snmp-server community Comm-5e3f RO 10"), redact(" key 7 070C285F4D06")
('snmp-server community <redacted> RO 10', ' key 7 <redacted>')
>>> redact("service password-encryption"), redact("key chain OSPF")
('service password-encryption', 'key chain OSPF')

The filters are deliberately wide (a key-chain key number is hidden too): printing one secret
costs more than hiding one harmless word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from netutils.config.clean import sanitize_config

REDACTED = "<redacted>"
_KEEP = r"\1 " + REDACTED

# The secret itself: one whole word, not already redacted, and not a word followed by a redacted
# value; and a keyword is only looked at when nothing after it is redacted yet ("secret 9
# <redacted>" must not read "9" as the secret): redacting twice changes nothing.
_VALUE = r"(?!<redacted>)\S+(?!\S| <redacted>)"
_FRESH = r"(?![^\n]*<redacted>)"  # from the keyword to the end of the line nothing is redacted yet

# Regexes over config text (re.MULTILINE); messages go through ``redact_message``.
FILTERS: list[dict[str, str]] = [
    # username/enable/line/ppp/sip-ua ... (password|secret) [level N] [type] VALUE
    {"regex": r"(?<![\w-])" + _FRESH + r"((?:password|secret)(?![\w-])(?! encryption\b)(?: level \d+)?(?: \d)?) " + _VALUE,
     "replace": _KEEP},
    {"regex": r"(?<![\w-])(password-encrypt) " + _VALUE, "replace": _KEEP},
    # "key 7 X" under a tacacs/radius server (a key-chain key number is hidden too), "key-string 7 X"
    {"regex": r"^(\s*(?:no )?key(?: [0-7])?) (?!chain\b|config-key\b)" + _VALUE, "replace": _KEEP},
    {"regex": r"(?<![\w-])(key-string(?: [0-7])?) " + _VALUE, "replace": _KEEP},
    # "tacacs-server key X", "radius-server host H auth-port 1 key 7 X", "crypto isakmp key X address A"
    {"regex": r"((?:tacacs-server|radius-server|server-private|crypto isakmp|pre-shared-key)\b.*? key(?: [0-7])?) "
              + _VALUE, "replace": _KEEP},
    {"regex": r"(?<![\w-])" + _FRESH + r"((?:authentication-key|message-digest-key)(?: \d+)?(?: md5)?(?: [0-7])?) " + _VALUE,
     "replace": _KEEP},
    {"regex": r"(?<![\w-])" + _FRESH + r"(pre-shared-key(?: local| remote)?(?: [0-7])?) (?!address\b|hostname\b)" + _VALUE,
     "replace": _KEEP},
    # SNMP: communities, v3 user passphrases, the community in a host line
    {"regex": r"(snmp-server community) " + _VALUE, "replace": _KEEP},
    {"regex": _FRESH + r"(snmp-server host \S+(?: informs| traps)?(?: version (?:1|2c|3 (?:auth|noauth|priv)))?) "
              r"(?!version\b|informs\b|traps\b)" + _VALUE, "replace": _KEEP},
    {"regex": r"(?<![\w-])" + _FRESH + r"(auth (?:md5|sha\S*)) " + _VALUE, "replace": _KEEP},
    {"regex": r"(?<![\w-])(priv (?:des|3des|aes(?: \d+)?)) " + _VALUE, "replace": _KEEP},
]


def redact(text: str) -> str:
    """``text`` with every secret value replaced by ``<redacted>``."""
    return sanitize_config(text, FILTERS) if text else text


def redact_message(message: str) -> str:
    """An error message with every quoted part (``'...'``, where messages quote config lines) redacted.

    Prose is left alone ("SSH host key unknown" is not a key).

    >>> redact_message("sw1: line 'username ops secret 9 $9$abc' rejected; SSH host key unknown")
    "sw1: line 'username ops secret 9 <redacted>' rejected; SSH host key unknown"
    """
    return _QUOTED.sub(lambda found: found[1] + redact(found[2]) + found[1], message) if message else message


_QUOTED = re.compile(r"(['\"])([^\n]*?)\1")


def redact_lines(lines: Iterable[str]) -> list[str]:
    """``redact`` for each line of a list (drift lines, remediation lines).

    >>> redact_lines(["tacacs server TAC1", "  key 7 070C285F4D06"])
    ['tacacs server TAC1', '  key 7 <redacted>']
    """
    return [redact(line) for line in lines]
