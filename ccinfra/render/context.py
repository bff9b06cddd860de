"""Template contexts built from a Plan. Every value that can reach a device file is checked again here.

The spec types (SafeName, SafeText) already refuse newlines and control characters, but a plan.json
can be edited by hand after sizing; so each name, text, address and number is re-validated on its
way into a template, and a bad one raises RenderError naming the plan field. Contexts are plain
dicts of str/int/bool/list so that the same data can feed Ansible's ``template`` module.
"""

from __future__ import annotations

import re
from ipaddress import AddressValueError, IPv4Address, IPv4Network
from typing import Any, NoReturn

from pydantic import ValidationError

from ccinfra import standards
from ccinfra.errors import RenderError
from ccinfra.limits import MAX_GATEWAY_CHANNELS, MAX_PRI_SPANS_PER_GATEWAY
from ccinfra.plan import Gateway, Plan, Port, Switch
from ccinfra.spec import SiteSpec
from ccinfra.validation import describe_error, safe_name, safe_text

# IOS interface names: letters, then slot/port numbers, an optional ":channel" (Serial0/1/0:15).
_INTERFACE_RE = re.compile(r"^[A-Za-z][A-Za-z-]{1,40}\d+(/\d+){0,3}(:\d+)?$")
_MAC_RE = re.compile(r"^[0-9a-f]{12}$")

# Codec names per platform. G.711 A-law is the E1 (ITU-T G.711, Europe and most of the world)
# companding, mu-law the T1 one (North America, Japan); both are always offered as fallbacks.
IOS_CODECS = {"g711a": "g711alaw", "g711u": "g711ulaw", "g729": "g729r8", "g722": "g722-64", "ilbc": "ilbc",
              "g726": "g726r32", "g723": "g723r63", "opus": "opus"}

# Asterisk codec names (``core show codecs``) for the same generic ids, as pjsip.conf ``allow=`` wants them.
ASTERISK_CODECS = {"g711a": "alaw", "g711u": "ulaw", "g729": "g729", "g722": "g722", "ilbc": "ilbc",
                   "g726": "g726", "g723": "g723", "opus": "opus"}
# Payload bytes per millisecond of the IOS codecs whose packetisation a ``bytes`` keyword sets
# (G.711 64 kbit/s = 8 B/ms, G.729 8 kbit/s = 1 B/ms); IOS hides the 20 ms default (160 / 20 bytes).
IOS_BYTES_PER_MS = {"g711alaw": 8, "g711ulaw": 8, "g729r8": 1}
DEFAULT_PTIME_MS = 20
# SRTP suites offered toward the call control, strongest first (RFC 3711 / RFC 4568 SDES names).
SRTP_SUITES = ("AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32")
GATEWAY_PLATFORMS = ("cisco_ios", "asterisk")
# The LLDP-MED network-policy profile number the access switch announces to non-Cisco phones.
NETWORK_POLICY_PROFILE = 10

# A CUBE that handles both signalling and media on its one interface ("one-armed"): the plan has a
# single management address per gateway, so both SIP legs are bound to it.
GATEWAY_INTERFACE = "GigabitEthernet0/0/0"
# ISR 4000: a NIM-xMFT-1T/E1 card sits in NIM subslot 0/1 (0/2, 0/3 for more than 8 spans).
PRI_PORTS_PER_CARD = 8
PRI_FIRST_SUBSLOT = 1
# framing / linecode: the lines the controller needs, None where the PSTN's choice is the IOS default
# and so never shown in the running config (E1: crc4 and hdb3; T1 defaults to sf and ami).
PRI = {
    "e1": {"switch_type": "primary-net5", "framing": None, "linecode": None, "timeslots": "1-31", "dchannel": 15},
    "t1": {"switch_type": "primary-ni", "framing": "esf", "linecode": "b8zs", "timeslots": "1-24", "dchannel": 23},
}


def _fail(field: str, value: object, why: str) -> NoReturn:
    raise RenderError(f"plan field {field}: {value!r} {why}; correct the site YAML and size it again")


