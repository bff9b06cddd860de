"""The table of IOS configuration modes a lab twin knows: one row per mode.

For each mode the row says what IOS does with a line typed in it, which is all the twin needs to
keep ``show running-config`` shaped like a real device's and to leave sub-modes where IOS does:

* ``prompt``: the sub-mode name IOS prints (``host(config-if)#``);
* ``sections``: lines that open a nested sub-mode, and which one;
* ``settings``: lines keyed by their first words: a new value replaces the old one in place
  (``codec preference 1 g711alaw`` replaces ``codec preference 1 ...`` but not ``... 2 ...``);
* ``defaults_on``: features on by default; IOS shows their negation (``no vad``) and hides the
  positive line;
* ``default_lines``: values equal to the default (``power inline auto``): IOS hides them;
* ``vocabulary``: for small closed modes (``dial-peer cor list``: only ``member``), the lines they
  accept; anything else makes IOS fall back to the parent mode, as its parser does;
* ``abbreviations``: keywords whose abbreviation the twin expands (``desc`` → ``description``).

Specs are written as words: ``<n>`` is a number or ID list (``10``, ``10,20``), ``<w>`` any one
word, ``a|b`` either word; an opener ending in ``...`` needs one more word or more, in ``*`` any.
Prompts and commands: Cisco IOS Configuration Fundamentals ("Using the CLI", command modes),
Cisco Unified Border Element and Voice Gateway configuration guides (IOS-XE 17), Catalyst 9000
configuration guides. Defaults: the same guides' "Command Default" entries; E1/T1 controller
defaults as IOS's own nvgen writes them (framing and linecode only when not crc4/hdb3 on E1,
``framing esf`` / ``linecode b8zs`` always on T1, ``clock source line`` shown only as
``clock source line primary``: Cisco TAC "Configure PRI Multi-clocking on C8300").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

NUMBER = r"\d[\d,\-]*"


@dataclass(frozen=True)
class Opener:
    """A line that opens a sub-mode: its words (regex per word), the mode, and extra words allowed."""

    words: tuple[re.Pattern[str], ...]
    mode: str
    extra: str  # "" exactly these words, "..." one more word or more, "*" any number more

    def matches(self, words: list[str]) -> bool:
        if len(words) < len(self.words) + (1 if self.extra == "..." else 0):
            return False
        if not self.extra and len(words) != len(self.words):
            return False
        return all(pattern.fullmatch(word) for pattern, word in zip(self.words, words))


def _word(token: str) -> str:
    if token == "<n>":
        return NUMBER
    if token == "<w>":
        return r"\S+"
    return "(?:" + "|".join(re.escape(t) for t in token.split("|")) + ")"


def opener(spec: str, mode: str) -> Opener:
    """``opener("vlan <n>", "config-vlan")``: the line ``vlan 10`` opens ``(config-vlan)#``."""
    tokens = spec.split()
    extra = tokens.pop() if tokens[-1] in ("...", "*") else ""
    return Opener(tuple(re.compile(_word(t), re.IGNORECASE) for t in tokens), mode, extra)


def words_regex(specs: Iterable[str | re.Pattern[str]]) -> tuple[re.Pattern[str], ...]:
    """Each spec as a regex matching its words at the start of a line, up to a word boundary."""
    return tuple(
        s if isinstance(s, re.Pattern)
        else re.compile("^" + " ".join(_word(t) for t in s.split()) + "(?= |$)", re.IGNORECASE)
        for s in specs
    )


@dataclass(frozen=True)
class Mode:
    """What IOS does with the lines typed in one configuration mode (see the module doc)."""

    prompt: str
    sections: tuple[Opener, ...] = ()
    settings: tuple[re.Pattern[str], ...] = ()
    defaults_on: frozenset[str] = frozenset()
    default_lines: frozenset[str] = frozenset()
    vocabulary: tuple[re.Pattern[str], ...] | None = None
    abbreviations: tuple[str, ...] = ()
    keywords: frozenset[str] = field(default=frozenset())  # first words of every line the mode knows


