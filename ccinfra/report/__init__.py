"""The auditor's sizing report: HTML (self-contained, SVG floor plan and charts), Markdown and JSON.

>>> from ccinfra.report import make_report   # make_report("site.yaml", "html") -> str
"""

from ccinfra.report.build import build_report, load_report_input, plan_json_text
from ccinfra.report.render import FORMATS, make_report, render_report, write_report

__all__ = ["FORMATS", "build_report", "load_report_input", "make_report", "plan_json_text", "render_report",
           "write_report"]
