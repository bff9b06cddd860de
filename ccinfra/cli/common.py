"""Shared click pieces: output format and file options, and turning data into text.

The library never imports click; only ``ccinfra.cli`` does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click
import yaml

from ccinfra.fsio import check_output_file, write_text_atomic

FORMATS = ("table", "json", "yaml")


class Checked(click.ParamType):
    """A float flag checked by one of ``ccinfra.limits``' functions: NaN, infinities and magnitudes past a
    named limit are a usage error naming the flag (exit 2).

    >>> from ccinfra import limits
    >>> Checked(lambda f, v: limits.check_fraction(f, v)).convert("0.8", None, None)
    0.8
    """

    name = "number"

    def __init__(self, check: Callable[[str, float], float], metavar: str = "FLOAT") -> None:
        self.check = check
        self.metavar = metavar

    def get_metavar(self, param: click.Parameter, *args: Any, **kwargs: Any) -> str:
        return self.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        from ccinfra.errors import SpecError

        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        flag = param.opts[0] if param is not None and param.opts else "value"
        try:
            return self.check(flag, number)
        except SpecError as err:
            self.fail(str(err).removeprefix(f"{flag}: "), param, ctx)


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--format table|json|yaml`` and ``-o/--output FILE`` to a command."""
    func = click.option(
        "-o",
        "--output",
        "output",
        type=click.Path(dir_okay=False, writable=True),
        default=None,
        help="Write to FILE (atomically) instead of standard output.",
    )(func)
    func = force_option(func)
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table is for people; json prints exactly one JSON document.",
    )(func)
    return func


def _remember_force(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    ctx.meta["ccinfra_force"] = value
    return value


def force_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--force``: overwrite an output file ccinfra did not write (read back with :func:`forced`)."""
    return click.option("--force", is_flag=True, expose_value=False, callback=_remember_force,
                        help="Overwrite an output file that ccinfra did not write.")(func)


def forced() -> bool:
    """Whether ``--force`` was given to the running command."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get("ccinfra_force"))


def write_output(output: str, text: str, flag: str = "-o") -> None:
    """Write ``text`` to ``output`` atomically, unless it would replace a file ccinfra did not write."""
    check_output_file(output, flag, force=forced(), new_text=text)
    write_text_atomic(output, text)


def to_json(data: Any) -> str:
    """One JSON document, keys in the order given, ending in a newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def emit(data: Any, fmt: str, output: str | None, table: Callable[[Any], str]) -> None:
    """Format ``data`` as asked and print it or write it atomically to ``output``."""
    if fmt == "json":
        text = to_json(data)
    elif fmt == "yaml":
        text = to_yaml(data)
    else:
        text = table(data)
        if not text.endswith("\n"):
            text += "\n"
    if output:
        write_output(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


def kv_table(title: str, rows: list[tuple[str, Any, str]]) -> str:
    """A plain aligned table of (name, value, unit/comment) rows."""
    width = max((len(name) for name, _, _ in rows), default=0)
    lines = [title, "-" * len(title)]
    for name, value, note in rows:
        shown = f"{value:.6g}" if isinstance(value, float) else str(value)
        lines.append(f"{name.ljust(width)}  {shown}{('  ' + note) if note else ''}")
    return "\n".join(lines) + "\n"


def strict_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--strict``: any FAIL check of the plan makes the command exit 1 (default: 0, FAILs listed)."""
    return click.option("--strict", is_flag=True,
                        help="Exit 1 when any check FAILs (default: exit 0 and list the FAILs).")(func)


def fail_if_strict(checks: list[Any], strict: bool) -> None:
    """With ``--strict``, one line naming the FAIL checks and exit 1."""
    failed = [c.id for c in checks if c.status == "fail"]
    if strict and failed:
        shown = ", ".join(failed[:5]) + (f" and {len(failed) - 5} more" if len(failed) > 5 else "")
        raise click.ClickException(f"--strict: {len(failed)} check(s) FAIL: {shown}")
