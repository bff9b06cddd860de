"""Turn report data into HTML (one self-contained file), Markdown (GFM, for tickets) or JSON.

Templates live in ``templates/report/`` and are found through the installed package
(``importlib.resources.files("ccinfra.templates")``). The environment is sandboxed, every variable
must exist (StrictUndefined), and HTML is autoescaped; the SVG pieces are built escaped in Python
and marked safe.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import FunctionLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from ccinfra.errors import RenderError
from ccinfra.fsio import check_output_file, write_text_atomic
from ccinfra.plan import Plan
from ccinfra.report.asbuilt import load_section
from ccinfra.report.build import ReportSource, build_report, load_report_input, report_json, sha256_hex
from ccinfra.report.formatting import num, pct

FORMATS = ("html", "md", "json")
TEMPLATES = {"html": "report.html.j2", "md": "report.md.j2"}


def _load_template(name: str) -> str | None:
    resource = files("ccinfra.templates") / "report" / name
    return resource.read_text(encoding="utf-8") if resource.is_file() else None


def md_cell(value: object) -> str:
    """Text safe inside a GFM table cell: pipes escaped, one line.

    >>> md_cell("a | b\\nc")
    'a \\\\| b c'
    """
    return str(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


@lru_cache(maxsize=2)
def environment(autoescape: bool) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FunctionLoader(_load_template), undefined=StrictUndefined, autoescape=autoescape,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(num=num, pct=pct, md=md_cell, safe_svg=lambda s: Markup(s) if s else "")
    return env


def render_report(report: dict[str, Any], plan: Plan, fmt: str) -> str:
    """The report text in ``fmt`` (html, md or json)."""
    if fmt == "json":
        data = report_json(report, plan)
        if report.get("asbuilt"):
            data["asbuilt"] = report["asbuilt"]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt not in TEMPLATES:
        raise RenderError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    try:
        template = environment(fmt == "html").get_template(TEMPLATES[fmt])
        return template.render(r=report)
    except TemplateError as err:
        raise RenderError(f"templates/report/{TEMPLATES[fmt]}: {err}") from None


def make_report(path: str | Path, fmt: str = "html", output: str | None = None,
                generated: str | None = None, prices: str | Path | None = None,
                asbuilt: str | Path | None = None) -> str:
    """Read a site YAML or plan.json (and a price book) and return the report text (the ``ccinfra report`` command).

    ``asbuilt``: the JSON of ``ccinfra audit asbuilt``, shown as the report's as-built section.
    """
    from ccinfra.cost.pricebook import load_price_book

    plan, source = load_report_input(path)
    book, book_source = None, None
    if prices:
        book = load_price_book(prices)
        book_source = ReportSource(str(prices), "prices", sha256_hex(Path(prices).read_bytes()))
    report = build_report(plan, source, fmt, output, generated, book, book_source)
    report["asbuilt"] = load_section(asbuilt) if asbuilt is not None else None
    return render_report(report, plan, fmt)


def write_report(path: str | Path, output: str | Path, fmt: str = "html", generated: str | None = None) -> Path:
    """Write the report of ``path`` to ``output`` atomically; a file ccinfra did not write is refused."""
    text = make_report(path, fmt, str(output), generated)
    check_output_file(output, "report", new_text=text)
    return write_text_atomic(output, text)
