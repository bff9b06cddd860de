"""Sizing commands: ``size``, ``staff``, ``trunks``, ``bandwidth``. Parse, call one library function, format."""

from __future__ import annotations

from typing import Any

import click

from ccinfra import limits as lim
from ccinfra.cli.common import Checked, emit, fail_if_strict, kv_table, output_options, strict_option
from ccinfra.errors import SpecError
from ccinfra.cli.tables import plan_table
from ccinfra.sizing import erlang, trunking, voip
from ccinfra.sizing.site import size_file

POSITIVE = click.FloatRange(min=0, min_open=True)


def _positive_max(limit: float, name: str) -> Checked:
    """A float > 0 and ≤ a named limit of ``ccinfra.limits``."""
    def check(flag: str, value: float) -> float:
        if not value > 0:
            raise SpecError(f"{flag}: must be greater than 0, got {value!r}")
        return lim.check_max(flag, value, limit, name)
    return Checked(check)


CALLS = _positive_max(lim.MAX_CALLS_PER_INTERVAL, "MAX_CALLS_PER_INTERVAL")
SECONDS = _positive_max(lim.MAX_DURATION_S, "MAX_DURATION_S")
ERLANGS = _positive_max(lim.MAX_TRAFFIC_ERLANGS, "MAX_TRAFFIC_ERLANGS")
INTERVAL = Checked(lim.check_interval_min)
OPEN_FRACTION = Checked(lim.check_fraction)
SHRINKAGE = Checked(lambda flag, value: lim.check_fraction(flag, value, allow_zero=True))
OCCUPANCY = Checked(lambda flag, value: lim.check_fraction(flag, value, allow_one=True))


def _seconds_or_zero(flag: str, value: float) -> float:
    if not value >= 0:
        raise SpecError(f"{flag}: must be 0 or more seconds, got {value!r}")
    return lim.check_max(flag, value, lim.MAX_DURATION_S, "MAX_DURATION_S")


TARGET_S = Checked(_seconds_or_zero)


@click.command("size")
@click.argument("site", type=click.Path(dir_okay=False))
@output_options
@strict_option
def size_cmd(site: str, fmt: str, output: str | None, strict: bool) -> None:
    """Size a whole site from its YAML description: staffing, seats, floor, desks, grounding, network, VoIP, trunks.

    \b
    Example:
      ccinfra size examples/site.yaml
      ccinfra size examples/site.yaml --format json -o plan.json
      ccinfra size examples/site.yaml --strict     # exit 1 when a check FAILs
    """
    plan = size_file(site)
    emit(plan.to_dict(), fmt, output, lambda _: plan_table(plan))
    fail_if_strict(plan.checks, strict)


@click.command("staff")
@click.option("--calls", type=CALLS, required=True, help="Offered calls in the interval.")
@click.option("--interval-min", type=INTERVAL, default=30, show_default=True, help="Interval length, minutes.")
@click.option("--aht-s", type=SECONDS, required=True, help="Average handling time, seconds.")
@click.option("--target-s", type=TARGET_S, default=20, show_default=True,
              help="Answer-time target T, seconds.")
@click.option("--service-level", type=OPEN_FRACTION, default=0.8,
              show_default=True, help="Share of calls to answer within T, between 0 and 1.")
@click.option("--shrinkage", type=SHRINKAGE, default=0.0, show_default=True,
              help="Share of paid time off the phones (breaks, training), 0 to <1.")
@click.option("--max-occupancy", type=OCCUPANCY, default=1.0, show_default=True,
              help="Occupancy cap, >0 to 1.")
@click.option("--patience-s", type=SECONDS, default=None, help="Mean caller patience; switches to Erlang A.")
@output_options
def staff_cmd(calls: float, interval_min: float, aht_s: float, target_s: float, service_level: float,
              shrinkage: float, max_occupancy: float, patience_s: float | None, fmt: str, output: str | None) -> None:
    """Agents needed for a call forecast (Erlang C, or Erlang A with --patience-s).

    \b
    Example (A = 10 E, 14 agents give SL 0.888 at 20 s):
      ccinfra staff --calls 100 --interval-min 30 --aht-s 180 --target-s 20 --service-level 0.8
    """
    result = erlang.required_agents(
        calls=calls, interval_s=interval_min * 60, aht_s=aht_s, target_s=target_s,
        service_level_target=service_level, max_occupancy=max_occupancy, shrinkage=shrinkage, patience_s=patience_s,
    )
    data: dict[str, Any] = {
        "traffic_erlangs": result.traffic_erlangs,
        "agents": result.agents,
        "scheduled_agents": result.scheduled_agents,
        "service_level": result.service_level,
        "asa_s": result.asa_s,
        "wait_probability": result.wait_probability,
        "occupancy": result.occupancy,
        "limited_by": result.limited_by,
        "model": result.model,
        "service_level_definition": result.service_level_definition,
    }
    if patience_s is not None:
        data["abandon_probability"] = result.abandon_probability
    rows = [
        ("traffic", data["traffic_erlangs"], "E"),
        ("agents on the phones", data["agents"], f"limited by {result.limited_by}"),
        ("scheduled agents", data["scheduled_agents"], f"after {shrinkage:.0%} shrinkage"),
        ("service level", data["service_level"], f"answered within {target_s:g} s"),
        ("ASA", data["asa_s"], "s"),
        ("P(wait)", data["wait_probability"], ""),
        ("occupancy", data["occupancy"], ""),
    ]
    if patience_s is not None:
        rows.append(("P(abandon)", data["abandon_probability"], ""))
    emit(data, fmt, output, lambda _: kv_table(f"Staffing ({result.model})", rows))


