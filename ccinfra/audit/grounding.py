"""Grounding audit: fall-of-potential readings from a CSV (or a site YAML) checked against the targets.

Each electrode is measured three times, with the potential probe at 52, 62 and 72 % of the
current-probe distance (IEEE 81). The triplet is valid when the 52 % and 72 % readings agree with the
62 % reading within about 10 %; only then does the 62 % reading stand as the earth resistance. A valid
reading is then compared with the target (seed rule: at most 1 Ω) and with every public target in
``standards.EARTH_TARGETS_OHM`` (NEC 250.53, IEEE 142, telecom and central-office practice).

The validity and target tests are ``ccinfra.sizing.electrical``'s; this module only reads the CSV,
names the line and column of bad input, and arranges the verdicts.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from ccinfra import standards
from ccinfra.errors import SpecError
from ccinfra.fsio import read_input_text
from ccinfra.limits import MAX_CSV_BYTES, MAX_CSV_ROWS
from ccinfra.sizing.electrical import check_reading
from ccinfra.spec import Reading, SiteSpec
from ccinfra.validation import safe_name

REQUIRED_COLUMNS = ("electrode", "r52_ohm", "r62_ohm", "r72_ohm")
OPTIONAL_COLUMNS = ("date", "notes")
OHM_COLUMNS = REQUIRED_COLUMNS[1:]

Verdict = Literal["pass", "fail", "invalid"]
_EXTRA = "\x00extra"  # DictReader key for fields beyond the header


@dataclass(frozen=True)
class MeasuredReading:
    """One triplet and where it came from (``where`` is "readings.csv line 3" or "electrical.readings[0]")."""

    reading: Reading
    where: str
    date: str = ""
    notes: str = ""


@dataclass(frozen=True)
class TargetVerdict:
    """A valid 62 % reading against one published target; ``status`` is "n/a" for an invalid triplet."""

    source: str
    kind: str
    citation: str
    limit_ohm: float
    status: Literal["pass", "fail", "n/a"]


@dataclass(frozen=True)
class ElectrodeAudit:
    electrode: str
    where: str
    date: str
    notes: str
    r52_ohm: float
    r62_ohm: float
    r72_ohm: float
    spread_ratio: float
    valid: bool
    meets_target: bool
    status: Verdict
    advice: str
    targets: list[TargetVerdict] = field(default_factory=list)


@dataclass(frozen=True)
class GroundingAudit:
    """Every electrode's verdict. ``ok`` is True only when every triplet is valid and meets the target."""

    input: str
    target_ohm: float
    target_source: str
    tolerance: float
    electrodes: list[ElectrodeAudit]

    @property
    def ok(self) -> bool:
        return bool(self.electrodes) and all(e.status == "pass" for e in self.electrodes)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        data["counts"] = {s: sum(1 for e in self.electrodes if e.status == s) for s in ("pass", "fail", "invalid")}
        return data


# ---------------------------------------------------------------------------- reading the CSV
def _ohms(text: str | None, where: str, column: str) -> float:
    """A resistance cell: a plain positive number of ohms."""
    if text is None or not text.strip():
        raise SpecError(f"{where}, column '{column}': empty; give the reading in ohms (e.g. 0.81)")
    try:
        value = float(text.strip())
    except ValueError:
        raise SpecError(
            f"{where}, column '{column}': {text.strip()!r} is not a number; write ohms as a plain number (e.g. 0.81)"
        ) from None
    if not math.isfinite(value) or value <= 0:
        raise SpecError(f"{where}, column '{column}': {text.strip()} must be a resistance greater than 0 Ω")
    return value


def _header(fieldnames: list[str] | None, name: str) -> list[str]:
    if not fieldnames:
        raise SpecError(f"{name} line 1: empty file; the first line must be the header "
                        f"{','.join(REQUIRED_COLUMNS)}[,date,notes]")
    header = [(h or "").strip().lower() for h in fieldnames]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise SpecError(f"{name} line 1: missing column '{missing[0]}'; the header must hold "
                        f"{','.join(REQUIRED_COLUMNS)} (optional: date,notes)")
    return header


