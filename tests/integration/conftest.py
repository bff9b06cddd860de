"""Shared fixtures of the integration tests: lab twins over real SSH on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

import pytest

from ccinfra.lab import DeviceSpec, Faults, LabFleet

LAB_USERNAME = "lab"
LAB_PASSWORD = "lab"
LAB_SECRET = "lab"


def _per_device(value: object, names: list[str]) -> list[object]:
    """One value per device from None, a single value, a list (by position) or a dict (by name)."""
    if isinstance(value, Mapping):
        return [value.get(name) for name in names]
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value) + [None] * (len(names) - len(value))
    return [value] * len(names)


@pytest.fixture
def lab_fleet() -> Iterator[Callable[..., LabFleet]]:
    """Factory: ``lab_fleet(n=3, faults=None, initial_configs=None) -> LabFleet`` (started).

    Devices are named ``lab01``... and log in with ``lab`` / ``lab``, enable secret ``lab``.
    ``faults`` and ``initial_configs`` are one value for all devices, a list by position or a dict
    by name; a missing initial config means the factory skeleton. Every fleet stops at teardown.
    """
    fleets: list[LabFleet] = []

    def make(
        n: int = 3,
        faults: Faults | Sequence[Faults | None] | Mapping[str, Faults] | None = None,
        initial_configs: str | Sequence[str | None] | Mapping[str, str] | None = None,
    ) -> LabFleet:
        names = [f"lab{i:02d}" for i in range(1, n + 1)]
        specs = [
            DeviceSpec(name, initial_config=config, faults=fault or Faults())  # type: ignore[arg-type]
            for name, fault, config in zip(names, _per_device(faults, names), _per_device(initial_configs, names))
        ]
        fleet = LabFleet(specs, username=LAB_USERNAME, password=LAB_PASSWORD, secret=LAB_SECRET)
        fleets.append(fleet)
        return fleet.start()

    yield make
    for fleet in fleets:
        fleet.stop()
