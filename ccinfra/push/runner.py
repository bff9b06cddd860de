"""Push many devices in parallel; one device's failure is recorded in its Result and never stops the rest.

Threads overlap the waiting (a device answers each line in milliseconds; netmiko polls every
10 ms), but netmiko and paramiko spend about 0.8 ms of CPU per config line under one GIL. For
large fleets the devices are therefore split over a few worker processes, each with its own
threads — Ansible's "forks" idea, measured in bench/push.py.

>>> summary([Result("sw1", "changed", True, lines_sent=4), Result("sw2", "rolled-back")])
{'total': 2, 'ok': 1, 'failed': 1, 'changed': 1, 'dry-run': 0, 'unchanged': 0, 'rolled-back': 1, 'skipped': 0}
>>> auto_processes(devices=50, cpus=2), auto_processes(devices=10, cpus=8)
(2, 1)
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccinfra.errors import SpecError
from ccinfra.push.connection import Credentials, HostKeyPolicy, NetmikoPusher, Pusher, Timing
from ccinfra.push.targets import Target
from ccinfra.push.workflow import (
    Progress, PushOptions, Result, Stop, _never, _noop, default_backup_dir, push_device,
)

DEFAULT_WORKERS = 10
DEVICES_PER_PROCESS = 25  # below this one GIL keeps up with the devices (bench/push.py); a spawned process costs ~0.5 s
PARENT_POLL_S = 0.2  # how often a worker process checks that its parent is alive


@dataclass(frozen=True)
class Session:
    """How to reach devices: credentials, host-key policy and timing, shared by push and audit."""

    credentials: Credentials
    host_keys: HostKeyPolicy
    timing: Timing = Timing()

    def open(self, target: Target) -> Pusher:
        return NetmikoPusher(target, self.credentials, self.host_keys, self.timing)


def auto_processes(devices: int, cpus: int | None = None) -> int:
    """One process per ``DEVICES_PER_PROCESS`` devices, at most one per CPU."""
    cpus = cpus or os.cpu_count() or 1
    return max(1, min(cpus, math.ceil(devices / DEVICES_PER_PROCESS)))


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
             progress: Progress = _noop, processes: int = 1, options: PushOptions | None = None,
             stop: Stop = _never) -> list[Result]:
    """Push every target (dry run unless ``commit``) and return one Result per target, in order.

    ``workers`` devices are handled at once in all; with ``processes`` > 1 they are spread over
    that many worker processes. Backups go to ``backup_dir`` (default ``./backups/<UTC date>/``).
    ``options``: revert timer and locks (:class:`PushOptions`). Once ``stop()`` says True no new
    device starts (``skipped``) and devices in flight are brought to a whole state.
    """
    folder = Path(backup_dir) if backup_dir is not None else default_backup_dir()
    options = options or PushOptions()
    if processes < 1:
        raise SpecError(f"--processes {processes}: use 1 or more")
    if processes > 1 and len(targets) > 1:
        return _run_in_processes(targets, session, commit, workers, folder, progress, processes, options, stop)

    def job(target: Target) -> Result:
        return push_device(target, session.open, commit=commit, backup_dir=folder, progress=progress,
                           options=options, stop=stop)

    return run_parallel(targets, job, workers)


# --- worker processes -------------------------------------------------------------------------
_events: Any = None  # the progress queue, in a worker process
_stop_event: Any = None  # set by the parent when the push is asked to stop
_stop_here = threading.Event()  # set by a SIGTERM sent to the worker itself


def _init_worker(events: Any, stop_event: Any, parent_pid: int) -> None:
    """In each worker process: progress queue, stop flag, signals, and a watch on the parent.

    Ctrl-C reaches the whole process group: the parent alone decides (it sets the stop flag), so
    workers ignore SIGINT and SIGHUP; SIGTERM to a worker stops it like a stop flag. A worker
    whose parent is gone (SIGKILL, a second signal) exits at once and never outlives it: the
    devices it was changing are restored by their revert timers.
    """
    global _events, _stop_event
    _events, _stop_event = events, stop_event
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: _stop_here.set())
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="ccinfra-parent-watch", daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_S)
    os._exit(1)


def _worker_stop() -> bool:
    return _stop_here.is_set() or _stop_event.is_set()


def _report(device: str, stage: str) -> None:
    _events.put((device, stage))


def _push_chunk(targets: list[Target], session: Session, commit: bool, workers: int, folder: Path,
                options: PushOptions) -> list[Result]:
    return run_push(targets, session, commit=commit, workers=workers, backup_dir=folder, progress=_report,
                    options=options, stop=_worker_stop)


def _forward_stop(stop: Stop, stop_event: Any, done: threading.Event) -> None:
    """Parent side: set the workers' stop flag once ``stop()`` says so."""
    while not done.wait(0.1):
        if stop():
            stop_event.set()
            return


