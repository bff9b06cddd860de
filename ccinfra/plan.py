"""Plan: the output of sizing — pure data, JSON-serialisable, the contract between sizing and everything after it.

Every figure has its unit in its name; every section lists the ids of the rules it applied
(``ccinfra.standards.SOURCES``). ``plan.json`` is ``Plan.model_dump(mode="json")``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ccinfra.errors import PlanError
from ccinfra.fsio import read_input_text
from ccinfra.plan_demand import DemandPlan, SchedulePlan
from ccinfra.safeload import load_json_text
from ccinfra.validation import describe_error

PLAN_SCHEMA = "ccinfra.plan/1"
Status = Literal["pass", "warn", "fail", "info"]


class PlanModel(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Check(PlanModel):
    """One pass/warn/fail check an auditor can follow: what was measured, against what limit, by which rule."""

    id: str
    title: str
    status: Status
    measured: str
    limit: str
    source: str
    detail: str = ""


class Staffing(PlanModel):
    mode: Literal["forecast", "fixed", "intervals"]
    model: str
    calls_per_interval: float | None = None
    interval_s: float | None = None
    aht_s: float | None = None
    target_answer_s: float | None = None
    service_level_target: float | None = None
    shrinkage: float
    max_occupancy: float | None = None
    patience_s: float | None = None
    traffic_erlangs: float | None = None
    agents_on_phone: int
    scheduled_agents: int
    service_level: float | None = None
    asa_s: float | None = None
    wait_probability: float | None = None
    occupancy: float | None = None
    abandon_probability: float | None = None
    mean_wait_all_s: float | None = None
    limited_by: str
    service_level_definition: str = ""
    sources: list[str]


class Seat(PlanModel):
    id: str
    kind: Literal["agent", "supervisor"]


class Seats(PlanModel):
    agents: int
    supervisors: int
    growth: float
    growth_seats: int
    total: int
    seats: list[Seat]
    assumption: str


class DeskPosition(PlanModel):
    seat: str
    kind: Literal["agent", "supervisor"]
    row: int
    col: int
    x_m: float
    y_m: float


class FloorPlan(PlanModel):
    area_per_agent_m2: float
    required_area_m2: float
    room_width_m: float | None = None
    room_depth_m: float | None = None
    ceiling_m: float | None = None
    room_area_m2: float | None = None
    capacity_by_area: int | None = None
    rows: int | None = None
    desks_per_row: int | None = None
    desks_fit: int | None = None
    fits: bool | None = None
    remaining_area_m2: float | None = None
    hse_area_per_person_m2: float | None = None
    hse_required_area_m2: float | None = None
    aisle_m: float
    wall_clearance_m: float
    layout: list[DeskPosition] = Field(default_factory=list)
    sources: list[str]


class DeskPlan(PlanModel):
    count: int
    width_cm: float
    depth_cm: float
    min_width_cm: float
    min_depth_cm: float
    meets_minimum: bool
    barriers: int
    sources: list[str]


class CableRun(PlanModel):
    """One seat's horizontal cable(s): pathway length, the permanent link and the channel with cords."""

    seat: str
    telecom_room: int = 1
    pathway_m: float
    link_m: float
    channel_m: float
    cables: int


class RackPosition(PlanModel):
    x_m: float
    y_m: float


class Cabling(PlanModel):
    """Cabling take-off from the floor plan (``ccinfra.sizing.cabling``): every run, totals, 305 m boxes."""

    telecom_room: RackPosition
    telecom_room_basis: str
    drop_m: float
    drops: int
    slack_rack_m: float
    slack_outlet_m: float
    cords_m: float
    cable_category: str
    cables_per_seat: int
    runs: list[CableRun]
    cables: int
    total_m: float
    metres_by_category: dict[str, float]
    waste: float
    total_with_waste_m: float
    box_m: float
    boxes: int
    longest_m: float
    longest_seat: str | None
    mean_m: float
    link_limit_m: float
    channel_limit_m: float
    seats_over_link: list[str]
    seats_over_channel: list[str]
    second_room: RackPosition | None = None
    second_room_longest_m: float | None = None
    second_room_note: str = ""
    sources: list[str]


