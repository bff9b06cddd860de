"""SiteSpec: the validated input model of a contact-center site, and its YAML loader.

Every error names the field (``demand.forecast.aht_s``) and what to do about it.
"""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from ccinfra import catalogue, standards
from ccinfra import limits as lim
from ccinfra.errors import SpecError
from ccinfra.fsio import read_yaml
from ccinfra.spec_phones import Phone, check_phones, read_phone_csv
from ccinfra.spec_demand import ForecastRow, Queue, ShiftRules, check_interval_demand, read_forecast_csv
from ccinfra.validation import SafeName, SafeText, StrictModel, validate_as

Fraction01 = Annotated[float, Field(ge=lim.FRACTION_EPSILON, le=1 - lim.FRACTION_EPSILON)]
VlanId = Annotated[int, Field(ge=2, le=4094)]
RESERVED_VLANS = range(1002, 1006)  # IOS keeps 1002-1005 for FDDI/Token Ring defaults; they cannot be used
PoeClass = Annotated[int, Field(ge=0, le=8)]


def _interface_prefix(value: str) -> str:
    """An IOS interface name up to the port number, e.g. ``GigabitEthernet1/0/`` (no spaces, no line breaks)."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z][A-Za-z-]{1,40}(\d+/){0,3}", value):
        raise ValueError(f"{value!r} is not an interface prefix such as GigabitEthernet1/0/")
    return value


InterfacePrefix = Annotated[str, AfterValidator(_interface_prefix)]


class Forecast(StrictModel):
    """The peak interval's call forecast and the service targets."""

    calls_per_interval: float = Field(gt=0, le=lim.MAX_CALLS_PER_INTERVAL, description="offered calls in the peak interval")
    interval_min: float = Field(default=30, ge=lim.MIN_INTERVAL_MIN, le=lim.MAX_INTERVAL_MIN)
    aht_s: float = Field(gt=0, le=lim.MAX_DURATION_S, description="average handling time: talk + hold + wrap-up, seconds")
    target_answer_s: float = Field(default=20, ge=0, le=lim.MAX_DURATION_S)
    service_level: Fraction01 = 0.8
    shrinkage: float = Field(default=0.3, ge=0, le=1 - lim.FRACTION_EPSILON)
    max_occupancy: float = Field(default=0.85, ge=lim.FRACTION_EPSILON, le=1)
    patience_s: float | None = Field(default=None, gt=0, le=lim.MAX_DURATION_S, description="mean patience; enables Erlang A")

    @model_validator(mode="after")
    def _bounded_traffic(self) -> Forecast:
        traffic = self.calls_per_interval * self.aht_s / (self.interval_min * 60)
        if traffic > lim.MAX_TRAFFIC_ERLANGS:
            raise ValueError(f"calls_per_interval × aht_s / interval is {traffic:.6g} E, past the limit of "
                             f"{lim.MAX_TRAFFIC_ERLANGS:g} E (MAX_TRAFFIC_ERLANGS); no site is that large")
        return self


class Supervisors(StrictModel):
    ratio: int | None = Field(default=None, gt=0, description="agents per supervisor")
    count: int | None = Field(default=None, ge=0, le=lim.MAX_SEATS)

    @model_validator(mode="after")
    def _one_of(self) -> Supervisors:
        if (self.ratio is None) == (self.count is None):
            raise ValueError("give exactly one of 'ratio' (agents per supervisor) or 'count'")
        return self


class Demand(StrictModel):
    agents: int | None = Field(default=None, gt=0, le=lim.MAX_AGENTS, description="fixed number of agent seats")
    forecast: Forecast | None = None
    supervisors: Supervisors = Field(default_factory=lambda: Supervisors(ratio=15))
    growth: float = Field(default=0.0, ge=0, le=5, description="extra seats as a share, e.g. 0.1 for 10 %")
    # A week of intervals (ccinfra.spec_demand): queues by channel, a forecast CSV and the shift rules.
    queues: list[Queue] = Field(default_factory=list)
    interval_min: int = 30
    forecast_file: str | None = None
    shrinkage: float = Field(default=0.3, ge=0, lt=1)
    max_occupancy: float = Field(default=0.85, gt=0, le=1)
    schedule: ShiftRules = Field(default_factory=ShiftRules)
    forecast_rows: list[ForecastRow] = Field(default_factory=list, exclude=True)

    @model_validator(mode="after")
    def _agents_or_forecast(self) -> Demand:
        if (self.agents is not None) + (self.forecast is not None) + bool(self.queues) != 1:
            raise ValueError("give exactly one of 'agents' (a fixed count), 'forecast' (calls, AHT, targets) "
                             "or 'queues' (with forecast_file: a week of intervals)")
        if self.queues:
            check_interval_demand(self)
        return self


