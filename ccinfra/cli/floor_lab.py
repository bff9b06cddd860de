"""``ccinfra lab up --phones``: the options that put emulated phones (and faults) on the twins' ports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ccinfra.lab.device import DeviceSpec
from ccinfra.lab.floor_setup import HOSTILE_ID, FloorOptions, floor_specs


def _pairs(values: tuple[str, ...], flag: str) -> dict[str, str]:
    found = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key or not rest:
            raise click.BadParameter(f"{value!r}: write SEAT=VALUE", param_hint=flag)
        found[key] = rest
    return found


def floor_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--phones FILE --configured --empty --move --foreign --model --lldp-only --silent --hostile ...``."""
    options = [
        click.option("--phones", "phones", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                     help="With --from: plug the phones of this phones.csv into the ports the plan gives their seats."),
        click.option("--configured", is_flag=True, help="With --phones: start each twin with its build config, as if pushed."),
        click.option("--empty", multiple=True, metavar="SEAT", help="Leave this seat's phone unplugged."),
        click.option("--move", multiple=True, metavar="SEAT=SWITCH:PORT", help="Plug this seat's phone in elsewhere."),
        click.option("--foreign", multiple=True, metavar="SWITCH:PORT", help="Plug a PC (no phone) into this port."),
        click.option("--model", "models", multiple=True, metavar="SEAT=MODEL", help="This seat's phone is another model."),
        click.option("--lldp-only", multiple=True, metavar="SEAT", help="This seat's phone speaks LLDP-MED, not CDP."),
        click.option("--silent", multiple=True, metavar="SEAT", help="This seat's phone speaks neither (MAC table only)."),
        click.option("--hostile", multiple=True, metavar="SEAT",
                     help="This seat's phone announces a device id with a line break and a config line."),
        click.option("--err-disabled", multiple=True, metavar="SWITCH:PORT", help="This port is err-disabled."),
        click.option("--uplink-down", multiple=True, metavar="SWITCH:PORT", help="This uplink has no link."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def apply_floor(specs: list[DeviceSpec], build_dir: Path | None, floor: dict[str, Any]) -> list[DeviceSpec]:
    """The specs with their floors when ``--phones`` was given (``floor``: the options above, by name)."""
    phones = floor.pop("phones")
    if phones is None:
        if any(floor.values()):
            raise click.UsageError("--empty, --move, --configured and the other floor options need --phones")
        return specs
    if build_dir is None:
        raise click.UsageError("--phones needs --from BUILD (the plan says which port serves which seat)")
    hostile = {seat: HOSTILE_ID.format(mac="00AA11BB22CC") for seat in floor["hostile"]}
    options = FloorOptions(
        empty=frozenset(floor["empty"]), moves=_pairs(floor["move"], "--move"), foreign=frozenset(floor["foreign"]),
        models=_pairs(floor["models"], "--model"), lldp_only=frozenset(floor["lldp_only"]),
        silent=frozenset(floor["silent"]), hostile=hostile, err_disabled=frozenset(floor["err_disabled"]),
        uplinks_down=frozenset(floor["uplink_down"]))
    return floor_specs(specs, build_dir, phones, options, configured=floor["configured"])
