"""telephony.gateway_platform: asterisk — the SIP gateway as a pjsip.conf, checked, and kept out of SSH pushes.

Expected values come from the pjsip.conf format (docs.asterisk.org, "res_pjsip Configuration
Examples": `[name]` sections, `type=`, an endpoint's `aors=`/`transport=` naming other sections) and
from the example site: 86 Erlang B channels for its SIP trunk (as in the CUBE golden file).
"""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from ccinfra.errors import RenderError, SpecError
from ccinfra.inventory import plan_inventory, write_inventory_dir
from ccinfra.lab.run import build_specs
from ccinfra.push.targets import load_targets, skipped_devices
from ccinfra.render import render_plan
from ccinfra.render.build import write_build
from ccinfra.render.checks import check_build
from ccinfra.render.pjsip_checks import parse_pjsip
from ccinfra.sizing.site import size
from ccinfra.spec import load_spec, parse_spec

PJSIP = "gateways/lisbon-gw01.pjsip.conf"


def asterisk_plan(example_site, **telephony):
    spec = load_spec(example_site)
    spec.telephony.gateway_platform = "asterisk"
    for key, value in telephony.items():
        setattr(spec.telephony, key, value)
    return size(spec)


def pjsip_file(build):
    return next(f for f in build.files if f.path == PJSIP)


def test_default_platform_is_cisco_ios(example_site):
    plan = size(load_spec(example_site))
    assert [(g.name, g.role, g.platform) for g in plan.gateways] == [
        ("lisbon-gw01", "sip", "cisco_ios"), ("lisbon-gw02", "pri", "cisco_ios")]


def test_only_the_sip_gateway_becomes_asterisk(example_site):
    build = render_plan(asterisk_plan(example_site))
    gateways = [(d["device"], d["platform"], d["path"]) for d in build.manifest["devices"] if d["role"] == "gateway"]
    # The E1 fallback stays an IOS PRI gateway: a PRI on Asterisk needs DAHDI hardware.
    assert gateways == [("lisbon-gw01", "asterisk", PJSIP), ("lisbon-gw02", "cisco_ios", "gateways/lisbon-gw02.cfg")]


def test_pjsip_sections_and_references(example_site):
    sections, bad = parse_pjsip(pjsip_file(render_plan(asterisk_plan(example_site))).text)
    assert bad == []
    by = {(s.name, s.get("type")): s for s in sections}
    assert set(by) == {("transport-udp", "transport"), ("carrier", "endpoint"), ("carrier", "aor"),
                       ("carrier", "identify"), ("call-control", "endpoint"), ("call-control", "aor"),
                       ("call-control", "identify")}
    # the gateway's own address (gateways from the 5th host of the management subnet 10.20.99.0/24)
    assert by["transport-udp", "transport"].get("bind") == "10.20.99.5:5060"
    carrier = by["carrier", "endpoint"]
    assert [v for k, v, _ in carrier.options if k == "allow"] == ["alaw", "ulaw"]  # g711 in the E1 world
    assert (carrier.get("context"), carrier.get("direct_media"), carrier.get("dtmf_mode")) == (
        "from-carrier", "no", "rfc4733")
    assert by["carrier", "identify"].get("match") == "192.0.2.10"  # examples/site.yaml sip_provider
    assert by["call-control", "identify"].get("match") == "10.20.1.40"


def test_pjsip_codecs_follow_the_site(example_site):
    spec = load_spec(example_site)
    spec.telephony.gateway_platform = "asterisk"
    spec.telephony.fallback = "t1"
    spec.network.codec = "g729"
    sections, _ = parse_pjsip(pjsip_file(render_plan(size(spec))).text)
    endpoint = next(s for s in sections if s.name == "carrier" and s.get("type") == "endpoint")
    assert [v for k, v, _ in endpoint.options if k == "allow"] == ["g729", "ulaw", "alaw"]  # T1 world: mu-law


def test_pjsip_comments_channels_limit_and_no_secret(example_site):
    text = pjsip_file(render_plan(asterisk_plan(example_site))).text
    assert "; 86 channels sized with Erlang B at a blocking target of 0.01." in text
    assert "${GROUP_COUNT(carrier)} > 86" in text
    assert "#tryinclude pjsip_auth.conf" in text
    assert "password" not in text.lower().replace("; ", "")