class Room(StrictModel):
    width_m: float = Field(gt=0, le=500)
    depth_m: float = Field(gt=0, le=500)
    ceiling_m: float = Field(default=2.7, gt=0, le=20)


class Desk(StrictModel):
    width_cm: float = Field(default=standards.DESK_MIN_WIDTH_CM, gt=0, le=400)
    depth_cm: float = Field(default=standards.DESK_MIN_DEPTH_CM, gt=0, le=400)


class TelecomRoom(StrictModel):
    """Where the rack stands, in metres from the room's top-left corner (the floor plan's origin)."""

    x_m: float = Field(ge=0, le=500)
    y_m: float = Field(ge=0, le=500)


class Floor(StrictModel):
    area_per_agent_m2: float = Field(default=standards.FLOOR_AREA_PER_AGENT_M2, gt=0, le=50)
    room: Room | None = None
    desk: Desk = Field(default_factory=Desk)
    barrier: bool = True
    aisle_m: float = Field(default=1.2, gt=0, le=10, description="chair zone + walkway between desk rows")
    wall_clearance_m: float = Field(default=1.0, ge=0, le=10, description="free band along the walls")
    # Cabling take-off (ccinfra.sizing.cabling).
    telecom_room: TelecomRoom | None = Field(
        default=None, description="rack position; default: the middle of the wall the first row faces")
    cable_drop_m: float = Field(default=standards.CABLE_DROP_M, ge=0, le=20,
                                description="one vertical drop; every run has two (rack end and desk end)")
    cable_waste: float = Field(default=standards.CABLE_WASTE, ge=0, le=1,
                               description="waste allowance on cable (practice, not a standard)")
    cable_category: Literal["cat5e", "cat6", "cat6a"] = "cat6"
    patch_panel_ports: Literal[24, 48] = 24

    @model_validator(mode="after")
    def _rack_in_room(self) -> Floor:
        tr, room = self.telecom_room, self.room
        if tr is not None and room is not None and (tr.x_m > room.width_m or tr.y_m > room.depth_m):
            raise ValueError(f"telecom_room: ({tr.x_m:g}, {tr.y_m:g}) m is outside the {room.width_m:g} × "
                             f"{room.depth_m:g} m room; give x_m ≤ width_m and y_m ≤ depth_m")
        return self


class Reading(StrictModel):
    """One fall-of-potential triplet (IEEE 81): potential probe at 52, 62 and 72 % of the current-probe distance."""

    electrode: SafeName
    r52_ohm: float = Field(gt=0)
    r62_ohm: float = Field(gt=0)
    r72_ohm: float = Field(gt=0)


class Electrical(StrictModel):
    max_earth_ohm: float = Field(default=standards.EARTH_MAX_OHM, gt=0, le=1000)
    readings: list[Reading] = Field(default_factory=list)


