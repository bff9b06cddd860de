"""A week of interval demand: per-interval needs, the schedule's optimality, FIFO deadlines, the CLI contract."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy.optimize import linprog

from ccinfra.cli.main import cli
from ccinfra.sizing import erlang
from ccinfra.sizing.demand import interval_need
from ccinfra.sizing.schedule import DeferredLoad, ScheduleProblem, solve_schedule
from ccinfra.sizing.site import size
from ccinfra.spec import load_spec
from ccinfra.spec_demand import ChatQueue, VoiceQueue

ROOT = Path(__file__).resolve().parents[2]
WEEK = ROOT / "examples" / "week" / "site.yaml"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.fixture(scope="module")
def plan():
    return size(load_spec(WEEK))


def _minutes(day: str, start: str) -> int:
    hours, minutes = start.split(":")
    return DAYS.index(day) * 1440 + int(hours) * 60 + int(minutes)


# ---------------------------------------------------------------------------- per-interval needs
def test_voice_intervals_are_the_fewest_agents_meeting_every_target(plan):
    """Each voice interval against the single-interval Erlang A engine: N meets all targets, N − 1 misses one."""
    care = next(q for q in plan.demand.queues if q.name == "care")
    records = [r for r in plan.demand.intervals if r.queue == "care" and r.volume > 0]
    assert len(records) == 5 * 28 + 12 + 12  # Mon–Fri 07–21 h, Sat 08–14 h, Sun 10–16 h

    def meets(traffic: float, n: int) -> bool:
        r = erlang.erlang_a(traffic, n, care.aht_s, care.patience_s, care.answer_within_s)
        return (r.service_level >= care.service_level and r.occupancy <= plan.demand.max_occupancy
                and r.asa_s <= care.max_asa_s and r.abandon_probability <= care.max_abandon)

    for r in records:
        traffic = r.volume * r.aht_s / 1800
        assert meets(traffic, r.agents_required), r
        assert r.agents_required == 1 or not meets(traffic, r.agents_required - 1), r


def test_voice_without_extra_targets_equals_ccinfra_staff():
    queue = VoiceQueue(name="q", channel="voice", aht_s=180, answer_within_s=20, service_level=0.8)
    for calls in (5, 100, 333, 1200):
        single = erlang.required_agents(calls, 1800, 180, 20, 0.8, max_occupancy=0.85)
        assert interval_need(queue, calls, 180, 1800, 0.85).agents == single.agents


def test_chat_hand_worked_case():
    """60 chats in 30 min, AHT 600 s, 3 at once → factor 2.5 (Call Centre Helper) → effective AHT 240 s.

    A = 60 × 240 / 1800 = 8 E; T = 60 s, SL 80 %. Erlang C by the textbook series:
    N = 10: C = 0.40918, SL = 1 − 0.40918·e^(−2·60/240) = 0.75182 < 0.8
    N = 11: C = 0.24496, SL = 1 − 0.24496·e^(−3·60/240) = 0.88429 ≥ 0.8, occupancy 8/11 = 0.727 ≤ 0.85
    """
    chat = ChatQueue(name="chat", channel="chat", aht_s=600, concurrency=3, answer_within_s=60, service_level=0.8)
    need = interval_need(chat, 60, 600, 1800, 0.85)
    assert need.agents == 11
    assert need.service_level == pytest.approx(0.88429, abs=1e-5)
    assert need.occupancy == pytest.approx(8 / 11)
    assert need.traffic_erlangs == pytest.approx(8.0)


def test_outbound_and_email_records(plan):
    renew = [r for r in plan.demand.intervals if r.queue == "renew" and r.volume > 0]
    for r in renew:  # ceil(volume × AHT ÷ (1800 × 0.85)); predictive at 2 lines per agent
        assert r.agents_required == math.ceil(r.volume * 300 / (1800 * 0.85) - 1e-9)
        assert r.dialer_lines == 2 * r.agents_required
    email = [r for r in plan.demand.intervals if r.queue == "email"]
    assert all(r.agents_required == 0 and r.work_agent_h == pytest.approx(r.volume * 300 / 3600) for r in email)


# ---------------------------------------------------------------------------- schedule
def _fifo_on_time(on_duty, real_time, work, slot_start_min, slot_min, shrinkage, within_h) -> bool:
    """Independent check: serve deferred work first in, first out; every slot's arrivals done within the window."""
    queue = []  # [arrival slot, remaining]
    done_at = {}
    for t, on in enumerate(on_duty):
        if work[t] > 0:
            queue.append([t, work[t]])
        capacity = on * (1 - shrinkage) - real_time[t]
        while queue and capacity > 1e-9:
            take = min(capacity, queue[0][1])
            queue[0][1] -= take
            capacity -= take
            if queue[0][1] <= 1e-9:
                done_at[queue.pop(0)[0]] = t
    if queue:
        return False
    return all(slot_start_min[done] + slot_min - slot_start_min[t] <= within_h * 60 + 1e-9
               for t, done in done_at.items())