def checked_name(field: str, value: object) -> str:
    """A host/seat/device name, or RenderError naming the plan field.

    >>> checked_name("network.switches[0].name", "lisbon-as01")
    'lisbon-as01'
    """
    try:
        return safe_name(value)  # type: ignore[arg-type]
    except ValueError:
        _fail(field, value, "is not a safe name (letters, digits, '.', '_', '-'; no spaces or line breaks)")


def checked_text(field: str, value: object) -> str:
    """One line of display text (descriptions, phone labels), or RenderError naming the plan field."""
    try:
        return safe_text(value)  # type: ignore[arg-type]
    except ValueError:
        _fail(field, value, "is not allowed text (one line of letters, digits, spaces and . , ' ( ) / + -)")


def checked_interface(field: str, value: object) -> str:
    """An IOS interface name such as ``GigabitEthernet1/0/1``."""
    if not isinstance(value, str) or not _INTERFACE_RE.fullmatch(value):
        _fail(field, value, "is not an interface name such as GigabitEthernet1/0/1")
    return value


def checked_ip(field: str, value: object) -> str:
    """A dotted IPv4 address, normalised."""
    try:
        return str(IPv4Address(str(value)))
    except (AddressValueError, ValueError):
        _fail(field, value, "is not an IPv4 address")


