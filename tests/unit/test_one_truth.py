"""Every spec value the plan uses reaches the device files: change one value, diff the rendered builds.

Expected lines come from the vendors' formats (Cisco CUBE "SRTP" configuration: ``voice class
srtp-crypto`` with RFC 4568 suite names and ``srtp`` on the dial-peer; IOS ``codec preference N
<codec> bytes B`` with G.711 at 8 bytes per ms; Yealink ``account.1.srtp_encryption`` 0/1/2 and
``account.1.ptime``; Polycom ``sec.srtp.*``; Cisco cnf.xml ``deviceSecurityMode`` 1 non-secure,
3 encrypted; DHCP option 150 for TFTP, 66 for HTTP).
"""

from __future__ import annotations

from importlib.resources import files
from ipaddress import IPv4Network
from pathlib import Path

from ccinfra.render import render_plan
from ccinfra.sizing.site import size
from ccinfra.spec import load_spec


def build(network: dict | None = None, phones: dict | None = None, telephony: dict | None = None):
    spec = load_spec(Path(str(files("ccinfra.examples") / "site.yaml")))
    for name, update in (("network", network), ("phones", phones), ("telephony", telephony)):
        if update:
            setattr(spec, name, getattr(spec, name).model_copy(update=update))
    plan = size(spec)
    rendered = render_plan(plan)
    return plan, rendered, {f.path: f.text for f in rendered.files}


def diff(before: dict[str, str], after: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    """path → (lines only in before, lines only in after), for the files that differ."""
    out = {}
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path, "").splitlines(), after.get(path, "").splitlines()
        if old != new:
            out[path] = ([x for x in old if x not in new], [x for x in new if x not in old])
    return out


def test_srtp_reaches_the_gateways_and_the_phones_and_warns_about_tls():
    _, _, base = build()
    plan, _, srtp = build(network={"srtp": True})
    changed = diff(base, srtp)
    assert {p.split("/")[0] for p in changed} == {"gateways", "phones"}  # switches do not change
    for gateway in ("gateways/lisbon-gw01.cfg", "gateways/lisbon-gw02.cfg"):  # CUBE and the PRI gateway
        removed, added = changed[gateway]
        assert removed == []
        assert {"voice class srtp-crypto 1", " crypto 1 AES_CM_128_HMAC_SHA1_80", " crypto 2 AES_CM_128_HMAC_SHA1_32",
                " voice-class sip srtp-crypto 1", " srtp"} <= set(added)
        assert srtp[gateway].count("\n srtp\n") == 2  # both legs toward the call control, none toward the PSTN side
    assert changed["phones/SEP001B54C00001.cnf.xml"] == (
        ["  <deviceSecurityMode>1</deviceSecurityMode>"], ["  <deviceSecurityMode>3</deviceSecurityMode>"])
    assert any(w.startswith("network.srtp: SRTP keys (SDES") and "TLS (SIPS)" in w for w in plan.warnings)


def test_srtp_on_yealink_polycom_and_asterisk():
    _, _, base = build(phones={"vendor": "yealink", "model": "T54W"}, telephony={"gateway_platform": "asterisk"})
    _, _, srtp = build(phones={"vendor": "yealink", "model": "T54W"}, telephony={"gateway_platform": "asterisk"},
                       network={"srtp": True})
    changed = diff(base, srtp)
    assert changed["phones/001b54c00001.cfg"] == (["account.1.srtp_encryption = 0"], ["account.1.srtp_encryption = 2"])
    assert changed["gateways/lisbon-gw01.pjsip.conf"] == ([], ["media_encryption=sdes"])
    _, _, poly = build(phones={"vendor": "polycom", "model": "VVX450"})
    _, _, poly_srtp = build(phones={"vendor": "polycom", "model": "VVX450"}, network={"srtp": True})
    assert diff(poly, poly_srtp)["phones/ccinfra-site.cfg"] == (
        ['  <sec sec.srtp.enable="0" sec.srtp.offer="0" sec.srtp.require="0"/>'],
        ['  <sec sec.srtp.enable="1" sec.srtp.offer="1" sec.srtp.require="1"/>'])


def test_ptime_reaches_the_gateway_codec_bytes_and_the_yealink_phones():
    _, _, base = build(phones={"vendor": "yealink", "model": "T54W"})
    _, rendered, p30 = build(phones={"vendor": "yealink", "model": "T54W"}, network={"ptime_ms": 30})
    changed = diff(base, p30)
    # G.711 at 64 kbit/s = 8 bytes per ms: 30 ms = 240 bytes (IOS hides the 20 ms default of 160)
    assert changed["gateways/lisbon-gw01.cfg"] == (
        [" codec preference 1 g711alaw", " codec preference 2 g711ulaw"],
        [" codec preference 1 g711alaw bytes 240", " codec preference 2 g711ulaw bytes 240"])
    assert changed["phones/001b54c00001.cfg"] == (["account.1.ptime = 20"], ["account.1.ptime = 30"])
    assert not any("ptime" in w for w in rendered.warnings)


def test_ptime_a_platform_cannot_express_is_a_warning():
    _, rendered, p30 = build(network={"ptime_ms": 30})  # Cisco phones: no packet time in SEP cnf.xml
    assert any(w.startswith("network.ptime_ms 30: cisco phone files") for w in rendered.warnings)
    _, asterisk, files_ = build(network={"ptime_ms": 30}, telephony={"gateway_platform": "asterisk"})
    assert "allow=alaw:30\nallow=ulaw:30\n" in files_["gateways/lisbon-gw01.pjsip.conf"]


def test_the_provisioning_protocol_picks_the_dhcp_option():
    _, _, tftp = build()
    _, _, http = build(phones={"provisioning_protocol": "http"})
    removed, added = diff(tftp, http)["phones/SEP001B54C00001.cnf.xml"]
    assert "(DHCP option 150)" in removed[0] and "(DHCP option 66)" in added[0]
    assert "http://10.20.1.30/" in added[0]


def test_the_asterisk_transport_binds_the_gateways_own_address():
    plan, _, out = build(telephony={"gateway_platform": "asterisk"})
    address = plan.gateways[0].management_ip
    text = out["gateways/lisbon-gw01.pjsip.conf"]
    assert f"\nbind={address}:5060\n" in text and "0.0.0.0" not in text


def test_the_subnets_reach_the_switch_file():
    _, _, base = build()
    _, _, moved = build(network={"voice_subnet": IPv4Network("10.20.40.0/22"),
                                  "data_subnet": IPv4Network("10.20.32.0/22")})
    removed, added = diff(base, moved)["switches/lisbon-as01.cfg"]
    assert added == ["! Voice subnet 10.20.40.0/22, data subnet 10.20.32.0/22: their gateways are on the "
                     "distribution SVIs too."]
