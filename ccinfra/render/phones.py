"""IP phone provisioning files: names, templates and contexts per vendor.

Phones are not pushed; they pull files named by MAC from TFTP/HTTP (DHCP option 150 or 66):

* Cisco (enterprise SIP firmware): ``SEP<MAC upper>.cnf.xml``.
* Yealink: ``<mac lower>.cfg`` per phone plus the model's common file ``y0000000000XX.cfg``,
  both starting ``#!version:1.0.0.1``.
* Polycom (UC Software): the phone asks for its per-phone *master* file ``<mac>.cfg`` and falls back
  to the default master ``000000000000.cfg`` (SoundPoint IP Administrator's Guide, "Master
  Configuration Files"). A master file only lists CONFIG_FILES, so the settings live in
  ``<mac>-phone.cfg`` (the line) and ``ccinfra-site.cfg`` (VLAN, NTP, codecs, provisioning).
  Unknown phones get the default master: site settings, no line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ccinfra.errors import RenderError
from ccinfra.plan import PhoneEntry
from ccinfra.render.context import checked_int, checked_mac, checked_name, checked_text
from ccinfra.spec import SiteSpec

PLATFORMS = {"cisco": "cisco_phone", "yealink": "yealink", "polycom": "polycom"}

# Yealink model → number in the common file name y0000000000XX.cfg. Each entry was checked against
# two public provisioning sources (Wazo provd Yealink plugin COMMON_FILES; FreePBX-style global
# file maps): T54W → y000000000096.cfg, T46S → ...066, T42S → ...067, T53/T53W → ...095, T57W → ...097.
YEALINK_COMMON_CODES = {
    "T46G": 28, "T42G": 29, "T58": 58, "T46S": 66, "T42S": 67, "T27G": 69, "CP920": 78,
    "T53": 95, "T53W": 95, "T54W": 96, "T57W": 97, "T46U": 108, "T48U": 109,
}

# Codec keys per vendor for the generic ids of ccinfra.render.context.codec_order.
YEALINK_CODECS = {"g711a": "pcma", "g711u": "pcmu", "g729": "g729", "g722": "g722", "ilbc": "ilbc",
                  "g726": "g726_32", "g723": "g723_53", "opus": "opus"}
POLYCOM_CODECS = {"g711a": "G711_A", "g711u": "G711_Mu", "g729": "G729_AB", "g722": "G722", "ilbc": "iLBC.13_33kbps"}
CISCO_CODECS = {"g711a": "g711alaw", "g711u": "g711ulaw", "g729": "g729a", "g722": "g722", "ilbc": "ilbc"}

# Packet times a Yealink account takes (account.X.ptime; 0 leaves the phone's 20 ms default).
YEALINK_PTIMES_MS = (10, 20, 30, 40, 50, 60)
# Where each vendor's files hold the packetisation and the SRTP setting ccinfra renders.
VENDOR_PTIME = {"yealink": True, "cisco": False, "polycom": False}
# DHCP option that points a phone at its provisioning server: 150 (TFTP server address, Cisco) or
# 66 (TFTP/HTTP server name or URL, RFC 2132 "TFTP server name").
DHCP_OPTION = {"tftp": 150, "http": 66}

POLYCOM_SITE_FILE = "ccinfra-site.cfg"
POLYCOM_DEFAULT_MASTER = "000000000000.cfg"


@dataclass(frozen=True)
class PhoneFile:
    """One file to render: its name under ``phones/``, its template, and how to check it (xml | yealink)."""

    name: str
    template: str
    kind: str


def yealink_common_file(model: str) -> str:
    """The common file a Yealink model fetches.

    >>> yealink_common_file("T54W"), yealink_common_file("SIP-T46S")
    ('y000000000096.cfg', 'y000000000066.cfg')
    """
    key = model.upper().removeprefix("SIP-")
    if key not in YEALINK_COMMON_CODES:
        known = ", ".join(sorted(YEALINK_COMMON_CODES))
        raise RenderError(f"phones.model: no known Yealink common file for {model!r}; use one of {known}")
    return f"y{YEALINK_COMMON_CODES[key]:012d}.cfg"


def device_files(vendor: str, mac: str) -> list[PhoneFile]:
    """The per-phone files, the main one first.

    >>> [f.name for f in device_files("cisco", "001b54c00001")]
    ['SEP001B54C00001.cnf.xml']
    """
    if vendor == "cisco":
        return [PhoneFile(f"SEP{mac.upper()}.cnf.xml", "phone/cisco/sep.cnf.xml.j2", "xml")]
    if vendor == "yealink":
        return [PhoneFile(f"{mac}.cfg", "phone/yealink/mac.cfg.j2", "yealink")]
    return [PhoneFile(f"{mac}.cfg", "phone/polycom/master.xml.j2", "xml"),
            PhoneFile(f"{mac}-phone.cfg", "phone/polycom/phone.xml.j2", "xml")]


def shared_files(vendor: str, model: str) -> list[tuple[PhoneFile, dict[str, Any]]]:
    """Files every phone of the site reads, with what they add to the shared context."""
    if vendor == "yealink":
        return [(PhoneFile(yealink_common_file(model), "phone/yealink/common.cfg.j2", "yealink"), {})]
    if vendor == "polycom":
        return [
            (PhoneFile(POLYCOM_DEFAULT_MASTER, "phone/polycom/master.xml.j2", "xml"),
             {"mac": "", "config_files": POLYCOM_SITE_FILE}),
            (PhoneFile(POLYCOM_SITE_FILE, "phone/polycom/site.xml.j2", "xml"), {}),
        ]
    return []


def vendor_codecs(vendor: str, order: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """The codec preference list in the vendor's names (priority 1 first), and the codecs it cannot offer."""
    table = {"cisco": CISCO_CODECS, "yealink": YEALINK_CODECS, "polycom": POLYCOM_CODECS}[vendor]
    usable = [c for c in order if c in table]
    missing = [c for c in order if c not in table]
    return [{"id": c, "key": table[c], "priority": n} for n, c in enumerate(usable, start=1)], missing