def checked_int(field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        _fail(field, value, f"is not a whole number from {low} to {high}")
    return value


def checked_mac(field: str, value: object) -> str:
    if not isinstance(value, str) or not _MAC_RE.fullmatch(value):
        _fail(field, value, "is not a MAC address as 12 lower-case hex digits")
    return value


def plan_spec(plan: Plan) -> SiteSpec:
    """The site description the plan was sized from, validated again (types SafeName/SafeText and all).

    The phone list is left out: phones render from ``plan.phones``, each entry checked on its own.
    """
    data = dict(plan.spec)
    if isinstance(data.get("phones"), dict):
        data["phones"] = {**data["phones"], "devices": []}
    try:
        spec = SiteSpec.model_validate(data)
    except ValidationError as err:
        raise RenderError(describe_error(err, SiteSpec, "plan field spec")) from None
    if spec.name != plan.site:
        _fail("site", plan.site, f"differs from spec.name {spec.name!r}")
    return spec


def g711_law(spec: SiteSpec) -> str:
    """``ulaw`` where a T1 is in play (North American/Japanese PSTN), otherwise ``alaw`` (E1 world)."""
    return "ulaw" if "t1" in (spec.telephony.trunk, spec.telephony.fallback) else "alaw"


def codec_order(codec: str, law: str) -> list[str]:
    """Generic codec ids in preference order: the planned codec, then both G.711 laws (primary law first).

    >>> codec_order("g729", "alaw")
    ['g729', 'g711a', 'g711u']
    >>> codec_order("g711", "ulaw")
    ['g711u', 'g711a']
    """
    g711 = ["g711a", "g711u"] if law == "alaw" else ["g711u", "g711a"]
    return g711 if codec == "g711" else [codec, *g711]


def codec_context(name: str, order: list[str], ptime_ms: int) -> dict[str, Any]:
    """Codec names per platform, with the packetisation each can express.

    ``ios`` pairs each IOS codec with the ``bytes`` for ``ptime_ms`` (None for the 20 ms default or a
    codec without bytes); ``asterisk`` carries Asterisk's ``name:framing`` form off the default.

    >>> c = codec_context("g711", ["g711a", "g711u"], 30)
    >>> c["ios"], c["asterisk"]
    ([('g711alaw', 240), ('g711ulaw', 240)], ['alaw:30', 'ulaw:30'])
    >>> codec_context("g729", ["g729", "g711a"], 20)["ios"]
    [('g729r8', None), ('g711alaw', None)]
    """
    ios = [IOS_CODECS[c] for c in order]
    off_default = ptime_ms != DEFAULT_PTIME_MS
    return {
        "name": name, "order": order, "ptime_ms": ptime_ms,
        "ios": [(c, IOS_BYTES_PER_MS[c] * ptime_ms if off_default and c in IOS_BYTES_PER_MS else None) for c in ios],
        "asterisk": [ASTERISK_CODECS[c] + (f":{ptime_ms}" if off_default else "") for c in order],
        # codecs whose packets the gateway leaves at its default although the plan asks otherwise
        "ios_fixed_ptime": [c for c in ios if off_default and c not in IOS_BYTES_PER_MS],
    }


def site_context(plan: Plan, spec: SiteSpec) -> dict[str, Any]:
    """What every device of the site shares: VLANs, addresses of services, telephony and codecs."""
    net, tel = spec.network, spec.telephony
    vlans = [
        {"id": checked_int(f"network.vlans[{i}].id", v.id, 2, 4094),
         "name": checked_name(f"network.vlans[{i}].name", v.name),
         "purpose": checked_text(f"network.vlans[{i}].purpose", v.purpose)}
        for i, v in enumerate(plan.network.vlans)
    ]
    subnet = IPv4Network(plan.network.management_subnet)
    law = g711_law(spec)
    order = codec_order(net.codec, law)
    parking = net.vlans.parking
    carried = sorted(v["id"] for v in vlans if v["id"] != parking)  # the parking VLAN rides no trunk
    return {
        "site": checked_name("site", plan.site),
        "domain": checked_name("spec.network.domain", net.domain),
        "vlans": vlans,
        "vlan_ids": {"data": net.vlans.data, "voice": net.vlans.voice, "management": net.vlans.management,
                     "parking": parking},
        "vlan_list": ",".join(str(v) for v in carried),
        "management": {
            "subnet": str(subnet), "netmask": str(subnet.netmask), "network": str(subnet.network_address),
            "wildcard": str(subnet.hostmask),
            "gateway": checked_ip("network.management_gateway", plan.network.management_gateway),
        },
        "subnets": {"voice": str(net.voice_subnet), "data": str(net.data_subnet)},
        "hardening": {
            "exec_timeout_min": standards.EXEC_TIMEOUT_MIN, "login_block_s": standards.LOGIN_BLOCK_S,
            "login_attempts": standards.LOGIN_ATTEMPTS, "login_within_s": standards.LOGIN_WITHIN_S,
            "logging_buffer_bytes": standards.LOGGING_BUFFER_BYTES,
            "port_security_max": standards.SEAT_PORT_SECURITY_MAX,
            "dhcp_rate_pps": standards.DHCP_SNOOPING_RATE_PPS, "storm_percent": standards.STORM_BROADCAST_PERCENT,
        },
        "dscp": {"ef": standards.DSCP_EF, "cs3": standards.DSCP_CS3, "tos_ef": standards.TOS_EF,
                 "tos_cs3": standards.TOS_CS3},
        "dhcp_server": str(net.dhcp_server),
        "ntp_servers": [str(a) for a in net.ntp_servers],
        "syslog_servers": [str(a) for a in net.syslog_servers],
        "call_control": str(tel.call_control),
        "sip_provider": str(tel.sip_provider),
        "sip_domain": tel.sip_domain,
        "did_pattern": tel.did_prefix.lstrip("+") + "T",
        "codec": codec_context(net.codec, order, checked_int("voip.ptime_ms", plan.voip.ptime_ms, 1, 120)),
        "srtp": bool(net.srtp),
        "srtp_suites": list(SRTP_SUITES),
        "phone_vendor": spec.phones.vendor,
    }


def _port_context(field: str, port: Any) -> dict[str, Any]:
    interface = checked_interface(f"{field}.interface", port.interface)
    if port.kind == "seat":
        label = checked_name(f"{field}.seat", port.seat)
        description = f"seat {label} phone and PC" if port.voice_vlan is not None else f"seat {label}"
    elif port.kind == "extra":
        label = checked_name(f"{field}.device", port.device)
        description = label
    else:
        label, description = "", "spare - shut by ccinfra"
    return {
        "interface": interface, "kind": port.kind, "label": label, "description": description,
        "vlan": None if port.vlan is None else checked_int(f"{field}.vlan", port.vlan, 2, 4094),
        "voice_vlan": None if port.voice_vlan is None else checked_int(f"{field}.voice_vlan", port.voice_vlan, 2, 4094),
        "poe": port.poe_class is not None,
    }


def switch_context(site: dict[str, Any], switch: Switch, index: int) -> dict[str, Any]:
    """One access switch: its name, address, every port and the uplinks, on top of the site context."""
    field = f"network.switches[{index}]"
    return {
        **site,
        "hostname": checked_name(f"{field}.name", switch.name),
        "model": checked_name(f"{field}.model", switch.model),
        "management_ip": checked_ip(f"{field}.management_ip", switch.management_ip),
        "ports": [_port_context(f"{field}.ports[{j}]", p) for j, p in enumerate(switch.ports)]
        + [_port_context(f"{field}.unused_uplinks[{j}]", Port(interface=u, kind="spare"))
           for j, u in enumerate(switch.unused_uplinks)],
        "uplinks": [checked_interface(f"{field}.uplinks[{j}]", u) for j, u in enumerate(switch.uplinks)],
        # Conditional trust (CDP) only recognises Cisco phones; other vendors get an LLDP-MED network
        # policy and the Catalyst 9000 default of trusting DSCP (see templates/switch/cisco_ios.cfg.j2).
        "trust_cisco_phone": site["phone_vendor"] == "cisco",
        "qos": {
            "priority_uplink_percent": checked_int(f"{field}.priority_percent_uplink",
                                                   switch.priority_percent_uplink, 1, 100),
            "priority_access_percent": checked_int(f"{field}.priority_percent_access",
                                                   switch.priority_percent_access, 1, 100),
            "signaling_percent": standards.SIGNALING_REMAINING_PERCENT,
            "network_policy": NETWORK_POLICY_PROFILE,
        },
    }


def pri_spans(span_type: str, spans: int) -> list[dict[str, str]]:
    """Controllers, D-channel serial interfaces and voice ports for ``spans`` PRI spans on ISR 4000 NIMs.

    >>> pri_spans("e1", 1)[0]["serial"]
    'Serial0/1/0:15'
    """
    kind = PRI[span_type]
    found = []
    for n in range(spans):
        port = f"0/{PRI_FIRST_SUBSLOT + n // PRI_PORTS_PER_CARD}/{n % PRI_PORTS_PER_CARD}"
        found.append({
            "port": port, "controller": f"{span_type.upper()} {port}",
            "serial": f"Serial{port}:{kind['dchannel']}", "voice_port": f"{port}:{kind['dchannel']}",
        })
    return found


def gateway_context(site: dict[str, Any], gateway: Gateway, index: int, blocking: float) -> dict[str, Any]:
    """A voice gateway: the CUBE or Asterisk (role sip) or the IOS PRI gateway (role pri) sized by Erlang B."""
    field = f"gateways[{index}]"
    if gateway.platform not in GATEWAY_PLATFORMS:
        _fail(f"{field}.platform", gateway.platform, f"is not one of {', '.join(GATEWAY_PLATFORMS)}")
    if gateway.platform == "asterisk" and gateway.role != "sip":
        _fail(f"{field}.platform", gateway.platform, "is only for the SIP gateway (a PRI on Asterisk needs DAHDI "
                                                     "hardware; PRI gateways stay cisco_ios)")
    context = {
        **site,
        "hostname": checked_name(f"{field}.name", gateway.name),
        "role": gateway.role,
        "platform": gateway.platform,
        "management_ip": checked_ip(f"{field}.management_ip", gateway.management_ip),
        "interface": GATEWAY_INTERFACE,
        "channels": checked_int(f"{field}.channels", gateway.channels, 1, MAX_GATEWAY_CHANNELS),
        "blocking": blocking,
    }
    if gateway.role == "pri":
        span_type = gateway.span_type or ""
        if span_type not in PRI:
            _fail(f"{field}.span_type", gateway.span_type, "is not e1 or t1 (a PRI gateway needs its span type)")
        spans = checked_int(f"{field}.spans", gateway.spans, 1, MAX_PRI_SPANS_PER_GATEWAY)
        cards = sorted({PRI_FIRST_SUBSLOT + n // PRI_PORTS_PER_CARD for n in range(spans)})
        context.update({"span_type": span_type, **PRI[span_type], "spans": pri_spans(span_type, spans),
                        "cards": [{"type": span_type, "slot": 0, "subslot": s} for s in cards]})
    return context

