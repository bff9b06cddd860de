"""Benchmark: minimum agents (Erlang C) at 1,000 E and 10,000 E — ccinfra vs pyworkforce.

Run from the repository root with the project environment:

    .venv/bin/python bench/staffing.py

Inputs (both tools, both sizes): AHT 180 s, interval 30 min, answer target 20 s, service level
80 %, no occupancy cap, no shrinkage. A = 1,000 E is 10,000 calls per 30 min; A = 10,000 E is
100,000 calls. pyworkforce takes minutes: aht=3, asa=20/60 (its "asa" is the answer target),
interval=30.

pyworkforce is NOT a ccinfra dependency. It lives in bench/.venv-pyworkforce (gitignored),
created with ``pip install pyworkforce`` on the first run, and is timed inside its own process.
Each tool's time per call is the best of 5 rounds of repeated calls. Whether the two answers
agree is checked against exact arithmetic (mpmath, 40 digits, the textbook series
Σ A^k/k!): the right answer N has SL(N) ≥ 80 % and SL(N − 1) < 80 %.
The last line is ``ratio=<pyworkforce time ÷ ccinfra time>`` (the smaller of the two sizes).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import timeit
from pathlib import Path

import mpmath

from ccinfra.sizing.erlang import required_agents

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-pyworkforce"
VENV_PYTHON = VENV / "bin" / "python"

AHT_S, INTERVAL_S, TARGET_S, SL_TARGET = 180.0, 1800.0, 20.0, 0.8
SIZES_ERLANG = (1_000, 10_000)

# Runs inside bench/.venv-pyworkforce: times ErlangC(...).required_positions(...) in that process.
PYWORKFORCE_PROBE = r"""
import json, sys, timeit
cases = json.loads(sys.argv[1])
out = {}
try:
    from importlib.metadata import version
    from pyworkforce.queuing import ErlangC
    out["version"] = version("pyworkforce")
except Exception as exc:  # reported, not raised: the bench prints what happened
    print(json.dumps({"error": f"import failed: {exc!r}"}))
    sys.exit(0)
for case in cases:
    def run():
        return ErlangC(transactions=case["calls"], aht=case["aht_min"], asa=case["target_min"],
                       interval=case["interval_min"]).required_positions(service_level=case["sl"], max_occupancy=1.0)
    try:
        result = run()
        timer = timeit.Timer(run)
        number, _ = timer.autorange()
        best = min(timer.repeat(repeat=5, number=number)) / number
        out[str(case["erlang"])] = {"agents": result["raw_positions"], "service_level": result["service_level"],
                                    "seconds": best}
    except Exception as exc:  # e.g. an overflow at large traffic: reported honestly
        out[str(case["erlang"])] = {"error": f"{type(exc).__name__}: {exc}"}
print(json.dumps(out))
"""


def ensure_pyworkforce() -> str | None:
    """Create bench/.venv-pyworkforce with pyworkforce on first use; return an error text or None."""
    if VENV_PYTHON.exists():
        check = subprocess.run([str(VENV_PYTHON), "-c", "import pyworkforce"], capture_output=True, text=True)
        if check.returncode == 0:
            return None
    print(f"creating {VENV.relative_to(HERE.parent)} and installing pyworkforce (first run only) ...", flush=True)
    steps = [[sys.executable, "-m", "venv", str(VENV)], [str(VENV_PYTHON), "-m", "pip", "install", "-q", "pyworkforce"]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            return f"{' '.join(step[-3:])} failed: {done.stderr.strip().splitlines()[-1:]}"
    return None


def time_ccinfra(calls: float) -> tuple[int, float, float]:
    def run():
        return required_agents(calls, INTERVAL_S, AHT_S, TARGET_S, SL_TARGET)

    result = run()
    timer = timeit.Timer(run)
    number, _ = timer.autorange()
    return result.agents, result.service_level, min(timer.repeat(repeat=5, number=number)) / number


def exact_service_level(traffic: float, agents: int) -> mpmath.mpf:
    """Erlang C service level from the textbook series, 40 significant digits."""
    with mpmath.workdps(40):
        a = mpmath.mpf(traffic)
        if agents <= a:
            return mpmath.mpf(0)
        term = total = mpmath.mpf(1)
        for k in range(1, agents + 1):
            term = term * a / k  # A^k / k!
            total += term
        b = term / total
        c = agents * b / (agents - a * (1 - b))
        return 1 - c * mpmath.exp(-(agents - a) * TARGET_S / AHT_S)


def is_minimal(traffic: float, agents: int) -> bool:
    return exact_service_level(traffic, agents) >= SL_TARGET > exact_service_level(traffic, agents - 1)


def main() -> int:
    print(f"inputs: AHT {AHT_S:.0f} s, interval {INTERVAL_S / 60:.0f} min, target {TARGET_S:.0f} s, "
          f"service level {SL_TARGET:.0%}, Erlang C, no occupancy cap, no shrinkage")
    cases = [
        {"erlang": a, "calls": a * INTERVAL_S / AHT_S, "aht_min": AHT_S / 60, "target_min": TARGET_S / 60,
         "interval_min": INTERVAL_S / 60, "sl": SL_TARGET}
        for a in SIZES_ERLANG
    ]
    problem = ensure_pyworkforce()
    theirs: dict = {"error": problem} if problem else {}
    if not problem:
        probe = subprocess.run([str(VENV_PYTHON), "-c", PYWORKFORCE_PROBE, json.dumps(cases)],
                               capture_output=True, text=True, timeout=1800)
        try:
            theirs = json.loads(probe.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            theirs = {"error": f"pyworkforce probe failed: {probe.stderr.strip()[-300:]}"}
    if "version" in theirs:
        print(f"pyworkforce {theirs['version']} in {VENV.relative_to(HERE.parent)}")

    ratios = []
    for case in cases:
        traffic = float(case["erlang"])
        agents, sl, seconds = time_ccinfra(case["calls"])
        print(f"\nA = {case['erlang']:,} E ({case['calls']:,.0f} calls / 30 min)")
        print(f"  ccinfra      agents {agents:>6}  SL {sl:.6f}  {seconds * 1e6:10.1f} µs per call")
        other = theirs.get(str(case["erlang"]), {"error": theirs.get("error", "no result")})
        if "error" in other:
            print(f"  pyworkforce  FAILED: {other['error']}")
            continue
        print(f"  pyworkforce  agents {other['agents']:>6}  SL {other['service_level']:.6f}  "
              f"{other['seconds'] * 1e6:10.1f} µs per call")
        exact_ours, exact_theirs = is_minimal(traffic, agents), is_minimal(traffic, other["agents"])
        if agents == other["agents"]:
            print(f"  agree: {agents} agents; exact arithmetic (mpmath) confirms it is the minimum: {exact_ours}")
        else:
            print(f"  DISAGREE: ccinfra {agents}, pyworkforce {other['agents']}")
            for name, n in (("ccinfra", agents), ("pyworkforce", other["agents"])):
                print(f"    exact SL({n - 1}) = {mpmath.nstr(exact_service_level(traffic, n - 1), 8)}, "
                      f"SL({n}) = {mpmath.nstr(exact_service_level(traffic, n), 8)} → {name} "
                      f"{'right' if is_minimal(traffic, n) else 'wrong'}")
        print(f"  speed-up: {other['seconds'] / seconds:.1f}×")
        ratios.append(other["seconds"] / seconds)
    print()
    print(f"ratio={min(ratios):.1f}" if ratios else "ratio=nan")
    return 0


if __name__ == "__main__":
    sys.exit(main())
