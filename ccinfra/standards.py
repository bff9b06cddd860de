"""Every constant ccinfra sizes with, next to the rule or publication it comes from.

Two kinds of rule live here and are never mixed silently:
- ``seed``: the defaults the product was asked to apply (a contact-center brief);
- other public standards a careful planner shows next to them (warn, let the user choose).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: an id used in the plan, a kind and a human citation."""

    id: str
    kind: str  # "seed" | "standard" | "vendor" | "practice" | "math"
    citation: str


SOURCES: dict[str, Source] = {
    s.id: s
    for s in [
        Source("seed-floor", "seed", "Contact-center brief: 2.3 m² per agent incl. circulation and equipment"),
        Source("seed-desk", "seed", "Contact-center brief: desk at least 90 cm × 60 cm, noise barrier between agents"),
        Source("seed-earth", "seed", "Contact-center brief: earth resistance at most 1 Ω"),
        Source("seed-break", "seed", "Contact-center brief: a 10-minute break each hour"),
        Source("seed-voip", "seed", "Contact-center brief: voice and data share one cable per seat (phone PC port)"),
        Source("uk-hse-volume", "standard",
               "UK Workplace (Health, Safety and Welfare) Regulations 1992, reg. 10 and ACoP L24: 11 m³ per person"),
        Source("tia-568", "standard", "ANSI/TIA-568: 90 m permanent link + 10 m cords = 100 m channel; 2 outlets per work area"),
        Source("ieee-802.3-poe", "standard",
               "IEEE 802.3af/at/bt PSE output power per class: 0/3 15.4 W, 1 4.0 W, 2 7.0 W, 4 30 W, 5 45 W, 6 60 W, 7 75 W, 8 90 W"),
        Source("cisco-campus-oversub", "vendor", "Cisco Campus LAN design guide: access→distribution oversubscription ≤ 20:1"),
        Source("nec-250.53", "standard", "NFPA 70 (NEC) 250.53(A)(2): a single rod over 25 Ω needs a supplemental electrode"),
        Source("ieee-142", "standard", "IEEE Std 142 (Green Book): 1–5 Ω for large commercial/industrial systems"),
        Source("telecom-5ohm", "practice", "Telecom practice (e.g. Motorola R56): ≤ 5 Ω for communication sites"),
        Source("co-1ohm", "practice", "Central-office practice: ≤ 1 Ω"),
        Source("ieee-81", "standard",
               "IEEE Std 81 fall-of-potential: potential probe at 62 % of the current-probe distance, repeated at 52 % and 72 %; "
               "readings agreeing within about 10 % validate the 62 % reading"),
        Source("erlang-c", "math", "Erlang C (M/M/N): C = N·B / (N − A·(1 − B)); SL = 1 − C·e^(−(N−A)·T/AHT); ASA = C·AHT/(N−A)"),
        Source("erlang-a", "math", "Erlang A (M/M/N+M, Palm 1943; Garnett, Mandelbaum & Reiman 2002): birth–death chain with abandonment"),
        Source("erlang-b", "math", "Erlang B by recursion B(n) = A·B(n−1) / (n + A·B(n−1)), B(0) = 1"),
        Source("shrinkage", "practice", "Workforce management: scheduled = ceil(on-phone agents / (1 − shrinkage))"),
        Source("itu-g.704", "standard", "ITU-T G.704 / Q.931 PRI: E1 = 30 B-channels, T1 PRI = 23 B-channels (24 with CAS)"),
        Source("cisco-qos-llq", "vendor", "Cisco Enterprise QoS SRND: strict-priority (voice) traffic at most 33 % of a link"),
        Source("cisco-voip-bw", "vendor", "Cisco doc 7934 'Voice over IP — Per Call Bandwidth Consumption'"),
        Source("tia-568-channel", "standard",
               "ANSI/TIA-568: horizontal permanent link ≤ 90 m; channel (link + cords) ≤ 100 m; cords ≤ 10 m in total"),
        Source("bicsi-slack", "practice",
               "BICSI TDMM practice: runs measured along the pathways (Manhattan) + vertical drops + slack "
               "3 m at the telecom room and 0.3 m at the outlet; another telecom room when an outlet is over 90 m away"),
        Source("cable-waste", "practice",
               "Installer practice, not a standard: order horizontal cable with a waste allowance (10 % by default) "
               "in 305 m (1000 ft) boxes"),
        Source("seed-rates", "seed",
               "Contact-center brief: outsourcing per agent hour, USA/Canada $22–35, Western Europe $40+, "
               "Eastern Europe $12–25, Australia $35–55, Africa/Middle East $15–20, Latin America $8–18, "
               "Asia/Philippines $8–14, India $5–9, Pakistan $6–10"),
        Source("price-book", "input", "the user's price book (prices, wages, rent, tariffs, amortisation)"),
        # A week of intervals (issue 14): chat, deferred work, dialers, the shift schedule.
        Source("cch-chat-concurrency", "practice",
               "Call Centre Helper, 'How to calculate staffing for chat': effective AHT = AHT ÷ factor, factor "
               "1.0/1.7/2.5/2.9/3.5 for 1–5 concurrent chats, then Erlang C (an approximation)"),
        Source("deferred-fifo", "practice",
               "Workforce management: deferred work (email, back office) = volume × AHT, served first in, first out "
               "within the response window"),
        Source("sytel-dialer-lines", "vendor",
               "Sytel dialer guidance: preview 1 line per agent; progressive/predictive about 1.5–2.5 lines per agent"),
        Source("wfm-schedule", "math",
               "Shift scheduling as integer covering (Dantzig 1954): minimise paid hours with on-duty ≥ required "
               "in every interval; solved exactly by HiGHS branch and cut, LP relaxation as a lower bound"),
        Source("cisco-campus-qos", "vendor",
               "Cisco Campus QoS Design (Enterprise QoS SRND 4.0; Cisco Live BRKCRS-2501 'Campus QoS Design - "
               "Simplified', Catalyst 9000 section): voice EF (DSCP 46) in a strict-priority queue policed at most "
               "33 % of the link, call signalling CS3 (DSCP 24) in a guaranteed-bandwidth queue, conditional trust "
               "of Cisco phones, LLDP-MED network policy for other phones"),
        Source("ieee-802.1ab-lldp-med", "standard",
               "ANSI/TIA-1057 LLDP-MED network policy TLV: voice VLAN, L2 priority and DSCP announced to the phone"),
        Source("cis-cisco-ios", "standard",
               "CIS Cisco IOS XE 16.x / 17.x Benchmark: 1 Management Plane (vty access-class, exec-timeout, SSH v2 "
               "only, no HTTP server, login block-for, logging buffered), 3 Data Plane (port security, DHCP "
               "snooping, ARP inspection, IP source guard, unused ports shut in an unused VLAN, native VLAN not 1)"),
        Source("cisco-iosxe-hardening", "vendor",
               "Cisco Guide to Harden Cisco IOS XE Devices (management plane: vty ACL, idle timeout, SSH v2, login "
               "block-for, buffered logging; data plane: port security, DHCP snooping, DAI, IP source guard, "
               "BPDU guard, storm control, VLAN 1 unused, parking VLAN)"),
        Source("cisco-c9k-portsec", "vendor",
               "Catalyst 9300 Security Configuration Guide, 'Port Security': with a voice VLAN set the maximum "
               "to two (the phone) plus the addresses allowed on the access VLAN"),
    ]
}

