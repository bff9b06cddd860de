"""What the lab twin knows of IOS configuration syntax, on top of the mode table (``modes.py``).

The twin is not a parser of every IOS command. It accepts any plausible line and only needs to
know enough to keep ``show running-config`` shaped like a real device's:

* which lines open a section, in which parent mode, and the prompt IOS shows for it;
* which mode a line belongs to: IOS tries a line in the current sub-mode, then in each parent
  mode up to global configuration, and moves to the first mode that takes it (so ``sip`` typed
  under ``ip address trusted list`` goes back to ``voice service voip``);
* which lines are *settings* that replace an earlier value, and which are IOS defaults that
  ``show running-config`` never displays.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from netutils.interface import canonical_interface_name

from ccinfra.lab.modes import GLOBAL, mode_row

# Lines that exist only in global configuration. Typed inside a sub-mode, IOS does not find them
# in the sub-mode's parser and runs them at the global level, which also leaves the sub-mode.
# Kept to keywords that are unambiguous (``logging synchronous`` is a line-mode command,
# ``ip dhcp snooping trust`` an interface one, so those forms are excluded).
GLOBAL_ONLY = re.compile(
    r"^(?:"
    r"hostname|username|aaa|ntp|snmp-server|vtp|banner|boot|boot-start-marker|boot-end-marker"
    r"|errdisable|version|alias|archive|license|monitor|file|memory|access-list|call-home"
    r"|card type|network-clock|stcapp|voice call|voice rtp|isdn (?:voice-call-failure|alert-end-to-end)"
    r"|enable (?:secret|password|algorithm-type|view)|udld (?:enable|aggressive)"
    r"|clock (?:timezone|summer-time|calendar-valid)"
    r"|crypto (?:key|pki|isakmp|ipsec|ca)"
    r"|service (?:timestamps|password-encryption|tcp-keepalives-in|tcp-keepalives-out|pad|config|dhcp"
    r"|sequence-numbers|compress-config|internal|call-home|counters|nagle|prompt|slave-log"
    r"|linenumber|unsupported-transceiver)"
    r"|logging (?:host|buffered|trap|console|monitor|source-interface|on|facility|origin-id)"
    r"|ip (?:domain|domain-name|domain-lookup|name-server|routing|route|ssh|scp|http|default-gateway"
    r"|forward-protocol|cef|multicast-routing|tftp|ftp|tacacs|radius|sla schedule"
    r"|dhcp (?:pool|excluded-address|snooping(?! (?:trust|limit)))|nat (?:inside|outside) source)"
    r"|ipv6 unicast-routing"
    r"|spanning-tree (?:mode|extend|vlan|loopguard default|backbonefast|uplinkfast|mst"
    r"|portfast (?:edge )?(?:bpduguard |bpdufilter )?default)"
    r"|cdp run|lldp run|port-channel load-balance|system mtu|vlan internal"
    r"|privilege (?:exec|configure|interface)"
    r"|login (?:block-for|on-failure|on-success|quiet-mode|delay)"
    r"|mls qos(?=$| (?:map|srr-queue|queue-set|aggregate-policer|rewrite))"
    r")(?: |$)"
)

# Exec commands IOS rejects in configuration mode (they need "do").
EXEC_ONLY = frozenset(
    {"show", "write", "copy", "configure", "terminal", "ping", "traceroute", "reload",
     "dir", "more", "disable", "debug", "undebug", "clear", "delete", "erase", "verify"}
)

# Sub-mode commands that global configuration does not know: typed there (for instance after
# a rejected section line), IOS answers "% Invalid input", and so does the twin.
SUBMODE_ONLY = re.compile(
    r"^(?:no )?(?:description|switchport|shutdown|name|speed|duplex|channel-group|exec-timeout"
    r"|transport|ip address|ip helper-address|permit|deny|remark|priority|destination-pattern"
    r"|session target|session protocol|codec|dtmf-relay|incoming called-number|member)(?: |$)",
    re.IGNORECASE,
)

_KEYWORD = re.compile(r"^[A-Za-z][A-Za-z0-9_\-+.]*$")
_PLAIN = re.compile(r"^[\x20-\x7e]*$")
# Keywords nearly every sub-mode has, so their abbreviations expand in any of them.
_SUBMODE_KEYWORDS = ("description", "shutdown")
# IOS keeps vty lines 0-4 (present on every device) and 5 and up (created) in separate blocks.
_VTY = re.compile(r"^line vty (\d+)(?: (\d+))?$", re.IGNORECASE)
FIRST_CREATED_VTY = 5


def _words(line: str) -> str:
    return " ".join(line.lower().split())


@functools.lru_cache(maxsize=8192)  # pure: the mode tables never change
def section_mode(parent: str, line: str) -> str | None:
    """The sub-mode ``line`` opens when typed in mode ``parent``, or None for a plain line.

    >>> section_mode("config", "voice class uri 100 sip"), section_mode("conf-voi-serv", "ip address trusted list")
    ('config-voice-uri-class', 'cfg-iptrust-list')
    """
    words = line.split()
    for opener in mode_row(parent).sections:
        if opener.matches(words):
            return opener.mode
    return None


def top_section_mode(line: str) -> str | None:
    """The sub-mode a global line opens, or None when it is a plain line.

    >>> top_section_mode("interface GigabitEthernet1/0/1"), top_section_mode("vlan 10")
    ('config-if', 'config-vlan')
    >>> top_section_mode("vlan internal allocation policy ascending") is None
    True
    """
    return section_mode(GLOBAL, line)


def nested_section_mode(parent_mode: str, line: str) -> str | None:
    """The sub-mode ``line`` opens inside a section in ``parent_mode``, if any.

    >>> nested_section_mode("config-pmap", "class VOICE")
    'config-pmap-c'
    """
    return None if parent_mode == GLOBAL else section_mode(parent_mode, line)


def is_global_only(line: str) -> bool:
    """True for a line that IOS runs at the global level even when typed in a sub-mode.

    >>> is_global_only("hostname sw1"), is_global_only("description uplink")
    (True, False)
    """
    text = strip_no(line).lower()
    return bool(GLOBAL_ONLY.match(text)) or top_section_mode(text) is not None


def strip_no(line: str) -> str:
    """The line without a leading ``no`` / ``default`` keyword."""
    words = line.split(maxsplit=1)
    if len(words) == 2 and words[0].lower() in ("no", "default"):
        return words[1]
    return line


@functools.lru_cache(maxsize=8192)  # pure: the mode tables never change
def setting_key(line: str, mode: str = GLOBAL) -> str | None:
    """The key under which a setting of ``mode`` replaces an earlier value, or None for additive lines.

    >>> setting_key("switchport access vlan 20", "config-if"), setting_key("ip helper-address 10.0.0.5", "config-if")
    ('switchport access vlan', None)
    >>> setting_key("codec preference 2 g711ulaw", "config-class"), setting_key("name PSTN", "config-dp-cor")
    ('codec preference 2', None)
    """
    for pattern in mode_row(mode).settings:
        found = pattern.match(line)
        if found:
            return found.group(0)
    return None


@functools.lru_cache(maxsize=8192)  # pure: the mode tables never change
def is_default_line(line: str, mode: str) -> bool:
    """True for a value IOS never displays because it is the default (``power inline auto``)."""
    return _words(line) in mode_row(mode).default_lines


# Lines of ``defaults_on`` that IOS shows both ways: ``no aaa new-model`` while off, and
# ``aaa new-model`` once a network team turns AAA on (what every production switch carries).
SHOWN_BOTH_WAYS = frozenset({"aaa new-model"})


def is_shown_when_on(line: str) -> bool:
    """True for a ``defaults_on`` line that ``show running-config`` still prints once typed.

    >>> is_shown_when_on("aaa  new-model"), is_shown_when_on("cdp run")
    (True, False)
    """
    return _words(line) in SHOWN_BOTH_WAYS


@functools.lru_cache(maxsize=8192)  # pure: the mode tables never change
def is_default_on(line: str, mode: str) -> bool:
    """True for a feature on by default in ``mode``: IOS shows ``no <line>``, never ``<line>``."""
    return _words(line) in mode_row(mode).defaults_on


def knows(mode: str, line: str) -> bool:
    """True when ``mode`` claims ``line`` (a positive line): a section it opens, a setting, a default
    or, for a closed mode, a line of its vocabulary. Global configuration claims its global-only lines.
    """
    row = mode_row(mode)
    if section_mode(mode, line) is not None or setting_key(line, mode) is not None:
        return True
    if is_default_on(line, mode) or is_default_line(line, mode):
        return True
    if mode == GLOBAL:
        return bool(GLOBAL_ONLY.match(line.lower()))
    return row.vocabulary is not None and any(p.match(line) for p in row.vocabulary)


def owner_depth(modes: Sequence[str], line: str) -> int:
    """Where a line typed in the innermost of ``modes`` (global first) runs: the index of its mode.

    IOS tries the current mode, then each parent up to global configuration. A line nobody claims
    stays in the innermost mode that takes any line (a closed mode such as ``cfg-iptrust-list``
    hands it to its parent).

    >>> owner_depth(["config", "conf-voi-serv", "cfg-iptrust-list"], "ipv4 192.0.2.10")
    2
    >>> owner_depth(["config", "conf-voi-serv", "cfg-iptrust-list"], "sip")
    1
    >>> owner_depth(["config", "config-if"], "spanning-tree bpduguard enable")
    1
    """
    for depth in range(len(modes) - 1, -1, -1):
        if knows(modes[depth], line):
            return depth
    for depth in range(len(modes) - 1, 0, -1):
        if mode_row(modes[depth]).vocabulary is None:
            return depth
    return 0


def vty_blocks(line: str) -> list[str] | None:
    """A ``line vty`` range split the way IOS stores and shows it (0-4 apart from 5 and up).

    >>> vty_blocks("line vty 0 15"), vty_blocks("line vty 0 4"), vty_blocks("line con 0")
    (['line vty 0 4', 'line vty 5 15'], None, None)
    """
    found = _VTY.match(line.strip())
    if not found or found[2] is None:
        return None
    first, last = int(found[1]), int(found[2])
    if not first < FIRST_CREATED_VTY <= last:
        return None
    low = f"line vty {first}" + ("" if first == FIRST_CREATED_VTY - 1 else f" {FIRST_CREATED_VTY - 1}")
    high = f"line vty {FIRST_CREATED_VTY}" + ("" if last == FIRST_CREATED_VTY else f" {last}")
    return [low, high]


def deletes_first_vtys(line: str) -> bool:
    """True for ``line vty A B`` with A below 5: IOS refuses to delete vty 0-4 ("no line vty 0 4")."""
    found = _VTY.match(line.strip())
    return bool(found) and int(found[1]) < FIRST_CREATED_VTY


def is_plausible(line: str, in_submode: bool) -> bool:
    """True when a config line could be an IOS command (printable ASCII, keyword first).

    Inside a sub-mode a number may come first (ACL sequence numbers: ``10 permit any``).
    """
    if not _PLAIN.match(line):
        return False
    first = line.split()[0]
    if first.lower() in EXEC_ONLY or (not in_submode and SUBMODE_ONLY.match(line)):
        return False
    return bool(_KEYWORD.match(first)) or (in_submode and first.isdigit())


def expand_keyword(word: str, modes: Sequence[str] = (GLOBAL,)) -> str:
    """The full keyword for an unambiguous abbreviation, looked up from the innermost mode outwards.

    A word that is a whole keyword of a mode stops the search (``host`` in a voice class uri is
    not ``hostname``).

    >>> expand_keyword("desc", ["config", "config-if"]), expand_keyword("shut", ["config", "config-if"])
    ('description', 'shutdown')
    >>> expand_keyword("host", ["config", "config-voice-uri-class"]), expand_keyword("host")
    ('host', 'hostname')
    >>> expand_keyword("s"), expand_keyword("ip")
    ('s', 'ip')
    """
    low = word.lower()
    if len(low) < 2:
        return word
    for name in reversed(modes):
        row = mode_row(name)
        if low in row.keywords:
            return word
        known = set(row.abbreviations) | (set(_SUBMODE_KEYWORDS) if name != GLOBAL else set())
        found = [k for k in known if k.startswith(low)]
        if len(found) == 1:
            return found[0]
        if found:
            return word  # ambiguous: IOS would say so; the twin keeps the text
    return word


def normalize_line(line: str, modes: Sequence[str] = (GLOBAL,)) -> str:
    """Collapse outer whitespace, expand abbreviated keywords and interface names as IOS stores them.

    ``modes`` is the mode path the line is typed in (global first), for the abbreviations.

    >>> normalize_line("  int gi1/0/1"), normalize_line("interface vlan 10")
    ('interface GigabitEthernet1/0/1', 'interface Vlan10')
    >>> normalize_line("no shut", ["config", "config-if"])
    'no shutdown'
    """
    return _normalize_line(line, tuple(modes))


@functools.lru_cache(maxsize=8192)  # pure: the mode tables never change
def _normalize_line(line: str, modes: tuple[str, ...]) -> str:
    words = line.split()
    if not words:
        return ""
    at = 1 if words[0].lower() in ("no", "default") and len(words) > 1 else 0
    # Keywords are split off on single spaces; the rest (a description) keeps its inner spacing.
    parts = line.strip().split(maxsplit=at + 1)
    parts[at] = expand_keyword(parts[at], modes)
    if parts[at].lower() == "interface" and len(parts) > at + 1:
        args = parts[at + 1].split()
        if args[0].lower() == "range":
            parts[at + 1] = "range " + " ".join(args[1:])
        else:
            parts[at + 1] = interface_name("".join(args))
    return " ".join(parts)


def interface_name(name: str) -> str:
    """IOS's full interface name (``gi1/0/1`` → ``GigabitEthernet1/0/1``)."""
    try:
        full = str(canonical_interface_name(name))
    except Exception:  # netutils raises on odd names; IOS would too, the twin keeps the text
        return name
    # netutils spells a few types differently from IOS's running config.
    found = re.match(r"^(VLAN|vlan|Tunnel|tu|tunnel)(\d.*)$", full)
    if found:
        return ("Vlan" if found[1].lower() == "vlan" else "Tunnel") + found[2]
    return full


def expand_interface_range(spec: str) -> list[str]:
    """Interface names of an ``interface range`` argument.

    >>> expand_interface_range("gi1/0/1 - 3, Gi1/0/10")
    ['GigabitEthernet1/0/1', 'GigabitEthernet1/0/2', 'GigabitEthernet1/0/3', 'GigabitEthernet1/0/10']
    """
    names: list[str] = []
    for part in spec.split(","):
        part = part.strip()
        found = re.match(r"^(?P<base>.*?)(?P<first>\d+)\s*-\s*(?P<last>\d+)$", part)
        if found and int(found["last"]) >= int(found["first"]):
            base = found["base"].replace(" ", "")
            names += [interface_name(f"{base}{n}") for n in range(int(found["first"]), int(found["last"]) + 1)]
        elif part:
            names.append(interface_name(part.replace(" ", "")))
    return names
