"""The as-built audit (``ccinfra audit asbuilt --format json``) as a section of the report.

>>> section({"switches": [], "ports": [{"switch": "sw1", "port": "Gi1/0/1", "seat": "S01", "expected": "phone",
...          "found": "nothing", "status": "FAIL", "detail": "FAIL: no phone"}],
...          "summary": {"switches": 0, "ports": 1, "PASS": 0, "WARN": 0, "FAIL": 1}})["overall"]
'fail'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ccinfra.errors import RenderError
from ccinfra.fsio import read_input_text

PORT_KEYS = ("switch", "port", "seat", "expected", "found", "status", "detail")
SWITCH_KEYS = ("switch", "status", "detail", "poe_drawn_w", "poe_reserved_w", "poe_budget_w")


def section(document: dict[str, Any]) -> dict[str, Any]:
    """Summary, every switch, and the ports that are not PASS; RenderError when the shape is not the audit's."""
    try:
        ports = [{k: p[k] for k in PORT_KEYS} for p in document["ports"]]
        switches = [{k: s[k] for k in SWITCH_KEYS} for s in document["switches"]]
        summary = {k: int(document["summary"][k]) for k in ("switches", "ports", "PASS", "WARN", "FAIL")}
    except (KeyError, TypeError, ValueError) as err:
        raise RenderError(f"--asbuilt: not the JSON of `ccinfra audit asbuilt --format json` ({err!r} missing "
                          "or wrong); write it again with that command") from None
    overall = "fail" if summary["FAIL"] else "warn" if summary["WARN"] else "pass"
    return {"summary": summary, "overall": overall, "switches": switches,
            "problems": [p for p in ports if p["status"] != "PASS"]}


def load_section(path: str | Path) -> dict[str, Any]:
    text = read_input_text(Path(path), "write it with `ccinfra audit asbuilt ... --format json -o FILE`")
    try:
        return section(json.loads(text))
    except ValueError as err:
        raise RenderError(f"--asbuilt {path}: not JSON ({err})") from None
