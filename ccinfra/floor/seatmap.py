"""The plan's seat ↔ switch port map, and the plan behind a PLAN, SITE or BUILD argument.

Sizing places every seat on a switch port (``plan.network.switches[].ports[]``, kind ``seat``);
rendering writes that port's config from it. Discovery and the as-built audit read the same map
back, so a phone found on a port is the phone of the seat the plan put there.

>>> from importlib.resources import files
>>> plan = load_plan_from(str(files("ccinfra.examples") / "site.yaml"))
>>> where = seat_ports(plan)["S01"]
>>> where.switch, where.interface, where.voice_vlan
('lisbon-as01', 'GigabitEthernet1/0/1', 20)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ccinfra.errors import PlanError
from ccinfra.manifest import MANIFEST, read_manifest
from ccinfra.plan import Plan, load_plan
from ccinfra.render.build import PLAN_FILE
from ccinfra.render.source import load_source, plan_sha256


@dataclass(frozen=True)
class PlannedPort:
    """One access port as planned: its seat (or extra device, or spare), VLANs and reserved PoE."""

    switch: str
    interface: str
    kind: str  # seat | extra | spare
    seat: str | None
    device: str | None
    vlan: int | None
    voice_vlan: int | None
    poe_w: float


def planned_ports(plan: Plan) -> list[PlannedPort]:
    """Every access port of every switch, in switch then port order."""
    return [
        PlannedPort(switch.name, port.interface, port.kind, port.seat, port.device, port.vlan, port.voice_vlan,
                    port.poe_w)
        for switch in plan.network.switches for port in switch.ports
    ]


def seat_ports(plan: Plan) -> dict[str, PlannedPort]:
    """Seat id → the port the plan gives it."""
    return {p.seat: p for p in planned_ports(plan) if p.kind == "seat" and p.seat is not None}


def seat_extensions(plan: Plan) -> dict[str, int]:
    """Seat id → extension: the plan's phone at that seat, else the range start + the seat's position
    (what ``plan_phones`` gives a phone placed there)."""
    start = int((plan.spec.get("phones") or {}).get("extension_start", 2001))
    found = {seat.id: start + n for n, seat in enumerate(plan.seats.seats)}
    found.update({p.seat: p.extension for p in plan.phones if p.seat is not None})
    return found


def load_plan_from(path: str | Path) -> Plan:
    """The plan of a ``plan.json``, a site YAML (sized now) or a build folder (its ``plan.json``)."""
    where = Path(path)
    if where.is_dir():
        if not (where / MANIFEST).is_file():
            raise PlanError(f"{where}: a folder but not a build (no {MANIFEST}); give a plan.json, a site YAML "
                            "or a folder written by `ccinfra render`")
        manifest, _ = read_manifest(where)
        if not (where / PLAN_FILE).is_file():
            raise PlanError(f"{where} has no {PLAN_FILE} (rendered by an older ccinfra); render it again, "
                            "or give the plan.json or site YAML instead")
        plan = load_plan(where / PLAN_FILE)
        if manifest.get("plan_sha256") and plan_sha256(plan) != manifest["plan_sha256"]:
            raise PlanError(f"{where}/{PLAN_FILE} is not the plan {where} was rendered from "
                            "(sha256 differs from manifest.json); render again")
        return plan
    return load_source(where)
