"""What the lab twin knows of IOS configuration syntax: sections, sub-mode prompts, settings.

The twin is not a parser of every IOS command. It accepts any plausible line and only needs to
know three things to keep ``show running-config`` shaped like a real device's:

* which lines open a section (and the sub-mode prompt IOS shows for it),
* which lines typed inside a sub-mode really belong to global configuration (IOS then leaves the
  sub-mode), and
* which lines are *settings* that replace an earlier value (``description``, ``ip address``...)
  rather than adding a line.

Prompt names are the ones IOS 15 / IOS-XE 16-17 print (Cisco IOS Configuration Fundamentals,
"Using the Cisco IOS Command-Line Interface", table of command modes).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from netutils.interface import canonical_interface_name

# A pattern element is a literal keyword, a tuple of alternatives, or NUMBER (a VLAN/ID list).
NUMBER = re.compile(r"^\d[\d,\-]*$")
ANY = re.compile(r".")
Pattern = tuple[str | tuple[str, ...] | re.Pattern[str], ...]

# Top-level lines that open a section, most specific first, with IOS's sub-mode prompt.
TOP_SECTIONS: tuple[tuple[Pattern, str], ...] = (
    (("interface", "range"), "config-if-range"),
    (("interface",), "config-if"),
    (("vlan", NUMBER), "config-vlan"),
    (("line",), "config-line"),
    (("router",), "config-router"),
    (("ip", "access-list", "standard"), "config-std-nacl"),
    (("ip", "access-list", "extended"), "config-ext-nacl"),
    (("ip", "access-list", ("role-based", "resequence-disable")), "config-nacl"),
    (("ipv6", "access-list"), "config-ipv6-acl"),
    (("ip", "dhcp", "pool"), "dhcp-config"),
    (("ip", "sla", NUMBER), "config-ip-sla"),
    (("ip", "vrf"), "config-vrf"),
    (("vrf", "definition"), "config-vrf"),
    (("voice", "service"), "conf-voi-serv"),
    (("voice", "class"), "config-class"),
    (("voice", "translation-rule"), "cfg-translation-rule"),
    (("voice", "translation-profile"), "cfg-translation-profile"),
    (("voice", "register", "global"), "config-register-global"),
    (("voice", "register", "pool"), "config-register-pool"),
    (("voice", "register", "dn"), "config-register-dn"),
    (("voice-card",), "config-voicecard"),
    (("dial-peer", "voice"), "config-dial-peer"),
    (("sip-ua",), "config-sip-ua"),
    (("controller",), "config-controller"),
    (("policy-map",), "config-pmap"),
    (("class-map",), "config-cmap"),
    (("telephony-service",), "config-telephony"),
    (("ephone-dn",), "config-ephone-dn"),
    (("ephone",), "config-ephone"),
    (("application",), "config-app"),
    (("call-manager-fallback",), "config-cm-fallback"),
    (("sccp", "ccm", "group"), "config-sccp-ccm"),
    (("dspfarm", "profile"), "config-dspfarm-profile"),
    (("trunk", "group"), "config-trunk-group"),
    (("archive",), "config-archive"),
    (("key", "chain"), "config-keychain"),
    (("aaa", "group", "server"), "config-sg"),
    (("tacacs", "server"), "config-server-tacacs"),
    (("radius", "server"), "config-radius-server"),
    (("spanning-tree", "mst", "configuration"), "config-mst"),
    (("track",), "config-track"),
    (("redundancy",), "config-red"),
    (("control-plane",), "config-cp"),
    (("crypto", "pki", "trustpoint"), "ca-trustpoint"),
    (("crypto", "isakmp", "policy"), "config-isakmp"),
    (("crypto", "map", ANY, NUMBER), "config-crypto-map"),  # "crypto map M" alone is interface-level
    (("object-group",), "config-network-group"),
    (("parameter-map",), "config-profile"),
    (("zone", "security"), "config-sec-zone"),
)

# Sections that open inside another section, keyed by the parent's sub-mode.
NESTED_SECTIONS: dict[str, tuple[tuple[Pattern, str], ...]] = {
    "config-pmap": ((("class",), "config-pmap-c"),),
    "conf-voi-serv": ((("sip",), "conf-serv-sip"), (("h323",), "conf-serv-h323")),
    "config-router": ((("address-family",), "config-router-af"),),
    "config-keychain": ((("key", NUMBER), "config-keychain-key"),),
    "config-app": ((("service",), "config-app-param"),),
}

# Lines that exist only in global configuration. Typed inside a sub-mode, IOS does not find them
# in the sub-mode's parser and runs them at the global level, which also leaves the sub-mode.
# Kept to keywords that are unambiguous (``logging synchronous`` is a line-mode command,
# ``ip dhcp snooping trust`` an interface one, so those forms are excluded).
GLOBAL_ONLY = re.compile(
    r"^(?:"
    r"hostname|username|aaa|ntp|snmp-server|vtp|banner|boot|boot-start-marker|boot-end-marker"
    r"|errdisable|version|alias|archive|license|monitor|file|memory|access-list|call-home"
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

# Settings: a line whose key matches an existing sibling's key replaces it (the key is the match).
# hier-config's IOS driver treats the same families as idempotent (no "no" before a new value).
SETTING_KEYS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"^(?:hostname|description|name|speed|duplex|mtu|bandwidth|load-interval|channel-group)(?= |$)",
        r"^switchport (?:mode|access vlan|voice vlan|trunk native vlan|trunk allowed vlan"
        r"|trunk encapsulation|port-security maximum|port-security violation)(?= |$)",
        r"^ip address(?=(?: (?!.* secondary$)|$))",
        r"^ip (?:domain-name|domain name|default-gateway)(?= |$)",
        r"^enable (?:secret|password)(?= |$)",
        r"^username \S+",
        r"^clock (?:timezone|summer-time)(?= |$)",
        r"^spanning-tree mode(?= |$)",
        r"^vtp (?:mode|domain|version)(?= |$)",
        r"^snmp-server (?:location|contact|chassis-id)(?= |$)",
        r"^ntp (?:source|master)(?= |$)",
        r"^ip ssh (?:version|time-out|authentication-retries|source-interface)(?= |$)",
        r"^logging (?:buffered|trap|source-interface|console|monitor)(?= |$)",
        r"^service-policy (?:input|output)(?= |$)",
        r"^(?:exec-timeout|transport input|transport output|password|privilege level|session-timeout)(?= |$)",
        r"^login(?=(?: local| authentication \S+)?$)",
        r"^power inline(?= (?:auto|never|static|consumption))",
        r"^storm-control (?:broadcast|multicast|unicast) level(?= |$)",
        r"^storm-control action(?= |$)",
        r"^(?:mls qos trust|trust device|auto qos voip)(?= |$)",
        r"^(?:destination-pattern|session target|session protocol|incoming called-number"
        r"|answer-address|preference|dtmf-relay|codec|voice-class codec|voice-class sip)(?= |$)",
        r"^translation-profile (?:incoming|outgoing)(?= |$)",
        r"^(?:default-router|dns-server|network|lease|domain-name|option \d+)(?= |$)",
    )
)

# Features that are on by default: IOS shows their negation ("no ip http server") in the running
# config, and a positive line for them is not displayed.
DEFAULT_ON = frozenset(
    {
        "aaa new-model",  # shown as "no aaa new-model" although off by default (IOS quirk)
        "cdp run",
        "cdp enable",
        "ip bootp server",
        "ip domain-lookup",
        "ip domain lookup",
        "ip gratuitous-arps",
        "ip http server",
        "ip http secure-server",
        "ip proxy-arp",
        "ip redirects",
        "ip routing",
        "ip source-route",
        "ip unreachables",
        "logging console",
        "service config",
        "service dhcp",
        "service pad",
        "switchport",
        "ip address",
        "vstack",
    }
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
    r"|session target|session protocol|codec|dtmf-relay|incoming called-number)(?: |$)",
    re.IGNORECASE,
)

_KEYWORD = re.compile(r"^[A-Za-z][A-Za-z0-9_\-+.]*$")
_PLAIN = re.compile(r"^[\x20-\x7e]*$")


# Sections whose opener takes no argument after its keywords ("sip-ua", "voice register global").
NO_ARGUMENT_MODES = frozenset(
    {"config-sip-ua", "config-telephony", "config-cm-fallback", "config-archive", "config-red",
     "config-cp", "config-register-global", "config-mst", "config-app", "conf-serv-sip",
     "conf-serv-h323"}
)


def _match(pattern: Pattern, mode: str, words: Sequence[str]) -> bool:
    # "interface" alone is incomplete: an opener needs an argument unless its last element is the
    # argument itself ("vlan 10") or the section takes none.
    needs_argument = pattern[-1] is not NUMBER and mode not in NO_ARGUMENT_MODES
    if len(words) < len(pattern) + (1 if needs_argument else 0):
        return False
    for element, word in zip(pattern, words):
        if isinstance(element, re.Pattern):
            if not element.match(word):
                return False
        elif isinstance(element, tuple):
            if word.lower() not in element:
                return False
        elif word.lower() != element:
            return False
    return True


def top_section_mode(line: str) -> str | None:
    """The sub-mode a global line opens, or None when it is a plain line.

    >>> top_section_mode("interface GigabitEthernet1/0/1"), top_section_mode("vlan 10")
    ('config-if', 'config-vlan')
    >>> top_section_mode("vlan internal allocation policy ascending") is None
    True
    """
    words = line.split()
    for pattern, mode in TOP_SECTIONS:
        if _match(pattern, mode, words):
            if mode == "config-sg" and len(words) > 3:
                return f"config-sg-{words[3].lower()}"
            return mode
    return None


def nested_section_mode(parent_mode: str, line: str) -> str | None:
    """The sub-mode ``line`` opens inside a section in ``parent_mode``, if any.

    >>> nested_section_mode("config-pmap", "class VOICE")
    'config-pmap-c'
    """
    words = line.split()
    for pattern, mode in NESTED_SECTIONS.get(parent_mode, ()):
        if _match(pattern, mode, words):
            return mode
    return None


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


def setting_key(line: str) -> str | None:
    """The key under which a setting replaces an earlier value, or None for additive lines.

    >>> setting_key("switchport access vlan 20"), setting_key("ip helper-address 10.0.0.5")
    ('switchport access vlan', None)
    >>> setting_key("ip address 10.0.0.1 255.255.255.0 secondary") is None
    True
    """
    for pattern in SETTING_KEYS:
        found = pattern.match(line)
        if found:
            return found.group(0)
    return None


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


# Keywords whose abbreviations the twin expands, as IOS stores the full keyword ("desc" ->
# "description"). Only the first keyword (after an optional "no") is expanded.
ABBREVIABLE = (
    "banner", "channel-group", "description", "duplex", "exec-timeout", "hostname", "interface",
    "logging", "login", "power", "service", "shutdown", "snmp-server", "spanning-tree", "speed",
    "switchport", "transport", "username",
)


def expand_keyword(word: str) -> str:
    """The full keyword for an unambiguous abbreviation of one in ``ABBREVIABLE``.

    >>> expand_keyword("desc"), expand_keyword("shut"), expand_keyword("s"), expand_keyword("ip")
    ('description', 'shutdown', 's', 'ip')
    """
    low = word.lower()
    found = [k for k in ABBREVIABLE if k.startswith(low)]
    return found[0] if len(found) == 1 and len(low) >= 2 else word


def normalize_line(line: str) -> str:
    """Collapse outer whitespace, expand abbreviated keywords and interface names as IOS stores them.

    >>> normalize_line("  int gi1/0/1"), normalize_line("interface vlan 10"), normalize_line("no shut")
    ('interface GigabitEthernet1/0/1', 'interface Vlan10', 'no shutdown')
    """
    words = line.split()
    if not words:
        return ""
    at = 1 if words[0].lower() in ("no", "default") and len(words) > 1 else 0
    # Keywords are split off on single spaces; the rest (a description) keeps its inner spacing.
    parts = line.strip().split(maxsplit=at + 1)
    parts[at] = expand_keyword(parts[at])
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
