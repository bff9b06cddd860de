"""The ``ccinfra`` command: a click group whose commands live one family per module."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from ccinfra import __version__
from ccinfra.errors import CcinfraError


class CcinfraGroup(click.Group):
    """Turns every error into one line on stderr: exit 1, 2 for usage, 130 for Ctrl-C; never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CcinfraError as err:
            raise click.ClickException(str(err)) from None
        except OSError as err:
            name = f" {err.filename}" if getattr(err, "filename", None) else ""
            raise click.ClickException(f"{err.strerror or err}{name}") from None
        except (MemoryError, RecursionError) as err:
            raise click.ClickException(f"{ctx.invoked_subcommand or 'ccinfra'}: the input is too large or "
                                       f"too deeply nested ({err.__class__.__name__}); see 'Limits' in the README")
        except UnicodeError as err:
            raise click.ClickException(f"cannot encode or decode text ({err.__class__.__name__}: {err.reason})")
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as err:  # a bug, not bad input: still one line, the traceback on request
            if os.environ.get("CCINFRA_DEBUG"):
                raise
            raise click.ClickException(f"{ctx.invoked_subcommand or 'ccinfra'}: unexpected {err.__class__.__name__}: "
                                       f"{str(err)[:200]}; this is a bug in ccinfra: rerun with CCINFRA_DEBUG=1 "
                                       "for the traceback and report it") from None

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx else "ccinfra"
            _one_line(f"{err.format_message()} (see '{where} --help')", err.exit_code)
        except click.ClickException as err:
            _one_line(err.format_message(), err.exit_code)
        except click.Abort as err:
            if isinstance(err.__context__, KeyboardInterrupt) or isinstance(err.__cause__, KeyboardInterrupt):
                _one_line("interrupted (Ctrl-C)", 130)
            _one_line("aborted", 1)
        sys.exit(code if isinstance(code, int) else 0)


def _one_line(message: str, code: int) -> None:
    text = " ".join(str(message).split())
    click.echo(f"Error: {text}", err=True)
    sys.exit(code)


@click.group(cls=CcinfraGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccinfra")
def cli() -> None:
    """Size and provision a contact-center site from one YAML description.

    \b
    Example:
      ccinfra size examples/site.yaml
      ccinfra staff --calls 400 --interval-min 30 --aht-s 240 --target-s 20 --service-level 0.8
    """


# One module per command family, each exposing ``COMMANDS``; imported here so ``--help`` lists them all.
FAMILIES = ("sizing_cmds", "render_cmds", "lab_cmds", "push_cmds", "audit_cmds", "report_cmds", "ansible_cmds",
            "demo_cmd", "cost_cmds", "schedule_cmd",
            "floor_cmds")


def _register() -> None:
    for name in FAMILIES:
        module = importlib.import_module(f"ccinfra.cli.{name}")
        for command in module.COMMANDS:
            cli.add_command(command)
    from ccinfra.cli import audit_cmds, drift_cmd, floor_cmds

    audit_cmds.audit.add_command(drift_cmd.drift_cmd)
    audit_cmds.audit.add_command(floor_cmds.asbuilt_cmd)


_register()
