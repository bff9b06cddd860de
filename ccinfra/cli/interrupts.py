"""SIGINT, SIGTERM and SIGHUP during ``ccinfra push``: stop cleanly once, exit at once the second time.

The first signal sets a stop flag that the push reads (``run_push(stop=...)``): no new device
starts (they end ``skipped``), each device in flight is brought to a whole state (confirmed and
saved if verified, else reverted), the summary and ``--result-json`` are written, and the exit
status is 128 + the signal number (130 SIGINT, 143 SIGTERM, 129 SIGHUP), as a shell reports a
process killed by it. A second signal exits at once: the revert timers of the devices in flight
restore them by themselves.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupts:
    """The stop flag of one push; call it to ask whether a signal came (``Interrupts()()``)."""

    def __init__(self, revert_minutes: int, changes: bool = True) -> None:
        self.revert_minutes = revert_minutes
        self.changes = changes  # False for a dry run: nothing in flight can be half-configured
        self.signum: int | None = None
        self._flag = threading.Event()

    def __call__(self) -> bool:
        return self._flag.is_set()

    @property
    def exit_code(self) -> int | None:
        """128 + the signal number once a signal came, else None."""
        return None if self.signum is None else 128 + self.signum

    def handle(self, signum: int, frame: object = None) -> None:
        name = signal.Signals(signum).name
        if self.signum is None:
            self.signum = signum
            self._flag.set()
            _say(f"{name}: stopping: no new device starts; devices in flight are confirmed and saved if "
                 f"verified, else reverted; the summary is still written. Send it again to exit at once.")
            return
        if not self.changes:
            _say(f"{name} again: exiting now (a dry run: no device was changed).")
        elif self.revert_minutes:
            _say(f"{name} again: exiting now. The devices in flight are covered by their revert timers: "
                 f"unless confirmed they restore their archived config within {self.revert_minutes} min "
                 f"(check with `ccinfra audit drift`).")
        else:
            _say(f"{name} again: exiting now. --revert-minutes 0: devices in flight may be half-configured "
                 f"(not saved); check them with `ccinfra audit drift`.")
        os._exit(128 + signum)

    @contextmanager
    def installed(self) -> Iterator[Interrupts]:
        """Handle the signals for the block (main thread only), then put the old handlers back."""
        previous = {signum: signal.signal(signum, self.handle) for signum in HANDLED}
        try:
            yield self
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def _say(text: str) -> None:
    # os.write, not sys.stderr: a handler may run while the main thread is inside a stderr write.
    os.write(sys.stderr.fileno(), (text + "\n").encode())