def mode(prompt: str, *, sections: Iterable[tuple[str, str]] = (), settings: Iterable[str | re.Pattern[str]] = (),
         defaults_on: Iterable[str] = (), default_lines: Iterable[str] = (), vocabulary: Iterable[str] | None = None,
         abbreviations: Iterable[str] = ()) -> Mode:
    """A table row from word specs (``settings`` may also hold a ready regex for odd keys)."""
    sections, settings, vocabulary = tuple(sections), tuple(settings), tuple(vocabulary or ())
    defaults_on, default_lines, abbreviations = tuple(defaults_on), tuple(default_lines), tuple(abbreviations)
    firsts = [s for s, _ in sections] + [s if isinstance(s, str) else s.pattern[1:] for s in settings]
    firsts += list(vocabulary) + list(defaults_on) + list(default_lines)
    keywords = {w for s in firsts for w in re.split(r"[ (?=]", s, maxsplit=1)[0].lower().split("|")}
    keywords |= set(abbreviations)
    return Mode(
        prompt,
        tuple(opener(spec, child) for spec, child in sections),
        words_regex(settings),
        frozenset(d.lower() for d in defaults_on),
        frozenset(d.lower() for d in default_lines),
        None if not vocabulary else words_regex(vocabulary),
        abbreviations,
        frozenset(keywords),
    )


GLOBAL = "config"

# Global configuration: lines that open a section, most specific first.
_TOP_SECTIONS = (
    ("interface range ...", "config-if-range"),
    ("interface ...", "config-if"),
    ("vlan <n>", "config-vlan"),
    ("line ...", "config-line"),
    ("router ...", "config-router"),
    ("ip access-list standard ...", "config-std-nacl"),
    ("ip access-list extended ...", "config-ext-nacl"),
    ("ip access-list role-based|resequence-disable ...", "config-nacl"),
    ("ipv6 access-list ...", "config-ipv6-acl"),
    ("ip dhcp pool ...", "dhcp-config"),
    ("ip sla <n>", "config-ip-sla"),
    ("ip vrf ...", "config-vrf"),
    ("vrf definition ...", "config-vrf"),
    ("voice service ...", "conf-voi-serv"),
    ("voice class uri ...", "config-voice-uri-class"),
    ("voice class ...", "config-class"),
    ("voice translation-rule ...", "cfg-translation-rule"),
    ("voice translation-profile ...", "cfg-translation-profile"),
    ("voice register global", "config-register-global"),
    ("voice register pool ...", "config-register-pool"),
    ("voice register dn ...", "config-register-dn"),
    ("voice-card ...", "config-voicecard"),
    ("voice-port ...", "config-voiceport"),
    ("dial-peer voice ...", "config-dial-peer"),
    ("dial-peer cor custom", "config-dp-cor"),
    ("dial-peer cor list ...", "config-dp-corlist"),
    ("sip-ua", "config-sip-ua"),
    ("controller e1 ...", "config-controller-e1"),
    ("controller t1 ...", "config-controller-t1"),
    ("controller ...", "config-controller"),
    ("policy-map ...", "config-pmap"),
    ("class-map ...", "config-cmap"),
    ("telephony-service", "config-telephony"),
    ("ephone-dn ...", "config-ephone-dn"),
    ("ephone ...", "config-ephone"),
    ("application", "config-app"),
    ("call-manager-fallback", "config-cm-fallback"),
    ("sccp ccm group ...", "config-sccp-ccm"),
    ("dspfarm profile ...", "config-dspfarm-profile"),
    ("trunk group ...", "config-trunk-group"),
    ("archive", "config-archive"),
    ("key chain ...", "config-keychain"),
    ("aaa group server radius ...", "config-sg-radius"),
    ("aaa group server tacacs+ ...", "config-sg-tacacs+"),
    ("aaa group server ldap ...", "config-sg-ldap"),
    ("tacacs server ...", "config-server-tacacs"),
    ("radius server ...", "config-radius-server"),
    ("spanning-tree mst configuration", "config-mst"),
    ("track ...", "config-track"),
    ("redundancy", "config-red"),
    ("control-plane *", "config-cp"),
    ("crypto pki trustpoint ...", "ca-trustpoint"),
    ("crypto isakmp policy ...", "config-isakmp"),
    ("crypto map <w> <n> *", "config-crypto-map"),  # "crypto map M" alone is an interface line
    ("object-group ...", "config-network-group"),
    ("parameter-map ...", "config-profile"),
    ("zone security ...", "config-sec-zone"),
    ("network-policy profile <n>", "config-network-policy"),  # LLDP-MED (Catalyst 9000)
)

