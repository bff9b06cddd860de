"""Discovery logic on real captured output, seat assignment from phones.csv, and the lab floor's options."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from ccinfra.errors import LabError, SpecError
from ccinfra.floor.collect import SwitchReading
from ccinfra.floor.discover import discover_document, phones_csv
from ccinfra.floor.seatmap import load_plan_from, seat_extensions, seat_ports
from ccinfra.lab.floor_setup import FloorOptions, floors_for_plan
from ccinfra.sizing.site import size
from ccinfra.spec import load_spec

FIXTURES = Path(__file__).parents[1] / "fixtures" / "floor"
EXAMPLE = Path(str(files("ccinfra.examples") / "site.yaml"))


@pytest.fixture(scope="module")
def plan():
    return load_plan_from(EXAMPLE)


def test_a_real_capture_read_as_lisbon_as01(plan):
    """The ntc-templates capture's Poly VVX D230 sits on GigabitEthernet1/0/5, seat S05 of the example plan."""
    reading = SwitchReading("lisbon-as01", {
        "cdp": (FIXTURES / "cdp_neighbors_detail_iosxe_phone.raw").read_text(), "lldp": "", "mac": "", "power": ""})
    document = discover_document(plan, [reading])
    (phone,) = document["phones"]
    assert (phone["seat"], phone["mac"], phone["found_model"], phone["sources"]) == (
        "S05", "9c:aa:ef:a9:30:d7", "Poly VVX D230", ["cdp"])
    assert phone["extension"] == 2005 and phone["model"] == "CP-8841"  # from the plan
    assert phone["ip"] == ""  # the capture's "Entry address(es):" lists none
    kinds = {(a["seat"], a["kind"]) for a in document["anomalies"]}
    assert ("S05", "wrong-model") in kinds and ("S01", "empty") in kinds
    # the APs and the Linux host are no phones: Gi1/0/11 (seat A003, after S01-S08 and A001-A002) stays
    # empty; Gi1/0/41 is a spare port
    assert ("A003", "empty") in kinds and not any(a["port"].endswith("1/0/41") for a in document["anomalies"])
    assert document["summary"]["empty"] == 34  # 35 seat ports on lisbon-as01, one phone
    assert phones_csv(document["phones"]) == "seat,mac,model,extension\r\nS05,9c:aa:ef:a9:30:d7,CP-8841,2005\r\n"


def test_unreadable_switch_is_an_anomaly(plan):
    document = discover_document(plan, [SwitchReading("lisbon-as02", error="lisbon-as02: login refused")])
    assert document["summary"]["unreadable"] == 1 and document["anomalies"][0]["kind"] == "unreadable"


def test_seat_map_and_extensions_of_the_example(plan):
    ports = seat_ports(plan)
    assert len(ports) == plan.seats.total == 127
    assert (ports["A028"].switch, ports["A028"].interface) == ("lisbon-as02", "GigabitEthernet1/0/1")
    # 8 supervisor seats S01-S08 come first
    assert seat_extensions(plan)["S01"] == 2001 and seat_extensions(plan)["A028"] == 2001 + 8 + 27


def write_site(tmp_path: Path, csv_text: str) -> Path:
    (tmp_path / "phones.csv").write_text(csv_text)
    site = tmp_path / "site.yaml"
    site.write_text(EXAMPLE.read_text())
    return site


def test_phones_csv_with_seats_places_each_phone_at_its_seat(tmp_path):
    site = write_site(tmp_path, "seat,mac,model,extension\nA030,00:1b:54:c0:00:99,CP-8841,\nS01,001b54c00001,,\n")
    plan = size(load_spec(site))
    by_seat = {p.seat: (p.mac, p.extension) for p in plan.phones}
    assert by_seat == {"A030": ("001b54c00099", 2001 + 8 + 29), "S01": ("001b54c00001", 2001)}


@pytest.mark.parametrize(("csv_text", "words"), [
    ("seat,mac\nZ999,001b54c00001\n", "Z999 are not seats"),
    ("seat,mac\nS01,001b54c00001\nS01,001b54c00002\n", "S01 have two phones"),
    ("seat,mac\nS01;reload,001b54c00001\n", "seat"),
])
def test_bad_seat_column_is_one_clear_error(tmp_path, csv_text, words):
    with pytest.raises(SpecError, match=words):
        size(load_spec(write_site(tmp_path, csv_text)))


@pytest.mark.parametrize(("options", "words"), [
    (FloorOptions(empty=frozenset({"Z999"})), "Z999"),
    (FloorOptions(moves={"S01": "lisbon-as01"}), "SWITCH:INTERFACE"),
    (FloorOptions(foreign=frozenset({"lisbon-as09:GigabitEthernet1/0/1"})), "no such port"),
])
def test_floor_options_name_what_is_wrong(plan, options, words):
    with pytest.raises(LabError, match=words):
        floors_for_plan(plan, plan.phones, options)
