"""Push many devices in parallel; one device's failure is recorded in its Result and never stops the rest.

>>> summary([Result("sw1", "changed", True, lines_sent=4), Result("sw2", "rolled-back")])
{'total': 2, 'ok': 1, 'failed': 1, 'changed': 1, 'dry-run': 0, 'unchanged': 0, 'rolled-back': 1}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccinfra.errors import SpecError
from ccinfra.push.connection import Credentials, HostKeyPolicy, NetmikoPusher, Pusher, Timing
from ccinfra.push.targets import Target
from ccinfra.push.workflow import Progress, Result, _noop, default_backup_dir, push_device

DEFAULT_WORKERS = 10


@dataclass(frozen=True)
class Session:
    """How to reach devices: credentials, host-key policy and timing, shared by push and audit."""

    credentials: Credentials
    host_keys: HostKeyPolicy
    timing: Timing = Timing()

    def open(self, target: Target) -> Pusher:
        return NetmikoPusher(target, self.credentials, self.host_keys, self.timing)


def run_parallel(targets: Sequence[Target], job: Callable[[Target], Any], workers: int) -> list[Any]:
    """``job(target)`` for every target on ``workers`` threads; results in the order of ``targets``."""
    if workers < 1:
        raise SpecError(f"--workers {workers}: use 1 or more")
    if not targets:
        return []
    with ThreadPoolExecutor(max_workers=min(workers, len(targets)), thread_name_prefix="ccinfra-push") as pool:
        return list(pool.map(job, targets))


def run_push(targets: Sequence[Target], session: Session, *, commit: bool = False,
             workers: int = DEFAULT_WORKERS, backup_dir: Path | None = None,
             progress: Progress = _noop) -> list[Result]:
    """Push every target (dry run unless ``commit``) and return one Result per target, in order.

    Backups go to ``backup_dir`` (default ``./backups/<UTC date>/``).
    """
    folder = Path(backup_dir) if backup_dir is not None else default_backup_dir()

    def job(target: Target) -> Result:
        return push_device(target, session.open, commit=commit, backup_dir=folder, progress=progress)

    return run_parallel(targets, job, workers)


def summary(results: Sequence[Result]) -> dict[str, int]:
    """Counts per status, plus ``ok`` (dry-run, unchanged or changed) and ``failed`` (the rest)."""
    ok = sum(r.ok for r in results)
    counts = {"total": len(results), "ok": ok, "failed": len(results) - ok}
    for status in ("changed", "dry-run", "unchanged", "rolled-back"):
        counts[status] = sum(r.status == status for r in results)
    return counts


def results_document(results: Sequence[Result]) -> dict[str, Any]:
    """The ``--result-json`` document: ``{"devices": [{"device", "status", "lines_sent", "duration_s", "error", ...}]}``."""
    keys = ("device", "status", "changed", "lines_sent", "duration_s", "error", "backup_path")
    return {"devices": [{k: r.to_dict()[k] for k in keys} for r in results], "summary": summary(results)}
