"""ccinfra: size and provision the infrastructure of a contact center."""

import sys as _sys

if _sys.argv and _sys.argv[0].endswith("ccinfra"):  # the console script, not a library user

    def _interrupted_while_starting(kind, value, tb, _previous=_sys.excepthook):  # type: ignore[no-untyped-def]
        """Ctrl-C before ``ccinfra.cli.entry`` installed its handlers: one line and 130, no traceback."""
        if issubclass(kind, KeyboardInterrupt):
            import os

            _sys.stderr.write("\nError: interrupted (Ctrl-C); nothing half-written is left behind\n")
            _sys.stderr.flush()
            os._exit(130)
        _previous(kind, value, tb)

    _sys.excepthook = _interrupted_while_starting

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ccinfra")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
