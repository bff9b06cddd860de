"""The ``ccinfra`` command: a click group whose commands live one family per module."""

from __future__ import annotations

import importlib
from typing import Any

import click

from ccinfra import __version__
from ccinfra.errors import CcinfraError


class CcinfraGroup(click.Group):
    """Turns every library error into one line on stderr and exit code 1 (click uses 2 for usage)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CcinfraError as err:
            raise click.ClickException(str(err)) from None
        except OSError as err:
            name = f" {err.filename}" if getattr(err, "filename", None) else ""
            raise click.ClickException(f"{err.strerror or err}{name}") from None


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