# Seed rules (contact-center brief).
FLOOR_AREA_PER_AGENT_M2 = 2.3  # seed-floor
DESK_MIN_WIDTH_CM = 90.0  # seed-desk
DESK_MIN_DEPTH_CM = 60.0  # seed-desk
EARTH_MAX_OHM = 1.0  # seed-earth
BREAK_MIN_PER_HOUR = 10.0  # seed-break: 10 min per 60 min is 1/6 of paid time off the phones

# UK HSE: 11 m³ per person; ceiling counted up to 3.0 m (ACoP L24 para 10.2 ignores height above 3 m).
HSE_VOLUME_PER_PERSON_M3 = 11.0
HSE_MAX_COUNTED_CEILING_M = 3.0

# TIA-568 channel: 90 m permanent link.
TIA_PERMANENT_LINK_M = 90.0
TIA_CHANNEL_M = 100.0  # tia-568-channel: link + cords

# Cabling take-off (bicsi-slack, cable-waste): per cable, two vertical drops (rack end, desk end).
CABLE_DROP_M = 2.5  # one drop; each run has CABLE_DROPS of them (the 2 × 2.5 m default)
CABLE_DROPS = 2
SLACK_RACK_M = 3.0  # bicsi-slack: service loop at the telecom room
SLACK_OUTLET_M = 0.3  # bicsi-slack: at the outlet
PATCH_CORD_RACK_M = 2.0  # equipment cord, panel to switch (assumed; within the 10 m cord allowance)
PATCH_CORD_DESK_M = 3.0  # work-area cord, outlet to phone (assumed)
CABLE_WASTE = 0.10  # cable-waste: practice, not a standard
CABLE_BOX_M = 305.0  # 1000 ft box
RUN_WARN_M = 80.0  # the report lists seats over this run length (10 m of headroom below the 90 m link)

# PoE PSE output power per class (IEEE 802.3af/at/bt).
POE_CLASS_POWER_W: dict[int, float] = {0: 15.4, 1: 4.0, 2: 7.0, 3: 15.4, 4: 30.0, 5: 45.0, 6: 60.0, 7: 75.0, 8: 90.0}

# Cisco campus design rule of thumb for access uplinks.
UPLINK_OVERSUB_MAX = 20.0

# Cisco QoS SRND: keep strict-priority (voice) queues at or below a third of the link.
VOICE_MAX_LINK_SHARE = 0.33
VOICE_MAX_PRIORITY_PERCENT = 33  # the same rule as a whole percent of the policy-map (cisco-campus-qos)
# DiffServ code points (RFC 4594; cisco-campus-qos): voice media EF, call signalling CS3.
DSCP_EF = 46
DSCP_CS3 = 24
TOS_EF = DSCP_EF << 2  # 184: the ToS byte Cisco phone files take (dscpForAudio)
TOS_CS3 = DSCP_CS3 << 2  # 96: dscpForCm2Dvce
# cisco-campus-qos: signalling gets a small guaranteed share of what the priority queue leaves.
SIGNALING_REMAINING_PERCENT = 5

