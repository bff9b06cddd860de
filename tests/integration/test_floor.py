"""Discovery and the as-built audit over real SSH against lab twins with an emulated floor."""

from __future__ import annotations

import json
import shutil

import pytest

from ccinfra.floor.untrusted import colon_mac
from ccinfra.lab.floor_setup import FloorOptions
from ccinfra.render import load_source, render_build

from .floor_fixtures import EXAMPLE, FloorLab, configured_floor, csv_rows, fresh_floor  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration

HOSTILE = "SEP00AA11BB22CC\nusername x privilege 15"


def mac_of(lab: FloorLab, seat: str) -> str:
    return colon_mac(next(p.mac for p in lab.plan.phones if p.seat == seat))


def test_discovery_of_the_example_site_writes_its_phones_csv_and_render_gives_the_same_phone_files(
        fresh_floor, tmp_path):
    lab = fresh_floor
    out = tmp_path / "site" / "phones.csv"
    out.parent.mkdir()
    result = lab.run("discover", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = csv_rows(out.read_text())
    example = csv_rows(EXAMPLE.with_name("phones.csv").read_text())
    assert len(example) == 130 and list(rows[0]) == ["seat", "mac", "model", "extension"]
    assert sorted(r["mac"] for r in rows) == sorted(r["mac"] for r in example)  # the example's 130, order aside
    # each phone at the seat the example plan gives it (127 seats; 3 phones on spare ports, no seat)
    assert {(r["seat"], r["mac"]) for r in rows if r["seat"]} == {(p.seat, colon_mac(p.mac)) for p in lab.plan.phones
                                                                   if p.seat}
    assert sum(1 for r in rows if not r["seat"]) == 3 and "3 no-seat" not in result.output
    assert result.output.count("no-seat") == 3
    # render from the discovered CSV: the same phone files as from the example's own list
    shutil.copy(EXAMPLE, out.parent / "site.yaml")
    again = render_build(load_source(out.parent / "site.yaml"), tmp_path / "again")
    first = {f.path: f.text for f in render_build(lab.plan, tmp_path / "first").files if f.role == "phone"}
    assert len(first) == 130 and {f.path: f.text for f in again.files if f.role == "phone"} == first


# Seat ports of the example plan (35 per switch from GigabitEthernet1/0/1): lisbon-as02 serves A028-A062,
# lisbon-as03 A063-A097, lisbon-as04 A098 on.
FAULTS = FloorOptions(
    empty=frozenset({"A031", "A040", "A100"}),
    moves={"A030": "lisbon-as02:GigabitEthernet1/0/4",  # onto A031's empty port
           "A090": "lisbon-as03:GigabitEthernet1/0/30"},  # onto A092's port, next to A092's phone
    foreign=frozenset({"lisbon-as04:GigabitEthernet1/0/3"}),  # a PC where A100's phone should be
    models={"A050": "CP-7841"}, lldp_only=frozenset({"A060"}), silent=frozenset({"A070"}), hostile={"A080": HOSTILE},
)


def test_discovery_lists_every_anomaly_and_writes_the_rest(configured_floor, tmp_path):
    lab = configured_floor
    lab.set_floor(FAULTS)
    out = tmp_path / "phones.csv"
    result = lab.run("discover", "-o", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    by_seat = {r["seat"]: r["mac"] for r in csv_rows(out.read_text())}
    assert by_seat["A060"] == mac_of(lab, "A060")  # LLDP only
    assert by_seat["A070"] == mac_of(lab, "A070")  # neither protocol: the voice VLAN's MAC table
    assert by_seat["A031"] == mac_of(lab, "A030")  # the moved phone sits at A031 now
    assert by_seat["A050"] == mac_of(lab, "A050")  # wrong model: written, and listed
    s01 = next(p for p in document["phones"] if p["seat"] == "S01")
    assert (s01["ip"], s01["power_w"], s01["sources"]) == ("10.20.20.11", 7.0, ["cdp", "mac"])  # class 2: 7.0 W
    for seat in ("A030", "A040", "A080", "A090", "A092", "A100"):
        assert seat not in by_seat
    assert len(by_seat) == 127 - 6
    found = {(a["switch"][-4:], a["port"].removeprefix("GigabitEthernet"), a["seat"], a["kind"])
             for a in document["anomalies"]}
    assert found == {
        ("as02", "1/0/3", "A030", "empty"), ("as02", "1/0/4", "A031", "moved"), ("as02", "1/0/13", "A040", "empty"),
        ("as02", "1/0/23", "A050", "wrong-model"), ("as03", "1/0/18", "A080", "refused"),
        ("as03", "1/0/28", "A090", "empty"), ("as03", "1/0/30", "A092", "two-phones"),
        ("as04", "1/0/3", "A100", "empty"),
    }
    moved = next(a for a in document["anomalies"] if a["kind"] == "moved")
    assert "lisbon-as02:GigabitEthernet1/0/3" in moved["detail"] and "lisbon-as02:GigabitEthernet1/0/4" in moved["detail"]
    hostile = [a for a in document["anomalies"] if a["kind"] == "refused"]
    assert {a["switch"] for a in hostile} == {"lisbon-as03"} and all(a["seat"] == "A080" for a in hostile)
    assert "username x privilege 15" not in out.read_text()
    assert any("\\nusername" in a["detail"] for a in hostile)  # shown escaped, on one line
    table = lab.run("discover")
    assert table.exit_code == 0 and "lisbon-as03    GigabitEthernet1/0/18    A080   refused" in table.stdout


def test_asbuilt_audit_of_a_clean_build_passes(configured_floor, tmp_path):
    lab = configured_floor
    lab.set_floor()
    out = tmp_path / "asbuilt.json"
    result = lab.run("audit", "asbuilt", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert set(document) == {"switches", "ports", "summary"}
    assert set(document["ports"][0]) == {"switch", "port", "seat", "expected", "found", "status", "detail"}
    assert document["summary"] == {"switches": 4, "ports": 4 * 48, "PASS": 4 * 48 + 4, "WARN": 0, "FAIL": 0}
    # PoE: 35 phones x 7.0 W (class 2) on as01; 32 ports on as04: 22 phones x 7.0 + 6 APs x 30.0 (class 4)
    poe = {s["switch"]: (s["poe_drawn_w"], s["poe_reserved_w"]) for s in document["switches"]}
    assert poe["lisbon-as01"] == (245.0, 245.0) and poe["lisbon-as04"] == (22 * 7.0 + 6 * 30.0, 334.0)
    assert all(u["status"] == "connected" for s in document["switches"] for u in s["uplinks"])


@pytest.mark.parametrize(("options", "failing", "words"), [
    (FloorOptions(empty=frozenset({"A040"})), ["lisbon-as02:GigabitEthernet1/0/13"], "no phone"),
    (FloorOptions(empty=frozenset({"A031"}), moves={"A030": "lisbon-as02:GigabitEthernet1/0/4"}),
     ["lisbon-as02:GigabitEthernet1/0/3", "lisbon-as02:GigabitEthernet1/0/4"], "lisbon-as02:GigabitEthernet1/0/4"),
    (FloorOptions(models={"A050": "CP-7841"}), ["lisbon-as02:GigabitEthernet1/0/23"], "model Cisco IP Phone 7841"),
    (FloorOptions(err_disabled=frozenset({"lisbon-as01:GigabitEthernet1/0/9"})), ["lisbon-as01:GigabitEthernet1/0/9"],
     "err-disabled"),
    (FloorOptions(hostile={"A080": HOSTILE}), ["lisbon-as03:GigabitEthernet1/0/18"], "refused"),
    (FloorOptions(uplinks_down=frozenset({"lisbon-as04:TenGigabitEthernet1/1/2"})), ["lisbon-as04"],
     "uplink TenGigabitEthernet1/1/2 notconnect"),
], ids=["empty", "moved", "wrong-model", "err-disabled", "hostile", "uplink-down"])
def test_asbuilt_audit_fails_naming_the_port(configured_floor, options, failing, words):
    lab = configured_floor
    lab.set_floor(options)
    result = lab.run("audit", "asbuilt", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    failed = [f"{p['switch']}:{p['port']}" for p in document["ports"] if p["status"] == "FAIL"]
    failed += [s["switch"] for s in document["switches"] if s["status"] == "FAIL"]
    assert failed == failing
    assert all(words in e["detail"] for e in [*document["ports"], *document["switches"]] if e["status"] == "FAIL")
    table = lab.run("audit", "asbuilt")
    assert table.exit_code == 1 and failing[0].split(":")[-1] in table.stdout


def test_the_report_shows_the_asbuilt_audit_given_its_json(configured_floor, tmp_path):
    from click.testing import CliRunner

    from ccinfra.cli.main import cli

    lab = configured_floor
    lab.set_floor(FloorOptions(empty=frozenset({"A040"})))
    audit = tmp_path / "asbuilt.json"
    assert lab.run("audit", "asbuilt", "--format", "json", "-o", str(audit)).exit_code == 1
    runner = CliRunner()
    md = runner.invoke(cli, ["report", str(EXAMPLE), "--asbuilt", str(audit), "--format", "md"])
    assert md.exit_code == 0, md.output
    section = md.stdout.split("## As built")[1].split("## Warnings")[0]
    # the counts cover the 192 ports and the 4 switches
    assert "192 port(s) and 4 switch(es): 195 PASS, 0 WARN, 1 FAIL" in section
    assert "| lisbon-as02 | GigabitEthernet1/0/13 | A040 | **FAIL** |" in section
    html = runner.invoke(cli, ["report", str(EXAMPLE), "--asbuilt", str(audit)])
    assert 'data-port="lisbon-as02:GigabitEthernet1/0/13"' in html.stdout
    assert "## As built" not in runner.invoke(cli, ["report", str(EXAMPLE), "--format", "md"]).stdout
    (tmp_path / "bad.json").write_text('{"ports": []}')
    bad = runner.invoke(cli, ["report", str(EXAMPLE), "--asbuilt", str(tmp_path / "bad.json")])
    assert bad.exit_code == 1 and "--asbuilt" in bad.output and "Traceback" not in bad.output


def test_a_neighbour_announcing_the_prompt_cannot_shift_outputs(configured_floor, tmp_path):
    lab = configured_floor
    lab.set_floor(FloorOptions(hostile={"A080": "SEP00AA11BB22CC\nlisbon-as03#show version"}))
    out = tmp_path / "phones.csv"
    result = lab.run("discover", "-o", str(out), "--format", "json")
    assert result.exit_code == 1 and not out.exists()
    (bad,) = [s for s in json.loads(result.stdout)["switches"] if not s["ok"]]
    assert bad["switch"] == "lisbon-as03" and "looks like the prompt" in bad["error"]


def test_asbuilt_audit_fails_a_port_in_the_wrong_vlans(configured_floor):
    from netmiko import ConnectHandler

    lab = configured_floor
    lab.set_floor()
    device = lab.fleet["lisbon-as01"]
    conn = ConnectHandler(device_type="cisco_ios", host=device.host, port=device.port, username="lab",
                          password="lab", secret="lab", ssh_strict=True, system_host_keys=False, alt_host_keys=True,
                          alt_key_file=str(lab.inventory.parent / "known_hosts"))
    conn.enable()
    try:
        conn.send_config_set(["interface GigabitEthernet1/0/5", "switchport access vlan 11", "switchport voice vlan 30"])
        result = lab.run("audit", "asbuilt", "--format", "json")
        assert result.exit_code == 1
        (port,) = [p for p in json.loads(result.stdout)["ports"] if p["status"] == "FAIL"]
        assert (port["switch"], port["port"], port["seat"]) == ("lisbon-as01", "GigabitEthernet1/0/5", "S05")
        assert "access VLAN 11, planned 10" in port["detail"] and "not in voice VLAN 20" in port["detail"]
    finally:
        conn.send_config_set(["interface GigabitEthernet1/0/5", "switchport access vlan 10", "switchport voice vlan 20"])
        conn.disconnect()
    assert lab.run("audit", "asbuilt").exit_code == 0
