"""One change at a time per device: a lock file next to the inventory.

``<inventory folder>/.ccinfra-locks/<device>.lock`` holds ``{"pid", "host", "started"}`` of the push
that changes the device. It is created with ``O_CREAT | O_EXCL`` (atomic on a local file system),
so of two pushes started together exactly one gets it; the other waits up to ``wait_s`` seconds
and then leaves the device untouched. A lock whose process is gone (same host, pid not running:
a push killed with SIGKILL) is stale and is taken over.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with device_lock(folder, "sw1", wait_s=0):
...     (folder / "sw1.lock").exists()
True
>>> (folder / "sw1.lock").exists()
False
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ccinfra.errors import DeviceBusy

LOCK_FOLDER = ".ccinfra-locks"
_POLL_S = 0.2


def lock_dir_for(inventory: Path) -> Path:
    """Where the locks of the devices of ``inventory`` live."""
    return Path(inventory).resolve().parent / LOCK_FOLDER


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _read(path: Path) -> dict[str, object] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # being written right now, or damaged: treated as held


def _stale(holder: dict[str, object]) -> bool:
    pid = holder.get("pid")
    return holder.get("host") == socket.gethostname() and isinstance(pid, int) and not _pid_alive(pid)


def _try_create(path: Path) -> bool:
    body = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                       "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(body + "\n")
    return True


@contextmanager
def device_lock(folder: Path, device: str, wait_s: float = 0.0,
                give_up: Callable[[], bool] = lambda: False) -> Iterator[Path]:
    """Hold ``folder/<device>.lock`` for the block; raise ``DeviceBusy`` after ``wait_s`` seconds
    (or as soon as ``give_up()`` says True: the push was interrupted while waiting)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{device}.lock"
    deadline = time.monotonic() + max(0.0, wait_s)
    while not _try_create(path):
        holder = _read(path)
        if holder is None:
            continue  # released meanwhile
        if _stale(holder):
            path.unlink(missing_ok=True)  # its push was killed; take the device over
            continue
        if time.monotonic() >= deadline or give_up():
            raise DeviceBusy(f"{device}: another push holds its lock {path} (pid {holder.get('pid', '?')} on "
                             f"{holder.get('host', '?')} since {holder.get('started', '?')}); not touched; "
                             f"wait for it or pass --wait-lock SECONDS")
        time.sleep(_POLL_S)
    try:
        yield path
    finally:
        holder = _read(path)
        if holder and holder.get("pid") == os.getpid():
            path.unlink(missing_ok=True)