@click.command("trunks")
@click.option("--erlangs", type=ERLANGS, required=True, help="Traffic that holds a trunk, in Erlangs.")
@click.option("--blocking", type=OPEN_FRACTION, default=0.01,
              show_default=True, help="Blocking target (grade of service), between 0 and 1.")
@output_options
def trunks_cmd(erlangs: float, blocking: float, fmt: str, output: str | None) -> None:
    """Trunks / gateway channels by Erlang B, with E1 and T1 span counts.

    \b
    Example (15 channels carry 8.108 E at 1 %):
      ccinfra trunks --erlangs 8.108 --blocking 0.01
    """
    result = trunking.size_trunks(erlangs, blocking)
    data = {
        "traffic_erlangs": result.traffic_erlangs,
        "channels": result.channels,
        "blocking": result.blocking,
        "e1": result.e1_spans,
        "t1": result.t1_pri_spans,
        "t1_cas": result.t1_cas_spans,
    }
    rows = [
        ("traffic", erlangs, "E"),
        ("channels", result.channels, f"blocking {result.blocking:.5f} (target {blocking})"),
        ("E1 spans", result.e1_spans, "30 channels each"),
        ("T1 PRI spans", result.t1_pri_spans, "23 channels each"),
        ("T1 CAS spans", result.t1_cas_spans, "24 channels each"),
    ]
    emit(data, fmt, output, lambda _: kv_table("Trunks (Erlang B)", rows))


@click.command("bandwidth")
@click.option("--codec", type=click.Choice(sorted(voip.CODECS)), required=True, help="Voice codec.")
@click.option("--calls", type=click.IntRange(1, 10_000_000), required=True, help="Concurrent calls.")
@click.option("--ptime-ms", type=click.IntRange(min=1, max=120), default=None,
              help="Packetization interval, ms (codec default if omitted).")
@click.option("--l2", type=click.Choice(["ethernet", "dot1q", "wire"]), default="ethernet", show_default=True,
              help="Layer-2 overhead: Ethernet, Ethernet with 802.1Q tag, or on the wire (preamble + gap).")
@click.option("--srtp", is_flag=True, help="Add the SRTP authentication tag.")
@output_options
def bandwidth_cmd(codec: str, calls: int, ptime_ms: int | None, l2: str, srtp: bool, fmt: str,
                  output: str | None) -> None:
    """VoIP bandwidth per call and in total (per direction), Cisco's per-call method.

    \b
    Example (G.711 at 20 ms on Ethernet: 87.2 kbit/s a call):
      ccinfra bandwidth --codec g711 --calls 30
    """
    try:
        bw = voip.per_call_bandwidth(codec, ptime_ms, l2, srtp)
    except SpecError as err:  # codec and l2 are choices: only the packetization can be wrong here
        raise click.BadParameter(str(err).replace("ptime_ms", "packetization"), param_hint="'--ptime-ms'") from None
    total = voip.total_bandwidth_kbps(bw.per_call_kbps, calls)
    data = {**bw.to_dict(), "calls": calls, "total_kbps": total}
    rows = [
        ("codec", bw.codec, f"{bw.ptime_ms} ms, {bw.payload_bytes:g} B payload, {bw.packets_per_s:g} packets/s"),
        ("layer 2", bw.l2, "SRTP" if srtp else ""),
        ("per call", bw.per_call_kbps, "kbit/s each direction"),
        ("total", total, f"kbit/s each direction for {calls} calls"),
    ]
    emit(data, fmt, output, lambda _: kv_table("VoIP bandwidth", rows))


COMMANDS = [size_cmd, staff_cmd, trunks_cmd, bandwidth_cmd]