def test_example_schedule_meets_fifo_deadlines(plan):
    s = plan.schedule
    email = {(r.day, r.start): r.volume * r.aht_s / 1800 for r in plan.demand.intervals if r.queue == "email"}
    work = [email.get((r.day, r.start), 0.0) for r in s.on_duty]
    starts = [_minutes(r.day, r.start) for r in s.on_duty]
    assert sum(work) > 0
    assert _fifo_on_time([r.scheduled for r in s.on_duty], [r.real_time_agents for r in s.on_duty], work,
                         starts, 30, 0.3, 24)
    assert all(r.scheduled >= r.required for r in s.on_duty)


def test_example_schedule_against_its_lp_relaxation(plan):
    """An LP built here (dense covering rows, no deferred work: a relaxation) bounds the paid hours from below."""
    s = plan.schedule
    starts = [_minutes(r.day, r.start) for r in s.on_duty]
    required = np.array([r.required for r in s.on_duty], dtype=float)
    columns, hours = [], []
    day_slots: dict[str, list[int]] = {}
    for t, r in enumerate(s.on_duty):
        day_slots.setdefault(r.day, []).append(t)
    for slots in day_slots.values():
        for k in range(0, len(slots), s.start_every_min // 30):
            for h in s.shift_hours:
                length = int(h * 2)
                if k + length <= len(slots):
                    col = np.zeros(len(required))
                    col[slots[k]:slots[k] + length] = 1
                    columns.append(col), hours.append(h)
    a = np.array(columns).T
    share = s.max_part_time_share
    part = np.array([[(1 - share) if h < max(s.shift_hours) else -share for h in hours]])
    lp = linprog(hours, A_ub=np.vstack([-a, part]), b_ub=np.concatenate([-required, [0.0]]), method="highs")
    assert lp.status == 0 and len(starts) == len(required)
    assert lp.fun - 1e-6 <= s.paid_hours <= lp.fun * 1.01
    assert s.status == "optimal" and s.gap <= 1e-4


def _brute_force(required, work, deadline_h, lengths_h, starts, share, shrinkage, real_time):
    """Every integer roster with 0..max(required)+2 agents per shift, cheapest first; the first that passes wins."""
    cols = [(st, h) for st in starts for h in lengths_h if st + h <= len(required)]
    top = max(required) + 3
    grid = np.array(np.unravel_index(np.arange(top ** len(cols)), (top,) * len(cols))).T
    cover = np.array([[1 if st <= t < st + h else 0 for (st, h) in cols] for t in range(len(required))])
    on = grid @ cover.T
    short = grid[:, [h < max(lengths_h) for _, h in cols]].sum(axis=1)
    ok = (on >= np.array(required)).all(axis=1) & (short <= share * grid.sum(axis=1) + 1e-9)
    paid = grid @ np.array([h for _, h in cols])
    for index in np.argsort(np.where(ok, paid, np.inf), kind="stable"):
        if not ok[index]:
            return None
        if not work or _fifo_on_time(list(on[index]), real_time, work, [60 * t for t in range(len(required))], 60,
                                     shrinkage, deadline_h):
            return int(paid[index])
    return None


@pytest.mark.parametrize("with_deferred", [False, True])
def test_small_schedule_equals_brute_force(with_deferred):
    """10 one-hour intervals, 4 h and 6 h shifts every 2 h, at most half part-time: every integer roster tried."""
    real_time = [0.7, 1.4, 2.1, 2.1, 1.4, 2.8, 2.1, 1.4, 0.7, 0.7]
    required = [math.ceil(r / 0.7 - 1e-9) for r in real_time]  # shrinkage 0.3
    work = [0.0, 0.6, 0.0, 1.2, 0.0, 0.0, 0.0, 0.9, 0.0, 0.0] if with_deferred else []
    deadline_h = 3
    problem = ScheduleProblem(
        required=required, real_time=real_time, windows=[(0, 10)], shift_hours=[6.0, 4.0], slot_min=60,
        start_every_min=120, max_part_time_share=0.5, shrinkage=0.3,
        deferred=[DeferredLoad("email", work, [min(t + deadline_h - 1, 9) for t in range(10)])] if work else [],
    )
    result = solve_schedule(problem)
    expected = _brute_force(required, work, deadline_h, [6, 4], range(0, 10, 2), 0.5, 0.3, real_time)
    assert result.paid_hours == expected
    assert result.status == "optimal"
    if with_deferred:  # the deadline binds: more hours than the covering alone
        assert expected > _brute_force(required, [], 0, [6, 4], range(0, 10, 2), 0.5, 0.3, real_time)


# ---------------------------------------------------------------------------- plan and CLI contract
def test_plan_json_contract(plan):
    data = plan.to_dict()
    queue = data["demand"]["queues"][0]
    assert {"name", "channel", "aht_s", "method", "sources"} <= set(queue)
    record = data["demand"]["intervals"][0]
    assert {"day", "start", "queue", "channel", "volume", "agents_required", "service_level", "asa_s",
            "abandon_probability", "occupancy"} <= set(record)
    sched = data["schedule"]
    assert {"interval_min", "shifts", "on_duty", "paid_hours", "peak_on_duty", "status", "gap", "solve_s"} <= set(sched)
    assert set(sched["shifts"][0]) >= {"day", "start", "hours", "agents"}
    assert set(sched["on_duty"][0]) >= {"day", "start", "required", "scheduled"}
    assert sched["paid_hours"] == sum(s["hours"] * s["agents"] for s in sched["shifts"])
    peak = sched["peak_on_duty"]
    assert peak == max(r["scheduled"] for r in sched["on_duty"])
    assert data["seats"]["agents"] == peak
    assert data["seats"]["total"] == peak + math.ceil(peak / 15)  # supervisors {ratio: 15}, growth 0


def test_schedule_cli_csv_and_time_limit(tmp_path):
    out = tmp_path / "roster.csv"
    result = CliRunner().invoke(cli, ["schedule", str(WEEK), "--format", "csv", "-o", str(out), "--time-limit", "20"])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0].startswith("kind,day,start,hours,agents,required,scheduled")
    assert any(line.startswith("shift,mon,") for line in lines) and any(line.startswith("coverage,") for line in lines)


