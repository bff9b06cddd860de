"""Benchmark: a week of intervals — ccinfra vs pyworkforce 0.5.1.

Run from the repository root with the project environment:

    .venv/bin/python bench/schedule.py

(1) Per-interval staffing of examples/week (all four queues: Erlang A voice with every target, chat,
    outbound, email; ``week.staff_intervals``, a queue's intervals at once, the arrays the plan is built
    from) against pyworkforce's ``ErlangC(...).required_positions`` called once per voice and chat interval
    (Erlang C only: it has no Erlang A). Best of 5 rounds; the scalar engine's cache (used for near-tie
    intervals) is cleared before each round. Neither side's timing includes building records.
(2) The shift schedule of a 7-day × 96 quarter-hour week (24 h days, a synthetic intraday curve), shifts of
    8, 6 and 4 hours starting every 15 minutes inside each day, against pyworkforce's
    ``MinRequiredResources`` (OR-Tools CP-SAT, 2 workers) with costs equal to the shift hours so that both
    minimise paid hours. Both get the same shifts (no shift runs past midnight) and no part-time cap, so
    both optimise over the same set of rosters; each is timed once, in its own process for pyworkforce.

pyworkforce is NOT a ccinfra dependency: it lives in bench/.venv-pyworkforce (gitignored), created with
``pip install pyworkforce`` on the first run (bench/staffing.py's helper; the version used is printed). The last line is ``ratio=<pyworkforce time ÷ ccinfra
time>`` for (2); the lines before it give the ratios for (1): all queues as the plan sizes them, and
like for like (ccinfra's Erlang C on exactly pyworkforce's cases: ``erlang_batch.staff_erlang_c``, all in one
call; the one-call-a-case engine ``required_agents`` is printed beside it).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from ccinfra.sizing import demand as dm
from ccinfra.sizing import erlang_kernel
from ccinfra.sizing.erlang import required_agents
from ccinfra.sizing.erlang_batch import staff_erlang_c
from ccinfra.sizing.schedule import ScheduleProblem, solve_schedule
from ccinfra.sizing.week import interval_records, queue_inputs, staff_intervals
from ccinfra.spec import load_spec

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from staffing import VENV_PYTHON, ensure_pyworkforce  # noqa: E402  (the same side virtualenv)

DAYS, PERIODS, SLOT_MIN = 7, 96, 15
SHIFT_HOURS = (8, 6, 4)

PYWORKFORCE_PROBE = r"""
import json, sys, time
job = json.loads(sys.stdin.read())
out = {}
from importlib.metadata import version
from pyworkforce.queuing import ErlangC
from pyworkforce.scheduling import MinRequiredResources
out["version"] = version("pyworkforce")
best = None
for _ in range(5):
    began = time.perf_counter()
    agents = [ErlangC(transactions=c["calls"], aht=c["aht_min"], asa=c["target_min"], interval=c["interval_min"])
              .required_positions(service_level=c["sl"], max_occupancy=c["occ"])["raw_positions"] for c in job["cases"]]
    spent = time.perf_counter() - began
    best = spent if best is None else min(best, spent)
out["erlang"] = {"seconds": best, "agents": agents}
shifts = {f"s{h}_{k}": [1 if k <= p < k + h * 4 else 0 for p in range(job["periods"])]
          for h in job["hours"] for k in range(0, job["periods"] - h * 4 + 1)}
cost = {name: int(name[1:].split("_")[0]) for name in shifts}
began = time.perf_counter()
solver = MinRequiredResources(num_days=job["days"], periods=job["periods"], shifts_coverage=shifts,
                              required_resources=job["required"], max_period_concurrency=10000,
                              max_shift_concurrency=1000, cost_dict=cost, max_search_time=job["time_limit"],
                              num_search_workers=2)
solution = solver.solve()
out["schedule"] = {"seconds": time.perf_counter() - began, "status": solution["status"], "cost": solution["cost"]}
print(json.dumps(out))
"""


def required_week() -> list[list[int]]:
    """A 24 h intraday curve per day (night floor, morning and after-lunch peaks), Monday heaviest."""
    scale = (1.25, 1.05, 1.0, 0.97, 0.93, 0.55, 0.4)
    out = []
    for factor in scale:
        day = []
        for p in range(PERIODS):
            h = p / 4 + 0.125
            load = 4 + 55 * math.exp(-((h - 10.5) / 2.0) ** 2) + 45 * math.exp(-((h - 14.5) / 2.0) ** 2) \
                + 20 * math.exp(-((h - 19.5) / 2.0) ** 2)
            day.append(math.ceil(load * factor))
        out.append(day)
    return out


def ccinfra_erlang(spec) -> tuple[float, list]:
    """Best of 5: every queue's per-interval staffing arrays (``week.staff_intervals``, what the plan uses)."""
    grid = dm.build_grid(spec.demand.forecast_rows, spec.demand.interval_min)
    inputs = queue_inputs(spec.demand, grid)
    best = math.inf
    for _ in range(5):
        dm._queue_need.cache_clear()  # the scalar engine, used for near-tie intervals only
        began = time.perf_counter()
        staff_intervals(spec.demand, inputs)
        best = min(best, time.perf_counter() - began)
    records, _ = interval_records(spec.demand, grid)
    return best, records