_INTERFACE = mode(
    "config-if",
    settings=(
        "description", "speed", "duplex", "mtu", "bandwidth", "load-interval", "channel-group", "encapsulation",
        "negotiation", "ip mtu", "ip tcp adjust-mss", "ip dhcp snooping limit rate",
        "switchport mode", "switchport access vlan", "switchport voice vlan", "switchport trunk native vlan",
        "switchport trunk allowed vlan", "switchport trunk encapsulation", "switchport port-security maximum",
        "switchport port-security violation", "spanning-tree portfast", "spanning-tree bpduguard",
        "spanning-tree guard", "storm-control broadcast|multicast|unicast level",
        re.compile(r"^ip address(?=(?: (?!.* secondary$)|$))", re.IGNORECASE),  # secondaries add up
        re.compile(r"^power inline(?= (?:auto|never|static|consumption))", re.IGNORECASE),
        "service-policy input|output", "mls qos trust", "trust device", "auto qos voip",
        "isdn switch-type", "isdn incoming-voice", "trunk-group",
    ),
    # "no ip address" is shown although "no address" is the default (an IOS display quirk).
    defaults_on=("cdp enable", "ip proxy-arp", "ip redirects", "ip unreachables", "switchport", "ip address",
                 "lldp transmit", "lldp receive"),
    # PoE on, and "dynamic auto" on a Catalyst access port, are the defaults: never displayed.
    default_lines=("power inline auto", "switchport mode dynamic auto"),
    abbreviations=("channel-group", "description", "duplex", "power", "shutdown", "speed", "switchport",
                   "spanning-tree"),
)

_DIAL_PEER_SETTINGS = (
    "description", "destination-pattern", "session target", "session protocol", "session transport",
    "incoming called-number", "answer-address", "preference", "dtmf-relay", "codec", "voice-class codec",
    "voice-class sip <w>", "translation-profile incoming|outgoing", "incoming uri <w>", "destination dpg",
    "destination uri", "destination e164-pattern-map", "max-conn", "corlist incoming|outgoing",
    "forward-digits", "port", "prefix", "fax rate", "fax protocol", "huntstop",
)


def _controller(prompt_defaults: Iterable[str]) -> Mode:
    return mode(
        "config-controller",
        settings=("description", "framing", "linecode", "clock source", "cablelength", "pri-group",
                  "ds0-group <n>", "channel-group <n>"),
        default_lines=prompt_defaults,
    )