def phones_context(site: dict[str, Any], spec: SiteSpec) -> dict[str, Any]:
    """What all phone files share: vendor, model, servers, voice VLAN and codec preference."""
    phones = spec.phones
    codecs, missing = vendor_codecs(phones.vendor, site["codec"]["order"])
    return {
        **site,
        "vendor": phones.vendor,
        "model": phones.model,
        "voice_vlan": site["vlan_ids"]["voice"],
        "provisioning_server": str(phones.provisioning_server),
        "provisioning_protocol": phones.provisioning_protocol,
        "provisioning_url": f"{phones.provisioning_protocol}://{phones.provisioning_server}/",
        "phone_codecs": codecs,
        "unsupported_codecs": missing,
        "dhcp_option": DHCP_OPTION[phones.provisioning_protocol],
        "ptime_ms": site["codec"]["ptime_ms"] if site["codec"]["ptime_ms"] in YEALINK_PTIMES_MS else 0,
    }


def platform_warnings(shared: dict[str, Any], gateway_platforms: set[str]) -> list[str]:
    """Plan values a platform's files cannot carry: said, never dropped silently."""
    warnings = []
    ptime, vendor = shared["codec"]["ptime_ms"], shared["vendor"]
    if ptime != 20 and not VENDOR_PTIME[vendor]:
        warnings.append(f"network.ptime_ms {ptime}: {vendor} phone files rendered by ccinfra set no packet time; "
                        "the phones send 20 ms unless the call control negotiates another (a=ptime)")
    if ptime != 20 and VENDOR_PTIME[vendor] and shared["ptime_ms"] != ptime:
        warnings.append(f"network.ptime_ms {ptime}: Yealink phones take {', '.join(map(str, YEALINK_PTIMES_MS))} ms; "
                        "they keep their 20 ms default")
    fixed = shared["codec"]["ios_fixed_ptime"]
    if fixed and "cisco_ios" in gateway_platforms:
        warnings.append(f"network.ptime_ms {ptime}: IOS sets no packet size for {', '.join(fixed)}; "
                        "the gateway sends those at their default")
    return warnings


def phone_context(shared: dict[str, Any], entry: PhoneEntry, index: int) -> dict[str, Any]:
    """One phone: MAC, extension, display name, seat."""
    field = f"phones[{index}]"
    mac = checked_mac(f"{field}.mac", entry.mac)
    seat = None if entry.seat is None else checked_name(f"{field}.seat", entry.seat)
    return {
        **shared,
        "mac": mac,
        "mac_upper": mac.upper(),
        "extension": checked_int(f"{field}.extension", entry.extension, 100, 99999999),
        "display_name": checked_text(f"{field}.name", entry.name),
        "seat": seat or "",
        "config_files": f"{mac}-phone.cfg, {POLYCOM_SITE_FILE}",
    }
