"""The Jinja2 environment: sandboxed, strict about undefined names, bundled templates with per-name overrides.

Templates ship inside the package (``ccinfra.templates``, the top-level ``templates/`` folder) and are
read through ``importlib.resources``, never from the current directory. ``--templates DIR`` overrides
a bundled template by its relative name (``DIR/switch/cisco_ios.cfg.j2``); the rest stay bundled.
XML templates (``*.xml.j2``) are autoescaped.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ccinfra.errors import RenderError


class OverlayLoader(jinja2.BaseLoader):
    """Look a template up in ``override`` first, then among the bundled ones."""

    def __init__(self, override: Path | None = None) -> None:
        self.override = Path(override) if override is not None else None
        self.bundled = files("ccinfra.templates")

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = template.split("/")
        if template.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise jinja2.TemplateNotFound(template)
        if self.override is not None:
            candidate = self.override.joinpath(*parts)
            if candidate.is_file():
                mtime = candidate.stat().st_mtime
                text = candidate.read_text(encoding="utf-8")
                return text, str(candidate), lambda: candidate.is_file() and candidate.stat().st_mtime == mtime
        resource = self.bundled.joinpath(*parts)
        if resource.is_file():
            return resource.read_text(encoding="utf-8"), template, lambda: True
        raise jinja2.TemplateNotFound(template)


def _autoescape(name: str | None) -> bool:
    return bool(name) and str(name).endswith(".xml.j2")


def make_environment(templates_dir: str | Path | None = None) -> SandboxedEnvironment:
    """A sandboxed environment over the bundled templates (plus overrides from ``templates_dir``).

    >>> env = make_environment()
    >>> env.get_template("switch/cisco_ios.cfg.j2").name
    'switch/cisco_ios.cfg.j2'
    """
    override = None
    if templates_dir is not None:
        override = Path(templates_dir)
        if not override.is_dir():
            raise RenderError(f"--templates: {override} is not a folder of templates")
    return SandboxedEnvironment(
        loader=OverlayLoader(override),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def _template_line(err: BaseException, filename: str | None) -> str:
    """``line N`` of the template where ``err`` was raised, from the traceback Jinja rewrites for us."""
    if not filename:
        return ""
    line = ""
    for frame, lineno in traceback.walk_tb(err.__traceback__):
        if frame.f_code.co_filename == filename:
            line = f" line {lineno}"
    return line


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any], device: str) -> str:
    """Render one template for one device; every failure is a RenderError naming template (and line) and device."""
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        raise RenderError(f"{device}: template {name} not found (neither in --templates nor bundled)") from None
    except jinja2.TemplateSyntaxError as err:
        raise RenderError(f"template {err.filename or name} line {err.lineno}: {err.message}") from None
    try:
        return template.render(context)
    except jinja2.UndefinedError as err:
        where = _template_line(err, template.filename)
        raise RenderError(f"{device}: template {name}{where}: {err.message}; the variable is missing") from None
    except jinja2.exceptions.SecurityError as err:
        raise RenderError(f"{device}: template {name}: refused by the sandbox ({err})") from None
    except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError, ZeroDivisionError) as err:
        where = _template_line(err, template.filename)
        raise RenderError(f"{device}: template {name}{where}: {type(err).__name__}: {err}") from None