def _pump(events: Any, progress: Progress) -> None:
    """Parent side: hand the workers' progress events to ``progress`` until the None sentinel."""
    for event in iter(events.get, None):
        progress(*event)


def start_method() -> str:
    """``fork`` while this process runs no other thread, else ``spawn``.

    A forked worker starts in milliseconds with netmiko, paramiko and hier-config already imported;
    a spawned one starts a new interpreter and imports them again (0.5–0.8 s, which a re-push with
    nothing to change would otherwise spend waiting). Fork is only safe with one thread: a forked
    child inherits the locks other threads hold (a progress display, a lab), locked for ever.
    """
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def _run_in_processes(targets: Sequence[Target], session: Session, commit: bool, workers: int, folder: Path,
                      progress: Progress, processes: int, options: PushOptions, stop: Stop) -> list[Result]:
    processes = min(processes, len(targets))
    chunks = [list(targets[index::processes]) for index in range(processes)]
    threads = max(1, math.ceil(workers / processes))
    context = multiprocessing.get_context(start_method())
    events, stop_event, done = context.Queue(), context.Event(), threading.Event()
    pump = threading.Thread(target=_pump, args=(events, progress), name="ccinfra-push-progress", daemon=True)
    forward = threading.Thread(target=_forward_stop, args=(stop, stop_event, done), name="ccinfra-push-stop",
                               daemon=True)
    results: dict[str, Result] = {}
    try:
        with ProcessPoolExecutor(processes, mp_context=context, initializer=_init_worker,
                                 initargs=(events, stop_event, os.getpid())) as pool:
            # With fork the pool forks all its workers at the first submit, before it starts its own
            # thread; the progress pump starts after that, so the children inherit no thread's lock.
            futures = [pool.submit(_push_chunk, chunk, session, commit, threads, folder, options) for chunk in chunks]
            pump.start()
            forward.start()
            for chunk, future in zip(chunks, futures):
                try:
                    results.update((r.device, r) for r in future.result())
                except BrokenProcessPool as err:
                    # The process died (killed, out of memory): its devices' state is unknown.
                    results.update((t.device, Result(t.device, "failed", error=(
                        f"{t.device}: the worker process pushing it died ({err}); the device may be half "
                        f"configured and was not saved: check it with `ccinfra audit drift`"))) for t in chunk)
    finally:
        done.set()
        if pump.ident is not None:
            events.put(None)
            pump.join()
    return [results[t.device] for t in targets]


def summary(results: Sequence[Result]) -> dict[str, int]:
    """Counts per status, plus ``ok`` (dry-run, unchanged or changed) and ``failed`` (the rest, skipped included)."""
    ok = sum(r.ok for r in results)
    counts = {"total": len(results), "ok": ok, "failed": len(results) - ok}
    for status in ("changed", "dry-run", "unchanged", "rolled-back", "skipped"):
        counts[status] = sum(r.status == status for r in results)
    return counts


def results_document(results: Sequence[Result]) -> dict[str, Any]:
    """The ``--result-json`` document: ``{"devices": [{"device", "status", "lines_sent", "duration_s", "error", ...}]}``."""
    keys = ("device", "status", "changed", "lines_sent", "duration_s", "error", "backup_path", "notes")
    return {"devices": [{k: r.to_dict()[k] for k in keys} for r in results], "summary": summary(results)}
