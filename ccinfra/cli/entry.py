"""The ``ccinfra`` console script: signals first, then the (heavier) command imports.

Ctrl-C at any moment, start-up included, ends with exit status 130 and one line, never a
traceback; SIGTERM becomes an exception too, so that ``finally`` blocks remove staging and
backup folders (``ccinfra.fsio``) before the process ends with 143.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any, NoReturn

EXIT_SIGINT = 130  # 128 + SIGINT, what shells report for a command stopped by Ctrl-C
EXIT_SIGTERM = 143  # 128 + SIGTERM


class Terminated(BaseException):
    """Raised in the main thread on SIGTERM: unwinds like Ctrl-C so cleanup code runs."""


_MAIN_PID = os.getpid()


def _on_sigterm(signum: int, frame: Any) -> None:
    if os.getpid() != _MAIN_PID:  # a forked push worker: die as it would have without us
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise Terminated()


def main(argv: list[str] | None = None) -> NoReturn:
    """Run ``ccinfra``; exit 130 on Ctrl-C and 143 on SIGTERM with one line on stderr."""
    try:
        signal.signal(signal.SIGTERM, _on_sigterm)
        from ccinfra.cli.main import cli

        cli.main(args=argv, prog_name="ccinfra")
    except KeyboardInterrupt:
        _stop("interrupted (Ctrl-C); nothing half-written is left behind", EXIT_SIGINT)
    except Terminated:
        _stop("terminated (SIGTERM); nothing half-written is left behind", EXIT_SIGTERM)
    sys.exit(0)  # pragma: no cover - cli.main always exits


def _stop(message: str, code: int) -> NoReturn:
    try:
        sys.stderr.write(f"\nError: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # pragma: no cover - stderr closed
        pass
    sys.exit(code)
