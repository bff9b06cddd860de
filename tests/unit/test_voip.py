"""VoIP bandwidth per call against Cisco's table (doc 7934) and hand calculations."""

from __future__ import annotations

import pytest

from ccinfra.errors import SpecError
from ccinfra.sizing.voip import CODECS, L2_OVERHEAD_BYTES, VoipBandwidth, per_call_bandwidth, total_bandwidth_kbps

# Cisco, "Voice Over IP - Per Call Bandwidth Consumption" (document 7934), codec table:
# codec, voice payload (B), payload (ms), packets/s, "Bandwidth MP or FRF.12" (kbps),
# "Bandwidth Ethernet" (kbps). The MP/FRF.12 column uses 6 B of L2 header + 1 B flag, the
# Ethernet column 18 B (14 header + 4 FCS). Cisco prints 33.3 pps for 30 ms (= 1000/30).
CISCO_7934 = [
    ("g711", 160, 20, 50, 82.8, 87.2),  # G.711 (64 kbps)
    ("g729", 20, 20, 50, 26.8, 31.2),  # G.729 (8 kbps)
    ("g723", 24, 30, 33.3, 18.9, 21.9),  # G.723.1 (6.3 kbps)
    ("g723_53", 20, 30, 33.3, 17.9, 20.8),  # G.723.1 (5.3 kbps)
    ("g726", 80, 20, 50, 50.8, 55.2),  # G.726 (32 kbps)
    ("g726_24", 60, 20, 50, 42.8, 47.2),  # G.726 (24 kbps)
    ("g728", 60, 30, 33.3, 28.5, 31.5),  # G.728 (16 kbps)
    ("g722", 160, 20, 50, 82.8, 87.2),  # G722_64k (64 kbps)
    ("ilbc", 38, 20, 50, 34.0, 38.4),  # ilbc_mode_20 (15.2 kbps)
    ("ilbc_30", 50, 30, 33.3, 25.867, 28.8),  # ilbc_mode_30 (13.33 kbps)
]


@pytest.mark.parametrize("codec, payload, ptime, pps, mp_kbps, ethernet_kbps", CISCO_7934)
def test_cisco_7934_table(codec, payload, ptime, pps, mp_kbps, ethernet_kbps):
    ethernet = per_call_bandwidth(codec)  # the codec's default ptime is the table's
    assert (ethernet.ptime_ms, ethernet.payload_bytes) == (ptime, payload)
    assert round(ethernet.packets_per_s, 1) == pps
    assert round(ethernet.per_call_kbps, 1) == ethernet_kbps
    mp = per_call_bandwidth(codec, ptime, l2="mp_frf12")
    assert round(mp.per_call_kbps, 3 if codec == "ilbc_30" else 1) == mp_kbps  # Cisco prints 25.867 there


def test_every_codec_with_a_cisco_row_is_tested():
    assert {row[0] for row in CISCO_7934} == set(CODECS) - {"opus"}


# Hand calculations: (payload + 40 + L2) B × 8 bit × packets/s.
HAND = [
    # G.711 20 ms with an 802.1Q tag: (160 + 40 + 22) × 8 × 50 = 88,800 bit/s
    ({"codec": "g711", "l2": "dot1q"}, 160, 200, 222, 88.8),
    # G.711 20 ms on the wire, tagged: (160 + 40 + 22 + 8 preamble/SFD + 12 IFG) × 8 × 50 = 96.8 kbit/s
    ({"codec": "g711", "l2": "wire"}, 160, 200, 242, 96.8),
    # ... untagged: (160 + 40 + 18 + 20) × 8 × 50 = 95.2 kbit/s
    ({"codec": "g711", "l2": "wire_untagged"}, 160, 200, 238, 95.2),
    # G.729 20 ms on the wire: (20 + 40 + 42) × 8 × 50 = 40.8 kbit/s
    ({"codec": "g729", "l2": "wire"}, 20, 60, 102, 40.8),
    # G.729 20 ms, 802.1Q: (20 + 40 + 22) × 8 × 50 = 32.8 kbit/s
    ({"codec": "g729", "l2": "dot1q"}, 20, 60, 82, 32.8),
    # G.711 30 ms: 240 B payload, 33.3 pps: (240 + 40 + 18) × 8 × 1000/30 = 79.47 kbit/s
    ({"codec": "g711", "ptime_ms": 30}, 240, 280, 298, 298 * 8 / 30),
    # G.729 10 ms: 10 B payload, 100 pps: (10 + 40 + 18) × 8 × 100 = 54.4 kbit/s
    ({"codec": "g729", "ptime_ms": 10}, 10, 50, 68, 54.4),
    # SRTP, AES_CM_128_HMAC_SHA1_80 (10 B tag): (160 + 40 + 10 + 18) × 8 × 50 = 91.2 kbit/s
    ({"codec": "g711", "srtp": True}, 160, 210, 228, 91.2),
    # SRTP, HMAC_SHA1_32 (4 B tag), G.729 802.1Q: (20 + 40 + 4 + 22) × 8 × 50 = 34.4 kbit/s
    ({"codec": "g729", "srtp": True, "srtp_tag_bytes": 4, "l2": "dot1q"}, 20, 64, 86, 34.4),
    # Opus at the nominal 40 kbit/s, 20 ms: 100 B; (100 + 40 + 18) × 8 × 50 = 63.2 kbit/s
    ({"codec": "opus"}, 100, 140, 158, 63.2),
    # Opus at 24 kbit/s, 20 ms: 60 B; (60 + 40 + 18) × 8 × 50 = 47.2 kbit/s
    ({"codec": "opus", "bitrate_kbps": 24}, 60, 100, 118, 47.2),
    # Opus at 6 kbit/s, 10 ms: 7.5 → 8 B; 8 + 40 + 18 = 66 B ≥ 64 B minimum; × 8 × 100 = 52.8 kbit/s
    ({"codec": "opus", "bitrate_kbps": 6, "ptime_ms": 10}, 8, 48, 66, 52.8),
    # G.711 with dotted, upper-case name
    ({"codec": "G.711"}, 160, 200, 218, 87.2),
]


