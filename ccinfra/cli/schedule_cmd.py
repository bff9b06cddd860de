"""``ccinfra schedule``: the shift roster and the coverage per interval of a week of demand."""

from __future__ import annotations

import csv
import io

import click

from ccinfra.cli.common import emit
from ccinfra.fsio import write_text_atomic
from ccinfra.plan_demand import SchedulePlan
from ccinfra.sizing.week import schedule_site
from ccinfra.spec import load_spec


def schedule_csv(schedule: SchedulePlan) -> str:
    """One CSV: a ``shift`` row per shift start (agents) then a ``coverage`` row per interval."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "day", "start", "hours", "agents", "required", "scheduled", "deferred_backlog_agent_h"])
    for s in schedule.shifts:
        writer.writerow(["shift", s.day, s.start, f"{s.hours:g}", s.agents, "", "", ""])
    for r in schedule.on_duty:
        writer.writerow(["coverage", r.day, r.start, "", "", r.required, r.scheduled, f"{r.deferred_backlog_agent_h:g}"])
    return out.getvalue()


def schedule_table(schedule: SchedulePlan) -> str:
    lines = [
        f"Schedule ({schedule.status}, gap {schedule.gap:.4%}, {schedule.solve_s:.3f} s, {schedule.solver})",
        f"paid hours {schedule.paid_hours:g} (LP bound {schedule.lp_bound_hours:g}), peak on duty "
        f"{schedule.peak_on_duty}, part-time share {schedule.part_time_share:.1%} "
        f"(max {schedule.max_part_time_share:.0%})",
        "",
        "Roster",
        f"{'day':<10} {'start':<5} {'hours':>5} {'agents':>6}",
    ]
    lines += [f"{s.day:<10} {s.start:<5} {s.hours:>5g} {s.agents:>6}" for s in schedule.shifts]
    lines += ["", "Coverage", f"{'day':<10} {'start':<5} {'required':>8} {'scheduled':>9} {'backlog_agent_h':>15}"]
    lines += [f"{r.day:<10} {r.start:<5} {r.required:>8} {r.scheduled:>9} {r.deferred_backlog_agent_h:>15.2f}"
              for r in schedule.on_duty]
    return "\n".join(lines) + "\n"


@click.command("schedule")
@click.argument("site", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table for people; json is the plan's schedule section; csv has shift and coverage rows.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE (atomically) instead of standard output.")
@click.option("--time-limit", "time_limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Solver time limit in seconds (default: demand.schedule.time_limit_s, 30).")
def schedule_cmd(site: str, fmt: str, output: str | None, time_limit: float | None) -> None:
    """Shift roster minimising paid hours, and the coverage per interval, for a week of demand.

    \b
    Example:
      ccinfra schedule examples/week/site.yaml
      ccinfra schedule examples/week/site.yaml --format csv -o roster.csv --time-limit 10
    """
    schedule = schedule_site(load_spec(site), time_limit).schedule
    if fmt == "csv":
        text = schedule_csv(schedule)
        if output:
            write_text_atomic(output, text)
            click.echo(f"wrote {output}", err=True)
        else:
            click.echo(text, nl=False)
        return
    data = schedule.model_dump(mode="json")
    emit(data, fmt, output, lambda _: schedule_table(schedule))


COMMANDS = [schedule_cmd]