class GroundReading(PlanModel):
    electrode: str
    r52_ohm: float
    r62_ohm: float
    r72_ohm: float
    spread_ratio: float
    valid: bool
    meets_target: bool
    verdicts_by_source: dict[str, bool]


class Grounding(PlanModel):
    target_ohm: float
    target_source: str
    other_targets_ohm: dict[str, float]
    readings: list[GroundReading]
    sources: list[str]


class Port(PlanModel):
    interface: str
    kind: Literal["seat", "extra", "spare"]
    seat: str | None = None
    device: str | None = None
    vlan: int | None = None
    voice_vlan: int | None = None
    poe_class: int | None = None
    poe_w: float = 0.0


class Switch(PlanModel):
    name: str
    model: str
    management_ip: str
    ports: list[Port]
    uplinks: list[str]
    unused_uplinks: list[str] = Field(default_factory=list, description="uplink ports of the model left unused")
    ports_used: int
    poe_w: float
    poe_budget_w: float
    uplink_gbps: float
    oversubscription: float
    phones: int
    voice_kbps_per_direction: float
    priority_percent_uplink: int = Field(description="egress strict-priority queue on each uplink, % of one link")
    priority_percent_access: int = Field(description="egress strict-priority queue on each seat port, % of the port")


class Vlan(PlanModel):
    id: int
    name: str
    purpose: str


class NetworkPlan(PlanModel):
    seat_ports: int
    extra_ports: int
    needed_ports: int
    spare_ratio: float
    ports_with_spare: int
    ports_per_switch: int
    switches_for_ports: int
    switches_for_poe: int
    switch_count: int
    poe_total_w: float
    vlans: list[Vlan]
    management_subnet: str
    management_gateway: str
    switches: list[Switch]
    sources: list[str]


class Voip(PlanModel):
    codec: str
    ptime_ms: int
    l2: str
    srtp: bool
    payload_bytes: float
    packets_per_s: float
    per_call_kbps: float
    concurrent_calls: int
    total_kbps: float
    wan_kbps: float
    direction_note: str
    sources: list[str]


class Trunks(PlanModel):
    type: str
    fallback: str
    hold_s: float | None = None
    traffic_erlangs: float
    traffic_basis: str
    blocking_target: float
    channels: int
    blocking: float
    e1_spans: int
    t1_pri_spans: int
    t1_cas_spans: int
    peak_concurrent_calls: int
    sources: list[str]


class Gateway(PlanModel):
    name: str
    role: Literal["sip", "pri"]
    platform: str
    management_ip: str
    channels: int
    spans: int
    span_type: str | None = None


class PhoneEntry(PlanModel):
    mac: str
    extension: int
    name: str
    seat: str | None = None


class Plan(PlanModel):
    schema_: str = Field(default=PLAN_SCHEMA, alias="schema")
    ccinfra_version: str
    site: str
    spec: dict[str, Any]
    staffing: Staffing
    seats: Seats
    floor: FloorPlan
    desks: DeskPlan
    cabling: Cabling | None = None
    grounding: Grounding
    network: NetworkPlan
    voip: Voip
    trunks: Trunks
    gateways: list[Gateway]
    phones: list[PhoneEntry]
    checks: list[Check]
    warnings: list[str]
    demand: DemandPlan | None = None  # a week of intervals (ccinfra.plan_demand)
    schedule: SchedulePlan | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (``schema`` under its public name)."""
        return self.model_dump(mode="json", by_alias=True)


def load_plan(path: str | Path) -> Plan:
    """Read a ``plan.json`` written by ``ccinfra size --format json``."""
    file = Path(path)
    text = read_input_text(file, "write one with 'ccinfra size SITE.yaml --format json -o plan.json'", PlanError)
    data = load_json_text(text, str(file), PlanError, "{where}: not a readable JSON plan ({err})")
    if not isinstance(data, dict) or data.get("schema") != PLAN_SCHEMA:
        raise PlanError(f"{file}: not a ccinfra plan (expected \"schema\": \"{PLAN_SCHEMA}\")")
    try:
        return Plan.model_validate(data)
    except ValidationError as err:
        raise PlanError(describe_error(err, Plan, str(file))) from None