@pytest.mark.parametrize("edit, message", [
    (("aors=carrier", "aors=carier"), "aors=carier names no type=aor section"),
    (("transport=transport-udp\ncontext=from-carrier", "transport=udp\ncontext=from-carrier"),
     "transport=udp names no type=transport section"),
    (("endpoint=call-control", "endpoint=pbx"), "endpoint=pbx names no type=endpoint section"),
    (("[transport-udp]\ntype=transport\n", "[transport-udp]\n"), "[transport-udp] has 0 'type=' options"),
    (("match=192.0.2.10", "match=192.0.2.11"), "no type=identify section matches the carrier 192.0.2.10"),
    (("dtmf_mode=rfc4733\n", "dtmf_mode=rfc4733\nallow ulaw\n"), "not '[section]' or 'key=value'"),
    (("#tryinclude pjsip_auth.conf", "[carrier-auth]\ntype=auth\npassword=hunter2"), "password carries a credential"),
    (("[call-control]\ntype=aor", "[carrier]\ntype=aor"), "[carrier] type=aor is defined twice"),
])
def test_check_catches_a_broken_pjsip(example_site, edit, message):
    build = render_plan(asterisk_plan(example_site))
    broken = [dataclasses.replace(f, text=f.text.replace(*edit, 1)) if f.path == PJSIP else f for f in build.files]
    assert broken != build.files
    with pytest.raises(RenderError, match="check failed") as err:
        check_build(broken)
    assert "lisbon-gw01 (gateways/lisbon-gw01.pjsip.conf)" in str(err.value)
    assert message in str(err.value)


def test_spec_refuses_an_unknown_platform():
    with pytest.raises(SpecError, match="telephony.gateway_platform"):
        parse_spec({"name": "lab", "demand": {"agents": 4}, "telephony": {"gateway_platform": "junos"}})


@pytest.mark.parametrize("field, value", [
    ("sip_domain", "x\n[evil]\ntype=endpoint"), ("sip_domain", "x;y"), ("sip_provider", "192.0.2.10\nmatch=0.0.0.0/0"),
])
def test_hand_edited_plan_cannot_inject_into_pjsip(example_site, field, value):
    plan = asterisk_plan(example_site)
    plan.spec["telephony"][field] = value
    with pytest.raises(RenderError, match=f"telephony.{field}"):
        render_plan(plan)


@pytest.mark.parametrize("index, field, value, why", [
    (0, "name", "lisbon-gw01\n[evil]", "is not a safe name"),
    (0, "platform", "asterisk\ntype=endpoint", "is not one of cisco_ios, asterisk"),
    (1, "platform", "asterisk", "is only for the SIP gateway"),
])
def test_hand_edited_gateway_is_refused(example_site, index, field, value, why):
    plan = asterisk_plan(example_site)
    setattr(plan.gateways[index], field, value)
    with pytest.raises(RenderError, match=rf"gateways\[{index}\]\.{field}: .* {why}"):
        render_plan(plan)


@pytest.fixture
def asterisk_build(example_site, tmp_path):
    plan = asterisk_plan(example_site)
    build = tmp_path / "build"
    write_build(render_plan(plan), build)
    inventory = write_inventory_dir(plan_inventory(plan, build), tmp_path / "inv")
    return build, inventory / "hosts.yml"


def test_lab_gives_the_asterisk_gateway_no_twin(asterisk_build):
    build, _ = asterisk_build
    names = [s.name for s in build_specs(build)]
    assert "lisbon-gw01" not in names and "lisbon-gw02" in names
    assert names[:1] == ["lisbon-as01"]


def test_push_skips_the_asterisk_gateway(asterisk_build):
    build, hosts = asterisk_build
    targets = [t.device for t in load_targets(build, hosts)]
    assert "lisbon-gw01" not in targets and "lisbon-gw02" in targets
    assert "lisbon-gw01" in skipped_devices(build)
    assert load_targets(build, hosts, limit="lisbon-gw01") == []  # even by name: never an IOS push to Asterisk


def test_inventory_puts_asterisk_outside_network(asterisk_build, tmp_path):
    build, hosts = asterisk_build
    doc = yaml.safe_load(hosts.read_text())["all"]["children"]
    network = doc["network"]["children"]
    assert list(network["gateways"]["hosts"]) == ["lisbon-gw02"]
    assert "lisbon-gw01" not in str(network)
    assert doc["asterisk"]["hosts"]["lisbon-gw01"]["ccinfra_platform"] == "asterisk"
    assert doc["asterisk"]["hosts"]["lisbon-gw01"]["ccinfra_config"] == str(build.absolute() / PJSIP)
    assert "vars" not in doc["asterisk"]  # no network_cli / cisco.ios for a Linux host
    host_vars = yaml.safe_load((tmp_path / "inv" / "host_vars" / "lisbon-gw01.yml").read_text())
    assert host_vars["ccinfra_role"] == "gateway" and host_vars["ccinfra_config"].endswith(".pjsip.conf")


def test_push_playbook_targets_only_network_groups():
    from pathlib import Path

    play = yaml.safe_load((Path(__file__).resolve().parents[2] / "playbooks" / "push_network.yml").read_text())
    assert play[0]["hosts"] == "switches:gateways"  # the asterisk group is neither
