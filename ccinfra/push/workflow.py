"""The safe push of one device: backup ▶ diff ▶ commit ▶ verify ▶ save | rollback.

netmiko's ``send_config_set`` leaves earlier lines applied when a later one fails (DESIGN.md,
provisioning facts), so nothing is trusted: every answer is checked, the running config is read
back and compared with the intended one, and only an exact match is saved (``write memory``).
Any failure applies the rollback — the hier-config remediation from whatever is running now back
to the backup — checks that the device runs the backup again, and never saves.

With a revert timer (``PushOptions.revert_minutes``, default 5; :mod:`ccinfra.push.confirmed`)
the change runs under ``configure terminal revert timer N``: verified, then ``configure confirm``,
then ``write memory``. A device without an ``archive`` first gets one, as a separate verified step
after the backup (so a rollback removes it again). On failure a pending timer is reverted at once
(``configure revert now``) and the backup verified as without one; a timer that ran out first is
reported, and nothing is saved. A device with someone else's pending timer is not touched; a
running config that changes between our backup and our confirm is a ``concurrent change``, rolled
back (before the timer: the archive IOS restores differs from the backup; after the verify: a
second read-back before ``configure confirm`` differs from the first).

Statuses: ``dry-run`` (differences shown, nothing sent), ``unchanged`` (nothing to send),
``changed`` (committed, verified, saved), ``rolled-back`` (failed, then restored to the backup),
``failed`` (could not connect, busy, ``identity mismatch`` — untouched —, or could not restore: the
error says what state the device is in), ``skipped`` (the push was interrupted before this device was
changed). Only the build's managed scope is compared, sent and rolled back, never the protected set
(:mod:`ccinfra.push.scope`); diffs and errors are redacted (:mod:`ccinfra.redact`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ccinfra.errors import (
    CommitError, ConcurrentChange, ConnectError, DeviceBusy, InterruptedPush, PushError, RevertTimerExpired, VerifyError,
)
from ccinfra.fsio import write_text_atomic
from ccinfra.push import confirmed, scope
from ccinfra.push.compare import as_text, converged, remediation_lines, to_send
from ccinfra.push.connection import Pusher
from ccinfra.push.identity import check_identity
from ccinfra.push.locks import device_lock
from ccinfra.push.targets import Target
from ccinfra.redact import redact, redact_message

STATUSES = ("dry-run", "unchanged", "changed", "rolled-back", "failed", "skipped")
OK_STATUSES = frozenset({"dry-run", "unchanged", "changed"})

# Progress reports: (device, stage) with stage one of the words below or a final status.
Progress = Callable[[str, str], None]
OpenPusher = Callable[[Target], Pusher]
Stop = Callable[[], bool]  # True once the push is asked to stop (a signal)


@dataclass(frozen=True)
class PushOptions:
    """How changes are made: revert timer minutes (0: none), lock folder (None: no lock), lock wait."""

    revert_minutes: int = confirmed.DEFAULT_REVERT_MINUTES
    lock_dir: Path | None = None
    wait_lock_s: float = 0.0


@dataclass
class Result:
    """What happened to one device (nornir's per-host result)."""

    device: str
    status: str
    changed: bool = False
    diff: str = ""
    lines_sent: int = 0
    duration_s: float = 0.0
    error: str = ""
    backup_path: str = ""
    notes: list[str] = field(default_factory=list)  # --adopt, --replace: said in the result

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["duration_s"] = round(self.duration_s, 3)
        return data


def backup_name(device: str, now: dt.datetime | None = None) -> str:
    """``<device>-<UTC timestamp>.cfg``: sortable, no credentials, no colons (portable file names).

    >>> backup_name("cc-as01", dt.datetime(2024, 3, 4, 10, 15, 30, 123456, tzinfo=dt.timezone.utc))
    'cc-as01-20240304T101530.123456Z.cfg'
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    return f"{device}-{now.astimezone(dt.timezone.utc):%Y%m%dT%H%M%S.%fZ}.cfg"


def default_backup_dir(now: dt.datetime | None = None) -> Path:
    """``./backups/<UTC date>/``."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return Path("backups") / f"{now.astimezone(dt.timezone.utc):%Y-%m-%d}"


def write_backup(backup_dir: Path, device: str, running: str) -> Path:
    # 0600: a running config holds password hashes and SNMP communities.
    return write_text_atomic(Path(backup_dir) / backup_name(device), running, mode=0o600)


def _noop(device: str, stage: str) -> None:
    return None


def _never() -> bool:
    return False


@dataclass
class _Change:
    """One device's change in progress: what the rollback needs to know."""

    target: Target
    open_pusher: OpenPusher
    pusher: Pusher
    backup: str
    result: Result
    progress: Progress
    stop: Stop
    minutes: int = 0
    timer_on: bool = False  # our revert timer may be pending on the device
    base: str = ""  # what the device ran when our timer started, as far as we know (backup [+ archive])
    intended: str = ""  # the build's config as pushed (with the archive): the scope of verify and rollback


def push_device(target: Target, open_pusher: OpenPusher, *, commit: bool, backup_dir: Path,
                progress: Progress = _noop, options: PushOptions | None = None, stop: Stop = _never) -> Result:
    """Push one device and say how it went; never raises for a device-side problem."""
    options = options or PushOptions()
    started = time.monotonic()
    result = Result(device=target.device, status="failed")
    if stop():
        return _skipped(result, "interrupted before it started; not touched", progress)
    try:
        if commit and options.lock_dir is not None:
            with device_lock(options.lock_dir, target.device, options.wait_lock_s, give_up=stop):
                _connect_and_push(target, open_pusher, commit, backup_dir, progress, options, stop, result)
        else:
            _connect_and_push(target, open_pusher, commit, backup_dir, progress, options, stop, result)
    except DeviceBusy as err:
        if stop() and result.status == "failed" and not result.backup_path:
            result.status, err = "skipped", DeviceBusy(f"{target.device}: interrupted while waiting for its lock; "
                                                       f"not touched")
        result.error = str(err)
    result.error = redact_message(result.error)
    result.duration_s = time.monotonic() - started
    progress(target.device, result.status)
    return result


def _skipped(result: Result, why: str, progress: Progress) -> Result:
    result.status, result.error = "skipped", f"{result.device}: {why}"
    progress(result.device, result.status)
    return result


def _connect_and_push(target: Target, open_pusher: OpenPusher, commit: bool, backup_dir: Path,
                      progress: Progress, options: PushOptions, stop: Stop, result: Result) -> None:
    pusher = open_pusher(target)
    try:
        progress(target.device, "connecting")
        pusher.connect()
        progress(target.device, "backing up")
        backup = pusher.get_running()
        # The right device (ccinfra.push.identity) before anything is written or compared.
        result.notes += scope.mode_notes(check_identity(target.device, pusher.prompt_hostname(), backup,
                                                        target.adopt), target.replace)
        result.backup_path = str(write_backup(backup_dir, target.device, backup))
        intended = target.intended_config()
        if options.revert_minutes:
            intended = confirmed.with_archive(intended, backup)  # the timer needs it: never remove it
        # Only what the build manages, never the protected set (ccinfra.push.scope).
        changes = scope.remediation(backup, intended, target.replace)
        lines, result.diff = to_send(changes), redact(as_text(changes))
        if not lines:
            result.status = "unchanged"
        elif not commit:
            result.status = "dry-run"
        elif stop():
            result.status, result.error = "skipped", f"{target.device}: interrupted before any change; not touched"
        else:
            change = _Change(target, open_pusher, pusher, backup, result, progress, stop, options.revert_minutes,
                             base=backup, intended=intended)
            _commit(change, intended, lines)
            pusher = change.pusher
    except PushError as err:
        result.error = str(err)
    except Exception as err:  # a bug or an unparsable config must not abort the other devices
        result.error = f"{target.device}: unexpected {type(err).__name__}: {err}"
    finally:
        result.lines_sent += pusher.lines_sent
        pusher.close()


def _commit(change: _Change, intended: str, lines: list[str]) -> None:
    """Send under the revert timer, verify, confirm, save; on any failure roll back."""
    target, progress = change.target, change.progress
    if change.minutes:
        answer = change.pusher.exec_command(confirmed.SHOW_TIMER)
        if "% Invalid input" in answer:
            raise CommitError(f"{target.device}: the device does not know `{confirmed.SHOW_TIMER}` (no Configuration "
                              f"Rollback Confirmed Change in this IOS); push it with --revert-minutes 0")
        fields = confirmed.pending_timer(answer)
        if fields is not None:
            raise DeviceBusy(f"{target.device}: someone else's revert timer is pending "
                             f"({confirmed.describe_timer(fields)}); not touched")
    try:
        if change.minutes and not confirmed.has_archive(change.backup):
            intended, lines = _add_archive(change, intended)
        if change.minutes:
            progress(target.device, "starting revert timer")
            change.pusher.start_revert_timer(change.minutes)
            change.timer_on = True
        progress(target.device, "sending")
        change.pusher.send_config(lines, stop=change.stop)
        progress(target.device, "verifying")
        verified = change.pusher.get_running()
        left = scope.remediation_lines(verified, intended, target.replace)
        if left:
            raise VerifyError(f"{target.device}: after the commit {len(left)} line(s) still differ from the "
                              f"intended config, first {left[0].strip()!r}")
        if change.minutes:
            _confirm(change, verified)
        progress(target.device, "saving")
        change.pusher.save()
    except Exception as err:  # whatever failed after lines may have been applied: restore
        if not isinstance(err, PushError):
            err = PushError(f"{target.device}: unexpected {type(err).__name__}: {err}")
        progress(target.device, "rolling back")
        _rollback(change, err)
        return
    change.result.status, change.result.changed = "changed", True


def _add_archive(change: _Change, intended: str) -> tuple[str, list[str]]:
    """The separate, verified step that gives the device an archive (the timer needs one)."""
    change.progress(change.target.device, "adding archive")
    wanted = confirmed.archive_config(change.backup)
    change.pusher.send_config(remediation_lines(change.backup, wanted), stop=change.stop)
    running = change.pusher.get_running()
    if not confirmed.has_archive(running):
        raise VerifyError(f"{change.target.device}: the archive section (needed by the revert timer) "
                          f"is not in the running config after adding it")
    intended = change.intended = confirmed.with_archive(intended, running)
    change.base = running
    return intended, scope.remediation_lines(running, intended, change.target.replace)


def _confirm(change: _Change, verified: str) -> None:
    """``configure confirm`` unless someone changed the config since our verify or the timer ran out."""
    device = change.target.device
    change.progress(device, "confirming")
    running = change.pusher.get_running()
    if not converged(running, verified):  # as hier-config compares: "!" comments aside
        raise ConcurrentChange(f"{device}: concurrent change: the running config changed between our verify "
                               f"and our confirm (someone else is configuring the device)")
    replace = change.target.replace
    if scope.unmanaged_lines(running, change.intended, replace) != scope.unmanaged_lines(change.base, change.intended,
                                                                                      replace):
        raise ConcurrentChange(f"{device}: concurrent change: the running config changed between our backup and "
                               f"our confirm, outside the lines this build manages (someone else is configuring "
                               f"the device)")
    answer = change.pusher.exec_command(confirmed.CONFIRM)
    if confirmed.NO_PENDING in answer:
        raise RevertTimerExpired(f"{device}: the revert timer ({change.minutes} min) ran out before "
                                 f"`configure confirm`: the device restored its archived config by itself")
    change.timer_on = False


def _rollback(change: _Change, cause: PushError) -> None:
    """Bring the device back to the backup (revert timer first, reconnecting once if needed); never save."""
    result, device = change.result, change.target.device
    try:
        pusher = change.pusher
        try:
            running = _revert_timer(change, cause) if change.timer_on else pusher.get_running()
        except ConnectError:
            result.lines_sent += pusher.lines_sent
            pusher.close()
            pusher = change.pusher = change.open_pusher(change.target)
            pusher.connect()
            running = _revert_timer(change, cause) if change.timer_on else pusher.get_running()
        replace = change.target.replace
        pusher.send_config(scope.rollback_lines(running, change.backup, change.intended, replace))
        if not scope.converged(pusher.get_running(), change.backup, change.intended, replace):
            raise VerifyError(f"{device}: the running config still differs from the backup after the rollback")
    except Exception as err:
        result.status = "failed"
        result.error = (f"{cause} — rollback FAILED ({err}); not saved, the device may run a mix of "
                        f"old and new lines: compare with {result.backup_path}")
        return
    result.status = "rolled-back"
    result.error = f"{cause} — rolled back to the backup, not saved"


def _revert_timer(change: _Change, cause: PushError) -> str:
    """``configure revert now`` when our timer is still pending (a timer that ran out did it itself).

    Returns the running config afterwards: the archive IOS took when our timer started. If it is
    not what we backed up, someone changed the device between our backup and our timer.
    """
    pusher = change.pusher
    if confirmed.pending_timer(pusher.exec_command(confirmed.SHOW_TIMER)) is not None:
        pusher.exec_command(confirmed.REVERT_NOW)
    elif not isinstance(cause, RevertTimerExpired):
        cause.args = (f"{cause} (meanwhile the revert timer ran out and the device restored its archive)",)
    change.timer_on = False
    running = pusher.get_running()
    if not isinstance(cause, ConcurrentChange) and not converged(running, change.base):
        cause.args = (f"{change.target.device}: concurrent change: the running config changed between our "
                      f"backup and our revert timer (someone else is configuring the device); {cause}",)
    return running