HEADER = "day,start,queue,volume\n"
BAD_CSVS = [
    ("unknown queue", HEADER + "mon,09:00,care,10\nmon,09:00,sales,5\n", "line 3, column queue"),
    ("off-grid start", HEADER + "mon,09:10,care,10\n", "line 2, column start"),
    ("duplicate row", HEADER + "mon,09:00,care,10\nmon,09:00,care,12\n", "repeats line 2"),
    ("negative volume", HEADER + "mon,09:00,care,-3\n", "line 2, column volume"),
    ("wrong column", "day,start,queue,vol\nmon,09:00,care,10\n", "unknown column 'vol'"),
    # 2,085 days × 48 half-hours = 100,080 distinct rows: one past MAX_CSV_ROWS (100,000) is refused at line 100,002
    ("too many rows", HEADER + "".join(f"{dt.date(2020, 1, 1) + dt.timedelta(days=d)},{h // 2:02d}:{h % 2 * 30:02d},care,0\n"
                                       for d in range(2085) for h in range(48)), "line 100002: more than 100000 rows"),
]


@pytest.mark.parametrize("case,text,expected", BAD_CSVS, ids=[c[0] for c in BAD_CSVS])
def test_bad_forecast_csv_is_one_line_exit_1(tmp_path, case, text, expected):
    (tmp_path / "forecast.csv").write_text(text)
    (tmp_path / "site.yaml").write_text(
        "name: t\ndemand:\n  forecast_file: forecast.csv\n  schedule: {shift_hours: [4]}\n  queues:\n"
        "    - {name: care, channel: voice, aht_s: 240}\n")
    result = CliRunner().invoke(cli, ["schedule", str(tmp_path / "site.yaml")])
    assert result.exit_code == 1, (case, result.output)
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message
    assert "forecast.csv" in message and expected in message, message


