"""The safe push of one device: backup ▶ diff ▶ commit ▶ verify ▶ save | rollback.

netmiko's ``send_config_set`` leaves earlier lines applied when a later one fails (DESIGN.md,
provisioning facts), so nothing is trusted: every answer is checked, the running config is read
back and compared with the intended one, and only an exact match is saved (``write memory``).
Any failure applies the rollback — the hier-config remediation from whatever is running now back
to the backup — checks that the device runs the backup again, and never saves.

Statuses: ``dry-run`` (differences shown, nothing sent), ``unchanged`` (nothing to send),
``changed`` (committed, verified, saved), ``rolled-back`` (failed, then restored to the backup),
``failed`` (could not connect, ``identity mismatch`` — untouched —, or could not restore: the error says
what state the device is in). Only the build's managed scope is compared and sent, never the
protected set (:mod:`ccinfra.push.scope`); diffs and errors are redacted (:mod:`ccinfra.redact`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ccinfra.errors import ConnectError, PushError, VerifyError
from ccinfra.fsio import write_text_atomic
from ccinfra.push import scope
from ccinfra.push.compare import as_text, to_send
from ccinfra.push.connection import Pusher
from ccinfra.push.identity import check_identity
from ccinfra.push.targets import Target
from ccinfra.redact import redact, redact_message

STATUSES = ("dry-run", "unchanged", "changed", "rolled-back", "failed")
OK_STATUSES = frozenset({"dry-run", "unchanged", "changed"})

# Progress reports: (device, stage) with stage one of the words below or a final status.
Progress = Callable[[str, str], None]
OpenPusher = Callable[[Target], Pusher]


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


def push_device(target: Target, open_pusher: OpenPusher, *, commit: bool, backup_dir: Path,
                progress: Progress = _noop) -> Result:
    """Push one device and say how it went; never raises for a device-side problem."""
    started = time.monotonic()
    result = Result(device=target.device, status="failed")
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
        # Only what the build manages, never the protected set (ccinfra.push.scope).
        changes = scope.remediation(backup, intended, target.replace)
        lines, result.diff = to_send(changes), redact(as_text(changes))
        if not lines:
            result.status = "unchanged"
        elif not commit:
            result.status = "dry-run"
        else:
            pusher = _commit(target, pusher, open_pusher, backup, intended, lines, result, progress)
    except PushError as err:
        result.error = str(err)
    except Exception as err:  # a bug or an unparsable config must not abort the other devices
        result.error = f"{target.device}: unexpected {type(err).__name__}: {err}"
    finally:
        result.lines_sent += pusher.lines_sent
        pusher.close()
        result.error = redact_message(result.error)
        result.duration_s = time.monotonic() - started
    progress(target.device, result.status)
    return result


def _commit(target: Target, pusher: Pusher, open_pusher: OpenPusher, backup: str, intended: str,
            lines: list[str], result: Result, progress: Progress) -> Pusher:
    """Send, verify, save; on any failure roll back. Returns the session in use at the end."""
    try:
        progress(target.device, "sending")
        pusher.send_config(lines)
        progress(target.device, "verifying")
        left = scope.remediation_lines(pusher.get_running(), intended, target.replace)
        if left:
            raise VerifyError(f"{target.device}: after the commit {len(left)} line(s) still differ from the "
                              f"intended config, first {left[0].strip()!r}")
        progress(target.device, "saving")
        pusher.save()
    except Exception as err:  # whatever failed after lines may have been applied: restore
        if not isinstance(err, PushError):
            err = PushError(f"{target.device}: unexpected {type(err).__name__}: {err}")
        progress(target.device, "rolling back")
        return _rollback(target, pusher, open_pusher, backup, err, result)
    result.status, result.changed = "changed", True
    return pusher


def _rollback(target: Target, pusher: Pusher, open_pusher: OpenPusher, backup: str, cause: PushError,
              result: Result) -> Pusher:
    """Bring the device back to ``backup`` (reconnecting once if the session is gone); never save."""
    try:
        try:
            running = pusher.get_running()
        except ConnectError:
            result.lines_sent += pusher.lines_sent
            pusher.close()
            pusher = open_pusher(target)
            pusher.connect()
            running = pusher.get_running()
        intended = target.intended_config()
        pusher.send_config(scope.rollback_lines(running, backup, intended, target.replace))
        after = pusher.get_running()
        if not scope.converged(after, backup, intended, target.replace):
            raise VerifyError(f"{target.device}: the running config still differs from the backup "
                              f"after the rollback")
    except Exception as err:
        result.status = "failed"
        result.error = (f"{cause} — rollback FAILED ({err}); not saved, the device may run a mix of "
                        f"old and new lines: compare with {result.backup_path}")
        return pusher
    result.status, result.error = "rolled-back", f"{cause} — rolled back to the backup, not saved"
    return pusher
