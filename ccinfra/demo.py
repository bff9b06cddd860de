"""The embedded end-to-end run: size → render → lab twins → push (dry run, commit) → drift audit → report.

Everything stays on this machine: the twins listen on 127.0.0.1 and their credentials are made up
for this run only, held in memory and never written anywhere.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from ccinfra.audit.drift import audit_drift
from ccinfra.fsio import check_output_file, write_text_atomic
from ccinfra.lab import LabFleet
from ccinfra.lab.run import build_specs
from ccinfra.push.connection import Credentials, HostKeyPolicy
from ccinfra.push.runner import Session, run_push
from ccinfra.push.targets import load_targets
from ccinfra.render.build import render_build
from ccinfra.report.render import write_report
from ccinfra.sizing.site import size_file

Say = Callable[[str], None]


@dataclass
class DemoResult:
    """Where each artifact went, and what each stage said."""

    out_dir: Path
    artifacts: dict[str, Path] = field(default_factory=dict)
    stages: list[tuple[str, str, float]] = field(default_factory=list)  # (stage, outcome, seconds)
    ok: bool = True


def example_site() -> Path:
    """The embedded example site, found through the installed package."""
    return Path(str(files("ccinfra.examples") / "site.yaml"))


def _stage(result: DemoResult, say: Say, name: str, started: float, outcome: str, ok: bool = True) -> None:
    elapsed = time.perf_counter() - started
    result.stages.append((name, outcome, elapsed))
    result.ok = result.ok and ok
    say(f"{'ok  ' if ok else 'FAIL'} {name:<14} {outcome} ({elapsed:.1f} s)")


def run_demo(out_dir: str | Path, site: str | Path | None = None, say: Say = print) -> DemoResult:
    """Run every stage on ``site`` (default: the embedded example), writing artifacts under ``out_dir``."""
    out = Path(out_dir)
    site_path = Path(site) if site else example_site()
    result = DemoResult(out_dir=out)

    for name in ("plan.json", "report.html", "lab/hosts.yml", "lab/known_hosts"):
        check_output_file(out / name, "demo -o")  # refused before anything starts, never overwritten
    started = time.perf_counter()
    plan = size_file(str(site_path))
    plan_path = write_text_atomic(out / "plan.json", plan.model_dump_json(by_alias=True, indent=2) + "\n")
    result.artifacts["plan"] = plan_path
    _stage(result, say, "size", started, f"{plan.seats.total} seats, {plan.network.switch_count} switches, "
                                         f"{plan.trunks.channels} trunk channels")

    started = time.perf_counter()
    build_dir = out / "build"
    build = render_build(plan, build_dir)
    result.artifacts["build"] = build_dir
    _stage(result, say, "render", started, f"{len(build.files)} files, checked")

    credentials = Credentials("demo", secrets.token_urlsafe(16), secrets.token_urlsafe(16))
    started = time.perf_counter()
    with LabFleet(build_specs(build_dir), username=credentials.username, password=credentials.password,
                  secret=credentials.secret) as fleet:
        lab_dir = out / "lab"
        inventory = lab_dir / "hosts.yml"
        fleet.write_inventory(inventory, build_dir=build_dir)
        result.artifacts["inventory"] = inventory
        _stage(result, say, "lab", started, f"{len(fleet)} twins on 127.0.0.1")
        session = Session(credentials, HostKeyPolicy(known_hosts=lab_dir / "known_hosts"))
        targets = load_targets(build_dir, inventory)
        # dry run, commit, then the same commit again: it must find nothing to change (idempotent)
        for stage, commit, expect in (("push (dry run)", False, None), ("push --commit", True, None),
                                      ("push again", True, "unchanged")):
            started = time.perf_counter()
            results = run_push(targets, session, commit=commit, workers=len(targets), backup_dir=out / "backups")
            counts: dict[str, int] = {}
            for r in results:
                counts[r.status] = counts.get(r.status, 0) + 1
            failed = [f"{r.device}: {r.error or r.status}" for r in results
                      if not r.ok or (expect and r.status != expect)]
            outcome = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
            lines = sum(r.lines_sent for r in results)
            _stage(result, say, stage, started, f"{outcome}, {lines} lines sent" + (f"; {failed[0]}" if failed else ""),
                   ok=not failed)
        result.artifacts["backups"] = out / "backups"
        started = time.perf_counter()
        drift = audit_drift(targets, session, workers=len(targets))
        drifted = [d.device for d in drift if not d.ok]
        _stage(result, say, "audit drift", started,
               f"{len(drift) - len(drifted)} clean" + (f", drifted: {', '.join(drifted)}" if drifted else ""),
               ok=not drifted)

    started = time.perf_counter()
    report = write_report(site_path, out / "report.html", "html")
    result.artifacts["report"] = report
    _stage(result, say, "report", started, f"{report.stat().st_size // 1024} KiB, self-contained HTML")
    return result


__all__ = ["DemoResult", "run_demo", "example_site"]
