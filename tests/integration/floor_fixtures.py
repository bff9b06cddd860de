"""A lab of the example site's four access switches with an emulated floor (ccinfra.lab.floor)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ccinfra.cli.main import cli
from ccinfra.floor.seatmap import load_plan_from
from ccinfra.lab import DeviceSpec, LabFleet
from ccinfra.lab.floor_setup import FloorOptions, floors_for_plan
from ccinfra.plan import Plan
from ccinfra.render import render_build

EXAMPLE = Path(str(files("ccinfra.examples") / "site.yaml"))
ENV = {"CCINFRA_USERNAME": "lab", "CCINFRA_PASSWORD": "lab", "CCINFRA_SECRET": "lab"}


@dataclass
class FloorLab:
    plan: Plan
    build: Path
    inventory: Path
    fleet: LabFleet

    def set_floor(self, options: FloorOptions = FloorOptions()) -> None:
        """Plug the plan's phones in again, with ``options``; the twins answer from the next command on."""
        floors = floors_for_plan(self.plan, self.plan.phones, options)
        for device in self.fleet:
            device.state.floor = floors[device.name]

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(cli, [*args, str(self.build), "--inventory", str(self.inventory)], env=ENV,
                                  catch_exceptions=False)


def _lab(root: Path, configured: bool) -> Iterator[FloorLab]:
    plan = load_plan_from(EXAMPLE)
    build = render_build(plan, root / "build")
    configs = {f.device: f.text for f in build.files if f.role == "switch"}
    specs = [DeviceSpec(name, initial_config=text if configured else None) for name, text in configs.items()]
    with LabFleet(specs, username="lab", password="lab", secret="lab") as fleet:
        lab = FloorLab(plan, root / "build", fleet.write_inventory(root / "inventory.yml", root / "build"), fleet)
        lab.set_floor()
        yield lab


@pytest.fixture(scope="module")
def configured_floor(tmp_path_factory) -> Iterator[FloorLab]:
    """The switches as pushed (the build's configs: spare ports shut, voice VLAN on seat ports)."""
    yield from _lab(tmp_path_factory.mktemp("configured"), configured=True)


@pytest.fixture(scope="module")
def fresh_floor(tmp_path_factory) -> Iterator[FloorLab]:
    """The switches out of the box (every port up in VLAN 1), phones plugged in."""
    yield from _lab(tmp_path_factory.mktemp("fresh"), configured=False)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))
