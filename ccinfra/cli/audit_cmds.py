"""Audit commands: ``audit`` is a group; ``audit grounding`` checks earth-resistance readings.

Other audits (``audit drift``) are added to the same group with ``audit.add_command(...)``.
"""

from __future__ import annotations

from pathlib import Path

import click

from ccinfra import standards
from ccinfra.audit.grounding import GroundingAudit, audit_grounding, read_readings_csv, readings_from_spec
from ccinfra.cli.common import emit, output_options
from ccinfra.spec import load_spec

STATUS_MARK = {"pass": "PASS", "fail": "FAIL", "invalid": "INVALID", "n/a": "n/a"}


@click.group("audit")
def audit() -> None:
    """Check what was measured or is running against what was planned.

    \b
    Example:
      ccinfra audit grounding examples/readings.csv
    """


def grounding_table(result: GroundingAudit) -> str:
    """Text for people: one line per electrode, then each public target's verdict."""
    lines = [
        f"Grounding audit of {result.input}",
        f"target: <= {result.target_ohm:g} Ω ({result.target_source}); "
        f"a triplet is valid when the 52 % and 72 % readings are within {result.tolerance:.0%} of the 62 % reading (ieee-81)",
        "",
        f"{'electrode':<16} {'R52 Ω':>8} {'R62 Ω':>8} {'R72 Ω':>8} {'spread':>7}  {'verdict':<8} where",
    ]
    for e in result.electrodes:
        lines.append(f"{e.electrode:<16} {e.r52_ohm:>8g} {e.r62_ohm:>8g} {e.r72_ohm:>8g} {e.spread_ratio:>7.1%}  "
                     f"{STATUS_MARK[e.status]:<8} {e.where}{' (' + e.date + ')' if e.date else ''}")
        if e.advice:
            lines.append(f"{'':<16} -> {e.advice}")
        if e.notes:
            lines.append(f"{'':<16} note: {e.notes}")
    lines += ["", "Against each published target (valid readings only):"]
    names = [e.electrode for e in result.electrodes]
    width = max([len(n) for n in names] + [9])
    header = f"  {'target':<14} {'limit':>7}  {'kind':<9}" + "".join(f" {n:>{width}}" for n in names)
    lines.append(header)
    for index, source_id in enumerate(standards.EARTH_TARGETS_OHM):
        first = result.electrodes[0].targets[index]
        row = f"  {source_id:<14} {first.limit_ohm:>5g} Ω  {first.kind:<9}"
        row += "".join(f" {STATUS_MARK[e.targets[index].status]:>{width}}" for e in result.electrodes)
        lines.append(row)
    lines += ["", "Sources:"] + [f"  {s}: {standards.cite(s)}" for s in ["ieee-81", *standards.EARTH_TARGETS_OHM]]
    counts = result.to_dict()["counts"]
    lines += ["", f"{counts['pass']} pass, {counts['fail']} fail, {counts['invalid']} invalid -> "
                  f"{'OK' if result.ok else 'NOT OK'} (exit {0 if result.ok else 1})"]
    return "\n".join(lines) + "\n"


@audit.command("grounding")
@click.argument("readings", type=click.Path(dir_okay=False))
@click.option("--target-ohm", type=click.FloatRange(min=0, max=1000, min_open=True), default=None,
              help="Earth-resistance target in ohms. Default: the seed rule, 1 Ω "
                   "(or electrical.max_earth_ohm of a site YAML).")
@output_options
def grounding_cmd(readings: str, target_ohm: float | None, fmt: str, output: str | None) -> None:
    """Check fall-of-potential earth-resistance readings (IEEE 81) against the targets.

    READINGS is a CSV with the header electrode,r52_ohm,r62_ohm,r72_ohm (optional date,notes; other
    columns are ignored), one line per electrode: the resistance with the potential probe at 52, 62
    and 72 % of the current-probe distance. A site YAML works too: its electrical.readings are used.

    A triplet is valid when the 52 % and 72 % readings are within 10 % of the 62 % reading; a valid
    62 % reading must then be at most the target. Each reading is also judged against every
    published target (NEC 250.53, IEEE 142, telecom and central-office practice).

    Exit status: 0 when every triplet is valid and meets the target; 1 when any is invalid or above
    the target, or the input is bad (a one-line message names the file, line and column).

    \b
    Example:
      ccinfra audit grounding examples/readings.csv
      ccinfra audit grounding examples/site.yaml --target-ohm 5 --format json -o grounding.json
    """
    path = Path(readings)
    if path.suffix.lower() in (".yaml", ".yml"):
        spec = load_spec(path)
        rows = readings_from_spec(spec)
        default_ohm = spec.electrical.max_earth_ohm
        default_source = "seed-earth" if default_ohm == standards.EARTH_MAX_OHM else "electrical.max_earth_ohm"
    else:
        rows = read_readings_csv(path)
        default_ohm, default_source = standards.EARTH_MAX_OHM, "seed-earth"
    if target_ohm is None:
        target, source = default_ohm, default_source
    else:
        target, source = target_ohm, "--target-ohm"
    result = audit_grounding(rows, target, source, input_name=str(path))
    emit(result.to_dict(), fmt, output, lambda _: grounding_table(result))
    if not result.ok:
        raise click.exceptions.Exit(1)


COMMANDS = [audit]