def parse_readings_csv(text: str, name: str = "readings.csv") -> list[MeasuredReading]:
    """Readings from CSV text with the header ``electrode,r52_ohm,r62_ohm,r72_ohm`` (+ optional ``date,notes``).

    Columns are matched by name (any order, case and surrounding spaces ignored); other columns are
    ignored. Any bad cell raises a SpecError naming the file, the line and the column.

    >>> rows = parse_readings_csv("electrode,r52_ohm,r62_ohm,r72_ohm\\nmain,0.78,0.81,0.85\\n")
    >>> rows[0].reading.r62_ohm, rows[0].where
    (0.81, 'readings.csv line 2')
    """
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""), restkey=_EXTRA)
    header = _header(reader.fieldnames, name)
    reader.fieldnames = header
    found = []
    for row in reader:
        where = f"{name} line {reader.line_num}"
        if len(found) >= MAX_CSV_ROWS:
            raise SpecError(f"{name}: more than {MAX_CSV_ROWS} readings (MAX_CSV_ROWS); is this the right file?")
        if _EXTRA in row:
            raise SpecError(f"{where}: {len(header) + len(row[_EXTRA])} fields but the header has {len(header)}; "
                            "quote a value that holds a comma")
        electrode = (row.get("electrode") or "").strip()
        try:
            safe_name(electrode)
        except ValueError as err:
            raise SpecError(f"{where}, column 'electrode': {err}") from None
        ohms = {c: _ohms(row.get(c), where, c) for c in OHM_COLUMNS}
        try:
            reading = Reading(electrode=electrode, **ohms)
        except ValidationError as err:  # the checks above mirror Reading's; this is a safety net
            raise SpecError(f"{where}: {err.errors()[0]['msg']}") from None
        found.append(MeasuredReading(reading, where, (row.get("date") or "").strip(), (row.get("notes") or "").strip()))
    if not found:
        raise SpecError(f"{name}: no readings below the header; add one line per electrode")
    return found


def read_readings_csv(path: str | Path) -> list[MeasuredReading]:
    """Read ``path`` (UTF-8, optional BOM) with :func:`parse_readings_csv`."""
    file = Path(path)
    return parse_readings_csv(read_input_text(file, "give a CSV of readings (see examples/readings.csv)",
                                                   max_bytes=MAX_CSV_BYTES), str(file))


def readings_from_spec(spec: SiteSpec) -> list[MeasuredReading]:
    """The readings of a site description (``electrical.readings``)."""
    if not spec.electrical.readings:
        raise SpecError("electrical.readings: the site has no readings; add them or audit a CSV of readings")
    return [MeasuredReading(r, f"electrical.readings[{i}]") for i, r in enumerate(spec.electrical.readings)]


# ---------------------------------------------------------------------------- the verdicts
def _target_verdicts(valid: bool, r62_ohm: float, verdicts: dict[str, bool]) -> list[TargetVerdict]:
    out = []
    for source_id, limit in standards.EARTH_TARGETS_OHM.items():
        src = standards.SOURCES[source_id]
        status: Literal["pass", "fail", "n/a"] = ("pass" if verdicts[source_id] else "fail") if valid else "n/a"
        out.append(TargetVerdict(source_id, src.kind, src.citation, limit, status))
    return out


def audit_electrode(measured: MeasuredReading, target_ohm: float) -> ElectrodeAudit:
    """One electrode: validity (IEEE 81), the target, and each published target."""
    g = check_reading(measured.reading, target_ohm)
    if not g.valid:
        status: Verdict = "invalid"
        advice = ("the 52/62/72 % readings disagree by more than "
                  f"{standards.FOP_AGREEMENT:.0%}: move the current probe farther out and measure again")
    elif g.meets_target:
        status, advice = "pass", ""
    else:
        status = "fail"
        advice = f"{g.r62_ohm:g} Ω is above {target_ohm:g} Ω: add or lengthen electrodes, bond them, treat the soil"
    return ElectrodeAudit(
        electrode=g.electrode, where=measured.where, date=measured.date, notes=measured.notes,
        r52_ohm=g.r52_ohm, r62_ohm=g.r62_ohm, r72_ohm=g.r72_ohm, spread_ratio=g.spread_ratio, valid=g.valid,
        meets_target=g.meets_target, status=status, advice=advice,
        targets=_target_verdicts(g.valid, g.r62_ohm, g.verdicts_by_source),
    )


def audit_grounding(readings: list[MeasuredReading], target_ohm: float = standards.EARTH_MAX_OHM,
                    target_source: str = "seed-earth", input_name: str = "") -> GroundingAudit:
    """Audit every reading against ``target_ohm`` (seed rule 1 Ω by default).

    >>> rows = parse_readings_csv("electrode,r52_ohm,r62_ohm,r72_ohm\\nmain,0.78,0.81,0.85\\nb,0.7,1.0,1.3\\n")
    >>> audit = audit_grounding(rows)
    >>> [e.status for e in audit.electrodes], audit.ok
    (['pass', 'invalid'], False)
    """
    if isinstance(target_ohm, bool) or not isinstance(target_ohm, (int, float)) or not target_ohm > 0:
        raise SpecError(f"--target-ohm must be a resistance greater than 0 Ω, got {target_ohm!r}")
    return GroundingAudit(
        input=input_name, target_ohm=float(target_ohm), target_source=target_source,
        tolerance=standards.FOP_AGREEMENT, electrodes=[audit_electrode(m, target_ohm) for m in readings],
    )
