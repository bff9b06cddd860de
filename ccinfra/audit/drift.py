"""Config drift: what each device runs compared with what the build says it should run.

Read-only: the audit connects, reads ``show running-config`` and disconnects; it never enters
configuration mode. The connection and the comparison are the push's own
(``ccinfra.push.connection``, ``ccinfra.push.compare``), so a device the audit calls clean is one a
push would report ``unchanged``.

Only the managed scope is drift (``ccinfra.push.scope``): running lines outside what the build
renders — local accounts, AAA, SNMP, routes added out of band — are listed as ``unmanaged`` and
leave a device ``clean``. Every line is redacted (``ccinfra.redact``): no hash or community is printed.

>>> d = DeviceDrift("sw1", "drifted", missing=["vlan 20", "  name VOICE"], extra=["ip domain-name x"])
>>> d.ok, d.to_dict()["missing"]
(False, ['vlan 20', '  name VOICE'])
>>> DeviceDrift("sw2", "clean", unmanaged=["aaa new-model"]).ok
True
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ccinfra.errors import PushError
from ccinfra.push.identity import check_identity
from ccinfra.push.scope import drift
from ccinfra.push.runner import DEFAULT_WORKERS, Session, run_parallel
from ccinfra.push.targets import Target
from ccinfra.redact import redact_lines, redact_message

DRIFT_STATUSES = ("clean", "drifted", "error")


@dataclass
class DeviceDrift:
    """One device: ``clean``, ``drifted`` (with the lines) or ``error`` (could not be read)."""

    device: str
    status: str
    missing: list[str] = field(default_factory=list)  # intended, not running
    extra: list[str] = field(default_factory=list)  # running, not intended
    unmanaged: list[str] = field(default_factory=list)  # running, outside the build's scope: left alone
    error: str = ""
    duration_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "clean"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["duration_s"] = round(self.duration_s, 3)
        return data


def audit_device(target: Target, session: Session) -> DeviceDrift:
    """Read one device's running config and list its missing and extra lines."""
    started = time.monotonic()
    result = DeviceDrift(target.device, "error")
    pusher = session.open(target)
    try:
        pusher.connect()
        running = pusher.get_running()
        # Another device behind this address would be "drifted" line by line: say so instead. A
        # factory-fresh one is compared (everything missing), as a push with --adopt would see it.
        check_identity(target.device, pusher.prompt_hostname(), running, adopt=True)
        missing, extra, unmanaged = drift(running, target.intended_config())
        result.missing, result.extra = redact_lines(missing), redact_lines(extra)
        result.unmanaged = redact_lines(unmanaged)
        result.status = "drifted" if result.missing or result.extra else "clean"
    except PushError as err:
        result.error = str(err)
    except Exception as err:  # one unreadable device must not stop the audit of the others
        result.error = f"{target.device}: unexpected {type(err).__name__}: {err}"
    finally:
        pusher.close()
        result.error = redact_message(result.error)
        result.duration_s = time.monotonic() - started
    return result


def audit_drift(targets: Sequence[Target], session: Session, workers: int = DEFAULT_WORKERS) -> list[DeviceDrift]:
    """Audit every target in parallel; results in the order of ``targets``."""
    return run_parallel(targets, lambda target: audit_device(target, session), workers)


def drift_document(results: Sequence[DeviceDrift]) -> dict[str, Any]:
    """``{"devices": [...], "summary": {"total", "clean", "drifted", "error"}}``."""
    counts = {"total": len(results)} | {s: sum(r.status == s for r in results) for s in DRIFT_STATUSES}
    return {"devices": [r.to_dict() for r in results], "summary": counts}


def drift_table(document: dict[str, Any]) -> str:
    """Text for people: one block per device with ``+`` missing, ``-`` extra and ``~`` unmanaged lines."""
    out = []
    for device in document["devices"]:
        head = f"{device['device']}: {device['status']}"
        if device["status"] == "drifted":
            head += f" ({len(device['missing'])} missing, {len(device['extra'])} extra line(s))"
        if device["unmanaged"]:
            head += f", {len(device['unmanaged'])} unmanaged line(s) left alone"
        out.append(head)
        if device["error"]:
            out.append(f"  error: {device['error']}")
        out += [f"  + {line}" for line in _flat(device["missing"])]
        out += [f"  - {line}" for line in _flat(device["extra"])]
        out += [f"  ~ {line}" for line in _flat(device["unmanaged"])]
    counts = document["summary"]
    out.append(f"{counts['total']} device(s): {counts['clean']} clean, {counts['drifted']} drifted, "
               f"{counts['error']} unreadable")
    return "\n".join(out) + "\n"


def _flat(lines: list[str]) -> list[str]:
    # A banner is one entry with newlines; show each of its lines.
    return [part for line in lines for part in line.split("\n")]
