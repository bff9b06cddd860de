"""A week of interval demand: queues by channel, the shift rules, and the ``forecast.csv`` loader.

These models hang under ``demand`` (``ccinfra.spec.Demand``) beside the older ``demand.agents`` and
``demand.forecast``; every error names the field, or the file, line and column of a bad CSV row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from ccinfra.errors import SpecError
from ccinfra.fsio import read_input_text
from ccinfra.limits import MAX_CSV_BYTES, MAX_CSV_ROWS
from ccinfra.validation import SafeName, StrictModel

Fraction01 = Annotated[float, Field(gt=0, lt=1)]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Call Centre Helper, "How to calculate staffing for chat": factor for 1–5 concurrent chats.
CHAT_CONCURRENCY_FACTORS = {1: 1.0, 2: 1.7, 3: 2.5, 4: 2.9, 5: 3.5}
FORECAST_COLUMNS = ("day", "start", "queue", "volume")
FORECAST_OPTIONAL = ("aht_s",)


class VoiceQueue(StrictModel):
    """Inbound calls: Erlang C, or Erlang A when ``patience_s`` is given; every stated target must hold."""

    name: SafeName
    channel: Literal["voice"]
    aht_s: float = Field(gt=0, le=86400)
    answer_within_s: float = Field(default=20, ge=0, le=86400)
    service_level: Fraction01 = 0.8
    patience_s: float | None = Field(default=None, gt=0, le=86400, description="mean patience; enables Erlang A")
    max_abandon: Fraction01 | None = Field(default=None, description="needs patience_s (Erlang A)")
    max_asa_s: float | None = Field(default=None, gt=0, le=86400)

    @model_validator(mode="after")
    def _abandon_needs_patience(self) -> VoiceQueue:
        if self.max_abandon is not None and self.patience_s is None:
            raise ValueError("max_abandon needs patience_s (abandonment is modelled by Erlang A only)")
        return self


class ChatQueue(StrictModel):
    """Chats: Call Centre Helper's concurrency method (effective AHT = AHT ÷ factor), then Erlang C."""

    name: SafeName
    channel: Literal["chat"]
    aht_s: float = Field(gt=0, le=86400)
    concurrency: int = Field(default=1, ge=1, le=5, description="chats an agent handles at once")
    concurrency_factor: float | None = Field(default=None, ge=1, le=5, description="overrides the CCH table")
    answer_within_s: float = Field(default=60, ge=0, le=86400)
    service_level: Fraction01 = 0.8
    max_asa_s: float | None = Field(default=None, gt=0, le=86400)

    @property
    def factor(self) -> float:
        return self.concurrency_factor or CHAT_CONCURRENCY_FACTORS[self.concurrency]


class EmailQueue(StrictModel):
    """Deferred work (email, back office): first in, first out, each interval finished within the window."""

    name: SafeName
    channel: Literal["email"]
    aht_s: float = Field(gt=0, le=86400)
    respond_within_h: float = Field(default=24, gt=0, le=24 * 14)


class OutboundQueue(StrictModel):
    """Outbound campaign: agents = ceil(volume × AHT ÷ (interval × occupancy)); lines = agents × lines_per_agent."""

    name: SafeName
    channel: Literal["outbound"]
    aht_s: float = Field(gt=0, le=86400)
    dialer: Literal["preview", "progressive", "predictive"] = "preview"
    lines_per_agent: float | None = Field(default=None, ge=1, le=5, description="Sytel: predictive 1.5–2.5")
    occupancy: float = Field(default=0.85, gt=0, le=1)

    @model_validator(mode="after")
    def _lines(self) -> OutboundQueue:
        if self.dialer == "preview" and self.lines_per_agent not in (None, 1.0):
            raise ValueError("a preview dialer uses 1 line per agent; drop lines_per_agent or pick another dialer")
        if self.dialer != "preview" and self.lines_per_agent is None:
            raise ValueError(f"a {self.dialer} dialer needs lines_per_agent (Sytel: about 1.5–2.5 for predictive)")
        return self

    @property
    def lines(self) -> float:
        return self.lines_per_agent or 1.0


Queue = Annotated[Union[VoiceQueue, ChatQueue, EmailQueue, OutboundQueue], Field(discriminator="channel")]


class ShiftRules(StrictModel):
    """Paid shift lengths, the start grid, the part-time cap, and the solver's time limit."""

    shift_hours: list[Annotated[float, Field(gt=0, le=24)]] = Field(default_factory=lambda: [8.0], min_length=1)
    start_every_min: int | None = Field(default=None, ge=5, le=1440, description="default: every interval")
    max_part_time_share: float = Field(default=1.0, ge=0, le=1, description="share of shifts shorter than the longest")
    time_limit_s: float = Field(default=30, gt=0, le=3600)

    @model_validator(mode="after")
    def _distinct(self) -> ShiftRules:
        if len(set(self.shift_hours)) != len(self.shift_hours):
            raise ValueError("shift_hours: list each length once")
        return self


@dataclass(frozen=True)
class ForecastRow:
    """One row of forecast.csv: offered contacts of one queue in one interval."""

    day: str
    start_min: int
    queue: str
    volume: float
    aht_s: float | None
    line: int