@pytest.mark.parametrize("sent, payload, packet, frame, kbps", HAND)
def test_hand_calculations(sent, payload, packet, frame, kbps):
    result = per_call_bandwidth(**sent)
    assert (result.payload_bytes, result.packet_bytes, result.frame_bytes) == (payload, packet, frame)
    assert result.per_call_kbps == pytest.approx(kbps, rel=1e-12)


def test_l2_overheads_are_the_documented_ones():
    # 14 header + 4 FCS; + 4 802.1Q tag; + 7 preamble + 1 SFD + 12 inter-frame gap; PPP 6 + flag 1
    assert L2_OVERHEAD_BYTES == {"ethernet": 18, "dot1q": 22, "wire": 42, "wire_untagged": 38, "mp_frf12": 7}


def test_result_to_dict_and_fields():
    result = per_call_bandwidth("g711", 20, "ethernet")
    assert isinstance(result, VoipBandwidth)
    assert result.to_dict() == {
        "codec": "g711", "ptime_ms": 20, "l2": "ethernet", "srtp": False, "payload_bytes": 160,
        "packets_per_s": 50.0, "packet_bytes": 200, "frame_bytes": 218, "per_call_kbps": 87.2,
    }


def test_codec_catalogue_is_consistent():
    # bitrate = frame bytes × 8 / frame ms (Cisco: codec bit rate = sample size / sample interval);
    # 2 % slack for G.723.1 6.3 kbit/s, whose 189-bit frames are sent as 24 B (6.4 kbit/s).
    for codec in CODECS.values():
        assert codec.frame_bytes * 8 / codec.frame_ms == pytest.approx(codec.bitrate_kbps, rel=0.02), codec.name
        assert codec.default_ptime_ms in codec.ptimes_ms
        assert all(p % codec.frame_ms == 0 for p in codec.ptimes_ms)
        assert codec.source
    assert {"g711", "g729", "g722", "ilbc", "g726", "g723", "opus"} <= set(CODECS)


def test_total_bandwidth():
    # 24 concurrent G.711 calls on Ethernet: 24 × 87.2 = 2,092.8 kbit/s per direction
    assert total_bandwidth_kbps(87.2, 24) == pytest.approx(2092.8)
    assert total_bandwidth_kbps(31.2, 0) == 0


BAD = [
    ({"codec": "g999"}, "codec must be one of g711, g729, g722, g723, g723_53, g726, g726_24, g728, ilbc, ilbc_30, opus"),
    ({"codec": 711}, "codec must be one of"),
    ({"codec": "g711", "ptime_ms": 25}, "ptime_ms for g711 must be one of 10, 20, 30, 40, 50, 60, got 25"),
    ({"codec": "g723", "ptime_ms": 20}, "ptime_ms for g723 must be one of 30, 60, got 20"),
    ({"codec": "ilbc", "ptime_ms": 30}, "ptime_ms for ilbc must be one of 20, 40, 60"),
    ({"codec": "g711", "ptime_ms": 20.0}, "ptime_ms for g711 must be one of"),
    ({"codec": "g711", "ptime_ms": 0}, "ptime_ms for g711 must be one of"),
    ({"codec": "g711", "l2": "token-ring"}, "l2 must be one of ethernet, dot1q, wire, wire_untagged, mp_frf12"),
    ({"codec": "g711", "srtp": True, "srtp_tag_bytes": 8}, "srtp_tag_bytes must be one of 4, 10, 16"),
    ({"codec": "g711", "srtp": "yes"}, "srtp must be true or false"),
    ({"codec": "g711", "bitrate_kbps": 32}, "bitrate_kbps can only be set for a variable-bitrate codec (opus)"),
    ({"codec": "opus", "bitrate_kbps": 1000}, "bitrate_kbps for opus must be between 6 and 510"),
]


@pytest.mark.parametrize("kwargs, message", BAD)
def test_bad_inputs(kwargs, message):
    with pytest.raises(SpecError) as info:
        per_call_bandwidth(**kwargs)
    assert message in str(info.value)


@pytest.mark.parametrize("per_call, calls, message", [(-1, 3, "per_call_kbps"), (87.2, -1, "calls"), (87.2, 2.5, "calls")])
def test_total_bandwidth_bad_inputs(per_call, calls, message):
    with pytest.raises(SpecError, match=message):
        total_bandwidth_kbps(per_call, calls)