class SwitchModel(StrictModel):
    """An access-switch model; ports, uplinks and PoE come from ``ccinfra.catalogue`` unless given.

    A known model refuses more than it has; an unknown one must give ports, uplinks and poe_budget_w.
    """

    model: SafeName = "C9200L-48P-4X"
    ports: int | None = Field(default=None, gt=0, le=96)
    poe_budget_w: float | None = Field(default=None, ge=0)
    uplinks: int | None = Field(default=2, gt=0, le=8)
    uplink_gbps: float | None = Field(default=None, gt=0)
    access_port_gbps: float = Field(default=1, gt=0)
    port_prefix: InterfacePrefix | None = None
    uplink_prefix: InterfacePrefix | None = None

    @model_validator(mode="after")
    def _fits_model(self) -> SwitchModel:
        hw = catalogue.SWITCHES.get(self.model)
        if hw is None:
            missing = [k for k in ("ports", "uplinks", "poe_budget_w") if getattr(self, k) is None]
            if missing:
                raise ValueError(f"{missing[0]}: {self.model!r} is not in the switch catalogue, so give its "
                                 f"{', '.join(missing)} (known models: {', '.join(sorted(catalogue.SWITCHES))})")
            hw = catalogue.SwitchHardware(self.ports or 0, self.uplinks or 0, self.uplink_gbps or 10,
                                          self.poe_budget_w or 0)
        for key in ("ports", "uplinks", "poe_budget_w", "uplink_gbps"):
            given, most = getattr(self, key), getattr(hw, key)
            if given is not None and given > most:
                raise ValueError(f"{key}: a {self.model} has {most:g}, not {given:g}; give at most {most:g} "
                                 "or another model")
        for key in ("ports", "uplinks", "poe_budget_w", "uplink_gbps", "port_prefix", "uplink_prefix"):
            if getattr(self, key) is None:
                object.__setattr__(self, key, getattr(hw, key))  # fill from the catalogue, no re-validation
        return self


class ExtraDevice(StrictModel):
    name: SafeName
    count: int = Field(ge=0, le=10000)
    poe_class: PoeClass | None = None
    vlan: Literal["data", "voice", "management"] = "data"


class Vlans(StrictModel):
    data: VlanId = 10
    voice: VlanId = 20
    management: VlanId = 99
    parking: VlanId = Field(default=standards.PARKING_VLAN_DEFAULT,
                            description="unused ports sit shut in it; no trunk carries it (native VLAN)")

    @model_validator(mode="after")
    def _distinct(self) -> Vlans:
        for key in ("data", "voice", "management", "parking"):
            if getattr(self, key) in RESERVED_VLANS:
                raise ValueError(f"{key}: VLANs 1002-1005 are reserved by IOS; pick another id")
        if len({self.data, self.voice, self.management, self.parking}) != 4:
            raise ValueError("data, voice, management and parking VLAN ids must all differ")
        return self


class Network(StrictModel):
    ports_per_seat: int = Field(default=1, ge=1, le=4)
    extra_devices: list[ExtraDevice] = Field(default_factory=list)
    spare_ratio: float = Field(default=0.1, ge=0, le=2)
    switch: SwitchModel = Field(default_factory=SwitchModel)
    phone_poe_class: PoeClass = 2
    vlans: Vlans = Field(default_factory=Vlans)
    codec: Literal["g711", "g729", "g722", "ilbc", "g726", "g723", "opus"] = "g711"
    ptime_ms: int | None = Field(default=None, gt=0, le=120)
    l2: Literal["ethernet", "dot1q", "wire"] = "dot1q"
    srtp: bool = False
    management_subnet: IPv4Network = IPv4Network("10.0.99.0/24")
    voice_subnet: IPv4Network = IPv4Network("10.0.20.0/23")
    data_subnet: IPv4Network = IPv4Network("10.0.10.0/23")
    dhcp_server: IPv4Address = IPv4Address("10.0.1.10")
    ntp_servers: list[IPv4Address] = Field(default_factory=lambda: [IPv4Address("10.0.1.1")])
    syslog_servers: list[IPv4Address] = Field(default_factory=lambda: [IPv4Address("10.0.1.20")])
    domain: SafeName = "cc.example.net"
    switch_name_pattern: str = Field(default="{site}-as{index:02d}", description="Python format: {site} {index}")

    @model_validator(mode="after")
    def _subnets_apart(self) -> Network:
        nets = {"voice_subnet": self.voice_subnet, "data_subnet": self.data_subnet,
                "management_subnet": self.management_subnet}
        names = list(nets)
        for i, first in enumerate(names):
            for second in names[i + 1:]:
                if nets[first].overlaps(nets[second]):
                    raise ValueError(f"{second}: {nets[second]} overlaps {first} {nets[first]}; "
                                     "give each VLAN its own subnet")
        return self