def check_interval_demand(demand: object) -> None:
    """Rules between the new ``demand`` keys (called by ``Demand``'s validator)."""
    queues = getattr(demand, "queues")
    interval = getattr(demand, "interval_min")
    if interval not in (15, 30, 60):
        raise ValueError(f"interval_min: use 15, 30 or 60 minutes, got {interval!r}")
    names = [q.name for q in queues]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"queues: the name {dupes[0]!r} is used twice; queue names must differ")
    if getattr(demand, "forecast_file") is None:
        raise ValueError("forecast_file: required with queues (a CSV with day,start,queue,volume)")
    rules = getattr(demand, "schedule")
    for q in queues:
        if isinstance(q, EmailQueue) and q.respond_within_h * 60 < interval:
            raise ValueError(f"queues: {q.name}: respond_within_h must be at least one interval ({interval} min)")
    for hours in rules.shift_hours:
        if (hours * 60) % interval:
            raise ValueError(f"schedule.shift_hours: {hours:g} h is not a whole number of {interval}-minute intervals")
    if rules.start_every_min is not None and rules.start_every_min % interval:
        raise ValueError(f"schedule.start_every_min: must be a multiple of interval_min ({interval})")


def _day_key(text: str) -> tuple[str, int] | None:
    """('weekday'|'date', sortable index) for ``mon``…``sun`` or an ISO date; None if neither."""
    low = text.strip().lower()
    if low in WEEKDAYS:
        return "weekday", WEEKDAYS.index(low)
    try:
        return "date", dt.date.fromisoformat(text.strip()).toordinal()
    except ValueError:
        return None


def day_index(day: str) -> int:
    """Days from Monday (weekdays) or the proleptic ordinal (ISO dates), for ordering and midnight joins.

    >>> day_index("tue"), day_index("2026-03-03") - day_index("2026-03-02")
    (1, 1)
    """
    key = _day_key(day)
    if key is None:
        raise SpecError(f"day {day!r} is not a weekday (mon…sun) or an ISO date (2026-03-02)")
    return key[1]


def _start_min(text: str, interval_min: int) -> int | None:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match:
        return None
    hours, minutes = int(match[1]), int(match[2])
    if hours > 23 or minutes > 59:
        return None
    total = hours * 60 + minutes
    return None if total % interval_min else total


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text not in (None, "") else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def read_forecast_csv(path: Path, interval_min: int, queue_names: list[str]) -> list[ForecastRow]:
    """Rows of a forecast CSV (``day,start,queue,volume[,aht_s]``); any bad row → one SpecError line.

    The error names the file, the line and the column, and says what to write instead.
    """
    text = read_input_text(path, "demand.forecast_file is a CSV path relative to the site file (MAX_CSV_BYTES)",
                           max_bytes=MAX_CSV_BYTES)
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    for col in header:
        if col not in FORECAST_COLUMNS + FORECAST_OPTIONAL:
            raise SpecError(f"{path} line 1: unknown column {col!r}; the columns are day,start,queue,volume[,aht_s]")
    for col in FORECAST_COLUMNS:
        if col not in header:
            raise SpecError(f"{path} line 1: missing column {col!r}; the columns are day,start,queue,volume[,aht_s]")
    rows: list[ForecastRow] = []
    seen: dict[tuple[str, int, str], int] = {}
    kinds: set[str] = set()
    for number, values in enumerate(reader, start=2):
        if not values or all(not v.strip() for v in values):
            continue
        if len(rows) >= MAX_CSV_ROWS:
            raise SpecError(f"{path} line {number}: more than {MAX_CSV_ROWS} rows (MAX_CSV_ROWS); a week of "
                            "quarter-hours is 672 rows a queue")
        if len(values) != len(header):
            raise SpecError(f"{path} line {number}: {len(values)} fields, the header has {len(header)}")
        rec = dict(zip(header, (v.strip() for v in values)))

        def bad(col: str, why: str) -> SpecError:
            return SpecError(f"{path} line {number}, column {col}: {rec.get(col)!r} {why}")

        key = _day_key(rec["day"])
        if key is None:
            raise bad("day", "is not a weekday (mon…sun) or an ISO date (2026-03-02)")
        kinds.add(key[0])
        if len(kinds) > 1:
            raise bad("day", "mixes weekdays and dates; use one kind in the whole file")
        start = _start_min(rec["start"], interval_min)
        if start is None:
            raise bad("start", f"is not HH:MM on the {interval_min}-minute grid")
        if rec["queue"] not in queue_names:
            raise bad("queue", f"is not a queue of demand.queues ({', '.join(queue_names)})")
        volume = _number(rec["volume"])
        if volume is None or volume < 0:
            raise bad("volume", "is not a number of contacts, 0 or more")
        aht_s = None
        if rec.get("aht_s"):
            aht_s = _number(rec["aht_s"])
            if aht_s is None or not 0 < aht_s <= 86400:
                raise bad("aht_s", "is not a handling time in seconds (greater than 0)")
        day = rec["day"].lower() if key[0] == "weekday" else rec["day"]
        ident = (day, start, rec["queue"])
        if ident in seen:
            raise bad("start", f"repeats line {seen[ident]} (same day, start and queue); keep one row")
        seen[ident] = number
        rows.append(ForecastRow(day, start, rec["queue"], volume, aht_s, number))
    missing = [name for name in queue_names if name not in {r.queue for r in rows}]
    if missing:
        raise SpecError(f"{path}: queue {missing[0]!r} of demand.queues has no row; add its volumes or remove the queue")
    return rows