# Hardening values (cis-cisco-ios, cisco-iosxe-hardening).
PARKING_VLAN_DEFAULT = 999
EXEC_TIMEOUT_MIN = 5  # idle minutes before a management session closes (CIS: at most 10)
LOGIN_BLOCK_S = 120  # login block-for: quiet period after...
LOGIN_ATTEMPTS = 5  # ...this many failures...
LOGIN_WITHIN_S = 60  # ...within this window
LOGGING_BUFFER_BYTES = 64000
# cisco-c9k-portsec: a seat port with a voice VLAN: 2 (the phone, seen in both VLANs) + 1 PC.
SEAT_PORT_SECURITY_MAX = 3
DHCP_SNOOPING_RATE_PPS = 15
STORM_BROADCAST_PERCENT = "1.00"


@dataclass(frozen=True)
class Rule:
    """A configuration rule a rendered file must keep: an id, what it asks, and its source ids."""

    id: str
    title: str
    sources: tuple[str, ...]


_HARDEN = ("cis-cisco-ios", "cisco-iosxe-hardening")
RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        Rule("harden.parking-vlan", "unused ports shut and in the named parking VLAN, which no trunk carries", _HARDEN),
        Rule("harden.native-vlan", "trunks use the parking VLAN as native VLAN, never VLAN 1", _HARDEN),
        Rule("harden.vlan1-unused", "VLAN 1 carries nothing: no port in it, no trunk allows it, its SVI shut", _HARDEN),
        Rule("harden.port-security", "seat ports run port security sized for a phone and a PC",
             (*_HARDEN, "cisco-c9k-portsec")),
        Rule("harden.dhcp-snooping", "DHCP snooping on the data and voice VLANs, uplinks trusted", _HARDEN),
        Rule("harden.arp-inspection", "dynamic ARP inspection on the data and voice VLANs, uplinks trusted", _HARDEN),
        Rule("harden.ip-source-guard", "IP source guard on seat ports", _HARDEN),
        Rule("harden.bpdu-guard", "edge ports with portfast have BPDU guard", _HARDEN),
        Rule("harden.storm-control", "edge ports limit broadcast storms", _HARDEN),
        Rule("harden.ssh-v2", "SSH version 2 only, and vty lines accept SSH only", _HARDEN),
        Rule("harden.vty-acl", "vty lines take sessions only from the management subnet (access-class)", _HARDEN),
        Rule("harden.exec-timeout", "console and vty sessions time out when idle", _HARDEN),
        Rule("harden.login-block", "repeated login failures block logins for a while (login block-for)", _HARDEN),
        Rule("harden.logging-buffered", "a local log buffer is kept (logging buffered)", _HARDEN),
        Rule("harden.no-http", "the HTTP and HTTPS servers are off", _HARDEN),
        Rule("qos.classes", "class-maps for voice media (DSCP EF) and call signalling (DSCP CS3)", ("cisco-campus-qos",)),
        Rule("qos.priority-queue", "egress strict-priority queue for EF, policed to the plan's size, at most 33 %",
             ("cisco-campus-qos", "cisco-qos-llq")),
        Rule("qos.service-policy", "the egress policy is attached to every seat port and uplink", ("cisco-campus-qos",)),
        Rule("qos.phone-trust", "the access edge classifies the phone: conditional trust (Cisco) or LLDP-MED "
                                "network policy with EF media and CS3 signalling (other vendors)",
             ("cisco-campus-qos", "ieee-802.1ab-lldp-med")),
    ]
}

# Grounding targets by source (ohms); the seed rule is the one checked unless the user picks another.
EARTH_TARGETS_OHM: dict[str, float] = {
    "seed-earth": EARTH_MAX_OHM,
    "co-1ohm": 1.0,
    "ieee-142": 5.0,
    "telecom-5ohm": 5.0,
    "nec-250.53": 25.0,
}
FOP_AGREEMENT = 0.10  # ieee-81: the 52/62/72 % readings must agree within about 10 %

# PRI span sizes.
E1_CHANNELS = 30
T1_PRI_CHANNELS = 23
T1_CAS_CHANNELS = 24


def rule_citation(rule_id: str) -> str:
    """A rule's id, title and sources in one line, as render checks report it.

    >>> rule_citation("harden.no-http")
    'harden.no-http (the HTTP and HTTPS servers are off; cis-cisco-ios, cisco-iosxe-hardening)'
    """
    rule = RULES[rule_id]
    return f"{rule.id} ({rule.title}; {', '.join(rule.sources)})"


def cite(source_id: str) -> str:
    """The human citation of a source id.

    >>> cite("seed-floor").startswith("Contact-center brief")
    True
    """
    return SOURCES[source_id].citation