MODES: dict[str, Mode] = {
    GLOBAL: mode(
        "config",
        sections=_TOP_SECTIONS,
        settings=(
            "hostname", "ip domain name", "ip domain-name", "ip default-gateway", "enable secret",
            "enable password", "username <w>", "clock timezone", "clock summer-time", "spanning-tree mode",
            "vtp mode", "vtp domain", "vtp version", "snmp-server location", "snmp-server contact",
            "snmp-server chassis-id", "ntp source", "ntp master", "ip ssh version", "ip ssh time-out",
            "ip ssh authentication-retries", "ip ssh source-interface", "logging buffered", "logging trap",
            "logging source-interface", "logging console", "logging monitor", "isdn switch-type",
            "network-clock input-source <n>",
            "service timestamps debug|log",  # one format each: a new one replaces the factory's
        ),
        defaults_on=(
            "aaa new-model",  # shown as "no aaa new-model" although off by default (an IOS quirk)
            "cdp run", "ip bootp server", "ip domain-lookup", "ip domain lookup", "ip gratuitous-arps",
            "ip http server", "ip http secure-server", "ip routing", "ip source-route", "logging console",
            "service config", "service dhcp", "service pad", "vstack",
            "ip dhcp snooping information option",  # option 82 insertion: on by default
        ),
        # Syslog's default trap level is informational; VTP's default mode is server.
        default_lines=("logging trap informational", "vtp mode server"),
        abbreviations=("banner", "hostname", "interface", "logging", "service", "snmp-server", "spanning-tree",
                       "username"),
    ),
    "config-if": _INTERFACE,
    "config-if-range": replace(_INTERFACE, prompt="config-if-range"),
    "config-vlan": mode("config-vlan", settings=("name", "state", "mtu"),
                        vocabulary=("name", "state", "shutdown", "mtu", "remote-span", "private-vlan", "media")),
    "config-line": mode(
        "config-line",
        settings=("exec-timeout", "transport input", "transport output", "transport preferred", "password",
                  "privilege level", "session-timeout", "stopbits", "length", "width", "history size",
                  re.compile(r"^login(?=(?: local| authentication \S+)?$)", re.IGNORECASE)),
        default_lines=("exec-timeout 10 0",),  # ten idle minutes is the default
        abbreviations=("exec-timeout", "login", "logging", "transport"),
    ),
    "config-router": mode("config-router", sections=(("address-family ...", "config-router-af"),),
                          settings=("router-id",)),
    "dhcp-config": mode("dhcp-config", settings=("default-router", "dns-server", "network", "lease",
                                                 "domain-name", "option <n>")),
    "conf-voi-serv": mode(
        "conf-voi-serv",
        sections=(("ip address trusted list", "cfg-iptrust-list"), ("sip", "conf-serv-sip"),
                  ("h323", "conf-serv-h323"), ("stun", "conf-serv-stun")),
        settings=("mode", "fax protocol", "fax-relay ecm", "media"),
        defaults_on=("ip address trusted authenticate", "supplementary-service sip refer",
                     "supplementary-service sip moved-temporarily", "supplementary-service h450.2",
                     "supplementary-service h450.3"),
    ),
    "cfg-iptrust-list": mode("cfg-iptrust-list", vocabulary=("ipv4", "ipv6")),
    "conf-serv-sip": mode("conf-serv-sip", settings=("bind control", "bind media", "bind all", "early-offer",
                                                     "min-se", "session transport", "asserted-id", "privacy",
                                                     "registrar server", "listen-port")),
    "config-class": mode("config-class", settings=("description", "codec preference <n>", "dial-peer <n>")),
    "config-voice-uri-class": mode("config-voice-uri-class", settings=("host", "pattern", "user-id"),
                                   vocabulary=("host", "pattern", "user-id", "phone")),
    "cfg-translation-rule": mode("cfg-translation-rule", settings=("rule <n>",)),
    "cfg-translation-profile": mode("cfg-translation-profile", settings=("translate <w>",)),
    "config-dial-peer": mode("config-dial-peer", settings=_DIAL_PEER_SETTINGS,
                             defaults_on=("vad", "digit-strip")),
    "config-dp-cor": mode("config-dp-cor", vocabulary=("name",)),
    "config-dp-corlist": mode("config-dp-corlist", vocabulary=("member",)),
    "config-sip-ua": mode("config-sip-ua", settings=("retry <w>", "timers <w>", "sip-server", "registrar <n>"),
                          defaults_on=("remote-party-id",)),
    "config-controller-e1": _controller(("framing crc4", "linecode hdb3", "clock source line")),
    "config-controller-t1": _controller(("framing sf", "linecode ami", "clock source line")),
    "config-controller": _controller(()),
    "config-voiceport": mode("config-voiceport", settings=("description", "cptone", "compand-type", "bearer-cap",
                                                           "echo-cancel coverage", "timeouts <w>")),
    "config-trunk-group": mode("config-trunk-group", settings=("description", "hunt-scheme", "max-calls <w>",
                                                               "max-retry", "translation-profile incoming|outgoing")),
    "config-pmap": mode("config-pmap", sections=(("class ...", "config-pmap-c"),), settings=("description",)),
    "config-pmap-c": mode("config-pmap-c", settings=("priority", "bandwidth", "police", "set dscp|cos|precedence",
                                                     "shape average", "service-policy", "queue-limit")),
    "config-cmap": mode("config-cmap", settings=("description",)),
    "config-network-policy": mode("config-network-policy", settings=("voice vlan", "voice-signaling vlan"),
                                  vocabulary=("voice", "voice-signaling")),
    "config-keychain": mode("config-keychain", sections=(("key <n>", "config-keychain-key"),)),
    "config-app": mode("config-app", sections=(("service ...", "config-app-param"),)),
}

# Sub-modes without a row of their own behave like this one: any line, "description" a setting.
GENERIC = mode("", settings=("description",))


def mode_row(name: str | None) -> Mode:
    """The row of mode ``name`` (a generic sub-mode when the table has none)."""
    return MODES.get(name or "", GENERIC)


def prompt_of(name: str) -> str:
    """The sub-mode name IOS prints in the prompt.

    >>> prompt_of("config-controller-e1"), prompt_of("config-voice-uri-class"), prompt_of("config-sg-radius")
    ('config-controller', 'config-voice-uri-class', 'config-sg-radius')
    """
    row = MODES.get(name)
    return row.prompt if row is not None else name