def test_small_week_sizes_with_json(tmp_path):
    (tmp_path / "forecast.csv").write_text(HEADER + "".join(f"mon,{h:02d}:00,care,{v}\n" for h, v in
                                                             zip(range(8, 16), (20, 60, 90, 80, 40, 70, 50, 20))))
    (tmp_path / "site.yaml").write_text(
        "name: t\ndemand:\n  interval_min: 60\n  forecast_file: forecast.csv\n  schedule: {shift_hours: [8, 4]}\n"
        "  queues:\n    - {name: care, channel: voice, aht_s: 240}\n")
    result = CliRunner().invoke(cli, ["size", str(tmp_path / "site.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schedule"]["status"] == "optimal"
    assert len(data["demand"]["intervals"]) == 8


def test_report_has_heatmap_coverage_roster_and_sla(plan, tmp_path):
    from ccinfra.report.render import make_report

    html = make_report(WEEK, "html", str(tmp_path / "r.html"), generated="2026-01-01T00:00:00Z")
    assert html.count('class="chart heatmap"') == 1
    assert html.count('class="chart coverage"') == len(plan.demand.days) == 7
    assert html.count('class="heat"') == len(plan.schedule.on_duty)
    assert "concurrency factors" in html and "approximation" in html
    md = make_report(WEEK, "md", str(tmp_path / "r.md"), generated="2026-01-01T00:00:00Z")
    roster = [line for line in md.splitlines() if line.startswith(("| mon |", "| sat |"))]
    assert len(roster) == sum(1 for s in plan.schedule.shifts if s.day in ("mon", "sat"))
    for queue in ("care (voice)", "chat (chat)", "email (email)", "renew (outbound)"):
        assert f"### SLA of queue {queue}: met in every interval" in md
    assert "| max_abandon | 0.05 | mon 10:00 |" in md


def _site(tmp_path, csv_text: str, schedule: str, queues: str, interval: int = 60) -> Path:
    (tmp_path / "forecast.csv").write_text(csv_text)
    (tmp_path / "site.yaml").write_text(
        f"name: t\ndemand:\n  interval_min: {interval}\n  forecast_file: forecast.csv\n  schedule: {schedule}\n"
        f"  queues:\n{queues}")
    return tmp_path / "site.yaml"


def test_days_open_to_midnight_join_so_shifts_cross_it(tmp_path):
    """Two ISO dates open 00:00–24:00: the second day's 00:00–02:00 need is met by shifts from the first day."""
    rows = [f"2026-03-{d:02d},{h:02d}:00,care,{40 if h < 2 or h >= 20 else 10}\n" for d in (2, 3) for h in range(24)]
    site = _site(tmp_path, HEADER + "".join(rows), "{shift_hours: [8]}",
                 "    - {name: care, channel: voice, aht_s: 240}\n")
    s = size(load_spec(site)).schedule
    assert s.status == "optimal"
    crossing = [x for x in s.shifts if x.day == "2026-03-02" and int(x.start[:2]) + x.hours > 24]
    assert crossing, s.shifts
    assert all(r.scheduled >= r.required for r in s.on_duty)


@pytest.mark.parametrize("text,schedule,expected", [
    (HEADER + "mon,09:00,care,10\nmon,10:00,care,10\n", "{shift_hours: [4]}", "shorter than the shortest shift"),
    (HEADER + "mon,09:00,care,10\n2026-03-03,09:00,care,10\n", "{shift_hours: [4]}", "mixes weekdays and dates"),
    (HEADER + "mon,09:00,care,10\n", "{shift_hours: [4.25]}", "not a whole number of 60-minute intervals"),
])
def test_impossible_weeks_are_one_line_exit_1(tmp_path, text, schedule, expected):
    site = _site(tmp_path, text, schedule, "    - {name: care, channel: voice, aht_s: 240}\n")
    result = CliRunner().invoke(cli, ["schedule", str(site)])
    assert result.exit_code == 1 and expected in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1


def test_queue_without_rows_and_bad_queue_keys(tmp_path):
    site = _site(tmp_path, HEADER + "mon,09:00,care,10\n", "{shift_hours: [1]}",
                 "    - {name: care, channel: voice, aht_s: 240}\n    - {name: mail, channel: email, aht_s: 300}\n")
    result = CliRunner().invoke(cli, ["schedule", str(site)])
    assert result.exit_code == 1 and "queue 'mail' of demand.queues has no row" in result.output
    site = _site(tmp_path, HEADER + "mon,09:00,care,10\n", "{shift_hours: [1]}",
                 "    - {name: care, channel: outbound, aht_s: 240, dialer: predictive}\n")
    result = CliRunner().invoke(cli, ["schedule", str(site)])
    assert result.exit_code == 1 and "needs lines_per_agent" in result.output, result.output