class Phones(StrictModel):
    vendor: Literal["cisco", "yealink", "polycom"] = "cisco"
    model: SafeName = "CP-8841"
    macs_file: str | None = Field(default=None, description="CSV with a 'mac' column (and optional seat, name, extension)")
    devices: list[Phone] = Field(default_factory=list)
    extension_start: int = Field(default=2001, ge=100, le=99999999)
    provisioning_server: IPv4Address = IPv4Address("10.0.1.30")
    provisioning_protocol: Literal["tftp", "http"] = "tftp"

    @model_validator(mode="after")
    def _known_model(self) -> Phones:
        try:
            catalogue.check_phone_model(self.vendor, self.model)
        except ValueError as err:
            raise ValueError(f"model: {err}") from None
        return self


class Telephony(StrictModel):
    trunk: Literal["sip", "e1", "t1"] = "sip"
    fallback: Literal["none", "e1", "t1"] = "none"
    blocking: Fraction01 = 0.01
    ivr_s: float = Field(default=0, ge=0, le=lim.MAX_DURATION_S, description="seconds a call spends in the IVR before queueing")
    wrap_s: float = Field(default=0, ge=0, le=lim.MAX_DURATION_S, description="part of AHT spent in after-call work (holds no trunk)")
    trunk_erlangs: float | None = Field(default=None, gt=0, le=lim.MAX_TRAFFIC_ERLANGS, description="override the trunk traffic")
    call_control: IPv4Address = IPv4Address("10.0.1.40")
    sip_provider: IPv4Address = IPv4Address("192.0.2.10")
    sip_domain: SafeName = "cc.example.net"
    did_prefix: str = Field(default="+35121000", pattern=r"^\+?[0-9]{1,15}$")
    gateway_platform: Literal["cisco_ios", "asterisk"] = Field(
        default="cisco_ios", description="the SIP gateway as a Cisco CUBE or an Asterisk pjsip.conf (PRI stays IOS)")


class SiteSpec(StrictModel):
    """A whole site. ``name`` becomes part of host names, so it is a safe slug."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,23}$")]
    description: SafeText | None = None
    demand: Demand
    floor: Floor = Field(default_factory=Floor)
    electrical: Electrical = Field(default_factory=Electrical)
    network: Network = Field(default_factory=Network)
    phones: Phones = Field(default_factory=Phones)
    telephony: Telephony = Field(default_factory=Telephony)

    @model_validator(mode="after")
    def _check_pattern(self) -> SiteSpec:
        try:
            lim.check_name_pattern("network.switch_name_pattern", self.network.switch_name_pattern)
        except SpecError as err:
            raise ValueError(str(err)) from None
        try:
            self.network.switch_name_pattern.format(site=self.name, index=1)
        except (KeyError, IndexError, ValueError) as err:
            raise ValueError(f"network.switch_name_pattern: may use only {{site}} and {{index}} ({err})") from None
        return self


def parse_spec(data: object, where: str = "site") -> SiteSpec:
    """Validate already-parsed YAML data.

    >>> parse_spec({"name": "lis", "demand": {"agents": 10}}).demand.agents
    10
    """
    spec = validate_as(SiteSpec, data, where, SpecError, "the site description: name:, demand:, ...")
    check_phones(spec.phones.devices, where)
    return spec


def load_spec(path: str | Path) -> SiteSpec:
    """Read and validate a site YAML file; phone MACs from ``phones.macs_file`` are read relative to it."""
    file = Path(path)
    data = read_yaml(file, "give the path of a site YAML (see examples/site.yaml)")
    spec = parse_spec(data, str(file))
    if spec.demand.queues and spec.demand.forecast_file:
        spec.demand.forecast_rows = read_forecast_csv(
            file.parent / spec.demand.forecast_file, spec.demand.interval_min, [q.name for q in spec.demand.queues])
    if spec.phones.macs_file:
        spec.phones.devices = spec.phones.devices + read_phone_csv(file.parent / spec.phones.macs_file)
        check_phones(spec.phones.devices, str(file))
    return spec
