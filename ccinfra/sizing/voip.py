"""VoIP bandwidth per call, one direction, from codec, packetisation and layer-2 framing.

    bandwidth = (payload + 40 [IP 20 + UDP 8 + RTP 12] + SRTP tag + L2) × 8 × packets per second

as in Cisco "Voice Over IP — Per Call Bandwidth Consumption" (document 7934), whose Ethernet
column uses 18 bytes of L2 (14 header + 4 FCS) and whose MP/FRF.12 column uses 7 (6 header +
1 flag). A call sends one such stream each way: a full-duplex link carries per_call_kbps in each
direction; ``total_bandwidth_kbps`` is likewise per direction.

Layer 2 (``L2_OVERHEAD_BYTES``):
- ``ethernet``  18 B: Ethernet II header 14 + FCS 4 (Cisco 7934 "Ethernet" column).
- ``dot1q``     22 B: the same frame with an 802.1Q tag (4 B) — what a phone on a voice VLAN sends.
- ``wire``      42 B: ``dot1q`` + 20 B that occupy the link for every frame: preamble 7 + SFD 1 +
  inter-frame gap 12 (IEEE 802.3). Voice from phones travels tagged on the voice VLAN, so the
  on-the-wire figure is the tagged one; use ``wire_untagged`` (38 B) for untagged media.
- ``mp_frf12``  7 B: Multilink PPP / Frame Relay FRF.12 (Cisco 7934 "MP or FRF.12" column).
Ethernet frames shorter than 64 B are padded (IEEE 802.3 minimum frame); no codec here is that small.

Opus is variable bitrate; it is sized at a nominal 40 kbit/s, the top of the range RFC 7587
(§3.1.1) recommends for full-band speech (28–40 kbit/s), so a plan does not under-provision.
Pass ``bitrate_kbps`` to size another Opus rate. cRTP is not modelled (it does not apply on Ethernet).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ccinfra.errors import SpecError

IP_UDP_RTP_BYTES = 40  # IPv4 20 + UDP 8 + RTP 12 (RFC 791, RFC 768, RFC 3550)
ETHERNET_MIN_FRAME_BYTES = 64  # IEEE 802.3, header + payload + FCS
ETHERNET_WIRE_EXTRA_BYTES = 20  # preamble 7 + SFD 1 + inter-frame gap 12
SRTP_TAG_BYTES = (4, 10, 16)  # HMAC-SHA1-32, HMAC-SHA1-80 (RFC 3711), AES-GCM (RFC 7714)

L2_OVERHEAD_BYTES: dict[str, int] = {
    "ethernet": 18,
    "dot1q": 22,
    "wire": 22 + ETHERNET_WIRE_EXTRA_BYTES,
    "wire_untagged": 18 + ETHERNET_WIRE_EXTRA_BYTES,
    "mp_frf12": 7,
}
_ETHERNET_L2 = {"ethernet": 18, "dot1q": 22, "wire": 22, "wire_untagged": 18}  # bytes that count toward 64 B


@dataclass(frozen=True)
class Codec:
    """A voice codec: ``frame_bytes`` of payload every ``frame_ms`` (Cisco's "codec sample")."""

    name: str
    bitrate_kbps: float
    frame_ms: int
    frame_bytes: int
    default_ptime_ms: int
    ptimes_ms: tuple[int, ...]
    source: str
    variable_bitrate: bool = False


_CISCO = "Cisco doc 7934 'Voice Over IP - Per Call Bandwidth Consumption'"
CODECS: dict[str, Codec] = {
    c.name: c
    for c in (
        Codec("g711", 64, 10, 80, 20, (10, 20, 30, 40, 50, 60), f"ITU-T G.711; {_CISCO}"),
        Codec("g729", 8, 10, 10, 20, (10, 20, 30, 40, 50, 60), f"ITU-T G.729; {_CISCO}"),
        Codec("g722", 64, 10, 80, 20, (10, 20, 30, 40), f"ITU-T G.722 at 64 kbit/s; {_CISCO} (G722_64k)"),
        Codec("g723", 6.3, 30, 24, 30, (30, 60), f"ITU-T G.723.1 6.3 kbit/s; {_CISCO}"),
        Codec("g723_53", 5.3, 30, 20, 30, (30, 60), f"ITU-T G.723.1 5.3 kbit/s; {_CISCO}"),
        Codec("g726", 32, 5, 20, 20, (10, 20, 30, 40), f"ITU-T G.726 32 kbit/s; {_CISCO}"),
        Codec("g726_24", 24, 5, 15, 20, (10, 20, 30, 40), f"ITU-T G.726 24 kbit/s; {_CISCO}"),
        Codec("g728", 16, 5, 10, 30, (10, 20, 30, 40), f"ITU-T G.728; {_CISCO} (60 B per 30 ms)"),
        Codec("ilbc", 15.2, 20, 38, 20, (20, 40, 60), f"RFC 3951 20 ms mode; {_CISCO} (ilbc_mode_20)"),
        Codec("ilbc_30", 13.33, 30, 50, 30, (30, 60, 90), f"RFC 3951 30 ms mode; {_CISCO} (ilbc_mode_30)"),
        Codec(
            "opus", 40, 10, 50, 20, (10, 20, 40, 60),
            "RFC 6716/7587; nominal 40 kbit/s = top of RFC 7587 §3.1.1 full-band speech range",
            variable_bitrate=True,
        ),
    )
}


@dataclass(frozen=True)
class VoipBandwidth:
    """Bandwidth of one call in one direction.

    packet_bytes is the IP packet (payload + IP/UDP/RTP + SRTP tag); frame_bytes adds the layer-2
    overhead (and, for ``wire``, preamble and inter-frame gap).
    """

    codec: str
    ptime_ms: int
    l2: str
    srtp: bool
    payload_bytes: int
    packets_per_s: float
    packet_bytes: int
    frame_bytes: int
    per_call_kbps: float

    def to_dict(self) -> dict:
        return asdict(self)


def _codec(name: object) -> Codec:
    key = name.strip().lower().replace(".", "").replace("-", "_") if isinstance(name, str) else None
    if key not in CODECS:
        raise SpecError(f"codec must be one of {', '.join(CODECS)}, got {name!r}")
    return CODECS[key]


def _payload_bytes(codec: Codec, ptime_ms: int, bitrate_kbps: float | None) -> int:
    if bitrate_kbps is None:
        return codec.frame_bytes * ptime_ms // codec.frame_ms
    if not codec.variable_bitrate:
        raise SpecError(f"bitrate_kbps can only be set for a variable-bitrate codec (opus), not {codec.name}")
    if isinstance(bitrate_kbps, bool) or not isinstance(bitrate_kbps, (int, float)) or not 6 <= bitrate_kbps <= 510:
        raise SpecError(f"bitrate_kbps for opus must be between 6 and 510 (RFC 6716), got {bitrate_kbps!r}")
    return math.ceil(bitrate_kbps * ptime_ms / 8)  # whole bytes per packet


def per_call_bandwidth(
    codec: str,
    ptime_ms: int | None = None,
    l2: str = "ethernet",
    srtp: bool = False,
    srtp_tag_bytes: int = 10,
    bitrate_kbps: float | None = None,
) -> VoipBandwidth:
    """Bandwidth of one call, one direction, in kbit/s (see the module doc for the framing).

    ``ptime_ms`` defaults to the codec's usual packetisation (20 ms; 30 ms for G.723.1, G.728,
    iLBC 30). ``srtp`` adds the authentication tag (10 B for AES_CM_128_HMAC_SHA1_80).

    >>> per_call_bandwidth("g711").per_call_kbps      # Cisco 7934: 87.2 kbps on Ethernet
    87.2
    >>> per_call_bandwidth("g729", l2="wire").per_call_kbps   # (20 + 40 + 42) B × 8 × 50/s
    40.8
    """
    spec = _codec(codec)
    ptime = spec.default_ptime_ms if ptime_ms is None else ptime_ms
    if isinstance(ptime, bool) or not isinstance(ptime, int) or ptime not in spec.ptimes_ms:
        choices = ", ".join(str(p) for p in spec.ptimes_ms)
        raise SpecError(f"ptime_ms for {spec.name} must be one of {choices}, got {ptime_ms!r}")
    if l2 not in L2_OVERHEAD_BYTES:
        raise SpecError(f"l2 must be one of {', '.join(L2_OVERHEAD_BYTES)}, got {l2!r}")
    if not isinstance(srtp, bool):
        raise SpecError(f"srtp must be true or false, got {srtp!r}")
    if srtp and srtp_tag_bytes not in SRTP_TAG_BYTES:
        raise SpecError(f"srtp_tag_bytes must be one of {', '.join(map(str, SRTP_TAG_BYTES))}, got {srtp_tag_bytes!r}")
    payload = _payload_bytes(spec, ptime, bitrate_kbps)
    packet = payload + IP_UDP_RTP_BYTES + (srtp_tag_bytes if srtp else 0)
    frame = packet + L2_OVERHEAD_BYTES[l2]
    if l2 in _ETHERNET_L2:
        frame += max(0, ETHERNET_MIN_FRAME_BYTES - (packet + _ETHERNET_L2[l2]))  # pad short frames
    packets_per_s = 1000 / ptime
    return VoipBandwidth(
        codec=spec.name,
        ptime_ms=ptime,
        l2=l2,
        srtp=srtp,
        payload_bytes=payload,
        packets_per_s=packets_per_s,
        packet_bytes=packet,
        frame_bytes=frame,
        per_call_kbps=frame * 8 * packets_per_s / 1000,
    )


def total_bandwidth_kbps(per_call_kbps: float, calls: int) -> float:
    """Bandwidth of ``calls`` simultaneous calls, per direction.

    >>> total_bandwidth_kbps(87.2, 24)
    2092.8
    """
    if isinstance(per_call_kbps, bool) or not isinstance(per_call_kbps, (int, float)) or not (
        math.isfinite(per_call_kbps) and per_call_kbps >= 0
    ):
        raise SpecError(f"per_call_kbps must be a finite number of 0 or more, got {per_call_kbps!r}")
    if isinstance(calls, bool) or not isinstance(calls, int) or calls < 0:
        raise SpecError(f"calls must be a whole number of 0 or more, got {calls!r}")
    return per_call_kbps * calls