def ccinfra_erlang_c(cases: list[dict]) -> tuple[float, float, list[int]]:
    """ccinfra's Erlang C on pyworkforce's cases: all at once (``staff_erlang_c``, the answer-within time per
    row), and one call a case (``required_agents``, the ``ccinfra staff`` engine); best of 5 each."""
    groups: dict[tuple, list[int]] = {}
    for k, c in enumerate(cases):
        groups.setdefault((c["interval_min"], c["sl"], c["occ"]), []).append(k)
    arrays = {key: tuple(np.array([cases[k][name] * scale for k in ks], float)
                         for name, scale in (("calls", 1), ("aht_min", 60), ("target_min", 60)))
              for key, ks in groups.items()}
    batch = scalar = math.inf
    agents = [0] * len(cases)
    for _ in range(5):
        began = time.perf_counter()
        results = {key: staff_erlang_c(vol, aht, key[0] * 60, target, key[1], key[2])
                   for key, (vol, aht, target) in arrays.items()}
        batch = min(batch, time.perf_counter() - began)
        began = time.perf_counter()
        for c in cases:
            required_agents(c["calls"], c["interval_min"] * 60, c["aht_min"] * 60, c["target_min"] * 60, c["sl"],
                            max_occupancy=c["occ"])
        scalar = min(scalar, time.perf_counter() - began)
    for key, ks in groups.items():
        for k, n in zip(ks, results[key].agents.tolist()):
            agents[k] = n
    return batch, scalar, agents


def pyworkforce_cases(spec, records) -> list[dict]:
    queues = {q.name: q for q in spec.demand.queues}
    cases = []
    for r in records:
        q = queues[r.queue]
        if r.channel in ("voice", "chat") and r.volume > 0:
            aht = r.aht_s / (q.factor if r.channel == "chat" else 1)
            cases.append({"calls": r.volume, "aht_min": aht / 60, "target_min": q.answer_within_s / 60,
                          "interval_min": spec.demand.interval_min, "sl": q.service_level,
                          "occ": spec.demand.max_occupancy})
    return cases


def main() -> int:
    spec = load_spec(ROOT / "examples" / "week" / "site.yaml")
    erlang_s, records = ccinfra_erlang(spec)
    required = required_week()
    problem = ScheduleProblem(
        required=[r for day in required for r in day], real_time=[0.0] * DAYS * PERIODS,
        windows=[(d * PERIODS, (d + 1) * PERIODS) for d in range(DAYS)], shift_hours=[float(h) for h in SHIFT_HOURS],
        slot_min=SLOT_MIN, start_every_min=SLOT_MIN, time_limit_s=600)
    began = time.perf_counter()
    result = solve_schedule(problem)
    schedule_s = time.perf_counter() - began
    kernel = "compiled" if erlang_kernel.COMPILED else "PLAIN PYTHON: built without a C compiler"
    print(f"(1) per-interval staffing, examples/week: {len(records)} queue-intervals (all 4 queues; "
          f"erlang_kernel {kernel})")
    print(f"    ccinfra      {erlang_s * 1e3:9.3f} ms  (Erlang A voice with SL, ASA, abandon and occupancy targets; "
          "chat; outbound; email)")
    print(f"(2) schedule, {DAYS} days x {PERIODS} quarter-hours, shifts {SHIFT_HOURS} h every {SLOT_MIN} min")
    print(f"    ccinfra      paid hours {result.paid_hours:8.1f}  {schedule_s:8.3f} s  status {result.status}, "
          f"gap {result.gap:.2e}, LP bound {result.lp_bound:.1f}, solver {result.solve_s:.3f} s")
    error = ensure_pyworkforce()
    if error:
        print(f"pyworkforce unavailable: {error}")
        print("ratio=nan")
        return 1
    cases = pyworkforce_cases(spec, records)
    erlang_c_s, erlang_c_one_s, erlang_c_agents = ccinfra_erlang_c(cases)
    print(f"    ccinfra      {erlang_c_s * 1e3:9.3f} ms  Erlang C only, on the same {len(cases)} voice+chat cases as "
          f"pyworkforce, all in one call ({erlang_c_one_s * 1e3:.2f} ms one call a case)")
    job = {"cases": cases, "days": DAYS, "periods": PERIODS, "hours": SHIFT_HOURS,
           "required": required, "time_limit": 600.0}
    done = subprocess.run([str(VENV_PYTHON), "-c", PYWORKFORCE_PROBE], input=json.dumps(job), capture_output=True,
                          text=True)
    if done.returncode != 0:
        print(f"pyworkforce failed: {done.stderr.strip().splitlines()[-1:]}")
        print("ratio=nan")
        return 1
    pw = json.loads(done.stdout.strip().splitlines()[-1])
    er, sc = pw["erlang"], pw["schedule"]
    same = sum(a == b for a, b in zip(erlang_c_agents, er["agents"]))
    print(f"    Erlang C agents equal to pyworkforce's raw_positions in {same} of {len(cases)} cases")
    print(f"    pyworkforce {pw['version']} ErlangC on the {len(job['cases'])} voice+chat intervals: "
          f"{er['seconds'] * 1e3:9.3f} ms  (Erlang C only, SL and occupancy only)")
    print(f"    pyworkforce MinRequiredResources (CP-SAT): paid hours {sc['cost']:8.1f}  {sc['seconds']:8.3f} s  "
          f"status {sc['status']}")
    ok = result.paid_hours <= sc["cost"] + 1e-6
    print(f"ccinfra paid hours {'<=' if ok else '>'} pyworkforce's: {'ok' if ok else 'FAIL'}")
    print(f"ratio_erlang_all_queues={er['seconds'] / erlang_s:.2f} (ccinfra does Erlang A and more targets here)")
    print(f"ratio_erlang={er['seconds'] / erlang_c_s:.2f} (like for like: Erlang C, same cases)")
    print(f"ratio={sc['seconds'] / schedule_s:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
